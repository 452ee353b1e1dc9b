/*
 * fuzz-pickup.c -- fuzz the submission path: UTF-8 check, JSON parse and
 * pickup_validate, as the daemon runs them on every POST /v1/pickups body;
 * and the amendment path, pickup_amend, with the input as a merge patch.
 *
 * A libFuzzer target (fuzz-main.c drives it under make check).  Beyond
 * not crashing: a valid body's canonical form is valid JSON again, and
 * amending it with an empty patch changes nothing (the canonical form is
 * a fixed point, so new notes alone never look like a new window); a
 * rejected body or patch leaves nothing allocated in the result and an
 * error with a code (4xx for a body).  Corpus tests/data/fuzz-pickup/, dictionary
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

/* A stored document to amend: a valid submission's canonical form. */
static const char fz_stored[] = "{\"reference\":\"f-1\",\"location\":"
    "{\"lat\":51.5,\"lon\":-0.12,\"address\":\"1 High St\"},\"window\":"
    "{\"from\":\"2026-11-30\",\"to\":\"2026-12-05\"},\"items\":"
    "[{\"category\":\"sofa\",\"quantity\":1}],\"notes\":\"gate\"}";

/* Amend stored with patch: 0 with the result freed, or -1 with a code. */
static int
fz_amend(const char *stored, json_t *patch, const struct pickup_limits *lim,
    unsigned *changed)
{
	struct pickup_new	 q;
	struct api_error	 e;
	int			 rc;

	memset(&q, 0, sizeof(q));
	memset(&e, 0, sizeof(e));
	rc = pickup_amend(stored, patch, fz_catalogue, lim, &q, changed, &e);
	if (rc == 0 && (q.body == NULL || *changed >= 1u << PM_COUNT))
		abort();
	if (rc != 0 && (q.body != NULL || *changed != 0 ||
	    e.code[0] == '\0'))
		abort();
	pickup_new_clear(&q);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pickup_limits	 lim = { 50, 90, 20786 };
	struct pickup_new	 p;
	struct api_error	 e;
	json_t			*in, *empty;
	char			*canon;
	unsigned		 changed = 0;

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
		/* Amending it with nothing changes nothing. */
		empty = json_object();
		canon = p.body;
		if (fz_amend(canon, empty, &lim, &changed) != 0 ||
		    changed != 0)
			abort();
		json_decref(empty);
	} else if (p.body != NULL || p.reference != NULL ||
	    e.status < 400 || e.status > 499 || e.code[0] == '\0')
		abort();
	pickup_new_clear(&p);
	/* The input as a patch of a stored pickup. */
	fz_amend(fz_stored, in, &lim, &changed);
	json_decref(in);
	return 0;
}
