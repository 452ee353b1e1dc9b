/*
 * route-inst.c -- the routing instance model: allocation, the distance
 * conventions of each benchmark set, sub-instances, solutions and their cost,
 * the seeded RNG, and reason codes for stops that cannot be served.
 *
 * Pure apart from time_mono() (a monotonic clock read).  Invariants: nodes
 * 0..ndepot-1 are depots; dist is n*n; every vtype has cap[] for all ndim
 * dimensions.  Called by the readers, the engine and the validator.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recirc.h"
#include "route.h"

/* A fresh instance with room for the nodes and one vehicle type. */
struct route_inst *
route_inst_new(int ndepot, int ncust)
{
	struct route_inst	*in;
	int			 i;

	in = xcalloc(1, sizeof(*in));
	in->ndepot = ndepot;
	in->ncust = ncust;
	in->n = ndepot + ncust;
	in->ndim = 1;
	in->unit = 1.0;
	in->node = xcalloc(in->n, sizeof(*in->node));
	for (i = 0; i < in->n; i++) {
		in->node[i].penalty = -1;
		in->node[i].pin_vtype = -1;
	}
	in->nvtype = 1;
	in->vtype = xcalloc(1, sizeof(*in->vtype));
	in->vtype[0].shift = ROUTE_INF;
	for (i = 0; i < ROUTE_NDIM; i++)
		in->vtype[0].cap[i] = ROUTE_INF;
	return in;
}

void
route_inst_free(struct route_inst *in)
{
	if (in == NULL)
		return;
	free(in->node);
	free(in->dist);
	free(in->time);
	free(in->vtype);
	free(in->depot_fixed);
	free(in->depot_cap);
	free(in->orig);
	free(in);
}

/*
 * The cost of one arc under a set's convention.  Integer coordinates make
 * the squared length exact, so the roundings below are fixed up with integer
 * comparisons rather than trusted to sqrt().
 */
int64_t
route_conv_arc(enum route_conv cv, double x1, double y1, double x2, double y2)
{
	double	dx = x1 - x2, dy = y1 - y2, s = dx * dx + dy * dy, t;
	int64_t	r;

	switch (cv) {
	case ROUTE_CONV_TENTH:
		t = 100.0 * s;
		r = (int64_t)floor(sqrt(t));
		while ((double)(r + 1) * (r + 1) <= t)
			r++;
		while (r > 0 && (double)r * r > t)
			r--;
		return r;
	case ROUTE_CONV_CEIL100:
		t = 10000.0 * s;
		r = (int64_t)ceil(sqrt(t));
		while (r > 0 && (double)(r - 1) * (r - 1) >= t)
			r--;
		while ((double)r * r < t)
			r++;
		return r;
	case ROUTE_CONV_REAL:
		return llround(1e4 * sqrt(s));
	case ROUTE_CONV_NINT:
	default:
		return (int64_t)(sqrt(s) + 0.5);
	}
}

/* Fill dist from the coordinates (not for EXPLICIT instances). */
void
route_inst_matrix(struct route_inst *in)
{
	int	i, j;

	free(in->dist);
	in->dist = xreallocarray(NULL, (size_t)in->n * in->n, sizeof(int64_t));
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->n; j++)
			in->dist[(size_t)i * in->n + j] = i == j ? 0 :
			    route_conv_arc(in->conv, in->node[i].x,
			    in->node[i].y, in->node[j].x, in->node[j].y);
}

/*
 * A single-depot instance made of parent's depot `depot` and the nc
 * customers cust[] (parent node indices).  orig[] maps back to the parent.
 * The caller frees it with route_inst_free().
 */
struct route_inst *
route_inst_sub(const struct route_inst *p, int depot, const int *cust, int nc)
{
	struct route_inst	*in;
	int			 i, j, a, b;

	in = route_inst_new(1, nc);
	memcpy(in->name, p->name, sizeof(in->name));
	in->kind = p->kind == ROUTE_LRP ? ROUTE_CVRP : p->kind;
	in->conv = p->conv;
	in->ndim = p->ndim;
	in->unit = p->unit;
	in->has_tw = p->has_tw;
	in->maxveh = p->maxveh;
	in->route_fixed = p->route_fixed;
	free(in->vtype);
	in->nvtype = p->nvtype;
	in->vtype = xreallocarray(NULL, p->nvtype, sizeof(*in->vtype));
	memcpy(in->vtype, p->vtype, p->nvtype * sizeof(*in->vtype));
	in->orig = xreallocarray(NULL, in->n, sizeof(int));
	in->orig[0] = depot;
	for (i = 0; i < nc; i++)
		in->orig[i + 1] = cust[i];
	in->dist = xreallocarray(NULL, (size_t)in->n * in->n, sizeof(int64_t));
	if (p->time != NULL)
		in->time = xreallocarray(NULL, (size_t)in->n * in->n,
		    sizeof(int64_t));
	for (i = 0; i < in->n; i++) {
		a = in->orig[i];
		in->node[i] = p->node[a];
		for (j = 0; j < in->n; j++) {
			b = in->orig[j];
			in->dist[(size_t)i * in->n + j] =
			    p->dist[(size_t)a * p->n + b];
			if (p->time != NULL)
				in->time[(size_t)i * in->n + j] =
				    p->time[(size_t)a * p->n + b];
		}
	}
	return in;
}

