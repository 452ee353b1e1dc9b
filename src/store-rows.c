/*
 * store-rows.c -- free the plain C rows every storage engine returns, and
 * decide what every engine decides alike: the news of a change to a
 * pickup (a plan's outcome, a field event, a cancel), its history line
 * and the webhook event residents' systems hear, written through the
 * engine's own two writes (struct store_teller, store-int.h).
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
#include "store-int.h"

void
pickup_row_clear(struct pickup_row *r)
{
	x_free(r->operator);
	x_free(r->reference);
	x_free(r->body);
	x_free(r->pin_by);
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
pickup_event_clear(struct pickup_event *e)
{
	x_free(e->actor);
	x_free(e->detail);
	memset(e, 0, sizeof(*e));
}

void
pickup_events_free(struct pickup_event *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		pickup_event_clear(&e[i]);
	x_free(e);
}

void
token_row_clear(struct token_row *t)
{
	x_free(t->operator);
	memset(t, 0, sizeof(*t));
}

void
token_rows_free(struct token_row *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		token_row_clear(&t[i]);
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
	x_free(p->horizon_closed);
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
stop_row_clear(struct stop_row *s)
{
	x_free(s->reference);
	x_free(s->body);
	memset(s, 0, sizeof(*s));
}

void
route_row_clear(struct route_row *r)
{
	size_t	k;

	for (k = 0; k < r->nstops; k++)
		stop_row_clear(&r->stops[k]);
	x_free(r->stops);
	x_free(r->geometry);
	memset(r, 0, sizeof(*r));
}

void
route_rows_free(struct route_row *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		route_row_clear(&r[i]);
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
static char *
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
static char *
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
	else if (kg > 0)
		xasprintf(&detail, "sorted into %s, %.1f kg",
		    stream_name(stream), kg);
	else
		xasprintf(&detail, "sorted into %s", stream_name(stream));
	return detail;
}

/*
 * The news of pickup k's outcome in plan in->id, the pickup having been
 * as was says before the engine moved it: its history event when the
 * change is worth one, and the webhook event a resident would be told
 * (store_plan_news), in the engine's transaction.
 */
enum store_result
store_tell_plan(struct store *st, const struct store_teller *t,
    const struct plan_input *in, size_t k, const struct store_was *was,
    int64_t now, char **cause)
{
	const struct rt_stop	*sp = &in->st[k];
	const char		*vehicle = NULL;
	enum store_result	 res = STORE_OK;
	enum wh_event		 ev;
	char			 day[11] = "", eta[6] = "", *detail;
	int			 moved;

	if (sp->deferred == NULL) {
		days_to_date(sp->day, day);
		hhmm_format(sp->eta, eta);
		vehicle = in->veh[sp->vehicle].name;
	}
	detail = store_plan_news(in->id, was->status, was->day, was->vehicle,
	    was->eta, was->why, day, vehicle, sp->seq, eta, sp->deferred, &ev);
	if (detail != NULL)
		res = t->event(st, in->pk[k].id, vehicle ? PICKUP_SCHEDULED :
		    PICKUP_RECEIVED, now, "planner", detail, cause);
	x_free(detail);
	if (res == STORE_OK && ev != WH_EVENT_COUNT) {
		moved = ev == WH_MOVED;
		detail = wh_data_plan(in->id, vehicle ? day : NULL,
		    vehicle ? sp->eta : -1, moved ? was->day : NULL,
		    moved ? was->eta : NULL, sp->deferred);
		res = t->webhook(st, in->pk[k].id, ev, detail, now, cause);
		x_free(detail);
	}
	return res;
}

/*
 * Does pickup k of plan in lose its pin now that the plan has it on day
 * (NULL: not routed)?  A pin binds only a day in the horizon that is open
 * (plan-build.c); one the plan could not keep, for a day past or closed
 * since, is dropped rather than shown for a day the pickup is not on.
 */
int
store_pin_stale(const struct plan_input *in, size_t k, const char *day)
{
	const struct plan_pickup	*pk = &in->pk[k];

	return pk->pin != PIN_NONE && (day == NULL ||
	    strcmp(day, pk->pin_day) != 0);
}

/*
 * May amendment a go ahead on row, the pickup as it is now?  Its status
 * (into a->status) must allow it (STORE_INVALID), and its document be
 * the one the patch was applied to (STORE_CONFLICT: another came first).
 */
enum store_result
store_amend_check(struct pickup_amend *a, const struct pickup_row *row)
{
	a->status = row->status;
	if (!pickup_can_amend(row->status))
		return STORE_INVALID;
	if (row->body == NULL || strcmp(row->body, a->old_body) != 0)
		return STORE_CONFLICT;
	return STORE_OK;
}

/*
 * The news of amendment a, the pickup now in a->status: its history event
 * says what changed and whether it left the current plan; the webhook
 * event amended, what changed and by whom.
 */
enum store_result
store_tell_amended(struct store *st, const struct store_teller *t,
    const struct pickup_amend *a, int unscheduled, char **cause)
{
	enum store_result	 res;
	char			*detail, *what;

	what = pickup_members_text(a->changed);
	xasprintf(&detail, "amended: %s%s", what, unscheduled ?
	    "; out of the current plan, for the next to place" : "");
	x_free(what);
	res = t->event(st, a->id, a->status, a->now, a->actor, detail, cause);
	x_free(detail);
	if (res == STORE_OK) {
		detail = wh_data_amended(a->changed, a->actor);
		res = t->webhook(st, a->id, WH_AMENDED, detail, a->now, cause);
		x_free(detail);
	}
	return res;
}

/*
 * The news of a field event of kind on pickup id, now in status to: its
 * history event, and but for a sorting (the resident's part is over) the
 * webhook event collected or not_collected.
 */
enum store_result
store_tell_field(struct store *st, const struct store_teller *t, int64_t id,
    enum field_kind kind, int to, const char *code, int stream, double kg,
    const char *actor, int64_t now, char **cause)
{
	enum store_result	 res;
	char			*detail;

	detail = store_field_detail(kind, code, stream, kg);
	res = t->event(st, id, to, now, actor, detail, cause);
	x_free(detail);
	if (res == STORE_OK && kind != FIELD_SORTED) {
		detail = wh_data_field(kind == FIELD_COLLECTED, code, kg);
		res = t->webhook(st, id, kind == FIELD_COLLECTED ?
		    WH_COLLECTED : WH_NOT_COLLECTED, detail, now, cause);
		x_free(detail);
	}
	return res;
}

/* The news of pickup id cancelled by actor: history, then webhooks. */
enum store_result
store_tell_cancelled(struct store *st, const struct store_teller *t,
    int64_t id, const char *actor, int64_t now, char **cause)
{
	enum store_result	 res;
	char			*extra;

	if ((res = t->event(st, id, PICKUP_CANCELLED, now, actor, NULL,
	    cause)) != STORE_OK)
		return res;
	extra = wh_data_cancelled(actor);
	res = t->webhook(st, id, WH_CANCELLED, extra, now, cause);
	x_free(extra);
	return res;
}
