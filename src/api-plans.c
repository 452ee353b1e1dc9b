/*
 * api-plans.c -- /v1/plans (run, show, routes as JSON and GeoJSON, driver
 * manifests, dispatch), the field's pickup events and confirmations, and
 * the admin clock.
 *
 * Translates only: plan.c decides when and how plans run, plan-build.c
 * what a plan is, store.c what may change (pins, events and their state
 * rules).  Every handler ends in exactly one reply.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recircd.h"

#define PLAN_LIST_MAX	50

static json_t *
api_time(int64_t t)
{
	char	buf[21];

	if (t == 0)
		return json_null();
	time_format(t, buf);
	return json_string(buf);
}

/* Parse stored JSON text, or null. */
static json_t *
api_json_text(const char *text)
{
	json_t	*v;

	if (text == NULL || (v = json_loads(text, 0, NULL)) == NULL)
		return json_null();
	return v;
}

/* Rates from the field's events on the plan's pickups. */
static json_t *
api_field_json(const struct field_rates *fr)
{
	json_t	*o, *by = json_object();
	double	 n = (double)fr->sorted;
	int	 s;

	for (s = 0; s < STREAM_COUNT; s++)
		json_object_set_new(by, stream_name(s),
		    json_integer(fr->sorted_n[s]));
	o = json_pack("{s:I,s:I,s:f,s:I,s:o}", "collected",
	    (json_int_t)fr->collected, "not_collected",
	    (json_int_t)fr->not_collected, "collected_kg", fr->collected_kg,
	    "sorted", (json_int_t)fr->sorted, "sorted_by_stream", by);
	json_object_set_new(o, "diversion_rate", n > 0 ? json_real((n -
	    fr->sorted_n[STREAM_DISPOSE]) / n) : json_null());
	json_object_set_new(o, "reuse_rate", n > 0 ?
	    json_real(fr->sorted_n[STREAM_REUSE] / n) : json_null());
	json_object_set_new(o, "repair_rate", n > 0 ?
	    json_real(fr->sorted_n[STREAM_REPAIR] / n) : json_null());
	return o;
}

/*
 * The plan as JSON.  Its texts are made valid UTF-8 first: a reason may
 * hold what a solver wrote, stored before such text was cleaned, and a
 * string jansson refuses would drop the plan from every reply.
 */
static json_t *
api_plan_json(struct http_req *r, struct plan_row *p, int64_t current)
{
	struct field_rates	 fr;
	json_t			*o, *kpis;
	char			*cause = NULL;
	char			**text[] = { &p->phase, &p->trigger,
				    &p->requested_by, &p->reason };
	size_t			 i;
	int64_t			 deadline;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (*text[i] != NULL)
			utf8_sanitize(*text[i]);
	o = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:{s:s,s:i},s:o,s:o,s:o,s:o,"
	    "s:s?,s:o,s:b}", "id", (json_int_t)p->id, "state", p->state,
	    "phase", p->phase, "trigger", p->trigger, "requested_by",
	    p->requested_by, "horizon", "from", p->horizon_from, "days",
	    p->horizon_days, "best_cost", p->has_best ?
	    json_real(p->best_cost) : json_null(), "created",
	    api_time(p->created), "started", api_time(p->started),
	    "finished", api_time(p->finished), "reason", p->reason,
	    "previous", p->previous ? json_integer(p->previous) : json_null(),
	    "current", p->id == current);
	if (strcmp(p->state, "running") == 0 && p->started)
		json_object_set_new(o, "elapsed_s", json_integer(
		    plan_now(r->srv) - p->started));
	/* While the solver runs: when it will be stopped, and how soon. */
	if (strcmp(p->state, "running") == 0 &&
	    (deadline = plan_deadline(r->srv, p->id)) != 0) {
		json_object_set_new(o, "deadline", api_time(deadline));
		json_object_set_new(o, "remaining_s", json_integer(deadline >
		    plan_now(r->srv) ? deadline - plan_now(r->srv) : 0));
	}
	kpis = api_json_text(p->kpis);
	if (json_is_object(kpis)) {
		if (store_field_rates(r->srv->store, p->id, &fr, &cause) ==
		    STORE_OK)
			json_object_set_new(kpis, "field", api_field_json(&fr));
		x_free(cause);
	}
	json_object_set_new(o, "kpis", kpis);
	json_object_set_new(o, "changes", api_json_text(p->changes));
	return o;
}

