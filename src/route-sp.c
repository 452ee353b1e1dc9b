/*
 * route-sp.c -- the route pool and the set-partitioning MILP over it, in
 * GLPK; with depot-opening variables it is the joint location-routing
 * model: min sum F_d y_d + sum c_r x_r, each customer on exactly one
 * chosen route, x_r <= y_depot(r), depot load <= C_d y_d.
 *
 * The pool keeps, for every (depot, set of customers), the cheapest route
 * seen, in the parent instance's node indices.  The models go through
 * solve-glpk.c's builder (mip.h), which keeps GLPK from aborting the
 * process and turns its failures into a cause.  The best known solution
 * is handed to GLPK as a first incumbent, as MEASURED.md shows warm starts
 * matter for set partitioning.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "mip.h"
#include "route.h"

struct pool_route {
	int		 depot, len, *stop, next;
	int64_t		 cost, load;
	uint64_t	 key;
};

struct route_pool {
	struct pool_route	*r;
	int			 n, cap;
	int			*bucket;
	int			 nbucket;
};

static uint64_t
pool_mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

struct route_pool *
route_pool_new(void)
{
	struct route_pool	*p;

	p = xcalloc(1, sizeof(*p));
	p->nbucket = 4096;
	p->bucket = xreallocarray(NULL, p->nbucket, sizeof(int));
	memset(p->bucket, 0xff, p->nbucket * sizeof(int));
	return p;
}

void
route_pool_free(struct route_pool *p)
{
	int	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->r[i].stop);
	free(p->r);
	free(p->bucket);
	free(p);
}

int
route_pool_size(const struct route_pool *p)
{
	return p->n;
}

/* Same depot and same customer set? */
static int
pool_same(const struct pool_route *a, int depot, const int *stop, int len,
    uint64_t key)
{
	int	i, j;

	if (a->key != key || a->depot != depot || a->len != len)
		return 0;
	for (i = 0; i < len; i++) {
		for (j = 0; j < len && a->stop[j] != stop[i]; j++)
			;
		if (j == len)
			return 0;
	}
	return 1;
}

/*
 * File a route (stop is the pool's from now on) unless the pool holds one
 * over the same depot and customers: then keep the cheaper of the two.
 */
static void
pool_insert(struct route_pool *p, int depot, int *stop, int len,
    uint64_t key, int64_t cost, int64_t load)
{
	struct pool_route	*q;
	int			 i, b;

	b = (int)(key & (uint64_t)(p->nbucket - 1));
	for (i = p->bucket[b]; i >= 0; i = p->r[i].next) {
		q = &p->r[i];
		if (!pool_same(q, depot, stop, len, key))
			continue;
		if (cost < q->cost) {
			memcpy(q->stop, stop, len * sizeof(int));
			q->cost = cost;
		}
		free(stop);
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->r = xreallocarray(p->r, p->cap, sizeof(*p->r));
	}
	q = &p->r[p->n];
	q->depot = depot;
	q->len = len;
	q->stop = stop;
	q->cost = cost;
	q->load = load;
	q->key = key;
	q->next = p->bucket[b];
	p->bucket[b] = p->n++;
}

/*
 * Add route rp of instance in, mapped to the parent through in->orig when
 * set: the pool is then for the parent (location-routing pools routes of
 * per-depot sub-instances); a caller that partitions over in itself hands
 * the search a copy of in with orig NULL.  Keeps the cheaper of two routes
 * over the same customers; ignores routes that break a pinned position.
 */
void
route_pool_add(struct route_pool *p, const struct route_inst *in,
    const struct route_path *rp)
{
	int			*stop, i, depot;
	uint64_t		 key;
	int64_t			 cost, load = 0;

	/* a route breaking a pinned position is no column of the model */
	if (rp->len == 0 || !route_path_pinned(in, rp))
		return;
	stop = xreallocarray(NULL, rp->len, sizeof(int));
	depot = in->orig ? in->orig[rp->depot] : rp->depot;
	key = pool_mix((uint64_t)depot);
	for (i = 0; i < rp->len; i++) {
		stop[i] = in->orig ? in->orig[rp->stop[i]] : rp->stop[i];
		key += pool_mix((uint64_t)stop[i] + 1000003);
		load += in->node[rp->stop[i]].demand[0];
	}
	cost = route_path_dist(in, rp) + in->route_fixed +
	    in->vtype[rp->vtype].fixed;
	pool_insert(p, depot, stop, rp->len, key, cost, load);
}

/*
 * Add every route of src to p, in src's order (the parallel search gives
 * each thread a pool of its own and merges them in thread order, so the
 * result does not depend on timing).
 */
void
route_pool_merge(struct route_pool *p, const struct route_pool *src)
{
	const struct pool_route	*q;
	int			*stop, i;

	for (i = 0; i < src->n; i++) {
		q = &src->r[i];
		stop = xreallocarray(NULL, q->len, sizeof(int));
		memcpy(stop, q->stop, q->len * sizeof(int));
		pool_insert(p, q->depot, stop, q->len, q->key, q->cost,
		    q->load);
	}
}

