/* LINK: core/table.c core/attr.c core/net.c core/mem.c */
/*
 * Unit tests for core/table.c: updates and their results, selection order
 * and the class hook, best-change notifications, glue nodes, longest-prefix
 * match and ordered walks against brute-force references on random
 * prefixes (fixed seeds), a paused cursor surviving inserts and removals,
 * the hash growing and shrinking, slab reuse and the memory counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/attr.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/table.h"

/* ---- stubs ---- */
_Noreturn void
log_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: ", file, line);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fail_msg("bug() called");
	abort();
}

/* ---- helpers ---- */

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static net_addr
n4(const char *s)
{
	net_addr n;

	assert_int_equal(net_parse(s, &n), 0);
	return n;
}

static struct rta *
mkset(unsigned source, uint32_t med)
{
	struct rta_builder b;

	rta_build_start(&b, NULL);
	b.source = (uint8_t)source;
	b.dest = RTD_UNREACHABLE;
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0, med);
	return rta_build_finish(&b);
}

static int
med_cmp(const struct rte *a, const struct rte *b)
{
	uint32_t ma = ea_find(a->attrs, EA_BGP_MED)->val;
	uint32_t mb = ea_find(b->attrs, EA_BGP_MED)->val;

	return (ma > mb) - (ma < mb);
}

/* notifications, recorded by sender id (-1: none) */
struct note {
	int64_t new_src, old_src;
};
static struct note notes[64];
static unsigned n_notes;

static void
record(struct rtable *t, struct net *net, struct rte *nb, struct rte *ob, void *data)
{
	(void)t, (void)net, (void)data;
	assert_true(n_notes < 64);
	notes[n_notes].new_src = nb ? (int64_t)nb->src : -1;
	notes[n_notes].old_src = ob ? (int64_t)ob->src : -1;
	n_notes++;
	assert_ptr_equal(nb, net->routes && !(net->routes->flags & RTE_FILTERED) ?
	    net->routes : NULL);
}

static unsigned long counted_notes;

static void
count_note(struct rtable *t, struct net *net, struct rte *nb, struct rte *ob, void *data)
{
	(void)t, (void)net, (void)nb, (void)ob, (void)data;
	counted_notes++;
}

static int64_t fake_now;

static int64_t
fake_clock(void)
{
	return fake_now += 1000;	/* a millisecond per call: lastmod's unit */
}

static struct rtable *
table(uint8_t type, rt_notify_fn fn)
{
	struct rt_config cf = { .name = "t", .type = type, .notify = fn, .clock = fake_clock };

	return rt_new(&cf);
}

static unsigned
srcs_of(struct net *net, uint32_t *out)
{
	unsigned n = 0;

	for (struct rte *r = net->routes; r; r = r->next)
		out[n++] = r->src;
	return n;
}

/* ---- tests ---- */

static void
test_update_results(void **state)
{
	struct rtable *t = table(NET_IP4, NULL);
	struct rta *a = mkset(RTS_STATIC, 1), *b = mkset(RTS_STATIC, 2);
	net_addr n = n4("10.0.0.0/8"), m = n4("10.0.0.0/16");
	struct net *net;
	struct rte *r;

	(void)state;
	assert_int_equal(rte_update(t, &n, 1, a, 100, 0), RTE_ADDED);
	assert_int_equal(a->uc, 2);
	net = rt_find(t, &n);
	assert_non_null(net);
	assert_true(net_eq(&net->n, &n));
	r = net->routes;
	assert_int_equal(r->src, 1);
	assert_int_equal(r->pref, 100);
	assert_int_equal(r->lastmod, fake_now / 1000);	/* kept in ms */
	assert_int_equal(rte_lastmod_us(r), fake_now);
	uint64_t when = r->lastmod;
	assert_int_equal(sizeof(struct rte), 32);
	r->pflags = 5;

	assert_int_equal(rte_update(t, &n, 1, a, 100, 0), RTE_UNCHANGED);
	assert_int_equal(net->routes->lastmod, when);
	assert_int_equal(rte_update(t, &n, 1, b, 100, 0), RTE_REPLACED);
	assert_int_equal(a->uc, 1);
	assert_int_equal(b->uc, 2);
	assert_int_equal(net->routes->pflags, 5);	/* kept across replace */
	assert_true(net->routes->lastmod > when);
	assert_int_equal(rte_update(t, &n, 1, b, 200, 0), RTE_REPLACED);
	assert_int_equal(rte_update(t, &n, 2, a, 100, 0), RTE_ADDED);
	assert_int_equal(t->routes, 2);
	assert_int_equal(t->nets, 1);

	assert_null(rt_find(t, &m));
	assert_int_equal(rte_withdraw(t, &m, 1), RTE_NOT_FOUND);
	assert_int_equal(rte_withdraw(t, &n, 3), RTE_NOT_FOUND);
	assert_int_equal(rte_update(t, &n, 1, NULL, 0, 0), RTE_REMOVED);
	assert_int_equal(rte_withdraw(t, &n, 1), RTE_NOT_FOUND);
	assert_int_equal(b->uc, 1);
	assert_int_equal(rte_withdraw(t, &n, 2), RTE_REMOVED);
	assert_null(rt_find(t, &n));
	assert_null(t->root);
	assert_int_equal(t->routes, 0);
	assert_int_equal(t->nets, 0);
	assert_int_equal(a->uc, 1);

	/* rt_free drops the routes' references */
	rte_update(t, &n, 1, a, 100, 0);
	rte_update(t, &m, 1, a, 100, 0);
	assert_int_equal(a->uc, 3);
	rt_free(t);
	assert_int_equal(a->uc, 1);
	rta_unref(a);
	rta_unref(b);
	assert_int_equal(rta_count(), 0);
}

