/*
 * The interface registry (core/iface.h): a list of interfaces in the order
 * learned, each with its addresses in the order learned, the preferred
 * address of each class recomputed after every change of addresses, and
 * the subscribers told of each change as it is applied.
 *
 * Lookups by index and name walk the list: a router has tens of
 * interfaces, and every hot path (next-hop resolution) runs on changes of
 * them, not per route.
 */
#include "core/iface.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attr.h"
#include "core/log.h"
#include "core/mem.h"

static struct iface *ifaces;		/* the list */
static struct if_sub *subs;		/* subscribers */
static unsigned n_ifaces;		/* entries in the list */

/* ---- reading ---- */

struct iface *
if_first(void)
{
	return ifaces;
}

unsigned
if_count(void)
{
	return n_ifaces;
}

struct iface *
if_find_index(uint32_t index)
{
	for (struct iface *i = ifaces; i; i = i->next)
		if (i->index == index)
			return i;
	return NULL;
}

struct iface *
if_find_name(const char *name)
{
	for (struct iface *i = ifaces; i; i = i->next)
		if (!strcmp(i->name, name))
			return i;
	return NULL;
}

const char *
if_name_of(uint32_t index)
{
	struct iface *i = index ? if_find_index(index) : NULL;

	return i ? i->name : NULL;
}

const char *
if_scope_name(unsigned scope)
{
	static const char *const names[] = { "host", "link", "site", "org", "univ", "undef" };

	return names[scope <= SCOPE_UNDEFINED ? scope : SCOPE_UNDEFINED];
}

/* IPv4 by its host-order word */
static enum ia_class
class4(uint32_t a, unsigned *scope)
{
	uint32_t b = a >> 24;

	*scope = SCOPE_UNIVERSE;
	if (b == 0)
		return IAC_INVALID;
	if (b == 127) {
		*scope = SCOPE_HOST;
		return IAC_UNICAST;
	}
	if (b == 10 || (a & 0xfff00000) == 0xac100000 || (a & 0xffff0000) == 0xc0a80000) {
		*scope = SCOPE_SITE;
		return IAC_UNICAST;
	}
	if (b >= 224 && b < 240)
		return IAC_MULTICAST;
	if (a == 0xffffffff) {
		*scope = SCOPE_LINK;
		return IAC_BROADCAST;
	}
	if (b >= 240)		/* class E: BIRD 2.0.12 calls these site */
		*scope = SCOPE_SITE;
	return IAC_UNICAST;
}

/*
 * The class and scope of an address as BIRD 2.0.12 sees it (measured on
 * interface addresses and next hops): the kernel's own scope is not used.
 * IPv6 outside 2000::/3, fc00::/7 and fe80::/9 is unicast of undefined
 * scope; ::/96 (IPv4-compatible) is classified by its IPv4 part, ::1 aside.
 */
enum ia_class
if_addr_class(ip_addr a, unsigned *scope)
{
	unsigned dummy;

	if (!scope)
		scope = &dummy;
	if (ip_is4(a))
		return class4(a.w[3], scope);
	if (!a.w[0] && !a.w[1] && !a.w[2]) {
		if (a.w[3] == 1) {
			*scope = SCOPE_HOST;
			return IAC_UNICAST;
		}
		return class4(a.w[3], scope);
	}
	uint32_t top = a.w[0];
	*scope = SCOPE_UNDEFINED;
	if ((top >> 29) == 1)			/* 2000::/3 */
		*scope = SCOPE_UNIVERSE;
	else if ((top >> 25) == 0x7e)		/* fc00::/7 */
		*scope = SCOPE_SITE;
	else if ((top >> 22) == 0x3fa)		/* fe80::/10 */
		*scope = SCOPE_LINK;
	else if ((top >> 22) == 0x3fb)		/* fec0::/10 */
		*scope = SCOPE_SITE;
	else if ((top >> 24) == 0xff) {
		*scope = SCOPE_UNIVERSE;
		return IAC_MULTICAST;
	}
	return IAC_UNICAST;
}

static bool
is_link_local(ip_addr a)
{
	return !ip_is4(a) && (a.w[0] >> 22) == 0x3fa;
}

/* preferred-address class of an address: 4, 6 or 0 (IPv6 link-local) */
static int
pref_class(ip_addr a)
{
	return ip_is4(a) ? 4 : is_link_local(a) ? 0 : 6;
}

struct ifa *
if_preferred(const struct iface *i, int cls)
{
	for (struct ifa *a = i->addrs; a; a = a->next)
		if ((a->flags & IA_PREFERRED) && pref_class(a->ip) == cls)
			return a;
	return NULL;
}

/* ---- neighbors ---- */

bool
if_neighbor_valid(ip_addr a, bool has_iface, bool onlink)
{
	unsigned scope;

	if (if_addr_class(a, &scope) != IAC_UNICAST || scope == SCOPE_HOST)
		return false;
	if ((is_link_local(a) || onlink) && !has_iface)
		return false;
	return true;
}

/*
 * How well a is connected on i: -1 not at all; else the length of the
 * matching prefix (129 for an own address, which wins over any prefix).
 */
