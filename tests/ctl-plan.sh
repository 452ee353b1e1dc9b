#!/bin/sh
# ctl-plan.sh -- recircctl's planning commands against a real recircd and
# the real recirc-solve: the demo city seeded, pickups submitted with
# recircctl, plan run --wait, plan show and list, routes (every scheduled
# pickup on exactly one route), manifest, kpi, centres and fleet, dispatch,
# confirm and the field events (collected, not-collected, sorted), --json
# parsed with jq; exit 1 for what the server does not have (unknown plan,
# vehicle, centre, a plan not done, a failed plan), 2 for usage errors.
. "$top_srcdir/tests/lib.sh"
SOLVER=$top_builddir/recirc-solve
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
[ -x "$SOLVER" ] || skip_all "recirc-solve is not built"

ctl_env

db_default
"$RECIRCD" -D "database=$DB" seed "$top_srcdir/data/demo-network.json" \
    2>/dev/null
ok $? "seed the demo city"
daemon_start -D "solver=$SOLVER" -D solve_timeout=60 -D plan_days=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
token_add springfield operator >"$T/tok-opr" &&
    token_add ops-desk ops >"$T/tok-ops" &&
    token_add planner-1 planner >"$T/tok-pln"
ok $? "tokens for an operator, ops and a planner"
chmod 600 "$T"/tok-*
OPR="-u $URL -t $T/tok-opr"
OPS="-u $URL -t $T/tok-ops"
PLN="-u $URL -t $T/tok-pln"

# --- before any plan
run $OPS kpi
is "$rc" 1 "kpi before any plan: exit 1"
has "$T/err" "no plan has finished yet" "with the server's message"
run $OPS routes
is "$rc" 1 "routes before any plan: exit 1"
run $PLN plan list
is "$rc" 0 "plan list with no plans: exit 0"
has "$T/err" "no plans yet" "says there are none"

# --- the network
run $OPS centres list
is "$rc" 0 "centres list"
is "$(grep -c -e ' existing ' -e ' candidate ' "$T/out")" 5 "five centres"
has "$T/out" "avonmouth" "the existing depot is listed"
ok "$(grep -c '\.\.\.' "$T/out")" "piped, no cell is cut"
run $OPS --tsv centres list
is "$(awk -F '\t' 'NR > 1 && ($3 == "existing" || $3 == "candidate")' "$T/out" | wc -l)" 5 \
    "--tsv: five rows with the kind in the third cell"
is "$(head -n 1 "$T/out" | cut -f 1-4)" "$(printf 'ID\tNAME\tKIND\tFIXED')" \
    "--tsv: the header line first, nothing before it"
run $OPS -j centres list
is "$(jq '[.centres[] | select(.existing)] | length' "$T/out")" 1 \
    "--json: one existing centre"
run $OPS centres show st-philips
is "$rc" 0 "centres show"
has "$T/out" "stp-van x2" "with the vehicles kept there"
run $OPS centres show no-such-centre
is "$rc" 1 "an unknown centre: exit 1"
has "$T/err" "no centre no-such-centre" "with the server's message"
run $OPS centres show
is "$rc" 2 "centres show without an id: exit 2"
run $OPS fleet list
is "$rc" 0 "fleet list"
is "$(grep -c '^[a-z]' "$T/out")" 7 "seven vehicle types"
run $OPS -j fleet show lock-van
is "$(jq -r '.centre + " " + (.count | tostring)' "$T/out")" "lockleaze 2" \
    "fleet show --json"
run $OPS fleet show no-such-van
is "$rc" 1 "an unknown vehicle type: exit 1"
run $OPS fleet list extra
is "$rc" 2 "fleet list with an argument: exit 2"
run $OPR centres list
is "$rc" 1 "an operator may not read the network: exit 1"

# --- pickups, submitted with recircctl (dates relative to today)
demo_pickups 60 >"$T/pickups.jsonl"
run $OPR pickups submit "$T/pickups.jsonl"
is "$rc" 0 "60 demo pickups submitted"

