/*
 * api-status.c -- GET /healthz (no auth) and GET /v1/status.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "recircd.h"

/* 200 "ok", or 503 "draining" so a load balancer stops sending work. */
void
api_healthz(struct http_req *r)
{
	http_reply_json(r, r->srv->draining ? 503 : 200, json_pack(
	    "{s:s, s:s}", "status", r->srv->draining ? "draining" : "ok",
	    "version", RECIRC_VERSION));
}

/* Version, uptime and pickup counts by status (an operator: its own). */
void
api_status(struct http_req *r)
{
	long long		 counts[PICKUP_STATUS_COUNT];
	enum store_result	 res;
	struct plan_row		 cur;
	struct commit_stats	 cs;
	json_t			*byst, *plan, *kpis;
	char			*cause = NULL, when[21], done[21];
	long			 nopen, nrefused, nexpired;
	int			 i;

	res = store_pickup_counts(r->srv->store, r->role == ROLE_OPERATOR ?
	    r->operator : NULL, counts, &cause);
	if (res != STORE_OK) {
		log_warnx("status: %s", cause);
		x_free(cause);
		http_error(r, 503, "unavailable", NULL,
		    "storage unavailable, retry later");
		return;
	}
	byst = json_object();
	for (i = 0; i < PICKUP_STATUS_COUNT; i++)
		json_object_set_new(byst, pickup_status_name(i),
		    json_integer(counts[i]));
	memset(&cur, 0, sizeof(cur));
	if (store_plan_get(r->srv->store, 0, &cur, &cause) == STORE_OK) {
		/* The members recircctl's status line shows, and more. */
		kpis = json_loads(cur.kpis ? cur.kpis : "{}", 0, NULL);
		time_format(cur.created, when);
		time_format(cur.finished, done);
		plan = json_pack("{s:I,s:s,s:s,s:f,s:I,s:{s:s,s:i}}", "id",
		    (json_int_t)cur.id, "created", when, "finished", done,
		    "cost", cur.best_cost, "unassigned", (json_int_t)
		    json_integer_value(json_object_get(json_object_get(kpis,
		    "pickups"), "deferred")), "horizon", "from",
		    cur.horizon_from, "days", cur.horizon_days);
		json_decref(kpis);
	} else
		plan = json_null();
	plan_row_clear(&cur);
	x_free(cause);
	commit_stats(r->srv->committer, &cs);
	http_conn_counts(r->srv, &nopen, &nrefused, &nexpired);
	http_reply_json(r, 200, json_pack("{s:s, s:I, s:s, s:s, s:o, s:o, "
	    "s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}}",
	    "version", RECIRC_VERSION,
	    "uptime_s", (json_int_t)(time(NULL) - r->srv->started),
	    "operator", r->operator, "role", role_name(r->role),
	    "pickups", byst, "plan", plan,
	    "group_commit", "transactions", (json_int_t)cs.batches,
	    "writes", (json_int_t)cs.jobs, "syncs", (json_int_t)cs.syncs,
	    "connections", "open", (json_int_t)nopen,
	    "refused", (json_int_t)nrefused,
	    "timed_out", (json_int_t)nexpired));
}
