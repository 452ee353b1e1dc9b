/*
 * api-pickups.c -- /v1/pickups: submit, list, show, cancel; the resident's
 * confirmation of a scheduled day and the field's events (collected, not
 * collected, sorted).
 *
 * Translates HTTP and JSON to the validated struct pickup_new and the
 * store's rows and back; the decisions live in pickup.c (what is valid),
 * store.c (idempotency, state rules) and commit.c (durability).  Writes
 * are deferred: the reply is sent from the commit callback, after the
 * batch holding the write is on disk.  api_write queues a pin or an event
 * that way; api-routes.c's dispatch uses it too.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recircd.h"

#define IDEM_KEY_MAX 128

/*
 * Why a stored pickup cannot be shown, or NULL when it can.  Its document
 * is spliced into replies unparsed, so it must be a JSON object (jansson's
 * parse also checks its UTF-8); its status must be one we know; the texts
 * written beside it must be valid UTF-8.  A row damaged on disk or edited
 * by hand fails here rather than killing the daemon or sending a client
 * broken JSON.
 */
static const char *
api_pickup_damage(const struct pickup_row *row,
    const struct pickup_event *ev, size_t nev)
{
	const char	*text[] = { row->operator, row->plan_day,
			    row->plan_vehicle, row->plan_eta, row->defer_reason,
			    row->pin_by };
	json_t		*doc;
	size_t		 i;
	int		 ok;

	doc = json_loads(row->body ? row->body : "{}", 0, NULL);
	ok = json_is_object(doc);
	json_decref(doc);
	if (!ok)
		return "its document is not a JSON object";
	if (row->status < 0 || row->status >= PICKUP_STATUS_COUNT)
		return "its status is not one recircd knows";
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (text[i] != NULL && !utf8_valid(text[i], strlen(text[i])))
			return "a text of its row is not valid UTF-8";
	for (i = 0; i < nev; i++)
		if ((ev[i].actor != NULL && !utf8_valid(ev[i].actor,
		    strlen(ev[i].actor))) || (ev[i].detail != NULL &&
		    !utf8_valid(ev[i].detail, strlen(ev[i].detail))))
			return "a text of its history is not valid UTF-8";
	return NULL;
}

/* The row's own members: id, operator, status, times, schedule. */
static void
api_pickup_members(struct jsonw *w, const struct pickup_row *row)
{
	char	 when[21], at[26];

	jw_key(w, "id");
	jw_int(w, row->id);
	jw_key(w, "operator");
	jw_string(w, row->operator ? row->operator : "");
	jw_key(w, "status");
	jw_string(w, pickup_status_name(row->status));
	time_format(row->created, when);
	jw_key(w, "created");
	jw_string(w, when);
	time_format(row->updated, when);
	jw_key(w, "updated");
	jw_string(w, when);
	if (row->plan_day[0] != '\0') {
		jw_key(w, "schedule");
		jw_object(w);
		jw_key(w, "plan");
		jw_int(w, row->plan_id);
		jw_key(w, "day");
		jw_string(w, row->plan_day);
		jw_key(w, "vehicle");
		jw_string(w, row->plan_vehicle);
		jw_key(w, "stop");
		jw_int(w, row->plan_seq);
		jw_key(w, "eta");
		jw_string(w, row->plan_eta);
		/* The same instant with the city's UTC offset that day. */
		time_format_wall(date_to_days(row->plan_day), row->plan_eta,
		    at);
		if (at[0] != '\0') {
			jw_key(w, "eta_at");
			jw_string(w, at);
		}
		/* kept there by later plans: the resident was told, or the
		 * route was handed to the crew; when and by whom */
		if (row->pin[0] != '\0') {
			jw_key(w, "pinned");
			jw_string(w, row->pin);
			time_format(row->pin_at, when);
			jw_key(w, "pinned_at");
			jw_string(w, when);
			if (row->pin_by != NULL) {
				jw_key(w, "pinned_by");
				jw_string(w, row->pin_by);
			}
		}
		jw_object_end(w);
	} else if (row->defer_reason[0] != '\0') {
		jw_key(w, "deferred");
		jw_object(w);
		jw_key(w, "plan");
		jw_int(w, row->plan_id);
		jw_key(w, "reason");
		jw_string(w, row->defer_reason);
		jw_object_end(w);
	}
}

/*
 * A warning for whoever booked a pickup: no day of its window is a
 * collection day (plan_window_notice).
 */
