/*
 * plan-build.c -- the planner's two translations: a plan input to the
 * recirc-solve problem JSON, and recirc-solve's plan JSON back to a
 * checked plan (routes, KPIs, changes against the previous plan).
 *
 * Pure: no I/O, no globals; plan.c calls it on the loop before and after
 * the solver process.  Nothing here trusts the solver: every assignment,
 * deferral, flow and route is checked against the input the solver was
 * given, and a plan that breaks a rule is refused with the reason, which
 * plan.c records on the failed plan.
 *
 * Fields consumed from the solver's plan: status, reason, objective,
 * cost.{fixed, collection, outbound, recovered_value, defer_penalty},
 * centres[].{id, open}, assignments[].{pickup, centre, fraction},
 * flows[].{centre, stream, amount}, deferred[].{pickup, reason},
 * solver.{method, seconds}, gap, and, when present, routes[].{vehicle,
 * day, stops[].pickup} and unrouted[].{pickup, reason} (otherwise
 * plan-routes.c builds fallback routes).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define PB_TOL		1e-6
#define PB_FORBIDDEN	1e7	/* cost of serving a pin from another centre */

void
plan_pickup_clear(struct plan_pickup *p)
{
	x_free(p->reference);
	x_free(p->body);
	memset(p, 0, sizeof(*p));
}

void
plan_pickups_free(struct plan_pickup *pk, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		plan_pickup_clear(&pk[i]);
	x_free(pk);
}

void
plan_input_free(struct plan_input *in)
{
	size_t	i;

	if (in == NULL)
		return;
	network_clear(&in->net);
	plan_pickups_free(in->pk, in->npk);
	x_free(in->prev);
	x_free(in->veh);
	x_free(in->st);
	for (i = 0; i < in->nreasons; i++)
		x_free(in->reasons[i]);
	x_free(in->reasons);
	x_free(in->distances);
	x_free(in->region);
	x_free(in->node);
	x_free(in->closed);
	/* The road legs are the input's (plan.c's roads_prepare). */
	matrix_table_free((struct matrix_table *)in->model.table);
	x_free(in);
}

/*
 * Narrow in to its region (in->region; NULL: the whole network, nothing
 * to do): the centres of the region and their vehicles, and the pickups
 * that name the region or, naming none, are nearest (in a straight line)
 * to one of its centres.
 */
void
plan_region(struct plan_input *in)
{
	struct network	*n = &in->net;
	const char	*r;
	size_t		 i, j, k, best;
	double		 d, bd;

	if (in->region == NULL)
		return;
	for (i = k = 0; i < in->npk; i++) {
		struct plan_pickup *p = &in->pk[i];

		r = p->region;
		if (*r == '\0') {
			for (j = 0, best = 0, bd = HUGE_VAL; j < n->ncentres;
			    j++) {
				d = matrix_geo_km(p->lat, p->lon,
				    n->centres[j].lat, n->centres[j].lon);
				if (d < bd) {
					bd = d;
					best = j;
				}
			}
			r = n->ncentres > 0 ? n->centres[best].region : "";
		}
		if (strcmp(r, in->region) == 0)
			in->pk[k++] = *p;
		else {
			x_free(p->reference);
			x_free(p->body);
		}
	}
	in->npk = k;
	for (i = k = 0; i < n->nfleet; i++) {
		const struct centre *c = network_centre(n, n->fleet[i].centre);

		if (c != NULL && strcmp(c->region, in->region) == 0)
			n->fleet[k++] = n->fleet[i];
	}
	n->nfleet = k;
	for (i = k = 0; i < n->ncentres; i++)
		if (strcmp(n->centres[i].region, in->region) == 0)
			n->centres[k++] = n->centres[i];
	n->ncentres = k;
}

void
plan_output_clear(struct plan_output *out)
{
	rt_routes_free(out->routes, out->nroutes);
	x_free(out->kpis);
	x_free(out->changes);
	memset(out, 0, sizeof(*out));
}

/* A deferred pickup's reason code, kept as long as the input lives. */
static const char *
pb_reason(struct plan_input *in, const char *s)
{
	/* The location stage's codes, named as the routing stage's are. */
	static const char *const map[][2] = { { "cost", "deferred" },
	    { "capacity", "centre_capacity" }, { "fleet", "no_capacity" },
	    { NULL, NULL } };
	size_t	n = strcspn(s, ":"), k;
	char	*code;

	/*
	 * The solver says "code: why"; a pickup keeps the code (the column
	 * is short and clients match on it), the solver's log has the why.
	 */
	for (k = 0; map[k][0] != NULL; k++)
		if (strlen(map[k][0]) == n && strncmp(s, map[k][0], n) == 0)
			return map[k][1];
	/* Cut to the column, never inside a character. */
	code = utf8_sanitize(xstrndup(s, n < 47 ? n : 47));
	in->reasons = xreallocarray(in->reasons, in->nreasons + 1,
	    sizeof(char *));
	return in->reasons[in->nreasons++] = code;
}

static size_t
pb_centre_index(const struct network *n, const char *id)
{
	size_t	j;

	for (j = 0; j < n->ncentres; j++)
		if (strcmp(n->centres[j].id, id) == 0)
			return j;
	return SIZE_MAX;
}

static int
pb_vehicle_index(const struct plan_input *in, const char *name)
{
	size_t	v;

	for (v = 0; v < in->nveh; v++)
		if (strcmp(in->veh[v].name, name) == 0)
			return (int)v;
	return -1;
}

