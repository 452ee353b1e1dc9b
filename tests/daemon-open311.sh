#!/bin/bash
# daemon-open311.sh -- Open311 GeoReport v2 under /open311/v2/: discovery,
# services and their definitions, the spec's example POST (form-encoded,
# api_key, lat/long, attribute[...]) stored durably like a /v1 pickup, its
# replay, GET requests with the spec's filters, errors in the spec's
# [{code, description}] shape, .xml refused, tenants kept apart, and the
# status and expected_datetime a plan gives.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
demo_city || { echo "Bail out! seeding the demo city failed"; exit 1; }

daemon_start -D auth_cache=0 -D "solver=$SOLVER" -D solve_timeout=20 \
    -D timezone=UTC ||
    { echo "Bail out! recircd did not start"; exit 1; }
OPA=$(token_add council-a operator)
OPB=$(token_add council-b operator)
PLN=$(token_add planner planner)
O=$URL/open311/v2
get() { api_curl "$T/b" "$@"; }
post() { api_curl "$T/b" "$O/requests.json" "$@"; }
body() { cat "$T/b"; }
# an error in the spec's shape: [{"code": N, "description": "..."}]
is_err() {	# is_err HTTP-STATUS WANT-STATUS DESCRIPTION-SUBSTRING NAME
	is "$1" "$2" "$4: $2"
	is "$(jq -r '.[0].code' "$T/b" 2>/dev/null)" "$2" "$4: code in the body"
	like "$(jq -r '.[0].description' "$T/b" 2>/dev/null)" "$3" "$4: says why"
}

# Discovery and services need no key.
is "$(get "$O/discovery.json")" 200 "discovery.json: 200"
is "$(jq -r '.endpoints[0].specification' "$T/b")" \
    http://wiki.open311.org/GeoReport_v2 "... names the spec"
is "$(jq -r '.endpoints[0].url' "$T/b")" "http://127.0.0.1:$PORT/open311/v2" \
    "... and where it is served"
# changeset: a sortable time (the spec's), the daemon's start
jq -r '"\(.changeset) \(.endpoints[0].changeset)"' "$T/b" |
    grep -Eq '^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z) \1$'
ok $? "... changeset is a date-time, the same for its endpoint"
# How to get a key: a command that exists (it named "recircctl tokens add").
like "$(jq -r .key_service "$T/b")" "recircd token add NAME operator" \
    "... and how a key is made"
"$RECIRCD" -h 2>&1 | grep -q "token add OPERATOR ROLE"
ok $? "... with a command recircd has"
is "$(get "$O/services.json")" 200 "services.json: 200"
is "$(jq -r '[.[].service_code] | index("sofa") != null' "$T/b")" true \
    "one service per catalogue category (sofa)"
is "$(jq -r 'length' "$T/b")" 17 "... the built-in catalogue's 17"
is "$(jq -r '.[] | select(.service_code == "washing_machine") |
    "\(.service_name) \(.metadata) \(.type)"' "$T/b")" \
    "Washing machine true realtime" "name, metadata, type"
is "$(get "$O/services/sofa.json")" 200 "services/sofa.json: 200"
is "$(jq -r '[.attributes[].code] | join(",")' "$T/b")" \
    quantity,condition,weight_kg,volume_m3,first_day,last_day,hours \
    "the definition's attributes"
is "$(jq -r '.attributes[] | select(.code == "condition") |
    [.values[].key] | join(",")' "$T/b")" working,repairable,broken,unknown \
    "condition: a single-value list"
is_err "$(get "$O/services/piano.json")" 404 'no service "piano"' \
    "an unknown service"
is_err "$(get "$O/services.xml")" 400 "JSON only" "services.xml"
is_err "$(get "$O/services/sofa.xml")" 400 "JSON only" "services/sofa.xml"
is_err "$(get "$O/nothing/here.json")" 404 "no such resource" "an unknown path"

# The spec's example POST, adapted to the catalogue.
D1=$(date -u -d '+1 day' +%F)
D3=$(date -u -d '+3 day' +%F)
spec_post() {
	post --data-urlencode "api_key=$1" --data-urlencode "service_code=sofa" \
	    --data-urlencode "lat=51.4545" --data-urlencode "long=-2.5879" \
	    --data-urlencode "address_string=1 Broad St, Bristol" \
	    --data-urlencode "email=smit222@sfgov.edu" \
	    --data-urlencode "device_id=tt222111" \
	    --data-urlencode "account_id=123456" \
	    --data-urlencode "first_name=john" --data-urlencode "last_name=smith" \
	    --data-urlencode "phone=111111111" \
	    --data-urlencode "description=A large sofa & a footstool, by the gate" \
	    --data-urlencode "media_url=http://example.org/sofa.jpg" \
	    --data-urlencode "attribute[quantity]=2" \
	    --data-urlencode "attribute[condition]=repairable" \
	    --data-urlencode "attribute[first_day]=$D1" \
	    --data-urlencode "attribute[last_day]=$D3" \
	    --data-urlencode "attribute[hours]=08:00-13:00"
}
is "$(spec_post "$OPA")" 201 "POST requests.json: 201"
ID=$(jq -r '.[0].service_request_id' "$T/b")
like "$(jq -r '.[0].service_notice' "$T/b")" "next plan" "a service notice"
is "$(jq -r '.[0] | has("account_id")' "$T/b")" true "account_id, as the spec shows"
r=$(api GET "/v1/pickups/$ID" "$OPA")
is "$(st "$r")" 200 "the request is a /v1 pickup"
p=$(js "$r")
is "$(jget "$p" '.operator')" council-a "... of the caller"
is "$(jget "$p" '"\(.location.lat) \(.location.lon) \(.location.address)"')" \
    "51.4545 -2.5879 1 Broad St, Bristol" "... at lat/long, with its address"
