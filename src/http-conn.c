/*
 * http-conn.c -- the connection guard in front of evhttp: how many
 * connections, from whom, for how long, and what libevent itself answers.
 *
 * libevent 2.1 (Debian 12) gives an evhttp server no connection limit, no
 * deadline that a trickling client cannot push back (its timeout restarts
 * with every byte), no hook on its own error pages (HTML) and a listener
 * that, when accept() fails with EMFILE, retries and logs in a busy loop.
 * Its one per-connection hook is evhttp_set_bevcb, meant for TLS: the
 * bufferevent evhttp will use.  We hand it a filter bufferevent over the
 * socket's, which gives each connection a context of ours that lives
 * exactly as long as the connection (its free callback runs when evhttp
 * frees it), sees every byte in and out, and owns a timer:
 *
 *  - max_connections in all and max_connections_per_peer: a connection over
 *    either is sent a JSON 503 and closed before any of its bytes is read;
 *  - http_header_timeout: from its accept, or from the start of its last
 *    reply, a connection has that long to deliver a whole request (request
 *    line, headers and body); the timer stops when the request reaches
 *    http.c and is never reset by a byte, so a client cannot trickle;
 *  - libevent's own error pages (a bad request line, oversized headers or
 *    body, an unknown method, a bad version: evhttp_send_error, always
 *    "Content-Type: text/html" and "Connection: close") are replaced on
 *    the way out by the API's JSON error with the same status;
 *  - accept() failing with EMFILE/ENFILE pauses the listener for a while
 *    and logs once a second instead of spinning.
 *
 * The metrics listener (metrics_listen) has a guard of its own, with the
 * same deadline and small fixed caps: a scraper needs one connection,
 * and a client stuck there must not hold the descriptors the API needs.
 *
 * Everything here runs on the event loop's thread.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "recircd.h"

#define CONN_BUCKETS	1024
#define CONN_HEADROOM	64	/* descriptors kept for the store, the
				   solver's pipes and the log */
#define ACCEPT_PAUSE_MS	100
#define CONN_TABLES	2	/* the API's listener, the metrics one */
#define METRICS_MAX	32	/* connections to metrics_listen */
#define METRICS_MAX_PEER 8	/* ... from one address */

enum conn_out {
	CONN_OUT_PASS,		/* bytes of a reply of ours */
	CONN_OUT_SWALLOW	/* a libevent error page, replaced */
};

struct conn_peer {
	struct conn_peer	*next;
	char			 addr[INET6_ADDRSTRLEN];
	long			 n;
};

struct conn {
	struct conn		*next;		/* in its hash bucket */
	struct http_conns	*t;
	struct bufferevent	*bev;		/* the filter evhttp uses */
	struct bufferevent	*sock;		/* the socket's, under it */
	struct event		*timer;
	struct event		*kick;		/* pushes a reply out */
	struct conn_peer	*peer;		/* NULL until known */
	int			 checked;	/* caps applied */
	int			 closing;
	int			 kicking;	/* in conn_kick_cb's flush */
	int			 got;		/* bytes since the deadline was
						   armed */
	enum conn_out		 out;
};

struct http_conns {
	struct server		*srv;
	long			 max, max_peer;	/* 0: from the config */
	struct conn		*bucket[CONN_BUCKETS];
	struct conn_peer	*peers;
	long			 n;		/* open connections */
	long			 refused;	/* over a cap, in all */
	long			 expired;	/* past the header deadline */
	struct evconnlistener	*listener;
	struct event		*resume;	/* re-enables the listener */
	time_t			 accept_logged;
	long			 accept_failed;	/* since the last log line */
};

/* The listener's error callback gets evhttp's argument, not ours: the
 * daemon's tables (the API's, the metrics listener's) are here. */
static struct http_conns *conn_tables[CONN_TABLES];

static size_t
conn_hash(const struct bufferevent *bev)
{
	uintptr_t	p = (uintptr_t)bev;

	return (size_t)((p >> 4) ^ (p >> 14)) % CONN_BUCKETS;
}

/* The limits in force: the configured ones, or their defaults. */
static long
conn_max(const struct conf *cf)
{
	struct rlimit	rl;
	long		n;

	if (cf->max_connections > 0)
		return (long)cf->max_connections;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return 1024;
	n = (long)rl.rlim_cur - CONN_HEADROOM;
	return n < 16 ? 16 : n;
}