struct api_late {
	char	*message;	/* NULL: nothing to warn of */
	char	 earliest[11];
};

/* Set late from the window from..to (late->message: free it). */
static void
api_late_get(struct http_req *r, const char *from, const char *to,
    struct api_late *late)
{
	late->message = plan_window_notice(r->srv, from, to, late->earliest);
}

/* "warnings": [late's], when there is one. */
static void
api_late_members(struct jsonw *w, const struct api_late *late)
{
	if (late == NULL || late->message == NULL)
		return;
	jw_key(w, "warnings");
	jw_array(w);
	jw_object(w);
	jw_key(w, "code");
	jw_string(w, "no_collection_day");
	jw_key(w, "field");
	jw_string(w, "window");
	jw_key(w, "message");
	jw_string(w, late->message);
	jw_key(w, "earliest");
	jw_string(w, late->earliest);
	jw_object_end(w);
	jw_array_end(w);
}

/*
 * The client's view of a stored pickup as JSON text (caller frees): the
 * row's own fields first, then the stored canonical document spliced in
 * as text.  Splicing instead of parsing and re-serialising the document
 * keeps the hot submit path free of JSON trees; a row read back from the
 * store passes api_pickup_damage first.
 */
static char *
api_pickup_text(const struct pickup_row *row, const struct pickup_event *ev,
    size_t nev, int with_history, const struct api_late *late)
{
	struct jsonw	 w;
	const char	*body = row->body ? row->body : "{}";
	size_t		 blen = strlen(body), i;
	char		 when[21];

	jw_init(&w);
	jw_object(&w);
	api_pickup_members(&w, row);
	/* The document's members follow as members of this object. */
	if (blen > 2)
		jw_json(&w, body + 1, blen - 2);
	if (with_history) {
		jw_key(&w, "history");
		jw_array(&w);
		for (i = 0; i < nev; i++) {
			jw_object(&w);
			jw_key(&w, "status");
			jw_string(&w, pickup_status_name(ev[i].status));
			time_format(ev[i].at, when);
			jw_key(&w, "at");
			jw_string(&w, when);
			jw_key(&w, "by");
			jw_string(&w, ev[i].actor);
			jw_key(&w, "detail");
			jw_string(&w, ev[i].detail);
			jw_object_end(&w);
		}
		jw_array_end(&w);
	}
	api_late_members(&w, late);
	jw_object_end(&w);
	return jw_take(&w);
}

/*
 * A damaged pickup in a list: its row's own members (texts cleaned to
 * valid UTF-8) and an error in place of the document, so the page still
 * lists every other pickup and gives the next cursor.
 */
static char *
api_pickup_damaged_text(const struct pickup_row *row)
{
	struct pickup_row	 r = *row;
	struct jsonw		 w;
	char			*op, *by;

	op = utf8_sanitize(xstrdup(row->operator ? row->operator : ""));
	r.operator = op;
	by = row->pin_by ? utf8_sanitize(xstrdup(row->pin_by)) : NULL;
	r.pin_by = by;
	utf8_sanitize(r.plan_day);
	utf8_sanitize(r.plan_vehicle);
	utf8_sanitize(r.plan_eta);
	utf8_sanitize(r.defer_reason);
	jw_init(&w);
	jw_object(&w);
	api_pickup_members(&w, &r);
	jw_key(&w, "error");
	jw_object(&w);
	jw_key(&w, "code");
	jw_string(&w, "internal");
	jw_key(&w, "message");
	jw_string(&w, "the stored record of this pickup is damaged; the "
	    "details are logged");
	jw_object_end(&w);
	jw_object_end(&w);
	x_free(op);
	x_free(by);
	return jw_take(&w);
}

static void
api_reply_pickup(struct http_req *r, int status, const struct pickup_row *row,
    const struct pickup_event *ev, size_t nev, int with_history,
    const struct api_late *late)
{
	char	*text = api_pickup_text(row, ev, nev, with_history, late);

	http_reply_text(r, status, text, strlen(text));
	x_free(text);
}

/*
 * Reply with a pickup the store read back: 500 with a log line when its
 * row is damaged (api_pickup_damage), else the pickup.
 */
static void
api_reply_stored(struct http_req *r, int status, const struct pickup_row *row,
    const struct pickup_event *ev, size_t nev, int with_history,
    const struct api_late *late)
{
	const char	*why;

	if ((why = api_pickup_damage(row, ev, nev)) != NULL) {
		log_warnx("%s: pickup %lld: %s", r->path, (long long)row->id,
		    why);
		http_error(r, 500, "internal", NULL, "the stored record of "
		    "pickup %lld is damaged; the details are logged",
		    (long long)row->id);
		return;
	}
	api_reply_pickup(r, status, row, ev, nev, with_history, late);
}

