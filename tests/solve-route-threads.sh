#!/bin/sh
# solve-route-threads.sh -- recirc-solve routes the centres side by side
# (-j, issue 14): a piece of the bench's region (62 pickups, 3 centres with
# one 8-stop van each, 3 days: 16% more stops than pickups) routed with one
# thread and with two.  Each plan is checked here, not by the solver: every
# pickup the location stage serves is on exactly one route or unrouted with
# a reason, no route breaks its van's kg, m3, item or stop limit, a van
# drives at most once a day, and each route's cost is its van's fixed cost
# plus its great-circle km x detour x cost_per_km, recomputed.  The same
# seed gives the same routes with the same thread count, and (the searches
# run to convergence on problems this small) with another.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
S=$top_builddir/recirc-solve
P=$top_srcdir/tests/data/solve/region.json

# routes FILE: the routes alone, in order, for comparing plans.
routes() { jq -c '[.routes[] | [.day, .vehicle, [.stops[].pickup]]]' "$1"; }

check() {	# check PLAN LABEL
	served=$(jq -r '[.assignments[] | select(.fraction > 0.5) | .pickup] | sort | join(" ")' "$1")
	routed=$(jq -r '[.routes[].stops[].pickup] + [.unrouted[].pickup] | sort | join(" ")' "$1")
	is "$routed" "$served" "$2: every served pickup on one route, or unrouted"
	ok "$(jq -e 'all(.unrouted[]; .reason | length > 0)' "$1" >/dev/null; echo $?)" \
	    "$2: each unrouted pickup has a reason"
	over=$(jq --slurpfile p "$P" '
	    ($p[0].vehicle_types | map({(.id): .}) | add) as $vt |
	    ($p[0].pickups | map({(.id): {
		kg: ([.items[] | (.quantity // 1) * .weight_kg] | add),
		m3: ([.items[] | (.quantity // 1) * .volume_m3] | add),
		n: ([.items[] | .quantity // 1] | add)}}) | add) as $pk |
	    [.routes[] | ($vt[.vehicle | sub("-[0-9]+$"; "")]) as $v |
		[.stops[].pickup | $pk[.]] as $s |
		select(([$s[].kg] | add) > $v.capacity.kg or
		    ([$s[].m3] | add) > $v.capacity.m3 or
		    ([$s[].n] | add) > $v.capacity.items or
		    ($s | length) > $v.max_stops)] | length' "$1")
	is "$over" 0 "$2: no route over its van's kg, m3, items or stops"
	ok "$(jq -e '[.routes[] | .vehicle + " " + .day] | length == (unique | length)' "$1" >/dev/null; echo $?)" \
	    "$2: a van drives once a day"
	# Each route's cost from its legs: haversine (R 6371 km) x detour.
	bad=$(jq --slurpfile p "$P" '
	    def rad: . * 3.141592653589793 / 180;
	    def km($a; $b): (((($b.lat - $a.lat) | rad) / 2 | sin) as $x |
		((($b.lon - $a.lon) | rad) / 2 | sin) as $y |
		($x * $x + ($a.lat | rad | cos) * ($b.lat | rad | cos) * $y * $y) |
		sqrt | asin * 2 * 6371);
	    ($p[0].settings.detour) as $f |
	    ($p[0].vehicle_types | map({(.id): .}) | add) as $vt |
	    ($p[0].centres | map({(.id): .}) | add) as $c |
	    ($p[0].pickups | map({(.id): .}) | add) as $pk |
	    [.routes[] | ($vt[.vehicle | sub("-[0-9]+$"; "")]) as $v |
		([$c[.centre]] + [.stops[].pickup | $pk[.]] + [$c[.centre]]) as $w |
		([range(1; $w | length) | km($w[. - 1]; $w[.])] | add) as $km |
		select(((.cost - $v.fixed_cost - $km * $f * $v.cost_per_km) |
		    fabs) > 1e-6)] | length' "$1")
	is "$bad" 0 "$2: each route costs its van plus its km, recomputed"
	"$S" -V "$1" "$P" 2>/dev/null
	ok $? "$2: the location plan validates"
}

"$S" -j 1 -t 6 -s 7 "$P" >"$T/j1.json" 2>"$T/j1.err"
ok $? "-j 1: solves"
like "$(cat "$T/j1.err")" "on 1 thread" "-j 1: one thread routes"
check "$T/j1.json" "-j 1"
"$S" -j 2 -t 6 -s 7 "$P" >"$T/j2.json" 2>"$T/j2.err"
ok $? "-j 2: solves"
like "$(cat "$T/j2.err")" "on 2 threads" "-j 2: two threads route"
check "$T/j2.json" "-j 2"
ok "$(jq -e '.unrouted | length <= 1' "$T/j2.json" >/dev/null; echo $?)" \
    "-j 2: at most one pickup of 62 unrouted with 16% spare stops"
"$S" -j 2 -t 6 -s 7 "$P" >"$T/j2b.json" 2>/dev/null
is "$(routes "$T/j2b.json")" "$(routes "$T/j2.json")" "-j 2 again: the same routes"
is "$(routes "$T/j1.json")" "$(routes "$T/j2.json")" "-j 1 and -j 2: the same routes"
"$S" -j 65 "$P" >/dev/null 2>&1
is $? 2 "-j 65: exit 2 with the usage"
done_testing
