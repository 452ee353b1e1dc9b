/*
 * plan.c -- the plan state machine, the solver runner and the schedule.
 *
 * A plan is queued (POST /v1/plans, or the nightly schedule), then
 * running, then done or failed; the current plan is the newest done one,
 * so a failed plan never replaces a good one.  Running a plan: snapshot
 * its input from the store and write the recirc-solve problem to a
 * temporary file (plan-build.c), fork and exec the solver (path from the
 * "solver" keyword) with its standard output and error on pipes the
 * event loop reads, and wait.  GLPK never runs in this process: an abort
 * or a crash in the solver fails one plan, not the daemon.
 *
 * The heavy steps on the daemon's side run off the event loop, so it
 * keeps answering meanwhile: reading the input and building the problem
 * before the solve, checking the result after it, in the planner's
 * worker thread (on a connection of its own, reading only); storing the
 * problem and saving the plan (for 2,000 pickups a few hundred
 * milliseconds) in the group commit's writer, the one writer, so the
 * save never fights ingest for the database's lock.  The loop hands a
 * solve to the worker (plan_work), takes it back through a pipe
 * (plan_work_cb), queues its write (commit_call) and goes on in the
 * write's done callback.  Only the loop forks.
 *
 * Invariants:
 * - A solve is finished when both its pipes have closed AND its exit
 *   status is in (SIGCHLD, reaped in a loop); only then is it judged.
 * - At most max_solves solver processes run; more plans wait queued.
 * - The solver runs in a process group of its own, and every signal goes
 *   to the group: what the solver started dies with it.
 * - Each solve has a deadline (solve_timeout): SIGTERM, then SIGKILL
 *   PLAN_KILL_GRACE seconds later; the plan fails with reason "timeout".
 * - A solver that has exited while something it started still holds its
 *   output open gets PLAN_KILL_GRACE seconds for the pipes to close; then
 *   its group is killed and the pipes are read out and closed, so no
 *   lingering grandchild keeps a plan running or the queue blocked.
 * - What the solver writes on stderr is made valid UTF-8 before it
 *   becomes a stored reason.
 * - A solver's result is checked (plan-build.c) and saved in one
 *   transaction (store_plan_save); anything else fails the plan with the
 *   reason and leaves the previous plan current.
 * - SIGTERM to the daemon ends running solves the same way (plan_shutdown)
 *   and the drain waits for them (plan_idle).
 *
 * The planner's clock is time(NULL) plus an offset (keyword clock_offset,
 * or POST /v1/admin/clock), so tests move time instead of sleeping; the
 * schedule (plan_at, plan_days) goes by it.  Called from recircd.c
 * (init, shutdown, free) and api-plans.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "recircd.h"

#define PLAN_KILL_GRACE		2		/* seconds from TERM to KILL */
#define PLAN_MAX_OUTPUT		(256 << 20)	/* bytes of plan JSON */
#define PLAN_ERR_TAIL		1024		/* bytes of stderr kept */
#define PLAN_BEST_EVERY		2		/* seconds between best costs */
#define PLAN_POLL		1		/* seconds between claims */

struct solve {
	int64_t			 id;
	pid_t			 pid;
	int			 out_fd, err_fd;
	struct event		*ev_out, *ev_err, *ev_deadline, *ev_kill;
	struct event		*ev_linger;	/* exited, pipes still open */
	char			*out;
	size_t			 outlen, outcap;
	char			 err[PLAN_ERR_TAIL];
	size_t			 errlen;
	int			 exited, status;
	int			 timed_out, interrupted, overflow;
	time_t			 best_at;	/* best cost last stored */
	int64_t			 deadline;	/* planner's clock: killed */
	int			 routing;	/* solver said its stage */
	char			 path[PATH_MAX];	/* the problem file */
	struct plan_input	*in;
	struct planner		*pl;
	struct solve		*next;
	/* The worker's part. */
	enum { SOLVE_PREPARE, SOLVE_CHECK, SOLVE_FREE } stage;
	int64_t			 now;		/* planner's clock at hand-over */
	double			 t0;		/* time_mono() at its start */
	int			 ok;		/* done, not failed */
	struct road_leg		*fresh;		/* legs fetched, to cache */
	size_t			 nfresh;
	struct roads_conf	 roads;		/* the router's settings */
	char			*why;		/* the stage failed: reason */
	size_t			 nroutes;	/* checked result, for the log */
	double			 cost;
	char			*problem;	/* prepared, until stored */
	struct plan_output	 result;	/* checked, until saved */
	int			 checked;	/* result holds a checked plan */
	struct solve		*wnext;
};

struct planner {
	struct server	*srv;
	struct solve	*running;	/* solver processes */
	int		 nrunning;	/* plans started, not yet finished */
	int		 nworking;	/* solves with the worker (loop's count) */
	/* The worker thread; lock guards todo, done, busy, wstop. */
	pthread_t	 worker;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake, settled;
	struct solve	*todo, *done;
	int		 busy_prepare;	/* the worker is preparing one */
	int		 wstop;
	int		 wjoined;	/* the worker has ended: free here */
	int		 writer_gone;	/* commit_stop has run: write here */
	int		 pipe[2];
	struct event	*ev_work;
	struct store	*wstore;	/* the worker's connection (reads) */
	char		*node;		/* this node's name in the queue */
	struct event	*ev_chld, *ev_sched, *ev_jobs;
	long long	 last_sched_day;
	time_t		 renew_at;	/* wall clock: the leases' next renewal */
	int64_t		 offset;
	int		 stopping;
};

static void	plan_kick(struct planner *);
static void	plan_done(struct planner *, struct solve *);

int64_t
plan_now(struct server *srv)
{
	struct planner	*pl = srv->planner;

	/* Atomic: the webhook worker's thread reads the clock too. */
	return (int64_t)time(NULL) + (pl ? __atomic_load_n(&pl->offset,
	    __ATOMIC_RELAXED) : srv->conf->clock_offset);
}

/*
 * What to tell whoever books a pickup with the window from..to (dates)
 * when no plan can collect it on any day of it (cal_window_late): the
 * message (caller frees), earliest set to the first day one can.  NULL
 * when some day of the window is a collection day.
 */
char *
plan_window_notice(struct server *srv, const char *from, const char *to,
    char earliest[11])
{
	long long	 df = date_to_days(from), dt = date_to_days(to), d;
	char		*msg;

	if (df < 0 || dt < 0)
		return NULL;	/* validated before */
	d = cal_window_late(&srv->conf->cal, time_local_day(plan_now(srv)),
	    df, dt);
	if (d < 0)
		return NULL;
	days_to_date(d, earliest);
	if (df == dt)
		xasprintf(&msg, "%s is not a collection day; the earliest is "
		    "%s %s", from, cal_weekday_name(d), earliest);
	else
		xasprintf(&msg, "no day from %s to %s is a collection day; the "
		    "earliest is %s %s", from, to, cal_weekday_name(d),
		    earliest);
	return msg;
}

