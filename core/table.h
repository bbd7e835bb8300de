/*
 * Birch routing tables: per prefix, the routes from every source, best
 * first.
 *
 * A table holds prefixes of one family. Each prefix present is a net entry
 * (struct net) found two ways: a chained hash over net_addr for exact
 * matches (O(1) expected; the bucket array grows and shrinks a few buckets
 * per operation, never all at once) and a path-compressed binary trie for
 * longest-prefix match and ordered walks. The trie's pre-order is net_cmp
 * order, the order `show route` prints. Where two prefixes diverge the trie
 * holds a glue node: a struct net with no routes that is not in the hash.
 * A table past RT_WIDE_AT nets turns wide: an array indexed by the first
 * RT_STRIDE bits replaces the top of the trie (a 1M-route IPv4 table's
 * paths shrink from ~22 cache misses to ~6); nets shorter than that stay
 * in a small root trie, and walks merge the two in order. A table that
 * empties turns narrow again (the array goes).
 *
 * A route (struct rte, 32 bytes from a slab) points at an interned
 * attribute set (core/attr.h) and holds one reference on it. It names its
 * source (src: who originated it, one per channel and path id) and its
 * sender (the channel that put it into this table: the source's own, or a
 * pipe's). Its id (rte_id), unique among live routes of all tables, is not
 * stored: it is the route's place in the route slab (page number and slot,
 * kept dense), by which channels remember what they exported (a bitmap per
 * channel, as BIRD). The time of its last change is kept in milliseconds.
 *
 * Routes of a net are kept sorted by rte_cmp, so net->routes is the best
 * route. After every update or withdraw that changed the net, the table
 * calls its announce hook with the source's route after and before (each
 * NULL when absent or filtered) and the best route after and before: a
 * channel that takes every route reacts to the first pair, one that takes
 * best routes to the second (core/channel.c). The simpler notify hook sees
 * changes of best route only.
 *
 * Selection (rte_cmp): valid before filtered; higher preference first; then
 * lower source class number; then, for routes of the same class, that
 * class's compare hook (rt_set_compare: BGP's decision process registers
 * one). Routes equal under these keep their order of arrival, and a route
 * replaced by its source keeps its place among its equals, so on a tie the
 * older route stays best, as in BIRD.
 *
 * Walks: a cursor remembers the last net it returned. While the trie is
 * unchanged it steps with a saved stack; after any change of the trie it
 * seeks again from the remembered prefix, so a walk paused between events
 * survives inserts and removals: it returns every net present throughout,
 * each once, in order, and never one it already passed.
 */
#ifndef BIRCH_CORE_TABLE_H
#define BIRCH_CORE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/attr.h"
#include "core/net.h"

struct rtable;

/* one route: a small fixed record, 32 bytes */
struct rte {
	struct rte *next;	/* next route of the same net, worse */
	struct rta *attrs;	/* interned attributes; one reference held */
	uint32_t src;		/* source id: unique per (channel, path id) */
	uint32_t sender;	/* id of the channel that imported it here */
	uint64_t lastmod : 42;	/* when it last changed: the table's clock, ms
				 * (rte_lastmod_us); 42 bits last until 2109 */
	uint64_t pref : 16;	/* preference */
	uint64_t flags : 3;	/* RTE_* */
	uint64_t pflags : 3;	/* the owning protocol's own bits */
};

enum {
	RTE_FILTERED = 1,	/* kept by `import keep filtered`; never best */
};

enum {
	RT_GLUE = 0x80,		/* in net.n.type: a glue node */
};

/*
 * A prefix present in the table. A glue node of the trie is the same
 * struct cut short after n (only child[] and n exist), with RT_GLUE set in
 * n.type; walks and lookups never return one.
 */
struct net {		/* hot fields first: a trie step reads one cache line */
	struct net *child[2];	/* trie: subtrees by the bit after n.pxlen */
	net_addr n;		/* the prefix */
	uint32_t hash;		/* net_hash(&n) */
	struct rte *routes;	/* sorted, best first; NULL in a glue node */
	struct net *hnext;	/* hash chain */
};

/* bytes of a glue node: child[] and n, rounded up to 8 */
#define RT_GLUE_SIZE ((offsetof(struct net, hash) + 7) & ~(size_t)7)

