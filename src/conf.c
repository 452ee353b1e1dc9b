/*
 * conf.c -- the recircd.conf(5) parser: table-driven "keyword value" lines.
 *
 * Pure apart from reading the file: every keyword is one row of conf_table
 * (name, type, limits, default, where it lives in struct conf), so the
 * parser, -D overrides, the defaults and the -n dump share one description.
 * Errors read "file:line: why" and are returned in *cause.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#ifndef RECIRC_BINDIR
#define RECIRC_BINDIR "/usr/local/bin"
#endif
#ifndef RECIRC_LOCALSTATEDIR
#define RECIRC_LOCALSTATEDIR "/var"
#endif

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	size_t		 off;		/* offset in struct conf */
	long long	 min, max;	/* CONF_INT and CONF_REAL only */
	const char	*def;		/* default as text; NULL: unset */
};

#define S(f) offsetof(struct conf, f)
static const struct conf_key conf_table[] = {
	{ "listen", CONF_ADDR, S(listen), 0, 0, "127.0.0.1:8080" },
	{ "metrics_listen", CONF_ADDR, S(metrics_listen), 0, 0, NULL },
	{ "metrics_auth", CONF_BOOL, S(metrics_auth), 0, 0, "no" },
	{ "database", CONF_STR, S(database), 0, 0,
	    RECIRC_LOCALSTATEDIR "/lib/recircd/recircd.db" },
	{ "pidfile", CONF_STR, S(pidfile), 0, 0,
	    RECIRC_LOCALSTATEDIR "/run/recircd.pid" },
	{ "catalogue", CONF_STR, S(catalogue), 0, 0, NULL },
	{ "user", CONF_STR, S(user), 0, 0, NULL },
	{ "http_max_body", CONF_INT, S(http_max_body), 1024, 64 << 20,
	    "65536" },
	{ "http_max_headers", CONF_INT, S(http_max_headers), 1024, 1 << 20,
	    "8192" },
	{ "http_timeout", CONF_INT, S(http_timeout), 1, 3600, "10" },
	{ "http_header_timeout", CONF_INT, S(http_header_timeout), 1, 3600,
	    "10" },
	{ "max_connections", CONF_INT, S(max_connections), 0, 1000000, "0" },
	{ "max_connections_per_peer", CONF_INT, S(max_connections_per_peer),
	    0, 1000000, "0" },
	{ "max_items", CONF_INT, S(max_items), 1, 10000, "50" },
	{ "max_window_days", CONF_INT, S(max_window_days), 1, 3660, "90" },
	{ "page_limit", CONF_INT, S(page_limit), 1, 100000, "50" },
	{ "page_max", CONF_INT, S(page_max), 1, 100000, "500" },
	{ "commit_batch", CONF_INT, S(commit_batch), 1, 100000, "256" },
	{ "drain_timeout", CONF_INT, S(drain_timeout), 0, 3600, "10" },
	{ "auth_cache", CONF_INT, S(auth_cache), 0, 3600, "1" },
	{ "solver", CONF_STR, S(solver), 0, 0, RECIRC_BINDIR "/recirc-solve" },
	{ "solve_timeout", CONF_INT, S(solve_timeout), 1, 86400, "300" },
	{ "max_solves", CONF_INT, S(max_solves), 1, 64, "1" },
	{ "node", CONF_STR, S(node), 0, 0, NULL },
	{ "plan_lease", CONF_INT, S(plan_lease), 3, 3600, "60" },
	{ "solve_nice", CONF_INT, S(solve_nice), 0, 19, "10" },
	{ "plan_at", CONF_STR, S(plan_at), 0, 0, NULL },
	{ "timezone", CONF_STR, S(timezone), 0, 0, NULL },
	{ "plan_days", CONF_INT, S(plan_days), 1, 28, "2" },
	{ "closed_days", CONF_STR, S(closed_days), 0, 0, NULL },
	{ "carry_over_days", CONF_INT, S(carry_over_days), 0, 366, "14" },
	{ "replan_move_cost", CONF_REAL, S(replan_move_cost), 0, 1000000,
	    "5" },
	{ "clock_offset", CONF_INT, S(clock_offset), -315360000, 315360000,
	    "0" },
	{ "detour", CONF_REAL, S(detour), 1, 5, "1.3" },
	{ "router", CONF_STR, S(router), 0, 0, "haversine" },
	{ "router_profile", CONF_STR, S(router_profile), 0, 0, "driving" },
	{ "router_max_table", CONF_INT, S(router_max_table), 2, 100000,
	    "100" },
	{ "router_timeout", CONF_INT, S(router_timeout), 1, 300, "10" },
	{ "router_fallback", CONF_STR, S(router_fallback), 0, 0,
	    "haversine" },
	{ "router_cache_max", CONF_INT, S(router_cache_max), 0, 1000000000,
	    "10000000" },
	{ "router_max_points", CONF_INT, S(router_max_points), 2, 20000,
	    "1500" },
	{ "speed_kmh", CONF_REAL, S(speed_kmh), 1, 150, "25" },
	{ "map_tiles", CONF_TEXT, S(map_tiles), 0, 0,
	    "https://tile.openstreetmap.org/{z}/{x}/{y}.png" },
	{ "map_attribution", CONF_TEXT, S(map_attribution), 0, 0,
	    "&copy; OpenStreetMap contributors" },
	{ "map_leaflet", CONF_STR, S(map_leaflet), 0, 0,
	    "/usr/share/javascript/leaflet" },
	{ "webhook_timeout", CONF_INT, S(webhook_timeout), 1, 300, "10" },
	{ "webhook_retry_min", CONF_INT, S(webhook_retry_min), 1, 86400,
	    "10" },
	{ "webhook_max_age", CONF_INT, S(webhook_max_age), 1, 604800,
	    "86400" },
};
#undef S