/* Record a failure; the previous plan stays current. */
static void
plan_fail(struct planner *pl, int64_t id, const char *reason)
{
	char	*cause = NULL;

	log_warnx("plan %lld failed: %s", (long long)id, reason);
	if (store_plan_state(pl->srv->store, id, pl->node, "failed", "failed",
	    reason, plan_now(pl->srv), &cause) != STORE_OK) {
		log_warnx("plan %lld: %s", (long long)id, cause);
		x_free(cause);
	}
}

/* A phase to write through the group commit (plan_phase). */
struct plan_phase_job {
	int64_t	 id;
	int64_t	 now;
	char	*node;
	char	 phase[32];
};

static enum store_result
plan_phase_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct plan_phase_job	*ph = j->data;

	return store_plan_state(st, ph->id, ph->node, NULL, ph->phase, NULL,
	    ph->now, cause);
}

static void
plan_phase_done(struct commit_job *j, void *arg)
{
	struct plan_phase_job	*ph = j->data;

	(void)arg;
	/* NOTFOUND: the plan ended (or went to another node) meanwhile. */
	if (j->result != STORE_OK && j->result != STORE_NOTFOUND)
		log_warnx("plan %lld: phase %s: %s", (long long)ph->id,
		    ph->phase, j->cause ? j->cause : "storage unavailable");
	x_free(ph->node);
	x_free(ph);
	commit_job_free(j);
}

/*
 * Record plan id's state and phase.  A phase alone goes through the group
 * commit's writer, so the loop does not wait for its sync (two of them at
 * the end of each plan); a state is written here, now.
 */
static void
plan_phase(struct planner *pl, int64_t id, const char *state,
    const char *phase)
{
	struct plan_phase_job	*ph;
	char			*cause = NULL;

	if (state == NULL && phase != NULL && !pl->writer_gone &&
	    pl->srv->committer != NULL) {
		ph = xcalloc(1, sizeof(*ph));
		ph->id = id;
		ph->now = plan_now(pl->srv);
		ph->node = xstrdup(pl->node);
		snprintf(ph->phase, sizeof(ph->phase), "%s", phase);
		commit_call(pl->srv->committer, plan_phase_apply, ph,
		    plan_phase_done, pl);
		return;
	}
	if (store_plan_state(pl->srv->store, id, pl->node, state, phase, NULL,
	    plan_now(pl->srv), &cause) != STORE_OK) {
		log_warnx("plan %lld: %s", (long long)id, cause);
		x_free(cause);
	}
}

/*
 * Queue a plan of days days from tomorrow (planner's clock) for region
 * (NULL: the whole network); *id gets its number.  A nightly plan names
 * its night, and one that another node queued already is STORE_CONFLICT.
 * STORE_* as the store answered.  The plan goes into the shared queue
 * (the plans table): this node claims it at once when it runs fewer than
 * max_solves, else whichever node is free first.
 */
enum store_result
plan_enqueue(struct server *srv, const char *trigger, const char *actor,
    int days, const char *region, const char *night, int64_t *id,
    char **cause)
{
	struct planner		*pl = srv->planner;
	enum store_result	 res;
	struct plan_new		 p;
	const struct calendar	*cal = &srv->conf->cal;
	long long		 day0;
	unsigned char		*closed;
	char			 from[11], *closed_text;

	/*
	 * From the first open day after today in the city's time zone, as
	 * many calendar days as hold days open ones (closed_days).
	 */
	day0 = cal_next_open(cal, time_local_day(plan_now(srv)) + 1);
	days_to_date(day0, from);
	memset(&p, 0, sizeof(p));
	p.trigger = trigger;
	p.actor = actor;
	p.from = from;
	p.days = cal_span(cal, day0, days);
	closed = cal_horizon(cal, day0, p.days);
	p.closed = closed_text = cal_days_text(closed, day0, p.days);
	x_free(closed);
	p.region = region;
	p.night = night;
	res = store_plan_create(srv->store, &p, plan_now(srv), id, cause);
	x_free(closed_text);
	if (res != STORE_OK)
		return res;
	log_info("plan %lld queued (%s, by %s, %d days from %s%s%s)",
	    (long long)*id, trigger, actor, p.days, from, region ? ", region " :
	    "", region ? region : "");
	plan_kick(pl);
	return STORE_OK;
}

