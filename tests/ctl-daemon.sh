#!/bin/sh
# ctl-daemon.sh -- recircctl against a real recircd on a free 127.0.0.1
# port: submit (a batch, a re-run, rejections), list with paging, show,
# cancel, --json parsed and compared, operators kept apart, a wrong token
# (exit 1 with the server's message), a stuck daemon (exit 3, timed out)
# and a stopped one (exit 3, connection refused).  Everything goes through
# recircctl; curl only asks the server what its own messages are.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

ctl_env

daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
token_add council-a operator >"$T/tok-a" &&
    token_add council-b operator >"$T/tok-b"
ok $? "tokens for two operators"
chmod 600 "$T/tok-a" "$T/tok-b"
A="-u $URL -t $T/tok-a"
B="-u $URL -t $T/tok-b"

# Dates relative to today: the daemon refuses windows in the past.
d1=$(date -u -d '+1 day' +%F)
d3=$(date -u -d '+3 days' +%F)
d5=$(date -u -d '+5 days' +%F)
pickup() {	# pickup REF CATEGORY QTY ADDRESS: one JSON line
	printf '{"reference":"%s","location":{"lat":51.5%s,"lon":-0.12,' \
	    "$1" "$3"
	printf '"address":"%s"},"window":{"from":"%s","to":"%s"},' \
	    "$4" "$d1" "$d5"
	printf '"time_windows":[{"start":"08:00","end":"12:00"}],'
	printf '"items":[{"category":"%s","quantity":%s,"weight_kg":45,' \
	    "$2" "$3"
	printf '"volume_m3":1.2,"condition":"repairable"}],"notes":"n %s"}\n' \
	    "$1"
}
{
	pickup t-1 sofa 1 "1 High St"
	pickup t-2 bicycle 2 "2 High St"
	pickup t-3 mattress 1 "Flat 3, 1 Very Long Street Name Indeed, \
Somewhere Quite Far Away, Some County, AB1 2CD"
	pickup t-4 chair 4 "4 High St"
	pickup t-5 books 3 "5 High St"
} >"$T/batch.jsonl"

# --- status
run $A status
is "$rc" 0 "status: exit 0"
has "$T/out" "health" "status shows the health"
has "$T/out" "none scheduled: plans run on request (plan_at is not set)" \
    "and that no nightly plan is scheduled"
has "$T/out" "pickups" "and the pickup counts"
run $A --json status
is "$(jq -r .version "$T/out")" "$(curl -s "$URL/healthz" | jq -r .version)" \
    "status --json has the daemon's version"
is "$(jq -r '.pickups | type' "$T/out")" "object" \
    "status --json has the counts by status"
run -u "$URL" status
is "$rc" 0 "status without a token: exit 0 (health only)"
has "$T/out" "ok" "health ok"

# --- check: validate a batch, store nothing
before=$(db_query 'select count(*) from pickups')
{
	cat "$T/batch.jsonl"
	pickup t-x spaceship 1 "9 High St"
} >"$T/check.jsonl"
run $A pickups check "$T/check.jsonl"
is "$rc" 1 "check a batch with one bad pickup: exit 1"
is "$(grep -c ' valid$' "$T/out")" 5 "the 5 good ones are valid"
has "$T/err" "check.jsonl #6 (t-x): rejected:" "the bad one is named by its place"
has "$T/err" "5 valid, 1 rejected (nothing stored)" "the summary"
is "$(db_query 'select count(*) from pickups')" "$before" "check stored nothing"

# --- submit
run $A pickups submit "$T/batch.jsonl"
is "$rc" 0 "submit a batch of 5: exit 0"
is "$(awk '$3 == "new"' "$T/out" | wc -l | tr -d ' ')" 5 "5 new ids"
awk '{print $1, $2}' "$T/out" >"$T/ids"
has "$T/err" "5 accepted (5 new, 0 existing), 0 rejected" "the summary"
! grep -q "$(printf '\r')" "$T/err"
ok $? "no progress bar when stderr is not a terminal"
id1=$(awk '$2 == "t-1" {print $1}' "$T/ids")
id3=$(awk '$2 == "t-3" {print $1}' "$T/ids")

