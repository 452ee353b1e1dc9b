#!/bin/sh
# check-pg.sh -- make check-pg: the daemon's tests again, on PostgreSQL.
# A cluster of its own (tests/pg-cluster.sh) on 127.0.0.1 for the run,
# stopped and removed after; each test makes its own databases in it
# (tests/lib.sh, RECIRC_PG) and drops them.  Called by Makefile.am with
# MAKE and PG_TESTS (the tests to run) in the environment.
set -u
: "${MAKE:=make}" "${PG_TESTS:?}" "${top_srcdir:=.}"
command -v psql >/dev/null 2>&1 ||
    { echo "check-pg: psql is not installed (apt-get install postgresql)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/recirc-pg.XXXXXX") || exit 1
cleanup() {
	sh "$top_srcdir/tests/pg-cluster.sh" stop "$dir"
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
RECIRC_PG=$(sh "$top_srcdir/tests/pg-cluster.sh" start "$dir") ||
    { echo "check-pg: the PostgreSQL cluster did not start" >&2; exit 1; }
export RECIRC_PG
echo "check-pg: PostgreSQL at $RECIRC_PG"
$MAKE check TESTS="$PG_TESTS" TEST_SUITE_LOG=test-suite-pg.log