/* Append s to the growing buffer *buf (length *len, capacity *cap). */
static void
api_append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t	n = strlen(s);

	while (*len + n + 1 > *cap) {
		*cap *= 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static void
api_create_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;
	struct api_late	 late;

	if (j->result == STORE_OK || j->result == STORE_REPLAY)
		api_late_get(r, j->pickup.window_from, j->pickup.window_to,
		    &late);
	switch (j->result) {
	case STORE_OK:
		j->row.operator = j->pickup.operator;
		j->row.body = j->pickup.body;
		api_reply_pickup(r, 201, &j->row, NULL, 0, 0, &late);
		j->row.operator = j->row.body = NULL;
		x_free(late.message);
		break;
	case STORE_REPLAY:
		http_set_header(r, "Idempotent-Replay", "true");
		api_reply_stored(r, 200, &j->row, NULL, 0, 0, &late);
		x_free(late.message);
		break;
	case STORE_INVALID:		/* only a region can be unknown */
		http_error(r, 422, "invalid_value", "region", "no centre is "
		    "in region %s", j->pickup.region);
		break;
	case STORE_CONFLICT:
		http_error(r, 409, "conflict", j->conflict_key ?
		    "Idempotency-Key" : "reference",
		    "pickup %lld already has this %s with a different body",
		    (long long)j->row.id, j->conflict_key ?
		    "Idempotency-Key" : "reference");
		break;
	default:
		http_store_failed(r, j->result, j->cause);
		break;
	}
	commit_job_free(j);
}

static int
api_idem_key(struct http_req *r, const char **key)
{
	size_t	i, len;

	if ((*key = http_header(r, "Idempotency-Key")) == NULL)
		return 0;
	len = strlen(*key);
	for (i = 0; i < len; i++)
		if ((unsigned char)(*key)[i] < 0x21 ||
		    (unsigned char)(*key)[i] > 0x7e)
			break;
	if (len == 0 || len > IDEM_KEY_MAX || i != len) {
		http_error(r, 400, "invalid_value", "Idempotency-Key",
		    "Idempotency-Key must be 1 to %d visible ASCII characters",
		    IDEM_KEY_MAX);
		return -1;
	}
	return 0;
}

/*
 * Read and validate a submission into *p (its operator and key set);
 * replies the 4xx itself and returns -1 when the request is bad.
 */
static int
api_pickup_read(struct http_req *r, struct pickup_new *p)
{
	struct pickup_limits	 lim;
	struct api_error	 err;
	const char		*key;
	json_t			*in;

	if (!http_json_content(r) || api_idem_key(r, &key) == -1 ||
	    (in = http_json_body(r)) == NULL)
		return -1;
	lim.max_items = r->srv->conf->max_items;
	lim.max_window_days = r->srv->conf->max_window_days;
	/* the city's today by the planner's clock, as plans see it */
	lim.today = time_local_day(plan_now(r->srv));
	if (pickup_validate(in, r->srv->catalogue, &lim, p, &err) == -1) {
		json_decref(in);
		http_reply_error(r, &err);
		return -1;
	}
	json_decref(in);
	p->operator = xstrdup(r->operator);
	p->idem_key = key ? xstrdup(key) : NULL;
	return 0;
}

/* POST /v1/pickups */
void
api_pickups_create(struct http_req *r)
{
	struct commit_job	*j;

	j = xcalloc(1, sizeof(*j));
	if (api_pickup_read(r, &j->pickup) == -1) {
		commit_job_free(j);
		return;
	}
	j->kind = COMMIT_INSERT;
	j->done = api_create_done;
	j->arg = r;
	http_defer(r);
	commit_submit(r->srv->committer, j);
}

/*
 * POST /v1/pickups/validate: the same checks as a submission, nothing
 * stored.  200 with the pickup as it would be stored (the canonical
 * document), or the error a submission would get; booking systems use it
 * to check a form before the resident confirms.
 */