/* what rte_update did, for the channel's counters */
enum rte_result {
	RTE_ADDED,		/* a new route for this source */
	RTE_REPLACED,		/* the source's route changed */
	RTE_UNCHANGED,		/* same attributes and preference: ignored */
	RTE_REMOVED,		/* a withdraw removed the source's route */
	RTE_NOT_FOUND,		/* a withdraw for a route not present */
};

/*
 * Called after a change of best route, before the old one is freed:
 * new_best NULL means the net lost its last (valid) route, old_best NULL
 * that it had none. Both are valid during the call, net too. The hook must
 * not modify this table (pipes write to the other one).
 */
typedef void (*rt_notify_fn)(struct rtable *t, struct net *net, struct rte *new_best,
    struct rte *old_best, void *data);

/* one change of a net, for the announce hook */
struct rt_change {
	struct net *net;	/* the net (still in the table during the call) */
	struct rte *new, *old;	/* the source's route after and before; NULL when
				 * absent or filtered; never both NULL */
	struct rte *new_best, *old_best;	/* the best valid route after and before */
};

/* Called after every change that involves a valid route, before the old
 * route is freed; the same rules as rt_notify_fn. */
typedef void (*rt_announce_fn)(struct rtable *t, const struct rt_change *ch, void *data);

/* a source class's own preference order: <0 when a is better than b */
typedef int (*rte_cmp_fn)(const struct rte *a, const struct rte *b);

/* clock for rte.lastmod; real_us in the daemon */
typedef int64_t (*rt_clock_fn)(void);

struct rt_config {
	const char *name;	/* "master4"; not copied */
	uint8_t type;		/* NET_IP4 or NET_IP6 */
	rt_notify_fn notify;	/* best-route changes, or NULL */
	rt_announce_fn announce;	/* every change, or NULL */
	void *notify_data;	/* passed to notify and announce */
	rt_clock_fn clock;	/* NULL: lastmod stays 0 */
	bool ghosts;		/* remember emptied nets until rt_prune (BIRD keeps
				 * them until its garbage collection; channels
				 * count what happens to them) */
};

enum {
	RT_STRIDE = 16,		/* bits resolved by a wide table's slot array */
	RT_WIDE_AT = 4096,	/* nets at which a table turns wide */
	RT_CURSOR_DEPTH = 130,	/* a trie path has at most 129 nodes */
	RT_GC_THRESHOLD = 1000,	/* emptied nets remembered at most (cf.ghosts) */
};

struct rtable {
	struct rt_config cf;	/* as given */
	struct net *root;	/* trie: every net; once wide, those < RT_STRIDE long */
	struct net **slots;	/* NULL, or 1 << RT_STRIDE tries of the longer nets
				 * by their first RT_STRIDE bits (freed when the
				 * table empties) */
	struct net **hb[2];	/* hash buckets: [0] current, [1] old while moving */
	size_t hsize[2];	/* buckets in each, powers of two; hsize[1] 0 if none */
	size_t hmoved;		/* buckets of hb[1] already moved into hb[0] */
	size_t nets;		/* prefixes with routes */
	size_t glue;		/* glue nodes */
	size_t routes;		/* routes */
	uint64_t gen;		/* bumped on every change of the tries' shape */
	struct rt_ghost **gh;	/* emptied nets (cf.ghosts): hash buckets */
	size_t gh_size, ghosts;	/* buckets (a power of two), entries */
	struct rt_watch *watch;	/* told of best-route changes (rt_watch_add) */
};

/*
 * A paused ordered walk; plain data, no registration with the table. It
 * merges two sorted streams: [0] the root trie, [1] the slots in order.
 */
struct rt_cursor {
	net_addr last;		/* the last net returned */
	bool started;		/* last is valid */
	bool done;		/* the walk has ended */
	uint64_t gen;		/* table's gen when the state below was saved */
	uint32_t slot;		/* stream 1: the slot being walked */
	struct net *head[2];	/* each stream's next net, or NULL */
	unsigned depth[2];	/* entries on each stack */
	struct net *stack[2][RT_CURSOR_DEPTH];	/* pending subtrees, next on top */
};

/* table.c: tables */
struct rtable *rt_new(const struct rt_config *cf);
void rt_free(struct rtable *t);		/* drops every route (no notifications) */
void rt_set_compare(unsigned source, rte_cmp_fn fn);	/* RTS_* class hook; NULL: none */
int rte_cmp(const struct rte *a, const struct rte *b);	/* <0: a better */

