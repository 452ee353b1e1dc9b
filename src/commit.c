/*
 * commit.c -- group commit: a writer thread and sync threads, pipelined.
 *
 * A 2xx reply to a write means it is durable.  A disk flush here takes
 * 0.06 to 4 ms (MEASURED.md), so paying one per request, or even waiting
 * for each batch's own flush before starting the next, caps throughput at
 * connections / flush time.  Instead:
 *
 *  - the writer thread takes everything queued (up to a batch limit) and
 *    applies it in one transaction on its own connection;
 *  - the committed batch goes to a pool of sync threads; a free one makes
 *    every batch committed before its call started durable (store_sync)
 *    and only then hands them to the loop, which replies.
 *
 * What "durable" costs is the engine's business (store_caps).  SQLite
 * (STORE_CAP_SYNC) lets the writer's COMMIT append its frames and commit
 * record to the WAL without waiting for the disk, and store_sync
 * fdatasyncs the WAL.  An engine whose COMMIT is durable by itself
 * (PostgreSQL with synchronous_commit = on) needs no sync: its batches go
 * to the loop as soon as they are committed.
 *
 * Under load the writer gathers a batch (commit_gather: up to
 * COMMIT_GATHER writes or COMMIT_GATHER_US) rather than commit each
 * write as it comes, which would cost a transaction, its WAL frames and
 * a sync for every few requests; a lone write commits at once.
 *
 * While one fdatasync runs the writer keeps committing, and the next
 * sync starts at once in another thread: concurrent fdatasyncs of one
 * file let the kernel merge the disk flushes (measured here: 255 syncs/s
 * from one thread, over 1000/s from two).  A reply is thus sent only
 * after a sync that began after its transaction's commit record was
 * written, which is what synchronous=FULL guarantees, without the writer
 * waiting on the disk.
 * Batches that wrote nothing (replays, conflicts, refusals) need no sync
 * of their own but keep their place in the order.
 *
 * An engine that wants its log copied back into the database
 * (STORE_CAP_CHECKPOINT: SQLite's WAL checkpoints, two syncs each) gets a
 * checkpointer thread with a connection of its own, woken when the
 * writer's engine asks (store_set_writer); done inline, checkpoints
 * stalled every write behind them (p99 30 ms).
 *
 * A failed COMMIT (disk full, I/O error, a lost connection) rolls the
 * whole batch back and every job in it gets STORE_UNAVAILABLE: nothing
 * half-written remains.  A failed sync leaves the disk's state unknown
 * (the kernel may have dropped the dirty pages), so the writes it covered
 * get 503 and every later write is refused with 503 until the daemon
 * restarts and the engine recovers from what is really on disk.
 *
 * Besides submissions and cancellations, any other write is queued as a
 * COMMIT_CALL (commit_call: pins, field events, network changes, a plan's
 * problem and result): the loop's own connection writes nothing but a
 * plan's few state changes (queued, phase, failed, best cost).
 *
 * Threads: commit_submit/commit_drain/commit_idle run on the loop; the
 * queues are guarded by one mutex; the loop learns of finished jobs
 * through a pipe (commit_fd) it watches with libevent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recircd.h"

#define COMMIT_SYNCERS 4	/* concurrent syncs: the kernel merges them */
#define COMMIT_GATHER 16		/* jobs worth a commit while syncing */
#define COMMIT_GATHER_US 500	/* longest a job waits to be gathered */
#define COMMIT_LATE 64		/* rounds of writes queued at the stop */
#define COMMIT_RUN 64		/* inserts in one statement (STORE_CAP_MANY) */

struct committer {
	struct store		*store;
	unsigned		 caps;		/* the engine's STORE_CAP_* */
	pthread_t		 writer, syncer[COMMIT_SYNCERS], checkpointer;
	int			 nsyncers;
	struct store		*ckpt_store;	/* the checkpointer's, or NULL */
	pthread_cond_t		 wake_ckpt;
	int			 ckpt_wanted;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake_writer, wake_syncer;
	struct commit_job	*queue, **queue_tail;	/* to the writer */
	struct commit_job	*synq, **synq_tail;	/* committed, unsynced */
	struct commit_job	*done, **done_tail;	/* to the loop */
	long long		 batch_max;
	long long		 queued;	/* jobs in queue */
	struct timespec		 oldest;	/* when queue's head came */
	uint64_t		 last_seq;	/* newest committed batch */
	uint64_t		 dirty_seq;	/* newest batch that wrote */
	uint64_t		 cover_seq;	/* newest covered by a sync begun */
	uint64_t		 synced_seq;	/* newest known on disk */
	int			 writing;	/* writer is applying a batch */
	int			 writer_done;
	int			 syncing;	/* syncs in flight */
	struct commit_stats	 stats;
	int			 disk_failed;	/* a sync failed */
	int			 stopping;
	int			 pipe[2];
};