static void
test_selection_order(void **state)
{
	struct rtable *t = table(NET_IP4, NULL);
	struct rta *b50 = mkset(RTS_BGP, 50), *b10 = mkset(RTS_BGP, 10), *st = mkset(RTS_STATIC, 0);
	net_addr n = n4("192.0.2.0/24");
	uint32_t got[8];

	(void)state;
	rt_set_compare(RTS_BGP, med_cmp);
	rte_update(t, &n, 1, b50, 100, 0);
	rte_update(t, &n, 2, b10, 100, 0);	/* class hook: lower med */
	rte_update(t, &n, 3, st, 200, 0);	/* preference first */
	rte_update(t, &n, 4, st, 100, 0);	/* static's class before bgp's */
	rte_update(t, &n, 5, b10, 100, 0);	/* tie: after the older one */
	rte_update(t, &n, 6, st, 300, RTE_FILTERED);	/* filtered: last */
	struct net *net = rt_find(t, &n);
	assert_int_equal(srcs_of(net, got), 6);
	uint32_t want[] = { 3, 4, 2, 5, 1, 6 };
	assert_memory_equal(got, want, sizeof(want));
	for (struct rte *r = net->routes; r->next; r = r->next) {
		bool tie = r->src == 2 && r->next->src == 5;
		assert_int_equal(rte_cmp(r, r->next), tie ? 0 : -1);
		assert_int_equal(rte_cmp(r->next, r), tie ? 0 : 1);
	}
	assert_int_equal(rte_cmp(net->routes, net->routes), 0);

	/* a replace moves the route to its new place */
	rte_update(t, &n, 1, b50, 250, 0);
	srcs_of(net, got);
	uint32_t want2[] = { 1, 3, 4, 2, 5, 6 };
	assert_memory_equal(got, want2, sizeof(want2));

	/* a replace that still ties keeps its place among its equals (BIRD:
	 * on a tie the older route stays ahead), a new arrival goes after */
	struct rta_builder bb;
	rta_build_start(&bb, b10);
	rta_build_set_int(&bb, EA_BGP_LOCAL_PREF, EAF_INT, 0, 7);
	struct rta *b10x = rta_build_finish(&bb);
	assert_int_equal(rte_update(t, &n, 2, b10x, 100, 0), RTE_REPLACED);
	srcs_of(net, got);
	assert_memory_equal(got, want2, sizeof(want2));
	rte_withdraw(t, &n, 2);
	rte_update(t, &n, 2, b10, 100, 0);
	srcs_of(net, got);
	uint32_t want3[] = { 1, 3, 4, 5, 2, 6 };
	assert_memory_equal(got, want3, sizeof(want3));
	/* the best replaced by a route equal to the next keeps the lead */
	rte_update(t, &n, 7, b50, 250, 0);
	rte_update(t, &n, 1, b10, 250, 0);
	srcs_of(net, got);
	uint32_t want4[] = { 1, 7, 3, 4, 5, 2, 6 };
	assert_memory_equal(got, want4, sizeof(want4));
	/* and loses it when it gets worse: the older of the rest leads */
	rte_update(t, &n, 1, b10, 100, 0);
	srcs_of(net, got);
	uint32_t want5[] = { 7, 3, 4, 5, 2, 1, 6 };
	assert_memory_equal(got, want5, sizeof(want5));
	rta_unref(b10x);

	rt_set_compare(RTS_BGP, NULL);
	rt_free(t);
	rta_unref(b50);
	rta_unref(b10);
	rta_unref(st);
	assert_int_equal(rta_count(), 0);
}

