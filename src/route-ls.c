/*
 * route-ls.c -- local search for the routing engine: relocate of one or two
 * stops (straight or reversed), swaps of 1-1, 2-1 and 2-2 stops, 2-opt
 * within a route, and both 2-opt* variants between routes, tried between
 * each stop and its granular neighbours (Toth and Vigo), first improvement,
 * with the "was either route modified since we last looked" test of HGS,
 * plus SWAP* between routes of overlapping polar sectors (capacity only).
 *
 * Every move is written as the concatenation of a few pieces of the current
 * routes; one function evaluates a list of pieces from the prefix/suffix
 * concatenation data and the same list applies the move.  Penalised cost:
 * distance + fixed cost per used route + pc * excess load + pt * (time warp
 * + excess duration + pinw per broken pin).  When some stop has several
 * time windows, routes are timed forward from the depot (route-int.h):
 * a move is then priced from the cached prefix and the rest node by node.
 * A move never breaks the pinned positions of routes that keep them.
 * With one capacity dimension and neither windows nor pins (plain CVRP,
 * ls->cvrp) a route keeps only its prefix distances and loads (struct
 * ls_pre) and every price is read from them; moves are first judged on
 * their change of distance.  The moves taken are the same as on the
 * general path, which route_eng.slow forces (tests/unit-route-ls.c).
 * Pure: randomness from e->rng only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"

/*
 * Distance and load (dimension 0) of the route prefix ending at each
 * position: kept in every mode, as they are what the delta filters and
 * SWAP* read, and with one capacity dimension and neither windows nor
 * pins (ls->cvrp) they are all the search keeps, 16 bytes a node rather
 * than the 80 of a route_seg, which every move evaluation would read.
 */
struct ls_pre {
	int64_t			 dist, load;
};

struct ls_route {
	int			*node;		/* len + 2, depot at both ends */
	int			 len, cap;
	struct ls_pre		*cp;		/* len + 2 */
	struct route_seg	*pre, *suf;	/* not with ls->cvrp */
	int64_t			*rdist;		/* reverse-direction prefix */
	double			 cost;
	double			 tpen;		/* of cost: time warp, duration */
	double			 slack;		/* cost - distance - fixed */
	int			 stamp;
	int			 pinbad;	/* breaks a pinned position */
};

struct ins3;

struct route_ls {
	struct route_eng	*e;
	int			 nr;
	int			 cvrp;		/* capacity only, one dimension */
	int64_t			*q;		/* load[0] of each node, compact */
	struct ls_route		*r;
	int			*rof, *pos;
	int			*order, *tested;
	int			*nb;		/* e->gran, rows reshuffled */
	int			 nmoves, last_swap;
	int			*buf[2];
	struct ins3		*ins;		/* SWAP* insertion cache */
	int			 ins_full, epoch;
	int			 empty_lo;	/* no empty route below */
	int64_t			*rem;		/* SWAP* scratch, 3 (n + 4) */
	const struct ins3	**insa, **insb;	/* likewise */
};

struct piece {
	int	r, i, j, rev;		/* r < 0: the single node i */
};

#define PC(R, I, J)	((struct piece){ (R), (I), (J), 0 })
#define PRV(R, I, J)	((struct piece){ (R), (I), (J), 1 })
#define PN(X)		((struct piece){ -1, (X), (X), 0 })
#define MAXP		6

/* Pin requirements of a followed by b into r (route_seg). */
static inline void
seg_pins(struct route_seg *r, const struct route_seg *a,
    const struct route_seg *b)
{
	int	s = a->pin_s, e = b->pin_e, need;

	if (s == SEG_BAD || e == SEG_BAD)
		goto bad;
	if (b->pin_s != SEG_ANY) {
		need = b->pin_s - a->cnt;
		if (need < 0 || (s != SEG_ANY && s != need))
			goto bad;
		s = need;
	}
	if (a->pin_e != SEG_ANY) {
		need = a->pin_e - b->cnt;
		if (need < 0 || (e != SEG_ANY && e != need))
			goto bad;
		e = need;
	}
	r->pin_s = (int16_t)s;
	r->pin_e = (int16_t)e;
	return;
bad:
	r->pin_s = r->pin_e = SEG_BAD;
}

/*
 * Forward timing (several windows): route prefix a, then node b (a
 * customer, or the depot to close the route).  The vehicle waits for the
 * first window of b not yet closed; past the last one it is late by the
 * difference (time warp) and the clock is warped back to that close.
 */
static void
seg_forward(const struct route_eng *e, struct route_seg *r,
    const struct route_seg *a, const struct route_seg *b)
{
	const struct route_node	*v = &e->in->node[b->first];
	int64_t			 t, st;
	int			 k;

	t = a->early + e->t[(size_t)a->last * e->n + b->first];
	r->tw = a->tw;
	r->dur = a->dur;		/* the waiting so far */
	r->late = a->late;
	if (b->cnt == 0) {
		if (v->ntw > 0 && t > v->tw_close[0]) {
			r->tw += t - v->tw_close[0];
			t = v->tw_close[0];
		}
	} else if (v->ntw > 0) {
		for (k = 0; k < v->ntw && t > v->tw_close[k]; k++)
			;
		if (k == v->ntw) {
			r->tw += t - v->tw_close[k - 1];
			t = v->tw_close[k - 1];
		} else {
			st = t < v->tw_open[k] ? v->tw_open[k] : t;
			r->dur += st - t;
			if (r->dur + v->tw_close[k] - st < r->late)
				r->late = r->dur + v->tw_close[k] - st;
			t = st;
		}
	}
	if (b->cnt > 0)
		t += v->service;
	r->early = t;
}

/* out = a followed by b.  out may alias a.  With forward timing (e->mtw)
 * a must start at the depot and b be a single node. */
void
route_seg_merge(const struct route_eng *e, struct route_seg *out,
    const struct route_seg *a, const struct route_seg *b)
{
	struct route_seg	r;
	int64_t			t, delta, wt, tw;
	int			k;

	r.first = a->first;
	r.last = b->last;
	r.cnt = a->cnt + b->cnt;
	r.dist = a->dist + b->dist + e->d[(size_t)a->last * e->n + b->first];
	for (k = 0; k < ROUTE_NDIM; k++)
		r.load[k] = a->load[k] + b->load[k];
	if (e->pin)
		seg_pins(&r, a, b);
	else
		r.pin_s = r.pin_e = SEG_ANY;
	if (e->mtw)
		seg_forward(e, &r, a, b);
	else if (e->tw) {
		t = e->t[(size_t)a->last * e->n + b->first];
		delta = a->dur - a->tw + t;
		wt = b->early - delta - a->late;
		wt = wt > 0 ? wt : 0;
		tw = a->early + delta - b->late;
		tw = tw > 0 ? tw : 0;
		r.dur = a->dur + b->dur + t + wt;
		r.tw = a->tw + b->tw + tw;
		r.early = (b->early - delta > a->early ? b->early - delta :
		    a->early) - wt;
		r.late = (b->late - delta < a->late ? b->late - delta :
		    a->late) + tw;
	} else
		r.dur = r.tw = r.early = r.late = 0;
	*out = r;
}

/* 1 when a whole route (depot to depot) breaks a pinned position. */
int
route_seg_pins(const struct route_seg *s)
{
	return (s->pin_s != SEG_ANY && s->pin_s != 0) ||
	    (s->pin_e != SEG_ANY && s->pin_e != 0);
}

/* Excess load (summed over dimensions) and time warp of a whole route;
 * a broken pin counts as e->pinw of time warp. */
