/*
 * route-elim.c -- route elimination for routing with time windows: take
 * one route out of a feasible solution, put each of its stops where it
 * costs least under the penalties for excess load and time warp, and let
 * the local search (route-ls.c) repair the result with the fleet held to
 * one route fewer and the penalties raised until it is feasible or gives
 * up.  First, with one window a stop, an ejection pool after Nagata and
 * Braysy (2009) puts the stops back without breaking a limit, ejecting
 * others where needed (below); the local search then shortens what it
 * found.  The pool takes routes out of Gehring-Homberger R1 (tight
 * windows, 10 stops a route), where the penalised repair alone took
 * none, and brings Solomon's R102 and R201 to their fewest known fleets.
 *
 * Why it pays where the objective is distance alone: on wide windows
 * (Gehring-Homberger R2, RC2) the genetic search settles on a third more
 * routes than the best known solutions, and every route pays the way out
 * from the depot and back, which a search over fixed route counts does
 * not take out.  Pure: no I/O, no globals; deterministic for the engine's
 * random state.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"

#define ELIM_ROUNDS	3	/* penalty raises before giving up a try */
#define ELIM_RAISE	10.0	/* each raise multiplies them by this */
#define ELIM_SLACK	0.03	/* stop this far above the cheapest seen */
#define ELIM_EP_ITER	40	/* ejections a removed stop, at most */
#define ELIM_EP_KICK	20	/* random relocations tried an ejection */

struct elim {
	struct route_eng	*e;
	int			**rt;		/* routes, customers only */
	int			 *len, nr;
	int			 *tour, *rlen;	/* route_ls_export's */
	struct route_seg	 *pre;		/* prefix scratch, n + 2 */
	struct route_seg	 *suf;		/* suffix scratch, n + 2 */
	int			 *fail;		/* ejection pool: failed
						   insertions a customer */
	int			 *pool, np;	/* the pool, a stack */
	int			 *rof;		/* route of a customer, -1 */
	int			 *tmp;		/* a route's scratch, nc + 1 */
	double			  deadline;
};

/* With several windows a stop, segments only grow forward (route-int.h):
 * the rest of the route is timed one stop at a time, then the depot. */
static void
elim_forward(const struct route_eng *e, struct route_seg *out,
    const struct route_seg *head, const int *stop, int n)
{
	int	i;

	*out = *head;
	for (i = 0; i < n; i++)
		route_seg_merge(e, out, out, &e->nseg[stop[i]]);
	route_seg_merge(e, out, out, &e->nseg[0]);
}

/*
 * Put customer u where it adds the least penalised cost, over every
 * position of every route (O(n) concatenations: a prefix pass per route
 * and a suffix built backwards; O(n) a route with several windows a
 * stop, where a suffix cannot be summed up).
 */
static void
elim_insert(struct elim *x, int u)
{
	const struct route_eng	*e = x->e;
	struct route_seg	 suf, m, full, whole;
	double			 c, base, bc = 0;
	int			 r, i, L, br = -1, bp = 0;

	for (r = 0; r < x->nr; r++) {
		L = x->len[r];
		x->pre[0] = e->nseg[0];
		for (i = 0; i < L; i++)
			route_seg_merge(e, &x->pre[i + 1], &x->pre[i],
			    &e->nseg[x->rt[r][i]]);
		route_seg_merge(e, &whole, &x->pre[L], &e->nseg[0]);
		base = route_seg_cost(e, &whole);
		/* position i: between stop i - 1 and stop i, from the end */
		suf = e->nseg[0];
		for (i = L; i >= 0; i--) {
			if (i < L)
				route_seg_merge(e, &suf, &e->nseg[x->rt[r][i]],
				    &suf);
			route_seg_merge(e, &m, &x->pre[i], &e->nseg[u]);
			if (e->mtw)
				elim_forward(e, &full, &m, x->rt[r] + i, L - i);
			else
				route_seg_merge(e, &full, &m, &suf);
			c = route_seg_cost(e, &full) - base;
			if (br < 0 || c < bc) {
				bc = c;
				br = r;
				bp = i;
			}
		}
	}
	L = x->len[br];
	memmove(x->rt[br] + bp + 1, x->rt[br] + bp, (L - bp) * sizeof(int));
	x->rt[br][bp] = u;
	x->len[br]++;
}

