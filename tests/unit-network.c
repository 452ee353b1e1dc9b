/*
 * unit-network.c -- the network tables' JSON and keys (network.c): a
 * rule's key from the path against its body, keys as text and lookups by
 * them, and the seed parsed into the four tables alike.
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

int
main(void)
{
	test_rule_key();
	test_processor();
	test_seed();
	return tap_done();
}
