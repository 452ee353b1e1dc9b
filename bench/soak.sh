#!/bin/bash
# soak.sh -- the daemon under mixed load for a long time (a benchmark,
# not a test).
#
# Starts recircd on the demo city and runs, all at once: 3 operators each
# submitting pickups (about 5 a second each, at random places in the
# city) and, once 500 of theirs are pending (SOAK_POOL, preloaded before
# the clock starts), cancelling the oldest with each new one, so that the
# plans stay about the same size (the database still grows: cancelled
# pickups are kept); a reader
# listing pickups and /v1/status as each of them, a plan
# every 2 minutes (3 days, solve_timeout 100 s), and every 10 s five slow
# clients that send one header line and stall (the header deadline closes
# them).  Every 10 s it samples the daemon's RSS and prints a row; at the
# end it checks and prints:
#   - per plan cycle, the lowest RSS (between plans) and the highest
#     (during one), and their change from the second cycle to the last
#     complete one (target < 5%: the first cycle warms up);
#   - replies with a 5xx status (target 0);
#   - acknowledged pickups missing from the database (target 0).
# With -g the daemon runs under valgrind (memcheck, full leak check) and
# the verdict adds its definitely lost bytes (target 0); the load is the
# same, slower under valgrind.
#
# usage: bench/soak.sh [-g] [-d seconds]   (default 600, with -g 120)
set -u
grind=0
dur=
while getopts gd: opt; do
	case $opt in
	g) grind=1 ;;
	d) dur=$OPTARG ;;
	*) echo "usage: $0 [-g] [-d seconds]" >&2; exit 1 ;;
	esac
done
[ -z "$dur" ] && { [ $grind -eq 1 ] && dur=120 || dur=600; }
for c in jq curl sqlite3; do
	command -v "$c" >/dev/null || { echo "soak.sh: $c is needed" >&2; exit 1; }
