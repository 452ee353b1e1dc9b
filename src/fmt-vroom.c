/*
 * fmt-vroom.c -- read VROOM's problem JSON (vehicles, jobs, matrices), so
 * users can run the same problem through VROOM and recirc-solve and compare.
 *
 * Supported: one start/end location shared by all vehicles (the depot),
 * "matrices": {profile: {"durations", "distances"?, "costs"?}} or the
 * legacy "matrix"; jobs with location_index, service, pickup or delivery
 * amounts (up to ROUTE_NDIM dimensions), skills (up to 32 distinct ids),
 * up to ROUTE_MAXTW time_windows; vehicles with capacity, skills,
 * time_window, max_tasks and costs.fixed, grouped into one vehicle type
 * each.  Cost is the "costs" matrix if given, else durations (VROOM's
 * default objective).  Shipments and per-vehicle start points are refused
 * with a message.  Customers are numbered in job order.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "json.h"
#include "route.h"

struct vroom_ctx {
	int64_t		 skill_id[32];
	int		 nskill;
};

/* Bitmask of a VROOM "skills" array, registering new ids. */
static int
vroom_skills(struct vroom_ctx *cx, json_t *a, uint32_t *mask, char **cause)
{
	json_t	*v;
	size_t	 i;
	int	 k;

	*mask = 0;
	json_array_foreach(a, i, v) {
		for (k = 0; k < cx->nskill && cx->skill_id[k] !=
		    json_integer_value(v); k++)
			;
		if (k == cx->nskill) {
			if (k == 32) {
				xasprintf(cause, "more than 32 skills");
				return -1;
			}
			cx->skill_id[cx->nskill++] = json_integer_value(v);
		}
		*mask |= 1u << k;
	}
	return 0;
}

/* The square matrix of locations to use as costs and as times. */
static int
vroom_matrices(json_t *root, json_t **cost, json_t **dur, char **cause)
{
	json_t		*m, *prof;
	const char	*key;

	*cost = *dur = NULL;
	if ((m = json_object_get(root, "matrices")) != NULL) {
		json_object_foreach(m, key, prof) {
			*dur = json_object_get(prof, "durations");
			*cost = json_object_get(prof, "costs");
			break;
		}
	} else
		*dur = json_object_get(root, "matrix");
	if (!json_is_array(*dur)) {
		xasprintf(cause, "no durations matrix");
		return -1;
	}
	if (*cost == NULL)
		*cost = *dur;
	return 0;
}

/* One job into node c. */
static int
vroom_job(struct vroom_ctx *cx, json_t *j, struct route_node *v, int *loc,
    int *ndim, char **cause)
{
	json_t	*amt, *tw, *w;
	size_t	 k;

	*loc = (int)json_integer_value(json_object_get(j, "location_index"));
	v->service = json_integer_value(json_object_get(j, "service"));
	amt = json_object_get(j, "pickup");
	if (amt == NULL)
		amt = json_object_get(j, "delivery");
	json_array_foreach(amt, k, w)
		if (k < ROUTE_NDIM) {
			v->demand[k] = json_integer_value(w);
			if ((int)k + 1 > *ndim)
				*ndim = (int)k + 1;
		}
	if (vroom_skills(cx, json_object_get(j, "skills"), &v->skills,
	    cause) < 0)
		return -1;
	tw = json_object_get(j, "time_windows");
	json_array_foreach(tw, k, w) {
		if (k >= ROUTE_MAXTW) {
			xasprintf(cause, "more than %d time windows",
			    ROUTE_MAXTW);
			return -1;
		}
		v->tw_open[k] = json_integer_value(json_array_get(w, 0));
		v->tw_close[k] = json_integer_value(json_array_get(w, 1));
		v->ntw = (int)k + 1;
	}
	route_node_sort_tw(v);
	return 0;
}

/* One vehicle into type t; its start location in *loc. */
static int
vroom_vehicle(struct vroom_ctx *cx, json_t *j, struct route_vtype *t,
    struct route_node *depot, int *loc, char **cause)
{
	json_t	*cap, *w, *tw;
	size_t	 k;

