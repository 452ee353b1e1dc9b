/*
 * api-network.c -- /v1/centres, /v1/fleet, /v1/processors and /v1/rules:
 * the network the planner uses.
 *
 * The four tables are served by the same five handlers (http.c,
 * HTTP_NETWORK); the path's collection says which table, and r->name
 * holds the key from the path: an id, or "category/condition/stream" for
 * a rule.  Translates
 * JSON to the structs (network.c validates) and the store's answers to
 * statuses.  Reads any staff role; writes are admin-only (http.c's route
 * table) and, like every write, are applied by the group commit's writer
 * (commit.c), which answers once they are on disk: the loop never waits
 * for the disk or for the writer's lock.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "recircd.h"

/* Which table r's path names: "/v1/fleet/van" is NET_VEHICLE. */
static enum net_kind
api_network_kind(const struct http_req *r)
{
	const char	*p = r->path + strlen("/v1/"), *name;
	size_t		 n = strcspn(p, "/");
	int		 k;

	/* http.c routes nothing else here; the last kind is the rest. */
	for (k = 0; k < NET_KIND_COUNT - 1; k++) {
		name = network_plural(k);
		if (strlen(name) == n && strncmp(p, name, n) == 0)
			break;
	}
	return k;
}

/* An admin write for the group commit: the object, or a key to delete. */
struct api_network_job {
	enum net_kind		 kind;
	union net_object	 obj;
	int			 create, delete;
	char			 key[NET_KEY_MAX];
	int64_t			 now;
};

/* In the writer (commit_call runs it in a savepoint of its own). */
static enum store_result
api_network_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_network_job	*w = j->data;

	if (w->delete)
		return store_network_delete(st, w->kind, w->key, cause);
	return store_network_put(st, w->kind, &w->obj, w->create, w->now,
	    cause);
}

/*
 * Queue one admin write (obj NULL: delete the path's key); done() gets
 * the result and replies.
 */
static void
api_network_write(struct http_req *r, enum net_kind k, const void *obj,
    int create, void (*done)(struct commit_job *, void *))
{
	struct api_network_job	*w = xcalloc(1, sizeof(*w));

	w->kind = k;
	w->create = create;
	w->now = time(NULL);
	if (obj != NULL) {
		memcpy(&w->obj, obj, sizeof(w->obj));
		network_key(k, &w->obj, w->key);
	} else {
		w->delete = 1;
		snprintf(w->key, sizeof(w->key), "%s", r->name);
	}
	http_defer(r);
	commit_call(r->srv->committer, api_network_apply, w, done, r);
}

static void
api_network_job_free(struct commit_job *j)
{
	x_free(j->data);
	commit_job_free(j);
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

static void
api_network_notfound(struct http_req *r, enum net_kind k)
{
	http_error(r, 404, "not_found", NULL, "no %s %s", network_noun(k),
	    r->name);
}

/* GET /v1/centres (fleet, processors, rules): {"centres": [...]}. */
void
api_network_list(struct http_req *r)
{
	enum net_kind	 k = api_network_kind(r);
	struct network	 n;
	size_t		 i;
	json_t		*a;

	if (api_network_load(r, &n) == -1)
		return;
	a = json_array();
	for (i = 0; i < network_count(&n, k); i++)
		json_array_append_new(a, network_json(k, network_item(&n, k,
		    i)));
	network_clear(&n);
	http_reply_json(r, 200, json_pack("{s:o}", network_plural(k), a));
}

/* GET /v1/centres/{name}, /v1/rules/{category}/{condition}/{stream} ... */
void
api_network_get(struct http_req *r)
{
	enum net_kind	 k = api_network_kind(r);
	struct network	 n;
	const void	*obj;

	if (api_network_load(r, &n) == -1)
		return;
	if ((obj = network_find(&n, k, r->name)) == NULL)
		api_network_notfound(r, k);
	else
		http_reply_json(r, 200, network_json(k, obj));
	network_clear(&n);
}

/*
 * A rule's category must be one the catalogue knows (or "*"): a rule for
 * a mistyped category would match nothing and say nothing.  Replies 422
 * and returns -1 if not.
 */
static int
api_network_category(struct http_req *r, const struct stream_rule *rl)
{
	if (strcmp(rl->category, "*") == 0 ||
	    catalogue_find(r->srv->catalogue, rl->category) != NULL)
		return 0;
	http_error(r, 422, "unknown_category", "category",
	    "category %s is not in the catalogue", rl->category);
	return -1;
}

static void
api_network_put_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_network_job	*w = j->data;
	enum net_kind		 k = w->kind;

	if (j->result == STORE_OK)
		http_reply_json(r, w->create ? 201 : 200,
		    network_json(k, &w->obj));
	else if (j->result == STORE_CONFLICT)
		http_error(r, 409, "conflict", k == NET_RULE ? NULL :
		    "id", "%s %s exists; PUT %s/%s changes it",
		    network_noun(k), w->key, r->path, w->key);
	else if (j->result == STORE_NOTFOUND)
		api_network_notfound(r, k);
	else if (j->result == STORE_INVALID)	/* only a vehicle type refers */
		http_error(r, 422, "unknown_centre", "centre",
		    "no centre %s", w->obj.v.centre);
	else
		http_store_failed(r, j->result, j->cause);
	api_network_job_free(j);
}

/* POST /v1/KIND and PUT /v1/KIND/{key}. */
static void
api_network_put(struct http_req *r, int create)
{
	enum net_kind		 k = api_network_kind(r);
	union net_object	 obj;
	struct api_error	 e;
	json_t			*in;

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (network_parse(k, in, create ? NULL : r->name, &obj,
	    &e) == -1) {
		json_decref(in);
		http_reply_error(r, &e);
		return;
	}
	json_decref(in);
	if (k == NET_RULE && api_network_category(r, &obj.r) == -1)
		return;
	api_network_write(r, k, &obj, create, api_network_put_done);
}

void
api_network_create(struct http_req *r)
{
	api_network_put(r, 1);
}

void
api_network_update(struct http_req *r)
{
	api_network_put(r, 0);
}

static void
api_network_delete_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_network_job	*w = j->data;

	if (j->result == STORE_OK)
		http_reply_json(r, 200, json_pack("{s:s}", "deleted", w->key));
	else if (j->result == STORE_NOTFOUND)
		api_network_notfound(r, w->kind);
	else if (j->result == STORE_INVALID)	/* only a centre is referred to */
		http_error(r, 409, "invalid_state", NULL, "centre %s still "
		    "has vehicle types; move or delete them first", w->key);
	else
		http_store_failed(r, j->result, j->cause);
	api_network_job_free(j);
}

/* DELETE /v1/KIND/{key}: a centre is refused while vehicles are kept there. */
void
api_network_delete(struct http_req *r)
{
	api_network_write(r, api_network_kind(r), NULL, 0,
	    api_network_delete_done);
}
