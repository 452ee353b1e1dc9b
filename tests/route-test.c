/*
 * route-test.c -- unit tests of the routing engine: distance conventions,
 * readers, the independent validator (and that it rejects broken routes),
 * known optima on small instances, set partitioning, location-routing,
 * determinism for a seed, the unassigned reason codes, several time
 * windows a stop and pinned positions.
 *
 * Data comes from tests/data/route (copies of benchmark files).  Budgets
 * are small; assertions are on costs and validity, never on time.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recirc.h"
#include "route.h"
#include "tap.h"

/* A file of tests/data/route. */
#define data(name)	tap_srcpath("tests/data/route/%s", (name))

static struct route_inst *
load(const char *name, const char *fmt)
{
	char			*cause = NULL;
	struct route_inst	*in;

	in = route_read_file(data(name), fmt, &cause);
	if (in == NULL)
		printf("# %s\n", cause);
	free(cause);
	return in;
}

/* Read a solution file (CVRPLIB or, with lrp, Liguori et al.). */
static int
load_sol(const struct route_inst *in, const char *name, int lrp,
    struct route_sol *s)
{
	char	*cause = NULL;
	FILE	*fp;
	int	 rc;

	if ((fp = fopen(data(name), "r")) == NULL)
		return -1;
	rc = lrp ? route_sol_read_prodhon(fp, in, s, &cause) :
	    route_sol_read_cvrplib(fp, in, s, &cause);
	fclose(fp);
	free(cause);
	return rc;
}

/* Validate; returns 0/-1 and prints the cause as a TAP comment. */
static int
check(const struct route_inst *in, const struct route_sol *s, double claim,
    double *cost)
{
	char	*cause = NULL;
	int	 rc;

	rc = route_check(in, s, claim, cost, &cause);
	if (rc < 0)
		printf("# validator: %s\n", cause);
	free(cause);
	return rc;
}

static void
test_conventions(void)
{
	is_int(route_conv_arc(ROUTE_CONV_NINT, 0, 0, 1, 1), 1, "nint(1.414)");
	is_int(route_conv_arc(ROUTE_CONV_NINT, 0, 0, 1, 2), 2, "nint(2.236)");
	is_int(route_conv_arc(ROUTE_CONV_TENTH, 0, 0, 3, 4), 50,
	    "tenths of an exact 5");
	is_int(route_conv_arc(ROUTE_CONV_TENTH, 0, 0, 1, 1), 14,
	    "floor(10 * 1.4142) = 14");
	is_int(route_conv_arc(ROUTE_CONV_CEIL100, 0, 0, 3, 4), 500,
	    "ceil(100 * 5) stays 500");
	is_int(route_conv_arc(ROUTE_CONV_CEIL100, 0, 0, 1, 1), 142,
	    "ceil(141.42) = 142");
}

static void
test_validator(void)
{
	struct route_inst	*in;
	struct route_sol	 s;
	double			 cost = 0;
	int			 t, i;

	route_sol_init(&s);
	in = load("E-n13-k4.vrp", NULL);
	ok(in != NULL && in->ncust == 12 && in->vtype[0].cap[0] == 6000,
	    "E-n13-k4: EXPLICIT LOWER_ROW read");
	ok(load_sol(in, "E-n13-k4.sol", 0, &s) == 0, "E-n13-k4.sol read");
	ok(check(in, &s, 247, &cost) == 0 && cost == 247,
	    "optimal E-n13-k4.sol validates at 247");
	ok(route_check(in, &s, 246, NULL, &(char *){ NULL }) < 0,
	    "a wrong claimed cost is rejected");
	/* merge routes 2 and 3: over capacity */
	s.route[1].stop = xreallocarray(s.route[1].stop, 16, sizeof(int));
	memcpy(s.route[1].stop + s.route[1].len, s.route[2].stop,
	    s.route[2].len * sizeof(int));
	t = s.route[2].len;
	s.route[1].len += t;
	s.route[2].len = 0;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a capacity violation is rejected");
	s.route[1].len -= t;
	s.route[2].len = t;
	ok(check(in, &s, 247, NULL) == 0, "restored solution validates");
	s.route[3].len--;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a missing customer is rejected");
	s.route[3].len++;
	s.route[3].stop[0] = s.route[2].stop[0];
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a customer served twice is rejected");
	route_sol_clear(&s);
	route_inst_free(in);

	in = load("R102.txt", NULL);
	ok(in != NULL && in->has_tw && in->ncust == 100, "R102 read");
	ok(load_sol(in, "R102.sol", 0, &s) == 0 &&
	    check(in, &s, 1466.6, &cost) == 0,
	    "optimal R102.sol validates (feasible only with truncation)");
	is_dbl(cost, 1466.6, 1e-9, "R102.sol recomputes to 1466.6");
	/* reverse the longest route: its time windows break */
	for (t = 1, i = 0; t < s.nroutes; t++)
		if (s.route[t].len > s.route[i].len)
			i = t;
	for (t = 0; t < s.route[i].len / 2; t++) {
		int a = s.route[i].stop[t];
		s.route[i].stop[t] = s.route[i].stop[s.route[i].len - 1 - t];
		s.route[i].stop[s.route[i].len - 1 - t] = a;
	}
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a time-window violation is rejected");
	route_sol_clear(&s);
	route_inst_free(in);

	in = load("C101.txt", "solomon");
	ok(in != NULL && load_sol(in, "C101.sol", 0, &s) == 0 &&
	    check(in, &s, 827.3, &cost) == 0, "optimal C101.sol validates");
	route_sol_clear(&s);
	route_inst_free(in);

	in = load("coord20-5-1.dat", NULL);
	ok(in != NULL && in->ndepot == 5 && in->ncust == 20 &&
	    in->route_fixed == 1000, "coord20-5-1.dat read");
	ok(load_sol(in, "coord20-5-1.sol", 1, &s) == 0 &&
	    check(in, &s, NAN, &cost) == 0, "coord20-5-1.sol validates");
	is_dbl(cost, 54793, 1e-9, "coord20-5-1.sol evaluates to 54793");
	in->depot_cap[1] = 10;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a depot capacity violation is rejected");
	route_sol_clear(&s);
	route_inst_free(in);
}