/* The current plan's id, 0 if none. */
static int64_t
api_current(struct http_req *r)
{
	struct plan_row	 p;
	int64_t		 id = 0;
	char		*cause = NULL;

	if (store_plan_get(r->srv->store, 0, &p, &cause) == STORE_OK)
		id = p.id;
	plan_row_clear(&p);
	x_free(cause);
	return id;
}

/* POST /v1/plans, body optional: {"days": N}. */
void
api_plans_create(struct http_req *r)
{
	struct api_error	 e;
	enum store_result	 res;
	json_t			*in = NULL, *v;
	int64_t			 id;
	int			 days = (int)r->srv->conf->plan_days;
	char			*cause = NULL, loc[64];

	if (r->body_len > 0 && (!http_json_content(r) ||
	    (in = http_json_body(r)) == NULL))
		return;
	if (in != NULL) {
		memset(&e, 0, sizeof(e));
		v = json_object_get(in, "days");
		if (!json_is_object(in) || json_object_size(in) >
		    (v != NULL ? 1u : 0u))
			api_error_set(&e, 422, "unknown_field", "",
			    "the body may only hold \"days\"");
		else if (v != NULL && (!json_is_integer(v) ||
		    json_integer_value(v) < 1 || json_integer_value(v) > 28))
			api_error_set(&e, 422, "out_of_range", "days",
			    "days must be a whole number from 1 to 28");
		else if (v != NULL)
			days = (int)json_integer_value(v);
		json_decref(in);
		if (e.status != 0) {
			http_reply_error(r, &e);
			return;
		}
	}
	res = plan_enqueue(r->srv, "manual", r->operator, days, &id, &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	snprintf(loc, sizeof(loc), "/v1/plans/%lld", (long long)id);
	http_set_header(r, "Location", loc);
	http_reply_json(r, 202, json_pack("{s:I,s:s,s:s}", "id",
	    (json_int_t)id, "state", "queued", "href", loc));
}

/* GET /v1/plans: the newest plans, newest first. */
void
api_plans_list(struct http_req *r)
{
	struct plan_row		*rows;
	enum store_result	 res;
	size_t			 n, i;
	int64_t			 cur = api_current(r);
	json_t			*a, *p;
	char			*cause = NULL;

	res = store_plan_list(r->srv->store, PLAN_LIST_MAX, &rows, &n, &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		p = api_plan_json(r, &rows[i], cur);
		json_object_del(p, "kpis");
		json_object_del(p, "changes");
		json_array_append_new(a, p);
	}
	plan_rows_free(rows, n);
	http_reply_json(r, 200, json_pack("{s:o}", "plans", a));
}

/* Load plan id (0: current) or reply 404/5xx and return -1. */
static int
api_plan_load(struct http_req *r, int64_t id, struct plan_row *p)
{
	enum store_result	 res;
	char			*cause = NULL;

	if ((res = store_plan_get(r->srv->store, id, p, &cause)) == STORE_OK)
		return 0;
	if (res == STORE_NOTFOUND && id == 0)
		http_error(r, 404, "not_found", NULL, "no plan has finished "
		    "yet; POST /v1/plans runs one");
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no plan %lld",
		    (long long)id);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
	plan_row_clear(p);
	return -1;
}

/* GET /v1/plans/{id} */
void
api_plan_get(struct http_req *r)
{
	struct plan_row	p;

	if (api_plan_load(r, r->id, &p) == -1)
		return;
	http_reply_json(r, 200, api_plan_json(r, &p, api_current(r)));
	plan_row_clear(&p);
}

/* GET /v1/plans/current */
void
api_plan_current(struct http_req *r)
{
	struct plan_row	p;

	if (api_plan_load(r, 0, &p) == -1)
		return;
	http_reply_json(r, 200, api_plan_json(r, &p, p.id));
	plan_row_clear(&p);
}

