/*
 * Birch addresses and prefixes: IPv4 and IPv6, in BIRD's textual forms.
 *
 * An ip_addr is always 128 bits, four host-order words, most significant
 * first; an IPv4 address is kept in its mapped form ::ffff:a.b.c.d, so one
 * type serves both families and compares, hashes and masks the same way.
 * A net_addr is an address, a prefix length and a family (NET_IP4 counts
 * its length in the 32 IPv4 bits, NET_IP6 in all 128). Parsers are strict
 * and return 0 or a negative error; formatters write into a caller's buffer
 * of the *_STR_MAX size below and return that buffer, text as BIRD prints it.
 */
#ifndef BIRCH_CORE_NET_H
#define BIRCH_CORE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t w[4];		/* host-order words, w[0] most significant */
} ip_addr;

typedef struct {
	ip_addr ip;		/* network address, host bits clear */
	uint8_t pxlen;		/* 0..32 for NET_IP4, 0..128 for NET_IP6 */
	uint8_t type;		/* enum net_type */
} net_addr;

enum net_type {
	NET_IP4 = 1,		/* IPv4 prefix; ip is in mapped form */
	NET_IP6 = 2,		/* IPv6 prefix (may be ::ffff:0:0/96 or inside) */
};

enum {
	IP_STR_MAX = 40,	/* "ffff:...:ffff" + NUL; enough for any ip */
	NET_STR_MAX = 44,	/* an ip, "/128" and NUL */
	RID_STR_MAX = 16,	/* "255.255.255.255" + NUL */
};

enum {
	NET_EBAD = -1,		/* net_parse: malformed text or length */
	NET_EHOSTBITS = -2,	/* net_parse: bits set past the length */
};

/* net.c: addresses (inline: the hot few) */

/* IPv4 address from a host-order uint32, in mapped form */
static inline ip_addr ip4_from_u32(uint32_t a)
{
	return (ip_addr){ { 0, 0, 0xffff, a } };
}

/* host-order uint32 of an IPv4 address (the low word) */
static inline uint32_t ip4_to_u32(ip_addr a)
{
	return a.w[3];
}

/* is this an IPv4 (::ffff:0:0/96 mapped) address? */
static inline bool ip_is4(ip_addr a)
{
	return a.w[0] == 0 && a.w[1] == 0 && a.w[2] == 0xffff;
}

/* equal addresses? */
static inline bool ip_eq(ip_addr a, ip_addr b)
{
	return a.w[0] == b.w[0] && a.w[1] == b.w[1] &&
	    a.w[2] == b.w[2] && a.w[3] == b.w[3];
}

/* net.c: addresses */
int ip4_parse(const char *s, ip_addr *out);	/* dotted quad only; 0 / -1 */
int ip6_parse(const char *s, ip_addr *out);	/* IPv6 text only; 0 / -1 */
int ip_parse(const char *s, ip_addr *out);	/* either family; 0 / -1 */
char *ip_format(ip_addr a, char *buf);		/* IPv4 as a.b.c.d; IP_STR_MAX */
char *ip6_format(ip_addr a, char *buf);		/* always IPv6 text; IP_STR_MAX */
int ip_cmp(ip_addr a, ip_addr b);		/* <0, 0, >0 as 128-bit numbers */
uint32_t ip_hash(ip_addr a);			/* well mixed, for hash tables */
ip_addr ip_mask(ip_addr a, unsigned pxlen);	/* keep pxlen bits, in a's family */
bool ip_bit(ip_addr a, unsigned n);		/* bit n from the top, in a's family */
ip_addr ip6_mask(ip_addr a, unsigned pxlen);	/* keep pxlen of all 128 bits */
bool ip6_bit(ip_addr a, unsigned n);		/* bit n of all 128, from the top */

/* net.c: prefixes */
net_addr net_ip4(uint32_t a, unsigned pxlen);	/* NET_IP4, host bits cleared */
net_addr net_ip6(ip_addr a, unsigned pxlen);	/* NET_IP6, host bits cleared */
unsigned net_max_pxlen(const net_addr *n);	/* 32 or 128 */
int net_parse(const char *s, net_addr *out);	/* 0, NET_EBAD, NET_EHOSTBITS */
char *net_format(const net_addr *n, char *buf);	/* "10.0.0.0/8"; NET_STR_MAX */
int net_cmp(const net_addr *a, const net_addr *b);	/* family, address, length */
bool net_eq(const net_addr *a, const net_addr *b);	/* same family, address, length */
uint32_t net_hash(const net_addr *n);		/* well mixed; equal nets, equal hash */
bool net_contains(const net_addr *outer, const net_addr *inner);	/* inner ~ outer */
bool net_contains_ip(const net_addr *n, ip_addr a);	/* a ~ n, same family only */
bool net_bit(const net_addr *n, unsigned i);	/* bit i of the prefix, i < pxlen */
void net_normalize(net_addr *n);		/* clear the host bits */

/* net.c: router ids (host-order uint32) */
int rid_parse(const char *s, uint32_t *out);	/* a.b.c.d, decimal or 0x hex */
char *rid_format(uint32_t id, char *buf);	/* dotted quad; RID_STR_MAX */

#endif
