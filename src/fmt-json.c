/*
 * fmt-json.c -- our JSON problem format in, the plan JSON out (and back in,
 * for `recirc-solve --validate`).
 *
 * The problem format is documented in recirc-solve(1).  Item classes are
 * the (category, condition) pairs met in the pickups' items, in order of
 * appearance; an item brings quantity x weight_kg units of its class; rules
 * give the eligible streams and the value per kg.  The assignment cost of a
 * pickup at a centre is, in order of preference: the pickup's "costs"
 * entry, twice the "matrix" distance times cost_per_km, or twice the
 * haversine distance times the detour factor times cost_per_km (a
 * round-trip estimate the routing part refines).  Vehicle types, time
 * windows and service times are accepted and left for the routing engine.
 * Pure: buffers in, strings out.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "json.h"
#include "solve.h"

static const char *pjson_default_streams[] = {
	"repair", "reuse", "recycle", "dispose"
};

struct pjson_ctx {
	json_t	*root;
	json_t	*centres, *pickups, *rules, *matrix;
	double	 cost_per_km, detour, defer_default;
	size_t	 nclass;
	char	**cat, **cond;	/* [nclass] */
};

/* Does buf look like JSON (an object)? */
int
pjson_detect(const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			return buf[i] == '{';
	return 0;
}

static double
pjson_num(const json_t *o, const char *key, double def)
{
	json_t	*v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : def;
}

/*
 * A whole number member within [lo, hi] (clamped; def when absent or not
 * a number): a document's 1e300 must not become an int out of range.
 */
static int
pjson_int(const json_t *o, const char *key, double def, int lo, int hi)
{
	double	v = pjson_num(o, key, def);

	if (isnan(v))
		v = def;
	return v < lo ? lo : v > hi ? hi : (int)v;
}

static const char *
pjson_str(const json_t *o, const char *key, const char *def)
{
	json_t	*v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : def;
}

/* Index of the class (cat, cond), adding it when new. */
static size_t
pjson_class(struct pjson_ctx *c, const char *cat, const char *cond)
{
	size_t	k;

	for (k = 0; k < c->nclass; k++)
		if (strcmp(c->cat[k], cat) == 0 && strcmp(c->cond[k], cond) == 0)
			return k;
	c->cat = xreallocarray(c->cat, c->nclass + 1, sizeof(char *));
	c->cond = xreallocarray(c->cond, c->nclass + 1, sizeof(char *));
	c->cat[c->nclass] = xstrdup(cat);
	c->cond[c->nclass] = xstrdup(cond);
	return c->nclass++;
}

/* First pass over the items: collect the classes, check the shape. */
static int
pjson_scan_items(struct pjson_ctx *c, char **cause)
{
	size_t	 i, t;
	json_t	*pk, *items, *it;

	json_array_foreach(c->pickups, i, pk) {
		if (!json_is_object(pk) || !json_is_string(json_object_get(pk,
		    "id"))) {
			xasprintf(cause, "pickups[%zu]: an object with an "
			    "\"id\" string is required", i);
			return -1;
		}
		items = json_object_get(pk, "items");
		if (!json_is_array(items)) {
			xasprintf(cause, "pickup %s: \"items\" must be an "
			    "array", pjson_str(pk, "id", ""));
			return -1;
		}
		json_array_foreach(items, t, it) {
			if (pjson_str(it, "category", NULL) == NULL) {
				xasprintf(cause, "pickup %s: item %zu has no "
				    "category", pjson_str(pk, "id", ""), t);
				return -1;
			}
			pjson_class(c, pjson_str(it, "category", ""),
			    pjson_str(it, "condition", "unknown"));
		}
	}
	return 0;
}

static int
pjson_streams(struct pjson_ctx *c, struct solve_problem *p, char **cause)
{
	json_t	*st = json_object_get(c->root, "streams");
	size_t	 s;

	if (st == NULL) {
		for (s = 0; s < p->nstream; s++)
			p->stream_id[s] = xstrdup(pjson_default_streams[s]);
		return 0;
	}
	for (s = 0; s < p->nstream; s++) {
		if (!json_is_string(json_array_get(st, s))) {
			xasprintf(cause, "streams[%zu] must be a string", s);
			return -1;
		}
		p->stream_id[s] = xstrdup(json_string_value(json_array_get(st,
		    s)));
	}
	return 0;
}

static int
pjson_stream_index(const struct solve_problem *p, const char *name)
{
	size_t	s;

	for (s = 0; s < p->nstream; s++)
		if (strcmp(p->stream_id[s], name) == 0)
			return (int)s;
	return -1;
}

/* Rules: value per kg of (category, condition) in a stream; "*" matches
 * anything; the first rule for a (class, stream) wins. */
