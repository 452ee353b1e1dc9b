/*
 * plan-routes.c -- vehicle routes for a plan: measure them, and the
 * daemon's FALLBACK route builder.
 *
 * recirc-solve decides centres, assignments and streams; until it also
 * returns routes, the daemon builds them here with a deliberately simple
 * heuristic, labelled "fallback" wherever a route is shown: per day of the
 * horizon and per vehicle of a centre (largest first), start at the
 * centre at opening time and go to the pickup whose service can start
 * soonest (travel, and waiting when early for its hour window) among
 * those that still fit the vehicle's kg, m3, items, stop count and shift
 * (including the way back) and can be reached within one of their hour
 * windows, pickups whose day window ends that day first.  Promises come before
 * anything: a dispatched pickup keeps its vehicle, day and place, a
 * confirmed one its day.  A re-plan is stable: a pickup the current plan
 * has on a vehicle and day it may still use is held for that slot in a
 * first pass (no other vehicle takes it); a second pass places what the
 * first could not.  What finds no room is deferred with a reason.
 *
 * routes_measure() recomputes a route's distance, loads, times and ETAs
 * from its stop order, for fallback routes and for routes the solver gave
 * alike, so both are checked the same way.
 *
 * Distances and travel times come from a matrix_model (matrix.c: the
 * configured detour factor and speed).
 * Pure: no I/O, no globals.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

void
rt_routes_free(struct rt_route *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		x_free(r[i].stops);
		x_free(r[i].geometry);
	}
	x_free(r);
}

/*
 * Walk route r leaving at minute start (matrix_clock: a van early for a
 * window waits): km, loads, each stop's seq, ETA and vehicle, the end and
 * the cost.  Returns the clock at the end.
 */
static struct matrix_clock
routes_walk(const struct matrix_model *mm, struct rt_route *r,
    struct rt_stop *st, const struct rt_vehicle *v, double start)
{
	struct matrix_clock	c;
	size_t			i;

	r->kg = r->m3 = 0;
	r->items = 0;
	matrix_clock_start(&c, v->lat, v->lon, start);
	for (i = 0; i < r->nstops; i++) {
		struct rt_stop	*s = &st[r->stops[i]];

		s->eta = (int)lround(matrix_clock_visit(mm, &c, s->lat,
		    s->lon, s->ntw, s->tw_open, s->tw_close, s->service_min,
		    1e-6));
		s->seq = (int)i + 1;
		s->vehicle = r->vehicle;
		s->day = r->day;
		r->kg += s->kg;
		r->m3 += s->m3;
		r->items += s->items;
		s->load_kg = r->kg;
	}
	matrix_clock_home(mm, &c, v->lat, v->lon);
	r->km = c.km;
	r->late = c.late;
	r->start = (int)lround(start);
	r->end = (int)lround(c.t);
	r->cost = v->fixed_cost + r->km * v->cost_per_km +
	    (c.t - start) / 60 * v->cost_per_hour;
	return c;
}

/*
 * Measure route r: km, loads, start/end, cost and each stop's seq, ETA and
 * vehicle from its order.  The van leaves when its centre opens, or later
 * when that only saves waiting for the first windows.  Returns 1 when it
 * keeps every limit of its vehicle (kg, m3, items, stops, shift), else 0
 * with *why set.
 */
int
routes_measure(const struct matrix_model *mm, struct rt_route *r,
    struct rt_stop *st, const struct rt_vehicle *veh, const char **why)
{
	const struct rt_vehicle	*v = &veh[r->vehicle];
	struct matrix_clock	 c;
	double			 later;

	c = routes_walk(mm, r, st, v, v->opens);
	if ((later = matrix_clock_later(&c)) > 0)
		routes_walk(mm, r, st, v, v->opens + later);
	*why = NULL;
	if (r->kg > v->cap_kg + 1e-6)
		*why = "over the vehicle's kg capacity";
	else if (r->m3 > v->cap_m3 + 1e-6)
		*why = "over the vehicle's m3 capacity";
	else if (r->items > v->cap_items)
		*why = "over the vehicle's item capacity";
	else if ((int)r->nstops > v->max_stops)
		*why = "more stops than the vehicle may make";
	else if (r->end - r->start > v->shift_min + 1e-6)
		*why = "longer than the vehicle's shift";
	return *why == NULL;
}

/*
 * Would stop s fit at the end of route r, whose van's clock is c?  1 with
 * *start the minute its service can start (waiting when early for a
 * window), 0 when a limit or every window would be missed; a stop that
 * fits but for its windows gets tw_missed set, one that was reachable in
 * a window tw_reached.
 */
