#!/bin/bash
# daemon-report.sh -- GET /v1/reports/field and recircctl report: what the
# crews collected, could not collect (and why) and sorted into each stream
# over a span of days, with the kg and the rates, counted here from the
# events the test recorded; one operator's or all; an operator sees only
# its own; the days bound it; bad queries are 400.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
ctl_env

demo_city
ok $? "seed the demo city"
daemon_start -D "solver=$SOLVER" -D solve_timeout=120 -D plan_days=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add springfield operator)
OTH=$(token_add weee-ltd operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)
printf '%s\n' "$OPS" >"$T/ops.token"
printf '%s\n' "$OTH" >"$T/oth.token"
TODAY=$(date -u +%F)
D1=$(date -u -d '+1 day' +%F)
YESTERDAY=$(date -u -d '-1 day' +%F)

demo_pickups 20 >"$T/pickups.jsonl"
bad=0
while IFS= read -r line; do
	[ "$(st "$(api POST /v1/pickups "$OPR" "$line")")" = 201 ] || bad=$((bad + 1))
done <"$T/pickups.jsonl"
is "$bad" 0 "20 demo pickups submitted"
W=$(jget "$(js "$(api POST /v1/pickups "$OTH" "{\"reference\":\"w-1\",\"location\":{\"lat\":51.46,\"lon\":-2.59},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1}]}")")" .id)
P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
is "$(jget "$(wait_plan "$P" "$PLN")" .state)" done "plan $P is done"
api GET "/v1/plans/$P/routes" "$PLN" | cut -d' ' -f2- >"$T/routes.json"
jq --argjson w "$W" '[.routes[].stops[].pickup | select(. != $w)] | .[0:7] | .[]' \
    "$T/routes.json" >"$T/stops"
ok $([ "$(wc -l <"$T/stops")" -eq 7 ]; echo $?) "seven of springfield's scheduled pickups to report on"
mapfile -t S <"$T/stops"

ev() { st "$(api POST "/v1/pickups/$1/events" "$OPS" "$2")"; }
bad=0
for e in "${S[0]} collected 31.5" "${S[1]} collected 20" "${S[2]} collected" \
    "${S[3]} collected 12.25"; do
	set -- $e
	if [ -n "${3:-}" ]; then b="{\"type\":\"collected\",\"weight_kg\":$3}"
	else b='{"type":"collected"}'; fi
	[ "$(ev "$1" "$b")" = 200 ] || bad=$((bad + 1))
done
[ "$(ev "${S[4]}" '{"type":"not_collected","code":"no_access"}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[5]}" '{"type":"not_collected","code":"no_access"}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[6]}" '{"type":"not_collected","code":"contaminated"}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[0]}" '{"type":"sorted","stream":"reuse","weight_kg":30}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[1]}" '{"type":"sorted","stream":"reuse","weight_kg":18}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[2]}" '{"type":"sorted","stream":"dispose","weight_kg":12}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "${S[3]}" '{"type":"sorted","stream":"repair"}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "$W" '{"type":"collected","weight_kg":40}')" = 200 ] || bad=$((bad + 1))
[ "$(ev "$W" '{"type":"sorted","stream":"recycle","weight_kg":40}')" = 200 ] || bad=$((bad + 1))
is "$bad" 0 "the crews' events recorded (13)"

# --- the whole network, this month -----------------------------------------------
r=$(api GET /v1/reports/field "$OPS")
is "$(st "$r")" 200 "GET /v1/reports/field (ops): 200"
b=$(js "$r")
is "$(jget "$b" '"\(.from) \(.to) \(.operator)"')" "$(date -u +%Y-%m-01) $TODAY null" \
    "by default this month to today, every operator"
is "$(jget "$b" '"\(.collected) \(.collected_kg)"')" "5 103.75" \
    "collected: 5 pickups, 31.5 + 20 + 12.25 + 40 kg"
is "$(jget "$b" '"\(.not_collected) \(.not_collected_by_code | tojson)"')" \
    '3 {"not_out":0,"no_access":2,"contaminated":1,"overweight":0}' \
    "not collected: 3, two no_access and one contaminated"
is "$(jget "$b" '"\(.sorted) \(.sorted_by_stream | tojson) \(.sorted_kg_by_stream | tojson)"')" \
    '5 {"repair":1,"reuse":2,"recycle":1,"dispose":1} {"repair":0,"reuse":48,"recycle":40,"dispose":12}' \
    "sorted: per stream, pickups and kg"
