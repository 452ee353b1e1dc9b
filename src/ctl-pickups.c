/*
 * ctl-pickups.c -- "recircctl pickups list|show|check|submit|cancel|
 * confirm|collected|not-collected|sorted".
 *
 * The client side of /v1/pickups.  list prints --limit pickups (100 by
 * default; the API's pages hold at most 500, so more take several
 * requests) and the server's cursor when more follow; --cursor goes on
 * from one, --all follows the cursors to the end.  show prints one pickup with
 * its items and status history; cancel cancels one or more; submit sends a
 * file of pickups (one object, an array, or JSON lines) one POST each.
 * confirm pins scheduled pickups to their day (the resident was told it);
 * collected, not-collected and sorted record what happened in the field
 * (POST /v1/pickups/ID/events).  Like cancel, they take several ids and go
 * on after one the server refuses; collected and sorted also read a crew's
 * sheet of ids and weights (--weights, ctl_weights_parse).
 *
 * submit is safe to run again: the daemon answers a pickup whose reference
 * it already holds (for this operator) with the stored pickup, 200 instead
 * of 201, and we say "existing".  recircd requires the reference, so no
 * Idempotency-Key is needed on top.  The whole input is parsed before the
 * first request, so a syntax error near the end does not leave half a
 * batch.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl.h"

#define CTL_PICKUPS_LIMIT	100	/* pickups list shows by default */
#define CTL_PICKUPS_PAGE_MAX	500	/* the API's largest page */
#define CTL_PICKUPS_LIMIT_MAX	100000000
#define CTL_INPUT_MAX		(64 * 1024 * 1024)

