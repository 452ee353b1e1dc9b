/*
 * network.c -- centres, vehicle types, processors and stream rules as JSON.
 *
 * Translates the admin API's and the seed file's JSON to the structs the
 * store and the planner use, and back.  Validation lives here (what a
 * centre, vehicle type, processor or rule may be); uniqueness and
 * references (a vehicle type's centre must exist) are the store's
 * business.  The four kinds are handled alike through net_kinds[], so
 * the API, the store and the seed loop over kinds instead of naming them.
 * Pure: no I/O, no globals, so unit tests call it directly.  Errors fill
 * a struct api_error with status 422 (400 when the body is not an object)
 * and the member at fault, in the same style as pickup.c.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

void
network_clear(struct network *n)
{
	x_free(n->centres);
	x_free(n->fleet);
	x_free(n->procs);
	x_free(n->rules);
	memset(n, 0, sizeof(*n));
}

/* Ids are 1 to NET_ID_MAX-1 of [A-Za-z0-9._-], so they fit in a URL path. */
int
network_id_valid(const char *s)
{
	size_t	i, len = strlen(s);

	if (len == 0 || len >= NET_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

const struct centre *
network_centre(const struct network *n, const char *id)
{
	size_t	i;

	for (i = 0; i < n->ncentres; i++)
		if (strcmp(n->centres[i].id, id) == 0)
			return &n->centres[i];
	return NULL;
}

/* Every member of o must be in known[]; else 422 unknown_field. */
static int
net_known(json_t *o, const char *const known[], const char *where,
    struct api_error *e)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(k, known[i]) == 0)
				break;
		if (known[i] == NULL) {
			api_error_set(e, 422, "unknown_field", k,
			    "%s has no member %s", where, k);
			return -1;
		}
	}
	return 0;
}

/*
 * A number member in [min, max]; absent: def, or 422 missing_field when
 * required.  integral asks for a whole number.
 */
static int
net_number(json_t *o, const char *key, int required, double def, double min,
    double max, int integral, double *out, struct api_error *e)
{
	json_t	*v = json_object_get(o, key);
	double	 d;

	if (v == NULL) {
		if (required) {
			api_error_set(e, 422, "missing_field", key,
			    "%s is required", key);
			return -1;
		}
		*out = def;
		return 0;
	}
	if (!json_is_number(v)) {
		api_error_set(e, 422, "wrong_type", key,
		    "%s must be a number", key);
		return -1;
	}
	d = json_number_value(v);
	if (!isfinite(d) || d < min || d > max || (integral && d != floor(d))) {
		api_error_set(e, 422, "out_of_range", key, "%s must be %s "
		    "between %g and %g", key, integral ? "a whole number" :
		    "a number", min, max);
		return -1;
	}
	*out = d;
	return 0;
}

/* A string member that fits in out[size]; absent: def (NULL: required). */
static int
net_string(json_t *o, const char *key, const char *def, char *out,
    size_t size, struct api_error *e)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;

	if (v == NULL) {
		if (def == NULL) {
			api_error_set(e, 422, "missing_field", key,
			    "%s is required", key);
			return -1;
		}
		snprintf(out, size, "%s", def);
		return 0;
	}
	if (!json_is_string(v)) {
		api_error_set(e, 422, "wrong_type", key,
		    "%s must be a string", key);
		return -1;
	}
	s = json_string_value(v);
	if (s[0] == '\0' || strlen(s) >= size ||
	    strlen(s) != json_string_length(v)) {
		api_error_set(e, 422, "out_of_range", key,
		    "%s must be 1 to %zu characters", key, size - 1);
		return -1;
	}
	snprintf(out, size, "%s", s);
	return 0;
}