# --- usage errors: nothing is sent
run $PLN plan run --days 0
is "$rc" 2 "plan run --days 0: exit 2"
run $PLN plan run now
is "$rc" 2 "plan run with an argument: exit 2"
run $PLN plan show x
is "$rc" 2 "plan show x: exit 2"
run $PLN plan show 1 2
is "$rc" 2 "plan show with two plans: exit 2"
run $PLN kpi -- -3
is "$rc" 2 "kpi -3: exit 2"
run $PLN routes --day tomorrow
is "$rc" 2 "routes --day tomorrow: exit 2"
run $PLN routes --day 2026-02-30
is "$rc" 2 "routes --day 2026-02-30 (no such date): exit 2"
has "$T/err" "is not a date" "... and says so, not that it is outside a horizon"
run $PLN routes --plan x
is "$rc" 2 "routes --plan x: exit 2"
run $PLN routes a-van b-van
is "$rc" 2 "routes with two vehicles: exit 2"
run $PLN manifest
is "$rc" 2 "manifest without a vehicle: exit 2"
run $PLN plan run --wait --help
is "$rc" 0 "plan run --help: exit 0"
has "$T/out" "usage: recircctl plan run" "and shows its usage"
run $PLN plan run --region nowhere
is "$rc" 1 "plan run --region of no centre: exit 1"
has "$T/err" "no centre is in region nowhere" "... the server says why"
run $PLN plan list
is "$(cat "$T/out")" "" "still no plans"

# --- plan run
run $OPS plan run
is "$rc" 1 "ops may not plan: exit 1"
has "$T/err" "HTTP 403" "the server's refusal is shown"
run $PLN plan run --wait
is "$rc" 0 "plan run --wait: exit 0"
has "$T/out" "(current)" "the plan is current"
has "$T/out" "done" "and done"
has "$T/out" "scheduled" "it says how many pickups were scheduled"
if grep -q "$(printf '\r')" "$T/err"; then ok 1 "no progress line off a terminal"
else ok 0 "no progress line off a terminal"; fi
run $PLN -j plan show current
is "$rc" 0 "plan show current --json"
P1=$(jq .id "$T/out")
is "$(jq -r .state "$T/out")" done "state done"
sched=$(jq .kpis.pickups.scheduled "$T/out")
ok $((! (sched > 0))) "pickups were scheduled ($sched)"
run $PLN plan show "$P1"
is "$rc" 0 "plan show ID"
has "$T/out" "plan      $P1 (current)" "names the plan"
run $PLN plan show 999
is "$rc" 1 "plan show of an unknown plan: exit 1"
has "$T/err" "no plan 999" "with the server's message"
run $PLN plan run --days 1
is "$rc" 0 "plan run without --wait: exit 0"
P2=$(sed -n 's/^plan \([0-9]*\) queued$/\1/p' "$T/out")
is "$P2" "$((P1 + 1))" "prints the queued plan's id"
run $PLN -j plan run --days 1 --wait
is "$rc" 0 "plan run --wait --json"
is "$(jq -r '.state + " " + (.horizon.days | tostring)' "$T/out")" "done 1" \
    "--json prints the finished plan"
P3=$(jq .id "$T/out")
run $OPS -j plan list
is "$(jq -c '[.plans[].id]' "$T/out")" "[$P3,$P2,$P1]" "plan list: newest first"
run $OPS plan list
is "$(awk '$1 == '"$P3"' { print $2 }' "$T/out")" done "the table shows the state"
has "$T/out" "current" "and which plan is current"

# The 3-day plan for the rest; the newest plan is current, so name it.
sh_ids() { jq -c '[.pickups[].id] | sort'; }
run $PLN plan run --wait
P4=$(sed -n 's/^plan *\([0-9]*\) (current)$/\1/p' "$T/out")
ok $((! (P4 > P3))) "a fresh 3-day plan $P4"

