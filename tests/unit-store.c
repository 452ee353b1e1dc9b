/*
 * unit-store.c -- the SQLite store on a temporary database: migrations,
 * idempotent inserts, operator isolation, paging, cancel, tokens; and
 * which engine a database value names; a reader that meets a damaged
 * page halfway through its rows hands back none.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recircd.h"
#include "tap.h"

static struct store *st;

static void
mk(struct pickup_new *p, const char *op, const char *ref, const char *key,
    const char *body)
{
	memset(p, 0, sizeof(*p));
	p->operator = xstrdup(op);
	p->reference = xstrdup(ref);
	p->idem_key = key ? xstrdup(key) : NULL;
	p->body = xstrdup(body);
	p->lat = 51.5;
	p->lon = -0.1;
	strcpy(p->window_from, "2026-12-01");
	strcpy(p->window_to, "2026-12-05");
}

static enum store_result
insert(const char *op, const char *ref, const char *key, const char *body,
    int64_t *id)
{
	struct pickup_new	 p;
	struct pickup_row	 row;
	enum store_result	 res;
	char			*cause = NULL;
	int			 on_key;

	mk(&p, op, ref, key, body);
	store_begin(st, &cause);
	res = store_pickup_insert(st, &p, 1000, &row, &on_key, &cause);
	store_commit(st, &cause);
	*id = row.id;
	pickup_row_clear(&row);
	pickup_new_clear(&p);
	x_free(cause);
	return res;
}

static void
test_insert(void)
{
	int64_t			 id1, id2, id3;
	struct pickup_row	 row;
	struct pickup_event	*ev;
	size_t			 nev;
	char			*cause = NULL;

	is_int(insert("a", "r1", NULL, "{\"x\":1}", &id1), STORE_OK,
	    "first insert");
	is_int(insert("a", "r1", NULL, "{\"x\":1}", &id2), STORE_REPLAY,
	    "same reference, same body: replay");
	is_int(id2, id1, "replay returns the original id");
	is_int(insert("a", "r1", NULL, "{\"x\":2}", &id2), STORE_CONFLICT,
	    "same reference, other body: conflict");
	is_int(insert("b", "r1", NULL, "{\"x\":2}", &id3), STORE_OK,
	    "another operator may use the same reference");
	ok(id3 != id1, "and gets its own pickup");
	is_int(insert("a", "r2", "k1", "{\"x\":3}", &id2), STORE_OK,
	    "insert with an idempotency key");
	is_int(insert("a", "r3", "k1", "{\"x\":3}", &id3), STORE_REPLAY,
	    "same key, same body: replay even with another reference");
	is_int(id3, id2, "key replay returns the original");
	is_int(insert("a", "r4", "k1", "{\"x\":4}", &id3), STORE_CONFLICT,
	    "same key, other body: conflict");

	is_int(store_pickup_get(st, id1, "a", &row, &cause), STORE_OK,
	    "owner sees its pickup");
	is_str(row.reference, "r1", "reference read back");
	is_int(row.status, PICKUP_RECEIVED, "status received");
	pickup_row_clear(&row);
	is_int(store_pickup_get(st, id1, "b", &row, &cause), STORE_NOTFOUND,
	    "another operator does not");
	is_int(store_pickup_get(st, id1, NULL, &row, &cause), STORE_OK,
	    "ops (no operator filter) does");
	pickup_row_clear(&row);
	is_int(store_pickup_history(st, id1, &ev, &nev, &cause), STORE_OK,
	    "history");
	is_int(nev, 1, "one event after submission");
	pickup_events_free(ev, nev);
}

static void
test_list(void)
{
	struct pickup_query	 q;
	struct pickup_row	*rows;
	size_t			 n, total = 0;
	char			*cause = NULL, ref[16];
	int64_t			 id, last = 0;
	int			 i, ordered = 1;

	for (i = 0; i < 23; i++) {
		snprintf(ref, sizeof(ref), "p%d", i);
		insert("c", ref, NULL, "{}", &id);
	}
	memset(&q, 0, sizeof(q));
	q.operator = "c";
	q.status = -1;
	q.limit = 5;
	do {
		is_int(store_pickup_list(st, &q, &rows, &n, &cause), STORE_OK,
		    "list page after %lld", (long long)q.after_id);
		for (size_t k = 0; k < n; k++) {
			if (rows[k].id <= last)
				ordered = 0;
			last = rows[k].id;
		}
		total += n;
		if (n > 0)
			q.after_id = rows[n - 1].id;
		pickup_rows_free(rows, n);
	} while (n == 5);
	is_int(total, 23, "paging visits every pickup once");
	ok(ordered, "pages are in increasing id order");
}

static void
test_cancel(void)
{
	struct pickup_row	 row;
	char			*cause = NULL;
	int64_t			 id;
	long long		 counts[PICKUP_STATUS_COUNT];

	insert("d", "c1", NULL, "{}", &id);
	store_begin(st, &cause);
	is_int(store_pickup_cancel(st, id, "e", "e", 2000, &row, &cause),
	    STORE_NOTFOUND, "cannot cancel another operator's pickup");
	pickup_row_clear(&row);
	is_int(store_pickup_cancel(st, id, "d", "d", 2000, &row, &cause),
	    STORE_OK, "owner cancels");
	is_int(row.status, PICKUP_CANCELLED, "status cancelled");
	pickup_row_clear(&row);
	is_int(store_pickup_cancel(st, id, NULL, "ops", 2001, &row, &cause),
	    STORE_OK, "cancelling twice is fine");
	pickup_row_clear(&row);
	store_commit(st, &cause);
	is_int(store_pickup_counts(st, "d", counts, &cause), STORE_OK,
	    "counts");
	is_int(counts[PICKUP_CANCELLED], 1, "one cancelled for d");
	is_int(counts[PICKUP_RECEIVED], 0, "none received for d");
}

static void
test_rollback(void)
{
	struct pickup_new	 p;
	struct pickup_row	 row;
	char			*cause = NULL;
	int			 on_key;

	mk(&p, "f", "gone", NULL, "{}");
	store_begin(st, &cause);
	store_pickup_insert(st, &p, 1, &row, &on_key, &cause);
	store_rollback(st);
	is_int(store_pickup_get(st, row.id, NULL, &row, &cause),
	    STORE_NOTFOUND, "a rolled-back insert leaves nothing");
	pickup_new_clear(&p);
}

/*
 * A store_begin inside a transaction (a write the group commit runs in
 * its batch) is a savepoint: rolling it back keeps the batch's other
 * writes, and the batch still commits or rolls back as a whole.
 */
