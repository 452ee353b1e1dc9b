/*
 * open311.c -- Open311 GeoReport v2 as recircd's own terms: a form body
 * to a /v1 pickup document, a stored pickup to a service request, the
 * catalogue to services and service definitions.
 *
 * Pure and a leaf like pickup.c: no I/O and no daemon state, so the
 * unit test and fuzz-open311 call it directly; api-open311.c does the
 * HTTP and the store.  The mapping (recircd(8), OPEN311):
 *
 *	service_code	a catalogue category, one item of it
 *	lat, long	location.lat, location.lon (required: no geocoding)
 *	address_string	location.address
 *	description	notes, with the resident's name, phone, e-mail and
 *			media_url after it so the crew has them
 *	attribute[quantity], [condition], [weight_kg], [volume_m3]
 *			the item's
 *	attribute[first_day], [last_day]
 *			window.from, window.to (default: from tomorrow,
 *			O311_DAYS days)
 *	attribute[hours]
 *			one time window, "HH:MM-HH:MM"
 *	service_request_id
 *			the pickup's reference (not in the spec for a POST:
 *			a client's own id); without it the reference is a
 *			digest of the request, so a resent form is a replay
 *
 * Statuses: received and scheduled are "open", everything after
 * (collected, sorted, closed, cancelled, unserviceable) "closed".
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define O311_FIELDS_MAX	64	/* form fields in one request */
#define O311_DAYS	14	/* default window length */

static const char *const o311_known[] = {
	"api_key", "jurisdiction_id", "service_code", "lat", "long",
	"address_string", "address_id", "email", "device_id", "account_id",
	"first_name", "last_name", "phone", "description", "media_url",
	"service_request_id", NULL
};

/* The attributes every service has, in the order a form shows them. */
static const struct {
	const char	*code, *datatype, *description, *format;
} o311_attrs[] = {
	{ "quantity", "number", "How many items", "a whole number, 1 if "
	    "not given" },
	{ "condition", "singlevaluelist", "What state the items are in",
	    "one of the listed values, unknown if not given" },
	{ "weight_kg", "number", "Weight of one item in kg", "a number; the "
	    "category's typical weight if not given" },
	{ "volume_m3", "number", "Volume of one item in cubic metres",
	    "a number; the category's typical volume if not given" },
	{ "first_day", "string", "First day the items may be collected",
	    "YYYY-MM-DD; tomorrow if not given" },
	{ "last_day", "string", "Last day the items may be collected",
	    "YYYY-MM-DD; 13 days after the first if not given" },
	{ "hours", "string", "Hours the resident is in", "HH:MM-HH:MM; any "
	    "time if not given" },
};
#define O311_NATTRS (sizeof(o311_attrs) / sizeof(o311_attrs[0]))

void
o311_form_clear(struct o311_form *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		x_free(f->f[i].key);
		x_free(f->f[i].value);
	}
	x_free(f->f);
	f->f = NULL;
	f->n = 0;
}

static int
o311_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Decode len bytes of one form component (+ is a space, %XX a byte);
 * NULL with *why on a bad escape, a NUL, or text that is not UTF-8.
 */
static char *
o311_decode(const char *s, size_t len, const char **why)
{
	char	*out = xmalloc(len + 1);
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			out[n++] = ' ';
		else if (s[i] != '%')
			out[n++] = s[i];
		else if (i + 2 >= len) {
			*why = "a % escape is cut short";
			goto fail;
		} else if ((hi = o311_hex(s[i + 1])) < 0 ||
		    (lo = o311_hex(s[i + 2])) < 0) {
			*why = "a % escape is not two hex digits";
			goto fail;
		} else {
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		}
		if (out[n - 1] == '\0') {
			*why = "a field contains a NUL byte";
			goto fail;
		}
	}
	out[n] = '\0';
	if (!utf8_valid(out, n)) {
		*why = "a field is not valid UTF-8";
		goto fail;
	}
	return out;
fail:
	x_free(out);
	return NULL;
}

/*
 * Parse an application/x-www-form-urlencoded body (len bytes, not
 * NUL-terminated) into f: names and values both decoded, a name without
 * "=" an empty value, empty pieces between "&"s skipped.  A name given
 * twice, an empty name or more than O311_FIELDS_MAX fields is refused:
 * GeoReport has no repeated field recircd uses, and a silent "last one
 * wins" would store what the client did not mean.  Returns 0, or -1 with
 * *why (static text) and f empty.
 */
