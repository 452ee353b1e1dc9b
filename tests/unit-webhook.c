/*
 * unit-webhook.c -- webhook.c: what a registration may say, the body and
 * its signature (HMAC-SHA256, checked against RFC 4231's test case 2),
 * the back-off between attempts and what an attempt's outcome does to a
 * delivery (delivered, retried, dead); and open311.c's form parser and
 * date-times, which have the same kind of hand-written edges.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

static int
parse(const char *text, enum role role, const char *caller, struct webhook *w,
    struct api_error *e)
{
	json_t	*in = json_loads(text, JSON_DECODE_ANY, NULL);
	int	 rc;

	memset(e, 0, sizeof(*e));
	rc = wh_parse(in, role, caller, w, e);
	json_decref(in);
	return rc;
}

static void
test_parse(void)
{
	struct webhook		w;
	struct api_error	e;
	char			*ev;

	is_int(parse("{\"url\":\"https://crm.example/hook\",\"events\":"
	    "[\"moved\",\"scheduled\",\"moved\"],\"secret\":\"0123456789abcdef\"}",
	    ROLE_OPERATOR, "council-a", &w, &e), 0, "a registration");
	is_str(w.operator, "council-a", "... for the caller's own pickups");
	ev = wh_events_text(w.events);
	is_str(ev, "scheduled,moved", "... events as a set, in a fixed order");
	is_int((int)wh_events_parse(ev), (int)w.events, "... and read back");
	x_free(ev);
	webhook_clear(&w);
	is_int(parse("{\"url\":\"http://10.0.0.1:8080/x\",\"events\":"
	    "[\"cancelled\"],\"secret\":\"0123456789abcdef\",\"operator\":"
	    "\"council-b\"}", ROLE_ADMIN, "root", &w, &e), 0,
	    "an admin's, for an operator");
	is_str(w.operator, "council-b", "... that operator's");
	webhook_clear(&w);
	is_int(parse("{\"url\":\"file:///etc/passwd\",\"events\":[\"moved\"],"
	    "\"secret\":\"0123456789abcdef\"}", ROLE_OPERATOR, "a", &w, &e), -1,
	    "a file: URL is refused");
	is_str(e.field, "url", "... on url");
	is_int(parse("{\"url\":\"http://a b/\",\"events\":[\"moved\"],"
	    "\"secret\":\"0123456789abcdef\"}", ROLE_OPERATOR, "a", &w, &e), -1,
	    "a URL with a space is refused");
	is_int(parse("{\"url\":\"http://a/\",\"events\":[\"moved\"],"
	    "\"secret\":\"0123456789abcde\"}", ROLE_OPERATOR, "a", &w, &e), -1,
	    "a 15-character secret is refused");
	is_str(e.field, "secret", "... on secret");
	is_int(parse("{\"url\":\"http://a/\",\"events\":[\"moved\"],"
	    "\"secret\":\"0123456789abcdef \"}", ROLE_OPERATOR, "a", &w, &e),
	    -1, "a secret with a space is refused");
	is_int(parse("{\"url\":\"http://a/\",\"events\":\"moved\","
	    "\"secret\":\"0123456789abcdef\"}", ROLE_OPERATOR, "a", &w, &e), -1,
	    "events as a string is refused");
	is_str(e.field, "events", "... on events");
	is_int(parse("[]", ROLE_OPERATOR, "a", &w, &e), -1,
	    "an array is refused");
	is_int(e.status, 400, "... with a 400");
}

static void
test_signature(void)
{
	struct wh_delivery	d;
	char			sig[72], *body;

	/* RFC 4231, test case 2. */
	is_int(wh_signature("Jefe", "what do ya want for nothing?", 28, sig),
	    0, "HMAC-SHA256");
	is_str(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839d"
	    "ec58b964ec3843", "... RFC 4231's test case 2");
	memset(&d, 0, sizeof(d));
	d.id = 7;
	d.webhook = 2;
	d.created = 1796342400;
	snprintf(d.event, sizeof(d.event), "scheduled");
	d.data = xstrdup("{\"pickup\":5}");
	body = wh_body(&d);
	is_str(body, "{\"delivery\":7,\"webhook\":2,\"event\":\"scheduled\","
	    "\"created\":\"2026-12-04T00:00:00Z\",\"data\":{\"pickup\":5}}",
	    "the body wraps the event's data");
	x_free(body);
	wh_delivery_clear(&d);
}

