#!/bin/bash
# daemon-plan-fail.sh -- what a broken solver cannot do: a crash, a
# timeout, garbage on stdout, a missing program and SIGTERM to the daemon
# during a solve each fail their plan with the reason, and the previous
# plan stays current with its pickups scheduled.  Fake solvers (test
# doubles for failure injection) are given with the solver keyword.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

demo_city
printf '#!/bin/sh\nkill -SEGV $$\n' > "$T/crash.sh"
printf '#!/bin/sh\necho $$ > "%s/slow.pid"\necho "thinking hard" >&2\nexec sleep 60\n' "$T" > "$T/slow.sh"
printf '#!/bin/sh\necho "this is not a plan"\n' > "$T/garbage.sh"
printf '#!/bin/sh\nprintf "bad \\377 byte\\n" >&2\nexit 1\n' > "$T/badbyte.sh"
# Exits at once but leaves a child holding its stdout and stderr.
printf '#!/bin/sh\nsleep 4242 &\necho $! > "%s/linger.pid"\necho "{}"\nexit 0\n' "$T" > "$T/linger.sh"
chmod +x "$T/crash.sh" "$T/slow.sh" "$T/garbage.sh" "$T/badbyte.sh" \
    "$T/linger.sh"
# A good plan first.
daemon_start -D "solver=$SOLVER" || { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council operator)
PLN=$(token_add planner-1 planner)
FROM=$(date -u -d '+1 day' +%F)
for i in 1 2 3 4 5 6; do
	api POST /v1/pickups "$OPR" "{\"reference\":\"f-$i\",\"location\":{\"lat\":51.4$i,\"lon\":-2.5$i},\"window\":{\"from\":\"$FROM\",\"to\":\"$FROM\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1,\"condition\":\"working\"}]}" >/dev/null
done
P1=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
is "$(jget "$(wait_plan "$P1" "$PLN")" .state)" done "a good plan $P1 first"
sched() { api GET "/v1/pickups?status=scheduled" "$PLN" | cut -d' ' -f2- | jq '.pickups | length'; }
S1=$(sched)
ok $((S1 == 0)) "it scheduled pickups ($S1)"
daemon_stop

# expect_failure SOLVER_ARGS... -- REASON DESCRIPTION
fail_with() {	# fail_with SOLVER TIMEOUT REASON DESCRIPTION
	daemon_start -D "solver=$1" -D "solve_timeout=$2" ||
	    { echo "Bail out! recircd did not start"; exit 1; }
	r=$(api POST /v1/plans "$PLN")
	is "$(st "$r")" 202 "$4: queued"
	p=$(wait_plan "$(jget "$(js "$r")" .id)" "$PLN")
	is "$(jget "$p" .state)" failed "$4: the plan failed"
	like "$(jget "$p" .reason)" "$3" "$4: the reason says why"
	c=$(js "$(api GET /v1/plans/current "$PLN")")
	is "$(jget "$c" .id)" "$P1" "$4: plan $P1 is still current"
	is "$(sched)" "$S1" "$4: pickups keep their schedule"
	is "$(curl -s "$URL/healthz" | jq -r .status)" ok "$4: the daemon is fine"
	daemon_stop
	is "$DAEMON_STATUS" 0 "$4: clean exit"
}
fail_with "$T/crash.sh" 30 "crashed: killed by signal 11" "solver crash"
fail_with "$T/slow.sh" 1 "timeout: the solver ran longer than solve_timeout (1 s)" "solver timeout"
fail_with "$T/garbage.sh" 30 "not JSON" "garbage output"
fail_with "$T/no-such-solver" 30 "exit status 127: cannot run" "missing solver"

# A solver's stderr that is not UTF-8 must not poison its plan: the plan
# fails with a readable reason and shows in every reply, also after a
# restart (the stored reason was the daemon's death on every GET).
daemon_start -D "solver=$T/badbyte.sh" || { echo "Bail out! recircd did not start"; exit 1; }
PB=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$PB" "$PLN")
is "$(jget "$p" .state)" failed "non-UTF-8 stderr: the plan failed"
like "$(jget "$p" .reason)" "exit status 1: bad ? byte" "... its reason, the bad byte replaced"
for round in "before" "after"; do
	r=$(api GET "/v1/plans/$PB" "$PLN")
	is "$(st "$r")" 200 "GET /v1/plans/$PB $round a restart"
	r=$(api GET /v1/plans "$PLN")
	is "$(js "$r" | jq "[.plans[] | select(.id == $PB)] | length")" 1 \
	    "GET /v1/plans lists it $round a restart"
	[ "$round" = after ] && break
	daemon_stop
	is "$DAEMON_STATUS" 0 "non-UTF-8 stderr: clean exit"
	daemon_start -D "solver=$SOLVER" || { echo "Bail out! recircd did not start"; exit 1; }
