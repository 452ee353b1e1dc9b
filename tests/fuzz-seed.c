/*
 * fuzz-seed.c -- fuzz the network seed JSON (network_seed_parse, which
 * "recircd seed FILE" runs, and whose per-object parsers serve the admin
 * API's POST and PUT bodies).  Beyond not crashing: a refused seed gets a
 * 4xx error with a code that encodes as JSON; every object of an accepted
 * seed encodes (network_json) and that encoding parses again.
 */
#include "config.h"

#include "recircd.h"
#include "fuzz.h"

/* The error must reach a client as a JSON body: a 4xx with a code. */
static void
fz_error_ok(const struct api_error *e)
{
	json_t	*j;
	char	*s;

	if (e->status < 400 || e->status > 499 || e->code[0] == '\0')
		abort();
	if ((j = api_error_json(e)) == NULL || (s = json_dumps(j, 0)) == NULL)
		abort();
	free(s);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct network		 n;
	struct api_error	 e;
	union net_object	 back;
	json_t			*in, *j;
	size_t			 i;
	int			 k;

	if ((in = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	memset(&e, 0, sizeof(e));
	if (network_seed_parse(in, &n, &e) == -1)
		fz_error_ok(&e);
	else {
		for (k = 0; k < NET_KIND_COUNT; k++)
			for (i = 0; i < network_count(&n, k); i++) {
				if ((j = network_json(k,
				    network_item(&n, k, i))) == NULL)
					abort();
				memset(&e, 0, sizeof(e));
				if (network_parse(k, j, NULL, &back, &e) == -1) {
					fprintf(stderr, "%s: %s\n", e.field,
					    e.message);
					abort();
				}
				json_decref(j);
			}
	}
	network_clear(&n);
	json_decref(in);
	return 0;
}
