/*
 * route-hgs.c -- hybrid genetic search for capacitated routing with time
 * windows, after Vidal (2022, "HGS-CVRP") and Vidal et al. (2013): giant
 * tours, OX crossover, Split into routes, local search (route-ls.c) under
 * penalties for excess load and time warp that adapt towards 20% feasible
 * offspring, two subpopulations ranked by biased fitness (cost rank plus
 * diversity rank by broken-pairs distance), restarts after long stagnation.
 *
 * Input: a single-depot instance (node 0).  Deterministic for a seed, stops
 * at the deadline (monotonic clock).  With o->threads > 1, that many
 * searches run side by side, each with its own population and a seed
 * derived from o->seed (search 0 has o->seed itself), independently:
 * the best of them is the result.  They used to meet every 500
 * iterations and take in each other's best, which pulled both into one
 * basin (see the commit that ended it).  A run bounded by iterations
 * gives the same result for the same seed and thread count; a run cut by
 * the clock may not.  Feasible routes of every new best
 * solution and of the final population go to an optional route pool, for
 * the set-partitioning step.  Stops pinned to a position: Split cuts the
 * giant tour so that they keep it where the tour allows, the local search
 * keeps them there, and a broken pin counts as time warp (so makes an
 * individual infeasible).  Large instances (from HGS_DEC_MIN stops with
 * windows or shifts, HGS_DEC_MIN_CAP without; runs not capped by
 * iterations) are decomposed: the search spends HGS_DEC_SHARE (or
 * HGS_DEC_SHARE_CAP) of the time on the whole, then improves groups of
 * neighbouring routes (about HGS_DEC_N customers, at least HGS_DEC_ROUTES
 * routes, polar order of their barycentres) as sub-instances, each a
 * short search seeded with those routes whose best replaces them when
 * cheaper, as many groups side by side as o->threads, and route
 * elimination (route-elim.c) on the whole now and then.  Pure: no
 * I/O, no globals.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"

#define HGS_MU		25
#define HGS_LAMBDA	40
#define HGS_ELITE	4
#define HGS_CLOSE	5
#define HGS_NOIMPROVE	20000
#define HGS_TARGET	0.2
#define HGS_SAVINGS_N	400	/* seed with varied savings from this size */
#define HGS_PINCUT	1e12	/* Split's price of a route breaking a pin */
#define HGS_DEC_MIN	400	/* decompose instances with windows from here */
#define HGS_DEC_MIN_CAP	500	/* and capacity-only ones from here: at 251,
				 * 303 and 401 customers (X) no better */
#define HGS_DEC_SHARE	0.2	/* of the time on the whole instance first */
#define HGS_DEC_SHARE_CAP 0.5	/* the same without windows: X-n1001 at
				 * 120 s, 1.45% with 0.2, 1.24% with 0.5 */
#define HGS_DEC_N	120	/* customers a subproblem, about */
#define HGS_DEC_ITER	1000	/* genetic iterations a subproblem: its
				 * improvements came at iterations 300-500
				 * of 500 (R1_10_1), the search not done */
#define HGS_DEC_RANDOM	20	/* random tours in its first population */
#define HGS_DEC_ROUTES	6	/* routes a subproblem, at least: with
				 * 30 stops a route (R2, RC2), 120 stops
				 * are 4 routes, too few to move stops
				 * between */
#define HGS_ELIM_SHARE	0.1	/* of the time, at most, on route elimination */
#define HGS_ELIM_FAIL	10	/* failed tries in a row that end it */

struct indiv {
	int		*tour, *rlen, *succ, *pred;
	int		 nr, feasible;
	double		 pcost, biased;
	int64_t		 cost, xload, xtime;
};

struct subpop {
	struct indiv	**a;
	int		  n, cap;
	double		 *dm;		/* cap x cap broken-pairs distances */
};

struct hgs {
	struct route_eng	 e;
	struct route_ls		*ls;
	struct subpop		 pop[2];	/* 0 feasible, 1 infeasible */
	struct indiv		*best;
	double			*pot;
	int			*spred, **rptr, *tmp;
	int			*rord, *rfirst;	/* hgs_polar_order */
	double			*rang;
	int			 hist_load[100], hist_time[100], nhist;
	int			 pen_every;	/* registrations an update, or 0 */
	struct route_pool	*pool;
	struct route_sol	 tmpsol;
	struct rng	 rng;
	struct indiv		*x;		/* the offspring being built */
	long			 it;		/* genetic iterations */
	int			 noimp;		/* iterations since a new rbest */
	int64_t			 rbest;		/* best cost since the restart */
	/* side by side (hgs_team): */
	struct hgs_team		*team;
	pthread_t		 thr;
};

/* Searches running side by side, each on its own until the end. */
struct hgs_team {
	struct hgs		*h;
	int			 n;
	const struct route_inst	*in;
	const struct route_opts	*o;
	const struct route_sol	*init;
	double			 deadline;
};

static void	hgs_savings(struct hgs *, struct indiv *, double);
static void	hgs_savings_tw(struct hgs *, struct indiv *, double);
static void	hgs_penalties(struct hgs *, int);

/* How well j can follow i: distance plus, with windows, the waiting and
 * time warp of going straight from i to j (Vidal et al. 2013). */
static double
hgs_proximity(const struct route_eng *e, int i, int j)
{
	const struct route_seg	*a = &e->nseg[i], *b = &e->nseg[j];
	double			 p = (double)e->d[(size_t)i * e->n + j];
	double			 t, wt, tw;

	if (!e->tw)
		return p;
	t = (double)e->t[(size_t)i * e->n + j];
	wt = b->early - t - a->dur - a->late;
	tw = a->early + a->dur + t - b->late;
	return p + 0.2 * (wt > 0 ? wt : 0) + (tw > 0 ? tw : 0);
}

/* Granular neighbour lists: the ngran customers closest to each one, in
 * distance plus (with time windows) waiting and time-warp correlation. */
static void
hgs_neighbours(struct route_eng *e)
{
	double	*key;
	int	*idx, i, j, k, m;

	e->ngran = e->nc - 1 < 20 ? e->nc - 1 : 20;
	if (e->ngran < 1)
		e->ngran = 0;
	e->gran = xcalloc((size_t)(e->nc + 1) * (e->ngran + 1), sizeof(int));
	key = xcalloc(e->nc + 1, sizeof(double));
	idx = xcalloc(e->nc + 1, sizeof(int));
	for (i = 1; i <= e->nc; i++) {
		for (j = 1; j <= e->nc; j++) {
			double p = hgs_proximity(e, i, j);
			/* either order: a move may put j before or after i */
			if (e->tw)
				p = fmin(p, hgs_proximity(e, j, i));
			key[j] = j == i ? INFINITY : p;
		}
		/* selection of the ngran smallest, stable by index */
		for (k = 0, m = 0; k < e->ngran; k++) {
			int bj = -1;
			for (j = 1; j <= e->nc; j++)
				if (key[j] != INFINITY &&
				    (bj < 0 || key[j] < key[bj]))
					bj = j;
			e->gran[(size_t)i * e->ngran + m++] = bj;
			key[bj] = INFINITY;
		}
	}
	free(key);
	free(idx);
}

/* Set up the engine over instance in (single depot, vehicle type 0). */
static void
hgs_engine(struct route_eng *e, const struct route_inst *in,
    struct rng *rng)
{
	int64_t	maxd = 0, maxq = 1;
	int	i, j, k, w;

