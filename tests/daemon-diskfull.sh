#!/bin/bash
# daemon-diskfull.sh -- the disk fills up: the client gets 503 with a JSON
# error, nothing half-written remains, acknowledged pickups stay, reads go
# on, and once there is room again writes succeed.  The "disk" is a file
# size limit (ulimit -f), which makes SQLite's writes fail with EFBIG
# exactly as a full file system does.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"

DB=$T/full.db
"$RECIRCD" -D "database=$DB" token add council operator > "$T/tok" 2>/dev/null
TOK=$(cat "$T/tok")
size=$(( $(stat -c %s "$DB") / 1024 + 48 ))
( ulimit -f "$size"; daemon_start; echo "$PORT $RECIRCD_PID" > "$T/started"; wait ) &
sub=$!
i=0
while [ ! -s "$T/started" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
read -r PORT RECIRCD_PID < "$T/started"
DAEMON_PIDS="$DAEMON_PIDS $RECIRCD_PID"
URL=http://127.0.0.1:$PORT
ok $([ -n "$PORT" ] && echo 0 || echo 1) "daemon started under a file size limit"

FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+5 days' +%F)
acked=0 full=0 other=0
for n in $(seq 1 400); do
	notes=$(head -c 600 /dev/zero | tr '\0' n)
	code=$(curl -s -o "$T/body" -w '%{http_code}' \
	    -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
	    --data-binary "{\"reference\":\"f-$n\",\"location\":{\"lat\":1,\"lon\":1},\"window\":{\"from\":\"$FROM\",\"to\":\"$TO\"},\"items\":[{\"category\":\"books\",\"quantity\":1}],\"notes\":\"$notes\"}" \
	    "$URL/v1/pickups")
	case $code in
	201) acked=$((acked + 1)); echo "f-$n" >> "$T/acked" ;;
	503) full=$((full + 1)); cp "$T/body" "$T/body503"
	     [ $full -ge 5 ] && break ;;
	*) other=$((other + 1)) ;;
	esac
done
ok $([ $full -ge 1 ] && echo 0 || echo 1) "a full disk answers 503 ($acked accepted first)"
is "$other" 0 "no other failure status"
is "$(jq -r .error.code "$T/body503")" unavailable "503 carries a JSON error"
is "$(curl -s "$URL/healthz" | jq -r .status)" ok "the daemon keeps running"
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" \
    "$URL/v1/pickups?limit=1")
is "$r" 200 "reads still work on a full disk"

kill -TERM "$RECIRCD_PID"; wait "$sub" 2>/dev/null
stored=$(sqlite3 "$DB" "select reference from pickups order by id" | sort)
is "$(echo "$stored" | wc -l)" "$acked" "exactly the acknowledged pickups are stored"
is "$(comm -3 <(echo "$stored") <(sort "$T/acked") | wc -l)" 0 "and they are the right ones"
is "$(sqlite3 "$DB" 'pragma integrity_check')" ok "integrity_check ok"

DB=$DB daemon_start || { echo "Bail out! no restart"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" \
    -H 'Content-Type: application/json' \
    --data-binary "{\"reference\":\"after\",\"location\":{\"lat\":1,\"lon\":1},\"window\":{\"from\":\"$FROM\",\"to\":\"$TO\"},\"items\":[{\"category\":\"books\",\"quantity\":1}]}" \
    "$URL/v1/pickups")
is "$code" 201 "with room again, writes succeed"
done_testing
