/*
 * store-rows.c -- free the plain C rows every storage engine returns.
 *
 * Their own file, not store.c's tail: the engines (store-sqlite.c, the
 * PostgreSQL one) free half-built rows on error, and store.c calls the
 * engines, so helpers in store.c made the two call each other in a
 * circle.  Now store.c -> engine -> store-rows.c runs one way.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recircd.h"

void
pickup_row_clear(struct pickup_row *r)
{
	x_free(r->operator);
	x_free(r->reference);
	x_free(r->body);
	memset(r, 0, sizeof(*r));
}

void
pickup_rows_free(struct pickup_row *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		pickup_row_clear(&r[i]);
	x_free(r);
}

void
pickup_events_free(struct pickup_event *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		x_free(e[i].actor);
		x_free(e[i].detail);
	}
	x_free(e);
}

void
token_rows_free(struct token_row *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		x_free(t[i].operator);
	x_free(t);
}

void
plan_row_clear(struct plan_row *p)
{
	x_free(p->phase);
	x_free(p->trigger);
	x_free(p->requested_by);
	x_free(p->reason);
	x_free(p->kpis);
	x_free(p->changes);
	memset(p, 0, sizeof(*p));
}

void
plan_rows_free(struct plan_row *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		plan_row_clear(&p[i]);
	x_free(p);
}

void
route_rows_free(struct route_row *r, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < r[i].nstops; k++) {
			x_free(r[i].stops[k].reference);
			x_free(r[i].stops[k].body);
		}
		x_free(r[i].stops);
		x_free(r[i].geometry);
	}
	x_free(r);
}
