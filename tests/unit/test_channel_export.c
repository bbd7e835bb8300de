/* LINK: core/channel.c core/proto.c core/pipe.c core/table.c core/attr.c core/net.c core/mem.c core/log.c core/time.c core/loop.c */
/*
 * The export side of channels: pipes that pass every route, BIRD's export
 * counters, the bitmap of what a protocol was given (a withdraw only for a
 * route it got), feeds and refeeds, merged (ECMP) exports, ghosts of
 * emptied nets, and chan_reconfigure's verdicts. The VM and the language
 * are stubbed: a "filter" rejects prefixes longer than /24, and the
 * export filter `mark` (fake_mark) sets bgp_med 7 on what it accepts. A
 * stub "static" protocol imports the routes a test gives it.
 *
 * The counters expected in test_pipe_two_routes are those a real BIRD
 * 2.0.12 prints for the same setup (tests/integration/test_routes_cli.py
 * runs the same comparison against a live BIRD).
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
#include "core/loop.h"
#include "core/mem.h"
#include "lang/ast.h"
#include "lang/lang.h"
#include "vm/vm.h"

/* ---- stubs: VM, language, CLI ---------------------------------------------- */

struct config *config;
static int fake_prog, fake_filter, fake_mark, fake_mark2;
static const struct vm_func *const F_REJECT_LONG = (const void *)&fake_filter;
static const struct vm_func *const F_MARK = (const void *)&fake_mark;
static const struct vm_func *const F_MARK2 = (const void *)&fake_mark2;	/* same code as mark */
static struct f_filter filt_long, filt_mark, filt_mark2;	/* what configs point at */

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
	return f == &filt_mark ? F_MARK : f == &filt_mark2 ? F_MARK2 : f ? F_REJECT_LONG : NULL;
}
bool vm_func_same_in(const struct vm_prog *pa, const struct vm_func *f, const struct vm_prog *pb,
    const struct vm_func *g)
{
	(void)pa, (void)pb;
	return f == g || ((f == F_MARK || f == F_MARK2) && (g == F_MARK || g == F_MARK2));
}
void vm_cache_trim(struct vm_prog *p) { (void)p; }
enum vm_verdict vm_run_filter(struct vm_prog *p, const struct vm_func *f, const struct vm_route *r,
    struct vm_result *res)
{
	(void)p;
	memset(res, 0, sizeof *res);
	res->verdict = r->net->pxlen > 24 ? VM_REJECT : VM_ACCEPT;
	if (res->verdict == VM_ACCEPT && (f == F_MARK || f == F_MARK2)) {
		struct rta_builder b;
		rta_build_start(&b, r->attrs);
		rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0x80, 7);
		res->attrs = rta_build_finish(&b);
	}
	return res->verdict;
}
static struct cf_symbol t2_sym;
static struct f_table t2_table = { .name = "t2", .type = TAB_IPV4 };
void cf_walk_symbols(const struct cf_scope *s, void (*fn)(const struct cf_symbol *, void *), void *arg)
{
	(void)s;
	t2_sym.name = "t2";
	t2_sym.class = SYM_TABLE;
	t2_sym.u.ptr = &t2_table;
	fn(&t2_sym, arg);
}
void cli_msg(struct cli *c, int code, const char *fmt, ...)
{
	(void)c, (void)code, (void)fmt;
}

/* ---- a stub static protocol: imports the routes of its table ------------------ */

struct sroute {
	const char *proto;	/* which protocol announces it */
	net_addr net;
	unsigned dest;		/* RTD_* */
	uint32_t gw;		/* RTD_UNICAST: one gateway (IPv4, host order) */
};
static struct sroute sroutes[16];
static unsigned n_sroutes;

static struct rta *
sattrs(const struct sroute *r)
{
	struct rta_builder b;
	struct nexthop nh = { .gw = ip4_from_u32(r->gw) };

	rta_build_start(&b, NULL);
	b.source = RTS_STATIC;
	b.scope = SCOPE_UNIVERSE;
	b.dest = (uint8_t)r->dest;
	if (r->dest == RTD_UNICAST)
		rta_build_nexthops(&b, &nh, 1);
	return rta_build_finish(&b);
}

static void
s_announce(struct proto *p)
{
	for (unsigned i = 0; i < n_sroutes && p->main; i++)
		if (!strcmp(sroutes[i].proto, p->name)) {
			struct rta *a = sattrs(&sroutes[i]);
			chan_import(p->main, &sroutes[i].net, a, 0);
			rta_unref(a);
		}
}