/* Solve file with a budget; returns the validated cost or -1. */
static double
solve(const char *name, double secs, int sp, struct route_sol *out)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL;
	double			 cost = -1;

	memset(&o, 0, sizeof(o));
	o.time_limit = secs;
	o.seed = 1;
	o.use_sp = sp;
	route_sol_init(&s);
	if ((in = load(name, NULL)) == NULL)
		return -1;
	if (route_solve(in, &o, &s, &cause) < 0)
		printf("# %s\n", cause);
	else if (check(in, &s, (double)route_sol_cost(in, &s) / in->unit,
	    &cost) < 0)
		cost = -1;
	if (out != NULL)
		route_sol_copy(out, &s);
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
	return cost;
}

static void
test_optima(void)
{
	is_dbl(solve("E-n13-k4.vrp", 0.5, 1, NULL), 247, 1e-9,
	    "E-n13-k4: optimum 247");
	is_dbl(solve("P-n16-k8.vrp", 0.5, 1, NULL), 450, 1e-9,
	    "P-n16-k8: optimum 450");
	is_dbl(solve("C101-25.txt", 1.5, 1, NULL), 191.3, 1e-9,
	    "C101 (25 customers): optimum 191.3");
	is_dbl(solve("R101-25.txt", 1.5, 1, NULL), 617.1, 1e-9,
	    "R101 (25 customers): optimum 617.1");
	ok(fabs(solve("coord20-5-1.dat", 4, 1, NULL) - 54793) <= 0.015 * 54793,
	    "coord20-5-1: LRP within 1.5%% of the optimum 54793");
}

/* Do a and b hold the same routes in the same order? */
static int
same_routes(const struct route_sol *a, const struct route_sol *b)
{
	int	same, r;

	same = a->nroutes == b->nroutes && a->cost == b->cost;
	for (r = 0; same && r < a->nroutes; r++)
		same = a->route[r].len == b->route[r].len &&
		    memcmp(a->route[r].stop, b->route[r].stop,
		    a->route[r].len * sizeof(int)) == 0;
	return same;
}

/*
 * Same seed and iteration count: the same routes, with one search and
 * with two side by side (1200 iterations: they meet twice, so the
 * exchange of bests is part of what must repeat).
 */
static void
test_determinism(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 a, b;
	struct route_pool	*pa, *pb;
	double			 cost;

	memset(&o, 0, sizeof(o));
	o.time_limit = 60;
	o.seed = 7;
	o.max_iter = 300;
	route_sol_init(&a);
	route_sol_init(&b);
	in = load("C101-25.txt", NULL);
	route_hgs(in, &o, time_mono() + 60, &a, NULL, NULL);
	route_hgs(in, &o, time_mono() + 60, &b, NULL, NULL);
	ok(same_routes(&a, &b), "same seed, same iterations: identical routes");

	o.threads = 2;
	o.max_iter = 1200;
	pa = route_pool_new();
	pb = route_pool_new();
	route_hgs(in, &o, time_mono() + 60, &a, NULL, pa);
	route_hgs(in, &o, time_mono() + 60, &b, NULL, pb);
	ok(same_routes(&a, &b) && a.cost > 0 && route_pool_size(pa) ==
	    route_pool_size(pb), "two searches, same seed and iterations: "
	    "identical routes and pools");
	ok(check(in, &a, (double)route_sol_cost(in, &a) / in->unit,
	    &cost) == 0, "two searches: the routes pass the validator");
	route_pool_free(pa);
	route_pool_free(pb);
	route_sol_clear(&a);
	route_sol_clear(&b);
	route_inst_free(in);
}