/* Whether every route of the local search's result breaks no limit. */
static int
elim_feasible(const struct route_eng *e, const int *tour, const int *rlen,
    int nr)
{
	struct route_seg	 s;
	int64_t			 xl, xt;
	int			 r, i, k = 0;

	for (r = 0; r < nr; r++) {
		s = e->nseg[0];
		for (i = 0; i < rlen[r]; i++)
			route_seg_merge(e, &s, &s, &e->nseg[tour[k++]]);
		route_seg_merge(e, &s, &s, &e->nseg[0]);
		route_seg_excess(e, &s, &xl, &xt);
		if (xl > 0 || xt > 0)
			return 0;
	}
	return 1;
}

/*
 * The ejection pool (after Nagata and Braysy 2009, without their
 * squeeze): the stops of the removed route wait in a pool and go back
 * one at a time, each where it fits at least added distance without
 * breaking a limit; one that fits nowhere takes the place of a stop
 * that has failed least often so far (then most often it fits again
 * soon), and that stop joins the pool.  The failure counts grow, so the
 * search moves on from the stops it keeps ejecting.  Random feasible
 * relocations between ejections keep it from going round in circles.
 * Only for a single window a stop: the fast concatenations below need
 * suffixes.
 */

/* Whether a whole route (depot to depot) keeps every limit. */
static int
ep_ok(const struct route_eng *e, const struct route_seg *s)
{
	int64_t	xl, xt;

	route_seg_excess(e, s, &xl, &xt);
	return xl == 0 && xt == 0;
}

/* Prefixes x->pre[0..L] and suffixes x->suf[0..L] of route r, depots
 * included: pre[i] ends before stop i, suf[i] starts at it. */
static void
ep_presuf(struct elim *x, int r)
{
	const struct route_eng	*e = x->e;
	const int		*s = x->rt[r];
	int			 i, L = x->len[r];

	x->pre[0] = e->nseg[0];
	for (i = 0; i < L; i++)
		route_seg_merge(e, &x->pre[i + 1], &x->pre[i], &e->nseg[s[i]]);
	x->suf[L] = e->nseg[0];
	for (i = L - 1; i >= 0; i--)
		route_seg_merge(e, &x->suf[i], &e->nseg[s[i]], &x->suf[i + 1]);
}

/* Concatenation data of stops s[0..L-1] between depots. */
static void
ep_route(const struct route_eng *e, struct route_seg *out, const int *s,
    int L)
{
	int	i;

	*out = e->nseg[0];
	for (i = 0; i < L; i++)
		route_seg_merge(e, out, out, &e->nseg[s[i]]);
	route_seg_merge(e, out, out, &e->nseg[0]);
}

static void
ep_put(struct elim *x, int r, int p, int u)
{
	memmove(x->rt[r] + p + 1, x->rt[r] + p, (x->len[r] - p) *
	    sizeof(int));
	x->rt[r][p] = u;
	x->len[r]++;
	x->rof[u] = r;
}

static void
ep_take(struct elim *x, int r, int p)
{
	x->rof[x->rt[r][p]] = -1;
	memmove(x->rt[r] + p, x->rt[r] + p + 1, (x->len[r] - p - 1) *
	    sizeof(int));
	x->len[r]--;
}

/* Put u where it adds least distance and breaks no limit: 1, or 0 when
 * it fits nowhere. */