static int
pjson_rules(struct pjson_ctx *c, struct solve_problem *p, char **cause)
{
	size_t	 r, k;
	json_t	*ru;
	const char *cat, *cond;
	int	 s;

	json_array_foreach(c->rules, r, ru) {
		cat = pjson_str(ru, "category", "*");
		cond = pjson_str(ru, "condition", "*");
		s = pjson_stream_index(p, pjson_str(ru, "stream", ""));
		if (s < 0 || !json_is_number(json_object_get(ru, "value"))) {
			xasprintf(cause, "rules[%zu]: needs a known \"stream\" "
			    "and a numeric \"value\"", r);
			return -1;
		}
		/*
		 * c->nclass, not p->nclass: a problem without items has
		 * one placeholder class ("none/none") that no rule names
		 * and that c->cat does not hold.
		 */
		for (k = 0; k < c->nclass; k++)
			if ((strcmp(cat, "*") == 0 ||
			    strcmp(cat, c->cat[k]) == 0) &&
			    (strcmp(cond, "*") == 0 ||
			    strcmp(cond, c->cond[k]) == 0) &&
			    isnan(p->value[k * p->nstream + s]))
				p->value[k * p->nstream + s] =
				    pjson_num(ru, "value", 0);
	}
	return 0;
}

/* A per-stream object such as {"reuse": 500}; absent streams get def. */
static int
pjson_per_stream(const struct solve_problem *p, const json_t *o,
    double *out, double def, const char *what, const char *id, char **cause)
{
	const char	*key;
	json_t		*v;
	size_t		 s;
	int		 si;

	for (s = 0; s < p->nstream; s++)
		out[s] = def;
	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		goto bad;
	json_object_foreach((json_t *)o, key, v) {
		if ((si = pjson_stream_index(p, key)) < 0 ||
		    !json_is_number(v) || json_number_value(v) < 0)
			goto bad;
		out[si] = json_number_value(v);
	}
	return 0;
bad:
	xasprintf(cause, "centre %s: \"%s\" must map known streams to "
	    "non-negative numbers", id, what);
	return -1;
}

static int
pjson_centres(struct pjson_ctx *c, struct solve_problem *p, char **cause)
{
	size_t	 j;
	json_t	*ce;
	const char *id;

	json_array_foreach(c->centres, j, ce) {
		if ((id = pjson_str(ce, "id", NULL)) == NULL) {
			xasprintf(cause, "centres[%zu]: no \"id\"", j);
			return -1;
		}
		p->centre_id[j] = xstrdup(id);
		p->fixed[j] = pjson_num(ce, "fixed_cost", 0);
		/* An existing centre stays open unless told otherwise. */
		p->force_open[j] = json_is_boolean(json_object_get(ce,
		    "force_open")) ? json_is_true(json_object_get(ce,
		    "force_open")) : json_is_true(json_object_get(ce,
		    "existing"));
		p->lat[p->n + j] = pjson_num(ce, "lat", NAN);
		p->lon[p->n + j] = pjson_num(ce, "lon", NAN);
		if (pjson_per_stream(p, json_object_get(ce, "capacity"),
		    &p->cap[j * p->nstream], 0, "capacity", id, cause) == -1 ||
		    pjson_per_stream(p, json_object_get(ce, "outbound"),
		    &p->outbound[j * p->nstream], 0, "outbound", id,
		    cause) == -1)
			return -1;
	}
	return 0;
}

/*
 * The fleet limit of each centre: the vehicle types homed there, times
 * their count and the horizon's open days, at FLEET_FILL of their kg capacity
 * (routes rarely fill a vehicle, shifts and stop limits see to that).
 * With vehicle types given, a centre without vehicles collects nothing.
 */
#define FLEET_FILL 0.85
#define FLEET_TRAVEL_MIN 6	/* driving allowed per stop, minutes */
static void
pjson_fleet(struct pjson_ctx *c, struct solve_problem *p)
{
	json_t		*vts = json_object_get(c->root, "vehicle_types"), *v;
	const char	*home;
	double		 days, n, stops;
	size_t		 t, j, i;

	if (json_array_size(vts) == 0)
		return;
	days = days_open(p->closed, 0, p->ndays - 1);
	for (j = 0; j < p->m; j++)
		p->fleet_kg[j] = p->fleet_stops[j] = p->fleet_min[j] = 0;
	json_array_foreach(c->pickups, i, v)
		if (i < p->n)
			p->stop_min[i] = pjson_num(v, "service_min", 10) +
			    FLEET_TRAVEL_MIN;
	json_array_foreach(vts, t, v) {
		home = pjson_str(v, "home", pjson_str(v, "centre", NULL));
		for (j = 0; home != NULL && j < p->m; j++)
			if (strcmp(p->centre_id[j], home) == 0)
				break;
		if (home == NULL || j == p->m)
			continue;
		n = pjson_num(v, "count", 1) * days;
		p->fleet_kg[j] += n * FLEET_FILL * pjson_num(json_object_get(v,
		    "capacity"), "kg", HUGE_VAL);
		stops = pjson_num(v, "max_stops", 0);
		p->fleet_stops[j] += stops > 0 ? n * stops : HUGE_VAL;
		p->fleet_min[j] += n * FLEET_FILL * pjson_num(v, "shift_min",
		    HUGE_VAL);
	}
}

