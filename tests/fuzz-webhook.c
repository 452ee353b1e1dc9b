/*
 * fuzz-webhook.c -- fuzz webhook registrations as POST /v1/webhooks runs
 * them (UTF-8 check, JSON parse, wh_parse for an operator and for an
 * admin), and the stored event list's parser on the raw bytes.
 *
 * A libFuzzer target (fuzz-main.c drives it under make check).  Beyond
 * not crashing: an accepted registration has an http(s) URL, a secret of
 * the allowed length, at least one event and an operator (the caller's,
 * for an operator), and its events survive the stored text's round trip
 * and the API's JSON; a refused one is a 4xx with a code and leaves
 * nothing allocated.  Corpus tests/data/fuzz-webhook/, dictionary
 * tests/data/fuzz-webhook.dict.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_one(json_t *in, enum role role, const char *caller)
{
	struct webhook		w;
	struct api_error	e;
	json_t			*out;
	char			*text;

	memset(&e, 0, sizeof(e));
	if (wh_parse(in, role, caller, &w, &e) == -1) {
		if (w.url != NULL || w.secret != NULL || w.operator != NULL ||
		    e.status < 400 || e.status > 499 || e.code[0] == '\0')
			abort();
		return;
	}
	if ((strncmp(w.url, "http://", 7) != 0 &&
	    strncmp(w.url, "https://", 8) != 0) ||
	    strlen(w.secret) < WH_SECRET_MIN ||
	    strlen(w.secret) > WH_SECRET_MAX || w.events == 0 ||
	    (role != ROLE_ADMIN && strcmp(w.operator, caller) != 0))
		abort();
	text = wh_events_text(w.events);
	if (wh_events_parse(text) != w.events)
		abort();
	x_free(text);
	if ((out = wh_json(&w)) == NULL ||
	    json_object_get(out, "secret") != NULL)
		abort();
	json_decref(out);
	webhook_clear(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t	*in;
	char	*s;

	s = xstrndup((const char *)data, size);
	(void)wh_events_parse(s);
	x_free(s);
	if (!utf8_valid((const char *)data, size) || (in = json_loadb(
	    (const char *)data, size, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	fz_one(in, ROLE_OPERATOR, "council-a");
	fz_one(in, ROLE_ADMIN, "root");
	json_decref(in);
	return 0;
}
