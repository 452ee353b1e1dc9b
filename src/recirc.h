/*
 * recirc.h -- what every program of recircd shares: the daemon, the
 * solver, the routing engine, recircctl and the tests.
 *
 * Logging, allocation that cannot fail, UTF-8 checks, dates and clock
 * times, and the few macros they need; all pure or process-wide, none
 * tied to the daemon.  The daemon's own structures are in recircd.h,
 * which includes this file; the solver and the CLI include this one.
 */
#ifndef RECIRC_H
#define RECIRC_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RECIRC_VERSION	PACKAGE_VERSION

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define PRINTFLIKE(a, b) __attribute__((__format__(__printf__, a, b)))

/* The index of name in a table of n names, or -1 (for enum parsing). */
static inline int
name_index(const char *const *table, int n, const char *name)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(table[i], name) == 0)
			return i;
	return -1;
}

/*
 * matrix.c: how a distance on the map becomes one on the road, and a
 * time.  The defaults are recircd.conf's detour and speed_kmh; a table
 * (a road router's, issue 10) gives the legs between its points instead.
 */
#define MATRIX_DETOUR		1.3	/* road km per great-circle km */
#define MATRIX_SPEED_KMH	25.0	/* average urban speed, stops excluded */
struct matrix_table;
struct matrix_model {
	double			 detour;
	double			 speed_kmh;
	const struct matrix_table *table;	/* NULL: straight lines */
};
void	 matrix_model_default(struct matrix_model *);
double	 matrix_geo_km(double, double, double, double);
double	 matrix_km(const struct matrix_model *, double, double, double,
	    double);
double	 matrix_minutes(const struct matrix_model *, double);
void	 matrix_leg(const struct matrix_model *, double, double, double,
	    double, double *, double *);
struct matrix_table *matrix_table_new(size_t, const double *,
	    const double *);
void	 matrix_table_free(struct matrix_table *);
size_t	 matrix_table_size(const struct matrix_table *);
long	 matrix_table_find(const struct matrix_table *, double, double);
void	 matrix_table_set(struct matrix_table *, size_t, size_t, double,
	    double);
int	 matrix_table_get(const struct matrix_table *, size_t, size_t,
	    double *, double *);
void	 matrix_table_point(const struct matrix_table *, size_t, double *,
	    double *);
int64_t	 matrix_place_key(double, double);
double	 matrix_arrive(double, int, const int *, const int *, double, int *);
/*
 * A van's clock along a route: the one route timing of recircd (its
 * fallback routes, and its check of the solver's) and of recirc-solve.
 */
struct matrix_clock {
	double	lat, lon;	/* where the van is */
	double	start;		/* the minute it left */
	double	t;		/* now (after the last service, or home) */
	double	km;		/* driven so far */
	double	wait;		/* minutes waited for windows so far */
	double	delay;		/* how much later it could have left */
	int	late;		/* stops reached after all their windows */
};
void	 matrix_clock_start(struct matrix_clock *, double, double, double);
double	 matrix_clock_visit(const struct matrix_model *, struct matrix_clock *,
	    double, double, int, const int *, const int *, double, double);
void	 matrix_clock_home(const struct matrix_model *, struct matrix_clock *,
	    double, double);
double	 matrix_clock_later(const struct matrix_clock *);

/* log.c */
void	log_init(int, int, const char *);
void	log_setverbose(int);
int	log_getverbose(void);
void	log_write_line(const char *, size_t);
void	log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	log_info(const char *, ...) PRINTFLIKE(1, 2);
void	log_debug(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatal(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatalx(const char *, ...) PRINTFLIKE(1, 2);

/* xmalloc.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
void	*xgrowarray(void *, size_t *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);
size_t	 xappendf(char **, const char *, ...) PRINTFLIKE(2, 3);
void	 x_free(void *);

/* utf8.c */
int	 utf8_valid(const char *, size_t);
char	*utf8_sanitize(char *);

/* time.c */
long long date_to_days(const char *);
void	 days_to_date(long long, char [11]);
int	 days_window(long long, int, const unsigned char *, long long,
	    long long, long long *, long long *);
int	 days_closed(long long, int, const unsigned char *, long long);
int	 days_open(const unsigned char *, int, int);
void	 time_format(int64_t, char [21]);
int	 time_parse(const char *, int64_t *);
int	 hhmm_parse(const char *);
int	 hhmm_parse_until(const char *);
void	 hhmm_format(int, char [6]);
double	 time_mono(void);
void	 time_use_cpu(void);
int	 time_zone_check(const char *, char **);
void	 time_zone_set(const char *);
long long time_local_day(int64_t);
int64_t	 time_local_instant(long long, int);
void	 time_format_local(int64_t, char [26]);
void	 time_format_wall(long long, const char *, char [26]);

/* rng.c: the solver's and the engine's one generator (xorshift64*). */
struct rng {
	uint64_t	 s;
};
void	 rng_seed(struct rng *, uint64_t);
uint64_t rng_next(struct rng *);
int	 rng_int(struct rng *, int);

#endif /* RECIRC_H */
