/*
 * fuzz-catalogue.c -- fuzz catalogue.conf (catalogue_load in classify.c),
 * which recircd reads at start and on SIGHUP.  Beyond not crashing: a
 * failure says why; a loaded catalogue has categories, each found by its
 * own name, each with at least one stream for some condition, and its
 * numbers within the documented ranges.
 */
#include "config.h"

#include "recircd.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalogue	*cl;
	const struct category	*cat;
	char			*cause = NULL;
	unsigned		 any;
	size_t			 i;
	int			 c;

	if ((cl = catalogue_load(fz_path(data, size), &cause)) == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		return 0;
	}
	if (cl->ncats == 0)
		abort();
	for (i = 0; i < cl->ncats; i++) {
		cat = &cl->cats[i];
		if (catalogue_find(cl, cat->name) != cat)
			abort();
		if (!(cat->weight_kg > 0) || !(cat->volume_m3 > 0))
			abort();
		for (any = 0, c = 0; c < COND_COUNT; c++)
			any |= classify_item(cat, c);
		if (any == 0)
			abort();
	}
	catalogue_free(cl);
	return 0;
}
