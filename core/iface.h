/*
 * The interface registry: the network interfaces the device protocol
 * (kernel/dev.c) learns from the kernel, their flags, MTU and addresses,
 * and the changes of them told to subscribers (static next hops now;
 * direct, kernel and BGP later).
 *
 * Data flow: the device protocol converts each netlink message into an
 * if_info or ifa_info and calls if_update / ifa_update / if_delete /
 * ifa_delete; a full scan is bracketed by if_scan_begin / if_scan_end, and
 * whatever the scan did not see is removed at its end. Every change is
 * applied at once and told to each subscriber synchronously, before the
 * call returns; a subscriber must not change the registry from its hook
 * (protocols defer their work to an event). Without a device protocol the
 * registry is empty, as BIRD's interface list is.
 *
 * Order: interfaces in the order first learned (a scan walks the kernel's
 * list by index), addresses of an interface likewise but IPv4 prefixes
 * before IPv6 ones (BIRD's order); `show interfaces`
 * prints them so and picks each preferred address as the first of its
 * class, as BIRD does.
 *
 * Neighbors (if_neighbor): on which interface a next hop lies, by BIRD 2's
 * rules: an own address matches even on an interface that is down; else
 * the interface must be up; an IPv6 link-local next hop needs the
 * interface named and an IPv6 link-local address on it; `onlink` takes
 * any address on the named interface; else the address must lie in a
 * connected prefix (not an IPv4 network or broadcast address of a prefix
 * shorter than /31) or be the peer of a point-to-point address. Without an
 * interface named, the longest such prefix of all interfaces wins, the
 * first interface on a tie.
 */
#ifndef BIRCH_CORE_IFACE_H
#define BIRCH_CORE_IFACE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/net.h"

enum { IF_NAME_MAX = 16 };	/* IFNAMSIZ: 15 characters and the NUL */

/* interface flags, as `show interfaces` names them */
enum {
	IF_UP = 0x01,		/* administratively up: the "up" state */
	IF_LINK_UP = 0x02,	/* carrier: LinkUp (else LinkDown) */
	IF_MULTIACCESS = 0x04,	/* not point-to-point: MultiAccess (else PtP) */
	IF_BROADCAST = 0x08,	/* Broadcast */
	IF_MULTICAST = 0x10,	/* Multicast */
	IF_LOOPBACK = 0x20,	/* Loopback */
	IF_IGNORE = 0x40,	/* Ignored: protocols leave it alone (loopback) */
};

/* address flags */
enum {
	IA_PREFERRED = 0x01,	/* the preferred address of its class */
	IA_SECONDARY = 0x02,	/* the kernel's secondary (never preferred) */
	IA_PEER = 0x04,		/* point-to-point: opposite is the peer */
	IA_OPPOSITE = 0x08,	/* opposite is set (a peer, or a /30 /31 /127 mate) */
};

/* address classes (if_addr_class) */
enum ia_class {
	IAC_INVALID,		/* 0.0.0.0/8, ::/96 but ::1 and IPv4 in it */
	IAC_UNICAST,		/* a host address */
	IAC_MULTICAST,		/* 224.0.0.0/4, ff00::/8 */
	IAC_BROADCAST,		/* 255.255.255.255 */
};

struct iface;

struct ifa {
	struct ifa *next;	/* the interface's addresses, in order learned */
	struct iface *iface;	/* owner */
	ip_addr ip;		/* the local address */
	net_addr prefix;	/* its connected prefix (the peer's for a peer) */
	ip_addr brd;		/* IPv4 broadcast (given or computed), else zero */
	ip_addr opposite;	/* with IA_OPPOSITE: the other end */
	uint8_t scope;		/* enum rt_scope, from the address class */
	uint8_t flags;		/* IA_* */
	bool seen;		/* seen by the scan in progress */
};

struct iface {
	struct iface *next;	/* all interfaces, in order learned */
	char name[IF_NAME_MAX];	/* "eth0" */
	uint32_t index;		/* kernel ifindex */
	uint32_t flags;		/* IF_* */
	uint32_t mtu;		/* bytes */
	uint32_t master;	/* master's ifindex (bridge, VRF), 0 if none */
	ip_addr want4, want6;	/* configured preferred addresses, zero if none */
	struct ifa *addrs;	/* its addresses */
	bool seen;		/* seen by the scan in progress */
};

