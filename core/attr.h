/*
 * Birch route attributes: interned, refcounted, hash-consed sets.
 *
 * A set (struct rta) holds what a route says independently of who sent it:
 * the source protocol class, scope, destination kind, next hops, IGP metric
 * and an ordered array of extended attributes (BGP's path attributes among
 * them). Each distinct set exists once; routes and protocols hold counted
 * references. A set is immutable once interned: a filter or decoder builds
 * a changed copy with a builder (copy on write: edits are kept beside the
 * base set and merged once, at rta_build_finish, which interns the result).
 *
 * What is not in a set, and why:
 *  - the sender (channel, ADD-PATH path id) and `from`: per source, so two
 *    peers announcing the same attributes share one set (BIRD 2 keeps the
 *    source in its rta and so shares less);
 *  - preference: set per channel (`preference`) and by filters, so it lives
 *    in the route (struct rte, core/table.h) like BIRD 2's rte->pref;
 *    keeping it here would split one set per distinct import preference;
 *  - last-change time and flags: per route.
 *
 * Layout of a set: an 8-byte header (use count, the body's hash, kept so
 * that resizing the intern table and unlinking a freed set need not read
 * the body; the table holds the addresses, no chain runs through sets)
 * and a body that is hashed and compared bytewise: 8 bytes
 * of fixed fields (among them the set's size), then nh_count next hops,
 * ea_count extended attributes sorted by id, the IGP metric (a u32, only
 * when RTA_IGP is set: it is almost always 0), then a blob of data items
 * (each zero padded to 4 bytes), one per data-type attribute in the
 * attributes' order. Such an attribute holds its item's offset in the blob
 * and its length (16 bits each, ea_data); a set of 64 KiB or more (BGP
 * extended messages allow it) stores size 0 and its attributes hold only
 * their lengths, the offsets being the padded lengths before them. So the
 * VM reads a path or a community list in place: a pointer and a length, no
 * copy. The body has no padding holes and the builder writes it
 * canonically (next hops sorted, attributes sorted, pads zeroed), so equal
 * content means equal bytes.
 *
 * Data encodings (all in host order unless said):
 *  EAF_INT, EAF_ROUTER_ID, EAF_ENUM  u32 in the attribute itself
 *  EAF_IP       one ip_addr (16 bytes), or two (global, link-local: 32);
 *               a single IPv4 address is stored as its u32 (4 bytes: the
 *               attribute's length says which) and widened by rta_get
 *  EAF_AS_PATH  BGP wire segments as in an AS4 UPDATE: type, count, then
 *               count 4-byte ASNs in network order
 *  EAF_INT_SET  u32 array (communities as asn << 16 | value, cluster list)
 *  EAF_EC_SET   u32 pairs (high, low) per 64-bit extended community
 *  EAF_LC_SET   u32 triples (asn, ldp1, ldp2) per large community
 *  EAF_OPAQUE   raw bytes (aggregator as its wire bytes, unknown attributes)
 *
 * Memory: sets come from slabs of 8-byte size classes up to 1 KiB (bigger
 * ones from malloc), all charged to MEM_ATTRS, as is the intern table.
 * Single-threaded: the intern table and the builder's scratch are global.
 */
#ifndef BIRCH_CORE_ATTR_H
#define BIRCH_CORE_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/net.h"

/* source protocol class (BIRD's RTS_* numbers, the filter's `source`) */
enum rt_source {
	RTS_DUMMY = 0,		/* none given */
	RTS_STATIC = 1,		/* static routes */
	RTS_INHERIT = 2,	/* kernel routes learned by the kernel protocol */
	RTS_DEVICE = 3,		/* direct (connected) routes */
	RTS_STATIC_DEVICE = 4,	/* static routes via an interface */
	RTS_REDIRECT = 5,	/* learned via redirect */
	RTS_RIP = 6,		/* RIP (not run, numbered for the language) */
	RTS_OSPF = 7,		/* OSPF intra-area (ditto) */
	RTS_OSPF_IA = 8,	/* OSPF inter-area (ditto) */
	RTS_OSPF_EXT1 = 9,	/* OSPF external type 1 (ditto) */
	RTS_OSPF_EXT2 = 10,	/* OSPF external type 2 (ditto) */
	RTS_BGP = 11,		/* BGP */
	RTS_PIPE = 12,		/* inherited through a pipe */
	RTS_BABEL = 13,		/* Babel (not run) */
	RTS_RPKI = 14,		/* RPKI ROAs */
	RTS_MAX			/* number of classes */
};

/* route scope (BIRD 2's SCOPE_* numbers, as `birdc eval` shows them) */
enum rt_scope {
	SCOPE_HOST = 0,		/* this host only */
	SCOPE_LINK = 1,		/* this link */
	SCOPE_SITE = 2,		/* this site */
	SCOPE_ORGANIZATION = 3,	/* this organization */
	SCOPE_UNIVERSE = 4,	/* everywhere: the default */
	SCOPE_UNDEFINED = 5,	/* not set */
};

