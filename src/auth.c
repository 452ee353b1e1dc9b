/*
 * auth.c -- who is calling: a bearer token to its operator and role.
 *
 * A token is looked up by its SHA-256 in the tokens table.  Hashing and
 * the query cost about a tenth of a submission's CPU, and the same few
 * tokens arrive thousands of times a second, so successful lookups are
 * remembered for a short time (auth_cache seconds, configurable, 0 turns
 * it off): a revoked token stops working within that time.  Failed
 * lookups are never cached, so a new token works at once.
 *
 * The cache is direct-mapped by a hash of the token; tokens are compared
 * in constant time.  Loop thread only.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "recircd.h"

#define AUTH_SLOTS 256

struct auth_entry {
	char		*token;
	char		*operator;
	enum role	 role;
	int64_t		 expires;	/* monotonic ms */
};

struct auth_cache {
	struct auth_entry slot[AUTH_SLOTS];
};

static int64_t
auth_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned
auth_slot(const char *token)
{
	uint32_t	h = 2166136261u;

	while (*token != '\0')
		h = (h ^ (unsigned char)*token++) * 16777619u;
	return h % AUTH_SLOTS;
}

/* 1 when a and b are equal; time depends on the lengths only. */
static int
auth_same(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b), i;
	unsigned char	 diff = la != lb;

	if (la != lb)
		return 0;
	for (i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0;
}

struct auth_cache *
auth_cache_new(void)
{
	return xcalloc(1, sizeof(struct auth_cache));
}

static void
auth_entry_clear(struct auth_entry *e)
{
	if (e->token != NULL)
		memset(e->token, 0, strlen(e->token));
	x_free(e->token);
	x_free(e->operator);
	memset(e, 0, sizeof(*e));
}

void
auth_cache_free(struct auth_cache *ac)
{
	int	i;

	if (ac == NULL)
		return;
	for (i = 0; i < AUTH_SLOTS; i++)
		auth_entry_clear(&ac->slot[i]);
	x_free(ac);
}

/*
 * The operator (a new string, caller frees) and role of token, from the
 * cache when a lookup younger than ttl seconds is there, else from st.
 * STORE_ERROR with *cause when the token cannot be hashed.
 */
enum store_result
auth_lookup(struct auth_cache *ac, struct store *st, const char *token,
    long long ttl, char **operator, enum role *role, char **cause)
{
	struct auth_entry	*e = &ac->slot[auth_slot(token)];
	unsigned char		 hash[TOKEN_HASH_LEN];
	enum store_result	 res;
	int64_t			 now = auth_now_ms();

	if (ttl > 0 && e->token != NULL && e->expires > now &&
	    auth_same(e->token, token)) {
		*operator = xstrdup(e->operator);
		*role = e->role;
		return STORE_OK;
	}
	if (token_hash(token, hash) == -1) {
		xasprintf(cause, "libcrypto cannot compute SHA-256");
		return STORE_ERROR;
	}
	res = store_token_lookup(st, hash, operator, role, cause);
	if (res == STORE_OK && ttl > 0) {
		auth_entry_clear(e);
		e->token = xstrdup(token);
		e->operator = xstrdup(*operator);
		e->role = *role;
		e->expires = now + ttl * 1000;
	}
	return res;
}
