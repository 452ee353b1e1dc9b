/*
 * solve-route.c -- the routing stage of a JSON problem: routes that crews
 * drive, for the centres and assignment the location MILP chose.
 *
 * For every open centre and every day of the problem's horizon, the
 * pickups assigned to that centre whose date window includes the day go
 * to the routing engine (route*.c) with the centre's vehicle types.  A
 * pickup on the last day of its window (or confirmed for that day) must
 * be served; earlier in its window it is optional, at a penalty of two
 * out-and-back trips, so the engine serves it when a vehicle passes by
 * and leaves it for a later day when the fleet is full.
 *
 * The engine routes each centre and day alone and does not count
 * vehicles: routes beyond a type's count are cut (sr_trim), and a search
 * that found nothing feasible in its time falls back to a route per stop
 * (run again, sr_engine).  A repair (sr_repair) then inserts what is
 * left into the routes of its centre on any day of its window, or on a
 * vehicle still free, or makes room by moving one stop elsewhere, then
 * shortens the routes (stops moved to cheaper routes of their centre on
 * any of their days, 2-opt of the routes that changed);
 * each route it touches is timed the way recircd times it (sr_check),
 * with all of a stop's time windows, which the engine's search does not
 * see (it plans with the earliest).  What stays unrouted is reported
 * with a reason code (sr_reason): why no vehicle of its centre could
 * collect it alone, else no_capacity (the fleet was full on each of its
 * days).
 *
 * The time model is the daemon's (plan-routes.c): great-circle distance
 * times the detour factor, at speed_kmh, plus each pickup's service
 * minutes; a route's cost is the vehicle's fixed cost plus its distance
 * at cost_per_km.  Loads are rounded up and capacities down, so every
 * route the engine accepts passes the daemon's own checks.
 *
 * Pure apart from the engine's clock: the problem JSON and the plan in,
 * routes (JSON) out.  Returns NULL, so that the caller writes no routes
 * and recircd falls back to its own, when routing does not apply (no
 * vehicle types, pickups pinned to a dispatched route) or fails.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "route.h"
#include "solve.h"


struct sr_vtype {
	const char	*id;
	size_t		 centre;
	int		 count, items, max_stops, shift_min;
	double		 kg, m3, fixed, cpk;
};

struct sr_pickup {
	const char	*id;
	double		 lat, lon, kg, m3;
	int		 items, service_min;
	int		 ntw, tw_open[ROUTE_MAXTW], tw_close[ROUTE_MAXTW];
	long long	 from, to, pin_day;	/* days; pin_day -1: none */
	const char	*pin_vehicle;	/* dispatched: "TYPE-N", else NULL */
	int		 pin_stop;	/* dispatched: place in its route */
	/* The previous plan's route: day -1 when none, type SIZE_MAX when
	   the fleet no longer has its vehicle type. */
	long long	 prev_day;
	const char	*prev_vehicle;
	size_t		 prev_type;
	int		 prev_slot, prev_stop;	/* stop: from 1 */
	int		 done;
	int		 reason;		/* enum route_reason */
	int		 lost;			/* enum sr_stage that last left it */
};

/* Where the routing stage last left a pickup out (for the log). */
enum sr_stage {
	SR_ENGINE,		/* the engine's reasons and deferrals */
	SR_CUT_STOPS,		/* over a vehicle type's stop limit */
	SR_CUT_ITEMS,		/* over a vehicle type's item count */
	SR_CUT_VEHICLES,	/* on a route beyond the type's vehicle count */
	SR_NSTAGE
};

/* A route kept for the plan: pickups (indices) in visiting order. */
struct sr_route {
	size_t		 type;		/* into sr_ctx.vt */
	long long	 day;
	int		 n;
	size_t		*stop;
	int		 touched;	/* by the repair */
	int		 nth;		/* dispatched: vehicle TYPE-nth, else 0 */
	int		 slot;		/* vehicle TYPE-slot; 0: numbered
					   by sr_write (no stability term) */
};

struct sr_ctx {
	const struct solve_problem *p;
	const struct solve_plan	*pl;
	struct sr_vtype		*vt;
	size_t			 nvt;
	struct sr_pickup	*pk;		/* [p->n] */
	size_t			*centre;	/* [p->n] sr_served_by */
	const int		*opens;		/* [p->m] minutes after midnight */
	struct matrix_model	 model;		/* the problem's legs and speed */
	long long		 day0;
	int			 ndays;
	const unsigned char	*closed;	/* [ndays], NULL: all open */
	double			 deadline;
	double			 engine_end;	/* the engine's share ends */
	unsigned long		 seed;
	int			 dated;		/* the problem has dates */
	struct sr_route		*rt;
	size_t			 nrt;
	int			 retries;	/* engine runs repeated */
	int			 repaired;	/* pickups the repair placed */
	double			 move_cost;	/* see sr_pen */
	int			 stable;	/* moves priced */
};


/* The usable vehicle types, from the problem; 0 when there are none. */
static size_t
sr_vtypes(struct sr_ctx *c)
{
	const struct solve_problem	*p = c->p;
	size_t				 t;

	c->vt = xcalloc(p->nvt + 1, sizeof(*c->vt));
	for (t = 0; t < p->nvt; t++) {
		c->vt[t].id = p->vt[t].id;
		c->vt[t].centre = p->vt[t].centre;
		c->vt[t].count = p->vt[t].count;
		c->vt[t].items = p->vt[t].items;
		c->vt[t].max_stops = p->vt[t].max_stops;
		c->vt[t].shift_min = p->vt[t].shift_min;
		c->vt[t].kg = p->vt[t].kg;
		c->vt[t].m3 = p->vt[t].m3;
		c->vt[t].fixed = p->vt[t].fixed;
		c->vt[t].cpk = p->vt[t].cpk;
	}
	c->nvt = p->nvt;
	return c->nvt;
}

/*
 * The vehicle type and number of a vehicle name "TYPE-N" (the name the
 * routes give and recircd keeps): the type's index, SIZE_MAX when the
 * fleet has no such type; N in *nth, 0 when the name has none.
 */
static size_t
sr_vehicle_parse(const struct sr_ctx *c, const char *name, int *nth)
{
	const char	*dash;
	size_t		 t, len;

	*nth = 0;
	if (name == NULL || (dash = strrchr(name, '-')) == NULL)
		return SIZE_MAX;
	*nth = atoi(dash + 1);
	len = (size_t)(dash - name);
	for (t = 0; t < c->nvt; t++)
		if (strlen(c->vt[t].id) == len && strncmp(c->vt[t].id, name,
		    len) == 0)
			return t;
	return SIZE_MAX;
}

/* Where the previous plan routed pickup s (its stop in, "previous"). */
static void
sr_previous(struct sr_ctx *c, struct sr_pickup *s,
    const struct solve_stop *in)
{
	s->prev_day = in->prev_vehicle != NULL ? in->prev_day : -1;
	s->prev_vehicle = in->prev_vehicle;
	s->prev_stop = in->prev_stop;
	s->prev_type = sr_vehicle_parse(c, in->prev_vehicle, &s->prev_slot);
	if (s->prev_day >= 0)
		c->stable = c->move_cost > 0;
}

/*
 * Pickup loads, windows and pins, from the problem (a dispatched one:
 * sr_dispatched); a date window not given is the horizon's.
 */
static int
sr_pickups(struct sr_ctx *c)
{
	const struct solve_problem	*p = c->p;
	size_t				 i, k;

	if (p->routing_bad || p->stop == NULL)
		return -1;
	c->pk = xcalloc(p->n + 1, sizeof(*c->pk));
	for (i = 0; i < p->n; i++) {
		struct sr_pickup	*s = &c->pk[i];
		const struct solve_stop	*in = &p->stop[i];

		s->id = p->pickup_id[i];
		s->lat = p->lat[i];
		s->lon = p->lon[i];
		s->kg = in->kg;
		s->m3 = in->m3;
		s->items = in->items;
		s->service_min = in->service_min;
		s->ntw = in->ntw;
		for (k = 0; k < (size_t)in->ntw; k++) {
			s->tw_open[k] = in->tw_open[k];
			s->tw_close[k] = in->tw_close[k];
		}
		/* From its first open day; none left: never a candidate. */
		if (!days_window(c->day0, c->ndays, c->closed, in->from > 0 ?
		    in->from : c->day0, in->to > 0 ? in->to : c->day0 +
		    c->ndays - 1, &s->from, &s->to))
			s->from = s->to = c->day0 + c->ndays;
		s->pin_day = in->pin_day;
		s->pin_vehicle = in->pin_vehicle;
		s->pin_stop = in->pin_stop;
		sr_previous(c, s, in);
	}
	return 0;
}

/* The single centre serving pickup i, or SIZE_MAX when deferred. */
static size_t
sr_served_by(const struct sr_ctx *c, size_t i)
{
	size_t	j, best = SIZE_MAX;
	double	f = 0.5;

	if (c->centre != NULL)
		return c->centre[i];
	if (c->pl->deferred[i])
		return SIZE_MAX;
	for (j = 0; j < c->p->m; j++)
		if (c->pl->assign[i * c->p->m + j] > f) {
			f = c->pl->assign[i * c->p->m + j];
			best = j;
		}
	return best;
}

/* 1 when nothing is collected on day d. */
static int
sr_closed(const struct sr_ctx *c, long long d)
{
	return days_closed(c->day0, c->ndays, c->closed, d);
}

