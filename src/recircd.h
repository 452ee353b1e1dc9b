/*
 * recircd.h -- the daemon's structures and prototypes, grouped under a
 * banner per source file.
 *
 * What every program shares (logging, allocation, UTF-8, dates and times)
 * is in recirc.h, which the solver, the routing engine and recircctl
 * include instead of this file.  JSON is what the daemon's modules hand
 * each other, so json.h comes with this header and prototypes speak
 * jansson's json_t directly.  No other third-party header is included
 * here: each has one home (store-sqlite.c for SQLite, json.h for jansson,
 * http.c for libevent's HTTP, token.c for libcrypto, ctl-http.c for
 * libcurl, the solver's GLPK wrapper for GLPK).
 */
#ifndef RECIRCD_H
#define RECIRCD_H

#include "recirc.h"
#include "json.h"

/* calendar.c: the days nothing is collected on */
struct calendar {
	unsigned	 week;		/* bit i: weekday i closed (0 Mon) */
	long long	*dates;		/* closed once, sorted */
	size_t		 ndates;
};

/* conf.c */
/* TEXT: a string that may be "" */
enum conf_type { CONF_STR, CONF_INT, CONF_ADDR, CONF_TEXT, CONF_REAL,
	CONF_BOOL };

struct conf {
	char	*path;			/* file it came from, or NULL */
	char	*listen;		/* ADDRESS:PORT */
	char	*metrics_listen;	/* ADDRESS:PORT of /metrics; NULL */
	int	 metrics_auth;		/* /metrics needs a staff token */
	char	*database;
	char	*pidfile;
	char	*catalogue;		/* NULL: built-in catalogue */
	char	*user;			/* NULL: keep the current user */
	long long http_max_body;	/* bytes */
	long long http_max_headers;	/* bytes */
	long long http_timeout;		/* seconds */
	long long http_header_timeout;	/* seconds for a whole request */
	long long max_connections;	/* 0: from the descriptor limit */
	long long max_connections_per_peer;	/* 0: half of the above */
	long long max_items;		/* per pickup */
	long long max_window_days;
	long long page_limit;		/* default list page */
	long long page_max;
	long long commit_batch;		/* rows per group commit */
	long long drain_timeout;	/* seconds */
	long long auth_cache;		/* seconds a token lookup is kept */
	char	*solver;		/* path of recirc-solve */
	double	 detour;		/* road km per great-circle km */
	char	*router;		/* "haversine" or "osrm URL" */
	char	*router_profile;	/* OSRM's profile: "driving" */
	long long router_max_table;	/* sources (and destinations) a request */
	long long router_timeout;	/* seconds a table request may take */
	char	*router_fallback;	/* "haversine" or "no" */
	long long router_cache_max;	/* legs kept in the cache */
	long long router_max_points;	/* places a plan asks the router for */
	double	 speed_kmh;		/* average driving speed */
	char	*map_tiles;		/* the map's base layer; "": none */
	char	*map_attribution;	/* its credit line (HTML) */
	char	*map_leaflet;		/* where Leaflet is installed */
	long long solve_timeout;	/* seconds */
	long long max_solves;		/* concurrent solver processes */
	char	*node;			/* this node's name in the job queue */
	long long plan_lease;		/* seconds a claimed plan is held */
	long long solve_nice;		/* the solver's nice value */
	char	*plan_at;		/* HH:MM local, NULL: no schedule */
	char	*timezone;		/* IANA name, NULL: the machine's */
	long long plan_days;		/* open days a plan covers */
	char	*closed_days;		/* weekdays and dates; NULL */
	long long carry_over_days;	/* received pickups whose window
					   ended this many days before a
					   plan are due on its first day */
	double	 replan_move_cost;	/* moving a pickup off its day or
					   vehicle, in the fleet's currency */
	long long clock_offset;		/* seconds added to the planner's clock */
	long long webhook_timeout;	/* seconds for one delivery */
	long long webhook_retry_min;	/* seconds before the first retry */
	long long webhook_max_age;	/* seconds of failing before dead */
	struct calendar cal;		/* closed_days, parsed by conf_check */
};

void	 conf_init(struct conf *);
void	 conf_clear(struct conf *);
int	 conf_load(struct conf *, const char *, char **);
int	 conf_set(struct conf *, const char *, char **);
int	 conf_check(struct conf *, char **);
void	 conf_print(const struct conf *, FILE *);
const char *conf_default_database(void);

/* gpx.c */
struct gpx {
	char	*buf;
	size_t	 len, cap;
};
struct gpx_pt {
	double		 lat, lon;
	const char	*time, *name, *desc, *type;	/* each may be NULL */
};
void	 gpx_begin(struct gpx *, const char *, const char *);
void	 gpx_point(struct gpx *, const char *, const struct gpx_pt *);
void	 gpx_route_begin(struct gpx *, const char *, const char *, int);
void	 gpx_route_end(struct gpx *);
void	 gpx_track(struct gpx *, const char *, const double *,
	    const double *, size_t);
char	*gpx_end(struct gpx *, size_t *);

/* calendar.c (struct calendar is with conf.c's, which holds one) */
int	 cal_parse(const char *, struct calendar *, const char **);
void	 cal_clear(struct calendar *);
int	 cal_weekday(long long);
const char *cal_weekday_name(long long);
int	 cal_closed(const struct calendar *, long long);
long long cal_next_open(const struct calendar *, long long);
long long cal_window_late(const struct calendar *, long long, long long,
	    long long);
int	 cal_span(const struct calendar *, long long, int);
unsigned char *cal_horizon(const struct calendar *, long long, int);
char	*cal_days_text(const unsigned char *, long long, int);
json_t	*cal_days_json(const unsigned char *, long long, int);
unsigned char *cal_days_parse(const char *, long long, int);
json_t	*cal_json(const struct calendar *, long long, size_t);

