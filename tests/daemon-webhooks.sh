#!/bin/bash
# daemon-webhooks.sh -- operators' webhooks: registration and its checks,
# tenants kept apart, every pickup event (scheduled, collected,
# not_collected, cancelled, deferred, moved) delivered to a receiver on
# loopback (tests/webhook-sink) that fails, drops and recovers, signed
# with HMAC-SHA256 (checked here with openssl), in order per pickup;
# delivery state over the API; a daemon SIGKILLed with deliveries in
# flight sends them after its restart (at least once, none lost); dead
# letters, redelivered once the receiver is back; removal.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v openssl >/dev/null || skip_all "openssl is not installed"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
SINK=$top_builddir/tests/webhook-sink
SECRET=s3cret-0123456789abcdef
SECRET_B=other-secret-0123456789

# sink_start FAULTS [DELAY_MS]: a receiver on a free port; sets SP, SINK_PID
sink_start() {
	"$SINK" -p "${SP:-0}" -l "$T/sink.log" -f "$1" -d "${2:-0}" \
	    > "$T/sink.port" 2>>"$T/sink.err" &
	SINK_PID=$!
	DAEMON_PIDS="$DAEMON_PIDS $SINK_PID"
	for _i in $(seq 100); do [ -s "$T/sink.port" ] && break; sleep 0.05; done
	SP=$(cat "$T/sink.port")
}
sink_stop() { kill -TERM "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; }
# arrived PATH FILTER: how many requests to PATH the sink answered 2xx (or
# is about to: a slow answer is logged first) whose body passes FILTER (a
# jq select); wait_for PATH N FILTER: the same, once there are N (at most
# 60 s)
arrived() {
	jq -c "select(.path == \"$1\" and .answer == \"ok\") | .body | fromjson | $2" \
	    "$T/sink.log" 2>/dev/null | grep -c . || true
}
wait_for() {	# wait_for PATH N FILTER
	_end=$(( $(date +%s) + 60 ))
	while [ "$(arrived "$1" "$3")" -lt "$2" ] && [ "$(date +%s)" -lt "$_end" ]; do
		sleep 0.1
	done
	arrived "$1" "$3"
}
: > "$T/sink.log"
sink_start 500,drop,503
daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D webhook_retry_min=1 \
    -D webhook_timeout=5 || { echo "Bail out! recircd did not start"; exit 1; }
OPA=$(token_add council-a operator)
OPB=$(token_add council-b operator)
TOK_B=$OPB
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner planner)
ADM=$(token_add root admin)
H=http://127.0.0.1:$SP

# Registration and its checks.
ALL='["scheduled","moved","deferred","collected","not_collected","cancelled"]'
r=$(api POST /v1/webhooks "$OPA" "{\"url\":\"$H/a\",\"events\":$ALL,\"secret\":\"$SECRET\"}")
is "$(st "$r")" 201 "an operator registers a webhook: 201"
WA=$(jget "$(js "$r")" .id)
is "$(jget "$(js "$r")" '"\(.operator) \(.url) \(.events | length)"')" "council-a $H/a 6" \
    "... for its own pickups, every event"
is "$(jget "$(js "$r")" 'has("secret")')" false "... the secret is never shown"
r=$(api POST /v1/webhooks "$OPB" "{\"url\":\"$H/b\",\"events\":[\"scheduled\"],\"secret\":\"$SECRET_B\"}")
is "$(st "$r")" 201 "another operator's webhook"
WB=$(jget "$(js "$r")" .id)
bad() {	# bad TOKEN BODY FIELD DESCRIPTION
	r=$(api POST /v1/webhooks "$1" "$2")
	is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 $3" "$4: 422 on $3"
}
bad "$OPA" "{\"url\":\"ftp://x/a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\"}" url "an ftp URL"
bad "$OPA" "{\"url\":\"http:///a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\"}" url "a URL without a host"
bad "$OPA" "{\"url\":\"$H/a\",\"events\":[\"moved\"],\"secret\":\"short\"}" secret "a short secret"
bad "$OPA" "{\"url\":\"$H/a\",\"events\":[\"exploded\"],\"secret\":\"$SECRET\"}" events "an unknown event"
bad "$OPA" "{\"url\":\"$H/a\",\"events\":[],\"secret\":\"$SECRET\"}" events "no events"
bad "$OPA" "{\"url\":\"$H/a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\",\"operator\":\"council-b\"}" \
    operator "an operator for another's pickups"