	memset(e, 0, sizeof(*e));
	e->in = in;
	e->n = in->n;
	e->nc = in->ncust;
	e->tw = in->has_tw || in->vtype[0].shift < ROUTE_INF;
	e->d = in->dist;
	e->t = in->time != NULL ? in->time : in->dist;
	e->rng = rng;
	e->shift = in->vtype[0].shift;
	e->fixed = in->route_fixed + in->vtype[0].fixed;
	for (k = 0; k < ROUTE_NDIM; k++)
		e->cap[k] = k < in->ndim ? in->vtype[0].cap[k] : ROUTE_INF;
	/* a stop limit is one more capacity: every stop weighs 1 in it */
	e->ndim = in->ndim;
	if (in->vtype[0].max_stops > 0 && e->ndim < ROUTE_NDIM)
		e->cap[e->ndim++] = in->vtype[0].max_stops;
	for (i = 1; i < e->n; i++) {
		e->mtw |= in->node[i].ntw > 1;
		e->pin |= in->node[i].pin_pos != 0;
	}
	e->mtw &= e->tw;
	e->start = in->node[0].ntw > 0 ? in->node[0].tw_open[0] : 0;
	e->sym = 1;
	for (i = 0; i < e->n; i++)
		for (j = 0; j < e->n; j++) {
			int64_t dij = e->d[(size_t)i * e->n + j];
			if (dij != e->d[(size_t)j * e->n + i])
				e->sym = 0;
			if (dij > maxd)
				maxd = dij;
		}
	e->nseg = xcalloc(e->n, sizeof(*e->nseg));
	for (i = 0; i < e->n; i++) {
		struct route_seg *s = &e->nseg[i];
		const struct route_node *v = &in->node[i];
		s->first = s->last = i;
		s->cnt = i > 0;
		s->dur = i > 0 ? v->service : 0;
		s->pin_s = s->pin_e = SEG_ANY;
		if (v->pin_pos > SEG_MAXPIN || v->pin_pos < -SEG_MAXPIN)
			s->pin_s = s->pin_e = SEG_BAD;
		else if (v->pin_pos > 0)
			s->pin_s = (int16_t)(v->pin_pos - 1);
		else if (v->pin_pos < 0)
			s->pin_e = (int16_t)(-v->pin_pos - 1);
		/* early and late of one window, for concatenation and for the
		 * neighbour lists; forward timing reads all of them */
		for (k = w = 0; k < v->ntw; k++)
			if (v->tw_close[k] - v->tw_open[k] >
			    v->tw_close[w] - v->tw_open[w])
				w = k;
		s->early = v->ntw > 0 ? v->tw_open[w] : 0;
		s->late = v->ntw > 0 ? v->tw_close[w] : ROUTE_INF;
		for (k = 0; k < ROUTE_NDIM; k++)
			s->load[k] = k < in->ndim ? v->demand[k] : 0;
		if (e->ndim > in->ndim)
			s->load[in->ndim] = i > 0;
		if (v->demand[0] > maxq)
			maxq = v->demand[0];
	}
	/* forward timing starts every route at the depot's opening with
	 * unlimited slack (the minimum over the stops to come) */
	if (e->mtw)
		e->nseg[0].late = ROUTE_INF;
	e->angle = xcalloc(e->n, sizeof(int));
	for (i = 1; i < e->n; i++)
		e->angle[i] = (int)(32768 * (1 + atan2(in->node[i].y -
		    in->node[0].y, in->node[i].x - in->node[0].x) / M_PI)) &
		    65535;
	e->pinw = maxd > 0 ? maxd : 1;
	e->pc = (double)maxd / maxq;
	e->pc = e->pc < 0.1 ? 0.1 : e->pc > 1000 ? 1000 : e->pc;
	/* large instances with windows start strict: the first
	 * individuals are then nearly feasible, and the penalty comes
	 * down in a few updates rather than climbing for a minute */
	e->pt = e->tw && e->nc >= HGS_SAVINGS_N ? 100.0 : 1.0;
	hgs_neighbours(e);
}

static struct indiv *
indiv_new(int nc)
{
	struct indiv	*x;

	x = xcalloc(1, sizeof(*x));
	x->tour = xcalloc(nc + 1, sizeof(int));
	x->rlen = xcalloc(nc + 1, sizeof(int));
	x->succ = xcalloc(nc + 1, sizeof(int));
	x->pred = xcalloc(nc + 1, sizeof(int));
	return x;
}

static void
indiv_free(struct indiv *x)
{
	if (x == NULL)
		return;
	free(x->tour);
	free(x->rlen);
	free(x->succ);
	free(x->pred);
	free(x);
}

static void
indiv_copy(int nc, struct indiv *d, const struct indiv *s)
{
	memcpy(d->tour, s->tour, nc * sizeof(int));
	memcpy(d->rlen, s->rlen, (nc + 1) * sizeof(int));
	memcpy(d->succ, s->succ, (nc + 1) * sizeof(int));
	memcpy(d->pred, s->pred, (nc + 1) * sizeof(int));
	d->nr = s->nr;
	d->feasible = s->feasible;
	d->pcost = s->pcost;
	d->cost = s->cost;
	d->xload = s->xload;
	d->xtime = s->xtime;
}

/* Costs, excesses and successor links from the routes of x. */
static void
indiv_eval(const struct route_eng *e, struct indiv *x)
{
	struct route_seg	s;
	int64_t			xl, xt;
	int			r, i, k = 0, u, prev;

	x->pcost = 0;
	x->cost = x->xload = x->xtime = 0;
	for (r = 0; r < x->nr; r++) {
		s = e->nseg[0];
		prev = 0;
		for (i = 0; i < x->rlen[r]; i++) {
			u = x->tour[k++];
			route_seg_merge(e, &s, &s, &e->nseg[u]);
			x->pred[u] = prev;
			if (prev)
				x->succ[prev] = u;
			prev = u;
		}
		if (prev)
			x->succ[prev] = 0;
		route_seg_merge(e, &s, &s, &e->nseg[0]);
		route_seg_excess(e, &s, &xl, &xt);
		x->cost += s.dist + e->fixed;
		x->xload += xl;
		x->xtime += xt;
	}
	x->pcost = (double)x->cost + e->pc * x->xload + e->pt * x->xtime;
	x->feasible = x->xload == 0 && x->xtime == 0;
}

/* Split's Bellman pass with capacity only: distance and loads are
 * running sums, so each segment is priced without merging (the same
 * costs as route_seg_cost, in the same order). */
static void
hgs_split_cap(struct hgs *h, const struct indiv *x)
{
	const struct route_eng	*e = &h->e;
	int64_t			 load[ROUTE_NDIM], dist, xl;
	int			 i, j, k, v, prev, nc = e->nc;
	double			 c;

	for (i = 0; i < nc; i++) {
		dist = 0;
		memset(load, 0, sizeof(load));
		prev = 0;
		for (j = i + 1; j <= nc; j++) {
			v = x->tour[j - 1];
			dist += e->d[(size_t)prev * e->n + v];
			for (k = 0; k < ROUTE_NDIM; k++)
				load[k] += e->nseg[v].load[k];
			prev = v;
			if (j > i + 1 && load[0] > e->cap[0] * 3 / 2)
				break;
			for (k = 0, xl = 0; k < e->ndim; k++)
				if (load[k] > e->cap[k])
					xl += load[k] - e->cap[k];
			c = h->pot[i] + ((double)(dist + e->d[(size_t)v *
			    e->n] + e->fixed) + e->pc * xl);
			if (c < h->pot[j]) {
				h->pot[j] = c;
				h->spred[j] = i;
			}
		}
	}
}

/* Split's Bellman pass in general: each segment's concatenation data
 * grows one stop at a time. */
