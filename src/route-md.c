/*
 * route-md.c -- location-routing with the open depots chosen: which depot
 * serves each customer and the routes, searched together.
 *
 * Routing each depot on its own (route-lrp.c) cannot trade customers
 * between depots once the depots are full, and on tight Prodhon instances
 * every configuration worth opening is full to the unit: splitting the
 * customers between depots is a bin packing that the routes must follow.
 * Two tools here, for route-lrp.c:
 *
 * route_md_assign() splits the customers between the open depots by a
 * deterministic local search (shift one, swap two) that first removes
 * depot overflow, then lowers the assignment cost.  The screening falls
 * back on it when the greedy split finds no room, rather than only on a
 * time-limited MILP whose answer depends on the machine's load.
 *
 * route_md_search() is a ruin-and-recreate search over all routes of all
 * open depots at once: strings of customers are removed around a seed
 * customer from routes of whatever depot, put back one by one at their
 * cheapest position (some positions skipped at random), or in a new route
 * from any open depot; simulated-annealing acceptance.  This follows the
 * SISR scheme of Christiaens and Vanden Berghe (Transp. Sci. 2020).
 * Vehicle capacity is kept.  Depot capacity may be exceeded at a price
 * per unit that adapts to how often the search is feasible, so customers
 * can cross between full depots a few at a time; only a feasible
 * solution is ever returned.
 *
 * Pure: no I/O, no globals; deterministic for a seed when capped by
 * iterations rather than by the clock.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"
#include "route-md.h"

#define D(in, a, b)	((in)->dist[(size_t)(a) * (in)->n + (b)])

#define MD_CBAR		10	/* customers removed per ruin, on average */
#define MD_LMAX		10	/* longest string removed */
#define MD_BLINK	100	/* one insertion position in this many skipped */
#define MD_ADAPT	100	/* iterations between penalty updates */

/* A solution under search: nr routes, each with a depot and its stops. */
struct md_sol {
	int		 nr;
	int		*dep, *len;	/* per route */
	int64_t		*load, *dist;	/* per route */
	int		*stop;		/* route r at stop + r * stride */
	int64_t		*dload;		/* per depot */
	int		*dnr;		/* routes per depot */
	int64_t		 cost;		/* arcs + route and depot fixed costs */
	int64_t		 over;		/* depot capacity exceeded, summed */
};

struct md {
	const struct route_inst *in;
	int		 nopen, *open;	/* the depots of the mask */
	int		 stride;	/* most stops in a route: ncust */
	int		 maxr;		/* most routes */
	int64_t		 q, fx;		/* vehicle capacity, fixed cost a route */
	int		*nbr;		/* per customer the others, nearest first */
	int64_t		*near;		/* per node, distance to its nearest depot */
	int		*rof, *pof;	/* node -> route, position; -1: removed */
	int		*rem, nrem;	/* customers removed */
	int64_t		*key;		/* per node: recreate order */
	char		*hit;		/* per route: ruined this iteration */
	struct rng	 rng;
};

struct md_pair {
	int64_t		 d;
	int		 id;
};

static int
md_pair_cmp(const void *a, const void *b)
{
	const struct md_pair	*x = a, *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return x->id - y->id;
}

/* Depot capacity exceeded at depot d with load l. */
static int64_t
md_ov(const struct route_inst *in, int d, int64_t l)
{
	return l > in->depot_cap[d] ? l - in->depot_cap[d] : 0;
}

static void
md_sol_alloc(const struct md *m, struct md_sol *s)
{
	memset(s, 0, sizeof(*s));
	s->dep = xcalloc(m->maxr, sizeof(int));
	s->len = xcalloc(m->maxr, sizeof(int));
	s->load = xcalloc(m->maxr, sizeof(int64_t));
	s->dist = xcalloc(m->maxr, sizeof(int64_t));
	s->stop = xcalloc((size_t)m->maxr * m->stride, sizeof(int));
	s->dload = xcalloc(m->in->ndepot, sizeof(int64_t));
	s->dnr = xcalloc(m->in->ndepot, sizeof(int));
}

static void
md_sol_free(struct md_sol *s)
{
	free(s->dep);
	free(s->len);
	free(s->load);
	free(s->dist);
	free(s->stop);
	free(s->dload);
	free(s->dnr);
}

