/*
 * webhook.c -- operators' webhooks, the pure part: what a registration
 * may say, what an event's data and a delivery's body are, how a body
 * is signed, and what a delivery's outcome does to it (back-off, dead
 * letters).
 *
 * No I/O and no daemon state: the store writes the outbox (in the
 * transaction of the pickup's change), webhook-send.c sends it, and
 * both call down here, as do the unit test and fuzz-webhook.
 *
 * The contract (recircd(8), WEBHOOKS): a delivery is a POST of
 *
 *	{"delivery":ID,"webhook":W,"event":"scheduled",
 *	 "created":"2026-12-04T10:00:00Z","data":{...}}
 *
 * with X-Recirc-Signature: sha256=HEX, HEX being HMAC-SHA256 of the exact
 * body under the webhook's secret; a 2xx is delivered, anything else is
 * tried again after WH_BACKOFF doubling (from webhook_retry_min, at most
 * an hour apart) until it has failed for webhook_max_age, when it is
 * dead.  Delivery is at least once: the receiver de-duplicates by ID.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define WH_BACKOFF_MAX	3600	/* seconds between two attempts, at most */
#define WH_ETA_SLACK	60	/* minutes either side of an ETA */

static const char *const wh_events[WH_EVENT_COUNT] = {
	"scheduled", "moved", "deferred", "collected", "not_collected",
	"cancelled", "amended"
};

const char *
wh_event_name(enum wh_event e)
{
	return (unsigned)e < WH_EVENT_COUNT ? wh_events[e] : "?";
}

/* The event called name, or -1. */
int
wh_event_parse(const char *name)
{
	int	i;

	for (i = 0; i < WH_EVENT_COUNT; i++)
		if (strcmp(wh_events[i], name) == 0)
			return i;
	return -1;
}

/* "scheduled,moved" for a set of events (caller frees). */
char *
wh_events_text(unsigned set)
{
	char	*out = NULL;
	size_t	 n = 0;
	int	 i;

	for (i = 0; i < WH_EVENT_COUNT; i++)
		if (set & (1u << i))
			n = xappendf(&out, "%s%s", n ? "," : "", wh_events[i]);
	return out ? out : xstrdup("");
}

/* The set of a stored "a,b,c" (unknown names ignored). */
unsigned
wh_events_parse(const char *text)
{
	unsigned	 set = 0;
	char		*copy = xstrdup(text), *tok, *save = NULL;
	int		 e;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if ((e = wh_event_parse(tok)) >= 0)
			set |= 1u << e;
	x_free(copy);
	return set;
}

static int
wh_fail(struct api_error *e, const char *code, const char *field,
    const char *message)
{
	api_error_set(e, 422, code, field, "%s", message);
	return -1;
}