/* One rt_vehicle per vehicle of every type, named TYPE-1 .. TYPE-count. */
static void
pb_vehicles(struct plan_input *in)
{
	const struct network	*n = &in->net;
	struct rt_vehicle	*v;
	size_t			 t, c;
	int			 k;

	for (t = 0; t < n->nfleet; t++) {
		const struct vehicle_type *vt = &n->fleet[t];

		if ((c = pb_centre_index(n, vt->centre)) == SIZE_MAX)
			continue;
		for (k = 1; k <= vt->count; k++) {
			in->veh = xreallocarray(in->veh, in->nveh + 1,
			    sizeof(*in->veh));
			v = &in->veh[in->nveh++];
			memset(v, 0, sizeof(*v));
			snprintf(v->name, sizeof(v->name), "%s-%d", vt->id, k);
			v->type = t;
			v->centre = c;
			v->lat = n->centres[c].lat;
			v->lon = n->centres[c].lon;
			v->cap_kg = vt->cap_kg;
			v->cap_m3 = vt->cap_m3;
			v->cap_items = vt->cap_items;
			v->max_stops = vt->max_stops;
			v->shift_min = vt->shift_min;
			v->opens = hhmm_parse(n->centres[c].opens);
			v->fixed_cost = vt->fixed_cost;
			v->cost_per_km = vt->cost_per_km;
			v->cost_per_hour = vt->cost_per_hour;
			v->co2_per_km = vt->co2_per_km;
		}
	}
}

/*
 * The open days of the horizon: a centre sorts its daily capacity on
 * those (closed_days close the centres too), while its fixed cost runs
 * every day.
 */
static int
pb_open_days(const struct plan_input *in)
{
	return days_open(in->closed, 0, in->ndays - 1);
}

/* Rules: the database's overrides first, then the catalogue's. */
static json_t *
pb_rules(const struct plan_input *in)
{
	json_t		*a = json_array();
	size_t		 i;
	int		 c, s;
	unsigned	 mask;

	for (i = 0; i < in->net.nrules; i++) {
		const struct stream_rule *r = &in->net.rules[i];

		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:f}",
		    "category", r->category, "condition", r->condition,
		    "stream", stream_name(r->stream), "value", r->value));
	}
	for (i = 0; in->cat != NULL && i < in->cat->ncats; i++) {
		const struct category *cat = &in->cat->cats[i];

		for (c = 0; c < COND_COUNT; c++) {
			mask = classify_item(cat, c);
			for (s = 0; s < STREAM_COUNT; s++)
				if (mask & (1u << s))
					json_array_append_new(a, json_pack(
					    "{s:s,s:s,s:s,s:f}", "category",
					    cat->name, "condition",
					    condition_name(c), "stream",
					    stream_name(s), "value",
					    cat->value[s]));
		}
	}
	return a;
}

static json_t *
pb_centres(const struct plan_input *in)
{
	json_t	*a = json_array(), *cap, *out;
	double	 ob;
	size_t	 j, i, p;
	int	 s, pinned;

	for (j = 0; j < in->net.ncentres; j++) {
		const struct centre *c = &in->net.centres[j];

		cap = json_object();
		out = json_object();
		for (s = 0; s < STREAM_COUNT; s++) {
			json_object_set_new(cap, stream_name(s),
			    json_real(c->capacity[s] * pb_open_days(in)));
			ob = 0;
			for (p = 0, i = 0; p < in->net.nprocs; p++)
				if (in->net.procs[p].stream == s &&
				    (i++ == 0 || in->net.procs[p].cost_per_kg <
				    ob))
					ob = in->net.procs[p].cost_per_kg;
			json_object_set_new(out, stream_name(s), json_real(ob));
		}
		for (pinned = 0, i = 0; i < in->npk; i++)
			if (in->st[i].pin_day >= 0 && in->st[i].centre == j)
				pinned = 1;
		json_array_append_new(a, json_pack("{s:s,s:f,s:f,s:f,s:b,s:b,"
		    "s:o,s:o,s:[{s:s,s:s}]}", "id", c->id, "lat", c->lat,
		    "lon", c->lon, "fixed_cost", c->existing ? 0.0 :
		    c->fixed_cost * in->ndays, "existing", c->existing,
		    "force_open", c->existing || pinned, "capacity", cap,
		    "outbound", out, "opening_hours", "start", c->opens,
		    "end", c->closes));
	}
	return a;
}

/*
 * Read a pickup's items from its stored document into the problem's form
 * and its stop's kg, m3 and item count.
 */
static json_t *
pb_items(const struct plan_pickup *pk, struct rt_stop *st)
{
	json_t	*doc, *items, *a = json_array(), *it;
	size_t	 i;
	double	 q, w, v;
	int	 o, c;

	if ((doc = json_loads(pk->body, 0, NULL)) == NULL)
		return a;
	/* The hours the resident is in, for routes and ETAs. */
	json_array_foreach(json_object_get(doc, "time_windows"), i, it) {
		o = hhmm_parse_until(json_string_value(json_object_get(it, "start")));
		c = hhmm_parse_until(json_string_value(json_object_get(it, "end")));
		if (st->ntw < 4 && o >= 0 && c > o) {
			st->tw_open[st->ntw] = o;
			st->tw_close[st->ntw++] = c;
		}
	}
	items = json_object_get(doc, "items");
	json_array_foreach(items, i, it) {
		q = json_number_value(json_object_get(it, "quantity"));
		w = json_number_value(json_object_get(it, "weight_kg"));
		v = json_number_value(json_object_get(it, "volume_m3"));
		if (q <= 0)
			q = 1;
		st->kg += q * w;
		st->m3 += q * v;
		st->items += (int)q;
		json_array_append_new(a, json_pack("{s:O,s:O,s:f,s:f,s:f}",
		    "category", json_object_get(it, "category"), "condition",
		    json_object_get(it, "condition"), "quantity", q,
		    "weight_kg", w, "volume_m3", v));
	}
	json_decref(doc);
	return a;
}