static void
test_nested(void)
{
	struct pickup_new	 a, b;
	struct pickup_row	 ra, rb, row;
	char			*cause = NULL;
	int			 on_key;

	mk(&a, "n", "kept", NULL, "{}");
	mk(&b, "n", "undone", NULL, "{}");
	ok(store_begin(st, &cause) == 0, "nested: outer begin");
	store_pickup_insert(st, &a, 1, &ra, &on_key, &cause);
	ok(store_begin(st, &cause) == 0, "nested: inner begin");
	store_pickup_insert(st, &b, 1, &rb, &on_key, &cause);
	store_rollback(st);
	is_int(store_pickup_get(st, ra.id, NULL, &row, &cause), STORE_OK,
	    "nested: an inner rollback keeps the outer write");
	pickup_row_clear(&row);
	ok(store_begin(st, &cause) == 0 && store_commit(st, &cause) == 0,
	    "nested: an inner commit");
	ok(store_commit(st, &cause) == 0, "nested: outer commit");
	is_int(store_pickup_get(st, ra.id, NULL, &row, &cause), STORE_OK,
	    "nested: the outer write is committed");
	pickup_row_clear(&row);
	is_int(store_pickup_get(st, rb.id, NULL, &row, &cause),
	    STORE_NOTFOUND, "nested: the undone write is gone");
	ok(store_begin(st, &cause) == 0 && store_begin(st, &cause) == 0,
	    "nested: begin twice");
	store_rollback(st);
	store_rollback(st);
	ok(store_begin(st, &cause) == 0, "nested: after both rollbacks a "
	    "new transaction begins");
	store_rollback(st);
	pickup_row_clear(&ra);
	pickup_row_clear(&rb);
	pickup_new_clear(&a);
	pickup_new_clear(&b);
	x_free(cause);
}

