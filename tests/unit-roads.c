/*
 * unit-roads.c -- the matrix module's table of road legs (matrix.c):
 * places found by their coordinates, legs from the table where it knows
 * them and straight lines where it does not; and OSRM's table service
 * (osrm.c): the request's URL, a reply read into km and minutes, every
 * kind of reply refused with a reason; and the one arrival rule at a stop
 * with hour windows (matrix_arrive).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

static void
test_table(void)
{
	double			 lat[] = { 51.45, 51.46, 51.45, 51.47 };
	double			 lon[] = { -2.59, -2.58, -2.59, -2.60 };
	struct matrix_table	*t = matrix_table_new(4, lat, lon);
	struct matrix_model	 m;
	double			 km, min, sl;

	is_int((int)matrix_table_find(t, 51.45, -2.59), 0, "a place is found");
	is_int((int)matrix_table_find(t, 51.4500004, -2.5899996), 0,
	    "... within a millionth of a degree");
	is_int((int)matrix_table_find(t, 51.4501, -2.59), -1,
	    "a place not in the table is not");
	is_int((int)matrix_table_find(t, 51.47, -2.60), 3,
	    "two points at one place: the first of them, then on");
	ok(matrix_table_get(t, 1, 1, &km, &min) && km == 0 && min == 0,
	    "a place's leg to itself is nothing");
	ok(!matrix_table_get(t, 0, 1, &km, &min), "an unset leg is unknown");
	matrix_table_set(t, 0, 1, 2.5, 7.25);
	ok(matrix_table_get(t, 0, 1, &km, &min) && km == 2.5 && min == 7.25,
	    "a set leg reads back");
	ok(!matrix_table_get(t, 1, 0, &km, &min), "... one way only");
	matrix_model_default(&m);
	sl = matrix_km(&m, 51.45, -2.59, 51.46, -2.58);
	m.table = t;
	matrix_leg(&m, 51.45, -2.59, 51.46, -2.58, &km, &min);
	ok(km == 2.5 && min == 7.25, "matrix_leg takes the table's leg");
	matrix_leg(&m, 51.46, -2.58, 51.45, -2.59, &km, &min);
	ok(fabs(km - sl) < 1e-9 && fabs(min - sl / 25 * 60) < 1e-9,
	    "... and a straight line where the table has none");
	matrix_table_set(t, 2, 3, NAN, NAN);
	matrix_leg(&m, 51.45, -2.59, 51.47, -2.60, &km, &min);
	ok(km > 0, "no road in the table: a straight line, not nothing");
	ok(matrix_place_key(51.45, -2.59) == matrix_place_key(51.450004,
	    -2.589996), "cache keys: the same place within a metre");
	ok(matrix_place_key(51.45, -2.59) != matrix_place_key(51.45, -2.5901),
	    "... another 7 m away is another");
	matrix_table_free(t);
}

static void
test_osrm(void)
{
	double		 lat[] = { 51.45, 51.46, 51.47 };
	double		 lon[] = { -2.59, -2.58, -2.57 };
	size_t		 src[] = { 2 }, dst[] = { 0, 1 };
	double		 km[2], min[2];
	const char	*why;
	char		*url, msg[128];

	url = osrm_table_url("http://r:5000/", "driving", lat, lon, src, 1,
	    dst, 2);
	is_str(url, "http://r:5000/table/v1/driving/-2.570000,51.470000;"
	    "-2.590000,51.450000;-2.580000,51.460000?sources=0&"
	    "destinations=1;2&annotations=distance,duration",
	    "the table URL: lon,lat; sources, then destinations");
	x_free(url);
#define P(s) osrm_table_parse(s, strlen(s), 1, 2, km, min, &why, msg)
	is_int(P("{\"code\":\"Ok\",\"durations\":[[600,null]],\"distances\":"
	    "[[4500.5,null]]}"), 0, "a reply");
	ok(km[0] == 4.5005 && min[0] == 10, "... metres to km, s to min");
	ok(isnan(km[1]) && isnan(min[1]), "... null: no road");
	is_int(P("{\"code\":\"TooBig\",\"message\":\"Too many table "
	    "coordinates\"}"), -1, "an error code is refused");
	is_str(why, "TooBig: Too many table coordinates", "... quoting it");
	is_int(P("<html>"), -1, "not JSON is refused");
	is_int(P("{\"code\":\"Ok\",\"durations\":[[1,2]]}"), -1,
	    "no distances: refused");
	is_int(P("{\"code\":\"Ok\",\"durations\":[[1]],\"distances\":[[1]]}"),
	    -1, "a short row: refused");
	is_int(P("{\"code\":\"Ok\",\"durations\":[[1,-2]],\"distances\":"
	    "[[1,2]]}"), -1, "a negative duration: refused");
	is_int(P("{\"code\":\"Ok\",\"durations\":[[1,\"2\"]],\"distances\":"
	    "[[1,2]]}"), -1, "a string: refused");
#undef P
}

static void
test_polyline(void)
{
	double		*lat, *lon;
	size_t		 n;
	const char	*why;
	char		*g;

	/* Google's own example. */
	is_int(osrm_polyline_decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", &lat, &lon,
	    &n), 0, "an encoded polyline");
	ok(n == 3 && lat[0] == 38.5 && lon[0] == -120.2 && lat[1] == 40.7 &&
	    lon[1] == -120.95 && lat[2] == 43.252 && lon[2] == -126.453,
	    "... decodes to Google's three points");
	x_free(lat);
	x_free(lon);
	is_int(osrm_polyline_decode("_p~iF~ps|U_ulL", &lat, &lon, &n), -1,
	    "a cut polyline is refused");
	is_int(osrm_polyline_decode("_p~iF ps|U", &lat, &lon, &n), -1,
	    "a space in it is refused");
	ok(lat == NULL && lon == NULL && n == 0, "... leaving nothing");
