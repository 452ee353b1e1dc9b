#!/bin/bash
# plan.sh -- the nightly run at scale, and the daemon's latency during it
# (a benchmark, not a test).
#
# Generates a city around 51.45 N 2.59 W with 8 centres (1 existing, 7
# candidates) and 40 vehicles (5 vans at each), submits PICKUPS pickup
# requests (default 2000) over HTTP, starts a plan of 3 days and, from the
# start of the plan to its end (input read, solve, result checked and
# saved), drives GET /healthz with wrk (1 thread, 4 connections).  Prints
# the plan's wall time, the solver's peak memory (measured with
# /usr/bin/time around recirc-solve), what it planned, and the /healthz
# p50/p99/max over the plan.  solve_timeout is 100 s, so the solver's own
# budget is 80 s; it stops there unless it proves the plan optimal sooner.
# usage: bench/plan.sh [PICKUPS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
n=${1:-2000}
for c in wrk jq curl /usr/bin/time; do
	command -v "$c" >/dev/null || { echo "plan.sh: $c is needed" >&2; exit 1; }
done
dir=$(mktemp -d "${TMPDIR:-/var/tmp}/recirc-bench.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
db=$dir/bench.db
port=$(( 20000 + RANDOM % 40000 ))
url=http://127.0.0.1:$port

# The network (bench/city.awk): 8 centres on a ring round the centre, 5 vans each.
awk -f "$top/bench/city.awk" > "$dir/network.json"
"$build/recircd" -D "database=$db" seed "$dir/network.json" 2>/dev/null
op=$("$build/recircd" -D "database=$db" token add bench operator 2>/dev/null)
pl=$("$build/recircd" -D "database=$db" token add bench-planner planner 2>/dev/null)

# The solver, wrapped to measure its peak resident memory.
printf '#!/bin/sh\nexec /usr/bin/time -f %%M -o "%s/rss" "%s/recirc-solve" "$@"\n' \
    "$dir" "$build" > "$dir/solver.sh"
chmod +x "$dir/solver.sh"
"$build/recircd" -d -D "listen=127.0.0.1:$port" -D "database=$db" \
    -D "solver=$dir/solver.sh" -D solve_timeout=100 -D plan_days=3 \
    2>"$dir/log" &
pid=$!
for i in $(seq 100); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.05; done

d1=$(date -u -d '+1 day' +%F) d2=$(date -u -d '+2 days' +%F) d3=$(date -u -d '+3 days' +%F)
awk -v n="$n" -v d1="$d1" -v d2="$d2" -v d3="$d3" 'BEGIN {
	srand(7)
	split("furniture sofa table chair wardrobe mattress washing_machine " \
	    "fridge_freezer cooker small_electronics it_equipment tv_monitor " \
	    "textiles bicycle toys books", cat, " ")
	split("working repairable broken unknown", cond, " ")
	split(d1 " " d2 " " d3, day, " ")
	for (i = 1; i <= n; i++) {
		f = 1 + int(rand() * 3); t = f + int(rand() * (4 - f))
		printf "{\"reference\":\"b-%d\",\"location\":{\"lat\":%.5f,\"lon\":%.5f}," \
		    "\"window\":{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":" \
		    "\"%s\",\"quantity\":%d,\"condition\":\"%s\"}]}\n", i,
		    51.45 + (rand() - 0.5) * 0.12, -2.59 + (rand() - 0.5) * 0.18,
		    day[f], day[t], cat[1 + int(rand() * 16)], 1 + int(rand() * 2),
		    cond[1 + int(rand() * 4)]
	}
}' > "$dir/pickups.jsonl"
t0=$(date +%s.%N)
xargs -d '\n' -P 4 -I{} curl -s -o /dev/null \
    -H "Authorization: Bearer $op" -H 'Content-Type: application/json' \
    --data-binary {} "$url/v1/pickups" < "$dir/pickups.jsonl"
t1=$(date +%s.%N)
printf 'submitted %d pickups in %.1f s\n' "$n" "$(echo "$t1 - $t0" | bc)"

t0=$(date +%s.%N)
plan=$(curl -s -X POST -H "Authorization: Bearer $pl" "$url/v1/plans" | jq -r .id)
# /healthz is driven for the whole run -- reading the input, the solve,
# checking and saving the result -- and stopped (SIGINT: wrk prints its
# summary) once the plan is done.
wrk -t1 -c4 -d600s -s "$top/bench/healthz.lua" "$url/healthz" > "$dir/wrk.out" &
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
printf '\n| %-48s | %s\n' measure value
printf '|%s|%s\n' "--------------------------------------------------" "--------------------"
printf '| %-48s | %s\n' "plan $plan" "$(printf '%s' "$p" | jq -r '.state + (if .reason then " (" + .reason + ")" else "" end)')"
printf '| %-48s | %.1f s\n' "nightly run, $n pickups, 8 centres, 40 vehicles" "$(echo "$t1 - $t0" | bc)"
printf '| %-48s | %s MiB\n' "solver peak memory (max RSS)" "$(awk '{printf "%.0f", $1 / 1024}' "$dir/rss" 2>/dev/null)"
printf '| %-48s | %s\n' "planned / scheduled / deferred" "$(printf '%s' "$p" | jq -r '.kpis.pickups | "\(.planned) / \(.scheduled) / \(.deferred)"')"
printf '| %-48s | %s\n' "routes, vehicles used, km" "$(printf '%s' "$p" | jq -r '.kpis | "\(.routes), \(.vehicles_used), \(.km | floor)"')"
printf '| %-48s | %s\n' "routes built by" "$(printf '%s' "$p" | jq -r '.kpis.routes_source')"
printf '| %-48s | %s\n' "solver status, seconds" "$(printf '%s' "$p" | jq -r '.kpis.solver | "\(.status), \(.seconds)"')"
printf '| %-48s | %s req/s\n' "GET /healthz during the whole plan" "$(awk -v r="$2" -v d="$3" 'BEGIN{printf "%.0f", r/d}')"
printf '| %-48s | %s / %s / %s ms\n' "GET /healthz p50 / p99 / max" "$4" "$5" "$8"