# --- routes: every scheduled pickup on exactly one route
run $OPS -j routes
is "$rc" 0 "routes --json"
cp "$T/out" "$T/routes.json"
is "$(jq .plan "$T/routes.json")" "$P4" "of the current plan"
"$CTL" $OPS -j pickups list --status scheduled | sh_ids >"$T/sched.ids"
jq -c '[.routes[].stops[].pickup] | sort' "$T/routes.json" >"$T/routed.ids"
ok "$(jq length "$T/sched.ids" | awk '{ print ($1 == 0) }')" \
    "there are scheduled pickups ($(jq length "$T/sched.ids"))"
cmp -s "$T/sched.ids" "$T/routed.ids"
ok $? "every scheduled pickup is on a route, and only those"
is "$(jq '[.routes[].stops[].pickup] | length == (unique | length)' \
    "$T/routes.json")" true "no pickup is on two routes"
nstops=$(jq '[.routes[].stops[]] | length' "$T/routes.json")
nroutes=$(jq '.routes | length' "$T/routes.json")
run $OPS routes
is "$rc" 0 "routes"
is "$(grep -c '^ *[0-9][0-9]*  [0-2][0-9]:[0-5][0-9]  ' "$T/out")" "$nstops" \
    "a table row per stop"
is "$(grep -c '^[^ ].*, from .*, back ' "$T/out")" "$nroutes" \
    "a heading per route"
has "$T/out" "plan $P4: $nroutes routes" "says which plan"
ok "$(grep -c '\.\.\.' "$T/out")" "routes piped: no address is cut"
if command -v script >/dev/null 2>&1; then
	COLUMNS=80 script -qec "$CTL $OPS routes" /dev/null | tr -d '\r' |
	    sed 's/\x1b\[[0-9;]*m//g' >"$T/tty.txt"
	is "$(awk 'length > 80' "$T/tty.txt" | wc -l)" 0 \
	    "routes on an 80-column terminal fit it"
else
	ok 0 "# SKIP script(1) is not installed"
fi
if grep -q "$(printf '\033')" "$T/out"; then ok 1 "no escapes off a terminal"
else ok 0 "no escapes off a terminal"; fi
# The vehicle with the most routes (days), so its manifest has pages.
V=$(jq -r '[.routes[].vehicle] | group_by(.) | max_by(length) | .[0]' \
    "$T/routes.json")
D=$(jq -r --arg v "$V" '[.routes[] | select(.vehicle == $v)][0].day' \
    "$T/routes.json")
vstops=$(jq --arg v "$V" '[.routes[] | select(.vehicle == $v) | .stops[]] | length' \
    "$T/routes.json")
run $OPS routes "$V"
is "$rc" 0 "routes VEHICLE"
is "$(grep -c '^[^ ].*, from .*, back ' "$T/out")" \
    "$(jq --arg v "$V" '[.routes[] | select(.vehicle == $v)] | length' "$T/routes.json")" \
    "only that vehicle's routes"
is "$(grep -c '^[^ ].*, from ' "$T/out")" "$(grep -c "^$V " "$T/out")" \
    "every heading names it"
run $OPS -j routes --day "$D" --plan "$P4"
is "$(jq --arg d "$D" '[.routes[].day] | all(. == $d)' "$T/out")" true \
    "routes --day --plan"
# A day outside the plan's horizon says so (issue 12: it printed "0 routes").
run $OPS -j plan show "$P4"
H0=$(jq -r .horizon.from "$T/out")
HN=$(jq -r .horizon.days "$T/out")
HL=$(date -u -d "$H0 + $((HN - 1)) days" +%F)
OUT=$(date -u -d "$H0 + $((HN + 5)) days" +%F)
run $OPS routes --day "$OUT"
is "$rc" 1 "routes --day after the horizon: exit 1"
has "$T/err" "$OUT is outside the horizon of plan $P4: it covers $H0 to $HL ($HN days)" \
    "says the day is outside it, and names the horizon"
