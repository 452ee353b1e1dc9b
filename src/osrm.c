/*
 * osrm.c -- the OSRM HTTP API's table service, the pure part: the
 * request's URL and the reply's meaning.  OSRM's interface is the one
 * osrm-routed, VROOM, OpenRouteService-compatible gateways and most fleet
 * tools speak:
 *
 *	GET BASE/table/v1/PROFILE/LON,LAT;LON,LAT;...
 *	    ?sources=0;1&destinations=2;3&annotations=distance,duration
 *
 * answered {"code":"Ok","durations":[[s,...],...],"distances":[[m,...]]},
 * a row per source, null where no route joins the two.  Anything else
 * ("code" other than "Ok", a missing or misshapen array, a negative or
 * non-finite number) is refused with a reason: a reply we do not
 * understand never becomes a distance.  roads.c does the I/O; the unit
 * test and fuzz-osrm call these.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

/*
 * The table request for sources src[0..ns) and destinations dst[0..nd)
 * among the points (lat, lon): the coordinates are the sources' then the
 * destinations' (caller frees).
 */
char *
osrm_table_url(const char *base, const char *profile, const double *lat,
    const double *lon, const size_t *src, size_t ns, const size_t *dst,
    size_t nd)
{
	char	*url = NULL;
	size_t	 i, len;

	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	xappendf(&url, "%.*s/table/v1/%s/", (int)len, base, profile);
	for (i = 0; i < ns + nd; i++) {
		size_t	k = i < ns ? src[i] : dst[i - ns];

		xappendf(&url, "%s%.6f,%.6f", i ? ";" : "", lon[k], lat[k]);
	}
	xappendf(&url, "?sources=");
	for (i = 0; i < ns; i++)
		xappendf(&url, "%s%zu", i ? ";" : "", i);
	xappendf(&url, "&destinations=");
	for (i = 0; i < nd; i++)
		xappendf(&url, "%s%zu", i ? ";" : "", ns + i);
	xappendf(&url, "&annotations=distance,duration");
	return url;
}

/* Row r of an ns x nd array member; NULL with *why. */
static json_t *
osrm_row(json_t *root, const char *key, size_t r, size_t ns, size_t nd,
    const char **why)
{
	json_t	*a = json_object_get(root, key), *row;

	if (!json_is_array(a) || json_array_size(a) != ns) {
		*why = "a table without the rows asked for";
		return NULL;
	}
	row = json_array_get(a, r);
	if (!json_is_array(row) || json_array_size(row) != nd) {
		*why = "a row without the columns asked for";
		return NULL;
	}
	return row;
}

/*
 * Read a table reply of ns sources x nd destinations into km and min
 * (row-major, NAN where OSRM says null); 0, or -1 with *why (static
 * text, or OSRM's own message copied to msg).
 */
