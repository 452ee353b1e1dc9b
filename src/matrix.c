/*
 * matrix.c -- distances and travel times between places: the one home of
 * the great circle, the detour factor and the speed that the daemon's
 * fallback router, the plan builder's costs, the solver's location model
 * and its routing stage all go by (they were three copies of the
 * haversine and two compile-time constants).
 *
 * A matrix_model is how a distance on the map becomes one on the road and
 * a time: today the great circle times a detour factor, driven at an
 * average speed (recircd.conf: detour, speed_kmh); a road network's
 * table (issue 10) is the next provider behind the same calls.
 * Pure: no I/O, no globals.
 */
#include "config.h"

#include <math.h>

#include "recirc.h"

#define MATRIX_EARTH_KM	6371.0	/* mean Earth radius */

void
matrix_model_default(struct matrix_model *m)
{
	m->detour = MATRIX_DETOUR;
	m->speed_kmh = MATRIX_SPEED_KMH;
}

/* Great-circle distance in km (haversine). */
double
matrix_geo_km(double lat1, double lon1, double lat2, double lon2)
{
	double	r = M_PI / 180, dlat = (lat2 - lat1) * r;
	double	dlon = (lon2 - lon1) * r, a;

	a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) *
	    sin(dlon / 2) * sin(dlon / 2);
	return 2 * MATRIX_EARTH_KM * asin(fmin(1.0, sqrt(a)));
}

/* Road km between two places under m. */
double
matrix_km(const struct matrix_model *m, double lat1, double lon1,
    double lat2, double lon2)
{
	return m->detour * matrix_geo_km(lat1, lon1, lat2, lon2);
}

/* Minutes to drive km road kilometres under m. */
double
matrix_minutes(const struct matrix_model *m, double km)
{
	return km / m->speed_kmh * 60;
}
