#!/bin/bash
# daemon-damaged.sh -- a pickup row damaged in the database (by hand, a bad
# restore, a disk) must not stop the daemon: reading it answers 500 with a
# log line, a list shows it with an error in place of its document, and the
# other pickups are served as before.  Rows are damaged with sqlite3 while
# the daemon runs.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"

daemon_start -D auth_cache=0 || { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)
OPS=$(token_add ops-desk ops)

FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+5 days' +%F)
body() {	# body REFERENCE
	printf '{"reference":"%s","location":{"lat":51.5,"lon":-0.12,"address":"1 High St"},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":1,"weight_kg":45,"volume_m3":1.2,"condition":"repairable"}]}' \
	    "$1" "$FROM" "$TO"
}
for i in 1 2 3 4 5; do
	r=$(api POST /v1/pickups "$A" "$(body d-$i)")
	is "$(st "$r")" 201 "submit d-$i"
	eval "ID$i=$(jget "$(js "$r")" .id)"
done
sql() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
alive() {	# alive DESCRIPTION: the daemon runs and answers
	kill -0 "$RECIRCD_PID" 2>/dev/null &&
	    [ "$(jget "$(curl -s "$URL/healthz")" .status)" = ok ]
	ok $? "$1"
}

# Not JSON at all, invalid UTF-8 inside valid-looking JSON, a JSON array,
# and a status no version of recircd writes.
sql "UPDATE pickups SET body = 'not json' WHERE id = $ID2"
sql "UPDATE pickups SET body = CAST(X'7B226E6F746573223A22FF227D' AS TEXT) WHERE id = $ID3"
sql "UPDATE pickups SET body = '[1,2]' WHERE id = $ID4"
sql "UPDATE pickups SET status = 'lost' WHERE id = $ID5"

for id in $ID2 $ID3 $ID4 $ID5; do
	r=$(api GET "/v1/pickups/$id" "$A")
	is "$(st "$r")" 500 "GET a damaged pickup ($id): 500"
	is "$(jget "$(js "$r")" .error.code)" internal "its code is internal"
	like "$(jget "$(js "$r")" .error.message)" "pickup $id is damaged" \
	    "its message names the pickup"
	alive "the daemon survives reading pickup $id"
done
grep -q "pickup $ID2: its document is not a JSON object" "$T/recircd.log.$PORT"
ok $? "the log says what is wrong with pickup $ID2"
grep -q "pickup $ID3: its document is not a JSON object" "$T/recircd.log.$PORT"
ok $? "invalid UTF-8 in a document is caught by its parse"
grep -q "pickup $ID5: its status is not one recircd knows" "$T/recircd.log.$PORT"
ok $? "the log names an unknown status"

r=$(api GET "/v1/pickups/$ID1" "$A")
is "$(st "$r")" 200 "an intact pickup still reads"
is "$(jget "$(js "$r")" .reference)" d-1 "with its document"

# A list shows every pickup: the damaged ones with an error and without
# their document, so a desk sees that they exist and that they are broken.
r=$(api GET "/v1/pickups" "$OPS")
is "$(st "$r")" 200 "a list with damaged pickups answers 200"
is "$(jget "$(js "$r")" '.pickups | length')" 5 "it lists all five"
is "$(jget "$(js "$r")" "[.pickups[] | select(.error)] | map(.id) | join(\",\")")" \
    "$ID2,$ID3,$ID4,$ID5" "the damaged four carry an error"
is "$(jget "$(js "$r")" ".pickups[] | select(.id == $ID2) | .error.code")" internal \
    "the error's code is internal"
is "$(jget "$(js "$r")" ".pickups[] | select(.id == $ID2) | .status")" received \
    "a damaged pickup keeps its row's members (status)"
is "$(jget "$(js "$r")" ".pickups[] | select(.id == $ID2) | has(\"items\")")" false \
    "but not its document's"
is "$(jget "$(js "$r")" ".pickups[] | select(.id == $ID1) | .reference")" d-1 \
    "an intact pickup is listed whole"
grep -q "pickup $ID4: its document is not a JSON object; listed without" "$T/recircd.log.$PORT"
ok $? "the list logs each damaged row"
# Paging walks over a damaged row like any other.
cursor= ; seen=
for _p in 1 2 3 4 5 6; do
	r=$(js "$(api GET "/v1/pickups?limit=2${cursor:+&cursor=$cursor}" "$A")")
	seen="$seen$(jget "$r" '.pickups[].id' | tr '\n' ' ')"
	cursor=$(jget "$r" .next_cursor)
	[ "$cursor" = null ] && break
done
is "$seen" "$ID1 $ID2 $ID3 $ID4 $ID5 " "paging passes the damaged rows"

# A write on a damaged pickup is stored; its reply cannot show the pickup.
r=$(api POST "/v1/pickups/$ID2/cancel" "$A")
is "$(st "$r")" 500 "cancel of a damaged pickup: 500"
is "$(sql "SELECT status FROM pickups WHERE id = $ID2")" cancelled \
    "the cancellation itself is stored"
r=$(api POST "/v1/pickups/$ID5/cancel" "$A")
is "$(st "$r")" 409 "a pickup of unknown status cannot be cancelled"
alive "the daemon survives writes on damaged pickups"

# Repaired by hand, the pickup reads again.
sql "UPDATE pickups SET body = (SELECT body FROM pickups WHERE id = $ID1) WHERE id = $ID4"
is "$(st "$(api GET "/v1/pickups/$ID4" "$A")")" 200 "a repaired pickup reads again"

daemon_stop TERM
is "$DAEMON_STATUS" 0 "SIGTERM: clean exit"
done_testing
