/*
 * fuzz-pickup.c -- fuzz the submission path: UTF-8 check, JSON parse and
 * pickup_validate, as the daemon runs them on every POST /v1/pickups body.
 *
 * With --enable-fuzzing (clang) this is a libFuzzer target.  Otherwise it
 * is a bounded, deterministic smoke test for make check: every seed in
 * tests/data/fuzz-pickup/ and a fixed number of byte-level mutations of
 * them go through the path; the test fails on a crash (or, under
 * sanitizers, on any memory error) and checks that a rejected body leaves
 * nothing allocated in the result.
 */
#include "config.h"

#include <dirent.h>
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

#ifndef RECIRC_LIBFUZZER
#include "tap.h"

static uint64_t fz_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
fz_rand(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return fz_state;
}

/* Mutate buf in place a few times: flip, insert-as-overwrite, truncate. */
static size_t
fz_mutate(uint8_t *buf, size_t len, size_t cap)
{
	static const char *const tokens[] = { "\"", "{", "}", "[", "]", ",",
	    ":", "null", "-1", "1e999", "\\u0000", "\xff", "\xc0\xaf", "0.5",
	    "\"items\"", "\"quantity\"", "[]", "{}", "true", "9999999999" };
	const char	*tok;
	int		 n = 1 + fz_rand() % 4, k;
	size_t		 at, tl;

	for (k = 0; k < n && len > 0; k++) {
		at = fz_rand() % len;
		switch (fz_rand() % 3) {
		case 0:
			buf[at] ^= 1u << (fz_rand() % 8);
			break;
		case 1:
			tok = tokens[fz_rand() % 20];
			tl = strlen(tok);
			if (at + tl < cap) {
				memcpy(buf + at, tok, tl);
				if (at + tl > len)
					len = at + tl;
			}
			break;
		default:
			len = at + 1;
			break;
		}
	}
	return len;
}

int
main(int argc, char *argv[])
{
	const char	*top = getenv("top_srcdir");
	char		 dir[1024];
	DIR		*d;
	struct dirent	*de;
	uint8_t		 seed[8192], buf[8192];
	size_t		 len, mlen;
	char		 path[1024];
	FILE		*f;
	int		 seeds = 0, i;
	long		 runs = 0;

	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else
		snprintf(dir, sizeof(dir), "%s/tests/data/fuzz-pickup",
		    top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		printf("1..0 # SKIP no seed corpus at %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		len = fread(seed, 1, sizeof(seed), f);
		fclose(f);
		seeds++;
		LLVMFuzzerTestOneInput(seed, len);
		for (i = 0; i < 3000; i++, runs++) {
			memcpy(buf, seed, len);
			mlen = fz_mutate(buf, len, sizeof(buf));
			LLVMFuzzerTestOneInput(buf, mlen);
		}
	}
	closedir(d);
	ok(seeds > 0, "seed corpus has %d inputs", seeds);
	ok(1, "%ld mutated submissions went through validation unharmed",
	    runs);
	catalogue_free(fz_catalogue);
	return tap_done();
}
#endif
