/*
 * solve.h -- the optimiser: problem and plan structures, readers and
 * writers, the location/stream MILP, the CFLP Lagrangian matheuristic, the
 * independent plan validator and the GLPK wrapper.
 *
 * One problem structure serves every location format.  A problem has m
 * centres and n pickups; each pickup brings an amount of each item class
 * (category x condition), each class may go to some streams with a recovered
 * value per unit, each centre has a capacity and an outbound cost per
 * stream.  The OR-Library CFLP is the special case of one class and one
 * stream with no value: its demand is the class amount and its capacity the
 * stream capacity.  Dense arrays, row-major: cost[i * m + j] is the cost of
 * serving all of pickup i from centre j.
 */
#ifndef RECIRC_SOLVE_H
#define RECIRC_SOLVE_H

#include <stddef.h>

#include "mip.h"

/*
 * What the routing stage needs beyond the location model, read once with
 * the rest of a JSON problem (fmt-json.c, pjson_routing): the vehicle
 * types, each pickup's load, service time, hour windows, date window and
 * pin, when each centre's vans leave, the time model and the horizon.
 */
#define SOLVE_MAXTW	4	/* hour windows per pickup (ROUTE_MAXTW) */
struct solve_vtype {
	char	*id;
	size_t	 centre;		/* index of its home */
	int	 count, items, max_stops, shift_min;
	double	 kg, m3, fixed, cpk;
};
struct solve_stop {
	double		 kg, m3;
	int		 items, service_min;
	int		 ntw, tw_open[SOLVE_MAXTW], tw_close[SOLVE_MAXTW];
	long long	 from, to;	/* days since 1970-01-01 */
	long long	 pin_day;	/* -1: not pinned */
	char		*pin_vehicle;	/* dispatched: "TYPE-N", else NULL */
	int		 pin_stop;	/* dispatched: place in its route */
	/* Where the previous plan routed it ("previous"), for stability. */
	long long	 prev_day;	/* -1: not routed before */
	char		*prev_vehicle;	/* "TYPE-N", or NULL */
	int		 prev_stop;	/* its place in its route, from 1 */
};

struct solve_problem {
	char	*name;
	int	 cflp;		/* 1: OR-Library convention (no streams) */
	int	 single_source;	/* 1: a pickup goes to one centre */
	size_t	 m;		/* centres */
	size_t	 n;		/* pickups */
	size_t	 nclass;	/* item classes */
	size_t	 nstream;	/* streams */
	char	**centre_id;	/* [m] */
	char	**pickup_id;	/* [n] */
	char	**class_id;	/* [nclass] */
	char	**stream_id;	/* [nstream] */
	double	*fixed;		/* [m] fixed cost of opening/keeping */
	int	*force_open;	/* [m] existing centres that must stay open */
	double	*cost;		/* [n*m] assignment (collection) cost */
	double	*amount;	/* [n*nclass] units of class k in pickup i */
	double	*value;		/* [nclass*nstream] value per unit, NAN: no */
	double	*cap;		/* [m*nstream] capacity, HUGE_VAL: unlimited */
	double	*outbound;	/* [m*nstream] cost per unit to the processor */
	double	*defer;		/* [n] defer penalty, NAN: may not defer */
	/*
	 * What the vehicles homed at a centre can collect over the horizon
	 * (kg, and pickups for stop limits), from "vehicle_types"; HUGE_VAL
	 * when the problem has no vehicles (no limit).
	 */
	double	*fleet_kg;	/* [m] */
	double	*fleet_stops;	/* [m] */
	double	*fleet_min;	/* [m] vehicle minutes (shifts) */
	double	*stop_min;	/* [n] minutes a pickup takes (service, travel) */
	/*
	 * The rest of the fleet's limits, as rows: the pickups assigned to
	 * centre fleet_centre[r] take at most fleet_cap[r] of row r, pickup i
	 * taking fleet_use[fleet_pat[r] * n + i] (0: not in the row).
	 * fmt-json.c makes them for volume and item counts, and for every
	 * run of days against the pickups whose date window lies within it:
	 * what must be collected on a day cannot go on another day's vans.
	 */
	size_t	 nfleet;	/* rows */
	size_t	 nfleet_pat;	/* patterns of use */
	size_t	*fleet_centre;	/* [nfleet] */
	size_t	*fleet_pat;	/* [nfleet] */
	double	*fleet_cap;	/* [nfleet] */
	double	*fleet_use;	/* [nfleet_pat * n] */
	/* Routing data kept for the routing engine (unused by part 1). */
	double	*lat, *lon;	/* [n + m] pickups then centres, NAN: none */
	struct matrix_table *roads;	/* the problem's road legs, or NULL */
	/* routing (JSON problems only; vt NULL: no routing stage) */
	struct solve_vtype *vt;		/* the usable vehicle types */
	size_t	 nvt;
	struct solve_stop *stop;	/* [n] */
	int	*opens;			/* [m] minutes the vans leave */
	struct matrix_model model;	/* detour, speed_kmh, roads */
	long long day0;			/* first day; 0: the problem has no
					   dates (one day, routes undated) */
	int	 ndays;
	unsigned char *closed;		/* [ndays] 1: nothing is collected
					   that day; NULL: every day open */
	int	 routing_bad;		/* a pin or place routing refuses */
	/*
	 * The stability term of a re-plan: a pickup served from another
	 * centre than prev_centre[i], or routed on another day or vehicle
	 * than its stop's prev_day and prev_vehicle, costs move_cost (0:
	 * no term).  The location stage has it in cost[] (fmt-json.c).
	 */
	double	 move_cost;
	size_t	*prev_centre;	/* [n] SIZE_MAX: none; NULL: no pickup has */
	unsigned char	*no_road;	/* [n] 1: no road to or from any centre */
};

