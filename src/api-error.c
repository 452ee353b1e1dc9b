/*
 * api-error.c -- what a client did wrong, as the API reports it.
 *
 * A struct api_error is an HTTP status, a stable code, a message and the
 * member at fault.  The validators (pickup.c, network.c) and the handlers
 * fill one; http.c turns it into the reply's {"error": {...}} body.  Pure
 * and a leaf: no I/O, and nothing here calls back into the daemon.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "recircd.h"

/*
 * Fill e; every text is cut to its buffer on a character boundary and made
 * valid UTF-8, since a message may echo what a client sent.
 */
void
api_error_vset(struct api_error *e, int status, const char *code,
    const char *field, const char *fmt, va_list ap)
{
	e->status = status;
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	utf8_sanitize(e->code);
	utf8_sanitize(e->field);
	utf8_sanitize(e->message);
}

void
api_error_set(struct api_error *e, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	api_error_vset(e, status, code, field, fmt, ap);
	va_end(ap);
}

/* {"error":{"code":..,"message":..,"field":..}}; a new reference. */
json_t *
api_error_json(const struct api_error *e)
{
	json_t	*inner;

	inner = json_pack("{s:s, s:s}", "code", e->code, "message",
	    e->message);
	if (e->field[0] != '\0')
		json_object_set_new(inner, "field", json_string(e->field));
	return json_pack("{s:o}", "error", inner);
}