/*
 * The genetic search keeps each individual's routes in the polar order of
 * their barycentres around the depot (what crossover inherits); its best,
 * returned route by route, shows that order.
 */
static void
test_polar(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 a;
	double			 ang, prev = -INFINITY, sx, sy;
	int			 r, i, sorted = 1, s;

	memset(&o, 0, sizeof(o));
	o.time_limit = 60;
	o.seed = 3;
	o.max_iter = 200;
	route_sol_init(&a);
	in = load("P-n16-k8.vrp", NULL);
	route_hgs(in, &o, time_mono() + 60, &a, NULL, NULL);
	for (r = 0; r < a.nroutes; r++) {
		for (i = 0, sx = sy = 0; i < a.route[r].len; i++) {
			s = a.route[r].stop[i];
			sx += in->node[s].x;
			sy += in->node[s].y;
		}
		ang = atan2(sy / a.route[r].len - in->node[0].y,
		    sx / a.route[r].len - in->node[0].x);
		sorted &= ang >= prev;
		prev = ang;
	}
	ok(a.nroutes >= 8 && sorted, "P-n16-k8: the %d routes come in the "
	    "polar order of their barycentres", a.nroutes);
	route_sol_clear(&a);
	route_inst_free(in);
}

/* Set partitioning picks the optimum out of a pool holding it. */
static void
test_sp(void)
{
	struct route_inst	*in;
	struct route_pool	*pool;
	struct route_sol	 opt, one, out;
	char			*cause = NULL;
	int			 i, r;

	route_sol_init(&opt);
	route_sol_init(&one);
	route_sol_init(&out);
	in = load("E-n13-k4.vrp", NULL);
	load_sol(in, "E-n13-k4.sol", 0, &opt);
	pool = route_pool_new();
	for (r = 0; r < opt.nroutes; r++)
		route_pool_add(pool, in, &opt.route[r]);
	for (i = 1; i < in->n; i++)
		route_sol_add(&one, 0, 0, &i, 1);
	ok(route_sp_solve(in, pool, &one, 5, &out, &cause) == 0 &&
	    out.cost == 247 && route_pool_size(pool) == 15,
	    "set partitioning picks the 247 routes over singletons");
	free(cause);
	route_pool_free(pool);
	route_sol_clear(&opt);
	route_sol_clear(&one);
	route_sol_clear(&out);
	route_inst_free(in);
}

/*
 * A hand-made instance with one stop per reason code: depot at 0,0;
 * customers 1..3 ordinary, 4 too heavy, 5 window closed before anyone can
 * arrive, 6 needs a skill, 7 too far for the shift, 8 optional and far
 * (deferred), 9 over the centre's capacity once 1..3 are in.
 */
static struct route_inst *
reasons_inst(void)
{
	static const double xy[][2] = { { 0, 0 }, { 10, 0 }, { 0, 10 },
	    { 10, 10 }, { 5, 5 }, { 50, 0 }, { -5, 0 }, { 400, 0 },
	    { 0, -200 }, { 0, 3 } };
	static const int dem[] = { 0, 5, 5, 5, 50, 5, 5, 5, 5, 30 };
	struct route_inst	*in;
	int			 i;

	in = route_inst_new(1, 9);
	snprintf(in->name, sizeof(in->name), "reasons");
	in->has_tw = 1;
	in->vtype[0].cap[0] = 40;
	in->vtype[0].shift = 600;
	in->vtype[0].skills = 1;
	in->depot_cap = xcalloc(1, sizeof(int64_t));
	in->depot_cap[0] = 40;
	for (i = 0; i < in->n; i++) {
		in->node[i].x = xy[i][0];
		in->node[i].y = xy[i][1];
		in->node[i].demand[0] = dem[i];
		in->node[i].service = i ? 10 : 0;
	}
	in->node[0].ntw = 1;
	in->node[0].tw_close[0] = 1000;
	in->node[5].ntw = 1;
	in->node[5].tw_open[0] = 0;
	in->node[5].tw_close[0] = 20;
	in->node[6].skills = 2;
	in->node[8].penalty = 50;
	route_inst_matrix(in);
	return in;
}