static long
conn_max_peer(const struct conf *cf)
{
	if (cf->max_connections_per_peer > 0)
		return (long)cf->max_connections_per_peer;
	return conn_max(cf) / 2 > 0 ? conn_max(cf) / 2 : 1;
}

/* A whole JSON error reply that closes the connection, into buf. */
static void
conn_json_error(struct evbuffer *buf, int status, const char *code,
    const char *message)
{
	char	body[256];
	int	nb;

	nb = snprintf(body, sizeof(body),
	    "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code, message);
	evbuffer_add_printf(buf, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\nConnection: close\r\n"
	    "Content-Length: %d\r\n\r\n%s", status, http_reason(status), nb,
	    body);
}

/*
 * Write a JSON error reply straight to the socket, best effort (a fresh
 * or idle socket's send buffer takes these few hundred bytes), for a
 * connection we are about to close without evhttp.
 */
static void
conn_send_raw(struct conn *c, int status, const char *code,
    const char *message)
{
	struct evbuffer	*buf;
	int		 fd = (int)bufferevent_getfd(c->sock);

	if (fd == -1 || (buf = evbuffer_new()) == NULL)
		return;
	conn_json_error(buf, status, code, message);
	(void)evbuffer_write(buf, fd);
	evbuffer_free(buf);
}

/*
 * Close c under evhttp: shut the socket both ways, so evhttp reads an end
 * of file and frees the connection (and with it c) as when a client goes.
 */
static void
conn_close(struct conn *c)
{
	int	fd = (int)bufferevent_getfd(c->sock);

	c->closing = 1;
	evtimer_del(c->timer);
	if (fd != -1)
		shutdown(fd, SHUT_RDWR);
}

static void
conn_arm(struct conn *c)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)c->t->srv->conf->http_header_timeout;
	tv.tv_usec = 0;
	c->got = 0;
	evtimer_add(c->timer, &tv);
}

/* Count c against its peer's cap; 0 when within both caps. */
static int
conn_admit(struct conn *c)
{
	struct http_conns	*t = c->t;
	const struct conf	*cf = t->srv->conf;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct conn_peer	*p;
	char			 addr[INET6_ADDRSTRLEN] = "?";
	int			 fd = (int)bufferevent_getfd(c->sock), one = 1;

	if (fd != -1 && getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
		/*
		 * No Nagle: a reply leaves in two writes (conn_move holds
		 * its last byte back), and with Nagle the second waited for
		 * the client's delayed ACK, 40 ms on every request.
		 */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if (ss.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->
			    sin_addr, addr, sizeof(addr));
		else if (ss.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->
			    sin6_addr, addr, sizeof(addr));
	}
	for (p = t->peers; p != NULL; p = p->next)
		if (strcmp(p->addr, addr) == 0)
			break;
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		snprintf(p->addr, sizeof(p->addr), "%s", addr);
		p->next = t->peers;
		t->peers = p;
	}
	p->n++;
	c->peer = p;
	return t->n > (t->max ? t->max : conn_max(cf)) ||
	    p->n > (t->max_peer ? t->max_peer : conn_max_peer(cf)) ? -1 : 0;
}

/*
 * Apply the caps, once, as soon as the socket is known: right after the
 * accept (the timer, made active at once) or at its first bytes, whichever
 * runs first.  -1 when refused (a 503 sent, the connection closing).
 */
static int
conn_check(struct conn *c)
{
	if (c->checked)
		return c->closing ? -1 : 0;
	c->checked = 1;
	if (conn_admit(c) == 0) {
		conn_arm(c);
		return 0;
	}
	c->t->refused++;
	log_debug("refusing a connection from %s: %ld open, %ld from it",
	    c->peer->addr, c->t->n, c->peer->n);
	conn_send_raw(c, 503, "too_many_connections",
	    "too many connections; try again later");
	conn_close(c);
	return -1;
}

/* The timer: the caps first, then the header deadline passed. */
static void
conn_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	if (c->closing)
		return;
	if (!c->checked) {
		conn_check(c);
		return;
	}
	c->t->expired++;
	log_debug("closing a connection from %s: no whole request in %llds",
	    c->peer != NULL ? c->peer->addr : "?",
	    c->t->srv->conf->http_header_timeout);
	/* A 408 for a request begun, when nothing of a reply is still on its
	 * way out; an idle keep-alive connection just goes. */
	if (c->got && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0 &&
	    evbuffer_get_length(bufferevent_get_output(c->sock)) == 0)
		conn_send_raw(c, 408, "timeout",
		    "the request did not arrive in time");
	conn_close(c);
}

