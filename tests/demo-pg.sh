#!/bin/bash
# demo-pg.sh -- the quick start's demo (data/demo.sh) unchanged on a
# PostgreSQL database (make check-pg): it seeds, loads the pickups, plans
# and prints the routes; the database holds what it said.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -n "${RECIRC_PG:-}" ] || skip_all "needs PostgreSQL: make check-pg"
[ "$top_srcdir" = "$top_builddir" ] || skip_all "the demo runs in the source tree"
DB=$(db_new demo)
DEMO_DATABASE=$DB DEMO_STATE=$T/state sh "$top_srcdir/data/demo.sh" \
    "$top_srcdir" > "$T/out" 2> "$T/err"
ok $? "data/demo.sh on PostgreSQL exits 0"
[ -s "$T/err" ] && sed 's/^/# stderr: /' "$T/err" | head -n 5
has "$T/out" "recircd is running on http://127.0.0.1:" "the daemon ran"
is "$(sed -n 's/^recircd is running on .* (database \(.*\))$/\1/p' "$T/out")" \
    "$DB" "... and says on which database"
ok "$(grep -q '^sed:' "$T/err"; [ $? -eq 1 ]; echo $?)" \
    "the demo's own commands print no errors"
has "$T/out" "pickups in all" "the pickups were loaded"
# The closing hint must start a daemon that can plan: it names the solver
# (recircd's default is where make install puts it).
hint=$(sed -n 's/.* -D solver=\([^ ]*\) .*/\1/p' "$T/out")
ok "$([ -n "$hint" ] && [ -x "$hint" ]; echo $?)" \
    "the restart hint names the solver it ran with ($hint)"
has "$T/out" "the routes (recircctl routes):" "a plan was made and its routes shown"
total=$(sed -n 's/.*\.\.\. \([0-9]*\) pickups in all.*/\1/p' "$T/out")
is "$(db_query 'select count(*) from pickups')" "$total" \
    "the database holds the $total pickups the demo counted"
is "$(db_query "select count(*) from plans where state = 'done'")" 1 \
    "... and its one plan, done"
ok "$([ "$(db_query 'select count(*) from plan_routes')" -gt 0 ]; echo $?)" \
    "... with routes"
done_testing
