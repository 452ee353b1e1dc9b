#!/bin/bash
# daemon-slow.sh -- the connection guard (src/http-conn.c): slow clients
# past the caps get a JSON 503 and others are still served; a client that
# trickles its request is cut at the deadline whatever it keeps sending;
# libevent's own error replies are the API's JSON; and when descriptors
# run out the daemon pauses accepting instead of logging in a busy loop.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
curl -s -o /dev/null --interface 127.0.0.2 http://127.0.0.1:1/ 2>/dev/null
[ $? -eq 45 ] && skip_all "no 127.0.0.2 on the loopback interface"

# The caps, with a header deadline and an idle timeout long enough not to
# interfere.
daemon_start -D max_connections=12 -D max_connections_per_peer=6 -D http_timeout=300 \
    -D http_header_timeout=60 -D auth_cache=0 ||
    { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)

# slow_here: a connection from 127.0.0.1 that sends one header line and
# stops.  bash cannot bind a source address, so other peers are curl
# --interface with a body that never comes.
SLOW=
mkfifo "$T/never"
exec {never}<>"$T/never"	# held open: the curls below wait for a body
slow_from() {	# slow_from ADDR: a curl from ADDR stuck sending its body
	curl -s -o /dev/null --interface "$1" -X POST -T - \
	    -H "Authorization: Bearer $A" -H 'Content-Type: application/json' \
	    "$URL/v1/pickups" < "$T/never" &
	SLOW="$SLOW $!"
}
slow_here() {
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'POST /v1/pickups HTTP/1.1\r\nHost: x\r\n' >&"$fd"
	FDS="$FDS $fd"
}
# reply FD: the status line's code and the body of the reply on FD
reply() {
	timeout 8 cat <&"$1" > "$T/reply"
	head -n 1 "$T/reply" | cut -d' ' -f2
}
status_open() {
	curl -s -H "Authorization: Bearer $A" "$URL/v1/status" |
	    jq -r ".connections.$1"
}

# --- per peer ---------------------------------------------------------------
FDS=
for i in 1 2 3 4 5 6; do slow_here; done
exec {extra}<>"/dev/tcp/127.0.0.1/$PORT"
is "$(reply "$extra")" 503 "the 7th connection from one peer: 503"
is "$(sed -n '/^\r$/,$p' "$T/reply" | tail -n 1 | jq -r .error.code)" \
    too_many_connections "... with the JSON error"
exec {extra}<&-
code=$(curl -s -o "$T/h" -w '%{http_code}' --interface 127.0.0.2 "$URL/healthz")
is "$code" 200 "another peer's /healthz is answered meanwhile"
is "$(jq -r .status "$T/h")" ok "... with its JSON"

# --- in all -----------------------------------------------------------------
# Five more stalled ones from other peers: 11 open.  Wait until the
# daemon counts them (the asking connection, from yet another peer, is
# the 12th, within the cap, so no stalled one is ever refused).
for a in 127.0.0.3 127.0.0.3 127.0.0.4 127.0.0.4 127.0.0.5; do
	slow_from "$a"
