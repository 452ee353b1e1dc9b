/*
 * route-elim.c -- route elimination for routing with time windows: take
 * one route out of a feasible solution, put each of its stops where it
 * costs least under the penalties for excess load and time warp, and let
 * the local search (route-ls.c) repair the result with the fleet held to
 * one route fewer and the penalties raised until it is feasible or gives
 * up.  A simple cousin of the ejection search of Nagata and Braysy (2009):
 * no ejection pool, the local search does the squeezing.
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

struct elim {
	struct route_eng	*e;
	int			**rt;		/* routes, customers only */
	int			 *len, nr;
	int			 *tour, *rlen;	/* route_ls_export's */
	struct route_seg	 *pre;		/* prefix scratch, n + 2 */
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

static int
elim_len_cmp(const void *a, const void *b)
{
	const int	*x = a, *y = b;

	/* shorter first, then by index for a stable order */
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1];
}

/*
 * Try to take route v out of sol (nr routes): 1 and sol rewritten with
 * nr - 1 feasible routes, or 0 and sol untouched.
 */
static int
elim_try(struct elim *x, struct route_ls *ls, struct route_sol *sol, int v)
{
	struct route_eng	*e = x->e;
	double			 pc = e->pc, pt = e->pt;
	int			*ej, nej, r, k, i, nr, ok = 0;

	nej = sol->route[v].len;
	ej = xcalloc(nej, sizeof(int));
	memcpy(ej, sol->route[v].stop, nej * sizeof(int));
	for (r = k = 0; r < sol->nroutes; r++) {
		if (r == v)
			continue;
		x->len[k] = sol->route[r].len;
		memcpy(x->rt[k], sol->route[r].stop, x->len[k] * sizeof(int));
		k++;
	}
	x->nr = k;
	/* in random order, so a failed try differs when repeated */
	for (i = nej - 1; i > 0; i--) {
		int j = rng_int(e->rng, i + 1), t = ej[i];
		ej[i] = ej[j];
		ej[j] = t;
	}
	for (i = 0; i < nej; i++)
		elim_insert(x, ej[i]);
	route_ls_load(ls, x->rt, x->len, x->nr);
	route_ls_fleet(ls, x->nr);
	for (k = 0; k < ELIM_ROUNDS && !ok; k++) {
		route_ls_run(ls);
		nr = route_ls_export(ls, x->tour, x->rlen);
		ok = nr < sol->nroutes && elim_feasible(e, x->tour, x->rlen,
		    nr);
		e->pc *= ELIM_RAISE;
		e->pt *= ELIM_RAISE;
	}
	route_ls_fleet(ls, 0);
	e->pc = pc;
	e->pt = pt;
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
 * e's; the penalties are restored.  Returns how many routes went;
 * sol->cost is brought up to date.
 */
int
route_elim(struct route_eng *e, struct route_ls *ls, struct route_sol *sol,
    double deadline, int maxfail)
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
	ord = xcalloc(2 * (size_t)sol->nroutes, sizeof(int));
	route_sol_init(&best);
	route_sol_copy(&best, sol);
	bc = c = route_sol_cost(e->in, sol);
	while (sol->nroutes > 1 && fails < maxfail &&
	    fails < sol->nroutes && time_mono() < deadline &&
	    (double)c <= (double)bc * (1 + ELIM_SLACK)) {
		for (r = 0; r < sol->nroutes; r++) {
			ord[2 * r] = sol->route[r].len;
			ord[2 * r + 1] = r;
		}
		qsort(ord, sol->nroutes, 2 * sizeof(int), elim_len_cmp);
		if (elim_try(&x, ls, sol, ord[2 * fails + 1])) {
			fails = 0;
			c = route_sol_cost(e->in, sol);
			if (c < bc) {
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
	free(ord);
	if (c > bc)
		route_sol_copy(sol, &best);
	route_sol_clear(&best);
	sol->cost = route_sol_cost(e->in, sol);
	return nr0 - sol->nroutes;
}