enum pjson_dim { PJ_KG, PJ_M3, PJ_ITEMS, PJ_STOPS, PJ_MIN, PJ_NDIM };

/*
 * What centre j's vehicles collect in a day, in each dimension, into
 * cap[PJ_NDIM]: their capacities at FLEET_FILL, stops at their limit;
 * HUGE_VAL where a type has no limit.
 */
static void
pjson_fleet_day(struct pjson_ctx *c, struct solve_problem *p, size_t j,
    double *cap)
{
	json_t		*v, *vc;
	const char	*home;
	double		 n, stops;
	size_t		 t;
	int		 d;

	for (d = 0; d < PJ_NDIM; d++)
		cap[d] = 0;
	json_array_foreach(json_object_get(c->root, "vehicle_types"), t, v) {
		home = pjson_str(v, "home", pjson_str(v, "centre", NULL));
		if (home == NULL || strcmp(home, p->centre_id[j]) != 0)
			continue;
		n = pjson_num(v, "count", 1);
		vc = json_object_get(v, "capacity");
		cap[PJ_KG] += n * FLEET_FILL * pjson_num(vc, "kg", HUGE_VAL);
		cap[PJ_M3] += n * FLEET_FILL * pjson_num(vc, "m3", HUGE_VAL);
		cap[PJ_ITEMS] += n * FLEET_FILL * pjson_num(vc, "items",
		    HUGE_VAL);
		stops = pjson_num(v, "max_stops", 0);
		cap[PJ_STOPS] += stops > 0 ? n * stops : HUGE_VAL;
		cap[PJ_MIN] += n * FLEET_FILL * pjson_num(v, "shift_min",
		    HUGE_VAL);
	}
}

/* Pickup i's use of dimension d of a vehicle (pk: its object). */
static double
pjson_use(const struct solve_problem *p, const json_t *pk, size_t i, int d)
{
	json_t	*it;
	size_t	 t;
	double	 u = 0;

	switch (d) {
	case PJ_KG:
		return solve_pickup_total(p, i);
	case PJ_STOPS:
		return 1;
	case PJ_MIN:
		return p->stop_min[i];
	}
	json_array_foreach(json_object_get(pk, "items"), t, it)
		u += pjson_num(it, "quantity", 1) * (d == PJ_M3 ?
		    pjson_num(it, "volume_m3", 0) : 1);
	return u;
}

/*
 * The days of the horizon (0 .. days-1 from day0) pickup pk may be
 * collected on, as the routing stage sees them (solve-route.c,
 * days_window): the open days of its date window or its pin, an overdue
 * one on the first open day.  -1 in *a when none.
 */
static void
pjson_days(const struct solve_problem *p, const json_t *pk, long long day0,
    int days, int *a, int *b)
{
	const json_t	*w = json_object_get(pk, "window");
	const char	*pin = pjson_str(json_object_get(pk, "pin"), "day",
			    NULL);
	long long	 from = date_to_days(pjson_str(w, "from", "")),
			 to = date_to_days(pjson_str(w, "to", "")), x, y;

	if (from < 0)
		from = day0;
	if (to < 0)
		to = day0 + days - 1;
	if (pin != NULL && date_to_days(pin) >= 0)
		from = to = date_to_days(pin);
	if (!days_window(day0, days, day0 == p->day0 && days == p->ndays ?
	    p->closed : NULL, from, to, &x, &y)) {
		*a = *b = -1;
		return;
	}
	*a = (int)(x - day0);
	*b = (int)((y < day0 + days - 1 ? y : day0 + days - 1) - day0);
}

/*
 * Add a fleet pattern: use[] (n, taken) over days a..b in dimension d,
 * and a row for every centre whose vehicles might not manage it.
 */
static void
pjson_fleet_pat(struct solve_problem *p, const double *daycap, double *use,
    int len, int d)
{
	double	total = 0, cap;
	size_t	i, j, pat = p->nfleet_pat;

	for (i = 0; i < p->n; i++)
		total += use[i];
	for (j = 0; j < p->m; j++) {
		cap = len * daycap[j * PJ_NDIM + d];
		if (!isfinite(cap) || total <= cap)
			continue;
		p->fleet_centre = xreallocarray(p->fleet_centre,
		    p->nfleet + 1, sizeof(size_t));
		p->fleet_pat = xreallocarray(p->fleet_pat, p->nfleet + 1,
		    sizeof(size_t));
		p->fleet_cap = xreallocarray(p->fleet_cap, p->nfleet + 1,
		    sizeof(double));
		p->fleet_centre[p->nfleet] = j;
		p->fleet_pat[p->nfleet] = pat;
		p->fleet_cap[p->nfleet++] = cap;
	}
	if (p->nfleet > 0 && p->fleet_pat[p->nfleet - 1] == pat) {
		p->fleet_use = xreallocarray(p->fleet_use, (pat + 1) * p->n,
		    sizeof(double));
		memcpy(&p->fleet_use[pat * p->n], use, p->n * sizeof(double));
		p->nfleet_pat++;
	}
}

