#!/bin/sh
# route-lrp-sol.sh -- recirc-solve --sol on a Prodhon location-routing
# instance writes the layout of the sets' published solutions, which
# independent checkers read (shared/bench/README.md section 3): "M
# Yd<k>_OmastV 1.0" per opened depot, "V d 0 c1 ... ck n+1" per route,
# 1-based.  An awk checker written from that README alone (not from our
# reader) recomputes the cost, Sum F_d (opened) + V x routes + Sum
# ceil(100 x Euclid) per arc, and checks that every customer is served
# exactly once, every route starts at an opened depot and keeps Q, and
# every depot keeps its capacity; the cost must be what recirc-solve
# reports.  The checker is first held to the published BKS solution.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
S=$top_builddir/recirc-solve
R=$top_builddir/recirc-route
D=$top_srcdir/tests/data/route

# The checker: the .dat first (a token stream, README section 3), then
# the .sol; prints the cost, or "INVALID: why" and exits 1.
cat > "$T/check.awk" <<'AWK'
function bad(why) { print "INVALID: " why; err = 1; exit 1 }
function ceil100(dx, dy,    e) {
	e = 100 * sqrt(dx * dx + dy * dy)
	return (e == int(e)) ? e : int(e) + 1
}
function arc(a, b) { return ceil100(X[a] - X[b], Y[a] - Y[b]) }
FNR == 1 { file++ }
file == 1 {
	gsub(/\r/, "")
	for (i = 1; i <= NF; i++) tok[nt++] = $i
	next
}
file == 2 && !parsed {
	# n, m, m depot x y, n customer x y, Q, m C_d, n q_i, m F_d, V, flag
	n = tok[0]; m = tok[1]; t = 2
	for (k = 1; k <= m; k++) { X["d" k] = tok[t++]; Y["d" k] = tok[t++] }
	for (k = 1; k <= n; k++) { X["c" k] = tok[t++]; Y["c" k] = tok[t++] }
	Q = tok[t++]
	for (k = 1; k <= m; k++) C[k] = tok[t++]
	for (k = 1; k <= n; k++) q[k] = tok[t++]
	for (k = 1; k <= m; k++) F[k] = tok[t++]
	V = tok[t++]
	if (t + 1 != nt) bad("the .dat has " nt " numbers, not " t + 1)
	parsed = 1
}
file == 2 {
	gsub(/\r/, "")
	if (NF == 0) next
	if ($1 == "M") {
		if ($0 !~ /^M Yd[0-9]+_OmastV 1\.0$/) bad("bad M line: " $0)
		k = substr($2, 3) + 0
		if (k < 1 || k > m) bad("M line for no depot: " $0)
		if (open[k]++) bad("depot " k " opened twice")
		next
	}
	if ($1 != "V") bad("a line neither M nor V: " $0)
	d = $2 + 0
	if ($2 !~ /^[0-9]+$/ || d < 1 || d > m || !open[d])
		bad("a route from depot " $2 ", not opened")
	if (NF < 5 || $3 != "0" || $NF != n + 1)
		bad("a route not marked 0 ... " n + 1 ": " $0)
	routes++
	load = 0
	prev = "d" d
	for (i = 4; i < NF; i++) {
		c = $i + 0
		if ($i !~ /^[0-9]+$/ || c < 1 || c > n)
			bad("customer " $i " out of 1.." n)
		if (served[c]++) bad("customer " c " served twice")
		load += q[c]
		arcs += arc(prev, "c" c)
		prev = "c" c
	}
	arcs += arc(prev, "d" d)
	if (load > Q) bad("route " routes " carries " load ", over Q " Q)
	dload[d] += load
	droutes[d]++
}
END {
	if (err) exit 1
	for (c = 1; c <= n; c++)
		if (!served[c]) bad("customer " c " not served")
	fixed = 0
	for (k = 1; k <= m; k++) {
		if (!open[k]) continue
		if (!droutes[k]) bad("depot " k " opened without routes")
		if (dload[k] > C[k]) bad("depot " k " loads " dload[k] ", over " C[k])
		fixed += F[k]
	}
	printf "%d\n", fixed + V * routes + arcs
}
AWK
lrpcheck() { awk -f "$T/check.awk" "$1" "$2"; }