/* jsonw.c */
#define JSONW_DEPTH 16
struct jsonw {
	char	*buf;
	size_t	 len, cap;
	int	 depth;
	int	 after_key;
	unsigned count[JSONW_DEPTH];
};
void	 jw_init(struct jsonw *);
char	*jw_take(struct jsonw *);
void	 jw_free(struct jsonw *);
void	 jw_object(struct jsonw *);
void	 jw_object_end(struct jsonw *);
void	 jw_array(struct jsonw *);
void	 jw_array_end(struct jsonw *);
void	 jw_key(struct jsonw *, const char *);
void	 jw_string(struct jsonw *, const char *);
void	 jw_int(struct jsonw *, long long);
void	 jw_real(struct jsonw *, double);
void	 jw_fixed(struct jsonw *, double, int);
void	 jw_null(struct jsonw *);
void	 jw_bool(struct jsonw *, int);
void	 jw_json(struct jsonw *, const char *, size_t);

/* classify.c */
enum stream {
	STREAM_REPAIR,
	STREAM_REUSE,
	STREAM_RECYCLE,
	STREAM_DISPOSE,
	STREAM_COUNT
};
enum condition {
	COND_WORKING,
	COND_REPAIRABLE,
	COND_BROKEN,
	COND_UNKNOWN,
	COND_COUNT
};
#define CATEGORY_NAME_MAX 32

struct category {
	char		name[CATEGORY_NAME_MAX];
	unsigned	streams;		/* bit (1 << enum stream) */
	double		weight_kg;		/* typical unit weight */
	double		volume_m3;		/* typical unit volume */
	double		value[STREAM_COUNT];	/* recovered value per kg */
};

struct catalogue {
	struct category	*cats;
	size_t		 ncats;
};

struct catalogue *catalogue_default(void);
struct catalogue *catalogue_load(const char *, char **);
void	 catalogue_free(struct catalogue *);
const struct category *catalogue_find(const struct catalogue *,
	    const char *);
const char *stream_name(enum stream);
int	 stream_parse(const char *);
const char *condition_name(enum condition);
int	 condition_parse(const char *);
unsigned classify_item(const struct category *, enum condition);

/* api-error.c */
/* What a client did wrong: an HTTP status, a stable code, and where. */
struct api_error {
	int	status;
	char	code[32];
	char	message[256];
	char	field[96];
};

void	 api_error_set(struct api_error *, int, const char *, const char *,
	    const char *, ...) PRINTFLIKE(5, 6);
void	 api_error_vset(struct api_error *, int, const char *, const char *,
	    const char *, va_list) PRINTFLIKE(5, 0);
json_t	*api_error_json(const struct api_error *);

/* pickup.c */
enum pickup_status {
	PICKUP_RECEIVED,
	PICKUP_SCHEDULED,
	PICKUP_COLLECTED,
	PICKUP_SORTED,
	PICKUP_CLOSED,
	PICKUP_CANCELLED,
	PICKUP_UNSERVICEABLE,
	PICKUP_STATUS_COUNT
};

struct pickup_limits {
	long long	max_items;
	long long	max_window_days;
	long long	today;		/* the city's, days since 1970-01-01 */
};

/* A validated submission, ready for the store. */
#define NET_ID_MAX	48	/* ids of network objects and regions */
struct pickup_new {
	char		*reference;
	char		*idem_key;	/* NULL when no Idempotency-Key */
	char		*operator;
	double		 lat, lon;
	char		 window_from[11], window_to[11];
	char		*body;		/* canonical document (JSON text) */
	char		 region[NET_ID_MAX];	/* "" when it names none */
};

const char *pickup_status_name(enum pickup_status);
int	 pickup_status_parse(const char *);
int	 pickup_can_cancel(enum pickup_status);
int	 pickup_can_amend(enum pickup_status);
void	 pickup_new_clear(struct pickup_new *);
int	 pickup_validate(json_t *, const struct catalogue *,
	    const struct pickup_limits *, struct pickup_new *,
	    struct api_error *);
/*
 * The members of a pickup's document an amendment may change, as bits of
 * a set (1u << PM_...); all but the notes are read by planning.
 */
enum pickup_member { PM_LOCATION, PM_WINDOW, PM_TIME_WINDOWS, PM_ITEMS,
	PM_NOTES, PM_REGION, PM_COUNT };
#define PM_PLANNED	(((1u << PM_COUNT) - 1) & ~(1u << PM_NOTES))
const char *pickup_member_name(enum pickup_member);
char	*pickup_members_text(unsigned);
int	 pickup_amend(const char *, json_t *, const struct catalogue *,
	    const struct pickup_limits *, struct pickup_new *, unsigned *,
	    struct api_error *);

/* network.c */
#define NET_NAME_MAX	96

/* A consolidation centre; capacities are kg sorted per day and stream. */
struct centre {
	char	 id[NET_ID_MAX];
	char	 name[NET_NAME_MAX];
	double	 lat, lon;
	int	 existing;		/* 1: open today, 0: candidate */
	double	 fixed_cost;		/* per day open */
	double	 capacity[STREAM_COUNT];
	char	 opens[6], closes[6];	/* HH:MM */
	char	 region[NET_ID_MAX];	/* "" when none */
};

/* count vehicles of one type kept at a centre. */
struct vehicle_type {
	char	 id[NET_ID_MAX];
	char	 centre[NET_ID_MAX];
	int	 count;
	double	 cap_kg, cap_m3;
	int	 cap_items;
	double	 fixed_cost;		/* per vehicle and day used */
	double	 cost_per_km, cost_per_hour;
	int	 shift_min, max_stops;
	double	 co2_per_km;		/* kg CO2e per km */
	char	 skills[256];		/* comma-separated */
};

/* Where sorted goods of a stream go next, and what that costs per kg. */
struct processor {
	char	 id[NET_ID_MAX];
	int	 stream;		/* enum stream */
	char	 name[NET_NAME_MAX];
	double	 cost_per_kg;
};

/* An override of the catalogue: category/condition may go to stream. */
struct stream_rule {
	char	 category[CATEGORY_NAME_MAX];	/* "*": any */
	char	 condition[16];			/* "*": any */
	int	 stream;
	double	 value;				/* per kg */
};

struct network {
	struct centre		*centres;
	size_t			 ncentres;
	struct vehicle_type	*fleet;
	size_t			 nfleet;
	struct processor	*procs;
	size_t			 nprocs;
	struct stream_rule	*rules;
	size_t			 nrules;
};

/*
 * The four kinds of network object, each a table kept alike: created,
 * replaced and deleted by its key, an id or, for a rule,
 * "category/condition/stream" (network_key).
 */
