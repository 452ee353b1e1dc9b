/*
 * solve-lagr.c -- Lagrangian relaxation of the capacitated facility
 * location problem: lower bounds and reduced-cost fixing.
 *
 * Relax the demand rows sum_j x_ij = 1 with multipliers lambda_i.  What is
 * left splits per centre: open j (fixed cost f_j) and take the pickups of
 * negative reduced cost c_ij - lambda_i, best per unit first, up to the
 * capacity s_j, the last one in part (a continuous knapsack; x_ij <= y_j
 * makes it exact).  Its value v_j is what opening j gains at lambda.  The
 * centres are then chosen by the covering knapsack sum_j s_j y_j >= D
 * (total demand): exactly when all capacities are equal (cheapest whole
 * centres first), else by its LP relaxation; either keeps the bound valid
 * and tighter than taking every v_j < 0 alone:
 *
 *   L(lambda) = sum_i lambda_i + min { sum_j v_j y_j : sum_j s_j y_j >= D,
 *                                      0 <= y <= 1, fixed y kept }
 *
 * L is a lower bound on the (multi- and single-source) optimum for every
 * lambda; its maximum equals the strong LP bound.  lagr_step() is one
 * deflected subgradient step with Polyak's step length.  Centres whose
 * opening (or closing) alone lifts L above a known cost are fixed.
 * Pure: no I/O, no globals; the caller owns struct lagr.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

struct lagr_item {
	double	 ratio;		/* reduced cost per unit of demand */
	int	 i;
};

void
lagr_init(struct lagr *lg, const struct cflp *q)
{
	size_t	i, j;
	double	best, v;

	memset(lg, 0, sizeof(*lg));
	lg->q = q;
	lg->lambda = xcalloc(q->n, sizeof(double));
	lg->best_lambda = xcalloc(q->n, sizeof(double));
	lg->dir = xcalloc(q->n, sizeof(double));
	lg->g = xcalloc(q->n, sizeof(double));
	lg->v = xcalloc(q->m, sizeof(double));
	lg->y = xcalloc(q->m, sizeof(double));
	lg->closed = xcalloc(q->m, sizeof(int));
	lg->forced = xcalloc(q->m, sizeof(int));
	lg->order = xcalloc(q->m, sizeof(int));
	lg->pick_off = xcalloc(q->m + 1, sizeof(size_t));
	lg->pick_cap = q->n;
	lg->pick_i = xcalloc(lg->pick_cap, sizeof(int));
	lg->pick_x = xcalloc(lg->pick_cap, sizeof(double));
	lg->items = xcalloc(q->n, sizeof(struct lagr_item));
	lg->theta = 2.0;
	lg->best = -HUGE_VAL;
	lg->equal_cap = 1;
	for (j = 1; j < q->m; j++)
		if (q->s[j] != q->s[0])
			lg->equal_cap = 0;
	/* Start from the cheapest cost per pickup with the fixed cost spread
	 * over a full centre: a fair price for serving it. */
	for (i = 0; i < q->n; i++) {
		best = HUGE_VAL;
		for (j = 0; j < q->m; j++) {
			v = q->c[i * q->m + j] + (q->s[j] > 0 ?
			    q->f[j] * q->d[i] / q->s[j] : q->f[j]);
			if (v < best)
				best = v;
		}
		lg->lambda[i] = best;
	}
}

void
lagr_free(struct lagr *lg)
{
	free(lg->lambda);
	free(lg->best_lambda);
	free(lg->dir);
	free(lg->g);
	free(lg->v);
	free(lg->y);
	free(lg->closed);
	free(lg->forced);
	free(lg->order);
	free(lg->pick_off);
	free(lg->pick_i);
	free(lg->pick_x);
	free(lg->items);
}

static int
lagr_item_cmp(const void *a, const void *b)
{
	const struct lagr_item *x = a, *y = b;

	if (x->ratio != y->ratio)
		return x->ratio < y->ratio ? -1 : 1;
	return x->i - y->i;	/* deterministic ties */
}

static void
lagr_pick(struct lagr *lg, int i, double x)
{
	size_t	n = lg->pick_off[lg->q->m];

	if (n == lg->pick_cap) {
		lg->pick_cap *= 2;
		lg->pick_i = xreallocarray(lg->pick_i, lg->pick_cap,
		    sizeof(int));
		lg->pick_x = xreallocarray(lg->pick_x, lg->pick_cap,
		    sizeof(double));
	}
	lg->pick_i[n] = i;
	lg->pick_x[n] = x;
	lg->pick_off[lg->q->m] = n + 1;
}

/* The continuous knapsack of centre j at lambda; sets v[j] and its picks. */
static void
lagr_knapsack(struct lagr *lg, size_t j)
{
	const struct cflp	*q = lg->q;
	size_t			 i, k, nk = 0;
	double			 rc, room = q->s[j], val = q->f[j], x;

	for (i = 0; i < q->n; i++) {
		rc = q->c[i * q->m + j] - lg->lambda[i];
		if (rc >= 0)
			continue;
		lg->items[nk].ratio = q->d[i] > 0 ? rc / q->d[i] : -HUGE_VAL;
		lg->items[nk++].i = (int)i;
	}
	qsort(lg->items, nk, sizeof(lg->items[0]), lagr_item_cmp);
	for (k = 0; k < nk && room > 0; k++) {
		i = lg->items[k].i;
		x = q->d[i] <= room ? 1.0 : room / q->d[i];
		room -= x * q->d[i];
		val += x * (q->c[i * q->m + j] - lg->lambda[i]);
		lagr_pick(lg, (int)i, x);
	}
	lg->v[j] = val;
}

