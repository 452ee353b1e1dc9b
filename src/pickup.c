/*
 * pickup.c -- validate a pickup submission and make its canonical form.
 *
 * Pure: a function of the parsed JSON, the catalogue and the limits (which
 * carry "today"), so the unit tests call it directly and the HTTP layer
 * only maps its api_error to a reply.  Nothing here touches the store:
 * a submission that fails here has changed nothing.
 *
 * The canonical document keeps what the client sent, normalised (fixed key
 * order, defaults from the catalogue filled in, the eligible streams per
 * item added); the store compares it to an earlier submission's, so a
 * byte-different but equal retry is still a replay.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define REFERENCE_MAX	64
#define ADDRESS_MAX	256
#define NOTES_MAX	2000
#define SERIAL_MAX	64
#define TIME_WINDOWS_MAX 4
#define QUANTITY_MAX	500
#define WEIGHT_MAX_KG	2000.0
#define VOLUME_MAX_M3	40.0
/* The stored precision (a gram, a tenth of a litre): anything smaller
 * would be kept as 0, which the rule "above 0" forbids. */
#define WEIGHT_MIN_KG	0.001
#define VOLUME_MIN_M3	0.0001

static const char *status_names[PICKUP_STATUS_COUNT] = {
	"received", "scheduled", "collected", "sorted", "closed",
	"cancelled", "unserviceable"
};

const char *
pickup_status_name(enum pickup_status s)
{
	return (unsigned)s < PICKUP_STATUS_COUNT ? status_names[s] : "?";
}

int
pickup_status_parse(const char *name)
{
	return name_index(status_names, PICKUP_STATUS_COUNT, name);
}

static const char *const field_codes[FIELD_CODE_COUNT] = {
	"not_out", "no_access", "contaminated", "overweight"
};

/* The name of a not-collected code, or "?". */
const char *
field_code_name(int c)
{
	return (unsigned)c < FIELD_CODE_COUNT ? field_codes[c] : "?";
}

/* The code called name, or -1. */
int
field_code_parse(const char *name)
{
	return name == NULL ? -1 : name_index(field_codes, FIELD_CODE_COUNT,
	    name);
}

/*
 * Count one field event (kind collected, not_collected or sorted; code
 * and stream NULL when not given; kg 0 when not weighed) into fr.
 */
void
field_rates_add(struct field_rates *fr, const char *kind, const char *code,
    const char *stream, double kg)
{
	int	k;

	if (kind == NULL)
		return;
	if (strcmp(kind, "collected") == 0) {
		fr->collected++;
		fr->collected_kg += kg;
	} else if (strcmp(kind, "not_collected") == 0) {
		fr->not_collected++;
		if ((k = field_code_parse(code)) >= 0)
			fr->missed[k]++;
	} else if (strcmp(kind, "sorted") == 0 &&
	    (k = stream_parse(stream)) >= 0) {
		fr->sorted++;
		fr->sorted_n[k]++;
		fr->sorted_kg[k] += kg;
	}
}

/* A pickup may be amended while it waits for a crew: received or
 * scheduled. */
int
pickup_can_amend(enum pickup_status s)
{
	return s == PICKUP_RECEIVED || s == PICKUP_SCHEDULED;
}

/* A pickup may be cancelled until a crew has collected it. */
int
pickup_can_cancel(enum pickup_status s)
{
	return s == PICKUP_RECEIVED || s == PICKUP_SCHEDULED ||
	    s == PICKUP_CANCELLED;
}

/*
 * The status a crew's field event of kind takes a pickup in status from
 * to, or -1 when it does not apply: collected from received or scheduled,
 * not collected (back to the pool) only from scheduled, sorted only once
 * collected.
 */
int
pickup_field_to(enum field_kind kind, enum pickup_status from)
{
	switch (kind) {
	case FIELD_COLLECTED:
		return from == PICKUP_RECEIVED || from == PICKUP_SCHEDULED ?
		    PICKUP_COLLECTED : -1;
	case FIELD_NOT_COLLECTED:
		return from == PICKUP_SCHEDULED ? PICKUP_RECEIVED : -1;
	case FIELD_SORTED:
		return from == PICKUP_COLLECTED ? PICKUP_SORTED : -1;
	}
	return -1;
}

