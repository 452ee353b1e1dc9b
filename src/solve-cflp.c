/*
 * solve-cflp.c -- the large capacitated facility location problem: a
 * Lagrangian matheuristic with GLPK on the pieces.
 *
 * GLPK cannot take a 100 x 1000 strong model whole (its LP alone runs for
 * minutes), so this file breaks the problem up:
 *   1. Lagrangian relaxation (solve-lagr.c) gives a lower bound, fixes
 *      centres by reduced cost and, every few steps, suggests a set of
 *      centres to open;
 *   2. each open set is priced exactly by the transportation LP (GLPK
 *      dual simplex over each pickup's nearest open centres, adding the
 *      arcs of negative reduced cost until there are none), so every
 *      incumbent is optimal for its open set;
 *   3. a restricted strong MILP over a kernel of centres (the
 *      incumbent's and the most attractive others) and each pickup's
 *      nearest kernel arcs is handed to GLPK, warm-started;
 *   4. a depth-first branch and bound over the centres, a Lagrangian
 *      bound at every node (warm-started from its parent), proves the
 *      optimum or the least bound of its open nodes; it resumes across
 *      phases;
 *   5. between its phases, a descent over add/drop/swap moves ranked by
 *      their Lagrangian bound (moves that cannot pay are never tried),
 *      seeded kicks when it stalls, and the MILP again around every new
 *      incumbent the descent finds.
 * Single-source problems are solved as multi-source first (that optimum
 * bounds them), then assigned greedily around its open set and handed
 * to the restricted MILP with binary assignments.
 * The reported bound (the root's Lagrangian bound, or what the tree
 * proved) is valid for the whole problem.  Deterministic for a seed as
 * long as no step is cut by the clock.  Called by solve_problem_run()
 * for plain CFLPs; no I/O.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

#define CFLP_ARCS	6	/* arcs per pickup in the first LP */
#define CFLP_MIP_ARCS	10	/* nearest kept centres per pickup in the MILP */
#define CFLP_CANDS	12	/* centres a kick chooses from */
#define CFLP_TRIES	40	/* most promising moves tried per descent */
#define CFLP_EXACT_ARCS	20000	/* up to this size the MILP is not restricted */
#define CFLP_NODE_ITERS	150	/* subgradient steps per branch-and-bound node */

/* A node of the branch-and-bound over the centres. */
struct cflp_node {
	int	*closed, *forced;	/* [m] fixings */
	double	*lambda;		/* [n] the parent's multipliers */
	double	 bound;			/* the parent's bound */
};

static void	 cflp_node_free(struct cflp_node *);

struct cflp_run {
	const struct solve_problem *p;
	const struct solve_params *pa;
	struct cflp	 q;
	double		*demand;	/* [n] */
	double		 t0, deadline;
	int		*near;		/* [n*m] centres by cost per pickup */
	char		*arc;		/* [n*m] scratch: arc in the LP */
	int		*kernel;	/* [m] centres of the restricted MILP */
	int		 exact;		/* 1: the MILP takes every kept arc */
	double		 proven;	/* a bound proved by the MILP */
	double		 ub;		/* the incumbent's cost */
	int		*best_open;	/* [m] */
	double		*best_x;	/* [n*m] */
	double		*x;		/* [n*m] scratch */
	uint64_t	*seen;		/* hashes of evaluated open sets */
	double		*seen_cost;
	size_t		 nseen, aseen;
	long		 nlp;
	long		 nodes;		/* branch-and-bound nodes */
	struct cflp_node *st;		/* its open nodes, a stack */
	size_t		 nst, ast;
	int		 bnb_started;
	int		 relaxed;	/* single-source problem solved as multi */
	struct rng rng;
	double		 lp_time;	/* seconds spent in transportation LPs */
};

static double	 cflp_time_left(const struct cflp_run *);
static double	 cflp_ss_assign(struct cflp_run *, const int *);

/* Order centres by the costs row arg (one pickup's), ties by index. */
static int
cflp_near_cmp(const void *a, const void *b, void *arg)
{
	const double	*c = arg;
	int		 x = *(const int *)a, y = *(const int *)b;

	if (c[x] != c[y])
		return c[x] < c[y] ? -1 : 1;
	return x - y;
}

static void
cflp_run_init(struct cflp_run *r, const struct solve_problem *p,
    const struct solve_params *pa)
{
	size_t	i, j, m = p->m;

	memset(r, 0, sizeof(*r));
	r->p = p;
	r->pa = pa;
	r->t0 = time_mono();
	/* Leave room for writing and validating the plan. */
	r->deadline = r->t0 + pa->time_limit * 0.95 - 0.2;
	r->demand = xcalloc(p->n, sizeof(double));
	for (i = 0; i < p->n; i++) {
		r->demand[i] = p->amount[i];
		r->q.D += p->amount[i];
	}
	r->q.m = m;
	r->q.n = p->n;
	r->q.f = p->fixed;
	r->q.s = p->cap;
	r->q.d = r->demand;
	r->q.c = p->cost;
	r->near = xcalloc(p->n * m, sizeof(int));
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < m; j++)
			r->near[i * m + j] = (int)j;
		qsort_r(&r->near[i * m], m, sizeof(int), cflp_near_cmp,
		    (void *)&p->cost[i * m]);
	}
	r->arc = xcalloc(p->n * m, 1);
	r->kernel = xcalloc(m, sizeof(int));
	r->best_open = xcalloc(m, sizeof(int));
	r->best_x = xcalloc(p->n * m, sizeof(double));
	r->x = xcalloc(p->n * m, sizeof(double));
	r->ub = HUGE_VAL;
	r->proven = -HUGE_VAL;
	r->exact = p->n * m <= CFLP_EXACT_ARCS && !pa->heuristic;
	rng_seed(&r->rng, pa->seed);
}