static enum proto_state
s_start(struct proto *p)
{
	struct channel *c = proto_add_channel(p, p->cf->channels, "ipv4", NULL);

	chan_up(c);
	s_announce(p);
	return PS_UP;
}

static bool
s_same(const struct proto_config *a, const struct proto_config *b)
{
	(void)a, (void)b;
	return true;
}

static bool
s_mergable(const struct rte *a, const struct rte *b)
{
	(void)a, (void)b;
	return true;
}

const struct proto_ops dev_ops = { .kind = "device", .label = "Device", .pref = 240 };

const struct proto_ops static_ops = {
	.kind = "static", .label = "Static", .pref = 200, .start = s_start, .same = s_same,
	.mergable = s_mergable, .reload = s_announce,
};

/* ---- a protocol that records what it is given ------------------------------------ */

struct given {
	net_addr net;
	int64_t new_src, old_src;	/* -1: none */
	unsigned nh;			/* next hops of new */
	bool marked;			/* new has med 7 */
};
static struct given given[64];
static unsigned n_given;

static void
r_notify(struct proto *p, struct channel *c, const net_addr *n, struct rte *nr, struct rte *or)
{
	(void)p, (void)c;
	assert_true(n_given < 64);
	given[n_given++] = (struct given){
		.net = *n,
		.new_src = nr ? (int64_t)nr->src : -1,
		.old_src = or ? (int64_t)or->src : -1,
		.nh = nr ? nr->attrs->nh_count : 0,
		.marked = nr && ea_find(nr->attrs, EA_BGP_MED) && ea_find(nr->attrs, EA_BGP_MED)->val == 7,
	};
}

static const struct proto_ops rec_ops = { .kind = "rec", .label = "Rec", .pref = 10,
	.rt_notify = r_notify };

/* ---- configs ------------------------------------------------------------------- */

static struct config conf;
static struct cf_scope root;		/* cf_walk_symbols (stubbed) declares t2 */
static struct proto_config pcs[4];
static struct chan_config ccs[4];
static struct pipe_config pipe_cf;
static struct rtable_config rc_master4 = { "master4", CF_AF_IPV4, false };
static struct rtable_config rc_t2 = { "t2", CF_AF_IPV4, false };

static net_addr
pfx(const char *s)
{
	net_addr n;

	assert_int_equal(net_parse(s, &n), 0);
	return n;
}

static void
add_route(const char *proto, const char *net, unsigned dest, uint32_t gw)
{
	sroutes[n_sroutes++] = (struct sroute){ proto, pfx(net), dest, gw };
}

/* statics "a" (preference 200) and "b" (150) into master4, pipe "p" from
 * master4 to t2 with export `all` and import `none` (the s1 setup) */
static void
setup_pipe(bool pipe_first)
{
	memset(&conf, 0, sizeof conf);
	memset(pcs, 0, sizeof pcs);
	memset(ccs, 0, sizeof ccs);
	config = &conf;
	conf.root = &root;
	for (int i = 0; i < 3; i++) {
		ccs[i].family = CF_AF_IPV4;
		ccs[i].table = &rc_master4;
		pcs[i].channels = &ccs[i];
	}
	int a = pipe_first ? 1 : 0, b = pipe_first ? 2 : 1, p = pipe_first ? 0 : 2;
	pcs[a].kind = "static";
	pcs[a].name = "a";
	pcs[b].kind = "static";
	pcs[b].name = "b";
	ccs[b].preference = 150;
	pcs[p].kind = "pipe";
	pcs[p].name = "p";
	pcs[p].opts = &pipe_cf;
	pipe_cf.peer = &rc_t2;
	ccs[p].out.kind = CHF_ALL;
	ccs[p].in.kind = CHF_NONE;
	pcs[0].next = &pcs[1];
	pcs[1].next = &pcs[2];
	conf.protos = &pcs[0];
	n_sroutes = 0;
	add_route("a", "10.1.0.0/16", RTD_BLACKHOLE, 0);
	add_route("a", "10.2.0.0/16", RTD_BLACKHOLE, 0);
	add_route("b", "10.1.0.0/16", RTD_UNREACHABLE, 0);
	add_route("b", "10.3.0.0/16", RTD_UNREACHABLE, 0);
	proto_commit(&conf);
}

static void
teardown(void)
{
	proto_shutdown_all();
	rt_tabs_free();
	assert_int_equal(rta_count(), 0);
}