/* A day query parameter, checked; replies 400 and returns -1 if bad. */
static int
api_day(struct http_req *r, const char **day)
{
	*day = http_query(r, "day");
	if (*day != NULL && (strlen(*day) != 10 || date_to_days(*day) < 0)) {
		http_error(r, 400, "invalid_value", "day",
		    "day must be YYYY-MM-DD");
		return -1;
	}
	return 0;
}

/* A done plan's routes (vehicle, day may be NULL); replies on failure. */
static int
api_routes_load(struct http_req *r, const char *vehicle, const char *day,
    struct route_row **rows, size_t *n)
{
	struct plan_row		 p;
	enum store_result	 res;
	char			*cause = NULL;

	if (api_plan_load(r, r->id, &p) == -1)
		return -1;
	if (strcmp(p.state, "done") != 0) {
		http_error(r, 409, "invalid_state", NULL, "plan %lld is %s; "
		    "routes come with a done plan", (long long)p.id, p.state);
		plan_row_clear(&p);
		return -1;
	}
	plan_row_clear(&p);
	res = store_plan_routes(r->srv->store, r->id, vehicle, day, rows, n,
	    &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return -1;
	}
	return 0;
}

/* What a stop's pickup document says: address, windows, items, weight. */
struct api_stop_doc {
	json_t		*doc;
	const char	*address;
	json_t		*windows;
	json_t		*items;
	double		 kg;
	long long	 nitems;
};

static void
api_stop_doc(const struct stop_row *s, struct api_stop_doc *d)
{
	json_t	*it;
	size_t	 i;
	double	 q;

	memset(d, 0, sizeof(*d));
	d->doc = json_loads(s->body ? s->body : "{}", 0, NULL);
	d->address = json_string_value(json_object_get(json_object_get(d->doc,
	    "location"), "address"));
	d->windows = json_object_get(d->doc, "time_windows");
	d->items = json_object_get(d->doc, "items");
	json_array_foreach(d->items, i, it) {
		q = json_number_value(json_object_get(it, "quantity"));
		q = q > 0 ? q : 1;
		d->nitems += (long long)q;
		d->kg += q * json_number_value(json_object_get(it,
		    "weight_kg"));
	}
}

static json_t *
api_route_json(const struct route_row *rt, const struct network *net)
{
	json_t	*stops = json_array(), *o;
	size_t	 k, t;
	double	 cap = 0;
	struct api_stop_doc d;

	for (t = 0; t < net->nfleet; t++)
		if (strcmp(net->fleet[t].id, rt->vehicle_type) == 0)
			cap = net->fleet[t].cap_kg;
	for (k = 0; k < rt->nstops; k++) {
		const struct stop_row *s = &rt->stops[k];

		api_stop_doc(s, &d);
		json_array_append_new(stops, json_pack("{s:i,s:I,s:s?,s:f,s:f,"
		    "s:s?,s:s,s:O?,s:I,s:f,s:f,s:s}", "seq", s->seq, "pickup",
		    (json_int_t)s->pickup, "reference", s->reference, "lat",
		    s->lat, "lon", s->lon, "address", d.address, "eta", s->eta,
		    "time_windows", d.windows, "items", (json_int_t)d.nitems,
		    "weight_kg", d.kg, "load_kg", s->load_kg, "status",
		    s->status >= 0 ? pickup_status_name(s->status) : "?"));
		json_decref(d.doc);
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:{s:f,s:f,s:i},"
	    "s:o,s:o}", "vehicle", rt->vehicle, "vehicle_type",
	    rt->vehicle_type, "centre", rt->centre, "day", rt->day, "source",
	    rt->source, "start", rt->starts, "end", rt->ends, "km", rt->km,
	    "cost", rt->cost, "load", "kg", rt->load_kg, "m3", rt->load_m3,
	    "items", rt->load_items, "capacity_kg", cap > 0 ? json_real(cap) :
	    json_null(), "stops", stops);
	return o;
}

static json_t *
api_geo_point(double lat, double lon)
{
	return json_pack("{s:s,s:[f,f]}", "type", "Point", "coordinates", lon,
	    lat);
}

