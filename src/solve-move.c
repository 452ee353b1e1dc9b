/*
 * solve-move.c -- what a re-plan's move of a pickup to another centre
 * saved at the location stage, pickup by pickup, for the change report.
 *
 * The location stage prices every move (replan_move_cost in cost[]), but
 * as one MILP: a pickup may move for little collection saving because
 * its old centre's streams or vans are taken.  solve_centre_move() says
 * which, from the plan itself: the collection estimate of the two
 * centres, and what the pickup's items cost in each centre's streams as
 * the plan loads them (at the old centre, its cheapest streams with room
 * left; at the new one, the dearest streams its classes use there, the
 * units it brought), and whether the old centre had room for it at all.
 * Pure: no I/O, no globals.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "recirc.h"
#include "solve.h"

#define MOVE_EPS	1e-9

/* What amount a of class k costs in centre j's streams with room left,
 * cheapest first; HUGE_VAL when they cannot take it all. */
static double
move_cost_in(const struct solve_problem *p, const struct solve_plan *pl,
    size_t j, size_t k, double a)
{
	size_t	 s, q, S = p->nstream, best;
	double	 cost = 0, used, take, u, bu;
	char	*done = xcalloc(S, 1);

	while (a > MOVE_EPS) {
		best = S;
		bu = HUGE_VAL;
		for (s = 0; s < S; s++) {
			if (done[s] || isnan(p->value[k * S + s]) ||
			    p->cap[j * S + s] <= 0)
				continue;
			u = p->outbound[j * S + s] - p->value[k * S + s];
			if (u < bu) {
				bu = u;
				best = s;
			}
		}
		if (best == S)
			break;
		done[best] = 1;
		for (used = 0, q = 0; q < p->nclass; q++)
			used += pl->flow[FLOW(p, j, q, best)];
		if ((take = fmin(a, p->cap[j * S + best] - used)) <= 0)
			continue;
		cost += take * bu;
		a -= take;
	}
	free(done);
	return a > MOVE_EPS ? HUGE_VAL : cost;
}

/* What amount a of class k saves leaving centre j: the units of k that
 * go to j's dearest streams first (the last ones the plan filled). */
static double
move_cost_out(const struct solve_problem *p, const struct solve_plan *pl,
    size_t j, size_t k, double a)
{
	size_t	 s, S = p->nstream, worst;
	double	 cost = 0, take, u, wu;
	char	*done = xcalloc(S, 1);

	while (a > MOVE_EPS) {
		worst = S;
		wu = -HUGE_VAL;
		for (s = 0; s < S; s++) {
			if (done[s] || pl->flow[FLOW(p, j, k, s)] <= 0)
				continue;
			u = p->outbound[j * S + s] - p->value[k * S + s];
			if (u > wu) {
				wu = u;
				worst = s;
			}
		}
		if (worst == S)
			break;
		done[worst] = 1;
		take = fmin(a, pl->flow[FLOW(p, j, k, worst)]);
		cost += take * wu;
		a -= take;
	}
	free(done);
	return cost;
}

/* 1 when centre j's vans, as the plan loads them, have room for pickup i
 * too: kg, stops, minutes and the rows of fleet_use. */
static int
move_fleet_room(const struct solve_problem *p, const struct solve_plan *pl,
    size_t j, size_t i)
{
	const double	*use;
	size_t		 q, f;
	double		 kg = 0, stops = 0, min = 0, sum, x;

	for (q = 0; q < p->n; q++) {
		if ((x = pl->assign[q * p->m + j]) <= 0)
			continue;
		kg += x * solve_pickup_total(p, q);
		stops += x;
		min += x * p->stop_min[q];
	}
	if (kg + solve_pickup_total(p, i) > p->fleet_kg[j] + MOVE_EPS ||
	    stops + 1 > p->fleet_stops[j] + MOVE_EPS ||
	    min + p->stop_min[i] > p->fleet_min[j] + MOVE_EPS)
		return 0;
	for (f = 0; f < p->nfleet; f++) {
		use = &p->fleet_use[p->fleet_pat[f] * p->n];
		if (p->fleet_centre[f] != j || use[i] <= 0)
			continue;
		for (sum = 0, q = 0; q < p->n; q++)
			sum += pl->assign[q * p->m + j] * use[q];
		if (sum + use[i] > p->fleet_cap[f] + MOVE_EPS)
			return 0;
	}
	return 1;
}

/*
 * Pickup i, served from centre `from' in the previous plan, is served
 * from `to' in plan pl.  *saving is what that saves by the location
 * stage's costs, the move cost left out (NAN when it cannot be said).
 * SOLVE_MOVE_PRICED: the old centre had room, and the location stage
 * moved the pickup because the saving is more than the move cost;
 * SOLVE_MOVE_FULL: the old centre's vans or streams had no room for it;
 * SOLVE_MOVE_CLOSED: the old centre is closed in pl.
 */
enum solve_move
solve_centre_move(const struct solve_problem *p, const struct solve_plan *pl,
    size_t i, size_t from, size_t to, double *saving)
{
	size_t	k;
	double	a, in, d, mc;
	int	full;

	*saving = NAN;
	if (!pl->open[from])
		return SOLVE_MOVE_CLOSED;
	/* cost[] has the move cost on every centre but the previous one */
	mc = p->prev_centre != NULL && p->prev_centre[i] == from ?
	    p->move_cost : 0;
	d = p->cost[i * p->m + from] - (p->cost[i * p->m + to] - mc);
	full = !move_fleet_room(p, pl, from, i);
	for (k = 0; k < p->nclass && p->nstream > 0; k++) {
		if ((a = p->amount[i * p->nclass + k]) <= 0)
			continue;
		if ((in = move_cost_in(p, pl, from, k, a)) == HUGE_VAL)
			return SOLVE_MOVE_FULL;
		d += in - move_cost_out(p, pl, to, k, a);
	}
	*saving = d;
	return full ? SOLVE_MOVE_FULL : SOLVE_MOVE_PRICED;
}
