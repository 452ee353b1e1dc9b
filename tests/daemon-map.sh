#!/bin/bash
# daemon-map.sh -- the plan map (/map) in a real browser: chromium, when
# installed, loads the page headless against a daemon with a demo plan,
# with the token in the URL fragment; the drawn DOM (Leaflet's SVG
# renderer) must hold one line per route and one marker per stop, centre
# and deferred pickup of the plan's GeoJSON, and the legend.  A screenshot
# is left in tests/map-screenshot.png for a person to look at.  Without
# chromium, the page and its assets are still checked over HTTP.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
LEAFLET=/usr/share/javascript/leaflet
[ -r "$LEAFLET/leaflet.js" ] || skip_all "libjs-leaflet is not installed"

demo_city
daemon_start -D "solver=$SOLVER" -D solve_timeout=120 -D plan_days=2 \
    -D map_tiles= || { echo "Bail out! recircd did not start"; exit 1; }
OPR=$(token_add council-a operator)
OPS=$(token_add ops-desk ops)
PLN=$(token_add planner-1 planner)
demo_pickups 80 > "$T/pickups.jsonl"
# One no vehicle can carry: deferred, with a reason.
D1=$(date -u -d '+1 day' +%F)
printf '{"reference":"too-heavy","location":{"lat":51.46,"lon":-2.60},"window":{"from":"%s","to":"%s"},"items":[{"category":"sofa","quantity":2,"weight_kg":1900}]}\n' \
    "$D1" "$D1" >> "$T/pickups.jsonl"
while IFS= read -r line; do api POST /v1/pickups "$OPR" "$line" >/dev/null; done < "$T/pickups.jsonl"
P=$(jget "$(js "$(api POST /v1/plans "$PLN")")" .id)
p=$(wait_plan "$P" "$PLN")
is "$(jget "$p" .state)" done "a demo plan is done"
[ "$(jget "$p" .state)" = done ] || echo "# $(jget "$p" .reason)"

# --- the page and its assets over HTTP, without a token
code=$(curl -s -D "$T/h" -o "$T/page" -w '%{http_code}' "$URL/map")
is "$code" 200 "GET /map: 200 without a token"
like "$(tr -d '\r' < "$T/h")" "Content-Type: text/html" "... as HTML"
like "$(tr -d '\r' < "$T/h")" "Content-Security-Policy: default-src 'self'" "... with a CSP"
ok $(grep -q -e "$OPS" -e "$OPR" -e "$PLN" "$T/page" && echo 1 || echo 0) "the page embeds no token"
like "$(cat "$T/page")" 'data-tiles=""' "map_tiles empty: no base layer"
curl -s -o "$T/page2" "$URL/map/plans/$P"
like "$(cat "$T/page2")" "data-plan=\"$P\"" "/map/plans/ID names the plan"
for f in map/map.js map/map.css map/leaflet/leaflet.js map/leaflet/leaflet.css map/leaflet/images/layers.png; do
	is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/$f")" 200 "GET /$f"
done
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/map/leaflet/leaflet.esm.js")" 404 \
    "nothing else from Leaflet's directory"
is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/map/leaflet/..%2f..%2fetc%2fpasswd")" 404 \
    "no way out of it"
curl -s -o "$T/p3" "$URL/map?x=%22%3E%3Cscript%3E"
ok $(grep -q '<script>"' "$T/p3" && echo 1 || echo 0) "query text is not reflected into the page"

# A resident cancels after the plan: the map draws that stop white.
CAN=$(js "$(api GET "/v1/plans/$P/routes" "$OPS")" | jq -r '.routes[0].stops[0].pickup')
is "$(jget "$(js "$(api POST "/v1/pickups/$CAN/cancel" "$OPR")")" .status)" cancelled \
    "pickup $CAN, a routed stop, cancelled after the plan"
# ... and its route is handed to the crew: its other stops are pinned.
RV=$(js "$(api GET "/v1/plans/$P/routes" "$OPS")" | jq -r '.routes[0] | "\(.vehicle) \(.day) \(.stops | length)"')
set -- $RV
is "$(jget "$(js "$(api POST "/v1/plans/$P/dispatch/$1?day=$2" "$OPS")")" .dispatched)" \
    "$(($3 - 1))" "$1 on $2 dispatched: its $(($3 - 1)) scheduled stops"

# --- what the plan's GeoJSON holds
curl -s -H "Authorization: Bearer $OPS" "$URL/v1/plans/$P/routes?format=geojson" > "$T/geo"
nr=$(jq '[.features[] | select(.properties.kind == "route")] | length' "$T/geo")
ns=$(jq '[.features[] | select(.properties.kind == "stop")] | length' "$T/geo")
nc=$(jq '[.features[] | select(.properties.kind == "centre")] | length' "$T/geo")
nd=$(jq '[.features[] | select(.properties.kind == "deferred")] | length' "$T/geo")
ok $([ "$nr" -gt 0 ] && [ "$ns" -gt 0 ] && [ "$nd" -gt 0 ] && echo 0 || echo 1) \
    "the plan has $nr routes, $ns stops and $nd deferred"
