/*
 * osrm-stub.c -- a stand-in road router for the tests and benchmarks: it
 * answers the OSRM HTTP API's `table` and `route` services (v1, JSON, as
 * osrm-routed documents them) from a small road graph the test defines,
 * on 127.0.0.1 only.
 *
 *   osrm-stub -g graph.json [-p port] [-m max_table] [-l log] [-f faults]
 *             [-d delay_ms] [-P pairs]
 *
 * graph.json is {"nodes": [[lat, lon], ...], "edges": [[a, b, kmh,
 * oneway], ...]} (node indices from 0; oneway 1 allows a -> b only), or
 * {"grid": {"lat", "lon", "rows", "cols", "step_m", "kmh"}} for a
 * two-way street grid.  A query point is snapped to the nearest node;
 * times and lengths are those of the fastest path between snapped nodes
 * (haversine length of each edge at its speed), null when there is none.
 *
 * -m: like osrm-routed's --max-table-size, a table of more than m x m
 * sources x destinations is refused with "TooBig".  -f: a comma list of
 * what to do with successive table requests, one item each, then "ok":
 * ok, 429, 500, timeout (no answer for 60 s), invalid ("InvalidQuery"),
 * garbage (not JSON), nulls (every off-diagonal entry null).  -d: answer
 * every request that many milliseconds late (requests overlap meanwhile).
 * -P: one line per source and destination pair of every table answered,
 * "LAT,LON LAT,LON" as asked (5 decimals), to check a client's chunking.
 * -l: one line per request: "table SOURCES DESTINATIONS S;S;..
 * D;D;.." (indices into the request's coordinates) or "route N", and at
 * exit "max_inflight N".  With -p 0 the port chosen is printed on stdout.
 *
 * A test tool: it never listens beyond loopback, and stops on SIGTERM.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include "json.h"

#define STUB_MAX_COORDS	10000

struct edge {
	int	 to;
	double	 m, s;		/* length, seconds */
};

struct graph {
	int		 n;
	double		*lat, *lon;
	struct edge	**adj;
	int		*nadj, *cadj;
	/* fastest-path trees, computed once per source node */
	double		**dist_m, **dist_s;
	int		**prev;
};

struct pending {
	struct evhttp_request	*req;
	int			 status;
	char			*body;
	struct event		*ev;
};

static struct graph	 G;
static int		 max_table = 100;
static FILE		*reqlog, *pairlog;
static char		**faults;
static int		 nfaults, fault_next;
static int		 delay_ms;
static int		 inflight, max_inflight;
static struct event_base *base;

static double
hav_m(double la1, double lo1, double la2, double lo2)
{
	double	r = M_PI / 180, a;

	a = sin((la2 - la1) * r / 2) * sin((la2 - la1) * r / 2) +
	    cos(la1 * r) * cos(la2 * r) *
	    sin((lo2 - lo1) * r / 2) * sin((lo2 - lo1) * r / 2);
	return 2 * 6371000.0 * atan2(sqrt(a), sqrt(1 - a));
}

static void *
xalloc(size_t n)
{
	void	*p = calloc(1, n ? n : 1);

	if (p == NULL) {
		perror("osrm-stub");
		exit(1);
	}
	return p;
}

static void
graph_edge(int a, int b, double kmh)
{
	double	m = hav_m(G.lat[a], G.lon[a], G.lat[b], G.lon[b]);

	if (G.nadj[a] == G.cadj[a]) {
		G.cadj[a] = G.cadj[a] ? 2 * G.cadj[a] : 4;
		G.adj[a] = realloc(G.adj[a], G.cadj[a] * sizeof(struct edge));
		if (G.adj[a] == NULL)
			exit(1);
	}
	G.adj[a][G.nadj[a]].to = b;
	G.adj[a][G.nadj[a]].m = m;
	G.adj[a][G.nadj[a]].s = m / (kmh / 3.6);
	G.nadj[a]++;
}

