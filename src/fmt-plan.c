/*
 * fmt-plan.c -- the plan as JSON: written by recirc-solve, read back by
 * `recirc-solve --validate` (and later by the daemon).
 *
 * Centres, pickups, classes and streams are named by the problem's ids
 * (1-based numbers for OR-Library files).  Pure: strings in and out.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "json.h"
#include "solve.h"

static json_t *
plan_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* The cost split into its terms, for people reading the plan. */
static json_t *
plan_cost_terms(const struct solve_problem *p, const struct solve_plan *pl)
{
	double	t[6] = { 0, 0, 0, 0, 0, 0 }, f;
	size_t	i, j, k, s, S = p->nstream;

	for (j = 0; j < p->m; j++)
		t[0] += pl->open[j] ? p->fixed[j] : 0;
	for (i = 0; i < p->n * p->m; i++)
		if (pl->assign[i] != 0.0)
			t[1] += pl->assign[i] * p->cost[i];
	/* cost[] has the stability term in it (fmt-json.c): apart here. */
	for (i = 0; p->prev_centre != NULL && i < p->n; i++)
		for (j = 0; j < p->m; j++)
			if (p->prev_centre[i] != SIZE_MAX && j !=
			    p->prev_centre[i] && pl->assign[i * p->m + j] !=
			    0.0)
				t[5] += pl->assign[i * p->m + j] * p->move_cost;
	t[1] -= t[5];
	for (j = 0; j < p->m; j++)
		for (k = 0; k < p->nclass; k++)
			for (s = 0; s < S; s++) {
				f = pl->flow[FLOW(p, j, k, s)];
				t[2] += f * p->outbound[j * S + s];
				t[3] += f ? f * p->value[k * S + s] : 0;
			}
	for (i = 0; i < p->n; i++)
		t[4] += pl->deferred[i] ? p->defer[i] : 0;
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "fixed",
	    plan_num(t[0]), "collection", plan_num(t[1]), "outbound",
	    plan_num(t[2]), "recovered_value", plan_num(t[3]),
	    "defer_penalty", plan_num(t[4]), "stability", plan_num(t[5]));
}

static json_t *
plan_centres(const struct solve_problem *p, const struct solve_plan *pl)
{
	json_t	*a = json_array();
	size_t	 j;

	for (j = 0; j < p->m; j++)
		json_array_append_new(a, json_pack("{s:s,s:b}", "id",
		    p->centre_id[j], "open", pl->open[j]));
	return a;
}

static json_t *
plan_assignments(const struct solve_problem *p, const struct solve_plan *pl)
{
	json_t	*a = json_array();
	size_t	 i, j;
	double	 x;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->m; j++)
			if ((x = pl->assign[i * p->m + j]) > 0)
				json_array_append_new(a, json_pack(
				    "{s:s,s:s,s:f}", "pickup", p->pickup_id[i],
				    "centre", p->centre_id[j], "fraction", x));
	return a;
}

static json_t *
plan_flows(const struct solve_problem *p, const struct solve_plan *pl)
{
	json_t	*a = json_array();
	size_t	 j, k, s;
	double	 f;

	for (j = 0; j < p->m; j++)
		for (k = 0; k < p->nclass; k++)
			for (s = 0; s < p->nstream; s++)
				if ((f = pl->flow[FLOW(p, j, k, s)]) > 0)
					json_array_append_new(a, json_pack(
					    "{s:s,s:s,s:s,s:f}", "centre",
					    p->centre_id[j], "class",
					    p->class_id[k], "stream",
					    p->stream_id[s], "amount", f));
	return a;
}

static json_t *
plan_deferred(const struct solve_problem *p, const struct solve_plan *pl)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (pl->deferred[i])
			json_array_append_new(a, json_pack("{s:s,s:s}",
			    "pickup", p->pickup_id[i], "reason",
			    pl->reason[i] ? pl->reason[i] : "unknown"));
	return a;
}

/* The plan as a JSON text (caller frees). */
char *
pjson_plan_write(const struct solve_problem *p, const struct solve_plan *pl)
{
	json_t	*o;
	char	*s;
	double	 gap = NAN;
	int	 has = pl->status == SOLVE_OPTIMAL ||
		    pl->status == SOLVE_FEASIBLE;

	if (has && isfinite(pl->bound) && pl->objective != 0)
		gap = fmax(0, (pl->objective - pl->bound) /
		    fabs(pl->objective));
	o = json_pack("{s:s,s:i,s:s,s:s,s:s,s:o,s:o,s:o}", "format",
	    "recirc-plan", "version", 1, "problem", p->name ? p->name : "",
	    "convention", p->cflp ? "cflp" : "recirc", "status",
	    solve_status_name(pl->status), "objective",
	    plan_num(has ? pl->objective : NAN), "lower_bound",
	    plan_num(pl->bound), "gap", plan_num(gap));
	json_object_set_new(o, "single_source", json_boolean(p->single_source));
	if (pl->message != NULL)
		json_object_set_new(o, "reason", json_string(pl->message));
	if (has) {
		json_object_set_new(o, "cost", plan_cost_terms(p, pl));
		json_object_set_new(o, "centres", plan_centres(p, pl));
		json_object_set_new(o, "assignments", plan_assignments(p, pl));
		json_object_set_new(o, "flows", plan_flows(p, pl));
		json_object_set_new(o, "deferred", plan_deferred(p, pl));
	}
	json_object_set_new(o, "solver", json_pack("{s:s,s:f,s:I,s:I}",
	    "method", pl->method, "seconds", pl->seconds, "nodes",
	    (json_int_t)pl->nodes, "iterations", (json_int_t)pl->iterations));
	s = json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	json_decref(o);
	return s;
}

