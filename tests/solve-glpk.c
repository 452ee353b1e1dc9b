/*
 * solve-glpk.c -- the GLPK wrapper: a small LP and MILP with known
 * answers, duals, a warm start, and an internal GLPK error (a coefficient
 * in a row that does not exist) ending the solve with a message instead
 * of aborting, after which GLPK still works.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"
#include "tap.h"

/* max x + y, x + 2y <= 4, 3x + y <= 6 (as min -x - y): x = 1.6, y = 1.2. */
static struct mip *
small_model(int integer)
{
	struct mip	*m = mip_new();
	int		 x, y, r1, r2;

	x = mip_col(m, 0, HUGE_VAL, -1, integer);
	y = mip_col(m, 0, HUGE_VAL, -1, integer);
	r1 = mip_row(m, -HUGE_VAL, 4);
	r2 = mip_row(m, -HUGE_VAL, 6);
	mip_coef(m, r1, x, 1);
	mip_coef(m, r1, y, 2);
	mip_coef(m, r2, x, 3);
	mip_coef(m, r2, y, 1);
	return m;
}

int
main(void)
{
	struct mip		*m;
	struct mip_params	 pa;
	struct mip_result	 res;
	double			 x[2], dual[2], start[2] = { 2, 0 };
	char			*cause = NULL;
	int			 rc;

	log_init(1, 0, "solve-glpk");
	memset(&pa, 0, sizeof(pa));
	pa.presolve = 1;

	m = small_model(0);
	ok(mip_solve(m, &pa, &res, x, dual, &cause) == 0, "LP solves");
	is_int(res.status, MIP_OPTIMAL, "LP optimal");
	is_dbl(res.objective, -2.8, 1e-9, "LP objective -2.8");
	is_dbl(x[0], 1.6, 1e-9, "LP x = 1.6");
	is_dbl(dual[0], -0.4, 1e-9, "LP dual of row 1 is -0.4");
	mip_free(m);

	/* Integer: (2, 0) or (1, 1) or (0, 2) give -2. */
	m = small_model(1);
	ok(mip_solve(m, &pa, &res, x, NULL, &cause) == 0, "MILP solves");
	is_int(res.status, MIP_OPTIMAL, "MILP optimal");
	is_dbl(res.objective, -2.0, 1e-9, "MILP objective -2");
	is_dbl(res.bound, -2.0, 1e-9, "MILP bound proves it");
	pa.start = start;
	ok(mip_solve(m, &pa, &res, x, NULL, &cause) == 0 &&
	    res.status == MIP_OPTIMAL && fabs(res.objective + 2) < 1e-9,
	    "MILP from a start: same optimum");
	pa.start = NULL;
	mip_free(m);

	/* An internal error: GLPK rejects the matrix and would abort. */
	m = small_model(0);
	mip_coef(m, 7, 0, 1.0);
	rc = mip_solve(m, &pa, &res, x, NULL, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "GLPK") != NULL,
	    "GLPK internal error caught: %s", cause ? cause : "(none)");
	is_int(res.status, MIP_ERROR, "status says error");
	free(cause);
	cause = NULL;
	mip_free(m);

	m = small_model(0);
	ok(mip_solve(m, &pa, &res, x, NULL, &cause) == 0 &&
	    fabs(res.objective + 2.8) < 1e-9, "GLPK works after the error");
	mip_free(m);

	/* Infeasible is a status, not a failure. */
	m = mip_new();
	mip_col(m, 0, 1, 1, 1);
	mip_coef(m, mip_row(m, 2, HUGE_VAL), 0, 1);
	ok(mip_solve(m, &pa, &res, x, NULL, &cause) == 0 &&
	    res.status == MIP_INFEASIBLE, "infeasible MILP reported");
	mip_free(m);
	return tap_done();
}