void
pickup_new_clear(struct pickup_new *p)
{
	x_free(p->reference);
	x_free(p->idem_key);
	x_free(p->operator);
	x_free(p->body);
	memset(p, 0, sizeof(*p));
}

/*
 * Where a field sits, for error messages: base "" names a top-level key,
 * "location" gives "location.lat", and an index gives "items[2].weight_kg".
 * The text is only formatted when there is an error to report, which
 * keeps the common, valid case free of string formatting.
 */
struct pv_at {
	const char	*base;
	long		 idx;		/* -1: none */
};

static const struct pv_at PV_TOP = { "", -1 };

static void
pv_path(char *buf, size_t size, const struct pv_at *at, const char *key)
{
	if (at->idx >= 0)
		snprintf(buf, size, "%s[%ld]%s%s", at->base, at->idx,
		    key ? "." : "", key ? key : "");
	else if (at->base[0] != '\0')
		snprintf(buf, size, "%s%s%s", at->base, key ? "." : "",
		    key ? key : "");
	else
		snprintf(buf, size, "%s", key ? key : "");
}

/* Set *err for the field key at at; fmt has one %s for the path. */
static int
pv_fail(struct api_error *err, int status, const char *code,
    const struct pv_at *at, const char *key, const char *fmt, ...)
{
	char	path[96], msg[200];
	va_list	ap;

	pv_path(path, sizeof(path), at, key);
	utf8_sanitize(path);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_error_set(err, status, code, path, "%s %s", path, msg);
	return -1;
}

/*
 * Field access with type checks.  Each returns 0 (present and valid),
 * 1 (absent and optional), or -1 with *err set.
 */
static int
pv_string(json_t *obj, const char *key, const struct pv_at *at,
    int required, size_t max, const char **out, struct api_error *err)
{
	json_t	*v = json_object_get(obj, key);
	size_t	 len;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? pv_fail(err, 422, "missing_field", at, key,
		    "is required") : 1;
	if (!json_is_string(v))
		return pv_fail(err, 422, "wrong_type", at, key,
		    "must be a string");
	len = json_string_length(v);
	if (len > max || (required && len == 0))
		return pv_fail(err, 422, "out_of_range", at, key,
		    "must be 1 to %zu bytes long", max);
	if (memchr(json_string_value(v), '\0', len) != NULL)
		return pv_fail(err, 422, "invalid_value", at, key,
		    "contains a NUL character");
	*out = json_string_value(v);
	return 0;
}

static int
pv_number(json_t *obj, const char *key, const struct pv_at *at,
    int required, double min, double max, double *out,
    struct api_error *err)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return required ? pv_fail(err, 422, "missing_field", at, key,
		    "is required") : 1;
	if (!json_is_number(v))
		return pv_fail(err, 422, "wrong_type", at, key,
		    "must be a number");
	*out = json_number_value(v);
	if (!isfinite(*out) || *out < min || *out > max)
		return pv_fail(err, 422, "out_of_range", at, key,
		    "must be between %g and %g", min, max);
	return 0;
}

/* Reject members of obj not in the NULL-terminated list allowed. */
static int
pv_known(json_t *obj, const struct pv_at *at, const char *const *allowed,
    struct api_error *err)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL)
			return pv_fail(err, 422, "unknown_field", at, key,
			    "is not a known field");
	}
	return 0;
}

static int
pv_object(json_t *obj, const char *key, int required, json_t **out,
    struct api_error *err)
{
	*out = json_object_get(obj, key);
	if (*out == NULL || json_is_null(*out)) {
		*out = NULL;
		return required ? pv_fail(err, 422, "missing_field", &PV_TOP,
		    key, "is required") : 1;
	}
	if (!json_is_object(*out))
		return pv_fail(err, 422, "wrong_type", &PV_TOP, key,
		    "must be an object");
	return 0;
}

static int
pv_location(json_t *in, struct jsonw *doc, struct pickup_new *p,
    struct api_error *err)
{
	static const char *const known[] = { "lat", "lon", "address", NULL };
	static const struct pv_at at = { "location", -1 };
	json_t		*loc;
	const char	*address;