is "$(jget "$p" '.items[0] | "\(.category) \(.quantity) \(.condition)"')" \
    "sofa 2 repairable" "... the service's category, quantity, condition"
is "$(jget "$p" '"\(.window.from) \(.window.to)"')" "$D1 $D3" \
    "... first_day and last_day as the window"
is "$(jget "$p" '.time_windows[0] | "\(.start)-\(.end)"')" 08:00-13:00 \
    "... hours as a time window"
like "$(jget "$p" .notes)" "A large sofa & a footstool, by the gate" \
    "... the description in the notes"
like "$(jget "$p" .notes)" "Contact: john smith; phone: 111111111; e-mail: smit222@sfgov.edu; photo: http://example.org/sofa.jpg" \
    "... and how to reach the resident"

# The same form again is the same request (a retry, a double click).
is "$(spec_post "$OPA")" 200 "the same form again: 200"
is "$(jq -r '.[0].service_request_id' "$T/b")" "$ID" "... the same request"
is "$(js "$(api GET '/v1/pickups?limit=50' "$OPA")" | jq '.pickups | length')" 1 \
    "... stored once"
# A client's own id is the reference: same id, other details, 409.
is "$(post -d "api_key=$OPA&service_code=chair&lat=51.46&long=-2.6&service_request_id=crm-77")" \
    201 "with the client's service_request_id: 201"
ID2=$(jq -r '.[0].service_request_id' "$T/b")
is "$(js "$(api GET "/v1/pickups/$ID2" "$OPA")" | jq -r .reference)" crm-77 \
    "... kept as the reference"
is_err "$(post -d "api_key=$OPA&service_code=table&lat=51.46&long=-2.6&service_request_id=crm-77")" \
    409 "other details" "the same id with other details"
# Defaults: a window from tomorrow, one item.
is "$(js "$(api GET "/v1/pickups/$ID2" "$OPA")" | jq -r '"\(.window.from) \(.items[0].quantity)"')" \
    "$D1 1" "defaults: from tomorrow, one item"

# Errors, in the spec's shape.
is_err "$(post -d "service_code=sofa&lat=51.46&long=-2.6")" 401 "api_key" "no api_key"
is_err "$(post -d "api_key=nonsense&service_code=sofa&lat=51.46&long=-2.6")" 401 \
    "invalid api_key" "a wrong api_key"
is_err "$(post -d "api_key=$PLN&service_code=sofa&lat=51.46&long=-2.6")" 403 \
    "may not" "a planner's key"
is_err "$(post -d "api_key=$OPA&service_code=sofa&address_string=1+Broad+St")" 400 \
    "does not geocode" "an address_string alone"
is_err "$(post -d "api_key=$OPA&service_code=piano&lat=51.46&long=-2.6")" 400 \
    'no service "piano"' "an unknown service_code"
is_err "$(post -d "api_key=$OPA&lat=51.46&long=-2.6")" 400 "service_code is required" \
    "no service_code"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=151.46&long=-2.6")" 400 \
    "location.lat" "a latitude out of range"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=north&long=-2.6")" 400 \
    "decimal degrees" "a latitude that is not a number"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&attribute%5Bcolour%5D=red")" \
    400 'unknown attribute "colour"' "an attribute no service defines"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&attribute[condition]=soggy")" \
    400 "condition" "a condition not in the list"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&attribute[hours]=8-12")" \
    400 "HH:MM-HH:MM" "hours in another form"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&lat=51.5")" 400 \
    "given twice" "a field given twice"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&colour=red")" 400 \
    'unknown field "colour"' "a field the spec does not have"
is_err "$(post -d "api_key=$OPA&service_code=sofa%ZZ&lat=51.46&long=-2.6")" 400 \
    "malformed" "a broken % escape"
is_err "$(post -d "api_key=$OPA&service_code=sofa&lat=51.46&long=-2.6&description=a%00b")" \
    400 "NUL" "a NUL byte"
is_err "$(post -H 'Content-Type: application/json' -d '{"service_code":"sofa"}')" 415 \
    "x-www-form-urlencoded" "a JSON body"
is_err "$(get -X POST "$O/requests.xml" -d "api_key=$OPA")" 400 "JSON only" \
    "POST requests.xml"
is "$(js "$(api GET '/v1/pickups?limit=50' "$OPA")" | jq '.pickups | length')" 2 \
    "nothing stored from the refused requests"

