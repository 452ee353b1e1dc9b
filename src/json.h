/*
 * json.h -- the one home of the JSON library's header.
 *
 * recircd speaks JSON through jansson (a small, well-kept C library with a
 * stable API, in Debian as libjansson-dev).  Every file that needs JSON
 * includes this header rather than <jansson.h>, so the choice of library and
 * the few helpers we add on top live in one place.
 */
#ifndef RECIRC_JSON_H
#define RECIRC_JSON_H

#include <jansson.h>

#include "recircd.h"

/*
 * Prototypes of our modules whose interfaces speak jansson's json_t, kept
 * here so recircd.h stays free of third-party types.
 */

/* pickup.c */
int	 pickup_validate(json_t *, const struct catalogue *,
	    const struct pickup_limits *, struct pickup_new *,
	    struct api_error *);

/* api-error.c */
json_t	*api_error_json(const struct api_error *);

/* network.c */
int	 network_parse(enum net_kind, json_t *, const char *, void *,
	    struct api_error *);
json_t	*network_json(enum net_kind, const void *);
json_t	*network_vehicle_json(const struct vehicle_type *);
int	 network_seed_parse(json_t *, struct network *, struct api_error *);

/* http.c */
void	 http_reply_json(struct http_req *, int, json_t *);
void	 http_reply_error(struct http_req *, const struct api_error *);
json_t	*http_json_body(struct http_req *);

#endif /* RECIRC_JSON_H */