static void
hgs_split_seg(struct hgs *h, const struct indiv *x)
{
	const struct route_eng	*e = &h->e;
	struct route_seg	 s, full;
	int			 i, j, nc = e->nc;
	double			 c;

	for (i = 0; i < nc; i++) {
		s = e->nseg[0];
		for (j = i + 1; j <= nc; j++) {
			route_seg_merge(e, &s, &s, &e->nseg[x->tour[j - 1]]);
			if (j > i + 1 && s.load[0] > e->cap[0] * 3 / 2)
				break;
			route_seg_merge(e, &full, &s, &e->nseg[0]);
			c = h->pot[i] + route_seg_cost(e, &full);
			/* routes are cut so that pinned stops keep their
			 * places wherever the tour allows it */
			if (e->pin && route_seg_pins(&full) > 0)
				c += HGS_PINCUT;
			if (c < h->pot[j]) {
				h->pot[j] = c;
				h->spred[j] = i;
			}
		}
	}
}

/*
 * Split (Prins 2004; Vidal 2016 notation): the best cut of the giant tour
 * into routes under the current penalties, by Bellman over the DAG of
 * consecutive segments (load capped at 1.5 Q to keep it near linear).
 */
static void
hgs_split(struct hgs *h, struct indiv *x)
{
	struct route_eng	*e = &h->e;
	int			 i, j, nc = e->nc, k;

	for (j = 0; j <= nc; j++)
		h->pot[j] = j ? INFINITY : 0;
	if (!e->tw && !e->pin)
		hgs_split_cap(h, x);
	else
		hgs_split_seg(h, x);
	/* walk back to count routes, then fill lengths in tour order */
	for (j = nc, k = 0; j > 0; j = h->spred[j])
		h->tmp[k++] = j - h->spred[j];
	x->nr = k;
	for (i = 0; i < k; i++)
		x->rlen[i] = h->tmp[k - 1 - i];
	indiv_eval(e, x);
}

/*
 * Put the routes of x in the polar order of their barycentres around the
 * depot (ties: the order they had).  The giant tour is what crossover
 * inherits: a segment of it is then a sector of neighbouring routes, and
 * the stops the other parent fills in come in a geographic order that
 * Split cuts into sensible routes.  Left in the local search's slot order,
 * neighbouring routes end up far apart in the tour, and OX breaks them.
 * Measured at equal iterations on X-n303-k21 and X-n251-k28: see the
 * commit.  Without coordinates every angle is the same: no change.
 */
static void
hgs_polar_order(struct hgs *h, struct indiv *x)
{
	const struct route_inst	*in = h->e.in;
	double			 sx, sy, a;
	int			 r, i, j, k, o, nc = h->e.nc;

	for (r = k = 0; r < x->nr; r++) {
		h->rfirst[r] = k;
		for (i = 0, sx = sy = 0; i < x->rlen[r]; i++) {
			sx += in->node[x->tour[k + i]].x;
			sy += in->node[x->tour[k + i]].y;
		}
		k += x->rlen[r];
		h->rang[r] = atan2(sy / x->rlen[r] - in->node[0].y,
		    sx / x->rlen[r] - in->node[0].x);
		/* insertion sort of the route indices by angle, stable */
		a = h->rang[r];
		for (j = r; j > 0 && h->rang[h->rord[j - 1]] > a; j--)
			h->rord[j] = h->rord[j - 1];
		h->rord[j] = r;
	}
	memcpy(h->tmp, x->tour, nc * sizeof(int));
	for (j = k = 0; j < x->nr; j++) {
		o = h->rord[j];
		memcpy(x->tour + k, h->tmp + h->rfirst[o],
		    x->rlen[o] * sizeof(int));
		k += x->rlen[o];
	}
	/* lengths in the new order: rfirst is free again as scratch */
	for (j = 0; j < x->nr; j++)
		h->rfirst[j] = x->rlen[h->rord[j]];
	memcpy(x->rlen, h->rfirst, x->nr * sizeof(int));
}

/* Local search on x, whose tour/rlen are rewritten from the result. */
static void
hgs_educate(struct hgs *h, struct indiv *x)
{
	int	r, k = 0;

	for (r = 0; r < x->nr; r++) {
		h->rptr[r] = x->tour + k;
		k += x->rlen[r];
	}
	route_ls_load(h->ls, h->rptr, x->rlen, x->nr);
	route_ls_run(h->ls);
	x->nr = route_ls_export(h->ls, x->tour, x->rlen);
	hgs_polar_order(h, x);
	indiv_eval(&h->e, x);
}

/* Broken-pairs distance between two individuals, in [0, 1]. */
static double
hgs_distance(int nc, const struct indiv *a, const struct indiv *b)
{
	const int	*as = a->succ, *ap = a->pred;
	const int	*bs = b->succ, *bp = b->pred;
	int		 i, diff = 0;

	/* without branches: the outcomes are close to random, and
	 * mispredicting them made this a fourteenth of a search's time */
	for (i = 1; i <= nc; i++) {
		diff += (as[i] != bs[i]) & (as[i] != bp[i]);
		diff += (ap[i] == 0) & (bp[i] != 0) & (bs[i] != 0);
	}
	return (double)diff / nc;
}

/* Biased fitness of every member: cost rank + diversity rank. */
static void
hgs_fitness(struct subpop *p)
{
	double	*div, d[HGS_CLOSE];
	int	*ord, i, j, k, m, nb;

	if (p->n == 0)
		return;
	div = xcalloc(p->n, sizeof(double));
	ord = xcalloc(p->n, sizeof(int));
	nb = p->n - 1 < HGS_CLOSE ? p->n - 1 : HGS_CLOSE;
	for (i = 0; i < p->n; i++) {
		for (k = 0; k < nb; k++)
			d[k] = INFINITY;
		for (j = 0; j < p->n; j++) {
			double x = p->dm[i * p->cap + j];
			if (j == i)
				continue;
			for (k = 0; k < nb; k++)
				if (x < d[k]) {
					for (m = nb - 1; m > k; m--)
						d[m] = d[m - 1];
					d[k] = x;
					break;
				}
		}
		for (k = 0; k < nb; k++)
			div[i] += d[k] / nb;
		ord[i] = i;
	}
	/* members are kept sorted by penalised cost, so i is the cost rank */
	for (i = 0; i < p->n; i++) {
		int rank = 0;
		for (j = 0; j < p->n; j++)
			if (div[j] > div[i] || (div[j] == div[i] && j < i))
				rank++;
		if (p->n == 1)
			p->a[i]->biased = 0;
		else
			p->a[i]->biased = (double)i / (p->n - 1) +
			    (1.0 - (double)HGS_ELITE / p->n) *
			    (double)rank / (p->n - 1);
	}
	free(div);
	free(ord);
}

/* Remove member k, keeping the cost order and the distance matrix. */
static void
hgs_remove(struct subpop *p, int k)
{
	int	i, j;

	indiv_free(p->a[k]);
	for (i = k; i < p->n - 1; i++)
		p->a[i] = p->a[i + 1];
	for (i = 0; i < p->n; i++)
		for (j = k; j < p->n - 1; j++)
			p->dm[i * p->cap + j] = p->dm[i * p->cap + j + 1];
	for (i = k; i < p->n - 1; i++)
		memcpy(p->dm + i * p->cap, p->dm + (i + 1) * p->cap,
		    p->n * sizeof(double));
	p->n--;
}

/* Survivors: drop clones first, then the worst biased fitness, to mu. */
static void
hgs_survivors(struct subpop *p)
{
	int	i, j, w;

	while (p->n > HGS_MU) {
		hgs_fitness(p);
		w = -1;
		for (i = 1; i < p->n && w < 0; i++)
			for (j = 0; j < p->n; j++)
				if (j != i && p->dm[i * p->cap + j] < 1e-9) {
					w = i;
					break;
				}
		if (w < 0)
			for (i = w = 0; i < p->n; i++)
				if (p->a[i]->biased > p->a[w]->biased)
					w = i;
		hgs_remove(p, w);
	}
}

