/* LINK: core/channel.c core/proto.c core/static.c core/pipe.c core/table.c core/attr.c core/net.c core/mem.c core/log.c core/time.c core/loop.c core/iface.c kernel/dev.c kernel/netlink.c */
/*
 * Channels, limits and counters, and static route insertion, with the VM
 * and the language stubbed: a "filter" here rejects prefixes longer than
 * /24 and sets the preference to 123 otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/channel.h"
#include "core/iface.h"
#include "core/cli_int.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "vm/vm.h"

/* ---- stubs ---------------------------------------------------------------- */

struct config *config;
static int fake_prog;
static const struct vm_func *fake_func = (const struct vm_func *)(const void *)&fake_prog;

struct vm_prog *vm_compile(const struct config *c, char *err, size_t errlen)
{
	(void)c, (void)err, (void)errlen;
	return (struct vm_prog *)(void *)&fake_prog;
}
void vm_prog_free(struct vm_prog *p) { (void)p; }
void vm_log_errors(struct vm_prog *p, bool on) { (void)p, (void)on; }
const struct vm_func *vm_find_spec(struct vm_prog *p, const struct f_filter *f)
{
	(void)p;
	return f ? fake_func : NULL;
}
void vm_cache_trim(struct vm_prog *p) { (void)p; }
enum vm_verdict vm_run_filter(struct vm_prog *p, const struct vm_func *f, const struct vm_route *r,
    struct vm_result *res)
{
	(void)p, (void)f;
	memset(res, 0, sizeof *res);
	res->verdict = r->net->pxlen > 24 ? VM_REJECT : VM_ACCEPT;
	res->preference = 123;
	return res->verdict;
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

static struct proto_config pc;
static struct chan_config cc;
static struct static_config sc;
static struct proto *P;

static struct rta *
blackhole(void)
{
	struct rta_builder b;

	rta_build_start(&b, NULL);
	b.source = RTS_STATIC;
	b.dest = RTD_BLACKHOLE;
	return rta_build_finish(&b);
}

static net_addr
pfx(uint32_t a, unsigned len)
{
	return net_ip4(a, len);
}

static struct channel *
setup_channel(void)
{
	static struct config conf;

	config = &conf;
	rt_tabs_sync(&conf);
	memset(&pc, 0, sizeof pc);
	memset(&cc, 0, sizeof cc);
	memset(&sc, 0, sizeof sc);
	cc.family = CF_AF_IPV4;
	pc.kind = "static";
	pc.name = "s";
	pc.channels = &cc;
	pc.opts = &sc;
	P = xzalloc(sizeof *P);
	P->ops = &static_ops;
	P->cf = &pc;
	P->name = xstrdup("s");
	struct channel *c = proto_add_channel(P, &cc, "ipv4", NULL);
	chan_up(c);
	return c;
}

static void
teardown_channel(struct channel *c)
{
	chan_free(c);
	free(P->name);
	free(P);
	rt_tabs_free();
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_counters(void **state)
{
	(void)state;
	struct channel *c = setup_channel();
	struct rta *a = blackhole();
	net_addr n1 = pfx(0x0a000000, 8), n2 = pfx(0x0a010000, 16);

	assert_int_equal(chan_import(c, &n1, a, 0), RTE_ADDED);
	assert_int_equal(chan_import(c, &n2, a, 0), RTE_ADDED);
	assert_int_equal(chan_import(c, &n2, a, 0), RTE_UNCHANGED);
	chan_withdraw(c, &n1, 0);
	chan_withdraw(c, &n1, 0);
	const struct chan_stats *s = &c->st;
	assert_int_equal(s->imp_updates_received, 3);
	assert_int_equal(s->imp_updates_accepted, 2);
	assert_int_equal(s->imp_updates_ignored, 1);
	assert_int_equal(s->imp_withdraws_received, 2);
	assert_int_equal(s->imp_withdraws_accepted, 1);
	assert_int_equal(s->imp_withdraws_ignored, 1);
	assert_int_equal(s->imp_routes, 1);
	assert_int_equal(s->pref_routes, 1);
	rta_unref(a);
	teardown_channel(c);
	assert_int_equal(rta_count(), 0);
}

static void
test_filter_and_keep_filtered(void **state)
{
	(void)state;
	struct channel *c = setup_channel();
	struct rta *a = blackhole();
	static struct f_filter *dummy;
	net_addr ok = pfx(0x0a000000, 16), bad = pfx(0x0a000000, 28);

	cc.in.kind = CHF_NAMED;
	cc.in.name = "f";
	cc.in.code = (const void *)&dummy;
	chan_bind(c, &cc, config);
	assert_int_equal(chan_import(c, &ok, a, 0), RTE_ADDED);
	assert_int_equal(chan_import(c, &bad, a, 0), -1);
	assert_int_equal(c->st.imp_updates_filtered, 1);
	assert_null(rt_find(c->tab->t, &bad));
	struct rte *e = rt_find(c->tab->t, &ok)->routes;
	assert_int_equal(e->pref, 123);	/* the filter's preference */

	cc.keep_filtered = true;
	assert_int_equal(chan_import(c, &bad, a, 0), -1);
	assert_non_null(rt_find(c->tab->t, &bad));
	assert_int_equal(c->st.filt_routes, 1);
	assert_int_equal(c->st.imp_routes, 1);
	rta_unref(a);
	teardown_channel(c);
}

static void
test_limits(void **state)
{
	(void)state;
	struct channel *c = setup_channel();
	struct rta *a = blackhole();

	cc.in_limit = (struct chan_limit){ 2, LIMIT_BLOCK };
	for (uint32_t i = 0; i < 4; i++) {
		net_addr n = pfx(0x0a000000 + (i << 16), 16);
		chan_import(c, &n, a, 0);
	}
	assert_int_equal(c->st.imp_routes, 2);
	assert_int_equal(c->st.imp_updates_ignored, 2);
	assert_int_equal(c->in_hit, CLS_BLOCKED);
	/* an update of a route present passes the limit */
	net_addr first = pfx(0x0a000000, 16);
	assert_int_equal(chan_import(c, &first, a, 0), RTE_UNCHANGED);
	/* BIRD: blocked stays blocked below the limit, until a reload */
	chan_withdraw(c, &first, 0);
	assert_int_equal(c->in_hit, CLS_BLOCKED);
	assert_int_equal(chan_import(c, &first, a, 0), -1);
	assert_int_equal(c->st.imp_updates_ignored, 4);
	c->in_hit = CLS_OK;
	assert_int_equal(chan_import(c, &first, a, 0), RTE_ADDED);
	assert_int_equal(c->st.imp_routes, 2);

	/* disable: deferred, then the protocol goes down */
	cc.in_limit = (struct chan_limit){ 1, LIMIT_DISABLE };
	net_addr n = pfx(0x0b000000, 16);
	chan_import(c, &n, a, 0);
	assert_int_equal(P->pending & PROTO_PENDING_DISABLE, PROTO_PENDING_DISABLE);
	rta_unref(a);
	teardown_channel(c);
}

static void
test_static_routes(void **state)
{
	(void)state;
	static struct config conf;
	static struct static_route r[3];
	static struct static_nexthop nh[2];

	config = &conf;
	memset(&pc, 0, sizeof pc);
	memset(&cc, 0, sizeof cc);
	memset(&sc, 0, sizeof sc);
	memset(r, 0, sizeof r);
	memset(nh, 0, sizeof nh);
	cc.family = CF_AF_IPV4;
	pc.kind = "static";
	pc.name = "st";
	pc.channels = &cc;
	pc.opts = &sc;
	r[0].net = pfx(0x0a000000, 8);
	r[0].dest = SD_BLACKHOLE;
	r[1].net = pfx(0x0b000000, 8);
	r[1].dest = SD_VIA;
	r[1].nh = &nh[0];
	nh[0].gw = ip4_from_u32(0xc0000202);
	nh[0].weight = 3;
	nh[0].next = &nh[1];
	nh[1].gw = ip4_from_u32(0xc0000201);
	nh[1].weight = 1;
	r[2].net = pfx(0x0c000000, 8);
	r[2].dest = SD_PROHIBIT;
	r[0].next = &r[1];
	r[1].next = &r[2];
	sc.routes = &r[0];
	conf.protos = &pc;
	/* the next hops lie on an interface that is up (core/iface.h) */
	struct iface *ifc = if_update(&(struct if_info){ .index = 2, .name = "eth0",
		.flags = IF_UP | IF_LINK_UP | IF_MULTIACCESS, .mtu = 1500 });
	ifa_update(ifc, &(struct ifa_info){ .ip = ip4_from_u32(0xc0000209),
		.prefix = net_ip4(0xc0000200, 24), .brd = ip4_from_u32(0xc00002ff), .scope = SCOPE_UNIVERSE });
	proto_commit(&conf);
	struct proto *p = proto_find("st");
	assert_non_null(p);
	assert_string_equal(proto_state_name(p), "up");
	struct rtable *t = rt_tab_find("master4")->t;
	assert_int_equal(t->nets, 3);
	struct rte *e = rt_find(t, &r[1].net)->routes;
	assert_int_equal(e->attrs->dest, RTD_UNICAST);
	assert_int_equal(e->attrs->nh_count, 2);
	/* BIRD's order: the heavier first */
	assert_int_equal(rta_nexthops(e->attrs)[0].weight, 2);
	assert_int_equal(rta_nexthops(e->attrs)[0].ifindex, 2);
	assert_int_equal(rta_nexthops(e->attrs)[1].weight, 0);
	assert_int_equal(e->pref, 200);
	assert_int_equal(rt_find(t, &r[2].net)->routes->attrs->dest, RTD_PROHIBIT);

	/* the same config again: untouched */
	int64_t since = p->since;
	proto_commit(&conf);
	assert_ptr_equal(proto_find("st"), p);
	assert_int_equal(p->since, since);
	proto_disable(p, NULL);
	assert_int_equal(t->nets, 0);
	proto_enable(p);
	assert_int_equal(t->nets, 3);
	proto_shutdown_all();
	rt_tabs_free();
	if_flush();
	assert_int_equal(rta_count(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_filter_and_keep_filtered),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_static_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
