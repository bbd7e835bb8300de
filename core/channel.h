/*
 * Channels at run time: a channel joins one protocol to one routing table.
 *
 * Imports: a protocol hands a route (prefix, interned attributes) to
 * chan_import; the channel runs its import filter through the VM, checks
 * the receive and import limits, stores the route in its table (its source
 * as given, the channel as its sender) and counts what happened in BIRD's
 * counters, step for step as BIRD 2.0.12 counts them.
 *
 * Exports: each table's announce hook (core/table.h) is this file's; on
 * every change it runs, for every channel of the table whose protocol takes
 * routes (proto_ops.rt_notify), the export side in the channel's mode:
 * CRA_OPTIMAL channels see changes of the best route, CRA_ANY channels
 * (pipes) every route, CRA_MERGED channels (kernel with `merge paths`) the
 * best route with the next hops of its equals merged in. Preexport and the
 * export filter decide; a bitmap of route ids remembers what went out, so a
 * withdraw reaches the protocol only for a route it was given.
 *
 * Feeds: a channel whose export starts (or is asked to run its export
 * filter again: reload out, a changed filter) is fed every route of its
 * table. Feeds are queued and run after the command or config change that
 * asked for them, in the order asked, as BIRD runs its feed events.
 *
 * Tables at run time (struct rt_tab) are created from the config by name:
 * master4 and master6 always, and every declared table. A table outlives
 * configs that stop naming it (BIRD frees it once unused; Birch keeps it
 * empty until shutdown).
 *
 * Source ids: every channel owns one src (static routes have no path ids),
 * which is also its id as a sender. A pipe passes a route on under its
 * original src, so `show route` names the protocol the route came from, as
 * BIRD does, with the pipe's channel as sender; rt_src_channel maps an id
 * back to its channel.
 */
#ifndef BIRCH_CORE_CHANNEL_H
#define BIRCH_CORE_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/proto.h"
#include "core/table.h"

struct proto;
struct vm_prog;
struct vm_func;

/* a routing table at run time */
struct rt_tab {
	struct rt_tab *next;		/* all tables, in creation order */
	char *name;			/* "master4", "t4" */
	unsigned family;		/* CF_AF_IPV4 / CF_AF_IPV6 */
	struct rtable *t;		/* the routes */
	struct channel *chans;		/* channels attached, via tnext */
	bool in_config;			/* named by the running config */
	bool pipe_busy;			/* a pipe is passing on a change of it */
};

/* BIRD's per-channel counters, as `show protocols all` prints them */
struct chan_stats {
	uint32_t imp_routes;		/* accepted routes in the table */
	uint32_t filt_routes;		/* kept by `import keep filtered` */
	uint32_t exp_routes;		/* routes exported */
	uint32_t pref_routes;		/* of imp_routes, the best of their net */
	uint32_t imp_updates_received, imp_updates_invalid, imp_updates_filtered,
		 imp_updates_ignored, imp_updates_accepted;
	uint32_t imp_withdraws_received, imp_withdraws_invalid, imp_withdraws_ignored,
		 imp_withdraws_accepted;
	uint32_t exp_updates_received, exp_updates_rejected, exp_updates_filtered,
		 exp_updates_accepted;
	uint32_t exp_withdraws_received, exp_withdraws_accepted;
};

/* which changes a channel's protocol is given (BIRD's ra_mode) */
enum chan_ra {
	CRA_OPTIMAL,			/* the best route of each net */
	CRA_ANY,			/* every route (pipes) */
	CRA_MERGED,			/* the best, with its equals' next hops (ECMP) */
};

enum chan_export {
	CES_DOWN,			/* the protocol is given nothing */
	CES_FEEDING,			/* given changes; a feed is queued or running */
	CES_READY,			/* fed; given changes */
};

enum chan_limit_state {
	CLS_OK,				/* under the limit */
	CLS_ACTIVE,			/* hit, action warn */
	CLS_BLOCKED,			/* hit: routes over it are dropped */
};

/* route ids, a bit each */
struct chan_bmap {
	uint64_t *w;			/* words, grown on demand */
	uint32_t n;			/* words allocated */
};

enum chan_state {
	CS_DOWN,			/* not attached */
	CS_START,			/* attached, not yet up */
	CS_UP,				/* importing and exporting */
	CS_FLUSHING,			/* routes being removed */
};

/* a filter resolved against the running config's program */
struct chan_filt {
	enum chan_filter_kind kind;	/* CHF_* */
	const struct vm_func *f;	/* compiled; NULL for all/none/default */
	const char *name;		/* as `show protocols all` prints it */
};