static unsigned
routes_of(struct rtable *t, const char *net, uint32_t *srcs)
{
	net_addr n = pfx(net);
	struct net *x = rt_find(t, &n);
	unsigned k = 0;

	for (struct rte *e = x ? x->routes : NULL; e; e = e->next)
		srcs[k++] = e->src;
	return k;
}

static struct channel *
chan_of(const char *proto, int i)
{
	struct proto *p = proto_find(proto);
	struct channel *c = p ? p->channels : NULL;

	while (c && i--)
		c = c->next;
	assert_non_null(c);
	return c;
}

/* ---- tests ------------------------------------------------------------------------ */

/* both routes of 10.1.0.0/16 reach the peer table, each under its source,
 * with the pipe's channel as sender; counters as BIRD 2.0.12 shows them:
 *   Routes: 0 imported, 4 exported
 *   Import updates: 8 received, 8 rejected (the pipe's own routes, seen as
 *     they arrive in t2 and again by the feed of t2)
 *   Export updates: 4 received, 4 accepted */
static void
test_pipe_two_routes(void **state)
{
	(void)state;
	setup_pipe(false);
	struct rtable *t2 = rt_tab_find("t2")->t, *m4 = rt_tab_find("master4")->t;
	struct channel *a = chan_of("a", 0), *b = chan_of("b", 0);
	struct channel *pri = chan_of("p", 0), *sec = chan_of("p", 1);
	uint32_t s[4];

	assert_int_equal(routes_of(t2, "10.1.0.0/16", s), 2);
	assert_int_equal(s[0], a->src);		/* best first, as in master4 */
	assert_int_equal(s[1], b->src);
	net_addr n = pfx("10.1.0.0/16");
	struct net *x = rt_find(t2, &n);
	assert_int_equal(x->routes->sender, sec->src);
	assert_int_equal(x->routes->pref, 200);
	assert_int_equal(x->routes->next->pref, 150);
	assert_int_equal(t2->routes, 4);
	assert_int_equal(m4->routes, 4);

	/* BIRD's pipe view: s1 = pri, s2 = sec */
	assert_int_equal(pri->st.imp_routes, 0);
	assert_int_equal(sec->st.imp_routes, 4);
	assert_int_equal(sec->st.exp_updates_received, 8);
	assert_int_equal(sec->st.exp_updates_rejected, 8);
	assert_int_equal(pri->st.exp_updates_received, 4);
	assert_int_equal(pri->st.exp_updates_accepted, 4);
	assert_int_equal(sec->st.imp_updates_accepted, 4);
	assert_int_equal(pri->st.exp_routes, 4);
	/* preferred routes count on the sender: the pipe's in t2 */
	assert_int_equal(a->st.pref_routes, 2);
	assert_int_equal(b->st.pref_routes, 1);
	assert_int_equal(sec->st.pref_routes, 3);

	/* disable a: both its routes leave t2 (BIRD: export withdraws 2/2,
	 * import withdraws received 2), b's 10.1 becomes best there too */
	proto_disable(proto_find("a"), NULL);
	assert_int_equal(routes_of(t2, "10.1.0.0/16", s), 1);
	assert_int_equal(s[0], b->src);
	assert_int_equal(t2->routes, 2);
	assert_int_equal(pri->st.exp_withdraws_received, 2);
	assert_int_equal(pri->st.exp_withdraws_accepted, 2);
	assert_int_equal(sec->st.imp_withdraws_accepted, 2);
	assert_int_equal(sec->st.exp_withdraws_received, 2);
	assert_int_equal(pri->st.exp_routes, 2);

	/* and back: BIRD shows import 10/10, export 6/6 */
	proto_enable(proto_find("a"));
	assert_int_equal(t2->routes, 4);
	assert_int_equal(sec->st.exp_updates_received, 10);
	assert_int_equal(sec->st.exp_updates_rejected, 10);
	assert_int_equal(pri->st.exp_updates_accepted, 6);
	/* a's route came back after b's: on the tie BIRD keeps b's... but a
	 * has the higher preference, so it leads again */
	routes_of(t2, "10.1.0.0/16", s);
	assert_int_equal(s[0], chan_of("a", 0)->src);
	teardown();
}

/* a pipe started before the protocols that fill its table is fed what
 * they import as it comes and again by its feed: the feed's copies reach
 * the peer table unchanged, counted as ignored there */
