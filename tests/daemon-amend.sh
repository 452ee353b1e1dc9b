#!/bin/bash
# daemon-amend.sh -- PATCH /v1/pickups/{id}: a resident's change of mind
# (notes, window, items) as a JSON merge patch, validated as a submission;
# what it refuses (a new reference, a bad window, a missing member, an
# unknown region, a finished pickup, another operator's) leaves the pickup
# as it was; a change planning reads takes a scheduled pickup out of the
# current plan and drops its pin, a change of notes does not; recircctl
# pickups amend.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
ctl_env

demo_city
ok $? "seed the demo city"
daemon_start -D "solver=$SOLVER" -D solve_timeout=120 -D plan_days=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add springfield operator)
OTH=$(token_add shelbyville operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)
printf '%s\n' "$OPS" >"$T/ops.token"
# A webhook for the operator's CRM (nothing listens: the outbox is read).
r=$(api POST /v1/webhooks "$OPR" '{"url":"http://127.0.0.1:9/crm","events":["amended"],"secret":"0123456789abcdef0123"}')
is "$(st "$r")" 201 "the operator's webhook wants amended"
WH=$(jget "$(js "$r")" .id)
D1=$(date -u -d '+1 day' +%F)
D2=$(date -u -d '+2 day' +%F)
D5=$(date -u -d '+5 day' +%F)

# patch ID TOKEN JSON [CONTENT-TYPE]: PATCH /v1/pickups/ID
patch() {
	api_curl "$T/body" -X PATCH -H "Authorization: Bearer $2" \
	    -H "Content-Type: ${4:-application/merge-patch+json}" \
	    --data-binary "$3" "$URL/v1/pickups/$1" >"$T/code"
	printf '%s %s' "$(cat "$T/code")" "$(cat "$T/body")"
}
get() { js "$(api GET "/v1/pickups/$1" "${2:-$OPS}")"; }
nhist() { jget "$(get "$1")" '.history | length'; }

demo_pickups 12 >"$T/pickups.jsonl"
bad=0
while IFS= read -r line; do
	[ "$(st "$(api POST /v1/pickups "$OPR" "$line")")" = 201 ] || bad=$((bad + 1))
done <"$T/pickups.jsonl"
is "$bad" 0 "12 demo pickups submitted"
A=$(jget "$(js "$(api GET '/v1/pickups?limit=1' "$OPR")")" '.pickups[0].id')
before=$(get "$A")

# --- notes only ---------------------------------------------------------------
r=$(patch "$A" "$OPR" '{"notes":"gate code 4711, ring twice"}')
is "$(st "$r") $(jget "$(js "$r")" '.changed | join(",")')" "200 notes" \
    "PATCH notes: 200, changed notes"
is "$(jget "$(js "$r")" .notes)" "gate code 4711, ring twice" "the reply has the new notes"
is "$(jget "$(get "$A")" .notes)" "gate code 4711, ring twice" "and so does GET"
is "$(jget "$(get "$A")" '.history[-1] | "\(.status) \(.by) \(.detail)"')" \
    "received springfield amended: notes" "the history says what changed, and who"
is "$(jget "$(get "$A")" '[.items, .location, .window, .reference] | tojson')" \
    "$(jget "$before" '[.items, .location, .window, .reference] | tojson')" \
    "the rest of the document is as it was (items with their streams)"
is "$(jget "$(js "$(api GET "/v1/webhooks/$WH/deliveries" "$OPR")")" \
    '[.deliveries[] | select(.pickup == '"$A"') | "\(.event) \(.data.changed | join(",")) \(.data.by)"] | join(";")')" \
    "amended notes springfield" "the webhook gets amended: what changed, by whom"
n=$(nhist "$A")
r=$(patch "$A" "$OPR" '{"notes":"gate code 4711, ring twice"}')
is "$(st "$r") $(jget "$(js "$r")" '.changed | length')" "200 0" "the same patch again changes nothing"
is "$(nhist "$A")" "$n" "and writes no history"

