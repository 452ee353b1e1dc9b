/*
 * webhook-send.c -- the delivery worker: a thread that sends the outbox.
 *
 * It reads what is due on a connection of its own (store_webhook_due:
 * the oldest pending delivery of each webhook and pickup, so a pickup's
 * events arrive in order), POSTs the batch at once with hc_run (libcurl
 * multi, never on the event loop), decides each outcome (wh_outcome:
 * delivered, or retried later, or dead), and has the group commit's
 * writer record the outcomes; it reads again only once that write is
 * on disk.  A daemon killed between the POST and that write sends the
 * delivery again after its restart: at least once, never lost; the
 * receiver de-duplicates by the delivery's id.
 *
 * Once an hour the same write deletes delivered and dead deliveries
 * older than WH_KEEP_DAYS.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recircd.h"

#define WH_BATCH	32	/* deliveries sent at once */
#define WH_PARALLEL	16	/* connections at once */
#define WH_IDLE_MS	500	/* how often an idle worker looks */
#define WH_CONNECT_MS	5000
#define WH_KEEP_DAYS	30
#define WH_PRUNE_EVERY	3600
#define WH_HOLD_S	60	/* past webhook_timeout: send and record */

struct wh_sender {
	struct server	*srv;
	struct store	*st;		/* the worker's reader */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 stop;		/* atomic */
	int		 recorded;	/* the last batch is written */
	/* settings (webhook_reconfigure), under lock */
	long long	 timeout, retry_min, max_age;
	/* counters since start, under lock */
	long long	 delivered, retried, dead;
	int64_t		 pruned_at;
};

/* The write the worker hands the group commit. */
struct wh_batch {
	struct wh_sender	*ws;
	struct wh_delivery	*d;
	size_t			 n;
	int64_t			 prune_before;	/* 0: no pruning */
};

static enum store_result
wh_record_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct wh_batch		*b = j->data;
	enum store_result	 res;

	res = store_webhook_record(st, b->d, b->n, cause);
	if (res == STORE_OK && b->prune_before > 0)
		res = store_webhook_prune(st, b->prune_before, cause);
	return res;
}

/* On the loop: the outcomes are on disk (or could not be written). */
static void
wh_record_done(struct commit_job *j, void *arg)
{
	struct wh_sender	*ws = arg;
	struct wh_batch		*b = j->data;

	if (j->result != STORE_OK)
		log_warnx("webhooks: cannot record %zu deliveries (they will "
		    "be sent again): %s", b->n, j->cause ? j->cause :
		    "storage unavailable");
	wh_deliveries_free(b->d, b->n);
	x_free(b);
	commit_job_free(j);
	pthread_mutex_lock(&ws->lock);
	ws->recorded = 1;
	pthread_cond_signal(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
}

static int
wh_stopping(struct wh_sender *ws)
{
	return __atomic_load_n(&ws->stop, __ATOMIC_RELAXED);
}

/*
 * Wait until the last batch is recorded (for_record), or up to ms or a
 * wake-up; 1 when told to stop.
 */
static int
wh_wait(struct wh_sender *ws, long ms, int for_record)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&ws->lock);
	if (for_record)
		while (!wh_stopping(ws) && !ws->recorded)
			pthread_cond_wait(&ws->wake, &ws->lock);
	else if (!wh_stopping(ws))
		(void)pthread_cond_timedwait(&ws->wake, &ws->lock, &ts);
	pthread_mutex_unlock(&ws->lock);
	return wh_stopping(ws);
}

/* Send d[0..n), decide each outcome; 1 when stopped half way. */
static int
wh_send(struct wh_sender *ws, struct wh_delivery *d, size_t n)
{
	struct hc_request	*rq = xcalloc(n, sizeof(*rq));
	char			**body = xcalloc(n, sizeof(*body));
	char			(*sig)[72 + 21] = xcalloc(n, sizeof(*sig));
	char			(*id)[40] = xcalloc(n, sizeof(*id));
	char			(*ev)[40] = xcalloc(n, sizeof(*ev));
	long long		 timeout, retry_min, max_age;
	size_t			 i;
	int64_t			 now;
	int			 stopped;

	pthread_mutex_lock(&ws->lock);
	timeout = ws->timeout;
	retry_min = ws->retry_min;
	max_age = ws->max_age;
	pthread_mutex_unlock(&ws->lock);
	for (i = 0; i < n; i++) {
		body[i] = wh_body(&d[i]);
		memcpy(sig[i], "X-Recirc-Signature: ", 20);
		if (wh_signature(d[i].secret ? d[i].secret : "", body[i],
		    strlen(body[i]), sig[i] + 20) == -1)
			snprintf(sig[i], sizeof(sig[i]), "X-Recirc-Signature: "
			    "unavailable");
		snprintf(id[i], sizeof(id[i]), "X-Recirc-Delivery: %lld",
		    (long long)d[i].id);
		snprintf(ev[i], sizeof(ev[i]), "X-Recirc-Event: %s",
		    d[i].event);
		rq[i].url = d[i].url ? d[i].url : "";
		rq[i].body = body[i];
		rq[i].body_len = strlen(body[i]);
		rq[i].headers[0] = "Content-Type: application/json";
		rq[i].headers[1] = sig[i];
		rq[i].headers[2] = id[i];
		rq[i].headers[3] = ev[i];
	}
	hc_run(rq, n, WH_CONNECT_MS, timeout * 1000, WH_PARALLEL, &ws->stop);
	stopped = wh_stopping(ws);
	now = plan_now(ws->srv);
	for (i = 0; !stopped && i < n; i++) {
		wh_outcome(&d[i], (int)rq[i].status, rq[i].status ? NULL :
		    rq[i].error, now, retry_min, max_age);
		pthread_mutex_lock(&ws->lock);
		if (strcmp(d[i].state, "delivered") == 0)
			ws->delivered++;
		else if (strcmp(d[i].state, "dead") == 0)
			ws->dead++;
		else
			ws->retried++;
		pthread_mutex_unlock(&ws->lock);
		if (strcmp(d[i].state, "delivered") != 0)
			log_info("webhook %lld: delivery %lld (%s, pickup %lld) "
			    "failed, %s: %s", (long long)d[i].webhook,
			    (long long)d[i].id, d[i].event,
			    (long long)d[i].pickup, d[i].state,
			    d[i].last_error ? d[i].last_error : "?");
	}
	for (i = 0; i < n; i++) {
		x_free(body[i]);
		x_free(rq[i].response);
	}
	x_free(rq);
	x_free(body);
	x_free(sig);
	x_free(id);
	x_free(ev);
	return stopped;
}