static void
test_reasons(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL;
	double			 cost;

	in = reasons_inst();
	memset(&o, 0, sizeof(o));
	o.time_limit = 0.3;
	o.seed = 1;
	route_sol_init(&s);
	ok(route_solve(in, &o, &s, &cause) == 0 && s.reason != NULL,
	    "reasons instance solved");
	ok(check(in, &s, NAN, &cost) == 0, "its plan validates");
	if (s.reason == NULL)
		s.reason = xcalloc(in->n, sizeof(int));
	is_int(s.reason[1] + s.reason[2] + s.reason[3], ROUTE_ASSIGNED,
	    "ordinary stops assigned");
	is_str(route_reason_name(s.reason[4]), "no_capacity",
	    "too heavy: no_capacity");
	is_str(route_reason_name(s.reason[5]), "no_window",
	    "window closed on arrival: no_window");
	is_str(route_reason_name(s.reason[6]), "skill_missing",
	    "skill nobody has: skill_missing");
	is_str(route_reason_name(s.reason[7]), "shift_too_short",
	    "out-and-back over the shift: shift_too_short");
	is_str(route_reason_name(s.reason[8]), "deferred",
	    "optional and far: deferred");
	is_str(route_reason_name(s.reason[9]), "centre_capacity",
	    "over the centre's capacity: centre_capacity");
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
}

/*
 * Set partitioning when stops are left out (issue 5 bug): the search runs
 * on a sub-instance of the stops it can serve, and its route pool used to
 * hold the parent's node numbers, so GLPK stopped on "row index out of
 * range" (caught; the run went on without the SP step and said so on
 * stderr).  Solve the reasons instance (an optional stop, five left out)
 * with set partitioning and require a quiet stderr and a valid plan.
 */
static void
test_sp_left_out(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL, buf[256];
	FILE			*err;
	int			 fd, rc;
	long			 nerr;

	in = reasons_inst();
	memset(&o, 0, sizeof(o));
	o.time_limit = 0.5;
	o.seed = 1;
	o.use_sp = 1;
	route_sol_init(&s);
	fflush(stderr);
	err = tmpfile();
	fd = dup(2);
	dup2(fileno(err), 2);
	rc = route_solve(in, &o, &s, &cause);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	nerr = (long)lseek(fileno(err), 0, SEEK_END);
	ok(rc == 0 && check(in, &s, NAN, NULL) == 0,
	    "stops left out, with set partitioning: plan validates");
	ok(nerr == 0, "the set partitioning step runs without a GLPK error");
	if (nerr > 0) {
		rewind(err);
		while (fgets(buf, sizeof(buf), err) != NULL)
			printf("# stderr: %s", buf);
	}
	is_str(s.reason != NULL ? route_reason_name(s.reason[4]) : "none",
	    "no_capacity", "the heavy stop is still reported");
	fclose(err);
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
}

/*
 * Capacity vectors and stop limits: six stops around (10,0); kg never
 * binds, m3 (dimension 1) keeps the bulky stops 1 and 2 apart, and at
 * most three stops fit in a vehicle.
 */
static void
test_dims(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL;
	int			 i, r, maxlen = 0, shared = 0;

	in = route_inst_new(1, 6);
	snprintf(in->name, sizeof(in->name), "dims");
	in->ndim = 2;
	in->vtype[0].cap[0] = 1000;
	in->vtype[0].cap[1] = 10;
	in->vtype[0].max_stops = 3;
	for (i = 1; i < in->n; i++) {
		in->node[i].x = 10 + i;
		in->node[i].y = i % 2;
		in->node[i].demand[0] = 1;
		in->node[i].demand[1] = i <= 2 ? 6 : 1;
	}
	route_inst_matrix(in);
	memset(&o, 0, sizeof(o));
	o.time_limit = 0.3;
	o.seed = 3;
	route_sol_init(&s);
	ok(route_solve(in, &o, &s, &cause) == 0 &&
	    check(in, &s, NAN, NULL) == 0, "capacity vector + stop limit: "
	    "plan validates");
	for (r = 0; r < s.nroutes; r++) {
		int has1 = 0, has2 = 0;
		if (s.route[r].len > maxlen)
			maxlen = s.route[r].len;
		for (i = 0; i < s.route[r].len; i++) {
			has1 |= s.route[r].stop[i] == 1;
			has2 |= s.route[r].stop[i] == 2;
		}
		shared |= has1 && has2;
	}
	ok(maxlen <= 3 && s.nroutes >= 2, "no route over 3 stops (%d routes)",
	    s.nroutes);
	ok(!shared, "the two bulky stops never share a vehicle");
	in->vtype[0].max_stops = 0;
	ok(route_solve(in, &o, &s, &cause) == 0 && s.nroutes == 2,
	    "without the stop limit two vehicles do it");
	in->vtype[0].max_stops = 2;
	s.route[0].len = 3;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a route over the stop limit is rejected");
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
}

