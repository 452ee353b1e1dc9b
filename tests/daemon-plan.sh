#!/bin/bash
# daemon-plan.sh -- a full planning day over HTTP with the real
# recirc-solve: seed the demo city, submit pickups, plan, check the routes
# (JSON and GeoJSON) for coverage and capacity independently of the
# daemon, print a manifest, record field events, pin a confirmed day and a
# dispatched route, re-plan and check the pins held.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

demo_city
ok $? "seed the demo city"
daemon_start -D "solver=$SOLVER" -D solve_timeout=120 -D plan_days=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add springfield operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)

# Submit the demo pickups with their relative dates made real.
demo_pickups 80 > "$T/pickups.jsonl"
bad=0
while IFS= read -r line; do
	[ "$(st "$(api POST /v1/pickups "$OPR" "$line")")" = 201 ] || bad=$((bad + 1))
done < "$T/pickups.jsonl"
is "$bad" 0 "80 demo pickups submitted"

r=$(api GET /v1/plans/current "$PLN")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "404 not_found" "no current plan yet"
is "$(st "$(api POST /v1/plans "$OPS" '{}')")" 403 "ops may not start a plan"
is "$(st "$(api POST /v1/plans "$OPR" '{}')")" 403 "an operator may not start a plan"
r=$(api POST /v1/plans "$PLN" '{"days":0}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 days" "days out of range"
r=$(api POST /v1/plans "$PLN")
is "$(st "$r")" 202 "a planner starts a plan: 202"
P1=$(jget "$(js "$r")" .id)
is "$(jget "$(js "$r")" .href)" "/v1/plans/$P1" "the reply names the plan"
p=$(wait_plan "$P1" "$PLN")
is "$(jget "$p" .state)" done "plan $P1 is done"
[ "$(jget "$p" .state)" = done ] || { jget "$p" .reason; cat "$T/recircd.log"* >&2; }
is "$(jget "$p" .current)" true "and current"
is "$(jget "$p" .trigger)" manual "triggered by hand"
is "$(jget "$p" .horizon.days)" 3 "plans plan_days days"
is "$(jget "$p" .horizon.from)" "$(date -u -d '+1 day' +%F)" "from tomorrow"
is "$(jget "$(js "$(api GET /v1/plans/current "$OPS")")" .id)" "$P1" "GET /v1/plans/current"
is "$(jget "$(js "$(api GET /v1/status "$OPR")")" .plan.id)" "$P1" "GET /v1/status names the current plan"
planned=$(jget "$p" .kpis.pickups.planned)
sched=$(jget "$p" .kpis.pickups.scheduled)
ok $(( ! (planned > 0 && sched > 0) )) "KPIs count planned ($planned) and scheduled ($sched) pickups"
for k in cost.total km co2_kg vehicles_used load_factor.kg recovered_value tonnes.reuse; do
	v=$(jget "$p" ".kpis.$k")
	ok $([ "$v" != null ] && [ -n "$v" ]; echo $?) "KPI $k is there ($v)"
done
is "$(jget "$p" .kpis.routes_source)" solver "routes come from recirc-solve's routing stage"
is "$(jget "$p" .changes.new)" "$planned" "first plan: every pickup is new"

# --- routes, checked independently ----------------------------------------
api GET "/v1/plans/$P1/routes" "$PLN" > "$T/r1"
is "$(cut -d' ' -f1 "$T/r1")" 200 "GET routes"
cut -d' ' -f2- "$T/r1" > "$T/routes.json"
api GET /v1/fleet "$PLN" | cut -d' ' -f2- > "$T/fleet.json"
nstops=$(jq '[.routes[].stops[]] | length' "$T/routes.json")
ndef=$(jq '.deferred | length' "$T/routes.json")
is "$((nstops + ndef))" "$planned" "routed + deferred = planned"
is "$nstops" "$sched" "every scheduled pickup is on a route"
is "$(jq '[.routes[].stops[].pickup] | length == (unique | length)' "$T/routes.json")" true \
    "no pickup is on two routes"
is "$(jq '[.routes[].stops[] | select((.time_windows // []) | length > 0) |
    . as $s | select(([$s.time_windows[] | select($s.eta >= .start and
    $s.eta <= .end)] | length) == 0)] | length' "$T/routes.json")" 0 \
    "every ETA falls inside one of its stop's hour windows"
