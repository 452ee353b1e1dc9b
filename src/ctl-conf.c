/*
 * ctl-conf.c -- where recircctl finds its server, its token and its limits.
 *
 * Three sources, first wins per setting: command-line flags (-u URL,
 * -t TOKEN-FILE, -T SECONDS, --trace FILE), the environment (RECIRC_URL,
 * RECIRC_TOKEN, RECIRC_TRACE),
 * then a config file in the user's home: $XDG_CONFIG_HOME/recircctl/config
 * (default ~/.config/recircctl/config), else ~/.recircctl.  main() fills one
 * struct ctl_conf per source and merges them in that order; the token and
 * the token file travel as a pair, so a -t flag beats a token in the file.
 *
 * The token is never taken on the command line itself: other users see
 * arguments in ps(1), but not another user's files or environment.  Nothing
 * here prints it.  A file holding a token that others may read earns a
 * warning, as ssh(1) gives for keys.
 *
 * ctl_conf_parse() and ctl_conf_merge() are pure, so tests/ctl-conf.c
 * drives them with in-memory files.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ctl.h"

enum ctl_conf_type { CTL_CONF_STR, CTL_CONF_PATH, CTL_CONF_LONG };

/* The config keywords; man/recircctl.1 FILES documents each. */
static const struct ctl_conf_kw {
	const char		*name;
	enum ctl_conf_type	 type;
	size_t			 off;
	long			 min, max;
} ctl_conf_kws[] = {
	{ "url", CTL_CONF_STR, offsetof(struct ctl_conf, url), 0, 0 },
	{ "token", CTL_CONF_STR, offsetof(struct ctl_conf, token), 0, 0 },
	{ "token-file", CTL_CONF_PATH, offsetof(struct ctl_conf, token_file),
	    0, 0 },
	{ "ca-file", CTL_CONF_PATH, offsetof(struct ctl_conf, ca_file), 0, 0 },
	{ "timeout", CTL_CONF_LONG, offsetof(struct ctl_conf, timeout), 1,
	    CTL_TIMEOUT_MAX },
	{ NULL, 0, 0, 0, 0 }
};

void
ctl_conf_clear(struct ctl_conf *c)
{
	x_free(c->url);
	if (c->token != NULL) {
		/* Do not leave the token lying in freed memory. */
		memset(c->token, 0, strlen(c->token));
		x_free(c->token);
	}
	x_free(c->token_file);
	x_free(c->ca_file);
	x_free(c->trace);
	memset(c, 0, sizeof(*c));
}

static void
ctl_conf_take(char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = xstrdup(src);
}

/* Fill the settings dst lacks from src (a lower-priority source). */
void
ctl_conf_merge(struct ctl_conf *dst, const struct ctl_conf *src)
{
	ctl_conf_take(&dst->url, src->url);
	if (dst->token == NULL && dst->token_file == NULL) {
		ctl_conf_take(&dst->token, src->token);
		ctl_conf_take(&dst->token_file, src->token_file);
	}
	ctl_conf_take(&dst->ca_file, src->ca_file);
	ctl_conf_take(&dst->trace, src->trace);
	if (dst->timeout == 0)
		dst->timeout = src->timeout;
}

/*
 * Make a path from a config file absolute: "~/x" is under $HOME, a relative
 * path is relative to the directory of the file that names it.  Returns an
 * allocated string.
 */
static char *
ctl_conf_expand(const char *path, const char *fromfile)
{
	const char	*home, *slash;
	char		*out;

	if (strncmp(path, "~/", 2) == 0 &&
	    (home = getenv("HOME")) != NULL && *home != '\0') {
		xasprintf(&out, "%s/%s", home, path + 2);
		return out;
	}
	if (path[0] == '/' || fromfile == NULL ||
	    (slash = strrchr(fromfile, '/')) == NULL)
		return xstrdup(path);
	xasprintf(&out, "%.*s/%s", (int)(slash - fromfile), fromfile, path);
	return out;
}

/* Apply "keyword value" to c; returns 0, or -1 with *cause set. */
static int
ctl_conf_set(struct ctl_conf *c, const char *name, const char *kw,
    const char *value, char **cause)
{
	const struct ctl_conf_kw	*k;
	char				**sp;
	char				*why = NULL;
	long				 v;

	for (k = ctl_conf_kws; k->name != NULL; k++)
		if (strcmp(k->name, kw) == 0)
			break;
	if (k->name == NULL) {
		xasprintf(cause, "unknown keyword \"%s\"", kw);
		return -1;
	}
	if (*value == '\0') {
		xasprintf(cause, "%s needs a value", kw);
		return -1;
	}
	switch (k->type) {
	case CTL_CONF_LONG:
		if (ctl_args_long(value, k->min, k->max, &v, &why) == -1) {
			xasprintf(cause, "%s: %s", kw, why);
			x_free(why);
			return -1;
		}
		*(long *)(void *)((char *)c + k->off) = v;
		return 0;
	case CTL_CONF_STR:
	case CTL_CONF_PATH:
		sp = (char **)(void *)((char *)c + k->off);
		x_free(*sp);
		*sp = k->type == CTL_CONF_PATH ?
		    ctl_conf_expand(value, name) : xstrdup(value);
		return 0;
	}
	return 0;
}

/*
 * Read "keyword value" lines from fp into c ('#' starts a comment; a later
 * line overrides an earlier one).  Returns 0, or -1 with *cause set to
 * "name:line: message" (caller frees).
 */