# The checker against the README: the published BKS solution is 54793.
is "$(lrpcheck "$D/coord20-5-1.dat" "$D/coord20-5-1.sol")" 54793 \
    "the checker gives the published coord20-5-1.sol its BKS, 54793"
printf 'M Yd2_OmastV 1.0\nV 2 0 1 2 21\n' > "$T/part.sol"
like "$(lrpcheck "$D/coord20-5-1.dat" "$T/part.sol")" "INVALID: customer 3 not served" \
    "the checker refuses a solution that leaves customers out"
grep '^V' "$D/coord20-5-1.sol" | sed 's/^V [0-9]*/V 2/' |
    { echo 'M Yd2_OmastV 1.0'; cat; } > "$T/one.sol"
like "$(lrpcheck "$D/coord20-5-1.dat" "$T/one.sol")" "INVALID: depot 2 loads 315, over 140" \
    "the checker refuses a depot over its capacity"

# A tighter variant of the same instance: vans of 45 (Q 70) and depots of
# 110 (140), so routes and depot capacities both bind.
tr -d '\r' < "$D/coord20-5-1.dat" | tr -s ' \t\n' '\n' | grep -v '^$' |
    awk 'NR == 1 { n = $1 } NR == 2 { m = $1 }
    NR == 3 + 2 * (n + m) { $1 = 45 }
    NR > 3 + 2 * (n + m) && NR <= 3 + 2 * (n + m) + m { $1 = 110 }
    { print }' > "$T/tight.dat"
is "$(wc -l < "$T/tight.dat" | tr -d ' ')" "$(tr -d '\r' < "$D/coord20-5-1.dat" |
    tr -s ' \t\n' '\n' | grep -vc '^$')" "the tight variant has every number"

for inst in "$D/coord20-5-1.dat" "$T/tight.dat"; do
	name=$(basename "$inst" .dat)
	$S -f prodhon -t 2 -s 1 --sol "$T/$name.sol" "$inst" > "$T/$name.json" 2>"$T/err"
	ok $? "$name: recirc-solve --sol solves"
	is "$(grep -Evc '^(M Yd[0-9]+_OmastV 1\.0|V [0-9]+ 0( [0-9]+)+ 21)$' "$T/$name.sol")" 0 \
	    "$name: every line is an M or a V line of the README's layout"
	ok "$(grep -Ec '^(Route|Depot|Cost)' "$T/$name.sol")" "$name: no CVRPLIB lines left"
	is "$(awk '/^M/ { m = 1 } /^V/ && !m { print "V before M"; exit }
	    /^M/ && v { print "M after V"; exit } /^V/ { v = 1 }' "$T/$name.sol")" "" \
	    "$name: the depots first, then the routes"
	got=$(lrpcheck "$inst" "$T/$name.sol")
	is "$got" "$(jq '.cost' "$T/$name.json")" \
	    "$name: the independent cost ($got) is the one recirc-solve reports"
	is "$(grep -c '^V' "$T/$name.sol")" "$(jq .routes "$T/$name.json")" \
	    "$name: as many routes as reported"
	is "$($R -c "$T/$name.sol" "$inst" 2>&1)" "$name $(jq -r '.cost' "$T/$name.json" |
	    awk '{ printf "%.4f", $1 }')" "$name: recirc-route -c reads the layout back"
done
ok "$(awk '/^V/ { r++ } END { print !(r >= 7) }' "$T/tight.sol")" \
    "tight: the smaller vans need more routes ($(grep -c '^V' "$T/tight.sol"))"
done_testing