static int
connected(ip_addr a, const struct iface *i, bool onlink)
{
	int best = -1;

	for (const struct ifa *x = i->addrs; x; x = x->next)
		if (ip_eq(x->ip, a))
			return 129;
	if (!(i->flags & IF_UP))
		return -1;
	if (is_link_local(a)) {
		for (const struct ifa *x = i->addrs; x; x = x->next)
			if (is_link_local(x->ip))
				return 128;
		return -1;
	}
	if (onlink)
		return 0;
	for (const struct ifa *x = i->addrs; x; x = x->next) {
		if ((x->flags & (IA_PEER | IA_OPPOSITE)) == (IA_PEER | IA_OPPOSITE) &&
		    ip_eq(x->opposite, a))
			return 128;
		if ((x->flags & IA_PEER) && x->prefix.pxlen == net_max_pxlen(&x->prefix))
			continue;
		if (ip_is4(a) != (x->prefix.type == NET_IP4) || !net_contains_ip(&x->prefix, a))
			continue;
		/* not an IPv4 network or broadcast address */
		if (ip_is4(a) && x->prefix.pxlen < 31 &&
		    (ip_eq(a, x->prefix.ip) || ip_eq(a, x->brd) ||
		     (a.w[3] | (0xffffffffu >> x->prefix.pxlen)) == a.w[3]))
			continue;
		if ((int)x->prefix.pxlen > best)
			best = x->prefix.pxlen;
	}
	return best;
}

struct iface *
if_neighbor(ip_addr a, const struct iface *via, bool onlink)
{
	if (!if_neighbor_valid(a, via != NULL, onlink))
		return NULL;
	if (via)
		return connected(a, via, onlink) >= 0 ? (struct iface *)(uintptr_t)via : NULL;
	struct iface *best = NULL;
	int best_len = -1;
	for (struct iface *i = ifaces; i; i = i->next) {
		int l = connected(a, i, false);
		if (l > best_len) {
			best_len = l;
			best = i;
		}
	}
	return best;
}

bool
if_nexthop(ip_addr gw, const char *ifname, uint32_t *ifindex)
{
	struct iface *i = ifname ? if_find_name(ifname) : if_neighbor(gw, NULL, false);

	if (!i)
		return false;
	/* BIRD refuses a gateway that is one of our own addresses */
	for (const struct ifa *a = i->addrs; !ifname && a; a = a->next)
		if (ip_eq(a->ip, gw))
			return false;
	*ifindex = i->index;
	return true;
}

/* ---- subscribers ---- */

void
if_subscribe(struct if_sub *s)
{
	struct if_sub **pp = &subs;

	while (*pp)
		pp = &(*pp)->next;
	s->next = NULL;
	*pp = s;
}

void
if_unsubscribe(struct if_sub *s)
{
	for (struct if_sub **pp = &subs; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			return;
		}
}

static void
tell_iface(struct iface *i, unsigned what)
{
	struct if_sub *s, *next;

	for (s = subs; s; s = next) {
		next = s->next;		/* a hook may unsubscribe itself */
		if (s->iface)
			s->iface(s, i, what);
	}
}

static void
tell_addr(struct ifa *a, bool added)
{
	struct if_sub *s, *next;

	for (s = subs; s; s = next) {
		next = s->next;
		if (s->addr)
			s->addr(s, a, added);
	}
}

/* ---- updates ---- */

/* mark the preferred address of each class; true when any mark moved */
static bool
recalc_preferred(struct iface *i)
{
	struct ifa *pick[3] = { NULL, NULL, NULL };	/* link-local, IPv4, IPv6 */
	bool moved = false;

	for (struct ifa *a = i->addrs; a; a = a->next) {
		if (a->flags & IA_SECONDARY)
			continue;
		int c = pref_class(a->ip), k = c == 4 ? 1 : c == 6 ? 2 : 0;
		ip_addr want = c == 4 ? i->want4 : i->want6;
		bool wanted = ip_eq(want, a->ip);
		if (!pick[k] || (wanted && !ip_eq(pick[k]->ip, want)))
			pick[k] = a;
	}
	for (struct ifa *a = i->addrs; a; a = a->next) {
		bool p = a == pick[0] || a == pick[1] || a == pick[2];
		if (p != !!(a->flags & IA_PREFERRED))
			moved = true;
		a->flags = (uint8_t)(p ? a->flags | IA_PREFERRED : a->flags & ~IA_PREFERRED);
	}
	return moved;
}