void
route_seg_excess(const struct route_eng *e, const struct route_seg *s,
    int64_t *xload, int64_t *xtime)
{
	int64_t	dur = s->dur;
	int	k;

	*xload = 0;
	for (k = 0; k < e->ndim; k++)
		if (s->load[k] > e->cap[k])
			*xload += s->load[k] - e->cap[k];
	*xtime = 0;
	if (e->mtw)
		dur = s->early - e->start - (s->dur < s->late ? s->dur :
		    s->late);
	if (e->tw)
		*xtime = s->tw + (dur > e->shift ? dur - e->shift : 0);
	if (e->pin)
		*xtime += route_seg_pins(s) * e->pinw;
}

/* Penalised cost of a whole route (depot to depot); 0 when empty. */
double
route_seg_cost(const struct route_eng *e, const struct route_seg *s)
{
	int64_t	xl, xt;

	if (s->cnt == 0)
		return 0;
	route_seg_excess(e, s, &xl, &xt);
	return (double)(s->dist + e->fixed) + e->pc * xl + e->pt * xt;
}

/* Concatenation data of one piece. */
static void
ls_piece_seg(const struct route_ls *ls, const struct piece *p,
    struct route_seg *out)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*R;
	int			 k, i = p->i, j = p->j;

	if (p->r < 0) {
		*out = e->nseg[i];
		return;
	}
	R = &ls->r[p->r];
	if (!p->rev && i == 0) {
		*out = R->pre[j];
		return;
	}
	if (!p->rev && j == R->len + 1) {
		*out = R->suf[i];
		return;
	}
	if (!e->tw && !e->pin && !e->slow) {
		*out = e->nseg[R->node[p->rev ? j : i]];
		out->last = R->node[p->rev ? i : j];
		out->cnt = R->pre[j].cnt - R->pre[i - 1].cnt;
		out->dist = p->rev ? R->rdist[j] - R->rdist[i] :
		    R->pre[j].dist - R->pre[i].dist;
		for (k = 0; k < ROUTE_NDIM; k++)
			out->load[k] = R->pre[j].load[k] - R->pre[i - 1].load[k];
		return;
	}
	if (!p->rev) {
		*out = e->nseg[R->node[i]];
		for (k = i + 1; k <= j; k++)
			route_seg_merge(e, out, out, &e->nseg[R->node[k]]);
	} else {
		*out = e->nseg[R->node[j]];
		for (k = j - 1; k >= i; k--)
			route_seg_merge(e, out, out, &e->nseg[R->node[k]]);
	}
}

/* ls_eval for capacity-only problems: distances and loads are additive,
 * so each piece is read from the prefix sums without merging. */
static double
ls_eval_cap(const struct route_ls *ls, const struct piece *p, int np)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*R;
	int64_t			 dist = 0, load[ROUTE_NDIM] = { 0 }, x = 0;
	int			 k, m, cnt = 0, last = -1, f, l, nd = e->ndim;

	for (k = 0; k < np; k++) {
		if (p[k].i > p[k].j)
			continue;
		if (p[k].r < 0) {
			f = l = p[k].i;
			for (m = 0; m < nd; m++)
				load[m] += e->nseg[f].load[m];
			cnt += e->nseg[f].cnt;
		} else {
			R = &ls->r[p[k].r];
			f = R->node[p[k].rev ? p[k].j : p[k].i];
			l = R->node[p[k].rev ? p[k].i : p[k].j];
			dist += p[k].rev ? R->rdist[p[k].j] - R->rdist[p[k].i] :
			    R->pre[p[k].j].dist - R->pre[p[k].i].dist;
			for (m = 0; m < nd; m++)
				load[m] += R->pre[p[k].j].load[m] - (p[k].i > 0 ?
				    R->pre[p[k].i - 1].load[m] : 0);
			cnt += R->pre[p[k].j].cnt - (p[k].i > 0 ?
			    R->pre[p[k].i - 1].cnt : 0);
		}
		if (last >= 0)
			dist += e->d[(size_t)last * e->n + f];
		last = l;
	}
	if (cnt == 0)
		return 0;
	for (m = 0; m < nd; m++)
		if (load[m] > e->cap[m])
			x += load[m] - e->cap[m];
	return (double)(dist + e->fixed) + e->pc * x;
}

/* Prefix count of stops up to position k of R (-1: none): the depot
 * counts for none. */
#define LS_CNT(R, k)	((k) < 0 ? 0 : (k) <= (R)->len ? (k) : (R)->len)

/* ls_eval_cap with ls->cvrp: the same sums from the compact prefixes,
 * in the same order, so the same cost to the last bit. */
static double
ls_eval_cvrp(const struct route_ls *ls, const struct piece *p, int np)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*R;
	int64_t			 dist = 0, load = 0, x = 0;
	int			 k, cnt = 0, last = -1, f, l;

	for (k = 0; k < np; k++) {
		if (p[k].i > p[k].j)
			continue;
		if (p[k].r < 0) {
			f = l = p[k].i;
			load += ls->q[f];
			cnt += e->nseg[f].cnt;
		} else {
			R = &ls->r[p[k].r];
			f = R->node[p[k].rev ? p[k].j : p[k].i];
			l = R->node[p[k].rev ? p[k].i : p[k].j];
			dist += p[k].rev ? R->rdist[p[k].j] - R->rdist[p[k].i] :
			    R->cp[p[k].j].dist - R->cp[p[k].i].dist;
			load += R->cp[p[k].j].load - (p[k].i > 0 ?
			    R->cp[p[k].i - 1].load : 0);
			cnt += LS_CNT(R, p[k].j) - LS_CNT(R, p[k].i - 1);
		}
		if (last >= 0)
			dist += e->d[(size_t)last * e->n + f];
		last = l;
	}
	if (cnt == 0)
		return 0;
	if (load > e->cap[0])
		x = load - e->cap[0];
	return (double)(dist + e->fixed) + e->pc * x;
}

/* Concatenation data of a list of pieces with forward timing: the first
 * piece from the cached prefix, then node by node. */
static void
ls_seg_forward(const struct route_ls *ls, const struct piece *p, int np,
    struct route_seg *acc)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*R;
	int			 k, m, have = 0;

	for (k = 0; k < np; k++) {
		if (p[k].i > p[k].j)
			continue;
		if (p[k].r < 0) {
			if (!have)
				*acc = e->nseg[p[k].i];
			else
				route_seg_merge(e, acc, acc, &e->nseg[p[k].i]);
			have = 1;
			continue;
		}
		R = &ls->r[p[k].r];
		if (!have && !p[k].rev && p[k].i == 0) {
			*acc = R->pre[p[k].j];
			have = 1;
			continue;
		}
		for (m = 0; m <= p[k].j - p[k].i; m++) {
			int v = R->node[p[k].rev ? p[k].j - m : p[k].i + m];
			if (!have)
				*acc = e->nseg[v];
			else
				route_seg_merge(e, acc, acc, &e->nseg[v]);
			have = 1;
		}
	}
}

/* Penalised cost of the route a list of pieces describes; *pins gets the
 * pinned positions it breaks. */
static double
ls_eval(const struct route_ls *ls, const struct piece *p, int np, int *pins)
{
	struct route_seg	acc, s;
	int			k, have = 0;

	*pins = 0;
	if (ls->cvrp)
		return ls_eval_cvrp(ls, p, np);
	if (!ls->e->tw && !ls->e->pin && !ls->e->slow)
		return ls_eval_cap(ls, p, np);
	if (ls->e->mtw)
		ls_seg_forward(ls, p, np, &acc);
	else
		for (k = 0; k < np; k++) {
			if (p[k].i > p[k].j)
				continue;
			ls_piece_seg(ls, &p[k], &s);
			if (!have)
				acc = s;
			else
				route_seg_merge(ls->e, &acc, &acc, &s);
			have = 1;
		}
	if (ls->e->pin)
		*pins = route_seg_pins(&acc);
	return route_seg_cost(ls->e, &acc);
}

