/*
 * api-status.c -- GET /healthz (no auth), GET /v1/status, and GET /metrics
 * (the same and more in Prometheus's text format, for staff tokens).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
/*
 * The delivery worker's counters since start and the outbox now:
 * pending deliveries and the age of the oldest.
 */
static json_t *
api_webhook_status(struct http_req *r)
{
	long long	 delivered, failed, dead, pending;
	int64_t		 oldest;
	char		*cause = NULL;

	webhook_counts(r->srv, &delivered, &failed, &dead);
	if (store_webhook_pending(r->srv->store, &pending, &oldest, &cause) !=
	    STORE_OK) {
		log_warnx("status: %s", cause);
		x_free(cause);
		return json_null();
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "pending",
	    (json_int_t)pending, "oldest_pending_s", (json_int_t)(pending ?
	    plan_now(r->srv) - oldest : 0), "delivered", (json_int_t)delivered,
	    "retried", (json_int_t)failed, "dead", (json_int_t)dead);
}

#define API_STATUS_DATES 10	/* closed dates shown from today on */

void
api_status(struct http_req *r)
{
	long long		 counts[PICKUP_STATUS_COUNT];
	enum store_result	 res;
	struct plan_row		 cur;
	struct commit_stats	 cs;
	json_t			*byst, *plan, *kpis, *next, *closed;
	char			*cause = NULL, when[21], done[21], at[26];
	int64_t			 nextrun;
	long			 nopen, nrefused, nexpired;
	long long		 rhits, rmisses, rrequests, rfailures;
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
	/* the nightly schedule's next run, on the city's wall clock */
	if ((nextrun = plan_next_run(r->srv)) != 0) {
		time_format_local(nextrun, at);
		next = json_string(at);
	} else
		next = json_null();
	commit_stats(r->srv->committer, &cs);
	http_conn_counts(r->srv, &nopen, &nrefused, &nexpired);
	roads_counts(&rhits, &rmisses, &rrequests, &rfailures);
	closed = cal_json(&r->srv->conf->cal,
	    time_local_day(plan_now(r->srv)), API_STATUS_DATES);
	http_reply_json(r, 200, json_pack("{s:s, s:I, s:s, s:s, s:o, s:o, s:o, "
	    "s:o, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:o, s:{s:s, s:I, "
	    "s:I, s:I, s:I}}",
	    "version", RECIRC_VERSION,
	    "uptime_s", (json_int_t)(time(NULL) - r->srv->started),
	    "operator", r->operator, "role", role_name(r->role),
	    "pickups", byst, "plan", plan, "next_plan", next, "closed", closed,
	    "group_commit", "transactions", (json_int_t)cs.batches,
	    "writes", (json_int_t)cs.jobs, "syncs", (json_int_t)cs.syncs,
	    "connections", "open", (json_int_t)nopen,
	    "refused", (json_int_t)nrefused,
	    "timed_out", (json_int_t)nexpired,
	    "webhooks", api_webhook_status(r),
	    "router", "kind", roads_url(r->srv->conf) ? "osrm" : "haversine",
	    "cache_hits", (json_int_t)rhits, "cache_misses",
	    (json_int_t)rmisses, "requests", (json_int_t)rrequests,
	    "failures", (json_int_t)rfailures));
}

/* map-assets.c: doc/openapi.json, embedded at build time */
extern const char *const openapi_doc[];

/*
 * GET /v1/openapi.json: the OpenAPI 3.1 description of the API, kept in
 * doc/openapi.json; tests/unit-openapi checks it against api.c's table.
 */
void
api_openapi(struct http_req *r)
{
	http_reply_typed(r, 200, "application/json; charset=utf-8",
	    openapi_doc[0], strlen(openapi_doc[0]));
}

