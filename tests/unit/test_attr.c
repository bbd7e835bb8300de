/* LINK: core/attr.c core/net.c core/mem.c */
/*
 * Unit tests for core/attr.c: one object per distinct set whatever order
 * it was built in, use counts and their checks, the builder's copy on
 * write (untouched and restored sets come back as the base), reads in
 * place, forced hash collisions, big sets and the MEM_ATTRS counters,
 * the optional IGP metric, the stored hash (no rehash on resize or free)
 * and the two forms of data items (offset and length below 64 KiB,
 * lengths only above).
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

/* ---- stubs: bug() jumps back into a test that expects it ---- */
static jmp_buf *bug_jmp;

_Noreturn void
log_bug(const char *file, int line, const char *fmt, ...)
{
	(void)file, (void)line, (void)fmt;
	if (bug_jmp)
		longjmp(*bug_jmp, 1);
	fail_msg("bug() called");
	abort();
}

/* ---- helpers ---- */

static const uint8_t path_a[] = { 2, 3, 0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea };
static const uint32_t comm_a[] = { 64500u << 16 | 1, 64500u << 16 | 2 };

/* a BGP-like set with the given med */
static struct rta *
bgp_set(uint32_t med)
{
	struct rta_builder b;
	struct nexthop nh = { .gw = ip4_from_u32(0x0a000001), .ifindex = 2 };

	rta_build_start(&b, NULL);
	b.source = RTS_BGP;
	b.dest = RTD_UNICAST;
	rta_build_nexthops(&b, &nh, 1);
	rta_build_set_int(&b, EA_BGP_ORIGIN, EAF_ENUM, EAF_BGP_TRANSITIVE, 0);
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, EAF_BGP_TRANSITIVE,
	    path_a, sizeof(path_a));
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, EAF_BGP_OPTIONAL, med);
	rta_build_set_data(&b, EA_BGP_COMMUNITY, EAF_INT_SET,
	    EAF_BGP_OPTIONAL | EAF_BGP_TRANSITIVE, comm_a, sizeof(comm_a));
	return rta_build_finish(&b);
}

static size_t
eff(void)
{
	struct mem_usage u;

	mem_usage(MEM_ATTRS, &u);
	return u.effective;
}

/* ---- tests ---- */

static void
test_same_content_same_pointer(void **state)
{
	struct rta *a, *b;

	(void)state;
	a = bgp_set(10);
	b = bgp_set(10);
	assert_ptr_equal(a, b);
	assert_int_equal(a->uc, 2);
	assert_int_equal(rta_count(), 1);
	b = bgp_set(11);
	assert_ptr_not_equal(a, b);
	assert_int_equal(rta_count(), 2);
	rta_unref(b);
	rta_unref(a);
	assert_int_equal(rta_count(), 1);
	rta_unref(a);
	assert_int_equal(rta_count(), 0);
	rta_unref(NULL);
}

static void
test_canonical_order(void **state)
{
	struct rta_builder b;
	struct nexthop nh[3] = {
		{ .gw = ip4_from_u32(0x0a000003), .ifindex = 1, .weight = 1 },
		{ .gw = ip4_from_u32(0x0a000001), .ifindex = 2 },
		{ .gw = ip4_from_u32(0x0a000002), .ifindex = 1 },
	};
	struct nexthop nh2[3] = { nh[2], nh[0], nh[1] };
	struct rta *x, *y;

	(void)state;
	rta_build_start(&b, NULL);
	rta_build_nexthops(&b, nh, 3);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0, 5);
	rta_build_set_int(&b, EA_BGP_LOCAL_PREF, EAF_INT, 0, 100);
	rta_build_set_int(&b, EA_BGP_ORIGIN, EAF_ENUM, 0, 2);
	x = rta_build_finish(&b);

	rta_build_start(&b, NULL);
	rta_build_set_int(&b, EA_BGP_ORIGIN, EAF_ENUM, 0, 2);
	rta_build_set_int(&b, EA_BGP_LOCAL_PREF, EAF_INT, 0, 100);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0, 7);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0, 5);	/* last one wins */
	rta_build_nexthops(&b, nh2, 3);
	y = rta_build_finish(&b);
	assert_ptr_equal(x, y);

	/* sorted next hops (BIRD 2.0.12 prints the heavier first, then by
	 * gateway: `via 10.1.0.2 weight 3` before `via 10.0.0.2 weight 1`)
	 * and attributes inside */
	const struct nexthop *n = rta_nexthops(x);
	assert_int_equal(x->nh_count, 3);
	assert_int_equal(ip4_to_u32(n[0].gw), 0x0a000003);
	assert_int_equal(n[0].weight, 1);
	for (unsigned i = 1; i < 3; i++)
		assert_int_equal(ip4_to_u32(n[i].gw), 0x0a000000 + i);
	for (unsigned i = 1; i < x->ea_count; i++)
		assert_true(rta_eattrs(x)[i - 1].id < rta_eattrs(x)[i].id);
	rta_unref(x);
	rta_unref(y);
}

