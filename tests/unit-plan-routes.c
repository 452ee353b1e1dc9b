/*
 * unit-plan-routes.c -- the fallback router (plan-routes.c) on small
 * cases: every stop routed or deferred, vehicle limits kept, windows and
 * pins honoured, urgent stops first, the current plan's slots kept,
 * measures recomputed.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

#define DAY0 20000

static void
vehicle(struct rt_vehicle *v, const char *name, double kg, int stops)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->lat = 51.45;
	v->lon = -2.59;
	v->cap_kg = kg;
	v->cap_m3 = 20;
	v->cap_items = 100;
	v->max_stops = stops;
	v->shift_min = 480;
	v->opens = 8 * 60;
	v->cost_per_km = 1;
}

static void
stop(struct rt_stop *s, double lat, double lon, double kg, long long from,
    long long to)
{
	memset(s, 0, sizeof(*s));
	s->lat = lat;
	s->lon = lon;
	s->kg = kg;
	s->m3 = 0.1;
	s->items = 1;
	s->service_min = 10;
	s->centre = 0;
	s->day_from = from;
	s->day_to = to;
	s->pin_day = -1;
	s->pin_vehicle = -1;
	s->prev_day = -1;
	s->prev_vehicle = -1;
}

/* Sum of stop weights per route never exceeds the vehicle's. */
static int
loads_ok(const struct rt_route *r, size_t n, const struct rt_stop *st,
    const struct rt_vehicle *v)
{
	size_t	i, k;
	double	kg;

	for (i = 0; i < n; i++) {
		for (kg = 0, k = 0; k < r[i].nstops; k++)
			kg += st[r[i].stops[k]].kg;
		if (kg > v[r[i].vehicle].cap_kg + 1e-9 ||
		    fabs(kg - r[i].kg) > 1e-9 ||
		    (int)r[i].nstops > v[r[i].vehicle].max_stops)
			return 0;
	}
	return 1;
}