/* Write the nodes of a list of pieces into buf; returns the count. */
static int
ls_write(const struct route_ls *ls, const struct piece *p, int np, int *buf)
{
	int	k, m, n = 0;

	for (k = 0; k < np; k++) {
		if (p[k].i > p[k].j)
			continue;
		if (p[k].r < 0)
			buf[n++] = p[k].i;
		else if (!p[k].rev)
			for (m = p[k].i; m <= p[k].j; m++)
				buf[n++] = ls->r[p[k].r].node[m];
		else
			for (m = p[k].j; m >= p[k].i; m--)
				buf[n++] = ls->r[p[k].r].node[m];
	}
	return n;
}

/* out = prefix a followed by node v, capacity only: what ls_eval_cap,
 * the delta filters and SWAP* read (first, last, cnt, dist, load). */
static inline void
ls_pre_add(const struct route_eng *e, struct route_seg *out,
    const struct route_seg *a, int v)
{
	int	k;

	out->first = a->first;
	out->last = v;
	out->cnt = a->cnt + e->nseg[v].cnt;
	out->dist = a->dist + e->d[(size_t)a->last * e->n + v];
	for (k = 0; k < ROUTE_NDIM; k++)
		out->load[k] = a->load[k] + e->nseg[v].load[k];
	out->pin_s = out->pin_e = SEG_ANY;
	out->dur = out->tw = out->early = out->late = 0;
}

/* Penalised cost of a capacity-only route from its totals. */
static inline double
ls_cap_cost(const struct route_eng *e, int64_t dist, int64_t load, int cnt)
{
	if (cnt == 0)
		return 0;
	return (double)(dist + e->fixed) +
	    (load > e->cap[0] ? e->pc * (load - e->cap[0]) : 0);
}

/*
 * Positions and compact prefixes of route ri from its nodes; with
 * capacity only (ls->cvrp) the cost too, as route_seg_cost would give it
 * (no time penalty: pt * 0 adds nothing).
 */
static void
ls_rebuild_cvrp(struct route_ls *ls, int ri)
{
	struct ls_route		*R = &ls->r[ri];
	const struct route_eng	*e = ls->e;
	const int		*N = R->node;
	struct ls_pre		*cp = R->cp;
	int64_t			*rd = R->rdist;
	int			 k, L = R->len, v;

	cp[0].dist = e->nseg[N[0]].dist;
	cp[0].load = e->nseg[N[0]].load[0];
	rd[0] = 0;
	for (k = 1; k <= L + 1; k++) {
		v = N[k];
		cp[k].dist = cp[k - 1].dist + e->d[(size_t)N[k - 1] * e->n + v];
		cp[k].load = cp[k - 1].load + ls->q[v];
		rd[k] = rd[k - 1] + e->d[(size_t)v * e->n + N[k - 1]];
		ls->rof[v] = ri;
		ls->pos[v] = k;
	}
	R->cost = ls_cap_cost(e, cp[L + 1].dist, cp[L + 1].load, L);
	R->slack = L > 0 ? R->cost - (double)(cp[L + 1].dist + e->fixed) : 0;
	R->tpen = 0;
	R->pinbad = 0;
	R->stamp = ls->nmoves;
}

/* Recompute positions and concatenation data of route ri from its nodes. */
static void
ls_rebuild(struct route_ls *ls, int ri)
{
	struct ls_route		*R = &ls->r[ri];
	const struct route_eng	*e = ls->e;
	int64_t			 xl, xt;
	int			 k, L = R->len;
	int			 cap = !e->tw && !e->pin && !e->slow;

	if (ls->cvrp) {
		ls_rebuild_cvrp(ls, ri);
		return;
	}
	R->pre[0] = e->nseg[R->node[0]];
	R->cp[0].dist = R->pre[0].dist;
	R->cp[0].load = R->pre[0].load[0];
	R->rdist[0] = 0;
	for (k = 1; k <= L + 1; k++) {
		if (cap)
			ls_pre_add(e, &R->pre[k], &R->pre[k - 1], R->node[k]);
		else
			route_seg_merge(e, &R->pre[k], &R->pre[k - 1],
			    &e->nseg[R->node[k]]);
		R->cp[k].dist = R->pre[k].dist;
		R->cp[k].load = R->pre[k].load[0];
		R->rdist[k] = R->rdist[k - 1] +
		    e->d[(size_t)R->node[k] * e->n + R->node[k - 1]];
		ls->rof[R->node[k]] = ri;
		ls->pos[R->node[k]] = k;
	}
	/* forward timing extends prefixes only: no suffix data; with
	 * capacity only every move is priced from the prefixes */
	R->suf[L + 1] = e->nseg[R->node[L + 1]];
	for (k = L; k >= 0 && !e->mtw && !cap; k--)
		route_seg_merge(e, &R->suf[k], &e->nseg[R->node[k]],
		    &R->suf[k + 1]);
	R->cost = route_seg_cost(e, &R->pre[L + 1]);
	R->slack = L > 0 ? R->cost - (double)(R->cp[L + 1].dist + e->fixed) :
	    0;
	R->tpen = 0;
	if (e->tw && L > 0) {
		route_seg_excess(e, &R->pre[L + 1], &xl, &xt);
		R->tpen = e->pt * xt;
	}
	R->pinbad = e->pin && route_seg_pins(&R->pre[L + 1]) > 0;
	R->stamp = ls->nmoves;
}

/* Give route ri the n nodes of buf (depots included). */
static void
ls_set(struct route_ls *ls, int ri, const int *buf, int n)
{
	struct ls_route	*R = &ls->r[ri];

	if (n > R->cap) {
		R->cap = n + 8;
		R->node = xreallocarray(R->node, R->cap, sizeof(int));
		R->cp = xreallocarray(R->cp, R->cap, sizeof(*R->cp));
		if (!ls->cvrp) {
			R->pre = xreallocarray(R->pre, R->cap,
			    sizeof(*R->pre));
			R->suf = xreallocarray(R->suf, R->cap,
			    sizeof(*R->suf));
		}
		R->rdist = xreallocarray(R->rdist, R->cap, sizeof(int64_t));
	}
	memcpy(R->node, buf, n * sizeof(int));
	R->len = n - 2;
	if (R->len == 0 && ri < ls->empty_lo)
		ls->empty_lo = ri;
	ls_rebuild(ls, ri);
}

/*
 * Evaluate the move that turns route ra into pieces a[] (and rb into b[]
 * when rb >= 0); apply it and return 1 if it lowers the penalised cost.
 * A move never displaces a stop from its pinned position: when the routes
 * keep their pins now, a move breaking one is refused whatever it saves.
 */
static int
ls_try(struct route_ls *ls, int ra, const struct piece *a, int na, int rb,
    const struct piece *b, int nb)
{
	double	old, nw;
	int	n0, n1 = 0, pa, pb = 0;

	old = ls->r[ra].cost + (rb >= 0 ? ls->r[rb].cost : 0);
	nw = ls_eval(ls, a, na, &pa);
	if (nw >= old - 1e-6)
		return 0;
	if (rb >= 0)
		nw += ls_eval(ls, b, nb, &pb);
	if (nw >= old - 1e-6)
		return 0;
	if ((pa || pb) && !ls->r[ra].pinbad && (rb < 0 || !ls->r[rb].pinbad))
		return 0;
	n0 = ls_write(ls, a, na, ls->buf[0]);
	if (rb >= 0)
		n1 = ls_write(ls, b, nb, ls->buf[1]);
	ls->nmoves++;
	ls_set(ls, ra, ls->buf[0], n0);
	if (rb >= 0)
		ls_set(ls, rb, ls->buf[1], n1);
	return 1;
}

/*
 * The pieces of inter-route move m (HGS numbering: 1-3 relocate u, (u,x),
 * (x,u) after v; 4-6 swap u/v, (u,x)/v, (u,x)/(v,y); 8 and 9 the two
 * 2-opt* variants) for u at pu of ru and v at pv of rv (0 = depot).
 * Returns 0 when the move does not apply there.
 */
