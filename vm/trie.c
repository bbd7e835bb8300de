/*
 * Prefix sets: BIRD's prefix-set trie, built once and flattened.
 *
 * A pattern P/len{lo,hi} accepts a prefix N/l when lo <= l <= hi and N and
 * P agree in their first min(l, len) bits. The set is the trie BIRD 2
 * builds (its printed form depends on the trie's shape, so the shape is
 * BIRD's): nodes sit at lengths that are multiples of 4, each branching 16
 * ways on the next 4 bits, with single-child chains compressed away. A
 * node keeps two masks:
 *  - accept: bit l-1 (from the top of an address-wide word) set means
 *    every prefix of length l that is a subprefix or a superprefix of the
 *    node's prefix is accepted. Bits for lengths up to the node's own are
 *    propagated up from descendants, so a short prefix is decided at the
 *    node where its walk ends, without visiting the subtree;
 *  - local: the 15 prefixes inside the node's 4-bit stride (its own
 *    prefix at bit 1, then /+1 at 2..3, /+2 at 4..7, /+3 at 8..15), for
 *    patterns whose length is not a multiple of 4.
 * A pattern whose (length capped at hi) is unaligned becomes a primary node
 * at the rounded-down length (its local bits) and secondary nodes at the
 * rounded-up length for the longer accepted lengths.
 *
 * Build: pointer nodes with 128-bit left-aligned addresses (IPv4 in the
 * top 32 bits) in a scratch pool; then the nodes are copied breadth first
 * into one array in the caller's pool (20-byte nodes for IPv4, 48 for
 * IPv6), a node's children contiguous and found through a 16-bit child
 * map and a popcount. Queries read that array only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tbuf.h"
#include "vm/set_int.h"

typedef struct {
	uint64_t h, l;		/* bits 0..63 from the top, then 64..127 */
} u128;

struct vm_trie_node {		/* IPv6 */
	u128 addr;		/* the node's prefix, left-aligned, host bits clear */
	u128 accept;		/* accepted lengths: bit l-1 from the top */
	uint32_t base;		/* index of the first child */
	uint16_t local;		/* prefixes inside the stride, bits 1..15 */
	uint16_t cmap;		/* which of the 16 children exist */
	uint8_t plen;		/* a multiple of 4 */
};

struct vm_trie_node4 {		/* IPv4: the same in 32-bit words, 20 bytes */
	uint32_t addr;		/* as above */
	uint32_t accept;
	uint32_t base;
	uint16_t local;
	uint16_t cmap;
	uint8_t plen;
};

struct bnode {
	u128 addr, mask, accept;	/* as in vm_trie_node; mask is plen top bits */
	uint16_t local;
	uint8_t plen;
	struct bnode *c[16];		/* children by the 4 bits after plen */
};

struct builder {
	struct pool *scratch;	/* bnodes, freed after flattening */
	struct bnode root;	/* plen 0 */
	unsigned nodes;		/* bnodes in the trie, root included */
	bool zero;		/* a pattern accepts length 0 */
};

/* 128-bit helpers; bit i counts from the top, as prefix bits do */

static u128
mk(unsigned n)			/* the top n bits set */
{
	if (n == 0)
		return (u128){ 0, 0 };
	if (n <= 64)
		return (u128){ ~0ull << (64 - n), 0 };
	return (u128){ ~0ull, n >= 128 ? ~0ull : ~0ull << (128 - n) };
}

static inline u128 and(u128 a, u128 b) { return (u128){ a.h & b.h, a.l & b.l }; }
static inline u128 or(u128 a, u128 b) { return (u128){ a.h | b.h, a.l | b.l }; }
static inline u128 xor(u128 a, u128 b) { return (u128){ a.h ^ b.h, a.l ^ b.l }; }
static inline bool eq(u128 a, u128 b) { return a.h == b.h && a.l == b.l; }
static inline bool zero(u128 a) { return !a.h && !a.l; }

