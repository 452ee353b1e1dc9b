#!/bin/sh
# bench/vrp.sh -- routing benchmark: solve each instance of the chosen sets
# with recirc-solve, check every .sol with the independent validator, and
# print instance, BKS, found, gap %, routes, seconds, peak MiB, and the
# means per set.
#
#   bench/vrp.sh [-t seconds] [-x factor] [-s seed] [-j threads] [-i regex]
#	[set ...]
#
# Sets: classic x solomon prodhon tuzun gh1000 (default: all).  Default
# budgets follow issues 5 and 14: classic 10 s, X 60 s up to 400 customers
# and 120 s above, Solomon 30 s, Prodhon and Tuzun 60 s, Gehring-Homberger
# 1000-customer VRPTW (VRPLIB layout) 120 s.  -t forces one budget for all,
# -x multiplies the defaults (e.g. -x 0.5 on a busy machine), -i keeps
# the instances whose name matches an extended regular expression, -j is
# recirc-solve's (default: its own).  Not a test:
# run it under nice on a shared machine.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${RECIRC_ROUTE:-$top/recirc-route}
solve=${RECIRC_SOLVE:-$top/recirc-solve}
bench=${BENCH_DIR:-$top/../shared/bench}
force= factor=1 seed=1 only=. jobs=
while getopts t:x:s:i:j: o; do
	case $o in
	t) force=$OPTARG ;;
	x) factor=$OPTARG ;;
	s) seed=$OPTARG ;;
	i) only=$OPTARG ;;
	j) jobs="-j $OPTARG" ;;
	*) echo "usage: $0 [-t s] [-x f] [-s seed] [-j n] [-i re] [set ...]" >&2
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

# run SET DIR EXT BKSKEY
run() {
	set_=$1 dir=$bench/instances/$2 ext=$3 key=$4
	printf '\n== %s\n%-16s %12s %12s %8s %6s %8s %7s\n' "$set_" instance BKS \
	    found gap% routes seconds MiB
	for f in "$dir"/*."$ext"; do
		name=$(basename "$f" ."$ext")
		echo "$name" | grep -Eq -- "$only" || continue
		line=$(awk -F'\t' -v s="$key" -v n="$name" \
		    '$1 == s && $2 == n { print $3, $4 }' "$bench/bks.tsv")
		[ -n "$line" ] || continue
		set -- $line
		t=$(budget "$set_" "$1")
		# Peak memory (max RSS) next to the time: the issue's limit is
		# 1 GiB at 1000 customers.
		if ! /usr/bin/time -f %M -o "$tmp/$name.rss" "$solve" $jobs \
		    -s "$seed" -t "$t" --sol "$tmp/$name.sol" "$f" \
		    > "$tmp/$name.json" 2> "$tmp/$name.err"; then
			printf '%-16s %12s %12s  FAILED: %s\n' "$name" "$2" - \
			    "$(cat "$tmp/$name.err")"
			continue
		fi
		chk=$("$bin" -c "$tmp/$name.sol" "$f" 2>&1) || chk="INVALID $chk"
		case $chk in INVALID*) bad="  $chk" ;; *) bad= ;; esac
		mib=$(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/$name.rss")
		jq -r --arg bks "$2" --arg name "$name" --arg bad "$bad" \
		    --arg mib "$mib" \
		    '[$name, $bks, .objective, 100 * (.objective - ($bks |
		    tonumber)) / ($bks | tonumber), .routes, .seconds, $mib,
		    $bad] | @tsv' "$tmp/$name.json" | awk -F'\t' '{ printf "%-16s %12s %12.6g %8.2f %6d %8.1f %7s%s\n",
		    $1, $2, $3, $4, $5, $6, $7, $8 }'
	done | tee "$tmp/$set_.tab"
	awk '$4 ~ /^-?[0-9.]+$/ { g += $4; s += $6; if ($7 > m) m = $7; n++ }
	    END { if (n) printf "%-16s %12s %12s %8.2f %6s %8.1f %7s  (%d instances; MiB: the most)\n",
	    "mean", "", "", g / n, "", s / n, m, n }' "$tmp/$set_.tab"
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
