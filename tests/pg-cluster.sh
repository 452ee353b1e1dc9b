#!/bin/sh
# pg-cluster.sh -- a throw-away PostgreSQL cluster for the tests and the
# benchmarks, on 127.0.0.1 only, in a directory of its own.
#
#   pg-cluster.sh start DIR    initdb in DIR, start it on a free port and
#                              print the libpq keywords that reach it
#                              ("host=127.0.0.1 port=N user=recirc")
#   pg-cluster.sh stop DIR     stop it (fast shutdown); DIR is left
#
# initdb and postgres refuse to run as root: as root the cluster belongs
# to nobody.  Trust authentication, as nothing but loopback is listened
# on and the cluster lives only as long as the run.
set -u
cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2; }
bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done
[ -x "$bindir/initdb" ] || { echo "pg-cluster.sh: no initdb: install postgresql" >&2; exit 1; }
. "$(dirname "$0")/port.sh"
as() {	# as CMD...: run as the cluster's owner
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}
case $cmd in
start)
	mkdir -p "$dir/data" "$dir/run" || exit 1
	[ "$(id -u)" = 0 ] && chown -R nobody "$dir"
	as "$bindir/initdb" -D "$dir/data" -U recirc --auth=trust \
	    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	    { cat "$dir/initdb.log" >&2; exit 1; }
	for try in 1 2 3 4 5 6 7 8; do
		port=$(port_draw)
		if as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		    -t 30 -o "-c listen_addresses=127.0.0.1 -p $port \
		    -c unix_socket_directories=$dir/run -c fsync=on \
		    -c max_connections=200 -c shared_buffers=64MB" \
		    start >/dev/null 2>&1; then
			echo "host=127.0.0.1 port=$port user=recirc"
			exit 0
		fi
	done
	cat "$dir/server.log" >&2
	exit 1
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
	;;
*)
	echo "usage: pg-cluster.sh start|stop DIR" >&2
	exit 2
	;;
esac
