/*
 * time.c -- dates and clock times as the API, the store and the planner
 * write them.
 *
 * No clock read; every program (daemon, solver, CLI) and the unit tests
 * call it.  Days count from 1970-01-01, instants are unix seconds, times
 * of day are minutes after midnight.  Dates and times of day are the
 * city's wall clock: a pickup's window, a resident's hours, a shift, an
 * ETA, plan_at.  The time_local_* functions tie that wall clock to
 * instants in the process's time zone, which time_zone_set chooses once
 * at start-up (recircd.conf: timezone; TZ underneath, so glibc's tz
 * database does the summer-time arithmetic); the rest is UTC.
 * The prototypes are in recirc.h (there is no time.h: with -Isrc it would
 * hide the system's <time.h>).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recirc.h"

/* Days since 1970-01-01 of a strict "YYYY-MM-DD", or -1e9 when invalid. */
long long
date_to_days(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int		y, m, d, i, leap;
	long long	yy, era, yoe, doy, doe;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1000000000LL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1000000000LL;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1000000000LL;
	/* Days from civil (proleptic Gregorian). */
	yy = m <= 2 ? y - 1 : y;
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
days_to_date(long long days, char out[11])
{
	time_t		t = (time_t)(days * 86400);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/*
 * 1 when day d is a closed day of the horizon of ndays days from day0
 * (closed[d - day0] set; closed NULL: none is), 0 for an open one or a
 * day outside it.
 */
int
days_closed(long long day0, int ndays, const unsigned char *closed,
    long long d)
{
	return closed != NULL && d >= day0 && d < day0 + ndays &&
	    closed[d - day0];
}

/* How many of the horizon's days a .. b (0: its first) are open. */
int
days_open(const unsigned char *closed, int a, int b)
{
	int	d, n = 0;

	for (d = a; d <= b; d++)
		n += closed == NULL || !closed[d];
	return n;
}

/*
 * The days a pickup with date window from .. to may be collected on, in
 * the horizon of ndays days from day0 whose days d with closed[d - day0]
 * set (closed NULL: none) are closed: from its first open day *a to its
 * last *b (to itself when the window ends after the horizon).  A window
 * with no open day in the horizon before it ends (it ended before the
 * horizon, or its days are closed) is due on the first open day after
 * it: *a == *b.  Closed days between *a and *b stay closed.  0 when the
 * horizon has no open day left for it.
 */
int
days_window(long long day0, int ndays, const unsigned char *closed,
    long long from, long long to, long long *a, long long *b)
{
	long long	end = day0 + ndays - 1, d;

	for (d = from > day0 ? from : day0; d <= end && closed != NULL &&
	    closed[d - day0]; d++)
		;
	if (d > end)
		return 0;
	*a = d;
	if (to > end) {
		*b = to;
		return 1;
	}
	for (d = to; d > *a && closed != NULL && closed[d - day0]; d--)
		;
	*b = d > *a ? d : *a;
	return 1;
}

/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
void
time_format(int64_t t, char out[21])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" to unix seconds; -1 if invalid. */
int
time_parse(const char *s, int64_t *out)
{
	char		date[11];
	long long	days;
	int		h, mi, se;

	if (strlen(s) < 10)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if ((days = date_to_days(date)) < 0)
		return -1;
	*out = days * 86400;
	if (s[10] == '\0')
		return 0;
	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' ||
	    sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &se) != 3 ||
	    s[13] != ':' || s[16] != ':' ||
	    h > 23 || mi > 59 || se > 60 || h < 0 || mi < 0 || se < 0)
		return -1;
	*out += h * 3600 + mi * 60 + se;
	return 0;
}

/* "HH:MM" to minutes after midnight; -1 if malformed. */
int
hhmm_parse(const char *s)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
	    s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return h > 23 ? -1 : h * 60 + m;
}

/*
 * "HH:MM", or "24:00" for the end of a day (a window's or a shift's end),
 * to minutes after midnight; -1 if malformed.  The one reader of times of
 * day for windows: pickups, the plan builder and the solver call it.
 */
