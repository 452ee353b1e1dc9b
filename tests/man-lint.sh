#!/bin/sh
# man-lint.sh -- the man pages pass "mandoc -Tlint -W warning" (TAP).
#
# Style notes (such as links to pages not installed yet) are not failures;
# warnings and errors are.  Skipped when mandoc is not installed.
. "$top_srcdir/tests/lib.sh"

MANDOC=${MANDOC:-$(command -v mandoc 2>/dev/null)}
PAGES="man/recircd.8 man/recircd.conf.5 man/recircctl.1 man/recirc-solve.1"

if [ -z "$MANDOC" ]; then
	for p in $PAGES; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP mandoc not installed: $p"
	done
	done_testing
	exit
fi
for p in $PAGES; do
	"$MANDOC" -Tlint -W warning "$top_srcdir/$p" > "$T/lint" 2>&1
	rc=$?
	sed 's/^/#   /' "$T/lint"
	ok $rc "mandoc -Tlint -W warning $p"
done
done_testing
