/*
 * http.c -- the HTTP front: evhttp setup, limits, routing, auth, replies.
 *
 * The one home of libevent's HTTP headers.  Every request enters
 * http_request_cb, becomes a struct http_req, is matched against the
 * route table http_start was given (api.c's: method, path pattern, roles
 * allowed), authenticated with a bearer token, and handed to its handler;
 * http.c knows no handler by name.  Each path through a
 * handler ends in exactly one reply: http_reply_json/http_reply_error now,
 * or http_defer() and a reply later (writes wait for the group commit).
 * A handler that returns neither is a bug; http.c answers 500 for it.
 *
 * evhttp's defaults are unsafe, so the header size, body size and
 * timeouts are always set from the configuration.  Bodies a little over
 * http_max_body get our JSON 413; far larger ones are refused by evhttp
 * itself (also 413) before they are read into memory.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include "recircd.h"

#define HTTP_JSON	"application/json; charset=utf-8"

static int
http_method_of(struct evhttp_request *ev)
{
	switch (evhttp_request_get_command(ev)) {
	case EVHTTP_REQ_GET:	 return HTTP_M_GET;
	case EVHTTP_REQ_POST:	 return HTTP_M_POST;
	case EVHTTP_REQ_PUT:	 return HTTP_M_PUT;
	case EVHTTP_REQ_DELETE:	 return HTTP_M_DELETE;
	case EVHTTP_REQ_HEAD:	 return HTTP_M_HEAD;
	case EVHTTP_REQ_PATCH:	 return HTTP_M_PATCH;
	case EVHTTP_REQ_OPTIONS: return HTTP_M_OPTIONS;
	default:		 return HTTP_M_OTHER;
	}
}

/*
 * Match path against pattern; a "{id}" segment must be a positive decimal
 * integer without leading zeros, stored in *id; a "{name}" segment is 1 to
 * 63 of [A-Za-z0-9._-] (centre, vehicle ids) or "*" (a rule's "any"),
 * copied to name; several are joined with '/' (a rule's key) and must fit
 * in name together.  Text after "{name}" in the same segment is a suffix
 * the word must end with ("{name}.json").  Returns 1 on a match.
 */
static int
http_match(const char *pattern, const char *path, int64_t *id,
    char name[64])
{
	const char	*p = pattern, *s = path;
	int64_t		 v;
	size_t		 n, lit, used = 0;

	while (*p != '\0') {
		if (strncmp(p, "{name}", 6) == 0) {
			n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
			if (n == 0 && *s == '*')
				n = 1;
			/* "{name}.json": the word stops before the suffix. */
			lit = strcspn(p + 6, "{/");
			if (lit > 0 && n > lit &&
			    strncmp(s + n - lit, p + 6, lit) == 0)
				n -= lit;
			if (n == 0 || used + (used > 0) + n > 63)
				return 0;
			if (used > 0)
				name[used++] = '/';
			memcpy(name + used, s, n);
			used += n;
			name[used] = '\0';
			s += n;
			p += 6;
			continue;
		}
		if (strncmp(p, "{id}", 4) == 0) {
			if (*s < '1' || *s > '9')
				return 0;
			for (v = 0; *s >= '0' && *s <= '9'; s++) {
				if (v > (INT64_MAX - 9) / 10)
					return 0;
				v = v * 10 + (*s - '0');
			}
			*id = v;
			p += 4;
			continue;
		}
		if (*p++ != *s++)
			return 0;
	}
	return *s == '\0';
}

/* Free the request wrapper (not the evhttp request: evhttp owns it). */
static void
http_req_free(struct http_req *r)
{
	if (r->query != NULL) {
		evhttp_clear_headers(r->query);
		x_free(r->query);
	}
	x_free(r->path);
	x_free(r->operator);
	x_free(r);
}

static void
http_send(struct http_req *r, int status, const char *reason,
    const char *ctype, const char *text, size_t len)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(r->ev);
	struct evbuffer		*buf;

	/* A bug, but one that must not stop the daemon: keep the first. */
	if (r->replied) {
		log_warnx("bug: second reply to %s %s dropped",
		    http_method_name(r->method), r->path);
		return;
	}
	r->replied = 1;
	evhttp_add_header(out, "Content-Type", ctype);
	evhttp_add_header(out, "Cache-Control", "no-store");
	buf = evbuffer_new();
	if (r->method != HTTP_M_HEAD)
		evbuffer_add(buf, text, len);
	evhttp_send_reply(r->ev, status, reason, buf);
	evbuffer_free(buf);
	log_debug("%s %s -> %d", http_method_name(r->method), r->path,
	    status);
	metrics_count(r->srv, r->route, r->method, status);
	metrics_latency(r->srv, time_mono() - r->arrived);
	r->srv->inflight--;
	/* While its handler runs, http_dispatch frees r when it returns. */
	if (!r->in_handler)
		http_req_free(r);
}