run $OPS routes --plan "$P4" --day "$(date -u -d "$H0 - 1 day" +%F)"
is "$rc" 1 "routes --plan ID --day before the horizon: exit 1"
has "$T/err" "outside the horizon of plan $P4" "says so"
run $OPS manifest --day "$OUT" "$V"
is "$rc" 1 "manifest --day outside the horizon: exit 1"
has "$T/err" "covers $H0 to $HL" "names the horizon"
run $OPS routes --day "$HL"
is "$rc" 0 "routes --day on the horizon's last day: exit 0"
run $OPS routes no-such-van
is "$rc" 1 "routes of an unknown vehicle: exit 1"
has "$T/err" "vehicle no-such-van has no route in plan $P4" "says so"
run $OPS routes --plan 999
is "$rc" 1 "routes of an unknown plan: exit 1"
has "$T/err" "no plan 999" "with the server's message"

# --- manifest
run $OPS manifest "$V"
is "$rc" 0 "manifest VEHICLE"
has "$T/out" "MANIFEST  plan $P4  vehicle $V" "the manifest's heading"
is "$(grep -c '^ *[0-9][0-9]*  [0-2][0-9]:[0-5][0-9]  #' "$T/out")" "$vstops" \
    "a manifest line per stop"
is "$(grep -c "$(printf '\f')MANIFEST" "$T/out")" \
    "$(( $(jq --arg v "$V" '[.routes[] | select(.vehicle == $v)] | length' "$T/routes.json") - 1 ))" \
    "pages end in form feeds off a terminal"
run $OPS manifest --day "$D" "$V"
is "$(grep -c '^MANIFEST' "$T/out")" 1 "manifest --day: one page"
run $OPS -j manifest "$V"
is "$(jq --arg v "$V" '[.routes[].vehicle] | all(. == $v)' "$T/out")" true \
    "manifest --json: the vehicle's routes"
run $OPS manifest no-such-van
is "$rc" 1 "manifest of an unknown vehicle: exit 1"
has "$T/err" "no route" "with the server's message"
run $OPS manifest --plan 999 "$V"
is "$rc" 1 "manifest of an unknown plan: exit 1"

# --- kpi
run $OPS kpi
is "$rc" 0 "kpi"
for k in cost distance routes "load factor" "centres open" tonnes pickups \
    solver field; do
	grep -q "^$k  " "$T/out"
	ok $? "kpi shows $k"
done
has "$T/out" "centre utilisation" "and the centres' utilisation"
ok "$(grep -c '\.\.\.' "$T/out")" "kpi piped: nothing cut"
cp "$T/out" "$T/kpi.txt"
run $OPS -j kpi "$P4"
gap=$(jq -r '.solver.gap' "$T/out")
want=$(awk -v g="$gap" 'BEGIN { if (g == "null") print "-"
    else printf "%.2f%%\n", 100 * g }')
is "$(sed -n 's/^solver .*, gap \(.*\)$/\1/p' "$T/kpi.txt")" "$want" \
    "kpi: the solver's gap as a percentage (--json: $gap)"
is "$(jq .pickups.scheduled "$T/out")" "$nstops" \
    "kpi --json: scheduled = the stops on the routes"
is "$(jq '.km > 0 and .co2_kg > 0 and .vehicles_used > 0' "$T/out")" true \
    "km, CO2 and vehicles"
run $OPS kpi 999
is "$rc" 1 "kpi of an unknown plan: exit 1"

run $OPS status
has "$T/out" "$P4, finished " "status names the current plan"

# --- the crew's day: dispatch, confirm, what happened in the field
run $PLN dispatch
is "$rc" 2 "dispatch without a vehicle: exit 2"
run $PLN dispatch --plan "$P3" "$V"
is "$rc" 1 "dispatch a plan that is not current: exit 1"
has "$T/err" "plan $P3 is not the current plan" "with the server's message"
run $PLN dispatch no-such-van
is "$rc" 1 "dispatch a vehicle with no stops: exit 1"
has "$T/err" "vehicle no-such-van has no scheduled stops in plan $P4" \
    "says so"
