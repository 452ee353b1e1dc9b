/*
 * fuzz-pickup.c -- fuzz the submission path: UTF-8 check, JSON parse and
 * pickup_validate, as the daemon runs them on every POST /v1/pickups body.
 *
 * A libFuzzer target (fuzz-main.c drives it under make check).  Beyond
 * not crashing: a valid body's canonical form is valid JSON again, and a
 * rejected body leaves nothing allocated in the result and a 4xx error
 * with a code.  Corpus tests/data/fuzz-pickup/, dictionary
 * tests/data/fuzz-pickup.dict.
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
	struct pickup_new	 p;
	struct api_error	 e;
	json_t			*in;

	if (fz_catalogue == NULL)
		fz_catalogue = catalogue_default();
	if (!utf8_valid((const char *)data, size))
		return 0;
	if ((in = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	memset(&p, 0, sizeof(p));
	if (pickup_validate(in, fz_catalogue, &lim, &p, &e) == 0) {
		/* A valid body's canonical form must itself be valid JSON. */
		json_t *again = json_loads(p.body, 0, NULL);

		if (again == NULL)
			abort();
		json_decref(again);
	} else if (p.body != NULL || p.reference != NULL ||
	    e.status < 400 || e.status > 499 || e.code[0] == '\0')
		abort();
	pickup_new_clear(&p);
	json_decref(in);
	return 0;
}
