#!/bin/sh
# tests/route-test-threads.sh -- recirc-solve -j 2 (two genetic searches
# side by side, issue 5): the plan passes the independent validator, and
# a run bounded by iterations repeats exactly for the same seed and -j.
. "$top_srcdir/tests/lib.sh"
S=$top_builddir/recirc-solve
R=$top_builddir/recirc-route
D=$top_srcdir/tests/data/route

$S -j 2 -s 3 -t 1 -L "$T/j2.sol" "$D/R101-25.txt" >"$T/j2.json" 2>"$T/err"
rc=$?
sed "s/^/# /" "$T/err"
ok $rc "recirc-solve -j 2 solves R101-25"
$R -c "$T/j2.sol" "$D/R101-25.txt" >"$T/chk" 2>&1
ok $? "the -j 2 routes pass recirc-route -c"

$S -j 0 "$D/R101-25.txt" >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "bad thread count" "$T/err"
ok $? "-j 0 is refused as a usage error (exit 2)"

# Without -j: one search a processor, at most two, for a CVRP; one for
# the other kinds.  The JSON says how many ran.
n=$(getconf _NPROCESSORS_ONLN); [ "$n" -le 2 ] || n=2
$S -t 1 "$D/E-n13-k4.vrp" >"$T/def.json" 2>"$T/err"
is "$(jq .searches "$T/def.json")" "$n" "a CVRP without -j: $n searches"
$S -t 1 -j 1 "$D/E-n13-k4.vrp" >"$T/one.json" 2>"$T/err"
is "$(jq .searches "$T/one.json")" 1 "a CVRP with -j 1: one search"
$S -t 1 "$D/R101-25.txt" >"$T/tw.json" 2>"$T/err"
is "$(jq .searches "$T/tw.json")" 1 "windows without -j: one search"

# 1100 iterations a search, each on its own: the best is the same one
for i in 1 2; do
	$R -j 2 -i 1100 -s 5 -t 600 -o "$T/rep$i.sol" "$D/C101-25.txt" \
	    >/dev/null 2>"$T/err" || break
done
cmp -s "$T/rep1.sol" "$T/rep2.sol" && [ -s "$T/rep1.sol" ]
ok $? "-j 2, same seed, same iterations: the same routes"
$R -c "$T/rep1.sol" "$D/C101-25.txt" >/dev/null 2>&1
ok $? "and they pass the validator"

done_testing