static int
net_bool(json_t *o, const char *key, int def, int *out, struct api_error *e)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v)) {
		api_error_set(e, 422, "wrong_type", key,
		    "%s must be true or false", key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/*
 * A member that is (part of) the key: from the path when path is set (a
 * body member must then agree), else from the body, def when absent
 * (NULL: required).
 */
static int
net_keypart(json_t *o, const char *key, const char *path, const char *def,
    char *out, size_t size, struct api_error *e)
{
	if (net_string(o, key, path != NULL ? path : def, out, size, e) == -1)
		return -1;
	if (path != NULL && strcmp(out, path) != 0) {
		api_error_set(e, 422, "invalid_value", key,
		    "%s %s does not match the path (%s)", key, out, path);
		return -1;
	}
	return 0;
}

/* The id, as net_keypart with pathid (required without one). */
static int
net_id(json_t *o, const char *pathid, char out[NET_ID_MAX],
    struct api_error *e)
{
	if (net_keypart(o, "id", pathid, NULL, out, NET_ID_MAX, e) == -1)
		return -1;
	if (!network_id_valid(out)) {
		api_error_set(e, 422, "invalid_value", "id", "id must be 1 to "
		    "%d of A-Z a-z 0-9 . _ -", NET_ID_MAX - 1);
		return -1;
	}
	return 0;
}

static int
net_capacity(json_t *o, struct centre *c, struct api_error *e)
{
	json_t		*cap = json_object_get(o, "capacity_kg"), *v;
	const char	*k;
	int		 s;

	memset(c->capacity, 0, sizeof(c->capacity));
	if (cap == NULL)
		return 0;
	if (!json_is_object(cap)) {
		api_error_set(e, 422, "wrong_type", "capacity_kg",
		    "capacity_kg must be an object of stream: kg per day");
		return -1;
	}
	json_object_foreach(cap, k, v) {
		if ((s = stream_parse(k)) == -1) {
			api_error_set(e, 422, "unknown_field", "capacity_kg",
			    "capacity_kg.%s: not a stream (repair, reuse, "
			    "recycle, dispose)", k);
			return -1;
		}
		if (net_number(cap, k, 1, 0, 0, 1e9, 0, &c->capacity[s],
		    e) == -1) {
			snprintf(e->field, sizeof(e->field), "capacity_kg.%s",
			    k);
			return -1;
		}
	}
	return 0;
}

static int
net_hours(json_t *o, struct centre *c, struct api_error *e)
{
	static const char *const known[] = { "opens", "closes", NULL };
	json_t	*h = json_object_get(o, "opening_hours");

	snprintf(c->opens, sizeof(c->opens), "08:00");
	snprintf(c->closes, sizeof(c->closes), "18:00");
	if (h == NULL)
		return 0;
	if (!json_is_object(h)) {
		api_error_set(e, 422, "wrong_type", "opening_hours",
		    "opening_hours must be {\"opens\":\"HH:MM\","
		    "\"closes\":\"HH:MM\"}");
		return -1;
	}
	if (net_known(h, known, "opening_hours", e) == -1 ||
	    net_string(h, "opens", "08:00", c->opens, sizeof(c->opens),
	    e) == -1 || net_string(h, "closes", "18:00", c->closes,
	    sizeof(c->closes), e) == -1)
		return -1;
	if (hhmm_parse(c->opens) == -1 || hhmm_parse(c->closes) == -1 ||
	    hhmm_parse(c->opens) >= hhmm_parse(c->closes)) {
		api_error_set(e, 422, "invalid_window", "opening_hours",
		    "opening_hours must be HH:MM times with opens before "
		    "closes");
		return -1;
	}
	return 0;
}

/* A centre from JSON; pathid as for net_id.  0, or -1 with *e. */
static int
net_centre_parse(json_t *o, const char *pathid, void *obj,
    struct api_error *e)
{
	static const char *const known[] = { "id", "name", "lat", "lon",
	    "existing", "fixed_cost", "capacity_kg", "opening_hours", "region",
	    NULL };
	struct centre	*c = obj;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(o)) {
		api_error_set(e, 400, "wrong_type", "",
		    "a centre must be a JSON object");
		return -1;
	}
	if (net_known(o, known, "a centre", e) == -1 ||
	    net_id(o, pathid, c->id, e) == -1)
		return -1;
	/* Pickups are numbered: a centre's id is never a pickup's. */
	if (strspn(c->id, "0123456789") == strlen(c->id)) {
		api_error_set(e, 422, "invalid_value", "id", "a centre's id "
		    "must not be all digits (pickups are numbered)");
		return -1;
	}
	if (net_string(o, "name", c->id, c->name, sizeof(c->name), e) == -1 ||
	    net_number(o, "lat", 1, 0, -90, 90, 0, &c->lat, e) == -1 ||
	    net_number(o, "lon", 1, 0, -180, 180, 0, &c->lon, e) == -1 ||
	    net_bool(o, "existing", 0, &c->existing, e) == -1 ||
	    net_number(o, "fixed_cost", 0, 0, 0, 1e9, 0, &c->fixed_cost,
	    e) == -1 || net_capacity(o, c, e) == -1 || net_hours(o, c, e) == -1 ||
	    net_string(o, "region", "", c->region, sizeof(c->region), e) == -1)
		return -1;
	if (c->region[0] != '\0' && !network_id_valid(c->region)) {
		api_error_set(e, 422, "invalid_value", "region", "region must "
		    "be 1 to %d of A-Z a-z 0-9 . _ -", NET_ID_MAX - 1);
		return -1;
	}
	return 0;
}

static json_t *
net_centre_json(const void *obj)
{
	const struct centre	*c = obj;
	json_t			*cap = json_object(), *o;
	int			 s;

	for (s = 0; s < STREAM_COUNT; s++)
		json_object_set_new(cap, stream_name(s),
		    json_real(c->capacity[s]));
	o = json_pack("{s:s,s:s,s:f,s:f,s:b,s:f,s:o,s:{s:s,s:s}}",
	    "id", c->id, "name", c->name, "lat", c->lat, "lon", c->lon,
	    "existing", c->existing, "fixed_cost", c->fixed_cost,
	    "capacity_kg", cap, "opening_hours", "opens", c->opens,
	    "closes", c->closes);
	if (c->region[0] != '\0')
		json_object_set_new(o, "region", json_string(c->region));
	return o;
}

/* skills: an array of ids, kept comma-separated. */
static int
net_skills(json_t *o, struct vehicle_type *v, struct api_error *e)
{
	json_t		*a = json_object_get(o, "skills"), *s;
	size_t		 i, len = 0;
	const char	*t;

	v->skills[0] = '\0';
	if (a == NULL)
		return 0;
	if (!json_is_array(a)) {
		api_error_set(e, 422, "wrong_type", "skills",
		    "skills must be an array of strings");
		return -1;
	}
	json_array_foreach(a, i, s) {
		t = json_is_string(s) ? json_string_value(s) : "";
		if (!network_id_valid(t) ||
		    len + strlen(t) + 2 > sizeof(v->skills)) {
			api_error_set(e, 422, "invalid_value", "skills",
			    "skills[%zu] must be a short id", i);
			return -1;
		}
		len += snprintf(v->skills + len, sizeof(v->skills) - len,
		    "%s%s", len ? "," : "", t);
	}
	return 0;
}

/* Put pre in front of e->field (truncating the end if it must). */
static void
net_prefix(struct api_error *e, const char *pre)
{
	size_t	lp = strlen(pre), lf = strlen(e->field);

	if (lp >= sizeof(e->field))
		lp = sizeof(e->field) - 1;
	if (lp + lf >= sizeof(e->field))
		lf = sizeof(e->field) - 1 - lp;
	memmove(e->field + lp, e->field, lf);
	memcpy(e->field, pre, lp);
	e->field[lp + lf] = '\0';
}

static int
net_vehicle_capacity(json_t *o, struct vehicle_type *v, struct api_error *e)
{
	static const char *const known[] = { "kg", "m3", "items", NULL };
	json_t	*c = json_object_get(o, "capacity");
	double	 items;

	if (c == NULL) {
		api_error_set(e, 422, "missing_field", "capacity",
		    "capacity {kg, m3, items} is required");
		return -1;
	}
	if (!json_is_object(c)) {
		api_error_set(e, 422, "wrong_type", "capacity",
		    "capacity must be an object {kg, m3, items}");
		return -1;
	}
	if (net_known(c, known, "capacity", e) == -1 ||
	    net_number(c, "kg", 1, 0, 1, 1e6, 0, &v->cap_kg, e) == -1 ||
	    net_number(c, "m3", 1, 0, 0.01, 1e4, 0, &v->cap_m3, e) == -1 ||
	    net_number(c, "items", 0, 1000, 1, 1e5, 1, &items, e) == -1) {
		if (strcmp(e->field, "capacity") != 0)
			net_prefix(e, "capacity.");
		return -1;
	}
	v->cap_items = (int)items;
	return 0;
}

/* A vehicle type from JSON; pathid as for net_id.  0, or -1 with *e. */
static int
net_vehicle_parse(json_t *o, const char *pathid, void *obj,
    struct api_error *e)
{
	static const char *const known[] = { "id", "centre", "count",
	    "capacity", "fixed_cost", "cost_per_km", "cost_per_hour",
	    "shift_min", "max_stops", "co2_per_km", "skills", NULL };
	struct vehicle_type	*v = obj;
	double			 count, shift, stops;

	memset(v, 0, sizeof(*v));
	if (!json_is_object(o)) {
		api_error_set(e, 400, "wrong_type", "",
		    "a vehicle type must be a JSON object");
		return -1;
	}
	if (net_known(o, known, "a vehicle type", e) == -1 ||
	    net_id(o, pathid, v->id, e) == -1 ||
	    net_string(o, "centre", NULL, v->centre, sizeof(v->centre),
	    e) == -1 ||
	    net_number(o, "count", 0, 1, 0, 1000, 1, &count, e) == -1 ||
	    net_vehicle_capacity(o, v, e) == -1 ||
	    net_number(o, "fixed_cost", 0, 0, 0, 1e6, 0, &v->fixed_cost,
	    e) == -1 ||
	    net_number(o, "cost_per_km", 0, 0, 0, 1e4, 0, &v->cost_per_km,
	    e) == -1 ||
	    net_number(o, "cost_per_hour", 0, 0, 0, 1e4, 0, &v->cost_per_hour,
	    e) == -1 ||
	    net_number(o, "shift_min", 0, 480, 30, 1440, 1, &shift, e) == -1 ||
	    net_number(o, "max_stops", 0, 30, 1, 1000, 1, &stops, e) == -1 ||
	    net_number(o, "co2_per_km", 0, 0.25, 0, 100, 0, &v->co2_per_km,
	    e) == -1 || net_skills(o, v, e) == -1)
		return -1;
	v->count = (int)count;
	v->shift_min = (int)shift;
	v->max_stops = (int)stops;
	return 0;
}

static json_t *
net_vehicle_json(const void *obj)
{
	const struct vehicle_type	*v = obj;
	json_t				*skills = json_array();
	char				 buf[sizeof(v->skills)], *p, *tok;
	char				*save = NULL;

	snprintf(buf, sizeof(buf), "%s", v->skills);
	for (p = buf; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL)
		json_array_append_new(skills, json_string(tok));
	return json_pack("{s:s,s:s,s:i,s:{s:f,s:f,s:i},s:f,s:f,s:f,s:i,s:i,"
	    "s:f,s:o}", "id", v->id, "centre", v->centre, "count", v->count,
	    "capacity", "kg", v->cap_kg, "m3", v->cap_m3, "items",
	    v->cap_items, "fixed_cost", v->fixed_cost, "cost_per_km",
	    v->cost_per_km, "cost_per_hour", v->cost_per_hour, "shift_min",
	    v->shift_min, "max_stops", v->max_stops, "co2_per_km",
	    v->co2_per_km, "skills", skills);
}

/*
 * A stream name member; the path's when path is set, as net_keypart.
 * -1 with *e unless it names a stream.
 */
static int
net_stream(json_t *o, const char *path, int *out, struct api_error *e)
{
	char	stream[16];

	if (net_keypart(o, "stream", path, NULL, stream, sizeof(stream),
	    e) == -1)
		return -1;
	if ((*out = stream_parse(stream)) == -1) {
		api_error_set(e, 422, "invalid_value", "stream", "unknown "
		    "stream %s (repair, reuse, recycle, dispose)", stream);
		return -1;
	}
	return 0;
}

/* A processor from JSON; pathid as for net_id.  0, or -1 with *e. */
static int
net_processor_parse(json_t *o, const char *pathid, void *obj,
    struct api_error *e)
{
	static const char *const known[] = { "id", "stream", "name",
	    "cost_per_kg", NULL };
	struct processor	*p = obj;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(o)) {
		api_error_set(e, 400, "wrong_type", "",
		    "a processor must be a JSON object");
		return -1;
	}
	if (net_known(o, known, "a processor", e) == -1 ||
	    net_id(o, pathid, p->id, e) == -1 ||
	    net_stream(o, NULL, &p->stream, e) == -1 ||
	    net_string(o, "name", p->id, p->name, sizeof(p->name), e) == -1 ||
	    net_number(o, "cost_per_kg", 1, 0, -1e4, 1e4, 0, &p->cost_per_kg,
	    e) == -1)
		return -1;
	return 0;
}