static const struct conf_key *
conf_find(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++) {
		if (strlen(conf_table[i].name) == len &&
		    strncmp(conf_table[i].name, name, len) == 0)
			return &conf_table[i];
	}
	return NULL;
}

/* Check "HOST:PORT" with a numeric port in 1..65535. */
static int
conf_addr_valid(const char *v)
{
	const char	*colon = strrchr(v, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == v)
		return 0;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return errno == 0 && *end == '\0' && colon[1] != '\0' &&
	    port >= 1 && port <= 65535;
}

/* Store value for key into cf; *why gets a static reason on failure. */
static int
conf_apply(struct conf *cf, const struct conf_key *k, const char *value,
    const char **why)
{
	char		*end;
	long long	 n;
	double		 d;

	switch (k->type) {
	case CONF_BOOL:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			*why = "expected yes or no";
			return -1;
		}
		*(int *)((char *)cf + k->off) = strcmp(value, "yes") == 0;
		return 0;
	case CONF_INT:
		errno = 0;
		n = strtoll(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0') {
			*why = "expected an integer";
			return -1;
		}
		if (n < k->min || n > k->max) {
			*why = "value out of range";
			return -1;
		}
		*(long long *)((char *)cf + k->off) = n;
		return 0;
	case CONF_REAL:
		errno = 0;
		d = strtod(value, &end);
		if (errno != 0 || end == value || *end != '\0' || !isfinite(d)) {
			*why = "expected a number";
			return -1;
		}
		if (d < k->min || d > k->max) {
			*why = "value out of range";
			return -1;
		}
		*(double *)((char *)cf + k->off) = d;
		return 0;
	case CONF_ADDR:
		if (!conf_addr_valid(value)) {
			*why = "expected ADDRESS:PORT";
			return -1;
		}
		/* FALLTHROUGH */
	case CONF_STR:
		if (*value == '\0') {
			*why = "empty value";
			return -1;
		}
		/* FALLTHROUGH */
	case CONF_TEXT:
		x_free(*(char **)((char *)cf + k->off));
		*(char **)((char *)cf + k->off) = xstrdup(value);
		return 0;
	}
	*why = "bad keyword type";
	return -1;
}

/* Fill cf with the built-in defaults. */
void
conf_init(struct conf *cf)
{
	const char	*why;
	size_t		 i;

	memset(cf, 0, sizeof(*cf));
	/* The table's own defaults always apply: a failure is a bug. */
	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++) {
		if (conf_table[i].def != NULL &&
		    conf_apply(cf, &conf_table[i], conf_table[i].def, &why) == -1)
			fatalx("conf: default of %s: %s", conf_table[i].name,
			    why);
	}
}

void
conf_clear(struct conf *cf)
{
	size_t	i;

	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++) {
		if (conf_table[i].type != CONF_INT &&
		    conf_table[i].type != CONF_REAL &&
		    conf_table[i].type != CONF_BOOL)
			x_free(*(char **)((char *)cf + conf_table[i].off));
	}
	x_free(cf->path);
	cal_clear(&cf->cal);
	memset(cf, 0, sizeof(*cf));
}

const char *
conf_default_database(void)
{
	return conf_table[1].def;
}

/*
 * Parse one "keyword value" line (comments and blanks already removed).
 * Returns 0, or -1 with *why set.
 */
