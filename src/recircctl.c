/*
 * recircctl.c -- main: global options, settings, the command table.
 *
 * recircctl [options] RESOURCE [VERB] [arguments]: each ctl-RESOURCE.c file
 * exports a table of its commands and ctl_tables below lists the tables, so
 * a new API resource is one file and one line here.  main() parses the
 * global options, answers help and version without reading any settings,
 * merges the settings (flags, environment, config file) and runs the
 * command, whose return value is the exit status.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static const struct ctl_cmd *const ctl_tables[] = {
	ctl_status_cmds,
	ctl_pickups_cmds,
	ctl_plans_cmds,
	ctl_routes_cmds,
	ctl_network_cmds,
	ctl_webhooks_cmds,
	ctl_report_cmds,
	NULL
};

#define CTL_HELP_COL	22	/* width of the command column of help */

enum { CTL_OPT_URL = 1, CTL_OPT_TOKEN_FILE, CTL_OPT_TIMEOUT,
    CTL_OPT_VERBOSE, CTL_OPT_VERSION, CTL_OPT_TRACE };

static const struct ctl_opt ctl_global_opts[] = {
	{ CTL_OPT_URL, 'u', "url", 1 },
	{ CTL_OPT_TOKEN_FILE, 't', "token-file", 1 },
	{ CTL_OPT_TIMEOUT, 'T', "timeout", 1 },
	{ CTL_OPT_TRACE, 0, "trace", 1 },
	{ CTL_OPT_VERBOSE, 'v', "verbose", 0 },
	{ CTL_OPT_VERSION, 'V', "version", 0 },
	CTL_OPTS_COMMON,
	{ 0, 0, NULL, 0 }
};

/* List the commands (of one resource, if not NULL) with their help. */
static void
ctl_help_commands(FILE *fp, const char *resource)
{
	const struct ctl_cmd *const	*tp;
	const struct ctl_cmd		*c;
	char				*s;

	for (tp = ctl_tables; *tp != NULL; tp++)
		for (c = *tp; c->resource != NULL; c++) {
			if (resource != NULL &&
			    strcmp(resource, c->resource) != 0)
				continue;
			xasprintf(&s, "%s%s%s%s%s", c->resource,
			    c->verb ? " " : "", c->verb ? c->verb : "",
			    *c->args ? " " : "", c->args);
			if (strlen(s) <= CTL_HELP_COL)
				fprintf(fp, "  %-*s  %s\n", CTL_HELP_COL, s,
				    c->help);
			else
				fprintf(fp, "  %s\n  %-*s  %s\n", s,
				    CTL_HELP_COL, "", c->help);
			free(s);
		}
}

static void
ctl_help(FILE *fp, const char *resource)
{
	fprintf(fp, "usage: recircctl [-hjvV] [--tsv] [-T seconds] [-t token-file] "
	    "[--trace file]\n                 [-u url] command [argument ...]\n");
	if (resource == NULL) {
		fprintf(fp, "\noptions:\n"
		    "  -j, --json              print the server's JSON\n"
		    "      --tsv               print tables as tab-separated "
		    "values\n"
		    "  -T, --timeout SECONDS   give up on a request after "
		    "this long (default %d)\n"
		    "  -t, --token-file FILE   read the API token from FILE\n"
		    "      --trace FILE        append every request and reply "
		    "to FILE (JSON lines)\n"
		    "  -u, --url URL           the recircd server, "
		    "http(s)://host:port\n"
		    "  -v, --verbose           trace requests on stderr\n"
		    "  -V, --version           print the version\n"
		    "  -h, --help              print this help\n",
		    CTL_TIMEOUT_DEFAULT);
	}
	fprintf(fp, "\ncommands:\n");
	if (resource == NULL)
		fprintf(fp, "  %-*s  %s\n", CTL_HELP_COL, "help [command]",
		    "show this help, or a command's");
	ctl_help_commands(fp, resource);
	if (resource == NULL)
		fprintf(fp, "\nenvironment: RECIRC_URL, RECIRC_TOKEN, RECIRC_TRACE; config: "
		    "~/.config/recircctl/config\nexit status: 0 done, 1 the "
		    "server said no, 2 usage error,\n  3 cannot reach the "
		    "server or it failed (5xx); see recircctl(1)\n");
}

/* Is there a command for resource (the first word)? */
static int
ctl_resource_known(const char *resource)
{
	const struct ctl_cmd *const	*tp;
	const struct ctl_cmd		*c;

	for (tp = ctl_tables; *tp != NULL; tp++)
		for (c = *tp; c->resource != NULL; c++)
			if (strcmp(c->resource, resource) == 0)
				return 1;
	return 0;
}

/* The command for "resource [verb]", or NULL. */
static const struct ctl_cmd *
ctl_find(const char *resource, const char *verb)
{
	const struct ctl_cmd *const	*tp;
	const struct ctl_cmd		*c;

	for (tp = ctl_tables; *tp != NULL; tp++)
		for (c = *tp; c->resource != NULL; c++) {
			if (strcmp(c->resource, resource) != 0)
				continue;
			if (c->verb == NULL ||
			    (verb != NULL && strcmp(c->verb, verb) == 0))
				return c;
		}
	return NULL;
}

/*
 * Settings: flags (already in ctl->conf), then the environment, then the
 * config file.  Returns 0, or -1 after a message.
 */
