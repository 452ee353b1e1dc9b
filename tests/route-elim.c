/*
 * route-elim.c -- unit tests of route elimination (src/route-elim.c):
 * from one route a customer, Solomon's C101 must come down to its
 * minimal fleet, 10 routes (total demand 1810 on vehicles of 200: no
 * fewer can carry it), within the file's 25 vehicles, every route
 * checked by the independent validator, and the cost must only fall; a
 * feasible solution already at the minimum keeps its routes; with
 * several windows a stop, the jobs of a small VROOM problem come to the
 * one route that keeps them all.  Fleet minimisation (cost aside) takes
 * Solomon's R102 from one route a customer to 17 routes, the fewest
 * known, which needs the ejection pool (the penalised repair alone
 * takes no route out of it), every route checked by the validator.
 * Assertions are on routes and costs, never on time: the budget only
 * bounds a broken search.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"
#include "tap.h"
#include "route-tap.h"

/* Every customer of in on a route of its own. */
static void
singletons(const struct route_inst *in, struct route_sol *s)
{
	int	i;

	route_sol_clear(s);
	for (i = 1; i <= in->ncust; i++)
		route_sol_add(s, 0, 0, &i, 1);
	s->cost = route_sol_cost(in, s);
}

int
main(void)
{
	struct route_inst	*in;
	struct route_sol	 s;
	int64_t			 c0, c1;
	int			 gone, nr;

	in = rt_load("C101.txt", "solomon");
	ok(in != NULL, "C101 reads");
	if (in == NULL)
		return tap_done();
	route_sol_init(&s);
	singletons(in, &s);
	/* (more than the file's 25 vehicles: the elimination's job) */
	c0 = s.cost;
	gone = route_hgs_elim(in, 1, time_mono() + 60, 0, &s);
	is_int(s.nroutes, 10, "C101 comes down to its minimal fleet, 10");
	is_int(gone, 90, "and says 90 routes went");
	ok(rt_served_once(in, &s), "every customer served once");
	ok(rt_valid(in, &s), "the validator agrees: every route feasible");
	ok(s.cost < c0 && s.cost == route_sol_cost(in, &s),
	    "cheaper, and the cost is the solution's");
	/* at the minimum: nothing goes, nothing gets dearer */
	c1 = s.cost;
	nr = s.nroutes;
	gone = route_hgs_elim(in, 2, time_mono() + 60, 0, &s);
	ok(gone == 0 && s.nroutes == nr, "at the minimum no route goes");
	ok(s.cost <= c1 && rt_valid(in, &s), "and it stays feasible, no dearer");
	route_inst_free(in);

	/* several windows a stop (route positions timed forward): job 1
	 * fits only in its second window, after job 2 and job 3 */
	in = rt_load("vroom-tw2.json", NULL);
	ok(in != NULL && in->node[1].ntw == 2, "a job with two windows reads");
	if (in == NULL)
		return tap_done();
	singletons(in, &s);
	route_hgs_elim(in, 1, time_mono() + 60, 0, &s);
	is_int(s.nroutes, 1, "its three jobs come to one route");
	ok(s.nroutes == 1 && s.route[0].len == 3 && s.route[0].stop[2] == 1 &&
	    rt_valid(in, &s), "job 1 last, in its second window: feasible");
	route_inst_free(in);

	/* fleet minimisation: the ejection pool down to R102's 17 routes */
	in = rt_load("R102.txt", "solomon");
	ok(in != NULL, "R102 reads");
	if (in == NULL)
		return tap_done();
	singletons(in, &s);
	gone = route_hgs_elim(in, 1, time_mono() + 60, 1, &s);
	is_int(s.nroutes, 17, "R102 comes down to 17 routes, the fewest known");
	ok(rt_served_once(in, &s) && rt_valid(in, &s),
	    "every customer once, every route feasible");
	route_sol_clear(&s);
	route_inst_free(in);
	return tap_done();
}