/* RFC 7946: centres as Points, routes as LineStrings, stops as Points. */
static json_t *
api_routes_geojson(const struct route_row *rows, size_t n,
    const struct network *net)
{
	json_t	*f = json_array(), *line, *props, *used = json_object();
	size_t	 i, k;
	const struct centre *c;

	for (i = 0; i < n; i++) {
		if ((c = network_centre(net, rows[i].centre)) == NULL)
			continue;
		line = json_array();
		json_array_append_new(line, json_pack("[f,f]", c->lon, c->lat));
		for (k = 0; k < rows[i].nstops; k++) {
			const struct stop_row *s = &rows[i].stops[k];

			json_array_append_new(line, json_pack("[f,f]", s->lon,
			    s->lat));
			json_array_append_new(f, json_pack("{s:s,s:o,s:{s:s,"
			    "s:I,s:s,s:s,s:i,s:s}}", "type", "Feature",
			    "geometry", api_geo_point(s->lat, s->lon),
			    "properties", "kind", "stop", "pickup",
			    (json_int_t)s->pickup, "vehicle", rows[i].vehicle,
			    "day", rows[i].day, "seq", s->seq, "eta", s->eta));
		}
		json_array_append_new(line, json_pack("[f,f]", c->lon, c->lat));
		props = api_route_json(&rows[i], net);
		json_object_del(props, "stops");
		json_object_set_new(props, "kind", json_string("route"));
		json_object_set_new(props, "stops", json_integer(
		    (json_int_t)rows[i].nstops));
		json_array_append_new(f, json_pack("{s:s,s:{s:s,s:o},s:o}",
		    "type", "Feature", "geometry", "type", "LineString",
		    "coordinates", line, "properties", props));
		json_object_set_new(used, c->id, json_true());
	}
	for (i = 0; i < net->ncentres; i++) {
		c = &net->centres[i];
		json_array_append_new(f, json_pack("{s:s,s:o,s:{s:s,s:s,s:s,"
		    "s:b,s:b}}", "type", "Feature", "geometry",
		    api_geo_point(c->lat, c->lon), "properties", "kind",
		    "centre", "id", c->id, "name", c->name, "existing",
		    c->existing, "used", json_object_get(used, c->id) != NULL));
	}
	json_decref(used);
	return json_pack("{s:s,s:o}", "type", "FeatureCollection", "features",
	    f);
}

/* The plan's deferred pickups, with reasons. */
static json_t *
api_deferred(struct http_req *r)
{
	struct plan_prev	*a;
	size_t			 n, i;
	json_t			*o = json_array();
	char			*cause = NULL;

	if (store_plan_assignments(r->srv->store, r->id, &a, &n, &cause) !=
	    STORE_OK) {
		x_free(cause);
		return o;
	}
	for (i = 0; i < n; i++)
		if (a[i].deferred)
			json_array_append_new(o, json_pack("{s:I,s:s}",
			    "pickup", (json_int_t)a[i].pickup, "reason",
			    a[i].reason));
	x_free(a);
	return o;
}

/* GET /v1/plans/{id}/routes[?format=geojson][&day=][&vehicle=] */
void
api_plan_routes(struct http_req *r)
{
	struct route_row	*rows;
	struct network		 net;
	const char		*fmt = http_query(r, "format"), *day, *veh;
	json_t			*a, *body;
	size_t			 n, i;
	char			*cause = NULL, *text;

	veh = http_query(r, "vehicle");
	if (fmt != NULL && strcmp(fmt, "json") != 0 &&
	    strcmp(fmt, "geojson") != 0) {
		http_error(r, 400, "invalid_value", "format",
		    "format must be json or geojson");
		return;
	}
	if (api_day(r, &day) == -1 || api_routes_load(r, veh, day, &rows,
	    &n) == -1)
		return;
	if (store_network_load(r->srv->store, &net, &cause) != STORE_OK) {
		route_rows_free(rows, n);
		network_clear(&net);
		http_store_failed(r, STORE_UNAVAILABLE, cause);
		x_free(cause);
		return;
	}
	if (fmt != NULL && strcmp(fmt, "geojson") == 0) {
		body = api_routes_geojson(rows, n, &net);
		text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10));
		json_decref(body);
		http_reply_typed(r, 200, "application/geo+json", text,
		    strlen(text));
		free(text);
	} else {
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, api_route_json(&rows[i],
			    &net));
		http_reply_json(r, 200, json_pack("{s:I,s:o,s:o}", "plan",
		    (json_int_t)r->id, "routes", a, "deferred",
		    api_deferred(r)));
	}
	route_rows_free(rows, n);
	network_clear(&net);
}