void
commit_job_free(struct commit_job *j)
{
	if (j == NULL)
		return;
	pickup_new_clear(&j->pickup);
	pickup_row_clear(&j->row);
	x_free(j->operator);
	x_free(j->actor);
	x_free(j->cause);
	x_free(j);
}

static void
commit_apply_one(struct store *st, struct commit_job *j, int64_t now)
{
	switch (j->kind) {
	case COMMIT_INSERT:
		j->result = store_pickup_insert(st, &j->pickup, now, &j->row,
		    &j->conflict_key, &j->cause);
		break;
	case COMMIT_CANCEL:
		j->result = store_pickup_cancel(st, j->id, j->operator,
		    j->actor, now, &j->row, &j->cause);
		break;
	case COMMIT_CALL:
		/*
		 * All of the write or none of it: a savepoint inside the
		 * batch, so a refusal halfway leaves nothing for the batch's
		 * COMMIT to keep.
		 */
		if (store_begin(st, &j->cause) == -1) {
			j->result = STORE_UNAVAILABLE;
			break;
		}
		j->result = j->apply(st, j, &j->cause);
		if (j->result == STORE_OK && store_commit(st, &j->cause) == -1)
			j->result = STORE_UNAVAILABLE;
		if (j->result != STORE_OK)
			store_rollback(st);
		break;
	}
}

/* Fail every job of a batch that could not be committed. */
static void
commit_fail_all(struct commit_job *batch, enum store_result res,
    const char *why)
{
	struct commit_job	*j;

	for (j = batch; j != NULL; j = j->next) {
		if (j->broken)
			continue;
		j->result = res;
		x_free(j->cause);
		j->cause = xstrdup(why);
		pickup_row_clear(&j->row);
	}
}

/* Two inserts that would clash on an operator's reference or key. */
static int
commit_same_pickup(const struct pickup_new *a, const struct pickup_new *b)
{
	if (strcmp(a->operator, b->operator) != 0)
		return 0;
	return strcmp(a->reference, b->reference) == 0 ||
	    (a->idem_key != NULL && b->idem_key != NULL &&
	    strcmp(a->idem_key, b->idem_key) == 0);
}

/*
 * The run of inserts that starts at j (up to the next job of another
 * kind, at most COMMIT_RUN), in one go where the engine saves round trips
 * by it (STORE_CAP_MANY): those it inserted are marked inserted, with
 * their rows; the rest, and any that would clash with one before it in
 * the run, are left to commit_apply_one in their turn, which finds the
 * retry or the clash as it would have one by one.  *run gets the number
 * of jobs the run spans; a failure is the engine's (the transaction is
 * to be rolled back).
 */
static enum store_result
commit_insert_run(struct store *st, struct commit_job *j, int64_t now,
    int *run, char **cause)
{
	const struct pickup_new	*p[COMMIT_RUN];
	struct pickup_row	*out[COMMIT_RUN];
	struct commit_job	*job[COMMIT_RUN], *k;
	enum store_result	 res;
	int			 ins[COMMIT_RUN], n = 0, span = 0, i, dup;

	for (k = j; k != NULL && k->kind == COMMIT_INSERT && span < COMMIT_RUN;
	    k = k->next) {
		span++;
		if (k->broken)
			continue;
		for (dup = 0, i = 0; i < n && !dup; i++)
			dup = commit_same_pickup(p[i], &k->pickup);
		if (dup)
			continue;
		p[n] = &k->pickup;
		out[n] = &k->row;
		job[n++] = k;
	}
	*run = span;
	if (n < 2)	/* nothing saved */
		return STORE_OK;
	if ((res = store_pickup_insert_many(st, p, n, now, out, ins,
	    cause)) != STORE_OK)
		return res;
	for (i = 0; i < n; i++)
		job[i]->inserted = ins[i];
	return STORE_OK;
}

/*
 * Apply one batch in one transaction; results are left in the jobs.
 * Disk trouble (STORE_UNAVAILABLE) fails the whole batch: nothing of it
 * is written.  A job that fails as a bug (STORE_ERROR) is set aside with
 * its 500 and the batch is applied again without it, so one bad write
 * does not take its neighbours down with it.
 */
