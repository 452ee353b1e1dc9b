/*
 * problem.c -- allocation and small pure helpers for solve_problem and
 * solve_plan.
 *
 * Pure: no I/O, no globals.
 * Readers fill a problem made here; solvers fill a plan made here.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

/* A problem of m centres, n pickups, K classes and S streams, zeroed:
 * no value anywhere (NAN), no defer (NAN), unlimited capacity. */
struct solve_problem *
solve_problem_new(size_t m, size_t n, size_t K, size_t S)
{
	struct solve_problem	*p;
	size_t			 i;

	p = xcalloc(1, sizeof(*p));
	p->m = m;
	p->n = n;
	p->nclass = K;
	p->nstream = S;
	p->centre_id = xcalloc(m, sizeof(char *));
	p->pickup_id = xcalloc(n, sizeof(char *));
	p->class_id = xcalloc(K, sizeof(char *));
	p->stream_id = xcalloc(S, sizeof(char *));
	p->fixed = xcalloc(m, sizeof(double));
	p->force_open = xcalloc(m, sizeof(int));
	p->cost = xcalloc(n * m, sizeof(double));
	p->amount = xcalloc(n * K, sizeof(double));
	p->value = xcalloc(K * S, sizeof(double));
	p->cap = xcalloc(m * S, sizeof(double));
	p->outbound = xcalloc(m * S, sizeof(double));
	p->defer = xcalloc(n, sizeof(double));
	p->lat = xcalloc(n + m, sizeof(double));
	p->lon = xcalloc(n + m, sizeof(double));
	p->fleet_kg = xcalloc(m, sizeof(double));
	p->fleet_stops = xcalloc(m, sizeof(double));
	p->fleet_min = xcalloc(m, sizeof(double));
	p->stop_min = xcalloc(n, sizeof(double));
	for (i = 0; i < m; i++)
		p->fleet_kg[i] = p->fleet_stops[i] = p->fleet_min[i] = HUGE_VAL;
	for (i = 0; i < K * S; i++)
		p->value[i] = NAN;
	for (i = 0; i < m * S; i++)
		p->cap[i] = HUGE_VAL;
	for (i = 0; i < n; i++)
		p->defer[i] = NAN;
	for (i = 0; i < n + m; i++)
		p->lat[i] = p->lon[i] = NAN;
	return p;
}