/* Copy src into dst: only the live part of the stop arrays. */
static void
md_sol_copy(const struct md *m, struct md_sol *dst, const struct md_sol *src)
{
	int	r, nd = m->in->ndepot;

	dst->nr = src->nr;
	memcpy(dst->dep, src->dep, src->nr * sizeof(int));
	memcpy(dst->len, src->len, src->nr * sizeof(int));
	memcpy(dst->load, src->load, src->nr * sizeof(int64_t));
	memcpy(dst->dist, src->dist, src->nr * sizeof(int64_t));
	for (r = 0; r < src->nr; r++)
		memcpy(dst->stop + (size_t)r * m->stride,
		    src->stop + (size_t)r * m->stride, src->len[r] * sizeof(int));
	memcpy(dst->dload, src->dload, nd * sizeof(int64_t));
	memcpy(dst->dnr, src->dnr, nd * sizeof(int));
	dst->cost = src->cost;
	dst->over = src->over;
}

/* Where each customer of s is (m->rof, m->pof). */
static void
md_index(struct md *m, const struct md_sol *s)
{
	int	r, k;

	for (r = 0; r < s->nr; r++)
		for (k = 0; k < s->len[r]; k++) {
			m->rof[s->stop[(size_t)r * m->stride + k]] = r;
			m->pof[s->stop[(size_t)r * m->stride + k]] = k;
		}
}

/* Length, load and positions of route r from its stops. */
static void
md_route_eval(struct md *m, struct md_sol *s, int r)
{
	const struct route_inst	*in = m->in;
	const int		*st = s->stop + (size_t)r * m->stride;
	int64_t			 d = 0, l = 0;
	int			 k, p = s->dep[r];

	for (k = 0; k < s->len[r]; k++) {
		d += D(in, p, st[k]);
		l += in->node[st[k]].demand[0];
		p = st[k];
		m->rof[p] = r;
		m->pof[p] = k;
	}
	if (s->len[r] > 0)
		d += D(in, p, s->dep[r]);
	s->dist[r] = d;
	s->load[r] = l;
}

/* Total cost and overflow of s from its routes and depot loads. */
static void
md_total(const struct md *m, struct md_sol *s)
{
	const struct route_inst	*in = m->in;
	int			 r, i, d;

	s->cost = (int64_t)s->nr * m->fx;
	for (r = 0; r < s->nr; r++)
		s->cost += s->dist[r];
	s->over = 0;
	for (i = 0; i < m->nopen; i++) {
		d = m->open[i];
		if (s->dnr[d] > 0)
			s->cost += in->depot_fixed[d];
		s->over += md_ov(in, d, s->dload[d]);
	}
}

/* Drop the empty routes of s, moving the last route into each hole. */
static void
md_compact(struct md *m, struct md_sol *s)
{
	int	r, k, last;

	for (r = 0; r < s->nr; r++) {
		if (s->len[r] > 0)
			continue;
		s->dnr[s->dep[r]]--;
		last = --s->nr;
		if (r == last)
			break;
		s->dep[r] = s->dep[last];
		s->len[r] = s->len[last];
		s->load[r] = s->load[last];
		s->dist[r] = s->dist[last];
		memcpy(s->stop + (size_t)r * m->stride,
		    s->stop + (size_t)last * m->stride,
		    s->len[last] * sizeof(int));
		for (k = 0; k < s->len[r]; k++)
			m->rof[s->stop[(size_t)r * m->stride + k]] = r;
		r--;
	}
}

/* Take positions [a, b) of route r out, except [ka, kb) within them. */
static void
md_cut(struct md *m, struct md_sol *s, int r, int a, int b, int ka, int kb)
{
	int	*st = s->stop + (size_t)r * m->stride;
	int	 k, j = 0, c;

	for (k = 0; k < s->len[r]; k++) {
		c = st[k];
		if (k >= a && k < b && (k < ka || k >= kb)) {
			m->rof[c] = m->pof[c] = -1;
			m->rem[m->nrem++] = c;
			s->dload[s->dep[r]] -= m->in->node[c].demand[0];
		} else
			st[j++] = c;
	}
	s->len[r] = j;
	md_route_eval(m, s, r);
}

