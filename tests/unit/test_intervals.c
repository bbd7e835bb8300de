/* LINK: vm/intervals.c core/net.c core/mem.c */
/*
 * Unit tests for vm/intervals.c: interval sets and community-list matchers.
 *
 * Fixed cases were checked with BIRD 2.0.12's `birdc eval` (the literal is
 * given beside each): printed sets keep the ranges as written, sorted by
 * lower bound and unmerged (`[1..5, 1..3]`), pair and lc wildcards become
 * ranges, ec elements print in BIRD's (kind, key, value) forms, membership
 * verdicts, and delete/filter on clist, eclist and lclist keep the list's
 * order. Random cases: thousands of random sets of 32-, 64-, 96- and
 * 128-bit ranges (fixed seeds, crowded so they overlap and touch, with the
 * extreme keys) answer every query as a linear scan over the ranges does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vm/set_int.h"

#define P(a, b) ((uint32_t)(a) << 16 | (uint32_t)(b))
#define R(a, b) { { 0, (a) }, { 0, (b) } }
#define EC(t, hi, lo) ((uint64_t)(t) << 48 | (uint64_t)(hi) << 32 | (uint64_t)(lo))

static struct pool *pool;

static int
setup(void **state)
{
	(void)state;
	pool = pool_new(MEM_MISC, "test");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pool_free(pool);
	return 0;
}

static const struct vm_iset *
mk(enum vm_iset_kind kind, const struct vm_iset_range *r, unsigned n)
{
	struct vm_iset *s = pool_alloc(pool, sizeof *s);

	assert_int_equal(vm_iset_build(pool, kind, r, n, s), 0);
	return s;
}

static void
expect_print(const struct vm_iset *s, const char *want)
{
	char buf[512];

	assert_int_equal(vm_iset_format(s, buf, sizeof buf), strlen(want));
	assert_string_equal(buf, want);
}

static void
test_bird_print(void **state)
{
	(void)state;
	/* [1,2,3,5..7, 6..9, 100] */
	static const struct vm_iset_range a[] = { R(1, 1), R(2, 2), R(3, 3), R(5, 7), R(6, 9), R(100, 100) };
	expect_print(mk(VM_ISET_INT, a, 6), "[1, 2, 3, 5..7, 6..9, 100]");
	/* [1..5, 1..3], [1..3, 1..5], [3, 3]: sorted by from, stable, unmerged */
	static const struct vm_iset_range b[] = { R(1, 5), R(1, 3) }, c[] = { R(1, 3), R(1, 5) },
	    d[] = { R(3, 3), R(3, 3) };
	expect_print(mk(VM_ISET_INT, b, 2), "[1..5, 1..3]");
	expect_print(mk(VM_ISET_INT, c, 2), "[1..3, 1..5]");
	expect_print(mk(VM_ISET_INT, d, 2), "[3, 3]");
	/* [4294967295, 0, 4294967294..4294967295] */
	static const struct vm_iset_range e[] = { R(4294967295u, 4294967295u), R(0, 0), R(4294967294u, 4294967295u) };
	expect_print(mk(VM_ISET_INT, e, 3), "[0, 4294967294..4294967295, 4294967295]");
	/* [(1,2), (3,*), (4,5..10), (1,3)] */
	static const struct vm_iset_range f[] = { R(P(1, 2), P(1, 2)), R(P(3, 0), P(3, 65535)),
	    R(P(4, 5), P(4, 10)), R(P(1, 3), P(1, 3)) };
	expect_print(mk(VM_ISET_PAIR, f, 4), "[(1,2), (1,3), (3,0)..(3,65535), (4,5)..(4,10)]");
	/* [(64500,*), (64501, 1..5), (65535, 65535)] */
	struct vm_iset_range g[3];
	assert_int_equal(vm_iset_pair_ranges(64500, 64500, 0, 65535, g, 1), 1);
	assert_int_equal(vm_iset_pair_ranges(64501, 64501, 1, 5, g + 1, 1), 1);
	assert_int_equal(vm_iset_pair_ranges(65535, 65535, 65535, 65535, g + 2, 1), 1);
	expect_print(mk(VM_ISET_PAIR, g, 3),
	    "[(64500,0)..(64500,65535), (64501,1)..(64501,5), (65535,65535)]");
	/* [(1..2,*)] and [(1..3, 5..6)] */
	struct vm_iset_range h[3];
	assert_int_equal(vm_iset_pair_ranges(1, 2, 0, 65535, h, 3), 1);
	expect_print(mk(VM_ISET_PAIR, h, 1), "[(1,0)..(2,65535)]");
	assert_int_equal(vm_iset_pair_ranges(1, 3, 5, 6, h, 3), 3);
	expect_print(mk(VM_ISET_PAIR, h, 3), "[(1,5)..(1,6), (2,5)..(2,6), (3,5)..(3,6)]");
	assert_int_equal(vm_iset_pair_ranges(0, 65535, 4, 20, NULL, 0), 65536);
	/* [1.2.3.4..1.2.3.10, 0.0.0.5] as a quad set */
	static const struct vm_iset_range q[] = { R(0x01020304, 0x0102030a), R(5, 5) };
	expect_print(mk(VM_ISET_QUAD, q, 2), "[0.0.0.5, 1.2.3.4..1.2.3.10]");
	/* [(1,2,3), (4,5,*), (6,7..9,*)] */
	const struct vm_iset_range l[] = {
		{ vm_iset_klc(1, 2, 3), vm_iset_klc(1, 2, 3) },
		{ vm_iset_klc(4, 5, 0), vm_iset_klc(4, 5, UINT32_MAX) },
		{ vm_iset_klc(6, 7, 0), vm_iset_klc(6, 9, UINT32_MAX) },
	};
	expect_print(mk(VM_ISET_LC, l, 3),
	    "[(1, 2, 3), (4, 5, 0)..(4, 5, 4294967295), (6, 7, 0)..(6, 9, 4294967295)]");
	/* [10.0.0.1, 10.0.0.2..10.0.0.9, ::1] */
	ip_addr a1 = ip4_from_u32(0x0a000001), a2 = ip4_from_u32(0x0a000002),
	    a9 = ip4_from_u32(0x0a000009), l1 = { { 0, 0, 0, 1 } };
	const struct vm_iset_range ip[] = { { vm_iset_kip(a1), vm_iset_kip(a1) }, { vm_iset_kip(a2), vm_iset_kip(a9) },
	    { vm_iset_kip(l1), vm_iset_kip(l1) } };
	const struct vm_iset *ips = mk(VM_ISET_IP, ip, 3);
	expect_print(ips, "[::1, 10.0.0.1, 10.0.0.2..10.0.0.9]");
	assert_true(vm_iset_has_ip(ips, ip4_from_u32(0x0a000005)));	/* BIRD: TRUE */
	assert_false(vm_iset_has_ip(ips, (ip_addr){ { 0, 0, 0, 2 } }));	/* BIRD: FALSE */
	/* [(rt, 70000, 5), (rt, 1, 0..10)] and [(ro, 3, *)] */
	const struct vm_iset_range ec[] = { { vm_iset_k64(EC(0x0202, 70000 >> 16, (70000u & 0xffff) << 16 | 5)),
	    vm_iset_k64(EC(0x0202, 70000 >> 16, (70000u & 0xffff) << 16 | 5)) },
	    { vm_iset_k64(EC(0x0002, 1, 0)), vm_iset_k64(EC(0x0002, 1, 10)) } };
	expect_print(mk(VM_ISET_EC, ec, 2), "[(rt, 1, 0)..(rt, 1, 10), (rt, 70000, 5)]");
	const struct vm_iset_range ro[] = { { vm_iset_k64(EC(0x0003, 3, 0)), vm_iset_k64(EC(0x0003, 3, UINT32_MAX)) } };
	const struct vm_iset *ros = mk(VM_ISET_EC, ro, 1);
	expect_print(ros, "[(ro, 3, 0)..(ro, 3, 4294967295)]");
	assert_true(vm_iset_has64(ros, EC(0x0003, 3, 77)));	/* BIRD: TRUE */
	assert_false(vm_iset_has64(ros, EC(0x0002, 3, 77)));	/* BIRD: FALSE */
	expect_print(mk(VM_ISET_INT, NULL, 0), "[]");
}