static void
graph_alloc(int n)
{
	G.n = n;
	G.lat = xalloc(n * sizeof(double));
	G.lon = xalloc(n * sizeof(double));
	G.adj = xalloc(n * sizeof(*G.adj));
	G.nadj = xalloc(n * sizeof(int));
	G.cadj = xalloc(n * sizeof(int));
	G.dist_m = xalloc(n * sizeof(double *));
	G.dist_s = xalloc(n * sizeof(double *));
	G.prev = xalloc(n * sizeof(int *));
}

static int
graph_load(const char *path)
{
	json_error_t	 jerr;
	json_t		*root, *g, *nodes, *edges, *e;
	double		 lat, lon, step, kmh, dlat, dlon;
	int		 rows, cols, r, c, a, b, oneway;
	size_t		 i;

	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		fprintf(stderr, "osrm-stub: %s:%d: %s\n", path, jerr.line,
		    jerr.text);
		return -1;
	}
	if ((g = json_object_get(root, "grid")) != NULL) {
		if (json_unpack(g, "{s:F,s:F,s:i,s:i,s:F,s:F}", "lat", &lat,
		    "lon", &lon, "rows", &rows, "cols", &cols, "step_m", &step,
		    "kmh", &kmh) == -1 || rows < 1 || cols < 1) {
			fprintf(stderr, "osrm-stub: %s: bad grid\n", path);
			return -1;
		}
		graph_alloc(rows * cols);
		dlat = step / 111195.0;
		dlon = step / (111195.0 * cos(lat * M_PI / 180));
		for (r = 0; r < rows; r++)
			for (c = 0; c < cols; c++) {
				G.lat[r * cols + c] = lat + r * dlat;
				G.lon[r * cols + c] = lon + c * dlon;
			}
		for (r = 0; r < rows; r++)
			for (c = 0; c < cols; c++) {
				a = r * cols + c;
				if (c + 1 < cols) {
					graph_edge(a, a + 1, kmh);
					graph_edge(a + 1, a, kmh);
				}
				if (r + 1 < rows) {
					graph_edge(a, a + cols, kmh);
					graph_edge(a + cols, a, kmh);
				}
			}
		json_decref(root);
		return 0;
	}
	nodes = json_object_get(root, "nodes");
	edges = json_object_get(root, "edges");
	if (!json_is_array(nodes) || !json_is_array(edges) ||
	    json_array_size(nodes) == 0) {
		fprintf(stderr, "osrm-stub: %s: needs nodes and edges\n", path);
		return -1;
	}
	graph_alloc((int)json_array_size(nodes));
	json_array_foreach(nodes, i, e) {
		if (json_unpack(e, "[FF]", &G.lat[i], &G.lon[i]) == -1) {
			fprintf(stderr, "osrm-stub: node %zu: [lat, lon]\n", i);
			return -1;
		}
	}
	json_array_foreach(edges, i, e) {
		oneway = 0;
		if (json_unpack(e, "[iiF!]", &a, &b, &kmh) == -1 &&
		    json_unpack(e, "[iiFi]", &a, &b, &kmh, &oneway) == -1) {
			fprintf(stderr, "osrm-stub: edge %zu: [a, b, kmh, "
			    "oneway]\n", i);
			return -1;
		}
		if (a < 0 || b < 0 || a >= G.n || b >= G.n || kmh <= 0) {
			fprintf(stderr, "osrm-stub: edge %zu out of range\n", i);
			return -1;
		}
		graph_edge(a, b, kmh);
		if (!oneway)
			graph_edge(b, a, kmh);
	}
	json_decref(root);
	return 0;
}

