#!/bin/sh
# ctl-man.sh -- man/recircctl.1 lints clean and documents every command
# and long option that "recircctl help" lists, every short option,
# environment variable and config keyword the source knows, and every
# exit status.
. "$top_srcdir/tests/lib.sh"
CTL="$top_builddir/recircctl"
MAN="$top_srcdir/man/recircctl.1"
SRC="$top_srcdir/src"

MANDOC=${MANDOC:-$(command -v mandoc 2>/dev/null)}
if [ -n "$MANDOC" ]; then
	# Style notes about recircd(8) not being installed are not errors.
	"$MANDOC" -Tlint -W warning "$MAN" >"$T/lint" 2>&1
	ok $? "mandoc -Tlint is clean"
	sed 's/^/#   /' "$T/lint"
else
	echo "ok 1 # SKIP mandoc not installed"
	tap_n=1
fi

"$CTL" help | sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z-]*\)\{0,1\}\).*/\1/p' |
    sed 's/ \[.*//' | sort -u >"$T/cmds"
[ -s "$T/cmds" ]
ok $? "recircctl help lists commands"
while read -r resource verb; do
	grep -q "^\.It Cm $resource${verb:+ $verb}\( \|\$\)" "$MAN" ||
	    grep -q "^\.Cm $resource${verb:+ $verb}\( \|\$\)" "$MAN"
	ok $? "the man page documents \"$resource${verb:+ $verb}\""
done <"$T/cmds"

# Short options of the global table and their long names.
for f in h j T t u v V; do
	grep -q "^\.It Fl $f\( \|\$\)" "$MAN"
	ok $? "option -$f is documented"
done
# Every long option that help shows, the commands' included.
"$CTL" help | grep -o -- '--[a-z][a-z-]*' | sed 's/^--//' | sort -u >"$T/longs"
grep -q '^wait$' "$T/longs"
ok $? "help shows the commands' options"
while read -r f; do
	grep -q "Fl Fl $f\( \|\$\)" "$MAN"
	ok $? "option --$f is documented"
done <"$T/longs"
for v in RECIRC_URL RECIRC_TOKEN NO_COLOR COLUMNS; do
	grep -q "^\.It Ev .*$v" "$MAN"
	ok $? "environment variable $v is documented"
done
sed -n 's/^	{ "\([a-z-]*\)", CTL_CONF_.*/\1/p' "$SRC/ctl-conf.c" >"$T/kws"
[ -s "$T/kws" ]
ok $? "the config keywords are found in the source"
while read -r kw; do
	grep -q "^\.It Ic $kw " "$MAN"
	ok $? "config keyword $kw is documented"
done <"$T/kws"
for s in 0 1 2 3; do
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh/p' "$MAN" | grep -q "^\.It $s\$"
	ok $? "exit status $s is documented"
done
done_testing
