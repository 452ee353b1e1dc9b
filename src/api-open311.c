/*
 * api-open311.c -- /open311/v2/: Open311 GeoReport v2 for the reporting
 * front ends, CRMs and contact centres councils already run.
 *
 * The translation is open311.c's; here are HTTP, the caller and the
 * store.  A request is a pickup like one from /v1/pickups: the same
 * validation (pickup.c), the same durable group commit (the 201 is sent
 * after the batch is on disk) and the same tenant isolation (an operator
 * sees only its own).  Who calls is the spec's api_key (a recircd token,
 * in the form, the query or a Bearer header).  Every error, whatever
 * went wrong, is the spec's [{"code", "description"}] with the HTTP
 * status as code.  Only the JSON format is served: .xml is answered
 * with an error saying so.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "recircd.h"

#define O311_LIST_MAX	1000		/* requests in one GET, as the spec */
#define O311_LIST_DAYS	90		/* its default window */
#define O311_PAGE	500		/* rows read from the store at once */

static void
o311_reply_error(struct http_req *r, int status, const char *fmt, ...)
    PRINTFLIKE(3, 4);

static void
o311_reply_error(struct http_req *r, int status, const char *fmt, ...)
{
	struct api_error	e;
	va_list			ap;

	va_start(ap, fmt);
	api_error_vset(&e, status, "open311", NULL, fmt, ap);
	va_end(ap);
	http_reply_json(r, status, o311_error(status, e.message));
}

static void
o311_reply_api_error(struct http_req *r, const struct api_error *e)
{
	int	status = e->status == 422 ? 400 : e->status;

	if (e->field[0] != '\0')
		o311_reply_error(r, status, "%s: %s", e->field, e->message);
	else
		o311_reply_error(r, status, "%s", e->message);
}

static void
o311_reply_store(struct http_req *r, enum store_result res, const char *cause)
{
	log_warnx("%s: %s", r->path, cause ? cause : "store error");
	if (res == STORE_UNAVAILABLE)
		o311_reply_error(r, 503, "storage unavailable, nothing was "
		    "stored; retry later");
	else
		o311_reply_error(r, 500, "internal error");
}

/*
 * The caller, from api_key (form or query) or a Bearer header; replies
 * 401/403 (or 5xx) and returns -1 unless its role is in roles.
 */
static int
o311_caller(struct http_req *r, const struct o311_form *form, unsigned roles)
{
	struct api_error	 e;
	const char		*key = NULL;

	if (form != NULL)
		key = o311_form_get(form, "api_key");
	if (key == NULL)
		key = http_query(r, "api_key");
	if (key == NULL)
		key = http_bearer(r);
	if (key == NULL || key[0] == '\0') {
		o311_reply_error(r, 401, "api_key is required (a token from "
		    "the council's administrator)");
		return -1;
	}
	if (http_principal(r, key, &e) == -1) {
		if (e.status == 401)
			o311_reply_error(r, 401, "invalid api_key");
		else
			o311_reply_api_error(r, &e);
		return -1;
	}
	if (!(roles & (1u << r->role))) {
		o311_reply_error(r, 403, "role %s may not %s %s",
		    role_name(r->role), http_method_name(r->method), r->path);
		return -1;
	}
	return 0;
}

/* GET /open311/v2/discovery.json */
void
api_o311_discovery(struct http_req *r)
{
	const char	*host = http_header(r, "Host"),
			*proto = http_header(r, "X-Forwarded-Proto");
	char		*url = NULL, since[21];
	json_t		*out;

	/* The specification's changeset is a sortable time the document
	 * last changed; it changes only with the daemon, so: its start. */
	time_format(r->srv->started, since);
	xasprintf(&url, "%s://%s/open311/v2",
	    proto && strcasecmp(proto, "https") == 0 ? "https" : "http",
	    host && utf8_valid(host, strlen(host)) ? host : "localhost");
	out = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s]}]}",
	    "changeset", since, "contact", "the council's "
	    "administrator of this recircd", "key_service", "api_key is a "
	    "recircd operator token, which the administrator makes on the "
	    "server with: recircd token add NAME operator",
	    "endpoints", "specification", "http://wiki.open311.org/"
	    "GeoReport_v2", "url", url, "changeset", since, "type",
	    "production", "formats", "application/json");
	x_free(url);
	http_reply_json(r, 200, out);
}

/* GET /open311/v2/services.json */
void
api_o311_services(struct http_req *r)
{
	http_reply_json(r, 200, o311_services(r->srv->catalogue));
}

/* GET /open311/v2/services/{code}.json */
void
api_o311_service(struct http_req *r)
{
	json_t	*def;

	if ((def = o311_definition(r->srv->catalogue, r->name)) == NULL) {
		o311_reply_error(r, 404, "no service \"%s\"; services.json "
		    "lists them", r->name);
		return;
	}
	http_reply_json(r, 200, def);
}

