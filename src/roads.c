/*
 * roads.c -- distances and times on the road network for a plan: the
 * planner's worker asks a road router (recircd.conf: router osrm URL)
 * for the legs between the plan's places, the cache first.
 *
 * The places are made unique, the cache (store_road_from) fills what it
 * knows, and the rest is asked for in blocks of router_max_table sources
 * by as many destinations, several at once (hc_run, libcurl multi), a
 * block only when one of its legs is missing.  A 429, a 5xx or no answer
 * is tried again three times, 0.5, 1 and 2 s later; an answer OSRM gives
 * as an error ("TooBig", "InvalidQuery") or that osrm.c cannot read is
 * not.  When the router cannot give every leg, router_fallback decides:
 * straight lines ("haversine", the KPIs say why) or a failed plan ("no").
 * Runs on the planner's worker thread, never on the event loop; what it
 * fetched goes back to the cache in the plan's problem write.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recircd.h"

#define ROADS_TRIES	4
#define ROADS_PARALLEL	4
#define ROADS_REPLY_MAX	(64u << 20)	/* bytes of one table reply */

/* Process-wide counters for /v1/status and /metrics. */
static long long roads_hits, roads_misses, roads_requests, roads_failures;

void
roads_counts(long long *hits, long long *misses, long long *requests,
    long long *failures)
{
	*hits = __atomic_load_n(&roads_hits, __ATOMIC_RELAXED);
	*misses = __atomic_load_n(&roads_misses, __ATOMIC_RELAXED);
	*requests = __atomic_load_n(&roads_requests, __ATOMIC_RELAXED);
	*failures = __atomic_load_n(&roads_failures, __ATOMIC_RELAXED);
}

