/*
 * unit-conf.c -- the configuration parser: defaults, file, -D, errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recircd.h"
#include "tap.h"

static char *
write_file(const char *text)
{
	char	*path = xstrdup("/tmp/recirc-conf.XXXXXX");
	int	 fd = mkstemp(path);
	FILE	*f = fdopen(fd, "w");

	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_defaults(void)
{
	struct conf	cf;

	conf_init(&cf);
	is_str(cf.listen, "127.0.0.1:8080", "default listen is loopback");
	is_int(cf.http_max_body, 65536, "default body limit");
	is_int(cf.http_timeout, 10, "default timeout");
	ok(cf.catalogue == NULL, "built-in catalogue by default");
	conf_clear(&cf);
}

static void
test_file(void)
{
	struct conf	 cf;
	char		*cause = NULL, *path;

	path = write_file("# comment\n\nlisten 127.0.0.1:9999  # trailing\n"
	    "database \"/tmp/x y#1.db\"  # the # in quotes is kept\n"
	    "http_timeout 3\n");
	conf_init(&cf);
	ok(conf_load(&cf, path, &cause) == 0, "good file loads");
	is_str(cf.listen, "127.0.0.1:9999", "listen from file");
	is_str(cf.database, "/tmp/x y#1.db", "quoted value keeps spaces and #");
	is_int(cf.http_timeout, 3, "integer from file");
	ok(conf_set(&cf, "http_timeout=7", &cause) == 0, "-D override");
	is_int(cf.http_timeout, 7, "-D wins over the file");
	is_int(cf.metrics_auth, 0, "metrics_auth: no by default");
	ok(conf_set(&cf, "metrics_auth=yes", &cause) == 0 &&
	    cf.metrics_auth == 1, "metrics_auth yes");
	conf_clear(&cf);
	unlink(path);
	x_free(path);
}

static void
expect_error(const char *text, const char *want, const char *what)
{
	struct conf	 cf;
	char		*cause = NULL, *path = write_file(text), *want_full;

	xasprintf(&want_full, "%s:%s", path, want);
	conf_init(&cf);
	ok(conf_load(&cf, path, &cause) == -1, "%s fails", what);
	ok(cause != NULL && strcmp(cause, want_full) == 0,
	    "%s: message is file:line: why", what);
	if (cause != NULL && strcmp(cause, want_full) != 0)
		printf("#   got \"%s\", want \"%s\"\n", cause, want_full);
	x_free(cause);
	x_free(want_full);
	conf_clear(&cf);
	unlink(path);
	x_free(path);
}

static void
test_errors(void)
{
	struct conf	 cf;
	char		*cause = NULL;

	expect_error("listen 127.0.0.1:1\nbogus 1\n", "2: unknown keyword",
	    "unknown keyword");
	expect_error("http_timeout abc\n", "1: expected an integer",
	    "non-integer");
	expect_error("\n\nhttp_timeout 0\n", "3: value out of range",
	    "out of range");
	expect_error("listen localhost\n", "1: expected ADDRESS:PORT",
	    "listen without port");
	expect_error("database\n", "1: missing value", "missing value");
	expect_error("metrics_auth 1\n", "1: expected yes or no",
	    "a boolean is yes or no");

	conf_init(&cf);
	ok(conf_set(&cf, "nope=1", &cause) == -1, "-D unknown keyword fails");
	ok(cause != NULL && strstr(cause, "unknown keyword") != NULL,
	    "-D error names the problem");
	x_free(cause);
	cause = NULL;
	ok(conf_set(&cf, "listen", &cause) == -1, "-D without = fails");
	x_free(cause);
	cause = NULL;
	ok(conf_load(&cf, "/nonexistent/recircd.conf", &cause) == -1 &&
	    strstr(cause, "No such file") != NULL, "missing file is reported");
	x_free(cause);
	cause = NULL;
	conf_set(&cf, "page_limit=900", &cause);
	ok(conf_check(&cf, &cause) == -1, "page_limit > page_max rejected");
	x_free(cause);
	conf_clear(&cf);
}

int
main(void)
{
	test_defaults();
	test_file();
	test_errors();
	return tap_done();
}