run $A pickups submit "$T/batch.jsonl"
is "$rc" 0 "re-submit the same batch: exit 0"
is "$(awk '{print $1, $2}' "$T/out")" "$(cat "$T/ids")" \
    "the same ids come back"
is "$(awk '$3 == "existing"' "$T/out" | wc -l | tr -d ' ')" 5 \
    "all 5 existing"
has "$T/err" "5 accepted (0 new, 5 existing), 0 rejected" "the summary"

{
	pickup t-6 sofa 1 "6 High St"
	pickup t-7 spaceship 1 "7 High St"
	sed 's/"n t-1"/"changed"/' "$T/batch.jsonl" | head -n 1
} >"$T/mixed.jsonl"
run $A pickups submit "$T/mixed.jsonl"
is "$rc" 1 "a batch with rejections: exit 1"
is "$(awk '$2 == "t-6" {print $3}' "$T/out")" "new" \
    "the good pickup in it is accepted"
has "$T/err" "mixed.jsonl #2 (t-7): rejected:" \
    "the rejected one is named by its place and reference"
has "$T/err" "field items[0].category" "with the server's field"
has "$T/err" "mixed.jsonl #3 (t-1): rejected:" "a reference reused"
has "$T/err" "conflict" "is a conflict"
has "$T/err" "1 accepted (1 new, 0 existing), 2 rejected" "the summary"

pickup t-8 toys 1 "8 High St" | jq -s . >"$T/array.json"
"$CTL" $A --json pickups submit - <"$T/array.json" >"$T/out" 2>"$T/err"
is "$?" 0 "submit a JSON array on stdin with --json: exit 0"
is "$(jq -r .reference "$T/out")" "t-8" "--json prints the server's pickup"
id8=$(jq -r .id "$T/out")

# --- list
run $A pickups list
is "$rc" 0 "list: exit 0"
is "$(head -n 1 "$T/out" | awk '{print $1, $2, $3}')" "ID REFERENCE STATUS" \
    "a table with a header"
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 7 "7 pickups"
# Piped, cells are whole (issue 12: they were cut to 80 columns).
long_addr=$(jq -r 'select(.reference == "t-3") | .location.address' \
    "$T/batch.jsonl")
has "$T/out" "$long_addr" "piped: the long address is whole"
! grep -q '\.\.\.' "$T/out"
ok $? "piped: nothing is cut"
cp "$T/out" "$T/list-all"
COLUMNS=40 "$CTL" $A pickups list >"$T/out" 2>"$T/err"
cmp -s "$T/out" "$T/list-all"
ok $? "piped: COLUMNS does not cut either"
run $A --tsv pickups list
is "$(head -n 1 "$T/out")" "$(printf 'ID\tREFERENCE\tSTATUS\tWINDOW\tITEMS\tWHERE')" \
    "--tsv: a header line of titles"
is "$(tail -n +2 "$T/out" | awk -F '\t' 'NF == 6' | wc -l | tr -d ' ')" 7 \
    "--tsv: 7 rows of 6 cells"
is "$(awk -F '\t' '$2 == "t-3" { print $6 }' "$T/out")" "$long_addr" \
    "--tsv: the cell whole"
run $A pickups list --tsv
is "$(head -n 1 "$T/out" | cut -f 1)" ID "--tsv after the command too"
! grep -q "$(printf '\033')" "$T/out"
ok $? "no escape sequences when stdout is not a terminal"
if command -v script >/dev/null 2>&1; then
	# script(1) gives recircctl a terminal on stdout and stderr.
	TERM=xterm script -qec "$CTL $A pickups list" /dev/null >"$T/tty"
	grep -q "$(printf '\033')\[1mID" "$T/tty"
	ok $? "bold titles on a terminal"
	NO_COLOR=1 TERM=xterm script -qec "$CTL $A pickups list" /dev/null \
	    >"$T/tty"
	! grep -q "$(printf '\033')\[1m" "$T/tty"
	ok $? "but not with NO_COLOR"
	COLUMNS=60 script -qec "$CTL $A pickups list" /dev/null >"$T/tty"
	tr -d '\r' <"$T/tty" | sed 's/\x1b\[[0-9;]*m//g' >"$T/tty.txt"
	is "$(awk 'length > 60' "$T/tty.txt" | wc -l | tr -d ' ')" 0 \
	    "a terminal with COLUMNS=60: no line wider than 60"
	grep -q '\.\.\.' "$T/tty.txt"
	ok $? "the long address is cut to fit it"
	COLUMNS=200 script -qec "$CTL $A pickups list" /dev/null >"$T/tty"
	tr -d '\r' <"$T/tty" | grep -q -F "$long_addr"
	ok $? "COLUMNS=200: the address whole"
	TERM=xterm script -qec "$CTL $A pickups submit $T/batch.jsonl" \
	    /dev/null >"$T/tty"
	grep -q "5/5 \[#" "$T/tty"
	ok $? "a progress bar when stderr is a terminal"