static void
test_reads_in_place(void **state)
{
	struct rta *a = bgp_set(42);
	struct ea_val v;
	const uint8_t *lo = (const uint8_t *)a, *hi = lo + rta_size(a);

	(void)state;
	assert_true(rta_get(a, EA_BGP_MED, &v));
	assert_int_equal(v.type, EAF_INT);
	assert_int_equal(v.i, 42);
	assert_null(v.data);
	assert_true(rta_get(a, EA_BGP_COMMUNITY, &v));
	assert_int_equal(v.type, EAF_INT_SET);
	assert_int_equal(v.flags, EAF_BGP_OPTIONAL | EAF_BGP_TRANSITIVE);
	assert_int_equal(v.len, sizeof(comm_a));
	assert_true((const uint8_t *)v.data >= lo && (const uint8_t *)v.data + v.len <= hi);
	assert_int_equal((uintptr_t)v.data % 4, 0);
	assert_int_equal(((const uint32_t *)v.data)[1], comm_a[1]);
	assert_true(rta_get(a, EA_BGP_AS_PATH, &v));
	assert_int_equal(v.len, sizeof(path_a));
	assert_memory_equal(v.data, path_a, sizeof(path_a));
	assert_false(rta_get(a, EA_BGP_LOCAL_PREF, &v));
	assert_null(ea_find(a, EA_BGP_LARGE_COMMUNITY));
	assert_non_null(ea_find(a, EA_BGP_ORIGIN));
	assert_int_equal(a->source, RTS_BGP);
	assert_int_equal(a->dest, RTD_UNICAST);
	assert_int_equal(a->scope, SCOPE_UNIVERSE);
	assert_int_equal(rta_nexthops(a)[0].ifindex, 2);
	rta_unref(a);
}

static void
test_copy_on_write(void **state)
{
	struct rta *a = bgp_set(1), *b, *c;
	struct rta_builder bd;
	struct ea_val v;
	static const uint32_t more[] = { 1, 2, 3 };

	(void)state;
	/* untouched: the base itself, one more reference */
	rta_build_start(&bd, a);
	b = rta_build_finish(&bd);
	assert_ptr_equal(a, b);
	assert_int_equal(a->uc, 2);
	rta_unref(b);

	/* a change makes a new set; the base keeps its value */
	rta_build_start(&bd, a);
	rta_build_set_int(&bd, EA_BGP_MED, EAF_INT, EAF_BGP_OPTIONAL, 2);
	assert_true(rta_build_get(&bd, EA_BGP_MED, &v));
	assert_int_equal(v.i, 2);
	assert_true(rta_build_get(&bd, EA_BGP_COMMUNITY, &v));	/* from the base */
	assert_int_equal(v.len, sizeof(comm_a));
	b = rta_build_finish(&bd);
	assert_ptr_not_equal(a, b);
	assert_int_equal(ea_find(a, EA_BGP_MED)->val, 1);
	assert_int_equal(ea_find(b, EA_BGP_MED)->val, 2);
	c = bgp_set(2);
	assert_ptr_equal(b, c);		/* equal to one built from scratch */
	rta_unref(c);

	/* setting the old value back: the base again, no new set */
	rta_build_start(&bd, b);
	rta_build_set_int(&bd, EA_BGP_MED, EAF_INT, EAF_BGP_OPTIONAL, 1);
	c = rta_build_finish(&bd);
	assert_ptr_equal(c, a);
	rta_unref(c);

	/* unset hides the base's value; unsetting an absent one changes nothing */
	rta_build_start(&bd, a);
	rta_build_unset(&bd, EA_BGP_COMMUNITY);
	rta_build_unset(&bd, EA_BGP_LOCAL_PREF);
	assert_false(rta_build_get(&bd, EA_BGP_COMMUNITY, &v));
	assert_false(rta_build_get(&bd, EA_BGP_LOCAL_PREF, &v));
	c = rta_build_finish(&bd);
	assert_ptr_not_equal(c, a);
	assert_null(ea_find(c, EA_BGP_COMMUNITY));
	assert_int_equal(c->ea_count, a->ea_count - 1);
	assert_true(rta_get(c, EA_BGP_AS_PATH, &v));	/* data moved intact */
	assert_memory_equal(v.data, path_a, sizeof(path_a));
	rta_unref(c);

	/* data replaced; fixed fields changed */
	rta_build_start(&bd, a);
	rta_build_set_data(&bd, EA_BGP_COMMUNITY, EAF_INT_SET, 0xc0, more, sizeof(more));
	bd.dest = RTD_BLACKHOLE;
	rta_build_nexthops(&bd, NULL, 0);
	c = rta_build_finish(&bd);
	assert_true(rta_get(c, EA_BGP_COMMUNITY, &v));
	assert_int_equal(v.len, 12);
	assert_int_equal(((const uint32_t *)v.data)[2], 3);
	assert_int_equal(c->dest, RTD_BLACKHOLE);
	assert_int_equal(c->nh_count, 0);
	rta_unref(c);

	/* aborted: nothing interned */
	size_t n = rta_count();
	rta_build_start(&bd, a);
	rta_build_set_int(&bd, EA_BGP_MED, EAF_INT, 0, 99);
	rta_build_abort(&bd);
	assert_int_equal(rta_count(), n);

	rta_unref(b);
	rta_unref(a);
	assert_int_equal(rta_count(), 0);
}