static void
roads_add(long long *counter, long long n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

/* The router's base URL, or NULL for straight lines. */
const char *
roads_url(const struct conf *cf)
{
	if (cf->router == NULL || strncmp(cf->router, "osrm ", 5) != 0)
		return NULL;
	return cf->router + 5 + strspn(cf->router + 5, " \t");
}

/*
 * The router's settings, copied from the configuration: a plan fetches
 * its legs after the configuration may have been reloaded and freed.
 */
void
roads_conf_from(struct roads_conf *rc, const struct conf *cf)
{
	memset(rc, 0, sizeof(*rc));
	rc->url = roads_url(cf) ? xstrdup(roads_url(cf)) : NULL;
	snprintf(rc->profile, sizeof(rc->profile), "%s", cf->router_profile);
	rc->max_table = cf->router_max_table;
	rc->timeout = cf->router_timeout;
	rc->max_points = cf->router_max_points;
	rc->cache_max = cf->router_cache_max;
	rc->fallback_no = cf->router_fallback != NULL &&
	    strcmp(cf->router_fallback, "no") == 0;
}

void
roads_conf_clear(struct roads_conf *rc)
{
	x_free(rc->url);
	rc->url = NULL;
}

/* A block of the table to ask for: sources [s0, s1), destinations. */
struct roads_block {
	size_t	 s0, s1, d0, d1;
	char	*url;
	int	 done;
};

struct roads_ctx {
	const struct roads_conf	*cf;
	struct matrix_table	*t;
	size_t			*u;		/* unique places: table rows */
	size_t			 nu;
	int64_t			*key;		/* cache key of each place */
	unsigned char		*known;		/* nu * nu */
	struct road_leg		*fresh;
	size_t			 nfresh, capfresh;
	char			 why[256];
};

struct roads_key {
	int64_t	 key;
	size_t	 i;
};

static int
roads_key_cmp(const void *a, const void *b)
{
	const struct roads_key	*x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Fill the table from the cache; the number of legs it knew, or -1. */
static long long
roads_cached(struct roads_ctx *c, struct store *st, char **cause)
{
	struct roads_key	*keys, probe, *hit;
	struct road_leg		*legs;
	size_t			 i, k, n, v;
	long long		 hits = 0;

	keys = xcalloc(c->nu ? c->nu : 1, sizeof(*keys));
	for (i = 0; i < c->nu; i++) {
		keys[i].key = c->key[i];
		keys[i].i = i;
	}
	qsort(keys, c->nu, sizeof(*keys), roads_key_cmp);
	for (i = 0; i < c->nu; i++) {
		if (store_road_from(st, c->cf->profile, c->key[i], &legs, &n,
		    cause) != STORE_OK) {
			x_free(keys);
			return -1;
		}
		for (k = 0; k < n; k++) {
			probe.key = legs[k].b;
			if ((hit = bsearch(&probe, keys, c->nu, sizeof(*keys),
			    roads_key_cmp)) == NULL || (v = hit->i) == i ||
			    c->known[i * c->nu + v])
				continue;
			if (!isnan(legs[k].km) && !isnan(legs[k].min))
				matrix_table_set(c->t, c->u[i], c->u[v],
				    legs[k].km, legs[k].min);
			c->known[i * c->nu + v] = 1;
			hits++;
		}
		x_free(legs);
	}
	x_free(keys);
	return hits;
}

/* 1 when a leg of the block is neither cached nor fetched. */
static int
roads_missing(const struct roads_ctx *c, const struct roads_block *b)
{
	size_t	i, j;

	for (i = b->s0; i < b->s1; i++)
		for (j = b->d0; j < b->d1; j++)
			if (i != j && !c->known[i * c->nu + j])
				return 1;
	return 0;
}

/* Keep the legs of an answered block in the table and for the cache. */
static void
roads_take(struct roads_ctx *c, const struct roads_block *b,
    const double *km, const double *min)
{
	size_t	i, j, nd = b->d1 - b->d0;

	for (i = b->s0; i < b->s1; i++)
		for (j = b->d0; j < b->d1; j++) {
			if (i == j || c->known[i * c->nu + j])
				continue;
			c->known[i * c->nu + j] = 1;
			matrix_table_set(c->t, c->u[i], c->u[j],
			    km[(i - b->s0) * nd + (j - b->d0)],
			    min[(i - b->s0) * nd + (j - b->d0)]);
			c->fresh = xgrowarray(c->fresh, &c->capfresh,
			    c->nfresh, sizeof(*c->fresh));
			c->fresh[c->nfresh].a = c->key[i];
			c->fresh[c->nfresh].b = c->key[j];
			c->fresh[c->nfresh].km = km[(i - b->s0) * nd +
			    (j - b->d0)];
			c->fresh[c->nfresh].min = min[(i - b->s0) * nd +
			    (j - b->d0)];
			c->nfresh++;
		}
}

/*
 * Ask for the blocks still to do, with retries; 0 when every one was
 * answered, -1 with c->why.
 */
static int
roads_fetch(struct roads_ctx *c, struct roads_block *blk, size_t nblk,
    const int *stop)
{
	struct hc_request	*rq;
	size_t			*which, n, i;
	double			*km, *min;
	const char		*why;
	char			 msg[128];
	int			 try, fatal = 0;
	struct timespec		 ts;

	rq = xcalloc(nblk ? nblk : 1, sizeof(*rq));
	which = xcalloc(nblk ? nblk : 1, sizeof(*which));
	for (try = 0; try < ROADS_TRIES && !fatal; try++) {
		if (try > 0) {
			ts.tv_sec = (250 << try) / 1000;
			ts.tv_nsec = ((250L << try) % 1000) * 1000000L;
			nanosleep(&ts, NULL);
		}
		memset(rq, 0, nblk * sizeof(*rq));
		for (i = n = 0; i < nblk; i++)
			if (!blk[i].done) {
				rq[n].url = blk[i].url;
				rq[n].max_response = ROADS_REPLY_MAX;
				which[n++] = i;
			}
		if (n == 0)
			break;
		roads_add(&roads_requests, (long long)n);
		hc_run(rq, n, 5000, c->cf->timeout * 1000,
		    ROADS_PARALLEL, stop);
		for (i = 0; i < n; i++) {
			struct roads_block *b = &blk[which[i]];
			size_t	cells = (b->s1 - b->s0) * (b->d1 - b->d0);

			if (rq[i].status == 0 || rq[i].status == 429 ||
			    rq[i].status >= 500) {
				if (rq[i].status == 0)
					snprintf(c->why, sizeof(c->why),
					    "router unreachable: %s",
					    rq[i].error);
				else
					snprintf(c->why, sizeof(c->why),
					    "router unreachable: HTTP %ld",
					    rq[i].status);
				x_free(rq[i].response);
				continue;	/* tried again */
			}
			km = xcalloc(cells, sizeof(double));
			min = xcalloc(cells, sizeof(double));
			if (osrm_table_parse(rq[i].response ? rq[i].response :
			    "", rq[i].response_len, b->s1 - b->s0,
			    b->d1 - b->d0, km, min, &why, msg) == -1) {
				snprintf(c->why, sizeof(c->why), "router "
				    "error (HTTP %ld): %s", rq[i].status, why);
				fatal = 1;
			} else {
				roads_take(c, b, km, min);
				b->done = 1;
			}
			x_free(km);
			x_free(min);
			x_free(rq[i].response);
		}
	}
	for (i = n = 0; i < nblk; i++)
		n += !blk[i].done;
	x_free(rq);
	x_free(which);
	return n == 0 ? 0 : -1;
}

/*
 * The road legs between the n places (lat, lon) under cf's router, into
 * r: r->table (NULL: straight lines), r->fresh (legs fetched, for the
 * cache), r->note (for the KPIs' "distances").  -1 with r->note the
 * reason when the router could not give them and router_fallback is
 * "no"; 0 otherwise.
 */
int
roads_prepare(const struct roads_conf *cf, struct store *st, const double *lat,
    const double *lon, size_t n, const int *stop, struct roads_result *r)
{
	struct roads_ctx	 c;
	struct roads_block	*blk = NULL;
	const char		*base = cf->url;
	size_t			 nblk = 0, capblk = 0, i, j, B, *pts;
	long long		 hits, want;
	double			*ulat = NULL, *ulon = NULL;
	char			*cause = NULL;
	int			 rc = 0;

	memset(r, 0, sizeof(*r));
	if (base == NULL) {
		r->note = xstrdup("haversine");
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.cf = cf;
	c.t = matrix_table_new(n, lat, lon);
	c.u = xcalloc(n ? n : 1, sizeof(*c.u));
	for (i = 0; i < n; i++)
		if ((size_t)matrix_table_find(c.t, lat[i], lon[i]) == i)
			c.u[c.nu++] = i;
	if ((long long)c.nu > cf->max_points) {
		snprintf(c.why, sizeof(c.why), "%zu places, more than "
		    "router_max_points (%lld)", c.nu, cf->max_points);
		goto failed;
	}
	c.known = xcalloc(c.nu > 0 ? c.nu * c.nu : 1, 1);
	/* The places of the table's rows: for the cache, the URLs. */
	ulat = xcalloc(c.nu ? c.nu : 1, sizeof(double));
	ulon = xcalloc(c.nu ? c.nu : 1, sizeof(double));
	c.key = xcalloc(c.nu ? c.nu : 1, sizeof(*c.key));
	for (i = 0; i < c.nu; i++) {
		matrix_table_point(c.t, c.u[i], &ulat[i], &ulon[i]);
		c.key[i] = matrix_place_key(ulat[i], ulon[i]);
	}
	if ((hits = roads_cached(&c, st, &cause)) < 0) {
		snprintf(c.why, sizeof(c.why), "road cache: %s", cause);
		x_free(cause);
		goto failed;
	}
	want = (long long)c.nu * ((long long)c.nu - 1);
	roads_add(&roads_hits, hits);
	roads_add(&roads_misses, want - hits);
	pts = xcalloc(c.nu ? c.nu : 1, sizeof(size_t));
	for (i = 0; i < c.nu; i++)
		pts[i] = i;
	B = (size_t)cf->max_table;
	for (i = 0; i < c.nu; i += B)
		for (j = 0; j < c.nu; j += B) {
			struct roads_block b = { i, i + B < c.nu ? i + B : c.nu,
			    j, j + B < c.nu ? j + B : c.nu, NULL, 0 };

			if (!roads_missing(&c, &b))
				continue;
			b.url = osrm_table_url(base, cf->profile, ulat,
			    ulon, pts + b.s0, b.s1 - b.s0, pts + b.d0,
			    b.d1 - b.d0);
			blk = xgrowarray(blk, &capblk, nblk,
			    sizeof(*blk));
			blk[nblk++] = b;
		}
	x_free(pts);
	if (roads_fetch(&c, blk, nblk, stop) == -1)
		goto failed;
	xasprintf(&r->note, "road (osrm %s: %lld legs, %lld from the cache)",
	    cf->profile, want, hits);
	r->table = c.t;
	c.t = NULL;
	goto out;
failed:
	roads_add(&roads_failures, 1);
	if (cf->fallback_no) {
		r->note = xstrdup(c.why);
		rc = -1;
	} else
		xasprintf(&r->note, "haversine (%s)", c.why);
out:
	/* Even a failed plan keeps what was fetched. */
	r->fresh = c.fresh;
	r->nfresh = c.nfresh;
	for (i = 0; i < nblk; i++)
		x_free(blk[i].url);
	x_free(blk);
	x_free(ulat);
	x_free(ulon);
	x_free(c.key);
	x_free(c.u);
	x_free(c.known);
	matrix_table_free(c.t);
	return rc;
}

void
roads_result_clear(struct roads_result *r)
{
	matrix_table_free(r->table);
	x_free(r->fresh);
	x_free(r->note);
	memset(r, 0, sizeof(*r));
}

/*
 * The router's paths along k routes (route i through its n[i] places
 * lat[i], lon[i] in order) into geometry[i]: an encoded polyline the
 * caller frees, or NULL where the router gave none (the map then draws
 * straight segments).  One request a route, several at once; a 429, a
 * 5xx or no answer is tried once more.
 */
void
roads_paths(const char *base, const char *profile, long long timeout,
    double *const *lat, double *const *lon, const size_t *n, size_t k,
    char **geometry, const int *stop)
{
	struct hc_request	*rq = xcalloc(k ? k : 1, sizeof(*rq));
	char			**url = xcalloc(k ? k : 1, sizeof(*url));
	size_t			*which = xcalloc(k ? k : 1, sizeof(*which));
	const char		*why;
	size_t			 i, m;
	int			 try;

	for (i = 0; i < k; i++) {
		geometry[i] = NULL;
		url[i] = osrm_route_url(base, profile, lat[i], lon[i], n[i]);
	}
	for (try = 0; try < 2; try++) {
		memset(rq, 0, k * sizeof(*rq));
		for (i = m = 0; i < k; i++)
			if (geometry[i] == NULL && url[i] != NULL) {
				rq[m].url = url[i];
				rq[m].max_response = ROADS_REPLY_MAX;
				which[m++] = i;
			}
		if (m == 0)
			break;
		roads_add(&roads_requests, (long long)m);
		hc_run(rq, m, 5000, timeout * 1000, ROADS_PARALLEL, stop);
		for (i = 0; i < m; i++) {
			if (rq[i].status == 200 && (geometry[which[i]] =
			    osrm_route_parse(rq[i].response ? rq[i].response :
			    "", rq[i].response_len, &why)) == NULL) {
				log_warnx("road router: route %zu: %s; drawn "
				    "straight", which[i], why);
				x_free(url[which[i]]);	/* not asked again */
				url[which[i]] = NULL;
			} else if (rq[i].status != 200 && rq[i].status != 0 &&
			    rq[i].status != 429 && rq[i].status < 500) {
				log_warnx("road router: route %zu: HTTP %ld; "
				    "drawn straight", which[i], rq[i].status);
				x_free(url[which[i]]);
				url[which[i]] = NULL;
			}
			x_free(rq[i].response);
		}
	}
	for (i = 0; i < k; i++)
		x_free(url[i]);
	x_free(url);
	x_free(rq);
	x_free(which);
}