static void
cflp_run_free(struct cflp_run *r)
{
	free(r->demand);
	free(r->near);
	free(r->arc);
	free(r->kernel);
	free(r->best_open);
	free(r->best_x);
	free(r->x);
	free(r->seen);
	free(r->seen_cost);
	while (r->nst > 0)
		cflp_node_free(&r->st[--r->nst]);
	free(r->st);
}

static double
cflp_time_left(const struct cflp_run *r)
{
	return r->deadline - time_mono();
}

static uint64_t
cflp_hash(const int *open, size_t m)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		j;

	for (j = 0; j < m; j++)
		h = (h ^ (uint64_t)(open[j] + 1)) * 1099511628211ULL;
	return h;
}

/* Build the transportation LP over the arcs marked in r->arc. */
static struct mip *
cflp_lp_build(struct cflp_run *r, const int *open, int *col_of)
{
	const struct cflp	*q = &r->q;
	struct mip		*mp = mip_new();
	size_t			 i, j;
	int			 row;

	for (i = 0; i < q->n * q->m; i++)
		col_of[i] = r->arc[i] ? mip_col(mp, 0, 1, q->c[i], 0) : -1;
	for (i = 0; i < q->n; i++) {
		row = mip_row(mp, 1, 1);
		for (j = 0; j < q->m; j++)
			if (col_of[i * q->m + j] >= 0)
				mip_coef(mp, row, col_of[i * q->m + j], 1);
	}
	for (j = 0; j < q->m; j++) {
		row = mip_row(mp, -HUGE_VAL, open[j] ? q->s[j] : 0);
		for (i = 0; i < q->n; i++)
			if (col_of[i * q->m + j] >= 0)
				mip_coef(mp, row, col_of[i * q->m + j],
				    q->d[i]);
	}
	return mp;
}

/* Add the arcs to open centres of negative reduced cost; how many. */
static int
cflp_lp_price(struct cflp_run *r, const int *open, const double *dual)
{
	const struct cflp	*q = &r->q;
	size_t			 i, j;
	int			 added = 0;
	double			 rc;

	for (i = 0; i < q->n; i++)
		for (j = 0; j < q->m; j++) {
			if (!open[j] || r->arc[i * q->m + j])
				continue;
			rc = q->c[i * q->m + j] - dual[i] -
			    q->d[i] * dual[q->n + j];
			if (rc < -1e-7 * (1 + fabs(q->c[i * q->m + j]))) {
				r->arc[i * q->m + j] = 1;
				added++;
			}
		}
	return added;
}

/* Mark each pickup's k nearest open centres (all of them when k == 0). */
static void
cflp_lp_arcs(struct cflp_run *r, const int *open, size_t k)
{
	const struct cflp	*q = &r->q;
	size_t			 i, t, got;
	int			 j;

	memset(r->arc, 0, q->n * q->m);
	for (i = 0; i < q->n; i++)
		for (t = 0, got = 0; t < q->m && (k == 0 || got < k); t++) {
			j = r->near[i * q->m + t];
			if (open[j]) {
				r->arc[i * q->m + j] = 1;
				got++;
			}
		}
}

/*
 * The cost of opening exactly `open` with the best multi-source
 * assignment: fixed costs plus the transportation LP.  Fills r->x.
 * Returns HUGE_VAL when the open capacity cannot serve everyone, -1.0
 * with *cause when GLPK failed.
 */
static double
cflp_transport(struct cflp_run *r, const int *open, char **cause)
{
	const struct cflp	*q = &r->q;
	struct mip_params	 mpa;
	struct mip_result	 res;
	struct mip		*mp;
	int			*col_of = xcalloc(q->n * q->m, sizeof(int));
	double			*x = NULL, *dual = NULL, cost = HUGE_VAL, cap = 0;
	size_t			 i, j, full = 0;

	for (j = 0; j < q->m; j++)
		cap += open[j] ? q->s[j] : 0;
	if (cap < q->D * (1 - 1e-12))
		goto out;
	memset(&mpa, 0, sizeof(mpa));
	mpa.relax = 1;
	mpa.dual = 1;
	cflp_lp_arcs(r, open, CFLP_ARCS);
	for (;;) {
		mp = cflp_lp_build(r, open, col_of);
		x = xreallocarray(x, mip_ncols(mp) + 1, sizeof(double));
		dual = xreallocarray(dual, q->n + q->m, sizeof(double));
		r->nlp++;
		if (mip_solve(mp, &mpa, &res, x, dual, cause) == -1) {
			mip_free(mp);
			cost = -1.0;
			goto out;
		}
		mip_free(mp);
		if (res.status == MIP_INFEASIBLE && !full) {
			cflp_lp_arcs(r, open, 0);
			full = 1;
			continue;
		}
		if (res.status != MIP_OPTIMAL || cflp_lp_price(r, open,
		    dual) == 0)
			break;
	}
	if (res.status != MIP_OPTIMAL)
		goto out;
	cost = 0.0;
	for (j = 0; j < q->m; j++)
		cost += open[j] ? q->f[j] : 0;
	for (i = 0; i < q->n * q->m; i++) {
		r->x[i] = col_of[i] >= 0 ? x[col_of[i]] : 0.0;
		if (r->x[i] < 1e-9)
			r->x[i] = 0.0;
		cost += r->x[i] * q->c[i];
	}
out:
	free(col_of);
	free(x);
	free(dual);
	return cost;
}

/*
 * Evaluate an open set once (a cache skips repeats); keep it when it
 * beats the incumbent.  Returns its cost (HUGE_VAL: infeasible), -1.0 on
 * a GLPK failure.
 */
