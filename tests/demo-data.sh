#!/bin/bash
# demo-data.sh -- the quick start's demo city must stay valid: every
# bundled pickup is accepted by a real daemon, and loading it twice is
# idempotent (no duplicates).
. "$top_srcdir/tests/lib.sh"
daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
TOK=$(token_add demo operator)
sub() {
	for f in "$top_srcdir"/data/demo-pickups*.jsonl; do
		sed -E 's/@D([0-9]+)@/\1/g' "$f" | while IFS= read -r line; do
			line=$(printf '%s' "$line" | jq -c --arg today "$(date -u +%F)" '
			    def d(n): ($today | strptime("%Y-%m-%d") | mktime) + n * 86400 | strftime("%Y-%m-%d");
			    .window.from |= d(tonumber) | .window.to |= d(tonumber)')
			curl -s -o /dev/null -w '%{http_code}\n' \
			    -H "Authorization: Bearer $TOK" \
			    -H 'Content-Type: application/json' \
			    --data-binary "$line" "$URL/v1/pickups"
		done
	done
}
first=$(sub | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
total=$(cat "$top_srcdir"/data/demo-pickups*.jsonl | wc -l)
is "$first" "201:$total " "all $total demo pickups accepted"
again=$(sub | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
is "$again" "200:$total " "loading again replays, adds nothing"
is "$(db_query 'select count(*) from pickups')" "$total" "no duplicates stored"
done_testing
