/*
 * fuzz-cflp.c -- fuzz the OR-Library CFLP reader (cflp_read, fmt-cflp.c),
 * with the file's own capacities and with a -c override.  Beyond not
 * crashing: a refused file says why; an accepted one has centres and
 * pickups and is a CFLP.
 */
#include "config.h"

#include "recircd.h"
#include "solve.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double	 caps[] = { 0, 5000 };
	struct solve_problem	*p;
	char			*buf = fz_text(data, size), *cause = NULL;
	size_t			 k;

	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		if ((p = cflp_read(buf, size, caps[k], &cause)) == NULL) {
			if (cause == NULL || *cause == '\0')
				abort();
			free(cause);
			cause = NULL;
			continue;
		}
		if (p->m == 0 || p->n == 0 || !p->cflp)
			abort();
		solve_problem_free(p);
	}
	free(buf);
	return 0;
}
