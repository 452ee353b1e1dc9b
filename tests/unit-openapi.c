/*
 * unit-openapi.c -- the OpenAPI document served at /v1/openapi.json
 * (doc/openapi.json, embedded) describes exactly the API's route table
 * (api.c): every documented route and method for /healthz, /metrics,
 * /v1/... and /open311/v2/..., and nothing the server does not route.  Path parameters are
 * compared by position ({id} in the table may be {id} or {vehicle} in
 * the document); HEAD is implied by GET.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

extern const char *const openapi_doc[];

/* path with every {...} segment as {}: "/v1/plans/{}/manifest/{}" */
static void
norm(const char *path, char *out, size_t size)
{
	size_t	n = 0;

	while (*path != '\0' && n + 3 < size) {
		if (*path == '{') {
			out[n++] = '{';
			out[n++] = '}';
			path += strcspn(path, "}");
			if (*path == '}')
				path++;
			continue;
		}
		out[n++] = *path++;
	}
	out[n] = '\0';
}

static int
documented(size_t i)
{
	const char	*pattern = api_routes[i].pattern;

	/* Open311's catch-alls only answer errors in the spec's shape. */
	if (api_routes[i].handler == api_o311_other)
		return 0;
	return strncmp(pattern, "/v1/", 4) == 0 ||
	    strncmp(pattern, "/open311/", 9) == 0 ||
	    strcmp(pattern, "/healthz") == 0 || strcmp(pattern, "/metrics") == 0;
}

static const struct {
	int		 bit;
	const char	*name;
} methods[] = {
	{ HTTP_M_GET, "get" }, { HTTP_M_POST, "post" }, { HTTP_M_PUT, "put" },
	{ HTTP_M_DELETE, "delete" }, { HTTP_M_PATCH, "patch" },
	{ HTTP_M_OPTIONS, "options" }
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* Does the route table route method (a name) on path (normalized)? */
static int
routed(const char *npath, const char *method)
{
	char	np[256];
	size_t	i, k;

	for (i = 0; i < api_nroutes; i++) {
		norm(api_routes[i].pattern, np, sizeof(np));
		if (strcmp(np, npath) != 0)
			continue;
		for (k = 0; k < NMETHODS; k++)
			if (strcmp(methods[k].name, method) == 0 &&
			    (api_routes[i].methods & methods[k].bit))
				return 1;
	}
	return 0;
}

int
main(void)
{
	json_t		*doc, *paths, *ops, *o;
	json_error_t	 jerr;
	const char	*path, *m;
	char		 np[256], key[256];
	size_t		 i, k, nroutes = 0, nops = 0;
	int		 missing = 0, extra = 0, found;

	doc = json_loads(openapi_doc[0], 0, &jerr);
	ok(doc != NULL, "the embedded document is JSON (%s)",
	    doc ? "ok" : jerr.text);
	if (doc == NULL)
		return tap_done();
	ok(strcmp(json_string_value(json_object_get(doc, "openapi")) ?
	    json_string_value(json_object_get(doc, "openapi")) : "",
	    "3.1.0") == 0, "OpenAPI 3.1.0");
	paths = json_object_get(doc, "paths");
	/* Every documented route of the table is in the document. */
	for (i = 0; i < api_nroutes; i++) {
		if (!documented(i))
			continue;
		norm(api_routes[i].pattern, np, sizeof(np));
		for (k = 0; k < NMETHODS; k++) {
			if (!(api_routes[i].methods & methods[k].bit))
				continue;
			nroutes++;
			found = 0;
			json_object_foreach(paths, path, ops) {
				norm(path, key, sizeof(key));
				if (strcmp(key, np) == 0 && json_object_get(ops,
				    methods[k].name) != NULL)
					found = 1;
			}
			if (!found) {
				printf("# not documented: %s %s\n",
				    methods[k].name, api_routes[i].pattern);
				missing++;
			}
		}
	}
	ok(missing == 0, "every route of the table (%zu) is documented",
	    nroutes);
	/* Everything documented is routed, with a summary and responses. */
	json_object_foreach(paths, path, ops) {
		norm(path, key, sizeof(key));
		json_object_foreach(ops, m, o) {
			if (strcmp(m, "parameters") == 0)
				continue;
			nops++;
			if (!routed(key, m)) {
				printf("# documented, not routed: %s %s\n", m,
				    path);
				extra++;
			}
			if (json_object_get(o, "responses") == NULL ||
			    json_object_get(o, "operationId") == NULL) {
				printf("# %s %s: no responses or operationId\n",
				    m, path);
				extra++;
			}
		}
	}
	ok(extra == 0, "every documented operation (%zu) is routed", nops);
	ok(nops == nroutes, "as many operations as routes (%zu, %zu)", nops,
	    nroutes);
	json_decref(doc);
	return tap_done();
}
