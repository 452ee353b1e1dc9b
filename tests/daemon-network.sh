#!/bin/bash
# daemon-network.sh -- the network endpoints (/v1/centres, /v1/fleet) over
# HTTP: create, read, replace, delete, roles, validation errors as JSON,
# references between vehicle types and centres; and "recircd seed".
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

DB=$T/recircd.db
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
st() { printf '%s' "$1" | cut -d' ' -f1; }
js() { printf '%s' "$1" | cut -d' ' -f2-; }

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

bad() {	# bad BODY CODE FIELD DESCRIPTION
	r=$(api POST /v1/centres "$ADM" "$1")
	is "$(st "$r") $(jget "$(js "$r")" .error.code) $(jget "$(js "$r")" '.error.field // ""')" \
	    "$2 $3" "$4"
}
bad '[1]' "400 wrong_type" "" "not an object"
bad '{"id":"a b","lat":1,"lon":1}' "422 invalid_value" id "bad id"
bad '{"id":"a","lon":1}' "422 missing_field" lat "missing lat"
bad '{"id":"a","lat":91,"lon":1}' "422 out_of_range" lat "lat out of range"
bad '{"id":"a","lat":1,"lon":1,"colour":"red"}' "422 unknown_field" colour "unknown member"
bad '{"id":"a","lat":1,"lon":1,"capacity_kg":{"compost":1}}' "422 unknown_field" capacity_kg "unknown stream"
bad '{"id":"a","lat":1,"lon":1,"capacity_kg":{"reuse":-1}}' "422 out_of_range" capacity_kg.reuse "negative capacity"
bad '{"id":"a","lat":1,"lon":1,"opening_hours":{"opens":"18:00","closes":"08:00"}}' "422 invalid_window" opening_hours "hours backwards"
bad '{"id":"a","lat":1,"lon":1' "400 invalid_json" "" "malformed JSON"

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

daemon_stop
done_testing