else
	for n in 1 2 3 4 5 6; do ok 0 "# SKIP script(1) is not installed"; done
fi
# --limit is how many, --cursor goes on, --all follows to the end (issue
# 12: --page N set the size of a request and there was no way to go on).
run $A pickups list --limit 2
is "$rc" 0 "list --limit 2: exit 0"
is "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 2 "two pickups"
cur=$(sed -n 's/.*more pickups follow: --cursor \([^ ]*\) goes on.*/\1/p' "$T/err")
ok $([ -n "$cur" ]; echo $?) "the note gives the cursor ($cur)"
cp "$T/out" "$T/paged"
n=0
while [ -n "$cur" ] && [ $n -lt 10 ]; do
	run $A pickups list --limit 2 --cursor "$cur"
	[ "$rc" -eq 0 ] || break
	tail -n +2 "$T/out" >>"$T/paged"
	cur=$(sed -n 's/.*--cursor \([^ ]*\) goes on.*/\1/p' "$T/err")
	n=$((n + 1))
done
is "$n" 3 "three more listings, the last without a cursor"
awk '{ print $1, $2 }' "$T/paged" >"$T/paged.ids"
awk '{ print $1, $2 }' "$T/list-all" >"$T/all.ids"
cmp -s "$T/paged.ids" "$T/all.ids"
ok $? "following the cursors gives the whole table"

run $A --json pickups list --all
is "$rc" 0 "list --json --all"
is "$(jq '.pickups | length' "$T/out")" 7 "all 7 pickups in one document"
is "$(jq '.next_cursor' "$T/out")" null "next_cursor null at the end"
is "$(jq -c '[.pickups[].id] == ([.pickups[].id] | sort | unique)' \
    "$T/out")" true "ids ascending, none twice"
jq -S .pickups "$T/out" >"$T/pall"
run $A --json pickups list
jq -S .pickups "$T/out" >"$T/p100"
cmp -s "$T/pall" "$T/p100"
ok $? "--all equals the default listing of 100"
run $A pickups list --page 2
is "$rc" 2 "--page is refused: exit 2"
has "$T/err" "--limit" "naming --limit"
run $A pickups list --all --limit 3
is "$rc" 2 "--all with --limit: exit 2"
run $A pickups list --cursor bogus
is "$rc" 1 "a cursor the server never gave: exit 1"
run $A --json pickups list
is "$(jq -r '.pickups[] | select(.reference == "t-3") | .location.address' \
    "$T/out")" "$(jq -r 'select(.reference == "t-3") | .location.address' \
    "$T/batch.jsonl")" "the address comes back as submitted"
c2=$(jq -r '.next_cursor' "$("$CTL" $A --json pickups list -n 2 >"$T/j2"; echo "$T/j2")")
run $A --json pickups list --all --cursor "$c2"
is "$(jq '.pickups | length' "$T/out")" 5 "--all --cursor: the 5 after the first 2"
is "$(jq '.pickups[0].id' "$T/out")" "$(jq '.[2].id' "$T/pall")" \
    "starting right after them"

run $A --json pickups list --limit 3
is "$(jq '.pickups | length' "$T/out")" 3 "--limit 3"
is "$(jq -r '.next_cursor | type' "$T/out")" string \
    "with a cursor to go on from"
