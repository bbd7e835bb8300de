/*
 * The filter VM: values and their types. This first part holds only the
 * value type the config parser folds constants into (`define`, sets); the
 * instruction set, interpreter and compiled sets come with the VM itself.
 */
#ifndef BIRCH_VM_VM_H
#define BIRCH_VM_VM_H

#include <stddef.h>
#include <stdint.h>

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
		const struct f_path_mask *pm;	/* T_PATH_MASK */
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
};

/* value.c */
const char *f_type_name(enum f_type t);		/* "int", "pair", ... as BIRD names them */
int val_compare(const struct f_val *a, const struct f_val *b);	/* <0, 0, >0; types first */
int val_same(const struct f_val *a, const struct f_val *b);	/* equal type and value */
/* as `birdc eval` prints it; snprintf-like: returns the length it needed */
size_t val_format(const struct f_val *v, char *buf, size_t len);

#endif
