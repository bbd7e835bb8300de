/*
 * Inside kernel/: netlink messages parsed and checked (netlink.c), and
 * what the device protocol (dev.c) makes of them. Parsing is pure, so the
 * unit tests feed it crafted messages, good and malformed.
 */
#ifndef BIRCH_KERNEL_KERNEL_INT_H
#define BIRCH_KERNEL_KERNEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/iface.h"
#include "core/net.h"

struct nlmsghdr;

/* an RTM_NEWLINK / RTM_DELLINK message, checked */
struct nl_link {
	uint32_t index;			/* ifi_index, > 0 */
	uint32_t flags;			/* ifi_flags: IFF_* */
	char name[IF_NAME_MAX];		/* IFLA_IFNAME, or "" (DELLINK only) */
	uint32_t mtu;			/* IFLA_MTU, 0 if absent */
	uint32_t master;		/* IFLA_MASTER, 0 if absent */
};

/* an RTM_NEWADDR / RTM_DELADDR message, checked */
struct nl_addr {
	uint32_t index;			/* ifa_index, > 0 */
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t pxlen;			/* ifa_prefixlen, within the family */
	uint32_t flags;			/* IFA_F_*: IFA_FLAGS if given, else ifa_flags */
	ip_addr local, address, brd;	/* IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST */
	bool has_local, has_address, has_brd;	/* which were present */
};

enum {
	NL_OK = 0,			/* parsed */
	NL_IGNORE = 1,			/* well formed, not ours (another family) */
	NL_BAD = -1,			/* malformed: the reason is in err */
};

/* netlink.c: parsing; each returns NL_OK, NL_IGNORE or NL_BAD with a
 * reason in err */
int nl_parse_link(const struct nlmsghdr *h, struct nl_link *out, char *err, size_t errlen);
int nl_parse_addr(const struct nlmsghdr *h, struct nl_addr *out, char *err, size_t errlen);
/* Walk the messages in buf, calling fn on each whose header is sound;
 * fn returns <0 to stop. -1 when the framing is broken (the rest of buf
 * is dropped), else what fn last returned (0 when no message). */
int nl_walk(const void *buf, size_t len, int (*fn)(const struct nlmsghdr *h, void *arg),
    void *arg);

/* netlink.c: what the registry takes */
void nl_link_info(const struct nl_link *l, struct if_info *out);	/* IFF_* to IF_* */
/* an address as BIRD takes it; NL_IGNORE for a tentative IPv6 one (not
 * ours until DAD ends), NL_BAD for an invalid address (err says which);
 * *warn_brd set for an IPv4 /31 without broadcast on a broadcast link */
int nl_addr_info(const struct nl_addr *a, uint32_t if_flags, struct ifa_info *out,
    bool *warn_brd, char *err, size_t errlen);

/* netlink.c: sockets (libmnl) */
struct nl_sock;
struct nl_sock *nl_open(uint32_t groups, char *err, size_t errlen);	/* groups: RTMGRP_* */
void nl_close(struct nl_sock *s);
int nl_fd(const struct nl_sock *s);
/* a synchronous dump (RTM_GETLINK, RTM_GETADDR) on a socket without
 * groups: fn on every message; 0, or -1 (err) on a failure or a dump the
 * kernel marked interrupted */
int nl_dump(struct nl_sock *s, int type, int (*fn)(const struct nlmsghdr *h, void *arg),
    void *arg, char *err, size_t errlen);
/* read what is waiting on a non-blocking socket into buf: bytes, 0 when
 * nothing more, -1 with errno (ENOBUFS: messages were lost) */
long nl_recv(struct nl_sock *s, void *buf, size_t len);

#endif
