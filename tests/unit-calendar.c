/*
 * unit-calendar.c -- closed days (calendar.c): recircd.conf's closed_days
 * parsed and refused, which days it closes, where a plan's horizon starts
 * and how long it must be to hold its open days; and days_window (time.c),
 * the open days of a pickup's date window that the solver, the fallback
 * router and the location stage's fleet rows all go by.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

static long long
D(const char *s)
{
	return date_to_days(s);
}

/* days_window's answer as "a b" relative to day0, or "none". */
static const char *
win(long long day0, int ndays, const unsigned char *closed, long long from,
    long long to)
{
	static char	out[48];
	long long	a, b;

	if (!days_window(day0, ndays, closed, day0 + from, day0 + to, &a, &b))
		return "none";
	snprintf(out, sizeof(out), "%lld %lld", a - day0, b - day0);
	return out;
}

int
main(void)
{
	struct calendar	 cal;
	const char	*why = NULL;
	unsigned char	*h;
	/* five days: the 2nd and the 5th closed */
	unsigned char	 cl[5] = { 0, 1, 0, 0, 1 }, first[3] = { 1, 0, 0 };
	long long	 d0 = D("2026-12-21");

	is_int(cal_weekday(D("2026-12-07")), 0, "2026-12-07 is a Monday");
	is_int(cal_weekday(D("2026-12-06")), 6, "2026-12-06 is a Sunday");
	is_int(cal_weekday(D("1970-01-01")), 3, "1970-01-01 was a Thursday");

	is_int(cal_parse("sat sun 2026-12-25, 2026-12-26", &cal, &why), 0,
	    "weekdays and dates, blanks and commas");
	is_int((int)cal.week, 0x60, "... Saturday and Sunday every week");
	is_int((int)cal.ndates, 2, "... and two dates");
	is_int(cal_closed(&cal, D("2026-12-12")), 1, "a Saturday is closed");
	is_int(cal_closed(&cal, D("2026-12-13")), 1, "a Sunday is closed");
	is_int(cal_closed(&cal, D("2026-12-14")), 0, "a Monday is open");
	is_int(cal_closed(&cal, D("2026-12-25")), 1, "Christmas is closed");
	is_int(cal_closed(&cal, D("2025-12-25")), 0,
	    "a date closes that year's day only");
	is_int((int)(cal_next_open(&cal, D("2026-12-12")) - D("2026-12-12")),
	    2, "after a Saturday the next open day is Monday");
	is_int((int)(cal_next_open(&cal, D("2026-12-25")) - D("2026-12-25")),
	    3, "after Christmas Day (a Friday) it is Monday the 28th");
	is_int((int)(cal_next_open(&cal, D("2026-12-22")) - D("2026-12-22")),
	    0, "an open day is its own");
	/* a window without a collection day: the first one after it */
	is_int((int)(cal_window_late(&cal, D("2026-12-07"), D("2026-12-25"),
	    D("2026-12-27")) - D("2026-12-27")), 1,
	    "Christmas to Sunday: the earliest is Monday the 28th");
	is_int((int)cal_window_late(&cal, D("2026-12-07"), D("2026-12-24"),
	    D("2026-12-27")), -1, "from Thursday the 24th: that day, no warning");
	is_int((int)(cal_window_late(&cal, D("2026-12-08"), D("2026-12-08"),
	    D("2026-12-08")) - D("2026-12-08")), 1,
	    "today's window: plans start tomorrow");
	is_int((int)cal_window_late(&cal, D("2026-12-08"), D("2026-12-08"),
	    D("2026-12-09")), -1, "today and tomorrow: tomorrow");
	is_int((int)(cal_window_late(&cal, D("2026-12-11"), D("2026-12-10"),
	    D("2026-12-12")) - D("2026-12-12")), 2,
	    "Thursday to Saturday planned on Friday: Monday");
	is_str(cal_weekday_name(D("2026-12-28")), "Monday",
	    "the 28th is a Monday");
	is_str(cal_weekday_name(D("2026-12-27")), "Sunday",
	    "the 27th a Sunday");
	is_int(cal_span(&cal, d0, 5), 8,
	    "five open days from Monday the 21st take eight days");
	is_int(cal_span(&cal, d0, 1), 1, "one open day from an open day: 1");
	h = cal_horizon(&cal, d0, 8);
	ok(h != NULL && memcmp(h, "\0\0\0\0\1\1\1\0", 8) == 0,
	    "the horizon's closed days: the 25th, 26th and 27th");
	free(h);
	ok(cal_horizon(&cal, D("2026-12-14"), 5) == NULL,
	    "a horizon without closed days: NULL");
	cal_clear(&cal);

	is_int(cal_parse("Saturday,SUNDAY", &cal, &why), 0,
	    "weekdays in full, any case");
	is_int((int)cal.week, 0x60, "... the same two days");
	cal_clear(&cal);
	is_int(cal_parse(NULL, &cal, &why), 0, "unset: nothing closed");
	is_int(cal_closed(&cal, D("2026-12-13")), 0, "... a Sunday is open");
	is_int(cal_span(&cal, d0, 3), 3, "... three days hold three");
	is_int(cal_parse("  ", &cal, &why), 0, "blank: nothing closed");
	cal_clear(&cal);
	why = NULL;
	is_int(cal_parse("sat funday", &cal, &why), -1, "a word not a day");
	ok(why != NULL && strstr(why, "YYYY-MM-DD") != NULL,
	    "... says what is expected");
	ok(cal.dates == NULL && cal.week == 0, "... and leaves nothing");
	is_int(cal_parse("2026-02-30", &cal, &why), -1, "a date that is none");
	is_int(cal_parse("2026-12-25T00:00", &cal, &why), -1,
	    "a time is not a date");
	is_int(cal_parse("averyveryverylongword", &cal, &why), -1,
	    "a long word");
	why = NULL;
	is_int(cal_parse("mon tue wed thu fri sat sun", &cal, &why), -1,
	    "every weekday closed is refused");
	ok(why != NULL && strstr(why, "every weekday") != NULL,
	    "... saying why");

	{
		char		*t = cal_days_text(cl, D("2027-01-04"), 5);
		unsigned char	*back;

		is_str(t, "2027-01-05,2027-01-08",
		    "a plan keeps its closed days as a list of dates");
		back = cal_days_parse(t, D("2027-01-04"), 5);
		ok(back != NULL && memcmp(back, cl, 5) == 0,
		    "... and reads them back");
		free(back);
		back = cal_days_parse("2027-01-02,junk,2027-01-06,2027-01-09",
		    D("2027-01-04"), 5);
		ok(back != NULL && memcmp(back, "\0\0\1\0\0", 5) == 0,
		    "... ignoring what is not a date of its horizon");
		free(back);
		free(t);
		ok(cal_days_text(NULL, D("2027-01-04"), 5) == NULL &&
		    cal_days_parse(NULL, D("2027-01-04"), 5) == NULL &&
		    cal_days_parse("", D("2027-01-04"), 5) == NULL,
		    "no closed days: NULL both ways");
	}
	is_int(days_closed(100, 5, cl, 101), 1, "days_closed: a closed day");
	is_int(days_closed(100, 5, cl, 102), 0, "... an open one");
	is_int(days_closed(100, 5, cl, 105) + days_closed(100, 5, cl, 99), 0,
	    "... a day outside the horizon is not");
	is_int(days_closed(100, 5, NULL, 101), 0, "... none without a list");
	is_int(days_open(cl, 0, 4), 3, "days_open: three of five");
	is_int(days_open(cl, 1, 1), 0, "... none on a closed day alone");
	is_int(days_open(NULL, 0, 4), 5, "... all without a list");
	{
		json_t	*j = cal_days_json(cl, D("2027-01-04"), 5);
		char	*t = json_dumps(j, JSON_COMPACT);

		is_str(t, "[\"2027-01-05\",\"2027-01-08\"]",
		    "cal_days_json: the closed days as dates");
		free(t);
		json_decref(j);
		j = cal_days_json(NULL, D("2027-01-04"), 5);
		is_int((int)json_array_size(j), 0, "... none: an empty array");
		json_decref(j);
	}
	is_str(win(100, 5, cl, 1, 1), "2 2",
	    "a window of one closed day is due the next open day");
	is_str(win(100, 5, cl, -5, -2), "0 0",
	    "an overdue window: the first day");
	is_str(win(100, 3, first, -5, -2), "1 1",
	    "... the first open day when the first is closed");
	is_str(win(100, 5, cl, 0, 4), "0 3",
	    "a window over the horizon: first to last open day");
	is_str(win(100, 5, cl, 1, 3), "2 3", "a window from a closed day");
	is_str(win(100, 5, cl, 3, 10), "3 10",
	    "a window ending after the horizon keeps its end");
	is_str(win(100, 5, cl, 4, 4), "none",
	    "a window on the closed last day has no day in this horizon");
	is_str(win(100, 5, cl, 6, 8), "none", "a window after the horizon");
	is_str(win(100, 5, NULL, 1, 2), "1 2", "no closed days: the window");
	is_str(win(100, 5, NULL, -3, -1), "0 0",
	    "no closed days, overdue: the first day");
	return tap_done();
}