/*
 * Ruin: strings from routes near a random seed customer, whatever their
 * depot, one string a route; half the time a split string (a run with a
 * few customers kept in its middle).
 */
static void
md_ruin(struct md *m, struct md_sol *s)
{
	int	nc = m->in->ncust, nd = m->in->ndepot;
	int	lsmax, ks, seed, i, c, r, l, p, w, a, o, hits = 0;
	double	ksmax;

	lsmax = nc / (s->nr > 0 ? s->nr : 1);
	lsmax = lsmax < 1 ? 1 : lsmax > MD_LMAX ? MD_LMAX : lsmax;
	ksmax = 4.0 * MD_CBAR / (1 + lsmax) - 1;
	ks = 1 + (int)(ksmax * (rng_next(&m->rng) >> 11) * 0x1p-53);
	seed = nd + rng_int(&m->rng, nc);
	memset(m->hit, 0, m->maxr);
	m->nrem = 0;
	for (i = -1; i < nc - 1 && hits < ks; i++) {
		c = i < 0 ? seed : m->nbr[(size_t)(seed - nd) * (nc - 1) + i];
		if ((r = m->rof[c]) < 0 || m->hit[r])
			continue;
		m->hit[r] = 1;
		hits++;
		p = m->pof[c];
		l = 1 + rng_int(&m->rng, s->len[r] < lsmax ? s->len[r] : lsmax);
		w = l;
		if (l < s->len[r] && rng_int(&m->rng, 2) == 0)
			while (w < s->len[r] && (w == l ||
			    rng_int(&m->rng, 2) == 0))
				w++;
		/* a window of w stops holding p; keep w - l inside it */
		a = p - w + 1 < 0 ? 0 : p - w + 1;
		a += rng_int(&m->rng, (p < s->len[r] - w ? p :
		    s->len[r] - w) - a + 1);
		o = a + rng_int(&m->rng, l + 1);
		md_cut(m, s, r, a, a + w, o, o + w - l);
	}
	md_compact(m, s);
}

/*
 * Put customer c back at its cheapest place under vehicle capacity,
 * depot overflow priced at lambda a unit: an existing route, or a new one
 * from an open depot.
 */
static void
md_insert(struct md *m, struct md_sol *s, int c, int64_t lambda)
{
	const struct route_inst	*in = m->in;
	int64_t			 qc = in->node[c].demand[0], best = ROUTE_INF;
	int64_t			 x, pen, add = 0;
	int			 r, k, i, d, br = -1, bd = -1, bat = 0;
	int			 prev, next, *st;

	for (r = 0; r < s->nr; r++) {
		if (s->load[r] + qc > m->q)
			continue;
		d = s->dep[r];
		pen = lambda * (md_ov(in, d, s->dload[d] + qc) -
		    md_ov(in, d, s->dload[d]));
		if (pen >= best)
			continue;
		st = s->stop + (size_t)r * m->stride;
		prev = d;
		for (k = 0; k <= s->len[r]; k++, prev = next) {
			next = k < s->len[r] ? st[k] : d;
			if (rng_int(&m->rng, MD_BLINK) == 0)
				continue;
			x = D(in, prev, c) + D(in, c, next) - D(in, prev, next);
			if (x + pen < best) {
				best = x + pen;
				add = x;
				br = r;
				bat = k;
			}
		}
	}
	for (i = 0; i < m->nopen; i++) {
		d = m->open[i];
		x = D(in, d, c) + D(in, c, d) + m->fx +
		    (s->dnr[d] == 0 ? in->depot_fixed[d] : 0);
		pen = lambda * (md_ov(in, d, s->dload[d] + qc) -
		    md_ov(in, d, s->dload[d]));
		if (x + pen < best) {
			best = x + pen;
			bd = d;
		}
	}
	if (bd >= 0) {
		r = s->nr++;
		s->dep[r] = bd;
		s->len[r] = 0;
		s->dnr[bd]++;
		bat = 0;
		add = D(in, bd, c) + D(in, c, bd);
	} else
		r = br;
	st = s->stop + (size_t)r * m->stride;
	memmove(st + bat + 1, st + bat, (s->len[r] - bat) * sizeof(int));
	st[bat] = c;
	s->len[r]++;
	s->load[r] += qc;
	s->dist[r] += add;
	s->dload[s->dep[r]] += qc;
	for (k = bat; k < s->len[r]; k++) {
		m->rof[st[k]] = r;
		m->pof[st[k]] = k;
	}
}

