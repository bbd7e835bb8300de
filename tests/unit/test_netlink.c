/* LINK: kernel/netlink.c core/iface.c core/net.c core/mem.c */
/*
 * Netlink parsing with crafted messages: links and addresses that are well
 * formed (and what the registry gets from them, as BIRD 2.0.12 shows the
 * same kernel state in `show interfaces`), malformed ones of every kind
 * the checks know, message framing, and random bytes that must never
 * crash (run it under ASan: make SAN=1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "core/attr.h"
#include "kernel/kernel_int.h"

/* ---- building messages ---- */

struct msg {
	union {
		struct nlmsghdr h;
		uint8_t b[1024];
	} u;
};

static struct nlmsghdr *
msg_start(struct msg *m, uint16_t type, const void *fixed, size_t len)
{
	memset(m, 0, sizeof *m);
	m->u.h.nlmsg_type = type;
	m->u.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	memcpy(m->u.b + NLMSG_HDRLEN, fixed, len);
	m->u.h.nlmsg_len = NLMSG_ALIGN(m->u.h.nlmsg_len);
	return &m->u.h;
}

static void
attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(void *)(m->u.b + m->u.h.nlmsg_len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(a + 1, data, len);
	m->u.h.nlmsg_len += NLA_ALIGN(a->nla_len);
}

static void
attr_u32(struct msg *m, uint16_t type, uint32_t v)
{
	attr(m, type, &v, sizeof v);
}

static void
link_msg(struct msg *m, uint16_t type, int index, unsigned flags, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = flags };

	msg_start(m, type, &ifi, sizeof ifi);
	if (name)
		attr(m, IFLA_IFNAME, name, strlen(name) + 1);
}

static void
addr_msg(struct msg *m, uint16_t type, int family, unsigned pxlen, unsigned flags, unsigned index)
{
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family, .ifa_prefixlen = (uint8_t)pxlen,
				 .ifa_flags = (uint8_t)flags, .ifa_index = index };

	msg_start(m, type, &ifa, sizeof ifa);
}

static void
attr_ip4(struct msg *m, uint16_t type, const char *s)
{
	ip_addr a;
	uint8_t b[4];

	assert_int_equal(ip4_parse(s, &a), 0);
	uint32_t v = ip4_to_u32(a);
	b[0] = (uint8_t)(v >> 24), b[1] = (uint8_t)(v >> 16), b[2] = (uint8_t)(v >> 8), b[3] = (uint8_t)v;
	attr(m, type, b, 4);
}

static void
attr_ip6(struct msg *m, uint16_t type, const char *s)
{
	ip_addr a;
	uint8_t b[16];

	assert_int_equal(ip6_parse(s, &a), 0);
	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)(a.w[i / 4] >> (24 - 8 * (i % 4)));
	attr(m, type, b, 16);
}

static char *
fmt(ip_addr a)
{
	static char buf[4][IP_STR_MAX];
	static int k;

	return ip_format(a, buf[k++ & 3]);
}

static char err[128];

/* ---- links ---- */

static void
test_link_good(void **state)
{
	struct msg m;
	struct nl_link l;
	struct if_info in;

	(void)state;
	link_msg(&m, RTM_NEWLINK, 3, IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_LOWER_UP, "eth0");
	attr_u32(&m, IFLA_MTU, 9000);
	attr_u32(&m, IFLA_MASTER, 7);
	attr(&m, IFLA_ADDRESS, "\x02\0\0\0\0\x01", 6);	/* unknown to us: skipped */
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	assert_int_equal(l.index, 3);
	assert_string_equal(l.name, "eth0");
	assert_int_equal(l.mtu, 9000);
	assert_int_equal(l.master, 7);
	nl_link_info(&l, &in);
	/* BIRD: "MultiAccess Broadcast Multicast AdminUp LinkUp MTU=9000" */
	assert_int_equal(in.flags, IF_UP | IF_LINK_UP | IF_MULTIACCESS | IF_BROADCAST | IF_MULTICAST);
	assert_int_equal(in.mtu, 9000);

	/* a tun without multicast, no carrier: BIRD "PtP Multicast AdminUp LinkDown" */
	link_msg(&m, RTM_NEWLINK, 4, IFF_UP | IFF_POINTOPOINT | IFF_NOARP, "tun0");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	nl_link_info(&l, &in);
	assert_int_equal(in.flags, IF_UP | IF_MULTICAST);

	/* ifb: broadcast without multicast, BIRD still says Multicast */
	link_msg(&m, RTM_NEWLINK, 5, IFF_UP | IFF_BROADCAST | IFF_NOARP | IFF_LOWER_UP, "ifb0");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	nl_link_info(&l, &in);
	assert_int_equal(in.flags, IF_UP | IF_LINK_UP | IF_MULTIACCESS | IF_BROADCAST | IF_MULTICAST);

	/* lo, down: "MultiAccess AdminDown LinkDown Loopback Ignored" */
	link_msg(&m, RTM_NEWLINK, 1, IFF_LOOPBACK, "lo");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	nl_link_info(&l, &in);
	assert_int_equal(in.flags, IF_MULTIACCESS | IF_LOOPBACK | IF_IGNORE);

	/* a deletion needs no name */
	link_msg(&m, RTM_DELLINK, 9, 0, NULL);
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	assert_int_equal(l.index, 9);

	/* the longest name the kernel allows: 15 characters */
	link_msg(&m, RTM_NEWLINK, 6, 0, "abcdefghijklmno");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_OK);
	assert_string_equal(l.name, "abcdefghijklmno");
}

