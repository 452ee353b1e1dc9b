/*
 * route.h -- the vehicle-routing engine of recirc-solve (issue 5).
 *
 * One instance model serves CVRP, VRPTW, and (capacitated) location-routing:
 * depots are nodes 0..ndepot-1, customers ndepot..n-1.  Every cost and time
 * is an integer in "cost units" chosen by the reader so that the set's own
 * convention is exact (CVRPLIB nint per arc, Solomon tenths truncated per
 * arc, Prodhon ceil(100e) per arc, Tuzun 1e-4 fixed point); `unit` says how
 * many cost units make one unit of the reported objective.
 *
 * Modules: route-inst.c (model, matrices, solutions), fmt-*.c (readers),
 * route-sol.c (.sol writer/readers), route-check.c (independent validator),
 * route-ls.c (local search), route-hgs.c (hybrid genetic search + Split),
 * route-sp.c (set partitioning in GLPK through solve-glpk.c's mip.h),
 * route-lrp.c (location-routing), route-run.c (file in, JSON + .sol out).
 * The engine modules are pure: no I/O, no globals, randomness through a
 * struct rng the caller seeds.
 */
#ifndef RECIRC_ROUTE_H
#define RECIRC_ROUTE_H

#include <stdint.h>
#include <stdio.h>

#define ROUTE_NDIM	3	/* capacity dimensions: kg, m3, items */
#define ROUTE_MAXTW	4	/* time windows per stop */
#define ROUTE_INF	((int64_t)1 << 50)

enum route_kind {
	ROUTE_CVRP,		/* capacity only */
	ROUTE_VRPTW,		/* + time windows and service times */
	ROUTE_LRP		/* several candidate depots with fixed costs */
};

/* Why a stop was left out of a plan. */
enum route_reason {
	ROUTE_ASSIGNED = 0,
	ROUTE_NO_CAPACITY,	/* no vehicle type can carry its load */
	ROUTE_NO_WINDOW,	/* no window reachable from the depot and back */
	ROUTE_SHIFT_SHORT,	/* out-and-back exceeds every shift length */
	ROUTE_NO_SKILL,		/* no vehicle type has the skills it needs */
	ROUTE_CENTRE_FULL,	/* centre capacity exhausted */
	ROUTE_DEFERRED		/* optional, and cheaper to leave for another day */
};

/*
 * A depot or a stop.  Service must start within one of the ntw windows,
 * which are in increasing order and disjoint: a vehicle arriving at t
 * waits for the first window whose close is not passed (late if none).
 * A depot uses its first window: leave at its open, be back by its close.
 * pin_pos fixes the stop's place in whatever route serves it: k > 0 the
 * k-th stop from the depot, k < 0 the -k-th stop before the return
 * (-1: the last), 0 anywhere.
 */
struct route_node {
	double		 x, y;
	int64_t		 demand[ROUTE_NDIM];
	int64_t		 service;
	int		 ntw;		/* 0 = always open */
	int64_t		 tw_open[ROUTE_MAXTW], tw_close[ROUTE_MAXTW];
	int64_t		 penalty;	/* < 0: mandatory; else cost of leaving it */
	uint32_t	 skills;	/* skills the stop needs (bitmask) */
	int		 pin_vtype;	/* -1, or the vehicle type it must use */
	int		 pin_pos;	/* 0, or its position in its route */
};

/*
 * A vehicle type.  The search engine routes with vtype[0] (capacity vector,
 * fixed cost, shift, stop limit, skills); the validator and the reason
 * codes know every type.  Travel is priced at one cost unit per distance
 * unit: callers fold cost per km into the matrix.
 */
struct route_vtype {
	int		 count;		/* vehicles available, 0 = unlimited */
	int64_t		 cap[ROUTE_NDIM];
	int64_t		 fixed;		/* per route used */
	int64_t		 shift;		/* max route duration, ROUTE_INF = none */
	int		 max_stops;	/* 0 = unlimited */
	uint32_t	 skills;	/* skills the crew has (bitmask) */
};

enum route_conv {
	ROUTE_CONV_NINT,	/* CVRPLIB: nint(e) per arc */
	ROUTE_CONV_TENTH,	/* Solomon: floor(10 e) tenths per arc */
	ROUTE_CONV_CEIL100,	/* Prodhon: ceil(100 e) per arc */
	ROUTE_CONV_REAL,	/* Tuzun: real e, stored as round(1e4 e) */
	ROUTE_CONV_EXPLICIT	/* matrix given in the file */
};

