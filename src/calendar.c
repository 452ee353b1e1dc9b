/*
 * calendar.c -- the days the crews do not work (recircd.conf: closed_days).
 *
 * A calendar is a set of weekdays closed every week (say Saturday and
 * Sunday) and a list of dates closed once (bank holidays, Christmas).  The
 * planner starts a plan's horizon on the first open day and makes it long
 * enough to hold plan_days open days; the solver routes nothing on a
 * closed day in it (horizon.closed of the problem, solve-route.c).
 * Pure: no I/O, no globals.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

static const char *const cal_wday[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};
static const char *const cal_wday_long[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

/*
 * The calendar as the API shows it: {"weekdays": [names closed every
 * week], "dates": [the next closed dates from today on, at most max]}.
 */
json_t *
cal_json(const struct calendar *cal, long long today, size_t max)
{
	json_t	*week = json_array(), *dates = json_array();
	char	 d[11];
	size_t	 k;
	int	 i;

	for (i = 0; i < 7; i++)
		if (cal->week & (1u << i))
			json_array_append_new(week, json_string(cal_wday[i]));
	for (k = 0; k < cal->ndates && json_array_size(dates) < max; k++)
		if (cal->dates[k] >= today) {
			days_to_date(cal->dates[k], d);
			json_array_append_new(dates, json_string(d));
		}
	return json_pack("{s:o,s:o}", "weekdays", week, "dates", dates);
}

/* The weekday of a day since 1970-01-01 (a Thursday): 0 Monday .. 6. */
int
cal_weekday(long long day)
{
	long long	w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* "Monday" .. "Sunday", the weekday of day. */
const char *
cal_weekday_name(long long day)
{
	static const char *const name[7] = {
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday"
	};

	return name[cal_weekday(day)];
}

static int
cal_date_cmp(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Parse "sat sun 2026-12-25 ..." (blanks or commas between; weekdays by
 * their first three letters or in full, any case) into cal.  NULL or ""
 * is a calendar without closed days.  -1 with *why (static) when a word
 * is neither, or when every weekday would be closed.
 */
int
cal_parse(const char *s, struct calendar *cal, const char **why)
{
	char		 w[16];
	size_t		 len, k;
	long long	 d;
	int		 i;

	memset(cal, 0, sizeof(*cal));
	while (s != NULL && *s != '\0') {
		s += strspn(s, " \t,");
		if ((len = strcspn(s, " \t,")) == 0)
			break;
		if (len >= sizeof(w)) {
			*why = "expected weekdays (mon .. sun) and dates "
			    "YYYY-MM-DD";
			cal_clear(cal);
			return -1;
		}
		for (k = 0; k < len; k++)
			w[k] = (char)tolower((unsigned char)s[k]);
		w[len] = '\0';
		s += len;
		for (i = 0; i < 7; i++)
			if (strcmp(w, cal_wday[i]) == 0 ||
			    strcmp(w, cal_wday_long[i]) == 0)
				break;
		if (i < 7) {
			cal->week |= 1u << i;
			continue;
		}
		if ((d = date_to_days(w)) < 0) {
			*why = "expected weekdays (mon .. sun) and dates "
			    "YYYY-MM-DD";
			cal_clear(cal);
			return -1;
		}
		cal->dates = xreallocarray(cal->dates, cal->ndates + 1,
		    sizeof(*cal->dates));
		cal->dates[cal->ndates++] = d;
	}
	if (cal->week == 0x7f) {
		*why = "every weekday is closed";
		cal_clear(cal);
		return -1;
	}
	if (cal->ndates > 1)
		qsort(cal->dates, cal->ndates, sizeof(*cal->dates),
		    cal_date_cmp);
	return 0;
}

void
cal_clear(struct calendar *cal)
{
	x_free(cal->dates);
	memset(cal, 0, sizeof(*cal));
}

/* 1 when nothing is collected on day (days since 1970-01-01). */
int
cal_closed(const struct calendar *cal, long long day)
{
	if (cal->week & (1u << cal_weekday(day)))
		return 1;
	return cal->ndates > 0 && bsearch(&day, cal->dates, cal->ndates,
	    sizeof(*cal->dates), cal_date_cmp) != NULL;
}

/* The first open day from day on. */
long long
cal_next_open(const struct calendar *cal, long long day)
{
	/* At most a week of closed weekdays and every closed date. */
	while (cal_closed(cal, day))
		day++;
	return day;
}

/*
 * The earliest day a pickup with the window from..to can be collected on,
 * when no day of the window can: plans start on the first open day after
 * today, so neither a closed day nor today (nor a day before) counts.
 * -1 when some day of the window can.
 */
long long
cal_window_late(const struct calendar *cal, long long today, long long from,
    long long to)
{
	long long	d = cal_next_open(cal, from > today ? from : today + 1);

	return d > to ? d : -1;
}

/*
 * The calendar days from day (open, see cal_next_open) that hold open
 * open days: the horizon of a plan of that many days.
 */
int
cal_span(const struct calendar *cal, long long day, int open)
{
	long long	d = day;

	while (open > 0) {
		if (!cal_closed(cal, d))
			open--;
		d++;
	}
	return (int)(d - day);
}

/*
 * The closed days[] of the horizon from day0, ndays long, as a plan keeps
 * them: "2027-01-05,2027-01-06", or NULL when closed is NULL or none is.
 */
char *
cal_days_text(const unsigned char *closed, long long day0, int ndays)
{
	char	*s = NULL, d[11];
	int	 i;

	for (i = 0; closed != NULL && i < ndays; i++)
		if (closed[i]) {
			days_to_date(day0 + i, d);
			if (s == NULL)
				s = xstrdup(d);
			else
				xappendf(&s, ",%s", d);
		}
	return s;
}

/* The closed days[] of the horizon from day0 as a JSON array of dates. */
json_t *
cal_days_json(const unsigned char *closed, long long day0, int ndays)
{
	json_t	*a = json_array();
	char	 d[11];
	int	 i;

	for (i = 0; closed != NULL && i < ndays; i++)
		if (closed[i]) {
			days_to_date(day0 + i, d);
			json_array_append_new(a, json_string(d));
		}
	return a;
}

/*
 * cal_days_text's list back as flags over the horizon from day0 (dates
 * outside it, or not dates, ignored); NULL when none is closed.
 */
unsigned char *
cal_days_parse(const char *s, long long day0, int ndays)
{
	unsigned char	*closed = NULL;
	char		 d[11];
	size_t		 len;
	long long	 day;

	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		if (len == 10) {
			memcpy(d, s, 10);
			d[10] = '\0';
			if ((day = date_to_days(d)) >= day0 && day < day0 +
			    ndays) {
				if (closed == NULL)
					closed = xcalloc(ndays, 1);
				closed[day - day0] = 1;
			}
		}
		s += len + (s[len] == ',');
	}
	return closed;
}

/*
 * The closed days of the horizon from day0, ndays long: a new array of
 * ndays flags, or NULL when every day is open.
 */
unsigned char *
cal_horizon(const struct calendar *cal, long long day0, int ndays)
{
	unsigned char	*closed = NULL;
	int		 d;

	for (d = 0; d < ndays; d++)
		if (cal_closed(cal, day0 + d)) {
			if (closed == NULL)
				closed = xcalloc(ndays, 1);
			closed[d] = 1;
		}
	return closed;
}
