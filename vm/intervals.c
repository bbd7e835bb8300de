/*
 * Interval sets: int, pair, quad, ec, lc and ip sets, and the community
 * list matchers built on them.
 *
 * A set literal is a list of ranges a..b (a single value is a..a; pair and
 * lc wildcards arrive already as ranges, see vm_iset_pair_ranges). The build
 * keeps the ranges as written, stable-sorted by their lower bound, because
 * BIRD prints them that way (unmerged: `[1..3, 2..5]` prints as written),
 * and separately merges them into disjoint, non-adjacent intervals stored
 * as two parallel arrays of bounds in the key's natural width (u32 for
 * int/pair/quad, u64 for ec, 128 bits for lc and ip). A lookup is one
 * branch-free bisection over the lower bounds and one compare with the
 * upper bound; it reads only those two arrays.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tbuf.h"
#include "vm/set_int.h"

static inline int
kcmp(struct vm_iset_key a, struct vm_iset_key b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* b == a + 1 (so that [x..a] and [b..y] join) */
static inline bool
knext(struct vm_iset_key a, struct vm_iset_key b)
{
	if (a.lo == UINT64_MAX)
		return a.hi != UINT64_MAX && b.hi == a.hi + 1 && b.lo == 0;
	return b.hi == a.hi && b.lo == a.lo + 1;
}

struct vm_iset_key
vm_iset_klc(uint32_t asn, uint32_t ldp1, uint32_t ldp2)
{
	return (struct vm_iset_key){ asn, (uint64_t)ldp1 << 32 | ldp2 };
}

struct vm_iset_key
vm_iset_kip(ip_addr a)
{
	return (struct vm_iset_key){ (uint64_t)a.w[0] << 32 | a.w[1], (uint64_t)a.w[2] << 32 | a.w[3] };
}

static unsigned
width(enum vm_iset_kind k)		/* bytes of one bound in the lookup arrays */
{
	switch (k) {
	case VM_ISET_EC:
		return 8;
	case VM_ISET_LC:
	case VM_ISET_IP:
		return 16;
	default:
		return 4;
	}
}

/* a range with its input position, so that the sort is stable */
struct ranked {
	struct vm_iset_range r;
	unsigned i;
};

static int
by_from(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = kcmp(x->r.from, y->r.from);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

int
vm_iset_build(struct pool *p, enum vm_iset_kind kind, const struct vm_iset_range *r, unsigned n,
    struct vm_iset *out)
{
	for (unsigned i = 0; i < n; i++)
		if (kcmp(r[i].from, r[i].to) > 0)
			return -1;

	struct ranked *s = xmalloc((n ? n : 1) * sizeof *s);
	for (unsigned i = 0; i < n; i++)
		s[i] = (struct ranked){ r[i], i };
	qsort(s, n, sizeof *s, by_from);

	struct vm_iset_range *written = pool_alloc(p, (n ? n : 1) * sizeof *written);
	for (unsigned i = 0; i < n; i++)
		written[i] = s[i].r;

	/* merge in place over s: overlapping or adjacent ranges join */
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		if (m && (kcmp(s[i].r.from, s[m - 1].r.to) <= 0 ||
		    knext(s[m - 1].r.to, s[i].r.from))) {
			if (kcmp(s[i].r.to, s[m - 1].r.to) > 0)
				s[m - 1].r.to = s[i].r.to;
		} else
			s[m++] = s[i];
	}

	unsigned w = width(kind);
	uint8_t *lo = pool_alloc(p, (m ? m : 1) * w), *hi = pool_alloc(p, (m ? m : 1) * w);
	for (unsigned i = 0; i < m; i++) {
		struct vm_iset_key a = s[i].r.from, b = s[i].r.to;
		if (w == 4) {
			((uint32_t *)lo)[i] = (uint32_t)a.lo;
			((uint32_t *)hi)[i] = (uint32_t)b.lo;
		} else if (w == 8) {
			((uint64_t *)lo)[i] = a.lo;
			((uint64_t *)hi)[i] = b.lo;
		} else {
			((struct vm_iset_key *)lo)[i] = a;
			((struct vm_iset_key *)hi)[i] = b;
		}
	}
	free(s);
	*out = (struct vm_iset){ .kind = kind, .n = m, .lo = lo, .hi = hi, .nr = n, .r = written };
	return 0;
}

