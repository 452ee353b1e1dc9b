/*
 * route-md-test.c -- unit tests of the multi-depot search of
 * location-routing (src/route-md.c): the assignment's local search packs
 * customers exactly into full depots where the greedy split finds no
 * room; the search across depots reaches the known optimum of
 * coord20-5-1 from a bad split between its depots, also when the depots
 * are made full to the unit (every improvement must then trade customers
 * between full depots), and never returns a solution over a depot's
 * capacity.  Runs are capped by iterations, so they repeat exactly.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"
#include "route-md.h"
#include "tap.h"

#define OPT_20_5_1	54793	/* coord20-5-1, proven optimal */

/* A file of tests/data/route. */
#define data(name)	tap_srcpath("tests/data/route/%s", (name))

/* Depot loads of the assignment dep[] into l[]. */
static void
loads(const struct route_inst *in, const int *dep, int64_t *l)
{
	int	c;

	memset(l, 0, in->ndepot * sizeof(int64_t));
	for (c = in->ndepot; c < in->n; c++)
		l[dep[c]] += in->node[c].demand[0];
}

/*
 * Two depots of capacity 10, customers of demand 5 4 5 3 3 in a row off
 * the first depot: the cheapest-with-room split puts 5 and 4 at the
 * first, 5 and 3 at the second, and the last 3 fits nowhere.  Only
 * {5, 5} / {4, 3, 3} packs.
 */
static void
test_assign_packing(void)
{
	static const int	 q[] = { 5, 4, 5, 3, 3 };
	struct route_inst	*in;
	int64_t			 l[2];
	int			 dep[7], i;

	in = route_inst_new(2, 5);
	in->kind = ROUTE_LRP;
	in->conv = ROUTE_CONV_CEIL100;
	in->node[1].x = 10;
	for (i = 0; i < 5; i++) {
		in->node[2 + i].x = i;
		in->node[2 + i].y = 1;
		in->node[2 + i].demand[0] = q[i];
	}
	in->vtype[0].cap[0] = 10;
	in->depot_cap = xcalloc(2, sizeof(int64_t));
	in->depot_fixed = xcalloc(2, sizeof(int64_t));
	in->depot_cap[0] = in->depot_cap[1] = 10;
	route_inst_matrix(in);
	ok(route_md_assign(in, 3, NULL, dep, 1) == 0,
	    "assignment: an exact packing is found where greedy finds none");
	loads(in, dep, l);
	ok(l[0] == 10 && l[1] == 10, "and both depots hold exactly 10");
	ok(dep[2] == dep[4] && dep[3] == dep[5] && dep[5] == dep[6],
	    "the two 5s share a depot");
	in->depot_cap[1] = 9;
	ok(route_md_assign(in, 3, NULL, dep, 1) == -1,
	    "no assignment when the capacity is short");
	route_inst_free(in);
}

/*
 * A feasible but poor start for coord20-5-1 on the optimum's depots:
 * every customer as far from its depot as the capacities allow, routed
 * by savings.  Returns its cost.
 */
static int64_t
bad_start(const struct route_inst *in, unsigned mask, struct route_sol *s)
{
	int64_t	*cost;
	int	*dep, *cust, c, d, k;

	cost = xcalloc((size_t)in->n * in->ndepot, sizeof(int64_t));
	dep = xcalloc(in->n, sizeof(int));
	cust = xcalloc(in->n, sizeof(int));
	for (c = in->ndepot; c < in->n; c++)
		for (d = 0; d < in->ndepot; d++)
			cost[(size_t)c * in->ndepot + d] =
			    -in->dist[(size_t)d * in->n + c];
	if (route_md_assign(in, mask, cost, dep, 1) < 0)
		return -1;
	route_sol_clear(s);
	for (d = 0; d < in->ndepot; d++) {
		if (!(mask & (1u << d)))
			continue;
		for (k = 0, c = in->ndepot; c < in->n; c++)
			if (dep[c] == d)
				cust[k++] = c;
		if (k > 0)
			route_savings(in, d, cust, k, 1.0, s);
	}
	free(cost);
	free(dep);
	free(cust);
	return s->cost = route_sol_cost(in, s);
}

/* Run the search from a bad start; returns the checked cost or -1. */
static double
search(const struct route_inst *in, unsigned mask, const char *what)
{
	struct route_sol	 s;
	char			*cause = NULL;
	double			 cost = -1;
	int64_t			 c0;

	route_sol_init(&s);
	c0 = bad_start(in, mask, &s);
	ok(c0 > OPT_20_5_1 * 1.1 && route_md_overflow(in, &s) == 0,
	    "%s: the start (%lld) is feasible and >10%% off", what,
	    (long long)c0);
	ok(route_md_search(in, mask, &s, time_mono() + 1e6, 100000, 1,
	    NULL) == 1, "%s: the search improves it", what);
	ok(route_md_overflow(in, &s) == 0, "%s: no depot over capacity",
	    what);
	if (route_check(in, &s, NAN, &cost, &cause) < 0) {
		printf("# validator: %s\n", cause);
		cost = -1;
	}
	free(cause);
	route_sol_clear(&s);
	return cost;
}

static void
test_search(void)
{
	struct route_inst	*in;
	char			*cause = NULL;
	unsigned		 mask = 1u << 1 | 1u << 2 | 1u << 4;
	double			 cost;

	/* the optimum opens depots 2, 3 and 5 (tests/data/route/.sol) */
	in = route_read_file(data("coord20-5-1.dat"), NULL, &cause);
	if (in == NULL) {
		printf("# %s\n", cause);
		free(cause);
		ok(0, "coord20-5-1.dat read");
		return;
	}
	cost = search(in, mask, "coord20-5-1");
	is_dbl(cost, OPT_20_5_1, 1e-9, "coord20-5-1: the optimum, %.0f",
	    cost);
	/*
	 * The optimum's depots carry 138 (depot 2), 107 (3) and 70 (5) of
	 * the 315 of demand: capacities cut to exactly these leave no room
	 * anywhere, yet the optimum stays feasible.
	 */
	in->depot_cap[1] = 138;
	in->depot_cap[2] = 107;
	in->depot_cap[4] = 70;
	cost = search(in, mask, "full depots");
	is_dbl(cost, OPT_20_5_1, 1e-9, "full depots: the optimum, %.0f",
	    cost);
	route_inst_free(in);
}

int
main(void)
{
	test_assign_packing();
	test_search();
	return tap_done();
}
