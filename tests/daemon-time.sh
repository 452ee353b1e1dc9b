#!/bin/bash
# daemon-time.sh -- the city's time zone (recircd.conf: timezone): plans
# for the last Sunday of March and of October in Europe/London, the days
# summer time starts and ends, give ETAs whose RFC 3339 instants carry
# that day's offset (+01:00, then +00:00) in the pickups, the routes,
# Open311 and the manifest; plan_at stays on the city's wall clock
# through the change; "tomorrow" is the city's; an unknown zone is
# refused at start.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -f /usr/share/zoneinfo/Europe/London ] ||
    skip_all "no tz database (Debian package tzdata)"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }

"$RECIRCD" -n -D timezone=Europe/Lundon > "$T/out" 2>&1
is "$?" 1 "an unknown zone is refused"
like "$(cat "$T/out")" "timezone Europe/Lundon: no such zone" "... saying so"

daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D timezone=Europe/London -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
PLN=$(token_add planner planner)
ADM=$(token_add root admin)

# plan_on DAY OFFSET: pickups for DAY, the clock the day before, a plan;
# every ETA's instant must carry OFFSET.
plan_on() {
	_day=$1 _off=$2
	api POST /v1/admin/clock "$ADM" "{\"now\":\"$(date -u -d "$_day -1 day" +%F)T12:00:00Z\"}" >/dev/null
	for _i in 1 2 3; do
		api POST /v1/pickups "$OPR" "{\"reference\":\"$_day-$_i\",\"location\":{\"lat\":51.4$_i,\"lon\":-2.5$_i},\"window\":{\"from\":\"$_day\",\"to\":\"$_day\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}" >/dev/null
	done
	_id=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
	_p=$(wait_plan "$_id" "$PLN")
	is "$(jget "$_p" '"\(.state) \(.horizon.from)"')" "done $_day" \
	    "a plan for $_day (the city's tomorrow)"
	api GET "/v1/plans/$_id/routes" "$PLN" | cut -d' ' -f2- > "$T/routes.json"
	_bad=$(jq -r --arg d "$_day" --arg o "$_off" '[.routes[].stops[] |
	    select(.eta_at != "\($d)T\(.eta):00\($o)")] | length' "$T/routes.json")
	_n=$(jq '[.routes[].stops[]] | length' "$T/routes.json")
	is "$_bad $_n" "0 3" "$_day: each stop's eta_at is its ETA at $_off"
	_s=$(js "$(api GET "/v1/pickups?limit=100" "$OPR")" | jq -c --arg d "$_day" \
	    '[.pickups[] | select(.schedule.day == $d)][0]')
	is "$(jget "$_s" .schedule.eta_at)" \
	    "$(jget "$_s" '"\(.schedule.day)T\(.schedule.eta):00"')$_off" \
	    "$_day: a pickup's eta_at too"
	_o=$(curl -s "$URL/open311/v2/requests/$(jget "$_s" .id).json?api_key=$OPR")
	is "$(printf '%s' "$_o" | jq -r '.[0].expected_datetime')" \
	    "$(jget "$_s" .schedule.eta_at)" "$_day: Open311's expected_datetime"
	_v=$(jq -r '.routes[0].vehicle' "$T/routes.json")
	api GET "/v1/plans/$_id/manifest/$_v" "$PLN" > "$T/manifest"
	like "$(cat "$T/manifest")" "Times are local: UTC$_off" \
	    "$_day: the manifest says which clock"
}
# Summer time starts at 01:00 UTC on 2027-03-28 and ends on 2027-10-31.
plan_on 2027-03-28 +01:00
plan_on 2027-10-31 +00:00
plan_on 2027-07-14 +01:00
daemon_stop

# plan_at is the city's wall clock: 02:00 is 01:00 UTC in summer time and
# 02:00 UTC in winter, across the change.
daemon_start -D auth_cache=0 -D timezone=Europe/London -D plan_at=02:00 ||
    { echo "Bail out! recircd did not start"; exit 1; }
ADM=$(token_add root admin)
next() {	# next NOW: the schedule's next run with the clock at NOW
	js "$(api POST /v1/admin/clock "$ADM" "{\"now\":\"$1\"}")" >/dev/null
	js "$(api GET /v1/admin/clock "$ADM")" | jq -r .next_run
}
is "$(next 2027-03-27T12:00:00Z)" 2027-03-28T01:00:00Z \
    "plan_at 02:00 on the spring day: 01:00 UTC (02:00 BST)"
is "$(js "$(api GET /v1/status "$ADM")" | jq -r .next_plan)" \
    2027-03-28T02:00:00+01:00 "/v1/status: next_plan on the city's clock"
printf '%s\n' "$ADM" >"$T/adm.tok"
chmod 600 "$T/adm.tok"
"$top_builddir/recircctl" -u "$URL" -t "$T/adm.tok" status >"$T/st.out" 2>&1
is "$(sed -n 's/^next plan  *//p' "$T/st.out")" \
    "2027-03-28 02:00 (UTC+01:00), nightly" "recircctl status says it"
is "$(next 2027-10-30T12:00:00Z)" 2027-10-31T02:00:00Z \
    "plan_at 02:00 on the autumn day: 02:00 UTC (02:00 GMT)"
is "$(next 2027-01-10T03:00:00Z)" 2027-01-11T02:00:00Z "in winter: 02:00 UTC"
is "$(next 2027-07-10T03:00:00Z)" 2027-07-11T01:00:00Z "in summer: 01:00 UTC"
daemon_stop

# Berlin: an hour further east, its own dates for its own ETAs.
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D timezone=Europe/Berlin -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-b operator)
PLN=$(token_add planner-b planner)
ADM=$(token_add root-b admin)
plan_on 2027-03-29 +02:00
daemon_stop
done_testing