/* Insert a copy of x in its subpopulation (sorted by penalised cost). */
static void
hgs_insert(struct hgs *h, const struct indiv *x)
{
	struct subpop	*p = &h->pop[x->feasible ? 0 : 1];
	struct indiv	*y;
	int		 k, i, j;

	y = indiv_new(h->e.nc);
	indiv_copy(h->e.nc, y, x);
	for (k = p->n; k > 0 && p->a[k - 1]->pcost > y->pcost; k--)
		;
	for (i = p->n; i > k; i--)
		p->a[i] = p->a[i - 1];
	p->a[k] = y;
	/* open row and column k of the distance matrix */
	for (i = p->n; i > k; i--)
		memcpy(p->dm + i * p->cap, p->dm + (i - 1) * p->cap,
		    p->n * sizeof(double));
	for (i = 0; i <= p->n; i++)
		for (j = p->n; j > k; j--)
			p->dm[i * p->cap + j] = p->dm[i * p->cap + j - 1];
	p->n++;
	for (i = 0; i < p->n; i++) {
		double d = i == k ? 0 : hgs_distance(h->e.nc, y, p->a[i]);
		p->dm[k * p->cap + i] = p->dm[i * p->cap + k] = d;
	}
	if (p->n > HGS_MU + HGS_LAMBDA)
		hgs_survivors(p);
}

/* Hand the routes of x to the pool (engine node indices). */
static void
hgs_pool(struct hgs *h, const struct indiv *x)
{
	struct route_path	rp;
	int			r, k = 0;

	if (h->pool == NULL || !x->feasible)
		return;
	for (r = 0; r < x->nr; r++) {
		rp.depot = 0;
		rp.vtype = 0;
		rp.len = x->rlen[r];
		rp.stop = x->tour + k;
		k += x->rlen[r];
		route_pool_add(h->pool, h->e.in, &rp);
	}
}

/*
 * Record an educated offspring: population, best.  Returns 1 when x is
 * the best feasible solution since the last restart (so also when it is
 * a new overall best): the restart rule counts iterations without one,
 * as HGS-CVRP does.  Counted against the overall best instead, a search
 * once restarted seldom matches it within HGS_NOIMPROVE iterations, so it
 * restarted every HGS_NOIMPROVE from then on, however well it was doing.
 */
static int
hgs_offer(struct hgs *h, struct indiv *x)
{
	int	improved = 0;

	hgs_insert(h, x);
	if (x->feasible && x->cost < h->rbest) {
		h->rbest = x->cost;
		improved = 1;
	}
	if (x->feasible && h->best != NULL &&
	    x->cost <= h->best->cost + h->best->cost / 50)
		hgs_pool(h, x);
	if (x->feasible && (h->best == NULL || x->cost < h->best->cost)) {
		if (h->best == NULL)
			h->best = indiv_new(h->e.nc);
		indiv_copy(h->e.nc, h->best, x);
		hgs_pool(h, x);
		improved = 1;
	}
	return improved;
}

/* Educate x, offer it, and sometimes repair it under tenfold penalties. */
static int
hgs_process(struct hgs *h, struct indiv *x)
{
	double	pc = h->e.pc, pt = h->e.pt;
	int	improved, pen_update = 0;

	hgs_split(h, x);
	hgs_educate(h, x);
	h->hist_load[h->nhist % 100] = x->xload == 0;
	h->hist_time[h->nhist % 100] = x->xtime == 0;
	h->nhist++;
	improved = hgs_offer(h, x);
	if (h->pen_every > 0 && h->nhist % h->pen_every == 0)
		pen_update = 1;
	if (!x->feasible && rng_int(h->e.rng, 2) == 0) {
		h->e.pc *= 10;
		h->e.pt *= 10;
		hgs_educate(h, x);
		h->e.pc = pc;
		h->e.pt = pt;
		indiv_eval(&h->e, x);
		if (x->feasible)
			improved |= hgs_offer(h, x);
	}
	if (pen_update)
		hgs_penalties(h, h->pen_every);
	return improved;
}

/* Adapt penalties towards HGS_TARGET feasible among the last n (<= 100)
 * educated individuals; re-rank. */
static void
hgs_penalties(struct hgs *h, int n)
{
	struct subpop	*p = &h->pop[1];
	double		 fl = 0, ft = 0;
	int		 i, j, k;

	if (n > h->nhist)
		n = h->nhist;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		k = (h->nhist - 1 - i) % 100;
		fl += h->hist_load[k];
		ft += h->hist_time[k];
	}
	fl /= n;
	ft /= n;
	if (fl < HGS_TARGET - 0.05)
		h->e.pc = fmin(h->e.pc * 1.2, 1e5);
	else if (fl > HGS_TARGET + 0.05)
		h->e.pc = fmax(h->e.pc * 0.85, 0.1);
	if (ft < HGS_TARGET - 0.05)
		h->e.pt = fmin(h->e.pt * 1.2, 1e5);
	else if (ft > HGS_TARGET + 0.05)
		h->e.pt = fmax(h->e.pt * 0.85, 0.1);
	for (i = 0; i < p->n; i++)
		p->a[i]->pcost = (double)p->a[i]->cost +
		    h->e.pc * p->a[i]->xload + h->e.pt * p->a[i]->xtime;
	/* insertion sort keeps the distance matrix aligned via swaps */
	for (i = 1; i < p->n; i++)
		for (j = i; j > 0 && p->a[j - 1]->pcost > p->a[j]->pcost; j--) {
			struct indiv *t = p->a[j];
			int c;
			p->a[j] = p->a[j - 1];
			p->a[j - 1] = t;
			for (c = 0; c < p->n; c++) {
				double *r0 = p->dm + (j - 1) * p->cap + c;
				double *r1 = p->dm + j * p->cap + c, tt = *r0;
				*r0 = *r1;
				*r1 = tt;
			}
			for (c = 0; c < p->n; c++) {
				double *c0 = p->dm + c * p->cap + j - 1;
				double *c1 = p->dm + c * p->cap + j, tt = *c0;
				*c0 = *c1;
				*c1 = tt;
			}
		}
}

/* Binary tournament on biased fitness over both subpopulations. */
static const struct indiv *
hgs_select(struct hgs *h)
{
	const struct indiv	*a, *b;
	int			 n = h->pop[0].n + h->pop[1].n, i;

	i = rng_int(h->e.rng, n);
	a = i < h->pop[0].n ? h->pop[0].a[i] : h->pop[1].a[i - h->pop[0].n];
	i = rng_int(h->e.rng, n);
	b = i < h->pop[0].n ? h->pop[0].a[i] : h->pop[1].a[i - h->pop[0].n];
	return a->biased < b->biased ? a : b;
}

/* Ordered crossover (OX) of two giant tours into x->tour. */
static void
hgs_crossover(struct hgs *h, const struct indiv *p1, const struct indiv *p2,
    struct indiv *x)
{
	int	nc = h->e.nc, a, b, i, k, *used = h->tmp;

	memset(used, 0, (nc + 1) * sizeof(int));
	a = rng_int(h->e.rng, nc);
	b = rng_int(h->e.rng, nc);
	while (b == a && nc > 1)
		b = rng_int(h->e.rng, nc);
	for (i = a; i != (b + 1) % nc; i = (i + 1) % nc) {
		x->tour[i] = p1->tour[i];
		used[p1->tour[i]] = 1;
	}
	k = (b + 1) % nc;
	for (i = 0; i < nc; i++) {
		int c = p2->tour[(b + 1 + i) % nc];
		if (used[c])
			continue;
		x->tour[k] = c;
		k = (k + 1) % nc;
	}
}

static void
hgs_random_tour(struct hgs *h, struct indiv *x)
{
	int	i, j, t;

	for (i = 0; i < h->e.nc; i++)
		x->tour[i] = i + 1;
	for (i = h->e.nc - 1; i > 0; i--) {
		j = rng_int(h->e.rng, i + 1);
		t = x->tour[i]; x->tour[i] = x->tour[j]; x->tour[j] = t;
	}
}

