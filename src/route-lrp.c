/*
 * route-lrp.c -- capacitated location-routing: which depots to open, and
 * the routes from each.
 *
 * A route-based matheuristic.  (1) Screen the depot configurations whose
 * capacity covers the demand, fewest depots first, while the screening
 * budget lasts: assign customers to open depots by regret under depot
 * capacities (a local search over the assignment when that finds no
 * room: route-md.c, no clock, so a loaded machine drops no
 * configuration), route each depot with Clarke-Wright savings, price
 * fixed + route costs.  (2) Give the best few configurations to the
 * genetic search, depot by depot, pooling every good route.  (3) Race the
 * configurations whose best plan is close to the best with the
 * multi-depot search of route-md.c, which moves customers between the
 * depots' routes even when the depots are full (on tight instances the
 * split between depots is an exact bin packing that routing depot by
 * depot cannot repair).  (4) Solve the location-routing set-partitioning
 * MILP over the pool (route-sp.c: depot-opening variables, depot
 * capacities), warm-started with the best solution found, and (5) give
 * the rest of the time to the multi-depot search on the winner's depots.
 * Pure apart from the clock; deterministic for a seed.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"
#include "route-md.h"

#define LRP_TOP		4
#define LRP_ROUNDS	0.35	/* of the time: configurations routed */
#define LRP_RACED	0.65	/* by then: the multi-depot race is over */
#define LRP_SP		0.1	/* then the set partitioning's share */
#define LRP_RACE	3	/* configurations raced */
#define LRP_RACE_GAP	0.02	/* at most this far above the best */

struct lrp_conf {
	unsigned	 mask;
	int		 nopen;
	int64_t		 fixed, est;
};


#define D(in, a, b)	((in)->dist[(size_t)(a) * (in)->n + (b)])

/*
 * Assign customers to the depots in mask: largest regret first, each to its
 * nearest open depot with room.  dep[c] gets the depot of customer c.
 * With rng, distances are perturbed by up to 30% to diversify the pool.
 * Returns 0, or -1 when some customer finds no room.
 */
static int
lrp_assign(const struct route_inst *in, unsigned mask, int *dep,
    struct rng *rng)
{
	int64_t	*left, *key, *cost, b1, b2;
	int	*ord, i, j, c, d, best, rc = -1;

	cost = xcalloc((size_t)in->n * in->ndepot, sizeof(int64_t));
	for (c = in->ndepot; c < in->n; c++)
		for (d = 0; d < in->ndepot; d++)
			cost[(size_t)c * in->ndepot + d] = D(in, d, c) +
			    (rng == NULL ? 0 : D(in, d, c) *
			    rng_int(rng, 300) / 1000);
#define AC(c, d)	(cost[(size_t)(c) * in->ndepot + (d)])
	left = xcalloc(in->ndepot, sizeof(int64_t));
	key = xcalloc(in->n, sizeof(int64_t));
	ord = xcalloc(in->ncust, sizeof(int));
	for (d = 0; d < in->ndepot; d++)
		left[d] = in->depot_cap ? in->depot_cap[d] : ROUTE_INF;
	for (i = 0; i < in->ncust; i++) {
		c = ord[i] = in->ndepot + i;
		b1 = b2 = ROUTE_INF;
		for (d = 0; d < in->ndepot; d++) {
			if (!(mask & (1u << d)))
				continue;
			if (AC(c, d) < b1) {
				b2 = b1;
				b1 = AC(c, d);
			} else if (AC(c, d) < b2)
				b2 = AC(c, d);
		}
		key[c] = b2 - b1;
	}
	/* insertion sort by regret, stable: n is at most a few hundred */
	for (i = 1; i < in->ncust; i++)
		for (j = i; j > 0 && key[ord[j - 1]] < key[ord[j]]; j--) {
			c = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = c;
		}
	for (i = 0; i < in->ncust; i++) {
		c = ord[i];
		best = -1;
		for (d = 0; d < in->ndepot; d++)
			if ((mask & (1u << d)) &&
			    left[d] >= in->node[c].demand[0] &&
			    (best < 0 || AC(c, d) < AC(c, best)))
				best = d;
		if (best < 0) {
			char *cause = NULL;
			/*
			 * Tight configuration: a local search over the
			 * assignment, which needs no clock, so a loaded
			 * machine drops no configuration; the MILP only if
			 * it fails.
			 */
			rc = route_md_assign(in, mask, cost, dep, 1);
			if (rc < 0)
				rc = route_sp_assign(in, mask, cost, dep, 1.0,
				    &cause);
			free(cause);
			goto done;
		}
		dep[c] = best;
		left[best] -= in->node[c].demand[0];
	}
	rc = 0;
done:
#undef AC
	free(cost);
	free(left);
	free(key);
	free(ord);
	return rc;
}

