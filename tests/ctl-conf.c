/*
 * ctl-conf.c -- unit tests of where recircctl finds its settings
 * (src/ctl-conf.c): the config file syntax and its errors, which source
 * wins, token files, and which config file is read.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "tap.h"

static char	tmpdir[] = "/tmp/ctl-conf.XXXXXX";

static int
parse(struct ctl_conf *c, const char *name, const char *text, char **cause)
{
	FILE	*fp = fmemopen((void *)text, strlen(text), "r");
	int	 rc;

	rc = ctl_conf_parse(c, name, fp, cause);
	fclose(fp);
	return rc;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE	*fp = fopen(path, "w");

	if (fp == NULL)
		fatal("%s", path);
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static void
test_parse(void)
{
	struct ctl_conf	 c;
	char		*cause = NULL;

	memset(&c, 0, sizeof(c));
	setenv("HOME", "/home/ops", 1);
	ok(parse(&c, "/etc/x/config", "# recircctl\n\nurl http://a:8080\n"
	    "  token-file\ttok   # next to me\ntimeout 9\nca-file ~/ca.pem\n",
	    &cause) == 0, "a good file parses");
	is_str(c.url, "http://a:8080", "url");
	is_str(c.token_file, "/etc/x/tok", "a relative path is next to the "
	    "config file");
	is_str(c.ca_file, "/home/ops/ca.pem", "~/ is the home directory");
	is_int(c.timeout, 9, "timeout");
	ok(c.token == NULL, "no token");
	ok(parse(&c, "f", "url http://b:1\n", &cause) == 0 &&
	    strcmp(c.url, "http://b:1") == 0, "a later line wins");
	ctl_conf_clear(&c);

	ok(parse(&c, "f", "url http://a\nbogus 1\n", &cause) == -1,
	    "unknown keyword");
	is_str(cause, "f:2: unknown keyword \"bogus\"", "file:line: message");
	free(cause);
	cause = NULL;
	ok(parse(&c, "f", "timeout 0\n", &cause) == -1, "timeout 0");
	is_str(cause, "f:1: timeout: 0 is out of range (1 to 3600)",
	    "range message");
	free(cause);
	cause = NULL;
	ok(parse(&c, "f", "url\n", &cause) == -1, "keyword without value");
	is_str(cause, "f:1: url needs a value", "says what is missing");
	free(cause);
	ctl_conf_clear(&c);
}

static void
test_merge(void)
{
	struct ctl_conf	 flags, env, file;

	memset(&flags, 0, sizeof(flags));
	memset(&env, 0, sizeof(env));
	memset(&file, 0, sizeof(file));
	flags.token_file = xstrdup("/flag/token");
	setenv("RECIRC_URL", "http://env:1", 1);
	setenv("RECIRC_TOKEN", "envtoken", 1);
	setenv("RECIRC_TRACE", "/env/trace", 1);
	ctl_conf_env(&env);
	is_str(env.trace, "/env/trace", "RECIRC_TRACE");
	is_str(env.url, "http://env:1", "RECIRC_URL");
	is_str(env.token, "envtoken", "RECIRC_TOKEN");
	file.url = xstrdup("http://file:1");
	file.token = xstrdup("filetoken");
	file.timeout = 7;
	ctl_conf_merge(&flags, &env);
	ctl_conf_merge(&flags, &file);
	is_str(flags.url, "http://env:1", "environment beats config file");
	is_str(flags.token_file, "/flag/token", "-t beats RECIRC_TOKEN");
	ok(flags.token == NULL, "and the environment's token is not taken");
	is_int(flags.timeout, 7, "the file fills what is left");
	is_str(flags.trace, "/env/trace", "the environment's trace file");
	ctl_conf_clear(&flags);
	flags.trace = xstrdup("/flag/trace");
	ctl_conf_merge(&flags, &env);
	is_str(flags.trace, "/flag/trace", "--trace beats RECIRC_TRACE");
	ctl_conf_clear(&flags);

	ctl_conf_merge(&flags, &file);
	ctl_conf_merge(&flags, &env);
	is_str(flags.token, "filetoken", "first source wins the token");
	ctl_conf_clear(&flags);
	ctl_conf_clear(&env);
	ctl_conf_clear(&file);
	unsetenv("RECIRC_URL");
	unsetenv("RECIRC_TOKEN");
	unsetenv("RECIRC_TRACE");
}

static int
token(const char *text, char **tok, char **cause)
{
	FILE	*fp = fmemopen((void *)text, strlen(text), "r");
	int	 rc;

	*tok = NULL;
	rc = ctl_conf_token_read("tf", fp, tok, cause);
	fclose(fp);
	return rc;
}

static void
test_token(void)
{
	char	*tok, *cause = NULL;

	ok(token("abc123\n", &tok, &cause) == 0, "token with a newline");
	is_str(tok, "abc123", "newline stripped");
	free(tok);
	ok(token("abc123\r\n\n  \n", &tok, &cause) == 0, "CRLF, blank lines");
	is_str(tok, "abc123", "all stripped");
	free(tok);
	ok(token("", &tok, &cause) == -1, "empty file");
	is_str(cause, "token file tf is empty", "says so");
	free(cause);
	cause = NULL;
	ok(token("s3cret extra\n", &tok, &cause) == -1, "two words");
	ok(cause != NULL && strstr(cause, "s3cret") == NULL,
	    "the message does not show the token");
	free(cause);
	cause = NULL;
	ok(token("s3cret\nother\n", &tok, &cause) == -1, "two lines");
	free(cause);
}

static void
test_finish(void)
{
	struct ctl_conf	 c;
	char		 path[256], *cause = NULL;

	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/tok", tmpdir);
	write_file(path, "t0ken\n", 0600);
	c.url = xstrdup("https://ops.example:8443/");
	c.token_file = xstrdup(path);
	ok(ctl_conf_finish(&c, &cause) == 0, "finish reads the token file");
	is_str(c.token, "t0ken", "token");
	is_int(c.timeout, CTL_TIMEOUT_DEFAULT, "default timeout");
	ctl_conf_clear(&c);

	c.token_file = xstrdup("/nonexistent/tok");
	ok(ctl_conf_finish(&c, &cause) == -1, "missing token file");
	is_str(cause, "token file /nonexistent/tok: No such file or "
	    "directory", "says which file");
	free(cause);
	cause = NULL;
	ctl_conf_clear(&c);

	c.token = xstrdup("bad token");
	ok(ctl_conf_finish(&c, &cause) == -1, "a token with a space");
	free(cause);
	cause = NULL;
	ctl_conf_clear(&c);

	ok(ctl_conf_url_valid("http://127.0.0.1:8080"), "http URL");
	ok(ctl_conf_url_valid("HTTPS://ops.example/recirc"), "https URL");
	ok(!ctl_conf_url_valid("ftp://ops.example"), "ftp URL");
	ok(!ctl_conf_url_valid("127.0.0.1:8080"), "no scheme");
	ok(!ctl_conf_url_valid("http://"), "no host");
	ok(!ctl_conf_url_valid("http://a b"), "a space");
	c.url = xstrdup("localhost:8080");
	ok(ctl_conf_finish(&c, &cause) == -1, "finish rejects a bad URL");
	free(cause);
	ctl_conf_clear(&c);
}

static void
test_path(void)
{
	char	 p[256], want[256], *got;

	setenv("HOME", tmpdir, 1);
	unsetenv("XDG_CONFIG_HOME");
	ok(ctl_conf_path() == NULL, "no config file");
	snprintf(p, sizeof(p), "%s/.recircctl", tmpdir);
	write_file(p, "", 0600);
	got = ctl_conf_path();
	is_str(got, p, "~/.recircctl");
	free(got);
	snprintf(want, sizeof(want), "%s/.config", tmpdir);
	mkdir(want, 0700);
	snprintf(want, sizeof(want), "%s/.config/recircctl", tmpdir);
	mkdir(want, 0700);
	snprintf(want, sizeof(want), "%s/.config/recircctl/config", tmpdir);
	write_file(want, "", 0600);
	got = ctl_conf_path();
	is_str(got, want, "~/.config/recircctl/config comes first");
	free(got);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	got = ctl_conf_path();
	is_str(got, p, "XDG_CONFIG_HOME moves it");
	free(got);
	unlink(want);
	snprintf(want, sizeof(want), "%s/.config/recircctl", tmpdir);
	rmdir(want);
	snprintf(want, sizeof(want), "%s/.config", tmpdir);
	rmdir(want);
	unlink(p);
}

int
main(void)
{
	char	path[256];

	if (mkdtemp(tmpdir) == NULL)
		fatal("mkdtemp");
	test_parse();
	test_merge();
	test_token();
	test_finish();
	test_path();
	snprintf(path, sizeof(path), "%s/tok", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return tap_done();
}