static inline unsigned
getbit(u128 a, unsigned i)
{
	if (i < 64)
		return (unsigned)(a.h >> (63 - i)) & 1;
	return i < 128 ? (unsigned)(a.l >> (127 - i)) & 1 : 0;
}

/* n (<= 4) bits starting at bit pos; bits past 127 read as 0 */
static inline unsigned
getbits(u128 a, unsigned pos, unsigned n)
{
	unsigned end = pos + n;	/* the bits are [pos, end) */
	uint64_t v;

	if (!n || pos >= 128)
		return 0;
	if (end <= 64)
		v = a.h >> (64 - end);
	else if (pos >= 64)
		v = end <= 128 ? a.l >> (128 - end) : a.l << (end - 128);
	else
		v = a.h << (end - 64) | a.l >> (128 - end);
	return (unsigned)v & ((1u << n) - 1);
}

/* a with the bits of v or-ed in so that v's lowest bit lands on bit pos */
static u128
setbits(u128 a, unsigned pos, unsigned v)
{
	for (unsigned i = 0; v; i++, v >>= 1) {
		if (!(v & 1) || i > pos)
			continue;
		unsigned b = pos - i;
		if (b < 64)
			a.h |= 1ull << (63 - b);
		else
			a.l |= 1ull << (127 - b);
	}
	return a;
}

/* length of the common leading part of a and b */
static unsigned
common(u128 a, u128 b)
{
	u128 x = xor(a, b);

	if (x.h)
		return (unsigned)__builtin_clzll(x.h);
	if (x.l)
		return 64 + (unsigned)__builtin_clzll(x.l);
	return 128;
}

static inline bool
prefix_eq(u128 a, u128 b, unsigned n)
{
	return zero(and(xor(a, b), mk(n)));
}

static u128
from_net(const net_addr *n)
{
	const uint32_t *w = n->ip.w;

	if (n->type == NET_IP4)
		return (u128){ (uint64_t)w[3] << 32, 0 };
	return (u128){ (uint64_t)w[0] << 32 | w[1], (uint64_t)w[2] << 32 | w[3] };
}

/* the local bit of prefix px/plen in a node of length nlen (nlen <= plen < nlen + 4) */
static inline unsigned
local_bit(u128 px, unsigned plen, unsigned nlen)
{
	unsigned step = plen - nlen;

	return 1u << ((1u << step) + getbits(px, nlen, step));
}

/* the local bits (for a node of length nlen) of the prefixes of px whose
 * lengths amask accepts, within the node's stride */
static unsigned
amask_local(u128 px, u128 amask, unsigned nlen)
{
	unsigned local = 0;

	for (unsigned l = nlen ? nlen : 1; l < nlen + 4; l++)
		if (getbit(amask, l - 1))
			local |= local_bit(px, l, nlen);
	return local;
}

/* all positions at depth `level` below position pos (a level of the
 * stride's little binary tree: level 2 under position 3 is 0xf000) */
static inline unsigned
level_mask(unsigned pos, unsigned level)
{
	return ((1u << (1u << level)) - 1) << (pos << level);
}

static struct bnode *
bnew(struct builder *b, unsigned plen, unsigned local, u128 addr, u128 mask, u128 accept)
{
	struct bnode *n = pool_zalloc(b->scratch, sizeof *n);

	n->plen = (uint8_t)plen;
	n->local = (uint16_t)local;
	n->addr = addr;
	n->mask = mask;
	n->accept = accept;
	b->nodes++;
	return n;
}

static void
attach(struct bnode *parent, struct bnode *child)
{
	parent->c[getbits(child->addr, parent->plen, 4)] = child;
}

/* Add an aligned node px/plen accepting lengths l..h (and the local bits
 * given), keeping every ancestor's propagated masks up to date. */