/*
 * The fleet's limits beyond pjson_fleet's: volume and items over the
 * horizon, and every dimension over each run of days a..b (all runs up
 * to FLEET_RUNS days of horizon, else those from the first day or to the
 * last) against the pickups that must be collected within it.
 */
#define FLEET_RUNS 7
static void
pjson_fleet_rows(struct pjson_ctx *c, struct solve_problem *p)
{
	json_t		*h = json_object_get(c->root, "horizon"), *pk;
	long long	 day0 = date_to_days(pjson_str(h, "from", ""));
	int		 days = pjson_int(h, "days", 1, 0, 3660), a, b, d, *from, *to;
	int		 full, open;
	double		*daycap, *use;
	size_t		 i, j;

	if (json_array_size(json_object_get(c->root, "vehicle_types")) == 0 ||
	    days < 1)
		return;
	if (day0 < 0)
		days = 1;
	daycap = xcalloc(p->m * PJ_NDIM, sizeof(double));
	use = xcalloc(p->n + 1, sizeof(double));
	from = xcalloc(p->n + 1, sizeof(int));
	to = xcalloc(p->n + 1, sizeof(int));
	for (j = 0; j < p->m; j++)
		pjson_fleet_day(c, p, j, &daycap[j * PJ_NDIM]);
	json_array_foreach(c->pickups, i, pk)
		if (i < p->n)
			pjson_days(p, pk, day0 < 0 ? 0 : day0, days, &from[i],
			    &to[i]);
	for (a = 0; a < days; a++)
		for (b = a; b < days; b++) {
			if (days > FLEET_RUNS && a > 0 && b < days - 1)
				continue;
			/* A run from or to a closed day is a shorter one's. */
			full = a == 0 && b == days - 1;
			if ((open = day0 == p->day0 ? days_open(p->closed, a,
			    b) : b - a + 1) == 0 || (!full && p->closed !=
			    NULL && (p->closed[a] || p->closed[b])))
				continue;
			for (d = 0; d < PJ_NDIM; d++) {
				/* pjson_fleet has these over the horizon. */
				if (full && (d == PJ_KG || d == PJ_STOPS ||
				    d == PJ_MIN))
					continue;
				json_array_foreach(c->pickups, i, pk)
					if (i < p->n)
						use[i] = full || (from[i] >=
						    a && to[i] <= b &&
						    from[i] >= 0) ?
						    pjson_use(p, pk, i, d) : 0;
				pjson_fleet_pat(p, daycap, use, open, d);
			}
		}
	free(daycap);
	free(use);
	free(from);
	free(to);
}

