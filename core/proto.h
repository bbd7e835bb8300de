/*
 * Protocols: the class every protocol kind fills in, the channel config
 * that joins a protocol to a table, and the declarative option tables the
 * config parser matches protocol statements against.
 *
 * A protocol kind states its options once, in its own folder, as a table
 * of patterns (struct cf_option): the grammar only collects a statement's
 * words, values and nested blocks, and lang/options.c matches them against
 * the table and stores each value, checked against its bounds, at its
 * offset in the protocol's config struct. Defaults are a const instance of
 * that struct, copied when a protocol is begun.
 *
 * Pattern syntax (see lang/options.c):
 *   word        the keyword itself (also the punctuation , / - = :)
 *   %           a value: the next slot of the option, in pattern order
 *   \\%          a literal `%` (an address's `%iface`; the name after it
 *               comes as a string value)
 *   [ a | b ]   optional, one of the alternatives; `[ ... ]*` repeats
 *   ( a | b )   one of the alternatives
 *   < ... >     a new record in the option's sub-list (a static route's
 *               next hops): slots inside address that record
 */
#ifndef BIRCH_CORE_PROTO_H
#define BIRCH_CORE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"
#include "core/net.h"

/* ---- option tables (lang/options.c matches them) ------------------------ */

enum cf_slot_type {
	CS_NONE,		/* unused slot */
	CS_BOOL,		/* on|off|yes|no|NUM|(term), absent = on; bool field */
	CS_SWITCH,		/* the same stored as uint32_t 0/1 (beside CS_SETs) */
	CS_UINT,		/* number or constant in [min, max] (0 too with .zero); uint32_t */
	CS_IP,			/* address of either family; ip_addr */
	CS_IP4,			/* IPv4 address (or router-id-like number); ip_addr */
	CS_NET,			/* prefix; net_addr */
	CS_TEXT,		/* string or string constant; char * */
	CS_TABLE,		/* routing table name; struct rtable_config * */
	CS_SET,			/* no input: stores min (uint32_t); marks an alternative;
				 * with .msg, an error if the field was already set */
	CS_PATTERNS,		/* "pat"[, -"pat" ...]; struct cf_patt * list */
	CS_BLOCK,		/* { statements } matched against .sub in the same record */
	CS_UNIMPL,		/* anything: "not implemented" naming the option */
	CS_IGP_TABLE,		/* table name stored by its family in struct rtable_config
				 * *[2] (IPv4, IPv6); .msg if it has neither (ROA) */
	CS_FILTER,		/* { filter commands }: const struct f_filter * (FF_CMDS),
				 * compiled with the config's filters */
};

struct cf_option;

struct cf_slot {
	enum cf_slot_type type;		/* what it takes */
	size_t off;			/* where it goes in the record */
	uint32_t min, max;		/* CS_UINT bounds; CS_SET's value in min */
	bool zero;			/* CS_UINT: 0 is allowed besides [min, max] */
	bool v1_free;			/* CS_UINT: BIRD 1.x took any value (its configs may) */
	const struct cf_option *sub;	/* CS_BLOCK: the block's options */
	const char *msg;		/* CS_UINT: out-of-range message, or NULL;
					 * CS_IGP_TABLE: wrong table type */
};

#define CF_SLOTS 16			/* values one option takes at most */

struct cf_option {
	const char *patt;		/* "hold time %"; NULL ends a table */
	struct cf_slot slot[CF_SLOTS];	/* the %s, in pattern order */
	size_t list_off;		/* >0: each statement appends a record to
					 * the list at this offset (records begin
					 * with their `next` pointer) */
	size_t rec_size;		/* its size */
	size_t sub_off, sub_size;	/* `< >`: sub-record list in the record */
	unsigned flags;			/* CF_OPT_* */
};

