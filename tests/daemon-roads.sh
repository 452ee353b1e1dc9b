#!/bin/bash
# daemon-roads.sh -- plans on road distances and times from a road router
# (OSRM's table service; tests/osrm-stub on loopback, a street grid over
# the demo city): requests chunked to router_max_table and retried on 429
# and 5xx; every leg of a route, and every ETA, is the router's (checked
# here by asking the router ourselves); a re-plan asks only for what the
# cache lacks; a router that is down gives straight lines that the KPIs
# own up to (router_fallback haversine) or a failed plan that says why
# (router_fallback no); an error the router answers is not retried.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }
. "$top_srcdir/tests/lib-roads.sh"
# Streets every 400 m from south-west of Hengrove to north-east of
# Avonmouth and Kingswood, at 30 km/h.
GRAPH=$T/grid.json
echo '{"grid":{"lat":51.40,"lon":-2.71,"rows":32,"cols":40,"step_m":400,"kmh":30}}' \
    > "$GRAPH"

: > "$T/stub.log"
stub_start -m 5 -f 429,500
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D router_max_table=5 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
PLN=$(token_add planner planner)
OPS=$(token_add ops-desk ops)

# Twelve one-item pickups for tomorrow, without hour windows, so that
# each ETA is the one before it, plus ten minutes of service, plus the
# router's drive.
D1=$(date -u -d '+1 day' +%F)
i=0
for ll in "51.4611 -2.5901" "51.4480 -2.5620" "51.4702 -2.6055" \
    "51.4555 -2.5800" "51.4400 -2.6100" "51.4650 -2.5500" \
    "51.4300 -2.5900" "51.4750 -2.5700" "51.4520 -2.6200" \
    "51.4210 -2.5750" "51.4830 -2.6000" "51.4600 -2.5300"; do
	i=$((i + 1))
	set -- $ll
	api POST /v1/pickups "$OPR" "{\"reference\":\"r-$i\",\"location\":{\"lat\":$1,\"lon\":$2},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}" >/dev/null
done

plan() {	# plan: run one, print it when done
	_id=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
	wait_plan "$_id" "$PLN"
}
p=$(plan)
PLAN=$(jget "$p" .id)
is "$(jget "$p" .state)" done "a plan on the router's roads"
like "$(jget "$p" .kpis.distances)" "road (osrm driving" "the KPIs say so"
bad=$(awk '$1 == "table" && ($2 > 5 || $3 > 5)' "$T/stub.log" | wc -l)
is "$bad" 0 "every table request within router_max_table (5 x 5)"
n1=$(tables)
# 12 pickups and 5 centres: 17 places, 4 x 4 blocks, and the two faults.
is "$n1" 18 "16 blocks of the table, two of them asked twice (429, 500)"
is "$(awk '$1 == "table" && $NF == "ok" { s += $2 * $3 } END { print s }' "$T/stub.log")" 289 \
    "the answered blocks cover the 17 x 17 pairs exactly once"

# Every leg and ETA of every route is the router's.
api GET "/v1/plans/$PLAN/routes" "$OPS" | cut -d' ' -f2- > "$T/routes.json"
js "$(api GET /v1/centres "$OPS")" > "$T/centres.json"
routes_follow "$T/routes.json" "$T/centres.json" 10
nr=$RF_NR
is "$RF_BAD" 0 "each of the $RF_NSTOPS ETAs and $nr routes' km are the router's ($RF_LEGS legs)"
is "$RF_NSTOPS" 12 "... and every pickup is on a route"

# The map's routes follow the router's roads (its route service).
api GET "/v1/plans/$PLAN/routes?format=geojson" "$OPS" | cut -d' ' -f2- > "$T/geo.json"
is "$(grep -c '^route ' "$T/stub.log")" "$nr" "one route request per route"
is "$(jq '[.features[] | select(.properties.kind == "route") |
    select((.geometry.coordinates | length) > .properties.stops + 2)] | length' "$T/geo.json")" \
    "$nr" "each route's LineString follows the streets (more points than stops)"
# On the grid, each step of the path moves along one street: north-south
# or east-west, never both (a straight segment between stops would).
is "$(jq '[.features[] | select(.properties.kind == "route") | .geometry.coordinates |
    [range(1; length) as $i | [.[$i - 1], .[$i]]] | .[] |
    select((.[0][0] - .[1][0] | fabs) > 1e-4 and (.[0][1] - .[1][1] | fabs) > 1e-4)] | length' \
    "$T/geo.json")" 0 "... along the grid's streets only"
if command -v python3 >/dev/null; then
	api_curl "$T/gpx" -H "Authorization: Bearer $OPS" \
	    "$URL/v1/plans/$PLAN/routes?format=gpx" >/dev/null
	python3 "$top_srcdir/tests/gpx-lines.py" < "$T/gpx" > "$T/gpx.lines"
	is "$(awk '$1 == "track" { print $NF }' "$T/gpx.lines" | sort -n | tr '\n' ' ')" \
	    "$(jq '.features[] | select(.properties.kind == "route") | .geometry.coordinates | length' \
	    "$T/geo.json" | sort -n | tr '\n' ' ')" \
	    "GPX: a track a route along the same roads"
fi

# A re-plan asks only for what the cache lacks: nothing.
n1=$(tables)	# (with the legs asked for above)
p=$(plan)
is "$(jget "$p" .state)" done "a re-plan"
is "$(tables)" "$n1" "... asks the router nothing: every leg is cached"
like "$(jget "$p" .kpis.distances)" "272 legs, 272 from the cache" "... and says so"
s=$(js "$(api GET /v1/status "$OPS")")
is "$(jget "$s" '.router | "\(.kind) \(.cache_hits) \(.failures)"')" "osrm 272 0" \
    "/v1/status counts the cache's hits"

