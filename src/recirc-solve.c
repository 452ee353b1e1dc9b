/*
 * recirc-solve.c -- the optimiser as a program: a problem in, a plan out.
 *
 * recircd runs it as a child process for every solve; people run it alone
 * to test or replay a problem.  The problem comes from a file or stdin, the
 * plan (JSON) goes to -o or stdout, diagnostics to stderr.  Exit 0 when a
 * plan was written (an infeasible problem gives a plan saying why), 1 on
 * bad input, 2 on bad usage (as recircd and recircctl), 3 when the solver
 * failed.  --validate checks a plan against its problem instead of
 * solving; -V alone, like --version, prints the version.
 *
 * Formats are a table of {name, detect, run}: adding the routing formats
 * is one entry each.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "route.h"
#include "solve.h"

struct rs_opts {
	const char	*format;	/* NULL: detect */
	const char	*out;		/* NULL: stdout */
	const char	*validate;	/* plan file for --validate */
	const char	*path;		/* the problem's file name */
	const char	*sol;		/* routing: .sol output (route-sol.c) */
	int		 no_sp;		/* routing: no set-partitioning phase */
	int		 threads;	/* routing: searches side by side */
	int		 threads_set;	/* -j was given */
	double		 capacity;	/* cflp: override, 0: none */
	int		 single_source;
	struct solve_params params;
};

struct rs_format {
	const char	*name;
	int		(*detect)(const char *, size_t);
	int		(*run)(const struct rs_opts *, const char *, size_t);
};

static int	rs_run_location(const struct rs_opts *, const char *, size_t);
static int	rs_route_threads(void);
static int	rs_default_threads(const struct route_inst *);
static int	rs_run_route(const struct rs_opts *, const char *, size_t);
static int	rs_detect_cvrplib(const char *, size_t);
static int	rs_detect_solomon(const char *, size_t);
static int	rs_detect_vroom(const char *, size_t);

/*
 * In detection order: the first whose detect() accepts the input wins.
 * The location formats run the MILP (solve*.c); the routing formats run
 * the routing engine (route*.c).  Prodhon and Tuzun-Burke LRP files are
 * bare numbers, told apart by their trailing flag (format "lrp") and
 * recognised by a .dat name when no -f is given.
 */
static const struct rs_format rs_formats[] = {
	{ "vroom",	rs_detect_vroom,	rs_run_route },
	{ "json",	pjson_detect,		rs_run_location },
	{ "cvrplib",	rs_detect_cvrplib,	rs_run_route },
	{ "solomon",	rs_detect_solomon,	rs_run_route },
	{ "cflp",	cflp_detect,		rs_run_location },
	{ "prodhon",	NULL,			rs_run_route },
	{ "tuzun",	NULL,			rs_run_route },
	{ "lrp",	NULL,			rs_run_route },
};
#define RS_NFORMATS (sizeof(rs_formats) / sizeof(rs_formats[0]))

/* Exit statuses; the daemon only tells 0 from the rest. */
#define RS_EXIT_INPUT	1	/* bad input, or an invalid plan */
#define RS_EXIT_USAGE	2
#define RS_EXIT_SOLVER	3	/* the solver failed */

static void
rs_usage_text(FILE *fp)
{
	fprintf(fp, "usage: recirc-solve [-CNSv] [-c capacity] "
	    "[-f format] [-j threads] [-L out.sol]\n"
	    "\t[-o out.json] [-s seed] [-t seconds] [-V plan.json] file|-\n"
	    "       recirc-solve -V | --version | -h | --help\n");
}

static __dead void
rs_usage(void)
{
	rs_usage_text(stderr);
	exit(RS_EXIT_USAGE);
}

/* A bad value of an option: say which, then the usage; exit 2. */
static __dead void
rs_bad(const char *what, const char *value)
{
	log_warnx("bad %s: %s", what, value);
	rs_usage();
}