static void
add_node(struct builder *b, unsigned plen, u128 px, unsigned local, unsigned l, unsigned h)
{
	unsigned l1 = l ? l - 1 : 0;
	u128 amask = l1 < h ? xor(mk(l1), mk(h)) : (u128){ 0, 0 };
	u128 pmask = mk(plen);
	u128 paddr = and(px, pmask);
	struct bnode *o = NULL, *n = &b->root;

	for (unsigned i = 0; i < 4; i++)
		if (l <= plen + i && plen + i <= h)
			local |= level_mask(1, i);

	while (n) {
		u128 cmask = and(n->mask, pmask);

		if (!eq(and(paddr, cmask), and(n->addr, cmask))) {
			/* off n's path: a branching node above both */
			unsigned blen = common(paddr, n->addr) & ~3u;
			u128 bmask = mk(blen);
			struct bnode *a = bnew(b, plen, local, paddr, pmask, amask);
			struct bnode *br = bnew(b, blen,
			    amask_local(n->addr, n->accept, blen) | amask_local(paddr, amask, blen),
			    and(px, bmask), bmask, and(or(amask, n->accept), bmask));
			attach(o, br);
			attach(br, n);
			attach(br, a);
			return;
		}
		if (plen < n->plen) {
			/* between o and n: inherit n's propagated masks */
			amask = or(amask, and(n->accept, pmask));
			local |= amask_local(n->addr, n->accept, plen);
			struct bnode *a = bnew(b, plen, local, paddr, pmask, amask);
			attach(o, a);
			attach(a, n);
			return;
		}
		if (plen == n->plen) {
			n->accept = or(n->accept, amask);
			n->local |= (uint16_t)local;
			return;
		}
		/* an ancestor: propagate and go deeper */
		n->accept = or(n->accept, and(amask, n->mask));
		n->local |= (uint16_t)amask_local(paddr, amask, n->plen);
		o = n;
		n = n->c[getbits(paddr, n->plen, 4)];
	}
	attach(o, bnew(b, plen, local, paddr, pmask, amask));
}

static void
add_pattern(struct builder *b, const net_addr *net, unsigned l, unsigned h)
{
	u128 px = from_net(net);
	unsigned plen = net->pxlen;

	if (l == 0)
		b->zero = true;
	if (h < plen)
		plen = h;

	unsigned nlen = plen & ~3u;	/* primary node */
	if (plen == nlen) {
		add_node(b, nlen, px, 0, l, h);
		return;
	}

	unsigned slen = nlen + 4;	/* secondary nodes */
	if (l < slen) {
		unsigned local = 0;
		for (unsigned i = 0; i < 4; i++) {
			if (l > nlen + i || nlen + i > h)
				continue;
			unsigned pos = (1u << i) + getbits(px, nlen, i);
			unsigned cnt = nlen + i <= plen ? 1 : 1u << (nlen + i - plen);
			local |= ((1u << cnt) - 1) << pos;
		}
		add_node(b, nlen, px, local, l, nlen);
	}
	if (slen <= h) {
		unsigned l2 = l > slen ? l : slen;
		for (unsigned i = 0; i < 1u << (slen - plen); i++)
			add_node(b, slen, setbits(px, slen - 1, i), 0, l2, h);
	}
}

/* copy the bnodes breadth first, children of a node contiguous; IPv4
 * tries get the narrow node */
static void
flatten(struct builder *b, struct pool *p, struct vm_trie *t, bool v4)
{
	struct bnode **queue = xmalloc(b->nodes * sizeof *queue);
	struct vm_trie_node *out = v4 ? NULL : pool_zalloc(p, b->nodes * sizeof *out);
	struct vm_trie_node4 *out4 = v4 ? pool_zalloc(p, b->nodes * sizeof *out4) : NULL;
	unsigned head = 0, tail = 0;

	queue[tail++] = &b->root;
	while (head < tail) {
		const struct bnode *n = queue[head];
		unsigned cmap = 0, base = tail;

		for (unsigned i = 0; i < 16; i++)
			if (n->c[i]) {
				cmap |= 1u << i;
				queue[tail++] = n->c[i];
			}
		if (v4)
			out4[head] = (struct vm_trie_node4){ (uint32_t)(n->addr.h >> 32),
			    (uint32_t)(n->accept.h >> 32), base, n->local, (uint16_t)cmap, n->plen };
		else
			out[head] = (struct vm_trie_node){ n->addr, n->accept, base, n->local,
			    (uint16_t)cmap, n->plen };
		head++;
	}
	free(queue);
	t->node = out;
	t->node4 = out4;
	t->nodes = b->nodes;
}