/*
 * The reply when a body cannot be encoded: fixed text, so that no content
 * of a request or of stored data can make replying itself fail.
 */
static const char http_internal[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}";

/*
 * Reply with body (reference stolen) and free r.  A NULL body (a json_pack
 * that failed) or one jansson cannot encode is a bug, never the client's
 * doing and never fatal: it is logged and answered with a fixed 500.
 */
void
http_reply_json(struct http_req *r, int status, json_t *body)
{
	char	*text = NULL;

	if (body != NULL) {
		/* 15 digits: 51.46 stays 51.46, not 51.460000000000001. */
		text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
		json_decref(body);
	}
	if (text == NULL) {
		log_warnx("bug: %s %s: the %d reply could not be encoded as "
		    "JSON; answering 500", http_method_name(r->method),
		    r->path, status);
		http_send(r, 500, http_reason(500), HTTP_JSON, http_internal,
		    sizeof(http_internal) - 1);
		return;
	}
	http_send(r, status, http_reason(status), HTTP_JSON, text,
	    strlen(text));
	free(text);
}

/* Reply with JSON already serialised (len bytes of text) and free r. */
void
http_reply_text(struct http_req *r, int status, const char *text, size_t len)
{
	http_send(r, status, http_reason(status), HTTP_JSON, text, len);
}

/* Reply with len bytes of text of another content type and free r. */
void
http_reply_typed(struct http_req *r, int status, const char *ctype,
    const char *text, size_t len)
{
	http_send(r, status, http_reason(status), ctype, text, len);
}

void
http_reply_error(struct http_req *r, const struct api_error *e)
{
	if (e->status == 401)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev),
		    "WWW-Authenticate", "Bearer realm=\"recircd\"");
	http_reply_json(r, e->status, api_error_json(e));
}

void
http_error(struct http_req *r, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	struct api_error	e;
	va_list			ap;

	memset(&e, 0, sizeof(e));
	va_start(ap, fmt);
	api_error_vset(&e, status, code, field, fmt, ap);
	va_end(ap);
	http_reply_error(r, &e);
}

/* Reply for a store failure that is not the client's doing. */
void
http_store_failed(struct http_req *r, enum store_result res,
    const char *cause)
{
	if (res == STORE_UNAVAILABLE) {
		log_warnx("%s: %s", r->path, cause ? cause : "unavailable");
		http_error(r, 503, "unavailable", NULL,
		    "storage unavailable, nothing was stored; retry later");
	} else {
		log_warnx("%s: %s", r->path, cause ? cause : "store error");
		http_error(r, 500, "internal", NULL, "internal error");
	}
}

/*
 * Content-Type, if given, must be JSON: the media type application/json
 * exactly (any case), or for a PATCH application/merge-patch+json (RFC
 * 7396), optionally followed by parameters after a ';' ("application/json;
 * charset=utf-8"), never a longer name that merely starts with it
 * ("application/jsonx").
 */
int
http_json_content(struct http_req *r)
{
	static const char	 json[] = "application/json",
				 patch[] = "application/merge-patch+json";
	const char		*ct = http_header(r, "Content-Type"), *rest;
	size_t			 n;

	if (ct == NULL)
		return 1;
	n = strcspn(ct, "; \t");
	rest = ct + n + strspn(ct + n, " \t");
	if (*rest != '\0' && *rest != ';')
		n = 0;
	if ((n == sizeof(json) - 1 && strncasecmp(ct, json, n) == 0) ||
	    (r->method == HTTP_M_PATCH && n == sizeof(patch) - 1 &&
	    strncasecmp(ct, patch, n) == 0))
		return 1;
	http_error(r, 415, "unsupported_media_type", NULL,
	    "Content-Type must be application/json%s",
	    r->method == HTTP_M_PATCH ? " or application/merge-patch+json" :
	    "");
	return 0;
}

