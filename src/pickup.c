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
 * item added); the idempotency hash is taken over it, so a byte-different
 * but equal retry is still a replay.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"

#define REFERENCE_MAX	64
#define ADDRESS_MAX	256
#define NOTES_MAX	2000
#define SERIAL_MAX	64
#define TIME_WINDOWS_MAX 4
#define QUANTITY_MAX	500
#define WEIGHT_MAX_KG	2000.0
#define VOLUME_MAX_M3	40.0

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
	int	i;

	for (i = 0; i < PICKUP_STATUS_COUNT; i++)
		if (strcmp(status_names[i], name) == 0)
			return i;
	return -1;
}

/* A pickup may be cancelled until a crew has collected it. */
int
pickup_can_cancel(enum pickup_status s)
{
	return s == PICKUP_RECEIVED || s == PICKUP_SCHEDULED ||
	    s == PICKUP_CANCELLED;
}

void
api_error_set(struct api_error *e, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	e->status = status;
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

/* {"error":{"code":..,"message":..,"field":..}}; a new reference. */
json_t *
api_error_json(const struct api_error *e)
{
	json_t	*inner;

	inner = json_pack("{s:s, s:s}", "code", e->code, "message",
	    e->message);
	if (e->field[0] != '\0')
		json_object_set_new(inner, "field", json_string(e->field));
	return json_pack("{s:o}", "error", inner);
}

/* 1 when buf[0..len) is well-formed UTF-8 without overlongs/surrogates. */
int
utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	size_t			 i = 0, n, k;
	unsigned		 cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Days since 1970-01-01 of a strict "YYYY-MM-DD", or -1e9 when invalid. */
long long
date_to_days(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int		y, m, d, i, leap;
	long long	yy, era, yoe, doy, doe;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1000000000LL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1000000000LL;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1000000000LL;
	/* Days from civil (proleptic Gregorian). */
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
days_to_date(long long days, char out[11])
{
	time_t		t = (time_t)(days * 86400);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
void
time_format(int64_t t, char out[21])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" to unix seconds; -1 if invalid. */
int
time_parse(const char *s, int64_t *out)
{
	char		date[11];
	long long	days;
	int		h, mi, se;

	if (strlen(s) < 10)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if ((days = date_to_days(date)) < 0)
		return -1;
	*out = days * 86400;
	if (s[10] == '\0')
		return 0;
	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' ||
	    sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &se) != 3 ||
	    s[13] != ':' || s[16] != ':' ||
	    h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
		return -1;
	*out += h * 3600 + mi * 60 + se;
	return 0;
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
 * Field access with type checks.  Each returns 0, or -1 with *err set;
 * path names the field for the client ("items[2].weight_kg").
 */
static int
pv_string(json_t *obj, const char *key, const char *path, int required,
    size_t max, const char **out, struct api_error *err)
{
	json_t	*v = json_object_get(obj, key);
	size_t	 len;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		api_error_set(err, 422, "missing_field", path,
		    "%s is required", path);
		return -1;
	}
	if (!json_is_string(v)) {
		api_error_set(err, 422, "wrong_type", path,
		    "%s must be a string", path);
		return -1;
	}
	len = json_string_length(v);
	if (len > max || (required && len == 0)) {
		api_error_set(err, 422, "out_of_range", path,
		    "%s must be 1 to %zu bytes long", path, max);
		return -1;
	}
	if (memchr(json_string_value(v), '\0', len) != NULL) {
		api_error_set(err, 422, "invalid_value", path,
		    "%s contains a NUL character", path);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

static int
pv_number(json_t *obj, const char *key, const char *path, int required,
    double min, double max, double *out, struct api_error *err)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 1;
		api_error_set(err, 422, "missing_field", path,
		    "%s is required", path);
		return -1;
	}
	if (!json_is_number(v)) {
		api_error_set(err, 422, "wrong_type", path,
		    "%s must be a number", path);
		return -1;
	}
	*out = json_number_value(v);
	if (!isfinite(*out) || *out < min || *out > max) {
		api_error_set(err, 422, "out_of_range", path,
		    "%s must be between %g and %g", path, min, max);
		return -1;
	}
	return 0;
}

/* Reject members of obj not in the NULL-terminated list allowed. */
static int
pv_known(json_t *obj, const char *prefix, const char *const *allowed,
    struct api_error *err)
{
	const char	*key;
	json_t		*v;
	size_t		 i;
	char		 path[96];

	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				break;
		if (allowed[i] == NULL) {
			snprintf(path, sizeof(path), "%s%s", prefix, key);
			api_error_set(err, 422, "unknown_field", path,
			    "unknown field %s", path);
			return -1;
		}
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
		if (!required)
			return 0;
		api_error_set(err, 422, "missing_field", key, "%s is required",
		    key);
		return -1;
	}
	if (!json_is_object(*out)) {
		api_error_set(err, 422, "wrong_type", key,
		    "%s must be an object", key);
		return -1;
	}
	return 0;
}

static int
pv_location(json_t *in, json_t *doc, struct pickup_new *p,
    struct api_error *err)
{
	static const char *const known[] = { "lat", "lon", "address", NULL };
	json_t		*loc, *out;
	const char	*address;

	if (pv_object(in, "location", 1, &loc, err) == -1 ||
	    pv_known(loc, "location.", known, err) == -1 ||
	    pv_number(loc, "lat", "location.lat", 1, -90, 90, &p->lat,
	    err) == -1 ||
	    pv_number(loc, "lon", "location.lon", 1, -180, 180, &p->lon,
	    err) == -1 ||
	    pv_string(loc, "address", "location.address", 0, ADDRESS_MAX,
	    &address, err) == -1)
		return -1;
	out = json_pack("{s:f, s:f}", "lat", p->lat, "lon", p->lon);
	if (address != NULL)
		json_object_set_new(out, "address", json_string(address));
	json_object_set_new(doc, "location", out);
	return 0;
}

static int
pv_window(json_t *in, json_t *doc, const struct pickup_limits *lim,
    struct pickup_new *p, struct api_error *err)
{
	static const char *const known[] = { "from", "to", NULL };
	json_t		*w;
	const char	*from, *to;
	long long	 df, dt;

	if (pv_object(in, "window", 1, &w, err) == -1 ||
	    pv_known(w, "window.", known, err) == -1 ||
	    pv_string(w, "from", "window.from", 1, 10, &from, err) == -1 ||
	    pv_string(w, "to", "window.to", 1, 10, &to, err) == -1)
		return -1;
	if ((df = date_to_days(from)) < 0) {
		api_error_set(err, 422, "invalid_value", "window.from",
		    "window.from must be a date YYYY-MM-DD");
		return -1;
	}
	if ((dt = date_to_days(to)) < 0) {
		api_error_set(err, 422, "invalid_value", "window.to",
		    "window.to must be a date YYYY-MM-DD");
		return -1;
	}
	if (dt < df) {
		api_error_set(err, 422, "invalid_window", "window",
		    "window.to (%s) is before window.from (%s)", to, from);
		return -1;
	}
	if (dt < lim->today) {
		api_error_set(err, 422, "invalid_window", "window.to",
		    "window.to (%s) is in the past", to);
		return -1;
	}
	if (dt - df + 1 > lim->max_window_days ||
	    df > lim->today + 366) {
		api_error_set(err, 422, "invalid_window", "window",
		    "window must be at most %lld days and start within a year",
		    lim->max_window_days);
		return -1;
	}
	memcpy(p->window_from, from, 11);
	memcpy(p->window_to, to, 11);
	json_object_set_new(doc, "window", json_pack("{s:s, s:s}", "from",
	    from, "to", to));
	return 0;
}

/* "HH:MM" (00:00 to 24:00) to minutes; -1 when invalid. */
static int
pv_clock(const char *s)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int
pv_time_windows(json_t *in, json_t *doc, struct api_error *err)
{
	static const char *const known[] = { "start", "end", NULL };
	json_t		*arr = json_object_get(in, "time_windows"), *tw, *out;
	const char	*start, *end;
	char		 path[40], ps[64], pe[64];
	size_t		 i;
	int		 a, b, prev_end = -1;

	out = json_array();
	json_object_set_new(doc, "time_windows", out);
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		api_error_set(err, 422, "wrong_type", "time_windows",
		    "time_windows must be an array");
		return -1;
	}
	if (json_array_size(arr) > TIME_WINDOWS_MAX) {
		api_error_set(err, 422, "out_of_range", "time_windows",
		    "at most %d time windows", TIME_WINDOWS_MAX);
		return -1;
	}
	json_array_foreach(arr, i, tw) {
		snprintf(path, sizeof(path), "time_windows[%zu]", i);
		snprintf(ps, sizeof(ps), "%s.start", path);
		snprintf(pe, sizeof(pe), "%s.end", path);
		if (!json_is_object(tw)) {
			api_error_set(err, 422, "wrong_type", path,
			    "%s must be an object", path);
			return -1;
		}
		if (pv_known(tw, "time_windows[].", known, err) == -1 ||
		    pv_string(tw, "start", ps, 1, 5, &start, err) == -1 ||
		    pv_string(tw, "end", pe, 1, 5, &end, err) == -1)
			return -1;
		a = pv_clock(start);
		b = pv_clock(end);
		if (a < 0 || b < 0 || a >= b || a < prev_end) {
			api_error_set(err, 422, "invalid_window", path,
			    "%s must be HH:MM-HH:MM, start before end, in "
			    "order without overlap", path);
			return -1;
		}
		prev_end = b;
		json_array_append_new(out, json_pack("{s:s, s:s}", "start",
		    start, "end", end));
	}
	return 0;
}

