/*
 * commit.c -- group commit: one writer thread, one transaction per batch.
 *
 * Durable replies cost an fsync each, and fsync here takes 0.06 to 4 ms
 * (MEASURED.md).  So writes from the event loop queue up here; a single
 * writer thread with its own SQLite connection takes everything queued
 * (up to a batch limit), applies it in one BEGIN IMMEDIATE ... COMMIT and
 * only then hands the jobs back to the loop, which replies.  Under load a
 * batch naturally grows while the previous fsync runs; when idle a lone
 * request commits at once, so there is no timer and no added latency.
 *
 * A failed COMMIT (disk full, I/O error) rolls the whole batch back and
 * every job in it gets STORE_UNAVAILABLE: nothing half-written remains.
 *
 * Threads: commit_submit/commit_drain/commit_idle run on the loop;
 * the queue and done list are guarded by one mutex; the loop learns of
 * finished jobs through a pipe (commit_fd) it watches with libevent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recircd.h"

struct committer {
	struct store		*store;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct commit_job	*queue, **queue_tail;
	struct commit_job	*done, **done_tail;
	long long		 batch_max;
	int			 busy;		/* a batch is being applied */
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
	char			*cause = NULL;
	int64_t			 now = time(NULL);

again:
	if (store_begin(c->store, &cause) == -1) {
		log_warnx("group commit: %s", cause);
		commit_fail_all(batch, STORE_UNAVAILABLE, cause);
		x_free(cause);
		return;
	}
	for (j = batch; j != NULL; j = j->next) {
		if (j->broken)
			continue;
		pickup_row_clear(&j->row);
		x_free(j->cause);
		j->cause = NULL;
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

static void *
commit_main(void *arg)
{
	struct committer	*c = arg;
	struct commit_job	*batch, *j, **tail;
	long long		 n;
	char			 b = 1;
	int			 wasempty;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (c->queue == NULL && !c->stopping)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->queue == NULL && c->stopping)
			break;
		batch = c->queue;
		tail = &batch;
		for (n = 0, j = batch; j != NULL && n < c->batch_max;
		    j = j->next, n++)
			tail = &j->next;
		c->queue = *tail;
		if (c->queue == NULL)
			c->queue_tail = &c->queue;
		*tail = NULL;
		c->busy = 1;
		pthread_mutex_unlock(&c->lock);

		commit_apply(c, batch);

		pthread_mutex_lock(&c->lock);
		wasempty = c->done == NULL;
		*c->done_tail = batch;
		for (j = batch; j->next != NULL; j = j->next)
			;
		c->done_tail = &j->next;
		c->busy = 0;
		if (wasempty)
			(void)write(c->pipe[1], &b, 1);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Open the writer's own connection to path and start the thread. */
struct committer *
commit_start(const char *path, long long batch_max, char **cause)
{
	struct committer	*c = xcalloc(1, sizeof(*c));

	if ((c->store = store_open(path, 0, cause)) == NULL) {
		x_free(c);
		return NULL;
	}
	if (pipe(c->pipe) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		store_close(c->store);
		x_free(c);
		return NULL;
	}
	fcntl(c->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(c->pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(c->pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(c->pipe[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	c->queue_tail = &c->queue;
	c->done_tail = &c->done;
	c->batch_max = batch_max;
	if (pthread_create(&c->thread, NULL, commit_main, c) != 0)
		fatalx("commit_start: cannot create the writer thread");
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
	*c->queue_tail = j;
	c->queue_tail = &j->next;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
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

/* 1 when nothing is queued, being applied or waiting for the loop. */
int
commit_idle(struct committer *c)
{
	int	idle;

	pthread_mutex_lock(&c->lock);
	idle = c->queue == NULL && !c->busy && c->done == NULL;
	pthread_mutex_unlock(&c->lock);
	return idle;
}

/* Finish the queue, stop the thread, close the connection. */
void
commit_stop(struct committer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	commit_drain(c);
	close(c->pipe[0]);
	close(c->pipe[1]);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	store_close(c->store);
	x_free(c);
}