/* slots, for the tables: T is the record's struct type, f its field */
#define CF_BOOL(T, f)		{ .type = CS_BOOL, .off = offsetof(T, f) }
#define CF_SWITCH(T, f)		{ .type = CS_SWITCH, .off = offsetof(T, f) }
#define CF_UINT(T, f, lo, hi)	{ .type = CS_UINT, .off = offsetof(T, f), .min = (lo), .max = (hi) }
#define CF_SETV(T, f, v)	{ .type = CS_SET, .off = offsetof(T, f), .min = (v) }
#define CF_IP(T, f)		{ .type = CS_IP, .off = offsetof(T, f) }
#define CF_IP4(T, f)		{ .type = CS_IP4, .off = offsetof(T, f) }
#define CF_NET(T, f)		{ .type = CS_NET, .off = offsetof(T, f) }
#define CF_TEXT(T, f)		{ .type = CS_TEXT, .off = offsetof(T, f) }
#define CF_TABLE(T, f)		{ .type = CS_TABLE, .off = offsetof(T, f) }
#define CF_PATTERNS(T, f)	{ .type = CS_PATTERNS, .off = offsetof(T, f) }
#define CF_BLOCK(tab)		{ .type = CS_BLOCK, .sub = (tab) }
#define CF_UNIMPL		{ .type = CS_UNIMPL }
#define CF_IGP_TABLE(T, f, m)	{ .type = CS_IGP_TABLE, .off = offsetof(T, f), .msg = (m) }
#define CF_FILTER(T, f)		{ .type = CS_FILTER, .off = offsetof(T, f) }

/* table entries */
#define CF_OPT(p, ...)		{ .patt = (p), .slot = { __VA_ARGS__ } }
#define CF_OPT_F(p, f, ...)	{ .patt = (p), .flags = (f), .slot = { __VA_ARGS__ } }
/* each statement appends a record of type R to the list at T.field */
#define CF_OPT_LIST(p, T, field, R, ...) { .patt = (p), .list_off = offsetof(T, field), \
	.rec_size = sizeof(R), .slot = { __VA_ARGS__ } }
#define CF_END			{ .patt = NULL }

#define CF_OPT_UNIMPL	1		/* BIRD has it, Birch refuses it by name */
#define CF_OPT_V1	2		/* BIRD 1.x only: marks the protocol 1.x */

#define CF_OFF(type, field) offsetof(type, field)

/* ---- routing tables as configs name them --------------------------------- */

/* Minimal: the table declarations (`ipv4 table NAME`, 1.x `table NAME`)
 * belong to the language's global statements; SYM_TABLE symbols point to
 * one of these. master4 and master6 exist implicitly. */
struct rtable_config {
	const char *name;		/* as declared */
	unsigned family;		/* CF_AF_IPV4 or CF_AF_IPV6 */
	bool sorted;			/* declared `sorted` */
};

enum cf_af {
	CF_AF_NONE = 0,			/* not known yet */
	CF_AF_IPV4 = 4,			/* `ipv4` channel, master4 */
	CF_AF_IPV6 = 6,			/* `ipv6` channel, master6 */
};

/* ---- channels --------------------------------------------------------- */

enum chan_filter_kind {
	CHF_DEFAULT,			/* not written: the protocol's default */
	CHF_ALL,			/* `all` */
	CHF_NONE,			/* `none` */
	CHF_NAMED,			/* `filter NAME` */
	CHF_INLINE,			/* `filter { ... }` or `where EXPR` */
};

struct chan_filter {
	enum chan_filter_kind kind;	/* which form */
	const char *name;		/* CHF_NAMED: the filter's name */
	const void *code;		/* compiled filter (the language's), or NULL */
};

enum chan_limit_action {
	LIMIT_WARN,			/* log only (the default) */
	LIMIT_BLOCK,			/* drop routes over the limit */
	LIMIT_RESTART,			/* restart the protocol */
	LIMIT_DISABLE,			/* disable it */
};

struct chan_limit {
	uint32_t max;			/* 0 = no limit (`off`) */
	enum chan_limit_action action;	/* what happens over it */
};

struct chan_config {
	struct chan_config *next;	/* the protocol's channels, in order */
	unsigned family;		/* CF_AF_IPV4 / CF_AF_IPV6 */
	struct rtable_config *table;	/* `table`; NULL = master of its family */
	uint32_t preference;		/* `preference`; 0 = the protocol's */
	struct chan_filter in, out;	/* `import`, `export` */
	struct chan_limit rx_limit;	/* `receive limit` */
	struct chan_limit in_limit;	/* `import limit` */
	struct chan_limit out_limit;	/* `export limit` */
	bool keep_filtered;		/* `import keep filtered` */
	bool rpki_reload;		/* `rpki reload` */
	uint32_t debug;			/* `debug` within the channel */
	bool implicit;			/* BIRD 1.x: options at the protocol level */
	bool inherited;			/* copied from a template, not yet redeclared */
	const char *file;		/* where declared */
	int line, col;
	void *opts;			/* the protocol's channel options */
};

