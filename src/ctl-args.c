/*
 * ctl-args.c -- option parsing for recircctl and its commands.
 *
 * A small getopt_long that keeps its state in a struct instead of globals,
 * so main() parses the global options in order (stopping at the command
 * name) and every command then parses its own, with options and operands
 * mixed ("pickups list --status received --json").  Pure: no I/O, so
 * tests/ctl-args.c calls it directly.
 *
 * Accepted forms: -j, -jv (a cluster), -u URL, -uURL, --url URL, --url=URL,
 * "--" to end options, and "-" as an operand (standard input).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Start parsing argv[0 .. argc-1]; in_order stops at the first operand. */
void
ctl_args_init(struct ctl_args *a, int argc, char **argv, int in_order)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->in_order = in_order;
}

void
ctl_args_free(struct ctl_args *a)
{
	x_free(a->operands);
	a->operands = NULL;
	a->noperands = 0;
}

static const struct ctl_opt *
ctl_args_find_short(const struct ctl_opt *opts, int c)
{
	for (; opts->id != 0; opts++)
		if (opts->shortopt != 0 && opts->shortopt == c)
			return opts;
	return NULL;
}

static const struct ctl_opt *
ctl_args_find_long(const struct ctl_opt *opts, const char *name, size_t len)
{
	for (; opts->id != 0; opts++)
		if (opts->longopt != NULL && strlen(opts->longopt) == len &&
		    strncmp(opts->longopt, name, len) == 0)
			return opts;
	return NULL;
}

/* Take the next short option from the current cluster. */
static int
ctl_args_short(struct ctl_args *a, const struct ctl_opt *opts,
    const char **arg, char **cause)
{
	const struct ctl_opt	*o;
	int			 c = (unsigned char)*a->cluster++;

	if ((o = ctl_args_find_short(opts, c)) == NULL) {
		xasprintf(cause, "unknown option -%c", c);
		return -1;
	}
	if (!o->has_arg)
		return o->id;
	if (*a->cluster != '\0')
		*arg = a->cluster;
	else if (a->next < a->argc)
		*arg = a->argv[a->next++];
	else {
		xasprintf(cause, "option -%c needs a value", c);
		return -1;
	}
	a->cluster = "";
	return o->id;
}

/* Parse "--name", "--name=value" or "--name value" (s points past "--"). */
static int
ctl_args_longopt(struct ctl_args *a, const struct ctl_opt *opts,
    const char *s, const char **arg, char **cause)
{
	const struct ctl_opt	*o;
	const char		*eq = strchr(s, '=');
	size_t			 len = eq != NULL ? (size_t)(eq - s) : strlen(s);

	if ((o = ctl_args_find_long(opts, s, len)) == NULL) {
		xasprintf(cause, "unknown option --%.*s", (int)len, s);
		return -1;
	}
	if (!o->has_arg) {
		if (eq != NULL) {
			xasprintf(cause, "option --%s takes no value",
			    o->longopt);
			return -1;
		}
		return o->id;
	}
	if (eq != NULL)
		*arg = eq + 1;
	else if (a->next < a->argc)
		*arg = a->argv[a->next++];
	else {
		xasprintf(cause, "option --%s needs a value", o->longopt);
		return -1;
	}
	return o->id;
}

/*
 * Return the id of the next option (its value, if any, in *arg, borrowed
 * from argv), 0 when there are no more, or -1 with *cause set (caller frees)
 * on an unknown option or a missing value.  At 0, an in-order parse leaves
 * the remaining arguments at argv[a->next]; otherwise the operands are in
 * a->operands, in order.
 */
int
ctl_args_next(struct ctl_args *a, const struct ctl_opt *opts,
    const char **arg, char **cause)
{
	const char	*s;

	*arg = NULL;
	if (a->cluster != NULL && *a->cluster != '\0')
		return ctl_args_short(a, opts, arg, cause);
	a->cluster = NULL;
	while (a->next < a->argc) {
		s = a->argv[a->next];
		if (a->dashdash || s[0] != '-' || s[1] == '\0') {
			if (a->in_order)
				return 0;
			a->operands = xreallocarray(a->operands,
			    a->noperands + 1, sizeof(*a->operands));
			a->operands[a->noperands++] = a->argv[a->next++];
			continue;
		}
		a->next++;
		if (strcmp(s, "--") == 0) {
			if (a->in_order)
				return 0;
			a->dashdash = 1;
			continue;
		}
		if (s[1] == '-')
			return ctl_args_longopt(a, opts, s + 2, arg, cause);
		a->cluster = s + 1;
		return ctl_args_short(a, opts, arg, cause);
	}
	return 0;
}

/*
 * Parse s as a decimal integer in [min, max] into *out.  Returns 0, or -1
 * with *cause set (caller frees) naming what (e.g. "--limit") was wrong.
 */
int
ctl_args_long(const char *s, long min, long max, long *out, char **cause)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE ||
	    (*s < '0' || *s > '9')) {
		xasprintf(cause, "\"%s\" is not a number", s);
		return -1;
	}
	if (v < min || v > max) {
		xasprintf(cause, "%ld is out of range (%ld to %ld)", v, min,
		    max);
		return -1;
	}
	*out = v;
	return 0;
}