static void
expect_note(unsigned i, int64_t new_src, int64_t old_src)
{
	assert_true(i < n_notes);
	assert_int_equal(notes[i].new_src, new_src);
	assert_int_equal(notes[i].old_src, old_src);
}

static void
test_notifications(void **state)
{
	struct rtable *t = table(NET_IP6, record);
	struct rta *a = mkset(RTS_STATIC, 1), *b = mkset(RTS_STATIC, 2);
	net_addr n = n4("2001:db8::/32");

	(void)state;
	n_notes = 0;
	rte_update(t, &n, 5, a, 100, 0);	/* first route */
	expect_note(0, 5, -1);
	rte_update(t, &n, 6, a, 50, 0);		/* worse: silent */
	assert_int_equal(n_notes, 1);
	rte_update(t, &n, 5, a, 100, 0);	/* unchanged: silent */
	assert_int_equal(n_notes, 1);
	rte_update(t, &n, 5, b, 100, 0);	/* best's attributes change */
	expect_note(1, 5, 5);
	rte_update(t, &n, 6, b, 50, 0);		/* non-best changes: silent */
	assert_int_equal(n_notes, 2);
	rte_update(t, &n, 7, a, 150, 0);	/* a better one */
	expect_note(2, 7, 5);
	rte_withdraw(t, &n, 6);			/* non-best goes: silent */
	assert_int_equal(n_notes, 3);
	rte_update(t, &n, 7, a, 10, 0);		/* best falls behind */
	expect_note(3, 5, 7);
	rte_withdraw(t, &n, 5);			/* best goes */
	expect_note(4, 7, 5);
	rte_update(t, &n, 8, a, 500, RTE_FILTERED);	/* filtered: never best */
	assert_int_equal(n_notes, 5);
	rte_withdraw(t, &n, 7);			/* only a filtered one left */
	expect_note(5, -1, 7);
	rte_withdraw(t, &n, 8);
	assert_int_equal(n_notes, 6);
	assert_null(rt_find(t, &n));
	rt_free(t);
	rta_unref(a);
	rta_unref(b);
}

/* the announce hook: every change with the source's route before and
 * after and the best before and after; filtered routes count as absent */
struct change_note {
	int64_t new_src, old_src, new_best, old_best;	/* -1: none */
};
static struct change_note changes[32];
static unsigned n_changes;

static int64_t
src_or(const struct rte *e)
{
	return e ? (int64_t)e->src : -1;
}

static void
record_change(struct rtable *t, const struct rt_change *ch, void *data)
{
	(void)t, (void)data;
	assert_true(n_changes < 32);
	assert_true(ch->new || ch->old);
	assert_ptr_equal(ch->new_best, ch->net->routes && !(ch->net->routes->flags & RTE_FILTERED) ?
	    ch->net->routes : NULL);
	changes[n_changes++] = (struct change_note){ src_or(ch->new), src_or(ch->old),
	    src_or(ch->new_best), src_or(ch->old_best) };
}

static void
expect_change(unsigned i, int64_t n, int64_t o, int64_t nb, int64_t ob)
{
	assert_true(i < n_changes);
	assert_int_equal(changes[i].new_src, n);
	assert_int_equal(changes[i].old_src, o);
	assert_int_equal(changes[i].new_best, nb);
	assert_int_equal(changes[i].old_best, ob);
}