/* Append printf output to a growing text. */
static void PRINTFLIKE(2, 3)
api_textf(char **text, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 have = *text ? strlen(*text) : 0;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	*text = xreallocarray(*text, have + n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(*text + have, n + 1, fmt, ap);
	va_end(ap);
}

static void
api_manifest_stop(char **t, const struct stop_row *s)
{
	struct api_stop_doc	 d;
	json_t			*w, *it;
	size_t			 i;
	char			 win[64] = "any time";

	api_stop_doc(s, &d);
	if ((w = json_array_get(d.windows, 0)) != NULL)
		snprintf(win, sizeof(win), "%s-%s", json_string_value(
		    json_object_get(w, "start")), json_string_value(
		    json_object_get(w, "end")));
	api_textf(t, "%3d  %s  #%-6lld %-14s %-11s %3lld items %7.1f kg\n"
	    "     %s\n", s->seq, s->eta, (long long)s->pickup,
	    s->reference ? s->reference : "", win, d.nitems, d.kg,
	    d.address ? d.address : "(no address; see the coordinates)");
	api_textf(t, "     at %.5f, %.5f\n", s->lat, s->lon);
	json_array_foreach(d.items, i, it)
		api_textf(t, "       - %lld x %s (%s)\n", (long long)fmax(1,
		    json_number_value(json_object_get(it, "quantity"))),
		    json_string_value(json_object_get(it, "category")),
		    json_string_value(json_object_get(it, "condition")) ?
		    json_string_value(json_object_get(it, "condition")) :
		    "unknown");
	json_decref(d.doc);
}

/* GET /v1/plans/{id}/manifest/{name}[?day=]: the driver's sheet. */
void
api_plan_manifest(struct http_req *r)
{
	struct route_row	*rows;
	const char		*day;
	size_t			 n, i, k;
	char			*t = NULL;

	if (api_day(r, &day) == -1 || api_routes_load(r, r->name, day, &rows,
	    &n) == -1)
		return;
	if (n == 0) {
		http_error(r, 404, "not_found", NULL, "vehicle %s has no route "
		    "in plan %lld%s%s", r->name, (long long)r->id,
		    day ? " on " : "", day ? day : "");
		route_rows_free(rows, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct route_row *rt = &rows[i];

		api_textf(&t, "%sMANIFEST  plan %lld  vehicle %s (%s)  centre "
		    "%s\nDay %s  leave %s  back %s  %.1f km  load %.1f kg, "
		    "%.2f m3, %d items%s\n\n", i ? "\f" : "", (long long)r->id,
		    rt->vehicle, rt->vehicle_type, rt->centre, rt->day,
		    rt->starts, rt->ends, rt->km, rt->load_kg, rt->load_m3,
		    rt->load_items, strcmp(rt->source, "fallback") == 0 ?
		    "\n(route order by the daemon's fallback router)" : "");
		api_textf(&t, "STOP ETA    PICKUP  REFERENCE      WINDOW      "
		    "      ITEMS  EXPECTED\n");
		for (k = 0; k < rt->nstops; k++)
			api_manifest_stop(&t, &rt->stops[k]);
		api_textf(&t, "\nBack at %s by %s.\n", rt->centre, rt->ends);
	}
	route_rows_free(rows, n);
	http_reply_typed(r, 200, "text/plain; charset=utf-8", t, strlen(t));
	x_free(t);
}

/*
 * The arguments and results of a pin or field event, written by the
 * group commit's writer (so the loop never waits on the disk or on the
 * writer's lock) and answered from its done() callback.
 */
struct api_write {
	int64_t			 id, now;
	char			 vehicle[64];
	char			*day, *actor, *code;
	enum field_kind		 kind;
	int			 stream, count;
	double			 kg;
};

/* Queue a pin or event write for r; done() replies. */
static void
api_write(struct http_req *r, struct api_write *w, enum store_result
    (*apply)(struct store *, struct commit_job *, char **),
    void (*done)(struct commit_job *, void *))
{
	w->id = r->id;
	w->now = plan_now(r->srv);
	w->actor = xstrdup(r->operator);
	snprintf(w->vehicle, sizeof(w->vehicle), "%s", r->name);
	http_defer(r);
	commit_call(r->srv->committer, apply, w, done, r);
}

static void
api_write_free(struct commit_job *j)
{
	struct api_write	*w = j->data;

	x_free(w->day);
	x_free(w->actor);
	x_free(w->code);
	x_free(w);
	commit_job_free(j);
}

static enum store_result
api_dispatch_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_write	*w = j->data;

	return store_pin_dispatch(st, w->id, w->vehicle, w->day, w->actor,
	    w->now, &w->count, cause);
}

static void
api_dispatch_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_write	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:I,s:s,s:s?,s:i}", "plan",
		    (json_int_t)w->id, "vehicle", w->vehicle, "day", w->day,
		    "dispatched", w->count));
	else if (j->result == STORE_INVALID)
		http_error(r, 409, "invalid_state", NULL, "plan %lld is not "
		    "the current plan", (long long)w->id);
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "vehicle %s has no "
		    "scheduled stops in plan %lld", w->vehicle,
		    (long long)w->id);
	else
		http_store_failed(r, j->result, j->cause);
	api_write_free(j);
}

