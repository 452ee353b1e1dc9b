/*
 * ctl-http.c -- recircctl's HTTP: JSON requests to recircd over libcurl.
 *
 * The only file that includes curl/curl.h.  One easy handle per run, so a
 * paged listing or a batch of submissions reuses one connection.  Every
 * request ends in one of the exit statuses of ctl.h, with a message for the
 * user in *cause that says what went wrong: the server's own error message
 * for a 4xx; "connection refused", "timed out", "TLS: ..." and so on when
 * there was no usable answer.
 *
 * Safety: certificate and host name checks stay on (libcurl's default,
 * set again here so nobody wonders); only http and https are spoken;
 * redirects are not followed, since following one would hand the bearer
 * token to another server; bodies are capped; both the connection and the
 * whole request have a deadline.  libcurl's own verbose mode is never
 * turned on because it prints the Authorization header; -v prints our own
 * one-line trace instead.  --trace FILE (RECIRC_TRACE) appends each
 * exchange to FILE as a JSON line, the request and the whole reply but
 * never the token: for a report to the server's operator, and for the
 * tests, which check every reply against the OpenAPI document.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ctl.h"

#define CTL_HTTP_MAX_BODY	(64 * 1024 * 1024)

struct ctl_http {
	CURL	*curl;
	char	*base;		/* the server URL without a trailing '/' */
	char	*auth;		/* "Authorization: Bearer ...", or NULL */
	long	 timeout;
	int	 verbose;
	int	 trace;		/* --trace's file, or -1 */
	char	 errbuf[CURL_ERROR_SIZE];
};

struct ctl_http_buf {
	char	*data;
	size_t	 len;
	int	 overflow;
};

/* Abort a transfer as soon as *arg is set (an interrupt to act on). */
static int
ctl_http_stop_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	return *(volatile sig_atomic_t *)arg != 0;
}

/*
 * From now on, give up any request while *stop is set (by a signal
 * handler): libcurl retries an interrupted poll, so without this an
 * interrupt would wait for the request's timeout.
 */
void
ctl_http_stop_on(struct ctl_http *h, volatile sig_atomic_t *stop)
{
	curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, ctl_http_stop_cb);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, (void *)stop);
	curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
}

/* Once per process, before any thread exists. */
void
ctl_http_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
}

/* A client for the server in conf; conf's URL must be set.  Never NULL. */
struct ctl_http *
ctl_http_new(const struct ctl_conf *conf, int verbose)
{
	struct ctl_http	*h = xcalloc(1, sizeof(*h));
	size_t		 len;

	if ((h->curl = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	h->base = xstrdup(conf->url);
	len = strlen(h->base);
	while (len > 0 && h->base[len - 1] == '/')
		h->base[--len] = '\0';
	if (conf->token != NULL)
		xasprintf(&h->auth, "Authorization: Bearer %s", conf->token);
	h->timeout = conf->timeout > 0 ? conf->timeout : CTL_TIMEOUT_DEFAULT;
	h->verbose = verbose;
	h->trace = -1;

	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT,
	    "recircctl/" RECIRC_VERSION);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (conf->ca_file != NULL)
		curl_easy_setopt(h->curl, CURLOPT_CAINFO, conf->ca_file);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, h->timeout);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT,
	    h->timeout < CTL_CONNECT_TIMEOUT ? h->timeout :
	    (long)CTL_CONNECT_TIMEOUT);
	return h;
}

void
ctl_http_free(struct ctl_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	if (h->trace != -1)
		close(h->trace);
	free(h->base);
	if (h->auth != NULL) {
		memset(h->auth, 0, strlen(h->auth));
		free(h->auth);
	}
	free(h);
}

/* Append every exchange from now on to path (created 0600: replies hold
 * residents' addresses).  0, or -1 and *cause. */
