#!/bin/bash
# scale.sh -- recircd nodes on one PostgreSQL database (not a test).
#
# 1. Durable intake: POST /v1/pickups under the same wrk load (64
#    connections in all, split evenly over the nodes) on one SQLite node,
#    then on 1, 2 and 4 nodes sharing a fresh PostgreSQL database (a
#    cluster of its own on loopback: tests/pg-cluster.sh).  Every
#    acknowledged pickup is counted in the database afterwards.
# 2. The night: 8 regions x PICKUPS pickups (bench/city.awk -v regions=1:
#    a centre and 5 vans per region), 8 regional plans queued at once,
#    run by 1 node, then by 2 nodes sharing the queue (max_solves 1 each);
#    wall time until the last is done.
#
# All nodes run on this one machine: what it shows is the protocol (every
# write once, the queue spread), not the gain of separate machines; see
# the README.  usage: bench/scale.sh [SECONDS] [PICKUPS] [SOLVE]
# (default 10 s of wrk, 500 pickups a region, solve_timeout 25 s: the
# solver works for four fifths of it)
set -eu
secs=${1:-10}
per=${2:-500}
solve=${3:-25}
command -v wrk >/dev/null || { echo "scale.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v psql >/dev/null || { echo "scale.sh: psql is not installed (apt-get install postgresql)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init recirc-scale
dir=$BENCH_TMP
# The cluster's own directory (its owner is nobody when this runs as root),
# stopped after the nodes.
pgdir=$(mktemp -d "${TMPDIR:-/var/tmp}/recirc-scale-pg.XXXXXX")
bench_atexit sh "$top/tests/pg-cluster.sh" stop "$pgdir"
bench_atexit rm -rf "$pgdir"
pg=$(sh "$top/tests/pg-cluster.sh" start "$pgdir")
from=$(date -u -d '+1 day' +%F); to=$(date -u -d '+3 days' +%F)
ndb=0

newdb() {	# newdb: a fresh PostgreSQL database, its keywords in DB
	ndb=$((ndb + 1))
	psql -qX "$pg dbname=postgres" -c "CREATE DATABASE scale$ndb" >/dev/null
	DB="$pg dbname=scale$ndb"
}
start() {	# start DB NAME [args]: a node; its URL in URL
	local db=$1 name=$2
	shift 2
	bench_daemon "$db" "$dir/log.$name" -D "node=$name" "$@"
	URL=$BENCH_URL
}
count() {	# count DB: pickups stored
	case $1 in
	*dbname=*) psql -qAtX "$1" -c "select count(*) from pickups" ;;
	*) sqlite3 "$1" "select count(*) from pickups" ;;
	esac
}

# intake LABEL DB N: N nodes on DB, 64/N connections each
intake() {
	local label=$1 db=$2 n=$3 tok urls=() i c reqs=0 dur=0 p99=0 bad=0 line
	local wpids=""
	tok=$(bench_token "$db" bench operator)
	for i in $(seq "$n"); do
		start "$db" "n$i"
		urls+=("$URL")
	done
	c=$((64 / n))
	for i in $(seq "$n"); do
		wrk -t1 -c"$c" -d"${secs}s" -s "$top/bench/ingest.lua" \
		    "${urls[$((i - 1))]}/v1/pickups" -- "$tok" "$from" "$to" \
		    "s$ndb-$i" > "$dir/wrk.$i" &
		wpids="$wpids $!"
	done
	wait $wpids
	for i in $(seq "$n"); do
		line=$(grep '^RESULT' "$dir/wrk.$i")
		set -- $line
		reqs=$((reqs + $2))
		dur=$(awk -v a="$dur" -v b="$3" 'BEGIN { print (a > b ? a : b) }')
		p99=$(awk -v a="$p99" -v b="$5" 'BEGIN { print (a > b ? a : b) }')
		bad=$((bad + $6 + $7))
	done
	bench_stop
	printf '| %-22s | %5s | %8.0f | %7s | %6s | %8s | %8s |\n' "$label" "$n" \
	    "$(awk -v r="$reqs" -v d="$dur" 'BEGIN { print r / d }')" "$p99" \
	    "$bad" "$((reqs - bad))" "$(count "$db")"
}

