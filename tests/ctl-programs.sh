#!/bin/sh
# ctl-programs.sh -- every program (recircd, recircctl, recirc-solve,
# and the engine's bench tool recirc-route)
# answers -h/--help (the usage, on standard output, exit 0) and
# -V/--version ("NAME VERSION", exit 0), and exits 2 on a usage error
# with the usage on standard error.  recirc-solve's -V takes a plan to
# validate; alone it is the version.
. "$top_srcdir/tests/lib.sh"
HOME=$T; export HOME
unset RECIRC_URL RECIRC_TOKEN

for prog in recircd recircctl recirc-solve recirc-route; do
	P=$top_builddir/$prog
	for f in -h --help; do
		"$P" $f >"$T/out" 2>"$T/err" </dev/null
		is "$?" 0 "$prog $f: exit 0"
		grep -q "^usage: $prog " "$T/out"
		ok $? "$prog $f: the usage on standard output"
	done
	for f in -V --version; do
		"$P" $f >"$T/out" 2>"$T/err" </dev/null
		is "$?" 0 "$prog $f: exit 0"
		is "$(cat "$T/out")" "$prog $(sed -n \
		    's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' \
		    "$top_builddir/config.h")" "$prog $f: the version"
	done
	"$P" --no-such-option >"$T/out" 2>"$T/err" </dev/null
	is "$?" 2 "$prog --no-such-option: exit 2"
	grep -q "usage: $prog " "$T/err"
	ok $? "$prog: the usage on standard error"
done
done_testing