static void
commit_apply(struct committer *c, struct commit_job *batch)
{
	struct commit_job	*j;
	enum store_result	 res;
	char			*cause = NULL;
	int64_t			 now = time(NULL);
	int			 run, many = (c->caps & STORE_CAP_MANY) != 0;

again:
	if (store_begin(c->store, &cause) == -1) {
		log_warnx("group commit: %s", cause);
		commit_fail_all(batch, STORE_UNAVAILABLE, cause);
		x_free(cause);
		return;
	}
	for (j = batch; j != NULL; j = j->next) {
		j->inserted = 0;
		if (j->broken)
			continue;
		pickup_row_clear(&j->row);
		x_free(j->cause);
		j->cause = NULL;
	}
	run = 0;
	for (j = batch; j != NULL; j = j->next) {
		if (j->kind != COMMIT_INSERT)
			run = 0;
		else if (run == 0 && many) {
			res = commit_insert_run(c->store, j, now, &run, &cause);
			if (res != STORE_OK && res != STORE_UNAVAILABLE) {
				/* One by one, where the fault shows itself. */
				log_warnx("group commit: %s", cause);
				x_free(cause);
				cause = NULL;
				store_rollback(c->store);
				many = 0;
				goto again;
			}
			if (res == STORE_UNAVAILABLE) {
				log_warnx("group commit: %s", cause);
				store_rollback(c->store);
				commit_fail_all(batch, STORE_UNAVAILABLE, cause);
				x_free(cause);
				return;
			}
		}
		if (run > 0)
			run--;
		if (j->broken)
			continue;
		if (j->inserted) {
			j->result = STORE_OK;
			j->conflict_key = 0;
			continue;
		}
		commit_apply_one(c->store, j, now);
		if (j->result == STORE_ERROR) {
			log_warnx("group commit: %s", j->cause ? j->cause :
			    "store error");
			store_rollback(c->store);
			j->broken = 1;
			goto again;
		}
		if (j->result == STORE_UNAVAILABLE) {
			cause = xstrdup(j->cause ? j->cause : "unavailable");
			log_warnx("group commit: %s", cause);
			store_rollback(c->store);
			commit_fail_all(batch, STORE_UNAVAILABLE, cause);
			x_free(cause);
			return;
		}
	}
	if (store_commit(c->store, &cause) == -1) {
		log_warnx("group commit: %s", cause);
		store_rollback(c->store);
		commit_fail_all(batch, STORE_UNAVAILABLE, cause);
		x_free(cause);
	}
}

/*
 * The engine asks for a checkpoint (writer thread, c->lock not held):
 * wake the checkpointer rather than checkpoint inline, which would stall
 * every write behind it.
 */
static void
commit_want_checkpoint_cb(void *arg)
{
	struct committer	*c = arg;

	pthread_mutex_lock(&c->lock);
	c->ckpt_wanted = 1;
	pthread_cond_signal(&c->wake_ckpt);
	pthread_mutex_unlock(&c->lock);
}

/* Checkpoints on a connection of its own, when asked. */
static void *
commit_checkpointer_main(void *arg)
{
	struct committer	*c = arg;
	char			*cause = NULL;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->ckpt_wanted && !c->writer_done)
			pthread_cond_wait(&c->wake_ckpt, &c->lock);
		if (!c->ckpt_wanted)
			break;
		c->ckpt_wanted = 0;
		pthread_mutex_unlock(&c->lock);
		if (store_checkpoint(c->ckpt_store, &cause) == -1) {
			log_warnx("checkpoint: %s", cause);
			x_free(cause);
			cause = NULL;
		}
		pthread_mutex_lock(&c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Append the list from..to (inclusive) to a queue's tail. */
static void
commit_append(struct commit_job ***tail, struct commit_job *from)
{
	struct commit_job	*j;

	**tail = from;
	for (j = from; j->next != NULL; j = j->next)
		;
	*tail = &j->next;
}

/* 1 when the batch changed the database (so it needs a sync). */
static int
commit_wrote(const struct commit_job *batch)
{
	const struct commit_job	*j;

	for (j = batch; j != NULL; j = j->next)
		if (j->result == STORE_OK)
			return 1;
	return 0;
}

/* Microseconds from from to to. */
static long long
commit_us(const struct timespec *from, const struct timespec *to)
{
	return (to->tv_sec - from->tv_sec) * 1000000LL +
	    (to->tv_nsec - from->tv_nsec) / 1000;
}

/*
 * Called locked with a non-empty queue: 1 when the writer should wait a
 * little for more jobs before committing (it has then waited, and the
 * caller looks again).  Under load, committing a handful of rows at a
 * time only multiplies transactions, WAL frames (every small commit
 * rewrites the same index pages), syncs and thread wake-ups, which is
 * CPU the requests need; so under load (a sync in flight, or more than
 * one job waiting) the writer gathers until COMMIT_GATHER jobs are
 * queued or the oldest has waited COMMIT_GATHER_US.  A lone request --
 * a quiet daemon, a client sending one request after another -- commits
 * at once.
 */
static int
commit_gather(struct committer *c)
{
	struct timespec	 now, until;

	if (c->stopping || c->queued >= COMMIT_GATHER ||
	    c->queued >= c->batch_max)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->syncing == 0 && c->queued < 2)
		return 0;
	if (commit_us(&c->oldest, &now) >= COMMIT_GATHER_US)
		return 0;
	until = c->oldest;
	until.tv_nsec += COMMIT_GATHER_US * 1000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&c->wake_writer, &c->lock, &until);
	return 1;
}

