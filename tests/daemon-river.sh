#!/bin/bash
# daemon-river.sh -- plans on a road graph where the road and the straight
# line disagree: a river with one bridge, and one-way streets north of it
# (tests/osrm-stub on loopback).  Each route's km and ETAs are the
# router's, leg by leg and in the direction driven, and the order chosen
# is the one the one-way streets favour.  Then 250 places through a router
# that takes tables of at most 100 x 100: every pair of them is asked for
# exactly once.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }
. "$top_srcdir/tests/lib-roads.sh"

# The river runs west-east between two streets 1 km apart: the south bank
# (lat 51.443, two-way) and the north bank (51.452, one-way eastbound),
# with a back street (51.456, one-way westbound) joined to it at both
# ends.  Thirteen nodes on each, 0.005 degrees (350 m) apart from -2.600
# to -2.540; the one bridge is at -2.570.  St Philips' centre is nearest
# the bridge's south end.
GRAPH=$T/river.json
awk 'BEGIN {
	n = 13; printf "{\"nodes\":["
	for (s = 0; s < 3; s++)
		for (i = 0; i < n; i++)
			printf "%s[%.4f,%.3f]", s + i ? "," : "", \
			    s == 0 ? 51.443 : s == 1 ? 51.452 : 51.456, -2.600 + 0.005 * i
	printf "],\"edges\":["
	e = 0
	for (i = 0; i + 1 < n; i++) {
		printf "%s[%d,%d,30,0]", e++ ? "," : "", i, i + 1
		printf ",[%d,%d,30,1]", n + i, n + i + 1
		printf ",[%d,%d,30,1]", 2 * n + i + 1, 2 * n + i
	}
	printf ",[%d,%d,30,0],[%d,%d,30,0],[6,%d,30,0]]}\n", n, 2 * n, 2 * n - 1, 3 * n - 1, n + 6
}' > "$GRAPH"

: > "$T/stub.log"
stub_start
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
PLN=$(token_add planner planner)
OPS=$(token_add ops-desk ops)

# The graph is what it says: across the river is a long way round, and
# along the north bank only eastward is short.
set -- $(leg 51.4523 -2.585 51.4433 -2.585)
straight=$(awk 'BEGIN { print 1.3 * 6371 * (51.4523 - 51.4433) * 3.14159265 / 180 }')
ok "$(awk -v r="$1" -v s="$straight" 'BEGIN { exit !(r > 2 * s) }'; echo $?)" \
    "across the river: $1 km by road, $straight km straight (x 1.3)"
set -- $(leg 51.4523 -2.585 51.4523 -2.575)
east=$1
set -- $(leg 51.4523 -2.575 51.4523 -2.585)
ok "$(awk -v e="$east" -v w="$1" 'BEGIN { exit !(w > 3 * e) }'; echo $?)" \
    "along the north bank: $east km east, $1 km west"

# Ten one-item pickups for tomorrow, no hour windows: seven on the north
# bank, three on the south; each a few metres from a node.
D1=$(date -u -d '+1 day' +%F)
i=0
for ll in "51.4522 -2.5951" "51.4522 -2.5850" "51.4522 -2.5749" \
    "51.4522 -2.5651" "51.4522 -2.5550" "51.4522 -2.5449" \
    "51.4522 -2.5902" "51.4432 -2.5950" "51.4432 -2.5600" \
    "51.4432 -2.5450"; do
	i=$((i + 1))
	set -- $ll
	api POST /v1/pickups "$OPR" "{\"reference\":\"r-$i\",\"location\":{\"lat\":$1,\"lon\":$2},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}" >/dev/null
done
P=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "a plan over the river"
like "$(jget "$p" .kpis.distances)" "road (osrm driving: 210 legs" \
    "... on the router's 15 x 14 legs"
api GET "/v1/plans/$P/routes" "$OPS" | cut -d' ' -f2- > "$T/routes.json"
js "$(api GET /v1/centres "$OPS")" > "$T/centres.json"
routes_follow "$T/routes.json" "$T/centres.json" 10
is "$RF_BAD" 0 "each of the $RF_NSTOPS ETAs and $RF_NR routes' km are the router's ($RF_LEGS legs, in the direction driven)"
is "$RF_NSTOPS" 10 "... and every pickup is on a route"
# A route driven backwards would be longer: the solver saw one-way legs.
bad=$(awk '$1 >= 2 && !($2 < $3 - 0.05) { n++ } END { print n + 0 }' "$T/route-km")
multi=$(awk '$1 >= 2 { n++ } END { print n + 0 }' "$T/route-km")
ok "$([ "$multi" -ge 1 ] && [ "$bad" -eq 0 ]; echo $?)" \
    "each of the $multi routes of two stops or more is shorter as driven than reversed"
stub_stop
daemon_stop

# 250 places (245 pickups on a grid over the city, and the 5 centres)
# through a router that takes at most 100 x 100: 3 x 3 blocks, every
# ordered pair of places asked for exactly once, none twice.
DB=$(db_new big)
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }
: > "$T/stub.log"
stub_start -m 100 -P "$T/pairs"
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D router_max_table=100 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
PLN=$(token_add planner planner)
awk -v d="$D1" 'BEGIN { for (i = 0; i < 245; i++)
	printf "{\"reference\":\"g-%d\",\"location\":{\"lat\":%.4f,\"lon\":%.4f},\"window\":{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}\n",
	    i, 51.42 + int(i / 15) * 0.004, -2.66 + (i % 15) * 0.009, d, d }' > "$T/pickups.jsonl"
while IFS= read -r line; do api POST /v1/pickups "$OPR" "$line" >/dev/null; done < "$T/pickups.jsonl"
places=$(jq -r '"\(.location.lat) \(.location.lon)"' "$T/pickups.jsonl" |
    sort -u | wc -l)
is "$places" 245 "245 pickups at 245 places"
P=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "a plan over 250 places"
like "$(jget "$p" .kpis.distances)" "road (osrm driving: 62250 legs, 0 from the cache" \
    "... on 250 x 249 legs from the router"
is "$(awk '$1 == "table" && ($2 > 100 || $3 > 100)' "$T/stub.log" | wc -l)" 0 \
    "every table asked for is within 100 x 100"
is "$(tables)" 9 "... 9 of them (3 x 3 blocks)"
is "$(wc -l < "$T/pairs")" 62500 "the blocks hold 250 x 250 pairs"
is "$(sort "$T/pairs" | uniq -d | wc -l)" 0 "... none of them twice"
is "$(awk '$1 != $2' "$T/pairs" | sort -u | wc -l)" 62250 \
    "... every ordered pair of two places among them"
stub_stop
daemon_stop
done_testing
