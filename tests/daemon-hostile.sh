#!/bin/bash
# daemon-hostile.sh -- requests that once stopped the daemon: bytes that
# are not UTF-8 in the path or a query value, error messages cut in the
# middle of a character, a field name too long for its buffer.  Each must
# get a well-formed JSON error, and the daemon must go on serving.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

daemon_start -D auth_cache=0 || { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)

alive() {	# alive DESCRIPTION: the daemon runs and answers
	kill -0 "$RECIRCD_PID" 2>/dev/null &&
	    [ "$(curl -s "$URL/healthz" | jq -r .status)" = ok ]
	ok $? "$1: the daemon still answers"
}
# hostile STATUS DESCRIPTION CURL-ARGS...: the reply has STATUS and a
# JSON error body that jq reads (so it is valid UTF-8 JSON).
hostile() {
	_want=$1 _what=$2
	shift 2
	_code=$(curl -s -o "$T/body" -w '%{http_code}' "$@")
	is "$_code" "$_want" "$_what: $_want"
	jq -e '.error.code | strings' "$T/body" >/dev/null
	ok $? "$_what: a JSON error"
	alive "$_what"
}

hostile 404 "GET /%FF" "$URL/%FF"
hostile 404 "GET /%C3" "$URL/%C3"
hostile 404 "GET /healthz%FF" "$URL/healthz%FF"
hostile 400 "status=%FF" -H "Authorization: Bearer $A" \
    "$URL/v1/pickups?status=%FF"
long=$(printf '%%C3%%A9%.0s' $(seq 200))
hostile 404 "a 404 for 200 x é" "$URL/$long"
msg=$(jq -r .error.message "$T/body")
like "$msg" "no such resource: /éé" "the 404 echoes the path"
# The message was cut to its buffer: on a character boundary, not in one.
case "$msg" in *"?") ok 1 "cut on a character boundary";; *) ok 0 "cut on a character boundary";; esac

# An item with an unknown key of 60 x "é": the field path does not fit.
FROM=$(date -u -d '+1 day' +%F)
key=$(printf 'é%.0s' $(seq 60))
b="{\"reference\":\"h-1\",\"location\":{\"lat\":51.5,\"lon\":-0.12},\"window\":{\"from\":\"$FROM\",\"to\":\"$FROM\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1,\"$key\":1}]}"
hostile 422 "an unknown key of 60 x é" -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' --data-binary "$b" "$URL/v1/pickups"
is "$(jq -r .error.code "$T/body")" unknown_field "... as unknown_field"
like "$(jq -r .error.field "$T/body")" "items[0].éé" "... naming the field"

# Raw bytes in the request line, not percent-encoded.
raw() {	# raw REQUEST: send bytes as they are; the status line's code
	exec 3<>"/dev/tcp/127.0.0.1/$PORT"
	printf "$1" >&3
	head -n 1 <&3 | cut -d' ' -f2
	exec 3<&-
}
is "$(raw 'GET /\377\303 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')" 404 "a raw 0xFF 0xC3 path: 404"
alive "a raw 0xFF 0xC3 path"

# The smaller defects of issue 15, each once accepted.
item() {	# item JSON-MEMBERS: a submission whose one item has them
	printf '{"reference":"%s","location":{"lat":51.5,"lon":-0.12},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":1%s}]}' \
	    "s-$RANDOM$RANDOM" "$FROM" "$FROM" "$1"
}
post() {	# post BODY [CONTENT-TYPE]: POST /v1/pickups
	curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $A" \
	    -H "Content-Type: ${2:-application/json}" --data-binary "$1" \
	    "$URL/v1/pickups"
}
is "$(post "$(item ',"weight_kg":1e-300')")" 422 "weight_kg 1e-300 (stored as 0): 422"
is "$(jq -r .error.field "$T/body")" "items[0].weight_kg" "... naming weight_kg"
is "$(post "$(item ',"volume_m3":0.00001')")" 422 "volume_m3 below a tenth of a litre: 422"
is "$(post "$(item ',"weight_kg":0.001,"volume_m3":0.0001')")" 201 "the smallest stored weight and volume: 201"
is "$(jq -r '.items[0].weight_kg' "$T/body")" 0.001 "... stored as 0.001, not 0"
is "$(post "$(item '')" 'application/jsonx')" 415 "Content-Type application/jsonx: 415"
is "$(post "$(item '')" 'application/json;charset=utf-8')" 201 "application/json;charset=utf-8: 201"
is "$(post "$(item '')" 'Application/JSON')" 201 "the media type in any case: 201"
nul="{\"reference\":\"nul\\u0000x\",\"location\":{\"lat\":51.5,\"lon\":-0.12},\"window\":{\"from\":\"$FROM\",\"to\":\"$FROM\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1}]}"
is "$(post "$nul")" 422 "\\u0000 in a string: 422 as recircd(8) says"
is "$(jq -r .error.code "$T/body")" invalid_value "... invalid_value"

# Two different Content-Length headers: refused, and what follows the
# shorter body is not served as a second request.
b=$(item '')
n=${#b}
smuggle=$(printf 'POST /v1/pickups HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nContent-Length: %d\r\n\r\n%sGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' \
    "$A" "$n" "$((n + 5))" "$b")
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf '%s' "$smuggle" >&3
timeout 10 cat <&3 > "$T/smuggled"
exec 3<&-
is "$(head -n 1 "$T/smuggled" | cut -d' ' -f2)" 400 "two Content-Length headers: 400"
is "$(grep -c '^HTTP/1' "$T/smuggled")" 1 "... one reply: nothing after it is read as a request"
grep -q '"code":"bad_request"' "$T/smuggled"
ok $? "... with the JSON error"
alive "two Content-Length headers"

done_testing
