/*
 * ctl-routes.c -- "recircctl routes [VEHICLE]", "recircctl manifest
 * VEHICLE|--all" and "recircctl dispatch VEHICLE|--all": what a plan asks
 * of its vehicles, and handing it to their crews.
 *
 * routes prints, for each route of a done plan (the current one unless
 * --plan names another), a heading with the vehicle, day, centre, times,
 * distance and load, then its stops in order: ETA, the resident's time
 * window, pickup, address, its weight and the load on board after it.  manifest
 * prints the driver's sheet the daemon writes (text, one page per day) as
 * it comes, cleaned for the terminal, with its page breaks kept when the
 * output is not a terminal (so it prints as pages).  dispatch says the
 * vehicle's routes (of --day only, if given) were handed to the crew: the
 * daemon pins their stops to that vehicle, day and order, so that later
 * plans keep them; only the current plan can be dispatched.  With --all,
 * manifest and dispatch act on every vehicle with a route (dispatch on
 * the --day it then needs: routes go out a day at a time).
 *
 * Vehicles are the daemon's route names ("lock-van-1": a vehicle type and
 * a number).  A vehicle with no route in the plan is an error (exit 1) for
 * all three commands, although the routes endpoint itself answers an empty
 * list where the manifest answers 404.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static int	ctl_routes_run(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_routes_manifest(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_routes_dispatch(struct ctl *, const struct ctl_cmdargs *);
struct ctl_routes_req;
static int	ctl_routes_gpx(struct ctl *, long, const struct ctl_routes_req *);

enum { O_PLAN = 1, O_DAY, O_ALL, O_GPX };
static const struct ctl_opt ctl_routes_opts[] = {
	{ O_PLAN, 'p', "plan", 1 },
	{ O_DAY, 'd', "day", 1 },
	{ O_GPX, 'g', "gpx", 0 },
	{ 0, 0, NULL, 0 }
};
/* manifest and dispatch: one vehicle, or --all with a route */
static const struct ctl_opt ctl_routes_each_opts[] = {
	{ O_PLAN, 'p', "plan", 1 },
	{ O_DAY, 'd', "day", 1 },
	{ O_ALL, 'a', "all", 0 },
	{ 0, 0, NULL, 0 }
};