enum solve_status {
	SOLVE_OPTIMAL,		/* proved optimal (within the MIP gap) */
	SOLVE_FEASIBLE,		/* a plan, optimality not proved */
	SOLVE_INFEASIBLE,	/* proved: no plan exists; see reason */
	SOLVE_NOSOLUTION	/* no plan found in the time given */
};

struct solve_plan {
	enum solve_status status;
	double	 objective;	/* in the input's own convention */
	double	 bound;		/* proven lower bound, NAN when none */
	int	*open;		/* [m] */
	double	*assign;	/* [n*m] fraction of pickup i served by j */
	double	*flow;		/* [m*nclass*nstream] units per stream */
	int	*deferred;	/* [n] */
	char	**reason;	/* [n] why pickup i was deferred, or NULL */
	char	*message;	/* why the problem is infeasible, or NULL */
	char	 method[64];	/* what produced the plan */
	double	 seconds;
	long	 nodes;		/* branch-and-bound nodes */
	long	 iterations;	/* Lagrangian iterations */
};

/* Parameters of one solve. */
struct solve_params {
	double	 time_limit;	/* seconds, wall clock */
	unsigned long seed;
	int	 verbose;
	int	 heuristic;	/* tests: large-problem path even when small */
};

#define FLOW(p, j, k, s) ((((j) * (p)->nclass) + (k)) * (p)->nstream + (s))

/* problem.c */
struct solve_problem *solve_problem_new(size_t, size_t, size_t, size_t);
void	 solve_problem_free(struct solve_problem *);
int	 solve_problem_is_cflp(const struct solve_problem *);
double	 solve_pickup_total(const struct solve_problem *, size_t);
struct solve_plan *solve_plan_new(const struct solve_problem *);
void	 solve_plan_free(struct solve_plan *, const struct solve_problem *);
void	 solve_plan_set_flows(const struct solve_problem *,
	    struct solve_plan *);
double	 solve_plan_cost(const struct solve_problem *,
	    const struct solve_plan *);
void	 solve_plan_copy(const struct solve_problem *, struct solve_plan *,
	    const struct solve_plan *);
const char *solve_status_name(enum solve_status);

/* solve-move.c */
enum solve_move {
	SOLVE_MOVE_PRICED,	/* the old centre had room: it saves */
	SOLVE_MOVE_FULL,	/* the old centre's vans or streams were full */
	SOLVE_MOVE_CLOSED	/* the old centre is closed */
};
enum solve_move solve_centre_move(const struct solve_problem *,
	    const struct solve_plan *, size_t, size_t, size_t, double *);

/* fmt-cflp.c */
int	 cflp_detect(const char *, size_t);
struct solve_problem *cflp_read(const char *, size_t, double, char **);

/* fmt-json.c */
int	 pjson_detect(const char *, size_t);
struct solve_problem *pjson_read(const char *, size_t, char **);
char	*pjson_plan_write(const struct solve_problem *,
	    const struct solve_plan *);
struct solve_plan *pjson_plan_read(const struct solve_problem *,
	    const char *, size_t, char **);

/* solve-validate.c */
int	 validate_plan(const struct solve_problem *, const struct solve_plan *,
	    char **);

/* solve-model.c */
int	 model_solve(const struct solve_problem *, const struct solve_params *,
	    const struct solve_plan *, struct solve_plan *, char **);
int	 model_precheck(const struct solve_problem *, struct solve_plan *);
void	 model_defer_reasons(const struct solve_problem *,
	    struct solve_plan *);
struct solve_plan *model_greedy(const struct solve_problem *, double);

/* The plain CFLP view of a problem (pointers into it). */
struct cflp {
	size_t	 m, n;
	const double *f;	/* [m] fixed cost */
	const double *s;	/* [m] capacity */
	const double *d;	/* [n] demand */
	const double *c;	/* [n*m] cost of serving all of i from j */
	double	 D;		/* total demand */
};

/* solve-lagr.c: the state of the Lagrangian dual (see the file). */
struct lagr {
	const struct cflp *q;
	double	*lambda, *best_lambda, *dir, *g;	/* [n] */
	double	*v, *y;		/* [m] value of opening, chosen y */
	int	*closed, *forced, *order;		/* [m] */
	size_t	*pick_off;	/* [m+1] knapsack picks of each centre */
	size_t	 pick_cap;
	int	*pick_i;
	double	*pick_x;
	struct lagr_item *items;
	double	 L, best, last_best, theta;
	int	 stall;
	int	 equal_cap;	/* all capacities equal: exact cover */
	long	 iterations;
};
void	 lagr_init(struct lagr *, const struct cflp *);
void	 lagr_free(struct lagr *);
double	 lagr_eval(struct lagr *);
void	 lagr_step(struct lagr *, double, int);
int	 lagr_fix(struct lagr *, double);

/* solve-cflp.c */
int	 cflp_solve(const struct solve_problem *, const struct solve_params *,
	    struct solve_plan *, char **);

/* solve.c */
int	 solve_problem_run(const struct solve_problem *,
	    const struct solve_params *, struct solve_plan *, char **);

/* solve-glpk.c: the model builder over GLPK, in mip.h. */

/* solve-route.c: the routing stage of JSON problems (include json.h) */
#ifdef RECIRC_JSON_H
json_t	*solve_routes(const struct solve_problem *,
	    const struct solve_plan *, double, unsigned long, int);
#endif

#endif /* RECIRC_SOLVE_H */
