/* LINK: core/iface.c core/net.c core/mem.c */
/*
 * The interface registry: address classes and scopes, the order of
 * addresses, preferred addresses, neighbor resolution and change
 * notifications. Expected values are what BIRD 2.0.12 showed for the same
 * interfaces and next hops (`show interfaces`, `show route` in a network
 * namespace), noted beside each check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/attr.h"
#include "core/iface.h"

static ip_addr
ip(const char *s)
{
	ip_addr a;

	assert_int_equal(ip_parse(s, &a), 0);
	return a;
}

static net_addr
pfx(const char *s)
{
	net_addr n;

	assert_int_equal(net_parse(s, &n), 0);
	return n;
}

static struct iface *
mk(uint32_t index, const char *name, uint32_t flags)
{
	return if_update(&(struct if_info){ .index = index, .name = name, .flags = flags, .mtu = 1500 });
}

/* an address as the device protocol gives it (prefix from ip/len) */
static struct ifa *
add(struct iface *i, const char *addr, unsigned len, uint8_t flags)
{
	struct ifa_info in = { .ip = ip(addr), .flags = flags };
	unsigned scope;

	in.prefix = ip_is4(in.ip) ? net_ip4(ip4_to_u32(in.ip), len) : net_ip6(in.ip, len);
	if_addr_class(in.ip, &scope);
	in.scope = (uint8_t)scope;
	if (ip_is4(in.ip) && len < 31)
		in.brd = ip4_from_u32(ip4_to_u32(in.ip) | (0xffffffffu >> len));
	return ifa_update(i, &in);
}

#define UP (IF_UP | IF_LINK_UP | IF_MULTIACCESS | IF_BROADCAST | IF_MULTICAST)

