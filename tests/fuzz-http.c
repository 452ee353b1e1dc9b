/*
 * fuzz-http.c -- fuzz whole HTTP requests (request line, headers, body)
 * through recircd's own server: libevent's evhttp set up by http_start,
 * the route table, authentication against a temporary SQLite database,
 * every api_* handler, the group commit and the planner, in this process
 * on one event base, as recircd.c wires them.
 *
 * Each input is written to a fresh connection (a Unix socket the server
 * accepts on), the write side is shut, and the loop runs until the
 * server closes the connection: after a reply, or on a request it
 * refuses.  The property is the one issue 15 asks of the daemon: the
 * process survives every input (no fatal*, crash or sanitizer report)
 * and never leaves a connection hanging.  A reply must begin with an
 * HTTP status line.
 *
 * Tokens exist for each role (Authorization: Bearer operator-token,
 * ops-token, planner-token, admin-token; see tests/data/fuzz-http.dict),
 * and a small network is seeded, so the fuzzer reaches the handlers
 * behind authentication.  The solver is /bin/false: a plan that gets as
 * far as the solver fails quickly.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "recircd.h"
#include "fuzz.h"

#define FZ_HANG_SECONDS	20	/* no close by then: the server hangs */

static const char *const fz_tokens[ROLE_COUNT] = {
	"operator-token", "ops-token", "planner-token", "admin-token"
};

static const char fz_network[] =
    "{\"centres\":[{\"id\":\"north\",\"name\":\"North\",\"lat\":51.47,"
    "\"lon\":-2.59,\"existing\":true,\"fixed_cost\":0,\"capacity_kg\":"
    "{\"repair\":300,\"reuse\":600,\"recycle\":2000,\"dispose\":3000}}],"
    "\"fleet\":[{\"id\":\"van\",\"centre\":\"north\",\"count\":2,"
    "\"capacity\":{\"kg\":1000,\"m3\":12,\"items\":40},\"fixed_cost\":45,"
    "\"cost_per_km\":0.35}],"
    "\"processors\":[{\"id\":\"mrf\",\"stream\":\"recycle\",\"name\":"
    "\"MRF\",\"cost_per_kg\":0.04}],"
    "\"rules\":[{\"category\":\"mattress\",\"condition\":\"*\","
    "\"stream\":\"recycle\",\"value\":0.05}]}";

static struct server		 fz_srv;
static struct sockaddr_un	 fz_addr;
static socklen_t		 fz_addrlen;

/* One connection's state while the loop runs. */
struct fz_conn {
	int		 fd;
	const uint8_t	*data;
	size_t		 size, sent;
	char		 head[5];	/* first bytes of the reply */
	size_t		 nhead;
	int		 done;
	struct event	*ev;
};

static __dead void
fz_fail(const char *what, const char *cause)
{
	fprintf(stderr, "fuzz-http: %s: %s\n", what, cause ? cause :
	    strerror(errno));
	abort();
}

static void
fz_tick_cb(evutil_socket_t fd, short what, void *arg)
{
}

static void
fz_commit_cb(evutil_socket_t fd, short what, void *arg)
{
	commit_drain(fz_srv.committer);
}

/* Tokens for every role, and the network, straight into the store. */
static void
fz_populate(struct store *st)
{
	unsigned char		 hash[TOKEN_HASH_LEN];
	struct network		 n;
	struct api_error	 e;
	json_t			*j;
	char			*cause = NULL;
	int64_t			 id;
	size_t			 i;
	int			 r, k;

	for (r = 0; r < ROLE_COUNT; r++) {
		token_hash(fz_tokens[r], hash);
		if (store_token_add(st, r == ROLE_OPERATOR ? "acme" :
		    role_name(r), r, hash, time(NULL), &id, &cause) != STORE_OK)
			fz_fail("token add", cause);
	}
	if ((j = json_loads(fz_network, 0, NULL)) == NULL ||
	    network_seed_parse(j, &n, &e) == -1)
		fz_fail("network", e.message);
	json_decref(j);
	if (store_begin(st, &cause) == -1)
		fz_fail("begin", cause);
	for (k = 0; k < NET_KIND_COUNT; k++)
		for (i = 0; i < network_count(&n, k); i++)
			if (store_network_put(st, k, network_item(&n, k, i), 1,
			    time(NULL), &cause) != STORE_OK)
				fz_fail("network put", cause);
	if (store_commit(st, &cause) == -1)
		fz_fail("commit", cause);
	network_clear(&n);
}

/* A listening Unix socket in the abstract namespace, for http_start. */
static int
fz_listen(void)
{
	int	fd;

	memset(&fz_addr, 0, sizeof(fz_addr));
	fz_addr.sun_family = AF_UNIX;
	snprintf(fz_addr.sun_path + 1, sizeof(fz_addr.sun_path) - 1,
	    "recirc-fuzz-http-%ld", (long)getpid());
	fz_addrlen = offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(fz_addr.sun_path + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&fz_addr, fz_addrlen) == -1 ||
	    listen(fd, 64) == -1)
		fz_fail("listen", NULL);
	return fd;
}