/*
 * 1 when pickup s may be collected on day d: an open day within its date
 * window as sr_pickups set it (an overdue one on the first open day), a
 * confirmed one on its day only.
 */
static int
sr_candidate(const struct sr_ctx *c, const struct sr_pickup *s, long long d)
{
	if (s->pin_day >= 0)
		return d == s->pin_day;
	return d >= s->from && d <= s->to && !sr_closed(c, d);
}

/* 1 when pickup s must be collected on day d (its last chance). */
static int
sr_due(const struct sr_pickup *s, long long d)
{
	return d == s->pin_day || d >= s->to;
}

/* The engine's instance for centre j on day d over the pickups in idx. */
static struct route_inst *
sr_instance(const struct sr_ctx *c, size_t j, long long d, const size_t *idx,
    int n, const size_t *types, int ntypes)
{
	struct route_inst	*in = route_inst_new(1, n);
	double			 lat0 = c->p->lat[c->p->n + j],
				 lon0 = c->p->lon[c->p->n + j], cpk = 0, km, min;
	double			 lat[n + 1], lon[n + 1];
	int64_t			 w3 = 1;
	int			 a, b, t, stops = 0;

	for (t = 0; t < ntypes; t++)
		if (c->vt[types[t]].max_stops > 0)
			stops = 1;
	snprintf(in->name, sizeof(in->name), "%s", c->p->centre_id[j]);
	in->kind = ROUTE_CVRP;
	in->conv = ROUTE_CONV_EXPLICIT;
	in->ndim = 3;
	in->unit = 100;			/* cost units are cents */
	lat[0] = lat0;
	lon[0] = lon0;
	for (a = 0; a < n; a++) {
		const struct sr_pickup *s = &c->pk[idx[a]];
		struct route_node *nd = &in->node[a + 1];

		lat[a + 1] = s->lat;
		lon[a + 1] = s->lon;
		nd->demand[0] = (int64_t)ceil(s->kg * 1000);
		nd->demand[1] = (int64_t)ceil(s->m3 * 1000);
		nd->demand[2] = stops ? 1 : s->items;
		nd->service = (int64_t)s->service_min * 60;
		nd->penalty = sr_due(s, d) ? -1 : 0;
		/*
		 * Every window, in time order: the search, like recircd and
		 * the validator, waits for the first one not yet closed.
		 */
		for (t = 0; t < s->ntw && t < ROUTE_MAXTW; t++) {
			int64_t	o = (int64_t)s->tw_open[t] * 60;
			int64_t	e = (int64_t)s->tw_close[t] * 60;
			int	u;

			for (u = t; u > 0 && nd->tw_open[u - 1] > o; u--) {
				nd->tw_open[u] = nd->tw_open[u - 1];
				nd->tw_close[u] = nd->tw_close[u - 1];
			}
			nd->tw_open[u] = o;
			nd->tw_close[u] = e;
		}
		nd->ntw = t;
		if (t > 0)
			in->has_tw = 1;
	}
	/* Vans leave when the centre opens (recircd times routes so). */
	/*
	 * The engine adds up the excess over every capacity in one penalty,
	 * scaled to the largest demand (grams): a stop or an item over the
	 * limit, one unit, weighed nothing against a gram and the search
	 * ended with no feasible routes whenever the stop limit bound (from
	 * 26 stops a day with 12-stop vans).  So the third dimension counts
	 * in units of the heaviest load: the limit is the same.
	 */
	for (a = 1; a <= n; a++)
		w3 = in->node[a].demand[0] > w3 ? in->node[a].demand[0] : w3;
	for (a = 1; a <= n; a++)
		in->node[a].demand[2] *= w3;
	in->node[0].ntw = 1;
	in->node[0].tw_open[0] = (int64_t)c->opens[j] * 60;
	in->node[0].tw_close[0] = 2 * 24 * 3600;
	for (a = 0; a <= n; a++) {
		/* A local plane, for the engine's angles around the depot. */
		in->node[a].x = (lon[a] - lon0) * 111.32 * cos(lat0 * M_PI /
		    180);
		in->node[a].y = (lat[a] - lat0) * 110.57;
	}
	in->nvtype = ntypes;
	in->vtype = xreallocarray(in->vtype, ntypes, sizeof(*in->vtype));
	for (t = 0; t < ntypes; t++) {
		const struct sr_vtype *v = &c->vt[types[t]];
		struct route_vtype *rv = &in->vtype[t];

		memset(rv, 0, sizeof(*rv));
		rv->count = v->count;
		rv->cap[0] = (int64_t)floor(v->kg * 1000);
		rv->cap[1] = (int64_t)floor(v->m3 * 1000);
		/*
		 * The third dimension is the stop limit when a type has one
		 * (it binds before the item count in practice), else items;
		 * sr_trim cuts what the other one would not allow.
		 */
		rv->cap[2] = (stops ? (v->max_stops > 0 ? v->max_stops :
		    1000000) : v->items) * w3;
		rv->fixed = (int64_t)llround(v->fixed * 100);
		rv->shift = (int64_t)v->shift_min * 60;
		rv->max_stops = v->max_stops;
		cpk += v->cpk / ntypes;
	}
	in->dist = xreallocarray(NULL, (size_t)in->n * in->n, sizeof(int64_t));
	in->time = xreallocarray(NULL, (size_t)in->n * in->n, sizeof(int64_t));
	for (a = 0; a <= n; a++)
		for (b = 0; b <= n; b++) {
			matrix_leg(&c->model, lat[a], lon[a], lat[b], lon[b],
			    &km, &min);
			in->dist[(size_t)a * in->n + b] = (int64_t)llround(km *
			    cpk * 100);
			in->time[(size_t)a * in->n + b] = (int64_t)ceil(min *
			    60);
		}
	/* Leaving an optional pickup costs two out-and-back trips. */
	for (a = 1; a <= n; a++)
		if (in->node[a].penalty == 0)
			in->node[a].penalty = 2 * (in->dist[a] +
			    in->dist[(size_t)a * in->n]) + 1;
	return in;
}

/* Routes with more mandatory stops, then more stops, first. */
static int
sr_route_cmp(const void *a, const void *b, void *arg)
{
	const struct route_path	*ra = a, *rb = b;
	const struct route_inst	*in = arg;
	int			 ma = 0, mb = 0, k;

	for (k = 0; k < ra->len; k++)
		ma += in->node[ra->stop[k]].penalty < 0;
	for (k = 0; k < rb->len; k++)
		mb += in->node[rb->stop[k]].penalty < 0;
	if (ma != mb)
		return mb - ma;
	return rb->len - ra->len;
}

/* Stop a (a node) of idx leaves its route at stage st: no capacity. */
static void
sr_lose(const struct sr_ctx *c, struct route_sol *sol, const size_t *idx,
    int a, enum sr_stage st)
{
	sol->reason[a] = ROUTE_NO_CAPACITY;
	c->pk[idx[a - 1]].lost = st;
}

/*
 * Keep at most as many routes per type as the type has vehicles (the
 * search itself does not count vehicles): the routes with the most
 * pickups due that day first.  The stops of the routes dropped get the
 * reason no_capacity and wait for a later day or are reported unrouted.
 */
static void
sr_trim(const struct sr_ctx *c, const struct route_inst *in,
    struct route_sol *sol, const size_t *idx, const size_t *types,
    int ntypes)
{
	int	used[ntypes], r, k, t, m, items, kept = 0;

	memset(used, 0, sizeof(used));
	if (sol->nroutes > 0)	/* no routes: route is NULL, no sort */
		qsort_r(sol->route, sol->nroutes, sizeof(*sol->route),
		    sr_route_cmp, (void *)in);
	if (sol->reason == NULL)
		sol->reason = xcalloc(in->n, sizeof(int));
	for (r = 0; r < sol->nroutes; r++) {
		struct route_path *rp = &sol->route[r];

		t = rp->vtype >= 0 && rp->vtype < ntypes ? rp->vtype : 0;
		/*
		 * The search counts stops as a capacity only when it has a
		 * dimension to spare (here kg, m3 and items use them all):
		 * a route over its stop limit loses its last stops, which
		 * keeps it feasible in every other respect.
		 */
		m = c->vt[types[t]].max_stops;
		if (m > 0 && rp->len > m) {
			for (k = m; k < rp->len; k++)
				sr_lose(c, sol, idx, rp->stop[k],
				    SR_CUT_STOPS);
			rp->len = m;
		}
		for (k = 0, items = 0; k < rp->len; k++)
			if ((items += c->pk[idx[rp->stop[k] - 1]].items) >
			    c->vt[types[t]].items) {
				for (m = k; m < rp->len; m++)
					sr_lose(c, sol, idx, rp->stop[m],
					    SR_CUT_ITEMS);
				rp->len = k;
				break;
			}
		if (rp->len > 0 && used[t] < c->vt[types[t]].count) {
			used[t]++;
			sol->route[kept++] = *rp;
			continue;
		}
		for (k = 0; k < rp->len; k++)
			sr_lose(c, sol, idx, rp->stop[k], SR_CUT_VEHICLES);
		free(rp->stop);
	}
	sol->nroutes = kept;
}