static void
test_many_edits(void **state)
{
	struct rta_builder bd;
	struct rta *a, *b;
	struct ea_val v;
	uint32_t data[40];

	(void)state;
	rta_build_start(&bd, NULL);
	for (unsigned i = 0; i < 40; i++) {	/* beyond the inline edits, reversed */
		data[i] = i * 7;
		if (i % 2)
			rta_build_set_int(&bd, EA_CODE(EAP_BGP, 100 - i), EAF_INT, 0, i);
		else
			rta_build_set_data(&bd, EA_CODE(EAP_BGP, 100 - i), EAF_OPAQUE, 0,
			    &data[i], 1 + i % 4);
	}
	assert_true(rta_build_get(&bd, EA_CODE(EAP_BGP, 99), &v));
	assert_int_equal(v.i, 1);
	a = rta_build_finish(&bd);
	assert_int_equal(a->ea_count, 40);
	for (unsigned i = 1; i < 40; i++)
		assert_true(rta_eattrs(a)[i - 1].id < rta_eattrs(a)[i].id);
	for (unsigned i = 0; i < 40; i++) {
		assert_true(rta_get(a, EA_CODE(EAP_BGP, 100 - i), &v));
		if (i % 2) {
			assert_int_equal(v.i, i);
		} else {
			assert_int_equal(v.len, 1 + i % 4);
			assert_memory_equal(v.data, &data[i], v.len);
		}
	}
	/* the same, built forwards */
	rta_build_start(&bd, NULL);
	for (unsigned i = 40; i-- > 0;) {
		if (i % 2)
			rta_build_set_int(&bd, EA_CODE(EAP_BGP, 100 - i), EAF_INT, 0, i);
		else
			rta_build_set_data(&bd, EA_CODE(EAP_BGP, 100 - i), EAF_OPAQUE, 0,
			    &data[i], 1 + i % 4);
	}
	b = rta_build_finish(&bd);
	assert_ptr_equal(a, b);
	rta_unref(a);
	rta_unref(b);
}

static uint32_t
const_hash(const void *body, size_t len)
{
	(void)body, (void)len;
	return 42;
}

static void
test_hash_collisions(void **state)
{
	enum { N = 300 };
	struct rta *s[N];

	(void)state;
	rta_set_hash_hook(const_hash);
	for (unsigned i = 0; i < N; i++) {
		s[i] = bgp_set(i);
	}
	assert_int_equal(rta_count(), N);
	for (unsigned i = 0; i < N; i++) {
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, s[i]);
		assert_int_equal(ea_find(again, EA_BGP_MED)->val, i);
		rta_unref(again);
	}
	for (unsigned i = 0; i < N; i += 2)	/* unlink from the middle of a chain */
		rta_unref(s[i]);
	for (unsigned i = 1; i < N; i += 2) {
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, s[i]);
		rta_unref(again);
		rta_unref(s[i]);
	}
	assert_int_equal(rta_count(), 0);
	rta_set_hash_hook(NULL);
}

static void
test_use_count_checks(void **state)
{
	struct rta *a = bgp_set(7);
	jmp_buf jb;
	volatile int hit = 0;

	(void)state;
	bug_jmp = &jb;
	a->uc = UINT32_MAX;
	if (!setjmp(jb))
		rta_ref(a);
	else
		hit++;
	assert_int_equal(hit, 1);
	assert_int_equal(a->uc, UINT32_MAX);
	a->uc = 0;
	if (!setjmp(jb))
		rta_unref(a);
	else
		hit++;
	assert_int_equal(hit, 2);
	bug_jmp = NULL;
	a->uc = 1;
	rta_unref(a);
	assert_int_equal(rta_count(), 0);
}

