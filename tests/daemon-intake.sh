#!/bin/bash
# daemon-intake.sh -- a burst of concurrent submissions, gathered by the
# group commit into shared transactions (on PostgreSQL, runs of inserts
# go as one statement: store_pickup_insert_many), gives each request the
# answer it would have had alone: every new pickup stored once with its
# own body; of two with one reference, or one Idempotency-Key, one is
# stored and the other is a replay (same body) or a 409 (other body); one
# operator's reference does not clash with another's; a region no centre
# names stores nothing.  Runs on SQLite and, in make check-pg, PostgreSQL.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v xargs >/dev/null || skip_all "xargs is not installed"

daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
A=$(token_add council-a operator)
B=$(token_add council-b operator)
FROM=$(date -u -d '+1 day' +%F)
TO=$(date -u -d '+5 days' +%F)
body() {	# body REFERENCE NOTES [REGION]
	printf '{"reference":"%s",%s"location":{"lat":51.5,"lon":-0.12},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":1}],"notes":"%s"}' \
	    "$1" "${3:+\"region\":\"$3\",}" "$FROM" "$TO" "$2"
}

# The answer a region without centres gets alone, for comparison.
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' --data-binary \
    "$(body alone-1 x nowhere)" "$URL/v1/pickups" > "$T/alone"
REGION_CODE=$(cat "$T/alone")
ok $((REGION_CODE < 400 || REGION_CODE >= 500)) \
    "alone, a region no centre names is refused ($REGION_CODE)"

# One request a line: TAG TOKEN KEY BODY (KEY - for none).
{
	for i in $(seq 120); do
		echo "u$i $A - $(body "u-$i" "a$i")"
		echo "b$i $B - $(body "u-$i" "b$i")"
	done
	for i in $(seq 30); do
		for n in 1 2 3; do echo "d$i $A - $(body "d-$i" same)"; done
	done
	for i in $(seq 20); do
		echo "c$i $A - $(body "c-$i" x)"
		echo "c$i $A - $(body "c-$i" y)"
	done
	for i in $(seq 10); do
		echo "r$i $A - $(body "r-$i" x nowhere)"
		echo "k$i $A key-$i $(body "k-$i-a" x)"
		echo "k$i $A key-$i $(body "k-$i-b" y)"
	done
} | shuf --random-source=<(yes) > "$T/requests"
cat > "$T/post.sh" <<'EOF'
#!/bin/bash
# post.sh LINE: send one request; prints TAG CODE ID NOTES
read -r tag tok key body <<< "$1"
h=()
[ "$key" != - ] && h=(-H "Idempotency-Key: $key")
f=$(mktemp "$T/resp.XXXXXX")
code=$(curl -s -o "$f" -w '%{http_code}' -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' "${h[@]}" --data-binary "$body" \
    "$URL/v1/pickups")
printf '%s %s %s %s\n' "$tag" "$code" "$(jq -r '.id // "-"' "$f")" \
    "$(printf '%s' "$body" | jq -r .notes)"
rm -f "$f"
EOF
chmod +x "$T/post.sh"
tx0=$(curl -s "$URL/metrics" | awk '$1 == "recircd_commit_transactions_total" { print $2 }')
export T URL
tr '\n' '\0' < "$T/requests" | xargs -0 -P 32 -n 1 "$T/post.sh" > "$T/answers"
tx1=$(curl -s "$URL/metrics" | awk '$1 == "recircd_commit_transactions_total" { print $2 }')
NREQ=$(wc -l < "$T/requests")
is "$(wc -l < "$T/answers" | tr -d ' ')" "$NREQ" "every one of the $NREQ requests answered"
# How much the group commit gathered depends on the machine: told, not
# asserted.
echo "# $NREQ requests in $((tx1 - tx0)) transactions"

# tag CODE...: the answers of a tag's requests, codes sorted
codes() { awk -v t="$1" '$1 == t { print $2 }' "$T/answers" | sort | tr '\n' ' '; }
bad=0
for i in $(seq 120); do
	[ "$(codes "u$i")" = "201 " ] && [ "$(codes "b$i")" = "201 " ] ||
	    { bad=$((bad + 1)); echo "# u$i/b$i: $(codes "u$i")/$(codes "b$i")"; }
done
is $bad 0 "each operator's 120 new pickups are 201, the same references both"
is "$(awk '$1 ~ /^[ub]/ && $2 == 201 { print $3 }' "$T/answers" | sort -u | wc -l | tr -d ' ')" \
    240 "... with 240 ids"
bad=0
for i in $(seq 30); do
	[ "$(codes "d$i")" = "200 200 201 " ] &&
	    [ "$(awk -v t="d$i" '$1 == t { print $3 }' "$T/answers" | sort -u | wc -l)" -eq 1 ] ||
	    { bad=$((bad + 1)); echo "# d$i: $(codes "d$i")"; }
done
is $bad 0 "a pickup sent three times at once: one 201, two replays of it"
bad=0
for i in $(seq 20); do
	[ "$(codes "c$i")" = "201 409 " ] ||
	    { bad=$((bad + 1)); echo "# c$i: $(codes "c$i")"; }
done
is $bad 0 "one reference, two bodies at once: one 201, one 409"
bad=0
for i in $(seq 10); do
	[ "$(codes "k$i")" = "201 409 " ] ||
	    { bad=$((bad + 1)); echo "# k$i: $(codes "k$i")"; }
	[ "$(codes "r$i")" = "$REGION_CODE " ] ||
	    { bad=$((bad + 1)); echo "# r$i: $(codes "r$i")"; }
done
is $bad 0 "one key, two bodies: one 201, one 409; a region without centres: $REGION_CODE"

# What is stored is what the 201s said.
bad=0
while read -r tag code id notes; do
	[ "$code" = 201 ] || continue
	case $tag in b*) tok=$B ;; *) tok=$A ;; esac
	got=$(curl -s -H "Authorization: Bearer $tok" "$URL/v1/pickups/$id" | jq -r .notes)
	[ "$got" = "$notes" ] || { bad=$((bad + 1)); echo "# $tag $id: $got, not $notes"; }
done < "$T/answers"
is $bad 0 "each pickup answered 201 is stored with its own body"
is "$(db_query "SELECT count(*) FROM pickups WHERE operator = 'council-a'")" \
    $((120 + 30 + 20 + 10)) "council-a has 180 pickups stored, no more"
is "$(db_query "SELECT count(*) FROM pickups WHERE operator = 'council-b'")" \
    120 "council-b has 120"
is "$(db_query "SELECT count(*) FROM pickups WHERE reference LIKE 'r-%' OR reference LIKE 'alone-%'")" \
    0 "nothing stored for a region without centres"

daemon_stop
is "$DAEMON_STATUS" 0 "clean exit"
done_testing