/* what an interface update brings (from the device protocol) */
struct if_info {
	uint32_t index;		/* kernel ifindex, > 0 */
	const char *name;	/* NUL-terminated, shorter than IF_NAME_MAX */
	uint32_t flags;		/* IF_* */
	uint32_t mtu;		/* bytes */
	uint32_t master;	/* 0: none */
};

/* what an address update brings */
struct ifa_info {
	ip_addr ip;		/* local address */
	net_addr prefix;	/* connected prefix, host bits clear */
	ip_addr brd;		/* IPv4 broadcast, zero if none */
	ip_addr opposite;	/* with IA_OPPOSITE */
	uint8_t scope;		/* enum rt_scope */
	uint8_t flags;		/* IA_SECONDARY, IA_PEER, IA_OPPOSITE */
};

/* what changed, for subscribers (bits) */
enum {
	IFC_ADDED = 0x01,	/* a new interface */
	IFC_REMOVED = 0x02,	/* it goes away after the hook returns */
	IFC_UP = 0x04,		/* IF_UP changed */
	IFC_LINK = 0x08,	/* IF_LINK_UP changed */
	IFC_FLAGS = 0x10,	/* other flags changed */
	IFC_MTU = 0x20,		/* MTU changed */
	IFC_MASTER = 0x40,	/* master changed */
	IFC_PREFERRED = 0x80,	/* a preferred address changed */
};

/*
 * A subscriber to changes; hooks may be NULL. An interface removed is
 * told after its addresses were each told removed; an address removed is
 * still valid during the call.
 */
struct if_sub {
	struct if_sub *next;	/* subscribers, in order subscribed */
	void (*iface)(struct if_sub *s, struct iface *i, unsigned what);	/* IFC_* */
	void (*addr)(struct if_sub *s, struct ifa *a, bool added);
	void *data;		/* the subscriber's */
};

/* iface.c: reading */
struct iface *if_first(void);			/* iterate via ->next */
struct iface *if_find_index(uint32_t index);
struct iface *if_find_name(const char *name);
const char *if_name_of(uint32_t index);		/* NULL when unknown */
unsigned if_count(void);
enum ia_class if_addr_class(ip_addr a, unsigned *scope);	/* scope: enum rt_scope */
const char *if_scope_name(unsigned scope);	/* "host", "univ", ... */
/* the preferred address of a class: 4 IPv4, 6 IPv6 global, 0 IPv6
 * link-local; NULL if none */
struct ifa *if_preferred(const struct iface *i, int cls);

/* iface.c: the interface of neighbor a (see the top of the file), or NULL;
 * via: the interface named with it, or NULL; onlink: `onlink` */
struct iface *if_neighbor(ip_addr a, const struct iface *via, bool onlink);
/* may a be a next hop at all? false for invalid, multicast, broadcast and
 * host-scope addresses, for link-local or onlink without an interface */
bool if_neighbor_valid(ip_addr a, bool has_iface, bool onlink);
/* filters: `gw = a` (ifname NULL: the neighbor's interface, not an own
 * address) and `ifname = "x"` (any interface of that name) */
bool if_nexthop(ip_addr gw, const char *ifname, uint32_t *ifindex);

/* iface.c: updates (the device protocol) */
struct iface *if_update(const struct if_info *in);	/* create or change */
void if_delete(uint32_t index);
void if_set_wanted(struct iface *i, ip_addr want4, ip_addr want6);	/* `preferred` */
struct ifa *ifa_update(struct iface *i, const struct ifa_info *in);
void ifa_delete(struct iface *i, ip_addr ip, const net_addr *prefix);
void if_scan_begin(void);		/* mark everything unseen */
void if_scan_end(bool addrs);		/* drop interfaces (and addresses) unseen */
void if_flush(void);			/* every interface goes */

/* iface.c: subscribers */
void if_subscribe(struct if_sub *s);
void if_unsubscribe(struct if_sub *s);

#endif
