/*
 * unit-network.c -- the network tables' JSON and keys (network.c): a
 * rule's key from the path against its body, keys as text and lookups by
 * them, and the seed parsed into the four tables alike; a centre's region,
 * and a plan's input narrowed to one region (plan_region).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recircd.h"
#include "tap.h"

/* Parse text as kind k with path key (NULL: a create); 0 or -1 with *e. */
static int
parse(enum net_kind k, const char *text, const char *key,
    union net_object *obj, struct api_error *e)
{
	json_t	*in = json_loads(text, JSON_DECODE_ANY, NULL);
	int	 rc;

	memset(e, 0, sizeof(*e));
	rc = network_parse(k, in, key, obj, e);
	json_decref(in);
	return rc;
}

static void
test_rule_key(void)
{
	union net_object	 o;
	struct api_error	 e;
	char			 key[NET_KEY_MAX];

	is_int(parse(NET_RULE, "{\"value\":0.5}", "sofa/broken/reuse", &o, &e),
	    0, "a rule's key may come from the path alone");
	network_key(NET_RULE, &o, key);
	is_str(key, "sofa/broken/reuse", "and its key reads back");
	is_int(parse(NET_RULE, "{\"stream\":\"recycle\",\"value\":1}",
	    "sofa/broken/reuse", &o, &e), -1, "a body stream that differs");
	is_str(e.field, "stream", "is refused at the stream");
	is_int(parse(NET_RULE, "{\"value\":1}", "sofa/broken/compost", &o, &e),
	    -1, "a path with an unknown stream");
	is_int(parse(NET_RULE, "{\"stream\":\"reuse\",\"value\":1}", NULL, &o,
	    &e), 0, "a create without category or condition");
	network_key(NET_RULE, &o, key);
	is_str(key, "*/*/reuse", "defaults both to any");
	is_int(parse(NET_RULE, "{\"category\":\"Sofa\",\"stream\":\"reuse\","
	    "\"value\":1}", NULL, &o, &e), -1, "an upper-case category");
	is_str(e.code, "invalid_value", "is an invalid value");
	is_int(parse(NET_RULE, "[]", NULL, &o, &e), -1, "an array");
	is_int(e.status, 400, "is a 400");
}

static void
test_processor(void)
{
	union net_object	 o;
	struct api_error	 e;
	json_t			*j;

	is_int(parse(NET_PROCESSOR, "{\"stream\":\"dispose\",\"cost_per_kg\":"
	    "-0.5}", "efw", &o, &e), 0, "a processor's id from the path");
	is_str(o.p.name, "efw", "its name defaults to the id");
	j = network_json(NET_PROCESSOR, &o);
	is_str(json_string_value(json_object_get(j, "stream")), "dispose",
	    "the stream goes back by name");
	is_dbl(json_number_value(json_object_get(j, "cost_per_kg")), -0.5,
	    1e-12, "a negative cost is kept");
	json_decref(j);
	is_int(parse(NET_PROCESSOR, "{\"id\":\"mrf\",\"stream\":\"reuse\","
	    "\"cost_per_kg\":1}", "efw", &o, &e), -1,
	    "an id that differs from the path");
	is_str(e.field, "id", "is refused at the id");
}

static void
test_seed(void)
{
	struct network		 n;
	struct api_error	 e;
	json_t			*in;
	const struct stream_rule *r;
	int			 rc;

	in = json_loads("{\"centres\":[{\"id\":\"a\",\"lat\":1,\"lon\":2}],"
	    "\"fleet\":[{\"id\":\"v\",\"centre\":\"a\",\"capacity\":{\"kg\":"
	    "100,\"m3\":1}}],\"processors\":[{\"id\":\"p\",\"stream\":"
	    "\"reuse\",\"cost_per_kg\":0.1},{\"id\":\"q\",\"stream\":\"recycle\","
	    "\"cost_per_kg\":0.2}],\"rules\":[{\"category\":\"sofa\","
	    "\"condition\":\"*\",\"stream\":\"reuse\",\"value\":2}]}", 0, NULL);
	memset(&e, 0, sizeof(e));
	rc = network_seed_parse(in, &n, &e);
	json_decref(in);
	is_int(rc, 0, "a seed with all four tables");
	is_int(network_count(&n, NET_CENTRE), 1, "one centre");
	is_int(network_count(&n, NET_VEHICLE), 1, "one vehicle type");
	is_int(network_count(&n, NET_PROCESSOR), 2, "two processors");
	is_int(network_count(&n, NET_RULE), 1, "one rule");
	ok(network_find(&n, NET_PROCESSOR, "q") == network_item(&n,
	    NET_PROCESSOR, 1), "a processor found by its id");
	r = network_find(&n, NET_RULE, "sofa/*/reuse");
	ok(r != NULL && r->value == 2, "a rule found by its key");
	ok(network_find(&n, NET_RULE, "sofa/*/recycle") == NULL,
	    "no rule for another stream");
	network_clear(&n);

	in = json_loads("{\"processors\":[{\"id\":\"p\",\"stream\":\"reuse\","
	    "\"cost_per_kg\":0.1},{\"id\":\"q\",\"stream\":\"x\","
	    "\"cost_per_kg\":0.2}]}", 0, NULL);
	memset(&e, 0, sizeof(e));
	is_int(network_seed_parse(in, &n, &e), -1, "a seed with a bad stream");
	is_str(e.field, "processors[1].stream", "names the member at fault");
	json_decref(in);
	network_clear(&n);
}