static int
plan_find(char **ids, size_t n, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return (int)i;
	return -1;
}

static int
plan_read_lists(const struct solve_problem *p, struct solve_plan *pl,
    json_t *o, char **cause)
{
	json_t	*v;
	size_t	 t;
	int	 i, j, k, s;

	json_array_foreach(json_object_get(o, "centres"), t, v)
		if ((j = plan_find(p->centre_id, p->m, json_string_value(
		    json_object_get(v, "id")))) >= 0)
			pl->open[j] = json_is_true(json_object_get(v, "open"));
	json_array_foreach(json_object_get(o, "assignments"), t, v) {
		i = plan_find(p->pickup_id, p->n, json_string_value(
		    json_object_get(v, "pickup")));
		j = plan_find(p->centre_id, p->m, json_string_value(
		    json_object_get(v, "centre")));
		if (i < 0 || j < 0)
			goto bad;
		pl->assign[i * p->m + j] += json_number_value(
		    json_object_get(v, "fraction"));
	}
	json_array_foreach(json_object_get(o, "flows"), t, v) {
		j = plan_find(p->centre_id, p->m, json_string_value(
		    json_object_get(v, "centre")));
		k = plan_find(p->class_id, p->nclass, json_string_value(
		    json_object_get(v, "class")));
		s = plan_find(p->stream_id, p->nstream, json_string_value(
		    json_object_get(v, "stream")));
		if (j < 0 || k < 0 || s < 0)
			goto bad;
		pl->flow[FLOW(p, j, k, s)] += json_number_value(
		    json_object_get(v, "amount"));
	}
	json_array_foreach(json_object_get(o, "deferred"), t, v) {
		if ((i = plan_find(p->pickup_id, p->n, json_string_value(
		    json_object_get(v, "pickup")))) < 0)
			goto bad;
		pl->deferred[i] = 1;
		free(pl->reason[i]);
		pl->reason[i] = json_is_string(json_object_get(v, "reason")) ?
		    xstrdup(json_string_value(json_object_get(v, "reason"))) :
		    NULL;
	}
	return 0;
bad:
	xasprintf(cause, "plan: an entry names an unknown pickup, centre, "
	    "class or stream");
	return -1;
}

/* Parse a plan for problem p.  Returns NULL with *cause on bad input. */
struct solve_plan *
pjson_plan_read(const struct solve_problem *p, const char *buf, size_t len,
    char **cause)
{
	struct solve_plan	*pl;
	json_error_t		 err;
	json_t			*o;
	const char		*st;

	if ((o = json_loadb(buf, len, 0, &err)) == NULL) {
		xasprintf(cause, "plan: line %d: %s", err.line, err.text);
		return NULL;
	}
	pl = solve_plan_new(p);
	st = json_string_value(json_object_get(o, "status"));
	if (st == NULL || (!json_is_number(json_object_get(o, "objective")) &&
	    strcmp(st, "infeasible") != 0 && strcmp(st, "no_solution") != 0)) {
		xasprintf(cause, "plan: needs a \"status\" and an "
		    "\"objective\"");
		goto fail;
	}
	pl->status = strcmp(st, "optimal") == 0 ? SOLVE_OPTIMAL :
	    strcmp(st, "feasible") == 0 ? SOLVE_FEASIBLE :
	    strcmp(st, "infeasible") == 0 ? SOLVE_INFEASIBLE :
	    SOLVE_NOSOLUTION;
	pl->objective = json_number_value(json_object_get(o, "objective"));
	if (json_is_number(json_object_get(o, "lower_bound")))
		pl->bound = json_number_value(json_object_get(o,
		    "lower_bound"));
	if (json_is_string(json_object_get(o, "reason")))
		pl->message = xstrdup(json_string_value(json_object_get(o,
		    "reason")));
	if (plan_read_lists(p, pl, o, cause) == -1)
		goto fail;
	json_decref(o);
	return pl;
fail:
	json_decref(o);
	solve_plan_free(pl, p);
	return NULL;
}
