/*
 * fuzz-main.c -- the plain driver of the fuzz targets, for make check.
 *
 * Every tests/fuzz-NAME.c is a libFuzzer target (LLVMFuzzerTestOneInput,
 * and LLVMFuzzerInitialize when it needs set-up).  Built with
 * --enable-fuzzing, libFuzzer supplies main(); otherwise this file does:
 * it replays every file of tests/data/fuzz-NAME/ (the seed corpus and
 * the regression inputs of crashes found and fixed, crash-*) through
 * the target, then a bounded number of deterministic byte-level
 * mutations of each, so that a fixed crash stays fixed under gcc and
 * under the --enable-sanitizers build.  A crash, a sanitizer report or
 * an abort() of the target's own checks fails the test (the process
 * dies); otherwise it prints TAP.
 *
 * Usage: tests/fuzz-NAME [DIR|FILE ...]; with no argument the corpus is
 * $top_srcdir/tests/data/fuzz-NAME.  FUZZ_MUTATIONS sets the mutations
 * per input (default 200; 0 replays only).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define FZ_MAX	(256 * 1024)	/* bytes of an input read */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static uint64_t	fz_state = 0x9e3779b97f4a7c15ULL;
static long	fz_inputs, fz_runs;

static uint64_t
fz_rand(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return fz_state;
}

/*
 * Mutate buf (len bytes, room for cap) in place a few times: flip a bit,
 * overwrite with a token, insert a byte, cut; returns the new length.
 */
static size_t
fz_mutate(uint8_t *buf, size_t len, size_t cap)
{
	static const char *const tokens[] = { "\"", "{", "}", "[", "]", ",",
	    ":", "null", "-1", "1e999", "\\u0000", "\xff", "\xc0\xaf", "0.5",
	    "\n", " ", "0", "999999999999", "[]", "{}", "true", "-0", "%",
	    "\r\n", "#", "=" };
	const char	*tok;
	int		 n = 1 + fz_rand() % 4, k;
	size_t		 at, tl;

	for (k = 0; k < n && len > 0; k++) {
		at = fz_rand() % len;
		switch (fz_rand() % 4) {
		case 0:
			buf[at] ^= 1u << (fz_rand() % 8);
			break;
		case 1:
			tok = tokens[fz_rand() % (sizeof(tokens) /
			    sizeof(tokens[0]))];
			tl = strlen(tok);
			if (at + tl < cap) {
				memcpy(buf + at, tok, tl);
				if (at + tl > len)
					len = at + tl;
			}
			break;
		case 2:
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = fz_rand() & 0xff;
				len++;
			}
			break;
		default:
			len = at + 1;
			break;
		}
	}
	return len;
}

/* Run one file and its mutations through the target. */
static void
fz_file(const char *path, long mutations)
{
	static uint8_t	 seed[FZ_MAX], buf[FZ_MAX];
	FILE		*f;
	size_t		 len;
	long		 i;

	if ((f = fopen(path, "rb")) == NULL) {
		ok(0, "cannot open %s", path);
		return;
	}
	len = fread(seed, 1, sizeof(seed), f);
	fclose(f);
	fz_inputs++;
	/* A private copy, so a target reading past the end is caught. */
	memcpy(buf, seed, len);
	LLVMFuzzerTestOneInput(buf, len);
	for (i = 0; i < mutations; i++, fz_runs++) {
		memcpy(buf, seed, len);
		LLVMFuzzerTestOneInput(buf, fz_mutate(buf, len, sizeof(buf)));
	}
}

/* Every regular file of dir (or dir itself when it is a file). */
static void
fz_path(const char *dir, long mutations)
{
	struct dirent	**names;
	struct stat	 sb;
	char		 path[4096];
	int		 n, i;

	if (stat(dir, &sb) == 0 && S_ISREG(sb.st_mode)) {
		fz_file(dir, mutations);
		return;
	}
	/* Sorted, so a run is the same wherever it runs. */
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		ok(0, "cannot read %s", dir);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(path, &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			fz_file(path, mutations);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char *argv[])
{
	const char	*top = getenv("top_srcdir"), *env;
	char		 dir[4096], self[4096], *name;
	long		 mutations = 200;
	int		 i;

	snprintf(self, sizeof(self), "%s", argv[0]);
	name = basename(self);
	if ((env = getenv("FUZZ_MUTATIONS")) != NULL)
		mutations = strtol(env, NULL, 10);
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			fz_path(argv[i], mutations);
	} else {
		snprintf(dir, sizeof(dir), "%s/tests/data/%s",
		    top ? top : ".", name);
		fz_path(dir, mutations);
	}
	ok(fz_inputs > 0, "%s: %ld corpus and regression inputs replayed",
	    name, fz_inputs);
	ok(1, "%s: %ld mutations of them went through unharmed", name,
	    fz_runs);
	return tap_done();
}
