/*
 * store-sqlite.c -- the SQLite engine; the only file that includes sqlite3.h.
 *
 * A struct sq is one connection (store.c's struct store comes first in
 * it).  The daemon holds several: a reader on the event loop (WAL lets it
 * read while the writer commits), the writer and the checkpointer of the
 * group commit (commit.c) and the planner's worker.  Every connection
 * runs WAL with synchronous=FULL, so a COMMIT that returned is on disk;
 * the group commit's writer alone runs synchronous=NORMAL and has the
 * WAL synced before any reply.
 *
 * Result codes map to store results in sq_classify: STORE_UNAVAILABLE
 * when the disk or the database is in trouble (full, I/O error, locked
 * too long; the client gets 503), STORE_ERROR for a bug (500).  The
 * contracts of the operations are at their forwards in store.c; the
 * functions here are static, named sq_*, and reached through
 * store_sqlite_backend at the end of the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "recircd.h"
#include "store-int.h"

#define SQ_CHECKPOINT_PAGES 1000	/* WAL size that wants a checkpoint */
#define SQ_WAL_HARD_PAGES 16384		/* WAL size the writer checkpoints at */

extern const char *const store_migrations_sqlite[];

enum sq_stmt {
	ST_PICKUP_BY_KEY,
	ST_PICKUP_BY_REF,
	ST_PICKUP_INSERT,
	ST_EVENT_INSERT,
	ST_PICKUP_GET,
	ST_PICKUP_SET_STATUS,
	ST_COUNTS,
	ST_TOKEN_LOOKUP,
	ST_WEBHOOK_QUEUE,
	ST_COUNT
};

/*
 * The current plan's word on a pickup, and its pin while it is scheduled
 * (a pin outlives a cancel, where it binds nothing): columns 7 to 15 of a
 * pickup row (FROM pickups).
 */
#define PICKUP_PIN(col) "(SELECT " col " FROM pickup_pins WHERE " \
	"pickup_id = pickups.id AND pickups.status = 'scheduled')"
#define PICKUP_PLAN_COLS "plan_id, plan_day, plan_vehicle, plan_seq, " \
	"plan_eta, defer_reason, " PICKUP_PIN("kind") ", " PICKUP_PIN("at") \
	", " PICKUP_PIN("actor")

static const char *const sq_sql[ST_COUNT] = {
	/*
	 * One delivery of event ?2 for pickup ?1 to each live webhook of its
	 * operator that wants it (sq_webhook_enqueue); prepared once, as it
	 * runs with every cancel, field event and planned pickup.
	 */
	[ST_WEBHOOK_QUEUE] = "INSERT INTO webhook_deliveries (webhook, "
	    "pickup_id, event, data, created, next_at) SELECT w.id, p.id, ?2, "
	    "json_patch(json_object('pickup', p.id, 'reference', p.reference, "
	    "'status', p.status), coalesce(?3, '{}')), ?4, ?4 FROM pickups p "
	    "JOIN webhooks w ON w.operator = p.operator AND w.removed = 0 "
	    "WHERE p.id = ?1 AND instr(',' || w.events || ',', "
	    "',' || ?2 || ',') > 0",
	[ST_PICKUP_BY_KEY] = "SELECT id, operator, reference, status, body, "
	    "created, updated FROM pickups "
	    "WHERE operator = ?1 AND idem_key = ?2",
	[ST_PICKUP_BY_REF] = "SELECT id, operator, reference, status, body, "
	    "created, updated FROM pickups "
	    "WHERE operator = ?1 AND reference = ?2",
	/* A region must be one that centres name (none: nothing stored). */
	[ST_PICKUP_INSERT] = "INSERT INTO pickups (operator, reference, "
	    "idem_key, status, lat, lon, window_from, window_to, "
	    "body, created, updated, region) SELECT ?1, ?2, ?3, 'received', "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11 WHERE ?11 IS NULL OR EXISTS "
	    "(SELECT 1 FROM centres WHERE region = ?11)",
	[ST_EVENT_INSERT] = "INSERT INTO pickup_events (pickup_id, status, "
	    "at, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_PICKUP_GET] = "SELECT id, operator, reference, status, body, "
	    "created, updated, " PICKUP_PLAN_COLS " FROM pickups WHERE id = ?1 "
	    "AND (?2 IS NULL OR operator = ?2)",
	[ST_PICKUP_SET_STATUS] = "UPDATE pickups SET status = ?2, "
	    "updated = ?3 WHERE id = ?1",
	[ST_COUNTS] = "SELECT status, count(*) FROM pickups "
	    "WHERE ?1 IS NULL OR operator = ?1 GROUP BY status",
	[ST_TOKEN_LOOKUP] = "SELECT operator, role FROM tokens "
	    "WHERE hash = ?1 AND revoked IS NULL",
};

static void	sq_copy(sqlite3_stmt *, int, char *, size_t);
static void	sq_close(struct store *);
static void	sq_rollback(struct store *);
static int	sq_checkpoint(struct store *, char **);
static enum store_result sq_in_tx(struct store *, enum store_result, char **);
static enum store_result sq_write(struct store *, sqlite3_stmt *, int,
		    const char *, char **);
static enum store_result sq_int(struct store *, const char *, int64_t,
		    const char *, int64_t *, const char *, char **);

struct sq {
	struct store	 st;		/* first: what callers hold */
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[ST_COUNT];
	char		*wal_path;	/* path-wal */
	void		(*want_ckpt)(void *);	/* the writer's, or NULL */
	void		*want_arg;
	int		 nested;	/* savepoints inside a transaction */
};

/* The SQLite connection behind a struct store of this engine. */
static inline struct sq *
sq(struct store *st)
{
	return (struct sq *)st;
}

/*
 * The writer's WAL hook, after each commit (writer thread): past
 * SQ_CHECKPOINT_PAGES ask for a checkpoint in the background; past
 * SQ_WAL_HARD_PAGES checkpoint here.  Under sustained load the passive
 * checkpoints never catch up with the writer, so the log could never
 * restart and would grow without bound; with no other writer running a
 * checkpoint here completes, and the next transaction starts the log
 * again from its beginning.
 */
static int
sq_wal_cb(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct sq	*c = arg;
	char		*cause = NULL;

	if (pages < SQ_CHECKPOINT_PAGES || c->want_ckpt == NULL)
		return SQLITE_OK;
	if (pages < SQ_WAL_HARD_PAGES) {
		c->want_ckpt(c->want_arg);
		return SQLITE_OK;
	}
	if (sq_checkpoint(&c->st, &cause) == -1) {
		log_warnx("checkpoint: %s", cause);
		x_free(cause);
	}
	return SQLITE_OK;
}

/* Map a SQLite result code to what the client should hear. */
static enum store_result
sq_classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_NOMEM:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_PROTOCOL:
		return STORE_UNAVAILABLE;
	default:
		return STORE_ERROR;
	}
}

static enum store_result
sq_fail(struct store *st, int rc, const char *what, char **cause)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s: %s", sq(st)->path, what,
		    sqlite3_errmsg(sq(st)->db));
	return sq_classify(rc);
}