/* Index of node id in the matrix's "nodes", or -1. */
static int
pjson_matrix_node(const struct pjson_ctx *c, const char *id)
{
	json_t	*nodes = json_object_get(c->matrix, "nodes"), *v;
	size_t	 t;

	json_array_foreach(nodes, t, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			return (int)t;
	return -1;
}

/* Cost of serving pickup i (object pk) from centre j. */
static int
pjson_cost(const struct pjson_ctx *c, struct solve_problem *p,
    const json_t *pk, size_t i, size_t j, char **cause)
{
	json_t			*costs = json_object_get(pk, "costs"), *row, *back;
	struct matrix_model	 m;
	int			 a, b;
	double			 d;

	if (json_is_object(costs)) {
		d = pjson_num(costs, p->centre_id[j], HUGE_VAL);
		p->cost[i * p->m + j] = d;
		return 0;
	}
	if (c->matrix != NULL &&
	    (a = pjson_matrix_node(c, p->centre_id[j])) >= 0 &&
	    (b = pjson_matrix_node(c, p->pickup_id[i])) >= 0) {
		row = json_array_get(json_object_get(c->matrix,
		    "distance_km"), a);
		back = json_array_get(json_array_get(json_object_get(
		    c->matrix, "distance_km"), b), a);
		/*
		 * A road router's matrix (it has times) says null where no
		 * road joins the two: that centre cannot serve the pickup,
		 * and one no centre can reach is deferred as unreachable.
		 */
		if (json_object_get(c->matrix, "time_min") != NULL &&
		    (json_is_null(json_array_get(row, b)) ||
		    json_is_null(back))) {
			p->cost[i * p->m + j] = HUGE_VAL;
			if (p->no_road == NULL)
				p->no_road = xcalloc(p->n * (p->m + 1), 1);
			p->no_road[p->n + i * p->m + j] = 1;
			return 0;
		}
		if (json_is_number(json_array_get(row, b))) {
			d = json_number_value(json_array_get(row, b));
			p->cost[i * p->m + j] = 2 * d * c->cost_per_km;
			return 0;
		}
	}
	if (isnan(p->lat[i]) || isnan(p->lat[p->n + j]) ||
	    isnan(p->lon[i]) || isnan(p->lon[p->n + j])) {
		xasprintf(cause, "pickup %s, centre %s: no cost, matrix entry "
		    "or coordinates", p->pickup_id[i], p->centre_id[j]);
		return -1;
	}
	matrix_model_default(&m);	/* costs here are distances only */
	m.detour = c->detour;
	d = matrix_km(&m, p->lat[i], p->lon[i], p->lat[p->n + j],
	    p->lon[p->n + j]);
	p->cost[i * p->m + j] = 2 * d * c->cost_per_km;
	return 0;
}

/* Amounts per class of pickup i. */
static int
pjson_items(struct pjson_ctx *c, struct solve_problem *p, const json_t *pk,
    size_t i, char **cause)
{
	json_t	*it;
	size_t	 t, k;
	double	 q, w;

	json_array_foreach(json_object_get(pk, "items"), t, it) {
		k = pjson_class(c, pjson_str(it, "category", ""),
		    pjson_str(it, "condition", "unknown"));
		q = pjson_num(it, "quantity", 1);
		w = pjson_num(it, "weight_kg", NAN);
		if (!(q >= 0 && w >= 0)) {
			xasprintf(cause, "pickup %s: item %zu needs a "
			    "non-negative weight_kg and quantity",
			    p->pickup_id[i], t);
			return -1;
		}
		p->amount[i * p->nclass + k] += q * w;
	}
	return 0;
}

/* Default defer penalty of pickup i: above any sensible cost to serve it. */
static double
pjson_defer_default(const struct solve_problem *p, size_t i)
{
	double	worst = 0.0, fmax_ = 0.0;
	size_t	j;

	for (j = 0; j < p->m; j++) {
		if (isfinite(p->cost[i * p->m + j]) &&
		    p->cost[i * p->m + j] > worst)
			worst = p->cost[i * p->m + j];
		if (p->fixed[j] > fmax_)
			fmax_ = p->fixed[j];
	}
	return 10 * worst + fmax_ + 1000;
}

static int
pjson_pickups(struct pjson_ctx *c, struct solve_problem *p, char **cause)
{
	size_t	 i, j;
	json_t	*pk, *md;

	json_array_foreach(c->pickups, i, pk) {
		p->pickup_id[i] = xstrdup(pjson_str(pk, "id", ""));
		p->lat[i] = pjson_num(pk, "lat", NAN);
		p->lon[i] = pjson_num(pk, "lon", NAN);
		if (pjson_items(c, p, pk, i, cause) == -1)
			return -1;
		for (j = 0; j < p->m; j++)
			if (pjson_cost(c, p, pk, i, j, cause) == -1)
				return -1;
		md = json_object_get(pk, "may_defer");
		if (json_is_false(md))
			p->defer[i] = NAN;
		else
			p->defer[i] = pjson_num(pk, "defer_penalty",
			    isnan(c->defer_default) ?
			    pjson_defer_default(p, i) : c->defer_default);
	}
	return 0;
}

static void
pjson_ctx_free(struct pjson_ctx *c)
{
	size_t	k;

	for (k = 0; k < c->nclass; k++) {
		free(c->cat[k]);
		free(c->cond[k]);
	}
	free(c->cat);
	free(c->cond);
	json_decref(c->root);
}

/* Load the settings and the top-level arrays; check their types. */
static int
pjson_top(struct pjson_ctx *c, char **cause)
{
	json_t	*set = json_object_get(c->root, "settings");
	json_t	*st = json_object_get(c->root, "streams");

	c->centres = json_object_get(c->root, "centres");
	c->pickups = json_object_get(c->root, "pickups");
	c->rules = json_object_get(c->root, "rules");
	c->matrix = json_object_get(c->root, "matrix");
	if (!json_is_array(c->centres) || json_array_size(c->centres) == 0 ||
	    !json_is_array(c->pickups) || (c->rules != NULL &&
	    !json_is_array(c->rules)) || (st != NULL && (!json_is_array(st) ||
	    json_array_size(st) == 0))) {
		xasprintf(cause, "a problem needs non-empty \"centres\" and "
		    "\"pickups\" arrays (\"rules\", \"streams\": arrays)");
		return -1;
	}
	if (c->matrix != NULL && !json_is_object(c->matrix)) {
		xasprintf(cause, "\"matrix\" must be an object");
		return -1;
	}
	c->cost_per_km = pjson_num(set, "cost_per_km", 1.0);
	c->detour = pjson_num(set, "detour", MATRIX_DETOUR);
	c->defer_default = pjson_num(set, "defer_penalty", NAN);
	return 0;
}

/*
 * no_road[i] (the first n bytes): no centre has a road to and from
 * pickup i; the bytes after them, per pickup and centre, are pjson_cost's.
 */
static void
pjson_no_road(struct solve_problem *p)
{
	size_t	i, j;

	if (p->no_road == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->m; j++)
			if (!p->no_road[p->n + i * p->m + j])
				break;
		p->no_road[i] = j == p->m;
	}
}

/* A date member as days since 1970-01-01, or def. */
static long long
pjson_day(const json_t *o, const char *key, long long def)
{
	const char	*s = json_string_value(json_object_get(o, key));
	long long	 d;

	return s != NULL && (d = date_to_days(s)) >= 0 ? d : def;
}

