#!/bin/sh
# tests/solve-cli.t.sh -- recirc-solve as a program: formats and their
# detection, stdin/stdout and -o, exit codes, infeasible plans, the
# --validate mode accepting good plans and rejecting tampered ones, and
# determinism for a seed.
. "$top_srcdir/tests/lib.sh"
S=$top_builddir/recirc-solve
D=$top_srcdir/tests/data/solve

num() {	# num KEY FILE: a top-level number of a plan
	awk -v k="\"$1\":" '$1 == k { v = $2; sub(/,$/, "", v); print v; exit }' "$2"
}

$S -t 20 -o "$T/cap71.json" "$D/cap71.txt" 2>"$T/err"
ok $? "cap71 (cflp, detected) solves to -o"
is "$(num objective "$T/cap71.json")" "932615.75" "cap71: the published optimum"
grep -q '"status": "optimal"' "$T/cap71.json"
ok $? "cap71: status optimal"

$S -V "$T/cap71.json" "$D/cap71.txt" 2>"$T/err"
ok $? "--validate accepts the plan"
sed 's/"objective": 932615.75/"objective": 932000.0/' "$T/cap71.json" >"$T/bad.json"
$S -V "$T/bad.json" "$D/cap71.txt" 2>"$T/err"
[ $? -eq 1 ] && grep -q "objective" "$T/err"
ok $? "--validate rejects a tampered objective"
awk '/"open": true/ && !done { sub(/true/, "false"); done = 1 } { print }' \
    "$T/cap71.json" >"$T/bad.json"
$S -V "$T/bad.json" "$D/cap71.txt" 2>"$T/err"
[ $? -eq 1 ] && grep -q "closed" "$T/err"
ok $? "--validate rejects service from a closed centre"

$S -S -f cflp - <"$D/cap41.txt" >"$T/cap41ss.json" 2>"$T/err"
ok $? "cap41 single-source from stdin: exit 0"
grep -q '"status": "infeasible"' "$T/cap41ss.json" &&
    grep -q '"reason": ".*exceeds the largest capacity' "$T/cap41ss.json"
ok $? "cap41 single-source: infeasible, with the reason"

$S -s 3 "$D/demo.json" >"$T/demo1.json" 2>/dev/null
ok $? "demo.json (detected) solves"
$S -s 3 - <"$D/demo.json" >"$T/demo2.json" 2>/dev/null
grep -v '"seconds"' "$T/demo1.json" >"$T/d1"
grep -v '"seconds"' "$T/demo2.json" >"$T/d2"
cmp -s "$T/d1" "$T/d2"
ok $? "same seed, same plan"
$S -V "$T/demo1.json" "$D/demo.json" 2>/dev/null
ok $? "demo plan validates"

$S -f cvrplib "$D/cap71.txt" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && [ ! -s "$T/out" ] && grep -q "cap71.txt" "$T/err"
ok $? "-f cvrplib on a cflp file: exit 1, the reader says why"
printf 'NAME : x\nTYPE : CVRP\nNODE_COORD_SECTION\n' >"$T/x.vrp"
$S "$T/x.vrp" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && [ -s "$T/err" ]
ok $? "a truncated CVRPLIB file: exit 1 with a message"

# routing formats go to the routing engine (issue 5)
R=$top_srcdir/tests/data/route
$S -t 2 --sol "$T/e13.sol" "$R/E-n13-k4.vrp" >"$T/e13.json" 2>/dev/null
ok $? "E-n13-k4 (CVRPLIB, explicit matrix) solves"
is "$(jq -r .cost "$T/e13.json")" 247 "E-n13-k4: the proven optimum 247"
is "$(grep -c '^Route #' "$T/e13.sol")" 4 "--sol writes the 4 routes"
is "$(sed -n 's/^Cost //p' "$T/e13.sol")" 247 "--sol states the cost"
$S -t 3 "$R/coord20-5-1.dat" >"$T/lrp.json" 2>/dev/null
ok $? "a .dat file is read as Prodhon location-routing"
is "$(jq -r .cost "$T/lrp.json")" 54793 "coord20-5-1: the best known 54793"
$S -t 2 - <"$R/E-n13-k4.vrp" >"$T/e13s.json" 2>/dev/null
is "$(jq -r .cost "$T/e13s.json")" 247 "routing input on stdin"