static void
o311_create_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;
	char		 id[24], earliest[11], *late, *notice;

	snprintf(id, sizeof(id), "%lld", (long long)j->row.id);
	switch (j->result) {
	case STORE_OK:
	case STORE_REPLAY:
		if (j->result == STORE_REPLAY)
			http_set_header(r, "Idempotent-Replay", "true");
		/* a window without a collection day: say which day is */
		late = plan_window_notice(r->srv, j->pickup.window_from,
		    j->pickup.window_to, earliest);
		xasprintf(&notice, "Received; the next plan sets the "
		    "collection day.%s%s%s", late ? " Note: " : "",
		    late ? late : "", late ? "." : "");
		http_reply_json(r, j->result == STORE_OK ? 201 : 200,
		    json_pack("[{s:s, s:s, s:n}]", "service_request_id", id,
		    "service_notice", notice, "account_id"));
		x_free(notice);
		x_free(late);
		break;
	case STORE_CONFLICT:
		o311_reply_error(r, 409, "service request %s already has this "
		    "%s with other details", id, j->conflict_key ?
		    "Idempotency-Key" : "service_request_id");
		break;
	default:
		o311_reply_store(r, j->result, j->cause);
		break;
	}
	commit_job_free(j);
}

/* Content-Type, if given, must be a form. */
static int
o311_form_content(struct http_req *r)
{
	const char	*ct = http_header(r, "Content-Type");
	size_t		 n;

	if (ct == NULL)
		return 1;
	n = strcspn(ct, "; \t");
	if (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0)
		return 1;
	o311_reply_error(r, 415, "Content-Type must be "
	    "application/x-www-form-urlencoded");
	return 0;
}

/* POST /open311/v2/requests.json */
void
api_o311_create(struct http_req *r)
{
	struct o311_form	 form;
	struct pickup_limits	 lim;
	struct api_error	 e;
	struct commit_job	*j;
	const char		*why, *key;
	json_t			*doc;

	if (!o311_form_content(r))
		return;
	if (o311_form_parse(r->body ? r->body : "", r->body_len, &form,
	    &why) == -1) {
		o311_reply_error(r, 400, "the form is malformed: %s", why);
		return;
	}
	if (o311_caller(r, &form, (1u << ROLE_OPERATOR) |
	    (1u << ROLE_ADMIN)) == -1) {
		o311_form_clear(&form);
		return;
	}
	lim.max_items = r->srv->conf->max_items;
	lim.max_window_days = r->srv->conf->max_window_days;
	/* the city's today by the planner's clock, as plans see it */
	lim.today = time_local_day(plan_now(r->srv));
	doc = o311_pickup(&form, r->srv->catalogue, lim.today,
	    lim.max_window_days, &e);
	o311_form_clear(&form);
	if (doc == NULL) {
		o311_reply_api_error(r, &e);
		return;
	}
	j = xcalloc(1, sizeof(*j));
	if (pickup_validate(doc, r->srv->catalogue, &lim, &j->pickup,
	    &e) == -1) {
		json_decref(doc);
		commit_job_free(j);
		o311_reply_api_error(r, &e);
		return;
	}
	json_decref(doc);
	j->pickup.operator = xstrdup(r->operator);
	if ((key = http_header(r, "Idempotency-Key")) != NULL &&
	    key[0] != '\0' && strlen(key) <= 128)
		j->pickup.idem_key = xstrdup(key);
	j->kind = COMMIT_INSERT;
	j->done = o311_create_done;
	j->arg = r;
	http_defer(r);
	commit_submit(r->srv->committer, j);
}

/* Append the request of row to out, unless it fails the filters. */
static void
o311_list_add(struct http_req *r, json_t *out, const struct pickup_row *row,
    const char *code, const char *status)
{
	json_t		*one;
	const char	*c, *s;
	size_t		 n;

	if ((one = o311_request(row)) == NULL) {
		log_warnx("%s: pickup %lld: its stored record is damaged; "
		    "left out", r->path, (long long)row->id);
		return;
	}
	c = json_string_value(json_object_get(one, "service_code"));
	s = json_string_value(json_object_get(one, "status"));
	if (code != NULL && (c == NULL || strcmp(c, code) != 0))
		goto skip;
	/* status is "open", "closed" or "open,closed". */
	if (status != NULL && s != NULL) {
		n = strlen(s);
		for (c = status; *c != '\0'; c += strcspn(c, ","),
		    c += *c == ',')
			if (strncmp(c, s, n) == 0 && (c[n] == ',' ||
			    c[n] == '\0'))
				break;
		if (*c == '\0')
			goto skip;
	}
	json_array_append_new(out, one);
	return;
skip:
	json_decref(one);
}

