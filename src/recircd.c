/*
 * recircd.c -- main: options, configuration, store, listen, daemonise, loop.
 *
 * Start-up order (as the OpenBSD daemons do it): options, configuration,
 * open the store and migrate it and close it again (so errors reach the
 * terminal), bind, drop privileges, daemonise, then create the event base
 * and reopen the store.  The "token" subcommands manage API tokens on the
 * host, without the HTTP API.
 *
 * Every fatal() here is start-up (before the loop takes a request) or a
 * one-shot command (token, seed) whose error goes to the terminal with
 * exit 1; nothing a request, stored data or the solver sends reaches one.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "recircd.h"

#ifndef RECIRC_SYSCONFDIR
#define RECIRC_SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONF RECIRC_SYSCONFDIR "/recircd.conf"

struct options {
	int		 foreground;
	int		 check_only;
	int		 verbose;
	const char	*conf_path;	/* NULL: default file if it exists */
	char		**defines;
	int		 ndefines;
};

static struct server	 server;
static struct options	 opts;
static struct event	*drain_timer;
static struct timespec	 drain_started;

static void
usage_text(FILE *fp)
{
	fprintf(fp,
	    "usage: recircd [-dnv] [-f config] [-D keyword=value ...]\n"
	    "       recircd [-f config] [-D keyword=value ...] token add "
	    "OPERATOR ROLE\n"
	    "       recircd [-f config] [-D keyword=value ...] token list\n"
	    "       recircd [-f config] [-D keyword=value ...] token revoke "
	    "ID\n"
	    "       recircd [-f config] [-D keyword=value ...] seed FILE\n"
	    "       recircd [-f config] [-D keyword=value ...] backup FILE\n"
	    "       recircd verify FILE\n"
	    "       recircd -V | --version | -h | --help\n");
}

static __dead void
usage(void)
{
	usage_text(stderr);
	exit(2);
}

/*
 * Build the configuration: defaults, then the file, then -D overrides.
 * Returns 0, or -1 with *cause.
 */
static int
load_config(struct conf *cf, char **cause)
{
	const char	*path = opts.conf_path;
	int		 i;

	conf_init(cf);
	if (path == NULL && access(DEFAULT_CONF, F_OK) == 0)
		path = DEFAULT_CONF;
	if (path != NULL && conf_load(cf, path, cause) == -1)
		return -1;
	for (i = 0; i < opts.ndefines; i++)
		if (conf_set(cf, opts.defines[i], cause) == -1)
			return -1;
	return conf_check(cf, cause);
}

static struct catalogue *
load_catalogue(const struct conf *cf, char **cause)
{
	if (cf->catalogue == NULL)
		return catalogue_default();
	return catalogue_load(cf->catalogue, cause);
}

/* mkdir the directory holding path when it is missing (one level). */
static void
ensure_parent(const char *path)
{
	char	*copy = xstrdup(path), *dir = dirname(copy);

	if (access(dir, F_OK) == -1 && mkdir(dir, 0750) == -1 &&
	    errno != EEXIST)
		log_warn("mkdir %s", dir);
	x_free(copy);
}

/* Open, migrate and (unless keep) close the store; fatal on failure. */
static struct store *
open_store(const char *path, int keep)
{
	struct store	*st;
	char		*cause = NULL;

	if (!store_is_postgresql(path))
		ensure_parent(path);
	if ((st = store_open(path, 1, &cause)) == NULL ||
	    store_migrate(st, &cause) == -1)
		fatalx("database %s", cause);
	if (keep)
		return st;
	store_close(st);
	return NULL;
}