/* Keep the (trimmed) routes of the pickups idx on day d for the plan. */
static void
sr_keep(struct sr_ctx *c, const struct route_sol *sol, const size_t *idx,
    const size_t *types, int ntypes, long long d)
{
	struct sr_route	*kr;
	int		 r, k, t;

	for (r = 0; r < sol->nroutes; r++) {
		const struct route_path *rp = &sol->route[r];

		t = rp->vtype >= 0 && rp->vtype < ntypes ? rp->vtype : 0;
		c->rt = xreallocarray(c->rt, c->nrt + 1, sizeof(*c->rt));
		kr = &c->rt[c->nrt++];
		memset(kr, 0, sizeof(*kr));
		kr->type = types[t];
		kr->day = d;
		kr->n = rp->len;
		kr->stop = xcalloc(rp->len + 1, sizeof(size_t));
		for (k = 0; k < rp->len; k++) {
			kr->stop[k] = idx[rp->stop[k] - 1];
			c->pk[kr->stop[k]].done = 1;
		}
	}
}

/*
 * Time a route of vehicle type t through the n pickups stop[] as recircd
 * times it (matrix_clock, as plan-routes.c): leave when the centre opens,
 * or later when that only saves waiting, wait for the first window still
 * open.  Returns ROUTE_ASSIGNED when the route keeps every limit of the
 * type, else what it breaks first (ROUTE_NO_CAPACITY: load or stop
 * limit); its km in *km either way.  A minute is kept in hand on windows
 * and shift against rounding in recircd's clock.
 */
static enum route_reason
sr_check(const struct sr_ctx *c, size_t t, const size_t *stop, int n,
    double *km)
{
	const struct sr_vtype	*v = &c->vt[t];
	size_t			 j = v->centre;
	struct matrix_clock	 clk;
	double			 lat = c->p->lat[c->p->n + j],
				 lon = c->p->lon[c->p->n + j], kg = 0, m3 = 0;
	int			 a, items = 0;

	matrix_clock_start(&clk, lat, lon, c->opens[j]);
	for (a = 0; a < n; a++) {
		const struct sr_pickup *s = &c->pk[stop[a]];

		kg += s->kg;
		m3 += s->m3;
		items += s->items;
		matrix_clock_visit(&c->model, &clk, s->lat, s->lon, s->ntw,
		    s->tw_open, s->tw_close, s->service_min, -1);
	}
	matrix_clock_home(&c->model, &clk, lat, lon);
	*km = clk.km;
	if (kg > v->kg || m3 > v->m3 || items > v->items ||
	    (v->max_stops > 0 && n > v->max_stops))
		return ROUTE_NO_CAPACITY;
	if (clk.late)
		return ROUTE_NO_WINDOW;
	return clk.t - clk.start - matrix_clock_later(&clk) <=
	    v->shift_min - 1 ? ROUTE_ASSIGNED : ROUTE_SHIFT_SHORT;
}

/* The routes kept (c->rt) as the plan's JSON routes array. */
static json_t *
sr_write(const struct sr_ctx *c)
{
	json_t		*routes = json_array(), *stops, *o;
	size_t		 r, q;
	char		 day[11], name[96];
	double		 km;
	int		 k, nth, *num = xcalloc(c->nrt + 1, sizeof(int));

	/*
	 * Vehicles are numbered from 1 each day, per type; a dispatched
	 * route keeps its vehicle's number and the others go around it.
	 * With the stability term every route has its number already
	 * (sr_match, sr_keep_previous, sr_slot_free).
	 */
	for (r = 0; r < c->nrt; r++)
		num[r] = c->rt[r].n > 0 ? c->rt[r].slot : 0;
	for (r = 0; r < c->nrt; r++) {
		if (num[r] > 0 || c->rt[r].n == 0)
			continue;
		for (nth = 1, q = 0; q < c->nrt; q++)
			if (num[q] == nth && c->rt[q].type == c->rt[r].type &&
			    c->rt[q].day == c->rt[r].day) {
				nth++;
				q = (size_t)-1;		/* look again */
			}
		num[r] = nth;
	}
	for (r = 0; r < c->nrt; r++) {
		const struct sr_route	*kr = &c->rt[r];
		const struct sr_vtype	*v = &c->vt[kr->type];

		if (kr->n == 0)
			continue;
		snprintf(name, sizeof(name), "%s-%d", v->id, num[r]);
		stops = json_array();
		for (k = 0; k < kr->n; k++)
			json_array_append_new(stops, json_pack("{s:s}",
			    "pickup", c->pk[kr->stop[k]].id));
		sr_check(c, kr->type, kr->stop, kr->n, &km);
		o = json_pack("{s:s, s:s, s:o, s:f}", "vehicle", name,
		    "centre", c->p->centre_id[v->centre], "stops", stops,
		    "cost", km * v->cpk + v->fixed);
		if (c->dated) {
			days_to_date(kr->day, day);
			json_object_set_new(o, "day", json_string(day));
		}
		json_array_append_new(routes, o);
	}
	free(num);
	return routes;
}

static int	sr_candidates(struct sr_ctx *, size_t, long long, int, size_t *);
static int	sr_fixed(const struct sr_ctx *, size_t, long long);

/*
 * Run the engine on in.  When it ends without a feasible search result
 * it falls back to a route per stop (route-hgs.c), far more routes than
 * vehicles; then run it again, with another seed and a longer search,
 * as long as time is left.  0, or -1 + *cause.
 */
static int
sr_engine(struct sr_ctx *c, const struct route_inst *in,
    struct route_opts *ro, int vehicles, struct route_sol *sol, char **cause)
{
	int	rc, tries, k, stops, used;

	for (tries = 0;; tries++) {
		rc = route_solve(in, ro, sol, cause);
		for (k = stops = used = 0; rc == 0 && k < sol->nroutes; k++) {
			stops += sol->route[k].len;
			used += sol->route[k].len > 0;
		}
		/* Twice the time each time, while the engine's share lasts. */
		ro->time_limit *= 2;
		if (rc != 0 || used <= vehicles || used < stops ||
		    tries == 2 || time_mono() + ro->time_limit > c->engine_end)
			return rc;
		log_debug("routing %s: the search found no routes, only a "
		    "route for each of %d stops, for %d vehicles: again",
		    in->name, stops, vehicles);
		c->retries++;
		route_sol_clear(sol);
		route_sol_init(sol);
		ro->seed += 7919;
		ro->max_iter *= 4;
	}
}

/*
 * Route the pickups idx (n) with the vehicle types types (nt) of centre j
 * on day d: keep the routes and set the reasons of what is left.
 * Returns -1 when the engine fails.
 */
static int
sr_route(struct sr_ctx *c, size_t j, long long d, const size_t *idx, int n,
    const size_t *types, int nt, double seconds)
{
	struct route_inst	*in;
	struct route_sol	 sol;
	struct route_opts	 ro;
	char			*cause = NULL;
	double			 cost;
	int			 rc = 0, k, vehicles = 0, found;

	in = sr_instance(c, j, d, idx, n, types, nt);
	memset(&ro, 0, sizeof(ro));
	ro.time_limit = fmax(0.1, seconds);
	ro.seed = c->seed + (unsigned long)(j * 131 + d);
	ro.threads = 1;
	ro.use_sp = 1;
	/*
	 * A day's routes from one centre are small problems: stop well
	 * before the budget when the search has had its fill, so a plan
	 * does not always take the whole solve budget.
	 */
	ro.max_iter = 2000 + 20L * n;
	route_sol_init(&sol);
	/*
	 * The search may time a route with a later departure than recircd,
	 * which leaves when the centre opens unless waiting is saved; a
	 * tenth of the shift in hand covers the difference, so what the
	 * search finds passes recircd's checks and the validator's.
	 */
	for (k = 0; k < in->nvtype; k++) {
		in->vtype[k].shift = in->vtype[k].shift * 9 / 10;
		vehicles += in->vtype[k].count;
	}
	for (k = 0; k < n; k++)
		c->pk[idx[k]].lost = SR_ENGINE;
	rc = sr_engine(c, in, &ro, vehicles, &sol, &cause);
	for (k = 0; k < in->nvtype; k++)
		in->vtype[k].shift = (int64_t)c->vt[types[k]].shift_min * 60;
	found = sol.nroutes;
	if (rc == 0)
		sr_trim(c, in, &sol, idx, types, nt);
	if (rc == -1 || route_check(in, &sol, NAN, &cost, &cause) == -1) {
		log_debug("routing %s on day %lld with %d types: %s",
		    c->p->centre_id[j], d, nt, cause ? cause : "failed");
		free(cause);
		rc = -1;
	} else {
		log_debug("routing %s on day %lld: %d pickups, %d routes "
		    "found, %d kept", c->p->centre_id[j], d - c->day0, n,
		    found, sol.nroutes);
		sr_keep(c, &sol, idx, types, nt, d);
		for (k = 0; k < n; k++)
			if (!c->pk[idx[k]].done)
				c->pk[idx[k]].reason = sol.reason != NULL &&
				    sol.reason[k + 1] != ROUTE_ASSIGNED ?
				    sol.reason[k + 1] : ROUTE_NO_CAPACITY;
	}
	route_sol_clear(&sol);
	route_inst_free(in);
	return rc;
}

/* Larger vehicles (kg x count) first. */
static int
sr_type_cmp(const void *a, const void *b, void *arg)
{
	const struct sr_vtype	*vt = arg;
	const size_t		*x = a, *y = b;
	double			 u = vt[*x].kg * vt[*x].count,
				 v = vt[*y].kg * vt[*y].count;

	return u < v ? 1 : u > v ? -1 : 0;
}