int
hhmm_parse_until(const char *s)
{
	return s != NULL && strcmp(s, "24:00") == 0 ? 24 * 60 :
	    s != NULL ? hhmm_parse(s) : -1;
}

/* Minutes (clamped to a day, 24:00 for the end of it) to "HH:MM". */
void
hhmm_format(int min, char out[6])
{
	if (min < 0)
		min = 0;
	if (min > 24 * 60)
		min = 24 * 60;
	snprintf(out, 6, "%02d:%02d", min / 60, min % 60);
}

/* The clock of time_mono(): monotonic unless time_use_cpu() was called. */
static clockid_t	time_clock = CLOCK_MONOTONIC;

/*
 * From now on time_mono() counts the CPU seconds of the whole process
 * (all its threads), as HGS-CVRP counts its time limit: recirc-solve -C,
 * so that a budget buys the same work on a busy machine as on a quiet
 * one.  Only for a program's start, before any deadline is taken; the
 * daemon never calls it.
 */
void
time_use_cpu(void)
{
	time_clock = CLOCK_PROCESS_CPUTIME_ID;
}

/*
 * Seconds on the monotonic clock: the one clock of the solver's and the
 * engine's deadlines (never the wall clock, which may jump); with
 * time_use_cpu(), the process's CPU seconds instead.
 */
double
time_mono(void)
{
	struct timespec	ts;

	clock_gettime(time_clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * 0 when tz (an IANA name such as Europe/London; NULL or "": the
 * machine's) is a zone of the tz database, else -1 with *cause (glibc
 * would silently take an unknown name as UTC).
 */
int
time_zone_check(const char *tz, char **cause)
{
	const char	*dir = getenv("TZDIR");
	char		 path[512];
	FILE		*f;

	if (tz == NULL || tz[0] == '\0' || strcmp(tz, "UTC") == 0)
		return 0;
	if (tz[0] == '/' || strstr(tz, "..") != NULL || strspn(tz,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	    "/_+-") != strlen(tz)) {
		xasprintf(cause, "timezone %s: not an IANA zone name such as "
		    "Europe/London", tz);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo",
	    tz);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "timezone %s: no such zone in the tz database "
		    "(%s: %s)", tz, path, strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

/*
 * Make tz (checked) the zone of every time_local_* call.  Before any
 * thread starts: TZ is the environment's.
 */
void
time_zone_set(const char *tz)
{
	if (tz != NULL && tz[0] != '\0')
		setenv("TZ", strcmp(tz, "UTC") == 0 ? "UTC0" : tz, 1);
	tzset();
}

/* The local date of instant t, as days since 1970-01-01. */
long long
time_local_day(int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	localtime_r(&tt, &tm);
	return (t + tm.tm_gmtoff) / 86400 - ((t + tm.tm_gmtoff) % 86400 < 0);
}

/*
 * The instant the local clock shows minute (after midnight, up to 1440)
 * on day.  A time summer time skips (01:30 on the spring day in London)
 * is the instant after the gap, as mktime normalises it; a time that
 * occurs twice (the autumn day) is the first.
 */
int64_t
time_local_instant(long long day, int minute)
{
	time_t		t = (time_t)(day * 86400);
	struct tm	tm;

	gmtime_r(&t, &tm);
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Instant t as local RFC 3339: "2027-03-28T08:30:00+01:00". */
void
time_format_local(int64_t t, char out[26])
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	int		off;

	localtime_r(&tt, &tm);
	off = (int)(tm.tm_gmtoff / 60);		/* minutes: |off| < 24 h */
	if (off < -1439 || off > 1439)
		off = 0;
	strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, 7, "%c%02d:%02d", off < 0 ? '-' : '+',
	    abs(off) / 60 % 24, abs(off) % 60);
}

/* day at "HH:MM" (local) as RFC 3339 with its offset; "" if hhmm is bad. */
void
time_format_wall(long long day, const char *hhmm, char out[26])
{
	int	m = hhmm_parse(hhmm);

	if (m < 0) {
		out[0] = '\0';
		return;
	}
	time_format_local(time_local_instant(day, m), out);
}