/* the IPv4 quick map: bit (len, octet) is set when some pattern may take
 * a prefix of that length whose first octet is that. A pattern P/l{a,b}
 * takes a prefix of length n in a..b whose first min(n, l) bits are P's:
 * the first octets whose first min(n, l, 8) bits are P's */
static const uint32_t *
quick_map(struct pool *p, const struct f_prefix_patt *patt, unsigned n)
{
	uint32_t *q = pool_zalloc(p, 33 * 8 * sizeof *q);

	for (unsigned i = 0; i < n; i++) {
		unsigned top = ip4_to_u32(patt[i].net.ip) >> 24, px = patt[i].net.pxlen;
		for (unsigned len = patt[i].lo; len <= patt[i].hi; len++) {
			unsigned fixed = len < px ? len : px;
			unsigned free_bits = fixed >= 8 ? 0 : 0xffu >> fixed;
			for (unsigned o = top & ~free_bits; o <= (top | free_bits); o++)
				q[len * 8 + o / 32] |= 1u << (o % 32);
		}
	}
	return q;
}

int
vm_trie_build(struct pool *p, const struct f_prefix_patt *patt, unsigned n, struct vm_trie *out)
{
	struct builder b = { .nodes = 1 };
	int v4 = -1;

	for (unsigned i = 0; i < n; i++) {
		int is4 = patt[i].net.type == NET_IP4;
		if (v4 >= 0 && v4 != is4)
			return VM_TRIE_EMIXED;
		v4 = is4;
		if (patt[i].lo > patt[i].hi || patt[i].hi > net_max_pxlen(&patt[i].net))
			return VM_TRIE_ERANGE;
	}

	b.scratch = pool_new(MEM_MISC, "trie build");
	for (unsigned i = 0; i < n; i++)
		add_pattern(&b, &patt[i].net, patt[i].lo, patt[i].hi);
	*out = (struct vm_trie){ .v4 = (int8_t)v4, .zero = b.zero };
	flatten(&b, p, out, v4 == 1);
	if (v4 == 1)
		out->quick = quick_map(p, patt, n);
	pool_free(b.scratch);
	return 0;
}

static bool
match4(const struct vm_trie *t, uint32_t px, unsigned len)
{
	unsigned nlen = len & ~3u, step = len - nlen;
	unsigned lbit = 1u << ((1u << step) + (step ? (px >> (32 - len)) & ((1u << step) - 1) : 0));
	const struct vm_trie_node4 *n = t->node4;

	for (;;) {
		unsigned m = len < n->plen ? len : n->plen;
		if (m && (px ^ n->addr) >> (32 - m))
			return false;	/* off the path */
		if (n->plen == nlen && (n->local & lbit))
			return true;
		if (n->accept >> (32 - len) & 1)
			return true;
		if (nlen <= n->plen)
			return false;	/* the walk ends here */
		unsigned slot = px >> (28 - n->plen) & 15;
		if (!(n->cmap & (1u << slot)))
			return false;
		n = &t->node4[n->base + (unsigned)__builtin_popcount(n->cmap & ((1u << slot) - 1))];
	}
}

bool
vm_trie_match(const struct vm_trie *t, const net_addr *net)
{
	unsigned len = net->pxlen;

	if (t->v4 != (net->type == NET_IP4))
		return false;		/* other family, or the empty set */
	if (len == 0)
		return t->zero;
	if (t->v4) {
		uint32_t a = ip4_to_u32(net->ip);
		if (t->quick && !(t->quick[len * 8 + (a >> 29)] >> (a >> 24 & 31) & 1))
			return false;
		return match4(t, a, len);
	}

	u128 px = from_net(net);
	unsigned nlen = len & ~3u;
	unsigned lbit = local_bit(px, len, nlen);
	const struct vm_trie_node *n = t->node;

	for (;;) {
		if (!prefix_eq(px, n->addr, len < n->plen ? len : n->plen))
			return false;	/* off the path */
		if (n->plen == nlen && (n->local & lbit))
			return true;
		if (getbit(n->accept, len - 1))
			return true;
		if (nlen <= n->plen)
			return false;	/* the walk ends here */
		unsigned slot = getbits(px, n->plen, 4);
		if (!(n->cmap & (1u << slot)))
			return false;
		n = &t->node[n->base + (unsigned)__builtin_popcount(n->cmap & ((1u << slot) - 1))];
	}
}