	*loc = (int)json_integer_value(json_object_get(j, "start_index"));
	if (json_object_get(j, "end_index") != NULL &&
	    json_integer_value(json_object_get(j, "end_index")) != *loc) {
		xasprintf(cause, "vehicles must end where they start");
		return -1;
	}
	t->count = 1;
	t->shift = ROUTE_INF;
	cap = json_object_get(j, "capacity");
	for (k = 0; k < ROUTE_NDIM; k++)
		t->cap[k] = ROUTE_INF;
	json_array_foreach(cap, k, w)
		if (k < ROUTE_NDIM)
			t->cap[k] = json_integer_value(w);
	t->max_stops = (int)json_integer_value(json_object_get(j,
	    "max_tasks"));
	t->fixed = json_integer_value(json_object_get(json_object_get(j,
	    "costs"), "fixed"));
	if ((tw = json_object_get(j, "time_window")) != NULL) {
		depot->ntw = 1;
		depot->tw_open[0] = json_integer_value(json_array_get(tw, 0));
		depot->tw_close[0] = json_integer_value(json_array_get(tw, 1));
	}
	return vroom_skills(cx, json_object_get(j, "skills"), &t->skills,
	    cause);
}

/*
 * Fill dist and time from the location matrices; -1 with *cause on an
 * entry that is not an integer in 0..2^31-1 (VROOM's own matrices are
 * unsigned 32-bit; the searches assume no arc pays for being driven, and
 * larger values would overflow the int64 sums of route costs).
 */
static int
vroom_fill(struct route_inst *in, json_t *cost, json_t *dur, const int *loc,
    char **cause)
{
	json_t	*m[2] = { cost, dur }, *v;
	int64_t	*out[2];
	int	 i, j, k;

	in->dist = xcalloc((size_t)in->n * in->n, sizeof(int64_t));
	in->time = xcalloc((size_t)in->n * in->n, sizeof(int64_t));
	out[0] = in->dist;
	out[1] = in->time;
	for (k = 0; k < 2; k++)
		for (i = 0; i < in->n; i++)
			for (j = 0; j < in->n; j++) {
				v = json_array_get(json_array_get(m[k],
				    loc[i]), loc[j]);
				if (v != NULL && (!json_is_integer(v) ||
				    json_integer_value(v) < 0 ||
				    json_integer_value(v) > INT32_MAX)) {
					xasprintf(cause, "matrix entry [%d][%d] "
					    "is not an integer in 0..%d",
					    loc[i], loc[j], INT32_MAX);
					return -1;
				}
				out[k][(size_t)i * in->n + j] =
				    json_integer_value(v);
			}
	return 0;
}

/* Read a VROOM problem; NULL + cause on error. */
struct route_inst *
fmt_vroom_read(FILE *fp, char **cause)
{
	struct vroom_ctx	 cx;
	struct route_inst	*in = NULL;
	json_error_t		 err;
	json_t			*root, *jobs, *veh, *cost, *dur;
	int			*loc = NULL, nj, nv, i, dl = -1, l;

	memset(&cx, 0, sizeof(cx));
	if ((root = json_loadf(fp, 0, &err)) == NULL) {
		xasprintf(cause, "line %d: %s", err.line, err.text);
		return NULL;
	}
	jobs = json_object_get(root, "jobs");
	veh = json_object_get(root, "vehicles");
	if (json_object_get(root, "shipments") != NULL) {
		xasprintf(cause, "shipments are not supported");
		goto fail;
	}
	if ((nj = (int)json_array_size(jobs)) == 0 ||
	    (nv = (int)json_array_size(veh)) == 0) {
		xasprintf(cause, "no jobs or no vehicles");
		goto fail;
	}
	if (vroom_matrices(root, &cost, &dur, cause) < 0)
		goto fail;
	in = route_inst_new(1, nj);
	in->kind = ROUTE_VRPTW;
	in->conv = ROUTE_CONV_EXPLICIT;
	in->has_tw = 1;
	in->nvtype = nv;
	in->vtype = xreallocarray(in->vtype, nv, sizeof(*in->vtype));
	memset(in->vtype, 0, nv * sizeof(*in->vtype));
	loc = xcalloc(in->n, sizeof(int));
	for (i = 0; i < nv; i++) {
		if (vroom_vehicle(&cx, json_array_get(veh, i), &in->vtype[i],
		    &in->node[0], &l, cause) < 0)
			goto fail;
		if (dl >= 0 && l != dl) {
			xasprintf(cause, "vehicles must share one start");
			goto fail;
		}
		dl = l;
	}
	loc[0] = dl;
	for (i = 0; i < nj; i++)
		if (vroom_job(&cx, json_array_get(jobs, i), &in->node[i + 1],
		    &loc[i + 1], &in->ndim, cause) < 0)
			goto fail;
	for (i = 0; i < in->n; i++)
		if (loc[i] < 0 || (size_t)loc[i] >= json_array_size(dur)) {
			xasprintf(cause, "location index %d out of the matrix",
			    loc[i]);
			goto fail;
		}
	if (vroom_fill(in, cost, dur, loc, cause) < 0)
		goto fail;
	free(loc);
	json_decref(root);
	return in;
fail:
	free(loc);
	route_inst_free(in);
	json_decref(root);
	return NULL;
}