static double
cflp_eval(struct cflp_run *r, const int *open, char **cause)
{
	uint64_t	h = cflp_hash(open, r->q.m);
	double		cost;
	size_t		k;

	for (k = 0; k < r->nseen; k++)
		if (r->seen[k] == h)
			return r->seen_cost[k];
	r->lp_time -= time_mono();
	cost = r->p->single_source && !r->relaxed ? cflp_ss_assign(r, open) :
	    cflp_transport(r, open, cause);
	r->lp_time += time_mono();
	if (cost < 0)
		return cost;
	if (r->nseen == r->aseen) {
		r->aseen = r->aseen ? 2 * r->aseen : 64;
		r->seen = xreallocarray(r->seen, r->aseen, sizeof(uint64_t));
		r->seen_cost = xreallocarray(r->seen_cost, r->aseen,
		    sizeof(double));
	}
	r->seen[r->nseen] = h;
	r->seen_cost[r->nseen++] = cost;
	if (cost < r->ub) {
		r->ub = cost;
		memcpy(r->best_open, open, r->q.m * sizeof(int));
		memcpy(r->best_x, r->x, r->q.n * r->q.m * sizeof(double));
		if (r->pa->verbose)
			log_debug("cflp: incumbent %.3f (%.1f s)", cost,
			    time_mono() - r->t0);
	}
	return cost;
}

/*
 * The open set suggested by the Lagrangian solution: every centre with
 * y > 0, topped up by the best value per unit of capacity until the
 * capacity covers the demand.  Evaluated by cflp_eval.
 */
static double
cflp_from_lagr(struct cflp_run *r, const struct lagr *lg, char **cause)
{
	const struct cflp	*q = &r->q;
	int			*open = xcalloc(q->m, sizeof(int));
	double			 cap = 0.0, cost;
	size_t			 j, t;

	for (j = 0; j < q->m; j++)
		if (!lg->closed[j] && (lg->y[j] > 0 || lg->forced[j])) {
			open[j] = 1;
			cap += q->s[j];
		}
	for (t = 0; t < q->m && cap < q->D; t++) {
		j = lg->order[t];
		if (!open[j] && !lg->closed[j]) {
			open[j] = 1;
			cap += q->s[j];
		}
	}
	cost = cflp_eval(r, open, cause);
	free(open);
	return cost;
}

/* Centres not open and not closed by fixing, most attractive first. */
static size_t
cflp_candidates(const struct cflp_run *r, const struct lagr *lg,
    const int *open, int *cand, size_t max)
{
	size_t	t, n = 0;
	int	j;

	for (t = 0; t < r->q.m && n < max; t++) {
		j = lg->order[t];
		if (!open[j] && !lg->closed[j])
			cand[n++] = j;
	}
	return n;
}

/*
 * Try one move: toggle centres a and (if >= 0) b of open, keep the change
 * when it lowers *cost.  Returns 1 (kept), 0 (undone) or -1 (GLPK).
 */
static int
cflp_try(struct cflp_run *r, int *open, int a, int b, double *cost,
    char **cause)
{
	double	c;

	open[a] = !open[a];
	if (b >= 0)
		open[b] = !open[b];
	if ((c = cflp_eval(r, open, cause)) < 0)
		return -1;
	if (c < *cost * (1 - 1e-12)) {
		*cost = c;
		return 1;
	}
	open[a] = !open[a];
	if (b >= 0)
		open[b] = !open[b];
	return 0;
}

struct cflp_move {
	double	 est;	/* Lagrangian lower bound on the cost after it */
	int	 a, b;	/* centres to toggle; b < 0: one only */
};

static int
cflp_move_cmp(const void *x, const void *y)
{
	const struct cflp_move *p = x, *q = y;

	if (p->est != q->est)
		return p->est < q->est ? -1 : 1;
	if (p->a != q->a)
		return p->a - q->a;
	return p->b - q->b;
}

static void
cflp_move_add(struct cflp_move *mv, size_t *n, double est, double limit,
    int a, int b)
{
	if (est >= limit)
		return;
	mv[*n].est = est;
	mv[*n].a = a;
	mv[*n].b = b;
	(*n)++;
}

/*
 * The moves from `open` that might beat `limit`: drop one centre, add
 * one, swap one for one.  At the Lagrangian multipliers, sum lambda +
 * sum over the open set of v_j is a lower bound on that set's cost, so a
 * move whose bound reaches the limit cannot pay and is not listed.
 * Returns how many, best bound first.
 */
static size_t
cflp_moves(const struct cflp_run *r, const struct lagr *lg, const int *open,
    double limit, struct cflp_move *mv)
{
	const struct cflp	*q = &r->q;
	double			 base = 0.0, cap = 0.0;
	size_t			 i, j, c, n = 0;

	for (i = 0; i < q->n; i++)
		base += lg->lambda[i];
	for (j = 0; j < q->m; j++)
		if (open[j]) {
			base += lg->v[j];
			cap += q->s[j];
		}
	for (j = 0; j < q->m; j++) {
		if (lg->closed[j] || lg->forced[j])
			continue;
		if (!open[j]) {
			cflp_move_add(mv, &n, base + lg->v[j], limit, (int)j,
			    -1);
			continue;
		}
		if (cap - q->s[j] >= q->D)
			cflp_move_add(mv, &n, base - lg->v[j], limit, (int)j,
			    -1);
		for (c = 0; c < q->m; c++)
			if (!open[c] && !lg->closed[c] &&
			    cap - q->s[j] + q->s[c] >= q->D)
				cflp_move_add(mv, &n, base - lg->v[j] +
				    lg->v[c], limit, (int)j, (int)c);
	}
	qsort(mv, n, sizeof(*mv), cflp_move_cmp);
	return n;
}