static int
token_cmd(struct conf *cf, int argc, char **argv)
{
	struct store		*st;
	struct token_row	*rows;
	enum store_result	 res;
	unsigned char		 hash[TOKEN_HASH_LEN];
	char			*tok, *cause = NULL, when[21], *end;
	size_t			 n, i;
	int64_t			 id;
	int			 role;

	if (argc < 1)
		usage();
	st = open_store(cf->database, 1);
	if (strcmp(argv[0], "add") == 0 && argc == 3) {
		if ((role = role_parse(argv[2])) == -1)
			fatalx("unknown role %s (operator, ops, planner, admin)",
			    argv[2]);
		if (argv[1][0] == '\0' || strlen(argv[1]) > 64)
			fatalx("operator names are 1 to 64 characters");
		tok = token_generate();
		if (token_hash(tok, hash) == -1)
			fatalx("token add: libcrypto cannot compute SHA-256");
		if ((res = store_token_add(st, argv[1], role, hash, time(NULL),
		    &id, &cause)) != STORE_OK)
			fatalx("token add: %s", cause);
		printf("%s\n", tok);
		fprintf(stderr, "token %lld for %s (%s) created; it is shown "
		    "only once\n", (long long)id, argv[1], argv[2]);
		memset(tok, 0, strlen(tok));
		x_free(tok);
	} else if (strcmp(argv[0], "list") == 0 && argc == 1) {
		if (store_token_list(st, &rows, &n, &cause) != STORE_OK)
			fatalx("token list: %s", cause);
		printf("%-6s %-24s %-9s %-20s %s\n", "ID", "OPERATOR", "ROLE",
		    "CREATED", "STATE");
		for (i = 0; i < n; i++) {
			time_format(rows[i].created, when);
			printf("%-6lld %-24s %-9s %-20s %s\n",
			    (long long)rows[i].id, rows[i].operator,
			    role_name(rows[i].role), when,
			    rows[i].revoked ? "revoked" : "active");
		}
		token_rows_free(rows, n);
	} else if (strcmp(argv[0], "revoke") == 0 && argc == 2) {
		id = strtoll(argv[1], &end, 10);
		if (*end != '\0' || id < 1)
			fatalx("token revoke: %s is not a token id", argv[1]);
		res = store_token_revoke(st, id, time(NULL), &cause);
		if (res == STORE_NOTFOUND)
			fatalx("token revoke: no active token %lld",
			    (long long)id);
		if (res != STORE_OK)
			fatalx("token revoke: %s", cause);
		fprintf(stderr, "token %lld revoked\n", (long long)id);
	} else
		usage();
	store_close(st);
	return 0;
}

/*
 * Insert or replace every object of the seed; the caller holds the
 * transaction.  Centres come before the vehicle types kept there.
 */
static enum store_result
seed_store(struct store *st, const struct network *n, char **cause)
{
	enum store_result		 res = STORE_OK;
	int64_t				 now = time(NULL);
	const struct vehicle_type	*v;
	const void			*obj;
	size_t				 i;
	int				 k;

	for (k = 0; res == STORE_OK && k < NET_KIND_COUNT; k++) {
		for (i = 0; res == STORE_OK && i < network_count(n, k); i++) {
			obj = network_item(n, k, i);
			if ((res = store_network_put(st, k, obj, 1, now,
			    cause)) == STORE_CONFLICT)
				res = store_network_put(st, k, obj, 0, now,
				    cause);
			if (res == STORE_INVALID && k == NET_VEHICLE) {
				v = obj;
				xasprintf(cause, "fleet %s: no centre %s",
				    v->id, v->centre);
			}
		}
	}
	return res;
}