enum net_kind {
	NET_CENTRE,
	NET_VEHICLE,
	NET_PROCESSOR,
	NET_RULE,
	NET_KIND_COUNT
};
#define NET_KEY_MAX	64	/* a key as text, NUL included */
#define NET_ETAG_LEN	35	/* "32 hex digits", quotes and NUL */

/* Room for one object of any kind. */
union net_object {
	struct centre		c;
	struct vehicle_type	v;
	struct processor	p;
	struct stream_rule	r;
};

void	 network_clear(struct network *);
const char *network_noun(enum net_kind);
const char *network_plural(enum net_kind);
size_t	 network_size(enum net_kind);
void	 network_array(struct network *, enum net_kind, void ***, size_t **);
size_t	 network_count(const struct network *, enum net_kind);
const void *network_item(const struct network *, enum net_kind, size_t);
void	 network_key(enum net_kind, const void *, char [NET_KEY_MAX]);
const void *network_find(const struct network *, enum net_kind,
	    const char *);
int	 network_id_valid(const char *);
const struct centre *network_centre(const struct network *, const char *);
int	 network_parse(enum net_kind, json_t *, const char *, void *,
	    struct api_error *);
json_t	*network_json(enum net_kind, const void *);
int	 network_etag(enum net_kind, const void *, char [NET_ETAG_LEN]);
json_t	*network_json_tagged(enum net_kind, const void *);
int	 network_etag_match(const char *, const char *);
json_t	*network_vehicle_json(const struct vehicle_type *);
int	 network_seed_parse(json_t *, struct network *, struct api_error *);

/* plan-routes.c */
#define RT_SERVICE_MIN	10	/* minutes at a stop, plus 2 per extra item */

/* One vehicle (one of a type's count) for one day, at its centre. */
struct rt_vehicle {
	char	 name[64];		/* "TYPE-N" */
	size_t	 type;			/* index in network.fleet */
	size_t	 centre;		/* index in network.centres */
	double	 lat, lon;
	double	 cap_kg, cap_m3;
	int	 cap_items, max_stops, shift_min;
	int	 opens;			/* minutes after midnight */
	double	 fixed_cost, cost_per_km, cost_per_hour, co2_per_km;
};

/* One pickup to route; the out part is filled by routing. */
struct rt_stop {
	double		 lat, lon, kg, m3;
	int		 items, service_min;
	size_t		 centre;	/* SIZE_MAX: not assigned */
	long long	 day_from, day_to;	/* days since 1970-01-01 */
	long long	 pin_day;	/* -1: free */
	int		 pin_vehicle;	/* -1: free */
	int		 pin_seq;
	int		 ntw;		/* hour windows; 0: any time */
	int		 tw_open[4], tw_close[4];	/* minutes after midnight */
	long long	 prev_day;	/* the current plan's day, or -1 */
	int		 prev_vehicle;	/* ... and vehicle, or -1 */
	int		 prev_seq;	/* ... and place in its route */
	/* out */
	long long	 day;
	int		 vehicle, seq, eta;	/* eta: minutes after midnight */
	double		 load_kg;	/* on board after this stop */
	int		 routed;
	int		 keep;		/* fallback: held for its previous slot */
	int		 tw_missed, tw_reached;	/* fallback's window tallies */
	const char	*deferred;	/* reason code (static or owned by input) */
};

struct rt_route {
	int		 vehicle;
	long long	 day;
	size_t		*stops;		/* indices into the rt_stop array */
	size_t		 nstops, cap;	/* cap: room in stops, or less */
	double		 km, kg, m3, cost;
	int		 items, start, end;	/* minutes after midnight */
	int		 late;		/* stops reached after their windows */
	char		*geometry;	/* the router's path (polyline), or NULL */
};

int	 routes_measure(const struct matrix_model *, struct rt_route *,
	    struct rt_stop *, const struct rt_vehicle *, const char **);
size_t	 routes_build(const struct matrix_model *, struct rt_stop *, size_t,
	    const struct rt_vehicle *, size_t, long long, int,
	    const unsigned char *, struct rt_route **);
void	 rt_routes_free(struct rt_route *, size_t);

/* plan-build.c */
enum pin_kind { PIN_NONE, PIN_CONFIRMED, PIN_DISPATCHED };

/* A pickup of the planning pool, with its pin if any (from the store). */
struct plan_pickup {
	int64_t	 id;
	int	 status;
	double	 lat, lon;
	char	 from[11], to[11];
	char	*reference;
	char	*body;			/* canonical document */
	int	 pin;			/* enum pin_kind */
	char	 pin_centre[NET_ID_MAX];
	char	 pin_day[11];
	char	 pin_vehicle[64];
	int	 pin_seq;
	char	 region[NET_ID_MAX];	/* "" when the pickup names none */
};

/* Where the previous plan had a pickup (for "what changed"). */
struct plan_prev {
	int64_t	 pickup;
	char	 centre[NET_ID_MAX];
	char	 day[11];
	char	 vehicle[64];
	int	 seq;			/* place in its route, from 1 */
	int	 deferred;
	char	 reason[48];		/* when deferred */
};

/*
 * Everything one solve plans over, snapshotted when it starts so the
 * result is checked against what the solver was given.
 */
struct plan_input {
	int64_t			 id;
	long long		 day0;		/* first day planned */
	int			 ndays;
	unsigned char		*closed;	/* [ndays]; NULL: none */
	/* windows ending in the closed days just before day0 are due on
	   it, and received ones ending up to carry_over days before */
	int			 closed_before;
	int			 carry_over;
	struct matrix_model	 model;		/* distances and times */
	struct network		 net;
	const struct catalogue	*cat;		/* borrowed */
	struct plan_pickup	*pk;		/* by id */
	size_t			 npk;
	int64_t			 previous;	/* current plan, 0: none */
	char			*region;	/* NULL: the whole network */
	char			*node;		/* the node that runs it */
	double			 move_cost;	/* replan_move_cost */
	char			*distances;	/* how legs were measured */
	struct plan_prev	*prev;
	size_t			 nprev;
	/* derived by plan_problem_json */
	struct rt_vehicle	*veh;
	size_t			 nveh;
	struct rt_stop		*st;		/* one per pk */
	char			**reasons;	/* owned defer reasons */
	size_t			 nreasons;
};

