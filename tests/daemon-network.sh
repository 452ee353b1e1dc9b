#!/bin/bash
# daemon-network.sh -- the network endpoints (/v1/centres, /v1/fleet,
# /v1/processors, /v1/rules) over HTTP: create, read, replace, delete,
# roles, validation errors as JSON, references between vehicle types and
# centres, rules keyed by category/condition/stream; and "recircd seed".
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

db_default
"$RECIRCD" -D "database=$DB" seed "$top_srcdir/etc/network-seed.json" 2>"$T/seed.err"
ok $? "seed loads the sample network-seed.json"
like "$(cat "$T/seed.err")" "seeded 1 centres, 1 vehicle types" "seed reports what it loaded"
"$RECIRCD" -D "database=$DB" seed "$top_srcdir/data/demo-network.json" 2>/dev/null
ok $? "seed loads the demo city"
printf '{"centres":[{"id":"x","lat":99,"lon":0}]}' > "$T/bad.json"
"$RECIRCD" -D "database=$DB" seed "$T/bad.json" 2>"$T/seed.err"
ok $((! $?)) "a bad seed is refused"
like "$(cat "$T/seed.err")" "centres[0].lat" "the error names the member"

daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
ADM=$(token_add city admin)
OPS=$(token_add ops-desk ops)
OPR=$(token_add council-a operator)

r=$(api GET /v1/centres "$OPS")
is "$(st "$r")" 200 "ops lists centres"
is "$(jget "$(js "$r")" '.centres | length')" 6 "seeded centres listed"
is "$(st "$(api GET /v1/centres "$OPR")")" 403 "an operator may not read the network"

C='{"id":"north","name":"North yard","lat":51.52,"lon":-2.6,"fixed_cost":100,"capacity_kg":{"reuse":500,"recycle":900},"opening_hours":{"opens":"08:00","closes":"16:00"}}'
is "$(st "$(api POST /v1/centres "$OPS" "$C")")" 403 "ops may not create a centre"
r=$(api POST /v1/centres "$ADM" "$C")
is "$(st "$r")" 201 "admin creates a centre"
is "$(jget "$(js "$r")" .capacity_kg.reuse)" 500 "capacity kept"
is "$(jget "$(js "$r")" .existing)" false "candidate by default"
r=$(api POST /v1/centres "$ADM" "$C")
is "$(st "$r")" 409 "creating it again is a conflict"
is "$(jget "$(js "$r")" .error.code)" conflict "conflict code"
r=$(api GET /v1/centres/north "$OPS")
is "$(jget "$(js "$r")" .opening_hours.closes)" 16:00 "read back"
r=$(api PUT /v1/centres/north "$ADM" '{"lat":51.52,"lon":-2.6,"existing":true}')
is "$(st "$r")" 200 "replace a centre"
is "$(jget "$(js "$r")" .existing)" true "replacement kept"
is "$(st "$(api PUT /v1/centres/nowhere "$ADM" '{"lat":1,"lon":1}')")" 404 "replace a missing centre: 404"
r=$(api PUT /v1/centres/north "$ADM" '{"id":"south","lat":1,"lon":1}')
is "$(jget "$(js "$r")" .error.field)" id "id must match the path"

bad() {	# bad COLLECTION BODY CODE FIELD DESCRIPTION: POST refused
	r=$(api POST "$1" "$ADM" "$2")
	is "$(st "$r") $(jget "$(js "$r")" .error.code) $(jget "$(js "$r")" '.error.field // ""')" \
	    "$3 $4" "$5"
}
bad /v1/centres '[1]' "400 wrong_type" "" "not an object"
bad /v1/centres '{"id":"a b","lat":1,"lon":1}' "422 invalid_value" id "bad id"
bad /v1/centres '{"id":"a","lon":1}' "422 missing_field" lat "missing lat"
bad /v1/centres '{"id":"a","lat":91,"lon":1}' "422 out_of_range" lat "lat out of range"
bad /v1/centres '{"id":"a","lat":1,"lon":1,"colour":"red"}' "422 unknown_field" colour "unknown member"
bad /v1/centres '{"id":"a","lat":1,"lon":1,"capacity_kg":{"compost":1}}' "422 unknown_field" capacity_kg "unknown stream"
bad /v1/centres '{"id":"a","lat":1,"lon":1,"capacity_kg":{"reuse":-1}}' "422 out_of_range" capacity_kg.reuse "negative capacity"
bad /v1/centres '{"id":"a","lat":1,"lon":1,"opening_hours":{"opens":"18:00","closes":"08:00"}}' "422 invalid_window" opening_hours "hours backwards"
bad /v1/centres '{"id":"a","lat":1,"lon":1' "400 invalid_json" "" "malformed JSON"

