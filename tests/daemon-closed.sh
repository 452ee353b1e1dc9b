#!/bin/bash
# daemon-closed.sh -- closed days (recircd.conf: closed_days): a plan's
# horizon starts on the first open day and holds plan_days open days; no
# route goes on a closed day, from the solver or from the fallback; a
# window of closed days alone is due the next open day; a day closed after
# its routes were dispatched drops their pins and the re-plan moves them;
# a closed_days that is not weekdays and dates is refused at start.  And
# what was not collected is carried over after its window
# (carry_over_days).  Booking a window without a collection day gives a
# warning with the first day that is one.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }
# sql SQL: run SQL on $DB (lib.sh's db_query where it has one).
sql() {
	if command -v db_query >/dev/null 2>&1; then db_query "$1"
	else sqlite3 "$DB" "$1"; fi
}

"$RECIRCD" -n -D "closed_days=sat funday" > "$T/out" 2>&1
is "$?" 1 "a closed_days word that is no day is refused"
like "$(cat "$T/out")" "closed_days (sat funday): expected weekdays" "... saying what it expects"
"$RECIRCD" -n -D "closed_days=mon tue wed thu fri sat sun" > "$T/out" 2>&1
is "$?" 1 "closing every weekday is refused"
like "$(cat "$T/out")" "every weekday is closed" "... saying so"
"$RECIRCD" -n -v -D "closed_days=Sat,Sun 2027-01-01" > "$T/out" 2>&1
is "$?" 0 "weekdays in any case and dates, with commas, are accepted"
like "$(cat "$T/out")" "closed_days Sat,Sun 2027-01-01" "... and printed by -n -v"

# New Year's Day 2027 is a Friday; here 5 January (a Tuesday) is a holiday
# too.  Planning on Thursday 31 December: the horizon starts on Monday 4
# January and holds 3 open days, 4, 6 and 7 January.
CLOSED="sat sun 2027-01-01 2027-01-05"
start() {	# start [ARGS]: the daemon on 31 December 2026, these days closed
	daemon_start -D auth_cache=0 -D solve_timeout=30 -D plan_days=3 \
	    -D "closed_days=$CLOSED" "$@" ||
	    { echo "Bail out! recircd did not start"; exit 1; }
	OPR=$(token_add council-a operator)
	PLN=$(token_add planner planner)
	ADM=$(token_add root admin)
	api POST /v1/admin/clock "$ADM" '{"now":"2026-12-31T12:00:00Z"}' >/dev/null
}
start -D "solver=$SOLVER"
is "$(js "$(api GET /v1/status "$OPR")" | jq -c .closed)" \
    '{"weekdays":["sat","sun"],"dates":["2027-01-01","2027-01-05"]}' \
    "/v1/status shows the closed weekdays and the dates to come"
ctl_env
printf '%s\n' "$OPR" >"$T/opr.tok"
chmod 600 "$T/opr.tok"
"$CTL" -u "$URL" -t "$T/opr.tok" status >"$T/st.out" 2>&1
is "$(sed -n 's/^closed  *//p' "$T/st.out")" "sat, sun; 2027-01-01, 2027-01-05" \
    "recircctl status says them"
pickup() {	# pickup REF FROM TO LAT LON: its id
	jget "$(js "$(api POST /v1/pickups "$OPR" "{\"reference\":\"$1\",\"location\":{\"lat\":$4,\"lon\":$5},\"window\":{\"from\":\"$2\",\"to\":\"$3\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}")")" .id
}
HOL=$(pickup holiday 2027-01-05 2027-01-05 51.46 -2.59)
MON=$(pickup mon-tue 2027-01-04 2027-01-05 51.45 -2.575)
WKD=$(pickup weekend 2027-01-01 2027-01-03 51.44 -2.59)
WK1=$(pickup week-1 2027-01-04 2027-01-08 51.445 -2.58)
WK2=$(pickup week-2 2027-01-04 2027-01-08 51.47 -2.60)
plan() {	# plan: a new plan, waited for
	wait_plan "$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)" "$PLN"
}
# day ID: the day pickup ID is scheduled on
day() { jget "$(js "$(api GET "/v1/pickups/$1" "$OPR")")" '.schedule.day // "none"'; }
# routedays PLAN: the days plan PLAN has routes on
routedays() {
	api GET "/v1/plans/$1/routes" "$PLN" | cut -d' ' -f2- |
	    jq -r '[.routes[].day] | unique | join(" ")'
}
p=$(plan)
P1=$(jget "$p" .id)
is "$(jget "$p" '"\(.state) \(.horizon.from) \(.horizon.days)"')" "done 2027-01-04 4" \
    "the horizon starts on the first open day and holds 3 open days"