dstops=$(jq --arg v "$V" --arg d "$D" \
    '[.routes[] | select(.vehicle == $v and .day == $d) | .stops[]] | length' \
    "$T/routes.json")
run $PLN dispatch --day "$D" "$V"
is "$rc" 0 "dispatch --day VEHICLE (planner): exit 0"
is "$(cat "$T/out")" "plan $P4: $V on $D dispatched, $dstops stop$([ "$dstops" = 1 ] || echo s) pinned to it" \
    "says how many stops were pinned"
run $OPS -j dispatch "$V"
is "$(jq -r --arg v "$V" '"\(.plan) \(.vehicle) \(.dispatched)"' "$T/out")" \
    "$P4 $V $vstops" "dispatch --json, all days (ops): every stop of $V"
run $OPR dispatch "$V"
is "$rc" 1 "an operator may not dispatch: exit 1"
run $OPS routes "$V"
is "$(grep -c '^[^ ].*, back [0-9:]*, dispatched$' "$T/out")" \
    "$(jq --arg v "$V" '[.routes[] | select(.vehicle == $v)] | length' "$T/routes.json")" \
    "routes: every heading of $V says dispatched"
is "$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /:/ { print $NF }' "$T/out" | sort -u)" \
    dispatched "and every stop's last column"
run $OPS -j routes "$V"
is "$(jq '[.routes[].stops[] | select(.status == "scheduled") | .pinned] |
    all(. == "dispatched")' "$T/out")" true "routes --json: stops pinned dispatched"
# pickups show: where the plan put a dispatched stop, and its pin
jq -r --arg v "$V" '[.routes[] | select(.vehicle == $v) | .day as $d |
    .stops[] | "\(.pickup) \($d) \(.eta) \(.seq)"][0]' "$T/routes.json" \
    >"$T/vstop"
read -r VP VD VE VS <"$T/vstop"
run $OPS pickups show "$VP"
is "$(sed -n 's/^planned  *//p' "$T/out")" "$VD about $VE, $V stop $VS (plan $P4)" \
    "pickups show: the day, ETA, vehicle and stop of the plan"
sed -n 's/^pinned  *//p' "$T/out" |
    grep -Eq '^dispatched 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z by ops-desk$'
ok $? "and the dispatch pin: when and by whom"
run $OPS -j pickups show "$VP"
is "$(jq -r .schedule.pinned "$T/out")" dispatched \
    "--json: schedule.pinned is dispatched"

# Two scheduled pickups: one to confirm, one to collect and sort.
jq -r '[.routes[].stops[].pickup] | .[0], .[1]' "$T/routes.json" >"$T/two"
C1=$(sed -n 1p "$T/two")
C2=$(sed -n 2p "$T/two")
run $OPS pickups confirm "$C1" 999999
is "$rc" 1 "confirm a scheduled and an unknown pickup: exit 1"
is "$(cat "$T/out")" "pickup $C1 confirmed: its day is pinned" \
    "the scheduled one is confirmed"
has "$T/err" "pickup 999999: no pickup 999999" "the unknown one named"
# dispatched above if it is on $V's routes; the pin a dispatch set stays
pin1=$(jq -r --arg v "$V" --argjson id "$C1" '[.routes[] |
    select(.stops[].pickup == $id) | .vehicle][0] |
    if . == $v then "dispatched" else "confirmed" end' "$T/routes.json")
run $OPS -j pickups show "$C1"
is "$(jq -r .schedule.pinned "$T/out")" "$pin1" "pickup $C1 is pinned: $pin1"
run $OPS pickups collected --weight 31.5 "$C2"
is "$rc" 0 "pickups collected --weight (ops): exit 0"
is "$(cat "$T/out")" "pickup $C2 collected" "says it is collected"
run $OPS pickups confirm "$C2"
is "$rc" 1 "confirm a collected pickup: exit 1"
has "$T/err" "only a scheduled day can be confirmed" "with the server's message"
run $OPS pickups collected "$C2"
is "$rc" 1 "collected twice: exit 1"
has "$T/err" "pickup $C2 is collected; that event does not apply" "says why"
run $OPS pickups sorted "$C2"
is "$rc" 2 "sorted without --stream: exit 2"
has "$T/err" "into which stream?" "asks for it"
run $OPS pickups sorted --stream compost "$C2"
is "$rc" 1 "sorted into no such stream: exit 1"
has "$T/err" "stream must be repair, reuse, recycle or dispose" \
    "the server's list"
