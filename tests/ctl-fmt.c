/*
 * ctl-fmt.c -- unit tests of what recircctl prints for people
 * (src/ctl-fmt.c): cleaning server text for a terminal, widths in UTF-8,
 * tables fitted to 80 columns or printed whole, TSV, COLUMNS, wrapped
 * key/value blocks, short durations,
 * date windows and server text (a manifest) printed line by line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "tap.h"

static char *
cleaned(const char *s, size_t max)
{
	static char	 buf[256];
	char		*c = ctl_fmt_clean(s, max);

	snprintf(buf, sizeof(buf), "%s", c);
	free(c);
	return buf;
}

static void
test_clean(void)
{
	is_int(ctl_fmt_width("Straße"), 6, "width counts code points");
	is_str(cleaned("a\tb\nc\r", 0), "a b c ", "tabs, line ends: spaces");
	is_str(cleaned("\033[2Jgone", 0), "?[2Jgone", "ESC is defused");
	is_str(cleaned("x\xc2\x9by", 0), "x?y", "C1 CSI is defused");
	is_str(cleaned("x\x7fy", 0), "x?y", "DEL");
	is_str(cleaned("bad\xff\xfe", 0), "bad??", "bytes that are not UTF-8");
	is_str(cleaned("\xe2\x82", 0), "??", "a cut sequence");
	is_str(cleaned("Straße", 0), "Straße", "UTF-8 kept");
	is_str(cleaned("abcdefghij", 8), "abcde...", "cut to 8 with ...");
	is_str(cleaned("abcdefgh", 8), "abcdefgh", "fits exactly");
	is_str(cleaned("Straßenbahnhof", 7), "Stra...", "cut by code points");
	is_int(ctl_fmt_width(cleaned("ßßßßßßßßßß", 6)), 6, "6 columns of ß");
	is_str(cleaned("abcdef", 3), "abc", "too narrow for ...");
}

static void
test_small(void)
{
	char	*s;

	s = ctl_fmt_duration(45);
	is_str(s, "45s", "seconds");
	free(s);
	s = ctl_fmt_duration(187);
	is_str(s, "3m 07s", "minutes");
	free(s);
	s = ctl_fmt_duration(7380);
	is_str(s, "2h 03m", "hours");
	free(s);
	s = ctl_fmt_duration(360000);
	is_str(s, "4d 04h", "days");
	free(s);
	s = ctl_fmt_window("2026-12-01", "2026-12-01");
	is_str(s, "2026-12-01", "one day");
	free(s);
	s = ctl_fmt_window("2026-12-01", "2026-12-05");
	is_str(s, "2026-12-01..12-05", "same year");
	free(s);
	s = ctl_fmt_window("2026-12-30", "2027-01-02");
	is_str(s, "2026-12-30..2027-01-02", "across a year");
	free(s);
	s = ctl_fmt_window("2026-12-30", NULL);
	is_str(s, "2026-12-30..", "open end");
	free(s);
	s = ctl_fmt_window(NULL, NULL);
	is_str(s, "-", "no window");
	free(s);
}

static char *
render_table(const struct ctl_table *t, size_t width)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	ctl_table_print(t, fp, width, 0);
	fclose(fp);
	return buf;
}

/* Every line of s at most width columns? */
static int
fits(const char *s, size_t width)
{
	char	*copy = xstrdup(s), *line, *p = copy;
	int	 good = 1;

	while ((line = strsep(&p, "\n")) != NULL)
		if (ctl_fmt_width(line) > width)
			good = 0;
	free(copy);
	return good;
}

