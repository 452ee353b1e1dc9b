/*
 * store-pg.c -- the PostgreSQL engine; the only file that includes
 * libpq-fe.h.
 *
 * A struct pg is one libpq connection (store.c's struct store comes first
 * in it), held by one thread at a time as store.c says.  Each session
 * runs synchronous_commit = on, so a COMMIT that returned is durable and
 * the group commit needs no sync (no STORE_CAP_SYNC) and no checkpoints.
 * Statements go with PQexecParams, parameters as text (the token hash as
 * binary), so no value is ever spliced into SQL.
 *
 * Results map as in store-sqlite.c: a lost connection, a serialization
 * failure, a deadlock, a full disk or a standby that refuses writes is
 * STORE_UNAVAILABLE (a retry may cure it; the client gets 503); a unique
 * key clash is STORE_CONFLICT, a missing reference STORE_INVALID, anything
 * else STORE_ERROR.  PostgreSQL aborts a transaction at its first failed
 * statement, so a write that may clash inside a caller's transaction runs
 * in a savepoint (pg_guarded), and inserts that expect clashes use
 * ON CONFLICT.  A connection found broken outside a transaction is reset
 * once before the statement.  The contracts of the operations are at
 * their forwards in store.c; the functions here are static, named pg_*,
 * and reached through store_pg_backend at the end of the file.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "recircd.h"
#include "store-int.h"

#define PG_MAXARGS	16
#define PG_PREPARED_MAX	128	/* statements prepared per connection */
/* pg_advisory_xact_lock key of schema migrations: "recircd" in ASCII */
#define PG_MIGRATE_LOCK	0x7265636972636400LL

extern const char *const store_migrations_pg[];

struct pg {
	struct store	 st;		/* first: what callers hold */
	PGconn		*conn;
	char		*name;		/* for messages: no password */
	int		 nested;	/* savepoints inside a transaction */
	/* Statements prepared on this session, by their text's address
	   (every statement here is a literal); named r0, r1, ... */
	const char	*prep[PG_PREPARED_MAX];
	int		 nprep;
};

/* Parameters of one statement, as text (or binary, for bytea). */
struct pg_args {
	int		 n;
	const char	*v[PG_MAXARGS];
	int		 len[PG_MAXARGS];
	int		 fmt[PG_MAXARGS];
	char		 buf[PG_MAXARGS][32];
};

static inline struct pg *
pg(struct store *st)
{
	return (struct pg *)st;
}

static void
pa_text(struct pg_args *a, const char *s)
{
	if (a->n >= PG_MAXARGS)
		fatalx("store-pg: more than %d parameters", PG_MAXARGS);
	a->v[a->n] = s;
	a->len[a->n] = 0;
	a->fmt[a->n] = 0;
	a->n++;
}

static void
pa_int(struct pg_args *a, long long x)
{
	if (a->n >= PG_MAXARGS)
		fatalx("store-pg: more than %d parameters", PG_MAXARGS);
	snprintf(a->buf[a->n], sizeof(a->buf[0]), "%lld", x);
	pa_text(a, a->buf[a->n]);
}

/* A double, exactly (17 digits); NaN is NULL. */
static void
pa_real(struct pg_args *a, double x)
{
	if (a->n >= PG_MAXARGS)
		fatalx("store-pg: more than %d parameters", PG_MAXARGS);
	if (isnan(x)) {
		pa_text(a, NULL);
		return;
	}
	snprintf(a->buf[a->n], sizeof(a->buf[0]), "%.17g", x);
	pa_text(a, a->buf[a->n]);
}

static void
pa_blob(struct pg_args *a, const void *p, int len)
{
	pa_text(a, p);
	a->len[a->n - 1] = len;
	a->fmt[a->n - 1] = 1;
}

/*
 * The connection string for messages: a URI's password, or a keyword
 * string's password=..., masked.
 */
static char *
pg_display(const char *conninfo)
{
	PQconninfoOption	*opt, *o;
	char			*s = NULL, *err = NULL;

	if ((opt = PQconninfoParse(conninfo, &err)) == NULL) {
		PQfreemem(err);
		return xstrdup("(PostgreSQL)");
	}
	for (o = opt; o->keyword != NULL; o++) {
		if (o->val == NULL || *o->val == '\0' || (strcmp(o->keyword,
		    "host") != 0 && strcmp(o->keyword, "hostaddr") != 0 &&
		    strcmp(o->keyword, "port") != 0 && strcmp(o->keyword,
		    "dbname") != 0 && strcmp(o->keyword, "user") != 0))
			continue;
		xappendf(&s, "%s%s=%s", s ? " " : "", o->keyword, o->val);
	}
	PQconninfoFree(opt);
	return s ? s : xstrdup("(PostgreSQL)");
}

/* The server's words, on one line. */
static const char *
pg_message(struct pg *c, const PGresult *r)
{
	static __thread char	 buf[512];
	const char		*m = r ? PQresultErrorMessage(r) : "";
	char			*p;

	if (m == NULL || *m == '\0')
		m = PQerrorMessage(c->conn);
	snprintf(buf, sizeof(buf), "%s", m && *m ? m : "no answer");
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n')
			*p = *(p + 1) == '\0' ? '\0' : ' ';
	return buf;
}

/* What the client should hear of a failed statement. */
static enum store_result
pg_classify(struct pg *c, const PGresult *r)
{
	const char	*s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(c->conn) != CONNECTION_OK || s == NULL)
		return STORE_UNAVAILABLE;
	if (strcmp(s, "23505") == 0)		/* unique_violation */
		return STORE_CONFLICT;
	if (strcmp(s, "23503") == 0)		/* foreign_key_violation */
		return STORE_INVALID;
	if (strncmp(s, "08", 2) == 0 ||		/* connection exception */
	    strncmp(s, "40", 2) == 0 ||		/* serialization, deadlock */
	    strncmp(s, "53", 2) == 0 ||		/* insufficient resources */
	    strncmp(s, "57", 2) == 0 ||		/* shutdown, cancel */
	    strncmp(s, "58", 2) == 0 ||		/* I/O error */
	    strcmp(s, "55P03") == 0 ||		/* lock not available */
	    strcmp(s, "25006") == 0)		/* read-only: a standby */
		return STORE_UNAVAILABLE;
	return STORE_ERROR;
}

