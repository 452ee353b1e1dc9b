#!/bin/bash
# daemon-manifest.sh -- the driver's sheet tells the truth (issue 12): a
# stop is shown with the time window its ETA falls in (a pickup with an
# early window no crew can reach and an afternoon one is served in the
# afternoon), the other windows beside it, and the resident's notes; the
# notes are in the routes JSON and the GeoJSON stops too.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

demo_city
daemon_start -D "solver=$SOLVER" -D solve_timeout=60 -D plan_days=1 ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)
D1=$(date -u -d '+1 day' +%F)
pickup() {	# pickup REF LAT LON WINDOWS NOTES: the new id
	api POST /v1/pickups "$OPR" "$(printf '{"reference":"%s","location":{"lat":%s,"lon":%s,"address":"%s"},"window":{"from":"%s","to":"%s"},"time_windows":%s,"items":[{"category":"chair","quantity":1,"condition":"working"}],"notes":"%s"}' \
	    "$1" "$2" "$3" "$1 Street" "$D1" "$D1" "$4" "$5")" > "$T/r"
	jget "$(js "$(cat "$T/r")")" .id
}
# Before any centre opens (07:00 at the earliest), or in the afternoon.
TWO=$(pickup two-windows 51.4540 -2.5960 '[{"start":"05:00","end":"06:00"},{"start":"15:00","end":"18:00"}]' 'Dog in garden')
ok $([ -n "$TWO" ] && [ "$TWO" != null ] && echo 0 || echo 1) "a pickup with two windows and notes"
for i in 1 2 3 4 5; do
	pickup "plain-$i" "51.45$i" "-2.58$i" '[{"start":"08:00","end":"17:00"}]' "3rd floor, lift available" >/dev/null
done
# Text that XML must escape, for the GPX below.
ODD=$(pickup 'odd&<ref>' 51.4575 -2.5875 '[]' 'say \"hi\" & <wave>')
ok $([ -n "$ODD" ] && [ "$ODD" != null ] && echo 0 || echo 1) "a pickup with <, & and quotes in its text"
P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "the plan is done"

r=$(js "$(api GET "/v1/plans/$P/routes" "$OPS")")
stop=$(printf '%s' "$r" | jq -c --argjson id "$TWO" '.routes[] | .stops[] | select(.pickup == $id)')
ok $([ -n "$stop" ] && echo 0 || echo 1) "the two-window pickup is routed"
eta=$(printf '%s' "$stop" | jq -r .eta)
ok $([[ "$eta" > "14:59" && "$eta" < "18:01" ]] && echo 0 || echo 1) \
    "... in its afternoon window (ETA $eta)"
is "$(printf '%s' "$stop" | jq -r .notes)" "Dog in garden" "routes JSON: the stop has the resident's notes"
is "$(printf '%s' "$r" | jq '[.routes[].stops[] | select(.notes == "3rd floor, lift available")] | length')" 5 \
    "... every stop does"
V=$(printf '%s' "$r" | jq -r --argjson id "$TWO" '.routes[] | select(any(.stops[]; .pickup == $id)) | .vehicle')

g=$(curl -s -H "Authorization: Bearer $OPS" "$URL/v1/plans/$P/routes?format=geojson")
is "$(printf '%s' "$g" | jq -r --argjson id "$TWO" '.features[] | select(.properties.kind == "stop" and .properties.pickup == $id) | .properties.notes')" \
    "Dog in garden" "GeoJSON: the stop has the notes"

m=$(curl -s -H "Authorization: Bearer $OPS" "$URL/v1/plans/$P/manifest/$V")
line=$(printf '%s\n' "$m" | grep -n "#$TWO " | head -n 1)
like "$line" "$eta  #$TWO" "the manifest lists the stop at its ETA"
like "$line" "15:00-18:00" "... with the window the ETA falls in"
n=${line%%:*}
block=$(printf '%s\n' "$m" | sed -n "$((n + 1)),$((n + 4))p")
like "$block" "other windows: 05:00-06:00" "... and the other window below it"
like "$block" "NOTE: Dog in garden" "... and the resident's notes"
# Every stop's shown window: the ETA is in it, or before it opens.
badwin=$(printf '%s\n' "$m" | awk '$2 ~ /^[0-2][0-9]:[0-5][0-9]$/ && $3 ~ /^#/ {
	for (i = 4; i <= NF; i++) if ($i ~ /^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$/) {
		split($i, w, "-"); if ($2 > w[2]) bad++ } }
	END { print bad + 0 }')
is "$badwin" 0 "no stop is shown with a window that closed before its ETA"

# A pickup cancelled after the plan: the sheet, printed later, says to skip
# it; the routes JSON and recircctl routes show its status.
CAN=$(printf '%s' "$r" | jq -r --arg v "$V" --argjson two "$TWO" \
    '[.routes[] | select(.vehicle == $v) | .stops[] | select(.pickup != $two)][0].pickup')
is "$(jget "$(js "$(api POST "/v1/pickups/$CAN/cancel" "$OPR")")" .status)" cancelled \
    "pickup $CAN, on $V's route, cancelled after the plan"
m=$(curl -s -H "Authorization: Bearer $OPS" "$URL/v1/plans/$P/manifest/$V")
n=$(printf '%s\n' "$m" | grep -n "#$CAN " | head -n 1 | cut -d: -f1)
is "$(printf '%s\n' "$m" | sed -n "$((n + 1)),$((n + 3))p" | grep -c 'CANCELLED since the plan was made: SKIP THIS STOP')" 1 \
    "the manifest marks its stop: cancelled, skip it"