/*
 * First-improvement descent from the open set `open` of cost *cost over
 * the CFLP_TRIES most promising moves of cflp_moves (measured: trying
 * them all spends the budget on moves that do not pay); until none
 * improves or time is up.  Returns 0, -1 on a GLPK failure.
 */
static int
cflp_descend(struct cflp_run *r, const struct lagr *lg, int *open,
    double *cost, char **cause)
{
	const struct cflp	*q = &r->q;
	struct cflp_move	*mv;
	size_t			 t, n;
	int			 rc = 1;

	mv = xcalloc(q->m * q->m + q->m, sizeof(*mv));
	while (rc == 1 && cflp_time_left(r) > 0) {
		rc = 0;
		n = cflp_moves(r, lg, open, *cost * (1 - 1e-12), mv);
		for (t = 0; t < n && t < CFLP_TRIES && rc == 0 &&
		    cflp_time_left(r) > 0; t++)
			rc = cflp_try(r, open, mv[t].a, mv[t].b, cost, cause);
	}
	free(mv);
	return rc == -1 ? -1 : 0;
}

/* Kick: swap two random open centres for random candidates. */
static void
cflp_kick(struct cflp_run *r, const struct lagr *lg, int *open)
{
	int	cand[2 * CFLP_CANDS], on[64];
	size_t	nc, non, j, k;

	for (k = 0; k < 2; k++) {
		nc = cflp_candidates(r, lg, open, cand, 2 * CFLP_CANDS);
		for (j = 0, non = 0; j < r->q.m && non < 64; j++)
			if (open[j] && !lg->forced[j])
				on[non++] = (int)j;
		if (nc == 0 || non == 0)
			return;
		open[on[rng_next(&r->rng) % non]] = 0;
		open[cand[rng_next(&r->rng) % nc]] = 1;
	}
}

/*
 * The subgradient phase: iterate until the step vanishes, the iteration
 * budget is spent or until `until` (time_mono() seconds), trying the
 * Lagrangian open set every few steps and fixing centres as the bound
 * allows.  Returns 0, or -1 on a GLPK failure.
 */
static int
cflp_dual_phase(struct cflp_run *r, struct lagr *lg, long iters, double until,
    char **cause)
{
	long	k;

	for (k = 0; k < iters && lg->theta > 1e-4; k++) {
		if (!isfinite(lagr_eval(lg)))
			break;	/* fixing closed everything: ub is optimal */
		if (k % 10 == 0 && isfinite(r->ub))
			lagr_fix(lg, r->ub);
		if (k % 50 == 0 || k < 3) {
			if (time_mono() > until)
				break;
			if (cflp_from_lagr(r, lg, cause) < 0)
				return -1;
		}
		if (lg->best >= r->ub * (1 - 1e-9))
			break;
		lagr_step(lg, isfinite(r->ub) ? r->ub : lg->L * 1.05 +
		    1, 30);
	}
	return 0;
}

/*
 * Single-source incumbent for an open set: pickups by decreasing demand,
 * each to its cheapest open centre with room.  Fills r->x; returns the
 * cost or HUGE_VAL when the greedy finds no room for a pickup.
 */
static double
cflp_ss_assign(struct cflp_run *r, const int *open)
{
	const struct cflp	*q = &r->q;
	double			*room = xcalloc(q->m, sizeof(double));
	int			*by = xcalloc(q->n, sizeof(int));
	double			 cost = 0.0;
	size_t			 i, t, u;
	int			 j;

	for (t = 0; t < q->m; t++) {
		room[t] = open[t] ? q->s[t] : 0.0;
		cost += open[t] ? q->f[t] : 0.0;
	}
	for (i = 0; i < q->n; i++)
		by[i] = (int)i;
	qsort_r(by, q->n, sizeof(int), cflp_near_cmp, (void *)q->d);
	memset(r->x, 0, q->n * q->m * sizeof(double));
	for (u = q->n; u-- > 0 && isfinite(cost);) {
		i = by[u];
		for (t = 0; t < q->m; t++) {
			j = r->near[i * q->m + t];
			if (open[j] && room[j] >= q->d[i])
				break;
		}
		if (t == q->m) {
			cost = HUGE_VAL;
			break;
		}
		room[j] -= q->d[i];
		r->x[i * q->m + j] = 1.0;
		cost += q->c[i * q->m + j];
	}
	free(room);
	free(by);
	return cost;
}

/*
 * Choose the kernel of the restricted MILP (the incumbent's centres and
 * the most attractive others by Lagrangian value per unit of capacity,
 * three times as many as the incumbent opens, at least 20) and mark its
 * arcs: each pickup's CFLP_MIP_ARCS nearest kernel centres, and every arc
 * the incumbent uses.
 */
static void
cflp_mip_arcs(struct cflp_run *r, const struct lagr *lg)
{
	const struct cflp	*q = &r->q;
	size_t			 i, t, got, size = 0, want, k = CFLP_MIP_ARCS;
	int			 j;

	for (j = 0; j < (int)q->m; j++) {
		r->kernel[j] = r->best_open[j];
		size += r->kernel[j];
	}
	want = size * 3 > 20 ? size * 3 : 20;
	if (r->exact)		/* small enough to take whole */
		want = k = q->m;
	for (t = 0; t < q->m && size < want; t++) {
		j = lg->order[t];
		if (!r->kernel[j] && !lg->closed[j]) {
			r->kernel[j] = 1;
			size++;
		}
	}
	memset(r->arc, 0, q->n * q->m);
	for (i = 0; i < q->n; i++) {
		for (t = 0, got = 0; t < q->m && got < k; t++) {
			j = r->near[i * q->m + t];
			if (r->kernel[j]) {
				r->arc[i * q->m + j] = 1;
				got++;
			}
		}
		for (t = 0; t < q->m; t++)
			if (r->best_x[i * q->m + t] > 0)
				r->arc[i * q->m + t] = 1;
	}
}

