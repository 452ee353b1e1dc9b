/*
 * route-dec.c -- unit tests of the decomposition steps of the genetic
 * search (src/route-hgs.c, route_hgs_dec): Solomon's R102 from a short
 * search's solution, groups of about 40 customers improved as
 * sub-instances seeded with their routes.  The result must be checked
 * feasible by the independent validator, serve every customer once, be
 * cheaper than its start and carry its own cost (the sub-instances find
 * something in 8 steps); and as the steps are bounded by iterations,
 * never by the clock, two runs with the same seed must give the same
 * routes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"
#include "tap.h"
#include "route-tap.h"

/* Every route feasible by the validator, every customer served once. */
static int
valid(const struct route_inst *in, const struct route_sol *s)
{
	return rt_valid(in, s) && rt_served_once(in, s);
}

/* The same routes, stop for stop, in the same order. */
static int
same(const struct route_sol *a, const struct route_sol *b)
{
	int	r;

	if (a->nroutes != b->nroutes)
		return 0;
	for (r = 0; r < a->nroutes; r++)
		if (a->route[r].len != b->route[r].len ||
		    memcmp(a->route[r].stop, b->route[r].stop,
		    a->route[r].len * sizeof(int)) != 0)
			return 0;
	return 1;
}

int
main(void)
{
	struct route_inst	*in;
	struct route_opts	 o;
	struct route_sol	 s0, s[2];
	int			 k, n;

	in = rt_load("R102.txt", "solomon");
	ok(in != NULL, "R102 reads");
	if (in == NULL)
		return tap_done();
	memset(&o, 0, sizeof(o));
	o.seed = 3;
	o.threads = 1;
	o.max_iter = 20;
	route_sol_init(&s0);
	ok(route_hgs(in, &o, time_mono() + 600, &s0, NULL, NULL) == 0 &&
	    valid(in, &s0), "a short search gives a feasible start");
	s0.cost = route_sol_cost(in, &s0);
	printf("# start: %d routes, cost %lld\n", s0.nroutes,
	    (long long)s0.cost);
	for (k = 0; k < 2; k++) {
		route_sol_init(&s[k]);
		route_sol_copy(&s[k], &s0);
		n = route_hgs_dec(in, &o, 40, 8, &s[k]);
		printf("# %d of 8 steps improved, cost %lld\n", n,
		    (long long)s[k].cost);
		if (k > 0)
			continue;
		ok(n > 0, "the sub-instances improve the start");
		ok(valid(in, &s[k]), "every route feasible, every customer "
		    "once");
		ok(s[k].cost < s0.cost && s[k].cost == route_sol_cost(in,
		    &s[k]), "cheaper than the start, its cost its own");
	}
	ok(same(&s[0], &s[1]), "the same routes again for the same seed");
	for (k = 0; k < 2; k++)
		route_sol_clear(&s[k]);
	route_sol_clear(&s0);
	route_inst_free(in);
	return tap_done();
}