static int
ls_inter_pieces(const struct route_ls *ls, int m, int ru, int pu, int rv,
    int pv, struct piece *a, int *na, struct piece *b, int *nb)
{
	int	LU = ls->r[ru].len, LV = ls->r[rv].len;
	int	u = ls->r[ru].node[pu], v = ls->r[rv].node[pv];

	if ((m == 2 || m == 3 || m == 5 || m == 6) && pu >= LU)
		return 0;
	if ((m >= 4 && m <= 6) && pv < 1)
		return 0;
	if (m == 6 && pv >= LV)
		return 0;
	switch (m) {
	case 1: case 2: case 3:
		a[0] = PC(ru, 0, pu - 1);
		a[1] = PC(ru, pu + (m == 1 ? 1 : 2), LU + 1);
		b[0] = PC(rv, 0, pv);
		b[1] = m == 1 ? PN(u) : m == 2 ? PC(ru, pu, pu + 1) :
		    PRV(ru, pu, pu + 1);
		b[2] = PC(rv, pv + 1, LV + 1);
		*na = 2; *nb = 3;
		return 1;
	case 4: case 5: case 6:
		a[0] = PC(ru, 0, pu - 1);
		a[1] = m == 6 ? PC(rv, pv, pv + 1) : PN(v);
		a[2] = PC(ru, pu + (m == 4 ? 1 : 2), LU + 1);
		b[0] = PC(rv, 0, pv - 1);
		b[1] = m == 4 ? PN(u) : PC(ru, pu, pu + 1);
		b[2] = PC(rv, pv + (m == 6 ? 2 : 1), LV + 1);
		*na = 3; *nb = 3;
		return 1;
	case 9:
		a[0] = PC(ru, 0, pu); a[1] = PC(rv, pv + 1, LV + 1);
		b[0] = PC(rv, 0, pv); b[1] = PC(ru, pu + 1, LU + 1);
		*na = 2; *nb = 2;
		return 1;
	case 8:
		if (ls->e->tw || !ls->e->sym)
			return 0;
		a[0] = PC(ru, 0, pu); a[1] = PRV(rv, 1, pv); a[2] = PN(0);
		b[0] = PN(0); b[1] = PRV(ru, pu + 1, LU);
		b[2] = PC(rv, pv + 1, LV + 1);
		*na = 3; *nb = 3;
		return 1;
	}
	return 0;
}

/*
 * Cost changes dl[m] of the inter-route moves m (1-6, 8, 9) of u at pu and
 * v at pv, with one capacity dimension, from a few arcs and the route
 * totals (Vidal's delta formulas): the filter that keeps the generic
 * evaluation for the moves that improve.  +inf where a move does not
 * apply or cannot improve.  All moves at once: they share every arc and
 * total they read.  With time windows the new routes are priced without
 * their time warp and the old ones with it, so dl[m] is a lower bound and
 * the filter still only drops moves that cannot improve.  Returns 0 when
 * no dl[m] is below -1e-6 (the moves tried).
 *
 * Most pairs improve nothing, so each move is first judged on its change
 * of distance alone, in integers: a new route costs at least its
 * distance plus the fixed cost, so when that change is no less than
 * what the two routes pay beyond distance and fixed cost (their slack)
 * the move cannot improve and is not priced (as HGS does).  Not for a
 * move that empties a route (an empty route costs nothing) nor into an
 * empty one.  The moves priced get the same dl as without the test.
 */
static int
ls_inter_deltas(const struct route_ls *ls, int ru, int pu, int rv, int pv,
    double *dl)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*U = &ls->r[ru], *V = &ls->r[rv];
	const struct ls_pre	*tu, *tv, *PU = U->cp, *PV = V->cp;
	const int		*A = U->node, *B = V->node;
	int			 LU = U->len, LV = V->len, pairu, swapv, filt;
	int			 any = 0;
	int			 p, u, x, xx = 0, vp = 0, v, y, yy = 0;
	int64_t			 qu, qx = 0, qv, qy = 0, du, dv, rem, dpu, dxy;
	int64_t			 dux, ins;
	const int64_t		*Dp, *Du, *Dv, *Dx;
	double			 slack = U->slack + V->slack;

#define DI(a, b)	(e->d[(size_t)(a) * e->n + (b)])
#define TWO(dU, lU, cU, dV)	(ls_cap_cost(e, tu->dist + (dU),	\
	    tu->load + (lU), LU + (cU)) + ls_cap_cost(e,		\
	    tv->dist + (dV), tv->load - (lU), LV - (cU)) -		\
	    U->cost - V->cost)
#define MOVE(m, dU, lU, cU, dV, empties)	do {			\
	int64_t	a_ = (dU), b_ = (dV);					\
	if (filt && !(empties) && (double)(a_ + b_) >= slack)		\
		dl[m] = INFINITY;					\
	else {								\
		dl[m] = TWO(a_, lU, cU, b_);				\
		any |= !(dl[m] > -1e-6);				\
	}								\
} while (0)
	tu = &PU[LU + 1];
	tv = &PV[LV + 1];
	filt = LV > 0;
	p = A[pu - 1]; u = A[pu]; x = A[pu + 1];
	v = B[pv]; y = B[pv + 1];
	qu = ls->q[u];
	qv = ls->q[v];
	pairu = pu < LU;		/* u has a customer after it */
	swapv = pv >= 1;		/* v is a customer */
	if (pairu) {
		xx = A[pu + 2];
		qx = ls->q[x];
	}
	if (swapv)
		vp = B[pv - 1];
	if (pv < LV) {
		yy = B[pv + 2];
		qy = ls->q[y];
	}
	Dp = e->d + (size_t)p * e->n;
	Du = e->d + (size_t)u * e->n;
	Dv = e->d + (size_t)v * e->n;
	Dx = e->d + (size_t)x * e->n;
	dpu = Dp[u];
	dxy = Dv[y];
	dux = Du[x];
	/* 1: relocate u after v */
	rem = Dp[x] - dpu - dux;
	MOVE(1, rem, -qu, -1, Dv[u] + Du[y] - dxy, LU == 1);
	dl[2] = dl[3] = dl[5] = dl[6] = dl[4] = INFINITY;
	if (pairu) {
		/* 2, 3: relocate (u, x) or (x, u) after v */
		rem = Dp[xx] - dpu - dux - Dx[xx];
		MOVE(2, rem, -qu - qx, -2, Dv[u] + dux + Dx[y] - dxy,
		    LU == 2);
		MOVE(3, rem, -qu - qx, -2, Dv[x] + Dx[u] + Du[y] -
		    dxy, LU == 2);
	}
	if (swapv) {
		/* 4: swap u and v; 5: (u, x) and v; 6: (u, x) and (v, y) */
		ins = DI(vp, u) - DI(vp, v) - dxy;
		MOVE(4, Dp[v] + Dv[x] - dpu - dux, qv - qu, 0,
		    ins + Du[y], 0);
		if (pairu) {
			MOVE(5, Dp[v] + Dv[xx] - dpu - dux - Dx[xx],
			    qv - qu - qx, -1, ins + dux + Dx[y], 0);
			if (pv < LV)
				MOVE(6, Dp[v] + Dv[y] + DI(y, xx) -
				    dpu - dux - Dx[xx], qv + qy - qu - qx,
				    0, ins + dux + Dx[yy] - DI(y, yy), 0);
		}
	}
	/* 9: 2-opt*, the tails of u and v exchanged */
	du = PU[pu].dist + Du[y] + tv->dist - PV[pv + 1].dist;
	dv = PV[pv].dist + Dv[x] + tu->dist - PU[pu + 1].dist;
	if (filt && !(pv == 0 && pu == LU) &&
	    (double)(du + dv - tu->dist - tv->dist) >= slack)
		dl[9] = INFINITY;
	else {
		dl[9] = ls_cap_cost(e, du, PU[pu].load + tv->load -
		    PV[pv].load, pu + LV - pv) + ls_cap_cost(e, dv,
		    PV[pv].load + tu->load - PU[pu].load, pv + LU - pu) -
		    U->cost - V->cost;
		any |= !(dl[9] > -1e-6);
	}
	/* 8: 2-opt*, the head of u with the head of v reversed, the tail
	 * of u reversed with the tail of v; symmetric distances only, so a
	 * reversed piece costs what it costs forwards */
	dl[8] = INFINITY;
	if (e->sym) {
		du = PU[pu].dist + Du[v] + PV[pv].dist;
		dv = tu->dist - PU[pu + 1].dist + Dx[y] + tv->dist -
		    PV[pv + 1].dist;
		if (!filt || (pu == LU && pv == LV) ||
		    (double)(du + dv - tu->dist - tv->dist) < slack) {
			dl[8] = ls_cap_cost(e, du, PU[pu].load + PV[pv].load,
			    pu + pv) + ls_cap_cost(e, dv, tu->load -
			    PU[pu].load + tv->load - PV[pv].load,
			    LU - pu + LV - pv) - U->cost - V->cost;
			any |= !(dl[8] > -1e-6);
		}
	}
	return any;
