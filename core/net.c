/*
 * Addresses and prefixes: parse, print, compare, hash, mask.
 *
 * Text comes in through the strict parsers (config, CLI, tests) and goes
 * out through the formatters, which print exactly what BIRD 2 prints; in
 * between everything is arithmetic on four host-order words. An IPv4
 * address lives in the low word of ::ffff:0:0/96, so a NET_IP4 prefix of
 * length L covers the top 96 + L bits of its ip.
 *
 * Behaviour checked against BIRD 2.0.12 (`birdc eval`, `bird -p`):
 *  - a prefix with host bits set is an error, not silently masked:
 *    "Invalid IPv4 prefix 10.0.0.1/8, maybe you wanted 10.0.0.0/8";
 *    net_parse returns NET_EHOSTBITS and leaves the text's net in *out so
 *    the caller can offer the normalized one;
 *  - IPv6 prints in lowercase with the longest run (first one on a tie) of
 *    two or more zero groups as "::" (RFC 5952); a single zero group stays;
 *    ::ffff:a.b.c.d and ::a.b.c.d (when the 7th group is nonzero) print
 *    with a dotted tail; an IPv4 ip prints as a dotted quad, but a NET_IP6
 *    prefix always prints as IPv6 ("::ffff:1.2.3.4/128");
 *  - IPv4 octets accept leading zeros, read as decimal ("01.2.3.04");
 *    IPv6 groups take at most four hex digits ("00001::" is refused);
 *  - `router id` takes a dotted quad or a number up to 2^32-1 (also 0x..).
 * Stricter than BIRD on purpose: "1:2:3:4:5:6:7:8::" (a "::" standing for
 * no group at all) is refused; BIRD reads it as 1:2:3:4:5:6:7:8.
 */
#include "core/net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bits of the 128 that come before a prefix of this family */
static unsigned
net_off(const net_addr *n)
{
	return n->type == NET_IP4 ? 96 : 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read a dotted quad at *sp, leave *sp after it. Each octet is one or more
 * decimal digits of value 0..255; nothing else (no sign, no space).
 */
static int
scan4(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int digits = 0;

		if (i > 0 && *s++ != '.')
			return -1;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (v > 255)
				return -1;
			digits++;
		}
		if (!digits)
			return -1;
		a = a << 8 | v;
	}
	*sp = s;
	*out = a;
	return 0;
}

int
ip4_parse(const char *s, ip_addr *out)
{
	uint32_t a;

	if (scan4(&s, &a) < 0 || *s)
		return -1;
	*out = ip4_from_u32(a);
	return 0;
}

/*
 * Groups are read left to right; `gap` remembers where "::" stood and the
 * groups after it slide to the end. A dotted tail counts as two groups and
 * must end the text.
 */
int
ip6_parse(const char *s, ip_addr *out)
{
	uint16_t g[8];
	int n = 0, gap = -1;

	if (s[0] == ':') {
		if (s[1] != ':')
			return -1;
		gap = 0;
		s += 2;
		if (!*s)
			goto done;
	}
	for (;;) {
		const char *t = s;
		unsigned v = 0;
		int digits = 0;

		while (hexval(*t) >= 0)
			t++, digits++;
		if (*t == '.') {	/* IPv4 tail: a.b.c.d */
			uint32_t a;
			if (n > 6 || scan4(&s, &a) < 0 || *s)
				return -1;
			g[n++] = (uint16_t)(a >> 16);
			g[n++] = (uint16_t)a;
			break;
		}
		if (digits < 1 || digits > 4 || n == 8)
			return -1;
		while (s < t)
			v = v << 4 | (unsigned)hexval(*s++);
		g[n++] = (uint16_t)v;
		if (!*s)
			break;
		if (*s++ != ':')
			return -1;
		if (*s == ':') {
			if (gap >= 0)
				return -1;
			gap = n;
			if (!*++s)
				break;
		}
	}
done:
	if (gap < 0 ? n != 8 : n > 7)
		return -1;
	if (gap >= 0) {
		int tail = n - gap;
		memmove(g + 8 - tail, g + gap, (size_t)tail * sizeof(g[0]));
		memset(g + gap, 0, (size_t)(8 - n) * sizeof(g[0]));
	}
	for (int i = 0; i < 4; i++)
		out->w[i] = (uint32_t)g[2 * i] << 16 | g[2 * i + 1];
	return 0;
}

