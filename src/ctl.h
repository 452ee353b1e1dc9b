/*
 * ctl.h -- structures and prototypes of recircctl, the command-line client,
 * grouped under a banner per source file.
 *
 * recircctl.c holds main() and the command table; ctl-args.c parses options,
 * ctl-conf.c finds the server and the token, ctl-http.c is the only file that
 * sees libcurl, ctl-fmt.c owns everything written for people (tables, key and
 * value blocks, messages, the progress bar) and each ctl-RESOURCE.c holds the
 * commands of one API resource.  JSON values travel as jansson's json_t, so
 * includers of this header get src/json.h too.
 */
#ifndef RECIRC_CTL_H
#define RECIRC_CTL_H

#include <signal.h>
#include <stdio.h>

#include "recirc.h"
#include "json.h"

/*
 * Exit statuses, which are also the outcome of every request: the caller of
 * an HTTP function must tell "the server said no" from "no usable answer".
 */
enum ctl_exit {
	CTL_EXIT_OK = 0,		/* done */
	CTL_EXIT_REFUSED = 1,		/* the server answered 4xx */
	CTL_EXIT_USAGE = 2,		/* bad command line, config or input */
	CTL_EXIT_UNREACHABLE = 3	/* no answer, a 5xx or a broken one */
};

#define CTL_TIMEOUT_DEFAULT	30	/* seconds for a whole request */
#define CTL_TIMEOUT_MAX		3600
#define CTL_CONNECT_TIMEOUT	10	/* seconds to connect, at most */

/* Where the server is and who we are; see ctl-conf.c for the order. */
struct ctl_conf {
	char	*url;		/* base URL, http:// or https:// */
	char	*token;		/* the bearer token itself: never printed */
	char	*token_file;	/* file the token is (to be) read from */
	char	*ca_file;	/* extra CA bundle for https, or NULL */
	long	 timeout;	/* seconds; 0 means not set */
	char	*trace;		/* file to append each exchange to, or NULL */
};

struct ctl_http;

/* The state of one run, handed to every command. */
struct ctl {
	struct ctl_conf	 conf;
	struct ctl_http	*http;		/* NULL until ctl_connect() */
	int		 json;		/* print the server's JSON */
	int		 tsv;		/* tables as tab-separated values */
	int		 verbose;
	int		 color;		/* stdout is a terminal: bold headers */
	int		 progress;	/* stderr is a terminal: progress bars */
	size_t		 width;		/* columns to fit stdout in; 0: any */
	size_t		 errwidth;	/* columns of stderr's progress lines */
	const struct ctl_cmd *cmd;	/* the command running */
};

/* ctl-args.c */
struct ctl_opt {
	int		 id;		/* > 0; 0 ends a table */
	int		 shortopt;	/* 'j', or 0 */
	const char	*longopt;	/* "json", or NULL */
	int		 has_arg;
};

/*
 * What a command takes, as tmux's argument templates: its own options and
 * how many operands.  ctl_cmd_exec() parses and checks the command line
 * against it (the common options added), connects, and only then runs the
 * command, so no command repeats that prologue.
 */
#define CTL_CMD_OPTS_MAX 16		/* a command's option ids are below */
struct ctl_template {
	const struct ctl_opt	*opts;	/* its own options, or NULL */
	int			 lower;	/* operands: at least */
	int			 upper;	/* at most; -1 for any number */
	const char		*few;	/* said when too few: "which plan?" */
	const char		*noun;	/* for too many: "one plan, please" */
};

/* A command line as the template parsed it; borrows from argv. */
struct ctl_cmdargs {
	const char	 *opt[CTL_CMD_OPTS_MAX]; /* by id: value, "" for a
					   flag, NULL when not given */
	char		**operands;
	int		  noperands;
};

/* One command: "status", or "pickups list" (resource and verb). */
struct ctl_cmd {
	const char		*resource;
	const char		*verb;	/* NULL for a one-word command */
	const char		*args;	/* argument synopsis for help */
	const char		*help;	/* one line for help */
	int			 need_token;
	struct ctl_template	 tmpl;
	int			(*run)(struct ctl *, const struct ctl_cmdargs *);
};
#define CTL_OPT_JSON	1000
#define CTL_OPT_HELP	1001
#define CTL_OPT_TSV	1002
#define CTL_OPTS_COMMON							\
	{ CTL_OPT_JSON, 'j', "json", 0 },				\
	{ CTL_OPT_TSV, 0, "tsv", 0 },					\
	{ CTL_OPT_HELP, 'h', "help", 0 }
struct ctl_args {
	int		  argc;
	char		**argv;
	int		  next;		/* index of the next argv element */
	const char	 *cluster;	/* rest of a "-jv" cluster */
	int		  in_order;	/* stop at the first operand */
	int		  dashdash;	/* "--" seen: the rest are operands */
	char		**operands;	/* operands gathered (not in_order) */
	int		  noperands;
};
void	 ctl_args_init(struct ctl_args *, int, char **, int);
int	 ctl_args_next(struct ctl_args *, const struct ctl_opt *,
	    const char **, char **);
void	 ctl_args_free(struct ctl_args *);
int	 ctl_args_long(const char *, long, long, long *, char **);

/* ctl-cmd.c */
void	 ctl_cmd_synopsis(const struct ctl_cmd *, FILE *);
int	 ctl_usage(struct ctl *, const char *, ...) PRINTFLIKE(2, 3);
int	 ctl_cmd_exec(struct ctl *, int, char **);
int	 ctl_cmd_long(struct ctl *, const struct ctl_cmdargs *, int, long,
	    long, long *);