#undef MOVE
#undef TWO
#undef DI
}

/* Moves between two routes; v is at position pv of route rv (0 = depot). */
static int
ls_inter(struct route_ls *ls, int ru, int pu, int rv, int pv)
{
	static const int	 order[] = { 1, 2, 3, 4, 5, 6, 9, 8 };
	struct piece		 a[MAXP], b[MAXP];
	double			 dl[10];
	int			 k, m, na, nb;
	int			 fast = !ls->e->pin && ls->e->ndim == 1 &&
				    !ls->e->slow;

	if (fast && !ls_inter_deltas(ls, ru, pu, rv, pv, dl))
		return 0;
	for (k = 0; k < 8; k++) {
		m = order[k];
		if (fast && dl[m] > -1e-6)
			continue;
		if (ls_inter_pieces(ls, m, ru, pu, rv, pv, a, &na, b, &nb) &&
		    ls_try(ls, ru, a, na, rv, b, nb))
			return 1;
	}
	return 0;
}

/*
 * Distance change of intra-route relocate of u (m = 1) or of u and x (2,
 * reversed 3), swap (4), swap of pairs (6) or 2-opt (7)
 * of u at pu and v at pv; with capacity only, that is the cost change.
 * INFINITY for the moves it does not price (they take the generic path).
 */
static double
ls_intra_delta(const struct route_ls *ls, int m, int ru, int pu, int pv)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*R = &ls->r[ru];
	const int		*N = R->node;
	int			 p, u, x, v, y, vp, lo, hi;
	double			 rem;

#define DI(a, b)	((double)e->d[(size_t)(a) * e->n + (b)])
	if (e->pin || e->slow)
		return INFINITY;
	p = N[pu - 1]; u = N[pu]; x = N[pu + 1];
	v = N[pv]; y = N[pv + 1];
	switch (m) {
	case 1:
		return DI(p, x) - DI(p, u) - DI(u, x) + DI(v, u) + DI(u, y) -
		    DI(v, y);
	case 4:
		if (pv < 1)
			return INFINITY;
		vp = N[pv - 1];
		if (pv == pu + 1)
			return DI(p, v) + DI(v, u) + DI(u, y) - DI(p, u) -
			    DI(u, v) - DI(v, y);
		if (pv == pu - 1)
			return DI(vp, u) + DI(u, v) + DI(v, x) - DI(vp, v) -
			    DI(v, u) - DI(u, x);
		return DI(p, v) + DI(v, x) - DI(p, u) - DI(u, x) +
		    DI(vp, u) + DI(u, y) - DI(vp, v) - DI(v, y);
	case 2: case 3:
		/* (u, x) after v, straight or reversed (pu < len) */
		if (pv == pu - 1)
			return m == 2 ? 0 : DI(p, x) + DI(x, u) +
			    DI(u, N[pu + 2]) - DI(p, u) - DI(u, x) -
			    DI(x, N[pu + 2]);
		rem = DI(p, N[pu + 2]) - DI(p, u) - DI(u, x) -
		    DI(x, N[pu + 2]);
		return rem - DI(v, y) + (m == 2 ? DI(v, u) + DI(u, x) +
		    DI(x, y) : DI(v, x) + DI(x, u) + DI(u, y));
	case 6:
		/* the pairs at lo and hi exchanged (hi - lo >= 2) */
		lo = pu < pv ? pu : pv;
		hi = pu < pv ? pv : pu;
		if (hi - lo == 2)
			return DI(N[lo - 1], N[hi]) + DI(N[hi + 1], N[lo]) +
			    DI(N[lo + 1], N[hi + 2]) - DI(N[lo - 1], N[lo]) -
			    DI(N[lo + 1], N[hi]) - DI(N[hi + 1], N[hi + 2]);
		return DI(N[lo - 1], N[hi]) + DI(N[hi + 1], N[lo + 2]) +
		    DI(N[hi - 1], N[lo]) + DI(N[lo + 1], N[hi + 2]) -
		    DI(N[lo - 1], N[lo]) - DI(N[lo + 1], N[lo + 2]) -
		    DI(N[hi - 1], N[hi]) - DI(N[hi + 1], N[hi + 2]);
	case 7:
		return DI(u, v) + DI(x, y) - DI(u, x) - DI(v, y) +
		    (double)(R->rdist[pv] - R->rdist[pu + 1]) -
		    (double)(R->cp[pv].dist - R->cp[pu + 1].dist);
	}
#undef DI
	return INFINITY;
}

/*
 * True when the delta filter rules move m out (unpriced moves pass).
 * With time windows the distance change is exact but the time penalty is
 * not: the route's whole time penalty is what the move could at best
 * remove, so the filter subtracts it (a lower bound, Vidal et al. 2013).
 */
static inline int
ls_skip(const struct route_ls *ls, int m, int r, int pu, int pv)
{
	double	d = ls_intra_delta(ls, m, r, pu, pv);

	return d != INFINITY && d - ls->r[r].tpen > -1e-6;
}

#define LS_SKIP(ls, m, r, pu, pv)	ls_skip((ls), (m), (r), (pu), (pv))

/* The pieces of intra-route move m (ls_intra_delta numbering) of u at pu
 * and v at pv of route r into a[]; returns their count. */
static int
ls_intra_pieces(const struct route_ls *ls, int m, int r, int pu, int pv,
    struct piece *a)
{
	const struct ls_route	*U = &ls->r[r];
	int			 L = U->len, lo, hi;

	lo = pu < pv ? pu : pv;
	hi = pu < pv ? pv : pu;
	switch (m) {
	case 1:
		if (pu < pv) {
			a[0] = PC(r, 0, pu - 1); a[1] = PC(r, pu + 1, pv);
			a[2] = PN(U->node[pu]); a[3] = PC(r, pv + 1, L + 1);
		} else {
			a[0] = PC(r, 0, pv); a[1] = PN(U->node[pu]);
			a[2] = PC(r, pv + 1, pu - 1);
			a[3] = PC(r, pu + 1, L + 1);
		}
		return 4;
	case 2: case 3:
		if (pu < pv) {
			a[0] = PC(r, 0, pu - 1); a[1] = PC(r, pu + 2, pv);
			a[2] = PC(r, pu, pu + 1); a[3] = PC(r, pv + 1, L + 1);
		} else {
			a[0] = PC(r, 0, pv); a[1] = PC(r, pu, pu + 1);
			a[2] = PC(r, pv + 1, pu - 1);
			a[3] = PC(r, pu + 2, L + 1);
		}
		if (m == 3)
			a[pu < pv ? 2 : 1].rev = 1;
		return 4;
	case 4:
		a[0] = PC(r, 0, lo - 1); a[1] = PN(U->node[hi]);
		a[2] = PC(r, lo + 1, hi - 1); a[3] = PN(U->node[lo]);
		a[4] = PC(r, hi + 1, L + 1);
		return 5;
	case 6:
		a[0] = PC(r, 0, lo - 1); a[1] = PC(r, hi, hi + 1);
		a[2] = PC(r, lo + 2, hi - 1); a[3] = PC(r, lo, lo + 1);
		a[4] = PC(r, hi + 2, L + 1);
		return 5;
	case 7:
		a[0] = PC(r, 0, pu); a[1] = PRV(r, pu + 1, pv);
		a[2] = PC(r, pv + 1, L + 1);
		return 3;
	}
	return 0;
}

