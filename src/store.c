/*
 * store.c -- durable storage: choose the engine the database names and
 * forward every store_* call to it.
 *
 * An engine is a struct store_backend (store-int.h), a table of functions
 * as OpenSMTPD's queue and table backends have: store-sqlite.c, the
 * default and the only file that includes sqlite3.h, and store-pg.c,
 * PostgreSQL through libpq (the only file that includes libpq-fe.h).  The
 * database keyword chooses: a postgresql:// or postgres:// URI, or a
 * libpq keyword string ("host=db dbname=recirc"), is PostgreSQL; anything
 * else is the path of a SQLite file.
 *
 * Callers call the store_* functions (recircd.h), never the table: each
 * below is a one-line forward, so call sites read as before, grep finds
 * every use of an operation, and a rule for all engines has one place.
 * A struct store is one connection, used by one thread at a time (the
 * loop's reader, the group commit's writer and checkpointer, the
 * planner's worker, each its own; only store_sync runs beside the
 * writer's thread); connections never cross a fork.
 *
 * Adding an operation to the table:
 *  - it is a domain operation, never SQL: no SQL text, statement or
 *    engine type in its signature.  The engine generates ids and hands
 *    them back (SQLite's rowid, PostgreSQL's INSERT ... RETURNING id);
 *    times are int64_t Unix seconds the caller passes in as now (the
 *    planner's clock may be offset), never the engine's clock.
 *  - it returns enum store_result (0 / -1 for the connection and
 *    transaction calls) with a message in *cause: STORE_UNAVAILABLE for
 *    what a later retry may cure (disk full, I/O error, lock timeout, a
 *    lost connection, a serialization failure), STORE_ERROR for a bug; a
 *    unique or primary key clash is STORE_CONFLICT, a missing reference
 *    STORE_INVALID, no such row STORE_NOTFOUND.
 *  - a write runs inside the caller's transaction when there is one (the
 *    group commit's batch) and leaves it usable after every result but
 *    STORE_ERROR and STORE_UNAVAILABLE.  PostgreSQL aborts a transaction
 *    at the first failed statement, so its backend wraps a statement
 *    that may clash in a savepoint or uses ON CONFLICT.  A write that
 *    must be all or nothing calls store_begin/store_commit itself: they
 *    nest as savepoints.
 *  - declare it in recircd.h under store.c; add a member with the same
 *    signature to struct store_backend, the forward here with its
 *    contract, and an implementation in every backend, in one commit.
 *    No member is optional: an engine with nothing to do returns 0 or
 *    STORE_OK, and what an engine needs from its callers is a STORE_CAP_*
 *    bit (recircd.h).
 *  - rows come back as plain C structures (recircd.h), freed with the
 *    helpers in store-rows.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "store-int.h"

/*
 * 1 when database is a PostgreSQL connection string: a postgresql:// or
 * postgres:// URI, or keyword=value pairs (libpq allows spaces around
 * the '=').  A SQLite path that looks like "name=..." is written
 * "./name=...".
 */
int
store_is_postgresql(const char *database)
{
	size_t	n;

	if (strncmp(database, "postgresql://", 13) == 0 ||
	    strncmp(database, "postgres://", 11) == 0)
		return 1;
	if ((n = strspn(database, "abcdefghijklmnopqrstuvwxyz_")) == 0)
		return 0;
	n += strspn(database + n, " \t");
	return database[n] == '=';
}

/*
 * database as logs may show it: a PostgreSQL connection string with its
 * password masked (a URI's user:password@, and password=... as a keyword
 * or a URI parameter).  The caller frees it.
 */
char *
store_display(const char *database)
{
	char		*out = NULL;
	const char	*p = database, *at, *slash, *colon, *v;
	size_t		 n;

	if (!store_is_postgresql(database))
		return xstrdup(database);
	if ((v = strstr(p, "://")) != NULL) {
		v += 3;
		at = strchr(v, '@');
		slash = strchr(v, '/');
		if (at != NULL && (slash == NULL || at < slash) &&
		    (colon = memchr(v, ':', at - v)) != NULL) {
			xappendf(&out, "%.*s:***", (int)(colon - p), p);
			p = at;
		}
	}
	while ((v = strstr(p, "password")) != NULL) {
		n = strspn(v + 8, " \t");
		if (v[8 + n] != '=') {
			xappendf(&out, "%.*s", (int)(v + 8 - p), p);
			p = v + 8;
			continue;
		}
		v += 8 + n + 1;
		xappendf(&out, "%.*s***", (int)(v - p), p);
		v += strspn(v, " \t");
		if (*v == '\'') {
			for (v++; *v != '\0' && *v != '\''; v++)
				if (*v == '\\' && v[1] != '\0')
					v++;
			if (*v == '\'')
				v++;
		} else
			v += strcspn(v, " \t&");
		p = v;
	}
	xappendf(&out, "%s", p);
	return out;
}

