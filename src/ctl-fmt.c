/*
 * ctl-fmt.c -- everything recircctl writes for people to read.
 *
 * Aligned tables that fit a width (a terminal's: COLUMNS, else its size,
 * else 80) by cutting the columns marked flexible, or whole when stdout is
 * not a terminal (width 0) so nothing piped is lost; the same as
 * tab-separated values with --tsv; "key  value" blocks with wrapped
 * values, messages on stderr and a progress bar that only commands
 * running on a terminal draw.  Text from the server is cleaned
 * before it reaches a terminal: control characters (an escape sequence in a
 * pickup's notes could rewrite the screen) become '?' or a space.
 *
 * Widths count UTF-8 code points, not bytes, so "Straße" aligns; wide
 * (CJK) characters are counted as one column, which is wrong but harmless.
 * Everything but ctl_msg() and the progress bar is pure: tests/ctl-fmt.c
 * renders into memory streams.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define CTL_FMT_GAP	2	/* spaces between table columns */
#define CTL_FMT_MINCOL	6	/* a flexible column is never cut below */
#define CTL_FMT_NARROW	20	/* fewer columns than this are not believed */
#define CTL_FMT_WIDE	10000

static int	ctl_progress_shown;	/* a bar is on the last stderr line */

struct ctl_table {
	const struct ctl_col	*cols;
	size_t			 ncols;
	char			**cells;	/* row-major, cleaned */
	size_t			 ncells;
};

struct ctl_kv {
	char	**keys;
	char	**values;		/* cleaned */
	size_t	  n;
};

/*
 * Print "recircctl: message" on stderr, below any progress bar, in one
 * write: a line written in pieces interleaves with other processes'.
 */
void
ctl_msg(const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *line;

	ctl_progress_clear();
	fflush(stdout);
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("ctl_msg: out of memory");
	va_end(ap);
	xasprintf(&line, "recircctl: %s\n", s);
	log_write_line(line, strlen(line));
	free(line);
	free(s);
}

/*
 * The width of a terminal: the COLUMNS environment variable (columns, may
 * be NULL) when it is a number, which is how a user asks for a width,
 * else what the terminal says (tty, 0 when unknown), else 80.
 */
size_t
ctl_fmt_columns(const char *columns, int tty)
{
	char	*end;
	long	 n;

	if (columns != NULL && *columns != '\0') {
		n = strtol(columns, &end, 10);
		if (*end == '\0' && n >= CTL_FMT_NARROW && n <= CTL_FMT_WIDE)
			return (size_t)n;
	}
	if (tty >= CTL_FMT_NARROW && tty <= CTL_FMT_WIDE)
		return (size_t)tty;
	return 80;
}

