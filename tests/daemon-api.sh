#!/bin/bash
# daemon-api.sh -- recircd over real HTTP on loopback: submit, replay,
# conflict, roles, operator isolation, paging, cancel, and the bad-input
# table (each must answer with its status and a JSON error and store
# nothing), limits and slow clients.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

daemon_start -D http_timeout=2 -D auth_cache=0 || { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)
B=$(token_add council-b operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)

FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+5 days' +%F)
body() {	# body REFERENCE [NOTES]
	printf '{"reference":"%s","location":{"lat":51.5,"lon":-0.12,"address":"1 High St"},"window":{"from":"%s","to":"%s"},"time_windows":[{"start":"08:00","end":"12:00"}],"items":[{"category":"sofa","quantity":1,"weight_kg":45,"volume_m3":1.2,"condition":"repairable"}],"notes":"%s"}' \
	    "$1" "$FROM" "$TO" "${2:-side gate}"
}
status_of() { printf '%s' "$1" | cut -d' ' -f1; }
json_of() { printf '%s' "$1" | cut -d' ' -f2-; }

r=$(curl -s "$URL/healthz")
is "$(jget "$r" .status)" ok "healthz answers ok"

# --- submit, replay, conflict -------------------------------------------
r=$(api POST /v1/pickups "$A" "$(body ticket-123)")
is "$(status_of "$r")" 201 "submit answers 201"
ID=$(jget "$(json_of "$r")" .id)
is "$(jget "$(json_of "$r")" .status)" received "new pickup is received"
is "$(jget "$(json_of "$r")" .items[0].streams[0])" repair "eligible streams attached"
r=$(api POST /v1/pickups "$A" "$(body ticket-123)")
is "$(status_of "$r")" 200 "same reference, same body: 200"
is "$(jget "$(json_of "$r")" .id)" "$ID" "replay returns the original pickup"
hdr=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' --data-binary "$(body ticket-123)" \
    "$URL/v1/pickups" | tr -d '\r')
like "$hdr" "Idempotent-Replay: true" "replay is marked"
r=$(api POST /v1/pickups "$A" "$(body ticket-123 'front door')")
is "$(status_of "$r")" 409 "same reference, other body: 409"
is "$(jget "$(json_of "$r")" .error.code)" conflict "conflict code"