static void
test_link_bad(void **state)
{
	struct msg m;
	struct nl_link l;
	struct ifinfomsg ifi = { .ifi_index = 2 };

	(void)state;
	/* shorter than its fixed part */
	msg_start(&m, RTM_NEWLINK, &ifi, sizeof ifi);
	m.u.h.nlmsg_len = NLMSG_LENGTH(sizeof ifi - 4);
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);

	/* no name */
	link_msg(&m, RTM_NEWLINK, 2, IFF_UP, NULL);
	attr_u32(&m, IFLA_MTU, 1500);
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
	assert_non_null(strstr(err, "without a name"));

	/* a name without its NUL, an empty one, one too long */
	link_msg(&m, RTM_NEWLINK, 2, 0, NULL);
	attr(&m, IFLA_IFNAME, "eth0", 4);
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
	link_msg(&m, RTM_NEWLINK, 2, 0, "");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
	link_msg(&m, RTM_NEWLINK, 2, 0, "abcdefghijklmnop");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);

	/* an MTU of two bytes */
	link_msg(&m, RTM_NEWLINK, 2, 0, "eth0");
	attr(&m, IFLA_MTU, "\x05\xdc", 2);
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);

	/* an attribute shorter than its header */
	link_msg(&m, RTM_NEWLINK, 2, 0, "eth0");
	attr_u32(&m, IFLA_MTU, 1500);
	struct nlattr *a = (struct nlattr *)(void *)(m.u.b + m.u.h.nlmsg_len - 8);
	a->nla_len = 2;
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);

	/* an attribute running past the message */
	link_msg(&m, RTM_NEWLINK, 2, 0, "eth0");
	attr_u32(&m, IFLA_MTU, 1500);
	a = (struct nlattr *)(void *)(m.u.b + m.u.h.nlmsg_len - 8);
	a->nla_len = 200;
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
	assert_non_null(strstr(err, "past the message"));

	/* index 0 and negative */
	link_msg(&m, RTM_NEWLINK, 0, 0, "eth0");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
	link_msg(&m, RTM_NEWLINK, -3, 0, "eth0");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);

	/* not a link message at all */
	link_msg(&m, RTM_NEWADDR, 2, 0, "eth0");
	assert_int_equal(nl_parse_link(&m.u.h, &l, err, sizeof err), NL_BAD);
}

/* ---- addresses ---- */

static int
addr_info(struct msg *m, uint32_t if_flags, struct ifa_info *out, bool *warn)
{
	struct nl_addr a;

	assert_int_equal(nl_parse_addr(&m->u.h, &a, err, sizeof err), NL_OK);
	return nl_addr_info(&a, if_flags, out, warn, err, sizeof err);
}

