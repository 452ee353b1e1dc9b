/*
 * unit-pickup.c -- submission validation, classification, dates, UTF-8.
 *
 * The table of bad submissions here is the unit-level twin of the daemon
 * test's bad-input table: each row must fail with the given code and field.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

#define GOOD "{\"reference\":\"t-1\",\"location\":{\"lat\":51.5,\"lon\":-0.12," \
	"\"address\":\"1 High St\"},\"window\":{\"from\":\"2026-12-01\"," \
	"\"to\":\"2026-12-05\"},\"time_windows\":[{\"start\":\"08:00\"," \
	"\"end\":\"12:00\"}],\"items\":[{\"category\":\"sofa\",\"quantity\":1," \
	"\"weight_kg\":45,\"volume_m3\":1.2,\"condition\":\"repairable\"}]," \
	"\"notes\":\"side gate\"}"

static struct catalogue	*cl;
static struct pickup_limits lim;

static int
validate(const char *text, struct pickup_new *p, struct api_error *e)
{
	json_t	*in = json_loads(text, 0, NULL);
	int	 rc;

	memset(p, 0, sizeof(*p));
	memset(e, 0, sizeof(*e));
	if (in == NULL) {
		printf("# test JSON does not parse: %s\n", text);
		return -2;
	}
	rc = pickup_validate(in, cl, &lim, p, e);
	json_decref(in);
	return rc;
}

static void
test_good(void)
{
	struct pickup_new	 p, q;
	struct api_error	 e;
	json_t			*doc;

	ok(validate(GOOD, &p, &e) == 0, "the documented example validates");
	is_str(p.reference, "t-1", "reference kept");
	is_dbl(p.lat, 51.5, 1e-12, "lat kept");
	is_str(p.window_from, "2026-12-01", "window kept");
	doc = json_loads(p.body, 0, NULL);
	is_str(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "items"), 0), "condition")), "repairable",
	    "canonical body has the item");
	is_int(json_array_size(json_object_get(json_array_get(
	    json_object_get(doc, "items"), 0), "streams")), 3,
	    "repairable sofa: repair, recycle, dispose");
	json_decref(doc);
	/* Same content, other key order and spacing: same hash. */
	ok(validate("{ \"notes\":\"side gate\", \"items\":[{\"condition\":"
	    "\"repairable\",\"volume_m3\":1.2,\"weight_kg\":45,\"quantity\":1,"
	    "\"category\":\"sofa\"}], \"time_windows\":[{\"end\":\"12:00\","
	    "\"start\":\"08:00\"}], \"window\":{\"to\":\"2026-12-05\","
	    "\"from\":\"2026-12-01\"}, \"location\":{\"address\":\"1 High St\","
	    "\"lon\":-0.12,\"lat\":51.5}, \"reference\":\"t-1\"}", &q, &e) == 0,
	    "reordered example validates");
	is_str(p.body, q.body, "key order does not change the canonical body");
	pickup_new_clear(&q);
	ok(validate("{\"reference\":\"t-1\",\"location\":{\"lat\":51.5,"
	    "\"lon\":-0.12},\"window\":{\"from\":\"2026-12-01\",\"to\":"
	    "\"2026-12-05\"},\"items\":[{\"category\":\"fridge_freezer\","
	    "\"quantity\":2}]}", &q, &e) == 0, "minimal pickup validates");
	ok(strcmp(p.body, q.body) != 0, "different body, other canonical text");
	doc = json_loads(q.body, 0, NULL);
	is_dbl(json_real_value(json_object_get(json_array_get(json_object_get(
	    doc, "items"), 0), "weight_kg")), 55, 1e-9,
	    "missing weight takes the catalogue's");
	json_decref(doc);
	pickup_new_clear(&q);
	pickup_new_clear(&p);
}

struct bad {
	const char	*what;
	const char	*from, *to;	/* replace in GOOD */
	int		 status;
	const char	*code, *field;
};

