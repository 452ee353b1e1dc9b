/*
 * matrix.c -- distances and travel times between places: the one home of
 * the great circle, the detour factor and the speed that the daemon's
 * fallback router, the plan builder's costs, the solver's location model
 * and its routing stage all go by (they were three copies of the
 * haversine and two compile-time constants).
 *
 * A matrix_model is how a distance on the map becomes one on the road and
 * a time: the great circle times a detour factor, driven at an average
 * speed (recircd.conf: detour, speed_kmh), unless the model has a table
 * of legs between known points (a road router's: route-matrix.c in the
 * daemon, the problem's "matrix" in the solver), which then answers for
 * any two of its points.  A point is found by its coordinates, rounded
 * to a millionth of a degree (about 0.1 m), so callers keep passing
 * places, not indices.  Pure: no I/O, no globals.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"

#define MATRIX_EARTH_KM	6371.0	/* mean Earth radius */

/* Legs between n points: km and minutes, NAN where there is no road. */
struct matrix_table {
	size_t	 n;
	double	*lat, *lon;
	float	*km, *min;		/* n * n, row = from */
	long	*slot;			/* open addressing: point or -1 */
	size_t	 nslot;			/* a power of two */
};

void
matrix_model_default(struct matrix_model *m)
{
	m->detour = MATRIX_DETOUR;
	m->speed_kmh = MATRIX_SPEED_KMH;
	m->table = NULL;
}

static uint64_t
matrix_hash(double lat, double lon)
{
	uint64_t	a = (uint64_t)llround(lat * 1e6),
			b = (uint64_t)llround(lon * 1e6);

	return (a * 0x9e3779b97f4a7c15ULL) ^ (b + 0x632be59bd9b4e019ULL +
	    (a << 6) + (a >> 2));
}

static int
matrix_same(double a, double b)
{
	return llround(a * 1e6) == llround(b * 1e6);
}

/*
 * A table over the n points (lat[i], lon[i]), every leg unknown (NAN)
 * but a point's to itself (0).  Two points at the same place are found
 * as the first of them.
 */
struct matrix_table *
matrix_table_new(size_t n, const double *lat, const double *lon)
{
	struct matrix_table	*t = xcalloc(1, sizeof(*t));
	size_t			 i, h;

	t->n = n;
	t->lat = xreallocarray(NULL, n ? n : 1, sizeof(double));
	t->lon = xreallocarray(NULL, n ? n : 1, sizeof(double));
	memcpy(t->lat, lat, n * sizeof(double));
	memcpy(t->lon, lon, n * sizeof(double));
	t->km = xreallocarray(NULL, n > 0 ? n * n : 1, sizeof(float));
	t->min = xreallocarray(NULL, n > 0 ? n * n : 1, sizeof(float));
	for (i = 0; i < n * n; i++)
		t->km[i] = t->min[i] = i % (n + 1) == 0 ? 0 : NAN;
	for (t->nslot = 16; t->nslot < 2 * n; t->nslot *= 2)
		;
	t->slot = xreallocarray(NULL, t->nslot, sizeof(long));
	for (i = 0; i < t->nslot; i++)
		t->slot[i] = -1;
	for (i = 0; i < n; i++) {
		if (matrix_table_find(t, lat[i], lon[i]) >= 0)
			continue;
		h = matrix_hash(lat[i], lon[i]) & (t->nslot - 1);
		while (t->slot[h] != -1)
			h = (h + 1) & (t->nslot - 1);
		t->slot[h] = (long)i;
	}
	return t;
}

void
matrix_table_free(struct matrix_table *t)
{
	if (t == NULL)
		return;
	x_free(t->lat);
	x_free(t->lon);
	x_free(t->km);
	x_free(t->min);
	x_free(t->slot);
	x_free(t);
}

size_t
matrix_table_size(const struct matrix_table *t)
{
	return t->n;
}

void
matrix_table_point(const struct matrix_table *t, size_t i, double *lat,
    double *lon)
{
	*lat = t->lat[i];
	*lon = t->lon[i];
}

/*
 * A place as one integer, its coordinates rounded to 1e-5 degree (about
 * a metre): the road cache's key.
 */
int64_t
matrix_place_key(double lat, double lon)
{
	return (llround(lat * 1e5) + 9000000LL) * 40000000LL +
	    (llround(lon * 1e5) + 18000000LL);
}

