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

done_testing