static const struct bad bad_cases[] = {
	{ "not an object", NULL, "[1,2]", 400, "wrong_type", "" },
	{ "missing reference", "\"reference\":\"t-1\",", "", 422,
	    "missing_field", "reference" },
	{ "reference wrong type", "\"t-1\"", "17", 422, "wrong_type",
	    "reference" },
	{ "empty reference", "\"t-1\"", "\"\"", 422, "out_of_range",
	    "reference" },
	{ "lat too big", "51.5", "91", 422, "out_of_range", "location.lat" },
	{ "lon too small", "-0.12", "-180.5", 422, "out_of_range",
	    "location.lon" },
	{ "lat as string", "51.5", "\"51.5\"", 422, "wrong_type",
	    "location.lat" },
	{ "missing location", "\"location\":{\"lat\":51.5,\"lon\":-0.12,"
	    "\"address\":\"1 High St\"},", "", 422, "missing_field",
	    "location" },
	{ "unknown category", "\"sofa\"", "\"spaceship\"", 422,
	    "unknown_category", "items[0].category" },
	{ "unknown condition", "\"repairable\"", "\"sparkling\"", 422,
	    "unknown_condition", "items[0].condition" },
	{ "negative quantity", "\"quantity\":1", "\"quantity\":-1", 422,
	    "out_of_range", "items[0].quantity" },
	{ "fractional quantity", "\"quantity\":1", "\"quantity\":1.5", 422,
	    "wrong_type", "items[0].quantity" },
	{ "absurd quantity", "\"quantity\":1", "\"quantity\":100000", 422,
	    "out_of_range", "items[0].quantity" },
	{ "negative weight", "\"weight_kg\":45", "\"weight_kg\":-3", 422,
	    "out_of_range", "items[0].weight_kg" },
	{ "absurd weight", "\"weight_kg\":45", "\"weight_kg\":1e9", 422,
	    "out_of_range", "items[0].weight_kg" },
	{ "zero volume", "\"volume_m3\":1.2", "\"volume_m3\":0", 422,
	    "out_of_range", "items[0].volume_m3" },
	{ "inverted window", "\"to\":\"2026-12-05\"", "\"to\":\"2026-11-30\"",
	    422, "invalid_window", "window" },
	{ "past window", "\"from\":\"2026-12-01\",\"to\":\"2026-12-05\"",
	    "\"from\":\"2020-01-01\",\"to\":\"2020-01-05\"", 422,
	    "invalid_window", "window.to" },
	{ "bad date", "\"2026-12-05\"", "\"2026-02-30\"", 422, "invalid_value",
	    "window.to" },
	{ "time window inverted", "\"end\":\"12:00\"", "\"end\":\"07:00\"", 422,
	    "invalid_window", "time_windows[0]" },
	{ "time window garbage", "\"08:00\"", "\"8am\"", 422,
	    "invalid_window", "time_windows[0]" },
	{ "empty items", "[{\"category\":\"sofa\",\"quantity\":1,"
	    "\"weight_kg\":45,\"volume_m3\":1.2,\"condition\":\"repairable\"}]",
	    "[]", 422, "out_of_range", "items" },
	{ "items not array", "[{\"category\":\"sofa\",\"quantity\":1,"
	    "\"weight_kg\":45,\"volume_m3\":1.2,\"condition\":\"repairable\"}]",
	    "{}", 422, "wrong_type", "items" },
	{ "unknown field", "\"notes\":", "\"colour\":\"red\",\"notes\":", 422,
	    "unknown_field", "colour" },
	{ "unknown item field", "\"quantity\":1", "\"quantity\":1,\"x\":2",
	    422, "unknown_field", "items[0].x" },
	{ "notes wrong type", "\"side gate\"", "[]", 422, "wrong_type",
	    "notes" },
	{ "control char in reference", "\"t-1\"", "\"t\\u0001\"", 422,
	    "invalid_value", "reference" },
};