/* A stop's hour windows as [{start, end}] ("HH:MM"). */
static json_t *
pb_windows(const struct rt_stop *s)
{
	json_t	*a = json_array();
	char	 o[16], c[16];
	int	 k;

	for (k = 0; k < s->ntw; k++) {
		snprintf(o, sizeof(o), "%02d:%02d", s->tw_open[k] / 60,
		    s->tw_open[k] % 60);
		snprintf(c, sizeof(c), "%02d:%02d", s->tw_close[k] / 60,
		    s->tw_close[k] % 60);
		json_array_append_new(a, json_pack("{s:s,s:s}", "start", o,
		    "end", c));
	}
	return a;
}

/* Where the previous plan had pk (in->prev is by pickup), or NULL. */
static const struct plan_prev *
pb_prev(const struct plan_input *in, const struct plan_pickup *pk)
{
	size_t	lo = 0, hi = in->nprev, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (in->prev[mid].pickup == pk->id)
			return &in->prev[mid];
		if (in->prev[mid].pickup < pk->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* 1 when day is a closed day of the horizon. */
static int
pb_closed(const struct plan_input *in, long long day)
{
	return days_closed(in->day0, in->ndays, in->closed, day);
}

/* The stop for pickup i, with its pin resolved against the network. */
static void
pb_stop(struct plan_input *in, size_t i)
{
	const struct plan_pickup	*pk = &in->pk[i];
	const struct plan_prev		*pv;
	struct rt_stop			*s = &in->st[i];

	memset(s, 0, sizeof(*s));
	s->lat = pk->lat;
	s->lon = pk->lon;
	s->centre = SIZE_MAX;
	/* Its open days, as the solver sees them; none: no day at all. */
	if (!days_window(in->day0, in->ndays, in->closed,
	    date_to_days(pk->from), date_to_days(pk->to), &s->day_from,
	    &s->day_to))
		s->day_from = s->day_to = in->day0 + in->ndays;
	if (s->day_to > in->day0 + in->ndays - 1)
		s->day_to = in->day0 + in->ndays - 1;
	s->pin_day = -1;
	s->pin_vehicle = -1;
	/*
	 * A pin for a day outside the horizon no longer binds this plan;
	 * nor does one for a day closed since (closed_days).
	 */
	if (pk->pin != PIN_NONE && date_to_days(pk->pin_day) >= in->day0 &&
	    date_to_days(pk->pin_day) < in->day0 + in->ndays &&
	    !pb_closed(in, date_to_days(pk->pin_day)) &&
	    (s->centre = pb_centre_index(&in->net, pk->pin_centre)) !=
	    SIZE_MAX) {
		s->pin_day = date_to_days(pk->pin_day);
		if (pk->pin == PIN_DISPATCHED) {
			s->pin_vehicle = pb_vehicle_index(in, pk->pin_vehicle);
			s->pin_seq = pk->pin_seq;
		}
	}
	/* Where the current plan has it: the fallback keeps it there. */
	s->prev_day = -1;
	s->prev_vehicle = -1;
	if ((pv = pb_prev(in, pk)) != NULL && !pv->deferred &&
	    pv->day[0] != '\0' && !pb_closed(in, date_to_days(pv->day)) &&
	    (s->prev_vehicle = pb_vehicle_index(in,
	    pv->vehicle)) >= 0) {
		s->prev_day = date_to_days(pv->day);
		s->prev_seq = pv->seq;
	}
}

/*
 * The previous plan's centre, day, vehicle and place of a pickup it
 * routed, for the solver's stability term (replan_move_cost); NULL when
 * it had none (new, or deferred).
 */
static json_t *
pb_previous(const struct plan_input *in, const struct plan_pickup *pk)
{
	const struct plan_prev	*pv = pb_prev(in, pk);

	if (pv == NULL || pv->deferred || pv->day[0] == '\0' ||
	    pv->vehicle[0] == '\0')
		return NULL;
	return json_pack("{s:s,s:s,s:s,s:i}", "centre", pv->centre, "day",
	    pv->day, "vehicle", pv->vehicle, "stop", pv->seq);
}

static json_t *
pb_pickup(struct plan_input *in, size_t i, double cpk)
{
	const struct plan_pickup	*pk = &in->pk[i];
	struct rt_stop			*s = &in->st[i];
	const struct centre		*c;
	json_t				*o, *costs, *prev;
	char				 id[24];
	size_t				 j;

	pb_stop(in, i);
	snprintf(id, sizeof(id), "%lld", (long long)pk->id);
	o = json_pack("{s:s,s:f,s:f,s:o,s:{s:s,s:s}}", "id", id, "lat",
	    pk->lat, "lon", pk->lon, "items", pb_items(pk, s), "window",
	    "from", pk->from, "to", pk->to);
	s->service_min = RT_SERVICE_MIN + 2 * (s->items > 1 ? s->items - 1 :
	    0);
	json_object_set_new(o, "service_min", json_integer(s->service_min));
	if (s->ntw > 0)
		json_object_set_new(o, "time_windows", pb_windows(s));
	if ((prev = pb_previous(in, pk)) != NULL)
		json_object_set_new(o, "previous", prev);
	if (s->pin_day >= 0) {
		/*
		 * A promise: only its centre may serve it, and it must be.
		 * Other centres get a prohibitive cost rather than being
		 * left out: recirc-solve (solve branch, 421d2f1) reports a
		 * NaN objective for pickups whose costs omit a centre, and
		 * plan-build.c refuses a pinned pickup moved anyway.
		 */
		costs = json_object();
		for (j = 0; j < in->net.ncentres; j++) {
			c = &in->net.centres[j];
			json_object_set_new(costs, c->id, json_real(j ==
			    s->centre ? 2 * matrix_km(&in->model, pk->lat,
			    pk->lon, c->lat, c->lon) * cpk : PB_FORBIDDEN));
		}
		json_object_set_new(o, "may_defer", json_false());
		json_object_set_new(o, "costs", costs);
		json_object_set_new(o, "pin", json_pack("{s:s,s:s,s:s?}",
		    "kind", pk->pin == PIN_DISPATCHED ? "dispatched" :
		    "confirmed", "day", pk->pin_day, "vehicle",
		    pk->pin == PIN_DISPATCHED ? pk->pin_vehicle : NULL));
		if (pk->pin == PIN_DISPATCHED)
			json_object_set_new(json_object_get(o, "pin"), "stop",
			    json_integer(pk->pin_seq));
	}
	s->centre = s->pin_day >= 0 ? s->centre : SIZE_MAX;
	return o;
}

static json_t *
pb_fleet(const struct plan_input *in)
{
	json_t	*a = json_array(), *v;
	size_t	 t;

	for (t = 0; t < in->net.nfleet; t++) {
		v = network_vehicle_json(&in->net.fleet[t]);
		json_object_set(v, "home", json_object_get(v, "centre"));
		json_array_append_new(a, v);
	}
	return a;
}

/*
 * The road legs for the solver (plan.c splices them into the problem as
 * its "matrix"): the centres' and pickups' ids as "nodes", "distance_km"
 * and "time_min" (row = from, null where there is no road), so that
 * recirc-solve times and measures routes as the daemon will check them,
 * without a network of its own.  Written as text: a tree of its n * n
 * numbers would cost tens of bytes each.
 */
char *
plan_problem_matrix(const struct plan_input *in)
{
	const struct matrix_table	*t = in->model.table;
	struct jsonw			 w;
	size_t				 n = in->net.ncentres + in->npk, a, b;
	long				*idx;
	double				 km, min;
	char				 id[24];
	int				 pass;

	idx = xcalloc(n ? n : 1, sizeof(*idx));
	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "nodes");
	jw_array(&w);
	for (a = 0; a < n; a++) {
		if (a < in->net.ncentres) {
			jw_string(&w, in->net.centres[a].id);
			idx[a] = matrix_table_find(t, in->net.centres[a].lat,
			    in->net.centres[a].lon);
		} else {
			snprintf(id, sizeof(id), "%lld", (long long)
			    in->pk[a - in->net.ncentres].id);
			jw_string(&w, id);
			idx[a] = matrix_table_find(t,
			    in->pk[a - in->net.ncentres].lat,
			    in->pk[a - in->net.ncentres].lon);
		}
	}
	jw_array_end(&w);
	for (pass = 0; pass < 2; pass++) {
		jw_key(&w, pass == 0 ? "distance_km" : "time_min");
		jw_array(&w);
		for (a = 0; a < n; a++) {
			jw_array(&w);
			for (b = 0; b < n; b++)
				if (idx[a] < 0 || idx[b] < 0 ||
				    !matrix_table_get(t, (size_t)idx[a],
				    (size_t)idx[b], &km, &min))
					jw_null(&w);
				else
					jw_fixed(&w, pass == 0 ? km : min,
					    pass == 0 ? 3 : 2);
			jw_array_end(&w);
		}
		jw_array_end(&w);
	}
	jw_object_end(&w);
	x_free(idx);
	return jw_take(&w);
}

/*
 * The recirc-solve problem for in (JSON text, caller frees); also fills
 * in->veh and in->st.  NULL with *cause when there is nothing to plan
 * with (no centre).
 */
char *
plan_problem_json(struct plan_input *in, char **cause)
{
	json_t	*o, *pks;
	char	*text, from[11], name[48];
	double	 cpk = 0;
	size_t	 i;

	if (in->net.ncentres == 0) {
		xasprintf(cause, "the network has no centres (see /v1/centres "
		    "or recircd seed)");
		return NULL;
	}
	pb_vehicles(in);
	for (i = 0; i < in->net.nfleet; i++)
		cpk += in->net.fleet[i].cost_per_km / in->net.nfleet;
	if (cpk <= 0)
		cpk = 1;
	in->st = xcalloc(in->npk + 1, sizeof(*in->st));
	pks = json_array();
	for (i = 0; i < in->npk; i++)
		json_array_append_new(pks, pb_pickup(in, i, cpk));
	days_to_date(in->day0, from);
	snprintf(name, sizeof(name), "recircd plan %lld", (long long)in->id);
	o = json_pack("{s:s,s:i,s:s,s:b,s:[ssss],s:{s:f,s:f,s:f,s:f},"
	    "s:{s:s,s:i},s:o,s:o,s:o,s:o}", "format", "recirc-problem",
	    "version", 1, "name", name, "single_source", 1, "streams",
	    "repair", "reuse", "recycle", "dispose", "settings",
	    "cost_per_km", cpk, "detour", in->model.detour, "speed_kmh",
	    in->model.speed_kmh, "replan_move_cost", in->move_cost, "horizon",
	    "from", from, "days", in->ndays, "rules",
	    pb_rules(in), "centres", pb_centres(in), "pickups", pks,
	    "vehicle_types", pb_fleet(in));
	if (in->closed != NULL)
		json_object_set_new(json_object_get(o, "horizon"), "closed",
		    cal_days_json(in->closed, in->day0, in->ndays));
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	return text;
}

/* Index of the pickup with decimal id s (pk is sorted by id), or -1. */
static long
pb_pickup_index(const struct plan_input *in, const char *s)
{
	char		*end;
	long long	 id;
	size_t		 lo = 0, hi = in->npk, mid;

	if (s == NULL)
		return -1;
	id = strtoll(s, &end, 10);
	if (*end != '\0' || end == s)
		return -1;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (in->pk[mid].id == id)
			return (long)mid;
		if (in->pk[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The solver's status must promise a plan; else why not. */
static int
pb_status(json_t *plan, char **cause)
{
	const char	*st = json_string_value(json_object_get(plan, "status"));
	const char	*why = json_string_value(json_object_get(plan,
			    "reason"));

	if (st == NULL) {
		xasprintf(cause, "invalid plan: no status");
		return -1;
	}
	if (strcmp(st, "optimal") != 0 && strcmp(st, "feasible") != 0) {
		xasprintf(cause, "the solver found no plan (%s%s%s)", st,
		    why ? ": " : "", why ? why : "");
		return -1;
	}
	return 0;
}

/* centres[].open into open[] (by network index). */
static int
pb_open(struct plan_input *in, json_t *plan, int *open, char **cause)
{
	json_t	*c;
	size_t	 i, j;

	json_array_foreach(json_object_get(plan, "centres"), i, c) {
		j = pb_centre_index(&in->net, json_string_value(
		    json_object_get(c, "id")) ? json_string_value(
		    json_object_get(c, "id")) : "");
		if (j == SIZE_MAX) {
			xasprintf(cause, "invalid plan: centres[%zu] is not a "
			    "centre of the problem", i);
			return -1;
		}
		open[j] = json_is_true(json_object_get(c, "open"));
	}
	return 0;
}

/* assignments[] and deferred[]: each pickup exactly once, pins kept. */
static int
pb_coverage(struct plan_input *in, json_t *plan, const int *open,
    char **cause)
{
	json_t		*a;
	size_t		 i, j, k;
	long		 p;
	int		*seen = xcalloc(in->npk + 1, sizeof(int)), rc = -1;
	const char	*why;

	json_array_foreach(json_object_get(plan, "assignments"), i, a) {
		p = pb_pickup_index(in, json_string_value(json_object_get(a,
		    "pickup")));
		j = pb_centre_index(&in->net, json_string_value(
		    json_object_get(a, "centre")) ? json_string_value(
		    json_object_get(a, "centre")) : "");
		if (p < 0 || j == SIZE_MAX || seen[p]++) {
			xasprintf(cause, "invalid plan: assignments[%zu] names "
			    "an unknown or already served pickup or centre", i);
			goto out;
		}
		if (json_number_value(json_object_get(a, "fraction")) <
		    1 - 1e-6 || !open[j]) {
			xasprintf(cause, "invalid plan: pickup %lld is split "
			    "or served by a closed centre",
			    (long long)in->pk[p].id);
			goto out;
		}
		if (in->st[p].pin_day >= 0 && in->st[p].centre != j) {
			xasprintf(cause, "invalid plan: pinned pickup %lld "
			    "moved to another centre", (long long)in->pk[p].id);
			goto out;
		}
		in->st[p].centre = j;
	}
	json_array_foreach(json_object_get(plan, "deferred"), i, a) {
		p = pb_pickup_index(in, json_string_value(json_object_get(a,
		    "pickup")));
		if (p < 0 || seen[p]++ || in->st[p].pin_day >= 0) {
			xasprintf(cause, "invalid plan: deferred[%zu] is "
			    "unknown, served, or a promised pickup", i);
			goto out;
		}
		why = json_string_value(json_object_get(a, "reason"));
		in->st[p].centre = SIZE_MAX;
		in->st[p].deferred = pb_reason(in, why ? why : "unknown");
	}
	for (k = 0; k < in->npk; k++)
		if (!seen[k]) {
			xasprintf(cause, "invalid plan: pickup %lld is neither "
			    "served nor deferred", (long long)in->pk[k].id);
			goto out;
		}
	rc = 0;
out:
	x_free(seen);
	return rc;
}

/*
 * flows[]: within each centre's stream capacity over the horizon, and
 * each centre sorts what it collects.  Fills flow[centre * STREAM_COUNT +
 * stream] in kg.
 */
static int
pb_flows(struct plan_input *in, json_t *plan, double *flow, char **cause)
{
	json_t	*f;
	size_t	 i, j, k;
	double	 cap, got, want;
	int	 s;

	json_array_foreach(json_object_get(plan, "flows"), i, f) {
		j = pb_centre_index(&in->net, json_string_value(
		    json_object_get(f, "centre")) ? json_string_value(
		    json_object_get(f, "centre")) : "");
		s = stream_parse(json_string_value(json_object_get(f,
		    "stream")) ? json_string_value(json_object_get(f,
		    "stream")) : "");
		if (j == SIZE_MAX || s < 0) {
			xasprintf(cause, "invalid plan: flows[%zu] names an "
			    "unknown centre or stream", i);
			return -1;
		}
		flow[j * STREAM_COUNT + s] += json_number_value(
		    json_object_get(f, "amount"));
	}
	for (j = 0; j < in->net.ncentres; j++) {
		got = want = 0;
		for (s = 0; s < STREAM_COUNT; s++) {
			cap = in->net.centres[j].capacity[s] *
			    pb_open_days(in);
			got += flow[j * STREAM_COUNT + s];
			if (flow[j * STREAM_COUNT + s] > cap * (1 + PB_TOL) +
			    1e-3) {
				xasprintf(cause, "invalid plan: centre %s sorts "
				    "%.1f kg of %s, over its %.1f kg",
				    in->net.centres[j].id,
				    flow[j * STREAM_COUNT + s], stream_name(s),
				    cap);
				return -1;
			}
		}
		for (k = 0; k < in->npk; k++)
			if (in->st[k].centre == j)
				want += in->st[k].kg;
		if (fabs(got - want) > 1e-3 * fmax(1, want)) {
			xasprintf(cause, "invalid plan: centre %s collects "
			    "%.1f kg but sorts %.1f kg", in->net.centres[j].id,
			    want, got);
			return -1;
		}
	}
	return 0;
}

/* One route the solver gave: vehicle, day, stops[].pickup, in order. */
static int
pb_solver_route(struct plan_input *in, json_t *jr, size_t i,
    struct rt_route *r, char **cause)
{
	const char	*why, *day;
	json_t		*s, *stops;
	size_t		 k;
	long		 p;
	int		 v;
	char		 date[11];

	memset(r, 0, sizeof(*r));
	v = pb_vehicle_index(in, json_string_value(json_object_get(jr,
	    "vehicle")) ? json_string_value(json_object_get(jr, "vehicle")) :
	    "");
	day = json_string_value(json_object_get(jr, "day"));
	r->day = day ? date_to_days(day) : in->day0;
	if (v < 0 || r->day < in->day0 || r->day >= in->day0 + in->ndays) {
		xasprintf(cause, "invalid plan: routes[%zu] has an unknown "
		    "vehicle or a day outside the horizon", i);
		return -1;
	}
	if (pb_closed(in, r->day)) {
		days_to_date(r->day, date);
		xasprintf(cause, "invalid plan: routes[%zu] is on %s, a closed "
		    "day", i, date);
		return -1;
	}
	r->vehicle = v;
	stops = json_object_get(jr, "stops");
	if (json_array_size(stops) > 0) {
		r->cap = json_array_size(stops);
		r->stops = xreallocarray(NULL, r->cap, sizeof(size_t));
	}
	json_array_foreach(stops, k, s) {
		p = pb_pickup_index(in, json_string_value(json_object_get(s,
		    "pickup")));
		if (p < 0 || in->st[p].routed ||
		    in->st[p].centre != in->veh[v].centre) {
			xasprintf(cause, "invalid plan: routes[%zu].stops[%zu] "
			    "is unknown, routed twice or from another centre",
			    i, k);
			return -1;
		}
		in->st[p].routed = 1;
		r->stops[r->nstops++] = (size_t)p;
	}
	if (!routes_measure(&in->model, r, in->st, in->veh, &why)) {
		xasprintf(cause, "invalid plan: route of %s: %s",
		    in->veh[v].name, why);
		return -1;
	}
	return 0;
}

/*
 * The solver's reasons for what it left unrouted (the route engine's
 * codes, recirc-solve(1)) onto the stops, as pb_reason keeps every
 * solver reason; a stop it gave none stays for the caller's not_routed.
 */
static void
pb_unrouted(struct plan_input *in, json_t *plan)
{
	const char	*why;
	json_t		*u;
	size_t		 i;
	long		 p;

	json_array_foreach(json_object_get(plan, "unrouted"), i, u) {
		p = pb_pickup_index(in, json_string_value(json_object_get(u,
		    "pickup")));
		why = json_string_value(json_object_get(u, "reason"));
		if (p >= 0 && why != NULL && *why != '\0' &&
		    !in->st[p].routed && in->st[p].deferred == NULL)
			in->st[p].deferred = pb_reason(in, why);
	}
}

/*
 * Do the solver's routes keep every dispatched route: each stop on its
 * vehicle and day, in the order handed out?  1 when they do.
 */
static int
pb_dispatch_kept(const struct plan_input *in, const struct plan_output *out)
{
	const struct rt_stop	*s;
	size_t			 r, k;
	int			 last;

	for (k = 0; k < in->npk; k++) {
		s = &in->st[k];
		if (s->pin_vehicle >= 0 && (!s->routed || s->vehicle !=
		    s->pin_vehicle || s->day != s->pin_day))
			return 0;
	}
	for (r = 0; r < out->nroutes; r++)
		for (last = -1, k = 0; k < out->routes[r].nstops; k++) {
			s = &in->st[out->routes[r].stops[k]];
			if (s->pin_vehicle < 0)
				continue;
			if (s->pin_seq < last)
				return 0;
			last = s->pin_seq;
		}
	return 1;
}

/* Routes from the solver when it gave them, else the fallback. */
static int
pb_routes(struct plan_input *in, json_t *plan, struct plan_output *out,
    char **cause)
{
	json_t		*routes = json_object_get(plan, "routes"), *jr;
	size_t		 i, k;

	if (!json_is_array(routes)) {
		out->nroutes = routes_build(&in->model, in->st, in->npk,
		    in->veh, in->nveh, in->day0, in->ndays, in->closed,
		    &out->routes);
		return 0;
	}
	out->from_solver = 1;
	for (k = 0; k < in->npk; k++)
		in->st[k].routed = 0;
	out->routes = xcalloc(json_array_size(routes) + 1,
	    sizeof(*out->routes));
	json_array_foreach(routes, i, jr) {
		if (pb_solver_route(in, jr, i, &out->routes[i], cause) == -1) {
			out->nroutes = i + 1;
			return -1;
		}
		out->nroutes = i + 1;
	}
	if (!pb_dispatch_kept(in, out)) {
		/* A promise is not the solver's to break: route it here. */
		log_warnx("plan %lld: the solver's routes move a dispatched "
		    "stop; building the routes with the fallback",
		    (long long)in->id);
		rt_routes_free(out->routes, out->nroutes);
		out->from_solver = 0;
		out->nroutes = routes_build(&in->model, in->st, in->npk,
		    in->veh, in->nveh, in->day0, in->ndays, in->closed,
		    &out->routes);
		return 0;
	}
	pb_unrouted(in, plan);
	for (k = 0; k < in->npk; k++)
		if (!in->st[k].routed && in->st[k].deferred == NULL)
			in->st[k].deferred = "not_routed";
	return 0;
}

/*
 * The solver's word on the move of pickup k (its "moves", solve-route.c):
 * what the move saves and, when it could not stay, why; NULL when the
 * solver said nothing (no stability term, or routes not its own).
 */
static json_t *
pb_move_why(const struct plan_input *in, json_t *plan, size_t k)
{
	json_t	*mv;
	size_t	 i;
	long	 p;

	json_array_foreach(json_object_get(plan, "moves"), i, mv) {
		p = pb_pickup_index(in, json_string_value(json_object_get(mv,
		    "pickup")));
		if (p >= 0 && (size_t)p == k)
			return mv;
	}
	return NULL;
}

/* Copy member key of from to to, when from has it. */
static void
pb_copy(json_t *to, json_t *from, const char *key)
{
	json_t	*v;

	if ((v = json_object_get(from, key)) != NULL)
		json_object_set(to, key, v);
}

/*
 * What moved since the previous plan (JSON text).  A move the solver
 * priced (replan_move_cost) carries its "saving", or the "reason" it
 * could not stay, and a move to another centre what the location stage
 * saw (centre_saving, centre_full, centre_closed).
 */
static char *
pb_changes(const struct plan_input *in, json_t *plan, int from_solver)
{
	json_t		*moved = json_array(), *o, *why;
	long long	 n_new = 0, n_day = 0, n_veh = 0, n_def = 0, n_sched = 0;
	long long	 n_same = 0, n_pinned = 0, n_gone = 0;
	size_t		 i, k;
	char		 day[24], *text;

	for (k = 0; k < in->npk; k++) {
		const struct rt_stop *s = &in->st[k];
		const struct plan_prev *pv;

		if (s->pin_day >= 0 && s->deferred == NULL)
			n_pinned++;
		if ((pv = pb_prev(in, &in->pk[k])) == NULL) {
			n_new++;
			continue;
		}
		if (s->deferred != NULL) {
			if (pv->deferred)
				n_same++;
			else
				n_def++;
			continue;
		}
		if (pv->deferred) {
			n_sched++;
			continue;
		}
		days_to_date(s->day, day);
		if (strcmp(day, pv->day) != 0)
			n_day++;
		else if (strcmp(in->veh[s->vehicle].name, pv->vehicle) != 0)
			n_veh++;
		else {
			n_same++;
			continue;
		}
		if (json_array_size(moved) >= 200)
			continue;
		o = json_pack("{s:I,s:{s:s,s:s},s:{s:s,s:s}}", "pickup",
		    (json_int_t)in->pk[k].id, "from", "day", pv->day,
		    "vehicle", pv->vehicle, "to", "day", day, "vehicle",
		    in->veh[s->vehicle].name);
		if (from_solver && (why = pb_move_why(in, plan, k)) != NULL) {
			json_object_set(o, "saving", json_object_get(why,
			    "saving"));
			if (json_is_string(json_object_get(why, "reason")))
				json_object_set(o, "reason", json_object_get(
				    why, "reason"));
			pb_copy(o, why, "centre_saving");
			pb_copy(o, why, "centre_full");
			pb_copy(o, why, "centre_closed");
		}
		json_array_append_new(moved, o);
	}
	for (i = 0; i < in->nprev; i++) {
		snprintf(day, sizeof(day), "%lld", (long long)in->prev[i].pickup);
		if (pb_pickup_index(in, day) < 0)
			n_gone++;
	}
	o = json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:o}",
	    "previous", in->previous ? json_integer(in->previous) :
	    json_null(), "new", n_new, "moved_day", n_day, "moved_vehicle",
	    n_veh, "now_deferred", n_def, "now_scheduled", n_sched,
	    "unchanged", n_same, "dropped", n_gone, "pinned_kept", n_pinned,
	    "move_cost", in->move_cost, "moved", moved);
	text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	return text;
}

static double
pb_cost(json_t *plan, const char *term)
{
	return json_number_value(json_object_get(json_object_get(plan, "cost"),
	    term));
}

/* KPIs of a checked plan (JSON text); out->cost gets the total. */
static char *
pb_kpis(struct plan_input *in, json_t *plan, const double *flow,
    const int *open, struct plan_output *out)
{
	json_t	*util = json_object(), *tonnes = json_object(), *u, *opened;
	json_t	*why = json_object();
	double	 km = 0, co2 = 0, rcost = 0, lf_kg = 0, lf_m3 = 0, cap, t;
	size_t	 i, j, used = 0, sched = 0, def = 0, overdue = 0;
	int	*vused = xcalloc(in->nveh + 1, sizeof(int)), s;
	char	*text;

	for (i = 0; i < out->nroutes; i++) {
		const struct rt_route	*r = &out->routes[i];
		const struct rt_vehicle	*v = &in->veh[r->vehicle];

		km += r->km;
		co2 += r->km * v->co2_per_km;
		rcost += r->cost;
		lf_kg += r->kg / v->cap_kg / out->nroutes;
		lf_m3 += r->m3 / v->cap_m3 / out->nroutes;
		used += !vused[r->vehicle]++;
	}
	x_free(vused);
	for (i = 0; i < in->npk; i++) {
		/* Carried over: its window ended before the horizon. */
		overdue += date_to_days(in->pk[i].to) < in->day0;
		if (in->st[i].deferred == NULL) {
			sched++;
			continue;
		}
		def++;
		/* Why, counted: the bench asks how many the fleet left. */
		u = json_object_get(why, in->st[i].deferred);
		json_object_set_new(why, in->st[i].deferred, json_integer(u ?
		    json_integer_value(u) + 1 : 1));
	}
	opened = json_array();
	for (j = 0; j < in->net.ncentres; j++) {
		if (!open[j])
			continue;
		json_array_append_new(opened, json_string(
		    in->net.centres[j].id));
		u = json_object();
		for (s = 0; s < STREAM_COUNT; s++)
			if ((cap = in->net.centres[j].capacity[s] *
			    pb_open_days(in)) > 0)
				json_object_set_new(u, stream_name(s),
				    json_real(flow[j * STREAM_COUNT + s] /
				    cap));
		json_object_set_new(util, in->net.centres[j].id, u);
	}
	for (s = 0; s < STREAM_COUNT; s++) {
		for (t = 0, j = 0; j < in->net.ncentres; j++)
			t += flow[j * STREAM_COUNT + s];
		json_object_set_new(tonnes, stream_name(s),
		    json_real(t / 1000));
	}
	out->cost = pb_cost(plan, "fixed") + pb_cost(plan, "outbound") -
	    pb_cost(plan, "recovered_value") + rcost;
	u = json_pack("{s:{s:f,s:f,s:f,s:f,s:f,s:f,s:f},s:f,s:f,s:I,s:I,"
	    "s:{s:f,s:f},s:{s:I,s:I,s:I,s:I,s:o},s:o,s:o,s:o,s:f,s:s,"
	    "s:{s:O?,s:O?,s:O?,s:O?}}",
	    "cost", "total", out->cost, "centres_fixed", pb_cost(plan,
	    "fixed"), "routing", rcost, "outbound", pb_cost(plan, "outbound"),
	    "recovered_value", pb_cost(plan, "recovered_value"),
	    "collection_estimate", pb_cost(plan, "collection"),
	    "solver_objective", json_number_value(json_object_get(plan,
	    "objective")),
	    "km", km, "co2_kg", co2, "routes", (json_int_t)out->nroutes,
	    "vehicles_used", (json_int_t)used,
	    "load_factor", "kg", lf_kg, "m3", lf_m3,
	    "pickups", "planned", (json_int_t)in->npk, "scheduled",
	    (json_int_t)sched, "deferred", (json_int_t)def, "overdue",
	    (json_int_t)overdue, "deferred_by_reason",
	    why, "centres_open", opened, "centre_utilisation", util,
	    "tonnes", tonnes, "recovered_value", pb_cost(plan,
	    "recovered_value"), "routes_source", out->from_solver ? "solver" :
	    "fallback", "solver", "status", json_object_get(plan, "status"),
	    "method", json_object_get(json_object_get(plan, "solver"),
	    "method"), "seconds", json_object_get(json_object_get(plan,
	    "solver"), "seconds"), "gap", json_object_get(plan, "gap"));
	/* How the legs were measured: road (osrm ...) or haversine (why). */
	json_object_set_new(u, "distances", json_string(in->distances ?
	    in->distances : "haversine"));
	text = json_dumps(u, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(u);
	return text;
}

/*
 * Read and check the solver's plan (len bytes of text) against in, and
 * route it.  0 fills out (caller clears); -1 with *cause saying why the
 * plan is refused.
 */
int
plan_result_read(struct plan_input *in, const char *text, size_t len,
    struct plan_output *out, char **cause)
{
	json_error_t	 jerr;
	json_t		*plan;
	double		*flow;
	int		*open, rc = -1;

	memset(out, 0, sizeof(*out));
	if ((plan = json_loadb(text, len, 0, &jerr)) == NULL) {
		/* jansson quotes the bytes near the error: the solver's. */
		utf8_sanitize(jerr.text);
		xasprintf(cause, "the solver's output is not JSON (line %d: "
		    "%s)", jerr.line, jerr.text);
		return -1;
	}
	open = xcalloc(in->net.ncentres + 1, sizeof(int));
	flow = xcalloc(in->net.ncentres * STREAM_COUNT + 1, sizeof(double));
	if (pb_status(plan, cause) == -1 || pb_open(in, plan, open,
	    cause) == -1 || pb_coverage(in, plan, open, cause) == -1 ||
	    pb_flows(in, plan, flow, cause) == -1 || pb_routes(in, plan, out,
	    cause) == -1)
		goto out;
	out->kpis = pb_kpis(in, plan, flow, open, out);
	out->changes = pb_changes(in, plan, out->from_solver);
	rc = 0;
out:
	if (rc == -1)
		plan_output_clear(out);
	json_decref(plan);
	x_free(open);
	x_free(flow);
	return rc;
}
