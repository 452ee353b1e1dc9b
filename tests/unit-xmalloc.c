/*
 * unit-xmalloc.c -- xgrowarray(), the one way a list appended to one
 * element at a time grows: every element appended is kept, the capacity
 * always covers the next one, and it grows by doubling, so that 100,000
 * appends reallocate a few dozen times, not 100,000 (roads.c kept 62,250
 * road legs one realloc at a time: quadratic copying).
 */
#include "config.h"

#include <stdlib.h>

#include "recirc.h"
#include "tap.h"

int
main(void)
{
	size_t	 cap = 0, old, i, n = 100000, grows = 0, kept = 0;
	size_t	 covered = 0;
	int	*a = NULL;

	for (i = 0; i < n; i++) {
		old = cap;
		a = xgrowarray(a, &cap, i, sizeof(*a));
		grows += cap != old;
		covered += cap > i;
		a[i] = (int)(i * 7 + 1);
	}
	for (i = 0; i < n; i++)
		kept += a[i] == (int)(i * 7 + 1);
	is_int((int)kept, (int)n, "every one of %zu elements appended is kept", n);
	is_int((int)covered, (int)n, "the capacity covers each next element");
	ok(grows <= 20, "the array grew %zu times for %zu appends", grows, n);
	ok(cap < 2 * n + 16, "and holds at most twice what it needs (%zu)",
	    cap);
	/* a capacity set by hand smaller than the element: grows past it */
	cap = 1;
	a = xgrowarray(a, &cap, 1000, sizeof(*a));
	a[1000] = 5;
	ok(cap > 1000 && a[1000] == 5, "a jump past the capacity is covered");
	free(a);
	return tap_done();
}