/* POST /v1/plans/{id}/dispatch/{name}[?day=]: pin the vehicle's stops. */
void
api_plan_dispatch(struct http_req *r)
{
	struct api_write	*w;
	const char		*day;

	if (api_day(r, &day) == -1)
		return;
	w = xcalloc(1, sizeof(*w));
	w->day = day ? xstrdup(day) : NULL;
	api_write(r, w, api_dispatch_apply, api_dispatch_done);
}

static enum store_result
api_confirm_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_write	*w = j->data;

	return store_pin_confirm(st, w->id, w->actor, w->now, cause);
}

static void
api_confirm_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_write	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:I,s:s}", "pickup",
		    (json_int_t)w->id, "pinned", "confirmed"));
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no pickup %lld",
		    (long long)w->id);
	else if (j->result == STORE_INVALID)
		http_error(r, 409, "invalid_state", NULL, "pickup %lld is not "
		    "scheduled; only a scheduled day can be confirmed",
		    (long long)w->id);
	else
		http_store_failed(r, j->result, j->cause);
	api_write_free(j);
}

/* POST /v1/pickups/{id}/confirm: the resident was told the day. */
void
api_pickup_confirm(struct http_req *r)
{
	api_write(r, xcalloc(1, sizeof(struct api_write)), api_confirm_apply,
	    api_confirm_done);
}

static const char *const api_exceptions[] = { "not_out", "no_access",
	"contaminated", "overweight", NULL };