static void
solve_strv_free(char **v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
solve_problem_free(struct solve_problem *p)
{
	size_t	i;

	if (p == NULL)
		return;
	free(p->name);
	solve_strv_free(p->centre_id, p->m);
	solve_strv_free(p->pickup_id, p->n);
	solve_strv_free(p->class_id, p->nclass);
	solve_strv_free(p->stream_id, p->nstream);
	free(p->fixed);
	free(p->force_open);
	free(p->cost);
	free(p->amount);
	free(p->value);
	free(p->cap);
	free(p->outbound);
	free(p->fleet_kg);
	free(p->fleet_stops);
	free(p->fleet_min);
	free(p->stop_min);
	free(p->fleet_centre);
	free(p->fleet_pat);
	free(p->fleet_cap);
	free(p->fleet_use);
	free(p->defer);
	matrix_table_free(p->roads);
	free(p->no_road);
	for (i = 0; p->vt != NULL && i < p->nvt; i++)
		free(p->vt[i].id);
	free(p->vt);
	for (i = 0; p->stop != NULL && i < p->n; i++) {
		free(p->stop[i].pin_vehicle);
		free(p->stop[i].prev_vehicle);
	}
	free(p->prev_centre);
	free(p->stop);
	free(p->opens);
	free(p->closed);
	free(p->lat);
	free(p->lon);
	free(p);
}

/*
 * Is p a plain capacitated facility location problem: one class, one
 * stream worth nothing and costing nothing, no defer option?  Then the
 * Lagrangian matheuristic of solve-cflp.c applies.
 */
int
solve_problem_is_cflp(const struct solve_problem *p)
{
	size_t	i, j;

	if (p->nclass != 1 || p->nstream != 1 || p->value[0] != 0.0)
		return 0;
	for (j = 0; j < p->m; j++)
		if (p->outbound[j] != 0.0 || p->force_open[j])
			return 0;
	for (i = 0; i < p->n; i++)
		if (!isnan(p->defer[i]))
			return 0;
	return 1;
}

/* Total units pickup i brings, over all classes. */
double
solve_pickup_total(const struct solve_problem *p, size_t i)
{
	double	t = 0.0;
	size_t	k;

	for (k = 0; k < p->nclass; k++)
		t += p->amount[i * p->nclass + k];
	return t;
}

struct solve_plan *
solve_plan_new(const struct solve_problem *p)
{
	struct solve_plan	*pl;

	pl = xcalloc(1, sizeof(*pl));
	pl->status = SOLVE_NOSOLUTION;
	pl->bound = NAN;
	pl->objective = NAN;
	pl->open = xcalloc(p->m, sizeof(int));
	pl->assign = xcalloc(p->n * p->m, sizeof(double));
	pl->flow = xcalloc(p->m * p->nclass * p->nstream, sizeof(double));
	pl->deferred = xcalloc(p->n, sizeof(int));
	pl->reason = xcalloc(p->n, sizeof(char *));
	return pl;
}

void
solve_plan_free(struct solve_plan *pl, const struct solve_problem *p)
{
	if (pl == NULL)
		return;
	free(pl->open);
	free(pl->assign);
	free(pl->flow);
	free(pl->deferred);
	solve_strv_free(pl->reason, p->n);
	free(pl->message);
	free(pl);
}

/* Copy the decisions and values of src into dst (same problem). */
void
solve_plan_copy(const struct solve_problem *p, struct solve_plan *dst,
    const struct solve_plan *src)
{
	size_t	i;

	dst->status = src->status;
	dst->objective = src->objective;
	dst->bound = src->bound;
	memcpy(dst->open, src->open, p->m * sizeof(int));
	memcpy(dst->assign, src->assign, p->n * p->m * sizeof(double));
	memcpy(dst->flow, src->flow, p->m * p->nclass * p->nstream *
	    sizeof(double));
	memcpy(dst->deferred, src->deferred, p->n * sizeof(int));
	for (i = 0; i < p->n; i++) {
		free(dst->reason[i]);
		dst->reason[i] = src->reason[i] ? xstrdup(src->reason[i]) :
		    NULL;
	}
}

/*
 * For one-stream problems (the CFLP), the flows follow from the assignment:
 * everything a centre receives goes to its only stream.
 */
void
solve_plan_set_flows(const struct solve_problem *p, struct solve_plan *pl)
{
	size_t	i, j, k;

	if (p->nstream != 1)
		return;
	for (j = 0; j < p->m * p->nclass; j++)
		pl->flow[j] = 0.0;
	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->m; j++) {
			if (pl->assign[i * p->m + j] == 0.0)
				continue;
			for (k = 0; k < p->nclass; k++)
				pl->flow[FLOW(p, j, k, 0)] +=
				    pl->assign[i * p->m + j] *
				    p->amount[i * p->nclass + k];
		}
}

/* The objective of pl as the solver sees it (the validator has its own). */
double
solve_plan_cost(const struct solve_problem *p, const struct solve_plan *pl)
{
	double	c = 0.0;
	size_t	i, j, k, s;

	for (j = 0; j < p->m; j++)
		if (pl->open[j])
			c += p->fixed[j];
	/* Forbidden pairs cost HUGE_VAL: skip them, inf * 0 is NaN. */
	for (i = 0; i < p->n * p->m; i++)
		if (pl->assign[i] != 0.0)
			c += p->cost[i] * pl->assign[i];
	for (i = 0; i < p->n; i++)
		if (pl->deferred[i])
			c += p->defer[i];
	for (j = 0; j < p->m; j++)
		for (k = 0; k < p->nclass; k++)
			for (s = 0; s < p->nstream; s++) {
				double	f = pl->flow[FLOW(p, j, k, s)];

				if (f != 0.0)
					c += f * (p->outbound[j * p->nstream +
					    s] - p->value[k * p->nstream + s]);
			}
	return c;
}

const char *
solve_status_name(enum solve_status st)
{
	switch (st) {
	case SOLVE_OPTIMAL:
		return "optimal";
	case SOLVE_FEASIBLE:
		return "feasible";
	case SOLVE_INFEASIBLE:
		return "infeasible";
	default:
		return "no_solution";
	}
}