static int
ep_fit(struct elim *x, int u)
{
	const struct route_eng	*e = x->e;
	struct route_seg	 m, full;
	int64_t			 c, bc = 0;
	int			 r, i, br = -1, bp = 0;

	for (r = 0; r < x->nr; r++) {
		ep_presuf(x, r);
		for (i = 0; i <= x->len[r]; i++) {
			route_seg_merge(e, &m, &x->pre[i], &e->nseg[u]);
			route_seg_merge(e, &full, &m, &x->suf[i]);
			c = full.dist - x->suf[0].dist;
			if ((br < 0 || c < bc) && ep_ok(e, &full)) {
				bc = c;
				br = r;
				bp = i;
			}
		}
	}
	if (br < 0)
		return 0;
	ep_put(x, br, bp, u);
	return 1;
}

/*
 * The best ejection so far of ep_eject and ep_eject2: u in before stop p
 * of route r (r < 0: none yet), stops j1 (and j2, or -1) out; its stops
 * failed f times between them and it adds c to the route's distance.
 */
struct ep_best {
	int	 r, p, j1, j2;
	int	 f;
	int64_t	 c;
};

/* Is an ejection of f failures adding c better than b's: fewer failures,
 * then less distance? */
static int
ep_better(const struct ep_best *b, int f, int64_t c)
{
	return b->r < 0 || f < b->f || (f == b->f && c < b->c);
}

static void
ep_keep(struct ep_best *b, int f, int64_t c, int r, int p, int j1, int j2)
{
	b->f = f;
	b->c = c;
	b->r = r;
	b->p = p;
	b->j1 = j1;
	b->j2 = j2;
}

/*
 * Put u in place of one stop, the one failed least often, then by added
 * distance, such that the route keeps every limit; that stop goes to the
 * pool.  0 when no single stop will do.
 */
static int
ep_eject(struct elim *x, int u)
{
	const struct route_eng	*e = x->e;
	struct route_seg	 a, m, full;
	struct ep_best		 b = { -1, 0, 0, -1, 0, 0 };
	const int		*s;
	int64_t			 c;
	int			 r, p, j, L, f;

	for (r = 0; r < x->nr; r++) {
		ep_presuf(x, r);
		s = x->rt[r];
		L = x->len[r];
		/* stop j out, u in before stop p, p > j */
		for (j = 0; j < L; j++) {
			a = x->pre[j];
			for (p = j + 1; p <= L; p++) {
				if (p > j + 1)
					route_seg_merge(e, &a, &a,
					    &e->nseg[s[p - 1]]);
				f = x->fail[s[j]];
				if (b.r >= 0 && f > b.f)
					break;
				route_seg_merge(e, &m, &a, &e->nseg[u]);
				route_seg_merge(e, &full, &m, &x->suf[p]);
				c = full.dist - x->suf[0].dist;
				if (ep_better(&b, f, c) && ep_ok(e, &full))
					ep_keep(&b, f, c, r, p, j, -1);
			}
		}
		/* u in before stop p, stop j out, j > p */
		for (p = 0; p + 1 < L; p++) {
			route_seg_merge(e, &a, &x->pre[p], &e->nseg[u]);
			route_seg_merge(e, &a, &a, &e->nseg[s[p]]);
			for (j = p + 1; j < L; j++) {
				f = x->fail[s[j]];
				route_seg_merge(e, &full, &a, &x->suf[j + 1]);
				c = full.dist - x->suf[0].dist;
				if (ep_better(&b, f, c) && ep_ok(e, &full))
					ep_keep(&b, f, c, r, p, j, -1);
				route_seg_merge(e, &a, &a, &e->nseg[s[j]]);
			}
		}
	}
	if (b.r < 0)
		return 0;
	x->pool[x->np++] = x->rt[b.r][b.j1];
	ep_take(x, b.r, b.j1);
	ep_put(x, b.r, b.j1 < b.p ? b.p - 1 : b.p, u);
	return 1;
}

/*
 * As ep_eject, two stops of one route out, the pair failed least often
 * between them: the reduced route's prefixes and suffixes are built for
 * each pair, O(L^3) a route, so only when one stop will not do.
 */