/* A checked plan, ready for store_plan_save. */
struct plan_output {
	struct rt_route	*routes;
	size_t		 nroutes;
	int		 from_solver;	/* routes came from recirc-solve */
	double		 cost;		/* total, for best_cost */
	char		*kpis;		/* JSON text */
	char		*changes;	/* JSON text */
};

char	*plan_problem_json(struct plan_input *, char **);
char	*plan_problem_matrix(const struct plan_input *);
int	 plan_result_read(struct plan_input *, const char *, size_t,
	    struct plan_output *, char **);
void	 plan_input_free(struct plan_input *);
void	 plan_region(struct plan_input *);
void	 plan_output_clear(struct plan_output *);
void	 plan_pickup_clear(struct plan_pickup *);
void	 plan_pickups_free(struct plan_pickup *, size_t);

/* token.c */
#define TOKEN_HASH_LEN 32
enum role {
	ROLE_OPERATOR,
	ROLE_OPS,
	ROLE_PLANNER,
	ROLE_ADMIN,
	ROLE_COUNT
};
int	 digest_sha256(const void *, size_t, unsigned char [32]);
int	 hmac_sha256(const void *, size_t, const void *, size_t,
	    unsigned char [32]);
char	*token_generate(void);
int	 token_hash(const char *, unsigned char [TOKEN_HASH_LEN]);
const char *role_name(enum role);
int	 role_parse(const char *);
void	 hex_encode(const unsigned char *, size_t, char *);

/* webhook.c: operators' webhooks (pure: registrations, bodies, back-off) */
enum wh_event {
	WH_SCHEDULED,
	WH_MOVED,
	WH_DEFERRED,
	WH_COLLECTED,
	WH_NOT_COLLECTED,
	WH_CANCELLED,
	WH_AMENDED,
	WH_EVENT_COUNT
};
#define WH_URL_MAX	2048
#define WH_SECRET_MIN	16
#define WH_SECRET_MAX	256

struct webhook {
	int64_t	 id;
	char	*operator, *url, *secret;
	unsigned events;		/* bits (1 << enum wh_event) */
	int64_t	 created;
};

/* One delivery of the outbox, as read to send or to show. */
struct wh_delivery {
	int64_t	 id, webhook, pickup, created;
	char	 event[16];
	char	 state[12];		/* pending, delivered, dead */
	char	*data;			/* the event's JSON object */
	char	*url, *secret;		/* the webhook's, when read to send */
	int	 attempts;
	int64_t	 next_at, last_at, delivered;
	int	 last_status;		/* HTTP status; 0: no answer */
	char	*last_error;
};

const char *wh_event_name(enum wh_event);
int	 wh_event_parse(const char *);
char	*wh_events_text(unsigned);
unsigned wh_events_parse(const char *);
int	 wh_parse(json_t *, enum role, const char *, struct webhook *,
	    struct api_error *);
json_t	*wh_json(const struct webhook *);
char	*wh_body(const struct wh_delivery *);
int	 wh_signature(const char *, const char *, size_t, char [72]);
int64_t	 wh_backoff(int, long long, int64_t);
void	 wh_outcome(struct wh_delivery *, int, const char *, int64_t,
	    long long, long long);
char	*wh_data_plan(int64_t, const char *, int, const char *, const char *,
	    const char *);
char	*wh_data_field(int, const char *, double);
char	*wh_data_amended(unsigned, const char *);
char	*wh_data_cancelled(const char *);
void	 webhook_clear(struct webhook *);
void	 webhooks_free(struct webhook *, size_t);
void	 wh_delivery_clear(struct wh_delivery *);
void	 wh_deliveries_free(struct wh_delivery *, size_t);

/* store.c */
/*
 * The storage interface.  store.c picks the engine the database value
 * names and forwards each store_* call to its table (store-int.h;
 * store-sqlite.c is SQLite's); the contracts are at the forwards.
 */
enum store_result {
	STORE_OK,
	STORE_NOTFOUND,
	STORE_CONFLICT,		/* same key or reference, different body */
	STORE_REPLAY,		/* same key or reference, same body */
	STORE_INVALID,		/* not allowed in the pickup's state */
	STORE_ERROR,		/* a bug or a constraint: 500 */
	STORE_UNAVAILABLE	/* disk full, I/O error, busy: 503 */
};

struct pickup_row {
	int64_t	 id;
	char	*operator;
	char	*reference;
	int	 status;		/* enum pickup_status */
	char	*body;			/* canonical document (JSON text) */
	int64_t	 created, updated;
	/* the current plan's word, when read with it ("" when none) */
	int64_t	 plan_id;
	char	 plan_day[11], plan_vehicle[64], plan_eta[6];
	int	 plan_seq;
	char	 defer_reason[48];
	/* its pin, while it is scheduled: "confirmed", "dispatched" or "" */
	char	 pin[12];
	int64_t	 pin_at;
	char	*pin_by;		/* who pinned it, or NULL */
};

struct pickup_event {
	int	 status;
	int64_t	 at;
	char	*actor;
	char	*detail;
};

struct pickup_query {
	const char	*operator;	/* NULL: every operator */
	int		 status;	/* -1: any */
	int64_t		 since;		/* created >= since */
	int64_t		 after_id;	/* paging cursor */
	long long	 limit;
	const char	*reference;	/* NULL: any */
	const char	*day_before;	/* scheduled for a day before
					   this (YYYY-MM-DD); NULL: any */
};

struct token_row {
	int64_t	 id;
	char	*operator;
	int	 role;
	int64_t	 created, revoked;	/* revoked 0: live */
};

/* A plan as stored; JSON members as text. */
struct plan_row {
	int64_t	 id;
	char	 state[12];
	char	*phase, *trigger, *requested_by, *reason, *kpis, *changes;
	char	 horizon_from[11];
	int	 horizon_days;
	char	*horizon_closed;	/* "YYYY-MM-DD,...", NULL: none */
	int	 has_best;
	double	 best_cost;
	int64_t	 created, started, finished, previous;
	char	*region;		/* NULL: the whole network */
	char	*node;			/* who runs it, or ran it last */
};