/* Replace the first occurrence of from in GOOD by to. */
static char *
mutate(const char *from, const char *to)
{
	const char	*at;
	char		*out;

	if (from == NULL)
		return xstrdup(to);
	if ((at = strstr(GOOD, from)) == NULL)
		fatalx("test case pattern %s not in GOOD", from);
	xasprintf(&out, "%.*s%s%s", (int)(at - GOOD), GOOD, to,
	    at + strlen(from));
	return out;
}

static void
test_bad(void)
{
	struct pickup_new	 p;
	struct api_error	 e;
	size_t			 i;
	char			*text;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *b = &bad_cases[i];

		text = mutate(b->from, b->to);
		ok(validate(text, &p, &e) == -1, "%s is rejected", b->what);
		is_int(e.status, b->status, "%s: status", b->what);
		is_str(e.code, b->code, "%s: code", b->what);
		is_str(e.field, b->field, "%s: field", b->what);
		ok(p.body == NULL && p.reference == NULL,
		    "%s: nothing half-made", b->what);
		x_free(text);
	}
}

static void
test_too_many_items(void)
{
	struct pickup_new	 p;
	struct api_error	 e;
	char			*text, *items = xstrdup("");
	char			*next;
	int			 i;

	for (i = 0; i < 51; i++) {
		xasprintf(&next, "%s%s{\"category\":\"chair\",\"quantity\":1}",
		    items, i ? "," : "");
		x_free(items);
		items = next;
	}
	xasprintf(&text, "{\"reference\":\"m\",\"location\":{\"lat\":1,"
	    "\"lon\":1},\"window\":{\"from\":\"2026-12-01\",\"to\":"
	    "\"2026-12-02\"},\"items\":[%s]}", items);
	ok(validate(text, &p, &e) == -1 && strcmp(e.code, "too_many_items") ==
	    0, "51 items > max_items 50 is too_many_items");
	x_free(items);
	x_free(text);
}

static void
test_classify(void)
{
	const struct category	*sofa = catalogue_find(cl, "sofa");
	const struct category	*mat = catalogue_find(cl, "mattress");
	unsigned		 s;

	ok(sofa != NULL && mat != NULL, "default catalogue has sofa, mattress");
	s = classify_item(sofa, COND_BROKEN);
	is_int(s, (1 << STREAM_RECYCLE) | (1 << STREAM_DISPOSE),
	    "broken sofa: recycle or dispose");
	s = classify_item(sofa, COND_WORKING);
	ok(s & (1 << STREAM_REUSE), "working sofa may be reused");
	s = classify_item(mat, COND_REPAIRABLE);
	ok(!(s & (1 << STREAM_REPAIR)), "mattresses are never repaired");
	ok(s & (1 << STREAM_DISPOSE), "dispose is always possible");
	ok(catalogue_find(cl, "spaceship") == NULL, "unknown category");
	is_int(stream_parse("reuse"), STREAM_REUSE, "stream names parse");
	is_int(condition_parse("broken"), COND_BROKEN, "condition names parse");
}

static void
test_dates(void)
{
	char	 d[11];
	int64_t	 t;

	is_int(date_to_days("1970-01-01"), 0, "epoch is day 0");
	is_int(date_to_days("2000-03-01"), 11017, "2000-03-01");
	ok(date_to_days("2024-02-29") > 0, "leap day");
	ok(date_to_days("2023-02-29") < 0, "no leap day in 2023");
	ok(date_to_days("2026-1-01") < 0, "strict format");
	days_to_date(date_to_days("2026-12-31"), d);
	is_str(d, "2026-12-31", "days_to_date inverts date_to_days");
	ok(time_parse("2026-11-29T12:00:00Z", &t) == 0 &&
	    t == date_to_days("2026-11-29") * 86400 + 43200, "time_parse");
	ok(time_parse("2026-11-29T25:00:00Z", &t) == -1, "bad hour");
}