/* Write text to a new temporary file; its path in sv->path. */
static int
plan_write_problem(struct solve *sv, const char *text, char **cause)
{
	const char	*dir = getenv("TMPDIR");
	size_t		 len = strlen(text), off = 0;
	ssize_t		 n;
	int		 fd;

	snprintf(sv->path, sizeof(sv->path), "%s/recircd-plan-%lld-XXXXXX",
	    dir && *dir ? dir : "/tmp", (long long)sv->id);
	if ((fd = mkstemp(sv->path)) == -1) {
		xasprintf(cause, "cannot create %s: %s", sv->path,
		    strerror(errno));
		sv->path[0] = '\0';
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "cannot write %s: %s", sv->path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		off += n;
	}
	if (close(fd) == -1) {
		xasprintf(cause, "cannot write %s: %s", sv->path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* In the child: become the solver.  Never returns. */
static __dead void
plan_exec(struct planner *pl, struct solve *sv, int out, int err,
    const sigset_t *old)
{
	const struct conf	*cf = pl->srv->conf;
	char			 budget[24];
	long			 t, fd, max;
	int			 sig;

	setpgid(0, 0);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, old, NULL);
	if (dup2(out, STDOUT_FILENO) == -1 || dup2(err, STDERR_FILENO) == -1)
		_exit(127);
	if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	max = sysconf(_SC_OPEN_MAX);
	for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		close(fd);
	/* The daemon's requests come first (solve_nice, relative). */
	errno = 0;
	if (nice((int)cf->solve_nice) == -1 && errno != 0)
		dprintf(STDERR_FILENO, "nice: %s\n", strerror(errno));
	/* Leave the solver a fifth of the deadline to write its plan. */
	t = cf->solve_timeout - (cf->solve_timeout / 5 > 1 ?
	    cf->solve_timeout / 5 : 1);
	snprintf(budget, sizeof(budget), "%ld", t > 0 ? t : 1);
	execl(cf->solver, "recirc-solve", "-v", "-t", budget, sv->path,
	    (char *)NULL);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", cf->solver,
	    strerror(errno));
	_exit(127);
}

static void	plan_read_cb(evutil_socket_t, short, void *);
static void	plan_deadline_cb(evutil_socket_t, short, void *);

/* Fork and exec the solver on sv->path with pipes on stdout and stderr. */
static int
plan_spawn(struct planner *pl, struct solve *sv, char **cause)
{
	struct event_base	*base = pl->srv->base;
	struct timeval		 tv = { pl->srv->conf->solve_timeout, 0 };
	sigset_t		 all, old;
	int			 out[2], err[2];

	if (pipe2(out, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	/* No signal may run libevent's handler in the child before exec. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((sv->pid = fork()) == 0)
		plan_exec(pl, sv, out[1], err[1], &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/*
	 * The child does the same; doing it here too means the group exists
	 * before any kill(-pid) below, whichever runs first.
	 */
	if (sv->pid > 0)
		(void)setpgid(sv->pid, sv->pid);
	close(out[1]);
	close(err[1]);
	if (sv->pid == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(out[0]);
		close(err[0]);
		return -1;
	}
	sv->out_fd = out[0];
	sv->err_fd = err[0];
	evutil_make_socket_nonblocking(sv->out_fd);
	evutil_make_socket_nonblocking(sv->err_fd);
	sv->ev_out = event_new(base, sv->out_fd, EV_READ | EV_PERSIST,
	    plan_read_cb, sv);
	sv->ev_err = event_new(base, sv->err_fd, EV_READ | EV_PERSIST,
	    plan_read_cb, sv);
	sv->ev_deadline = evtimer_new(base, plan_deadline_cb, sv);
	event_add(sv->ev_out, NULL);
	event_add(sv->ev_err, NULL);
	evtimer_add(sv->ev_deadline, &tv);
	sv->deadline = plan_now(pl->srv) + pl->srv->conf->solve_timeout;
	return 0;
}

/*
 * Worker thread: the road legs between the plan's places (centres, then
 * pickups), from the cache and the router (roads.c), into the input's
 * model, by the settings copied at the start of the prepare (the
 * configuration may be reloaded meanwhile); what was fetched is cached
 * after the problem is stored.  -1 with *cause when the router is needed
 * (router_fallback no) and failed.
 */
static int
plan_roads(struct planner *pl, struct store *st, struct solve *sv,
    char **cause)
{
	struct plan_input	*in = sv->in;
	struct roads_result	 r;
	size_t			 n = in->net.ncentres + in->npk, i;
	double			*lat = xcalloc(n ? n : 1, sizeof(double));
	double			*lon = xcalloc(n ? n : 1, sizeof(double));
	int			 rc;

	for (i = 0; i < in->net.ncentres; i++) {
		lat[i] = in->net.centres[i].lat;
		lon[i] = in->net.centres[i].lon;
	}
	for (i = 0; i < in->npk; i++) {
		lat[in->net.ncentres + i] = in->pk[i].lat;
		lon[in->net.ncentres + i] = in->pk[i].lon;
	}
	rc = roads_prepare(&sv->roads, st, lat, lon, n, &pl->stopping, &r);
	x_free(lat);
	x_free(lon);
	sv->fresh = r.fresh;
	sv->nfresh = r.nfresh;
	r.fresh = NULL;
	if (rc == -1) {
		xasprintf(cause, "road router: %s", r.note);
		roads_result_clear(&r);
		return -1;
	}
	in->model.table = r.table;
	in->distances = r.note;
	r.table = NULL;
	r.note = NULL;
	if (sv->roads.url != NULL)
		log_info("plan %lld: distances: %s", (long long)sv->id,
		    in->distances);
	return 0;
}

/*
 * Worker thread: the reload may go on (plan_wait_prepared): what is left
 * of the prepare reads neither the configuration nor the catalogue.
 */
static void
plan_prepare_settled(struct planner *pl)
{
	pthread_mutex_lock(&pl->lock);
	pl->busy_prepare = 0;
	pthread_cond_broadcast(&pl->settled);
	pthread_mutex_unlock(&pl->lock);
}

/*
 * Worker thread: snapshot the input, build the problem, get the road
 * legs and write the problem's file; the problem text (without the legs)
 * stays in sv->problem for the loop to store.  -1 with *cause.  Uses the
 * configuration and the catalogue, which the loop does not free
 * meanwhile (plan_wait_prepared), until the problem is built: the legs,
 * which may take a router minutes, are fetched after that.  Reads only:
 * every write goes through the group commit's writer, so the worker
 * never waits on its lock.
 */
static int
plan_prepare(struct planner *pl, struct store *st, struct solve *sv,
    char **cause)
{
	struct plan_row		 row;
	enum store_result	 res;
	char			*problem, *matrix, *full;
	size_t			 len, mlen;
	int			 rc;

	if ((res = store_plan_get(st, sv->id, &row, cause)) != STORE_OK)
		return -1;
	sv->in = xcalloc(1, sizeof(*sv->in));
	sv->in->id = sv->id;
	sv->in->region = row.region ? xstrdup(row.region) : NULL;
	sv->in->node = xstrdup(pl->node);
	sv->in->day0 = date_to_days(row.horizon_from);
	sv->in->ndays = row.horizon_days;
	/* The closed days the plan was queued with, whoever solves it. */
	sv->in->closed = cal_days_parse(row.horizon_closed, sv->in->day0,
	    sv->in->ndays);
	/* A window over the weekend before a Monday is Monday's. */
	while (sv->in->closed_before < 366 && cal_closed(&pl->srv->conf->cal,
	    sv->in->day0 - sv->in->closed_before - 1))
		sv->in->closed_before++;
	sv->in->model.detour = pl->srv->conf->detour;
	sv->in->model.speed_kmh = pl->srv->conf->speed_kmh;
	sv->in->move_cost = pl->srv->conf->replan_move_cost;
	sv->in->carry_over = (int)pl->srv->conf->carry_over_days;
	sv->in->cat = pl->srv->catalogue;
	roads_conf_from(&sv->roads, pl->srv->conf);
	plan_row_clear(&row);
	if (store_plan_input(st, sv->in, cause) != STORE_OK)
		return -1;
	plan_region(sv->in);
	if ((problem = plan_problem_json(sv->in, cause)) == NULL)
		return -1;
	/* The catalogue may be reloaded while the solver runs. */
	sv->in->cat = NULL;
	plan_prepare_settled(pl);
	if (plan_roads(pl, st, sv, cause) == -1) {
		x_free(problem);
		return -1;
	}
	if (sv->in->model.table == NULL) {
		rc = plan_write_problem(sv, problem, cause);
		sv->problem = problem;
		return rc;
	}
	/*
	 * The solver's copy gets the legs, spliced in before the closing
	 * brace; the stored copy leaves them out (n * n numbers the router
	 * and the cache have, megabytes a night in the plan's row).
	 */
	matrix = plan_problem_matrix(sv->in);
	len = strlen(problem);
	mlen = strlen(matrix);
	full = xmalloc(len + mlen + 12);
	memcpy(full, problem, len - 1);
	snprintf(full + len - 1, mlen + 13, ",\"matrix\":%s}", matrix);
	x_free(matrix);
	rc = plan_write_problem(sv, full, cause);
	x_free(full);
	sv->problem = problem;
	return rc;
}

/* Loop: sv's events, descriptors and problem file, which are the loop's. */
static void
plan_solve_detach(struct solve *sv)
{
	if (sv->ev_out != NULL)
		event_free(sv->ev_out);
	if (sv->ev_err != NULL)
		event_free(sv->ev_err);
	if (sv->ev_deadline != NULL)
		event_free(sv->ev_deadline);
	if (sv->ev_kill != NULL)
		event_free(sv->ev_kill);
	if (sv->ev_linger != NULL)
		event_free(sv->ev_linger);
	sv->ev_out = sv->ev_err = sv->ev_deadline = sv->ev_kill =
	    sv->ev_linger = NULL;
	if (sv->out_fd != -1)
		close(sv->out_fd);
	if (sv->err_fd != -1)
		close(sv->err_fd);
	sv->out_fd = sv->err_fd = -1;
	if (sv->path[0] != '\0')
		unlink(sv->path);
	sv->path[0] = '\0';
}

static void
plan_solve_free(struct solve *sv)
{
	plan_solve_detach(sv);
	if (sv->checked)
		plan_output_clear(&sv->result);
	plan_input_free(sv->in);
	x_free(sv->fresh);
	roads_conf_clear(&sv->roads);
	x_free(sv->out);
	x_free(sv->why);
	x_free(sv->problem);
	x_free(sv);
#ifdef HAVE_MALLOC_TRIM
	/*
	 * A plan's input, the solver's output and the checked result are
	 * megabytes that grow with the pickups; freed, glibc keeps them in
	 * its arenas (the worker thread's among them) and the daemon's RSS
	 * stays at its largest plan's.  Give them back between plans.
	 */
	malloc_trim(0);
#endif
}

/*
 * Worker thread: the router's path along each checked route (centre,
 * stops, centre) for the map and the GeoJSON; a route without one is
 * drawn straight.  Only when the plan's legs came from the router.
 */
static void
plan_paths(struct solve *sv)
{
	struct plan_output	*o = &sv->result;
	double			**lat, **lon;
	size_t			*n, i, k;
	char			**g;
	int			 stop = 0;

	lat = xcalloc(o->nroutes + 1, sizeof(*lat));
	lon = xcalloc(o->nroutes + 1, sizeof(*lon));
	n = xcalloc(o->nroutes + 1, sizeof(*n));
	g = xcalloc(o->nroutes + 1, sizeof(*g));
	for (i = 0; i < o->nroutes; i++) {
		const struct rt_route	*r = &o->routes[i];
		const struct rt_vehicle	*v = &sv->in->veh[r->vehicle];

		lat[i] = xcalloc(r->nstops + 2, sizeof(double));
		lon[i] = xcalloc(r->nstops + 2, sizeof(double));
		lat[i][0] = lat[i][r->nstops + 1] = v->lat;
		lon[i][0] = lon[i][r->nstops + 1] = v->lon;
		for (k = 0; k < r->nstops; k++) {
			lat[i][k + 1] = sv->in->st[r->stops[k]].lat;
			lon[i][k + 1] = sv->in->st[r->stops[k]].lon;
		}
		n[i] = r->nstops + 2;
	}
	roads_paths(sv->roads.url, sv->roads.profile, sv->roads.timeout, lat,
	    lon, n, o->nroutes, g, &stop);
	for (i = 0; i < o->nroutes; i++) {
		o->routes[i].geometry = g[i];
		x_free(lat[i]);
		x_free(lon[i]);
	}
	x_free(lat);
	x_free(lon);
	x_free(n);
	x_free(g);
}

/*
 * Worker thread: check the solver's result against the input; the
 * checked plan stays in sv->result for the loop to save, else sv->why
 * says why there is none.
 */
static void
plan_check(struct solve *sv)
{
	char	*cause = NULL;

	if (plan_result_read(sv->in, sv->out, sv->outlen, &sv->result,
	    &cause) == -1) {
		sv->why = cause;
		return;
	}
	sv->checked = 1;
	sv->nroutes = sv->result.nroutes;
	if (sv->roads.url != NULL && sv->in->model.table != NULL)
		plan_paths(sv);
	sv->cost = sv->result.cost;
}

static void *
plan_worker_main(void *arg)
{
	struct planner	*pl = arg;
	struct solve	*sv, **tail;
	char		 b = 1;

	pthread_mutex_lock(&pl->lock);
	for (;;) {
		while (pl->todo == NULL && !pl->wstop)
			pthread_cond_wait(&pl->wake, &pl->lock);
		if ((sv = pl->todo) == NULL)
			break;
		pl->todo = sv->wnext;
		if (sv->stage == SOLVE_FREE) {
			/* megabytes at 10,000 pickups, and malloc_trim */
			pthread_mutex_unlock(&pl->lock);
			plan_solve_free(sv);
			pthread_mutex_lock(&pl->lock);
			continue;
		}
		pl->busy_prepare = sv->stage == SOLVE_PREPARE;
		pthread_mutex_unlock(&pl->lock);
		if (sv->stage == SOLVE_PREPARE) {
			if (plan_prepare(pl, pl->wstore, sv, &sv->why) == -1 &&
			    sv->why == NULL)
				sv->why = xstrdup("cannot prepare the problem");
		} else
			plan_check(sv);
		pthread_mutex_lock(&pl->lock);
		pl->busy_prepare = 0;
		for (tail = &pl->done; *tail != NULL; tail = &(*tail)->wnext)
			;
		sv->wnext = NULL;
		*tail = sv;
		(void)write(pl->pipe[1], &b, 1);
		pthread_cond_broadcast(&pl->settled);
	}
	pthread_mutex_unlock(&pl->lock);
	return NULL;
}

/* Loop: hand sv to the worker for its next stage. */
static void
plan_work(struct planner *pl, struct solve *sv, int stage)
{
	struct solve	**tail;

	sv->stage = stage;
	sv->now = plan_now(pl->srv);
	sv->wnext = NULL;
	if (stage != SOLVE_FREE)
		pl->nworking++;
	pthread_mutex_lock(&pl->lock);
	for (tail = &pl->todo; *tail != NULL; tail = &(*tail)->wnext)
		;
	*tail = sv;
	pthread_cond_signal(&pl->wake);
	pthread_mutex_unlock(&pl->lock);
}

/*
 * Before the loop frees the catalogue (a reload): wait until no solve is
 * being prepared or waits to be, as preparing reads it.  Short: reading
 * the input and writing the problem.
 */
void
plan_wait_prepared(struct server *srv)
{
	struct planner	*pl = srv->planner;
	struct solve	*sv;
	int		 pending;

	if (pl == NULL)
		return;
	pthread_mutex_lock(&pl->lock);
	for (;;) {
		pending = pl->busy_prepare;
		for (sv = pl->todo; sv != NULL; sv = sv->wnext)
			if (sv->stage == SOLVE_PREPARE)
				pending = 1;
		if (!pending)
			break;
		pthread_cond_wait(&pl->settled, &pl->lock);
	}
	pthread_mutex_unlock(&pl->lock);
}

/* Start the next queued plan: the worker prepares it first. */
static void
plan_start(struct planner *pl, int64_t id)
{
	struct solve	*sv = xcalloc(1, sizeof(*sv));

	sv->id = id;
	sv->pl = pl;
	sv->t0 = time_mono();
	sv->out_fd = sv->err_fd = -1;
	pl->nrunning++;
	plan_phase(pl, id, "running", "preparing");
	plan_work(pl, sv, SOLVE_PREPARE);
}

/* Loop: the worker has prepared sv; start its solver. */
static void
plan_prepared(struct planner *pl, struct solve *sv)
{
	char	*cause = NULL;

	if (sv->why == NULL && pl->stopping)
		sv->why = xstrdup("interrupted: the daemon is shutting down");
	if (sv->why == NULL && plan_spawn(pl, sv, &cause) == -1)
		sv->why = cause ? cause : xstrdup("cannot start the solver");
	if (sv->why != NULL) {
		plan_fail(pl, sv->id, sv->why);
		plan_done(pl, sv);
		return;
	}
	log_info("plan %lld: solver pid %ld on %zu pickups",
	    (long long)sv->id, (long)sv->pid, sv->in->npk);
	plan_phase(pl, sv->id, NULL, "location");
	sv->next = pl->running;
	pl->running = sv;
}

/* Loop: the worker has checked and saved (or refused) sv's result. */
static void
plan_checked(struct planner *pl, struct solve *sv)
{
	if (sv->why != NULL)
		plan_fail(pl, sv->id, sv->why);
	else {
		log_info("plan %lld done: %zu routes, cost %.2f",
		    (long long)sv->id, sv->nroutes, sv->cost);
		sv->ok = 1;
	}
	plan_done(pl, sv);
}

static enum store_result
plan_problem_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct solve		*sv = j->data;
	enum store_result	 res;

	res = store_plan_problem(st, sv->id, sv->problem, cause);
	return res;
}

static enum store_result
plan_save_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct solve	*sv = j->data;

	return store_plan_save(st, sv->in, &sv->result, sv->out, sv->now,
	    cause);
}

/*
 * The legs a plan fetched, written to the road cache a chunk at a time:
 * one write of millions of rows would hold the group commit (and every
 * submission behind it) for seconds, so each chunk is its own write,
 * queued when the one before is on disk.  The cache is trimmed to its
 * size with the last.
 */
#define PLAN_CACHE_CHUNK	20000

struct plan_legs {
	char			 profile[64];
	struct road_leg		*legs;
	size_t			 n, done;
	long long		 max;
	struct server		*srv;
};

static enum store_result
plan_legs_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct plan_legs	*pw = j->data;
	size_t			 k = pw->n - pw->done;

	if (k > PLAN_CACHE_CHUNK)
		k = PLAN_CACHE_CHUNK;
	/* Trim only with the last chunk: LLONG_MAX before. */
	return store_road_put(st, pw->profile, pw->legs + pw->done, k,
	    (int64_t)time(NULL), pw->done + k == pw->n ? pw->max : LLONG_MAX,
	    cause);
}