/* Initial population: 4 mu random tours, but no more than a sixth of the
 * time left once a few exist (on large instances under a short budget the
 * generations pay better than more random starts). */
static void
hgs_init_pop(struct hgs *h, struct indiv *x, double deadline)
{
	double	t0 = time_mono(), stop = t0 + (deadline - t0) / 6;
	int	i;

	for (i = 0; i < 4 * HGS_MU && time_mono() < deadline &&
	    (i < 8 || time_mono() < stop); i++) {
		/* large capacity-only instances: a few varied savings starts
		 * (lambda in [0.6, 1.4]) reach good regions sooner */
		if (!h->e.tw && h->e.nc >= HGS_SAVINGS_N && i < 6) {
			hgs_savings(h, x, 0.6 + 0.8 * rng_int(h->e.rng,
			    1001) / 1000.0);
			continue;
		}
		/* with windows (one a stop, no pins): the same, each merge
		 * checked in O(1) by concatenation */
		if (h->e.tw && !h->e.mtw && !h->e.pin &&
		    h->e.nc >= HGS_SAVINGS_N && i < 6) {
			hgs_savings_tw(h, x, 0.6 + 0.8 * rng_int(h->e.rng,
			    1001) / 1000.0);
			continue;
		}
		hgs_random_tour(h, x);
		hgs_process(h, x);

	}
}

static void
hgs_clear_pop(struct hgs *h)
{
	int	p;

	for (p = 0; p < 2; p++)
		while (h->pop[p].n > 0)
			hgs_remove(&h->pop[p], h->pop[p].n - 1);
}

/* Copy the best individual into sol (engine node indices). */
static void
hgs_output(struct hgs *h, struct route_sol *sol)
{
	int	r, k = 0;

	route_sol_clear(sol);
	if (h->best == NULL)
		return;
	for (r = 0; r < h->best->nr; r++) {
		route_sol_add(sol, 0, 0, h->best->tour + k, h->best->rlen[r]);
		k += h->best->rlen[r];
	}
	sol->cost = route_sol_cost(h->e.in, sol);
}

/* Load a known solution as an individual (its tour, then Split). */
static void
hgs_seed(struct hgs *h, struct indiv *x, const struct route_sol *init)
{
	int	r, i, k = 0;

	for (r = 0; r < init->nroutes; r++)
		for (i = 0; i < init->route[r].len && k < h->e.nc; i++)
			x->tour[k++] = init->route[r].stop[i];
	if (k == h->e.nc)
		hgs_process(h, x);
}

/* Seed the population with a savings solution (capacity-only). */
static void
hgs_savings(struct hgs *h, struct indiv *x, double lambda)
{
	struct route_sol	 s;
	int			*cust, i;

	cust = xcalloc(h->e.nc, sizeof(int));
	for (i = 0; i < h->e.nc; i++)
		cust[i] = i + 1;
	route_sol_init(&s);
	route_savings(h->e.in, 0, cust, h->e.nc, lambda, &s);
	hgs_seed(h, x, &s);
	route_sol_clear(&s);
	free(cust);
}

/*
 * Savings with time windows (one window a stop, no pins): routes are
 * joined end i to start j, never reversed (windows make direction
 * matter), in the order of d(i,0) + d(0,j) - lambda d(i,j) over the
 * granular neighbours only, and a join is kept when the joined route
 * breaks no limit.  Every route's concatenation data is kept whole, so a
 * join is checked with three merges.  The routes, in order, are x's
 * giant tour, which is then split and educated.
 */
static void
hgs_savings_tw(struct hgs *h, struct indiv *x, double lambda)
{
	const struct route_eng	*e = &h->e;
	struct route_seg	*seg, m, full;
	struct route_saving	*mv;
	int			*head, *tail, *nxt, *rid, nm = 0, i, j, k, a, b;
	int64_t			 xl, xt;

	mv = xcalloc((size_t)e->nc * e->ngran + 1, sizeof(*mv));
	seg = xcalloc(e->nc + 1, sizeof(*seg));
	head = xcalloc(e->nc + 1, sizeof(int));
	tail = xcalloc(e->nc + 1, sizeof(int));
	nxt = xcalloc(e->nc + 1, sizeof(int));
	rid = xcalloc(e->nc + 1, sizeof(int));
	for (i = 1; i <= e->nc; i++) {
		seg[i] = e->nseg[i];
		head[i] = tail[i] = rid[i] = i;
		for (k = 0; k < e->ngran; k++) {
			j = e->gran[(size_t)i * e->ngran + k];
			mv[nm].i = i;
			mv[nm].j = j;
			mv[nm].key = (double)(e->d[(size_t)i * e->n] +
			    e->d[j]) - lambda * (double)e->d[(size_t)i *
			    e->n + j];
			if (mv[nm].key > 0)
				nm++;
		}
	}
	qsort(mv, nm, sizeof(*mv), route_saving_cmp);
	for (k = 0; k < nm; k++) {
		a = rid[mv[k].i];
		b = rid[mv[k].j];
		if (a == b || tail[a] != mv[k].i || head[b] != mv[k].j)
			continue;
		route_seg_merge(e, &m, &seg[a], &seg[b]);
		route_seg_merge(e, &full, &e->nseg[0], &m);
		route_seg_merge(e, &full, &full, &e->nseg[0]);
		route_seg_excess(e, &full, &xl, &xt);
		if (xl > 0 || xt > 0)
			continue;
		seg[a] = m;
		nxt[tail[a]] = head[b];
		tail[a] = tail[b];
		for (j = head[b]; j != 0; j = nxt[j])
			rid[j] = a;
	}
	for (i = 1, k = 0; i <= e->nc; i++)
		if (rid[i] == i)
			for (j = head[i]; j != 0; j = nxt[j])
				x->tour[k++] = j;
	free(mv);
	free(seg);
	free(head);
	free(tail);
	free(nxt);
	free(rid);
	hgs_process(h, x);
}

static void
hgs_free(struct hgs *h)
{
	int	p;

	hgs_clear_pop(h);
	for (p = 0; p < 2; p++) {
		free(h->pop[p].a);
		free(h->pop[p].dm);
	}
	indiv_free(h->best);
	route_ls_free(h->ls);
	free(h->pot);
	free(h->spred);
	free(h->rptr);
	free(h->tmp);
	free(h->rord);
	free(h->rfirst);
	free(h->rang);
	free(h->e.gran);
	free(h->e.nseg);
	free(h->e.angle);
}

/*
 * Solomon's time-oriented nearest neighbour: a route grows from the depot
 * by the customer whose service can end soonest among those that keep it
 * within every limit (load, windows, shift, the way back); when none fits
 * the route closes and the next begins.  Feasible by construction, with
 * far fewer routes than one per customer.  A customer that fits no route
 * even alone gets one of its own (the check below then refuses it).
 */
static void
hgs_nearest(const struct route_eng *e, const struct route_inst *in,
    struct route_sol *sol)
{
	struct route_seg	 s, m, full;
	int			*left, *stop, nl = in->ncust, ns, i, best, c;
	int64_t			 xl, xt, bdur = 0, bdist = 0;

	left = xcalloc(in->ncust, sizeof(int));
	stop = xcalloc(in->ncust, sizeof(int));
	for (i = 0; i < nl; i++)
		left[i] = i + 1;
	while (nl > 0) {
		s = e->nseg[0];
		ns = 0;
		for (;;) {
			best = -1;
			for (i = 0; i < nl; i++) {
				c = left[i];
				route_seg_merge(e, &m, &s, &e->nseg[c]);
				route_seg_merge(e, &full, &m, &e->nseg[0]);
				route_seg_excess(e, &full, &xl, &xt);
				if (xl > 0 || xt > 0)
					continue;
				if (best == -1 || m.dur < bdur ||
				    (m.dur == bdur && m.dist < bdist)) {
					best = i;
					bdur = m.dur;
					bdist = m.dist;
				}
			}
			if (best == -1)
				break;
			c = left[best];
			route_seg_merge(e, &s, &s, &e->nseg[c]);
			stop[ns++] = c;
			left[best] = left[--nl];
		}
		if (ns == 0)		/* fits nowhere: alone, and refused */
			stop[ns++] = left[--nl];
		route_sol_add(sol, 0, 0, stop, ns);
	}
	free(stop);
	free(left);
}