is "$(jget "$b" '[.diversion_rate, .reuse_rate, .repair_rate, .diversion_rate_kg] | map(. * 1000 | round) | join(" ")')" \
    "800 400 200 880" "rates: 4 of 5 diverted, 2 reused, 1 repaired; 88 of 100 kg diverted"

# --- one operator --------------------------------------------------------------------
b=$(js "$(api GET '/v1/reports/field?operator=springfield' "$OPS")")
is "$(jget "$b" '"\(.operator) \(.collected) \(.sorted) \(.sorted_by_stream.recycle)"')" \
    "springfield 4 4 0" "?operator=springfield: its own events only"
b=$(js "$(api GET '/v1/reports/field?operator=springfield' "$OTH")")
is "$(jget "$b" '"\(.operator) \(.collected) \(.collected_kg) \(.sorted_by_stream.recycle)"')" \
    "weee-ltd 1 40 1" "an operator sees its own, whatever it asks for"

# --- the days bound it -------------------------------------------------------------
b=$(js "$(api GET "/v1/reports/field?from=$YESTERDAY&to=$YESTERDAY" "$OPS")")
is "$(jget "$b" '"\(.collected) \(.not_collected) \(.sorted) \(.diversion_rate)"')" "0 0 0 null" \
    "yesterday: nothing, and no rate"
b=$(js "$(api GET "/v1/reports/field?from=$YESTERDAY&to=$TODAY" "$OPS")")
is "$(jget "$b" .collected)" 5 "yesterday to today: today's events"
for q in 'from=yesterday' "from=$TODAY&to=$YESTERDAY" 'to=2026-02-30' \
    "from=2020-01-01&to=$TODAY" 'operator='; do
	r=$(api GET "/v1/reports/field?$q" "$OPS")
	is "$(st "$r") $(jget "$(js "$r")" .error.code)" "400 invalid_value" "?$q: 400"
done

# --- the plan's KPIs count the same way ----------------------------------------------
k=$(js "$(api GET "/v1/plans/$P" "$PLN")")
inplan=$(db_query "select count(*) from plan_assignments where plan_id = $P and pickup_id = $W")
is "$(jget "$k" '.kpis.field | "\(.collected) \(.not_collected_by_code.no_access) \(.sorted_kg_by_stream.reuse)"')" \
    "$((4 + inplan)) 2 48" "plan $P's field KPIs: its pickups' events, by code and kg too"

# --- recircctl report ------------------------------------------------------------------
run -u "$URL" -t "$T/ops.token" report
is "$rc" 0 "recircctl report: exit 0"
is "$(sed -n 's/^collected  *//p' "$T/out")" "5 pickups, 103.8 kg weighed" "collected line"
is "$(sed -n 's/^not collected  *//p' "$T/out")" "3: no_access 2, contaminated 1" \
    "not collected, and why"
is "$(sed -n 's/^diverted  *//p' "$T/out")" \
    "80% of pickups, 88% of kg; reuse 40%, repair 20%" "the rates"
is "$(awk '$1 == "reuse" { print $2, $3, $4 }' "$T/out")" "2 48.0 48%" "the reuse row of the table"
run -u "$URL" -t "$T/oth.token" report
is "$(sed -n 's/^collected  *//p' "$T/out")" "1 pickup, 40.0 kg weighed" "one pickup, not pickups"
run -u "$URL" -t "$T/ops.token" --tsv report --operator weee-ltd --from "$YESTERDAY"
P="$YESTERDAY\t$(date -u +%F)\tweee-ltd"
is "$(cat "$T/out")" "$(printf "FROM\tTO\tOPERATOR\tSTREAM\tPICKUPS\tKG\tSHARE OF KG\n$P\trepair\t0\t0.0\t0%%\n$P\treuse\t0\t0.0\t0%%\n$P\trecycle\t1\t40.0\t100%%\n$P\tdispose\t0\t0.0\t0%%")" \
    "--tsv --operator --from: the streams table alone, each row with the period and operator"
run -u "$URL" -t "$T/oth.token" -j report
is "$(jq -r .operator "$T/out")" weee-ltd "-j: an operator's own report"
run -u "$URL" -t "$T/ops.token" report --from soon
is "$rc" 1 "a bad --from: the server says no (exit 1)"
has "$T/err" "from must be a day YYYY-MM-DD" "with its message"

daemon_stop
done_testing