int
osrm_table_parse(const char *body, size_t len, size_t ns, size_t nd,
    double *km, double *min, const char **why, char msg[128])
{
	json_error_t	 err;
	json_t		*root, *drow, *trow, *d, *t;
	const char	*code;
	size_t		 r, c;
	int		 rc = -1;

	msg[0] = '\0';
	if ((root = json_loadb(body, len, 0, &err)) == NULL) {
		*why = "a reply that is not JSON";
		return -1;
	}
	code = json_string_value(json_object_get(root, "code"));
	if (code == NULL || strcmp(code, "Ok") != 0) {
		snprintf(msg, 128, "%.40s: %.80s", code ? code : "no code",
		    json_string_value(json_object_get(root, "message")) ?
		    json_string_value(json_object_get(root, "message")) : "");
		utf8_sanitize(msg);
		*why = msg;
		goto out;
	}
	for (r = 0; r < ns; r++) {
		if ((drow = osrm_row(root, "distances", r, ns, nd, why)) ==
		    NULL || (trow = osrm_row(root, "durations", r, ns, nd,
		    why)) == NULL)
			goto out;
		for (c = 0; c < nd; c++) {
			d = json_array_get(drow, c);
			t = json_array_get(trow, c);
			if (json_is_null(d) || json_is_null(t)) {
				km[r * nd + c] = min[r * nd + c] = NAN;
				continue;
			}
			if (!json_is_number(d) || !json_is_number(t) ||
			    !(json_number_value(d) >= 0) ||
			    !(json_number_value(t) >= 0) ||
			    !isfinite(json_number_value(d)) ||
			    !isfinite(json_number_value(t))) {
				*why = "an entry that is not a distance and a "
				    "duration";
				goto out;
			}
			km[r * nd + c] = json_number_value(d) / 1000;
			min[r * nd + c] = json_number_value(t) / 60;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/*
 * The route service's request through the n places in order:
 * BASE/route/v1/PROFILE/LON,LAT;...?overview=full&geometries=polyline
 * (caller frees).
 */
char *
osrm_route_url(const char *base, const char *profile, const double *lat,
    const double *lon, size_t n)
{
	char	*url = NULL;
	size_t	 i, len;

	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	xappendf(&url, "%.*s/route/v1/%s/", (int)len, base, profile);
	for (i = 0; i < n; i++)
		xappendf(&url, "%s%.6f,%.6f", i ? ";" : "", lon[i], lat[i]);
	xappendf(&url, "?overview=full&geometries=polyline&steps=false");
	return url;
}

/* One signed value of an encoded polyline at *p; -1 when malformed. */
static int
osrm_polyline_value(const char **p, long *out)
{
	unsigned long	v = 0;
	int		shift = 0, c;

	do {
		c = (unsigned char)**p;
		if (c < 63 || c > 126 || shift > 30)
			return -1;
		(*p)++;
		v |= (unsigned long)((c - 63) & 0x1f) << shift;
		shift += 5;
	} while (c - 63 >= 0x20);
	*out = v & 1 ? ~(long)(v >> 1) : (long)(v >> 1);
	return 0;
}

/*
 * Decode Google's encoded polyline (precision 5, as OSRM writes it) into
 * *lat and *lon (caller frees), n points; -1 when it is malformed or a
 * point falls off the globe.
 */
int
osrm_polyline_decode(const char *s, double **lat, double **lon, size_t *n)
{
	long	 y = 0, x = 0, dy, dx;
	size_t	 cap = 0, old;

	*lat = *lon = NULL;
	*n = 0;
	while (*s != '\0') {
		if (osrm_polyline_value(&s, &dy) == -1 ||
		    osrm_polyline_value(&s, &dx) == -1)
			goto fail;
		y += dy;
		x += dx;
		if (y < -9000000 || y > 9000000 || x < -18000000 ||
		    x > 18000000)
			goto fail;
		old = cap;
		*lat = xgrowarray(*lat, &cap, *n, sizeof(double));
		if (cap != old)
			*lon = xreallocarray(*lon, cap, sizeof(double));
		(*lat)[*n] = y / 1e5;
		(*lon)[*n] = x / 1e5;
		(*n)++;
	}
	if (*n >= 2)
		return 0;
	/* A path is two points at least: one alone is not a route. */
fail:
	x_free(*lat);
	x_free(*lon);
	*lat = *lon = NULL;
	*n = 0;
	return -1;
}

/*
 * The geometry of a route reply: routes[0].geometry, an encoded polyline
 * that decodes (caller frees the copy); NULL with *why otherwise.
 */
char *
osrm_route_parse(const char *body, size_t len, const char **why)
{
	json_t		*root;
	const char	*code, *g;
	double		*lat, *lon;
	size_t		 n;
	char		*out = NULL;

	if ((root = json_loadb(body, len, 0, NULL)) == NULL) {
		*why = "a reply that is not JSON";
		return NULL;
	}
	code = json_string_value(json_object_get(root, "code"));
	g = json_string_value(json_object_get(json_array_get(
	    json_object_get(root, "routes"), 0), "geometry"));
	if (code == NULL || strcmp(code, "Ok") != 0)
		*why = "the router found no route";
	else if (g == NULL)
		*why = "a route without a geometry";
	else if (osrm_polyline_decode(g, &lat, &lon, &n) == -1)
		*why = "a geometry that is not an encoded polyline";
	else {
		x_free(lat);
		x_free(lon);
		out = xstrdup(g);
	}
	json_decref(root);
	return out;
}