/* Customers of depot d under dep[]; returns how many (into cust[]). */
static int
lrp_members(const struct route_inst *in, const int *dep, int d, int *cust)
{
	int	c, k = 0;

	for (c = in->ndepot; c < in->n; c++)
		if (dep[c] == d)
			cust[k++] = c;
	return k;
}

/* Estimated cost of configuration mask, or -1 if infeasible. */
static int64_t
lrp_estimate(const struct route_inst *in, unsigned mask, int *dep, int *cust)
{
	int64_t	cost = 0;
	int	d, k;

	if (lrp_assign(in, mask, dep, NULL) < 0)
		return -1;
	for (d = 0; d < in->ndepot; d++) {
		if (!(mask & (1u << d)))
			continue;
		k = lrp_members(in, dep, d, cust);
		if (k > 0)
			cost += in->depot_fixed[d] +
			    route_savings(in, d, cust, k, 1.0, NULL);
	}
	return cost;
}

static int
lrp_conf_cmp(const void *a, const void *b)
{
	const struct lrp_conf	*x = a, *y = b;

	if (x->nopen != y->nopen)
		return x->nopen - y->nopen;
	if (x->fixed != y->fixed)
		return x->fixed < y->fixed ? -1 : 1;
	return x->mask < y->mask ? -1 : 1;
}

static int
lrp_est_cmp(const void *a, const void *b)
{
	const struct lrp_conf	*x = a, *y = b;

	if (x->est != y->est)
		return x->est < y->est ? -1 : 1;
	return x->mask < y->mask ? -1 : 1;
}

/* Configurations covering the demand, estimated until the deadline;
 * returns how many were estimated, best first, in *out. */
static int
lrp_screen(const struct route_inst *in, double deadline,
    struct lrp_conf **out)
{
	struct lrp_conf	*cf;
	int64_t		 total = 0, capsum;
	int		*dep, *cust, nc = 0, ne = 0, i, d;
	unsigned	 m, nmask = 1u << in->ndepot;

	for (i = in->ndepot; i < in->n; i++)
		total += in->node[i].demand[0];
	cf = xcalloc(nmask, sizeof(*cf));
	for (m = 1; m < nmask; m++) {
		capsum = 0;
		cf[nc].fixed = 0;
		cf[nc].nopen = 0;
		for (d = 0; d < in->ndepot; d++)
			if (m & (1u << d)) {
				capsum += in->depot_cap[d];
				cf[nc].fixed += in->depot_fixed[d];
				cf[nc].nopen++;
			}
		if (capsum >= total)
			cf[nc++].mask = m;
	}
	qsort(cf, nc, sizeof(*cf), lrp_conf_cmp);
	dep = xcalloc(in->n, sizeof(int));
	cust = xcalloc(in->n, sizeof(int));
	for (i = 0; i < nc && (i < 8 || time_mono() < deadline); i++) {
		int64_t e = lrp_estimate(in, cf[i].mask, dep, cust);
		if (e >= 0) {
			cf[ne] = cf[i];
			cf[ne++].est = e;
		}
	}
	qsort(cf, ne, sizeof(*cf), lrp_est_cmp);
	free(dep);
	free(cust);
	*out = cf;
	return ne;
}

