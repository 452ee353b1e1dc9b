/*
 * fmt-cvrplib.c -- read CVRPLIB / TSPLIB-95 CVRP files and VRPLIB VRPTW
 * files (.vrp).
 *
 * CVRP: EUC_2D (cost nint(e) per arc, the convention of every CVRPLIB BKS
 * for sets A, B, E, F, M, P, X) and EXPLICIT LOWER_ROW / FULL_MATRIX /
 * UPPER_ROW.  VRPTW (TYPE : VRPTW, e.g. Gehring-Homberger in the VRPLIB
 * layout): EUC_2D with TIME_WINDOW_SECTION, SERVICE_TIME (one for all) or
 * SERVICE_TIME_SECTION and VEHICLES, under the DIMACS convention of the
 * Solomon reader: each arc's distance and time is the Euclidean length
 * truncated to one decimal, kept in tenths, and the objective is
 * distance.  Headers are "KEY : value" with any mix of spaces, TABs and
 * CR; sections hold whitespace-separated numbers that may wrap over
 * lines.  Node 1 of the file must be the depot; it becomes node 0.
 *
 * A TYPE, key or section this reader does not know is refused, never
 * skipped: a VRPTW file read as a CVRP would lose its windows silently.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route.h"

enum cvrplib_sec { SEC_NONE, SEC_COORD, SEC_WEIGHT, SEC_DEMAND, SEC_DEPOT,
	SEC_TW, SEC_SERVICE };

struct cvrplib {
	int		 dim;
	int64_t		 cap;
	int		 explicit_;
	int		 vrptw;		/* TYPE : VRPTW */
	int		 vehicles;	/* VEHICLES, 0: not given */
	double		 service;	/* SERVICE_TIME, for every customer */
	double		*tw;		/* [2 * dim] open, close */
	double		*svc;		/* [dim] SERVICE_TIME_SECTION */
	int		 ntw, nsvc;	/* lines read */
	char		 fmt[32];
	double		*xy;
	int64_t		*dem;
	double		*w;		/* raw explicit weights, in file order */
	size_t		 nw, capw;
	int		 ncoord;	/* coordinate lines read */
};

/*
 * The largest magnitude of a number in a section: coordinates, demands
 * and weights become int64 cost units, and beyond this the conversions
 * (nint of a distance, demands, weights) overflow.
 */
#define CVRPLIB_MAX	1e9

/* Trim spaces, TABs, CR and LF from both ends in place. */
static char *
cvrplib_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Handle one header line; returns the section it opens, or SEC_NONE. */
static int
cvrplib_header(struct cvrplib *f, char *line, char **cause)
{
	char	*key = line, *val, *colon;

	if ((colon = strchr(line, ':')) != NULL) {
		*colon = '\0';
		val = cvrplib_trim(colon + 1);
	} else
		val = "";
	key = cvrplib_trim(key);
	if (strcmp(key, "NODE_COORD_SECTION") == 0)
		return SEC_COORD;
	if (strcmp(key, "EDGE_WEIGHT_SECTION") == 0)
		return SEC_WEIGHT;
	if (strcmp(key, "DEMAND_SECTION") == 0)
		return SEC_DEMAND;
	if (strcmp(key, "DEPOT_SECTION") == 0)
		return SEC_DEPOT;
	if (strcmp(key, "TIME_WINDOW_SECTION") == 0 ||
	    strcmp(key, "SERVICE_TIME_SECTION") == 0) {
		if (!f->vrptw) {
			xasprintf(cause, "%s in a file whose TYPE is not "
			    "VRPTW", key);
			return -1;
		}
		return key[0] == 'T' ? SEC_TW : SEC_SERVICE;
	}
	if (strstr(key, "_SECTION") != NULL) {
		xasprintf(cause, "unsupported section %s", key);
		return -1;
	}
	if (strcmp(key, "NAME") == 0 || strcmp(key, "COMMENT") == 0 ||
	    strcmp(key, "DISPLAY_DATA_TYPE") == 0 ||
	    strcmp(key, "NODE_COORD_TYPE") == 0)
		return SEC_NONE;
	if (strcmp(key, "TYPE") == 0) {
		if (strcmp(val, "VRPTW") == 0 || strcmp(val, "CVRPTW") == 0)
			f->vrptw = 1;
		else if (strcmp(val, "CVRP") != 0) {
			xasprintf(cause, "unsupported TYPE %s (CVRP or VRPTW)",
			    val);
			return -1;
		}
		return SEC_NONE;
	}
	if (strcmp(key, "VEHICLES") == 0) {
		f->vehicles = atoi(val);
		return SEC_NONE;
	}
	if (strcmp(key, "SERVICE_TIME") == 0) {
		f->service = strtod(val, NULL);
		if (!(f->service >= 0 && f->service <= CVRPLIB_MAX)) {
			xasprintf(cause, "bad SERVICE_TIME %s", val);
			return -1;
		}
		return SEC_NONE;
	}
	if (strcmp(key, "DIMENSION") == 0) {
		/* The sections' arrays are sized by the first one. */
		if (f->xy != NULL) {
			xasprintf(cause, "DIMENSION after a section");
			return -1;
		}
		f->dim = atoi(val);
	}
	else if (strcmp(key, "CAPACITY") == 0)
		f->cap = strtoll(val, NULL, 10);
	else if (strcmp(key, "EDGE_WEIGHT_TYPE") == 0) {
		if (strcmp(val, "EXPLICIT") == 0)
			f->explicit_ = 1;
		else if (strcmp(val, "EUC_2D") != 0) {
			xasprintf(cause, "unsupported EDGE_WEIGHT_TYPE %s", val);
			return -1;
		}
	} else if (strcmp(key, "EDGE_WEIGHT_FORMAT") == 0)
		snprintf(f->fmt, sizeof(f->fmt), "%s", val);
	else {
		/* DISTANCE (a route length limit), CAPACITY_VOL, ...: a
		 * constraint this reader would drop. */
		xasprintf(cause, "unsupported key %s", key);
		return -1;
	}
	return SEC_NONE;
}