done
# A reason stored by an older recircd, bytes and all, is cleaned on the way
# out (SQLite: PostgreSQL stores no text that is not UTF-8).
daemon_stop
if ! db_is_pg; then
	sqlite3 "$DB" "UPDATE plans SET reason = CAST(X'6F6C6420FF2041C3' AS TEXT) WHERE id = $PB"
	daemon_start -D "solver=$SOLVER" || { echo "Bail out! recircd did not start"; exit 1; }
	r=$(api GET "/v1/plans/$PB" "$PLN")
	is "$(st "$r")" 200 "a stored non-UTF-8 reason: GET still answers"
	is "$(jget "$(js "$r")" .reason)" "old ? A" "... with the reason cleaned"
	daemon_stop
fi

# A solver whose own child keeps its pipes open must not keep its plan
# running (nor the one-solve queue blocked) until that child is done.
daemon_start -D "solver=$T/linger.sh" -D solve_timeout=5 -D max_solves=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
PL1=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
PL2=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$PL1" "$PLN")
is "$(jget "$p" .state)" failed "lingering child: plan $PL1 ends"
like "$(jget "$p" .reason)" "invalid plan" "... judged on what the solver wrote"
p=$(wait_plan "$PL2" "$PLN")
is "$(jget "$p" .state)" failed "... and plan $PL2 queued behind it ran too"
# SIGKILL is sent; give the kernel a moment to finish the process off.
LPID=$(cat "$T/linger.pid")
i=0
while kill -0 "$LPID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
kill -0 "$LPID" 2>/dev/null
ok $((! $?)) "no child of the solver left behind"
daemon_stop
is "$DAEMON_STATUS" 0 "lingering child: clean exit"

# SIGTERM during a solve: the solver is ended, the daemon exits cleanly,
# and the plan is failed as interrupted.
rm -f "$T/slow.pid"
daemon_start -D "solver=$T/slow.sh" -D solve_timeout=600 ||
    { echo "Bail out! recircd did not start"; exit 1; }
P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
i=0
while [ $i -lt 200 ]; do
	p=$(js "$(api GET "/v1/plans/$P" "$PLN")")
	[ "$(jget "$p" .phase)" = location ] && [ -s "$T/slow.pid" ] && break
	sleep 0.05; i=$((i + 1))
done
is "$(jget "$p" .state)/$(jget "$p" .phase)" running/location "plan $P is solving (phase location)"
ok $(( $(jget "$p" .elapsed_s) < 0 )) "a running plan shows its elapsed time"
SLOW=$(cat "$T/slow.pid")
is "$(ps -o ppid= -p "$SLOW" | tr -d ' ')" "$RECIRCD_PID" "the solver runs as a child process"
dni=$(ps -o ni= -p "$RECIRCD_PID" | tr -d ' ')
is "$(ps -o ni= -p "$SLOW" | tr -d ' ')" "$(( dni + 10 > 19 ? 19 : dni + 10 ))" "... niced solve_nice (10) below the daemon"
daemon_stop TERM
is "$DAEMON_STATUS" 0 "SIGTERM during a solve: clean exit"
kill -0 "$SLOW" 2>/dev/null
ok $((! $?)) "no solver left behind"
daemon_start -D "solver=$SOLVER" || { echo "Bail out! recircd did not start"; exit 1; }
p=$(js "$(api GET "/v1/plans/$P" "$PLN")")
is "$(jget "$p" .state)" failed "the interrupted plan is failed"
like "$(jget "$p" .reason)" "interrupted" "as interrupted"
is "$(jget "$(js "$(api GET /v1/plans/current "$PLN")")" .id)" "$P1" "plan $P1 is still current"
daemon_stop
done_testing