static void
test_ec_format(void **state)
{
	(void)state;
	static const struct {
		uint64_t ec;
		const char *text;	/* as BIRD 2.0.12 prints it */
	} c[] = {
		{ EC(0x0002, 1, 2), "(rt, 1, 2)" },
		{ EC(0x0102, 0x0a00, 0x00010005), "(rt, 10.0.0.1, 5)" },		/* (rt, 10.0.0.1, 5) */
		{ EC(0x0203, 1, 0x11700005), "(ro, 70000, 5)" },			/* (ro, 70000, 5) */
		{ 0x8000000000000001ull, "(generic, 0x80000000, 0x1)" },		/* (generic, 0x80000000, 1) */
		{ 0x0102030400000007ull, "(rt, 3.4.0.0, 7)" },			/* (generic, 0x01020304, 7) */
		{ 0x0000000100000002ull, "(unknown 0x0, 1, 2)" },		/* (generic, 1, 2) */
		{ 0x00020000fffe0000ull, "(rt, 0, 4294836224)" },
		{ 0x4003000000000005ull, "(unknown 0x4003, 0, 5)" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		assert_int_equal(vm_ec_format(c[i].ec, buf, sizeof buf), strlen(c[i].text));
		assert_string_equal(buf, c[i].text);
	}
}

static void
test_bird_membership(void **state)
{
	(void)state;
	static const struct vm_iset_range a[] = { R(1, 3), R(2, 5) };
	const struct vm_iset *s = mk(VM_ISET_INT, a, 2);
	assert_true(vm_iset_has32(s, 5));		/* 5 ~ [1..3, 2..5]: TRUE */
	assert_false(vm_iset_has32(s, 6));
	assert_false(vm_iset_has32(s, 0));

	struct vm_iset_range r[3];
	vm_iset_pair_ranges(64500, 64500, 0, 65535, r, 1);
	s = mk(VM_ISET_PAIR, r, 1);
	assert_true(vm_iset_has32(s, P(64500, 7)));	/* (64500, 7) ~ [(64500,*)] */
	assert_false(vm_iset_has32(s, P(64501, 7)));
	vm_iset_pair_ranges(1, 3, 5, 6, r, 3);
	s = mk(VM_ISET_PAIR, r, 3);
	assert_true(vm_iset_has32(s, P(2, 6)));		/* (2, 6) ~ [(1..3, 5..6)] */
	assert_false(vm_iset_has32(s, P(2, 7)));

	const struct vm_iset_range l[] = { { vm_iset_klc(4, 5, 0), vm_iset_klc(4, 5, UINT32_MAX) },
	    { vm_iset_klc(6, 7, 0), vm_iset_klc(6, 9, UINT32_MAX) } };
	s = mk(VM_ISET_LC, l, 2);
	assert_true(vm_iset_has128(s, vm_iset_klc(4, 5, 6)));
	assert_false(vm_iset_has128(s, vm_iset_klc(4, 6, 0)));
	assert_true(vm_iset_has128(s, vm_iset_klc(6, 8, 1)));
	assert_false(vm_iset_has128(s, vm_iset_klc(6, 10, 0)));

	static const struct vm_iset_range bad[] = { R(5, 3) };
	struct vm_iset x;
	assert_int_equal(vm_iset_build(pool, VM_ISET_INT, bad, 1, &x), -1);
}

static void
test_bird_lists(void **state)
{
	(void)state;
	struct vm_iset_range r[1];
	vm_iset_pair_ranges(64500, 64500, 0, 65535, r, 1);
	const struct vm_iset *s = mk(VM_ISET_PAIR, r, 1);
	/* (clist (64500,3) (1,2) (64500,1) (7,7)) */
	const uint32_t c[] = { P(64500, 3), P(1, 2), P(64500, 1), P(7, 7) };
	uint32_t out[4];

	assert_int_equal(vm_iset_clist_filter(s, c, 4, out, false), 2);	/* delete: (1,2) (7,7) */
	assert_int_equal(out[0], P(1, 2));
	assert_int_equal(out[1], P(7, 7));
	assert_int_equal(vm_iset_clist_filter(s, c, 4, out, true), 2);	/* filter: (64500,3) (64500,1) */
	assert_int_equal(out[0], P(64500, 3));
	assert_int_equal(out[1], P(64500, 1));
	vm_iset_pair_ranges(1, 1, 0, 5, r, 1);
	assert_true(vm_iset_clist_any(mk(VM_ISET_PAIR, r, 1), c, 3));	/* ~ [(1, 0..5)]: TRUE */
	vm_iset_pair_ranges(2, 2, 0, 5, r, 1);
	assert_false(vm_iset_clist_any(mk(VM_ISET_PAIR, r, 1), c, 3));
	assert_false(vm_iset_clist_any(s, c, 0));

	/* in place, duplicates kept */
	uint32_t d[] = { P(64500, 1), P(9, 9), P(64500, 1), P(9, 9) };
	assert_int_equal(vm_iset_clist_filter(s, d, 4, d, false), 2);
	assert_int_equal(d[0], P(9, 9));
	assert_int_equal(d[1], P(9, 9));

	/* delete(eclist (rt, 1, 2) (ro, 5, 5) (rt, 1, 9), [(rt, 1, *)]) = (eclist (ro, 5, 5)) */
	const struct vm_iset_range er[] = { { vm_iset_k64(EC(2, 1, 0)), vm_iset_k64(EC(2, 1, UINT32_MAX)) } };
	const struct vm_iset *es = mk(VM_ISET_EC, er, 1);
	uint32_t ew[] = { 0x00020001, 2, 0x00030005, 5, 0x00020001, 9 };	/* (high, low) words */
	assert_true(vm_iset_eclist_any(es, ew, 3));
	assert_int_equal(vm_iset_eclist_filter(es, ew, 3, ew, false), 1);
	assert_int_equal(ew[0], 0x00030005);
	assert_int_equal(ew[1], 5);
	assert_false(vm_iset_eclist_any(es, ew, 1));

	/* filter(lclist (1, 2, 3) (5, 5, 5) (1, 2, 9), [(1, 2, *)]) = (lclist (1, 2, 3) (1, 2, 9)) */
	const struct vm_iset_range lr[] = { { vm_iset_klc(1, 2, 0), vm_iset_klc(1, 2, UINT32_MAX) } };
	const struct vm_iset *ls = mk(VM_ISET_LC, lr, 1);
	uint32_t lw[] = { 1, 2, 3, 5, 5, 5, 1, 2, 9 };
	assert_int_equal(vm_iset_lclist_filter(ls, lw, 3, lw, true), 2);
	assert_int_equal(lw[2], 3);
	assert_int_equal(lw[5], 9);
	assert_true(vm_iset_lclist_any(ls, lw, 2));
	uint32_t lo[] = { 5, 5, 5 };
	assert_false(vm_iset_lclist_any(ls, lo, 1));
}

/* ---- random sets against linear scans ---- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static int
kcmp(struct vm_iset_key a, struct vm_iset_key b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static bool
scan(const struct vm_iset_range *r, unsigned n, struct vm_iset_key k)
{
	for (unsigned i = 0; i < n; i++)
		if (kcmp(r[i].from, k) <= 0 && kcmp(k, r[i].to) <= 0)
			return true;
	return false;
}

/* a key of the kind's width: small values near a random center, or edges */
static struct vm_iset_key
rkey(enum vm_iset_kind kind, struct vm_iset_key center)
{
	struct vm_iset_key k = center;
	uint64_t d = rnd() % 64;

	switch (rnd() % 8) {
	case 0:
		return (struct vm_iset_key){ 0, 0 };
	case 1:
		k = (struct vm_iset_key){ UINT64_MAX, UINT64_MAX };
		break;
	default:
		if (rnd() & 1) {
			k.lo += d;
			if (k.lo < d)
				k.hi++;
		} else {
			if (k.lo < d)
				k.hi--;
			k.lo -= d;
		}
	}
	switch (kind) {
	case VM_ISET_EC:
		k.hi = 0;
		break;
	case VM_ISET_LC:
		k.hi &= 0xffffffff;
		break;
	case VM_ISET_IP:
		break;
	default:
		k.hi = 0;
		k.lo &= 0xffffffff;
	}
	return k;
}

static bool
has(const struct vm_iset *s, struct vm_iset_key k)
{
	switch (s->kind) {
	case VM_ISET_EC:
		return vm_iset_has64(s, k.lo);
	case VM_ISET_LC:
	case VM_ISET_IP:
		return vm_iset_has128(s, k);
	default:
		return vm_iset_has32(s, (uint32_t)k.lo);
	}
}

static void
random_kind(enum vm_iset_kind kind, unsigned sets, uint64_t seed)
{
	enum { MAXR = 64, QUERIES = 200 };
	struct vm_iset_range r[MAXR];
	unsigned hits = 0, total = 0;

	rng_state = seed;
	for (unsigned s = 0; s < sets; s++) {
		unsigned n = (unsigned)(rnd() % (s % 8 ? 12 : MAXR));
		struct vm_iset_key center = { rnd(), rnd() };
		if (rnd() % 4 == 0)
			center = (struct vm_iset_key){ rnd() % 3 ? 0 : UINT64_MAX, rnd() % 3 ? 0 : UINT64_MAX };
		for (unsigned i = 0; i < n; i++) {
			struct vm_iset_key a = rkey(kind, center), b = rnd() % 3 ? rkey(kind, center) : a;
			if (kcmp(a, b) > 0) {
				struct vm_iset_key t = a;
				a = b;
				b = t;
			}
			r[i] = (struct vm_iset_range){ a, b };
		}
		struct vm_iset set;
		assert_int_equal(vm_iset_build(pool, kind, r, n, &set), 0);
		assert_true(set.n <= n);
		for (unsigned i = 1; i < set.nr; i++)	/* printing order */
			assert_true(kcmp(set.r[i - 1].from, set.r[i].from) <= 0);
		for (unsigned q = 0; q < QUERIES; q++) {
			struct vm_iset_key k = q % 4 == 0 && n ? r[rnd() % n].to : rkey(kind, center);
			bool want = scan(r, n, k);
			if (has(&set, k) != want)
				fail_msg("kind %d set %u: key %llx:%llx want %d", kind, s,
				    (unsigned long long)k.hi, (unsigned long long)k.lo, want);
			hits += want;
			total++;
		}
		pool_flush(pool);
	}
	assert_true(hits > total / 10 && hits < total - total / 10);
}

static void
test_random_int(void **state)
{
	(void)state;
	random_kind(VM_ISET_INT, 5000, 1);
}

static void
test_random_ec(void **state)
{
	(void)state;
	random_kind(VM_ISET_EC, 3000, 2);
}

static void
test_random_lc(void **state)
{
	(void)state;
	random_kind(VM_ISET_LC, 3000, 3);
}

static void
test_random_ip(void **state)
{
	(void)state;
	random_kind(VM_ISET_IP, 3000, 4);
}

/* delete and filter split a random clist in two, each in order */
static void
test_random_clist(void **state)
{
	(void)state;
	rng_state = 5;
	for (unsigned s = 0; s < 2000; s++) {
		struct vm_iset_range r[8];
		unsigned n = (unsigned)(rnd() % 8);
		for (unsigned i = 0; i < n; i++) {
			uint32_t a = 64500 + (uint32_t)(rnd() % 4);
			/* (a,*), (a..a+1,*) or (a, 0..10): one range each */
			if (rnd() % 2)
				vm_iset_pair_ranges(a, a + (uint32_t)(rnd() % 2), 0, 65535, &r[i], 1);
			else
				vm_iset_pair_ranges(a, a, 0, 10, &r[i], 1);
		}
		const struct vm_iset *set = mk(VM_ISET_PAIR, r, n);
		uint32_t c[40], del[40], keep[40];
		unsigned len = (unsigned)(rnd() % 40);
		for (unsigned i = 0; i < len; i++)
			c[i] = P(64500 + rnd() % 5, rnd() % 16);
		size_t nd = vm_iset_clist_filter(set, c, len, del, false);
		size_t nk = vm_iset_clist_filter(set, c, len, keep, true);
		assert_int_equal(nd + nk, len);
		size_t id = 0, ik = 0;
		for (unsigned i = 0; i < len; i++) {
			if (scan(r, n, vm_iset_k32(c[i])))
				assert_int_equal(keep[ik++], c[i]);
			else
				assert_int_equal(del[id++], c[i]);
		}
		assert_int_equal(vm_iset_clist_any(set, c, len), nk > 0);
		pool_flush(pool);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bird_print),
		cmocka_unit_test(test_ec_format),
		cmocka_unit_test(test_bird_membership),
		cmocka_unit_test(test_bird_lists),
		cmocka_unit_test(test_random_int),
		cmocka_unit_test(test_random_ec),
		cmocka_unit_test(test_random_lc),
		cmocka_unit_test(test_random_ip),
		cmocka_unit_test(test_random_clist),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
