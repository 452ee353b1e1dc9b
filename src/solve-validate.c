/*
 * solve-validate.c -- check a plan against its problem, independently of
 * the code that made it.
 *
 * Every plan recirc-solve writes passes through validate_plan() first, and
 * `recirc-solve --validate` runs it on a plan read from a file.  It shares
 * nothing with the solvers but the structures: coverage (each pickup served
 * exactly once or deferred where allowed, with a reason), service only from
 * open centres and forced centres open, single sourcing, flows only to
 * eligible streams, flow balance per centre and class, stream capacities,
 * and the objective recomputed from scratch.  Pure: no I/O.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "recirc.h"
#include "solve.h"

#define VAL_EPS	1e-6	/* feasibility: fractions, flows, capacities */
#define VAL_COST_EPS 1e-9	/* the objective, relative */

/* Is a within the relative/absolute tolerance of b? */
static int
val_close(double a, double b)
{
	return fabs(a - b) <= VAL_EPS * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static int
val_centres(const struct solve_problem *p, const struct solve_plan *pl,
    char **cause)
{
	size_t	j;

	for (j = 0; j < p->m; j++) {
		if (pl->open[j] != 0 && pl->open[j] != 1) {
			xasprintf(cause, "centre %s: open is not 0 or 1",
			    p->centre_id[j]);
			return -1;
		}
		if (p->force_open[j] && !pl->open[j]) {
			xasprintf(cause, "centre %s must stay open but is "
			    "closed", p->centre_id[j]);
			return -1;
		}
	}
	return 0;
}

/* Coverage, single sourcing and service from open centres, pickup i. */
static int
val_pickup(const struct solve_problem *p, const struct solve_plan *pl,
    size_t i, char **cause)
{
	size_t	j, used = 0;
	double	a, sum = 0.0;
	const char *id = p->pickup_id[i];

	for (j = 0; j < p->m; j++) {
		a = pl->assign[i * p->m + j];
		if (!(a >= -VAL_EPS && a <= 1 + VAL_EPS)) {
			xasprintf(cause, "pickup %s: fraction %g at centre %s "
			    "is outside [0, 1]", id, a, p->centre_id[j]);
			return -1;
		}
		if (a <= VAL_EPS)
			continue;
		if (!pl->open[j] || !isfinite(p->cost[i * p->m + j])) {
			xasprintf(cause, "pickup %s is served by centre %s, "
			    "which is %s", id, p->centre_id[j], pl->open[j] ?
			    "not allowed for it" : "closed");
			return -1;
		}
		if (p->single_source && fabs(a - 1) > VAL_EPS) {
			xasprintf(cause, "pickup %s: split (%g at centre %s) "
			    "although single-sourced", id, a,
			    p->centre_id[j]);
			return -1;
		}
		used++;
		sum += a;
	}
	if (p->single_source && used > 1) {
		xasprintf(cause, "pickup %s is served by %zu centres although "
		    "single-sourced", id, used);
		return -1;
	}
	if (pl->deferred[i]) {
		if (isnan(p->defer[i])) {
			xasprintf(cause, "pickup %s is deferred but may not "
			    "be", id);
			return -1;
		}
		if (!p->cflp && pl->reason[i] == NULL) {
			xasprintf(cause, "pickup %s is deferred without a "
			    "reason", id);
			return -1;
		}
		sum += 1.0;
	}
	if (fabs(sum - 1.0) > 1e-5) {
		xasprintf(cause, "pickup %s is covered %g times, not once",
		    id, sum);
		return -1;
	}
	return 0;
}

/* Flows: eligibility, balance per (centre, class), stream capacity. */
static int
val_flows(const struct solve_problem *p, const struct solve_plan *pl,
    char **cause)
{
	size_t	i, j, k, s, K = p->nclass, S = p->nstream;
	double	in, out, f, use;

	for (j = 0; j < p->m; j++) {
		for (k = 0; k < K; k++) {
			in = out = 0.0;
			for (i = 0; i < p->n; i++)
				in += pl->assign[i * p->m + j] *
				    p->amount[i * K + k];
			for (s = 0; s < S; s++) {
				f = pl->flow[FLOW(p, j, k, s)];
				if (f < -VAL_EPS || (f > VAL_EPS &&
				    isnan(p->value[k * S + s]))) {
					xasprintf(cause, "centre %s: flow %g "
					    "of class %s to stream %s is not "
					    "allowed", p->centre_id[j], f,
					    p->class_id[k], p->stream_id[s]);
					return -1;
				}
				out += f;
			}
			if (!val_close(in, out)) {
				xasprintf(cause, "centre %s, class %s: %g "
				    "arrive but %g are sorted", p->centre_id[j],
				    p->class_id[k], in, out);
				return -1;
			}
		}
		for (s = 0; s < S; s++) {
			use = 0.0;
			for (k = 0; k < K; k++)
				use += pl->flow[FLOW(p, j, k, s)];
			if (use > VAL_EPS && (!pl->open[j] ||
			    use > p->cap[j * S + s] * (1 + VAL_EPS) +
			    VAL_EPS)) {
				xasprintf(cause, "centre %s, stream %s: %g "
				    "units exceed the capacity %g",
				    p->centre_id[j], p->stream_id[s], use,
				    pl->open[j] ? p->cap[j * S + s] : 0.0);
				return -1;
			}
		}
	}
	return 0;
}

/* The fleet's other limits (volume, items, runs of days). */
static int
val_fleet_rows(const struct solve_problem *p, const struct solve_plan *pl,
    char **cause)
{
	const double	*use;
	size_t		 r, i, j;
	double		 t;

	for (r = 0; r < p->nfleet; r++) {
		j = p->fleet_centre[r];
		use = &p->fleet_use[p->fleet_pat[r] * p->n];
		for (t = 0.0, i = 0; i < p->n; i++)
			t += pl->assign[i * p->m + j] * use[i];
		if (t > p->fleet_cap[r] * (1 + VAL_EPS) + VAL_EPS) {
			xasprintf(cause, "centre %s: its pickups take %g of "
			    "fleet limit %zu, above the %g its vehicles have",
			    p->centre_id[j], t, r, p->fleet_cap[r]);
			return -1;
		}
	}
	return 0;
}

/* What each centre's vehicles collect stays within the fleet's limit. */
static int
val_fleet(const struct solve_problem *p, const struct solve_plan *pl,
    char **cause)
{
	size_t	i, j;
	double	kg, n, mins;

	for (j = 0; j < p->m; j++) {
		kg = n = mins = 0.0;
		for (i = 0; i < p->n; i++) {
			kg += pl->assign[i * p->m + j] *
			    solve_pickup_total(p, i);
			n += pl->assign[i * p->m + j];
			mins += pl->assign[i * p->m + j] * p->stop_min[i];
		}
		if (kg > p->fleet_kg[j] * (1 + VAL_EPS) + VAL_EPS ||
		    n > p->fleet_stops[j] * (1 + VAL_EPS) + VAL_EPS ||
		    mins > p->fleet_min[j] * (1 + VAL_EPS) + VAL_EPS) {
			xasprintf(cause, "centre %s: %g kg in %g pickups exceed "
			    "what its vehicles collect (%g kg, %g stops)",
			    p->centre_id[j], kg, n, p->fleet_kg[j],
			    p->fleet_stops[j]);
			return -1;
		}
	}
	return val_fleet_rows(p, pl, cause);
}

/* The objective, recomputed term by term. */
static double
val_cost(const struct solve_problem *p, const struct solve_plan *pl)
{
	size_t	i, j, k, s, K = p->nclass, S = p->nstream;
	double	fixed = 0.0, collect = 0.0, stream = 0.0, defer = 0.0;

	for (j = 0; j < p->m; j++)
		fixed += pl->open[j] ? p->fixed[j] : 0.0;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->m; j++)
			if (pl->assign[i * p->m + j] > 0)
				collect += pl->assign[i * p->m + j] *
				    p->cost[i * p->m + j];
		if (pl->deferred[i])
			defer += p->defer[i];
	}
	for (j = 0; j < p->m; j++)
		for (k = 0; k < K; k++)
			for (s = 0; s < S; s++)
				if (pl->flow[FLOW(p, j, k, s)] > 0)
					stream += pl->flow[FLOW(p, j, k, s)] *
					    (p->outbound[j * S + s] -
					    p->value[k * S + s]);
	return fixed + collect + stream + defer;
}