/*
 * The horizon: "from" (p->day0, 0 when not given), "days" and "closed",
 * the dates in it nothing is collected on (p->closed, NULL: none).
 */
static int
pjson_horizon(const struct pjson_ctx *c, struct solve_problem *p,
    char **cause)
{
	json_t		*hz = json_object_get(c->root, "horizon"), *v;
	json_t		*cl = json_object_get(hz, "closed");
	long long	 d;
	size_t		 k;

	p->ndays = pjson_int(hz, "days", 1, 0, 3660);
	p->day0 = pjson_day(hz, "from", 0);
	if (cl == NULL)
		return 0;
	if (!json_is_array(cl) || p->day0 <= 0) {
		xasprintf(cause, "horizon.closed must be an array of dates, "
		    "with horizon.from");
		return -1;
	}
	json_array_foreach(cl, k, v) {
		if (!json_is_string(v) || (d = date_to_days(json_string_value(
		    v))) < 0) {
			xasprintf(cause, "horizon.closed[%zu] is not a date "
			    "YYYY-MM-DD", k);
			return -1;
		}
		if (d < p->day0 || d >= p->day0 + p->ndays)
			continue;
		if (p->closed == NULL)
			p->closed = xcalloc(p->ndays, 1);
		p->closed[d - p->day0] = 1;
	}
	return 0;
}

/* "HH:MM" (or "24:00") of a member as minutes; -1 when absent or bad. */
static int
pjson_clock(const json_t *o, const char *key)
{
	return hhmm_parse_until(json_string_value(json_object_get(o, key)));
}

/* The index of centre id, or SIZE_MAX. */
static size_t
pjson_centre_index(const struct solve_problem *p, const char *id)
{
	size_t	j;

	for (j = 0; id != NULL && j < p->m; j++)
		if (strcmp(p->centre_id[j], id) == 0)
			return j;
	return SIZE_MAX;
}

/* The vehicle types a route can use: an id, a known home, a count. */
static void
pjson_vtypes(const struct pjson_ctx *c, struct solve_problem *p)
{
	json_t	*a = json_object_get(c->root, "vehicle_types"), *v, *cap;
	size_t	 i;

	p->vt = xcalloc(json_array_size(a) + 1, sizeof(*p->vt));
	json_array_foreach(a, i, v) {
		struct solve_vtype	*t = &p->vt[p->nvt];
		const char		*id = json_string_value(json_object_get(v,
					    "id")), *home;

		if ((home = json_string_value(json_object_get(v, "home"))) ==
		    NULL)
			home = json_string_value(json_object_get(v, "centre"));
		if (id == NULL || (t->centre = pjson_centre_index(p, home)) ==
		    SIZE_MAX)
			continue;
		cap = json_object_get(v, "capacity");
		t->count = pjson_int(v, "count", 1, 0, 100000);
		t->kg = pjson_num(cap, "kg", 1e9);
		t->m3 = pjson_num(cap, "m3", 1e9);
		t->items = pjson_int(cap, "items", 1e6, 0, 1000000);
		t->fixed = pjson_num(v, "fixed_cost", 0);
		t->cpk = pjson_num(v, "cost_per_km", 1);
		t->shift_min = pjson_int(v, "shift_min", 24 * 60, 0, 100000);
		t->max_stops = pjson_int(v, "max_stops", 0, 0, 1000000);
		if (t->count > 0) {
			t->id = xstrdup(id);
			p->nvt++;
		}
	}
}

/*
 * Pickup i's "previous" {centre, day, vehicle, stop}: where the plan
 * being replaced served it.  With a move cost, serving it from another
 * centre costs that much more in the location stage (cost[], so every
 * solver path and the validator price it alike); the routing stage
 * prices another day or vehicle (solve-route.c).
 */
static void
pjson_previous(struct solve_problem *p, const json_t *pk, size_t i)
{
	json_t		*pv = json_object_get(pk, "previous");
	const char	*veh = json_string_value(json_object_get(pv,
			    "vehicle"));
	size_t		 j, c;

	p->stop[i].prev_day = pjson_day(pv, "day", -1);
	if (p->stop[i].prev_day < 0 || veh == NULL)
		return;
	p->stop[i].prev_vehicle = xstrdup(veh);
	p->stop[i].prev_stop = pjson_int(pv, "stop", 0, 0, 1000000);
	c = pjson_centre_index(p, json_string_value(json_object_get(pv,
	    "centre")));
	if (c == SIZE_MAX || p->move_cost <= 0)
		return;
	if (p->prev_centre == NULL) {
		p->prev_centre = xcalloc(p->n + 1, sizeof(size_t));
		for (j = 0; j < p->n; j++)
			p->prev_centre[j] = SIZE_MAX;
	}
	p->prev_centre[i] = c;
	for (j = 0; j < p->m; j++)
		if (j != c && isfinite(p->cost[i * p->m + j]))
			p->cost[i * p->m + j] += p->move_cost;
}

/*
 * The routing stage's inputs (solve.h): read here, once, with the rest
 * of the problem, so the routing stage takes no JSON.  A pickup's date
 * window defaults to the horizon; the horizon's first day to the
 * earliest window start (0 when there are no dates).
 */
