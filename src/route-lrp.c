/*
 * route-lrp.c -- capacitated location-routing (stub, filled in below).
 */
#include <stdlib.h>

#include "recircd.h"
#include "route.h"

int
route_lrp(const struct route_inst *in, const struct route_opts *o,
    struct route_sol *sol, char **cause)
{
	xasprintf(cause, "location-routing not implemented yet");
	return -1;
}
