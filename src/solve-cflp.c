/* placeholder */
#include "config.h"
#include "recircd.h"
#include "solve.h"
int
cflp_solve(const struct solve_problem *p, const struct solve_params *pa,
    struct solve_plan *pl, char **cause)
{
	return model_solve(p, pa, NULL, pl, cause);
}
