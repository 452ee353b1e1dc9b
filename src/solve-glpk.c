/*
 * solve-glpk.c -- a small model builder over GLPK; the only file that
 * includes <glpk.h>.
 *
 * Callers add columns, rows and coefficients with 0-based indices, then
 * mip_solve() builds a glp_prob, solves it (simplex for an LP, branch-and-cut
 * for a MILP, with presolve, a time limit and optionally a starting
 * incumbent) and copies the answer out.  GLPK aborts the process on an
 * internal error unless an error hook is installed: ours longjmps back into
 * mip_solve, which frees the whole GLPK environment and returns -1 with a
 * message, so a GLPK failure ends the solve cleanly.  GLPK's terminal output
 * goes to stderr (stdout carries the plan) and only when verbose.
 */
#include "config.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

struct mip {
	int	 ncols, nrows, ncoef;
	size_t	 acols, arows, acoef;
	double	*clo, *chi, *cobj;
	int	*cint;
	double	*rlo, *rhi;
	int	*ia, *ja;	/* 1-based for glp_load_matrix */
	double	*ar;
};

/* What the GLPK hooks and the branch-and-cut callback share. */
struct mip_ctx {
	jmp_buf		 jb;
	const double	*start;	/* 0-based incumbent, or NULL */
	int		 ncols;
	int		 given;
	double		 deadline;	/* time_mono() seconds, 0: none */
	double		 bound;
	long		 nodes;
};

struct mip *
mip_new(void)
{
	struct mip	*m;

	m = xcalloc(1, sizeof(*m));
	m->ncoef = 0;
	return m;
}

void
mip_free(struct mip *m)
{
	if (m == NULL)
		return;
	free(m->clo);
	free(m->chi);
	free(m->cobj);
	free(m->cint);
	free(m->rlo);
	free(m->rhi);
	free(m->ia);
	free(m->ja);
	free(m->ar);
	free(m);
}

/* Add a column lo <= x <= hi (HUGE_VAL for none) with an objective
 * coefficient; integer when integer != 0.  Returns its 0-based index. */
int
mip_col(struct mip *m, double lo, double hi, double obj, int integer)
{
	if ((size_t)m->ncols == m->acols) {
		m->acols = m->acols ? 2 * m->acols : 256;
		m->clo = xreallocarray(m->clo, m->acols, sizeof(double));
		m->chi = xreallocarray(m->chi, m->acols, sizeof(double));
		m->cobj = xreallocarray(m->cobj, m->acols, sizeof(double));
		m->cint = xreallocarray(m->cint, m->acols, sizeof(int));
	}
	m->clo[m->ncols] = lo;
	m->chi[m->ncols] = hi;
	m->cobj[m->ncols] = obj;
	m->cint[m->ncols] = integer;
	return m->ncols++;
}

/* Add a row lo <= a.x <= hi (-HUGE_VAL/HUGE_VAL for none); returns it. */
int
mip_row(struct mip *m, double lo, double hi)
{
	if ((size_t)m->nrows == m->arows) {
		m->arows = m->arows ? 2 * m->arows : 256;
		m->rlo = xreallocarray(m->rlo, m->arows, sizeof(double));
		m->rhi = xreallocarray(m->rhi, m->arows, sizeof(double));
	}
	m->rlo[m->nrows] = lo;
	m->rhi[m->nrows] = hi;
	return m->nrows++;
}

void
mip_coef(struct mip *m, int row, int col, double v)
{
	if (v == 0.0)
		return;
	if ((size_t)m->ncoef + 1 >= m->acoef) {
		m->acoef = m->acoef ? 2 * m->acoef : 1024;
		m->ia = xreallocarray(m->ia, m->acoef, sizeof(int));
		m->ja = xreallocarray(m->ja, m->acoef, sizeof(int));
		m->ar = xreallocarray(m->ar, m->acoef, sizeof(double));
	}
	m->ncoef++;
	m->ia[m->ncoef] = row + 1;
	m->ja[m->ncoef] = col + 1;
	m->ar[m->ncoef] = v;
}

int
mip_ncols(const struct mip *m)
{
	return m->ncols;
}

static int
mip_bnd_type(double lo, double hi)
{
	if (isinf(lo) && isinf(hi))
		return GLP_FR;
	if (isinf(hi))
		return GLP_LO;
	if (isinf(lo))
		return GLP_UP;
	if (lo == hi)
		return GLP_FX;
	return GLP_DB;
}