/* recircd seed FILE: load a network seed (etc/network-seed.json). */
static int
seed_cmd(struct conf *cf, int argc, char **argv)
{
	struct network		 n;
	struct api_error	 e;
	struct store		*st;
	json_error_t		 jerr;
	json_t			*in;
	char			*cause = NULL;

	if (argc != 1)
		usage();
	if ((in = json_load_file(argv[0], JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL)
		fatalx("%s:%d: %s", argv[0], jerr.line, jerr.text);
	memset(&e, 0, sizeof(e));
	if (network_seed_parse(in, &n, &e) == -1)
		fatalx("%s: %s%s%s", argv[0], e.field, e.field[0] ? ": " : "",
		    e.message);
	json_decref(in);
	st = open_store(cf->database, 1);
	if (store_begin(st, &cause) == -1)
		fatalx("seed: %s", cause);
	if (seed_store(st, &n, &cause) != STORE_OK) {
		store_rollback(st);
		fatalx("seed: %s", cause ? cause : "failed");
	}
	if (store_commit(st, &cause) == -1)
		fatalx("seed: %s", cause);
	fprintf(stderr, "seeded %zu centres, %zu vehicle types, %zu "
	    "processors, %zu rules\n", n.ncentres, n.nfleet, n.nprocs,
	    n.nrules);
	network_clear(&n);
	store_close(st);
	return 0;
}

/*
 * What a database holds, for backup and verify: its schema version,
 * integrity_check, and its pickups and network counted.  0 when sound.
 */
static int
describe_store(struct store *st, const char *name)
{
	long long	 counts[PICKUP_STATUS_COUNT], total = 0;
	struct network	 n;
	char		*cause = NULL;
	int		 i, v;

	if ((v = store_version(st)) < 1) {
		fprintf(stderr, "recircd: %s: not a recircd database (schema "
		    "version %d)\n", name, v);
		return -1;
	}
	if (store_integrity(st, &cause) == -1) {
		fprintf(stderr, "recircd: %s: integrity check failed: %s\n",
		    name, cause);
		free(cause);
		return -1;
	}
	if (store_pickup_counts(st, NULL, counts, &cause) != STORE_OK ||
	    store_network_load(st, &n, &cause) != STORE_OK) {
		fprintf(stderr, "recircd: %s: %s\n", name, cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < PICKUP_STATUS_COUNT; i++)
		total += counts[i];
	printf("%s: schema version %d, integrity ok, %lld pickups, %zu "
	    "centres, %zu vehicle types, %zu processors, %zu rules\n", name,
	    v, total, n.ncentres, n.nfleet, n.nprocs, n.nrules);
	network_clear(&n);
	return 0;
}

/*
 * recircd backup FILE: a consistent copy of the configured database while
 * the daemon runs and takes writes (SQLite's online backup API), checked
 * before it replaces FILE.  The database is opened as it is, never
 * created or migrated.
 */
static int
backup_cmd(struct conf *cf, int argc, char **argv)
{
	struct store	*st, *copy;
	char		*cause = NULL;
	int		 rc;

	if (argc != 1)
		usage();
	if (store_is_postgresql(cf->database))
		fatalx("backup: the database is PostgreSQL: back it up with "
		    "its own tools (pg_dump -Fc, or the cluster's base "
		    "backups)");
	if ((st = store_open(cf->database, 0, &cause)) == NULL)
		fatalx("database %s", cause);
	if (store_backup(st, argv[0], &cause) == -1)
		fatalx("backup: %s", cause);
	store_close(st);
	if ((copy = store_open(argv[0], 0, &cause)) == NULL)
		fatalx("backup %s", cause);
	rc = describe_store(copy, argv[0]);
	store_close(copy);
	return rc == 0 ? 0 : 1;
}

/* recircd verify FILE: is FILE (a backup) a sound recircd database? */
static int
verify_cmd(int argc, char **argv)
{
	struct store	*st;
	char		*cause = NULL;
	int		 rc;

	if (argc != 1)
		usage();
	if (access(argv[0], R_OK) == -1)
		fatal("%s", argv[0]);
	if ((st = store_open(argv[0], 0, &cause)) == NULL)
		fatalx("%s", cause);
	rc = describe_store(st, argv[0]);
	store_close(st);
	return rc == 0 ? 0 : 1;
}

static void
commit_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	commit_drain(server.committer);
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* While draining: leave the loop once every request has its reply. */
static void
drain_check_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	tv = { 0, 20000 };

	if (server.inflight <= 0 && commit_idle(server.committer) &&
	    plan_idle(&server)) {
		log_info("drained, exiting");
		event_base_loopexit(server.base, NULL);
		return;
	}
	if (elapsed_since(&drain_started) > server.conf->drain_timeout) {
		log_warnx("drain timeout with %ld requests in flight",
		    server.inflight);
		event_base_loopexit(server.base, NULL);
		return;
	}
	evtimer_add(drain_timer, &tv);
}

static void
sig_term_cb(evutil_socket_t sig, short what, void *arg)
{
	if (server.draining)
		return;
	log_info("signal %d: draining in-flight requests", (int)sig);
	server.draining = 1;
	http_stop_accepting(&server);
	plan_shutdown(&server);
	webhook_stop(&server);	/* a batch in flight is sent again later */
	clock_gettime(CLOCK_MONOTONIC, &drain_started);
	drain_timer = evtimer_new(server.base, drain_check_cb, NULL);
	drain_check_cb(-1, 0, NULL);
}

/*
 * Warn when the solver cannot be run (as this process's user): every plan
 * would fail, with the cause only in that plan's reason, until it can.
 */
static void
solver_check(const char *solver)
{
	if (access(solver, X_OK) == -1)
		log_warnx("solver %s: %s: plans will fail until it can be "
		    "run (the solver keyword)", solver, strerror(errno));
}

/*
 * Keywords used only at start-up keep their running value across a
 * reload (so a later reload still sees what is really in force).
 */
static void
reload_keep(char **newval, const char *running, const char *keyword)
{
	char	*shown;

	if ((*newval == NULL) != (running == NULL) ||
	    (running != NULL && strcmp(*newval, running) != 0)) {
		/* (the database's may hold a password) */
		shown = running ? store_display(running) : xstrdup("(none)");
		log_warnx("reload: %s changes need a restart; keeping %s",
		    keyword, shown);
		x_free(shown);
	}
	x_free(*newval);
	*newval = running ? xstrdup(running) : NULL;
}

/* SIGHUP: re-read the configuration; keep the old one on any error. */
static void
sig_hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct conf		*cf = xcalloc(1, sizeof(*cf));
	struct catalogue	*cl;
	char			*cause = NULL;

	if (load_config(cf, &cause) == -1 ||
	    (cl = load_catalogue(cf, &cause)) == NULL) {
		log_warnx("reload failed, keeping the old configuration: %s",
		    cause);
		x_free(cause);
		conf_clear(cf);
		x_free(cf);
		return;
	}
	reload_keep(&cf->listen, server.conf->listen, "listen");
	reload_keep(&cf->metrics_listen, server.conf->metrics_listen,
	    "metrics_listen");
	reload_keep(&cf->database, server.conf->database, "database");
	reload_keep(&cf->pidfile, server.conf->pidfile, "pidfile");
	reload_keep(&cf->user, server.conf->user, "user");
	reload_keep(&cf->timezone, server.conf->timezone, "timezone");
	plan_wait_prepared(&server);	/* a plan being prepared reads it */
	catalogue_free(server.catalogue);
	server.catalogue = cl;
	conf_clear(server.conf);
	x_free(server.conf);
	server.conf = cf;
	http_apply_limits(&server);
	commit_set_batch(server.committer, cf->commit_batch);
	plan_reconfigure(&server);
	webhook_reconfigure(&server);
	log_info("configuration reloaded");
	solver_check(cf->solver);
}

static void
drop_privileges(const char *user, const char *database)
{
	struct passwd	*pw;
	char		*cause = NULL;

	if (user == NULL)
		return;
	if ((pw = getpwnam(user)) == NULL)
		fatalx("unknown user %s", user);
	if (store_own(database, pw, &cause) == -1)
		fatalx("%s", cause);
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", user);
}

/*
 * Open and lock the pid file before daemonising, so a second daemon is
 * refused on the terminal; the flock is inherited by the child (it
 * belongs to the open file), which writes its pid with pidfile_write.
 */
static int
pidfile_open(const char *path)
{
	int	fd;

	ensure_parent(path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		fatal("pidfile %s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		fatalx("pidfile %s is locked: is recircd already running?",
		    path);
	return fd;
}

static void
pidfile_write(int fd, const char *path)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, strlen(buf)) == -1)
		fatal("pidfile %s", path);
	/* fd stays open: the lock lives as long as the process. */
}

