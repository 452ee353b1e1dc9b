/*
 * unit-jsonw.c -- the streaming JSON writer: structure, commas, escaping,
 * numbers; every output is parsed back with jansson to prove it is JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

static char *
fixed(double d, int dec)
{
	struct jsonw	w;

	jw_init(&w);
	jw_fixed(&w, d, dec);
	return jw_take(&w);
}

static void
check_fixed(double d, int dec, const char *want)
{
	char	*got = fixed(d, dec);

	is_str(got, want, "jw_fixed(%.10g, %d)", d, dec);
	free(got);
}

int
main(void)
{
	struct jsonw	 w;
	char		*s;
	json_t		*v;

	jw_init(&w);
	jw_object(&w);
	jw_key(&w, "a");
	jw_int(&w, -42);
	jw_key(&w, "b");
	jw_array(&w);
	jw_string(&w, "x");
	jw_null(&w);
	jw_object(&w);
	jw_object_end(&w);
	jw_array(&w);
	jw_array_end(&w);
	jw_array_end(&w);
	jw_key(&w, "c");
	jw_string(&w, "q\"b\\s\n\t\x01\x1f caf\xc3\xa9");
	jw_key(&w, "d");
	jw_fixed(&w, 51.4002, 6);
	jw_key(&w, "e");
	jw_json(&w, "[1,2]", 5);
	jw_object_end(&w);
	s = jw_take(&w);
	is_str(s, "{\"a\":-42,\"b\":[\"x\",null,{},[]],\"c\":\"q\\\"b\\\\s\\n\\t"
	    "\\u0001\\u001f caf\xc3\xa9\",\"d\":51.4002,\"e\":[1,2]}",
	    "nested structure, commas and escapes");
	v = json_loads(s, 0, NULL);
	ok(v != NULL, "the output parses as JSON");
	is_str(json_string_value(json_object_get(v, "c")),
	    "q\"b\\s\n\t\x01\x1f caf\xc3\xa9", "the string round-trips");
	json_decref(v);
	free(s);

	check_fixed(0, 6, "0.0");
	check_fixed(-0.12, 6, "-0.12");
	check_fixed(51.400199999999998, 6, "51.4002");
	check_fixed(45, 3, "45.0");
	check_fixed(1.23456789, 4, "1.2346");
	check_fixed(-0.0000001, 6, "0.0");
	check_fixed(179.9999999, 6, "180.0");
	check_fixed(0.05, 3, "0.05");
	s = fixed(1e12, 3);
	v = json_loads(s, JSON_DECODE_ANY, NULL);
	ok(v != NULL && json_is_real(v) && json_real_value(v) == 1e12,
	    "out-of-range values fall back to %%g and stay numbers");
	json_decref(v);
	free(s);

	jw_init(&w);
	jw_int(&w, -9223372036854775807LL - 1);
	s = jw_take(&w);
	is_str(s, "-9223372036854775808", "the smallest integer");
	free(s);
	return tap_done();
}