int
ctl_http_trace(struct ctl_http *h, const char *path, char **cause)
{
	if (h->trace != -1)
		close(h->trace);
	h->trace = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (h->trace == -1) {
		xasprintf(cause, "trace file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A string member of o holding s (len bytes), or null if s is not UTF-8
 * (nothing recircd sends). */
static void
ctl_http_trace_str(json_t *o, const char *key, const char *s, size_t len)
{
	json_t	*v = s != NULL ? json_stringn(s, len) : NULL;

	json_object_set_new(o, key, v != NULL ? v : json_null());
}

/*
 * One line of --trace: when, method, URL, the path (with the query) the
 * server saw, the request's body, status, content type and the reply's
 * body.  One write(2) to an O_APPEND file, so that runs at once do not
 * interleave.  A failed write ends the trace with a warning.
 */
static void
ctl_http_trace_write(struct ctl_http *h, const char *method,
    const char *url, const char *body, const struct ctl_reply *r)
{
	json_t		*o;
	char		*line, when[32];
	const char	*ctype = NULL, *path = url + strlen(h->base);
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 len;
	ssize_t		 n;

	curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ctype);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object();
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "method", json_string(method));
	ctl_http_trace_str(o, "url", url, strlen(url));
	ctl_http_trace_str(o, "path", path, strlen(path));
	if (body != NULL)
		ctl_http_trace_str(o, "request", body, strlen(body));
	json_object_set_new(o, "status", json_integer(r->status));
	json_object_set_new(o, "content_type", ctype != NULL ?
	    json_string(ctype) : json_null());
	ctl_http_trace_str(o, "body", r->raw != NULL ? r->raw : "",
	    r->rawlen);
	line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (line == NULL)
		return;
	len = strlen(line);
	line[len] = '\n';	/* over the NUL: written by length */
	n = write(h->trace, line, len + 1);
	free(line);
	if (n != (ssize_t)(len + 1)) {
		ctl_msg("trace: %s", n == -1 ? strerror(errno) :
		    "short write");
		close(h->trace);
		h->trace = -1;
	}
}

void
ctl_reply_clear(struct ctl_reply *r)
{
	json_decref(r->body);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

static size_t
ctl_http_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ctl_http_buf	*b = arg;
	size_t			 n = size * nmemb;

	if (b->len + n > CTL_HTTP_MAX_BODY) {
		b->overflow = 1;
		return 0;
	}
	b->data = xreallocarray(b->data, b->len + n + 1, 1);
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* A header line of the answer: keeps the ETag. */
static size_t
ctl_http_header_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ctl_reply	*r = arg;
	size_t			 n = size * nmemb, k;

	if (n > 5 && strncasecmp(ptr, "ETag:", 5) == 0) {
		ptr += 5;
		n -= 5;
		while (n > 0 && (*ptr == ' ' || *ptr == '\t')) {
			ptr++;
			n--;
		}
		for (k = n; k > 0 && (ptr[k - 1] == '\r' ||
		    ptr[k - 1] == '\n' || ptr[k - 1] == ' '); k--)
			;
		if (k < sizeof(r->etag)) {
			memcpy(r->etag, ptr, k);
			r->etag[k] = '\0';
		}
	}
	return size * nmemb;
}

/* Why the transfer failed, in words; allocated. */
static char *
ctl_http_why(struct ctl_http *h, CURLcode code, const struct ctl_http_buf *b)
{
	char	*why;
	long	 oserr = 0;
	double	 connect = 0;

	switch (code) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED)
			return xstrdup("connection refused");
		if (oserr == ENETUNREACH || oserr == EHOSTUNREACH)
			return xstrdup("no route to host");
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		return xstrdup("cannot resolve the host name");
	case CURLE_COULDNT_RESOLVE_PROXY:
		return xstrdup("cannot resolve the proxy's host name");
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(h->curl, CURLINFO_CONNECT_TIME, &connect);
		if (connect == 0)
			xasprintf(&why, "timed out connecting");
		else
			xasprintf(&why, "timed out: no complete answer "
			    "within %ld s", h->timeout);
		return why;
	case CURLE_PEER_FAILED_VERIFICATION:
		xasprintf(&why, "TLS: the server's certificate is not trusted "
		    "(%s); see ca-file in recircctl(1)", h->errbuf);
		return why;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		xasprintf(&why, "TLS: %s", *h->errbuf != '\0' ? h->errbuf :
		    curl_easy_strerror(code));
		return why;
	case CURLE_GOT_NOTHING:
		return xstrdup("the server closed the connection without "
		    "answering");
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		xasprintf(&why, "connection broken: %s",
		    *h->errbuf != '\0' ? h->errbuf : curl_easy_strerror(code));
		return why;
	case CURLE_WRITE_ERROR:
		if (b->overflow) {
			xasprintf(&why, "the answer is larger than %d MiB",
			    CTL_HTTP_MAX_BODY / (1024 * 1024));
			return why;
		}
		break;
	default:
		break;
	}
	return xstrdup(*h->errbuf != '\0' ? h->errbuf :
	    curl_easy_strerror(code));
}

