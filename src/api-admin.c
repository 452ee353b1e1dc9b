/*
 * api-admin.c -- /v1/admin/clock: the planner's clock, read and moved.
 *
 * Translates only: plan.c keeps the clock (an offset from the system's)
 * and the schedule that follows from it; api.c lets admins alone call
 * these.  Every handler ends in exactly one reply.
 */
#include "config.h"

#include <time.h>

#include "recircd.h"

static void
api_clock_reply(struct http_req *r)
{
	int64_t	now = plan_now(r->srv), next = plan_next_run(r->srv);

	http_reply_json(r, 200, json_pack("{s:o,s:I,s:o}", "now",
	    api_time(now), "offset_s", (json_int_t)(now - time(NULL)),
	    "next_run", api_time(next)));
}

/* GET /v1/admin/clock */
void
api_clock_get(struct http_req *r)
{
	api_clock_reply(r);
}

/* POST /v1/admin/clock {"now": "YYYY-MM-DDTHH:MM:SSZ"}: move the clock. */
void
api_clock_set(struct http_req *r)
{
	const char	*s;
	json_t		*in;
	int64_t		 now;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	s = json_string_value(json_object_get(in, "now"));
	if (s == NULL || time_parse(s, &now) == -1) {
		json_decref(in);
		http_error(r, 422, "invalid_value", "now", "now must be "
		    "YYYY-MM-DDTHH:MM:SSZ");
		return;
	}
	json_decref(in);
	plan_set_clock(r->srv, now);
	api_clock_reply(r);
}
