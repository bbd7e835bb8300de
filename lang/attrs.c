/*
 * What a filter can name without declaring it: the route attributes (the
 * route's own fields and its extended attributes, each with its type and
 * whether a filter may write it), BIRD's enum constants (RTS_BGP,
 * SCOPE_HOST, ...), and the printable names of methods and operators.
 * Both tables are sorted by name for a binary search; attribute ids are
 * their index in the table, stable for the compiler within one build.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"

#define RO FA_RO
#define ST FA_STATIC

/* T_VOID marks BIRD's opaque attributes: readable, never assignable */
static const struct f_attr attrs[] = {
	{ "babel_metric", T_INT, 0, 0 },
	{ "bgp_aggregator", T_VOID, 0, 0 },
	{ "bgp_aigp", T_VOID, 0, 0 },
	{ "bgp_atomic_aggr", T_VOID, 0, 0 },
	{ "bgp_cluster_list", T_CLIST, 0, 0 },
	{ "bgp_community", T_CLIST, 0, 0 },
	{ "bgp_ext_community", T_ECLIST, 0, 0 },
	{ "bgp_large_community", T_LCLIST, 0, 0 },
	{ "bgp_local_pref", T_INT, 0, 0 },
	{ "bgp_med", T_INT, 0, 0 },
	{ "bgp_next_hop", T_IP, 0, 0 },
	{ "bgp_origin", T_ENUM_BGP_ORIGIN, 0, 0 },
	{ "bgp_originator_id", T_QUAD, 0, 0 },
	{ "bgp_otc", T_INT, 0, 0 },
	{ "bgp_path", T_PATH, 0, 0 },
	{ "dest", T_ENUM_RTD, 0, ST },
	{ "from", T_IP, 0, ST },
	{ "gw", T_IP, 0, ST },
	{ "gw_mpls", T_INT, 0, ST },
	{ "ifindex", T_INT, 0, ST | RO },
	{ "ifname", T_STRING, 0, ST },
	{ "igp_metric", T_INT, 0, 0 },
	{ "krt_advmss", T_INT, 0, 0 },
	{ "krt_cwnd", T_INT, 0, 0 },
	{ "krt_feature_allfrag", T_BOOL, 0, 0 },
	{ "krt_feature_ecn", T_BOOL, 0, 0 },
	{ "krt_hoplimit", T_INT, 0, 0 },
	{ "krt_initcwnd", T_INT, 0, 0 },
	{ "krt_initrwnd", T_INT, 0, 0 },
	{ "krt_lock_advmss", T_BOOL, 0, 0 },
	{ "krt_lock_cwnd", T_BOOL, 0, 0 },
	{ "krt_lock_hoplimit", T_BOOL, 0, 0 },
	{ "krt_lock_mtu", T_BOOL, 0, 0 },
	{ "krt_lock_reordering", T_BOOL, 0, 0 },
	{ "krt_lock_rto_min", T_BOOL, 0, 0 },
	{ "krt_lock_rtt", T_BOOL, 0, 0 },
	{ "krt_lock_rttvar", T_BOOL, 0, 0 },
	{ "krt_lock_sstresh", T_BOOL, 0, 0 },
	{ "krt_lock_window", T_BOOL, 0, 0 },
	{ "krt_metric", T_INT, 0, 0 },
	{ "krt_mtu", T_INT, 0, 0 },
	{ "krt_prefsrc", T_IP, 0, 0 },
	{ "krt_quickack", T_INT, 0, 0 },
	{ "krt_realm", T_INT, 0, 0 },
	{ "krt_reordering", T_INT, 0, 0 },
	{ "krt_rto_min", T_INT, 0, 0 },
	{ "krt_rtt", T_INT, 0, 0 },
	{ "krt_rttvar", T_INT, 0, 0 },
	{ "krt_scope", T_INT, 0, 0 },
	{ "krt_source", T_INT, 0, 0 },
	{ "krt_sstresh", T_INT, 0, 0 },
	{ "krt_tunnel", T_STRING, 0, FA_BIRCH },	/* Calico's BIRD fork */
	{ "krt_window", T_INT, 0, 0 },
	{ "net", T_NET, 0, ST | RO },
	{ "onlink", T_BOOL, 0, ST },
	{ "ospf_metric1", T_INT, 0, 0 },
	{ "ospf_metric2", T_INT, 0, 0 },
	{ "ospf_router_id", T_QUAD, 0, 0 },
	{ "ospf_tag", T_INT, 0, 0 },
	{ "preference", T_INT, 0, ST },
	{ "proto", T_STRING, 0, ST | RO },
	{ "ra_lifetime", T_INT, 0, 0 },
	{ "ra_preference", T_ENUM_RA_PREFERENCE, 0, 0 },
	{ "rip_metric", T_INT, 0, 0 },
	{ "rip_tag", T_INT, 0, 0 },
	{ "scope", T_ENUM_SCOPE, 0, ST },
	{ "source", T_ENUM_RTS, 0, ST | RO },
	{ "weight", T_INT, 0, ST },
};