static json_t *
net_processor_json(const void *obj)
{
	const struct processor	*p = obj;

	return json_pack("{s:s,s:s,s:s,s:f}", "id", p->id, "stream",
	    stream_name(p->stream), "name", p->name, "cost_per_kg",
	    p->cost_per_kg);
}

/* "*", or a catalogue category name: 1 to 31 of [a-z0-9_]. */
static int
net_category_valid(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return strcmp(s, "*") == 0 || (n > 0 && s[n] == '\0');
}

/*
 * A rule from JSON.  pathkey, when set, is its key
 * "category/condition/stream" (from the path, split on '/'): body
 * members must agree with it.  0, or -1 with *e.
 */
static int
net_rule_parse(json_t *o, const char *pathkey, void *obj,
    struct api_error *e)
{
	static const char *const known[] = { "category", "condition",
	    "stream", "value", NULL };
	struct stream_rule	*r = obj;
	char			 key[NET_KEY_MAX], *part[3] = { NULL };
	char			*p;
	int			 i;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(o)) {
		api_error_set(e, 400, "wrong_type", "",
		    "a rule must be a JSON object");
		return -1;
	}
	if (pathkey != NULL) {
		snprintf(key, sizeof(key), "%s", pathkey);
		for (p = key, i = 0; i < 3 && p != NULL; i++) {
			part[i] = p;
			if ((p = strchr(p, '/')) != NULL)
				*p++ = '\0';
		}
	}
	if (net_known(o, known, "a rule", e) == -1 ||
	    net_keypart(o, "category", part[0], "*", r->category,
	    sizeof(r->category), e) == -1 ||
	    net_keypart(o, "condition", part[1], "*", r->condition,
	    sizeof(r->condition), e) == -1 ||
	    net_stream(o, part[2], &r->stream, e) == -1 ||
	    net_number(o, "value", 1, 0, -1e4, 1e4, 0, &r->value, e) == -1)
		return -1;
	if (!net_category_valid(r->category)) {
		api_error_set(e, 422, "invalid_value", "category",
		    "category must be * or 1 to %d of a-z 0-9 _",
		    CATEGORY_NAME_MAX - 1);
		return -1;
	}
	if (strcmp(r->condition, "*") != 0 &&
	    condition_parse(r->condition) == -1) {
		api_error_set(e, 422, "unknown_condition", "condition",
		    "unknown condition %s", r->condition);
		return -1;
	}
	return 0;
}

