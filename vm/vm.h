/*
 * The filter VM: values and their types, and the public API of the
 * compiler and interpreter (vm/compile.c, vm/interp.c, vm/disasm.c).
 *
 * Running a named filter on one route (for tools/routes.c, tools/mrt.c and
 * the channels):
 *
 *   struct vm_prog *prog = vm_compile(conf, err, sizeof err);  // once per config
 *   const struct vm_func *f = vm_find(prog, "NAME", VM_FIND_FILTER); // NULL: unknown
 *   struct vm_route r = { .net = &net, .attrs = rta };          // rta: interned, not consumed
 *   struct vm_result res;
 *   vm_run_filter(prog, f, &r, &res);     // returns res.verdict
 *   // res.verdict: VM_ACCEPT, VM_REJECT (res.msg: the reject/error text)
 *   // res.attrs: a NEW interned set (caller owns one reference, rta_unref it)
 *   //            when the filter changed attributes, else NULL
 *   // res.out, res.out_len: what print/printn wrote (valid until the next run)
 *   vm_prog_free(prog);
 *
 * A route's view is (net, attrs) plus a few per-source fields; nothing is
 * allocated when nothing changes. A runaway filter (instruction budget),
 * a stack overflow or a type fault ends with VM_REJECT and a message
 * naming the filter, the source line and the opcode.
 */
#ifndef BIRCH_VM_VM_H
#define BIRCH_VM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/net.h"

enum f_type {
	T_VOID = 0,		/* no value (an error already reported) */
	T_INT,			/* unsigned 32-bit integer, wraps like BIRD's */
	T_BOOL,			/* TRUE / FALSE */
	T_PAIR,			/* (a,b), two 16-bit halves in one u32 */
	T_QUAD,			/* a.b.c.d used as a 32-bit number */
	T_STRING,		/* text */
	T_IP,			/* IPv4 or IPv6 address */
	T_NET,			/* prefix */
	T_LC,			/* large community (a, b, c) */
	T_RD,			/* route distinguisher a:b */
	T_SET,			/* set of ints, pairs, quads, ips, lcs: ranges */
	T_PREFIX_SET,		/* set of prefix patterns */
	/* the filter language's other types (lang/ast.h types them statically) */
	T_EC,			/* extended community (kind, a, b) */
	T_BYTESTRING,		/* raw bytes (2.14+ hex:...) */
	T_PATH,			/* bgppath: an AS path */
	T_PATH_MASK,		/* bgpmask: [= ... =] */
	T_CLIST,		/* list of pairs (standard communities) */
	T_ECLIST,		/* list of ecs */
	T_LCLIST,		/* list of lcs */
	T_ENUM_RTS,		/* route source: RTS_STATIC, RTS_BGP, ... */
	T_ENUM_SCOPE,		/* SCOPE_HOST, ..., SCOPE_UNIVERSE */
	T_ENUM_RTD,		/* destination: RTD_UNICAST, RTD_BLACKHOLE, ... */
	T_ENUM_BGP_ORIGIN,	/* ORIGIN_IGP, ORIGIN_EGP, ORIGIN_INCOMPLETE */
	T_ENUM_NET_TYPE,	/* NET_IP4, NET_IP6, ... */
	T_ENUM_ROA,		/* roa_check() result: ROA_UNKNOWN, ROA_VALID, ROA_INVALID */
	T_ENUM_RA_PREFERENCE,	/* RA_PREF_LOW, RA_PREF_MEDIUM, RA_PREF_HIGH */
	T_ENUM_AF,		/* AF_IPV4, AF_IPV6 (net.type's family) */
	T__COUNT		/* number of types */
};

struct f_lc {
	uint32_t asn, ldp1, ldp2;	/* global administrator, two data parts */
};

struct f_path_mask;		/* lang/ast.h: a bgpmask's items */