#undef RO
#undef ST

static int
attr_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct f_attr *)elem)->name);
}

const struct f_attr *
f_attr_find(const char *name)
{
	const struct f_attr *a = bsearch(name, attrs, sizeof attrs / sizeof attrs[0],
					  sizeof attrs[0], attr_cmp);
	return a;
}

/* the id is the index: computed, not written, so the table stays one list */
uint16_t
f_attr_id(const struct f_attr *a)
{
	if (a->flags & FA_CUSTOM)
		return a->id;
	return (uint16_t)(a - attrs);
}

struct f_enum {
	const char *name;	/* as written */
	enum f_type type;	/* which enum */
	uint32_t val;		/* BIRD's value */
};

static const struct f_enum enums[] = {
	{ "AF_IPV4", T_ENUM_AF, 1 },
	{ "AF_IPV6", T_ENUM_AF, 2 },
	{ "NET_FLOW4", T_ENUM_NET_TYPE, 7 },
	{ "NET_FLOW6", T_ENUM_NET_TYPE, 8 },
	{ "NET_IP4", T_ENUM_NET_TYPE, 1 },
	{ "NET_IP6", T_ENUM_NET_TYPE, 2 },
	{ "NET_IP6_SADR", T_ENUM_NET_TYPE, 9 },
	{ "NET_MPLS", T_ENUM_NET_TYPE, 10 },
	{ "NET_ROA4", T_ENUM_NET_TYPE, 5 },
	{ "NET_ROA6", T_ENUM_NET_TYPE, 6 },
	{ "NET_VPN4", T_ENUM_NET_TYPE, 3 },
	{ "NET_VPN6", T_ENUM_NET_TYPE, 4 },
	{ "ORIGIN_EGP", T_ENUM_BGP_ORIGIN, 1 },
	{ "ORIGIN_IGP", T_ENUM_BGP_ORIGIN, 0 },
	{ "ORIGIN_INCOMPLETE", T_ENUM_BGP_ORIGIN, 2 },
	{ "RA_PREF_HIGH", T_ENUM_RA_PREFERENCE, 8 },
	{ "RA_PREF_LOW", T_ENUM_RA_PREFERENCE, 24 },
	{ "RA_PREF_MEDIUM", T_ENUM_RA_PREFERENCE, 0 },
	{ "ROA_INVALID", T_ENUM_ROA, 2 },
	{ "ROA_UNKNOWN", T_ENUM_ROA, 0 },
	{ "ROA_VALID", T_ENUM_ROA, 1 },
	{ "RTD_BLACKHOLE", T_ENUM_RTD, 2 },
	{ "RTD_PROHIBIT", T_ENUM_RTD, 4 },
	{ "RTD_UNICAST", T_ENUM_RTD, 1 },
	{ "RTD_UNREACHABLE", T_ENUM_RTD, 3 },
	{ "RTS_BABEL", T_ENUM_RTS, 13 },
	{ "RTS_BGP", T_ENUM_RTS, 11 },
	{ "RTS_DEVICE", T_ENUM_RTS, 3 },
	{ "RTS_INHERIT", T_ENUM_RTS, 2 },
	{ "RTS_OSPF", T_ENUM_RTS, 7 },
	{ "RTS_OSPF_EXT1", T_ENUM_RTS, 9 },
	{ "RTS_OSPF_EXT2", T_ENUM_RTS, 10 },
	{ "RTS_OSPF_IA", T_ENUM_RTS, 8 },
	{ "RTS_PIPE", T_ENUM_RTS, 12 },
	{ "RTS_REDIRECT", T_ENUM_RTS, 5 },
	{ "RTS_RIP", T_ENUM_RTS, 6 },
	{ "RTS_RPKI", T_ENUM_RTS, 14 },
	{ "RTS_STATIC", T_ENUM_RTS, 1 },
	{ "RTS_STATIC_DEVICE", T_ENUM_RTS, 4 },
	{ "SCOPE_HOST", T_ENUM_SCOPE, 0 },
	{ "SCOPE_LINK", T_ENUM_SCOPE, 1 },
	{ "SCOPE_ORGANIZATION", T_ENUM_SCOPE, 3 },
	{ "SCOPE_SITE", T_ENUM_SCOPE, 2 },
	{ "SCOPE_UNDEFINED", T_ENUM_SCOPE, 5 },
	{ "SCOPE_UNIVERSE", T_ENUM_SCOPE, 4 },
};

