/*
 * route-md.h -- multi-depot search for location-routing with the depots
 * chosen (route-md.c), used by route-lrp.c.
 */
#ifndef RECIRC_ROUTE_MD_H
#define RECIRC_ROUTE_MD_H

#include "route.h"

int64_t	 route_md_overflow(const struct route_inst *,
	    const struct route_sol *);
int	 route_md_assign(const struct route_inst *, unsigned,
	    const int64_t *, int *, uint64_t);
int	 route_md_search(const struct route_inst *, unsigned,
	    struct route_sol *, double, long, uint64_t, struct route_pool *);

#endif /* RECIRC_ROUTE_MD_H */
