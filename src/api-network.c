/*
 * api-network.c -- /v1/centres and /v1/fleet: the network the planner uses.
 *
 * Translates JSON to struct centre / struct vehicle_type (network.c
 * validates) and the store's answers to statuses.  Reads any staff role;
 * writes are admin-only (http.c's route table) and go through the loop's
 * own connection in one short transaction each: they are rare, small and
 * must be visible to the next plan at once, so they do not queue behind
 * the pickups' group commit.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "json.h"

/* Run one admin write in its own transaction on the loop's connection. */
static enum store_result
api_network_write(struct http_req *r, enum store_result (*put)(struct store *,
    const void *, int, int64_t, char **), const void *obj, int create,
    char **cause)
{
	struct store		*st = r->srv->store;
	enum store_result	 res;

	if (store_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	res = put(st, obj, create, time(NULL), cause);
	if (res == STORE_OK && store_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		store_rollback(st);
	return res;
}

static enum store_result
api_network_delete(struct http_req *r, enum store_result (*del)(
    struct store *, const char *, char **), char **cause)
{
	struct store		*st = r->srv->store;
	enum store_result	 res;

	if (store_begin(st, cause) == -1)
		return STORE_UNAVAILABLE;
	res = del(st, r->name, cause);
	if (res == STORE_OK && store_commit(st, cause) == -1)
		res = STORE_UNAVAILABLE;
	if (res != STORE_OK)
		store_rollback(st);
	return res;
}

/* Load the network for a read; replies itself and returns -1 on failure. */
static int
api_network_load(struct http_req *r, struct network *n)
{
	enum store_result	 res;
	char			*cause = NULL;

	if ((res = store_network_load(r->srv->store, n, &cause)) == STORE_OK)
		return 0;
	http_store_failed(r, res, cause);
	x_free(cause);
	network_clear(n);
	return -1;
}

static enum store_result
api_centre_put_cb(struct store *st, const void *c, int create, int64_t now,
    char **cause)
{
	return store_centre_put(st, c, create, now, cause);
}

static enum store_result
api_vehicle_put_cb(struct store *st, const void *v, int create, int64_t now,
    char **cause)
{
	return store_vehicle_put(st, v, create, now, cause);
}

/* GET /v1/centres */
void
api_centres_list(struct http_req *r)
{
	struct network	 n;
	json_t		*a;
	size_t		 i;

	if (api_network_load(r, &n) == -1)
		return;
	a = json_array();
	for (i = 0; i < n.ncentres; i++)
		json_array_append_new(a, network_centre_json(&n.centres[i]));
	network_clear(&n);
	http_reply_json(r, 200, json_pack("{s:o}", "centres", a));
}

/* GET /v1/centres/{name} */
void
api_centre_get(struct http_req *r)
{
	struct network		 n;
	const struct centre	*c;

	if (api_network_load(r, &n) == -1)
		return;
	if ((c = network_centre(&n, r->name)) == NULL)
		http_error(r, 404, "not_found", NULL, "no centre %s", r->name);
	else
		http_reply_json(r, 200, network_centre_json(c));
	network_clear(&n);
}

/* POST /v1/centres and PUT /v1/centres/{name}. */
static void
api_centre_put(struct http_req *r, int create)
{
	struct centre		 c;
	struct api_error	 e;
	enum store_result	 res;
	json_t			*in;
	char			*cause = NULL;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (network_centre_parse(in, create ? NULL : r->name, &c, &e) == -1) {
		json_decref(in);
		http_reply_error(r, &e);
		return;
	}
	json_decref(in);
	res = api_network_write(r, api_centre_put_cb, &c, create, &cause);
	if (res == STORE_OK)
		http_reply_json(r, create ? 201 : 200, network_centre_json(&c));
	else if (res == STORE_CONFLICT)
		http_error(r, 409, "conflict", "id", "centre %s exists; "
		    "PUT /v1/centres/%s changes it", c.id, c.id);
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no centre %s", r->name);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
}

void
api_centre_create(struct http_req *r)
{
	api_centre_put(r, 1);
}

void
api_centre_update(struct http_req *r)
{
	api_centre_put(r, 0);
}

/* DELETE /v1/centres/{name}: refused while vehicles are kept there. */
void
api_centre_delete(struct http_req *r)
{
	enum store_result	 res;
	char			*cause = NULL;

	res = api_network_delete(r, store_centre_delete, &cause);
	if (res == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:s}", "deleted", r->name));
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no centre %s", r->name);
	else if (res == STORE_INVALID)
		http_error(r, 409, "invalid_state", NULL, "centre %s still "
		    "has vehicle types; move or delete them first", r->name);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
}

/* GET /v1/fleet */
void
api_fleet_list(struct http_req *r)
{
	struct network	 n;
	json_t		*a;
	size_t		 i;

	if (api_network_load(r, &n) == -1)
		return;
	a = json_array();
	for (i = 0; i < n.nfleet; i++)
		json_array_append_new(a, network_vehicle_json(&n.fleet[i]));
	network_clear(&n);
	http_reply_json(r, 200, json_pack("{s:o}", "fleet", a));
}

/* GET /v1/fleet/{name} */
void
api_vehicle_get(struct http_req *r)
{
	struct network	 n;
	size_t		 i;

	if (api_network_load(r, &n) == -1)
		return;
	for (i = 0; i < n.nfleet; i++)
		if (strcmp(n.fleet[i].id, r->name) == 0)
			break;
	if (i == n.nfleet)
		http_error(r, 404, "not_found", NULL, "no vehicle type %s",
		    r->name);
	else
		http_reply_json(r, 200, network_vehicle_json(&n.fleet[i]));
	network_clear(&n);
}

/* POST /v1/fleet and PUT /v1/fleet/{name}. */
static void
api_vehicle_put(struct http_req *r, int create)
{
	struct vehicle_type	 v;
	struct api_error	 e;
	enum store_result	 res;
	json_t			*in;
	char			*cause = NULL;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (network_vehicle_parse(in, create ? NULL : r->name, &v, &e) == -1) {
		json_decref(in);
		http_reply_error(r, &e);
		return;
	}
	json_decref(in);
	res = api_network_write(r, api_vehicle_put_cb, &v, create, &cause);
	if (res == STORE_OK)
		http_reply_json(r, create ? 201 : 200,
		    network_vehicle_json(&v));
	else if (res == STORE_CONFLICT)
		http_error(r, 409, "conflict", "id", "vehicle type %s exists; "
		    "PUT /v1/fleet/%s changes it", v.id, v.id);
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no vehicle type %s",
		    r->name);
	else if (res == STORE_INVALID)
		http_error(r, 422, "unknown_centre", "centre",
		    "no centre %s", v.centre);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
}

void
api_vehicle_create(struct http_req *r)
{
	api_vehicle_put(r, 1);
}

void
api_vehicle_update(struct http_req *r)
{
	api_vehicle_put(r, 0);
}

/* DELETE /v1/fleet/{name} */
void
api_vehicle_delete(struct http_req *r)
{
	enum store_result	 res;
	char			*cause = NULL;

	res = api_network_delete(r, store_vehicle_delete, &cause);
	if (res == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:s}", "deleted", r->name));
	else if (res == STORE_NOTFOUND)
		http_error(r, 404, "not_found", NULL, "no vehicle type %s",
		    r->name);
	else
		http_store_failed(r, res, cause);
	x_free(cause);
}
