/*
 * rng.c -- the one pseudo-random generator of the solver and the routing
 * engine: xorshift64* (Vigna), small, fast and the same sequence on every
 * machine for a given seed, so a run is reproducible from its -s.
 *
 * Pure: the state is the caller's struct rng; nothing global, so each
 * search thread owns its generator.
 */
#include "config.h"

#include "recirc.h"

void
rng_seed(struct rng *g, uint64_t seed)
{
	g->s = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	if (g->s == 0)
		g->s = 1;
}

uint64_t
rng_next(struct rng *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n), n > 0 (the high bits: the low ones are weaker). */
int
rng_int(struct rng *g, int n)
{
	return (int)((rng_next(g) >> 33) % (uint64_t)n);
}