/*
 * No feasible individual before the deadline: the savings routes for
 * capacity only, else (windows, shifts, stop limits) the time-oriented
 * nearest neighbour.  0, or -1 if even that breaks a limit.
 */
static int
hgs_fallback(const struct route_inst *in, struct route_sol *sol)
{
	struct route_eng	 e;
	struct rng	 rng;
	struct route_seg	 s;
	int			*cust, i, r, k, bad = 0;
	int64_t			 xl, xt;

	route_sol_clear(sol);
	rng_seed(&rng, 1);
	cust = xcalloc(in->ncust, sizeof(int));
	for (i = 0; i < in->ncust; i++)
		cust[i] = i + 1;
	/* the engine's own arithmetic, to build and to check */
	hgs_engine(&e, in, &rng);
	if (!in->has_tw && in->vtype[0].shift >= ROUTE_INF &&
	    in->vtype[0].max_stops == 0)
		route_savings(in, 0, cust, in->ncust, 1.0, sol);
	else if (in->vtype[0].max_stops == 0)
		hgs_nearest(&e, in, sol);
	else
		for (i = 0; i < in->ncust; i++)
			route_sol_add(sol, 0, 0, &cust[i], 1);
	free(cust);
	for (r = 0; r < sol->nroutes && !bad; r++) {
		s = e.nseg[0];
		for (k = 0; k < sol->route[r].len; k++)
			route_seg_merge(&e, &s, &s, &e.nseg[sol->route[r].stop[k]]);
		route_seg_merge(&e, &s, &s, &e.nseg[0]);
		route_seg_excess(&e, &s, &xl, &xt);
		bad = xl > 0 || xt > 0;
	}
	free(e.gran);
	free(e.nseg);
	free(e.angle);
	sol->cost = route_sol_cost(in, sol);
	return bad ? -1 : 0;
}

/* Tiny instances: every customer on its own route is all we can do. */
static void
hgs_trivial(const struct route_inst *in, struct route_sol *sol)
{
	int	i;

	route_sol_clear(sol);
	for (i = 1; i < in->n; i++)
		route_sol_add(sol, 0, 0, &i, 1);
	sol->cost = route_sol_cost(in, sol);
}

/* Allocate the search h over in, seeded with seed; pool may be NULL. */
static void
hgs_setup(struct hgs *h, const struct route_inst *in, uint64_t seed,
    struct route_pool *pool)
{
	int	p, nc = in->ncust;

	memset(h, 0, sizeof(*h));
	rng_seed(&h->rng, seed);
	hgs_engine(&h->e, in, &h->rng);
	h->ls = route_ls_new(&h->e);
	h->pool = pool;
	h->pot = xcalloc(nc + 1, sizeof(double));
	h->spred = xcalloc(nc + 1, sizeof(int));
	h->rptr = xcalloc(nc + 1, sizeof(int *));
	h->tmp = xcalloc(nc + 1, sizeof(int));
	h->rord = xcalloc(nc + 1, sizeof(int));
	h->rfirst = xcalloc(nc + 1, sizeof(int));
	h->rang = xcalloc(nc + 1, sizeof(double));
	for (p = 0; p < 2; p++) {
		h->pop[p].cap = HGS_MU + HGS_LAMBDA + 1;
		h->pop[p].a = xcalloc(h->pop[p].cap, sizeof(struct indiv *));
		h->pop[p].dm = xcalloc((size_t)h->pop[p].cap * h->pop[p].cap,
		    sizeof(double));
	}
	h->x = indiv_new(nc);
	h->rbest = INT64_MAX;
	/* with windows an iteration at 1000 customers takes tens of ms:
	 * penalties adapt every 20000 / n educated individuals (20 to 100,
	 * the initial population included) instead of every 100 */
	if (h->e.tw)
		h->pen_every = nc >= 1000 ? 20 : nc <= 200 ? 100 : 20000 / nc;
}

/* The first population: init or a savings solution, then random tours. */
static void
hgs_start(struct hgs *h, const struct route_sol *init, double deadline)
{
	if (init != NULL && init->nroutes > 0)
		hgs_seed(h, h->x, init);
	else if (!h->e.tw)
		hgs_savings(h, h->x, 1.0);
	hgs_init_pop(h, h->x, deadline);
}

/* One generation: two parents, one offspring, educated and offered. */
static void
hgs_iterate(struct hgs *h, double deadline)
{
	if (h->pop[0].n + h->pop[1].n == 0) {
		hgs_init_pop(h, h->x, deadline);
		return;
	}
	hgs_fitness(&h->pop[0]);
	hgs_fitness(&h->pop[1]);
	hgs_crossover(h, hgs_select(h), hgs_select(h), h->x);
	h->noimp = hgs_process(h, h->x) ? 0 : h->noimp + 1;
	if (++h->it % 100 == 0 && h->pen_every == 0)
		hgs_penalties(h, 100);
	if (h->noimp >= HGS_NOIMPROVE) {
		hgs_clear_pop(h);
		h->rbest = INT64_MAX;
		hgs_init_pop(h, h->x, deadline);
		h->noimp = 0;
	}
}

/* Routes of the final feasible population to the pool; free h's memory. */
static void
hgs_finish(struct hgs *h)
{
	int	p;

	for (p = 0; p < h->pop[0].n; p++)
		hgs_pool(h, h->pop[0].a[p]);
	indiv_free(h->x);
	h->x = NULL;
}

/* One search of a team, until the deadline or the iteration cap. */
static void *
hgs_thread_cb(void *arg)
{
	struct hgs	*h = arg;
	struct hgs_team	*t = h->team;
	long		 max = t->o->max_iter;

	hgs_start(h, t->init, t->deadline);
	while (time_mono() < t->deadline && (max <= 0 || h->it < max))
		hgs_iterate(h, t->deadline);
	hgs_finish(h);
	return NULL;
}

/*
 * The genetic search on the whole of in (route_hgs without decomposition):
 * o->threads searches (at least one), search k with a seed derived from
 * o->seed and k (search 0 has o->seed itself), a pool of its own (search
 * 0 the caller's), and all but search 0 a thread.  The pools are merged
 * and the best kept in search order, so the outcome does not depend on
 * which thread ran first; one search is this without a thread.
 */
static int
hgs_whole(const struct route_inst *in, const struct route_opts *o,
    double deadline, struct route_sol *sol, const struct route_sol *init,
    struct route_pool *pool)
{
	struct hgs_team	 t;
	struct hgs	*h;
	int		 k, n, bk = -1, rc;