/* Numbers of one section line. */
static int
cvrplib_numbers(struct cvrplib *f, int sec, char *line, char **cause)
{
	double	 v[3];
	int	 k = 0, id;

	char	*p = line, *end;

	for (;;) {
		double d = strtod(p, &end);
		if (end == p)
			break;
		p = end;
		if (!(fabs(d) <= CVRPLIB_MAX)) {
			xasprintf(cause, "a number beyond %g", CVRPLIB_MAX);
			return -1;
		}
		/* The searches assume no arc pays for being driven. */
		if (sec == SEC_WEIGHT && d < 0) {
			xasprintf(cause, "a negative edge weight");
			return -1;
		}
		if (sec == SEC_WEIGHT) {
			f->w = xgrowarray(f->w, &f->capw, f->nw,
			    sizeof(double));
			f->w[f->nw++] = d;
		} else if (k < 3)
			v[k++] = d;
	}
	if (sec == SEC_WEIGHT || sec == SEC_DEPOT || k == 0)
		return 0;
	id = (int)v[0];
	if (id < 1 || id > f->dim) {
		xasprintf(cause, "node id %d out of range 1..%d", id, f->dim);
		return -1;
	}
	if (sec == SEC_COORD && k >= 3) {
		f->xy[2 * (id - 1)] = v[1];
		f->xy[2 * (id - 1) + 1] = v[2];
		f->ncoord++;
	} else if (sec == SEC_DEMAND && k >= 2)
		f->dem[id - 1] = (int64_t)v[1];
	else if (sec == SEC_TW && k >= 3) {
		if (v[1] < 0 || v[2] < v[1]) {
			xasprintf(cause, "node %d: time window %g-%g", id,
			    v[1], v[2]);
			return -1;
		}
		f->tw[2 * (id - 1)] = v[1];
		f->tw[2 * (id - 1) + 1] = v[2];
		f->ntw++;
	} else if (sec == SEC_SERVICE && k >= 2) {
		if (v[1] < 0) {
			xasprintf(cause, "node %d: negative service time", id);
			return -1;
		}
		f->svc[id - 1] = v[1];
		f->nsvc++;
	}
	return 0;
}

/* Explicit weights into in->dist. */
static int
cvrplib_explicit(struct cvrplib *f, struct route_inst *in, char **cause)
{
	size_t	k = 0, need;
	int	i, j, n = f->dim;
	int	lower = strcmp(f->fmt, "LOWER_ROW") == 0;
	int	upper = strcmp(f->fmt, "UPPER_ROW") == 0;
	int	full = strcmp(f->fmt, "FULL_MATRIX") == 0;

	need = full ? (size_t)n * n : (size_t)n * (n - 1) / 2;
	if (!lower && !upper && !full) {
		xasprintf(cause, "unsupported EDGE_WEIGHT_FORMAT %s", f->fmt);
		return -1;
	}
	if (f->nw < need) {
		xasprintf(cause, "EDGE_WEIGHT_SECTION has %zu values, want %zu",
		    f->nw, need);
		return -1;
	}
	in->dist = xcalloc((size_t)n * n, sizeof(int64_t));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			if (full)
				in->dist[(size_t)i * n + j] = (int64_t)f->w[k++];
			else if ((lower && j < i) || (upper && j > i)) {
				in->dist[(size_t)i * n + j] = (int64_t)f->w[k];
				in->dist[(size_t)j * n + i] = (int64_t)f->w[k++];
			}
		}
	return 0;
}

