/*
 * ctl-webhooks.c -- "recircctl webhooks list | add | rm | deliveries |
 * redeliver": the client side of /v1/webhooks.
 *
 * An operator registers a URL for its pickups' events (an admin for an
 * operator, --operator); the server signs each delivery with the secret,
 * which is read from a file (--secret-file, "-" for standard input) so
 * that it never shows in a process list or a shell history, and which
 * no reply shows again.  deliveries shows what became of each: when it
 * was tried, what the receiver answered, when it is tried next.
 * redeliver sends the dead ones again once the receiver is back.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static int	ctl_webhooks_list(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_webhooks_add(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_webhooks_rm(struct ctl *, const struct ctl_cmdargs *);
static int	ctl_webhooks_deliveries(struct ctl *,
		    const struct ctl_cmdargs *);
static int	ctl_webhooks_redeliver(struct ctl *,
		    const struct ctl_cmdargs *);

enum { O_EVENTS = 1, O_SECRET_FILE, O_OPERATOR, O_STATE, O_LIMIT, O_SINCE };
static const struct ctl_opt ctl_webhooks_add_opts[] = {
	{ O_EVENTS, 'e', "events", 1 },
	{ O_SECRET_FILE, 's', "secret-file", 1 },
	{ O_OPERATOR, 0, "operator", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_webhooks_deliveries_opts[] = {
	{ O_STATE, 's', "state", 1 },
	{ O_LIMIT, 'n', "limit", 1 },
	{ 0, 0, NULL, 0 }
};
static const struct ctl_opt ctl_webhooks_redeliver_opts[] = {
	{ O_SINCE, 0, "since", 1 },
	{ 0, 0, NULL, 0 }
};

const struct ctl_cmd ctl_webhooks_cmds[] = {
	{ "webhooks", "list", "", "webhooks: their URL and the events they "
	    "get", 1, { NULL, 0, 0, NULL, NULL }, ctl_webhooks_list },
	{ "webhooks", "add", "URL --events E[,E...] --secret-file FILE|- "
	    "[--operator NAME]", "register a URL for pickup events", 1,
	    { ctl_webhooks_add_opts, 1, 1, "which URL?", "URL" },
	    ctl_webhooks_add },
	{ "webhooks", "rm", "ID", "remove a webhook; its pending deliveries "
	    "are dropped", 1, { NULL, 1, 1, "which webhook?", "webhook id" },
	    ctl_webhooks_rm },
	{ "webhooks", "deliveries", "ID [--state S] [--limit N]", "a "
	    "webhook's deliveries, newest first", 1,
	    { ctl_webhooks_deliveries_opts, 1, 1, "which webhook?",
	    "webhook id" }, ctl_webhooks_deliveries },
	{ "webhooks", "redeliver", "ID [--since DATE]", "send a webhook's "
	    "dead deliveries again", 1, { ctl_webhooks_redeliver_opts, 1, 1,
	    "which webhook?", "webhook id" }, ctl_webhooks_redeliver },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

static int
ctl_webhooks_failed(struct ctl *ctl, int rc, char *cause)
{
	char	*what;

	xasprintf(&what, "webhooks %s", ctl->cmd->verb);
	rc = ctl_failed(rc, cause, what);
	free(what);
	return rc;
}

/* A webhook id operand: 0 after a usage message when it is not one. */
static long
ctl_webhooks_id(struct ctl *ctl, const char *s)
{
	long	 id;
	char	*cause = NULL;

	if (ctl_args_long(s, 1, LONG_MAX, &id, &cause) == 0)
		return id;
	ctl_usage(ctl, "webhook id: %s", cause);
	free(cause);
	return 0;
}

/* The events of o as "a,b,c" into buf. */
static void
ctl_webhooks_events(const json_t *o, char *buf, size_t size)
{
	const json_t	*v;
	size_t		 i, n = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(o, "events"), i, v)
		if (n < size)
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "",
			    json_is_string(v) ? json_string_value(v) : "?");
}