V='{"id":"north-van","centre":"north","count":2,"capacity":{"kg":900,"m3":10,"items":30},"cost_per_km":0.4,"skills":["tail_lift"]}'
r=$(api POST /v1/fleet "$ADM" "$V")
is "$(st "$r")" 201 "admin adds a vehicle type"
is "$(jget "$(js "$r")" .skills[0])" tail_lift "skills kept"
is "$(jget "$(js "$r")" .shift_min)" 480 "shift defaults to 480 min"
r=$(api POST /v1/fleet "$ADM" '{"id":"ghost","centre":"atlantis","capacity":{"kg":1,"m3":1}}')
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "422 unknown_centre" "a vehicle type needs a known centre"
r=$(api POST /v1/fleet "$ADM" '{"id":"v2","centre":"north","capacity":{"kg":0,"m3":1}}')
is "$(jget "$(js "$r")" .error.field)" capacity.kg "capacity errors name the member"
r=$(api DELETE /v1/centres/north "$ADM")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 invalid_state" "a centre with vehicles cannot go"
is "$(st "$(api DELETE /v1/fleet/north-van "$ADM")")" 200 "delete the vehicle type"
is "$(st "$(api DELETE /v1/centres/north "$ADM")")" 200 "then the centre"
is "$(st "$(api GET /v1/centres/north "$ADM")")" 404 "gone"
r=$(api GET /v1/fleet "$OPS")
is "$(jget "$(js "$r")" '.fleet | length')" 8 "fleet listed"
is "$(st "$(api PATCH /v1/fleet "$ADM" '{}')")" 405 "PATCH is not allowed"

# Processors: keyed by id, like centres.
PLN=$(token_add planning planner)
r=$(api GET /v1/processors "$PLN")
is "$(st "$r") $(jget "$(js "$r")" '.processors | length')" "200 8" \
    "a planner lists the seeded processors"
is "$(st "$(api GET /v1/processors "$OPR")")" 403 "an operator may not read processors"
P='{"id":"textile-bank","stream":"reuse","cost_per_kg":0.01}'
is "$(st "$(api POST /v1/processors "$PLN" "$P")")" 403 "a planner may not create a processor"
r=$(api POST /v1/processors "$ADM" "$P")
is "$(st "$r") $(jget "$(js "$r")" .name)" "201 textile-bank" "admin creates a processor; name defaults to the id"
r=$(api POST /v1/processors "$ADM" "$P")
is "$(st "$r") $(jget "$(js "$r")" .error.code) $(jget "$(js "$r")" .error.field)" \
    "409 conflict id" "a second processor with the id is a conflict"
r=$(api PUT /v1/processors/textile-bank "$ADM" '{"stream":"recycle","name":"Textile bank","cost_per_kg":-0.02}')
is "$(st "$r")" 200 "replace a processor"
r=$(api GET /v1/processors/textile-bank "$OPS")
is "$(jget "$(js "$r")" '[.stream, .name, .cost_per_kg] | join(",")')" \
    "recycle,Textile bank,-0.02" "the replacement is read back"
r=$(api PUT /v1/processors/nowhere "$ADM" '{"stream":"reuse","cost_per_kg":1}')
is "$(st "$r") $(jget "$(js "$r")" .error.message)" "404 no processor nowhere" \
    "replace a missing processor: 404"
