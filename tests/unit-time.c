/*
 * unit-time.c -- time.c's local time: the city's date of an instant, the
 * instant of a wall-clock time, RFC 3339 with the day's offset, across
 * the days summer time starts and ends (Europe/London, Europe/Berlin),
 * and the zone names it refuses; and time_mono()'s two clocks (recirc-solve
 * -C counts CPU seconds: a sleep does not use up its budget).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recirc.h"
#include "tap.h"

/* Sleep ms milliseconds; returns how far time_mono() moved meanwhile. */
static double
slept(int ms)
{
	struct timespec	ts = { 0, ms * 1000000L };
	double		t0 = time_mono();

	while (nanosleep(&ts, &ts) == -1)
		;
	return time_mono() - t0;
}

static const char *
wall(const char *day, const char *hhmm)
{
	static char	out[26];

	time_format_wall(date_to_days(day), hhmm, out);
	return out;
}

int
main(void)
{
	char	*cause = NULL;
	int64_t	 t;

	if (time_zone_check("Europe/London", &cause) == -1) {
		printf("1..0 # SKIP no tz database: %s\n", cause);
		return 0;
	}
	is_int(time_zone_check("Europe/Lundon", &cause), -1,
	    "an unknown zone is refused");
	free(cause);
	cause = NULL;
	is_int(time_zone_check("../../etc/passwd", &cause), -1,
	    "a path is refused");
	free(cause);
	cause = NULL;
	is_int(time_zone_check(NULL, &cause), 0, "unset: the machine's");
	time_zone_set("Europe/London");
	is_str(wall("2027-03-27", "08:30"), "2027-03-27T08:30:00+00:00",
	    "London, the Saturday before: GMT");
	is_str(wall("2027-03-28", "08:30"), "2027-03-28T08:30:00+01:00",
	    "the last Sunday of March: BST from 01:00 UTC");
	is_str(wall("2027-10-31", "08:30"), "2027-10-31T08:30:00+00:00",
	    "the last Sunday of October: GMT again");
	is_str(wall("2027-03-28", "01:30"), "2027-03-28T02:30:00+01:00",
	    "01:30, which the change skips, is just after it");
	t = time_local_instant(date_to_days("2027-03-28"), 120);
	is_int((int)(t % 86400), 3600, "02:00 BST is 01:00 UTC");
	is_int((int)(time_local_day(date_to_days("2027-07-01") * 86400 +
	    23 * 3600 + 30 * 60) - date_to_days("2027-07-01")), 1,
	    "23:30 UTC on 1 July is already the 2nd in London");
	time_zone_set("Europe/Berlin");
	is_str(wall("2027-03-28", "08:30"), "2027-03-28T08:30:00+02:00",
	    "Berlin: CEST");
	is_str(wall("2027-12-24", "14:00"), "2027-12-24T14:00:00+01:00",
	    "... and CET");
	is_str(wall("2027-12-24", "25:00"), "", "a bad time: nothing");
	time_zone_set("UTC");
	is_str(wall("2027-03-28", "08:30"), "2027-03-28T08:30:00+00:00",
	    "UTC");

	/* A sleep takes its time on the monotonic clock, none of the CPU's. */
	ok(slept(200) >= 0.199, "time_mono: a 200 ms sleep is 200 ms");
	time_use_cpu();
	ok(slept(200) < 0.1, "time_mono after time_use_cpu: a 200 ms sleep "
	    "uses no CPU second");
	return tap_done();
}