static void
pjson_routing(const struct pjson_ctx *c, struct solve_problem *p)
{
	json_t		*set = json_object_get(c->root, "settings"), *pk;
	json_t		*it, *pin, *oh, *ce;
	const char	*kind, *veh;
	long long	 d;
	size_t		 i, k, j;
	int		 o, e;

	matrix_model_default(&p->model);
	p->model.detour = pjson_num(set, "detour", MATRIX_DETOUR);
	p->model.speed_kmh = pjson_num(set, "speed_kmh", MATRIX_SPEED_KMH);
	p->model.table = p->roads;
	p->move_cost = fmax(0, pjson_num(set, "replan_move_cost", 0));
	if (!isfinite(p->move_cost))
		p->move_cost = 0;
	if (p->day0 <= 0) {
		p->day0 = 0;
		json_array_foreach(c->pickups, i, pk) {
			d = pjson_day(json_object_get(pk, "window"), "from", 0);
			if (d > 0 && (p->day0 == 0 || d < p->day0))
				p->day0 = d;
		}
	}
	pjson_vtypes(c, p);
	/* When each centre's vans leave: opening_hours[0].start, else 08:00. */
	p->opens = xcalloc(p->m + 1, sizeof(int));
	json_array_foreach(c->centres, j, ce) {
		if (j >= p->m)
			break;
		oh = json_object_get(ce, "opening_hours");
		if (json_is_array(oh))
			oh = json_array_get(oh, 0);
		if ((o = pjson_clock(oh, "start")) < 0)
			o = pjson_clock(oh, "opens");
		p->opens[j] = o >= 0 ? o : 8 * 60;
	}
	p->stop = xcalloc(p->n + 1, sizeof(*p->stop));
	json_array_foreach(c->pickups, i, pk) {
		struct solve_stop *s = &p->stop[i];

		if (i >= p->n)
			break;
		json_array_foreach(json_object_get(pk, "items"), k, it) {
			double q = pjson_num(it, "quantity", 1);

			s->kg += q * pjson_num(it, "weight_kg", 0);
			s->m3 += q * pjson_num(it, "volume_m3", 0);
			s->items += (int)fmin(fmax(q, 0), 1e6);
		}
		s->service_min = pjson_int(pk, "service_min", 10, 0, 1440);
		if (pjson_num(pk, "service_min", 10) > s->service_min &&
		    s->service_min < 1440)
			s->service_min++;	/* rounded up, as ceil */
		json_array_foreach(json_object_get(pk, "time_windows"), k, it) {
			o = pjson_clock(it, "start");
			e = pjson_clock(it, "end");
			if (s->ntw < SOLVE_MAXTW && o >= 0 && e > o) {
				s->tw_open[s->ntw] = o;
				s->tw_close[s->ntw++] = e;
			}
		}
		pjson_previous(p, pk, i);
		s->from = pjson_day(json_object_get(pk, "window"), "from", 0);
		s->to = pjson_day(json_object_get(pk, "window"), "to", 0);
		s->pin_day = -1;
		if ((pin = json_object_get(pk, "pin")) != NULL) {
			kind = json_string_value(json_object_get(pin, "kind"));
			s->pin_day = pjson_day(pin, "day", -1);
			/* A promise for a day nobody works cannot be kept. */
			if (days_closed(p->day0, p->ndays, p->closed,
			    s->pin_day))
				p->routing_bad = 1;
			if (kind != NULL && strcmp(kind, "dispatched") == 0) {
				veh = json_string_value(json_object_get(pin,
				    "vehicle"));
				s->pin_stop = pjson_int(pin, "stop", 0, 0,
				    1000000);
				if (veh == NULL || s->pin_day < 0)
					p->routing_bad = 1;
				else
					s->pin_vehicle = xstrdup(veh);
			}
		}
		if (p->lat == NULL || isnan(p->lat[i]) || isnan(p->lon[i]))
			p->routing_bad = 1;
	}
}

/* The coordinates of node id: a pickup's or a centre's; -1 if none. */
static int
pjson_node_place(const struct solve_problem *p, const char *id, double *lat,
    double *lon)
{
	size_t	i, j;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->pickup_id[i], id) == 0)
			break;
	for (j = 0; j < p->m; j++)
		if (strcmp(p->centre_id[j], id) == 0)
			break;
	if (i < p->n && j < p->m)
		return -2;		/* whose place would it be? */
	if (i == p->n && j < p->m)
		i = p->n + j;
	if (i == p->n + p->m || isnan(p->lat[i]) || isnan(p->lon[i]))
		return -1;
	*lat = p->lat[i];
	*lon = p->lon[i];
	return 0;
}

/*
 * The road legs of "matrix" (a road router's, as recircd sends them):
 * "nodes" (pickup and centre ids), "distance_km" and "time_min",
 * square, row = from, null where there is no road.  They time and
 * measure the routes (matrix_leg), not only the location costs.  A
 * matrix with distances only keeps its old meaning (location costs).
 */