	if (pv_object(in, "location", 1, &loc, err) == -1 ||
	    pv_known(loc, &at, known, err) == -1 ||
	    pv_number(loc, "lat", &at, 1, -90, 90, &p->lat, err) == -1 ||
	    pv_number(loc, "lon", &at, 1, -180, 180, &p->lon, err) == -1 ||
	    pv_string(loc, "address", &at, 0, ADDRESS_MAX, &address,
	    err) == -1)
		return -1;
	jw_key(doc, "location");
	jw_object(doc);
	/* 1e-6 degrees is about 0.1 m: more is noise from the client. */
	p->lat = round(p->lat * 1e6) / 1e6;
	p->lon = round(p->lon * 1e6) / 1e6;
	jw_key(doc, "lat");
	jw_fixed(doc, p->lat, 6);
	jw_key(doc, "lon");
	jw_fixed(doc, p->lon, 6);
	if (address != NULL) {
		jw_key(doc, "address");
		jw_string(doc, address);
	}
	jw_object_end(doc);
	return 0;
}

static int
pv_window(json_t *in, struct jsonw *doc, const struct pickup_limits *lim,
    struct pickup_new *p, struct api_error *err)
{
	static const char *const known[] = { "from", "to", NULL };
	static const struct pv_at at = { "window", -1 };
	json_t		*w;
	const char	*from, *to;
	long long	 df, dt;

	if (pv_object(in, "window", 1, &w, err) == -1 ||
	    pv_known(w, &at, known, err) == -1 ||
	    pv_string(w, "from", &at, 1, 10, &from, err) == -1 ||
	    pv_string(w, "to", &at, 1, 10, &to, err) == -1)
		return -1;
	if ((df = date_to_days(from)) < 0)
		return pv_fail(err, 422, "invalid_value", &at, "from",
		    "must be a date YYYY-MM-DD");
	if ((dt = date_to_days(to)) < 0)
		return pv_fail(err, 422, "invalid_value", &at, "to",
		    "must be a date YYYY-MM-DD");
	if (dt < df)
		return pv_fail(err, 422, "invalid_window", &at, NULL,
		    "ends (%s) before it starts (%s)", to, from);
	if (dt < lim->today)
		return pv_fail(err, 422, "invalid_window", &at, "to",
		    "(%s) is in the past", to);
	if (dt - df + 1 > lim->max_window_days || df > lim->today + 366)
		return pv_fail(err, 422, "invalid_window", &at, NULL,
		    "must be at most %lld days and start within a year",
		    lim->max_window_days);
	memcpy(p->window_from, from, 11);
	memcpy(p->window_to, to, 11);
	jw_key(doc, "window");
	jw_object(doc);
	jw_key(doc, "from");
	jw_string(doc, from);
	jw_key(doc, "to");
	jw_string(doc, to);
	jw_object_end(doc);
	return 0;
}

static int
pv_time_windows(json_t *in, struct jsonw *doc, struct api_error *err)
{
	static const char *const known[] = { "start", "end", NULL };
	json_t		*arr = json_object_get(in, "time_windows"), *tw;
	const char	*start, *end;
	struct pv_at	 at = { "time_windows", -1 };
	size_t		 i;
	int		 a, b, prev_end = -1;

	jw_key(doc, "time_windows");
	jw_array(doc);
	if (arr == NULL || json_is_null(arr)) {
		jw_array_end(doc);
		return 0;
	}
	if (!json_is_array(arr))
		return pv_fail(err, 422, "wrong_type", &PV_TOP, "time_windows",
		    "must be an array");
	if (json_array_size(arr) > TIME_WINDOWS_MAX)
		return pv_fail(err, 422, "out_of_range", &PV_TOP,
		    "time_windows", "may have at most %d windows",
		    TIME_WINDOWS_MAX);
	json_array_foreach(arr, i, tw) {
		at.idx = (long)i;
		if (!json_is_object(tw))
			return pv_fail(err, 422, "wrong_type", &at, NULL,
			    "must be an object");
		if (pv_known(tw, &at, known, err) == -1 ||
		    pv_string(tw, "start", &at, 1, 5, &start, err) == -1 ||
		    pv_string(tw, "end", &at, 1, 5, &end, err) == -1)
			return -1;
		a = hhmm_parse_until(start);
		b = hhmm_parse_until(end);
		if (a < 0 || b < 0 || a >= b || a < prev_end)
			return pv_fail(err, 422, "invalid_window", &at, NULL,
			    "must be HH:MM to HH:MM, start before end, in "
			    "order without overlap");
		prev_end = b;
		jw_object(doc);
		jw_key(doc, "start");
		jw_string(doc, start);
		jw_key(doc, "end");
		jw_string(doc, end);
		jw_object_end(doc);
	}
	jw_array_end(doc);
	return 0;
}