struct f_val {
	enum f_type type;		/* selects the member of v */
	union {
		uint32_t i;		/* T_INT, T_BOOL, T_PAIR, T_QUAD */
		uint64_t rd;		/* T_RD: type << 48 | admin/value */
		uint64_t ec;		/* T_EC: kind << 48 | admin/value, as on the wire */
		ip_addr ip;		/* T_IP */
		net_addr net;		/* T_NET */
		const char *s;		/* T_STRING, NUL-terminated */
		struct f_lc lc;		/* T_LC */
		const struct f_set *set;	/* T_SET, T_PREFIX_SET */
		const struct f_path_mask *pm;	/* T_PATH_MASK (parser's form) */
		struct {
			const void *p;		/* bytes (4-aligned for lists) */
			uint32_t len;		/* in bytes */
		} d;			/* VM run time: T_PATH (wire segments), T_CLIST,
					   T_ECLIST, T_LCLIST, T_BYTESTRING, T_PATH_MASK
					   (compiled: p is a struct vm_path_mask) */
	} v;
};

struct f_range {
	struct f_val from, to;		/* from == to for a single value */
};

struct f_prefix_patt {
	net_addr net;			/* the prefix */
	uint8_t lo, hi;			/* accepted lengths, net.pxlen <= lo <= hi */
};

struct f_set {
	unsigned n;			/* number of items */
	const struct f_range *r;	/* T_SET: ranges, sorted by from */
	const struct f_prefix_patt *p;	/* T_PREFIX_SET: patterns, sorted */
	enum f_type etype;		/* T_SET: type of its items (T_VOID when empty) */
	const void *vm;			/* the VM's compiled form; NULL in the parser's sets */
};

/* value.c */
const char *f_type_name(enum f_type t);		/* "int", "pair", ... as BIRD names them */
int val_compare(const struct f_val *a, const struct f_val *b);	/* <0, 0, >0; types first */
int val_same(const struct f_val *a, const struct f_val *b);	/* equal type and value */
/* as `birdc eval` prints it; snprintf-like: returns the length it needed */
size_t val_format(const struct f_val *v, char *buf, size_t len);

/* ---- compiler and interpreter ---------------------------------------- */

struct config;
struct rta;
struct vm_prog;			/* a config's filters and functions, compiled */
struct vm_func;			/* one compiled filter or function */

/* compile.c: every filter and function of c (c must outlive the program).
 * NULL and a message in err when something cannot be compiled. */
struct vm_prog *vm_compile(const struct config *c, char *err, size_t errlen);
/* the same in two steps, for the parser: the config's program opened
 * while the config is read (each route block compiled as soon as it is
 * read, so its syntax tree can go), then completed with every filter and
 * function the config declares; 0, or -1 and a message in err */
struct vm_prog *vm_prog_open(const struct config *c);
int vm_prog_complete(struct vm_prog *p, char *err, size_t errlen);
void vm_prog_free(struct vm_prog *p);
/* do f and g compile to the same code (constants compared by value)?
 * What BIRD's bt_test_same checks, and what a reload compares */
bool vm_func_same(const struct vm_prog *p, const struct vm_func *f, const struct vm_func *g);
/* the same for f of program pa and g of pb (two configs' programs):
 * constants, attributes, case tables by value, called functions in depth */
bool vm_func_same_in(const struct vm_prog *pa, const struct vm_func *f, const struct vm_prog *pb,
    const struct vm_func *g);
enum vm_find_kind { VM_FIND_FILTER = 1, VM_FIND_FUNCTION = 2, VM_FIND_ANY = 3 };
const struct vm_func *vm_find(const struct vm_prog *p, const char *name, enum vm_find_kind k);
struct f_filter;
/* the compiled form of a channel's filter spec (also inline and `where`);
 * NULL for `all`/`none` (check f->kind) or when f is not from this config */
const struct vm_func *vm_find_spec(struct vm_prog *p, const struct f_filter *f);

/* interp.c: running */
enum vm_verdict {
	VM_ACCEPT,		/* accepted (maybe with new attributes) */
	VM_REJECT,		/* rejected, or a runtime error (msg says which) */
};