void
api_pickups_validate(struct http_req *r)
{
	struct pickup_new	 p;
	struct api_late		 late;
	struct jsonw		 w;
	char			*text;

	memset(&p, 0, sizeof(p));
	if (api_pickup_read(r, &p) == -1) {
		pickup_new_clear(&p);
		return;
	}
	api_late_get(r, p.window_from, p.window_to, &late);
	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "valid");
	jw_bool(&w, 1);
	jw_key(&w, "operator");
	jw_string(&w, p.operator);
	jw_key(&w, "pickup");
	jw_json(&w, p.body, strlen(p.body));
	api_late_members(&w, &late);
	jw_object_end(&w);
	text = jw_take(&w);
	http_reply_text(r, 200, text, strlen(text));
	x_free(text);
	x_free(late.message);
	pickup_new_clear(&p);
}

/* Parse a positive integer query parameter; -1 on garbage. */
static long long
api_query_int(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1)
		return -1;
	return v;
}

/*
 * Read status, since, limit, cursor, reference and unreported into q
 * (today: room for unreported's day); replies 400 and -1 if bad.
 */
static int
api_list_query(struct http_req *r, struct pickup_query *q, char today[11])
{
	const char	*v;

	memset(q, 0, sizeof(*q));
	q->status = -1;
	q->limit = r->srv->conf->page_limit;
	if ((v = http_query(r, "status")) != NULL &&
	    (q->status = pickup_status_parse(v)) == -1) {
		http_error(r, 400, "invalid_value", "status",
		    "unknown status \"%s\"", v);
		return -1;
	}
	if ((v = http_query(r, "since")) != NULL &&
	    time_parse(v, &q->since) == -1) {
		http_error(r, 400, "invalid_value", "since",
		    "since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		return -1;
	}
	if ((v = http_query(r, "limit")) != NULL &&
	    ((q->limit = api_query_int(v)) == -1 ||
	    q->limit > r->srv->conf->page_max)) {
		http_error(r, 400, "invalid_value", "limit",
		    "limit must be 1 to %lld", r->srv->conf->page_max);
		return -1;
	}
	if ((v = http_query(r, "cursor")) != NULL &&
	    (q->after_id = api_query_int(v)) == -1) {
		http_error(r, 400, "invalid_value", "cursor",
		    "cursor is not one this server gave");
		return -1;
	}
	if ((v = http_query(r, "reference")) != NULL &&
	    (*v == '\0' || !utf8_valid(v, strlen(v)))) {
		http_error(r, 400, "invalid_value", "reference",
		    "reference must be a non-empty UTF-8 string");
		return -1;
	}
	q->reference = v;
	/* unreported: scheduled for a day gone by, no crew's report yet */
	if ((v = http_query(r, "unreported")) != NULL &&
	    strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
		http_error(r, 400, "invalid_value", "unreported",
		    "unreported must be true or false");
		return -1;
	}
	if (v != NULL && strcmp(v, "true") == 0) {
		if (q->status != -1 && q->status != PICKUP_SCHEDULED) {
			http_error(r, 400, "invalid_value", "status",
			    "unreported pickups are scheduled ones");
			return -1;
		}
		q->status = PICKUP_SCHEDULED;
		days_to_date(time_local_day(plan_now(r->srv)), today);
		q->day_before = today;
	}
	if (r->role == ROLE_OPERATOR)
		q->operator = r->operator;
	return 0;
}

/* GET /v1/pickups?status=&since=&limit=&cursor=&reference=&unreported= */
void
api_pickups_list(struct http_req *r)
{
	struct pickup_query	 q;
	struct pickup_row	*rows;
	enum store_result	 res;
	size_t			 n, i, shown, len = 0, cap = 256;
	const char		*why;
	char			*cause = NULL, *out, *one, today[11];

	if (api_list_query(r, &q, today) == -1)
		return;
	q.limit++;		/* one more tells whether a next page exists */
	if ((res = store_pickup_list(r->srv->store, &q, &rows, &n, &cause)) !=
	    STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	shown = n < (size_t)q.limit ? n : (size_t)q.limit - 1;
	out = xmalloc(cap);
	len = snprintf(out, cap, "{\"pickups\":[");
	for (i = 0; i < shown; i++) {
		if ((why = api_pickup_damage(&rows[i], NULL, 0)) != NULL) {
			log_warnx("%s: pickup %lld: %s; listed without its "
			    "document", r->path, (long long)rows[i].id, why);
			one = api_pickup_damaged_text(&rows[i]);
		} else
			one = api_pickup_text(&rows[i], NULL, 0, 0, NULL);
		api_append(&out, &len, &cap, i ? "," : "");
		api_append(&out, &len, &cap, one);
		x_free(one);
	}
	api_append(&out, &len, &cap, "],\"next_cursor\":");
	if (n > shown) {
		xasprintf(&one, "\"%lld\"}", (long long)rows[shown - 1].id);
		api_append(&out, &len, &cap, one);
		x_free(one);
	} else
		api_append(&out, &len, &cap, "null}");
	pickup_rows_free(rows, n);
	http_reply_text(r, 200, out, len);
	x_free(out);
}

/* GET /v1/pickups/{id}; an operator sees only its own (else 404). */
void
api_pickup_get(struct http_req *r)
{
	struct pickup_row	 row;
	struct pickup_event	*ev = NULL;
	enum store_result	 res;
	size_t			 nev = 0;
	char			*cause = NULL;

	res = store_pickup_get(r->srv->store, r->id, r->role == ROLE_OPERATOR ?
	    r->operator : NULL, &row, &cause);
	if (res == STORE_OK)
		res = store_pickup_history(r->srv->store, r->id, &ev, &nev,
		    &cause);
	if (res == STORE_OK)
		api_reply_stored(r, 200, &row, ev, nev, 1, NULL);
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no pickup %lld",
		    (long long)r->id);
	else
		http_store_failed(r, res, cause);
	pickup_row_clear(&row);
	pickup_events_free(ev, nev);
	x_free(cause);
}

static void
api_cancel_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;

	switch (j->result) {
	case STORE_OK:
		api_reply_stored(r, 200, &j->row, NULL, 0, 0, NULL);
		break;
	case STORE_NOTFOUND:
		http_error(r, 404, "not_found", NULL, "no pickup %lld",
		    (long long)j->id);
		break;
	case STORE_INVALID:
		http_error(r, 409, "invalid_state", "status",
		    "pickup %lld is %s and can no longer be cancelled",
		    (long long)j->id, pickup_status_name(j->row.status));
		break;
	default:
		http_store_failed(r, j->result, j->cause);
		break;
	}
	commit_job_free(j);
}

