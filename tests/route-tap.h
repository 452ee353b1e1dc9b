/*
 * route-tap.h -- what the routing engine's unit tests check alike: an
 * instance from tests/data/route, the independent validator's verdict on
 * a solution, and that it serves every customer exactly once.
 * Header-only, like tap.h (include that first).
 */
#ifndef RECIRC_ROUTE_TAP_H
#define RECIRC_ROUTE_TAP_H

#include <math.h>

/* tests/data/route/name read as format fmt; NULL (and why) if not. */
static struct route_inst * __attribute__((unused))
rt_load(const char *name, const char *fmt)
{
	char			*cause = NULL;
	struct route_inst	*in;

	in = route_read_file(tap_srcpath("tests/data/route/%s", name), fmt,
	    &cause);
	if (in == NULL)
		printf("# %s\n", cause);
	free(cause);
	return in;
}

/* The validator's verdict on s: 1 when every route keeps every limit. */
static int __attribute__((unused))
rt_valid(const struct route_inst *in, const struct route_sol *s)
{
	char	*cause = NULL;
	double	 cost;
	int	 rc;

	rc = route_check(in, s, NAN, &cost, &cause);
	if (rc != 0)
		printf("# %s\n", cause);
	free(cause);
	return rc == 0;
}

/* 1 when s serves every customer of in exactly once. */
static int __attribute__((unused))
rt_served_once(const struct route_inst *in, const struct route_sol *s)
{
	int	*seen, r, i, ok = 1;

	seen = xcalloc(in->n, sizeof(int));
	for (r = 0; r < s->nroutes; r++)
		for (i = 0; i < s->route[r].len; i++)
			if (seen[s->route[r].stop[i]]++)
				ok = 0;
	for (i = 1; i <= in->ncust; i++)
		if (seen[i] != 1)
			ok = 0;
	free(seen);
	return ok;
}

#endif /* RECIRC_ROUTE_TAP_H */