/* Load of route rp (dimension 0). */
static int64_t
lrp_load(const struct route_inst *in, const struct route_path *rp)
{
	int64_t	l = 0;
	int	i;

	for (i = 0; i < rp->len; i++)
		l += in->node[rp->stop[i]].demand[0];
	return l;
}

/* Cheapest insertion of c into route rp: delta cost, position in *at. */
static int64_t
lrp_insertion(const struct route_inst *in, const struct route_path *rp,
    int c, int *at)
{
	int64_t	best = ROUTE_INF, x;
	int	k, p, q;

	for (k = 0; k <= rp->len; k++) {
		p = k > 0 ? rp->stop[k - 1] : rp->depot;
		q = k < rp->len ? rp->stop[k] : rp->depot;
		x = D(in, p, c) + D(in, c, q) - D(in, p, q);
		if (x < best) {
			best = x;
			*at = k;
		}
	}
	return best;
}

/* Saving of removing stop k from route rp (its fixed cost if alone). */
static int64_t
lrp_removal(const struct route_inst *in, const struct route_path *rp, int k)
{
	int	p = k > 0 ? rp->stop[k - 1] : rp->depot;
	int	q = k < rp->len - 1 ? rp->stop[k + 1] : rp->depot;
	int	c = rp->stop[k];

	return D(in, p, c) + D(in, c, q) - D(in, p, q) +
	    (rp->len == 1 ? in->route_fixed + in->vtype[0].fixed : 0);
}

/* Move stop k of route r to position at of route r2 (r2 may be new). */
static void
lrp_move(struct route_sol *s, int r, int k, int r2, int at)
{
	struct route_path	*a = &s->route[r], *b = &s->route[r2];
	int			 c = a->stop[k];

	memmove(a->stop + k, a->stop + k + 1, (a->len - k - 1) * sizeof(int));
	a->len--;
	b->stop = xreallocarray(b->stop, b->len + 1, sizeof(int));
	memmove(b->stop + at + 1, b->stop + at, (b->len - at) * sizeof(int));
	b->stop[at] = c;
	b->len++;
}

/* Hang route r from the open depot where its ends are cheapest, if the
 * depot has room; returns 1 if it moved. */
static int
lrp_reanchor(const struct route_inst *in, unsigned mask, struct route_sol *s,
    int r, int64_t *dload)
{
	struct route_path	*rp = &s->route[r];
	int64_t			 load = lrp_load(in, rp), x, best;
	int			 d, bd = rp->depot, a, b;

	if (rp->len == 0)
		return 0;
	a = rp->stop[0];
	b = rp->stop[rp->len - 1];
	best = D(in, rp->depot, a) + D(in, b, rp->depot);
	for (d = 0; d < in->ndepot; d++) {
		if (!(mask & (1u << d)) || d == rp->depot ||
		    dload[d] + load > in->depot_cap[d])
			continue;
		x = D(in, d, a) + D(in, b, d);
		if (x < best) {
			best = x;
			bd = d;
		}
	}
	if (bd == rp->depot)
		return 0;
	dload[rp->depot] -= load;
	dload[bd] += load;
	rp->depot = bd;
	return 1;
}

/* Cheapest insertion of c into rp once its stop k is gone; position in
 * the reduced route in *at. */
static int64_t
lrp_insertion_without(const struct route_inst *in,
    const struct route_path *rp, int k, int c, int *at)
{
	int64_t	best = ROUTE_INF, x;
	int	pos, p, q, m = rp->len - 1;

#define RED(t)	(rp->stop[(t) < k ? (t) : (t) + 1])
	for (pos = 0; pos <= m; pos++) {
		p = pos == 0 ? rp->depot : RED(pos - 1);
		q = pos == m ? rp->depot : RED(pos);
		x = D(in, p, c) + D(in, c, q) - D(in, p, q);
		if (x < best) {
			best = x;
			*at = pos;
		}
	}
#undef RED
	return best;
}

/* Remove stop k of rp and insert c at position at of what remains. */
static void
lrp_replace(struct route_path *rp, int k, int c, int at)
{
	memmove(rp->stop + k, rp->stop + k + 1, (rp->len - k - 1) * sizeof(int));
	memmove(rp->stop + at + 1, rp->stop + at,
	    (rp->len - 1 - at) * sizeof(int));
	rp->stop[at] = c;
}