/* The engine for database; NULL with *cause when it is not built in. */
static const struct store_backend *
store_backend_for(const char *database, char **cause)
{
	if (!store_is_postgresql(database))
		return &store_sqlite_backend;
#ifdef HAVE_LIBPQ
	return &store_pg_backend;
#else
	/* It may hold a password: keep it out of the message. */
	xasprintf(cause, "is a PostgreSQL connection string, but this "
	    "recircd was built without PostgreSQL (configure "
	    "--without-postgresql); use the path of a SQLite file");
	return NULL;
#endif
}

/*
 * Hand what the engine keeps of database in local files to pw's user,
 * whom the daemon is about to become (start-up creates them as root).
 * -1 with *cause.
 */
int
store_own(const char *database, const struct passwd *pw, char **cause)
{
	const struct store_backend	*be;

	if ((be = store_backend_for(database, cause)) == NULL)
		return -1;
	return be->own(database, pw, cause);
}

/*
 * Open a connection to database, creating it when create is set and the
 * engine keeps it in a file of its own.  NULL with *cause on failure.
 */
struct store *
store_open(const char *database, int create, char **cause)
{
	const struct store_backend	*be;
	struct store			*st;

	if ((be = store_backend_for(database, cause)) == NULL)
		return NULL;
	if ((st = be->open(database, create, cause)) != NULL)
		st->be = be;
	return st;
}

void
store_close(struct store *st)
{
	if (st != NULL)
		st->be->close(st);
}

/*
 * Bring the schema up to this program's version, each migration in its
 * own transaction together with the version bump.  A database newer than
 * this program is refused.
 */
int
store_migrate(struct store *st, char **cause)
{
	return st->be->migrate(st, cause);
}

/* The schema version of the database, -1 when it cannot be read. */
int
store_version(struct store *st)
{
	return st->be->version(st);
}

/* The engine's consistency check; 0 when sound, else -1 with why. */
int
store_integrity(struct store *st, char **cause)
{
	return st->be->integrity(st, cause);
}

/*
 * Copy the database into the new file dest, consistent as of one moment
 * although the daemon goes on writing; dest appears whole or not at all.
 * -1 with *cause, also for an engine whose own tools do this (PostgreSQL:
 * pg_dump).
 */
int
store_backup(struct store *st, const char *dest, char **cause)
{
	if (st->be->backup == NULL) {
		xasprintf(cause, "a %s database is backed up with its own "
		    "tools (pg_dump, or the cluster's base backups), not by "
		    "recircd", st->be->name);
		return -1;
	}
	return st->be->backup(st, dest, cause);
}

/*
 * Begin a transaction, or inside one (a write the group commit runs in
 * its batch) a savepoint, so the write still commits or rolls back as
 * one without ending the batch's transaction.
 */
int
store_begin(struct store *st, char **cause)
{
	return st->be->begin(st, cause);
}

/* Commit the innermost store_begin. */
int
store_commit(struct store *st, char **cause)
{
	return st->be->commit(st, cause);
}

/* Undo the innermost store_begin (the whole transaction at the top). */
void
store_rollback(struct store *st)
{
	st->be->rollback(st);
}

/* What the engine needs of the group commit: STORE_CAP_* bits. */
unsigned
store_caps(struct store *st)
{
	return st->be->caps;
}

/*
 * Make st the group commit's writer (commit.c).  With STORE_CAP_SYNC the
 * engine may let COMMIT return before the transaction is durable and
 * store_sync makes it so; without, COMMIT itself must be durable
 * (PostgreSQL: synchronous_commit = on, the session's setting made
 * sure of).  With STORE_CAP_CHECKPOINT the engine calls want(arg) on the
 * writer's thread after a commit when a store_checkpoint on another
 * connection is due.  -1 with *cause.
 */