static int
ctl_settings(struct ctl *ctl)
{
	struct ctl_conf	 env, file;
	char		*path, *cause = NULL;
	int		 rc = 0;

	memset(&env, 0, sizeof(env));
	memset(&file, 0, sizeof(file));
	ctl_conf_env(&env);
	ctl_conf_merge(&ctl->conf, &env);
	if ((path = ctl_conf_path()) != NULL) {
		if (ctl_conf_file(&file, path, &cause) == -1)
			rc = -1;
		else
			ctl_conf_merge(&ctl->conf, &file);
	}
	if (rc == 0 && ctl_conf_finish(&ctl->conf, &cause) == -1)
		rc = -1;
	if (rc == -1) {
		ctl_msg("%s", cause);
		free(cause);
	}
	free(path);
	ctl_conf_clear(&env);
	ctl_conf_clear(&file);
	return rc;
}

/* Columns of the terminal on fd: COLUMNS, its size, or 80. */
static size_t
ctl_terminal_width(int fd)
{
	struct winsize	ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == -1)
		ws.ws_col = 0;
	return ctl_fmt_columns(getenv("COLUMNS"), ws.ws_col);
}

/*
 * How stdout and stderr are shown: width, colour, progress bars.  Off a
 * terminal, tables are printed whole (width 0): a pipe has no width.
 */
static void
ctl_terminal(struct ctl *ctl)
{
	const char	*term = getenv("TERM");

	ctl->width = 0;
	if (isatty(STDOUT_FILENO)) {
		ctl->width = ctl_terminal_width(STDOUT_FILENO);
		ctl->color = getenv("NO_COLOR") == NULL &&
		    (term == NULL || strcmp(term, "dumb") != 0);
	}
	ctl->progress = isatty(STDERR_FILENO);
	ctl->errwidth = ctl->progress ? ctl_terminal_width(STDERR_FILENO) :
	    80;
}

/* Parse the global options; returns -1 to go on, else an exit status. */
static int
ctl_options(struct ctl *ctl, struct ctl_args *a)
{
	const char	*arg;
	char		*cause = NULL;
	int		 id;

	while ((id = ctl_args_next(a, ctl_global_opts, &arg, &cause)) > 0) {
		switch (id) {
		case CTL_OPT_URL:
			free(ctl->conf.url);
			ctl->conf.url = xstrdup(arg);
			break;
		case CTL_OPT_TOKEN_FILE:
			free(ctl->conf.token_file);
			ctl->conf.token_file = xstrdup(arg);
			break;
		case CTL_OPT_TIMEOUT:
			if (ctl_args_long(arg, 1, CTL_TIMEOUT_MAX,
			    &ctl->conf.timeout, &cause) == -1) {
				ctl_msg("-T: %s", cause);
				free(cause);
				return CTL_EXIT_USAGE;
			}
			break;
		case CTL_OPT_TRACE:
			free(ctl->conf.trace);
			ctl->conf.trace = xstrdup(arg);
			break;
		case CTL_OPT_VERBOSE:
			ctl->verbose++;
			break;
		case CTL_OPT_JSON:
			ctl->json = 1;
			break;
		case CTL_OPT_TSV:
			ctl->tsv = 1;
			break;
		case CTL_OPT_VERSION:
			printf("recircctl %s\n", RECIRC_VERSION);
			return CTL_EXIT_OK;
		case CTL_OPT_HELP:
			ctl_help(stdout, NULL);
			return CTL_EXIT_OK;
		}
	}
	if (id == -1) {
		ctl_msg("%s", cause);
		free(cause);
		ctl_help(stderr, NULL);
		return CTL_EXIT_USAGE;
	}
	return -1;
}

/* Find and run the command at argv[0]; returns the exit status. */
static int
ctl_dispatch(struct ctl *ctl, int argc, char **argv)
{
	const char	*verb = argc > 1 ? argv[1] : NULL;

	if (argc == 0) {
		ctl_help(stderr, NULL);
		return CTL_EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc > 1 && !ctl_resource_known(argv[1])) {
			ctl_msg("help: unknown command \"%s\"", argv[1]);
			return CTL_EXIT_USAGE;
		}
		ctl_help(stdout, argc > 1 ? argv[1] : NULL);
		return CTL_EXIT_OK;
	}
	if (!ctl_resource_known(argv[0])) {
		ctl_msg("unknown command \"%s\"; try recircctl help", argv[0]);
		return CTL_EXIT_USAGE;
	}
	if ((ctl->cmd = ctl_find(argv[0], verb)) == NULL) {
		if (verb == NULL)
			ctl_msg("%s: which one?", argv[0]);
		else
			ctl_msg("%s: unknown command \"%s\"", argv[0], verb);
		ctl_help(stderr, argv[0]);
		return CTL_EXIT_USAGE;
	}
	if (ctl_settings(ctl) == -1)
		return CTL_EXIT_USAGE;
	if (ctl->cmd->verb != NULL)
		return ctl_cmd_exec(ctl, argc - 2, argv + 2);
	return ctl_cmd_exec(ctl, argc - 1, argv + 1);
}

int
main(int argc, char *argv[])
{
	struct ctl	 ctl;
	struct ctl_args	 a;
	int		 rc;

	log_init(1, 0, "recircctl");
	memset(&ctl, 0, sizeof(ctl));
	ctl_terminal(&ctl);
	ctl_args_init(&a, argc - 1, argv + 1, 1);
	if ((rc = ctl_options(&ctl, &a)) == -1) {
		ctl_http_init();
		rc = ctl_dispatch(&ctl, a.argc - a.next, a.argv + a.next);
	}
	ctl_progress_clear();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ctl_msg("error writing the output");
		if (rc == CTL_EXIT_OK)
			rc = CTL_EXIT_UNREACHABLE;
	}
	ctl_http_free(ctl.http);
	ctl_conf_clear(&ctl.conf);
	ctl_args_free(&a);
	return rc;
}
