/*
 * route-run.c -- the routing engine from a file to a checked answer: read
 * an instance in any supported format, solve it within the time limit,
 * validate the result independently, print a JSON summary and optionally
 * write the .sol (route-sol.c: CVRPLIB, or the location-routing layout
 * for Prodhon and Tuzun-Burke instances).  route_run_file() is the entry
 * point recirc-solve calls; route_solve() is the in-memory one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "json.h"
#include "route.h"

/* Guess the format from the file name: .vrp, .txt, .dat, .json. */
static const char *
run_detect(const char *path)
{
	const char	*dot = strrchr(path, '.');

	if (dot != NULL && strcmp(dot, ".vrp") == 0)
		return "cvrplib";
	if (dot != NULL && strcmp(dot, ".txt") == 0)
		return "solomon";
	if (dot != NULL && strcmp(dot, ".dat") == 0)
		return "lrp";
	if (dot != NULL && strcmp(dot, ".json") == 0)
		return "vroom";
	return "cvrplib";
}

/* Read an instance; format is cvrplib|solomon|prodhon|tuzun|lrp|vroom or
 * NULL to detect.  The name is the file's base name without extension. */
struct route_inst *
route_read_file(const char *path, const char *format, char **cause)
{
	struct route_inst	*in = NULL;
	const char		*base;
	char			*msg = NULL;
	FILE			*fp;
	size_t			 k;

	if (format == NULL)
		format = run_detect(path);
	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: cannot open", path);
		return NULL;
	}
	if (strcmp(format, "cvrplib") == 0)
		in = fmt_cvrplib_read(fp, &msg);
	else if (strcmp(format, "solomon") == 0)
		in = fmt_solomon_read(fp, &msg);
	else if (strcmp(format, "prodhon") == 0)
		in = fmt_prodhon_read(fp, 0, &msg);
	else if (strcmp(format, "tuzun") == 0)
		in = fmt_prodhon_read(fp, 1, &msg);
	else if (strcmp(format, "lrp") == 0)
		in = fmt_prodhon_read(fp, -1, &msg);
	else if (strcmp(format, "vroom") == 0)
		in = fmt_vroom_read(fp, &msg);
	else
		xasprintf(&msg, "unknown format %s", format);
	fclose(fp);
	if (in == NULL) {
		xasprintf(cause, "%s: %s", path, msg);
		free(msg);
		return NULL;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	k = strcspn(base, ".");
	if (k >= sizeof(in->name))
		k = sizeof(in->name) - 1;
	memcpy(in->name, base, k);
	in->name[k] = '\0';
	return in;
}

/* Map the routes of sub-instance sub back to its parent's node indices. */
static void
run_unmap(const struct route_inst *sub, const struct route_sol *s,
    struct route_sol *out)
{
	int	r, i;

	route_sol_clear(out);
	for (r = 0; r < s->nroutes; r++) {
		route_sol_add(out, sub->orig[s->route[r].depot],
		    s->route[r].vtype, s->route[r].stop, s->route[r].len);
		for (i = 0; i < s->route[r].len; i++)
			out->route[r].stop[i] = sub->orig[s->route[r].stop[i]];
	}
}

/*
 * Genetic search, then set partitioning over the pool it filled.  Both
 * work on `view', in without its map to a parent: route_pool_add() files
 * routes under the parent's node indices when an instance has one (what
 * location-routing wants, its pool spans depots), but here the set
 * partitioning runs on in itself, so the pool must hold in's indices.
 */
static int
run_single(const struct route_inst *in, const struct route_opts *o,
    struct route_sol *sol, char **cause)
{
	struct route_pool	*pool = NULL;
	struct route_inst	 view = *in;
	struct route_sol	 sp;
	double			 t0 = time_mono(), share;
	int			 rc;

	view.orig = NULL;
	in = &view;

	/* GLPK stalls on the pools of large instances (MEASURED.md), and
	 * from 150 customers on it found nothing the genetic search had not
	 * while taking its tenth of the budget and more (X-n200, X-n251 at
	 * 60 s): there the whole budget goes to the genetic search */
	share = o->use_sp && in->ncust <= 150 ? 0.9 : 1.0;
	if (share < 1.0)
		pool = route_pool_new();
	rc = route_hgs(in, o, t0 + o->time_limit * share, sol, NULL, pool);
	if (rc < 0) {
		xasprintf(cause, "no feasible solution found");
		route_pool_free(pool);
		return -1;
	}
	if (pool != NULL) {
		route_sol_init(&sp);
		if (route_sp_solve(in, pool, sol, o->time_limit * (1 - share),
		    &sp, cause) == 0 && sp.cost < sol->cost)
			route_sol_copy(sol, &sp);
		route_sol_clear(&sp);
		free(*cause);
		*cause = NULL;
		route_pool_free(pool);
	}
	return 0;
}