run $OPS -j pickups sorted --stream reuse --weight 30 "$C2"
is "$(jq -r .status "$T/out")" sorted "sorted --stream --weight --json"
run $OPS -j pickups show "$C2"
is "$(jq -c '[.history[].status]' "$T/out")" \
    '["received","scheduled","collected","sorted"]' \
    "the pickup's history has the field events"
run $OPS pickups collected --weight heavy "$C1"
is "$rc" 2 "--weight heavy: exit 2"
run $OPS pickups collected --weight 0 "$C1"
is "$rc" 2 "--weight 0: exit 2"
run $OPS pickups collected --weight inf "$C1"
is "$rc" 2 "--weight inf: exit 2"
run $OPS pickups collected --weight 12 "$C1" "$C2"
is "$rc" 2 "--weight with two pickups: exit 2"
has "$T/err" "one pickup at a time" "says why"
run $OPS pickups not-collected "$C1"
is "$rc" 2 "not-collected without --code: exit 2"
has "$T/err" "why was it not collected?" "asks why"
run $PLN pickups not-collected --code no_access "$C1"
is "$rc" 1 "a planner may not record field events: exit 1"
run $OPS pickups not-collected --code no_access "$C1"
is "$rc" 0 "not-collected --code no_access: exit 0"
is "$(cat "$T/out")" "pickup $C1 received" "back to received, for the next plan"
run $OPS pickups show "$C1"
is "$(sed -n 's/^deferred  *//p' "$T/out")" "not_collected:no_access (plan $P4)" \
    "pickups show: deferred, and why"
grep -q '^pinned ' "$T/out"
is "$?" 1 "no pin left"

# A crew's sheet of weights, typed in at the desk: --weights FILE|-
jq -r '[.routes[].stops[].pickup] | .[2], .[3]' "$T/routes.json" >"$T/two2"
W1=$(sed -n 1p "$T/two2")
W2=$(sed -n 2p "$T/two2")
printf 'pickup;kg\n%s;12,5\n# the second from the weighbridge\n%s;40\n' \
    "$W1" "$W2" >"$T/weights.csv"
printf '%s 12\n%s heavy\n' "$W1" "$W2" >"$T/bad-weights"
run $OPS pickups collected --weights "$T/bad-weights"
is "$rc" 2 "a weights file with a bad line: exit 2"
has "$T/err" "$T/bad-weights:2: \"heavy\" is not a weight in kg over 0" \
    "names the file, the line and the value"
run $OPS -j pickups show "$W1"
is "$(jq -r .status "$T/out")" scheduled "and sends nothing, not even line 1"
run $OPS pickups collected --weights "$T/weights.csv" "$W1"
is "$rc" 2 "--weights and ids: exit 2"
run $OPS pickups collected
is "$rc" 2 "neither ids nor --weights: exit 2"
has "$T/err" "which pickup?" "asks which"
"$CTL" $OPS pickups collected --weights - <"$T/weights.csv" >"$T/out" 2>"$T/err"
is "$?" 0 "pickups collected --weights - (standard input): exit 0"
is "$(cat "$T/out")" "pickup $W1 collected
pickup $W2 collected" "one line a pickup"
run $OPS -j pickups show "$W1"
is "$(jq -r '.history[-1].detail' "$T/out")" "collected, 12.5 kg" \
    "the first weighs 12.5 kg (a decimal comma)"