static int
pv_item(json_t *it, size_t i, const struct catalogue *cl, json_t *items,
    struct api_error *err)
{
	static const char *const known[] = { "category", "quantity",
	    "weight_kg", "volume_m3", "condition", "serial", NULL };
	const struct category	*cat;
	const char		*name, *cond, *serial;
	char			 path[40], f[64];
	double			 q, w, v;
	int			 c, s, rc;
	unsigned		 streams;
	json_t			*out, *sl;

	snprintf(path, sizeof(path), "items[%zu]", i);
	if (!json_is_object(it)) {
		api_error_set(err, 422, "wrong_type", path,
		    "%s must be an object", path);
		return -1;
	}
	snprintf(f, sizeof(f), "%s.", path);
	if (pv_known(it, f, known, err) == -1)
		return -1;
	snprintf(f, sizeof(f), "%s.category", path);
	if (pv_string(it, "category", f, 1, CATEGORY_NAME_MAX, &name,
	    err) == -1)
		return -1;
	if ((cat = catalogue_find(cl, name)) == NULL) {
		api_error_set(err, 422, "unknown_category", f,
		    "unknown category \"%s\"", name);
		return -1;
	}
	snprintf(f, sizeof(f), "%s.quantity", path);
	if (pv_number(it, "quantity", f, 1, 1, QUANTITY_MAX, &q, err) == -1)
		return -1;
	if (q != floor(q)) {
		api_error_set(err, 422, "wrong_type", f,
		    "%s must be a whole number", f);
		return -1;
	}
	snprintf(f, sizeof(f), "%s.weight_kg", path);
	w = cat->weight_kg;
	if ((rc = pv_number(it, "weight_kg", f, 0, 0, WEIGHT_MAX_KG, &w,
	    err)) == -1)
		return -1;
	if (rc == 0 && w <= 0) {
		api_error_set(err, 422, "out_of_range", f,
		    "%s must be positive", f);
		return -1;
	}
	snprintf(f, sizeof(f), "%s.volume_m3", path);
	v = cat->volume_m3;
	if ((rc = pv_number(it, "volume_m3", f, 0, 0, VOLUME_MAX_M3, &v,
	    err)) == -1)
		return -1;
	if (rc == 0 && v <= 0) {
		api_error_set(err, 422, "out_of_range", f,
		    "%s must be positive", f);
		return -1;
	}
	snprintf(f, sizeof(f), "%s.condition", path);
	if (pv_string(it, "condition", f, 0, 16, &cond, err) == -1)
		return -1;
	c = COND_UNKNOWN;
	if (cond != NULL && (c = condition_parse(cond)) == -1) {
		api_error_set(err, 422, "unknown_condition", f,
		    "condition must be working, repairable, broken or "
		    "unknown");
		return -1;
	}
	snprintf(f, sizeof(f), "%s.serial", path);
	if (pv_string(it, "serial", f, 0, SERIAL_MAX, &serial, err) == -1)
		return -1;