bool
vm_iset_has32(const struct vm_iset *s, uint32_t k)
{
	const uint32_t *lo = s->lo, *b = lo;
	unsigned n = s->n;

	if (!n || k < lo[0])
		return false;
	while (n > 1) {		/* b[0] <= k holds throughout */
		unsigned half = n / 2;
		b = b[half] <= k ? b + half : b;
		n -= half;
	}
	return k <= ((const uint32_t *)s->hi)[b - lo];
}

bool
vm_iset_has64(const struct vm_iset *s, uint64_t k)
{
	const uint64_t *lo = s->lo, *b = lo;
	unsigned n = s->n;

	if (!n || k < lo[0])
		return false;
	while (n > 1) {
		unsigned half = n / 2;
		b = b[half] <= k ? b + half : b;
		n -= half;
	}
	return k <= ((const uint64_t *)s->hi)[b - lo];
}

bool
vm_iset_has128(const struct vm_iset *s, struct vm_iset_key k)
{
	const struct vm_iset_key *lo = s->lo, *b = lo;
	unsigned n = s->n;

	if (!n || kcmp(k, lo[0]) < 0)
		return false;
	while (n > 1) {
		unsigned half = n / 2;
		b = kcmp(b[half], k) <= 0 ? b + half : b;
		n -= half;
	}
	return kcmp(k, ((const struct vm_iset_key *)s->hi)[b - lo]) <= 0;
}

bool
vm_iset_has_ip(const struct vm_iset *s, ip_addr a)
{
	return vm_iset_has128(s, vm_iset_kip(a));
}

unsigned
vm_iset_pair_ranges(uint32_t a1, uint32_t a2, uint32_t b1, uint32_t b2,
    struct vm_iset_range *out, unsigned cap)
{
	if ((b1 == 0 && b2 == 0xffff) || a1 == a2) {
		if (cap)
			out[0] = (struct vm_iset_range){ vm_iset_k32(a1 << 16 | b1), vm_iset_k32(a2 << 16 | b2) };
		return 1;
	}
	unsigned k = 0;
	for (uint32_t a = a1; a <= a2; a++, k++)
		if (k < cap)
			out[k] = (struct vm_iset_range){ vm_iset_k32(a << 16 | b1), vm_iset_k32(a << 16 | b2) };
	return k;
}

/* ---- printing ---- */


/* BIRD's names for the EC subtypes it knows (type & 0xf0ff) */
static const char *
ec_kind(unsigned type)
{
	switch (type & 0xf0ff) {
	case 0x0002:
		return "rt";
	case 0x0003:
		return "ro";
	default:
		return NULL;
	}
}

size_t
vm_ec_format(uint64_t ec, char *buf, size_t len)
{
	unsigned type = (unsigned)(ec >> 48);
	const char *kind = ec_kind(type);
	char tb[24], ipb[IP_STR_MAX];

	if (!kind) {
		snprintf(tb, sizeof tb, "unknown 0x%x", type);
		kind = tb;
	}
	switch (ec >> 56) {
	case 0x00:	/* two-octet AS specific (RFC 4360 3.1) */
	case 0x40:
		return (size_t)snprintf(buf, len, "(%s, %u, %u)", kind,
		    (unsigned)(ec >> 32) & 0xffff, (unsigned)ec);
	case 0x01:	/* IPv4 address specific (RFC 4360 3.2) */
	case 0x41:
		return (size_t)snprintf(buf, len, "(%s, %s, %u)", kind,
		    ip_format(ip4_from_u32((uint32_t)(ec >> 16)), ipb), (unsigned)ec & 0xffff);
	case 0x02:	/* four-octet AS specific (RFC 5668) */
	case 0x42:
		return (size_t)snprintf(buf, len, "(%s, %u, %u)", kind,
		    (unsigned)(ec >> 16), (unsigned)ec & 0xffff);
	default:
		return (size_t)snprintf(buf, len, "(generic, 0x%x, 0x%x)",
		    (unsigned)(ec >> 32), (unsigned)ec);
	}
}

