#!/bin/bash
# daemon-backup.sh -- "recircd backup FILE" while the daemon runs and takes
# writes: the copy passes integrity_check and "recircd verify", holds every
# pickup acknowledged before the backup began, and a new daemon started on
# it serves them and takes new ones.  verify refuses what is not a sound
# recircd database; backup refuses PostgreSQL (pg_dump's job).
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"

DB=$T/live.db
"$RECIRCD" -D "database=$DB" seed "$top_srcdir/data/demo-network.json" 2>/dev/null
daemon_start -D auth_cache=0 || { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)
FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+5 days' +%F)
body() {
	printf '{"reference":"%s","location":{"lat":51.45,"lon":-2.58},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":1}]}' \
	    "$1" "$FROM" "$TO"
}
submit() {	# submit REF: the new pickup's id, or nothing
	curl -s -H "Authorization: Bearer $A" -H 'Content-Type: application/json' \
	    --data-binary "$(body "$1")" "$URL/v1/pickups" | jq -r '.id // empty'
}

for i in $(seq 1 40); do submit "before-$i"; done > "$T/acked"
is "$(wc -l < "$T/acked")" 40 "40 pickups acknowledged before the backup"

# Load: submissions one after another until told to stop.
( i=0; while [ ! -e "$T/stop" ]; do i=$((i + 1)); submit "load-$i"; done ) \
    >> "$T/acked" &
LOAD=$!
n=0
while [ "$(wc -l < "$T/acked")" -lt 60 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
cp "$T/acked" "$T/before"	# acknowledged before the backup began
"$RECIRCD" -D "database=$DB" backup "$T/copy.db" > "$T/backup.out" 2> "$T/backup.err"
is "$?" 0 "recircd backup under load exits 0"
like "$(cat "$T/backup.out")" "integrity ok" "... and reports the copy's integrity"
sleep 0.3
touch "$T/stop"
wait $LOAD
ok $([ "$(wc -l < "$T/acked")" -gt "$(wc -l < "$T/before")" ] && echo 0 || echo 1) \
    "the daemon took writes while the backup ran"
ok $([ -z "$(ls "$T"/copy.db.tmp.* 2>/dev/null)" ] && echo 0 || echo 1) \
    "no temporary file is left"

is "$(sqlite3 "$T/copy.db" 'PRAGMA integrity_check')" ok "the copy passes integrity_check"
"$top_builddir/recircd" verify "$T/copy.db" > "$T/verify.out" 2>&1
is "$?" 0 "recircd verify accepts it"
like "$(cat "$T/verify.out")" "5 centres" "... and counts its network"
sqlite3 "$T/copy.db" 'SELECT id FROM pickups' | sort -n > "$T/in-copy"
missing=$(sort -n "$T/before" | comm -23 - "$T/in-copy" | wc -l)
is "$missing" 0 "every pickup acknowledged before the backup is in it"
ok $([ "$(wc -l < "$T/in-copy")" -le "$(wc -l < "$T/acked")" ] && echo 0 || echo 1) \
    "and nothing that was never acknowledged"

# Restore: the copy as a new daemon's database.
mkdir "$T/restored"
cp "$T/copy.db" "$T/restored/recircd.db"
DB=$T/restored/recircd.db
daemon_start -D auth_cache=0 || { echo "Bail out! the restored daemon did not start"; exit 1; }
bad=0
while read -r id; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $A" "$URL/v1/pickups/$id")
	[ "$code" = 200 ] || bad=$((bad + 1))
done < "$T/before"
is "$bad" 0 "the restored daemon serves every one of them (the token came along)"
ok $([ -n "$(submit after-restore)" ] && echo 0 || echo 1) "and takes new submissions"
daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"

# What verify and backup refuse.
echo "not a database" > "$T/junk.db"
"$top_builddir/recircd" verify "$T/junk.db" 2> "$T/err"
is "$?" 1 "verify refuses a file that is not a database"
like "$(cat "$T/err")" "not a database" "... saying so"
sqlite3 "$T/empty.db" 'CREATE TABLE t(x)'
"$top_builddir/recircd" verify "$T/empty.db" > /dev/null 2> "$T/err"
is "$?" 1 "verify refuses an SQLite file that is not recircd's"
"$top_builddir/recircd" -D database=postgresql://127.0.0.1/recirc backup "$T/pg.db" 2> "$T/err"
is "$?" 1 "backup of a PostgreSQL database: refused"
like "$(cat "$T/err")" "pg_dump" "... pointing to pg_dump"
"$top_builddir/recircd" -D "database=$T/copy.db" backup /nonexistent/dir/x.db 2> "$T/err"
is "$?" 1 "backup to a directory that does not exist: exit 1"
done_testing