static void
test_big_set_and_memory(void **state)
{
	struct rta_builder bd;
	struct rta *a, *b;
	static uint32_t comms[600];
	size_t e0;

	(void)state;
	b = bgp_set(0);			/* warm up: table and scratch exist */
	rta_unref(b);
	e0 = eff();

	a = bgp_set(3);
	assert_true(eff() >= e0 + rta_size(a));
	assert_true(eff() < e0 + rta_size(a) + 16);	/* one slab slot */
	rta_unref(a);
	assert_int_equal(eff(), e0);

	for (unsigned i = 0; i < 600; i++)
		comms[i] = i;
	rta_build_start(&bd, NULL);
	rta_build_set_data(&bd, EA_BGP_COMMUNITY, EAF_INT_SET, 0, comms, sizeof(comms));
	a = rta_build_finish(&bd);	/* > 1 KiB: from malloc */
	assert_true(rta_size(a) > 2400);
	rta_build_start(&bd, NULL);
	rta_build_set_data(&bd, EA_BGP_COMMUNITY, EAF_INT_SET, 0, comms, sizeof(comms));
	b = rta_build_finish(&bd);
	assert_ptr_equal(a, b);
	assert_true(eff() >= e0 + rta_size(a));
	rta_unref(a);
	rta_unref(b);
	assert_true(eff() <= e0 + 16384);	/* only the grown scratch remains */
	assert_int_equal(rta_count(), 0);
}

static void
test_empty_set(void **state)
{
	struct rta_builder bd;
	struct rta *a, *b;

	(void)state;
	rta_build_start(&bd, NULL);
	a = rta_build_finish(&bd);
	rta_build_start(&bd, NULL);
	b = rta_build_finish(&bd);
	assert_ptr_equal(a, b);
	assert_int_equal(a->ea_count, 0);
	assert_int_equal(a->nh_count, 0);
	assert_int_equal(rta_size(a), sizeof(struct rta));
	rta_unref(a);
	rta_unref(b);
}


/* data items are found by their lengths alone (no stored offsets): odd
 * lengths are padded, an item removed or resized moves the later ones, and
 * the size is exactly header + next hops + attributes + padded items */
static void
test_data_items(void **state)
{
	static const uint8_t opq5[5] = { 1, 2, 3, 4, 5 }, opq3[3] = { 7, 8, 9 };
	static const uint8_t path1[6] = { 2, 1, 0, 0, 0xfd, 0xe8 };	/* 64488 */
	static const uint32_t lc[3] = { 64500, 1, 2 };
	struct rta_builder b;
	struct ea_val v;
	struct rta *x, *y;

	(void)state;
	rta_build_start(&b, NULL);
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, 0x40, path1, sizeof(path1));
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, opq5, sizeof(opq5));
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0x80, 9);
	rta_build_set_data(&b, EA_BGP_ATOMIC_AGGR, EAF_OPAQUE, 0x40, "", 0);
	rta_build_set_data(&b, EA_BGP_COMMUNITY, EAF_INT_SET, 0xc0, comm_a, sizeof(comm_a));
	rta_build_set_data(&b, EA_BGP_LARGE_COMMUNITY, EAF_LC_SET, 0xc0, lc, sizeof(lc));
	x = rta_build_finish(&b);
	/* 16 + 6 attributes of 8 + items 8 (6) + 0 + 8 (5) + 8 + 12 */
	assert_int_equal(sizeof(struct rta), 16);
	assert_int_equal(rta_size(x), 16 + 6 * 8 + 8 + 0 + 8 + 8 + 12);
	assert_true(rta_get(x, EA_BGP_AS_PATH, &v));
	assert_int_equal(v.len, 6);
	assert_memory_equal(v.data, path1, 6);
	assert_int_equal((uintptr_t)v.data % 4, 0);
	assert_true(rta_get(x, EA_BGP_ATOMIC_AGGR, &v));
	assert_int_equal(v.len, 0);
	assert_true(rta_get(x, EA_BGP_AGGREGATOR, &v));
	assert_int_equal(v.len, 5);
	assert_memory_equal(v.data, opq5, 5);
	assert_true(rta_get(x, EA_BGP_COMMUNITY, &v));
	assert_int_equal(v.len, sizeof(comm_a));
	assert_memory_equal(v.data, comm_a, sizeof(comm_a));
	assert_int_equal((uintptr_t)v.data % 4, 0);
	assert_true(rta_get(x, EA_BGP_LARGE_COMMUNITY, &v));
	assert_memory_equal(v.data, lc, sizeof(lc));
	assert_true(rta_get(x, EA_BGP_MED, &v));
	assert_int_equal(v.i, 9);
	/* below 64 KiB: the set's size in shape, items as offset << 16 | length
	 * (ids 0x102 path, 0x106 atomic, 0x107 aggregator, 0x108, 0x120) */
	assert_int_equal(x->shape, 100);
	assert_int_equal(ea_find(x, EA_BGP_AS_PATH)->val, 0 << 16 | 6);
	assert_int_equal(ea_find(x, EA_BGP_ATOMIC_AGGR)->val, 8 << 16 | 0);
	assert_int_equal(ea_find(x, EA_BGP_AGGREGATOR)->val, 8 << 16 | 5);
	assert_int_equal(ea_find(x, EA_BGP_COMMUNITY)->val, 16 << 16 | 8);
	assert_int_equal(ea_find(x, EA_BGP_LARGE_COMMUNITY)->val, 24 << 16 | 12);
	assert_int_equal(ea_find(x, EA_BGP_MED)->val, 9);
	assert_ptr_equal(v.data, NULL);
	assert_true(rta_get(x, EA_BGP_LARGE_COMMUNITY, &v));
	assert_ptr_equal(v.data, (const uint8_t *)x + 16 + 6 * 8 + 24);

	/* the aggregator shrinks to 3 bytes (same padded size), the path goes */
	rta_build_start(&b, x);
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, opq3, sizeof(opq3));
	rta_build_unset(&b, EA_BGP_AS_PATH);
	y = rta_build_finish(&b);
	assert_int_equal(rta_size(y), 16 + 5 * 8 + 0 + 4 + 8 + 12);
	assert_false(rta_get(y, EA_BGP_AS_PATH, &v));
	assert_true(rta_get(y, EA_BGP_AGGREGATOR, &v));
	assert_int_equal(v.len, 3);
	assert_memory_equal(v.data, opq3, 3);
	assert_true(rta_get(y, EA_BGP_COMMUNITY, &v));
	assert_memory_equal(v.data, comm_a, sizeof(comm_a));
	assert_true(rta_get(y, EA_BGP_LARGE_COMMUNITY, &v));
	assert_int_equal(v.len, sizeof(lc));
	assert_memory_equal(v.data, lc, sizeof(lc));

	/* and back: the same set as x, found by content */
	rta_build_start(&b, y);
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, opq5, sizeof(opq5));
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, 0x40, path1, sizeof(path1));
	assert_ptr_equal(rta_build_finish(&b), x);
	assert_int_equal(x->uc, 2);
	rta_unref(x);
	rta_unref(x);
	rta_unref(y);
	assert_int_equal(rta_count(), 0);
}


