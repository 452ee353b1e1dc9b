# bench/lib.sh -- the daemon set-up the benchmark drivers share (bash).
#
# A driver sources it after its options and checks, then asks for a work
# directory, seeds a database, adds tokens and starts daemons; on exit
# everything it started is stopped and the directory removed:
#
#	. "$(dirname "$0")/lib.sh"
#	bench_init recirc-bench; dir=$BENCH_TMP
#	bench_seed "$dir/bench.db" "$dir/network.json"
#	tok=$(bench_token "$dir/bench.db" bench operator)
#	bench_daemon "$dir/bench.db" "$dir/log" -D solve_timeout=60
#	url=$BENCH_URL
#
# Sourcing sets top (the source tree) and build ($top_builddir, default
# $top), as each driver set them before.
#
#   bench_init PREFIX	make BENCH_TMP, a directory PREFIX.XXXXXX under
#			TMPDIR (default /var/tmp), and the EXIT trap that
#			stops the tracked processes, runs the bench_atexit
#			commands and removes BENCH_TMP
#   bench_track PID...	stop PID (TERM) on exit
#   bench_stop [PID...]	stop the tracked PIDs now (default: all of them),
#			wait for them and forget them
#   bench_atexit CMD [ARG...]
#			run CMD with those arguments on exit, after the
#			processes are stopped, before BENCH_TMP goes
#   bench_seed DB FILE	seed database DB with the network FILE
#   bench_token DB NAME ROLE
#			print a new token for NAME with ROLE in DB
#   bench_port		print a loopback port nothing answers on now
#   bench_daemon DB LOG [recircd args...]
#			start recircd -d on 127.0.0.1 at a free port with
#			database DB, its standard error appended to LOG, and
#			wait until it says it listens and /healthz answers;
#			sets BENCH_PID (tracked), BENCH_PORT and BENCH_URL.
#			The array BENCH_WRAP, if set, is the command recircd
#			runs under (valgrind ...).
#
# A seed, token or start that fails prints why on standard error (the
# daemon's log for a start) and exits the driver with 1; the drivers' own
# output is as before.
# shellcheck shell=bash
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
BENCH_NAME=${0##*/}
BENCH_TMP=
BENCH_PIDS=
BENCH_ATEXIT=

bench_init() {
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/var/tmp}/$1.XXXXXX")
	trap bench_cleanup EXIT
}

# The EXIT trap.  Nothing in it may fail under set -e: the rest would be
# skipped and the daemons left running.
bench_cleanup() {
	local p
	for p in $BENCH_PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	eval "$BENCH_ATEXIT" || true
	[ -z "$BENCH_TMP" ] || rm -rf "$BENCH_TMP"
}

bench_track() { BENCH_PIDS="$BENCH_PIDS $*"; }

bench_stop() {
	local p left=
	# shellcheck disable=SC2086 # a list of numbers, split on purpose
	[ $# -eq 0 ] && set -- $BENCH_PIDS
	for p; do kill "$p" 2>/dev/null || true; done
	for p; do wait "$p" 2>/dev/null || true; done
	for p in $BENCH_PIDS; do
		case " $* " in *" $p "*) ;; *) left="$left $p" ;; esac
	done
	BENCH_PIDS=$left
}

# Each command is kept quoted, one a line, for the trap's eval.
bench_atexit() {
	BENCH_ATEXIT="$BENCH_ATEXIT
$(printf '%q ' "$@")"
}

bench_seed() {
	"$build/recircd" -D "database=$1" seed "$2" 2>"$BENCH_TMP/seed.err" && return
	echo "$BENCH_NAME: cannot seed the database with $2:" >&2
	cat "$BENCH_TMP/seed.err" >&2
	exit 1
}

bench_token() {
	"$build/recircd" -D "database=$1" token add "$2" "$3" 2>/dev/null && return
	echo "$BENCH_NAME: cannot add token $2 ($3)" >&2
	return 1
}

# Free when nothing accepts a connection there; bench_daemon still retries
# if another program binds it first.  Drawn as the tests draw theirs
# (tests/port.sh: below the ephemeral ports the benches' clients hold).
# shellcheck source=tests/port.sh
. "$top/tests/port.sh"
bench_port() {
	local p
	while :; do
		p=$(port_draw)
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
	done
	echo "$p"
}

# Up to 60 s to answer (valgrind is slow to start), a few ports if the
# first is taken.  The log line tells this daemon from another that
# might already answer on the port.
bench_daemon() {
	local db=$1 log=$2 from
	shift 2
	for _ in 1 2 3 4 5 6 7 8; do
		BENCH_PORT=$(bench_port)
		BENCH_URL=http://127.0.0.1:$BENCH_PORT
		touch "$log"
		from=$(( $(wc -c < "$log") + 1 ))
		${BENCH_WRAP+"${BENCH_WRAP[@]}"} "$build/recircd" -d \
		    -D "listen=127.0.0.1:$BENCH_PORT" -D "database=$db" "$@" \
		    2>>"$log" &
		BENCH_PID=$!
		bench_track "$BENCH_PID"
		for _ in $(seq 1200); do
			if tail -c "+$from" "$log" |
			    grep -q "listening on 127.0.0.1:$BENCH_PORT" &&
			    curl -fs "$BENCH_URL/healthz" >/dev/null 2>&1; then
				return 0
			fi
			kill -0 "$BENCH_PID" 2>/dev/null || break
			sleep 0.05
		done
		# Not started in a minute: nothing to drain.
		kill -KILL "$BENCH_PID" 2>/dev/null || true
		bench_stop "$BENCH_PID"
		tail -c "+$from" "$log" | grep -q "Address already in use" || break
	done
	echo "$BENCH_NAME: recircd did not start; its log:" >&2
	tail -c "+$from" "$log" >&2
	exit 1
}