static void
test_classes(void **state)
{
	static const struct {
		const char *a;
		enum ia_class c;
		unsigned scope;
	} t[] = {
		/* interface addresses as BIRD showed them, and next hops it refused */
		{ "0.1.2.3", IAC_INVALID, 0 },		/* "KIF: Invalid interface address" */
		{ "1.2.3.4", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "10.0.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "127.0.0.1", IAC_UNICAST, SCOPE_HOST },
		{ "169.254.0.1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "172.15.0.1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "172.16.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "172.31.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "172.32.0.1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "192.168.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "192.169.0.1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "224.0.0.5", IAC_MULTICAST, SCOPE_UNIVERSE },
		{ "239.0.0.1", IAC_MULTICAST, SCOPE_UNIVERSE },
		{ "240.0.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "255.255.255.254", IAC_UNICAST, SCOPE_SITE },
		{ "255.255.255.255", IAC_BROADCAST, SCOPE_LINK },
		{ "::1", IAC_UNICAST, SCOPE_HOST },
		{ "::2", IAC_INVALID, 0 },
		{ "::10.0.0.1", IAC_UNICAST, SCOPE_SITE },
		{ "2001:db8::1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "3fff::1", IAC_UNICAST, SCOPE_UNIVERSE },
		{ "4000::1", IAC_UNICAST, SCOPE_UNDEFINED },
		{ "64:ff9b::1", IAC_UNICAST, SCOPE_UNDEFINED },
		{ "fbff::1", IAC_UNICAST, SCOPE_UNDEFINED },
		{ "fc00::1", IAC_UNICAST, SCOPE_SITE },
		{ "fdff::1", IAC_UNICAST, SCOPE_SITE },
		{ "fe7f::1", IAC_UNICAST, SCOPE_UNDEFINED },
		{ "fe80::1", IAC_UNICAST, SCOPE_LINK },
		{ "febf::1", IAC_UNICAST, SCOPE_LINK },
		{ "fec0::1", IAC_UNICAST, SCOPE_SITE },
		{ "feff::1", IAC_UNICAST, SCOPE_SITE },
		{ "ff02::1", IAC_MULTICAST, SCOPE_UNIVERSE },
	};

	(void)state;
	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
		unsigned scope = 99;
		enum ia_class c = if_addr_class(ip(t[k].a), &scope);
		if (c != t[k].c || (c != IAC_INVALID && scope != t[k].scope))
			fail_msg("%s: class %d scope %u, want %d %u", t[k].a, c, scope, t[k].c, t[k].scope);
	}
	assert_string_equal(if_scope_name(SCOPE_UNDEFINED), "undef");
	assert_string_equal(if_scope_name(SCOPE_UNIVERSE), "univ");
	/* next hops BIRD refused: "Invalid next hop X of static route" */
	assert_false(if_neighbor_valid(ip("224.0.0.5"), false, false));
	assert_false(if_neighbor_valid(ip("255.255.255.255"), false, false));
	assert_false(if_neighbor_valid(ip("127.0.0.5"), true, true));
	assert_false(if_neighbor_valid(ip("0.0.0.0"), false, false));
	assert_false(if_neighbor_valid(ip("::"), false, false));
	assert_false(if_neighbor_valid(ip("::1"), false, false));
	assert_false(if_neighbor_valid(ip("ff02::1"), true, false));
	assert_false(if_neighbor_valid(ip("fe80::1"), false, false));	/* needs %iface */
	assert_false(if_neighbor_valid(ip("10.9.9.9"), false, true));	/* onlink needs one */
	assert_true(if_neighbor_valid(ip("240.0.0.1"), true, true));
	assert_true(if_neighbor_valid(ip("64:ff9b::1"), true, true));
	assert_true(if_neighbor_valid(ip("fe80::1"), true, false));
}

static void
test_order_and_preferred(void **state)
{
	(void)state;
	struct iface *x = mk(2, "x0", UP);

	/* BIRD: IPv4 before IPv6, each in arrival order; the first address of
	 * each class (IPv4, IPv6, link-local) that is not secondary is preferred */
	add(x, "10.0.0.1", 24, 0);
	add(x, "fe80::1", 64, 0);
	add(x, "10.0.1.1", 24, 0);
	add(x, "2001:db8::1", 64, 0);
	add(x, "10.0.0.9", 24, IA_SECONDARY);
	add(x, "10.0.2.1", 24, 0);
	const char *want[] = { "10.0.0.1", "10.0.1.1", "10.0.0.9", "10.0.2.1", "fe80::1", "2001:db8::1" };
	int k = 0;
	for (struct ifa *a = x->addrs; a; a = a->next, k++) {
		char b[IP_STR_MAX];
		assert_string_equal(ip_format(a->ip, b), want[k]);
	}
	assert_int_equal(k, 6);
	assert_true(ip_eq(if_preferred(x, 4)->ip, ip("10.0.0.1")));
	assert_true(ip_eq(if_preferred(x, 6)->ip, ip("2001:db8::1")));
	assert_true(ip_eq(if_preferred(x, 0)->ip, ip("fe80::1")));

	/* `preferred 10.0.1.1;`; a secondary one can never be */
	if_set_wanted(x, ip("10.0.1.1"), ip4_from_u32(0) /* none */);
	assert_true(ip_eq(if_preferred(x, 4)->ip, ip("10.0.1.1")));
	if_set_wanted(x, ip("10.0.0.9"), (ip_addr){ { 0 } });
	assert_true(ip_eq(if_preferred(x, 4)->ip, ip("10.0.0.1")));
	if_set_wanted(x, (ip_addr){ { 0 } }, (ip_addr){ { 0 } });

	/* the preferred one goes: the next takes over */
	net_addr p1 = net_ip4(0x0a000000, 24), p2 = pfx("2001:db8::/64");
	ifa_delete(x, ip("10.0.0.1"), &p1);
	assert_true(ip_eq(if_preferred(x, 4)->ip, ip("10.0.1.1")));
	ifa_delete(x, ip("2001:db8::1"), &p2);
	assert_null(if_preferred(x, 6));
	if_flush();
	assert_null(if_first());
}

static void
test_neighbors(void **state)
{
	(void)state;
	struct iface *x0 = mk(2, "x0", UP), *x1 = mk(3, "x1", UP), *x4 = mk(6, "x4", IF_MULTIACCESS);
	struct iface *x5 = mk(7, "x5", UP), *x6 = mk(8, "x6", UP), *t = mk(9, "t0", IF_UP | IF_MULTICAST);

	add(x0, "10.0.5.1", 16, 0);
	add(x1, "10.0.5.2", 24, 0);
	add(x0, "10.9.0.1", 24, 0);
	add(x1, "10.9.0.1", 24, 0);
	add(x6, "10.9.0.1", 24, 0);
	add(x4, "10.7.0.1", 24, 0);
	add(x5, "10.8.0.0", 31, 0);
	add(x5, "10.0.6.1", 24, 0);
	add(x6, "10.0.6.1", 24, 0);
	add(x6, "fe80::6", 64, 0);
	ifa_update(t, &(struct ifa_info){ .ip = ip("10.98.0.1"), .prefix = pfx("10.98.0.2/32"),
		.opposite = ip("10.98.0.2"), .flags = IA_PEER | IA_OPPOSITE, .scope = SCOPE_SITE });

	/* BIRD: the longest prefix wins ("via 10.0.5.9 on x1"), the first
	 * interface on a tie ("via 10.0.6.9 on x5", "via 10.9.0.5 on x0") */
	assert_ptr_equal(if_neighbor(ip("10.0.5.9"), NULL, false), x1);
	assert_ptr_equal(if_neighbor(ip("10.0.6.9"), NULL, false), x5);
	assert_ptr_equal(if_neighbor(ip("10.9.0.5"), NULL, false), x0);
	/* named: only that interface ("via 10.9.0.5%x6" is "on x6") */
	assert_ptr_equal(if_neighbor(ip("10.9.0.5"), x6, false), x6);
	assert_null(if_neighbor(ip("10.9.0.5"), x5, false));
	/* an own address on an interface that is down still counts; nothing
	 * else there does ("via 10.7.0.1 on x4", 10.7.0.2 hidden) */
	assert_ptr_equal(if_neighbor(ip("10.7.0.1"), NULL, false), x4);
	assert_null(if_neighbor(ip("10.7.0.2"), NULL, false));
	/* /31: both ends; /24: not its network or broadcast address */
	assert_ptr_equal(if_neighbor(ip("10.8.0.1"), NULL, false), x5);
	assert_ptr_equal(if_neighbor(ip("10.8.0.0"), NULL, false), x5);
	assert_null(if_neighbor(ip("10.9.0.255"), x0, false));
	assert_null(if_neighbor(ip("10.9.0.0"), x0, false));
	/* a point-to-point peer */
	assert_ptr_equal(if_neighbor(ip("10.98.0.2"), NULL, false), t);
	assert_null(if_neighbor(ip("10.98.0.3"), NULL, false));
	/* onlink: anything on the named interface while it is up */
	assert_ptr_equal(if_neighbor(ip("10.99.9.9"), x0, true), x0);
	assert_null(if_neighbor(ip("10.99.9.9"), x4, true));
	assert_null(if_neighbor(ip("10.99.9.9"), NULL, false));
	/* link-local: named, and the interface has a link-local address */
	assert_ptr_equal(if_neighbor(ip("fe80::2"), x6, false), x6);
	assert_null(if_neighbor(ip("fe80::2"), x0, false));
	assert_null(if_neighbor(ip("fe80::2"), NULL, false));
	if_flush();
}

struct seen {
	unsigned ifaces, addrs_added, addrs_removed, last_what;
	char order[64];
};

static void
on_iface(struct if_sub *s, struct iface *i, unsigned what)
{
	struct seen *w = s->data;

	(void)i;
	w->ifaces++;
	w->last_what = what;
	if (what & IFC_REMOVED)
		strcat(w->order, "I");
}

static void
on_addr(struct if_sub *s, struct ifa *a, bool added)
{
	struct seen *w = s->data;

	(void)a;
	if (added)
		w->addrs_added++;
	else {
		w->addrs_removed++;
		strcat(w->order, "a");
	}
}

static void
test_notify(void **state)
{
	struct seen w = { 0 };
	struct if_sub s = { .iface = on_iface, .addr = on_addr, .data = &w };

	(void)state;
	if_subscribe(&s);
	struct iface *x = mk(2, "x0", UP);
	assert_int_equal(w.last_what, IFC_ADDED);
	mk(2, "x0", UP);			/* nothing changed: not told */
	assert_int_equal(w.ifaces, 1);
	mk(2, "x0", UP & ~IF_LINK_UP);
	assert_int_equal(w.last_what, IFC_LINK);
	x = mk(2, "x0", UP & ~(IF_LINK_UP | IF_UP));
	assert_int_equal(w.last_what, IFC_UP);
	add(x, "10.0.0.1", 24, 0);		/* the first: preferred moves too */
	assert_int_equal(w.addrs_added, 1);
	assert_int_equal(w.last_what, IFC_PREFERRED);
	add(x, "10.0.0.1", 24, 0);		/* again, the same: not told */
	assert_int_equal(w.addrs_added, 1);
	add(x, "10.0.1.1", 24, 0);

	/* a scan that no longer sees one address removes it */
	if_scan_begin();
	mk(2, "x0", UP & ~(IF_LINK_UP | IF_UP));
	add(x, "10.0.0.1", 24, 0);
	if_scan_end(true);
	assert_int_equal(w.addrs_removed, 1);
	assert_non_null(x->addrs);
	assert_null(x->addrs->next);

	/* renamed: BIRD drops it and learns a new one, listed last */
	mk(3, "x1", UP);
	struct iface *r = mk(2, "x0new", UP);
	assert_string_equal(if_first()->name, "x1");
	assert_ptr_equal(if_first()->next, r);
	assert_null(r->addrs);
	assert_string_equal(if_name_of(2), "x0new");
	assert_null(if_name_of(5));

	/* removal: addresses first, then the interface */
	add(r, "10.0.3.1", 24, 0);
	add(r, "10.0.4.1", 24, 0);
	w.order[0] = 0;
	if_delete(2);
	assert_string_equal(w.order, "aaI");
	assert_int_equal(if_count(), 1);
	if_unsubscribe(&s);
	if_flush();
	assert_int_equal(if_count(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_order_and_preferred),
		cmocka_unit_test(test_neighbors),
		cmocka_unit_test(test_notify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
