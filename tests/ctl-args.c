/*
 * ctl-args.c -- unit tests of recircctl's option parser (src/ctl-args.c):
 * global options in order, command options mixed with operands, clusters,
 * attached values, "--", and the errors a user can make.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "tap.h"

static const struct ctl_opt opts[] = {
	{ 'u', 'u', "url", 1 },
	{ 'v', 'v', "verbose", 0 },
	{ 'T', 'T', "timeout", 1 },
	{ 's', 0, "status", 1 },
	CTL_OPTS_COMMON,
	{ 0, 0, NULL, 0 }
};

/* Run the parser over argv; "id[=arg]" per option, space separated. */
static char *
trace(int argc, char **argv, int in_order, struct ctl_args *a, char **cause)
{
	char		 buf[512] = "";
	const char	*arg;
	int		 id;

	ctl_args_init(a, argc, argv, in_order);
	while ((id = ctl_args_next(a, opts, &arg, cause)) > 0) {
		size_t	len = strlen(buf);

		if (id == CTL_OPT_JSON)
			id = 'j';
		snprintf(buf + len, sizeof(buf) - len, "%s%c%s%s",
		    len ? " " : "", id, arg ? "=" : "", arg ? arg : "");
	}
	if (id == -1)
		return NULL;
	return xstrdup(buf);
}

static void
test_global(void)
{
	char		*argv[] = { "-j", "-u", "http://x:1", "--timeout=5",
	    "-v", "pickups", "list", "--json" };
	struct ctl_args	 a;
	char		*cause = NULL, *s;

	s = trace(8, argv, 1, &a, &cause);
	is_str(s, "j u=http://x:1 T=5 v", "global options in order");
	is_int(a.next, 5, "stops at the command name");
	free(s);
	ctl_args_free(&a);
}

static void
test_cluster(void)
{
	char		*argv1[] = { "-jvu", "http://y" };
	char		*argv2[] = { "-vuhttp://z", "-T3" };
	char		*argv3[] = { "--url", "http://w", "--", "-v" };
	struct ctl_args	 a;
	char		*cause = NULL, *s;

	s = trace(2, argv1, 1, &a, &cause);
	is_str(s, "j v u=http://y", "a cluster ending in an option with a "
	    "value takes the next word");
	free(s);
	s = trace(2, argv2, 1, &a, &cause);
	is_str(s, "v u=http://z T=3", "attached values");
	free(s);
	s = trace(4, argv3, 1, &a, &cause);
	is_str(s, "u=http://w", "-- ends the options");
	is_int(a.next, 3, "and the next word is the command");
	free(s);
}

static void
test_operands(void)
{
	char		*argv[] = { "12", "--status", "received", "-", "-j",
	    "--", "-7", "--json" };
	struct ctl_args	 a;
	char		*cause = NULL, *s;

	s = trace(8, argv, 0, &a, &cause);
	is_str(s, "s=received j", "options among operands");
	is_int(a.noperands, 4, "four operands");
	if (a.noperands == 4) {
		is_str(a.operands[0], "12", "first operand");
		is_str(a.operands[1], "-", "- is an operand");
		is_str(a.operands[2], "-7", "after --, -7 is an operand");
		is_str(a.operands[3], "--json", "and so is --json");
	}
	free(s);
	ctl_args_free(&a);
}

static void
test_errors(void)
{
	char		*argv1[] = { "-x" };
	char		*argv2[] = { "--status" };
	char		*argv3[] = { "--json=yes" };
	char		*argv4[] = { "--bogus=1" };
	char		*argv5[] = { "-vT" };
	struct ctl_args	 a;
	char		*cause = NULL;

	ok(trace(1, argv1, 0, &a, &cause) == NULL, "unknown short option");
	is_str(cause, "unknown option -x", "says which");
	free(cause);
	cause = NULL;
	ok(trace(1, argv2, 0, &a, &cause) == NULL, "missing value");
	is_str(cause, "option --status needs a value", "says which");
	free(cause);
	cause = NULL;
	ok(trace(1, argv3, 0, &a, &cause) == NULL, "value for a flag");
	is_str(cause, "option --json takes no value", "says which");
	free(cause);
	cause = NULL;
	ok(trace(1, argv4, 0, &a, &cause) == NULL, "unknown long option");
	is_str(cause, "unknown option --bogus", "without the value");
	free(cause);
	cause = NULL;
	ok(trace(1, argv5, 0, &a, &cause) == NULL, "-T at the end of a "
	    "cluster with nothing after it");
	free(cause);
	ctl_args_free(&a);
}

static void
test_long(void)
{
	long	 v = -1;
	char	*cause = NULL;

	ok(ctl_args_long("12", 1, 500, &v, &cause) == 0 && v == 12, "12");
	ok(ctl_args_long("0", 1, 500, &v, &cause) == -1, "0 below min");
	is_str(cause, "0 is out of range (1 to 500)", "range message");
	free(cause);
	cause = NULL;
	ok(ctl_args_long("501", 1, 500, &v, &cause) == -1, "above max");
	free(cause);
	cause = NULL;
	ok(ctl_args_long("12x", 1, 500, &v, &cause) == -1, "trailing junk");
	is_str(cause, "\"12x\" is not a number", "junk message");
	free(cause);
	cause = NULL;
	ok(ctl_args_long("", 1, 500, &v, &cause) == -1, "empty");
	free(cause);
	cause = NULL;
	ok(ctl_args_long("-3", -10, 500, &v, &cause) == -1,
	    "signs are not ids");
	free(cause);
	cause = NULL;
	ok(ctl_args_long(" 3", 1, 500, &v, &cause) == -1, "leading space");
	free(cause);
	cause = NULL;
	ok(ctl_args_long("99999999999999999999999", 1, 500, &v, &cause) == -1,
	    "overflow");
	free(cause);
}

int
main(void)
{
	test_global();
	test_cluster();
	test_operands();
	test_errors();
	test_long();
	return tap_done();
}
