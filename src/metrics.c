/*
 * metrics.c -- what the daemon counts for Prometheus (GET /metrics in
 * api-status.c): the requests answered, by route, method and status, and
 * how long they took; the plans run, by outcome, and how long they took.
 * Those run on the event loop's thread.  The histogram type is pure and
 * shared: the group commit keeps its own (batch sizes, sync times) under
 * its lock.
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

/* Seconds: a reply, a plan. */
static const double metrics_latency_bounds[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10
};
static const double metrics_plan_bounds[] = {
	1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600
};

struct metrics {
	struct metrics_cell	*bucket[METRICS_BUCKETS];
	struct metrics_hist	 latency;
	struct metrics_hist	 plan_seconds;
	unsigned long long	 plans_done, plans_failed;
};

/* An empty histogram over the upper bounds b[0..n) (and +Inf). */
void
metrics_hist_init(struct metrics_hist *h, const double *b, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->bounds = b;
	h->nbounds = n < METRICS_HIST_MAX ? n : METRICS_HIST_MAX;
}

void
metrics_hist_observe(struct metrics_hist *h, double v)
{
	size_t	i;

	for (i = 0; i < h->nbounds && v > h->bounds[i]; i++)
		;
	h->count[i]++;
	h->n++;
	h->sum += v;
}

/*
 * Append h as name's _bucket (cumulative, le="..."), _sum and _count
 * lines to *t; HELP and TYPE are the caller's.
 */
void
metrics_hist_write(char **t, const char *name, const struct metrics_hist *h)
{
	unsigned long long	cum = 0;
	size_t			i;

	for (i = 0; i < h->nbounds; i++) {
		cum += h->count[i];
		xappendf(t, "%s_bucket{le=\"%g\"} %llu\n", name, h->bounds[i],
		    cum);
	}
	cum += h->count[h->nbounds];
	xappendf(t, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n"
	    "%s_count %llu\n", name, cum, name, h->sum, name, h->n);
}

static struct metrics *
metrics_of(struct server *srv)
{
	struct metrics	*m;

	if ((m = srv->metrics) == NULL) {
		m = srv->metrics = xcalloc(1, sizeof(*m));
		metrics_hist_init(&m->latency, metrics_latency_bounds,
		    sizeof(metrics_latency_bounds) / sizeof(double));
		metrics_hist_init(&m->plan_seconds, metrics_plan_bounds,
		    sizeof(metrics_plan_bounds) / sizeof(double));
	}
	return m;
}

/* A reply took seconds, from its request's arrival. */
void
metrics_latency(struct server *srv, double seconds)
{
	metrics_hist_observe(&metrics_of(srv)->latency, seconds);
}

/* A plan ended, done or failed, seconds after it was queued. */
void
metrics_plan(struct server *srv, int done, double seconds)
{
	struct metrics	*m = metrics_of(srv);

	if (done)
		m->plans_done++;
	else
		m->plans_failed++;
	metrics_hist_observe(&m->plan_seconds, seconds);
}

/* The histograms and plan counters, for api-status.c. */
void
metrics_get(struct server *srv, const struct metrics_hist **latency,
    const struct metrics_hist **plan_seconds, unsigned long long *done,
    unsigned long long *failed)
{
	struct metrics	*m = metrics_of(srv);

	*latency = &m->latency;
	*plan_seconds = &m->plan_seconds;
	*done = m->plans_done;
	*failed = m->plans_failed;
}

/* One more reply of status to a request for route (-1: no route). */
void
metrics_count(struct server *srv, int route, int method, int status)
{
	struct metrics		*m;
	struct metrics_cell	*c;
	unsigned		 h;

	m = metrics_of(srv);
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
