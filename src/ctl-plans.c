/*
 * ctl-plans.c -- "recircctl plan run|show|list" and "recircctl kpi".
 *
 * The client side of /v1/plans.  plan run queues a plan (POST, 202 and an
 * id) and with --wait polls GET /v1/plans/{id} until the plan is done or
 * failed, drawing a progress line (phase, best cost so far, time left to
 * the solver's deadline) only when stderr is a terminal, so scripts and
 * pipes see the result alone; plan show ID --wait attaches to a plan the
 * same way.  The daemon bounds every solve (solve_timeout), so the wait
 * ends; an interrupt (Ctrl-C) leaves the plan running on the server, and
 * the message says so and how to watch it again.
 *
 * A plan is named by its id or "current" (the newest done plan); the
 * other resource files name plans through ctl_plans_get() too.  A plan
 * that failed is the server saying no: exit 1 with its reason.
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

#define CTL_PLANS_DAYS_MAX	28	/* as POST /v1/plans allows */
#define CTL_PLANS_POLL_FAST_MS	100	/* poll interval at first */
#define CTL_PLANS_POLL_MS	500	/* and after CTL_PLANS_FAST_S */
#define CTL_PLANS_FAST_S	5

static int	ctl_plans_run(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_plans_show(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_plans_list(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_plans_kpi(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_plans_wait(struct ctl *, json_int_t);

enum { O_WAIT = 1, O_DAYS, O_REGION };
static const struct ctl_opt ctl_plans_run_opts[] = {
	{ O_WAIT, 'w', "wait", 0 },
	{ O_DAYS, 'd', "days", 1 },
	{ O_REGION, 'r', "region", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_plans_show_opts[] = {
	{ O_WAIT, 'w', "wait", 0 },
	{ 0, 0, NULL, 0 }
};
#define CTL_PLANS_ONE	{ NULL, 0, 1, NULL, "plan" }

const struct ctl_cmd ctl_plans_cmds[] = {
	{ "plan", "run", "[--wait] [--days N] [--region NAME]", "plan now "
	    "(one region); --wait for the result", 1,
	    { ctl_plans_run_opts, 0, 0, NULL, NULL }, ctl_plans_run },
	{ "plan", "show", "[--wait] [ID|current]", "a plan: state, cost, "
	    "pickups, changes; --wait until it ends", 1,
	    { ctl_plans_show_opts, 0, 1, NULL, "plan" }, ctl_plans_show },
	{ "plan", "list", "", "the newest plans, newest first", 1,
	    { NULL, 0, 0, NULL, NULL }, ctl_plans_list },
	{ "kpi", NULL, "[ID|current]", "a plan's costs, km, CO2, loads, "
	    "centres", 1, CTL_PLANS_ONE, ctl_plans_kpi },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

/* A number with decimals, or "-" for null or absent; allocated. */
static char *
ctl_plans_real(const json_t *v, int decimals)
{
	char	*s;

	if (!json_is_number(v))
		return xstrdup("-");
	xasprintf(&s, "%.*f", decimals, json_number_value(v));
	return s;
}

/* A share (0.55) as a percentage ("55%", "55.00%" with 2 decimals), or
 * "-"; allocated. */
static char *
ctl_plans_pct(const json_t *v, int decimals)
{
	char	*s;

	if (!json_is_number(v))
		return xstrdup("-");
	xasprintf(&s, "%.*f%%", decimals, 100 * json_number_value(v));
	return s;
}

/* o[key] as a whole number, 0 if absent. */
static json_int_t
ctl_plans_int(const json_t *o, const char *key)
{
	const json_t	*v = json_object_get(o, key);

	return json_is_number(v) ? (json_int_t)json_number_value(v) : 0;
}

/*
 * Fetch plan which (an id, "current" or NULL for current) into *r (clear
 * it after).  Returns an exit status: a malformed id is a usage error, an
 * unknown plan is the server's 404; either way with a message printed.
 */
int
ctl_plans_get(struct ctl *ctl, const char *which, struct ctl_reply *r)
{
	char	*path, *cause = NULL, *what;
	long	 id = 0;
	int	 rc;

	memset(r, 0, sizeof(*r));
	if (which != NULL && strcmp(which, "current") != 0 &&
	    ctl_args_long(which, 1, LONG_MAX, &id, &cause) == -1) {
		rc = ctl_usage(ctl, "plan: %s (an id, or current)", cause);
		free(cause);
		return rc;
	}
	if (id == 0)
		path = xstrdup("/v1/plans/current");
	else
		xasprintf(&path, "/v1/plans/%ld", id);
	rc = ctl_http_get(ctl->http, path, r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK) {
		if (id == 0)
			what = xstrdup("current plan");
		else
			xasprintf(&what, "plan %ld", id);
		rc = ctl_failed(rc, cause, what);
		free(what);
	}
	return rc;
}

/* "done", "queued", or the phase of a running plan ("routing"). */
static const char *
ctl_plans_state(const json_t *p)
{
	const char	*state = ctl_json_str(p, "state");
	const char	*phase = ctl_json_str(p, "phase");

	if (state == NULL)
		return "?";
	if (strcmp(state, "running") == 0 && phase != NULL)
		return phase;
	return state;
}

/*
 * "2026-11-30, 3 days", with_closed adding ", closed 2026-12-01" for the
 * days nothing is collected on (closed_days); allocated.
 */
static char *
ctl_plans_horizon(const json_t *p, int with_closed)
{
	const json_t	*h = json_object_get(p, "horizon"), *v;
	const char	*from = ctl_json_str(h, "from");
	json_int_t	 days = ctl_plans_int(h, "days");
	char		*s;
	size_t		 i;

	xasprintf(&s, "%s, %" JSON_INTEGER_FORMAT " day%s", from ? from : "?",
	    days, days == 1 ? "" : "s");
	json_array_foreach(with_closed ? json_object_get(h, "closed") : NULL,
	    i, v)
		if (json_is_string(v))
			xappendf(&s, "%s%s", i == 0 ? ", closed " : ", ",
			    json_string_value(v));
	return s;
}

/*
 * The lines about the plan's outcome, from its KPIs: pickups, routes (if
 * with_routes) and the changes since the previous plan.
 */
static void
ctl_plans_outcome(struct ctl_kv *kv, const json_t *p, int with_routes)
{
	const json_t	*k = json_object_get(p, "kpis"), *pk, *c;
	char		*km, over[64] = "";

	if (!json_is_object(k))
		return;
	pk = json_object_get(k, "pickups");
	/* Carried over after their window (carry_over_days). */
	if (ctl_plans_int(pk, "overdue") > 0)
		snprintf(over, sizeof(over), ", %" JSON_INTEGER_FORMAT
		    " overdue", ctl_plans_int(pk, "overdue"));
	ctl_kv_add(kv, "pickups", "%" JSON_INTEGER_FORMAT " planned, %"
	    JSON_INTEGER_FORMAT " scheduled, %" JSON_INTEGER_FORMAT
	    " deferred%s", ctl_plans_int(pk, "planned"),
	    ctl_plans_int(pk, "scheduled"), ctl_plans_int(pk, "deferred"),
	    over);
	km = ctl_plans_real(json_object_get(k, "km"), 1);
	if (with_routes)
		ctl_kv_add(kv, "routes", "%" JSON_INTEGER_FORMAT " with %"
		    JSON_INTEGER_FORMAT " vehicles, %s km",
		    ctl_plans_int(k, "routes"), ctl_plans_int(k,
		    "vehicles_used"), km);
	free(km);
	if (!json_is_object(c = json_object_get(p, "changes")))
		return;
	ctl_kv_add(kv, "changes", "%" JSON_INTEGER_FORMAT " new, %"
	    JSON_INTEGER_FORMAT " unchanged, %" JSON_INTEGER_FORMAT
	    " moved day, %" JSON_INTEGER_FORMAT " moved vehicle, %"
	    JSON_INTEGER_FORMAT " now deferred, %" JSON_INTEGER_FORMAT
	    " now scheduled, %" JSON_INTEGER_FORMAT " dropped, %"
	    JSON_INTEGER_FORMAT " pins kept", ctl_plans_int(c, "new"),
	    ctl_plans_int(c, "unchanged"), ctl_plans_int(c, "moved_day"),
	    ctl_plans_int(c, "moved_vehicle"),
	    ctl_plans_int(c, "now_deferred"),
	    ctl_plans_int(c, "now_scheduled"), ctl_plans_int(c, "dropped"),
	    ctl_plans_int(c, "pinned_kept"));
}

/* The key and value block of plan show (and of plan run --wait). */
static void
ctl_plans_print(struct ctl *ctl, const json_t *p)
{
	struct ctl_kv	*kv = ctl_kv_new();
	const char	*keys[] = { "created", "started", "finished" };
	const char	*by = ctl_json_str(p, "requested_by");
	char		*s, *id;
	size_t		 i;

	id = ctl_json_text(json_object_get(p, "id"));
	ctl_kv_add(kv, "plan", "%s%s", id,
	    json_is_true(json_object_get(p, "current")) ? " (current)" : "");
	free(id);
	ctl_kv_add(kv, "state", "%s%s%s", ctl_json_str(p, "state") ?
	    ctl_json_str(p, "state") : "?", ctl_json_str(p, "reason") ?
	    ": " : "", ctl_json_str(p, "reason") ? ctl_json_str(p, "reason") :
	    "");
	if (ctl_json_str(p, "phase") != NULL && ctl_json_str(p, "state") &&
	    strcmp(ctl_json_str(p, "phase"), ctl_json_str(p, "state")) != 0)
		ctl_kv_add(kv, "phase", "%s", ctl_json_str(p, "phase"));
	ctl_kv_add(kv, "trigger", "%s%s%s", ctl_json_str(p, "trigger") ?
	    ctl_json_str(p, "trigger") : "?", by ? " by " : "", by ? by : "");
	s = ctl_plans_horizon(p, 1);
	ctl_kv_add(kv, "horizon", "%s", s);
	free(s);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ctl_json_str(p, keys[i]) != NULL)
			ctl_kv_add(kv, keys[i], "%s", ctl_json_str(p, keys[i]));
	if (json_is_integer(json_object_get(p, "elapsed_s"))) {
		s = ctl_fmt_duration(ctl_plans_int(p, "elapsed_s"));
		ctl_kv_add(kv, "elapsed", "%s", s);
		free(s);
	}
	if (json_is_number(json_object_get(p, "best_cost"))) {
		s = ctl_plans_real(json_object_get(p, "best_cost"), 2);
		ctl_kv_add(kv, "cost", "%s%s", s, strcmp(ctl_plans_state(p),
		    "done") != 0 ? " (best so far)" : "");
		free(s);
	}
	if (json_is_integer(json_object_get(p, "previous")))
		ctl_kv_add(kv, "previous", "%" JSON_INTEGER_FORMAT,
		    ctl_plans_int(p, "previous"));
	ctl_plans_outcome(kv, p, 1);
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
}

static int
ctl_plans_show(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	const char		*state;
	int			 rc;

	if ((rc = ctl_plans_get(ctl, ca->operands ? ca->operands[0] : NULL,
	    &r)) != CTL_EXIT_OK)
		goto out;
	/* --wait: attach to a plan still queued or running. */
	state = ctl_json_str(r.body, "state");
	if (ca->opt[O_WAIT] != NULL && state != NULL &&
	    strcmp(state, "done") != 0 && strcmp(state, "failed") != 0) {
		rc = ctl_plans_wait(ctl, ctl_plans_int(r.body, "id"));
		goto out;
	}
	if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		ctl_plans_print(ctl, r.body);
out:
	ctl_reply_clear(&r);
	return rc;
}

/*
 * The progress line of a plan being waited for: "plan 7  routing  best
 * cost 1234.56  41s left", the phase of a running plan (preparing,
 * location, routing, checking, saving) or its state, then the time left
 * to the solver's deadline while it runs, else the time elapsed.
 * Allocated.
 */
char *
ctl_plans_progress_text(const json_t *p)
{
	char	*line, *cost, *t = NULL, *d;

	if (json_is_number(json_object_get(p, "best_cost"))) {
		d = ctl_plans_real(json_object_get(p, "best_cost"), 2);
		xasprintf(&cost, "best cost %s", d);
		free(d);
	} else
		cost = xstrdup("no cost yet");
	if (json_is_integer(json_object_get(p, "remaining_s"))) {
		d = ctl_fmt_duration(ctl_plans_int(p, "remaining_s"));
		xasprintf(&t, "  %s left", d);
		free(d);
	} else if (json_is_integer(json_object_get(p, "elapsed_s"))) {
		d = ctl_fmt_duration(ctl_plans_int(p, "elapsed_s"));
		xasprintf(&t, "  elapsed %s", d);
		free(d);
	}
	xasprintf(&line, "plan %" JSON_INTEGER_FORMAT "  %s  %s%s",
	    ctl_plans_int(p, "id"), ctl_plans_state(p), cost, t ? t : "");
	free(cost);
	free(t);
	return line;
}

/* Set by SIGINT while a plan is waited for. */
static volatile sig_atomic_t ctl_plans_interrupted;

static void
ctl_plans_sigint(int sig)
{
	ctl_plans_interrupted = 1;
}

/*
 * Catch SIGINT for the wait (old gets what was there), unless it was
 * ignored when we started, as for a background job.  No SA_RESTART: the
 * nap between polls ends at once, and a request is given up.
 */
static void
ctl_plans_catch(struct ctl *ctl, struct sigaction *old)
{
	struct sigaction	sa;

	if (sigaction(SIGINT, NULL, old) == -1 || old->sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ctl_plans_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	ctl_http_stop_on(ctl->http, &ctl_plans_interrupted);
}

/*
 * Interrupted while waiting: the plan goes on on the server, so say so
 * and how to watch it again, then die of the interrupt as the shell
 * expects.  Returns only if raising it failed.
 */
static int
ctl_plans_interrupt(json_int_t id)
{
	ctl_msg("interrupted: plan %" JSON_INTEGER_FORMAT " goes on running "
	    "on the server; \"recircctl plan show %" JSON_INTEGER_FORMAT
	    " --wait\" watches it again", id, id);
	fflush(stdout);
	signal(SIGINT, SIG_DFL);
	raise(SIGINT);
	return 128 + SIGINT;
}

/*
 * Poll plan id until it is done or failed, then print it; the progress
 * line goes to a terminal on stderr.  Returns CTL_EXIT_OK when done,
 * CTL_EXIT_REFUSED when failed (with the reason), or the exit status of a
 * request that failed.  An interrupt does not return (ctl_plans_interrupt).
 */
static int
ctl_plans_wait(struct ctl *ctl, json_int_t id)
{
	struct ctl_reply	 r;
	struct sigaction	 old;
	struct timespec		 start, now, nap;
	const char		*state;
	char			*path, *cause = NULL, *what, *line;
	int			 rc;

	memset(&r, 0, sizeof(r));
	ctl_plans_catch(ctl, &old);
	clock_gettime(CLOCK_MONOTONIC, &start);
	xasprintf(&path, "/v1/plans/%" JSON_INTEGER_FORMAT, id);
	for (;;) {
		rc = ctl_http_get(ctl->http, path, &r, &cause);
		if (ctl_plans_interrupted) {
			free(cause);
			rc = ctl_plans_interrupt(id);
			goto out;
		}
		if (rc != CTL_EXIT_OK) {
			xasprintf(&what, "plan %" JSON_INTEGER_FORMAT, id);
			rc = ctl_failed(rc, cause, what);
			free(what);
			goto out;
		}
		state = ctl_json_str(r.body, "state");
		if (state == NULL || strcmp(state, "done") == 0 ||
		    strcmp(state, "failed") == 0)
			break;
		if (ctl->progress) {
			line = ctl_plans_progress_text(r.body);
			ctl_progress_line(line, ctl->errwidth);
			free(line);
		}
		ctl_reply_clear(&r);
		clock_gettime(CLOCK_MONOTONIC, &now);
		nap.tv_sec = 0;
		nap.tv_nsec = (now.tv_sec - start.tv_sec < CTL_PLANS_FAST_S ?
		    CTL_PLANS_POLL_FAST_MS : CTL_PLANS_POLL_MS) * 1000000L;
		nanosleep(&nap, NULL);
		if (ctl_plans_interrupted) {
			rc = ctl_plans_interrupt(id);
			goto out;
		}
	}
	ctl_progress_clear();
	if (state == NULL) {
		ctl_msg("plan %" JSON_INTEGER_FORMAT ": the answer has no "
		    "state", id);
		rc = CTL_EXIT_UNREACHABLE;
		goto out;
	}
	if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		ctl_plans_print(ctl, r.body);
	if (strcmp(state, "done") != 0) {
		ctl_msg("plan %" JSON_INTEGER_FORMAT " failed: %s", id,
		    ctl_json_str(r.body, "reason") ?
		    ctl_json_str(r.body, "reason") : "no reason given");
		rc = CTL_EXIT_REFUSED;
	}
out:
	if (old.sa_handler != SIG_IGN)
		sigaction(SIGINT, &old, NULL);
	ctl_reply_clear(&r);
	free(path);
	return rc;
}

static int
ctl_plans_run(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	char			*cause = NULL;
	json_t			*body = NULL;
	json_int_t		 plan;
	long			 days = 0;
	int			 rc = CTL_EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	if (ctl_cmd_long(ctl, ca, O_DAYS, 1, CTL_PLANS_DAYS_MAX, &days) == -1)
		goto out;
	if (days > 0 || ca->opt[O_REGION] != NULL)
		body = json_object();
	if (days > 0)
		json_object_set_new(body, "days", json_integer(days));
	if (ca->opt[O_REGION] != NULL)
		json_object_set_new(body, "region",
		    json_string(ca->opt[O_REGION]));
	if ((rc = ctl_http_post(ctl->http, "/v1/plans", body, NULL, &r,
	    &cause)) != CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "plan run");
		goto out;
	}
	if (!json_is_integer(json_object_get(r.body, "id"))) {
		ctl_msg("plan run: the answer has no plan id");
		rc = CTL_EXIT_UNREACHABLE;
		goto out;
	}
	plan = json_integer_value(json_object_get(r.body, "id"));
	if (ca->opt[O_WAIT] != NULL)
		rc = ctl_plans_wait(ctl, plan);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		printf("plan %" JSON_INTEGER_FORMAT " queued\n", plan);
out:
	json_decref(body);
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_plans_list(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	static const struct ctl_col	 cols[] = {
		{ "ID", 1, 0 }, { "STATE", 0, 0 }, { "CREATED", 0, 0 },
		{ "HORIZON", 0, 0 }, { "COST", 1, 0 }, { "TRIGGER", 0, 0 },
		{ "NOTE", 0, 1 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *p;
	const char		*created, *from, *reason;
	char			*cause = NULL, *cost;
	size_t			 i;
	int			 rc;

	memset(&r, 0, sizeof(r));
	if ((rc = ctl_http_get(ctl->http, "/v1/plans", &r, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "plan list");
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	if (json_array_size(list = json_object_get(r.body, "plans")) == 0) {
		ctl_msg("no plans yet; recircctl plan run starts one");
		goto out;
	}
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(list, i, p) {
		created = ctl_json_str(p, "created");
		from = ctl_json_str(json_object_get(p, "horizon"), "from");
		reason = ctl_json_str(p, "reason");
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    ctl_plans_int(p, "id"));
		ctl_table_cell(t, "%s", ctl_plans_state(p));
		/* "2026-11-29 02:00" of "2026-11-29T02:00:00Z" */
		ctl_table_cell(t, "%.10s %.5s", created ? created : "-",
		    created && strlen(created) > 11 ? created + 11 : "");
		ctl_table_cell(t, "%s +%" JSON_INTEGER_FORMAT, from ? from : "-",
		    ctl_plans_int(json_object_get(p, "horizon"), "days"));
		cost = ctl_plans_real(json_object_get(p, "best_cost"), 2);
		ctl_table_cell(t, "%s", cost);
		free(cost);
		ctl_table_cell(t, "%s", ctl_json_str(p, "trigger") ?
		    ctl_json_str(p, "trigger") : "-");
		ctl_table_cell(t, "%s", json_is_true(json_object_get(p,
		    "current")) ? "current" : reason ? reason : "");
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* "repair 1.10, reuse 1.16, ..." of an object of numbers; allocated. */
static char *
ctl_plans_streams(const json_t *o, int decimals, int pct)
{
	const char	*key;
	json_t		*v;
	char		*list = xstrdup(""), *tmp, *n;

	json_object_foreach((json_t *)o, key, v) {
		n = pct ? ctl_plans_pct(v, 0) : ctl_plans_real(v, decimals);
		xasprintf(&tmp, "%s%s%s %s", list, *list ? ", " : "", key, n);
		free(n);
		free(list);
		list = tmp;
	}
	return list;
}

/* The kpi line of what the field reported on the plan's pickups. */
static void
ctl_plans_kpi_field(struct ctl_kv *kv, const json_t *f)
{
	char	*kg, *diversion, *reuse, *repair;

	kg = ctl_plans_real(json_object_get(f, "collected_kg"), 1);
	diversion = ctl_plans_pct(json_object_get(f, "diversion_rate"), 0);
	reuse = ctl_plans_pct(json_object_get(f, "reuse_rate"), 0);
	repair = ctl_plans_pct(json_object_get(f, "repair_rate"), 0);
	ctl_kv_add(kv, "field", "%" JSON_INTEGER_FORMAT " collected (%s kg), %"
	    JSON_INTEGER_FORMAT " not collected, %" JSON_INTEGER_FORMAT
	    " sorted; diversion %s, reuse %s, repair %s",
	    ctl_plans_int(f, "collected"), kg,
	    ctl_plans_int(f, "not_collected"), ctl_plans_int(f, "sorted"),
	    diversion, reuse, repair);
	free(kg);
	free(diversion);
	free(reuse);
	free(repair);
}

/* The key and value block of kpi. */
static void
ctl_plans_kpi_kv(struct ctl *ctl, const json_t *p, const json_t *k)
{
	struct ctl_kv	*kv = ctl_kv_new();
	const json_t	*c = json_object_get(k, "cost"), *sv, *o;
	const char	*src;
	char		*s[6], *tmp;
	size_t		 i;

	s[0] = ctl_plans_horizon(p, 0);
	ctl_kv_add(kv, "plan", "%" JSON_INTEGER_FORMAT "%s, %s",
	    ctl_plans_int(p, "id"), json_is_true(json_object_get(p,
	    "current")) ? " (current)" : "", s[0]);
	free(s[0]);
	s[0] = ctl_plans_real(json_object_get(c, "total"), 2);
	s[1] = ctl_plans_real(json_object_get(c, "centres_fixed"), 2);
	s[2] = ctl_plans_real(json_object_get(c, "routing"), 2);
	s[3] = ctl_plans_real(json_object_get(c, "outbound"), 2);
	s[4] = ctl_plans_real(json_object_get(c, "recovered_value"), 2);
	ctl_kv_add(kv, "cost", "%s = centres %s + routing %s + outbound %s "
	    "- recovered value %s", s[0], s[1], s[2], s[3], s[4]);
	for (i = 0; i < 5; i++)
		free(s[i]);
	s[0] = ctl_plans_real(json_object_get(k, "km"), 1);
	s[1] = ctl_plans_real(json_object_get(k, "co2_kg"), 1);
	ctl_kv_add(kv, "distance", "%s km, CO2 %s kg", s[0], s[1]);
	src = ctl_json_str(k, "routes_source");
	ctl_kv_add(kv, "routes", "%" JSON_INTEGER_FORMAT " with %"
	    JSON_INTEGER_FORMAT " vehicles, stops ordered by the %s%s",
	    ctl_plans_int(k, "routes"), ctl_plans_int(k, "vehicles_used"),
	    src ? src : "?", src && strcmp(src, "fallback") == 0 ?
	    " router" : "");
	s[2] = ctl_plans_pct(json_object_get(json_object_get(k,
	    "load_factor"), "kg"), 0);
	s[3] = ctl_plans_pct(json_object_get(json_object_get(k,
	    "load_factor"), "m3"), 0);
	ctl_kv_add(kv, "load factor", "%s of kg, %s of m3", s[2], s[3]);
	s[4] = xstrdup("");
	json_array_foreach(json_object_get(k, "centres_open"), i, o) {
		xasprintf(&tmp, "%s%s%s", s[4], i ? ", " : "",
		    json_string_value(o) ? json_string_value(o) : "?");
		free(s[4]);
		s[4] = tmp;
	}
	ctl_kv_add(kv, "centres open", "%s", *s[4] ? s[4] : "none");
	s[5] = ctl_plans_streams(json_object_get(k, "tonnes"), 2, 0);
	ctl_kv_add(kv, "tonnes", "%s", s[5]);
	for (i = 0; i < 6; i++)
		free(s[i]);
	ctl_plans_outcome(kv, p, 0);
	sv = json_object_get(k, "solver");
	s[0] = ctl_plans_real(json_object_get(sv, "seconds"), 2);
	s[1] = ctl_plans_pct(json_object_get(sv, "gap"), 2);
	ctl_kv_add(kv, "solver", "%s, %s, %s s, gap %s",
	    ctl_json_str(sv, "status") ? ctl_json_str(sv, "status") : "?",
	    ctl_json_str(sv, "method") ? ctl_json_str(sv, "method") : "?",
	    s[0], s[1]);
	free(s[0]);
	free(s[1]);
	ctl_plans_kpi_field(kv, json_object_get(k, "field"));
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
}

/* The table of centre utilisation: a row per centre, a column a stream. */
static void
ctl_plans_kpi_centres(struct ctl *ctl, const json_t *util)
{
	struct ctl_col		 cols[8];
	struct ctl_table	*t;
	const json_t		*first, *row, *v;
	const char		*centre, *stream;
	char			*s;
	size_t			 n = 1, i;

	if (json_object_size(util) == 0)
		return;
	cols[0] = (struct ctl_col){ "CENTRE", 0, 1 };
	first = json_object_iter_value(json_object_iter((json_t *)util));
	json_object_foreach((json_t *)first, stream, v)
		if (n < sizeof(cols) / sizeof(cols[0]))
			cols[n++] = (struct ctl_col){ stream, 1, 0 };
	t = ctl_table_new(cols, n);
	json_object_foreach((json_t *)util, centre, row) {
		ctl_table_cell(t, "%s", centre);
		for (i = 1; i < n; i++) {
			s = ctl_plans_pct(json_object_get(row, cols[i].title), 0);
			ctl_table_cell(t, "%s", s);
			free(s);
		}
	}
	printf("\ncentre utilisation (sorted kg over capacity):\n");
	ctl_table_show(ctl, t);
	ctl_table_free(t);
}

static int
ctl_plans_kpi(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	const json_t		*k;
	int			 rc;

	if ((rc = ctl_plans_get(ctl, ca->operands ? ca->operands[0] : NULL,
	    &r)) != CTL_EXIT_OK)
		goto out;
	if (!json_is_object(k = json_object_get(r.body, "kpis"))) {
		ctl_msg("plan %" JSON_INTEGER_FORMAT " is %s: KPIs come with a "
		    "done plan", ctl_plans_int(r.body, "id"),
		    ctl_plans_state(r.body));
		rc = CTL_EXIT_REFUSED;
		goto out;
	}
	if (ctl->json)
		ctl_json_print(k, stdout, 0);
	else {
		ctl_plans_kpi_kv(ctl, r.body, k);
		ctl_plans_kpi_centres(ctl, json_object_get(k,
		    "centre_utilisation"));
	}
out:
	ctl_reply_clear(&r);
	return rc;
}