/* ---- printing, node by node as BIRD prints its trie ---- */


static char *
fmt_bits(u128 a, bool v4, char *b)
{
	if (v4)
		return ip_format(ip4_from_u32((uint32_t)(a.h >> 32)), b);
	ip_addr ip = { { (uint32_t)(a.h >> 32), (uint32_t)a.h, (uint32_t)(a.l >> 32), (uint32_t)a.l } };
	return ip6_format(ip, b);
}

static void
put_entry(struct tbuf *o, u128 addr, unsigned plen, u128 mask, bool v4)
{
	char a[IP_STR_MAX], m[IP_STR_MAX];

	tbuf_printf(o, "%s/%u{%s}, ", fmt_bits(addr, v4, a), plen, fmt_bits(mask, v4, m));
}

/* node i of either width, widened */
static struct vm_trie_node
node_at(const struct vm_trie *t, unsigned i)
{
	if (t->v4 == 1) {
		const struct vm_trie_node4 *n = &t->node4[i];
		return (struct vm_trie_node){ { (uint64_t)n->addr << 32, 0 }, { (uint64_t)n->accept << 32, 0 },
		    n->base, n->local, n->cmap, n->plen };
	}
	return t->node[i];
}

static void
put_node(struct tbuf *o, const struct vm_trie *t, unsigned idx)
{
	static const uint8_t log2[16] = { 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3 };
	const struct vm_trie_node nd = node_at(t, idx), *n = &nd;
	bool v4 = t->v4 == 1;
	unsigned nlen = n->plen, local = n->local;

	if (!zero(n->accept))
		put_entry(o, n->addr, nlen, n->accept, v4);

	/* local prefixes the accept mask already covers are not printed */
	for (unsigned i = nlen ? 0 : 1; i < 4; i++)
		if (getbit(n->accept, nlen + i - 1))
			local &= ~level_mask(1, i);

	/* each remaining position with the full levels below it, as one entry */
	for (unsigned pos = 2; local && pos < 16; pos++) {
		if (!(local & (1u << pos)))
			continue;
		unsigned lvl = log2[pos], plen = nlen + lvl, i;
		for (i = 0; lvl + i < 4; i++) {
			unsigned lm = level_mask(pos, i);
			if ((local & lm) != lm)
				break;
			local &= ~lm;
		}
		put_entry(o, setbits(n->addr, plen - 1, pos & ((1u << lvl) - 1)), plen,
		    setbits((u128){ 0, 0 }, plen + i - 2, (1u << i) - 1), v4);
	}

	for (unsigned i = 0; i < 16; i++)
		if (n->cmap & (1u << i))
			put_node(o, t, n->base + (unsigned)__builtin_popcount(n->cmap & ((1u << i) - 1)));
}

size_t
vm_trie_format(const struct vm_trie *t, char *buf, size_t len)
{
	struct tbuf o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	tbuf_printf(&o, "[");
	if (t->zero)
		tbuf_printf(&o, "%s, ", t->v4 == 1 ? "0.0.0.0/0" : "::/0");
	if (t->v4 >= 0)
		put_node(&o, t, 0);
	if (o.pos > 1)
		o.pos -= 2;	/* the last ", " */
	if (o.pos < o.len)
		o.buf[o.pos] = 0;
	tbuf_printf(&o, "]");
	if (len && o.pos >= len)
		buf[len - 1] = 0;
	return o.pos;
}