static void
put_key(struct tbuf *o, enum vm_iset_kind kind, struct vm_iset_key k)
{
	uint32_t v = (uint32_t)k.lo;
	char b[64];

	switch (kind) {
	case VM_ISET_INT:
		tbuf_printf(o, "%u", v);
		break;
	case VM_ISET_PAIR:
		tbuf_printf(o, "(%u,%u)", v >> 16, v & 0xffff);
		break;
	case VM_ISET_QUAD:
		tbuf_printf(o, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
		break;
	case VM_ISET_EC:
		vm_ec_format(k.lo, b, sizeof b);
		tbuf_printf(o, "%s", b);
		break;
	case VM_ISET_LC:
		tbuf_printf(o, "(%u, %u, %u)", (uint32_t)k.hi, (uint32_t)(k.lo >> 32), v);
		break;
	case VM_ISET_IP: {
		ip_addr a = { { (uint32_t)(k.hi >> 32), (uint32_t)k.hi, (uint32_t)(k.lo >> 32), v } };
		tbuf_printf(o, "%s", ip_format(a, b));
		break;
	}
	}
}

size_t
vm_iset_format(const struct vm_iset *s, char *buf, size_t len)
{
	struct tbuf o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	tbuf_printf(&o, "[");
	for (unsigned i = 0; i < s->nr; i++) {
		if (i)
			tbuf_printf(&o, ", ");
		put_key(&o, s->kind, s->r[i].from);
		if (kcmp(s->r[i].from, s->r[i].to)) {
			tbuf_printf(&o, "..");
			put_key(&o, s->kind, s->r[i].to);
		}
	}
	tbuf_printf(&o, "]");
	if (len && o.pos >= len)
		buf[len - 1] = 0;
	return o.pos;
}

/* ---- community lists ---- */

bool
vm_iset_clist_any(const struct vm_iset *s, const uint32_t *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vm_iset_has32(s, c[i]))
			return true;
	return false;
}

size_t
vm_iset_clist_filter(const struct vm_iset *s, const uint32_t *in, size_t n, uint32_t *out,
    bool keep)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (vm_iset_has32(s, in[i]) == keep)
			out[k++] = in[i];
	return k;
}

static inline uint64_t
ec_at(const uint32_t *c, size_t i)
{
	return (uint64_t)c[2 * i] << 32 | c[2 * i + 1];
}

bool
vm_iset_eclist_any(const struct vm_iset *s, const uint32_t *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vm_iset_has64(s, ec_at(c, i)))
			return true;
	return false;
}

size_t
vm_iset_eclist_filter(const struct vm_iset *s, const uint32_t *in, size_t n, uint32_t *out,
    bool keep)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (vm_iset_has64(s, ec_at(in, i)) == keep) {
			uint32_t h = in[2 * i], l = in[2 * i + 1];	/* in may be out */
			out[2 * k] = h;
			out[2 * k + 1] = l;
			k++;
		}
	return k;
}

static inline struct vm_iset_key
lc_at(const uint32_t *c, size_t i)
{
	return vm_iset_klc(c[3 * i], c[3 * i + 1], c[3 * i + 2]);
}

bool
vm_iset_lclist_any(const struct vm_iset *s, const uint32_t *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vm_iset_has128(s, lc_at(c, i)))
			return true;
	return false;
}

size_t
vm_iset_lclist_filter(const struct vm_iset *s, const uint32_t *in, size_t n, uint32_t *out,
    bool keep)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (vm_iset_has128(s, lc_at(in, i)) == keep) {
			uint32_t a = in[3 * i], b = in[3 * i + 1], c = in[3 * i + 2];
			out[3 * k] = a;
			out[3 * k + 1] = b;
			out[3 * k + 2] = c;
			k++;
		}
	return k;
}