/* Optional positive quantity with a catalogue default. */
static int
pv_measure(json_t *it, const char *key, const struct pv_at *at, double min,
    double max, double *v, struct api_error *err)
{
	int	rc;

	if ((rc = pv_number(it, key, at, 0, 0, max, v, err)) == -1)
		return -1;
	if (rc == 0 && *v <= 0)
		return pv_fail(err, 422, "out_of_range", at, key,
		    "must be positive");
	if (rc == 0 && *v < min)
		return pv_fail(err, 422, "out_of_range", at, key,
		    "must be at least %g", min);
	return 0;
}

static int
pv_item(json_t *it, size_t i, const struct catalogue *cl, struct jsonw *doc,
    struct api_error *err)
{
	static const char *const known[] = { "category", "quantity",
	    "weight_kg", "volume_m3", "condition", "serial", NULL };
	const struct category	*cat;
	const char		*name, *cond, *serial;
	struct pv_at		 at = { "items", (long)i };
	double			 q, w, v;
	int			 c, s;
	unsigned		 streams;

	if (!json_is_object(it))
		return pv_fail(err, 422, "wrong_type", &at, NULL,
		    "must be an object");
	if (pv_known(it, &at, known, err) == -1 ||
	    pv_string(it, "category", &at, 1, CATEGORY_NAME_MAX, &name,
	    err) == -1)
		return -1;
	if ((cat = catalogue_find(cl, name)) == NULL)
		return pv_fail(err, 422, "unknown_category", &at, "category",
		    "\"%s\" is not in the catalogue", name);
	if (pv_number(it, "quantity", &at, 1, 1, QUANTITY_MAX, &q, err) == -1)
		return -1;
	if (q != floor(q))
		return pv_fail(err, 422, "wrong_type", &at, "quantity",
		    "must be a whole number");
	w = cat->weight_kg;
	v = cat->volume_m3;
	if (pv_measure(it, "weight_kg", &at, WEIGHT_MIN_KG, WEIGHT_MAX_KG,
	    &w, err) == -1 ||
	    pv_measure(it, "volume_m3", &at, VOLUME_MIN_M3, VOLUME_MAX_M3,
	    &v, err) == -1 ||
	    pv_string(it, "condition", &at, 0, 16, &cond, err) == -1)
		return -1;
	c = COND_UNKNOWN;
	if (cond != NULL && (c = condition_parse(cond)) == -1)
		return pv_fail(err, 422, "unknown_condition", &at, "condition",
		    "must be working, repairable, broken or unknown");
	if (pv_string(it, "serial", &at, 0, SERIAL_MAX, &serial, err) == -1)
		return -1;

	jw_object(doc);
	jw_key(doc, "category");
	jw_string(doc, name);
	jw_key(doc, "quantity");
	jw_int(doc, (long long)q);
	jw_key(doc, "weight_kg");
	jw_fixed(doc, w, 3);
	jw_key(doc, "volume_m3");
	jw_fixed(doc, v, 4);
	jw_key(doc, "condition");
	jw_string(doc, condition_name(c));
	if (serial != NULL) {
		jw_key(doc, "serial");
		jw_string(doc, serial);
	}
	streams = classify_item(cat, c);
	jw_key(doc, "streams");
	jw_array(doc);
	for (s = 0; s < STREAM_COUNT; s++)
		if (streams & (1u << s))
			jw_string(doc, stream_name(s));
	jw_array_end(doc);
	jw_object_end(doc);
	return 0;
}

