/*
 * ctl-input.c -- unit tests of how "pickups submit" splits its input
 * (ctl_pickups_input in src/ctl-pickups.c): one object, an array, JSON
 * lines, pretty-printed objects one after another, and the errors.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "tap.h"

static json_t *
input(const char *text, char **cause)
{
	*cause = NULL;
	return ctl_pickups_input(text, strlen(text), "in", cause);
}

/* The references of the values in a, comma separated. */
static char *
refs(const json_t *a)
{
	static char	 buf[256];
	const json_t	*v;
	size_t		 i;

	buf[0] = '\0';
	json_array_foreach(a, i, v) {
		const char	*r = json_string_value(json_object_get(v,
		    "reference"));

		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    i ? "," : "", r ? r : "?");
	}
	return buf;
}

int
main(void)
{
	json_t	*a;
	char	*cause;

	a = input("{\"reference\":\"r1\",\"items\":[]}", &cause);
	is_str(refs(a), "r1", "one object");
	json_decref(a);

	a = input("\n[ {\"reference\":\"r1\"},\n {\"reference\":\"r2\"} ]\n",
	    &cause);
	is_str(refs(a), "r1,r2", "an array");
	json_decref(a);

	a = input("{\"reference\":\"r1\"}\n{\"reference\":\"r2\"}\r\n"
	    "{\"reference\":\"r3\"}", &cause);
	is_str(refs(a), "r1,r2,r3", "JSON lines, CRLF and no final newline");
	json_decref(a);

	a = input("{\n  \"reference\": \"r1\"\n}\n{\n  \"reference\": \"r2\""
	    "\n}\n", &cause);
	is_str(refs(a), "r1,r2", "pretty objects one after another");
	json_decref(a);

	a = input("[{\"reference\":\"r1\"}]{\"reference\":\"r2\"}", &cause);
	is_str(refs(a), "r1,r2", "an array then an object");
	json_decref(a);

	a = input("[1, \"two\"]", &cause);
	ok(a != NULL && json_array_size(a) == 2,
	    "values that are not objects pass through (submit refuses them)");
	json_decref(a);

	a = input("{\"reference\":\"r1\"}\n{\"reference\":\"r2\"}\n"
	    "{\"reference\": r3}\n", &cause);
	ok(a == NULL, "a syntax error");
	ok(cause != NULL && strncmp(cause, "in:3: ", 6) == 0,
	    "is reported at its line");
	if (cause != NULL && strncmp(cause, "in:3: ", 6) != 0)
		printf("#   %s\n", cause);
	free(cause);

	a = input("{\n\"reference\":\n\"r1\",\n}", &cause);
	ok(a == NULL && cause != NULL && strncmp(cause, "in:4: ", 6) == 0,
	    "an error inside a multi-line object is at its own line");
	free(cause);

	a = input(" \n\t\n", &cause);
	ok(a == NULL, "blank input");
	is_str(cause, "in: no pickups in it", "says so");
	free(cause);

	a = input("[]", &cause);
	ok(a == NULL, "an empty array");
	free(cause);

	a = input("42", &cause);
	ok(a == NULL && cause != NULL, "a bare number is not a pickup");
	free(cause);

	a = input("{\"reference\":\"r1\"} junk", &cause);
	ok(a == NULL && cause != NULL, "junk after an object");
	free(cause);
	return tap_done();
}