int
store_set_writer(struct store *st, void (*want)(void *), void *arg,
    char **cause)
{
	return st->be->set_writer(st, want, arg, cause);
}

/*
 * Make every transaction the writer st committed before this call
 * durable (STORE_CAP_SYNC engines).  -1 with *cause when that failed: what
 * was committed since the last good sync may then not be on disk.  Runs
 * on the group commit's sync threads, several at once and beside the
 * writer's use of st, so an engine touches no connection state here.
 */
int
store_sync(struct store *st, char **cause)
{
	return st->be->sync(st, cause);
}

/*
 * Copy the engine's log back into the database without blocking anyone,
 * on a connection of its own (STORE_CAP_CHECKPOINT engines; commit.c's
 * checkpointer thread).  -1 with *cause.
 */
int
store_checkpoint(struct store *st, char **cause)
{
	return st->be->checkpoint(st, cause);
}

/*
 * Insert a validated pickup inside the caller's transaction.  A retry
 * (same Idempotency-Key, else same reference, for this operator) is
 * STORE_REPLAY with the original in out, or STORE_CONFLICT when its body
 * differs; *on_key says whether the key (not the reference) matched.
 * STORE_OK fills out->id and the times.
 */
enum store_result
store_pickup_insert(struct store *st, const struct pickup_new *p,
    int64_t now, struct pickup_row *out, int *on_key, char **cause)
{
	return st->be->pickup_insert(st, p, now, out, on_key, cause);
}

/*
 * Insert the validated pickups p[0..n-1] inside the caller's transaction
 * in one go where the engine has a way (PostgreSQL: one statement, not n
 * round trips).  Those inserted as they are get ins[i] = 1 and *out[i]
 * as store_pickup_insert fills it on STORE_OK; the rest (ins[i] = 0: a
 * retry, a clash, a region no centre names, or an engine without the
 * way) are the caller's to insert one by one with store_pickup_insert.
 * No two of p may share an operator's reference or key.  A failure
 * (STORE_UNAVAILABLE, STORE_ERROR, with *cause) leaves the transaction
 * to be rolled back.
 */
enum store_result
store_pickup_insert_many(struct store *st, const struct pickup_new *const *p,
    size_t n, int64_t now, struct pickup_row *const *out, int *ins,
    char **cause)
{
	size_t	i;

	if (st->be->pickup_insert_many == NULL) {
		for (i = 0; i < n; i++)
			ins[i] = 0;
		return STORE_OK;
	}
	return st->be->pickup_insert_many(st, p, n, now, out, ins, cause);
}

/* One pickup; operator NULL sees every pickup, else only its own. */
enum store_result
store_pickup_get(struct store *st, int64_t id, const char *op,
    struct pickup_row *out, char **cause)
{
	return st->be->pickup_get(st, id, op, out, cause);
}

enum store_result
store_pickup_history(struct store *st, int64_t id, struct pickup_event **ev,
    size_t *n, char **cause)
{
	return st->be->pickup_history(st, id, ev, n, cause);
}

/* A page of pickups in id order, after q->after_id. */
enum store_result
store_pickup_list(struct store *st, const struct pickup_query *q,
    struct pickup_row **rows, size_t *n, char **cause)
{
	return st->be->pickup_list(st, q, rows, n, cause);
}

/*
 * Amend a pickup inside the caller's transaction: a->p's document, place
 * and window replace the stored ones if the pickup still has a->old_body
 * (STORE_CONFLICT when it changed meanwhile) and is received or scheduled
 * (else STORE_INVALID, as is a region no centre has: a->bad_region).
 * When a->replan, a scheduled pickup leaves the current plan (received,
 * deferred "amended", its pin dropped) for the next to place it again.
 * Its history says what changed.
 */
enum store_result
store_pickup_amend(struct store *st, struct pickup_amend *a, char **cause)
{
	return st->be->pickup_amend(st, a, cause);
}

/*
 * Cancel inside the caller's transaction.  Cancelling a cancelled pickup
 * is STORE_OK without a second event; a collected one is STORE_INVALID.
 */
enum store_result
store_pickup_cancel(struct store *st, int64_t id, const char *op,
    const char *actor, int64_t now, struct pickup_row *out, char **cause)
{
	return st->be->pickup_cancel(st, id, op, actor, now, out, cause);
}

enum store_result
store_pickup_counts(struct store *st, const char *op,
    long long counts[PICKUP_STATUS_COUNT], char **cause)
{
	return st->be->pickup_counts(st, op, counts, cause);
}