static json_t *
net_rule_json(const void *obj)
{
	const struct stream_rule	*r = obj;

	return json_pack("{s:s,s:s,s:s,s:f}", "category", r->category,
	    "condition", r->condition, "stream", stream_name(r->stream),
	    "value", r->value);
}

/*
 * What tells the kinds apart: names, where struct network keeps them,
 * and their JSON both ways.  plural is the URL's, the list reply's and
 * the seed file's member.
 */
static const struct net_kind_def {
	const char	*noun, *plural;
	size_t		 size, arr, count;
	int		(*parse)(json_t *, const char *, void *,
			    struct api_error *);
	json_t		*(*json)(const void *);
} net_kinds[NET_KIND_COUNT] = {
	[NET_CENTRE] = { "centre", "centres", sizeof(struct centre),
	    offsetof(struct network, centres),
	    offsetof(struct network, ncentres), net_centre_parse,
	    net_centre_json },
	[NET_VEHICLE] = { "vehicle type", "fleet",
	    sizeof(struct vehicle_type), offsetof(struct network, fleet),
	    offsetof(struct network, nfleet), net_vehicle_parse,
	    net_vehicle_json },
	[NET_PROCESSOR] = { "processor", "processors",
	    sizeof(struct processor), offsetof(struct network, procs),
	    offsetof(struct network, nprocs), net_processor_parse,
	    net_processor_json },
	[NET_RULE] = { "rule", "rules", sizeof(struct stream_rule),
	    offsetof(struct network, rules),
	    offsetof(struct network, nrules), net_rule_parse,
	    net_rule_json },
};