/* Parse the body as a JSON value; replies 400 and returns NULL if bad. */
json_t *
http_json_body(struct http_req *r)
{
	json_error_t	 jerr;
	json_t		*in;

	if (r->body_len == 0) {
		http_error(r, 400, "invalid_json", NULL, "the body is empty");
		return NULL;
	}
	if (!utf8_valid(r->body, r->body_len)) {
		http_error(r, 400, "invalid_utf8", NULL,
		    "the body is not valid UTF-8");
		return NULL;
	}
	in = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (in == NULL && json_error_code(&jerr) == json_error_null_character) {
		/* Well-formed JSON with a value we refuse: a 422 like the
		 * other bad values (recircd(8)), not a syntax error. */
		http_error(r, 422, "invalid_value", NULL,
		    "a string contains U+0000 (NUL) at line %d column %d",
		    jerr.line, jerr.column);
		return NULL;
	}
	if (in == NULL) {
		http_error(r, 400, "invalid_json", NULL,
		    "malformed JSON at line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		return NULL;
	}
	return in;
}

/* Add a response header (before the reply). */
void
http_set_header(struct http_req *r, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), name,
	    value);
}

/* The handler will reply later; r stays alive until then. */
void
http_defer(struct http_req *r)
{
	r->deferred = 1;
}

/* Borrowed until the reply. */
const char *
http_header(struct http_req *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    name);
}

/* A decoded query parameter, borrowed until the reply; NULL if absent. */
const char *
http_query(struct http_req *r, const char *name)
{
	if (r->query == NULL)
		return NULL;
	return evhttp_find_header(r->query, name);
}

/*
 * Who token belongs to, into r->operator and r->role: 0, or -1 with *e
 * (401 for an unknown or revoked token, 500/503 when the store fails).
 * Open311 (api-open311.c) passes its api_key here.
 */
int
http_principal(struct http_req *r, const char *token, struct api_error *e)
{
	enum store_result	 res;
	char			*cause = NULL;

	memset(e, 0, sizeof(*e));
	res = auth_lookup(r->srv->auth, r->srv->store, token,
	    r->srv->conf->auth_cache, &r->operator, &r->role, &cause);
	if (res == STORE_OK)
		return 0;
	if (res == STORE_NOTFOUND)
		api_error_set(e, 401, "unauthorized", NULL,
		    "invalid or revoked token");
	else if (res == STORE_ERROR) {
		log_warnx("token lookup: %s", cause);
		api_error_set(e, 500, "internal", NULL, "internal error");
	} else {
		log_warnx("token lookup: %s", cause);
		api_error_set(e, 503, "unavailable", NULL,
		    "storage unavailable, retry later");
	}
	x_free(cause);
	return -1;
}

/* The Bearer token of the Authorization header, or NULL. */
const char *
http_bearer(struct http_req *r)
{
	const char	*h = http_header(r, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
		return NULL;
	return h + 7;
}

/* Bearer token to principal; replies 401/503 itself and returns -1. */
static int
http_authenticate(struct http_req *r)
{
	const char		*h = http_header(r, "Authorization");
	struct api_error	 e;

	if (h == NULL) {
		http_error(r, 401, "unauthorized", NULL,
		    "missing Authorization: Bearer token");
		return -1;
	}
	if (http_bearer(r) == NULL) {
		http_error(r, 401, "unauthorized", NULL,
		    "Authorization must be \"Bearer TOKEN\"");
		return -1;
	}
	if (http_principal(r, http_bearer(r), &e) == -1) {
		http_reply_error(r, &e);
		return -1;
	}
	return 0;
}

/* Fill path and query from the request URI; -1 when unparseable. */
static int
http_parse_uri(struct http_req *r)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(r->ev);
	const char		*path, *query;
	char			*decoded;
	size_t			 len;

	if (uri == NULL || (path = evhttp_uri_get_path(uri)) == NULL)
		return -1;
	decoded = evhttp_uridecode(path, 0, &len);
	if (decoded == NULL || strlen(decoded) != len) {
		free(decoded);
		return -1;
	}
	r->path = xstrdup(decoded);
	free(decoded);
	/* "/v1/pickups/" is "/v1/pickups". */
	len = strlen(r->path);
	if (len > 1 && r->path[len - 1] == '/')
		r->path[len - 1] = '\0';
	if ((query = evhttp_uri_get_query(uri)) != NULL) {
		r->query = xcalloc(1, sizeof(struct evkeyvalq));
		TAILQ_INIT((struct evkeyvalq *)r->query);
		if (evhttp_parse_query_str(query, r->query) == -1)
			return -1;
	}
	return 0;
}

