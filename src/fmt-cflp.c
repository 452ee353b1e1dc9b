/*
 * fmt-cflp.c -- read Beasley's OR-Library capacitated facility location
 * files (cap41..cap134, capa/capb/capc).
 *
 *	m n
 *	s_j f_j			m lines: capacity (or the word "capacity"), fixed
 *	d_i c_i1 ... c_im	n times: demand, then the cost of serving ALL of
 *				d_i from each centre (free layout)
 *
 * The result is a solve_problem with one class ("demand") and one stream
 * ("capacity"), multi-source unless the caller sets single_source.  Pure:
 * parses a buffer, no I/O.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "solve.h"

struct cflp_lex {
	const char	*p, *end;
	size_t		 tok;	/* tokens read, for messages */
};

/* Next token into buf; returns 0, or -1 at the end of input. */
static int
cflp_token(struct cflp_lex *lx, char *buf, size_t len)
{
	size_t	n = 0;

	while (lx->p < lx->end && isspace((unsigned char)*lx->p))
		lx->p++;
	if (lx->p == lx->end)
		return -1;
	while (lx->p < lx->end && !isspace((unsigned char)*lx->p)) {
		if (n + 1 < len)
			buf[n++] = *lx->p;
		lx->p++;
	}
	buf[n] = '\0';
	lx->tok++;
	return 0;
}

/* Next token as a number; "capacity" gives NAN.  -1 on error. */
static int
cflp_number(struct cflp_lex *lx, double *v, const char *what, char **cause)
{
	char	 buf[64], *ep;

	if (cflp_token(lx, buf, sizeof(buf)) == -1) {
		xasprintf(cause, "cflp: unexpected end of file reading %s",
		    what);
		return -1;
	}
	if (strcmp(buf, "capacity") == 0) {
		*v = NAN;
		return 0;
	}
	errno = 0;
	*v = strtod(buf, &ep);
	if (*ep != '\0' || errno != 0 || !isfinite(*v)) {
		xasprintf(cause, "cflp: token %zu: \"%s\" is not a number (%s)",
		    lx->tok, buf, what);
		return -1;
	}
	return 0;
}

/* Does buf look like a cflp file: "m n" then a capacity and a cost? */
int
cflp_detect(const char *buf, size_t len)
{
	struct cflp_lex	 lx = { buf, buf + len, 0 };
	double		 v[4];
	char		*cause = NULL;
	int		 i;

	for (i = 0; i < 4; i++) {
		if (cflp_number(&lx, &v[i], "", &cause) == -1) {
			free(cause);
			return 0;
		}
		if (isnan(v[i]) && i != 2)
			return 0;
	}
	return v[0] >= 1 && v[1] >= 1 && v[0] == floor(v[0]) &&
	    v[1] == floor(v[1]);
}

static int
cflp_read_centres(struct cflp_lex *lx, struct solve_problem *p,
    double capacity, char **cause)
{
	size_t	j;
	double	s;

	for (j = 0; j < p->m; j++) {
		if (cflp_number(lx, &s, "capacity", cause) == -1 ||
		    cflp_number(lx, &p->fixed[j], "fixed cost", cause) == -1)
			return -1;
		if (capacity > 0)
			s = capacity;
		if (isnan(s)) {
			xasprintf(cause, "cflp: the file gives no capacity "
			    "(the word \"capacity\"): use --capacity N");
			return -1;
		}
		if (s < 0 || isnan(p->fixed[j])) {
			xasprintf(cause, "cflp: centre %zu: bad capacity or "
			    "fixed cost", j + 1);
			return -1;
		}
		p->cap[j] = s;
		p->outbound[j] = 0.0;
		xasprintf(&p->centre_id[j], "%zu", j + 1);
	}
	return 0;
}

static int
cflp_read_customers(struct cflp_lex *lx, struct solve_problem *p,
    char **cause)
{
	size_t	i, j;

	for (i = 0; i < p->n; i++) {
		if (cflp_number(lx, &p->amount[i], "demand", cause) == -1)
			return -1;
		if (isnan(p->amount[i]) || p->amount[i] < 0) {
			xasprintf(cause, "cflp: customer %zu: bad demand",
			    i + 1);
			return -1;
		}
		for (j = 0; j < p->m; j++)
			if (cflp_number(lx, &p->cost[i * p->m + j], "cost",
			    cause) == -1)
				return -1;
		xasprintf(&p->pickup_id[i], "%zu", i + 1);
	}
	return 0;
}

/*
 * Parse buf; capacity > 0 replaces every centre's capacity (capa/b/c give
 * the word "capacity").  Returns a new problem, or NULL with *cause set.
 */
struct solve_problem *
cflp_read(const char *buf, size_t len, double capacity, char **cause)
{
	struct cflp_lex		 lx = { buf, buf + len, 0 };
	struct solve_problem	*p;
	double			 m, n;
	char			 tail[8];

	if (cflp_number(&lx, &m, "m", cause) == -1 ||
	    cflp_number(&lx, &n, "n", cause) == -1)
		return NULL;
	if (!(m >= 1 && n >= 1 && m <= 100000 && n <= 1000000 &&
	    m == floor(m) && n == floor(n) && m * n <= 5e7)) {
		xasprintf(cause, "cflp: bad sizes %g x %g", m, n);
		return NULL;
	}
	p = solve_problem_new((size_t)m, (size_t)n, 1, 1);
	p->cflp = 1;
	p->class_id[0] = xstrdup("demand");
	p->stream_id[0] = xstrdup("capacity");
	p->value[0] = 0.0;
	if (cflp_read_centres(&lx, p, capacity, cause) == -1 ||
	    cflp_read_customers(&lx, p, cause) == -1)
		goto fail;
	if (cflp_token(&lx, tail, sizeof(tail)) == 0) {
		xasprintf(cause, "cflp: trailing data after customer %zu",
		    p->n);
		goto fail;
	}
	return p;
fail:
	solve_problem_free(p);
	return NULL;
}
