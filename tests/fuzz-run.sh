#!/bin/sh
# fuzz-run.sh -- "make fuzz": run each libFuzzer target for SECONDS, then
# print a table of what each did: executions, coverage (edges) of the
# corpus it started from and at the end, features, corpus size, crashes.
#
#   sh tests/fuzz-run.sh TOP_SRCDIR SECONDS tests/fuzz-NAME ...
#
# Each target starts from its seed corpus, tests/data/fuzz-NAME/ (read
# only), and keeps what it finds in fuzz-corpus/fuzz-NAME/ of the build
# tree, so a later run goes on from there; its dictionary is
# tests/data/fuzz-NAME.dict when there is one.  A crash, leak or timeout
# leaves its input in fuzz-artifacts/ and the log in fuzz-logs/; the
# table's last column counts them and the exit status is 1.  FUZZ_JOBS=2
# runs two targets at a time (niced), FUZZ_FLAGS adds libFuzzer flags.
set -u
top=$1 secs=$2
shift 2
jobs=${FUZZ_JOBS:-1}
mkdir -p fuzz-corpus fuzz-artifacts fuzz-logs

one() {	# one TARGET: run it, leave fuzz-logs/NAME.log
	t=$1 name=$(basename "$1")
	dict=
	[ -f "$top/tests/data/$name.dict" ] && dict="-dict=$top/tests/data/$name.dict"
	# The table counts this run's findings: older ones are in old logs.
	rm -rf "fuzz-artifacts/$name"
	mkdir -p "fuzz-corpus/$name" "fuzz-artifacts/$name"
	# -max_len: the HTTP target takes whole requests with bodies.
	max=4096
	[ "$name" = fuzz-http ] && max=16384
	# What a target leaves in TMPDIR (fuzz-http's database, when a
	# crash skips its exit handler) goes with this directory.
	tmpd=$(mktemp -d "${TMPDIR:-/tmp}/recirc-fuzz.XXXXXX")
	# shellcheck disable=SC2086
	TMPDIR=$tmpd nice -n 10 "$t" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
	    -max_len=$max -print_final_stats=1 \
	    -artifact_prefix="fuzz-artifacts/$name/" $dict ${FUZZ_FLAGS:-} \
	    "fuzz-corpus/$name" "$top/tests/data/$name" \
	    > "fuzz-logs/$name.log" 2>&1
	echo $? > "fuzz-logs/$name.rc"
	rm -rf "$tmpd"
}

running=0
for t in "$@"; do
	rm -f "fuzz-logs/$(basename "$t").rc"
	one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

rc=0
printf '%-16s %12s %7s %7s %7s %8s %8s\n' target execs cov0 cov ft corpus \
    crashes
for t in "$@"; do
	name=$(basename "$t")
	log=fuzz-logs/$name.log
	# The last status line: "#N  DONE cov: C ft: F corp: K/SIZE ...";
	# cov0 is the coverage of the corpus it started from (INITED).
	line=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -n 1)
	cov0=$(grep -E '^#[0-9]+.*INITED' "$log" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(echo "$line" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	crashes=$(find "fuzz-artifacts/$name" -type f | wc -l)
	[ "$(cat "fuzz-logs/$name.rc" 2>/dev/null)" = 0 ] || rc=1
	[ "$crashes" -eq 0 ] || rc=1
	printf '%-16s %12s %7s %7s %7s %8s %8s\n' "$name" "${execs:-?}" \
	    "${cov0:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes"
done
[ "$rc" -eq 0 ] || echo "fuzz: a target failed: see fuzz-logs/ and fuzz-artifacts/" >&2
exit "$rc"
