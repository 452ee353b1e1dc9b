/*
 * jsonw.c -- a small streaming JSON writer for the hot paths.
 *
 * jansson parses every request; but building a json_t tree only to dump
 * it costs more than the rest of a submission put together (measured with
 * callgrind: ~70k instructions to dump a 500-byte pickup, mostly per-node
 * allocation and formatting).  The canonical pickup document and the reply
 * headers are written in a fixed order anyway, so they are written as text
 * directly, with the escaping RFC 8259 requires.  Input strings must be
 * valid UTF-8 (the HTTP layer checks bodies before parsing).
 *
 * Pure: no I/O, no globals.  Commas are tracked per nesting level.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "recircd.h"

static void
jw_reserve(struct jsonw *w, size_t n)
{
	if (w->len + n + 1 <= w->cap)
		return;
	while (w->len + n + 1 > w->cap)
		w->cap = w->cap ? w->cap * 2 : 256;
	w->buf = xreallocarray(w->buf, w->cap, 1);
}

static void
jw_raw(struct jsonw *w, const char *s, size_t n)
{
	jw_reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Emit the comma a new value needs after a sibling. */
static void
jw_sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0 && w->count[w->depth - 1]++ > 0)
		jw_raw(w, ",", 1);
}

void
jw_init(struct jsonw *w)
{
	memset(w, 0, sizeof(*w));
}

/* The text so far; the caller owns it and w is reset. */
char *
jw_take(struct jsonw *w)
{
	char	*s = w->buf;

	if (s == NULL)
		s = xstrdup("");
	jw_init(w);
	return s;
}

void
jw_free(struct jsonw *w)
{
	x_free(w->buf);
	jw_init(w);
}

static void
jw_open(struct jsonw *w, char c)
{
	jw_sep(w);
	jw_raw(w, &c, 1);
	/* Our code, never the data, decides the nesting: a broken invariant. */
	if (w->depth >= JSONW_DEPTH)
		fatalx("jsonw: nesting deeper than %d", JSONW_DEPTH);
	w->count[w->depth++] = 0;
}

static void
jw_close(struct jsonw *w, char c)
{
	if (w->depth == 0)
		fatalx("jsonw: unbalanced close");
	w->depth--;
	jw_raw(w, &c, 1);
}

void jw_object(struct jsonw *w) { jw_open(w, '{'); }
void jw_object_end(struct jsonw *w) { jw_close(w, '}'); }
void jw_array(struct jsonw *w) { jw_open(w, '['); }
void jw_array_end(struct jsonw *w) { jw_close(w, ']'); }

static void
jw_quoted(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		  i, run = 0;
	char		  esc[7];

	jw_reserve(w, n + 2);
	jw_raw(w, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jw_raw(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  jw_raw(w, "\\\"", 2); break;
		case '\\': jw_raw(w, "\\\\", 2); break;
		case '\n': jw_raw(w, "\\n", 2); break;
		case '\r': jw_raw(w, "\\r", 2); break;
		case '\t': jw_raw(w, "\\t", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			jw_raw(w, esc, 6);
		}
	}
	jw_raw(w, s + run, n - run);
	jw_raw(w, "\"", 1);
}

/* An object member's key (a trusted literal or validated text). */
void
jw_key(struct jsonw *w, const char *k)
{
	jw_sep(w);
	jw_quoted(w, k, strlen(k));
	jw_raw(w, ":", 1);
	w->after_key = 1;
}

void
jw_string(struct jsonw *w, const char *s)
{
	jw_sep(w);
	if (s == NULL)
		jw_raw(w, "null", 4);
	else
		jw_quoted(w, s, strlen(s));
}

void
jw_int(struct jsonw *w, long long v)
{
	char	buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	jw_sep(w);
	do {
		*--p = '0' + u % 10;
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	jw_raw(w, p, buf + sizeof(buf) - p);
}

/* A finite real with 12 significant digits (always with a '.' or 'e'). */
void
jw_real(struct jsonw *w, double d)
{
	char	buf[40];
	int	n;

	jw_sep(w);
	if (!isfinite(d)) {
		jw_raw(w, "null", 4);
		return;
	}
	n = snprintf(buf, sizeof(buf) - 2, "%.12g", d);
	if (strpbrk(buf, ".eEn") == NULL) {
		buf[n++] = '.';
		buf[n++] = '0';
		buf[n] = '\0';
	}
	jw_raw(w, buf, n);
}

/*
 * A finite real rounded to at most decimals (0..9) places, trailing zeros
 * trimmed, always with a '.': the canonical form of coordinates and
 * measures.  Integer arithmetic only; printf's %g costs ~1.6k
 * instructions a number, which showed up on the submit path.
 */
void
jw_fixed(struct jsonw *w, double d, int decimals)
{
	static const double	 scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9 };
	char			 buf[48], *p = buf + sizeof(buf);
	unsigned long long	 u, ip, fp;
	int			 i, neg, started = 0;

	if (!isfinite(d) || fabs(d) >= 1e9 || decimals < 0 || decimals > 9) {
		jw_real(w, d);
		return;
	}
	jw_sep(w);
	neg = d < 0;
	u = (unsigned long long)llround(fabs(d) * scale[decimals]);
	ip = u / (unsigned long long)scale[decimals];
	fp = u % (unsigned long long)scale[decimals];
	for (i = 0; i < decimals; i++, fp /= 10) {
		if (!started && fp % 10 == 0)
			continue;
		started = 1;
		*--p = '0' + fp % 10;
	}
	if (!started)
		*--p = '0';
	*--p = '.';
	do {
		*--p = '0' + ip % 10;
		ip /= 10;
	} while (ip != 0);
	if (neg && u != 0)
		*--p = '-';
	jw_raw(w, p, buf + sizeof(buf) - p);
}

void
jw_bool(struct jsonw *w, int b)
{
	jw_sep(w);
	jw_raw(w, b ? "true" : "false", b ? 4 : 5);
}

void
jw_null(struct jsonw *w)
{
	jw_sep(w);
	jw_raw(w, "null", 4);
}

/* Splice already-serialised JSON text as one value. */
void
jw_json(struct jsonw *w, const char *text, size_t n)
{
	jw_sep(w);
	jw_raw(w, text, n);
}
