/*
 * ctl-cmd.c -- what every recircctl command shares: option parsing with the
 * common --json and --help, usage errors, and connecting to the server.
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
 * common options handled here: --json sets ctl->json, --help prints the
 * command's usage.  Returns an option id (> 0), 0 at the end, CTL_CMD_HELP
 * when help was printed (exit 0) or CTL_CMD_BAD after a usage message
 * (exit 2).  opts must include CTL_OPTS_COMMON.
 */
int
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
		if (id == CTL_OPT_JSON) {
			ctl->json = 1;
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

/*
 * Make ready to talk to the server: a URL must be configured, and a token
 * too if need_token.  Returns CTL_EXIT_OK, or CTL_EXIT_USAGE after saying
 * how to configure what is missing.
 */
int
ctl_connect(struct ctl *ctl, int need_token)
{
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
	if (ctl->http == NULL)
		ctl->http = ctl_http_new(&ctl->conf, ctl->verbose);
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