static void
test_announce(void **state)
{
	struct rt_config cf = { .name = "t", .type = NET_IP4, .announce = record_change,
				.clock = fake_clock };
	struct rtable *t = rt_new(&cf);
	struct rta *a = mkset(RTS_STATIC, 1), *b = mkset(RTS_STATIC, 2);
	net_addr n = n4("10.0.0.0/8");

	(void)state;
	n_changes = 0;
	rte_update(t, &n, 1, a, 100, 0);
	expect_change(0, 1, -1, 1, -1);
	rte_update(t, &n, 2, a, 50, 0);		/* a worse one: announced, best stays */
	expect_change(1, 2, -1, 1, 1);
	rte_update(t, &n, 2, a, 50, 0);		/* unchanged: silent */
	assert_int_equal(n_changes, 2);
	rte_update(t, &n, 2, b, 50, 0);		/* replaced beside the best */
	expect_change(2, 2, 2, 1, 1);
	rte_update(t, &n, 3, a, 70, RTE_FILTERED);	/* filtered: nothing to tell */
	assert_int_equal(n_changes, 3);
	rte_update(t, &n, 3, a, 70, 0);		/* no longer filtered: new, no old */
	expect_change(3, 3, -1, 1, 1);
	rte_withdraw(t, &n, 1);			/* the best goes */
	expect_change(4, -1, 1, 3, 1);
	rte_update(t, &n, 3, a, 70, RTE_FILTERED);	/* the best becomes filtered */
	expect_change(5, -1, 3, 2, 3);
	rte_withdraw(t, &n, 3);			/* a filtered one goes: silent */
	assert_int_equal(n_changes, 6);
	rte_withdraw(t, &n, 2);
	expect_change(6, -1, 2, -1, 2);
	rt_free(t);
	rta_unref(a);
	rta_unref(b);
}

/* senders, route ids and ghosts of emptied nets */
static void
test_sender_ids_ghosts(void **state)
{
	struct rt_config cf = { .name = "t", .type = NET_IP4, .clock = fake_clock, .ghosts = true };
	struct rtable *t = rt_new(&cf);
	struct rta *a = mkset(RTS_STATIC, 1);
	net_addr n[4] = { n4("10.0.0.0/8"), n4("10.1.0.0/16"), n4("10.2.0.0/16"), n4("10.3.0.0/16") };

	(void)state;
	for (int i = 0; i < 4; i++) {
		rte_update_from(t, &n[i], 1, 7, a, 100, 0);	/* source 1 via sender 7 */
		rte_update(t, &n[i], 2, a, 90, 0);		/* source 2 is its own sender */
	}
	/* ids: unique among live routes, below the limit */
	uint32_t seen[8], k = 0;
	for (int i = 0; i < 4; i++)
		for (struct rte *e = rt_find(t, &n[i])->routes; e; e = e->next) {
			assert_true(rte_id(e) > 0 && rte_id(e) < rte_id_limit());
			for (uint32_t j = 0; j < k; j++)
				assert_true(seen[j] != rte_id(e));
			seen[k++] = rte_id(e);
			assert_int_equal(e->sender, e->src == 1 ? 7 : 2);
		}
	assert_int_equal(k, 8);
	/* a replace by another sender is a change, the same one is not */
	assert_int_equal(rte_update_from(t, &n[0], 1, 7, a, 100, 0), RTE_UNCHANGED);
	assert_int_equal(rte_update_from(t, &n[0], 1, 8, a, 100, 0), RTE_REPLACED);
	/* ids are given lowest free first: a freed one is reused, the
	 * bitmap does not grow */
	uint32_t id = rte_id(rt_find(t, &n[3])->routes->next), lim = rte_id_limit();
	rte_withdraw(t, &n[3], 2);
	rte_update(t, &n[3], 2, a, 90, 0);
	assert_true(rte_id(rt_find(t, &n[3])->routes->next) <= id);
	assert_int_equal(rte_id_limit(), lim);

	rt_flush_sender(t, 7);			/* sender 7's three routes go */
	assert_int_equal(t->routes, 5);
	assert_int_equal(rt_find(t, &n[0])->routes->sender, 8);
	rt_flush_sender(t, 2);			/* then source 2's four: three nets empty */
	assert_int_equal(t->nets, 1);
	for (int i = 1; i < 4; i++) {
		assert_null(rt_find(t, &n[i]));
		assert_true(rt_known(t, &n[i]));	/* until the table is collected */
	}
	net_addr other = n4("10.4.0.0/16");
	assert_false(rt_known(t, &other));
	rte_update(t, &n[1], 2, a, 90, 0);	/* back: no longer a ghost */
	assert_int_equal(t->ghosts, 2);
	rt_prune(t);
	assert_false(rt_known(t, &n[2]));
	assert_true(rt_known(t, &n[1]));
	assert_int_equal(t->ghosts, 0);
	rt_free(t);
	rta_unref(a);
	assert_int_equal(rta_count(), 0);
}