static void
test_addr_good(void **state)
{
	struct msg m;
	struct nl_addr a;
	struct ifa_info in;
	bool warn;
	char n[NET_STR_MAX];

	(void)state;
	/* 10.0.0.1/24 with no broadcast given: BIRD "(Preferred, scope site)" and
	 * 10.0.0.255 is no neighbor, so the broadcast is computed */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	attr_ip4(&m, IFA_ADDRESS, "10.0.0.1");
	attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
	attr_u32(&m, IFA_FLAGS, IFA_F_PERMANENT);
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_OK);
	assert_int_equal(a.index, 2);
	assert_int_equal(a.pxlen, 24);
	assert_int_equal(addr_info(&m, IF_BROADCAST, &in, &warn), NL_OK);
	assert_string_equal(fmt(in.ip), "10.0.0.1");
	assert_string_equal(net_format(&in.prefix, n), "10.0.0.0/24");
	assert_string_equal(fmt(in.brd), "10.0.0.255");
	assert_int_equal(in.scope, SCOPE_SITE);
	assert_int_equal(in.flags, 0);
	assert_false(warn);

	/* secondary: "10.1.0.5/24 (Secondary, scope site)" */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, IFA_F_SECONDARY, 2);
	attr_ip4(&m, IFA_LOCAL, "10.1.0.5");
	attr_ip4(&m, IFA_ADDRESS, "10.1.0.5");
	attr_ip4(&m, IFA_BROADCAST, "10.1.0.255");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_int_equal(in.flags, IA_SECONDARY);

	/* a peer: "10.5.0.1/32 (Preferred, opposite 10.5.0.2, scope site)" */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 32, 0, 4);
	attr_ip4(&m, IFA_LOCAL, "10.5.0.1");
	attr_ip4(&m, IFA_ADDRESS, "10.5.0.2");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_int_equal(in.flags, IA_PEER | IA_OPPOSITE);
	assert_string_equal(fmt(in.opposite), "10.5.0.2");
	assert_string_equal(net_format(&in.prefix, n), "10.5.0.2/32");

	/* a peer network: "10.7.0.1/24 (scope site)", no opposite */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 4);
	attr_ip4(&m, IFA_LOCAL, "10.7.0.1");
	attr_ip4(&m, IFA_ADDRESS, "10.8.0.0");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_int_equal(in.flags, IA_PEER);
	assert_string_equal(net_format(&in.prefix, n), "10.8.0.0/24");

	/* /30 and /31: "10.1.0.1/30 (opposite 10.1.0.2)", "10.11.0.0/30 (opposite
	 * 10.11.0.3)", "10.5.0.1/31 (opposite 10.5.0.0)"; a /31 on a broadcast
	 * link without broadcast: "Missing broadcast address" */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 30, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.1.0.1");
	assert_int_equal(addr_info(&m, IF_BROADCAST, &in, &warn), NL_OK);
	assert_string_equal(fmt(in.opposite), "10.1.0.2");
	assert_false(warn);
	addr_msg(&m, RTM_NEWADDR, AF_INET, 30, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.11.0.0");
	assert_int_equal(addr_info(&m, IF_BROADCAST, &in, &warn), NL_OK);
	assert_string_equal(fmt(in.opposite), "10.11.0.3");
	addr_msg(&m, RTM_NEWADDR, AF_INET, 31, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.5.0.1");
	assert_int_equal(addr_info(&m, IF_BROADCAST, &in, &warn), NL_OK);
	assert_int_equal(in.flags, IA_OPPOSITE);
	assert_string_equal(fmt(in.opposite), "10.5.0.0");
	assert_true(warn);
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_false(warn);

	/* IPv6: /127 has an opposite, /126 not; fe80 is link scope */
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 127, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "2001:db8:8::1");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_string_equal(fmt(in.opposite), "2001:db8:8::");
	assert_int_equal(in.scope, SCOPE_UNIVERSE);
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 126, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "2001:db8:9::1");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_int_equal(in.flags, 0);
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 64, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "fe80::1");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_OK);
	assert_int_equal(in.scope, SCOPE_LINK);
	assert_string_equal(net_format(&in.prefix, n), "fe80::/64");

	/* tentative (DAD running): not ours yet, but known enough to delete */
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 64, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "2001:db8:1::1");
	attr_u32(&m, IFA_FLAGS, IFA_F_TENTATIVE);
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_IGNORE);
	assert_string_equal(fmt(in.ip), "2001:db8:1::1");
	assert_string_equal(net_format(&in.prefix, n), "2001:db8:1::/64");

	/* BIRD: "KIF: Invalid interface address 0.1.2.3 for ifb0" */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 8, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "0.1.2.3");
	assert_int_equal(addr_info(&m, 0, &in, &warn), NL_BAD);
	assert_string_equal(err, "0.1.2.3");

	/* another family: not an error, not ours */
	addr_msg(&m, RTM_NEWADDR, AF_PACKET, 0, 0, 2);
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_IGNORE);
}

