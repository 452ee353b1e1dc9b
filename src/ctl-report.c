/*
 * ctl-report.c -- "recircctl report": what the crews reported over a span
 * of days (GET /v1/reports/field), for a council's returns.
 *
 * A key and value block (the period, collected, not collected and why,
 * sorted, the rates), then a table of the sorted pickups per stream with
 * their kg and share of the kg; --tsv gives that table alone for a
 * spreadsheet, each row with the period and operator, --json the
 * server's answer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const char *const ctl_report_streams[] = { "repair", "reuse",
	"recycle", "dispose", NULL };
static const char *const ctl_report_codes[] = { "not_out", "no_access",
	"contaminated", "overweight", NULL };

static int	ctl_report_run(struct ctl *, const struct ctl_cmdargs *);

enum { O_FROM = 1, O_TO, O_OPERATOR };
static const struct ctl_opt ctl_report_opts[] = {
	{ O_FROM, 'f', "from", 1 },
	{ O_TO, 0, "to", 1 },
	{ O_OPERATOR, 'o', "operator", 1 },
	{ 0, 0, NULL, 0 }
};

const struct ctl_cmd ctl_report_cmds[] = {
	{ "report", NULL, "[--from DAY] [--to DAY] [--operator NAME]", "what "
	    "the crews collected and sorted (this month by default)", 1,
	    { ctl_report_opts, 0, 0, NULL, NULL }, ctl_report_run },
	{ NULL, NULL, NULL, NULL, 0, { NULL, 0, 0, NULL, NULL }, NULL }
};

/* A share (0.55) as "55%", or "-" for null; allocated. */
static char *
ctl_report_pct(const json_t *v)
{
	char	*s;

	if (!json_is_number(v))
		return xstrdup("-");
	xasprintf(&s, "%.0f%%", 100 * json_number_value(v));
	return s;
}

static json_int_t
ctl_report_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The key and value block. */
static void
ctl_report_kv(struct ctl *ctl, const json_t *b)
{
	struct ctl_kv	*kv = ctl_kv_new();
	const json_t	*kg = json_object_get(b, "sorted_kg_by_stream"),
			*codes = json_object_get(b, "not_collected_by_code");
	char		*why = xstrdup(""), *s[4];
	double		 sorted_kg = 0;
	size_t		 i;

	ctl_kv_add(kv, "period", "%s to %s, %s",
	    ctl_json_str(b, "from") ? ctl_json_str(b, "from") : "?",
	    ctl_json_str(b, "to") ? ctl_json_str(b, "to") : "?",
	    ctl_json_str(b, "operator") ? ctl_json_str(b, "operator") :
	    "all operators");
	ctl_kv_add(kv, "collected", "%" JSON_INTEGER_FORMAT " pickup%s, %.1f "
	    "kg weighed", ctl_report_int(b, "collected"),
	    ctl_report_int(b, "collected") == 1 ? "" : "s",
	    json_number_value(json_object_get(b, "collected_kg")));
	for (i = 0; ctl_report_codes[i] != NULL; i++)
		if (ctl_report_int(codes, ctl_report_codes[i]) > 0)
			xappendf(&why, "%s%s %" JSON_INTEGER_FORMAT,
			    *why ? ", " : ": ", ctl_report_codes[i],
			    ctl_report_int(codes, ctl_report_codes[i]));
	ctl_kv_add(kv, "not collected", "%" JSON_INTEGER_FORMAT "%s",
	    ctl_report_int(b, "not_collected"), why);
	for (i = 0; ctl_report_streams[i] != NULL; i++)
		sorted_kg += json_number_value(json_object_get(kg,
		    ctl_report_streams[i]));
	ctl_kv_add(kv, "sorted", "%" JSON_INTEGER_FORMAT " pickup%s, %.1f kg "
	    "weighed", ctl_report_int(b, "sorted"), ctl_report_int(b,
	    "sorted") == 1 ? "" : "s", sorted_kg);
	s[0] = ctl_report_pct(json_object_get(b, "diversion_rate"));
	s[1] = ctl_report_pct(json_object_get(b, "diversion_rate_kg"));
	s[2] = ctl_report_pct(json_object_get(b, "reuse_rate"));
	s[3] = ctl_report_pct(json_object_get(b, "repair_rate"));
	/* of the sorted ones: from disposal, to reuse, to repair */
	ctl_kv_add(kv, "diverted", "%s of pickups, %s of kg; reuse %s, repair "
	    "%s", s[0], s[1], s[2], s[3]);
	for (i = 0; i < 4; i++)
		free(s[i]);
	free(why);
	ctl_kv_show(ctl, kv);
	ctl_kv_free(kv);
}

