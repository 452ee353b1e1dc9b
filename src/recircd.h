/*
 * recircd.h -- shared structures and prototypes of recircd, recircctl and
 * recirc-solve, grouped under a banner per source file.
 *
 * Third-party headers are not included here: each has one home (store.c for
 * SQLite, json.h for jansson, http.c for libevent's HTTP, token.c for
 * libcrypto, recircctl.c for libcurl, solve*.c for GLPK).
 */
#ifndef RECIRCD_H
#define RECIRCD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define RECIRC_VERSION	PACKAGE_VERSION

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define PRINTFLIKE(a, b) __attribute__((__format__(__printf__, a, b)))

/* log.c */
void	log_init(int, int, const char *);
void	log_setverbose(int);
int	log_getverbose(void);
void	log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	log_info(const char *, ...) PRINTFLIKE(1, 2);
void	log_debug(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatal(const char *, ...) PRINTFLIKE(1, 2);
__dead void fatalx(const char *, ...) PRINTFLIKE(1, 2);

/* xmalloc.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) PRINTFLIKE(2, 3);
void	 x_free(void *);

#endif /* RECIRCD_H */