/*
 * Every client holds a descriptor: take the hard limit, so idle or slow
 * clients exhaust the timeouts rather than the descriptor table.
 */
static void
raise_fd_limit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
	}
}

/*
 * The loop's event base.  With epoll, libevent's change list folds the
 * add/delete pairs evhttp makes around every request and reply into one
 * epoll_ctl (or none) per loop pass: a few percent of the loop's CPU at
 * 20k requests/s.  Safe here because no fd is ever dup'ed into the loop.
 */
static struct event_base *
serve_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		fatalx("event_config_new failed");
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL)
		fatalx("event_base_new failed");
	return base;
}

static int
serve(int fd, int mfd)
{
	struct event	*ev_commit, *ev_term, *ev_int, *ev_hup;
	char		*cause = NULL, *shown;

	server.base = serve_base();
	/* Before any thread: both change the process's environment. */
	time_zone_set(server.conf->timezone);
	if (hc_init(&cause) == -1)
		fatalx("%s", cause);
	server.store = open_store(server.conf->database, 1);
	server.auth = auth_cache_new();
	if ((server.committer = commit_start(server.conf->database,
	    server.conf->commit_batch, &cause)) == NULL)
		fatalx("database %s", cause);
	if (http_start(&server, api_routes, api_nroutes, fd, &cause) == -1)
		fatalx("%s", cause);
	if (mfd != -1 && http_start_metrics(&server, mfd, &cause) == -1)
		fatalx("%s", cause);
	if (plan_init(&server, &cause) == -1)
		fatalx("planner: %s", cause);
	if (webhook_start(&server, &cause) == -1)
		fatalx("webhooks: %s", cause);
	ev_commit = event_new(server.base, commit_fd(server.committer),
	    EV_READ | EV_PERSIST, commit_ready_cb, NULL);
	event_add(ev_commit, NULL);
	ev_term = evsignal_new(server.base, SIGTERM, sig_term_cb, NULL);
	ev_int = evsignal_new(server.base, SIGINT, sig_term_cb, NULL);
	ev_hup = evsignal_new(server.base, SIGHUP, sig_hup_cb, NULL);
	event_add(ev_term, NULL);
	event_add(ev_int, NULL);
	event_add(ev_hup, NULL);
	server.started = time(NULL);
	shown = store_display(server.conf->database);
	log_info("recircd %s listening on %s, database %s", RECIRC_VERSION,
	    server.conf->listen, shown);
	x_free(shown);
	solver_check(server.conf->solver);

	event_base_dispatch(server.base);

	/* The writer finishes its queue and replies before evhttp goes. */
	webhook_stop(&server);
	commit_stop(server.committer);
	webhook_free(&server);
	plan_free(&server);
	http_free(&server);
	event_free(ev_commit);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	if (drain_timer != NULL)
		event_free(drain_timer);
	store_close(server.store);
	auth_cache_free(server.auth);
	event_base_free(server.base);
	hc_cleanup();
	return 0;
}