# a JSON problem with vehicles gets routes from the routing engine
$S -t 4 "$D/demo.json" >"$T/routed.json" 2>/dev/null
ok $? "the demo problem with vehicle types solves"
served=$(jq -r '[.assignments[] | select(.fraction > 0.5) | .pickup] | sort | join(" ")' "$T/routed.json")
routed=$(jq -r '[.routes[].stops[].pickup] + [.unrouted[].pickup] | sort | join(" ")' "$T/routed.json")
is "$routed" "$served" "every served pickup is on exactly one route or unrouted with a reason"
over=$(jq --slurpfile p "$D/demo.json" '
    ($p[0].vehicle_types | map({(.id): .capacity.kg}) | add) as $cap |
    ($p[0].pickups | map({(.id): ([.items[] | (.quantity // 1) * .weight_kg] | add)}) | add) as $kg |
    [.routes[] | select(([.stops[].pickup | $kg[.]] | add) > $cap[.vehicle | sub("-[0-9]+$"; "")])] | length' "$T/routed.json")
is "$over" 0 "no route carries more kg than its vehicle"
ok $(jq -e '[.routes[].vehicle] | length == (unique | length)' "$T/routed.json" >/dev/null; echo $?) \
    "each vehicle drives one route"

# the vehicles homed at a centre bound what it can collect
jq '.vehicle_types[0].count = 1 | .vehicle_types[0].capacity.kg = 200' \
    "$D/demo.json" >"$T/fleet.json"
$S -t 4 "$T/fleet.json" >"$T/fleet.plan" 2>/dev/null
ok $? "a problem with a small fleet solves"
kg=$(jq --slurpfile p "$T/fleet.json" '
    ($p[0].pickups | map({(.id): ([.items[] | (.quantity // 1) * .weight_kg] | add)}) | add) as $kg |
    [.assignments[] | select(.centre == "depot-north") | .fraction * $kg[.pickup]] | add // 0' "$T/fleet.plan")
ok $(awk -v k="$kg" 'BEGIN{exit !(k <= 0.85 * 200 + 1e-6)}'; echo $?) \
    "depot-north collects $kg kg, within 85% of its one 200 kg van"
ok $(jq -e '.deferred | length > 0' "$T/fleet.plan" >/dev/null; echo $?) \
    "the rest is deferred (the other centres have no vehicles)"
ok $(jq -e 'all(.deferred[]; .reason | startswith("fleet:"))' "$T/fleet.plan" >/dev/null; echo $?) \
    "and says the fleet is full"
$S -V "$T/fleet.plan" "$T/fleet.json" 2>/dev/null
ok $? "and the plan validates"
jq '.assignments += [{"pickup": .deferred[0].pickup, "centre": "depot-north", "fraction": 1}] | .deferred = .deferred[1:]' \
    "$T/fleet.plan" >"$T/fleet.bad" 2>/dev/null
$S -V "$T/fleet.bad" "$T/fleet.json" 2>"$T/err"
[ $? -ne 0 ] && [ -s "$T/err" ]
ok $? "the validator rejects a plan over the fleet's limit"

# A day over-full, another with room (issue 6): one van of 10 m3 over two
# days; due1 and due2 (7 m3) must go on the second day, flex (6 m3, a
# window 09:00-12:00) may go on either.  Alone on the first day flex costs
# more than it is worth (a van's fixed cost), so the engine leaves it for
# the second, where the three fill two vans and only one exists: the
# repair must put flex back on the first day's free van.
cat >"$T/over.json" <<'EOF'
{"name": "over-full day", "horizon": {"from": "2030-01-07", "days": 2},
 "rules": [{"category": "*", "stream": "recycle", "value": 0.1}],
 "centres": [{"id": "c", "lat": 51.45, "lon": -2.59, "existing": true,
  "capacity": {"recycle": 10000},
  "opening_hours": [{"start": "08:00", "end": "18:00"}]}],
 "vehicle_types": [{"id": "van", "home": "c", "count": 1, "fixed_cost": 50,
  "cost_per_km": 0.4, "shift_min": 480,
  "capacity": {"kg": 1000, "m3": 10, "items": 20}}],
 "pickups": [
  {"id": "due1", "lat": 51.46, "lon": -2.59,
   "window": {"from": "2030-01-08", "to": "2030-01-08"}, "items": [{"category":
   "wardrobe", "quantity": 1, "weight_kg": 60, "volume_m3": 6}]},
  {"id": "due2", "lat": 51.45, "lon": -2.575,
   "window": {"from": "2030-01-08", "to": "2030-01-08"}, "items": [{"category":
   "chair", "quantity": 2, "weight_kg": 8, "volume_m3": 1}]},
  {"id": "flex", "lat": 51.44, "lon": -2.59,
   "window": {"from": "2030-01-07", "to": "2030-01-08"},
   "time_windows": [{"start": "09:00", "end": "12:00"}], "items": [{"category":
   "sofa", "quantity": 1, "weight_kg": 50, "volume_m3": 6}]}]}
EOF
$S -v -t 4 "$T/over.json" >"$T/over.plan" 2>"$T/err"
ok $? "over-full day: a plan"
is "$(jq -r '[.routes[].stops[].pickup] | sort | join(" ")' "$T/over.plan")" \
    "due1 due2 flex" "over-full day: every pickup is routed"
is "$(jq -r '.unrouted | length' "$T/over.plan")" 0 "over-full day: nothing unrouted"
is "$(jq -r '.routes[] | select(any(.stops[]; .pickup == "flex")) | .day' "$T/over.plan")" \
    2030-01-07 "over-full day: flex goes on the first day's free van"
grep -q "[1-9][0-9]* pickups placed by the repair" "$T/err"
ok $? "over-full day: placed by the repair"
over=$(jq --slurpfile p "$T/over.json" '
    ($p[0].pickups | map({(.id): ([.items[] | .quantity * .volume_m3] | add)}) | add) as $m3 |
    [.routes[] | select(([.stops[].pickup | $m3[.]] | add) > 10)] | length' "$T/over.plan")
is "$over" 0 "over-full day: no route over the van's 10 m3"
ok $(jq -e '[.routes[] | .vehicle + .day] | length == (unique | length)' "$T/over.plan" >/dev/null; echo $?) \
    "over-full day: the van drives once a day"
$S -V "$T/over.plan" "$T/over.json" 2>/dev/null
ok $? "over-full day: the plan validates"

# what no van can collect says why
jq '.pickups += [
    {"id": "big", "lat": 51.455, "lon": -2.59, "window": {"from": "2030-01-07",
     "to": "2030-01-08"}, "items": [{"category": "shed", "quantity": 1,
     "weight_kg": 100, "volume_m3": 11}]},
    {"id": "early", "lat": 51.445, "lon": -2.59, "window": {"from": "2030-01-07",
     "to": "2030-01-08"}, "time_windows": [{"start": "06:00", "end": "07:00"}],
     "items": [{"category": "chair", "quantity": 1, "weight_kg": 8, "volume_m3": 0.5}]},
    {"id": "far", "lat": 52.9, "lon": -2.59, "window": {"from": "2030-01-07",
     "to": "2030-01-08"}, "items": [{"category": "chair", "quantity": 1,
     "weight_kg": 8, "volume_m3": 0.5}]},
    {"id": "later", "lat": 51.445, "lon": -2.585, "window": {"from": "2030-01-07",
     "to": "2030-01-08"}, "time_windows": [{"start": "06:00", "end": "07:00"},
     {"start": "14:00", "end": "15:00"}], "items": [{"category": "chair",
     "quantity": 1, "weight_kg": 8, "volume_m3": 0.5}]}] |
    .vehicle_types[0].count = 2' "$T/over.json" >"$T/why.json"
$S -t 4 "$T/why.json" >"$T/why.plan" 2>/dev/null
ok $? "unroutable pickups: a plan"
ok $(jq -e '[.routes[].stops[].pickup] | index("later")' "$T/why.plan" >/dev/null; echo $?) \
    "a pickup whose first window cannot be reached is routed in its second"
is "$(jq -r '[.unrouted[] | .pickup + ":" + .reason] | sort | join(" ")' "$T/why.plan")" \
    "big:no_capacity early:no_window far:shift_too_short" \
    "unroutable pickups: each with its reason"
$S -V "$T/why.plan" "$T/why.json" 2>/dev/null
ok $? "unroutable pickups: the plan validates"

# Closed days (horizon.closed, recircd.conf closed_days): nothing is routed
# on 2030-01-08.  A window of that day alone is due the next open day; an
# overdue one goes on the first; a window from the closed day to the next
# gets the open one; the fleet rows count open days only.
jq '.horizon = {"from": "2030-01-07", "days": 3, "closed": ["2030-01-08"]} |
    .vehicle_types[0].count = 2 |
    .pickups = [
    {"id": "only-closed", "lat": 51.46, "lon": -2.59,
     "window": {"from": "2030-01-08", "to": "2030-01-08"}, "items": [{"category":
     "chair", "quantity": 1, "weight_kg": 8, "volume_m3": 1}]},
    {"id": "overdue", "lat": 51.45, "lon": -2.575,
     "window": {"from": "2030-01-01", "to": "2030-01-03"}, "items": [{"category":
     "chair", "quantity": 2, "weight_kg": 8, "volume_m3": 1}]},
    {"id": "closed-then-open", "lat": 51.44, "lon": -2.59,
     "window": {"from": "2030-01-08", "to": "2030-01-09"}, "items": [{"category":
     "sofa", "quantity": 1, "weight_kg": 50, "volume_m3": 2}]},
    {"id": "any", "lat": 51.445, "lon": -2.58,
     "window": {"from": "2030-01-07", "to": "2030-01-20"}, "items": [{"category":
     "sofa", "quantity": 1, "weight_kg": 50, "volume_m3": 2}]}]' \
    "$T/over.json" >"$T/hol.json"
$S -t 4 "$T/hol.json" >"$T/hol.plan" 2>"$T/err"
ok $? "closed day: a plan"
is "$(jq -r '[.routes[] | select(.day == "2030-01-08")] | length' "$T/hol.plan")" 0 \
    "closed day: no route on it"
is "$(jq -r '[.routes[] | .day as $d | .stops[] | "\(.pickup):\($d)"] | sort | join(" ")' \
    "$T/hol.plan" | sed 's/any:2030-01-0[79] //')" \
    "closed-then-open:2030-01-09 only-closed:2030-01-09 overdue:2030-01-07" \
    "closed day: each pickup on the open day its window allows"
is "$(jq -r '(.unrouted | length) + (.deferred | length)' "$T/hol.plan")" 0 \
    "closed day: nothing unrouted"
$S -V "$T/hol.plan" "$T/hol.json" 2>/dev/null
ok $? "closed day: the plan validates"
# The fleet rows count open days: one van of 10 m3 over three days with
# one closed holds 2 x 10 m3 at 85%, so 20 m3 of pickups cannot all go.
jq '.vehicle_types[0].count = 1 | .pickups |= map(.window = {"from":
    "2030-01-07", "to": "2030-01-09"} | .items[0].volume_m3 = 5)' \
    "$T/hol.json" >"$T/hol2.json"
$S -t 4 "$T/hol2.json" >"$T/hol2.plan" 2>/dev/null
ok $? "closed day, full fleet: a plan"
is "$(jq -r '(.deferred | length) > 0' "$T/hol2.plan")" true \
    "closed day, full fleet: the location stage defers for two days' vans"
jq '.horizon.closed = []' "$T/hol2.json" >"$T/hol3.json"
$S -t 4 "$T/hol3.json" >"$T/hol3.plan" 2>/dev/null
is "$(jq -r '.deferred | length' "$T/hol3.plan")" 0 \
    "... which three open days' vans would not need"
jq '.horizon.closed = ["2030-01-08", "8 Jan"]' "$T/hol.json" >"$T/hol4.json"
$S -t 4 "$T/hol4.json" >/dev/null 2>"$T/err"
is "$?" 1 "closed day: a closed entry that is not a date is refused"
like "$(cat "$T/err")" 'horizon.closed[1] is not a date' "... saying which"
jq '.pickups[0].pin = {"kind": "confirmed", "day": "2030-01-08"}' \
    "$T/hol.json" >"$T/hol5.json"
$S -t 4 "$T/hol5.json" >"$T/hol5.plan" 2>/dev/null
is "$(jq -r '.routes | length' "$T/hol5.plan")" 0 \
    "closed day: a pin on it is refused by the routing stage"

# a pickup whose costs leave a centre out may not go there (not NaN)
jq '.pickups[0].costs = {(.centres[0].id): 10}' "$D/demo.json" >"$T/omit.json"
$S -t 5 "$T/omit.json" >"$T/omit.plan" 2>"$T/err"
ok $? "costs omitting centres: a plan"
ok $(jq -e '.objective | isnormal' "$T/omit.plan" >/dev/null; echo $?) \
    "and its objective is a number"
$S -V "$T/omit.plan" "$T/omit.json" 2>/dev/null
ok $? "and it validates"
$S -f nonsense "$D/cap71.txt" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "unknown format" "$T/err"
ok $? "unknown -f refused as a usage error: exit 2"
echo 'hello world' | $S - >/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q "format" "$T/err"
ok $? "unrecognised input: exit 1 with a message"
echo '{"centres": 3}' | $S - >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && [ ! -s "$T/out" ] && grep -q "centres" "$T/err"
ok $? "bad JSON problem: exit 1, nothing on stdout"
printf '2 2\ncapacity 5\ncapacity 5\n3 1 2\n3 2 1\n' >"$T/capx.txt"
$S "$T/capx.txt" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q -- "--capacity" "$T/err"
ok $? "capa-style file without --capacity: exit 1, says why"
$S -c 4 "$T/capx.txt" >"$T/capx.json" 2>/dev/null
is "$(num objective "$T/capx.json")" "12.0" \
    "--capacity 4: fixed 5 + 5, each customer at its cheaper centre, 1 + 1"
$S /nonexistent/file >/dev/null 2>"$T/err"
ok $(( $? == 0 )) "missing file: non-zero exit"

# usage errors exit 2, as recircd's and recircctl's do (issue 12)
$S >"$T/out" 2>"$T/err"
[ $? -eq 2 ] && grep -q "^usage: recirc-solve" "$T/err" && [ ! -s "$T/out" ]
ok $? "no file: exit 2 with the usage on stderr"
$S "$D/cap71.txt" "$D/cap71.txt" >/dev/null 2>&1
is "$?" 2 "two files: exit 2"
for bad in "-t x" "-t 0" "-c -5" "-j 0" "-s seed" "-Q"; do
	$S $bad "$D/cap71.txt" >"$T/out" 2>"$T/err"
	[ $? -eq 2 ] && grep -q "^usage: recirc-solve" "$T/err"
	ok $? "$bad: exit 2 with the usage"
done
$S -V >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && grep -q "^recirc-solve [0-9]" "$T/out"
ok $? "-V alone prints the version"
$S -V "$T/cap71.json" >"$T/out" 2>"$T/err"
is "$?" 2 "-V with a plan and no problem: exit 2, not the version"
$S -v --version "$D/cap71.txt" >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && grep -q "^recirc-solve [0-9]" "$T/out"
ok $? "--version anywhere prints the version"
$S --help >"$T/out" 2>"$T/err"
[ $? -eq 0 ] && grep -q "^usage: recirc-solve" "$T/out"
ok $? "--help: the usage on stdout, exit 0"
grep -q '^\.It Fl V , Fl \\-version' "$top_srcdir/man/recirc-solve.1" &&
    grep -q '^\.It Fl h , Fl \\-help' "$top_srcdir/man/recirc-solve.1" &&
    sed -n '/^\.Sh EXIT STATUS/,/^\.Sh/p' "$top_srcdir/man/recirc-solve.1" |
    grep -q "2 on a usage error"
ok $? "the man page has -V, -h and exit 2 for usage"

# A road matrix whose node names both a pickup and a centre: whose place
# its legs are is unknowable, so the problem is refused, saying why.
jq '.centres[1].id = "3"' "$top_srcdir/tests/data/fuzz-problem/road-matrix.json" \
    > "$T/twice.json"
"$top_builddir/recirc-solve" -t 1 "$T/twice.json" > "$T/out" 2> "$T/err"
is "$?" 1 "a matrix node naming a pickup and a centre: exit 1"
grep -q 'names both a pickup and a centre' "$T/err"
ok $? "... saying so"
done_testing