/*
 * Shift length and service times: two pairs of stops 10 either side of
 * the depot, 30 of service each.  One route takes 40 of travel plus 120
 * of service, over a 100-long shift, so the shift forces two routes.
 */
static void
test_shift(void)
{
	static const double xy[][2] = { { 0, 0 }, { 10, 0 }, { 10, 1 },
	    { -10, 0 }, { -10, 1 } };
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL;
	double			 cost;
	int			 i;

	in = route_inst_new(1, 4);
	snprintf(in->name, sizeof(in->name), "shift");
	in->has_tw = 1;
	in->vtype[0].cap[0] = 100;
	in->vtype[0].shift = 100;
	for (i = 0; i < in->n; i++) {
		in->node[i].x = xy[i][0];
		in->node[i].y = xy[i][1];
		in->node[i].demand[0] = i > 0;
		in->node[i].service = i ? 30 : 0;
	}
	in->node[0].ntw = 1;
	in->node[0].tw_close[0] = 1000;
	route_inst_matrix(in);
	memset(&o, 0, sizeof(o));
	o.time_limit = 0.3;
	o.seed = 5;
	route_sol_init(&s);
	ok(route_solve(in, &o, &s, &cause) == 0 &&
	    check(in, &s, NAN, &cost) == 0, "shift instance: plan validates");
	is_int(s.nroutes, 2, "a 100-long shift forces two routes");
	is_dbl(cost, 42, 1e-9, "each pair out and back: 2 x (10 + 1 + 10)");
	in->vtype[0].shift = ROUTE_INF;
	ok(route_solve(in, &o, &s, &cause) == 0 && s.nroutes == 1,
	    "without a shift one route does it");
	in->vtype[0].shift = 100;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a route longer than the shift is rejected");
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
}

/*
 * Heterogeneous fleet: vans (capacity 10, fixed 100, three of them) and
 * one truck (capacity 30, fixed 300, the only one with skill 2).  Six
 * stops of 5 on two sides; stop 6 needs the truck's skill.
 */
static void
test_fleet(void)
{
	static const double xy[][2] = { { 0, 0 }, { 10, 0 }, { 11, 0 },
	    { 12, 0 }, { -10, 0 }, { -11, 0 }, { -12, 0 } };
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	char			*cause = NULL;
	int			 i, r, trucks = 0, vans = 0, skilled = 0;

	in = route_inst_new(1, 6);
	snprintf(in->name, sizeof(in->name), "fleet");
	in->nvtype = 2;
	in->vtype = xreallocarray(in->vtype, 2, sizeof(*in->vtype));
	in->vtype[1] = in->vtype[0];
	in->vtype[0].cap[0] = 10;
	in->vtype[0].fixed = 100;
	in->vtype[0].count = 3;
	in->vtype[0].skills = 1;
	in->vtype[1].cap[0] = 30;
	in->vtype[1].fixed = 300;
	in->vtype[1].count = 1;
	in->vtype[1].skills = 3;
	for (i = 0; i < in->n; i++) {
		in->node[i].x = xy[i][0];
		in->node[i].y = xy[i][1];
		in->node[i].demand[0] = i ? 5 : 0;
	}
	in->node[6].skills = 2;
	route_inst_matrix(in);
	memset(&o, 0, sizeof(o));
	o.time_limit = 0.3;
	o.seed = 2;
	route_sol_init(&s);
	ok(route_solve(in, &o, &s, &cause) == 0 &&
	    check(in, &s, NAN, NULL) == 0, "fleet instance: plan validates");
	for (r = 0; r < s.nroutes; r++) {
		trucks += s.route[r].vtype == 1;
		vans += s.route[r].vtype == 0;
		for (i = 0; i < s.route[r].len; i++)
			if (s.route[r].stop[i] == 6)
				skilled = s.route[r].vtype == 1;
	}
	ok(trucks <= 1 && vans <= 3, "within the fleet (%d trucks, %d vans)",
	    trucks, vans);
	ok(skilled, "the stop needing skill 2 rides the truck");
	s.route[0].vtype = s.route[0].vtype == 1 ? 0 : 1;
	for (r = 1; r < s.nroutes; r++)
		s.route[r].vtype = 1;
	ok(route_check(in, &s, NAN, NULL, &(char *){ NULL }) < 0,
	    "a plan using more trucks than exist or the wrong skill is "
	    "rejected");
	free(cause);
	route_sol_clear(&s);
	route_inst_free(in);
}