/* Dijkstra on seconds from src, once; a binary heap of (key, node). */
static void
graph_tree(int src)
{
	double	*ds, *dm, key;
	int	*prev, *heap, *pos, nheap = 0, u, v, i, k, child;
	size_t	 j;

	if (G.dist_s[src] != NULL)
		return;
	ds = xalloc(G.n * sizeof(double));
	dm = xalloc(G.n * sizeof(double));
	prev = xalloc(G.n * sizeof(int));
	heap = xalloc(G.n * sizeof(int));
	pos = xalloc(G.n * sizeof(int));
	for (i = 0; i < G.n; i++) {
		ds[i] = dm[i] = INFINITY;
		prev[i] = -1;
		pos[i] = -1;
	}
	ds[src] = dm[src] = 0;
	heap[nheap] = src;
	pos[src] = nheap++;
	while (nheap > 0) {
		u = heap[0];
		pos[u] = -2;
		heap[0] = heap[--nheap];
		if (nheap > 0) {
			/* sift down */
			k = 0;
			v = heap[0];
			key = ds[v];
			while ((child = 2 * k + 1) < nheap) {
				if (child + 1 < nheap &&
				    ds[heap[child + 1]] < ds[heap[child]])
					child++;
				if (ds[heap[child]] >= key)
					break;
				heap[k] = heap[child];
				pos[heap[k]] = k;
				k = child;
			}
			heap[k] = v;
			pos[v] = k;
		}
		for (j = 0; j < (size_t)G.nadj[u]; j++) {
			v = G.adj[u][j].to;
			if (pos[v] == -2 || ds[u] + G.adj[u][j].s >= ds[v])
				continue;
			ds[v] = ds[u] + G.adj[u][j].s;
			dm[v] = dm[u] + G.adj[u][j].m;
			prev[v] = u;
			if (pos[v] == -1) {
				pos[v] = nheap;
				heap[nheap++] = v;
			}
			/* sift up */
			k = pos[v];
			while (k > 0 && ds[heap[(k - 1) / 2]] > ds[v]) {
				heap[k] = heap[(k - 1) / 2];
				pos[heap[k]] = k;
				k = (k - 1) / 2;
			}
			heap[k] = v;
			pos[v] = k;
		}
	}
	free(heap);
	free(pos);
	G.dist_s[src] = ds;
	G.dist_m[src] = dm;
	G.prev[src] = prev;
}

static int
graph_snap(double lat, double lon, double *snap_m)
{
	double	best = INFINITY, d;
	int	i, at = 0;

	for (i = 0; i < G.n; i++) {
		d = hav_m(lat, lon, G.lat[i], G.lon[i]);
		if (d < best) {
			best = d;
			at = i;
		}
	}
	*snap_m = best;
	return at;
}

/* "lon,lat;lon,lat..." into arrays; the count, or -1. */
static int
parse_coords(const char *s, double *lat, double *lon, int max)
{
	int	n = 0;
	char	*end;

	while (*s != '\0') {
		if (n == max)
			return -1;
		lon[n] = strtod(s, &end);
		if (end == s || *end != ',')
			return -1;
		s = end + 1;
		lat[n] = strtod(s, &end);
		if (end == s || (*end != ';' && *end != '\0') ||
		    fabs(lat[n]) > 90 || fabs(lon[n]) > 180)
			return -1;
		n++;
		s = *end == ';' ? end + 1 : end;
	}
	return n;
}

/* "0;3;5" or "all" into idx[]; the count, or -1. */
static int
parse_index(const char *s, int ncoords, int *idx)
{
	int	n = 0;
	long	v;
	char	*end;

	if (s == NULL || strcmp(s, "all") == 0) {
		for (n = 0; n < ncoords; n++)
			idx[n] = n;
		return n;
	}
	while (*s != '\0') {
		v = strtol(s, &end, 10);
		if (end == s || v < 0 || v >= ncoords ||
		    (*end != ';' && *end != '\0') || n == ncoords)
			return -1;
		idx[n++] = (int)v;
		s = *end == ';' ? end + 1 : end;
	}
	return n;
}

static void
reply_now(struct evhttp_request *req, int status, const char *body)
{
	struct evbuffer	*b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json; charset=UTF-8");
	evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, status, status == 200 ? "OK" : "Error", b);
	evbuffer_free(b);
	inflight--;
}

static void
delayed_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pending	*p = arg;

	reply_now(p->req, p->status, p->body);
	event_free(p->ev);
	free(p->body);
	free(p);
}

