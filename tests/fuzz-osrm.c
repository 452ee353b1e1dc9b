/*
 * fuzz-osrm.c -- fuzz the reading of a road router's table reply
 * (osrm.c), which comes off the network: the first two bytes choose how
 * many sources and destinations were asked for (1 to 4 each), the rest
 * is the reply; and the whole input as a route's encoded polyline.
 *
 * A libFuzzer target (fuzz-main.c drives it under make check).  Beyond
 * not crashing: a reply read is ns x nd legs, each a finite distance and
 * duration not below zero or no road (both NAN); a refused one says why.
 * Corpus tests/data/fuzz-osrm/, dictionary tests/data/fuzz-osrm.dict.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "recircd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The route service's geometry: a decoded polyline stays on the globe. */
static void
fz_polyline(const uint8_t *data, size_t size)
{
	double	*lat, *lon;
	size_t	 n, i;
	char	*s = xstrndup((const char *)data, size);

	if (osrm_polyline_decode(s, &lat, &lon, &n) == 0) {
		for (i = 0; i < n; i++)
			if (!(lat[i] >= -90 && lat[i] <= 90 && lon[i] >= -180 &&
			    lon[i] <= 180))
				abort();
		x_free(lat);
		x_free(lon);
	} else if (lat != NULL || lon != NULL || n != 0)
		abort();
	x_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double		 km[16], min[16];
	const char	*why = NULL;
	char		 msg[128];
	size_t		 ns, nd, i;

	if (size < 2)
		return 0;
	fz_polyline(data, size);
	ns = 1 + data[0] % 4;
	nd = 1 + data[1] % 4;
	if (osrm_table_parse((const char *)data + 2, size - 2, ns, nd, km, min,
	    &why, msg) == -1) {
		if (why == NULL || why[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < ns * nd; i++)
		if (isnan(km[i]) != isnan(min[i]) || (!isnan(km[i]) &&
		    (!(km[i] >= 0) || !(min[i] >= 0) || !isfinite(km[i]) ||
		    !isfinite(min[i]))))
			abort();
	return 0;
}
