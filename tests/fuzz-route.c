/*
 * fuzz-route.c -- fuzz the routing benchmark readers (fmt-cvrplib.c,
 * fmt-solomon.c, fmt-prodhon.c, fmt-vroom.c), one program each: the
 * Makefile builds this file as fuzz-cvrplib, fuzz-solomon, fuzz-prodhon
 * and fuzz-vroom with FZ_READER set to 1..4.  Beyond not crashing: a
 * refused file says why; an accepted instance has depots first, n =
 * ndepot + ncust nodes, a vehicle type, and a matrix of non-negative
 * costs (the engine's searches assume them).
 */
#include "config.h"

#include "recircd.h"
#include "route.h"
#include "fuzz.h"

#ifndef FZ_READER
#error FZ_READER must be 1 (cvrplib), 2 (solomon), 3 (prodhon) or 4 (vroom)
#endif

static struct route_inst *
fz_read(FILE *fp, int mode, char **cause)
{
#if FZ_READER == 1
	return fmt_cvrplib_read(fp, cause);
#elif FZ_READER == 2
	return fmt_solomon_read(fp, cause);
#elif FZ_READER == 3
	/* Prodhon, Tuzun-Burke, and told apart by the trailing flag. */
	return fmt_prodhon_read(fp, mode - 1, cause);
#else
	return fmt_vroom_read(fp, cause);
#endif
}

static void
fz_check(const struct route_inst *in)
{
	int	i, j;

	if (in->ndepot < 1 || in->ncust < 0 || in->n != in->ndepot +
	    in->ncust || in->nvtype < 1 || in->node == NULL ||
	    in->dist == NULL) {
		fprintf(stderr, "fuzz-route: malformed instance\n");
		abort();
	}
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->n; j++)
			if (in->dist[(size_t)i * in->n + j] < 0) {
				fprintf(stderr, "fuzz-route: arc %d-%d costs "
				    "%lld\n", i, j, (long long)
				    in->dist[(size_t)i * in->n + j]);
				abort();
			}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_inst	*in;
	FILE			*fp;
	char			*cause = NULL;
	int			 mode, modes = FZ_READER == 3 ? 3 : 1;

	for (mode = 0; mode < modes; mode++) {
		if ((fp = fz_stream(data, size)) == NULL)
			abort();
		in = fz_read(fp, mode, &cause);
		fclose(fp);
		if (in == NULL) {
			if (cause == NULL || *cause == '\0')
				abort();
			free(cause);
			cause = NULL;
			continue;
		}
		fz_check(in);
		route_inst_free(in);
	}
	return 0;
}