int
o311_form_parse(const char *body, size_t len, struct o311_form *f,
    const char **why)
{
	const char	*p = body, *end = body + len, *amp, *eq;
	char		*key, *value;
	size_t		 i;

	f->f = NULL;
	f->n = 0;
	while (p < end) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		if (eq == p) {
			*why = "a field has no name";
			goto fail;
		}
		if (f->n == O311_FIELDS_MAX) {
			*why = "too many fields";
			goto fail;
		}
		if ((key = o311_decode(p, eq - p, why)) == NULL)
			goto fail;
		value = o311_decode(eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, why);
		if (value == NULL) {
			x_free(key);
			goto fail;
		}
		for (i = 0; i < f->n; i++)
			if (strcmp(f->f[i].key, key) == 0)
				break;
		if (i < f->n) {
			x_free(key);
			x_free(value);
			*why = "a field is given twice";
			goto fail;
		}
		f->f = xreallocarray(f->f, f->n + 1, sizeof(*f->f));
		f->f[f->n].key = key;
		f->f[f->n].value = value;
		f->n++;
		p = amp + 1;
	}
	return 0;
fail:
	o311_form_clear(f);
	return -1;
}

/* The value of field key, or NULL; "" counts as absent. */
const char *
o311_form_get(const struct o311_form *f, const char *key)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].key, key) == 0)
			return f->f[i].value[0] != '\0' ? f->f[i].value : NULL;
	return NULL;
}

/* Fill e as the 400 every malformed request gets. */
static int PRINTFLIKE(2, 3)
o311_fail(struct api_error *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	api_error_vset(e, 400, "invalid_value", NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole decimal number, strictly; -1 when s is not one. */
static int
o311_number(const char *s, double *out)
{
	char	*end;

	if (s[0] == '\0' || isspace((unsigned char)s[0]))
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out))
		return -1;
	return 0;
}

static int
o311_attr_known(const char *code)
{
	size_t	i;

	for (i = 0; i < O311_NATTRS; i++)
		if (strcmp(o311_attrs[i].code, code) == 0)
			return 1;
	return 0;
}

/* Every field is one GeoReport names or attribute[CODE] of ours. */
static int
o311_check_fields(const struct o311_form *f, struct api_error *e)
{
	size_t	i, k, n;
	char	code[32];

	for (i = 0; i < f->n; i++) {
		for (k = 0; o311_known[k] != NULL; k++)
			if (strcmp(f->f[i].key, o311_known[k]) == 0)
				break;
		if (o311_known[k] != NULL)
			continue;
		n = strlen(f->f[i].key);
		if (n > 11 && n - 11 < sizeof(code) &&
		    strncmp(f->f[i].key, "attribute[", 10) == 0 &&
		    f->f[i].key[n - 1] == ']') {
			memcpy(code, f->f[i].key + 10, n - 11);
			code[n - 11] = '\0';
			if (o311_attr_known(code))
				continue;
			return o311_fail(e, "unknown attribute \"%s\"; see the "
			    "service definition", code);
		}
		return o311_fail(e, "unknown field \"%.60s\"", f->f[i].key);
	}
	return 0;
}

static const char *
o311_attr(const struct o311_form *f, const char *code)
{
	char	key[48];

	snprintf(key, sizeof(key), "attribute[%s]", code);
	return o311_form_get(f, key);
}

/* The item: one of service_code's category, with the attributes. */
static int
o311_item(const struct o311_form *f, const struct catalogue *cat,
    json_t *doc, struct api_error *e)
{
	const char	*code = o311_form_get(f, "service_code"), *v;
	json_t		*item;
	double		 x;

	if (code == NULL)
		return o311_fail(e, "service_code is required");
	if (catalogue_find(cat, code) == NULL)
		return o311_fail(e, "no service \"%.40s\"; services.json lists "
		    "them", code);
	item = json_pack("{s:s, s:i}", "category", code, "quantity", 1);
	json_array_append_new(json_object_get(doc, "items"), item);
	if ((v = o311_attr(f, "quantity")) != NULL) {
		if (o311_number(v, &x) == -1 || x != floor(x) || x < 1 ||
		    x > 1e6)
			return o311_fail(e, "attribute[quantity] must be a "
			    "whole number from 1");
		json_object_set_new(item, "quantity", json_integer((json_int_t)x));
	}
	if ((v = o311_attr(f, "condition")) != NULL)
		json_object_set_new(item, "condition", json_string(v));
	if ((v = o311_attr(f, "weight_kg")) != NULL) {
		if (o311_number(v, &x) == -1)
			return o311_fail(e, "attribute[weight_kg] must be a "
			    "number");
		json_object_set_new(item, "weight_kg", json_real(x));
	}
	if ((v = o311_attr(f, "volume_m3")) != NULL) {
		if (o311_number(v, &x) == -1)
			return o311_fail(e, "attribute[volume_m3] must be a "
			    "number");
		json_object_set_new(item, "volume_m3", json_real(x));
	}
	return 0;
}