/* Bytes in: passed through, or dropped for a connection being closed. */
static enum bufferevent_filter_result
conn_in_cb(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
    enum bufferevent_flush_mode mode, void *arg)
{
	struct conn	*c = arg;

	(void)limit;
	(void)mode;
	/* Not one byte of a refused connection reaches evhttp. */
	if (conn_check(c) == -1) {
		evbuffer_drain(src, evbuffer_get_length(src));
		return BEV_OK;
	}
	if (evbuffer_get_length(src) > 0)
		c->got = 1;
	evbuffer_add_buffer(dst, src);
	return BEV_OK;
}

/* The JSON error for one of libevent's own error statuses. */
static void
conn_page(int status, const char **code, const char **message)
{
	switch (status) {
	case 400:
		*code = "bad_request";
		*message = "the request line or headers cannot be parsed, or "
		    "the header block is too large";
		break;
	case 413:
		*code = "too_large";
		*message = "the request body is too large";
		break;
	case 417:
		*code = "expectation_failed";
		*message = "the Expect header is not supported";
		break;
	case 501:
		*code = "not_implemented";
		*message = "the method is not supported";
		break;
	case 505:
		*code = "http_version";
		*message = "the HTTP version is not supported";
		break;
	default:
		*code = "http_error";
		*message = "the request was refused";
		break;
	}
}

/*
 * Write what the socket's buffer holds now, as far as the kernel takes it.
 * A socket bufferevent keeps its output frozen at the front except while
 * it writes itself; we are on the loop's thread, between its writes.
 */
static void
conn_push(struct conn *c, struct evbuffer *dst)
{
	int	fd = (int)bufferevent_getfd(c->sock);

	if (fd == -1 || evbuffer_get_length(dst) == 0)
		return;
	evbuffer_unfreeze(dst, 1);
	(void)evbuffer_write(dst, fd);
	evbuffer_freeze(dst, 1);
}

/*
 * Move src to dst, the reply's last byte only once the socket has taken
 * everything before it, and then write it at once (both writes are one
 * when the kernel takes the reply whole).  evhttp learns that a
 * reply is out when the filter's own buffer is empty, and closes at once
 * when the reply says "Connection: close", freeing the socket's buffer
 * with whatever it still held: holding one byte back keeps evhttp waiting
 * until the socket's buffer is empty (its write callback calls us again).
 */
static enum bufferevent_filter_result
conn_move(struct conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	size_t	n = evbuffer_get_length(src);
	int	fd = (int)bufferevent_getfd(c->sock);

	/*
	 * Nothing queued before it: write the reply straight from src, in
	 * one write (one packet) when the kernel takes it whole, which is
	 * what happens but under a slow reader.  Only what is left goes the
	 * careful way below.
	 */
	if (evbuffer_get_length(dst) == 0 && fd != -1 &&
	    evbuffer_write(src, fd) > 0 && (n = evbuffer_get_length(src)) == 0)
		return BEV_OK;
	if (n > 1)
		evbuffer_remove_buffer(src, dst, n - 1);
	conn_push(c, dst);
	if (evbuffer_get_length(dst) > 0)
		return BEV_NEED_MORE;	/* the socket's write callback
					   calls again when it is empty */
	evbuffer_add_buffer(dst, src);
	conn_push(c, dst);
	return BEV_OK;
}

/*
 * Bytes out.  Each reply evhttp writes starts with its status line, and
 * its whole head is in the buffer before the filter runs (the kick below
 * runs after evhttp's call returns); a head that is one of libevent's
 * error pages (a status of 400 or more with "Content-Type: text/html",
 * which no reply of ours has) is swallowed with its body and the JSON
 * error goes out instead; evhttp closes the connection after it
 * ("Connection: close").
 */
static enum bufferevent_filter_result
conn_out_cb(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
    enum bufferevent_flush_mode mode, void *arg)
{
	struct conn		*c = arg;
	struct evbuffer_ptr	 end;
	const char		*code, *message;
	char			*head;
	size_t			 n;
	int			 status;

