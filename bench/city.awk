# city.awk -- the benchmarks' city (bench/plan.sh, bench/matrix.sh): 8
# centres on a ring round 51.45 N 2.59 W (one existing, seven candidates)
# and 5 vans at each, as a network for "recircd seed".
#   awk -f bench/city.awk > network.json
# With -v regions=1 (bench/scale.sh) every centre is open and the region
# of its own, r0 to r7.
BEGIN {
	pi = atan2(0, -1)
	printf "{\"centres\": ["
	for (i = 0; i < 8; i++)
		printf "%s{\"id\":\"c%d\",\"lat\":%.5f,\"lon\":%.5f,\"existing\":%s," \
		    "\"fixed_cost\":%d,\"capacity_kg\":{\"repair\":1500,\"reuse\":3000," \
		    "\"recycle\":6000,\"dispose\":8000}%s}", i ? "," : "", i,
		    51.45 + 0.04 * sin(2 * pi * i / 8), -2.59 + 0.065 * cos(2 * pi * i / 8),
		    i && !regions ? "false" : "true", i && !regions ? 150 + 15 * i : 0,
		    regions ? sprintf(",\"region\":\"r%d\"", i) : ""
	printf "], \"fleet\": ["
	for (i = 0; i < 8; i++)
		printf "%s{\"id\":\"v%d\",\"centre\":\"c%d\",\"count\":5,\"capacity\":" \
		    "{\"kg\":1500,\"m3\":16,\"items\":45},\"fixed_cost\":50," \
		    "\"cost_per_km\":0.4,\"cost_per_hour\":26,\"max_stops\":30}",
		    i ? "," : "", i, i
	printf "]}\n"
}