static int
rt_fits(const struct matrix_model *mm, const struct rt_route *r,
    const struct rt_vehicle *v, struct rt_stop *s,
    const struct matrix_clock *c, double *start)
{
	struct matrix_clock	next = *c;

	if (r->kg + s->kg > v->cap_kg + 1e-6 || r->m3 + s->m3 > v->cap_m3 +
	    1e-6 || r->items + s->items > v->cap_items ||
	    (int)r->nstops + 1 > v->max_stops)
		return 0;
	*start = matrix_clock_visit(mm, &next, s->lat, s->lon, s->ntw,
	    s->tw_open, s->tw_close, s->service_min, 1e-6);
	if (next.late > c->late) {
		s->tw_missed = 1;
		return 0;
	}
	matrix_clock_home(mm, &next, v->lat, v->lon);
	if (next.t - next.start - matrix_clock_later(&next) >
	    v->shift_min + 1e-6)
		return 0;
	s->tw_reached = 1;
	return 1;
}

static void
rt_append(struct rt_route *r, size_t k, struct rt_stop *s)
{
	/* grows by doubling; a cap below the truth (0) only reallocates */
	if (r->nstops + 1 > r->cap) {
		r->cap = r->nstops < 4 ? 8 : 2 * r->nstops;
		r->stops = xreallocarray(r->stops, r->cap, sizeof(size_t));
	}
	r->stops[r->nstops++] = k;
	r->kg += s->kg;
	r->m3 += s->m3;
	r->items += s->items;
	s->routed = 1;
}

/*
 * May stop s go out on day d with vehicle vi (window, pins, centre, and in
 * the first pass the slot it is held for)?
 */
static int
rt_eligible(const struct rt_stop *s, const struct rt_vehicle *v, int vi,
    long long d)
{
	if (s->routed || s->deferred != NULL || s->centre != v->centre)
		return 0;
	if (s->pin_vehicle >= 0)
		return 0;		/* placed by rt_pinned only */
	if (s->keep)
		return s->prev_day == d && s->prev_vehicle == vi;
	if (s->pin_day >= 0)
		return s->pin_day == d;
	return s->day_from <= d && d <= s->day_to;
}

/* Hold s for its slot in the current plan, if it may still use it. */
static int
rt_keep(const struct rt_stop *s, const struct rt_vehicle *veh, size_t nveh)
{
	if (s->prev_vehicle < 0 || (size_t)s->prev_vehicle >= nveh ||
	    s->pin_vehicle >= 0 || s->deferred != NULL ||
	    veh[s->prev_vehicle].centre != s->centre)
		return 0;
	if (s->pin_day >= 0)
		return s->pin_day == s->prev_day;
	return s->day_from <= s->prev_day && s->prev_day <= s->day_to;
}

/* Put the dispatched stops of vehicle vi on day d first, in their order. */
static void
rt_pinned(struct rt_route *r, struct rt_stop *st, size_t nst, int vi,
    long long d)
{
	int	seq, best;
	size_t	k;

	for (;;) {
		best = -1;
		seq = 0;
		for (k = 0; k < nst; k++)
			if (!st[k].routed && st[k].pin_vehicle == vi &&
			    st[k].pin_day == d && (best == -1 ||
			    st[k].pin_seq < seq)) {
				best = (int)k;
				seq = st[k].pin_seq;
			}
		if (best == -1)
			return;
		rt_append(r, (size_t)best, &st[best]);
	}
}

/* The clock at the end of r's stops so far. */
static void
rt_clock(const struct matrix_model *mm, const struct rt_route *r,
    const struct rt_stop *st, const struct rt_vehicle *v,
    struct matrix_clock *c)
{
	size_t	i;

	matrix_clock_start(c, v->lat, v->lon, v->opens);
	for (i = 0; i < r->nstops; i++) {
		const struct rt_stop	*s = &st[r->stops[i]];

		matrix_clock_visit(mm, c, s->lat, s->lon, s->ntw, s->tw_open,
		    s->tw_close, s->service_min, 1e-6);
	}
}

/*
 * Append the stops held for vehicle vi on day d, in their order in the
 * current plan: a route that was feasible stays so without some of its
 * stops.  One that no longer fits (its windows changed, or new stops
 * before it) is released to the second pass.
 */
static void
rt_kept(const struct matrix_model *mm, struct rt_route *r,
    struct rt_stop *st, size_t nst, const struct rt_vehicle *v, int vi,
    long long d)
{
	struct matrix_clock	c;
	double			start;
	long			best;
	size_t			k;

	rt_clock(mm, r, st, v, &c);
	for (;;) {
		best = -1;
		for (k = 0; k < nst; k++)
			if (rt_eligible(&st[k], v, vi, d) && st[k].keep &&
			    (best == -1 || st[k].prev_seq < st[best].prev_seq))
				best = (long)k;
		if (best == -1)
			return;
		if (!rt_fits(mm, r, v, &st[best], &c, &start)) {
			st[best].keep = 0;
			continue;
		}
		matrix_clock_visit(mm, &c, st[best].lat, st[best].lon,
		    st[best].ntw, st[best].tw_open, st[best].tw_close,
		    st[best].service_min, 1e-6);
		rt_append(r, (size_t)best, &st[best]);
	}
}