/* Build the restricted strong MILP; ycol/xcol map centres/arcs to columns
 * (-1: absent). */
static struct mip *
cflp_mip_build(struct cflp_run *r, const struct lagr *lg, int *ycol,
    int *xcol)
{
	const struct cflp	*q = &r->q;
	struct mip		*mp = mip_new();
	size_t			 i, j;
	int			 row, agg, vub;

	for (j = 0; j < q->m; j++)
		ycol[j] = !r->kernel[j] && !lg->forced[j] ? -1 :
		    mip_col(mp, lg->forced[j] ? 1 : 0, 1, q->f[j], 1);
	for (i = 0; i < q->n * q->m; i++)
		xcol[i] = r->arc[i] && ycol[i % q->m] >= 0 ? mip_col(mp, 0, 1,
		    q->c[i], r->p->single_source && !r->relaxed) : -1;
	for (i = 0; i < q->n; i++) {
		row = mip_row(mp, 1, 1);
		for (j = 0; j < q->m; j++)
			if (xcol[i * q->m + j] >= 0)
				mip_coef(mp, row, xcol[i * q->m + j], 1);
	}
	agg = mip_row(mp, q->D, HUGE_VAL);
	for (j = 0; j < q->m; j++) {
		if (ycol[j] < 0)
			continue;
		mip_coef(mp, agg, ycol[j], q->s[j]);
		row = mip_row(mp, -HUGE_VAL, 0);
		mip_coef(mp, row, ycol[j], -q->s[j]);
		for (i = 0; i < q->n; i++) {
			if (xcol[i * q->m + j] < 0)
				continue;
			mip_coef(mp, row, xcol[i * q->m + j], q->d[i]);
			vub = mip_row(mp, -HUGE_VAL, 0);
			mip_coef(mp, vub, xcol[i * q->m + j], 1);
			mip_coef(mp, vub, ycol[j], -1);
		}
	}
	return mp;
}

/* The incumbent in the MILP's column space. */
static double *
cflp_mip_start(const struct cflp_run *r, const struct mip *mp,
    const int *ycol, const int *xcol)
{
	double	*x = xcalloc(mip_ncols(mp), sizeof(double));
	size_t	 i, j;

	for (j = 0; j < r->q.m; j++)
		if (ycol[j] >= 0)
			x[ycol[j]] = r->best_open[j];
	for (i = 0; i < r->q.n * r->q.m; i++)
		if (xcol[i] >= 0)
			x[xcol[i]] = r->best_x[i];
	return x;
}

/*
 * Hand the restricted strong MILP to GLPK for the time left, starting
 * from the incumbent, and keep its answer when it is better.  Returns 0,
 * or -1 with *cause on a GLPK failure.
 */
static int
cflp_restricted_mip(struct cflp_run *r, const struct lagr *lg,
    struct solve_plan *pl, double tlim, char **cause)
{
	const struct cflp	*q = &r->q;
	int			*ycol = xcalloc(q->m, sizeof(int));
	int			*xcol = xcalloc(q->n * q->m, sizeof(int));
	struct mip_params	 mpa;
	struct mip_result	 res;
	struct mip		*mp;
	double			*x, *start = NULL;
	size_t			 i, j;
	int			 rc = -1;

	cflp_mip_arcs(r, lg);
	mp = cflp_mip_build(r, lg, ycol, xcol);
	memset(&mpa, 0, sizeof(mpa));
	mpa.presolve = 1;
	mpa.time_limit = tlim;
	mpa.verbose = r->pa->verbose > 1;
	if (isfinite(r->ub))
		mpa.start = start = cflp_mip_start(r, mp, ycol, xcol);
	x = xcalloc(mip_ncols(mp), sizeof(double));
	if (mip_solve(mp, &mpa, &res, x, NULL, cause) == -1)
		goto out;
	pl->nodes = res.nodes;
	log_debug("cflp: restricted mip: status %d, %.3f, bound %.3f, %ld "
	    "nodes, %d columns", res.status, res.objective, res.bound,
	    res.nodes, mip_ncols(mp));
	/* Unrestricted but for centres fixing closed (which cannot beat the
	 * incumbent), an optimal MILP proves its value optimal. */
	if (r->exact && res.status == MIP_OPTIMAL)
		r->proven = fmin(res.objective, r->ub);
	if (res.status == MIP_OPTIMAL || res.status == MIP_FEASIBLE) {
		for (j = 0; j < q->m; j++)
			r->x[j] = ycol[j] >= 0 && x[ycol[j]] > 0.5;
		if (res.objective < r->ub * (1 - 1e-12)) {
			for (j = 0; j < q->m; j++)
				r->best_open[j] = r->x[j] != 0;
			for (i = 0; i < q->n * q->m; i++) {
				r->best_x[i] = xcol[i] >= 0 ? x[xcol[i]] : 0;
				if (r->best_x[i] < 1e-9)
					r->best_x[i] = 0.0;
			}
			r->ub = res.objective;
		}
	}
	rc = 0;
out:
	mip_free(mp);
	free(x);
	free(start);
	free(ycol);
	free(xcol);
	return rc;
}

/* Copy the incumbent and the bound into the plan. */
static void
cflp_finish(struct cflp_run *r, const struct lagr *lg, struct solve_plan *pl)
{
	const struct cflp	*q = &r->q;
	size_t			 i, j;
	double			 v;

	pl->iterations = lg->iterations;
	if (!isfinite(r->ub)) {
		pl->status = SOLVE_NOSOLUTION;
		return;
	}
	for (j = 0; j < q->m; j++)
		pl->open[j] = r->best_open[j];
	for (i = 0; i < q->n * q->m; i++) {
		v = r->best_x[i];
		if (r->p->single_source || v > 1 - 1e-9)
			v = v > 0.5;
		pl->assign[i] = v;
	}
	solve_plan_set_flows(r->p, pl);
	pl->objective = solve_plan_cost(r->p, pl);
	pl->bound = fmin(r->proven, pl->objective);
	pl->nodes += r->nodes;
	pl->status = pl->bound >= pl->objective * (1 - 1e-7) ?
	    SOLVE_OPTIMAL : SOLVE_FEASIBLE;
}