/* Recreate: the removed customers in a random one of four orders. */
static void
md_recreate(struct md *m, struct md_sol *s, int64_t lambda)
{
	const struct route_inst	*in = m->in;
	int			 how = rng_int(&m->rng, 11), i, j, c;

	for (i = 0; i < m->nrem; i++) {
		c = m->rem[i];
		if (how < 4)		/* random */
			m->key[c] = rng_int(&m->rng, 1 << 30);
		else if (how < 8)	/* largest demand first */
			m->key[c] = -in->node[c].demand[0];
		else if (how < 10)	/* far from the depots first */
			m->key[c] = -m->near[c];
		else			/* close to them first */
			m->key[c] = m->near[c];
	}
	for (i = 1; i < m->nrem; i++)
		for (j = i; j > 0 && m->key[m->rem[j - 1]] > m->key[m->rem[j]];
		    j--) {
			c = m->rem[j];
			m->rem[j] = m->rem[j - 1];
			m->rem[j - 1] = c;
		}
	for (i = 0; i < m->nrem; i++)
		md_insert(m, s, m->rem[i], lambda);
	m->nrem = 0;
}

/* Neighbour lists and distances to the nearest open depot. */
static void
md_prepare(struct md *m)
{
	const struct route_inst	*in = m->in;
	struct md_pair		*p;
	int			 nc = in->ncust, nd = in->ndepot, a, b, k, i;

	m->nbr = xcalloc((size_t)nc * (nc > 1 ? nc - 1 : 1), sizeof(int));
	m->near = xcalloc(in->n, sizeof(int64_t));
	p = xcalloc(nc, sizeof(*p));
	for (a = nd; a < in->n; a++) {
		for (k = 0, b = nd; b < in->n; b++)
			if (b != a) {
				p[k].d = D(in, a, b);
				p[k++].id = b;
			}
		qsort(p, k, sizeof(*p), md_pair_cmp);
		for (i = 0; i < k; i++)
			m->nbr[(size_t)(a - nd) * (nc - 1) + i] = p[i].id;
		m->near[a] = ROUTE_INF;
		for (i = 0; i < m->nopen; i++)
			if (D(in, m->open[i], a) < m->near[a])
				m->near[a] = D(in, m->open[i], a);
	}
	free(p);
}

/* Load sol (parent node indices) into s; 0, or -1 if it is not usable. */
static int
md_load(struct md *m, const struct route_sol *sol, struct md_sol *s)
{
	const struct route_inst	*in = m->in;
	int			 r, d;

	s->nr = 0;
	memset(s->dload, 0, in->ndepot * sizeof(int64_t));
	memset(s->dnr, 0, in->ndepot * sizeof(int));
	for (r = 0; r < sol->nroutes; r++) {
		if (sol->route[r].len == 0)
			continue;
		d = sol->route[r].depot;
		if (s->nr == m->maxr || sol->route[r].len > m->stride ||
		    d < 0 || d >= in->ndepot || in->depot_cap == NULL)
			return -1;
		s->dep[s->nr] = d;
		s->len[s->nr] = sol->route[r].len;
		memcpy(s->stop + (size_t)s->nr * m->stride, sol->route[r].stop,
		    sol->route[r].len * sizeof(int));
		md_route_eval(m, s, s->nr);
		if (s->load[s->nr] > m->q)
			return -1;
		s->dload[d] += s->load[s->nr];
		s->dnr[d]++;
		s->nr++;
	}
	md_total(m, s);
	return 0;
}

static void
md_store(const struct md *m, const struct md_sol *s, struct route_sol *sol)
{
	int	r;

	route_sol_clear(sol);
	for (r = 0; r < s->nr; r++)
		route_sol_add(sol, s->dep[r], 0, s->stop + (size_t)r * m->stride,
		    s->len[r]);
	sol->cost = route_sol_cost(m->in, sol);
}

/* Offer the routes of s to the set-partitioning pool. */
static void
md_pool(const struct md *m, const struct md_sol *s, struct route_pool *pool)
{
	struct route_path	rp;
	int			r;

	for (r = 0; r < s->nr; r++) {
		rp.depot = s->dep[r];
		rp.vtype = 0;
		rp.len = s->len[r];
		rp.stop = s->stop + (size_t)r * m->stride;
		route_pool_add(pool, m->in, &rp);
	}
}