int	 ctl_connect(struct ctl *, int);
int	 ctl_failed(int, char *, const char *);

/* ctl-conf.c */
void	 ctl_conf_clear(struct ctl_conf *);
void	 ctl_conf_merge(struct ctl_conf *, const struct ctl_conf *);
int	 ctl_conf_parse(struct ctl_conf *, const char *, FILE *, char **);
void	 ctl_conf_env(struct ctl_conf *);
char	*ctl_conf_path(void);
int	 ctl_conf_file(struct ctl_conf *, const char *, char **);
int	 ctl_conf_token_read(const char *, FILE *, char **, char **);
int	 ctl_conf_finish(struct ctl_conf *, char **);
int	 ctl_conf_url_valid(const char *);

/* ctl-http.c */
struct ctl_reply {
	long	 status;	/* HTTP status, 0 when there was no answer */
	json_t	*body;		/* the parsed body, or NULL */
	char	*raw;		/* the body as received, NUL-terminated */
	size_t	 rawlen;
	char	 etag[80];	/* the ETag header, or "" */
};
void	 ctl_http_init(void);
struct ctl_http *ctl_http_new(const struct ctl_conf *, int);
void	 ctl_http_free(struct ctl_http *);
int	 ctl_http_trace(struct ctl_http *, const char *, char **);
void	 ctl_http_stop_on(struct ctl_http *, volatile sig_atomic_t *);
int	 ctl_http_get(struct ctl_http *, const char *, struct ctl_reply *,
	    char **);
int	 ctl_http_get_text(struct ctl_http *, const char *,
	    struct ctl_reply *, char **);
int	 ctl_http_post(struct ctl_http *, const char *, const json_t *,
	    const char *, struct ctl_reply *, char **);
int	 ctl_http_put(struct ctl_http *, const char *, const json_t *,
	    const char *, struct ctl_reply *, char **);
int	 ctl_http_patch(struct ctl_http *, const char *, const json_t *,
	    struct ctl_reply *, char **);
int	 ctl_http_delete(struct ctl_http *, const char *, const char *,
	    struct ctl_reply *, char **);
char	*ctl_http_escape(const char *);
void	 ctl_reply_clear(struct ctl_reply *);
char	*ctl_reply_error(const struct ctl_reply *);

/* ctl-fmt.c */
struct ctl_col {
	const char	*title;
	int		 right;		/* right-aligned (numbers) */
	int		 flex;		/* may be cut to fit the width */
};
struct ctl_table;
struct ctl_kv;
void	 ctl_msg(const char *, ...) PRINTFLIKE(1, 2);
size_t	 ctl_fmt_width(const char *);
char	*ctl_fmt_clean(const char *, size_t);
char	*ctl_fmt_duration(long long);
char	*ctl_fmt_window(const char *, const char *);
struct ctl_table *ctl_table_new(const struct ctl_col *, size_t);
void	 ctl_table_cell(struct ctl_table *, const char *, ...)
	    PRINTFLIKE(2, 3);
size_t	 ctl_table_rows(const struct ctl_table *);
void	 ctl_table_widths(const struct ctl_table *, size_t, size_t *);
void	 ctl_table_print(const struct ctl_table *, FILE *, size_t, int);
void	 ctl_table_tsv(const struct ctl_table *, FILE *);
void	 ctl_table_show(const struct ctl *, const struct ctl_table *);
void	 ctl_table_free(struct ctl_table *);
struct ctl_kv *ctl_kv_new(void);
void	 ctl_kv_add(struct ctl_kv *, const char *, const char *, ...)
	    PRINTFLIKE(3, 4);
void	 ctl_kv_print(const struct ctl_kv *, FILE *, size_t);
void	 ctl_kv_show(const struct ctl *, const struct ctl_kv *);
void	 ctl_kv_free(struct ctl_kv *);
size_t	 ctl_fmt_columns(const char *, int);
void	 ctl_progress(size_t, size_t, size_t);
void	 ctl_progress_line(const char *, size_t);
void	 ctl_progress_clear(void);
void	 ctl_fmt_text(const char *, FILE *, int);
int	 ctl_json_print(const json_t *, FILE *, int);
const char *ctl_json_str(const json_t *, const char *);
char	*ctl_json_text(const json_t *);

/* ctl-status.c */
extern const struct ctl_cmd ctl_status_cmds[];

/* ctl-pickups.c */
extern const struct ctl_cmd ctl_pickups_cmds[];
json_t	*ctl_pickups_input(const char *, size_t, const char *, char **);
struct ctl_weight {		/* a line of collected/sorted --weights */
	long	 id;
	double	 kg;
};
struct ctl_weight *ctl_weights_parse(const char *, size_t, const char *,
	    size_t *, char **);

/* ctl-plans.c */
extern const struct ctl_cmd ctl_plans_cmds[];
int	 ctl_plans_get(struct ctl *, const char *, struct ctl_reply *);
char	*ctl_plans_progress_text(const json_t *);

/* ctl-routes.c */
extern const struct ctl_cmd ctl_routes_cmds[];

/* ctl-network.c */
extern const struct ctl_cmd ctl_network_cmds[];
extern const struct ctl_cmd ctl_webhooks_cmds[];

/* ctl-report.c */
extern const struct ctl_cmd ctl_report_cmds[];

#endif /* RECIRC_CTL_H */
