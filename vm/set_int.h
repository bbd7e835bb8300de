/*
 * Compiled sets and AS-path masks: the constant-pool objects the filter VM
 * queries on every route (private to vm/).
 *
 * Every structure here is built once, ahead of time, from a config's set
 * literal into a caller's pool, and is immutable afterwards: queries never
 * allocate and never write. Three families:
 *
 *  - trie.c: a prefix set (`[10.0.0.0/8+, 192.168.0.0/16{24,32}]`) as the
 *    same 4-bit-stride, path-compressed trie BIRD 2 builds, flattened into
 *    one array. `net ~ set` is one walk from the root; printing walks the
 *    nodes exactly as BIRD does, so merged patterns print as BIRD prints.
 *  - intervals.c: int, pair, quad, ec, lc and ip sets as sorted, merged,
 *    disjoint intervals searched by bisection (32-, 64- or 128-bit keys),
 *    plus the original ranges in source order for printing. The community
 *    list matchers (delete/filter/~ on clist, eclist, lclist) live there.
 *  - pathmask.c: AS paths in BGP wire form and path masks
 *    (`[= * 64512 ? 1..3 [1,2] 5+ =]`), matched as BIRD 2 matches them.
 *
 * Data forms shared with core/attr.h (EAF_*), so the VM reads attributes in
 * place:
 *   clist    uint32_t[n]: communities as asn << 16 | value (also cluster
 *            lists, as quads)
 *   eclist   uint32_t[2n]: (high, low) word pairs of 64-bit extended
 *            communities, in order
 *   lclist   uint32_t[3n]: (asn, ldp1, ldp2) triples
 *   as path  bytes: segments of type (1 VM_AS_SET, 2 VM_AS_SEQUENCE,
 *            3 VM_AS_CONFED_SEQUENCE, 4 VM_AS_CONFED_SET), count (1..255) and
 *            count 4-byte ASNs in network order, as in an AS4 UPDATE.
 */
#ifndef BIRCH_VM_SET_INT_H
#define BIRCH_VM_SET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/mem.h"
#include "core/net.h"
#include "vm/vm.h"

/* trie.c: prefix sets */

struct vm_trie_node;
struct vm_trie_node4;

struct vm_trie {
	const struct vm_trie_node *node;	/* IPv6: flattened nodes, node[0] the root */
	const struct vm_trie_node4 *node4;	/* IPv4: the same, narrow */
	unsigned nodes;			/* number of nodes */
	const uint32_t *quick;		/* IPv4: per length 0..32, 256 bits by first octet:
					   may a pattern take such a prefix? (no: no walk) */
	int8_t v4;			/* 1 IPv4, 0 IPv6, -1 empty (matches nothing) */
	bool zero;			/* accepts the zero-length prefix */
};

enum {
	VM_TRIE_EMIXED = -1,		/* vm_trie_build: IPv4 and IPv6 patterns mixed */
	VM_TRIE_ERANGE = -2,		/* vm_trie_build: lo > hi or hi > max length */
};

/* Build from n patterns (net, lo, hi: accept lengths lo..hi that agree with
 * net in their first min(length, net.pxlen) bits, as BIRD defines them;
 * lo may be below net.pxlen). Returns 0 or VM_TRIE_E*; *out lives in p. */
int vm_trie_build(struct pool *p, const struct f_prefix_patt *patt, unsigned n,
    struct vm_trie *out);
bool vm_trie_match(const struct vm_trie *t, const net_addr *n);	/* net ~ set */
/* as `birdc eval` prints the set, "[10.0.0.0/8{1.255.255.255}]";
 * snprintf-like: returns the length it needed */
size_t vm_trie_format(const struct vm_trie *t, char *buf, size_t len);

/* intervals.c: int, pair, quad, ec, lc and ip sets */

enum vm_iset_kind {
	VM_ISET_INT,		/* key: u32 */
	VM_ISET_PAIR,		/* key: u32 asn << 16 | value */
	VM_ISET_QUAD,		/* key: u32 */
	VM_ISET_EC,		/* key: u64 */
	VM_ISET_LC,		/* key: 96 bits asn, ldp1, ldp2 (hi = asn) */
	VM_ISET_IP,		/* key: 128-bit ip_addr (IPv4 mapped) */
};

struct vm_iset_key {
	uint64_t hi, lo;	/* 128-bit key; 32/64-bit kinds use lo only */
};

struct vm_iset_range {
	struct vm_iset_key from, to;	/* inclusive; from <= to */
};

struct vm_iset {
	enum vm_iset_kind kind;		/* which keys and which printer */
	unsigned n;			/* merged, disjoint intervals */
	const void *lo, *hi;		/* n bounds: u32, u64 or struct vm_iset_key */
	unsigned nr;			/* ranges as written */
	const struct vm_iset_range *r;	/* stable-sorted by from, for printing */
};

/* keys from values */
static inline struct vm_iset_key vm_iset_k32(uint32_t v) { return (struct vm_iset_key){ 0, v }; }
static inline struct vm_iset_key vm_iset_k64(uint64_t v) { return (struct vm_iset_key){ 0, v }; }
struct vm_iset_key vm_iset_klc(uint32_t asn, uint32_t ldp1, uint32_t ldp2);
struct vm_iset_key vm_iset_kip(ip_addr a);

/* Build from n ranges as written (from > to is refused with -1). Returns
 * 0; *out lives in p. */
int vm_iset_build(struct pool *p, enum vm_iset_kind kind, const struct vm_iset_range *r,
    unsigned n, struct vm_iset *out);