/* Answer after ms milliseconds (0: now); body is copied. */
static void
reply(struct evhttp_request *req, int status, const char *body, int ms)
{
	struct pending	*p;
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms <= 0) {
		reply_now(req, status, body);
		return;
	}
	p = xalloc(sizeof(*p));
	p->req = req;
	p->status = status;
	p->body = strdup(body);
	p->ev = evtimer_new(base, delayed_cb, p);
	evtimer_add(p->ev, &tv);
}

static void
reply_json(struct evhttp_request *req, int status, json_t *o)
{
	char	*s = json_dumps(o, JSON_COMPACT);

	reply(req, status, s, delay_ms);
	free(s);
	json_decref(o);
}

static void
reply_error(struct evhttp_request *req, const char *code, const char *msg)
{
	reply_json(req, 400, json_pack("{s:s,s:s}", "code", code, "message",
	    msg));
}

static json_t *
waypoint(int node, double snap_m)
{
	return json_pack("{s:s,s:s,s:f,s:[f,f]}", "hint", "", "name", "",
	    "distance", snap_m, "location", G.lon[node], G.lat[node]);
}

static void
serve_table(struct evhttp_request *req, int n, const double *lat,
    const double *lon, int *node, double *snap, struct evkeyvalq *q)
{
	int		 src[STUB_MAX_COORDS], dst[STUB_MAX_COORDS], ns, nd, i, j;
	const char	*ann = evhttp_find_header(q, "annotations");
	const char	*fault = fault_next < nfaults ? faults[fault_next++] : "ok";
	json_t		*o, *durs, *dists, *row, *rowm, *srcs, *dsts;
	int		 want_m, want_s, nulls = 0;
	double		 s, m;

	ns = parse_index(evhttp_find_header(q, "sources"), n, src);
	nd = parse_index(evhttp_find_header(q, "destinations"), n, dst);
	if (ns < 0 || nd < 0) {
		reply_error(req, "InvalidOptions", "sources or destinations "
		    "out of range");
		return;
	}
	if (reqlog != NULL) {
		fprintf(reqlog, "table %d %d ", ns, nd);
		for (i = 0; i < ns; i++)
			fprintf(reqlog, "%s%d", i ? ";" : "", src[i]);
		fputc(' ', reqlog);
		for (i = 0; i < nd; i++)
			fprintf(reqlog, "%s%d", i ? ";" : "", dst[i]);
		fprintf(reqlog, " %s\n", fault);
		fflush(reqlog);
	}
	if (strcmp(fault, "429") == 0 || strcmp(fault, "500") == 0) {
		reply(req, atoi(fault), "{\"code\":\"TooManyRequests\","
		    "\"message\":\"slow down\"}", delay_ms);
		return;
	}
	if (strcmp(fault, "timeout") == 0) {
		reply(req, 200, "{\"code\":\"Ok\"}", 60000);
		return;
	}
	if (strcmp(fault, "invalid") == 0) {
		reply_error(req, "InvalidQuery", "Query string malformed close "
		    "to position 42");
		return;
	}
	if (strcmp(fault, "garbage") == 0) {
		reply(req, 200, "<html>proxy error</html>", delay_ms);
		return;
	}
	nulls = strcmp(fault, "nulls") == 0;
	if ((long)ns * nd > (long)max_table * max_table) {
		reply_error(req, "TooBig", "Too many table coordinates");
		return;
	}
	if (pairlog != NULL) {
		for (i = 0; i < ns; i++)
			for (j = 0; j < nd; j++)
				fprintf(pairlog, "%.5f,%.5f %.5f,%.5f\n",
				    lat[src[i]], lon[src[i]], lat[dst[j]],
				    lon[dst[j]]);
		fflush(pairlog);
	}
	want_s = ann == NULL || strstr(ann, "duration") != NULL;
	want_m = ann != NULL && strstr(ann, "distance") != NULL;
	durs = json_array();
	dists = json_array();
	srcs = json_array();
	dsts = json_array();
	for (i = 0; i < ns; i++) {
		graph_tree(node[src[i]]);
		row = json_array();
		rowm = json_array();
		for (j = 0; j < nd; j++) {
			s = G.dist_s[node[src[i]]][node[dst[j]]];
			m = G.dist_m[node[src[i]]][node[dst[j]]];
			if (isinf(s) || (nulls && src[i] != dst[j])) {
				json_array_append_new(row, json_null());
				json_array_append_new(rowm, json_null());
				continue;
			}
			/* osrm-routed rounds to 0.1 s and 0.1 m */
			json_array_append_new(row, json_real(round(s * 10) / 10));
			json_array_append_new(rowm, json_real(round(m * 10) / 10));
		}
		json_array_append_new(durs, row);
		json_array_append_new(dists, rowm);
		json_array_append_new(srcs, waypoint(node[src[i]], snap[src[i]]));
	}
	for (j = 0; j < nd; j++)
		json_array_append_new(dsts, waypoint(node[dst[j]], snap[dst[j]]));
	o = json_pack("{s:s,s:o,s:o}", "code", "Ok", "sources", srcs,
	    "destinations", dsts);
	if (want_s)
		json_object_set_new(o, "durations", durs);
	else
		json_decref(durs);
	if (want_m)
		json_object_set_new(o, "distances", dists);
	else
		json_decref(dists);
	reply_json(req, 200, o);
}