is "$(sql "SELECT problem FROM plans WHERE id = $P1" | jq -c .horizon.closed)" \
    '["2027-01-05"]' "the solver is told the closed day in it"
is "$(printf '%s' "$p" | jq -c .horizon.closed)" '["2027-01-05"]' "the plan shows it"
is "$(sql "SELECT problem FROM plans WHERE id = $P1" | jq -c '.centres[] | select(.id == "avonmouth") | .capacity.reuse')" \
    "$(jq '.centres[] | select(.id == "avonmouth") | .capacity_kg.reuse * 3' "$top_srcdir/data/demo-network.json")" \
    "a centre's capacity counts the three open days, not the holiday"
printf '%s\n' "$PLN" >"$T/pln.tok"
chmod 600 "$T/pln.tok"
"$CTL" -u "$URL" -t "$T/pln.tok" plan show "$P1" >"$T/show.out" 2>&1
like "$(cat "$T/show.out")" "2027-01-04, 4 days, closed 2027-01-05" \
    "recircctl plan show names the closed day"
"$CTL" -u "$URL" -t "$T/pln.tok" routes --plan "$P1" --day 2027-01-05 >"$T/out" 2>"$T/err"
is "$?" 1 "recircctl routes --day on the closed day: exit 1"
like "$(cat "$T/err")" "2027-01-05 is a closed day in plan $P1" "... saying it is closed"
is "$(jget "$p" .kpis.routes_source)" solver "the solver's routes"
days=$(routedays "$P1")
unlike "$days" 2027-01-05 "no route on the holiday ($days)"
is "$(day "$HOL")" 2027-01-06 "a window of the holiday alone: the next open day"
is "$(day "$MON")" 2027-01-04 "a window of Monday and the holiday: Monday"
is "$(day "$WKD")" 2027-01-04 "a window of closed days before the horizon: its first day"
for id in "$WK1" "$WK2"; do
	d=$(day "$id")
	ok "$(case $d in 2027-01-0[467]) echo 0 ;; *) echo 1 ;; esac)" \
	    "a pickup of the week on an open day ($d)"
done

# The fallback (a solver that gives no routes) keeps the days closed too.
daemon_stop
printf '#!/bin/sh\n"%s" "$@" | jq -c "del(.routes)"\n' "$SOLVER" > "$T/noroutes.sh"
chmod +x "$T/noroutes.sh"
start -D "solver=$T/noroutes.sh"
p=$(plan)
P2=$(jget "$p" .id)
is "$(jget "$p" '"\(.state) \(.kpis.routes_source)"')" "done fallback" \
    "a plan without the solver's routes: the fallback's"
days=$(routedays "$P2")
unlike "$days" 2027-01-05 "the fallback: no route on the holiday ($days)"
is "$(day "$HOL") $(day "$WKD")" "2027-01-06 2027-01-04" \
    "the fallback: the holiday's pickup the next open day, the overdue one the first"
daemon_stop

# Dispatch Wednesday 6 January; then the council closes that day too.
start -D "solver=$SOLVER"
p=$(plan)
P3=$(jget "$p" .id)
VD=$(api GET "/v1/plans/$P3/routes" "$PLN" | cut -d' ' -f2- |
    jq -r '[.routes[] | select(.day == "2027-01-06")][0].vehicle')
r=$(api POST "/v1/plans/$P3/dispatch/$VD?day=2027-01-06" "$PLN")
is "$(st "$r")" 200 "Wednesday's route dispatched"
is "$(jget "$(js "$(api GET "/v1/pickups/$HOL" "$OPR")")" .schedule.pinned)" \
    dispatched "the holiday's pickup is pinned to Wednesday"
daemon_stop
CLOSED="$CLOSED 2027-01-06"
start -D "solver=$SOLVER"
p=$(plan)
P4=$(jget "$p" .id)
is "$(jget "$p" '"\(.state) \(.horizon.from) \(.horizon.days) \(.horizon.closed | join(","))"')" \
    "done 2027-01-04 5 2027-01-05,2027-01-06" \
    "the horizon grows to hold 3 open days: 4, 7 and 8 January"