/*
 * Check pl against p.  Returns 0 when the plan is valid (or is a claim of
 * infeasibility with a message), -1 with *cause naming the first
 * violation found.
 */
int
validate_plan(const struct solve_problem *p, const struct solve_plan *pl,
    char **cause)
{
	size_t	i;
	double	c;

	if (pl->status == SOLVE_INFEASIBLE || pl->status == SOLVE_NOSOLUTION) {
		if (pl->status == SOLVE_INFEASIBLE && pl->message == NULL) {
			xasprintf(cause, "infeasible without a reason");
			return -1;
		}
		return 0;
	}
	if (val_centres(p, pl, cause) == -1)
		return -1;
	for (i = 0; i < p->n; i++)
		if (val_pickup(p, pl, i, cause) == -1)
			return -1;
	if (val_flows(p, pl, cause) == -1 || val_fleet(p, pl, cause) == -1)
		return -1;
	c = val_cost(p, pl);
	if (!(fabs(c - pl->objective) <= VAL_COST_EPS * fmax(1.0, fabs(c)))) {
		xasprintf(cause, "objective %.6f differs from the recomputed "
		    "cost %.6f", pl->objective, c);
		return -1;
	}
	if (!isnan(pl->bound) && pl->bound > c + 1e-6 * fmax(1, fabs(c))) {
		xasprintf(cause, "lower bound %.6f is above the cost %.6f",
		    pl->bound, c);
		return -1;
	}
	return 0;
}