/*
 * Extend r greedily: the fitting stop whose service can start soonest
 * (travel plus any wait for its window), urgent ones (window ends d)
 * first.
 */
static void
rt_greedy(const struct matrix_model *mm, struct rt_route *r,
    struct rt_stop *st, size_t nst, const struct rt_vehicle *v, int vi,
    long long d)
{
	struct matrix_clock	c;
	double			start, best_t;
	int			urgent, best_u;
	size_t			k;
	long			best;

	rt_clock(mm, r, st, v, &c);
	for (;;) {
		best = -1;
		best_t = 0;
		best_u = 0;
		for (k = 0; k < nst; k++) {
			if (!rt_eligible(&st[k], v, vi, d) ||
			    !rt_fits(mm, r, v, &st[k], &c, &start))
				continue;
			urgent = st[k].day_to <= d || st[k].pin_day == d;
			if (best == -1 || urgent > best_u ||
			    (urgent == best_u && start < best_t)) {
				best = (long)k;
				best_t = start;
				best_u = urgent;
			}
		}
		if (best == -1)
			return;
		matrix_clock_visit(mm, &c, st[best].lat, st[best].lon,
		    st[best].ntw, st[best].tw_open, st[best].tw_close,
		    st[best].service_min, 1e-6);
		rt_append(r, (size_t)best, &st[best]);
	}
}

static int
rt_vehicle_cmp(const void *a, const void *b, void *arg)
{
	const struct rt_vehicle	*veh = arg;
	int			 x = *(const int *)a, y = *(const int *)b;

	if (veh[x].centre != veh[y].centre)
		return veh[x].centre < veh[y].centre ? -1 : 1;
	if (veh[x].cap_kg != veh[y].cap_kg)
		return veh[x].cap_kg > veh[y].cap_kg ? -1 : 1;
	return x - y;
}

/* Vehicle indices, per centre largest first (qsort_r is not portable). */
static int *
rt_vehicle_order(const struct rt_vehicle *veh, size_t nveh)
{
	int	*o = xcalloc(nveh + 1, sizeof(int)), tmp;
	size_t	 i, j;

	for (i = 0; i < nveh; i++)
		o[i] = (int)i;
	for (i = 1; i < nveh; i++)
		for (j = i; j > 0 && rt_vehicle_cmp(&o[j - 1], &o[j],
		    (void *)veh) > 0; j--) {
			tmp = o[j];
			o[j] = o[j - 1];
			o[j - 1] = tmp;
		}
	return o;
}

/*
 * The fallback: route every stop that is not yet deferred over days
 * day0 .. day0+ndays-1 with the vehicles, but for those closed[d - day0]
 * marks (closed NULL: none; a stop's day_from .. day_to is days_window's).
 * Stops that find no room get deferred = "no_vehicle_capacity", or
 * "no_window" when no vehicle could reach them within one of their hour
 * windows.  Returns the number of routes in *out (caller frees with
 * rt_routes_free); each route is measured.
 */
size_t
routes_build(const struct matrix_model *mm, struct rt_stop *st, size_t nst,
    const struct rt_vehicle *veh, size_t nveh, long long day0, int ndays,
    const unsigned char *closed, struct rt_route **out)
{
	struct rt_route	*routes, *r;
	const char	*why;
	int		*order = rt_vehicle_order(veh, nveh), vi, pass;
	size_t		 n = 0, i, k;
	long long	 d;

	for (k = 0; k < nst; k++) {
		st[k].routed = st[k].tw_missed = st[k].tw_reached = 0;
		st[k].keep = rt_keep(&st[k], veh, nveh);
	}
	/* one route per vehicle and day, empty ones dropped at the end */
	routes = xcalloc((size_t)ndays * nveh + 1, sizeof(*routes));
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			for (k = 0; k < nst; k++)
				st[k].keep = 0;
		for (d = day0; d < day0 + ndays; d++)
			for (i = 0; i < nveh && (closed == NULL ||
			    !closed[d - day0]); i++) {
				vi = order[i];
				r = &routes[(size_t)(d - day0) * nveh + i];
				r->vehicle = vi;
				r->day = d;
				if (pass == 0) {
					rt_pinned(r, st, nst, vi, d);
					rt_kept(mm, r, st, nst, &veh[vi], vi,
					    d);
				}
				rt_greedy(mm, r, st, nst, &veh[vi], vi, d);
			}
	}
	for (i = 0; i < (size_t)ndays * nveh; i++) {
		if (routes[i].nstops == 0)
			continue;
		routes_measure(mm, &routes[i], st, veh, &why);
		routes[n++] = routes[i];
	}
	for (k = 0; k < nst; k++)
		if (!st[k].routed && st[k].deferred == NULL)
			st[k].deferred = st[k].tw_missed && !st[k].tw_reached ?
			    "no_window" : "no_vehicle_capacity";
	x_free(order);
	*out = routes;
	return n;
}
