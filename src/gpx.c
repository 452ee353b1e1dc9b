/*
 * gpx.c -- GPX 1.1 (https://www.topografix.com/GPX/1/1/), the exchange
 * format of satellite navigators and phone apps, written for a plan's
 * routes so that a crew can load its day into one.
 *
 * A document is waypoints (the centres), then routes (a vehicle's day: the
 * centre, the stops in order, the centre; a navigator follows them), then
 * tracks (the road path, when the plan has one); the schema wants them in
 * that order, and each element's children in its own order (time, name,
 * desc, type).  Text is escaped for XML, and characters XML 1.0 does not
 * allow (control characters other than tab and newline) are left out.
 * Pure: no I/O, no globals.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "recircd.h"

static void
gpx_raw(struct gpx *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		while (g->len + n + 1 > g->cap)
			g->cap = g->cap ? g->cap * 2 : 4096;
		g->buf = xreallocarray(g->buf, g->cap, 1);
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
	g->buf[g->len] = '\0';
}

static void PRINTFLIKE(2, 3)
gpx_printf(struct gpx *g, const char *fmt, ...)
{
	char	 small[256], *big = NULL;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		gpx_raw(g, small, (size_t)n);
		return;
	}
	big = xcalloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	gpx_raw(g, big, (size_t)n);
	x_free(big);
}

/* <tag>s</tag>, s escaped, or nothing when s is NULL or "". */
static void
gpx_elem(struct gpx *g, const char *tag, const char *s)
{
	const unsigned char	*p;
	const char		*e;

	if (s == NULL || *s == '\0')
		return;
	gpx_printf(g, "<%s>", tag);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		e = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ?
		    "&gt;" : *p == '"' ? "&quot;" : NULL;
		if (e != NULL)
			gpx_raw(g, e, strlen(e));
		else if (*p >= 0x20 || *p == '\t' || *p == '\n')
			gpx_raw(g, (const char *)p, 1);
	}
	gpx_printf(g, "</%s>", tag);
}

/* The document's start: its name and time (RFC 3339) in the metadata. */
void
gpx_begin(struct gpx *g, const char *name, const char *time)
{
	memset(g, 0, sizeof(*g));
	gpx_printf(g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<gpx version=\"1.1\" creator=\"recircd\" "
	    "xmlns=\"http://www.topografix.com/GPX/1/1\">\n<metadata>");
	gpx_elem(g, "name", name);
	gpx_elem(g, "time", time);
	gpx_printf(g, "</metadata>\n");
}

/* A point: <tag lat lon> with time, name, desc and type (each optional). */
void
gpx_point(struct gpx *g, const char *tag, const struct gpx_pt *p)
{
	gpx_printf(g, "<%s lat=\"%.6f\" lon=\"%.6f\">", tag, p->lat, p->lon);
	gpx_elem(g, "time", p->time);
	gpx_elem(g, "name", p->name);
	gpx_elem(g, "desc", p->desc);
	gpx_elem(g, "type", p->type);
	gpx_printf(g, "</%s>\n", tag);
}

/* A route's start (its points follow as gpx_point(g, "rtept", ...)). */
void
gpx_route_begin(struct gpx *g, const char *name, const char *desc,
    int number)
{
	gpx_printf(g, "<rte>");
	gpx_elem(g, "name", name);
	gpx_elem(g, "desc", desc);
	gpx_printf(g, "<number>%d</number>\n", number);
}

void
gpx_route_end(struct gpx *g)
{
	gpx_printf(g, "</rte>\n");
}

/* A track of one segment through the n points lat[], lon[]. */
void
gpx_track(struct gpx *g, const char *name, const double *lat,
    const double *lon, size_t n)
{
	size_t	i;

	gpx_printf(g, "<trk>");
	gpx_elem(g, "name", name);
	gpx_printf(g, "<trkseg>\n");
	for (i = 0; i < n; i++)
		gpx_printf(g, "<trkpt lat=\"%.6f\" lon=\"%.6f\"/>\n", lat[i],
		    lon[i]);
	gpx_printf(g, "</trkseg></trk>\n");
}

/* The document's end: its text (caller frees), *len its length. */
char *
gpx_end(struct gpx *g, size_t *len)
{
	char	*text;

	gpx_printf(g, "</gpx>\n");
	text = g->buf;
	*len = g->len;
	memset(g, 0, sizeof(*g));
	return text;
}