bad "$ADM" "{\"url\":\"$H/a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\"}" operator \
    "an admin without an operator"
bad "$OPA" "{\"url\":\"$H/a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\",\"x\":1}" x \
    "an unknown member"
is "$(st "$(api POST /v1/webhooks "$PLN" "{\"url\":\"$H/a\",\"events\":[\"moved\"],\"secret\":\"$SECRET\"}")")" \
    403 "a planner may not register"
is "$(js "$(api GET /v1/webhooks "$OPA")" | jq -r '[.webhooks[].id] | join(",")')" "$WA" \
    "an operator lists its own"
is "$(js "$(api GET /v1/webhooks "$OPS")" | jq -r '.webhooks | length')" 2 "staff list all"
is "$(st "$(api GET "/v1/webhooks/$WB" "$OPA")")" 404 "another operator's webhook: 404"
is "$(st "$(api GET "/v1/webhooks/$WB/deliveries" "$OPA")")" 404 "... and its deliveries"

# Pickups for tomorrow, planned: one "scheduled" each, to the right webhook.
D1=$(date -u -d '+1 day' +%F)
pk() {	# pk TOKEN REF LAT LON: a pickup for tomorrow; prints its id
	js "$(api POST /v1/pickups "$1" "{\"reference\":\"$2\",\"location\":{\"lat\":$3,\"lon\":$4},\"window\":{\"from\":\"$D1\",\"to\":\"$D1\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1}]}")" |
	    jq -r .id
}
P1=$(pk "$OPA" a-1 51.4611 -2.5901)
P2=$(pk "$OPA" a-2 51.4480 -2.5620)
P3=$(pk "$OPA" a-3 51.4702 -2.6055)
P4=$(pk "$OPB" b-1 51.4555 -2.5800)
PLAN=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
is "$(jget "$(wait_plan "$PLAN" "$PLN")" .state)" done "a plan runs"
is "$(wait_for /a 3 'select(.event == "scheduled")')" 3 \
    "council-a's three pickups: three scheduled events, through 500, drop and 503"
is "$(wait_for /b 1 'select(.event == "scheduled")')" 1 "council-b's one: one event"
is "$(arrived /b 'select(.data.pickup != '"$P4"')')" 0 "... none of council-a's"
line=$(jq -c "select(.path == \"/a\" and .answer == \"ok\")" "$T/sink.log" |
    jq -c 'select(.body | fromjson | .data.pickup == '"$P1"')' | head -n 1)
body=$(printf '%s' "$line" | jq -r .body)
want=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/.*= *//')
is "$(printf '%s' "$line" | jq -r .signature)" "sha256=$want" \
    "X-Recirc-Signature is HMAC-SHA256 of the body under the secret"
is "$(printf '%s' "$line" | jq -r .content_type)" application/json "a JSON body"
is "$(printf '%s' "$line" | jq -r .delivery)" "$(printf '%s' "$body" | jq -r .delivery)" \
    "X-Recirc-Delivery is the body's delivery id"
s=$(js "$(api GET "/v1/pickups/$P1" "$OPA")")
is "$(printf '%s' "$body" | jq -r '.data | "\(.day) \(.eta) \(.reference) \(.plan)"')" \
    "$(jget "$s" '"\(.schedule.day) \(.schedule.eta) a-1 \(.schedule.plan)"')" \
    "scheduled carries the plan's day and ETA"