/* A plan to queue (store_plan_create). */
struct plan_new {
	const char	*trigger;	/* "manual", "schedule" */
	const char	*actor;
	const char	*from;		/* first day, YYYY-MM-DD */
	int		 days;
	const char	*closed;	/* its closed days, "d1,d2"; NULL */
	const char	*region;	/* NULL: the whole network */
	const char	*night;		/* schedule: one per region and night */
};

struct stop_row {
	int	 seq;
	int64_t	 pickup;
	char	 eta[6];
	double	 load_kg, lat, lon;
	int	 status;		/* the pickup's, now */
	char	 pin[12];		/* its pin, while scheduled, or "" */
	char	*reference;
	char	*body;			/* the pickup's document */
};

struct route_row {
	int64_t		 id;
	char		 vehicle[64], vehicle_type[NET_ID_MAX];
	char		 centre[NET_ID_MAX], day[11], source[12];
	char		 starts[6], ends[6];
	double		 km, cost, load_kg, load_m3;
	int		 load_items;
	struct stop_row	*stops;
	size_t		 nstops;
	char		*geometry;	/* encoded polyline, NULL: none */
};

/* What the field reported on a plan's pickups. */
/* A crew's reason for a pickup not collected (pickup.c). */
enum field_code { FIELD_NOT_OUT, FIELD_NO_ACCESS, FIELD_CONTAMINATED,
	FIELD_OVERWEIGHT, FIELD_CODE_COUNT };
const char *field_code_name(int);
int	 field_code_parse(const char *);

/* Which field events to count: of a plan's pickups (0: any), recorded in
 * [from, to) (unix seconds), of an operator's pickups (NULL: any). */
struct field_filter {
	int64_t		 plan;
	int64_t		 from, to;
	const char	*operator;
};

struct field_rates {
	long long	collected, not_collected, sorted;
	double		collected_kg;
	double		sorted_kg[STREAM_COUNT];
	long long	sorted_n[STREAM_COUNT];
	long long	missed[FIELD_CODE_COUNT];	/* not collected, why */
};

enum field_kind { FIELD_COLLECTED, FIELD_NOT_COLLECTED, FIELD_SORTED };
int	 pickup_field_to(enum field_kind, enum pickup_status);	/* pickup.c */
void	 field_rates_add(struct field_rates *, const char *, const char *,
	    const char *, double);

/* What an engine needs of the group commit (store_caps, commit.c). */
enum store_cap {
	STORE_CAP_SYNC = 1,		/* COMMIT is durable after store_sync */
	STORE_CAP_CHECKPOINT = 2,	/* store_checkpoint on its own thread */
	STORE_CAP_MANY = 4		/* store_pickup_insert_many saves trips */
};

struct store;
struct passwd;
int	 store_is_postgresql(const char *);
char	*store_display(const char *);
int	 store_own(const char *, const struct passwd *, char **);
struct store *store_open(const char *, int, char **);
void	 store_close(struct store *);
int	 store_migrate(struct store *, char **);
int	 store_version(struct store *);
unsigned store_caps(struct store *);
int	 store_set_writer(struct store *, void (*)(void *), void *, char **);
int	 store_sync(struct store *, char **);
int	 store_checkpoint(struct store *, char **);
int	 store_begin(struct store *, char **);
int	 store_commit(struct store *, char **);
void	 store_rollback(struct store *);
int	 store_integrity(struct store *, char **);
int	 store_backup(struct store *, const char *, char **);
enum store_result store_pickup_insert(struct store *,
	    const struct pickup_new *, int64_t, struct pickup_row *, int *,
	    char **);
enum store_result store_pickup_insert_many(struct store *,
	    const struct pickup_new *const *, size_t, int64_t,
	    struct pickup_row *const *, int *, char **);
enum store_result store_pickup_get(struct store *, int64_t, const char *,
	    struct pickup_row *, char **);
enum store_result store_pickup_history(struct store *, int64_t,
	    struct pickup_event **, size_t *, char **);
enum store_result store_pickup_list(struct store *,
	    const struct pickup_query *, struct pickup_row **, size_t *,
	    char **);
/* An amendment of a pickup (store_pickup_amend; api-pickups.c). */
struct pickup_amend {
	int64_t			 id;
	const char		*op;		/* NULL: any operator's */
	const char		*old_body;	/* what the patch was applied to */
	const struct pickup_new	*p;		/* the new canonical form */
	unsigned		 changed;	/* 1u << PM_...: changed */
	const char		*actor;
	int64_t			 now;
	int			 status;	/* out: the pickup's status */
	int			 bad_region;	/* out: no centre in p->region */
};
enum store_result store_pickup_amend(struct store *, struct pickup_amend *,
	    char **);
enum store_result store_pickup_cancel(struct store *, int64_t,
	    const char *, const char *, int64_t, struct pickup_row *, char **);
enum store_result store_pickup_counts(struct store *, const char *,
	    long long [PICKUP_STATUS_COUNT], char **);
enum store_result store_token_add(struct store *, const char *, enum role,
	    const unsigned char [TOKEN_HASH_LEN], int64_t, int64_t *, char **);
enum store_result store_token_lookup(struct store *,
	    const unsigned char [TOKEN_HASH_LEN], char **, enum role *,
	    char **);
enum store_result store_token_list(struct store *, struct token_row **,
	    size_t *, char **);
enum store_result store_token_revoke(struct store *, int64_t, int64_t,
	    char **);
enum store_result store_network_put(struct store *, enum net_kind,
	    const void *, int, int64_t, char **);
enum store_result store_network_delete(struct store *, enum net_kind,
	    const char *, char **);
enum store_result store_network_load(struct store *, struct network *,
	    char **);
enum store_result store_plan_create(struct store *, const struct plan_new *,
	    int64_t, int64_t *, char **);
enum store_result store_plan_state(struct store *, int64_t, const char *,
	    const char *, const char *, const char *, int64_t, char **);
enum store_result store_plan_claim(struct store *, const char *, int64_t,
	    int64_t, int64_t *, char **);
enum store_result store_plan_renew(struct store *, const char *, int64_t,
	    char **);
enum store_result store_plan_problem(struct store *, int64_t, const char *,
	    char **);
enum store_result store_plan_best(struct store *, int64_t, double, char **);
enum store_result store_plan_get(struct store *, int64_t, struct plan_row *,
	    char **);