static void
test_glue_nodes(void **state)
{
	struct rtable *t = table(NET_IP4, NULL);
	struct rta *a = mkset(RTS_STATIC, 1);
	net_addr x = n4("10.0.0.0/24"), y = n4("10.0.1.0/24"), g = n4("10.0.0.0/23");

	(void)state;
	rte_update(t, &x, 1, a, 100, 0);
	rte_update(t, &y, 1, a, 100, 0);
	assert_int_equal(t->glue, 1);
	assert_true(ip_eq(t->root->n.ip, g.ip) && t->root->n.pxlen == 23);
	assert_int_equal(t->root->n.type, NET_IP4 | RT_GLUE);
	assert_null(rt_find(t, &g));
	assert_null(rt_lpm_net(t, &g));
	rte_update(t, &g, 1, a, 100, 0);	/* takes over the glue node */
	assert_int_equal(t->glue, 0);
	assert_int_equal(t->nets, 3);
	assert_ptr_equal(rt_find(t, &g), t->root);
	assert_ptr_equal(rt_lpm_net(t, &g), t->root);
	rte_withdraw(t, &g, 1);			/* back to glue */
	assert_int_equal(t->glue, 1);
	assert_non_null(t->root);
	rte_withdraw(t, &x, 1);			/* a glue with one child goes */
	assert_int_equal(t->glue, 0);
	assert_ptr_equal(t->root, rt_find(t, &y));
	rte_withdraw(t, &y, 1);
	assert_null(t->root);

	/* edges: the default route, host routes */
	net_addr d = n4("0.0.0.0/0"), h = n4("10.1.2.3/32");
	rte_update(t, &d, 1, a, 100, 0);
	rte_update(t, &h, 1, a, 100, 0);
	assert_ptr_equal(rt_lpm(t, ip4_from_u32(0x0a010203)), rt_find(t, &h));
	assert_ptr_equal(rt_lpm(t, ip4_from_u32(0x0a010204)), rt_find(t, &d));
	assert_null(rt_lpm(t, (ip_addr){ { 0x20010db8, 0, 0, 1 } }));	/* other family */
	rt_free(t);

	t = table(NET_IP6, NULL);
	net_addr d6 = n4("::/0"), h6 = n4("2001:db8::1/128");
	rte_update(t, &h6, 1, a, 100, 0);
	assert_ptr_equal(rt_lpm(t, h6.ip), rt_find(t, &h6));
	assert_null(rt_lpm(t, (ip_addr){ { 0x20010db8, 0, 0, 2 } }));
	rte_update(t, &d6, 1, a, 100, 0);
	assert_ptr_equal(rt_lpm(t, (ip_addr){ { 0x20010db8, 0, 0, 2 } }), rt_find(t, &d6));
	assert_null(rt_lpm(t, ip4_from_u32(1)));
	rt_free(t);
	rta_unref(a);
}

/* random prefixes in a few crowded regions, so they nest and part often */
static net_addr
rand_net(uint8_t type)
{
	if (type == NET_IP4) {
		static const uint32_t tops[] = { 0x0a000000, 0x0a800000, 0xc0a80000, 0x0b000000 };
		uint32_t a = tops[rnd() % 4] | (rnd() & 0x00ffffff);
		unsigned len = rnd() % 8 ? 8 + rnd() % 25 : rnd() % 33;
		return net_ip4(a, len);
	}
	ip_addr a = { { 0x20010db8, rnd() & 0xffff00ff, rnd(), rnd() } };
	if (rnd() % 4 == 0)
		a.w[1] = 0;
	unsigned len = rnd() % 8 ? 32 + rnd() % 33 : rnd() % 129;
	return net_ip6(a, len);
}

static int
qcmp(const void *a, const void *b)
{
	return net_cmp(a, b);
}

/* sorted, distinct random nets */
static size_t
rand_nets(uint8_t type, net_addr *out, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		out[i] = rand_net(type);
	qsort(out, n, sizeof(*out), qcmp);
	for (size_t i = 0; i < n; i++)
		if (!k || !net_eq(&out[k - 1], &out[i]))
			out[k++] = out[i];
	return k;
}

static const net_addr *
brute_lpm(const net_addr *nets, const bool *in, size_t n, ip_addr a)
{
	const net_addr *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (in[i] && net_contains_ip(&nets[i], a) && (!best || nets[i].pxlen > best->pxlen))
			best = &nets[i];
	return best;
}