/* The index of the point at (lat, lon), or -1. */
long
matrix_table_find(const struct matrix_table *t, double lat, double lon)
{
	size_t	h = matrix_hash(lat, lon) & (t->nslot - 1);
	long	i;

	while ((i = t->slot[h]) != -1) {
		if (matrix_same(t->lat[i], lat) && matrix_same(t->lon[i], lon))
			return i;
		h = (h + 1) & (t->nslot - 1);
	}
	return -1;
}

/* The leg from point i to point j: km and minutes (NAN: no road). */
void
matrix_table_set(struct matrix_table *t, size_t i, size_t j, double km,
    double min)
{
	t->km[i * t->n + j] = (float)km;
	t->min[i * t->n + j] = (float)min;
}

/* 1 with the leg from i to j, 0 when it is unknown or has no road. */
int
matrix_table_get(const struct matrix_table *t, size_t i, size_t j,
    double *km, double *min)
{
	float	k = t->km[i * t->n + j], m = t->min[i * t->n + j];

	if (isnan(k) || isnan(m))
		return 0;
	*km = k;
	*min = m;
	return 1;
}

/*
 * The leg between two places under m: from its table when both are its
 * points and the table knows the leg, else the straight line's.
 */
void
matrix_leg(const struct matrix_model *m, double lat1, double lon1,
    double lat2, double lon2, double *km, double *min)
{
	long	a, b;

	if (m->table != NULL &&
	    (a = matrix_table_find(m->table, lat1, lon1)) >= 0 &&
	    (b = matrix_table_find(m->table, lat2, lon2)) >= 0 &&
	    matrix_table_get(m->table, (size_t)a, (size_t)b, km, min))
		return;
	*km = m->detour * matrix_geo_km(lat1, lon1, lat2, lon2);
	*min = *km / m->speed_kmh * 60;
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
	double	km, min;

	matrix_leg(m, lat1, lon1, lat2, lon2, &km, &min);
	return km;
}

/* Minutes to drive km road kilometres at m's speed (no table). */
double
matrix_minutes(const struct matrix_model *m, double km)
{
	return km / m->speed_kmh * 60;
}

/*
 * When service starts at a stop reached at minute t: at once, or at the
 * opening of the first of its ntw hour windows (in order) that t is
 * not past (close + slack: recircd checks with a hair of slack, the
 * solver keeps a minute in hand with -1); t itself, and *late set, when
 * every window is past.  The one arrival rule of every route timing.
 */
double
matrix_arrive(double t, int ntw, const int *open, const int *close,
    double slack, int *late)
{
	int	k;

	*late = 0;
	for (k = 0; k < ntw; k++)
		if (t <= close[k] + slack)
			return t > open[k] ? t : open[k];
	*late = ntw > 0;
	return t;
}

/* The van leaves (lat, lon) at minute t. */
void
matrix_clock_start(struct matrix_clock *c, double lat, double lon, double t)
{
	memset(c, 0, sizeof(*c));
	c->lat = lat;
	c->lon = lon;
	c->start = c->t = t;
	c->delay = HUGE_VAL;
}

/*
 * Drive to the stop at (lat, lon), wait for the first of its ntw windows
 * still open (matrix_arrive, with its slack) and serve it for service
 * minutes.  Returns the minute service starts: the stop's ETA.
 */
double
matrix_clock_visit(const struct matrix_model *m, struct matrix_clock *c,
    double lat, double lon, int ntw, const int *open, const int *close,
    double service, double slack)
{
	double	km, min, arrive, t;
	int	k, missed;

	matrix_leg(m, c->lat, c->lon, lat, lon, &km, &min);
	c->km += km;
	arrive = c->t + min;
	t = matrix_arrive(arrive, ntw, open, close, slack, &missed);
	c->late += missed;
	c->wait += t - arrive;
	for (k = 0; k < ntw; k++)
		if (t <= close[k] + slack) {
			if (c->wait + close[k] - t < c->delay)
				c->delay = c->wait + close[k] - t;
			break;
		}
	c->t = t + service;
	c->lat = lat;
	c->lon = lon;
	return t;
}

/* Drive back to (lat, lon), the centre. */
void
matrix_clock_home(const struct matrix_model *m, struct matrix_clock *c,
    double lat, double lon)
{
	double	km, min;

	matrix_leg(m, c->lat, c->lon, lat, lon, &km, &min);
	c->km += km;
	c->t += min;
	c->lat = lat;
	c->lon = lon;
}

/*
 * Whole minutes the van could have left later without missing a window
 * or arriving later home: the waiting it would save.  A route's working
 * time is (t - start) less this.
 */
double
matrix_clock_later(const struct matrix_clock *c)
{
	double	later = floor(c->wait < c->delay ? c->wait : c->delay);

	return later >= 1 ? later : 0;
}
