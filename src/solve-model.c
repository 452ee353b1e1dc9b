/*
 * solve-model.c -- the location and stream MILP, solved whole by GLPK.
 *
 *   min  sum_j f_j y_j + sum_ij c_ij x_ij + sum_i p_i u_i
 *        + sum_jks (o_js - v_ks) z_jks
 *   s.t. sum_j x_ij + u_i = 1              every pickup served or deferred
 *        x_ij <= y_j                        the strong linking rows
 *        sum_s z_jks = sum_i q_ik x_ij      class k arriving at j is sorted
 *        sum_k z_jks <= C_js y_j            stream capacity of centre j
 *        sum_j C_j y_j >= sum_i q_i         (one-stream problems: cover)
 *        y_j = 1 for centres forced open, u_i = 0 where no defer is allowed
 *        y, u binary; x binary when single-sourcing, else in [0, 1]; z >= 0
 *
 * z exists only for eligible (class, stream) pairs, so an item can only go
 * where a rule allows.  This is the model for small problems and for our
 * JSON problems; solve-cflp.c handles large pure CFLPs.  Also here: the
 * infeasibility pre-check and the reasons given for deferred pickups.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

/*
 * Above MODEL_BIG_ARCS arcs the strong rows x_ij <= y_j are kept only for
 * each pickup's MODEL_NEAR cheapest centres: the capacity rows still tie
 * x to y, and measured at 50 x 1000 the full strong LP alone took 125 s
 * while this kept the gap at 0.6%.
 */
#define MODEL_BIG_ARCS	5000
#define MODEL_NEAR	5

struct model_cols {
	int	*y;	/* [m] */
	int	*x;	/* [n*m], -1: no column */
	int	*u;	/* [n], -1: no defer */
	int	*z;	/* [m*K*S], -1: not eligible */
};

static void
model_cols_free(struct model_cols *c)
{
	free(c->y);
	free(c->x);
	free(c->u);
	free(c->z);
}

/* Is class k present in any pickup? */
static int
model_class_used(const struct solve_problem *p, size_t k)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (p->amount[i * p->nclass + k] > 0)
			return 1;
	return 0;
}

static void
model_add_cols(const struct solve_problem *p, struct mip *mp,
    struct model_cols *c)
{
	size_t	i, j, k, s, S = p->nstream, K = p->nclass;
	double	v;

	c->y = xcalloc(p->m, sizeof(int));
	c->x = xcalloc(p->n * p->m, sizeof(int));
	c->u = xcalloc(p->n, sizeof(int));
	c->z = xcalloc(p->m * K * S, sizeof(int));
	for (j = 0; j < p->m; j++)
		c->y[j] = mip_col(mp, p->force_open[j] ? 1 : 0, 1,
		    p->fixed[j], 1);
	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->m; j++)
			c->x[i * p->m + j] = isfinite(p->cost[i * p->m + j]) ?
			    mip_col(mp, 0, 1, p->cost[i * p->m + j],
			    p->single_source) : -1;
	for (i = 0; i < p->n; i++)
		c->u[i] = isnan(p->defer[i]) ? -1 :
		    mip_col(mp, 0, 1, p->defer[i], 1);
	for (j = 0; j < p->m; j++)
		for (k = 0; k < K; k++)
			for (s = 0; s < S; s++) {
				v = p->value[k * S + s];
				c->z[FLOW(p, j, k, s)] = -1;
				if (isnan(v) || p->cap[j * S + s] <= 0 ||
				    !model_class_used(p, k))
					continue;
				c->z[FLOW(p, j, k, s)] = mip_col(mp, 0,
				    HUGE_VAL, p->outbound[j * S + s] - v, 0);
			}
}

/* The cost of pickup i's k-th cheapest centre (HUGE_VAL: all). */
static double
model_near_cost(const struct solve_problem *p, size_t i, size_t k)
{
	double	*c, v;
	size_t	 j, n = 0, a, b;

	if (k >= p->m)
		return HUGE_VAL;
	c = xcalloc(p->m, sizeof(double));
	for (j = 0; j < p->m; j++)
		if (isfinite(p->cost[i * p->m + j]))
			c[n++] = p->cost[i * p->m + j];
	for (a = 0; a < k && a < n; a++)	/* partial selection sort */
		for (b = a + 1; b < n; b++)
			if (c[b] < c[a]) {
				v = c[a];
				c[a] = c[b];
				c[b] = v;
			}
	v = n > k ? c[k - 1] : HUGE_VAL;
	free(c);
	return v;
}

