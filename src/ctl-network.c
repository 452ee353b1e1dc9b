/*
 * ctl-network.c -- the network the planner plans over: "recircctl centres
 * | fleet | processors | rules" with list, show, add, set and rm.
 *
 * The client side of /v1/centres, /v1/fleet, /v1/processors and
 * /v1/rules.  Reading is for any staff role, writing for admins (the
 * server decides).  The four resources differ only in how they are shown,
 * so add, set and rm are one function for all of them
 * (ctl_network_write), told apart by the running command's resource
 * (ctl_network_kinds[]) and verb; processors and
 * rules are shown from a column table, centres and fleet by printers of
 * their own.  A rule is named by its key CATEGORY/CONDITION/STREAM, '*'
 * for any.  Capacities are per day: kg sorted per stream at a centre, kg,
 * m3 and stops per vehicle.
 *
 * Input to add and set is a JSON object from a file or "-" (standard
 * input), or KEY=VALUE operands: KEY may be dotted (capacity.kg=900) and
 * VALUE is JSON when it parses as JSON (a number, true, ["a","b"]), else a
 * string.  "set ID KEY=VALUE ..." changes those members of the object as
 * the server has it (read, changed, written back); "set ID FILE" replaces
 * the object with the file's.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* A column of a simple listing, and a line of its "show". */
struct ctl_network_col {
	const char	*title;
	const char	*key;		/* member of the object */
	int		 right;		/* a number */
};

/* One network resource as the client sees it. */
struct ctl_network_kind {
	const char			*resource;	/* and the URL's */
	const char			*noun;
	const struct ctl_network_col	*cols;		/* NULL: own printers */
};

static const struct ctl_network_col ctl_network_proc_cols[] = {
	{ "ID", "id", 0 }, { "STREAM", "stream", 0 }, { "NAME", "name", 0 },
	{ "COST/KG", "cost_per_kg", 1 }, { NULL, NULL, 0 }
};
static const struct ctl_network_col ctl_network_rule_cols[] = {
	{ "CATEGORY", "category", 0 }, { "CONDITION", "condition", 0 },
	{ "STREAM", "stream", 0 }, { "VALUE/KG", "value", 1 },
	{ NULL, NULL, 0 }
};

static const struct ctl_network_kind ctl_network_kinds[] = {
	{ "centres", "centre", NULL },
	{ "fleet", "vehicle type", NULL },
	{ "processors", "processor", ctl_network_proc_cols },
	{ "rules", "rule", ctl_network_rule_cols },
};