/* what a route does with packets (BIRD 2's RTD_* numbers) */
enum rt_dest {
	RTD_NONE = 0,		/* undefined */
	RTD_UNICAST = 1,	/* forward through the next hops */
	RTD_BLACKHOLE = 2,	/* drop silently */
	RTD_UNREACHABLE = 3,	/* drop, ICMP unreachable */
	RTD_PROHIBIT = 4,	/* drop, ICMP administratively prohibited */
};

/* one next hop; a multipath route has several, sorted */
struct nexthop {
	ip_addr gw;		/* gateway; zero for a direct route */
	uint32_t ifindex;	/* outgoing interface, 0 when not known */
	uint8_t weight;		/* ECMP weight minus one, as BIRD (0..255) */
	uint8_t flags;		/* RNF_* */
	uint16_t pad;		/* always zero (the body is compared bytewise) */
};

enum {
	RNF_ONLINK = 1,		/* gateway reachable on ifindex without a route */
};

/* extended attribute types: how the value is stored and read */
enum ea_type {
	EAF_INT = 1,		/* u32 value */
	EAF_ROUTER_ID,		/* u32 value printed as a quad */
	EAF_ENUM,		/* u32 value of an enum (bgp_origin) */
	EAF_IP,			/* data: ip_addr[1 or 2] */
	EAF_AS_PATH,		/* data: BGP wire segments, 4-byte ASNs */
	EAF_INT_SET,		/* data: u32[] (communities, cluster list) */
	EAF_EC_SET,		/* data: u32 pairs, high word first */
	EAF_LC_SET,		/* data: u32 triples */
	EAF_OPAQUE,		/* data: raw bytes */
	EAF_TYPE_MAX
};

/* does an attribute of type t keep its value in the blob? */
static inline bool ea_type_has_data(unsigned t)
{
	return t >= EAF_IP;
}

/* attribute ids: the protocol class in the high byte, its code in the low;
 * BGP's low byte is the wire type code, so unknown attributes map 1:1 */
#define EA_CODE(proto, code)	((uint16_t)((proto) << 8 | (code)))
#define EA_PROTO(id)		((id) >> 8)
enum {
	EAP_GENERIC = 0,	/* protocol-independent */
	EAP_BGP = 1,		/* BGP path attributes */
	EAP_KRT = 2,		/* kernel: krt_source, krt_metric, ... */
};
enum {
	EA_BGP_ORIGIN = EA_CODE(EAP_BGP, 1),		/* EAF_ENUM */
	EA_BGP_AS_PATH = EA_CODE(EAP_BGP, 2),		/* EAF_AS_PATH */
	EA_BGP_NEXT_HOP = EA_CODE(EAP_BGP, 3),		/* EAF_IP */
	EA_BGP_MED = EA_CODE(EAP_BGP, 4),		/* EAF_INT */
	EA_BGP_LOCAL_PREF = EA_CODE(EAP_BGP, 5),	/* EAF_INT */
	EA_BGP_ATOMIC_AGGR = EA_CODE(EAP_BGP, 6),	/* EAF_OPAQUE, empty */
	EA_BGP_AGGREGATOR = EA_CODE(EAP_BGP, 7),	/* EAF_OPAQUE: asn4, ip4 */
	EA_BGP_COMMUNITY = EA_CODE(EAP_BGP, 8),		/* EAF_INT_SET */
	EA_BGP_ORIGINATOR_ID = EA_CODE(EAP_BGP, 9),	/* EAF_ROUTER_ID */
	EA_BGP_CLUSTER_LIST = EA_CODE(EAP_BGP, 10),	/* EAF_INT_SET */
	EA_BGP_EXT_COMMUNITY = EA_CODE(EAP_BGP, 16),	/* EAF_EC_SET */
	EA_BGP_LARGE_COMMUNITY = EA_CODE(EAP_BGP, 32),	/* EAF_LC_SET */
};

/* BGP attribute flags as on the wire, kept in eattr.flags */
enum {
	EAF_BGP_OPTIONAL = 0x80,	/* optional */
	EAF_BGP_TRANSITIVE = 0x40,	/* transitive */
	EAF_BGP_PARTIAL = 0x20,		/* partial */
};

/* one extended attribute inside a set: 8 bytes */
struct eattr {
	uint16_t id;		/* EA_* */
	uint8_t type;		/* enum ea_type */
	uint8_t flags;		/* the owning protocol's (BGP: wire flags) */
	uint32_t val;		/* the value, or where the data item is (ea_data) */
};

/* an interned set; read-only except through rta_ref/rta_unref */
struct rta {		/* 16 bytes and what follows */
	uint32_t uc;		/* references; freed when it drops to 0 */
	uint32_t hash;		/* of the body, set when interned */
	/* body: hashed and compared bytewise from here on */
	uint8_t source;		/* enum rt_source */
	uint8_t scope;		/* enum rt_scope */
	uint8_t dest;		/* enum rt_dest */
	uint8_t nh_count;	/* next hops that follow */
	uint16_t ea_count;	/* extended attributes after the next hops */
	uint16_t shape;		/* bytes of the set (RTA_SIZE: a multiple of 4, 0
				 * when 64 KiB or more) | RTA_IGP */
	/* struct nexthop nh[nh_count]; struct eattr ea[ea_count];
	 * uint32_t igp_metric if RTA_IGP; blob */
};

