/*
 * recirc-route.c -- the routing engine alone, for the benchmarks and tests:
 *
 *	recirc-route [-n] [-f format] [-i iterations] [-j threads] [-s seed]
 *	    [-t seconds] [-o out.sol] file
 *	recirc-route -c sol [-f format] file
 *
 * The first form solves and prints one JSON line (cost, routes, seconds,
 * route list, unassigned stops); the second validates a solution file
 * (CVRPLIB .sol, or the location-routing layout of the Prodhon sets'
 * solutions, told apart by content: route-sol.c) and prints its
 * recomputed cost, checking it against its "Cost" line if any.
 * -i caps the genetic iterations (of each search with -j), for runs that
 * must repeat exactly; -j runs that many searches side by side (default 1).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recirc.h"
#include "route.h"

static void
usage_text(FILE *fp)
{
	fprintf(fp, "usage: recirc-route [-n] [-f format] [-i iterations] "
	    "[-j threads]\n\t[-s seed] [-t seconds] [-o out.sol] file\n"
	    "       recirc-route -c sol [-f format] file\n"
	    "       recirc-route -V | --version | -h | --help\n");
}

static __dead void
usage(void)
{
	usage_text(stderr);
	exit(2);
}

/* The number on a "Cost" line of a solution file, or NAN. */
static double
claimed_cost(const char *path)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 sz = 0;
	double	 v = NAN;

	if ((fp = fopen(path, "r")) == NULL)
		return NAN;
	while (getline(&line, &sz, fp) != -1)
		if (strncmp(line, "Cost", 4) == 0)
			v = strtod(line + 4, NULL);
	free(line);
	fclose(fp);
	return v;
}

/* -c: validate sol against the instance. */
static int
check_file(const char *path, const char *format, const char *solpath)
{
	struct route_inst	*in;
	struct route_sol	 s;
	char			*cause = NULL;
	double			 cost;
	FILE			*fp;
	int			 rc = 1;

	if ((in = route_read_file(path, format, &cause)) == NULL)
		goto done;
	route_sol_init(&s);
	if ((fp = fopen(solpath, "r")) == NULL) {
		xasprintf(&cause, "%s: cannot open", solpath);
		goto done;
	}
	rc = route_sol_read(fp, in, &s, &cause);
	fclose(fp);
	if (rc == 0)
		rc = route_check(in, &s, claimed_cost(solpath), &cost, &cause);
	if (rc == 0)
		printf("%s %.4f\n", in->name, cost);
	rc = rc == 0 ? 0 : 1;
	route_sol_clear(&s);
done:
	if (cause != NULL)
		fprintf(stderr, "recirc-route: %s\n", cause);
	free(cause);
	route_inst_free(in);
	return rc;
}

int
main(int argc, char **argv)
{
	struct route_opts	 o;
	const char		*format = NULL, *out = NULL, *chk = NULL;
	char			*cause = NULL;
	int			 ch;

	memset(&o, 0, sizeof(o));
	o.time_limit = 10;
	o.seed = 1;
	o.threads = 1;
	o.use_sp = 1;
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		argv[1] = "-h";
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		argv[1] = "-V";
	while ((ch = getopt(argc, argv, "c:f:hi:j:no:s:t:vV")) != -1) {
		switch (ch) {
		case 'h':
			usage_text(stdout);
			exit(0);
		case 'V':
			printf("recirc-route %s\n", RECIRC_VERSION);
			exit(0);
		case 'c': chk = optarg; break;
		case 'f': format = optarg; break;
		case 'i': o.max_iter = strtol(optarg, NULL, 10); break;
		case 'j': o.threads = atoi(optarg); break;
		case 'n': o.use_sp = 0; break;
		case 'o': out = optarg; break;
		case 's': o.seed = strtoull(optarg, NULL, 10); break;
		case 't': o.time_limit = strtod(optarg, NULL); break;
		case 'v': o.verbose++; break;
		default: usage();
		}
	}
	if (argc - optind != 1 || o.time_limit <= 0 || o.threads < 1 ||
	    o.threads > 64)
		usage();
	if (chk != NULL)
		return check_file(argv[optind], format, chk);
	if (route_run_file(argv[optind], format, &o, stdout, out, &cause) < 0) {
		fprintf(stderr, "recirc-route: %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}