static void
test_tokens(void)
{
	unsigned char		 h[TOKEN_HASH_LEN], h2[TOKEN_HASH_LEN];
	char			*tok = token_generate(), *tok2 = token_generate();
	char			*op = NULL, *cause = NULL;
	enum role		 role;
	int64_t			 id;
	struct token_row	*rows;
	size_t			 n;

	ok(strncmp(tok, "rct_", 4) == 0 && strlen(tok) == 68, "token shape");
	ok(strcmp(tok, tok2) != 0, "tokens are random");
	token_hash(tok, h);
	token_hash(tok2, h2);
	is_int(store_token_add(st, "council", ROLE_OPS, h, 5, &id, &cause),
	    STORE_OK, "token add");
	is_int(store_token_lookup(st, h, &op, &role, &cause), STORE_OK,
	    "lookup by hash");
	is_str(op, "council", "operator");
	is_int(role, ROLE_OPS, "role");
	x_free(op);
	is_int(store_token_lookup(st, h2, &op, &role, &cause), STORE_NOTFOUND,
	    "unknown token");
	is_int(store_token_revoke(st, id, 6, &cause), STORE_OK, "revoke");
	is_int(store_token_lookup(st, h, &op, &role, &cause), STORE_NOTFOUND,
	    "revoked token no longer works");
	is_int(store_token_revoke(st, id, 7, &cause), STORE_NOTFOUND,
	    "revoking twice says so");
	is_int(store_token_list(st, &rows, &n, &cause), STORE_OK, "list");
	ok(n == 1 && rows[0].revoked == 6, "list shows the revocation");
	token_rows_free(rows, n);
	x_free(tok);
	x_free(tok2);
}

static void
want_cb(void *arg)
{
	(*(int *)arg)++;
}

/*
 * What the group commit asks of the engine: SQLite's writer commits
 * without waiting for the disk, store_sync makes its commits durable,
 * and a growing WAL asks for a checkpoint on another connection.
 */
static void
test_writer(const char *path)
{
	struct store		*w, *ck;
	struct pickup_new	 p;
	struct pickup_row	 row;
	char			*cause = NULL, ref[32];
	int			 wanted = 0, on_key, i;

	w = store_open(path, 0, &cause);
	ck = store_open(path, 0, &cause);
	ok(w != NULL && ck != NULL, "writer and checkpointer connections");
	if (w == NULL || ck == NULL)
		return;
	is_int(store_caps(w), STORE_CAP_SYNC | STORE_CAP_CHECKPOINT,
	    "SQLite wants syncs and checkpoints");
	ok(store_set_writer(w, want_cb, &wanted, &cause) == 0, "writer mode");
	for (i = 0; i < 5000 && wanted == 0; i++) {
		snprintf(ref, sizeof(ref), "wal-%d", i);
		mk(&p, "w", ref, NULL, "{}");
		store_begin(w, &cause);
		store_pickup_insert(w, &p, 1000, &row, &on_key, &cause);
		store_commit(w, &cause);
		pickup_row_clear(&row);
		pickup_new_clear(&p);
	}
	ok(wanted > 0, "a growing WAL asks for a checkpoint (after %d "
	    "commits)", i);
	ok(store_sync(w, &cause) == 0, "sync the writer's commits");
	ok(store_checkpoint(ck, &cause) == 0, "checkpoint on its own "
	    "connection");
	is_int(store_pickup_get(ck, 1, NULL, &row, &cause), STORE_OK,
	    "the checkpointer's connection reads what the writer wrote");
	pickup_row_clear(&row);
	store_close(ck);
	store_close(w);
	x_free(cause);
}

/* The group commit's calls: insert the pickup named by job->data. */
static enum store_result
late_apply(struct store *w, struct commit_job *j, char **cause)
{
	struct pickup_new	 p;
	enum store_result	 res;
	int			 on_key;

	mk(&p, "late", j->data, NULL, "{}");
	res = store_pickup_insert(w, &p, 1000, &j->row, &on_key, cause);
	pickup_new_clear(&p);
	return res;
}