is "$(printf '%s\n' "$m" | grep -c 'SKIP THIS STOP')" 1 "... and no other stop"
nst=$(printf '%s' "$r" | jq --arg v "$V" '[.routes[] | select(.vehicle == $v) | .stops[]] | length')
like "$m" "1 of the $nst stops to skip: cancelled or collected since the plan" \
    "... and its heading counts the stops to skip"
ni=$(printf '%s' "$r" | jq --arg v "$V" '[.routes[] | select(.vehicle == $v) | .load.items] | add')
if [ "$ni" = 1 ]; then want="1 item"; else want="$ni items"; fi
like "$(printf '%s\n' "$m" | sed -n 2p)" "m3, $want" "the heading counts the route's items: $want"
is "$(printf '%s\n' "$m" | grep -c '  1 item  ')" \
    "$(printf '%s\n' "$m" | grep -c '^ *[0-9]*  [0-2][0-9]:[0-5][0-9]  #')" \
    "one chair a stop: \"1 item\", not \"1 items\""
is "$(js "$(api GET "/v1/plans/$P/routes" "$OPS")" | jq -r --argjson id "$CAN" \
    '.routes[].stops[] | select(.pickup == $id) | .status')" cancelled \
    "routes JSON: the stop's status is cancelled"
printf '%s\n' "$OPS" > "$T/ops.tok"
ctl_env
"$CTL" -u "$URL" -t "$T/ops.tok" routes --plan "$P" "$V" > "$T/routes.txt"
is "$(awk -v id="$CAN" '$4 == id { print $NF }' "$T/routes.txt")" cancelled \
    "recircctl routes: its row ends with the status"
is "$(awk '$1 ~ /^[0-9]+$/ && $2 ~ /:/ && $NF == "scheduled"' "$T/routes.txt" | wc -l)" \
    "$(($(awk '$1 ~ /^[0-9]+$/ && $2 ~ /:/' "$T/routes.txt" | wc -l) - 1))" \
    "... and the others' with scheduled"

# GPX for the crew's navigator: a route per vehicle and day from the centre
# through the stops in the JSON's order and back, each stop at its place,
# named by its place and reference, its ETA the point's time.
gpx() {	# gpx QUERY: the GPX routes as lines (tests/gpx-lines.py)
	api_curl "$T/gpx" -H "Authorization: Bearer $OPS" \
	    "$URL/v1/plans/$P/routes?format=gpx$1" > "$T/gpx.st"
	python3 "$top_srcdir/tests/gpx-lines.py" < "$T/gpx"
}
if command -v python3 >/dev/null; then
	gl=$(gpx "")
	is "$(cat "$T/gpx.st")" 200 "routes?format=gpx: 200"
	is "$(sed -n 2p "$T/curl-w")" application/gpx+xml "... as application/gpx+xml"
	is "$(printf '%s\n' "$gl" | grep -v '^ERROR' | grep -c .)" \
	    "$(printf '%s\n' "$gl" | grep -c .)" "... a GPX 1.1 document"
	want=$(printf '%s' "$r" | jq -r '.routes[] | "route \(.vehicle) \(.day) \(.centre)",
	    (.stops[] | "stop \(.seq) \(.reference) \(.lat * 1000000 | round) \(.lon * 1000000 | round) \(.eta_at)"),
	    "end \(.centre)"')
	is "$(printf '%s\n' "$gl" | grep -E '^(route|stop|end) ')" "$want" \
	    "... its routes and stops are the plan's, in order, at their places and ETAs"
	like "$(printf '%s\n' "$gl" | grep "^desc two-windows ")" "Dog in garden" \
	    "... a stop's description has the notes"
	like "$(printf '%s\n' "$gl" | grep "^desc two-windows ")" "window 15:00-18:00" \
	    "... and the window its ETA falls in"
	like "$(printf '%s\n' "$gl" | grep "^desc $(printf '%s' "$r" | jq -r --argjson id "$CAN" '.routes[].stops[] | select(.pickup == $id) | .reference') ")" "CANCELLED since the plan was made: SKIP THIS STOP" \
	    "... and the cancelled stop says to skip it, as the manifest does"
	like "$(printf '%s\n' "$gl" | grep -F 'desc odd&<ref> ')" 'say "hi" & <wave>' \
	    "... text XML must escape comes through whole"
	is "$(printf '%s\n' "$gl" | grep -c '^wpt ')" \
	    "$(printf '%s' "$r" | jq '[.routes[].centre] | unique | length')" \
	    "... the centres are waypoints"
	gl=$(gpx "&vehicle=$V")
	is "$(printf '%s\n' "$gl" | grep '^route ' | cut -d' ' -f2 | sort -u)" "$V" \
	    "routes?format=gpx&vehicle=: that vehicle's routes only"
fi
"$CTL" -u "$URL" -t "$T/ops.tok" routes --plan "$P" --gpx "$V" > "$T/ctl.gpx"
is "$?" 0 "recircctl routes --gpx: exit 0"
cmp -s "$T/ctl.gpx" "$T/gpx"
ok $? "... writes the server's GPX as it is"
"$CTL" -u "$URL" -t "$T/ops.tok" -j routes --gpx > /dev/null 2> "$T/err"
is "$?" 2 "recircctl -j routes --gpx: usage (exit 2)"
like "$(cat "$T/err")" "--gpx or -j, not both" "... saying so"
is "$(st "$(api GET "/v1/plans/$P/routes?format=kml" "$OPS")")" 400 \
    "routes?format= neither json, geojson nor gpx: 400"
daemon_stop
done_testing
