/*
 * unit-route-ls.c -- the local search's capacity-only fast path against
 * its general path.
 *
 * With one capacity dimension and neither windows nor pins, route-ls.c
 * keeps compact prefixes and filters moves by delta formulas and by
 * their change of distance before it prices them; route_eng.slow makes
 * it price every move by concatenating route_seg pieces instead.  Both
 * must take the same moves in the same order: on random instances
 * (symmetric or not, with or without a fixed cost per route, tight or
 * loose capacity so that penalties matter) the two runs from the same
 * seed and start must end in the same routes, which must still hold
 * every stop once and cost no more than the start.  With every angle 0
 * (so that all routes overlap), SWAP* weighs every relocation between two
 * routes: no stop may then gain by moving to another route, though the
 * granular lists hold 10 of up to 62.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"
#include "tap.h"

#define NMAX	64
#define NGRAN	10

struct inst {
	int	 n, nc, ngran, sym;
	int64_t	 d[NMAX * NMAX], q[NMAX], cap, fixed;
	double	 pc;
	int	 gran[NMAX * NGRAN], angle[NMAX];
	struct route_seg nseg[NMAX];
};

static struct rng	gen;

static void
inst_make(struct inst *I, int trial)
{
	double	x[NMAX], y[NMAX];
	int64_t	tot = 0;
	int	i, j, k, m, b, t, nb[NMAX];

	memset(I, 0, sizeof(*I));
	I->nc = 6 + rng_int(&gen, NMAX - 7);
	I->n = I->nc + 1;
	I->sym = trial % 3 != 2;
	for (i = 0; i < I->n; i++) {
		x[i] = rng_int(&gen, 1000) / 10.0;
		y[i] = rng_int(&gen, 1000) / 10.0;
		I->q[i] = i > 0 ? 1 + rng_int(&gen, 20) : 0;
		tot += I->q[i];
	}
	for (i = 0; i < I->n; i++)
		for (j = 0; j < I->n; j++)
			I->d[i * I->n + j] = (int64_t)floor(hypot(x[i] - x[j],
			    y[i] - y[j]) + 0.5);
	if (!I->sym)
		for (i = 0; i < I->n; i++)
			for (j = 0; j < I->n; j++)
				if (i != j)
					I->d[i * I->n + j] += rng_int(&gen, 4);
	/* routes of 3 to 8 stops, the capacity sometimes tight */
	I->cap = tot / (1 + I->nc / (3 + rng_int(&gen, 6)));
	if (I->cap < 20)
		I->cap = 20;
	I->fixed = trial % 4 == 3 ? 50 : 0;
	I->pc = (double[]){ 0.5, 1.7, 13.3, 100 }[rng_int(&gen, 4)];
	I->ngran = I->nc - 1 < NGRAN ? I->nc - 1 : NGRAN;
	for (i = 1; i < I->n; i++) {
		/* the ngran nearest other stops (selection: n is small) */
		for (j = 1, k = 0; j < I->n; j++)
			if (j != i)
				nb[k++] = j;
		for (m = 0; m < I->ngran; m++) {
			for (b = j = m; j < k; j++)
				if (I->d[i * I->n + nb[j]] <
				    I->d[i * I->n + nb[b]])
					b = j;
			t = nb[m]; nb[m] = nb[b]; nb[b] = t;
			I->gran[i * I->ngran + m] = nb[m];
		}
		I->angle[i] = (int)(32768 * (1 + atan2(y[i] - y[0],
		    x[i] - x[0]) / M_PI)) & 65535;
	}
	for (i = 0; i < I->n; i++) {
		struct route_seg *s = &I->nseg[i];
		s->first = s->last = i;
		s->cnt = i > 0;
		s->pin_s = s->pin_e = SEG_ANY;
		s->late = ROUTE_INF;
		for (b = 0; b < ROUTE_NDIM; b++)
			s->load[b] = b == 0 ? I->q[i] : 0;
	}
}

static void
eng_make(struct route_eng *e, struct inst *I, struct rng *rng, int slow)
{
	int	k;

	memset(e, 0, sizeof(*e));
	e->n = I->n;
	e->nc = I->nc;
	e->sym = I->sym;
	e->ndim = 1;
	e->d = e->t = I->d;
	for (k = 0; k < ROUTE_NDIM; k++)
		e->cap[k] = k == 0 ? I->cap : ROUTE_INF;
	e->shift = ROUTE_INF;
	e->fixed = I->fixed;
	e->pc = I->pc;
	e->pt = 1;
	e->ngran = I->ngran;
	e->gran = I->gran;
	e->nseg = I->nseg;
	e->angle = I->angle;
	e->rng = rng;
	e->slow = slow;
}

/* Penalised cost of routes given as a tour and lengths. */
static double
sol_cost(const struct inst *I, const int *tour, const int *len, int nr)
{
	double	c = 0;
	int64_t	dist, load;
	int	r, k, at = 0, prev;

	for (r = 0; r < nr; r++) {
		if (len[r] == 0)
			continue;
		dist = load = 0;
		prev = 0;
		for (k = 0; k < len[r]; k++) {
			dist += I->d[prev * I->n + tour[at + k]];
			load += I->q[tour[at + k]];
			prev = tour[at + k];
		}
		dist += I->d[prev * I->n];
		at += len[r];
		c += dist + I->fixed + (load > I->cap ? I->pc *
		    (load - I->cap) : 0);
	}
	return c;
}

/* Penalised cost of one route of n stops. */
static double
route_cost(const struct inst *I, const int *s, int n)
{
	int	len = n;

	return sol_cost(I, s, &len, 1);
}

/*
 * The largest saving of moving one stop to any place in another route
 * (routes as a tour and lengths; the stop's own route keeps at least one
 * stop): none at a local optimum when every pair of routes overlaps in
 * polar sectors, granular neighbours or not, since SWAP* weighs every
 * such move between overlapping routes.
 */
