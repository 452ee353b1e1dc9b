/*
 * utf8.c -- check and repair UTF-8 text.
 *
 * Pure.  JSON strings must be valid UTF-8, and jansson refuses to encode
 * anything else, so every text that reaches a reply or the store from
 * outside our control -- bytes a client sent (a path, a query value, a
 * field name echoed in an error), a message cut to fit a fixed buffer, a
 * child process's stderr -- goes through utf8_sanitize first.  The HTTP
 * layer, the validators and the planner all call it; none of them may
 * hand invalid text onwards.
 */
#include "config.h"

#include <string.h>

#include "recirc.h"

/*
 * Length of the well-formed UTF-8 sequence at s[0..len): 1 to 4 bytes
 * (no overlongs, no surrogates, nothing above U+10FFFF); 0 when the bytes
 * there are not one; -1 when they are the valid beginning of a sequence
 * that the end of the buffer cuts short.
 */
static int
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned	cp;
	size_t		n, k;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 1;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 2;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 3;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (k = 1; k <= n; k++) {
		if (k >= len)
			return -1;
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
	    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return (int)n + 1;
}

/* 1 when buf[0..len) is well-formed UTF-8 without overlongs/surrogates. */
int
utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	size_t			 i = 0;
	int			 n;

	while (i < len) {
		if ((n = utf8_seq(s + i, len - i)) <= 0)
			return 0;
		i += n;
	}
	return 1;
}

/*
 * Make the NUL-terminated s valid UTF-8 in place: a sequence cut short at
 * the very end (as by snprintf into a fixed buffer) is dropped, any other
 * byte that does not begin a well-formed sequence becomes '?'.  Returns
 * s.  The result is never longer than the input.
 */
char *
utf8_sanitize(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 len = strlen(s), i = 0;
	int		 n;

	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (n > 0) {
			i += n;
			continue;
		}
		if (n < 0) {
			p[i] = '\0';
			break;
		}
		p[i++] = '?';
	}
	return s;
}