	out = json_pack("{s:s, s:I, s:f, s:f, s:s}", "category", name,
	    "quantity", (json_int_t)q, "weight_kg", w, "volume_m3", v,
	    "condition", condition_name(c));
	if (serial != NULL)
		json_object_set_new(out, "serial", json_string(serial));
	streams = classify_item(cat, c);
	sl = json_array();
	for (s = 0; s < STREAM_COUNT; s++)
		if (streams & (1u << s))
			json_array_append_new(sl, json_string(stream_name(s)));
	json_object_set_new(out, "streams", sl);
	json_array_append_new(items, out);
	return 0;
}

static int
pv_items(json_t *in, json_t *doc, const struct catalogue *cl,
    const struct pickup_limits *lim, struct api_error *err)
{
	json_t	*arr = json_object_get(in, "items"), *it, *out;
	size_t	 i;

	if (arr == NULL || json_is_null(arr)) {
		api_error_set(err, 422, "missing_field", "items",
		    "items is required");
		return -1;
	}
	if (!json_is_array(arr)) {
		api_error_set(err, 422, "wrong_type", "items",
		    "items must be an array");
		return -1;
	}
	if (json_array_size(arr) == 0) {
		api_error_set(err, 422, "out_of_range", "items",
		    "items must not be empty");
		return -1;
	}
	if ((long long)json_array_size(arr) > lim->max_items) {
		api_error_set(err, 422, "too_many_items", "items",
		    "at most %lld items per pickup", lim->max_items);
		return -1;
	}
	out = json_array();
	json_object_set_new(doc, "items", out);
	json_array_foreach(arr, i, it)
		if (pv_item(it, i, cl, out, err) == -1)
			return -1;
	return 0;
}

