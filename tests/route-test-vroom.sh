#!/bin/sh
# tests/route-test-vroom.sh -- VROOM problems through recirc-solve: the
# format is detected, set partitioning runs cleanly when a job is left
# out (issue 5: the pool of the search's sub-instance used to hold the
# parent's job numbers and GLPK stopped on "row index out of range"), and
# a job is served in whichever of its time windows the route can make.
. "$top_srcdir/tests/lib.sh"
S=$top_builddir/recirc-solve
D=$top_srcdir/tests/data/route

$S -s 1 -t 0.5 -L "$T/left.sol" "$D/vroom-left.json" >"$T/left.json" \
    2>"$T/err"
ok $? "vroom-left.json (detected as vroom) solves and validates"
is "$(cat "$T/err")" "" "no message on stderr: set partitioning ran cleanly"
grep -q '"unassigned":\[{"stop":1,"reason":"no_capacity"}\]' "$T/left.json"
ok $? "the job above every capacity is left out with its reason"
is "$(grep '^Route' "$T/left.sol" | tr ' ' '\n' | grep -c '^[0-9]')" 5 \
    "the five other jobs are routed"

# Several time windows a job: job 1 can only make its second window.
R=$top_builddir/recirc-route
$S -s 1 -t 0.3 -L "$T/tw2.sol" "$D/vroom-tw2.json" >"$T/tw2.json" 2>"$T/err"
ok $? "vroom-tw2.json solves and validates"
is "$(grep '^Route' "$T/tw2.sol")" "Route #1: 2 3 1" \
    "one route: job 2 in its window, then job 1 in its second window"
is "$($R -c "$T/tw2.sol" "$D/vroom-tw2.json" 2>&1)" "vroom-tw2 75.0000" \
    "recirc-route -c validates the routes at cost 75"
printf 'Route #1: 1 2 3\nCost 70\n' >"$T/early.sol"
$R -c "$T/early.sol" "$D/vroom-tw2.json" >/dev/null 2>"$T/err"
[ $? -ne 0 ] && grep -q "time window" "$T/err"
ok $? "job 1 first misses job 2's window: rejected"

done_testing
