/*
 * store-int.h -- the storage interface between store.c and the engines.
 *
 * Only store.c, store-rows.c and the backends (store-sqlite.c, store-pg.c)
 * include this.  Everyone else calls the store_* functions of recircd.h,
 * which store.c forwards through the table below; see store.c's opening
 * comment for the rules of the table.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

struct passwd;

/*
 * One connection, as callers hold it.  A backend's connection structure
 * starts with this (so a struct store * is also a pointer to it) and
 * store.c fills be after the backend's open returned it.
 */
struct store {
	const struct store_backend	*be;
};

/*
 * An engine: its name, what it can do (STORE_CAP_*, recircd.h) and one
 * member per store_* function, with that function's signature and
 * contract (recircd.h, store.c, and the comment at the SQLite backend's
 * implementation).  Every member is required.
 */
struct store_backend {
	const char	*name;
	unsigned	 caps;

	/* the database's local files; connections and schema */
	int		 (*own)(const char *, const struct passwd *, char **);
	struct store	*(*open)(const char *, int, char **);
	void		 (*close)(struct store *);
	int		 (*migrate)(struct store *, char **);
	int		 (*version)(struct store *);
	int		 (*integrity)(struct store *, char **);
	/* a consistent copy into a new file while others write; NULL for
	   an engine that is backed up with its own tools */
	int		 (*backup)(struct store *, const char *, char **);

	/* transactions: top level, or a savepoint inside one */
	int		 (*begin)(struct store *, char **);
	int		 (*commit)(struct store *, char **);
	void		 (*rollback)(struct store *);

	/* durability: the group commit's writer (commit.c), STORE_CAP_* */
	int		 (*set_writer)(struct store *, void (*)(void *), void *,
			    char **);
	int		 (*sync)(struct store *, char **);
	int		 (*checkpoint)(struct store *, char **);

	/* pickups */
	enum store_result (*pickup_insert)(struct store *,
			    const struct pickup_new *, int64_t,
			    struct pickup_row *, int *, char **);
	/* NULL: store.c's store_pickup_insert_many does nothing */
	enum store_result (*pickup_insert_many)(struct store *,
			    const struct pickup_new *const *, size_t, int64_t,
			    struct pickup_row *const *, int *, char **);
	enum store_result (*pickup_get)(struct store *, int64_t, const char *,
			    struct pickup_row *, char **);
	enum store_result (*pickup_history)(struct store *, int64_t,
			    struct pickup_event **, size_t *, char **);
	enum store_result (*pickup_list)(struct store *,
			    const struct pickup_query *, struct pickup_row **,
			    size_t *, char **);
	enum store_result (*pickup_amend)(struct store *,
			    struct pickup_amend *, char **);
	enum store_result (*pickup_cancel)(struct store *, int64_t,
			    const char *, const char *, int64_t,
			    struct pickup_row *, char **);
	enum store_result (*pickup_counts)(struct store *, const char *,
			    long long [PICKUP_STATUS_COUNT], char **);

	/* tokens */
	enum store_result (*token_add)(struct store *, const char *, enum role,
			    const unsigned char [TOKEN_HASH_LEN], int64_t,
			    int64_t *, char **);
	enum store_result (*token_lookup)(struct store *,
			    const unsigned char [TOKEN_HASH_LEN], char **,
			    enum role *, char **);
	enum store_result (*token_list)(struct store *, struct token_row **,
			    size_t *, char **);
	enum store_result (*token_revoke)(struct store *, int64_t, int64_t,
			    char **);

	/* the network */
	enum store_result (*network_put)(struct store *, enum net_kind,
			    const void *, int, int64_t, char **);
	enum store_result (*network_delete)(struct store *, enum net_kind,
			    const char *, char **);
	enum store_result (*network_load)(struct store *, struct network *,
			    char **);