static void
http_method_not_allowed(struct http_req *r, int allowed)
{
	char	allow[96] = "";
	size_t	len = 0;
	int	m;

	for (m = 1; m < HTTP_M_OTHER; m <<= 1) {
		if (allowed & m)
			len += snprintf(allow + len, sizeof(allow) - len,
			    "%s%s", len ? ", " : "", http_method_name(m));
	}
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Allow",
	    allow);
	http_error(r, 405, "method_not_allowed", NULL,
	    "%s is not allowed on %s (allowed: %s)",
	    http_method_name(r->method), r->path, allow);
}

/*
 * With metrics_listen set, its listener serves /metrics and /healthz
 * only, and the main one does not serve /metrics.  1 when r may go on.
 */
static int
http_listener_allows(struct http_req *r)
{
	int	metrics = strcmp(r->path, "/metrics") == 0;

	if (r->srv->conf->metrics_listen == NULL)
		return 1;
	if (r->on_metrics ? metrics || strcmp(r->path, "/healthz") == 0 :
	    !metrics)
		return 1;
	http_error(r, 404, "not_found", NULL, r->on_metrics ? "only /metrics "
	    "is served here" : "/metrics is served on metrics_listen");
	return 0;
}

/* Pick the route, check auth and role, run the handler. */
static void
http_dispatch(struct http_req *r)
{
	const struct http_route	*rt = NULL;
	size_t			 i;
	unsigned		 roles;
	int			 allowed = 0;
	int64_t			 id = 0;

	if (!http_listener_allows(r))
		return;
	for (i = 0; i < r->srv->nroutes; i++) {
		if (!http_match(r->srv->routes[i].pattern, r->path, &id,
		    r->name))
			continue;
		allowed |= r->srv->routes[i].methods;
		if (r->srv->routes[i].methods & r->method) {
			rt = &r->srv->routes[i];
			r->route = (int)i;
			break;
		}
	}
	if (rt == NULL) {
		if (allowed)
			http_method_not_allowed(r, allowed);
		else
			http_error(r, 404, "not_found", NULL,
			    "no such resource: %s", r->path);
		return;
	}
	r->id = id;
	roles = rt->roles;
	if (roles & HTTP_ROLES_METRICS)
		roles = r->srv->conf->metrics_auth ? HTTP_ROLES_STAFF : 0;
	if (roles != 0) {
		if (http_authenticate(r) == -1)
			return;
		if (!(roles & (1u << r->role))) {
			http_error(r, 403, "forbidden", NULL,
			    "role %s may not %s %s", role_name(r->role),
			    http_method_name(r->method), r->path);
			return;
		}
	}
	r->in_handler = 1;
	rt->handler(r);
	r->in_handler = 0;
	if (r->replied)
		http_req_free(r);
	else if (!r->deferred) {
		log_warnx("bug: %s %s ended without a reply",
		    http_method_name(r->method), r->path);
		http_error(r, 500, "internal", NULL, "internal error");
	}
}

/*
 * 1 when the request carries more than one Content-Length with different
 * values, or a Content-Length beside a Transfer-Encoding (RFC 9112 6.3):
 * libevent frames the body by the first and keeps the rest.
 */
static int
http_framing_ambiguous(struct evhttp_request *ev)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(ev);
	struct evkeyval		*kv;
	const char		*len = NULL;
	int			 te = 0;

	TAILQ_FOREACH(kv, h, next) {
		if (strcasecmp(kv->key, "Transfer-Encoding") == 0)
			te = 1;
		if (strcasecmp(kv->key, "Content-Length") != 0)
			continue;
		if (len != NULL && strcmp(len, kv->value) != 0)
			return 1;
		len = kv->value;
	}
	return te && len != NULL;
}

static void
http_request(struct server *srv, struct evhttp_request *ev, int on_metrics)
{
	struct http_req	*r = xcalloc(1, sizeof(*r));
	struct evbuffer	*in = evhttp_request_get_input_buffer(ev);

	http_conn_request(srv, ev, on_metrics);
	r->on_metrics = on_metrics;
	r->srv = srv;
	r->route = -1;
	r->ev = ev;
	r->arrived = time_mono();
	r->method = http_method_of(ev);
	srv->inflight++;
	r->body_len = evbuffer_get_length(in);
	r->body = r->body_len ? (const char *)evbuffer_pullup(in, -1) : "";
	if (http_parse_uri(r) == -1) {
		if (r->path == NULL)
			r->path = xstrdup("?");
		http_error(r, 400, "bad_request", NULL,
		    "the request URI cannot be parsed");
		return;
	}
	if (http_framing_ambiguous(ev)) {
		/* Two lengths: a proxy in front may have framed the body by
		 * the other one, so whatever follows could be read as a
		 * second, smuggled request.  Refuse and close. */
		evhttp_add_header(evhttp_request_get_output_headers(ev),
		    "Connection", "close");
		http_error(r, 400, "bad_request", NULL,
		    "conflicting Content-Length headers");
		return;
	}
	if (srv->draining && strcmp(r->path, "/healthz") != 0) {
		evhttp_add_header(evhttp_request_get_output_headers(ev),
		    "Connection", "close");
		http_error(r, 503, "shutting_down", NULL,
		    "the server is shutting down");
		return;
	}
	if ((long long)r->body_len > srv->conf->http_max_body) {
		http_error(r, 413, "too_large", NULL,
		    "the body exceeds %lld bytes", srv->conf->http_max_body);
		return;
	}
	http_dispatch(r);
}