/* POST /v1/pickups/{id}/cancel */
void
api_pickup_cancel(struct http_req *r)
{
	struct commit_job	*j = xcalloc(1, sizeof(*j));

	j->kind = COMMIT_CANCEL;
	j->id = r->id;
	j->operator = r->role == ROLE_OPERATOR ? xstrdup(r->operator) : NULL;
	j->actor = xstrdup(r->operator);
	j->done = api_cancel_done;
	j->arg = r;
	http_defer(r);
	commit_submit(r->srv->committer, j);
}

/* An amendment on its way to the writer. */
struct api_amend {
	struct pickup_amend	 a;
	struct pickup_new	 p;
	char			*old_body, *op, *actor;
};

static void
api_amend_free(struct commit_job *j)
{
	struct api_amend	*m = j->data;

	pickup_new_clear(&m->p);
	x_free(m->old_body);
	x_free(m->op);
	x_free(m->actor);
	x_free(m);
	commit_job_free(j);
}

static enum store_result
api_amend_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_amend	*m = j->data;

	return store_pickup_amend(st, &m->a, cause);
}

/*
 * The pickup as it is now, with its history, and "changed": the document's
 * members the amendment changed (none when it changed nothing); a new
 * window with no collection day is warned of (p: the amended pickup).
 */
static void
api_amend_reply(struct http_req *r, unsigned changed,
    const struct pickup_new *p)
{
	struct api_late		 late = { NULL, "" };
	struct pickup_row	 row;
	struct pickup_event	*ev = NULL;
	enum store_result	 res;
	json_t			*o = NULL, *list;
	size_t			 nev = 0;
	char			*cause = NULL, *text;
	int			 m;

	res = store_pickup_get(r->srv->store, r->id, r->role == ROLE_OPERATOR ?
	    r->operator : NULL, &row, &cause);
	if (res == STORE_OK)
		res = store_pickup_history(r->srv->store, r->id, &ev, &nev,
		    &cause);
	if (res == STORE_OK && api_pickup_damage(&row, ev, nev) == NULL) {
		if (changed & (1u << PM_WINDOW))
			api_late_get(r, p->window_from, p->window_to, &late);
		text = api_pickup_text(&row, ev, nev, 1, &late);
		x_free(late.message);
		o = json_loads(text, 0, NULL);
		x_free(text);
	}
	if (o != NULL) {
		list = json_array();
		for (m = 0; m < PM_COUNT; m++)
			if (changed & (1u << m))
				json_array_append_new(list, json_string(
				    pickup_member_name(m)));
		json_object_set_new(o, "changed", list);
		http_reply_json(r, 200, o);
	} else if (res == STORE_OK)
		http_error(r, 500, "internal", NULL, "pickup %lld was amended "
		    "but its stored record is damaged", (long long)r->id);
	else
		http_store_failed(r, res, cause);
	pickup_row_clear(&row);
	pickup_events_free(ev, nev);
	x_free(cause);
}