/*
 * Route centre j on day d: all its vehicle types at once; when the engine
 * cannot give every route a vehicle of the mixed fleet, one type at a
 * time, the largest first, each taking what the previous left.  Each of
 * the days_left days of the centre gets an even share of its time (up to
 * c->engine_end), one share kept back for the searches run again
 * (sr_engine).
 */
static int
sr_centre_day(struct sr_ctx *c, size_t j, long long d, int days_left)
{
	size_t	*idx = xcalloc(c->p->n + 1, sizeof(size_t)), types[c->nvt + 1],
		 i;
	double	seconds = (c->engine_end - time_mono()) / (days_left + 1);
	int	n, nt = 0, t, rc = 0, taken[c->nvt + 1];

	/* Vans on a dispatched route that day are not the engine's. */
	for (i = 0; i < c->nvt; i++) {
		taken[i] = sr_fixed(c, i, d);
		c->vt[i].count -= taken[i];
		if (c->vt[i].centre == j && c->vt[i].count > 0)
			types[nt++] = i;
	}
	n = sr_candidates(c, j, d, nt, idx);
	if (n == 0 || nt == 0 ||
	    sr_route(c, j, d, idx, n, types, nt, seconds) == 0)
		goto out;
	qsort_r(types, nt, sizeof(size_t), sr_type_cmp, c->vt);
	for (t = 0; t < nt; t++) {
		if ((n = sr_candidates(c, j, d, nt, idx)) == 0)
			break;
		if (sr_route(c, j, d, idx, n, &types[t], 1, seconds / nt) ==
		    -1) {
			rc = -1;
			break;
		}
	}
out:
	for (i = 0; i < c->nvt; i++)
		c->vt[i].count += taken[i];
	free(idx);
	return rc;
}

/* The pickups of centre j still open on day d, into idx; how many. */
static int
sr_candidates(struct sr_ctx *c, size_t j, long long d, int ntypes,
    size_t *idx)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < c->p->n; i++) {
		struct sr_pickup *s = &c->pk[i];

		/* The centre first: other centres' pickups are other
		   workers' (sr_work). */
		if (sr_served_by(c, i) != j || s->done ||
		    !sr_candidate(c, s, d))
			continue;
		if (ntypes == 0) {
			s->reason = ROUTE_NO_CAPACITY;
			continue;
		}
		idx[n++] = i;
	}
	return n;
}

/* Road km from pickup (or, for SIZE_MAX, centre j) a to b, likewise. */
static double
sr_leg(const struct sr_ctx *c, size_t j, size_t a, size_t b)
{
	size_t	x = a == SIZE_MAX ? c->p->n + j : a,
		y = b == SIZE_MAX ? c->p->n + j : b;

	return matrix_km(&c->model, c->p->lat[x], c->p->lon[x], c->p->lat[y],
	    c->p->lon[y]);
}

/* Vehicles of type t with a route on day d. */
static int
sr_used(const struct sr_ctx *c, size_t t, long long d)
{
	size_t	r;
	int	n = 0;

	for (r = 0; r < c->nrt; r++)
		n += c->rt[r].type == t && c->rt[r].day == d && c->rt[r].n > 0;
	return n;
}

/*
 * 1 when pickup i collected on day d by vehicle slot of type t is a move
 * from where the previous plan had it (another day or vehicle, as recircd
 * counts moved_day and moved_vehicle); 0 for a pickup new to the plan.
 */
static int
sr_moved_at(const struct sr_ctx *c, size_t i, size_t t, long long d,
    int slot)
{
	const struct sr_pickup	*s = &c->pk[i];

	return s->prev_day >= 0 && (d != s->prev_day || t != s->prev_type ||
	    slot != s->prev_slot);
}

/* The stability term of pickup i on route kr: the move cost, or 0. */
static double
sr_pen(const struct sr_ctx *c, size_t i, const struct sr_route *kr)
{
	return c->stable && sr_moved_at(c, i, kr->type, kr->day, kr->slot) ?
	    c->move_cost : 0;
}

/*
 * The lowest number of a vehicle of type t with no route on day d (a
 * dispatched one's or another), for a new route; 0 when every one has a
 * route, or without the stability term (sr_write numbers routes then).
 */
static int
sr_slot_free(const struct sr_ctx *c, size_t t, long long d)
{
	size_t	r;
	int	slot;

	if (!c->stable)
		return 0;
	for (slot = 1; slot <= c->vt[t].count; slot++) {
		for (r = 0; r < c->nrt; r++)
			if (c->rt[r].type == t && c->rt[r].day == d &&
			    c->rt[r].slot == slot && (c->rt[r].n > 0 ||
			    c->rt[r].nth > 0))
				break;
		if (r == c->nrt)
			return slot;
	}
	return 0;
}

/* Put pickup i at position k of route kr. */
static void
sr_put(struct sr_route *kr, int k, size_t i)
{
	kr->stop = xreallocarray(kr->stop, kr->n + 2, sizeof(size_t));
	memmove(kr->stop + k + 1, kr->stop + k, (kr->n - k) *
	    sizeof(size_t));
	kr->stop[k] = i;
	kr->n++;
}

/* Take the stop at position k out of route kr. */
static void
sr_take(struct sr_route *kr, int k)
{
	memmove(kr->stop + k, kr->stop + k + 1, (kr->n - k - 1) *
	    sizeof(size_t));
	kr->n--;
}

/*
 * The cheapest feasible position of pickup i in route kr, by added
 * travel cost: the position in *at, the cost returned; HUGE_VAL when
 * none fits or none beats below.
 */
static double
sr_place_in(struct sr_ctx *c, struct sr_route *kr, size_t i, double below,
    int *at)
{
	const struct sr_vtype	*v = &c->vt[kr->type];
	const struct sr_pickup	*s = &c->pk[i];
	double			 kg = s->kg, m3 = s->m3, add, best = HUGE_VAL,
				 km;
	size_t			 prev, next;
	int			 k, items = s->items;

	for (k = 0; k < kr->n; k++) {
		kg += c->pk[kr->stop[k]].kg;
		m3 += c->pk[kr->stop[k]].m3;
		items += c->pk[kr->stop[k]].items;
	}
	if (kg > v->kg || m3 > v->m3 || items > v->items ||
	    (v->max_stops > 0 && kr->n + 1 > v->max_stops))
		return HUGE_VAL;
	for (k = 0; k <= kr->n; k++) {
		prev = k > 0 ? kr->stop[k - 1] : SIZE_MAX;
		next = k < kr->n ? kr->stop[k] : SIZE_MAX;
		add = v->cpk * (sr_leg(c, v->centre, prev, i) +
		    sr_leg(c, v->centre, i, next) - sr_leg(c, v->centre, prev,
		    next));
		if (add >= below || add >= best)
			continue;
		sr_put(kr, k, i);
		if (sr_check(c, kr->type, kr->stop, kr->n, &km) ==
		    ROUTE_ASSIGNED) {
			best = add;
			*at = k;
		}
		sr_take(kr, k);
	}
	return best;
}

/*
 * Place pickup i on the cheapest of its days, in a route of its centre
 * or on a vehicle of the centre still free that day.  1 when placed.
 */
static int
sr_place(struct sr_ctx *c, size_t i)
{
	struct sr_route	*kr;
	size_t		 j = sr_served_by(c, i), r, t, br = SIZE_MAX;
	size_t		 bt = SIZE_MAX;
	long long	 d, bd = 0;
	double		 best = HUGE_VAL, add, km, pen;
	int		 k, bk = 0, slot;

	/* The stability term (sr_pen) counts: a move must pay its way. */
	for (d = c->day0; d < c->day0 + c->ndays; d++) {
		if (!sr_candidate(c, &c->pk[i], d))
			continue;
		for (r = 0; r < c->nrt; r++) {
			if (c->rt[r].day != d || c->rt[r].nth != 0 ||
			    c->vt[c->rt[r].type].centre != j)
				continue;
			pen = sr_pen(c, i, &c->rt[r]);
			if ((add = sr_place_in(c, &c->rt[r], i, best - pen,
			    &k) + pen) < best) {
				best = add;
				br = r;
				bk = k;
			}
		}
		for (t = 0; t < c->nvt; t++) {
			if (c->vt[t].centre != j || sr_used(c, t, d) >=
			    c->vt[t].count || sr_check(c, t, &i, 1, &km) !=
			    ROUTE_ASSIGNED)
				continue;
			slot = sr_slot_free(c, t, d);
			pen = c->stable && sr_moved_at(c, i, t, d, slot) ?
			    c->move_cost : 0;
			if ((add = c->vt[t].fixed + c->vt[t].cpk * km + pen) <
			    best) {
				best = add;
				br = SIZE_MAX;
				bt = t;
				bd = d;
			}
		}
	}
	if (best == HUGE_VAL)
		return 0;
	if (br == SIZE_MAX) {
		slot = sr_slot_free(c, bt, bd);
		c->rt = xreallocarray(c->rt, c->nrt + 1, sizeof(*c->rt));
		kr = &c->rt[c->nrt++];
		memset(kr, 0, sizeof(*kr));
		kr->type = bt;
		kr->day = bd;
		kr->slot = slot;
		br = c->nrt - 1;
	}
	sr_put(&c->rt[br], bk, i);
	c->rt[br].touched = 1;
	c->pk[i].done = 1;
	return 1;
}

/*
 * Make room for pickup i in a route of its centre on one of its days by
 * moving one stop of that route to another route or day it may take;
 * the first such exchange found.  1 when placed.
 */