static void *
commit_writer_main(void *arg)
{
	struct committer	*c = arg;
	struct commit_job	*batch, *j, **tail;
	long long		 n;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (c->queue == NULL && !c->stopping)
			pthread_cond_wait(&c->wake_writer, &c->lock);
		if (c->queue == NULL && c->stopping)
			break;
		if (commit_gather(c))
			continue;
		batch = c->queue;
		tail = &batch;
		for (n = 0, j = batch; j != NULL && n < c->batch_max;
		    j = j->next, n++)
			tail = &j->next;
		c->queue = *tail;
		c->queued -= n;
		if (c->queue == NULL)
			c->queue_tail = &c->queue;
		else
			clock_gettime(CLOCK_MONOTONIC, &c->oldest);
		*tail = NULL;
		c->writing = 1;
		if (c->disk_failed) {
			pthread_mutex_unlock(&c->lock);
			commit_fail_all(batch, STORE_UNAVAILABLE,
			    "the disk failed a sync earlier; restart recircd");
		} else {
			pthread_mutex_unlock(&c->lock);
			commit_apply(c, batch);
		}
		pthread_mutex_lock(&c->lock);
		c->last_seq++;
		c->stats.batches++;
		c->stats.jobs += n;
		metrics_hist_observe(&c->stats.batch_size, (double)n);
		for (j = batch; j != NULL; j = j->next)
			j->seq = c->last_seq;
		if (commit_wrote(batch))
			c->dirty_seq = c->last_seq;
		commit_append(&c->synq_tail, batch);
		c->writing = 0;
		pthread_cond_signal(&c->wake_syncer);
	}
	/* Let the syncers finish what is left, then stop. */
	c->writer_done = 1;
	pthread_cond_broadcast(&c->wake_syncer);
	pthread_cond_signal(&c->wake_ckpt);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/*
 * Hand every committed batch up to seq to the loop (called locked).  On a
 * failed sync they get 503 instead: their commit may not be on disk.
 */
static void
commit_release(struct committer *c, uint64_t seq, int failed)
{
	struct commit_job	*list = c->synq, **tail = &list;
	char			 b = 1;
	int			 wasempty;

	while (*tail != NULL && (*tail)->seq <= seq)
		tail = &(*tail)->next;
	if (tail == &list)
		return;
	c->synq = *tail;
	if (c->synq == NULL)
		c->synq_tail = &c->synq;
	*tail = NULL;
	if (failed)
		commit_fail_all(list, STORE_UNAVAILABLE,
		    "the disk failed to sync the write");
	wasempty = c->done == NULL;
	commit_append(&c->done_tail, list);
	if (wasempty)
		(void)write(c->pipe[1], &b, 1);
}

/*
 * A sync thread.  Several run at once: each takes everything committed
 * since the last sync began, syncs (store_sync) and releases every batch
 * committed before it began (a sync finishing first covers older batches
 * too).  Concurrent fdatasyncs of one file let the kernel merge the disk
 * flushes, so a batch waits for about one flush instead of the rest of
 * the one in progress and then its own.
 */