/* What the centres' own vehicles can collect (see struct solve_problem). */
static void
model_fleet_rows(const struct solve_problem *p, struct mip *mp,
    const struct model_cols *c)
{
	const double	*use;
	size_t		 i, j, f;
	int		 r, col;

	for (j = 0; j < p->m; j++) {
		if (isfinite(p->fleet_kg[j])) {
			r = mip_row(mp, -HUGE_VAL, 0);
			for (i = 0; i < p->n; i++)
				if ((col = c->x[i * p->m + j]) >= 0)
					mip_coef(mp, r, col,
					    solve_pickup_total(p, i));
			mip_coef(mp, r, c->y[j], -p->fleet_kg[j]);
		}
		if (isfinite(p->fleet_stops[j])) {
			r = mip_row(mp, -HUGE_VAL, 0);
			for (i = 0; i < p->n; i++)
				if ((col = c->x[i * p->m + j]) >= 0)
					mip_coef(mp, r, col, 1);
			mip_coef(mp, r, c->y[j], -p->fleet_stops[j]);
		}
		if (isfinite(p->fleet_min[j])) {
			r = mip_row(mp, -HUGE_VAL, 0);
			for (i = 0; i < p->n; i++)
				if ((col = c->x[i * p->m + j]) >= 0)
					mip_coef(mp, r, col, p->stop_min[i]);
			mip_coef(mp, r, c->y[j], -p->fleet_min[j]);
		}
	}
	for (f = 0; f < p->nfleet; f++) {
		j = p->fleet_centre[f];
		use = &p->fleet_use[p->fleet_pat[f] * p->n];
		r = mip_row(mp, -HUGE_VAL, 0);
		for (i = 0; i < p->n; i++)
			if ((col = c->x[i * p->m + j]) >= 0 && use[i] > 0)
				mip_coef(mp, r, col, use[i]);
		mip_coef(mp, r, c->y[j], -p->fleet_cap[f]);
	}
}

static void
model_add_rows(const struct solve_problem *p, struct mip *mp,
    const struct model_cols *c)
{
	size_t	i, j, k, s, S = p->nstream, K = p->nclass;
	int	r, col, big = p->n * p->m > MODEL_BIG_ARCS;
	double	total = 0.0, near;

	for (i = 0; i < p->n; i++) {
		r = mip_row(mp, 1, 1);
		for (j = 0; j < p->m; j++)
			if ((col = c->x[i * p->m + j]) >= 0)
				mip_coef(mp, r, col, 1);
		if (c->u[i] >= 0)
			mip_coef(mp, r, c->u[i], 1);
		total += solve_pickup_total(p, i);
	}
	for (i = 0; i < p->n; i++) {
		near = model_near_cost(p, i, big ? MODEL_NEAR : p->m);
		for (j = 0; j < p->m; j++)
			if ((col = c->x[i * p->m + j]) >= 0 &&
			    p->cost[i * p->m + j] <= near) {
				r = mip_row(mp, -HUGE_VAL, 0);
				mip_coef(mp, r, col, 1);
				mip_coef(mp, r, c->y[j], -1);
			}
	}
	for (j = 0; j < p->m; j++)
		for (k = 0; k < K; k++) {
			r = mip_row(mp, 0, 0);
			for (s = 0; s < S; s++)
				if ((col = c->z[FLOW(p, j, k, s)]) >= 0)
					mip_coef(mp, r, col, 1);
			for (i = 0; i < p->n; i++)
				if ((col = c->x[i * p->m + j]) >= 0)
					mip_coef(mp, r, col,
					    -p->amount[i * K + k]);
		}
	for (j = 0; j < p->m; j++)
		for (s = 0; s < S; s++) {
			if (!isfinite(p->cap[j * S + s]))
				continue;
			r = mip_row(mp, -HUGE_VAL, 0);
			for (k = 0; k < K; k++)
				if ((col = c->z[FLOW(p, j, k, s)]) >= 0)
					mip_coef(mp, r, col, 1);
			mip_coef(mp, r, c->y[j], -p->cap[j * S + s]);
		}
	model_fleet_rows(p, mp, c);
	if (solve_problem_is_cflp(p)) {
		r = mip_row(mp, total, HUGE_VAL);
		for (j = 0; j < p->m; j++)
			mip_coef(mp, r, c->y[j], p->cap[j]);
	}
}

