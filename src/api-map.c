/*
 * api-map.c -- the plan map: GET /map and /map/plans/{id} (one HTML page),
 * its script and style sheet (src/map/, embedded at build time by
 * sql/embed.sh into map-assets.c, so the daemon needs no data directory),
 * and Leaflet, served from where Debian's libjs-leaflet installs it
 * (map_leaflet): no CDN at run time.
 *
 * None of these needs a token, and none carries data: the page reads the
 * plan through the API with the viewer's token (src/map/map.js).  The
 * page's Content-Security-Policy lets it run only the scripts served here
 * and talk only to this daemon; images may come from the configured tile
 * server.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recircd.h"

#define MAP_ASSET_MAX	(4 << 20)	/* leaflet.js is ~150 kB */

/* map-assets.c (generated from src/map/) */
extern const char *const map_page[];
extern const char *const map_script[];
extern const char *const map_style[];

/* The files of Leaflet the page uses, and nothing else from its dir. */
static const char *const map_leaflet_files[] = {
	"leaflet.js", "leaflet.css", "images/layers.png",
	"images/layers-2x.png", "images/marker-icon.png",
	"images/marker-icon-2x.png", "images/marker-shadow.png", NULL
};

/* Append s to *out, escaped for a double-quoted HTML attribute. */
static void
map_attr(char **out, const char *s)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "&\"<>'");
		xappendf(out, "%.*s", (int)n, s);
		s += n;
		switch (*s) {
		case '&': xappendf(out, "&amp;"); break;
		case '"': xappendf(out, "&quot;"); break;
		case '<': xappendf(out, "&lt;"); break;
		case '>': xappendf(out, "&gt;"); break;
		case '\'': xappendf(out, "&#39;"); break;
		default: return;
		}
		s++;
	}
}

/* The page with @PLAN@, @TILES@ and @ATTRIBUTION@ filled in; allocated. */
static char *
map_page_text(const struct http_req *r, size_t *len)
{
	const struct conf	*cf = r->srv->conf;
	const char		*p = map_page[0], *at;
	char			*out = NULL, plan[24] = "";

	if (r->id > 0)
		snprintf(plan, sizeof(plan), "%lld", (long long)r->id);
	while ((at = strchr(p, '@')) != NULL) {
		xappendf(&out, "%.*s", (int)(at - p), p);
		if (strncmp(at, "@PLAN@", 6) == 0) {
			map_attr(&out, plan);
			p = at + 6;
		} else if (strncmp(at, "@TILES@", 7) == 0) {
			map_attr(&out, cf->map_tiles ? cf->map_tiles : "");
			p = at + 7;
		} else if (strncmp(at, "@ATTRIBUTION@", 13) == 0) {
			map_attr(&out, cf->map_attribution ?
			    cf->map_attribution : "");
			p = at + 13;
		} else {
			xappendf(&out, "@");
			p = at + 1;
		}
	}
	*len = xappendf(&out, "%s", p);
	return out;
}

/* GET /map, /map/plans/{id}: the page (no data in it). */
void
api_map_page(struct http_req *r)
{
	char	*text;
	size_t	 len;

	text = map_page_text(r, &len);
	http_set_header(r, "Content-Security-Policy", "default-src 'self'; "
	    "script-src 'self'; style-src 'self' 'unsafe-inline'; "
	    "img-src 'self' data: https: http:; connect-src 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
	http_set_header(r, "X-Content-Type-Options", "nosniff");
	http_set_header(r, "Referrer-Policy", "no-referrer");
	http_reply_typed(r, 200, "text/html; charset=utf-8", text, len);
	free(text);
}

void
api_map_script(struct http_req *r)
{
	http_set_header(r, "X-Content-Type-Options", "nosniff");
	http_reply_typed(r, 200, "text/javascript; charset=utf-8",
	    map_script[0], strlen(map_script[0]));
}

void
api_map_style(struct http_req *r)
{
	http_set_header(r, "X-Content-Type-Options", "nosniff");
	http_reply_typed(r, 200, "text/css; charset=utf-8", map_style[0],
	    strlen(map_style[0]));
}

/* Read path whole (at most MAP_ASSET_MAX); NULL with errno. */
static char *
map_read(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*buf;
	ssize_t		 got;
	size_t		 have = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > MAP_ASSET_MAX) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (have < (size_t)sb.st_size &&
	    (got = read(fd, buf + have, (size_t)sb.st_size - have)) > 0)
		have += (size_t)got;
	close(fd);
	*len = have;
	return buf;
}

/* GET /map/leaflet/{name}, /map/leaflet/images/{name}: Leaflet's files. */
void
api_map_leaflet(struct http_req *r)
{
	const char	*dir = r->srv->conf->map_leaflet;
	const char	*file = r->path + strlen("/map/leaflet/"), *type;
	char		*path, *buf;
	size_t		 i, len;

	for (i = 0; map_leaflet_files[i] != NULL; i++)
		if (strcmp(map_leaflet_files[i], file) == 0)
			break;
	if (map_leaflet_files[i] == NULL) {
		http_error(r, 404, "not_found", NULL, "no such map file");
		return;
	}
	xasprintf(&path, "%s/%s", dir != NULL ? dir : "", file);
	if ((buf = map_read(path, &len)) == NULL) {
		log_warnx("map: %s: %s", path, strerror(errno));
		http_error(r, 404, "not_found", NULL, "Leaflet is not "
		    "installed where map_leaflet says (Debian: apt-get "
		    "install libjs-leaflet)");
		free(path);
		return;
	}
	free(path);
	type = strstr(file, ".png") ? "image/png" : strstr(file, ".css") ?
	    "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
	http_set_header(r, "X-Content-Type-Options", "nosniff");
	http_reply_typed(r, 200, type, buf, len);
	free(buf);
}