static ip_addr
rand_ip_near(uint8_t type, const net_addr *nets, size_t n)
{
	const net_addr *p = &nets[rnd() % n];
	ip_addr a = p->ip;
	unsigned off = type == NET_IP4 ? 96 : 0;

	for (unsigned i = off + p->pxlen; i < 128; i++)	/* random host bits */
		if (rnd() & 1)
			a.w[i / 32] |= 1u << (31 - i % 32);
	if (rnd() % 16 == 0 && p->pxlen > 2)		/* or near a boundary */
		a.w[(off + p->pxlen - 1) / 32] ^= 1u << (31 - (off + p->pxlen - 1) % 32);
	return a;
}

static void
lpm_round(uint8_t type, uint64_t seed, size_t count)
{
	struct rtable *t = table(type, NULL);
	struct rta *a = mkset(RTS_STATIC, 0);
	net_addr *nets = calloc(count, sizeof(*nets));
	bool *in = calloc(count, sizeof(*in));
	size_t n;

	rng = seed;
	n = rand_nets(type, nets, count);
	for (size_t i = 0; i < n; i++) {
		in[i] = true;
		assert_int_equal(rte_update(t, &nets[i], 1, a, 100, 0), RTE_ADDED);
	}
	assert_int_equal(t->nets, n);
	assert_true((t->slots != NULL) == (n > RT_WIDE_AT));
	for (int phase = 0; phase < 2; phase++) {
		for (unsigned q = 0; q < 4000; q++) {
			ip_addr ip = rand_ip_near(type, nets, n);
			const net_addr *want = brute_lpm(nets, in, n, ip);
			struct net *got = rt_lpm(t, ip);
			if (!want) {
				assert_null(got);
				continue;
			}
			assert_non_null(got);
			assert_true(net_eq(&got->n, want));
			/* the prefix form agrees with the address form */
			net_addr host = type == NET_IP4 ? net_ip4(ip4_to_u32(ip), 32) : net_ip6(ip, 128);
			assert_ptr_equal(rt_lpm_net(t, &host), got);
		}
		for (unsigned q = 0; q < 2000; q++) {	/* prefix queries: `show route for P` */
			net_addr k = rnd() % 2 ? nets[rnd() % n] : rand_net(type);
			const net_addr *want = NULL;
			for (size_t i = 0; i < n; i++)
				if (in[i] && net_contains(&nets[i], &k) &&
				    (!want || nets[i].pxlen > want->pxlen))
					want = &nets[i];
			struct net *got = rt_lpm_net(t, &k);
			if (want)
				assert_true(got && net_eq(&got->n, want));
			else
				assert_null(got);
		}
		for (size_t i = 0; i < n; i++) {	/* remove about half, retest */
			if (in[i] && rnd() % 2) {
				in[i] = false;
				assert_int_equal(rte_withdraw(t, &nets[i], 1), RTE_REMOVED);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		assert_true(in[i] == (rt_find(t, &nets[i]) != NULL));
	rt_free(t);
	rta_unref(a);
	free(nets);
	free(in);
}

static void
test_lpm_random(void **state)
{
	(void)state;
	lpm_round(NET_IP4, 0x1234567, 9000);	/* wide tables */
	lpm_round(NET_IP6, 0x89abcdef, 9000);
	lpm_round(NET_IP4, 42, 3000);		/* narrow ones */
	lpm_round(NET_IP6, 43, 3000);
}

static void
walk_round(size_t N, bool wide)
{
	struct rtable *t = table(NET_IP4, NULL);
	struct rta *a = mkset(RTS_STATIC, 0);
	net_addr *nets = calloc(N, sizeof(*nets));
	struct rt_cursor c;
	struct net *x;
	size_t n, k = 0;

	rng = 777;
	n = rand_nets(NET_IP4, nets, N);
	for (size_t i = n; i-- > 0;)		/* insert in reverse order */
		rte_update(t, &nets[i], 1, a, 100, 0);
	assert_true((t->slots != NULL) == wide);
	rt_cursor_init(&c);
	while ((x = rt_cursor_next(t, &c))) {
		assert_true(k < n);
		assert_true(net_eq(&x->n, &nets[k]));
		k++;
	}
	assert_int_equal(k, n);
	assert_null(rt_cursor_next(t, &c));

	/* seek to the middle, also to a prefix not present */
	rt_cursor_seek(&c, &nets[n / 2]);
	x = rt_cursor_next(t, &c);
	assert_true(net_eq(&x->n, &nets[n / 2 + 1]));
	rte_withdraw(t, &nets[n / 3], 1);
	rt_cursor_seek(&c, &nets[n / 3 - 1]);
	x = rt_cursor_next(t, &c);
	assert_true(net_eq(&x->n, &nets[n / 3 + 1]));
	net_addr six = n4("2001:db8::/32");
	rt_cursor_seek(&c, &six);		/* after every IPv4 net */
	assert_null(rt_cursor_next(t, &c));
	rt_free(t);

	t = table(NET_IP4, NULL);		/* an empty table */
	rt_cursor_init(&c);
	assert_null(rt_cursor_next(t, &c));
	rt_free(t);
	rta_unref(a);
	free(nets);
}

static void
test_walk_order(void **state)
{
	(void)state;
	walk_round(4000, false);
	walk_round(12000, true);
}

/* walk 7 at a time; between steps change 6 nets (grow: add 12) */
static void
paused_walk(uint8_t type, uint64_t seed, size_t U, unsigned start_pct, bool grow)
{
	struct rtable *t = table(type, NULL);
	struct rta *a = mkset(RTS_STATIC, 0);
	net_addr *u = calloc(U, sizeof(*u));
	bool *in = calloc(U, sizeof(*in)), *throughout = calloc(U, sizeof(*throughout));
	bool *seen = calloc(U, sizeof(*seen));
	struct rt_cursor c;
	net_addr prev;
	bool have_prev = false;
	size_t n, returned = 0;

	rng = seed;
	n = rand_nets(type, u, U);
	for (size_t i = 0; i < n; i++) {
		if (rnd() % 100 < start_pct) {
			in[i] = throughout[i] = true;
			rte_update(t, &u[i], 1, a, 100, 0);
		}
	}
	bool wide0 = t->slots != NULL;
	rt_cursor_init(&c);
	for (;;) {
		struct net *x = NULL;
		for (unsigned b = 0; b < 7 && (x = rt_cursor_next(t, &c)); b++) {
			net_addr *p = bsearch(&x->n, u, n, sizeof(*u), qcmp);
			assert_non_null(p);
			assert_true(in[p - u]);
			assert_false(seen[p - u]);
			seen[p - u] = true;
			if (have_prev)
				assert_true(net_cmp(&prev, &x->n) < 0);
			prev = x->n;
			have_prev = true;
			returned++;
		}
		if (!x)
			break;
		for (unsigned k = 0; k < (grow ? 12u : 6u); k++) {	/* the table changes */
			size_t i = rnd() % n;
			if (in[i] && !grow) {
				rte_withdraw(t, &u[i], 1);
				in[i] = throughout[i] = false;
			} else if (!in[i]) {
				rte_update(t, &u[i], 1, a, 100, 0);
				in[i] = true;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (throughout[i])
			assert_true(seen[i]);
	assert_true(returned > n / 4);
	if (grow)				/* the transition happened mid-walk */
		assert_true(!wide0 && t->slots);
	rt_free(t);
	rta_unref(a);
	free(u);
	free(in);
	free(throughout);
	free(seen);
}

static void
test_walk_paused(void **state)
{
	(void)state;
	paused_walk(NET_IP4, 99, 6000, 50, false);	/* narrow */
	paused_walk(NET_IP6, 1001, 6000, 50, false);
	paused_walk(NET_IP4, 5, 14000, 50, false);	/* wide */
	paused_walk(NET_IP6, 6, 14000, 50, false);
	paused_walk(NET_IP4, 7, 14000, 40, true);	/* turns wide mid-walk */
	paused_walk(NET_IP6, 8, 14000, 25, true);
}

static void
test_flush_src(void **state)
{
	struct rtable *t = table(NET_IP4, count_note);
	struct rta *a = mkset(RTS_STATIC, 0);

	(void)state;
	for (uint32_t i = 0; i < 1000; i++) {
		net_addr n = net_ip4(0x0a000000 | i << 8, 24);
		rte_update(t, &n, 1, a, 200, 0);
		if (i % 2)
			rte_update(t, &n, 2, a, 100, 0);
	}
	counted_notes = 0;
	rt_flush_src(t, 1);
	assert_int_equal(counted_notes, 1000);
	assert_int_equal(t->nets, 500);
	assert_int_equal(t->routes, 500);
	assert_int_equal(a->uc, 501);
	rt_flush_src(t, 2);
	assert_int_equal(t->nets, 0);
	assert_null(t->root);
	rt_free(t);
	rta_unref(a);
}

/* the table's arrays: hash buckets and (once wide) slots */
static size_t
bucket_bytes(const struct rtable *t)
{
	return (t->hsize[0] + t->hsize[1] + (t->slots ? 1u << RT_STRIDE : 0)) *
	    sizeof(struct net *);
}

static size_t
tables_held(void)
{
	struct mem_usage u;

	mem_usage(MEM_TABLES, &u);
	return u.effective + u.overhead;
}

static size_t
tables_eff(void)
{
	struct mem_usage u;

	mem_usage(MEM_TABLES, &u);
	return u.effective;
}

static void
load(struct rtable *t, struct rta **sets, uint32_t n, bool check)
{
	for (uint32_t i = 0; i < n; i++) {
		net_addr k = net_ip4(0x0a000000 + i * 64, 26);
		assert_int_equal(rte_update(t, &k, 1 + i % 3, sets[i % 4], 100, 0), RTE_ADDED);
		if (check && i % 97 == 0) {
			for (uint32_t j = 0; j <= i; j += 13) {
				net_addr q = net_ip4(0x0a000000 + j * 64, 26);
				assert_non_null(rt_find(t, &q));
			}
		}
	}
}

static void
test_hash_and_memory(void **state)
{
	enum { N = 20000 };
	struct rtable *t = table(NET_IP4, NULL);
	struct rta *sets[4];
	size_t eff0, held0, held1, slabs1;

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		sets[i] = mkset(RTS_STATIC, i);
	eff0 = tables_eff();
	held0 = tables_held();
	load(t, sets, N, true);
	assert_int_equal(t->nets, N);
	assert_non_null(t->slots);
	assert_true(t->hsize[0] >= N / 2);
	assert_int_equal(sets[0]->uc, 1 + N / 4);
	/* effective bytes: exactly the routes, nets, glue and buckets (ids
	 * cost nothing: they are places in the route slab) */
	assert_true(rte_id_limit() >= N && rte_id_limit() <= N + 65536 / sizeof(struct rte));
	assert_int_equal(tables_eff() - eff0, N * sizeof(struct rte) +
	    t->nets * sizeof(struct net) + t->glue * RT_GLUE_SIZE + bucket_bytes(t));
	held1 = tables_held();
	slabs1 = held1 - bucket_bytes(t);
	/* 20000 routes of 32 bytes, nets of 56, glue of 40 fill about 46 pages
	 * of 64 KiB: the slabs hold little beyond what they hand out */
	assert_true(slabs1 - held0 < (N * sizeof(struct rte) + t->nets * sizeof(struct net) +
	    t->glue * RT_GLUE_SIZE) * 21 / 20 + 4 * 65536);

	for (uint32_t i = 0; i < N; i++) {	/* withdraw in a scrambled order */
		uint32_t k = (i * 7919) % N;
		net_addr q = net_ip4(0x0a000000 + k * 64, 26);
		assert_int_equal(rte_withdraw(t, &q, 1 + k % 3), RTE_REMOVED);
		if (i % 101 == 0) {
			uint32_t j = ((i + 1) * 7919) % N;
			net_addr r = net_ip4(0x0a000000 + j * 64, 26);
			assert_non_null(rt_find(t, &r));
		}
	}
	assert_int_equal(t->nets, 0);
	assert_int_equal(t->glue, 0);
	assert_true(t->hsize[0] <= 256);
	assert_int_equal(tables_eff() - eff0, bucket_bytes(t));
	assert_int_equal(sets[0]->uc, 1);
	/* the emptied pages went back: what the tables hold now is the
	 * buckets and the slabs' page directories, a few kB */
	assert_true(tables_held() - held0 < bucket_bytes(t) + 4096);

	/* reload: the same pages again, and the same ids */
	load(t, sets, N, false);
	assert_int_equal(tables_held() - bucket_bytes(t), slabs1);
	assert_true(rte_id_limit() >= N && rte_id_limit() <= N + 65536 / sizeof(struct rte));
	rt_free(t);
	for (unsigned i = 0; i < 4; i++)
		rta_unref(sets[i]);
	assert_int_equal(rta_count(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_results),
		cmocka_unit_test(test_selection_order),
		cmocka_unit_test(test_notifications),
		cmocka_unit_test(test_announce),
		cmocka_unit_test(test_sender_ids_ghosts),
		cmocka_unit_test(test_glue_nodes),
		cmocka_unit_test(test_lpm_random),
		cmocka_unit_test(test_walk_order),
		cmocka_unit_test(test_walk_paused),
		cmocka_unit_test(test_flush_src),
		cmocka_unit_test(test_hash_and_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
