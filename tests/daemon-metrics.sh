#!/bin/bash
# daemon-metrics.sh -- GET /v1/openapi.json, and GET /metrics in
# Prometheus's text format, without a token: every sample line well
# formed, each metric with HELP and TYPE, and promtool (Debian's
# prometheus package) finds nothing wrong; the request counters count
# what was asked, by route pattern, method and status; the histograms
# count every reply; the gauges agree with /v1/status; with
# metrics_listen, /metrics is served there and only there; with
# metrics_auth, only to a staff token.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

daemon_start -D auth_cache=0 || { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
OPS=$(token_add ops-desk ops)
metrics() { curl -s "$URL/metrics"; }

is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")" 200 "no token needed"
metrics > "$T/m0"
h0=$(grep -F 'recircd_http_requests_total{route="/healthz",method="GET",code="200"}' "$T/m0" | awk '{ print $NF }')
for i in 1 2 3 4 5; do curl -s -o /dev/null "$URL/healthz"; done
FROM=$(date -u -d '+1 day' +%F)
b="{\"reference\":\"m-1\",\"location\":{\"lat\":51.45,\"lon\":-2.59},\"window\":{\"from\":\"$FROM\",\"to\":\"$FROM\"},\"items\":[{\"category\":\"sofa\",\"quantity\":1}]}"
api POST /v1/pickups "$OPR" "$b" >/dev/null
api POST /v1/pickups "$OPR" "$b" >/dev/null	# a replay: 200
api GET /v1/pickups/999 "$OPR" >/dev/null
curl -s -o /dev/null "$URL/no/such/path"

code=$(curl -s -D "$T/h" -o "$T/m" -w '%{http_code}' "$URL/metrics")
is "$code" 200 "a scrape: 200"
like "$(tr -d '\r' < "$T/h")" "Content-Type: text/plain; version=0.0.4" "the exposition format's content type"
bad=$(grep -v '^#' "$T/m" | grep -Evc '^[a-z_:][a-z0-9_:]*(\{([a-z_]+="[^"\\]*",?)*\})? (-?[0-9.e+]+|\+Inf)$')
is "$bad" 0 "every sample line is well formed"
# A histogram's samples are its name with _bucket, _sum and _count.
for m in $(grep -v '^#' "$T/m" | sed 's/[{ ].*//; s/_\(bucket\|sum\|count\)$//' | sort -u); do
	grep -q "^# TYPE $m " "$T/m" && grep -q "^# HELP $m " "$T/m" || { echo "# no HELP/TYPE for $m"; bad=1; }
done
is "$bad" 0 "each metric has HELP and TYPE"
grep -q '^recircd_plan_next_run_seconds' "$T/m"
is "$?" 1 "no next run without plan_at"
val() { grep -v '^#' "$T/m" | grep -F "$1 " | awk '{ print $NF }'; }
is "$(val 'recircd_http_requests_total{route="/healthz",method="GET",code="200"}')" $((h0 + 5)) \
    "five more GET /healthz counted"
is "$(val 'recircd_http_requests_total{route="/v1/pickups",method="POST",code="201"}')" 1 \
    "the submission: one 201"
is "$(val 'recircd_http_requests_total{route="/v1/pickups",method="POST",code="200"}')" 1 \
    "its replay: one 200"
is "$(val 'recircd_http_requests_total{route="/v1/pickups/{id}",method="GET",code="404"}')" 1 \
    "by route pattern, not path"
is "$(val 'recircd_http_requests_total{route="other",method="GET",code="404"}')" 1 \
    "a path no route has: route=\"other\""
is "$(val 'recircd_http_requests_total{route="/metrics",method="GET",code="200"}')" 2 \
    "the scrapes are counted too"
n=$(grep -v '^#' "$T/m" | grep '^recircd_http_requests_total' | awk '{ s += $NF } END { print s }')
is "$(val recircd_http_request_duration_seconds_count)" "$n" \
    "the latency histogram has every reply"
is "$(val 'recircd_http_request_duration_seconds_bucket{le="+Inf"}')" "$n" \
    "... its +Inf bucket too"
is "$(val recircd_commit_batch_writes_count)" "$(val recircd_commit_transactions_total)" \
    "a batch-size observation per transaction"
if command -v promtool >/dev/null; then
	promtool check metrics < "$T/m" > "$T/promtool" 2>&1
	ok $? "promtool check metrics: clean"
	sed 's/^/#   /' "$T/promtool"
else
	ok 0 "# SKIP promtool not installed (Debian package prometheus)"
fi
is "$(val 'recircd_pickups{status="received"}')" 1 "the pickups gauge"
is "$(val recircd_commit_writes_total)" \
    "$(js "$(api GET /v1/status "$OPS")" | jq .group_commit.writes)" \
    "commit writes agree with /v1/status"
like "$(cat "$T/m")" 'recircd_build_info{version="' "build info"

# The API's description, without a token.
code=$(curl -s -D "$T/h" -o "$T/oa" -w '%{http_code}' "$URL/v1/openapi.json")
is "$code" 200 "GET /v1/openapi.json: 200 without a token"
is "$(jq -r .openapi "$T/oa")" 3.1.0 "... an OpenAPI 3.1 document"
is "$(jq -r '.paths["/v1/pickups"].post.operationId' "$T/oa")" createPickup \
    "... describing the API"
daemon_stop

# metrics_listen: /metrics there and only there.  daemon_start retries
# the main port when it is taken, not this one: a few draws of it.
metrics_start() {
	for _m in 1 2 3 4 5; do
		MP=$(free_port)
		daemon_start -D "metrics_listen=127.0.0.1:$MP" "$@" && return 0
	done
	return 1
}
metrics_start || { echo "Bail out! recircd did not start"; exit 1; }
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")" 404 \
    "with metrics_listen, not on the main address"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MP/metrics")" 200 \
    "... but on its own"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OPS" \
    "http://127.0.0.1:$MP/v1/status")" 404 "... which serves nothing else"
daemon_stop

# metrics_auth yes: a staff token (ops, planner, admin), as Prometheus
# sends one (authorization: credentials), on either listener.
daemon_start -D auth_cache=0 -D metrics_auth=yes ||
    { echo "Bail out! recircd did not start"; exit 1; }
code=$(curl -s -o "$T/m" -w '%{http_code}' "$URL/metrics")
is "$code $(jq -r .error.code "$T/m" 2>/dev/null)" "401 unauthorized" \
    "metrics_auth yes: /metrics without a token is 401"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OPR" "$URL/metrics")" \
    403 "... an operator's token is 403"
code=$(curl -s -o "$T/m" -w '%{http_code}' -H "Authorization: Bearer $OPS" "$URL/metrics")
is "$code $(grep -c '^recircd_build_info' "$T/m")" "200 1" "... an ops token gets the metrics"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" 200 \
    "... and /healthz still needs none"
daemon_stop
metrics_start -D metrics_auth=yes || { echo "Bail out! recircd did not start"; exit 1; }
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MP/metrics")" 401 \
    "metrics_auth yes with metrics_listen: 401 there without a token"
is "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OPS" \
    "http://127.0.0.1:$MP/metrics")" 200 "... 200 with one"
