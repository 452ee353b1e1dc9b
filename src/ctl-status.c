/*
 * ctl-status.c -- "recircctl status": is the daemon up, what does it hold.
 *
 * GET /healthz (no token needed) answers "is it up, which version"; then,
 * with a token, GET /v1/status adds uptime, pickup counts by status and
 * the current plan.  Without a token the health alone is shown, so anyone
 * can check a server is alive.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Statuses in the order a pickup lives them; others follow as sent. */
static const char *const ctl_status_order[] = {
	"received", "scheduled", "collected", "sorted", "closed",
	"cancelled", "unserviceable", NULL
};

static int	ctl_status_run(struct ctl *, const struct ctl_cmdargs *);

const struct ctl_cmd ctl_status_cmds[] = {
	{ "status", NULL, "", "health, version, pickups by status, plan", 0,
	    { NULL, 0, 0, NULL, NULL }, ctl_status_run },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

/* "4 (received 3, cancelled 1)" from {"received":3,"cancelled":1}. */
static char *
ctl_status_counts(const json_t *counts)
{
	const char	*key;
	json_t		*v;
	char		*list = xstrdup(""), *tmp, *out;
	json_int_t	 total = 0;
	size_t		 i;
	int		 known;

	for (i = 0; ctl_status_order[i] != NULL; i++) {
		if ((v = json_object_get(counts, ctl_status_order[i])) == NULL ||
		    json_integer_value(v) == 0)
			continue;
		xasprintf(&tmp, "%s%s%s %" JSON_INTEGER_FORMAT, list,
		    *list ? ", " : "", ctl_status_order[i],
		    json_integer_value(v));
		free(list);
		list = tmp;
	}
	json_object_foreach((json_t *)counts, key, v) {
		total += json_integer_value(v);
		for (i = 0, known = 0; ctl_status_order[i] != NULL; i++)
			known |= strcmp(key, ctl_status_order[i]) == 0;
		if (known || json_integer_value(v) == 0)
			continue;
		xasprintf(&tmp, "%s%s%s %" JSON_INTEGER_FORMAT, list,
		    *list ? ", " : "", key, json_integer_value(v));
		free(list);
		list = tmp;
	}
	if (*list != '\0')
		xasprintf(&out, "%" JSON_INTEGER_FORMAT " (%s)", total, list);
	else
		xasprintf(&out, "%" JSON_INTEGER_FORMAT, total);
	free(list);
	return out;
}

/*
 * "7, finished 2026-11-29T02:00:00Z, 2026-11-30 + 3 days", with ", cost
 * 1234.50" and ", 2 unassigned" when the server says (recircd's status
 * names the plan, its time and horizon; plan show has the rest).
 */
static char *
ctl_status_plan(const json_t *plan)
{
	const json_t	*u = json_object_get(plan, "unassigned");
	const json_t	*h = json_object_get(plan, "horizon");
	const json_t	*cost = json_object_get(plan, "cost");
	const char	*when = ctl_json_str(plan, "finished");
	char		*id, *out, *tmp;

	if (plan == NULL || json_is_null(plan))
		return xstrdup("none yet");
	id = ctl_json_text(json_object_get(plan, "id"));
	if (when == NULL && (when = ctl_json_str(plan, "created")) != NULL)
		xasprintf(&out, "%s, created %s", id, when);
	else
		xasprintf(&out, "%s, finished %s", id, when ? when : "-");
	free(id);
	if (ctl_json_str(h, "from") != NULL) {
		xasprintf(&tmp, "%s, %s + %" JSON_INTEGER_FORMAT " days", out,
		    ctl_json_str(h, "from"),
		    json_integer_value(json_object_get(h, "days")));
		free(out);
		out = tmp;
	}
	if (json_is_number(cost)) {
		xasprintf(&tmp, "%s, cost %.2f", out, json_number_value(cost));
		free(out);
		out = tmp;
	}
	if (u != NULL) {
		xasprintf(&tmp, "%s, %zu unassigned", out, json_is_array(u) ?
		    json_array_size(u) : (size_t)json_integer_value(u));
		free(out);
		out = tmp;
	}
	return out;
}

/*
 * "2026-12-07 02:00 (UTC+01:00), nightly" from the server's next_plan
 * ("2026-12-07T02:00:00+01:00"), or that plans run on request only.  A
 * server too old to say has no line.
 */
static void
ctl_status_next(struct ctl_kv *kv, const json_t *next)
{
	const char	*s = json_string_value(next);

	if (next == NULL)
		return;
	if (s == NULL)
		ctl_kv_add(kv, "next plan", "none scheduled: plans run on "
		    "request (plan_at is not set)");
	else if (strlen(s) == 25 && s[10] == 'T')
		ctl_kv_add(kv, "next plan", "%.10s %.5s (UTC%s), nightly", s,
		    s + 11, s + 19);
	else
		ctl_kv_add(kv, "next plan", "%s, nightly", s);
}

/*
 * "sat, sun; 2026-12-25, 2026-12-26" from the server's closed days
 * (closed_days: weekdays, then the next dates), or that none are.  A
 * server too old to say has no line.
 */
static void
ctl_status_closed(struct ctl_kv *kv, const json_t *closed)
{
	const json_t	*v;
	const char	*sep = "";
	char		*out = xstrdup(""), *tmp;
	size_t		 i;
	int		 k;

	if (!json_is_object(closed))
		return;
	for (k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(closed, k == 0 ?
		    "weekdays" : "dates"), i, v) {
			xasprintf(&tmp, "%s%s%s", out, i == 0 ? sep : ", ",
			    json_string_value(v) ? json_string_value(v) : "?");
			free(out);
			out = tmp;
		}
		if (*out != '\0')
			sep = "; ";
	}
	if (*out == '\0')
		ctl_kv_add(kv, "closed", "none: every day is open");
	else
		ctl_kv_add(kv, "closed", "%s", out);
	free(out);
}

