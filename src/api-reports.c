/*
 * api-reports.c -- /v1/reports/field: what the crews reported over a span
 * of days, for a council's returns (tonnage per stream, reuse and
 * diversion), and the field block of a plan's KPIs, which counts the same
 * way.
 *
 * Translates only: the store reads the events (store_field_rates) and
 * pickup.c counts them (field_rates_add).  Days are the city's (the
 * timezone of recircd.conf): a day runs from its local midnight to the
 * next.  Every handler ends in exactly one reply.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "recircd.h"

#define REPORT_DAYS_MAX	366	/* a year's returns in one report */

/* A share num/den, or null when den is 0. */
static json_t *
api_share(double num, double den)
{
	return den > 0 ? json_real(num / den) : json_null();
}

/*
 * What the field reported, as JSON: counts (collected, not collected and
 * sorted, with kg and per code and stream) and the rates of the sorted
 * ones, by count (diversion_rate, reuse_rate, repair_rate: null before
 * any) and by weight (diversion_rate_kg: null before any weighed).
 */
json_t *
api_field_json(const struct field_rates *fr)
{
	json_t	*o, *by = json_object(), *kg = json_object(),
		*codes = json_object();
	double	 n = (double)fr->sorted, w = 0;
	int	 s;

	for (s = 0; s < STREAM_COUNT; s++) {
		json_object_set_new(by, stream_name(s),
		    json_integer(fr->sorted_n[s]));
		json_object_set_new(kg, stream_name(s),
		    json_real(fr->sorted_kg[s]));
		w += fr->sorted_kg[s];
	}
	for (s = 0; s < FIELD_CODE_COUNT; s++)
		json_object_set_new(codes, field_code_name(s),
		    json_integer(fr->missed[s]));
	o = json_pack("{s:I,s:I,s:o,s:f,s:I,s:o,s:o}", "collected",
	    (json_int_t)fr->collected, "not_collected",
	    (json_int_t)fr->not_collected, "not_collected_by_code", codes,
	    "collected_kg", fr->collected_kg, "sorted",
	    (json_int_t)fr->sorted, "sorted_by_stream", by,
	    "sorted_kg_by_stream", kg);
	json_object_set_new(o, "diversion_rate", api_share(n -
	    fr->sorted_n[STREAM_DISPOSE], n));
	json_object_set_new(o, "reuse_rate",
	    api_share(fr->sorted_n[STREAM_REUSE], n));
	json_object_set_new(o, "repair_rate",
	    api_share(fr->sorted_n[STREAM_REPAIR], n));
	json_object_set_new(o, "diversion_rate_kg", api_share(w -
	    fr->sorted_kg[STREAM_DISPOSE], w));
	return o;
}

/* Query day name (YYYY-MM-DD) into *day, else def; -1 after a 400. */
static int
api_report_day(struct http_req *r, const char *name, long long def,
    long long *day)
{
	const char	*v = http_query(r, name);

	*day = def;
	if (v != NULL && (strlen(v) != 10 || (*day = date_to_days(v)) < 0)) {
		http_error(r, 400, "invalid_value", name, "%s must be a day "
		    "YYYY-MM-DD", name);
		return -1;
	}
	return 0;
}

/*
 * GET /v1/reports/field?from=&to=&operator=: the field's events recorded
 * from the start of day from to the end of day to (the city's days; by
 * default this month to today), of one operator's pickups (an operator's
 * own, always) or all.
 */
void
api_report_field(struct http_req *r)
{
	struct field_filter	 f = { 0, 0, 0, NULL };
	struct field_rates	 fr;
	enum store_result	 res;
	json_t			*o;
	long long		 today, from, to;
	char			 a[11], b[11], *cause = NULL;
	const char		*op = http_query(r, "operator");

	today = time_local_day(plan_now(r->srv));
	days_to_date(today, a);
	memcpy(a + 8, "01", 2);			/* the month's first day */
	if (api_report_day(r, "from", date_to_days(a), &from) == -1 ||
	    api_report_day(r, "to", today, &to) == -1)
		return;
	if (to < from || to - from + 1 > REPORT_DAYS_MAX) {
		http_error(r, 400, "invalid_value", "to", "to must be on or "
		    "after from, and at most %d days on", REPORT_DAYS_MAX - 1);
		return;
	}
	if (op != NULL && (*op == '\0' || !utf8_valid(op, strlen(op)))) {
		http_error(r, 400, "invalid_value", "operator",
		    "operator must be a non-empty UTF-8 string");
		return;
	}
	f.from = time_local_instant(from, 0);
	f.to = time_local_instant(to + 1, 0);
	f.operator = r->role == ROLE_OPERATOR ? r->operator : op;
	res = store_field_rates(r->srv->store, &f, &fr, &cause);
	if (res != STORE_OK) {
		http_store_failed(r, res, cause);
		x_free(cause);
		return;
	}
	days_to_date(from, a);
	days_to_date(to, b);
	o = api_field_json(&fr);
	json_object_set_new(o, "from", json_string(a));
	json_object_set_new(o, "to", json_string(b));
	json_object_set_new(o, "operator", f.operator ?
	    json_string(f.operator) : json_null());
	http_reply_json(r, 200, o);
}