/*
 * The server's error message from a reply: "message (code, field F, HTTP
 * 422)" from the standard error body, else the start of the body, else just
 * the status.  Allocated and safe to print.
 */
char *
ctl_reply_error(const struct ctl_reply *r)
{
	const json_t	*e = json_object_get(r->body, "error");
	const char	*msg, *code, *field;
	char		*s, *out;

	msg = ctl_json_str(e, "message");
	code = ctl_json_str(e, "code");
	field = ctl_json_str(e, "field");
	if (msg != NULL || code != NULL)
		xasprintf(&s, "%s (%s%s%s, HTTP %ld)", msg ? msg : code,
		    code ? code : "error", field ? ", field " : "",
		    field ? field : "", r->status);
	else if (r->raw != NULL && r->rawlen > 0 && r->body == NULL)
		xasprintf(&s, "HTTP %ld: %.*s", r->status,
		    (int)strcspn(r->raw, "\r\n") > 200 ? 200 :
		    (int)strcspn(r->raw, "\r\n"), r->raw);
	else
		xasprintf(&s, "HTTP %ld", r->status);
	out = ctl_fmt_clean(s, 0);
	free(s);
	return out;
}

/*
 * Sort a finished exchange into an exit status, with *cause if not OK.  A
 * 2xx answer must be JSON unless text was asked for.
 */
static int
ctl_http_classify(struct ctl_http *h, const char *url, int text,
    struct ctl_reply *r, char **cause)
{
	char	*why, *loc = NULL;

	if (r->status >= 200 && r->status < 300) {
		if (r->body != NULL || (text && r->raw != NULL))
			return CTL_EXIT_OK;
		xasprintf(cause, "%s: the answer is not JSON (is this "
		    "recircd?)", url);
		return CTL_EXIT_UNREACHABLE;
	}
	if (r->status >= 400 && r->status < 500) {
		*cause = ctl_reply_error(r);
		return CTL_EXIT_REFUSED;
	}
	if (r->status >= 300 && r->status < 400) {
		curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &loc);
		why = ctl_fmt_clean(loc != NULL ? loc : "elsewhere", 200);
		xasprintf(cause, "%s: the server redirects to %s; use that "
		    "address as the server URL", url, why);
		free(why);
		return CTL_EXIT_UNREACHABLE;
	}
	why = ctl_reply_error(r);
	xasprintf(cause, "%s: server error: %s", url, why);
	free(why);
	return CTL_EXIT_UNREACHABLE;
}

/*
 * One exchange: method (GET, POST, PUT or DELETE) on path (starting with
 * '/', escaped by the caller), with body (JSON text, POST and PUT only,
 * may be NULL) and one more header line if hdr is not NULL (an
 * Idempotency-Key, an If-Match).  If text, a 2xx answer may be any text
 * (r->raw; r->body too if it happens to be JSON); errors are JSON either
 * way.  Fills *r (clear it after) and returns an enum ctl_exit; anything
 * but CTL_EXIT_OK sets *cause.
 */
static int
ctl_http_do(struct ctl_http *h, const char *method, const char *path,
    const char *body, const char *hdr, int text, struct ctl_reply *r,
    char **cause)
{
	struct ctl_http_buf	 b;
	struct curl_slist	*hdrs = NULL;
	char			*url, *why;
	CURLcode		 code;
	json_error_t		 jerr;
	int			 rc;

	memset(r, 0, sizeof(*r));
	memset(&b, 0, sizeof(b));
	xasprintf(&url, "%s%s", h->base, path);
	hdrs = curl_slist_append(hdrs, text ?
	    "Accept: text/plain, application/json" :
	    "Accept: application/json");
	/* evhttp need not handle "Expect: 100-continue"; never send it. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (h->auth != NULL)
		hdrs = curl_slist_append(hdrs, h->auth);
	if (hdr != NULL)
		hdrs = curl_slist_append(hdrs, hdr);
	if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "PATCH") == 0) {
		hdrs = curl_slist_append(hdrs, strcmp(method, "PATCH") == 0 ?
		    "Content-Type: application/merge-patch+json" :
		    "Content-Type: application/json");
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS,
		    body != NULL ? body : "");
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE,
		    (long)(body != NULL ? strlen(body) : 0));
	} else
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	/* PUT and PATCH are a POST, DELETE a GET, under another name. */
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST,
	    strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0 ||
	    strcmp(method, "DELETE") == 0 ? method : NULL);
	if (hdrs == NULL)
		fatalx("curl_slist_append: out of memory");
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, ctl_http_write_cb);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, ctl_http_header_cb);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, r);
	h->errbuf[0] = '\0';
	if (h->verbose)
		ctl_msg("> %s %s", method, url);

	code = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	r->raw = b.data;
	r->rawlen = b.len;
	if (code != CURLE_OK) {
		why = ctl_http_why(h, code, &b);
		xasprintf(cause, "cannot reach %s: %s", h->base, why);
		free(why);
		rc = CTL_EXIT_UNREACHABLE;
		goto done;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->raw != NULL)
		r->body = json_loadb(r->raw, r->rawlen, 0, &jerr);
	if (h->verbose)
		ctl_msg("< %ld (%zu bytes)", r->status, r->rawlen);
	if (h->trace != -1)
		ctl_http_trace_write(h, method, url, body, r);
	rc = ctl_http_classify(h, url, text, r, cause);
