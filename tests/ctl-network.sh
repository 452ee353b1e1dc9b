#!/bin/sh
# ctl-network.sh -- recircctl's network commands against a real recircd:
# processors and rules list and show; add, set and rm of centres, fleet,
# processors and rules from a file, standard input or KEY=VALUE operands,
# each change read back through the server; "set ID KEY=VALUE" keeps the
# members it does not name, "set ID FILE" replaces; exit 1 with the
# server's message when it refuses (conflict, unknown, role, references),
# 2 for bad command lines and input, 3 without a server; --json.
. "$top_srcdir/tests/lib.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"

ctl_env
field() {	# field JQ ARGS...: "recircctl -j ARGS" through jq
	_f=$1
	shift
	"$CTL" -j "$@" 2>/dev/null | jq -r "$_f"
}

db_default
"$RECIRCD" -D "database=$DB" seed "$top_srcdir/data/demo-network.json" \
    2>/dev/null
ok $? "seed the demo city"
daemon_start || { echo "Bail out! recircd did not start"; exit 1; }
token_add city admin >"$T/tok-adm" && token_add ops-desk ops >"$T/tok-ops"
ok $? "tokens for an admin and ops"
chmod 600 "$T"/tok-*
ADM="-u $URL -t $T/tok-adm"
OPS="-u $URL -t $T/tok-ops"

# --- processors
run $OPS processors list
is "$rc" 0 "processors list"
is "$(grep -c -E ' (repair|reuse|recycle|dispose) ' "$T/out")" 4 "four processors, one a line"
has "$T/out" "Avonmouth MRF" "with their names"
is "$(field '.processors | length' $OPS processors list)" 4 "processors list --json"
run $OPS processors show repair-coop
is "$rc" 0 "processors show"
has "$T/out" "Bristol repair cooperative" "shows the name"
run $OPS processors show no-such
is "$rc" 1 "processors show of an unknown one: exit 1"
has "$T/err" "no processor no-such" "with the server's message"

printf '{"id":"textile-bank","stream":"reuse","name":"Textile bank","cost_per_kg":0.01}\n' >"$T/p.json"
run $ADM processors add "$T/p.json"
is "$rc" 0 "processors add FILE"
has "$T/out" "processor textile-bank created" "says what it created"
is "$(field .name $OPS processors show textile-bank)" "Textile bank" "the new processor is read back"
run $ADM processors add "$T/p.json"
is "$rc" 1 "adding it again: exit 1"
has "$T/err" "exists" "the server says it exists"
run $OPS processors add "$T/p.json"
is "$rc" 1 "ops may not add a processor: exit 1"
has "$T/err" "HTTP 403" "forbidden"

run $ADM processors add id=glass stream=recycle cost_per_kg=-0.01 name="Glass bank"
is "$rc" 0 "processors add KEY=VALUE ..."
is "$(field '[.stream, .cost_per_kg] | join(" ")' $OPS processors show glass)" \
    "recycle -0.01" "numbers go as numbers"
run $ADM processors set glass cost_per_kg=0.02
is "$rc" 0 "processors set ID KEY=VALUE"
has "$T/out" "processor glass updated" "says what it updated"
is "$(field '[.name, .stream, .cost_per_kg] | join(",")' $OPS processors show glass)" \
    "Glass bank,recycle,0.02" "set KEY=VALUE changes that member and keeps the rest"
printf '{"stream":"dispose","cost_per_kg":0.2}' | $CTL $ADM processors set glass - >/dev/null 2>&1
ok $? "processors set ID - (standard input)"
is "$(field '[.name, .stream] | join(",")' $OPS processors show glass)" \
    "glass,dispose" "set FILE replaces the whole object"
run $ADM processors rm glass
is "$rc" 0 "processors rm"
has "$T/out" "processor glass deleted" "says what it deleted"
run $OPS processors show glass
is "$rc" 1 "the processor is gone"
run $ADM processors rm glass
is "$rc" 1 "removing it again: exit 1"
run $ADM processors set glass cost_per_kg=1
is "$rc" 1 "setting a missing one: exit 1"
has "$T/err" "no processor glass" "with the server's message"
is "$(field .id $ADM processors add id=tin stream=recycle cost_per_kg=0.5)" tin \
    "add --json prints the server's object"

# --- rules
printf '{"category":"sofa","condition":"broken","stream":"recycle","value":0.04}' |
    $CTL $ADM rules add - >"$T/out" 2>"$T/err"