done
[ $grind -eq 1 ] && ! command -v valgrind >/dev/null &&
    { echo "soak.sh: valgrind is needed for -g" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init recirc-soak
trap 'exit 1' INT TERM
dir=$BENCH_TMP
loads=
db=$dir/soak.db

bench_seed "$db" "$top/data/demo-network.json"
OP1=$(bench_token "$db" council-a operator)
OP2=$(bench_token "$db" council-b operator)
OP3=$(bench_token "$db" council-c operator)
PLN=$(bench_token "$db" planner-1 planner)

if [ $grind -eq 1 ]; then
	BENCH_WRAP=(valgrind --leak-check=full --show-leak-kinds=definite
	    --errors-for-leak-kinds=definite --log-file="$dir/valgrind.log")
fi
bench_daemon "$db" "$dir/recircd.log" \
    -D "solver=$build/recirc-solve" -D solve_timeout=100 -D plan_days=3 \
    -D http_header_timeout=5
pid=$BENCH_PID port=$BENCH_PORT url=$BENCH_URL
# The daemon itself, not valgrind's launcher, is what is sampled.
dpid=$pid

keep=${SOAK_POOL:-500}	# pending pickups per operator
FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+3 days' +%F)
# call OUT TOKEN ARGS...: one request; appends "STATUS" to $dir/status.
call() {
	_t=$1
	shift
	curl -s -o "$dir/body.$BASHPID" -w '%{http_code}\n' \
	    -H "Authorization: Bearer $_t" "$@" >> "$dir/status.$BASHPID"
}

submitter() {	# submitter TOKEN NAME [PRELOAD]: PRELOAD pickups at once
	local -a mine=()
	local ref=$2
	n=0
	if [ -n "${3:-}" ]; then
		ref=$2-pre
	elif [ -f "$dir/mine.$2" ]; then
		mapfile -t mine < "$dir/mine.$2"
	fi
	while [ ! -e "$dir/stop" ]; do
		# Preloading: as fast as it goes, and stop at the count.
		if [ -n "${3:-}" ] && [ "$n" -ge "$3" ]; then
			printf '%s\n' "${mine[@]}" > "$dir/mine.$2"
			return
		fi
		n=$((n + 1))
		lat=$(awk -v r=$RANDOM 'BEGIN { printf "%.5f", 51.40 + r / 32768 * 0.10 }')
		lon=$(awk -v r=$RANDOM 'BEGIN { printf "%.5f", -2.66 + r / 32768 * 0.16 }')
		b=$(printf '{"reference":"%s-%d","location":{"lat":%s,"lon":%s},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":1,"condition":"repairable"}],"notes":"soak"}' \
		    "$ref" "$n" "$lat" "$lon" "$FROM" "$TO")
		code=$(curl -s -o "$dir/sub.$2" -w '%{http_code}' \
		    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
		    --data-binary "$b" "$url/v1/pickups")
		echo "$code" >> "$dir/status.sub.$2"
		if [ "$code" = 201 ]; then
			id=$(jq -r .id "$dir/sub.$2")
			echo "$id" >> "$dir/acked"
			mine+=("$id")
		fi
		# Residents cancel too: past $keep pending, the oldest goes,
		# so the pool each plan holds stays about the same size.
		if [ "${#mine[@]}" -gt "$keep" ]; then
			curl -s -o /dev/null -w '%{http_code}\n' -X POST \
			    -H "Authorization: Bearer $1" \
			    "$url/v1/pickups/${mine[0]}/cancel" >> "$dir/status.sub.$2"
			mine=("${mine[@]:1}")
		fi
		[ -z "${3:-}" ] && sleep 0.2
	done
}
reader() {
	while [ ! -e "$dir/stop" ]; do
		for t in "$OP1" "$OP2" "$OP3"; do
			call "$t" "$url/v1/pickups?limit=50"
			call "$t" "$url/v1/status"
		done
		sleep 0.5
	done
}
planner() {
	while [ ! -e "$dir/stop" ]; do
		call "$PLN" -H 'Content-Type: application/json' \
		    --data-binary '{}' "$url/v1/plans"
		i=0
		while [ $i -lt 120 ] && [ ! -e "$dir/stop" ]; do sleep 1; i=$((i + 1)); done
	done
}
slowpoke() {
	while [ ! -e "$dir/stop" ]; do
		for k in 1 2 3 4 5; do
			( exec 3<>"/dev/tcp/127.0.0.1/$port" &&
			  printf 'POST /v1/pickups HTTP/1.1\r\nHost: x\r\n' >&3 &&
			  sleep 8 ) 2>/dev/null &
		done
		sleep 10
	done
}
# The city is running: each operator has its pool pending before the
# clock starts (and a plan of it is the first of the soak), so the
# daemon is in its steady state from the first minute.
echo "preloading $((3 * keep)) pending pickups..."
submitter "$OP1" a "$keep" & p1=$!
submitter "$OP2" b "$keep" & p2=$!
submitter "$OP3" c "$keep" & p3=$!
bench_track $p1 $p2 $p3
wait $p1 $p2 $p3
submitter "$OP1" a & loads="$loads $!"
submitter "$OP2" b & loads="$loads $!"
submitter "$OP3" c & loads="$loads $!"
reader & loads="$loads $!"
planner & loads="$loads $!"
slowpoke & loads="$loads $!"
# On exit the loads are stopped with the daemon.
# shellcheck disable=SC2086 # a list of pids, split on purpose
bench_track $loads

printf '%6s %10s %10s %9s %6s %6s\n' seconds rss_kb acked requests 5xx conns
t0=$(date +%s)
while :; do
	now=$(( $(date +%s) - t0 ))
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$dpid/status" 2>/dev/null)
	[ -z "$rss" ] && { echo "soak.sh: the daemon is gone" >&2; break; }
	acked=$(cat "$dir/acked" 2>/dev/null | wc -l)
	reqs=$(cat "$dir"/status.* 2>/dev/null | wc -l)
	e5=$(cat "$dir"/status.* 2>/dev/null | grep -c '^5')
	conns=$(curl -s -H "Authorization: Bearer $PLN" "$url/v1/status" | jq -r '.connections.open // "?"')
	printf '%6d %10d %10d %9d %6d %6s\n' "$now" "$rss" "$acked" "$reqs" "$e5" "$conns"
	echo "$now $rss $acked" >> "$dir/samples"
	[ "$now" -ge "$dur" ] && break
	sleep 10
done
touch "$dir/stop"
for p in $loads; do wait "$p" 2>/dev/null; done
sleep 1
e5=$(cat "$dir"/status.* 2>/dev/null | grep -c '^5')
reqs=$(cat "$dir"/status.* 2>/dev/null | wc -l)
plans=$(curl -s -H "Authorization: Bearer $PLN" "$url/v1/plans" |
    jq -r '[.plans[] | .state] | group_by(.) | map("\(.[0]) \(length)") | join(", ")')
bench_stop "$pid"
sqlite3 "$db" 'SELECT id FROM pickups' | sort -n > "$dir/stored"
sort -n "$dir/acked" > "$dir/acked.sorted"
missing=$(comm -23 "$dir/acked.sorted" "$dir/stored" | wc -l)

echo
echo "duration ${dur} s$([ $grind -eq 1 ] && echo ', under valgrind'), $reqs requests, $(wc -l < "$dir/acked") pickups acknowledged"
echo "plans: $plans"
# A plan starts every 120 s: per cycle, the lowest RSS (between plans)
# and the highest (while one runs).  The first cycle warms up (the first
# plan, SQLite's page caches); from the second on, over the complete
# cycles, the lows and the highs should stay flat.
echo "per plan cycle (a plan starts at each cycle's beginning):"
awk '{ c = int($1 / 120); n[c]++; if (!(c in lo) || $2 < lo[c]) lo[c] = $2
	if ($2 > hi[c]) hi[c] = $2; ack[c] = $3; if (c > last) last = c }
    END { printf "%6s %10s %12s %12s\n", "cycle", "pickups", "rss_low_kb", "rss_high_kb"
	for (c = 0; c <= last; c++)
		printf "%6d %10d %12d %12d%s\n", c + 1, ack[c], lo[c], hi[c],
		    n[c] < 10 ? "  (partial)" : ""
	full = n[last] < 10 ? last - 1 : last
	if (full >= 2)
		printf "RSS from cycle 2 to cycle %d: lows %+.1f%%, highs %+.1f%% (target < 5%%)\n",
		    full + 1, (lo[full] - lo[1]) * 100 / lo[1],
		    (hi[full] - hi[1]) * 100 / hi[1] }' "$dir/samples"
echo "5xx replies: $e5 (target 0)"
echo "acknowledged pickups missing: $missing (target 0)"
if [ $grind -eq 1 ]; then
	lost=$(grep -o 'definitely lost: [0-9,]* bytes in [0-9,]* blocks' "$dir/valgrind.log" | head -n 1)
	echo "valgrind: ${lost:-definitely lost: 0 bytes (all heap blocks freed)} (target 0)"
	grep -h 'ERROR SUMMARY' "$dir/valgrind.log" | sed 's/^==[0-9]*== /valgrind: /'
	# The definite leaks, if any, with their stacks.
	awk '/definitely lost in loss record/ { p = 1 } p && /^==[0-9]+== $/ { p = 0 } p' \
	    "$dir/valgrind.log" | head -n 60
fi