/* A VROOM problem: two capacity dimensions, skills, a second window. */
static void
test_vroom(void)
{
	struct route_inst	*in;
	struct route_sol	 s;
	double			 cost = -1;
	int			 r, i, ok7 = 0;

	route_sol_init(&s);
	in = load("vroom-small.json", NULL);
	ok(in != NULL && in->ncust == 5 && in->nvtype == 2 && in->ndim == 2 &&
	    in->node[2].ntw == 2, "VROOM JSON read (jobs, vehicles, matrix)");
	if (in == NULL)
		return;
	cost = solve("vroom-small.json", 0.3, 0, &s);
	ok(cost > 0, "VROOM problem solved and validated (cost %g)", cost);
	for (r = 0; r < s.nroutes; r++)
		for (i = 0; i < s.route[r].len; i++)
			if (s.route[r].stop[i] == 4)
				ok7 = s.route[r].vtype == 1;
	ok(ok7, "the job needing skill 7 rides vehicle 2");
	route_sol_clear(&s);
	route_inst_free(in);
}

/* When service starts at stop number `stop' of rp (the validator's
 * timing: leave at the depot's opening, first window not yet closed). */
static int64_t
start_at(const struct route_inst *in, const struct route_path *rp, int stop)
{
	const int64_t	*tt = in->time != NULL ? in->time : in->dist;
	int64_t		 t;
	int		 i, k, prev = rp->depot, v;

	t = in->node[prev].ntw > 0 ? in->node[prev].tw_open[0] : 0;
	for (i = 0; i < rp->len; i++) {
		v = rp->stop[i];
		t += tt[(size_t)prev * in->n + v];
		for (k = 0; k < in->node[v].ntw && t > in->node[v].tw_close[k];
		    k++)
			;
		if (k < in->node[v].ntw && t < in->node[v].tw_open[k])
			t = in->node[v].tw_open[k];
		if (v == stop)
			return t;
		t += in->node[v].service;
		prev = v;
	}
	return -1;
}

/*
 * Several windows a stop: job 1 (node 1) opens [0, 8] and [100, 105] but
 * is 10 from the depot, so only its second window can be met (the first
 * is the wider: the search used to time it with that one and found
 * nothing feasible).  Job 2 must start in [40, 60], 30 from the depot; one
 * vehicle: the only route is 2, 3, 1, with job 1 served at 100.
 */
static void
test_windows(void)
{
	struct route_inst	*in;
	struct route_sol	 s;
	double			 cost;
	int64_t			 t;

	route_sol_init(&s);
	in = load("vroom-tw2.json", NULL);
	ok(in != NULL && in->node[1].ntw == 2 && in->node[1].tw_open[1] == 100,
	    "VROOM job with two time windows read");
	if (in == NULL)
		return;
	cost = solve("vroom-tw2.json", 0.3, 1, &s);
	ok(cost > 0 && s.nroutes == 1, "solved and validated, one route "
	    "(cost %g)", cost);
	ok(s.nroutes == 1 && s.route[0].len == 3 &&
	    s.route[0].stop[0] == 2 && s.route[0].stop[2] == 1,
	    "job 2 in its window first, job 1 last");
	t = s.nroutes == 1 ? start_at(in, &s.route[0], 1) : -1;
	ok(t >= 100 && t <= 105, "job 1 served in its second window (at %lld)",
	    (long long)t);
	/* the validator waits for a later second window, and sees it end
	 * after the depot closes */
	in->node[1].tw_open[1] = 200;
	in->node[1].tw_close[1] = 210;
	ok(s.nroutes == 1 && check(in, &s, NAN, NULL) == 0 &&
	    start_at(in, &s.route[0], 1) == 200,
	    "the validator accepts service at 200 in a window moved there");
	in->node[0].tw_close[0] = 215;
	ok(s.nroutes == 1 && route_check(in, &s, NAN, NULL,
	    &(char *){ NULL }) < 0,
	    "and rejects the route once the depot closes first");
	route_sol_clear(&s);
	route_inst_free(in);
}

/*
 * Pinned positions: two clusters of four stops either side of the depot,
 * four stops a vehicle.  Stop 3, the far end of the east cluster, is
 * pinned first; stop 6 third; stop 8 last.  With and without time windows
 * (one stop with two windows, which switches the engine to forward
 * timing), the plan keeps every pin, and the validator rejects a swap.
 */
