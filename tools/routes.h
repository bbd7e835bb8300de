/*
 * birch-check's route readers: routes given as text, one a line, in the
 * attribute names and value syntax of BIRD 2's `show route all`, or what
 * birdc's `show route all` prints (a header line and attribute lines a
 * route), and MRT TABLE_DUMP_V2 RIB dumps (RFC 6396, RFC 8050 ADD-PATH
 * variants). All
 * produce a prefix and an interned attribute set (core/attr.h) built the
 * way the BGP codec builds one (source RTS_BGP, wire flags, AS paths in AS4
 * wire form), so a filter sees the same route whichever way it came in.
 *
 * Readers never abort on bad input: a text route's error names its column,
 * an MRT error names the byte offset of the offending field in the file.
 * The MRT reader streams (one record in memory at a time) and decodes each
 * distinct attribute blob once: identical blobs give the same set.
 */
#ifndef BIRCH_TOOLS_ROUTES_H
#define BIRCH_TOOLS_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/attr.h"
#include "core/net.h"

enum { ROUTE_ERR_MAX = 160 };	/* bytes of an error message, NUL included */

/* who announced a route read from a dump (zero for a text route) */
struct route_peer {
	ip_addr ip;		/* peer address (IPv4 mapped) */
	uint32_t asn;		/* peer AS */
	uint32_t bgp_id;	/* peer router id */
	uint32_t path_id;	/* ADD-PATH path id, 0 without */
	bool valid;		/* the fields above are known */
};

/* routes.c: one route as text */

/* Parse "PREFIX [attribute value ...]" (len bytes, no NUL needed; a
 * trailing newline is fine). Returns 0 with *net and a referenced *out, or
 * -1 with "column N: message" in err. */
int route_parse(const char *text, size_t len, net_addr *net, struct rta **out,
    char err[ROUTE_ERR_MAX]);

/* routes.c: printing in `show route all` style */

/* a route: the prefix line (with the peer when known), then the lines of
 * rta_print (core/table.h): "Type: BGP univ" and one per attribute, marked
 * against before when given */
void route_print(FILE *out, const net_addr *net, const struct route_peer *peer,
    const struct rta *a, const struct rta *before);

/* mrt.c: MRT TABLE_DUMP_V2 reader */

struct mrt_stats {
	uint64_t records;	/* MRT records read */
	uint64_t skipped;	/* of them, of types this reader does not decode */
	uint64_t routes;	/* RIB entries returned */
	uint64_t attr_sets;	/* distinct attribute blobs decoded */
	uint64_t attr_hits;	/* RIB entries whose blob was already decoded */
};

struct mrt_reader;

/* read from an open stream (not closed by the reader), after head bytes
 * already taken from it (a copy is kept; NULL, 0 for none), or from
 * memory (the bytes must stay until mrt_close) */
struct mrt_reader *mrt_open_file(FILE *f, const void *head, size_t head_len);
struct mrt_reader *mrt_open_mem(const void *data, size_t len);
/* The next route: 1 with *net, *attrs and *peer (peer may be NULL); 0 at
 * the end; -1 on an error (mrt_error). *attrs is borrowed: valid until the
 * next call or mrt_close (rta_ref it to keep it). */
int mrt_next(struct mrt_reader *r, net_addr *net, struct rta **attrs, struct route_peer *peer);
const char *mrt_error(const struct mrt_reader *r);	/* "offset N: message" */
/* keep at most n decoded blobs (default 512K, some 200 MB), then start
 * over: bounds the memory a dump of many distinct sets can take */
void mrt_set_cache_limit(struct mrt_reader *r, size_t n);
void mrt_get_stats(const struct mrt_reader *r, struct mrt_stats *out);
void mrt_close(struct mrt_reader *r);			/* drops every set it holds */

/* routes.c: a file of routes, text or MRT (told apart by their first bytes) */

struct route_file;

struct route_file *route_file_open(const char *path, char err[ROUTE_ERR_MAX]);	/* "-": stdin */
/* the same from a stream already open (left open at the end), named name */
struct route_file *route_file_stream(FILE *fp, const char *name, char err[ROUTE_ERR_MAX]);
/* as mrt_next; text errors read "FILE:LINE:COL: message", MRT ones
 * "FILE: offset N: message" */
int route_file_next(struct route_file *f, net_addr *net, struct rta **attrs,
    struct route_peer *peer);
const char *route_file_error(const struct route_file *f);
bool route_file_is_mrt(const struct route_file *f);
const struct mrt_reader *route_file_mrt(const struct route_file *f);	/* NULL for text */
void route_file_close(struct route_file *f);

#endif
