/*
 * fuzz-open311.c -- fuzz the Open311 submission path: the form parser,
 * the GeoReport-to-pickup translation and pickup_validate, as the daemon
 * runs them on every POST /open311/v2/requests.json body; and the
 * date-time parser of its filters on the same bytes.
 *
 * A libFuzzer target (fuzz-main.c drives it under make check).  Beyond
 * not crashing: a parsed form has named, distinct, valid UTF-8 fields; a
 * refused form is empty; a form the translation refuses gets a 400; one
 * it accepts becomes a pickup or a 4xx, never anything else.  Corpus
 * tests/data/fuzz-open311/, dictionary tests/data/fuzz-open311.dict.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct catalogue	*fz_catalogue;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pickup_limits	 lim = { 50, 90, 20786 };
	struct o311_form	 f;
	struct pickup_new	 p;
	struct api_error	 e;
	const char		*why;
	json_t			*doc;
	int64_t			 t;
	char			*s;
	size_t			 i, k;

	if (fz_catalogue == NULL)
		fz_catalogue = catalogue_default();
	s = xstrndup((const char *)data, size);
	(void)o311_datetime(s, &t);
	x_free(s);
	if (o311_form_parse((const char *)data, size, &f, &why) == -1) {
		if (f.n != 0 || f.f != NULL || why == NULL)
			abort();
		return 0;
	}
	for (i = 0; i < f.n; i++) {
		if (f.f[i].key[0] == '\0' ||
		    !utf8_valid(f.f[i].key, strlen(f.f[i].key)) ||
		    !utf8_valid(f.f[i].value, strlen(f.f[i].value)))
			abort();
		for (k = 0; k < i; k++)
			if (strcmp(f.f[i].key, f.f[k].key) == 0)
				abort();
	}
	doc = o311_pickup(&f, fz_catalogue, lim.today, lim.max_window_days,
	    &e);
	o311_form_clear(&f);
	if (doc == NULL) {
		if (e.status != 400 || e.message[0] == '\0')
			abort();
		return 0;
	}
	memset(&p, 0, sizeof(p));
	if (pickup_validate(doc, fz_catalogue, &lim, &p, &e) == -1 &&
	    (p.body != NULL || e.status < 400 || e.status > 499))
		abort();
	pickup_new_clear(&p);
	json_decref(doc);
	return 0;
}
