/*
 * fmt-solomon.c -- read Solomon VRPTW files (.txt).
 *
 * Convention (CVRPLIB / exact methods): each arc's distance and travel time
 * is the Euclidean length truncated to one decimal.  We store tenths as
 * integers (floor(10 e)), and scale ready/due/service times by ten, so the
 * arithmetic is exact and a solution feasible only under truncation (R102,
 * RC101 optima) is feasible here too.  Objective: distance only.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

/*
 * The largest magnitude of a number in a row.  Coordinates, times and
 * demands become int64 cost units (tenths, squared on the way): beyond
 * this the conversions overflow (undefined) and the distance rounding
 * loops of route_conv_arc run for ages.  Published sets stay below 1e4.
 */
#define SOLOMON_MAX	1e7

/* Read a Solomon instance; NULL + cause on error. */
struct route_inst *
fmt_solomon_read(FILE *fp, char **cause)
{
	struct route_inst	*in = NULL;
	char			 name[64] = "", *line = NULL;
	size_t			 sz = 0, rowcap = 0;
	long			 nveh = 0, cap = 0;
	double			 v[7], *rows = NULL;
	int			 nrows = 0, state = 0, i;

	while (getline(&line, &sz, fp) != -1) {
		char	*p = line;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			continue;
		if (name[0] == '\0') {
			sscanf(p, "%63s", name);
			continue;
		}
		if (isalpha((unsigned char)*p)) {
			if (strncmp(p, "NUMBER", 6) == 0)
				state = 1;
			continue;
		}
		if (state == 1) {
			if (sscanf(p, "%ld %ld", &nveh, &cap) != 2)
				break;
			state = 2;
			continue;
		}
		if (sscanf(p, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1],
		    &v[2], &v[3], &v[4], &v[5], &v[6]) != 7)
			continue;
		for (i = 0; i < 7; i++)
			if (!(fabs(v[i]) <= SOLOMON_MAX)) {
				xasprintf(cause, "customer row %d: a number "
				    "beyond %g", nrows + 1, SOLOMON_MAX);
				goto done;
			}
		rows = xgrowarray(rows, &rowcap, (size_t)nrows,
		    7 * sizeof(double));
		memcpy(rows + 7 * nrows++, v, sizeof(v));
	}
	if (cap <= 0 || nrows < 2) {
		xasprintf(cause, "not a Solomon file (no capacity or customers)");
		goto done;
	}
	in = route_inst_new(1, nrows - 1);
	snprintf(in->name, sizeof(in->name), "%s", name);
	in->kind = ROUTE_VRPTW;
	in->conv = ROUTE_CONV_TENTH;
	in->unit = 10.0;
	in->has_tw = 1;
	in->maxveh = (int)nveh;
	in->vtype[0].cap[0] = cap;
	in->vtype[0].count = (int)nveh;
	for (i = 0; i < nrows; i++) {
		double *r = rows + 7 * i;
		in->node[i].x = r[1];
		in->node[i].y = r[2];
		in->node[i].demand[0] = (int64_t)r[3];
		in->node[i].ntw = 1;
		in->node[i].tw_open[0] = (int64_t)(r[4] * 10 + 0.5);
		in->node[i].tw_close[0] = (int64_t)(r[5] * 10 + 0.5);
		in->node[i].service = (int64_t)(r[6] * 10 + 0.5);
	}
	route_inst_matrix(in);
done:
	free(rows);
	free(line);
	return in;
}