const struct ctl_cmd ctl_routes_cmds[] = {
	{ "routes", NULL, "[--plan ID] [--day DATE] [--gpx] [VEHICLE]", "a "
	    "plan's routes: stops in order, ETA, address, load (--gpx: as GPX "
	    "for a navigator)", 1,
	    { ctl_routes_opts, 0, 1, NULL, "vehicle" }, ctl_routes_run },
	{ "manifest", NULL, "[--plan ID] [--day DATE] VEHICLE|--all", "the "
	    "driver manifest of a vehicle, or of all", 1,
	    { ctl_routes_each_opts, 0, 1, NULL, "vehicle" },
	    ctl_routes_manifest },
	{ "dispatch", NULL, "[--plan ID] [--day DATE] VEHICLE|--all", "hand "
	    "routes to their crews: pin the stops (--all: of a --day)", 1,
	    { ctl_routes_each_opts, 0, 1, NULL, "vehicle" },
	    ctl_routes_dispatch },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

/* What routes, manifest and dispatch were asked for. */
struct ctl_routes_req {
	const char	*plan;		/* an id, "current" or NULL */
	const char	*day;		/* YYYY-MM-DD or NULL */
	const char	*vehicle;	/* or NULL */
	int		 all;		/* --all: every vehicle with a route */
};

/*
 * What the parsed command line asks for, into *q (borrowing from it).
 * Returns CTL_EXIT_OK, or CTL_EXIT_USAGE after a message.
 */
static int
ctl_routes_args(struct ctl *ctl, const struct ctl_cmdargs *ca,
    struct ctl_routes_req *q)
{
	memset(q, 0, sizeof(*q));
	q->plan = ca->opt[O_PLAN];
	q->day = ca->opt[O_DAY];
	q->vehicle = ca->noperands > 0 ? ca->operands[0] : NULL;
	q->all = ca->opt[O_ALL] != NULL;
	if (q->all && q->vehicle != NULL)
		return ctl_usage(ctl, "a vehicle or --all, not both");
	/* manifest and dispatch need one or the other; routes has no --all */
	if (!q->all && q->vehicle == NULL && ctl->cmd->tmpl.opts ==
	    ctl_routes_each_opts)
		return ctl_usage(ctl, "which vehicle? (or --all)");
	if (q->day != NULL && date_to_days(q->day) < 0)
		return ctl_usage(ctl, "--day: \"%s\" is not a date "
		    "(YYYY-MM-DD)", q->day);
	if (q->vehicle != NULL && *q->vehicle == '\0')
		return ctl_usage(ctl, "an empty vehicle name");
	return CTL_EXIT_OK;
}

/*
 * Is day (YYYY-MM-DD) an open day in the horizon of plan p ("from",
 * "days" and "closed")?  If not, say which days the plan covers, or that
 * the day is closed, and return CTL_EXIT_REFUSED: the server would answer
 * an empty list, which reads as a day with nothing to do.
 */
static int
ctl_routes_horizon(const json_t *p, const char *day)
{
	const json_t	*h = json_object_get(p, "horizon"), *v;
	const char	*from = ctl_json_str(h, "from");
	json_int_t	 days = json_integer_value(json_object_get(h, "days"));
	long long	 first, d;
	char		 last[11];
	size_t		 i;

	if (from == NULL || days < 1 || (first = date_to_days(from)) < 0)
		return CTL_EXIT_OK;	/* the server will judge */
	d = date_to_days(day);
	json_array_foreach(json_object_get(h, "closed"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), day) ==
		    0) {
			ctl_msg("%s is a closed day in plan %"
			    JSON_INTEGER_FORMAT ": nothing is collected on it "
			    "(closed_days)", day,
			    json_integer_value(json_object_get(p, "id")));
			return CTL_EXIT_REFUSED;
		}
	if (d >= first && d < first + days)
		return CTL_EXIT_OK;
	days_to_date(first + days - 1, last);
	ctl_msg("%s is outside the horizon of plan %" JSON_INTEGER_FORMAT
	    ": it covers %s to %s (%" JSON_INTEGER_FORMAT " day%s)", day,
	    json_integer_value(json_object_get(p, "id")), from, last, days,
	    days == 1 ? "" : "s");
	return CTL_EXIT_REFUSED;
}

/*
 * The id of plan which: a number is taken as it is (the server says if it
 * is unknown), anything else asks for the current plan.  With a day, the
 * plan is read to check the day is in its horizon.  Returns an exit
 * status, with a message printed.
 */
static int
ctl_routes_plan(struct ctl *ctl, const char *which, const char *day,
    long *id)
{
	struct ctl_reply	 r;
	char			*cause = NULL;
	int			 rc;

	if (which != NULL && strcmp(which, "current") != 0) {
		if (ctl_args_long(which, 1, LONG_MAX, id, &cause) == -1) {
			rc = ctl_usage(ctl, "--plan: %s (an id, or current)",
			    cause);
			free(cause);
			return rc;
		}
		if (day == NULL)
			return CTL_EXIT_OK;
	} else
		which = NULL;
	if ((rc = ctl_plans_get(ctl, which, &r)) == CTL_EXIT_OK) {
		*id = (long)json_integer_value(json_object_get(r.body, "id"));
		if (*id <= 0) {
			ctl_msg("%s plan: the answer has no id", which != NULL ?
			    which : "current");
			rc = CTL_EXIT_UNREACHABLE;
		} else if (day != NULL)
			rc = ctl_routes_horizon(r.body, day);
	}
	ctl_reply_clear(&r);
	return rc;
}

/* path, then "?name=value" or "&name=value" escaped, if value != NULL. */
static char *
ctl_routes_query(char *path, const char *name, const char *value)
{
	char	*e, *out;

	if (value == NULL)
		return path;
	e = ctl_http_escape(value);
	xasprintf(&out, "%s%c%s=%s", path, strchr(path, '?') ? '&' : '?',
	    name, e);
	free(e);
	free(path);
	return out;
}

/*
 * GET the routes of plan id asked for in q into *r.  A vehicle with no
 * route is refused here, as the manifest endpoint refuses it.  Returns an
 * exit status, with a message printed.
 */