bad /v1/processors '["mrf"]' "400 wrong_type" "" "a processor must be an object"
bad /v1/processors '{"id":"p1","stream":"compost","cost_per_kg":1}' "422 invalid_value" stream "unknown stream"
bad /v1/processors '{"id":"p1","stream":"reuse"}' "422 missing_field" cost_per_kg "cost_per_kg is required"
bad /v1/processors '{"id":"p/1","stream":"reuse","cost_per_kg":1}' "422 invalid_value" id "bad processor id"
r=$(api PUT /v1/processors/textile-bank "$ADM" '{"id":"other","stream":"reuse","cost_per_kg":1}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 id" "a processor's id must match the path"
r=$(api DELETE /v1/processors/textile-bank "$ADM")
is "$(st "$r") $(jget "$(js "$r")" .deleted)" "200 textile-bank" "delete a processor"
is "$(st "$(api DELETE /v1/processors/textile-bank "$ADM")")" 404 "deleting it again: 404"
is "$(st "$(api GET /v1/processors/textile-bank "$ADM")")" 404 "the processor is gone"
is "$(st "$(api DELETE /v1/processors/mrf "$OPS")")" 403 "ops may not delete a processor"

# Rules: keyed by category/condition/stream, '*' for any.
r=$(api GET /v1/rules "$OPS")
is "$(st "$r") $(jget "$(js "$r")" '.rules | map(.category + "/" + .condition + "/" + .stream) | join(" ")')" \
    "200 mattress/*/recycle" "the seeded rule is listed once (both seeds hold it)"
R='{"category":"sofa","condition":"broken","stream":"recycle","value":0.04}'
is "$(st "$(api POST /v1/rules "$PLN" "$R")")" 403 "a planner may not create a rule"
r=$(api POST /v1/rules "$ADM" "$R")
is "$(st "$r") $(jget "$(js "$r")" .value)" "201 0.04" "admin creates a rule"
r=$(api POST /v1/rules "$ADM" "$R")
is "$(st "$r") $(jget "$(js "$r")" .error.code)" "409 conflict" "the same rule again is a conflict"
like "$(jget "$(js "$r")" .error.message)" "PUT /v1/rules/sofa/broken/recycle" "the conflict says where to PUT"
r=$(api GET /v1/rules/sofa/broken/recycle "$OPS")
is "$(st "$r") $(jget "$(js "$r")" .value)" "200 0.04" "read a rule by its key"
r=$(api PUT /v1/rules/sofa/broken/recycle "$ADM" '{"value":0.07}')
is "$(st "$r") $(jget "$(js "$r")" '[.category, .condition, .stream, .value] | join(",")')" \
    "200 sofa,broken,recycle,0.07" "replace a rule's value; its key comes from the path"
is "$(jget "$(js "$(api GET /v1/rules/sofa/broken/recycle "$OPS")")" .value)" 0.07 "the new value is read back"
r=$(api PUT /v1/rules/sofa/broken/recycle "$ADM" '{"category":"chair","value":1}')
is "$(st "$r") $(jget "$(js "$r")" .error.field)" "422 category" "a body key member must match the path"
is "$(st "$(api PUT /v1/rules/sofa/working/recycle "$ADM" '{"value":1}')")" 404 "replace a missing rule: 404"
is "$(st "$(api PUT /v1/rules/sofa/broken/compost "$ADM" '{"value":1}')")" 422 "a path with an unknown stream: 422"
bad /v1/rules '{"category":"sofas","condition":"broken","stream":"reuse","value":1}' \
    "422 unknown_category" category "a category the catalogue does not know"
bad /v1/rules '{"category":"Sofa!","stream":"reuse","value":1}' "422 invalid_value" category "a malformed category"
bad /v1/rules '{"category":"sofa","condition":"shiny","stream":"reuse","value":1}' \
    "422 unknown_condition" condition "an unknown condition"
bad /v1/rules '{"category":"sofa","stream":"reuse"}' "422 missing_field" value "value is required"
bad /v1/rules '{"category":"sofa","stream":"reuse","value":1,"note":"x"}' "422 unknown_field" note "an unknown member"
bad /v1/rules '[]' "400 wrong_type" "" "a rule must be an object"
r=$(api POST /v1/rules "$ADM" '{"condition":"broken","stream":"dispose","value":-0.1}')
is "$(st "$r") $(jget "$(js "$r")" .category)" "201 *" "category defaults to any"
is "$(jget "$(js "$(api GET '/v1/rules/*/broken/dispose' "$OPS")")" .value)" -0.1 "'*' in the path"
is "$(jget "$(js "$(api GET '/v1/rules/%2A/broken/dispose' "$OPS")")" .value)" -0.1 "'*' escaped in the path"
r=$(api GET /v1/rules "$OPS")
is "$(jget "$(js "$r")" '.rules | map(.category + "/" + .condition + "/" + .stream) | join(" ")')" \
    "sofa/broken/recycle mattress/*/recycle */broken/dispose" \
    "rules listed a named category first, as the planner tries them"
is "$(st "$(api GET /v1/rules/sofa/broken "$OPS")")" 404 "a partial key is no resource"
is "$(st "$(api DELETE /v1/rules/sofa/broken/recycle "$OPS")")" 403 "ops may not delete a rule"
r=$(api DELETE /v1/rules/sofa/broken/recycle "$ADM")
is "$(st "$r") $(jget "$(js "$r")" .deleted)" "200 sofa/broken/recycle" "delete a rule"
r=$(api DELETE /v1/rules/sofa/broken/recycle "$ADM")
is "$(st "$r") $(jget "$(js "$r")" .error.message)" "404 no rule sofa/broken/recycle" "deleting it again: 404"
is "$(jget "$(js "$(api GET /v1/rules "$OPS")")" '.rules | length')" 2 "two rules left"

# --- safe concurrent writes: ETag and If-Match ---------------------------
etag_of() {	# etag_of PATH: the ETag header of a GET
	curl -s -D - -o "$T/etag-body" -H "Authorization: Bearer $OPS" "$URL$1" |
	    tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}
put_if() {	# put_if TAG PATH BODY: the status of a conditional PUT
	api_curl "$T/body" -X PUT -H "If-Match: $1" \
	    -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' \
	    --data-binary "$3" "$URL$2"
}
C=$(printf '%s' "$C" | sed 's/"id":"north"/"id":"etag-yard"/')
is "$(st "$(api POST /v1/centres "$ADM" "$C")")" 201 "a centre for the ETag checks"
E1=$(etag_of /v1/centres/etag-yard)
like "$E1" '"' "GET of a centre has an ETag"
is "$(jq -r .etag "$T/etag-body")" "$E1" "... and the body the same etag"
is "$(jget "$(js "$(api GET /v1/centres "$OPS")")" '.centres[] | select(.id=="etag-yard") | .etag')" \
    "$E1" "the list carries each object's etag"
is "$(etag_of /v1/centres/etag-yard)" "$E1" "the ETag is stable while nothing changes"
C2=$(printf '%s' "$C" | sed 's/"fixed_cost":100/"fixed_cost":150/')
is "$(put_if "$E1" /v1/centres/etag-yard "$C2")" 200 "a PUT with the current ETag is applied"
E2=$(etag_of /v1/centres/etag-yard)
ok $([ -n "$E2" ] && [ "$E2" != "$E1" ] && echo 0 || echo 1) "... and the ETag changes"
C3=$(printf '%s' "$C" | sed 's/"fixed_cost":100/"fixed_cost":175/')
is "$(put_if "$E1" /v1/centres/etag-yard "$C3")" 412 "a second writer with the old ETag: 412"
is "$(jq -r .error.code "$T/body")" precondition_failed "... precondition_failed"
like "$(jq -r .error.message "$T/body")" "$E2" "... naming the current ETag"
is "$(jget "$(js "$(api GET /v1/centres/etag-yard "$OPS")")" .fixed_cost)" 150 \
    "the first writer's change stands"
stale=$(printf '%s' "$C3" | jq -c --arg e "$E1" '. + {etag: $e}')
r=$(api PUT /v1/centres/etag-yard "$ADM" "$stale")
is "$(st "$r")" 412 "a stale etag in the body (the edited GET) is refused too"
is "$(put_if '*' /v1/centres/etag-yard "$C3")" 200 "If-Match: * applies to an existing object"
E3=$(etag_of /v1/centres/etag-yard)
# Two admins read the same version and write at once: exactly one wins.
racers=
for i in 1 2; do
	body=$(printf '%s' "$C" | sed "s/\"fixed_cost\":100/\"fixed_cost\":20$i/")
	curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H "If-Match: $E3" \
	    -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' \
	    --data-binary "$body" "$URL/v1/centres/etag-yard" > "$T/race.$i" &
	racers="$racers $!"
done
wait $racers
is "$(cat "$T/race.1" "$T/race.2" | sort | tr '\n' ' ')" "200 412 " \
    "two writers of one version at once: one 200, one 412"
got=$(jget "$(js "$(api GET /v1/centres/etag-yard "$OPS")")" .fixed_cost)
want=$(grep -l 200 "$T/race.1" "$T/race.2" | sed 's/.*race\.//')
is "$got" "20$want" "the stored centre is the winner's"
r=$(api_curl "$T/body" -X DELETE -H "If-Match: $E1" \
    -H "Authorization: Bearer $ADM" "$URL/v1/centres/etag-yard")
is "$r" 412 "a DELETE with a stale ETag: 412"
is "$(st "$(api GET /v1/centres/etag-yard "$OPS")")" 200 "... and nothing was deleted"
is "$(put_if '"nope"' /v1/centres/ghost "$(printf '%s' "$C" | sed 's/"id":"etag-yard"/"id":"ghost"/')")" 412 \
    "If-Match on an object that does not exist: 412"

daemon_stop
done_testing
