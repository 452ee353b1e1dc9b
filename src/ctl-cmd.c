/*
 * ctl-cmd.c -- what every recircctl command shares: its command line
 * parsed and checked against its template (struct ctl_template) with the
 * common --json and --help added, usage errors, and connecting to the
 * server.
 *
 * Kept out of recircctl.c so the command files link into tests without
 * main().  Commands return an enum ctl_exit; everything here that prints
 * does so through ctl_msg().
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* "recircctl pickups list ARGS" for usage lines. */
void
ctl_cmd_synopsis(const struct ctl_cmd *cmd, FILE *fp)
{
	fprintf(fp, "usage: recircctl %s%s%s%s%s\n", cmd->resource,
	    cmd->verb != NULL ? " " : "", cmd->verb != NULL ? cmd->verb : "",
	    *cmd->args != '\0' ? " " : "", cmd->args);
}

/* Print "recircctl: message" and the command's usage; returns 2. */
int
ctl_usage(struct ctl *ctl, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("ctl_usage: out of memory");
	va_end(ap);
	ctl_msg("%s", s);
	free(s);
	if (ctl->cmd != NULL)
		ctl_cmd_synopsis(ctl->cmd, stderr);
	return CTL_EXIT_USAGE;
}

/*
 * The next option of the running command, like ctl_args_next(), with the
 * common options handled here: --json sets ctl->json, --tsv ctl->tsv,
 * --help prints the
 * command's usage.  Returns an option id (> 0), 0 at the end, CTL_CMD_HELP
 * when help was printed (exit 0) or CTL_CMD_BAD after a usage message
 * (exit 2).
 */
#define CTL_CMD_HELP	(-2)
#define CTL_CMD_BAD	(-3)
static int
ctl_cmd_opt(struct ctl *ctl, struct ctl_args *a, const struct ctl_opt *opts,
    const char **arg)
{
	char	*cause = NULL;
	int	 id;

	for (;;) {
		id = ctl_args_next(a, opts, arg, &cause);
		if (id == -1) {
			ctl_usage(ctl, "%s", cause);
			free(cause);
			return CTL_CMD_BAD;
		}
		if (id == CTL_OPT_JSON || id == CTL_OPT_TSV) {
			*(id == CTL_OPT_JSON ? &ctl->json : &ctl->tsv) = 1;
			continue;
		}
		if (id == CTL_OPT_HELP) {
			ctl_cmd_synopsis(ctl->cmd, stdout);
			printf("%s\n", ctl->cmd->help);
			return CTL_CMD_HELP;
		}
		return id;
	}
}

/* The template's options and the common ones, in one table; allocated. */
static struct ctl_opt *
ctl_cmd_opts(const struct ctl_template *t)
{
	static const struct ctl_opt	 common[] = { CTL_OPTS_COMMON,
	    { 0, 0, NULL, 0 } };
	struct ctl_opt			*all;
	size_t				 n = 0, i;

	while (t->opts != NULL && t->opts[n].id != 0) {
		/* A broken table, not bad input. */
		if (t->opts[n].id >= CTL_CMD_OPTS_MAX)
			fatalx("ctl_cmd_opts: option id %d", t->opts[n].id);
		n++;
	}
	all = xcalloc(n + sizeof(common) / sizeof(common[0]), sizeof(*all));
	for (i = 0; i < n; i++)
		all[i] = t->opts[i];
	memcpy(all + n, common, sizeof(common));
	return all;
}

/* Check the operand count against t; CTL_EXIT_OK or a usage error. */
static int
ctl_cmd_count(struct ctl *ctl, const struct ctl_template *t,
    const struct ctl_cmdargs *ca)
{
	if (ca->noperands < t->lower)
		return ctl_usage(ctl, "%s", t->few != NULL ? t->few :
		    "too few arguments");
	if (t->upper < 0 || ca->noperands <= t->upper)
		return CTL_EXIT_OK;
	if (t->upper == 0)
		return ctl_usage(ctl, "unexpected argument \"%s\"",
		    ca->operands[0]);
	if (t->upper == 1 && t->noun != NULL)
		return ctl_usage(ctl, "one %s, please", t->noun);
	return ctl_usage(ctl, "too many arguments (at most %d)", t->upper);
}