static void
test_addr_bad(void **state)
{
	struct msg m;
	struct nl_addr a;

	(void)state;
	/* too short for its fixed part */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	m.u.h.nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* prefix longer than the family */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 33, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 129, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "2001:db8::1");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* an IPv6 address in an IPv4 message, and the reverse */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	attr_ip6(&m, IFA_LOCAL, "2001:db8::1");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 64, 0, 2);
	attr_ip4(&m, IFA_ADDRESS, "10.0.0.1");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* a broadcast in IPv6 */
	addr_msg(&m, RTM_NEWADDR, AF_INET6, 64, 0, 2);
	attr_ip6(&m, IFA_ADDRESS, "2001:db8::1");
	attr_ip4(&m, IFA_BROADCAST, "10.0.0.255");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* no address at all */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	attr_u32(&m, IFA_FLAGS, 0);
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* index 0 */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 0);
	attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
	/* IFA_FLAGS of one byte */
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
	attr(&m, IFA_FLAGS, "\x01", 1);
	assert_int_equal(nl_parse_addr(&m.u.h, &a, err, sizeof err), NL_BAD);
}

/* ---- framing ---- */

static int
count_msg(const struct nlmsghdr *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 0;
}

static void
test_walk(void **state)
{
	uint8_t buf[2048];
	struct msg m;
	size_t len = 0;
	int n = 0;

	(void)state;
	link_msg(&m, RTM_NEWLINK, 2, 0, "eth0");
	memcpy(buf, &m, m.u.h.nlmsg_len);
	len = m.u.h.nlmsg_len;
	addr_msg(&m, RTM_NEWADDR, AF_INET, 24, 0, 2);
	attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
	memcpy(buf + len, &m, m.u.h.nlmsg_len);
	len += m.u.h.nlmsg_len;
	assert_int_equal(nl_walk(buf, len, count_msg, &n), 0);
	assert_int_equal(n, 2);

	/* the second message claims more than is there: the first is taken */
	n = 0;
	assert_int_equal(nl_walk(buf, len - 4, count_msg, &n), -1);
	assert_int_equal(n, 1);
	/* a length below the header's own */
	((struct nlmsghdr *)(void *)buf)->nlmsg_len = 8;
	n = 0;
	assert_int_equal(nl_walk(buf, len, count_msg, &n), -1);
	assert_int_equal(n, 0);
	/* a tail shorter than a header is ignored */
	n = 0;
	assert_int_equal(nl_walk(buf, 10, count_msg, &n), 0);
	assert_int_equal(n, 0);
}

/* random bytes and mutations of good messages: every call returns */
static int
parse_any(const struct nlmsghdr *h, void *arg)
{
	struct nl_link l;
	struct nl_addr a;
	struct ifa_info in;
	bool warn;

	(void)arg;
	if (h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK) {
		if (nl_parse_link(h, &l, err, sizeof err) == NL_OK)
			assert_true(l.index > 0 && strlen(l.name) < IF_NAME_MAX);
	} else if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
		if (nl_parse_addr(h, &a, err, sizeof err) == NL_OK)
			nl_addr_info(&a, IF_BROADCAST, &in, &warn, err, sizeof err);
	}
	return 0;
}

static void
test_random(void **state)
{
	uint32_t seed = 12345;
	struct msg m;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = 16 + (seed >> 8) % 200;
		uint8_t *buf = malloc(len);	/* exact size: ASan sees any overrun */
		if (round & 1) {
			if (round & 2) {
				addr_msg(&m, RTM_NEWADDR, round & 4 ? AF_INET6 : AF_INET, 24, 0, 2);
				attr_ip6(&m, IFA_ADDRESS, "2001:db8::1");
				attr_ip4(&m, IFA_LOCAL, "10.0.0.1");
			} else {
				link_msg(&m, RTM_NEWLINK, 2, IFF_UP, "eth0");
				attr_u32(&m, IFLA_MTU, 1500);
			}
			memcpy(buf, m.u.b, len);
			for (int k = 0; k < 3; k++) {
				seed = seed * 1103515245 + 12345;
				buf[(seed >> 8) % len] ^= (uint8_t)(seed >> 20);
			}
		} else {
			for (size_t k = 0; k < len; k++) {
				seed = seed * 1103515245 + 12345;
				buf[k] = (uint8_t)(seed >> 16);
			}
			if (len >= 6) {	/* often a type we parse */
				buf[4] = (uint8_t)(16 + (seed >> 24) % 6);
				buf[5] = 0;
			}
		}
		nl_walk(buf, len, parse_any, NULL);
		free(buf);
		seed = seed * 1103515245 + 12345;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_good),
		cmocka_unit_test(test_link_bad),
		cmocka_unit_test(test_addr_good),
		cmocka_unit_test(test_addr_bad),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
