# city.awk -- the benchmarks' city (bench/plan.sh, bench/matrix.sh): 8
# centres on a ring round 51.45 N 2.59 W (one existing, seven candidates)
# and 5 vans at each, as a network for "recircd seed".
#   awk -f bench/city.awk > network.json
# With -v regions=1 (bench/scale.sh) every centre is open and the region
# of its own, r0 to r7.
#
# A region (bench/plan.sh -c/-v): -v centres=C -v vehicles=V -v scale=S
# puts C centres on a sunflower spiral (even spacing) over the city's area
# times S in each direction, one in eight existing (c0, c8, ...), the rest
# candidates, and V vans shared out as evenly as they go (the first
# V mod C centres have one more).  -v stops=K gives the vans a stop limit
# of K, and -v plus=P gives P of the vans (those of the first centres, as
# whole fleets) K+1, so that the fleet's stops a day can be sized to the
# demand (bench/plan.sh); default 30 as in the city.
BEGIN {
	pi = atan2(0, -1)
	if (centres == "")
		centres = 8
	if (vehicles == "")
		vehicles = 5 * centres
	if (scale == "")
		scale = 1
	if (stops == "")
		stops = 30
	printf "{\"centres\": ["
	for (i = 0; i < centres; i++) {
		if (centres == 8 && scale == 1) {
			lat = 51.45 + 0.04 * sin(2 * pi * i / 8)
			lon = -2.59 + 0.065 * cos(2 * pi * i / 8)
		} else {
			# Vogel's spiral over the pickups' area.
			r = sqrt((i + 0.5) / centres)
			a = i * pi * (3 - sqrt(5))
			lat = 51.45 + 0.055 * scale * r * sin(a)
			lon = -2.59 + 0.085 * scale * r * cos(a)
		}
		ex = i % 8 == 0 || regions
		printf "%s{\"id\":\"c%d\",\"lat\":%.5f,\"lon\":%.5f,\"existing\":%s," \
		    "\"fixed_cost\":%d,\"capacity_kg\":{\"repair\":1500,\"reuse\":3000," \
		    "\"recycle\":6000,\"dispose\":8000}%s}", i ? "," : "", i,
		    lat, lon, ex ? "true" : "false", ex ? 0 : 150 + 15 * (i % 8),
		    regions ? sprintf(",\"region\":\"r%d\"", i) : ""
	}
	printf "], \"fleet\": ["
	for (i = 0; i < centres; i++) {
		count = int(vehicles / centres) + (i < vehicles % centres)
		k = stops
		if (plus > 0 && count > 0) {
			k = stops + 1
			plus -= count
		}
		printf "%s{\"id\":\"v%d\",\"centre\":\"c%d\",\"count\":%d,\"capacity\":" \
		    "{\"kg\":1500,\"m3\":16,\"items\":45},\"fixed_cost\":50," \
		    "\"cost_per_km\":0.4,\"cost_per_hour\":26,\"max_stops\":%d}",
		    i ? "," : "", i, i, count, k
	}
	printf "]}\n"
}