static int
ep_eject2(struct elim *x, int u)
{
	const struct route_eng	*e = x->e;
	struct route_seg	 whole, m, full;
	struct ep_best		 b = { -1, 0, 0, -1, 0, 0 };
	const int		*s;
	int64_t			 c;
	int			 r, p, i, j1, j2, k, L, n, f, over;

	for (r = 0; r < x->nr; r++) {
		s = x->rt[r];
		L = x->len[r];
		ep_route(e, &whole, s, L);
		for (j1 = 0; j1 < L; j1++)
			for (j2 = j1 + 1; j2 < L; j2++) {
				f = x->fail[s[j1]] + x->fail[s[j2]];
				if (b.r >= 0 && f > b.f)
					continue;
				for (k = over = 0; k < e->ndim; k++)
					if (whole.load[k] -
					    e->nseg[s[j1]].load[k] -
					    e->nseg[s[j2]].load[k] +
					    e->nseg[u].load[k] > e->cap[k])
						over = 1;
				if (over)
					continue;
				for (i = n = 0; i < L; i++)
					if (i != j1 && i != j2)
						x->tmp[n++] = s[i];
				x->pre[0] = e->nseg[0];
				for (i = 0; i < n; i++)
					route_seg_merge(e, &x->pre[i + 1],
					    &x->pre[i], &e->nseg[x->tmp[i]]);
				x->suf[n] = e->nseg[0];
				for (i = n - 1; i >= 0; i--)
					route_seg_merge(e, &x->suf[i],
					    &e->nseg[x->tmp[i]], &x->suf[i + 1]);
				for (p = 0; p <= n; p++) {
					route_seg_merge(e, &m, &x->pre[p],
					    &e->nseg[u]);
					route_seg_merge(e, &full, &m, &x->suf[p]);
					c = full.dist - whole.dist;
					if (ep_better(&b, f, c) &&
					    ep_ok(e, &full))
						ep_keep(&b, f, c, r, p, j1,
						    j2);
				}
			}
	}
	if (b.r < 0)
		return 0;
	x->pool[x->np++] = x->rt[b.r][b.j2];
	x->pool[x->np++] = x->rt[b.r][b.j1];
	ep_take(x, b.r, b.j2);
	ep_take(x, b.r, b.j1);
	ep_put(x, b.r, b.p, u);
	return 1;
}

/* A few random relocations of a stop next to one of its neighbours in
 * another route, kept when both routes keep every limit. */
static void
ep_kick(struct elim *x)
{
	const struct route_eng	*e = x->e;
	struct route_seg	 s1, s2;
	int			 k, i, u, g, r1, r2, p1, p2, L;

	if (e->ngran < 1)
		return;
	for (k = 0; k < ELIM_EP_KICK; k++) {
		u = 1 + rng_int(e->rng, e->nc);
		g = e->gran[(size_t)u * e->ngran + rng_int(e->rng, e->ngran)];
		r1 = x->rof[u];
		r2 = x->rof[g];
		if (r1 < 0 || r2 < 0 || r1 == r2)
			continue;
		for (p1 = 0; x->rt[r1][p1] != u; p1++)
			;
		for (p2 = 0; x->rt[r2][p2] != g; p2++)
			;
		p2 += rng_int(e->rng, 2);	/* before or after g */
		L = 0;
		for (i = 0; i < x->len[r1]; i++)
			if (i != p1)
				x->tmp[L++] = x->rt[r1][i];
		ep_route(e, &s1, x->tmp, L);
		memcpy(x->tmp, x->rt[r2], p2 * sizeof(int));
		x->tmp[p2] = u;
		memcpy(x->tmp + p2 + 1, x->rt[r2] + p2, (x->len[r2] - p2) *
		    sizeof(int));
		ep_route(e, &s2, x->tmp, x->len[r2] + 1);
		if (!ep_ok(e, &s1) || !ep_ok(e, &s2))
			continue;
		ep_take(x, r1, p1);
		ep_put(x, r2, p2, u);
	}
}

/*
 * Empty the pool, holding ej[0..nej-1], into the routes x->rt (feasible):
 * 1 when every stop found a place within ELIM_EP_ITER ejections each,
 * 0 otherwise (x->rt then holds a part of the stops).
 */