static void
plan_legs_done(struct commit_job *j, void *arg)
{
	struct plan_legs	*pw = j->data;

	(void)arg;
	if (j->result != STORE_OK) {
		log_warnx("road cache: %s; %zu legs not kept", j->cause ?
		    j->cause : "storage unavailable", pw->n - pw->done);
		pw->done = pw->n;
	} else
		pw->done += pw->n - pw->done > PLAN_CACHE_CHUNK ?
		    PLAN_CACHE_CHUNK : pw->n - pw->done;
	commit_job_free(j);
	/* Draining: the rest is not worth holding the exit for. */
	if (pw->done < pw->n && !pw->srv->draining) {
		commit_call(pw->srv->committer, plan_legs_apply, pw,
		    plan_legs_done, NULL);
		return;
	}
	x_free(pw->legs);
	x_free(pw);
}

static void
plan_cache_legs(struct planner *pl, const char *profile, struct road_leg *legs,
    size_t n, long long max)
{
	struct plan_legs	*pw = xcalloc(1, sizeof(*pw));

	snprintf(pw->profile, sizeof(pw->profile), "%s", profile);
	pw->legs = legs;
	pw->n = n;
	pw->max = max;
	pw->srv = pl->srv;
	commit_call(pw->srv->committer, plan_legs_apply, pw, plan_legs_done,
	    NULL);
}