static struct route_inst *
pins_inst(int tw)
{
	static const double xy[][2] = { { 0, 0 }, { 10, 0 }, { 11, 1 },
	    { 12, 0 }, { 11, -1 }, { -10, 0 }, { -11, 1 }, { -12, 0 },
	    { -11, -1 } };
	struct route_inst	*in;
	int			 i;

	in = route_inst_new(1, 8);
	snprintf(in->name, sizeof(in->name), "pins");
	in->vtype[0].cap[0] = 4;
	for (i = 0; i < in->n; i++) {
		in->node[i].x = xy[i][0];
		in->node[i].y = xy[i][1];
		in->node[i].demand[0] = i > 0;
		in->node[i].service = tw && i > 0 ? 5 : 0;
	}
	in->node[3].pin_pos = 1;
	in->node[6].pin_pos = 3;
	in->node[8].pin_pos = -1;
	if (tw) {
		in->has_tw = 1;
		in->node[0].ntw = 1;
		in->node[0].tw_close[0] = 500;
		in->node[2].ntw = 2;
		in->node[2].tw_open[0] = 0;
		in->node[2].tw_close[0] = 5;
		in->node[2].tw_open[1] = 40;
		in->node[2].tw_close[1] = 60;
	}
	route_inst_matrix(in);
	return in;
}

/* 1 when every pinned stop of s is where its pin says. */
static int
pins_hold(const struct route_inst *in, const struct route_sol *s)
{
	int	r, i, k, seen = 0;

	for (r = 0; r < s->nroutes; r++)
		for (i = 0; i < s->route[r].len; i++) {
			k = in->node[s->route[r].stop[i]].pin_pos;
			if (k == 0)
				continue;
			seen++;
			if ((k > 0 && i + 1 != k) ||
			    (k < 0 && s->route[r].len - i != -k))
				return 0;
		}
	return seen == 3;
}

static void
test_pins(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s;
	struct route_pool	*pool;
	struct route_path	 rp;
	char			*cause = NULL;
	int			 tw, r, t, bad[2] = { 1, 3 };

	for (tw = 0; tw < 2; tw++) {
		in = pins_inst(tw);
		memset(&o, 0, sizeof(o));
		o.time_limit = 0.4;
		o.seed = 4;
		o.use_sp = 1;
		route_sol_init(&s);
		ok(route_solve(in, &o, &s, &cause) == 0 &&
		    check(in, &s, NAN, NULL) == 0,
		    "pins%s: plan validates", tw ? " and windows" : "");
		ok(pins_hold(in, &s), "pins%s: stop 3 first, 6 third, 8 last",
		    tw ? " and windows" : "");
		for (r = 0; r < s.nroutes && s.route[r].stop[0] != 3; r++)
			;
		if (r < s.nroutes && s.route[r].len > 1) {
			t = s.route[r].stop[0];
			s.route[r].stop[0] = s.route[r].stop[1];
			s.route[r].stop[1] = t;
		}
		ok(route_check(in, &s, NAN, NULL, &cause) < 0 &&
		    strstr(cause, "pinned") != NULL,
		    "pins%s: the validator rejects a stop moved off its pin",
		    tw ? " and windows" : "");
		free(cause);
		cause = NULL;
		route_sol_clear(&s);
		route_inst_free(in);
	}
	in = pins_inst(0);
	pool = route_pool_new();
	rp.depot = 0;
	rp.vtype = 0;
	rp.len = 2;
	rp.stop = bad;
	route_pool_add(pool, in, &rp);
	bad[0] = 3;
	bad[1] = 1;
	route_pool_add(pool, in, &rp);
	ok(route_pool_size(pool) == 1, "the route pool keeps only the route "
	    "with stop 3 first");
	route_pool_free(pool);
	route_inst_free(in);
}

/* Deferring an optional stop must not move a pinned one: route 1, 2 with
 * 2 pinned second keeps the far optional stop 1. */
static void
test_defer_pins(void)
{
	struct route_inst	*in;
	struct route_sol	 s;
	int			 stop[2] = { 1, 2 };

	in = route_inst_new(1, 2);
	in->node[1].x = 100;
	in->node[1].penalty = 1;
	in->node[2].x = 1;
	in->node[2].pin_pos = 2;
	route_inst_matrix(in);
	route_sol_init(&s);
	route_sol_add(&s, 0, 0, stop, 2);
	route_defer(in, &s);
	ok(s.route[0].len == 2, "an optional stop before a pinned one stays");
	in->node[2].pin_pos = 0;
	route_defer(in, &s);
	ok(s.route[0].len == 1 && s.route[0].stop[0] == 2,
	    "without the pin it is deferred");
	route_sol_clear(&s);
	route_inst_free(in);
}