/* an IPv4 next hop is kept in 4 bytes and read back as the full ip_addr;
 * IPv6 ones and pairs stay 16 and 32 bytes */
static void
test_ip4_next_hop(void **state)
{
	ip_addr v4 = ip4_from_u32(0xc0000201);		/* 192.0.2.1 */
	ip_addr v6[2] = { { { 0x20010db8, 0, 0, 1 } }, { { 0xfe800000, 0, 0, 2 } } };
	struct rta_builder b;
	struct ea_val v;
	const void *d;
	uint32_t len;
	struct rta *x, *y, *z;

	(void)state;
	rta_build_start(&b, NULL);
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, 0x40, &v4, sizeof v4);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0x80, 1);
	x = rta_build_finish(&b);
	assert_int_equal(rta_size(x), 16 + 2 * 8 + 4);
	ea_data(x, ea_find(x, EA_BGP_NEXT_HOP), &d, &len);	/* the stored bytes */
	assert_int_equal(len, 4);
	assert_int_equal(*(const uint32_t *)d, 0xc0000201);
	assert_true(rta_get(x, EA_BGP_NEXT_HOP, &v));
	assert_int_equal(v.type, EAF_IP);
	assert_int_equal(v.len, sizeof(ip_addr));
	assert_memory_equal(v.data, &v4, sizeof v4);
	/* read through a builder over x: the same */
	rta_build_start(&b, x);
	assert_true(rta_build_get(&b, EA_BGP_NEXT_HOP, &v));
	assert_memory_equal(v.data, &v4, sizeof v4);
	/* setting the same address again gives x back (same stored bytes) */
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, 0x40, &v4, sizeof v4);
	assert_ptr_equal(rta_build_finish(&b), x);
	rta_unref(x);

	rta_build_start(&b, x);
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, 0x40, v6, sizeof v6[0]);
	y = rta_build_finish(&b);
	assert_int_equal(rta_size(y), 16 + 2 * 8 + 16);
	assert_true(rta_get(y, EA_BGP_NEXT_HOP, &v));
	assert_int_equal(v.len, 16);
	assert_memory_equal(v.data, &v6[0], 16);
	rta_build_start(&b, y);
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, 0x40, v6, sizeof v6);
	z = rta_build_finish(&b);
	assert_int_equal(rta_size(z), 16 + 2 * 8 + 32);
	assert_true(rta_get(z, EA_BGP_NEXT_HOP, &v));
	assert_int_equal(v.len, 32);
	assert_memory_equal(v.data, v6, 32);
	/* and back to IPv4: the first set, found by content */
	rta_build_start(&b, z);
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, 0x40, &v4, sizeof v4);
	assert_ptr_equal(rta_build_finish(&b), x);
	assert_true(rta_get(z, EA_BGP_MED, &v));
	assert_int_equal(v.i, 1);
	rta_unref(x);
	rta_unref(x);
	rta_unref(y);
	rta_unref(z);
	assert_int_equal(rta_count(), 0);
}

