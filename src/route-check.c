/*
 * route-check.c -- an independent validator of routing solutions.
 *
 * It shares nothing with the engine but the instance data: arc costs are
 * recomputed from the coordinates with its own formulas (the matrix is used
 * only for EXPLICIT instances), times are simulated stop by stop, and every
 * constraint the model knows is checked: coverage, capacity per dimension,
 * time windows (any of a stop's windows), depot closing time, shift length,
 * maximum stops, skills, pins (to a vehicle type or a position in the
 * route), fleet size and depot capacities.  A
 * mandatory stop may be missing only if s->reason gives it a reason
 * code; an optional one costs its penalty.  Used by
 * the tests, by route_run_file() before it reports, and by the bench.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

/* One arc in cost units, from the raw coordinates. */
static double
check_arc(const struct route_inst *in, int a, int b)
{
	double	e;

	if (in->conv == ROUTE_CONV_EXPLICIT)
		return (double)in->dist[(size_t)a * in->n + b];
	e = hypot(in->node[a].x - in->node[b].x, in->node[a].y - in->node[b].y);
	switch (in->conv) {
	case ROUTE_CONV_TENTH:
		return floor(10.0 * e + 1e-9);
	case ROUTE_CONV_CEIL100:
		return ceil(100.0 * e - 1e-9);
	case ROUTE_CONV_REAL:
		return 1e4 * e;
	default:
		return floor(e + 0.5);
	}
}

static double
check_travel(const struct route_inst *in, int a, int b)
{
	if (in->time != NULL)
		return (double)in->time[(size_t)a * in->n + b];
	return check_arc(in, a, b);
}

/* Earliest service start at node v arriving at t, or -1 if every window
 * has closed. */
static double
check_start(const struct route_node *v, double t, double *close)
{
	int	k;

	*close = HUGE_VAL;
	if (v->ntw == 0)
		return t;
	for (k = 0; k < v->ntw; k++)
		if (t <= v->tw_close[k] + 1e-9) {
			*close = v->tw_close[k];
			return t < v->tw_open[k] ? v->tw_open[k] : t;
		}
	return -1;
}

/* Check one route; adds its cost to *cost. */
static int
check_route(const struct route_inst *in, const struct route_path *rp,
    int r, int *seen, double *cost, char **cause)
{
	const struct route_vtype	*vt;
	int64_t				 load[ROUTE_NDIM] = { 0 };
	double				 t, start, st, close;
	double				 wait = 0, delay = HUGE_VAL;
	int				 i, k, prev, v;

	if (rp->depot < 0 || rp->depot >= in->ndepot || rp->vtype < 0 ||
	    rp->vtype >= in->nvtype) {
		xasprintf(cause, "route %d: bad depot or vehicle type", r + 1);
		return -1;
	}
	vt = &in->vtype[rp->vtype];
	if (vt->max_stops > 0 && rp->len > vt->max_stops) {
		xasprintf(cause, "route %d: %d stops, max %d", r + 1, rp->len,
		    vt->max_stops);
		return -1;
	}
	prev = rp->depot;
	t = in->node[prev].ntw > 0 ? in->node[prev].tw_open[0] : 0;
	start = t;
	for (i = 0; i <= rp->len; i++) {
		v = i < rp->len ? rp->stop[i] : rp->depot;
		if (v < in->ndepot && i < rp->len) {
			xasprintf(cause, "route %d: visits a depot", r + 1);
			return -1;
		}
		*cost += check_arc(in, prev, v);
		t += check_travel(in, prev, v);
		if (i == rp->len) {
			if (in->node[v].ntw > 0 &&
			    t > in->node[v].tw_close[0] + 1e-9) {
				xasprintf(cause, "route %d: back at the depot "
				    "at %g, after it closes", r + 1,
				    t / in->unit);
				return -1;
			}
			break;
		}
		if (seen[v]++) {
			xasprintf(cause, "customer %d served twice",
			    v - in->ndepot + 1);
			return -1;
		}
		if ((st = check_start(&in->node[v], t, &close)) < 0) {
			xasprintf(cause, "route %d: customer %d reached after "
			    "its time window", r + 1, v - in->ndepot + 1);
			return -1;
		}
		/*
		 * Waiting before a window opens could be spent at the depot
		 * instead: leaving later by up to the smallest slack (its
		 * window's close minus the start, plus the waiting before
		 * it) shortens the shift by as much waiting.
		 */
		wait += st - t;
		if (close < HUGE_VAL && wait + close - st < delay)
			delay = wait + close - st;
		t = st;
		t += in->node[v].service;
		for (k = 0; k < in->ndim; k++)
			load[k] += in->node[v].demand[k];
		k = in->node[v].pin_pos;
		if ((k > 0 && i + 1 != k) || (k < 0 && rp->len - i != -k)) {
			xasprintf(cause, "route %d: customer %d is stop %d, "
			    "pinned to stop %d%s", r + 1, v - in->ndepot + 1,
			    i + 1, k > 0 ? k : -k, k > 0 ? "" : " from the end");
			return -1;
		}
		if ((in->node[v].skills & ~vt->skills) != 0 ||
		    (in->node[v].pin_vtype >= 0 &&
		    in->node[v].pin_vtype != rp->vtype)) {
			xasprintf(cause, "route %d: customer %d needs another "
			    "vehicle", r + 1, v - in->ndepot + 1);
			return -1;
		}
		prev = v;
	}
	for (k = 0; k < in->ndim; k++)
		if (load[k] > vt->cap[k]) {
			xasprintf(cause, "route %d: load %lld exceeds capacity "
			    "%lld", r + 1, (long long)load[k],
			    (long long)vt->cap[k]);
			return -1;
		}
	if (t - start - (wait < delay ? wait : delay) > (double)vt->shift) {
		xasprintf(cause, "route %d: longer than the shift", r + 1);
		return -1;
	}
	return 0;
}

