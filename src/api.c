/*
 * api.c -- the API's table: which handler serves a method and path, and
 * which roles may call it.
 *
 * recircd.c hands the table to http_start; http.c matches each request
 * against it in order (the first row whose pattern and method fit wins),
 * authenticates the caller unless the row's roles are 0, and runs the
 * handler.  Keeping the table here, out of http.c, lets the HTTP layer
 * serve handlers without knowing them, so the api-*.c files call down into
 * http.c and nothing calls back up.  A new endpoint is one row here and a
 * handler in its resource's api-*.c.
 */
#include "config.h"

#include "recircd.h"

#define ROLES_ANY	((1u << ROLE_COUNT) - 1)
#define ROLES_NONE	0u		/* no authentication */
#define RB(r)		(1u << (r))
#define ROLES_STAFF	HTTP_ROLES_STAFF

/*
 * A network table (api-network.c, which tells the tables apart by path):
 * staff read it, admins write it; key is the pattern of an object's key
 * after the collection's path.
 */
#define API_NETWORK(path, key)						\
	{ HTTP_M_GET, path, ROLES_STAFF, api_network_list },		\
	{ HTTP_M_POST, path, RB(ROLE_ADMIN), api_network_create },	\
	{ HTTP_M_GET, path "/" key, ROLES_STAFF, api_network_get },	\
	{ HTTP_M_PUT, path "/" key, RB(ROLE_ADMIN), api_network_update }, \
	{ HTTP_M_DELETE, path "/" key, RB(ROLE_ADMIN), api_network_delete }

const struct http_route api_routes[] = {
	{ HTTP_M_GET | HTTP_M_HEAD, "/healthz", ROLES_NONE, api_healthz },
	{ HTTP_M_GET, "/v1/status", ROLES_ANY, api_status },
	/* Prometheus scrapes without a token (metrics_listen keeps it
	 * off the public address). */
	{ HTTP_M_GET, "/metrics", HTTP_ROLES_METRICS, api_metrics },
	{ HTTP_M_GET, "/v1/openapi.json", ROLES_NONE, api_openapi },
	{ HTTP_M_GET | HTTP_M_HEAD, "/map", ROLES_NONE, api_map_page },
	{ HTTP_M_GET | HTTP_M_HEAD, "/map/plans/{id}", ROLES_NONE,
	    api_map_page },
	{ HTTP_M_GET, "/map/map.js", ROLES_NONE, api_map_script },
	{ HTTP_M_GET, "/map/map.css", ROLES_NONE, api_map_style },
	{ HTTP_M_GET, "/map/leaflet/{name}", ROLES_NONE, api_map_leaflet },
	{ HTTP_M_GET, "/map/leaflet/images/{name}", ROLES_NONE,
	    api_map_leaflet },
	{ HTTP_M_POST, "/v1/pickups", RB(ROLE_OPERATOR) | RB(ROLE_ADMIN),
	    api_pickups_create },
	{ HTTP_M_POST, "/v1/pickups/validate", RB(ROLE_OPERATOR) |
	    RB(ROLE_ADMIN), api_pickups_validate },
	{ HTTP_M_GET, "/v1/pickups", ROLES_ANY, api_pickups_list },
	{ HTTP_M_GET, "/v1/pickups/{id}", ROLES_ANY, api_pickup_get },
	{ HTTP_M_PATCH, "/v1/pickups/{id}", ROLES_ANY, api_pickup_amend },
	{ HTTP_M_POST, "/v1/pickups/{id}/cancel", ROLES_ANY,
	    api_pickup_cancel },
	{ HTTP_M_POST, "/v1/pickups/{id}/events", RB(ROLE_OPS) | RB(ROLE_ADMIN),
	    api_pickup_event },
	{ HTTP_M_POST, "/v1/pickups/{id}/confirm", ROLES_STAFF,
	    api_pickup_confirm },
	{ HTTP_M_POST, "/v1/plans", RB(ROLE_PLANNER) | RB(ROLE_ADMIN),
	    api_plans_create },
	{ HTTP_M_GET, "/v1/plans", ROLES_STAFF, api_plans_list },
	{ HTTP_M_GET, "/v1/plans/current", ROLES_STAFF, api_plan_current },
	{ HTTP_M_GET, "/v1/plans/{id}", ROLES_STAFF, api_plan_get },
	{ HTTP_M_GET, "/v1/plans/{id}/routes", ROLES_STAFF, api_plan_routes },
	{ HTTP_M_GET, "/v1/plans/{id}/manifest/{name}", ROLES_STAFF,
	    api_plan_manifest },
	{ HTTP_M_POST, "/v1/plans/{id}/dispatch/{name}", ROLES_STAFF,
	    api_plan_dispatch },
	{ HTTP_M_GET, "/v1/reports/field", ROLES_ANY, api_report_field },
	{ HTTP_M_POST, "/v1/webhooks", RB(ROLE_OPERATOR) | RB(ROLE_ADMIN),
	    api_webhooks_create },
	{ HTTP_M_GET, "/v1/webhooks", ROLES_ANY, api_webhooks_list },
	{ HTTP_M_GET, "/v1/webhooks/{id}", ROLES_ANY, api_webhook_get },
	{ HTTP_M_DELETE, "/v1/webhooks/{id}", RB(ROLE_OPERATOR) |
	    RB(ROLE_ADMIN), api_webhook_delete },
	{ HTTP_M_POST, "/v1/webhooks/{id}/redeliver", RB(ROLE_OPERATOR) |
	    RB(ROLE_ADMIN), api_webhook_redeliver },
	{ HTTP_M_GET, "/v1/webhooks/{id}/deliveries", ROLES_ANY,
	    api_webhook_deliveries },
	{ HTTP_M_GET, "/v1/admin/clock", RB(ROLE_ADMIN), api_clock_get },
	{ HTTP_M_POST, "/v1/admin/clock", RB(ROLE_ADMIN), api_clock_set },
	{ HTTP_M_GET, "/open311/v2/discovery.json", ROLES_NONE,
	    api_o311_discovery },
	{ HTTP_M_GET, "/open311/v2/services.json", ROLES_NONE,
	    api_o311_services },
	{ HTTP_M_GET, "/open311/v2/services/{name}.json", ROLES_NONE,
	    api_o311_service },
	/* api-open311.c authenticates by the spec's api_key. */
	{ HTTP_M_POST, "/open311/v2/requests.json", ROLES_NONE,
	    api_o311_create },
	{ HTTP_M_GET, "/open311/v2/requests.json", ROLES_NONE, api_o311_list },
	{ HTTP_M_GET, "/open311/v2/requests/{id}.json", ROLES_NONE,
	    api_o311_get },
	/* other formats and paths: the spec's error shape */
	{ HTTP_M_GET | HTTP_M_POST, "/open311/v2/{name}", ROLES_NONE,
	    api_o311_other },
	{ HTTP_M_GET | HTTP_M_POST, "/open311/v2/{name}/{name}", ROLES_NONE,
	    api_o311_other },
	API_NETWORK("/v1/centres", "{name}"),
	API_NETWORK("/v1/fleet", "{name}"),
	API_NETWORK("/v1/processors", "{name}"),
	API_NETWORK("/v1/rules", "{name}/{name}/{name}"),
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