echo "recircd scale benchmark: durable POST /v1/pickups, wrk, 64 connections in all, ${secs}s; $(nproc) cores"
printf '| %-22s | %5s | %8s | %7s | %6s | %8s | %8s |\n' engine nodes "req/s" "p99 ms" errors acked stored
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------------------ ------- ---------- --------- -------- ---------- ----------
intake "SQLite (one file)" "$dir/sqlite.db" 1
for n in 1 2 4; do
	newdb
	intake "PostgreSQL (shared)" "$DB" "$n"
done

# The night: 8 regions, PICKUPS each, queued at once.
awk -v regions=1 -f "$top/bench/city.awk" > "$dir/network.json"
awk -v per="$per" -v from="$from" -v to="$to" 'BEGIN {
	pi = atan2(0, -1); srand(7)
	for (r = 0; r < 8; r++) {
		clat = 51.45 + 0.04 * sin(2 * pi * r / 8)
		clon = -2.59 + 0.065 * cos(2 * pi * r / 8)
		for (k = 0; k < per; k++) {
			a = 2 * pi * rand(); d = 0.02 * sqrt(rand())
			printf "{\"reference\":\"r%d-%d\",\"region\":\"r%d\",\"location\":{\"lat\":%.5f,\"lon\":%.5f},\"window\":{\"from\":\"%s\",\"to\":\"%s\"},\"items\":[{\"category\":\"chair\",\"quantity\":1}]}\n",
			    r, k, r, clat + d * sin(a), clon + 1.6 * d * cos(a), from, to
		}
	}
}' > "$dir/pickups.jsonl"

# night N: N nodes plan the 8 regions; prints the table row
night() {
	local n=$1 db tok ptok urls=() i t0 t1 left r
	newdb
	db=$DB
	bench_seed "$db" "$dir/network.json"
	tok=$(bench_token "$db" bench operator)
	ptok=$(bench_token "$db" planner planner)
	for i in $(seq "$n"); do
		start "$db" "p$i" -D "solver=$build/recirc-solve" \
		    -D max_solves=1 -D "solve_timeout=$solve" -D plan_days=3
		urls+=("$URL")
	done
	while IFS= read -r line; do
		curl -s -o /dev/null -X POST -H "Authorization: Bearer $tok" \
		    -H 'Content-Type: application/json' --data-binary "$line" \
		    "${urls[0]}/v1/pickups"
	done < "$dir/pickups.jsonl"
	t0=$(date +%s.%N)
	for r in 0 1 2 3 4 5 6 7; do
		curl -s -o /dev/null -X POST -H "Authorization: Bearer $ptok" \
		    -H 'Content-Type: application/json' \
		    --data-binary "{\"region\":\"r$r\"}" "${urls[0]}/v1/plans"
	done
	while :; do
		left=$(psql -qAtX "$db" -c "select count(*) from plans where state in ('queued', 'running')")
		[ "$left" = 0 ] && break
		sleep 0.2
	done
	t1=$(date +%s.%N)
	printf '| %5s | %8.1f | %4s | %6s | %9s | %s |\n' "$n" \
	    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
	    "$(psql -qAtX "$db" -c "select count(*) from plans where state = 'done'")" \
	    "$(psql -qAtX "$db" -c "select count(*) from plans where state = 'failed'")" \
	    "$(psql -qAtX "$db" -c "select count(*) from pickups where status = 'scheduled'")" \
	    "$(psql -qAtX "$db" -c "select string_agg(node || ':' || n, ' ' order by node) from (select node, count(*) n from plans group by node) x")"
	bench_stop
}
echo
echo "the night: 8 regions x $per pickups, 8 regional plans queued at once, max_solves 1 per node, solve_timeout $solve s"
printf '| %5s | %8s | %4s | %6s | %9s | %s |\n' nodes "wall s" done failed scheduled "plans per node"
printf '|%s|%s|%s|%s|%s|%s|\n' ------- ---------- ------ -------- ----------- ----------------
night 1
night 2
