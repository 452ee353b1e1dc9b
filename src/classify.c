/*
 * classify.c -- the item catalogue and which streams an item may go to.
 *
 * Pure apart from catalogue_load() reading its file: a category lists the
 * streams it may ever take (repair, reuse, recycle, dispose), its typical
 * unit weight and volume (used when a submission leaves them out) and the
 * value recovered per kg in each stream; an item's condition narrows the
 * streams further.  Dispose is always allowed: residual waste must have a
 * destination.
 *
 * Catalogue file: one category a line,
 *	NAME streams repair,reuse,recycle,dispose weight KG volume M3 \
 *	    [value STREAM=PER_KG,...]
 * '#' starts a comment.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

#define SB(s) (1u << (s))
#define ALL_STREAMS (SB(STREAM_REPAIR) | SB(STREAM_REUSE) | \
	SB(STREAM_RECYCLE) | SB(STREAM_DISPOSE))

static const char *stream_names[STREAM_COUNT] = {
	"repair", "reuse", "recycle", "dispose"
};
static const char *condition_names[COND_COUNT] = {
	"working", "repairable", "broken", "unknown"
};

/* Streams a condition allows, before the category's own list. */
static const unsigned condition_streams[COND_COUNT] = {
	/* working */	 SB(STREAM_REUSE) | SB(STREAM_REPAIR) |
			 SB(STREAM_RECYCLE) | SB(STREAM_DISPOSE),
	/* repairable */ SB(STREAM_REPAIR) | SB(STREAM_RECYCLE) |
			 SB(STREAM_DISPOSE),
	/* broken */	 SB(STREAM_RECYCLE) | SB(STREAM_DISPOSE),
	/* unknown */	 ALL_STREAMS,
};

/*
 * The built-in catalogue: common bulky and WEEE categories collected by
 * councils.  Weights and volumes are typical per unit; values per kg are
 * indicative (reuse > repair > recycle > dispose, dispose costs money).
 */
static const struct category default_categories[] = {
	{ "furniture", ALL_STREAMS, 30, 0.8, { 0.9, 1.2, 0.05, -0.12 } },
	{ "sofa", ALL_STREAMS, 45, 1.2, { 0.8, 1.0, 0.03, -0.12 } },
	{ "table", ALL_STREAMS, 25, 0.6, { 0.9, 1.2, 0.05, -0.12 } },
	{ "chair", ALL_STREAMS, 7, 0.3, { 1.0, 1.5, 0.05, -0.12 } },
	{ "wardrobe", ALL_STREAMS, 60, 1.5, { 0.6, 0.8, 0.05, -0.12 } },
	{ "mattress", SB(STREAM_REUSE) | SB(STREAM_RECYCLE) |
	    SB(STREAM_DISPOSE), 25, 0.5, { 0, 0.4, 0.08, -0.15 } },
	{ "large_appliance", ALL_STREAMS, 60, 0.5, { 1.1, 1.4, 0.15, -0.2 } },
	{ "washing_machine", ALL_STREAMS, 70, 0.4, { 1.1, 1.4, 0.15, -0.2 } },
	{ "fridge_freezer", ALL_STREAMS, 55, 0.7, { 0.9, 1.2, 0.10, -0.3 } },
	{ "cooker", ALL_STREAMS, 45, 0.4, { 0.9, 1.2, 0.15, -0.2 } },
	{ "small_electronics", ALL_STREAMS, 3, 0.02, { 3.0, 4.0, 0.4, -0.2 } },
	{ "it_equipment", ALL_STREAMS, 8, 0.05, { 6.0, 8.0, 0.8, -0.2 } },
	{ "tv_monitor", ALL_STREAMS, 15, 0.1, { 2.0, 3.0, 0.3, -0.3 } },
	{ "textiles", SB(STREAM_REUSE) | SB(STREAM_RECYCLE) |
	    SB(STREAM_DISPOSE), 10, 0.1, { 0, 2.0, 0.1, -0.12 } },
	{ "bicycle", ALL_STREAMS, 15, 0.5, { 3.0, 4.0, 0.2, -0.1 } },
	{ "toys", SB(STREAM_REUSE) | SB(STREAM_RECYCLE) | SB(STREAM_DISPOSE),
	    3, 0.05, { 0, 2.0, 0.05, -0.12 } },
	{ "books", SB(STREAM_REUSE) | SB(STREAM_RECYCLE) | SB(STREAM_DISPOSE),
	    10, 0.03, { 0, 1.0, 0.05, -0.1 } },
};

const char *
stream_name(enum stream s)
{
	return (unsigned)s < STREAM_COUNT ? stream_names[s] : "?";
}

/* Returns the stream, or -1 when name is not one. */
int
stream_parse(const char *name)
{
	return name_index(stream_names, STREAM_COUNT, name);
}

const char *
condition_name(enum condition c)
{
	return (unsigned)c < COND_COUNT ? condition_names[c] : "?";
}

int
condition_parse(const char *name)
{
	return name_index(condition_names, COND_COUNT, name);
}

/* The streams an item of category cat in condition c may go to (bit set). */
unsigned
classify_item(const struct category *cat, enum condition c)
{
	unsigned	s;

	if ((unsigned)c >= COND_COUNT)
		c = COND_UNKNOWN;
	s = cat->streams & condition_streams[c];
	return s | SB(STREAM_DISPOSE);
}