/* An http:// or https:// URL with a host and no spaces or controls. */
static int
wh_url_valid(const char *url)
{
	const char	*host;
	size_t		 i;

	if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return 0;
	if (*host == '\0' || *host == '/' || *host == ':' || *host == '?' ||
	    *host == '#')
		return 0;
	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * A registration, {"url", "events", "secret"} and, from an admin only,
 * "operator" (whose pickups it follows; an operator's own otherwise),
 * into w (its strings the caller's to free with webhook_clear).  0, or
 * -1 with *e (a 422 naming the member).
 */
int
wh_parse(json_t *in, enum role role, const char *caller, struct webhook *w,
    struct api_error *e)
{
	const char	*key, *url, *secret, *op;
	json_t		*v, *events;
	size_t		 i, n;
	int		 ev;

	memset(w, 0, sizeof(*w));
	if (!json_is_object(in)) {
		api_error_set(e, 400, "wrong_type", "", "the body must be a "
		    "JSON object");
		return -1;
	}
	json_object_foreach(in, key, v)
		if (strcmp(key, "url") != 0 && strcmp(key, "events") != 0 &&
		    strcmp(key, "secret") != 0 && strcmp(key, "operator") != 0) {
			api_error_set(e, 422, "unknown_field", key,
			    "unknown member \"%.60s\"", key);
			return -1;
		}
	if ((url = json_string_value(json_object_get(in, "url"))) == NULL)
		return wh_fail(e, "missing_field", "url", "url is required, a "
		    "string");
	if (strlen(url) > WH_URL_MAX || !wh_url_valid(url))
		return wh_fail(e, "invalid_value", "url", "url must be an "
		    "http:// or https:// URL with a host, without spaces");
	if ((secret = json_string_value(json_object_get(in, "secret"))) ==
	    NULL)
		return wh_fail(e, "missing_field", "secret", "secret is "
		    "required, a string: deliveries are signed with it");
	n = strlen(secret);
	for (i = 0; i < n; i++)
		if ((unsigned char)secret[i] < 0x21 ||
		    (unsigned char)secret[i] > 0x7e)
			break;
	if (n < WH_SECRET_MIN || n > WH_SECRET_MAX || i != n) {
		api_error_set(e, 422, "invalid_value", "secret", "secret must "
		    "be %d to %d visible ASCII characters", WH_SECRET_MIN,
		    WH_SECRET_MAX);
		return -1;
	}
	events = json_object_get(in, "events");
	if (!json_is_array(events) || json_array_size(events) == 0)
		return wh_fail(e, "missing_field", "events", "events is "
		    "required, a non-empty array of event names");
	json_array_foreach(events, i, v) {
		if (!json_is_string(v) ||
		    (ev = wh_event_parse(json_string_value(v))) < 0) {
			api_error_set(e, 422, "invalid_value", "events",
			    "events[%zu] is not one of scheduled, moved, "
			    "deferred, collected, not_collected, cancelled, "
			    "amended", i);
			return -1;
		}
		w->events |= 1u << ev;
	}
	v = json_object_get(in, "operator");
	op = json_string_value(v);
	if (v != NULL && !json_is_null(v) && op == NULL)
		return wh_fail(e, "wrong_type", "operator", "operator must be "
		    "a string");
	if (role != ROLE_ADMIN && op != NULL && strcmp(op, caller) != 0)
		return wh_fail(e, "invalid_value", "operator", "an operator "
		    "registers webhooks for its own pickups only");
	if (role == ROLE_ADMIN && op == NULL)
		return wh_fail(e, "missing_field", "operator", "an admin "
		    "names the operator whose pickups the webhook follows");
	if (op != NULL && (op[0] == '\0' || strlen(op) > 64 ||
	    !utf8_valid(op, strlen(op))))
		return wh_fail(e, "invalid_value", "operator", "operator must "
		    "be 1 to 64 bytes of UTF-8");
	w->operator = xstrdup(op ? op : caller);
	w->url = xstrdup(url);
	w->secret = xstrdup(secret);
	return 0;
}

/* A webhook as the API shows it: never its secret. */
json_t *
wh_json(const struct webhook *w)
{
	json_t	*events = json_array();
	char	 when[21];
	int	 i;

	for (i = 0; i < WH_EVENT_COUNT; i++)
		if (w->events & (1u << i))
			json_array_append_new(events, json_string(wh_events[i]));
	time_format(w->created, when);
	return json_pack("{s:I, s:s?, s:s?, s:o, s:s}", "id",
	    (json_int_t)w->id, "operator", w->operator, "url", w->url,
	    "events", events, "created", when);
}

/* The body a delivery sends (caller frees): the same bytes every try. */
char *
wh_body(const struct wh_delivery *d)
{
	char	*body = NULL, when[21];

	time_format(d->created, when);
	xasprintf(&body, "{\"delivery\":%lld,\"webhook\":%lld,\"event\":\"%s\","
	    "\"created\":\"%s\",\"data\":%s}", (long long)d->id,
	    (long long)d->webhook, d->event, when, d->data ? d->data : "{}");
	return body;
}

/* "sha256=" and the hex HMAC-SHA256 of body under secret; -1 on failure. */
int
wh_signature(const char *secret, const char *body, size_t len, char out[72])
{
	unsigned char	mac[32];

	if (hmac_sha256(secret, strlen(secret), body, len, mac) == -1)
		return -1;
	memcpy(out, "sha256=", 7);
	hex_encode(mac, sizeof(mac), out + 7);
	return 0;
}

/*
 * Seconds before attempt attempts + 1 of delivery id: retry_min doubled
 * per failed attempt, at most an hour (or retry_min if longer), plus up
 * to a fifth more, spread by id so that deliveries failing together do
 * not all come back in the same second.
 */
int64_t
wh_backoff(int attempts, long long retry_min, int64_t id)
{
	long long	cap = retry_min > WH_BACKOFF_MAX ? retry_min :
			    WH_BACKOFF_MAX, d = retry_min > 0 ? retry_min : 1;
	int		i;

	for (i = 1; i < attempts && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	return d + d * (int64_t)(((uint64_t)id * 2654435761u) % 200) / 1000;
}

/*
 * What an attempt at now did to d: status the HTTP status (0: no answer,
 * error then says why).  2xx delivers it; anything else leaves it pending
 * for another try, or dead once it has been failing for max_age seconds.
 */
void
wh_outcome(struct wh_delivery *d, int status, const char *error, int64_t now,
    long long retry_min, long long max_age)
{
	d->attempts++;
	d->last_at = now;
	d->last_status = status;
	x_free(d->last_error);
	d->last_error = NULL;
	if (status >= 200 && status <= 299) {
		snprintf(d->state, sizeof(d->state), "delivered");
		d->delivered = now;
		return;
	}
	if (error != NULL)
		d->last_error = utf8_sanitize(xstrndup(error, 200));
	else
		xasprintf(&d->last_error, "HTTP %d", status);
	if (now - d->created >= max_age)
		snprintf(d->state, sizeof(d->state), "dead");
	else {
		snprintf(d->state, sizeof(d->state), "pending");
		d->next_at = now + wh_backoff(d->attempts, retry_min, d->id);
	}
}

/* A copy of s that is valid UTF-8 (NULL stays NULL). */
static char *
wh_clean(const char *s)
{
	return s != NULL ? utf8_sanitize(xstrdup(s)) : NULL;
}

/*
 * A plan's news (a JSON object's text, caller frees): scheduled and
 * moved carry the day, the ETA and the window to tell the resident (the
 * ETA an hour either way, within the day), moved also the previous day
 * and ETA; deferred the reason.
 */
char *
wh_data_plan(int64_t plan, const char *day, int eta, const char *prev_day,
    const char *prev_eta, const char *reason)
{
	struct jsonw	 w;
	char		 t[6], at[26], *r;
	int		 from, to;

	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "plan");
	jw_int(&w, plan);
	if (day != NULL && eta >= 0) {
		jw_key(&w, "day");
		jw_string(&w, day);
		hhmm_format(eta, t);
		jw_key(&w, "eta");
		jw_string(&w, t);
		time_format_local(time_local_instant(date_to_days(day), eta),
		    at);
		jw_key(&w, "eta_at");
		jw_string(&w, at);
		from = eta - WH_ETA_SLACK < 0 ? 0 : eta - WH_ETA_SLACK;
		to = eta + WH_ETA_SLACK > 1440 ? 1440 : eta + WH_ETA_SLACK;
		jw_key(&w, "eta_window");
		jw_object(&w);
		hhmm_format(from, t);
		jw_key(&w, "from");
		jw_string(&w, t);
		hhmm_format(to, t);
		jw_key(&w, "to");
		jw_string(&w, t);
		jw_object_end(&w);
	}
	if (prev_day != NULL) {
		jw_key(&w, "previous");
		jw_object(&w);
		jw_key(&w, "day");
		jw_string(&w, prev_day);
		jw_key(&w, "eta");
		jw_string(&w, prev_eta ? prev_eta : "");
		jw_object_end(&w);
	}
	if (day == NULL) {
		r = wh_clean(reason ? reason : "");
		jw_key(&w, "reason");
		jw_string(&w, r);
		x_free(r);
	}
	jw_object_end(&w);
	return jw_take(&w);
}

/* collected (with its weight when known) or not_collected (its code). */
char *
wh_data_field(int collected, const char *code, double kg)
{
	struct jsonw	 w;
	char		*c;

	jw_init(&w);
	jw_object(&w);
	if (collected && kg > 0) {
		jw_key(&w, "weight_kg");
		jw_fixed(&w, kg, 3);
	} else if (!collected) {
		c = wh_clean(code ? code : "");
		jw_key(&w, "code");
		jw_string(&w, c);
		x_free(c);
	}
	jw_object_end(&w);
	return jw_take(&w);
}

/* amended: the document's members that changed (1u << PM_...), by whom. */
char *
wh_data_amended(unsigned changed, const char *actor)
{
	struct jsonw	 w;
	char		*a = wh_clean(actor ? actor : "");
	int		 m;

	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "changed");
	jw_array(&w);
	for (m = 0; m < PM_COUNT; m++)
		if (changed & (1u << m))
			jw_string(&w, pickup_member_name(m));
	jw_array_end(&w);
	jw_key(&w, "by");
	jw_string(&w, a);
	jw_object_end(&w);
	x_free(a);
	return jw_take(&w);
}

/* cancelled, and by whom. */
char *
wh_data_cancelled(const char *actor)
{
	struct jsonw	 w;
	char		*a = wh_clean(actor ? actor : "");

	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "by");
	jw_string(&w, a);
	jw_object_end(&w);
	x_free(a);
	return jw_take(&w);
}

void
webhook_clear(struct webhook *w)
{
	x_free(w->operator);
	x_free(w->url);
	x_free(w->secret);
	memset(w, 0, sizeof(*w));
}

void
webhooks_free(struct webhook *w, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		webhook_clear(&w[i]);
	x_free(w);
}

void
wh_delivery_clear(struct wh_delivery *d)
{
	x_free(d->data);
	x_free(d->url);
	x_free(d->secret);
	x_free(d->last_error);
	memset(d, 0, sizeof(*d));
}

void
wh_deliveries_free(struct wh_delivery *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wh_delivery_clear(&d[i]);
	x_free(d);
}
