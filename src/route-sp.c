/*
 * route-sp.c -- the route pool and the set-partitioning MILP over it, in
 * GLPK; with depot-opening variables it is the joint location-routing
 * model: min sum F_d y_d + sum c_r x_r, each customer on exactly one
 * chosen route, x_r <= y_depot(r), depot load <= C_d y_d.
 *
 * The pool keeps, for every (depot, set of customers), the cheapest route
 * seen, in the parent instance's node indices.  This is the only file that
 * includes glpk.h.  GLPK is not allowed to abort the process: an error hook
 * longjmps back, frees GLPK's environment and fails the solve with a cause.
 * The best known solution is handed to GLPK as a first incumbent, as
 * MEASURED.md shows warm starts matter for set partitioning.
 */
#include <glpk.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
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
/*
 * GLPK's own printing (and the message of an internal error, which it
 * prints whatever glp_term_out says) goes to stderr: stdout carries the
 * plan.
 */
static int
sp_term_cb(void *info, const char *s)
{
	fputs(s, stderr);
	return 1;
}


#define SP_MAXCOLS	3000

static int	sp_solve(const struct route_inst *, struct route_pool *,
		    const struct route_sol *, double, struct route_sol *,
		    char **);
static struct route_pool *sp_restrict(const struct route_inst *,
		    const struct route_pool *, const struct route_sol *);

struct sp_ctx {
	jmp_buf		 jb;
	double		*start;		/* 1-based column values, or NULL */
	int		 given;
};

static void
sp_error_cb(void *arg)
{
	struct sp_ctx	*c = arg;

	longjmp(c->jb, 1);
}

/* Offer the warm start once, at the first heuristic call-back. */
static void
sp_cb(glp_tree *t, void *arg)
{
	struct sp_ctx	*c = arg;

	if (glp_ios_reason(t) == GLP_IHEUR && c->start != NULL && !c->given) {
		c->given = 1;
		glp_ios_heur_sol(t, c->start);
	}
}

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

