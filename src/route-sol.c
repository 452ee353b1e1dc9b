/*
 * route-sol.c -- solutions in the two layouts independent checkers read,
 * written and read back: CVRPLIB .sol, and for location-routing (Prodhon,
 * Tuzun-Burke) the layout of the sets' published solutions (Liguori et
 * al.'s code; shared/bench/README.md section 3).
 *
 * CVRPLIB numbers customers 1..n, i.e. node index - ndepot + 1 (the depot
 * is omitted): "Route #r: c1 c2 ..." lines, then "Cost value" in
 * objective units (cost / unit).  A routing instance with several depots
 * that is not location-routing (VROOM's vehicles start at several places)
 * adds a "Depot #r: d" line per route (d 1-based) before the Cost line.
 * The location-routing layout is "M Yd<d>_OmastV 1.0" for each opened
 * depot d, then "V d 0 c1 ... ck n+1" for each route, depots and
 * customers 1-based, 0 and n+1 marking the route's start and end; it has
 * no cost line.  route_sol_read tells the layouts apart by their content.
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

/*
 * Write s in the location-routing layout: the opened depots (those with a
 * route), then the routes grouped by depot, each in the order of s.
 */
static void
sol_write_lrp(FILE *fp, const struct route_inst *in,
    const struct route_sol *s)
{
	int	r, i, d, used;

	for (d = 0; d < in->ndepot; d++) {
		for (used = 0, r = 0; r < s->nroutes && !used; r++)
			used = s->route[r].len > 0 && s->route[r].depot == d;
		if (used)
			fprintf(fp, "M Yd%d_OmastV 1.0\n", d + 1);
	}
	for (d = 0; d < in->ndepot; d++)
		for (r = 0; r < s->nroutes; r++) {
			if (s->route[r].len == 0 || s->route[r].depot != d)
				continue;
			fprintf(fp, "V %d 0", d + 1);
			for (i = 0; i < s->route[r].len; i++)
				fprintf(fp, " %d", s->route[r].stop[i] -
				    in->ndepot + 1);
			fprintf(fp, " %d\n", in->ncust + 1);
		}
}

/*
 * Write s (empty routes skipped): in the location-routing layout for a
 * location-routing instance, else in CVRPLIB form.  0, or -1 on I/O error.
 */
int
route_sol_write(FILE *fp, const struct route_inst *in,
    const struct route_sol *s)
{
	int	r, i, k = 0;

	if (in->kind == ROUTE_LRP) {
		sol_write_lrp(fp, in, s);
		return ferror(fp) ? -1 : 0;
	}
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
	size_t	 cap = 0;
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
		stop = xgrowarray(stop, &cap, (size_t)len, sizeof(int));
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

/*
 * Read the location-routing layout: "M Yd<d>_..." lines open depot d, a
 * "V d 0 c1 .. ck n+1" line is a route.  A route from a depot no M line
 * opens, or an M line for a depot without routes (a checker would count
 * its fixed cost, the validator would not), is refused.  0 or -1 + cause.
 */
int
route_sol_read_prodhon(FILE *fp, const struct route_inst *in,
    struct route_sol *s, char **cause)
{
	char	*line = NULL, *p, *end;
	size_t	 sz = 0, cap = 0;
	int	*stop = NULL, *open, len, d, c, r, rc = -1;

	route_sol_clear(s);
	open = xcalloc(in->ndepot + 1, sizeof(int));
	while (getline(&line, &sz, fp) != -1) {
		if (strncmp(line, "M Yd", 4) == 0) {
			d = (int)strtol(line + 4, &end, 10);
			if (end == line + 4 || *end != '_' || d < 1 ||
			    d > in->ndepot) {
				xasprintf(cause, "bad depot line: %.40s", line);
				goto done;
			}
			open[d - 1] = 1;
			continue;
		}
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
			stop = xgrowarray(stop, &cap, (size_t)len, sizeof(int));
			stop[len++] = in->ndepot + c - 1;
		}
		route_sol_add(s, d - 1, 0, stop, len);
	}
	for (d = 0; d < in->ndepot; d++) {
		for (c = 0, r = 0; r < s->nroutes; r++)
			c += s->route[r].depot == d;
		if (c > 0 && !open[d]) {
			xasprintf(cause, "depot %d has routes but no M line",
			    d + 1);
			goto done;
		}
		if (c == 0 && open[d]) {
			xasprintf(cause, "depot %d is opened but has no route",
			    d + 1);
			goto done;
		}
	}
	rc = 0;
done:
	free(open);
	free(stop);
	free(line);
	return rc;
}

/*
 * Read a solution in either layout, told apart by its first line that
 * is not blank: "M " or "V " starts the location-routing layout.  fp
 * must be seekable.  0 or -1 + cause.
 */
int
route_sol_read(FILE *fp, const struct route_inst *in, struct route_sol *s,
    char **cause)
{
	char	*line = NULL;
	size_t	 sz = 0;
	int	 lrp = 0;

	while (getline(&line, &sz, fp) != -1)
		if (strspn(line, " \t\r\n") != strlen(line)) {
			lrp = (line[0] == 'M' || line[0] == 'V') &&
			    line[1] == ' ';
			break;
		}
	free(line);
	rewind(fp);
	return lrp ? route_sol_read_prodhon(fp, in, s, cause) :
	    route_sol_read_cvrplib(fp, in, s, cause);
}