static void
test_pipe_fed_twice(void **state)
{
	(void)state;
	setup_pipe(true);
	struct channel *pri = chan_of("p", 0), *sec = chan_of("p", 1);

	assert_int_equal(rt_tab_find("t2")->t->routes, 4);
	assert_int_equal(pri->st.exp_updates_received, 8);
	assert_int_equal(pri->st.exp_updates_accepted, 8);
	assert_int_equal(sec->st.imp_updates_accepted, 4);
	assert_int_equal(sec->st.imp_updates_ignored, 4);
	assert_int_equal(pri->st.exp_routes, 4);
	teardown();
}

/* reload out: a refeed gives every exported route again (old == new),
 * reload in of a pipe refeeds both sides */
static void
test_refeed(void **state)
{
	(void)state;
	setup_pipe(false);
	struct channel *pri = chan_of("p", 0), *sec = chan_of("p", 1);

	proto_reload(proto_find("p"), false, true);
	assert_int_equal(pri->st.exp_updates_received, 8);
	assert_int_equal(pri->st.exp_updates_accepted, 8);
	assert_int_equal(sec->st.imp_updates_ignored, 4);
	assert_int_equal(pri->st.exp_routes, 4);
	assert_int_equal(sec->st.exp_updates_received, 12);
	proto_reload(proto_find("p"), true, false);
	assert_int_equal(pri->st.exp_updates_received, 12);
	assert_int_equal(sec->st.exp_updates_received, 16);
	teardown();
}

/* the bitmap: a protocol hears of a withdraw only for what it was given */
static void
test_export_map(void **state)
{
	(void)state;
	setup_pipe(false);
	struct proto *r = xzalloc(sizeof *r);
	static struct chan_config rcc;

	memset(&rcc, 0, sizeof rcc);
	rcc.family = CF_AF_IPV4;
	rcc.out.kind = CHF_NAMED;
	rcc.out.name = "long";
	rcc.out.code = (const void *)&filt_long;
	r->ops = &rec_ops;
	r->name = xstrdup("r");
	r->cf = &pcs[0];
	struct channel *c = proto_add_channel(r, &rcc, "ipv4", "master4");
	chan_up(c);
	n_given = 0;
	chan_run_feeds();
	assert_int_equal(n_given, 3);		/* the feed: 3 best routes */
	assert_int_equal(c->st.exp_updates_received, 3);
	assert_int_equal(c->st.exp_routes, 3);

	struct channel *a = chan_of("a", 0);
	struct rta *bh = sattrs(&(struct sroute){ "a", pfx("10.9.0.0/25"), RTD_BLACKHOLE, 0 });
	net_addr n25 = pfx("10.9.0.0/25"), n16 = pfx("10.1.0.0/16");
	n_given = 0;
	chan_import(a, &n25, bh, 0);		/* filtered by r's filter: not given */
	assert_int_equal(n_given, 0);
	assert_int_equal(c->st.exp_updates_filtered, 1);
	chan_withdraw(a, &n25, 0);		/* so its withdraw is not given either */
	assert_int_equal(n_given, 0);
	assert_int_equal(c->st.exp_withdraws_received, 1);
	assert_int_equal(c->st.exp_withdraws_accepted, 0);
	chan_withdraw(a, &n16, 0);		/* best goes: b's replaces it */
	assert_int_equal(n_given, 1);
	assert_int_equal(given[0].new_src, chan_of("b", 0)->src);
	assert_int_equal(given[0].old_src, a->src);
	assert_int_equal(c->st.exp_updates_accepted, 4);
	assert_int_equal(c->st.exp_routes, 3);
	rta_unref(bh);

	/* a changed export filter: refeed with the old route the same one */
	rcc.out.code = (const void *)&filt_mark;
	assert_int_equal(chan_reconfigure(c, &rcc, &conf, 10), CHR_EXPORT);
	chan_refeed(c);
	n_given = 0;
	chan_run_feeds();
	assert_int_equal(n_given, 3);
	for (unsigned i = 0; i < n_given; i++) {
		assert_int_equal(given[i].new_src, given[i].old_src);
		assert_true(given[i].marked);
	}
	/* the same code under another name changes nothing; another table restarts */
	rcc.out.code = (const void *)&filt_mark2;
	assert_int_equal(chan_reconfigure(c, &rcc, &conf, 10), 0);
	rcc.preference = 5;
	assert_int_equal(chan_reconfigure(c, &rcc, &conf, 10), CHR_IMPORT);
	assert_int_equal(c->pref, 5);
	rcc.table = &rc_t2;
	assert_int_equal(chan_reconfigure(c, &rcc, &conf, 10), CHR_RESTART);
	chan_free(c);
	free(r->name);
	free(r);
	teardown();
}

