/*
 * json.h -- the one home of the JSON library's header.
 *
 * recircd, recirc-solve and recircctl speak JSON through jansson (a small,
 * well-kept C library with a stable API, in Debian as libjansson-dev).
 * The rule: no file includes <jansson.h> but this one, and everyone else
 * calls jansson directly (json_loadb, json_object_get, json_pack,
 * json_dumps, ...) through it; we add no wrapper of our own.  Prototypes
 * that speak json_t stay with their module's others: recircd.h includes
 * this file for the daemon's, solve.h and ctl.h expect it for theirs.
 * The hot paths that write JSON as text without a tree use jsonw.c.
 */
#ifndef RECIRC_JSON_H
#define RECIRC_JSON_H

#include <jansson.h>

#include "recirc.h"

#endif /* RECIRC_JSON_H */
