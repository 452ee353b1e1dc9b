#!/bin/sh
# bench/cflp.sh -- recirc-solve on the OR-Library capacitated facility
# location instances, against the optima in bks.tsv.  Prints a table:
# instance, optimum, found, gap %, proven bound, bound gap %, seconds,
# status, and the mean per group.  Not a test: it takes minutes.
#
#   bench/cflp.sh [-t seconds] [-b benchdir] [-x recirc-solve] [group...]
#
# Groups: ms (cap41..cap134 multi-source), ss (single-source, bks rows
# cflp_orlib_ss plus the files that are infeasible single-source), large
# (capa/capb/capc at every listed capacity, -t seconds each, default 60).
# Every plan is checked again with recirc-solve --validate.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bench=$top/../shared/bench
solver=$top/recirc-solve
tlim=60
while getopts b:t:x: opt; do
	case $opt in
	b) bench=$OPTARG ;;
	t) tlim=$OPTARG ;;
	x) solver=$OPTARG ;;
	*) echo "usage: $0 [-t seconds] [-b benchdir] [-x solver] [group...]" >&2
	   exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] && set -- ms ss large
inst=$bench/instances/cflp_orlib
bks=$bench/bks.tsv
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cflp-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# field NAME FILE: a top-level number or string of the plan JSON.
field() {
	awk -v k="\"$1\":" '$1 == k { v = $2; sub(/,$/, "", v);
	    gsub(/"/, "", v); print v; exit }' "$2"
}

# run LABEL FILE OPTIMUM ARGS...: solve, validate, print one row.
run() {
	label=$1 file=$2 opt=$3
	shift 3
	out=$tmp/plan.json
	if ! "$solver" -t "$tlim" "$@" -o "$out" "$file" 2>"$tmp/err"; then
		printf '%-12s %14s  solver failed: %s\n' "$label" "$opt" \
		    "$(tail -1 "$tmp/err")"
		return
	fi
	valid=ok
	"$solver" "$@" -V "$out" "$file" 2>/dev/null || valid=INVALID
	awk -v l="$label" -v o="$opt" -v st="$(field status "$out")" \
	    -v f="$(field objective "$out")" -v b="$(field lower_bound "$out")" \
	    -v s="$(field seconds "$out")" -v v="$valid" 'BEGIN {
		if (st == "infeasible") {
			printf "%-12s %14s %14s %8s %14s %8s %7.2f %s%s\n", l, o,
			    "-", "-", "-", "-", s, st,
			    (o == "infeasible" ? "" : " (WRONG)")
			exit
		}
		g = 100 * (f - o) / o
		bg = (b == "null" ? "-" : sprintf("%.3f", 100 * (o - b) / o))
		printf "%-12s %14.3f %14.3f %8.4f %14s %8s %7.2f %s%s\n", l, o,
		    f, g, (b == "null" ? "-" : sprintf("%.3f", b)), bg, s, st,
		    (v == "ok" ? "" : " " v)
	}' | tee -a "$tmp/rows"
}

header() {
	echo
	echo "## $1"
	printf '%-12s %14s %14s %8s %14s %8s %7s %s\n' instance optimum found \
	    gap% bound bgap% seconds status
	: >"$tmp/rows"
}

mean() {
	awk '$4 ~ /^-?[0-9.]+$/ { g += $4; n++ }
	    $7 ~ /^[0-9.]+$/ { s += $7; m++ }
	    END { if (m) printf "%-12s %14s %14s %8.4f %14s %8s %7.2f (%d rows)\n",
	        "mean", "", "", n ? g / n : 0, "", "", s / m, m }' "$tmp/rows"
}

for group; do
	case $group in
	ms)
		header "cap41..cap134, multi-source (published optima)"
		awk -F'\t' '$1 == "cflp_orlib" && $2 !~ /-/ { print $2, $4 }' \
		    "$bks" | while read -r name opt; do
			run "$name" "$inst/$name.txt" "$opt"
		done
		mean ;;
	ss)
		header "cap41..cap134, single-source (--single-source)"
		awk -F'\t' '$1 == "cflp_orlib" && $2 !~ /-/ { print $2 }' "$bks" |
		    while read -r name; do
			opt=$(awk -F'\t' -v n="$name" '$1 == "cflp_orlib_ss" &&
			    $2 == n { print $4 }' "$bks")
			run "$name" "$inst/$name.txt" "${opt:-infeasible}" -S
		done
		mean ;;
	large)
		header "capa/capb/capc, multi-source, ${tlim} s each"
		awk -F'\t' '$1 == "cflp_orlib" && $2 ~ /-/ { print $2, $4 }' \
		    "$bks" | while read -r name opt; do
			run "$name" "$inst/${name%-*}.txt" "$opt" -c "${name#*-}"
		done
		mean ;;
	*)
		echo "unknown group $group (ms, ss, large)" >&2
		exit 1 ;;
	esac
done
