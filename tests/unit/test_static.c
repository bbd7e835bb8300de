/* LINK: core/static.c core/iface.c core/channel.c core/proto.c core/pipe.c core/table.c core/attr.c core/net.c core/mem.c core/log.c core/time.c core/loop.c kernel/dev.c kernel/netlink.c */
/*
 * Static next hops against the interface registry, without the kernel:
 * interfaces and addresses are fed to core/iface.c by hand, the VM and
 * the language are stubbed (every filter accepts). What each step must
 * give is what BIRD 2.0.12 gave for the same config and the same changes
 * in a network namespace (tests/integration/test_static_iface.py runs it
 * beside BIRD): resolution by connected prefix, `via "iface"`, multipath
 * order, `check link`, address changes, recursive routes through the IGP
 * table and their in-place update, invalid next hops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/channel.h"
#include "core/cli_int.h"
#include "core/iface.h"
#include "core/loop.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "vm/vm.h"

/* ---- stubs ---------------------------------------------------------------- */

struct config *config;
static int fake_prog;

struct vm_prog *vm_compile(const struct config *c, char *err, size_t errlen)
{
	(void)c, (void)err, (void)errlen;
	return (struct vm_prog *)(void *)&fake_prog;
}
void vm_prog_free(struct vm_prog *p) { (void)p; }
void vm_log_errors(struct vm_prog *p, bool on) { (void)p, (void)on; }
const struct vm_func *vm_find_spec(struct vm_prog *p, const struct f_filter *f)
{
	(void)p, (void)f;
	return NULL;
}
void vm_cache_trim(struct vm_prog *p) { (void)p; }
enum vm_verdict vm_run_filter(struct vm_prog *p, const struct vm_func *f, const struct vm_route *r,
    struct vm_result *res)
{
	(void)p, (void)f, (void)r;
	memset(res, 0, sizeof *res);
	return res->verdict = VM_ACCEPT;
}
bool vm_func_same_in(const struct vm_prog *pa, const struct vm_func *f, const struct vm_prog *pb,
    const struct vm_func *g)
{
	(void)pa, (void)pb;
	return f == g;
}
void cf_walk_symbols(const struct cf_scope *s, void (*fn)(const struct cf_symbol *, void *), void *arg)
{
	(void)s, (void)fn, (void)arg;
}
void cli_msg(struct cli *c, int code, const char *fmt, ...)
{
	(void)c, (void)code, (void)fmt;
}

/* ---- helpers --------------------------------------------------------------- */

#define UP (IF_UP | IF_LINK_UP | IF_MULTIACCESS | IF_BROADCAST | IF_MULTICAST)

static struct config conf;
static struct proto_config pc[2];
static struct chan_config cc[2];
static struct static_config sc[2];
static struct static_route rt[16];
static struct static_nexthop nh[16];
static unsigned n_rt, n_nh;

static ip_addr
ip(const char *s)
{
	ip_addr a;

	assert_int_equal(ip_parse(s, &a), 0);
	return a;
}

static struct static_route *
route(int proto, const char *net, unsigned dest)
{
	struct static_route *r = &rt[n_rt++], **pp = &sc[proto].routes;

	assert_int_equal(net_parse(net, &r->net), 0);
	r->dest = dest;
	while (*pp)
		pp = &(*pp)->next;
	*pp = r;
	return r;
}

static void
via(struct static_route *r, const char *gw, const char *iface, unsigned weight, bool onlink)
{
	struct static_nexthop *x = &nh[n_nh++], **pp = &r->nh;

	x->gw = gw ? ip(gw) : (ip_addr){ { 0 } };
	x->iface = (char *)(uintptr_t)iface;
	x->weight = weight;
	x->onlink = onlink;
	while (*pp)
		pp = &(*pp)->next;
	*pp = x;
}

static void
addr(uint32_t index, const char *a, unsigned len)
{
	struct iface *i = if_find_index(index);
	struct ifa_info in = { .ip = ip(a), .scope = SCOPE_SITE };

	in.prefix = net_ip4(ip4_to_u32(in.ip), len);
	in.brd = ip4_from_u32(ip4_to_u32(in.ip) | (0xffffffffu >> len));
	ifa_update(i, &in);
}