static int
pjson_roads(const struct pjson_ctx *c, struct solve_problem *p, char **cause)
{
	json_t		*nodes, *dist, *dur, *drow, *trow, *d, *t;
	double		*lat, *lon;
	size_t		 n, a, b;
	int		 rc;

	if (c->matrix == NULL || (dur = json_object_get(c->matrix,
	    "time_min")) == NULL)
		return 0;
	nodes = json_object_get(c->matrix, "nodes");
	dist = json_object_get(c->matrix, "distance_km");
	n = json_array_size(nodes);
	if (!json_is_array(nodes) || !json_is_array(dist) ||
	    !json_is_array(dur) || json_array_size(dist) != n ||
	    json_array_size(dur) != n) {
		xasprintf(cause, "matrix: \"nodes\", \"distance_km\" and "
		    "\"time_min\" must be arrays of one size");
		return -1;
	}
	lat = xcalloc(n ? n : 1, sizeof(double));
	lon = xcalloc(n ? n : 1, sizeof(double));
	for (a = 0; a < n; a++) {
		rc = json_is_string(json_array_get(nodes, a)) ?
		    pjson_node_place(p, json_string_value(json_array_get(nodes,
		    a)), &lat[a], &lon[a]) : -1;
		if (rc == -2) {
			xasprintf(cause, "matrix: nodes[%zu] names both a pickup "
			    "and a centre", a);
			goto fail;
		}
		if (rc == -1) {
			xasprintf(cause, "matrix: nodes[%zu] is not a pickup or "
			    "centre with coordinates", a);
			goto fail;
		}
	}
	p->roads = matrix_table_new(n, lat, lon);
	for (a = 0; a < n; a++) {
		drow = json_array_get(dist, a);
		trow = json_array_get(dur, a);
		if (json_array_size(drow) != n || json_array_size(trow) != n) {
			xasprintf(cause, "matrix: row %zu is not %zu long", a,
			    n);
			goto fail;
		}
		for (b = 0; b < n; b++) {
			d = json_array_get(drow, b);
			t = json_array_get(trow, b);
			if (json_is_null(d) || json_is_null(t))
				continue;	/* no road: a straight line */
			if (!json_is_number(d) || !json_is_number(t) ||
			    json_number_value(d) < 0 || json_number_value(t) <
			    0 || !isfinite(json_number_value(d)) ||
			    !isfinite(json_number_value(t))) {
				xasprintf(cause, "matrix: entry [%zu][%zu] is "
				    "not a distance and a duration", a, b);
				goto fail;
			}
			matrix_table_set(p->roads, a, b, json_number_value(d),
			    json_number_value(t));
		}
	}
	free(lat);
	free(lon);
	return 0;
fail:
	free(lat);
	free(lon);
	matrix_table_free(p->roads);
	p->roads = NULL;
	return -1;
}

/*
 * Parse our JSON problem from buf.  Returns a new problem, or NULL with
 * *cause set (the message names the offending element).
 */
struct solve_problem *
pjson_read(const char *buf, size_t len, char **cause)
{
	struct pjson_ctx	 c;
	struct solve_problem	*p = NULL;
	json_error_t		 err;
	size_t			 k, S;

	memset(&c, 0, sizeof(c));
	if ((c.root = json_loadb(buf, len, 0, &err)) == NULL) {
		xasprintf(cause, "json: line %d: %s", err.line, err.text);
		return NULL;
	}
	if (!json_is_object(c.root)) {
		xasprintf(cause, "json: the problem must be an object");
		goto fail;
	}
	if (pjson_top(&c, cause) == -1 || pjson_scan_items(&c, cause) == -1)
		goto fail;
	S = json_is_array(json_object_get(c.root, "streams")) ?
	    json_array_size(json_object_get(c.root, "streams")) : 4;
	p = solve_problem_new(json_array_size(c.centres),
	    json_array_size(c.pickups), c.nclass ? c.nclass : 1, S);
	p->name = xstrdup(pjson_str(c.root, "name", "problem"));
	p->single_source = !json_is_false(json_object_get(c.root,
	    "single_source"));
	for (k = 0; k < p->nclass; k++)
		xasprintf(&p->class_id[k], "%s/%s", k < c.nclass ? c.cat[k] :
		    "none", k < c.nclass ? c.cond[k] : "none");
	if (pjson_streams(&c, p, cause) == -1 || pjson_rules(&c, p,
	    cause) == -1 || pjson_centres(&c, p, cause) == -1 ||
	    pjson_pickups(&c, p, cause) == -1)
		goto fail;
	if (pjson_horizon(&c, p, cause) == -1 || pjson_roads(&c, p,
	    cause) == -1)
		goto fail;
	pjson_no_road(p);
	pjson_routing(&c, p);
	pjson_fleet(&c, p);
	pjson_fleet_rows(&c, p);
	pjson_ctx_free(&c);
	return p;
fail:
	solve_problem_free(p);
	pjson_ctx_free(&c);
	return NULL;
}