bool vm_iset_has32(const struct vm_iset *s, uint32_t k);	/* INT, PAIR, QUAD */
bool vm_iset_has64(const struct vm_iset *s, uint64_t k);	/* EC */
bool vm_iset_has128(const struct vm_iset *s, struct vm_iset_key k);	/* LC, IP */
bool vm_iset_has_ip(const struct vm_iset *s, ip_addr a);		/* IP */
/* as `birdc eval` prints it: "[1, 5..7]", "[(64500,0)..(64500,65535)]";
 * snprintf-like */
size_t vm_iset_format(const struct vm_iset *s, char *buf, size_t len);
/* one element as BIRD prints an ec: "(rt, 64500, 3)"; snprintf-like */
size_t vm_ec_format(uint64_t ec, char *buf, size_t len);

/* Ranges for pair patterns `(a1..a2, b1..b2)` (`*` is 0..65535): BIRD
 * makes one range when b is the full 0..65535 or a1 == a2, else one range
 * per asn. Writes up to cap ranges, returns how many it needed. */
unsigned vm_iset_pair_ranges(uint32_t a1, uint32_t a2, uint32_t b1, uint32_t b2,
    struct vm_iset_range *out, unsigned cap);

/* intervals.c: community lists against a set. delete keeps elements not in
 * s, filter keeps those in s; order and duplicates are kept. out may be in
 * (in place) and needs room for n elements; returns elements written. */
bool vm_iset_clist_any(const struct vm_iset *s, const uint32_t *c, size_t n);	/* c ~ s */
size_t vm_iset_clist_filter(const struct vm_iset *s, const uint32_t *in, size_t n,
    uint32_t *out, bool keep);
bool vm_iset_eclist_any(const struct vm_iset *s, const uint32_t *c, size_t n);	/* n ECs */
size_t vm_iset_eclist_filter(const struct vm_iset *s, const uint32_t *in, size_t n,
    uint32_t *out, bool keep);			/* n ECs: 2n words */
bool vm_iset_lclist_any(const struct vm_iset *s, const uint32_t *c, size_t n);	/* n LCs */
size_t vm_iset_lclist_filter(const struct vm_iset *s, const uint32_t *in, size_t n,
    uint32_t *out, bool keep);			/* n LCs: 3n words */

/* pathmask.c: AS paths (wire segments, 4-byte ASNs) */

enum {
	VM_AS_SET = 1,			/* unordered set: one position, one length */
	VM_AS_SEQUENCE = 2,		/* ordered ASNs */
	VM_AS_CONFED_SEQUENCE = 3,		/* length 0 in .len */
	VM_AS_CONFED_SET = 4,		/* length 0 in .len */
	VM_AS_SEG_MAX = 255,		/* ASNs in one segment */
};

bool vm_path_valid(const uint8_t *p, size_t len);	/* segments well formed */
unsigned vm_path_len(const uint8_t *p, size_t len);	/* .len: a set counts 1 */
bool vm_path_first(const uint8_t *p, size_t len, uint32_t *asn);	/* .first */
bool vm_path_last(const uint8_t *p, size_t len, uint32_t *asn);	/* .last */
uint32_t vm_path_last_nonaggregated(const uint8_t *p, size_t len);
bool vm_path_contains(const uint8_t *p, size_t len, uint32_t asn);	/* asn ~ path */
bool vm_path_any_in(const uint8_t *p, size_t len, const struct vm_iset *s);	/* path ~ set */
/* prepend asn: writes the new path (at most len + 6 bytes) to out (not
 * overlapping p) and returns its length */
size_t vm_path_prepend(const uint8_t *p, size_t len, uint32_t asn, uint8_t *out);
/* delete (keep = false) or filter (keep = true) ASNs by a set, or by one
 * asn when s is NULL; empty segments vanish. out has room for len bytes. */
size_t vm_path_filter(const uint8_t *p, size_t len, const struct vm_iset *s,
    uint32_t asn, bool keep, uint8_t *out);
/* "64500 {1 2} (3)" as BIRD prints a path's segments (eval wraps it in
 * "(path ...)"); snprintf-like */
size_t vm_path_format(const uint8_t *p, size_t len, char *buf, size_t bl);

/* pathmask.c: path masks */

enum vm_pm_kind {
	VM_PM_ASN,			/* from..to (one ASN: from == to) */
	VM_PM_SET,			/* an ASN in set */
	VM_PM_QUESTION,		/* `?`: any one position */
	VM_PM_ASTERISK,		/* `*`: any sequence, even empty */
};

struct vm_pm_item {
	uint8_t kind;			/* enum vm_pm_kind */
	bool loop;			/* followed by `+`: one or more times */
	bool range;			/* VM_PM_ASN written as a..b (for printing) */
	uint32_t from, to;		/* VM_PM_ASN */
	const struct vm_iset *set;		/* VM_PM_SET, an VM_ISET_INT set */
};

struct vm_path_mask {
	unsigned n;			/* items */
	const struct vm_pm_item *item;	/* in pool memory */
};

/* copy items into p (sets are referenced, not copied); returns 0. A `+`
 * with no item before it is the parser's error: BIRD says "Path mask
 * iterator '+' cannot be first" */
int vm_pm_build(struct pool *p, const struct vm_pm_item *items, unsigned n,
    struct vm_path_mask *out);
/* path ~ mask, anchored at both ends as in BIRD 2 */
bool vm_pm_match(const struct vm_path_mask *m, const uint8_t *path, size_t len);
/* "[= * 64512 ? 1..3 [1, 2] 5 + =]"; snprintf-like */
size_t vm_pm_format(const struct vm_path_mask *m, char *buf, size_t len);

#endif
