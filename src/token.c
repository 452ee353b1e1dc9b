/*
 * token.c -- API tokens and hashing; the one home of OpenSSL's libcrypto.
 *
 * Tokens are 32 random bytes from the OS (RAND_bytes), shown once as
 * "rct_" + 64 hex digits.  Only their SHA-256 is stored: a token has 256
 * bits of entropy, so a fast hash is enough (no password stretching
 * needed), and a stolen database does not give working tokens.
 * libcrypto is used rather than a hand-written SHA-256: it is the
 * maintained, audited implementation every Debian machine has.
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "recircd.h"

#define TOKEN_PREFIX	"rct_"
#define TOKEN_BYTES	32

static const char *role_names[ROLE_COUNT] = {
	"operator", "ops", "planner", "admin"
};

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int
role_parse(const char *name)
{
	return name_index(role_names, ROLE_COUNT, name);
}

/*
 * SHA-256 of buf; 0, or -1 when libcrypto cannot (no SHA-256 provider,
 * out of memory).  Every authenticated request hashes its token, so this
 * is that request's failure, not the daemon's end.  The algorithm is
 * fetched from the provider once: an implicit fetch on every call costs
 * more than hashing a token.
 */
int
digest_sha256(const void *buf, size_t len, unsigned char out[32])
{
	static EVP_MD	*md;
	unsigned int	 n = 32;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return -1;
	if (EVP_Digest(buf, len, out, &n, md, NULL) != 1 || n != 32)
		return -1;
	return 0;
}

/* Lower-case hex of buf into out (2 * len + 1 bytes). */
void
hex_encode(const unsigned char *buf, size_t len, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[buf[i] >> 4];
		out[2 * i + 1] = hex[buf[i] & 15];
	}
	out[2 * len] = '\0';
}

/*
 * HMAC-SHA256 of msg under key (RFC 2104), as webhook signatures use;
 * 0, or -1 when libcrypto fails.
 */
int
hmac_sha256(const void *key, size_t klen, const void *msg, size_t len,
    unsigned char out[32])
{
	unsigned int	n = 0;

	if (HMAC(EVP_sha256(), key, (int)klen, msg, len, out, &n) == NULL ||
	    n != 32)
		return -1;
	return 0;
}

/* A new random token; the caller frees it (and should wipe it). */
char *
token_generate(void)
{
	unsigned char	raw[TOKEN_BYTES];
	char		*tok;

	/* Only "recircd token add", a one-shot command, gets here. */
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		fatalx("token_generate: no randomness available");
	tok = xmalloc(sizeof(TOKEN_PREFIX) + 2 * TOKEN_BYTES);
	memcpy(tok, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
	hex_encode(raw, sizeof(raw), tok + sizeof(TOKEN_PREFIX) - 1);
	memset(raw, 0, sizeof(raw));
	return tok;
}

/* The stored form of token; 0, or -1 as digest_sha256. */
int
token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN])
{
	return digest_sha256(token, strlen(token), out);
}
