#!/bin/bash
# daemon-plan-schedule.sh -- the nightly schedule (plan_at, plan_days)
# fires by the planner's clock, which the admin moves with
# POST /v1/admin/clock: no sleeping until 02:00.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

printf '#!/bin/sh\necho "no plan" >&2\nexit 2\n' > "$T/nosolve.sh"
chmod +x "$T/nosolve.sh"
daemon_start -D plan_at=02:00 -D plan_days=4 -D "solver=$T/nosolve.sh" ||
    { echo "Bail out! recircd did not start"; exit 1; }
ADM=$(token_add city admin)
PLN=$(token_add planner-1 planner)
clock() { api POST /v1/admin/clock "$ADM" "{\"now\":\"$1\"}"; }
nplans() { api GET /v1/plans "$PLN" | cut -d' ' -f2- | jq '.plans | length'; }

DAY1=$(date -u -d '+10 days' +%F)
DAY2=$(date -u -d '+11 days' +%F)
is "$(st "$(clock "${DAY1}T01:00:00Z")")" 200 "admin sets the clock"
is "$(st "$(api POST /v1/admin/clock "$PLN" "{\"now\":\"${DAY1}T01:00:00Z\"}")")" 403 \
    "only admin moves the clock"
r=$(clock "${DAY1}T01:59:59Z")
is "$(jget "$(js "$r")" .now)" "${DAY1}T01:59:59Z" "the clock reads back"
is "$(jget "$(js "$r")" .next_run)" "${DAY1}T02:00:00Z" "next run at plan_at"
is "$(curl -s "$URL/metrics" | sed -n 's/^recircd_plan_next_run_seconds //p')" \
    "$(date -u -d "${DAY1}T02:00:00Z" +%s)" "/metrics: the same next run, Unix time"
is "$(nplans)" 0 "nothing before plan_at"
r=$(clock "${DAY1}T02:00:01Z")
is "$(nplans)" 1 "at plan_at the schedule queues a plan"
p=$(api GET /v1/plans "$PLN" | cut -d' ' -f2-)
is "$(jget "$p" '.plans[0].trigger')" schedule "triggered by the schedule"
is "$(jget "$p" '.plans[0].horizon.from')" "$DAY2" "planning from the next day"
is "$(jget "$p" '.plans[0].horizon.days')" 4 "for plan_days days"
is "$(jget "$p" '.plans[0].created')" "${DAY1}T02:00:01Z" "at the planner's time"
is "$(jget "$(js "$r")" .next_run)" "${DAY2}T02:00:00Z" "next run tomorrow"
clock "${DAY1}T23:00:00Z" >/dev/null
is "$(nplans)" 1 "once a day only"
clock "${DAY2}T02:30:00Z" >/dev/null
is "$(nplans)" 2 "the next night, again"
r=$(api POST /v1/admin/clock "$ADM" '{"now":"tomorrow"}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 now" "a bad time is refused"
daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