/* Fill opts from the flags; leaves argc/argv at the subcommand, if any. */
static void
parse_options(int *argc, char ***argv)
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(*argc, *argv, "dhnvVf:D:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			opts.foreground = 1;
			break;
		case 'n':
			opts.check_only = 1;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'f':
			opts.conf_path = optarg;
			break;
		case 'D':
			opts.defines = xreallocarray(opts.defines,
			    opts.ndefines + 1, sizeof(char *));
			opts.defines[opts.ndefines++] = optarg;
			break;
		case 'h':
			usage_text(stdout);
			exit(0);
		case 'V':
			printf("recircd %s\n", RECIRC_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	*argc -= optind;
	*argv += optind;
}

int
main(int argc, char *argv[])
{
	struct conf	*cf = xcalloc(1, sizeof(*cf));
	char		*cause = NULL;
	int		 fd, mfd = -1, pidfd = -1;

	log_init(1, 0, "recircd");
	parse_options(&argc, &argv);
	log_setverbose(opts.verbose);

	if (load_config(cf, &cause) == -1)
		fatalx("%s", cause);
	server.conf = cf;
	if ((server.catalogue = load_catalogue(cf, &cause)) == NULL)
		fatalx("catalogue %s", cause);

	if (argc > 0) {
		if (opts.check_only)
			usage();
		if (strcmp(argv[0], "token") == 0)
			return token_cmd(cf, argc - 1, argv + 1);
		if (strcmp(argv[0], "seed") == 0)
			return seed_cmd(cf, argc - 1, argv + 1);
		if (strcmp(argv[0], "backup") == 0)
			return backup_cmd(cf, argc - 1, argv + 1);
		if (strcmp(argv[0], "verify") == 0)
			return verify_cmd(argc - 1, argv + 1);
		usage();
	}
	if (opts.check_only) {
		if (opts.verbose)
			conf_print(cf, stdout);
		solver_check(cf->solver);
		fprintf(stderr, "configuration OK\n");
		return 0;
	}

	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);	/* a size limit is EFBIG, i.e. 503 */
	raise_fd_limit();
	/* Refuse a second daemon first, while still privileged. */
	if (!opts.foreground)
		pidfd = pidfile_open(cf->pidfile);
	open_store(cf->database, 0);
	if ((fd = http_listen_socket(cf->listen, &cause)) == -1)
		fatalx("%s", cause);
	if (cf->metrics_listen != NULL &&
	    (mfd = http_listen_socket(cf->metrics_listen, &cause)) == -1)
		fatalx("metrics_%s", cause);
	if (geteuid() == 0)
		drop_privileges(cf->user, cf->database);
	if (!opts.foreground) {
		if (daemon(1, 0) == -1)
			fatal("daemon");
		log_init(0, opts.verbose, "recircd");
		pidfile_write(pidfd, cf->pidfile);
	}
	serve(fd, mfd);
	if (pidfd != -1) {
		unlink(cf->pidfile);
		close(pidfd);
	}
	catalogue_free(server.catalogue);
	conf_clear(server.conf);
	x_free(server.conf);
	x_free(opts.defines);
	return 0;
}