/*
 * Exchange two customers of routes from different depots, each going to
 * its cheapest position in the other route: the move that still works
 * when depots are full (tight configurations).  Returns swaps made.
 */
static int
lrp_swap(const struct route_inst *in, struct route_sol *s, int64_t *dload)
{
	int64_t	q = in->vtype[0].cap[0], g, la, lb, da, db;
	int64_t	fx = in->route_fixed + in->vtype[0].fixed;
	int	a, b, i, j, ca, cb, ata = 0, atb = 0, moved = 0;

	for (a = 0; a < s->nroutes; a++)
		for (b = a + 1; b < s->nroutes; b++) {
			struct route_path *A = &s->route[a], *B = &s->route[b];
			if (A->depot == B->depot)
				continue;
			la = lrp_load(in, A);
			lb = lrp_load(in, B);
			for (i = 0; i < A->len; i++)
				for (j = 0; j < B->len; j++) {
					ca = A->stop[i];
					cb = B->stop[j];
					da = in->node[ca].demand[0];
					db = in->node[cb].demand[0];
					if (la - da + db > q || lb - db + da > q ||
					    dload[A->depot] - da + db >
					    in->depot_cap[A->depot] ||
					    dload[B->depot] - db + da >
					    in->depot_cap[B->depot])
						continue;
					/* lengths stay: no route fixed cost */
					g = lrp_removal(in, A, i) +
					    lrp_removal(in, B, j) -
					    (A->len == 1 ? fx : 0) -
					    (B->len == 1 ? fx : 0);
					g -= lrp_insertion_without(in, A, i, cb,
					    &ata);
					if (g <= 0)
						continue;
					g -= lrp_insertion_without(in, B, j, ca,
					    &atb);
					if (g <= 0)
						continue;
					lrp_replace(A, i, cb, ata);
					lrp_replace(B, j, ca, atb);
					dload[A->depot] += db - da;
					dload[B->depot] += da - db;
					la += db - da;
					lb += da - db;
					moved++;
				}
		}
	return moved;
}

/*
 * One pass of first-improvement relocation of single customers to routes
 * of other open depots (or a new route there), under vehicle and depot
 * capacities.  Repairs what the regret assignment got wrong at the borders
 * between depots.  Returns how many customers moved.
 */
static int
lrp_cross(const struct route_inst *in, unsigned mask, struct route_sol *s)
{
	int64_t	*dload, q = in->vtype[0].cap[0], gain, x, best;
	int	 r, r2, k, d, at = 0, bat = 0, br, moved = 0, c, len0 = 0;

	dload = xcalloc(in->ndepot, sizeof(int64_t));
	for (r = 0; r < s->nroutes; r++)
		dload[s->route[r].depot] += lrp_load(in, &s->route[r]);
	for (r = 0; r < s->nroutes; r++)
		moved += lrp_reanchor(in, mask, s, r, dload);
	for (r = 0; r < s->nroutes; r++)
		for (k = 0; k < s->route[r].len; k++) {
			c = s->route[r].stop[k];
			gain = lrp_removal(in, &s->route[r], k);
			best = ROUTE_INF;
			br = -1;
			for (r2 = 0; r2 < s->nroutes; r2++) {
				d = s->route[r2].depot;
				if (d == s->route[r].depot || dload[d] +
				    in->node[c].demand[0] > in->depot_cap[d] ||
				    lrp_load(in, &s->route[r2]) +
				    in->node[c].demand[0] > q)
					continue;
				x = lrp_insertion(in, &s->route[r2], c, &at);
				if (s->route[r2].len == 0)
					x = 2 * D(in, d, c) + in->route_fixed;
				if (x < best) {
					best = x;
					br = r2;
					bat = at;
				}
			}
			for (d = 0; d < in->ndepot && best >= gain; d++) {
				if (!(mask & (1u << d)) ||
				    d == s->route[r].depot || dload[d] +
				    in->node[c].demand[0] > in->depot_cap[d])
					continue;
				x = 2 * D(in, d, c) + in->route_fixed;
				if (x < best && x < gain) {
					route_sol_add(s, d, 0, &c, 0);
					best = x;
					br = s->nroutes - 1;
					bat = 0;
				}
			}
			if (br < 0 || best >= gain)
				continue;
			dload[s->route[r].depot] -= in->node[c].demand[0];
			dload[s->route[br].depot] += in->node[c].demand[0];
			lrp_move(s, r, k, br, bat);
			moved++;
			k--;
		}
	moved += lrp_swap(in, s, dload);
	/* drop emptied routes */
	for (r = 0; r < s->nroutes; r++)
		if (s->route[r].len > 0)
			s->route[len0++] = s->route[r];
		else
			free(s->route[r].stop);
	s->nroutes = len0;
	free(dload);
	return moved;
}