/* Try intra-route move m unless its delta rules it out. */
static inline int
ls_intra_try(struct route_ls *ls, int m, int r, int pu, int pv)
{
	struct piece	a[MAXP];
	int		n;

	if (LS_SKIP(ls, m, r, pu, pv))
		return 0;
	n = ls_intra_pieces(ls, m, r, pu, pv, a);
	return ls_try(ls, r, a, n, -1, NULL, 0);
}

/* Moves within one route, u at pu and v at pv (pv may be 0). */
static int
ls_intra(struct route_ls *ls, int ru, int pu, int pv)
{
	int	L = ls->r[ru].len, lo, hi, r = ru;

	if (pv != pu - 1 && ls_intra_try(ls, 1, r, pu, pv))
		return 1;
	if (pu < L && pv != pu + 1) {
		if (pv != pu - 1 && ls_intra_try(ls, 2, r, pu, pv))
			return 1;
		if (ls_intra_try(ls, 3, r, pu, pv))
			return 1;
	}
	if (pv >= 1) {
		lo = pu < pv ? pu : pv;
		hi = pu < pv ? pv : pu;
		if (ls_intra_try(ls, 4, r, pu, pv))
			return 1;
		if (hi - lo >= 2 && hi < L && ls_intra_try(ls, 6, r, pu, pv))
			return 1;
	}
	if (pu < pv && pv >= pu + 2 && ls_intra_try(ls, 7, r, pu, pv))
		return 1;
	return 0;
}

/* All moves of u with neighbour v (and with v's depot if v comes first). */
static int
ls_pair(struct route_ls *ls, int u, int v)
{
	int	ru = ls->rof[u], rv = ls->rof[v], pu = ls->pos[u];
	int	pv = ls->pos[v];

	if (ru != rv) {
		if (ls_inter(ls, ru, pu, rv, pv))
			return 1;
		if (pv == 1 && ls_inter(ls, ru, pu, rv, 0))
			return 1;
		return 0;
	}
	if (ls_intra(ls, ru, pu, pv))
		return 1;
	return pv == 1 && pu != 1 && ls_intra(ls, ru, ls->pos[u], 0);
}

/* The first empty route slot, or -1. */
static int
ls_empty(struct route_ls *ls)
{
	int	r;

	for (r = ls->empty_lo; r < ls->nr; r++)
		if (ls->r[r].len == 0)
			return ls->empty_lo = r;
	ls->empty_lo = ls->nr;
	return -1;
}

struct route_ls *
route_ls_new(struct route_eng *e)
{
	struct route_ls	*ls;
	int		 r;

	ls = xcalloc(1, sizeof(*ls));
	ls->e = e;
	ls->cvrp = !e->tw && !e->pin && e->ndim == 1 && !e->slow;
	ls->q = xcalloc(e->n, sizeof(int64_t));
	for (r = 0; r < e->n; r++)
		ls->q[r] = e->nseg[r].load[0];
	ls->nr = e->nc;
	ls->r = xcalloc(ls->nr, sizeof(*ls->r));
	ls->rof = xcalloc(e->n, sizeof(int));
	ls->pos = xcalloc(e->n, sizeof(int));
	ls->order = xcalloc(e->nc, sizeof(int));
	ls->nb = xcalloc((size_t)(e->nc + 1) * (e->ngran + 1), sizeof(int));
	if (e->gran != NULL)
		memcpy(ls->nb, e->gran,
		    (size_t)(e->nc + 1) * e->ngran * sizeof(int));
	ls->tested = xcalloc(e->n, sizeof(int));
	ls->buf[0] = xcalloc(e->n + 4, sizeof(int));
	ls->buf[1] = xcalloc(e->n + 4, sizeof(int));
	ls->rem = xcalloc(3 * (e->n + 4), sizeof(int64_t));
	ls->insa = xcalloc(e->n + 4, sizeof(*ls->insa));
	ls->insb = xcalloc(e->n + 4, sizeof(*ls->insb));
	for (r = 0; r < ls->nr; r++) {
		int b[2] = { 0, 0 };
		ls_set(ls, r, b, 2);
	}
	return ls;
}

void
route_ls_free(struct route_ls *ls)
{
	int	r;

	if (ls == NULL)
		return;
	for (r = 0; r < ls->nr; r++) {
		free(ls->r[r].node);
		free(ls->r[r].cp);
		free(ls->r[r].pre);
		free(ls->r[r].suf);
		free(ls->r[r].rdist);
	}
	free(ls->r);
	free(ls->q);
	free(ls->rof);
	free(ls->pos);
	free(ls->order);
	free(ls->nb);
	free(ls->tested);
	free(ls->buf[0]);
	free(ls->buf[1]);
	free(ls->rem);
	free(ls->insa);
	free(ls->insb);
	free(ls->ins);
	free(ls);
}

/* Load nroutes routes (customer lists without depots); other slots empty. */
void
route_ls_load(struct route_ls *ls, int **routes, const int *len, int nroutes)
{
	int	r, *b = ls->buf[0];

	ls->nmoves = 0;
	ls->epoch++;		/* invalidates the SWAP* cache */
	for (r = 0; r < ls->nr; r++) {
		int n = 0;
		b[n++] = 0;
		if (r < nroutes) {
			memcpy(b + 1, routes[r], len[r] * sizeof(int));
			n += len[r];
		}
		b[n++] = 0;
		ls_set(ls, r, b, n);
	}
}

/* Shuffle a[0..n-1] with the engine's RNG. */
static void
ls_shuffle(struct route_eng *e, int *a, int n)
{
	int	i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = rng_int(e->rng, i + 1);
		t = a[i]; a[i] = a[j]; a[j] = t;
	}
}

/*
 * SWAP* (Vidal 2022): exchange u of route a and v of route b, each going
 * to its best position in the other route rather than in place, or move
 * one of them to its best position in the other route.  Only for
 * capacity-only problems, between routes whose polar sectors overlap.  The
 * three cheapest insertion positions of every stop in the other route are
 * precomputed, so a pair of routes costs O(|a| |b|).
 */
struct ins3 {
	int64_t	c[3];
	int	p[3];			/* position to insert after */
	int	stamp, epoch, route;	/* valid for route's stamp, epoch */
};

static inline void
ins3_add(struct ins3 *t, int64_t c, int p)
{
	/* ties go after the entries already there */
	if (c >= t->c[2])
		return;
	t->c[2] = t->c[1];
	t->p[2] = t->p[1];
	if (c >= t->c[1]) {
		t->c[2] = c;
		t->p[2] = p;
		return;
	}
	t->c[1] = t->c[0];
	t->p[1] = t->p[0];
	if (c >= t->c[0]) {
		t->c[1] = c;
		t->p[1] = p;
		return;
	}
	t->c[0] = c;
	t->p[0] = p;
}

#define DD(e, a, b)	((e)->d[(size_t)(a) * (e)->n + (b)])

/*
 * The three best insertions of stop u into route b, from the cache when b
 * has not changed since they were computed (they do not depend on u's own
 * route), as HGS keeps them.
 */