/* the IGP metric: absent (no bytes) when 0, 4 bytes after the attributes
 * otherwise; part of the content, so it splits sets */
static void
test_igp_metric(void **state)
{
	static const uint8_t path1[6] = { 2, 1, 0, 0, 0xfd, 0xe8 };
	struct rta_builder b;
	struct ea_val v;
	struct rta *plain, *x, *y;

	(void)state;
	rta_build_start(&b, NULL);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0x80, 7);
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, 0x40, path1, sizeof path1);
	plain = rta_build_finish(&b);
	assert_int_equal(rta_size(plain), 16 + 2 * 8 + 8);
	assert_int_equal(rta_igp_metric(plain), 0);

	rta_build_start(&b, plain);
	b.igp_metric = 1000;
	x = rta_build_finish(&b);
	assert_ptr_not_equal(x, plain);
	assert_int_equal(rta_size(x), 16 + 2 * 8 + 4 + 8);
	assert_int_equal(rta_igp_metric(x), 1000);
	assert_true(rta_get(x, EA_BGP_AS_PATH, &v));	/* the blob moved by 4 */
	assert_ptr_equal(v.data, (const uint8_t *)x + 16 + 2 * 8 + 4);
	assert_memory_equal(v.data, path1, sizeof path1);
	assert_true(rta_get(x, EA_BGP_MED, &v));
	assert_int_equal(v.i, 7);

	rta_build_start(&b, x);			/* the builder starts from the base's */
	assert_int_equal(b.igp_metric, 1000);
	assert_ptr_equal(rta_build_finish(&b), x);	/* untouched */
	rta_unref(x);
	rta_build_start(&b, NULL);		/* built from nothing: the same set */
	b.igp_metric = 1000;
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, 0x40, path1, sizeof path1);
	rta_build_set_int(&b, EA_BGP_MED, EAF_INT, 0x80, 7);
	assert_ptr_equal(rta_build_finish(&b), x);
	rta_unref(x);
	rta_build_start(&b, x);
	b.igp_metric = 1001;
	y = rta_build_finish(&b);
	assert_ptr_not_equal(y, x);
	assert_int_equal(rta_igp_metric(y), 1001);
	rta_build_start(&b, y);
	b.igp_metric = 0;			/* back to none: the plain set */
	assert_ptr_equal(rta_build_finish(&b), plain);
	rta_unref(plain);
	rta_unref(plain);
	rta_unref(x);
	rta_unref(y);
	assert_int_equal(rta_count(), 0);
}

/* FNV-1a, so that the test knows what the stored hash must be */
static unsigned hash_calls;

static uint32_t
fnv_hash(const void *body, size_t len)
{
	const uint8_t *p = body;
	uint32_t h = 2166136261u;

	hash_calls++;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* the hash is computed once per set built; growing the table (1024 slots,
 * doubling past 3/4 full), unlinking and shrinking use the stored one */
static void
test_stored_hash(void **state)
{
	enum { N = 5000 };
	static struct rta *s[N];

	(void)state;
	rta_set_hash_hook(fnv_hash);
	hash_calls = 0;
	for (unsigned i = 0; i < N; i++)
		s[i] = bgp_set(i);
	assert_int_equal(hash_calls, N);	/* 768, 1536 and 3072 sets grew the table */
	for (unsigned i = 0; i < N; i += 97) {
		size_t body = rta_size(s[i]) - offsetof(struct rta, source);
		assert_int_equal(s[i]->hash, fnv_hash((const uint8_t *)s[i] +
		    offsetof(struct rta, source), body));
	}
	hash_calls = 0;
	for (unsigned i = 0; i < N; i += 3) {	/* found again after the resizes */
		assert_ptr_equal(bgp_set(i), s[i]);
		rta_unref(s[i]);
	}
	assert_int_equal(hash_calls, (N + 2) / 3);
	hash_calls = 0;
	for (unsigned i = 0; i < N; i++)
		rta_unref(s[i]);		/* unlinks, and shrinks the table */
	assert_int_equal(hash_calls, 0);
	assert_int_equal(rta_count(), 0);
	rta_set_hash_hook(NULL);
}

/* one opaque item of len bytes, and a large community after it */
static struct rta *
opaque_set(const uint8_t *data, uint32_t len)
{
	static const uint32_t lc[3] = { 64500, 7, 8 };
	struct rta_builder b;

	rta_build_start(&b, NULL);
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, data, len);
	rta_build_set_data(&b, EA_BGP_LARGE_COMMUNITY, EAF_LC_SET, 0xc0, lc, sizeof lc);
	return rta_build_finish(&b);
}

/* up to 65532 bytes a set keeps its size and its items' offsets; from
 * 65536 on (an extended message's attributes) it keeps lengths only and
 * finds offsets by walking; both read the same */