static char	*fz_dir;

/* At exit (libFuzzer's -max_total_time and -runs end with exit()):
 * remove the directory, with the database and any plan's problem file
 * (TMPDIR points here) a plan still running left. */
static void
fz_cleanup(void)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PATH_MAX];

	if (fz_dir == NULL || (d = opendir(fz_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", fz_dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(fz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char	*tmp = getenv("TMPDIR");
	struct conf	*cf = xcalloc(1, sizeof(*cf));
	struct event	*ev;
	struct timeval	 tick = { 1, 0 };
	char		*cause = NULL;

	log_init(1, 0, "fuzz-http");
	signal(SIGPIPE, SIG_IGN);
	xasprintf(&fz_dir, "%s/recirc-fuzz-http.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(fz_dir) == NULL)
		fz_fail("mkdtemp", NULL);
	atexit(fz_cleanup);
	/* Plans' problem files go there too (plan.c writes to TMPDIR). */
	setenv("TMPDIR", fz_dir, 1);
	conf_init(cf);
	x_free(cf->database);
	xasprintf(&cf->database, "%s/recircd.db", fz_dir);
	x_free(cf->solver);
	cf->solver = xstrdup("/bin/false");
	fz_srv.conf = cf;
	fz_srv.catalogue = catalogue_default();
	if ((fz_srv.base = event_base_new()) == NULL)
		fz_fail("event_base_new", "failed");
	if ((fz_srv.store = store_open(cf->database, 1, &cause)) == NULL ||
	    store_migrate(fz_srv.store, &cause) == -1)
		fz_fail("store", cause);
	fz_populate(fz_srv.store);
	fz_srv.auth = auth_cache_new();
	if ((fz_srv.committer = commit_start(cf->database, cf->commit_batch,
	    &cause)) == NULL)
		fz_fail("commit_start", cause);
	if (http_start(&fz_srv, api_routes, api_nroutes, fz_listen(),
	    &cause) == -1)
		fz_fail("http_start", cause);
	if (plan_init(&fz_srv, &cause) == -1)
		fz_fail("plan_init", cause);
	ev = event_new(fz_srv.base, commit_fd(fz_srv.committer),
	    EV_READ | EV_PERSIST, fz_commit_cb, NULL);
	event_add(ev, NULL);
	ev = event_new(fz_srv.base, -1, EV_PERSIST, fz_tick_cb, NULL);
	event_add(ev, &tick);
	fz_srv.started = time(NULL);
	/* The database goes when the process exits (fz_cleanup). */
	fprintf(stderr, "fuzz-http: database in %s\n", fz_dir);
	return 0;
}

/* Write what is left of the request, read (and keep the start of) the
 * reply; done at the server's close. */
static void
fz_conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fz_conn	*c = arg;
	char		 buf[4096];
	ssize_t		 n;

	if ((what & EV_WRITE) && c->sent < c->size) {
		n = write(fd, c->data + c->sent, c->size - c->sent);
		if (n > 0)
			c->sent += n;
		else if (n == -1 && errno != EAGAIN && errno != EINTR)
			c->sent = c->size;	/* closed on us: fine */
		if (c->sent == c->size) {
			shutdown(fd, SHUT_WR);
			event_del(c->ev);
			event_assign(c->ev, fz_srv.base, fd,
			    EV_READ | EV_PERSIST, fz_conn_cb, c);
			event_add(c->ev, NULL);
		}
	}
	if (what & EV_READ) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (c->nhead < sizeof(c->head)) {
				size_t k = sizeof(c->head) - c->nhead;

				memcpy(c->head + c->nhead, buf,
				    (size_t)n < k ? (size_t)n : k);
				c->nhead += (size_t)n < k ? (size_t)n : k;
			}
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			c->done = 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_conn	 c;
	time_t		 start = time(NULL);

	memset(&c, 0, sizeof(c));
	c.data = data;
	c.size = size;
	if ((c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    connect(c.fd, (struct sockaddr *)&fz_addr, fz_addrlen) == -1)
		fz_fail("connect", NULL);
	if (size == 0)
		shutdown(c.fd, SHUT_WR);
	c.ev = event_new(fz_srv.base, c.fd, (size ? EV_WRITE : 0) | EV_READ |
	    EV_PERSIST, fz_conn_cb, &c);
	event_add(c.ev, NULL);
	while (!c.done) {
		if (time(NULL) - start > FZ_HANG_SECONDS) {
			fprintf(stderr, "fuzz-http: no close after %d s\n",
			    FZ_HANG_SECONDS);
			abort();
		}
		/* fz_tick wakes it at least once a second. */
		event_base_loop(fz_srv.base, EVLOOP_ONCE);
	}
	event_free(c.ev);
	close(c.fd);
	/* Whatever the server sent, it is HTTP. */
	if (c.nhead > 0 && (c.nhead < 5 || memcmp(c.head, "HTTP/", 5) != 0))
		abort();
	return 0;
}