/* Columns s takes: its UTF-8 code points. */
size_t
ctl_fmt_width(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
ctl_fmt_utf8len(const unsigned char *s)
{
	size_t	n, i;

	if (*s < 0x80)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * Return an allocated copy of s safe for a terminal: tabs and line ends
 * become spaces, other control characters (C0, DEL, C1) and bytes that are
 * not UTF-8 become '?'.  If max is not 0 and the result is wider than max
 * columns, it is cut to max and ends in "..." (when max allows).
 */
char *
ctl_fmt_clean(const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*out, *o;
	size_t			 n, cols = 0, keep;

	out = o = xmalloc(strlen(s) + 4);
	while (*p != '\0') {
		n = ctl_fmt_utf8len(p);
		if (n == 0 || *p == 0x7f || (*p == 0xc2 && p[1] < 0xa0)) {
			*o++ = '?';
			p += n == 0 ? 1 : n;
		} else if (*p < 0x20) {
			*o++ = (*p == '\t' || *p == '\n' || *p == '\r') ?
			    ' ' : '?';
			p++;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
		}
		cols++;
	}
	*o = '\0';
	if (max == 0 || cols <= max)
		return out;
	keep = max >= 4 ? max - 3 : max;
	for (o = out, n = 0; *o != '\0'; o++)
		if (((unsigned char)*o & 0xc0) != 0x80 && n++ == keep)
			break;
	strcpy(o, max >= 4 ? "..." : "");
	return out;
}

/* "45s", "3m 07s", "2h 03m", "4d 02h": an allocated, rough duration. */
char *
ctl_fmt_duration(long long s)
{
	char	*out;

	if (s < 0)
		s = 0;
	if (s < 60)
		xasprintf(&out, "%llds", s);
	else if (s < 3600)
		xasprintf(&out, "%lldm %02llds", s / 60, s % 60);
	else if (s < 86400)
		xasprintf(&out, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	else
		xasprintf(&out, "%lldd %02lldh", s / 86400, s % 86400 / 3600);
	return out;
}

/*
 * A date window, short: "2026-12-01" when from and to are the same day,
 * "2026-12-01..12-05" within a year, else "2026-12-30..2027-01-02"; either
 * may be NULL ("2026-12-01..", "..2026-12-05", "-").  Allocated.
 */
char *
ctl_fmt_window(const char *from, const char *to)
{
	char	*out;

	if (from == NULL && to == NULL)
		return xstrdup("-");
	if (from == NULL || to == NULL)
		xasprintf(&out, "%s..%s", from ? from : "", to ? to : "");
	else if (strcmp(from, to) == 0)
		out = xstrdup(from);
	else if (strlen(from) == 10 && strlen(to) == 10 &&
	    strncmp(from, to, 5) == 0)
		xasprintf(&out, "%s..%s", from, to + 5);
	else
		xasprintf(&out, "%s..%s", from, to);
	return out;
}

/* A table with ncols columns described by cols (borrowed for its life). */
struct ctl_table *
ctl_table_new(const struct ctl_col *cols, size_t ncols)
{
	struct ctl_table	*t = xcalloc(1, sizeof(*t));

	t->cols = cols;
	t->ncols = ncols;
	return t;
}

/* Append a cell; every ncols cells make a row. */
void
ctl_table_cell(struct ctl_table *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("ctl_table_cell: out of memory");
	va_end(ap);
	t->cells = xreallocarray(t->cells, t->ncells + 1, sizeof(*t->cells));
	t->cells[t->ncells++] = ctl_fmt_clean(s, 0);
	free(s);
}

size_t
ctl_table_rows(const struct ctl_table *t)
{
	return t->ncells / t->ncols;
}

/*
 * Fill w[ncols] with the width of each column: the widest of its title and
 * cells, then, while the row is wider than width (0: no limit), the widest
 * flexible column loses a column (never below CTL_FMT_MINCOL or its
 * title).  A table whose fixed columns alone are too wide stays too wide.
 */
void
ctl_table_widths(const struct ctl_table *t, size_t width, size_t *w)
{
	size_t	i, total, best, cw, floor_;

	for (i = 0; i < t->ncols; i++)
		w[i] = ctl_fmt_width(t->cols[i].title);
	for (i = 0; i < t->ncells; i++)
		if ((cw = ctl_fmt_width(t->cells[i])) > w[i % t->ncols])
			w[i % t->ncols] = cw;
	while (width > 0) {
		total = CTL_FMT_GAP * (t->ncols - 1);
		for (i = 0; i < t->ncols; i++)
			total += w[i];
		if (total <= width)
			return;
		best = t->ncols;
		for (i = 0; i < t->ncols; i++) {
			floor_ = ctl_fmt_width(t->cols[i].title);
			if (floor_ < CTL_FMT_MINCOL)
				floor_ = CTL_FMT_MINCOL;
			if (t->cols[i].flex && w[i] > floor_ &&
			    (best == t->ncols || w[i] > w[best]))
				best = i;
		}
		if (best == t->ncols)
			return;
		w[best]--;
	}
}

/* Print one row of cells padded to w; the last column is not padded. */
static void
ctl_table_line(const struct ctl_table *t, char *const *cells,
    const size_t *w, FILE *fp)
{
	size_t	 i, cw;
	char	*s;

	for (i = 0; i < t->ncols; i++) {
		s = ctl_fmt_clean(cells[i], w[i]);
		cw = ctl_fmt_width(s);
		if (t->cols[i].right)
			fprintf(fp, "%*s%s", (int)(w[i] - cw), "", s);
		else if (i + 1 < t->ncols)
			fprintf(fp, "%s%*s", s, (int)(w[i] - cw), "");
		else
			fputs(s, fp);
		if (i + 1 < t->ncols)
			fprintf(fp, "%*s", CTL_FMT_GAP, "");
		free(s);
	}
	fputc('\n', fp);
}

/* Print the titles and rows fitted to width; bold titles if bold. */
void
ctl_table_print(const struct ctl_table *t, FILE *fp, size_t width, int bold)
{
	size_t	  *w, i;
	char	 **titles;

	w = xcalloc(t->ncols, sizeof(*w));
	titles = xcalloc(t->ncols, sizeof(*titles));
	for (i = 0; i < t->ncols; i++)
		titles[i] = (char *)t->cols[i].title;
	ctl_table_widths(t, width, w);
	if (bold)
		fputs("\033[1m", fp);
	ctl_table_line(t, titles, w, fp);
	if (bold)
		fputs("\033[0m", fp);
	for (i = 0; i + t->ncols <= t->ncells; i += t->ncols)
		ctl_table_line(t, t->cells + i, w, fp);
	free(titles);
	free(w);
}

/*
 * Print the table as tab-separated values: the titles, then a line per
 * row, cells whole (cleaning made their tabs and line ends spaces).
 */
void
ctl_table_tsv(const struct ctl_table *t, FILE *fp)
{
	size_t	i;

	for (i = 0; i < t->ncols; i++)
		fprintf(fp, "%s%c", t->cols[i].title, i + 1 < t->ncols ?
		    '\t' : '\n');
	for (i = 0; i < t->ncells; i++)
		fprintf(fp, "%s%c", t->cells[i], (i + 1) % t->ncols != 0 ?
		    '\t' : '\n');
}

/* Print the table on stdout as the run asks: TSV, or aligned. */
void
ctl_table_show(const struct ctl *ctl, const struct ctl_table *t)
{
	if (ctl->tsv)
		ctl_table_tsv(t, stdout);
	else
		ctl_table_print(t, stdout, ctl->width, ctl->color);
}

void
ctl_table_free(struct ctl_table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

struct ctl_kv *
ctl_kv_new(void)
{
	return xcalloc(1, sizeof(struct ctl_kv));
}

/* Add "key  value"; key is copied, value is formatted and cleaned. */
void
ctl_kv_add(struct ctl_kv *kv, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("ctl_kv_add: out of memory");
	va_end(ap);
	kv->keys = xreallocarray(kv->keys, kv->n + 1, sizeof(*kv->keys));
	kv->values = xreallocarray(kv->values, kv->n + 1,
	    sizeof(*kv->values));
	kv->keys[kv->n] = xstrdup(key);
	kv->values[kv->n++] = ctl_fmt_clean(s, 0);
	free(s);
}

/*
 * Print value v wrapped to avail columns at spaces (a word longer than the
 * line is cut), continuation lines indented by indent.
 */
static void
ctl_kv_wrap(const char *v, size_t indent, size_t avail, FILE *fp)
{
	const char	*p = v, *brk, *q;
	size_t		 cols;

	for (;;) {
		brk = NULL;
		cols = 0;
		for (q = p; *q != '\0' && cols <= avail; q++) {
			if (((unsigned char)*q & 0xc0) == 0x80)
				continue;
			if (*q == ' ')
				brk = q;
			cols++;
		}
		if (*q == '\0' && cols <= avail) {
			fprintf(fp, "%s\n", p);
			return;
		}
		if (brk == NULL || brk == p) {
			/* No space to break at: cut at avail columns. */
			for (q = p, cols = 0; *q != '\0'; q++)
				if (((unsigned char)*q & 0xc0) != 0x80 &&
				    cols++ == avail)
					break;
			brk = q;
		}
		fprintf(fp, "%.*s\n%*s", (int)(brk - p), p, (int)indent, "");
		p = brk;
		while (*p == ' ')
			p++;
	}
}

/*
 * Print the pairs, keys padded to the longest, values wrapped to width
 * (0: not wrapped).
 */
void
ctl_kv_print(const struct ctl_kv *kv, FILE *fp, size_t width)
{
	size_t	i, kw = 0, avail;

	for (i = 0; i < kv->n; i++)
		if (ctl_fmt_width(kv->keys[i]) > kw)
			kw = ctl_fmt_width(kv->keys[i]);
	avail = width > kw + CTL_FMT_GAP + 20 ? width - kw - CTL_FMT_GAP : 20;
	if (width == 0)
		avail = SIZE_MAX;
	for (i = 0; i < kv->n; i++) {
		fprintf(fp, "%s%*s", kv->keys[i],
		    (int)(kw - ctl_fmt_width(kv->keys[i]) + CTL_FMT_GAP), "");
		ctl_kv_wrap(kv->values[i], kw + CTL_FMT_GAP, avail, fp);
	}
}

/* Print the pairs on stdout as the run asks: "key<TAB>value", or aligned. */
void
ctl_kv_show(const struct ctl *ctl, const struct ctl_kv *kv)
{
	size_t	i;

	if (!ctl->tsv) {
		ctl_kv_print(kv, stdout, ctl->width);
		return;
	}
	for (i = 0; i < kv->n; i++)
		printf("%s\t%s\n", kv->keys[i], kv->values[i]);
}

void
ctl_kv_free(struct ctl_kv *kv)
{
	size_t	i;

	if (kv == NULL)
		return;
	for (i = 0; i < kv->n; i++) {
		free(kv->keys[i]);
		free(kv->values[i]);
	}
	free(kv->keys);
	free(kv->values);
	free(kv);
}

/* Draw "  12/40 [######      ]" on stderr; callers check it is a tty. */
void
ctl_progress(size_t done, size_t total, size_t width)
{
	size_t	bar, fill, i;
	int	digits;

	if (total == 0)
		return;
	digits = snprintf(NULL, 0, "%zu", total);
	bar = width > (size_t)digits * 2 + 14 ? width - digits * 2 - 4 : 10;
	if (bar > 50)
		bar = 50;
	fill = bar * (done > total ? total : done) / total;
	fprintf(stderr, "\r%*zu/%zu [", digits, done, total);
	for (i = 0; i < bar; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fputc(']', stderr);
	fflush(stderr);
	ctl_progress_shown = 1;
}

/*
 * Show text as the progress line on stderr, cut to width columns, in place
 * of the last one; callers check stderr is a terminal.
 */
void
ctl_progress_line(const char *text, size_t width)
{
	char	*s;

	s = ctl_fmt_clean(text, width > 1 ? width - 1 : 0);
	fprintf(stderr, "\r%s\033[K", s);
	fflush(stderr);
	free(s);
	ctl_progress_shown = 1;
}

/* Erase the progress bar, if one is shown. */
void
ctl_progress_clear(void)
{
	if (!ctl_progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	ctl_progress_shown = 0;
}

/*
 * Print text from the server (a manifest) line by line, each line cleaned
 * as ctl_fmt_clean() does; a form feed (a page break) is kept if pages,
 * else it becomes a blank line.  A last line without a newline gets one.
 */
void
ctl_fmt_text(const char *text, FILE *fp, int pages)
{
	const char	*p = text, *nl;
	char		*line, *s;

	while (*p != '\0') {
		for (; *p == '\f'; p++)
			fputs(pages ? "\f" : "\n", fp);
		if (*p == '\0')
			break;
		nl = strchr(p, '\n');
		line = nl != NULL ? xstrndup(p, nl - p) : xstrdup(p);
		s = ctl_fmt_clean(line, 0);
		fprintf(fp, "%s\n", s);
		free(s);
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/*
 * Print v as JSON and a newline: indented, or one line if compact.  Keys
 * keep the server's order; reals get 15 significant digits, enough to give
 * back the decimal the server sent.  Returns 0, or -1 on a write error.
 */
int
ctl_json_print(const json_t *v, FILE *fp, int compact)
{
	size_t	flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15);

	flags |= compact ? JSON_COMPACT : JSON_INDENT(2);
	if (json_dumpf(v, fp, flags) == -1 || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}

/* o[key] if it is a string, else NULL; borrowed from o. */
const char *
ctl_json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * Any JSON value as text for a table: strings as they are, numbers
 * shortest, null or absent as "-", an array of those joined by commas
 * ("repair,reuse"), anything else as compact JSON.  Allocated.
 */
char *
ctl_json_text(const json_t *v)
{
	const json_t	*e;
	char		*s, *one, *tmp;
	size_t		 i;

	if (json_is_array(v) && json_array_size(v) > 0) {
		s = xstrdup("");
		json_array_foreach(v, i, e) {
			if (json_is_array(e) || json_is_object(e)) {
				free(s);
				goto dump;
			}
			one = ctl_json_text(e);
			xasprintf(&tmp, "%s%s%s", s, i ? "," : "", one);
			free(one);
			free(s);
			s = tmp;
		}
		return s;
	}

	if (v == NULL || json_is_null(v))
		return xstrdup("-");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v)) {
		xasprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return s;
	}
	if (json_is_real(v)) {
		xasprintf(&s, "%.15g", json_real_value(v));
		return s;
	}
dump:
	if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
		fatalx("ctl_json_text: out of memory");
	return s;
}
