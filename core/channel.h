/*
 * Channels at run time: a channel joins one protocol to one routing table.
 *
 * Imports: a protocol hands a route (prefix, interned attributes) to
 * chan_import; the channel runs its import filter through the VM, checks
 * the receive and import limits, stores the route in its table under the
 * channel's sender id (src) and counts what happened in BIRD's counters.
 * Exports: each table has a notify hook (core/table.h) that this file owns;
 * on every change of best route it runs, for every other channel of the
 * table whose protocol takes routes (proto_ops.rt_notify), the export
 * filter and hands the verdict to the protocol.
 *
 * Tables at run time (struct rt_tab) are created from the config by name:
 * master4 and master6 always, and every declared table. A table outlives
 * configs that stop naming it (BIRD frees it once unused; Birch keeps it
 * empty until shutdown).
 *
 * Sender ids: every channel owns one src (static routes have no path ids).
 * A pipe passes a route on under its original src, so `show route` names
 * the protocol the route came from, as BIRD does; rt_src_channel maps a
 * src back to its channel.
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
	bool accept_default;		/* CHF_DEFAULT imports accept (else reject) */
	bool export_default;		/* CHF_DEFAULT exports accept */
	bool rx_hit, in_hit, out_hit;	/* a limit is hit ([HIT]) */
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
void chan_up(struct channel *c);
void chan_flush(struct channel *c);		/* withdraw every route it imported */
void chan_free(struct channel *c);		/* flushes first */
struct channel *rt_src_channel(uint32_t src);	/* NULL when gone */

/* Import a route through the import filter and limits; attrs is borrowed.
 * src 0: the channel's own. Returns the table's result, or -1 if the
 * route was filtered or blocked (and removed if it was present). */
int chan_import(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src);
void chan_withdraw(struct channel *c, const net_addr *n, uint32_t src);

/* Run c's export filter on a route of its table, as the table's notify
 * hook and `show route export` do: true when it passes. *out receives a
 * changed set (caller unrefs) or NULL. */
bool chan_export_ok(struct channel *c, const net_addr *n, const struct rte *e, struct rta **out);
/* What a filter says of a route (`show route filter F`); f NULL: accept */
bool chan_run_filter(const struct vm_func *f, const net_addr *n, const struct rte *e);

#endif