/* Google's encoded polyline, precision 5, appended to b. */
static void
polyline_add(struct evbuffer *b, long *prev, double v)
{
	long	e = lround(v * 1e5), d = e - *prev;
	unsigned long u;
	char	c;

	*prev = e;
	u = d < 0 ? ~((unsigned long)d << 1) : (unsigned long)d << 1;
	while (u >= 0x20) {
		c = (char)((0x20 | (u & 0x1f)) + 63);
		evbuffer_add(b, &c, 1);
		u >>= 5;
	}
	c = (char)(u + 63);
	evbuffer_add(b, &c, 1);
}

static void
serve_route(struct evhttp_request *req, int n, int *node, double *snap)
{
	struct evbuffer	*geo = evbuffer_new();
	json_t		*legs = json_array(), *wps = json_array(), *o;
	long		 plat = 0, plon = 0;
	int		*path = xalloc(G.n * sizeof(int)), np, k, v, i;
	double		 tm = 0, ts = 0, m, s;
	char		*g;

	if (reqlog != NULL) {
		fprintf(reqlog, "route %d\n", n);
		fflush(reqlog);
	}
	for (i = 0; i < n; i++)
		json_array_append_new(wps, waypoint(node[i], snap[i]));
	polyline_add(geo, &plat, G.lat[node[0]]);
	polyline_add(geo, &plon, G.lon[node[0]]);
	for (i = 0; i + 1 < n; i++) {
		graph_tree(node[i]);
		s = G.dist_s[node[i]][node[i + 1]];
		m = G.dist_m[node[i]][node[i + 1]];
		if (isinf(s)) {
			free(path);
			evbuffer_free(geo);
			json_decref(legs);
			json_decref(wps);
			reply_json(req, 400, json_pack("{s:s,s:s}", "code",
			    "NoRoute", "message", "Impossible route between "
			    "points"));
			return;
		}
		np = 0;
		for (v = node[i + 1]; v != node[i]; v = G.prev[node[i]][v])
			path[np++] = v;
		for (k = np - 1; k >= 0; k--) {
			polyline_add(geo, &plat, G.lat[path[k]]);
			polyline_add(geo, &plon, G.lon[path[k]]);
		}
		json_array_append_new(legs, json_pack("{s:f,s:f,s:f,s:s,s:[]}",
		    "distance", round(m * 10) / 10, "duration",
		    round(s * 10) / 10, "weight", round(s * 10) / 10,
		    "summary", "", "steps"));
		tm += m;
		ts += s;
	}
	free(path);
	evbuffer_add(geo, "", 1);
	g = (char *)evbuffer_pullup(geo, -1);
	o = json_pack("{s:s,s:[{s:s,s:o,s:f,s:f,s:s,s:f}],s:o}", "code", "Ok",
	    "routes", "geometry", g, "legs", legs, "distance",
	    round(tm * 10) / 10, "duration", round(ts * 10) / 10,
	    "weight_name", "routability", "weight", round(ts * 10) / 10,
	    "waypoints", wps);
	evbuffer_free(geo);
	reply_json(req, 200, o);
}