/* The writer stored the problem (or could not): start the solver. */
static void
plan_problem_done(struct commit_job *j, void *arg)
{
	struct planner	*pl = arg;
	struct solve	*sv = j->data;

	if (j->result != STORE_OK)
		xasprintf(&sv->why, "cannot store the problem: %s", j->cause ?
		    j->cause : "storage unavailable");
	commit_job_free(j);
	x_free(sv->problem);
	sv->problem = NULL;
	pl->nworking--;
	if (sv->nfresh > 0) {
		plan_cache_legs(pl, sv->roads.profile, sv->fresh, sv->nfresh,
		    sv->roads.cache_max);
		sv->fresh = NULL;
		sv->nfresh = 0;
	}
	plan_prepared(pl, sv);
}

/* The writer saved the plan (or could not). */
static void
plan_save_done(struct commit_job *j, void *arg)
{
	struct planner	*pl = arg;
	struct solve	*sv = j->data;

	if (j->result != STORE_OK)
		xasprintf(&sv->why, "cannot store the plan: %s", j->cause ?
		    j->cause : "storage unavailable");
	commit_job_free(j);
	pl->nworking--;
	plan_checked(pl, sv);
}

/*
 * Once the writer is gone (plan_free, after commit_stop) a stage's write
 * is made here on the loop's connection, so a finished plan is not lost.
 */
static void
plan_write_now(struct planner *pl, struct solve *sv)
{
	enum store_result	 res;
	char			*cause = NULL;

	if (sv->stage == SOLVE_PREPARE)
		res = store_plan_problem(pl->srv->store, sv->id, sv->problem,
		    &cause);
	else
		res = store_plan_save(pl->srv->store, sv->in, &sv->result,
		    sv->out, sv->now, &cause);
	if (res != STORE_OK)
		xasprintf(&sv->why, "cannot store the %s: %s", sv->stage ==
		    SOLVE_PREPARE ? "problem" : "plan", cause ? cause :
		    "storage unavailable");
	x_free(cause);
}

/*
 * Loop: the worker's finished stages.  What they produced is written by
 * the group commit's writer (the only writer while it runs); the stage
 * ends in its done callback.
 */