	/* plans */
	enum store_result (*plan_create)(struct store *,
			    const struct plan_new *, int64_t, int64_t *,
			    char **);
	enum store_result (*plan_state)(struct store *, int64_t, const char *,
			    const char *, const char *, const char *, int64_t,
			    char **);
	enum store_result (*plan_claim)(struct store *, const char *, int64_t,
			    int64_t, int64_t *, char **);
	enum store_result (*plan_renew)(struct store *, const char *, int64_t,
			    char **);
	enum store_result (*plan_problem)(struct store *, int64_t,
			    const char *, char **);
	enum store_result (*plan_best)(struct store *, int64_t, double,
			    char **);
	enum store_result (*plan_get)(struct store *, int64_t,
			    struct plan_row *, char **);
	enum store_result (*plan_list)(struct store *, int, struct plan_row **,
			    size_t *, char **);
	enum store_result (*plan_current)(struct store *, const char *,
			    int64_t *, char **);
	enum store_result (*plan_fail_stale)(struct store *, const char *,
			    int64_t, char **);
	enum store_result (*plan_last)(struct store *, const char *, int64_t *,
			    char **);
	enum store_result (*plan_input)(struct store *, struct plan_input *,
			    char **);
	enum store_result (*plan_assignments)(struct store *, int64_t,
			    struct plan_prev **, size_t *, char **);
	enum store_result (*plan_result)(struct store *, int64_t, char **,
			    char **);
	enum store_result (*plan_save)(struct store *,
			    const struct plan_input *,
			    const struct plan_output *, const char *, int64_t,
			    char **);
	enum store_result (*plan_routes)(struct store *, int64_t, const char *,
			    const char *, struct route_row **, size_t *,
			    char **);

	/* pins and field events */
	enum store_result (*pin_confirm)(struct store *, int64_t, const char *,
			    int64_t, char **);
	enum store_result (*pin_dispatch)(struct store *, int64_t,
			    const char *, const char *, const char *, int64_t,
			    int *, char **);
	enum store_result (*field_event)(struct store *, int64_t,
			    enum field_kind, const char *, int, double,
			    const char *, int64_t, struct pickup_row *, char **);
	enum store_result (*field_rates)(struct store *,
			    const struct field_filter *, struct field_rates *,
			    char **);

	/* webhooks and their outbox */
	enum store_result (*webhook_add)(struct store *,
			    const struct webhook *, int64_t, int64_t *,
			    char **);
	enum store_result (*webhook_list)(struct store *, const char *,
			    int64_t, struct webhook **, size_t *, char **);
	enum store_result (*webhook_remove)(struct store *, int64_t,
			    const char *, int64_t, char **);
	enum store_result (*webhook_redeliver)(struct store *, int64_t,
			    const char *, int64_t, int64_t, long *, char **);
	enum store_result (*webhook_due)(struct store *, int64_t, int,
			    int64_t, struct wh_delivery **, size_t *, char **);
	enum store_result (*webhook_record)(struct store *,
			    const struct wh_delivery *, size_t, char **);
	enum store_result (*webhook_deliveries)(struct store *, int64_t,
			    const char *, int, struct wh_delivery **, size_t *,
			    char **);
	enum store_result (*webhook_pending)(struct store *, long long *,
			    int64_t *, char **);
	enum store_result (*webhook_prune)(struct store *, int64_t, char **);

	/* the road router's cache */
	enum store_result (*road_from)(struct store *, const char *, int64_t,
			    struct road_leg **, size_t *, char **);
	enum store_result (*road_put)(struct store *, const char *,
			    const struct road_leg *, size_t, int64_t,
			    long long, char **);
};

/*
 * What a pickup was before a plan moved it, as an engine reads it in the
 * plan's transaction (status -1: no such pickup).
 */
struct store_was {
	int	status;
	char	day[11], vehicle[64], eta[6], why[48];
};

/*
 * An engine's two writes of news, inside its transaction: a history
 * event of a pickup (id, status, at, actor, detail) and the outbox of
 * deliveries to its operator's webhooks (id, event, extra data, now).
 * store-rows.c's store_tell_* decide what to write, alike for every
 * engine; the engine calls them after changing the pickup's row.
 */
struct store_teller {
	enum store_result (*event)(struct store *, int64_t, int, int64_t,
			    const char *, const char *, char **);
	enum store_result (*webhook)(struct store *, int64_t, enum wh_event,
			    const char *, int64_t, char **);
};

enum store_result store_tell_plan(struct store *, const struct store_teller *,
	    const struct plan_input *, size_t, const struct store_was *,
	    int64_t, char **);
int	 store_pin_stale(const struct plan_input *, size_t, const char *);
enum store_result store_amend_check(struct pickup_amend *,
	    const struct pickup_row *);
enum store_result store_tell_amended(struct store *,
	    const struct store_teller *, const struct pickup_amend *, int,
	    char **);
enum store_result store_tell_field(struct store *,
	    const struct store_teller *, int64_t, enum field_kind, int,
	    const char *, int, double, const char *, int64_t, char **);
enum store_result store_tell_cancelled(struct store *,
	    const struct store_teller *, int64_t, const char *, int64_t,
	    char **);

extern const struct store_backend store_sqlite_backend;
#ifdef HAVE_LIBPQ
extern const struct store_backend store_pg_backend;
#endif

#endif /* STORE_INT_H */
