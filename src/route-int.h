/*
 * route-int.h -- private structures of the search engine, shared by
 * route-ls.c (local search), route-hgs.c (genetic search and Split) and
 * route-cons.c (savings).
 *
 * The engine works on a single-depot instance (node 0), vehicle type 0.
 * A route is held as an array of nodes with the depot at both ends and the
 * concatenation data (struct route_seg) of every prefix and suffix, so a
 * move is evaluated as a concatenation of a few pieces in O(1) (O(length)
 * for reversed or inner pieces when time windows are on).
 */
#ifndef RECIRC_ROUTE_INT_H
#define RECIRC_ROUTE_INT_H

#include "route.h"

/*
 * Concatenation data of a sequence of visits (Vidal et al. 2013 notation:
 * duration, time warp, earliest and latest start).
 *
 * With several windows at some stop (route_eng.mtw) a sequence is no
 * longer summed up by one earliest/latest pair, and the engine times
 * routes forward from the depot's opening instead, as the validator
 * does: a segment is then always a route prefix, extended one node at a
 * time, with early = the time its last service ends, dur = the waiting
 * so far and late = how much later the vehicle could have left without
 * missing a window (the validator's slack); the route's duration is
 * early - start - min(dur, late), that later departure saving waiting.
 *
 * Pinned positions (route_eng.pin): pin_s is the number of stops that
 * must come before the segment, pin_e the number after it (SEG_ANY: no
 * requirement; SEG_BAD in both: two pins conflict).  Small fields keep
 * the structure at 80 bytes: it is copied in every move evaluation.
 */
#define SEG_ANY		(-32767)
#define SEG_BAD		(-32768)
#define SEG_MAXPIN	32000

struct route_seg {
	int		 first, last, cnt;
	int16_t		 pin_s, pin_e;
	int64_t		 dist, dur, tw, early, late;
	int64_t		 load[ROUTE_NDIM];
};

struct route_eng {
	const struct route_inst *in;
	int		 n, nc;		/* nodes, customers (1..nc) */
	int		 tw;		/* time windows on */
	int		 mtw;		/* several windows somewhere: forward timing */
	int		 pin;		/* some stop has a pinned position */
	int64_t		 start;		/* the depot opens */
	int64_t		 pinw;		/* time-warp units per pin conflict */
	int		 sym;		/* dist symmetric */
	int		 ndim;		/* capacity dimensions in use */
	int		 slow;		/* tests: price every move by concatenation */
	const int64_t	*d, *t;
	int64_t		 cap[ROUTE_NDIM], shift, fixed;
	double		 pc, pt;	/* penalty per unit of excess load/time */
	int		 ngran;
	int		*gran;		/* nc+1 rows of ngran neighbours */
	struct route_seg *nseg;		/* one per node */
	int		*angle;		/* polar angle around the depot, 1/65536 */
	struct rng *rng;
};

/* A savings merge: join the route ending at i to the one starting at j. */
struct route_saving {
	int		 i, j;
	int64_t		 s;		/* the saving */
	double		 key;		/* d0i + d0j - lambda dij: the order */
};

int	 route_saving_cmp(const void *, const void *);

struct route_ls;

void	 route_seg_merge(const struct route_eng *, struct route_seg *,
	    const struct route_seg *, const struct route_seg *);
double	 route_seg_cost(const struct route_eng *, const struct route_seg *);
void	 route_seg_excess(const struct route_eng *, const struct route_seg *,
	    int64_t *, int64_t *);
int	 route_seg_pins(const struct route_seg *);

struct route_ls *route_ls_new(struct route_eng *);
void	 route_ls_free(struct route_ls *);
void	 route_ls_load(struct route_ls *, int **, const int *, int);
void	 route_ls_run(struct route_ls *);
int	 route_ls_export(struct route_ls *, int *, int *);

/* route-ls.c, route elimination support */
void	 route_ls_fleet(struct route_ls *, int);

/* route-elim.c */
int	 route_elim(struct route_eng *, struct route_ls *, struct route_sol *,
	    double, int, int);

/* route-hgs.c, route elimination alone (tests) */
int	 route_hgs_elim(const struct route_inst *, uint64_t, double, int,
	    struct route_sol *);
/* route-hgs.c, decomposition steps alone (tests) */
int	 route_hgs_dec(const struct route_inst *, const struct route_opts *,
	    int, int, struct route_sol *);

#endif /* RECIRC_ROUTE_INT_H */