static void
http_request_cb(struct evhttp_request *ev, void *arg)
{
	http_request(arg, ev, 0);
}

/* A request on metrics_listen: /metrics and /healthz only. */
static void
http_metrics_cb(struct evhttp_request *ev, void *arg)
{
	http_request(arg, ev, 1);
}

/*
 * Bind a listening TCP socket to "host:port" before the daemon forks or
 * drops privileges.  Returns the fd, or -1 with *cause.
 */
int
http_listen_socket(const char *addr, char **cause)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		*host = xstrdup(addr), *colon;
	int		 fd = -1, on = 1, rc;

	colon = strrchr(host, ':');
	*colon = '\0';
	if (host[0] == '[' && colon[-1] == ']') {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		xasprintf(cause, "listen %s: %s", addr, gai_strerror(rc));
		x_free(host);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 1024) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		xasprintf(cause, "listen %s: %s", addr, strerror(errno));
	else
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	freeaddrinfo(res);
	x_free(host);
	return fd;
}

/* (Re)apply the configured limits; called at start and on SIGHUP. */
void
http_apply_limits(struct server *srv)
{
	struct evhttp	*http = srv->http;
	const struct conf *cf = srv->conf;

	evhttp_set_max_headers_size(http, cf->http_max_headers);
	/* Twice the limit plus slack: beyond it evhttp refuses unread. */
	evhttp_set_max_body_size(http, cf->http_max_body * 2 + 4096);
	evhttp_set_timeout(http, (int)cf->http_timeout);
}

/*
 * Serve routes[0..nroutes) (api.c's table, borrowed for the server's
 * life) on the already-bound fd; -1 with *cause on failure.
 */
int
http_start(struct server *srv, const struct http_route *routes,
    size_t nroutes, int fd, char **cause)
{
	struct evhttp	*http;

	srv->routes = routes;
	srv->nroutes = nroutes;
	if ((http = evhttp_new(srv->base)) == NULL) {
		xasprintf(cause, "evhttp_new failed");
		return -1;
	}
	srv->http = http;
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_default_content_type(http,
	    "application/json; charset=utf-8");
	http_apply_limits(srv);
	evhttp_set_gencb(http, http_request_cb, srv);
	if ((srv->listener = evhttp_accept_socket_with_handle(http, fd)) ==
	    NULL) {
		xasprintf(cause, "cannot accept on the listening socket");
		return -1;
	}
	return http_conn_start(srv, http, srv->listener, 0, cause);
}

/*
 * Serve /metrics (and /healthz) on fd, bound to metrics_listen: an
 * address a Prometheus server reaches and the public does not.
 */
int
http_start_metrics(struct server *srv, int fd, char **cause)
{
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;

	if ((http = evhttp_new(srv->base)) == NULL) {
		xasprintf(cause, "evhttp_new failed");
		return -1;
	}
	srv->metrics_http = http;
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(http, 8192);
	evhttp_set_max_body_size(http, 4096);
	evhttp_set_timeout(http, 10);
	evhttp_set_gencb(http, http_metrics_cb, srv);
	if ((bound = evhttp_accept_socket_with_handle(http, fd)) == NULL) {
		xasprintf(cause, "cannot accept on metrics_listen");
		return -1;
	}
	return http_conn_start(srv, http, bound, 1, cause);
}

/* Stop taking new connections (drain on SIGTERM). */
void
http_stop_accepting(struct server *srv)
{
	if (srv->listener != NULL) {
		evhttp_del_accept_socket(srv->http, srv->listener);
		srv->listener = NULL;
	}
}

void
http_free(struct server *srv)
{
	if (srv->http != NULL)
		evhttp_free(srv->http);
	srv->http = NULL;
	if (srv->metrics_http != NULL)
		evhttp_free(srv->metrics_http);
	srv->metrics_http = NULL;
	http_conn_free(srv);
	metrics_free(srv);
}