static void
cflp_log_phase(const struct cflp_run *r, const struct lagr *lg,
    const char *phase)
{
	size_t	j, nc = 0, nf = 0, no = 0;

	for (j = 0; j < r->q.m; j++) {
		nc += lg->closed[j];
		nf += lg->forced[j];
		no += isfinite(r->ub) && r->best_open[j];
	}
	log_debug("cflp: after %s: %.1f s, cost %.3f, bound %.3f (%.3f%%), "
	    "%ld iterations, %ld LPs (%.1f s), %zu sets, %ld nodes, %zu "
	    "open, %zu closed and %zu forced by fixing", phase,
	    time_mono() - r->t0, r->ub, fmax(lg->best, r->proven),
	    100 * (r->ub - fmax(lg->best, r->proven)) / r->ub,
	    lg->iterations, r->nlp, r->lp_time, r->nseen, r->nodes, no, nc,
	    nf);
}

/*
 * Improve the incumbent until the time is up: descend from it; when that
 * found a new incumbent, hand the restricted MILP its neighbourhood and
 * price the MILP's open set exactly; when not, kick and descend again
 * (iterated local search).  Returns 0, -1 on a GLPK failure.
 */
static int
cflp_improve(struct cflp_run *r, struct lagr *lg, struct solve_plan *pl,
    double until, char **cause)
{
	int	*open = xcalloc(r->q.m, sizeof(int));
	double	 cost, mipped = HUGE_VAL, slice, deadline = r->deadline;
	int	 rc = -1;

	r->deadline = fmin(until, deadline);	/* this phase's deadline */
	while (cflp_time_left(r) > 0 && fmax(lg->best, r->proven) <
	    r->ub * (1 - 1e-7)) {
		if (r->ub < mipped * (1 - 1e-12) && cflp_time_left(r) > 1) {
			/* A new incumbent: search its neighbourhood whole;
			 * measured, this finds most improvements. */
			mipped = r->ub;
			slice = fmax(5, (r->deadline - r->t0) * 0.3);
			if (cflp_restricted_mip(r, lg, pl, fmin(slice,
			    cflp_time_left(r)), cause) == -1 ||
			    cflp_eval(r, r->best_open, cause) < 0)
				goto out;
			cflp_log_phase(r, lg, "restricted mip");
			mipped = r->ub;	/* its answer: no need to ask again */
			memcpy(open, r->best_open, r->q.m * sizeof(int));
		} else {
			memcpy(open, r->best_open, r->q.m * sizeof(int));
			cflp_kick(r, lg, open);
		}
		if ((cost = cflp_eval(r, open, cause)) < 0 ||
		    cflp_descend(r, lg, open, &cost, cause) == -1)
			goto out;
	}
	rc = 0;
out:
	r->deadline = deadline;
	free(open);
	return rc;
}

static void
cflp_node_push(struct cflp_node **st, size_t *n, size_t *cap,
    const struct lagr *lg, double bound, int j, int open)
{
	const struct cflp	*q = lg->q;
	struct cflp_node	*nd;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*st = xreallocarray(*st, *cap, sizeof(**st));
	}
	nd = &(*st)[(*n)++];
	nd->closed = xcalloc(q->m, sizeof(int));
	nd->forced = xcalloc(q->m, sizeof(int));
	nd->lambda = xcalloc(q->n, sizeof(double));
	memcpy(nd->closed, lg->closed, q->m * sizeof(int));
	memcpy(nd->forced, lg->forced, q->m * sizeof(int));
	memcpy(nd->lambda, lg->best_lambda, q->n * sizeof(double));
	nd->bound = bound;
	if (j >= 0)
		(open ? nd->forced : nd->closed)[j] = 1;
}

static void
cflp_node_free(struct cflp_node *nd)
{
	free(nd->closed);
	free(nd->forced);
	free(nd->lambda);
}

/*
 * The bound of the node loaded in lg: a short subgradient run from the
 * parent's multipliers, stopped once the node cannot beat the incumbent.
 * Leaves lg at the node's best multipliers.  HUGE_VAL: no plan here.
 */
static double
cflp_node_bound(struct cflp_run *r, struct lagr *lg)
{
	long	k;
	size_t	i;
	double	gg;

	lg->best = lg->last_best = -HUGE_VAL;
	lg->theta = 0.5;
	lg->stall = 0;
	memset(lg->dir, 0, lg->q->n * sizeof(double));
	for (k = 0; k < CFLP_NODE_ITERS && lg->theta > 1e-3; k++) {
		if (!isfinite(lagr_eval(lg)))
			return HUGE_VAL;
		for (i = 0, gg = 0; i < lg->q->n; i++)
			gg += lg->g[i] * lg->g[i];
		if (lg->best >= r->ub * (1 - 1e-9) || gg < 1e-18 ||
		    (k % 16 == 0 && cflp_time_left(r) <= 0))
			break;
		lagr_step(lg, r->ub, 10);
	}
	memcpy(lg->lambda, lg->best_lambda, lg->q->n * sizeof(double));
	lagr_eval(lg);
	return lg->best;
}

/* The centre to branch on: the doubtful open one (largest v_j among the
 * free centres the Lagrangian opens), else the most attractive closed
 * one; -1 when every centre is fixed. */