static int
pv_items(json_t *in, struct jsonw *doc, const struct catalogue *cl,
    const struct pickup_limits *lim, struct api_error *err)
{
	json_t	*arr = json_object_get(in, "items"), *it;
	size_t	 i;

	if (arr == NULL || json_is_null(arr))
		return pv_fail(err, 422, "missing_field", &PV_TOP, "items",
		    "is required");
	if (!json_is_array(arr))
		return pv_fail(err, 422, "wrong_type", &PV_TOP, "items",
		    "must be an array");
	if (json_array_size(arr) == 0)
		return pv_fail(err, 422, "out_of_range", &PV_TOP, "items",
		    "must not be empty");
	if ((long long)json_array_size(arr) > lim->max_items)
		return pv_fail(err, 422, "too_many_items", &PV_TOP, "items",
		    "may have at most %lld entries", lim->max_items);
	jw_key(doc, "items");
	jw_array(doc);
	json_array_foreach(arr, i, it)
		if (pv_item(it, i, cl, doc, err) == -1)
			return -1;
	jw_array_end(doc);
	return 0;
}

/* Printable reference: no control characters. */
static int
pv_reference(json_t *in, struct jsonw *doc, struct pickup_new *p,
    struct api_error *err)
{
	const char	*ref;
	size_t		 i;

	if (pv_string(in, "reference", &PV_TOP, 1, REFERENCE_MAX, &ref,
	    err) == -1)
		return -1;
	for (i = 0; ref[i] != '\0'; i++)
		if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f)
			return pv_fail(err, 422, "invalid_value", &PV_TOP,
			    "reference", "must not contain control "
			    "characters");
	p->reference = xstrdup(ref);
	jw_key(doc, "reference");
	jw_string(doc, ref);
	return 0;
}

/*
 * Validate the submission in and fill p (reference, location, window,
 * canonical body).  Returns 0, or -1 with *err describing the first
 * problem; p is then cleared.  p->operator and p->idem_key are the
 * caller's.
 */
int
pickup_validate(json_t *in, const struct catalogue *cl,
    const struct pickup_limits *lim, struct pickup_new *p,
    struct api_error *err)
{
	static const char *const known[] = { "reference", "location",
	    "window", "time_windows", "items", "notes", "region", NULL };
	struct jsonw	 w, *doc = &w;
	const char	*notes, *region;

	if (!json_is_object(in)) {
		api_error_set(err, 400, "wrong_type", "",
		    "the body must be a JSON object");
		return -1;
	}
	jw_init(doc);
	jw_object(doc);
	if (pv_known(in, &PV_TOP, known, err) == -1 ||
	    pv_reference(in, doc, p, err) == -1 ||
	    pv_location(in, doc, p, err) == -1 ||
	    pv_window(in, doc, lim, p, err) == -1 ||
	    pv_time_windows(in, doc, err) == -1 ||
	    pv_items(in, doc, cl, lim, err) == -1 ||
	    pv_string(in, "notes", &PV_TOP, 0, NOTES_MAX, &notes, err) == -1 ||
	    pv_string(in, "region", &PV_TOP, 0, NET_ID_MAX - 1, &region,
	    err) == -1)
		goto fail;
	if (notes != NULL) {
		jw_key(doc, "notes");
		jw_string(doc, notes);
	}
	if (region != NULL) {
		if (!network_id_valid(region)) {
			api_error_set(err, 422, "invalid_value", "region",
			    "region must be 1 to %d of A-Z a-z 0-9 . _ -",
			    NET_ID_MAX - 1);
			goto fail;
		}
		snprintf(p->region, sizeof(p->region), "%s", region);
		jw_key(doc, "region");
		jw_string(doc, region);
	}
	jw_object_end(doc);
	/*
	 * The canonical document is built in a fixed key order with
	 * normalised numbers, so equal submissions give equal text whatever
	 * the client's key order or spacing: the store compares it to tell
	 * a retry (same text) from a conflict (other text).
	 */
	p->body = jw_take(doc);
	return 0;
fail:
	jw_free(doc);
	x_free(p->reference);
	p->reference = NULL;
	return -1;
}