k() { api_curl "$T/body" -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $1" \
    --data-binary "$2" "$URL/v1/pickups"; }
is "$(k key-1 "$(body ticket-k1)")" 201 "submit with Idempotency-Key"
KID=$(jq -r .id "$T/body")
is "$(k key-1 "$(body ticket-k1)")" 200 "same key, same body: 200"
is "$(jq -r .id "$T/body")" "$KID" "key replay returns the original"
is "$(k key-1 "$(body ticket-k2)")" 409 "same key, other body: 409"
is "$(jq -r .error.field "$T/body")" Idempotency-Key "the 409 names the key"
is "$(k key-2 "$(body ticket-k1 'other notes')")" 409 "new key, used reference, other body: 409"
is "$(jq -r .error.field "$T/body")" reference "the 409 names the reference"

# --- reading, roles, isolation ------------------------------------------
r=$(api GET "/v1/pickups/$ID" "$A")
is "$(status_of "$r")" 200 "owner reads its pickup"
is "$(jget "$(json_of "$r")" '.history[0].status')" received "history included"
is "$(status_of "$(api GET "/v1/pickups/$ID" "$B")")" 404 "another operator gets 404"
is "$(status_of "$(api GET "/v1/pickups/$ID" "$OPS")")" 200 "ops reads every pickup"
is "$(status_of "$(api GET "/v1/pickups/$ID" "$PLN")")" 200 "planner reads every pickup"
r=$(api POST /v1/pickups "$OPS" "$(body ops-1)")
is "$(status_of "$r")" 403 "ops may not submit"
is "$(jget "$(json_of "$r")" .error.code)" forbidden "403 code"
is "$(status_of "$(api POST /v1/pickups "$PLN" "$(body p-1)")")" 403 "planner may not submit"

# --- paging ---------------------------------------------------------------
for i in 1 2 3 4 5 6 7; do api POST /v1/pickups "$A" "$(body page-$i)" >/dev/null; done
api POST /v1/pickups "$B" "$(body b-only)" >/dev/null
cursor= ; seen= ; pages=0
while :; do
	r=$(api GET "/v1/pickups?limit=3${cursor:+&cursor=$cursor}" "$A")
	seen="$seen $(jget "$(json_of "$r")" '.pickups[].id' | tr '\n' ' ')"
	cursor=$(jget "$(json_of "$r")" .next_cursor)
	pages=$((pages + 1))
	[ "$cursor" = null ] && break
	[ $pages -gt 10 ] && break
done
n=$(echo $seen | wc -w)
is "$n" 9 "operator A pages through all 9 of its pickups"
is "$(echo $seen | tr ' ' '\n' | sort -n | uniq | wc -l)" 9 "no pickup twice"
is "$(echo $seen | tr ' ' '\n' | sort -n | tr '\n' ' ')" "$(echo $seen | tr ' ' '\n' | tr '\n' ' ')" "stable id order"
is "$pages" 3 "3 per page: 3 pages"
r=$(api GET "/v1/pickups?limit=500" "$OPS")
is "$(jget "$(json_of "$r")" '.pickups | length')" 10 "ops lists all operators' pickups"
r=$(api GET "/v1/pickups?since=2000-01-01" "$B")
is "$(jget "$(json_of "$r")" '.pickups | length')" 1 "B lists only its own"
r=$(api GET "/v1/pickups?since=2999-01-01" "$A")
is "$(jget "$(json_of "$r")" '.pickups | length')" 0 "since in the future: none"

# --- cancel -----------------------------------------------------------------
is "$(status_of "$(api POST "/v1/pickups/$ID/cancel" "$B")")" 404 "B cannot cancel A's pickup"
r=$(api POST "/v1/pickups/$ID/cancel" "$A")
is "$(status_of "$r")" 200 "owner cancels"
is "$(jget "$(json_of "$r")" .status)" cancelled "status is cancelled"
is "$(status_of "$(api POST "/v1/pickups/$ID/cancel" "$A")")" 200 "cancel is idempotent"
r=$(api GET "/v1/pickups?status=cancelled" "$A")
is "$(jget "$(json_of "$r")" '.pickups | length')" 1 "status filter finds it"
r=$(api GET "/v1/pickups/$ID" "$OPS")
is "$(jget "$(json_of "$r")" '.history | length')" 2 "history has both events"
is "$(status_of "$(api POST /v1/pickups/999999/cancel "$A")")" 404 "cancel unknown pickup: 404"

stored_before=$(db_query "select count(*) from pickups")

r=$(api GET /v1/status "$OPS")
w=$(jget "$(json_of "$r")" .group_commit.writes)
t=$(jget "$(json_of "$r")" .group_commit.transactions)
ok $([ "$w" -ge 12 ] && [ "$t" -ge 1 ] && [ "$t" -le "$w" ] && echo 0 || echo 1) "status counts the group commit's writes ($w) and transactions ($t)"

# --- validate: the submission's checks, nothing stored ----------------------
r=$(api POST /v1/pickups/validate "$A" "$(body val-1)")
is "$(status_of "$r")" 200 "validate: a good request gets 200"
is "$(jget "$(json_of "$r")" .valid)" true "validate: valid is true"
is "$(jget "$(json_of "$r")" .pickup.reference)" val-1 "validate: the canonical pickup comes back"
is "$(jget "$(json_of "$r")" .pickup.items[0].streams[0])" repair "validate: streams attached as on submit"
r=$(api POST /v1/pickups/validate "$A" "$(body val-2 | sed 's/"lat":51.5/"lat":95/')")
is "$(status_of "$r")" 422 "validate: a bad request gets the submission's status"
is "$(jget "$(json_of "$r")" .error.field)" location.lat "validate: ... and its field"
is "$(status_of "$(api POST /v1/pickups/validate "$OPS" "$(body val-3)")")" 403 "validate: ops may not submit, so may not validate"
is "$(status_of "$(api GET /v1/pickups/validate "$A")")" 405 "validate: GET is 405"

# --- the bad-input table --------------------------------------------------
# name | status | code | how (a body mutation, or a special case)
bad() {	# bad NAME WANT-STATUS WANT-CODE CURL-ARGS...
	_name=$1 _st=$2 _code=$3
	shift 3
	_got=$(api_curl "$T/body" "$@")
	is "$_got" "$_st" "bad input: $_name -> $_st"
	if [ -n "$_code" ]; then
		is "$(jq -r .error.code "$T/body" 2>/dev/null)" "$_code" \
		    "bad input: $_name -> code $_code"
	fi
}
P=(-H "Authorization: Bearer $A" -H 'Content-Type: application/json' "$URL/v1/pickups")
good=$(body bad-1)
mut() { printf '%s' "$good" | sed "s/$1/$2/"; }
bad "malformed JSON" 400 invalid_json "${P[@]}" --data-binary '{"reference":'
bad "empty body" 400 invalid_json "${P[@]}" --data-binary ''
bad "not an object" 400 wrong_type "${P[@]}" --data-binary '[1]'
bad "wrong type" 422 wrong_type "${P[@]}" --data-binary "$(mut '"lat":51.5' '"lat":"north"')"
bad "missing field" 422 missing_field "${P[@]}" --data-binary "$(mut '"reference":"bad-1",' '')"
bad "lat out of range" 422 out_of_range "${P[@]}" --data-binary "$(mut '"lat":51.5' '"lat":95')"
bad "lon out of range" 422 out_of_range "${P[@]}" --data-binary "$(mut '"lon":-0.12' '"lon":-200')"
bad "negative quantity" 422 out_of_range "${P[@]}" --data-binary "$(mut '"quantity":1' '"quantity":-2')"
bad "absurd weight" 422 out_of_range "${P[@]}" --data-binary "$(mut '"weight_kg":45' '"weight_kg":99999')"
bad "unknown category" 422 unknown_category "${P[@]}" --data-binary "$(mut '"sofa"' '"piano_grand"')"
bad "unknown condition" 422 unknown_condition "${P[@]}" --data-binary "$(mut '"repairable"' '"shiny"')"
bad "inverted window" 422 invalid_window "${P[@]}" --data-binary "$(mut "\"to\":\"$TO\"" '"to":"2026-01-01"')"
bad "past window" 422 invalid_window "${P[@]}" --data-binary "$(mut "\"from\":\"$FROM\",\"to\":\"$TO\"" '"from":"2020-01-01","to":"2020-01-02"')"
items=$(for i in $(seq 60); do printf '{"category":"chair","quantity":1},'; done)
bad "region not an id" 422 invalid_value "${P[@]}" --data-binary "$(mut '"reference":"bad-1",' '"reference":"bad-1","region":"no where",')"
bad "region no centre names" 422 invalid_value "${P[@]}" --data-binary "$(mut '"reference":"bad-1",' '"reference":"bad-1","region":"atlantis",')"
bad "too many items" 422 too_many_items "${P[@]}" --data-binary "$(mut '"items":\[' "\"items\":[${items}")"
printf '%s' "$(mut 'High St' "$(printf 'Caf\351')")" > "$T/latin1.json"
bad "non-UTF-8" 400 invalid_utf8 "${P[@]}" --data-binary @"$T/latin1.json"
bad "duplicate key" 400 invalid_json "${P[@]}" --data-binary '{"reference":"a","reference":"b"}'
bad "wrong content type" 415 unsupported_media_type -H "Authorization: Bearer $A" -H 'Content-Type: text/plain' --data-binary "$good" "$URL/v1/pickups"
head -c 100000 /dev/zero | tr '\0' ' ' > "$T/big.json"
bad "oversized body" 413 too_large "${P[@]}" --data-binary @"$T/big.json"
head -c 3000000 /dev/zero | tr '\0' ' ' > "$T/huge.json"
bad "huge body (refused unread)" 413 "" "${P[@]}" --data-binary @"$T/huge.json"
bad "oversized headers (refused by evhttp)" 400 "" -H "X-Junk: $(head -c 20000 /dev/zero | tr '\0' a)" "${P[@]}" --data-binary "$good"
bad "missing token" 401 unauthorized -H 'Content-Type: application/json' --data-binary "$good" "$URL/v1/pickups"
bad "invalid token" 401 unauthorized -H 'Authorization: Bearer rct_nope' -H 'Content-Type: application/json' --data-binary "$good" "$URL/v1/pickups"
bad "not a bearer" 401 unauthorized -H 'Authorization: Basic Zm9vOmJhcg==' "$URL/v1/pickups"
bad "wrong role" 403 forbidden -H "Authorization: Bearer $OPS" -H 'Content-Type: application/json' --data-binary "$good" "$URL/v1/pickups"
bad "unknown route" 404 not_found -H "Authorization: Bearer $A" "$URL/v1/spaceships"
bad "bad id" 404 not_found -H "Authorization: Bearer $A" "$URL/v1/pickups/0x10"
bad "wrong method" 405 method_not_allowed -X DELETE -H "Authorization: Bearer $A" "$URL/v1/pickups"
bad "bad status filter" 400 invalid_value -H "Authorization: Bearer $A" "$URL/v1/pickups?status=lost"
bad "bad limit" 400 invalid_value -H "Authorization: Bearer $A" "$URL/v1/pickups?limit=100000"
bad "bad cursor" 400 invalid_value -H "Authorization: Bearer $A" "$URL/v1/pickups?cursor=abc"
bad "bad idempotency key" 400 invalid_value -H "Idempotency-Key: $(head -c 300 /dev/zero | tr '\0' k)" "${P[@]}" --data-binary "$good"
is "$(db_query "select count(*) from pickups")" "$stored_before" "bad input stored nothing"

