#!/bin/sh
# tests/route-decompose.sh -- VRPTW at scale (issue 14): from 400 stops
# with windows the search seeds savings routes joined end to start, and
# spends the later part of its time on sub-instances of neighbouring
# routes (route-hgs.c, hgs_decompose) whose routes are mapped back.
# The instance: 12 spokes of 34 stops 5 units apart, windows that allow
# each spoke only outwards and in order, capacity 34: the optimum is the
# 12 spokes, out and back, 12 * 2 * 170 = 4080 (no route can reach two
# spoke ends: they are at least 48 apart and all due within 6 units).
. "$top_srcdir/tests/lib.sh"
R=$top_builddir/recirc-route

awk 'BEGIN {
	split("5 0 4 3 3 4 0 5 -3 4 -4 3 -5 0 -4 -3 -3 -4 0 -5 3 -4 4 -3", v)
	n = 12 * 34
	printf "NAME : spokes\nTYPE : VRPTW\nDIMENSION : %d\n", n + 1
	printf "VEHICLES : 50\nCAPACITY : 34\nSERVICE_TIME : 1\n"
	printf "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 500 500\n"
	for (s = 0; s < 12; s++)
		for (k = 1; k <= 34; k++)
			print 2 + 34 * s + k - 1, 500 + k * v[2 * s + 1],
			    500 + k * v[2 * s + 2]
	print "DEMAND_SECTION\n1 0"
	for (i = 2; i <= n + 1; i++)
		print i, 1
	print "TIME_WINDOW_SECTION\n1 0 1000"
	for (s = 0; s < 12; s++)
		for (k = 1; k <= 34; k++)
			print 2 + 34 * s + k - 1, 6 * k - 4, 6 * k + 2
	print "DEPOT_SECTION\n1\n-1\nEOF"
}' >"$T/spokes.vrp"

$R -s 1 -t 3 -o "$T/s.sol" "$T/spokes.vrp" >"$T/out" 2>"$T/err"
rc=$?
sed "s/^/# /" "$T/err"
ok $rc "a 408-stop VRPTW solves"
n=$(grep '^Route' "$T/s.sol" | sed 's/^Route #[0-9]*: //' | tr ' ' '\n' |
    grep -c .)
u=$(grep '^Route' "$T/s.sol" | sed 's/^Route #[0-9]*: //' | tr ' ' '\n' |
    grep . | sort -un | wc -l)
is "$n $u" "408 408" "every stop once, none lost or doubled by the sub-instances"
is "$($R -c "$T/s.sol" "$T/spokes.vrp" 2>&1)" "spokes 4080.0000" \
    "the validator agrees: the optimum, 4080"
is "$(jq .routes "$T/out")" 12 "one route a spoke"
# each route is one spoke, outwards: stops 34 s + 1 .. 34 s + 34 in order
bad=$(grep '^Route' "$T/s.sol" | sed 's/^Route #[0-9]*: //' | awk '{
	for (i = 2; i <= NF; i++) if ($i != $(i - 1) + 1) b++
	if (NF != 34 || ($1 - 1) % 34 != 0) b++ } END { print b + 0 }')
is "$bad" 0 "each route runs out along its spoke"
done_testing
