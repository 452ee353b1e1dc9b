#!/bin/sh
# conf-sample.sh -- the shipped etc/ samples load, and errors name file:line.
#
# etc/recircd.conf must pass "recircd -n" as shipped and with every keyword
# line uncommented, and then give exactly the built-in defaults; the paths
# (database, pidfile, solver), which configure decides, and the optional
# user, catalogue, plan_at, closed_days, metrics_listen and timezone are
# left out of that comparison.
# etc/catalogue.conf must load
# (unit-catalogue-sample checks it field by field).  A broken copy of
# either file must fail with "FILE:LINE:" in the message.
. "$top_srcdir/tests/lib.sh"

CONF=$top_srcdir/etc/recircd.conf
CAT=$top_srcdir/etc/catalogue.conf

"$RECIRCD" -n -f "$CONF" > "$T/out" 2>&1
ok $? "recircd -n -f etc/recircd.conf"

"$RECIRCD" -n -f "$CONF" -D "catalogue=$CAT" > "$T/out" 2>&1
ok $? "recircd -n -f etc/recircd.conf -D catalogue=etc/catalogue.conf"

# Every "#keyword value" line, uncommented (prose comments start "# ").
sed -n 's/^#\([a-z_][a-z_]* \)/\1/p' "$CONF" | grep -v '^catalogue ' \
    > "$T/all.conf"
# Every keyword of the daemon (all set, so -n -v prints them all) is there.
"$RECIRCD" -n -v -f /dev/null -D user=nobody -D "catalogue=$CAT" \
    -D plan_at=02:00 -D metrics_listen=127.0.0.1:9187 -D timezone=UTC -D node=n1 \
    -D closed_days=sun \
    2>/dev/null | sed 's/ .*//' | sort > "$T/keywords.daemon"
{ sed 's/ .*//' "$T/all.conf"; echo catalogue; } | sort > "$T/keywords.sample"
cmp -s "$T/keywords.daemon" "$T/keywords.sample"
rc=$?
ok $rc "the sample lists every keyword the daemon knows"
[ $rc -eq 0 ] || diff "$T/keywords.daemon" "$T/keywords.sample" | sed 's/^/#   /'
"$RECIRCD" -n -f "$T/all.conf" > "$T/out" 2>&1
ok $? "the sample's commented values are valid"
"$RECIRCD" -n -v -f "$T/all.conf" 2>/dev/null |
    grep -Ev '^(database|pidfile|user|solver|plan_at|closed_days|metrics_listen|timezone|node) ' > "$T/sample.txt"
"$RECIRCD" -n -v -f /dev/null 2>/dev/null |
    grep -Ev '^(database|pidfile|user|solver|plan_at|closed_days|metrics_listen|timezone|node) ' > "$T/builtin.txt"
cmp -s "$T/sample.txt" "$T/builtin.txt"
rc=$?
ok $rc "the sample's commented values are the built-in defaults"
[ $rc -eq 0 ] || diff "$T/builtin.txt" "$T/sample.txt" | sed 's/^/#   /'

# A broken copy: an out-of-range value on a known line.
cp "$CONF" "$T/broken.conf"
echo "max_items 0" >> "$T/broken.conf"
line=$(wc -l < "$T/broken.conf" | tr -d ' ')
"$RECIRCD" -n -f "$T/broken.conf" > "$T/out" 2>&1
rc=$?
ok $((rc == 0)) "a broken recircd.conf is refused"
like "$(cat "$T/out")" "$T/broken.conf:$line: value out of range" \
    "the error names file:line"

cp "$CAT" "$T/broken-cat.conf"
echo "pram streams reuse,mend" >> "$T/broken-cat.conf"
line=$(wc -l < "$T/broken-cat.conf" | tr -d ' ')
"$RECIRCD" -n -f "$CONF" -D "catalogue=$T/broken-cat.conf" > "$T/out" 2>&1
rc=$?
ok $((rc == 0)) "a broken catalogue.conf is refused"
like "$(cat "$T/out")" "$T/broken-cat.conf:$line: bad stream list" \
    "the catalogue error names file:line"
done_testing