struct route_inst {
	char		 name[64];
	enum route_kind	 kind;
	enum route_conv	 conv;
	int		 ndepot, ncust, n;
	int		 ndim;
	struct route_node *node;	/* n nodes, depots first */
	int64_t		*dist;		/* n*n cost units */
	int64_t		*time;		/* n*n, or NULL: time == dist */
	double		 unit;		/* cost units per objective unit */
	int		 has_tw;
	int		 nvtype;
	struct route_vtype *vtype;	/* nvtype >= 1; vtype[0] for benchmarks */
	int		 maxveh;	/* 0 = unlimited (per depot) */
	int64_t		 route_fixed;	/* added per route (Prodhon V) */
	int64_t		*depot_fixed;	/* ndepot opening costs, or NULL */
	int64_t		*depot_cap;	/* ndepot capacities (dim 0), or NULL */
	int		*orig;		/* node -> id in the parent, or NULL */
};

struct route_path {
	int		 depot;		/* node index of its depot */
	int		 vtype;
	int		 len;
	int		*stop;		/* node indices of customers, in order */
};

struct route_sol {
	int		 nroutes;
	int		 rcap;		/* routes route[] has room for */
	struct route_path *route;
	int64_t		 cost;		/* cost units, all terms */
	int		*reason;	/* n entries, enum route_reason, or NULL */
};

struct route_opts {
	double		 time_limit;	/* seconds of wall clock, > 0 */
	uint64_t	 seed;
	int		 threads;	/* genetic searches run side by side */
	int		 verbose;
	int		 use_sp;	/* finish with set partitioning over a pool */
	long		 max_iter;	/* genetic iterations a search, 0 = until
					   time */
};

/* route-inst.c */
struct route_inst *route_inst_new(int ndepot, int ncust);
void	 route_inst_free(struct route_inst *);
int64_t	 route_conv_arc(enum route_conv, double, double, double, double);
void	 route_inst_matrix(struct route_inst *);
struct route_inst *route_inst_sub(const struct route_inst *, int,
	    const int *, int);
int64_t	 route_path_dist(const struct route_inst *, const struct route_path *);
int	 route_path_pinned(const struct route_inst *, const struct route_path *);
void	 route_node_sort_tw(struct route_node *);
int64_t	 route_sol_cost(const struct route_inst *, const struct route_sol *);
void	 route_sol_init(struct route_sol *);
void	 route_sol_clear(struct route_sol *);
void	 route_sol_add(struct route_sol *, int, int, const int *, int);
void	 route_sol_copy(struct route_sol *, const struct route_sol *);

/* route-reason.c */
const char *route_reason_name(enum route_reason);
void	 route_reasons(const struct route_inst *, struct route_sol *);
void	 route_defer(const struct route_inst *, struct route_sol *);

/* fmt-cvrplib.c, fmt-solomon.c, fmt-prodhon.c, fmt-vroom.c */
struct route_inst *fmt_cvrplib_read(FILE *, char **);
struct route_inst *fmt_vroom_read(FILE *, char **);
struct route_inst *fmt_solomon_read(FILE *, char **);
struct route_inst *fmt_prodhon_read(FILE *, int, char **);

/* route-sol.c */
int	 route_sol_write(FILE *, const struct route_inst *,
	    const struct route_sol *);
int	 route_sol_read(FILE *, const struct route_inst *,
	    struct route_sol *, char **);
int	 route_sol_read_cvrplib(FILE *, const struct route_inst *,
	    struct route_sol *, char **);
int	 route_sol_read_prodhon(FILE *, const struct route_inst *,
	    struct route_sol *, char **);

/* route-check.c */
int	 route_check(const struct route_inst *, const struct route_sol *,
	    double, double *, char **);

/* route-cons.c */
int64_t	 route_savings(const struct route_inst *, int, const int *, int,
	    double, struct route_sol *);

/* route-fleet.c */
void	 route_fleet_envelope(const struct route_inst *, struct route_vtype *);
int	 route_fleet_assign(const struct route_inst *, struct route_sol *,
	    char **);

/* route-hgs.c */
struct route_pool;
int	 route_hgs(const struct route_inst *, const struct route_opts *,
	    double, struct route_sol *, const struct route_sol *,
	    struct route_pool *);

/* route-sp.c */
struct route_pool *route_pool_new(void);
void	 route_pool_free(struct route_pool *);
void	 route_pool_add(struct route_pool *, const struct route_inst *,
	    const struct route_path *);
void	 route_pool_merge(struct route_pool *, const struct route_pool *);
int	 route_pool_size(const struct route_pool *);
int	 route_sp_solve(const struct route_inst *, struct route_pool *,
	    const struct route_sol *, double, struct route_sol *, char **);
int	 route_sp_assign(const struct route_inst *, unsigned,
	    const int64_t *, int *, double, char **);

/* route-lrp.c */
int	 route_lrp(const struct route_inst *, const struct route_opts *,
	    struct route_sol *, char **);

/* route-run.c */
struct route_inst *route_read_file(const char *, const char *, char **);
int	 route_solve(const struct route_inst *, const struct route_opts *,
	    struct route_sol *, char **);
int	 route_run_file(const char *, const char *, const struct route_opts *,
	    FILE *, const char *, char **);

#endif /* RECIRC_ROUTE_H */