/* table.c: updates */
enum rte_result rte_update(struct rtable *t, const net_addr *n, uint32_t src,
    struct rta *attrs, unsigned pref, unsigned flags);	/* refs attrs; flags RTE_*;
							 * the sender is src */
enum rte_result rte_update_from(struct rtable *t, const net_addr *n, uint32_t src,
    uint32_t sender, struct rta *attrs, unsigned pref, unsigned flags);
enum rte_result rte_withdraw(struct rtable *t, const net_addr *n, uint32_t src);
void rt_flush_src(struct rtable *t, uint32_t src);	/* withdraw all of one source */
void rt_flush_sender(struct rtable *t, uint32_t sender);	/* all a channel imported */
uint32_t rte_id(const struct rte *e);	/* 1.., unique among live routes, dense;
					 * e in the table, never a copy of it */
uint32_t rte_id_limit(void);		/* every live route's id is below this */
int64_t rte_lastmod_us(const struct rte *e);	/* lastmod on the table's clock, us */
bool rt_known(struct rtable *t, const net_addr *n);	/* has routes, or had since rt_prune */
void rt_prune(struct rtable *t);	/* forget emptied nets (BIRD's table GC) */

/* table.c: lookups */
struct net *rt_find(struct rtable *t, const net_addr *n);	/* exact; NULL if none */
struct rte *rt_find_rte(struct net *net, uint32_t src);	/* src's route or NULL */
struct net *rt_lpm(struct rtable *t, ip_addr a);	/* longest prefix holding a */
struct net *rt_lpm_net(struct rtable *t, const net_addr *n);	/* longest holding n */

/*
 * table.c: watchers of a table (a recursive next hop follows its IGP
 * route): fn is called after every change of best route at a net, after
 * the notify hook, with the net's prefix. Like notify, it must not modify
 * the table; a watcher defers its work to an event. Remove a watcher
 * before the table is freed.
 */
struct rt_watch {
	struct rt_watch *next;	/* the table's watchers */
	void (*fn)(struct rtable *t, const net_addr *n, void *data);
	void *data;		/* the watcher's */
};
void rt_watch_add(struct rtable *t, struct rt_watch *w);
void rt_watch_remove(struct rtable *t, struct rt_watch *w);

/* table.c: ordered walks */
void rt_cursor_init(struct rt_cursor *c);	/* from the first net */
void rt_cursor_seek(struct rt_cursor *c, const net_addr *after);	/* nets > after */
struct net *rt_cursor_next(struct rtable *t, struct rt_cursor *c);	/* NULL at end */

/* rte_print.c: routes as BIRD's `show route [all]` prints them */

#define EA_BGP_OTC EA_CODE(EAP_BGP, 35)	/* Only to Customer (RFC 9234), EAF_INT */

enum { RTE_LINE_MAX = 4088 };		/* bytes of one printed line, NUL included */

/* what the caller knows of a route beside the route itself */
struct rte_show_ctx {
	const char *prefix;		/* first column: the prefix, or "" after the first */
	const char *proto;		/* the source protocol's name */
	const char *since;		/* lastmod, formatted with `timeformat route` */
	bool primary;			/* the best route of its net (" *") */
	bool verbose;			/* `all`: Type: and attribute lines too */
};

/* one line of text with its reply code (1007 route, 1008 Type, 1012 attribute) */
typedef void (*rte_emit_fn)(void *arg, int code, const char *line);

void rte_format(const struct rte *e, const struct rte_show_ctx *x, rte_emit_fn emit, void *arg);
size_t rta_attr_format(const struct rta *a, const struct eattr *e, char *buf, size_t len);
/* "\tType: BGP univ" and "\tBGP.med: 5" lines; with before, changed lines
 * start "*" and end "[was: OLD]", new ones "+", removed ones "-" */
void rta_print(FILE *out, const struct rta *a, const struct rta *before);
const char *rta_attr_name(unsigned id);	/* "as_path" for EA_BGP_AS_PATH, or NULL */
const char *rta_source_name(unsigned source);	/* "static", "BGP", ... */
const char *rta_scope_name(unsigned scope);	/* "univ", ... */
const char *rta_dest_name(unsigned dest);	/* "unicast", "blackhole", ... */

#endif