/* ---- protocol classes ----------------------------------------------------- */

/*
 * One per protocol kind, in its folder (bgp/bgp_conf.c, kernel/krt_conf.c and the
 * others, core/static_conf.c, core/pipe_conf.c); lang/protos.c lists them. The run
 * time hooks (init, start, shutdown, reconfigure, rt_notify, show) join this
 * struct with each protocol's issue.
 */
struct proto_class {
	const char *name;		/* "bgp", as written after `protocol` */
	unsigned id;			/* index into config.proto_count */
	const char *singleton;		/* non-NULL: at most one; the error */
	size_t cfg_size;		/* its config struct, at proto_config.opts */
	const void *cfg_defaults;	/* cfg_size bytes of defaults */
	const struct cf_option *opts;	/* protocol-level options */
	unsigned families;		/* channels it takes: 1 << CF_AF_* bits */
	size_t chan_size;		/* its channel options, at chan_config.opts */
	const void *chan_defaults;	/* chan_size bytes of defaults (or NULL) */
	const struct cf_option *chan_opts;	/* channel-level options, or NULL */
	bool one_channel;		/* at most one channel (kernel, static) */
	bool proto_filters;		/* import/export/table at the protocol level
					 * are its own (pipe), not BIRD 1.x style */
	/* BIRD 1.x: the family of the implicit channel from the protocol's
	 * own addresses (a BGP neighbor); CF_AF_NONE when they do not say */
	unsigned (*family)(const struct proto_config *pc);
	/* checks at the closing brace of a protocol (not a template): an
	 * error message (BIRD's wording), or NULL */
	const char *(*check)(const struct proto_config *pc);
};

#define CF_FAMILY(af) (1u << (af))

/* bgp/bgp_conf.c, kernel/krt_conf.c dev_conf.c direct_conf.c,
 * core/static_conf.c pipe_conf.c */
extern const struct proto_class proto_bgp, proto_kernel, proto_device, proto_direct,
	proto_static, proto_pipe;

/* core/static_conf.c, core/pipe_conf.c: their config structs */
enum static_dest {
	SD_VIA,				/* via next hops */
	SD_RECURSIVE,			/* recursive IP */
	SD_BLACKHOLE,			/* blackhole */
	SD_UNREACHABLE,			/* unreachable */
	SD_PROHIBIT,			/* prohibit */
};

struct f_filter;			/* lang/ast.h */

struct static_nexthop {
	struct static_nexthop *next;	/* next hop of a multipath route */
	ip_addr gw;			/* `via IP`, or zero */
	char *iface;			/* `via "ifname"` (or `dev`), or NULL */
	uint32_t weight;		/* `weight N`, 1..256 */
	bool bfd;			/* `bfd` */
	bool onlink;			/* `onlink` */
};

struct static_route {
	struct static_route *next;	/* in the order written */
	net_addr net;			/* the prefix */
	uint32_t dest;			/* enum static_dest */
	ip_addr via;			/* SD_RECURSIVE: the address */
	struct static_nexthop *nh;	/* SD_VIA: next hops */
	const struct f_filter *attrs;	/* `{ bgp_med = 5; ... }` run on the route, or NULL */
};

struct static_config {
	bool check_link;		/* `check link` */
	struct rtable_config *igp_table[2];	/* `igp table`: IPv4's, IPv6's */
	struct static_route *routes;	/* `route ...` */
};

struct pipe_config {
	struct rtable_config *peer;	/* `peer table` */
	uint32_t mode;			/* 1.x `mode opaque|transparent` */
};

/* ---- protocols at run time (core/proto.c) -------------------------------- */

/*
 * A protocol instance, made from a proto_config of the running config.
 * Life cycle as BIRD's: DOWN -> START -> UP -> STOP -> DOWN. A protocol
 * whose config did not change across a reconfiguration is left running
 * (its channels are rebound to the new config's filters); any other change
 * restarts that protocol alone.
 */
enum proto_state {
	PS_DOWN,			/* not running (disabled, or stopped) */
	PS_START,			/* starting: channels attached */
	PS_UP,				/* running */
	PS_STOP,			/* stopping: routes being flushed */
};