	(void)limit;
	(void)mode;
	/* Only under the kick's flush, which holds a reference on the
	 * filter: the socket's write callback calls us without one, and the
	 * reply's end makes evhttp free the connection, after which
	 * libevent 2.1.12 re-arms the filter's write timeout on freed memory
	 * (an event left in its timer heap, and the loop spins). */
	if (!c->kicking) {
		event_active(c->kick, EV_TIMEOUT, 0);
		return BEV_NEED_MORE;
	}
	if ((n = evbuffer_get_length(src)) == 0)
		return BEV_NEED_MORE;	/* nothing moved: no write callback */
	if (c->out == CONN_OUT_SWALLOW) {
		/* Keep the last byte, as conn_move does, until the JSON
		 * error has left. */
		if (n > 1)
			evbuffer_drain(src, n - 1);
		conn_push(c, dst);
		if (evbuffer_get_length(dst) > 0)
			return BEV_NEED_MORE;
		evbuffer_drain(src, evbuffer_get_length(src));
		return BEV_OK;
	}
	if (n < 12 || memcmp(evbuffer_pullup(src, 12), "HTTP/1.", 7) != 0)
		return conn_move(c, src, dst);
	end = evbuffer_search(src, "\r\n\r\n", 4, NULL);
	if (end.pos == -1)
		return conn_move(c, src, dst);
	/* The start of a reply: a request is done, the next has its time. */
	if (!c->closing)
		conn_arm(c);
	head = (char *)evbuffer_pullup(src, end.pos + 4);
	status = atoi(head + 9);
	if (status < 400 || memmem(head, end.pos + 4,
	    "\r\nContent-Type: text/html\r\n", 27) == NULL)
		return conn_move(c, src, dst);
	conn_page(status, &code, &message);
	conn_json_error(dst, status, code, message);
	c->out = CONN_OUT_SWALLOW;
	evbuffer_drain(src, evbuffer_get_length(src) - 1);
	conn_push(c, dst);
	return BEV_NEED_MORE;
}

/*
 * The one place output moves.  A filter moves its output only while evhttp
 * has writing enabled, and evhttp enables it after it has filled the
 * buffer, which moves nothing: every add, and every call of the filter
 * from the socket's write callback, schedules this kick, which runs once
 * evhttp's call returned and flushes with a reference held (c itself is
 * freed later, by the filter's finalizer).
 */
static void
conn_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	(void)what;
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		return;
	c->kicking = 1;
	bufferevent_flush(c->bev, EV_WRITE, BEV_NORMAL);
	c->kicking = 0;
}

static void
conn_outbuf_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*c = arg;

	(void)buf;
	if (info->n_added > 0)
		event_active(c->kick, EV_TIMEOUT, 0);
}

/* The filter is freed with its connection: forget it. */
static void
conn_free_cb(void *arg)
{
	struct conn		*c = arg;
	struct http_conns	*t = c->t;
	struct conn		**pp;
	struct conn_peer	**pq;

	for (pp = &t->bucket[conn_hash(c->bev)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->peer != NULL && --c->peer->n == 0)
		for (pq = &t->peers; *pq != NULL; pq = &(*pq)->next)
			if (*pq == c->peer) {
				*pq = c->peer->next;
				free(c->peer);
				break;
			}
	t->n--;
	event_free(c->timer);
	event_free(c->kick);
	free(c);
}

/* evhttp's bevcb: a new connection is being accepted. */
static struct bufferevent *
conn_bev_cb(struct event_base *base, void *arg)
{
	struct http_conns	*t = arg;
	struct conn		*c;
	struct bufferevent	*sock;
	size_t			 h;

	/* The socket's fd is set by evhttp right after we return; closing
	 * the filter frees the socket's bufferevent, which closes it. */
	if ((sock = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) ==
	    NULL)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->t = t;
	c->sock = sock;
	c->bev = bufferevent_filter_new(sock, conn_in_cb, conn_out_cb,
	    BEV_OPT_CLOSE_ON_FREE, conn_free_cb, c);
	if (c->bev == NULL) {
		bufferevent_free(sock);
		free(c);
		return NULL;
	}
	c->timer = evtimer_new(base, conn_timer_cb, c);
	c->kick = evtimer_new(base, conn_kick_cb, c);
	evbuffer_add_cb(bufferevent_get_output(c->bev), conn_outbuf_cb, c);
	h = conn_hash(c->bev);
	c->next = t->bucket[h];
	t->bucket[h] = c;
	t->n++;
	/* The caps are applied once the socket is known: at once. */
	event_active(c->timer, EV_TIMEOUT, 0);
	return c->bev;
}

static void
conn_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_conns	*t = arg;

	(void)fd;
	(void)what;
	if (t->listener != NULL)
		evconnlistener_enable(t->listener);
}