run $OPS -j pickups show "$W2"
is "$(jq -r '.history[-1].detail' "$T/out")" "collected, 40.0 kg" \
    "the second 40 kg"
run $OPS pickups sorted --stream recycle --weights "$T/weights.csv"
is "$rc" 0 "pickups sorted --stream --weights: exit 0"
run $OPS -j pickups show "$W1"
is "$(jq -r '.history[-1].detail' "$T/out")" "sorted into recycle, 12.5 kg" \
    "sorted with its weight"

# --- every vehicle at once: the morning's sheets, then handing them out
nd=$(jq --arg d "$D" '[.routes[] | select(.day == $d)] | length' "$T/routes.json")
run $OPS manifest --all --day "$D"
is "$rc" 0 "manifest --all --day: exit 0"
is "$(grep -c '^MANIFEST' "$T/out")" "$nd" "a sheet for each of the $nd routes of $D"
is "$(grep -c "$(printf '\f')MANIFEST" "$T/out")" "$((nd - 1))" \
    "one vehicle's sheet after another, a page each"
run $OPS -j manifest --all --day "$D"
is "$(jq '.routes | length' "$T/out")" "$nd" "manifest --all --json: the day's routes"
run $OPS manifest
is "$rc" 2 "manifest without a vehicle or --all: exit 2"
has "$T/err" "which vehicle? (or --all)" "asks which"
run $OPS manifest --all "$V"
is "$rc" 2 "a vehicle and --all: exit 2"
run $PLN dispatch --all
is "$rc" 2 "dispatch --all without --day: exit 2"
has "$T/err" "--all needs --day" "says routes go out a day at a time"
nl=$(jq --arg d "$HL" '[.routes[] | select(.day == $d)] | length' "$T/routes.json")
run $PLN dispatch --all --day "$HL"
is "$rc" 0 "dispatch --all --day: exit 0"
is "$(grep -c "^plan $P4: .* on $HL dispatched, [0-9]* stops\{0,1\} pinned to it$" "$T/out")" \
    "$nl" "a line for each of the $nl routes of $HL"
run $OPS routes --day "$HL"
is "$(grep -c '^[^ ].*, back [0-9:]*, dispatched$' "$T/out")" "$nl" \
    "routes --day: every heading says dispatched"

# --- a failed plan: exit 1 with the reason; the previous plan stays
daemon_stop
printf '#!/bin/sh\nkill -SEGV $$\n' >"$T/crash.sh"
chmod +x "$T/crash.sh"
daemon_start -D "solver=$T/crash.sh" ||
    { echo "Bail out! recircd did not start"; exit 1; }
PLN="-u $URL -t $T/tok-pln"
run $PLN plan run --wait
is "$rc" 1 "a plan that fails: exit 1"
has "$T/err" "failed:" "with its reason"
P5=$(sed -n 's/^plan *\([0-9]*\)$/\1/p' "$T/out")
run $PLN -j plan show
is "$(jq .id "$T/out")" "$P4" "the previous plan stays current"
run $PLN kpi "$P5"
is "$rc" 1 "kpi of the failed plan: exit 1"
run $PLN routes --plan "$P5"
is "$rc" 1 "routes of the failed plan: exit 1"
has "$T/err" "routes come with a done plan" "with the server's message"

# --- waiting: the progress line, Ctrl-C, plan show --wait (issue 12)
# A solver that reports a best cost, waits for go1, announces the routing
# stage, waits for go2, then runs the real one.
daemon_stop
cat >"$T/slow.sh" <<EOF
#!/bin/sh
echo "00:00:00.000 recirc-solve: cflp: incumbent 1234.5 (0.1 s)" >&2
while [ ! -e "$T/go1" ]; do sleep 0.05; done
echo "00:00:00.000 recirc-solve: stage: routing, 5.0 s left" >&2
while [ ! -e "$T/go2" ]; do sleep 0.05; done
exec "$SOLVER" "\$@"
EOF
chmod +x "$T/slow.sh"
daemon_start -D "solver=$T/slow.sh" -D solve_timeout=60 -D plan_days=3 ||
    { echo "Bail out! recircd did not start"; exit 1; }