days=$(routedays "$P4")
unlike "$days" 2027-01-06 "no route on the newly closed day ($days)"
unlike "$days" 2027-01-05 "nor on the holiday"
is "$(day "$HOL")" 2027-01-07 "the dispatched pickup moves to the next open day"
is "$(jget "$(js "$(api GET "/v1/pickups/$HOL" "$OPR")")" '.schedule.pinned // "none"')" \
    none "... and is no longer shown pinned"
is "$(jget "$p" "[.changes.moved[] | select(.pickup == \"$HOL\" or .pickup == $HOL)] | length")" 1 \
    "the change report lists it as moved"

# Carried over (carry_over_days, default 14): the crew could not collect
# the holiday's pickup on the 7th; its window (the 5th) has passed, but it
# is still owed, so the plan of Monday 11 January routes it on its first
# day.  A pickup scheduled and never reported is not carried over.  Three
# weeks later it is left out.
OPS=$(token_add ops-desk ops)
notcollected() {
	api POST "/v1/pickups/$1/events" "$OPS" '{"type":"not_collected","code":"no_access"}'
}
is "$(st "$(notcollected "$HOL")")" 200 "the holiday's pickup reported not collected"
api POST /v1/admin/clock "$ADM" '{"now":"2027-01-10T12:00:00Z"}' >/dev/null
p=$(plan)
P5=$(jget "$p" .id)
is "$(jget "$p" '"\(.state) \(.horizon.from)"')" "done 2027-01-11" "a plan from Monday 11 January"
is "$(day "$HOL")" 2027-01-11 "the pickup not collected is carried over to its first day"
is "$(jget "$p" .kpis.pickups.overdue)" 1 "the plan counts it overdue"
"$CTL" -u "$URL" -t "$T/pln.tok" plan show "$P5" >"$T/show.out" 2>&1
like "$(sed -n 's/^pickups  *//p' "$T/show.out")" ", 1 overdue" "recircctl plan show says so"
is "$(jget "$(js "$(api GET "/v1/pickups/$MON" "$OPR")")" .schedule.plan)" "$P4" \
    "a pickup scheduled and not reported is not carried over"
# The reports the desk has to chase: scheduled before today (10 January),
# not reported; the pickup carried over is on the 11th.
un=$(js "$(api GET "/v1/pickups?unreported=true&limit=100" "$OPS")" |
    jq -r '[.pickups[].id | tostring] | sort | join(" ")')
is "$un" "$(printf '%s\n' "$MON" "$WKD" "$WK1" "$WK2" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "unreported: the pickups scheduled before today with no report"
is "$(st "$(api GET "/v1/pickups?unreported=true&status=collected" "$OPS")")" 400 \
    "unreported with another status than scheduled: 400"
is "$(st "$(api GET "/v1/pickups?unreported=maybe" "$OPS")")" 400 \
    "unreported neither true nor false: 400"
printf '%s\n' "$OPS" >"$T/ops.tok"
chmod 600 "$T/ops.tok"
"$CTL" -u "$URL" -t "$T/ops.tok" --tsv pickups list --unreported >"$T/un.out" 2>&1
is "$(tail -n +2 "$T/un.out" | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//')" "$un" \
    "recircctl pickups list --unreported lists them"
is "$(st "$(notcollected "$HOL")")" 200 "not collected again"
api POST /v1/admin/clock "$ADM" '{"now":"2027-01-31T12:00:00Z"}' >/dev/null
p=$(plan)
is "$(jget "$p" '"\(.state) \(.kpis.pickups.overdue)"')" "done 0" \
    "26 days after its window it is no longer carried over"
is "$(jget "$(js "$(api GET "/v1/pickups/$HOL" "$OPR")")" '"\(.status) \(.schedule.day // "none")"')" \
    "received none" "... and stays received, unplanned"

# Booking a window without a collection day (today, Sunday 31 January by
# the planner's clock, and the weekend of 6-7 February): taken, with a
# warning naming the first day that is one.
doc() {	# doc REF FROM TO: a pickup document
	printf '{"reference":"%s","location":{"lat":51.45,"lon":-2.58},"window":{"from":"%s","to":"%s"},"items":[{"category":"chair","quantity":1}]}' "$1" "$2" "$3"
}
r=$(api POST /v1/pickups/validate "$OPR" "$(doc w1 2027-02-06 2027-02-07)")
is "$(st "$r")" 200 "validate: a weekend's window is valid"
is "$(jget "$(js "$r")" '.warnings[0] | "\(.code) \(.field) \(.earliest)"')" \
    "no_collection_day window 2027-02-08" "... with a warning: due Monday"
is "$(jget "$(js "$r")" '.warnings[0].message')" \
    "no day from 2027-02-06 to 2027-02-07 is a collection day; the earliest is Monday 2027-02-08" \
    "... saying so"
r=$(api POST /v1/pickups/validate "$OPR" "$(doc w2 2027-01-31 2027-01-31)")
is "$(jget "$(js "$r")" '.warnings[0].message')" \
    "2027-01-31 is not a collection day; the earliest is Monday 2027-02-01" \
    "today's window: plans start on the next open day"
r=$(api POST /v1/pickups/validate "$OPR" "$(doc w3 2027-02-05 2027-02-06)")
is "$(jget "$(js "$r")" '.warnings | length')" 0 "a window with an open day: no warning"
r=$(api POST /v1/pickups/validate "$OPR" "$(doc w4 2027-01-30 2027-01-30)")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "422 invalid_window" \
    "yesterday by the planner's clock is in the past"
r=$(api POST /v1/pickups "$OPR" "$(doc late 2027-02-06 2027-02-07)")
is "$(st "$r") $(jget "$(js "$r")" '.warnings[0].earliest')" "201 2027-02-08" \
    "submitted: 201, the same warning"
LATE=$(jget "$(js "$r")" .id)
r=$(api POST /v1/pickups "$OPR" "$(doc late 2027-02-06 2027-02-07)")
is "$(st "$r") $(jget "$(js "$r")" '.warnings[0].earliest')" "200 2027-02-08" \
    "a repeat: 200, and the warning again"
amend() {	# amend ID PATCH: the body, and the status on a line of its own
	_s=$(api_curl "$T/amend" -X PATCH -H "Authorization: Bearer $OPR" \
	    -H 'Content-Type: application/merge-patch+json' --data-binary "$2" \
	    "$URL/v1/pickups/$1")
	printf '%s\n%s' "$(cat "$T/amend")" "$_s"
}
r=$(amend "$LATE" '{"window":{"from":"2027-02-13","to":"2027-02-13"}}')
is "$(tail -n 1 <<<"$r") $(head -n -1 <<<"$r" | jq -r '.warnings[0].earliest')" \
    "200 2027-02-15" "an amendment to a Saturday is warned of"
r=$(amend "$LATE" '{"notes":"by the gate"}')
is "$(head -n -1 <<<"$r" | jq -c '[.changed, (.warnings | length)]')" '[["notes"],0]' \
    "new notes alone: no warning"
r=$(amend "$LATE" '{"window":{"from":"2027-02-03","to":"2027-02-03"}}')
is "$(head -n -1 <<<"$r" | jq -r '.warnings | length')" 0 \
    "an amendment to a Wednesday: none"
api_curl "$T/o311" "$URL/open311/v2/requests.json" -d "api_key=$OPR" \
    -d service_code=chair -d lat=51.45 -d long=-2.58 \
    -d 'attribute[first_day]=2027-02-06' -d 'attribute[last_day]=2027-02-07' >/dev/null
like "$(jq -r '.[0].service_notice' "$T/o311")" \
    "Note: no day from 2027-02-06 to 2027-02-07 is a collection day; the earliest is Monday 2027-02-08." \
    "Open311's service notice says it"
doc w5 2027-02-06 2027-02-06 >"$T/w5.json"
printf '%s\n' "$OPR" >"$T/opr.tok"
"$CTL" -u "$URL" -t "$T/opr.tok" pickups check "$T/w5.json" >"$T/out" 2>"$T/err"
is "$?" 0 "recircctl pickups check: a warning is no failure"
like "$(cat "$T/err")" "w5.json #1 (w5): warning: 2027-02-06 is not a collection day; the earliest is Monday 2027-02-08" \
    "... it is said on standard error"
"$CTL" -u "$URL" -t "$T/opr.tok" pickups amend "$LATE" --window 2027-02-07 >"$T/out" 2>"$T/err"
is "$?" 0 "recircctl pickups amend to a Sunday: exit 0"
like "$(cat "$T/err")" "pickup $LATE: warning: 2027-02-07 is not a collection day" \
    "... and the warning"
daemon_stop
done_testing