static const struct ins3 *
ls_ins3(struct route_ls *ls, int u, int b)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*B = &ls->r[b];
	struct ins3		*t;
	const int64_t		*du;
	size_t			 at;
	int			 k, p, q;

	at = ls->ins_full ? (size_t)b * e->n + u : (size_t)u;
	t = &ls->ins[at];
	if (t->epoch == ls->epoch && t->stamp == B->stamp && t->route == b)
		return t;
	t->epoch = ls->epoch;
	t->stamp = B->stamp;
	t->route = b;
	t->c[0] = t->c[1] = t->c[2] = ROUTE_INF;
	t->p[0] = t->p[1] = t->p[2] = -1;
	/* arc (p, q) from the prefix sums; symmetric: both arcs to u
	 * from u's row of the matrix */
	du = e->d + (size_t)u * e->n;
	for (k = 0; k <= B->len; k++) {
		p = B->node[k];
		q = B->node[k + 1];
		ins3_add(t, (e->sym ? du[p] : DD(e, p, u)) + du[q] -
		    (B->cp[k + 1].dist - B->cp[k].dist), k);
	}
	return t;
}

/* Cheapest insertion of x into a route with the stop between prev and
 * next removed (at position j; x may take its place, at a cost of
 * d(prev, x) + d(x, next) - dpn), given x's three best insertions t;
 * position to insert after in *at (-1: in place). */
static inline int64_t
ls_ins_without(const struct route_eng *e, const struct ins3 *t, int x,
    int prev, int next, int64_t dpn, int j, int *at)
{
	int64_t	best;
	int	k;

	best = DD(e, prev, x) + DD(e, x, next) - dpn;
	*at = -1;
	/* the entries are sorted by cost and the unused ones (p < 0) come
	 * last, so the first usable entry is the cheapest one */
	for (k = 0; k < 3; k++)
		if (t->p[k] < 0)
			return best;
		else if (t->p[k] != j - 1 && t->p[k] != j)
			break;
	if (k < 3 && t->c[k] < best) {
		best = t->c[k];
		*at = t->p[k];
	}
	return best;
}

/* Nodes of R without position j (none: j < 0) and with x inserted after
 * position at (-1: in j's place; LS_NOINS: nowhere) into buf; returns the
 * count. */
#define LS_NOINS	(-2)
static int
ls_swapstar_write(const struct ls_route *R, int j, int x, int at, int *buf)
{
	int	k, n = 0;

	for (k = 0; k <= R->len + 1; k++) {
		if (k == j) {
			if (at == -1)
				buf[n++] = x;
			continue;
		}
		buf[n++] = R->node[k];
		if (k == at)
			buf[n++] = x;
	}
	return n;
}

/* Penalised cost of a whole route given as a node array. */
static double
ls_cost_nodes(const struct route_eng *e, const int *b, int n)
{
	struct route_seg	s;
	int			k;

	s = e->nseg[b[0]];
	for (k = 1; k < n; k++)
		route_seg_merge(e, &s, &s, &e->nseg[b[k]]);
	return route_seg_cost(e, &s);
}

/* Load penalty of a route with load l (dimension 0 only; SWAP* is used
 * for single-dimension capacity). */
static double
ls_loadpen(const struct route_eng *e, int64_t l)
{
	return l > e->cap[0] ? e->pc * (l - e->cap[0]) : 0;
}

/* Start loading the insertion cache entries of the stops of route a in
 * route b: they are scattered over a large table, and the lookups that
 * follow then wait for memory all at once rather than one by one. */
static void
ls_ins3_prefetch(const struct route_ls *ls, int a, int b)
{
#if defined(__GNUC__)
	const struct ls_route	*A = &ls->r[a];
	size_t			 row = 0;
	int			 i;

	if (ls->ins_full)
		row = (size_t)b * ls->e->n;
	for (i = 1; i <= A->len; i++)
		__builtin_prefetch(&ls->ins[row + A->node[i]]);
#endif
}

/*
 * The best move of one stop of route a to its cheapest place in route b
 * (t[i]: the three best insertions of a's i-th stop in b), if it beats
 * *best; its position in a, or -1.  SWAP* has those insertions at hand,
 * so it weighs these relocations with its swaps, as HGS-CVRP does: they
 * are not bound to granular neighbours, so the other moves miss some.
 * A route is not emptied (ls_swapstar_all's list of used routes holds).
 */
static int
ls_relocate_best(const struct route_ls *ls, int a, int b,
    const struct ins3 **t, double *best, int *at)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*A = &ls->r[a], *B = &ls->r[b];
	const int		*N = A->node;
	int64_t			 la = A->cp[A->len + 1].load;
	int64_t			 lb = B->cp[B->len + 1].load, q;
	double			 pen0, c;
	int			 i, bi = -1;

	if (A->len < 2)
		return -1;
	pen0 = ls_loadpen(e, la) + ls_loadpen(e, lb);
	for (i = 1; i <= A->len; i++) {
		if (t[i]->p[0] < 0)
			continue;
		q = ls->q[N[i]];
		c = ls_loadpen(e, la - q) + ls_loadpen(e, lb + q) - pen0 +
		    (double)(DD(e, N[i - 1], N[i + 1]) - DD(e, N[i - 1],
		    N[i]) - DD(e, N[i], N[i + 1]) + t[i]->c[0]);
		if (c < *best) {
			*best = c;
			*at = t[i]->p[0];
			bi = i;
		}
	}
	return bi;
}

/*
 * Try SWAP* between routes a and b; apply the best if it improves.  What
 * each pair reads is gathered per stop first (removal gain, load, the
 * arc that closes the gap), so the O(|a| |b|) loop reads small arrays.
 */
static int
ls_swapstar(struct route_ls *ls, int a, int b)
{
	const struct route_eng	*e = ls->e;
	const struct ls_route	*A = &ls->r[a], *B = &ls->r[b];
	int64_t			 la = A->cp[A->len + 1].load;
	int64_t			 lb = B->cp[B->len + 1].load;
	double			 best = -1e-6, c, pen, pa, pb;
	int64_t			 remu, *remv = ls->rem, *qv = ls->rem + B->len + 2;
	int64_t			*dpv = qv + B->len + 2, dpu, qu;
	const struct ins3	**tu = ls->insa, **tv = ls->insb;
	const int		*NA = A->node, *NB = B->node;
	int			 i, j, u, v, atu, atv, bi = -1, bj = -1;
	int			 bau = 0, bav = 0, n0, n1, ri, rj, atr = 0;

	/* what taking each stop out of its route saves, and where each
	 * would go in the other route: looked up once, not per pair */
	ls_ins3_prefetch(ls, b, a);
	ls_ins3_prefetch(ls, a, b);
	for (j = 1; j <= B->len; j++) {
		dpv[j] = DD(e, NB[j - 1], NB[j + 1]);
		remv[j] = dpv[j] - DD(e, NB[j - 1], NB[j]) -
		    DD(e, NB[j], NB[j + 1]);
		qv[j] = ls->q[NB[j]];
		tv[j] = ls_ins3(ls, NB[j], a);
	}
	for (i = 1; i <= A->len; i++)
		tu[i] = ls_ins3(ls, NA[i], b);
	pa = ls_loadpen(e, la);
	pb = ls_loadpen(e, lb);
	for (i = 1; i <= A->len; i++) {
		u = NA[i];
		qu = ls->q[u];
		dpu = DD(e, NA[i - 1], NA[i + 1]);
		remu = dpu - DD(e, NA[i - 1], u) - DD(e, u, NA[i + 1]);
		for (j = 1; j <= B->len; j++) {
			pen = ls_loadpen(e, la - qu + qv[j]) - pa +
			    ls_loadpen(e, lb - qv[j] + qu) - pb;
			c = pen + (double)remu + (double)remv[j];
			if (c >= best)
				continue;
			v = NB[j];
			c += ls_ins_without(e, tu[i], u, NB[j - 1], NB[j + 1],
			    dpv[j], j, &atu);
			c += ls_ins_without(e, tv[j], v, NA[i - 1], NA[i + 1],
			    dpu, i, &atv);
			if (c < best) {
				best = c;
				bi = i; bj = j; bau = atu; bav = atv;
			}
		}
	}
	/* the relocation that beats every swap, if one does */
	ri = ls_relocate_best(ls, a, b, tu, &best, &atr);
	rj = ls_relocate_best(ls, b, a, tv, &best, &atr);
	if (rj >= 0) {
		n0 = ls_swapstar_write(A, -1, NB[rj], atr, ls->buf[0]);
		n1 = ls_swapstar_write(B, rj, -1, LS_NOINS, ls->buf[1]);
	} else if (ri >= 0) {
		n0 = ls_swapstar_write(A, ri, -1, LS_NOINS, ls->buf[0]);
		n1 = ls_swapstar_write(B, -1, NA[ri], atr, ls->buf[1]);
	} else if (bi < 0)
		return 0;
	else {
		n0 = ls_swapstar_write(A, bi, NB[bj], bav, ls->buf[0]);
		n1 = ls_swapstar_write(B, bj, NA[bi], bau, ls->buf[1]);
	}
	if (ls_cost_nodes(e, ls->buf[0], n0) + ls_cost_nodes(e, ls->buf[1], n1) >=
	    A->cost + B->cost - 1e-6)
		return 0;
	ls->nmoves++;
	ls_set(ls, a, ls->buf[0], n0);
	ls_set(ls, b, ls->buf[1], n1);
	return 1;
}