static int
ctl_routes_fetch(struct ctl *ctl, long id, const struct ctl_routes_req *q,
    struct ctl_reply *r)
{
	char	*path, *cause = NULL, *what;
	int	 rc;

	xasprintf(&path, "/v1/plans/%ld/routes", id);
	path = ctl_routes_query(path, "vehicle", q->vehicle);
	path = ctl_routes_query(path, "day", q->day);
	rc = ctl_http_get(ctl->http, path, r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK) {
		xasprintf(&what, "plan %ld", id);
		rc = ctl_failed(rc, cause, what);
		free(what);
		return rc;
	}
	if (!json_is_array(json_object_get(r->body, "routes"))) {
		ctl_msg("plan %ld: the answer has no \"routes\" array", id);
		return CTL_EXIT_UNREACHABLE;
	}
	if (q->vehicle != NULL &&
	    json_array_size(json_object_get(r->body, "routes")) == 0) {
		what = ctl_fmt_clean(q->vehicle, 60);
		ctl_msg("vehicle %s has no route in plan %ld%s%s", what, id,
		    q->day ? " on " : "", q->day ? q->day : "");
		free(what);
		return CTL_EXIT_REFUSED;
	}
	return CTL_EXIT_OK;
}

/* "08:00-12:00", "+1" more if there are more, "any" if none; allocated. */
static char *
ctl_routes_window(const json_t *windows)
{
	const json_t	*w = json_array_get(windows, 0);
	const char	*start = ctl_json_str(w, "start");
	const char	*end = ctl_json_str(w, "end");
	char		*s;

	if (w == NULL)
		return xstrdup("any");
	if (json_array_size(windows) > 1)
		xasprintf(&s, "%s-%s +%zu", start ? start : "", end ? end : "",
		    json_array_size(windows) - 1);
	else
		xasprintf(&s, "%s-%s", start ? start : "", end ? end : "");
	return s;
}

/*
 * ", dispatched" when every scheduled stop of route rt is pinned by a
 * dispatch, ", 3 of 5 stops dispatched" when some are, else ""; allocated.
 */
static char *
ctl_routes_dispatched(const json_t *rt)
{
	const json_t	*st;
	const char	*pin, *status;
	size_t		 i, nsched = 0, ndisp = 0;
	char		*s;

	json_array_foreach(json_object_get(rt, "stops"), i, st) {
		status = ctl_json_str(st, "status");
		pin = ctl_json_str(st, "pinned");
		nsched += status != NULL && strcmp(status, "scheduled") == 0;
		ndisp += pin != NULL && strcmp(pin, "dispatched") == 0;
	}
	if (ndisp == 0)
		return xstrdup("");
	if (ndisp == nsched)
		return xstrdup(", dispatched");
	xasprintf(&s, ", %zu of %zu stops dispatched", ndisp, nsched);
	return s;
}

/* The two heading lines of a route. */
static void
ctl_routes_heading(struct ctl *ctl, const json_t *rt)
{
	const json_t	*load = json_object_get(rt, "load");
	const json_t	*cap = json_object_get(rt, "capacity_kg");
	char		*line, *s, *disp = ctl_routes_dispatched(rt);
	size_t		 nstops = json_array_size(json_object_get(rt, "stops"));

	xasprintf(&line, "%s (%s), %s, from %s %s, back %s%s",
	    ctl_json_str(rt, "vehicle") ? ctl_json_str(rt, "vehicle") : "?",
	    ctl_json_str(rt, "vehicle_type") ? ctl_json_str(rt,
	    "vehicle_type") : "?", ctl_json_str(rt, "day") ?
	    ctl_json_str(rt, "day") : "?", ctl_json_str(rt, "centre") ?
	    ctl_json_str(rt, "centre") : "?", ctl_json_str(rt, "start") ?
	    ctl_json_str(rt, "start") : "?", ctl_json_str(rt, "end") ?
	    ctl_json_str(rt, "end") : "?", disp);
	free(disp);
	s = ctl_fmt_clean(line, ctl->width);
	printf("%s%s%s\n", ctl->color ? "\033[1m" : "", s,
	    ctl->color ? "\033[0m" : "");
	free(s);
	free(line);
	if (json_is_number(cap) && json_number_value(cap) > 0)
		xasprintf(&s, " of %.0f kg (%.0f%%)", json_number_value(cap),
		    100 * json_number_value(json_object_get(load, "kg")) /
		    json_number_value(cap));
	else
		s = xstrdup(" kg");
	xasprintf(&line, "  %.1f km, cost %.2f, load %.0f%s, %.1f m3, %"
	    JSON_INTEGER_FORMAT " item%s, %zu stop%s",
	    json_number_value(json_object_get(rt, "km")),
	    json_number_value(json_object_get(rt, "cost")),
	    json_number_value(json_object_get(load, "kg")), s,
	    json_number_value(json_object_get(load, "m3")),
	    json_integer_value(json_object_get(load, "items")),
	    json_integer_value(json_object_get(load, "items")) == 1 ? "" :
	    "s", nstops, nstops == 1 ? "" : "s");
	free(s);
	s = ctl_fmt_clean(line, ctl->width);
	printf("%s\n", s);
	free(s);
	free(line);
}