run $A pickups list --limit 3
has "$T/err" "more pickups follow" "the table says more follow"

# --- show
run $A pickups show "$id3"
is "$rc" 0 "show: exit 0"
has "$T/out" "t-3" "show has the reference"
has "$T/out" "CATEGORY" "an items table"
has "$T/out" "mattress" "with the item"
has "$T/out" "received" "and the history"
has "$T/out" "$long_addr" "show, piped: the address whole"
run $A --json pickups show "$id3"
is "$(jq -c '.items[0] | [.category, .quantity]' "$T/out")" '["mattress",1]' \
    "show --json has the items as submitted"
is "$(jq -r .id "$T/out")" "$id3" "and the id"
run $A pickups show 999999
is "$rc" 1 "show an unknown id: exit 1"
has "$T/err" "HTTP 404" "the server's not found"

# --- operators are kept apart
run $B pickups show "$id1"
is "$rc" 1 "another operator's pickup: exit 1"
run $B --json pickups list
is "$(jq '.pickups | length' "$T/out")" 0 "another operator lists none"
pickup t-b1 sofa 1 "1 Other St" >"$T/b.jsonl"
run $B pickups submit "$T/b.jsonl"
is "$rc" 0 "the other operator submits its own"
token_add ops-desk ops >"$T/tok-ops"
chmod 600 "$T/tok-ops"
run -u "$URL" -t "$T/tok-ops" pickups list
is "$rc" 0 "ops staff list every operator's pickups"
is "$(head -n 1 "$T/out" | awk '{print $NF}')" OPERATOR \
    "with an operator column"
has "$T/out" "council-b" "naming the other operator"
run -u "$URL" -t "$T/tok-ops" pickups show "$id1"
is "$rc" 0 "ops staff see any pickup"

# --- a pickup by the reference a resident quotes
run $A pickups show --reference t-3
is "$rc" 0 "show --reference: exit 0"
is "$(sed -n 's/^id  *//p' "$T/out")" "$id3" "the pickup with that reference"
run $A -j pickups list --reference t-3
is "$(jq -c '[.pickups[].id]' "$T/out")" "[$id3]" "list --reference: that one only"
pickup t-1 chair 1 "9 Other St" >"$T/b1.jsonl"
run $B pickups submit "$T/b1.jsonl"
is "$rc" 0 "the other operator uses reference t-1 too"
run $A -j pickups show -r t-1
is "$(jq .id "$T/out")" "$id1" "an operator sees its own t-1 only"
run -u "$URL" -t "$T/tok-ops" pickups show --reference t-1
is "$rc" 1 "ops: a reference two operators use: exit 1"
has "$T/err" "2 pickups have reference t-1, of several operators: show one by its id" \
    "says so"
is "$(grep -c -e ' council-a$' -e ' council-b$' "$T/out")" 2 \
    "and lists both, with their operators"
run -u "$URL" -t "$T/tok-ops" -j pickups list --reference t-1
is "$(jq '[.pickups[].operator] | sort | join(",")' "$T/out")" \
    '"council-a,council-b"' "list --reference across operators"
run $A pickups show --reference nope
is "$rc" 1 "show --reference of none: exit 1"
has "$T/err" "no pickup has reference nope" "says so"
run $A pickups show --reference t-3 "$id3"
is "$rc" 2 "an id and --reference: exit 2"
run $A pickups show
is "$rc" 2 "neither: exit 2"
has "$T/err" "which pickup? an id, or --reference R" "asks which"
is "$(api GET "/v1/pickups?reference=" "$(cat "$T/tok-a")" | cut -d' ' -f1)" \
    400 "GET /v1/pickups?reference= (empty): 400"

# --- cancel
run $A pickups cancel "$id1"
is "$rc" 0 "cancel: exit 0"
is "$(cat "$T/out")" "pickup $id1 cancelled" "says cancelled"
run $A pickups cancel "$id1"
is "$rc" 0 "cancel twice: exit 0"
run $A --json pickups show "$id1"
is "$(jq -r .status "$T/out")" cancelled "show: cancelled"
is "$(jq -c '[.history[].status]' "$T/out")" '["received","cancelled"]' \
    "the history has both"