static void
plan_work_cb(evutil_socket_t fd, short what, void *arg)
{
	struct planner	*pl = arg;
	struct solve	*list, *sv;
	char		 buf[64];

	while (read(pl->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&pl->lock);
	list = pl->done;
	pl->done = NULL;
	pthread_mutex_unlock(&pl->lock);
	while ((sv = list) != NULL) {
		list = sv->wnext;
		if (sv->why == NULL && sv->stage == SOLVE_CHECK)
			plan_phase(pl, sv->id, NULL, "saving");
		if (sv->why == NULL && !pl->writer_gone) {
			commit_call(pl->srv->committer, sv->stage ==
			    SOLVE_PREPARE ? plan_problem_apply :
			    plan_save_apply, sv, sv->stage == SOLVE_PREPARE ?
			    plan_problem_done : plan_save_done, pl);
			continue;
		}
		if (sv->why == NULL)
			plan_write_now(pl, sv);
		pl->nworking--;
		if (sv->stage == SOLVE_PREPARE)
			plan_prepared(pl, sv);
		else
			plan_checked(pl, sv);
	}
}

/*
 * Claim waiting plans from the shared queue while this node runs fewer
 * than max_solves: queued ones, and running ones whose node let the lease
 * run out (it died, or lost the database).  On the loop's connection, a
 * write as small as plan_phase's.
 */
static void
plan_kick(struct planner *pl)
{
	const struct conf	*cf = pl->srv->conf;
	enum store_result	 res;
	int64_t			 id;
	char			*cause = NULL;

	while (!pl->stopping && pl->nrunning < cf->max_solves) {
		res = store_plan_claim(pl->srv->store, pl->node, time(NULL),
		    cf->plan_lease, &id, &cause);
		if (res == STORE_NOTFOUND)
			break;
		if (res != STORE_OK) {
			log_warnx("claiming a plan: %s", cause);
			x_free(cause);
			break;
		}
		log_info("plan %lld claimed by %s", (long long)id, pl->node);
		plan_start(pl, id);
	}
}

/*
 * Every PLAN_POLL seconds: claim what other nodes queued or left, when a
 * solver is free; every third of plan_lease, renew the leases of the
 * plans this node runs.
 */
static void
plan_jobs_cb(evutil_socket_t fd, short what, void *arg)
{
	struct planner		*pl = arg;
	const struct conf	*cf = pl->srv->conf;
	struct timeval		 tv = { PLAN_POLL, 0 };
	time_t			 now = time(NULL);
	char			*cause = NULL;

	if (pl->nrunning > 0 && now >= pl->renew_at) {
		if (store_plan_renew(pl->srv->store, pl->node, now +
		    cf->plan_lease, &cause) != STORE_OK) {
			log_warnx("renewing leases: %s", cause);
			x_free(cause);
		}
		pl->renew_at = now + cf->plan_lease / 3;
	}
	plan_kick(pl);
	evtimer_add(pl->ev_jobs, &tv);
}

/* The last non-empty line the solver wrote on stderr (static buffer). */
static const char *
plan_last_line(struct solve *sv)
{
	static char	 line[256];
	size_t		 end = sv->errlen, start;

	while (end > 0 && (sv->err[end - 1] == '\n' || sv->err[end - 1] == ' '))
		end--;
	for (start = end; start > 0 && sv->err[start - 1] != '\n'; start--)
		;
	snprintf(line, sizeof(line), "%.*s", (int)(end - start),
	    sv->err + start);
	return utf8_sanitize(line);
}

/* Why a finished solve produced no plan, or NULL when it may have one. */
static char *
plan_verdict(struct solve *sv)
{
	const struct conf	*cf = sv->pl->srv->conf;
	const char		*last = plan_last_line(sv);
	char			*why = NULL;

	if (sv->interrupted)
		xasprintf(&why, "interrupted: the daemon is shutting down");
	else if (sv->timed_out)
		xasprintf(&why, "timeout: the solver ran longer than "
		    "solve_timeout (%lld s)", cf->solve_timeout);
	else if (sv->overflow)
		xasprintf(&why, "the solver wrote more than %d bytes",
		    PLAN_MAX_OUTPUT);
	else if (WIFSIGNALED(sv->status))
		xasprintf(&why, "the solver crashed: killed by signal %d "
		    "(%s)%s%s", WTERMSIG(sv->status),
		    strsignal(WTERMSIG(sv->status)), *last ? ": " : "", last);
	else if (WEXITSTATUS(sv->status) != 0)
		xasprintf(&why, "the solver failed with exit status %d%s%s",
		    WEXITSTATUS(sv->status), *last ? ": " : "", last);
	return why;
}

/* A plan is over (done or failed): free it and start the next. */
static void
plan_done(struct planner *pl, struct solve *sv)
{
	metrics_plan(pl->srv, sv->ok, time_mono() - sv->t0);
	pl->nrunning--;
	/* The memory goes back in the worker: tens of ms at 10,000 pickups. */
	if (pl->wjoined || pl->wstore == NULL)
		plan_solve_free(sv);
	else {
		plan_solve_detach(sv);
		plan_work(pl, sv, SOLVE_FREE);
	}
	plan_kick(pl);
}

/*
 * Both pipes closed and the status in: a failed solve fails its plan, a
 * finished one goes to the worker to be checked and saved.
 */
static void
plan_finish(struct solve *sv)
{
	struct planner		*pl = sv->pl;
	struct solve		**pp;
	char			*why;

	for (pp = &pl->running; *pp != NULL; pp = &(*pp)->next)
		if (*pp == sv) {
			*pp = sv->next;
			break;
		}
	if ((why = plan_verdict(sv)) != NULL) {
		plan_fail(pl, sv->id, why);
		x_free(why);
		plan_done(pl, sv);
		return;
	}
	plan_phase(pl, sv->id, NULL, "checking");
	plan_work(pl, sv, SOLVE_CHECK);
}

static void
plan_check_done(struct solve *sv)
{
	if (sv->out_fd == -1 && sv->err_fd == -1 && sv->exited)
		plan_finish(sv);
}

/* Progress lines on stderr: "... incumbent COST ..." is a best cost. */
static void
plan_progress(struct solve *sv, const char *chunk, size_t n)
{
	const char	*p;
	char		*cause = NULL;
	double		 cost;

	if (n > PLAN_ERR_TAIL - 1) {
		chunk += n - (PLAN_ERR_TAIL - 1);
		n = PLAN_ERR_TAIL - 1;
	}
	if (sv->errlen + n > PLAN_ERR_TAIL - 1) {
		memmove(sv->err, sv->err + (sv->errlen + n) -
		    (PLAN_ERR_TAIL - 1), PLAN_ERR_TAIL - 1 - n);
		sv->errlen = PLAN_ERR_TAIL - 1 - n;
	}
	log_debug("plan %lld: solver: %.*s", (long long)sv->id,
	    (int)(n > 0 && chunk[n - 1] == '\n' ? n - 1 : n), chunk);
	memcpy(sv->err + sv->errlen, chunk, n);
	sv->errlen += n;
	sv->err[sv->errlen] = '\0';
	/*
	 * The best cost so far is a synced write on the loop's connection:
	 * at most one every PLAN_BEST_EVERY seconds, however often the
	 * solver improves.
	 */
	/* recirc-solve's routing stage follows the location MILP. */
	if (!sv->routing && strstr(chunk, "stage: routing") != NULL) {
		sv->routing = 1;
		plan_phase(sv->pl, sv->id, NULL, "routing");
	}
	if ((p = strstr(chunk, "incumbent ")) != NULL && (size_t)(p - chunk) <
	    n && sscanf(p + 10, "%lf", &cost) == 1 &&
	    time(NULL) - sv->best_at >= PLAN_BEST_EVERY) {
		sv->best_at = time(NULL);
		if (store_plan_best(sv->pl->srv->store, sv->id, cost,
		    &cause) != STORE_OK) {
			log_warnx("plan %lld: %s", (long long)sv->id, cause);
			x_free(cause);
		}
	}
}

/*
 * Read what fd (one of sv's pipes) holds now.  Returns 1 at end of file
 * (or an error), 0 when the pipe is merely empty for now.
 */
static int
plan_drain(struct solve *sv, int fd)
{
	char	 buf[65536];
	ssize_t	 n;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return 1;
		buf[n] = '\0';
		if (fd == sv->err_fd) {
			plan_progress(sv, buf, (size_t)n);
			continue;
		}
		if (sv->outlen + n > PLAN_MAX_OUTPUT) {
			sv->overflow = 1;
			kill(-sv->pid, SIGKILL);
			continue;
		}
		while (sv->outlen + n + 1 > sv->outcap) {
			sv->outcap = sv->outcap ? sv->outcap * 2 : 65536;
			sv->out = xreallocarray(sv->out, sv->outcap, 1);
		}
		memcpy(sv->out + sv->outlen, buf, n);
		sv->outlen += n;
		sv->out[sv->outlen] = '\0';
	}
}