/* Travel cost of one route, depot to depot, fixed costs excluded. */
int64_t
route_path_dist(const struct route_inst *in, const struct route_path *rp)
{
	int64_t	c = 0;
	int	i, prev = rp->depot;

	for (i = 0; i < rp->len; i++) {
		c += in->dist[(size_t)prev * in->n + rp->stop[i]];
		prev = rp->stop[i];
	}
	return c + in->dist[(size_t)prev * in->n + rp->depot];
}

/* 1 when every stop of rp with a pinned position is at it. */
int
route_path_pinned(const struct route_inst *in, const struct route_path *rp)
{
	int	i, k;

	for (i = 0; i < rp->len; i++) {
		k = in->node[rp->stop[i]].pin_pos;
		if ((k > 0 && i + 1 != k) || (k < 0 && rp->len - i != -k))
			return 0;
	}
	return 1;
}

/* Put v's time windows in increasing order of opening (readers call it:
 * the engine and the validator take the first window not yet closed). */
void
route_node_sort_tw(struct route_node *v)
{
	int64_t	o, c;
	int	i, j;

	for (i = 1; i < v->ntw; i++)
		for (j = i; j > 0 && v->tw_open[j - 1] > v->tw_open[j]; j--) {
			o = v->tw_open[j];
			c = v->tw_close[j];
			v->tw_open[j] = v->tw_open[j - 1];
			v->tw_close[j] = v->tw_close[j - 1];
			v->tw_open[j - 1] = o;
			v->tw_close[j - 1] = c;
		}
}

/* The whole objective: travel, per-route and per-vehicle fixed costs,
 * opened depots, and penalties of optional stops left out. */
int64_t
route_sol_cost(const struct route_inst *in, const struct route_sol *s)
{
	int64_t	 c = 0;
	char	*used, *seen;
	int	 r, i;

	used = xcalloc(in->ndepot, 1);
	seen = xcalloc(in->n, 1);
	for (r = 0; r < s->nroutes; r++) {
		if (s->route[r].len == 0)
			continue;
		c += route_path_dist(in, &s->route[r]) + in->route_fixed +
		    in->vtype[s->route[r].vtype].fixed;
		used[s->route[r].depot] = 1;
		for (i = 0; i < s->route[r].len; i++)
			seen[s->route[r].stop[i]] = 1;
	}
	for (i = 0; i < in->ndepot; i++)
		if (used[i] && in->depot_fixed != NULL)
			c += in->depot_fixed[i];
	for (i = in->ndepot; i < in->n; i++)
		if (!seen[i] && in->node[i].penalty > 0)
			c += in->node[i].penalty;
	free(used);
	free(seen);
	return c;
}

void
route_sol_init(struct route_sol *s)
{
	memset(s, 0, sizeof(*s));
}

void
route_sol_clear(struct route_sol *s)
{
	int	r;

	for (r = 0; r < s->nroutes; r++)
		free(s->route[r].stop);
	free(s->route);
	free(s->reason);
	route_sol_init(s);
}

/* Append a route (copies stop[]). */
void
route_sol_add(struct route_sol *s, int depot, int vtype, const int *stop,
    int len)
{
	struct route_path	*rp;

	if (s->nroutes == s->rcap) {
		s->rcap = s->rcap < 8 ? 8 : 2 * s->rcap;
		s->route = xreallocarray(s->route, s->rcap,
		    sizeof(*s->route));
	}
	rp = &s->route[s->nroutes++];
	rp->depot = depot;
	rp->vtype = vtype;
	rp->len = len;
	rp->stop = xreallocarray(NULL, len > 0 ? len : 1, sizeof(int));
	if (len > 0)
		memcpy(rp->stop, stop, len * sizeof(int));
}

/* dst becomes a deep copy of src (reason codes are not copied). */
void
route_sol_copy(struct route_sol *dst, const struct route_sol *src)
{
	int	r;

	route_sol_clear(dst);
	for (r = 0; r < src->nroutes; r++)
		route_sol_add(dst, src->route[r].depot, src->route[r].vtype,
		    src->route[r].stop, src->route[r].len);
	dst->cost = src->cost;
}

