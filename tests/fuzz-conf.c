/*
 * fuzz-conf.c -- fuzz the configuration: the file (conf_load) and every
 * line of the input again as a -D keyword=value override (conf_set), then
 * the checks across keywords and the -n -v print, as recircd runs them at
 * start and on SIGHUP.  Beyond not crashing: a failure always says why,
 * and the defaults come back after conf_clear and conf_init.
 */
#include "config.h"

#include "recircd.h"
#include "fuzz.h"

static FILE	*fz_null;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	 cf;
	char		*cause = NULL, *text, *line, *save = NULL;

	if (fz_null == NULL && (fz_null = fopen("/dev/null", "w")) == NULL)
		abort();
	conf_init(&cf);
	if (conf_load(&cf, fz_path(data, size), &cause) == -1) {
		if (cause == NULL || *cause == '\0')
			abort();
	} else if (conf_check(&cf, &cause) == 0)
		conf_print(&cf, fz_null);
	free(cause);
	cause = NULL;
	conf_clear(&cf);

	conf_init(&cf);
	text = fz_text(data, size);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (conf_set(&cf, line, &cause) == -1) {
			if (cause == NULL || *cause == '\0')
				abort();
			free(cause);
			cause = NULL;
		}
	}
	if (conf_check(&cf, &cause) == -1 && (cause == NULL || *cause == '\0'))
		abort();
	conf_print(&cf, fz_null);
	free(cause);
	free(text);
	conf_clear(&cf);
	return 0;
}
