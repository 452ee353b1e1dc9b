#!/bin/bash
# daemon-lifecycle.sh -- recircd's flags and signals: -n checks the
# configuration (errors as file:line), -D overrides, a second instance
# beside the first, SIGHUP reloads limits (and survives a broken file),
# and without -d it daemonises, writes and locks its pid file and exits
# cleanly on SIGTERM.
. "$top_srcdir/tests/lib.sh"

# -n and configuration errors
printf 'listen 127.0.0.1:1\nhttp_timeout 5\n' > "$T/good.conf"
"$RECIRCD" -n -f "$T/good.conf" 2>"$T/err"
ok $? "-n accepts a good configuration"
printf 'listen 127.0.0.1:1\n\nhttp_timeout soon\n' > "$T/bad.conf"
"$RECIRCD" -n -f "$T/bad.conf" 2>"$T/err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "-n rejects a bad configuration"
like "$(cat "$T/err")" "$T/bad.conf:3: expected an integer" "error names file:line"
"$RECIRCD" -n -D bogus=1 2>"$T/err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "-D with an unknown keyword fails"
"$RECIRCD" -n -f "$T/nonexistent.conf" 2>"$T/err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "a missing -f file fails"
out=$("$RECIRCD" -n -v -D http_timeout=42 2>/dev/null)
like "$out" "http_timeout 42" "-n -v prints the effective configuration"
"$RECIRCD" -x 2>/dev/null
is $? 2 "an unknown flag is a usage error (exit 2)"
# A solver that cannot be run: a warning (plans would fail), not an error.
"$RECIRCD" -n -D "solver=$T/no-solver" 2>"$T/err"
ok $? "-n with a solver that is not there still accepts the configuration"
like "$(cat "$T/err")" "solver $T/no-solver: No such file or directory: plans will fail" \
    "... and warns that plans will fail"
"$RECIRCD" -n -D "solver=$top_builddir/recirc-solve" 2>"$T/err"
is $? 0 "-n with the built solver"
ok "$(grep -c 'plans will fail' "$T/err")" "a solver that is there: no warning"

# two instances side by side, SIGHUP reload
printf 'http_max_body 2048\n' > "$T/hup.conf"
daemon_start -f "$T/hup.conf" || { echo "Bail out! no start"; exit 1; }
first_url=$URL first_pid=$RECIRCD_PID
TOK=$(token_add hup operator)
DB=$T/second.db daemon_start || { echo "Bail out! no second"; exit 1; }
ok $([ "$URL" != "$first_url" ] && kill -0 "$first_pid" && echo 0 || echo 1) \
    "a second instance runs beside the first"
daemon_stop
URL=$first_url RECIRCD_PID=$first_pid

big=$(printf '{"reference":"h","notes":"%s"}' "$(head -c 3000 /dev/zero | tr '\0' x)")
post() { curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOK" \
    -H 'Content-Type: application/json' --data-binary "$big" "$URL/v1/pickups"; }
is "$(post)" 413 "http_max_body 2048 refuses a 3 kB body"
closed() { js "$(api GET /v1/status "$TOK")" | jq -c .closed.weekdays; }
is "$(closed)" '[]' "no closed days to begin with"
printf 'http_max_body 65536\nsolver %s\nclosed_days sat sun\n' \
    "$T/gone-solver" > "$T/hup.conf"
kill -HUP "$RECIRCD_PID"
i=0; while [ "$(post)" = 413 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(post)" 422 "after SIGHUP the new limit applies (now a validation error)"
is "$(closed)" '["sat","sun"]' "... and the new closed_days"
i=0; while ! grep -q "gone-solver" "$T"/recircd.log.* && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
grep -q "solver $T/gone-solver: No such file or directory: plans will fail" "$T"/recircd.log.*
ok $? "a reload to a solver that is not there warns"
printf 'http_max_body nope\n' > "$T/hup.conf"
kill -HUP "$RECIRCD_PID"
i=0; while ! grep -q "reload failed" "$T"/recircd.log.* && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
grep -q "reload failed, keeping the old configuration: $T/hup.conf:1" "$T"/recircd.log.*
ok $? "a broken file on SIGHUP is reported with file:line"
is "$(post)" 422 "and the old configuration stays in force"
is "$(closed)" '["sat","sun"]' "... its closed days too"
daemon_stop TERM
is "$DAEMON_STATUS" 0 "SIGTERM exits 0"

# privilege drop: the state created by root is handed to the user
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod 755 "$T"
	DB=$T/priv/recircd.db daemon_start -D user=nobody ||
	    { echo "Bail out! no start as nobody"; exit 1; }
	is "$(ps -o user= -p "$RECIRCD_PID" | tr -d ' ')" nobody "user=nobody: the daemon runs as nobody"
	TOKN=$(DB=$T/priv/recircd.db token_add priv operator)
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKN" \
	    -H 'Content-Type: application/json' --data-binary "{\"reference\":\"p\",\"location\":{\"lat\":1,\"lon\":1},\"window\":{\"from\":\"$(date -u -d '+1 day' +%F)\",\"to\":\"$(date -u -d '+2 day' +%F)\"},\"items\":[{\"category\":\"books\",\"quantity\":1}]}" \
	    "$URL/v1/pickups")
	is "$code" 201 "user=nobody: it can write the database root created"
	daemon_stop
fi

# daemon mode: pid file, syslog, SIGTERM
for _try in 1 2 3 4 5; do	# another test may hold a random port
	PORT=$(free_port)
	"$RECIRCD" -D "listen=127.0.0.1:$PORT" -D "database=$T/bg.db" \
	    -D "pidfile=$T/run/recircd.pid" 2>"$T/bg.err"
	rc=$?
	grep -q "Address already in use" "$T/bg.err" || break
done
is $rc 0 "without -d it returns after daemonising"
i=0; while [ ! -s "$T/run/recircd.pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(cat "$T/run/recircd.pid" 2>/dev/null)
DAEMON_PIDS="$DAEMON_PIDS $pid"
ok $([ -n "$pid" ] && kill -0 "$pid" && echo 0 || echo 1) "pid file names a live process"
i=0; while ! curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(curl -s "http://127.0.0.1:$PORT/healthz" | jq -r .status)" ok "the daemon serves"
PORT2=$PORT	# busy: the pid file must be refused before the bind
"$RECIRCD" -D "listen=127.0.0.1:$PORT2" -D "database=$T/bg2.db" \
    -D "pidfile=$T/run/recircd.pid" 2>"$T/second.err"
ok $([ $? -ne 0 ] && echo 0 || echo 1) "a second daemon on the same pid file is refused"
like "$(cat "$T/second.err")" "is recircd already running?" "and says why on the terminal"
is "$(cat "$T/run/recircd.pid")" "$pid" "the pid file is untouched"
kill -TERM "$pid"
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ok $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0) "SIGTERM stops the daemon"
ok $([ -e "$T/run/recircd.pid" ] && echo 1 || echo 0) "and removes its pid file"
done_testing