/* Translate a plan into a column vector (a start for GLPK). */
static double *
model_start(const struct solve_problem *p, const struct model_cols *c,
    const struct solve_plan *st, int ncols)
{
	double	*x;
	size_t	 i, j;

	x = xcalloc(ncols, sizeof(double));
	for (j = 0; j < p->m; j++)
		x[c->y[j]] = st->open[j];
	for (i = 0; i < p->n * p->m; i++)
		if (c->x[i] >= 0)
			x[c->x[i]] = st->assign[i];
	for (i = 0; i < p->n; i++)
		if (c->u[i] >= 0)
			x[c->u[i]] = st->deferred[i];
	for (i = 0; i < p->m * p->nclass * p->nstream; i++)
		if (c->z[i] >= 0)
			x[c->z[i]] = st->flow[i];
	return x;
}

/* Copy GLPK's values into pl, cleaning rounding noise of the binaries. */
static void
model_extract(const struct solve_problem *p, const struct model_cols *c,
    const double *x, struct solve_plan *pl)
{
	size_t	i, j;
	double	v;

	for (j = 0; j < p->m; j++)
		pl->open[j] = x[c->y[j]] > 0.5;
	for (i = 0; i < p->n * p->m; i++) {
		v = c->x[i] >= 0 ? x[c->x[i]] : 0.0;
		if (p->single_source || v < 1e-9 || v > 1 - 1e-9)
			v = v > 0.5;
		pl->assign[i] = v;
	}
	for (i = 0; i < p->n; i++)
		pl->deferred[i] = c->u[i] >= 0 && x[c->u[i]] > 0.5;
	for (i = 0; i < p->m * p->nclass * p->nstream; i++)
		pl->flow[i] = c->z[i] >= 0 && x[c->z[i]] > 1e-9 ?
		    x[c->z[i]] : 0.0;
	if (p->nstream == 1)
		solve_plan_set_flows(p, pl);
}

/*
 * Solve p whole with GLPK within pa->time_limit, starting from start when
 * given (a feasible plan).  Fills pl (status, plan, objective, bound).
 * Returns 0, or -1 with *cause when GLPK failed.
 */
int
model_solve(const struct solve_problem *p, const struct solve_params *pa,
    const struct solve_plan *start, struct solve_plan *pl, char **cause)
{
	struct model_cols	 c;
	struct mip		*mp = mip_new();
	struct mip_params	 mpa;
	struct mip_result	 res;
	double			*x = NULL, *sx = NULL;
	int			 rc = -1;

	model_add_cols(p, mp, &c);
	model_add_rows(p, mp, &c);
	memset(&mpa, 0, sizeof(mpa));
	mpa.presolve = 1;
	/* Room to validate and write the plan within the caller's budget. */
	mpa.time_limit = fmax(0.1, pa->time_limit * 0.9 - 0.1);
	mpa.verbose = pa->verbose > 1;
	if (start != NULL && start->status != SOLVE_NOSOLUTION &&
	    start->status != SOLVE_INFEASIBLE)
		mpa.start = sx = model_start(p, &c, start, mip_ncols(mp));
	x = xcalloc(mip_ncols(mp), sizeof(double));
	if (mip_solve(mp, &mpa, &res, x, NULL, cause) == -1)
		goto out;
	pl->nodes = res.nodes;
	pl->bound = res.bound;
	switch (res.status) {
	case MIP_OPTIMAL:
	case MIP_FEASIBLE:
		model_extract(p, &c, x, pl);
		pl->status = res.status == MIP_OPTIMAL ? SOLVE_OPTIMAL :
		    SOLVE_FEASIBLE;
		pl->objective = solve_plan_cost(p, pl);
		break;
	case MIP_INFEASIBLE:
		pl->status = SOLVE_INFEASIBLE;
		free(pl->message);
		pl->message = xstrdup("no assignment satisfies the capacities "
		    "(proved by GLPK)");
		break;
	default:
		pl->status = SOLVE_NOSOLUTION;
		if (start != NULL && sx != NULL) {
			solve_plan_copy(p, pl, start);
			pl->status = SOLVE_FEASIBLE;
		}
		break;
	}
	rc = 0;
out:
	free(x);
	free(sx);
	mip_free(mp);
	model_cols_free(&c);
	return rc;
}