static enum store_result late_res = STORE_ERROR;
static int64_t late_id;

static void
late_done(struct commit_job *j, void *arg)
{
	(void)arg;
	late_res = j->result;
	late_id = j->row.id;
	commit_job_free(j);
}

/* Like a stored plan problem's: its done() queues one more write. */
static void
first_done(struct commit_job *j, void *arg)
{
	commit_job_free(j);
	commit_call(arg, late_apply, "second", late_done, NULL);
}

/*
 * commit_stop runs the done() of what was in flight; a write one of them
 * queues (a plan's road legs) is still made, not dropped with the
 * stopped writer.
 */
static void
test_commit_stop(const char *path)
{
	struct committer	*c;
	struct pickup_row	 row;
	char			*cause = NULL;

	c = commit_start(path, 64, &cause);
	ok(c != NULL, "group commit starts: %s", cause ? cause : "ok");
	if (c == NULL)
		return;
	commit_call(c, late_apply, "first", first_done, c);
	commit_stop(c);
	is_int(late_res, STORE_OK, "a write queued while stopping is made");
	is_int(store_pickup_get(st, late_id, NULL, &row, &cause), STORE_OK,
	    "and is in the database");
	is_str(row.reference, "second", "the second write's pickup");
	pickup_row_clear(&row);
	x_free(cause);
}

/*
 * A PostgreSQL URI or keyword string picks PostgreSQL (a server that is
 * not there is a clear message, never with the password); a path is
 * SQLite; logs show the string with its password masked.
 */
static void
test_engine(void)
{
	static const struct { const char *db; int pg; } cases[] = {
		{ "postgresql://recirc:s3cret@db.example/recirc", 1 },
		{ "postgres://localhost", 1 },
		{ "host=localhost dbname=recirc", 1 },
		{ "dbname = recirc", 1 },
		{ "/var/lib/recircd/recircd.db", 0 },
		{ "recircd.db", 0 },
		{ "./dbname=x.db", 0 },
		{ "postgresql:/tmp/x.db", 0 },
	};
	static const struct { const char *db, *shown; } masks[] = {
		{ "postgresql://recirc:s3cret@db.example:5432/recirc",
		  "postgresql://recirc:***@db.example:5432/recirc" },
		{ "postgresql://db.example/recirc?user=r&password=s3cret&x=1",
		  "postgresql://db.example/recirc?user=r&password=***&x=1" },
		{ "host=db password = 's3 cret' dbname=recirc",
		  "host=db password =*** dbname=recirc" },
		{ "host=db password=s3cret", "host=db password=***" },
		{ "host=db passwordfile=/x", "host=db passwordfile=/x" },
		{ "/var/lib/recircd/password=x.db",
		  "/var/lib/recircd/password=x.db" },
	};
	struct store	*pg;
	char		*cause = NULL, *shown;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(store_is_postgresql(cases[i].db), cases[i].pg,
		    "engine of %s", cases[i].db);
	pg = store_open("postgresql://recirc:s3cret@127.0.0.1:1/recirc", 1,
	    &cause);
#ifdef HAVE_LIBPQ
	ok(pg == NULL, "a PostgreSQL server that is not there: no store");
	ok(cause != NULL && strstr(cause, "127.0.0.1") != NULL,
	    "and says where: %s", cause ? cause : "(none)");
#else
	ok(pg == NULL, "a PostgreSQL database does not open in this build");
	ok(cause != NULL && strstr(cause, "without PostgreSQL") != NULL,
	    "and says why: %s", cause ? cause : "(none)");
#endif
	ok(cause != NULL && strstr(cause, "s3cret") == NULL,
	    "without the password");
	store_close(pg);
	x_free(cause);
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		shown = store_display(masks[i].db);
		is_str(shown, masks[i].shown, "shown: %s", masks[i].shown);
		x_free(shown);
	}
}

/*
 * Damage the page of the database file at path that holds marker (its
 * b-tree page type byte, at the start of a page other than the first):
 * SQLite reports the file malformed when a cursor reaches it.  Returns
 * the page number, or 0 when marker is on no page.
 */
