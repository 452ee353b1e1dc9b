/*
 * solve.c -- choose how to solve a location problem, and finish the plan.
 *
 * Small problems and our JSON problems go whole to the strong MILP
 * (solve-model.c); large plain CFLPs (more assignment arcs than
 * SOLVE_BIG_ARCS) go to the Lagrangian matheuristic (solve-cflp.c), which
 * alone can prove tight bounds at that size with GLPK.  Called by
 * recirc-solve and the tests; no I/O.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

#define SOLVE_BIG_ARCS	20000

/*
 * Above SOLVE_MILP_ARCS assignment arcs a JSON problem's plan is the
 * greedy start with its open/close/swap search (model_greedy), and the
 * MILP is not run: it would only spend the routing stage's time.
 * Measured (issue 14, two busy vCPUs): at 10,000 pickups x 24 centres
 * (240k arcs) GLPK's LP relaxation still had 213k infeasibilities after a
 * minute and the MILP returned the greedy plan after its 130 s, at 818
 * MiB; the strong LP of 50 x 1000 took 125 s alone (MEASURED.md); at
 * 2,000 x 8 (16k) the MILP proves the optimum in 17 s, 0.05% better than
 * the greedy start.
 */
#define SOLVE_MILP_ARCS	50000

/*
 * Solve p into pl (made by solve_plan_new).  Returns 0 with a plan whose
 * status says what was found (infeasible with a message included), or -1
 * with *cause when the solver failed.
 */
int
solve_problem_run(const struct solve_problem *p, const struct solve_params *pa,
    struct solve_plan *pl, char **cause)
{
	struct solve_plan *start;
	struct solve_params sub;
	double	t0 = time_mono();
	int	rc = 0;

	if (model_precheck(p, pl)) {
		snprintf(pl->method, sizeof(pl->method), "precheck");
		pl->objective = NAN;
	} else if (solve_problem_is_cflp(p) && p->n * p->m > SOLVE_BIG_ARCS) {
		snprintf(pl->method, sizeof(pl->method), "lagrangian+mip");
		rc = cflp_solve(p, pa, pl, cause);
	} else {
		snprintf(pl->method, sizeof(pl->method), "glpk-mip");
		/* Measured: without a start GLPK found no plan at all in
		 * 90 s at 100 centres x 2000 pickups, nor in 20 s for a
		 * JSON problem of 30 centres x 600 pickups. */
		start = NULL;
		sub = *pa;
		if (!p->cflp || p->n * p->m > SOLVE_BIG_ARCS) {
			start = model_greedy(p, t0 + pa->time_limit * 0.3);
			if (start != NULL)
				log_debug("model: greedy start %.3f after "
				    "%.1f s", start->objective,
				    time_mono() - t0);
			sub.time_limit = pa->time_limit - (time_mono() - t0);
		}
		if (start != NULL && !p->cflp && (p->n * p->m >
		    SOLVE_MILP_ARCS || pa->heuristic)) {
			log_info("model: %zu x %zu arcs, above %d: the greedy "
			    "plan, no MILP", p->n, p->m, SOLVE_MILP_ARCS);
			snprintf(pl->method, sizeof(pl->method), "greedy");
			solve_plan_copy(p, pl, start);
			pl->status = SOLVE_FEASIBLE;
			pl->bound = NAN;
		} else
			rc = model_solve(p, &sub, start, pl, cause);
		solve_plan_free(start, p);
	}
	if (rc == 0 && (pl->status == SOLVE_OPTIMAL ||
	    pl->status == SOLVE_FEASIBLE))
		model_defer_reasons(p, pl);
	if (pl->status == SOLVE_OPTIMAL && isnan(pl->bound))
		pl->bound = pl->objective;
	pl->seconds = time_mono() - t0;
	return rc;
}