	memset(&t, 0, sizeof(t));
	t.n = n = o->threads > 1 ? o->threads : 1;
	t.in = in;
	t.o = o;
	t.init = init;
	t.deadline = deadline;
	t.h = h = xcalloc(n, sizeof(*h));
	for (k = 0; k < n; k++) {
		hgs_setup(&h[k], in, k == 0 ? o->seed : o->seed +
		    0x632BE59BD9B4E019ULL * (uint64_t)k, k == 0 || pool ==
		    NULL ? pool : route_pool_new());
		h[k].team = &t;
	}
	for (k = 1; k < n; k++)
		if ((rc = pthread_create(&h[k].thr, NULL, hgs_thread_cb,
		    &h[k])) != 0) {
			/* fewer searches, not a failed solve */
			t.n = k;
			break;
		}
	hgs_thread_cb(&h[0]);
	for (k = 1; k < t.n; k++)
		pthread_join(h[k].thr, NULL);
	for (k = 0; k < n; k++) {
		if (k < t.n && h[k].best != NULL && (bk < 0 ||
		    h[k].best->cost < h[bk].best->cost))
			bk = k;
		if (k > 0 && h[k].pool != NULL) {
			if (k < t.n)
				route_pool_merge(pool, h[k].pool);
			route_pool_free(h[k].pool);
		}
	}
	if (bk >= 0)
		hgs_output(&h[bk], sol);
	rc = bk >= 0 ? 0 : hgs_fallback(in, sol);
	for (k = 0; k < n; k++) {
		indiv_free(h[k].x);
		hgs_free(&h[k]);
	}
	free(h);
	return rc;
}

/* Polar angle of the barycentre of route rp around in's depot. */
static double
hgs_route_angle(const struct route_inst *in, const struct route_path *rp)
{
	double	x = 0, y = 0;
	int	i;

	for (i = 0; i < rp->len; i++) {
		x += in->node[rp->stop[i]].x - in->node[0].x;
		y += in->node[rp->stop[i]].y - in->node[0].y;
	}
	return atan2(y, x);
}

static int
hgs_angle_cmp(const void *a, const void *b)
{
	const double	*x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
}

/*
 * init, feasible, joins the population as it is: Split would cut its
 * giant tour anew, and under the first penalties often into routes with
 * time warp that the local search does not repair, so that a short
 * search began without a feasible solution and sometimes ended without
 * one.  An educated copy joins it too.
 */
static void
hgs_sub_seed(struct hgs *h, const struct route_sol *init)
{
	struct indiv	*x = h->x;
	int		 r, i, k = 0;

	for (r = x->nr = 0; r < init->nroutes && k < h->e.nc; r++) {
		if (init->route[r].len == 0)
			continue;
		for (i = 0; i < init->route[r].len && k < h->e.nc; i++)
			x->tour[k++] = init->route[r].stop[i];
		x->rlen[x->nr++] = i;
	}
	if (k != h->e.nc || r != init->nroutes)
		return;
	hgs_polar_order(h, x);
	indiv_eval(&h->e, x);
	hgs_offer(h, x);
	hgs_educate(h, x);
	hgs_offer(h, x);
}

/*
 * The short search on a sub-instance: its population starts from init
 * (hgs_sub_seed) and HGS_DEC_RANDOM random tours, not the 4 mu of a
 * whole search: educating 100 random tours took a third of a
 * sub-instance's time (0.5-1 s of 2-3 s at 120 customers of R1_10_1),
 * time better spent on more sub-instances.  Stops after so->max_iter
 * iterations or at deadline.
 * Returns 0, or -1 if no feasible solution was found.
 */
static int
hgs_sub_solve(const struct route_inst *sub, const struct route_opts *so,
    double deadline, struct route_sol *res, const struct route_sol *init)
{
	struct hgs	h;
	int		i, rc;

	hgs_setup(&h, sub, so->seed, NULL);
	hgs_sub_seed(&h, init);
	for (i = 0; i < HGS_DEC_RANDOM && time_mono() < deadline; i++) {
		hgs_random_tour(&h, h.x);
		hgs_process(&h, h.x);
	}
	while (time_mono() < deadline && h.it < so->max_iter)
		hgs_iterate(&h, deadline);
	indiv_free(h.x);
	h.x = NULL;
	hgs_output(&h, res);
	rc = h.best != NULL ? 0 : -1;
	hgs_free(&h);
	return rc;
}

/*
 * A group of routes improved as a sub-instance: made by hgs_dec_build,
 * solved by hgs_dec_solve, put back by hgs_dec_apply.
 */
struct hgs_dec {
	struct route_inst	*sub;
	struct route_opts	 so;
	struct route_sol	 init, res;
	double			 deadline;
	int64_t			 old;	/* cost of its routes in sol */
	int			 ok;	/* res is cheaper than old */
};

/*
 * Group g: the routes of sol whose barycentres follow route `first' in
 * polar order, up to about `size' customers but at least HGS_DEC_ROUTES
 * routes and at most maxr, none taken by an earlier group (take[r], 0
 * when free, becomes g + 1), make d's sub-instance, seeded with them.
 */
static void
hgs_dec_build(const struct route_inst *in, const struct route_sol *sol,
    const double *ord, int first, int size, int maxr, int *take, int g,
    struct hgs_dec *d)
{
	int	*cust, nr = sol->nroutes, k = 0, i, r, c;

	cust = xcalloc(in->ncust, sizeof(int));
	route_sol_init(&d->init);
	route_sol_init(&d->res);
	d->old = 0;
	d->ok = 0;
	for (i = 0; i < maxr && (k < size || i < HGS_DEC_ROUTES); i++) {
		r = (int)ord[2 * ((first + i) % nr) + 1];
		if (take[r])
			break;
		take[r] = g + 1;
		d->old += route_path_dist(in, &sol->route[r]) +
		    in->route_fixed + in->vtype[0].fixed;
		/* sub-instance node k + 1 is customer cust[k] */
		for (c = 0; c < sol->route[r].len; c++)
			cust[k + c] = sol->route[r].stop[c];
		route_sol_add(&d->init, 0, 0, cust + k, sol->route[r].len);
		for (c = 0; c < sol->route[r].len; c++)
			d->init.route[d->init.nroutes - 1].stop[c] = k + c + 1;
		k += sol->route[r].len;
	}
	d->sub = route_inst_sub(in, 0, cust, k);
	free(cust);
}

/* Solve d's sub-instance; res kept when cheaper than its routes were. */
static void
hgs_dec_solve(struct hgs_dec *d)
{
	d->ok = d->init.nroutes > 0 && hgs_sub_solve(d->sub, &d->so,
	    d->deadline, &d->res, &d->init) == 0 &&
	    route_sol_cost(d->sub, &d->res) < d->old;
}

static void *
hgs_dec_cb(void *arg)
{
	hgs_dec_solve(arg);
	return NULL;
}

/*
 * The routes of the n groups (take[], hgs_dec_build) that improved give
 * way to their sub-instances' solutions, mapped back to in's customers;
 * the groups are freed.  Returns 1 when sol changed.
 */
static int
hgs_dec_apply(const struct route_inst *in, struct route_sol *sol,
    const int *take, struct hgs_dec *d, int n)
{
	struct route_sol	 out;
	struct route_path	*rp;
	int			 r, c, g, any = 0;

	for (g = 0; g < n; g++)
		any |= d[g].ok;
	route_sol_init(&out);
	for (r = 0; any && r < sol->nroutes; r++)
		if (take[r] == 0 || !d[take[r] - 1].ok)
			route_sol_add(&out, 0, 0, sol->route[r].stop,
			    sol->route[r].len);
	for (g = 0; g < n; g++) {
		for (r = 0; d[g].ok && r < d[g].res.nroutes; r++) {
			rp = &d[g].res.route[r];
			for (c = 0; c < rp->len; c++)
				rp->stop[c] = d[g].sub->orig[rp->stop[c]];
			route_sol_add(&out, 0, 0, rp->stop, rp->len);
		}
		route_sol_clear(&d[g].init);
		route_sol_clear(&d[g].res);
		route_inst_free(d[g].sub);
	}
	if (any) {
		route_sol_copy(sol, &out);
		sol->cost = route_sol_cost(in, sol);
	}
	route_sol_clear(&out);
	return any;
}

/*
 * Groups a decomposition step solves side by side: one for each search o
 * asks for (o->threads), but no more than sol's nr routes give twice
 * HGS_DEC_ROUTES each, so that they lie apart; at least one.
 */