enum store_result store_plan_list(struct store *, int, struct plan_row **,
	    size_t *, char **);
enum store_result store_plan_current(struct store *, const char *,
	    int64_t *, char **);
enum store_result store_plan_fail_stale(struct store *, const char *,
	    int64_t, char **);
enum store_result store_plan_last(struct store *, const char *, int64_t *,
	    char **);
enum store_result store_plan_input(struct store *, struct plan_input *,
	    char **);
enum store_result store_plan_result(struct store *, int64_t, char **,
	    char **);
enum store_result store_plan_assignments(struct store *, int64_t,
	    struct plan_prev **, size_t *, char **);
enum store_result store_plan_save(struct store *, const struct plan_input *,
	    const struct plan_output *, const char *, int64_t, char **);
enum store_result store_plan_routes(struct store *, int64_t, const char *,
	    const char *, struct route_row **, size_t *, char **);
enum store_result store_pin_confirm(struct store *, int64_t, const char *,
	    int64_t, char **);
enum store_result store_pin_dispatch(struct store *, int64_t, const char *,
	    const char *, const char *, int64_t, int *, char **);
enum store_result store_field_event(struct store *, int64_t, enum field_kind,
	    const char *, int, double, const char *, int64_t,
	    struct pickup_row *, char **);
enum store_result store_field_rates(struct store *,
	    const struct field_filter *, struct field_rates *, char **);
enum store_result store_webhook_add(struct store *, const struct webhook *,
	    int64_t, int64_t *, char **);
enum store_result store_webhook_list(struct store *, const char *, int64_t,
	    struct webhook **, size_t *, char **);
enum store_result store_webhook_redeliver(struct store *, int64_t,
	    const char *, int64_t, int64_t, long *, char **);
enum store_result store_webhook_remove(struct store *, int64_t,
	    const char *, int64_t, char **);
enum store_result store_webhook_due(struct store *, int64_t, int, int64_t,
	    struct wh_delivery **, size_t *, char **);
enum store_result store_webhook_record(struct store *,
	    const struct wh_delivery *, size_t, char **);
enum store_result store_webhook_deliveries(struct store *, int64_t,
	    const char *, int, struct wh_delivery **, size_t *, char **);
enum store_result store_webhook_pending(struct store *, long long *,
	    int64_t *, char **);
enum store_result store_webhook_prune(struct store *, int64_t, char **);
/* A road leg of the cache: places by matrix_place_key, NAN: no road. */
struct road_leg {
	int64_t	 a, b;
	double	 km, min;
};
enum store_result store_road_from(struct store *, const char *, int64_t,
	    struct road_leg **, size_t *, char **);
enum store_result store_road_put(struct store *, const char *,
	    const struct road_leg *, size_t, int64_t, long long, char **);
void	 plan_row_clear(struct plan_row *);
void	 plan_rows_free(struct plan_row *, size_t);
void	 stop_row_clear(struct stop_row *);
void	 route_row_clear(struct route_row *);
void	 route_rows_free(struct route_row *, size_t);
void	 pickup_row_clear(struct pickup_row *);
void	 pickup_rows_free(struct pickup_row *, size_t);
void	 pickup_event_clear(struct pickup_event *);
void	 pickup_events_free(struct pickup_event *, size_t);
void	 token_row_clear(struct token_row *);
void	 token_rows_free(struct token_row *, size_t);

/* metrics.c: a histogram (the rest of metrics.c is below) */
#define METRICS_HIST_MAX	16
struct metrics_hist {
	const double		*bounds;	/* upper bounds, ascending */
	size_t			 nbounds;
	unsigned long long	 count[METRICS_HIST_MAX + 1];	/* +Inf last */
	unsigned long long	 n;
	double			 sum;
};

/* commit.c */
enum commit_kind {
	COMMIT_INSERT,
	COMMIT_CANCEL,
	COMMIT_CALL		/* apply(): any other write */
};

/*
 * One write for the group-commit thread.  The loop fills the request part
 * and done(); the thread fills the result part; done() runs on the loop
 * after the batch's COMMIT returned (or failed: STORE_UNAVAILABLE).
 */
struct commit_job {
	enum commit_kind	 kind;
	struct pickup_new	 pickup;	/* COMMIT_INSERT */
	int64_t			 id;		/* COMMIT_CANCEL */
	char			*operator;	/* CANCEL: NULL = any */
	char			*actor;
	/*
	 * COMMIT_CALL: run on the writer's connection inside the batch's
	 * transaction, in a savepoint of its own (all or nothing); the
	 * result goes to result and cause, anything else to data, which
	 * done() frees.
	 */
	enum store_result	(*apply)(struct store *, struct commit_job *,
				    char **);
	void			*data;

	enum store_result	 result;
	struct pickup_row	 row;
	int			 conflict_key;	/* conflict on the key */
	int			 broken;	/* failed as a bug: 500 */
	int			 inserted;	/* by its run of inserts */
	char			*cause;

	void			(*done)(struct commit_job *, void *);
	void			*arg;
	uint64_t		 seq;		/* commit.c: its batch */
	struct commit_job	*next;
};

struct committer;
struct commit_stats {
	long long	 batches;	/* transactions the writer ran */
	long long	 jobs;		/* writes in them */
	long long	 syncs;		/* store_syncs (0: COMMIT is durable) */
	struct metrics_hist batch_size;	/* writes per transaction */
	struct metrics_hist sync_seconds;	/* each store_sync */
};

struct committer *commit_start(const char *, long long, char **);
void	 commit_submit(struct committer *, struct commit_job *);
void	 commit_call(struct committer *, enum store_result (*)(struct store *,
	    struct commit_job *, char **), void *,
	    void (*)(struct commit_job *, void *), void *);
int	 commit_fd(struct committer *);
void	 commit_drain(struct committer *);
int	 commit_idle(struct committer *);
void	 commit_stop(struct committer *);
void	 commit_set_batch(struct committer *, long long);
void	 commit_job_free(struct commit_job *);
void	 commit_stats(struct committer *, struct commit_stats *);

/* auth.c */
struct auth_cache;
struct auth_cache *auth_cache_new(void);
void	 auth_cache_free(struct auth_cache *);
enum store_result auth_lookup(struct auth_cache *, struct store *,
	    const char *, long long, char **, enum role *, char **);