/* Read all of path ("-": stdin); returns a NUL-terminated buffer or NULL. */
static char *
rs_slurp(const char *path, size_t *len)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char	*buf = NULL;
	size_t	 n = 0, cap = 0, r;

	if (f == NULL) {
		log_warn("%s", path);
		return NULL;
	}
	do {
		if (cap - n < 65536)
			buf = xreallocarray(buf, cap = cap * 2 + 65536, 1);
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		log_warn("%s", path);
		free(buf);
		buf = NULL;
	} else
		buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static int
rs_detect_cvrplib(const char *buf, size_t len)
{
	return strstr(buf, "NODE_COORD_SECTION") != NULL ||
	    strstr(buf, "EDGE_WEIGHT_SECTION") != NULL;
}

static int
rs_detect_solomon(const char *buf, size_t len)
{
	return strstr(buf, "VEHICLE") != NULL && strstr(buf, "CUSTOMER") !=
	    NULL;
}

/*
 * VROOM problems: a JSON object with "jobs" and "vehicles".  Tried before
 * "json", which takes any object: a problem of ours has "pickups" and
 * "vehicle_types" instead.
 */
static int
rs_detect_vroom(const char *buf, size_t len)
{
	return pjson_detect(buf, len) && strstr(buf, "\"jobs\"") != NULL &&
	    strstr(buf, "\"vehicles\"") != NULL &&
	    strstr(buf, "\"pickups\"") == NULL;
}

/*
 * Solve a routing instance with the routing engine; the engine reads the
 * file itself, so standard input goes through a temporary file.  Writes
 * the engine's JSON (objective = total cost in the set's own convention)
 * and, with --sol, the routes in CVRPLIB .sol form (location-routing
 * instances: the layout of the Prodhon sets' solutions, route-sol.c).
 */