static void
test_long_sets(void **state)
{
	static uint8_t big[70000];
	struct ea_val v;
	const void *d;
	uint32_t len;
	struct rta *x, *y, *z;

	(void)state;
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7 + 1);
	/* 16 + 2 * 8 + 65488 + 12 = 65532: the largest short one */
	x = opaque_set(big, 65488);
	assert_int_equal(x->shape & RTA_SIZE, 65532);
	assert_int_equal(rta_size(x), 65532);
	assert_int_equal(ea_find(x, EA_BGP_LARGE_COMMUNITY)->val, 65488u << 16 | 12);
	/* 65489 bytes pad to 65492: 65536 in all, the smallest long one */
	y = opaque_set(big, 65489);
	assert_int_equal(y->shape & RTA_SIZE, 0);
	assert_int_equal(rta_size(y), 65536);
	assert_int_equal(ea_find(y, EA_BGP_LARGE_COMMUNITY)->val, 12);
	assert_int_equal(ea_find(y, EA_BGP_AGGREGATOR)->val, 65489);
	assert_true(rta_get(y, EA_BGP_AGGREGATOR, &v));
	assert_int_equal(v.len, 65489);
	assert_memory_equal(v.data, big, 65489);
	ea_data(y, ea_find(y, EA_BGP_LARGE_COMMUNITY), &d, &len);
	assert_int_equal(len, 12);
	assert_ptr_equal(d, (const uint8_t *)y + 16 + 2 * 8 + 65492);
	assert_int_equal(((const uint32_t *)d)[1], 7);
	assert_ptr_equal(opaque_set(big, 65489), y);	/* found by content */
	rta_unref(y);
	/* 70000 bytes: offsets past 16 bits */
	z = opaque_set(big, 70000);
	assert_int_equal(rta_size(z), 16 + 2 * 8 + 70000 + 12);
	assert_true(rta_get(z, EA_BGP_LARGE_COMMUNITY, &v));
	assert_ptr_equal(v.data, (const uint8_t *)z + 16 + 2 * 8 + 70000);
	assert_int_equal(((const uint32_t *)v.data)[2], 8);
	/* edited down from a long base to a short set, and back up */
	struct rta_builder b;
	rta_build_start(&b, z);
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, big, 65488);
	assert_ptr_equal(rta_build_finish(&b), x);
	rta_build_start(&b, x);
	rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, big, 65489);
	assert_ptr_equal(rta_build_finish(&b), y);
	assert_true(rta_get(x, EA_BGP_AGGREGATOR, &v));
	assert_memory_equal(v.data, big, 65488);
	rta_unref(x);
	rta_unref(x);
	rta_unref(y);
	rta_unref(y);
	rta_unref(z);
	assert_int_equal(rta_count(), 0);
}

/* FNV-1a with some bits forced: the intern table sees hashes that share
 * their tag (the top 12 bits) or their home slot as the test chooses */
static uint32_t hash_keep, hash_force;

static uint32_t
forced_hash(const void *body, size_t len)
{
	return (fnv_hash(body, len) & hash_keep) | hash_force;
}

static uint32_t rnd_state;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

enum { CHURN_N = 1500 };
static struct rta *churn_set[CHURN_N];	/* the model: set i has MED i */
static size_t churn_count;

/* every set of the model is found again, and is the only one interned */
static void
churn_check(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!churn_set[i])
			continue;
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, churn_set[i]);
		rta_unref(again);
	}
	assert_int_equal(rta_count(), churn_count);
}

/* i made present: an absent set is built new, never mistaken for another
 * set of a matching tag or home */
static void
churn_add(unsigned i)
{
	if (churn_set[i])
		return;
	churn_set[i] = bgp_set(i);
	churn_count++;
	assert_int_equal(rta_count(), churn_count);
	assert_int_equal(ea_find(churn_set[i], EA_BGP_MED)->val, i);
}

static void
churn_del(unsigned i)
{
	if (!churn_set[i])
		return;
	rta_unref(churn_set[i]);
	churn_set[i] = NULL;
	churn_count--;
}

/* fill n sets (the table grows while populated), churn them at random,
 * empty most of them (it shrinks), checking the model throughout; with
 * bare, the table turns to untagged slots halfway and back at the end */