/* The session's settings, after connecting or a reset. */
static int
pg_session(struct pg *c, char **cause)
{
	PGresult	*r;
	int		 ok;

	r = PQexec(c->conn, "SET synchronous_commit = on; "
	    "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		xasprintf(cause, "%s: %s", c->name, pg_message(c, r));
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * The name of sql prepared on c's session (name: at least 8 bytes),
 * preparing it the first time; 0 when it could not be (run unprepared).
 * The server then parses and plans each statement once per session, not
 * once per call: the group commit's inserts are a round trip each.
 */
static int
pg_prepared(struct pg *c, const char *sql, char *name, size_t len)
{
	PGresult	*r;
	int		 i, ok;

	for (i = 0; i < c->nprep; i++)
		if (c->prep[i] == sql) {
			snprintf(name, len, "r%d", i);
			return 1;
		}
	if (c->nprep == PG_PREPARED_MAX ||
	    PQtransactionStatus(c->conn) == PQTRANS_INERROR)
		return 0;
	snprintf(name, len, "r%d", c->nprep);
	r = PQprepare(c->conn, name, sql, 0, NULL);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (ok)
		c->prep[c->nprep++] = sql;
	return ok;
}

/*
 * Run sql with args.  STORE_OK with the result in *out (the caller
 * PQclears it) when out is not NULL; else the result class with *cause.
 * A broken connection outside a transaction is reset first.
 */
static enum store_result
pg_run(struct store *st, const char *sql, const struct pg_args *a,
    PGresult **out, const char *what, char **cause)
{
	struct pg		*c = pg(st);
	PGresult		*r;
	ExecStatusType		 s;
	enum store_result	 res;
	char			*why = NULL, name[16];

	if (out != NULL)
		*out = NULL;
	if (PQstatus(c->conn) != CONNECTION_OK &&
	    PQtransactionStatus(c->conn) != PQTRANS_INTRANS) {
		PQreset(c->conn);
		c->nested = 0;
		c->nprep = 0;		/* a new session has none */
		if (PQstatus(c->conn) == CONNECTION_OK &&
		    pg_session(c, &why) == -1) {
			log_warnx("%s", why);
			x_free(why);
		}
	}
	/* Without parameters PQexec, which runs several statements (a
	 * migration's file) in one go. */
	if (a == NULL)
		r = PQexec(c->conn, sql);
	else if (pg_prepared(c, sql, name, sizeof(name)))
		r = PQexecPrepared(c->conn, name, a->n, a->v, a->len, a->fmt,
		    0);
	else
		r = PQexecParams(c->conn, sql, a->n, NULL, a->v, a->len,
		    a->fmt, 0);
	s = PQresultStatus(r);
	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		if (out != NULL)
			*out = r;
		else
			PQclear(r);
		return STORE_OK;
	}
	res = pg_classify(c, r);
	if (cause != NULL)
		xasprintf(cause, "%s: %s: %s", c->name, what, pg_message(c, r));
	PQclear(r);
	return res;
}

/* A statement with no result and no parameters; -1 with *cause. */
static int
pg_exec(struct store *st, const char *sql, char **cause)
{
	return pg_run(st, sql, NULL, NULL, sql, cause) == STORE_OK ? 0 : -1;
}

/*
 * A write.  No row changed, when must_change, is STORE_NOTFOUND; *changed
 * (when not NULL) gets the count.
 */
static enum store_result
pg_write(struct store *st, const char *sql, const struct pg_args *a,
    int must_change, long *changed, const char *what, char **cause)
{
	enum store_result	 res;
	PGresult		*r;
	long			 n;

	if ((res = pg_run(st, sql, a, &r, what, cause)) != STORE_OK)
		return res;
	n = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (changed != NULL)
		*changed = n;
	return must_change && n == 0 ? STORE_NOTFOUND : STORE_OK;
}

/*
 * A write that may clash (a key, a reference): inside a transaction it
 * runs in a savepoint, so a clash leaves the caller's transaction usable,
 * as the contract of STORE_CONFLICT and STORE_INVALID says.
 */
static enum store_result
pg_guarded(struct store *st, const char *sql, const struct pg_args *a,
    int must_change, const char *what, char **cause)
{
	enum store_result	 res;
	int			 tx;

	tx = PQtransactionStatus(pg(st)->conn) == PQTRANS_INTRANS;
	if (tx && pg_exec(st, "SAVEPOINT guard", cause) == -1)
		return STORE_UNAVAILABLE;
	res = pg_write(st, sql, a, must_change, NULL, what, cause);
	if (!tx)
		return res;
	if (res == STORE_CONFLICT || res == STORE_INVALID)
		pg_exec(st, "ROLLBACK TO SAVEPOINT guard", NULL);
	if (pg_exec(st, "RELEASE SAVEPOINT guard", res == STORE_OK ? cause :
	    NULL) == -1 && res == STORE_OK)
		return STORE_UNAVAILABLE;
	return res;
}

/* Column helpers: NULL reads as NULL, 0 or "". */
static const char *
pv(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static char *
pg_text(const PGresult *r, int row, int col)
{
	const char	*v = pv(r, row, col);

	return v ? xstrdup(v) : NULL;
}

static int64_t
pg_i64(const PGresult *r, int row, int col)
{
	const char	*v = pv(r, row, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

static double
pg_dbl(const PGresult *r, int row, int col)
{
	const char	*v = pv(r, row, col);

	return v ? strtod(v, NULL) : 0;
}

static void
pg_copy(const PGresult *r, int row, int col, char *out, size_t size)
{
	const char	*v = pv(r, row, col);

	snprintf(out, size, "%s", v ? v : "");
}

/* Run sql and append each row, read by fill, to *arr (elements of size). */
static enum store_result
pg_collect(struct store *st, const char *sql, const struct pg_args *a,
    void **arr, size_t *n, size_t size,
    void (*fill)(const PGresult *, int, void *), const char *what,
    char **cause)
{
	enum store_result	 res;
	PGresult		*r;
	int			 i, rows;

	*arr = NULL;
	*n = 0;
	if ((res = pg_run(st, sql, a, &r, what, cause)) != STORE_OK)
		return res;
	rows = PQntuples(r);
	if (rows > 0) {
		*arr = xcalloc(rows, size);
		for (i = 0; i < rows; i++)
			fill(r, i, (char *)*arr + (size_t)i * size);
	}
	*n = rows;
	PQclear(r);
	return STORE_OK;
}

#define PG_FILL(f) ((void (*)(const PGresult *, int, void *))(f))

/*
 * The integer sql selects (row 0, column 0) in *v: STORE_NOTFOUND, *v 0,
 * when it selects no row or NULL; a failure when it cannot be read, so
 * that a read error is never taken for an answer.
 */
static enum store_result
pg_int(struct store *st, const char *sql, const struct pg_args *a,
    int64_t *v, const char *what, char **cause)
{
	enum store_result	 res;
	PGresult		*r;

	*v = 0;
	if ((res = pg_run(st, sql, a, &r, what, cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
		*v = pg_i64(r, 0, 0);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

/* Nothing of a PostgreSQL database lives in local files. */
static int
pg_own(const char *conninfo, const struct passwd *pw, char **cause)
{
	return 0;
}

static void
pg_close(struct store *st)
{
	if (st == NULL)
		return;
	if (pg(st)->conn != NULL)
		PQfinish(pg(st)->conn);
	x_free(pg(st)->name);
	x_free(pg(st));
}

/*
 * Connect.  create is for engines that keep a database in a file: a
 * PostgreSQL database is created by its administrator (createdb).
 */
static struct store *
pg_open(const char *conninfo, int create, char **cause)
{
	struct pg	*c = xcalloc(1, sizeof(*c));

	c->name = pg_display(conninfo);
	c->conn = PQconnectdb(conninfo);
	if (c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK) {
		xasprintf(cause, "%s: %s", c->name, c->conn ?
		    pg_message(c, NULL) : "out of memory");
		pg_close(&c->st);
		return NULL;
	}
	if (pg_session(c, cause) == -1) {
		pg_close(&c->st);
		return NULL;
	}
	return &c->st;
}

/* The schema version: the one row of recircd_schema, 0 before any. */
static int
pg_version(struct store *st)
{
	int64_t	n;

	if (pg_int(st, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
	    "tablename = 'recircd_schema' AND schemaname = "
	    "current_schema()", NULL, &n, "read schema", NULL) != STORE_OK ||
	    n != 1)
		return 0;
	if (pg_int(st, "SELECT coalesce(max(version), 0) FROM "
	    "recircd_schema", NULL, &n, "read schema", NULL) != STORE_OK)
		return 0;
	return (int)n;
}

static int	pg_begin(struct store *, char **);
static int	pg_commit(struct store *, char **);
static void	pg_rollback(struct store *);

/*
 * Apply the embedded migrations newer than the schema version, each in
 * its own transaction together with the version bump, under an advisory
 * lock so that two nodes starting together do not both migrate.  A
 * database newer than this program is refused.
 */
static int
pg_migrate(struct store *st, char **cause)
{
	struct pg_args	 a = { 0 };
	int		 have, want;

	for (want = 0; store_migrations_pg[want] != NULL; want++)
		;
	for (;;) {
		if (pg_begin(st, cause) == -1)
			return -1;
		pa_int(&a, PG_MIGRATE_LOCK);
		if (pg_run(st, "SELECT pg_advisory_xact_lock($1::bigint)", &a,
		    NULL, "migration lock", cause) != STORE_OK ||
		    pg_exec(st, "CREATE TABLE IF NOT EXISTS recircd_schema "
		    "(version integer NOT NULL)", cause) == -1)
			goto fail;
		a.n = 0;
		if ((have = pg_version(st)) < 0) {
			xasprintf(cause, "%s: cannot read the schema version",
			    pg(st)->name);
			goto fail;
		}
		if (have > want) {
			xasprintf(cause, "%s: schema version %d is newer than "
			    "this recircd (%d)", pg(st)->name, have, want);
			goto fail;
		}
		if (have == want)
			return pg_commit(st, cause);
		pa_int(&a, have + 1);
		if (pg_exec(st, store_migrations_pg[have], cause) == -1 ||
		    pg_write(st, have == 0 ? "INSERT INTO recircd_schema "
		    "(version) VALUES ($1::integer)" : "UPDATE recircd_schema "
		    "SET version = $1::integer", &a, 1, NULL, "schema version",
		    cause) != STORE_OK || pg_commit(st, cause) == -1)
			goto fail;
		a.n = 0;
		log_info("%s: migrated schema to version %d", pg(st)->name,
		    have + 1);
	}
fail:
	pg_rollback(st);
	return -1;
}

/* Nothing to check beyond what the server guarantees: it answers. */
static int
pg_integrity(struct store *st, char **cause)
{
	int64_t	one;

	if (pg_int(st, "SELECT 1", NULL, &one, "check", NULL) != STORE_OK ||
	    one != 1) {
		xasprintf(cause, "%s: %s", pg(st)->name,
		    pg_message(pg(st), NULL));
		return -1;
	}
	return 0;
}

static int
pg_begin(struct store *st, char **cause)
{
	/*
	 * Inside a transaction (a write run by the group commit inside its
	 * batch) a savepoint, as in store-sqlite.c.
	 */
	if (PQtransactionStatus(pg(st)->conn) == PQTRANS_INTRANS) {
		if (pg_exec(st, "SAVEPOINT nested", cause) == -1)
			return -1;
		pg(st)->nested++;
		return 0;
	}
	pg(st)->nested = 0;
	return pg_exec(st, "BEGIN", cause);
}

static int
pg_commit(struct store *st, char **cause)
{
	if (pg(st)->nested > 0) {
		pg(st)->nested--;
		return pg_exec(st, "RELEASE SAVEPOINT nested", cause);
	}
	return pg_exec(st, "COMMIT", cause);
}

static void
pg_rollback(struct store *st)
{
	PGTransactionStatusType	t = PQtransactionStatus(pg(st)->conn);

	if (t != PQTRANS_INTRANS && t != PQTRANS_INERROR) {
		pg(st)->nested = 0;
		return;
	}
	if (pg(st)->nested > 0) {
		pg(st)->nested--;
		pg_exec(st, "ROLLBACK TO SAVEPOINT nested", NULL);
		pg_exec(st, "RELEASE SAVEPOINT nested", NULL);
		return;
	}
	pg_exec(st, "ROLLBACK", NULL);
}

/* COMMIT is durable by itself (synchronous_commit = on): nothing to do. */
static int
pg_set_writer(struct store *st, void (*want)(void *), void *arg,
    char **cause)
{
	return 0;
}

static int
pg_sync(struct store *st, char **cause)
{
	return 0;
}

static int
pg_checkpoint(struct store *st, char **cause)
{
	return 0;
}

/*
 * The current plan's word on a pickup, and its pin while it is scheduled
 * (a pin outlives a cancel, where it binds nothing): columns 7 to 15 of a
 * pickup row (FROM pickups).
 */
#define PG_PIN(col) "(SELECT " col " FROM pickup_pins WHERE " \
	"pickup_id = pickups.id AND pickups.status = 'scheduled')"
#define PG_PICKUP_COLS "id, operator, reference, status, body, created, " \
	"updated"
#define PG_PLAN_COLS "plan_id, plan_day, plan_vehicle, plan_seq, " \
	"plan_eta, defer_reason, " PG_PIN("kind") ", " PG_PIN("at") ", " \
	PG_PIN("actor")

/* Columns id, operator, reference, status, body, created, updated. */
static void
pg_row(const PGresult *r, int i, struct pickup_row *p)
{
	const char	*status = pv(r, i, 3);

	p->id = pg_i64(r, i, 0);
	p->operator = pg_text(r, i, 1);
	p->reference = pg_text(r, i, 2);
	p->status = status ? pickup_status_parse(status) : -1;
	p->body = pg_text(r, i, 4);
	p->created = pg_i64(r, i, 5);
	p->updated = pg_i64(r, i, 6);
	if (PQnfields(r) < 16)
		return;
	p->plan_id = pg_i64(r, i, 7);
	pg_copy(r, i, 8, p->plan_day, sizeof(p->plan_day));
	pg_copy(r, i, 9, p->plan_vehicle, sizeof(p->plan_vehicle));
	p->plan_seq = (int)pg_i64(r, i, 10);
	pg_copy(r, i, 11, p->plan_eta, sizeof(p->plan_eta));
	pg_copy(r, i, 12, p->defer_reason, sizeof(p->defer_reason));
	pg_copy(r, i, 13, p->pin, sizeof(p->pin));
	p->pin_at = pg_i64(r, i, 14);
	p->pin_by = pg_text(r, i, 15);
}

static enum store_result
pg_event_add(struct store *st, int64_t id, int status, int64_t at,
    const char *actor, const char *detail, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_text(&a, pickup_status_name(status));
	pa_int(&a, at);
	pa_text(&a, actor);
	pa_text(&a, detail);
	return pg_write(st, "INSERT INTO pickup_events (pickup_id, status, "
	    "at, actor, detail) VALUES ($1, $2, $3, $4, $5)", &a, 1, NULL,
	    "insert event", cause);
}

/*
 * The outbox: one delivery of event for pickup id to each live webhook of
 * the pickup's operator that wants it, in the caller's transaction; the
 * data as store-sqlite.c makes it (extra merged in, its nulls dropped, as
 * SQLite's json_patch does).
 */
static enum store_result
pg_webhook_enqueue(struct store *st, int64_t id, enum wh_event ev,
    const char *extra, int64_t now, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_text(&a, wh_event_name(ev));
	pa_text(&a, extra);
	pa_int(&a, now);
	return pg_write(st, "INSERT INTO webhook_deliveries (webhook, "
	    "pickup_id, event, data, created, next_at) SELECT w.id, p.id, "
	    "$2::text, (jsonb_build_object('pickup', p.id, 'reference', "
	    "p.reference, 'status', p.status) || "
	    "jsonb_strip_nulls(coalesce($3::text, '{}')::jsonb))::text, "
	    "$4::bigint, $4::bigint FROM pickups p JOIN webhooks w ON "
	    "w.operator = p.operator AND w.removed = 0 WHERE p.id = $1 AND "
	    "position(',' || $2::text || ',' in ',' || w.events || ',') > 0",
	    &a, 0, NULL, "queue webhook deliveries", cause);
}

/* The news of a change goes through these two (store-rows.c). */
static const struct store_teller pg_teller = {
	pg_event_add,
	pg_webhook_enqueue
};

/*
 * Look for an earlier submission of op's with the given idempotency key
 * (by_key) or reference; STORE_REPLAY (same canonical body) /
 * STORE_CONFLICT fill out, STORE_NOTFOUND means none.
 */
static enum store_result
pg_pickup_find(struct store *st, int by_key, const char *op,
    const char *value, const char *body, struct pickup_row *out,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	pa_text(&a, op);
	pa_text(&a, value);
	if ((res = pg_run(st, by_key ? "SELECT " PG_PICKUP_COLS " FROM "
	    "pickups WHERE operator = $1 AND idem_key = $2" : "SELECT "
	    PG_PICKUP_COLS " FROM pickups WHERE operator = $1 AND "
	    "reference = $2", &a, &r, "find pickup", cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0) {
		pg_row(r, 0, out);
		res = out->body != NULL && strcmp(out->body, body) == 0 ?
		    STORE_REPLAY : STORE_CONFLICT;
	}
	PQclear(r);
	return res;
}

static enum store_result
pg_pickup_insert(struct store *st, const struct pickup_new *p,
    int64_t now, struct pickup_row *out, int *on_key, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	int			 rows;
	int64_t			 n;

	memset(out, 0, sizeof(*out));
	*on_key = 0;
	if (p->idem_key != NULL) {
		res = pg_pickup_find(st, 1, p->operator, p->idem_key, p->body,
		    out, cause);
		if (res != STORE_NOTFOUND) {
			*on_key = 1;
			return res;
		}
	}
	/* A clash (a retry) inserts nothing and looks its original up. */
	pa_text(&a, p->operator);
	pa_text(&a, p->reference);
	pa_text(&a, p->idem_key);
	pa_real(&a, p->lat);
	pa_real(&a, p->lon);
	pa_text(&a, p->window_from);
	pa_text(&a, p->window_to);
	pa_text(&a, p->body);
	pa_int(&a, now);
	pa_text(&a, p->region[0] != '\0' ? p->region : NULL);
	/* A region must be one that centres name (none: nothing stored). */
	if ((res = pg_run(st, "INSERT INTO pickups (operator, reference, "
	    "idem_key, status, lat, lon, window_from, window_to, body, "
	    "created, updated, region) SELECT $1, $2, $3, 'received', $4, "
	    "$5, $6, $7, $8, $9, $9, $10 WHERE $10::text IS NULL OR EXISTS "
	    "(SELECT 1 FROM centres WHERE region = $10) ON CONFLICT DO "
	    "NOTHING RETURNING id", &a, &r,
	    "insert pickup", cause)) != STORE_OK)
		return res;
	if ((rows = PQntuples(r)) > 0)
		out->id = pg_i64(r, 0, 0);
	PQclear(r);
	if (rows == 0 && p->region[0] != '\0') {
		a.n = 0;
		pa_text(&a, p->region);
		if (pg_int(st, "SELECT count(*) FROM centres WHERE region = $1",
		    &a, &n, "read centres", NULL) == STORE_OK && n == 0) {
			xasprintf(cause, "no centre is in region %s",
			    p->region);
			return STORE_INVALID;
		}
	}
	if (rows == 0) {
		res = pg_pickup_find(st, 0, p->operator, p->reference, p->body,
		    out, cause);
		if (res == STORE_NOTFOUND && p->idem_key != NULL) {
			/* the key, taken meanwhile by another node */
			res = pg_pickup_find(st, 1, p->operator, p->idem_key,
			    p->body, out, cause);
			*on_key = res != STORE_NOTFOUND;
		}
		if (res == STORE_NOTFOUND) {
			xasprintf(cause, "%s: insert pickup: a clash with no "
			    "row to show", pg(st)->name);
			res = STORE_ERROR;
		}
		return res;
	}
	out->created = out->updated = now;
	out->status = PICKUP_RECEIVED;
	/* No event row: the pickup row itself records its submission. */
	return STORE_OK;
}

/* A growing text buffer for array literals. */
struct pg_buf {
	char	*s;
	size_t	 len, cap;
};

static void
pb_put(struct pg_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* One element of a text[] literal: NULL, or quoted with \ and " escaped. */
static void
pb_elem(struct pg_buf *b, const char *v)
{
	const char	*q;

	pb_put(b, b->len == 0 ? "{" : ",", 1);
	if (v == NULL) {
		pb_put(b, "NULL", 4);
		return;
	}
	pb_put(b, "\"", 1);
	for (; (q = strpbrk(v, "\"\\")) != NULL; v = q + 1) {
		pb_put(b, v, q - v);
		pb_put(b, "\\", 1);
		pb_put(b, q, 1);
	}
	pb_put(b, v, strlen(v));
	pb_put(b, "\"", 1);
}

static void
pb_real(struct pg_buf *b, double x)
{
	char	v[32];

	snprintf(v, sizeof(v), "%.17g", x);
	pb_elem(b, v);
}

/*
 * Many pickups in one statement: one round trip for a whole batch of the
 * group commit instead of one each (a third of SQLite's intake was the
 * writer waiting on the socket).  The columns go as arrays, unnested in
 * order; ON CONFLICT DO NOTHING skips a clash on a reference or a key,
 * and the region test skips a region no centre names, exactly as
 * pg_pickup_insert's statement does for one: those are left (ins[i] 0)
 * to pg_pickup_insert, which tells a replay from a conflict.  The caller
 * gives no two with one operator's reference or key, so the rows
 * returned match their pickups by (operator, reference).
 */
#define PG_MANY_COLS	9
static enum store_result
pg_pickup_insert_many(struct store *st, const struct pickup_new *const *p,
    size_t n, int64_t now, struct pickup_row *const *out, int *ins,
    char **cause)
{
	struct pg_buf		 b[PG_MANY_COLS];
	struct pg_args		 a = { 0 };
	enum store_result	 res;
	PGresult		*r;
	const char		*op, *ref;
	size_t			 i, k;
	int			 row;

	memset(b, 0, sizeof(b));
	for (i = 0; i < n; i++) {
		ins[i] = 0;
		pb_elem(&b[0], p[i]->operator);
		pb_elem(&b[1], p[i]->reference);
		pb_elem(&b[2], p[i]->idem_key);
		pb_real(&b[3], p[i]->lat);
		pb_real(&b[4], p[i]->lon);
		pb_elem(&b[5], p[i]->window_from);
		pb_elem(&b[6], p[i]->window_to);
		pb_elem(&b[7], p[i]->body);
		pb_elem(&b[8], p[i]->region[0] != '\0' ? p[i]->region : NULL);
	}
	for (k = 0; k < PG_MANY_COLS; k++) {
		if (b[k].len == 0)
			pb_put(&b[k], "{", 1);
		pb_put(&b[k], "}", 1);
		pa_text(&a, b[k].s);
	}
	pa_int(&a, now);
	res = pg_run(st, "INSERT INTO pickups (operator, reference, "
	    "idem_key, status, lat, lon, window_from, window_to, body, "
	    "created, updated, region) SELECT u.op, u.ref, u.ikey, "
	    "'received', u.la, u.lo, u.wf, u.wt, u.bd, $10, $10, u.rg FROM "
	    "unnest($1::text[], $2::text[], $3::text[], $4::float8[], "
	    "$5::float8[], $6::text[], $7::text[], $8::text[], $9::text[]) "
	    "WITH ORDINALITY AS u(op, ref, ikey, la, lo, wf, wt, bd, rg, n) "
	    "WHERE u.rg IS NULL OR EXISTS (SELECT 1 FROM centres WHERE "
	    "region = u.rg) ORDER BY u.n ON CONFLICT DO NOTHING "
	    "RETURNING id, operator, reference", &a, &r, "insert pickups",
	    cause);
	for (k = 0; k < PG_MANY_COLS; k++)
		free(b[k].s);
	if (res != STORE_OK)
		return res;
	for (row = 0; row < PQntuples(r); row++) {
		op = PQgetvalue(r, row, 1);
		ref = PQgetvalue(r, row, 2);
		for (i = 0; i < n; i++)
			if (!ins[i] && strcmp(p[i]->operator, op) == 0 &&
			    strcmp(p[i]->reference, ref) == 0)
				break;
		if (i == n) {
			PQclear(r);
			xasprintf(cause, "%s: insert pickups: row %s/%s "
			    "matches no pickup", pg(st)->name, op, ref);
			return STORE_ERROR;
		}
		memset(out[i], 0, sizeof(*out[i]));
		out[i]->id = pg_i64(r, row, 0);
		out[i]->created = out[i]->updated = now;
		out[i]->status = PICKUP_RECEIVED;
		ins[i] = 1;
	}
	PQclear(r);
	return STORE_OK;
}

static enum store_result
pg_pickup_get(struct store *st, int64_t id, const char *op,
    struct pickup_row *out, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	memset(out, 0, sizeof(*out));
	pa_int(&a, id);
	pa_text(&a, op);
	if ((res = pg_run(st, "SELECT " PG_PICKUP_COLS ", " PG_PLAN_COLS
	    " FROM pickups WHERE id = $1 AND ($2::text IS NULL OR "
	    "operator = $2)", &a, &r, "get pickup", cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0) {
		pg_row(r, 0, out);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

static void
pg_event_row(const PGresult *r, int i, struct pickup_event *e)
{
	const char	*status = pv(r, i, 0);

	e->status = status ? pickup_status_parse(status) : -1;
	e->at = pg_i64(r, i, 1);
	e->actor = pg_text(r, i, 2);
	e->detail = pg_text(r, i, 3);
}

static enum store_result
pg_pickup_history(struct store *st, int64_t id, struct pickup_event **ev,
    size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	return pg_collect(st, "SELECT 'received', created, operator, NULL, "
	    "0::bigint FROM pickups WHERE id = $1 UNION ALL "
	    "SELECT status, at, actor, detail, id FROM pickup_events "
	    "WHERE pickup_id = $1 ORDER BY 5", &a, (void **)ev, n,
	    sizeof(**ev), PG_FILL(pg_event_row), "history", cause);
}

static enum store_result
pg_pickup_list(struct store *st, const struct pickup_query *q,
    struct pickup_row **rows, size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, q->after_id);
	pa_text(&a, q->operator);
	pa_text(&a, q->status >= 0 ? pickup_status_name(q->status) : NULL);
	pa_int(&a, q->since);
	pa_int(&a, q->limit);
	pa_text(&a, q->reference);
	pa_text(&a, q->day_before);
	/* planned with the values bound (an unnamed statement), so a NULL
	 * test drops out and a reference uses its index */
	return pg_collect(st, "SELECT " PG_PICKUP_COLS ", " PG_PLAN_COLS
	    " FROM pickups WHERE id > $1 AND ($2::text IS NULL OR "
	    "operator = $2) AND ($3::text IS NULL OR status = $3) AND "
	    "created >= $4 AND ($6::text IS NULL OR reference = $6) AND "
	    "($7::text IS NULL OR plan_day < $7) ORDER BY id LIMIT $5", &a, (void **)rows, n,
	    sizeof(**rows), PG_FILL(pg_row), "list", cause);
}

static enum store_result
pg_pickup_amend(struct store *st, struct pickup_amend *a, char **cause)
{
	enum store_result	 res;
	struct pg_args		 q = { 0 };
	struct pickup_row	 row;
	int64_t			 n;
	int			 unsched;

	/* The row locked first: a plan saved meanwhile waits for us. */
	pa_int(&q, a->id);
	if ((res = pg_run(st, "SELECT 1 FROM pickups WHERE id = $1 FOR "
	    "UPDATE", &q, NULL, "amend", cause)) != STORE_OK)
		return res;
	if ((res = pg_pickup_get(st, a->id, a->op, &row, cause)) != STORE_OK)
		return res;
	res = store_amend_check(a, &row);
	pickup_row_clear(&row);
	if (res != STORE_OK)
		return res;
	if (a->p->region[0] != '\0') {
		q.n = 0;
		pa_text(&q, a->p->region);
		if ((res = pg_int(st, "SELECT count(*) FROM centres WHERE "
		    "region = $1", &q, &n, "read centres", cause)) != STORE_OK)
			return res;
		if (n == 0) {
			a->bad_region = 1;
			return STORE_INVALID;
		}
	}
	unsched = (a->changed & PM_PLANNED) && a->status == PICKUP_SCHEDULED;
	q.n = 0;
	pa_int(&q, a->id);
	pa_text(&q, a->p->body);
	pa_real(&q, a->p->lat);
	pa_real(&q, a->p->lon);
	pa_text(&q, a->p->window_from);
	pa_text(&q, a->p->window_to);
	pa_text(&q, a->p->region[0] != '\0' ? a->p->region : NULL);
	pa_int(&q, a->now);
	if ((res = pg_write(st, "UPDATE pickups SET body = $2, lat = $3, "
	    "lon = $4, window_from = $5, window_to = $6, region = $7, "
	    "updated = $8 WHERE id = $1", &q, 1, NULL, "amend pickup",
	    cause)) != STORE_OK)
		return res;
	/* Its place in the current plan no longer holds, nor its pin. */
	q.n = 0;
	pa_int(&q, a->id);
	if (unsched) {
		if ((res = pg_write(st, "UPDATE pickups SET status = "
		    "'received', plan_day = NULL, plan_vehicle = NULL, "
		    "plan_seq = NULL, plan_eta = NULL, defer_reason = "
		    "'amended' WHERE id = $1", &q, 1, NULL, "amend pickup",
		    cause)) != STORE_OK)
			return res;
		a->status = PICKUP_RECEIVED;
	}
	if ((a->changed & PM_PLANNED) && (res = pg_write(st, "DELETE FROM "
	    "pickup_pins WHERE pickup_id = $1", &q, 0, NULL, "unpin",
	    cause)) != STORE_OK)
		return res;
	return store_tell_amended(st, &pg_teller, a, unsched, cause);
}

static enum store_result
pg_pickup_cancel(struct store *st, int64_t id, const char *op,
    const char *actor, int64_t now, struct pickup_row *out, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };

	/* The row locked first: a plan saved meanwhile waits for us. */
	pa_int(&a, id);
	if ((res = pg_run(st, "SELECT 1 FROM pickups WHERE id = $1 FOR "
	    "UPDATE", &a, NULL, "cancel", cause)) != STORE_OK)
		return res;
	if ((res = pg_pickup_get(st, id, op, out, cause)) != STORE_OK)
		return res;
	if (out->status == PICKUP_CANCELLED)
		return STORE_OK;
	if (!pickup_can_cancel(out->status))
		return STORE_INVALID;
	pa_int(&a, now);
	if ((res = pg_write(st, "UPDATE pickups SET status = 'cancelled', "
	    "updated = $2 WHERE id = $1", &a, 1, NULL, "cancel", cause)) !=
	    STORE_OK)
		return res;
	out->status = PICKUP_CANCELLED;
	out->updated = now;
	return store_tell_cancelled(st, &pg_teller, id, actor, now, cause);
}

static enum store_result
pg_pickup_counts(struct store *st, const char *op,
    long long counts[PICKUP_STATUS_COUNT], char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	int			 i, k;

	memset(counts, 0, sizeof(long long) * PICKUP_STATUS_COUNT);
	pa_text(&a, op);
	if ((res = pg_run(st, "SELECT status, count(*) FROM pickups WHERE "
	    "$1::text IS NULL OR operator = $1 GROUP BY status", &a, &r,
	    "counts", cause)) != STORE_OK)
		return res;
	for (i = 0; i < PQntuples(r); i++)
		if ((k = pickup_status_parse(PQgetvalue(r, i, 0))) >= 0)
			counts[k] = pg_i64(r, i, 1);
	PQclear(r);
	return STORE_OK;
}

static enum store_result
pg_token_add(struct store *st, const char *op, enum role role,
    const unsigned char hash[TOKEN_HASH_LEN], int64_t now, int64_t *id,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	pa_text(&a, op);
	pa_text(&a, role_name(role));
	pa_blob(&a, hash, TOKEN_HASH_LEN);
	pa_int(&a, now);
	if ((res = pg_run(st, "INSERT INTO tokens (operator, role, hash, "
	    "created) VALUES ($1, $2, $3::bytea, $4) RETURNING id", &a, &r,
	    "add token", cause)) != STORE_OK)
		return res;
	*id = pg_i64(r, 0, 0);
	PQclear(r);
	return STORE_OK;
}

static enum store_result
pg_token_lookup(struct store *st, const unsigned char hash[TOKEN_HASH_LEN],
    char **op, enum role *role, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	int			 k;

	*op = NULL;
	pa_blob(&a, hash, TOKEN_HASH_LEN);
	if ((res = pg_run(st, "SELECT operator, role FROM tokens WHERE "
	    "hash = $1::bytea AND revoked IS NULL", &a, &r, "token lookup",
	    cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0 && (k = role_parse(PQgetvalue(r, 0, 1))) >= 0) {
		*op = pg_text(r, 0, 0);
		*role = k;
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

static void
pg_token_row(const PGresult *r, int i, struct token_row *t)
{
	const char	*role = pv(r, i, 2);

	t->id = pg_i64(r, i, 0);
	t->operator = pg_text(r, i, 1);
	t->role = role ? role_parse(role) : -1;
	t->created = pg_i64(r, i, 3);
	t->revoked = pg_i64(r, i, 4);
}

static enum store_result
pg_token_list(struct store *st, struct token_row **rows, size_t *n,
    char **cause)
{
	return pg_collect(st, "SELECT id, operator, role, created, revoked "
	    "FROM tokens ORDER BY id", NULL, (void **)rows, n, sizeof(**rows),
	    PG_FILL(pg_token_row), "list tokens", cause);
}

static enum store_result
pg_token_revoke(struct store *st, int64_t id, int64_t now, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_int(&a, now);
	return pg_write(st, "UPDATE tokens SET revoked = $2 WHERE id = $1 "
	    "AND revoked IS NULL", &a, 1, NULL, "revoke token", cause);
}

/*
 * The network: each table's parameters bind its object's key first ($1,
 * or $1-$3 for a rule) and its other columns after, then now where it
 * keeps times, as in store-sqlite.c.
 */
static void
pg_centre_args(struct pg_args *a, const void *obj, int64_t now)
{
	const struct centre	*c = obj;
	int			 k;

	pa_text(a, c->id);
	pa_text(a, c->name);
	pa_real(a, c->lat);
	pa_real(a, c->lon);
	pa_int(a, c->existing);
	pa_real(a, c->fixed_cost);
	for (k = 0; k < STREAM_COUNT; k++)
		pa_real(a, c->capacity[k]);
	pa_text(a, c->opens);
	pa_text(a, c->closes);
	pa_int(a, now);
	pa_text(a, c->region);
}

static void
pg_centre_row(const PGresult *r, int i, void *obj)
{
	struct centre	*c = obj;
	int		 k;

	pg_copy(r, i, 0, c->id, sizeof(c->id));
	pg_copy(r, i, 1, c->name, sizeof(c->name));
	c->lat = pg_dbl(r, i, 2);
	c->lon = pg_dbl(r, i, 3);
	c->existing = (int)pg_i64(r, i, 4);
	c->fixed_cost = pg_dbl(r, i, 5);
	for (k = 0; k < STREAM_COUNT; k++)
		c->capacity[k] = pg_dbl(r, i, 6 + k);
	pg_copy(r, i, 10, c->opens, sizeof(c->opens));
	pg_copy(r, i, 11, c->closes, sizeof(c->closes));
	pg_copy(r, i, 12, c->region, sizeof(c->region));
}

static void
pg_vehicle_args(struct pg_args *a, const void *obj, int64_t now)
{
	const struct vehicle_type	*v = obj;

	pa_text(a, v->id);
	pa_text(a, v->centre);
	pa_int(a, v->count);
	pa_real(a, v->cap_kg);
	pa_real(a, v->cap_m3);
	pa_int(a, v->cap_items);
	pa_real(a, v->fixed_cost);
	pa_real(a, v->cost_per_km);
	pa_real(a, v->cost_per_hour);
	pa_int(a, v->shift_min);
	pa_int(a, v->max_stops);
	pa_real(a, v->co2_per_km);
	pa_text(a, v->skills);
	pa_int(a, now);
}

static void
pg_vehicle_row(const PGresult *r, int i, void *obj)
{
	struct vehicle_type	*v = obj;

	pg_copy(r, i, 0, v->id, sizeof(v->id));
	pg_copy(r, i, 1, v->centre, sizeof(v->centre));
	v->count = (int)pg_i64(r, i, 2);
	v->cap_kg = pg_dbl(r, i, 3);
	v->cap_m3 = pg_dbl(r, i, 4);
	v->cap_items = (int)pg_i64(r, i, 5);
	v->fixed_cost = pg_dbl(r, i, 6);
	v->cost_per_km = pg_dbl(r, i, 7);
	v->cost_per_hour = pg_dbl(r, i, 8);
	v->shift_min = (int)pg_i64(r, i, 9);
	v->max_stops = (int)pg_i64(r, i, 10);
	v->co2_per_km = pg_dbl(r, i, 11);
	pg_copy(r, i, 12, v->skills, sizeof(v->skills));
}

static void
pg_processor_args(struct pg_args *a, const void *obj, int64_t now)
{
	const struct processor	*p = obj;

	pa_text(a, p->id);
	pa_text(a, stream_name(p->stream));
	pa_text(a, p->name);
	pa_real(a, p->cost_per_kg);
}

static void
pg_processor_row(const PGresult *r, int i, void *obj)
{
	struct processor	*p = obj;

	pg_copy(r, i, 0, p->id, sizeof(p->id));
	p->stream = stream_parse(PQgetvalue(r, i, 1));
	pg_copy(r, i, 2, p->name, sizeof(p->name));
	p->cost_per_kg = pg_dbl(r, i, 3);
}

static void
pg_rule_args(struct pg_args *a, const void *obj, int64_t now)
{
	const struct stream_rule	*s = obj;

	pa_text(a, s->category);
	pa_text(a, s->condition);
	pa_text(a, stream_name(s->stream));
	pa_real(a, s->value);
}

static void
pg_rule_row(const PGresult *r, int i, void *obj)
{
	struct stream_rule	*s = obj;

	pg_copy(r, i, 0, s->category, sizeof(s->category));
	pg_copy(r, i, 1, s->condition, sizeof(s->condition));
	s->stream = stream_parse(PQgetvalue(r, i, 2));
	s->value = pg_dbl(r, i, 3);
}

/* The SQL of each network table, as store-sqlite.c's sq_nets. */
static const struct pg_net {
	const char	*insert, *update, *delete, *select;
	void		(*args)(struct pg_args *, const void *, int64_t);
	void		(*fill)(const PGresult *, int, void *);
} pg_nets[NET_KIND_COUNT] = {
	[NET_CENTRE] = {
	    "INSERT INTO centres (id, name, lat, lon, existing, fixed_cost, "
	    "cap_repair, cap_reuse, cap_recycle, cap_dispose, opens, closes, "
	    "created, updated, region) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10, $11, $12, $13, $13, $14)",
	    "UPDATE centres SET name = $2, lat = $3, lon = $4, existing = $5, "
	    "fixed_cost = $6, cap_repair = $7, cap_reuse = $8, "
	    "cap_recycle = $9, cap_dispose = $10, opens = $11, closes = $12, "
	    "updated = $13, region = $14 WHERE id = $1",
	    "DELETE FROM centres WHERE id = $1",
	    "SELECT id, name, lat, lon, existing, fixed_cost, cap_repair, "
	    "cap_reuse, cap_recycle, cap_dispose, opens, closes, region FROM "
	    "centres ORDER BY id",
	    pg_centre_args, pg_centre_row },
	[NET_VEHICLE] = {
	    "INSERT INTO vehicle_types (id, centre, count, cap_kg, cap_m3, "
	    "cap_items, fixed_cost, cost_per_km, cost_per_hour, shift_min, "
	    "max_stops, co2_per_km, skills, created, updated) VALUES ($1, $2, "
	    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
	    "UPDATE vehicle_types SET centre = $2, count = $3, cap_kg = $4, "
	    "cap_m3 = $5, cap_items = $6, fixed_cost = $7, cost_per_km = $8, "
	    "cost_per_hour = $9, shift_min = $10, max_stops = $11, "
	    "co2_per_km = $12, skills = $13, updated = $14 WHERE id = $1",
	    "DELETE FROM vehicle_types WHERE id = $1",
	    "SELECT id, centre, count, cap_kg, cap_m3, cap_items, fixed_cost, "
	    "cost_per_km, cost_per_hour, shift_min, max_stops, co2_per_km, "
	    "skills FROM vehicle_types ORDER BY id",
	    pg_vehicle_args, pg_vehicle_row },
	[NET_PROCESSOR] = {
	    "INSERT INTO processors (id, stream, name, cost_per_kg) "
	    "VALUES ($1, $2, $3, $4)",
	    "UPDATE processors SET stream = $2, name = $3, cost_per_kg = $4 "
	    "WHERE id = $1",
	    "DELETE FROM processors WHERE id = $1",
	    "SELECT id, stream, name, cost_per_kg FROM processors ORDER BY id",
	    pg_processor_args, pg_processor_row },
	[NET_RULE] = {
	    "INSERT INTO stream_rules (category, condition, stream, value) "
	    "VALUES ($1, $2, $3, $4)",
	    "UPDATE stream_rules SET value = $4 WHERE category = $1 AND "
	    "condition = $2 AND stream = $3",
	    "DELETE FROM stream_rules WHERE category || '/' || condition || "
	    "'/' || stream = $1",
	    "SELECT category, condition, stream, value FROM stream_rules "
	    "ORDER BY category = '*', condition = '*', category, condition, "
	    "stream",
	    pg_rule_args, pg_rule_row },
};

static enum store_result
pg_network_put(struct store *st, enum net_kind k, const void *obj,
    int create, int64_t now, char **cause)
{
	struct pg_args	a = { 0 };
	char		what[64];

	pg_nets[k].args(&a, obj, now);
	snprintf(what, sizeof(what), "put %s", network_noun(k));
	return pg_guarded(st, create ? pg_nets[k].insert : pg_nets[k].update,
	    &a, !create, what, cause);
}

static enum store_result
pg_network_delete(struct store *st, enum net_kind k, const char *key,
    char **cause)
{
	struct pg_args	a = { 0 };
	char		what[64];

	pa_text(&a, key);
	snprintf(what, sizeof(what), "delete %s", network_noun(k));
	return pg_guarded(st, pg_nets[k].delete, &a, 1, what, cause);
}

static enum store_result
pg_network_load(struct store *st, struct network *n, char **cause)
{
	enum store_result	 res = STORE_OK;
	void			**arr;
	size_t			*count;
	int			 k;

	memset(n, 0, sizeof(*n));
	for (k = 0; res == STORE_OK && k < NET_KIND_COUNT; k++) {
		network_array(n, k, &arr, &count);
		res = pg_collect(st, pg_nets[k].select, NULL, arr, count,
		    network_size(k), pg_nets[k].fill, "read network", cause);
	}
	if (res != STORE_OK)
		network_clear(n);
	return res;
}

#define PG_PLAN_ROW "id, state, phase, trigger, requested_by, reason, kpis, " \
	"changes, horizon_from, horizon_days, best_cost, created, started, " \
	"finished, previous, region, node, horizon_closed"

static void
pg_plan_row(const PGresult *r, int i, struct plan_row *p)
{
	p->id = pg_i64(r, i, 0);
	pg_copy(r, i, 1, p->state, sizeof(p->state));
	p->phase = pg_text(r, i, 2);
	p->trigger = pg_text(r, i, 3);
	p->requested_by = pg_text(r, i, 4);
	p->reason = pg_text(r, i, 5);
	p->kpis = pg_text(r, i, 6);
	p->changes = pg_text(r, i, 7);
	pg_copy(r, i, 8, p->horizon_from, sizeof(p->horizon_from));
	p->horizon_days = (int)pg_i64(r, i, 9);
	p->has_best = !PQgetisnull(r, i, 10);
	p->best_cost = pg_dbl(r, i, 10);
	p->created = pg_i64(r, i, 11);
	p->started = pg_i64(r, i, 12);
	p->finished = pg_i64(r, i, 13);
	p->previous = pg_i64(r, i, 14);
	p->region = pg_text(r, i, 15);
	p->node = pg_text(r, i, 16);
	p->horizon_closed = pg_text(r, i, 17);
}

static enum store_result
pg_plan_create(struct store *st, const struct plan_new *p, int64_t now,
    int64_t *id, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	pa_text(&a, p->trigger);
	pa_text(&a, p->actor);
	pa_text(&a, p->from);
	pa_int(&a, p->days);
	pa_int(&a, now);
	pa_text(&a, p->region);
	pa_text(&a, p->night);
	pa_text(&a, p->closed);
	/* The nightly index refuses a second plan for a region's night. */
	if ((res = pg_run(st, "INSERT INTO plans (state, phase, trigger, "
	    "requested_by, horizon_from, horizon_days, created, region, "
	    "night, horizon_closed) VALUES ('queued', 'queued', $1, $2, $3, "
	    "$4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id", &a, &r,
	    "create plan",
	    cause)) != STORE_OK)
		return res;
	res = STORE_CONFLICT;
	if (PQntuples(r) > 0) {
		*id = pg_i64(r, 0, 0);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

static enum store_result
pg_plan_state(struct store *st, int64_t id, const char *node,
    const char *state, const char *phase, const char *reason, int64_t now,
    char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_text(&a, state);
	pa_text(&a, phase);
	pa_text(&a, reason);
	pa_int(&a, now);
	pa_text(&a, node);
	return pg_write(st, "UPDATE plans SET state = coalesce($2::text, "
	    "state), phase = $3, reason = coalesce($4::text, reason), "
	    "started = CASE WHEN $2::text = 'running' THEN $5::bigint ELSE "
	    "started END, finished = CASE WHEN $2::text IN ('done', 'failed') "
	    "THEN $5::bigint ELSE finished END WHERE id = $1 AND ($6::text IS "
	    "NULL OR node = $6) AND ($2::text IS NOT NULL OR state = "
	    "'running')", &a, 1, NULL, "plan state", cause);
}

/*
 * One statement: the oldest waiting plan, locked with SKIP LOCKED so that
 * nodes claiming at once each get another, then leased to node.
 */
static enum store_result
pg_plan_claim(struct store *st, const char *node, int64_t now, int64_t lease,
    int64_t *id, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	*id = 0;
	pa_text(&a, node);
	pa_int(&a, now);
	pa_int(&a, now + lease);
	if ((res = pg_run(st, "UPDATE plans SET state = 'running', phase = "
	    "'claimed', node = $1, lease_until = $3 WHERE id = (SELECT id "
	    "FROM plans WHERE state = 'queued' OR (state = 'running' AND "
	    "lease_until < $2) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
	    "RETURNING id", &a, &r, "claim plan", cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0) {
		*id = pg_i64(r, 0, 0);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

static enum store_result
pg_plan_renew(struct store *st, const char *node, int64_t until,
    char **cause)
{
	struct pg_args	a = { 0 };

	pa_text(&a, node);
	pa_int(&a, until);
	return pg_write(st, "UPDATE plans SET lease_until = $2 WHERE node = "
	    "$1 AND state = 'running'", &a, 0, NULL, "renew leases", cause);
}

static enum store_result
pg_plan_problem(struct store *st, int64_t id, const char *problem,
    char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_text(&a, problem);
	return pg_write(st, "UPDATE plans SET problem = $2 WHERE id = $1", &a,
	    1, NULL, "plan problem", cause);
}

static enum store_result
pg_plan_best(struct store *st, int64_t id, double cost, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, id);
	pa_real(&a, cost);
	return pg_write(st, "UPDATE plans SET best_cost = $2 WHERE id = $1",
	    &a, 1, NULL, "plan best cost", cause);
}

static enum store_result
pg_plan_get(struct store *st, int64_t id, struct plan_row *out,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	memset(out, 0, sizeof(*out));
	if (id)
		pa_int(&a, id);
	if ((res = pg_run(st, id ? "SELECT " PG_PLAN_ROW " FROM plans WHERE "
	    "id = $1" : "SELECT " PG_PLAN_ROW " FROM plans WHERE state = "
	    "'done' ORDER BY id DESC LIMIT 1", &a, &r, "get plan", cause)) !=
	    STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0) {
		pg_plan_row(r, 0, out);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

static enum store_result
pg_plan_list(struct store *st, int limit, struct plan_row **rows,
    size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, limit);
	return pg_collect(st, "SELECT " PG_PLAN_ROW " FROM plans ORDER BY "
	    "id DESC LIMIT $1", &a, (void **)rows, n, sizeof(**rows),
	    PG_FILL(pg_plan_row), "list plans", cause);
}

static enum store_result
pg_plan_fail_stale(struct store *st, const char *node, int64_t now,
    char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, now);
	pa_text(&a, node);
	return pg_write(st, "UPDATE plans SET state = 'failed', phase = "
	    "'failed', finished = $1, reason = 'interrupted: the daemon "
	    "stopped before the plan finished' WHERE state = 'running' AND "
	    "(node IS NULL OR node = $2)", &a, 0, NULL, "fail stale plans",
	    cause);
}

/* The newest done plan of region (NULL: of the whole network), or 0. */
static enum store_result
pg_plan_current(struct store *st, const char *region, int64_t *id,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };

	pa_text(&a, region);
	res = pg_int(st, "SELECT max(id) FROM plans WHERE state = 'done' AND "
	    "coalesce(region, '') = coalesce($1::text, '')", &a, id,
	    "current plan", cause);
	return res == STORE_NOTFOUND ? STORE_OK : res;
}

static enum store_result
pg_plan_last(struct store *st, const char *trigger, int64_t *created,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };

	pa_text(&a, trigger);
	res = pg_int(st, "SELECT max(created) FROM plans WHERE trigger = $1",
	    &a, created, "last plan", cause);
	return res == STORE_NOTFOUND ? STORE_OK : res;
}

static void
pg_prev_row(const PGresult *r, int i, struct plan_prev *p)
{
	p->pickup = pg_i64(r, i, 0);
	pg_copy(r, i, 1, p->day, sizeof(p->day));
	pg_copy(r, i, 2, p->vehicle, sizeof(p->vehicle));
	p->deferred = !PQgetisnull(r, i, 3);
	pg_copy(r, i, 3, p->reason, sizeof(p->reason));
	pg_copy(r, i, 4, p->centre, sizeof(p->centre));
	p->seq = (int)pg_i64(r, i, 5);
}

static enum store_result
pg_plan_assignments(struct store *st, int64_t plan, struct plan_prev **out,
    size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, plan);
	return pg_collect(st, "SELECT pickup_id, day, vehicle, deferred, "
	    "centre, seq FROM plan_assignments WHERE plan_id = $1 ORDER BY "
	    "pickup_id", &a,
	    (void **)out, n, sizeof(**out), PG_FILL(pg_prev_row),
	    "read assignments", cause);
}

static enum store_result
pg_plan_result(struct store *st, int64_t plan, char **text, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;

	*text = NULL;
	pa_int(&a, plan);
	if ((res = pg_run(st, "SELECT result FROM plans WHERE id = $1", &a,
	    &r, "read plan", cause)) != STORE_OK)
		return res;
	res = STORE_NOTFOUND;
	if (PQntuples(r) > 0) {
		*text = pg_text(r, 0, 0);
		res = STORE_OK;
	}
	PQclear(r);
	return res;
}

/* Columns of the pool query: a pickup and its pin. */
static void
pg_pool_row(const PGresult *r, int i, struct plan_pickup *p)
{
	const char	*kind = pv(r, i, 8);

	p->id = pg_i64(r, i, 0);
	p->status = pickup_status_parse(PQgetvalue(r, i, 1));
	p->lat = pg_dbl(r, i, 2);
	p->lon = pg_dbl(r, i, 3);
	pg_copy(r, i, 4, p->from, sizeof(p->from));
	pg_copy(r, i, 5, p->to, sizeof(p->to));
	p->reference = pg_text(r, i, 6);
	p->body = pg_text(r, i, 7);
	p->pin = kind == NULL ? PIN_NONE : strcmp(kind, "dispatched") == 0 ?
	    PIN_DISPATCHED : PIN_CONFIRMED;
	pg_copy(r, i, 9, p->pin_centre, sizeof(p->pin_centre));
	pg_copy(r, i, 10, p->pin_day, sizeof(p->pin_day));
	pg_copy(r, i, 11, p->pin_vehicle, sizeof(p->pin_vehicle));
	p->pin_seq = (int)pg_i64(r, i, 12);
	pg_copy(r, i, 13, p->region, sizeof(p->region));
}

static enum store_result
pg_plan_input(struct store *st, struct plan_input *in, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	char			 from[11], to[11], carry[11];

	if ((res = pg_network_load(st, &in->net, cause)) != STORE_OK)
		return res;
	days_to_date(in->day0 - in->closed_before, from);
	days_to_date(in->day0 - in->closed_before - in->carry_over, carry);
	days_to_date(in->day0 + in->ndays - 1, to);
	pa_text(&a, to);
	pa_text(&a, from);
	pa_text(&a, carry);
	res = pg_collect(st, "SELECT p.id, p.status, p.lat, p.lon, "
	    "p.window_from, p.window_to, p.reference, p.body, n.kind, "
	    "n.centre, n.day, n.vehicle, n.seq, p.region FROM pickups p LEFT "
	    "JOIN pickup_pins n ON n.pickup_id = p.id WHERE p.status IN "
	    "('received', 'scheduled') AND p.window_from <= $1 AND "
	    "(p.window_to >= $2 OR (p.status = 'received' AND "
	    "p.window_to >= $3)) ORDER BY p.id", &a, (void **)&in->pk, &in->npk,
	    sizeof(*in->pk), PG_FILL(pg_pool_row), "read the pool", cause);
	if (res != STORE_OK)
		return res;
	/* The current plan of the same region (or of the whole network). */
	if ((res = pg_plan_current(st, in->region, &in->previous, cause)) !=
	    STORE_OK || in->previous == 0)
		return res;
	return pg_plan_assignments(st, in->previous, &in->prev, &in->nprev,
	    cause);
}

/* Insert one route of a plan and its stops. */
static enum store_result
pg_route_insert(struct store *st, const struct plan_input *in,
    const struct rt_route *rt, int solver, char **cause)
{
	const struct rt_vehicle	*v = &in->veh[rt->vehicle];
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	char			 day[11], t0[6], t1[6];
	int64_t			 rid;
	size_t			 k;

	days_to_date(rt->day, day);
	hhmm_format(rt->start, t0);
	hhmm_format(rt->end, t1);
	pa_int(&a, in->id);
	pa_text(&a, v->name);
	pa_text(&a, in->net.fleet[v->type].id);
	pa_text(&a, in->net.centres[v->centre].id);
	pa_text(&a, day);
	pa_text(&a, solver ? "solver" : "fallback");
	pa_text(&a, t0);
	pa_text(&a, t1);
	pa_real(&a, rt->km);
	pa_real(&a, rt->cost);
	pa_real(&a, rt->kg);
	pa_real(&a, rt->m3);
	pa_int(&a, rt->items);
	pa_text(&a, rt->geometry);
	if ((res = pg_run(st, "INSERT INTO plan_routes (plan_id, vehicle, "
	    "vehicle_type, centre, day, source, starts, ends, km, cost, "
	    "load_kg, load_m3, load_items, geometry) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id", &a,
	    &r, "insert route", cause)) != STORE_OK)
		return res;
	rid = pg_i64(r, 0, 0);
	PQclear(r);
	for (k = 0; k < rt->nstops; k++) {
		const struct rt_stop *sp = &in->st[rt->stops[k]];

		a.n = 0;
		hhmm_format(sp->eta, t0);
		pa_int(&a, rid);
		pa_int(&a, (long long)k + 1);
		pa_int(&a, in->pk[rt->stops[k]].id);
		pa_text(&a, t0);
		pa_real(&a, sp->load_kg);
		if ((res = pg_write(st, "INSERT INTO plan_stops (route_id, "
		    "seq, pickup_id, eta, load_kg) VALUES ($1, $2, $3, $4, "
		    "$5)", &a, 1, NULL, "insert stop", cause)) != STORE_OK)
			return res;
	}
	return STORE_OK;
}

/*
 * Record pickup k's outcome in plan in->id and move the pickup, as
 * store-sqlite.c's sq_plan_pickup; the pickup's row is locked while it is
 * read and changed, so a cancel or field event from another connection
 * (another node's) waits instead of being overwritten.
 */
static enum store_result
pg_plan_pickup(struct store *st, const struct plan_input *in, size_t k,
    int64_t now, char **cause)
{
	const struct rt_stop	*sp = &in->st[k];
	const char		*vehicle = NULL, *centre = NULL;
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	char			 day[11], eta[6];
	struct store_was	 was = { -1, "", "", "", "" };

	if (sp->deferred == NULL) {
		days_to_date(sp->day, day);
		hhmm_format(sp->eta, eta);
		vehicle = in->veh[sp->vehicle].name;
		centre = in->net.centres[sp->centre].id;
	}
	pa_int(&a, in->id);
	pa_int(&a, in->pk[k].id);
	pa_text(&a, centre);
	pa_text(&a, vehicle ? day : NULL);
	pa_text(&a, vehicle);
	if (vehicle != NULL)
		pa_int(&a, sp->seq);
	else
		pa_text(&a, NULL);
	pa_text(&a, vehicle ? eta : NULL);
	pa_text(&a, sp->deferred);
	if ((res = pg_write(st, "INSERT INTO plan_assignments (plan_id, "
	    "pickup_id, centre, day, vehicle, seq, eta, deferred) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8)", &a, 1, NULL,
	    "insert assignment", cause)) != STORE_OK)
		return res;

	a.n = 0;
	pa_int(&a, in->pk[k].id);
	if ((res = pg_run(st, "SELECT status, plan_day, plan_vehicle, "
	    "plan_eta, defer_reason FROM pickups WHERE id = $1 FOR UPDATE",
	    &a, &r, "read pickup", cause)) != STORE_OK)
		return res;
	if (PQntuples(r) > 0) {
		was.status = pickup_status_parse(PQgetvalue(r, 0, 0));
		pg_copy(r, 0, 1, was.day, sizeof(was.day));
		pg_copy(r, 0, 2, was.vehicle, sizeof(was.vehicle));
		pg_copy(r, 0, 3, was.eta, sizeof(was.eta));
		pg_copy(r, 0, 4, was.why, sizeof(was.why));
	}
	PQclear(r);
	if (was.status != PICKUP_RECEIVED && was.status != PICKUP_SCHEDULED)
		return STORE_OK;
	a.n = 0;
	pa_int(&a, in->pk[k].id);
	pa_text(&a, vehicle ? "scheduled" : "received");
	pa_int(&a, in->id);
	pa_text(&a, vehicle ? day : NULL);
	pa_text(&a, vehicle);
	if (vehicle != NULL)
		pa_int(&a, sp->seq);
	else
		pa_text(&a, NULL);
	pa_text(&a, vehicle ? eta : NULL);
	pa_text(&a, sp->deferred);
	pa_int(&a, now);
	if ((res = pg_write(st, "UPDATE pickups SET status = $2, plan_id = $3, "
	    "plan_day = $4, plan_vehicle = $5, plan_seq = $6, plan_eta = $7, "
	    "defer_reason = $8, updated = $9 WHERE id = $1", &a, 1, NULL,
	    "schedule pickup", cause)) != STORE_OK)
		return res;
	a.n = 0;
	pa_int(&a, in->pk[k].id);
	if (store_pin_stale(in, k, vehicle ? day : NULL) && (res = pg_write(st,
	    "DELETE FROM pickup_pins WHERE pickup_id = $1", &a, 0, NULL,
	    "unpin", cause)) != STORE_OK)
		return res;
	return store_tell_plan(st, &pg_teller, in, k, &was, now, cause);
}

static enum store_result
pg_plan_save(struct store *st, const struct plan_input *in,
    const struct plan_output *out, const char *result, int64_t now,
    char **cause)
{
	enum store_result	 res = STORE_OK;
	struct pg_args		 a = { 0 };
	size_t			 i;

	if (pg_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	for (i = 0; res == STORE_OK && i < out->nroutes; i++)
		res = pg_route_insert(st, in, &out->routes[i],
		    out->from_solver, cause);
	for (i = 0; res == STORE_OK && i < in->npk; i++)
		res = pg_plan_pickup(st, in, i, now, cause);
	if (res == STORE_OK) {
		pa_int(&a, in->id);
		pa_int(&a, now);
		pa_text(&a, result);
		pa_text(&a, out->kpis);
		pa_text(&a, out->changes);
		if (in->previous)
			pa_int(&a, in->previous);
		else
			pa_text(&a, NULL);
		pa_real(&a, out->cost);
		pa_text(&a, in->node);
		res = pg_write(st, "UPDATE plans SET state = 'done', phase = "
		    "'done', finished = $2, result = $3, kpis = $4, changes = "
		    "$5, previous = $6, best_cost = $7 WHERE id = $1 AND ($8::text "
		    "IS NULL OR node = $8)", &a, 1, NULL, "finish plan", cause);
	}
	if (res == STORE_OK && pg_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		pg_rollback(st);
	return res;
}

static void
pg_route_row(const PGresult *r, int i, struct route_row *o)
{
	o->id = pg_i64(r, i, 0);
	pg_copy(r, i, 1, o->vehicle, sizeof(o->vehicle));
	pg_copy(r, i, 2, o->vehicle_type, sizeof(o->vehicle_type));
	pg_copy(r, i, 3, o->centre, sizeof(o->centre));
	pg_copy(r, i, 4, o->day, sizeof(o->day));
	pg_copy(r, i, 5, o->source, sizeof(o->source));
	pg_copy(r, i, 6, o->starts, sizeof(o->starts));
	pg_copy(r, i, 7, o->ends, sizeof(o->ends));
	o->km = pg_dbl(r, i, 8);
	o->cost = pg_dbl(r, i, 9);
	o->load_kg = pg_dbl(r, i, 10);
	o->load_m3 = pg_dbl(r, i, 11);
	o->load_items = (int)pg_i64(r, i, 12);
	o->geometry = pg_text(r, i, 13);
}

static void
pg_stop_row(const PGresult *r, int i, struct stop_row *p)
{
	p->seq = (int)pg_i64(r, i, 0);
	p->pickup = pg_i64(r, i, 1);
	pg_copy(r, i, 2, p->eta, sizeof(p->eta));
	p->load_kg = pg_dbl(r, i, 3);
	p->lat = pg_dbl(r, i, 4);
	p->lon = pg_dbl(r, i, 5);
	p->status = pickup_status_parse(PQgetvalue(r, i, 6));
	p->reference = pg_text(r, i, 7);
	p->body = pg_text(r, i, 8);
	pg_copy(r, i, 9, p->pin, sizeof(p->pin));
}

static enum store_result
pg_plan_routes(struct store *st, int64_t plan, const char *vehicle,
    const char *day, struct route_row **rows, size_t *n, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	size_t			 i;

	pa_int(&a, plan);
	pa_text(&a, vehicle);
	pa_text(&a, day);
	res = pg_collect(st, "SELECT id, vehicle, vehicle_type, centre, day, "
	    "source, starts, ends, km, cost, load_kg, load_m3, load_items, "
	    "geometry FROM plan_routes WHERE plan_id = $1 AND ($2::text IS "
	    "NULL OR vehicle = $2) AND ($3::text IS NULL OR day = $3) ORDER "
	    "BY day, vehicle", &a, (void **)rows, n, sizeof(**rows),
	    PG_FILL(pg_route_row), "read routes", cause);
	for (i = 0; res == STORE_OK && i < *n; i++) {
		a.n = 0;
		pa_int(&a, (*rows)[i].id);
		res = pg_collect(st, "SELECT s.seq, s.pickup_id, s.eta, "
		    "s.load_kg, p.lat, p.lon, p.status, p.reference, p.body, "
		    "(SELECT kind FROM pickup_pins WHERE pickup_id = p.id AND "
		    "p.status = 'scheduled') "
		    "FROM plan_stops s JOIN pickups p ON p.id = s.pickup_id "
		    "WHERE s.route_id = $1 ORDER BY s.seq", &a,
		    (void **)&(*rows)[i].stops, &(*rows)[i].nstops,
		    sizeof(struct stop_row), PG_FILL(pg_stop_row),
		    "read stops", cause);
	}
	if (res != STORE_OK) {
		route_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return res;
}

/* End the transaction pg_begin opened: commit on STORE_OK, else undo. */
static enum store_result
pg_in_tx(struct store *st, enum store_result res, char **cause)
{
	if (res == STORE_OK && pg_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		pg_rollback(st);
	return res;
}

static enum store_result
pg_pin_confirm(struct store *st, int64_t id, const char *actor,
    int64_t now, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	int64_t			 scheduled;

	if (pg_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	pa_int(&a, id);
	res = pg_int(st, "SELECT (status = 'scheduled')::int FROM pickups "
	    "WHERE id = $1 FOR UPDATE", &a, &scheduled, "read pickup", cause);
	if (res != STORE_OK || scheduled != 1) {
		pg_rollback(st);
		return res != STORE_OK ? res : STORE_INVALID;
	}
	pa_int(&a, now);
	pa_text(&a, actor);
	res = pg_write(st, "INSERT INTO pickup_pins (pickup_id, kind, "
	    "plan_id, centre, day, at, actor) SELECT p.id, 'confirmed', "
	    "p.plan_id, a.centre, p.plan_day, $2, $3 FROM pickups p JOIN "
	    "plan_assignments a ON a.plan_id = p.plan_id AND a.pickup_id = "
	    "p.id WHERE p.id = $1 ON CONFLICT (pickup_id) DO NOTHING", &a, 0,
	    NULL, "confirm pickup", cause);
	return pg_in_tx(st, res, cause);
}

static enum store_result
pg_pin_dispatch(struct store *st, int64_t plan, const char *vehicle,
    const char *day, const char *actor, int64_t now, int *count,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	long			 n = 0;
	int64_t			 current;

	*count = 0;
	if (pg_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	pa_int(&a, plan);
	res = pg_int(st, "SELECT max(id) FROM plans WHERE state = 'done' AND "
	    "coalesce(region, '') = (SELECT coalesce(region, '') FROM plans "
	    "WHERE id = $1)", &a, &current, "read plans", cause);
	if (res == STORE_NOTFOUND || (res == STORE_OK && current != plan))
		res = STORE_INVALID;
	if (res != STORE_OK) {
		pg_rollback(st);
		return res;
	}
	pa_text(&a, vehicle);
	pa_text(&a, day);
	pa_int(&a, now);
	pa_text(&a, actor);
	res = pg_write(st, "INSERT INTO pickup_pins (pickup_id, kind, "
	    "plan_id, centre, day, vehicle, seq, at, actor) SELECT "
	    "s.pickup_id, 'dispatched', r.plan_id, r.centre, r.day, "
	    "r.vehicle, s.seq, $4, $5 FROM plan_stops s JOIN plan_routes r "
	    "ON r.id = s.route_id JOIN pickups p ON p.id = s.pickup_id "
	    "WHERE r.plan_id = $1 AND r.vehicle = $2 AND ($3::text IS NULL OR "
	    "r.day = $3) AND p.status = 'scheduled' ON CONFLICT (pickup_id) "
	    "DO UPDATE SET kind = excluded.kind, plan_id = excluded.plan_id, "
	    "centre = excluded.centre, day = excluded.day, vehicle = "
	    "excluded.vehicle, seq = excluded.seq, at = excluded.at, actor = "
	    "excluded.actor", &a, 0, &n, "dispatch", cause);
	if (res == STORE_OK && (*count = (int)n) == 0)
		res = STORE_NOTFOUND;
	return pg_in_tx(st, res, cause);
}

static enum store_result
pg_field_event(struct store *st, int64_t id, enum field_kind kind,
    const char *code, int stream, double kg, const char *actor, int64_t now,
    struct pickup_row *out, char **cause)
{
	static const char *const kinds[] = { "collected", "not_collected",
	    "sorted" };
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	int			 to;

	if (pg_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	pa_int(&a, id);
	if ((res = pg_run(st, "SELECT 1 FROM pickups WHERE id = $1 FOR "
	    "UPDATE", &a, NULL, "field event", cause)) != STORE_OK)
		return pg_in_tx(st, res, cause);
	if ((res = pg_pickup_get(st, id, NULL, out, cause)) != STORE_OK)
		return pg_in_tx(st, res, cause);
	if ((to = pickup_field_to(kind, out->status)) < 0)
		return pg_in_tx(st, STORE_INVALID, cause);
	pa_text(&a, pickup_status_name(to));
	pa_int(&a, now);
	if (kind == FIELD_NOT_COLLECTED)
		pa_text(&a, code);
	if ((res = pg_write(st, kind == FIELD_NOT_COLLECTED ?
	    "UPDATE pickups SET status = $2, updated = $3, plan_day = NULL, "
	    "plan_vehicle = NULL, plan_seq = NULL, plan_eta = NULL, "
	    "defer_reason = 'not_collected:' || $4::text WHERE id = $1" :
	    "UPDATE pickups SET status = $2, updated = $3 WHERE id = $1", &a,
	    1, NULL, "field event", cause)) != STORE_OK)
		return pg_in_tx(st, res, cause);
	a.n = 0;
	pa_int(&a, id);
	pa_text(&a, kinds[kind]);
	pa_text(&a, code);
	pa_text(&a, kind == FIELD_SORTED ? stream_name(stream) : NULL);
	pa_real(&a, kg > 0 ? kg : NAN);
	pa_int(&a, now);
	pa_text(&a, actor);
	if ((res = pg_write(st, "INSERT INTO field_events (pickup_id, kind, "
	    "code, stream, weight_kg, at, actor) VALUES ($1, $2, $3, $4, $5, "
	    "$6, $7)", &a, 1, NULL, "field event", cause)) != STORE_OK)
		return pg_in_tx(st, res, cause);
	res = store_tell_field(st, &pg_teller, id, kind, to, code, stream,
	    kg, actor, now, cause);
	if (res == STORE_OK && kind != FIELD_SORTED) {
		a.n = 0;
		pa_int(&a, id);
		res = pg_write(st, "DELETE FROM pickup_pins WHERE pickup_id = "
		    "$1", &a, 0, NULL, "unpin", cause);
	}
	out->status = to;
	return pg_in_tx(st, res, cause);
}

static enum store_result
pg_field_rates(struct store *st, const struct field_filter *f,
    struct field_rates *fr, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	int			 i;

	memset(fr, 0, sizeof(*fr));
	pa_int(&a, f->plan);
	pa_int(&a, f->from);
	pa_int(&a, f->to);
	pa_text(&a, f->operator);
	if ((res = pg_run(st, "SELECT e.kind, e.code, e.stream, e.weight_kg "
	    "FROM field_events e JOIN pickups p ON p.id = e.pickup_id WHERE "
	    "($1::bigint = 0 OR e.pickup_id IN (SELECT pickup_id FROM "
	    "plan_assignments WHERE plan_id = $1)) AND e.at >= $2 AND "
	    "e.at < $3 AND ($4::text IS NULL OR p.operator = $4)", &a, &r,
	    "rates", cause)) != STORE_OK)
		return res;
	for (i = 0; i < PQntuples(r); i++)
		field_rates_add(fr, pv(r, i, 0), pv(r, i, 1), pv(r, i, 2),
		    pg_dbl(r, i, 3));
	PQclear(r);
	return STORE_OK;
}

/* Webhooks (store.c has the contracts). */
static enum store_result
pg_webhook_add(struct store *st, const struct webhook *w, int64_t now,
    int64_t *id, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	char			*events = wh_events_text(w->events);

	pa_text(&a, w->operator);
	pa_text(&a, w->url);
	pa_text(&a, events);
	pa_text(&a, w->secret);
	pa_int(&a, now);
	res = pg_run(st, "INSERT INTO webhooks (operator, url, events, "
	    "secret, created) VALUES ($1, $2, $3, $4, $5) RETURNING id", &a,
	    &r, "add webhook", cause);
	x_free(events);
	if (res != STORE_OK)
		return res;
	*id = pg_i64(r, 0, 0);
	PQclear(r);
	return STORE_OK;
}

static void
pg_webhook_row(const PGresult *r, int i, struct webhook *w)
{
	const char	*ev = pv(r, i, 3);

	w->id = pg_i64(r, i, 0);
	w->operator = pg_text(r, i, 1);
	w->url = pg_text(r, i, 2);
	w->events = ev ? wh_events_parse(ev) : 0;
	w->secret = pg_text(r, i, 4);
	w->created = pg_i64(r, i, 5);
}

static enum store_result
pg_webhook_list(struct store *st, const char *op, int64_t id,
    struct webhook **rows, size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_text(&a, op);
	pa_int(&a, id);
	return pg_collect(st, "SELECT id, operator, url, events, secret, "
	    "created FROM webhooks WHERE removed = 0 AND ($1::text IS NULL "
	    "OR operator = $1) AND ($2::bigint = 0 OR id = $2) ORDER BY id",
	    &a, (void **)rows, n, sizeof(**rows), PG_FILL(pg_webhook_row),
	    "list webhooks", cause);
}

static enum store_result
pg_webhook_remove(struct store *st, int64_t id, const char *op, int64_t now,
    char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };

	pa_int(&a, id);
	pa_text(&a, op);
	pa_int(&a, now);
	if ((res = pg_write(st, "UPDATE webhooks SET removed = $3 WHERE "
	    "id = $1 AND removed = 0 AND ($2::text IS NULL OR operator = $2)",
	    &a, 1, NULL, "remove webhook", cause)) != STORE_OK)
		return res;
	a.n = 0;
	pa_int(&a, id);
	return pg_write(st, "UPDATE webhook_deliveries SET state = 'dead', "
	    "last_error = 'the webhook was removed' WHERE webhook = $1 AND "
	    "state = 'pending'", &a, 0, NULL, "remove webhook", cause);
}

static enum store_result
pg_webhook_redeliver(struct store *st, int64_t id, const char *op,
    int64_t since, int64_t now, long *count, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	int64_t			 removed;

	pa_int(&a, id);
	pa_text(&a, op);
	res = pg_int(st, "SELECT removed FROM webhooks WHERE id = $1 AND "
	    "($2::text IS NULL OR operator = $2)", &a, &removed,
	    "read webhook", cause);
	if (res != STORE_OK || removed != 0)
		return res != STORE_OK ? res : STORE_INVALID;
	a.n = 0;
	pa_int(&a, id);
	pa_int(&a, since);
	pa_int(&a, now);
	return pg_write(st, "UPDATE webhook_deliveries SET state = 'pending', "
	    "next_at = $3 WHERE webhook = $1 AND state = 'dead' AND "
	    "created >= $2", &a, 0, count, "redeliver", cause);
}

#define PG_DELIVERY_COLS "d.id, d.webhook, d.pickup_id, d.event, d.state, " \
	"d.data, d.attempts, d.created, d.next_at, d.last_at, d.delivered, " \
	"d.last_status, d.last_error"

static void
pg_delivery_row(const PGresult *r, int i, struct wh_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = pg_i64(r, i, 0);
	d->webhook = pg_i64(r, i, 1);
	d->pickup = pg_i64(r, i, 2);
	pg_copy(r, i, 3, d->event, sizeof(d->event));
	pg_copy(r, i, 4, d->state, sizeof(d->state));
	d->data = pg_text(r, i, 5);
	d->attempts = (int)pg_i64(r, i, 6);
	d->created = pg_i64(r, i, 7);
	d->next_at = pg_i64(r, i, 8);
	d->last_at = pg_i64(r, i, 9);
	d->delivered = pg_i64(r, i, 10);
	d->last_status = (int)pg_i64(r, i, 11);
	d->last_error = pg_text(r, i, 12);
	if (PQnfields(r) > 13) {
		d->url = pg_text(r, i, 13);
		d->secret = pg_text(r, i, 14);
	}
}

/*
 * Claimed in one statement: the due rows locked with SKIP LOCKED (another
 * node's claim in progress is passed over), held until now + hold, and
 * returned as they were read.
 */
static enum store_result
pg_webhook_due(struct store *st, int64_t now, int limit, int64_t hold,
    struct wh_delivery **rows, size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, now);
	pa_int(&a, limit);
	pa_int(&a, now + hold);
	return pg_collect(st, "WITH due AS (SELECT d.id, d.next_at FROM "
	    "webhook_deliveries d WHERE d.state = 'pending' AND d.next_at <= "
	    "$1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE "
	    "e.state = 'pending' AND e.webhook = d.webhook AND e.pickup_id = "
	    "d.pickup_id AND e.id < d.id) ORDER BY d.next_at, d.id LIMIT $2 "
	    "FOR UPDATE SKIP LOCKED), held AS (UPDATE webhook_deliveries d SET "
	    "next_at = $3 FROM due WHERE d.id = due.id RETURNING d.*, "
	    "due.next_at AS was) SELECT d.id, d.webhook, d.pickup_id, d.event, "
	    "d.state, d.data, d.attempts, d.created, d.was, d.last_at, "
	    "d.delivered, d.last_status, d.last_error, w.url, w.secret FROM "
	    "held d JOIN webhooks w ON w.id = d.webhook ORDER BY d.was, d.id",
	    &a, (void **)rows, n, sizeof(**rows), PG_FILL(pg_delivery_row),
	    "read deliveries", cause);
}

static enum store_result
pg_webhook_record(struct store *st, const struct wh_delivery *d, size_t n,
    char **cause)
{
	enum store_result	 res = STORE_OK;
	struct pg_args		 a;
	size_t			 i;

	for (i = 0; res == STORE_OK && i < n; i++) {
		a.n = 0;
		pa_int(&a, d[i].id);
		pa_text(&a, d[i].state);
		pa_int(&a, d[i].attempts);
		pa_int(&a, d[i].next_at);
		pa_int(&a, d[i].last_at);
		pa_int(&a, d[i].last_status);
		pa_text(&a, d[i].last_error);
		if (d[i].delivered != 0)
			pa_int(&a, d[i].delivered);
		else
			pa_text(&a, NULL);
		/* Only a pending one: removing the webhook has the last
		 * word over a delivery that was in flight. */
		res = pg_write(st, "UPDATE webhook_deliveries SET state = $2, "
		    "attempts = $3, next_at = $4, last_at = $5, last_status = "
		    "$6, last_error = $7, delivered = $8 WHERE id = $1 AND "
		    "state = 'pending'", &a, 0, NULL, "record delivery", cause);
	}
	return res;
}

static enum store_result
pg_webhook_deliveries(struct store *st, int64_t webhook, const char *state,
    int limit, struct wh_delivery **rows, size_t *n, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, webhook);
	pa_text(&a, state);
	pa_int(&a, limit);
	return pg_collect(st, "SELECT " PG_DELIVERY_COLS " FROM "
	    "webhook_deliveries d WHERE d.webhook = $1 AND ($2::text IS NULL "
	    "OR d.state = $2) ORDER BY d.id DESC LIMIT $3", &a, (void **)rows,
	    n, sizeof(**rows), PG_FILL(pg_delivery_row), "read deliveries",
	    cause);
}

static enum store_result
pg_webhook_pending(struct store *st, long long *n, int64_t *oldest,
    char **cause)
{
	enum store_result	 res;
	PGresult		*r;

	*n = 0;
	*oldest = 0;
	if ((res = pg_run(st, "SELECT count(*), coalesce(min(created), 0) "
	    "FROM webhook_deliveries WHERE state = 'pending'", NULL, &r,
	    "count deliveries", cause)) != STORE_OK)
		return res;
	*n = pg_i64(r, 0, 0);
	*oldest = pg_i64(r, 0, 1);
	PQclear(r);
	return STORE_OK;
}

static enum store_result
pg_webhook_prune(struct store *st, int64_t before, char **cause)
{
	struct pg_args	a = { 0 };

	pa_int(&a, before);
	return pg_write(st, "DELETE FROM webhook_deliveries WHERE state != "
	    "'pending' AND created < $1", &a, 0, NULL, "prune deliveries",
	    cause);
}

/* The road cache (store.c has the contracts). */
static enum store_result
pg_road_from(struct store *st, const char *profile, int64_t from,
    struct road_leg **rows, size_t *n, char **cause)
{
	enum store_result	 res;
	struct pg_args		 a = { 0 };
	PGresult		*r;
	struct road_leg		*l;
	int			 i;

	*rows = NULL;
	*n = 0;
	pa_text(&a, profile);
	pa_int(&a, from);
	if ((res = pg_run(st, "SELECT b, km, min FROM road_legs WHERE "
	    "profile = $1 AND a = $2", &a, &r, "read road legs", cause)) !=
	    STORE_OK)
		return res;
	if (PQntuples(r) > 0)
		*rows = xcalloc(PQntuples(r), sizeof(**rows));
	for (i = 0; i < PQntuples(r); i++) {
		l = &(*rows)[i];
		l->a = from;
		l->b = pg_i64(r, i, 0);
		l->km = PQgetisnull(r, i, 1) ? NAN : pg_dbl(r, i, 1);
		l->min = PQgetisnull(r, i, 2) ? NAN : pg_dbl(r, i, 2);
	}
	*n = PQntuples(r);
	PQclear(r);
	return STORE_OK;
}

/*
 * The legs go in as arrays, a thousand to a statement (one round trip
 * each, not one per leg).
 */
static enum store_result
pg_road_put(struct store *st, const char *profile, const struct road_leg *legs,
    size_t n, int64_t now, long long max, char **cause)
{
	enum store_result	 res = STORE_OK;
	struct pg_args		 a;
	char			*as, *bs, *kms, *mins;
	size_t			 i, j, end;
	int64_t			 count;

	for (i = 0; res == STORE_OK && i < n; i = end) {
		end = i + 1000 < n ? i + 1000 : n;
		as = bs = kms = mins = NULL;
		for (j = i; j < end; j++) {
			const char *sep = j > i ? "," : "{";
			int none = isnan(legs[j].km) || isnan(legs[j].min);

			xappendf(&as, "%s%lld", sep, (long long)legs[j].a);
			xappendf(&bs, "%s%lld", sep, (long long)legs[j].b);
			if (none) {
				xappendf(&kms, "%sNULL", sep);
				xappendf(&mins, "%sNULL", sep);
			} else {
				xappendf(&kms, "%s%.17g", sep, legs[j].km);
				xappendf(&mins, "%s%.17g", sep, legs[j].min);
			}
		}
		xappendf(&as, "}");
		xappendf(&bs, "}");
		xappendf(&kms, "}");
		xappendf(&mins, "}");
		a.n = 0;
		pa_text(&a, profile);
		pa_text(&a, as);
		pa_text(&a, bs);
		pa_text(&a, kms);
		pa_text(&a, mins);
		pa_int(&a, now);
		res = pg_write(st, "INSERT INTO road_legs (profile, a, b, km, "
		    "min, fetched) SELECT $1, u.a, u.b, u.km, u.min, $6 FROM "
		    "unnest($2::bigint[], $3::bigint[], $4::float8[], "
		    "$5::float8[]) AS u (a, b, km, min) ON CONFLICT (profile, "
		    "a, b) DO UPDATE SET km = excluded.km, min = excluded.min, "
		    "fetched = excluded.fetched", &a, 0, NULL,
		    "cache road legs", cause);
		x_free(as);
		x_free(bs);
		x_free(kms);
		x_free(mins);
	}
	if (res != STORE_OK || max == LLONG_MAX)	/* no trimming asked */
		return res;
	if ((res = pg_int(st, "SELECT count(*) FROM road_legs", NULL, &count,
	    "count road legs", cause)) != STORE_OK || count <= max)
		return res;
	a.n = 0;
	pa_int(&a, count - max);
	return pg_write(st, "DELETE FROM road_legs WHERE (profile, a, b) IN "
	    "(SELECT profile, a, b FROM road_legs ORDER BY fetched LIMIT $1)",
	    &a, 0, NULL, "evict road legs", cause);
}

const struct store_backend store_pg_backend = {
	.name = "postgresql",
	.caps = STORE_CAP_MANY,
	.own = pg_own,
	.open = pg_open,
	.close = pg_close,
	.migrate = pg_migrate,
	.version = pg_version,
	.integrity = pg_integrity,
	.backup = NULL,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.set_writer = pg_set_writer,
	.sync = pg_sync,
	.checkpoint = pg_checkpoint,
	.pickup_insert = pg_pickup_insert,
	.pickup_insert_many = pg_pickup_insert_many,
	.pickup_get = pg_pickup_get,
	.pickup_history = pg_pickup_history,
	.pickup_list = pg_pickup_list,
	.pickup_amend = pg_pickup_amend,
	.pickup_cancel = pg_pickup_cancel,
	.pickup_counts = pg_pickup_counts,
	.token_add = pg_token_add,
	.token_lookup = pg_token_lookup,
	.token_list = pg_token_list,
	.token_revoke = pg_token_revoke,
	.network_put = pg_network_put,
	.network_delete = pg_network_delete,
	.network_load = pg_network_load,
	.plan_create = pg_plan_create,
	.plan_state = pg_plan_state,
	.plan_problem = pg_plan_problem,
	.plan_best = pg_plan_best,
	.plan_get = pg_plan_get,
	.plan_current = pg_plan_current,
	.plan_list = pg_plan_list,
	.plan_fail_stale = pg_plan_fail_stale,
	.plan_claim = pg_plan_claim,
	.plan_renew = pg_plan_renew,
	.plan_last = pg_plan_last,
	.plan_input = pg_plan_input,
	.plan_assignments = pg_plan_assignments,
	.plan_result = pg_plan_result,
	.plan_save = pg_plan_save,
	.plan_routes = pg_plan_routes,
	.pin_confirm = pg_pin_confirm,
	.pin_dispatch = pg_pin_dispatch,
	.field_event = pg_field_event,
	.field_rates = pg_field_rates,
	.webhook_add = pg_webhook_add,
	.webhook_list = pg_webhook_list,
	.webhook_remove = pg_webhook_remove,
	.webhook_redeliver = pg_webhook_redeliver,
	.webhook_due = pg_webhook_due,
	.webhook_record = pg_webhook_record,
	.webhook_deliveries = pg_webhook_deliveries,
	.webhook_pending = pg_webhook_pending,
	.webhook_prune = pg_webhook_prune,
	.road_from = pg_road_from,
	.road_put = pg_road_put,
};