/* location from lat, long and address_string. */
static int
o311_location(const struct o311_form *f, json_t *doc, struct api_error *e)
{
	const char	*lat = o311_form_get(f, "lat"),
			*lon = o311_form_get(f, "long"),
			*addr = o311_form_get(f, "address_string");
	double		 y, x;

	if (lat == NULL || lon == NULL) {
		if (addr != NULL || o311_form_get(f, "address_id") != NULL)
			return o311_fail(e, "lat and long are required: this "
			    "server does not geocode address_string or "
			    "address_id");
		return o311_fail(e, "lat and long are required");
	}
	if (o311_number(lat, &y) == -1 || o311_number(lon, &x) == -1)
		return o311_fail(e, "lat and long must be decimal degrees");
	json_object_set_new(doc, "location", json_pack("{s:f, s:f}", "lat", y,
	    "lon", x));
	if (addr != NULL)
		json_object_set_new(json_object_get(doc, "location"),
		    "address", json_string(addr));
	return 0;
}

/* window and time_windows from first_day, last_day and hours. */
static int
o311_window(const struct o311_form *f, long long today, long long max_days,
    json_t *doc, struct api_error *e)
{
	const char	*first = o311_attr(f, "first_day"),
			*last = o311_attr(f, "last_day"),
			*hours = o311_attr(f, "hours");
	long long	 d0, d1, span;
	char		 from[11], to[11], start[6], end[6];

	if (first != NULL && (d0 = date_to_days(first)) < 0)
		return o311_fail(e, "attribute[first_day] must be a date, "
		    "YYYY-MM-DD");
	if (first == NULL)
		d0 = today + 1;
	span = max_days < O311_DAYS ? max_days : O311_DAYS;
	if (last != NULL && (d1 = date_to_days(last)) < 0)
		return o311_fail(e, "attribute[last_day] must be a date, "
		    "YYYY-MM-DD");
	if (last == NULL)
		d1 = d0 + (span > 0 ? span - 1 : 0);
	days_to_date(d0, from);
	days_to_date(d1, to);
	json_object_set_new(doc, "window", json_pack("{s:s, s:s}", "from",
	    from, "to", to));
	if (hours == NULL)
		return 0;
	if (strlen(hours) != 11 || hours[5] != '-')
		return o311_fail(e, "attribute[hours] must be HH:MM-HH:MM");
	memcpy(start, hours, 5);
	start[5] = '\0';
	memcpy(end, hours + 6, 5);
	end[5] = '\0';
	json_object_set_new(doc, "time_windows", json_pack("[{s:s, s:s}]",
	    "start", start, "end", end));
	return 0;
}

/*
 * notes: the description, then how to reach the resident; a crew at the
 * door needs a name and a phone number, and the photo (media_url) shows
 * what to expect.
 */
static void
o311_notes(const struct o311_form *f, json_t *doc)
{
	static const struct {
		const char	*key, *label;
	} who[] = {
		{ "phone", "phone" }, { "email", "e-mail" },
		{ "media_url", "photo" }
	};
	const char	*v, *first = o311_form_get(f, "first_name"),
			*last = o311_form_get(f, "last_name");
	char		*notes = NULL, *contact = NULL;
	size_t		 i, n = 0;

	if (first != NULL || last != NULL)
		n = xappendf(&contact, "%s%s%s", first ? first : "",
		    first && last ? " " : "", last ? last : "");
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++)
		if ((v = o311_form_get(f, who[i].key)) != NULL)
			n = xappendf(&contact, "%s%s: %s", n ? "; " : "",
			    who[i].label, v);
	if ((v = o311_form_get(f, "description")) != NULL)
		xappendf(&notes, "%s%s", v, contact ? "\n" : "");
	if (contact != NULL)
		xappendf(&notes, "Contact: %s", contact);
	if (notes != NULL)
		json_object_set_new(doc, "notes", json_string(notes));
	x_free(contact);
	x_free(notes);
}

