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

#define API_IF_MATCH_MAX	256

/*
 * An admin write for the group commit: the object, or a key to delete;
 * with the If-Match condition, and what the writer found.
 */
struct api_network_job {
	enum net_kind		 kind;
	union net_object	 obj;
	int			 create, delete;
	char			 key[NET_KEY_MAX];
	int64_t			 now;
	char			 if_match[API_IF_MATCH_MAX];	/* "" if none */
	int			 stale;		/* the condition failed */
	int			 gone;		/* ... as the object is gone */
	char			 etag[NET_ETAG_LEN];	/* stored now, or "" */
	union net_object	 stored;	/* ... and the object */
};

/*
 * The object at w's key as stored now, through the writer's own handle and
 * inside its transaction, so that nothing can change it between this read
 * and the write: w->etag and w->stored, or w->etag "" if there is none.
 */
static enum store_result
api_network_current(struct store *st, struct api_network_job *w,
    char **cause)
{
	struct network		 n;
	const void		*o;
	enum store_result	 res;

	w->etag[0] = '\0';
	if ((res = store_network_load(st, &n, cause)) != STORE_OK)
		return res;
	if ((o = network_find(&n, w->kind, w->key)) != NULL &&
	    network_etag(w->kind, o, w->etag) == 0) {
		switch (w->kind) {	/* the objects are flat structs */
		case NET_CENTRE:
			w->stored.c = *(const struct centre *)o;
			break;
		case NET_VEHICLE:
			w->stored.v = *(const struct vehicle_type *)o;
			break;
		case NET_PROCESSOR:
			w->stored.p = *(const struct processor *)o;
			break;
		default:
			w->stored.r = *(const struct stream_rule *)o;
			break;
		}
	}
	network_clear(&n);
	return STORE_OK;
}

/*
 * In the writer (commit_call runs it in a savepoint of its own).  A write
 * with If-Match is checked against the stored object here, where no other
 * write can come in between: two admins who read the same version cannot
 * both write it.  After a write the stored object is read back for the
 * reply and its ETag, so they are what a GET returns.
 */
static enum store_result
api_network_apply(struct store *st, struct commit_job *j, char **cause)
{
	struct api_network_job	*w = j->data;
	enum store_result	 res;

	if (w->if_match[0] != '\0') {
		if ((res = api_network_current(st, w, cause)) != STORE_OK)
			return res;
		if (!network_etag_match(w->if_match, w->etag[0] != '\0' ?
		    w->etag : NULL)) {
			w->stale = 1;
			w->gone = w->etag[0] == '\0';
			return STORE_OK;	/* nothing written */
		}
	}
	if (w->delete)
		return store_network_delete(st, w->kind, w->key, cause);
	res = store_network_put(st, w->kind, &w->obj, w->create, w->now,
	    cause);
	if (res == STORE_OK)
		res = api_network_current(st, w, cause);
	return res;
}

/*
 * Queue one admin write (obj NULL: delete the path's key); done() gets
 * the result and replies.
 */
static void
api_network_write(struct http_req *r, enum net_kind k, const void *obj,
    int create, const char *if_match,
    void (*done)(struct commit_job *, void *))
{
	struct api_network_job	*w = xcalloc(1, sizeof(*w));

	w->kind = k;
	w->create = create;
	w->now = time(NULL);
	if (if_match != NULL)
		snprintf(w->if_match, sizeof(w->if_match), "%s", if_match);
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
		json_array_append_new(a, network_json_tagged(k,
		    network_item(&n, k, i)));
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
	char		 tag[NET_ETAG_LEN];

	if (api_network_load(r, &n) == -1)
		return;
	if ((obj = network_find(&n, k, r->name)) == NULL)
		api_network_notfound(r, k);
	else {
		if (network_etag(k, obj, tag) == 0)
			http_set_header(r, "ETag", tag);
		http_reply_json(r, 200, network_json_tagged(k, obj));
	}
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

/* 412: the If-Match condition failed; the current ETag goes with it. */
static void
api_network_stale(struct http_req *r, const struct api_network_job *w)
{
	if (w->gone) {
		http_error(r, 412, "precondition_failed", "If-Match",
		    "%s %s no longer exists", network_noun(w->kind), w->key);
		return;
	}
	http_set_header(r, "ETag", w->etag);
	http_error(r, 412, "precondition_failed", "If-Match",
	    "%s %s was changed since it was read (its ETag is now %s); read "
	    "it again and redo the change", network_noun(w->kind), w->key,
	    w->etag);
}

/*
 * The If-Match condition of a write: the header, or for a PUT an "etag"
 * member of the body (what GET gave, sent back edited), which is removed
 * before the body is parsed.  NULL: unconditional.
 */
static const char *
api_network_if_match(struct http_req *r, json_t *in,
    char buf[API_IF_MATCH_MAX])
{
	const char	*h = http_header(r, "If-Match");
	const json_t	*tag;

	if (in != NULL && (tag = json_object_get(in, "etag")) != NULL) {
		if (h == NULL && json_is_string(tag)) {
			snprintf(buf, API_IF_MATCH_MAX, "%s",
			    json_string_value(tag));
			h = buf;
		}
		json_object_del(in, "etag");
	}
	return h;
}

static void
api_network_put_done(struct commit_job *j, void *arg)
{
	struct http_req		*r = arg;
	struct api_network_job	*w = j->data;
	enum net_kind		 k = w->kind;

	if (j->result == STORE_OK && w->stale)
		api_network_stale(r, w);
	else if (j->result == STORE_OK) {
		http_set_header(r, "ETag", w->etag);
		http_reply_json(r, w->create ? 201 : 200,
		    network_json_tagged(k, &w->stored));
	} else if (j->result == STORE_CONFLICT)
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
	const char		*if_match;
	char			 buf[API_IF_MATCH_MAX];

	if (!http_json_content(r) || (in = http_json_body(r)) == NULL)
		return;
	if_match = api_network_if_match(r, in, buf);
	if (create)
		if_match = NULL;	/* nothing to be stale */
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
	api_network_write(r, k, &obj, create, if_match, api_network_put_done);
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

	if (j->result == STORE_OK && w->stale)
		api_network_stale(r, w);
	else if (j->result == STORE_OK)
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
	    http_header(r, "If-Match"), api_network_delete_done);
}
