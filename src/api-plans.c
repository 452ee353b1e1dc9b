/*
 * api-plans.c -- /v1/plans: run a plan, list plans, show one with its
 * KPIs and what the field reported on it.
 *
 * Translates only: plan.c decides when and how plans run, plan-build.c
 * what a plan is, the store what a plan row holds.  A plan's routes,
 * manifests and dispatch are api-routes.c's.  Every handler ends in
 * exactly one reply.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "recircd.h"

#define PLAN_LIST_MAX	50

/* An instant as JSON: "YYYY-MM-DDTHH:MM:SSZ", or null for 0. */
json_t *
api_time(int64_t t)
{
	char	buf[21];

	if (t == 0)
		return json_null();
	time_format(t, buf);
	return json_string(buf);
}

/* Parse stored JSON text, or null. */
static json_t *
api_json_text(const char *text)
{
	json_t	*v;

	if (text == NULL || (v = json_loads(text, 0, NULL)) == NULL)
		return json_null();
	return v;
}

/*
 * The plan as JSON.  Its texts are made valid UTF-8 first: a reason may
 * hold what a solver wrote, stored before such text was cleaned, and a
 * string jansson refuses would drop the plan from every reply.
 */
static json_t *
api_plan_json(struct http_req *r, struct plan_row *p, int64_t current)
{
	struct field_rates	 fr;
	struct field_filter	 f = { 0, 0, INT64_MAX, NULL };
	json_t			*o, *kpis;
	char			*cause = NULL;
	char			**text[] = { &p->phase, &p->trigger,
				    &p->requested_by, &p->reason };
	size_t			 i;
	int64_t			 deadline;
	long long		 day0;
	unsigned char		*flags;
	json_t			*closed;

	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (*text[i] != NULL)
			utf8_sanitize(*text[i]);
	/* The closed days it was queued with (cal_days_text's list). */
	day0 = date_to_days(p->horizon_from);
	flags = cal_days_parse(p->horizon_closed, day0, p->horizon_days);
	closed = cal_days_json(flags, day0, p->horizon_days);
	x_free(flags);
	o = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:{s:s,s:i,s:o},s:o,s:o,s:o,"
	    "s:o,s:s?,s:o,s:b,s:s?,s:s?}", "id", (json_int_t)p->id, "state",
	    p->state,
	    "phase", p->phase, "trigger", p->trigger, "requested_by",
	    p->requested_by, "horizon", "from", p->horizon_from, "days",
	    p->horizon_days, "closed", closed, "best_cost", p->has_best ?
	    json_real(p->best_cost) : json_null(), "created",
	    api_time(p->created), "started", api_time(p->started),
	    "finished", api_time(p->finished), "reason", p->reason,
	    "previous", p->previous ? json_integer(p->previous) : json_null(),
	    "current", p->id == current, "region", p->region, "node",
	    p->node);
	if (strcmp(p->state, "running") == 0 && p->started)
		json_object_set_new(o, "elapsed_s", json_integer(
		    plan_now(r->srv) - p->started));
	/* While the solver runs: when it will be stopped, and how soon. */
	if (strcmp(p->state, "running") == 0 &&
	    (deadline = plan_deadline(r->srv, p->id)) != 0) {
		json_object_set_new(o, "deadline", api_time(deadline));
		json_object_set_new(o, "remaining_s", json_integer(deadline >
		    plan_now(r->srv) ? deadline - plan_now(r->srv) : 0));
	}
	kpis = api_json_text(p->kpis);
	if (json_is_object(kpis)) {
		f.plan = p->id;
		if (store_field_rates(r->srv->store, &f, &fr, &cause) ==
		    STORE_OK)
			json_object_set_new(kpis, "field", api_field_json(&fr));
		x_free(cause);
	}
	json_object_set_new(o, "kpis", kpis);
	json_object_set_new(o, "changes", api_json_text(p->changes));
	return o;
}

