#!/bin/sh
# man-lint.sh -- the man pages pass "mandoc -Tlint -W warning" and
# "groff -mandoc -ww -z" (TAP).
#
# mandoc's style notes (such as links to pages not installed yet) are not
# failures; its warnings and errors are.  groff is how man-db shows the
# pages, and it reads some lines differently from mandoc (".%T An ..." as
# the An macro lost a whole section), so anything groff says is a failure.
# Each tool's checks are skipped when it is not installed.
. "$top_srcdir/tests/lib.sh"

MANDOC=${MANDOC:-$(command -v mandoc 2>/dev/null)}
GROFF=${GROFF:-$(command -v groff 2>/dev/null)}
PAGES="man/recircd.8 man/recircd.conf.5 man/recircctl.1 man/recirc-solve.1"

for p in $PAGES; do
	if [ -z "$MANDOC" ]; then
		ok 0 "# SKIP mandoc not installed: $p"
		continue
	fi
	"$MANDOC" -Tlint -W warning "$top_srcdir/$p" > "$T/lint" 2>&1
	rc=$?
	sed 's/^/#   /' "$T/lint"
	ok $rc "mandoc -Tlint -W warning $p"
done
for p in $PAGES; do
	if [ -z "$GROFF" ]; then
		ok 0 "# SKIP groff not installed: $p"
		continue
	fi
	"$GROFF" -mandoc -ww -z "$top_srcdir/$p" > "$T/lint" 2>&1
	rc=$?
	sed 's/^/#   /' "$T/lint"
	[ $rc -eq 0 ] && [ ! -s "$T/lint" ]
	ok $? "groff -mandoc -ww -z $p: not a word"
done
# The sections groff must not lose: every .Sh of each page survives.
for p in $PAGES; do
	[ -n "$GROFF" ] || { ok 0 "# SKIP groff not installed: $p"; continue; }
	want=$(sed -n 's/^\.Sh //p' "$top_srcdir/$p" | tr -d '"' | wc -l)
	got=$("$GROFF" -mandoc -Tutf8 -P-cbou "$top_srcdir/$p" 2>/dev/null |
	    grep -c '^[A-Z][A-Z ]*$')
	is "$got" "$want" "groff shows every section of $p"
done
done_testing
