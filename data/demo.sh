#!/bin/sh
# demo.sh -- the quick start's main job: run recircd on its embedded
# defaults (no configuration file; listening on 127.0.0.1, SQLite under
# ./state), seed the demo city's network, load its pickup requests as two
# operators, show what the daemon holds, plan the next three days and
# print the routes.  Called by ./quickstart demo.
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
state=$top/state
mkdir -p "$state"
db=$state/recircd.db
port=8080
pid=

stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		wait "$pid" 2>/dev/null || true
	fi
}
trap stop EXIT INT TERM

start() {
	./recircd -d -D "listen=127.0.0.1:$1" -D "database=$db" \
	    -D "solver=$top/recirc-solve" -D plan_days=3 \
	    2>"$state/recircd.log" &
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
	# 8080 is taken on this machine: any free port will do for the demo.
	port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
	start "$port" || { cat "$state/recircd.log" >&2; exit 1; }
fi
url=http://127.0.0.1:$port
echo "recircd is running on $url (database $db)"

token() {	# token NAME ROLE: reuse the demo token of NAME or make one
	f=$state/$1.token
	if [ ! -s "$f" ]; then
		(umask 077; ./recircd -D "database=$db" token add "$1" "$2" \
		    2>/dev/null > "$f")
	fi
	cat "$f"
}
council=$(token springfield-council operator)
weee=$(token weee-compliance-ltd operator)
ops=$(token ops-desk ops)

# The demo data carries relative dates (@D1@ = tomorrow, ...).
dates() {
	sed_args=
	for d in 1 2 3 4 5 6 7 8 9 10; do
		sed_args="$sed_args -e s/@D$d@/$(date -u -d "+$d day" +%F)/g"
	done
	sed $sed_args "$1"
}
load() {	# load FILE TOKEN
	new=0 again=0 bad=0
	dates "$1" > "$state/load.jsonl"
	while IFS= read -r line; do
		code=$(printf '%s' "$line" | curl -s -o /dev/null -w '%{http_code}' \
		    -H "Authorization: Bearer $2" \
		    -H 'Content-Type: application/json' --data-binary @- \
		    "$url/v1/pickups")
		case $code in
		201) new=$((new + 1)) ;;
		200) again=$((again + 1)) ;;
		*) bad=$((bad + 1)) ;;
		esac
	done < "$state/load.jsonl"
	echo "  $(basename "$1"): $new new, $again already there, $bad rejected"
}
echo "loading the demo city's pickup requests:"
load data/demo-pickups.jsonl "$council"
load data/demo-pickups-weee.jsonl "$weee"

echo
echo "what recircd holds (as the ops desk sees it):"
curl -s -H "Authorization: Bearer $ops" "$url/v1/status" | jq -r '
    "  pickups by status: " + ([.pickups | to_entries[] | select(.value > 0) |
    "\(.key) \(.value)"] | join(", "))'
echo
printf '  %-5s %-22s %-10s %-23s %s\n' ID OPERATOR STATUS WINDOW ITEMS
curl -s -H "Authorization: Bearer $ops" "$url/v1/pickups?limit=12" | jq -r '
    .pickups[] | [.id, .operator, .status,
    (.window.from + ".." + .window.to[5:]),
    ([.items[] | "\(.quantity)x \(.category)"] | join(", "))] | @tsv' |
    while IFS="$(printf '\t')" read -r id op st win items; do
	printf '  %-5s %-22s %-10s %-23s %s\n' "$id" "$op" "$st" "$win" "$items"
    done
total=$(sqlite3 "$db" "select count(*) from pickups")
echo "  ... $total pickups in all"

# Plan the next three days and show the routes.
planner=$(token demo-planner planner)
echo
echo "planning the next 3 days (recirc-solve runs as a child of recircd):"
plan=$(curl -s -X POST -H "Authorization: Bearer $planner" "$url/v1/plans" |
    jq -r .id)
i=0
while [ $i -lt 1200 ]; do
	p=$(curl -s -H "Authorization: Bearer $planner" "$url/v1/plans/$plan")
	case $(printf '%s' "$p" | jq -r .state) in done|failed) break ;; esac
	sleep 0.1
	i=$((i + 1))
done
printf '%s' "$p" | jq -r '"  plan \(.id): \(.state)" + (if .reason then " (\(.reason))"
    else "" end), (.kpis // empty | "  centres open: \(.centres_open | join(", ")); " +
    "\(.pickups.scheduled) pickups on \(.routes) routes, \(.pickups.deferred) deferred; " +
    "\(.km | floor) km, \(.co2_kg | floor) kg CO2, total cost \(.cost.total | floor)")'
echo
printf '  %-10s %-14s %-11s %5s %6s %8s  %s\n' DAY VEHICLE CENTRE STOPS KM KG HOURS
curl -s -H "Authorization: Bearer $planner" "$url/v1/plans/$plan/routes" | jq -r '
    .routes[]? | [.day, .vehicle, .centre, (.stops | length), (.km | floor),
    (.load.kg | floor), (.start + "-" + .end)] | @tsv' |
    while IFS="$(printf '\t')" read -r d v c n km kg h; do
	printf '  %-10s %-14s %-11s %5s %6s %8s  %s\n' "$d" "$v" "$c" "$n" "$km" "$kg" "$h"
    done
echo "  routes as GeoJSON: $url/v1/plans/$plan/routes?format=geojson"
echo "  a driver's manifest: $url/v1/plans/$plan/manifest/VEHICLE"
echo
echo "Tokens are in $state/*.token.  To keep the daemon running, start it as"
echo "  ./recircd -d -D listen=127.0.0.1:$port -D database=$db"
echo "and try: curl -H \"Authorization: Bearer \$(cat $state/ops-desk.token)\" $url/v1/pickups"