enum store_result
store_token_add(struct store *st, const char *op, enum role role,
    const unsigned char hash[TOKEN_HASH_LEN], int64_t now, int64_t *id,
    char **cause)
{
	return st->be->token_add(st, op, role, hash, now, id, cause);
}

/* The live token with this hash: its operator (caller frees) and role. */
enum store_result
store_token_lookup(struct store *st, const unsigned char hash[TOKEN_HASH_LEN],
    char **op, enum role *role, char **cause)
{
	return st->be->token_lookup(st, hash, op, role, cause);
}

enum store_result
store_token_list(struct store *st, struct token_row **rows, size_t *n,
    char **cause)
{
	return st->be->token_list(st, rows, n, cause);
}

enum store_result
store_token_revoke(struct store *st, int64_t id, int64_t now, char **cause)
{
	return st->be->token_revoke(st, id, now, cause);
}

/*
 * Insert (create) or replace an existing (update) object of kind k:
 * STORE_CONFLICT when created twice, STORE_NOTFOUND when what is updated
 * is not there, STORE_INVALID when a vehicle type's centre does not
 * exist.
 */
enum store_result
store_network_put(struct store *st, enum net_kind k, const void *obj,
    int create, int64_t now, char **cause)
{
	return st->be->network_put(st, k, obj, create, now, cause);
}

/*
 * Delete the object of kind k with this key (network_key).
 * STORE_NOTFOUND if there is none; STORE_INVALID while others refer to it
 * (a centre that still keeps vehicle types).
 */
enum store_result
store_network_delete(struct store *st, enum net_kind k, const char *key,
    char **cause)
{
	return st->be->network_delete(st, k, key, cause);
}

/* The whole network in key order (the caller clears n; empty on failure). */
enum store_result
store_network_load(struct store *st, struct network *n, char **cause)
{
	return st->be->network_load(st, n, cause);
}

/*
 * A new queued plan; its id in *id.  A nightly plan (p->night set) whose
 * region and night have one already is STORE_CONFLICT: another node
 * queued it.
 */
enum store_result
store_plan_create(struct store *st, const struct plan_new *p, int64_t now,
    int64_t *id, char **cause)
{
	return st->be->plan_create(st, p, now, id, cause);
}

/*
 * Move plan id to state (NULL: keep) and phase; reason when failed.
 * Entering running stamps started, done or failed stamps finished.  With
 * node set, only while that node holds the plan (STORE_NOTFOUND when
 * another has taken it over); a phase alone (state NULL) only while the
 * plan runs (a phase written late does not relabel a finished plan).
 */
enum store_result
store_plan_state(struct store *st, int64_t id, const char *node,
    const char *state, const char *phase, const char *reason, int64_t now,
    char **cause)
{
	return st->be->plan_state(st, id, node, state, phase, reason, now,
	    cause);
}

/*
 * Claim the oldest plan that waits (queued, or running on a lease that
 * ran out before now, wall clock) for node, leased until now + lease:
 * running, node set.  Two nodes never claim one plan (PostgreSQL: FOR
 * UPDATE SKIP LOCKED).  STORE_NOTFOUND when none waits.
 */
enum store_result
store_plan_claim(struct store *st, const char *node, int64_t now,
    int64_t lease, int64_t *id, char **cause)
{
	return st->be->plan_claim(st, node, now, lease, id, cause);
}

/* Extend the lease of every plan node runs to until (wall clock). */
enum store_result
store_plan_renew(struct store *st, const char *node, int64_t until,
    char **cause)
{
	return st->be->plan_renew(st, node, until, cause);
}

/* Keep the problem the solver was given with the plan. */
enum store_result
store_plan_problem(struct store *st, int64_t id, const char *problem,
    char **cause)
{
	return st->be->plan_problem(st, id, problem, cause);
}

enum store_result
store_plan_best(struct store *st, int64_t id, double cost, char **cause)
{
	return st->be->plan_best(st, id, cost, cause);
}

/* Plan id, or with id 0 the current plan (the newest done one). */
enum store_result
store_plan_get(struct store *st, int64_t id, struct plan_row *out,
    char **cause)
{
	return st->be->plan_get(st, id, out, cause);
}

/* The newest limit plans, newest first. */
enum store_result
store_plan_list(struct store *st, int limit, struct plan_row **rows,
    size_t *n, char **cause)
{
	return st->be->plan_list(st, limit, rows, n, cause);
}

