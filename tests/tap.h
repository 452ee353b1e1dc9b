/*
 * tap.h -- a tiny Test Anything Protocol emitter for the C unit tests.
 *
 * Header-only so every test program gets its own counters.  Use ok(),
 * is_int(), is_str(), is_dbl() and finish with tap_done(), which prints the
 * plan and returns the exit status for main().
 */
#ifndef RECIRC_TAP_H
#define RECIRC_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static int __attribute__((__format__(__printf__, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!ok(g_ == w_, __VA_ARGS__))					\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (!ok(same_, __VA_ARGS__))					\
		printf("#   got \"%s\", want \"%s\"\n",		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

#define is_dbl(got, want, tol, ...) do {				\
	double g_ = (got), w_ = (want);					\
	if (!ok(fabs(g_ - w_) <= (tol), __VA_ARGS__))			\
		printf("#   got %.9g, want %.9g\n", g_, w_);		\
} while (0)

/*
 * The path of a file under the source tree ($top_srcdir, which the
 * harness sets, else "."), the rest of it made by fmt: in a buffer the
 * next call overwrites.
 */
static const char * __attribute__((__format__(__printf__, 1, 2), unused))
tap_srcpath(const char *fmt, ...)
{
	static char	 path[4096];
	const char	*top = getenv("top_srcdir");
	va_list		 ap;
	int		 n;

	n = snprintf(path, sizeof(path), "%s/", top != NULL ? top : ".");
	if (n < 0 || (size_t)n >= sizeof(path))
		return path;
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - n, fmt, ap);
	va_end(ap);
	return path;
}

static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* RECIRC_TAP_H */
