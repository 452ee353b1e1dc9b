#!/bin/bash
# daemon-cluster.sh -- two recircd nodes on one PostgreSQL database (make
# check-pg): pickups submitted to both are each stored once; plans for
# four regions are claimed from the shared queue by both nodes, each plan
# keeping to its region; a node SIGKILLed mid-solve loses its lease and
# the other re-runs its plan; the nightly schedule queues one plan per
# region however many nodes run it; both nodes' webhook workers share the
# outbox, each delivery sent by one of them.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -n "${RECIRC_PG:-}" ] || skip_all "needs PostgreSQL: make check-pg"
DB=$(db_new cluster)
SOLVER=$top_builddir/recirc-solve
# The demo city in four regions.
jq '.centres |= map(.region = ({"avonmouth": "west", "st-philips": "centre",
    "hengrove": "south", "lockleaze": "east", "kingswood": "east"}[.id]))' \
    "$top_srcdir/data/demo-network.json" > "$T/network.json"
"$RECIRCD" -D "database=$DB" seed "$T/network.json" 2>/dev/null ||
    { echo "Bail out! seeding failed"; exit 1; }
OPR=$(token_add council-a operator)
PLN=$(token_add planner planner)
ADM=$(token_add admin admin)

# node NAME [args]: start a node; sets URL_NAME and PID_NAME
node() {
	_n=$1; shift
	daemon_start -D "node=$_n" -D plan_lease=3 -D max_solves=1 \
	    -D solve_timeout=60 -D auth_cache=0 "$@" ||
	    { echo "Bail out! node $_n did not start"; exit 1; }
	eval "URL_$_n=\$URL PID_$_n=\$RECIRCD_PID"
}
at() { eval "URL=\$URL_$1"; }	# at NAME: talk to that node
node_stop() {	# node_stop NAME: SIGTERM, and wait
	eval "_p=\$PID_$1"
	kill -TERM "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}
node A -D "solver=$SOLVER"
node B -D "solver=$SOLVER"

# Pickups to both nodes at once, each acknowledged one stored once.
demo_pickups 120 > "$T/pickups.jsonl"
split -n l/2 "$T/pickups.jsonl" "$T/half."
post_all() {	# post_all URL FILE: print each answer's status
	while IFS= read -r line; do
		curl -s -o /dev/null -w '%{http_code}\n' -X POST \
		    -H "Authorization: Bearer $OPR" \
		    -H 'Content-Type: application/json' --data-binary "$line" \
		    "$1/v1/pickups"
	done < "$2"
}
post_all "$URL_A" "$T/half.aa" > "$T/codes.a" &
pa=$!
post_all "$URL_B" "$T/half.ab" > "$T/codes.b" &
wait "$pa" $!
# and the first ten again to the other node: retries land on either
head -n 10 "$T/half.aa" > "$T/again"
post_all "$URL_B" "$T/again" > "$T/codes.c"
acked=$(cat "$T/codes.a" "$T/codes.b" | grep -c '^20[01]$')
is "$acked" 120 "120 pickups acknowledged by the two nodes"
is "$(grep -c '^200$' "$T/codes.c")" 10 "... the 10 sent again to the other node are replays (200)"
is "$(db_query 'select count(*), count(distinct reference) from pickups')" "120|120" \
    "... and each is stored once"

# A pickup may name its region, one that centres name.
at A
line=$(head -n 1 "$T/pickups.jsonl" | jq -c '.reference = "reg-1" | .region = "atlantis"')
is "$(st "$(api POST /v1/pickups "$OPR" "$line")")" 422 \
    "a pickup naming a region no centre is in: 422"
line=$(head -n 1 "$T/pickups.jsonl" | jq -c '.reference = "reg-2" | .region = "west"')
is "$(st "$(api POST /v1/pickups "$OPR" "$line")")" 201 "... one naming west: 201"
is "$(db_query "select coalesce(region, '-') from pickups where reference in ('reg-1', 'reg-2')")" \
    west "... stored with its region, the other not at all"

# Plans for the four regions, all asked of A: both nodes run them.
for r in west centre south east; do
	at A
	id=$(jget "$(js "$(api POST /v1/plans "$PLN" "{\"region\":\"$r\"}")")" .id)
	echo "$r $id"
done > "$T/plans"
is "$(wc -l < "$T/plans")" 4 "four regional plans queued"
at A
bad=0
while read -r r id; do
	p=$(wait_plan "$id" "$PLN")
	[ "$(jget "$p" .state)" = done ] ||
	    { echo "# plan $id ($r): $(jget "$p" '"\(.state) \(.reason)"')"; bad=$((bad + 1)); }
done < "$T/plans"
is "$bad" 0 "every regional plan is done"
is "$(db_query "select count(distinct node) from plans where region is not null")" 2 \
    "... claimed by both nodes"
is "$(db_query "select count(*) from plans where region is not null and (node is null or node not in ('A', 'B'))")" 0 \
    "... and by no one else"
# Each plan keeps to its region's centres, and a pickup is routed only by
# the plan of its region.
wrong=$(db_query "select count(*) from plan_routes r join plans p on p.id = r.plan_id
    join centres c on c.id = r.centre where c.region != p.region")
is "$wrong" 0 "every route starts from a centre of its plan's region"
twice=$(db_query "select count(*) from (select s.pickup_id from plan_stops s
    join plan_routes r on r.id = s.route_id group by s.pickup_id having count(*) > 1) x")
is "$twice" 0 "no pickup is on the routes of two regions"
routed=$(db_query "select count(distinct s.pickup_id) from plan_stops s")
ok "$([ "$routed" -gt 30 ]; echo $?)" "the four plans route $routed of the pickups"
api GET "/v1/plans" "$PLN" | cut -d' ' -f2- > "$T/list.json"
is "$(jq '[.plans[] | select(.region != null and .current)] | length' "$T/list.json")" 4 \
    "each region has its current plan"

# A node killed mid-solve: its lease runs out and the other node re-runs
# the plan.  A's solver is slow (it waits, then solves), and is killed
# with A by the test (a SIGKILLed daemon cannot).
cat > "$T/slow.sh" <<EOS
#!/bin/sh
echo \$\$ > "$T/slow.pid"
sleep 6
exec "$SOLVER" "\$@"
EOS
chmod +x "$T/slow.sh"
node_stop A
node_stop B
node A -D "solver=$T/slow.sh"
at A
K=$(jget "$(js "$(api POST /v1/plans "$PLN" '{"region":"west"}')")" .id)
for _i in $(seq 200); do
	[ "$(db_query "select state || ' ' || coalesce(node, '') from plans where id = $K")" = "running A" ] &&
	    [ -s "$T/slow.pid" ] && break
	sleep 0.05
done
is "$(db_query "select state || ' ' || node from plans where id = $K")" "running A" \
    "plan $K runs on A"
kill -KILL "$PID_A"
wait "$PID_A" 2>/dev/null
kill -TERM "$(cat "$T/slow.pid")" 2>/dev/null
node B -D "solver=$SOLVER"
at B
p=$(wait_plan "$K" "$PLN")
is "$(jget "$p" '"\(.state) \(.node)"')" "done B" \
    "A killed mid-solve: B takes the plan over when A's lease runs out, and finishes it"

# The nightly schedule on both nodes: one plan per region and night.
node_stop B
node A -D "solver=$SOLVER" -D plan_at=02:00
node B -D "solver=$SOLVER" -D plan_at=02:00
D1=$(date -u -d '+1 day' +%F)
before=$(db_query "select count(*) from plans where trigger = 'schedule'")
for n in A B; do
	at "$n"
	api POST /v1/admin/clock "$ADM" "{\"now\":\"${D1}T02:00:30Z\"}" >/dev/null
done
is "$before" 0 "no nightly plan before 02:00"
is "$(db_query "select count(*) from plans where trigger = 'schedule'")" 4 \
    "at 02:00 on both nodes: four nightly plans, one per region"
is "$(db_query "select string_agg(region, ',' order by region) from plans where trigger = 'schedule'")" \
    "centre,east,south,west" "... one for each region"

# Webhooks: both nodes' delivery workers read one outbox; each delivery
# goes out once (nothing fails here, so nothing is retried), though the
# receiver takes 0.4 s to answer, longer than a worker waits between looks.
"$top_builddir/tests/webhook-sink" -p 0 -d 400 -l "$T/sink.log" > "$T/sink.port" \
    2>>"$T/sink.err" &
DAEMON_PIDS="$DAEMON_PIDS $!"
for _i in $(seq 100); do [ -s "$T/sink.port" ] && break; sleep 0.05; done
at A
r=$(api POST /v1/webhooks "$OPR" "{\"url\":\"http://127.0.0.1:$(cat "$T/sink.port")/hook\",\"events\":[\"cancelled\"],\"secret\":\"s3cret-0123456789abcdef\"}")
is "$(st "$r")" 201 "a webhook for cancellations"
n=0
for id in $(db_query "select id from pickups where status in ('received', 'scheduled') order by id limit 40"); do
	if [ $((n % 2)) = 0 ]; then at A; else at B; fi
	api POST "/v1/pickups/$id/cancel" "$OPR" '{}' > /dev/null
	n=$((n + 1))
done
_end=$(( $(date +%s) + 60 ))
while [ "$(db_query "select count(*) from webhook_deliveries where state = 'delivered'")" -lt "$n" ] &&
    [ "$(date +%s)" -lt "$_end" ]; do sleep 0.2; done
is "$(db_query "select count(*) from webhook_deliveries where state = 'delivered'")" "$n" \
    "all $n cancellations delivered"
is "$(jq -r 'select(.answer == "ok") | .delivery' "$T/sink.log" | sort | uniq -d | wc -l)" 0 \
    "... none of them twice"
is "$(jq -r 'select(.answer == "ok") | .delivery' "$T/sink.log" | sort -u | wc -l)" "$n" \
    "... the receiver saw each once"
done_testing
