/*
 * ctl-input.c -- unit tests of how "pickups submit" splits its input
 * (ctl_pickups_input in src/ctl-pickups.c): one object, an array, JSON
 * lines, pretty-printed objects one after another, and the errors; and
 * how "pickups collected --weights" reads a crew's weights
 * (ctl_weights_parse).
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

/* The weights of text as "id=kg,id=kg", or the error. */
static char *
weights(const char *text)
{
	static char		 buf[512];
	struct ctl_weight	*w;
	char			*cause = NULL;
	size_t			 n, i;

	if ((w = ctl_weights_parse(text, strlen(text), "w", &n,
	    &cause)) == NULL) {
		snprintf(buf, sizeof(buf), "%s", cause ? cause : "NULL");
		free(cause);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    "%s%ld=%g", i ? "," : "", w[i].id, w[i].kg);
	free(w);
	return buf;
}

static void
test_weights(void)
{
	is_str(weights("12 31.5\n13\t8\n"), "12=31.5,13=8",
	    "weights: blanks or a tab between id and kg");
	is_str(weights("pickup,weight_kg\r\n12,31.5\r\n13,8"),
	    "12=31.5,13=8", "weights: CSV with a header, CRLF, no last newline");
	is_str(weights("Pickup ID;kg\n12;31,5\n13;8;;\n"), "12=31.5,13=8",
	    "weights: semicolons, a decimal comma, empty columns at the end");
	is_str(weights("# van 1\n\n  12\t31,5\n"), "12=31.5",
	    "weights: comments, blank lines, a tab and a decimal comma");
	is_str(weights("12 31,5\n13  8,25\n"), "12=31.5,13=8.25",
	    "weights: blanks, then a decimal comma");
	is_str(weights("12,31,5\n"), "w:1: expected a pickup id and its "
	    "weight in kg", "weights: a decimal comma where commas separate");
	is_str(weights("12 31.5\nid 4\n"), "w:2: \"id\" is not a pickup id",
	    "weights: a header only on the first line");
	is_str(weights("12 31.5\n13 0\n"), "w:2: \"0\" is not a weight in kg "
	    "over 0", "weights: a weight of 0");
	is_str(weights("12 inf\n"), "w:1: \"inf\" is not a weight in kg "
	    "over 0", "weights: inf");
	is_str(weights("12 31.5kg\n"), "w:1: \"31.5kg\" is not a weight in "
	    "kg over 0", "weights: a unit after the number");
	is_str(weights("12\n"), "w:1: expected a pickup id and its weight in "
	    "kg", "weights: an id alone");
	is_str(weights("12 3 4\n"), "w:1: expected a pickup id and its weight "
	    "in kg", "weights: three fields");
	is_str(weights("-3 4\n"), "w:1: \"-3\" is not a pickup id",
	    "weights: a negative id");
	is_str(weights("12 4\n# again\n12 5\n"), "w:3: pickup 12 is on line 1 "
	    "already", "weights: an id twice");
	is_str(weights("# nothing\n\n"), "w: no pickups in it",
	    "weights: nothing in it");
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

	test_weights();
	return tap_done();
}