static void
test_table(void)
{
	static const struct ctl_col	 cols[] = {
		{ "ID", 1, 0 }, { "NAME", 0, 1 }, { "STATUS", 0, 0 },
		{ "WHERE", 0, 1 }
	};
	struct ctl_table		*t = ctl_table_new(cols, 4);
	size_t				 w[4];
	char				*out;

	ctl_table_cell(t, "%d", 7);
	ctl_table_cell(t, "sofa");
	ctl_table_cell(t, "received");
	ctl_table_cell(t, "Straße 1");
	ctl_table_cell(t, "%d", 1234);
	ctl_table_cell(t, "x");
	ctl_table_cell(t, "cancelled");
	ctl_table_cell(t, "2 High St");
	is_int(ctl_table_rows(t), 2, "two rows");
	out = render_table(t, 80);
	is_str(out,
	    "  ID  NAME  STATUS     WHERE\n"
	    "   7  sofa  received   Straße 1\n"
	    "1234  x     cancelled  2 High St\n",
	    "aligned, numbers right, last column unpadded");
	free(out);
	ctl_table_free(t);

	t = ctl_table_new(cols, 4);
	ctl_table_cell(t, "1");
	ctl_table_cell(t, "%s", "a-reference-that-goes-on-and-on-for-ever-"
	    "and-then-some-more");
	ctl_table_cell(t, "received");
	ctl_table_cell(t, "%s", "Flat 3, 1 Very Long Street Name, Some Town, "
	    "Some County, AB1 2CD");
	ctl_table_widths(t, 80, w);
	ok(w[0] + w[1] + w[2] + w[3] + 6 <= 80, "widths fit 80 columns");
	is_int(w[2], 8, "fixed columns keep their width");
	out = render_table(t, 80);
	ok(fits(out, 80), "every line fits 80 columns");
	ok(strstr(out, "...") != NULL, "cut cells end in ...");
	free(out);
	out = render_table(t, 30);
	ok(fits(out, 30), "and 30 columns, flexible ones at their minimum");
	free(out);
	ctl_table_free(t);

	t = ctl_table_new(cols, 4);
	ctl_table_cell(t, "1");
	ctl_table_cell(t, "\033[31mred");
	ctl_table_cell(t, "ok");
	ctl_table_cell(t, "a\nb");
	out = render_table(t, 80);
	ok(strchr(out, '\033') == NULL, "no escape reaches the terminal");
	ok(strstr(out, "a b\n") != NULL, "a newline inside a cell is a space");
	free(out);
	ctl_table_free(t);
}

static void
test_kv(void)
{
	struct ctl_kv	*kv = ctl_kv_new();
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp = open_memstream(&buf, &len);

	ctl_kv_add(kv, "id", "%d", 12);
	ctl_kv_add(kv, "reference", "ticket-1");
	ctl_kv_add(kv, "notes", "%s", "side gate, ring twice; the dog is "
	    "friendly but loud, and the sofa is on the second floor with a "
	    "narrow staircase");
	ctl_kv_print(kv, fp, 60);
	fclose(fp);
	ok(strncmp(buf, "id         12\nreference  ticket-1\nnotes      side "
	    "gate,", 52) == 0, "keys padded to the longest");
	ok(fits(buf, 60), "values wrapped to the width");
	ok(strstr(buf, "\n           ") != NULL, "continuations indented");
	ok(strstr(buf, "narrow staircase\n") != NULL, "nothing lost");
	free(buf);
	ctl_kv_free(kv);
}

static void
test_json(void)
{
	json_t	*o = json_pack("{s:i, s:f, s:s, s:n, s:[i], s:[s,s], s:[{}]}",
	    "i", 12, "r", 51.5, "s", "x", "n", "a", 1, "st", "repair", "reuse",
	    "ao");
	char	*s, *buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	s = ctl_json_text(json_object_get(o, "i"));
	is_str(s, "12", "integer");
	free(s);
	s = ctl_json_text(json_object_get(o, "r"));
	is_str(s, "51.5", "real");
	free(s);
	s = ctl_json_text(json_object_get(o, "n"));
	is_str(s, "-", "null");
	free(s);
	s = ctl_json_text(json_object_get(o, "missing"));
	is_str(s, "-", "absent");
	free(s);
	s = ctl_json_text(json_object_get(o, "a"));
	is_str(s, "1", "an array of one number");
	free(s);
	s = ctl_json_text(json_object_get(o, "st"));
	is_str(s, "repair,reuse", "an array of strings, joined");
	free(s);
	s = ctl_json_text(json_object_get(o, "ao"));
	is_str(s, "[{}]", "an array of objects as JSON");
	free(s);
	json_decref(o);

	o = json_pack("{s:f, s:i}", "lon", -0.12, "id", 3);
	fp = open_memstream(&buf, &len);
	ctl_json_print(o, fp, 1);
	fclose(fp);
	is_str(buf, "{\"lon\":-0.12,\"id\":3}\n",
	    "compact JSON keeps the order and the decimal");
	free(buf);
	json_decref(o);
}