int
main(void)
{
	struct rt_vehicle	 v[2];
	struct rt_stop		 st[6];
	struct rt_route		*r;
	struct matrix_model	 mm, slow;
	const char		*why;
	size_t			 n, k, routed;
	int			 i;

	is_dbl(matrix_geo_km(51.45, -2.59, 51.45, -2.59), 0, 1e-9, "zero distance");
	is_dbl(matrix_geo_km(0, 0, 0, 1), 111.195, 0.01, "a degree of longitude "
	    "at the equator");
	matrix_model_default(&mm);
	is_dbl(matrix_km(&mm, 0, 0, 0, 1), 1.3 * 111.195, 0.02,
	    "road km: the detour factor on the great circle");
	is_dbl(matrix_minutes(&mm, 25), 60, 1e-9, "25 km at 25 km/h: an hour");
	slow = mm;
	slow.speed_kmh = 12.5;
	slow.detour = 2;
	is_dbl(matrix_minutes(&slow, 25), 120, 1e-9, "... at 12.5 km/h: two");

	/* One van of 100 kg, three stops of 40 kg: two fit on day 0. */
	vehicle(&v[0], "van-1", 100, 10);
	for (i = 0; i < 3; i++)
		stop(&st[i], 51.46 + i * 0.01, -2.59, 40, DAY0, DAY0);
	n = routes_build(&mm, st, 3, v, 1, DAY0, 1, NULL, &r);
	is_int(n, 1, "one route");
	is_int(r[0].nstops, 2, "two stops fit in 100 kg");
	ok(loads_ok(r, n, st, v), "loads within capacity");
	for (routed = 0, k = 0; k < 3; k++)
		routed += st[k].deferred == NULL;
	is_int(routed, 2, "two routed");
	is_str(st[2].deferred, "no_vehicle_capacity", "the third deferred");
	is_int(st[r[0].stops[0]].seq, 1, "stops numbered from 1");
	ok(st[r[0].stops[0]].eta > 8 * 60 && st[r[0].stops[1]].eta >
	    st[r[0].stops[0]].eta, "ETAs after opening, increasing");
	ok(r[0].km > 0 && r[0].end > r[0].start, "distance and time measured");
	rt_routes_free(r, n);

	/* Two days: the stop whose window ends first goes on day 0. */
	vehicle(&v[0], "van-1", 50, 10);
	stop(&st[0], 51.46, -2.59, 40, DAY0, DAY0 + 1);	/* near, flexible */
	stop(&st[1], 51.50, -2.59, 40, DAY0, DAY0);	/* far, urgent */
	n = routes_build(&mm, st, 2, v, 1, DAY0, 2, NULL, &r);
	is_int(n, 2, "a route a day");
	is_int(st[1].day, DAY0, "the urgent stop goes first");
	is_int(st[0].day, DAY0 + 1, "the flexible one the next day");
	rt_routes_free(r, n);

	/*
	 * Closed days: with day 0 closed, the stop whose window is day 0
	 * and 1 goes on day 1 although day 0 has the empty van; nothing is
	 * routed on day 0 even for a stop allowed all three days.
	 */
	{
		unsigned char	closed[3] = { 1, 0, 0 };

		vehicle(&v[0], "van-1", 100, 10);
		stop(&st[0], 51.46, -2.59, 40, DAY0, DAY0 + 1);
		stop(&st[1], 51.47, -2.59, 40, DAY0, DAY0 + 2);
		n = routes_build(&mm, st, 2, v, 1, DAY0, 3, closed, &r);
		for (routed = 0, k = 0; k < n; k++)
			routed += r[k].day == DAY0;
		is_int(routed, 0, "no route on a closed day");
		is_int(st[0].day, DAY0 + 1, "its window's open day instead");
		ok(st[1].deferred == NULL && st[1].day > DAY0,
		    "a flexible stop on an open day too");
		rt_routes_free(r, n);
	}

	/* Windows: a stop outside the horizon's days is deferred. */
	stop(&st[0], 51.46, -2.59, 10, DAY0 + 5, DAY0 + 6);
	n = routes_build(&mm, st, 1, v, 1, DAY0, 2, NULL, &r);
	is_int(n, 0, "no route for a stop whose window is later");
	ok(st[0].deferred != NULL, "it is deferred");
	rt_routes_free(r, n);

	/*
	 * Hour windows: the van (opens 08:00) serves the afternoon stop in
	 * its window (waiting), not on its way past at 08:05; a stop whose
	 * only window closed at 07:00 is deferred no_window; the nearest
	 * stop with no window goes first.
	 */
	vehicle(&v[0], "van-1", 1000, 10);
	stop(&st[0], 51.46, -2.59, 10, DAY0, DAY0);
	st[0].ntw = 1;
	st[0].tw_open[0] = 14 * 60;
	st[0].tw_close[0] = 16 * 60;
	stop(&st[1], 51.455, -2.59, 10, DAY0, DAY0);
	st[1].ntw = 1;
	st[1].tw_open[0] = 5 * 60;
	st[1].tw_close[0] = 7 * 60;
	stop(&st[2], 51.47, -2.59, 10, DAY0, DAY0);
	n = routes_build(&mm, st, 3, v, 1, DAY0, 1, NULL, &r);
	is_int(n, 1, "windows: one route");
	ok(st[0].deferred == NULL && st[0].eta >= 14 * 60 &&
	    st[0].eta <= 16 * 60, "windows: served within 14:00-16:00 "
	    "(eta %02d:%02d)", st[0].eta / 60, st[0].eta % 60);
	is_str(st[1].deferred, "no_window", "windows: an unreachable window "
	    "is deferred no_window");
	is_int(st[2].seq, 1, "windows: the stop with no window first");
	is_int(r[0].late, 0, "windows: no stop late");
	rt_routes_free(r, n);

	/* Pins: a dispatched stop keeps vehicle, day and order. */
	vehicle(&v[0], "big-1", 1000, 10);
	vehicle(&v[1], "small-1", 100, 10);
	stop(&st[0], 51.47, -2.59, 10, DAY0, DAY0 + 1);
	stop(&st[1], 51.46, -2.59, 10, DAY0, DAY0 + 1);
	st[0].pin_vehicle = 1;
	st[0].pin_day = DAY0 + 1;
	st[0].pin_seq = 1;
	stop(&st[2], 51.48, -2.59, 10, DAY0, DAY0 + 1);
	st[2].pin_day = DAY0 + 1;		/* confirmed day */
	n = routes_build(&mm, st, 3, v, 2, DAY0, 2, NULL, &r);
	is_int(st[0].vehicle, 1, "dispatched: same vehicle");
	is_int(st[0].day, DAY0 + 1, "dispatched: same day");
	is_int(st[0].seq, 1, "dispatched: first stop");
	is_int(st[2].day, DAY0 + 1, "confirmed: same day");
	is_int(st[1].day, DAY0, "the free stop goes on the first day");
	ok(loads_ok(r, n, st, v), "loads within capacity with pins");

	rt_routes_free(r, n);

	/*
	 * A re-plan: the current plan has stops 0 and 1 on the small vehicle
	 * on the second day, 1 before 0, and stop 2 on the big one.  The
	 * greedy alone would put all on the big vehicle the first day; held
	 * for their slots, they stay, in their order; stop 2's slot is
	 * outside its window now, so it goes where the greedy puts it.
	 */
	stop(&st[0], 51.47, -2.59, 10, DAY0, DAY0 + 1);
	stop(&st[1], 51.46, -2.59, 10, DAY0, DAY0 + 1);
	stop(&st[2], 51.48, -2.59, 10, DAY0 + 1, DAY0 + 1);
	st[0].prev_day = st[1].prev_day = DAY0 + 1;
	st[0].prev_vehicle = st[1].prev_vehicle = 1;
	st[0].prev_seq = 2;
	st[1].prev_seq = 1;
	st[2].prev_day = DAY0;
	st[2].prev_vehicle = 0;
	n = routes_build(&mm, st, 3, v, 2, DAY0, 2, NULL, &r);
	ok(st[0].vehicle == 1 && st[1].vehicle == 1 && st[0].day == DAY0 + 1 &&
	    st[1].day == DAY0 + 1, "re-plan: held stops keep vehicle and day");
	ok(st[1].seq == 1 && st[0].seq == 2, "re-plan: ... and their order");
	ok(st[2].routed && st[2].day == DAY0 + 1 && st[2].vehicle == 0,
	    "re-plan: a slot outside the window is not held");
	stop(&st[0], 51.47, -2.59, 10, DAY0, DAY0 + 1);
	stop(&st[1], 51.46, -2.59, 10, DAY0, DAY0 + 1);
	rt_routes_free(r, n);
	n = routes_build(&mm, st, 2, v, 2, DAY0, 2, NULL, &r);
	ok(st[0].vehicle == 0 && st[0].day == DAY0,
	    "without a current plan the greedy puts them on the big vehicle "
	    "the first day");

	/* routes_measure flags a route over its limits. */
	r[0].nstops = 0;
	for (k = 0; k < 3; k++) {
		st[k].kg = 400;
		r[0].stops = xreallocarray(r[0].stops, k + 1, sizeof(size_t));
		r[0].stops[r[0].nstops++] = k;
	}
	r[0].vehicle = 1;
	i = routes_measure(&mm, &r[0], st, v, &why);
	ok(!i && why != NULL, "an overloaded route is refused (%s)",
	    why ? why : "no reason");

	/* The model drives distance and time: the same route, measured with
	 * a longer detour and half the speed, is longer and ends later. */
	{
		double	km = r[0].km;
		int	end = r[0].end;

		routes_measure(&slow, &r[0], st, v, &why);
		is_dbl(r[0].km / km, 2 / 1.3, 1e-9,
		    "road km scale with the detour factor");
		ok(r[0].end > end, "half the speed: back later (%d > %d)",
		    r[0].end, end);
	}
	rt_routes_free(r, n);
	return tap_done();
}
