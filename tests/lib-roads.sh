# lib-roads.sh -- what the road tests share (sourced after lib.sh): the
# stand-in router (tests/osrm-stub) on loopback, and a check that a plan's
# routes follow its answers.  Set GRAPH before stub_start.
STUB=$top_builddir/tests/osrm-stub
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# stub_start [osrm-stub args]: start it on GRAPH; sets OP, OSRM, STUB_PID
stub_start() {
	: > "$T/stub.port"
	"$STUB" -g "$GRAPH" -p 0 -l "$T/stub.log" "$@" > "$T/stub.port" \
	    2>>"$T/stub.err" &
	STUB_PID=$!
	DAEMON_PIDS="$DAEMON_PIDS $STUB_PID"
	for _i in $(seq 100); do [ -s "$T/stub.port" ] && break; sleep 0.05; done
	OP=$(cat "$T/stub.port")
	OSRM=http://127.0.0.1:$OP
}
stub_stop() { kill -TERM "$STUB_PID" 2>/dev/null; wait "$STUB_PID" 2>/dev/null; }
tables() { grep -c '^table ' "$T/stub.log" || true; }

# leg LAT1 LON1 LAT2 LON2: the router's "km minutes" from 1 to 2
leg() {
	curl -s "$OSRM/table/v1/driving/$2,$1;$4,$3?sources=0&destinations=1&annotations=distance,duration" |
	    jq -r '"\(.distances[0][0] / 1000) \(.durations[0][0] / 60)"'
}

# routes_follow ROUTES CENTRES SERVICE: do the routes of ROUTES (a
# /v1/plans/{id}/routes body), whose stops each take SERVICE minutes, have
# the router's km and ETAs (to the minute), leg by leg from the centre
# (CENTRES: a /v1/centres body) and back?  Sets RF_BAD (routes or stops
# that do not), RF_LEGS, RF_NR (routes) and RF_NSTOPS; in $T/route-km one
# line per route: its stops, the router's km in its order and in reverse.
routes_follow() {
	RF_BAD=0 RF_LEGS=0 _service=$3
	RF_NR=$(jq '.routes | length' "$1")
	RF_NSTOPS=$(jq '[.routes[].stops[]] | length' "$1")
	: > "$T/route-km"
	for _r in $(seq 0 $((RF_NR - 1))); do
		_route=$(jq -c ".routes[$_r]" "$1")
		_c=$(jget "$_route" .centre)
		_clat=$(jq -r ".centres[] | select(.id == \"$_c\") | .lat" "$2")
		_clon=$(jq -r ".centres[] | select(.id == \"$_c\") | .lon" "$2")
		_t=$(jget "$_route" .start | awk -F: '{ print $1 * 60 + $2 }')
		_ns=$(jget "$_route" '.stops | length')
		# the places in order, the centre first and last
		{ echo "$_clat $_clon"
		  jget "$_route" '.stops[] | "\(.lat) \(.lon)"'
		  echo "$_clat $_clon"; } > "$T/places"
		_km=0 _back=0 _k=0
		while read -r _lat _lon; do
			if [ "$_k" -gt 0 ]; then
				set -- $(leg "$_plat" "$_plon" "$_lat" "$_lon")
				_km=$(awk -v a="$_km" -v b="$1" 'BEGIN { print a + b }')
				_t=$(awk -v a="$_t" -v b="$2" 'BEGIN { print a + b }')
				set -- $(leg "$_lat" "$_lon" "$_plat" "$_plon")
				_back=$(awk -v a="$_back" -v b="$1" 'BEGIN { print a + b }')
				RF_LEGS=$((RF_LEGS + 1))
				if [ "$_k" -le "$_ns" ]; then
					_eta=$(jget "$_route" ".stops[$((_k - 1))].eta" |
					    awk -F: '{ print $1 * 60 + $2 }')
					awk -v e="$_eta" -v t="$_t" 'BEGIN { exit !(e - t <= 1 && t - e <= 1) }' ||
					    { echo "# route $_r stop $_k: eta $_eta, the router says $_t"
					      RF_BAD=$((RF_BAD + 1)); }
					_t=$((_eta + _service))
				fi
			fi
			_plat=$_lat _plon=$_lon _k=$((_k + 1))
		done < "$T/places"
		awk -v a="$_km" -v b="$(jget "$_route" .km)" 'BEGIN { exit !(a - b < 0.1 && b - a < 0.1) }' ||
		    { echo "# route $_r: $(jget "$_route" .km) km, the router's legs $_km"
		      RF_BAD=$((RF_BAD + 1)); }
		echo "$_ns $_km $_back" >> "$T/route-km"
	done
}