/*
 * The streams table: pickups, kg and share of the kg sorted.  With --tsv
 * each row starts with the period and the operator ("" for all), so that
 * a month's file says which month it is and months can be put together.
 */
static void
ctl_report_table(struct ctl *ctl, const json_t *b)
{
	static const struct ctl_col cols[] = { { "FROM", 0, 0 },
	    { "TO", 0, 0 }, { "OPERATOR", 0, 0 }, { "STREAM", 0, 0 },
	    { "PICKUPS", 1, 0 }, { "KG", 1, 0 }, { "SHARE OF KG", 1, 0 } };
	const json_t		*n = json_object_get(b, "sorted_by_stream"),
				*kg = json_object_get(b, "sorted_kg_by_stream");
	const struct ctl_col	*c = ctl->tsv ? cols : cols + 3;
	struct ctl_table	*t = ctl_table_new(c, ctl->tsv ? 7 : 4);
	const char		*from = ctl_json_str(b, "from"),
				*to = ctl_json_str(b, "to"),
				*op = ctl_json_str(b, "operator");
	double			 total = 0, w;
	size_t			 i;

	for (i = 0; ctl_report_streams[i] != NULL; i++)
		total += json_number_value(json_object_get(kg,
		    ctl_report_streams[i]));
	for (i = 0; ctl_report_streams[i] != NULL; i++) {
		w = json_number_value(json_object_get(kg,
		    ctl_report_streams[i]));
		if (ctl->tsv) {
			ctl_table_cell(t, "%s", from ? from : "");
			ctl_table_cell(t, "%s", to ? to : "");
			ctl_table_cell(t, "%s", op ? op : "");
		}
		ctl_table_cell(t, "%s", ctl_report_streams[i]);
		ctl_table_cell(t, "%" JSON_INTEGER_FORMAT,
		    ctl_report_int(n, ctl_report_streams[i]));
		ctl_table_cell(t, "%.1f", w);
		if (total > 0)
			ctl_table_cell(t, "%.0f%%", 100 * w / total);
		else
			ctl_table_cell(t, "-");
	}
	ctl_table_show(ctl, t);
	ctl_table_free(t);
}

static int
ctl_report_run(struct ctl *ctl, const struct ctl_cmdargs *ca)
{
	static const char *const names[] = { "from", "to", "operator" };
	const int		 ids[] = { O_FROM, O_TO, O_OPERATOR };
	struct ctl_reply	 r;
	char			*path = xstrdup("/v1/reports/field"), *e;
	char			*cause = NULL;
	size_t			 i;
	int			 rc, sep = '?';

	for (i = 0; i < 3; i++) {
		if (ca->opt[ids[i]] == NULL)
			continue;
		e = ctl_http_escape(ca->opt[ids[i]]);
		xappendf(&path, "%c%s=%s", sep, names[i], e);
		free(e);
		sep = '&';
	}
	rc = ctl_http_get(ctl->http, path, &r, &cause);
	free(path);
	if (rc != CTL_EXIT_OK)
		ctl_failed(rc, cause, NULL);
	else if (ctl->json)
		ctl_json_print(r.body, stdout, 0);
	else {
		if (!ctl->tsv) {
			ctl_report_kv(ctl, r.body);
			printf("\n");
		}
		ctl_report_table(ctl, r.body);
	}
	ctl_reply_clear(&r);
	return rc;
}