/*
 * Cheap proofs of infeasibility for pickups that may not be deferred:
 * with one stream, a single-sourced pickup larger than every centre, or a
 * total demand above the total capacity.  Returns 1 and sets
 * pl->status/message when p is infeasible, else 0.
 */
int
model_precheck(const struct solve_problem *p, struct solve_plan *pl)
{
	size_t	i, j;
	double	total = 0.0, capsum = 0.0, big = 0.0, d;

	if (p->nstream != 1)
		return 0;
	for (j = 0; j < p->m; j++) {
		capsum += p->cap[j];
		if (p->cap[j] > big)
			big = p->cap[j];
	}
	for (i = 0; i < p->n; i++) {
		if (!isnan(p->defer[i]))
			continue;
		d = solve_pickup_total(p, i);
		total += d;
		if (p->single_source && d > big) {
			pl->status = SOLVE_INFEASIBLE;
			xasprintf(&pl->message, "pickup %s: demand %g exceeds "
			    "the largest capacity %g, so it cannot be served "
			    "from one centre", p->pickup_id[i], d, big);
			return 1;
		}
	}
	if (total > capsum) {
		pl->status = SOLVE_INFEASIBLE;
		xasprintf(&pl->message, "total demand %g exceeds the total "
		    "capacity %g", total, capsum);
		return 1;
	}
	return 0;
}

/* Units of class k centre j could still sort, over the eligible streams. */
static double
model_room(const struct solve_problem *p, const struct solve_plan *pl,
    size_t j, size_t k)
{
	size_t	s, kk, S = p->nstream;
	double	room = 0.0, used;

	for (s = 0; s < S; s++) {
		if (isnan(p->value[k * S + s]))
			continue;
		used = 0.0;
		for (kk = 0; kk < p->nclass; kk++)
			used += pl->flow[FLOW(p, j, kk, s)];
		room += p->cap[j * S + s] - used;
	}
	return room;
}

/*
 * What the vehicles of each centre have left under plan pl: kg, stops
 * and minutes over the horizon ([3 * j ...]), then each fleet row
 * ([3 * m + r]).  The caller frees it.
 */
static double *
model_fleet_left(const struct solve_problem *p, const struct solve_plan *pl)
{
	double	*left = xcalloc(3 * p->m + p->nfleet + 1, sizeof(double)), a;
	size_t	 i, j, r;

	for (j = 0; j < p->m; j++) {
		left[3 * j] = p->fleet_kg[j];
		left[3 * j + 1] = p->fleet_stops[j];
		left[3 * j + 2] = p->fleet_min[j];
	}
	for (r = 0; r < p->nfleet; r++)
		left[3 * p->m + r] = p->fleet_cap[r];
	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->m; j++) {
			if ((a = pl->assign[i * p->m + j]) <= 0)
				continue;
			left[3 * j] -= a * solve_pickup_total(p, i);
			left[3 * j + 1] -= a;
			left[3 * j + 2] -= a * p->stop_min[i];
			for (r = 0; r < p->nfleet; r++)
				if (p->fleet_centre[r] == j)
					left[3 * p->m + r] -= a * p->fleet_use[
					    p->fleet_pat[r] * p->n + i];
		}
	return left;
}