static void *
wh_main(void *arg)
{
	struct wh_sender	*ws = arg;
	struct wh_delivery	*d;
	struct wh_batch		*b;
	enum store_result	 res;
	size_t			 n;
	int64_t			 now;
	char			*cause = NULL;
	int			 warned = 0;

	while (!wh_stopping(ws)) {
		now = plan_now(ws->srv);
		/* Held from other nodes while they are sent and recorded. */
		res = store_webhook_due(ws->st, now, WH_BATCH, ws->timeout +
		    WH_HOLD_S, &d, &n, &cause);
		if (res != STORE_OK) {
			if (!warned++)
				log_warnx("webhooks: cannot read the outbox: "
				    "%s", cause ? cause : "?");
			x_free(cause);
			cause = NULL;
			wh_wait(ws, 1000, 0);
			continue;
		}
		warned = 0;
		if (n == 0) {
			wh_wait(ws, WH_IDLE_MS, 0);
			continue;
		}
		if (wh_send(ws, d, n)) {
			/* Stopping: not recorded, sent again after restart. */
			wh_deliveries_free(d, n);
			break;
		}
		b = xcalloc(1, sizeof(*b));
		b->ws = ws;
		b->d = d;
		b->n = n;
		if (now - ws->pruned_at >= WH_PRUNE_EVERY) {
			b->prune_before = now - WH_KEEP_DAYS * 86400LL;
			ws->pruned_at = now;
		}
		pthread_mutex_lock(&ws->lock);
		ws->recorded = 0;
		pthread_mutex_unlock(&ws->lock);
		commit_call(ws->srv->committer, wh_record_apply, b,
		    wh_record_done, ws);
		wh_wait(ws, 0, 1);
	}
	return NULL;
}

/* Copy the settings the worker uses (at start and after a reload). */
void
webhook_reconfigure(struct server *srv)
{
	struct wh_sender	*ws = srv->webhooks;

	if (ws == NULL)
		return;
	pthread_mutex_lock(&ws->lock);
	ws->timeout = srv->conf->webhook_timeout;
	ws->retry_min = srv->conf->webhook_retry_min;
	ws->max_age = srv->conf->webhook_max_age;
	pthread_mutex_unlock(&ws->lock);
}

/* Open the worker's connection and start it; -1 with *cause. */
int
webhook_start(struct server *srv, char **cause)
{
	struct wh_sender	*ws = xcalloc(1, sizeof(*ws));

	if ((ws->st = store_open(srv->conf->database, 0, cause)) == NULL) {
		x_free(ws);
		return -1;
	}
	ws->srv = srv;
	pthread_mutex_init(&ws->lock, NULL);
	pthread_cond_init(&ws->wake, NULL);
	srv->webhooks = ws;
	webhook_reconfigure(srv);
	if (pthread_create(&ws->thread, NULL, wh_main, ws) != 0)
		fatalx("webhook_start: cannot create the delivery thread");
	return 0;
}

/*
 * Stop the worker (before the group commit stops): a batch in flight is
 * abandoned unrecorded, to be sent again after the next start.  The
 * state stays for wh_record_done until webhook_free.
 */
void
webhook_stop(struct server *srv)
{
	struct wh_sender	*ws = srv->webhooks;

	if (ws == NULL || ws->st == NULL)
		return;
	pthread_mutex_lock(&ws->lock);
	__atomic_store_n(&ws->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&ws->wake);
	pthread_mutex_unlock(&ws->lock);
	pthread_join(ws->thread, NULL);
	store_close(ws->st);
	ws->st = NULL;
}

/* After the group commit stopped (no done callback can come). */
void
webhook_free(struct server *srv)
{
	struct wh_sender	*ws = srv->webhooks;

	if (ws == NULL)
		return;
	webhook_stop(srv);
	pthread_mutex_destroy(&ws->lock);
	pthread_cond_destroy(&ws->wake);
	x_free(ws);
	srv->webhooks = NULL;
}

/*
 * Attempts since start by outcome: delivered, failed and to be retried,
 * failed and given up (dead).
 */
void
webhook_counts(struct server *srv, long long *delivered, long long *retried,
    long long *dead)
{
	struct wh_sender	*ws = srv->webhooks;

	*delivered = *retried = *dead = 0;
	if (ws == NULL)
		return;
	pthread_mutex_lock(&ws->lock);
	*delivered = ws->delivered;
	*retried = ws->retried;
	*dead = ws->dead;
	pthread_mutex_unlock(&ws->lock);
}