static int
ctl_webhooks_list(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	static const struct ctl_col cols[] = {
		{ "ID", 1, 0 }, { "OPERATOR", 0, 0 }, { "EVENTS", 0, 1 },
		{ "URL", 0, 1 }, { "SINCE", 0, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *o;
	const char		*created;
	char			*cause = NULL, events[160];
	size_t			 i;
	int			 rc;

	(void)ca;
	memset(&r, 0, sizeof(r));
	if ((rc = ctl_http_get(ctl->http, "/v1/webhooks", &r, &cause)) !=
	    CTL_EXIT_OK) {
		rc = ctl_webhooks_failed(ctl, rc, cause);
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	list = json_object_get(r.body, "webhooks");
	if (json_array_size(list) == 0) {
		ctl_msg("no webhooks; an operator adds one with \"recircctl "
		    "webhooks add URL --events ... --secret-file FILE\"");
		goto out;
	}
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(list, i, o) {
		ctl_webhooks_events(o, events, sizeof(events));
		created = ctl_json_str(o, "created");
		ctl_table_cell(t, "%lld", (long long)json_integer_value(
		    json_object_get(o, "id")));
		ctl_table_cell(t, "%s", ctl_json_str(o, "operator") ?
		    ctl_json_str(o, "operator") : "");
		ctl_table_cell(t, "%s", events);
		ctl_table_cell(t, "%s", ctl_json_str(o, "url") ?
		    ctl_json_str(o, "url") : "");
		ctl_table_cell(t, "%.10s", created ? created : "-");
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}

/* The secret from path ("-": standard input); NULL after a message. */
static char *
ctl_webhooks_secret(struct ctl *ctl, const char *path)
{
	FILE	*fp;
	char	*secret = NULL, *cause = NULL;
	int	 rc;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL) {
		ctl_usage(ctl, "--secret-file %s: %s", path, strerror(errno));
		return NULL;
	}
	rc = ctl_conf_token_read(path, fp, &secret, &cause);
	if (fp != stdin)
		fclose(fp);
	if (rc == -1) {
		/* The reader speaks of tokens; here it is a secret. */
		ctl_usage(ctl, "--secret-file %s: not one line holding the "
		    "secret (16 to 256 visible ASCII characters)", path);
		free(cause);
		return NULL;
	}
	return secret;
}

static int
ctl_webhooks_add(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	json_t			*o, *events;
	char			*secret, *list, *tok, *save = NULL, *cause = NULL;
	int			 rc;

	if (ca->opt[O_EVENTS] == NULL || *ca->opt[O_EVENTS] == '\0')
		return ctl_usage(ctl, "--events: which events? (scheduled, "
		    "moved, deferred, collected, not_collected, cancelled, "
		    "amended)");
	if (ca->opt[O_SECRET_FILE] == NULL)
		return ctl_usage(ctl, "--secret-file: a file holding the "
		    "secret deliveries are signed with (- for standard "
		    "input)");
	if ((secret = ctl_webhooks_secret(ctl, ca->opt[O_SECRET_FILE])) ==
	    NULL)
		return CTL_EXIT_USAGE;
	events = json_array();
	list = xstrdup(ca->opt[O_EVENTS]);
	for (tok = strtok_r(list, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save))
		json_array_append_new(events, json_string(tok));
	free(list);
	o = json_pack("{s:s, s:o, s:s}", "url", ca->operands[0], "events",
	    events, "secret", secret);
	memset(secret, 0, strlen(secret));
	free(secret);
	if (ca->opt[O_OPERATOR] != NULL)
		json_object_set_new(o, "operator",
		    json_string(ca->opt[O_OPERATOR]));
	memset(&r, 0, sizeof(r));
	rc = ctl_http_post(ctl->http, "/v1/webhooks", o, NULL, &r, &cause);
	json_decref(o);
	if (rc != CTL_EXIT_OK)
		rc = ctl_webhooks_failed(ctl, rc, cause);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		printf("webhook %lld created for %s\n", (long long)
		    json_integer_value(json_object_get(r.body, "id")),
		    ctl_json_str(r.body, "operator") ?
		    ctl_json_str(r.body, "operator") : "?");
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_webhooks_rm(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	char			*path, *cause = NULL;
	long			 id;
	int			 rc;

	if ((id = ctl_webhooks_id(ctl, ca->operands[0])) == 0)
		return CTL_EXIT_USAGE;
	xasprintf(&path, "/v1/webhooks/%ld", id);
	memset(&r, 0, sizeof(r));
	rc = ctl_http_delete(ctl->http, path, NULL, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		rc = ctl_webhooks_failed(ctl, rc, cause);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else
		printf("webhook %ld removed\n", id);
	ctl_reply_clear(&r);
	return rc;
}

static int
ctl_webhooks_redeliver(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	struct ctl_reply	 r;
	char			*path, *e, *cause = NULL;
	const char		*since = ca->opt[O_SINCE];
	json_int_t		 n;
	long			 id;
	int			 rc;

	if ((id = ctl_webhooks_id(ctl, ca->operands[0])) == 0)
		return CTL_EXIT_USAGE;
	if (since != NULL && *since == '\0')
		return ctl_usage(ctl, "--since: an empty date");
	if (since != NULL) {
		e = ctl_http_escape(since);
		xasprintf(&path, "/v1/webhooks/%ld/redeliver?since=%s", id, e);
		free(e);
	} else
		xasprintf(&path, "/v1/webhooks/%ld/redeliver", id);
	memset(&r, 0, sizeof(r));
	rc = ctl_http_post(ctl->http, path, NULL, NULL, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		rc = ctl_webhooks_failed(ctl, rc, cause);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else {
		n = json_integer_value(json_object_get(r.body, "redelivered"));
		printf("webhook %ld: %" JSON_INTEGER_FORMAT " dead deliver%s "
		    "queued to be sent again\n", id, n, n == 1 ? "y" : "ies");
	}
	ctl_reply_clear(&r);
	return rc;
}

/* "204", "500: HTTP 500", "-: Connection refused", or "". */
static void
ctl_webhooks_last(const json_t *d, char *buf, size_t size)
{
	const json_t	*st = json_object_get(d, "last_status");
	const char	*err = ctl_json_str(d, "last_error");

	if (json_object_get(d, "last_attempt") == NULL)
		snprintf(buf, size, "-");
	else if (json_is_integer(st) && err == NULL)
		snprintf(buf, size, "%lld", (long long)json_integer_value(st));
	else if (json_is_integer(st))
		snprintf(buf, size, "%lld %s", (long long)
		    json_integer_value(st), err);
	else
		snprintf(buf, size, "%s", err ? err : "no answer");
}

static int
ctl_webhooks_deliveries(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	static const struct ctl_col cols[] = {
		{ "ID", 1, 0 }, { "EVENT", 0, 0 }, { "PICKUP", 1, 0 },
		{ "STATE", 0, 0 }, { "TRIES", 1, 0 }, { "LAST ANSWER", 0, 1 },
		{ "WHEN", 0, 0 }
	};
	struct ctl_table	*t;
	struct ctl_reply	 r;
	const json_t		*list, *d;
	const char		*state, *when;
	char			*path, *cause = NULL, last[128];
	long			 id, limit = 50;
	size_t			 i;
	int			 rc;

	if ((id = ctl_webhooks_id(ctl, ca->operands[0])) == 0 ||
	    ctl_cmd_long(ctl, ca, O_LIMIT, 1, 1000, &limit) == -1)
		return CTL_EXIT_USAGE;
	state = ca->opt[O_STATE];
	if (state != NULL && strcmp(state, "pending") != 0 &&
	    strcmp(state, "delivered") != 0 && strcmp(state, "dead") != 0)
		return ctl_usage(ctl, "--state: pending, delivered or dead");
	xasprintf(&path, "/v1/webhooks/%ld/deliveries?limit=%ld%s%s", id,
	    limit, state ? "&state=" : "", state ? state : "");
	memset(&r, 0, sizeof(r));
	rc = ctl_http_get(ctl->http, path, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK) {
		rc = ctl_webhooks_failed(ctl, rc, cause);
		goto out;
	}
	if (ctl->json) {
		ctl_json_print(r.body, stdout, 0);
		goto out;
	}
	list = json_object_get(r.body, "deliveries");
	if (json_array_size(list) == 0) {
		ctl_msg("no deliveries%s%s for webhook %ld", state ? " " : "",
		    state ? state : "", id);
		goto out;
	}
	t = ctl_table_new(cols, sizeof(cols) / sizeof(cols[0]));
	json_array_foreach(list, i, d) {
		ctl_webhooks_last(d, last, sizeof(last));
		/* When it went, when it is tried next, or when it gave up. */
		when = ctl_json_str(d, "delivered");
		if (when == NULL)
			when = ctl_json_str(d, "next_attempt");
		if (when == NULL)
			when = ctl_json_str(d, "last_attempt");
		ctl_table_cell(t, "%lld", (long long)json_integer_value(
		    json_object_get(d, "id")));
		ctl_table_cell(t, "%s", ctl_json_str(d, "event") ?
		    ctl_json_str(d, "event") : "?");
		ctl_table_cell(t, "%lld", (long long)json_integer_value(
		    json_object_get(d, "pickup")));
		ctl_table_cell(t, "%s", ctl_json_str(d, "state") ?
		    ctl_json_str(d, "state") : "?");
		ctl_table_cell(t, "%lld", (long long)json_integer_value(
		    json_object_get(d, "attempts")));
		ctl_table_cell(t, "%s", last);
		ctl_table_cell(t, "%.10s %.8s", when ? when : "-",
		    when && strlen(when) > 11 ? when + 11 : "");
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
out:
	ctl_reply_clear(&r);
	return rc;
}