int
ip_parse(const char *s, ip_addr *out)
{
	return strchr(s, ':') ? ip6_parse(s, out) : ip4_parse(s, out);
}

static char *
format4(uint32_t a, char *buf)
{
	snprintf(buf, RID_STR_MAX, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* BIRD's ip6_ntop, rewritten: compress the first longest zero run (>= 2) */
char *
ip6_format(ip_addr a, char *buf)
{
	unsigned g[8];
	int best = -1, bestlen = 0, cur = 0, curlen = 0;
	char *b = buf;

	for (int i = 0; i < 8; i++) {
		g[i] = (a.w[i / 2] >> (i % 2 ? 0 : 16)) & 0xffff;
		if (g[i]) {
			curlen = 0;
			continue;
		}
		if (!curlen++)
			cur = i;
		if (curlen > bestlen)
			best = cur, bestlen = curlen;
	}
	if (bestlen < 2)
		best = -1;

	/* ::ffff:a.b.c.d and ::a.b.c.d (not ::1 or ::) keep a dotted tail */
	if (best == 0 && ((bestlen == 5 && g[5] == 0xffff) || bestlen == 6)) {
		b += sprintf(b, "::%s", g[5] ? "ffff:" : "");
		format4(a.w[3], b);
		return buf;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*b++ = ':';
			i += bestlen - 1;
			if (i == 7)
				*b++ = ':';
			continue;
		}
		if (i)
			*b++ = ':';
		b += sprintf(b, "%x", g[i]);
	}
	*b = 0;
	return buf;
}

char *
ip_format(ip_addr a, char *buf)
{
	return ip_is4(a) ? format4(ip4_to_u32(a), buf) : ip6_format(a, buf);
}

int
ip_cmp(ip_addr a, ip_addr b)
{
	for (int i = 0; i < 4; i++)
		if (a.w[i] != b.w[i])
			return a.w[i] < b.w[i] ? -1 : 1;
	return 0;
}

/* two 64-bit halves folded with a multiply, then murmur3's finalizer */
static uint32_t
mix(uint64_t hi, uint64_t lo)
{
	uint64_t h = hi * 0x9e3779b97f4a7c15ULL ^ lo;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

uint32_t
ip_hash(ip_addr a)
{
	return mix((uint64_t)a.w[0] << 32 | a.w[1], (uint64_t)a.w[2] << 32 | a.w[3]);
}

ip_addr
ip6_mask(ip_addr a, unsigned pxlen)
{
	for (unsigned i = 0; i < 4; i++) {
		unsigned bits = pxlen > 32 * i ? pxlen - 32 * i : 0;
		if (bits < 32)
			a.w[i] &= bits ? ~0u << (32 - bits) : 0;
	}
	return a;
}

bool
ip6_bit(ip_addr a, unsigned n)
{
	return n < 128 && (a.w[n / 32] >> (31 - n % 32) & 1);
}

ip_addr
ip_mask(ip_addr a, unsigned pxlen)
{
	return ip6_mask(a, ip_is4(a) ? 96 + (pxlen < 32 ? pxlen : 32) : pxlen);
}

bool
ip_bit(ip_addr a, unsigned n)
{
	if (ip_is4(a))
		return n < 32 && ip6_bit(a, 96 + n);
	return ip6_bit(a, n);
}

/* a broken invariant in a caller: never continue with it */
static void
bad_pxlen(unsigned pxlen, unsigned max)
{
	fprintf(stderr, "birch: prefix length %u > %u\n", pxlen, max);
	abort();
}

net_addr
net_ip4(uint32_t a, unsigned pxlen)
{
	net_addr n = { .ip = ip4_from_u32(a), .pxlen = (uint8_t)pxlen, .type = NET_IP4 };

	if (pxlen > 32)
		bad_pxlen(pxlen, 32);
	net_normalize(&n);
	return n;
}

net_addr
net_ip6(ip_addr a, unsigned pxlen)
{
	net_addr n = { .ip = a, .pxlen = (uint8_t)pxlen, .type = NET_IP6 };

	if (pxlen > 128)
		bad_pxlen(pxlen, 128);
	net_normalize(&n);
	return n;
}

unsigned
net_max_pxlen(const net_addr *n)
{
	return n->type == NET_IP4 ? 32 : 128;
}

/*
 * "ADDR/LEN": the family comes from the text (a ':' means IPv6, so
 * "::ffff:1.2.3.4/128" is a NET_IP6). LEN is one to three decimal digits.
 */
int
net_parse(const char *s, net_addr *out)
{
	const char *slash = strchr(s, '/');
	char addr[IP_STR_MAX + 8];
	size_t alen;
	unsigned len = 0;
	int digits = 0;
	net_addr n;

	if (!slash || (alen = (size_t)(slash - s)) >= sizeof(addr))
		return NET_EBAD;
	memcpy(addr, s, alen);
	addr[alen] = 0;
	n.type = memchr(s, ':', alen) ? NET_IP6 : NET_IP4;
	if ((n.type == NET_IP6 ? ip6_parse : ip4_parse)(addr, &n.ip) < 0)
		return NET_EBAD;
	for (s = slash + 1; *s >= '0' && *s <= '9' && digits < 3; s++, digits++)
		len = len * 10 + (unsigned)(*s - '0');
	if (!digits || *s || len > (n.type == NET_IP4 ? 32u : 128u))
		return NET_EBAD;
	n.pxlen = (uint8_t)len;
	*out = n;
	net_normalize(&n);
	return ip_eq(n.ip, out->ip) ? 0 : NET_EHOSTBITS;
}

char *
net_format(const net_addr *n, char *buf)
{
	if (n->type == NET_IP4)
		format4(ip4_to_u32(n->ip), buf);
	else
		ip6_format(n->ip, buf);
	sprintf(buf + strlen(buf), "/%u", n->pxlen);
	return buf;
}

/* BIRD's net_compare: IPv4 before IPv6, then address, then length */
int
net_cmp(const net_addr *a, const net_addr *b)
{
	int c;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = ip_cmp(a->ip, b->ip)))
		return c;
	return (a->pxlen > b->pxlen) - (a->pxlen < b->pxlen);
}

