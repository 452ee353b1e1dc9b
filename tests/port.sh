# tests/port.sh -- port_draw: a port number for a server a test or a bench
# starts on 127.0.0.1, at random from 10000 up to the kernel's ephemeral
# ports (ip_local_port_range, 32768-60999 by default).  The tests' own
# client connections (curl, libpq) take their local ports from that
# range, and a server port drawn from it can be held by one of them, so
# that the bind fails (daemon-metrics' metrics_listen did, in CI).  It is
# only a draw: the callers retry when another server took the port first.
# POSIX sh; sourced by tests/lib.sh, tests/pg-cluster.sh and bench/lib.sh.
# shellcheck shell=sh
port_draw() {
	_port_lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	case $_port_lo in ''|*[!0-9]*) _port_lo=32768 ;; esac
	[ "$_port_lo" -ge 20000 ] || _port_lo=32768
	echo $(( 10000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (_port_lo - 10000) ))
}