/* merge paths: equal routes of mergeable protocols give one route with
 * the union of their next hops, within the limit */
static void
test_merged(void **state)
{
	(void)state;
	memset(&conf, 0, sizeof conf);
	memset(pcs, 0, sizeof pcs);
	memset(ccs, 0, sizeof ccs);
	config = &conf;
	for (int i = 0; i < 3; i++) {
		ccs[i].family = CF_AF_IPV4;
		pcs[i].channels = &ccs[i];
		pcs[i].kind = "static";
		if (i)
			pcs[i - 1].next = &pcs[i];
	}
	pcs[0].name = "s1";
	pcs[1].name = "s2";
	pcs[2].name = "s3";
	ccs[2].preference = 100;		/* not equal: never merged */
	conf.protos = &pcs[0];
	n_sroutes = 0;
	add_route("s1", "10.1.0.0/16", RTD_UNICAST, 0x0a000002);
	add_route("s2", "10.1.0.0/16", RTD_UNICAST, 0x0a000003);
	add_route("s3", "10.1.0.0/16", RTD_UNICAST, 0x0a000004);
	add_route("s1", "10.2.0.0/16", RTD_BLACKHOLE, 0);
	add_route("s2", "10.2.0.0/16", RTD_UNICAST, 0x0a000003);
	proto_commit(&conf);

	struct proto *r = xzalloc(sizeof *r);
	static struct chan_config rcc;
	memset(&rcc, 0, sizeof rcc);
	rcc.family = CF_AF_IPV4;
	rcc.out.kind = CHF_ALL;
	r->ops = &rec_ops;
	r->name = xstrdup("k");
	r->cf = &pcs[0];
	struct channel *c = proto_add_channel(r, &rcc, "ipv4", NULL);
	chan_set_mode(c, CRA_MERGED, 16);
	chan_up(c);
	n_given = 0;
	chan_run_feeds();
	assert_int_equal(n_given, 2);
	assert_int_equal(given[0].nh, 2);	/* 10.1: s1's and s2's gateways */
	assert_int_equal(given[1].nh, 0);	/* 10.2: a blackhole best is not merged */
	net_addr n1 = pfx("10.1.0.0/16");
	struct rte m;
	assert_true(chan_export_merged(c, rt_find(c->tab->t, &n1), &m));
	assert_int_equal(m.attrs->nh_count, 2);
	assert_int_equal(ip4_to_u32(rta_nexthops(m.attrs)[0].gw), 0x0a000002);
	assert_int_equal(ip4_to_u32(rta_nexthops(m.attrs)[1].gw), 0x0a000003);
	rta_unref(m.attrs);

	/* s2 goes: the merged route shrinks to s1's one next hop */
	n_given = 0;
	proto_disable(proto_find("s2"), NULL);
	assert_int_equal(n_given, 2);
	assert_true(net_eq(&given[0].net, &n1));
	assert_int_equal(given[0].nh, 1);
	/* 10.2's blackhole best stays, but the route that went could have
	 * merged with it (BIRD's rte_mergable does not look at the
	 * destination), so the protocol is given it again */
	assert_int_equal(given[1].new_src, given[1].old_src);
	assert_int_equal(given[1].new_src, chan_of("s1", 0)->src);
	/* s3 (another preference) going changes nothing merged */
	n_given = 0;
	proto_disable(proto_find("s3"), NULL);
	assert_int_equal(n_given, 0);
	/* a limit of one next hop */
	proto_enable(proto_find("s2"));
	chan_set_mode(c, CRA_MERGED, 1);
	assert_true(chan_export_merged(c, rt_find(c->tab->t, &n1), &m));
	assert_int_equal(m.attrs->nh_count, 1);
	rta_unref(m.attrs);
	chan_free(c);
	free(r->name);
	free(r);
	teardown();
}

/* an emptied net is still known until the table is collected, so a
 * filtered update for it counts as an ignored withdraw, as in BIRD */
