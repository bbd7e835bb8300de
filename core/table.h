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
 * in a small root trie, and walks merge the two in order.
 *
 * A route (struct rte, 32 bytes from a slab) points at an interned
 * attribute set (core/attr.h) and holds one reference on it. Routes of a
 * net are kept sorted by rte_cmp, so net->routes is the best route. After
 * every update whose best route changed (another route, or the same source
 * with new attributes or preference), the table calls its notify hook with
 * the new and old best: export to other channels hooks in there.
 *
 * Selection (rte_cmp): higher preference first; then, for routes of the
 * same source class, that class's compare hook (rt_set_compare: BGP's
 * decision process registers one); then lower source class number; then
 * lower sender id. The last step makes the order total and deterministic.
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

#include "core/attr.h"
#include "core/net.h"

struct rtable;

/* one route: a small fixed record */
struct rte {
	struct rte *next;	/* next route of the same net, worse */
	struct rta *attrs;	/* interned attributes; one reference held */
	int64_t lastmod;	/* when it last changed: the table's clock, us */
	uint32_t src;		/* sender id: unique per (channel, path id) */
	uint16_t pref;		/* preference */
	uint8_t flags;		/* RTE_* */
	uint8_t pflags;		/* the owning protocol's own bits */
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

/* a source class's own preference order: <0 when a is better than b */
typedef int (*rte_cmp_fn)(const struct rte *a, const struct rte *b);

/* clock for rte.lastmod; real_us in the daemon */
typedef int64_t (*rt_clock_fn)(void);

struct rt_config {
	const char *name;	/* "master4"; not copied */
	uint8_t type;		/* NET_IP4 or NET_IP6 */
	bool merge_paths;	/* ECMP: reserved; see rt_merge_hook in table.c */
	rt_notify_fn notify;	/* best-route changes, or NULL */
	void *notify_data;	/* passed to notify */
	rt_clock_fn clock;	/* NULL: lastmod stays 0 */
};

enum {
	RT_STRIDE = 16,		/* bits resolved by a wide table's slot array */
	RT_WIDE_AT = 4096,	/* nets at which a table turns wide */
	RT_CURSOR_DEPTH = 130,	/* a trie path has at most 129 nodes */
};

struct rtable {
	struct rt_config cf;	/* as given */
	struct net *root;	/* trie: every net; once wide, those < RT_STRIDE long */
	struct net **slots;	/* NULL, or 1 << RT_STRIDE tries of the longer nets
				 * by their first RT_STRIDE bits (never shrinks) */
	struct net **hb[2];	/* hash buckets: [0] current, [1] old while moving */
	size_t hsize[2];	/* buckets in each, powers of two; hsize[1] 0 if none */
	size_t hmoved;		/* buckets of hb[1] already moved into hb[0] */
	size_t nets;		/* prefixes with routes */
	size_t glue;		/* glue nodes */
	size_t routes;		/* routes */
	uint64_t gen;		/* bumped on every change of the tries' shape */
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
    struct rta *attrs, unsigned pref, unsigned flags);	/* refs attrs; flags RTE_* */
enum rte_result rte_withdraw(struct rtable *t, const net_addr *n, uint32_t src);
void rt_flush_src(struct rtable *t, uint32_t src);	/* withdraw all of one sender */

/* table.c: lookups */
struct net *rt_find(struct rtable *t, const net_addr *n);	/* exact; NULL if none */
struct rte *rt_find_rte(struct net *net, uint32_t src);	/* src's route or NULL */
struct net *rt_lpm(struct rtable *t, ip_addr a);	/* longest prefix holding a */
struct net *rt_lpm_net(struct rtable *t, const net_addr *n);	/* longest holding n */

/* table.c: ordered walks */
void rt_cursor_init(struct rt_cursor *c);	/* from the first net */
void rt_cursor_seek(struct rt_cursor *c, const net_addr *after);	/* nets > after */
struct net *rt_cursor_next(struct rtable *t, struct rt_cursor *c);	/* NULL at end */

#endif