done
open_from() {	# open_from ADDR: /v1/status's open count, asked from ADDR
	curl -s --interface "$1" -H "Authorization: Bearer $A" "$URL/v1/status" |
	    jq -r '.connections.open // empty'
}
i=0
while [ "$(open_from 127.0.0.6)" != 12 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
is "$(open_from 127.0.0.6)" 12 "11 stalled and the one asking: 12 open"
# A 12th stalled one fills the cap; a request from a new peer is then the
# 13th.  Should that request come in first, it is the 12th and the
# stalled one the refused 13th: start that one again and ask again.
slow_from 127.0.0.5
last=${SLOW##* }
i=0
while code=$(curl -s -o "$T/b" -w '%{http_code}' --interface 127.0.0.7 \
    "$URL/healthz") && [ "$code" = 200 ] && [ $i -lt 300 ]; do
	kill -0 "$last" 2>/dev/null || { slow_from 127.0.0.5; last=${SLOW##* }; }
	sleep 0.1
	i=$((i + 1))
done
is "$code" 503 "past max_connections in all: 503"
is "$(jq -r .error.code "$T/b")" too_many_connections "... with the JSON error"
for fd in $FDS; do exec {fd}<&-; done
for p in $SLOW; do kill "$p" 2>/dev/null; done
wait $SLOW 2>/dev/null
i=0
while [ "$(status_open open)" != 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(status_open open)" 1 "/v1/status counts the open connections (its own)"
ok $([ "$(status_open refused)" -ge 2 ] && echo 0 || echo 1) \
    "/v1/status counts the refused ones"
daemon_stop

# --- the header deadline ------------------------------------------------------
daemon_start -D http_header_timeout=3 -D auth_cache=0 ||
    { echo "Bail out! recircd did not start"; exit 1; }
# Every stalled one is closed at the deadline (3 s), with a JSON 408.
FDS=
for i in 1 2 3 4 5 6; do slow_here; done
for fd in $FDS; do
	r=$(reply "$fd")
	[ "$r" = 408 ] || break
done
is "$r" 408 "each stalled connection gets 408 at the deadline"
is "$(sed -n '/^\r$/,$p' "$T/reply" | tail -n 1 | jq -r .error.code)" timeout \
    "... with the JSON error"
for fd in $FDS; do exec {fd}<&-; done
ok $([ "$(status_open timed_out)" -ge 6 ] && echo 0 || echo 1) \
    "/v1/status counts the timed-out ones"

# A client that trickles a header line every half second is not kept by
# its bytes: it is cut at the deadline although it never stops sending.
exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /healthz HTTP/1.1\r\n' >&"$fd"
sent=0
for i in $(seq 1 16); do
	# In a subshell: a write after the close is a SIGPIPE, fatal there.
	( printf 'X-Slow-%d: y\r\n' "$i" >&"$fd" ) 2>/dev/null || break
	sent=$i
	sleep 0.5
done
ok $([ $sent -lt 16 ] && echo 0 || echo 1) "a trickling client is cut off (after $sent lines, 8 s of them)"
r=$(reply "$fd")
exec {fd}<&-
ok $([ -z "$r" ] || [ "$r" = 408 ] && echo 0 || echo 1) "... and never served"

# A keep-alive connection has the deadline afresh for each request.
exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd"
sleep 2
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$fd"
is "$(timeout 5 cat <&"$fd" | grep -o 'HTTP/1.1 200' | wc -l)" 2 \
    "two requests 2 s apart on one connection are both served (5 s in all)"
exec {fd}<&-

# --- libevent's own errors are the API's JSON ------------------------------------
raw() {	# raw REQUEST: the reply's status and body, in $T/reply
	# One write: the daemon answers a bad request line at once and
	# closes, and a client still writing would be reset.
	printf "$1" > "$T/req"
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	cat "$T/req" >&"$fd"
	reply "$fd"
	exec {fd}<&-
}
json_error() { sed -n '/^\r$/,$p' "$T/reply" | tail -n 1 | jq -r .error.code; }
is "$(raw 'GARBAGE\r\n\r\n')" 400 "a bad request line: 400"
is "$(json_error)" bad_request "... as JSON"
is "$(raw 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n')" 400 "HTTP/9.9: 400"
is "$(json_error)" bad_request "... as JSON"
is "$(raw 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n')" 501 "an unknown method: 501"
is "$(json_error)" not_implemented "... as JSON"
is "$(raw 'POST /healthz HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}')" 417 \
    "an Expect other than 100-continue: 417"
is "$(json_error)" expectation_failed "... as JSON"
head -c 3000000 /dev/zero | tr '\0' ' ' > "$T/huge.json"
code=$(curl -s -o "$T/b" -w '%{http_code}' -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' --data-binary @"$T/huge.json" "$URL/v1/pickups")
is "$code" 413 "a body over the limit: 413"
is "$(jq -r .error.code "$T/b")" too_large "... as JSON"
code=$(curl -s -o "$T/b" -w '%{http_code}' -H "X-Junk: $(head -c 20000 /dev/zero | tr '\0' a)" "$URL/healthz")
is "$code" 400 "headers over the limit: 400"
is "$(jq -r .error.code "$T/b")" bad_request "... as JSON"
ok $(grep -qi 'text/html' "$T/reply" "$T/b" && echo 1 || echo 0) "no HTML anywhere"
is "$(curl -s "$URL/healthz" | jq -r .status)" ok "the daemon still answers"
daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"

# --- out of descriptors -------------------------------------------------------
# Under a low descriptor limit and a cap above it, accept() fails with
# EMFILE: the daemon pauses accepting and logs once a second, not in a loop.
cat > "$T/lowfd" <<EOF
#!/bin/sh
ulimit -n 48
exec "$top_builddir/recircd" "\$@"
EOF
chmod +x "$T/lowfd"
RECIRCD=$T/lowfd
daemon_start -D max_connections=1000 -D max_connections_per_peer=1000 \
    -D http_header_timeout=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
FDS=
for i in $(seq 1 60); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || break
	FDS="$FDS $fd"
done
sleep 2
n=$(grep -c 'pausing new connections' "$T/recircd.log.$PORT")
ok $([ "$n" -ge 1 ] && [ "$n" -le 5 ] && echo 0 || echo 1) \
    "EMFILE is logged about once a second ($n lines in 2 s), not in a loop"
cpu=$(ps -o time= -p "$RECIRCD_PID" | tr -d ' ')
is "$cpu" 00:00:00 "... and the daemon does not spin"
for fd in $FDS; do exec {fd}<&-; done
i=0
while [ "$(curl -s "$URL/healthz" | jq -r .status 2>/dev/null)" != ok ] &&
    [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(curl -s "$URL/healthz" | jq -r .status)" ok \
    "once descriptors are free again it serves"
daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