static int
lagr_cover_cmp(const void *a, const void *b, void *arg)
{
	const struct lagr *lg = arg;
	int	 x = *(const int *)a, y = *(const int *)b;
	double	 rx = lg->v[x] / fmax(lg->q->s[x], 1e-12);
	double	 ry = lg->v[y] / fmax(lg->q->s[y], 1e-12);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x - y;
}

/*
 * The covering knapsack's LP over the order computed by lagr_eval, with
 * centre `force` (or none: -1) set to `to`.  Returns its value, HUGE_VAL
 * when the capacity cannot reach D; fills y when not NULL.
 */
static double
lagr_cover(const struct lagr *lg, int force, int to, double *y)
{
	const struct cflp	*q = lg->q;
	double			 cap = 0.0, val = 0.0, t;
	size_t			 r;
	int			 j, in, pass;

	/* Pass 0 takes what is in for sure; pass 1 fills what is missing
	 * with the centres cheapest per unit of capacity. */
	for (pass = 0; pass < 2; pass++)
		for (r = 0; r < q->m; r++) {
			j = lg->order[r];
			if (j == force)
				in = to;
			else if (lg->closed[j])
				in = 0;
			else if (lg->forced[j] || lg->v[j] <= 0)
				in = 1;
			else
				in = -1;
			if (pass == 0) {
				t = in == 1 ? 1.0 : 0.0;
				if (y != NULL)
					y[j] = t;
			} else if (in == -1 && cap < q->D) {
				/* Equal capacities: whole centres cheapest
				 * first is the exact 0-1 cover, a stronger
				 * bound than the LP's fraction. */
				t = lg->equal_cap ? 1.0 : fmin(1.0,
				    (q->D - cap) / fmax(q->s[j], 1e-12));
				if (y != NULL)
					y[j] = t;
			} else
				continue;
			cap += t * q->s[j];
			val += t * lg->v[j];
		}
	return cap < q->D * (1 - 1e-12) ? HUGE_VAL : val;
}

/*
 * Evaluate L at the current lambda: v, y, the subgradient g and lg->L.
 * Keeps the best lambda seen.  Returns L (HUGE_VAL: fixing proved that
 * no plan cheaper than the incumbent exists).
 */
double
lagr_eval(struct lagr *lg)
{
	const struct cflp	*q = lg->q;
	size_t			 i, j, t;
	double			 sum = 0.0;

	lg->pick_off[q->m] = 0;
	for (j = 0; j < q->m; j++) {
		lg->pick_off[j] = lg->pick_off[q->m];
		if (lg->closed[j])
			lg->v[j] = 0.0;	/* never opened: skip its knapsack */
		else
			lagr_knapsack(lg, j);
	}
	for (j = 0; j < q->m; j++)
		lg->order[j] = (int)j;
	qsort_r(lg->order, q->m, sizeof(int), lagr_cover_cmp, lg);
	for (i = 0; i < q->n; i++) {
		sum += lg->lambda[i];
		lg->g[i] = 1.0;
	}
	lg->L = sum + lagr_cover(lg, -1, 0, lg->y);
	for (j = 0; j < q->m; j++) {
		if (lg->y[j] == 0)
			continue;
		for (t = lg->pick_off[j]; t < (j + 1 < q->m ?
		    lg->pick_off[j + 1] : lg->pick_off[q->m]); t++)
			lg->g[lg->pick_i[t]] -= lg->y[j] * lg->pick_x[t];
	}
	if (lg->L > lg->best) {
		lg->best = lg->L;
		memcpy(lg->best_lambda, lg->lambda, q->n * sizeof(double));
	}
	lg->iterations++;
	return lg->L;
}

/*
 * One deflected subgradient step towards the target ub (a known cost).
 * theta halves after `patience` steps without a better bound.
 */
void
lagr_step(struct lagr *lg, double ub, int patience)
{
	const struct cflp	*q = lg->q;
	double			 norm = 0.0, t;
	size_t			 i;

	if (lg->L > lg->last_best + 1e-9 * fabs(lg->L)) {
		lg->last_best = lg->L;
		lg->stall = 0;
	} else if (++lg->stall >= patience) {
		lg->theta /= 2;
		lg->stall = 0;
	}
	for (i = 0; i < q->n; i++) {
		lg->dir[i] = lg->g[i] + 0.5 * lg->dir[i];
		norm += lg->dir[i] * lg->dir[i];
	}
	if (norm < 1e-18 || !isfinite(lg->L))
		return;
	t = lg->theta * (ub - lg->L) / norm;
	if (t <= 0)
		t = lg->theta * 1e-3 * fabs(lg->L) / norm;
	for (i = 0; i < q->n; i++)
		lg->lambda[i] += t * lg->dir[i];
}

/*
 * Reduced-cost fixing at the current lambda (just evaluated): close every
 * centre whose opening alone lifts L above ub, force open every centre
 * whose closing does.  Valid because L stays a lower bound under the
 * fixings, and a plan better than ub survives them.  Returns how many
 * centres were newly fixed.
 */
int
lagr_fix(struct lagr *lg, double ub)
{
	const struct cflp	*q = lg->q;
	double			 base = lg->L - lagr_cover(lg, -1, 0, NULL);
	double			 tol = 1e-9 * fabs(ub);
	size_t			 j;
	int			 nfix = 0;

	if (!isfinite(lg->L))
		return 0;
	for (j = 0; j < q->m; j++) {
		if (lg->closed[j] || lg->forced[j])
			continue;
		if (base + lagr_cover(lg, (int)j, 1, NULL) > ub + tol) {
			lg->closed[j] = 1;
			nfix++;
		} else if (base + lagr_cover(lg, (int)j, 0, NULL) > ub + tol) {
			lg->forced[j] = 1;
			nfix++;
		}
	}
	return nfix;
}