static int
sr_eject(struct sr_ctx *c, size_t i)
{
	struct sr_route	*kr;
	size_t		 j = sr_served_by(c, i), r, o;
	int		 q, k;

	for (r = 0; r < c->nrt && time_mono() < c->deadline; r++) {
		kr = &c->rt[r];
		if (c->vt[kr->type].centre != j || kr->nth > 0 ||
		    !sr_candidate(c, &c->pk[i], kr->day))
			continue;
		for (q = 0; q < kr->n; q++) {
			o = kr->stop[q];
			sr_take(kr, q);
			if (sr_place_in(c, kr, i, HUGE_VAL, &k) < HUGE_VAL) {
				sr_put(kr, k, i);
				c->pk[o].done = 0;
				if (sr_place(c, o)) {
					c->rt[r].touched = 1;
					c->pk[i].done = 1;
					return 1;
				}
				kr = &c->rt[r];
				sr_take(kr, k);
				c->pk[o].done = 1;
			}
			sr_put(kr, q, o);
		}
	}
	return 0;
}

/*
 * Shorten route kr by reversing stretches of it (2-opt) while that
 * keeps it feasible: insertions leave zigzags.
 */
static void
sr_improve(const struct sr_ctx *c, struct sr_route *kr)
{
	double	km, best;
	size_t	x;
	int	a, b, k, better = 1;

	if (sr_check(c, kr->type, kr->stop, kr->n, &best) != ROUTE_ASSIGNED)
		return;
	while (better && time_mono() < c->deadline) {
		better = 0;
		for (a = 0; a < kr->n - 1; a++)
			for (b = a + 1; b < kr->n; b++) {
				for (k = 0; k < (b - a + 1) / 2; k++) {
					x = kr->stop[a + k];
					kr->stop[a + k] = kr->stop[b - k];
					kr->stop[b - k] = x;
				}
				if (sr_check(c, kr->type, kr->stop, kr->n,
				    &km) == ROUTE_ASSIGNED && km < best -
				    1e-9) {
					best = km;
					better = 1;
					continue;
				}
				for (k = 0; k < (b - a + 1) / 2; k++) {
					x = kr->stop[a + k];
					kr->stop[a + k] = kr->stop[b - k];
					kr->stop[b - k] = x;
				}
			}
	}
}

/*
 * Move each stop of route r to the route of its centre, on any day it
 * may go, where it adds less than taking it out of r saves; 1 when one
 * moved.  Insertions build routes from whatever stops came first, and
 * the engine saw one centre and day at a time.
 */
static int
sr_relocate(struct sr_ctx *c, size_t r)
{
	struct sr_route	*kr = &c->rt[r];
	size_t		 i, q, j = c->vt[kr->type].centre, bq = 0;
	double		 before, after, save, add, best, pen;
	int		 k, at, bk = 0, moved = 0;

	if (kr->nth > 0)
		return 0;		/* dispatched: as handed out */
	for (k = 0; k < c->rt[r].n && time_mono() < c->deadline; k++) {
		kr = &c->rt[r];
		i = kr->stop[k];
		sr_check(c, kr->type, kr->stop, kr->n, &before);
		sr_take(kr, k);
		if (sr_check(c, kr->type, kr->stop, kr->n, &after) !=
		    ROUTE_ASSIGNED) {
			sr_put(kr, k, i);
			continue;
		}
		/* Leaving the route it had before costs (sr_pen). */
		save = c->vt[kr->type].cpk * (before - after) - 1e-6 +
		    sr_pen(c, i, kr);
		best = HUGE_VAL;
		for (q = 0; q < c->nrt; q++) {
			if (q == r || c->rt[q].n == 0 || c->rt[q].nth != 0 ||
			    c->vt[c->rt[q].type].centre != j ||
			    !sr_candidate(c, &c->pk[i], c->rt[q].day))
				continue;
			pen = sr_pen(c, i, &c->rt[q]);
			if ((add = sr_place_in(c, &c->rt[q], i, fmin(save,
			    best) - pen, &at) + pen) < best) {
				best = add;
				bq = q;
				bk = at;
			}
		}
		if (best < save) {
			sr_put(&c->rt[bq], bk, i);
			c->rt[bq].touched = c->rt[r].touched = 1;
			moved = 1;
			k--;
		} else
			sr_put(kr, k, i);
	}
	return moved;
}

/* Pickups with fewer days to go on, then larger ones, first. */
static int
sr_repair_cmp(const void *a, const void *b, void *arg)
{
	const struct sr_ctx	*c = arg;
	const struct sr_pickup	*x = &c->pk[*(const size_t *)a],
				*y = &c->pk[*(const size_t *)b];
	long long		 d;
	int			 nx = 0, ny = 0;

	for (d = c->day0; d < c->day0 + c->ndays; d++) {
		nx += sr_candidate(c, x, d);
		ny += sr_candidate(c, y, d);
	}
	if (nx != ny)
		return nx - ny;
	return x->m3 < y->m3 ? 1 : x->m3 > y->m3 ? -1 : 0;
}

/*
 * The engine routes each centre and day alone, and what it leaves (its
 * routes beyond the vehicles, a search that found nothing feasible in
 * time, stops whose earliest window it cannot reach: it plans with that
 * one only) would be deferred although other routes of the centre, on
 * that day or another in the pickup's window, have room.  Insert each such
 * pickup where it adds least, on a route or a vehicle still free, else
 * by moving one stop of a route elsewhere; then move stops between the
 * routes of a centre and its days where that is cheaper, and 2-opt the
 * routes that changed.  Every route stays within what recircd checks
 * (sr_check).
 */
static void
sr_repair(struct sr_ctx *c)
{
	size_t	*left = xcalloc(c->p->n + 1, sizeof(size_t)), i, n = 0;
	int	 pass, moved;

	for (i = 0; i < c->p->n; i++)
		if (!c->pk[i].done && sr_served_by(c, i) != SIZE_MAX &&
		    c->pk[i].reason != ROUTE_NO_SKILL &&
		    c->pk[i].reason != ROUTE_CENTRE_FULL)
			left[n++] = i;
	qsort_r(left, n, sizeof(size_t), sr_repair_cmp, c);
	for (i = 0; i < n && time_mono() < c->deadline; i++)
		if (sr_place(c, left[i]) || sr_eject(c, left[i]))
			c->repaired++;
	/* The engine's routes too: it saw one day at a time. */
	for (pass = 0, moved = 1; moved && pass < 3; pass++)
		for (i = 0, moved = 0; i < c->nrt; i++)
			moved |= sr_relocate(c, i);
	for (i = 0; i < c->nrt; i++)
		if (c->rt[i].touched)
			sr_improve(c, &c->rt[i]);
	free(left);
}

/*
 * The stability term of a re-plan.  Residents and crews were told where
 * the previous plan put each pickup; a pickup routed on another day or by
 * another vehicle than there costs move_cost (the problem's
 * replan_move_cost, in its cost units) on top of the routes' cost.  With
 * the term, every route has its vehicle's number (slot) from the start:
 * a vehicle is "the same" when its type and number are, on any day, so
 * the engine's routes take the numbers of the previous plan's vehicles
 * whose stops they carry most of (sr_match).  Two starts are priced: the
 * previous plan's routes kept where they still hold, new pickups inserted
 * (sr_keep_previous), and the engine's search; each is improved with the
 * term (sr_relocate, sr_place and sr_stay, which puts a moved pickup back
 * unless that costs more than the move), and the cheaper wins
 * (sr_choose).
 */

/* A route's cost: fixed cost plus distance; 0 when empty (not driven). */
static double
sr_cost(const struct sr_ctx *c, const struct sr_route *kr)
{
	double	km;

	if (kr->n == 0)
		return 0;
	sr_check(c, kr->type, kr->stop, kr->n, &km);
	return c->vt[kr->type].fixed + c->vt[kr->type].cpk * km;
}

/* The route and position of pickup i, into *r and *k; 0 when unrouted. */
static int
sr_find(const struct sr_ctx *c, size_t i, size_t *r, int *k)
{
	size_t	q;
	int	a;

	for (q = 0; q < c->nrt; q++)
		for (a = 0; a < c->rt[q].n; a++)
			if (c->rt[q].stop[a] == i) {
				*r = q;
				*k = a;
				return 1;
			}
	return 0;
}

/* 1 when routed pickup i is a move (sr_moved_at) where it is now. */
static int
sr_is_moved(const struct sr_ctx *c, size_t i)
{
	size_t	r;
	int	k;

	return sr_find(c, i, &r, &k) && sr_moved_at(c, i, c->rt[r].type,
	    c->rt[r].day, c->rt[r].slot);
}

/*
 * Number the engine's routes (slot 0) per type and day after the
 * previous plan's vehicles: again and again the route and free number
 * that keep the most pickups on their vehicle; the rest in order.
 */