# Reading requests back, with the spec's filters.
is "$(get "$O/requests.json")" 401 "GET requests.json needs an api_key"
is "$(get "$O/requests.json?api_key=$OPA")" 200 "GET requests.json: 200"
is "$(jq -r '[.[].service_request_id] | join(",")' "$T/b")" "$ID,$ID2" \
    "the caller's requests, oldest first"
is "$(jq -r '.[0] | "\(.status) \(.service_code) \(.lat) \(.long) \(.address)"' "$T/b")" \
    "open sofa 51.4545 -2.5879 1 Broad St, Bristol" "status, service, place"
like "$(jq -r '.[0].requested_datetime' "$T/b")" "$(date -u +%Y-)" "requested_datetime"
is "$(jq -r '.[0].expected_datetime' "$T/b")" null "no expected_datetime before a plan"
is "$(get "$O/requests.json?api_key=$OPA&service_code=chair")" 200 "filter by service_code"
is "$(jq -r '[.[].service_request_id] | join(",")' "$T/b")" "$ID2" "... only chairs"
get "$O/requests.json?api_key=$OPA&service_request_id=$ID2,$ID&service_code=chair" >/dev/null
is "$(jq -r '[.[].service_request_id] | join(",")' "$T/b")" "$ID2,$ID" \
    "service_request_id overrides the other filters"
get "$O/requests.json?api_key=$OPA&status=closed" >/dev/null
is "$(jq -r 'length' "$T/b")" 0 "status=closed: none yet"
get "$O/requests.json?api_key=$OPA&status=open,closed" >/dev/null
is "$(jq -r 'length' "$T/b")" 2 "status=open,closed: both"
is_err "$(get "$O/requests.json?api_key=$OPA&status=pending")" 400 "open, closed" \
    "an unknown status"
get "$O/requests.json?api_key=$OPA&start_date=$(date -u -d '+1 day' +%FT00:00:00Z)" >/dev/null
is "$(jq -r 'length' "$T/b")" 0 "start_date tomorrow: none"
get "$O/requests.json?api_key=$OPA&start_date=$(date -u -d '-1 day' +%FT00:00:00)%2B02:00&end_date=$(date -u -d '+1 day' +%F)" >/dev/null
is "$(jq -r 'length' "$T/b")" 2 "start_date with an offset, end_date as a date"
is_err "$(get "$O/requests.json?api_key=$OPA&end_date=yesterday")" 400 "W3C" \
    "a date that is not one"
# Tenants are kept apart.
get "$O/requests.json?api_key=$OPB" >/dev/null
is "$(jq -r 'length' "$T/b")" 0 "another council sees none of them"
is_err "$(get "$O/requests/$ID.json?api_key=$OPB")" 404 "no service request" \
    "... nor one by its id"
get "$O/requests.json?api_key=$OPB&service_request_id=$ID" >/dev/null
is "$(jq -r 'length' "$T/b")" 0 "... nor by service_request_id"
is "$(get -H "Authorization: Bearer $PLN" "$O/requests/$ID.json")" 200 \
    "staff see every council's (a Bearer header works too)"
is_err "$(get "$O/requests/$ID.xml?api_key=$OPA")" 400 "JSON only" "requests/ID.xml"

# A plan gives the request its day: expected_datetime and status_notes.
r=$(api POST /v1/plans "$PLN" '{}')
PLAN=$(jget "$(js "$r")" .id)
is "$(jget "$(wait_plan "$PLAN" "$PLN")" .state)" done "a plan runs"
is "$(get "$O/requests/$ID.json?api_key=$OPA")" 200 "requests/ID.json: 200"
is "$(jq -r 'length' "$T/b")" 1 "... an array of one, as the spec"
day=$(js "$(api GET "/v1/pickups/$ID" "$OPA")" | jq -r '.schedule.day')
eta=$(js "$(api GET "/v1/pickups/$ID" "$OPA")" | jq -r '.schedule.eta')
is "$(jq -r '.[0].expected_datetime' "$T/b")" "${day}T${eta}:00+00:00" \
    "expected_datetime is the plan's day and ETA (timezone UTC)"
is "$(jq -r '.[0].status_notes' "$T/b")" "collection planned for $day, around $eta" \
    "status_notes say so"
# Cancelled through /v1: closed.
api POST "/v1/pickups/$ID2/cancel" "$OPA" '{}' >/dev/null
get "$O/requests/$ID2.json?api_key=$OPA" >/dev/null
is "$(jq -r '.[0] | "\(.status) \(.status_notes)"' "$T/b")" "closed cancelled" \
    "a cancelled pickup is closed"

# Durable: after a SIGKILL the acknowledged requests are there.
daemon_stop KILL
daemon_start -D auth_cache=0 || { echo "Bail out! restart failed"; exit 1; }
O=$URL/open311/v2
get "$O/requests.json?api_key=$OPA&status=open,closed" >/dev/null
is "$(jq -r '[.[].service_request_id] | join(",")' "$T/b")" "$ID,$ID2" \
    "both requests survive a SIGKILL"
daemon_stop
done_testing