int
ctl_conf_parse(struct ctl_conf *c, const char *name, FILE *fp, char **cause)
{
	char	*line = NULL, *kw, *value, *end, *why = NULL;
	size_t	 cap = 0;
	ssize_t	 len;
	int	 lineno = 0, rc = 0;

	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		kw = line + strspn(line, " \t");
		end = kw + strlen(kw);
		while (end > kw && strchr(" \t\r\n", end[-1]) != NULL)
			*--end = '\0';
		if (*kw == '\0')
			continue;
		value = kw + strcspn(kw, " \t");
		if (*value != '\0') {
			*value++ = '\0';
			value += strspn(value, " \t");
		}
		if (ctl_conf_set(c, name, kw, value, &why) == -1) {
			xasprintf(cause, "%s:%d: %s", name, lineno, why);
			x_free(why);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		xasprintf(cause, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

/* Take the settings the environment gives (RECIRC_URL, RECIRC_TOKEN,
 * RECIRC_TRACE). */
void
ctl_conf_env(struct ctl_conf *c)
{
	const char	*s;

	if ((s = getenv("RECIRC_URL")) != NULL && *s != '\0')
		ctl_conf_take(&c->url, s);
	if ((s = getenv("RECIRC_TOKEN")) != NULL && *s != '\0')
		ctl_conf_take(&c->token, s);
	if ((s = getenv("RECIRC_TRACE")) != NULL && *s != '\0')
		ctl_conf_take(&c->trace, s);
}

/*
 * The config file to read: the first that exists of
 * $XDG_CONFIG_HOME/recircctl/config (XDG_CONFIG_HOME defaults to
 * ~/.config) and ~/.recircctl.  Returns an allocated path, or NULL if there
 * is none.
 */
char *
ctl_conf_path(void)
{
	const char	*home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char		*path;

	if (xdg != NULL && *xdg == '/')
		xasprintf(&path, "%s/recircctl/config", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&path, "%s/.config/recircctl/config", home);
	else
		return NULL;
	if (access(path, F_OK) == 0)
		return path;
	x_free(path);
	if (home == NULL || *home == '\0')
		return NULL;
	xasprintf(&path, "%s/.recircctl", home);
	if (access(path, F_OK) == 0)
		return path;
	x_free(path);
	return NULL;
}

/* Warn when a file holding a token can be read by others. */
static void
ctl_conf_check_mode(const char *what, const char *path, FILE *fp)
{
	struct stat	st;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		ctl_msg("warning: %s %s can be read by others; chmod 600 it",
		    what, path);
}

/* Read the config file at path into c; 0, or -1 with *cause set. */
int
ctl_conf_file(struct ctl_conf *c, const char *path, char **cause)
{
	FILE	*fp;
	int	 rc;

	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = ctl_conf_parse(c, path, fp, cause);
	if (rc == 0 && c->token != NULL)
		ctl_conf_check_mode("config file", path, fp);
	fclose(fp);
	return rc;
}

/* A token is one word of printable ASCII, safe in an HTTP header. */
static int
ctl_conf_token_valid(const char *t)
{
	if (*t == '\0')
		return 0;
	for (; *t != '\0'; t++)
		if (*t < 0x21 || *t > 0x7e)
			return 0;
	return 1;
}

/*
 * Read a token from fp (named name): the first line, without its line end;
 * anything after it must be blank.  Returns 0 with *token allocated, or -1
 * with *cause set.  The message never contains the token.
 */
int
ctl_conf_token_read(const char *name, FILE *fp, char **token, char **cause)
{
	char	 buf[1024];
	size_t	 len;
	int	 ch;

	if (fgets(buf, sizeof(buf), fp) == NULL) {
		xasprintf(cause, "token file %s is empty", name);
		return -1;
	}
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == sizeof(buf) - 1) {
		xasprintf(cause, "token file %s: line too long", name);
		goto bad;
	}
	buf[len] = '\0';
	while ((ch = getc(fp)) != EOF)
		if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
			xasprintf(cause, "token file %s has more than a "
			    "token in it", name);
			goto bad;
		}
	if (!ctl_conf_token_valid(buf)) {
		xasprintf(cause, "token file %s does not hold a token (one "
		    "word of printable ASCII)", name);
		goto bad;
	}
	*token = xstrdup(buf);
	memset(buf, 0, sizeof(buf));
	return 0;
bad:
	memset(buf, 0, sizeof(buf));
	return -1;
}

/* Is url something we can talk to: http(s)://host...? */
int
ctl_conf_url_valid(const char *url)
{
	const char	*p;

	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return 0;
	if (*p == '\0' || *p == '/')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/*
 * Complete the merged settings: read the token file if the token came as a
 * file, check the token and the URL, default the timeout.  Returns 0, or
 * -1 with *cause set (a usage error).  A missing URL or token is not an
 * error here: only commands that talk to the server need them.
 */
int
ctl_conf_finish(struct ctl_conf *c, char **cause)
{
	FILE	*fp;
	int	 rc;

	if (c->timeout == 0)
		c->timeout = CTL_TIMEOUT_DEFAULT;
	if (c->url != NULL && !ctl_conf_url_valid(c->url)) {
		xasprintf(cause, "server URL \"%s\" is not http://HOST[:PORT] "
		    "or https://HOST[:PORT]", c->url);
		return -1;
	}
	if (c->token == NULL && c->token_file != NULL) {
		if ((fp = fopen(c->token_file, "r")) == NULL) {
			xasprintf(cause, "token file %s: %s", c->token_file,
			    strerror(errno));
			return -1;
		}
		rc = ctl_conf_token_read(c->token_file, fp, &c->token, cause);
		if (rc == 0)
			ctl_conf_check_mode("token file", c->token_file, fp);
		fclose(fp);
		if (rc == -1)
			return -1;
	}
	if (c->token != NULL && !ctl_conf_token_valid(c->token)) {
		xasprintf(cause, "the token from %s is not one word of "
		    "printable ASCII", c->token_file != NULL ? c->token_file :
		    "the environment or config file");
		return -1;
	}
	return 0;
}
