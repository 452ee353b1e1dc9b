/*
 * store-rows.c -- free the plain C rows every storage engine returns, and
 * decide what every engine decides alike (the history lines and webhook
 * events of a plan's outcome or a field event).
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
	x_free(p->region);
	x_free(p->node);
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

/*
 * A plan's outcome for a pickup of status was (with its old day, vehicle,
 * ETA and defer reason): scheduled on day by vehicle as stop seq at eta,
 * or deferred (vehicle NULL) for the reason deferred.  Returns the
 * pickup's history line (NULL: nothing changed worth one) and sets *ev
 * to what a resident would be told: a day (scheduled), another day or
 * time (moved: a new vehicle alone is not news to them), or no day for
 * now (deferred: when it loses its day or the reason changes);
 * WH_EVENT_COUNT for nothing.
 */
char *
store_plan_news(int64_t plan, int was, const char *oldday, const char *oldveh,
    const char *oldeta, const char *oldwhy, const char *day,
    const char *vehicle, int seq, const char *eta, const char *deferred,
    enum wh_event *ev)
{
	char	*detail = NULL;

	*ev = WH_EVENT_COUNT;
	if (vehicle != NULL) {
		if (was != PICKUP_SCHEDULED || strcmp(oldday, day) != 0 ||
		    strcmp(oldveh, vehicle) != 0)
			xasprintf(&detail, "plan %lld: %s, %s, stop %d, eta %s",
			    (long long)plan, day, vehicle, seq, eta);
		if (was != PICKUP_SCHEDULED)
			*ev = WH_SCHEDULED;
		else if (strcmp(oldday, day) != 0 || strcmp(oldeta, eta) != 0)
			*ev = WH_MOVED;
	} else {
		if (was == PICKUP_SCHEDULED)
			xasprintf(&detail, "deferred by plan %lld: %s",
			    (long long)plan, deferred);
		if (was == PICKUP_SCHEDULED || strcmp(oldwhy, deferred ?
		    deferred : "") != 0)
			*ev = WH_DEFERRED;
	}
	return detail;
}

/* The history line of a field event. */
char *
store_field_detail(enum field_kind kind, const char *code, int stream,
    double kg)
{
	char	*detail;

	if (kind == FIELD_COLLECTED && kg > 0)
		xasprintf(&detail, "collected, %.1f kg", kg);
	else if (kind == FIELD_COLLECTED)
		detail = xstrdup("collected");
	else if (kind == FIELD_NOT_COLLECTED)
		xasprintf(&detail, "not collected: %s; back to the pool", code);
	else
		xasprintf(&detail, "sorted into %s", stream_name(stream));
	return detail;
}