/*
 * The /v1 pickup document a GeoReport POST stands for (a new reference),
 * for pickup_validate to check like any other; NULL with *e (400) when
 * the form cannot be one.  today is days since 1970-01-01; max_days the
 * longest window the daemon takes.
 */
json_t *
o311_pickup(const struct o311_form *f, const struct catalogue *cat,
    long long today, long long max_days, struct api_error *e)
{
	json_t		*doc;
	const char	*ref;
	char		*text, hex[17], ref_buf[32];
	unsigned char	 md[32];

	memset(e, 0, sizeof(*e));
	doc = json_pack("{s:[]}", "items");
	if (o311_check_fields(f, e) == -1 || o311_item(f, cat, doc, e) == -1 ||
	    o311_location(f, doc, e) == -1 ||
	    o311_window(f, today, max_days, doc, e) == -1) {
		json_decref(doc);
		return NULL;
	}
	o311_notes(f, doc);
	if ((ref = o311_form_get(f, "service_request_id")) != NULL) {
		json_object_set_new(doc, "reference", json_string(ref));
		return doc;
	}
	/*
	 * No reference of the client's: the digest of the document, so the
	 * same form sent twice (a retry, a double click) is one pickup.
	 */
	text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL || digest_sha256(text, strlen(text), md) == -1) {
		free(text);
		json_decref(doc);
		api_error_set(e, 500, "internal", NULL, "internal error");
		return NULL;
	}
	free(text);
	hex_encode(md, 8, hex);
	hex[16] = '\0';
	snprintf(ref_buf, sizeof(ref_buf), "open311-%s", hex);
	json_object_set_new(doc, "reference", json_string(ref_buf));
	return doc;
}

/* open or closed, GeoReport's two statuses. */
const char *
o311_status(int status)
{
	return status == PICKUP_RECEIVED || status == PICKUP_SCHEDULED ?
	    "open" : "closed";
}

/* "Large appliance" for large_appliance. */
static void
o311_service_name(const char *code, char out[CATEGORY_NAME_MAX])
{
	size_t	i;

	snprintf(out, CATEGORY_NAME_MAX, "%s", code);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '_')
			out[i] = ' ';
	out[0] = (char)toupper((unsigned char)out[0]);
}

/* services.json: one service per catalogue category. */
json_t *
o311_services(const struct catalogue *cat)
{
	json_t	*out = json_array();
	char	 name[CATEGORY_NAME_MAX], desc[160], streams[64];
	size_t	 i, len;
	int	 s;

	for (i = 0; i < cat->ncats; i++) {
		o311_service_name(cat->cats[i].name, name);
		len = 0;
		streams[0] = '\0';
		for (s = 0; s < STREAM_COUNT; s++)
			if (cat->cats[i].streams & (1u << s))
				len += snprintf(streams + len,
				    sizeof(streams) - len, "%s%s",
				    len ? ", " : "", stream_name(s));
		snprintf(desc, sizeof(desc), "Collection of %s from the "
		    "kerb or the door, for %s", name, streams);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, "
		    "s:s, s:s, s:s}", "service_code", cat->cats[i].name,
		    "service_name", name, "description", desc, "metadata", 1,
		    "type", "realtime", "keywords", cat->cats[i].name,
		    "group", "bulky items"));
	}
	return out;
}

/* services/{code}.json: the attributes a request may carry; NULL if none. */
json_t *
o311_definition(const struct catalogue *cat, const char *code)
{
	json_t	*attrs, *a, *values;
	size_t	 i;
	int	 c;

	if (catalogue_find(cat, code) == NULL)
		return NULL;
	attrs = json_array();
	for (i = 0; i < O311_NATTRS; i++) {
		a = json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s}",
		    "variable", 1, "code", o311_attrs[i].code, "datatype",
		    o311_attrs[i].datatype, "required", 0,
		    "datatype_description", o311_attrs[i].format, "order",
		    (int)i + 1, "description", o311_attrs[i].description);
		if (strcmp(o311_attrs[i].datatype, "singlevaluelist") == 0) {
			values = json_array();
			for (c = 0; c < COND_COUNT; c++)
				json_array_append_new(values, json_pack(
				    "{s:s, s:s}", "key", condition_name(c),
				    "name", condition_name(c)));
			json_object_set_new(a, "values", values);
		}
		json_array_append_new(attrs, a);
	}
	return json_pack("{s:s, s:o}", "service_code", code, "attributes",
	    attrs);
}