static void
churn(unsigned n, uint32_t keep, uint32_t force, bool bare)
{
	hash_keep = keep;
	hash_force = force;
	rnd_state = 2463534242u;
	rta_set_hash_hook(forced_hash);
	for (unsigned i = 0; i < n; i++)
		churn_add(rnd() % n);
	churn_check(n);
	for (unsigned k = 0; k < 4 * n; k++) {
		unsigned i = rnd() % n;
		if (k == 2 * n && bare) {
			rta_set_bare_hook(true);
			churn_check(n);
		}
		if (churn_set[i] && rnd() % 3) {	/* removed from the middle of a run */
			churn_del(i);
		} else if (churn_set[i]) {	/* found, not added */
			struct rta *again = bgp_set(i);
			assert_ptr_equal(again, churn_set[i]);
			rta_unref(again);
		} else {
			churn_add(i);
		}
		if (k % 500 == 0)
			churn_check(n);
	}
	churn_check(n);
	for (unsigned i = 0; i < n; i++)	/* grow again: resize while full */
		churn_add(i);
	churn_check(n);
	for (unsigned i = 0; i < n; i++)
		if (i % 16)
			churn_del(i);
	churn_check(n);
	if (bare)
		rta_set_bare_hook(false);
	churn_check(n);
	for (unsigned i = 0; i < n; i++)
		churn_del(i);
	assert_int_equal(rta_count(), 0);
	rta_set_hash_hook(NULL);
}

/* the open addressed table: ordinary hashes; one tag for all (every slot
 * looked at is read); 64 homes in the last slots, so runs are long (their
 * distances past what a slot holds), wrap the table's end and move on
 * every removal; the same with one tag too; and untagged slots */
static void
test_table_runs(void **state)
{
	(void)state;
	churn(CHURN_N, 0xffffffffu, 0, false);
	churn(CHURN_N, 0x000fffffu, 0xabc00000u, false);
	churn(CHURN_N / 3, 0xfff0003fu, 0x000fffc0u, false);
	churn(CHURN_N / 3, 0x0000003fu, 0xabcfffc0u, false);
	churn(CHURN_N, 0xffffffffu, 0, true);
	churn(CHURN_N / 3, 0xfff0003fu, 0x000fffc0u, true);
}

/* a table past the size from which a resize prefetches the sets (more
 * than 65,536 slots): every set is found again after the table grew,
 * turned untagged and back, and shrank */
static void
test_big_table(void **state)
{
	enum { N = 120000 };
	struct rta **s = calloc(N, sizeof *s);

	(void)state;
	assert_non_null(s);
	for (unsigned i = 0; i < N; i++)
		s[i] = bgp_set(i);
	assert_int_equal(rta_count(), N);
	rta_set_bare_hook(true);
	rta_set_bare_hook(false);	/* every set placed again, at this size */
	for (unsigned i = 0; i < N; i++) {
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, s[i]);
		assert_int_equal(ea_find(again, EA_BGP_MED)->val, i);
		rta_unref(again);
	}
	for (unsigned i = 0; i < N; i++)	/* it shrinks */
		if (i % 16) {
			rta_unref(s[i]);
			s[i] = NULL;
		}
	assert_int_equal(rta_count(), N / 16);
	for (unsigned i = 0; i < N; i += 16) {
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, s[i]);
		rta_unref(again);
		rta_unref(s[i]);
	}
	assert_int_equal(rta_count(), 0);
	free(s);
}

/* a lookup of sets that are not there, among sets of the same tag and
 * home: each is built new, and the ones there are found */
static void
test_absent_sets(void **state)
{
	enum { N = 200 };
	static struct rta *s[N];

	(void)state;
	hash_keep = 0x3;			/* 4 hashes, one tag, 4 homes */
	hash_force = 0x12300000u;
	rta_set_hash_hook(forced_hash);
	for (unsigned i = 0; i < N; i += 2)
		s[i] = bgp_set(i);
	assert_int_equal(rta_count(), N / 2);
	for (unsigned i = 1; i < N; i += 2) {	/* absent: new ones */
		s[i] = bgp_set(i);
		assert_int_equal(rta_count(), N / 2 + (i + 1) / 2);
		assert_int_equal(ea_find(s[i], EA_BGP_MED)->val, i);
		for (unsigned j = 0; j < i; j++)
			assert_ptr_not_equal(s[i], s[j]);
	}
	for (unsigned i = 0; i < N; i++) {
		struct rta *again = bgp_set(i);
		assert_ptr_equal(again, s[i]);
		rta_unref(again);
		rta_unref(s[i]);
	}
	assert_int_equal(rta_count(), 0);
	rta_set_hash_hook(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_items),
		cmocka_unit_test(test_big_table),
		cmocka_unit_test(test_ip4_next_hop),
		cmocka_unit_test(test_same_content_same_pointer),
		cmocka_unit_test(test_canonical_order),
		cmocka_unit_test(test_reads_in_place),
		cmocka_unit_test(test_copy_on_write),
		cmocka_unit_test(test_many_edits),
		cmocka_unit_test(test_hash_collisions),
		cmocka_unit_test(test_use_count_checks),
		cmocka_unit_test(test_big_set_and_memory),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_igp_metric),
		cmocka_unit_test(test_stored_hash),
		cmocka_unit_test(test_long_sets),
		cmocka_unit_test(test_table_runs),
		cmocka_unit_test(test_absent_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