static void
test_utf8(void)
{
	ok(utf8_valid("caf\xc3\xa9", 5), "valid 2-byte sequence");
	ok(!utf8_valid("caf\xe9", 4), "latin-1 byte is not UTF-8");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong encoding rejected");
	ok(!utf8_valid("\xed\xa0\x80", 3), "surrogate rejected");
	ok(!utf8_valid("\xe2\x82", 2), "truncated sequence rejected");
	ok(utf8_valid("\xf0\x9f\x9a\xb2", 4), "4-byte emoji valid");
}

static void
test_utf8_sanitize(void)
{
	struct api_error	e;
	char			s[64], big[600];
	size_t			i;

	strcpy(s, "caf\xc3\xa9");
	ok(strcmp(utf8_sanitize(s), "caf\xc3\xa9") == 0, "valid text kept");
	strcpy(s, "bad \xff byte");
	ok(strcmp(utf8_sanitize(s), "bad ? byte") == 0, "a stray byte is ?");
	strcpy(s, "cut \xc3");
	ok(strcmp(utf8_sanitize(s), "cut ") == 0, "a cut sequence at the end is dropped");
	strcpy(s, "cut \xf0\x9f\x9a");
	ok(strcmp(utf8_sanitize(s), "cut ") == 0, "a cut 4-byte sequence too");
	strcpy(s, "\xc3 x");
	ok(strcmp(utf8_sanitize(s), "? x") == 0, "a cut sequence inside is ?");
	strcpy(s, "\xc0\xaf\xed\xa0\x80");
	utf8_sanitize(s);
	ok(utf8_valid(s, strlen(s)), "overlongs and surrogates replaced");
	/* 200 x "é" into a 256-byte message: cut between characters. */
	for (i = 0; i < 200; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[400] = '\0';
	api_error_set(&e, 404, "not_found", big, "no such resource: %s", big);
	ok(utf8_valid(e.message, strlen(e.message)), "a cut message is valid UTF-8");
	ok(strlen(e.message) == 254, "cut at the last whole character (%zu)",
	    strlen(e.message));
	ok(utf8_valid(e.field, strlen(e.field)) && strlen(e.field) == 94,
	    "a cut field too (%zu)", strlen(e.field));
}

/*
 * A crew's field events move a pickup along its life and nowhere else:
 * every (event, status) pair against the one table of what applies.
 */
static void
test_field_to(void)
{
	static const struct {
		enum field_kind		kind;
		enum pickup_status	from;
		int			to;
	} want[] = {
		{ FIELD_COLLECTED, PICKUP_RECEIVED, PICKUP_COLLECTED },
		{ FIELD_COLLECTED, PICKUP_SCHEDULED, PICKUP_COLLECTED },
		{ FIELD_NOT_COLLECTED, PICKUP_SCHEDULED, PICKUP_RECEIVED },
		{ FIELD_SORTED, PICKUP_COLLECTED, PICKUP_SORTED },
	};
	enum field_kind	k;
	int		s, i, expect, bad = 0, good = 0;

	for (k = FIELD_COLLECTED; k <= FIELD_SORTED; k++)
		for (s = 0; s < PICKUP_STATUS_COUNT; s++) {
			expect = -1;
			for (i = 0; i < (int)(sizeof(want) / sizeof(want[0]));
			    i++)
				if (want[i].kind == k && want[i].from == s)
					expect = want[i].to;
			if (pickup_field_to(k, s) != expect) {
				printf("# field event %d on %s: %d, want %d\n",
				    (int)k, pickup_status_name(s),
				    pickup_field_to(k, s), expect);
				bad++;
			} else if (expect >= 0)
				good++;
		}
	is_int(bad, 0, "field events apply where they should, nowhere else");
	is_int(good, 4, "the four moves a crew makes");
}

/* Amend GOOD's canonical form with patch: 0 or -1, *changed as text. */
static int
amend(const char *patch, struct pickup_new *q, char **changed, int *replan,
    struct api_error *e)
{
	struct pickup_new	 p;
	json_t			*in;
	unsigned		 set = 0;
	int			 rc;

	if (validate(GOOD, &p, e) != 0)
		return -2;
	in = json_loads(patch, 0, NULL);
	memset(q, 0, sizeof(*q));
	rc = pickup_amend(p.body, in, cl, &lim, q, &set, e);
	*changed = rc == 0 ? pickup_members_text(set) : NULL;
	*replan = (set & PM_PLANNED) != 0;
	json_decref(in);
	pickup_new_clear(&p);
	return rc;
}

static void
test_amend(void)
{
	struct pickup_new	 q, p;
	struct api_error	 e;
	char			*changed = NULL;
	int			 replan;
	json_t			*doc;

	ok(amend("{\"notes\":\"back door\"}", &q, &changed, &replan,
	    &e) == 0, "amend: new notes");
	is_str(changed, "notes", "amend: the notes changed");
	is_int(replan, 0, "amend: notes alone do not replan");
	doc = json_loads(q.body, 0, NULL);
	is_str(json_string_value(json_object_get(doc, "notes")), "back door",
	    "amend: the new notes are in the document");
	is_int(json_array_size(json_object_get(json_array_get(
	    json_object_get(doc, "items"), 0), "streams")), 3,
	    "amend: the items keep their derived streams");
	json_decref(doc);
	pickup_new_clear(&q);
	free(changed);

	ok(amend("{}", &q, &changed, &replan, &e) == 0 && *changed == '\0' &&
	    replan == 0, "amend: an empty patch changes nothing");
	ok(validate(GOOD, &p, &e) == 0 && strcmp(p.body, q.body) == 0,
	    "amend: and gives the canonical document back as it was");
	pickup_new_clear(&p);
	pickup_new_clear(&q);
	free(changed);

	ok(amend("{\"location\":{\"address\":\"1 Mill Lane\"},"
	    "\"window\":{\"to\":\"2026-12-09\"},\"notes\":null}", &q,
	    &changed, &replan, &e) == 0, "amend: nested members and a null");
	is_str(changed, "location, window, notes", "amend: in document order");
	is_int(replan, 1, "amend: a new window replans");
	is_dbl(q.lat, 51.5, 1e-12, "amend: the location keeps its lat");
	is_str(q.window_from, "2026-12-01", "amend: the window keeps its from");
	is_str(q.window_to, "2026-12-09", "amend: and takes the new to");
	doc = json_loads(q.body, 0, NULL);
	ok(json_object_get(doc, "notes") == NULL, "amend: null removes notes");
	json_decref(doc);
	pickup_new_clear(&q);
	free(changed);

	ok(amend("{\"reference\":\"t-2\"}", &q, &changed, &replan, &e) ==
	    -1 && e.status == 422 && strcmp(e.field, "reference") == 0,
	    "amend: the reference cannot change");
	ok(amend("{\"reference\":\"t-1\"}", &q, &changed, &replan, &e) ==
	    0 && *changed == '\0', "amend: the same reference is no change");
	pickup_new_clear(&q);
	free(changed);
	ok(amend("{\"window\":null}", &q, &changed, &replan, &e) == -1 &&
	    e.status == 422, "amend: a required member cannot go");
	ok(amend("{\"items\":[{\"category\":\"sofa\",\"quantity\":1,"
	    "\"streams\":[\"reuse\"]}]}", &q, &changed, &replan, &e) == -1,
	    "amend: streams are derived, not given");
	ok(amend("[]", &q, &changed, &replan, &e) == -1 && e.status == 400,
	    "amend: a patch that is not an object");
}

int
main(void)
{
	cl = catalogue_default();
	lim.max_items = 50;
	lim.max_window_days = 90;
	lim.today = date_to_days("2026-11-29");
	test_good();
	test_bad();
	test_too_many_items();
	test_classify();
	test_dates();
	test_utf8();
	test_utf8_sanitize();
	test_field_to();
	test_amend();
	catalogue_free(cl);
	return tap_done();
}