/* A metric's HELP and TYPE lines. */
static void
api_metric(char **t, const char *name, const char *type,
    const char *help)
{
	xappendf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
api_metrics_request(void *arg, const char *route, const char *method,
    int status, unsigned long long n)
{
	/* Patterns are [a-z0-9/{}_-]: nothing to escape in a label. */
	xappendf(arg, "recircd_http_requests_total{route=\"%s\",method="
	    "\"%s\",code=\"%d\"} %llu\n", route, method, status, n);
}

static void
api_metrics_router(char **t)
{
	long long	hits, misses, requests, failures;

	roads_counts(&hits, &misses, &requests, &failures);
	api_metric(t, "recircd_router_cache_legs_total", "counter",
	    "Road legs a plan needed, by where they came from (hit: the "
	    "cache; miss: the router).");
	xappendf(t, "recircd_router_cache_legs_total{result=\"hit\"} %lld\n"
	    "recircd_router_cache_legs_total{result=\"miss\"} %lld\n", hits,
	    misses);
	api_metric(t, "recircd_router_requests_total", "counter",
	    "Table requests sent to the road router, retries included.");
	xappendf(t, "recircd_router_requests_total %lld\n", requests);
	api_metric(t, "recircd_router_failures_total", "counter",
	    "Plans whose road legs the router could not give.");
	xappendf(t, "recircd_router_failures_total %lld\n", failures);
}

static void
api_metrics_webhooks(struct http_req *r, char **t)
{
	long long	 delivered, failed, dead, pending;
	int64_t		 oldest;
	char		*cause = NULL;

	webhook_counts(r->srv, &delivered, &failed, &dead);
	api_metric(t, "recircd_webhook_deliveries_total", "counter",
	    "Webhook delivery attempts since start, by outcome (retried: "
	    "failed, to be tried again; dead: failed and given up).");
	xappendf(t, "recircd_webhook_deliveries_total{outcome=\"delivered\"} "
	    "%lld\n", delivered);
	xappendf(t, "recircd_webhook_deliveries_total{outcome=\"retried\"} "
	    "%lld\n", failed);
	xappendf(t, "recircd_webhook_deliveries_total{outcome=\"dead\"} "
	    "%lld\n", dead);
	if (store_webhook_pending(r->srv->store, &pending, &oldest, &cause) !=
	    STORE_OK) {
		log_warnx("metrics: %s", cause);
		x_free(cause);
		return;
	}
	api_metric(t, "recircd_webhook_pending", "gauge",
	    "Webhook deliveries waiting to be sent or retried.");
	xappendf(t, "recircd_webhook_pending %lld\n", pending);
	api_metric(t, "recircd_webhook_queue_age_seconds", "gauge",
	    "Age of the oldest pending webhook delivery (0: none).");
	xappendf(t, "recircd_webhook_queue_age_seconds %lld\n", pending ?
	    (long long)(plan_now(r->srv) - oldest) : 0LL);
}

/*
 * GET /metrics: Prometheus's text exposition format (version 0.0.4).
 * Counters since start-up: requests answered by route, method and status,
 * connections refused and timed out, the group commit's work; gauges:
 * connections open, pickups by status, the current plan.
 */
void
api_metrics(struct http_req *r)
{
	char			*t = NULL;
	struct commit_stats	 cs;
	struct plan_row		 cur;
	const struct metrics_hist *latency, *plan_seconds;
	unsigned long long	 done, failed;
	json_t			*kpis;
	long long		 counts[PICKUP_STATUS_COUNT];
	long			 nopen, nrefused, nexpired;
	char			*cause = NULL;
	int64_t			 next;
	int			 i;

	api_metric(&t, "recircd_build_info", "gauge", "The running version.");
	xappendf(&t, "recircd_build_info{version=\"%s\"} 1\n",
	    RECIRC_VERSION);
	api_metric(&t, "recircd_uptime_seconds", "gauge",
	    "Seconds since the daemon started.");
	xappendf(&t, "recircd_uptime_seconds %lld\n",
	    (long long)(time(NULL) - r->srv->started));
	api_metric(&t, "recircd_http_requests_total", "counter",
	    "Requests answered, by route pattern, method and status.");
	metrics_each(r->srv, api_metrics_request, &t);
	http_conn_counts(r->srv, &nopen, &nrefused, &nexpired);
	api_metric(&t, "recircd_http_connections", "gauge",
	    "Client connections open.");
	xappendf(&t, "recircd_http_connections %ld\n", nopen);
	api_metric(&t, "recircd_http_connections_refused_total", "counter",
	    "Connections refused over max_connections or "
	    "max_connections_per_peer.");
	xappendf(&t, "recircd_http_connections_refused_total %ld\n",
	    nrefused);
	api_metric(&t, "recircd_http_connections_timed_out_total", "counter",
	    "Connections closed at the header deadline.");
	xappendf(&t, "recircd_http_connections_timed_out_total %ld\n",
	    nexpired);
	commit_stats(r->srv->committer, &cs);
	api_metric(&t, "recircd_commit_transactions_total", "counter",
	    "Group-commit transactions.");
	xappendf(&t, "recircd_commit_transactions_total %llu\n",
	    (unsigned long long)cs.batches);
	api_metric(&t, "recircd_commit_writes_total", "counter",
	    "Writes (submissions, cancellations, admin writes) committed.");
	xappendf(&t, "recircd_commit_writes_total %llu\n",
	    (unsigned long long)cs.jobs);
	api_metric(&t, "recircd_commit_syncs_total", "counter",
	    "Syncs of the write-ahead log.");
	xappendf(&t, "recircd_commit_syncs_total %llu\n",
	    (unsigned long long)cs.syncs);
	api_metric(&t, "recircd_commit_batch_writes", "histogram",
	    "Writes per group-commit transaction.");
	metrics_hist_write(&t, "recircd_commit_batch_writes", &cs.batch_size);
	api_metric(&t, "recircd_commit_sync_seconds", "histogram",
	    "Time each sync of the write-ahead log took.");
	metrics_hist_write(&t, "recircd_commit_sync_seconds",
	    &cs.sync_seconds);
	metrics_get(r->srv, &latency, &plan_seconds, &done, &failed);
	api_metric(&t, "recircd_http_request_duration_seconds", "histogram",
	    "Time from a request's arrival to its reply (a durable write's "
	    "includes its commit).");
	metrics_hist_write(&t, "recircd_http_request_duration_seconds",
	    latency);
	api_metric(&t, "recircd_plan_runs_total", "counter",
	    "Plans run since start, by outcome.");
	xappendf(&t, "recircd_plan_runs_total{outcome=\"done\"} %llu\n"
	    "recircd_plan_runs_total{outcome=\"failed\"} %llu\n", done, failed);
	api_metric(&t, "recircd_plan_duration_seconds", "histogram",
	    "Time from a plan's start to its end, done or failed.");
	metrics_hist_write(&t, "recircd_plan_duration_seconds", plan_seconds);
	if (store_pickup_counts(r->srv->store, NULL, counts, &cause) ==
	    STORE_OK) {
		api_metric(&t, "recircd_pickups", "gauge",
		    "Pickups stored, by status.");
		for (i = 0; i < PICKUP_STATUS_COUNT; i++)
			xappendf(&t, "recircd_pickups{status=\"%s\"} %lld\n",
			    pickup_status_name(i), counts[i]);
	} else {
		log_warnx("metrics: %s", cause);
		x_free(cause);
		cause = NULL;
	}
	memset(&cur, 0, sizeof(cur));
	if (store_plan_get(r->srv->store, 0, &cur, &cause) == STORE_OK) {
		api_metric(&t, "recircd_plan_current_id", "gauge",
		    "The current plan's id.");
		xappendf(&t, "recircd_plan_current_id %lld\n",
		    (long long)cur.id);
		api_metric(&t, "recircd_plan_current_cost", "gauge",
		    "The current plan's cost.");
		xappendf(&t, "recircd_plan_current_cost %.2f\n",
		    cur.best_cost);
		api_metric(&t, "recircd_plan_current_finished_seconds",
		    "gauge", "When the current plan was done (Unix time).");
		xappendf(&t, "recircd_plan_current_finished_seconds %lld\n",
		    (long long)cur.finished);
		kpis = json_loads(cur.kpis ? cur.kpis : "{}", 0, NULL);
		api_metric(&t, "recircd_plan_current_km", "gauge",
		    "The current plan's driving distance, km.");
		xappendf(&t, "recircd_plan_current_km %.1f\n",
		    json_number_value(json_object_get(kpis, "km")));
		json_decref(kpis);
	}
	plan_row_clear(&cur);
	x_free(cause);
	/* alert on a nightly plan overdue: finished < next run - a day */
	if ((next = plan_next_run(r->srv)) != 0) {
		api_metric(&t, "recircd_plan_next_run_seconds", "gauge",
		    "When the nightly schedule queues the next plan (Unix "
		    "time; absent without plan_at).");
		xappendf(&t, "recircd_plan_next_run_seconds %lld\n",
		    (long long)next);
	}
	api_metrics_webhooks(r, &t);
	api_metrics_router(&t);
	http_reply_typed(r, 200, "text/plain; version=0.0.4; charset=utf-8",
	    t, strlen(t));
	free(t);
}