/* service_request_id=1,2,3: those (that the caller may see), in order. */
static int
o311_list_ids(struct http_req *r, const char *ids, json_t *out)
{
	struct pickup_row	 row;
	enum store_result	 res;
	const char		*p;
	char			*end, *cause = NULL;
	long long		 id;

	for (p = ids; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		id = strtoll(p, &end, 10);
		if (end == p || id < 1 || (*end != ',' && *end != '\0')) {
			o311_reply_error(r, 400, "service_request_id must be "
			    "ids separated by commas");
			return -1;
		}
		res = store_pickup_get(r->srv->store, id, r->role ==
		    ROLE_OPERATOR ? r->operator : NULL, &row, &cause);
		if (res == STORE_OK)
			o311_list_add(r, out, &row, NULL, NULL);
		pickup_row_clear(&row);
		if (res != STORE_OK && res != STORE_NOTFOUND) {
			o311_reply_store(r, res, cause);
			x_free(cause);
			return -1;
		}
		if (json_array_size(out) >= O311_LIST_MAX)
			break;
	}
	return 0;
}

/*
 * GET /open311/v2/requests.json: by service_request_id (which overrides
 * the rest, as the spec says), else by service_code, status and
 * requested date (start_date, end_date; the last 90 days by default),
 * oldest first, at most 1000.
 */
void
api_o311_list(struct http_req *r)
{
	struct pickup_query	 q;
	struct pickup_row	*rows;
	enum store_result	 res;
	const char		*ids, *code, *status, *v, *c;
	json_t			*out;
	int64_t			 end = INT64_MAX;
	size_t			 n, i;
	char			*cause = NULL;

	if (o311_caller(r, NULL, (1u << ROLE_COUNT) - 1) == -1)
		return;
	out = json_array();
	if ((ids = http_query(r, "service_request_id")) != NULL) {
		if (o311_list_ids(r, ids, out) == -1)
			json_decref(out);
		else
			http_reply_json(r, 200, out);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.status = -1;
	q.operator = r->role == ROLE_OPERATOR ? r->operator : NULL;
	q.since = time(NULL) - O311_LIST_DAYS * 86400LL;
	q.limit = O311_PAGE;
	if (((v = http_query(r, "start_date")) != NULL &&
	    o311_datetime(v, &q.since) == -1) ||
	    ((v = http_query(r, "end_date")) != NULL &&
	    o311_datetime(v, &end) == -1)) {
		json_decref(out);
		o311_reply_error(r, 400, "start_date and end_date must be "
		    "W3C date-times (2026-12-01T00:00:00Z)");
		return;
	}
	if (http_query(r, "start_date") == NULL && end != INT64_MAX)
		q.since = end - O311_LIST_DAYS * 86400LL;
	code = http_query(r, "service_code");
	if ((status = http_query(r, "status")) != NULL) {
		for (c = status; *c != '\0'; c += strcspn(c, ","),
		    c += *c == ',')
			if (strncmp(c, "open", 4) != 0 &&
			    strncmp(c, "closed", 6) != 0)
				break;
		if (*c != '\0' || strstr(status, ",,") != NULL) {
			json_decref(out);
			o311_reply_error(r, 400, "status must be open, closed "
			    "or both, separated by a comma");
			return;
		}
	}
	for (;;) {
		res = store_pickup_list(r->srv->store, &q, &rows, &n, &cause);
		if (res != STORE_OK) {
			json_decref(out);
			o311_reply_store(r, res, cause);
			x_free(cause);
			return;
		}
		for (i = 0; i < n && json_array_size(out) < O311_LIST_MAX;
		    i++)
			if (rows[i].created <= end)
				o311_list_add(r, out, &rows[i], code, status);
		if (n > 0)
			q.after_id = rows[n - 1].id;
		pickup_rows_free(rows, n);
		if (n < (size_t)q.limit ||
		    json_array_size(out) >= O311_LIST_MAX)
			break;
	}
	http_reply_json(r, 200, out);
}

/* GET /open311/v2/requests/{id}.json */
void
api_o311_get(struct http_req *r)
{
	json_t	*out;
	char	 id[24];

	if (o311_caller(r, NULL, (1u << ROLE_COUNT) - 1) == -1)
		return;
	snprintf(id, sizeof(id), "%lld", (long long)r->id);
	out = json_array();
	if (o311_list_ids(r, id, out) == -1) {
		json_decref(out);
		return;
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		o311_reply_error(r, 404, "no service request %s", id);
		return;
	}
	http_reply_json(r, 200, out);
}

/*
 * Anything else under /open311/v2/: another format of a known resource
 * (400, saying JSON only), or nothing (404), in the spec's error shape.
 */
void
api_o311_other(struct http_req *r)
{
	const char	*dot = strrchr(r->path, '.');

	if (dot != NULL && strchr(dot, '/') == NULL &&
	    strcmp(dot, ".json") != 0)
		o311_reply_error(r, 400, "format %s is not served: this "
		    "server speaks JSON only (use .json)", dot + 1);
	else
		o311_reply_error(r, 404, "no such resource: %s", r->path);
}