/* Fleet and depot limits, and the fixed costs they bring. */
static int
check_fleet(const struct route_inst *in, const struct route_sol *s,
    double *cost, char **cause)
{
	int64_t	*dload;
	int	*used, *nveh, r, i, rc = -1;

	dload = xcalloc(in->ndepot, sizeof(int64_t));
	used = xcalloc(in->ndepot, sizeof(int));
	nveh = xcalloc(in->nvtype, sizeof(int));
	for (r = 0; r < s->nroutes; r++) {
		const struct route_path *rp = &s->route[r];
		if (rp->len == 0)
			continue;
		used[rp->depot] = 1;
		nveh[rp->vtype]++;
		*cost += in->route_fixed + in->vtype[rp->vtype].fixed;
		for (i = 0; i < rp->len; i++)
			dload[rp->depot] += in->node[rp->stop[i]].demand[0];
	}
	for (i = 0; i < in->nvtype; i++)
		if (in->vtype[i].count > 0 && nveh[i] > in->vtype[i].count) {
			xasprintf(cause, "%d vehicles of type %d, only %d",
			    nveh[i], i, in->vtype[i].count);
			goto done;
		}
	for (i = 0; i < in->ndepot; i++) {
		if (in->depot_cap != NULL && dload[i] > in->depot_cap[i]) {
			xasprintf(cause, "depot %d: load %lld exceeds capacity "
			    "%lld", i + 1, (long long)dload[i],
			    (long long)in->depot_cap[i]);
			goto done;
		}
		if (used[i] && in->depot_fixed != NULL)
			*cost += in->depot_fixed[i];
	}
	rc = 0;
done:
	free(dload);
	free(used);
	free(nveh);
	return rc;
}

/*
 * Validate s against in.  On success returns 0 and stores the recomputed
 * objective (in objective units) in *cost_out when not NULL; when claimed is
 * not NAN it must match within half a cost unit (half a unit per arc
 * with real distances, whose arcs the engine rounds).  -1 + cause
 * otherwise.
 */
int
route_check(const struct route_inst *in, const struct route_sol *s,
    double claimed, double *cost_out, char **cause)
{
	double	 cost = 0, tol = 0.5;
	int	*seen, r, i, rc = -1;

	seen = xcalloc(in->n, sizeof(int));
	for (r = 0; r < s->nroutes; r++)
		if (s->route[r].len > 0 &&
		    check_route(in, &s->route[r], r, seen, &cost, cause) < 0)
			goto done;
	if (check_fleet(in, s, &cost, cause) < 0)
		goto done;
	for (i = in->ndepot; i < in->n; i++) {
		if (seen[i])
			continue;
		if (in->node[i].penalty < 0 && s->reason != NULL &&
		    s->reason[i] != ROUTE_ASSIGNED)
			continue;	/* left out for a reason, reported */
		if (in->node[i].penalty < 0) {
			xasprintf(cause, "customer %d not served",
			    i - in->ndepot + 1);
			goto done;
		}
		cost += in->node[i].penalty;
	}
	/* real distances: the claim was summed from arcs rounded to a unit */
	if (in->conv == ROUTE_CONV_REAL)
		for (r = 0; r < s->nroutes; r++)
			tol += 0.5 * (s->route[r].len + 1);
	if (!isnan(claimed) && fabs(claimed * in->unit - cost) >= tol +
	    1e-9 * fabs(cost)) {
		xasprintf(cause, "claimed cost %.4f, recomputed %.4f", claimed,
		    cost / in->unit);
		goto done;
	}
	if (cost_out != NULL)
		*cost_out = cost / in->unit;
	rc = 0;
done:
	free(seen);
	return rc;
}