static int
enum_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct f_enum *)elem)->name);
}

int
f_enum_find(const char *name, struct f_val *out)
{
	const struct f_enum *e = bsearch(name, enums, sizeof enums / sizeof enums[0],
					 sizeof enums[0], enum_cmp);
	if (!e)
		return -1;
	*out = (struct f_val){ .type = e->type, .v.i = e->val };
	return 0;
}

static const char *const methods[M__COUNT] = {
	[M_LEN] = "len", [M_FIRST] = "first", [M_LAST] = "last",
	[M_LAST_NONAGG] = "last_nonaggregated", [M_ASN] = "asn", [M_DATA] = "data",
	[M_DATA1] = "data1", [M_DATA2] = "data2", [M_IP] = "ip", [M_MASK] = "mask",
	[M_TYPE] = "type", [M_SRC] = "src", [M_DST] = "dst", [M_MAXLEN] = "maxlen",
	[M_RD] = "rd", [M_MIN] = "min", [M_MAX] = "max", [M_IS_V4] = "is_v4",
	[M_EMPTY] = "empty", [M_PREPEND] = "prepend", [M_ADD] = "add",
	[M_DELETE] = "delete", [M_FILTER] = "filter",
};

const char *
f_method_name(enum f_method m)
{
	return (unsigned)m < M__COUNT ? methods[m] : "?";
}

/* a method by its name, or -1 */
int
f_method_find(const char *name)
{
	for (int m = 0; m < M__COUNT; m++)
		if (!strcmp(methods[m], name))
			return m;
	return -1;
}

const char *
f_op_name(enum f_op op)
{
	static const char *const names[] = {
		[OP_ADD] = "ADD", [OP_SUB] = "SUBTRACT", [OP_MUL] = "MULTIPLY",
		[OP_DIV] = "DIVIDE", [OP_AND] = "AND", [OP_OR] = "OR", [OP_EQ] = "EQ",
		[OP_NEQ] = "NEQ", [OP_LT] = "LT", [OP_GT] = "LT", [OP_LE] = "LTE",
		[OP_GE] = "LTE", [OP_MATCH] = "MATCH", [OP_NMATCH] = "NOT_MATCH",
	};
	return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}