/*
 * Regions: a centre's region round-trips through JSON; a regional plan
 * keeps its region's centres and vehicles, the pickups that name it, and
 * those that name none but are nearest one of its centres.
 */
static void
test_region(void)
{
	union net_object	 o;
	struct api_error	 e;
	struct plan_input	 in;
	json_t			*j;
	static const struct {
		const char	*id, *region;
		double		 lat, lon;
	} c[] = { { "n1", "north", 51.50, -2.60 }, { "s1", "south", 51.40,
	    -2.60 }, { "n2", "north", 51.52, -2.50 } };
	static const struct {
		const char	*region;
		double		 lat, lon;
	} p[] = { { "", 51.49, -2.61 }, { "", 51.41, -2.59 }, { "south", 51.51,
	    -2.51 }, { "north", 51.39, -2.60 }, { "", 51.53, -2.49 } };
	size_t			 i;

	is_int(parse(NET_CENTRE, "{\"id\":\"n1\",\"lat\":51.5,\"lon\":-2.6,"
	    "\"region\":\"north\"}", NULL, &o, &e), 0, "a centre with a region");
	is_str(o.c.region, "north", "... kept");
	j = network_json(NET_CENTRE, &o.c);
	is_str(json_string_value(json_object_get(j, "region")), "north",
	    "... and shown");
	json_decref(j);
	is_int(parse(NET_CENTRE, "{\"id\":\"n1\",\"lat\":51.5,\"lon\":-2.6,"
	    "\"region\":\"no way\"}", NULL, &o, &e), -1,
	    "a region that is not an id is refused");
	is_str(e.field, "region", "... naming the field");
	is_int(parse(NET_CENTRE, "{\"id\":\"42\",\"lat\":51.5,\"lon\":-2.6}",
	    NULL, &o, &e), -1, "a centre id of digits only is refused");
	is_str(e.field, "id", "... (pickups are numbered)");

	memset(&in, 0, sizeof(in));
	in.net.ncentres = 3;
	in.net.centres = xcalloc(3, sizeof(struct centre));
	for (i = 0; i < 3; i++) {
		snprintf(in.net.centres[i].id, NET_ID_MAX, "%s", c[i].id);
		snprintf(in.net.centres[i].region, NET_ID_MAX, "%s",
		    c[i].region);
		in.net.centres[i].lat = c[i].lat;
		in.net.centres[i].lon = c[i].lon;
	}
	in.net.nfleet = 3;
	in.net.fleet = xcalloc(3, sizeof(struct vehicle_type));
	for (i = 0; i < 3; i++)
		snprintf(in.net.fleet[i].centre, NET_ID_MAX, "%s", c[i].id);
	in.npk = 5;
	in.pk = xcalloc(5, sizeof(struct plan_pickup));
	for (i = 0; i < 5; i++) {
		in.pk[i].id = (int64_t)i + 1;
		snprintf(in.pk[i].region, NET_ID_MAX, "%s", p[i].region);
		in.pk[i].lat = p[i].lat;
		in.pk[i].lon = p[i].lon;
		in.pk[i].reference = xstrdup("r");
	}
	in.region = xstrdup("north");
	plan_region(&in);
	is_int((int)in.net.ncentres, 2, "north: its two centres");
	is_str(in.net.centres[1].id, "n2", "... n1 and n2");
	is_int((int)in.net.nfleet, 2, "... their vehicles");
	is_int((int)in.npk, 3, "north: three pickups");
	is_int((int)(in.pk[0].id * 100 + in.pk[1].id * 10 + in.pk[2].id), 145,
	    "... nearest n1, naming north (though near s1), nearest n2");
	x_free(in.region);
	network_clear(&in.net);
	plan_pickups_free(in.pk, in.npk);
}

int
main(void)
{
	test_region();
	test_rule_key();
	test_processor();
	test_seed();
	return tap_done();
}