static void *
commit_syncer_main(void *arg)
{
	struct committer	*c = arg;
	uint64_t		 cover;
	char			*cause = NULL;
	double			 t0, t1;
	int			 rc;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (c->last_seq <= c->cover_seq && !(c->writer_done &&
		    c->queue == NULL))
			pthread_cond_wait(&c->wake_syncer, &c->lock);
		if (c->last_seq <= c->cover_seq)
			break;		/* stopping, and all is covered */
		cover = c->cover_seq = c->last_seq;
		if (c->dirty_seq <= c->synced_seq ||
		    !(c->caps & STORE_CAP_SYNC)) {
			/*
			 * Everything written is on disk already: these
			 * batches (replays, refusals) need no sync, nor
			 * any batch whose COMMIT was durable by itself.
			 */
			c->synced_seq = cover;
			commit_release(c, cover, c->disk_failed);
			continue;
		}
		c->syncing++;
		c->stats.syncs++;
		pthread_mutex_unlock(&c->lock);

		t0 = time_mono();
		rc = store_sync(c->store, &cause);
		t1 = time_mono();

		pthread_mutex_lock(&c->lock);
		metrics_hist_observe(&c->stats.sync_seconds, t1 - t0);
		c->syncing--;
		if (rc == -1) {
			log_warnx("group commit: %s; refusing writes until "
			    "restart", cause);
			x_free(cause);
			cause = NULL;
			c->disk_failed = 1;
			commit_release(c, cover, 1);
		} else if (cover > c->synced_seq) {
			c->synced_seq = cover;
			commit_release(c, cover, c->disk_failed);
		}
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/*
 * Open the writer's own connection to database, and the checkpointer's
 * when the engine wants one, and start the threads.  NULL with *cause.
 */
struct committer *
commit_start(const char *database, long long batch_max, char **cause)
{
	static const double	 sizes[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256,
				    512, 1024 };
	static const double	 secs[] = { 0.0001, 0.00025, 0.0005, 0.001,
				    0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
				    0.25, 1 };
	struct committer	*c = xcalloc(1, sizeof(*c));
	pthread_condattr_t	 mono;
	int			 i;

	metrics_hist_init(&c->stats.batch_size, sizes,
	    sizeof(sizes) / sizeof(sizes[0]));
	metrics_hist_init(&c->stats.sync_seconds, secs,
	    sizeof(secs) / sizeof(secs[0]));

	if ((c->store = store_open(database, 0, cause)) == NULL) {
		x_free(c);
		return NULL;
	}
	c->caps = store_caps(c->store);
	if (store_set_writer(c->store, commit_want_checkpoint_cb, c,
	    cause) == -1 || pipe(c->pipe) == -1) {
		if (*cause == NULL)
			xasprintf(cause, "pipe: %s", strerror(errno));
		store_close(c->store);
		x_free(c);
		return NULL;
	}
	if ((c->caps & STORE_CAP_CHECKPOINT) &&
	    (c->ckpt_store = store_open(database, 0, cause)) == NULL) {
		store_close(c->store);
		close(c->pipe[0]);
		close(c->pipe[1]);
		x_free(c);
		return NULL;
	}
	fcntl(c->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(c->pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(c->pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(c->pipe[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&mono);
	pthread_condattr_setclock(&mono, CLOCK_MONOTONIC);
	pthread_cond_init(&c->wake_writer, &mono);
	pthread_condattr_destroy(&mono);
	pthread_cond_init(&c->wake_syncer, NULL);
	pthread_cond_init(&c->wake_ckpt, NULL);
	c->queue_tail = &c->queue;
	c->synq_tail = &c->synq;
	c->done_tail = &c->done;
	c->batch_max = batch_max;
	/* Start-up only (before the first request is accepted): a daemon
	 * without its writer could acknowledge nothing, so it must not run. */
	if (pthread_create(&c->writer, NULL, commit_writer_main, c) != 0 ||
	    (c->ckpt_store != NULL && pthread_create(&c->checkpointer, NULL,
	    commit_checkpointer_main, c) != 0))
		fatalx("commit_start: cannot create the writer threads");
	/* With nothing to sync, one thread hands batches to the loop. */
	c->nsyncers = c->caps & STORE_CAP_SYNC ? COMMIT_SYNCERS : 1;
	/* Start-up only, as above: no syncer, no acknowledgement. */
	for (i = 0; i < c->nsyncers; i++)
		if (pthread_create(&c->syncer[i], NULL, commit_syncer_main,
		    c) != 0)
			fatalx("commit_start: cannot create a sync thread");
	return c;
}

void
commit_set_batch(struct committer *c, long long batch_max)
{
	pthread_mutex_lock(&c->lock);
	c->batch_max = batch_max;
	pthread_mutex_unlock(&c->lock);
}

/* Queue j; its done() will run on the loop from commit_drain(). */
void
commit_submit(struct committer *c, struct commit_job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&c->lock);
	if (c->queued++ == 0)
		clock_gettime(CLOCK_MONOTONIC, &c->oldest);
	*c->queue_tail = j;
	c->queue_tail = &j->next;
	/* The writer waits for the first job, or for a gathered batch. */
	if (c->queued == 1 || c->queued == COMMIT_GATHER)
		pthread_cond_signal(&c->wake_writer);
	pthread_mutex_unlock(&c->lock);
}

/*
 * Queue a COMMIT_CALL: apply(store, job, cause) runs in the writer inside
 * its batch, done(job, arg) on the loop once it is on disk; data is the
 * caller's, reached as job->data, and done() frees the job.
 */
void
commit_call(struct committer *c, enum store_result (*apply)(struct store *,
    struct commit_job *, char **), void *data,
    void (*done)(struct commit_job *, void *), void *arg)
{
	struct commit_job	*j = xcalloc(1, sizeof(*j));

	j->kind = COMMIT_CALL;
	j->apply = apply;
	j->data = data;
	j->done = done;
	j->arg = arg;
	commit_submit(c, j);
}

int
commit_fd(struct committer *c)
{
	return c->pipe[0];
}

/* On the loop: run done() of every finished job; done() frees the job. */
void
commit_drain(struct committer *c)
{
	struct commit_job	*list, *j, *next;
	char			 buf[64];

	while (read(c->pipe[0], buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&c->lock);
	list = c->done;
	c->done = NULL;
	c->done_tail = &c->done;
	pthread_mutex_unlock(&c->lock);
	for (j = list; j != NULL; j = next) {
		next = j->next;
		j->next = NULL;
		j->done(j, j->arg);
	}
}

/* Counters since start, for /v1/status. */
void
commit_stats(struct committer *c, struct commit_stats *st)
{
	pthread_mutex_lock(&c->lock);
	*st = c->stats;
	pthread_mutex_unlock(&c->lock);
}

/* 1 when nothing is queued, being written or synced, or waiting. */
int
commit_idle(struct committer *c)
{
	int	idle;

	pthread_mutex_lock(&c->lock);
	idle = c->queue == NULL && !c->writing && c->synq == NULL &&
	    c->syncing == 0 && c->done == NULL;
	pthread_mutex_unlock(&c->lock);
	return idle;
}

/*
 * After the threads are gone: the final drain's done() callbacks may
 * queue writes of their own (a plan's problem stored, then the road legs
 * it fetched).  Nobody would write them now, so they are written here,
 * a batch and a sync at a time, their done() run in turn; a chain that
 * keeps queueing is cut after COMMIT_LATE rounds with 503s.
 */
static void
commit_stop_late(struct committer *c)
{
	struct commit_job	*batch, *j;
	char			*cause = NULL;
	int			 round;

	for (round = 0; ; round++) {
		batch = c->queue;
		c->queue = NULL;
		c->queue_tail = &c->queue;
		c->queued = 0;
		if (batch == NULL)
			return;
		if (c->disk_failed || round >= COMMIT_LATE)
			commit_fail_all(batch, STORE_UNAVAILABLE,
			    "recircd is stopping");
		else {
			commit_apply(c, batch);
			if ((c->caps & STORE_CAP_SYNC) && commit_wrote(batch) &&
			    store_sync(c->store, &cause) == -1) {
				log_warnx("group commit: %s", cause);
				x_free(cause);
				cause = NULL;
				c->disk_failed = 1;
				commit_fail_all(batch, STORE_UNAVAILABLE,
				    "the disk failed to sync the write");
			}
		}
		while ((j = batch) != NULL) {
			batch = j->next;
			j->next = NULL;
			j->done(j, j->arg);
		}
	}
}

/* Finish the queues, stop the threads, close the connection. */
void
commit_stop(struct committer *c)
{
	int	i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake_writer);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->writer, NULL);
	for (i = 0; i < c->nsyncers; i++)
		pthread_join(c->syncer[i], NULL);
	if (c->ckpt_store != NULL)
		pthread_join(c->checkpointer, NULL);
	commit_drain(c);
	commit_stop_late(c);
	close(c->pipe[0]);
	close(c->pipe[1]);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake_writer);
	pthread_cond_destroy(&c->wake_syncer);
	pthread_cond_destroy(&c->wake_ckpt);
	store_close(c->ckpt_store);
	store_close(c->store);
	x_free(c);
}