static void
test_outcome(void)
{
	struct wh_delivery	d;
	int64_t			b;

	b = wh_backoff(1, 10, 1);
	ok(b >= 10 && b <= 12, "first retry after retry_min (+20%%): %lld",
	    (long long)b);
	b = wh_backoff(3, 10, 1);
	ok(b >= 40 && b <= 48, "doubling: the third after 40 s: %lld",
	    (long long)b);
	b = wh_backoff(40, 10, 99);
	ok(b >= 3600 && b <= 4320, "at most an hour apart: %lld",
	    (long long)b);
	b = wh_backoff(5, 7200, 3);
	ok(b >= 7200 && b <= 8640, "a retry_min over an hour is kept: %lld",
	    (long long)b);
	memset(&d, 0, sizeof(d));
	d.id = 1;
	d.created = 1000;
	wh_outcome(&d, 500, NULL, 1005, 10, 86400);
	is_str(d.state, "pending", "a 500: pending");
	is_int(d.attempts, 1, "... one attempt");
	ok(d.next_at >= 1015 && d.next_at <= 1017, "... retried later");
	is_str(d.last_error, "HTTP 500", "... saying so");
	wh_outcome(&d, 0, "Connection refused", 1020, 10, 86400);
	is_str(d.last_error, "Connection refused", "no answer: why");
	is_int(d.last_status, 0, "... and no status");
	wh_outcome(&d, 204, NULL, 1050, 10, 86400);
	is_str(d.state, "delivered", "a 204: delivered");
	is_int((int)d.delivered, 1050, "... when");
	ok(d.last_error == NULL, "... no error left");
	d.attempts = 0;
	snprintf(d.state, sizeof(d.state), "pending");
	wh_outcome(&d, 503, NULL, 1000 + 86400, 10, 86400);
	is_str(d.state, "dead", "failing for max_age: dead");
	wh_delivery_clear(&d);
}

static void
test_form(void)
{
	struct o311_form	 f;
	const char		*why = NULL;
	int64_t			 t;

	is_int(o311_form_parse("a=1&b=x+y%26z&&attribute%5Bq%5D=2&c", 35, &f,
	    &why), 0, "a form");
	is_int((int)f.n, 4, "... four fields (an empty piece skipped)");
	is_str(o311_form_get(&f, "b"), "x y&z", "+ and %%XX decoded");
	is_str(o311_form_get(&f, "attribute[q]"), "2", "names decoded too");
	ok(o311_form_get(&f, "c") == NULL, "a name alone is empty: absent");
	o311_form_clear(&f);
	is_int(o311_form_parse("a=%4", 4, &f, &why), -1, "a cut escape");
	is_int(o311_form_parse("a=%C3%28", 8, &f, &why), -1, "bad UTF-8");
	is_int(o311_form_parse("=1", 2, &f, &why), -1, "no name");
	is_int(o311_form_parse("a=1&a=2", 7, &f, &why), -1, "a name twice");
	ok(f.n == 0 && f.f == NULL, "... and nothing left");
	is_int(o311_datetime("2026-12-01T10:00:00+02:00", &t), 0,
	    "a date-time with an offset");
	is_int((int)(t % 86400), 8 * 3600, "... is 08:00 UTC");
	is_int(o311_datetime("2026-12-01T10:00:00-00:30", &t), 0,
	    "a negative offset");
	is_int((int)(t % 86400), 10 * 3600 + 1800, "... is 10:30 UTC");
	is_int(o311_datetime("2026-12-01T10:00:00+2:00", &t), -1,
	    "a short offset is refused");
	is_int(o311_datetime("2026-13-01", &t), -1, "month 13 is refused");
}

int
main(void)
{
	test_parse();
	test_signature();
	test_outcome();
	test_form();
	return tap_done();
}