struct vm_route {
	const net_addr *net;		/* the prefix */
	struct rta *attrs;		/* its interned attributes; not consumed */
	const char *proto;		/* `proto`: source protocol name, or NULL */
	ip_addr from;			/* `from`: the sender's address */
	uint32_t preference;		/* `preference` */
	bool keep;			/* changes stand even on reject or error
					 * (BIRD ignores a static block's verdict) */
};

struct vm_result {
	enum vm_verdict verdict;	/* accept or reject */
	bool error;			/* rejected by a runtime error */
	struct rta *attrs;		/* changed: new interned set, caller owns a ref; else NULL */
	uint32_t preference;		/* preference after the filter */
	const char *msg;		/* reject/error message or NULL; valid until next run */
	const char *out;		/* print output; valid until the next run */
	size_t out_len;			/* bytes at out */
	uint64_t steps;			/* instructions executed */
};

enum vm_verdict vm_run_filter(struct vm_prog *p, const struct vm_func *f,
    const struct vm_route *r, struct vm_result *res);
/* the verdict cache (vm/vcache.c): a filter run by a channel (not a
 * static route block: keep) whose work after its route-specific part
 * reads only the attribute set takes that part's result from a cache by
 * set. On by default; off gives the same results, slower. trim drops the
 * entries whose input set only the cache still holds (the daemon calls it
 * after tables shrink); stats: lookups that hit and missed, entries held */
void vm_cache(struct vm_prog *p, bool on);
/* hints before running f on a route with set attrs a few routes later
 * (a feed, a batch), so that the loads of several routes overlap: far
 * (!near) starts loading the set and f's cache slot for it; near, given
 * some routes after far, the changed set a cached result holds. The
 * results are unchanged */
void vm_prefetch(struct vm_prog *p, const struct vm_func *f, const struct rta *attrs, bool near);
void vm_cache_trim(struct vm_prog *p);
void vm_cache_stats(const struct vm_prog *p, uint64_t *hits, uint64_t *misses, size_t *entries);
/* the name of interface ifindex, for `ifname` (the daemon points it at
 * core/iface.h's if_name_of); unset, or NULL for an index: "" */
extern const char *(*vm_ifname)(uint32_t ifindex);
/* `gw = IP` (ifname NULL) and `ifname = "NAME"`: the interface of that
 * neighbor, or of that name, into *ifindex; false: BIRD's "Invalid gw
 * address" / "Invalid iface name". Unset (birch-check): a gateway is
 * taken without an interface, a name is invalid. */
extern bool (*vm_nexthop)(ip_addr gw, const char *ifname, uint32_t *ifindex);
/* log every runtime error of a filter run (rate-limited, class L_ERR),
 * naming the filter, the source line and the opcode, and what filters
 * print (class L_INFO, a line each, as BIRD): the daemon does, birch-check
 * prints them itself */
void vm_log_errors(struct vm_prog *p, bool on);
/* call a function of no arguments (bt_test_suite, eval): 0 and its value
 * in *out (strings and lists live until the next run), or -1 and a
 * message in res->msg; res->out holds what it printed */
int vm_run_function(struct vm_prog *p, const struct vm_func *f, struct f_val *out,
    struct vm_result *res);
/* compile and evaluate one parsed term (lang's START_TERM) against p's
 * scope; the text printed as `birdc eval` prints the value (or the error
 * message), into buf; returns -1 on error */
struct f_node;
/* failed bt_asserts of the last vm_run_function: how many; *lines lists
 * their source lines ("12 40") */
unsigned vm_asserts_failed(const struct vm_prog *p, const char **lines);
int vm_eval_term(struct vm_prog *p, const struct f_node *term, char *buf, size_t len);
/* a value as `birdc eval` prints it, also run-time types (paths, lists,
 * compiled sets); snprintf-like */
size_t vm_val_format(const struct f_val *v, char *buf, size_t len);

/* disasm.c: a readable listing with source lines, of one function or all */
void vm_disasm(const struct vm_prog *p, const struct vm_func *f, FILE *out);

#endif