/* The routes of sol at depot d, renumbered into sub's node indices. */
static void
lrp_subsol(const struct route_inst *in, const struct route_inst *sub,
    const struct route_sol *sol, int d, struct route_sol *out)
{
	int	*inv, r, i;

	inv = xcalloc(in->n, sizeof(int));
	for (i = 0; i < sub->n; i++)
		inv[sub->orig[i]] = i;
	route_sol_clear(out);
	for (r = 0; r < sol->nroutes; r++) {
		if (sol->route[r].depot != d)
			continue;
		route_sol_add(out, 0, 0, sol->route[r].stop,
		    sol->route[r].len);
		for (i = 0; i < sol->route[r].len; i++)
			out->route[out->nroutes - 1].stop[i] =
			    inv[sol->route[r].stop[i]];
	}
	free(inv);
}

/*
 * Route each open depot of mask with the genetic search, over customers
 * dep[] assigns to it; init (parent indices, may be NULL) seeds each depot.
 * Appends the routes to sol; if some depot finds no feasible routes, sol
 * is emptied and -1 returned, so no partial plan passes for a cheap one.
 */
static int
lrp_route_depots(const struct route_inst *in, const struct route_opts *o,
    unsigned mask, const int *dep, double tbudget, struct route_pool *pool,
    const struct route_sol *init, struct route_sol *sol, uint64_t seed)
{
	struct route_inst	*sub;
	struct route_sol	 s, is;
	struct route_opts	 so = *o;
	int			*cust, d, k, r, i, failed = 0;

	cust = xcalloc(in->n, sizeof(int));
	route_sol_init(&s);
	route_sol_init(&is);
	for (d = 0; d < in->ndepot && !failed; d++) {
		if (!(mask & (1u << d)) ||
		    (k = lrp_members(in, dep, d, cust)) == 0)
			continue;
		sub = route_inst_sub(in, d, cust, k);
		if (init != NULL)
			lrp_subsol(in, sub, init, d, &is);
		so.seed = seed + d;
		if (route_hgs(sub, &so, time_mono() + tbudget * k / in->ncust,
		    &s, init != NULL ? &is : NULL, pool) < 0)
			failed = 1;
		else
			for (r = 0; r < s.nroutes; r++) {
				for (i = 0; i < s.route[r].len; i++)
					s.route[r].stop[i] =
					    sub->orig[s.route[r].stop[i]];
				route_sol_add(sol, d, 0, s.route[r].stop,
				    s.route[r].len);
			}
		route_inst_free(sub);
	}
	route_sol_clear(&s);
	route_sol_clear(&is);
	free(cust);
	if (failed)
		route_sol_clear(sol);
	return failed ? -1 : 0;
}

/*
 * Pool routes from overlapping clusters: for each open depot, the
 * customers it serves in sol plus those for which it is the second
 * nearest open depot.  The routes of these runs are not a solution, but
 * they let the set-partitioning step move whole groups between depots.
 */
static void
lrp_extended(const struct route_inst *in, const struct route_opts *o,
    unsigned mask, const struct route_sol *sol, double tbudget,
    struct route_pool *pool, uint64_t seed)
{
	struct route_inst	*sub;
	struct route_sol	 s;
	struct route_opts	 so = *o;
	int			*own, *cust, c, d, e, b1, b2, k, r, i;