/* Printable reference: no control characters. */
static int
pv_reference(json_t *in, json_t *doc, struct pickup_new *p,
    struct api_error *err)
{
	const char	*ref;
	size_t		 i;

	if (pv_string(in, "reference", "reference", 1, REFERENCE_MAX, &ref,
	    err) == -1)
		return -1;
	for (i = 0; ref[i] != '\0'; i++) {
		if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f) {
			api_error_set(err, 422, "invalid_value", "reference",
			    "reference must not contain control characters");
			return -1;
		}
	}
	p->reference = xstrdup(ref);
	json_object_set_new(doc, "reference", json_string(ref));
	return 0;
}

/*
 * Validate the submission in and fill p (reference, location, window,
 * canonical body, hash).  Returns 0, or -1 with *err describing the first
 * problem; p is then cleared.  p->operator and p->idem_key are the caller's.
 */
int
pickup_validate(json_t *in, const struct catalogue *cl,
    const struct pickup_limits *lim, struct pickup_new *p,
    struct api_error *err)
{
	static const char *const known[] = { "reference", "location",
	    "window", "time_windows", "items", "notes", NULL };
	json_t		*doc;
	const char	*notes;

	if (!json_is_object(in)) {
		api_error_set(err, 400, "wrong_type", "",
		    "the body must be a JSON object");
		return -1;
	}
	doc = json_object();
	if (pv_known(in, "", known, err) == -1 ||
	    pv_reference(in, doc, p, err) == -1 ||
	    pv_location(in, doc, p, err) == -1 ||
	    pv_window(in, doc, lim, p, err) == -1 ||
	    pv_time_windows(in, doc, err) == -1 ||
	    pv_items(in, doc, cl, lim, err) == -1 ||
	    pv_string(in, "notes", "notes", 0, NOTES_MAX, &notes, err) == -1)
		goto fail;
	if (notes != NULL)
		json_object_set_new(doc, "notes", json_string(notes));

	/*
	 * The canonical document is built in a fixed key order with
	 * normalised numbers, so equal submissions give equal text whatever
	 * the client's key order or spacing: hashing it once serves as the
	 * idempotency fingerprint.
	 */
	if ((p->body = json_dumps(doc, JSON_COMPACT)) == NULL)
		fatalx("pickup_validate: json_dumps failed");
	digest_sha256(p->body, strlen(p->body), p->hash);
	json_decref(doc);
	return 0;
fail:
	json_decref(doc);
	x_free(p->reference);
	p->reference = NULL;
	return -1;
}
