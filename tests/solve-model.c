/*
 * solve-model.c -- the location and stream MILP on hand-made JSON problems
 * whose answers are worked out in the comments: stream choice under a
 * stream capacity, deferring by capacity, by cost and for want of a
 * stream, centre choice, forced-open centres, splitting when multi-source,
 * infeasibility.  Every plan also goes through the validator.  And what a
 * move to another centre saved (solve-move.c).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"
#include "tap.h"

static struct solve_problem *
read_json(const char *text)
{
	struct solve_problem	*p;
	char			*cause = NULL;

	if ((p = pjson_read(text, strlen(text), &cause)) == NULL) {
		ok(0, "problem parses: %s", cause);
		free(cause);
	}
	return p;
}

/* Solve, validate, and return the plan (NULL when it fails). */
static struct solve_plan *
solve_json(struct solve_problem *p, const char *what)
{
	struct solve_params	 pa = { 10, 1, 0, 0 };
	struct solve_plan	*pl = solve_plan_new(p);
	char			*cause = NULL;

	if (solve_problem_run(p, &pa, pl, &cause) == -1) {
		ok(0, "%s: solves: %s", what, cause);
		free(cause);
		return pl;
	}
	if (validate_plan(p, pl, &cause) == -1) {
		ok(0, "%s: plan valid: %s", what, cause);
		free(cause);
	} else
		ok(1, "%s: plan valid", what);
	return pl;
}

static double
flow_of(const struct solve_problem *p, const struct solve_plan *pl,
    size_t j, const char *cls, const char *stream)
{
	size_t	k, s;

	for (k = 0; k < p->nclass; k++)
		for (s = 0; s < p->nstream; s++)
			if (strcmp(p->class_id[k], cls) == 0 &&
			    strcmp(p->stream_id[s], stream) == 0)
				return pl->flow[FLOW(p, j, k, s)];
	return NAN;
}

/*
 * One centre, one 40 kg working sofa.  Reuse nets 5 - 0.5 = 4.5 per kg
 * but takes only 30 kg; recycling nets 1 - 0.1 = 0.9.  So 30 kg to reuse,
 * 10 kg to recycling: 100 + 20 - 30 * 4.5 - 10 * 0.9 = -24.
 */
static const char *stream_problem =
    "{\"name\": \"streams\","
    " \"rules\": ["
    "  {\"category\": \"sofa\", \"condition\": \"working\","
    "   \"stream\": \"reuse\", \"value\": 5},"
    "  {\"category\": \"sofa\", \"stream\": \"recycle\", \"value\": 1}],"
    " \"centres\": [{\"id\": \"C1\", \"fixed_cost\": 100,"
    "  \"capacity\": {\"reuse\": 30, \"recycle\": 1000},"
    "  \"outbound\": {\"reuse\": 0.5, \"recycle\": 0.1}}],"
    " \"pickups\": [{\"id\": \"P1\", \"costs\": {\"C1\": 20},"
    "  \"items\": [{\"category\": \"sofa\", \"condition\": \"working\","
    "   \"quantity\": 1, \"weight_kg\": 40}]}]}";

