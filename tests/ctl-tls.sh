#!/bin/sh
# ctl-tls.sh -- recircctl checks HTTPS certificates by default: against a
# TLS server on 127.0.0.1 with a self-signed certificate it fails with exit
# 3 and says TLS; with that certificate as ca-file it gets through the
# handshake (the server, openssl s_server, then answers with HTML, which
# recircctl refuses as not JSON).  recircd speaks plain HTTP (TLS is a
# proxy's job), so the server here is openssl's test server.
. "$top_srcdir/tests/lib.sh"
CTL="$top_builddir/recircctl"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

HOME=$T; export HOME
unset RECIRC_URL RECIRC_TOKEN RECIRC_TRACE XDG_CONFIG_HOME \
    http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    >"$T/req.log" 2>&1 || skip_all "openssl cannot make a certificate"

tls_start() {	# start s_server on a free port; sets TLS_URL
	for _try in 1 2 3 4 5 6 7 8; do
		_port=$(free_port)
		: >"$T/tls.log"
		openssl s_server -accept "127.0.0.1:$_port" -www \
		    -cert "$T/cert.pem" -key "$T/key.pem" </dev/null \
		    >"$T/tls.log" 2>&1 &
		_pid=$!
		DAEMON_PIDS="$DAEMON_PIDS $_pid"
		_i=0
		while [ $_i -lt 100 ]; do
			if grep -q ACCEPT "$T/tls.log"; then
				TLS_URL=https://127.0.0.1:$_port
				return 0
			fi
			kill -0 "$_pid" 2>/dev/null || break
			sleep 0.05
			_i=$((_i + 1))
		done
		kill "$_pid" 2>/dev/null
	done
	return 1
}
tls_start || skip_all "openssl s_server did not start"

"$CTL" -u "$TLS_URL" status >"$T/out" 2>"$T/err"
is "$?" 3 "an untrusted certificate: exit 3"
grep -q "TLS: the server's certificate is not trusted" "$T/err"
ok $? "says the certificate is not trusted"
sed 's/^/#   /' "$T/err"

mkdir -p "$T/.config/recircctl"
printf 'url %s\nca-file ../../cert.pem\n' "$TLS_URL" \
    >"$T/.config/recircctl/config"
"$CTL" status >"$T/out" 2>"$T/err"
is "$?" 3 "trusted through ca-file: the answer is HTML, exit 3"
grep -q "not JSON" "$T/err"
ok $? "the handshake passed: the complaint is about the answer"
! grep -q "TLS" "$T/err"
ok $? "and not about TLS"
sed 's/^/#   /' "$T/err"
done_testing
