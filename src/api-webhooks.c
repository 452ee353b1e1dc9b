/*
 * api-webhooks.c -- /v1/webhooks: an operator's (or an admin's, for an
 * operator) registrations, and what became of their deliveries.
 *
 * What a registration may say is webhook.c's; writes go through the
 * group commit like every other (the 201 is sent once it is on disk).
 * An operator sees and removes only its own webhooks; staff see all;
 * admins remove any.  A secret is write-only: no reply carries it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define WH_LIST_DEFAULT	100
#define WH_LIST_MAX	1000

static void
wh_add_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;
	struct webhook	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 201, wh_json(w));
	else
		http_store_failed(r, j->result, j->cause);
	webhook_clear(w);
	x_free(w);
	commit_job_free(j);
}

static enum store_result
wh_add_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct webhook	*w = j->data;

	return store_webhook_add(st, w, w->created, &w->id, cause);
}

/* POST /v1/webhooks {"url", "events", "secret"[, "operator"]} */
void
api_webhooks_create(struct http_req *r)
{
	struct api_error	 e;
	struct webhook		*w;
	json_t			*in;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	w = xcalloc(1, sizeof(*w));
	if (wh_parse(in, r->role, r->operator, w, &e) == -1) {
		json_decref(in);
		x_free(w);
		http_reply_error(r, &e);
		return;
	}
	json_decref(in);
	w->created = plan_now(r->srv);
	http_defer(r);
	commit_call(r->srv->committer, wh_add_apply, w, wh_add_done, r);
}

/* The webhooks r may see: an operator's own, anyone's for staff. */
static enum store_result
wh_visible(struct http_req *r, int64_t id, struct webhook **w, size_t *n)
{
	enum store_result	 res;
	char			*cause = NULL;

	res = store_webhook_list(r->srv->store, r->role == ROLE_OPERATOR ?
	    r->operator : NULL, id, w, n, &cause);
	if (res != STORE_OK)
		http_store_failed(r, res, cause);
	x_free(cause);
	return res;
}

/* GET /v1/webhooks */
void
api_webhooks_list(struct http_req *r)
{
	struct webhook	*w;
	json_t		*list;
	size_t		 n, i;

	if (wh_visible(r, 0, &w, &n) != STORE_OK)
		return;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, wh_json(&w[i]));
	webhooks_free(w, n);
	http_reply_json(r, 200, json_pack("{s:o}", "webhooks", list));
}

/* GET /v1/webhooks/{id} */
void
api_webhook_get(struct http_req *r)
{
	struct webhook	*w;
	size_t		 n;

	if (wh_visible(r, r->id, &w, &n) != STORE_OK)
		return;
	if (n == 0)
		http_error(r, 404, "not_found", NULL, "no webhook %lld",
		    (long long)r->id);
	else
		http_reply_json(r, 200, wh_json(&w[0]));
	webhooks_free(w, n);
}

/* A write on one webhook (remove, redeliver), queued to the group commit. */
struct wh_write {
	int64_t	 id, now;
	char	*op;		/* NULL: an admin, any operator's */
	int64_t	 since;		/* redeliver: dead ones created from then */
	long	 count;		/* redeliver: how many */
};

/* Queue apply on webhook r->id for r's caller; done() replies. */
static void
wh_write_call(struct http_req *r, int64_t since,
    enum store_result (*apply)(struct store *, struct commit_job *, char **),
    void (*done)(struct commit_job *, void *))
{
	struct wh_write	*w = xcalloc(1, sizeof(*w));

	w->id = r->id;
	w->since = since;
	w->now = plan_now(r->srv);
	w->op = r->role == ROLE_ADMIN ? NULL : xstrdup(r->operator);
	http_defer(r);
	commit_call(r->srv->committer, apply, w, done, r);
}

/* Free j and its struct wh_write (from a done callback). */
static void
wh_write_free(struct commit_job *j)
{
	struct wh_write	*w = j->data;

	x_free(w->op);
	x_free(w);
	commit_job_free(j);
}

static enum store_result
wh_remove_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct wh_write	*w = j->data;

	return store_webhook_remove(st, w->id, w->op, w->now, cause);
}

static void
wh_remove_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;
	struct wh_write	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:I, s:b}", "id",
		    (json_int_t)w->id, "removed", 1));
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no webhook %lld",
		    (long long)w->id);
	else
		http_store_failed(r, j->result, j->cause);
	wh_write_free(j);
}

/*
 * DELETE /v1/webhooks/{id}: no more deliveries; the pending ones are
 * dead ("the webhook was removed").  The rows stay in the store.
 */