const char *
network_noun(enum net_kind k)
{
	return net_kinds[k].noun;
}

const char *
network_plural(enum net_kind k)
{
	return net_kinds[k].plural;
}

/* The size of one object of kind k (its struct). */
size_t
network_size(enum net_kind k)
{
	return net_kinds[k].size;
}

/* Where n keeps its objects of kind k: the array and its length. */
void
network_array(struct network *n, enum net_kind k, void ***arr,
    size_t **count)
{
	*arr = (void **)((char *)n + net_kinds[k].arr);
	*count = (size_t *)((char *)n + net_kinds[k].count);
}

/*
 * An object of kind k from JSON into obj (room for one: union
 * net_object).  key, when set, is the key from the path, which the body
 * must agree with; without it the key comes from the body.  0, or -1
 * with *e (422, or 400 when o is not an object).
 */
int
network_parse(enum net_kind k, json_t *o, const char *key, void *obj,
    struct api_error *e)
{
	return net_kinds[k].parse(o, key, obj, e);
}

json_t *
network_json(enum net_kind k, const void *obj)
{
	return net_kinds[k].json(obj);
}

/*
 * The ETag of obj: a strong validator, the quoted first 128 bits of the
 * SHA-256 of its JSON with sorted members, so it changes when any member
 * does and is the same on every node that reads the same row.  0, or -1
 * when it cannot be computed (out of memory, no SHA-256).
 */