/* Build the model: rows 1..nc customers, then capacity and link rows. */
static void
sp_build(glp_prob *lp, const struct route_inst *in, const struct route_pool *p,
    int lrp)
{
	int	*ia, *ja, r, i, k = 0, row, nz;
	double	*ar;

	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_rows(lp, in->ncust + (lrp ? in->ndepot + p->n : 0));
	for (i = 1; i <= in->ncust; i++)
		glp_set_row_bnds(lp, i, GLP_FX, 1, 1);
	glp_add_cols(lp, p->n + (lrp ? in->ndepot : 0));
	nz = 0;
	for (r = 0; r < p->n; r++)
		nz += p->r[r].len + (lrp ? 3 : 0);
	nz += lrp ? 2 * in->ndepot : 0;
	ia = xcalloc(nz + 1, sizeof(int));
	ja = xcalloc(nz + 1, sizeof(int));
	ar = xcalloc(nz + 1, sizeof(double));
	for (r = 0; r < p->n; r++) {
		glp_set_col_kind(lp, r + 1, GLP_BV);
		glp_set_obj_coef(lp, r + 1, (double)p->r[r].cost);
		for (i = 0; i < p->r[r].len; i++) {
			ia[++k] = p->r[r].stop[i] - in->ndepot + 1;
			ja[k] = r + 1;
			ar[k] = 1;
		}
		if (!lrp)
			continue;
		row = in->ncust + 1 + p->r[r].depot;
		ia[++k] = row; ja[k] = r + 1; ar[k] = (double)p->r[r].load;
		row = in->ncust + in->ndepot + 1 + r;
		ia[++k] = row; ja[k] = r + 1; ar[k] = 1;
		glp_set_row_bnds(lp, row, GLP_UP, 0, 0);
		ia[++k] = row; ja[k] = p->n + 1 + p->r[r].depot; ar[k] = -1;
	}
	for (i = 0; lrp && i < in->ndepot; i++) {
		int col = p->n + 1 + i;
		glp_set_col_kind(lp, col, GLP_BV);
		glp_set_obj_coef(lp, col, in->depot_fixed ?
		    (double)in->depot_fixed[i] : 0);
		row = in->ncust + 1 + i;
		glp_set_row_bnds(lp, row, GLP_UP, 0, 0);
		ia[++k] = row; ja[k] = col;
		ar[k] = in->depot_cap ? -(double)in->depot_cap[i] : -1e12;
	}
	glp_load_matrix(lp, k, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
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
	x = xcalloc(p->n + in->ndepot + 1, sizeof(double));
	for (r = 0; r < warm->nroutes; r++) {
		if (warm->route[r].len == 0)
			continue;
		if ((k = sp_find(p, &warm->route[r])) < 0) {
			free(x);
			return NULL;
		}
		x[k + 1] = 1;
		if (lrp)
			x[p->n + 1 + warm->route[r].depot] = 1;
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
	struct sp_ctx	 ctx;
	glp_prob	*lp = NULL;
	glp_iocp	 parm;
	int		 r, rc = -1, st, lrp = in->ndepot > 1;

	memset(&ctx, 0, sizeof(ctx));
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
	ctx.start = sp_start(in, p, warm, lrp);
	glp_error_hook(sp_error_cb, &ctx);
	if (setjmp(ctx.jb)) {
		glp_free_env();
		xasprintf(cause, "GLPK internal error in set partitioning");
		goto done;
	}
	glp_term_hook(sp_term_cb, NULL);
	glp_term_out(GLP_OFF);
	lp = glp_create_prob();
	sp_build(lp, in, p, lrp);
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.tm_lim = (int)(tlim * 1000) > 100 ? (int)(tlim * 1000) : 100;
	parm.cb_func = sp_cb;
	parm.cb_info = &ctx;
	st = glp_intopt(lp, &parm);
	if ((st != 0 && st != GLP_ETMLIM && st != GLP_EMIPGAP) ||
	    (glp_mip_status(lp) != GLP_OPT && glp_mip_status(lp) != GLP_FEAS)) {
		xasprintf(cause, "set partitioning found no solution (%d)", st);
		glp_delete_prob(lp);
		glp_error_hook(NULL, NULL);
		goto done;
	}
	route_sol_clear(out);
	for (r = 0; r < p->n; r++)
		if (glp_mip_col_val(lp, r + 1) > 0.5)
			route_sol_add(out, p->r[r].depot, 0, p->r[r].stop,
			    p->r[r].len);
	out->cost = route_sol_cost(in, out);
	glp_delete_prob(lp);
	glp_error_hook(NULL, NULL);
	rc = 0;
done:
	free(ctx.start);
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
	struct sp_ctx	 ctx;
	glp_prob	*lp = NULL;
	glp_iocp	 parm;
	volatile int	 nd = 0;
	int		*ia = NULL, *ja = NULL, *col = NULL, d, c, k = 0;
	int		 j, rc = -1, st;
	double		*ar = NULL;

	memset(&ctx, 0, sizeof(ctx));
	for (d = 0; d < in->ndepot; d++)
		nd += (mask >> d) & 1;
	col = xcalloc(in->ndepot, sizeof(int));
	ia = xcalloc(2 * (size_t)in->ncust * nd + 1, sizeof(int));
	ja = xcalloc(2 * (size_t)in->ncust * nd + 1, sizeof(int));
	ar = xcalloc(2 * (size_t)in->ncust * nd + 1, sizeof(double));
	glp_error_hook(sp_error_cb, &ctx);
	if (setjmp(ctx.jb)) {
		glp_free_env();
		xasprintf(cause, "GLPK internal error in assignment");
		goto done;
	}
	glp_term_hook(sp_term_cb, NULL);
	glp_term_out(GLP_OFF);
	lp = glp_create_prob();
	glp_add_rows(lp, in->ncust + nd);
	glp_add_cols(lp, in->ncust * nd);
	for (d = 0, j = 0; d < in->ndepot; d++)
		if (mask & (1u << d)) {
			col[d] = j;
			glp_set_row_bnds(lp, in->ncust + 1 + j, GLP_UP, 0,
			    (double)in->depot_cap[d]);
			j++;
		}
	for (c = 0; c < in->ncust; c++) {
		glp_set_row_bnds(lp, c + 1, GLP_FX, 1, 1);
		for (d = 0; d < in->ndepot; d++) {
			if (!(mask & (1u << d)))
				continue;
			j = c * nd + col[d] + 1;
			glp_set_col_kind(lp, j, GLP_BV);
			glp_set_obj_coef(lp, j, cost != NULL ?
			    (double)cost[(size_t)(in->ndepot + c) * in->ndepot +
			    d] : (double)in->dist[(size_t)d * in->n +
			    in->ndepot + c]);
			ia[++k] = c + 1; ja[k] = j; ar[k] = 1;
			ia[++k] = in->ncust + 1 + col[d]; ja[k] = j;
			ar[k] = (double)in->node[in->ndepot + c].demand[0];
		}
	}
	glp_load_matrix(lp, k, ia, ja, ar);
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.mip_gap = 0.01;
	parm.tm_lim = (int)(tlim * 1000) > 50 ? (int)(tlim * 1000) : 50;
	st = glp_intopt(lp, &parm);
	if ((st != 0 && st != GLP_ETMLIM && st != GLP_EMIPGAP) ||
	    (glp_mip_status(lp) != GLP_OPT && glp_mip_status(lp) != GLP_FEAS)) {
		xasprintf(cause, "no assignment within depot capacities");
		glp_delete_prob(lp);
		glp_error_hook(NULL, NULL);
		goto done;
	}
	for (c = 0; c < in->ncust; c++)
		for (d = 0; d < in->ndepot; d++)
			if ((mask & (1u << d)) && glp_mip_col_val(lp,
			    c * nd + col[d] + 1) > 0.5)
				dep[in->ndepot + c] = d;
	glp_delete_prob(lp);
	glp_error_hook(NULL, NULL);
	rc = 0;
done:
	free(col);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}