static int
cflp_branch_centre(const struct lagr *lg)
{
	size_t	j;
	int	best = -1, in = 0;

	for (j = 0; j < lg->q->m; j++) {
		if (lg->closed[j] || lg->forced[j])
			continue;
		if (lg->y[j] > 0 && (!in || lg->v[j] > lg->v[best])) {
			best = (int)j;
			in = 1;
		} else if (!in && (best < 0 || lg->v[j] < lg->v[best]))
			best = (int)j;
	}
	return best;
}

/*
 * Process one node: bound it, try its Lagrangian open set, fix by
 * reduced cost, and push its two children.  Returns 0 (pruned or
 * branched), 1 (interrupted by the deadline before branching: the node
 * must be kept), -1 on a GLPK failure.
 */
static int
cflp_node_run(struct cflp_run *r, struct lagr *lg, char **cause)
{
	double	b;
	int	j;

	b = cflp_node_bound(r, lg);
	if (b >= r->ub * (1 - 1e-9))
		return 0;
	if (cflp_time_left(r) <= 0)
		return 1;
	if (cflp_from_lagr(r, lg, cause) < 0)
		return -1;
	if (b >= r->ub * (1 - 1e-9))
		return 0;
	lagr_fix(lg, r->ub);
	if ((j = cflp_branch_centre(lg)) < 0) {
		/* Every centre fixed: the forced set is this node's plan. */
		return cflp_eval(r, lg->forced, cause) < 0 ? -1 : 0;
	}
	cflp_node_push(&r->st, &r->nst, &r->ast, lg, b, j, 0);
	cflp_node_push(&r->st, &r->nst, &r->ast, lg, b, j, 1);
	r->nodes++;
	return 0;
}

/*
 * Branch and bound over the centres with Lagrangian bounds, depth first,
 * until the deadline; a later call resumes the same tree.  A finished
 * tree proves the incumbent optimal; an unfinished one still proves the
 * least bound of its open nodes.  Returns 0, -1 on a GLPK failure.
 */
static int
cflp_bnb(struct cflp_run *r, struct lagr *lg, char **cause)
{
	const struct cflp	*q = &r->q;
	struct cflp_node	 nd;
	double			 low = HUGE_VAL;
	size_t			 k;
	int			 rc = 0;

	if (!isfinite(r->ub))
		return 0;	/* nothing to prune against, nothing to prove */
	if (!r->bnb_started) {
		r->bnb_started = 1;
		cflp_node_push(&r->st, &r->nst, &r->ast, lg, lg->best, -1, 0);
	}
	while (r->nst > 0 && rc == 0 && cflp_time_left(r) > 0) {
		nd = r->st[--r->nst];
		if (nd.bound < r->ub * (1 - 1e-9)) {
			memcpy(lg->closed, nd.closed, q->m * sizeof(int));
			memcpy(lg->forced, nd.forced, q->m * sizeof(int));
			memcpy(lg->lambda, nd.lambda, q->n * sizeof(double));
			if ((rc = cflp_node_run(r, lg, cause)) == 1) {
				r->st[r->nst++] = nd;	/* keep it */
				rc = 0;
				break;
			}
		}
		cflp_node_free(&nd);
	}
	for (k = 0; k < r->nst; k++)
		low = fmin(low, r->st[k].bound);
	if (rc == 0)
		r->proven = fmax(r->proven, fmin(low, r->ub));
	return rc;
}

/*
 * After the dual phase, until proved or out of time: a short branch and
 * bound (with the exact cover's bound it often proves the optimum in a
 * few nodes: capa), the kernel MILP once (measured: it usually finds the
 * optimum or close when the first incumbent is poor: capb-7000), branch
 * and bound with that incumbent, the search around the incumbent, and
 * branch and bound to the end.  Each phase starts from the root's
 * Lagrangian state.
 */
static int
cflp_search(struct cflp_run *r, struct lagr *lg, struct solve_plan *pl,
    char **cause)
{
	const struct cflp	*q = &r->q;
	int			*closed = xcalloc(q->m, sizeof(int));
	int			*forced = xcalloc(q->m, sizeof(int));
	double			*lambda = xcalloc(q->n, sizeof(double));
	double			 span = r->deadline - r->t0, deadline;
	int			 rc = -1, phase;

	deadline = r->deadline;
	for (phase = 0; phase < 5 && r->proven < r->ub * (1 - 1e-7) &&
	    cflp_time_left(r) > 0; phase++) {
		memcpy(closed, lg->closed, q->m * sizeof(int));
		memcpy(forced, lg->forced, q->m * sizeof(int));
		memcpy(lambda, lg->best_lambda, q->n * sizeof(double));
		if (phase == 1) {
			if (cflp_restricted_mip(r, lg, pl, fmin(span * 0.15,
			    cflp_time_left(r)), cause) == -1 ||
			    cflp_eval(r, r->best_open, cause) < 0)
				goto out;
		} else if (phase == 3) {
			if (cflp_improve(r, lg, pl, r->t0 + span * 0.85,
			    cause) == -1)
				goto out;
		} else {
			r->deadline = fmin(deadline, r->t0 + span *
			    (phase == 0 ? 0.25 : phase == 2 ? 0.75 : 1));
			if (cflp_bnb(r, lg, cause) == -1)
				goto out;
			r->deadline = deadline;
		}
		/* Back to the root's fixings and multipliers. */
		memcpy(lg->closed, closed, q->m * sizeof(int));
		memcpy(lg->forced, forced, q->m * sizeof(int));
		memcpy(lg->best_lambda, lambda, q->n * sizeof(double));
		memcpy(lg->lambda, lambda, q->n * sizeof(double));
		/* Forget the nodes' bounds: only the root's is global. */
		lg->best = lg->last_best = -HUGE_VAL;
		lagr_eval(lg);
		lagr_fix(lg, r->ub);	/* a better incumbent fixes more */
		cflp_log_phase(r, lg, phase == 1 ? "restricted mip" :
		    phase == 3 ? "search" : "branch and bound");
	}
	rc = 0;
out:
	r->deadline = deadline;
	free(closed);
	free(forced);
	free(lambda);
	return rc;
}