static void
iface(uint32_t index, const char *name, uint32_t flags)
{
	if_update(&(struct if_info){ .index = index, .name = name, .flags = flags, .mtu = 1500 });
}

/* let the deferred resolution run */
static void
settle(void)
{
	for (int k = 0; k < 5; k++)
		event_base_loop(loop_base, EVLOOP_NONBLOCK);
}

/* the route of net in master4 as `show route` would print its next hops:
 * "unicast via 10.0.0.2 on eth0", "unreachable", or "" when absent */
static const char *
show(const char *net)
{
	static char buf[512];
	net_addr n;
	char g[IP_STR_MAX];

	assert_int_equal(net_parse(net, &n), 0);
	struct net *x = rt_find(rt_tab_find("master4")->t, &n);
	if (!x || !x->routes)
		return "";
	const struct rta *a = x->routes->attrs;
	snprintf(buf, sizeof buf, "%s", a->dest == RTD_UNICAST ? "unicast" :
		 a->dest == RTD_UNREACHABLE ? "unreachable" : a->dest == RTD_BLACKHOLE ? "blackhole" : "?");
	for (unsigned k = 0; k < a->nh_count; k++) {
		const struct nexthop *h = &rta_nexthops(a)[k];
		size_t l = strlen(buf);
		if (ip_eq(h->gw, (ip_addr){ { 0 } }))
			snprintf(buf + l, sizeof buf - l, " dev %s", if_name_of(h->ifindex));
		else
			snprintf(buf + l, sizeof buf - l, " via %s on %s", ip_format(h->gw, g),
				 if_name_of(h->ifindex));
	}
	return buf;
}

static void
setup_protos(void)
{
	memset(&conf, 0, sizeof conf);
	config = &conf;
	for (int k = 0; k < 2; k++) {
		cc[k].family = CF_AF_IPV4;
		pc[k].kind = "static";
		pc[k].channels = &cc[k];
		pc[k].opts = &sc[k];
	}
	pc[0].name = "s4";
	pc[1].name = "sigp";
	pc[0].next = &pc[1];
	conf.protos = &pc[0];
}