#define R "{\"code\":\"Ok\",\"routes\":[{\"geometry\":\"_p~iF~ps|U_ulLnnqC\"}]}"
	g = osrm_route_parse(R, strlen(R), &why);
#undef R
	is_str(g, "_p~iF~ps|U_ulLnnqC", "a route's geometry");
	x_free(g);
	ok(osrm_route_parse("{\"code\":\"NoRoute\"}", 18, &why) == NULL &&
	    why != NULL,
	    "no route: none");
}

static void
test_arrive(void)
{
	int	open[] = { 480, 780 }, close[] = { 600, 900 }, late;

	is_dbl(matrix_arrive(450, 2, open, close, 0, &late), 480, 1e-9,
	    "early: service starts when the first window opens");
	is_int(late, 0, "... not late");
	is_dbl(matrix_arrive(650, 2, open, close, 0, &late), 780, 1e-9,
	    "between windows: the second one's opening");
	is_dbl(matrix_arrive(600, 2, open, close, -1, &late), 780, 1e-9,
	    "at a close with a minute in hand: the next window");
	is_dbl(matrix_arrive(950, 2, open, close, 0, &late), 950, 1e-9,
	    "after every window: at once...");
	is_int(late, 1, "... and late");
	is_dbl(matrix_arrive(950, 0, open, close, 0, &late), 950, 1e-9,
	    "no windows: at once");
	is_int(late, 0, "... never late");
}

/*
 * The van's clock: a table of two stops 10 and 20 minutes out; the
 * first opens at 9:00, so leaving at 8:00 waits 50 minutes there, which
 * leaving later saves (matrix_clock_later) up to the first close.
 */
static void
test_clock(void)
{
	struct matrix_model	 mm;
	struct matrix_clock	 c;
	double			 lat[] = { 51.0, 51.1, 51.2 },
				 lon[] = { -2.0, -2.1, -2.2 };
	int			 open[] = { 540 }, close[] = { 560 };
	int			 open2[] = { 0 }, close2[] = { 600 };

	matrix_model_default(&mm);
	mm.table = matrix_table_new(3, lat, lon);
	matrix_table_set((struct matrix_table *)mm.table, 0, 1, 4, 10);
	matrix_table_set((struct matrix_table *)mm.table, 1, 2, 5, 20);
	matrix_table_set((struct matrix_table *)mm.table, 2, 0, 9, 30);
	matrix_clock_start(&c, lat[0], lon[0], 480);
	is_dbl(matrix_clock_visit(&mm, &c, lat[1], lon[1], 1, open, close, 15,
	    1e-6), 540, 1e-9, "clock: early at the first stop, served at 9:00");
	is_dbl(c.wait, 50, 1e-9, "... after 50 minutes' wait");
	is_dbl(c.delay, 70, 1e-9, "... it could have left 70 minutes later");
	is_dbl(matrix_clock_visit(&mm, &c, lat[2], lon[2], 1, open2, close2,
	    5, 1e-6), 575, 1e-9, "clock: 15 of service and 20 of road later");
	is_dbl(c.delay, 70, 1e-9, "... the second window allows as much");
	matrix_clock_home(&mm, &c, lat[0], lon[0]);
	is_dbl(c.km, 18, 1e-9, "clock: the table's kilometres");
	is_dbl(c.t, 610, 1e-9, "clock: home after 30 minutes' drive");
	is_dbl(matrix_clock_later(&c), 50, 1e-9,
	    "clock: leaving 50 minutes later saves the wait");
	is_int(c.late, 0, "clock: on time everywhere");
	matrix_clock_start(&c, lat[0], lon[0], 560);
	matrix_clock_visit(&mm, &c, lat[1], lon[1], 1, open, close, 15, -1);
	is_int(c.late, 1, "clock: a minute in hand makes 9:20 late for 9:20");
	is_dbl(matrix_clock_later(&c), 0, 1e-9, "... and no later start");
	matrix_table_free((struct matrix_table *)mm.table);
}

int
main(void)
{
	test_table();
	test_osrm();
	test_polyline();
	test_arrive();
	test_clock();
	return tap_done();
}