static int
sq_exec(struct store *st, const char *sql, char **cause)
{
	char	*err = NULL;
	int	 rc;

	rc = sqlite3_exec(sq(st)->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "%s: %s", sq(st)->path, err ? err :
		    sqlite3_errstr(rc));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* A cached prepared statement, reset and with no bindings; NULL on error. */
static sqlite3_stmt *
sq_stmt(struct store *st, enum sq_stmt which, char **cause)
{
	sqlite3_stmt	*s = sq(st)->stmt[which];
	int		 rc;

	if (s == NULL) {
		rc = sqlite3_prepare_v3(sq(st)->db, sq_sql[which], -1,
		    SQLITE_PREPARE_PERSISTENT, &s, NULL);
		if (rc != SQLITE_OK) {
			sq_fail(st, rc, "prepare", cause);
			return NULL;
		}
		sq(st)->stmt[which] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/*
 * Another connection holds the write lock: wait in 0.2 ms steps, up to
 * about 5 s.  SQLite's own busy timeout sleeps 1, 2, 5 ... 100 ms between
 * tries, so a group commit waiting behind a plan's save could oversleep
 * by up to 100 ms after the lock came free.
 */
static int
sq_busy_cb(void *arg, int tries)
{
	if (tries >= 25000)
		return 0;
	usleep(200);
	return 1;
}

/*
 * Hand the database, its WAL files and its directory to pw's user (the
 * directory failing is only a warning).
 */
static int
sq_own(const char *path, const struct passwd *pw, char **cause)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char	*file, *copy = xstrdup(path);
	size_t	 i;

	if (chown(dirname(copy), pw->pw_uid, pw->pw_gid) == -1)
		log_warn("chown %s", copy);
	x_free(copy);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		xasprintf(&file, "%s%s", path, suffix[i]);
		if (chown(file, pw->pw_uid, pw->pw_gid) == -1 &&
		    errno != ENOENT) {
			xasprintf(cause, "chown %s: %s", file,
			    strerror(errno));
			x_free(file);
			return -1;
		}
		x_free(file);
	}
	return 0;
}

/*
 * Open (creating when create is set) the database at path, in WAL mode
 * with synchronous=FULL.  NULL with *cause on failure.
 */
static struct store *
sq_open(const char *path, int create, char **cause)
{
	struct sq	*c = xcalloc(1, sizeof(*c));
	struct store	*st = &c->st;
	int		 flags, rc;

	c->path = xstrdup(path);
	xasprintf(&c->wal_path, "%s-wal", path);
	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    (create ? SQLITE_OPEN_CREATE : 0);
	if ((rc = sqlite3_open_v2(path, &c->db, flags, NULL)) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, c->db ?
		    sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sq_close(st);
		return NULL;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_handler(c->db, sq_busy_cb, NULL);
	if (sq_exec(st, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY", cause) == -1) {
		sq_close(st);
		return NULL;
	}
	return st;
}

static void
sq_close(struct store *st)
{
	int	i;

	if (st == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(sq(st)->stmt[i]);
	if (sq(st)->db != NULL)
		sqlite3_close(sq(st)->db);
	x_free(sq(st)->path);
	x_free(sq(st)->wal_path);
	x_free(sq(st));
}

/*
 * The group commit's writer (store_set_writer): synchronous=NORMAL, so
 * COMMIT appends the batch's frames and commit record to the WAL without
 * waiting for the disk (SQLite still syncs the WAL before every
 * checkpoint, so the database is never left inconsistent), and the
 * group commit's sync threads fdatasync the WAL (sq_sync) before any
 * reply: together what synchronous=FULL guarantees, without the writer
 * waiting on the disk.  No automatic checkpoint on this connection: a
 * checkpoint costs two syncs, and done inline it stalled every write
 * behind it (p99 30 ms), so past SQ_CHECKPOINT_PAGES the WAL hook asks
 * the group commit's checkpointer for one (want(arg)).
 */
static int
sq_set_writer(struct store *st, void (*want)(void *), void *arg,
    char **cause)
{
	struct sq	*c = sq(st);

	if (sq_exec(st, "PRAGMA synchronous = NORMAL", cause) == -1)
		return -1;
	c->want_ckpt = want;
	c->want_arg = arg;
	sqlite3_wal_autocheckpoint(c->db, 0);
	/* After a restart, give back what a burst grew the log to. */
	sqlite3_exec(c->db, "PRAGMA journal_size_limit = 67108864", NULL,
	    NULL, NULL);
	sqlite3_wal_hook(c->db, sq_wal_cb, c);
	return 0;
}

/*
 * fdatasync the WAL file: every transaction committed before the call is
 * then on disk.  Runs on the group commit's sync threads, several at
 * once and beside the writer, so it reads nothing but the WAL's path:
 * concurrent fdatasyncs of one file let the kernel merge the flushes.
 */
static int
sq_sync(struct store *st, char **cause)
{
	const char	*wal = sq(st)->wal_path;
	int		 fd, rc, saved;

	if ((fd = open(wal, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		xasprintf(cause, "open %s: %s", wal, strerror(errno));
		return -1;
	}
	rc = fdatasync(fd);
	saved = errno;
	close(fd);
	if (rc == -1)
		xasprintf(cause, "fdatasync %s: %s", wal, strerror(saved));
	return rc;
}

/* A passive checkpoint: copies what it can without blocking anyone. */
static int
sq_checkpoint(struct store *st, char **cause)
{
	int	rc, logged = 0, done = 0;

	rc = sqlite3_wal_checkpoint_v2(sq(st)->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, &logged, &done);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		sq_fail(st, rc, "checkpoint", cause);
		return -1;
	}
	return 0;
}

static int
sq_version(struct store *st)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	if (sqlite3_prepare_v2(sq(st)->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Apply the embedded migrations newer than PRAGMA user_version, each in
 * its own transaction together with the version bump.  A database newer
 * than this program is refused.
 */
static int
sq_migrate(struct store *st, char **cause)
{
	const char	*path = sq(st)->path;
	int		 have, want, i;
	char		 bump[64];

	for (want = 0; store_migrations_sqlite[want] != NULL; want++)
		;
	if ((have = sq_version(st)) < 0) {
		xasprintf(cause, "%s: cannot read user_version: %s", path,
		    sqlite3_errmsg(sq(st)->db));
		return -1;
	}
	if (have > want) {
		xasprintf(cause, "%s: schema version %d is newer than this "
		    "recircd (%d)", path, have, want);
		return -1;
	}
	for (i = have; i < want; i++) {
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", i + 1);
		if (sq_exec(st, "BEGIN IMMEDIATE", cause) == -1)
			return -1;
		if (sq_exec(st, store_migrations_sqlite[i], cause) == -1 ||
		    sq_exec(st, bump, cause) == -1 ||
		    sq_exec(st, "COMMIT", cause) == -1) {
			sq_rollback(st);
			return -1;
		}
		log_info("%s: migrated schema to version %d", path, i + 1);
	}
	return 0;
}

static int
sq_begin(struct store *st, char **cause)
{
	/*
	 * Inside a transaction (a write run by the group commit inside its
	 * batch) a savepoint, so the write still commits or rolls back as
	 * one without ending the batch's transaction.
	 */
	if (!sqlite3_get_autocommit(sq(st)->db)) {
		if (sq_exec(st, "SAVEPOINT nested", cause) == -1)
			return -1;
		sq(st)->nested++;
		return 0;
	}
	sq(st)->nested = 0;
	return sq_exec(st, "BEGIN IMMEDIATE", cause);
}

static int
sq_commit(struct store *st, char **cause)
{
	if (sq(st)->nested > 0) {
		sq(st)->nested--;
		return sq_exec(st, "RELEASE nested", cause);
	}
	return sq_exec(st, "COMMIT", cause);
}

static void
sq_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(sq(st)->db)) {
		sq(st)->nested = 0;
		return;
	}
	if (sq(st)->nested > 0) {
		sq(st)->nested--;
		sqlite3_exec(sq(st)->db, "ROLLBACK TO nested; RELEASE nested",
		    NULL, NULL, NULL);
		return;
	}
	sqlite3_exec(sq(st)->db, "ROLLBACK", NULL, NULL, NULL);
}

/* PRAGMA integrity_check; 0 when "ok", else -1 with the first complaint. */
static int
sq_integrity(struct store *st, char **cause)
{
	sqlite3_stmt	*s;
	const char	*r;
	int		 rc = -1;

	if (sqlite3_prepare_v2(sq(st)->db, "PRAGMA integrity_check", -1, &s,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "%s", sqlite3_errmsg(sq(st)->db));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW &&
	    (r = (const char *)sqlite3_column_text(s, 0)) != NULL) {
		if (strcmp(r, "ok") == 0)
			rc = 0;
		else
			xasprintf(cause, "%s", r);
	} else
		xasprintf(cause, "%s", sqlite3_errmsg(sq(st)->db));
	sqlite3_finalize(s);
	return rc;
}

/* fsync path (a file, or a directory for a rename in it). */
static int
sq_fsync_path(const char *path, int dir, char **cause)
{
	int	fd, rc;

	if ((fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((rc = fsync(fd)) == -1)
		xasprintf(cause, "%s: fsync: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/*
 * SQLite's online backup API: the whole database in one step, that is one
 * read transaction, so the copy is the database as of one commit; in WAL
 * mode the daemon's writer goes on meanwhile.  The copy is written to a
 * temporary file beside dest, checked with integrity_check, synced and
 * renamed over dest, so dest is never half written.
 */
static int
sq_backup(struct store *st, const char *dest, char **cause)
{
	sqlite3		*d = NULL;
	sqlite3_backup	*b;
	sqlite3_stmt	*s;
	char		*tmp, *dir, *dcopy;
	const char	*r;
	int		 rc, tries = 0, ret = -1;

	xasprintf(&tmp, "%s.tmp.%ld", dest, (long)getpid());
	(void)unlink(tmp);
	if ((rc = sqlite3_open_v2(tmp, &d, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL)) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", tmp, d != NULL ? sqlite3_errmsg(d) :
		    sqlite3_errstr(rc));
		goto out;
	}
	if ((b = sqlite3_backup_init(d, "main", sq(st)->db, "main")) == NULL) {
		xasprintf(cause, "%s: %s", tmp, sqlite3_errmsg(d));
		goto out;
	}
	/* Busy only while a checkpoint holds the database: wait it out. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED) {
		if (++tries > 600)
			break;
		usleep(50000);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: backup: %s", sq(st)->path,
		    sqlite3_errstr(rc));
		goto out;
	}
	if (sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "%s: %s", tmp, sqlite3_errmsg(d));
		goto out;
	}
	rc = sqlite3_step(s);
	r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (r == NULL || strcmp(r, "ok") != 0) {
		xasprintf(cause, "the copy fails integrity_check: %s",
		    r != NULL ? r : sqlite3_errmsg(d));
		sqlite3_finalize(s);
		goto out;
	}
	sqlite3_finalize(s);
	if (sqlite3_close(d) != SQLITE_OK) {
		xasprintf(cause, "%s: close: %s", tmp, sqlite3_errmsg(d));
		goto out;
	}
	d = NULL;
	if (sq_fsync_path(tmp, 0, cause) == -1)
		goto out;
	if (rename(tmp, dest) == -1) {
		xasprintf(cause, "%s: %s", dest, strerror(errno));
		goto out;
	}
	dcopy = xstrdup(dest);
	dir = dirname(dcopy);
	ret = sq_fsync_path(dir, 1, cause);
	free(dcopy);
out:
	if (d != NULL)
		sqlite3_close(d);
	if (ret == -1)
		(void)unlink(tmp);
	free(tmp);
	return ret;
}

/* A one-off statement; NULL with *cause on error (a bug in our SQL). */
static sqlite3_stmt *
sq_prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(sq(st)->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		sq_fail(st, rc, "prepare", cause);
		return NULL;
	}
	return s;
}

/* Copy column col (text) into a fixed buffer. */
static void
sq_copy(sqlite3_stmt *s, int col, char *out, size_t size)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	snprintf(out, size, "%s", t ? (const char *)t : "");
}

/*
 * Step s (from sq_prepare; finalized here) to its end, appending each
 * row, read by fill, to *arr (elements of size).  On failure the rows
 * read so far are cleared (clear, when they own memory) and freed: *arr
 * is NULL and *n 0, and the cause says what was being read.
 */
static enum store_result
sq_rows(struct store *st, sqlite3_stmt *s, void **arr, size_t *n,
    size_t size, void (*fill)(sqlite3_stmt *, void *), void (*clear)(void *),
    const char *what, char **cause)
{
	size_t	cap = 0, i;
	int	rc;

	*arr = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*arr = xgrowarray(*arr, &cap, *n, size);
		memset((char *)*arr + *n * size, 0, size);
		fill(s, (char *)*arr + *n * size);
		(*n)++;
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	for (i = 0; clear != NULL && i < *n; i++)
		clear((char *)*arr + i * size);
	x_free(*arr);
	*arr = NULL;
	*n = 0;
	return sq_fail(st, rc, what, cause);
}

/* sq_rows over sql, which binds nothing. */
static enum store_result
sq_collect(struct store *st, const char *sql, void **arr, size_t *n,
    size_t size, void (*fill)(sqlite3_stmt *, void *), void (*clear)(void *),
    const char *what, char **cause)
{
	sqlite3_stmt	*s;

	*arr = NULL;
	*n = 0;
	if ((s = sq_prepare(st, sql, cause)) == NULL)
		return STORE_ERROR;
	return sq_rows(st, s, arr, n, size, fill, clear, what, cause);
}

#define SQ_FILL(f) ((void (*)(sqlite3_stmt *, void *))(f))
#define SQ_CLEAR(f) ((void (*)(void *))(f))

static char *
sq_text(sqlite3_stmt *s, int col)
{
	const unsigned char	*t = sqlite3_column_text(s, col);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

/* Columns id, operator, reference, status, body, created, updated. */
static void
sq_row(sqlite3_stmt *s, struct pickup_row *r)
{
	const char	*status = (const char *)sqlite3_column_text(s, 3);

	r->id = sqlite3_column_int64(s, 0);
	r->operator = sq_text(s, 1);
	r->reference = sq_text(s, 2);
	r->status = status ? pickup_status_parse(status) : -1;
	r->body = sq_text(s, 4);
	r->created = sqlite3_column_int64(s, 5);
	r->updated = sqlite3_column_int64(s, 6);
	if (sqlite3_column_count(s) < 16)
		return;
	r->plan_id = sqlite3_column_int64(s, 7);
	sq_copy(s, 8, r->plan_day, sizeof(r->plan_day));
	sq_copy(s, 9, r->plan_vehicle, sizeof(r->plan_vehicle));
	r->plan_seq = sqlite3_column_int(s, 10);
	sq_copy(s, 11, r->plan_eta, sizeof(r->plan_eta));
	sq_copy(s, 12, r->defer_reason, sizeof(r->defer_reason));
	sq_copy(s, 13, r->pin, sizeof(r->pin));
	r->pin_at = sqlite3_column_int64(s, 14);
	r->pin_by = sq_text(s, 15);
}

static enum store_result
sq_event_add(struct store *st, int64_t id, int status, int64_t at,
    const char *actor, const char *detail, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = sq_stmt(st, ST_EVENT_INSERT, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, pickup_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_text(s, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "insert event", cause);
	return STORE_OK;
}

/*
 * The outbox: one delivery of event for pickup id to each live webhook of
 * the pickup's operator that wants it, in the caller's transaction.  The
 * event's data is the pickup's id, reference and status (read after the
 * change) with extra (a JSON object's text, or NULL) merged in.
 */
static enum store_result
sq_webhook_enqueue(struct store *st, int64_t id, enum wh_event ev,
    const char *extra, int64_t now, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = sq_stmt(st, ST_WEBHOOK_QUEUE, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, wh_event_name(ev), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, extra, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "queue webhook deliveries", cause);
	return STORE_OK;
}

/* The news of a change goes through these two (store-rows.c). */
static const struct store_teller sq_teller = {
	sq_event_add,
	sq_webhook_enqueue
};

/*
 * Look for an earlier submission with the same key (stmt ST_PICKUP_BY_KEY)
 * or reference; STORE_REPLAY (same canonical body) / STORE_CONFLICT fill
 * out, STORE_NOTFOUND means none.
 */
static enum store_result
sq_pickup_find(struct store *st, enum sq_stmt which, const char *op,
    const char *value, const char *body, struct pickup_row *out,
    char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res = STORE_NOTFOUND;
	int			 rc;

	if ((s = sq_stmt(st, which, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, op, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sq_row(s, out);
		res = out->body != NULL && strcmp(out->body, body) == 0 ?
		    STORE_REPLAY : STORE_CONFLICT;
	} else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, "find pickup", cause);
	sqlite3_reset(s);
	return res;
}

static enum store_result
sq_pickup_insert(struct store *st, const struct pickup_new *p,
    int64_t now, struct pickup_row *out, int *on_key, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int			 rc;

	memset(out, 0, sizeof(*out));
	*on_key = 0;
	if (p->idem_key != NULL) {
		res = sq_pickup_find(st, ST_PICKUP_BY_KEY, p->operator,
		    p->idem_key, p->body, out, cause);
		if (res != STORE_NOTFOUND) {
			*on_key = 1;
			return res;
		}
	}
	/*
	 * Insert first and look the reference up only when the unique
	 * index refuses it: retries are rare, so the common case pays one
	 * index probe instead of two.
	 */
	if ((s = sq_stmt(st, ST_PICKUP_INSERT, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, p->operator, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->reference, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->idem_key, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 5, p->lat);
	sqlite3_bind_double(s, 6, p->lon);
	sqlite3_bind_text(s, 7, p->window_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, p->window_to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, p->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 10, now);
	if (p->region[0] != '\0')
		sqlite3_bind_text(s, 11, p->region, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		res = sq_pickup_find(st, ST_PICKUP_BY_REF, p->operator,
		    p->reference, p->body, out, cause);
		if (res != STORE_NOTFOUND)
			return res;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "insert pickup", cause);
	if (sqlite3_changes(sq(st)->db) == 0) {
		xasprintf(cause, "no centre is in region %s", p->region);
		return STORE_INVALID;
	}
	out->id = sqlite3_last_insert_rowid(sq(st)->db);
	out->created = out->updated = now;
	out->status = PICKUP_RECEIVED;
	/* No event row: the pickup row itself records its submission. */
	return STORE_OK;
}

static enum store_result
sq_pickup_get(struct store *st, int64_t id, const char *op,
    struct pickup_row *out, char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res = STORE_NOTFOUND;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_stmt(st, ST_PICKUP_GET, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, op, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sq_row(s, out);
		res = STORE_OK;
	} else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, "get pickup", cause);
	sqlite3_reset(s);
	return res;
}

/* Columns status, at, actor, detail. */
static void
sq_event_row(sqlite3_stmt *s, struct pickup_event *ev)
{
	const char	*status = (const char *)sqlite3_column_text(s, 0);

	ev->status = status ? pickup_status_parse(status) : -1;
	ev->at = sqlite3_column_int64(s, 1);
	ev->actor = sq_text(s, 2);
	ev->detail = sq_text(s, 3);
}

static enum store_result
sq_pickup_history(struct store *st, int64_t id, struct pickup_event **ev,
    size_t *n, char **cause)
{
	sqlite3_stmt	*s;

	*ev = NULL;
	*n = 0;
	if ((s = sq_prepare(st, "SELECT 'received', created, operator, NULL, "
	    "0 FROM pickups WHERE id = ?1 UNION ALL SELECT status, at, actor, "
	    "detail, id FROM pickup_events WHERE pickup_id = ?1 ORDER BY 5",
	    cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return sq_rows(st, s, (void **)ev, n, sizeof(**ev),
	    SQ_FILL(sq_event_row), SQ_CLEAR(pickup_event_clear), "history",
	    cause);
}

static enum store_result
sq_pickup_list(struct store *st, const struct pickup_query *q,
    struct pickup_row **rows, size_t *n, char **cause)
{
#define SQ_LIST(by) "SELECT id, operator, reference, status, body, " \
	"created, updated, " PICKUP_PLAN_COLS " FROM pickups WHERE " by \
	"id > ?1 AND (?2 IS NULL OR operator = ?2) AND (?3 IS NULL OR " \
	"status = ?3) AND created >= ?4 AND (?7 IS NULL OR plan_day < ?7) " \
	"ORDER BY id LIMIT ?5"
	/* a reference is looked up by its index, not filtered in a scan
	 * (a statement is planned once, whatever is bound to it) */
	static const char all[] = SQ_LIST(""), byref[] =
	    SQ_LIST("reference = ?6 AND ");
#undef SQ_LIST
	sqlite3_stmt	*s;

	*rows = NULL;
	*n = 0;
	if ((s = sq_prepare(st, q->reference ? byref : all, cause)) == NULL)
		return STORE_ERROR;
	if (q->reference != NULL)
		sqlite3_bind_text(s, 6, q->reference, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 1, q->after_id);
	sqlite3_bind_text(s, 2, q->operator, -1, SQLITE_STATIC);
	if (q->status >= 0)
		sqlite3_bind_text(s, 3, pickup_status_name(q->status), -1,
		    SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, q->since);
	sqlite3_bind_int64(s, 5, q->limit);
	sqlite3_bind_text(s, 7, q->day_before, -1, SQLITE_STATIC);
	return sq_rows(st, s, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_row), SQ_CLEAR(pickup_row_clear), "list", cause);
}

static enum store_result
sq_pickup_amend(struct store *st, struct pickup_amend *a, char **cause)
{
	enum store_result	 res;
	struct pickup_row	 row;
	sqlite3_stmt		*s;
	int64_t			 n;
	int			 unsched;

	if ((res = sq_pickup_get(st, a->id, a->op, &row, cause)) != STORE_OK)
		return res;
	res = store_amend_check(a, &row);
	pickup_row_clear(&row);
	if (res != STORE_OK)
		return res;
	if (a->p->region[0] != '\0') {
		if ((res = sq_int(st, "SELECT count(*) FROM centres WHERE "
		    "region = ?2", 0, a->p->region, &n, "read centres",
		    cause)) != STORE_OK)
			return res;
		if (n == 0) {
			a->bad_region = 1;
			return STORE_INVALID;
		}
	}
	unsched = (a->changed & PM_PLANNED) && a->status == PICKUP_SCHEDULED;
	if ((s = sq_prepare(st, "UPDATE pickups SET body = ?2, lat = ?3, "
	    "lon = ?4, window_from = ?5, window_to = ?6, region = ?7, "
	    "updated = ?8 WHERE id = ?1", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_text(s, 2, a->p->body, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, a->p->lat);
	sqlite3_bind_double(s, 4, a->p->lon);
	sqlite3_bind_text(s, 5, a->p->window_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, a->p->window_to, -1, SQLITE_STATIC);
	if (a->p->region[0] != '\0')
		sqlite3_bind_text(s, 7, a->p->region, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, a->now);
	if ((res = sq_write(st, s, 1, "amend pickup", cause)) != STORE_OK)
		return res;
	/* Its place in the current plan no longer holds, nor its pin. */
	if (unsched) {
		if ((s = sq_prepare(st, "UPDATE pickups SET status = "
		    "'received', plan_day = NULL, plan_vehicle = NULL, "
		    "plan_seq = NULL, plan_eta = NULL, defer_reason = "
		    "'amended' WHERE id = ?1", cause)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, a->id);
		if ((res = sq_write(st, s, 1, "amend pickup", cause)) !=
		    STORE_OK)
			return res;
		a->status = PICKUP_RECEIVED;
	}
	if (a->changed & PM_PLANNED) {
		if ((s = sq_prepare(st, "DELETE FROM pickup_pins WHERE "
		    "pickup_id = ?1", cause)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, a->id);
		if ((res = sq_write(st, s, 0, "unpin", cause)) != STORE_OK)
			return res;
	}
	return store_tell_amended(st, &sq_teller, a, unsched, cause);
}

static enum store_result
sq_pickup_cancel(struct store *st, int64_t id, const char *op,
    const char *actor, int64_t now, struct pickup_row *out, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int			 rc;

	if ((res = sq_pickup_get(st, id, op, out, cause)) != STORE_OK)
		return res;
	if (out->status == PICKUP_CANCELLED)
		return STORE_OK;
	if (!pickup_can_cancel(out->status))
		return STORE_INVALID;
	if ((s = sq_stmt(st, ST_PICKUP_SET_STATUS, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, "cancelled", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "cancel", cause);
	out->status = PICKUP_CANCELLED;
	out->updated = now;
	return store_tell_cancelled(st, &sq_teller, id, actor, now, cause);
}

static enum store_result
sq_pickup_counts(struct store *st, const char *op,
    long long counts[PICKUP_STATUS_COUNT], char **cause)
{
	sqlite3_stmt	*s;
	const char	*name;
	int		 rc, k;

	memset(counts, 0, sizeof(long long) * PICKUP_STATUS_COUNT);
	if ((s = sq_stmt(st, ST_COUNTS, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, op, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(s, 0);
		if (name != NULL && (k = pickup_status_parse(name)) >= 0)
			counts[k] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "counts", cause);
	return STORE_OK;
}

static enum store_result
sq_token_add(struct store *st, const char *op, enum role role,
    const unsigned char hash[TOKEN_HASH_LEN], int64_t now, int64_t *id,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(sq(st)->db, "INSERT INTO tokens (operator, "
	    "role, hash, created) VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc, "add token", cause);
	sqlite3_bind_text(s, 1, op, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "add token", cause);
	*id = sqlite3_last_insert_rowid(sq(st)->db);
	return STORE_OK;
}

static enum store_result
sq_token_lookup(struct store *st, const unsigned char hash[TOKEN_HASH_LEN],
    char **op, enum role *role, char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res = STORE_NOTFOUND;
	const char		*r;
	int			 rc;

	*op = NULL;
	if ((s = sq_stmt(st, ST_TOKEN_LOOKUP, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r = (const char *)sqlite3_column_text(s, 1);
		if (r != NULL && role_parse(r) >= 0) {
			*op = sq_text(s, 0);
			*role = role_parse(r);
			res = STORE_OK;
		}
	} else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, "token lookup", cause);
	sqlite3_reset(s);
	return res;
}

/* Columns id, operator, role, created, revoked. */
static void
sq_token_row(sqlite3_stmt *s, struct token_row *t)
{
	const char	*r = (const char *)sqlite3_column_text(s, 2);

	t->id = sqlite3_column_int64(s, 0);
	t->operator = sq_text(s, 1);
	t->role = r ? role_parse(r) : -1;
	t->created = sqlite3_column_int64(s, 3);
	t->revoked = sqlite3_column_int64(s, 4);
}

static enum store_result
sq_token_list(struct store *st, struct token_row **rows, size_t *n,
    char **cause)
{
	return sq_collect(st, "SELECT id, operator, role, created, revoked "
	    "FROM tokens ORDER BY id", (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_token_row), SQ_CLEAR(token_row_clear), "list tokens",
	    cause);
}

static enum store_result
sq_token_revoke(struct store *st, int64_t id, int64_t now, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	rc = sqlite3_prepare_v2(sq(st)->db, "UPDATE tokens SET revoked = ?2 "
	    "WHERE id = ?1 AND revoked IS NULL", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc, "revoke token", cause);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "revoke token", cause);
	return sqlite3_changes(sq(st)->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

/*
 * The network: centres, vehicle types, processors, stream rules.  Admin
 * writes run on the loop's connection inside store_begin/store_commit;
 * they are rare and small.
 */

/*
 * Step a write to completion and finalize it.  A unique or primary key
 * clash is STORE_CONFLICT, a missing reference STORE_INVALID, no row
 * changed (when must_change) STORE_NOTFOUND.
 */
static enum store_result
sq_write(struct store *st, sqlite3_stmt *s, int must_change,
    const char *what, char **cause)
{
	enum store_result	res = STORE_OK;
	int			rc;

	rc = sqlite3_step(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		res = STORE_CONFLICT;
	else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		res = STORE_INVALID;
	else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, what, cause);
	else if (must_change && sqlite3_changes(sq(st)->db) == 0)
		res = STORE_NOTFOUND;
	sqlite3_finalize(s);
	return res;
}

/*
 * Each network table binds its object's key first (?1, or ?1-?3 for a
 * rule) and its other columns after, then now where it keeps times.
 */
static void
sq_centre_bind(sqlite3_stmt *s, const void *obj, int64_t now)
{
	const struct centre	*c = obj;
	int			 k;

	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, c->lat);
	sqlite3_bind_double(s, 4, c->lon);
	sqlite3_bind_int(s, 5, c->existing);
	sqlite3_bind_double(s, 6, c->fixed_cost);
	for (k = 0; k < STREAM_COUNT; k++)
		sqlite3_bind_double(s, 7 + k, c->capacity[k]);
	sqlite3_bind_text(s, 11, c->opens, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 12, c->closes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 13, now);
	sqlite3_bind_text(s, 14, c->region, -1, SQLITE_STATIC);
}

static void
sq_centre_row(sqlite3_stmt *s, void *obj)
{
	struct centre	*c = obj;
	int		 k;

	sq_copy(s, 0, c->id, sizeof(c->id));
	sq_copy(s, 1, c->name, sizeof(c->name));
	c->lat = sqlite3_column_double(s, 2);
	c->lon = sqlite3_column_double(s, 3);
	c->existing = sqlite3_column_int(s, 4);
	c->fixed_cost = sqlite3_column_double(s, 5);
	for (k = 0; k < STREAM_COUNT; k++)
		c->capacity[k] = sqlite3_column_double(s, 6 + k);
	sq_copy(s, 10, c->opens, sizeof(c->opens));
	sq_copy(s, 11, c->closes, sizeof(c->closes));
	sq_copy(s, 12, c->region, sizeof(c->region));
}

static void
sq_vehicle_bind(sqlite3_stmt *s, const void *obj, int64_t now)
{
	const struct vehicle_type	*v = obj;

	sqlite3_bind_text(s, 1, v->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v->centre, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, v->count);
	sqlite3_bind_double(s, 4, v->cap_kg);
	sqlite3_bind_double(s, 5, v->cap_m3);
	sqlite3_bind_int(s, 6, v->cap_items);
	sqlite3_bind_double(s, 7, v->fixed_cost);
	sqlite3_bind_double(s, 8, v->cost_per_km);
	sqlite3_bind_double(s, 9, v->cost_per_hour);
	sqlite3_bind_int(s, 10, v->shift_min);
	sqlite3_bind_int(s, 11, v->max_stops);
	sqlite3_bind_double(s, 12, v->co2_per_km);
	sqlite3_bind_text(s, 13, v->skills, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 14, now);
}

static void
sq_vehicle_row(sqlite3_stmt *s, void *obj)
{
	struct vehicle_type	*v = obj;

	sq_copy(s, 0, v->id, sizeof(v->id));
	sq_copy(s, 1, v->centre, sizeof(v->centre));
	v->count = sqlite3_column_int(s, 2);
	v->cap_kg = sqlite3_column_double(s, 3);
	v->cap_m3 = sqlite3_column_double(s, 4);
	v->cap_items = sqlite3_column_int(s, 5);
	v->fixed_cost = sqlite3_column_double(s, 6);
	v->cost_per_km = sqlite3_column_double(s, 7);
	v->cost_per_hour = sqlite3_column_double(s, 8);
	v->shift_min = sqlite3_column_int(s, 9);
	v->max_stops = sqlite3_column_int(s, 10);
	v->co2_per_km = sqlite3_column_double(s, 11);
	sq_copy(s, 12, v->skills, sizeof(v->skills));
}

static void
sq_processor_bind(sqlite3_stmt *s, const void *obj, int64_t now)
{
	const struct processor	*p = obj;

	sqlite3_bind_text(s, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, stream_name(p->stream), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, p->cost_per_kg);
}

static void
sq_processor_row(sqlite3_stmt *s, void *obj)
{
	struct processor	*p = obj;

	sq_copy(s, 0, p->id, sizeof(p->id));
	p->stream = stream_parse((const char *)sqlite3_column_text(s, 1));
	sq_copy(s, 2, p->name, sizeof(p->name));
	p->cost_per_kg = sqlite3_column_double(s, 3);
}

static void
sq_rule_bind(sqlite3_stmt *s, const void *obj, int64_t now)
{
	const struct stream_rule	*r = obj;

	sqlite3_bind_text(s, 1, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->condition, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, stream_name(r->stream), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, r->value);
}

static void
sq_rule_row(sqlite3_stmt *s, void *obj)
{
	struct stream_rule	*r = obj;

	sq_copy(s, 0, r->category, sizeof(r->category));
	sq_copy(s, 1, r->condition, sizeof(r->condition));
	r->stream = stream_parse((const char *)sqlite3_column_text(s, 2));
	r->value = sqlite3_column_double(s, 3);
}

/*
 * The SQL of each network table.  delete matches the key as text
 * (network_key), so a rule's three columns need no parsing back; the
 * tables are small.  select reads the columns fill expects, in the order
 * the planner wants (rules: the most specific first).
 */
static const struct sq_net {
	const char	*insert, *update, *delete, *select;
	void		(*bind)(sqlite3_stmt *, const void *, int64_t);
	void		(*fill)(sqlite3_stmt *, void *);
} sq_nets[NET_KIND_COUNT] = {
	[NET_CENTRE] = {
	    "INSERT INTO centres (id, name, lat, lon, existing, fixed_cost, "
	    "cap_repair, cap_reuse, cap_recycle, cap_dispose, opens, closes, "
	    "created, updated, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?13, ?14)",
	    "UPDATE centres SET name = ?2, lat = ?3, lon = ?4, existing = ?5, "
	    "fixed_cost = ?6, cap_repair = ?7, cap_reuse = ?8, "
	    "cap_recycle = ?9, cap_dispose = ?10, opens = ?11, closes = ?12, "
	    "updated = ?13, region = ?14 WHERE id = ?1",
	    "DELETE FROM centres WHERE id = ?1",
	    "SELECT id, name, lat, lon, existing, fixed_cost, cap_repair, "
	    "cap_reuse, cap_recycle, cap_dispose, opens, closes, region FROM "
	    "centres ORDER BY id",
	    sq_centre_bind, sq_centre_row },
	[NET_VEHICLE] = {
	    "INSERT INTO vehicle_types (id, centre, count, cap_kg, cap_m3, "
	    "cap_items, fixed_cost, cost_per_km, cost_per_hour, shift_min, "
	    "max_stops, co2_per_km, skills, created, updated) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
	    "UPDATE vehicle_types SET centre = ?2, count = ?3, cap_kg = ?4, "
	    "cap_m3 = ?5, cap_items = ?6, fixed_cost = ?7, cost_per_km = ?8, "
	    "cost_per_hour = ?9, shift_min = ?10, max_stops = ?11, "
	    "co2_per_km = ?12, skills = ?13, updated = ?14 WHERE id = ?1",
	    "DELETE FROM vehicle_types WHERE id = ?1",
	    "SELECT id, centre, count, cap_kg, cap_m3, cap_items, fixed_cost, "
	    "cost_per_km, cost_per_hour, shift_min, max_stops, co2_per_km, "
	    "skills FROM vehicle_types ORDER BY id",
	    sq_vehicle_bind, sq_vehicle_row },
	[NET_PROCESSOR] = {
	    "INSERT INTO processors (id, stream, name, cost_per_kg) "
	    "VALUES (?1, ?2, ?3, ?4)",
	    "UPDATE processors SET stream = ?2, name = ?3, cost_per_kg = ?4 "
	    "WHERE id = ?1",
	    "DELETE FROM processors WHERE id = ?1",
	    "SELECT id, stream, name, cost_per_kg FROM processors ORDER BY id",
	    sq_processor_bind, sq_processor_row },
	[NET_RULE] = {
	    "INSERT INTO stream_rules (category, condition, stream, value) "
	    "VALUES (?1, ?2, ?3, ?4)",
	    "UPDATE stream_rules SET value = ?4 WHERE category = ?1 AND "
	    "condition = ?2 AND stream = ?3",
	    "DELETE FROM stream_rules WHERE category || '/' || condition || "
	    "'/' || stream = ?1",
	    "SELECT category, condition, stream, value FROM stream_rules "
	    "ORDER BY category = '*', condition = '*', category, condition, "
	    "stream",
	    sq_rule_bind, sq_rule_row },
};

static enum store_result
sq_network_put(struct store *st, enum net_kind k, const void *obj,
    int create, int64_t now, char **cause)
{
	sqlite3_stmt	*s;
	char		 what[64];

	if ((s = sq_prepare(st, create ? sq_nets[k].insert :
	    sq_nets[k].update, cause)) == NULL)
		return STORE_ERROR;
	sq_nets[k].bind(s, obj, now);
	snprintf(what, sizeof(what), "put %s", network_noun(k));
	return sq_write(st, s, !create, what, cause);
}

static enum store_result
sq_network_delete(struct store *st, enum net_kind k, const char *key,
    char **cause)
{
	sqlite3_stmt	*s;
	char		 what[64];

	if ((s = sq_prepare(st, sq_nets[k].delete, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	snprintf(what, sizeof(what), "delete %s", network_noun(k));
	return sq_write(st, s, 1, what, cause);
}

static enum store_result
sq_network_load(struct store *st, struct network *n, char **cause)
{
	enum store_result	 res = STORE_OK;
	void			**arr;
	size_t			*count;
	int			 k;

	memset(n, 0, sizeof(*n));
	for (k = 0; res == STORE_OK && k < NET_KIND_COUNT; k++) {
		network_array(n, k, &arr, &count);
		res = sq_collect(st, sq_nets[k].select, arr, count,
		    network_size(k), sq_nets[k].fill, NULL, "read network",
		    cause);
	}
	if (res != STORE_OK)
		network_clear(n);
	return res;
}

/*
 * Plans.  The loop's connection writes them: a plan's state changes are
 * few, and its result is saved in one transaction of its own
 * (store_plan_save) so a plan is either wholly there or not at all.
 */

#define PLAN_COLS "id, state, phase, trigger, requested_by, reason, kpis, " \
	"changes, horizon_from, horizon_days, best_cost, created, started, " \
	"finished, previous, region, node, horizon_closed"

static void
sq_plan_row(sqlite3_stmt *s, struct plan_row *p)
{
	p->id = sqlite3_column_int64(s, 0);
	sq_copy(s, 1, p->state, sizeof(p->state));
	p->phase = sq_text(s, 2);
	p->trigger = sq_text(s, 3);
	p->requested_by = sq_text(s, 4);
	p->reason = sq_text(s, 5);
	p->kpis = sq_text(s, 6);
	p->changes = sq_text(s, 7);
	sq_copy(s, 8, p->horizon_from, sizeof(p->horizon_from));
	p->horizon_days = sqlite3_column_int(s, 9);
	p->has_best = sqlite3_column_type(s, 10) != SQLITE_NULL;
	p->best_cost = sqlite3_column_double(s, 10);
	p->created = sqlite3_column_int64(s, 11);
	p->started = sqlite3_column_int64(s, 12);
	p->finished = sqlite3_column_int64(s, 13);
	p->previous = sqlite3_column_int64(s, 14);
	p->region = sq_text(s, 15);
	p->node = sq_text(s, 16);
	p->horizon_closed = sq_text(s, 17);
}

static enum store_result
sq_plan_create(struct store *st, const struct plan_new *p, int64_t now,
    int64_t *id, char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res;

	/* The nightly index refuses a second plan for a region's night. */
	if ((s = sq_prepare(st, "INSERT INTO plans (state, phase, trigger, "
	    "requested_by, horizon_from, horizon_days, created, region, "
	    "night, horizon_closed) VALUES ('queued', 'queued', ?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, p->trigger, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->from, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, p->days);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_text(s, 6, p->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, p->night, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, p->closed, -1, SQLITE_STATIC);
	res = sq_write(st, s, 1, "create plan", cause);
	if (res == STORE_OK)
		*id = sqlite3_last_insert_rowid(sq(st)->db);
	return res == STORE_NOTFOUND ? STORE_CONFLICT : res;
}

static enum store_result
sq_plan_state(struct store *st, int64_t id, const char *node,
    const char *state, const char *phase, const char *reason, int64_t now,
    char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "UPDATE plans SET "
	    "state = coalesce(?2, state), phase = ?3, "
	    "reason = coalesce(?4, reason), "
	    "started = CASE WHEN ?2 = 'running' THEN ?5 ELSE started END, "
	    "finished = CASE WHEN ?2 IN ('done', 'failed') THEN ?5 "
	    "ELSE finished END WHERE id = ?1 AND (?6 IS NULL OR node = ?6) "
	    "AND (?2 IS NOT NULL OR state = 'running')", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, phase, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_text(s, 6, node, -1, SQLITE_STATIC);
	return sq_write(st, s, 1, "plan state", cause);
}

/* The write lock (BEGIN IMMEDIATE) makes the pick and the claim one. */
static enum store_result
sq_plan_claim(struct store *st, const char *node, int64_t now, int64_t lease,
    int64_t *id, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int64_t			 n;

	*id = 0;
	/* Nodes poll: look without the write lock first (WAL reads). */
	if (sq_int(st, "SELECT count(*) FROM plans WHERE state = 'queued' OR "
	    "(state = 'running' AND lease_until < ?1)", now, NULL, &n,
	    "poll plans", NULL) == STORE_OK && n == 0)
		return STORE_NOTFOUND;
	if (sq_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	if ((s = sq_prepare(st, "UPDATE plans SET state = 'running', phase = "
	    "'claimed', node = ?1, lease_until = ?3 WHERE id = (SELECT id "
	    "FROM plans WHERE state = 'queued' OR (state = 'running' AND "
	    "lease_until < ?2) ORDER BY id LIMIT 1) RETURNING id", cause)) ==
	    NULL)
		return sq_in_tx(st, STORE_ERROR, cause);
	sqlite3_bind_text(s, 1, node, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int64(s, 3, now + lease);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(s, 0);
		res = STORE_OK;
		break;
	case SQLITE_DONE:
		res = STORE_NOTFOUND;
		break;
	default:
		res = sq_fail(st, sqlite3_errcode(sq(st)->db), "claim plan",
		    cause);
	}
	sqlite3_finalize(s);
	if (res == STORE_NOTFOUND) {
		sq_in_tx(st, STORE_OK, cause);
		return res;
	}
	return sq_in_tx(st, res, cause);
}

static enum store_result
sq_plan_renew(struct store *st, const char *node, int64_t until,
    char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "UPDATE plans SET lease_until = ?2 WHERE "
	    "node = ?1 AND state = 'running'", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, node, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, until);
	return sq_write(st, s, 0, "renew leases", cause);
}

static enum store_result
sq_plan_problem(struct store *st, int64_t id, const char *problem,
    char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "UPDATE plans SET problem = ?2 "
	    "WHERE id = ?1", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, problem, -1, SQLITE_STATIC);
	return sq_write(st, s, 1, "plan problem", cause);
}

static enum store_result
sq_plan_best(struct store *st, int64_t id, double cost, char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "UPDATE plans SET best_cost = ?2 "
	    "WHERE id = ?1", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_double(s, 2, cost);
	return sq_write(st, s, 1, "plan best cost", cause);
}

static enum store_result
sq_plan_get(struct store *st, int64_t id, struct plan_row *out,
    char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res = STORE_NOTFOUND;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if ((s = sq_prepare(st, id ? "SELECT " PLAN_COLS " FROM plans "
	    "WHERE id = ?1" : "SELECT " PLAN_COLS " FROM plans WHERE "
	    "state = 'done' ORDER BY id DESC LIMIT 1", cause)) == NULL)
		return STORE_ERROR;
	if (id)
		sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sq_plan_row(s, out);
		res = STORE_OK;
	} else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, "get plan", cause);
	sqlite3_finalize(s);
	return res;
}

static enum store_result
sq_plan_list(struct store *st, int limit, struct plan_row **rows,
    size_t *n, char **cause)
{
	char			 sql[256];
	enum store_result	 res;

	snprintf(sql, sizeof(sql), "SELECT " PLAN_COLS " FROM plans "
	    "ORDER BY id DESC LIMIT %d", limit);
	res = sq_collect(st, sql, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_plan_row), SQ_CLEAR(plan_row_clear), "read plans",
	    cause);
	return res;
}

static enum store_result
sq_plan_fail_stale(struct store *st, const char *node, int64_t now,
    char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "UPDATE plans SET state = 'failed', "
	    "phase = 'failed', finished = ?1, reason = 'interrupted: the "
	    "daemon stopped before the plan finished' "
	    "WHERE state = 'running' AND (node IS NULL OR node = ?2)",
	    cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, node, -1, SQLITE_STATIC);
	return sq_write(st, s, 0, "fail stale plans", cause);
}

/* The newest done plan of region (NULL: of the whole network), or 0. */
static enum store_result
sq_plan_current(struct store *st, const char *region, int64_t *id,
    char **cause)
{
	enum store_result	res;

	res = sq_int(st, "SELECT max(id) FROM plans WHERE state = 'done' AND "
	    "coalesce(region, '') = coalesce(?2, '')", 0, region, id,
	    "current plan", cause);
	return res == STORE_NOTFOUND ? STORE_OK : res;
}

static enum store_result
sq_plan_last(struct store *st, const char *trigger, int64_t *created,
    char **cause)
{
	enum store_result	res;

	res = sq_int(st, "SELECT max(created) FROM plans WHERE trigger = ?2",
	    0, trigger, created, "last plan", cause);
	return res == STORE_NOTFOUND ? STORE_OK : res;
}

static void
sq_prev_row(sqlite3_stmt *s, struct plan_prev *p)
{
	p->pickup = sqlite3_column_int64(s, 0);
	sq_copy(s, 1, p->day, sizeof(p->day));
	sq_copy(s, 2, p->vehicle, sizeof(p->vehicle));
	p->deferred = sqlite3_column_type(s, 3) != SQLITE_NULL;
	sq_copy(s, 3, p->reason, sizeof(p->reason));
	sq_copy(s, 4, p->centre, sizeof(p->centre));
	p->seq = sqlite3_column_int(s, 5);
}

static enum store_result
sq_plan_assignments(struct store *st, int64_t plan, struct plan_prev **out,
    size_t *n, char **cause)
{
	char	sql[256];

	snprintf(sql, sizeof(sql), "SELECT pickup_id, day, vehicle, deferred, "
	    "centre, seq FROM plan_assignments WHERE plan_id = %lld "
	    "ORDER BY pickup_id",
	    (long long)plan);
	return sq_collect(st, sql, (void **)out, n, sizeof(**out),
	    SQ_FILL(sq_prev_row), NULL, "read plan assignments", cause);
}

static enum store_result
sq_plan_result(struct store *st, int64_t plan, char **text, char **cause)
{
	sqlite3_stmt		*s;
	enum store_result	 res = STORE_OK;
	int			 rc;

	*text = NULL;
	if ((s = sq_prepare(st, "SELECT result FROM plans WHERE id = ?",
	    cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, plan);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*text = sq_text(s, 0);
	else if (rc == SQLITE_DONE)
		res = STORE_NOTFOUND;
	else
		res = sq_fail(st, rc, "read plan", cause);
	sqlite3_finalize(s);
	return res;
}

/* Columns of the pool query: a pickup and its pin. */
static void
sq_pool_row(sqlite3_stmt *s, struct plan_pickup *p)
{
	const char	*kind = (const char *)sqlite3_column_text(s, 8);

	p->id = sqlite3_column_int64(s, 0);
	p->status = pickup_status_parse((const char *)sqlite3_column_text(s,
	    1));
	p->lat = sqlite3_column_double(s, 2);
	p->lon = sqlite3_column_double(s, 3);
	sq_copy(s, 4, p->from, sizeof(p->from));
	sq_copy(s, 5, p->to, sizeof(p->to));
	p->reference = sq_text(s, 6);
	p->body = sq_text(s, 7);
	p->pin = kind == NULL ? PIN_NONE : strcmp(kind, "dispatched") == 0 ?
	    PIN_DISPATCHED : PIN_CONFIRMED;
	sq_copy(s, 9, p->pin_centre, sizeof(p->pin_centre));
	sq_copy(s, 10, p->pin_day, sizeof(p->pin_day));
	sq_copy(s, 11, p->pin_vehicle, sizeof(p->pin_vehicle));
	p->pin_seq = sqlite3_column_int(s, 12);
	sq_copy(s, 13, p->region, sizeof(p->region));
}

static enum store_result
sq_plan_input(struct store *st, struct plan_input *in, char **cause)
{
	enum store_result	 res;
	char			 from[11], to[11], carry[11], *sql;

	if ((res = sq_network_load(st, &in->net, cause)) != STORE_OK)
		return res;
	days_to_date(in->day0 - in->closed_before, from);
	days_to_date(in->day0 - in->closed_before - in->carry_over, carry);
	days_to_date(in->day0 + in->ndays - 1, to);
	xasprintf(&sql, "SELECT p.id, p.status, p.lat, p.lon, p.window_from, "
	    "p.window_to, p.reference, p.body, n.kind, n.centre, n.day, "
	    "n.vehicle, n.seq, p.region FROM pickups p LEFT JOIN pickup_pins n "
	    "ON n.pickup_id = p.id WHERE p.status IN ('received', "
	    "'scheduled') AND p.window_from <= '%s' AND (p.window_to >= '%s' "
	    "OR (p.status = 'received' AND p.window_to >= '%s')) "
	    "ORDER BY p.id", to, from, carry);
	res = sq_collect(st, sql, (void **)&in->pk, &in->npk,
	    sizeof(*in->pk), SQ_FILL(sq_pool_row), SQ_CLEAR(plan_pickup_clear),
	    "read the pool", cause);
	x_free(sql);
	if (res != STORE_OK)
		return res;
	/* The current plan of the same region (or of the whole network). */
	if ((res = sq_plan_current(st, in->region, &in->previous, cause)) !=
	    STORE_OK || in->previous == 0)
		return res;
	return sq_plan_assignments(st, in->previous, &in->prev, &in->nprev,
	    cause);
}

/* Insert one route of a plan and its stops. */
static enum store_result
sq_route_insert(struct store *st, const struct plan_input *in,
    const struct rt_route *r, int solver, char **cause)
{
	const struct rt_vehicle	*v = &in->veh[r->vehicle];
	enum store_result	 res;
	sqlite3_stmt		*s;
	char			 day[11], t0[6], t1[6];
	int64_t			 rid;
	size_t			 k;

	days_to_date(r->day, day);
	hhmm_format(r->start, t0);
	hhmm_format(r->end, t1);
	if ((s = sq_prepare(st, "INSERT INTO plan_routes (plan_id, vehicle, "
	    "vehicle_type, centre, day, source, starts, ends, km, cost, "
	    "load_kg, load_m3, load_items, geometry) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 14, r->geometry, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 1, in->id);
	sqlite3_bind_text(s, 2, v->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, in->net.fleet[v->type].id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, in->net.centres[v->centre].id, -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 5, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, solver ? "solver" : "fallback", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 7, t0, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, t1, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 9, r->km);
	sqlite3_bind_double(s, 10, r->cost);
	sqlite3_bind_double(s, 11, r->kg);
	sqlite3_bind_double(s, 12, r->m3);
	sqlite3_bind_int(s, 13, r->items);
	if ((res = sq_write(st, s, 1, "insert route", cause)) != STORE_OK)
		return res;
	rid = sqlite3_last_insert_rowid(sq(st)->db);
	for (k = 0; k < r->nstops; k++) {
		const struct rt_stop *sp = &in->st[r->stops[k]];

		if ((s = sq_prepare(st, "INSERT INTO plan_stops (route_id, "
		    "seq, pickup_id, eta, load_kg) VALUES (?1, ?2, ?3, ?4, ?5)",
		    cause)) == NULL)
			return STORE_ERROR;
		hhmm_format(sp->eta, t0);
		sqlite3_bind_int64(s, 1, rid);
		sqlite3_bind_int(s, 2, (int)k + 1);
		sqlite3_bind_int64(s, 3, in->pk[r->stops[k]].id);
		sqlite3_bind_text(s, 4, t0, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 5, sp->load_kg);
		if ((res = sq_write(st, s, 1, "insert stop", cause)) !=
		    STORE_OK)
			return res;
	}
	return STORE_OK;
}

/*
 * Record pickup k's outcome in plan in->id, and move the pickup: to
 * scheduled with day, vehicle, stop and ETA, or back to received with the
 * defer reason.  A status change or a move gets a history event.  A
 * pickup collected or cancelled while the solver ran is left alone.
 */
static enum store_result
sq_plan_pickup(struct store *st, const struct plan_input *in, size_t k,
    int64_t now, char **cause)
{
	const struct rt_stop	*sp = &in->st[k];
	const char		*vehicle = NULL, *centre = NULL;
	enum store_result	 res;
	sqlite3_stmt		*s;
	char			 day[11], eta[6];
	struct store_was	 was = { -1, "", "", "", "" };
	int			 rc;

	if (sp->deferred == NULL) {
		days_to_date(sp->day, day);
		hhmm_format(sp->eta, eta);
		vehicle = in->veh[sp->vehicle].name;
		centre = in->net.centres[sp->centre].id;
	}
	if ((s = sq_prepare(st, "INSERT INTO plan_assignments (plan_id, "
	    "pickup_id, centre, day, vehicle, seq, eta, deferred) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, in->id);
	sqlite3_bind_int64(s, 2, in->pk[k].id);
	sqlite3_bind_text(s, 3, centre, -1, SQLITE_STATIC);
	if (vehicle != NULL) {
		sqlite3_bind_text(s, 4, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, vehicle, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 6, sp->seq);
		sqlite3_bind_text(s, 7, eta, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(s, 8, sp->deferred, -1, SQLITE_STATIC);
	if ((res = sq_write(st, s, 1, "insert assignment", cause)) !=
	    STORE_OK)
		return res;

	if ((s = sq_prepare(st, "SELECT status, plan_day, plan_vehicle, "
	    "plan_eta, defer_reason FROM pickups WHERE id = ?1", cause)) ==
	    NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, in->pk[k].id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		was.status = pickup_status_parse((const char *)
		    sqlite3_column_text(s, 0));
		sq_copy(s, 1, was.day, sizeof(was.day));
		sq_copy(s, 2, was.vehicle, sizeof(was.vehicle));
		sq_copy(s, 3, was.eta, sizeof(was.eta));
		sq_copy(s, 4, was.why, sizeof(was.why));
	}
	sqlite3_finalize(s);
	if (was.status != PICKUP_RECEIVED && was.status != PICKUP_SCHEDULED)
		return STORE_OK;
	if ((s = sq_prepare(st, "UPDATE pickups SET status = ?2, "
	    "plan_id = ?3, plan_day = ?4, plan_vehicle = ?5, plan_seq = ?6, "
	    "plan_eta = ?7, defer_reason = ?8, updated = ?9 WHERE id = ?1",
	    cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, in->pk[k].id);
	sqlite3_bind_text(s, 2, vehicle ? "scheduled" : "received", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, in->id);
	if (vehicle != NULL) {
		sqlite3_bind_text(s, 4, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, vehicle, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 6, sp->seq);
		sqlite3_bind_text(s, 7, eta, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(s, 8, sp->deferred, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, now);
	if ((res = sq_write(st, s, 1, "schedule pickup", cause)) != STORE_OK)
		return res;
	if (store_pin_stale(in, k, vehicle ? day : NULL)) {
		if ((s = sq_prepare(st, "DELETE FROM pickup_pins WHERE "
		    "pickup_id = ?1", cause)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, in->pk[k].id);
		if ((res = sq_write(st, s, 0, "unpin", cause)) != STORE_OK)
			return res;
	}
	return store_tell_plan(st, &sq_teller, in, k, &was, now, cause);
}

static enum store_result
sq_plan_save(struct store *st, const struct plan_input *in,
    const struct plan_output *out, const char *result, int64_t now,
    char **cause)
{
	enum store_result	 res = STORE_OK;
	sqlite3_stmt		*s;
	size_t			 i;

	if (sq_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	for (i = 0; res == STORE_OK && i < out->nroutes; i++)
		res = sq_route_insert(st, in, &out->routes[i],
		    out->from_solver, cause);
	for (i = 0; res == STORE_OK && i < in->npk; i++)
		res = sq_plan_pickup(st, in, i, now, cause);
	if (res == STORE_OK) {
		if ((s = sq_prepare(st, "UPDATE plans SET state = 'done', "
		    "phase = 'done', finished = ?2, result = ?3, kpis = ?4, "
		    "changes = ?5, previous = ?6, best_cost = ?7 "
		    "WHERE id = ?1 AND (?8 IS NULL OR node = ?8)", cause)) ==
		    NULL)
			res = STORE_ERROR;
		else {
			sqlite3_bind_int64(s, 1, in->id);
			sqlite3_bind_int64(s, 2, now);
			sqlite3_bind_text(s, 3, result, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 4, out->kpis, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 5, out->changes, -1,
			    SQLITE_STATIC);
			if (in->previous)
				sqlite3_bind_int64(s, 6, in->previous);
			sqlite3_bind_double(s, 7, out->cost);
			sqlite3_bind_text(s, 8, in->node, -1, SQLITE_STATIC);
			res = sq_write(st, s, 1, "finish plan", cause);
		}
	}
	if (res == STORE_OK && sq_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		sq_rollback(st);
	return res;
}

static void
sq_route_row(sqlite3_stmt *s, struct route_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	sq_copy(s, 1, r->vehicle, sizeof(r->vehicle));
	sq_copy(s, 2, r->vehicle_type, sizeof(r->vehicle_type));
	sq_copy(s, 3, r->centre, sizeof(r->centre));
	sq_copy(s, 4, r->day, sizeof(r->day));
	sq_copy(s, 5, r->source, sizeof(r->source));
	sq_copy(s, 6, r->starts, sizeof(r->starts));
	sq_copy(s, 7, r->ends, sizeof(r->ends));
	r->km = sqlite3_column_double(s, 8);
	r->cost = sqlite3_column_double(s, 9);
	r->load_kg = sqlite3_column_double(s, 10);
	r->load_m3 = sqlite3_column_double(s, 11);
	r->load_items = sqlite3_column_int(s, 12);
	r->geometry = sq_text(s, 13);
}

static void
sq_stop_row(sqlite3_stmt *s, struct stop_row *p)
{
	p->seq = sqlite3_column_int(s, 0);
	p->pickup = sqlite3_column_int64(s, 1);
	sq_copy(s, 2, p->eta, sizeof(p->eta));
	p->load_kg = sqlite3_column_double(s, 3);
	p->lat = sqlite3_column_double(s, 4);
	p->lon = sqlite3_column_double(s, 5);
	p->status = pickup_status_parse((const char *)sqlite3_column_text(s,
	    6));
	p->reference = sq_text(s, 7);
	p->body = sq_text(s, 8);
	sq_copy(s, 9, p->pin, sizeof(p->pin));
}

static enum store_result
sq_plan_routes(struct store *st, int64_t plan, const char *vehicle,
    const char *day, struct route_row **rows, size_t *n, char **cause)
{
	enum store_result	 res;
	char			*sql;
	size_t			 i;

	sql = sqlite3_mprintf("SELECT id, vehicle, vehicle_type, centre, day, "
	    "source, starts, ends, km, cost, load_kg, load_m3, load_items, "
	    "geometry FROM plan_routes WHERE plan_id = %lld AND (%Q IS NULL OR "
	    "vehicle = %Q) AND (%Q IS NULL OR day = %Q) ORDER BY day, vehicle",
	    (long long)plan, vehicle, vehicle, day, day);
	res = sq_collect(st, sql, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_route_row), SQ_CLEAR(route_row_clear), "read routes",
	    cause);
	sqlite3_free(sql);
	for (i = 0; res == STORE_OK && i < *n; i++) {
		sql = sqlite3_mprintf("SELECT s.seq, s.pickup_id, s.eta, "
		    "s.load_kg, p.lat, p.lon, p.status, p.reference, p.body, "
		    "(SELECT kind FROM pickup_pins WHERE pickup_id = p.id AND "
		    "p.status = 'scheduled') FROM plan_stops s JOIN pickups p ON p.id = s.pickup_id "
		    "WHERE s.route_id = %lld ORDER BY s.seq",
		    (long long)(*rows)[i].id);
		res = sq_collect(st, sql, (void **)&(*rows)[i].stops,
		    &(*rows)[i].nstops, sizeof(struct stop_row),
		    SQ_FILL(sq_stop_row), SQ_CLEAR(stop_row_clear), "read stops",
		    cause);
		sqlite3_free(sql);
	}
	if (res != STORE_OK) {
		route_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return res;
}

/* Run fn inside its own transaction on st. */
static enum store_result
sq_in_tx(struct store *st, enum store_result res, char **cause)
{
	if (res == STORE_OK && sq_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		sq_rollback(st);
	return res;
}

/*
 * The integer sql selects (bound ?1 = a, ?2 = b) in *v: STORE_NOTFOUND,
 * *v 0, when it selects no row or NULL; a failure when it cannot be read,
 * so that a read error is never taken for an answer.
 */
static enum store_result
sq_int(struct store *st, const char *sql, int64_t a, const char *b,
    int64_t *v, const char *what, char **cause)
{
	enum store_result	 res = STORE_NOTFOUND;
	sqlite3_stmt		*s;
	int			 rc;

	*v = 0;
	if ((s = sq_prepare(st, sql, cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			*v = sqlite3_column_int64(s, 0);
			res = STORE_OK;
		}
	} else if (rc != SQLITE_DONE)
		res = sq_fail(st, rc, what, cause);
	sqlite3_finalize(s);
	return res;
}

static enum store_result
sq_pin_confirm(struct store *st, int64_t id, const char *actor,
    int64_t now, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int64_t			 scheduled;

	if (sq_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	res = sq_int(st, "SELECT status = 'scheduled' FROM pickups WHERE "
	    "id = ?1", id, NULL, &scheduled, "read pickup", cause);
	if (res != STORE_OK || scheduled != 1) {
		sq_rollback(st);
		return res != STORE_OK ? res : STORE_INVALID;
	}
	if ((s = sq_prepare(st, "INSERT OR IGNORE INTO pickup_pins "
	    "(pickup_id, kind, plan_id, centre, day, at, actor) SELECT p.id, "
	    "'confirmed', p.plan_id, a.centre, p.plan_day, ?2, ?3 "
	    "FROM pickups p JOIN plan_assignments a ON a.plan_id = p.plan_id "
	    "AND a.pickup_id = p.id WHERE p.id = ?1", cause)) == NULL) {
		sq_rollback(st);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
	res = sq_write(st, s, 0, "confirm pickup", cause);
	return sq_in_tx(st, res, cause);
}

static enum store_result
sq_pin_dispatch(struct store *st, int64_t plan, const char *vehicle,
    const char *day, const char *actor, int64_t now, int *count,
    char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int64_t			 current;

	*count = 0;
	if (sq_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	res = sq_int(st, "SELECT max(id) FROM plans WHERE state = 'done' AND "
	    "coalesce(region, '') = (SELECT coalesce(region, '') FROM plans "
	    "WHERE id = ?1)", plan, NULL, &current, "read plans", cause);
	if (res == STORE_NOTFOUND || (res == STORE_OK && current != plan))
		res = STORE_INVALID;
	if (res != STORE_OK) {
		sq_rollback(st);
		return res;
	}
	if ((s = sq_prepare(st, "INSERT OR REPLACE INTO pickup_pins "
	    "(pickup_id, kind, plan_id, centre, day, vehicle, seq, at, actor) "
	    "SELECT s.pickup_id, 'dispatched', r.plan_id, r.centre, r.day, "
	    "r.vehicle, s.seq, ?4, ?5 FROM plan_stops s JOIN plan_routes r "
	    "ON r.id = s.route_id JOIN pickups p ON p.id = s.pickup_id "
	    "WHERE r.plan_id = ?1 AND r.vehicle = ?2 AND (?3 IS NULL OR "
	    "r.day = ?3) AND p.status = 'scheduled'", cause)) == NULL) {
		sq_rollback(st);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(s, 1, plan);
	sqlite3_bind_text(s, 2, vehicle, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_text(s, 5, actor, -1, SQLITE_STATIC);
	res = sq_write(st, s, 0, "dispatch", cause);
	if (res == STORE_OK && (*count = sqlite3_changes(sq(st)->db)) == 0)
		res = STORE_NOTFOUND;
	return sq_in_tx(st, res, cause);
}

static enum store_result
sq_field_event(struct store *st, int64_t id, enum field_kind kind,
    const char *code, int stream, double kg, const char *actor, int64_t now,
    struct pickup_row *out, char **cause)
{
	static const char *const kinds[] = { "collected", "not_collected",
	    "sorted" };
	enum store_result	 res;
	sqlite3_stmt		*s;
	int			 to;

	if (sq_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	if ((res = sq_pickup_get(st, id, NULL, out, cause)) != STORE_OK)
		return sq_in_tx(st, res, cause);
	if ((to = pickup_field_to(kind, out->status)) < 0)
		return sq_in_tx(st, STORE_INVALID, cause);
	if ((s = sq_prepare(st, kind == FIELD_NOT_COLLECTED ?
	    "UPDATE pickups SET status = ?2, updated = ?3, plan_day = NULL, "
	    "plan_vehicle = NULL, plan_seq = NULL, plan_eta = NULL, "
	    "defer_reason = 'not_collected:' || ?4 WHERE id = ?1" :
	    "UPDATE pickups SET status = ?2, updated = ?3 WHERE id = ?1",
	    cause)) == NULL)
		return sq_in_tx(st, STORE_ERROR, cause);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, pickup_status_name(to), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if (kind == FIELD_NOT_COLLECTED)
		sqlite3_bind_text(s, 4, code, -1, SQLITE_STATIC);
	if ((res = sq_write(st, s, 1, "field event", cause)) != STORE_OK)
		return sq_in_tx(st, res, cause);
	if ((s = sq_prepare(st, "INSERT INTO field_events (pickup_id, kind, "
	    "code, stream, weight_kg, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7)", cause)) == NULL)
		return sq_in_tx(st, STORE_ERROR, cause);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, kinds[kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, code, -1, SQLITE_STATIC);
	if (kind == FIELD_SORTED)
		sqlite3_bind_text(s, 4, stream_name(stream), -1, SQLITE_STATIC);
	if (kg > 0)
		sqlite3_bind_double(s, 5, kg);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_text(s, 7, actor, -1, SQLITE_STATIC);
	if ((res = sq_write(st, s, 1, "field event", cause)) != STORE_OK)
		return sq_in_tx(st, res, cause);
	res = store_tell_field(st, &sq_teller, id, kind, to, code, stream,
	    kg, actor, now, cause);
	if (res == STORE_OK && kind != FIELD_SORTED && (s = sq_prepare(st,
	    "DELETE FROM pickup_pins WHERE pickup_id = ?1", cause)) != NULL) {
		sqlite3_bind_int64(s, 1, id);
		res = sq_write(st, s, 0, "unpin", cause);
	}
	out->status = to;
	return sq_in_tx(st, res, cause);
}

static enum store_result
sq_field_rates(struct store *st, const struct field_filter *f,
    struct field_rates *fr, char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	memset(fr, 0, sizeof(*fr));
	if ((s = sq_prepare(st, "SELECT e.kind, e.code, e.stream, "
	    "e.weight_kg FROM field_events e JOIN pickups p ON p.id = "
	    "e.pickup_id WHERE (?1 = 0 OR e.pickup_id IN (SELECT pickup_id "
	    "FROM plan_assignments WHERE plan_id = ?1)) AND e.at >= ?2 AND "
	    "e.at < ?3 AND (?4 IS NULL OR p.operator = ?4)", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, f->plan);
	sqlite3_bind_int64(s, 2, f->from);
	sqlite3_bind_int64(s, 3, f->to);
	sqlite3_bind_text(s, 4, f->operator, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		field_rates_add(fr, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    sqlite3_column_double(s, 3));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(st, rc, "rates",
	    cause);
}

/* Webhooks (store.c has the contracts). */
static enum store_result
sq_webhook_add(struct store *st, const struct webhook *w, int64_t now,
    int64_t *id, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	char			*events = wh_events_text(w->events);

	if ((s = sq_prepare(st, "INSERT INTO webhooks (operator, url, events, "
	    "secret, created) VALUES (?1, ?2, ?3, ?4, ?5)", cause)) == NULL) {
		x_free(events);
		return STORE_ERROR;
	}
	sqlite3_bind_text(s, 1, w->operator, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, w->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, events, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, w->secret, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	res = sq_write(st, s, 1, "add webhook", cause);
	x_free(events);
	if (res == STORE_OK)
		*id = sqlite3_last_insert_rowid(sq(st)->db);
	return res;
}

/* Columns id, operator, url, events, secret, created. */
static void
sq_webhook_row(sqlite3_stmt *s, struct webhook *w)
{
	const char	*ev = (const char *)sqlite3_column_text(s, 3);

	w->id = sqlite3_column_int64(s, 0);
	w->operator = sq_text(s, 1);
	w->url = sq_text(s, 2);
	w->events = ev ? wh_events_parse(ev) : 0;
	w->secret = sq_text(s, 4);
	w->created = sqlite3_column_int64(s, 5);
}

static enum store_result
sq_webhook_list(struct store *st, const char *op, int64_t id,
    struct webhook **rows, size_t *n, char **cause)
{
	sqlite3_stmt	*s;

	*rows = NULL;
	*n = 0;
	if ((s = sq_prepare(st, "SELECT id, operator, url, events, secret, "
	    "created FROM webhooks WHERE removed = 0 AND (?1 IS NULL OR "
	    "operator = ?1) AND (?2 = 0 OR id = ?2) ORDER BY id", cause)) ==
	    NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, op, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, id);
	return sq_rows(st, s, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_webhook_row), SQ_CLEAR(webhook_clear), "list webhooks",
	    cause);
}

static enum store_result
sq_webhook_remove(struct store *st, int64_t id, const char *op, int64_t now,
    char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;

	if ((s = sq_prepare(st, "UPDATE webhooks SET removed = ?3 WHERE "
	    "id = ?1 AND removed = 0 AND (?2 IS NULL OR operator = ?2)",
	    cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, op, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if ((res = sq_write(st, s, 1, "remove webhook", cause)) != STORE_OK)
		return res;
	if ((s = sq_prepare(st, "UPDATE webhook_deliveries SET state = "
	    "'dead', last_error = 'the webhook was removed' WHERE webhook = ?1 "
	    "AND state = 'pending'", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return sq_write(st, s, 0, "remove webhook", cause);
}

static enum store_result
sq_webhook_redeliver(struct store *st, int64_t id, const char *op,
    int64_t since, int64_t now, long *count, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int64_t			 removed;

	res = sq_int(st, "SELECT removed FROM webhooks WHERE id = ?1 "
	    "AND (?2 IS NULL OR operator = ?2)", id, op, &removed,
	    "read webhook", cause);
	if (res != STORE_OK || removed != 0)
		return res != STORE_OK ? res : STORE_INVALID;
	if ((s = sq_prepare(st, "UPDATE webhook_deliveries SET state = "
	    "'pending', next_at = ?3 WHERE webhook = ?1 AND state = 'dead' AND "
	    "created >= ?2", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, now);
	if ((res = sq_write(st, s, 0, "redeliver", cause)) == STORE_OK)
		*count = sqlite3_changes(sq(st)->db);
	return res;
}

#define SQ_DELIVERY_COLS "d.id, d.webhook, d.pickup_id, d.event, d.state, " \
	"d.data, d.attempts, d.created, d.next_at, d.last_at, d.delivered, " \
	"d.last_status, d.last_error"

static void
sq_delivery_row(sqlite3_stmt *s, struct wh_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(s, 0);
	d->webhook = sqlite3_column_int64(s, 1);
	d->pickup = sqlite3_column_int64(s, 2);
	sq_copy(s, 3, d->event, sizeof(d->event));
	sq_copy(s, 4, d->state, sizeof(d->state));
	d->data = sq_text(s, 5);
	d->attempts = sqlite3_column_int(s, 6);
	d->created = sqlite3_column_int64(s, 7);
	d->next_at = sqlite3_column_int64(s, 8);
	d->last_at = sqlite3_column_int64(s, 9);
	d->delivered = sqlite3_column_int64(s, 10);
	d->last_status = sqlite3_column_int(s, 11);
	d->last_error = sq_text(s, 12);
	if (sqlite3_column_count(s) > 13) {
		d->url = sq_text(s, 13);
		d->secret = sq_text(s, 14);
	}
}

/* sq_rows of deliveries (SQ_DELIVERY_COLS, maybe url and secret). */
static enum store_result
sq_deliveries_read(struct store *st, sqlite3_stmt *s,
    struct wh_delivery **rows, size_t *n, char **cause)
{
	return sq_rows(st, s, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_delivery_row), SQ_CLEAR(wh_delivery_clear),
	    "read deliveries", cause);
}

static enum store_result
sq_webhook_due(struct store *st, int64_t now, int limit, int64_t hold,
    struct wh_delivery **rows, size_t *n, char **cause)
{
	/* One node per SQLite file: no other sender to hold them from. */
	sqlite3_stmt	*s;

	*rows = NULL;
	*n = 0;
	if ((s = sq_prepare(st, "SELECT " SQ_DELIVERY_COLS ", w.url, w.secret "
	    "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook "
	    "WHERE d.state = 'pending' AND d.next_at <= ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM webhook_deliveries e WHERE e.state = 'pending' "
	    "AND e.webhook = d.webhook AND e.pickup_id = d.pickup_id AND "
	    "e.id < d.id) ORDER BY d.next_at, d.id LIMIT ?2", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	return sq_deliveries_read(st, s, rows, n, cause);
}

static enum store_result
sq_webhook_record(struct store *st, const struct wh_delivery *d, size_t n,
    char **cause)
{
	enum store_result	 res = STORE_OK;
	sqlite3_stmt		*s;
	size_t			 i;

	for (i = 0; res == STORE_OK && i < n; i++) {
		/* Only a pending one: removing the webhook has the last
		 * word over a delivery that was in flight. */
		if ((s = sq_prepare(st, "UPDATE webhook_deliveries SET "
		    "state = ?2, attempts = ?3, next_at = ?4, last_at = ?5, "
		    "last_status = ?6, last_error = ?7, delivered = ?8 "
		    "WHERE id = ?1 AND state = 'pending'", cause)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_int64(s, 1, d[i].id);
		sqlite3_bind_text(s, 2, d[i].state, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, d[i].attempts);
		sqlite3_bind_int64(s, 4, d[i].next_at);
		sqlite3_bind_int64(s, 5, d[i].last_at);
		sqlite3_bind_int(s, 6, d[i].last_status);
		sqlite3_bind_text(s, 7, d[i].last_error, -1, SQLITE_STATIC);
		if (d[i].delivered != 0)
			sqlite3_bind_int64(s, 8, d[i].delivered);
		res = sq_write(st, s, 0, "record delivery", cause);
	}
	return res;
}

static enum store_result
sq_webhook_deliveries(struct store *st, int64_t webhook, const char *state,
    int limit, struct wh_delivery **rows, size_t *n, char **cause)
{
	sqlite3_stmt	*s;

	*rows = NULL;
	*n = 0;
	if ((s = sq_prepare(st, "SELECT " SQ_DELIVERY_COLS " FROM "
	    "webhook_deliveries d WHERE d.webhook = ?1 AND (?2 IS NULL OR "
	    "d.state = ?2) ORDER BY d.id DESC LIMIT ?3", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, webhook);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, limit);
	return sq_deliveries_read(st, s, rows, n, cause);
}

static enum store_result
sq_webhook_pending(struct store *st, long long *n, int64_t *oldest,
    char **cause)
{
	sqlite3_stmt	*s;
	int		 rc;

	*n = 0;
	*oldest = 0;
	if ((s = sq_prepare(st, "SELECT count(*), coalesce(min(created), 0) "
	    "FROM webhook_deliveries WHERE state = 'pending'", cause)) == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		*oldest = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return sq_fail(st, rc, "count deliveries", cause);
	return STORE_OK;
}

static enum store_result
sq_webhook_prune(struct store *st, int64_t before, char **cause)
{
	sqlite3_stmt	*s;

	if ((s = sq_prepare(st, "DELETE FROM webhook_deliveries WHERE "
	    "state != 'pending' AND created < ?1", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, before);
	return sq_write(st, s, 0, "prune deliveries", cause);
}

/* The road cache (store.c has the contracts). */
/* Columns b, km, min (NULL: NaN). */
static void
sq_leg_row(sqlite3_stmt *s, struct road_leg *l)
{
	l->b = sqlite3_column_int64(s, 0);
	l->km = sqlite3_column_type(s, 1) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(s, 1);
	l->min = sqlite3_column_type(s, 2) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(s, 2);
}

static enum store_result
sq_road_from(struct store *st, const char *profile, int64_t a,
    struct road_leg **rows, size_t *n, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	size_t			 i;

	*rows = NULL;
	*n = 0;
	if ((s = sq_prepare(st, "SELECT b, km, min FROM road_legs WHERE "
	    "profile = ?1 AND a = ?2", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, a);
	res = sq_rows(st, s, (void **)rows, n, sizeof(**rows),
	    SQ_FILL(sq_leg_row), NULL, "read road legs", cause);
	for (i = 0; i < *n; i++)
		(*rows)[i].a = a;
	return res;
}

static enum store_result
sq_road_put(struct store *st, const char *profile, const struct road_leg *legs,
    size_t n, int64_t now, long long max, char **cause)
{
	enum store_result	 res;
	sqlite3_stmt		*s;
	int64_t			 count;
	size_t			 i;
	int			 rc = SQLITE_DONE;

	if ((s = sq_prepare(st, "INSERT OR REPLACE INTO road_legs (profile, "
	    "a, b, km, min, fetched) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    cause)) == NULL)
		return STORE_ERROR;
	for (i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_text(s, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, legs[i].a);
		sqlite3_bind_int64(s, 3, legs[i].b);
		if (isnan(legs[i].km) || isnan(legs[i].min)) {
			sqlite3_bind_null(s, 4);
			sqlite3_bind_null(s, 5);
		} else {
			sqlite3_bind_double(s, 4, legs[i].km);
			sqlite3_bind_double(s, 5, legs[i].min);
		}
		sqlite3_bind_int64(s, 6, now);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc, "cache road legs", cause);
	if (max == LLONG_MAX)		/* no trimming asked for */
		return STORE_OK;
	if ((res = sq_int(st, "SELECT count(*) FROM road_legs", 0, NULL,
	    &count, "count road legs", cause)) != STORE_OK || count <= max)
		return res;
	if ((s = sq_prepare(st, "DELETE FROM road_legs WHERE (profile, a, b) "
	    "IN (SELECT profile, a, b FROM road_legs ORDER BY fetched "
	    "LIMIT ?1)", cause)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, count - max);
	return sq_write(st, s, 0, "evict road legs", cause);
}

const struct store_backend store_sqlite_backend = {
	.name = "sqlite",
	.caps = STORE_CAP_SYNC | STORE_CAP_CHECKPOINT,
	.own = sq_own,
	.open = sq_open,
	.close = sq_close,
	.migrate = sq_migrate,
	.version = sq_version,
	.integrity = sq_integrity,
	.backup = sq_backup,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.set_writer = sq_set_writer,
	.sync = sq_sync,
	.checkpoint = sq_checkpoint,
	.pickup_insert = sq_pickup_insert,
	.pickup_get = sq_pickup_get,
	.pickup_history = sq_pickup_history,
	.pickup_list = sq_pickup_list,
	.pickup_amend = sq_pickup_amend,
	.pickup_cancel = sq_pickup_cancel,
	.pickup_counts = sq_pickup_counts,
	.token_add = sq_token_add,
	.token_lookup = sq_token_lookup,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
	.network_put = sq_network_put,
	.network_delete = sq_network_delete,
	.network_load = sq_network_load,
	.plan_create = sq_plan_create,
	.plan_state = sq_plan_state,
	.plan_problem = sq_plan_problem,
	.plan_best = sq_plan_best,
	.plan_get = sq_plan_get,
	.plan_list = sq_plan_list,
	.plan_fail_stale = sq_plan_fail_stale,
	.plan_claim = sq_plan_claim,
	.plan_renew = sq_plan_renew,
	.plan_current = sq_plan_current,
	.plan_last = sq_plan_last,
	.plan_input = sq_plan_input,
	.plan_assignments = sq_plan_assignments,
	.plan_result = sq_plan_result,
	.plan_save = sq_plan_save,
	.plan_routes = sq_plan_routes,
	.pin_confirm = sq_pin_confirm,
	.pin_dispatch = sq_pin_dispatch,
	.field_event = sq_field_event,
	.field_rates = sq_field_rates,
	.webhook_add = sq_webhook_add,
	.webhook_list = sq_webhook_list,
	.webhook_remove = sq_webhook_remove,
	.webhook_redeliver = sq_webhook_redeliver,
	.webhook_due = sq_webhook_due,
	.webhook_record = sq_webhook_record,
	.webhook_deliveries = sq_webhook_deliveries,
	.webhook_pending = sq_webhook_pending,
	.webhook_prune = sq_webhook_prune,
	.road_from = sq_road_from,
	.road_put = sq_road_put,
};