static int
rs_run_route(const struct rs_opts *o, const char *buf, size_t len)
{
	struct route_opts	 ro;
	struct route_inst	*in;
	char			 tmp[] = "/tmp/recirc-solve.XXXXXX", *cause = NULL;
	const char		*path = o->path;
	FILE			*out = stdout;
	int			 fd = -1, rc = 0;

	memset(&ro, 0, sizeof(ro));
	ro.time_limit = o->params.time_limit;
	ro.seed = o->params.seed;
	ro.threads = o->threads;
	ro.verbose = o->params.verbose;
	ro.use_sp = !o->no_sp;
	if (strcmp(path, "-") == 0) {
		if ((fd = mkstemp(tmp)) == -1 || write(fd, buf, len) !=
		    (ssize_t)len) {
			log_warn("%s", tmp);
			rc = 1;
			goto done;
		}
		path = tmp;
	}
	/* Tell bad input (exit 1) from a solver failure (exit 2). */
	if ((in = route_read_file(path, o->format, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		rc = 1;
		goto done;
	}
	if (!o->threads_set)
		ro.threads = rs_default_threads(in);
	route_inst_free(in);
	if (o->out != NULL && (out = fopen(o->out, "w")) == NULL) {
		log_warn("%s", o->out);
		rc = 1;
		goto done;
	}
	if (route_run_file(path, o->format, &ro, out, o->sol, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
		rc = RS_EXIT_SOLVER;
	}
	if (out != stdout && fclose(out) != 0) {
		log_warn("%s", o->out);
		rc = 1;
	}
done:
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	return rc;
}

/* Read a location problem in format o->format. */
static struct solve_problem *
rs_read_location(const struct rs_opts *o, const char *buf, size_t len)
{
	struct solve_problem	*p;
	char			*cause = NULL;
	const char		*base;

	if (strcmp(o->format, "json") == 0)
		p = pjson_read(buf, len, &cause);
	else
		p = cflp_read(buf, len, o->capacity, &cause);
	if (p == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return NULL;
	}
	if (p->cflp)
		p->single_source = o->single_source;
	if (p->name == NULL) {
		base = strrchr(o->path, '/');
		p->name = xstrdup(base != NULL ? base + 1 : o->path);
	}
	return p;
}

static int
rs_write(const struct rs_opts *o, const char *text)
{
	FILE	*f = o->out == NULL ? stdout : fopen(o->out, "w");

	if (f == NULL) {
		log_warn("%s", o->out);
		return -1;
	}
	fputs(text, f);
	fputc('\n', f);
	if ((f == stdout ? fflush(f) : fclose(f)) != 0) {
		log_warn("%s", o->out ? o->out : "stdout");
		return -1;
	}
	return 0;
}

/* --validate: check the plan in o->validate against problem p. */
static int
rs_validate(const struct rs_opts *o, const struct solve_problem *p)
{
	struct solve_plan	*pl;
	char			*buf, *cause = NULL;
	size_t			 len;
	int			 rc = 1;

	if ((buf = rs_slurp(o->validate, &len)) == NULL)
		return 1;
	if ((pl = pjson_plan_read(p, buf, len, &cause)) == NULL)
		log_warnx("%s: %s", o->validate, cause);
	else if (validate_plan(p, pl, &cause) == -1)
		log_warnx("%s: invalid: %s", o->validate, cause);
	else {
		fprintf(stderr, "%s: valid (%s, objective %.6f)\n",
		    o->validate, solve_status_name(pl->status), pl->objective);
		rc = 0;
	}
	solve_plan_free(pl, p);
	free(cause);
	free(buf);
	return rc;
}

/* Solve (or validate) a json or cflp problem and write the plan. */
/*
 * Route the plan (text, consumed) with the routing engine and return the
 * plan with "routes" and "unrouted" added; the plan as it was when
 * routing does not apply or fails (recircd then builds its own routes).
 */
static char *
rs_add_routes(char *text, const struct solve_problem *p,
    const struct solve_plan *pl, double seconds, unsigned long seed,
    int threads)
{
	json_t	*plan, *r;
	char	*out;

	/* recircd shows this as the plan's phase. */
	log_info("stage: routing, %.1f s left", fmax(seconds, 0.5));
	if ((r = solve_routes(p, pl, fmax(seconds, 0.5), seed,
	    threads)) == NULL) {
		log_info("routing stage skipped: recircd will build routes");
		return text;
	}
	if ((plan = json_loads(text, 0, NULL)) == NULL) {
		json_decref(r);
		return text;
	}
	json_object_update(plan, r);
	json_decref(r);
	if ((out = json_dumps(plan, JSON_INDENT(1) |
	    JSON_REAL_PRECISION(17))) == NULL)
		out = text;
	else
		free(text);
	json_decref(plan);
	return out;
}

static int
rs_run_location(const struct rs_opts *o, const char *buf, size_t len)
{
	struct solve_problem	*p;
	struct solve_plan	*pl;
	struct solve_params	 params;
	char			*cause = NULL, *text;
	double			 t0 = time_mono();
	int			 rc = RS_EXIT_SOLVER;

	if ((p = rs_read_location(o, buf, len)) == NULL)
		return 1;
	if (o->validate != NULL) {
		rc = rs_validate(o, p);
		solve_problem_free(p);
		return rc;
	}
	/*
	 * A JSON problem with vehicles gets routes too: the location stage
	 * keeps 40% of the budget, the routing stage has the rest.  Measured
	 * on bench/plan.sh's city (2,000 pickups, 8 centres, 80 s, machine
	 * busy): with 60%, GLPK ran 64 s (its limit overshoots) to return
	 * the greedy start, 0.5% from its bound, and the routing's 0.6 s a
	 * centre-day fell back to a route per stop 4 times and left 426
	 * pickups to the repair; the plan then overran solve_timeout under
	 * load.  Where the MILP does improve, it is by 0.05% (2,000 x 8 of
	 * the region: the optimum in 17 s).
	 */
	params = o->params;
	if (p->nvt > 0)
		params.time_limit *= 0.4;
	pl = solve_plan_new(p);
	if (solve_problem_run(p, &params, pl, &cause) == -1)
		log_warnx("solve failed: %s", cause);
	else if (validate_plan(p, pl, &cause) == -1)
		log_warnx("internal error: the plan fails validation: %s",
		    cause);
	else {
		text = pjson_plan_write(p, pl);
		if (params.time_limit < o->params.time_limit)
			text = rs_add_routes(text, p, pl,
			    o->params.time_limit - (time_mono() - t0),
			    o->params.seed, o->threads_set ? o->threads :
			    rs_route_threads());
		rc = rs_write(o, text) == 0 ? 0 : RS_EXIT_SOLVER;
		free(text);
		log_info("%s: %s, objective %.6f, bound %.6f, %.2f s",
		    p->name ? p->name : "problem",
		    solve_status_name(pl->status), pl->objective, pl->bound,
		    pl->seconds);
	}
	free(cause);
	solve_plan_free(pl, p);
	solve_problem_free(p);
	return rc;
}

/*
 * Searches to run side by side on a routing problem when -j is not given:
 * for a CVRP, one a processor online, at most two; one for the other
 * kinds.  Measured on the development machine (two vCPUs), CVRPLIB X at
 * the benchmark budgets, both searches with a core each (bench/vrp.sh -C
 * -j 2, which gives the run twice the CPU seconds): mean gap 0.44%, 0.49%
 * and 0.43% at seeds 1-3 against 0.58%, 0.56% and 0.50% for one search,
 * ahead on 7-9 of the 12 and behind on 1-2 (then the searches met every
 * 500 iterations and took in each other's best; since they search
 * independently and the best is kept, which did better on X-n251 and
 * X-n303: route-hgs.c), so two at the same wall time search about twice
 * as much.  On a shared machine with one
 * free core each gets half the iterations of one, and the earlier
 * measurement (seeds 1-3, then the default was one) found them worse on
 * X-n502-k39 and better on X-n251-k28.  Not measured beyond two, nor for
 * the windows and location-routing formats, where -j means other things.
 */
static int
rs_default_threads(const struct route_inst *in)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	if (in->kind != ROUTE_CVRP)
		return 1;
	return n < 1 ? 1 : n > 2 ? 2 : (int)n;
}

/*
 * Centres routed at once in the routing stage of a JSON problem when -j is
 * not given: one a processor online but one, at least one, at most 16.
 * Unlike the searches of one instance above, the centres are independent
 * problems, each with the whole of its share of the time, whatever the
 * thread count; but recircd runs this solver beside itself and must keep
 * answering.  Measured on the development machine (two vCPUs), GET
 * /healthz under wrk -t1 -c4 during bench/plan.sh's 10,000-pickup
 * region: quiet, p99 2.8 ms with one routing thread and 4.2 ms with two;
 * with another engineer's solver running, 5.4 ms with one and 25.5 ms
 * with two (24 and 15 ms at nice 19 or SCHED_IDLE).  The second thread
 * bought no plan: the routing stage spends its budget either way, and
 * both gave 0.1-0.2% unrouted and the same km.
 */
static int
rs_route_threads(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN) - 1;

	return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

static __dead void
rs_version(void)
{
	printf("recirc-solve %s\n", RECIRC_VERSION);
	exit(0);
}

static void
rs_options(int argc, char **argv, struct rs_opts *o)
{
	static const struct option longopts[] = {
		{ "capacity",		required_argument, NULL, 'c' },
		{ "format",		required_argument, NULL, 'f' },
		{ "output",		required_argument, NULL, 'o' },
		{ "seed",		required_argument, NULL, 's' },
		{ "single-source",	no_argument,	   NULL, 'S' },
		{ "threads",		required_argument, NULL, 'j' },
		{ "cpu-time",		no_argument,	   NULL, 'C' },
		{ "sol",		required_argument, NULL, 'L' },
		{ "no-sp",		no_argument,	   NULL, 'N' },
		{ "time",		required_argument, NULL, 't' },
		{ "validate",		required_argument, NULL, 'V' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	char	*ep;
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->params.time_limit = 60;
	o->params.seed = 1;
	o->threads = 1;
	/* -V validates a plan; alone it is the version, as elsewhere. */
	if (argc == 2 && strcmp(argv[1], "-V") == 0)
		rs_version();
	while ((ch = getopt_long(argc, argv, "Cc:f:hj:o:s:St:vV:L:N", longopts,
	    NULL)) != -1) {
		errno = 0;
		switch (ch) {
		case 'C':
			time_use_cpu();
			break;
		case 'c':
			o->capacity = strtod(optarg, &ep);
			if (*ep != '\0' || !(o->capacity > 0))
				rs_bad("capacity", optarg);
			break;
		case 'f':
			o->format = optarg;
			break;
		case 'j':
			o->threads = (int)strtol(optarg, &ep, 10);
			o->threads_set = 1;
			if (*ep != '\0' || o->threads < 1 || o->threads > 64)
				rs_bad("thread count", optarg);
			break;
		case 'o':
			o->out = optarg;
			break;
		case 's':
			o->params.seed = strtoul(optarg, &ep, 10);
			if (*ep != '\0' || errno != 0)
				rs_bad("seed", optarg);
			break;
		case 'S':
			o->single_source = 1;
			break;
		case 't':
			o->params.time_limit = strtod(optarg, &ep);
			if (*ep != '\0' || !(o->params.time_limit > 0))
				rs_bad("time limit", optarg);
			break;
		case 'v':
			o->params.verbose++;
			break;
		case 'V':
			o->validate = optarg;
			break;
		case 'L':
			o->sol = optarg;
			break;
		case 'N':
			o->no_sp = 1;
			break;
		case 'h':
			rs_usage_text(stdout);
			exit(0);
		case 'W':
			rs_version();
		default:
			rs_usage();
		}
	}
}

#define RS_FORMAT_LIST "json, cflp, cvrplib, solomon, prodhon, tuzun, " \
	"lrp, vroom"

static const struct rs_format *
rs_pick_named(struct rs_opts *o, const char *name)
{
	size_t	i;

	for (i = 0; i < RS_NFORMATS; i++)
		if (strcmp(rs_formats[i].name, name) == 0) {
			o->format = rs_formats[i].name;
			return &rs_formats[i];
		}
	return NULL;
}

/* The format to use: -f, else the first table entry that detects it. */
static const struct rs_format *
rs_pick_format(struct rs_opts *o, const char *buf, size_t len)
{
	const char	*dot;
	size_t		 i;

	/* LRP files are bare numbers, as cflp ones are: go by the name. */
	if (o->format == NULL && (dot = strrchr(o->path, '.')) != NULL &&
	    strcmp(dot, ".dat") == 0)
		return rs_pick_named(o, "lrp");

	for (i = 0; i < RS_NFORMATS; i++) {
		if (o->format != NULL ? strcmp(o->format,
		    rs_formats[i].name) == 0 : rs_formats[i].detect != NULL &&
		    rs_formats[i].detect(buf, len)) {
			o->format = rs_formats[i].name;
			return &rs_formats[i];
		}
	}
	if (o->format != NULL)
		log_warnx("unknown format %s (%s)", o->format, RS_FORMAT_LIST);
	else
		log_warnx("cannot tell the input's format; use -f");
	return NULL;
}

int
main(int argc, char **argv)
{
	struct rs_opts		 o;
	const struct rs_format	*fmt;
	char			*buf;
	size_t			 len;
	int			 rc;

	log_init(1, 0, "recirc-solve");
	rs_options(argc, argv, &o);
	log_setverbose(o.params.verbose);
	argc -= optind;
	argv += optind;
	if (argc != 1)
		rs_usage();
	o.path = argv[0];
	if (o.format != NULL && rs_pick_named(&o, o.format) == NULL) {
		log_warnx("unknown format %s (%s)", o.format, RS_FORMAT_LIST);
		rs_usage();
	}
	if ((buf = rs_slurp(argv[0], &len)) == NULL)
		return 1;
	if ((fmt = rs_pick_format(&o, buf, len)) == NULL)
		rc = 1;
	else
		rc = fmt->run(&o, buf, len);
	free(buf);
	return rc;
}