static void
api_amend_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_amend	*m = j->data;

	if (j->result == STORE_OK)
		api_amend_reply(r, m->a.changed, &m->p);
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no pickup %lld",
		    (long long)r->id);
	else if (j->result == STORE_INVALID && m->a.bad_region)
		http_error(r, 422, "invalid_value", "region", "no centre is "
		    "in region %s", m->p.region);
	else if (j->result == STORE_INVALID)
		http_error(r, 409, "invalid_state", "status", "pickup %lld is "
		    "%s and can no longer be amended", (long long)r->id,
		    pickup_status_name(m->a.status));
	else if (j->result == STORE_CONFLICT)
		http_error(r, 409, "conflict", NULL, "pickup %lld changed "
		    "while this amendment was made; read it and try again",
		    (long long)r->id);
	else
		http_store_failed(r, j->result, j->cause);
	api_amend_free(j);
}

/*
 * PATCH /v1/pickups/{id}: a JSON merge patch (RFC 7396) over the pickup's
 * document, validated as a submission (pickup_amend), while it is received
 * or scheduled; an operator its own pickups, staff any.  The write is
 * conditional on the document the patch was applied to (the store says
 * 409 if another amendment came first).  A patch that changes nothing
 * writes nothing.
 */
void
api_pickup_amend(struct http_req *r)
{
	struct pickup_limits	 lim;
	struct api_error	 err;
	struct pickup_row	 row;
	struct api_amend	*m;
	enum store_result	 res;
	json_t			*patch;
	char			*cause = NULL;

	if (!http_json_content(r) || (patch = http_json_body(r)) == NULL)
		return;
	res = store_pickup_get(r->srv->store, r->id, r->role == ROLE_OPERATOR ?
	    r->operator : NULL, &row, &cause);
	if (res != STORE_OK) {
		if (res == STORE_NOTFOUND)
			http_error(r, 404, "not_found", NULL, "no pickup %lld",
			    (long long)r->id);
		else
			http_store_failed(r, res, cause);
		goto out;
	}
	if (!pickup_can_amend(row.status)) {
		http_error(r, 409, "invalid_state", "status", "pickup %lld is "
		    "%s and can no longer be amended", (long long)r->id,
		    pickup_status_name(row.status));
		goto out;
	}
	m = xcalloc(1, sizeof(*m));
	lim.max_items = r->srv->conf->max_items;
	lim.max_window_days = r->srv->conf->max_window_days;
	/* the city's today by the planner's clock, as plans see it */
	lim.today = time_local_day(plan_now(r->srv));
	if (pickup_amend(row.body ? row.body : "", patch, r->srv->catalogue,
	    &lim, &m->p, &m->a.changed, &err) == -1) {
		http_reply_error(r, &err);
		pickup_new_clear(&m->p);
		x_free(m);
		goto out;
	}
	if (m->a.changed == 0) {
		api_amend_reply(r, 0, &m->p);
		pickup_new_clear(&m->p);
		x_free(m);
		goto out;
	}
	m->old_body = row.body;
	row.body = NULL;
	m->op = r->role == ROLE_OPERATOR ? xstrdup(r->operator) : NULL;
	m->actor = xstrdup(r->operator);
	m->a.id = r->id;
	m->a.op = m->op;
	m->a.old_body = m->old_body;
	m->a.p = &m->p;
	m->a.actor = m->actor;
	m->a.now = plan_now(r->srv);
	http_defer(r);
	commit_call(r->srv->committer, api_amend_apply, m, api_amend_done, r);
out:
	json_decref(patch);
	pickup_row_clear(&row);
	x_free(cause);
}

/* Queue a pin or event write for r; done() replies. */
void
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

/* Free j and its struct api_write (from a done callback). */
void
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

/* Read an event body into kind, code, stream, kg; -1 with *e. */
static int
api_event_parse(json_t *in, enum field_kind *kind, const char **code,
    int *stream, double *kg, struct api_error *e)
{
	const char	*type, *k;
	json_t		*v;

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
		if (field_code_parse(*code) < 0) {
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