/* http.c */
struct evhttp_request;
struct event_base;
struct http_req;

enum http_method {
	HTTP_M_GET = 1,
	HTTP_M_POST = 2,
	HTTP_M_PUT = 4,
	HTTP_M_DELETE = 8,
	HTTP_M_HEAD = 16,
	HTTP_M_PATCH = 32,
	HTTP_M_OPTIONS = 64,
	HTTP_M_OTHER = 128
};

/*
 * One endpoint (api.c's table): methods is a set of HTTP_M_*, pattern a
 * path whose "{id}" segment matches a positive integer and "{name}" an
 * id-like word, roles a set of bits (1 << enum role), 0 for an endpoint
 * without authentication.
 */
struct http_route {
	int		 methods;
	const char	*pattern;
	unsigned	 roles;		/* 1 << enum role each; 0: no token */
	void		(*handler)(struct http_req *);
};
#define HTTP_ROLES_STAFF	((1u << ROLE_OPS) | (1u << ROLE_PLANNER) | \
				    (1u << ROLE_ADMIN))
/* roles of /metrics: staff with metrics_auth, no token without */
#define HTTP_ROLES_METRICS	(1u << 31)

/* Everything the daemon shares between requests; one per process. */
struct server {
	struct conf		*conf;
	struct catalogue	*catalogue;
	struct store		*store;		/* the loop's reader */
	struct committer	*committer;
	struct auth_cache	*auth;
	struct event_base	*base;
	void			*http;		/* struct evhttp */
	void			*listener;	/* bound socket handle */
	void			*metrics_http;	/* struct evhttp on metrics_listen */
	const struct http_route	*routes;	/* api.c's table */
	size_t			 nroutes;
	time_t			 started;
	int			 draining;
	long			 inflight;	/* requests not yet replied */
	void			*planner;	/* struct planner, plan.c */
	void			*conns;		/* struct http_conns, http-conn.c */
	void			*metrics_conns;	/* the metrics listener's */
	void			*metrics;	/* struct metrics, metrics.c */
	void			*webhooks;	/* struct wh_sender, webhook-send.c */
};

/* One request as the api files see it; http.c owns its lifetime. */
struct http_req {
	struct server		*srv;
	struct evhttp_request	*ev;
	double			 arrived;	/* time_mono() */
	int			 method;
	char			*path;
	const char		*body;		/* not NUL-terminated */
	size_t			 body_len;
	int64_t			 id;		/* the {id} in the path */
	int			 route;		/* in srv->routes; -1: none */
	char			 name[64];	/* the {name}s in the path, '/'
						   between them */
	char			*operator;	/* authenticated caller */
	enum role		 role;
	void			*query;		/* struct evkeyvalq */
	int			 replied;
	int			 deferred;
	int			 in_handler;	/* http.c frees r after */
	int			 on_metrics;	/* came in on metrics_listen */
};

int	 http_listen_socket(const char *, char **);
int	 http_start(struct server *, const struct http_route *, size_t, int,
	    char **);
int	 http_start_metrics(struct server *, int, char **);
void	 http_apply_limits(struct server *);
const char *http_reason(int);
const char *http_method_name(int);

/* http-conn.c: the connection guard (caps, header deadline, JSON errors) */
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
int	 http_conn_start(struct server *, struct evhttp *,
	    struct evhttp_bound_socket *, int, char **);
void	 http_conn_request(struct server *, struct evhttp_request *, int);
void	 http_conn_counts(const struct server *, long *, long *, long *);
void	 http_conn_free(struct server *);
void	 http_stop_accepting(struct server *);
void	 http_free(struct server *);
const char *http_header(struct http_req *, const char *);
const char *http_bearer(struct http_req *);
int	 http_principal(struct http_req *, const char *, struct api_error *);
const char *http_query(struct http_req *, const char *);
void	 http_defer(struct http_req *);
void	 http_set_header(struct http_req *, const char *, const char *);
void	 http_reply_text(struct http_req *, int, const char *, size_t);
void	 http_reply_typed(struct http_req *, int, const char *, const char *,
	    size_t);
void	 http_store_failed(struct http_req *, enum store_result, const char *);
int	 http_json_content(struct http_req *);
void	 http_error(struct http_req *, int, const char *, const char *,
	    const char *, ...) PRINTFLIKE(5, 6);
void	 http_reply_json(struct http_req *, int, json_t *);
void	 http_reply_error(struct http_req *, const struct api_error *);
json_t	*http_json_body(struct http_req *);

/* http-client.c: the daemon's outgoing HTTP (libcurl multi) */
#define HC_HEADERS_MAX	6
struct hc_request {
	const char	*url;
	const char	*body;		/* NULL: a GET */
	size_t		 body_len;
	const char	*headers[HC_HEADERS_MAX + 1];	/* "Name: value" */
	size_t		 max_response;	/* bytes kept; 0: none */
	/* out */
	long		 status;	/* HTTP status; 0: no answer */
	char		 error[256];	/* why, when no answer */
	char		*response;
	size_t		 response_len;
};
int	 hc_init(char **);
void	 hc_cleanup(void);
void	 hc_run(struct hc_request *, size_t, long, long, int, const int *);

/* osrm.c: OSRM's table service (pure) */
char	*osrm_table_url(const char *, const char *, const double *,
	    const double *, const size_t *, size_t, const size_t *, size_t);
int	 osrm_table_parse(const char *, size_t, size_t, size_t, double *,
	    double *, const char **, char [128]);
char	*osrm_route_url(const char *, const char *, const double *,
	    const double *, size_t);
int	 osrm_polyline_decode(const char *, double **, double **, size_t *);
char	*osrm_route_parse(const char *, size_t, const char **);

/* roads.c: a plan's road legs, from the cache and the router */
struct roads_conf {
	char		*url;		/* the router's; NULL: straight lines */
	char		 profile[64];
	long long	 max_table, timeout, max_points, cache_max;
	int		 fallback_no;	/* router_fallback no */
};
struct roads_result {
	struct matrix_table	*table;		/* NULL: straight lines */
	struct road_leg		*fresh;		/* fetched: for the cache */
	size_t			 nfresh;
	char			*note;		/* the KPIs' "distances" */
};
const char *roads_url(const struct conf *);
void	 roads_conf_from(struct roads_conf *, const struct conf *);
void	 roads_conf_clear(struct roads_conf *);
int	 roads_prepare(const struct roads_conf *, struct store *,
	    const double *, const double *, size_t, const int *,
	    struct roads_result *);