/* target (owned; NULL for none) with JSON merge patch patch applied (RFC
 * 7396): objects merge member by member, null removes, the rest replaces. */
static json_t *
pv_merge(json_t *target, json_t *patch)
{
	const char	*key;
	json_t		*v;

	if (!json_is_object(patch)) {
		json_decref(target);
		return json_incref(patch);
	}
	if (!json_is_object(target)) {
		json_decref(target);
		target = json_object();
	}
	json_object_foreach(patch, key, v) {
		if (json_is_null(v))
			json_object_del(target, key);
		else
			json_object_set_new(target, key, pv_merge(json_incref(
			    json_object_get(target, key)), v));
	}
	return target;
}

static const char *const pickup_members[PM_COUNT] = {
	"location", "window", "time_windows", "items", "notes", "region"
};

/* A document member's name: "time_windows" for PM_TIME_WINDOWS. */
const char *
pickup_member_name(enum pickup_member m)
{
	return m < PM_COUNT ? pickup_members[m] : "?";
}

/* The members of set (1u << PM_...) as "window, notes"; to free. */
char *
pickup_members_text(unsigned set)
{
	char	*list = xstrdup("");
	int	 m;

	for (m = 0; m < PM_COUNT; m++)
		if (set & (1u << m))
			xappendf(&list, "%s%s", *list ? ", " : "",
			    pickup_members[m]);
	return list;
}

/*
 * An amendment: patch, a JSON merge patch, applied to the stored canonical
 * document stored (less what validation adds, the items' streams) and the
 * result validated as a submission into *p.  The reference cannot change.
 * *changed is the set of the document's members that differ (1u <<
 * PM_...; 0: none); one in PM_PLANNED means a scheduled pickup's place in
 * the plan no longer holds.  0, or -1 with *err.
 */
int
pickup_amend(const char *stored, json_t *patch, const struct catalogue *cl,
    const struct pickup_limits *lim, struct pickup_new *p, unsigned *changed,
    struct api_error *err)
{
	json_t		*old, *doc, *it, *b;
	const char	*ref;
	size_t		 i;
	int		 k;

	*changed = 0;
	if (!json_is_object(patch)) {
		api_error_set(err, 400, "wrong_type", "",
		    "the body must be a JSON object (a merge patch)");
		return -1;
	}
	if ((old = json_loads(stored, 0, NULL)) == NULL ||
	    !json_is_object(old)) {
		json_decref(old);
		api_error_set(err, 500, "internal", "", "the stored pickup is "
		    "damaged");
		return -1;
	}
	ref = json_string_value(json_object_get(old, "reference"));
	b = json_object_get(patch, "reference");
	if (b != NULL && (!json_is_string(b) || ref == NULL ||
	    strcmp(json_string_value(b), ref) != 0)) {
		json_decref(old);
		api_error_set(err, 422, "invalid_value", "reference",
		    "the reference of a pickup cannot change; cancel it and "
		    "submit a new one");
		return -1;
	}
	json_array_foreach(json_object_get(old, "items"), i, it)
		json_object_del(it, "streams");
	doc = pv_merge(json_deep_copy(old), patch);
	if (pickup_validate(doc, cl, lim, p, err) == -1) {
		json_decref(doc);
		json_decref(old);
		return -1;
	}
	json_decref(doc);
	/* The new canonical form against the old, member by member. */
	if ((doc = json_loads(p->body, 0, NULL)) == NULL)
		doc = json_object();
	json_array_foreach(json_object_get(doc, "items"), i, it)
		json_object_del(it, "streams");
	for (k = 0; k < PM_COUNT; k++)
		if (!json_equal(json_object_get(old, pickup_members[k]),
		    json_object_get(doc, pickup_members[k])) &&
		    (json_object_get(old, pickup_members[k]) != NULL ||
		    json_object_get(doc, pickup_members[k]) != NULL))
			*changed |= 1u << k;
	json_decref(doc);
	json_decref(old);
	return 0;
}