static void
ctl_status_print(struct ctl *ctl, const json_t *health, const json_t *st)
{
	struct ctl_kv	*kv = ctl_kv_new();
	char		*s;
	const char	*version = ctl_json_str(st, "version");

	ctl_kv_add(kv, "server", "%s", ctl->conf.url);
	ctl_kv_add(kv, "health", "%s", ctl_json_str(health, "status") ?
	    ctl_json_str(health, "status") : "?");
	if (version == NULL)
		version = ctl_json_str(health, "version");
	ctl_kv_add(kv, "version", "%s", version ? version : "?");
	if (ctl_json_str(st, "operator") != NULL)
		ctl_kv_add(kv, "operator", "%s (%s)", ctl_json_str(st, "operator"),
		    ctl_json_str(st, "role") ? ctl_json_str(st, "role") : "?");
	if (st != NULL) {
		s = ctl_fmt_duration(json_integer_value(
		    json_object_get(st, "uptime_s")));
		ctl_kv_add(kv, "uptime", "%s", s);
		free(s);
		s = ctl_status_counts(json_object_get(st, "pickups"));
		ctl_kv_add(kv, "pickups", "%s", s);
		free(s);
		s = ctl_status_plan(json_object_get(st, "plan"));
		ctl_kv_add(kv, "plan", "%s", s);
		free(s);
		ctl_status_next(kv, json_object_get(st, "next_plan"));
		ctl_status_closed(kv, json_object_get(st, "closed"));
	}
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
}

static int
ctl_status_run(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 health, st;
	char			*cause = NULL;
	int			 rc;

	memset(&health, 0, sizeof(health));
	memset(&st, 0, sizeof(st));
	if ((rc = ctl_http_get(ctl->http, "/healthz", &health, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "status");
		goto out;
	}
	if (ctl->conf.token != NULL &&
	    (rc = ctl_http_get(ctl->http, "/v1/status", &st, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "status");
		goto out;
	}
	if (ctl->json)
		ctl_json_print(st.body != NULL ? st.body : health.body, stdout,
		    0);
	else
		ctl_status_print(ctl, health.body, st.body);
	if (ctl->conf.token == NULL)
		ctl_msg("no token, so health only: see -t in recircctl(1)");
out:
	ctl_reply_clear(&health);
	ctl_reply_clear(&st);
	return rc;
}
