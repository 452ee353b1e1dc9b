#!/bin/sh
# bench/vrp.sh -- routing benchmark: solve each instance of the chosen sets
# with recirc-solve, check every .sol with the independent validator, and
# print instance, BKS, found, gap %, routes, seconds, peak MiB, and the
# means per set.
#
#   bench/vrp.sh [-C] [-t seconds] [-x factor] [-s seed] [-j threads]
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
	*) echo "usage: $0 [-C] [-t s] [-x f] [-s seed] [-j n] [-i re] [-H hgs]" \
	       "[set ...]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- classic x solomon prodhon tuzun gh1000
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
		if [ -n "$side" ]; then
			"$side" "$f" "$tmp/$name.hgs.sol" -t "$t" -seed "$seed" \
			    -log 0 > "$tmp/$name.hgs.out" 2>&1 &
			pid=$!
		fi
		# Peak memory (max RSS) next to the time: the issue's limit is
		# 1 GiB at 1000 customers.
		ours=$t
		[ -z "$cpu" ] || ours=$(awk -v t="$t" -v j="$nthr" \
		    'BEGIN { printf "%g", t * j }')
		if ! /usr/bin/time -f %M -o "$tmp/$name.rss" "$solve" -j "$nthr" \
		    $cpu -s "$seed" -t "$ours" --sol "$tmp/$name.sol" "$f" \
		    > "$tmp/$name.json" 2> "$tmp/$name.err"; then
			[ -z "$side" ] || wait $pid || true
			printf '%-16s %12s %12s  FAILED: %s\n' "$name" "$bks" - \
			    "$(cat "$tmp/$name.err")"
			continue
		fi
		chk=$("$bin" -c "$tmp/$name.sol" "$f" 2>&1) || chk="INVALID $chk"
		case $chk in INVALID*) bad="  $chk" ;; *) bad= ;; esac
		mib=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/$name.rss")
		# HGS-CVRP's cost as the validator counts it, or why not.
		other=
		if [ -n "$side" ]; then
			wait $pid || true
			if hc=$("$bin" -c "$tmp/$name.hgs.sol" "$f" 2>&1); then
				other=$(echo "$hc" | awk -v b="$bks" '{ printf "%12.6g %8.2f",
				    $2, 100 * ($2 - b) / b }')
			else
				other="$(printf '%12s %8s' - -)  HGS INVALID: $hc"
			fi
		fi
		jq -r --arg bks "$bks" --arg name "$name" --arg bad "$bad" \
		    --arg mib "$mib" --arg other "$other" \
		    '[$name, $bks, .objective, 100 * (.objective - ($bks |
		    tonumber)) / ($bks | tonumber), .routes, .seconds, $mib,
		    $other, $bad] | @tsv' "$tmp/$name.json" | awk -F'\t' '{ printf "%-16s %12s %12.6g %8.2f %6d %8.1f %7s%s%s\n",
		    $1, $2, $3, $4, $5, $6, $7, ($8 == "" ? "" : " " $8), $9 }'
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
