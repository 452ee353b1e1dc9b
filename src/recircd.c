/*
 * recircd.c -- main: options, configuration, store, listen, daemonise, loop.
 */
#include "config.h"

#include <stdio.h>

#include "recircd.h"

int
main(int argc, char *argv[])
{
	printf("recircd %s\n", RECIRC_VERSION);
	return 0;
}