like "$(printf '%s' "$body" | jq -r '.data.eta_window | "\(.from)-\(.to)"')" ":" \
    "... and the window to tell the resident"
d=$(js "$(api GET "/v1/webhooks/$WA/deliveries" "$OPA")")
is "$(jget "$d" '[.deliveries[].state] | unique | join(",")')" delivered \
    "GET deliveries: all delivered"
jget "$d" '.deliveries[] | "\(.id) \(.attempts)"' | sort > "$T/attempts"
jq -r 'select(.path == "/a") | .delivery' "$T/sink.log" | sort | uniq -c |
    awk '{ print $2, $1 }' | sort > "$T/requests"
is "$(cat "$T/attempts")" "$(cat "$T/requests")" \
    "each delivery's attempts are the requests the receiver saw"
is "$(jq -r 'select(.path == "/a" and .answer != "ok")' "$T/sink.log" | jq -s length)" 3 \
    "... three of them failed (500, drop, 503) and were tried again"
is "$(jget "$d" '[.deliveries[] | select(.attempts > 1) | .last_status] | unique | join(",")')" \
    204 "... and the retries were answered"

# The field and the resident: collected, not_collected, cancelled, in order.
api POST "/v1/pickups/$P1/events" "$OPS" '{"type":"collected","weight_kg":41.5}' >/dev/null
api POST "/v1/pickups/$P2/events" "$OPS" '{"type":"not_collected","code":"no_access"}' >/dev/null
is "$(st "$(api POST "/v1/pickups/$P3/cancel" "$OPA" '{}')")" 200 "a cancel"
is "$(wait_for /a 1 'select(.event == "collected" and .data.weight_kg == 41.5)')" 1 \
    "collected, with the weight"
is "$(wait_for /a 1 'select(.event == "not_collected" and .data.code == "no_access")')" 1 \
    "not_collected, with the code"
is "$(wait_for /a 1 'select(.event == "cancelled" and .data.by == "council-a")')" 1 \
    "cancelled, and by whom"
