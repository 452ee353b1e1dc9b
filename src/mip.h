/*
 * mip.h -- a small model builder over GLPK (solve-glpk.c, the only file
 * that includes <glpk.h>): columns, rows and coefficients with 0-based
 * indices, then one mip_solve.  Used by the location MILP (solve-*.c) and
 * by the routing engine's set partitioning (route-sp.c), which see our
 * types only.
 */
#ifndef RECIRC_MIP_H
#define RECIRC_MIP_H

struct mip;

enum mip_status {
	MIP_OPTIMAL, MIP_FEASIBLE, MIP_INFEASIBLE, MIP_NOSOLUTION, MIP_ERROR
};

struct mip_params {
	double	 time_limit;	/* seconds; 0: none */
	double	 mip_gap;	/* relative; 0: GLPK's default */
	int	 presolve;	/* 1: presolve (ignored with a start) */
	int	 relax;		/* 1: solve the LP relaxation only */
	int	 dual;		/* 1: dual simplex (else primal) */
	int	 verbose;
	const double *start;	/* an incumbent to start from, or NULL */
};

struct mip_result {
	enum mip_status status;
	double	 objective;
	double	 bound;		/* best proven bound, NAN if unknown */
	long	 nodes;
};

struct mip *mip_new(void);
void	 mip_free(struct mip *);
int	 mip_col(struct mip *, double, double, double, int);
int	 mip_row(struct mip *, double, double);
void	 mip_coef(struct mip *, int, int, double);
int	 mip_ncols(const struct mip *);
int	 mip_solve(struct mip *, const struct mip_params *, struct mip_result *,
	    double *, double *, char **);
void	 mip_thread_done(void);

#endif /* RECIRC_MIP_H */