/* Do two plans cover the same region (NULL: the whole network)? */
static int
api_same_region(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/*
 * Is region (NULL: none asked for) one the centres name?  0, or -1 with
 * *e (or the store's failure, replied).
 */
static int
api_region_check(struct http_req *r, const char *region, struct api_error *e)
{
	enum store_result	 res;
	struct network		 net;
	size_t			 i;
	int			 found = 0;
	char			*cause = NULL;

	if (region == NULL)
		return 0;
	if ((res = store_network_load(r->srv->store, &net, &cause)) !=
	    STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return -1;
	}
	for (i = 0; i < net.ncentres && !found; i++)
		found = strcmp(net.centres[i].region, region) == 0;
	network_clear(&net);
	if (!found) {
		api_error_set(e, 422, "invalid_value", "region", "no centre is "
		    "in region %s", region);
		http_reply_error(r, e);
		return -1;
	}
	return 0;
}

/* POST /v1/plans, body optional: {"days": N, "region": "NAME"}. */
void
api_plans_create(struct http_req *r)
{
	struct api_error	 e;
	enum store_result	 res;
	json_t			*in = NULL, *v, *g;
	int64_t			 id;
	int			 days = (int)r->srv->conf->plan_days;
	char			*cause = NULL, loc[64], *region = NULL;

	if (r->body_len > 0 && (!http_json_content(r) ||
	    (in = http_json_body(r)) == NULL))
		return;
	memset(&e, 0, sizeof(e));
	if (in != NULL) {
		v = json_object_get(in, "days");
		g = json_object_get(in, "region");
		if (!json_is_object(in) || json_object_size(in) >
		    (v != NULL ? 1u : 0u) + (g != NULL ? 1u : 0u))
			api_error_set(&e, 422, "unknown_field", "",
			    "the body may only hold \"days\" and \"region\"");
		else if (v != NULL && (!json_is_integer(v) ||
		    json_integer_value(v) < 1 || json_integer_value(v) > 28))
			api_error_set(&e, 422, "out_of_range", "days",
			    "days must be a whole number from 1 to 28");
		else if (g != NULL && (!json_is_string(g) ||
		    !network_id_valid(json_string_value(g))))
			api_error_set(&e, 422, "invalid_value", "region",
			    "region must be 1 to %d of A-Z a-z 0-9 . _ -",
			    NET_ID_MAX - 1);
		else {
			if (v != NULL)
				days = (int)json_integer_value(v);
			if (g != NULL)
				region = xstrdup(json_string_value(g));
		}
		json_decref(in);
		if (e.status != 0) {
			http_reply_error(r, &e);
			return;
		}
	}
	if (api_region_check(r, region, &e) == -1) {
		x_free(region);
		return;
	}
	res = plan_enqueue(r->srv, "manual", r->operator, days, region, NULL,
	    &id, &cause);
	x_free(region);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	snprintf(loc, sizeof(loc), "/v1/plans/%lld", (long long)id);
	http_set_header(r, "Location", loc);
	http_reply_json(r, 202, json_pack("{s:I,s:s,s:s}", "id",
	    (json_int_t)id, "state", "queued", "href", loc));
}

/* GET /v1/plans: the newest plans, newest first. */
void
api_plans_list(struct http_req *r)
{
	struct plan_row		*rows;
	enum store_result	 res;
	size_t			 n, i, j;
	int64_t			 cur;
	json_t			*a, *p;
	char			*cause = NULL;

	res = store_plan_list(r->srv->store, PLAN_LIST_MAX, &rows, &n, &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	a = json_array();
	for (i = 0; i < n; i++) {
		/* Newest first: the first done one of its region. */
		for (j = 0, cur = 0; j < n && cur == 0; j++)
			if (strcmp(rows[j].state, "done") == 0 &&
			    api_same_region(rows[j].region, rows[i].region))
				cur = rows[j].id;
		p = api_plan_json(r, &rows[i], cur);
		json_object_del(p, "kpis");
		json_object_del(p, "changes");
		json_array_append_new(a, p);
	}
	plan_rows_free(rows, n);
	http_reply_json(r, 200, json_pack("{s:o}", "plans", a));
}

/* Load plan id (0: current) or reply 404/5xx and return -1. */
int
api_plan_load(struct http_req *r, int64_t id, struct plan_row *p)
{
	enum store_result	 res;
	char			*cause = NULL;

	if ((res = store_plan_get(r->srv->store, id, p, &cause)) == STORE_OK)
		return 0;
	if (res == STORE_NOTFOUND && id == 0)
		http_error(r, 404, "not_found", NULL, "no plan has finished "
		    "yet; POST /v1/plans runs one");
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no plan %lld",
		    (long long)id);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
	plan_row_clear(p);
	return -1;
}

/* GET /v1/plans/{id} */
void
api_plan_get(struct http_req *r)
{
	struct plan_row		 p;
	enum store_result	 res;
	int64_t			 current;
	char			*cause = NULL;

	if (api_plan_load(r, r->id, &p) == -1)
		return;
	/* Its region's current plan, for the "current" flag. */
	if ((res = store_plan_current(r->srv->store, p.region, &current,
	    &cause)) == STORE_OK)
		http_reply_json(r, 200, api_plan_json(r, &p, current));
	else
		http_store_failed(r, res, cause);
	x_free(cause);
	plan_row_clear(&p);
}

/* GET /v1/plans/current */
void
api_plan_current(struct http_req *r)
{
	struct plan_row	p;

	if (api_plan_load(r, 0, &p) == -1)
		return;
	http_reply_json(r, 200, api_plan_json(r, &p, p.id));
	plan_row_clear(&p);
}