daemon_stop

# The metrics listener has a connection guard too: 8 connections from
# one address, then a JSON 503; a connection that sends no whole request
# is closed at http_header_timeout; the API's listener is not affected.
metrics_start -D http_header_timeout=2 ||
    { echo "Bail out! recircd did not start"; exit 1; }
FDS=
for i in 1 2 3 4 5 6 7 8; do
	exec {fd}<>"/dev/tcp/127.0.0.1/$MP"
	printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n' >&"$fd"
	FDS="$FDS $fd"
done
sleep 0.3
code=$(curl -s -o "$T/m9" -w '%{http_code}' "http://127.0.0.1:$MP/metrics")
is "$code" 503 "a ninth connection from one address to metrics_listen: 503"
is "$(jq -r .error.code "$T/m9" 2>/dev/null)" too_many_connections "... with the API's JSON error"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")" 200 \
    "... while the API's listener serves"
set -- $FDS
timeout 8 cat <&"$1" > "$T/cut"
ok $? "a connection that sent half a request is closed at the deadline"
like "$(head -n 1 "$T/cut")" "408" "... with a 408"
for fd in $FDS; do exec {fd}>&-; done
sleep 0.3
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MP/metrics")" 200 \
    "once they are gone, metrics_listen serves again"
daemon_stop
done_testing
