#!/bin/sh
# ctl-usage.sh -- recircctl without a server: help, usage errors (exit 2),
# settings from flags, environment and config file, and an unreachable
# server (exit 3).  The daemon tests are in ctl-daemon.sh.
. "$top_srcdir/tests/lib.sh"
CTL="$top_builddir/recircctl"

# Nothing from the user running the tests may leak in.
HOME=$T; export HOME
unset RECIRC_URL RECIRC_TOKEN RECIRC_TRACE XDG_CONFIG_HOME NO_COLOR \
    http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

run() {	# run ARGS...: exit status in $rc, output in $T/out, $T/err
	"$CTL" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}
has() {	# has FILE STRING DESCRIPTION
	grep -F -q -- "$2" "$1"
	ok $? "$3"
	grep -F -q -- "$2" "$1" || sed 's/^/#   /' "$1"
}

run help
is "$rc" 0 "help exits 0"
for c in "status" "pickups list" "pickups show" "pickups submit" \
    "pickups cancel"; do
	has "$T/out" "  $c" "help lists $c"
done
run -h
is "$rc" 0 "-h exits 0"
run --version
is "$rc" 0 "--version exits 0"
has "$T/out" "recircctl " "and prints the version"
run help pickups
is "$rc" 0 "help pickups"
has "$T/out" "pickups cancel" "lists the pickups commands"
run pickups list --help
is "$rc" 0 "a command's --help exits 0"
has "$T/out" "usage: recircctl pickups list" "and shows its usage"

run
is "$rc" 2 "no command: exit 2"
run frobnicate
is "$rc" 2 "unknown command: exit 2"
has "$T/err" 'unknown command "frobnicate"' "says which"
run pickups
is "$rc" 2 "resource without a verb: exit 2"
run pickups frob
is "$rc" 2 "unknown verb: exit 2"
run -x status
is "$rc" 2 "unknown option: exit 2"
run -T 0 status
is "$rc" 2 "-T 0: exit 2"
run help nothing
is "$rc" 2 "help for an unknown command: exit 2"

run status
is "$rc" 2 "no server configured: exit 2"
has "$T/err" "no server" "says no server"
run -u ftp://127.0.0.1/ status
is "$rc" 2 "an ftp URL: exit 2"
run -u http://127.0.0.1:1 pickups list
is "$rc" 2 "no token: exit 2"
has "$T/err" "no token" "says no token"
run -u http://127.0.0.1:1 -t "$T/missing" pickups list
is "$rc" 2 "a missing token file: exit 2"
has "$T/err" "$T/missing" "names the file"

printf 's3cr3t-token\n' >"$T/token"
chmod 644 "$T/token"
run -u http://127.0.0.1:1 -t "$T/token" pickups show abc
is "$rc" 2 "a pickup id that is not a number: exit 2"
has "$T/err" "can be read by others" "a readable token file is warned about"
chmod 600 "$T/token"
run -u http://127.0.0.1:1 -t "$T/token" pickups show
is "$rc" 2 "show without an id: exit 2"
run -u http://127.0.0.1:1 -t "$T/token" pickups show 1 2
is "$rc" 2 "show with two ids: exit 2"
run -u http://127.0.0.1:1 -t "$T/token" pickups list --limit=-1
is "$rc" 2 "a negative limit: exit 2"
run -u http://127.0.0.1:1 -t "$T/token" pickups list --page 1
is "$rc" 2 "--page is gone: exit 2"
has "$T/err" "--limit N" "the message names --limit"
run -u http://127.0.0.1:1 -t "$T/token" pickups submit
is "$rc" 2 "submit without a file: exit 2"
run -u http://127.0.0.1:1 -t "$T/token" pickups submit "$T/none.json"
is "$rc" 2 "submit a missing file: exit 2"
printf '{"reference":"a"}\n{"reference": b}\n' >"$T/bad.jsonl"
run -u http://127.0.0.1:1 -t "$T/token" pickups submit "$T/bad.jsonl"
is "$rc" 2 "submit a file with a syntax error: exit 2"
has "$T/err" "bad.jsonl:2:" "the message has the line"
printf '[{"reference":"a"}, 7]' >"$T/seven.json"
run -u http://127.0.0.1:1 -t "$T/token" pickups submit "$T/seven.json"
is "$rc" 2 "submit a file with a non-object: exit 2"
has "$T/err" "#2 is not a JSON object" "says which one"

# Port 1 is privileged and unused: nothing listens there.
run -u http://127.0.0.1:1 status
is "$rc" 3 "nothing listening: exit 3"
has "$T/err" "connection refused" "says connection refused"
run -u http://127.0.0.1:1 -t "$T/token" pickups list
is "$rc" 3 "pickups list, nothing listening: exit 3"
printf '{"reference":"a","location":{"lat":1,"lon":2}}\n' >"$T/one.json"
run -u http://127.0.0.1:1 -t "$T/token" pickups submit "$T/one.json"
is "$rc" 3 "submit, nothing listening: exit 3"
has "$T/err" "1 not sent" "the summary counts what was not sent"

# Each line on stderr is one write(2), so lines of processes sharing a
# pipe do not interleave (issue 12): every write to fd 2 is whole lines.
if command -v strace >/dev/null 2>&1 &&
    strace -o /dev/null true 2>/dev/null; then
	chmod 644 "$T/token"
	strace -f -s 4096 -e trace=write -o "$T/trace" "$CTL" \
	    -u http://127.0.0.1:1 -t "$T/token" pickups list >/dev/null 2>&1
	chmod 600 "$T/token"
	grep 'write(2, ' "$T/trace" >"$T/w2"
	is "$(wc -l <"$T/w2" | tr -d ' ')" 2 \
	    "two notes on stderr (a warning and the error), two writes"
	grep -v 'write(2, "recircctl: [^"]*\\n", [0-9]*)' "$T/w2" >"$T/bad"
	ok $(( $(wc -l <"$T/bad") != 0 )) "each a whole line"
	sed 's/^/#   /' "$T/bad"
else
	ok 0 "# SKIP strace is not usable here"
	ok 0 "# SKIP strace is not usable here"
fi

# The token never shows, even when tracing.
run -v -u http://127.0.0.1:1 -t "$T/token" pickups list
! grep -q s3cr3t "$T/out" "$T/err"
ok $? "-v does not print the token"

# Settings from the environment, then the config file.
RECIRC_URL=http://127.0.0.1:1 RECIRC_TOKEN=abc "$CTL" pickups list \
    >"$T/out" 2>"$T/err"
is "$?" 3 "RECIRC_URL and RECIRC_TOKEN are used"
mkdir -p "$T/.config/recircctl"
printf 'url http://127.0.0.1:1\ntoken-file ../../token\n' \
    >"$T/.config/recircctl/config"
run pickups list
is "$rc" 3 "the config file gives the URL and the token file"
has "$T/err" "http://127.0.0.1:1" "the URL from the config file"
RECIRC_URL=ftp://x "$CTL" pickups list >"$T/out" 2>"$T/err"
is "$?" 2 "RECIRC_URL beats the config file"
printf 'url http://127.0.0.1:1\nbogus yes\n' >"$T/.config/recircctl/config"
run pickups list
is "$rc" 2 "a bad config file: exit 2"
has "$T/err" "config:2: unknown keyword" "with file:line"
rm -rf "$T/.config"
printf 'url http://127.0.0.1:1\ntoken abc\n' >"$T/.recircctl"
chmod 600 "$T/.recircctl"
run pickups list
is "$rc" 3 "~/.recircctl is read when there is no ~/.config file"
done_testing