static void
test_ghosts(void **state)
{
	(void)state;
	setup_pipe(false);
	struct channel *a = chan_of("a", 0);
	struct rtable *m4 = a->tab->t;
	net_addr n = pfx("10.7.0.0/24"), lng = pfx("10.7.0.0/25");
	struct rta *bh = sattrs(&(struct sroute){ "a", n, RTD_BLACKHOLE, 0 });

	assert_false(rt_known(m4, &n));
	chan_import(a, &n, bh, 0);
	chan_withdraw(a, &n, 0);
	assert_null(rt_find(m4, &n));
	assert_true(rt_known(m4, &n));
	assert_false(rt_known(m4, &lng));
	/* a's filter now rejects everything longer than /24: BIRD counts an
	 * update filtered for a net it still has as a withdraw ignored */
	static struct chan_config acc;
	acc = *a->cf;
	acc.in.kind = CHF_NAMED;
	acc.in.code = (const void *)&filt_long;
	chan_bind(a, &acc, &conf);
	uint32_t ign = a->st.imp_withdraws_ignored;
	chan_import(a, &lng, bh, 0);		/* never known: no withdraw */
	assert_int_equal(a->st.imp_withdraws_ignored, ign);
	rte_update_from(m4, &lng, 99, 99, bh, 1, 0);
	rte_withdraw(m4, &lng, 99);		/* known now */
	chan_import(a, &lng, bh, 0);
	assert_int_equal(a->st.imp_withdraws_ignored, ign + 1);
	/* a flush collects the table */
	proto_disable(proto_find("b"), NULL);
	assert_false(rt_known(m4, &n));
	rta_unref(bh);
	teardown();
}

/* a big table's feed goes in slices between other events: the first
 * call gives one slice, the loop the rest; routes gone meanwhile are not
 * given, and the feed ends with every route given once */
static unsigned n_counted, n_counted_withdraws;

static void
count_notify(struct proto *p, struct channel *c, const net_addr *n, struct rte *nr, struct rte *or)
{
	(void)p, (void)c, (void)n, (void)or;
	if (nr)
		n_counted++;
	else
		n_counted_withdraws++;
}

static const struct proto_ops count_ops = { .kind = "count", .label = "Count", .pref = 10,
	.rt_notify = count_notify };

static void
test_feed_slices(void **state)
{
	(void)state;
	loop_init();
	setup_pipe(false);
	struct channel *a = chan_of("a", 0);
	struct rta *bh = sattrs(&(struct sroute){ "a", pfx("10.9.0.0/25"), RTD_BLACKHOLE, 0 });
	enum { EXTRA = 3000 };
	for (unsigned i = 0; i < EXTRA; i++) {
		net_addr n = net_ip4(0x0b000000u + (i << 8), 24);	/* 11.x.y.0/24 */
		chan_import(a, &n, bh, 0);
	}
	struct proto *r = xzalloc(sizeof *r);
	static struct chan_config rcc;
	memset(&rcc, 0, sizeof rcc);
	rcc.family = CF_AF_IPV4;
	rcc.out.kind = CHF_ALL;
	r->ops = &count_ops;
	r->name = xstrdup("r");
	r->cf = &pcs[0];
	struct channel *c = proto_add_channel(r, &rcc, "ipv4", "master4");
	chan_up(c);
	n_counted = n_counted_withdraws = 0;
	chan_run_feeds();
	assert_int_equal(n_counted, 512);	/* one slice (FEED_SLICE) */
	assert_int_equal(c->export_state, CES_FEEDING);
	/* meanwhile: a route the feed has not reached goes, one arrives */
	net_addr last = net_ip4(0x0b000000u + ((EXTRA - 1) << 8), 24);
	net_addr fresh = pfx("12.0.0.0/8");
	chan_withdraw(a, &last, 0);
	chan_import(a, &fresh, bh, 0);
	assert_int_equal(n_counted_withdraws, 0);	/* never given: no withdraw */
	assert_int_equal(n_counted, 513);		/* the new one goes at once */
	for (int i = 0; i < 100 && c->export_state == CES_FEEDING; i++)
		event_base_loop(loop_base, EVLOOP_NONBLOCK);
	assert_int_equal(c->export_state, CES_READY);
	/* 3 + EXTRA - 1 nets, 12.0.0.0/8 given twice (as it came, and by the feed) */
	assert_int_equal(n_counted, 3 + EXTRA - 1 + 1 + 1);
	assert_int_equal(c->st.exp_routes, 3 + EXTRA - 1 + 1);
	chan_free(c);
	free(r->name);
	free(r);
	rta_unref(bh);
	teardown();
	loop_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_two_routes),
		cmocka_unit_test(test_pipe_fed_twice),
		cmocka_unit_test(test_refeed),
		cmocka_unit_test(test_export_map),
		cmocka_unit_test(test_merged),
		cmocka_unit_test(test_ghosts),
		cmocka_unit_test(test_feed_slices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