static void
mip_error_cb(void *info)
{
	struct mip_ctx	*c = info;

	longjmp(c->jb, 1);
}

static int
mip_term_cb(void *info, const char *s)
{
	fputs(s, stderr);
	return 1;	/* handled: GLPK prints nothing itself */
}

/* Branch-and-cut callback: offer the start once, track the best bound. */
static void
mip_tree_cb(glp_tree *T, void *info)
{
	struct mip_ctx	*c = info;
	double		*x;
	int		 b, j;

	if (glp_ios_reason(T) == GLP_IHEUR && c->start != NULL && !c->given) {
		c->given = 1;
		x = xcalloc(c->ncols + 1, sizeof(double));
		for (j = 0; j < c->ncols; j++)
			x[j + 1] = c->start[j];
		glp_ios_heur_sol(T, x);
		free(x);
	}
	if ((b = glp_ios_best_node(T)) != 0)
		c->bound = glp_ios_node_bound(T, b);
	glp_ios_tree_size(T, NULL, NULL, &b);
	c->nodes = b;
	/* tm_lim can overshoot by half; the callback keeps the deadline. */
	if (c->deadline > 0 && time_mono() > c->deadline)
		glp_ios_terminate(T);
}

static glp_prob *
mip_build(const struct mip *m)
{
	glp_prob	*lp;
	int		 j, i;

	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	if (m->nrows > 0)
		glp_add_rows(lp, m->nrows);
	if (m->ncols > 0)
		glp_add_cols(lp, m->ncols);
	for (i = 0; i < m->nrows; i++)
		glp_set_row_bnds(lp, i + 1, mip_bnd_type(m->rlo[i], m->rhi[i]),
		    isinf(m->rlo[i]) ? 0 : m->rlo[i],
		    isinf(m->rhi[i]) ? 0 : m->rhi[i]);
	for (j = 0; j < m->ncols; j++) {
		glp_set_col_bnds(lp, j + 1, mip_bnd_type(m->clo[j], m->chi[j]),
		    isinf(m->clo[j]) ? 0 : m->clo[j],
		    isinf(m->chi[j]) ? 0 : m->chi[j]);
		glp_set_obj_coef(lp, j + 1, m->cobj[j]);
		if (m->cint[j])
			glp_set_col_kind(lp, j + 1, m->clo[j] == 0 &&
			    m->chi[j] == 1 ? GLP_BV : GLP_IV);
	}
	if (m->ncoef > 0)
		glp_load_matrix(lp, m->ncoef, m->ia, m->ja, m->ar);
	return lp;
}

/* Solve the LP (relaxation) of lp; returns a mip_status. */
static enum mip_status
mip_run_lp(glp_prob *lp, const struct mip_params *pa)
{
	glp_smcp	parm;
	int		 rc;

	glp_init_smcp(&parm);
	parm.msg_lev = pa->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
	parm.presolve = pa->presolve ? GLP_ON : GLP_OFF;
	if (pa->dual)
		parm.meth = GLP_DUALP;
	if (pa->time_limit > 0)
		parm.tm_lim = (int)(pa->time_limit * 1000);
	rc = glp_simplex(lp, &parm);
	if (rc == GLP_ENOPFS)
		return MIP_INFEASIBLE;
	if (rc != 0 && rc != GLP_ETMLIM)
		return MIP_ERROR;
	switch (glp_get_status(lp)) {
	case GLP_OPT:
		return MIP_OPTIMAL;
	case GLP_NOFEAS:
		return MIP_INFEASIBLE;
	case GLP_FEAS:
		return MIP_FEASIBLE;
	default:
		return rc == GLP_ETMLIM ? MIP_NOSOLUTION : MIP_ERROR;
	}
}