/* The id of region's current plan (NULL: the whole network's), or 0. */
enum store_result
store_plan_current(struct store *st, const char *region, int64_t *id,
    char **cause)
{
	return st->be->plan_current(st, region, id, cause);
}

/*
 * At start-up: the plans this node's previous process left running (or
 * any left running by no node) failed; queued ones wait to be claimed.
 */
enum store_result
store_plan_fail_stale(struct store *st, const char *node, int64_t now,
    char **cause)
{
	return st->be->plan_fail_stale(st, node, now, cause);
}

/* Creation time of the newest plan with this trigger (0: none). */
enum store_result
store_plan_last(struct store *st, const char *trigger, int64_t *created,
    char **cause)
{
	return st->be->plan_last(st, trigger, created, cause);
}

/*
 * Snapshot what plan in->id plans over (in->day0, in->ndays,
 * in->closed_before and in->carry_over set): the network, the pickups
 * still to collect whose window meets the horizon or the closed days just
 * before it, and those received (not collected, deferred) whose window
 * ended up to carry_over days before that, with their pins, and the
 * current plan's outcome for each pickup.
 */
enum store_result
store_plan_input(struct store *st, struct plan_input *in, char **cause)
{
	return st->be->plan_input(st, in, cause);
}

/* A plan's per-pickup outcome, by pickup id. */
enum store_result
store_plan_assignments(struct store *st, int64_t plan, struct plan_prev **out,
    size_t *n, char **cause)
{
	return st->be->plan_assignments(st, plan, out, n, cause);
}

/*
 * The solver's plan JSON of a done plan (allocated into *text; NULL when
 * it has none); STORE_NOTFOUND for no such plan.
 */
enum store_result
store_plan_result(struct store *st, int64_t plan, char **text, char **cause)
{
	return st->be->plan_result(st, plan, text, cause);
}

/*
 * Save a checked plan in ONE transaction of its own: routes, stops, an
 * assignment per pickup, the pickups' new schedule and history, and the
 * plan row done with its result, KPIs and changes.  On any failure
 * nothing is kept and the previous plan stays current.
 */
enum store_result
store_plan_save(struct store *st, const struct plan_input *in,
    const struct plan_output *out, const char *result, int64_t now,
    char **cause)
{
	return st->be->plan_save(st, in, out, result, now, cause);
}

/*
 * The routes of a plan, by day and vehicle, with their stops in order;
 * vehicle and day (NULL: all) narrow them.
 */
enum store_result
store_plan_routes(struct store *st, int64_t plan, const char *vehicle,
    const char *day, struct route_row **rows, size_t *n, char **cause)
{
	return st->be->plan_routes(st, plan, vehicle, day, rows, n, cause);
}

/*
 * Pin a scheduled pickup's day (the resident was told): the next plans
 * keep it on that day at that centre.  STORE_INVALID unless scheduled.
 * A pin already there (confirmed or dispatched) stays as it is.
 */
enum store_result
store_pin_confirm(struct store *st, int64_t id, const char *actor,
    int64_t now, char **cause)
{
	return st->be->pin_confirm(st, id, actor, now, cause);
}

/*
 * Pin the stops of vehicle's routes in plan (day NULL: every day) as
 * dispatched; *count says how many.  STORE_INVALID unless plan is the
 * current plan; STORE_NOTFOUND when the vehicle has no route in it.
 */
enum store_result
store_pin_dispatch(struct store *st, int64_t plan, const char *vehicle,
    const char *day, const char *actor, int64_t now, int *count,
    char **cause)
{
	return st->be->pin_dispatch(st, plan, vehicle, day, actor, now, count,
	    cause);
}

/*
 * A field event in its own transaction.  collected (weight_kg, 0:
 * unknown) from received or scheduled; not_collected (code) from
 * scheduled, back to received for the next plan; sorted (stream,
 * weight_kg) from collected.  Collected and not_collected drop the
 * pickup's pin.  STORE_INVALID when the pickup's status forbids it; out
 * gets the pickup after the event.
 */
enum store_result
store_field_event(struct store *st, int64_t id, enum field_kind kind,
    const char *code, int stream, double kg, const char *actor, int64_t now,
    struct pickup_row *out, char **cause)
{
	return st->be->field_event(st, id, kind, code, stream, kg, actor, now,
	    out, cause);
}

