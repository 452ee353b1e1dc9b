#!/bin/sh
# tests/route-test-vroom.sh -- VROOM problems through recirc-solve: the
# format is detected, and set partitioning runs cleanly when a job is left
# out (issue 5: the pool of the search's sub-instance used to hold the
# parent's job numbers and GLPK stopped on "row index out of range").
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

done_testing
