#!/bin/bash
# matrix.sh -- road distances at the nightly run's scale (a benchmark, not
# a test): PICKUPS pickups (default 2000) and 8 centres through the
# stand-in router (tests/osrm-stub: a 250 m street grid over the city,
# table limit 100, as osrm-routed's default), then the same plan on
# straight lines, then a re-plan with 10% new pickups.  Prints, per plan:
# table requests sent, the legs they covered, seconds to get the legs
# (the planner's log: queued to "distances"), the plan's wall time
# (queued to done), and the road cache's hit rate.  The solver's budget
# is solve_timeout 60 s (48 s of search).
# usage: bench/matrix.sh [PICKUPS]
set -eu
n=${1:-2000}
for c in jq curl; do
	command -v "$c" >/dev/null || { echo "matrix.sh: $c is needed" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$build/tests/osrm-stub" ] || { echo "matrix.sh: build tests/osrm-stub first (make check or make tests/osrm-stub)" >&2; exit 1; }
bench_init recirc-bench
dir=$BENCH_TMP
db=$dir/bench.db
pid=
url=

# The city of bench/plan.sh (bench/city.awk): 8 centres on a ring, 5 vans each.
awk -f "$top/bench/city.awk" > "$dir/network.json"
bench_seed "$db" "$dir/network.json"
op=$(bench_token "$db" bench operator)
pl=$(bench_token "$db" bench-planner planner)
ops=$(bench_token "$db" bench-ops ops)
(umask 077; echo "$op" > "$dir/op.token")

echo '{"grid":{"lat":51.38,"lon":-2.69,"rows":62,"cols":56,"step_m":250,"kmh":30}}' > "$dir/grid.json"
"$build/tests/osrm-stub" -g "$dir/grid.json" -p 0 -m 100 -l "$dir/stub.log" > "$dir/stub.port" &
bench_track $!
for i in $(seq 100); do [ -s "$dir/stub.port" ] && break; sleep 0.05; done
osrm=http://127.0.0.1:$(cat "$dir/stub.port")

start() {	# start ROUTER: the daemon, again, on that router (a new port)
	[ -z "$pid" ] || bench_stop "$pid"
	bench_daemon "$db" "$dir/log" \
	    -D "solver=$build/recirc-solve" -D solve_timeout=60 -D plan_days=3 \
	    -D "router=$1" -D router_max_points=5000
	pid=$BENCH_PID url=$BENCH_URL
}
submit() {	# submit FIRST COUNT SEED
	d1=$(date -u -d '+1 day' +%F) d2=$(date -u -d '+2 days' +%F) d3=$(date -u -d '+3 days' +%F)
	awk -v a="$1" -v n="$2" -v s="$3" -v d1="$d1" -v d2="$d2" -v d3="$d3" 'BEGIN {
		srand(s)
		split(d1 " " d2 " " d3, day, " ")
		for (i = a; i < a + n; i++) {
			f = 1 + int(rand() * 3); t = f + int(rand() * (4 - f))
			printf "{\"reference\":\"m-%d\",\"location\":{\"lat\":%.5f,\"lon\":%.5f}," \
			    "\"window\":{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":" \
			    "\"sofa\",\"quantity\":1}]}\n", i,
			    51.45 + (rand() - 0.5) * 0.12, -2.59 + (rand() - 0.5) * 0.18,
			    day[f], day[t]
		}
	}' > "$dir/in.jsonl"
	"$build/recircctl" -u "$url" -t "$dir/op.token" pickups submit "$dir/in.jsonl" >/dev/null 2>&1
}
secs() {	# secs HH:MM:SS.mmm HH:MM:SS.mmm
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, ":"); split(b, y, ":");
	    printf "%.1f", (y[1] * 3600 + y[2] * 60 + y[3]) - (x[1] * 3600 + x[2] * 60 + x[3]) }'
}
row() {	# row LABEL: run a plan, print its line
	before=$(grep -c '^table' "$dir/stub.log" || true)
	s0=$(curl -s -H "Authorization: Bearer $ops" "$url/v1/status" | jq '.router')
	id=$(curl -s -X POST -H "Authorization: Bearer $pl" -H 'Content-Type: application/json' \
	    -d '{}' "$url/v1/plans" | jq -r .id)
	while :; do
		st=$(curl -s -H "Authorization: Bearer $pl" "$url/v1/plans/$id" | jq -r .state)
		case $st in done|failed) break ;; esac
		sleep 1
	done
	s1=$(curl -s -H "Authorization: Bearer $ops" "$url/v1/status" | jq '.router')
	q=$(grep "plan $id queued" "$dir/log" | tail -n 1 | cut -d' ' -f1)
	dt=$(grep "plan $id: distances" "$dir/log" | tail -n 1 | cut -d' ' -f1)
	end=$(grep -E "plan $id (done|failed)" "$dir/log" | tail -n 1 | cut -d' ' -f1)
	after=$(grep -c '^table' "$dir/stub.log" || true)
	legs=$(awk -v b="$before" '$1 == "table" { k++; if (k > b) s += $2 * $3 } END { print s + 0 }' "$dir/stub.log")
	hits=$(( $(echo "$s1" | jq .cache_hits) - $(echo "$s0" | jq .cache_hits) ))
	miss=$(( $(echo "$s1" | jq .cache_misses) - $(echo "$s0" | jq .cache_misses) ))
	printf '| %-34s | %-5s | %8s | %10s | %9s | %8s | %9s |\n' "$1" "$st" \
	    "$((after - before))" "$legs" "${dt:+$(secs "$q" "$dt")}" "$(secs "$q" "$end")" \
	    "$(awk -v h="$hits" -v m="$miss" 'BEGIN { printf (h + m) ? "%.1f%%" : "-", 100 * h / (h + m) }')"
}

echo "recircd road matrix benchmark: $n pickups, 8 centres, osrm-stub (250 m grid, table limit 100)"
printf '| %-34s | %-5s | %8s | %10s | %9s | %8s | %9s |\n' plan state requests "legs asked" "legs s" "plan s" "cache hit"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "-------" "----------" "------------" "-----------" "----------" "-----------"
start "osrm $osrm"
submit 1 "$n" 7
row "road, cold cache"
start haversine
row "straight lines (haversine)"
start "osrm $osrm"
submit $((n + 1)) $((n / 10)) 11
row "road, re-plan with 10% new pickups"
echo "(legs asked: sources x destinations over the requests; a plan's distinct places are its pickups and centres)"
