/*
 * unit-catalogue-sample.c -- etc/catalogue.conf is the built-in catalogue.
 *
 * The sample file promises that "-D catalogue=etc/catalogue.conf" changes
 * nothing; this loads it and compares it, category by category and field
 * by field, with catalogue_default(), and checks that every condition
 * narrows to the same streams.  Decimal values in the file and the C
 * literals in classify.c round to the same doubles, so equality is exact.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

int
main(void)
{
	struct catalogue	*def, *file;
	const char		*top = getenv("top_srcdir");
	char			*path, *cause = NULL;
	size_t			 i;
	int			 s, c, same;

	xasprintf(&path, "%s/etc/catalogue.conf", top ? top : ".");
	def = catalogue_default();
	file = catalogue_load(path, &cause);
	if (!ok(file != NULL, "%s loads", path)) {
		printf("#   %s\n", cause);
		return tap_done();
	}
	is_int(file->ncats, def->ncats, "same number of categories");
	for (i = 0; i < def->ncats && i < file->ncats; i++) {
		const struct category *d = &def->cats[i], *f = &file->cats[i];

		is_str(f->name, d->name, "category %zu is %s", i, d->name);
		is_int(f->streams, d->streams, "%s: streams", d->name);
		ok(f->weight_kg == d->weight_kg, "%s: weight %g kg", d->name,
		    d->weight_kg);
		ok(f->volume_m3 == d->volume_m3, "%s: volume %g m3", d->name,
		    d->volume_m3);
		same = 1;
		for (s = 0; s < STREAM_COUNT; s++)
			if (f->value[s] != d->value[s]) {
				printf("#   %s: value %s %g, built-in %g\n",
				    d->name, stream_name(s), f->value[s],
				    d->value[s]);
				same = 0;
			}
		ok(same, "%s: values per kg", d->name);
		same = 1;
		for (c = 0; c < COND_COUNT; c++)
			if (classify_item(f, c) != classify_item(d, c))
				same = 0;
		ok(same, "%s: streams per condition", d->name);
	}
	catalogue_free(file);
	catalogue_free(def);
	x_free(path);
	return tap_done();
}
