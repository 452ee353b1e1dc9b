#!/bin/sh
# bench/vrp.sh -- routing benchmark: solve each instance of the chosen sets
# with recirc-solve, check every .sol with the independent validator, and
# print instance, BKS, found, gap %, routes, seconds, peak MiB, and the
# means per set.
#
#   bench/vrp.sh [-C] [-t seconds] [-x factor] [-s seeds] [-j threads]
#	[-i regex] [-H hgs] [set ...]
#
# Sets: classic x solomon prodhon tuzun gh1000 (default: all).  Default
# budgets follow issues 5 and 14: classic 10 s, X 60 s up to 400 customers
# and 120 s above, Solomon 30 s, Prodhon and Tuzun 60 s, Gehring-Homberger
# 1000-customer VRPTW (VRPLIB layout) 120 s.  -t forces one budget for all,
# -x multiplies the defaults (e.g. -x 0.5 on a busy machine), -i keeps
# the instances whose name matches an extended regular expression, -j is
# recirc-solve's (default: its own, the processors online up to two for
# classic and X, one for the rest), -C makes the budgets CPU seconds a
# search (recirc-solve -C, given the budget times the search count: all
# threads' CPU seconds add up, so -C 60 s for two searches is what they
# get in 60 s on two idle cores).  -H runs HGS-CVRP (the path of its
# `hgs' binary, built outside the project from github.com/vidalt/HGS-CVRP)
# beside each classic and X instance, at once, with the same budget and
# seed; its solution goes through the same validator and the table gains
# its cost and gap, and the set's line counts the instances where
# recirc-solve is below, level and behind.  HGS-CVRP counts its budget in
# CPU seconds: give -C with -H on a machine where anything else runs.
# -s takes one seed (default 1) or several (-s 1-4, -s 1,3,5): with
# several, each instance is solved once a seed (HGS-CVRP beside each run)
# and its line shows the mean cost and the gap of the mean, the mean
# routes and seconds, the most MiB and HGS-CVRP's mean, then every seed's
# cost; below, level and behind then compare the means, which a single
# seed's luck does not decide.
# Not a test: run it under nice on a shared machine.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${RECIRC_ROUTE:-$top/recirc-route}
solve=${RECIRC_SOLVE:-$top/recirc-solve}
bench=${BENCH_DIR:-$top/../shared/bench}
force= factor=1 seed=1 only=. jobs= cpu= hgs=
while getopts Ct:x:s:i:j:H: o; do
	case $o in
	C) cpu=-C ;;
	H) hgs=$OPTARG
	   [ -x "$hgs" ] || { echo "$0: $hgs: not an executable" >&2; exit 2; } ;;
	t) force=$OPTARG ;;
	x) factor=$OPTARG ;;
	s) seed=$OPTARG ;;
	i) only=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) echo "usage: $0 [-C] [-t s] [-x f] [-s seeds] [-j n] [-i re] [-H hgs]" \
	       "[set ...]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- classic x solomon prodhon tuzun gh1000
# -s 1,3 or 1-4 or both: the seeds, in order.
seeds=$(echo "$seed" | awk -F, '{ for (i = 1; i <= NF; i++)
	if ($i ~ /^[0-9]+$/) printf "%d ", $i
	else if ($i ~ /^[0-9]+-[0-9]+$/) {
		split($i, a, "-"); for (k = a[1]; k <= a[2]; k++) printf "%d ", k
	} else exit 1 }') && [ -n "$seeds" ] ||
    { echo "$0: -s $seed: seeds are numbers, lists (1,3) or ranges (1-4)" >&2
      exit 2; }
nseeds=$(echo $seeds | wc -w)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# budget SET NCUST
budget() {
	if [ -n "$force" ]; then echo "$force"; return; fi
	case $1 in
	classic) b=10 ;;
	x) if [ "$2" -le 400 ]; then b=60; else b=120; fi ;;
	solomon) b=30 ;;
	gh1000) b=120 ;;
	*) b=60 ;;
	esac
	awk -v b="$b" -v f="$factor" 'BEGIN { printf "%g", b * f }'
}

# searches SET: recirc-solve's -j unless given (see its rs_default_threads).
searches() {
	if [ -n "$jobs" ]; then echo "$jobs"; return; fi
	case $1 in
	classic|x) n=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
	   [ "$n" -le 2 ] || n=2
	   echo "$n" ;;
	*) echo 1 ;;
	esac
}

# one NAME FILE SEED BUDGET OURS HGS: one run of recirc-solve (with HGS
# beside it when HGS is set) as a tab-separated line: seed, cost, routes,
# seconds, peak MiB, why the validator refused our solution (empty when
# it did not), HGS-CVRP's cost or why not (empty without it); or seed,
# FAILED and recirc-solve's message.
one() {
	name=$1 f=$2 sd=$3 t=$4 ours=$5 side=$6
	if [ -n "$side" ]; then
		"$side" "$f" "$tmp/$name.hgs.sol" -t "$t" -seed "$sd" \
		    -log 0 > "$tmp/$name.hgs.out" 2>&1 &
		pid=$!
	fi
	# Peak memory (max RSS) next to the time: the issue's limit is
	# 1 GiB at 1000 customers.
	if ! /usr/bin/time -f %M -o "$tmp/$name.rss" "$solve" -j "$nthr" \
	    $cpu -s "$sd" -t "$ours" --sol "$tmp/$name.sol" "$f" \
	    > "$tmp/$name.json" 2> "$tmp/$name.err"; then
		[ -z "$side" ] || wait $pid || true
		printf '%s\tFAILED\t%s\n' "$sd" "$(tr '\t\n' '  ' < \
		    "$tmp/$name.err")"
		return
	fi
	chk=$("$bin" -c "$tmp/$name.sol" "$f" 2>&1) || chk="INVALID $chk"
	case $chk in INVALID*) bad=$chk ;; *) bad= ;; esac
	mib=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/$name.rss")
	# HGS-CVRP's cost as the validator counts it, or why not.
	other=
	if [ -n "$side" ]; then
		wait $pid || true
		if hc=$("$bin" -c "$tmp/$name.hgs.sol" "$f" 2>&1); then
			other=$(echo "$hc" | awk '{ print $2 }')
		else
			other="HGS INVALID: $hc"
		fi
	fi
	jq -r --arg sd "$sd" --arg mib "$mib" --arg bad "$bad" \
	    --arg other "$other" '[$sd, .objective, .routes, .seconds, $mib,
	    $bad, $other] | @tsv' "$tmp/$name.json"
}