/* The text of fp from the start, blank lines left out (caller frees). */
static char *
sol_text(FILE *fp)
{
	char	*line = NULL, *text = xstrdup("");
	char	*t;
	size_t	 sz = 0;

	rewind(fp);
	while (getline(&line, &sz, fp) != -1) {
		line[strcspn(line, "\r\n")] = '\0';
		if (*line == '\0')
			continue;
		xasprintf(&t, "%s%s\n", text, line);
		free(text);
		text = t;
	}
	free(line);
	return text;
}

/*
 * The .sol writer: a location-routing solution in the layout of the
 * Prodhon sets' published solutions (shared/bench/README.md section 3),
 * token for token as the BKS file of coord20-5-1, and read back from
 * either layout by route_sol_read; a CVRP solution in CVRPLIB form.
 */
static void
test_sol_io(void)
{
	struct route_inst	*in;
	struct route_sol	 s, t;
	char			*cause = NULL, *want, *got;
	FILE			*fp, *shipped;
	double			 cost;
	int			 rc;

	route_sol_init(&s);
	route_sol_init(&t);
	in = load("coord20-5-1.dat", NULL);
	load_sol(in, "coord20-5-1.sol", 1, &s);
	fp = tmpfile();
	route_sol_write(fp, in, &s);
	shipped = fopen(data("coord20-5-1.sol"), "r");
	want = shipped != NULL ? sol_text(shipped) : xstrdup("?");
	got = sol_text(fp);
	is_str(got, want, "LRP solution written in the Prodhon layout, as "
	    "the published coord20-5-1.sol");
	ok(strstr(got, "Route") == NULL && strstr(got, "Depot #") == NULL &&
	    strstr(got, "Cost") == NULL, "no CVRPLIB lines in it");
	rewind(fp);
	ok(route_sol_read(fp, in, &t, &cause) == 0 &&
	    check(in, &t, NAN, &cost) == 0 && cost == 54793,
	    "LRP solution read back (layout told by content): 54793");
	fclose(fp);
	free(want);
	free(got);
	if (shipped != NULL)
		fclose(shipped);

	/* An M line without routes, and a route without an M line. */
	fp = tmpfile();
	fputs("M Yd1_OmastV 1.0\nM Yd2_OmastV 1.0\nM Yd3_OmastV 1.0\n"
	    "M Yd5_OmastV 1.0\nV 2 0 20 13 5 7 3 21\nV 2 0 18 12 1 4 21\n"
	    "V 3 0 8 11 6 21\nV 3 0 19 16 15 14 21\nV 5 0 2 17 9 10 21\n",
	    fp);
	rewind(fp);
	free(cause);
	cause = NULL;
	rc = route_sol_read(fp, in, &t, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "depot 1") != NULL,
	    "an opened depot without routes is refused: %s", cause ?
	    cause : "accepted");
	fclose(fp);
	fp = tmpfile();
	fputs("M Yd2_OmastV 1.0\nM Yd3_OmastV 1.0\n"
	    "V 2 0 20 13 5 7 3 21\nV 2 0 18 12 1 4 21\n"
	    "V 3 0 8 11 6 21\nV 3 0 19 16 15 14 21\nV 5 0 2 17 9 10 21\n",
	    fp);
	rewind(fp);
	free(cause);
	cause = NULL;
	rc = route_sol_read(fp, in, &t, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "depot 5") != NULL,
	    "a route from a depot not opened is refused: %s", cause ?
	    cause : "accepted");
	fclose(fp);
	free(cause);
	cause = NULL;
	route_sol_clear(&s);
	route_sol_clear(&t);
	route_inst_free(in);

	in = load("E-n13-k4.vrp", NULL);
	load_sol(in, "E-n13-k4.sol", 0, &s);
	fp = tmpfile();
	route_sol_write(fp, in, &s);
	got = sol_text(fp);
	ok(strncmp(got, "Route #1:", 9) == 0 && strstr(got, "\nCost 247\n") !=
	    NULL, "a CVRP solution is written in CVRPLIB form");
	rewind(fp);
	ok(route_sol_read(fp, in, &t, &cause) == 0 &&
	    check(in, &t, 247, &cost) == 0, "and read back: 247");
	free(got);
	free(cause);
	fclose(fp);
	route_sol_clear(&s);
	route_sol_clear(&t);
	route_inst_free(in);
}

int
main(void)
{
	test_conventions();
	test_validator();
	test_sol_io();
	test_sp();
	test_reasons();
	test_sp_left_out();
	test_dims();
	test_shift();
	test_fleet();
	test_vroom();
	test_windows();
	test_pins();
	test_defer_pins();
	test_determinism();
	test_polar();
	test_optima();
	return tap_done();
}