enum {
	RTA_IGP = 1,		/* shape: an IGP metric follows the attributes */
	RTA_SIZE = 0xfffc,	/* shape: the set's bytes; 0: walk (64 KiB or more) */
};

/* a read of one attribute, from a set or a builder: no copy, except an
 * IPv4 address that the set keeps in 4 bytes: it is widened into ip and
 * data points there (valid as long as this struct) */
struct ea_val {
	uint16_t id;		/* EA_* */
	uint8_t type;		/* enum ea_type */
	uint8_t flags;		/* protocol flags */
	uint32_t i;		/* integer types: the value */
	uint32_t len;		/* data types: bytes at data */
	const void *data;	/* data types: 4-aligned bytes; NULL for ints */
	ip_addr ip;		/* EAF_IP read from a set: the address widened */
};

static inline const struct nexthop *rta_nexthops(const struct rta *a)
{
	return (const struct nexthop *)(const void *)(a + 1);
}

static inline const struct eattr *rta_eattrs(const struct rta *a)
{
	return (const struct eattr *)(const void *)(rta_nexthops(a) + a->nh_count);
}

/* the IGP metric (0 unless RTA_IGP): after the attributes */
static inline uint32_t rta_igp_metric(const struct rta *a)
{
	if (!(a->shape & RTA_IGP))
		return 0;
	return *(const uint32_t *)(const void *)(rta_eattrs(a) + a->ea_count);
}

/* the data items of the data-type attributes, in their order */
static inline const uint8_t *rta_blob(const struct rta *a)
{
	return (const uint8_t *)(const void *)(rta_eattrs(a) + a->ea_count) +
	    (a->shape & RTA_IGP ? sizeof(uint32_t) : 0);
}

/* attr.c: interned sets */
struct rta *rta_ref(struct rta *a);	/* one more reference; returns a */
void rta_unref(struct rta *a);		/* drop one; frees at zero; NULL ok */
const struct eattr *ea_find(const struct rta *a, unsigned id);	/* NULL: absent */
bool rta_get(const struct rta *a, unsigned id, struct ea_val *out);	/* false: absent */
void ea_data_walk(const struct rta *a, const struct eattr *e, const void **data, uint32_t *len);
						/* ea_data of a set of 64 KiB or more */
size_t rta_size(const struct rta *a);	/* bytes of the set, header included */
size_t rta_count(void);			/* distinct sets alive */
void rta_set_hash_hook(uint32_t (*fn)(const void *body, size_t len));	/* tests: NULL resets */
void rta_set_bare_hook(bool bare);	/* tests: untagged intern table, as when
					 * a set lies above 2^48 */

/* the stored bytes of a data-type attribute e of a (EAF_IP: maybe 4): in a
 * set below 64 KiB, e->val is the item's offset << 16 | its length */
static inline void ea_data(const struct rta *a, const struct eattr *e, const void **data,
    uint32_t *len)
{
	if (a->shape & RTA_SIZE) {
		*len = e->val & 0xffff;
		*data = rta_blob(a) + (e->val >> 16);
	} else {
		ea_data_walk(a, e, data, len);	/* a set of 64 KiB or more */
	}
}

/* attr.c: building a set (copy on write over a base set) */
enum { RTA_BUILD_INLINE = 16 };	/* edits held without malloc */

struct ea_edit {
	struct ea_val v;	/* the new value (data: caller's bytes) */
	bool unset;		/* remove the attribute instead */
};

struct rta_builder {
	struct rta *base;	/* the set edited; not referenced by the builder */
	uint8_t source, scope, dest;	/* fixed fields, from base; assign freely */
	uint32_t igp_metric;	/* ditto */
	const struct nexthop *nh;	/* next hops: base's or the caller's */
	unsigned nh_count;	/* entries at nh */
	unsigned n_edits, cap_edits;	/* edits held, room */
	struct ea_edit *edits;	/* sorted by id, one per id */
	struct ea_edit inline_edits[RTA_BUILD_INLINE];	/* first edits */
};

void rta_build_start(struct rta_builder *b, struct rta *base);	/* base NULL: empty */
void rta_build_nexthops(struct rta_builder *b, const struct nexthop *nh, unsigned n);
void rta_build_set_int(struct rta_builder *b, unsigned id, unsigned type, unsigned flags,
    uint32_t v);
void rta_build_set_data(struct rta_builder *b, unsigned id, unsigned type, unsigned flags,
    const void *data, uint32_t len);	/* bytes must live until finish */
void rta_build_unset(struct rta_builder *b, unsigned id);
bool rta_build_get(const struct rta_builder *b, unsigned id, struct ea_val *out);
struct rta *rta_build_finish(struct rta_builder *b);	/* interned; caller owns a ref */
void rta_build_abort(struct rta_builder *b);	/* drop the edits */

#endif