static void
sr_match(struct sr_ctx *c)
{
	size_t	r, q, br;
	int	slot, bs, ov, bov, a;

	for (;;) {
		br = SIZE_MAX;
		bs = 0;
		bov = -1;
		for (r = 0; r < c->nrt; r++) {
			if (c->rt[r].slot != 0 || c->rt[r].n == 0)
				continue;
			for (slot = 1; slot <= c->vt[c->rt[r].type].count;
			    slot++) {
				for (q = 0; q < c->nrt; q++)
					if (c->rt[q].slot == slot &&
					    c->rt[q].type == c->rt[r].type &&
					    c->rt[q].day == c->rt[r].day)
						break;
				if (q < c->nrt)
					continue;	/* taken */
				for (ov = 0, a = 0; a < c->rt[r].n; a++)
					ov += !sr_moved_at(c, c->rt[r].stop[a],
					    c->rt[r].type, c->rt[r].day, slot);
				if (ov > bov) {
					bov = ov;
					br = r;
					bs = slot;
				}
			}
		}
		if (br == SIZE_MAX)
			return;
		c->rt[br].slot = bs;
	}
}

/*
 * Start from the previous plan: each pickup that can still be where it
 * was (its vehicle exists and is its centre's, its day is in the horizon
 * and its window, the vehicle is not dispatched that day) goes back on
 * that vehicle and day, in the order it had.  A route that no longer
 * keeps its limits loses stops from its end; what is left is the
 * repair's (sr_repair), as are new pickups.
 */
static void
sr_keep_previous(struct sr_ctx *c)
{
	struct sr_route	*kr;
	size_t		 i, r, first = c->nrt;
	double		 km;
	int		 k;

	for (i = 0; i < c->p->n; i++) {
		struct sr_pickup *s = &c->pk[i];

		if (s->done || s->prev_day < c->day0 || s->prev_day >=
		    c->day0 + c->ndays || s->prev_type == SIZE_MAX ||
		    s->prev_slot < 1 || s->prev_slot >
		    c->vt[s->prev_type].count || c->vt[s->prev_type].centre !=
		    sr_served_by(c, i) || !sr_candidate(c, s, s->prev_day))
			continue;
		for (r = 0; r < c->nrt; r++)
			if (c->rt[r].type == s->prev_type && c->rt[r].day ==
			    s->prev_day && c->rt[r].slot == s->prev_slot)
				break;
		if (r < c->nrt && c->rt[r].nth > 0)
			continue;		/* dispatched since */
		if (r == c->nrt) {
			c->rt = xreallocarray(c->rt, c->nrt + 1,
			    sizeof(*c->rt));
			kr = &c->rt[c->nrt++];
			memset(kr, 0, sizeof(*kr));
			kr->type = s->prev_type;
			kr->day = s->prev_day;
			kr->slot = s->prev_slot;
		}
		kr = &c->rt[r];
		for (k = kr->n; k > 0 && c->pk[kr->stop[k - 1]].prev_stop >
		    s->prev_stop; k--)
			;
		sr_put(kr, k, i);
		s->done = 1;
	}
	for (r = first; r < c->nrt; r++)
		while (c->rt[r].n > 0 && sr_check(c, c->rt[r].type,
		    c->rt[r].stop, c->rt[r].n, &km) != ROUTE_ASSIGNED) {
			c->pk[c->rt[r].stop[c->rt[r].n - 1]].done = 0;
			c->rt[r].n--;
			c->rt[r].touched = 1;
		}
}

/*
 * What putting moved pickup i back on the vehicle and day the previous
 * plan had it on would add to the routes' cost: its cheapest place in
 * that vehicle's route, or a route of its own when the vehicle is free
 * that day, less what taking it out of its route now saves.  That is
 * what the move saves.  HUGE_VAL with *why when it cannot go back:
 * "vehicle" (the fleet has no such vehicle), "centre" (the location
 * stage serves it from another centre), "day" (the day is outside the
 * horizon or its window), "dispatched" (the vehicle's route that day was
 * handed out), "full" (no room on the vehicle).  *from, *fk: where it is;
 * *to, *at: where it would go (*to SIZE_MAX: a new route).
 */
static double
sr_back(struct sr_ctx *c, size_t i, size_t *from, int *fk, size_t *to,
    int *at, const char **why)
{
	const struct sr_pickup	*s = &c->pk[i];
	struct sr_route		*kr;
	size_t			 t = s->prev_type, q;
	double			 add, before, after, km;

	*why = NULL;
	*to = SIZE_MAX;
	*at = 0;
	if (!sr_find(c, i, from, fk) || s->prev_day < 0)
		return HUGE_VAL;
	if (t == SIZE_MAX || s->prev_slot < 1 ||
	    s->prev_slot > c->vt[t].count)
		*why = "vehicle";
	else if (c->vt[t].centre != sr_served_by(c, i))
		*why = "centre";
	else if (s->prev_day < c->day0 || s->prev_day >= c->day0 +
	    c->ndays || !sr_candidate(c, s, s->prev_day))
		*why = "day";
	if (*why != NULL)
		return HUGE_VAL;
	for (q = 0; q < c->nrt; q++)
		if (c->rt[q].type == t && c->rt[q].day == s->prev_day &&
		    c->rt[q].slot == s->prev_slot && (c->rt[q].n > 0 ||
		    c->rt[q].nth > 0))
			break;
	if (q < c->nrt && c->rt[q].nth > 0) {
		*why = "dispatched";
		return HUGE_VAL;
	}
	if (q < c->nrt) {
		*to = q;
		add = sr_place_in(c, &c->rt[q], i, HUGE_VAL, at);
	} else if (sr_check(c, t, &i, 1, &km) == ROUTE_ASSIGNED)
		add = c->vt[t].fixed + c->vt[t].cpk * km;
	else
		add = HUGE_VAL;
	if (add == HUGE_VAL) {
		*why = "full";
		return HUGE_VAL;
	}
	kr = &c->rt[*from];
	before = sr_cost(c, kr);
	sr_take(kr, *fk);
	after = sr_cost(c, kr);
	sr_put(kr, *fk, i);
	return add - (before - after);
}

/*
 * Put back each moved pickup whose move saves no more than the move
 * cost (sr_back), until none does; routes that changed are 2-opted
 * between rounds, and a round with no change ends it, so every move
 * left saves more than it costs as the routes are written.
 */
static void
sr_stay(struct sr_ctx *c)
{
	struct sr_route	*kr;
	const char	*why;
	size_t		 i, r, q;
	double		 d;
	int		 k, at, pass, moved = 1;

	for (pass = 0; moved && pass < 20 && time_mono() < c->deadline;
	    pass++) {
		moved = 0;
		for (i = 0; i < c->p->n; i++) {
			if (!sr_is_moved(c, i) || (d = sr_back(c, i, &r, &k,
			    &q, &at, &why)) > c->move_cost)
				continue;
			sr_take(&c->rt[r], k);
			c->rt[r].touched = 1;
			if (q == SIZE_MAX) {
				c->rt = xreallocarray(c->rt, c->nrt + 1,
				    sizeof(*c->rt));
				kr = &c->rt[q = c->nrt++];
				memset(kr, 0, sizeof(*kr));
				kr->type = c->pk[i].prev_type;
				kr->day = c->pk[i].prev_day;
				kr->slot = c->pk[i].prev_slot;
			}
			sr_put(&c->rt[q], at, i);
			c->rt[q].touched = 1;
			moved = 1;
		}
		for (r = 0; moved && r < c->nrt; r++)
			if (c->rt[r].touched) {
				sr_improve(c, &c->rt[r]);
				c->rt[r].touched = 0;
			}
	}
}

/* Routes and pickups' states of one start, kept while the other runs. */
struct sr_snap {
	struct sr_route	*rt;
	size_t		 nrt;
	int		*done, *reason, *lost;
};

/* Move c's routes and pickup states into sn; c starts afresh. */
static void
sr_snap_take(struct sr_ctx *c, struct sr_snap *sn)
{
	size_t	i;

	sn->rt = c->rt;
	sn->nrt = c->nrt;
	sn->done = xcalloc(c->p->n + 1, sizeof(int));
	sn->reason = xcalloc(c->p->n + 1, sizeof(int));
	sn->lost = xcalloc(c->p->n + 1, sizeof(int));
	for (i = 0; i < c->p->n; i++) {
		sn->done[i] = c->pk[i].done;
		sn->reason[i] = c->pk[i].reason;
		sn->lost[i] = c->pk[i].lost;
		c->pk[i].done = c->pk[i].reason = c->pk[i].lost = 0;
	}
	c->rt = NULL;
	c->nrt = 0;
}

static void
sr_snap_free(struct sr_snap *sn)
{
	size_t	r;

	for (r = 0; r < sn->nrt; r++)
		free(sn->rt[r].stop);
	free(sn->rt);
	free(sn->done);
	free(sn->reason);
	free(sn->lost);
	memset(sn, 0, sizeof(*sn));
}

/* Pickups left unrouted, and the routes' cost with the term, of c. */
static int
sr_score(const struct sr_ctx *c, double *cost)
{
	size_t	i, r;
	int	left = 0;

	*cost = 0;
	for (r = 0; r < c->nrt; r++)
		*cost += sr_cost(c, &c->rt[r]);
	for (i = 0; i < c->p->n; i++)
		if (c->pk[i].done)
			*cost += sr_is_moved(c, i) ? c->move_cost : 0;
		else
			left += sr_served_by(c, i) != SIZE_MAX;
	return left;
}

/*
 * Keep the better of the two starts: fewer pickups unrouted, then the
 * lower cost with the stability term; the previous plan's on a tie.
 * sn (the previous plan's start) is freed.
 */