/*
 * Solve in within o->time_limit seconds.  Stops that no vehicle can serve
 * are left out with a reason code (sol->reason, n entries); optional stops
 * cheaper to defer are dropped afterwards.  With several vehicle types the
 * search uses their envelope and route_fleet_assign() picks a type per
 * route.  0, or -1 + cause.
 */
int
route_solve(const struct route_inst *in, const struct route_opts *o,
    struct route_sol *sol, char **cause)
{
	struct route_inst	*sub;
	struct route_sol	 s;
	int			*keep, nk = 0, i, rc;
	int			*reason;

	if (in->ndepot > 1)
		return route_lrp(in, o, sol, cause);
	reason = xcalloc(in->n, sizeof(int));
	route_sol_init(&s);
	s.reason = reason;
	route_reasons(in, &s);
	s.reason = NULL;
	keep = xcalloc(in->n, sizeof(int));
	for (i = in->ndepot; i < in->n; i++)
		if (reason[i] == ROUTE_ASSIGNED)
			keep[nk++] = i;
	if (nk == in->ncust && in->nvtype == 1) {
		rc = run_single(in, o, sol, cause);
	} else {
		/* the search sees the kept stops and one envelope vehicle */
		sub = route_inst_sub(in, 0, keep, nk);
		route_fleet_envelope(in, &sub->vtype[0]);
		sub->nvtype = 1;
		rc = run_single(sub, o, &s, cause);
		if (rc == 0)
			run_unmap(sub, &s, sol);
		route_inst_free(sub);
	}
	route_sol_clear(&s);
	free(keep);
	if (rc == 0 && in->nvtype > 1)
		rc = route_fleet_assign(in, sol, cause);
	if (rc == 0) {
		free(sol->reason);
		sol->reason = reason;
		route_defer(in, sol);
		sol->cost = route_sol_cost(in, sol);
	} else
		free(reason);
	return rc;
}

/* The JSON summary of a solved, checked instance, solved by nsearch
 * searches side by side. */
static json_t *
run_json(const struct route_inst *in, const struct route_sol *s,
    double cost, double secs, int nsearch)
{
	json_t	*o, *routes, *un, *rt;
	int	 r, i, nr = 0;

	routes = json_array();
	for (r = 0; r < s->nroutes; r++) {
		if (s->route[r].len == 0)
			continue;
		nr++;
		rt = json_array();
		for (i = 0; i < s->route[r].len; i++)
			json_array_append_new(rt, json_integer(
			    s->route[r].stop[i] - in->ndepot + 1));
		json_array_append_new(routes, json_pack("{s:i,s:o}", "depot",
		    s->route[r].depot + 1, "stops", rt));
	}
	un = json_array();
	for (i = in->ndepot; s->reason != NULL && i < in->n; i++)
		if (s->reason[i] != ROUTE_ASSIGNED)
			json_array_append_new(un, json_pack("{s:i,s:s}", "stop",
			    i - in->ndepot + 1, "reason",
			    route_reason_name(s->reason[i])));
	o = json_pack("{s:s,s:f,s:f,s:i,s:f,s:i,s:o,s:o}", "instance",
	    in->name, "objective", cost, "cost", cost, "routes", nr, "seconds",
	    secs, "searches", nsearch, "route_list", routes, "unassigned", un);
	return o;
}

/*
 * Read path (format as for route_read_file), solve with o, validate, print
 * one JSON object on json_out (if not NULL) and write the .sol to sol_path
 * (if not NULL).  0, or -1 + cause (read error, no solution, or a solution
 * the validator rejects, which would be a bug).
 */
int
route_run_file(const char *path, const char *format,
    const struct route_opts *o, FILE *json_out, const char *sol_path,
    char **cause)
{
	struct route_inst	*in;
	struct route_sol	 s;
	double			 t0 = time_mono(), cost;
	json_t			*j;
	FILE			*fp;
	int			 rc = -1;

	if ((in = route_read_file(path, format, cause)) == NULL)
		return -1;
	route_sol_init(&s);
	if (route_solve(in, o, &s, cause) < 0)
		goto done;
	if (route_check(in, &s, NAN, &cost, cause) < 0)
		goto done;
	if (json_out != NULL) {
		j = run_json(in, &s, cost, time_mono() - t0,
		    o->threads > 1 ? o->threads : 1);
		json_dumpf(j, json_out, JSON_COMPACT | JSON_REAL_PRECISION(12));
		fputc('\n', json_out);
		json_decref(j);
	}
	if (sol_path != NULL) {
		if ((fp = fopen(sol_path, "w")) == NULL) {
			xasprintf(cause, "%s: cannot create", sol_path);
			goto done;
		}
		route_sol_write(fp, in, &s);
		if (fclose(fp) != 0) {
			xasprintf(cause, "%s: write error", sol_path);
			goto done;
		}
	}
	rc = 0;
done:
	route_sol_clear(&s);
	route_inst_free(in);
	return rc;
}