/* One route: its heading and a table of its stops. */
static void
ctl_routes_print_one(struct ctl *ctl, const json_t *rt)
{
	static const struct ctl_col	 cols[] = {
		{ "SEQ", 1, 0 }, { "ETA", 0, 0 }, { "WINDOW", 0, 0 },
		{ "PICKUP", 1, 0 }, { "ADDRESS", 0, 1 },
		{ "KG", 1, 0 }, { "ON BOARD", 1, 0 }, { "STATUS", 0, 0 }
	};
	struct ctl_table	*t;
	const json_t		*st;
	const char		*addr;
	char			*s;
	size_t			 i;

	ctl_routes_heading(ctl, rt);
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(json_object_get(rt, "stops"), i, st) {
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(st, "seq")));
		ctl_table_cell(t, "%s", ctl_json_str(st, "eta") ?
		    ctl_json_str(st, "eta") : "-");
		s = ctl_routes_window(json_object_get(st, "time_windows"));
		ctl_table_cell(t, "%s", s);
		free(s);
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(st, "pickup")));
		if ((addr = ctl_json_str(st, "address")) != NULL && *addr)
			ctl_table_cell(t, "%s", addr);
		else
			ctl_table_cell(t, "%.5f,%.5f",
			    json_number_value(json_object_get(st, "lat")),
			    json_number_value(json_object_get(st, "lon")));
		ctl_table_cell(t, "%.1f",
		    json_number_value(json_object_get(st, "weight_kg")));
		ctl_table_cell(t, "%.1f",
		    json_number_value(json_object_get(st, "load_kg")));
		/* the pickup's status now (collected, cancelled since ...),
		 * or for a scheduled one its pin: confirmed, dispatched */
		ctl_table_cell(t, "%s", ctl_json_str(st, "pinned") ?
		    ctl_json_str(st, "pinned") : ctl_json_str(st, "status") ?
		    ctl_json_str(st, "status") : "-");
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
}

/* "3 pickups deferred: capacity 2, no_vehicle_capacity 1". */
static void
ctl_routes_deferred(const json_t *deferred)
{
	json_t		*by = json_object(), *d, *n;
	const char	*reason;
	char		*list = xstrdup(""), *tmp, *s;
	size_t		 i;

	json_array_foreach(deferred, i, d) {
		reason = ctl_json_str(d, "reason");
		reason = reason != NULL ? reason : "?";
		n = json_object_get(by, reason);
		json_object_set_new(by, reason, json_integer(n != NULL ?
		    json_integer_value(n) + 1 : 1));
	}
	json_object_foreach(by, reason, n) {
		xasprintf(&tmp, "%s%s%s %" JSON_INTEGER_FORMAT, list,
		    *list ? ", " : "", reason, json_integer_value(n));
		free(list);
		list = tmp;
	}
	s = ctl_fmt_clean(list, 0);
	printf("\n%zu pickup%s deferred%s%s\n", json_array_size(deferred),
	    json_array_size(deferred) == 1 ? "" : "s", *s ? ": " : "", s);
	free(s);
	free(list);
	json_decref(by);
}

