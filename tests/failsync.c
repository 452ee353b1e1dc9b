/*
 * failsync.c -- an LD_PRELOAD shim for the sync-failure test: while the
 * file named by $RECIRC_FAILSYNC exists, fdatasync() and fsync() fail
 * with EIO, as a dying disk's would.  Test code only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int	fdatasync(int);
int	fsync(int);

static int
failsync_now(void)
{
	const char	*flag = getenv("RECIRC_FAILSYNC");

	return flag != NULL && access(flag, F_OK) == 0;
}

int
fdatasync(int fd)
{
	static int	(*real)(int);

	if (failsync_now()) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	return real(fd);
}

int
fsync(int fd)
{
	static int	(*real)(int);

	if (failsync_now()) {
		errno = EIO;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}
