/*
 * webhook-sink.c -- a stand-in webhook receiver for the tests: it takes
 * POSTs on 127.0.0.1 and writes each one as a JSON line (sequence number,
 * path, the X-Recirc-Signature header, Content-Type, the body as a string
 * and the answer given) to a log, so a test can check what arrived, in
 * which order, and recompute each signature itself.
 *
 *   webhook-sink [-p port] [-l log] [-f faults] [-d delay_ms]
 *
 * -f: a comma list of what to do with successive requests, one item each,
 * then "ok": ok (204), 500, 503, 410, drop (close without answering),
 * hang (answer only after 60 s).  -d: answer every request that many
 * milliseconds late.  SIGUSR1 forgets the remaining faults ("recovers").
 * With -p 0 the port chosen is printed on stdout.  Stops on SIGTERM.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/queue.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "json.h"

struct pending {
	struct evhttp_request	*req;
	int			 status;
	struct event		*ev;
};

static struct event_base *base;
static FILE		*reqlog;
static char		**faults;
static int		 nfaults, fault_next, delay_ms;
static long		 seq;

static void
answer(struct evhttp_request *req, int status)
{
	evhttp_send_reply(req, status, status < 300 ? "OK" : "Error", NULL);
}

static void
delayed_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pending	*p = arg;

	answer(p->req, p->status);
	event_free(p->ev);
	free(p);
}

static void
later(struct evhttp_request *req, int status, int ms)
{
	struct pending	*p = calloc(1, sizeof(*p));
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (p == NULL)
		exit(1);
	p->req = req;
	p->status = status;
	p->ev = evtimer_new(base, delayed_cb, p);
	evtimer_add(p->ev, &tv);
}

static void
request_cb(struct evhttp_request *req, void *arg)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);
	const char	*fault = fault_next < nfaults ? faults[fault_next++] : "ok";
	const char	*sig, *ct, *id, *evname;
	json_t		*line;
	char		*text, *body;
	int		 status = 204;

	body = calloc(1, len + 1);
	if (body == NULL)
		exit(1);
	evbuffer_copyout(in, body, len);
	sig = evhttp_find_header(h, "X-Recirc-Signature");
	ct = evhttp_find_header(h, "Content-Type");
	id = evhttp_find_header(h, "X-Recirc-Delivery");
	evname = evhttp_find_header(h, "X-Recirc-Event");
	if (strcmp(fault, "ok") != 0 && strcmp(fault, "drop") != 0 &&
	    strcmp(fault, "hang") != 0)
		status = atoi(fault);
	line = json_pack("{s:I,s:s,s:s?,s:s?,s:s?,s:s?,s:s%,s:s}", "n",
	    (json_int_t)++seq, "path", evhttp_request_get_uri(req),
	    "signature", sig, "content_type", ct, "delivery", id, "event",
	    evname, "body", body, len, "answer", fault);
	if (line != NULL && reqlog != NULL) {
		text = json_dumps(line, JSON_COMPACT);
		fprintf(reqlog, "%s\n", text);
		fflush(reqlog);
		free(text);
	}
	json_decref(line);
	free(body);
	if (strcmp(fault, "drop") == 0) {
		evhttp_connection_free(evhttp_request_get_connection(req));
		return;
	}
	if (strcmp(fault, "hang") == 0)
		later(req, 204, 60000);
	else if (delay_ms > 0)
		later(req, status, delay_ms);
	else
		answer(req, status);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	if (sig == SIGUSR1)
		fault_next = nfaults;
	else
		event_base_loopexit(base, NULL);
}

int
main(int argc, char **argv)
{
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct sockaddr_in		 sin;
	socklen_t			 slen = sizeof(sin);
	const char			*logpath = NULL;
	char				*f;
	int				 port = 0, ch, sigs[] = { SIGTERM,
					    SIGINT, SIGUSR1 };
	size_t				 i;

	while ((ch = getopt(argc, argv, "p:l:f:d:")) != -1) {
		switch (ch) {
		case 'p': port = atoi(optarg); break;
		case 'l': logpath = optarg; break;
		case 'd': delay_ms = atoi(optarg); break;
		case 'f':
			for (f = strtok(optarg, ","); f != NULL;
			    f = strtok(NULL, ",")) {
				faults = realloc(faults, (nfaults + 1) *
				    sizeof(char *));
				if (faults == NULL)
					return 1;
				faults[nfaults++] = f;
			}
			break;
		default:
			fprintf(stderr, "usage: webhook-sink [-p port] [-l log] "
			    "[-f faults] [-d ms]\n");
			return 2;
		}
	}
	if (logpath != NULL && (reqlog = fopen(logpath, "a")) == NULL) {
		perror(logpath);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	http = evhttp_new(base);
	evhttp_set_gencb(http, request_cb, NULL);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_POST);
	if ((sock = evhttp_bind_socket_with_handle(http, "127.0.0.1",
	    port)) == NULL) {
		fprintf(stderr, "webhook-sink: cannot listen on 127.0.0.1:%d\n",
		    port);
		return 1;
	}
	getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sin,
	    &slen);
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		event_add(evsignal_new(base, sigs[i], signal_cb, NULL), NULL);
	event_base_dispatch(base);
	if (reqlog != NULL)
		fclose(reqlog);
	return 0;
}