/* 1 when pickup i fits what centre j's vehicles have left. */
static int
model_fleet_room(const struct solve_problem *p, const double *left,
    size_t i, size_t j)
{
	size_t	r;

	if (left[3 * j] < solve_pickup_total(p, i) - 1e-9 ||
	    left[3 * j + 1] < 1 - 1e-9 || left[3 * j + 2] < p->stop_min[i] -
	    1e-9)
		return 0;
	for (r = 0; r < p->nfleet; r++)
		if (p->fleet_centre[r] == j && left[3 * p->m + r] <
		    p->fleet_use[p->fleet_pat[r] * p->n + i] - 1e-9)
			return 0;
	return 1;
}

/* Why was pickup i deferred?  Returns a new string. */
static char *
model_reason(const struct solve_problem *p, const struct solve_plan *pl,
    size_t i, const double *left)
{
	size_t	j, k, s;
	int	fits_open, fits_any, fits, fleet;
	char	*r;

	if (p->no_road != NULL && p->no_road[i])
		return xstrdup("unreachable: the road router has no road "
		    "between it and any centre");
	for (k = 0; k < p->nclass; k++) {
		if (p->amount[i * p->nclass + k] <= 0)
			continue;
		fits = 0;
		for (j = 0; j < p->m; j++)
			for (s = 0; s < p->nstream; s++)
				fits |= !isnan(p->value[k * p->nstream + s]) &&
				    p->cap[j * p->nstream + s] > 0;
		if (!fits) {
			xasprintf(&r, "no_stream: no centre can sort class "
			    "%s", p->class_id[k]);
			return r;
		}
	}
	fits_open = fits_any = fleet = 0;
	for (j = 0; j < p->m; j++) {
		fits = isfinite(p->cost[i * p->m + j]);
		for (k = 0; k < p->nclass && fits; k++)
			fits = p->amount[i * p->nclass + k] <= 0 ||
			    model_room(p, pl, j, k) >=
			    p->amount[i * p->nclass + k] - 1e-9;
		if (fits && pl->open[j])
			fleet = 1;
		fits = fits && model_fleet_room(p, left, i, j);
		if (fits && pl->open[j])
			fits_open = 1;
		if (fits)
			fits_any = 1;
	}
	if (fleet && !fits_open)
		r = xstrdup("fleet: the vehicles of the open centres with "
		    "room for it are full on its days");
	else if (fits_open)
		r = xstrdup("cost: serving it costs more than its defer "
		    "penalty");
	else if (fits_any)
		r = xstrdup("capacity: no open centre has room; opening "
		    "another costs more than the defer penalty");
	else
		r = xstrdup("capacity: no centre has room for it");
	return r;
}

/* Fill pl->reason for every deferred pickup of pl. */
void
model_defer_reasons(const struct solve_problem *p, struct solve_plan *pl)
{
	double	*left = model_fleet_left(p, pl);
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free(pl->reason[i]);
		pl->reason[i] = pl->deferred[i] ? model_reason(p, pl, i,
		    left) : NULL;
	}
	free(left);
}

/*
 * Send pickup i's classes to centre j's streams, best net value first,
 * within room[m*S]; alloc[K*S] receives the amounts.  Returns the net
 * stream cost, or NAN when a class does not fit.
 */
static double
model_fit(const struct solve_problem *p, const double *room, size_t i,
    size_t j, double *alloc)
{
	size_t	k, s, S = p->nstream, best;
	double	a, net = 0.0, take, v, bv, *left;

	left = xcalloc(S, sizeof(double));
	for (s = 0; s < S; s++)
		left[s] = room[j * S + s];
	memset(alloc, 0, p->nclass * S * sizeof(double));
	for (k = 0; k < p->nclass && !isnan(net); k++) {
		a = p->amount[i * p->nclass + k];
		while (a > 1e-12) {
			best = S;
			bv = HUGE_VAL;
			for (s = 0; s < S; s++) {
				v = p->outbound[j * S + s] - p->value[k * S + s];
				if (!isnan(v) && v < bv && left[s] > 1e-12) {
					bv = v;
					best = s;
				}
			}
			if (best == S) {
				net = NAN;	/* class k does not fit */
				break;
			}
			take = fmin(a, left[best]);
			alloc[k * S + best] += take;
			left[best] -= take;
			net += take * bv;
			a -= take;
		}
	}
	free(left);
	return net;
}

