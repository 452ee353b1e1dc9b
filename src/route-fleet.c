/*
 * route-fleet.c -- heterogeneous fleets: the search routes with an
 * "envelope" vehicle (the largest capacity, longest shift and stop limit,
 * every skill of the fleet), then each route gets the cheapest vehicle
 * type that can drive it, most constrained routes first, within the number
 * of vehicles of each type.  A fleet-sizing heuristic, not an exact
 * fleet-mix optimisation: it is valid (the validator checks every type
 * limit) and keeps the engine single-type.  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

/* The vehicle that can do what any type of in can. */
void
route_fleet_envelope(const struct route_inst *in, struct route_vtype *env)
{
	int	t, k;

	*env = in->vtype[0];
	env->count = 0;
	for (t = 1; t < in->nvtype; t++) {
		const struct route_vtype *v = &in->vtype[t];
		for (k = 0; k < ROUTE_NDIM; k++)
			if (v->cap[k] > env->cap[k])
				env->cap[k] = v->cap[k];
		if (v->shift > env->shift)
			env->shift = v->shift;
		if (env->max_stops > 0 && (v->max_stops == 0 ||
		    v->max_stops > env->max_stops))
			env->max_stops = v->max_stops;
		env->skills |= v->skills;
		if (v->fixed < env->fixed)
			env->fixed = v->fixed;
	}
}

/*
 * Duration of route rp leaving the depot at its opening, less the waiting
 * a later departure saves without missing a window (the validator's rule,
 * and the engine's: the search may have counted on it).
 */
static int64_t
fleet_duration(const struct route_inst *in, const struct route_path *rp)
{
	const int64_t	*tt = in->time != NULL ? in->time : in->dist;
	const struct route_node *c;
	int64_t		 t, start, st, wait = 0, delay = ROUTE_INF;
	int		 i, prev = rp->depot, v, k;

	start = t = in->node[prev].ntw > 0 ? in->node[prev].tw_open[0] : 0;
	for (i = 0; i < rp->len; i++) {
		v = rp->stop[i];
		c = &in->node[v];
		t += tt[(size_t)prev * in->n + v];
		for (k = 0; k < c->ntw && t > c->tw_close[k]; k++)
			;
		if (k < c->ntw) {
			st = t < c->tw_open[k] ? c->tw_open[k] : t;
			wait += st - t;
			if (wait + c->tw_close[k] - st < delay)
				delay = wait + c->tw_close[k] - st;
			t = st;
		}
		t += c->service;
		prev = v;
	}
	t += tt[(size_t)prev * in->n + rp->depot];
	return t - start - (wait < delay ? wait : delay);
}

/* Can type t drive route rp? */
static int
fleet_fits(const struct route_inst *in, const struct route_path *rp, int t,
    int64_t dur)
{
	const struct route_vtype	*v = &in->vtype[t];
	int64_t				 load[ROUTE_NDIM] = { 0 };
	int				 i, k;

	if ((v->max_stops > 0 && rp->len > v->max_stops) || dur > v->shift)
		return 0;
	for (i = 0; i < rp->len; i++) {
		const struct route_node *c = &in->node[rp->stop[i]];
		if ((c->skills & ~v->skills) != 0 ||
		    (c->pin_vtype >= 0 && c->pin_vtype != t))
			return 0;
		for (k = 0; k < in->ndim; k++)
			load[k] += c->demand[k];
	}
	for (k = 0; k < in->ndim; k++)
		if (load[k] > v->cap[k])
			return 0;
	return 1;
}

/*
 * Give every route of s a vehicle type: routes with the fewest fitting
 * types first, each the cheapest fitting type with a vehicle left.
 * 0, or -1 + cause when some route finds none.
 */
int
route_fleet_assign(const struct route_inst *in, struct route_sol *s,
    char **cause)
{
	int	*nfit, *left, *done, r, t, k, best, pick, rc = -1;
	char	*fit;

	nfit = xcalloc(s->nroutes + 1, sizeof(int));
	done = xcalloc(s->nroutes + 1, sizeof(int));
	left = xcalloc(in->nvtype, sizeof(int));
	fit = xcalloc((size_t)(s->nroutes + 1) * in->nvtype, 1);
	for (t = 0; t < in->nvtype; t++)
		left[t] = in->vtype[t].count > 0 ? in->vtype[t].count : -1;
	for (r = 0; r < s->nroutes; r++) {
		int64_t dur = fleet_duration(in, &s->route[r]);
		for (t = 0; t < in->nvtype; t++)
			if ((fit[(size_t)r * in->nvtype + t] =
			    fleet_fits(in, &s->route[r], t, dur)))
				nfit[r]++;
	}
	for (k = 0; k < s->nroutes; k++) {
		for (pick = -1, r = 0; r < s->nroutes; r++)
			if (!done[r] && (pick < 0 || nfit[r] < nfit[pick]))
				pick = r;
		done[pick] = 1;
		for (best = -1, t = 0; t < in->nvtype; t++)
			if (fit[(size_t)pick * in->nvtype + t] && left[t] != 0 &&
			    (best < 0 || in->vtype[t].fixed <
			    in->vtype[best].fixed))
				best = t;
		if (best < 0) {
			xasprintf(cause, "no vehicle left that can drive route "
			    "%d", pick + 1);
			goto done;
		}
		s->route[pick].vtype = best;
		if (left[best] > 0)
			left[best]--;
	}
	rc = 0;
done:
	free(nfit);
	free(done);
	free(left);
	free(fit);
	return rc;
}
