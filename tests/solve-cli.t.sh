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
$S -V "$T/fleet.plan" "$T/fleet.json" 2>/dev/null
ok $? "and the plan validates"
jq '.assignments += [{"pickup": .deferred[0].pickup, "centre": "depot-north", "fraction": 1}] | .deferred = .deferred[1:]' \
    "$T/fleet.plan" >"$T/fleet.bad" 2>/dev/null
$S -V "$T/fleet.bad" "$T/fleet.json" 2>"$T/err"
[ $? -ne 0 ] && [ -s "$T/err" ]
ok $? "the validator rejects a plan over the fleet's limit"

# a pickup whose costs leave a centre out may not go there (not NaN)
jq '.pickups[0].costs = {(.centres[0].id): 10}' "$D/demo.json" >"$T/omit.json"
$S -t 5 "$T/omit.json" >"$T/omit.plan" 2>"$T/err"
ok $? "costs omitting centres: a plan"
ok $(jq -e '.objective | isnormal' "$T/omit.plan" >/dev/null; echo $?) \
    "and its objective is a number"
$S -V "$T/omit.plan" "$T/omit.json" 2>/dev/null
ok $? "and it validates"
$S -f nonsense "$D/cap71.txt" >/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q "unknown format" "$T/err"
ok $? "unknown -f refused"
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
done_testing