/* Polar sector [lo, lo + w] (angles in 1/65536 turns) of route r. */
static void
ls_sector(const struct route_ls *ls, int r, int *lo, int *w)
{
	const struct ls_route	*R = &ls->r[r];
	int			 k, ang, d0, d1;

	*lo = *w = -1;
	for (k = 1; k <= R->len; k++) {
		ang = ls->e->angle[R->node[k]];
		if (*lo < 0) {
			*lo = ang;
			*w = 0;
			continue;
		}
		if (((ang - *lo) & 65535) <= *w)
			continue;
		d0 = (*lo - ang) & 65535;		/* grow backwards */
		d1 = (ang - *lo - *w) & 65535;		/* or forwards */
		if (d0 < d1) {
			*lo = ang;
			*w += d0;
		} else
			*w += d1;
	}
}

static int
ls_overlap(int la, int wa, int lb, int wb)
{
	return ((lb - la) & 65535) <= wa || ((la - lb) & 65535) <= wb;
}

/* The insertion cache: one entry per (route slot, stop) up to 4M entries
 * (48 MB), else one per stop. */
static void
ls_ins_alloc(struct route_ls *ls)
{
	size_t	n = (size_t)ls->nr * ls->e->n;

	ls->ins_full = n <= ((size_t)1 << 22);
	if (!ls->ins_full)
		n = ls->e->n;
	ls->ins = xcalloc(n, sizeof(*ls->ins));
}

/* One SWAP* sweep over overlapping route pairs; returns moves made.  No
 * move empties a route, so the list of used routes holds throughout. */
static int
ls_swapstar_all(struct route_ls *ls)
{
	int		*lo, *w, *used, a, b, i, j, nu = 0, moved = 0, last;

	if (ls->ins == NULL)
		ls_ins_alloc(ls);
	lo = xcalloc(ls->nr, sizeof(int));
	w = xcalloc(ls->nr, sizeof(int));
	used = xcalloc(ls->nr, sizeof(int));
	last = ls->last_swap;
	ls->last_swap = ls->nmoves;
	for (a = 0; a < ls->nr; a++)
		if (ls->r[a].len > 0) {
			used[nu++] = a;
			ls_sector(ls, a, &lo[a], &w[a]);
		}
	for (i = 0; i < nu; i++) {
		a = used[i];
		for (j = i + 1; j < nu; j++) {
			b = used[j];
			/* pairs untouched since the last sweep cannot improve */
			if ((ls->r[a].stamp <= last &&
			    ls->r[b].stamp <= last) ||
			    !ls_overlap(lo[a], w[a], lo[b], w[b]))
				continue;
			if (ls_swapstar(ls, a, b)) {
				moved++;
				ls_sector(ls, a, &lo[a], &w[a]);
				ls_sector(ls, b, &lo[b], &w[b]);
			}
		}
	}
	free(lo);
	free(w);
	free(used);
	return moved;
}

/* Moves of u into an empty route. */
static int
ls_to_empty(struct route_ls *ls, int u)
{
	int	re = ls_empty(ls);

	if (re < 0 || ls->r[ls->rof[u]].len == 1)
		return 0;
	return ls_inter(ls, ls->rof[u], ls->pos[u], re, 0);
}

/* Run the local search to a local optimum under the current penalties. */
void
route_ls_run(struct route_ls *ls)
{
	struct route_eng	*e = ls->e;
	int			 i, k, u, v, loop = 0, done = 0, last;
	const int		*nb;

	for (i = 0; i < e->nc; i++)
		ls->order[i] = i + 1;
	memset(ls->tested, 0xff, e->n * sizeof(int));
	ls->last_swap = -1;
	ls_shuffle(e, ls->order, e->nc);
	/* each stop's neighbours are tried in an order kept from run to
	 * run, reshuffled for one stop in ngran (as HGS-CVRP does): a
	 * shuffle of every list in every loop took a twentieth of the time */
	for (u = 1; u <= e->nc; u++)
		if (e->ngran > 1 && rng_int(e->rng, e->ngran) == 0)
			ls_shuffle(e, ls->nb + (size_t)u * e->ngran, e->ngran);
	while (!done) {
		done = loop > 1;
		for (i = 0; i < e->nc; i++) {
			u = ls->order[i];
			last = ls->tested[u];
			ls->tested[u] = ls->nmoves;
			nb = ls->nb + (size_t)u * e->ngran;
			for (k = 0; k < e->ngran; k++) {
				v = nb[k];
				if (loop > 0 && ls->r[ls->rof[u]].stamp <= last &&
				    ls->r[ls->rof[v]].stamp <= last)
					continue;
				if (ls_pair(ls, u, v))
					done = 0;
			}
			if (loop > 0 && ls_to_empty(ls, u))
				done = 0;
		}
		/* SWAP* prices distance and load only: not with pins */
		if (!e->tw && !e->pin && e->ndim == 1 &&
		    ls_swapstar_all(ls) > 0)
			done = 0;
		loop++;
	}
}

/* Non-empty routes into tour[] (concatenated) and rlen[]; returns count. */
int
route_ls_export(struct route_ls *ls, int *tour, int *rlen)
{
	int	r, k = 0, nr = 0;

	for (r = 0; r < ls->nr; r++) {
		if (ls->r[r].len == 0)
			continue;
		memcpy(tour + k, ls->r[r].node + 1, ls->r[r].len * sizeof(int));
		k += ls->r[r].len;
		rlen[nr++] = ls->r[r].len;
	}
	return nr;
}

/*
 * Route elimination support (route-elim.c).  Kept apart from the moves
 * above: they read ls->nr as the number of route slots, and a smaller
 * number is a fleet limit, since a move into an empty route (ls_to_empty)
 * then finds none.
 */

/*
 * Limit the search to the first nr route slots (nr <= 0: all of them,
 * as route_ls_new left it).  The slots from nr on must be empty: call it
 * right after route_ls_load of at most nr routes, and with 0 again before
 * route_ls_free.  The SWAP* cache is sized by the slot count, so it goes.
 */
void
route_ls_fleet(struct route_ls *ls, int nr)
{
	if (nr <= 0 || nr > ls->e->nc)
		nr = ls->e->nc;
	ls->nr = nr;
	if (ls->empty_lo > nr)
		ls->empty_lo = nr;
	free(ls->ins);
	ls->ins = NULL;
}
