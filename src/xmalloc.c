/*
 * xmalloc.c -- allocation that cannot fail.
 *
 * Running out of memory is a broken invariant for a daemon of this size, so
 * these wrappers end the process with a message rather than letting every
 * caller invent a recovery path; so is a size that overflows, since every
 * count from outside is bounded before it is allocated for.  x_free(NULL)
 * is harmless.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		fatalx("xcalloc: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu x %zu overflows", nmemb, size);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = realloc(ptr, nmemb * size)) == NULL)
		fatalx("xreallocarray: out of memory allocating %zu x %zu "
		    "bytes", nmemb, size);
	return p;
}

/*
 * Room in ptr (cap elements of size bytes, *cap updated) for element n,
 * the next to append: the capacity doubles (from 16) when full, so that
 * appending n elements one at a time copies O(n) bytes, not O(n^2).
 */
void *
xgrowarray(void *ptr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return ptr;
	if (*cap > SIZE_MAX / 2)
		fatalx("xgrowarray: %zu elements overflow", *cap);
	*cap = *cap < 16 ? 16 : 2 * *cap;
	if (*cap <= n)
		*cap = n + 1;
	return xreallocarray(ptr, *cap, size);
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatalx("xstrdup: out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		fatalx("xstrndup: out of memory");
	return p;
}

/* Allocating printf; the result is the caller's. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatalx("xasprintf: out of memory");
	return n;
}

/*
 * Append printf output to the growing text *text (NULL: empty); returns
 * its length.  For replies built a line at a time (manifests, metrics).
 */
size_t
xappendf(char **text, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 have = *text != NULL ? strlen(*text) : 0;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("xappendf: bad format");
	*text = xreallocarray(*text, have + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(*text + have, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return have + (size_t)n;
}

void
x_free(void *p)
{
	free(p);
}
