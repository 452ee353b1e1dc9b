/*
 * route-reason.c -- why a stop is left out of a plan.
 *
 * Before the search, route_reasons() marks every stop that no vehicle could
 * serve even alone (missing skill, load above every capacity, no window
 * reachable from the depot and back, out-and-back longer than every shift,
 * or beyond the centre's capacity); the engine routes the rest.  After the
 * search, route_defer() drops optional stops whose detour costs more than
 * their penalty ("deferred as cheaper").  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

const char *
route_reason_name(enum route_reason r)
{
	static const char *const names[] = {
		"assigned", "no_capacity", "no_window", "shift_too_short",
		"skill_missing", "centre_capacity", "deferred"
	};

	if ((int)r < 0 || r > ROUTE_DEFERRED)
		return "unknown";
	return names[r];
}

static int64_t
reason_time(const struct route_inst *in, int a, int b)
{
	const int64_t	*t = in->time != NULL ? in->time : in->dist;

	return t[(size_t)a * in->n + b];
}

/* Back-at-depot time of depot -> c -> depot, or -1 if c's windows are
 * all missed or the depot closes first. */
static int64_t
reason_alone(const struct route_inst *in, int dep, int c, int64_t *start)
{
	const struct route_node	*v = &in->node[c], *d = &in->node[dep];
	int64_t			 t, back;
	int			 k;

	*start = d->ntw > 0 ? d->tw_open[0] : 0;
	t = *start + reason_time(in, dep, c);
	for (k = 0; k < v->ntw && t > v->tw_close[k]; k++)
		;
	if (v->ntw > 0 && k == v->ntw)
		return -1;
	if (v->ntw > 0 && t < v->tw_open[k])
		t = v->tw_open[k];
	back = t + v->service + reason_time(in, c, dep);
	if (d->ntw > 0 && back > d->tw_close[0])
		return -1;
	return back;
}

/* The reason customer c cannot be served from depot dep, or ASSIGNED. */
static enum route_reason
reason_one(const struct route_inst *in, int dep, int c)
{
	const struct route_node	*v = &in->node[c];
	int64_t			 back, start;
	int			 k, m, skill = 0, cap = 0, shift = 0;

	for (m = 0; m < in->nvtype; m++) {
		const struct route_vtype *vt = &in->vtype[m];
		if ((v->skills & ~vt->skills) != 0 ||
		    (v->pin_vtype >= 0 && v->pin_vtype != m))
			continue;
		skill = 1;
		for (k = 0; k < in->ndim && v->demand[k] <= vt->cap[k]; k++)
			;
		if (k < in->ndim)
			continue;
		cap = 1;
		if ((back = reason_alone(in, dep, c, &start)) < 0)
			return ROUTE_NO_WINDOW;
		if (back - start <= vt->shift)
			shift = 1;
	}
	if (!skill)
		return ROUTE_NO_SKILL;
	if (!cap)
		return ROUTE_NO_CAPACITY;
	return shift ? ROUTE_ASSIGNED : ROUTE_SHIFT_SHORT;
}

/*
 * Fill s->reason (n entries, allocated by the caller) for a single-depot
 * instance: ASSIGNED for stops the engine should route, a reason for the
 * others.  With a depot capacity, mandatory stops are kept first, then
 * optional ones by decreasing penalty, until the centre is full.
 */
void
route_reasons(const struct route_inst *in, struct route_sol *s)
{
	int64_t	left = in->depot_cap != NULL ? in->depot_cap[0] : ROUTE_INF;
	int	i, pass;

	memset(s->reason, 0, in->n * sizeof(int));
	for (i = in->ndepot; i < in->n; i++)
		s->reason[i] = reason_one(in, 0, i);
	for (pass = 0; pass < 2; pass++)
		for (i = in->ndepot; i < in->n; i++) {
			if (s->reason[i] != ROUTE_ASSIGNED ||
			    (in->node[i].penalty < 0) != (pass == 0))
				continue;
			if (in->node[i].demand[0] > left)
				s->reason[i] = ROUTE_CENTRE_FULL;
			else
				left -= in->node[i].demand[0];
		}
}

/* Saving from removing stop k of route rp (fixed cost if it is alone). */
static int64_t
reason_saving(const struct route_inst *in, const struct route_path *rp, int k)
{
	int	p = k > 0 ? rp->stop[k - 1] : rp->depot;
	int	q = k < rp->len - 1 ? rp->stop[k + 1] : rp->depot;
	int	c = rp->stop[k], n = in->n;

	if (rp->len == 1)
		return in->dist[(size_t)p * n + c] + in->dist[(size_t)c * n + q] +
		    in->route_fixed + in->vtype[rp->vtype].fixed;
	return in->dist[(size_t)p * n + c] + in->dist[(size_t)c * n + q] -
	    in->dist[(size_t)p * n + q];
}

/* 1 when removing stop k of rp moves a pinned stop: one pinned from the
 * start after it, or from the end before it. */
static int
reason_shifts_pin(const struct route_inst *in, const struct route_path *rp,
    int k)
{
	int	i, p;

	for (i = 0; i < rp->len; i++) {
		p = in->node[rp->stop[i]].pin_pos;
		if ((i > k && p > 0) || (i < k && p < 0))
			return 1;
	}
	return 0;
}

/* Drop optional stops whose removal saves more than their penalty, the
 * largest net saving first, unless that moves a pinned stop; mark them
 * DEFERRED. */
void
route_defer(const struct route_inst *in, struct route_sol *s)
{
	int64_t	best, g;
	int	r, k, br, bk;

	for (;;) {
		best = 0;
		br = bk = -1;
		for (r = 0; r < s->nroutes; r++)
			for (k = 0; k < s->route[r].len; k++) {
				int c = s->route[r].stop[k];
				if (in->node[c].penalty < 0 ||
				    reason_shifts_pin(in, &s->route[r], k))
					continue;
				g = reason_saving(in, &s->route[r], k) -
				    in->node[c].penalty;
				if (g > best) {
					best = g;
					br = r;
					bk = k;
				}
			}
		if (br < 0)
			return;
		if (s->reason != NULL)
			s->reason[s->route[br].stop[bk]] = ROUTE_DEFERRED;
		memmove(s->route[br].stop + bk, s->route[br].stop + bk + 1,
		    (s->route[br].len - bk - 1) * sizeof(int));
		s->route[br].len--;
	}
}