/* ctl_fmt_text() into memory; a static copy. */
static char *
text(const char *in, int pages)
{
	static char	 out[512];
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp;

	fp = open_memstream(&buf, &len);
	ctl_fmt_text(in, fp, pages);
	fclose(fp);
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

static void
test_text(void)
{
	is_str(text("a\nb\n", 0), "a\nb\n", "lines kept as they are");
	is_str(text("a\nb", 0), "a\nb\n", "a last line gets its newline");
	is_str(text("p1\n\fp2\n", 1), "p1\n\fp2\n",
	    "a page break is kept for a printer");
	is_str(text("p1\n\fp2\n", 0), "p1\n\np2\n",
	    "and is a blank line on a terminal");
	is_str(text("x\033[2Jy\tz\n", 0), "x?[2Jy z\n",
	    "each line is cleaned for the terminal");
	is_str(text("", 0), "", "nothing in, nothing out");
}

/*
 * Off a terminal a table is printed whole (width 0), or as TSV; on one,
 * COLUMNS decides the width (issue 12: tables were cut to 80 columns in
 * a pipe, and COLUMNS was ignored).
 */
static void
test_width(void)
{
	static const struct ctl_col	 cols[] = {
		{ "ID", 1, 0 }, { "WHERE", 0, 1 }
	};
	static const char		 addr[] = "Flat 3, 1 Very Long Street "
	    "Name, Some Town, Some County, AB1 2CD, United Kingdom";
	struct ctl_table		*t = ctl_table_new(cols, 2);
	char				*out, *buf = NULL;
	size_t				 len = 0;
	FILE				*fp;

	ctl_table_cell(t, "%d", 1);
	ctl_table_cell(t, "%s", addr);
	ctl_table_cell(t, "%d", 22);
	ctl_table_cell(t, "tab\there");
	out = render_table(t, 0);
	ok(strstr(out, addr) != NULL, "width 0: the long cell is whole");
	ok(!fits(out, 80), "and wider than 80 columns");
	free(out);
	out = render_table(t, 60);
	ok(fits(out, 60) && strstr(out, "...") != NULL,
	    "width 60: cut to fit");
	free(out);
	fp = open_memstream(&buf, &len);
	ctl_table_tsv(t, fp);
	fclose(fp);
	is_str(buf, "ID\tWHERE\n1\tFlat 3, 1 Very Long Street Name, Some "
	    "Town, Some County, AB1 2CD, United Kingdom\n22\ttab here\n",
	    "TSV: titles, then rows, cells whole, a tab in a cell a space");
	free(buf);
	ctl_table_free(t);

	is_int(ctl_fmt_columns("132", 100), 132, "COLUMNS beats the tty");
	is_int(ctl_fmt_columns(NULL, 100), 100, "else the tty's width");
	is_int(ctl_fmt_columns("", 0), 80, "else 80");
	is_int(ctl_fmt_columns("wide", 0), 80, "COLUMNS not a number: 80");
	is_int(ctl_fmt_columns("5", 90), 90, "nor believed when tiny");
}

/* The progress line of plan run/show --wait (issue 12). */
static void
test_progress(void)
{
	static const struct {
		const char	*json, *want, *what;
	} cases[] = {
		{ "{\"id\":7,\"state\":\"queued\"}", "plan 7  queued  "
		    "no cost yet", "queued: the state" },
		{ "{\"id\":7,\"state\":\"running\",\"phase\":\"location\","
		    "\"best_cost\":1234.5,\"elapsed_s\":3,\"remaining_s\":"
		    "65}", "plan 7  location  best cost 1234.50  1m 05s left",
		    "location: best cost, time left to the deadline" },
		{ "{\"id\":7,\"state\":\"running\",\"phase\":\"routing\","
		    "\"best_cost\":99,\"remaining_s\":0}", "plan 7  routing  "
		    "best cost 99.00  0s left", "routing" },
		{ "{\"id\":8,\"state\":\"running\",\"phase\":\"saving\","
		    "\"best_cost\":99,\"elapsed_s\":12}", "plan 8  saving  "
		    "best cost 99.00  elapsed 12s",
		    "saving: no deadline, the time elapsed" },
	};
	json_t	*p;
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = json_loads(cases[i].json, 0, NULL);
		s = ctl_plans_progress_text(p);
		is_str(s, cases[i].want, "progress: %s", cases[i].what);
		free(s);
		json_decref(p);
	}
}

int
main(void)
{
	test_progress();
	test_clean();
	test_width();
	test_small();
	test_table();
	test_kv();
	test_json();
	test_text();
	return tap_done();
}