static int
conf_line(struct conf *cf, char *line, const char **why)
{
	const struct conf_key	*k;
	char			*p = line, *value, *end;
	size_t			 len;

	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	len = p - line;
	while (isspace((unsigned char)*p))
		p++;
	value = p;
	end = value + strlen(value);
	while (end > value && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (end - value >= 2 && value[0] == '"' && end[-1] == '"') {
		end[-1] = '\0';
		value++;
	}
	if ((k = conf_find(line, len)) == NULL) {
		*why = "unknown keyword";
		return -1;
	}
	if (*value == '\0') {
		*why = "missing value";
		return -1;
	}
	return conf_apply(cf, k, value, why);
}

/*
 * Read path into cf (which holds defaults or earlier values).  On error
 * returns -1 with *cause = "path:line: why"; cf may be partly updated.
 */
int
conf_load(struct conf *cf, const char *path, char **cause)
{
	FILE		*f;
	char		*line = NULL, *p, *hash;
	size_t		 cap = 0;
	ssize_t		 n;
	unsigned	 lineno = 0;
	const char	*why;
	int		 rc = 0, quoted;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		/* '#' starts a comment, except inside a quoted value. */
		for (hash = line, quoted = 0; *hash != '\0'; hash++) {
			if (*hash == '"')
				quoted = !quoted;
			else if (*hash == '#' && !quoted) {
				*hash = '\0';
				break;
			}
		}
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0')
			continue;
		if (conf_line(cf, p, &why) == -1) {
			xasprintf(cause, "%s:%u: %s", path, lineno, why);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	if (rc == 0) {
		x_free(cf->path);
		cf->path = xstrdup(path);
	}
	return rc;
}

/* Apply a -D "keyword=value" override. */
int
conf_set(struct conf *cf, const char *kv, char **cause)
{
	const struct conf_key	*k;
	const char		*eq = strchr(kv, '='), *why;

	if (eq == NULL) {
		xasprintf(cause, "-D %s: expected keyword=value", kv);
		return -1;
	}
	if ((k = conf_find(kv, eq - kv)) == NULL) {
		xasprintf(cause, "-D %.*s: unknown keyword", (int)(eq - kv), kv);
		return -1;
	}
	if (conf_apply(cf, k, eq + 1, &why) == -1) {
		xasprintf(cause, "-D %s: %s", kv, why);
		return -1;
	}
	return 0;
}

/* Checks across keywords; parses closed_days into cf->cal. */
int
conf_check(struct conf *cf, char **cause)
{
	const char	*why;

	if (cf->page_limit > cf->page_max) {
		xasprintf(cause, "page_limit (%lld) exceeds page_max (%lld)",
		    cf->page_limit, cf->page_max);
		return -1;
	}
	if (cf->plan_at != NULL && hhmm_parse(cf->plan_at) == -1) {
		xasprintf(cause, "plan_at (%s) is not a time HH:MM", cf->plan_at);
		return -1;
	}
	if (strcmp(cf->router, "haversine") != 0 &&
	    (strncmp(cf->router, "osrm ", 5) != 0 ||
	    (strncmp(roads_url(cf), "http://", 7) != 0 &&
	    strncmp(roads_url(cf), "https://", 8) != 0))) {
		xasprintf(cause, "router (%s) must be haversine or \"osrm "
		    "URL\" with an http:// or https:// URL", cf->router);
		return -1;
	}
	if (time_zone_check(cf->timezone, cause) == -1)
		return -1;
	cal_clear(&cf->cal);
	if (cal_parse(cf->closed_days, &cf->cal, &why) == -1) {
		xasprintf(cause, "closed_days (%s): %s", cf->closed_days, why);
		return -1;
	}
	if (strcmp(cf->router_fallback, "haversine") != 0 &&
	    strcmp(cf->router_fallback, "no") != 0) {
		xasprintf(cause, "router_fallback (%s) must be haversine or no",
		    cf->router_fallback);
		return -1;
	}
	if (strspn(cf->router_profile, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(cf->router_profile)) {
		xasprintf(cause, "router_profile (%s) must be a word such as "
		    "driving", cf->router_profile);
		return -1;
	}
	return 0;
}

/* Print the effective configuration, one keyword a line (for -n -v). */
void
conf_print(const struct conf *cf, FILE *f)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof(conf_table) / sizeof(conf_table[0]); i++) {
		const struct conf_key *k = &conf_table[i];

		if (k->type == CONF_INT)
			fprintf(f, "%s %lld\n", k->name,
			    *(const long long *)((const char *)cf + k->off));
		else if (k->type == CONF_REAL)
			fprintf(f, "%s %g\n", k->name,
			    *(const double *)((const char *)cf + k->off));
		else if (k->type == CONF_BOOL)
			fprintf(f, "%s %s\n", k->name,
			    *(const int *)((const char *)cf + k->off) ? "yes" :
			    "no");
		else if ((s = *(char *const *)((const char *)cf + k->off)) !=
		    NULL)
			fprintf(f, *s == '\0' ? "%s \"\"\n" : "%s %s\n", k->name,
			    s);
	}
}