/* Apply the allocation of pickup i to centre j in pl and room. */
static void
model_take(const struct solve_problem *p, struct solve_plan *pl, double *room,
    size_t i, size_t j, const double *alloc)
{
	size_t	k, s, S = p->nstream;

	pl->open[j] = 1;
	pl->assign[i * p->m + j] = 1.0;
	for (k = 0; k < p->nclass; k++)
		for (s = 0; s < S; s++) {
			pl->flow[FLOW(p, j, k, s)] += alloc[k * S + s];
			room[j * S + s] -= alloc[k * S + s];
		}
}

/* The best value pickup i can recover per unit: the greedy serves the
 * pickups that gain most from scarce high-value streams first. */
static double
model_value_density(const struct solve_problem *p, size_t i)
{
	size_t	k, s;
	double	v, best, sum = 0.0, tot = solve_pickup_total(p, i);

	for (k = 0; k < p->nclass; k++) {
		best = -HUGE_VAL;
		for (s = 0; s < p->nstream; s++) {
			v = p->value[k * p->nstream + s];
			if (!isnan(v) && v > best)
				best = v;
		}
		if (isfinite(best))
			sum += best * p->amount[i * p->nclass + k];
	}
	return tot > 0 ? sum / tot : 0.0;
}

static int
model_weight_cmp(const void *a, const void *b, void *arg)
{
	const double	*w = arg;
	size_t		 x = *(const size_t *)a, y = *(const size_t *)b;

	if (w[x] != w[y])
		return w[x] > w[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * 1 when pickup i fits centre j's fleet rows with left[] of them left;
 * take it from left[] too when take is set.
 */
static int
model_fleet_fits(const struct solve_problem *p, double *left, size_t i,
    size_t j, int take)
{
	size_t	r;
	double	u;

	for (r = 0; r < p->nfleet; r++) {
		if (p->fleet_centre[r] != j)
			continue;
		u = p->fleet_use[p->fleet_pat[r] * p->n + i];
		if (take)
			left[r] -= u;
		else if (u > left[r])
			return 0;
	}
	return 1;
}

/*
 * A greedy plan: pickups by decreasing weight, each to the centre where it
 * costs least (collection, opening the centre if closed, streams net of
 * recovered value) if that fits the remaining stream capacity and beats
 * deferring it.  mode[j]: 0 the centre may not be used, 1 it may (paying
 * its fixed cost), 2 it is open already (unused ones close at the end);
 * NULL: all 1.  Returns NULL when a pickup that may not wait fits nowhere.
 */
static struct solve_plan *
model_greedy_in(const struct solve_problem *p, const int *mode)
{
	struct solve_plan	*pl = solve_plan_new(p);
	double	*room = xcalloc(p->m * p->nstream, sizeof(double));
	double	*alloc = xcalloc(p->nclass * p->nstream, sizeof(double));
	double	*w = xcalloc(p->n, sizeof(double)), c, best;
	size_t	*order = xcalloc(p->n, sizeof(size_t)), t, i, j, bj;
	int	*used = xcalloc(p->m, sizeof(int));
	double	*kg = xcalloc(p->m, sizeof(double));
	double	*stops = xcalloc(p->m, sizeof(double));
	double	*mins = xcalloc(p->m, sizeof(double));
	double	*rows = xcalloc(p->nfleet + 1, sizeof(double));

	for (j = 0; j < p->m; j++)
		pl->open[j] = p->force_open[j] || (mode && mode[j] == 2);
	if (p->nfleet > 0)	/* fleet_cap is NULL without fleet rows */
		memcpy(rows, p->fleet_cap, p->nfleet * sizeof(double));
	memcpy(room, p->cap, p->m * p->nstream * sizeof(double));
	memcpy(kg, p->fleet_kg, p->m * sizeof(double));
	memcpy(stops, p->fleet_stops, p->m * sizeof(double));
	memcpy(mins, p->fleet_min, p->m * sizeof(double));
	for (i = 0; i < p->n; i++) {
		order[i] = i;
		w[i] = model_value_density(p, i);
	}
	qsort_r(order, p->n, sizeof(size_t), model_weight_cmp, w);
	for (t = 0; t < p->n && pl != NULL; t++) {
		i = order[t];
		best = isnan(p->defer[i]) ? HUGE_VAL : p->defer[i];
		bj = p->m;
		for (j = 0; j < p->m; j++) {
			if (!isfinite(p->cost[i * p->m + j]) ||
			    (mode && mode[j] == 0 && !pl->open[j]) ||
			    kg[j] < solve_pickup_total(p, i) || stops[j] < 1 ||
			    mins[j] < p->stop_min[i] ||
			    !model_fleet_fits(p, rows, i, j, 0))
				continue;
			c = model_fit(p, room, i, j, alloc);
			c += p->cost[i * p->m + j] + (pl->open[j] ? 0 :
			    p->fixed[j]);
			if (c < best) {
				best = c;
				bj = j;
			}
		}
		if (bj < p->m) {
			model_fit(p, room, i, bj, alloc);
			model_take(p, pl, room, i, bj, alloc);
			kg[bj] -= solve_pickup_total(p, i);
			stops[bj] -= 1;
			mins[bj] -= p->stop_min[i];
			model_fleet_fits(p, rows, i, bj, 1);
			used[bj] = 1;
		} else if (!isnan(p->defer[i]))
			pl->deferred[i] = 1;
		else {
			solve_plan_free(pl, p);
			pl = NULL;
		}
	}
	for (j = 0; pl != NULL && j < p->m; j++)
		if (!used[j] && !p->force_open[j])
			pl->open[j] = 0;
	if (pl != NULL) {
		pl->status = SOLVE_FEASIBLE;
		pl->objective = solve_plan_cost(p, pl);
	}
	free(room);
	free(alloc);
	free(w);
	free(order);
	free(used);
	free(kg);
	free(stops);
	free(mins);
	free(rows);
	return pl;
}

/*
 * Re-plan greedily over the centres of mode with centre a (and b, if >=
 * 0) toggled; keep the plan when it beats *best.  Returns 1 when kept.
 */
static int
model_greedy_try(const struct solve_problem *p, int *mode, int a, int b,
    struct solve_plan **best)
{
	struct solve_plan	*pl;
	size_t			 j;

	mode[a] = mode[a] == 2 ? 0 : 2;
	if (b >= 0)
		mode[b] = mode[b] == 2 ? 0 : 2;
	pl = model_greedy_in(p, mode);
	if (pl != NULL && pl->objective < (*best)->objective -
	    1e-9 * fmax(1, fabs((*best)->objective))) {
		solve_plan_free(*best, p);
		*best = pl;
		for (j = 0; j < p->m; j++)
			mode[j] = pl->open[j] ? 2 : 0;
		return 1;
	}
	solve_plan_free(pl, p);
	mode[a] = mode[a] == 2 ? 0 : 2;
	if (b >= 0)
		mode[b] = mode[b] == 2 ? 0 : 2;
	return 0;
}

/*
 * A start for GLPK on large problems: the greedy plan, then a descent
 * over the set of open centres (open or close one, swap one for one),
 * each set re-planned greedily, until no move improves or the deadline
 * (time_mono() seconds).  NULL when the greedy finds no plan.
 */
struct solve_plan *
model_greedy(const struct solve_problem *p, double deadline)
{
	struct solve_plan	*best;
	int			*mode, improved = 1;
	size_t			 a, b;

	if ((best = model_greedy_in(p, NULL)) == NULL)
		return NULL;
	mode = xcalloc(p->m, sizeof(int));
	for (a = 0; a < p->m; a++)
		mode[a] = best->open[a] ? 2 : 0;
	while (improved && time_mono() < deadline) {
		improved = 0;
		for (a = 0; a < p->m && time_mono() < deadline; a++)
			if (!p->force_open[a])
				improved |= model_greedy_try(p, mode, (int)a,
				    -1, &best);
		for (a = 0; a < p->m && !improved; a++) {
			if (mode[a] != 2 || p->force_open[a])
				continue;
			for (b = 0; b < p->m && !improved &&
			    time_mono() < deadline; b++)
				if (mode[b] == 0)
					improved = model_greedy_try(p, mode,
					    (int)a, (int)b, &best);
		}
	}
	free(mode);
	return best;
}