struct iface *
if_update(const struct if_info *in)
{
	struct iface *i = if_find_index(in->index);

	if (i && strcmp(i->name, in->name)) {
		/* renamed: BIRD drops the old interface and learns a new one */
		if_delete(in->index);
		i = NULL;
	}
	if (!i) {
		struct iface **pp = &ifaces;
		while (*pp)
			pp = &(*pp)->next;
		i = xzalloc(sizeof *i);
		mem_charge(MEM_PROTOS, sizeof *i, 0);
		snprintf(i->name, sizeof i->name, "%s", in->name);
		i->index = in->index;
		i->flags = in->flags;
		i->mtu = in->mtu;
		i->master = in->master;
		i->seen = true;
		*pp = i;
		n_ifaces++;
		tell_iface(i, IFC_ADDED);
		return i;
	}
	unsigned what = 0;
	uint32_t diff = i->flags ^ in->flags;
	if (diff & IF_UP)
		what |= IFC_UP;
	if (diff & IF_LINK_UP)
		what |= IFC_LINK;
	if (diff & ~(uint32_t)(IF_UP | IF_LINK_UP))
		what |= IFC_FLAGS;
	if (i->mtu != in->mtu)
		what |= IFC_MTU;
	if (i->master != in->master)
		what |= IFC_MASTER;
	i->flags = in->flags;
	i->mtu = in->mtu;
	i->master = in->master;
	i->seen = true;
	if (what)
		tell_iface(i, what);
	return i;
}

static void
ifa_free(struct ifa *a)
{
	mem_charge(MEM_PROTOS, -(long)sizeof *a, 0);
	free(a);
}

void
if_delete(uint32_t index)
{
	struct iface **pp = &ifaces, *i;

	while (*pp && (*pp)->index != index)
		pp = &(*pp)->next;
	if (!(i = *pp))
		return;
	while (i->addrs) {
		struct ifa *a = i->addrs;
		tell_addr(a, false);
		i->addrs = a->next;
		ifa_free(a);
	}
	tell_iface(i, IFC_REMOVED);
	*pp = i->next;
	n_ifaces--;
	mem_charge(MEM_PROTOS, -(long)sizeof *i, 0);
	free(i);
}

void
if_set_wanted(struct iface *i, ip_addr want4, ip_addr want6)
{
	if (ip_eq(i->want4, want4) && ip_eq(i->want6, want6))
		return;
	i->want4 = want4;
	i->want6 = want6;
	if (recalc_preferred(i))
		tell_iface(i, IFC_PREFERRED);
}

struct ifa *
ifa_update(struct iface *i, const struct ifa_info *in)
{
	struct ifa **pp = &i->addrs, *a;

	for (; (a = *pp); pp = &a->next)
		if (ip_eq(a->ip, in->ip) && net_eq(&a->prefix, &in->prefix))
			break;
	if (a) {
		/* known: the flags the kernel gives may change (promotion) */
		uint8_t keep = a->flags & IA_PREFERRED;
		bool same = ip_eq(a->brd, in->brd) && ip_eq(a->opposite, in->opposite) &&
			    a->scope == in->scope && (a->flags & ~IA_PREFERRED) == in->flags;
		a->seen = true;
		if (same)
			return a;
		/* told as a removal and an addition, so users re-resolve */
		tell_addr(a, false);
		a->brd = in->brd;
		a->opposite = in->opposite;
		a->scope = in->scope;
		a->flags = (uint8_t)(in->flags | keep);
		if (recalc_preferred(i))
			tell_iface(i, IFC_PREFERRED);
		tell_addr(a, true);
		return a;
	}
	/* BIRD lists IPv4 prefixes before IPv6 ones, each in arrival order */
	if (in->prefix.type == NET_IP4)
		for (pp = &i->addrs; *pp && (*pp)->prefix.type == NET_IP4; pp = &(*pp)->next)
			;
	a = xzalloc(sizeof *a);
	mem_charge(MEM_PROTOS, sizeof *a, 0);
	a->iface = i;
	a->ip = in->ip;
	a->prefix = in->prefix;
	a->brd = in->brd;
	a->opposite = in->opposite;
	a->scope = in->scope;
	a->flags = in->flags & (uint8_t)~IA_PREFERRED;
	a->seen = true;
	a->next = *pp;
	*pp = a;
	if (recalc_preferred(i))
		tell_iface(i, IFC_PREFERRED);
	tell_addr(a, true);
	return a;
}

void
ifa_delete(struct iface *i, ip_addr ip, const net_addr *prefix)
{
	struct ifa **pp = &i->addrs, *a;

	for (; (a = *pp); pp = &a->next)
		if (ip_eq(a->ip, ip) && net_eq(&a->prefix, prefix))
			break;
	if (!a)
		return;
	*pp = a->next;
	/* the hook still sees it, though it is already off the list */
	tell_addr(a, false);
	ifa_free(a);
	if (recalc_preferred(i))
		tell_iface(i, IFC_PREFERRED);
}

void
if_scan_begin(void)
{
	for (struct iface *i = ifaces; i; i = i->next) {
		i->seen = false;
		for (struct ifa *a = i->addrs; a; a = a->next)
			a->seen = false;
	}
}

void
if_scan_end(bool addrs)
{
	struct iface *i = ifaces, *next;

	for (; i; i = next) {
		next = i->next;
		if (!i->seen) {
			if_delete(i->index);
			continue;
		}
		if (!addrs)
			continue;
		struct ifa *a = i->addrs, *an;
		for (; a; a = an) {
			an = a->next;
			if (!a->seen)
				ifa_delete(i, a->ip, &a->prefix);
		}
	}
}

void
if_flush(void)
{
	while (ifaces)
		if_delete(ifaces->index);
}