static void
sr_choose(struct sr_ctx *c, struct sr_snap *sn)
{
	struct sr_snap	 mine;
	double		 ck, ce;
	int		 lk, le;
	size_t		 i;

	le = sr_score(c, &ce);
	sr_snap_take(c, &mine);
	c->rt = sn->rt;
	c->nrt = sn->nrt;
	for (i = 0; i < c->p->n; i++) {
		c->pk[i].done = sn->done[i];
		c->pk[i].reason = sn->reason[i];
		c->pk[i].lost = sn->lost[i];
	}
	sn->rt = NULL;
	sn->nrt = 0;
	lk = sr_score(c, &ck);
	log_info("routing: kept start %.2f with %d unrouted, search %.2f "
	    "with %d (move cost %g)", ck, lk, ce, le, c->move_cost);
	if (le < lk || (le == lk && ce < ck)) {
		sr_snap_take(c, sn);
		c->rt = mine.rt;
		c->nrt = mine.nrt;
		for (i = 0; i < c->p->n; i++) {
			c->pk[i].done = mine.done[i];
			c->pk[i].reason = mine.reason[i];
			c->pk[i].lost = mine.lost[i];
		}
		mine.rt = NULL;
		mine.nrt = 0;
	}
	sr_snap_free(&mine);
	sr_snap_free(sn);
}

/*
 * A move to another centre, priced by the location stage: what it saved
 * there ("centre_saving", null when it cannot be said) and whether the
 * old centre had no room for the pickup ("centre_full") or was closed
 * ("centre_closed"); see solve-move.c.
 */
static void
sr_centre_move(const struct sr_ctx *c, size_t i, json_t *o)
{
	const struct solve_problem	*p = c->p;
	size_t				 from;
	double				 d;
	enum solve_move			 m;

	if (p->prev_centre == NULL || (from = p->prev_centre[i]) >= p->m ||
	    from == sr_served_by(c, i))
		return;
	m = solve_centre_move(p, c->pl, i, from, sr_served_by(c, i), &d);
	json_object_set_new(o, "centre_saving", isfinite(d) ? json_real(d) :
	    json_null());
	json_object_set_new(o, "centre_full", json_boolean(m ==
	    SOLVE_MOVE_FULL));
	json_object_set_new(o, "centre_closed", json_boolean(m ==
	    SOLVE_MOVE_CLOSED));
}

/*
 * The moves of the routes kept, for the plan: each pickup routed on
 * another day or vehicle than the previous plan had it, from where to
 * where, and what the move saves (sr_back; more than the move cost
 * unless time ran out), or why it could not stay ("reason", saving
 * null; for another centre, what the location stage saw, sr_centre_move).
 */
