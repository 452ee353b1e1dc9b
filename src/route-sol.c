/*
 * route-sol.c -- solutions in CVRPLIB .sol form, and the two solution
 * formats we read back (CVRPLIB .sol and the Liguori et al. LRP .sol).
 *
 * CVRPLIB numbers customers 1..n, i.e. node index - ndepot + 1 (the depot
 * is omitted).  For location-routing instances the writer adds one
 * "Depot #r: d" line per route (d 1-based) before the Cost line; the reader
 * accepts them.  Cost is printed in objective units (cost / unit).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

/* Print cost units as the set prints its objective. */
static void
sol_print_cost(FILE *fp, const struct route_inst *in, int64_t c)
{
	if (in->unit == 1.0)
		fprintf(fp, "Cost %lld\n", (long long)c);
	else if (in->unit == 10.0)
		fprintf(fp, "Cost %.1f\n", c / 10.0);
	else
		fprintf(fp, "Cost %.4f\n", c / in->unit);
}

/* Write s in CVRPLIB form (empty routes skipped); 0, or -1 on I/O error. */
int
route_sol_write(FILE *fp, const struct route_inst *in,
    const struct route_sol *s)
{
	int	r, i, k = 0;

	for (r = 0; r < s->nroutes; r++) {
		if (s->route[r].len == 0)
			continue;
		fprintf(fp, "Route #%d:", ++k);
		for (i = 0; i < s->route[r].len; i++)
			fprintf(fp, " %d", s->route[r].stop[i] - in->ndepot + 1);
		fprintf(fp, "\n");
	}
	if (in->ndepot > 1) {
		k = 0;
		for (r = 0; r < s->nroutes; r++)
			if (s->route[r].len > 0)
				fprintf(fp, "Depot #%d: %d\n", ++k,
				    s->route[r].depot + 1);
	}
	sol_print_cost(fp, in, route_sol_cost(in, s));
	return ferror(fp) ? -1 : 0;
}

/* Parse the customer numbers after "Route #r:" into a new route. */
static int
sol_parse_route(const struct route_inst *in, struct route_sol *s,
    const char *p, char **cause)
{
	int	*stop = NULL, len = 0, c;
	char	*end;

	for (;;) {
		c = (int)strtol(p, &end, 10);
		if (end == p)
			break;
		p = end;
		if (c < 1 || c > in->ncust) {
			xasprintf(cause, "customer %d out of range 1..%d", c,
			    in->ncust);
			free(stop);
			return -1;
		}
		stop = xreallocarray(stop, len + 1, sizeof(int));
		stop[len++] = c - 1 + in->ndepot;
	}
	route_sol_add(s, 0, 0, stop, len);
	free(stop);
	return 0;
}

/* Read a CVRPLIB .sol (routes + optional Depot lines); 0 or -1 + cause. */
int
route_sol_read_cvrplib(FILE *fp, const struct route_inst *in,
    struct route_sol *s, char **cause)
{
	char	*line = NULL, *p;
	size_t	 sz = 0;
	int	 r, d, rc = -1;

	route_sol_clear(s);
	while (getline(&line, &sz, fp) != -1) {
		if (strncmp(line, "Route", 5) == 0) {
			if ((p = strchr(line, ':')) == NULL) {
				xasprintf(cause, "bad route line");
				goto done;
			}
			if (sol_parse_route(in, s, p + 1, cause) < 0)
				goto done;
		} else if (sscanf(line, "Depot #%d: %d", &r, &d) == 2) {
			if (r < 1 || r > s->nroutes || d < 1 ||
			    d > in->ndepot) {
				xasprintf(cause, "bad depot line");
				goto done;
			}
			s->route[r - 1].depot = d - 1;
		}
	}
	rc = 0;
done:
	free(line);
	return rc;
}

/* Read the LRP .sol of Liguori et al.: "V d 0 c1 .. ck n+1" per route. */
int
route_sol_read_prodhon(FILE *fp, const struct route_inst *in,
    struct route_sol *s, char **cause)
{
	char	*line = NULL, *p, *end;
	size_t	 sz = 0;
	int	*stop = NULL, len, d, c, rc = -1;

	route_sol_clear(s);
	while (getline(&line, &sz, fp) != -1) {
		if (line[0] != 'V')
			continue;
		d = (int)strtol(line + 1, &p, 10);
		if (d < 1 || d > in->ndepot) {
			xasprintf(cause, "depot %d out of range", d);
			goto done;
		}
		len = 0;
		for (;;) {
			c = (int)strtol(p, &end, 10);
			if (end == p)
				break;
			p = end;
			if (c == 0 || c == in->ncust + 1)
				continue;
			if (c < 0 || c > in->ncust) {
				xasprintf(cause, "customer %d out of range", c);
				goto done;
			}
			stop = xreallocarray(stop, len + 1, sizeof(int));
			stop[len++] = in->ndepot + c - 1;
		}
		route_sol_add(s, d - 1, 0, stop, len);
	}
	rc = 0;
done:
	free(stop);
	free(line);
	return rc;
}
