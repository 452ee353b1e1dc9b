/*
 * route-cons.c -- constructive heuristics: Clarke and Wright's parallel
 * savings.  Used to seed the genetic search (a good giant tour from the
 * first second on large instances) and to price depot configurations in
 * location-routing.  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "recirc.h"
#include "route-int.h"

#define D(in, a, b)	((in)->dist[(size_t)(a) * (in)->n + (b)])

/* Savings in decreasing key order, ties by (i, j): a run repeats exactly. */
int
route_saving_cmp(const void *a, const void *b)
{
	const struct route_saving	*x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	if (x->i != y->i)
		return x->i - y->i;
	return x->j - y->j;
}

/* Append the linked routes (heads have prv -1) to out. */
static void
cons_output(struct route_sol *out, int d, const int *cust, int k,
    const int *nxt, const int *prv)
{
	int	*buf, i, a, len;

	buf = xcalloc(k, sizeof(int));
	for (i = 0; i < k; i++) {
		if (prv[cust[i]] >= 0)
			continue;
		for (len = 0, a = cust[i]; a >= 0; a = nxt[a])
			buf[len++] = a;
		route_sol_add(out, d, 0, buf, len);
	}
	free(buf);
}

/* Reverse the route whose head is h (links nxt/prv); returns new head. */
static int
cons_reverse(int *nxt, int *prv, int h)
{
	int	c = h, t, last = h;

	while (c >= 0) {
		t = nxt[c];
		nxt[c] = prv[c];
		prv[c] = t;
		last = c;
		c = t;
	}
	return last;
}

/*
 * Clarke-Wright parallel savings for depot d and its k customers cust[]
 * (capacity in dimension 0, costs taken as symmetric), merging in the
 * order of d0i + d0j - lambda dij (1 is the classic rule; other values
 * give other good solutions).  Returns the routing cost including
 * per-route costs; the routes go to out if not NULL (appended).
 */
int64_t
route_savings(const struct route_inst *in, int d, const int *cust, int k,
    double lambda, struct route_sol *out)
{
	struct route_saving	*sv;
	int			*rid, *nxt, *prv, *head, *tail, a, b, ra, rb;
	int64_t			*load, cost = 0, q = in->vtype[0].cap[0];
	size_t			 ns = 0;
	int			 i, j, nr = k;

	if (k == 0)
		return 0;
	sv = xreallocarray(NULL, (size_t)k * k / 2 + 1, sizeof(*sv));
	rid = xcalloc(in->n, sizeof(int));
	nxt = xcalloc(in->n, sizeof(int));
	prv = xcalloc(in->n, sizeof(int));
	head = xcalloc(in->n, sizeof(int));
	tail = xcalloc(in->n, sizeof(int));
	load = xcalloc(in->n, sizeof(int64_t));
	for (i = 0; i < k; i++) {
		a = cust[i];
		rid[a] = head[a] = tail[a] = a;
		nxt[a] = prv[a] = -1;
		load[a] = in->node[a].demand[0];
		cost += 2 * D(in, d, a);
		for (j = i + 1; j < k; j++) {
			b = cust[j];
			sv[ns].i = a;
			sv[ns].j = b;
			sv[ns].s = D(in, d, a) + D(in, d, b) - D(in, a, b);
			sv[ns].key = (double)(D(in, d, a) + D(in, d, b)) -
			    lambda * (double)D(in, a, b);
			if (sv[ns].key > 0)
				ns++;
		}
	}
	qsort(sv, ns, sizeof(*sv), route_saving_cmp);
	for (size_t s = 0; s < ns; s++) {
		a = sv[s].i;
		b = sv[s].j;
		ra = rid[a];
		rb = rid[b];
		if (ra == rb || load[ra] + load[rb] > q)
			continue;
		if ((a != head[ra] && a != tail[ra]) ||
		    (b != head[rb] && b != tail[rb]))
			continue;
		/* make a the tail of ra and b the head of rb */
		if (a != tail[ra]) {
			tail[ra] = head[ra];
			head[ra] = cons_reverse(nxt, prv, head[ra]);
		}
		if (b != head[rb]) {
			tail[rb] = head[rb];
			head[rb] = cons_reverse(nxt, prv, head[rb]);
		}
		nxt[a] = b;
		prv[b] = a;
		tail[ra] = tail[rb];
		load[ra] += load[rb];
		for (j = b; j >= 0; j = nxt[j])
			rid[j] = ra;
		cost -= sv[s].s;
		nr--;
	}
	if (out != NULL)
		cons_output(out, d, cust, k, nxt, prv);
	free(sv);
	free(rid);
	free(nxt);
	free(prv);
	free(head);
	free(tail);
	free(load);
	return cost + nr * (in->route_fixed + in->vtype[0].fixed);
}