/* What the field reported: the events f lets through, counted. */
enum store_result
store_field_rates(struct store *st, const struct field_filter *f,
    struct field_rates *fr, char **cause)
{
	return st->be->field_rates(st, f, fr, cause);
}

/*
 * Webhooks.  A registration is stored as given (wh_parse checked it);
 * list gives the live ones of op (NULL: everyone's), or only id when id
 * is not 0; remove marks it removed and its pending deliveries dead
 * (STORE_NOTFOUND unless it is live and op's, op NULL: anyone's).
 *
 * The outbox is written by the engine itself, in the transaction of the
 * pickup's change: a plan saved (scheduled, moved, deferred), a field
 * event (collected, not_collected), a cancel.  due gives at most limit
 * deliveries whose time has come, each the oldest pending one of its
 * webhook and pickup (so a pickup's events go out in order), with the
 * webhook's url and secret; record writes back what wh_outcome decided
 * for each (state, attempts, next_at, last_*); deliveries lists a
 * webhook's, newest first (state NULL: any); pending counts the pending
 * ones and the creation time of the oldest (0: none); prune deletes
 * delivered and dead ones created before a time.
 */
enum store_result
store_webhook_add(struct store *st, const struct webhook *w, int64_t now,
    int64_t *id, char **cause)
{
	return st->be->webhook_add(st, w, now, id, cause);
}

enum store_result
store_webhook_list(struct store *st, const char *op, int64_t id,
    struct webhook **rows, size_t *n, char **cause)
{
	return st->be->webhook_list(st, op, id, rows, n, cause);
}

enum store_result
store_webhook_remove(struct store *st, int64_t id, const char *op,
    int64_t now, char **cause)
{
	return st->be->webhook_remove(st, id, op, now, cause);
}

/*
 * Webhook id's dead deliveries created at or after since, of operator op's
 * webhook (NULL: anyone's), pending again from now; *count of them.  A
 * delivery dies once it has failed for webhook_max_age since it was
 * created, so each gets one more try: the receiver is back, replay.
 * STORE_NOTFOUND: no such webhook (for op); STORE_INVALID: removed.
 */
enum store_result
store_webhook_redeliver(struct store *st, int64_t id, const char *op,
    int64_t since, int64_t now, long *count, char **cause)
{
	*count = 0;
	return st->be->webhook_redeliver(st, id, op, since, now, count, cause);
}

/*
 * Up to limit deliveries due at now: the oldest pending one of each
 * webhook and pickup, with the webhook's URL and secret.  An engine that
 * several nodes share hands each to one node: it holds them (next_at) for
 * hold seconds, long enough to send and record them, after which a
 * delivery its node never recorded is due again (at least once).
 */
enum store_result
store_webhook_due(struct store *st, int64_t now, int limit, int64_t hold,
    struct wh_delivery **rows, size_t *n, char **cause)
{
	return st->be->webhook_due(st, now, limit, hold, rows, n, cause);
}

enum store_result
store_webhook_record(struct store *st, const struct wh_delivery *d, size_t n,
    char **cause)
{
	return st->be->webhook_record(st, d, n, cause);
}

enum store_result
store_webhook_deliveries(struct store *st, int64_t webhook, const char *state,
    int limit, struct wh_delivery **rows, size_t *n, char **cause)
{
	return st->be->webhook_deliveries(st, webhook, state, limit, rows, n,
	    cause);
}

enum store_result
store_webhook_pending(struct store *st, long long *n, int64_t *oldest,
    char **cause)
{
	return st->be->webhook_pending(st, n, oldest, cause);
}

enum store_result
store_webhook_prune(struct store *st, int64_t before, char **cause)
{
	return st->be->webhook_prune(st, before, cause);
}

/*
 * The road cache: every leg cached from place a under profile (at most
 * one per b); put stores legs (replacing older ones of the same places)
 * and, past max legs, deletes the oldest fetched.
 */
enum store_result
store_road_from(struct store *st, const char *profile, int64_t a,
    struct road_leg **rows, size_t *n, char **cause)
{
	return st->be->road_from(st, profile, a, rows, n, cause);
}

enum store_result
store_road_put(struct store *st, const char *profile,
    const struct road_leg *legs, size_t n, int64_t now, long long max,
    char **cause)
{
	return st->be->road_put(st, profile, legs, n, now, max, cause);
}