	own = xcalloc(in->n, sizeof(int));
	cust = xcalloc(in->n, sizeof(int));
	route_sol_init(&s);
	for (r = 0; r < sol->nroutes; r++)
		for (i = 0; i < sol->route[r].len; i++)
			own[sol->route[r].stop[i]] = sol->route[r].depot;
	for (d = 0; d < in->ndepot; d++) {
		if (!(mask & (1u << d)))
			continue;
		for (k = 0, c = in->ndepot; c < in->n; c++) {
			b1 = b2 = -1;
			for (e = 0; e < in->ndepot; e++) {
				if (!(mask & (1u << e)))
					continue;
				if (b1 < 0 || D(in, e, c) < D(in, b1, c)) {
					b2 = b1;
					b1 = e;
				} else if (b2 < 0 || D(in, e, c) < D(in, b2, c))
					b2 = e;
			}
			if (own[c] == d || b1 == d || b2 == d)
				cust[k++] = c;
		}
		if (k == 0)
			continue;
		sub = route_inst_sub(in, d, cust, k);
		so.seed = seed + d;
		route_hgs(sub, &so, time_mono() + tbudget * k / in->ncust /
		    2, &s, NULL, pool);
		route_inst_free(sub);
	}
	route_sol_clear(&s);
	free(own);
	free(cust);
}

/*
 * Route configuration mask: assign (with noise when rng is given), route
 * every depot, repair the borders between depots by relocation, and route
 * again from there.  Result in sol; returns its cost, or -1.
 */
static int64_t
lrp_route_conf(const struct route_inst *in, const struct route_opts *o,
    unsigned mask, double tbudget, struct route_pool *pool,
    struct route_sol *sol, struct rng *rng)
{
	struct route_sol	 first;
	uint64_t		 seed;
	int			*dep, r, i;

	route_sol_clear(sol);
	route_sol_init(&first);
	dep = xcalloc(in->n, sizeof(int));
	seed = o->seed * 131 + mask * 7 + (rng != NULL ? rng_next(rng) : 0);
	if (lrp_assign(in, mask, dep, rng) < 0) {
		free(dep);
		return -1;
	}
	lrp_route_depots(in, o, mask, dep, tbudget / 3, pool, NULL, &first,
	    seed);
	if (lrp_cross(in, mask, &first) > 0) {
		for (r = 0; r < first.nroutes; r++)
			for (i = 0; i < first.route[r].len; i++)
				dep[first.route[r].stop[i]] =
				    first.route[r].depot;
		lrp_route_depots(in, o, mask, dep, tbudget / 3, pool, &first,
		    sol, seed + 1000);
	} else
		route_sol_copy(sol, &first);
	if (pool != NULL)
		lrp_extended(in, o, mask, sol, tbudget / 3, pool, seed + 2000);
	route_sol_clear(&first);
	free(dep);
	sol->cost = route_sol_cost(in, sol);
	return sol->cost;
}

/*
 * Race the configurations whose best solution (cbest[], top of them) is
 * within LRP_RACE_GAP of the cheapest: a multi-depot search on each, the
 * cheapest first, sharing the time up to deadline.  The winner goes to
 * sol.
 */
static void
lrp_race(const struct route_inst *in, const struct route_opts *o,
    struct lrp_conf *cf, struct route_sol *cbest, int top,
    struct route_pool *pool, struct route_sol *sol, double deadline)
{
	int	*ord, n = 0, i, j, k;
	double	 now;

	ord = xcalloc(top, sizeof(int));
	for (k = 0; k < top; k++)
		if (cbest[k].nroutes > 0 && (double)cbest[k].cost <=
		    (1 + LRP_RACE_GAP) * (double)sol->cost)
			ord[n++] = k;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && cbest[ord[j - 1]].cost >
		    cbest[ord[j]].cost; j--) {
			k = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = k;
		}
	n = n > LRP_RACE ? LRP_RACE : n;
	for (i = 0; i < n && (now = time_mono()) < deadline; i++) {
		k = ord[i];
		route_md_search(in, cf[k].mask, &cbest[k],
		    now + (deadline - now) / (n - i), 0,
		    o->seed * 7919 + cf[k].mask, pool);
		if (cbest[k].cost < sol->cost)
			route_sol_copy(sol, &cbest[k]);
	}
	free(ord);
}