/* Uniform in (0, 1). */
static double
md_unif(struct rng *g)
{
	return ((rng_next(g) >> 11) + 0.5) * 0x1p-53;
}

/*
 * Search the routes of sol (a feasible solution whose routes start at
 * depots of mask, and which serves every customer) across the depots of
 * mask (location-routing as the Prodhon sets have it: capacity in one
 * dimension, one vehicle type, no windows, shifts or stop limits) until
 * deadline or max_iter iterations (0: no cap).  sol is replaced by the
 * best feasible solution found when it is cheaper.  Each new best offers
 * its routes to pool unless pool is NULL.  Returns 1 if sol improved, 0
 * if not, -1 if sol cannot be searched.
 */
int
route_md_search(const struct route_inst *in, unsigned mask,
    struct route_sol *sol, double deadline, long max_iter, uint64_t seed,
    struct route_pool *pool)
{
	struct md	 m;
	struct md_sol	 cur, cand, best;
	double		 t0 = time_mono(), now, frac, temp, t_hi, t_lo;
	int64_t		 lambda, scale = 0, dem = 0;
	long		 it, feas = 0;
	int		 d, c, rc = -1;

	memset(&m, 0, sizeof(m));
	m.in = in;
	/* it prices distance and checks load only: nothing else may bind */
	if (in->depot_cap == NULL || in->depot_fixed == NULL ||
	    in->ncust < 2 || in->vtype[0].cap[0] <= 0 || in->has_tw ||
	    in->ndim > 1 || in->nvtype > 1 || in->vtype[0].shift < ROUTE_INF ||
	    in->vtype[0].max_stops > 0)
		return -1;
	m.open = xcalloc(in->ndepot, sizeof(int));
	for (d = 0; d < in->ndepot; d++)
		if (mask & (1u << d))
			m.open[m.nopen++] = d;
	m.stride = in->ncust;
	m.maxr = in->ncust + 1;
	m.q = in->vtype[0].cap[0];
	m.fx = in->route_fixed + in->vtype[0].fixed;
	m.rof = xcalloc(in->n, sizeof(int));
	m.pof = xcalloc(in->n, sizeof(int));
	m.rem = xcalloc(in->n, sizeof(int));
	m.key = xcalloc(in->n, sizeof(int64_t));
	m.hit = xcalloc(m.maxr, 1);
	rng_seed(&m.rng, seed);
	md_prepare(&m);
	md_sol_alloc(&m, &cur);
	md_sol_alloc(&m, &cand);
	md_sol_alloc(&m, &best);
	for (c = 0; c < in->n; c++)
		m.rof[c] = -1;
	if (m.nopen == 0 || md_load(&m, sol, &cur) < 0 || cur.over > 0)
		goto done;
	for (c = in->ndepot; c < in->n; c++) {
		if (m.rof[c] < 0 || !(mask & (1u << cur.dep[m.rof[c]])))
			goto done;
		/* typical short arc: the distance to the second neighbour */
		scale += D(in, c, m.nbr[(size_t)(c - in->ndepot) *
		    (in->ncust - 1) + (in->ncust > 2 ? 1 : 0)]);
		dem += in->node[c].demand[0];
	}
	scale /= in->ncust;
	scale = scale < 1 ? 1 : scale;
	/* at first a unit of overflow costs what a unit of demand hauls */
	lambda = dem > 0 ? scale * in->ncust / dem + 1 : 1;
	t_hi = 0.5 * scale;
	t_lo = 0.005 * scale;
	md_sol_copy(&m, &best, &cur);
	rc = 0;
	for (it = 0; max_iter == 0 || it < max_iter; it++) {
		now = time_mono();
		if (now >= deadline)
			break;
		frac = max_iter > 0 ? (double)it / max_iter :
		    (now - t0) / (deadline - t0 > 1e-3 ? deadline - t0 : 1e-3);
		temp = t_hi * pow(t_lo / t_hi, frac > 1 ? 1 : frac);
		md_sol_copy(&m, &cand, &cur);
		md_ruin(&m, &cand);
		md_recreate(&m, &cand, lambda);
		md_total(&m, &cand);
		if (cand.cost + lambda * cand.over < cur.cost +
		    lambda * cur.over - temp * log(md_unif(&m.rng)))
			md_sol_copy(&m, &cur, &cand);
		else
			md_index(&m, &cur);
		if (cur.over == 0) {
			feas++;
			if (cur.cost < best.cost) {
				md_sol_copy(&m, &best, &cur);
				if (pool != NULL)
					md_pool(&m, &best, pool);
			}
		}
		/* keep the search feasible most of the time, not always */
		if ((it + 1) % MD_ADAPT == 0) {
			if (feas < MD_ADAPT / 2)
				lambda += lambda / 3 + 1;
			else if (feas > MD_ADAPT * 9 / 10 && lambda > 1)
				lambda -= lambda / 4;
			feas = 0;
		}
	}
	if (best.cost < route_sol_cost(in, sol)) {
		md_store(&m, &best, sol);
		rc = 1;
	}
done:
	md_sol_free(&cur);
	md_sol_free(&cand);
	md_sol_free(&best);
	free(m.open);
	free(m.rof);
	free(m.pof);
	free(m.rem);
	free(m.key);
	free(m.hit);
	free(m.nbr);
	free(m.near);
	return rc;
}

