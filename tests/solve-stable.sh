#!/bin/sh
# solve-stable.sh -- recirc-solve's stability term (replan_move_cost,
# issue 14) on a problem small enough to know the answer: two neighbours
# the previous plan collects on two days, with a van each.  One van for
# both saves a route; the move that takes saves exactly the second
# route's cost less the detour, which the plan must report.  Move cost 0
# is the term switched off (the old behaviour: the cheapest routes, no
# moves priced); a move cost below the saving moves one pickup, one above
# it moves none.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
S=$top_builddir/recirc-solve
P=$top_srcdir/tests/data/solve/stable.json

# solve COST: the plan with replan_move_cost COST, in $T/plan.COST.json.
solve() {
	jq --argjson c "$1" '.settings.replan_move_cost = $c' "$P" > "$T/p.json"
	"$S" -t 2 -s 1 "$T/p.json" > "$T/plan.$1.json" 2>"$T/err.$1"
}
routes() { jq '.routes | length' "$T/plan.$1.json"; }
rcost() { jq '[.routes[].cost] | add' "$T/plan.$1.json"; }

solve 1000
ok $? "move cost 1000: solves"
is "$(routes 1000)" 2 "move cost 1000: each pickup stays on its day, two routes"
is "$(jq -c '[.routes[] | [.day, .vehicle, .stops[0].pickup]] | sort' "$T/plan.1000.json")" \
    '[["2027-03-01","van-1","A"],["2027-03-02","van-1","B"]]' \
    "move cost 1000: as the previous plan had them"
is "$(jq '.moves | length' "$T/plan.1000.json")" 0 "move cost 1000: no moves reported"

solve 0.01
ok $? "move cost 0.01: solves"
is "$(routes 0.01)" 1 "move cost 0.01: one route for both"
is "$(jq '.moves | length' "$T/plan.0.01.json")" 1 "move cost 0.01: one move, reported"
SAVING=$(jq '.moves[0].saving' "$T/plan.0.01.json")
# The saving, recomputed from the two plans' own route costs.
is "$(awk -v s="$SAVING" -v a="$(rcost 1000)" -v b="$(rcost 0.01)" \
    'BEGIN { d = a - b - s; print (d < 1e-6 && d > -1e-6) ? "same" : s " vs " a - b }')" \
    same "the reported saving ($SAVING) is what the move saves in route costs"
ok "$(awk -v s="$SAVING" 'BEGIN { print !(s > 10) }')" "the saving is a route's worth ($SAVING)"

below=$(awk -v s="$SAVING" 'BEGIN { printf "%.4f", s * 0.9 }')
above=$(awk -v s="$SAVING" 'BEGIN { printf "%.4f", s * 1.1 }')
solve "$below"
is "$(routes "$below") $(jq '.moves | length' "$T/plan.$below.json")" "1 1" \
    "move cost $below, below the saving: the pickup moves"
ok "$(jq --argjson c "$below" '[.moves[] | select(.saving <= $c)] | length' "$T/plan.$below.json")" \
    "... and its saving exceeds the move cost"
solve "$above"
is "$(routes "$above") $(jq '.moves | length' "$T/plan.$above.json")" "2 0" \
    "move cost $above, above the saving: nothing moves"

solve 0
ok $? "move cost 0: solves"
is "$(routes 0)" 1 "move cost 0: the cheapest routes, as before the term"
is "$(jq 'has("moves")' "$T/plan.0.json")" false "move cost 0: no move priced"

# The location stage prices moving a pickup to another centre.
jq '.centres += [.centres[0] | .id = "east" | .lon = -2.531 | .existing = false |
    .force_open = false | .fixed_cost = 1] | .vehicle_types += [.vehicle_types[0] |
    .id = "evan" | .home = "east"] | .settings.replan_move_cost = 1000' "$P" > "$T/east.json"
"$S" -t 2 -s 1 "$T/east.json" > "$T/east.plan" 2>/dev/null
is "$(jq -r '[.assignments[].centre] | unique | join(",")' "$T/east.plan")" depot \
    "a cheap new centre next door does not take them at move cost 1000"
jq '.settings.replan_move_cost = 0' "$T/east.json" > "$T/east0.json"
"$S" -t 2 -s 1 "$T/east0.json" > "$T/east0.plan" 2>/dev/null
is "$(jq -r '[.assignments[].centre] | unique | join(",")' "$T/east0.plan")" east \
    "... it does at move cost 0"
jq '.settings.replan_move_cost = 2' "$T/east.json" > "$T/east2.json"
"$S" -t 2 -s 1 "$T/east2.json" > "$T/east2.plan" 2>/dev/null
is "$(jq -r '[.assignments[].centre] | unique | join(",")' "$T/east2.plan") $(jq .cost.stability "$T/east2.plan")" \
    "east 4" "... and at move cost 2, paying it in cost.stability"
done_testing
