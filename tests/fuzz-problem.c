/*
 * fuzz-problem.c -- fuzz the problem JSON recirc-solve reads (pjson_read
 * in fmt-json.c: what recircd writes for every plan, and what people
 * hand it), then the plan JSON of the same problem (pjson_plan_read, as
 * --validate reads it) from a plan the writer made.  Beyond not
 * crashing: a refused problem says why; an accepted one has consistent
 * sizes, and the validator and the plan writer and reader handle it.
 */
#include "config.h"

#include <math.h>

#include "recircd.h"
#include "solve.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct solve_problem	*p;
	struct solve_plan	*pl, *back;
	char			*buf = fz_text(data, size), *cause = NULL;
	char			*text;

	if (!pjson_detect(buf, size) ||
	    (p = pjson_read(buf, size, &cause)) == NULL) {
		if (pjson_detect(buf, size) && (cause == NULL ||
		    *cause == '\0'))
			abort();
		free(cause);
		free(buf);
		return 0;
	}
	if (p->m == 0 || p->nstream == 0)
		abort();
	/* Nothing opened, nothing assigned: every pickup deferred. */
	pl = solve_plan_new(p);
	pl->status = SOLVE_FEASIBLE;
	(void)validate_plan(p, pl, &cause);
	free(cause);
	cause = NULL;
	(void)solve_plan_cost(p, pl);
	text = pjson_plan_write(p, pl);
	if ((back = pjson_plan_read(p, text, strlen(text), &cause)) != NULL)
		solve_plan_free(back, p);
	free(cause);
	free(text);
	solve_plan_free(pl, p);
	solve_problem_free(p);
	free(buf);
	return 0;
}