static json_t *
sr_moves(struct sr_ctx *c)
{
	json_t		*a = json_array(), *o;
	const char	*why;
	size_t		 i, r, q;
	double		 d;
	char		 from[11], to[11], name[96];
	int		 k, at;

	for (i = 0; i < c->p->n; i++) {
		const struct sr_pickup *s = &c->pk[i];

		if (!sr_is_moved(c, i))
			continue;
		d = sr_back(c, i, &r, &k, &q, &at, &why);
		days_to_date(s->prev_day, from);
		days_to_date(c->rt[r].day, to);
		snprintf(name, sizeof(name), "%s-%d", c->vt[c->rt[r].type].id,
		    c->rt[r].slot);
		o = json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s}}", "pickup", s->id,
		    "from", "day", from, "vehicle", s->prev_vehicle, "to",
		    "day", to, "vehicle", name);
		if (d == HUGE_VAL)
			json_object_set_new(o, "reason", json_string(why ?
			    why : "full"));
		if (why != NULL && strcmp(why, "centre") == 0)
			sr_centre_move(c, i, o);
		json_object_set_new(o, "saving", d == HUGE_VAL ? json_null() :
		    json_real(d));
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * Why pickup i stays unrouted, for the plan: the engine's reason when it
 * is one sr_check does not see (skills, the centre's capacity); none of
 * its days in the horizon: deferred; else what keeps every vehicle of
 * its centre from collecting it alone (with all its time windows, which
 * the engine's search does not see); else the fleet was full on each of
 * its days: no_capacity.
 */
static enum route_reason
sr_reason(const struct sr_ctx *c, size_t i)
{
	const struct sr_pickup	*s = &c->pk[i];
	size_t			 t, j = sr_served_by(c, i);
	enum route_reason	 why = ROUTE_NO_CAPACITY, r;
	long long		 d;
	double			 km;
	int			 days = 0;

	if (s->reason == ROUTE_NO_SKILL || s->reason == ROUTE_CENTRE_FULL)
		return s->reason;
	for (d = c->day0; d < c->day0 + c->ndays; d++)
		days += sr_candidate(c, s, d);
	if (days == 0)
		return ROUTE_DEFERRED;
	for (t = 0; t < c->nvt; t++) {
		if (c->vt[t].centre != j)
			continue;
		if ((r = sr_check(c, t, &i, 1, &km)) == ROUTE_ASSIGNED)
			return ROUTE_NO_CAPACITY;
		if (r != ROUTE_NO_CAPACITY)
			why = r;
	}
	return why;
}

/*
 * Routes handed to crews (pins of kind dispatched) are kept as they are,
 * on their vehicle, day and order: they become fixed routes before the
 * engine runs, their vehicles are not offered to it that day, and the
 * repair leaves them alone.  -1 when a pin names a vehicle the fleet no
 * longer has (recircd then builds every route itself).
 */
static int
sr_dispatched(struct sr_ctx *c)
{
	struct sr_route	*kr;
	size_t		 i, q, t, len;
	const char	*dash;
	int		 nth, k;

	for (i = 0; i < c->p->n; i++) {
		struct sr_pickup *s = &c->pk[i];

		if (s->pin_vehicle == NULL || s->done)
			continue;
		if ((dash = strrchr(s->pin_vehicle, '-')) == NULL ||
		    (nth = atoi(dash + 1)) < 1)
			return -1;
		len = (size_t)(dash - s->pin_vehicle);
		for (t = 0; t < c->nvt; t++)
			if (strlen(c->vt[t].id) == len && strncmp(c->vt[t].id,
			    s->pin_vehicle, len) == 0 && c->vt[t].centre ==
			    sr_served_by(c, i) && nth <= c->vt[t].count)
				break;
		if (t == c->nvt)
			return -1;
		c->rt = xreallocarray(c->rt, c->nrt + 1, sizeof(*c->rt));
		kr = &c->rt[c->nrt++];
		memset(kr, 0, sizeof(*kr));
		kr->type = t;
		kr->day = s->pin_day;
		kr->nth = kr->slot = nth;
		/* The route's stops: every pickup with this pin, in order. */
		for (q = i; q < c->p->n; q++) {
			if (c->pk[q].pin_vehicle == NULL || c->pk[q].pin_day !=
			    s->pin_day || strcmp(c->pk[q].pin_vehicle,
			    s->pin_vehicle) != 0)
				continue;
			for (k = kr->n; k > 0 && c->pk[kr->stop[k - 1]].pin_stop >
			    c->pk[q].pin_stop; k--)
				;
			sr_put(kr, k, q);
			c->pk[q].done = 1;
		}
	}
	return 0;
}

/* The dispatched routes of type t on day d (their vans are taken). */
static int
sr_fixed(const struct sr_ctx *c, size_t t, long long d)
{
	size_t	r;
	int	n = 0;

	for (r = 0; r < c->nrt; r++)
		n += c->rt[r].nth > 0 && c->rt[r].type == t &&
		    c->rt[r].day == d;
	return n;
}


/*
 * The centres' routing, side by side (issue 14).  A centre's days depend
 * on each other (what day d collects is no candidate on day d + 1); the
 * centres do not: a pickup has one centre and a centre's vans are its
 * own.  So each open centre is one task, routed day by day on a copy of
 * the context (sr_work): its own vehicle types, whose counts
 * sr_centre_day lowers by the dispatched routes, and its own route array,
 * which starts with the dispatched routes (read only, for sr_fixed) and
 * takes the centre's new ones.  The pickups are shared, and each is
 * written by its centre's task only (sr_candidates looks at the centre
 * before anything else).  threads threads take the tasks largest first;
 * the routes are then merged day by day and centre by centre, the order
 * of a sequential run, so the plan does not depend on the thread count
 * or on which thread ran what: only, as before, on the time each search
 * had when its time limit and not its iteration cap ended it.  The engine
 * (route.h) is pure and GLPK is built thread-safe (MEASURED.md).
 */
struct sr_work {
	struct sr_ctx	 c;		/* the task's context */
	size_t		 j;		/* its centre */
	size_t		 n;		/* its pickups, for its share of time */
	size_t		 nbase;		/* c.rt[0..nbase): the dispatched */
	int		 rc;
};

struct sr_pool {
	struct sr_ctx	*c;		/* the shared context */
	struct sr_work	*w;		/* the tasks, largest first */
	size_t		 nw, next;	/* next: the next task to take */
	size_t		 left;		/* pickups of the tasks not taken */
	int		 threads;
	pthread_mutex_t	 mtx;		/* next and left */
};

/* Larger tasks (more pickups) first, then by centre. */
static int
sr_work_cmp(const void *a, const void *b)
{
	const struct sr_work	*x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/*
 * Take the next task and route it; NULL when none is left.  A task's
 * deadline gives it the share of the engine's time left that its pickups
 * are of the pickups left, times the threads (they run side by side).
 */
static struct sr_work *
sr_work_take(struct sr_pool *po)
{
	struct sr_work	*w = NULL;
	double		 now, f;

	pthread_mutex_lock(&po->mtx);
	if (po->next < po->nw) {
		w = &po->w[po->next++];
		now = time_mono();
		f = po->left > 0 ? fmin(1.0, (double)po->threads * w->n /
		    po->left) : 1.0;
		w->c.engine_end = now + fmax(0, po->c->engine_end - now) * f;
		po->left -= w->n;
	}
	pthread_mutex_unlock(&po->mtx);
	return w;
}

/* Route tasks, each day by day, until none is left. */
static void
sr_work_loop(struct sr_pool *po)
{
	struct sr_work	*w;
	int		 d, left;

	/* Each open day gets a share of the time left (sr_centre_day). */
	while ((w = sr_work_take(po)) != NULL) {
		left = days_open(w->c.closed, 0, w->c.ndays - 1);
		for (d = 0; d < w->c.ndays; d++) {
			if (sr_closed(&w->c, w->c.day0 + d))
				continue;
			if ((w->rc = sr_centre_day(&w->c, w->j, w->c.day0 + d,
			    left--)) == -1)
				break;
		}
	}
}

/* A thread started by sr_route_all. */
static void *
sr_work_cb(void *arg)
{
	sr_work_loop(arg);
	mip_thread_done();	/* GLPK's state of this thread */
	return NULL;
}

/* Set up a task for centre j on a copy of c. */
static void
sr_work_init(struct sr_work *w, const struct sr_ctx *c, size_t j)
{
	size_t	i;

	memset(w, 0, sizeof(*w));
	w->c = *c;
	w->j = j;
	w->c.vt = xcalloc(c->nvt + 1, sizeof(*c->vt));
	if (c->nvt > 0)
		memcpy(w->c.vt, c->vt, c->nvt * sizeof(*c->vt));
	/* no dispatched routes: c->rt is NULL, and memcpy's source may not be */
	w->c.rt = xcalloc(c->nrt + 1, sizeof(*c->rt));
	if (c->nrt > 0)
		memcpy(w->c.rt, c->rt, c->nrt * sizeof(*c->rt));
	w->nbase = c->nrt;
	w->c.retries = 0;
	for (i = 0; i < c->p->n; i++)
		w->n += c->centre[i] == j && !c->pk[i].done;
}

/*
 * Route every open centre's days with threads threads, the routes kept
 * in c->rt.  0, or -1 when the engine failed on one of them.
 */
static int
sr_route_all(struct sr_ctx *c, int threads)
{
	struct sr_pool	 po;
	pthread_t	*thr;
	size_t		 j, k, r;
	int		 t, started = 0, rc = 0;
	long long	 d;

	memset(&po, 0, sizeof(po));
	po.c = c;
	po.w = xcalloc(c->p->m + 1, sizeof(*po.w));
	for (j = 0; j < c->p->m; j++)
		if (c->pl->open[j]) {
			sr_work_init(&po.w[po.nw], c, j);
			po.left += po.w[po.nw++].n;
		}
	qsort(po.w, po.nw, sizeof(*po.w), sr_work_cmp);
	po.threads = threads < 1 ? 1 : (size_t)threads > po.nw ?
	    (int)(po.nw > 0 ? po.nw : 1) : threads;
	pthread_mutex_init(&po.mtx, NULL);
	thr = xcalloc(po.threads, sizeof(*thr));
	/* This thread is one of them; the others are started. */
	for (t = 1; t < po.threads; t++, started++)
		if (pthread_create(&thr[t], NULL, sr_work_cb, &po) != 0) {
			log_warnx("routing: cannot start a thread; %d run",
			    t);
			break;
		}
	sr_work_loop(&po);
	for (t = 1; t <= started; t++)
		pthread_join(thr[t], NULL);
	pthread_mutex_destroy(&po.mtx);
	free(thr);
	/* Merge: by day, then by centre, as a sequential run kept them. */
	for (d = c->day0; d < c->day0 + c->ndays; d++)
		for (j = 0; j < c->p->m; j++)
			for (k = 0; k < po.nw; k++) {
				struct sr_work *w = &po.w[k];

				if (w->j != j)
					continue;
				for (r = w->nbase; r < w->c.nrt; r++) {
					if (w->c.rt[r].day != d)
						continue;
					c->rt = xreallocarray(c->rt, c->nrt +
					    1, sizeof(*c->rt));
					c->rt[c->nrt++] = w->c.rt[r];
				}
			}
	for (k = 0; k < po.nw; k++) {
		rc |= po.w[k].rc;
		c->retries += po.w[k].c.retries;
		free(po.w[k].c.rt);
		free(po.w[k].c.vt);
	}
	free(po.w);
	return rc == 0 ? 0 : -1;
}

/*
 * Routes for plan pl of problem in (the problem's JSON) within
 * time_limit seconds, threads centres routed at once (sr_route_all): an
 * object {"routes": [...], "unrouted": [{pickup, reason}]}, a new
 * reference; NULL when routing does not apply.
 */
json_t *
solve_routes(const struct solve_problem *p, const struct solve_plan *pl,
    double time_limit, unsigned long seed, int threads)
{
	struct sr_ctx	 c;
	struct sr_snap	 kept;
	json_t		*un, *out = NULL;
	size_t		 i, *by;
	int		 lost[SR_NSTAGE];
	int		 why[ROUTE_DEFERRED + 1];
	double		 end, t0;
	enum route_reason r;

	memset(&c, 0, sizeof(c));
	memset(&kept, 0, sizeof(kept));
	c.p = p;
	c.move_cost = p->move_cost;
	c.pl = pl;
	c.seed = seed;
	c.deadline = time_mono() + time_limit;
	/* The repair (sr_repair) takes a fraction of a second. */
	c.engine_end = c.deadline - fmin(1.0, time_limit / 20);
	c.model = p->model;
	c.ndays = p->ndays;
	c.day0 = p->day0;
	c.closed = p->closed;
	c.opens = p->opens;
	/* No dates at all: one day, and routes without a "day". */
	if ((c.dated = c.day0 > 0) == 0)
		c.day0 = 1;
	if (p->lat == NULL || p->vt == NULL || c.ndays < 1 ||
	    c.model.detour <= 0 || c.model.speed_kmh <= 0 ||
	    sr_vtypes(&c) == 0 || sr_pickups(&c) == -1 ||
	    sr_dispatched(&c) == -1)
		goto done;
	/* Each pickup's centre, once: the workers look it up often. */
	by = xcalloc(p->n + 1, sizeof(size_t));
	for (i = 0; i < p->n; i++)
		by[i] = sr_served_by(&c, i);
	c.centre = by;
	if (c.stable) {
		/*
		 * The previous plan's start first, in a tenth of the time at
		 * most: with many new pickups its insertions and ejections
		 * could take the engine's.
		 */
		end = c.deadline;
		c.deadline = fmin(end, time_mono() + time_limit / 10);
		sr_keep_previous(&c);
		sr_repair(&c);
		sr_stay(&c);
		log_info("routing: the previous plan's start took %.2f s",
		    time_mono() - (end - time_limit));
		c.deadline = end;
		sr_snap_take(&c, &kept);
		if (sr_dispatched(&c) == -1)
			goto done;
	}
	t0 = time_mono();
	if (sr_route_all(&c, threads) == -1)
		goto done;
	log_info("routing: the engine took %.2f s on %d thread%s",
	    time_mono() - t0, threads, threads == 1 ? "" : "s");
	t0 = time_mono();
	if (c.stable)
		sr_match(&c);
	sr_repair(&c);
	if (c.stable) {
		sr_stay(&c);
		sr_choose(&c, &kept);
	}
	un = json_array();
	memset(lost, 0, sizeof(lost));
	memset(why, 0, sizeof(why));
	for (i = 0; i < p->n; i++)
		if (!c.pk[i].done && sr_served_by(&c, i) != SIZE_MAX) {
			r = sr_reason(&c, i);
			json_array_append_new(un, json_pack("{s:s, s:s}",
			    "pickup", c.pk[i].id, "reason",
			    route_reason_name(r)));
			lost[c.pk[i].lost]++;
			why[r]++;
		}
	log_info("routing: %zu routes; %d engine runs repeated, %d pickups "
	    "placed by the repair; %zu unrouted (%d no_capacity, %d "
	    "no_window, %d shift_too_short, %d other), left by the engine "
	    "%d, stop limits %d, item counts %d, vehicle counts %d",
	    c.nrt, c.retries, c.repaired, json_array_size(un),
	    why[ROUTE_NO_CAPACITY], why[ROUTE_NO_WINDOW],
	    why[ROUTE_SHIFT_SHORT], (int)json_array_size(un) -
	    why[ROUTE_NO_CAPACITY] - why[ROUTE_NO_WINDOW] -
	    why[ROUTE_SHIFT_SHORT], lost[SR_ENGINE], lost[SR_CUT_STOPS],
	    lost[SR_CUT_ITEMS], lost[SR_CUT_VEHICLES]);
	log_info("routing: the repair and the rest took %.2f s",
	    time_mono() - t0);
	out = json_pack("{s:o, s:o}", "routes", sr_write(&c), "unrouted", un);
	if (c.stable)
		json_object_set_new(out, "moves", sr_moves(&c));
done:
	sr_snap_free(&kept);
	for (i = 0; i < c.nrt; i++)
		free(c.rt[i].stop);
	free(c.rt);
	free(c.vt);
	free(c.pk);
	free(c.centre);
	return out;
}