run $A pickups list --status cancelled
is "$(tail -n +2 "$T/out" | awk '{print $1}')" "$id1" \
    "list --status cancelled"
run $A --json status
is "$(jq .pickups.cancelled "$T/out")" 1 "status counts 1 cancelled"
is "$(jq .pickups.received "$T/out")" 6 "and 6 received"
run $A pickups cancel "$id8" 999999
is "$rc" 1 "cancel a good and an unknown id: exit 1"
is "$(cat "$T/out")" "pickup $id8 cancelled" "the good one is cancelled"

# --- the server says no
run $A pickups list --status nonsense
is "$rc" 1 "an unknown status: exit 1"
want=$(api GET "/v1/pickups?status=nonsense" "$(cat "$T/tok-a")" |
    sed 's/^[0-9]* //' | jq -r .error.message)
has "$T/err" "$want" "with the server's message"
printf 'not-a-real-token\n' >"$T/tok-bad"
chmod 600 "$T/tok-bad"
run -u "$URL" -t "$T/tok-bad" pickups list
is "$rc" 1 "a wrong token: exit 1"
want=$(api GET /v1/pickups not-a-real-token | sed 's/^[0-9]* //' |
    jq -r .error.message)
has "$T/err" "$want" "with the server's message"
has "$T/err" "HTTP 401" "and the status"
! grep -q not-a-real-token "$T/out" "$T/err"
ok $? "the token is not printed"

# --- --trace FILE / RECIRC_TRACE: each exchange a JSON line, no token
tr=$T/trace.jsonl
run --trace "$tr" $A pickups show "$id3"
is "$rc" 0 "--trace: the command works as before"
is "$(jq -s length "$tr")" 1 "... one line for its one request"
is "$(jq -r '[.method, .path, .status] | @tsv' "$tr")" \
    "$(printf 'GET\t/v1/pickups/%s\t200' "$id3")" "... its method, path and status"
like "$(jq -r .content_type "$tr")" 'application/json' "... the content type"
is "$(jq -r '.body | fromjson | .id' "$tr")" "$id3" "... and the whole reply"
is "$(jq -r .url "$tr")" "$URL/v1/pickups/$id3" "... and the URL"
is "$(stat -c %a "$tr")" 600 "the trace file is the user's alone"
pickup t-tr sofa 1 "9 Trace Rd" >"$T/one.jsonl"
run --trace "$tr" $A pickups submit "$T/one.jsonl"
run --trace "$tr" $A pickups list --status nonsense
is "$(jq -s length "$tr")" 3 "later runs append"
is "$(jq -s -r '.[1].request | fromjson | .reference' "$tr")" t-tr \
    "a request's body is there"
is "$(jq -s -r '.[2] | [.status, (.body | fromjson | .error.code)] | @tsv' \
    "$tr")" "$(printf '400\tinvalid_value')" "so is a refusal, with the server's error"
! grep -q -F "$(cat "$T/tok-a")" "$tr"
ok $? "the token is not in it"
RECIRC_TRACE=$T/env.jsonl "$CTL" $A pickups show "$id1" >/dev/null 2>&1
is "$(jq -r .path "$T/env.jsonl" 2>/dev/null)" "/v1/pickups/$id1" \
    "RECIRC_TRACE does the same"
run --trace "$T/no/such/dir/t.jsonl" $A status
is "$rc" 2 "a trace file that cannot be opened: exit 2"
has "$T/err" "trace file $T/no/such/dir/t.jsonl: No such file or directory" \
    "saying which and why"

# --- a stuck daemon, then a stopped one
kill -STOP "$RECIRCD_PID"
run -T 1 $A status
kill -CONT "$RECIRCD_PID"
is "$rc" 3 "a daemon that does not answer: exit 3"
has "$T/err" "timed out" "says timed out"
daemon_stop
run $A status
is "$rc" 3 "a stopped daemon: exit 3"
has "$T/err" "connection refused" "says connection refused"
run $A pickups submit "$T/batch.jsonl"
is "$rc" 3 "submit to a stopped daemon: exit 3"
has "$T/err" "5 not sent" "and nothing was sent"
done_testing