is "$(jq '[.features[] | select(.properties.kind == "stop") | .properties.stream] | map(select(. == "unknown")) | length' "$T/geo")" 0 \
    "every stop has the stream its items go to"
is "$nd" "$(js "$(api GET "/v1/plans/$P/routes" "$OPS")" | jq '.deferred | length')" \
    "every deferred pickup is a feature"
is "$(jq -c '[.features[] | select(.properties.kind == "stop") | .properties.status] | group_by(.) | map({(.[0]): length}) | add' "$T/geo")" \
    "{\"cancelled\":1,\"scheduled\":$((ns - 1))}" "every stop has its pickup's status: one cancelled"
is "$(jq -r --arg v "$1" --arg d "$2" '[.features[] | select(.properties.kind == "stop") |
    .properties | select(.pinned != null) | "\(.vehicle) \(.day) \(.pinned)"] | unique | join(",")' "$T/geo")" \
    "$1 $2 dispatched" "the stops pinned are that route's, as dispatched"
is "$(jq '[.features[] | select(.properties.pinned != null)] | length' "$T/geo")" \
    "$(($3 - 1))" "... all of them, not the cancelled one"

# --- in a browser
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ]; then
	echo "# SKIP: chromium is not installed; the map was not drawn"
	done_testing
	exit $?
fi
run_browser() {	# run_browser OUT ARGS...: headless chromium on the map
	_out=$1
	shift
	timeout 90 "$BROWSER" --headless=new --no-sandbox --disable-gpu \
	    --no-first-run --no-default-browser-check --disable-extensions \
	    --user-data-dir="$T/chrome" --virtual-time-budget=15000 \
	    --window-size=1280,900 "$@" > "$_out" 2> "$T/chrome.err"
}
run_browser "$T/dom" --dump-dom "$URL/map#token=$OPS"
count() { grep -o "class=\"[^\"]*$1[^\"]*\"" "$T/dom" | wc -l; }
is "$(grep -o 'data-state="[a-z]*"' "$T/dom")" 'data-state="drawn"' "the page drew the plan"
is "$(count recirc-route)" "$nr" "one line per route ($nr)"
is "$(count recirc-stop)" "$ns" "one marker per stop ($ns)"
is "$(count recirc-centre)" "$nc" "one marker per centre ($nc)"
is "$(count recirc-deferred)" "$nd" "one marker per deferred pickup ($nd)"
is "$(count 'recirc-stop skipped')" 1 "the cancelled stop is drawn as one to skip"
colours=$(grep -o '<path[^>]*recirc-route[^>]*>' "$T/dom" | grep -o 'stroke="[^"]*"' | sort -u | wc -l)
ok $([ "$colours" -eq "$(jq -r '[.features[] | select(.properties.kind == "route") | .properties.vehicle] | unique | length' "$T/geo")" ] || [ "$colours" -ge 15 ] && echo 0 || echo 1) \
    "each vehicle's routes in a colour of their own ($colours colours)"
like "$(cat "$T/dom")" 'class="legend' "the legend is drawn"
ok $(grep -q "$OPS" "$T/dom" && echo 1 || echo 0) "the token is not left in the page"
# The GPX button saves what is shown: with every day, the plan's routes.
gh=$(grep -o '<button id="gpx"[^>]*>' "$T/dom")
unlike "$gh" "hidden" "the Save GPX button is shown once routes are drawn"
href=$(printf '%s' "$gh" | sed -n 's/.*data-href="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')
is "$href" "/v1/plans/$P/routes?format=gpx" "... for the plan's routes as GPX"
is "$(api_curl "$T/map.gpx" -H "Authorization: Bearer $OPS" "$URL$href")" 200 \
    "... which the API serves"
is "$(grep -c '<rte>' "$T/map.gpx")" "$nr" "... a route for each line on the map"
run_browser "$T/dom2" --dump-dom "$URL/map"
is "$(grep -o 'data-state="[a-z]*"' "$T/dom2")" 'data-state="login"' \
    "without a token the page asks for one"
run_browser "$T/dom3" --dump-dom "$URL/map#token=rct_wrong"
is "$(grep -o 'data-state="[a-z]*"' "$T/dom3")" 'data-state="login"' \
    "a refused token: asked again"
like "$(cat "$T/dom3")" "token was refused" "... saying so"
run_browser /dev/null --screenshot="$T/map.png" "$URL/map#token=$OPS"
if [ -s "$T/map.png" ]; then
	cp "$T/map.png" "$top_builddir/tests/map-screenshot.png"
	ok 0 "a screenshot in tests/map-screenshot.png"
else
	ok 1 "a screenshot in tests/map-screenshot.png"
	sed 's/^/# /' "$T/chrome.err" | tail -n 5
fi
daemon_stop
done_testing