/* Evaluate `open` and `open` plus each of the best few candidates. */
static int
cflp_ss_around(struct cflp_run *r, const struct lagr *lg, const int *base,
    char **cause)
{
	int	*open = xcalloc(r->q.m, sizeof(int)), cand[CFLP_CANDS];
	size_t	 t, nc;
	int	 rc = 0;

	memcpy(open, base, r->q.m * sizeof(int));
	if (cflp_eval(r, open, cause) < 0)
		rc = -1;
	nc = cflp_candidates(r, lg, open, cand, CFLP_CANDS);
	for (t = 0; t < nc && rc == 0; t++) {
		open[cand[t]] = 1;
		if (cflp_eval(r, open, cause) < 0)
			rc = -1;
		open[cand[t]] = 0;
	}
	free(open);
	return rc;
}

/*
 * Single source: solve the multi-source relaxation first (half the
 * budget; its proven bound holds for single source too), then assign
 * single-source greedily on its open set and its neighbours, and give
 * the rest to the restricted MILP with binary assignments.  The
 * relaxation's fixings are not valid for single source: the dual phase's
 * are restored and redone with the single-source incumbent.
 */
static int
cflp_solve_ss(struct cflp_run *r, struct lagr *lg, struct solve_plan *pl,
    char **cause)
{
	const struct cflp	*q = &r->q;
	int	*closed = xcalloc(q->m, sizeof(int));
	int	*forced = xcalloc(q->m, sizeof(int));
	int	*ms_open = xcalloc(q->m, sizeof(int));
	int	*ss_open = xcalloc(q->m, sizeof(int));
	double	*ss_x = xcalloc(q->n * q->m, sizeof(double));
	double	 ss_ub = r->ub, deadline = r->deadline, *lambda;
	int	 rc = -1;

	lambda = xcalloc(q->n, sizeof(double));
	memcpy(lambda, lg->best_lambda, q->n * sizeof(double));
	memcpy(closed, lg->closed, q->m * sizeof(int));
	memcpy(forced, lg->forced, q->m * sizeof(int));
	memcpy(ss_open, r->best_open, q->m * sizeof(int));
	memcpy(ss_x, r->best_x, q->n * q->m * sizeof(double));
	r->relaxed = 1;
	r->nseen = 0;		/* the cache holds single-source costs */
	r->ub = HUGE_VAL;
	r->proven = fmax(r->proven, lg->best);
	r->deadline = r->t0 + (deadline - r->t0) * 0.5;
	/* The search needs an incumbent: the single-source one, priced as
	 * multi-source. */
	if (cflp_eval(r, ss_open, cause) < 0 || cflp_search(r, lg, pl,
	    cause) == -1)
		goto out;
	r->deadline = deadline;
	memcpy(ms_open, r->best_open, q->m * sizeof(int));
	r->relaxed = 0;
	r->nseen = 0;
	r->ub = ss_ub;
	memcpy(r->best_open, ss_open, q->m * sizeof(int));
	memcpy(r->best_x, ss_x, q->n * q->m * sizeof(double));
	memcpy(lg->closed, closed, q->m * sizeof(int));
	memcpy(lg->forced, forced, q->m * sizeof(int));
	memcpy(lg->lambda, lambda, q->n * sizeof(double));
	lg->best = lg->last_best = -HUGE_VAL;
	lagr_eval(lg);
	if (cflp_ss_around(r, lg, ms_open, cause) == -1)
		goto out;
	if (isfinite(r->ub))
		lagr_fix(lg, r->ub);
	cflp_log_phase(r, lg, "single-source start");
	if (r->proven < r->ub * (1 - 1e-7) && cflp_time_left(r) > 1 &&
	    cflp_restricted_mip(r, lg, pl, cflp_time_left(r), cause) == -1)
		goto out;
	rc = 0;
out:
	r->deadline = deadline;
	r->relaxed = 0;
	free(closed);
	free(forced);
	free(ms_open);
	free(ss_open);
	free(ss_x);
	free(lambda);
	return rc;
}

/*
 * Solve the plain CFLP p (multi-source; single-source only by the
 * restricted MILP) into pl.  Returns 0, or -1 with *cause on a GLPK failure.
 */
int
cflp_solve(const struct solve_problem *p, const struct solve_params *pa,
    struct solve_plan *pl, char **cause)
{
	struct cflp_run	 r;
	struct lagr	 lg;
	int		 rc = -1;

	cflp_run_init(&r, p, pa);
	lagr_init(&lg, &r.q);
	if (cflp_dual_phase(&r, &lg, 4000, r.t0 + (r.deadline - r.t0) * 0.3,
	    cause) == -1)
		goto out;
	memcpy(lg.lambda, lg.best_lambda, r.q.n * sizeof(double));
	lagr_eval(&lg);
	if (isfinite(r.ub))
		lagr_fix(&lg, r.ub);
	cflp_log_phase(&r, &lg, "dual");
	if (p->single_source) {
		if (cflp_solve_ss(&r, &lg, pl, cause) == -1)
			goto out;
	} else {
		r.proven = fmax(r.proven, lg.best);
		if (cflp_search(&r, &lg, pl, cause) == -1)
			goto out;
	}
	r.proven = fmax(r.proven, lg.best);
	cflp_finish(&r, &lg, pl);
	rc = 0;
out:
	lagr_free(&lg);
	cflp_run_free(&r);
	return rc;
}