struct proto;
struct channel;
struct rte;
struct rtable;
struct net;
struct cli;

/*
 * The run-time hooks of a protocol kind. Every hook may be NULL.
 *   start     attach channels (proto_add_channel) and announce; returns the
 *             state reached (PS_UP, or PS_START while a session comes up)
 *   shutdown  the protocol is going down: release its own resources (the
 *             channels are flushed and freed by proto.c)
 *   same      true when two configs of this kind differ in nothing that
 *             needs a restart (channels are compared by proto.c)
 *   rt_notify a route of c's table is given or taken back: new passed the
 *             export filter (NULL: none now), old is what c was given
 *             before (NULL: nothing); for c's mode (chan_set_mode) the best
 *             route, any route, or the merged best. new == old on a feed of
 *             a route already given
 *   preexport may c be given this route at all (before its export filter)?
 *             false counts as rejected (a pipe refuses what it brought).
 *             NULL: every route but the protocol's own
 *   mergable  CRA_MERGED: may sec's next hops join those of pri, a route of
 *             the same kind and preference? NULL: never
 *   reload    `reload in`: announce every route again through the filters
 *   reconfigure  take a new config of the same kind in place (true) or ask
 *             for a restart (false); proto_same already held. NULL: each
 *             channel by chan_reconfigure, in order (proto.c)
 *   info      the Info column of `show protocols`
 *   show      `show protocols all` body; NULL prints each channel
 */
struct proto_ops {
	const char *kind;		/* config kind: "static" */
	const char *label;		/* Proto column: "Static" */
	unsigned pref;			/* default import preference */
	enum proto_state (*start)(struct proto *p);
	void (*shutdown)(struct proto *p);
	bool (*same)(const struct proto_config *a, const struct proto_config *b);
	void (*rt_notify)(struct proto *p, struct channel *c, const net_addr *n,
	    struct rte *new_rte, struct rte *old_rte);
	bool (*preexport)(struct proto *p, struct channel *c, const struct rte *e);
	bool (*mergable)(const struct rte *pri, const struct rte *sec);
	void (*reload)(struct proto *p);
	bool (*reconfigure)(struct proto *p, const struct proto_config *pc, struct config *conf,
	    bool soft);
	void (*info)(const struct proto *p, char *buf, size_t len);
	void (*show)(struct proto *p, struct cli *c);
};

struct proto {
	struct proto *next;		/* all protocols, in config order */
	const struct proto_ops *ops;	/* its kind's hooks */
	const struct proto_config *cf;	/* in the running config */
	char *name;			/* owned copy */
	enum proto_state state;		/* PS_* */
	bool disabled;			/* `disable` or `disabled` */
	bool keep;			/* reconfigure: still in the config */
	uint8_t pending;		/* PROTO_PENDING_*: deferred limit actions */
	int64_t since;			/* real_us() of the last state change */
	const char *message;		/* last reason it went down, or NULL */
	struct channel *channels;	/* its channels */
	struct channel *main;		/* the first (Table column) */
	void *data;			/* the kind's own state */
};

enum {
	PROTO_PENDING_RESTART = 1,	/* a limit asked for a restart */
	PROTO_PENDING_DISABLE = 2,	/* a limit asked to disable */
};

/* proto.c */
extern struct proto *proto_list;	/* every protocol */
void proto_commit(struct config *c);	/* start, keep or restart from c */
void proto_shutdown_all(void);		/* stop and free every protocol */
struct proto *proto_find(const char *name);
struct channel *proto_add_channel(struct proto *p, const struct chan_config *cf,
    const char *name, const char *table);	/* table NULL: cf's, else master */
void proto_enable(struct proto *p);
void proto_disable(struct proto *p, const char *why);
void proto_restart(struct proto *p, const char *why);
void proto_reload(struct proto *p, bool in, bool out);
void proto_request(struct proto *p, unsigned what, const char *why);	/* deferred */
void proto_run_pending(void);		/* run deferred actions now */
/* after chan_reconfigure: log and reload what it asked for (CHR_*);
 * with soft (`configure soft`) only log it */
void proto_chan_reloaded(struct proto *p, struct channel *c, unsigned what, bool soft);
const char *proto_state_name(const struct proto *p);
const struct proto_ops *proto_ops_find(const char *kind);

/* static.c, pipe.c */
extern const struct proto_ops static_ops, pipe_ops;

#endif