done:
	free(url);
	return rc;
}

/* GET path; see ctl_http_do() for the contract. */
int
ctl_http_get(struct ctl_http *h, const char *path, struct ctl_reply *r,
    char **cause)
{
	return ctl_http_do(h, "GET", path, NULL, NULL, 0, r, cause);
}

/*
 * GET path for a text answer (a driver manifest): on success r->raw holds
 * it, NUL-terminated and not yet cleaned for a terminal; see ctl_http_do().
 */
int
ctl_http_get_text(struct ctl_http *h, const char *path, struct ctl_reply *r,
    char **cause)
{
	return ctl_http_do(h, "GET", path, NULL, NULL, 1, r, cause);
}

/*
 * method (POST, PUT, PATCH, DELETE) with body (NULL: none) as JSON text, and the
 * header "hname: hvalue" when hvalue is not NULL.
 */
static int
ctl_http_send(struct ctl_http *h, const char *method, const char *path,
    const json_t *body, const char *hname, const char *hvalue,
    struct ctl_reply *r, char **cause)
{
	char	*text = NULL, *line = NULL;
	int	 rc;

	if (body != NULL && (text = json_dumps(body, JSON_COMPACT |
	    JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))) == NULL)
		fatalx("json_dumps: out of memory");
	if (hvalue != NULL)
		xasprintf(&line, "%s: %s", hname, hvalue);
	rc = ctl_http_do(h, method, path, text, line, 0, r, cause);
	free(line);
	free(text);
	return rc;
}

/*
 * POST body (may be NULL: an empty body) to path, with an Idempotency-Key
 * if idem is not NULL; see ctl_http_do().
 */
int
ctl_http_post(struct ctl_http *h, const char *path, const json_t *body,
    const char *idem, struct ctl_reply *r, char **cause)
{
	return ctl_http_send(h, "POST", path, body, "Idempotency-Key", idem, r,
	    cause);
}

/*
 * PUT body to path, only if the object's ETag is still if_match when that
 * is not NULL (a 412 otherwise); see ctl_http_do().
 */
int
ctl_http_put(struct ctl_http *h, const char *path, const json_t *body,
    const char *if_match, struct ctl_reply *r, char **cause)
{
	return ctl_http_send(h, "PUT", path, body, "If-Match", if_match, r,
	    cause);
}

/* PATCH path with body, a JSON merge patch; see ctl_http_do(). */
int
ctl_http_patch(struct ctl_http *h, const char *path, const json_t *body,
    struct ctl_reply *r, char **cause)
{
	return ctl_http_send(h, "PATCH", path, body, NULL, NULL, r, cause);
}

/* DELETE path, with If-Match as for a PUT; see ctl_http_do(). */
int
ctl_http_delete(struct ctl_http *h, const char *path, const char *if_match,
    struct ctl_reply *r, char **cause)
{
	return ctl_http_send(h, "DELETE", path, NULL, "If-Match", if_match, r,
	    cause);
}

/* Percent-encode s for a query value (RFC 3986 unreserved kept); allocated. */
char *
ctl_http_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;

	out = o = xmalloc(strlen(s) * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char	c = *s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			*o++ = c;
			continue;
		}
		*o++ = '%';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	*o = '\0';
	return out;
}