static int
ep_run(struct elim *x, const int *ej, int nej)
{
	long	it, max = (long)ELIM_EP_ITER * nej;
	int	r, i, u;

	memset(x->fail, 0, (x->e->nc + 1) * sizeof(int));
	for (i = 0; i <= x->e->nc; i++)
		x->rof[i] = -1;
	for (r = 0; r < x->nr; r++)
		for (i = 0; i < x->len[r]; i++)
			x->rof[x->rt[r][i]] = r;
	x->np = 0;
	for (i = nej - 1; i >= 0; i--)
		x->pool[x->np++] = ej[i];
	for (it = 0; x->np > 0 && it < max; it++) {
		if ((it & 15) == 0 && time_mono() >= x->deadline)
			break;
		u = x->pool[--x->np];
		if (ep_fit(x, u))
			continue;
		x->fail[u]++;
		if (!ep_eject(x, u) && !ep_eject2(x, u))
			return 0;
		ep_kick(x);
	}
	return x->np == 0;
}

static int
elim_len_cmp(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	/* shorter first, then by index for a stable order */
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1];
}

/* x->rt becomes the routes of sol but route v. */
static void
elim_copy(struct elim *x, const struct route_sol *sol, int v)
{
	int	r, k;

	for (r = k = 0; r < sol->nroutes; r++) {
		if (r == v)
			continue;
		x->len[k] = sol->route[r].len;
		memcpy(x->rt[k], sol->route[r].stop, x->len[k] * sizeof(int));
		k++;
	}
	x->nr = k;
}

/*
 * The local search on x->rt with the fleet held to their number, the
 * penalties raised until its result is feasible, ELIM_ROUNDS times at
 * most: 1 and x->tour, x->rlen that result (*nr routes), or 0.
 */
static int
elim_repair(struct elim *x, struct route_ls *ls, int *nr)
{
	struct route_eng	*e = x->e;
	double			 pc = e->pc, pt = e->pt;
	int			 k, ok = 0;

	route_ls_load(ls, x->rt, x->len, x->nr);
	route_ls_fleet(ls, x->nr);
	for (k = 0; k < ELIM_ROUNDS && !ok; k++) {
		route_ls_run(ls);
		*nr = route_ls_export(ls, x->tour, x->rlen);
		ok = *nr <= x->nr && elim_feasible(e, x->tour, x->rlen, *nr);
		e->pc *= ELIM_RAISE;
		e->pt *= ELIM_RAISE;
	}
	route_ls_fleet(ls, 0);
	e->pc = pc;
	e->pt = pt;
	return ok;
}

/*
 * Try to take route v out of sol (nr routes): 1 and sol rewritten with
 * nr - 1 feasible routes, or 0 and sol untouched.  The ejection pool
 * first (one route a customer), then, when it gives up, the stops put
 * back under penalties and the local search asked to repair it.
 */
static int
elim_try(struct elim *x, struct route_ls *ls, struct route_sol *sol, int v)
{
	struct route_eng	*e = x->e;
	int			*ej, nej, r, k, i, nr = 0, ok = 0;

	nej = sol->route[v].len;
	ej = xcalloc(nej, sizeof(int));
	memcpy(ej, sol->route[v].stop, nej * sizeof(int));
	/* in random order, so a failed try differs when repeated */
	for (i = nej - 1; i > 0; i--) {
		int j = rng_int(e->rng, i + 1), t = ej[i];
		ej[i] = ej[j];
		ej[j] = t;
	}
	elim_copy(x, sol, v);
	if (!e->mtw && ep_run(x, ej, nej)) {
		ok = 1;
		if (!elim_repair(x, ls, &nr)) {
			/* the pool's own routes, feasible */
			for (r = k = nr = 0; r < x->nr; r++) {
				if (x->len[r] == 0)
					continue;
				memcpy(x->tour + k, x->rt[r], x->len[r] *
				    sizeof(int));
				k += x->len[r];
				x->rlen[nr++] = x->len[r];
			}
		}
	} else {
		elim_copy(x, sol, v);
		for (i = 0; i < nej; i++)
			elim_insert(x, ej[i]);
		ok = elim_repair(x, ls, &nr);
	}
	if (ok) {
		route_sol_clear(sol);
		for (r = i = 0; r < nr; r++) {
			route_sol_add(sol, 0, 0, x->tour + i, x->rlen[r]);
			i += x->rlen[r];
		}
	}
	free(ej);
	return ok;
}

