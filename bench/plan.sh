#!/bin/bash
# plan.sh -- the nightly run at scale, and the daemon's latency during it
# (a benchmark, not a test).
#
# Generates a city around 51.45 N 2.59 W (bench/city.awk), submits PICKUPS
# pickup requests (default 2000) over HTTP, starts a plan of 3 days and,
# from the start of the plan to its end (input read, solve, result checked
# and saved), drives GET /healthz with wrk (1 thread, 4 connections).
# Prints the plan's wall time, the solver's peak memory (measured with
# /usr/bin/time around recirc-solve), what it planned and deferred (and why:
# the plan's kpis.pickups.deferred_by_reason), and the /healthz p50/p99/max
# over the plan.  The solver's own budget is solve_timeout less a fifth
# (recircd's rule); it stops there unless it proves the plan optimal sooner.
#
# The default is the city: 8 centres on a ring (1 existing, 7 candidates),
# 5 vans at each (stop limit 30), solve_timeout 100 s.  The options make a
# region (issue 14): -c CENTRES on a spiral, one in eight existing, over the
# city's area scaled so that the pickups are as dense as the city's 2000
# (each side times sqrt(PICKUPS / 2000)), -v VEHICLES shared out over them,
# -t the solve_timeout, -j the solver's routing threads.  -s SPARE sizes
# the fleet to the demand: the vans' stop limits are set so that the fleet
# can make (1 + SPARE/100) x PICKUPS / 3 stops a day -- stop limit
# floor(S / VEHICLES) for S = ceil(that), one more for whole centres' vans
# until S is reached -- the stop limit being the fleet's binding limit (the
# table shows the fleet's capacity over the demand in stops, kg, m3 and
# items, the last three from the catalogue's typical weights and volumes).
# The issue's regional night:
#   bench/plan.sh -c 24 -v 200 -s 15 -t 300 10000
# usage: bench/plan.sh [-c centres] [-v vehicles] [-s spare%] [-t timeout]
#                      [-j threads] [PICKUPS]
set -eu
centres=8 vehicles= spare= timeout=100 threads=
usage() {
	echo "usage: plan.sh [-c centres] [-v vehicles] [-s spare%] [-t timeout] [-j threads] [PICKUPS]" >&2
	exit 1
}
while getopts c:v:s:t:j: opt; do
	case $opt in
	c) centres=$OPTARG ;;
	v) vehicles=$OPTARG ;;
	s) spare=$OPTARG ;;
	t) timeout=$OPTARG ;;
	j) threads=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
n=${1:-2000}
vehicles=${vehicles:-$((5 * centres))}
days=3
# The city keeps its area; a region is as dense as the city's 2000.
area=1
[ "$centres" = 8 ] || area=$(awk -v n="$n" 'BEGIN { printf "%.4f", (n > 2000 ? sqrt(n / 2000) : 1) }')
stops=30 plus=0
if [ -n "$spare" ]; then
	set -- $(awk -v n="$n" -v v="$vehicles" -v d="$days" -v s="$spare" 'BEGIN {
		S = n * (1 + s / 100) / d; S = S == int(S) ? S : int(S) + 1
		printf "%d %d\n", int(S / v), S - int(S / v) * v }')
	stops=$1 plus=$2
fi
for c in wrk jq curl /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "plan.sh: $c is needed" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init recirc-bench
dir=$BENCH_TMP
db=$dir/bench.db

# The network (bench/city.awk): by default 8 centres on a ring round the
# centre, 5 vans each.
awk -v centres="$centres" -v vehicles="$vehicles" -v scale="$area" \
    -v stops="$stops" -v plus="$plus" -f "$top/bench/city.awk" > "$dir/network.json"
bench_seed "$db" "$dir/network.json"
op=$(bench_token "$db" bench operator)
printf '%s\n' "$op" > "$dir/op.token"
pl=$(bench_token "$db" bench-planner planner)

# The solver, wrapped to measure its peak resident memory.
printf '#!/bin/sh\nexec /usr/bin/time -f %%M -o "%s/rss" "%s/recirc-solve" %s "$@"\n' \
    "$dir" "$build" "${threads:+-j $threads}" > "$dir/solver.sh"
chmod +x "$dir/solver.sh"
bench_daemon "$db" "$dir/log" \
    -D "solver=$dir/solver.sh" -D solve_timeout="$timeout" -D plan_days=$days
url=$BENCH_URL

