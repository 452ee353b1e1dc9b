/*
 * ctl-network.c -- "recircctl centres list|show" and "recircctl fleet
 * list|show": the network the planner plans over, read-only.
 *
 * The client side of GET /v1/centres and /v1/fleet.  Changing the network
 * is an admin's job, done with "recircd seed" or the admin endpoints, so
 * there are no commands for it here yet.  Capacities are per day: kg
 * sorted per stream at a centre, kg, m3 and stops per vehicle.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static int	ctl_network_centres(struct ctl *, int, char **);
static int	ctl_network_centre(struct ctl *, int, char **);
static int	ctl_network_fleet(struct ctl *, int, char **);
static int	ctl_network_vehicle(struct ctl *, int, char **);

const struct ctl_cmd ctl_network_cmds[] = {
	{ "centres", "list", "", "centres: existing or candidate, capacity",
	    1, ctl_network_centres },
	{ "centres", "show", "ID", "one centre with its vehicles", 1,
	    ctl_network_centre },
	{ "fleet", "list", "", "vehicle types: centre, count, capacity, "
	    "costs", 1, ctl_network_fleet },
	{ "fleet", "show", "ID", "one vehicle type", 1, ctl_network_vehicle },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};

/* o[key] as a number, 0 if absent. */
static double
ctl_network_num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/*
 * Parse the common options and, if want_id, exactly one operand (*id,
 * pointing into argv).  Returns CTL_EXIT_OK, CTL_CMD_HELP or
 * CTL_EXIT_USAGE after a message.
 */
static int
ctl_network_args(struct ctl *ctl, int argc, char **argv, int want_id,
    const char **id)
{
	static const struct ctl_opt	 opts[] = { CTL_OPTS_COMMON,
	    { 0, 0, NULL, 0 } };
	struct ctl_args			 a;
	const char			*arg;
	int				 o, rc = CTL_EXIT_OK;

	*id = NULL;
	ctl_args_init(&a, argc, argv, 0);
	while ((o = ctl_cmd_opt(ctl, &a, opts, &arg)) > 0)
		;
	if (o < 0)
		rc = o == CTL_CMD_HELP ? CTL_CMD_HELP : CTL_EXIT_USAGE;
	else if (!want_id && a.noperands != 0)
		rc = ctl_usage(ctl, "unexpected argument \"%s\"",
		    a.operands[0]);
	else if (want_id && a.noperands != 1)
		rc = ctl_usage(ctl, a.noperands == 0 ? "which one?" :
		    "one id, please");
	else if (want_id && *a.operands[0] == '\0')
		rc = ctl_usage(ctl, "an empty id");
	else if (want_id)
		*id = a.operands[0];
	ctl_args_free(&a);
	return rc;
}

/*
 * GET /v1/RESOURCE, or /v1/RESOURCE/ID if id is not NULL, into *r after
 * options and operands; what names it in messages.  Returns an exit
 * status; CTL_CMD_HELP after help.
 */
static int
ctl_network_get(struct ctl *ctl, int argc, char **argv, const char *resource,
    const char *what, int want_id, struct ctl_reply *r)
{
	const char	*id;
	char		*path, *e, *cause = NULL, *msg;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = ctl_network_args(ctl, argc, argv, want_id, &id)) !=
	    CTL_EXIT_OK || (rc = ctl_connect(ctl, 1)) != CTL_EXIT_OK)
		return rc;
	if (id != NULL) {
		e = ctl_http_escape(id);
		xasprintf(&path, "/v1/%s/%s", resource, e);
		free(e);
	} else
		xasprintf(&path, "/v1/%s", resource);
	rc = ctl_http_get(ctl->http, path, r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK) {
		e = ctl_fmt_clean(id != NULL ? id : "", 60);
		xasprintf(&msg, "%s%s%s", what, id != NULL ? " " : "", e);
		rc = ctl_failed(rc, cause, msg);
		free(msg);
		free(e);
	}
	return rc;
}

/* The capacity columns: one per stream, as the first centre has them. */
static size_t
ctl_network_stream_cols(const json_t *centres, struct ctl_col *cols,
    size_t max)
{
	const json_t	*cap, *v;
	const char	*stream;
	size_t		 n = 0;

	cap = json_object_get(json_array_get(centres, 0), "capacity_kg");
	json_object_foreach((json_t *)cap, stream, v)
		if (n < max)
			cols[n++] = (struct ctl_col){ stream, 1, 0 };
	return n;
}