static int	ctl_pickups_list(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_show(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_submit(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_check(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_cancel(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_confirm(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_event(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_pickups_amend(struct ctl *, const struct ctl_cmdargs *);
static char	*ctl_pickups_read(const char *, size_t *, char **);

enum { O_STATUS = 1, O_SINCE, O_LIMIT, O_CURSOR, O_ALL, O_PAGE, O_WEIGHT,
	O_CODE, O_STREAM, O_REFERENCE, O_WEIGHTS, O_NOTES, O_WINDOW,
	O_UNREPORTED };
static const struct ctl_opt ctl_pickups_list_opts[] = {
	{ O_STATUS, 's', "status", 1 },
	{ O_UNREPORTED, 'u', "unreported", 0 },
	{ O_SINCE, 0, "since", 1 },
	{ O_LIMIT, 'n', "limit", 1 },
	{ O_CURSOR, 'c', "cursor", 1 },
	{ O_ALL, 'a', "all", 0 },
	{ O_PAGE, 0, "page", 1 },	/* gone: refused with a message */
	{ O_REFERENCE, 'r', "reference", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_pickups_show_opts[] = {
	{ O_REFERENCE, 'r', "reference", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_pickups_collected_opts[] = {
	{ O_WEIGHT, 'w', "weight", 1 },
	{ O_WEIGHTS, 'W', "weights", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_pickups_amend_opts[] = {
	{ O_NOTES, 'n', "notes", 1 },
	{ O_WINDOW, 'w', "window", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_pickups_missed_opts[] = {
	{ O_CODE, 'c', "code", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_pickups_sorted_opts[] = {
	{ O_STREAM, 's', "stream", 1 },
	{ O_WEIGHT, 'w', "weight", 1 },
	{ O_WEIGHTS, 'W', "weights", 1 },
	{ 0, 0, NULL, 0 }
};
#define CTL_PICKUPS_IDS	{ NULL, 1, -1, "which pickup?", NULL }
#define CTL_PICKUPS_FILE	{ NULL, 1, 1, "one file, or - for standard " \
	"input", "file" }

const struct ctl_cmd ctl_pickups_cmds[] = {
	{ "pickups", "list", "[--status S|--unreported] [--since DATE] "
	    "[--reference R] [--limit N|--all] [--cursor C]", "list pickups, "
	    "oldest first, and where to go on", 1,
	    { ctl_pickups_list_opts, 0, 0, NULL, NULL }, ctl_pickups_list },
	{ "pickups", "show", "ID|--reference R", "one pickup with its items "
	    "and history", 1, { ctl_pickups_show_opts, 0, 1, NULL,
	    "pickup id" }, ctl_pickups_show },
	{ "pickups", "submit", "FILE|-", "submit an object, an array or JSON "
	    "lines", 1, CTL_PICKUPS_FILE, ctl_pickups_submit },
	{ "pickups", "check", "FILE|-", "validate as submit would, storing "
	    "nothing", 1, CTL_PICKUPS_FILE, ctl_pickups_check },
	{ "pickups", "amend", "ID [--notes TEXT] [--window FROM[..TO]] | ID "
	    "FILE|-", "change a pickup's notes, window or document (a merge "
	    "patch)", 1, { ctl_pickups_amend_opts, 1, 2, "which pickup?",
	    "pickup id" }, ctl_pickups_amend },
	{ "pickups", "cancel", "ID ...", "cancel pickups", 1,
	    CTL_PICKUPS_IDS, ctl_pickups_cancel },
	{ "pickups", "confirm", "ID ...", "pin pickups to their day: the "
	    "resident was told it", 1, CTL_PICKUPS_IDS,
	    ctl_pickups_confirm },
	{ "pickups", "collected", "[--weight KG] ID ...|--weights FILE",
	    "record pickups as collected (ops)", 1,
	    { ctl_pickups_collected_opts, 0, -1, NULL, NULL },
	    ctl_pickups_event },
	{ "pickups", "not-collected", "--code CODE ID ...", "record pickups "
	    "not collected, for the next plan (ops)", 1,
	    { ctl_pickups_missed_opts, 1, -1, "which pickup?", NULL },
	    ctl_pickups_event },
	{ "pickups", "sorted", "--stream S [--weight KG] ID ...|--weights "
	    "FILE", "record pickups as sorted into a stream (ops)", 1,
	    { ctl_pickups_sorted_opts, 0, -1, NULL, NULL },
	    ctl_pickups_event },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

/* The list table; OPERATOR (last) only when the list mixes operators. */
static const struct ctl_col ctl_pickups_cols[] = {
	{ "ID", 1, 0 }, { "REFERENCE", 0, 1 }, { "STATUS", 0, 0 },
	{ "WINDOW", 0, 0 }, { "ITEMS", 1, 0 }, { "WHERE", 0, 1 },
	{ "OPERATOR", 0, 1 }
};
#define CTL_PICKUPS_NCOLS \
	(sizeof(ctl_pickups_cols) / sizeof(ctl_pickups_cols[0]))

/* Parse a pickup id operand; 0, or -1 after a usage message. */
static int
ctl_pickups_id(struct ctl *ctl, const char *s, long *id)
{
	char	*cause = NULL;

	if (ctl_args_long(s, 1, LONG_MAX, id, &cause) == -1) {
		ctl_usage(ctl, "pickup id: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* "1 High St", else "51.50000,-0.12000", else "-"; allocated. */
static char *
ctl_pickups_where(const json_t *p)
{
	const json_t	*loc = json_object_get(p, "location");
	const char	*addr = ctl_json_str(loc, "address");
	char		*s;

	if (addr != NULL && *addr != '\0')
		return xstrdup(addr);
	if (json_is_number(json_object_get(loc, "lat"))) {
		xasprintf(&s, "%.5f,%.5f",
		    json_number_value(json_object_get(loc, "lat")),
		    json_number_value(json_object_get(loc, "lon")));
		return s;
	}
	return xstrdup("-");
}

/* The pieces of the pickup: the sum of the items' quantities. */
static json_int_t
ctl_pickups_nitems(const json_t *p)
{
	const json_t	*it, *q;
	json_int_t	 n = 0;
	size_t		 i;

	json_array_foreach(json_object_get(p, "items"), i, it)
		n += json_is_integer(q = json_object_get(it, "quantity")) ?
		    json_integer_value(q) : 1;
	return n;
}

/* Do the pickups in all belong to more than one operator (ops, admin)? */
static int
ctl_pickups_mixed(const json_t *all)
{
	const char	*first = NULL, *op;
	const json_t	*p;
	size_t		 i;

	json_array_foreach(all, i, p) {
		if ((op = ctl_json_str(p, "operator")) == NULL)
			continue;
		if (first == NULL)
			first = op;
		else if (strcmp(first, op) != 0)
			return 1;
	}
	return 0;
}

static void
ctl_pickups_row(struct ctl_table *t, const json_t *p, int with_operator)
{
	const json_t	*w = json_object_get(p, "window");
	char		*s;

	s = ctl_json_text(json_object_get(p, "id"));
	ctl_table_cell(t, "%s", s);
	free(s);
	s = ctl_json_text(json_object_get(p, "reference"));
	ctl_table_cell(t, "%s", s);
	free(s);
	s = ctl_json_text(json_object_get(p, "status"));
	ctl_table_cell(t, "%s", s);
	free(s);
	s = ctl_fmt_window(ctl_json_str(w, "from"), ctl_json_str(w, "to"));
	ctl_table_cell(t, "%s", s);
	free(s);
	ctl_table_cell(t, "%" JSON_INTEGER_FORMAT, ctl_pickups_nitems(p));
	s = ctl_pickups_where(p);
	ctl_table_cell(t, "%s", s);
	free(s);
	if (with_operator) {
		s = ctl_json_text(json_object_get(p, "operator"));
		ctl_table_cell(t, "%s", s);
		free(s);
	}
}

/* What pickups list asks the server for (NULL: not given). */
struct ctl_pickups_filter {
	const char	*status, *since, *reference;
	const char	*unreported;	/* "true", or NULL */
};

/*
 * "/v1/pickups?limit=N&status=S&since=D&reference=R&unreported=true&
 * cursor=C", values escaped.
 */
static char *
ctl_pickups_query(long limit, const struct ctl_pickups_filter *f,
    const char *cursor)
{
	const char	*names[] = { "status", "since", "reference",
	    "unreported", "cursor" };
	const char	*values[] = { f->status, f->since, f->reference,
	    f->unreported, cursor };
	char		*path, *tmp, *e;
	size_t		 i;

	xasprintf(&path, "/v1/pickups?limit=%ld", limit);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (values[i] == NULL)
			continue;
		e = ctl_http_escape(values[i]);
		xasprintf(&tmp, "%s&%s=%s", path, names[i], e);
		free(e);
		free(path);
		path = tmp;
	}
	return path;
}

/*
 * Fetch pages into all (an array) from cursor (NULL: the start) until the
 * last page or limit pickups (0: no limit).  *next is left holding the
 * cursor after the last page read, or NULL.  Returns an exit status, with
 * a message printed.
 */
static int
ctl_pickups_fetch(struct ctl *ctl, long limit, const char *cursor,
    const struct ctl_pickups_filter *f, json_t *all, char **next)
{
	struct ctl_reply	 r;
	const json_t		*list;
	const char		*nc;
	char			*path, *cause = NULL;
	long			 want;
	int			 rc = CTL_EXIT_OK;

	*next = cursor != NULL ? xstrdup(cursor) : NULL;
	do {
		want = CTL_PICKUPS_PAGE_MAX;
		if (limit > 0 && limit - (long)json_array_size(all) < want)
			want = limit - (long)json_array_size(all);
		path = ctl_pickups_query(want, f, *next);
		rc = ctl_http_get(ctl->http, path, &r, &cause);
		free(path);
		if (rc != CTL_EXIT_OK) {
			ctl_reply_clear(&r);
			return ctl_failed(rc, cause, "pickups list");
		}
		if (!json_is_array(list = json_object_get(r.body, "pickups"))) {
			ctl_reply_clear(&r);
			ctl_msg("pickups list: the answer has no \"pickups\" "
			    "array");
			return CTL_EXIT_UNREACHABLE;
		}
		json_array_extend(all, (json_t *)list);
		nc = ctl_json_str(r.body, "next_cursor");
		/* A cursor that does not move would page forever. */
		if (nc != NULL && (json_array_size(list) == 0 ||
		    (*next != NULL && strcmp(nc, *next) == 0))) {
			ctl_reply_clear(&r);
			ctl_msg("pickups list: the server's next_cursor does "
			    "not advance");
			return CTL_EXIT_UNREACHABLE;
		}
		free(*next);
		*next = nc != NULL ? xstrdup(nc) : NULL;
		ctl_reply_clear(&r);
	} while (*next != NULL &&
	    (limit == 0 || (long)json_array_size(all) < limit));
	return rc;
}

/* Print the pickups listed: one JSON document, or a table. */
static void
ctl_pickups_list_print(struct ctl *ctl, json_t *all, const char *next)
{
	struct ctl_table	*t;
	json_t			*doc, *p;
	char			*c;
	size_t			 i;
	int			 mixed;

	if (ctl->json) {
		doc = json_pack("{s:O, s:s?}", "pickups", all, "next_cursor",
		    next);
		ctl_json_print(doc, stdout, 0);
		json_decref(doc);
		return;
	}
	if (json_array_size(all) == 0) {
		ctl_msg("no pickups");
		return;
	}
	mixed = ctl_pickups_mixed(all);
	t = ctl_table_new(ctl_pickups_cols, CTL_PICKUPS_NCOLS - !mixed);
	json_array_foreach(all, i, p)
		ctl_pickups_row(t, p, mixed);
	ctl_table_show(ctl, t);
	ctl_table_free(t);
	if (next != NULL) {
		c = ctl_fmt_clean(next, 0);
		ctl_msg("more pickups follow: --cursor %s goes on from here "
		    "(--all lists them all)", c);
		free(c);
	}
}

static int
ctl_pickups_list(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_pickups_filter f = { ca->opt[O_STATUS], ca->opt[O_SINCE],
	    ca->opt[O_REFERENCE], ca->opt[O_UNREPORTED] ? "true" : NULL };
	char	*next = NULL;
	json_t	*all = json_array();
	long	 limit = CTL_PICKUPS_LIMIT;
	int	 rc = CTL_EXIT_USAGE;

	/* --page N was the size of a request, and read as the page number. */
	if (ca->opt[O_PAGE] != NULL) {
		ctl_usage(ctl, "--page is gone: --limit N lists N pickups, "
		    "--cursor C goes on from where a listing stopped, --all "
		    "lists them all");
		goto out;
	}
	if (ca->opt[O_ALL] != NULL && ca->opt[O_LIMIT] != NULL) {
		ctl_usage(ctl, "--all or --limit, not both");
		goto out;
	}
	if (ca->opt[O_CURSOR] != NULL && *ca->opt[O_CURSOR] == '\0') {
		ctl_usage(ctl, "--cursor: an empty cursor");
		goto out;
	}
	if (ctl_cmd_long(ctl, ca, O_LIMIT, 1, CTL_PICKUPS_LIMIT_MAX,
	    &limit) == -1)
		goto out;
	if (ca->opt[O_ALL] != NULL)
		limit = 0;
	if (f.reference != NULL && *f.reference == '\0') {
		ctl_usage(ctl, "--reference: an empty reference");
		goto out;
	}
	if ((rc = ctl_pickups_fetch(ctl, limit, ca->opt[O_CURSOR], &f, all,
	    &next)) != CTL_EXIT_OK)
		goto out;
	ctl_pickups_list_print(ctl, all, next);
out:
	json_decref(all);
	free(next);
	return rc;
}

/*
 * What the current plan says of pickup p: "planned" (day, ETA, vehicle and
 * stop), "pinned" when later plans keep it there (how, when and by whom),
 * or "deferred" and why.
 */
static void
ctl_pickups_plan_kv(struct ctl_kv *kv, const json_t *p)
{
	const json_t	*sc = json_object_get(p, "schedule");
	const json_t	*df = json_object_get(p, "deferred");
	const char	*eta;

	if (json_is_object(sc)) {
		eta = ctl_json_str(sc, "eta");
		ctl_kv_add(kv, "planned", "%s%s%s, %s stop %" JSON_INTEGER_FORMAT
		    " (plan %" JSON_INTEGER_FORMAT ")",
		    ctl_json_str(sc, "day") ? ctl_json_str(sc, "day") : "?",
		    eta && *eta ? " about " : "", eta && *eta ? eta : "",
		    ctl_json_str(sc, "vehicle") ? ctl_json_str(sc, "vehicle") :
		    "?", json_integer_value(json_object_get(sc, "stop")),
		    json_integer_value(json_object_get(sc, "plan")));
		if (ctl_json_str(sc, "pinned") != NULL)
			ctl_kv_add(kv, "pinned", "%s%s%s%s%s",
			    ctl_json_str(sc, "pinned"),
			    ctl_json_str(sc, "pinned_at") ? " " : "",
			    ctl_json_str(sc, "pinned_at") ?
			    ctl_json_str(sc, "pinned_at") : "",
			    ctl_json_str(sc, "pinned_by") ? " by " : "",
			    ctl_json_str(sc, "pinned_by") ?
			    ctl_json_str(sc, "pinned_by") : "");
	} else if (json_is_object(df))
		ctl_kv_add(kv, "deferred", "%s (plan %" JSON_INTEGER_FORMAT ")",
		    ctl_json_str(df, "reason") ? ctl_json_str(df, "reason") :
		    "?", json_integer_value(json_object_get(df, "plan")));
}

/* The key and value block of show. */
static void
ctl_pickups_kv(struct ctl *ctl, const json_t *p)
{
	struct ctl_kv	*kv = ctl_kv_new();
	const json_t	*w = json_object_get(p, "window"), *tw, *loc;
	const char	*keys[] = { "id", "reference", "operator", "status",
	    "created", "updated" };
	char		*s, *list, *tmp;
	size_t		 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		s = ctl_json_text(json_object_get(p, keys[i]));
		ctl_kv_add(kv, keys[i], "%s", s);
		free(s);
	}
	ctl_pickups_plan_kv(kv, p);
	loc = json_object_get(p, "location");
	if (json_is_number(json_object_get(loc, "lat")))
		ctl_kv_add(kv, "location", "%.6f, %.6f",
		    json_number_value(json_object_get(loc, "lat")),
		    json_number_value(json_object_get(loc, "lon")));
	if (ctl_json_str(loc, "address") != NULL)
		ctl_kv_add(kv, "address", "%s", ctl_json_str(loc, "address"));
	s = ctl_fmt_window(ctl_json_str(w, "from"), ctl_json_str(w, "to"));
	ctl_kv_add(kv, "window", "%s", s);
	free(s);
	list = xstrdup("");
	json_array_foreach(json_object_get(p, "time_windows"), i, tw) {
		xasprintf(&tmp, "%s%s%s-%s", list, i ? ", " : "",
		    ctl_json_str(tw, "start") ? ctl_json_str(tw, "start") : "",
		    ctl_json_str(tw, "end") ? ctl_json_str(tw, "end") : "");
		free(list);
		list = tmp;
	}
	if (*list != '\0')
		ctl_kv_add(kv, "times", "%s", list);
	free(list);
	if (ctl_json_str(p, "notes") != NULL && *ctl_json_str(p, "notes"))
		ctl_kv_add(kv, "notes", "%s", ctl_json_str(p, "notes"));
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
}

/*
 * A table of the objects in array, one column per key of keys; a column
 * whose key no object has (no item has a serial number) is left out.
 */
static void
ctl_pickups_subtable(struct ctl *ctl, const json_t *array,
    const struct ctl_col *cols, const char *const *keys, size_t ncols)
{
	struct ctl_table	*t;
	struct ctl_col		 use[8];
	const char		*ukeys[8];
	const json_t		*o;
	char			*s;
	size_t			 i, k, n = 0;

	if (json_array_size(array) == 0 || ncols > 8)
		return;
	for (k = 0; k < ncols; k++)
		json_array_foreach(array, i, o) {
			if (json_object_get(o, keys[k]) == NULL)
				continue;
			use[n] = cols[k];
			ukeys[n++] = keys[k];
			break;
		}
	t = ctl_table_new(use, n);
	json_array_foreach(array, i, o)
		for (k = 0; k < n; k++) {
			s = ctl_json_text(json_object_get(o, ukeys[k]));
			ctl_table_cell(t, "%s", s);
			free(s);
		}
	fputc('\n', stdout);
	ctl_table_show(ctl, t);
	ctl_table_free(t);
}

static void
ctl_pickups_print(struct ctl *ctl, const json_t *p)
{
	static const struct ctl_col	 icols[] = {
		{ "CATEGORY", 0, 1 }, { "QTY", 1, 0 }, { "KG", 1, 0 },
		{ "M3", 1, 0 }, { "CONDITION", 0, 0 }, { "STREAMS", 0, 1 },
		{ "SERIAL", 0, 1 }
	};
	static const char *const	 ikeys[] = { "category", "quantity",
	    "weight_kg", "volume_m3", "condition", "streams", "serial" };
	static const struct ctl_col	 hcols[] = {
		{ "AT", 0, 0 }, { "STATUS", 0, 0 }, { "REASON", 0, 1 }
	};
	static const char *const	 hkeys[] = { "at", "status", "reason" };

	ctl_pickups_kv(ctl, p);
	ctl_pickups_subtable(ctl, json_object_get(p, "items"), icols, ikeys,
	    7);
	ctl_pickups_subtable(ctl, json_object_get(p, "history"), hcols, hkeys,
	    3);
}

/* The operands of show, cancel and the like as pickup ids; -1 after a
 * message. */
static int
ctl_pickups_ids(struct ctl *ctl, const struct ctl_cmdargs *ca, long **ids)
{
	int	i;

	*ids = xcalloc(ca->noperands, sizeof(**ids));
	for (i = 0; i < ca->noperands; i++)
		if (ctl_pickups_id(ctl, ca->operands[i], &(*ids)[i]) == -1)
			return -1;
	return 0;
}

/*
 * The id of the one pickup with reference ref into *id.  Several (of as
 * many operators) are listed, and it is for the user to pick: exit 1, as
 * is none.  Returns an exit status, with a message printed.
 */
static int
ctl_pickups_by_reference(struct ctl *ctl, const char *ref, long *id)
{
	struct ctl_pickups_filter f = { NULL, NULL, ref, NULL };
	json_t	*all = json_array();
	char	*next = NULL, *s;
	int	 rc;

	if (*ref == '\0') {
		rc = ctl_usage(ctl, "--reference: an empty reference");
		goto out;
	}
	if ((rc = ctl_pickups_fetch(ctl, 0, NULL, &f, all, &next)) !=
	    CTL_EXIT_OK)
		goto out;
	s = ctl_fmt_clean(ref, 60);
	if (json_array_size(all) == 1)
		*id = (long)json_integer_value(json_object_get(
		    json_array_get(all, 0), "id"));
	else if (json_array_size(all) == 0) {
		ctl_msg("no pickup has reference %s", s);
		rc = CTL_EXIT_REFUSED;
	} else {
		ctl_msg("%zu pickups have reference %s, of several operators: "
		    "show one by its id", json_array_size(all), s);
		ctl_pickups_list_print(ctl, all, NULL);
		rc = CTL_EXIT_REFUSED;
	}
	free(s);
out:
	json_decref(all);
	free(next);
	return rc;
}

static int
ctl_pickups_show(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	char			*path, *cause = NULL, *what;
	long			*ids = NULL, one = 0;
	int			 rc = CTL_EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	if ((ca->noperands > 0) == (ca->opt[O_REFERENCE] != NULL)) {
		ctl_usage(ctl, ca->noperands > 0 ? "an id or --reference, not "
		    "both" : "which pickup? an id, or --reference R");
		goto out;
	}
	if (ca->opt[O_REFERENCE] != NULL) {
		if ((rc = ctl_pickups_by_reference(ctl, ca->opt[O_REFERENCE],
		    &one)) != CTL_EXIT_OK)
			goto out;
		ids = xcalloc(1, sizeof(*ids));
		ids[0] = one;
	} else if (ctl_pickups_ids(ctl, ca, &ids) == -1)
		goto out;
	xasprintf(&path, "/v1/pickups/%ld", ids[0]);
	rc = ctl_http_get(ctl->http, path, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK) {
		xasprintf(&what, "pickup %ld", ids[0]);
		rc = ctl_failed(rc, cause, what);
		free(what);
	} else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		ctl_pickups_print(ctl, r.body);
out:
	ctl_reply_clear(&r);
	free(ids);
	return rc;
}

/* "pickup 12 cancelled": the status it has now. */
static void
ctl_pickups_say_status(long id, const json_t *answer)
{
	char	*st = ctl_json_text(json_object_get(answer, "status"));

	printf("pickup %ld %s\n", id, st);
	free(st);
}

static void
ctl_pickups_say_confirmed(long id, const json_t *answer)
{
	(void)answer;
	printf("pickup %ld confirmed: its day is pinned\n", id);
}

/*
 * POST body (NULL: none) to /v1/pickups/ID/action for each of the n ids,
 * with kg[i] as its weight_kg when kg is not NULL, and have say() print
 * each answer (--json prints it as it is).  Goes on after a pickup the
 * server refuses, so one bad id does not stop a batch, but not when the
 * server cannot be reached.  Returns the worst exit status.
 */
static int
ctl_pickups_post(struct ctl *ctl, const long *ids, const double *kg,
    size_t n, const char *action, const json_t *body,
    void (*say)(long, const json_t *))
{
	struct ctl_reply	 r;
	json_t			*one_body;
	char			*path, *cause = NULL, *what;
	size_t			 i;
	int			 rc = CTL_EXIT_OK, one, answered;

	for (i = 0; i < n; i++) {
		xasprintf(&path, "/v1/pickups/%ld/%s", ids[i], action);
		one_body = body != NULL ? json_deep_copy(body) : NULL;
		if (kg != NULL)
			json_object_set_new(one_body, "weight_kg",
			    json_real(kg[i]));
		one = ctl_http_post(ctl->http, path, one_body, NULL, &r,
		    &cause);
		json_decref(one_body);
		free(path);
		if (one != CTL_EXIT_OK) {
			xasprintf(&what, "pickup %ld", ids[i]);
			ctl_failed(one, cause, what);
			free(what);
		} else if (ctl->json)
			ctl_json_print(r.body, stdout, 0);
		else
			say(ids[i], r.body);
		answered = r.status != 0;
		ctl_reply_clear(&r);
		if (one > rc)
			rc = one;
		/* No point asking a server we cannot reach again. */
		if (one == CTL_EXIT_UNREACHABLE && !answered)
			break;
	}
	return rc;
}

/* s is a date as YYYY-MM-DD (the server checks the calendar). */
static int
ctl_pickups_is_date(const char *s, size_t n)
{
	size_t	i;

	if (n != 10)
		return 0;
	for (i = 0; i < n; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/*
 * The merge patch of amend: --notes and --window (FROM..TO, or one DAY for
 * both), or a file of one JSON object ("-": standard input).  NULL after a
 * usage message.
 */
static json_t *
ctl_pickups_patch(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	const char	*w = ca->opt[O_WINDOW], *dots, *file;
	json_t		*patch;
	json_error_t	 jerr;
	char		*buf, *cause = NULL;
	size_t		 len;

	file = ca->noperands > 1 ? ca->operands[1] : NULL;
	if (file != NULL && (w != NULL || ca->opt[O_NOTES] != NULL)) {
		ctl_usage(ctl, "a patch FILE, or --notes and --window: not "
		    "both");
		return NULL;
	}
	if (file == NULL && w == NULL && ca->opt[O_NOTES] == NULL) {
		ctl_usage(ctl, "what to change? --notes TEXT, --window "
		    "FROM..TO or a patch FILE");
		return NULL;
	}
	if (file != NULL) {
		if ((buf = ctl_pickups_read(file, &len, &cause)) == NULL) {
			ctl_usage(ctl, "%s", cause);
			free(cause);
			return NULL;
		}
		patch = json_loadb(buf, len, 0, &jerr);
		free(buf);
		if (!json_is_object(patch)) {
			ctl_usage(ctl, "%s: %s", strcmp(file, "-") == 0 ?
			    "standard input" : file, patch == NULL ? jerr.text :
			    "not a JSON object (a merge patch of the pickup)");
			json_decref(patch);
			return NULL;
		}
		return patch;
	}
	patch = json_object();
	if (ca->opt[O_NOTES] != NULL)
		json_object_set_new(patch, "notes",
		    json_string(ca->opt[O_NOTES]));
	if (w != NULL) {
		dots = strstr(w, "..");
		if (!ctl_pickups_is_date(w, dots ? (size_t)(dots - w) :
		    strlen(w)) || (dots && !ctl_pickups_is_date(dots + 2,
		    strlen(dots + 2)))) {
			ctl_usage(ctl, "--window: \"%s\" is not a day "
			    "YYYY-MM-DD or FROM..TO", w);
			json_decref(patch);
			return NULL;
		}
		json_object_set_new(patch, "window", json_pack("{s:s%,s:s}",
		    "from", w, dots ? (size_t)(dots - w) : strlen(w), "to",
		    dots ? dots + 2 : w));
	}
	return patch;
}

/*
 * The reply's warnings (a window without a collection day), a line each
 * on the standard error after who.
 */
static void
ctl_pickups_warnings(const char *who, const json_t *reply)
{
	const json_t	*w;
	const char	*m;
	char		*msg;
	size_t		 i;

	json_array_foreach(json_object_get(reply, "warnings"), i, w) {
		m = json_string_value(json_object_get(w, "message"));
		msg = ctl_fmt_clean(m != NULL ? m : "(no message)", 0);
		ctl_msg("%s: warning: %s", who, msg);
		free(msg);
	}
}

/*
 * amend: PATCH the pickup with the merge patch and say what changed
 * ("pickup 12 amended: window, notes", or that nothing did).
 */
static int
ctl_pickups_amend(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	const json_t		*v;
	json_t			*patch;
	char			*path, *cause = NULL, *list;
	size_t			 i;
	long			 id;
	int			 rc;

	if (ctl_pickups_id(ctl, ca->operands[0], &id) == -1 ||
	    (patch = ctl_pickups_patch(ctl, ca)) == NULL)
		return CTL_EXIT_USAGE;
	xasprintf(&path, "/v1/pickups/%ld", id);
	rc = ctl_http_patch(ctl->http, path, patch, &r, &cause);
	free(path);
	json_decref(patch);
	if (rc != CTL_EXIT_OK)
		ctl_failed(rc, cause, NULL);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else if (json_array_size(json_object_get(r.body, "changed")) == 0)
		printf("pickup %ld: nothing to change\n", id);
	else {
		list = xstrdup("");
		json_array_foreach(json_object_get(r.body, "changed"), i, v)
			xappendf(&list, "%s%s", i ? ", " : "",
			    json_string_value(v) ? json_string_value(v) : "?");
		printf("pickup %ld amended: %s\n", id, list);
		free(list);
	}
	if (rc == CTL_EXIT_OK) {
		xasprintf(&path, "pickup %ld", id);
		ctl_pickups_warnings(path, r.body);
		free(path);
	}
	ctl_reply_clear(&r);
	return rc;
}

/* ctl_pickups_post() for the id operands. */
static int
ctl_pickups_each(struct ctl *ctl, const struct ctl_cmdargs *ca,
    const char *action, const json_t *body,
    void (*say)(long, const json_t *))
{
	long	*ids;
	int	 rc;

	if (ctl_pickups_ids(ctl, ca, &ids) == -1)
		rc = CTL_EXIT_USAGE;
	else
		rc = ctl_pickups_post(ctl, ids, NULL, ca->noperands, action,
		    body, say);
	free(ids);
	return rc;
}

static int
ctl_pickups_cancel(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	return ctl_pickups_each(ctl, ca, "cancel", NULL,
	    ctl_pickups_say_status);
}

static int
ctl_pickups_confirm(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	return ctl_pickups_each(ctl, ca, "confirm", NULL,
	    ctl_pickups_say_confirmed);
}

/*
 * The weights file of collected and sorted --weights: one pickup a line,
 * its id and its kg.  NULL after a message.
 */
static struct ctl_weight *
ctl_pickups_weights(struct ctl *ctl, const char *path, size_t *n)
{
	struct ctl_weight	*w;
	char			*buf, *cause = NULL;
	size_t			 len;

	if ((buf = ctl_pickups_read(path, &len, &cause)) == NULL) {
		ctl_usage(ctl, "--weights: %s", cause);
		free(cause);
		return NULL;
	}
	w = ctl_weights_parse(buf, len, strcmp(path, "-") == 0 ?
	    "standard input" : path, n, &cause);
	free(buf);
	if (w == NULL) {
		ctl_usage(ctl, "--weights: %s", cause);
		free(cause);
	}
	return w;
}

/*
 * collected, not-collected and sorted: the event the verb names, with
 * --weight (kg, a number over 0: the server checks the upper bound) or a
 * --weights file of pickups and their kg, --code and --stream passed on
 * for the server to check against its lists.  A weights file is read
 * whole before the first request, so a bad line sends nothing.
 */
static int
ctl_pickups_event(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	const char		*verb = ctl->cmd->verb, *w = ca->opt[O_WEIGHT];
	struct ctl_weight	*ws = NULL;
	json_t			*ev;
	char			*end;
	long			*ids;
	double			*kgs, kg = 0;
	size_t			 i, n = 0;
	int			 rc;

	if (ca->opt[O_WEIGHTS] != NULL && (w != NULL || ca->noperands > 0))
		return ctl_usage(ctl, "--weights: the file names the pickups "
		    "and their weights; no --weight or ids with it");
	if (ca->opt[O_WEIGHTS] == NULL && ca->noperands == 0)
		return ctl_usage(ctl, "which pickup?");
	if (w != NULL) {
		errno = 0;
		kg = strtod(w, &end);
		if (end == w || *end != '\0' || errno != 0 || !(kg > 0) ||
		    !isfinite(kg))
			return ctl_usage(ctl, "--weight: \"%s\" is not a "
			    "weight in kg over 0", w);
		if (ca->noperands > 1)
			return ctl_usage(ctl, "--weight: one pickup at a time; "
			    "--weights FILE for several");
	}
	if (strcmp(verb, "not-collected") == 0 && ca->opt[O_CODE] == NULL)
		return ctl_usage(ctl, "why was it not collected? --code "
		    "not_out, no_access, contaminated or overweight");
	if (strcmp(verb, "sorted") == 0 && ca->opt[O_STREAM] == NULL)
		return ctl_usage(ctl, "into which stream? --stream repair, "
		    "reuse, recycle or dispose");
	if (ca->opt[O_WEIGHTS] != NULL &&
	    (ws = ctl_pickups_weights(ctl, ca->opt[O_WEIGHTS], &n)) == NULL)
		return CTL_EXIT_USAGE;
	ev = json_pack("{s:s}", "type", strcmp(verb, "not-collected") == 0 ?
	    "not_collected" : verb);
	if (w != NULL)
		json_object_set_new(ev, "weight_kg", json_real(kg));
	if (ca->opt[O_CODE] != NULL)
		json_object_set_new(ev, "code", json_string(ca->opt[O_CODE]));
	if (ca->opt[O_STREAM] != NULL)
		json_object_set_new(ev, "stream",
		    json_string(ca->opt[O_STREAM]));
	if (ws == NULL)
		rc = ctl_pickups_each(ctl, ca, "events", ev,
		    ctl_pickups_say_status);
	else {
		ids = xcalloc(n, sizeof(*ids));
		kgs = xcalloc(n, sizeof(*kgs));
		for (i = 0; i < n; i++) {
			ids[i] = ws[i].id;
			kgs[i] = ws[i].kg;
		}
		rc = ctl_pickups_post(ctl, ids, kgs, n, "events", ev,
		    ctl_pickups_say_status);
		free(ids);
		free(kgs);
	}
	free(ws);
	json_decref(ev);
	return rc;
}

/* s without its leading and trailing blanks (cut in place). */
static char *
ctl_weights_trim(char *s)
{
	size_t	n;

	s += strspn(s, " \t\r");
	for (n = strlen(s); n > 0 && strchr(" \t\r", s[n - 1]) != NULL; n--)
		;
	s[n] = '\0';
	return s;
}

/*
 * Split line (cut in place) at sep, or at runs of blanks when sep is ' ',
 * into fields without their blanks, empty ones at the end (a spreadsheet's
 * empty columns) left off.  Returns how many, at most max + 1 (more than
 * max): f has room for max + 1.
 */
static int
ctl_weights_split(char *line, int sep, char **f, int max)
{
	char	*p, *save = NULL, seps[2] = { (char)sep, '\0' };
	int	 n = 0, last = 0;

	if (sep == ' ') {
		for (p = strtok_r(line, " \t\r", &save); p != NULL && n <= max;
		    p = strtok_r(NULL, " \t\r", &save))
			f[n++] = p;
		return n;
	}
	while ((p = strsep(&line, seps)) != NULL) {
		p = ctl_weights_trim(p);
		if (n <= max)
			f[n] = p;
		n++;
		if (*p != '\0')
			last = n;
	}
	return last <= max ? last : max + 1;
}

/*
 * Parse a weights file (name is for messages): one pickup a line, "ID KG",
 * the two separated by a semicolon, a tab, a comma or blanks (the first of
 * these the line has, blanks before a comma), as a spreadsheet exports
 * them; a weight may have a decimal comma unless commas separate.  Blank lines and "#" comments are
 * skipped, and a first line whose first field is "id" or starts with
 * "pickup" is a header.  Each id once, each weight a number over 0 (the server checks
 * the upper bound).  Returns the pickups (*n of them), or NULL with *cause
 * ("name:line: why").
 */
struct ctl_weight *
ctl_weights_parse(const char *buf, size_t len, const char *name, size_t *n,
    char **cause)
{
	struct ctl_weight	*w = NULL;
	const char		*p, *end = buf + len, *eol;
	char			*line = NULL, *f[3], *e;
	size_t			 no = 0, cap = 0, i, *lines = NULL, lcap = 0;
	long			 id;
	double			 kg;
	int			 sep, nf, header_ok = 1;

	*n = 0;
	for (p = buf; p < end; p = eol < end ? eol + 1 : end) {
		no++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		free(line);
		line = xstrndup(p, (size_t)(eol - p));
		e = ctl_weights_trim(line);
		if (*e == '\0' || *e == '#')
			continue;
		sep = strchr(e, ';') ? ';' : strchr(e, '\t') ? '\t' :
		    strchr(e, ',') ? ',' : ' ';
		/* "12 31,5": blanks separate, the comma is a decimal one */
		if (sep == ',' && strcspn(e, " ") < strcspn(e, ","))
			sep = ' ';
		nf = ctl_weights_split(e, sep, f, 2);
		if (header_ok && nf >= 1 && (strncasecmp(f[0], "pickup", 6) ==
		    0 || strcasecmp(f[0], "id") == 0)) {
			header_ok = 0;
			continue;
		}
		header_ok = 0;
		if (nf != 2 || *f[0] == '\0' || *f[1] == '\0') {
			xasprintf(cause, "%s:%zu: expected a pickup id and its "
			    "weight in kg", name, no);
			goto fail;
		}
		errno = 0;
		id = strtol(f[0], &e, 10);
		if (e == f[0] || *e != '\0' || errno != 0 || id < 1) {
			xasprintf(cause, "%s:%zu: \"%s\" is not a pickup id",
			    name, no, f[0]);
			goto fail;
		}
		/* 31,5 kg where commas do not separate */
		if (sep != ',' && (e = strchr(f[1], ',')) != NULL &&
		    strchr(e + 1, ',') == NULL && strchr(f[1], '.') == NULL)
			*e = '.';
		errno = 0;
		kg = strtod(f[1], &e);
		if (e == f[1] || *e != '\0' || errno != 0 || !(kg > 0) ||
		    !isfinite(kg)) {
			xasprintf(cause, "%s:%zu: \"%s\" is not a weight in kg "
			    "over 0", name, no, f[1]);
			goto fail;
		}
		for (i = 0; i < *n; i++)
			if (w[i].id == id) {
				xasprintf(cause, "%s:%zu: pickup %ld is on line "
				    "%zu already", name, no, id, lines[i]);
				goto fail;
			}
		w = xgrowarray(w, &cap, *n, sizeof(*w));
		lines = xgrowarray(lines, &lcap, *n, sizeof(*lines));
		w[*n].id = id;
		w[*n].kg = kg;
		lines[(*n)++] = no;
	}
	free(line);
	free(lines);
	if (*n == 0) {
		xasprintf(cause, "%s: no pickups in it", name);
		free(w);
		return NULL;
	}
	return w;
fail:
	free(line);
	free(w);
	free(lines);
	*n = 0;
	return NULL;
}

/*
 * Split input (name is for messages) into the values it holds: one JSON
 * value, several one after another (JSON lines, or pretty-printed objects),
 * an array of them, or a mix; arrays at the top level are flattened one
 * level.  Returns a new array, or NULL with *cause ("name:line: why") on a
 * syntax error or an input with nothing in it.  Does not check the values
 * are objects.
 */
json_t *
ctl_pickups_input(const char *buf, size_t len, const char *name,
    char **cause)
{
	json_t		*all = json_array(), *v;
	json_error_t	 err;
	size_t		 off = 0, line = 1, i;

	for (;;) {
		while (off < len && strchr(" \t\r\n", buf[off]) != NULL &&
		    buf[off] != '\0')
			line += buf[off++] == '\n';
		if (off >= len)
			break;
		v = json_loadb(buf + off, len - off, JSON_DISABLE_EOF_CHECK,
		    &err);
		if (v == NULL) {
			xasprintf(cause, "%s:%zu: %s", name,
			    line + (err.line > 0 ? err.line - 1 : 0), err.text);
			json_decref(all);
			return NULL;
		}
		for (i = off; i < off + (size_t)err.position && i < len; i++)
			line += buf[i] == '\n';
		off += err.position;
		if (json_is_array(v))
			json_array_extend(all, v);
		else
			json_array_append(all, v);
		json_decref(v);
	}
	if (json_array_size(all) == 0) {
		xasprintf(cause, "%s: no pickups in it", name);
		json_decref(all);
		return NULL;
	}
	return all;
}

/* Read all of path ("-": standard input); NULL with *cause on failure. */
static char *
ctl_pickups_read(const char *path, size_t *len, char **cause)
{
	FILE	*fp = stdin;
	char	*buf = NULL;
	size_t	 cap = 0, n;

	*len = 0;
	if (strcmp(path, "-") != 0 && (fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (*len + 65536 + 1 > cap) {
			cap = cap == 0 ? 65536 + 1 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + *len, 1, cap - *len - 1, fp);
		*len += n;
		if (*len > CTL_INPUT_MAX) {
			xasprintf(cause, "%s: larger than %d MiB; split it",
			    path, CTL_INPUT_MAX / (1024 * 1024));
			break;
		}
		if (n == 0)
			break;
	}
	if (*cause == NULL && ferror(fp))
		xasprintf(cause, "%s: %s", path, strerror(errno));
	if (fp != stdin)
		fclose(fp);
	if (*cause != NULL) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

struct ctl_submit_count {
	size_t	new, existing, rejected, failed, unsent;
	int	check;		/* pickups check: validate only */
};

/*
 * Submit p, the n-th (1-based) pickup of input name; print the outcome
 * and count it.  Returns an exit status, or -1 when the server did not
 * answer at all and the batch should stop.
 */
static int
ctl_pickups_submit_one(struct ctl *ctl, const char *name, size_t n,
    const json_t *p, struct ctl_submit_count *cnt)
{
	struct ctl_reply	 r;
	const char		*ref = ctl_json_str(p, "reference");
	char			*cause = NULL, *what, *id;
	int			 rc;

	rc = ctl_http_post(ctl->http, cnt->check ? "/v1/pickups/validate" :
	    "/v1/pickups", p, NULL, &r, &cause);
	if (ctl->json && r.body != NULL) {
		ctl_progress_clear();
		ctl_json_print(r.body, stdout, 1);
	}
	if (rc == CTL_EXIT_OK && cnt->check) {
		cnt->new++;
		if (!ctl->json) {
			ctl_progress_clear();
			what = ctl_fmt_clean(ref != NULL ? ref : "-", 0);
			printf("%s #%zu %s valid\n", name, n, what);
			free(what);
		}
	} else if (rc == CTL_EXIT_OK) {
		if (r.status == 201)
			cnt->new++;
		else
			cnt->existing++;
		if (!ctl->json) {
			ctl_progress_clear();
			id = ctl_json_text(json_object_get(r.body, "id"));
			what = ctl_fmt_clean(ref != NULL ? ref : "-", 0);
			printf("%s %s %s\n", id, what, r.status == 201 ?
			    "new" : "existing");
			free(what);
			free(id);
		}
	} else {
		if (rc == CTL_EXIT_REFUSED)
			cnt->rejected++;
		else if (r.status == 0)
			cnt->unsent++;
		else
			cnt->failed++;
		what = ctl_fmt_clean(ref != NULL ? ref : "no reference", 60);
		ctl_msg("%s #%zu (%s): %s%s", name, n, what,
		    rc == CTL_EXIT_REFUSED ? "rejected: " : "", cause);
		free(what);
		free(cause);
	}
	if (rc == CTL_EXIT_OK) {
		what = ctl_fmt_clean(ref != NULL ? ref : "no reference", 60);
		xasprintf(&id, "%s #%zu (%s)", name, n, what);
		ctl_pickups_warnings(id, r.body);
		free(id);
		free(what);
	}
	if (rc == CTL_EXIT_UNREACHABLE && r.status == 0)
		rc = -1;	/* no answer at all: stop the batch */
	ctl_reply_clear(&r);
	return rc;
}

/* submit, or with check set validate only (pickups check). */
static int
ctl_pickups_send(struct ctl *ctl, const struct ctl_cmdargs *ca, int check)
{
	struct ctl_submit_count		 cnt;
	const char			*verb = check ? "pickups check" :
					    "pickups submit";
	const char			*name, *file = ca->operands[0];
	char				*buf = NULL, *cause = NULL;
	json_t				*all = NULL, *p;
	size_t				 len, i, n;
	int				 rc = CTL_EXIT_OK, one;

	memset(&cnt, 0, sizeof(cnt));
	cnt.check = check;
	name = strcmp(file, "-") == 0 ? "stdin" : file;
	if ((buf = ctl_pickups_read(file, &len, &cause)) == NULL ||
	    (all = ctl_pickups_input(buf, len, name, &cause)) == NULL) {
		rc = ctl_failed(CTL_EXIT_USAGE, cause, verb);
		goto out;
	}
	json_array_foreach(all, i, p)
		if (!json_is_object(p)) {
			ctl_msg("%s: #%zu is not a JSON object; nothing "
			    "%s", name, i + 1, check ? "checked" : "submitted");
			rc = CTL_EXIT_USAGE;
			goto out;
		}
	n = json_array_size(all);
	json_array_foreach(all, i, p) {
		if (ctl->progress && n > 1)
			ctl_progress(i, n, ctl->errwidth);
		one = ctl_pickups_submit_one(ctl, name, i + 1, p, &cnt);
		if (ctl->progress && n > 1)
			ctl_progress(i + 1, n, ctl->errwidth);
		if (one == -1) {
			cnt.unsent += n - i - 1;
			rc = CTL_EXIT_UNREACHABLE;
			break;
		}
		if (one > rc)
			rc = one;
	}
	ctl_progress_clear();
	if (check)
		ctl_msg("%zu valid, %zu rejected (nothing stored)", cnt.new,
		    cnt.rejected);
	else
		ctl_msg("%zu accepted (%zu new, %zu existing), %zu rejected",
		    cnt.new + cnt.existing, cnt.new, cnt.existing,
		    cnt.rejected);
	if (cnt.failed != 0 || cnt.unsent != 0)
		ctl_msg("%zu failed on the server's side, %zu not sent "
		    "(the server did not answer)", cnt.failed, cnt.unsent);
out:
	json_decref(all);
	free(buf);
	return rc;
}

static int
ctl_pickups_submit(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	return ctl_pickups_send(ctl, ca, 0);
}

static int
ctl_pickups_check(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	return ctl_pickups_send(ctl, ca, 1);
}