PLN="-u $URL -t $T/tok-pln"
newest() { "$CTL" $PLN -j plan list | jq '.plans[0].id'; }
# poll_plan ID FILTER: until the plan's JSON satisfies FILTER (20 s at most)
poll_plan() {
	_i=0
	while [ $_i -lt 400 ]; do
		"$CTL" $PLN -j plan show "$1" >"$T/poll" 2>/dev/null &&
		    jq -e "$2" "$T/poll" >/dev/null && return 0
		sleep 0.05; _i=$((_i + 1))
	done
	return 1
}
# poll_file FILE STRING: until FILE holds STRING (10 s at most)
poll_file() {
	_i=0
	while [ $_i -lt 200 ]; do
		grep -q -F -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05; _i=$((_i + 1))
	done
	return 1
}
# wait_new ID: until the newest plan is not ID; prints the newest
wait_new() {
	_i=0
	while [ "$(newest)" = "$1" ] && [ $_i -lt 200 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
	newest
}
if command -v script >/dev/null 2>&1; then
	rm -f "$T/go1" "$T/go2"
	before=$(newest)
	script -qfec "$CTL $PLN plan run --wait" /dev/null >"$T/tty" 2>&1 &
	SPID=$!
	PW=$(wait_new "$before")
	poll_plan "$PW" '.phase == "location" and .best_cost == 1234.5'
	ok $? "plan $PW: phase location, the solver's best cost"
	is "$(jq '.remaining_s > 0 and .remaining_s <= 60 and (.deadline | type == "string")' "$T/poll")" \
	    true "the plan says its deadline and the seconds left"
	poll_file "$T/tty" "plan $PW  location  best cost 1234.50  "
	ok $? "the progress line: phase and best cost"
	grep -q "best cost 1234.50  [0-9m ]*s left" "$T/tty"
	ok $? "and the time left to the deadline"
	touch "$T/go1"
	poll_plan "$PW" '.phase == "routing"'
	ok $? "the solver's routing stage: phase routing"
	poll_file "$T/tty" "plan $PW  routing  best cost"
	ok $? "the progress line says routing"
	touch "$T/go2"
	wait $SPID
	has "$T/tty" "plan      $PW (current)" "then the finished plan"
else
	for n in 1 2 3 4 5 6 7; do ok 0 "# SKIP script(1) is not installed"; done
fi

# Ctrl-C during plan run --wait: the plan goes on, and the message says
# how to watch it.  (perl undoes the SIGINT-ignored of a background job.)
rm -f "$T/go1" "$T/go2"
before=$(newest)
perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$CTL" $PLN plan run --wait \
    >"$T/out" 2>"$T/err" &
CPID=$!
PI=$(wait_new "$before")
poll_plan "$PI" '.phase == "location"'
ok $? "plan $PI is solving"
sleep 0.3	# recircctl is in its wait loop
kill -INT $CPID
wait $CPID
is "$?" 130 "Ctrl-C: recircctl dies of the interrupt"
has "$T/err" "interrupted: plan $PI goes on running on the server" \
    "says the plan goes on"
has "$T/err" "\"recircctl plan show $PI --wait\" watches it again" \
    "and how to watch it"
is "$("$CTL" $PLN -j plan show "$PI" | jq -r .state)" running \
    "the plan is still running"
"$CTL" $PLN plan show "$PI" --wait >"$T/out" 2>"$T/err" &
WPID=$!
sleep 0.3
kill -0 $WPID 2>/dev/null
ok $? "plan show ID --wait waits for it"
touch "$T/go1" "$T/go2"
wait $WPID
is "$?" 0 "plan show ID --wait: exit 0 once it is done"
has "$T/out" "plan      $PI (current)" "and shows the finished plan"
has "$T/out" "done" "done"
run $PLN plan show "$PI" --wait
is "$rc" 0 "plan show --wait of a done plan returns at once"
daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
