/*
 * api-routes.c -- a done plan's routes: /v1/plans/{id}/routes as JSON,
 * GeoJSON or GPX, the driver's manifest, and dispatch (pinning a vehicle's
 * stops).
 *
 * Translates only: the store keeps routes and pins and their state rules;
 * a stop's details come from its pickup's stored document, read leniently
 * (a member it lacks is left out, never an error).  Dispatch is written by
 * the group commit like the pickup writes (api_write, api-pickups.c).
 * Every handler ends in exactly one reply.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

static int	 api_stop_window(const json_t *, const char *);
static void	 api_window_text(const json_t *, char *, size_t);
static const char *api_manifest_skip(int);

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

/*
 * What a stop's pickup document says: address, the resident's notes,
 * windows, items, weight.
 */
struct api_stop_doc {
	json_t		*doc;
	const char	*address;
	const char	*notes;		/* NULL or "" when none */
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
	d->notes = json_string_value(json_object_get(d->doc, "notes"));
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
	char	 at[26];
	struct api_stop_doc d;

	for (t = 0; t < net->nfleet; t++)
		if (strcmp(net->fleet[t].id, rt->vehicle_type) == 0)
			cap = net->fleet[t].cap_kg;
	for (k = 0; k < rt->nstops; k++) {
		const struct stop_row *s = &rt->stops[k];

		api_stop_doc(s, &d);
		time_format_wall(date_to_days(rt->day), s->eta, at);
		json_array_append_new(stops, json_pack("{s:i,s:I,s:s?,s:f,s:f,"
		    "s:s?,s:s?,s:s,s:s,s:O?,s:I,s:f,s:f,s:s,s:s?}", "seq",
		    s->seq, "pickup", (json_int_t)s->pickup, "reference",
		    s->reference, "lat", s->lat, "lon", s->lon, "address",
		    d.address, "notes", d.notes, "eta", s->eta, "eta_at", at,
		    "time_windows", d.windows, "items", (json_int_t)d.nitems,
		    "weight_kg", d.kg, "load_kg", s->load_kg, "status",
		    s->status >= 0 ? pickup_status_name(s->status) : "?",
		    "pinned", s->pin[0] != '\0' ? s->pin : NULL));
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

/*
 * Where the plan sends each kind of item at each centre: from the solver's
 * flows, {"CENTRE|CATEGORY/CONDITION": STREAM} with the stream that takes
 * the most of it.  An empty object when the plan has no result.
 */
static json_t *
api_plan_streams(struct http_req *r)
{
	json_t		*res, *best = json_object(), *amt = json_object(), *fl;
	const char	*centre, *class, *stream;
	char		*text = NULL, *cause = NULL, *key;
	size_t		 i;
	double		 a;

	if (store_plan_result(r->srv->store, r->id, &text, &cause) !=
	    STORE_OK || text == NULL) {
		x_free(cause);
		x_free(text);
		json_decref(amt);
		return best;
	}
	res = json_loads(text, 0, NULL);
	free(text);
	json_array_foreach(json_object_get(res, "flows"), i, fl) {
		centre = json_string_value(json_object_get(fl, "centre"));
		class = json_string_value(json_object_get(fl, "class"));
		stream = json_string_value(json_object_get(fl, "stream"));
		a = json_number_value(json_object_get(fl, "amount"));
		if (centre == NULL || class == NULL || stream == NULL)
			continue;
		xasprintf(&key, "%s|%s", centre, class);
		if (a > json_number_value(json_object_get(amt, key))) {
			json_object_set_new(amt, key, json_real(a));
			json_object_set_new(best, key, json_string(stream));
		}
		free(key);
	}
	json_decref(res);
	json_decref(amt);
	return best;
}

/* The stream a stop's heaviest item goes to at centre, or "unknown". */
static const char *
api_stop_stream(const struct api_stop_doc *d, const char *centre,
    const json_t *streams)
{
	const json_t	*it, *heavy = NULL;
	const char	*v;
	char		*key;
	double		 w, most = -1;
	size_t		 i;

	json_array_foreach(d->items, i, it) {
		w = json_number_value(json_object_get(it, "weight_kg")) *
		    fmax(1, json_number_value(json_object_get(it, "quantity")));
		if (w > most) {
			most = w;
			heavy = it;
		}
	}
	if (heavy == NULL)
		return "unknown";
	v = json_string_value(json_object_get(heavy, "condition"));
	xasprintf(&key, "%s|%s/%s", centre, json_string_value(
	    json_object_get(heavy, "category")), v != NULL ? v : "unknown");
	v = json_string_value(json_object_get(streams, key));
	free(key);
	return v != NULL ? v : "unknown";
}

/* The plan's deferred pickups as Points, with their reasons. */
static void
api_deferred_features(struct http_req *r, json_t *f)
{
	struct plan_prev	*a;
	struct pickup_row	 row;
	json_t			*doc, *loc;
	size_t			 n, i;
	char			*cause = NULL;

	if (store_plan_assignments(r->srv->store, r->id, &a, &n, &cause) !=
	    STORE_OK) {
		x_free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!a[i].deferred || store_pickup_get(r->srv->store,
		    a[i].pickup, NULL, &row, &cause) != STORE_OK) {
			x_free(cause);
			cause = NULL;
			continue;
		}
		doc = json_loads(row.body ? row.body : "{}", 0, NULL);
		loc = json_object_get(doc, "location");
		if (json_is_number(json_object_get(loc, "lat")))
			json_array_append_new(f, json_pack("{s:s,s:o,s:{s:s,s:I,"
			    "s:s?,s:s,s:s?,s:s?}}", "type", "Feature",
			    "geometry", api_geo_point(json_number_value(
			    json_object_get(loc, "lat")), json_number_value(
			    json_object_get(loc, "lon"))), "properties", "kind",
			    "deferred", "pickup", (json_int_t)a[i].pickup,
			    "reference", row.reference, "reason", a[i].reason,
			    "address", json_string_value(json_object_get(loc,
			    "address")), "notes", json_string_value(
			    json_object_get(doc, "notes"))));
		json_decref(doc);
		pickup_row_clear(&row);
	}
	x_free(a);
}

/*
 * RFC 7946: centres as Points, routes as LineStrings, stops as Points
 * (with the stream their heaviest item goes to), and, for the whole plan
 * (deferred set), the deferred pickups as Points with their reasons.
 */
static json_t *
api_routes_geojson(struct http_req *r, const struct route_row *rows,
    size_t n, const struct network *net, int deferred)
{
	json_t	*f = json_array(), *line, *props, *used = json_object();
	json_t	*streams = api_plan_streams(r);
	size_t	 i, k, np;
	double	*plat, *plon;
	const struct centre *c;

	for (i = 0; i < n; i++) {
		if ((c = network_centre(net, rows[i].centre)) == NULL)
			continue;
		line = json_array();
		json_array_append_new(line, json_pack("[f,f]", c->lon, c->lat));
		for (k = 0; k < rows[i].nstops; k++) {
			const struct stop_row *s = &rows[i].stops[k];
			struct api_stop_doc d;

			api_stop_doc(s, &d);
			json_array_append_new(line, json_pack("[f,f]", s->lon,
			    s->lat));
			json_array_append_new(f, json_pack("{s:s,s:o,s:{s:s,"
			    "s:I,s:s?,s:s,s:s,s:i,s:s,s:s?,s:s?,s:O?,s:s,s:I,"
			    "s:f,s:s,s:s?}}", "type", "Feature", "geometry",
			    api_geo_point(s->lat, s->lon), "properties",
			    "kind", "stop", "pickup", (json_int_t)s->pickup,
			    "reference", s->reference, "vehicle",
			    rows[i].vehicle, "day", rows[i].day, "seq", s->seq,
			    "eta", s->eta, "address", d.address, "notes",
			    d.notes, "time_windows", d.windows, "stream",
			    api_stop_stream(&d, rows[i].centre, streams),
			    "items", (json_int_t)d.nitems, "weight_kg", d.kg,
			    "status", s->status >= 0 ?
			    pickup_status_name(s->status) : "?", "pinned",
			    s->pin[0] != '\0' ? s->pin : NULL));
			json_decref(d.doc);
		}
		json_array_append_new(line, json_pack("[f,f]", c->lon, c->lat));
		/* The router's path along the roads, when the plan has it. */
		if (rows[i].geometry != NULL && osrm_polyline_decode(
		    rows[i].geometry, &plat, &plon, &np) == 0) {
			json_array_clear(line);
			for (k = 0; k < np; k++)
				json_array_append_new(line, json_pack("[f,f]",
				    plon[k], plat[k]));
			x_free(plat);
			x_free(plon);
		}
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
	if (deferred)
		api_deferred_features(r, f);
	json_decref(used);
	json_decref(streams);
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

/* A centre as a GPX point (tag "wpt" or "rtept"). */
static void
api_gpx_centre(struct gpx *g, const char *tag, const struct centre *c)
{
	struct gpx_pt	pt;

	memset(&pt, 0, sizeof(pt));
	pt.lat = c->lat;
	pt.lon = c->lon;
	pt.name = c->id;
	pt.type = "centre";
	gpx_point(g, tag, &pt);
}

/*
 * A stop of route rt as a GPX route point: named by its place in the
 * route and its reference, its ETA the point's time, and what the crew
 * needs (address, ETA, the window it falls in, items, kg, notes, and to
 * skip it when it was cancelled or collected since) its description.
 */
static void
api_gpx_stop(struct gpx *g, const struct route_row *rt,
    const struct stop_row *s)
{
	struct api_stop_doc	 d;
	struct gpx_pt		 pt;
	const char		*skip = api_manifest_skip(s->status);
	char			 at[26], win[16], *name, *desc;
	int			 w;

	api_stop_doc(s, &d);
	time_format_wall(date_to_days(rt->day), s->eta, at);
	win[0] = '\0';
	if ((w = api_stop_window(d.windows, s->eta)) >= 0)
		api_window_text(json_array_get(d.windows, w), win, sizeof(win));
	xasprintf(&name, "%d %s", s->seq, s->reference ? s->reference : "");
	xasprintf(&desc, "%s%sETA %s%s%s; %lld item%s, %.0f kg%s%s%s%s%s",
	    d.address ? d.address : "", d.address ? "; " : "", s->eta,
	    win[0] ? ", window " : "", win, d.nitems, d.nitems == 1 ? "" : "s",
	    d.kg, d.notes && *d.notes ? "; " : "", d.notes ? d.notes : "",
	    skip ? "; " : "", skip ? skip : "", skip ? ": SKIP THIS STOP" : "");
	memset(&pt, 0, sizeof(pt));
	pt.lat = s->lat;
	pt.lon = s->lon;
	pt.time = at;
	pt.name = name;
	pt.desc = desc;
	pt.type = "stop";
	gpx_point(g, "rtept", &pt);
	x_free(name);
	x_free(desc);
	json_decref(d.doc);
}

/*
 * The routes as GPX (gpx.c), for a crew's navigator: the centres they
 * start from as waypoints; each route (a vehicle's day) from its centre
 * through its stops in order (api_gpx_stop) and back; the road path as a
 * track when the plan has one.  Text (caller frees), *len its length.
 */
static char *
api_routes_gpx(struct http_req *r, const struct route_row *rows, size_t n,
    const struct network *net, size_t *len)
{
	struct gpx		 g;
	const struct centre	*c;
	json_t			*used = json_object();
	char			 title[48], *name, *desc;
	double			*plat, *plon;
	size_t			 i, k, np;

	snprintf(title, sizeof(title), "recircd plan %lld", (long long)r->id);
	gpx_begin(&g, title, NULL);
	for (i = 0; i < n; i++)
		if ((c = network_centre(net, rows[i].centre)) != NULL &&
		    json_object_get(used, c->id) == NULL) {
			json_object_set_new(used, c->id, json_true());
			api_gpx_centre(&g, "wpt", c);
		}
	json_decref(used);
	for (i = 0; i < n; i++) {
		if ((c = network_centre(net, rows[i].centre)) == NULL)
			continue;
		xasprintf(&name, "%s %s", rows[i].vehicle, rows[i].day);
		xasprintf(&desc, "from %s at %s, %zu stops, back by %s, %.1f km",
		    c->id, rows[i].starts, rows[i].nstops, rows[i].ends,
		    rows[i].km);
		gpx_route_begin(&g, name, desc, (int)i + 1);
		api_gpx_centre(&g, "rtept", c);
		for (k = 0; k < rows[i].nstops; k++)
			api_gpx_stop(&g, &rows[i], &rows[i].stops[k]);
		api_gpx_centre(&g, "rtept", c);
		gpx_route_end(&g);
		x_free(name);
		x_free(desc);
	}
	for (i = 0; i < n; i++)
		if (rows[i].geometry != NULL && osrm_polyline_decode(
		    rows[i].geometry, &plat, &plon, &np) == 0) {
			xasprintf(&name, "%s %s", rows[i].vehicle,
			    rows[i].day);
			gpx_track(&g, name, plat, plon, np);
			x_free(name);
			x_free(plat);
			x_free(plon);
		}
	return gpx_end(&g, len);
}

/* GET /v1/plans/{id}/routes[?format=geojson|gpx][&day=][&vehicle=] */
void
api_plan_routes(struct http_req *r)
{
	struct route_row	*rows;
	struct network		 net;
	const char		*fmt = http_query(r, "format"), *day, *veh;
	json_t			*a, *body;
	size_t			 n, i, len;
	char			*cause = NULL, *text;

	veh = http_query(r, "vehicle");
	if (fmt != NULL && strcmp(fmt, "json") != 0 &&
	    strcmp(fmt, "geojson") != 0 && strcmp(fmt, "gpx") != 0) {
		http_error(r, 400, "invalid_value", "format",
		    "format must be json, geojson or gpx");
		return;
	}
	if (api_day(r, &day) == -1 || api_routes_load(r, veh, day, &rows,
	    &n) == -1)
		return;
	if (store_network_load(r->srv->store, &net, &cause) != STORE_OK) {
		route_rows_free(rows, n);
		http_store_failed(r, STORE_UNAVAILABLE, cause);
		x_free(cause);
		return;
	}
	if (fmt != NULL && strcmp(fmt, "gpx") == 0) {
		text = api_routes_gpx(r, rows, n, &net, &len);
		http_reply_typed(r, 200, "application/gpx+xml", text, len);
		x_free(text);
	} else if (fmt != NULL && strcmp(fmt, "geojson") == 0) {
		body = api_routes_geojson(r, rows, n, &net, veh == NULL);
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

/*
 * Which of a pickup's time windows the stop is served in: the one its ETA
 * ("HH:MM", as the windows are, so they compare as text) falls in; else
 * the first that opens after it (the crew waits); else the last.  -1 when
 * there are none (any time).
 */
static int
api_stop_window(const json_t *windows, const char *eta)
{
	const json_t	*w;
	const char	*a, *b;
	size_t		 i, n = json_array_size(windows);
	int		 later = -1;

	for (i = 0; i < n; i++) {
		w = json_array_get(windows, i);
		a = json_string_value(json_object_get(w, "start"));
		b = json_string_value(json_object_get(w, "end"));
		if (a == NULL || b == NULL)
			continue;
		if (strcmp(a, eta) <= 0 && strcmp(eta, b) <= 0)
			return (int)i;
		if (later == -1 && strcmp(a, eta) > 0)
			later = (int)i;
	}
	return later != -1 ? later : (int)n - 1;
}

static void
api_window_text(const json_t *w, char *buf, size_t size)
{
	const char	*a = json_string_value(json_object_get(w, "start"));
	const char	*b = json_string_value(json_object_get(w, "end"));

	snprintf(buf, size, "%s-%s", a ? a : "?", b ? b : "?");
}

/* Why a stop of a pickup now in status is not to be called at, or NULL. */
static const char *
api_manifest_skip(int status)
{
	switch (status) {
	case PICKUP_CANCELLED:
		return "CANCELLED since the plan was made";
	case PICKUP_COLLECTED:
	case PICKUP_SORTED:
	case PICKUP_CLOSED:
		return "ALREADY COLLECTED";
	case PICKUP_UNSERVICEABLE:
		return "REPORTED UNSERVICEABLE";
	default:
		return NULL;
	}
}

static void
api_manifest_stop(char **t, const struct stop_row *s)
{
	struct api_stop_doc	 d;
	json_t			*it;
	size_t			 i, n;
	char			 win[64] = "any time", other[64];
	const char		*skip;
	int			 in;

	api_stop_doc(s, &d);
	n = json_array_size(d.windows);
	if ((in = api_stop_window(d.windows, s->eta)) >= 0)
		api_window_text(json_array_get(d.windows, in), win,
		    sizeof(win));
	xappendf(t, "%3d  %s  #%-6lld %-14s %-11s %3lld %-5s %7.1f kg\n"
	    "     %s\n", s->seq, s->eta, (long long)s->pickup,
	    s->reference ? s->reference : "", win, d.nitems,
	    d.nitems == 1 ? "item" : "items", d.kg,
	    d.address ? d.address : "(no address; see the coordinates)");
	/* What has happened to the pickup since the plan was made: the
	 * sheet is printed later, and a crew must not call in vain. */
	if ((skip = api_manifest_skip(s->status)) != NULL)
		xappendf(t, "     %s: SKIP THIS STOP\n", skip);
	xappendf(t, "     at %.5f, %.5f\n", s->lat, s->lon);
	if (n > 1) {
		xappendf(t, "     other windows:");
		for (i = 0; i < n; i++) {
			if ((int)i == in)
				continue;
			api_window_text(json_array_get(d.windows, i), other,
			    sizeof(other));
			xappendf(t, " %s", other);
		}
		xappendf(t, "\n");
	}
	if (d.notes != NULL && d.notes[0] != '\0') {
		/* On one line, whatever the resident typed. */
		char *note = xstrdup(d.notes), *p;

		for (p = note; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		xappendf(t, "     NOTE: %s\n", note);
		free(note);
	}
	json_array_foreach(d.items, i, it)
		xappendf(t, "       - %lld x %s (%s)\n", (long long)fmax(1,
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
	size_t			 n, i, k, skip;
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
		char	 at[26];

		/* The zone the crew's clock is in that day: UTC+01:00. */
		time_format_wall(date_to_days(rt->day), rt->starts, at);
		xappendf(&t, "%sMANIFEST  plan %lld  vehicle %s (%s)  centre "
		    "%s\nDay %s  leave %s  back %s  %.1f km  load %.1f kg, "
		    "%.2f m3, %d item%s\nTimes are local: UTC%s%s\n\n",
		    i ? "\f" : "", (long long)r->id, rt->vehicle,
		    rt->vehicle_type, rt->centre, rt->day, rt->starts, rt->ends,
		    rt->km, rt->load_kg, rt->load_m3, rt->load_items,
		    rt->load_items == 1 ? "" : "s",
		    at[0] ? at + 19 : "?", strcmp(rt->source, "fallback") == 0 ?
		    "\n(route order by the daemon's fallback router)" : "");
		for (k = skip = 0; k < rt->nstops; k++)
			skip += api_manifest_skip(rt->stops[k].status) != NULL;
		if (skip > 0)
			xappendf(&t, "%zu of the %zu stops to skip: cancelled or "
			    "collected since the plan (marked below)\n\n", skip,
			    rt->nstops);
		xappendf(&t, "STOP ETA    PICKUP  REFERENCE      WINDOW      "
		    "      ITEMS  EXPECTED\n");
		for (k = 0; k < rt->nstops; k++)
			api_manifest_stop(&t, &rt->stops[k]);
		xappendf(&t, "\nBack at %s by %s.\n", rt->centre, rt->ends);
	}
	route_rows_free(rows, n);
	http_reply_typed(r, 200, "text/plain; charset=utf-8", t, strlen(t));
	x_free(t);
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