order=$(jq -r 'select(.path == "/a" and .answer == "ok") | .body | fromjson |
    select(.data.pickup == '"$P2"') | .event' "$T/sink.log" | tr '\n' ' ')
is "$order" "scheduled not_collected " "a pickup's events arrive in order"
# P2 is back in the pool; a re-plan schedules it again.
PLAN=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
wait_plan "$PLAN" "$PLN" >/dev/null
is "$(wait_for /a 2 "select(.event == \"scheduled\" and .data.pickup == $P2)")" 2 \
    "not collected, then scheduled again by the next plan"

# moved: the centres open two hours later, so the ETAs move with them.
for c in $(js "$(api GET /v1/centres "$ADM")" | jq -r '.centres[].id'); do
	body=$(js "$(api GET "/v1/centres/$c" "$ADM")" | jq -c '.opening_hours.opens = "09:00"')
	api PUT "/v1/centres/$c" "$ADM" "$body" >/dev/null
done
ETA0=$(js "$(api GET "/v1/pickups/$P2" "$OPA")" | jq -r .schedule.eta)
PLAN=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
wait_plan "$PLAN" "$PLN" >/dev/null
ETA1=$(js "$(api GET "/v1/pickups/$P2" "$OPA")" | jq -r .schedule.eta)
is "$(wait_for /a 1 "select(.event == \"moved\" and .data.pickup == $P2) |
    \"\(.data.previous.eta) \(.data.eta)\"")" 1 "moved, when the ETA moves ($ETA0 -> $ETA1)"
is "$(jq -r 'select(.path == "/a" and .answer == "ok") | .body | fromjson |
    select(.event == "moved") | "\(.data.previous.eta) \(.data.eta)"' "$T/sink.log" | head -n 1)" \
    "$ETA0 $ETA1" "... with the previous and the new ETA"
# deferred: no vehicles left.
for v in $(js "$(api GET /v1/fleet "$ADM")" | jq -r '.fleet[].id'); do
	body=$(js "$(api GET "/v1/fleet/$v" "$ADM")" | jq -c '.count = 0')
	api PUT "/v1/fleet/$v" "$ADM" "$body" >/dev/null
done
PLAN=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
wait_plan "$PLAN" "$PLN" >/dev/null
why=$(js "$(api GET "/v1/pickups/$P2" "$OPA")" | jq -r .deferred.reason)
is "$(wait_for /a 1 "select(.event == \"deferred\" and .data.pickup == $P2 and .data.reason == \"$why\")")" \
    1 "deferred, with the plan's reason ($why)"
PLAN=$(jget "$(js "$(api POST /v1/plans "$PLN" '{}')")" .id)
wait_plan "$PLAN" "$PLN" >/dev/null
sleep 1
is "$(arrived /a "select(.event == \"deferred\" and .data.pickup == $P2)")" 1 \
    "the same reason again is no news: not sent twice"
order=$(jq -r 'select(.path == "/a" and .answer == "ok") | .body | fromjson |
    select(.data.pickup == '"$P2"') | .event' "$T/sink.log" | tr '\n' ' ')
is "$order" "scheduled not_collected scheduled moved deferred " \
    "P2's whole story, in order"

# A slow receiver, and the daemon killed with deliveries in flight.
sink_stop
sink_start ok 1500
P5=$(pk "$OPA" a-5 51.4611 -2.5911)
P6=$(pk "$OPA" a-6 51.4622 -2.5922)
api POST "/v1/pickups/$P5/cancel" "$OPA" '{}' >/dev/null
api POST "/v1/pickups/$P6/cancel" "$OPA" '{}' >/dev/null
wait_for /a 1 "select(.event == \"cancelled\" and .data.pickup == $P5)" >/dev/null
daemon_stop KILL
is "$DAEMON_STATUS" 137 "SIGKILL with a delivery in flight"
sink_stop
sink_start ok
daemon_start -D auth_cache=0 -D webhook_retry_min=1 -D webhook_timeout=5 ||
    { echo "Bail out! restart failed"; exit 1; }
n=$(wait_for /a 1 "select(.event == \"cancelled\" and .data.pickup == $P6)")
is "$([ "$n" -ge 1 ] && echo yes)" yes "after the restart the other cancel arrives too"
# (A sanitizer build on a loaded machine may have timed some out before
# the kill: their retries come after back-off, so allow for it.)
_end=$(( $(date +%s) + 90 ))
while [ "$(db_query "select count(*) from webhook_deliveries where state != 'delivered'")" != 0 ] &&
    [ "$(date +%s)" -lt "$_end" ]; do sleep 0.2; done
is "$(db_query "select count(*) from webhook_deliveries where state != 'delivered'")" 0 \
    "every delivery in the outbox is delivered"
db_query "select id, event, state, attempts, next_at, last_error
    from webhook_deliveries where state != 'delivered'" | sed 's/^/#   left: /'
db_query "select id from webhook_deliveries where webhook = $WA" | sort -n > "$T/want"
jq -r 'select(.path == "/a" and .answer == "ok") | .delivery' "$T/sink.log" | sort -nu > "$T/got"
is "$(comm -23 "$T/want" "$T/got" | wc -l)" 0 \
    "each of the $(wc -l < "$T/want") deliveries reached the receiver (at least once)"

# Dead letters: a receiver that is gone, and a short max age.
daemon_stop
daemon_start -D auth_cache=0 -D webhook_retry_min=1 -D webhook_max_age=2 \
    -D webhook_timeout=1 || { echo "Bail out! restart failed"; exit 1; }
GONE=http://127.0.0.1:$(free_port)/gone
r=$(api POST /v1/webhooks "$ADM" "{\"url\":\"$GONE\",\"events\":[\"cancelled\"],\"secret\":\"$SECRET\",\"operator\":\"council-b\"}")
is "$(st "$r")" 201 "an admin registers one for council-b"
WG=$(jget "$(js "$r")" .id)
P7=$(pk "$OPB" b-7 51.46 -2.59)
api POST "/v1/pickups/$P7/cancel" "$OPB" '{}' >/dev/null
_end=$(( $(date +%s) + 30 ))
until [ "$(js "$(api GET "/v1/webhooks/$WG/deliveries?state=dead" "$OPB")" | jq '.deliveries | length')" = 1 ] ||
    [ "$(date +%s)" -ge "$_end" ]; do sleep 0.2; done
d=$(js "$(api GET "/v1/webhooks/$WG/deliveries" "$OPB")")
is "$(jget "$d" '.deliveries[0].state')" dead "an undeliverable event ends dead"
like "$(jget "$d" '.deliveries[0].last_error')" "onnect" "... saying why"
is "$(jget "$d" '.deliveries[0].attempts >= 2')" true "... after retrying"

s=$(js "$(api GET /v1/status "$OPS")")
is "$(jget "$s" '.webhooks | "\(.pending) \(.dead) \(.retried >= 1)"')" "0 1 true" \
    "/v1/status: none pending, one dead, retries counted"
m=$(curl -s -H "Authorization: Bearer $OPS" "$URL/metrics")
like "$m" 'recircd_webhook_deliveries_total{outcome="dead"} 1' "/metrics: the dead letter"
like "$m" 'recircd_webhook_pending 0' "/metrics: the outbox is empty"

# recircctl webhooks: add (the secret from a file), list, deliveries, rm.
ctl_env
printf '%s\n' "$TOK_B" > "$T/b.token"
printf 'a-secret-from-a-file-0123\n' > "$T/secret"
run -u "$URL" -t "$T/b.token" webhooks add "$H/ctl" --events scheduled,cancelled \
    --secret-file "$T/secret"
is "$rc" 0 "recircctl webhooks add"
has "$T/out" "created for council-b" "... says for whom"
WC=$(sed -n 's/^webhook \([0-9]*\) created.*/\1/p' "$T/out")
ps_secret=$(grep -c a-secret-from-a-file "$T/out" "$T/err" | awk -F: '{ s += $2 } END { print s }')
is "$ps_secret" 0 "... the secret shown nowhere"
run -u "$URL" -t "$T/b.token" webhooks list
has "$T/out" "$H/ctl" "recircctl webhooks list shows it"
has "$T/out" "scheduled,cancelled" "... with its events"
run -u "$URL" -t "$T/b.token" webhooks deliveries "$WG"
is "$rc" 0 "recircctl webhooks deliveries"
has "$T/out" "dead" "... the dead letter"
has "$T/out" "cancelled" "... its event"

# The receiver comes back after its deliveries died: redeliver them.
DEAD=$(jget "$d" '.deliveries[0].id')
is "$(st "$(api POST "/v1/webhooks/$WG/redeliver" "$OPA")")" 404 \
    "another operator cannot redeliver council-b's webhook"
is "$(st "$(api POST "/v1/webhooks/$WG/redeliver?since=soon" "$OPB")")" 400 \
    "redeliver?since= must be a date"
is "$(jget "$(js "$(api POST "/v1/webhooks/$WG/redeliver?since=$(date -u -d '+2 days' +%F)" "$OPB")")" .redelivered)" \
    0 "redeliver?since= a later day: none"
GPORT=${GONE#http://127.0.0.1:}
GPORT=${GPORT%/gone}
"$SINK" -p "$GPORT" -l "$T/sink2.log" -f ok > "$T/sink2.port" 2>>"$T/sink.err" &
SINK2_PID=$!
DAEMON_PIDS="$DAEMON_PIDS $SINK2_PID"
for _i in $(seq 100); do [ -s "$T/sink2.port" ] && break; sleep 0.05; done
run -u "$URL" -t "$T/b.token" webhooks redeliver "$WG"
is "$rc" 0 "recircctl webhooks redeliver"
is "$(cat "$T/out")" "webhook $WG: 1 dead delivery queued to be sent again" "... says how many"
_end=$(( $(date +%s) + 30 ))
until [ "$(js "$(api GET "/v1/webhooks/$WG/deliveries?state=delivered" "$OPB")" | jq '.deliveries | length')" = 1 ] ||
    [ "$(date +%s)" -ge "$_end" ]; do sleep 0.2; done
d=$(js "$(api GET "/v1/webhooks/$WG/deliveries" "$OPB")")
is "$(jget "$d" '[.deliveries[] | "\(.id) \(.state)"] | join(",")')" "$DEAD delivered" \
    "the dead delivery is delivered, under its own id"
is "$(jq -r 'select(.path == "/gone") | .body | fromjson | .delivery' "$T/sink2.log" 2>/dev/null)" \
    "$DEAD" "the receiver got it once, with that id to de-duplicate by"
run -u "$URL" -t "$T/b.token" webhooks redeliver "$WG"
is "$(cat "$T/out")" "webhook $WG: 0 dead deliveries queued to be sent again" \
    "redeliver again: nothing dead left"
kill -TERM "$SINK2_PID"; wait "$SINK2_PID" 2>/dev/null
run -u "$URL" -t "$T/b.token" webhooks add "$H/ctl" --events exploded --secret-file "$T/secret"
is "$rc" 1 "an unknown event: the server says no (exit 1)"
has "$T/err" "events" "... naming events"
run -u "$URL" -t "$T/b.token" webhooks add "$H/ctl" --events moved --secret-file "$T/nope"
is "$rc" 2 "a missing secret file: usage (exit 2)"
run -u "$URL" -t "$T/b.token" webhooks rm "$WC"
is "$rc" 0 "recircctl webhooks rm"
run -u "$URL" -t "$T/b.token" webhooks rm "$WC"
is "$rc" 1 "... twice: 404 (exit 1)"

# A read that fails is the store's failure (5xx), never "no webhook" (404).
db_query "ALTER TABLE webhooks RENAME COLUMN removed TO removed_x" >/dev/null
r=$(api POST "/v1/webhooks/$WG/redeliver" "$OPB")
db_query "ALTER TABLE webhooks RENAME COLUMN removed_x TO removed" >/dev/null
is "$(st "$r" | cut -c1)$(jget "$(js "$r")" '.error.code | type')" 5string \
    "redeliver when the webhook cannot be read: 5xx with a JSON error ($(st "$r"))"
is "$(st "$(api POST "/v1/webhooks/$WG/redeliver" "$OPB")")" 200 \
    "... and 200 once it can"

# Removal.
is "$(st "$(api DELETE "/v1/webhooks/$WA" "$OPB")")" 404 "another operator cannot remove it"
is "$(st "$(api DELETE "/v1/webhooks/$WA" "$OPA")")" 200 "its operator removes it"
r=$(api POST "/v1/webhooks/$WA/redeliver" "$OPA")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 invalid_state" \
    "a removed webhook's deliveries cannot be redelivered"
is "$(st "$(api GET "/v1/webhooks/$WA" "$OPA")")" 404 "... gone"
P8=$(pk "$OPA" a-8 51.46 -2.59)
api POST "/v1/pickups/$P8/cancel" "$OPA" '{}' >/dev/null
is "$(db_query "select count(*) from webhook_deliveries where pickup_id = $P8")" 0 \
    "... and queues nothing more"
sink_stop
daemon_stop
# Every delivery the receivers got goes to the OpenAPI check too, against
# the document's webhook (its headers and body).
jq -c '{webhook: "pickupEvent", delivery, content_type, body,
    headers: {"X-Recirc-Signature": .signature,
    "X-Recirc-Delivery": .delivery, "X-Recirc-Event": .event}}' \
    "$T/sink.log" "$T/sink2.log" > "$API_LOG/webhooks"
done_testing