bool
net_eq(const net_addr *a, const net_addr *b)
{
	return a->type == b->type && a->pxlen == b->pxlen && ip_eq(a->ip, b->ip);
}

uint32_t
net_hash(const net_addr *n)
{
	uint64_t tag = (uint64_t)(n->pxlen | n->type << 8) << 48;

	return mix((uint64_t)n->ip.w[0] << 32 | n->ip.w[1],
	    ((uint64_t)n->ip.w[2] << 32 | n->ip.w[3]) ^ tag);
}

bool
net_contains(const net_addr *outer, const net_addr *inner)
{
	unsigned bits = net_off(outer) + outer->pxlen;

	return outer->type == inner->type && outer->pxlen <= inner->pxlen &&
	    ip_eq(ip6_mask(inner->ip, bits), ip6_mask(outer->ip, bits));
}

/* as BIRD: an IPv4 ip is in no NET_IP6 prefix, not even ::ffff:0:0/96 */
bool
net_contains_ip(const net_addr *n, ip_addr a)
{
	unsigned bits = net_off(n) + n->pxlen;

	return (n->type == NET_IP4) == ip_is4(a) &&
	    ip_eq(ip6_mask(a, bits), ip6_mask(n->ip, bits));
}

bool
net_bit(const net_addr *n, unsigned i)
{
	return ip6_bit(n->ip, net_off(n) + i);
}

void
net_normalize(net_addr *n)
{
	n->ip = ip6_mask(n->ip, net_off(n) + n->pxlen);
}

/* number of at most max: decimal, or hex after 0x; leading zeros allowed */
static int
scan_u32(const char *s, uint32_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d = hexval(*s);
		if (d < 0 || (unsigned)d >= base)
			return -1;
		v = v * base + (unsigned)d;
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int
rid_parse(const char *s, uint32_t *out)
{
	if (strchr(s, '.')) {
		ip_addr a;
		if (ip4_parse(s, &a) < 0)
			return -1;
		*out = ip4_to_u32(a);
		return 0;
	}
	return scan_u32(s, out);
}

char *
rid_format(uint32_t id, char *buf)
{
	return format4(id, buf);
}
