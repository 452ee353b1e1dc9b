# tests/lib.sh -- shared helpers for the shell tests (TAP output).
#
# Source it from a test; it sets $T (a temporary directory) and removes it,
# and stops every daemon started with daemon_start, on exit.  The harness
# exports top_srcdir and top_builddir (absolute).
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
RECIRCD=$top_builddir/recircd
T=$(mktemp -d "${TMPDIR:-/tmp}/recirc-test.XXXXXX")
# What the daemons and solvers a test starts leave in TMPDIR (a killed
# daemon's problem file) goes with $T.
TMPDIR=$T
export TMPDIR
# Every reply api() and api_curl get is recorded in this directory, a file
# each (calls may run at once: join <(api ...) <(api ...)), and
# done_testing checks them against the OpenAPI document
# (tests/openapi-check.py).
API_LOG=$T/api
tap_n=0
tap_fail=0
DAEMON_PIDS=

lib_cleanup() {
	for p in $DAEMON_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $DAEMON_PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "${RECIRC_PG:-}" ] && db_drop_all
	[ -n "${KEEP_TMP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

ok() {	# ok EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"
	else echo "not ok $tap_n - $2"; tap_fail=$((tap_fail + 1)); fi
}
is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"
	else ok 1 "$3"; echo "#   got '$1', want '$2'"; fi
}
like() {	# like GOT SUBSTRING DESCRIPTION
	case "$1" in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; echo "#   '$1' does not contain '$2'" ;;
	esac
}
unlike() {	# unlike GOT SUBSTRING DESCRIPTION
	case "$1" in
	*"$2"*) ok 1 "$3"; echo "#   '$1' contains '$2'" ;;
	*) ok 0 "$3" ;;
	esac
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
# api_contract: the replies api() recorded, checked against
# doc/openapi.json by tests/openapi-check.py: one assertion, with the
# replies that do not match as diagnostics.  Nothing when there were none,
# or without Python's jsonschema (Debian: python3-jsonschema).
api_contract() {
	[ -d "$API_LOG" ] || return 0
	cat "$API_LOG"/* > "$T/api.jsonl" 2>/dev/null
	[ -s "$T/api.jsonl" ] || return 0
	_py=
	for _p in /usr/bin/python3 python3; do
		"$_p" -c 'import jsonschema' 2>/dev/null && { _py=$_p; break; }
	done
	if [ -z "$_py" ]; then
		echo "# the replies were not checked against doc/openapi.json: no python3-jsonschema"
		return 0
	fi
	"$_py" "$top_srcdir/tests/openapi-check.py" \
	    "$top_srcdir/doc/openapi.json" "$T/api.jsonl" > "$T/contract" 2>&1
	_n=$(grep -c '^PASS' "$T/contract")
	_bad=$(grep -vc '^PASS' "$T/contract")
	ok "$_bad" "the replies match doc/openapi.json ($_n of $((_n + _bad)))"
	grep -v '^PASS' "$T/contract" | head -n 10 | sed 's/^/#   /'
}
done_testing() { api_contract; echo "1..$tap_n"; [ "$tap_fail" -eq 0 ]; }

# The engine: SQLite files in $T, or with RECIRC_PG (the libpq keywords of
# a cluster, as make check-pg sets) PostgreSQL databases made for the test
# and dropped at its end, named after $T.
db_prefix() { printf 't_%s' "$(basename "$T" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' _)"; }
db_new() {	# db_new NAME: print a new, empty database for recircd's database
	if [ -n "${RECIRC_PG:-}" ]; then
		_dbn=$(db_prefix)_$1
		psql -qX "$RECIRC_PG dbname=postgres" -c "CREATE DATABASE $_dbn" \
		    >/dev/null || return 1
		echo "$RECIRC_PG dbname=$_dbn"
	else
		echo "$T/$1.db"
	fi
}
db_default() { [ -n "${DB:-}" ] || DB=$(db_new recircd); }
db_drop_all() {
	psql -qAtX "$RECIRC_PG dbname=postgres" -c "SELECT datname FROM pg_database WHERE datname LIKE '$(db_prefix)\_%'" 2>/dev/null |
	    while read -r _dbn; do
		psql -qX "$RECIRC_PG dbname=postgres" -c "DROP DATABASE IF EXISTS $_dbn WITH (FORCE)" >/dev/null 2>&1
	done
}
db_is_pg() { case ${DB:-} in *dbname=*) return 0 ;; esac; return 1; }
# db_query SQL: run SQL on $DB; rows as "a|b", as sqlite3 prints them
db_query() {
	if db_is_pg; then
		psql -qAtX "$DB" -c "$1"
	else
		sqlite3 "$DB" "$1"
	fi
}
# sqlite_only WHAT: skip the rest of a test that is about SQLite's files
sqlite_only() {
	if db_is_pg; then
		echo "# SKIP the rest: $1 (SQLite only)"
		done_testing
		exit $?
	fi
}

# A port number for a test's server (tests/port.sh says from where); the
# daemon still retries on a race with another test's server.
. "$top_srcdir/tests/port.sh"
free_port() {
	port_draw
}

# daemon_start [recircd args...]: start recircd -d on a free loopback port
# with database $DB (default: db_new recircd); sets PORT, URL, RECIRCD_PID.
# It waits up to 30 s for the daemon to answer: a loaded CI machine (two
# tests at once, each with its daemon and solver) can take more than the
# 10 s it waited before.
daemon_start() {
	db_default
	for _try in 1 2 3 4 5 6 7 8; do
		PORT=$(free_port)
		URL=http://127.0.0.1:$PORT
		: > "$T/recircd.log.$PORT"
		"$RECIRCD" -d -D "listen=127.0.0.1:$PORT" -D "database=$DB" \
		    "$@" 2>>"$T/recircd.log.$PORT" &
		RECIRCD_PID=$!
		DAEMON_PIDS="$DAEMON_PIDS $RECIRCD_PID"
		_i=0
		while [ $_i -lt 600 ]; do
			if grep -q "listening on 127.0.0.1:$PORT" \
			    "$T/recircd.log.$PORT" 2>/dev/null &&
			    curl -fs "$URL/healthz" >/dev/null 2>&1; then
				cat "$T/recircd.log.$PORT" >> "$T/recircd.log"
				return 0
			fi
			kill -0 "$RECIRCD_PID" 2>/dev/null || break
			sleep 0.05
			_i=$((_i + 1))
		done
		kill -KILL "$RECIRCD_PID" 2>/dev/null
		wait "$RECIRCD_PID" 2>/dev/null
		grep -q "Address already in use" "$T/recircd.log.$PORT" ||
		    { cat "$T/recircd.log.$PORT" >&2; return 1; }
	done
	return 1
}

# daemon_stop [SIGNAL]: stop the last daemon and wait; sets DAEMON_STATUS.
daemon_stop() {
	kill "-${1:-TERM}" "$RECIRCD_PID" 2>/dev/null
	wait "$RECIRCD_PID" 2>/dev/null
	DAEMON_STATUS=$?
}

# token_add OPERATOR ROLE: print a new token for the daemon's database.
token_add() {
	db_default
	"$RECIRCD" -D "database=$DB" token add "$1" "$2" \
	    2>/dev/null
}

# api_record METHOD URL STATUS CONTENT-TYPE BODY-FILE: record a reply in
# API_LOG, a JSON line in a file of its own, for tests/openapi-check.py
# (api_contract).
api_record() {
	# 000: no reply at all (a daemon stopped on purpose), nothing to check
	[ -n "${API_LOG:-}" ] && [ "$3" != 000 ] || return 0
	mkdir -p "$API_LOG"
	jq -nc --arg m "$1" --arg p "/${2#*://*/}" --arg s "$3" --arg c "$4" \
	    --rawfile b "$5" '{method: $m, path: $p, status: ($s | tonumber? // 0),
	    content_type: $c, body: $b}' > "$(mktemp "$API_LOG/r.XXXXXX")"
}