/* Total depot capacity exceeded by sol (0 if it has no capacities). */
int64_t
route_md_overflow(const struct route_inst *in, const struct route_sol *sol)
{
	int64_t	*l, over = 0;
	int	 r, k, d;

	if (in->depot_cap == NULL)
		return 0;
	l = xcalloc(in->ndepot, sizeof(int64_t));
	for (r = 0; r < sol->nroutes; r++)
		for (k = 0; k < sol->route[r].len; k++)
			l[sol->route[r].depot] +=
			    in->node[sol->route[r].stop[k]].demand[0];
	for (d = 0; d < in->ndepot; d++)
		over += md_ov(in, d, l[d]);
	free(l);
	return over;
}

/* Cost of customer c at depot d: the caller's table, or the distance. */
static int64_t
md_ac(const struct route_inst *in, const int64_t *cost, int c, int d)
{
	return cost != NULL ? cost[(size_t)c * in->ndepot + d] : D(in, d, c);
}

/*
 * Shift and swap customers between the open depots until neither lowers
 * the overflow, or the cost at equal overflow.  left[] is each depot's
 * free capacity (negative: overflow).  Returns the overflow.
 */
static int64_t
md_gap_descent(const struct route_inst *in, const unsigned mask,
    const int64_t *cost, int *dep, int64_t *left)
{
	int64_t	 dov, dc, q1, q2, over;
	int	 c1, c2, d1, d2, better;

#define OV(x)	((x) < 0 ? -(x) : 0)
	do {
		better = 0;
		for (c1 = in->ndepot; c1 < in->n; c1++)
			for (d2 = 0; d2 < in->ndepot; d2++) {
				d1 = dep[c1];
				q1 = in->node[c1].demand[0];
				if (!(mask & (1u << d2)) || d2 == d1)
					continue;
				dov = OV(left[d1] + q1) - OV(left[d1]) +
				    OV(left[d2] - q1) - OV(left[d2]);
				dc = md_ac(in, cost, c1, d2) -
				    md_ac(in, cost, c1, d1);
				if (dov < 0 || (dov == 0 && dc < 0)) {
					left[d1] += q1;
					left[d2] -= q1;
					dep[c1] = d2;
					better = 1;
				}
			}
		for (c1 = in->ndepot; c1 < in->n; c1++)
			for (c2 = c1 + 1; c2 < in->n; c2++) {
				d1 = dep[c1];
				d2 = dep[c2];
				q1 = in->node[c1].demand[0];
				q2 = in->node[c2].demand[0];
				if (d1 == d2 || q1 == q2)
					continue;
				dov = OV(left[d1] + q1 - q2) - OV(left[d1]) +
				    OV(left[d2] + q2 - q1) - OV(left[d2]);
				dc = md_ac(in, cost, c1, d2) +
				    md_ac(in, cost, c2, d1) -
				    md_ac(in, cost, c1, d1) -
				    md_ac(in, cost, c2, d2);
				if (dov < 0 || (dov == 0 && dc < 0)) {
					left[d1] += q1 - q2;
					left[d2] += q2 - q1;
					dep[c1] = d2;
					dep[c2] = d1;
					better = 1;
				}
			}
	} while (better);
	for (over = 0, d1 = 0; d1 < in->ndepot; d1++)
		if (mask & (1u << d1))
			over += OV(left[d1]);
#undef OV
	return over;
}

