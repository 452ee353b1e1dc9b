/*
 * fuzz.h -- helpers shared by the fuzz targets (tests/fuzz-*.c).
 *
 * Header-only: every target is its own program.  The parsers under test
 * read NUL-terminated text (as recirc-solve hands them), a FILE (the
 * routing readers) or a path (the configuration and the catalogue); these
 * give them the fuzzer's bytes in that form without touching the disk.
 */
#ifndef RECIRC_FUZZ_H
#define RECIRC_FUZZ_H

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* A NUL-terminated copy of the input (caller frees). */
static inline char *
fz_text(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * The input as a file: a memory file, rewritten on every call, whose
 * /proc/self/fd path is returned (static storage).
 */
static inline const char *
fz_path(const uint8_t *data, size_t size)
{
	static int	fd = -1;
	static char	path[64];

	if (fd == -1) {
		if ((fd = memfd_create("fuzz-input", 0)) == -1)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) == -1 || (size > 0 &&
	    pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

/* The input as a read-only stream (caller fcloses); NULL when empty. */
static inline FILE *
fz_stream(const uint8_t *data, size_t size)
{
	if (size == 0)
		return fopen("/dev/null", "r");
	return fmemopen((void *)data, size, "r");
}

#endif /* RECIRC_FUZZ_H */
