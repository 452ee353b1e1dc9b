/*
 * fmt-prodhon.c -- read location-routing instances in Prodhon's layout
 * (.dat): n, m, depot and customer coordinates, Q, depot capacities,
 * demands, depot opening costs, per-route cost V, a flag.
 *
 * Prodhon convention (tuzun == 0): arc cost ceil(100 e), fixed costs as
 * written.  Tuzun-Burke (tuzun == 1): real distances held as round(1e4 e),
 * fixed costs scaled by 1e4, so unit = 1e4.  tuzun < 0: decide by the
 * trailing flag (0 in Prodhon's files, 1 in the Tuzun-Burke conversions).
 */
#include <math.h>
#include <stdlib.h>

#include "recirc.h"
#include "route.h"

/* Read every number of the file into *out; returns the count. */
static size_t
prodhon_numbers(FILE *fp, double **out)
{
	double	v, *a = NULL;
	size_t	n = 0, cap = 0;

	while (fscanf(fp, "%lf", &v) == 1) {
		a = xgrowarray(a, &cap, n, sizeof(double));
		a[n++] = v;
	}
	*out = a;
	return n;
}

/* Read a Prodhon/Tuzun .dat file; NULL + cause on error. */
struct route_inst *
fmt_prodhon_read(FILE *fp, int tuzun, char **cause)
{
	struct route_inst	*in = NULL;
	double			*a, sc = tuzun ? 1e4 : 1.0;
	size_t			 na, k = 2, j;
	int			 n, m, i;

	na = prodhon_numbers(fp, &a);
	/*
	 * Sizes, coordinates, capacities and costs all become ints or
	 * int64 cost units (coordinates squared, costs times 1e4): beyond
	 * 1e7 the conversions overflow.  Published files stay below 1e6.
	 */
	for (j = 0; j < na; j++)
		if (!(fabs(a[j]) <= 1e7)) {
			xasprintf(cause, "number %zu of the file is beyond 1e7",
			    j + 1);
			goto done;
		}
	if (na < 2 || (n = (int)a[0]) < 1 || (m = (int)a[1]) < 1 ||
	    na < 2 + 2 * (size_t)(n + m) + 1 + m + n + m + 1) {
		xasprintf(cause, "not a Prodhon .dat file (%zu numbers)", na);
		goto done;
	}
	if (tuzun < 0)
		tuzun = na > k + 2 * (size_t)(n + m) + 1 + m + n + m + 1 &&
		    a[na - 1] == 1;
	sc = tuzun ? 1e4 : 1.0;
	in = route_inst_new(m, n);
	in->kind = ROUTE_LRP;
	in->conv = tuzun ? ROUTE_CONV_REAL : ROUTE_CONV_CEIL100;
	in->unit = sc;
	for (i = 0; i < m + n; i++) {
		in->node[i].x = a[k++];
		in->node[i].y = a[k++];
	}
	in->vtype[0].cap[0] = (int64_t)a[k++];
	in->depot_cap = xcalloc(m, sizeof(int64_t));
	in->depot_fixed = xcalloc(m, sizeof(int64_t));
	for (i = 0; i < m; i++)
		in->depot_cap[i] = (int64_t)a[k++];
	for (i = 0; i < n; i++)
		in->node[m + i].demand[0] = (int64_t)a[k++];
	for (i = 0; i < m; i++)
		in->depot_fixed[i] = llround(a[k++] * sc);
	in->route_fixed = llround(a[k++] * sc);
	route_inst_matrix(in);
done:
	free(a);
	return in;
}