#define SP_MAXCOLS	3000

static int	sp_solve(const struct route_inst *, struct route_pool *,
		    const struct route_sol *, double, struct route_sol *,
		    char **);
static struct route_pool *sp_restrict(const struct route_inst *,
		    const struct route_pool *, const struct route_sol *);

/* Index of the pooled route equal to rp (parent indices), or -1. */
static int
sp_find(const struct route_pool *p, const struct route_path *rp)
{
	uint64_t	key = pool_mix((uint64_t)rp->depot);
	int		i, b;

	for (i = 0; i < rp->len; i++)
		key += pool_mix((uint64_t)rp->stop[i] + 1000003);
	b = (int)(key & (uint64_t)(p->nbucket - 1));
	for (i = p->bucket[b]; i >= 0; i = p->r[i].next)
		if (pool_same(&p->r[i], rp->depot, rp->stop, rp->len, key))
			return i;
	return -1;
}

/*
 * Build the model: columns 0..n-1 the pooled routes, then (location-routing)
 * one per depot; rows 0..nc-1 the customers (each covered once), then
 * (location-routing) each depot's load within its capacity when open, and
 * each route only from an open depot.
 */
static struct mip *
sp_build(const struct route_inst *in, const struct route_pool *p, int lrp)
{
	struct mip	*m = mip_new();
	int		 r, i, row, col;

	for (i = 0; i < in->ncust; i++)
		mip_row(m, 1, 1);
	for (r = 0; r < p->n; r++)
		mip_col(m, 0, 1, (double)p->r[r].cost, 1);
	for (i = 0; lrp && i < in->ndepot; i++) {
		col = mip_col(m, 0, 1, in->depot_fixed ?
		    (double)in->depot_fixed[i] : 0, 1);
		row = mip_row(m, -HUGE_VAL, 0);
		mip_coef(m, row, col, in->depot_cap ?
		    -(double)in->depot_cap[i] : -1e12);
	}
	for (r = 0; r < p->n; r++) {
		for (i = 0; i < p->r[r].len; i++)
			mip_coef(m, p->r[r].stop[i] - in->ndepot, r, 1);
		if (!lrp)
			continue;
		mip_coef(m, in->ncust + p->r[r].depot, r,
		    (double)p->r[r].load);
		row = mip_row(m, -HUGE_VAL, 0);
		mip_coef(m, row, r, 1);
		mip_coef(m, row, p->n + p->r[r].depot, -1);
	}
	return m;
}

/* Column values of warm (each route must be in the pool), or NULL. */
static double *
sp_start(const struct route_inst *in, const struct route_pool *p,
    const struct route_sol *warm, int lrp)
{
	double	*x;
	int	 r, k;

	if (warm == NULL || warm->nroutes == 0)
		return NULL;
	x = xcalloc(p->n + in->ndepot, sizeof(double));
	for (r = 0; r < warm->nroutes; r++) {
		if (warm->route[r].len == 0)
			continue;
		if ((k = sp_find(p, &warm->route[r])) < 0) {
			free(x);
			return NULL;
		}
		x[k] = 1;
		if (lrp)
			x[p->n + warm->route[r].depot] = 1;
	}
	return x;
}

/*
 * Pick the cheapest set of pooled routes covering every customer once
 * (plus the depots to open when the instance has several).  warm, if
 * given, is the incumbent to beat (its routes are added to the pool).
 * Location-routing pools over SP_MAXCOLS routes are cut to the depots
 * warm opens.
 * On success out holds the best solution found and 0 is returned; -1 and
 * a cause when GLPK failed or found nothing.
 */
int
route_sp_solve(const struct route_inst *in, struct route_pool *p,
    const struct route_sol *warm, double tlim, struct route_sol *out,
    char **cause)
{
	struct route_pool	*q;
	int			 rc;

	if (in->ndepot <= 1 || warm == NULL || p->n <= SP_MAXCOLS)
		return sp_solve(in, p, warm, tlim, out, cause);
	q = sp_restrict(in, p, warm);
	rc = sp_solve(in, q, warm, tlim, out, cause);
	route_pool_free(q);
	return rc;
}

/* The routes of p from the depots warm opens (location-routing pools too
 * large for GLPK: MEASURED.md shows it stalls on 5-20k columns). */
static struct route_pool *
sp_restrict(const struct route_inst *in, const struct route_pool *p,
    const struct route_sol *warm)
{
	struct route_pool	*q = route_pool_new();
	struct route_inst	 view = *in;
	struct route_path	 rp;
	char			*open;
	int			 r;

	view.orig = NULL;
	open = xcalloc(in->ndepot, 1);
	for (r = 0; r < warm->nroutes; r++)
		open[warm->route[r].depot] = 1;
	for (r = 0; r < p->n; r++) {
		if (!open[p->r[r].depot])
			continue;
		rp.depot = p->r[r].depot;
		rp.vtype = 0;
		rp.len = p->r[r].len;
		rp.stop = p->r[r].stop;
		route_pool_add(q, &view, &rp);
	}
	free(open);
	return q;
}