/*
 * Take routes out of sol (feasible, single depot, vehicle type 0, the
 * engine's node indices), one at a time, the shortest route first and
 * the next shortest after a failed try; stop after maxfail failed tries
 * in a row, at the deadline (time_mono() clock), or once the cost is
 * ELIM_SLACK above the cheapest seen (fewer routes pay up to a point:
 * then the rest must take long detours), and leave sol the cheapest
 * solution seen, so never dearer.  The local search ls is the engine
 * e's; the penalties are restored.  With `fewest' set, the cost does
 * not matter: no slack, and sol is left the solution with the fewest
 * routes (fleet minimisation).  Returns how many routes went; sol->cost
 * is brought up to date.
 */
int
route_elim(struct route_eng *e, struct route_ls *ls, struct route_sol *sol,
    double deadline, int maxfail, int fewest)
{
	struct elim	 x;
	struct route_sol best;
	int64_t		 c, bc;
	int		*ord, fails = 0, r, nr0 = sol->nroutes;

	if (sol->nroutes < 2)
		return 0;
	memset(&x, 0, sizeof(x));
	x.e = e;
	x.rt = xcalloc(sol->nroutes, sizeof(int *));
	x.len = xcalloc(sol->nroutes, sizeof(int));
	for (r = 0; r < sol->nroutes; r++)
		x.rt[r] = xcalloc(e->nc + 1, sizeof(int));
	x.tour = xcalloc(e->nc + 1, sizeof(int));
	x.rlen = xcalloc(e->nc + 1, sizeof(int));
	x.pre = xcalloc(e->n + 2, sizeof(*x.pre));
	x.suf = xcalloc(e->n + 2, sizeof(*x.suf));
	x.fail = xcalloc(e->nc + 1, sizeof(int));
	x.pool = xcalloc(e->nc + 1, sizeof(int));
	x.rof = xcalloc(e->nc + 1, sizeof(int));
	x.tmp = xcalloc(e->nc + 1, sizeof(int));
	x.deadline = deadline;
	ord = xcalloc(2 * (size_t)sol->nroutes, sizeof(int));
	route_sol_init(&best);
	route_sol_copy(&best, sol);
	bc = c = route_sol_cost(e->in, sol);
	while (sol->nroutes > 1 && fails < maxfail &&
	    fails < sol->nroutes && time_mono() < deadline &&
	    (fewest || (double)c <= (double)bc * (1 + ELIM_SLACK))) {
		for (r = 0; r < sol->nroutes; r++) {
			ord[2 * r] = sol->route[r].len;
			ord[2 * r + 1] = r;
		}
		qsort(ord, sol->nroutes, 2 * sizeof(int), elim_len_cmp);
		if (elim_try(&x, ls, sol, ord[2 * fails + 1])) {
			fails = 0;
			c = route_sol_cost(e->in, sol);
			if (c < bc || fewest) {
				route_sol_copy(&best, sol);
				bc = c;
			}
		} else
			fails++;
	}
	for (r = 0; r < nr0; r++)
		free(x.rt[r]);
	free(x.rt);
	free(x.len);
	free(x.tour);
	free(x.rlen);
	free(x.pre);
	free(x.suf);
	free(x.fail);
	free(x.pool);
	free(x.rof);
	free(x.tmp);
	free(ord);
	if (c > bc)
		route_sol_copy(sol, &best);
	route_sol_clear(&best);
	sol->cost = route_sol_cost(e->in, sol);
	return nr0 - sol->nroutes;
}