static void
test_streams(void)
{
	struct solve_problem	*p = read_json(stream_problem);
	struct solve_plan	*pl;

	if (p == NULL)
		return;
	pl = solve_json(p, "streams");
	is_int(pl->status, SOLVE_OPTIMAL, "streams: optimal");
	is_dbl(pl->objective, -24.0, 1e-6, "streams: objective -24");
	is_dbl(flow_of(p, pl, 0, "sofa/working", "reuse"), 30, 1e-6,
	    "streams: 30 kg to reuse (its capacity)");
	is_dbl(flow_of(p, pl, 0, "sofa/working", "recycle"), 10, 1e-6,
	    "streams: the other 10 kg to recycling");
	is_dbl(flow_of(p, pl, 0, "sofa/working", "repair"), 0, 1e-9,
	    "streams: nothing to a stream without a rule");
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

/*
 * An existing centre (forced open, no fixed cost) sorts 100 kg for
 * recycling.  P1 (60 kg, penalty 500), P2 (60 kg, penalty 300) and P3
 * (30 kg, penalty 1000) cost 10 each: P1 and P2 do not fit together, so
 * P2, the cheaper to defer, waits: 10 + 10 + 300.  P4 (5 kg) would fit
 * but costs 2000 to collect against a penalty of 50: deferred for cost.
 * P5 is a piano, which no rule accepts: deferred, no stream (penalty 5).
 * Total 320 + 50 + 5 = 375.
 */
static const char *defer_problem =
    "{\"name\": \"defer\","
    " \"rules\": [{\"category\": \"chair\", \"stream\": \"recycle\","
    "  \"value\": 0}],"
    " \"centres\": [{\"id\": \"C1\", \"fixed_cost\": 0, \"existing\": true,"
    "  \"force_open\": true, \"capacity\": {\"recycle\": 100}}],"
    " \"pickups\": ["
    "  {\"id\": \"P1\", \"costs\": {\"C1\": 10}, \"defer_penalty\": 500,"
    "   \"items\": [{\"category\": \"chair\", \"weight_kg\": 60}]},"
    "  {\"id\": \"P2\", \"costs\": {\"C1\": 10}, \"defer_penalty\": 300,"
    "   \"items\": [{\"category\": \"chair\", \"weight_kg\": 60}]},"
    "  {\"id\": \"P3\", \"costs\": {\"C1\": 10}, \"defer_penalty\": 1000,"
    "   \"items\": [{\"category\": \"chair\", \"weight_kg\": 15,"
    "    \"quantity\": 2}]},"
    "  {\"id\": \"P4\", \"costs\": {\"C1\": 2000}, \"defer_penalty\": 50,"
    "   \"items\": [{\"category\": \"chair\", \"weight_kg\": 5}]},"
    "  {\"id\": \"P5\", \"costs\": {\"C1\": 1}, \"defer_penalty\": 5,"
    "   \"items\": [{\"category\": \"piano\", \"weight_kg\": 5}]}]}";

static void
test_defer(void)
{
	struct solve_problem	*p = read_json(defer_problem);
	struct solve_plan	*pl;

	if (p == NULL)
		return;
	pl = solve_json(p, "defer");
	is_int(pl->status, SOLVE_OPTIMAL, "defer: optimal");
	is_dbl(pl->objective, 375.0, 1e-6, "defer: objective 375");
	ok(!pl->deferred[0] && pl->deferred[1] && !pl->deferred[2],
	    "defer: P2 (cheaper penalty) waits, P1 and P3 are served");
	ok(pl->reason[1] != NULL && strncmp(pl->reason[1], "capacity", 8) ==
	    0, "defer: P2's reason is capacity (%s)", pl->reason[1]);
	ok(pl->deferred[3] && pl->reason[3] != NULL &&
	    strncmp(pl->reason[3], "cost", 4) == 0,
	    "defer: P4 deferred for cost (%s)", pl->reason[3]);
	ok(pl->deferred[4] && pl->reason[4] != NULL &&
	    strncmp(pl->reason[4], "no_stream", 9) == 0,
	    "defer: P5 has no stream (%s)", pl->reason[4]);
	ok(pl->open[0], "defer: the existing centre is open");
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

/*
 * Two candidates: C1 (fixed 100, collection 10 per pickup) and C2 (fixed
 * 50, collection 30): C2 wins, 50 + 2 * 30 = 110 against 120.  C3 exists,
 * must stay open (fixed 0) and is far (100 per pickup): open but unused.
 */
static const char *choice_problem =
    "{\"name\": \"choice\","
    " \"rules\": [{\"stream\": \"recycle\", \"value\": 0}],"
    " \"centres\": ["
    "  {\"id\": \"C1\", \"fixed_cost\": 100, \"capacity\": {\"recycle\": 1e3}},"
    "  {\"id\": \"C2\", \"fixed_cost\": 50, \"capacity\": {\"recycle\": 1e3}},"
    "  {\"id\": \"C3\", \"fixed_cost\": 0, \"force_open\": true,"
    "   \"capacity\": {\"recycle\": 1e3}}],"
    " \"pickups\": ["
    "  {\"id\": \"P1\", \"costs\": {\"C1\": 10, \"C2\": 30, \"C3\": 100},"
    "   \"items\": [{\"category\": \"bike\", \"weight_kg\": 12}]},"
    "  {\"id\": \"P2\", \"costs\": {\"C1\": 10, \"C2\": 30, \"C3\": 100},"
    "   \"items\": [{\"category\": \"bike\", \"weight_kg\": 14}]}]}";

static void
test_choice(void)
{
	struct solve_problem	*p = read_json(choice_problem);
	struct solve_plan	*pl;

	if (p == NULL)
		return;
	pl = solve_json(p, "choice");
	is_dbl(pl->objective, 110.0, 1e-6, "choice: objective 110");
	ok(!pl->open[0] && pl->open[1] && pl->open[2],
	    "choice: C2 opens, C1 stays closed, C3 is forced open");
	is_dbl(pl->assign[0 * 3 + 1] + pl->assign[1 * 3 + 1], 2, 1e-9,
	    "choice: both pickups go to C2");
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

/*
 * A 150 kg pickup and two centres of 100 kg: single-sourced it cannot be
 * served and may not wait (infeasible); multi-source it splits.
 */
static const char *split_problem =
    "{\"name\": \"split\", \"single_source\": %s,"
    " \"rules\": [{\"stream\": \"dispose\", \"value\": -1}],"
    " \"centres\": ["
    "  {\"id\": \"A\", \"fixed_cost\": 10, \"capacity\": {\"dispose\": 100}},"
    "  {\"id\": \"B\", \"fixed_cost\": 10, \"capacity\": {\"dispose\": 100}}],"
    " \"pickups\": [{\"id\": \"P\", \"may_defer\": false,"
    "  \"costs\": {\"A\": 4, \"B\": 6},"
    "  \"items\": [{\"category\": \"scrap\", \"weight_kg\": 150}]}]}";

static void
test_split(void)
{
	struct solve_problem	*p;
	struct solve_plan	*pl;
	char			*text;

	xasprintf(&text, split_problem, "true");
	if ((p = read_json(text)) != NULL) {
		pl = solve_json(p, "split, single-source");
		is_int(pl->status, SOLVE_INFEASIBLE, "split: single-source "
		    "is infeasible");
		ok(pl->message != NULL, "split: with a reason (%s)",
		    pl->message);
		solve_plan_free(pl, p);
		solve_problem_free(p);
	}
	free(text);
	xasprintf(&text, split_problem, "false");
	if ((p = read_json(text)) != NULL) {
		pl = solve_json(p, "split, multi-source");
		/* 20 fixed + 100/150 * 4 + 50/150 * 6 + 150 disposal. */
		is_dbl(pl->objective, 20 + 400.0 / 150 + 300.0 / 150 + 150,
		    1e-6, "split: multi-source splits 100 + 50");
		is_dbl(pl->assign[0], 100.0 / 150, 1e-6, "split: A takes 100");
		solve_plan_free(pl, p);
		solve_problem_free(p);
	}
	free(text);
}

/* Coordinates instead of costs: haversine x detour x 2 x cost per km. */
static void
test_coordinates(void)
{
	const char *text =
	    "{\"settings\": {\"cost_per_km\": 2, \"detour\": 1},"
	    " \"rules\": [{\"stream\": \"reuse\", \"value\": 0}],"
	    " \"centres\": [{\"id\": \"C\", \"lat\": 0, \"lon\": 0,"
	    "  \"capacity\": {\"reuse\": 100}}],"
	    " \"pickups\": [{\"id\": \"P\", \"lat\": 0, \"lon\": 1,"
	    "  \"items\": [{\"category\": \"desk\", \"weight_kg\": 30}]}],"
	    " \"vehicle_types\": [{\"id\": \"van\", \"capacity\":"
	    "  {\"kg\": 1000}}]}";
	struct solve_problem	*p = read_json(text);

	if (p == NULL)
		return;
	/* One degree of longitude on the equator: 111.195 km. */
	is_dbl(p->cost[0], 2 * 2 * 111.19492664, 1e-3,
	    "coordinates: round trip priced from the great circle");
	solve_problem_free(p);
}

static void
test_bad_input(void)
{
	const char	*bad[] = {
		"[1, 2]",
		"{\"centres\": [], \"pickups\": []}",
		"{\"centres\": [{\"id\": \"C\"}], \"pickups\": [{\"id\": \"P\","
		" \"items\": [{\"category\": \"x\", \"weight_kg\": 1}]}]}",
		"{\"centres\": [{\"id\": \"C\", \"capacity\": {\"nope\": 1}}],"
		" \"pickups\": []}",
		"{\"centres\": [{\"id\": \"C\"}], \"pickups\": [{\"id\": \"P\","
		" \"costs\": {\"C\": 1}, \"items\": [{\"category\": \"x\","
		" \"weight_kg\": -1}]}]}",
		"{\"centres\": [{\"id\": \"C\"}], \"pickups\": [],"
		" \"rules\": [{\"stream\": \"reuse\"}]}",
		"{ not json",
	};
	struct solve_problem	*p;
	char			*cause;
	size_t			 t;

	for (t = 0; t < sizeof(bad) / sizeof(bad[0]); t++) {
		cause = NULL;
		p = pjson_read(bad[t], strlen(bad[t]), &cause);
		ok(p == NULL && cause != NULL, "bad input %zu rejected: %s", t,
		    cause ? cause : "(accepted)");
		solve_problem_free(p);
		free(cause);
	}
}

/* The greedy start is a valid plan and no better than the optimum. */
static void
test_greedy(void)
{
	const char		*texts[] = { stream_problem, defer_problem,
				    choice_problem };
	const double		 opt[] = { -24, 375, 110 };
	struct solve_problem	*p;
	struct solve_plan	*pl;
	char			*cause = NULL;
	size_t			 t;

	for (t = 0; t < 3; t++) {
		if ((p = read_json(texts[t])) == NULL)
			continue;
		pl = model_greedy(p, time_mono() + 5);
		ok(pl != NULL, "greedy %zu: a plan", t);
		if (pl != NULL) {
			model_defer_reasons(p, pl);
			ok(validate_plan(p, pl, &cause) == 0, "greedy %zu: "
			    "valid%s%s", t, cause ? ": " : "",
			    cause ? cause : "");
			ok(pl->objective >= opt[t] - 1e-6, "greedy %zu: %.3f "
			    "not below the optimum %.3f", t, pl->objective,
			    opt[t]);
			free(cause);
			cause = NULL;
		}
		solve_plan_free(pl, p);
		solve_problem_free(p);
	}
	/*
	 * The path of problems above SOLVE_MILP_ARCS (solve.c), which the
	 * heuristic flag takes at any size: the greedy plan, no MILP.
	 */
	for (t = 0; t < 3; t++) {
		struct solve_params	pa = { 10, 1, 0, 1 };

		if ((p = read_json(texts[t])) == NULL)
			continue;
		pl = solve_plan_new(p);
		ok(solve_problem_run(p, &pa, pl, &cause) == 0 &&
		    strcmp(pl->method, "greedy") == 0 &&
		    pl->status == SOLVE_FEASIBLE, "greedy path %zu: the "
		    "greedy plan, feasible (%s)", t, pl->method);
		ok(validate_plan(p, pl, &cause) == 0, "greedy path %zu: "
		    "valid%s%s", t, cause ? ": " : "", cause ? cause : "");
		ok(fabs(pl->objective - solve_plan_cost(p, pl)) < 1e-6 &&
		    pl->objective >= opt[t] - 1e-6, "greedy path %zu: "
		    "objective %.3f is the plan's cost, not below %.3f", t,
		    pl->objective, opt[t]);
		free(cause);
		cause = NULL;
		solve_plan_free(pl, p);
		solve_problem_free(p);
	}
}

/*
 * solve-move.c on a hand-made plan: centres A (0) and B (1), one class,
 * streams reuse (value 1.2) and recycle (0.1), no outbound cost; pickup 0
 * (10 units) was at A and is now at B, whose reuse it takes; pickup 1
 * fills A's reuse (cap 100).  Collection: A 5, B 3 (+ the move cost 5
 * in cost[]).  Back at A its units would go to recycle: -1 against -12
 * at B, so the move saved (5 - 3) + (-1 + 12) = 13.
 */
static void
test_move(void)
{
	struct solve_problem	*p = solve_problem_new(2, 2, 1, 2);
	struct solve_plan	*pl;
	double			 d;

	p->value[0] = 1.2;
	p->value[1] = 0.1;
	p->cap[0] = 100;		/* A reuse */
	p->amount[0] = 10;
	p->amount[1] = 100;
	p->move_cost = 5;
	p->prev_centre = xcalloc(2, sizeof(size_t));
	p->prev_centre[0] = 0;
	p->prev_centre[1] = 0;
	p->cost[0 * 2 + 0] = 5;
	p->cost[0 * 2 + 1] = 3 + 5;
	p->cost[1 * 2 + 0] = 1;
	p->cost[1 * 2 + 1] = 9 + 5;
	pl = solve_plan_new(p);
	pl->open[0] = pl->open[1] = 1;
	pl->assign[0 * 2 + 1] = 1;
	pl->assign[1 * 2 + 0] = 1;
	pl->flow[FLOW(p, 1, 0, 0)] = 10;
	pl->flow[FLOW(p, 0, 0, 0)] = 100;
	is_int(solve_centre_move(p, pl, 0, 0, 1, &d), SOLVE_MOVE_PRICED,
	    "move: the old centre had room (in recycle)");
	ok(fabs(d - 13) < 1e-9, "move: saved 13 with A's reuse full (%g)", d);
	p->cap[0] = HUGE_VAL;
	solve_centre_move(p, pl, 0, 0, 1, &d);
	ok(fabs(d - 2) < 1e-9, "move: saved 2 with room in A's reuse (%g)", d);
	p->cap[0] = 100;
	p->cap[1] = 0;
	is_int(solve_centre_move(p, pl, 0, 0, 1, &d), SOLVE_MOVE_FULL,
	    "move: A's streams are full");
	ok(isnan(d), "move: and the saving cannot be said");
	p->cap[1] = HUGE_VAL;
	p->fleet_kg[0] = 105;
	is_int(solve_centre_move(p, pl, 0, 0, 1, &d), SOLVE_MOVE_FULL,
	    "move: A's vans are full (100 + 10 kg > 105)");
	ok(fabs(d - 13) < 1e-9, "move: the saving still said (%g)", d);
	pl->open[0] = 0;
	is_int(solve_centre_move(p, pl, 0, 0, 1, &d), SOLVE_MOVE_CLOSED,
	    "move: A closed");
	solve_plan_free(pl, p);
	solve_problem_free(p);
}

int
main(void)
{
	log_init(1, 0, "solve-model");
	test_streams();
	test_defer();
	test_choice();
	test_split();
	test_coordinates();
	test_greedy();
	test_bad_input();
	test_move();
	return tap_done();
}
