/*
 * solve-cflp.c -- OR-Library CFLP files (copies in tests/data/solve): the
 * strong MILP proves the published multi-source optima and our
 * single-source optima, the Lagrangian matheuristic (run directly on the
 * small files) stays between its bound and a near-optimal cost, and the
 * validator rejects every kind of broken plan.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"
#include "tap.h"

struct known {
	const char	*file;
	double		 ms;	/* published multi-source optimum */
	double		 ss;	/* single-source optimum, NAN: infeasible */
};

static const struct known knowns[] = {
	{ "cap41.txt",	1040444.375,	NAN },
	{ "cap64.txt",	1045650.250,	1053197.438 },
	{ "cap71.txt",	932615.750,	932615.750 },
	{ "cap111.txt",	826124.713,	NAN },
};

static char *
slurp(const char *name, size_t *len)
{
	const char	*top = getenv("top_srcdir");
	char		*path, *buf;
	FILE		*f;

	xasprintf(&path, "%s/tests/data/solve/%s", top ? top : ".", name);
	if ((f = fopen(path, "r")) == NULL)
		fatal("%s", path);
	buf = xmalloc(1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	free(path);
	return buf;
}

static struct solve_problem *
load(const char *name, int single_source, double capacity)
{
	struct solve_problem	*p;
	char			*buf, *cause = NULL;
	size_t			 len;

	buf = slurp(name, &len);
	p = cflp_read(buf, len, capacity, &cause);
	if (p == NULL)
		fatalx("%s: %s", name, cause);
	p->single_source = single_source;
	free(buf);
	return p;
}

static void
check_valid(const struct solve_problem *p, const struct solve_plan *pl,
    const char *what)
{
	char	*cause = NULL;
	int	 rc;

	rc = validate_plan(p, pl, &cause);
	ok(rc == 0, "%s: plan valid%s%s", what, cause ? ": " : "",
	    cause ? cause : "");
	free(cause);
}

/* The whole-model path on every known file, both variants. */
static void
test_known(void)
{
	struct solve_params	 pa = { 20, 1, 0, 0 };
	struct solve_problem	*p;
	struct solve_plan	*pl;
	char			*cause = NULL, what[64];
	size_t			 t;
	int			 ss;

	for (t = 0; t < sizeof(knowns) / sizeof(knowns[0]); t++)
		for (ss = 0; ss < 2; ss++) {
			snprintf(what, sizeof(what), "%s %s", knowns[t].file,
			    ss ? "single-source" : "multi-source");
			p = load(knowns[t].file, ss, 0);
			pl = solve_plan_new(p);
			ok(solve_problem_run(p, &pa, pl, &cause) == 0,
			    "%s: solves", what);
			check_valid(p, pl, what);
			if (ss && isnan(knowns[t].ss))
				is_int(pl->status, SOLVE_INFEASIBLE,
				    "%s: infeasible (%s)", what, pl->message);
			else {
				is_int(pl->status, SOLVE_OPTIMAL,
				    "%s: optimal", what);
				is_dbl(pl->objective, ss ? knowns[t].ss :
				    knowns[t].ms, 2e-3, "%s: the optimum",
				    what);
				is_dbl(pl->bound, pl->objective, 1e-6 *
				    pl->objective, "%s: bound proves it", what);
			}
			solve_plan_free(pl, p);
			solve_problem_free(p);
		}
}

/* The Lagrangian matheuristic, called directly on small files. */
static void
test_lagrangian(void)
{
	struct solve_params	 pa = { 20, 7, 0, 0 };
	struct solve_problem	*p;
	struct solve_plan	*pl, *again;
	char			*cause = NULL;
	size_t			 t;

	for (t = 1; t < sizeof(knowns) / sizeof(knowns[0]); t++) {
		p = load(knowns[t].file, 0, 0);
		pl = solve_plan_new(p);
		ok(cflp_solve(p, &pa, pl, &cause) == 0, "lagrangian %s: runs",
		    knowns[t].file);
		check_valid(p, pl, "lagrangian");
		ok(pl->bound <= knowns[t].ms + 1e-3, "lagrangian %s: bound "
		    "%.3f below the optimum", knowns[t].file, pl->bound);
		ok(pl->objective >= knowns[t].ms - 2e-3 &&
		    pl->objective <= knowns[t].ms * 1.005,
		    "lagrangian %s: cost %.3f within 0.5%% of the optimum",
		    knowns[t].file, pl->objective);
		again = solve_plan_new(p);
		cflp_solve(p, &pa, again, &cause);
		is_dbl(again->objective, pl->objective, 1e-9,
		    "lagrangian %s: same seed, same plan", knowns[t].file);
		solve_plan_free(again, p);
		solve_plan_free(pl, p);
		solve_problem_free(p);
	}
	/* The heuristic path itself (kernel MILP, descent, kicks), cut by
	 * the clock: valid, bounded, near-optimal. */
	pa.heuristic = 1;
	pa.time_limit = 2;
	p = load("cap111.txt", 0, 0);
	pl = solve_plan_new(p);
	ok(cflp_solve(p, &pa, pl, &cause) == 0, "heuristic path: runs");
	check_valid(p, pl, "heuristic path");
	ok(pl->bound <= knowns[3].ms + 1e-3 && pl->objective >=
	    knowns[3].ms - 2e-3 && pl->objective <= knowns[3].ms * 1.01,
	    "heuristic path: %.3f <= %.3f <= %.3f (1%% of the optimum)",
	    pl->bound, knowns[3].ms, pl->objective);
	solve_plan_free(pl, p);
	solve_problem_free(p);
	p = load("cap64.txt", 1, 0);
	pl = solve_plan_new(p);
	ok(cflp_solve(p, &pa, pl, &cause) == 0, "heuristic single-source: "
	    "runs");
	check_valid(p, pl, "heuristic single-source");
	ok(pl->bound <= knowns[1].ss + 1e-3 && pl->objective >=
	    knowns[1].ss - 2e-3, "heuristic single-source: %.3f <= %.3f <= "
	    "%.3f", pl->bound, knowns[1].ss, pl->objective);
	solve_plan_free(pl, p);
	solve_problem_free(p);
	pa.heuristic = 0;
	pa.time_limit = 20;

	p = load("cap64.txt", 1, 0);
	pl = solve_plan_new(p);
	ok(cflp_solve(p, &pa, pl, &cause) == 0, "lagrangian single-source: "
	    "runs");
	check_valid(p, pl, "lagrangian single-source");
	is_dbl(pl->objective, knowns[1].ss, 2e-3, "lagrangian single-source: "
	    "the single-source optimum");
	ok(pl->bound <= knowns[1].ss + 1e-3, "lagrangian single-source: "
	    "bound %.3f not above it", pl->bound);
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

static struct solve_plan *
plan_copy(const struct solve_problem *p, const struct solve_plan *pl)
{
	struct solve_plan	*c = solve_plan_new(p);

	c->status = pl->status;
	c->objective = pl->objective;
	c->bound = pl->bound;
	memcpy(c->open, pl->open, p->m * sizeof(int));
	memcpy(c->assign, pl->assign, p->n * p->m * sizeof(double));
	memcpy(c->flow, pl->flow, p->m * sizeof(double));
	return c;
}

/* Break a copy of a good plan in one way; the validator must object. */
static void
reject(const struct solve_problem *p, struct solve_plan *bad,
    const char *what)
{
	char	*cause = NULL;
	int	 rc;

	rc = validate_plan(p, bad, &cause);
	ok(rc == -1, "validator rejects %s: %s", what,
	    cause ? cause : "(accepted)");
	free(cause);
	solve_plan_free(bad, p);
}

/* Index of an open centre serving pickup 0, and another open centre. */
static void
two_open(const struct solve_problem *p, const struct solve_plan *pl,
    size_t *a, size_t *b)
{
	size_t	j;

	for (*a = 0; *a < p->m && pl->assign[*a] < 0.5; (*a)++)
		;
	for (j = 0, *b = *a; j < p->m; j++)
		if (pl->open[j] && j != *a)
			*b = j;
}

static void
test_validator(void)
{
	struct solve_params	 pa = { 20, 1, 0, 0 };
	struct solve_problem	*p = load("cap64.txt", 1, 0);
	struct solve_plan	*pl = solve_plan_new(p), *bad;
	char			*cause = NULL, *text;
	size_t			 a, b, i;

	solve_problem_run(p, &pa, pl, &cause);
	check_valid(p, pl, "cap64 single-source");
	two_open(p, pl, &a, &b);

	bad = plan_copy(p, pl);
	bad->objective += 1;
	reject(p, bad, "a wrong objective");
	bad = plan_copy(p, pl);
	bad->assign[a] = 0;
	reject(p, bad, "an uncovered pickup");
	bad = plan_copy(p, pl);
	bad->assign[a] = 0.5;
	bad->assign[b] = 0.5;
	reject(p, bad, "a split single-sourced pickup");
	bad = plan_copy(p, pl);
	bad->open[a] = 0;
	reject(p, bad, "service from a closed centre");
	bad = plan_copy(p, pl);
	bad->bound = bad->objective + 10;
	reject(p, bad, "a bound above the cost");
	bad = plan_copy(p, pl);
	bad->flow[a] += 1;
	reject(p, bad, "flows that do not balance");
	bad = plan_copy(p, pl);
	for (i = 0; i < p->n; i++) {
		memset(&bad->assign[i * p->m], 0, p->m * sizeof(double));
		bad->assign[i * p->m + a] = 1;
	}
	bad->open[a] = 1;
	solve_plan_set_flows(p, bad);
	bad->objective = solve_plan_cost(p, bad);
	reject(p, bad, "an overloaded centre");

	/* The plan's JSON reads back to the same, valid plan. */
	text = pjson_plan_write(p, pl);
	bad = pjson_plan_read(p, text, strlen(text), &cause);
	ok(bad != NULL, "plan JSON reads back");
	if (bad != NULL) {
		check_valid(p, bad, "plan read back");
		is_dbl(bad->objective, pl->objective, 1e-9, "read back: same "
		    "objective");
		solve_plan_free(bad, p);
	}
	free(text);
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

static void
test_reader(void)
{
	const char	*capa = "2 3\n capacity 10.\n capacity 20.\n"
	    "5 1 2\n5 2 1\n5 1 1\n";
	const char	*json = " {\"centres\": []}";
	struct solve_problem *p;
	char		*cause = NULL;

	ok(cflp_detect(capa, strlen(capa)), "cflp detected");
	ok(!cflp_detect(json, strlen(json)), "JSON is not cflp");
	ok(pjson_detect(json, strlen(json)), "JSON detected");
	p = cflp_read(capa, strlen(capa), 0, &cause);
	ok(p == NULL && cause != NULL && strstr(cause, "--capacity"),
	    "\"capacity\" without an override is refused: %s", cause);
	free(cause);
	cause = NULL;
	p = cflp_read(capa, strlen(capa), 12, &cause);
	ok(p != NULL && p->cap[0] == 12 && p->cap[1] == 12 &&
	    p->cost[2 * 2 + 1] == 1, "--capacity replaces the word");
	solve_problem_free(p);
	p = cflp_read("2 3\n1 1\n", 8, 0, &cause);
	ok(p == NULL && cause != NULL, "truncated file refused: %s", cause);
	free(cause);
}

int
main(void)
{
	log_init(1, 0, "solve-cflp");
	test_reader();
	test_known();
	test_lagrangian();
	test_validator();
	return tap_done();
}