is "$?" 0 "rules add - (standard input)"
has "$T/out" "rule sofa/broken/recycle created" "a rule is named by its key"
run $OPS rules list
is "$rc" 0 "rules list"
is "$(grep -c -E '^(sofa|mattress) ' "$T/out")" 2 "lists the seeded rule and the new one"
run $OPS rules show sofa/broken/recycle
is "$rc" 0 "rules show KEY"
has "$T/out" "0.04" "shows the value"
run $ADM rules set sofa/broken/recycle value=0.07
is "$rc" 0 "rules set KEY value=..."
is "$(field .value $OPS rules show sofa/broken/recycle)" 0.07 "the new value is read back"
run $ADM rules add 'category=*' condition=broken stream=dispose value=-0.1
is "$rc" 0 "a rule for any category"
has "$T/out" "rule */broken/dispose created" "named with *"
is "$(field .value $OPS rules show '*/broken/dispose')" -0.1 "'*' in a key reaches the server"
run $ADM rules add category=sofas stream=reuse value=1
is "$rc" 1 "a category the catalogue lacks: exit 1"
has "$T/err" "not in the catalogue" "with the server's message"
run $ADM rules rm sofa/broken/recycle
is "$rc" 0 "rules rm KEY"
run $OPS rules show sofa/broken/recycle
is "$rc" 1 "the rule is gone"

# --- centres and fleet
run $ADM centres add id=north lat=51.52 lon=-2.6 capacity_kg.reuse=500 \
    opening_hours.opens=07:00
is "$rc" 0 "centres add with dotted keys"
is "$(field '[.capacity_kg.reuse, .opening_hours.opens, .existing] | join(",")' $OPS centres show north)" \
    "500,07:00,false" "nested members built from dotted keys"
run $ADM centres set north existing=true name="North yard"
is "$rc" 0 "centres set ID KEY=VALUE"
is "$(field '[.name, .existing, .capacity_kg.reuse] | join(",")' $OPS centres show north)" \
    "North yard,true,500" "changed members, the others kept"
printf '{"id":"north-van","centre":"north","count":2,"capacity":{"kg":900,"m3":10}}' >"$T/v.json"
run $ADM fleet add "$T/v.json"
is "$rc" 0 "fleet add FILE"
run $ADM fleet set north-van count=3 'skills=["tail_lift"]'
is "$rc" 0 "fleet set ID KEY=VALUE with a JSON array"
is "$(field '[.count, .capacity.kg, .skills[0]] | join(",")' $OPS fleet show north-van)" \
    "3,900,tail_lift" "count and skills changed, capacity kept"
run $ADM fleet add id=ghost centre=atlantis capacity.kg=1 capacity.m3=1
is "$rc" 1 "a vehicle type at an unknown centre: exit 1"
has "$T/err" "no centre atlantis" "with the server's message"
run $ADM centres rm north
is "$rc" 1 "a centre with vehicles cannot go: exit 1"
has "$T/err" "still has vehicle types" "with the server's reason"
run $ADM fleet rm north-van
is "$rc" 0 "fleet rm"
run $ADM centres rm north
is "$rc" 0 "then centres rm"
run $OPS centres show north
is "$rc" 1 "the centre is gone"

# --- usage and input errors: exit 2, nothing sent
for args in "processors add" "processors set glass" "processors rm" \
    "processors rm a b" "rules show" "processors list extra" \
    "processors add $T/p.json $T/p.json" "rules set a/b/c value=1 $T/p.json" \
    "processors add .x=1" "processors add /nonexistent.json"; do
	# shellcheck disable=SC2086
	run $ADM $args
	is "$rc" 2 "recircctl $args: exit 2"
done
printf '{"id":' >"$T/bad.json"
run $ADM processors add "$T/bad.json"
is "$rc" 2 "a file that is not JSON: exit 2"
has "$T/err" "bad.json:1:" "the message names the file and line"
printf '[{"id":"a"}]' >"$T/arr.json"
run $ADM processors add "$T/arr.json"
is "$rc" 2 "a file that is not an object: exit 2"
has "$T/err" "not a JSON object" "says so"
is "$(field '.processors | length' $OPS processors list)" 6 \
    "no bad command added anything"
run -u http://127.0.0.1:1 -t "$T/tok-adm" processors add "$T/p.json"
is "$rc" 3 "no server: exit 3"

# --- set is safe against a concurrent writer
run $ADM -j centres show hengrove
jq '.name = "Hengrove (old copy)"' "$T/out" > "$T/stale.json"
run $ADM centres set hengrove name="Hengrove, renamed"
is "$rc" 0 "set KEY=VALUE reads, changes and writes with If-Match"
run $ADM centres set hengrove "$T/stale.json"
is "$rc" 1 "set FILE from an older show --json: refused (exit 1)"
has "$T/err" "changed by someone else" "... saying someone else changed it"
has "$T/err" "show hengrove" "... and how to re-read it"
is "$(field .name $OPS centres show hengrove)" "Hengrove, renamed" \
    "the newer change stands"
daemon_stop
done_testing