# --- slow and idle clients --------------------------------------------------
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /v1/pickups HTTP/1.1\r\nHost: x\r\n' >&5
r=$(curl -s "$URL/healthz")
is "$(jget "$r" .status)" ok "a stalled client does not block others"
if read -r -t 10 line <&5; then :; fi
read -r -t 10 rest <&5
rc=$?
ok $([ $rc -le 1 ] && echo 0 || echo 1) "the stalled client is timed out and disconnected"
exec 5>&-

is "$(jget "$(curl -s "$URL/healthz")" .status)" ok "daemon still healthy after all bad input"

# --- revocation (auth_cache=0: at once) ---------------------------------------
REV=$(token_add revoke-me operator)
is "$(status_of "$(api GET /v1/status "$REV")")" 200 "a new token works at once"
rid=$("$RECIRCD" -D "database=$DB" token list | awk '$2 == "revoke-me" {print $1}')
"$RECIRCD" -D "database=$DB" token revoke "$rid" 2>/dev/null
is "$(status_of "$(api GET /v1/status "$REV")")" 401 "a revoked token is refused"
daemon_stop TERM
is "$DAEMON_STATUS" 0 "SIGTERM: clean exit"
grep -q "drained, exiting" "$T/recircd.log.$PORT"
ok $? "SIGTERM drains before exit"
sqlite_only "integrity_check of the database file"
r=$(sqlite3 "$DB" "pragma integrity_check")
is "$r" ok "database integrity after the run"
done_testing
