#!/bin/bash
# ingest.sh -- durable ingest benchmark (not a test).
#
# Starts recircd from the build tree on a free loopback port with a fresh
# database on disk, then runs wrk (2 threads, 64 connections) against
# the same build's no-storage ceilings -- GET /healthz (no parsing) and
# POST /v1/pickups/validate (the same bodies parsed and validated, nothing
# stored) -- POST /v1/pickups (validated, stored with synchronous=FULL,
# replied after the sync) and the same pickups as Open311 GeoReport v2
# form posts to /open311/v2/requests.json, and prints requests/s,
# p50/p99 latency and the server's own CPU time per request.  usage: bench/ingest.sh [SECONDS]   (default 10)
set -eu
secs=${1:-10}
command -v wrk >/dev/null || { echo "ingest.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init recirc-bench
dir=$BENCH_TMP
db=$dir/bench.db
tok=$(bench_token "$db" bench operator)
bench_daemon "$db" "$dir/log"
pid=$BENCH_PID url=$BENCH_URL

cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tck=$(getconf CLK_TCK)
run() {	# run LABEL wrk-args...
	local label=$1 c0 c1 line
	shift
	c0=$(cpu)
	line=$(wrk -t2 -c64 -d"${secs}s" "$@" | grep '^RESULT')
	c1=$(cpu)
	set -- $line
	local reqs=$2 dur=$3 p50=$4 p99=$5 bad=$6 errs=$7
	local rps us
	rps=$(awk -v r="$reqs" -v d="$dur" 'BEGIN{printf "%.0f", r/d}')
	us=$(awk -v a="$c0" -v b="$c1" -v r="$reqs" -v t="$tck" 'BEGIN{printf "%.1f", (b-a)/t*1e6/r}')
	printf '| %-28s | %8s | %7s | %7s | %9s | %6s |\n' "$label" "$rps" "$p50" "$p99" "$us" "$((bad + errs))"
	last_rps=$rps
}
from=$(date -u -d '+1 day' +%F); to=$(date -u -d '+6 days' +%F)
# How fast does this disk make a commit durable right now?  fsync here
# switches between ~0.06 and ~4 ms for tens of seconds (MEASURED.md), and
# at 64 connections the durable rate cannot exceed 64 / fsync time.
fsync_ms() {
	local f=$dir/fsync.db t0 t1
	sqlite3 "$f" 'pragma journal_mode=wal; create table t(x)' >/dev/null
	t0=$(date +%s%N)
	for i in $(seq 40); do echo "insert into t values($i);"; done |
	    sqlite3 -cmd 'pragma synchronous=full' "$f"
	t1=$(date +%s%N)
	rm -f "$f" "$f-wal" "$f-shm"
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/40/1e6}'
}
echo "recircd ingest benchmark: wrk -t2 -c64, ${secs}s each, database on $(df -P "$dir" | awk 'NR==2{print $1}')"
echo "durable commit on this disk before the runs: $(fsync_ms) ms"
printf '| %-28s | %8s | %7s | %7s | %9s | %6s |\n' "endpoint" "req/s" "p50 ms" "p99 ms" "CPU us/req" "errors"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------" "----------" "---------" "---------" "-----------" "--------"
run "GET /healthz (ceiling)" -s "$top/bench/healthz.lua" "$url/healthz"
c=$last_rps
run "POST .../validate (ceiling)" -s "$top/bench/ingest.lua" "$url/v1/pickups/validate" -- "$tok" "$from" "$to" "v$$" /v1/pickups/validate
v=$last_rps
run "POST /v1/pickups (durable)" -s "$top/bench/ingest.lua" "$url/v1/pickups" -- "$tok" "$from" "$to" "b$$"
p=$last_rps
run "POST Open311 (durable)" -s "$top/bench/ingest.lua" "$url/open311/v2/requests.json" -- "$tok" "$from" "$to" "o$$" /open311/v2/requests.json
o=$last_rps
gc=$(curl -s -H "Authorization: Bearer $tok" "$url/v1/status" | jq -r '.group_commit | "\(.writes) writes in \(.transactions) transactions, \(.syncs) syncs"' 2>/dev/null || echo "?")
stored=$(sqlite3 "$db" "select count(*) from pickups" 2>/dev/null || echo "?")
echo "durable commit on this disk after the runs: $(fsync_ms) ms"
echo
echo "durable/ceiling ratio: $(awk -v p="$p" -v c="$v" 'BEGIN{printf "%.2f", c ? p/c : 0}') of validate, $(awk -v p="$p" -v c="$c" 'BEGIN{printf "%.2f", c ? p/c : 0}') of healthz   pickups stored: $stored   (synchronous=FULL, WAL)"
echo "Open311/v1 durable ratio: $(awk -v o="$o" -v p="$p" 'BEGIN{printf "%.2f", p ? o/p : 0}')   (target >= 0.8)"
echo "group commit: $gc"