int
network_etag(enum net_kind k, const void *obj, char out[NET_ETAG_LEN])
{
	unsigned char	 md[32];
	json_t		*o = network_json(k, obj);
	char		*text;
	int		 rc = -1;

	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_REAL_PRECISION(17));
	json_decref(o);
	if (text != NULL && digest_sha256(text, strlen(text), md) == 0) {
		out[0] = '"';
		hex_encode(md, 16, out + 1);
		out[33] = '"';
		out[34] = '\0';
		rc = 0;
	}
	free(text);
	return rc;
}

/* obj's JSON with its "etag" member, as every reply carries it. */
json_t *
network_json_tagged(enum net_kind k, const void *obj)
{
	json_t	*o = network_json(k, obj);
	char	 tag[NET_ETAG_LEN];

	if (o != NULL && network_etag(k, obj, tag) == 0)
		json_object_set_new(o, "etag", json_string(tag));
	return o;
}

/*
 * Does an If-Match value (RFC 9110: "*" or a list of entity tags) match
 * the current tag?  Strong comparison: a weak tag (W/"...") never does.
 * A current tag of NULL is an object that does not exist, which nothing
 * matches.
 */
int
network_etag_match(const char *if_match, const char *current)
{
	const char	*p = if_match, *end;
	size_t		 n;

	if (current == NULL)
		return 0;
	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			return 0;
		if (*p == '*')
			return 1;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == strlen(current) && strncmp(p, current, n) == 0)
			return 1;
		p = end;
	}
}