/*
 * A stored pickup as a GeoReport service request.  The document must be
 * a JSON object (the caller checked it); service_code is its first
 * item's category.
 */
json_t *
o311_request(const struct pickup_row *row)
{
	json_t		*doc, *out, *loc, *it;
	const char	*code, *addr, *notes;
	char		 id[24], name[CATEGORY_NAME_MAX], when[21], eta[26];
	char		 note[160];

	doc = json_loads(row->body ? row->body : "{}", 0, NULL);
	it = json_array_get(json_object_get(doc, "items"), 0);
	code = json_string_value(json_object_get(it, "category"));
	o311_service_name(code ? code : "?", name);
	loc = json_object_get(doc, "location");
	addr = json_string_value(json_object_get(loc, "address"));
	notes = json_string_value(json_object_get(doc, "notes"));
	snprintf(id, sizeof(id), "%lld", (long long)row->id);
	out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
	    "service_request_id", id, "status", o311_status(row->status),
	    "service_code", code ? code : "", "service_name", name,
	    "agency_responsible", row->operator ? row->operator : "",
	    "service_notice", "");
	if (out == NULL) {		/* text that is not UTF-8: damaged */
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(out, "description", notes ? json_string(notes) :
	    json_null());
	json_object_set(out, "lat", json_object_get(loc, "lat"));
	json_object_set(out, "long", json_object_get(loc, "lon"));
	json_object_set_new(out, "address", addr ? json_string(addr) :
	    json_null());
	json_object_set_new(out, "address_id", json_null());
	json_object_set_new(out, "zipcode", json_null());
	json_object_set_new(out, "media_url", json_null());
	time_format(row->created, when);
	json_object_set_new(out, "requested_datetime", json_string(when));
	time_format(row->updated, when);
	json_object_set_new(out, "updated_datetime", json_string(when));
	if (row->status == PICKUP_SCHEDULED && row->plan_day[0] != '\0') {
		/* The city's wall clock, with its offset that day. */
		time_format_wall(date_to_days(row->plan_day),
		    row->plan_eta[0] != '\0' ? row->plan_eta : "00:00", eta);
		json_object_set_new(out, "expected_datetime", eta[0] ?
		    json_string(eta) : json_null());
		snprintf(note, sizeof(note), "collection planned for %s%s%s",
		    row->plan_day, row->plan_eta[0] ? ", around " : "",
		    row->plan_eta);
	} else {
		json_object_set_new(out, "expected_datetime", json_null());
		if (row->status == PICKUP_RECEIVED &&
		    row->defer_reason[0] != '\0')
			snprintf(note, sizeof(note), "received; not scheduled "
			    "yet (%s)", row->defer_reason);
		else if (row->status == PICKUP_RECEIVED)
			snprintf(note, sizeof(note), "received; the next plan "
			    "will give it a day");
		else
			snprintf(note, sizeof(note), "%s",
			    pickup_status_name(row->status));
	}
	json_object_set_new(out, "status_notes", json_string(note));
	json_decref(doc);
	return out;
}

/* [{"code": status, "description": text}], GeoReport's error shape. */
json_t *
o311_error(int status, const char *description)
{
	return json_pack("[{s:i, s:s}]", "code", status, "description",
	    description);
}

static int
o311_digits(const char *s, int n)
{
	while (n-- > 0)
		if (!isdigit((unsigned char)*s++))
			return 0;
	return 1;
}

/*
 * A GeoReport date-time (W3C: YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with Z
 * or an offset +HH:MM/-HH:MM) to unix seconds; -1 when malformed.
 */
int
o311_datetime(const char *s, int64_t *out)
{
	char	utc[21];
	int	oh, om;

	if (strlen(s) != 25)
		return time_parse(s, out);
	/* The clock part as if in UTC, then the offset taken off. */
	memcpy(utc, s, 19);
	utc[19] = 'Z';
	utc[20] = '\0';
	s += 19;
	if (time_parse(utc, out) == -1 || (s[0] != '+' && s[0] != '-') ||
	    !o311_digits(s + 1, 2) || s[3] != ':' || !o311_digits(s + 4, 2))
		return -1;
	oh = (s[1] - '0') * 10 + (s[2] - '0');
	om = (s[4] - '0') * 10 + (s[5] - '0');
	if (oh > 23 || om > 59)
		return -1;
	*out += (s[0] == '+' ? -1 : 1) * (oh * 3600 + om * 60);
	return 0;
}