static long
damage_page(const char *path, const char *marker)
{
	unsigned char	 hdr[100], *pg;
	size_t		 psz, mlen = strlen(marker), i;
	long		 no, found = 0;
	int		 fd;

	if ((fd = open(path, O_RDWR)) == -1)
		return 0;
	if (pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
		close(fd);
		return 0;
	}
	psz = (size_t)hdr[16] << 8 | hdr[17];
	if (psz == 1)
		psz = 65536;
	pg = xmalloc(psz);
	for (no = 1; !found && pread(fd, pg, psz, (off_t)(no - 1) * psz) ==
	    (ssize_t)psz; no++)
		for (i = 0; no > 1 && i + mlen <= psz; i++)
			if (memcmp(pg + i, marker, mlen) == 0) {
				found = no;
				break;
			}
	if (found) {
		pg[0] = 0x42;	/* no b-tree page type */
		if (pwrite(fd, pg, 1, (off_t)(found - 1) * psz) != 1)
			found = 0;
	}
	free(pg);
	close(fd);
	return found;
}

/*
 * 60 plans with a long requested_by each (a page holds two or three),
 * the one of plan 20 damaged: listing the newest 50 reads some and then
 * fails.  The rows read so far must not come back (nor leak: the
 * sanitizer build runs this too).
 */
static void
test_damaged(const char *dir)
{
	struct store		*d;
	struct plan_new		 p;
	struct plan_row		*rows = (struct plan_row *)&p;
	char			*path, *cause = NULL, actor[1500], mark[32];
	size_t			 n = 99;
	int64_t			 id;
	int			 i, made = 0;
	enum store_result	 res;

	xasprintf(&path, "%s/damaged.db", dir);
	if ((d = store_open(path, 1, &cause)) == NULL ||
	    store_migrate(d, &cause) != 0) {
		ok(0, "damaged: open: %s", cause ? cause : "?");
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.trigger = "manual";
	p.from = "2026-12-01";
	p.days = 1;
	p.actor = actor;
	for (i = 1; i <= 60; i++) {
		memset(actor, 'a' + i % 26, sizeof(actor) - 1);
		actor[sizeof(actor) - 1] = '\0';
		snprintf(mark, sizeof(mark), "<plan-%03d>", i);
		memcpy(actor, mark, strlen(mark));
		made += store_plan_create(d, &p, 1000 + i, &id, &cause) ==
		    STORE_OK;
	}
	is_int(made, 60, "damaged: 60 plans made");
	store_close(d);
	ok(damage_page(path, "<plan-020>") > 1, "damaged: plan 20's page "
	    "found and damaged");
	if ((d = store_open(path, 0, &cause)) == NULL) {
		ok(0, "damaged: reopen: %s", cause ? cause : "?");
		goto out;
	}
	res = store_plan_list(d, 50, &rows, &n, &cause);
	ok(res != STORE_OK, "damaged: the list fails");
	ok(rows == NULL && n == 0, "damaged: and hands back no rows (%zu)",
	    n);
	ok(cause != NULL && strstr(cause, "read plans") != NULL,
	    "damaged: says what it was reading: %s", cause ? cause : "?");
	if (res == STORE_OK)
		plan_rows_free(rows, n);
	store_close(d);
out:
	x_free(cause);
	x_free(path);
}

int
main(void)
{
	char	 dir[] = "/tmp/recirc-store.XXXXXX", *path, *cause = NULL;

	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");
	xasprintf(&path, "%s/t.db", dir);
	st = store_open(path, 1, &cause);
	ok(st != NULL, "open creates the database");
	ok(store_migrate(st, &cause) == 0, "migrations apply");
	ok(store_version(st) >= 1, "user_version set");
	ok(store_migrate(st, &cause) == 0, "migrating again is a no-op");
	test_insert();
	test_list();
	test_cancel();
	test_rollback();
	test_nested();
	test_tokens();
	test_engine();
	test_writer(path);
	test_commit_stop(path);
	test_damaged(dir);
	ok(store_integrity(st, &cause) == 0, "integrity_check ok");
	store_close(st);
	xasprintf(&cause, "rm -rf %s", dir);
	if (system(cause) != 0)
		printf("# could not remove %s\n", dir);
	x_free(cause);
	x_free(path);
	return tap_done();
}