static int
ctl_routes_run(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_routes_req	 q;
	struct ctl_reply	 r;
	const json_t		*routes, *rt;
	size_t			 i;
	long			 id;
	int			 rc, fallback;

	memset(&r, 0, sizeof(r));
	if ((rc = ctl_routes_args(ctl, ca, &q)) != CTL_EXIT_OK)
		return rc;
	if (ca->opt[O_GPX] != NULL && ctl->json)
		return ctl_usage(ctl, "--gpx or -j, not both");
	if ((rc = ctl_routes_plan(ctl, q.plan, q.day, &id)) != CTL_EXIT_OK ||
	    (rc = ctl_routes_fetch(ctl, id, &q, &r)) != CTL_EXIT_OK)
		goto out;
	if (ca->opt[O_GPX] != NULL) {
		ctl_reply_clear(&r);
		rc = ctl_routes_gpx(ctl, id, &q);
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	routes = json_object_get(r.body, "routes");
	fallback = 0;
	json_array_foreach(routes, i, rt)
		fallback |= ctl_json_str(rt, "source") != NULL &&
		    strcmp(ctl_json_str(rt, "source"), "fallback") == 0;
	printf("plan %ld: %zu route%s%s\n\n", id, json_array_size(routes),
	    json_array_size(routes) == 1 ? "" : "s", fallback ?
	    ", stops ordered by the daemon's fallback router" : "");
	json_array_foreach(routes, i, rt) {
		if (i > 0)
			fputc('\n', stdout);
		ctl_routes_print_one(ctl, rt);
	}
	/* Deferred pickups belong to no vehicle: only for the whole plan. */
	if (q.vehicle == NULL &&
	    json_array_size(json_object_get(r.body, "deferred")) > 0)
		ctl_routes_deferred(json_object_get(r.body, "deferred"));
out:
	ctl_reply_clear(&r);
	return rc;
}

/* The routes of q in plan id as GPX, written to the standard output. */
static int
ctl_routes_gpx(struct ctl *ctl, long id, const struct ctl_routes_req *q)
{
	struct ctl_reply	 r;
	char			*path, *cause = NULL;
	int			 rc;

	memset(&r, 0, sizeof(r));
	xasprintf(&path, "/v1/plans/%ld/routes?format=gpx", id);
	path = ctl_routes_query(path, "vehicle", q->vehicle);
	path = ctl_routes_query(path, "day", q->day);
	rc = ctl_http_get_text(ctl->http, path, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		rc = ctl_failed(rc, cause, "routes");
	else if (r.raw == NULL || fputs(r.raw, stdout) == EOF ||
	    fflush(stdout) == EOF) {
		ctl_msg("routes: the GPX could not be written");
		rc = CTL_EXIT_UNREACHABLE;
	}
	ctl_reply_clear(&r);
	return rc;
}

/*
 * The vehicles with a route in plan id (on q->day, if given), in the order
 * of the routes (day, then vehicle), each once, into a new array of *n
 * names.  None is exit status 1, with a message.
 */
static int
ctl_routes_vehicles(struct ctl *ctl, long id, const struct ctl_routes_req *q,
    char ***names, size_t *n)
{
	struct ctl_routes_req	 all = *q;
	struct ctl_reply	 r;
	const json_t		*rt;
	const char		*v;
	size_t			 i, k;
	int			 rc;

	*names = NULL;
	*n = 0;
	memset(&r, 0, sizeof(r));
	all.vehicle = NULL;
	if ((rc = ctl_routes_fetch(ctl, id, &all, &r)) != CTL_EXIT_OK)
		goto out;
	json_array_foreach(json_object_get(r.body, "routes"), i, rt) {
		if ((v = ctl_json_str(rt, "vehicle")) == NULL)
			continue;
		for (k = 0; k < *n && strcmp((*names)[k], v) != 0; k++)
			;
		if (k == *n) {
			*names = xreallocarray(*names, *n + 1, sizeof(**names));
			(*names)[(*n)++] = xstrdup(v);
		}
	}
	if (*n == 0) {
		ctl_msg("plan %ld has no routes%s%s", id, q->day ? " on " : "",
		    q->day ? q->day : "");
		rc = CTL_EXIT_REFUSED;
	}
out:
	ctl_reply_clear(&r);
	return rc;
}

static void
ctl_routes_names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Run one() for q->vehicle, or with --all for each vehicle with a route,
 * the worst exit status; it stops when the server cannot be reached.
 */
static int
ctl_routes_each(struct ctl *ctl, long id, struct ctl_routes_req *q,
    int (*one)(struct ctl *, long, const struct ctl_routes_req *, size_t))
{
	char	**names;
	size_t	  n, k;
	int	  rc, worst = CTL_EXIT_OK;

	if (!q->all)
		return one(ctl, id, q, 0);
	if ((rc = ctl_routes_vehicles(ctl, id, q, &names, &n)) != CTL_EXIT_OK)
		return rc;
	for (k = 0; k < n; k++) {
		q->vehicle = names[k];
		rc = one(ctl, id, q, k);
		if (rc > worst)
			worst = rc;
		if (rc == CTL_EXIT_UNREACHABLE)
			break;
	}
	q->vehicle = NULL;
	ctl_routes_names_free(names, n);
	return worst;
}

/* The manifest of q->vehicle, the k-th printed: after a page break. */
static int
ctl_routes_manifest_one(struct ctl *ctl, long id,
    const struct ctl_routes_req *q, size_t k)
{
	struct ctl_reply	 r;
	char			*path, *e, *cause = NULL;
	int			 rc;

	memset(&r, 0, sizeof(r));
	e = ctl_http_escape(q->vehicle);
	xasprintf(&path, "/v1/plans/%ld/manifest/%s", id, e);
	free(e);
	path = ctl_routes_query(path, "day", q->day);
	rc = ctl_http_get_text(ctl->http, path, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		rc = ctl_failed(rc, cause, "manifest");
	else {
		if (k > 0)
			ctl_fmt_text("\f", stdout, !isatty(STDOUT_FILENO));
		ctl_fmt_text(r.raw, stdout, !isatty(STDOUT_FILENO));
	}
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_routes_manifest(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_routes_req	 q;
	struct ctl_reply	 r;
	long			 id;
	int			 rc;

	memset(&r, 0, sizeof(r));
	if ((rc = ctl_routes_args(ctl, ca, &q)) != CTL_EXIT_OK)
		return rc;
	if ((rc = ctl_routes_plan(ctl, q.plan, q.day, &id)) != CTL_EXIT_OK)
		return rc;
	/* There is no JSON manifest: the vehicles' routes are its data. */
	if (ctl->json) {
		if ((rc = ctl_routes_fetch(ctl, id, &q, &r)) == CTL_EXIT_OK)
			ctl_json_print(r.body, stdout, 0);
		ctl_reply_clear(&r);
		return rc;
	}
	return ctl_routes_each(ctl, id, &q, ctl_routes_manifest_one);
}

/* Dispatch q->vehicle's routes (of q->day, if given). */
static int
ctl_routes_dispatch_one(struct ctl *ctl, long id,
    const struct ctl_routes_req *q, size_t k)
{
	struct ctl_reply	 r;
	char			*path, *e, *v, *cause = NULL;
	json_int_t		 n;
	int			 rc;

	(void)k;
	memset(&r, 0, sizeof(r));
	e = ctl_http_escape(q->vehicle);
	xasprintf(&path, "/v1/plans/%ld/dispatch/%s", id, e);
	free(e);
	path = ctl_routes_query(path, "day", q->day);
	rc = ctl_http_post(ctl->http, path, NULL, NULL, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		rc = ctl_failed(rc, cause, "dispatch");
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else {
		n = json_integer_value(json_object_get(r.body, "dispatched"));
		v = ctl_fmt_clean(q->vehicle, 60);
		printf("plan %ld: %s%s%s dispatched, %" JSON_INTEGER_FORMAT
		    " stop%s pinned to it\n", id, v, q->day ? " on " : "",
		    q->day ? q->day : "", n, n == 1 ? "" : "s");
		free(v);
	}
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_routes_dispatch(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_routes_req	 q;
	long			 id;
	int			 rc;

	if ((rc = ctl_routes_args(ctl, ca, &q)) != CTL_EXIT_OK)
		return rc;
	/* Routes go to crews a day at a time: all days at once is a slip. */
	if (q.all && q.day == NULL)
		return ctl_usage(ctl, "--all needs --day: routes are handed "
		    "out a day at a time");
	if ((rc = ctl_routes_plan(ctl, q.plan, q.day, &id)) != CTL_EXIT_OK)
		return rc;
	return ctl_routes_each(ctl, id, &q, ctl_routes_dispatch_one);
}
