#!/bin/bash
# daemon-plan-defer.sh -- more pickups due on one day than the fleet can
# collect: the plan defers the rest, each with the solver's reason code
# (never a bare not_routed), and what it routes keeps the vehicles'
# limits.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

demo_city
ok $? "seed the demo city"
daemon_start -D "solver=$SOLVER" -D solve_timeout=60 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add springfield operator)
PLN=$(token_add planner-1 planner)
ADM=$(token_add admin-1 admin)

# A thin fleet: one vehicle of each type, at most 4 stops a route.
bad=0
for v in $(jget "$(js "$(api GET /v1/fleet "$ADM")")" '.fleet[].id'); do
	body=$(js "$(api GET "/v1/fleet/$v" "$ADM")" | jq -c '.count = 1 | .max_stops = 4')
	[ "$(st "$(api PUT "/v1/fleet/$v" "$ADM" "$body")")" = 200 ] || bad=$((bad + 1))
done
is "$bad" 0 "the fleet cut to one vehicle a type, 4 stops a route"
MAXSTOPS=$(jget "$(js "$(api GET /v1/fleet "$ADM")")" '[.fleet[].max_stops] | max')
is "$MAXSTOPS" 4 "... and read back"

# 60 pickups, all due tomorrow.
D1=$(date -u -d '+1 day' +%F)
sed -e "s/@D[0-9]*@/$D1/g" "$top_srcdir/data/demo-pickups.jsonl" | head -60 > "$T/pickups.jsonl"
bad=0
while IFS= read -r line; do
	[ "$(st "$(api POST /v1/pickups "$OPR" "$line")")" = 201 ] || bad=$((bad + 1))
done < "$T/pickups.jsonl"
is "$bad" 0 "60 pickups due tomorrow submitted"

P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "plan $P is done"
api GET "/v1/plans/$P/routes" "$PLN" | cut -d' ' -f2- > "$T/routes.json"
nst=$(jq '[.routes[].stops[]] | length' "$T/routes.json")
ndef=$(jq '.deferred | length' "$T/routes.json")
is "$((nst + ndef))" 60 "routed ($nst) + deferred ($ndef) = submitted"
ok $((ndef == 0)) "the thin fleet defers some"
is "$(jq '[.routes[] | select((.stops | length) > 4)] | length' "$T/routes.json")" 0 \
    "no route has more than 4 stops"
is "$(jq -r '.routes[0].source' "$T/routes.json")" solver "the routes are the solver's"
nnr=$(jq '[.deferred[] | select(.reason | test("^[a-z_]+$") | not)] | length' "$T/routes.json")
is "$nnr" 0 "every deferred reason is a code (lower case and _), not text"
nnr=$(jq '[.deferred[] | select(.reason == "not_routed")] | length' "$T/routes.json")
is "$nnr" 0 "none is a bare not_routed: each carries the solver's reason"
echo "# reasons: $(jq -c '[.deferred[].reason] | group_by(.) | map({(.[0]): length}) | add' "$T/routes.json")"

daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