static int
ctl_network_centres(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_col		 cols[12] = {
		{ "ID", 0, 1 }, { "NAME", 0, 1 }, { "KIND", 0, 0 },
		{ "FIXED", 1, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *c;
	size_t			 i, k, n;
	int			 rc;

	if ((rc = ctl_network_get(ctl, argc, argv, "centres", "centres", 0,
	    &r)) != CTL_EXIT_OK) {
		rc = rc == CTL_CMD_HELP ? CTL_EXIT_OK : rc;
		goto out;
	}
	list = json_object_get(r.body, "centres");
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	if (json_array_size(list) == 0) {
		ctl_msg("no centres; an admin loads them with recircd seed");
		goto out;
	}
	n = 4 + ctl_network_stream_cols(list, cols + 4, 8);
	t = ctl_table_new(cols, n);
	json_array_foreach(list, i, c) {
		ctl_table_cell(t, "%s", ctl_json_str(c, "id") ?
		    ctl_json_str(c, "id") : "?");
		ctl_table_cell(t, "%s", ctl_json_str(c, "name") ?
		    ctl_json_str(c, "name") : "");
		ctl_table_cell(t, "%s", json_is_true(json_object_get(c,
		    "existing")) ? "existing" : "candidate");
		ctl_table_cell(t, "%.0f", ctl_network_num(c, "fixed_cost"));
		for (k = 4; k < n; k++)
			ctl_table_cell(t, "%.0f", ctl_network_num(
			    json_object_get(c, "capacity_kg"), cols[k].title));
	}
	printf("capacity: kg sorted per day and stream; fixed: cost per day "
	    "open\n");
	ctl_table_print(t, stdout, ctl->width, ctl->color);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* "avon-van x3 (1000 kg), avon-box x1 (3000 kg)" kept at centre. */
static char *
ctl_network_kept(const json_t *fleet, const char *centre)
{
	const json_t	*v;
	const char	*at;
	char		*list = xstrdup(""), *tmp;
	size_t		 i;

	json_array_foreach(fleet, i, v) {
		if ((at = ctl_json_str(v, "centre")) == NULL ||
		    strcmp(at, centre) != 0)
			continue;
		xasprintf(&tmp, "%s%s%s x%" JSON_INTEGER_FORMAT " (%.0f kg)",
		    list, *list ? ", " : "", ctl_json_str(v, "id") ?
		    ctl_json_str(v, "id") : "?",
		    json_integer_value(json_object_get(v, "count")),
		    ctl_network_num(json_object_get(v, "capacity"), "kg"));
		free(list);
		list = tmp;
	}
	return list;
}

static int
ctl_network_centre(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_reply	 r, f;
	struct ctl_kv		*kv;
	const json_t		*c, *h, *cap, *v;
	const char		*stream;
	char			*list, *tmp, *cause = NULL;
	int			 rc;

	memset(&f, 0, sizeof(f));
	if ((rc = ctl_network_get(ctl, argc, argv, "centres", "centre", 1,
	    &r)) != CTL_EXIT_OK) {
		rc = rc == CTL_CMD_HELP ? CTL_EXIT_OK : rc;
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	if ((rc = ctl_http_get(ctl->http, "/v1/fleet", &f, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "fleet");
		goto out;
	}
	c = r.body;
	h = json_object_get(c, "opening_hours");
	kv = ctl_kv_new();
	ctl_kv_add(kv, "id", "%s", ctl_json_str(c, "id"));
	ctl_kv_add(kv, "name", "%s", ctl_json_str(c, "name") ?
	    ctl_json_str(c, "name") : "");
	ctl_kv_add(kv, "kind", "%s", json_is_true(json_object_get(c,
	    "existing")) ? "existing" : "candidate: the planner may open it");
	ctl_kv_add(kv, "location", "%.6f, %.6f", ctl_network_num(c, "lat"),
	    ctl_network_num(c, "lon"));
	ctl_kv_add(kv, "hours", "%s-%s", ctl_json_str(h, "opens") ?
	    ctl_json_str(h, "opens") : "?", ctl_json_str(h, "closes") ?
	    ctl_json_str(h, "closes") : "?");
	ctl_kv_add(kv, "fixed cost", "%.2f per day open",
	    ctl_network_num(c, "fixed_cost"));
	cap = json_object_get(c, "capacity_kg");
	list = xstrdup("");
	json_object_foreach((json_t *)cap, stream, v) {
		xasprintf(&tmp, "%s%s%s %.0f", list, *list ? ", " : "", stream,
		    json_number_value(v));
		free(list);
		list = tmp;
	}
	ctl_kv_add(kv, "capacity", "%s kg per day", list);
	free(list);
	list = ctl_network_kept(json_object_get(f.body, "fleet"),
	    ctl_json_str(c, "id") ? ctl_json_str(c, "id") : "");
	ctl_kv_add(kv, "vehicles", "%s", *list ? list : "none");
	free(list);
	ctl_kv_print(kv, stdout, ctl->width);
	ctl_kv_free(kv);
out:
	ctl_reply_clear(&r);
	ctl_reply_clear(&f);
	return rc;
}

static int
ctl_network_fleet(struct ctl *ctl, int argc, char **argv)
{
	static const struct ctl_col	 cols[] = {
		{ "TYPE", 0, 1 }, { "CENTRE", 0, 1 }, { "COUNT", 1, 0 },
		{ "KG", 1, 0 }, { "M3", 1, 0 }, { "STOPS", 1, 0 },
		{ "SHIFT", 1, 0 }, { "PER KM", 1, 0 }, { "PER H", 1, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *v, *cap;
	size_t			 i;
	int			 rc;

	if ((rc = ctl_network_get(ctl, argc, argv, "fleet", "fleet", 0,
	    &r)) != CTL_EXIT_OK) {
		rc = rc == CTL_CMD_HELP ? CTL_EXIT_OK : rc;
		goto out;
	}
	list = json_object_get(r.body, "fleet");
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	if (json_array_size(list) == 0) {
		ctl_msg("no vehicles; an admin loads them with recircd seed");
		goto out;
	}
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(list, i, v) {
		cap = json_object_get(v, "capacity");
		ctl_table_cell(t, "%s", ctl_json_str(v, "id") ?
		    ctl_json_str(v, "id") : "?");
		ctl_table_cell(t, "%s", ctl_json_str(v, "centre") ?
		    ctl_json_str(v, "centre") : "?");
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(v, "count")));
		ctl_table_cell(t, "%.0f", ctl_network_num(cap, "kg"));
		ctl_table_cell(t, "%.1f", ctl_network_num(cap, "m3"));
		ctl_table_cell(t, "%.0f", ctl_network_num(v, "max_stops"));
		ctl_table_cell(t, "%.1fh", ctl_network_num(v, "shift_min") /
		    60);
		ctl_table_cell(t, "%.2f", ctl_network_num(v, "cost_per_km"));
		ctl_table_cell(t, "%.2f", ctl_network_num(v,
		    "cost_per_hour"));
	}
	ctl_table_print(t, stdout, ctl->width, ctl->color);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_network_vehicle(struct ctl *ctl, int argc, char **argv)
{
	struct ctl_reply	 r;
	struct ctl_kv		*kv;
	const json_t		*v, *cap;
	char			*skills;
	int			 rc;

	if ((rc = ctl_network_get(ctl, argc, argv, "fleet", "vehicle type", 1,
	    &r)) != CTL_EXIT_OK) {
		rc = rc == CTL_CMD_HELP ? CTL_EXIT_OK : rc;
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	v = r.body;
	cap = json_object_get(v, "capacity");
	kv = ctl_kv_new();
	ctl_kv_add(kv, "type", "%s", ctl_json_str(v, "id"));
	ctl_kv_add(kv, "centre", "%s", ctl_json_str(v, "centre") ?
	    ctl_json_str(v, "centre") : "?");
	ctl_kv_add(kv, "count", "%" JSON_INTEGER_FORMAT " (routes name them "
	    "%s-1 ...)", json_integer_value(json_object_get(v, "count")),
	    ctl_json_str(v, "id"));
	ctl_kv_add(kv, "capacity", "%.0f kg, %.1f m3, %.0f items",
	    ctl_network_num(cap, "kg"), ctl_network_num(cap, "m3"),
	    ctl_network_num(cap, "items"));
	ctl_kv_add(kv, "shift", "%.0f min, at most %.0f stops",
	    ctl_network_num(v, "shift_min"), ctl_network_num(v, "max_stops"));
	ctl_kv_add(kv, "costs", "%.2f fixed, %.2f per km, %.2f "
	    "per hour", ctl_network_num(v, "fixed_cost"),
	    ctl_network_num(v, "cost_per_km"),
	    ctl_network_num(v, "cost_per_hour"));
	ctl_kv_add(kv, "CO2", "%.3f kg per km", ctl_network_num(v,
	    "co2_per_km"));
	skills = json_array_size(json_object_get(v, "skills")) > 0 ?
	    ctl_json_text(json_object_get(v, "skills")) : xstrdup("none");
	ctl_kv_add(kv, "skills", "%s", skills);
	free(skills);
	ctl_kv_print(kv, stdout, ctl->width);
	ctl_kv_free(kv);
out:
	ctl_reply_clear(&r);
	return rc;
}