static double
relocate_saving(const struct inst *I, const int *tour, const int *len,
    int nr)
{
	int	at[NMAX], a[NMAX], b[NMAX + 1];
	int	ra, rb, i, k, m, n;
	double	best = 0, c;

	for (ra = k = 0; ra < nr; k += len[ra++])
		at[ra] = k;
	for (ra = 0; ra < nr; ra++)
		for (i = 0; len[ra] > 1 && i < len[ra]; i++) {
			for (m = n = 0; m < len[ra]; m++)
				if (m != i)
					a[n++] = tour[at[ra] + m];
			for (rb = 0; rb < nr; rb++)
				for (k = 0; rb != ra && k <= len[rb]; k++) {
					memcpy(b, tour + at[rb], k *
					    sizeof(int));
					b[k] = tour[at[ra] + i];
					memcpy(b + k + 1, tour + at[rb] + k,
					    (len[rb] - k) * sizeof(int));
					c = route_cost(I, tour + at[ra],
					    len[ra]) + route_cost(I,
					    tour + at[rb], len[rb]) -
					    route_cost(I, a, n) -
					    route_cost(I, b, len[rb] + 1);
					if (c > best)
						best = c;
				}
		}
	return best;
}

/* A random start: a shuffled tour cut into routes of 1 to 9 stops. */
static int
start_make(const struct inst *I, int *tour, int *len)
{
	int	i, j, t, nr = 0, left;

	for (i = 0; i < I->nc; i++)
		tour[i] = i + 1;
	for (i = I->nc - 1; i > 0; i--) {
		j = rng_int(&gen, i + 1);
		t = tour[i]; tour[i] = tour[j]; tour[j] = t;
	}
	for (left = I->nc; left > 0; left -= len[nr++]) {
		len[nr] = 1 + rng_int(&gen, 9);
		if (len[nr] > left)
			len[nr] = left;
	}
	return nr;
}

/*
 * Two local searches from start (tour, len, nr), the second with a
 * higher penalty (the insertion cache must follow a new load); the
 * routes of the last one into out/olen.  Returns the route count.
 */
static int
ls_twice(struct inst *I, int slow, uint64_t seed, const int *tour,
    const int *len, int nr, int *out, int *olen)
{
	struct route_eng	 e;
	struct route_ls		*ls;
	struct rng		 rng;
	int			*rp[NMAX], r, k, n;

	rng_seed(&rng, seed);
	eng_make(&e, I, &rng, slow);
	ls = route_ls_new(&e);
	for (r = k = 0; r < nr; k += len[r++])
		rp[r] = (int *)tour + k;
	route_ls_load(ls, rp, len, nr);
	route_ls_run(ls);
	n = route_ls_export(ls, out, olen);
	e.pc *= 3;
	route_ls_load(ls, rp, len, nr);
	route_ls_run(ls);
	n = route_ls_export(ls, out, olen);
	route_ls_free(ls);
	return n;
}

int
main(void)
{
	struct inst	*I = malloc(sizeof(*I));
	int		 tour[NMAX], len[NMAX], fa[NMAX], la[NMAX];
	int		 fb[NMAX], lb[NMAX], seen[NMAX];
	int		 t, i, nr, na, nb, same = 0, perm = 0, better = 0;
	int		 fz[NMAX], lz[NMAX], ang[NMAX], nz;
	int		 ntrial = 150, moved = 0, relopt = 0;
	double		 c0, ca;

	rng_seed(&gen, 20261204);
	for (t = 0; t < ntrial; t++) {
		inst_make(I, t);
		nr = start_make(I, tour, len);
		na = ls_twice(I, 0, 1000 + t, tour, len, nr, fa, la);
		nb = ls_twice(I, 1, 1000 + t, tour, len, nr, fb, lb);
		if (na == nb && memcmp(la, lb, na * sizeof(int)) == 0 &&
		    memcmp(fa, fb, I->nc * sizeof(int)) == 0)
			same++;
		else
			printf("# trial %d (n %d, sym %d, fixed %lld): the "
			    "fast path ends elsewhere\n", t, I->nc, I->sym,
			    (long long)I->fixed);
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < I->nc; i++)
			if (fa[i] >= 1 && fa[i] <= I->nc)
				seen[fa[i]]++;
		for (i = 1; i <= I->nc && seen[i] == 1; i++)
			;
		perm += i > I->nc;
		/* once more with every angle 0: all sectors overlap */
		memcpy(ang, I->angle, sizeof(ang));
		memset(I->angle, 0, sizeof(I->angle));
		nz = ls_twice(I, 0, 1000 + t, tour, len, nr, fz, lz);
		memcpy(I->angle, ang, sizeof(ang));
		/* the second run's penalty is 3 pc */
		I->pc *= 3;
		c0 = sol_cost(I, tour, len, nr);
		ca = sol_cost(I, fa, la, na);
		better += ca <= c0 + 1e-6;
		moved += ca < c0 - 1e-6;
		if (relocate_saving(I, fz, lz, nz) < 1e-6)
			relopt++;
		else
			printf("# trial %d: a stop saves %.1f in another "
			    "route\n", t, relocate_saving(I, fz, lz, nz));
	}
	is_int(same, ntrial, "fast and general paths take the same moves "
	    "(%d random instances)", ntrial);
	is_int(perm, ntrial, "every stop once in every result");
	is_int(better, ntrial, "no result costs more than its start");
	ok(moved > ntrial / 2, "the search improves most starts (%d)", moved);
	is_int(relopt, ntrial, "no stop gains by moving to another route, "
	    "a granular neighbour there or not");
	free(I);
	return tap_done();
}