d1=$(date -u -d '+1 day' +%F) d2=$(date -u -d '+2 days' +%F) d3=$(date -u -d '+3 days' +%F)
awk -v n="$n" -v d1="$d1" -v d2="$d2" -v d3="$d3" -v a="$area" \
    -v demand="$dir/demand" 'BEGIN {
	srand(7)
	split("furniture sofa table chair wardrobe mattress washing_machine " \
	    "fridge_freezer cooker small_electronics it_equipment tv_monitor " \
	    "textiles bicycle toys books", cat, " ")
	# Typical kg and m3 of each, from etc/catalogue.conf.
	split("30 45 25 7 60 25 70 55 45 3 8 15 10 15 3 10", kg, " ")
	split("0.8 1.2 0.6 0.3 1.5 0.5 0.4 0.7 0.4 0.02 0.05 0.1 0.1 0.5 " \
	    "0.05 0.03", m3, " ")
	split("working repairable broken unknown", cond, " ")
	split(d1 " " d2 " " d3, day, " ")
	for (i = 1; i <= n; i++) {
		f = 1 + int(rand() * 3); t = f + int(rand() * (4 - f))
		lat = 51.45 + (rand() - 0.5) * 0.12 * a
		lon = -2.59 + (rand() - 0.5) * 0.18 * a
		c = 1 + int(rand() * 16); q = 1 + int(rand() * 2)
		K += kg[c] * q; M += m3[c] * q; I += q
		printf "{\"reference\":\"b-%d\",\"location\":{\"lat\":%.5f,\"lon\":%.5f}," \
		    "\"window\":{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":" \
		    "\"%s\",\"quantity\":%d,\"condition\":\"%s\"}]}\n", i,
		    lat, lon, day[f], day[t], cat[c], q, cond[1 + int(rand() * 4)]
	}
	printf "%d %.3f %.3f %d\n", n, K, M, I > demand
}' > "$dir/pickups.jsonl"
t0=$(date +%s.%N)
"$build/recircctl" -u "$url" -t "$dir/op.token" pickups submit \
    "$dir/pickups.jsonl" >/dev/null 2>"$dir/submit.err" ||
	{ tail -3 "$dir/submit.err" >&2; exit 1; }
t1=$(date +%s.%N)
printf 'submitted %d pickups in %.1f s\n' "$n" "$(echo "$t1 - $t0" | bc)"

t0=$(date +%s.%N)
plan=$(curl -s -X POST -H "Authorization: Bearer $pl" "$url/v1/plans" | jq -r .id)
# /healthz is driven for the whole run -- reading the input, the solve,
# checking and saving the result -- and stopped (SIGINT: wrk prints its
# summary) once the plan is done.
wrk -t1 -c4 -d7200s -s "$top/bench/healthz.lua" "$url/healthz" > "$dir/wrk.out" &
wrkpid=$!
while :; do
	p=$(curl -s -H "Authorization: Bearer $pl" "$url/v1/plans/$plan")
	case $(printf '%s' "$p" | jq -r .state) in done|failed) break ;; esac
	sleep 0.2
done
t1=$(date +%s.%N)
kill -INT "$wrkpid"; wait "$wrkpid" || true
grep '^RESULT' "$dir/wrk.out" > "$dir/wrk"
set -- $(cat "$dir/wrk")
pk() { printf '%s' "$p" | jq -r "$1"; }
printf '\n| %-48s | %s\n' measure value
printf '|%s|%s\n' "--------------------------------------------------" "--------------------"
printf '| %-48s | %s\n' "plan $plan" "$(pk '.state + (if .reason then " (" + .reason + ")" else "" end)')"
printf '| %-48s | %s\n' "fleet capacity over demand: stops, kg, m3, items" \
    "$(jq -rs --argjson d "[$(tr ' ' , < "$dir/demand")]" --argjson days $days '
	.[0].fleet | [map(.count * .max_stops), map(.count * .capacity.kg),
	    map(.count * .capacity.m3), map(.count * .capacity.items)]
	| map(add * $days) as $c | [range(4)] | map($c[.] / $d[.] * 100 - 100
	| floor | "+\(.)%") | join(", ")' "$dir/network.json")"
printf '| %-48s | %.1f s\n' "nightly run, $n pickups, $centres centres, $vehicles vehicles" "$(echo "$t1 - $t0" | bc)"
printf '| %-48s | %s MiB\n' "solver peak memory (max RSS)" "$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss" 2>/dev/null)"
printf '| %-48s | %s\n' "planned / scheduled / deferred" "$(pk '.kpis.pickups | "\(.planned) / \(.scheduled) / \(.deferred)"')"
printf '| %-48s | %s\n' "deferred by reason" "$(pk '.kpis.pickups.deferred_by_reason // {} | to_entries | map("\(.key) \(.value)") | join(", ") | if . == "" then "-" else . end')"
printf '| %-48s | %s\n' "deferred for capacity (fleet, centre), % of all" "$(pk '.kpis.pickups | ((.deferred_by_reason // {}) | (.no_capacity // 0) + (.centre_capacity // 0)) as $c | "\($c) (\($c * 10000 / .planned | round / 100)%)"')"
printf '| %-48s | %s\n' "centres open, routes, vehicles used, km" "$(pk '.kpis | "\(.centres_open | length), \(.routes), \(.vehicles_used), \(.km | floor)"')"
printf '| %-48s | %s\n' "routes built by" "$(pk '.kpis.routes_source')"
printf '| %-48s | %s\n' "solver status, seconds" "$(pk '.kpis.solver | "\(.status), \(.seconds)"')"
printf '| %-48s | %s req/s\n' "GET /healthz during the whole plan" "$(awk -v r="$2" -v d="$3" 'BEGIN{printf "%.0f", r/d}')"
printf '| %-48s | %s / %s / %s ms\n' "GET /healthz p50 / p99 / max" "$4" "$5" "$8"
# Where the time went, from the solver's log (recircd -d on stderr).
grep -E 'stage:|routing:|model:|plan [0-9]+:|greedy' "$dir/log" | tail -20 > "$dir/phases" || true
[ -s "$dir/phases" ] && { printf '\nsolver and planner log (last lines):\n'; cat "$dir/phases"; }
exit 0