# api METHOD PATH TOKEN [BODY]: call the daemon; prints "STATUS BODY".
# The reply is recorded (api_record).  Files of its own, so that calls may
# run at once.
api() {
	_m=$1 _p=$2 _t=$3
	shift 3
	_b=$(mktemp "$T/api-body.XXXXXX")
	if [ $# -gt 0 ]; then
		_w=$(curl -s -o "$_b" -w '%{http_code} %{content_type}' -X "$_m" \
		    -H "Authorization: Bearer $_t" \
		    -H 'Content-Type: application/json' \
		    --data-binary "$1" "$URL$_p")
	else
		_w=$(curl -s -o "$_b" -w '%{http_code} %{content_type}' \
		    -X "$_m" -H "Authorization: Bearer $_t" "$URL$_p")
	fi
	_code=${_w%% *}
	api_record "$_m" "$URL$_p" "$_code" "${_w#* }" "$_b"
	printf '%s %s' "$_code" "$(cat "$_b")"
	rm -f "$_b"
}

# api_curl FILE CURL-ARGS...: curl (-s added) with the reply's body to
# FILE; prints the status.  The reply is recorded (api_record); curl's
# status, content type, method and URL, a line each, are left in
# $T/curl-w.
api_curl() {
	_f=$1
	shift
	_wf=$(mktemp "$T/curl-w.XXXXXX")
	curl -s -o "$_f" -w '%{http_code}\n%{content_type}\n%{method}\n%{url_effective}\n' \
	    "$@" > "$_wf"
	{ read -r _code; read -r _ctype; read -r _meth; read -r _url; } < "$_wf"
	api_record "$_meth" "$_url" "$_code" "$_ctype" "$_f"
	mv -f "$_wf" "$T/curl-w"
	printf '%s' "$_code"
}

# jget JSON FILTER: one value from JSON, with jq.
jget() { printf '%s' "$1" | jq -r "$2"; }

# st / js REPLY: the status and the JSON body of api's "STATUS BODY".
st() { printf '%s' "$1" | cut -d' ' -f1; }
js() { printf '%s' "$1" | cut -d' ' -f2-; }

# wait_plan ID TOKEN: poll GET /v1/plans/ID until the plan is done or
# failed (at most three minutes: a sanitizer build on a loaded machine can
# take its solve_timeout); prints the plan's JSON as last seen.
wait_plan() {
	_end=$(( $(date +%s) + 180 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		_r=$(js "$(api GET "/v1/plans/$1" "$2")")
		case $(jget "$_r" .state) in done|failed) break ;; esac
		sleep 0.05
	done
	printf '%s' "$_r"
}

# demo_city: for the planning tests: SOLVER (skip the test without it) and
# DB (default: db_new recircd) seeded with the demo city's network; the
# seed's exit status.
demo_city() {
	SOLVER=$top_builddir/recirc-solve
	[ -x "$SOLVER" ] || skip_all "recirc-solve is not built"
	db_default
	"$RECIRCD" -D "database=$DB" seed "$top_srcdir/data/demo-network.json" \
	    2>/dev/null
}

# demo_pickups N: the first N of the demo city's pickups
# (data/demo-pickups.jsonl), their relative dates (@D1@ ...) made real.
demo_pickups() {
	_sa=
	for _d in 1 2 3 4 5 6 7 8 9 10; do
		_sa="$_sa -e s/@D$_d@/$(date -u -d "+$_d day" +%F)/g"
	done
	sed $_sa "$top_srcdir/data/demo-pickups.jsonl" | head -n "$1"
}

# ctl_env: for the recircctl tests, no user configuration, proxy or colour
# (HOME is $T); sets CTL; every exchange traced into $API_LOG.
ctl_env() {
	CTL=$top_builddir/recircctl
	HOME=$T; export HOME
	unset RECIRC_URL RECIRC_TOKEN XDG_CONFIG_HOME NO_COLOR \
	    http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
	# every reply recircctl gets is checked with api()'s (done_testing)
	mkdir -p "$API_LOG"
	RECIRC_TRACE=$API_LOG/ctl.jsonl; export RECIRC_TRACE
}
run() {	# run ARGS...: recircctl's exit status in $rc, output in $T/out, $T/err
	"$CTL" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
has() {	# has FILE STRING DESCRIPTION
	if grep -F -q -- "$2" "$1"; then ok 0 "$3"
	else ok 1 "$3"; echo "#   no '$2' in:"; sed 's/^/#   /' "$1"; fi
}