static void
test_next_hops(void **state)
{
	(void)state;
	loop_init();
	setup_protos();
	iface(2, "eth0", UP);
	iface(3, "eth1", UP);
	addr(2, "10.0.0.1", 24);
	addr(3, "10.1.0.1", 24);
	sc[0].check_link = true;
	via(route(0, "172.16.1.0/24", SD_VIA), "10.0.0.2", NULL, 0, false);
	via(route(0, "172.16.2.0/24", SD_VIA), NULL, "eth0", 0, false);
	struct static_route *mp = route(0, "172.16.3.0/24", SD_VIA);
	via(mp, "10.0.0.2", NULL, 1, false);
	via(mp, "10.1.0.2", NULL, 3, false);
	via(route(0, "172.16.4.0/24", SD_VIA), "10.2.0.2", NULL, 0, false);
	via(route(0, "172.16.5.0/24", SD_VIA), "10.0.0.255", NULL, 0, false);
	via(route(0, "172.16.6.0/24", SD_VIA), "10.9.9.9", "eth1", 0, true);
	via(route(0, "172.16.7.0/24", SD_VIA), "224.0.0.5", NULL, 0, false);
	route(0, "172.16.8.0/24", SD_RECURSIVE)->via = ip("10.50.1.5");
	route(0, "172.16.9.0/24", SD_RECURSIVE)->via = ip("10.60.0.1");
	route(0, "172.16.10.0/24", SD_RECURSIVE)->via = ip("10.99.0.1");
	/* the IGP routes, in the same table */
	via(route(1, "10.50.0.0/16", SD_VIA), "10.0.0.2", NULL, 0, false);
	via(route(1, "10.60.0.0/16", SD_VIA), NULL, "eth1", 0, false);

	proto_commit(&conf);
	settle();
	/* what BIRD showed for the same routes */
	assert_string_equal(show("172.16.1.0/24"), "unicast via 10.0.0.2 on eth0");
	assert_string_equal(show("172.16.2.0/24"), "unicast dev eth0");
	assert_string_equal(show("172.16.3.0/24"), "unicast via 10.1.0.2 on eth1 via 10.0.0.2 on eth0");
	assert_string_equal(show("172.16.4.0/24"), "");		/* on no connected prefix */
	assert_string_equal(show("172.16.5.0/24"), "");		/* a broadcast address */
	assert_string_equal(show("172.16.6.0/24"), "unicast via 10.9.9.9 on eth1");	/* onlink */
	assert_string_equal(show("172.16.7.0/24"), "");		/* "Invalid next hop" */
	assert_string_equal(show("172.16.8.0/24"), "unicast via 10.0.0.2 on eth0");
	assert_string_equal(show("172.16.9.0/24"), "unicast via 10.60.0.1 on eth1");
	assert_string_equal(show("172.16.10.0/24"), "unreachable");

	/* carrier lost on eth0, with check link */
	iface(2, "eth0", UP & ~IF_LINK_UP);
	settle();
	assert_string_equal(show("172.16.1.0/24"), "");
	assert_string_equal(show("172.16.2.0/24"), "");
	assert_string_equal(show("172.16.3.0/24"), "unicast via 10.1.0.2 on eth1");
	iface(2, "eth0", UP);
	settle();
	assert_string_equal(show("172.16.1.0/24"), "unicast via 10.0.0.2 on eth0");

	/* an address comes: its next hops resolve; a longer prefix takes over */
	addr(3, "10.2.0.1", 24);
	settle();
	assert_string_equal(show("172.16.4.0/24"), "unicast via 10.2.0.2 on eth1");
	iface(4, "eth2", UP);
	addr(4, "10.0.0.1", 25);
	settle();
	assert_string_equal(show("172.16.1.0/24"), "unicast via 10.0.0.2 on eth2");
	net_addr p25 = net_ip4(0x0a000000, 25);
	ifa_delete(if_find_index(4), ip("10.0.0.1"), &p25);
	settle();
	assert_string_equal(show("172.16.1.0/24"), "unicast via 10.0.0.2 on eth0");

	/* the IGP route of 172.16.9.0/24 goes; a more specific one comes
	 * for 172.16.8.0/24: both follow, keeping their age */
	struct net *n8 = rt_find(rt_tab_find("master4")->t, &rt[7].net);
	int64_t age = n8->routes->lastmod;
	struct proto *igp = proto_find("sigp"), *s4 = proto_find("s4");
	uint32_t upd = s4->main->st.imp_updates_received;
	assert_true(age != 0);
	proto_disable(igp, NULL);
	settle();
	assert_string_equal(show("172.16.9.0/24"), "unreachable");
	assert_string_equal(show("172.16.8.0/24"), "unreachable");
	proto_enable(igp);
	settle();
	assert_string_equal(show("172.16.8.0/24"), "unicast via 10.0.0.2 on eth0");
	n8 = rt_find(rt_tab_find("master4")->t, &rt[7].net);
	assert_true(n8->routes->lastmod == age);
	/* no import counted for a next-hop update, as in BIRD */
	assert_int_equal(s4->main->st.imp_updates_received, upd);
	iface(3, "eth1", UP & ~IF_UP);
	settle();
	assert_string_equal(show("172.16.9.0/24"), "unreachable");	/* its IGP route is gone */
	assert_string_equal(show("172.16.6.0/24"), "");
	assert_true(s4->main->st.imp_updates_received > upd);	/* 172.16.3 changed */

	/* the device protocol stops: every interface goes */
	if_flush();
	settle();
	assert_string_equal(show("172.16.1.0/24"), "");
	assert_string_equal(show("172.16.8.0/24"), "unreachable");

	/* the protocols' memory is charged to show memory's Protocols row,
	 * and all of it is given back */
	struct mem_usage u;
	mem_usage(MEM_PROTOS, &u);
	assert_true(u.effective > 0);
	proto_shutdown_all();
	rt_tabs_free();
	assert_int_equal(rta_count(), 0);
	mem_usage(MEM_PROTOS, &u);
	assert_int_equal(u.effective, 0);
	loop_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_hops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
