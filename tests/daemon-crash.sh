#!/bin/bash
# daemon-crash.sh -- durability under SIGKILL.  A load generator submits
# pickups while recircd is killed with SIGKILL, four times; after each
# restart every acknowledged pickup must be in the database, intact
# (same reference, same coordinates, a valid document), and PRAGMA
# integrity_check must say ok.  Bounded: each round stops after at most
# 20000 submissions or 20 s.
. "$top_srcdir/tests/lib.sh"
LOADGEN=$top_builddir/tests/loadgen
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"

daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
TOK=$(token_add loader operator)
: > "$T/acks"
for round in 1 2 3 4; do
	"$LOADGEN" -a "127.0.0.1:$PORT" -t "$TOK" -p "r$round" -c 16 \
	    -n 20000 -o "$T/acks" &
	lg=$!
	# Kill after a round-dependent number of acknowledgements, so the
	# kill lands at different points of the commit cycle.
	want=$(( $(wc -l < "$T/acks") + 150 * round ))
	i=0
	while [ "$(wc -l < "$T/acks")" -lt "$want" ] && [ $i -lt 400 ]; do
		sleep 0.05; i=$((i + 1))
	done
	kill -KILL "$RECIRCD_PID"
	wait "$RECIRCD_PID" 2>/dev/null
	wait "$lg"
	acked=$(wc -l < "$T/acks")
	ok $([ "$acked" -ge "$want" ] && echo 0 || echo 1) \
	    "round $round: $acked acknowledged before SIGKILL"

	daemon_start || { echo "Bail out! recircd did not restart"; exit 1; }
	sqlite3 -separator ' ' "$DB" \
	    "select id, reference, printf('%.4f', lat) from pickups" |
	    sort > "$T/stored"
	sort "$T/acks" > "$T/acked"
	missing=$(comm -23 "$T/acked" "$T/stored" | wc -l)
	is "$missing" 0 "round $round: every acknowledged pickup survived intact"
	bad=$(sqlite3 "$DB" "select count(*) from pickups where
	    json_valid(body) = 0 or
	    json_extract(body, '$.reference') != reference")
	is "$bad" 0 "round $round: every stored document is whole"
	is "$(sqlite3 "$DB" 'pragma integrity_check')" ok \
	    "round $round: integrity_check ok"
done
dups=$(sqlite3 "$DB" "select count(*) - count(distinct reference) from pickups")
is "$dups" 0 "no reference stored twice"
done_testing