static int	ctl_network_centres(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_centre(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_fleet(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_vehicle(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_list(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_show(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_network_write(struct ctl *, const struct ctl_cmdargs *);

#define CTL_NETWORK_IN	"FILE|-|KEY=VALUE ..."
#define CTL_RULE_KEY	"CATEGORY/CONDITION/STREAM"

/* The templates: list; show and rm; add; set. */
#define CTL_NET_LIST	{ NULL, 0, 0, NULL, NULL }
#define CTL_NET_ONE	{ NULL, 1, 1, "which one?", "id" }
#define CTL_NET_ADD	{ NULL, 1, -1, "give a FILE, - for standard input, " \
	"or KEY=VALUE ...", NULL }
#define CTL_NET_SET	{ NULL, 2, -1, "give the id, then a FILE, - for " \
	"standard input, or KEY=VALUE ...", NULL }

const struct ctl_cmd ctl_network_cmds[] = {
	{ "centres", "list", "", "centres: existing or candidate, capacity",
	    1, CTL_NET_LIST, ctl_network_centres },
	{ "centres", "show", "ID", "one centre with its vehicles", 1,
	    CTL_NET_ONE, ctl_network_centre },
	{ "centres", "add", CTL_NETWORK_IN, "create a centre (admin)", 1,
	    CTL_NET_ADD, ctl_network_write },
	{ "centres", "set", "ID " CTL_NETWORK_IN, "replace a centre, or "
	    "change some of its members (admin)", 1, CTL_NET_SET,
	    ctl_network_write },
	{ "centres", "rm", "ID", "delete a centre without vehicles (admin)",
	    1, CTL_NET_ONE, ctl_network_write },
	{ "fleet", "list", "", "vehicle types: centre, count, capacity, "
	    "costs", 1, CTL_NET_LIST, ctl_network_fleet },
	{ "fleet", "show", "ID", "one vehicle type", 1, CTL_NET_ONE,
	    ctl_network_vehicle },
	{ "fleet", "add", CTL_NETWORK_IN, "create a vehicle type (admin)", 1,
	    CTL_NET_ADD, ctl_network_write },
	{ "fleet", "set", "ID " CTL_NETWORK_IN, "replace or change a vehicle "
	    "type (admin)", 1, CTL_NET_SET, ctl_network_write },
	{ "fleet", "rm", "ID", "delete a vehicle type (admin)", 1,
	    CTL_NET_ONE, ctl_network_write },
	{ "processors", "list", "", "where each sorted stream goes, cost per "
	    "kg", 1, CTL_NET_LIST, ctl_network_list },
	{ "processors", "show", "ID", "one processor", 1, CTL_NET_ONE,
	    ctl_network_show },
	{ "processors", "add", CTL_NETWORK_IN, "create a processor (admin)",
	    1, CTL_NET_ADD, ctl_network_write },
	{ "processors", "set", "ID " CTL_NETWORK_IN, "replace or change a "
	    "processor (admin)", 1, CTL_NET_SET, ctl_network_write },
	{ "processors", "rm", "ID", "delete a processor (admin)", 1,
	    CTL_NET_ONE, ctl_network_write },
	{ "rules", "list", "", "stream rules that override the catalogue", 1,
	    CTL_NET_LIST, ctl_network_list },
	{ "rules", "show", CTL_RULE_KEY, "one rule", 1, CTL_NET_ONE,
	    ctl_network_show },
	{ "rules", "add", CTL_NETWORK_IN, "create a rule (admin)", 1,
	    CTL_NET_ADD, ctl_network_write },
	{ "rules", "set", CTL_RULE_KEY " " CTL_NETWORK_IN, "replace or "
	    "change a rule (admin)", 1, CTL_NET_SET, ctl_network_write },
	{ "rules", "rm", CTL_RULE_KEY, "delete a rule (admin)", 1,
	    CTL_NET_ONE, ctl_network_write },
	{ NULL, NULL, NULL, NULL, 0, CTL_NET_LIST, NULL }
};

/* The resource of the running command. */
static const struct ctl_network_kind *
ctl_network_kind(const struct ctl *ctl)
{
	size_t	i, n = sizeof(ctl_network_kinds) / sizeof(ctl_network_kinds[0]);

	for (i = 0; i < n - 1; i++)
		if (strcmp(ctl->cmd->resource, ctl_network_kinds[i].resource) ==
		    0)
			break;
	return &ctl_network_kinds[i];
}

/* o[key] as a number, 0 if absent. */
static double
ctl_network_num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* "/v1/RESOURCE/KEY", each '/'-separated part of key escaped; allocated. */
static char *
ctl_network_path(const char *resource, const char *key)
{
	char	*path, *part, *e, *copy, *tmp, *save = NULL;

	xasprintf(&path, "/v1/%s", resource);
	if (key == NULL)
		return path;
	copy = xstrdup(key);
	for (part = strtok_r(copy, "/", &save); part != NULL;
	    part = strtok_r(NULL, "/", &save)) {
		e = ctl_http_escape(part);
		xasprintf(&tmp, "%s/%s", path, e);
		free(e);
		free(path);
		path = tmp;
	}
	free(copy);
	return path;
}

/* The id operand, if the command has one: -1 after a message if empty. */
static int
ctl_network_id(struct ctl *ctl, const struct ctl_cmdargs *ca,
    const char **id)
{
	*id = ca->noperands > 0 ? ca->operands[0] : NULL;
	if (*id != NULL && **id == '\0') {
		ctl_usage(ctl, "an empty id");
		return -1;
	}
	return 0;
}

/*
 * GET /v1/RESOURCE, or /v1/RESOURCE/ID when the command has an operand,
 * into *r; what names it in messages.  Returns 1 when *r holds the answer
 * for the caller to show; 0 when all is done (--json printed, or a
 * failure reported) with the exit status in *rc.  The caller clears *r
 * either way.
 */
static int
ctl_network_get(struct ctl *ctl, const struct ctl_cmdargs *ca,
    const char *resource, const char *what, struct ctl_reply *r, int *rc)
{
	const char	*id;
	char		*path, *e, *cause = NULL, *msg;

	memset(r, 0, sizeof(*r));
	*rc = CTL_EXIT_USAGE;
	if (ctl_network_id(ctl, ca, &id) == -1)
		return 0;
	path = ctl_network_path(resource, id);
	*rc = ctl_http_get(ctl->http, path, r, &cause);
	free(path);
	if (*rc != CTL_EXIT_OK) {
		e = ctl_fmt_clean(id != NULL ? id : "", 60);
		xasprintf(&msg, "%s%s%s", what, id != NULL ? " " : "", e);
		*rc = ctl_failed(*rc, cause, msg);
		free(msg);
		free(e);
	} else if (ctl->json)
		ctl_json_print(r->body, stdout, 0);
	else
		return 1;
	return 0;
}

/* The key of an object the server sent: its id, or a rule's three parts. */
static char *
ctl_network_key(const json_t *o)
{
	char	*key;

	if (ctl_json_str(o, "id") != NULL)
		return ctl_fmt_clean(ctl_json_str(o, "id"), 60);
	xasprintf(&key, "%s/%s/%s", ctl_json_str(o, "category") ?
	    ctl_json_str(o, "category") : "?", ctl_json_str(o, "condition") ?
	    ctl_json_str(o, "condition") : "?", ctl_json_str(o, "stream") ?
	    ctl_json_str(o, "stream") : "?");
	return key;
}

/* A listing from the kind's column table. */
static int
ctl_network_list(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	const struct ctl_network_kind	*k = ctl_network_kind(ctl);
	struct ctl_col			 cols[8];
	struct ctl_table		*t;
	struct ctl_reply		 r;
	const json_t			*list, *o, *v;
	size_t				 i, c, n;
	int				 rc;

	if (!ctl_network_get(ctl, ca, k->resource, k->resource, &r, &rc))
		goto out;
	list = json_object_get(r.body, k->resource);
	if (json_array_size(list) == 0) {
		ctl_msg("no %s; an admin adds them with \"recircctl %s add\" "
		    "or recircd seed", k->resource, k->resource);
		goto out;
	}
	for (n = 0; k->cols[n].title != NULL && n < 8; n++)
		cols[n] = (struct ctl_col){ k->cols[n].title,
		    k->cols[n].right, !k->cols[n].right };
	t = ctl_table_new(cols, n);
	json_array_foreach(list, i, o)
		for (c = 0; c < n; c++) {
			v = json_object_get(o, k->cols[c].key);
			if (json_is_number(v))
				ctl_table_cell(t, "%g", json_number_value(v));
			else
				ctl_table_cell(t, "%s", json_is_string(v) ?
				    json_string_value(v) : "");
		}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* One object, a line per column of the kind's table. */
static int
ctl_network_show(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	const struct ctl_network_kind	*k = ctl_network_kind(ctl);
	const struct ctl_network_col	*c;
	struct ctl_reply		 r;
	struct ctl_kv			*kv;
	const json_t			*v;
	int				 rc;

	if (!ctl_network_get(ctl, ca, k->resource, k->noun, &r, &rc))
		goto out;
	kv = ctl_kv_new();
	for (c = k->cols; c->title != NULL; c++) {
		v = json_object_get(r.body, c->key);
		if (json_is_number(v))
			ctl_kv_add(kv, c->key, "%g", json_number_value(v));
		else
			ctl_kv_add(kv, c->key, "%s", json_is_string(v) ?
			    json_string_value(v) : "");
	}
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* Is s a KEY=VALUE operand (KEY of [a-z0-9_.])? */
static int
ctl_network_is_assign(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.");

	return n > 0 && s[n] == '=';
}

/*
 * Set the member that "a.b.c=VALUE" names in o, making the objects on
 * the way.  -1 with *cause when a part of the key is empty.
 */
static int
ctl_network_assign(json_t *o, const char *assign, char **cause)
{
	const char	*eq = strchr(assign, '='), *p, *dot;
	json_t		*v, *sub;
	char		*name;

	for (p = assign; (dot = memchr(p, '.', eq - p)) != NULL; p = dot + 1) {
		if (dot == p)
			goto bad;
		name = xstrndup(p, dot - p);
		if (!json_is_object(sub = json_object_get(o, name))) {
			sub = json_object();
			json_object_set_new(o, name, sub);
		}
		free(name);
		o = sub;
	}
	if (eq == p)
		goto bad;
	if ((v = json_loads(eq + 1, JSON_DECODE_ANY, NULL)) == NULL)
		v = json_string(eq + 1);
	if (v == NULL) {
		xasprintf(cause, "%.*s: the value is not UTF-8",
		    (int)(eq - assign), assign);
		return -1;
	}
	name = xstrndup(p, eq - p);
	json_object_set_new(o, name, v);
	free(name);
	return 0;
bad:
	xasprintf(cause, "%.*s: an empty part in the name", (int)(eq - assign),
	    assign);
	return -1;
}

/*
 * The object operands describe: a file's ("-": standard input) when there
 * is one operand that is not KEY=VALUE, else base (a new object if NULL,
 * else changed in place and returned with a new reference) with each
 * KEY=VALUE set.  NULL with *cause on bad input.  *assigns tells which.
 */
static json_t *
ctl_network_input(char **ops, int n, json_t *base, int *assigns,
    char **cause)
{
	json_error_t	 err;
	json_t		*o;
	int		 i;

	*assigns = ctl_network_is_assign(ops[0]);
	if (!*assigns) {
		if (n > 1) {
			xasprintf(cause, "one FILE, or KEY=VALUE operands "
			    "only");
			return NULL;
		}
		o = strcmp(ops[0], "-") == 0 ? json_loadf(stdin,
		    JSON_REJECT_DUPLICATES, &err) : json_load_file(ops[0],
		    JSON_REJECT_DUPLICATES, &err);
		if (o == NULL && err.line > 0)
			xasprintf(cause, "%s:%d: %s", strcmp(ops[0], "-") == 0 ?
			    "stdin" : ops[0], err.line, err.text);
		else if (o == NULL)	/* "unable to open FILE: why" */
			xasprintf(cause, "%s", err.text);
		if (o == NULL)
			return NULL;
		if (!json_is_object(o)) {
			xasprintf(cause, "%s: not a JSON object", ops[0]);
			json_decref(o);
			return NULL;
		}
		return o;
	}
	o = base != NULL ? json_incref(base) : json_object();
	for (i = 0; i < n; i++) {
		if (!ctl_network_is_assign(ops[i])) {
			xasprintf(cause, "%s: not KEY=VALUE (a file goes "
			    "alone)", ops[i]);
			json_decref(o);
			return NULL;
		}
		if (ctl_network_assign(o, ops[i], cause) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Report a write's answer: the server's JSON, or "centre north created". */
static void
ctl_network_done(struct ctl *ctl, const struct ctl_network_kind *k,
    const json_t *body, const char *key, const char *how)
{
	char	*e;

	if (ctl->json) {
		ctl_json_print(body, stdout, 0);
		return;
	}
	e = ctl_fmt_clean(key, 60);
	printf("%s %s %s\n", k->noun, e, how);
	free(e);
}

/* ctl_failed() as the running command: "rules add: why". */
static int
ctl_network_failed(struct ctl *ctl, int rc, char *cause)
{
	char	*what;

	xasprintf(&what, "%s %s", ctl->cmd->resource, ctl->cmd->verb);
	rc = ctl_failed(rc, cause, what);
	free(what);
	return rc;
}

/*
 * Read the server's object at path into *cur and set the KEY=VALUE
 * operands in it; *o becomes the result.  Returns an exit status.
 */
static int
ctl_network_merge(struct ctl *ctl, const char *path, char **ops, int n,
    struct ctl_reply *cur, json_t **o, char **cause)
{
	int	rc, assigns;

	json_decref(*o);
	*o = NULL;
	if ((rc = ctl_http_get(ctl->http, path, cur, cause)) != CTL_EXIT_OK)
		return rc;
	/* The operands were checked already: this cannot fail. */
	*o = ctl_network_input(ops, n, cur->body, &assigns, cause);
	return *o != NULL ? CTL_EXIT_OK : CTL_EXIT_USAGE;
}

/* Take the "etag" member out of o, into tag ("" if none). */
static void
ctl_network_etag(json_t *o, char *tag, size_t size)
{
	const json_t	*e = json_object_get(o, "etag");

	tag[0] = '\0';
	if (json_is_string(e))
		snprintf(tag, size, "%s", json_string_value(e));
	json_object_del(o, "etag");
}

/*
 * add FILE|-|KEY=VALUE ... (POST /v1/RESOURCE), set KEY FILE|-|KEY=VALUE
 * ... (PUT /v1/RESOURCE/KEY: the file's object, or the server's object
 * changed by the KEY=VALUEs) and rm KEY (DELETE /v1/RESOURCE/KEY), as the
 * running command's verb says.
 */
static int
ctl_network_write(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	const struct ctl_network_kind	*k = ctl_network_kind(ctl);
	const char			*verb = ctl->cmd->verb, *key = NULL;
	struct ctl_reply		 r, cur;
	json_t				*o = NULL;
	char				*path = NULL, *made = NULL;
	char				*cause = NULL, **ops = ca->operands;
	char				 tag[80];
	int				 rc = CTL_EXIT_USAGE, nid, assigns = 0;

	memset(&r, 0, sizeof(r));
	memset(&cur, 0, sizeof(cur));
	nid = strcmp(verb, "add") != 0;
	if (nid && ctl_network_id(ctl, ca, &key) == -1)
		goto out;
	/* Check the input before asking the server anything. */
	if (strcmp(verb, "rm") != 0 && (o = ctl_network_input(ops + nid,
	    ca->noperands - nid, NULL, &assigns, &cause)) == NULL) {
		rc = ctl_network_failed(ctl, CTL_EXIT_USAGE, cause);
		goto out;
	}
	path = ctl_network_path(k->resource, key);
	if (strcmp(verb, "add") == 0)
		rc = ctl_http_post(ctl->http, path, o, NULL, &r, &cause);
	else if (strcmp(verb, "rm") == 0)
		rc = ctl_http_delete(ctl->http, path, NULL, &r, &cause);
	else if (!assigns) {
		/* A whole object: conditional when it carries the "etag"
		 * that show gave (edited from show --json). */
		ctl_network_etag(o, tag, sizeof(tag));
		rc = ctl_http_put(ctl->http, path, o, tag[0] ? tag : NULL, &r,
		    &cause);
	} else if ((rc = ctl_network_merge(ctl, path, ops + 1,
	    ca->noperands - 1, &cur, &o, &cause)) == CTL_EXIT_OK) {
		/* Written only if nobody changed it since we read it. */
		ctl_network_etag(o, tag, sizeof(tag));
		rc = ctl_http_put(ctl->http, path, o, cur.etag[0] ? cur.etag :
		    NULL, &r, &cause);
	}
	if (rc != CTL_EXIT_OK && r.status == 412) {
		free(cause);
		xasprintf(&cause, "%s %s was changed by someone else after it "
		    "was read, and nothing was written; read it again (%s "
		    "show %s) and redo the change", k->noun, key, k->resource,
		    key);
	}
	if (rc != CTL_EXIT_OK) {
		rc = ctl_network_failed(ctl, rc, cause);
		goto out;
	}
	made = key != NULL ? xstrdup(key) : ctl_network_key(r.body);
	ctl_network_done(ctl, k, r.body, made, strcmp(verb, "add") == 0 ?
	    "created" : strcmp(verb, "rm") == 0 ? "deleted" : "updated");
out:
	json_decref(o);
	free(made);
	free(path);
	ctl_reply_clear(&cur);
	ctl_reply_clear(&r);
	return rc;
}

/* The capacity columns: one per stream, as the first centre has them. */
static size_t
ctl_network_stream_cols(const json_t *centres, struct ctl_col *cols,
    size_t max)
{
	const json_t	*cap, *v;
	const char	*stream;
	size_t		 n = 0;

	cap = json_object_get(json_array_get(centres, 0), "capacity_kg");
	json_object_foreach((json_t *)cap, stream, v)
		if (n < max)
			cols[n++] = (struct ctl_col){ stream, 1, 0 };
	return n;
}

static int
ctl_network_centres(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_col		 cols[12] = {
		{ "ID", 0, 1 }, { "NAME", 0, 1 }, { "KIND", 0, 0 },
		{ "FIXED", 1, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *c;
	size_t			 i, k, n;
	int			 rc;

	if (!ctl_network_get(ctl, ca, "centres", "centres", &r, &rc))
		goto out;
	list = json_object_get(r.body, "centres");
	if (json_array_size(list) == 0) {
		ctl_msg("no centres; an admin loads them with recircd seed");
		goto out;
	}
	n = 4 + ctl_network_stream_cols(list, cols + 4, 8);
	t = ctl_table_new(cols, n);
	json_array_foreach(list, i, c) {
		ctl_table_cell(t, "%s", ctl_json_str(c, "id") ?
		    ctl_json_str(c, "id") : "?");
		ctl_table_cell(t, "%s", ctl_json_str(c, "name") ?
		    ctl_json_str(c, "name") : "");
		ctl_table_cell(t, "%s", json_is_true(json_object_get(c,
		    "existing")) ? "existing" : "candidate");
		ctl_table_cell(t, "%.0f", ctl_network_num(c, "fixed_cost"));
		for (k = 4; k < n; k++)
			ctl_table_cell(t, "%.0f", ctl_network_num(
			    json_object_get(c, "capacity_kg"), cols[k].title));
	}
	if (!ctl->tsv)
		printf("capacity: kg sorted per day and stream; fixed: cost "
		    "per day open\n");
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* "avon-van x3 (1000 kg), avon-box x1 (3000 kg)" kept at centre. */
static char *
ctl_network_kept(const json_t *fleet, const char *centre)
{
	const json_t	*v;
	const char	*at;
	char		*list = xstrdup(""), *tmp;
	size_t		 i;

	json_array_foreach(fleet, i, v) {
		if ((at = ctl_json_str(v, "centre")) == NULL ||
		    strcmp(at, centre) != 0)
			continue;
		xasprintf(&tmp, "%s%s%s x%" JSON_INTEGER_FORMAT " (%.0f kg)",
		    list, *list ? ", " : "", ctl_json_str(v, "id") ?
		    ctl_json_str(v, "id") : "?",
		    json_integer_value(json_object_get(v, "count")),
		    ctl_network_num(json_object_get(v, "capacity"), "kg"));
		free(list);
		list = tmp;
	}
	return list;
}

static int
ctl_network_centre(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r, f;
	struct ctl_kv		*kv;
	const json_t		*c, *h, *cap, *v;
	const char		*stream;
	char			*list, *tmp, *cause = NULL;
	int			 rc;

	memset(&f, 0, sizeof(f));
	if (!ctl_network_get(ctl, ca, "centres", "centre", &r, &rc))
		goto out;
	if ((rc = ctl_http_get(ctl->http, "/v1/fleet", &f, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_failed(rc, cause, "fleet");
		goto out;
	}
	c = r.body;
	h = json_object_get(c, "opening_hours");
	kv = ctl_kv_new();
	ctl_kv_add(kv, "id", "%s", ctl_json_str(c, "id"));
	ctl_kv_add(kv, "name", "%s", ctl_json_str(c, "name") ?
	    ctl_json_str(c, "name") : "");
	ctl_kv_add(kv, "kind", "%s", json_is_true(json_object_get(c,
	    "existing")) ? "existing" : "candidate: the planner may open it");
	ctl_kv_add(kv, "location", "%.6f, %.6f", ctl_network_num(c, "lat"),
	    ctl_network_num(c, "lon"));
	ctl_kv_add(kv, "hours", "%s-%s", ctl_json_str(h, "opens") ?
	    ctl_json_str(h, "opens") : "?", ctl_json_str(h, "closes") ?
	    ctl_json_str(h, "closes") : "?");
	ctl_kv_add(kv, "fixed cost", "%.2f per day open",
	    ctl_network_num(c, "fixed_cost"));
	cap = json_object_get(c, "capacity_kg");
	list = xstrdup("");
	json_object_foreach((json_t *)cap, stream, v) {
		xasprintf(&tmp, "%s%s%s %.0f", list, *list ? ", " : "", stream,
		    json_number_value(v));
		free(list);
		list = tmp;
	}
	ctl_kv_add(kv, "capacity", "%s kg per day", list);
	free(list);
	list = ctl_network_kept(json_object_get(f.body, "fleet"),
	    ctl_json_str(c, "id") ? ctl_json_str(c, "id") : "");
	ctl_kv_add(kv, "vehicles", "%s", *list ? list : "none");
	free(list);
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
out:
	ctl_reply_clear(&r);
	ctl_reply_clear(&f);
	return rc;
}

static int
ctl_network_fleet(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	static const struct ctl_col	 cols[] = {
		{ "TYPE", 0, 1 }, { "CENTRE", 0, 1 }, { "COUNT", 1, 0 },
		{ "KG", 1, 0 }, { "M3", 1, 0 }, { "STOPS", 1, 0 },
		{ "SHIFT", 1, 0 }, { "PER KM", 1, 0 }, { "PER H", 1, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *v, *cap;
	size_t			 i;
	int			 rc;

	if (!ctl_network_get(ctl, ca, "fleet", "fleet", &r, &rc))
		goto out;
	list = json_object_get(r.body, "fleet");
	if (json_array_size(list) == 0) {
		ctl_msg("no vehicles; an admin loads them with recircd seed");
		goto out;
	}
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(list, i, v) {
		cap = json_object_get(v, "capacity");
		ctl_table_cell(t, "%s", ctl_json_str(v, "id") ?
		    ctl_json_str(v, "id") : "?");
		ctl_table_cell(t, "%s", ctl_json_str(v, "centre") ?
		    ctl_json_str(v, "centre") : "?");
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(v, "count")));
		ctl_table_cell(t, "%.0f", ctl_network_num(cap, "kg"));
		ctl_table_cell(t, "%.1f", ctl_network_num(cap, "m3"));
		ctl_table_cell(t, "%.0f", ctl_network_num(v, "max_stops"));
		ctl_table_cell(t, "%.1fh", ctl_network_num(v, "shift_min") /
		    60);
		ctl_table_cell(t, "%.2f", ctl_network_num(v, "cost_per_km"));
		ctl_table_cell(t, "%.2f", ctl_network_num(v,
		    "cost_per_hour"));
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_network_vehicle(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	struct ctl_kv		*kv;
	const json_t		*v, *cap;
	char			*skills;
	int			 rc;

	if (!ctl_network_get(ctl, ca, "fleet", "vehicle type", &r, &rc))
		goto out;
	v = r.body;
	cap = json_object_get(v, "capacity");
	kv = ctl_kv_new();
	ctl_kv_add(kv, "type", "%s", ctl_json_str(v, "id"));
	ctl_kv_add(kv, "centre", "%s", ctl_json_str(v, "centre") ?
	    ctl_json_str(v, "centre") : "?");
	ctl_kv_add(kv, "count", "%" JSON_INTEGER_FORMAT " (routes name them "
	    "%s-1 ...)", json_integer_value(json_object_get(v, "count")),
	    ctl_json_str(v, "id"));
	ctl_kv_add(kv, "capacity", "%.0f kg, %.1f m3, %.0f items",
	    ctl_network_num(cap, "kg"), ctl_network_num(cap, "m3"),
	    ctl_network_num(cap, "items"));
	ctl_kv_add(kv, "shift", "%.0f min, at most %.0f stops",
	    ctl_network_num(v, "shift_min"), ctl_network_num(v, "max_stops"));
	ctl_kv_add(kv, "costs", "%.2f fixed, %.2f per km, %.2f "
	    "per hour", ctl_network_num(v, "fixed_cost"),
	    ctl_network_num(v, "cost_per_km"),
	    ctl_network_num(v, "cost_per_hour"));
	ctl_kv_add(kv, "CO2", "%.3f kg per km", ctl_network_num(v,
	    "co2_per_km"));
	skills = json_array_size(json_object_get(v, "skills")) > 0 ?
	    ctl_json_text(json_object_get(v, "skills")) : xstrdup("none");
	ctl_kv_add(kv, "skills", "%s", skills);
	free(skills);
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
out:
	ctl_reply_clear(&r);
	return rc;
}