json_t *
network_vehicle_json(const struct vehicle_type *v)
{
	return net_vehicle_json(v);
}

/* The key of obj: its id, or "category/condition/stream" for a rule. */
void
network_key(enum net_kind k, const void *obj, char out[NET_KEY_MAX])
{
	const struct stream_rule	*r = obj;

	switch (k) {
	case NET_CENTRE:
		snprintf(out, NET_KEY_MAX, "%s",
		    ((const struct centre *)obj)->id);
		break;
	case NET_VEHICLE:
		snprintf(out, NET_KEY_MAX, "%s",
		    ((const struct vehicle_type *)obj)->id);
		break;
	case NET_PROCESSOR:
		snprintf(out, NET_KEY_MAX, "%s",
		    ((const struct processor *)obj)->id);
		break;
	default:
		snprintf(out, NET_KEY_MAX, "%.31s/%.15s/%.8s", r->category,
		    r->condition, stream_name(r->stream));
		break;
	}
}

/* How many objects of kind k n holds. */
size_t
network_count(const struct network *n, enum net_kind k)
{
	return *(const size_t *)((const char *)n + net_kinds[k].count);
}

/* The i-th object of kind k in n (borrowed from n). */
const void *
network_item(const struct network *n, enum net_kind k, size_t i)
{
	const char	*arr;

	arr = *(const char *const *)((const char *)n + net_kinds[k].arr);
	return arr + i * net_kinds[k].size;
}

/* The object of kind k with this key in n (borrowed from n), or NULL. */
const void *
network_find(const struct network *n, enum net_kind k, const char *key)
{
	char	have[NET_KEY_MAX];
	size_t	i;

	for (i = 0; i < network_count(n, k); i++) {
		network_key(k, network_item(n, k, i), have);
		if (strcmp(have, key) == 0)
			return network_item(n, k, i);
	}
	return NULL;
}

/* Prefix e->field with "what[i]." so the seed file's errors point home. */
static void
net_where(struct api_error *e, const char *what, size_t i)
{
	char	pre[64];

	snprintf(pre, sizeof(pre), "%s[%zu]%s", what, i, e->field[0] ? "." :
	    "");
	net_prefix(e, pre);
}

/*
 * A whole network (the seed file): {centres, fleet, processors, rules},
 * every member optional.  Fills n (caller clears); -1 with *e.
 */
int
network_seed_parse(json_t *o, struct network *n, struct api_error *e)
{
	static const char *const known[] = { "centres", "fleet", "processors",
	    "rules", "comment", NULL };
	const struct net_kind_def	*d;
	json_t				*a, *v;
	void				**arr;
	size_t				*count, i;
	int				 k;

	memset(n, 0, sizeof(*n));
	if (!json_is_object(o)) {
		api_error_set(e, 400, "wrong_type", "",
		    "the seed must be a JSON object");
		return -1;
	}
	if (net_known(o, known, "the seed", e) == -1)
		return -1;
	for (k = 0; k < NET_KIND_COUNT; k++) {
		d = &net_kinds[k];
		a = json_object_get(o, d->plural);
		if (a != NULL && !json_is_array(a)) {
			api_error_set(e, 422, "wrong_type", d->plural,
			    "%s must be an array", d->plural);
			return -1;
		}
		network_array(n, k, &arr, &count);
		*arr = xcalloc(json_array_size(a) + 1, d->size);
		json_array_foreach(a, i, v) {
			if (d->parse(v, NULL, (char *)*arr + i * d->size,
			    e) == -1) {
				net_where(e, d->plural, i);
				return -1;
			}
			(*count)++;
		}
	}
	return 0;
}