# run SET DIR EXT BKSKEY: with -H, HGS-CVRP runs beside on CVRP sets.
run() {
	set_=$1 dir=$bench/instances/$2 ext=$3 key=$4 side=
	nthr=$(searches "$set_")
	case $set_ in classic|x) side=$hgs ;; esac
	printf '\n== %s (%d search%s%s)\n%-16s %12s %12s %8s %6s %8s %7s' \
	    "$set_" "$nthr" "$([ "$nthr" -eq 1 ] || echo es)" \
	    "${cpu:+, CPU seconds each}" instance BKS found gap% routes seconds MiB
	[ -z "$side" ] || printf ' %12s %8s' HGS-CVRP gap%
	printf '\n'
	for f in "$dir"/*."$ext"; do
		name=$(basename "$f" ."$ext")
		echo "$name" | grep -Eq -- "$only" || continue
		line=$(awk -F'\t' -v s="$key" -v n="$name" \
		    '$1 == s && $2 == n { print $3, $4 }' "$bench/bks.tsv")
		[ -n "$line" ] || continue
		set -- $line
		t=$(budget "$set_" "$1")
		bks=$2
		ours=$t
		[ -z "$cpu" ] || ours=$(awk -v t="$t" -v j="$nthr" \
		    'BEGIN { printf "%g", t * j }')
		: > "$tmp/$name.runs"
		for sd in $seeds; do
			one "$name" "$f" "$sd" "$t" "$ours" "$side" \
			    >> "$tmp/$name.runs"
		done
		# One line an instance: with several seeds the mean cost (and
		# gap of it), routes and seconds, the most MiB, HGS-CVRP's mean
		# over the same seeds, then every seed's cost.
		awk -F'\t' -v name="$name" -v bks="$bks" -v many="$nseeds" '
		    $2 == "FAILED" { fail = fail " seed " $1 ": " $3; next }
		    { n++; c += $2; r += $3; sec += $4; if ($5 > m) m = $5
		      if ($6 != "") bad = bad "  " $6
		      list = list " " ($2 + 0)
		      if ($7 ~ /^[0-9.]+$/) { nh++; h += $7; hl = hl " " ($7 + 0) }
		      else if ($7 != "") { hbad = hbad "  " $7; hl = hl " -" } }
		    END {
			if (!n) { printf "%-16s %12s %12s  FAILED:%s\n", name,
			    bks, "-", fail; exit }
			printf "%-16s %12s %12.7g %8.2f %6d %8.1f %7s", name,
			    bks, c / n, 100 * (c / n - bks) / bks, r / n,
			    sec / n, m
			if (nh) printf " %12.7g %8.2f", h / nh,
			    100 * (h / nh - bks) / bks
			else if (hbad != "") printf " %12s %8s", "-", "-"
			if (many > 1) printf "  seeds:%s", list
			if (many > 1 && nh) printf " | HGS-CVRP:%s", hl
			if (fail != "") printf "  FAILED:%s", fail
			printf "%s%s\n", hbad, bad }' "$tmp/$name.runs"
	done | tee "$tmp/$set_.tab"
	awk -v side="$side" '$4 ~ /^-?[0-9.]+$/ { g += $4; s += $6; if ($7 > m) m = $7; n++
		if (side != "" && $9 ~ /^-?[0-9.]+$/) { h += $9; nh++
			if ($3 < $8) lo++; else if ($3 == $8) eq++; else hi++ } }
	    END { if (n) printf "%-16s %12s %12s %8.2f %6s %8.1f %7s",
	    "mean", "", "", g / n, "", s / n, m
		if (nh) printf " %12s %8.2f", "", h / nh
		if (n) printf "  (%d instances; MiB: the most)\n", n
		if (nh) printf "%-16s below HGS-CVRP on %d, level on %d, behind on %d of %d\n",
		    "", lo, eq, hi, nh }' "$tmp/$set_.tab"
}

for s in "$@"; do
	case $s in
	classic) run classic cvrp_classic vrp cvrp_classic ;;
	x) run x cvrp_x vrp cvrp_x ;;
	solomon) run solomon solomon txt solomon_dist ;;
	prodhon) run prodhon lrp_prodhon dat lrp_prodhon ;;
	tuzun) run tuzun lrp_tuzun dat lrp_tuzun ;;
	gh1000) run gh1000 vrptw_gh1000 vrp vrptw_gh1000 ;;
	*) echo "unknown set $s" >&2; exit 2 ;;
	esac
done