# --- refused: nothing changes -------------------------------------------------
snap=$(jget "$(get "$A")" 'del(.history) | tojson')
r=$(patch "$A" "$OPR" '{"reference":"someone-else"}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 reference" "a new reference: 422"
r=$(patch "$A" "$OPR" "{\"window\":{\"from\":\"$D5\",\"to\":\"$D1\"}}")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "422 invalid_window" "a window that ends before it starts: 422"
r=$(patch "$A" "$OPR" '{"location":null}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 location" "removing the location: 422"
r=$(patch "$A" "$OPR" '{"items":[{"category":"spaceship","quantity":1}]}')
is "$(st "$r")" 422 "an unknown category: 422"
r=$(patch "$A" "$OPR" '{"region":"atlantis"}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 region" "a region no centre has: 422"
r=$(patch "$A" "$OPR" '{"colour":"red"}')
is "$(st "$r")" 422 "an unknown member: 422"
r=$(patch "$A" "$OPR" '[1]')
is "$(st "$r")" 400 "not an object: 400"
r=$(patch "$A" "$OPR" '{"notes":"x"}' text/plain)
is "$(st "$r")" 415 "Content-Type text/plain: 415"
r=$(patch "$A" "$OTH" '{"notes":"mine now"}')
is "$(st "$r")" 404 "another operator's pickup: 404"
is "$(st "$(patch 999999 "$OPS" '{"notes":"x"}')")" 404 "no such pickup: 404"
is "$(jget "$(get "$A")" 'del(.history) | tojson')" "$snap" "after all of those the pickup is as it was"

# --- window and items ----------------------------------------------------------
r=$(patch "$A" "$OPS" "{\"window\":{\"from\":\"$D2\",\"to\":\"$D5\"}}" application/json)
is "$(st "$r") $(jget "$(js "$r")" '.changed | join(",")')" "200 window" \
    "ops amends the window (as application/json)"
is "$(jget "$(get "$A")" '.window | "\(.from) \(.to)"')" "$D2 $D5" "the new window is stored"
r=$(patch "$A" "$OPR" '{"items":[{"category":"sofa","quantity":2}]}')
is "$(st "$r") $(jget "$(js "$r")" '.changed | join(",")')" "200 items" "the items replaced"
is "$(jget "$(get "$A")" '[.items[] | .category, .quantity, (.streams | length > 0)] | join(" ")')" \
    "sofa 2 true" "a sofa, two of them, streams derived again"
r=$(patch "$A" "$OPR" '{"notes":null}')
is "$(st "$r") $(jget "$(get "$A")" '.notes // "none"')" "200 none" "null removes the notes"

# --- in a plan: out of it when planning's inputs change, not for notes --------
P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "plan $P is done"
api GET "/v1/plans/$P/routes" "$PLN" | cut -d' ' -f2- >"$T/routes.json"
S=$(jq '.routes[0].stops[0].pickup' "$T/routes.json")
SD=$(jq -r '.routes[0].day' "$T/routes.json")
is "$(st "$(api POST "/v1/pickups/$S/confirm" "$OPS")")" 200 "pickup $S confirmed (pinned)"
r=$(patch "$S" "$OPS" '{"notes":"leave it by the bins"}')
s=$(get "$S")
is "$(st "$r") $(jget "$s" .status) $(jget "$s" .schedule.day) $(jget "$s" .schedule.pinned)" \
    "200 scheduled $SD confirmed" "new notes: still scheduled on $SD, still pinned"
r=$(patch "$S" "$OPS" "{\"window\":{\"from\":\"$D1\",\"to\":\"$D5\"}}")
s=$(get "$S")
is "$(st "$r") $(jget "$s" .status) $(jget "$s" '.schedule // "none"') $(jget "$s" .deferred.reason)" \
    "200 received none amended" "a new window: out of the plan, deferred as amended, no pin"
is "$(jget "$s" '.history[-1].detail')" \
    "amended: window; out of the current plan, for the next to place" "the history says so"
is "$(jget "$(js "$(api GET "/v1/webhooks/$WH/deliveries" "$OPR")")" \
    '[.deliveries[] | select(.pickup == '"$S"' and .event == "amended") | .data | "\(.status) \(.changed | join(","))"][0]')" \
    "received window" "the CRM hears it is received again, and why"
is "$(db_query "select count(*) from pickup_pins where pickup_id = $S")" 0 "its pin is gone"
P2=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$P2" "$PLN")
is "$(jget "$p" .state)" done "re-plan $P2 is done"
s=$(get "$S")
ok $([ "$(jget "$s" .status)" = scheduled ] || [ "$(jget "$s" .deferred.plan)" = "$P2" ]; echo $?) \
    "the next plan places it again ($(jget "$s" .status))"

# --- finished pickups ------------------------------------------------------------
C=$(jq '.routes[0].stops[1].pickup' "$T/routes.json")
is "$(st "$(api POST "/v1/pickups/$C/events" "$OPS" '{"type":"collected"}')")" 200 "pickup $C collected"
r=$(patch "$C" "$OPS" '{"notes":"too late"}')
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 invalid_state" "a collected pickup cannot be amended"

# --- recircctl pickups amend -----------------------------------------------------
B=$(jget "$(js "$(api GET '/v1/pickups?status=received&limit=1' "$OPR")")" '.pickups[0].id')
run -u "$URL" -t "$T/ops.token" pickups amend "$B" --notes "side door" --window "$D2..$D5"
is "$rc" 0 "recircctl pickups amend --notes --window: exit 0"
is "$(cat "$T/out")" "pickup $B amended: window, notes" "says what changed"
is "$(jget "$(get "$B")" '"\(.notes) \(.window.from) \(.window.to)"')" "side door $D2 $D5" "both stored"
run -u "$URL" -t "$T/ops.token" pickups amend "$B" --window "$D2"
is "$rc" 0 "--window DAY: one day"
is "$(jget "$(get "$B")" '"\(.window.from) \(.window.to)"')" "$D2 $D2" "from and to that day"
printf '{"items":[{"category":"fridge_freezer","quantity":1}]}\n' >"$T/patch.json"
run -u "$URL" -t "$T/ops.token" pickups amend "$B" "$T/patch.json"
is "$(cat "$T/out")" "pickup $B amended: items" "a patch from a file"
[ "$rc" = 0 ] || sed 's/^/#   /' "$T/err"
"$CTL" -u "$URL" -t "$T/ops.token" pickups amend "$B" - <"$T/patch.json" >"$T/out" 2>"$T/err"
is "$?:$(cat "$T/out")" "0:pickup $B: nothing to change" "the same from standard input: nothing to change"
run -u "$URL" -t "$T/ops.token" pickups amend "$B" --window "$D5..$D1"
is "$rc" 1 "a window backwards: the server says no (exit 1)"
has "$T/err" "before it starts" "with its message"
run -u "$URL" -t "$T/ops.token" pickups amend "$B" --window soon
is "$rc" 2 "--window soon: usage (exit 2)"
run -u "$URL" -t "$T/ops.token" pickups amend "$B"
is "$rc" 2 "nothing to amend: usage (exit 2)"
run -u "$URL" -t "$T/ops.token" pickups amend "$B" --notes x "$T/patch.json"
is "$rc" 2 "a file and options together: usage (exit 2)"

daemon_stop
done_testing
