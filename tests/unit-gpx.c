/*
 * unit-gpx.c -- the GPX writer (gpx.c): the document's frame, points with
 * their children in the schema's order, routes and tracks, text escaped
 * for XML and the control characters XML 1.0 does not allow left out, and
 * a document larger than the buffer's first size.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

int
main(void)
{
	struct gpx	 g;
	struct gpx_pt	 pt;
	double		 lat[3] = { 51.5, 51.25, -0.000001 };
	double		 lon[3] = { -2.5, -2.75, 179.9999995 };
	char		*t, *big;
	size_t		 len;
	int		 i;

	gpx_begin(&g, "plan <1>", "2026-12-07T08:00:00Z");
	memset(&pt, 0, sizeof(pt));
	pt.lat = 51.45;
	pt.lon = -2.58;
	pt.name = "depot";
	pt.type = "centre";
	gpx_point(&g, "wpt", &pt);
	gpx_route_begin(&g, "van-1 2026-12-07", "from depot", 1);
	pt.time = "2026-12-07T09:15:00+00:00";
	pt.name = "1 A&B <ref>";
	pt.desc = "say \"hi\"\x01\x1f, tab\there; it's 5 > 3";
	pt.type = "stop";
	gpx_point(&g, "rtept", &pt);
	gpx_route_end(&g);
	gpx_track(&g, "van-1 2026-12-07", lat, lon, 3);
	t = gpx_end(&g, &len);

	is_int((int)len, (int)strlen(t), "the length is the text's");
	ok(strncmp(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx "
	    "version=\"1.1\" creator=\"recircd\" xmlns=\"http://www.topografix"
	    ".com/GPX/1/1\">\n", 114) == 0, "an XML declaration, GPX 1.1");
	ok(strstr(t, "<metadata><name>plan &lt;1&gt;</name><time>2026-12-07T"
	    "08:00:00Z</time></metadata>") != NULL, "the metadata, escaped");
	ok(strstr(t, "<wpt lat=\"51.450000\" lon=\"-2.580000\"><name>depot"
	    "</name><type>centre</type></wpt>") != NULL,
	    "a waypoint: six decimals, no empty children");
	ok(strstr(t, "<rte><name>van-1 2026-12-07</name><desc>from depot"
	    "</desc><number>1</number>") != NULL,
	    "a route: name, desc, number, in that order");
	ok(strstr(t, "<rtept lat=\"51.450000\" lon=\"-2.580000\"><time>"
	    "2026-12-07T09:15:00+00:00</time><name>1 A&amp;B &lt;ref&gt;"
	    "</name><desc>say &quot;hi&quot;, tab\there; it's 5 &gt; 3"
	    "</desc><type>stop</type></rtept>") != NULL,
	    "a route point: time, name, desc, type; escaped; control "
	    "characters but the tab left out");
	ok(strstr(t, "<trk><name>van-1 2026-12-07</name><trkseg>\n"
	    "<trkpt lat=\"51.500000\" lon=\"-2.500000\"/>\n"
	    "<trkpt lat=\"51.250000\" lon=\"-2.750000\"/>\n"
	    "<trkpt lat=\"-0.000001\" lon=\"180.000000\"/>\n"
	    "</trkseg></trk>\n</gpx>\n") != NULL,
	    "a track, then the end");
	ok(strstr(t, "<wpt") < strstr(t, "<rte>") &&
	    strstr(t, "<rte>") < strstr(t, "<trk>"),
	    "waypoints, routes, tracks: the schema's order");
	free(t);

	/* Past the buffer's first 4096 bytes, and one longer than the
	 * writer's small format buffer. */
	gpx_begin(&g, NULL, NULL);
	big = xcalloc(1000, 1);
	memset(big, 'x', 999);
	memset(&pt, 0, sizeof(pt));
	pt.desc = big;
	for (i = 0; i < 20; i++)
		gpx_point(&g, "wpt", &pt);
	t = gpx_end(&g, &len);
	is_int((int)len, (int)strlen(t), "a long document: its length");
	ok(len > 20 * 1000 && strstr(t, "<metadata></metadata>") != NULL &&
	    strcmp(t + len - 7, "</gpx>\n") == 0,
	    "... all of it, without empty children in the metadata");
	free(t);
	free(big);
	return tap_done();
}