void
api_webhook_delete(struct http_req *r)
{
	wh_write_call(r, 0, wh_remove_apply, wh_remove_done);
}

static enum store_result
wh_redeliver_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct wh_write	*w = j->data;

	return store_webhook_redeliver(st, w->id, w->op, w->since, w->now,
	    &w->count, cause);
}

static void
wh_redeliver_done(struct commit_job *j, void *arg)
{
	struct http_req	*r = arg;
	struct wh_write	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:I, s:I}", "id",
		    (json_int_t)w->id, "redelivered", (json_int_t)w->count));
	else if (j->result == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no webhook %lld",
		    (long long)w->id);
	else if (j->result == STORE_INVALID)
		http_error(r, 409, "invalid_state", NULL, "webhook %lld was "
		    "removed: its deliveries cannot be sent", (long long)w->id);
	else
		http_store_failed(r, j->result, j->cause);
	wh_write_free(j);
}

/*
 * POST /v1/webhooks/{id}/redeliver[?since=]: the webhook's dead deliveries
 * (created since then, if given) are pending again, to be sent at once:
 * the receiver was down longer than webhook_max_age and is back.
 */
void
api_webhook_redeliver(struct http_req *r)
{
	const char	*v;
	int64_t		 since = 0;

	if ((v = http_query(r, "since")) != NULL &&
	    time_parse(v, &since) == -1) {
		http_error(r, 400, "invalid_value", "since", "since must be "
		    "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		return;
	}
	wh_write_call(r, since, wh_redeliver_apply, wh_redeliver_done);
}

static json_t *
wh_delivery_json(const struct wh_delivery *d)
{
	json_t	*o, *data;
	char	 when[21];

	data = json_loads(d->data ? d->data : "{}", 0, NULL);
	time_format(d->created, when);
	o = json_pack("{s:I, s:s, s:I, s:s, s:i, s:s}", "id",
	    (json_int_t)d->id, "event", d->event, "pickup",
	    (json_int_t)d->pickup, "state", d->state, "attempts", d->attempts,
	    "created", when);
	if (o == NULL) {
		json_decref(data);
		return NULL;
	}
	json_object_set_new(o, "data", data ? data : json_null());
	if (strcmp(d->state, "pending") == 0) {
		time_format(d->next_at, when);
		json_object_set_new(o, "next_attempt", json_string(when));
	}
	if (d->last_at != 0) {
		time_format(d->last_at, when);
		json_object_set_new(o, "last_attempt", json_string(when));
		json_object_set_new(o, "last_status", d->last_status ?
		    json_integer(d->last_status) : json_null());
	}
	if (d->last_error != NULL)
		json_object_set_new(o, "last_error", json_string(d->last_error));
	if (d->delivered != 0) {
		time_format(d->delivered, when);
		json_object_set_new(o, "delivered", json_string(when));
	}
	return o;
}

/* GET /v1/webhooks/{id}/deliveries?state=&limit=, newest first */
void
api_webhook_deliveries(struct http_req *r)
{
	struct webhook		*w;
	struct wh_delivery	*d;
	enum store_result	 res;
	const char		*state = http_query(r, "state"), *v;
	json_t			*list, *one;
	size_t			 n, i;
	char			*cause = NULL, *end;
	long			 limit = WH_LIST_DEFAULT;

	if (state != NULL && strcmp(state, "pending") != 0 &&
	    strcmp(state, "delivered") != 0 && strcmp(state, "dead") != 0) {
		http_error(r, 400, "invalid_value", "state", "state must be "
		    "pending, delivered or dead");
		return;
	}
	if ((v = http_query(r, "limit")) != NULL) {
		limit = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || limit < 1 ||
		    limit > WH_LIST_MAX) {
			http_error(r, 400, "invalid_value", "limit", "limit "
			    "must be 1 to %d", WH_LIST_MAX);
			return;
		}
	}
	if (wh_visible(r, r->id, &w, &n) != STORE_OK)
		return;
	webhooks_free(w, n);
	if (n == 0) {
		http_error(r, 404, "not_found", NULL, "no webhook %lld",
		    (long long)r->id);
		return;
	}
	res = store_webhook_deliveries(r->srv->store, r->id, state,
	    (int)limit, &d, &n, &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		if ((one = wh_delivery_json(&d[i])) != NULL)
			json_array_append_new(list, one);
	wh_deliveries_free(d, n);
	http_reply_json(r, 200, json_pack("{s:I, s:o}", "webhook",
	    (json_int_t)r->id, "deliveries", list));
}