/* Is depot d a better home than depot b for customer c: room first, then
 * cost; among depots without room, the most room. */
static int
md_assign_better(const struct route_inst *in, const int64_t *cost, int c,
    const int64_t *left, int d, int b)
{
	int64_t	q = in->node[c].demand[0];

	if ((left[d] >= q) != (left[b] >= q))
		return left[d] >= q;
	if (left[d] >= q)
		return md_ac(in, cost, c, d) < md_ac(in, cost, c, b);
	return left[d] > left[b];
}

/*
 * Assign every customer to a depot of mask within depot capacities:
 * cheapest depot with room, largest regret first (a customer that finds
 * no room goes where most room is left), then md_gap_descent(); while
 * overflow remains, kick a few customers to random depots and descend
 * again, a bounded number of times.  cost (n x ndepot, parent indices)
 * prices a customer at a depot, NULL for the distance.  Deterministic for
 * a seed.  dep[c] gets the depot of customer c.  Returns 0, or -1 when
 * the best assignment found still overflows (dep then holds it).
 */
int
route_md_assign(const struct route_inst *in, unsigned mask,
    const int64_t *cost, int *dep, uint64_t seed)
{
	struct rng	 rng;
	struct md_pair	*ord;
	int64_t		*left, b1, b2, over, bover, x;
	int		*bdep, i, c, d, best, kick, k, nopen = 0;

	if (in->depot_cap == NULL)
		return -1;
	left = xcalloc(in->ndepot, sizeof(int64_t));
	bdep = xcalloc(in->n, sizeof(int));
	ord = xcalloc(in->ncust, sizeof(*ord));
	for (d = 0; d < in->ndepot; d++) {
		left[d] = in->depot_cap[d];
		nopen += (mask & (1u << d)) != 0;
	}
	for (i = 0; i < in->ncust; i++) {
		c = in->ndepot + i;
		b1 = b2 = ROUTE_INF;
		for (d = 0; d < in->ndepot; d++) {
			if (!(mask & (1u << d)))
				continue;
			x = md_ac(in, cost, c, d);
			if (x < b1) {
				b2 = b1;
				b1 = x;
			} else if (x < b2)
				b2 = x;
		}
		ord[i].d = -(b2 - b1);
		ord[i].id = c;
	}
	qsort(ord, in->ncust, sizeof(*ord), md_pair_cmp);
	for (i = 0; i < in->ncust; i++) {
		c = ord[i].id;
		best = -1;
		for (d = 0; d < in->ndepot; d++)
			if ((mask & (1u << d)) && (best < 0 ||
			    md_assign_better(in, cost, c, left, d, best)))
				best = d;
		dep[c] = best;
		left[best] -= in->node[c].demand[0];
	}
	bover = md_gap_descent(in, mask, cost, dep, left);
	rng_seed(&rng, seed);
	for (kick = 0; bover > 0 && kick < 50 && nopen > 1; kick++) {
		memcpy(bdep, dep, in->n * sizeof(int));
		for (k = 0; k < 3; k++) {
			c = in->ndepot + rng_int(&rng, in->ncust);
			do
				d = rng_int(&rng, in->ndepot);
			while (!(mask & (1u << d)) || d == dep[c]);
			left[dep[c]] += in->node[c].demand[0];
			left[d] -= in->node[c].demand[0];
			dep[c] = d;
		}
		over = md_gap_descent(in, mask, cost, dep, left);
		if (over <= bover)
			bover = over;
		else {
			/* back to the best: recount the free capacity */
			memcpy(dep, bdep, in->n * sizeof(int));
			for (d = 0; d < in->ndepot; d++)
				left[d] = in->depot_cap[d];
			for (c = in->ndepot; c < in->n; c++)
				left[dep[c]] -= in->node[c].demand[0];
		}
	}
	free(left);
	free(bdep);
	free(ord);
	return bover > 0 ? -1 : 0;
}