/* Read an event body into kind, code, stream, kg; -1 with *e. */
static int
api_event_parse(json_t *in, enum field_kind *kind, const char **code,
    int *stream, double *kg, struct api_error *e)
{
	const char	*type, *k;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(in)) {
		api_error_set(e, 400, "wrong_type", "", "an event must be a "
		    "JSON object");
		return -1;
	}
	json_object_foreach(in, k, v)
		if (strcmp(k, "type") != 0 && strcmp(k, "weight_kg") != 0 &&
		    strcmp(k, "code") != 0 && strcmp(k, "stream") != 0) {
			api_error_set(e, 422, "unknown_field", k, "an event "
			    "has no member %s", k);
			return -1;
		}
	type = json_string_value(json_object_get(in, "type"));
	*code = json_string_value(json_object_get(in, "code"));
	*stream = -1;
	*kg = 0;
	if ((v = json_object_get(in, "weight_kg")) != NULL &&
	    (!json_is_number(v) || (*kg = json_number_value(v)) <= 0 ||
	    *kg > 10000)) {
		api_error_set(e, 422, "out_of_range", "weight_kg", "weight_kg "
		    "must be a number over 0 and at most 10000");
		return -1;
	}
	if (type == NULL) {
		api_error_set(e, 422, "missing_field", "type", "type is "
		    "required: collected, not_collected or sorted");
		return -1;
	}
	if (strcmp(type, "collected") == 0)
		*kind = FIELD_COLLECTED;
	else if (strcmp(type, "not_collected") == 0) {
		*kind = FIELD_NOT_COLLECTED;
		for (i = 0; *code != NULL && api_exceptions[i] != NULL; i++)
			if (strcmp(*code, api_exceptions[i]) == 0)
				break;
		if (*code == NULL || api_exceptions[i] == NULL) {
			api_error_set(e, 422, "invalid_value", "code", "code "
			    "must be not_out, no_access, contaminated or "
			    "overweight");
			return -1;
		}
	} else if (strcmp(type, "sorted") == 0) {
		*kind = FIELD_SORTED;
		k = json_string_value(json_object_get(in, "stream"));
		if (k == NULL || (*stream = stream_parse(k)) == -1) {
			api_error_set(e, 422, "invalid_value", "stream",
			    "stream must be repair, reuse, recycle or "
			    "dispose");
			return -1;
		}
	} else {
		api_error_set(e, 422, "invalid_value", "type", "type must be "
		    "collected, not_collected or sorted");
		return -1;
	}
	if (*kind != FIELD_NOT_COLLECTED)
		*code = NULL;
	return 0;
}

static enum store_result
api_event_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_write	*w = j->data;

	pickup_row_clear(&j->row);
	return store_field_event(st, w->id, w->kind, w->code, w->stream,
	    w->kg, w->actor, w->now, &j->row, cause);
}

static void
api_event_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_write	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:I,s:s}", "id",
		    (json_int_t)w->id, "status",
		    pickup_status_name(j->row.status)));
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no pickup %lld",
		    (long long)w->id);
	else if (j->result == STORE_INVALID)
		http_error(r, 409, "invalid_state", "type", "pickup %lld is %s; "
		    "that event does not apply", (long long)w->id,
		    pickup_status_name(j->row.status));
	else
		http_store_failed(r, j->result, j->cause);
	api_write_free(j);
}

/* POST /v1/pickups/{id}/events */
void
api_pickup_event(struct http_req *r)
{
	struct api_error	 e;
	struct api_write	*w;
	enum field_kind		 kind;
	const char		*code;
	json_t			*in;
	double			 kg;
	int			 stream;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (api_event_parse(in, &kind, &code, &stream, &kg, &e) == -1) {
		json_decref(in);
		http_reply_error(r, &e);
		return;
	}
	w = xcalloc(1, sizeof(*w));
	w->kind = kind;
	w->code = code ? xstrdup(code) : NULL;
	w->stream = stream;
	w->kg = kg;
	json_decref(in);
	api_write(r, w, api_event_apply, api_event_done);
}

static void
api_clock_reply(struct http_req *r)
{
	int64_t	now = plan_now(r->srv), next = plan_next_run(r->srv);

	http_reply_json(r, 200, json_pack("{s:o,s:I,s:o}", "now",
	    api_time(now), "offset_s", (json_int_t)(now - time(NULL)),
	    "next_run", api_time(next)));
}

/* GET /v1/admin/clock */
void
api_clock_get(struct http_req *r)
{
	api_clock_reply(r);
}

/* POST /v1/admin/clock {"now": "YYYY-MM-DDTHH:MM:SSZ"}: move the clock. */
void
api_clock_set(struct http_req *r)
{
	const char	*s;
	json_t		*in;
	int64_t		 now;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	s = json_string_value(json_object_get(in, "now"));
	if (s == NULL || time_parse(s, &now) == -1) {
		json_decref(in);
		http_error(r, 422, "invalid_value", "now", "now must be "
		    "YYYY-MM-DDTHH:MM:SSZ");
		return;
	}
	json_decref(in);
	plan_set_clock(r->srv, now);
	api_clock_reply(r);
}
