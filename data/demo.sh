#!/bin/sh
# demo.sh -- the quick start's main job: run recircd on its embedded
# defaults (no configuration file; listening on 127.0.0.1, SQLite under
# ./state), seed the demo city's network, load its pickup requests as two
# operators, show what the daemon holds, plan the next three days, print
# the routes, and go through an ops desk's day: routes handed out, two
# residents' calls, a crew's report, the month's returns.  Called by
# ./quickstart demo.
#
# With DEMO_ROADS=1 the plan is made on road distances, times and paths
# from tests/osrm-stub, a stand-in OSRM router serving a 400 m street
# grid over the city on loopback (recircd.conf: router osrm URL), which
# the demo starts and stops.
#
# DEMO_DATABASE names another database for it, such as a PostgreSQL one
# (postgresql://... or libpq keywords; the database must exist), and
# DEMO_STATE another directory for its tokens and logs.
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
state=${DEMO_STATE:-$top/state}
mkdir -p "$state"
db=${DEMO_DATABASE:-$state/recircd.db}
port=8080
pid=
router=haversine
spid=

stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		wait "$pid" 2>/dev/null || true
	fi
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -TERM "$spid"
		wait "$spid" 2>/dev/null || true
	fi
}
trap stop EXIT INT TERM

if [ "${DEMO_ROADS:-0}" = 1 ]; then
	make -s tests/osrm-stub
	echo '{"grid":{"lat":51.40,"lon":-2.72,"rows":32,"cols":42,"step_m":400,"kmh":30}}' \
	    > "$state/grid.json"
	: > "$state/osrm.port"
	tests/osrm-stub -g "$state/grid.json" -p 0 > "$state/osrm.port" \
	    2>"$state/osrm.log" &
	spid=$!
	i=0
	while [ ! -s "$state/osrm.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	router="osrm http://127.0.0.1:$(cat "$state/osrm.port")"
	echo "a stand-in road router (tests/osrm-stub, a street grid) on $router"
fi

start() {
	./recircd -d -D "listen=127.0.0.1:$1" -D "database=$db" \
	    -D "solver=$top/recirc-solve" -D plan_days=3 -D solve_timeout=20 \
	    -D "router=$router" 2>"$state/recircd.log" &
	pid=$!
	i=0
	while [ $i -lt 100 ]; do
		grep -q "listening on" "$state/recircd.log" 2>/dev/null &&
		    return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# The demo city's network: centres, fleet, processors (recircd seed).
./recircd -D "database=$db" seed data/demo-network.json
if ! start "$port"; then
	# 8080 is taken on this machine: any free port will do for the demo,
	# drawn below the ephemeral ports as the tests draw theirs, a few
	# times in case another server holds the one drawn.
	. "$top/tests/port.sh"
	tries=0
	while :; do
		port=$(port_draw)
		start "$port" && break
		tries=$((tries + 1))
		[ $tries -lt 5 ] || { cat "$state/recircd.log" >&2; exit 1; }
	done
fi
url=http://127.0.0.1:$port
# The database as recircd shows it (a password masked): its own log line.
shown=$(sed -n 's/.* listening on [^,]*, database //p' "$state/recircd.log" |
    head -n 1)
echo "recircd is running on $url (database $shown)"

token() {	# token NAME ROLE: reuse the demo token of NAME or make one
	f=$state/$1.token
	if [ ! -s "$f" ]; then
		(umask 077; ./recircd -D "database=$db" token add "$1" "$2" \
		    2>/dev/null > "$f")
	fi
	cat "$f"
}
token springfield-council operator >/dev/null
token weee-compliance-ltd operator >/dev/null
token ops-desk ops >/dev/null

# The demo data carries relative dates (@D1@ = tomorrow, ...).
dates() {
	sed_args=
	for d in 1 2 3 4 5 6 7 8 9 10; do
		sed_args="$sed_args -e s/@D$d@/$(date -u -d "+$d day" +%F)/g"
	done
	sed $sed_args "$1"
}
ctl() {	# ctl TOKEN-NAME recircctl-args...: the ops staff's client
	f=$state/$1.token
	shift
	./recircctl -u "$url" -t "$f" "$@"
}
load() {	# load FILE TOKEN-NAME
	dates "$1" > "$state/load.jsonl"
	# Run again, the demo finds its pickups there, and those a run of
	# it amended (below) differ from the file: refused, and said so.
	ctl "$2" pickups submit "$state/load.jsonl" > "$state/load.out" \
	    2> "$state/load.err" || true
	changed=$(grep -c 'with a different body' "$state/load.err" || true)
	if [ "$(grep -c 'rejected: ' "$state/load.err" || true)" -ne "$changed" ]
	then
		cat "$state/load.err" >&2
		exit 1
	fi
	since=
	[ "$changed" -eq 0 ] || since=" ($changed amended since)"
	echo "  $(basename "$1"): $(grep -c ' new$' "$state/load.out") new," \
	    "$(grep -c ' existing$' "$state/load.out") already there$since"
}
echo "loading the demo city's pickup requests with recircctl:"
load data/demo-pickups.jsonl springfield-council
load data/demo-pickups-weee.jsonl weee-compliance-ltd


# A council's reporting site speaks Open311 GeoReport v2: three residents'
# requests through /open311/v2/requests.json, as such a site sends them.
token city-reports operator >/dev/null
echo
echo "three residents' requests through Open311 (POST /open311/v2/requests.json):"
o311() {	# o311 SERVICE LAT LONG ADDRESS DESCRIPTION [attribute=value ...]
	_svc=$1 _lat=$2 _lon=$3 _addr=$4 _desc=$5
	shift 5
	_attrs=
	for _a in "$@"; do
		_attrs="$_attrs --data-urlencode attribute[${_a%%=*}]=${_a#*=}"
	done
	# shellcheck disable=SC2086
	curl -s "$url/open311/v2/requests.json" \
	    --data-urlencode "api_key=$(cat "$state/city-reports.token")" \
	    --data-urlencode "service_code=$_svc" --data-urlencode "lat=$_lat" \
	    --data-urlencode "long=$_lon" --data-urlencode "address_string=$_addr" \
	    --data-urlencode "description=$_desc" $_attrs |
	    jq -r '.[0] | "  service request \(.service_request_id): \(.service_notice)"' |
	    cut -c1-78
}
o311 sofa 51.4611 -2.5901 "14 Ashley Rd" "Grey sofa in the front garden" \
    quantity=1 condition=repairable hours=09:00-13:00
o311 washing_machine 51.4480 -2.5620 "3 Bath Rd" "Works, door seal split" \
    condition=repairable "first_day=$(date -u -d '+2 day' +%F)"
o311 bicycle 51.4702 -2.6055 "88 Cotham Hill" "Two children's bikes" quantity=2
echo "they are pickups like any other (recircctl pickups list, as that site):"
ctl city-reports pickups list | sed 's/^/  /'

echo
echo "what recircd holds, as the ops desk sees it (recircctl status):"
ctl ops-desk status | sed 's/^/  /'
echo
echo "the oldest requests (recircctl pickups list --limit 12):"
ctl ops-desk pickups list --limit 12 | sed 's/^/  /'
case $db in
postgres://*|postgresql://*|*=*) total=$(psql -qAtX "$db" -c "select count(*) from pickups") ;;
*) total=$(sqlite3 "$db" "select count(*) from pickups") ;;
esac
echo "  ... $total pickups in all"

# Plan the next three days and show the routes, as a planner would.  The
# tables are recircctl's own, 80 columns wide, so they are not indented.
token demo-planner planner >/dev/null
echo
echo "planning the next 3 days (recircctl plan run --wait; recirc-solve runs"
echo "as a child of recircd):"
ctl demo-planner plan run --wait
echo
echo "the routes (recircctl routes):"
ctl ops-desk routes
echo
echo "the plan's key figures (recircctl kpi):"
ctl ops-desk kpi
echo "distances: $(ctl ops-desk plan show --json | jq -r '.kpis.distances')"

# The ops desk's day with that plan: the morning's routes handed out, a
# resident's call, and what a crew reported in the evening.
day1=$(date -u -d '+1 day' +%F)
ctl ops-desk -j routes > "$state/routes.json"
echo
echo "the morning: tomorrow's routes handed to the crews"
echo "(recircctl dispatch --all --day $day1):"
ctl ops-desk dispatch --all --day "$day1" | sed 's/^/  /' || true
# A resident of a day-2 stop rings: a note for the crew keeps the pickup
# where it is; another asks for next week, which takes hers out of the
# plan for the next one to place.
# shellcheck disable=SC2046
set -- $(jq -r '[.routes[] | select(.day != "'"$day1"'") | .stops[0].pickup] |
    .[0], .[1]' "$state/routes.json")
if [ $# -eq 2 ] && [ "$1" != null ] && [ "$2" != null ]; then
	echo
	echo "two residents ring (recircctl pickups amend):"
	ctl ops-desk pickups amend "$1" --notes "dog in the garden, ring first" |
	    sed 's/^/  /' || true
	ctl ops-desk pickups amend "$2" \
	    --window "$(date -u -d '+7 day' +%F)..$(date -u -d '+10 day' +%F)" |
	    sed 's/^/  /' || true
	ctl ops-desk pickups show "$2" | grep -E '^(status|deferred) ' |
	    sed 's/^/  /' || true
fi
# The evening: the first van's crew hands in its sheet of weights, all
# collected but the last stop, where nobody answered.
van1=$(jq -r '[.routes[] | select(.day == "'"$day1"'")][0].vehicle // empty' \
    "$state/routes.json")
jq -r --arg d "$day1" --arg v "$van1" '"pickup,kg", (.routes[] |
    select(.day == $d and .vehicle == $v) | .stops[:-1][] |
    "\(.pickup),\(.weight_kg * 9 | round / 10)")' "$state/routes.json" \
    > "$state/sheet.csv"
last=$(jq -r --arg d "$day1" --arg v "$van1" '[.routes[] |
    select(.day == $d and .vehicle == $v) | .stops[-1].pickup][0] // empty' \
    "$state/routes.json")
if [ "$(wc -l < "$state/sheet.csv")" -gt 1 ]; then
	echo
	echo "the evening: $van1's crew reports (recircctl pickups collected"
	echo "--weights, from a sheet of pickup,kg lines; pickups not-collected):"
	ctl ops-desk pickups collected --weights "$state/sheet.csv" |
	    sed 's/^/  /' || true
	ctl ops-desk pickups not-collected --code no_access "$last" |
	    sed 's/^/  /' || true
	echo "and the centre sorted what came in (recircctl pickups sorted):"
	ctl ops-desk pickups sorted --stream reuse --weights "$state/sheet.csv" |
	    sed 's/^/  /' || true
	echo
	echo "the month so far, for the council's returns (recircctl report):"
	ctl ops-desk report | sed 's/^./  &/' || true
fi
plan=$(ctl ops-desk plan show | sed -n "s/^plan  *\([0-9]*\).*/\1/p")
van=$(ctl ops-desk routes | sed -n "s/^\([^ ]*\) (.*, from .*/\1/p" | head -n 1)
echo
echo "A driver's manifest: ./recircctl -u $url \\"
echo "    -t $state/ops-desk.token manifest ${van:-VEHICLE}"
echo "The routes as GeoJSON: $url/v1/plans/$plan/routes?format=geojson"
echo "The plan on a map (open it in a browser while the daemon runs; the"
echo "token after # stays in the browser and is never sent to the server):"
echo "  $url/map#token=$(cat "$state/ops-desk.token")"
echo
echo "Tokens are in $state/*.token.  To keep the daemon running, start it as"
# (the solver too: recircd looks for it where make install puts it)
echo "  ./recircd -d -D listen=127.0.0.1:$port -D database=$db \\"
echo "      -D solver=$top/recirc-solve -D plan_days=3"
echo "and try: ./recircctl -u $url -t $state/ops-desk.token pickups list"