static int
hgs_dec_groups(const struct route_opts *o, int nr)
{
	int	n = nr / (2 * HGS_DEC_ROUTES);

	if (n > o->threads)
		n = o->threads;
	return n < 1 ? 1 : n;
}

/*
 * One decomposition step: hgs_dec_groups() groups of about `size'
 * customers, the first from a random route (rng) in polar order of sol's
 * routes, the others evenly spaced after it, each a thread but the first.
 * A group takes at most its share of the routes (nr / groups), so with
 * many short routes it stops before the next group's start rather than
 * leave that group nothing.  Group g's search has a seed derived from
 * o->seed and g (group 0 has o->seed itself).  Returns 1 when sol
 * improved.
 */
static int
hgs_decompose_one(const struct route_inst *in, const struct route_opts *o,
    double deadline, int size, struct rng *rng, struct route_sol *sol)
{
	struct hgs_dec	*d;
	pthread_t	*thr;
	double		*ord;
	int		*take, *run, nr = sol->nroutes, r, rc, g, first, n;

	n = hgs_dec_groups(o, nr);
	ord = xcalloc(2 * (size_t)nr, sizeof(double));
	for (r = 0; r < nr; r++) {
		ord[2 * r] = hgs_route_angle(in, &sol->route[r]);
		ord[2 * r + 1] = r;
	}
	qsort(ord, nr, 2 * sizeof(double), hgs_angle_cmp);
	take = xcalloc(nr, sizeof(int));
	d = xcalloc(n, sizeof(*d));
	thr = xcalloc(n, sizeof(*thr));
	run = xcalloc(n, sizeof(int));
	first = rng_int(rng, nr);
	for (g = 0; g < n; g++) {
		hgs_dec_build(in, sol, ord, first + g * nr / n, size, nr / n,
		    take, g, &d[g]);
		d[g].so = *o;
		d[g].so.threads = 1;
		d[g].so.max_iter = HGS_DEC_ITER;
		d[g].so.use_sp = 0;
		d[g].so.seed = o->seed + 0x9E3779B97F4A7C15ULL * (uint64_t)g;
		d[g].deadline = deadline;
	}
	for (g = 1; g < n; g++)
		run[g] = pthread_create(&thr[g], NULL, hgs_dec_cb, &d[g]) == 0;
	hgs_dec_solve(&d[0]);
	for (g = 1; g < n; g++)
		if (run[g])
			pthread_join(thr[g], NULL);
		else	/* no thread: solved here, not given up */
			hgs_dec_solve(&d[g]);
	rc = hgs_dec_apply(in, sol, take, d, n);
	free(run);
	free(thr);
	free(d);
	free(take);
	free(ord);
	return rc;
}

/*
 * Route elimination (route-elim.c) on sol, a feasible solution of the
 * whole of in, until deadline, with the engine and local search of h,
 * set up on first use (hgs_setup over in, no pool).
 */
static void
hgs_eliminate(struct hgs *h, const struct route_inst *in,
    const struct route_opts *o, double deadline, int fewest,
    struct route_sol *sol)
{
	if (h->ls == NULL)
		hgs_setup(h, in, o->seed ^ 0xE11AULL, NULL);
	route_elim(&h->e, h->ls, sol, deadline, HGS_ELIM_FAIL, fewest);
}

/*
 * Decomposition (after Santini, Schneider, Vidal and Vigo 2023): until
 * the deadline, groups of neighbouring routes (barycentres in polar
 * order, starting at a random route) are improved as sub-instances of
 * about HGS_DEC_N customers, where a genetic search converges within
 * seconds while on 1000 customers it needs minutes.  Before the first
 * group and after every quarter of a round (as many groups as there are
 * routes), route elimination takes out the routes that pay to take out,
 * at most HGS_ELIM_SHARE of the time each: the sub-instances' searches
 * work on a fixed set of customers, and a route one would empty takes
 * stops from routes outside the group.
 */
static void
hgs_decompose(const struct route_inst *in, const struct route_opts *o,
    double deadline, struct route_sol *sol)
{
	struct hgs	 eh;
	struct rng	 rng;
	double		 slot;
	int		 step = 0;

	memset(&eh, 0, sizeof(eh));
	slot = (deadline - time_mono()) * HGS_ELIM_SHARE;
	rng_seed(&rng, o->seed ^ 0x5DEECE66DULL);
	while (time_mono() < deadline && sol->nroutes > 1) {
		if (step-- == 0) {
			hgs_eliminate(&eh, in, o, fmin(deadline,
			    time_mono() + slot), 0, sol);
			step = sol->nroutes / (4 * hgs_dec_groups(o,
			    sol->nroutes));
		}
		hgs_decompose_one(in, o, deadline, HGS_DEC_N, &rng, sol);
	}
	if (eh.ls != NULL) {
		indiv_free(eh.x);
		hgs_free(&eh);
	}
}

/*
 * Route elimination on its own, for the tests: sol, a feasible solution
 * of single-depot instance in, loses what routes it can until deadline
 * (time_mono() clock) and never gets dearer, or with `fewest' set ends
 * with as few routes as it found (route_elim).  Returns how many went.
 */
int
route_hgs_elim(const struct route_inst *in, uint64_t seed, double deadline,
    int fewest, struct route_sol *sol)
{
	struct route_opts	o;
	struct hgs		h;
	int			nr = sol->nroutes;

	memset(&o, 0, sizeof(o));
	memset(&h, 0, sizeof(h));
	o.seed = seed;
	hgs_eliminate(&h, in, &o, deadline, fewest, sol);
	indiv_free(h.x);
	hgs_free(&h);
	return nr - sol->nroutes;
}

/*
 * Decomposition steps on their own, for the tests: `steps' groups of
 * about `size' customers of sol, a feasible solution of single-depot
 * instance in, improved as sub-instances, without route elimination and
 * without a clock, so with the same result for the same o->seed.  sol
 * never gets dearer.  Returns how many steps improved it.
 */
int
route_hgs_dec(const struct route_inst *in, const struct route_opts *o,
    int size, int steps, struct route_sol *sol)
{
	struct rng	rng;
	int		n = 0;

	rng_seed(&rng, o->seed ^ 0x5DEECE66DULL);
	while (steps-- > 0 && sol->nroutes > 0)
		n += hgs_decompose_one(in, o, time_mono() + 1e9, size, &rng,
		    sol);
	return n;
}

/*
 * Run the genetic search on single-depot instance in until `deadline'
 * (time_mono() clock) and store the best feasible solution found in sol.
 * init, if not NULL, seeds the population; pool, if not NULL, collects
 * routes.  o->threads > 1 runs that many searches side by side (see the
 * top of the file); o->max_iter caps the iterations of each.  Large
 * instances, when not capped by iterations, spend the last part of the
 * time on decomposition (hgs_decompose; sizes and shares at the top).
 * Returns 0, or -1 if no feasible solution was found.
 */
int
route_hgs(const struct route_inst *in, const struct route_opts *o,
    double deadline, struct route_sol *sol, const struct route_sol *init,
    struct route_pool *pool)
{
	double	now = time_mono(), mid = deadline;
	int	tw, dec, rc;

	if (in->ncust <= 1) {
		hgs_trivial(in, sol);
		return 0;
	}
	tw = in->has_tw || in->vtype[0].shift < ROUTE_INF;
	dec = o->max_iter == 0 && in->ncust >= (tw ? HGS_DEC_MIN :
	    HGS_DEC_MIN_CAP);
	if (dec && deadline > now)
		mid = now + (deadline - now) * (tw ? HGS_DEC_SHARE :
		    HGS_DEC_SHARE_CAP);
	rc = hgs_whole(in, o, mid, sol, init, pool);
	if (rc == 0 && dec)
		hgs_decompose(in, o, deadline, sol);
	return rc;
}