/* This pipe of sv is done: stop watching it and close it. */
static void
plan_pipe_close(struct solve *sv, int fd)
{
	if (fd == sv->out_fd) {
		event_free(sv->ev_out);
		sv->ev_out = NULL;
		sv->out_fd = -1;
	} else {
		event_free(sv->ev_err);
		sv->ev_err = NULL;
		sv->err_fd = -1;
	}
	close(fd);
}

static void
plan_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct solve	*sv = arg;

	if (!plan_drain(sv, fd))
		return;
	plan_pipe_close(sv, fd);
	plan_check_done(sv);
}

/*
 * The solver has exited but its pipes are still open: something it
 * started holds them.  Kill its whole group, read what was written and
 * close them, so the solve can be judged on what the solver itself left.
 */
static void
plan_abandon_pipes(struct solve *sv)
{
	int	fd;

	kill(-sv->pid, SIGKILL);
	if ((fd = sv->out_fd) != -1) {
		(void)plan_drain(sv, fd);
		plan_pipe_close(sv, fd);
	}
	if ((fd = sv->err_fd) != -1) {
		(void)plan_drain(sv, fd);
		plan_pipe_close(sv, fd);
	}
	plan_check_done(sv);
}

static void
plan_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	struct solve	*sv = arg;

	log_warnx("plan %lld: the solver exited but processes it started "
	    "still hold its output; killing its process group",
	    (long long)sv->id);
	plan_abandon_pipes(sv);
}

static void
plan_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct solve	*sv = arg;

	if (!sv->exited) {
		log_warnx("plan %lld: solver %ld ignored SIGTERM, killing",
		    (long long)sv->id, (long)sv->pid);
		kill(-sv->pid, SIGKILL);
	}
}

/*
 * TERM the solver's process group now, KILL it after the grace time; when
 * the solver itself is gone, kill what is left of its group at once.
 */
static void
plan_terminate(struct solve *sv)
{
	struct timeval	tv = { PLAN_KILL_GRACE, 0 };

	if (sv->exited) {
		if (sv->out_fd != -1 || sv->err_fd != -1)
			plan_abandon_pipes(sv);
		return;
	}
	if (sv->ev_kill != NULL)
		return;
	kill(-sv->pid, SIGTERM);
	sv->ev_kill = evtimer_new(sv->pl->srv->base, plan_kill_cb, sv);
	evtimer_add(sv->ev_kill, &tv);
}

static void
plan_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct solve	*sv = arg;

	sv->timed_out = 1;
	log_warnx("plan %lld: solver over its deadline, terminating",
	    (long long)sv->id);
	plan_terminate(sv);
}

/* SIGCHLD: reap every child that has exited. */
static void
plan_sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct planner	*pl = arg;
	struct solve	*sv;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (sv = pl->running; sv != NULL; sv = sv->next)
			if (sv->pid == pid)
				break;
		if (sv == NULL)
			continue;
		sv->exited = 1;
		sv->status = status;
		if (sv->ev_deadline != NULL)
			evtimer_del(sv->ev_deadline);
		if (sv->out_fd != -1 || sv->err_fd != -1) {
			struct timeval	tv = { PLAN_KILL_GRACE, 0 };

			sv->ev_linger = evtimer_new(pl->srv->base,
			    plan_linger_cb, sv);
			evtimer_add(sv->ev_linger, &tv);
		}
		plan_check_done(sv);
	}
}

/* Queue tonight's plan of one region (NULL: the whole network). */
static void
plan_sched_one(struct planner *pl, const char *region, const char *night)
{
	enum store_result	 res;
	int64_t			 id;
	char			*cause = NULL;

	res = plan_enqueue(pl->srv, "schedule", "schedule",
	    (int)pl->srv->conf->plan_days, region, night, &id, &cause);
	if (res == STORE_CONFLICT)
		log_debug("scheduled plan of %s for %s: queued by another "
		    "node", region ? region : "the network", night);
	else if (res != STORE_OK)
		log_warnx("scheduled plan: %s", cause);
	x_free(cause);
}

/*
 * The schedule: once a day at plan_at (the city's wall clock, as timezone
 * says, so 02:00 stays 02:00 through summer time; planner's clock), queue a
 * plan of plan_days days: one per region when the centres name regions,
 * else one for the whole network.  Every node does so, and the store
 * keeps one per region and night.  A run missed while the daemon was down
 * is not made up.  The timer is re-armed after every check; moving the
 * clock checks at once.
 */
static void
plan_sched_check(struct planner *pl)
{
	const struct conf	*cf = pl->srv->conf;
	struct timeval		 tv = { 0, 0 };
	struct network		 net;
	int64_t			 now = plan_now(pl->srv), next, due;
	long long		 today = time_local_day(now);
	size_t			 i, j, nregions = 0;
	int			 at;
	char			*cause = NULL, night[11];

	if (cf->plan_at == NULL || (at = hhmm_parse(cf->plan_at)) < 0)
		return;
	due = time_local_instant(today, at);
	if (now >= due && pl->last_sched_day < today && !pl->stopping) {
		pl->last_sched_day = today;
		days_to_date(today, night);
		if (store_network_load(pl->srv->store, &net, &cause) !=
		    STORE_OK) {
			log_warnx("scheduled plan: %s", cause);
			x_free(cause);
		}
		/* Each region once, in the order of its first centre. */
		for (i = 0; i < net.ncentres; i++) {
			if (net.centres[i].region[0] == '\0')
				continue;
			for (j = 0; j < i; j++)
				if (strcmp(net.centres[j].region,
				    net.centres[i].region) == 0)
					break;
			if (j == i) {
				plan_sched_one(pl, net.centres[i].region,
				    night);
				nregions++;
			}
		}
		if (nregions == 0)
			plan_sched_one(pl, NULL, night);
		network_clear(&net);
	}
	next = now >= due ? time_local_instant(today + 1, at) : due;
	tv.tv_sec = next - now > 0 ? next - now : 1;
	evtimer_add(pl->ev_sched, &tv);
}

static void
plan_sched_cb(evutil_socket_t fd, short what, void *arg)
{
	plan_sched_check(arg);
}

/* When the schedule runs next (planner's clock), or 0 without one. */
int64_t
plan_next_run(struct server *srv)
{
	struct planner	*pl = srv->planner;
	int64_t		 now = plan_now(srv), due;
	long long	 today = time_local_day(now);
	int		 at;

	if (srv->conf->plan_at == NULL ||
	    (at = hhmm_parse(srv->conf->plan_at)) < 0)
		return 0;
	due = time_local_instant(today, at);
	return pl->last_sched_day >= today ? time_local_instant(today + 1, at) :
	    now >= due ? now : due;
}

