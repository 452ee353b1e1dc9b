# tests/lib.sh -- shared helpers for the shell tests (TAP output).
# Source it; it sets $T (a temporary directory removed on exit).
T=$(mktemp -d "${TMPDIR:-/tmp}/recirc-test.XXXXXX")
tap_n=0
tap_fail=0
ok() {	# ok CONDITION-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"
	else echo "not ok $tap_n - $2"; tap_fail=$((tap_fail + 1)); fi
}
is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"
	else ok 1 "$3"; echo "#   got '$1', want '$2'"; fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_fail" -eq 0 ]; }