/*
 * accept() failed.  Out of descriptors, the socket stays readable, so
 * libevent would call again at once: pause the listener, let the pending
 * connections wait in the backlog, log at most once a second.
 */
static void
conn_accept_error_cb(struct evconnlistener *lev, void *arg)
{
	struct http_conns	*t = NULL;
	struct timeval		 tv = { 0, ACCEPT_PAUSE_MS * 1000 };
	int			 e = EVUTIL_SOCKET_ERROR();
	time_t			 now = time(NULL);
	int			 i;

	(void)arg;
	for (i = 0; i < CONN_TABLES && t == NULL; i++)
		if (conn_tables[i] != NULL && conn_tables[i]->listener == lev)
			t = conn_tables[i];
	if (t == NULL)
		return;
	t->accept_failed++;
	if (now != t->accept_logged) {
		log_warnx("accept: %s (%ld times); pausing new connections",
		    strerror(e), t->accept_failed);
		t->accept_logged = now;
		t->accept_failed = 0;
	}
	if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
		evconnlistener_disable(lev);
		evtimer_add(t->resume, &tv);
	}
}

/*
 * Put the guard in front of http (an evhttp of srv) and its listener
 * (from evhttp_accept_socket_with_handle): the API's, or with metrics
 * the metrics listener's.  0, or -1 with *cause.
 */
int
http_conn_start(struct server *srv, struct evhttp *http,
    struct evhttp_bound_socket *bound, int metrics, char **cause)
{
	struct http_conns	*t;

	t = xcalloc(1, sizeof(*t));
	t->srv = srv;
	if (metrics) {
		t->max = METRICS_MAX;
		t->max_peer = METRICS_MAX_PEER;
	}
	if ((t->resume = evtimer_new(srv->base, conn_resume_cb, t)) == NULL) {
		free(t);
		xasprintf(cause, "cannot create the accept timer");
		return -1;
	}
	t->listener = evhttp_bound_socket_get_listener(bound);
	conn_tables[metrics ? 1 : 0] = t;
	evconnlistener_set_error_cb(t->listener, conn_accept_error_cb);
	if (metrics)
		srv->metrics_conns = t;
	else
		srv->conns = t;
	evhttp_set_bevcb(http, conn_bev_cb, t);
	return 0;
}

/* A whole request reached http.c: its connection's deadline stops. */
void
http_conn_request(struct server *srv, struct evhttp_request *ev,
    int metrics)
{
	struct http_conns	*t = metrics ? srv->metrics_conns : srv->conns;
	struct evhttp_connection *evcon = evhttp_request_get_connection(ev);
	struct bufferevent	*bev;
	struct conn		*c;

	if (t == NULL || evcon == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	for (c = t->bucket[conn_hash(bev)]; c != NULL; c = c->next)
		if (c->bev == bev) {
			evtimer_del(c->timer);
			break;
		}
}

/* Open connections and the counters, for /v1/status. */
void
http_conn_counts(const struct server *srv, long *open, long *refused,
    long *expired)
{
	const struct http_conns	*t = srv->conns;

	*open = t != NULL ? t->n : 0;
	*refused = t != NULL ? t->refused : 0;
	*expired = t != NULL ? t->expired : 0;
}

static void
conn_table_free(struct http_conns *t)
{
	struct conn_peer	*p;
	int			 i;

	if (t == NULL)
		return;
	while ((p = t->peers) != NULL) {
		t->peers = p->next;
		free(p);
	}
	event_free(t->resume);
	for (i = 0; i < CONN_TABLES; i++)
		if (conn_tables[i] == t)
			conn_tables[i] = NULL;
	free(t);
}

/* After evhttp_free (which freed every connection): the tables. */
void
http_conn_free(struct server *srv)
{
	conn_table_free(srv->conns);
	conn_table_free(srv->metrics_conns);
	srv->conns = NULL;
	srv->metrics_conns = NULL;
}