static void
request_cb(struct evhttp_request *req, void *arg)
{
	static double	 lat[STUB_MAX_COORDS], lon[STUB_MAX_COORDS];
	static double	 snap[STUB_MAX_COORDS];
	static int	 node[STUB_MAX_COORDS];
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char	*path = evhttp_uri_get_path(uri), *query;
	struct evkeyvalq q;
	char		 service[16], profile[32];
	const char	*coords;
	int		 n, i, used;

	inflight++;
	if (inflight > max_inflight)
		max_inflight = inflight;
	TAILQ_INIT(&q);
	if ((query = evhttp_uri_get_query(uri)) != NULL)
		evhttp_parse_query_str(query, &q);
	if (path == NULL || sscanf(path, "/%15[a-z]/v1/%31[a-z-]/%n", service,
	    profile, &used) != 2) {
		reply_error(req, "InvalidUrl", "URL string malformed");
		goto out;
	}
	coords = path + used;
	if ((n = parse_coords(coords, lat, lon, STUB_MAX_COORDS)) < 1) {
		reply_error(req, "InvalidQuery", "Query string malformed");
		goto out;
	}
	for (i = 0; i < n; i++)
		node[i] = graph_snap(lat[i], lon[i], &snap[i]);
	if (strcmp(service, "table") == 0)
		serve_table(req, n, lat, lon, node, snap, &q);
	else if (strcmp(service, "route") == 0 && n >= 2)
		serve_route(req, n, node, snap);
	else
		reply_error(req, "InvalidService", "Service not found");
out:
	evhttp_clear_headers(&q);
}

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopexit(base, NULL);
}

int
main(int argc, char **argv)
{
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct event			*ev_term, *ev_int;
	const char			*graph = NULL, *logpath = NULL;
	char				*f;
	int				 port = 0, ch;

	while ((ch = getopt(argc, argv, "g:p:m:l:f:d:P:")) != -1) {
		switch (ch) {
		case 'g': graph = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'm': max_table = atoi(optarg); break;
		case 'l': logpath = optarg; break;
		case 'd': delay_ms = atoi(optarg); break;
		case 'P':
			if ((pairlog = fopen(optarg, "w")) == NULL) {
				perror(optarg);
				return 1;
			}
			break;
		case 'f':
			for (f = strtok(optarg, ","); f != NULL;
			    f = strtok(NULL, ",")) {
				faults = realloc(faults, (nfaults + 1) *
				    sizeof(char *));
				faults[nfaults++] = f;
			}
			break;
		default:
			fprintf(stderr, "usage: osrm-stub -g graph.json [-p port] "
			    "[-m max_table] [-l log] [-f faults] [-d ms] [-P pairs]\n");
			return 2;
		}
	}
	if (graph == NULL || graph_load(graph) == -1)
		return 2;
	if (logpath != NULL && (reqlog = fopen(logpath, "a")) == NULL) {
		perror(logpath);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, request_cb, NULL);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET);
	if ((sock = evhttp_bind_socket_with_handle(http, "127.0.0.1",
	    port)) == NULL) {
		fprintf(stderr, "osrm-stub: cannot listen on 127.0.0.1:%d\n",
		    port);
		return 1;
	}
	if (port == 0) {
		struct sockaddr_storage	ss;
		socklen_t		len = sizeof(ss);

		getsockname(evhttp_bound_socket_get_fd(sock),
		    (struct sockaddr *)&ss, &len);
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	printf("%d\n", port);
	fflush(stdout);
	ev_term = evsignal_new(base, SIGTERM, stop_cb, NULL);
	ev_int = evsignal_new(base, SIGINT, stop_cb, NULL);
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_base_dispatch(base);
	if (reqlog != NULL) {
		fprintf(reqlog, "max_inflight %d\n", max_inflight);
		fclose(reqlog);
	}
	if (pairlog != NULL)
		fclose(pairlog);
	return 0;
}