/* Branch-and-cut on lp; the LP has been solved unless presolving. */
static enum mip_status
mip_run_mip(glp_prob *lp, const struct mip_params *pa, struct mip_ctx *c,
    double t0)
{
	glp_iocp	parm;
	int		 rc, st;
	double		 left;

	glp_init_iocp(&parm);
	parm.msg_lev = pa->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
	parm.presolve = (pa->presolve && c->start == NULL) ? GLP_ON : GLP_OFF;
	parm.cb_func = mip_tree_cb;
	parm.cb_info = c;
	parm.br_tech = GLP_BR_DTH;
	parm.bt_tech = GLP_BT_BLB;
	if (pa->mip_gap > 0)
		parm.mip_gap = pa->mip_gap;
	if (pa->time_limit > 0) {
		left = pa->time_limit - (time_mono() - t0);
		parm.tm_lim = left > 0.01 ? (int)(left * 1000) : 10;
	}
	rc = glp_intopt(lp, &parm);
	st = glp_mip_status(lp);
	if (rc == GLP_ENOPFS || rc == GLP_ENODFS || st == GLP_NOFEAS)
		return MIP_INFEASIBLE;
	if (st == GLP_OPT)
		return MIP_OPTIMAL;
	if (st == GLP_FEAS)
		return MIP_FEASIBLE;
	if (rc == 0 || rc == GLP_ETMLIM || rc == GLP_EMIPGAP ||
	    rc == GLP_ESTOP)
		return MIP_NOSOLUTION;
	return MIP_ERROR;
}

static void
mip_collect(glp_prob *lp, const struct mip *m, int ismip, double *x,
    double *dual)
{
	int	j, i;

	if (x != NULL)
		for (j = 0; j < m->ncols; j++)
			x[j] = ismip ? glp_mip_col_val(lp, j + 1) :
			    glp_get_col_prim(lp, j + 1);
	if (dual != NULL && !ismip)
		for (i = 0; i < m->nrows; i++)
			dual[i] = glp_get_row_dual(lp, i + 1);
}

/*
 * Solve m.  Fills res and, when a solution exists, x[ncols] (values) and,
 * for an LP, dual[nrows] (row duals); either may be NULL.  Returns 0, or -1
 * with *cause set when GLPK failed (an internal error caught by the hook,
 * or a solver failure); infeasibility is a status, not a failure.
 */
int
mip_solve(struct mip *m, const struct mip_params *pa, struct mip_result *res,
    double *x, double *dual, char **cause)
{
	struct mip_ctx	 ctx;
	glp_prob	*volatile lp = NULL;
	enum mip_status	 st;
	volatile int	 ismip = 0;
	int		 j;
	double		 t0 = time_mono();

	memset(&ctx, 0, sizeof(ctx));
	ctx.start = pa->start;
	if (pa->time_limit > 0)
		ctx.deadline = t0 + pa->time_limit;
	ctx.ncols = m->ncols;
	ctx.bound = NAN;
	memset(res, 0, sizeof(*res));
	res->bound = NAN;
	for (j = 0; j < m->ncols && !pa->relax; j++)
		ismip |= m->cint[j];
	if (setjmp(ctx.jb) != 0) {
		glp_free_env();
		xasprintf(cause, "GLPK internal error (see the messages above)");
		res->status = MIP_ERROR;
		return -1;
	}
	glp_error_hook(mip_error_cb, &ctx);
	glp_term_hook(mip_term_cb, NULL);
	glp_term_out(pa->verbose ? GLP_ON : GLP_OFF);
	lp = mip_build(m);
	if (!ismip || !pa->presolve || pa->start != NULL) {
		st = mip_run_lp(lp, pa);
		if (st == MIP_OPTIMAL && ismip)
			st = mip_run_mip(lp, pa, &ctx, t0);
		else if (ismip && st == MIP_FEASIBLE)
			st = MIP_NOSOLUTION;	/* LP hit the time limit */
	} else
		st = mip_run_mip(lp, pa, &ctx, t0);
	res->status = st;
	if (st == MIP_OPTIMAL || st == MIP_FEASIBLE) {
		res->objective = ismip ? glp_mip_obj_val(lp) :
		    glp_get_obj_val(lp);
		mip_collect(lp, m, ismip, x, dual);
		if (!ismip && st == MIP_OPTIMAL)
			res->bound = res->objective;
		else if (ismip && st == MIP_OPTIMAL)
			/* The search is complete: the bound is the optimum,
			 * up to the relative gap asked for. */
			res->bound = res->objective - pa->mip_gap *
			    fabs(res->objective);
		else if (ismip)
			res->bound = ctx.bound;
	}
	res->nodes = ctx.nodes;
	glp_delete_prob(lp);
	glp_error_hook(NULL, NULL);
	glp_term_hook(NULL, NULL);
	if (st == MIP_ERROR) {
		xasprintf(cause, "GLPK failed to solve the model");
		return -1;
	}
	return 0;
}

/*
 * A thread that solved models is about to end: free GLPK's state of this
 * thread (GLPK keeps it thread-local, and would leak it).  Harmless when
 * the thread never used GLPK.
 */
void
mip_thread_done(void)
{
	glp_free_env();
}