struct catalogue *
catalogue_default(void)
{
	struct catalogue	*cl = xcalloc(1, sizeof(*cl));
	size_t			 n;

	n = sizeof(default_categories) / sizeof(default_categories[0]);
	cl->cats = xreallocarray(NULL, n, sizeof(*cl->cats));
	memcpy(cl->cats, default_categories, n * sizeof(*cl->cats));
	cl->ncats = n;
	return cl;
}

void
catalogue_free(struct catalogue *cl)
{
	if (cl == NULL)
		return;
	x_free(cl->cats);
	x_free(cl);
}

/* Borrowed pointer, valid while cl lives; NULL when unknown. */
const struct category *
catalogue_find(const struct catalogue *cl, const char *name)
{
	size_t	i;

	for (i = 0; i < cl->ncats; i++)
		if (strcmp(cl->cats[i].name, name) == 0)
			return &cl->cats[i];
	return NULL;
}

/* Parse "a,b,c" stream lists into a bit set; -1 on an unknown stream. */
static int
catalogue_streams(char *list, unsigned *out)
{
	char	*tok, *save = NULL;
	int	 s;

	*out = 0;
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((s = stream_parse(tok)) == -1)
			return -1;
		*out |= SB(s);
	}
	return *out == 0 ? -1 : 0;
}

static int
catalogue_number(const char *s, double min, double max, double *out)
{
	char	*end;

	errno = 0;
	*out = strtod(s, &end);
	return (errno == 0 && end != s && *end == '\0' && *out >= min &&
	    *out <= max) ? 0 : -1;
}

/* Parse "repair=1.2,reuse=2" into cat->value. */
static int
catalogue_values(char *list, struct category *cat)
{
	char	*tok, *save = NULL, *eq;
	int	 s;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			return -1;
		*eq = '\0';
		if ((s = stream_parse(tok)) == -1 ||
		    catalogue_number(eq + 1, -1e6, 1e6, &cat->value[s]) == -1)
			return -1;
	}
	return 0;
}

/* One line's words into cat; *why on failure. */
static int
catalogue_line(char **w, int nw, struct category *cat, const char **why)
{
	int	i;

	memset(cat, 0, sizeof(*cat));
	if (strlen(w[0]) >= sizeof(cat->name)) {
		*why = "category name too long";
		return -1;
	}
	for (i = 0; w[0][i] != '\0'; i++) {
		if (!islower((unsigned char)w[0][i]) &&
		    !isdigit((unsigned char)w[0][i]) && w[0][i] != '_') {
			*why = "category names are [a-z0-9_]";
			return -1;
		}
	}
	strcpy(cat->name, w[0]);
	cat->streams = ALL_STREAMS;
	cat->weight_kg = 10;
	cat->volume_m3 = 0.1;
	for (i = 1; i + 1 < nw; i += 2) {
		if (strcmp(w[i], "streams") == 0) {
			if (catalogue_streams(w[i + 1], &cat->streams) == -1) {
				*why = "bad stream list";
				return -1;
			}
		} else if (strcmp(w[i], "weight") == 0) {
			if (catalogue_number(w[i + 1], 0.001, 10000,
			    &cat->weight_kg) == -1) {
				*why = "bad weight";
				return -1;
			}
		} else if (strcmp(w[i], "volume") == 0) {
			if (catalogue_number(w[i + 1], 0.0001, 100,
			    &cat->volume_m3) == -1) {
				*why = "bad volume";
				return -1;
			}
		} else if (strcmp(w[i], "value") == 0) {
			if (catalogue_values(w[i + 1], cat) == -1) {
				*why = "bad value list";
				return -1;
			}
		} else {
			*why = "unknown attribute";
			return -1;
		}
	}
	if (i != nw) {
		*why = "attribute without a value";
		return -1;
	}
	return 0;
}

/* Read a catalogue file; NULL with *cause = "file:line: why" on error. */
struct catalogue *
catalogue_load(const char *path, char **cause)
{
	struct catalogue	*cl;
	FILE			*f;
	char			*line = NULL, *w[16], *p, *save;
	size_t			 cap = 0;
	unsigned		 lineno = 0;
	const char		*why = NULL;
	int			 nw;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	cl = xcalloc(1, sizeof(*cl));
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		save = NULL;
		for (nw = 0, p = strtok_r(line, " \t\r\n", &save);
		    p != NULL && nw < 16; p = strtok_r(NULL, " \t\r\n", &save))
			w[nw++] = p;
		if (p != NULL) {
			why = "too many words on the line";
			break;
		}
		if (nw == 0)
			continue;
		cl->cats = xreallocarray(cl->cats, cl->ncats + 1,
		    sizeof(*cl->cats));
		if (catalogue_line(w, nw, &cl->cats[cl->ncats], &why) == -1)
			break;
		if (catalogue_find(cl, w[0]) != NULL) {
			why = "duplicate category";
			break;
		}
		cl->ncats++;
	}
	free(line);
	fclose(f);
	if (why == NULL && cl->ncats == 0)
		why = "no categories";
	if (why != NULL) {
		xasprintf(cause, "%s:%u: %s", path, lineno, why);
		catalogue_free(cl);
		return NULL;
	}
	return cl;
}
