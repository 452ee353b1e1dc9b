/*
 * json.h -- the one home of the JSON library's header.
 *
 * recircd speaks JSON through jansson (a small, well-kept C library with a
 * stable API, in Debian as libjansson-dev).  Every file that needs JSON
 * includes this header rather than <jansson.h>, so the choice of library and
 * the few helpers we add on top live in one place.
 */
#ifndef RECIRC_JSON_H
#define RECIRC_JSON_H

#include <jansson.h>

#endif /* RECIRC_JSON_H */