/* The depots sol uses. */
static unsigned
lrp_mask(const struct route_sol *sol)
{
	unsigned	mask = 0;
	int		r;

	for (r = 0; r < sol->nroutes; r++)
		mask |= 1u << sol->route[r].depot;
	return mask;
}

/*
 * Solve location-routing instance in within o->time_limit seconds into sol
 * (parent node indices, route depots set).  0, or -1 + cause.
 */
int
route_lrp(const struct route_inst *in, const struct route_opts *o,
    struct route_sol *sol, char **cause)
{
	struct lrp_conf		*cf = NULL;
	struct route_pool	*pool;
	struct route_sol	 s, sp, *cbest = NULL;
	struct rng	 rng;
	double			 t0 = time_mono(), T = o->time_limit, round;
	int			 nconf, i, k, top = 0, bestk = 0, rc = -1;

	/* configurations are enumerated: 2^16 is the most we screen */
	if (in->ndepot > 16 || in->depot_cap == NULL ||
	    in->depot_fixed == NULL) {
		xasprintf(cause, "location-routing needs 2..16 depots with "
		    "capacities and fixed costs");
		return -1;
	}
	nconf = lrp_screen(in, t0 + 0.1 * T, &cf);
	if (nconf == 0) {
		xasprintf(cause, "no depot configuration can hold the demand");
		free(cf);
		return -1;
	}
	pool = route_pool_new();
	route_sol_init(&s);
	route_sol_init(&sp);
	route_sol_clear(sol);
	rng_seed(&rng, o->seed);
	round = in->ncust * 0.02 < 0.3 ? 0.3 : in->ncust * 0.02;
	/* explore a third of the rounds we can afford, at least LRP_TOP */
	top = (int)((LRP_ROUNDS * T - (time_mono() - t0)) / round / 3);
	top = top < LRP_TOP ? LRP_TOP : top;
	top = top > nconf ? nconf : top;
	cbest = xcalloc(top, sizeof(*cbest));
	for (k = 0; k < top; k++)
		route_sol_init(&cbest[k]);
	for (i = 0; i == 0 || time_mono() + round < t0 + LRP_ROUNDS * T; i++) {
		/* each top configuration once, then mostly the best so far */
		k = i < top ? i : rng_int(&rng, 2) == 0 ? bestk :
		    rng_int(&rng, top);

		if (lrp_route_conf(in, o, cf[k].mask, round, pool, &s,
		    i < top ? NULL : &rng) <= 0 || s.nroutes == 0)
			continue;
		if (cbest[k].nroutes == 0 || s.cost < cbest[k].cost)
			route_sol_copy(&cbest[k], &s);
		if (sol->nroutes == 0 || s.cost < sol->cost) {
			route_sol_copy(sol, &s);
			bestk = k;
		}
	}
	if (sol->nroutes == 0) {
		xasprintf(cause, "no feasible location-routing solution");
		goto done;
	}
	/* the depots are chosen: search across them, a few configurations */
	lrp_race(in, o, cf, cbest, top, pool, sol, t0 + LRP_RACED * T);
	/* GLPK may overshoot its limit by half: leave it room */
	if (route_sp_solve(in, pool, sol, 0.7 * LRP_SP * T, &sp,
	    cause) == 0 && sp.cost < sol->cost)
		route_sol_copy(sol, &sp);
	free(*cause);
	*cause = NULL;
	route_md_search(in, lrp_mask(sol), sol, t0 + 0.99 * T, 0,
	    o->seed * 104729 + 1, NULL);
	rc = 0;
done:
	for (k = 0; k < top; k++)
		route_sol_clear(&cbest[k]);
	free(cbest);
	route_sol_clear(&s);
	route_sol_clear(&sp);
	route_pool_free(pool);
	free(cf);
	return rc;
}
