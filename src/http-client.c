/*
 * http-client.c -- the daemon's outgoing HTTP, and the one home of
 * libcurl's header in recircd (recircctl's is ctl-http.c).
 *
 * hc_run sends a batch of requests at once over libcurl's multi interface
 * and returns when every one has an answer, an error or its deadline:
 * the webhook worker's deliveries now, a road router's table requests
 * later.  It runs on a worker thread, never on the event loop.  Redirects
 * are not followed and only http and https are spoken, so a URL an
 * operator registered cannot make the daemon read a file or follow a
 * 30x elsewhere.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "recircd.h"

/* Once, before any thread starts (libcurl's rule). */
int
hc_init(char **cause)
{
	CURLcode	rc;

	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		xasprintf(cause, "libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void
hc_cleanup(void)
{
	curl_global_cleanup();
}

static size_t
hc_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct hc_request	*r = arg;
	size_t			 n = size * nmemb, room;

	room = r->max_response > r->response_len ? r->max_response -
	    r->response_len : 0;
	if (n > room)
		n = room;
	if (n > 0) {
		r->response = xreallocarray(r->response, r->response_len + n +
		    1, 1);
		memcpy(r->response + r->response_len, data, n);
		r->response_len += n;
		r->response[r->response_len] = '\0';
	}
	return size * nmemb;		/* the rest is dropped, not an error */
}

static CURL *
hc_easy(struct hc_request *r, struct curl_slist **hdrs, long connect_ms,
    long total_ms)
{
	CURL	*e;
	size_t	 i;

	if ((e = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "recircd/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, hc_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	if (r->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->body_len);
	}
	*hdrs = NULL;
	/* No "Expect: 100-continue" wait on larger bodies. */
	*hdrs = curl_slist_append(*hdrs, "Expect:");
	for (i = 0; i < HC_HEADERS_MAX && r->headers[i] != NULL; i++)
		*hdrs = curl_slist_append(*hdrs, r->headers[i]);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdrs);
	return e;
}

/*
 * Send the n requests, at most parallel at a time, each within connect_ms
 * to connect and total_ms in all; fill each one's status (0: no answer,
 * error says why) and response.  Returns early, leaving the unfinished
 * ones with status 0 and error "stopped", when *stop becomes non-zero.
 */
void
hc_run(struct hc_request *reqs, size_t n, long connect_ms, long total_ms,
    int parallel, const int *stop)
{
	CURLM			*m;
	CURL			**easy;
	struct curl_slist	**hdrs;
	struct hc_request	*r;
	CURLMsg			*msg;
	size_t			 i;
	int			 running = 0, left;
	long			 code;

	for (i = 0; i < n; i++) {
		reqs[i].status = 0;
		snprintf(reqs[i].error, sizeof(reqs[i].error), "stopped");
	}
	if (n == 0 || (m = curl_multi_init()) == NULL)
		return;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)parallel);
	easy = xcalloc(n, sizeof(*easy));
	hdrs = xcalloc(n, sizeof(*hdrs));
	for (i = 0; i < n; i++) {
		reqs[i].error[0] = '\0';
		if ((easy[i] = hc_easy(&reqs[i], &hdrs[i], connect_ms,
		    total_ms)) == NULL) {
			snprintf(reqs[i].error, sizeof(reqs[i].error),
			    "libcurl: cannot make a handle");
			continue;
		}
		curl_multi_add_handle(m, easy[i]);
	}
	do {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&r);
			if (msg->data.result == CURLE_OK) {
				curl_easy_getinfo(msg->easy_handle,
				    CURLINFO_RESPONSE_CODE, &code);
				r->status = code;
			} else if (r->error[0] == '\0')
				snprintf(r->error, sizeof(r->error), "%s",
				    curl_easy_strerror(msg->data.result));
		}
		if (running > 0 && !__atomic_load_n(stop, __ATOMIC_RELAXED))
			curl_multi_poll(m, NULL, 0, 100, NULL);
	} while (running > 0 && !__atomic_load_n(stop, __ATOMIC_RELAXED));
	for (i = 0; i < n; i++) {
		if (easy[i] == NULL)
			continue;
		/* Unfinished (stopped): no status, say so. */
		if (reqs[i].status == 0 && reqs[i].error[0] == '\0')
			snprintf(reqs[i].error, sizeof(reqs[i].error),
			    "stopped");
		curl_multi_remove_handle(m, easy[i]);
		curl_easy_cleanup(easy[i]);
		curl_slist_free_all(hdrs[i]);
	}
	curl_multi_cleanup(m);
	x_free(easy);
	x_free(hdrs);
}