/* Set the planner's clock to now (tests, rehearsals); checks the schedule. */
void
plan_set_clock(struct server *srv, int64_t now)
{
	struct planner	*pl = srv->planner;

	__atomic_store_n(&pl->offset, now - (int64_t)time(NULL),
	    __ATOMIC_RELAXED);
	log_info("planner clock set, offset %lld s", (long long)pl->offset);
	evtimer_del(pl->ev_sched);
	plan_sched_check(pl);
}

/* After a reload: the schedule may have changed. */
void
plan_reconfigure(struct server *srv)
{
	struct planner	*pl = srv->planner;

	evtimer_del(pl->ev_sched);
	plan_sched_check(pl);
	plan_kick(pl);
}

/* Open the worker's connection and start it; -1 with *cause. */
static int
plan_worker_start(struct planner *pl, char **cause)
{
	if ((pl->wstore = store_open(pl->srv->conf->database, 0,
	    cause)) == NULL)
		return -1;
	if (pipe2(pl->pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		store_close(pl->wstore);
		pl->wstore = NULL;
		return -1;
	}
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->wake, NULL);
	pthread_cond_init(&pl->settled, NULL);
	pl->ev_work = event_new(pl->srv->base, pl->pipe[0],
	    EV_READ | EV_PERSIST, plan_work_cb, pl);
	event_add(pl->ev_work, NULL);
	/* Only at start-up (serve), before the daemon takes a request. */
	if (pthread_create(&pl->worker, NULL, plan_worker_main, pl) != 0)
		fatalx("plan_init: cannot create the planner's worker thread");
	return 0;
}

/* Let the worker finish what it holds, take its results, stop it. */
static void
plan_worker_stop(struct planner *pl)
{
	if (pl->wstore == NULL)
		return;
	pthread_mutex_lock(&pl->lock);
	pl->wstop = 1;
	pthread_cond_signal(&pl->wake);
	pthread_mutex_unlock(&pl->lock);
	pthread_join(pl->worker, NULL);
	pl->wjoined = 1;
	plan_work_cb(-1, 0, pl);
	event_free(pl->ev_work);
	close(pl->pipe[0]);
	close(pl->pipe[1]);
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->wake);
	pthread_cond_destroy(&pl->settled);
	store_close(pl->wstore);
	pl->wstore = NULL;
}

/*
 * Set up the planner on srv (after the event base and the store): fail
 * plans a previous process left unfinished, catch SIGCHLD, arm the
 * schedule.  -1 with *cause.
 */
int
plan_init(struct server *srv, char **cause)
{
	struct planner	*pl = xcalloc(1, sizeof(*pl));
	struct timeval	 tv = { 0, 0 };
	int64_t		 now, last;
	int		 at;
	char		 host[256];

	pl->srv = srv;
	__atomic_store_n(&pl->offset, srv->conf->clock_offset,
	    __ATOMIC_RELAXED);
	srv->planner = pl;
	now = plan_now(srv);
	/* By default this machine and listener: stable across restarts. */
	if (srv->conf->node != NULL)
		pl->node = xstrdup(srv->conf->node);
	else {
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		xasprintf(&pl->node, "%s/%s", host, srv->conf->listen);
	}
	if (store_plan_fail_stale(srv->store, pl->node, now, cause) !=
	    STORE_OK ||
	    store_plan_last(srv->store, "schedule", &last, cause) != STORE_OK)
		return -1;
	/* Not today's run if its time has passed already: no catching up. */
	pl->last_sched_day = time_local_day(now) - 1;
	if (srv->conf->plan_at != NULL &&
	    (at = hhmm_parse(srv->conf->plan_at)) >= 0 &&
	    now >= time_local_instant(time_local_day(now), at))
		pl->last_sched_day = time_local_day(now);
	if (last > 0 && time_local_day(last) > pl->last_sched_day)
		pl->last_sched_day = time_local_day(last);
	if (plan_worker_start(pl, cause) == -1)
		return -1;
	pl->ev_chld = evsignal_new(srv->base, SIGCHLD, plan_sigchld_cb, pl);
	pl->ev_sched = evtimer_new(srv->base, plan_sched_cb, pl);
	pl->ev_jobs = evtimer_new(srv->base, plan_jobs_cb, pl);
	event_add(pl->ev_chld, NULL);
	plan_sched_check(pl);
	/* At once: plans queued while no node ran wait for nobody. */
	evtimer_add(pl->ev_jobs, &tv);
	return 0;
}

/* The solve whose solver runs plan id now, or NULL. */
static struct solve *
plan_solve_find(struct server *srv, int64_t id)
{
	struct solve	*sv;

	for (sv = ((struct planner *)srv->planner)->running; sv != NULL;
	    sv = sv->next)
		if (sv->id == id)
			return sv;
	return NULL;
}

/* Is a solver running plan id now? */
int
plan_running(struct server *srv, int64_t id)
{
	return plan_solve_find(srv, id) != NULL;
}

/*
 * When the solver of plan id will be stopped, on the planner's clock; 0
 * when no solver runs it (queued, preparing, checking, saving, over).
 */
int64_t
plan_deadline(struct server *srv, int64_t id)
{
	struct solve	*sv = plan_solve_find(srv, id);

	return sv != NULL ? sv->deadline : 0;
}

/*
 * SIGTERM: running solves are terminated; queued plans stay queued for
 * another node, or this one when it starts again.
 */
void
plan_shutdown(struct server *srv)
{
	struct planner	*pl = srv->planner;
	struct solve	*sv, *next;

	if (pl == NULL || pl->stopping)
		return;
	pl->stopping = 1;
	/* plan_terminate may finish (and free) sv: take next first. */
	for (sv = pl->running; sv != NULL; sv = next) {
		next = sv->next;
		sv->interrupted = 1;
		plan_terminate(sv);
	}
}

/* No solver process left, nothing with the worker. */
int
plan_idle(struct server *srv)
{
	struct planner	*pl = srv->planner;

	return pl == NULL || (pl->running == NULL && pl->nworking == 0);
}

/* At exit: kill and reap what is left (the drain timed out), then free. */
void
plan_free(struct server *srv)
{
	struct planner	*pl = srv->planner;
	struct solve	*sv;
	int		 status;

	if (pl == NULL)
		return;
	plan_shutdown(srv);
	/*
	 * A result being checked is still saved; one being prepared fails.
	 * The group commit has stopped (recircd.c stops it first, which
	 * runs the done callbacks of the plans' writes still queued).
	 */
	pl->writer_gone = 1;
	plan_worker_stop(pl);
	while ((sv = pl->running) != NULL) {
		pl->running = sv->next;
		if (!sv->exited) {
			kill(-sv->pid, SIGKILL);
			waitpid(sv->pid, &status, 0);
		}
		plan_fail(pl, sv->id, "interrupted: the daemon is shutting "
		    "down");
		plan_solve_free(sv);
	}
	event_free(pl->ev_chld);
	event_free(pl->ev_sched);
	event_free(pl->ev_jobs);
	x_free(pl->node);
	x_free(pl);
	srv->planner = NULL;
}
