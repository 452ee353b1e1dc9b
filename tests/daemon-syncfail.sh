#!/bin/bash
# daemon-syncfail.sh -- the disk fails to sync: a write whose WAL sync
# fails is answered 503, and so is every later write until a restart
# (the kernel may have dropped the pages); reads go on; after a restart
# the client's retry finds its pickup or stores it, never a duplicate.
# fdatasync is made to fail by an LD_PRELOAD shim (tests/failsync.so).
. "$top_srcdir/tests/lib.sh"
SHIM=$top_builddir/tests/failsync.so
[ -f "$SHIM" ] || skip_all "no failsync.so"
# An LD_PRELOAD shim cannot go before the sanitizers' runtime.
[ "${SANITIZED:-no}" = yes ] && skip_all "built with --enable-sanitizers"

TOK=$(token_add council operator)
FROM=$(date -u -d '+1 day' +%F); TO=$(date -u -d '+3 days' +%F)
post() {	# post REFERENCE: prints the status
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" \
	    -H 'Content-Type: application/json' --data-binary \
	    "{\"reference\":\"$1\",\"location\":{\"lat\":1,\"lon\":1},\"window\":{\"from\":\"$FROM\",\"to\":\"$TO\"},\"items\":[{\"category\":\"books\",\"quantity\":1}]}" \
	    "$URL/v1/pickups"
}
export RECIRC_FAILSYNC=$T/fail-now
LD_PRELOAD=$SHIM daemon_start || { echo "Bail out! no start"; exit 1; }
is "$(post s-1)" 201 "a write succeeds while the disk syncs"
touch "$RECIRC_FAILSYNC"
is "$(post s-2)" 503 "a write whose sync fails gets 503"
is "$(jq -r .error.code "$T/body")" unavailable "with a JSON error"
rm -f "$RECIRC_FAILSYNC"
is "$(post s-3)" 503 "later writes are refused until restart"
grep -q "refusing writes until restart" "$T"/recircd.log.*
ok $? "the log says why"
r=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" "$URL/v1/pickups")
is "$r" 200 "reads still work"
daemon_stop
unset RECIRC_FAILSYNC
daemon_start || { echo "Bail out! no restart"; exit 1; }
is "$(post s-1)" 200 "after restart the first write is there (replay)"
code=$(post s-2)
ok $([ "$code" = 200 ] || [ "$code" = 201 ] && echo 0 || echo 1) "the 503'd write's retry succeeds ($code)"
is "$(post s-3)" 201 "a refused write's retry is stored"
is "$(sqlite3 "$DB" "select count(*) from pickups")" 3 "no duplicates"
is "$(sqlite3 "$DB" 'pragma integrity_check')" ok "integrity_check ok"
done_testing