# The scheduled pickups the API lists are exactly the routed ones.
api GET "/v1/pickups?status=scheduled&limit=500" "$OPS" | cut -d' ' -f2- |
    jq -c '[.pickups[].id] | sort' > "$T/sched.ids"
jq -c '[.routes[].stops[].pickup] | sort' "$T/routes.json" > "$T/routed.ids"
cmp -s "$T/sched.ids" "$T/routed.ids"
ok $? "scheduled pickups = routed pickups"
# Loads recomputed from the stops' own weights, against the fleet.
over=$(jq --slurpfile f "$T/fleet.json" '
    [.routes[] | . as $r | ($f[0].fleet[] | select(.id == $r.vehicle_type)) as $t |
     select(([.stops[].weight_kg] | add) > $t.capacity.kg + 0.001 or
            (.stops | length) > $t.max_stops or
            ((([.stops[].weight_kg] | add) - .load.kg) | fabs) > 0.01)] | length' "$T/routes.json")
is "$over" 0 "no route over its vehicle's kg or stop limit; loads add up"
is "$(jq '[.routes[] | .stops | map(.seq) == [range(1; length + 1)]] | all' "$T/routes.json")" true \
    "stops are numbered in order"
is "$(jq '[.routes[].stops[].eta] | all(test("^[0-2][0-9]:[0-5][0-9]$"))' "$T/routes.json")" true \
    "every stop has an ETA"
r=$(api GET "/v1/pickups/$(jq '.routes[0].stops[0].pickup' "$T/routes.json")" "$OPS")
is "$(jget "$(js "$r")" .status)" scheduled "a routed pickup is scheduled"
like "$(jget "$(js "$r")" '.history[-1].detail')" "plan $P1:" "its history says by which plan"
is "$(jget "$(js "$r")" '.schedule.vehicle + " " + .schedule.day + " " + (.schedule.stop|tostring)')" \
    "$(jq -r '.routes[0] | .vehicle + " " + .day + " 1"' "$T/routes.json")" \
    "the pickup shows its vehicle, day and stop"
r=$(api GET "/v1/pickups?status=scheduled&limit=1" "$OPS")
is "$(jget "$(js "$r")" '.pickups[0].schedule.eta | test("^[0-2][0-9]:[0-5][0-9]$")')" true \
    "listed pickups show their ETA"
nnr=$(jq '[.deferred[] | select(.reason == "not_routed")] | length' "$T/routes.json")
is "$nnr" 0 "every deferred pickup ($ndef) carries the solver's reason, none just not_routed"
if [ "$ndef" -gt 0 ]; then
	r=$(api GET "/v1/pickups/$(jq '.deferred[0].pickup' "$T/routes.json")" "$OPS")
	is "$(jget "$(js "$r")" .deferred.reason)" "$(jq -r '.deferred[0].reason' "$T/routes.json")" \
	    "a deferred pickup shows its reason"
fi

# --- GeoJSON -----------------------------------------------------------------
hdr=$(curl -s -D - -o "$T/geo.json" -H "Authorization: Bearer $PLN" \
    "$URL/v1/plans/$P1/routes?format=geojson" | tr -d '\r')
like "$hdr" "Content-Type: application/geo+json" "GeoJSON media type"
is "$(jq -r .type "$T/geo.json")" FeatureCollection "a FeatureCollection"
is "$(jq '[.features[] | select(.geometry.type == "LineString")] | length' "$T/geo.json")" \
    "$(jq '.routes | length' "$T/routes.json")" "one LineString per route"
is "$(jq '[.features[] | select(.properties.kind == "centre" and .geometry.type == "Point")] | length' "$T/geo.json")" \
    5 "every centre is a Point"
is "$(jq '[.features[] | select(.geometry.type == "LineString") | .geometry.coordinates | (.[0] == .[-1]) and (length >= 3)] | all' "$T/geo.json")" \
    true "routes start and end at their centre"
is "$(jq '[.features[].geometry.coordinates | flatten | . as $c | range(0; length; 2) | $c[.] ] | all(. > -3 and . < -2)' "$T/geo.json")" \
    true "coordinates are [lon, lat] (RFC 7946)"
is "$(jq '[.features[] | select(.geometry.type == "LineString") | .properties | has("vehicle") and has("load") and has("capacity_kg")] | all' "$T/geo.json")" \
    true "routes carry vehicle and load properties"

# --- manifest ----------------------------------------------------------------
V1=$(jq -r '.routes[0].vehicle' "$T/routes.json")
D1=$(jq -r '.routes[0].day' "$T/routes.json")
hdr=$(curl -s -D - -o "$T/manifest.txt" -H "Authorization: Bearer $OPS" \
    "$URL/v1/plans/$P1/manifest/$V1?day=$D1" | tr -d '\r')
like "$hdr" "Content-Type: text/plain" "the manifest is text"
like "$(cat "$T/manifest.txt")" "MANIFEST  plan $P1  vehicle $V1" "manifest heading"
is "$(grep -c '^ *[0-9][0-9]*  [0-2][0-9]:[0-5][0-9]  #' "$T/manifest.txt")" \
    "$(jq '.routes[0].stops | length' "$T/routes.json")" "one manifest line per stop"
is "$(st "$(api GET "/v1/plans/$P1/manifest/no-such-van" "$OPS")")" 404 "unknown vehicle: 404"

# --- field events ---------------------------------------------------------
S1=$(jq '.routes[0].stops[0].pickup' "$T/routes.json")
S2=$(jq '.routes[0].stops[1].pickup' "$T/routes.json")
ev() { api POST "/v1/pickups/$1/events" "${3:-$OPS}" "$2"; }
is "$(st "$(ev "$S1" '{"type":"collected","weight_kg":33.5}' "$OPR")")" 403 "an operator may not record events"
r=$(ev "$S1" '{"type":"collected","weight_kg":33.5}')
is "$(st "$r") $(jget "$(js "$r")" .status)" "200 collected" "collected with weight"
r=$(ev "$S2" '{"type":"not_collected","code":"gone_fishing"}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 code" "unknown exception code"
r=$(ev "$S2" '{"type":"not_collected","code":"no_access"}')
is "$(st "$r") $(jget "$(js "$r")" .status)" "200 received" "not collected: back to the pool"
r=$(api GET "/v1/pickups/$S2" "$OPS")
like "$(jget "$(js "$r")" '.history[-1].detail')" "not collected: no_access" "history records the exception"
r=$(ev "$S2" '{"type":"sorted","stream":"reuse"}')
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 invalid_state" "an uncollected pickup cannot be sorted"
r=$(ev "$S1" '{"type":"sorted","stream":"reuse","weight_kg":33.5}')
is "$(st "$r") $(jget "$(js "$r")" .status)" "200 sorted" "sorted into reuse"
is "$(st "$(ev "$S1" '{"type":"teleported"}')")" 422 "unknown event type"
p=$(js "$(api GET "/v1/plans/$P1" "$PLN")")
is "$(jget "$p" .kpis.field.collected) $(jget "$p" .kpis.field.not_collected) $(jget "$p" .kpis.field.reuse_rate)" \
    "1 1 1" "field KPIs: collected, not collected, reuse rate"

# --- pins --------------------------------------------------------------------
NR=$(jq '.routes | length' "$T/routes.json")
# Dispatch the last route's vehicle on its day; confirm a pickup of another.
VD=$(jq -r '.routes[-1].vehicle' "$T/routes.json")
DD=$(jq -r '.routes[-1].day' "$T/routes.json")
jq -c --arg v "$VD" --arg d "$DD" '[.routes[] | select(.vehicle == $v and .day == $d) | .stops[] | {pickup, seq}]' \
    "$T/routes.json" > "$T/dispatched.json"
r=$(api POST "/v1/plans/$P1/dispatch/$VD?day=$DD" "$PLN")
is "$(st "$r") $(jget "$(js "$r")" .dispatched)" "200 $(jq length "$T/dispatched.json")" "dispatch pins the route's stops"
C1=$(jq --arg v "$VD" '[.routes[] | select(.vehicle != $v) | .stops[] | select(.pickup != '"$S1"' and .pickup != '"$S2"')][0].pickup' "$T/routes.json")
CD=$(jq -r --argjson p "$C1" '.routes[] | select(any(.stops[]; .pickup == $p)) | .day' "$T/routes.json")
is "$(st "$(api POST "/v1/pickups/$C1/confirm" "$OPS")")" 200 "confirm a pickup's day"
is "$(st "$(api POST "/v1/pickups/$S1/confirm" "$OPS")")" 409 "a collected pickup cannot be confirmed"
r=$(js "$(api GET "/v1/pickups/$C1" "$OPS")")
is "$(jget "$r" .schedule.pinned) $(jget "$r" .schedule.pinned_by)" "confirmed ops-desk" \
    "the pickup shows its pin and who set it"
echo "$(jget "$r" .schedule.pinned_at)" | grep -Eq '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
ok $? "and when ($(jget "$r" .schedule.pinned_at))"

# --- re-plan ---------------------------------------------------------------
r=$(api POST /v1/plans "$PLN")
P2=$(jget "$(js "$r")" .id)
p=$(wait_plan "$P2" "$PLN")
is "$(jget "$p" .state)" done "re-plan $P2 is done"
[ "$(jget "$p" .state)" = done ] || echo "# reason: $(jget "$p" .reason)"
is "$(jget "$p" .previous)" "$P1" "it names the previous plan"
is "$(jget "$(js "$(api GET /v1/plans/current "$PLN")")" .id)" "$P2" "the new plan is current"
api GET "/v1/plans/$P2/routes" "$PLN" | cut -d' ' -f2- > "$T/routes2.json"
jq -c --arg v "$VD" --arg d "$DD" '[.routes[] | select(.vehicle == $v and .day == $d) | .stops[] | {pickup, seq}]' \
    "$T/routes2.json" > "$T/dispatched2.json"
cmp -s "$T/dispatched.json" "$T/dispatched2.json"
ok $? "the dispatched route kept its vehicle, day and order"
is "$(jq -r '[.routes[].source] | unique | join(",")' "$T/routes2.json")" solver \
    "with a dispatched route the solver still builds the routes"
is "$(jq -r --argjson p "$C1" '.routes[] | select(any(.stops[]; .pickup == $p)) | .day' "$T/routes2.json")" \
    "$CD" "the confirmed pickup kept its day"
n=$(jq length "$T/dispatched.json")
ok $(( $(jget "$p" .changes.pinned_kept) < n + 1 )) "the plan reports the pins it kept ($(jget "$p" .changes.pinned_kept))"
is "$(jq --argjson p "$S1" '[.routes[].stops[] | select(.pickup == $p)] | length' "$T/routes2.json")" 0 \
    "a collected pickup is not planned again"
is "$(jq --argjson p "$S2" '([.routes[].stops[] | select(.pickup == $p)] | length) + ([.deferred[] | select(.pickup == $p)] | length)' "$T/routes2.json")" \
    1 "the not-collected pickup is back in the plan"
for k in new moved_day moved_vehicle now_deferred unchanged dropped; do
	v=$(jget "$p" ".changes.$k")
	ok $([ "$v" != null ]; echo $?) "changes report $k ($v)"
done
is "$(jget "$p" .changes.dropped)" 1 "the collected pickup dropped out"
r=$(api POST "/v1/plans/$P1/dispatch/$VD" "$PLN")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 invalid_state" "only the current plan can be dispatched"
# A pin binds nothing once its pickup is cancelled: no longer shown.
X1=$(jq '.[0].pickup' "$T/dispatched2.json")
is "$(jget "$(js "$(api GET "/v1/pickups/$X1" "$OPS")")" .schedule.pinned)" dispatched \
    "pickup $X1 is on the dispatched route"
is "$(st "$(api POST "/v1/pickups/$X1/cancel" "$OPS")")" 200 "cancel it"
r=$(js "$(api GET "/v1/pickups/$X1" "$OPS")")
is "$(jget "$r" .status) $(jget "$r" '.schedule.pinned // "none"')" "cancelled none" \
    "a cancelled pickup shows no pin"
is "$(api GET "/v1/plans/$P2/routes" "$PLN" | cut -d' ' -f2- |
    jq --argjson p "$X1" '[.routes[].stops[] | select(.pickup == $p) | .pinned // "none"] | join(",")')" \
    '"none"' "nor its stop in the routes"
r=$(api GET /v1/plans "$OPS")
is "$(jget "$(js "$r")" '[.plans[].id] | join(",")')" "$P2,$P1" "GET /v1/plans lists newest first"

daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