/*
 * Run the command ctl->cmd on its arguments argv[0 .. argc-1]: parse and
 * check them against its template, connect (a token if it needs one), and
 * call it.  Returns the exit status; --help is 0 without connecting.
 */
int
ctl_cmd_exec(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_cmd	*cmd = ctl->cmd;
	struct ctl_cmdargs	 ca;
	struct ctl_args		 a;
	struct ctl_opt		*opts = ctl_cmd_opts(&cmd->tmpl);
	const char		*arg;
	int			 id, rc;

	memset(&ca, 0, sizeof(ca));
	ctl_args_init(&a, argc, argv, 0);
	while ((id = ctl_cmd_opt(ctl, &a, opts, &arg)) > 0)
		ca.opt[id] = arg != NULL ? arg : "";
	ca.operands = a.operands;
	ca.noperands = a.noperands;
	if (id == CTL_CMD_HELP)
		rc = CTL_EXIT_OK;
	else if (id == CTL_CMD_BAD)
		rc = CTL_EXIT_USAGE;
	else if ((rc = ctl_cmd_count(ctl, &cmd->tmpl, &ca)) == CTL_EXIT_OK &&
	    (rc = ctl_connect(ctl, cmd->need_token)) == CTL_EXIT_OK)
		rc = cmd->run(ctl, &ca);
	ctl_args_free(&a);
	free(opts);
	return rc;
}

/*
 * Option id of the running command as a number in [min, max] into *out,
 * left alone when the option was not given.  Returns 0, or -1 after a
 * usage message naming the option.
 */
int
ctl_cmd_long(struct ctl *ctl, const struct ctl_cmdargs *ca, int id,
    long min, long max, long *out)
{
	const struct ctl_opt	*o;
	char			*cause = NULL;

	if (ca->opt[id] == NULL)
		return 0;
	if (ctl_args_long(ca->opt[id], min, max, out, &cause) == 0)
		return 0;
	for (o = ctl->cmd->tmpl.opts; o->id != 0 && o->id != id; o++)
		;
	ctl_usage(ctl, "--%s: %s", o->longopt != NULL ? o->longopt : "?",
	    cause);
	free(cause);
	return -1;
}

/*
 * Make ready to talk to the server: a URL must be configured, and a token
 * too if need_token.  Returns CTL_EXIT_OK, or CTL_EXIT_USAGE after saying
 * how to configure what is missing.
 */
int
ctl_connect(struct ctl *ctl, int need_token)
{
	char	*cause = NULL;

	if (ctl->conf.url == NULL) {
		ctl_msg("no server: use -u URL, RECIRC_URL or \"url\" in "
		    "~/.config/recircctl/config");
		return CTL_EXIT_USAGE;
	}
	if (need_token && ctl->conf.token == NULL) {
		ctl_msg("no token: use -t TOKEN-FILE, RECIRC_TOKEN or "
		    "\"token-file\" in ~/.config/recircctl/config");
		return CTL_EXIT_USAGE;
	}
	if (ctl->http != NULL)
		return CTL_EXIT_OK;
	ctl->http = ctl_http_new(&ctl->conf, ctl->verbose);
	if (ctl->conf.trace != NULL &&
	    ctl_http_trace(ctl->http, ctl->conf.trace, &cause) == -1) {
		ctl_msg("%s", cause);
		free(cause);
		return CTL_EXIT_USAGE;
	}
	return CTL_EXIT_OK;
}

/* Report a failed request ("what: cause"), free cause, return rc. */
int
ctl_failed(int rc, char *cause, const char *what)
{
	ctl_msg("%s: %s", what, cause != NULL ? cause : "failed");
	free(cause);
	return rc;
}