# The router goes away: straight lines, and the KPIs say why.
stub_stop
api POST /v1/pickups "$OPR" "{\"reference\":\"r-new\",\"location\":{\"lat\":51.45,\"lon\":-2.58},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}" >/dev/null
p=$(plan)
is "$(jget "$p" .state)" done "router down, router_fallback haversine: the plan is made"
like "$(jget "$p" .kpis.distances)" "haversine (router unreachable" \
    "... on straight lines, and the KPIs say why"
api GET "/v1/plans/$(jget "$p" .id)/routes?format=geojson" "$OPS" | cut -d' ' -f2- > "$T/geo.json"
is "$(jq '[.features[] | select(.properties.kind == "route") |
    select((.geometry.coordinates | length) != .properties.stops + 2)] | length' "$T/geo.json")" \
    0 "... and its routes are drawn as straight segments"
daemon_stop

# router_fallback no: the plan fails and says why.
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D router_max_table=5 -D plan_days=1 \
    -D router_fallback=no -D router_timeout=2 ||
    { echo "Bail out! recircd did not start"; exit 1; }
p=$(plan)
is "$(jget "$p" .state)" failed "router down, router_fallback no: the plan fails"
like "$(jget "$p" .reason)" "road router: router unreachable" "... saying why"

# An error the router answers (a table too big for it) is not retried.
: > "$T/stub.log"
stub_start -m 3
daemon_stop
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D router_max_table=5 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
p=$(plan)
is "$(jget "$p" .state)" done "a router error: the plan is made on straight lines"
like "$(jget "$p" .kpis.distances)" "TooBig" "... the KPIs quote the router"
# Only r-new's legs are not cached: its row and column of 4 x 4 blocks,
# 7 blocks, each asked once.
is "$(tables) $(js "$(api GET /v1/status "$OPS")" | jq .router.requests)" "7 7" \
    "... only the blocks the cache lacks were asked for, none twice"
stub_stop
daemon_stop

# A slow router does not hold the daemon: a reload (SIGHUP) while a plan
# waits for its legs is done at once, not after them.
: > "$T/stub.log"
stub_start -d 1500
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
    -D "router=osrm $OSRM" -D router_max_table=5 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
api POST /v1/pickups "$OPR" "{\"reference\":\"r-slow\",\"location\":{\"lat\":51.4401,\"lon\":-2.5501},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}" >/dev/null
SLOW=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
for _i in $(seq 200); do grep -q '^table' "$T/stub.log" && break; sleep 0.05; done
kill -HUP "$RECIRCD_PID"
wait_plan "$SLOW" "$PLN" >/dev/null
log=$T/recircd.log.$PORT
r=$(grep -n "configuration reloaded" "$log" | head -n 1 | cut -d: -f1)
d=$(grep -n "plan $SLOW: distances" "$log" | head -n 1 | cut -d: -f1)
is "$([ -n "$r" ] && [ -n "$d" ] && [ "$r" -lt "$d" ] && echo yes)" yes \
    "a reload during the legs' fetch is done before the legs are in"
stub_stop; daemon_stop

# What else a router does wrong, each on the first request of a plan
# (a new pickup each time, so that some legs are missing).
newpk() {	# newpk REF LAT LON: a pickup for tomorrow; prints its id
	js "$(api POST /v1/pickups "$OPR" "{\"reference\":\"$1\",\"location\":{\"lat\":$2,\"lon\":$3},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}")" |
	    jq -r .id
}
router_case() {	# router_case FAULT: a stub answering FAULT first
	: > "$T/stub.log"
	stub_start -f "$1"
	daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=30 \
	    -D "router=osrm $OSRM" -D router_max_table=5 -D plan_days=1 \
	    -D router_timeout=1 || { echo "Bail out! recircd did not start"; exit 1; }
}
router_case timeout
newpk r-t 51.4412 -2.5512 >/dev/null
p=$(plan)
like "$(jget "$p" '"\(.state) \(.kpis.distances)"')" "done road (osrm" \
    "a request that times out (router_timeout 1) is tried again"
like "$(grep '^table' "$T/stub.log" | head -n 1)" " timeout" "... the stub saw the first go unanswered"
stub_stop; daemon_stop
router_case invalid
newpk r-i 51.4423 -2.5523 >/dev/null
p=$(plan)
like "$(jget "$p" '"\(.state) \(.kpis.distances)"')" "done haversine (router error (HTTP 400): InvalidQuery" \
    "InvalidQuery: not tried again, straight lines, the router's words"
stub_stop; daemon_stop
router_case garbage
newpk r-g 51.4434 -2.5534 >/dev/null
p=$(plan)
like "$(jget "$p" '"\(.state) \(.kpis.distances)"')" "done haversine (router error (HTTP 200): a reply that is not JSON" \
    "a reply that is not JSON: straight lines, saying so"
stub_stop; daemon_stop
# A router that finds no road for any leg it is asked for: the legs not
# cached (the new pickup's among them) have none.
router_case "$(printf 'nulls,%.0s' $(seq 30))ok"
PN=$(newpk r-n 51.4445 -2.5545)
p=$(plan)
is "$(jget "$p" .state)" done "a router with no road to a new pickup: the plan is made"
like "$(jget "$p" .kpis.distances)" "road (osrm" "... on the roads"
is "$(js "$(api GET "/v1/pickups/$PN" "$OPR")" | jq -r .deferred.reason)" unreachable \
    "... and that pickup is deferred as unreachable"
stub_stop
daemon_stop
done_testing