struct channel {
	struct channel *next;		/* the protocol's channels */
	struct channel *tnext;		/* the table's channels */
	struct proto *proto;		/* owner */
	const struct chan_config *cf;	/* its config (the running one's) */
	const char *name;		/* "ipv4", "ipv6", "main" (a pipe's) */
	struct rt_tab *tab;		/* table joined */
	uint32_t src;			/* sender id of its imports */
	uint32_t pref;			/* preference of its imports */
	enum chan_state state;		/* CS_* */
	struct chan_filt in, out;	/* import and export filters */
	struct vm_prog *prog;		/* the program in.f and out.f are from */
	bool accept_default;		/* CHF_DEFAULT imports accept (else reject) */
	bool export_default;		/* CHF_DEFAULT exports accept */
	uint8_t rx_hit, in_hit, out_hit;	/* enum chan_limit_state ([HIT] unless OK) */
	uint8_t ra_mode;		/* enum chan_ra */
	uint8_t export_state;		/* enum chan_export */
	bool feed_queued;		/* in the feed queue */
	bool feed_begun;		/* the queued feed has given routes already */
	bool refeeding;			/* the queued or running feed is a refeed */
	uint16_t merge_limit;		/* CRA_MERGED: next hops at most */
	uint32_t refeed_count;		/* routes given during a refeed */
	struct channel *feed_next;	/* the feed queue */
	struct rt_cursor feed_cur;	/* how far the feed has come */
	struct chan_bmap exported;	/* ids of the routes given to the protocol */
	struct chan_stats st;		/* counters */
};

/* channel.c: tables */
struct rt_tab *rt_tab_find(const char *name);
struct rt_tab *rt_tab_first(void);		/* iterate via ->next */
void rt_tabs_sync(struct config *c);		/* create the tables c names */
void rt_tabs_free(void);			/* at shutdown, after every protocol */

/* channel.c: the running config's program (compiled on first use) */
struct vm_prog *chan_prog(struct config *c);

/* channel.c: channels */
struct channel *chan_new(struct proto *p, const struct chan_config *cf, const char *name,
    struct rt_tab *tab, unsigned default_pref);
void chan_bind(struct channel *c, const struct chan_config *cf, struct config *conf);	/* filters */
void chan_set_mode(struct channel *c, enum chan_ra mode, unsigned merge_limit);	/* before up */

/* what a new config asks of a running channel (chan_reconfigure) */
enum {
	CHR_RESTART = 1,		/* another table: only a restart will do */
	CHR_IMPORT = 2,			/* the import filter or preference changed */
	CHR_EXPORT = 4,			/* the export filter changed */
};
/* Take cf (of config conf) in place: filters compared with the bound ones
 * by their code (vm_func_same_in), limits and preference taken over. The
 * caller reloads what the result names (nothing with soft). */
unsigned chan_reconfigure(struct channel *c, const struct chan_config *cf, struct config *conf,
    unsigned default_pref);
void chan_up(struct channel *c);		/* imports; exports start with a feed */
void chan_stop(struct channel *c);		/* stop exports */
void chan_flush(struct channel *c);		/* stop exports, withdraw what it imported */
void chan_free(struct channel *c);		/* flushes first */
struct channel *rt_src_channel(uint32_t src);	/* NULL when gone */

/* Import a route through the import filter and limits; attrs is borrowed.
 * src 0: the channel's own. Returns the table's result, or -1 if the
 * route was filtered or blocked (and removed if it was present).
 * chan_import_as gives a preference (0: the channel's), as a pipe passes
 * a route on. */
int chan_import(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src);
int chan_import_as(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src,
    unsigned pref);
void chan_withdraw(struct channel *c, const net_addr *n, uint32_t src);

/* channel.c: feeds */
void chan_refeed(struct channel *c);		/* run the export side again on every route */
void chan_run_feeds(void);			/* run the queued feeds now */

/* Would c give this route to its protocol (preexport, export filter), as
 * `show route export` asks: true when it passes. *out receives a changed
 * set (caller unrefs) or NULL, *pref (unless NULL) the preference the
 * filter left. chan_preexport_ok is the first half. */
bool chan_export_ok(struct channel *c, const net_addr *n, const struct rte *e, struct rta **out,
    uint32_t *pref);
bool chan_preexport_ok(struct channel *c, const struct rte *e);
/* CRA_MERGED: the route c gives its protocol for net (the best with its
 * equals' next hops), in *out (a reference) and true; false when none */
bool chan_export_merged(struct channel *c, struct net *net, struct rte *out);
/* What a filter of prog (NULL: the running config's) says of a route
 * (`show route filter F`); f NULL: accept. *out receives the attributes it
 * changed (caller unrefs) or NULL. */
bool chan_run_filter(struct vm_prog *prog, const struct vm_func *f, const net_addr *n,
    const struct rte *e, struct rta **out);

#endif