void	 roads_result_clear(struct roads_result *);
void	 roads_paths(const char *, const char *, long long, double *const *,
	    double *const *, const size_t *, size_t, char **, const int *);
void	 roads_counts(long long *, long long *, long long *, long long *);

/* webhook-send.c: the delivery worker */
int	 webhook_start(struct server *, char **);
void	 webhook_reconfigure(struct server *);
void	 webhook_stop(struct server *);
void	 webhook_free(struct server *);
void	 webhook_counts(struct server *, long long *, long long *,
	    long long *);

/* api-webhooks.c */
void	 api_webhooks_create(struct http_req *);
void	 api_webhooks_list(struct http_req *);
void	 api_webhook_get(struct http_req *);
void	 api_webhook_delete(struct http_req *);
void	 api_webhook_redeliver(struct http_req *);
void	 api_webhook_deliveries(struct http_req *);

/* plan.c */
int	 plan_init(struct server *, char **);
void	 plan_free(struct server *);
void	 plan_shutdown(struct server *);
int	 plan_idle(struct server *);
void	 plan_wait_prepared(struct server *);
int	 plan_running(struct server *, int64_t);
int64_t	 plan_deadline(struct server *, int64_t);
void	 plan_reconfigure(struct server *);
int64_t	 plan_now(struct server *);
char	*plan_window_notice(struct server *, const char *, const char *,
	    char [11]);
int64_t	 plan_next_run(struct server *);
void	 plan_set_clock(struct server *, int64_t);
enum store_result plan_enqueue(struct server *, const char *, const char *,
	    int, const char *, const char *, int64_t *, char **);

/* api.c */
extern const struct http_route api_routes[];
extern const size_t api_nroutes;

/* api-status.c */
void	 api_healthz(struct http_req *);
/* metrics.c */
void	 metrics_hist_init(struct metrics_hist *, const double *, size_t);
void	 metrics_hist_observe(struct metrics_hist *, double);
void	 metrics_hist_write(char **, const char *,
	    const struct metrics_hist *);
void	 metrics_latency(struct server *, double);
void	 metrics_plan(struct server *, int, double);
void	 metrics_get(struct server *, const struct metrics_hist **,
	    const struct metrics_hist **, unsigned long long *,
	    unsigned long long *);
void	 metrics_count(struct server *, int, int, int);
void	 metrics_each(const struct server *, void (*)(void *, const char *,
	    const char *, int, unsigned long long), void *);
void	 metrics_free(struct server *);

/* open311.c: GeoReport v2 in recircd's terms (pure) */
struct o311_field {
	char	*key, *value;
};
struct o311_form {
	struct o311_field	*f;
	size_t			 n;
};
int	 o311_form_parse(const char *, size_t, struct o311_form *,
	    const char **);
void	 o311_form_clear(struct o311_form *);
const char *o311_form_get(const struct o311_form *, const char *);
json_t	*o311_pickup(const struct o311_form *, const struct catalogue *,
	    long long, long long, struct api_error *);
const char *o311_status(int);
json_t	*o311_services(const struct catalogue *);
json_t	*o311_definition(const struct catalogue *, const char *);
json_t	*o311_request(const struct pickup_row *);
json_t	*o311_error(int, const char *);
int	 o311_datetime(const char *, int64_t *);

/* api-open311.c */
void	 api_o311_discovery(struct http_req *);
void	 api_o311_services(struct http_req *);
void	 api_o311_service(struct http_req *);
void	 api_o311_create(struct http_req *);
void	 api_o311_list(struct http_req *);
void	 api_o311_get(struct http_req *);
void	 api_o311_other(struct http_req *);

/* api-map.c */
void	 api_map_page(struct http_req *);
void	 api_map_script(struct http_req *);
void	 api_map_style(struct http_req *);
void	 api_map_leaflet(struct http_req *);

void	 api_status(struct http_req *);
void	 api_metrics(struct http_req *);
void	 api_openapi(struct http_req *);

/* api-pickups.c */
/*
 * The arguments and results of a pin or field event, written by the
 * group commit's writer (so the loop never waits on the disk or on the
 * writer's lock) and answered from its done() callback.
 */
struct api_write {
	int64_t			 id, now;
	char			 vehicle[64];
	char			*day, *actor, *code;
	enum field_kind		 kind;
	int			 stream, count;
	double			 kg;
};

void	 api_pickups_create(struct http_req *);
void	 api_pickups_validate(struct http_req *);
void	 api_pickups_list(struct http_req *);
void	 api_pickup_get(struct http_req *);
void	 api_pickup_cancel(struct http_req *);
void	 api_pickup_amend(struct http_req *);
json_t	*api_field_json(const struct field_rates *);	/* api-reports.c */
void	 api_report_field(struct http_req *);
void	 api_pickup_confirm(struct http_req *);
void	 api_pickup_event(struct http_req *);
void	 api_write(struct http_req *, struct api_write *,
	    enum store_result (*)(struct store *, struct commit_job *, char **),
	    void (*)(struct commit_job *, void *));
void	 api_write_free(struct commit_job *);

/* api-network.c */
void	 api_network_list(struct http_req *);
void	 api_network_get(struct http_req *);
void	 api_network_create(struct http_req *);
void	 api_network_update(struct http_req *);
void	 api_network_delete(struct http_req *);

/* api-plans.c */
void	 api_plans_create(struct http_req *);
void	 api_plans_list(struct http_req *);
void	 api_plan_current(struct http_req *);
void	 api_plan_get(struct http_req *);
int	 api_plan_load(struct http_req *, int64_t, struct plan_row *);
json_t	*api_time(int64_t);

/* api-routes.c */
void	 api_plan_routes(struct http_req *);
void	 api_plan_manifest(struct http_req *);
void	 api_plan_dispatch(struct http_req *);

/* api-admin.c */
void	 api_clock_get(struct http_req *);
void	 api_clock_set(struct http_req *);

#endif /* RECIRCD_H */