/*
 * 1 when a pooled route names a node that is not one of in's depots or
 * customers: a pool filled through a sub-instance's map to its parent,
 * used with the sub-instance.  GLPK would stop on the row index.
 */
static int
sp_foreign(const struct route_inst *in, const struct route_pool *p)
{
	int	r, i;

	for (r = 0; r < p->n; r++) {
		if (p->r[r].depot < 0 || p->r[r].depot >= in->ndepot)
			return 1;
		for (i = 0; i < p->r[r].len; i++)
			if (p->r[r].stop[i] < in->ndepot ||
			    p->r[r].stop[i] >= in->n)
				return 1;
	}
	return 0;
}

static int
sp_solve(const struct route_inst *in, struct route_pool *p,
    const struct route_sol *warm, double tlim, struct route_sol *out,
    char **cause)
{
	struct mip_params	 pa;
	struct mip_result	 res;
	struct mip		*m;
	double			*start, *x;
	int			 r, rc = -1, lrp = in->ndepot > 1;

	for (r = 0; warm != NULL && r < warm->nroutes; r++)
		route_pool_add(p, in, &warm->route[r]);
	if (p->n == 0) {
		xasprintf(cause, "empty route pool");
		return -1;
	}
	if (sp_foreign(in, p)) {
		xasprintf(cause, "route pool holds nodes of another instance");
		return -1;
	}
	start = sp_start(in, p, warm, lrp);
	m = sp_build(in, p, lrp);
	memset(&pa, 0, sizeof(pa));
	pa.time_limit = tlim > 0.1 ? tlim : 0.1;
	pa.presolve = 1;
	pa.start = start;
	x = xcalloc(mip_ncols(m), sizeof(double));
	if (mip_solve(m, &pa, &res, x, NULL, cause) == -1)
		goto done;
	if (res.status != MIP_OPTIMAL && res.status != MIP_FEASIBLE) {
		xasprintf(cause, "set partitioning found no solution (%d)",
		    (int)res.status);
		goto done;
	}
	route_sol_clear(out);
	for (r = 0; r < p->n; r++)
		if (x[r] > 0.5)
			route_sol_add(out, p->r[r].depot, 0, p->r[r].stop,
			    p->r[r].len);
	out->cost = route_sol_cost(in, out);
	rc = 0;
done:
	mip_free(m);
	free(x);
	free(start);
	return rc;
}

/*
 * Generalised assignment for location-routing screening: customers to the
 * depots in mask at least total cost (cost[c * ndepot + d] for node c, or
 * the distance when NULL), within depot capacities (used when greedy
 * assignment fails on a tight configuration).  dep[c] gets
 * each customer's depot.  0, or -1 + cause if GLPK finds nothing in tlim.
 */
int
route_sp_assign(const struct route_inst *in, unsigned mask,
    const int64_t *cost, int *dep, double tlim, char **cause)
{
	struct mip_params	 pa;
	struct mip_result	 res;
	struct mip		*m;
	double			*x = NULL;
	int			*caprow, d, c, j, rc = -1;

	m = mip_new();
	caprow = xcalloc(in->ndepot, sizeof(int));
	for (c = 0; c < in->ncust; c++)
		mip_row(m, 1, 1);
	for (d = 0; d < in->ndepot; d++)
		if (mask & (1u << d))
			caprow[d] = mip_row(m, -HUGE_VAL,
			    (double)in->depot_cap[d]);
	/* column c * nd + k: customer c at the k-th depot of mask */
	for (c = 0; c < in->ncust; c++)
		for (d = 0; d < in->ndepot; d++) {
			if (!(mask & (1u << d)))
				continue;
			j = mip_col(m, 0, 1, cost != NULL ?
			    (double)cost[(size_t)(in->ndepot + c) * in->ndepot +
			    d] : (double)in->dist[(size_t)d * in->n +
			    in->ndepot + c], 1);
			mip_coef(m, c, j, 1);
			mip_coef(m, caprow[d], j,
			    (double)in->node[in->ndepot + c].demand[0]);
		}
	memset(&pa, 0, sizeof(pa));
	pa.time_limit = tlim > 0.05 ? tlim : 0.05;
	pa.mip_gap = 0.01;
	pa.presolve = 1;
	x = xcalloc(mip_ncols(m) + 1, sizeof(double));
	if (mip_solve(m, &pa, &res, x, NULL, cause) == -1)
		goto done;
	if (res.status != MIP_OPTIMAL && res.status != MIP_FEASIBLE) {
		xasprintf(cause, "no assignment within depot capacities");
		goto done;
	}
	for (c = 0, j = 0; c < in->ncust; c++)
		for (d = 0; d < in->ndepot; d++)
			if (mask & (1u << d))
				if (x[j++] > 0.5)
					dep[in->ndepot + c] = d;
	rc = 0;
done:
	mip_free(m);
	free(caprow);
	free(x);
	return rc;
}
