#!/bin/sh
# tests/route-vrplib.sh -- the VRPLIB reader (src/fmt-cvrplib.c): a VRPTW
# file (TYPE : VRPTW, TIME_WINDOW_SECTION, SERVICE_TIME, VEHICLES) is
# solved with its windows and checked independently; a file with a TYPE,
# key or section the reader does not know is refused with its name, never
# read with the rest ignored (issue 14: a VRPTW read as a CVRP lost its
# windows silently).
. "$top_srcdir/tests/lib.sh"
R=$top_builddir/recirc-route
D=$top_srcdir/tests/data/route

$R -s 1 -t 0.5 -o "$T/s.sol" "$D/vrptw-small.vrp" >"$T/out" 2>"$T/err"
ok $? "a VRPLIB VRPTW file solves"
# Customers 1 and 2 (file nodes 2, 3) close at 100, 3 and 4 open at 500:
# the cheapest plan is a morning route and an afternoon one (80, against
# 102.3 for mixing them, a van waiting till 500).
routes=$(grep '^Route' "$T/s.sol" | sed 's/^Route #[0-9]*: //' |
    tr ' ' '\n' | sort -n | tr '\n' ' ')
is "$routes" "1 2 3 4 " "every customer once"
pairs=$(grep '^Route' "$T/s.sol" | sed 's/^Route #[0-9]*: //' |
    awk '{ a = $1 <= 2; b = $2 <= 2; print (NF == 2 && a == b) }' | sort -u)
is "$pairs" 1 "a morning route and an afternoon route"
is "$($R -c "$T/s.sol" "$D/vrptw-small.vrp" 2>&1)" "vrptw-small 80.0000" \
    "recirc-route -c recomputes its cost, 80 (tenth-truncated distances)"
# Afternoon first, then a customer whose window closed at 100.
printf 'Route #1: 3 1\nRoute #2: 2 4\n' >"$T/bad.sol"
$R -c "$T/bad.sol" "$D/vrptw-small.vrp" >/dev/null 2>"$T/err"
rc=$?
ok $([ $rc -ne 0 ] && grep -q "window" "$T/err" && echo 0 || echo 1) \
    "a route that reaches a customer after its window is refused"
printf 'Route #1: 1 3\nRoute #2: 2 4\n' >"$T/wait.sol"
is "$($R -c "$T/wait.sol" "$D/vrptw-small.vrp" 2>&1)" "vrptw-small 102.3000" \
    "a morning customer, then waiting for an afternoon one: feasible, 102.3"

refuse() {	# refuse DESCRIPTION WANT-IN-MESSAGE SED-SCRIPT
	sed "$3" "$D/vrptw-small.vrp" >"$T/x.vrp"
	$R -t 0.2 "$T/x.vrp" >/dev/null 2>"$T/err"
	rc=$?
	ok $([ $rc -ne 0 ] && grep -q "$2" "$T/err" && echo 0 || echo 1) "$1"
}
refuse "TYPE : CVRP with time windows: refused" \
    "TIME_WINDOW_SECTION in a file whose TYPE is not VRPTW" 's/^TYPE : VRPTW/TYPE : CVRP/'
refuse "an unknown TYPE: refused, named" "unsupported TYPE PDPTW" \
    's/^TYPE : VRPTW/TYPE : PDPTW/'
refuse "an unknown section: refused, named" "unsupported section PICKUP_SECTION" \
    's/^DEPOT_SECTION/PICKUP_SECTION/'
refuse "a key whose constraint would be dropped: refused" \
    "unsupported key DISTANCE" 's/^CAPACITY : 10/CAPACITY : 10\nDISTANCE : 50/'
refuse "a time window that closes before it opens: refused" \
    "node 2: time window" 's/^2 0 100$/2 100 0/'
refuse "a node without its window: refused" \
    "TIME_WINDOW_SECTION has 4 of 5" '/^5 500 600$/d'
done_testing
