/*
 * metrics.c -- what the daemon counts for Prometheus (GET /metrics in
 * api-status.c): the requests answered, by route, method and status.
 * Everything here runs on the event loop's thread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define METRICS_BUCKETS	256

struct metrics_cell {
	struct metrics_cell	*next;
	int			 route;		/* in srv->routes, -1: none */
	int			 method;	/* HTTP_M_* */
	int			 status;
	unsigned long long	 n;
};

struct metrics {
	struct metrics_cell	*bucket[METRICS_BUCKETS];
};

/* One more reply of status to a request for route (-1: no route). */
void
metrics_count(struct server *srv, int route, int method, int status)
{
	struct metrics		*m;
	struct metrics_cell	*c;
	unsigned		 h;

	if ((m = srv->metrics) == NULL)
		m = srv->metrics = xcalloc(1, sizeof(*m));
	h = ((unsigned)(route + 1) * 31u + (unsigned)method * 7u +
	    (unsigned)status) % METRICS_BUCKETS;
	for (c = m->bucket[h]; c != NULL; c = c->next)
		if (c->route == route && c->method == method &&
		    c->status == status)
			break;
	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		c->route = route;
		c->method = method;
		c->status = status;
		c->next = m->bucket[h];
		m->bucket[h] = c;
	}
	c->n++;
}

/*
 * Call fn for each counter: the route's pattern ("other" for none), the
 * method's name, the status and the count.
 */
void
metrics_each(const struct server *srv, void (*fn)(void *, const char *,
    const char *, int, unsigned long long), void *arg)
{
	const struct metrics		*m = srv->metrics;
	const struct metrics_cell	*c;
	size_t				 i;

	if (m == NULL)
		return;
	for (i = 0; i < METRICS_BUCKETS; i++)
		for (c = m->bucket[i]; c != NULL; c = c->next)
			fn(arg, c->route >= 0 && (size_t)c->route <
			    srv->nroutes ? srv->routes[c->route].pattern :
			    "other", http_method_name(c->method), c->status,
			    c->n);
}

void
metrics_free(struct server *srv)
{
	struct metrics		*m = srv->metrics;
	struct metrics_cell	*c;
	size_t			 i;

	if (m == NULL)
		return;
	for (i = 0; i < METRICS_BUCKETS; i++)
		while ((c = m->bucket[i]) != NULL) {
			m->bucket[i] = c->next;
			free(c);
		}
	free(m);
	srv->metrics = NULL;
}
