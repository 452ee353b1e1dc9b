/*
 * log.c -- logging to stderr (foreground) or syslog (daemon).
 *
 * log_init() picks the destination once at start-up; the rest of the code
 * calls log_warn/log_info/log_debug and never cares where lines go.
 * fatal() is for start-up errors and broken invariants only.  A line on
 * stderr goes out in one write(2), whole, however processes share it.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "recirc.h"

static int	log_to_stderr = 1;
static int	log_verbosity;
static const char *log_procname = "recircd";

/* Choose the destination: stderr when foreground, else syslog as ident. */
void
log_init(int foreground, int verbose, const char *ident)
{
	log_to_stderr = foreground;
	log_verbosity = verbose;
	if (ident != NULL)
		log_procname = ident;
	if (!foreground)
		openlog(log_procname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setverbose(int verbose)
{
	log_verbosity = verbose;
}

int
log_getverbose(void)
{
	return log_verbosity;
}

/*
 * Write the len bytes of line to stderr in one write(2) (retried only for
 * what a signal or a full pipe left over), so lines from processes that
 * share the stream never interleave: stdio would write an unbuffered
 * stderr in pieces.
 */
void
log_write_line(const char *line, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(STDERR_FILENO, line, len)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		line += n;
		len -= (size_t)n;
	}
}

static void
log_vwrite(int pri, const char *fmt, va_list ap)
{
	char	 line[2048], out[2200];
	int	 n;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_to_stderr) {
		struct timespec	ts;
		struct tm	tm;
		char		stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		n = snprintf(out, sizeof(out), "%s.%03ld %s: %s\n", stamp,
		    ts.tv_nsec / 1000000, log_procname, line);
		if (n < 0)
			return;
		if ((size_t)n >= sizeof(out)) {
			n = sizeof(out) - 1;
			out[n - 1] = '\n';
		}
		fflush(stderr);
		log_write_line(out, (size_t)n);
	} else
		syslog(pri, "%s", line);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* Like log_warnx, with ": strerror(errno)" appended. */
void
log_warn(const char *fmt, ...)
{
	char	buf[1024];
	int	saved = errno;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", buf, strerror(saved));
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbosity < 1)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	char	buf[1024];
	int	saved = errno;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fatalx("%s: %s", buf, strerror(saved));
}