/* Read a .vrp file; returns a single-depot CVRP instance or NULL + cause. */
struct route_inst *
fmt_cvrplib_read(FILE *fp, char **cause)
{
	struct cvrplib		 f;
	struct route_inst	*in = NULL;
	char			*line = NULL, *t;
	size_t			 sz = 0;
	int			 sec = SEC_NONE, r, i;

	memset(&f, 0, sizeof(f));
	while (getline(&line, &sz, fp) != -1) {
		t = cvrplib_trim(line);
		if (*t == '\0')
			continue;
		if (isalpha((unsigned char)*t)) {
			if (strcmp(t, "EOF") == 0)
				break;
			if ((r = cvrplib_header(&f, t, cause)) < 0)
				goto fail;
			sec = r;
			if (r != SEC_NONE && f.xy == NULL) {
				if (f.dim < 2 || f.dim > 100000) {
					xasprintf(cause, "bad DIMENSION %d",
					    f.dim);
					goto fail;
				}
				f.xy = xcalloc(2 * f.dim, sizeof(double));
				f.dem = xcalloc(f.dim, sizeof(int64_t));
				f.tw = xcalloc(2 * f.dim, sizeof(double));
				f.svc = xcalloc(f.dim, sizeof(double));
			}
			continue;
		}
		if (sec != SEC_NONE && cvrplib_numbers(&f, sec, t, cause) < 0)
			goto fail;
	}
	if (f.xy == NULL || f.cap <= 0) {
		xasprintf(cause, "missing DIMENSION, CAPACITY or sections");
		goto fail;
	}
	/*
	 * Every node needs its place before the n x n matrix is made: a
	 * DIMENSION the file does not back would allocate for nothing.
	 */
	if (!f.explicit_ && f.ncoord < f.dim) {
		xasprintf(cause, "NODE_COORD_SECTION has %d of %d nodes",
		    f.ncoord, f.dim);
		goto fail;
	}
	if (f.vrptw && (f.explicit_ || f.ntw < f.dim)) {
		xasprintf(cause, f.explicit_ ? "VRPTW with explicit weights "
		    "is not supported" : "TIME_WINDOW_SECTION has %d of %d "
		    "nodes", f.ntw, f.dim);
		goto fail;
	}
	in = route_inst_new(1, f.dim - 1);
	in->kind = f.vrptw ? ROUTE_VRPTW : ROUTE_CVRP;
	in->conv = f.explicit_ ? ROUTE_CONV_EXPLICIT : f.vrptw ?
	    ROUTE_CONV_TENTH : ROUTE_CONV_NINT;
	in->vtype[0].cap[0] = f.cap;
	if (f.vrptw) {
		in->unit = 10.0;
		in->has_tw = 1;
		if (f.vehicles > 0) {
			in->maxveh = f.vehicles;
			in->vtype[0].count = f.vehicles;
		}
	}
	for (i = 0; i < f.dim; i++) {
		in->node[i].x = f.xy[2 * i];
		in->node[i].y = f.xy[2 * i + 1];
		in->node[i].demand[0] = f.dem[i];
		if (!f.vrptw)
			continue;
		/* Tenths, as the Solomon reader keeps them. */
		in->node[i].ntw = 1;
		in->node[i].tw_open[0] = (int64_t)(f.tw[2 * i] * 10 + 0.5);
		in->node[i].tw_close[0] = (int64_t)(f.tw[2 * i + 1] * 10 + 0.5);
		in->node[i].service = (int64_t)((i == 0 ? 0 : f.nsvc > 0 ?
		    f.svc[i] : f.service) * 10 + 0.5);
	}
	if (f.explicit_) {
		if (cvrplib_explicit(&f, in, cause) < 0)
			goto fail;
	} else
		route_inst_matrix(in);
	goto done;
fail:
	route_inst_free(in);
	in = NULL;
done:
	free(line);
	free(f.xy);
	free(f.dem);
	free(f.w);
	free(f.tw);
	free(f.svc);
	return in;
}
