/* LINK: vm/pathmask.c vm/intervals.c core/net.c core/mem.c */
/*
 * Unit tests for vm/pathmask.c: AS paths and path masks.
 *
 * Fixed cases: every verdict and printed mask in bird_masks[] came from
 * BIRD 2.0.12 (`birdc eval 'prepend(prepend(+empty+, 3), 2) ~ [= 2 3 =]'`
 * and `birdc eval '[= 1 2+ 3 =]'`), as did the .len, .first, .last,
 * .last_nonaggregated, delete, filter and `~` results in test_bird_path.
 * BIRD's eval cannot build AS_SETs, so paths with sets are checked against
 * a literal reading of BIRD's matching algorithm (descending marks, a
 * matched set stays marked and lets the marks flow through following
 * sets). Random cases: thousands of random sequence paths and masks
 * (`+` included) against a backtracking matcher, and of paths with AS_SETs
 * against that literal reading.
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

static const struct {
	uint32_t path[8];
	unsigned len;
	const char *mask, *printed;
	bool match;
} bird_masks[] = {
	{ { 64500, 64512, 7, 2 }, 4, "* 64512 ? 1..3", "[= * 64512 ? 1..3 =]", true },
	{ { 64512, 7, 2 }, 3, "* 64512 ? 1..3", "[= * 64512 ? 1..3 =]", true },
	{ { 1, 2, 2, 2, 3 }, 5, "1 2+ 3", "[= 1 2 + 3 =]", true },
	{ { 1, 3 }, 2, "1 2+ 3", "[= 1 2 + 3 =]", false },
	{ { 0 }, 0, "", "[= =]", true },
	{ { 0 }, 0, "*", "[= * =]", true },
	{ { 0 }, 0, "?", "[= ? =]", false },
	{ { 0 }, 0, "2+", "[= 2 + =]", false },
	{ { 1 }, 1, "*", "[= * =]", true },
	{ { 4, 3, 2, 1 }, 4, "* 4 3 *", "[= * 4 3 * =]", true },
	{ { 4, 3, 2, 1 }, 4, "* 4 5 *", "[= * 4 5 * =]", false },
	{ { 1, 2, 5, 9 }, 4, "1 2 [3, 5, 7] *", "[= 1 2 [3, 5, 7] * =]", true },
	{ { 4200000000, 1 }, 2, "4200000000 ?", "[= 4200000000 ? =]", true },
	{ { 2, 3 }, 2, "2", "[= 2 =]", false },
	{ { 2, 3 }, 2, "3", "[= 3 =]", false },
	{ { 2, 3 }, 2, "2 3", "[= 2 3 =]", true },
	{ { 1, 2, 3 }, 3, "* ?+ *", "[= * ? + * =]", true },
	{ { 5, 5, 5 }, 3, "5+ 5+ 5+", "[= 5 + 5 + 5 + =]", true },
	{ { 5, 5 }, 2, "5+ 5+ 5+", "[= 5 + 5 + 5 + =]", false },
	{ { 2, 4 }, 2, "4200000000+ * 1 1 4200000000+", "[= 4200000000 + * 1 1 4200000000 + =]", false },
	{ { 1 }, 1, "*+ 4200000000 2 *", "[= * + 4200000000 2 * =]", false },
	{ { 2, 1, 2, 3, 1 }, 5, "3..3 ? 2..4 ?+", "[= 3..3 ? 2..4 ? + =]", false },
	{ { 2 }, 1, "", "[= =]", false },
	{ { 3, 4, 3, 4 }, 4, "*+ *+", "[= * + * + =]", true },
	{ { 2, 4 }, 2, "1 * 3", "[= 1 * 3 =]", false },
	{ { 4, 1, 1, 3 }, 4, "1..1 4200000000 [4, 3]+", "[= 1..1 4200000000 [3, 4] + =]", false },
	{ { 3, 2, 1 }, 3, "3+ 64512 ?+", "[= 3 + 64512 ? + =]", false },
	{ { 3, 2, 4 }, 3, "64512 2..2+ 2 4200000000+", "[= 64512 2..2 + 2 4200000000 + =]", false },
	{ { 1, 2 }, 2, "* 2 *", "[= * 2 * =]", true },
	{ { 1, 4, 4, 4, 4 }, 5, "64512+ 2 4200000000+", "[= 64512 + 2 4200000000 + =]", false },
	{ { 0 }, 0, "1 *+ 64512+ 3", "[= 1 * + 64512 + 3 =]", false },
	{ { 1, 1, 4 }, 3, "? 3 ?", "[= ? 3 ? =]", false },
	{ { 1, 2, 3, 2 }, 4, "*+ * [3, 3, 2] 4200000000 2", "[= * + * [2, 3, 3] 4200000000 2 =]", false },
	{ { 2, 2, 4, 2, 2, 4 }, 6, "1..3 4200000000", "[= 1..3 4200000000 =]", false },
	{ { 3, 3, 1 }, 3, "64512+", "[= 64512 + =]", false },
	{ { 4 }, 1, "[1, 4, 3] 1 1..4 ?", "[= [1, 3, 4] 1 1..4 ? =]", false },
	{ { 0 }, 0, "? [2, 2, 2]+ * 3..4 ?", "[= ? [2, 2, 2] + * 3..4 ? =]", false },
	{ { 1 }, 1, "", "[= =]", false },
	{ { 1, 2, 4, 2, 2, 1 }, 6, "4200000000+ *", "[= 4200000000 + * =]", false },
	{ { 2, 1, 3 }, 3, "3..4 [2] 64512", "[= 3..4 [2] 64512 =]", false },
	{ { 1, 2, 2, 2 }, 4, "*+ 4200000000 ?", "[= * + 4200000000 ? =]", false },
	{ { 1, 2, 2, 3 }, 4, "", "[= =]", false },
	{ { 1, 4, 1, 1, 4, 3 }, 6, "[2, 3, 4] [2, 3, 2] 1 2", "[= [2, 3, 4] [2, 2, 3] 1 2 =]", false },
	{ { 3 }, 1, "", "[= =]", false },
	{ { 2, 3, 2, 3, 2, 4 }, 6, "1..4", "[= 1..4 =]", false },
	{ { 2 }, 1, "3..4", "[= 3..4 =]", false },
	{ { 3 }, 1, "3+ *", "[= 3 + * =]", true },
	{ { 0 }, 0, "4200000000 [2] 3", "[= 4200000000 [2] 3 =]", false },
	{ { 2, 3, 2, 4, 3, 4 }, 6, "*", "[= * =]", true },
	{ { 3, 1, 3 }, 3, "", "[= =]", false },
	{ { 2, 4, 1, 3, 1, 1 }, 6, "2+ [1, 3]", "[= 2 + [1, 3] =]", false },
	{ { 3, 2, 1 }, 3, "1..2 3 *+ ?", "[= 1..2 3 * + ? =]", false },
	{ { 3, 1 }, 2, "1 *+", "[= 1 * + =]", false },
	{ { 2, 4, 1 }, 3, "[4, 4] 2 2 1 3", "[= [4, 4] 2 2 1 3 =]", false },
	{ { 0 }, 0, "", "[= =]", true },
	{ { 4, 3, 2, 3, 1 }, 5, "3 3 *+", "[= 3 3 * + =]", false },
	{ { 2, 3 }, 2, "64512+", "[= 64512 + =]", false },
	{ { 2, 2 }, 2, "1..3 4200000000+ 3 4200000000", "[= 1..3 4200000000 + 3 4200000000 =]", false },
	{ { 4 }, 1, "2..2 *+", "[= 2..2 * + =]", false },
	{ { 4, 2, 1, 2, 1, 1 }, 6, "", "[= =]", false },
	{ { 3 }, 1, "", "[= =]", false },
	{ { 4, 1, 1 }, 3, "*+ 64512 3..3 64512 3+", "[= * + 64512 3..3 64512 3 + =]", false },
	{ { 2, 2, 4, 4, 4, 1 }, 6, "[1, 2]+ 3 3..3+", "[= [1, 2] + 3 3..3 + =]", false },
	{ { 0 }, 0, "1 2..4 ?", "[= 1 2..4 ? =]", false },
	{ { 0 }, 0, "1 64512+ * [2, 2]+", "[= 1 64512 + * [2, 2] + =]", false },
	{ { 0 }, 0, "2..3+", "[= 2..3 + =]", false },
	{ { 3, 1, 3, 2, 4, 4 }, 6, "1 2..3 ?", "[= 1 2..3 ? =]", false },
	{ { 0 }, 0, "3 2", "[= 3 2 =]", false },
	{ { 3, 3, 3, 1, 4 }, 5, "[1, 3, 4] [1, 1] 2+", "[= [1, 3, 4] [1, 1] 2 + =]", false },
	{ { 4, 3 }, 2, "2..2", "[= 2..2 =]", false },
	{ { 4, 2, 1, 1, 4 }, 5, "*+ [1, 2]+ ?", "[= * + [1, 2] + ? =]", true },
	{ { 3, 4 }, 2, "64512 ?+ 2 [2, 4, 3] ?+", "[= 64512 ? + 2 [2, 3, 4] ? + =]", false },
	{ { 2 }, 1, "", "[= =]", false },
	{ { 3 }, 1, "2 [1] ? *", "[= 2 [1] ? * =]", false },
	{ { 1, 4 }, 2, "* 3..3+", "[= * 3..3 + =]", false },
	{ { 4 }, 1, "* 1+ ?", "[= * 1 + ? =]", false },
	{ { 4, 4, 1, 1, 4, 4 }, 6, "1+ 1 3..4+", "[= 1 + 1 3..4 + =]", false },
	{ { 1, 1, 2, 2, 1, 3 }, 6, "*", "[= * =]", true },
	{ { 1, 1, 1 }, 3, "* ?+", "[= * ? + =]", true },
};

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

/* a path builder: sequences and sets of host-order ASNs, to wire form */
struct pb {
	uint8_t b[4096];
	size_t len, seg;	/* bytes; offset of the open segment's header */
	bool open;
};

static void
pb_asn(struct pb *p, unsigned type, uint32_t asn)
{
	if (!p->open || p->b[p->seg] != type || p->b[p->seg + 1] == 255) {
		p->seg = p->len;
		p->b[p->len++] = (uint8_t)type;
		p->b[p->len++] = 0;
		p->open = true;
	}
	p->b[p->len++] = (uint8_t)(asn >> 24);
	p->b[p->len++] = (uint8_t)(asn >> 16);
	p->b[p->len++] = (uint8_t)(asn >> 8);
	p->b[p->len++] = (uint8_t)asn;
	p->b[p->seg + 1]++;
}

static void
pb_close(struct pb *p)	/* the next ASN starts a new segment */
{
	p->open = false;
}

/* "* 64512 ? 1..3 [1, 2] 5+" into items */
static unsigned
parse_mask(const char *s, struct vm_pm_item *it, unsigned cap)
{
	unsigned n = 0;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(n < cap);
		struct vm_pm_item x = { 0 };
		char *e;
		if (*s == '?' || *s == '*') {
			x.kind = *s == '?' ? VM_PM_QUESTION : VM_PM_ASTERISK;
			s++;
		} else if (*s == '[') {
			struct vm_iset_range r[16];
			unsigned nr = 0;
			s++;
			while (*s != ']') {
				uint32_t a = (uint32_t)strtoul(s, &e, 10), b = a;
				if (e[0] == '.' && e[1] == '.')
					b = (uint32_t)strtoul(e + 2, &e, 10);
				r[nr++] = (struct vm_iset_range){ vm_iset_k32(a), vm_iset_k32(b) };
				s = e;
				while (*s == ',' || *s == ' ')
					s++;
			}
			s++;
			struct vm_iset *set = pool_alloc(pool, sizeof *set);
			assert_int_equal(vm_iset_build(pool, VM_ISET_INT, r, nr, set), 0);
			x.kind = VM_PM_SET;
			x.set = set;
		} else {
			x.kind = VM_PM_ASN;
			x.from = x.to = (uint32_t)strtoul(s, &e, 10);
			if (e[0] == '.' && e[1] == '.') {
				x.to = (uint32_t)strtoul(e + 2, &e, 10);
				x.range = true;
			}
			s = e;
		}
		if (*s == '+') {
			x.loop = true;
			s++;
		}
		it[n++] = x;
	}
	return n;
}

static void
test_bird_masks(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bird_masks / sizeof bird_masks[0]; i++) {
		struct pb p = { .len = 0 };
		struct vm_pm_item it[16];
		struct vm_path_mask m;
		char buf[256];

		for (unsigned k = 0; k < bird_masks[i].len; k++)
			pb_asn(&p, VM_AS_SEQUENCE, bird_masks[i].path[k]);
		unsigned n = parse_mask(bird_masks[i].mask, it, 16);
		assert_int_equal(vm_pm_build(pool, it, n, &m), 0);
		assert_int_equal(vm_pm_format(&m, buf, sizeof buf), strlen(bird_masks[i].printed));
		assert_string_equal(buf, bird_masks[i].printed);
		if (vm_pm_match(&m, p.b, p.len) != bird_masks[i].match)
			fail_msg("case %zu: %s want %d", i, bird_masks[i].printed, bird_masks[i].match);
	}
}

static void
test_bird_path(void **state)
{
	(void)state;
	struct pb p = { .len = 0 };
	uint8_t out[256];
	char buf[256];
	uint32_t a;
	static const uint32_t seq[] = { 1, 2, 2, 2, 3 };

	/* +empty+: len, first, last, last_nonaggregated all 0 */
	assert_int_equal(vm_path_len(p.b, 0), 0);
	assert_false(vm_path_first(p.b, 0, &a));
	assert_false(vm_path_last(p.b, 0, &a));
	assert_int_equal(vm_path_last_nonaggregated(p.b, 0), 0);
	assert_int_equal(vm_path_format(p.b, 0, buf, sizeof buf), 0);

	/* (path 1 2 2 2 3) */
	for (unsigned i = 0; i < 5; i++)
		pb_asn(&p, VM_AS_SEQUENCE, seq[i]);
	assert_true(vm_path_valid(p.b, p.len));
	vm_path_format(p.b, p.len, buf, sizeof buf);
	assert_string_equal(buf, "1 2 2 2 3");
	assert_int_equal(vm_path_len(p.b, p.len), 5);
	assert_true(vm_path_first(p.b, p.len, &a));
	assert_int_equal(a, 1);
	assert_true(vm_path_last(p.b, p.len, &a));
	assert_int_equal(a, 3);
	assert_int_equal(vm_path_last_nonaggregated(p.b, p.len), 3);
	assert_true(vm_path_contains(p.b, p.len, 2));	/* 2 ~ path: TRUE */
	assert_false(vm_path_contains(p.b, p.len, 7));

	/* delete(P, 2) = (path 1 3); filter(P, [1,3]) = (path 1 3); delete(P, [2..3]) = (path 1) */
	size_t n = vm_path_filter(p.b, p.len, NULL, 2, false, out);
	vm_path_format(out, n, buf, sizeof buf);
	assert_string_equal(buf, "1 3");
	struct vm_iset_range r13[] = { { vm_iset_k32(1), vm_iset_k32(1) }, { vm_iset_k32(3), vm_iset_k32(3) } },
	    r23[] = { { vm_iset_k32(2), vm_iset_k32(3) } }, r27[] = { { vm_iset_k32(2), vm_iset_k32(2) },
	    { vm_iset_k32(7), vm_iset_k32(7) } }, r7[] = { { vm_iset_k32(7), vm_iset_k32(7) } };
	struct vm_iset s13, s23, s27, s7;
	vm_iset_build(pool, VM_ISET_INT, r13, 2, &s13);
	vm_iset_build(pool, VM_ISET_INT, r23, 1, &s23);
	vm_iset_build(pool, VM_ISET_INT, r27, 2, &s27);
	vm_iset_build(pool, VM_ISET_INT, r7, 1, &s7);
	n = vm_path_filter(p.b, p.len, &s13, 0, true, out);
	vm_path_format(out, n, buf, sizeof buf);
	assert_string_equal(buf, "1 3");
	n = vm_path_filter(p.b, p.len, &s23, 0, false, out);
	vm_path_format(out, n, buf, sizeof buf);
	assert_string_equal(buf, "1");
	n = vm_path_filter(p.b, p.len, &s23, 0, true, out);
	assert_int_equal(n, 2 + 4 * 4);
	/* P ~ [2,7]: TRUE; P ~ [7]: FALSE */
	assert_true(vm_path_any_in(p.b, p.len, &s27));
	assert_false(vm_path_any_in(p.b, p.len, &s7));

	/* prepend(P, 64512) = (path 64512 1 2 2 2 3), in the same segment */
	n = vm_path_prepend(p.b, p.len, 64512, out);
	assert_int_equal(n, p.len + 4);
	vm_path_format(out, n, buf, sizeof buf);
	assert_string_equal(buf, "64512 1 2 2 2 3");
	assert_int_equal(vm_path_len(out, n), 6);
}

/* AS_SETs: one position and one length each; first/last give up on them */
static void
test_sets_in_path(void **state)
{
	(void)state;
	struct pb p = { .len = 0 };
	uint8_t out[2048];
	char buf[256];
	uint32_t a;

	pb_asn(&p, VM_AS_SEQUENCE, 64500);
	pb_asn(&p, VM_AS_SEQUENCE, 3356);
	pb_close(&p);
	pb_asn(&p, VM_AS_SET, 1);
	pb_asn(&p, VM_AS_SET, 2);
	pb_close(&p);
	pb_asn(&p, VM_AS_CONFED_SEQUENCE, 65001);
	pb_close(&p);
	pb_asn(&p, VM_AS_CONFED_SET, 65002);
	assert_true(vm_path_valid(p.b, p.len));
	vm_path_format(p.b, p.len, buf, sizeof buf);
	assert_string_equal(buf, "64500 3356 {1 2} (65001) ({65002})");
	assert_int_equal(vm_path_len(p.b, p.len), 3);
	assert_false(vm_path_last(p.b, p.len, &a));
	assert_int_equal(vm_path_last_nonaggregated(p.b, p.len), 3356);
	assert_true(vm_path_first(p.b, p.len, &a));
	assert_int_equal(a, 64500);

	/* a path that starts with a set has no .first; prepend opens a segment */
	size_t n = vm_path_prepend(p.b + 10, p.len - 10, 7, out);
	assert_int_equal(n, p.len - 10 + 6);
	vm_path_format(out, n, buf, sizeof buf);
	assert_string_equal(buf, "7 {1 2} (65001) ({65002})");
	assert_false(vm_path_first(p.b + 10, p.len - 10, &a));

	/* a full leading segment is not grown */
	struct pb q = { .len = 0 };
	for (unsigned i = 0; i < 255; i++)
		pb_asn(&q, VM_AS_SEQUENCE, i);
	n = vm_path_prepend(q.b, q.len, 9, out);
	assert_int_equal(n, q.len + 6);
	assert_int_equal(out[1], 1);
	assert_int_equal(vm_path_len(out, n), 256);

	/* malformed input */
	static const uint8_t bad1[] = { 2, 0 }, bad2[] = { 2, 2, 0, 0, 0, 1 }, bad3[] = { 5, 1, 0, 0, 0, 1 };
	assert_false(vm_path_valid(bad1, sizeof bad1));
	assert_false(vm_path_valid(bad2, sizeof bad2));
	assert_false(vm_path_valid(bad3, sizeof bad3));
	assert_false(vm_path_valid(bad2, 1));

	/* masks over sets, as BIRD's algorithm reads them */
	struct vm_pm_item it[8];
	struct vm_path_mask m;
	struct pb s = { .len = 0 };
	pb_asn(&s, VM_AS_SEQUENCE, 1);
	pb_close(&s);
	pb_asn(&s, VM_AS_SET, 2);
	pb_asn(&s, VM_AS_SET, 3);
	pb_close(&s);
	pb_asn(&s, VM_AS_SEQUENCE, 4);
	static const struct {
		const char *mask;
		bool match;
	} c[] = {
		{ "1 ? 4", true }, { "1 4", true }, { "1 2 4", true }, { "1 3 2 3 4", true },
		{ "1 5 4", false }, { "? ? ?", true }, { "? ?", true }, { "1 [3] 4", true },
		{ "1 2..3+ 4", true }, { "* 4", true }, { "1 *", true }, { "1", false },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		unsigned k = parse_mask(c[i].mask, it, 8);
		vm_pm_build(pool, it, k, &m);
		if (vm_pm_match(&m, s.b, s.len) != c[i].match)
			fail_msg("1 {2 3} 4 ~ [= %s =]: want %d", c[i].mask, c[i].match);
	}
}

/* ---- random paths against references ---- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static bool
item_ok(const struct vm_pm_item *it, uint32_t a)
{
	switch (it->kind) {
	case VM_PM_ASN:
		return a >= it->from && a <= it->to;
	case VM_PM_SET:
		return vm_iset_has32(it->set, a);
	default:
		return true;
	}
}

/* backtracking: does mask[i..] match path[k..] (sequences only)? */
static bool
bt(const struct vm_pm_item *m, unsigned n, unsigned i, const uint32_t *p, unsigned len, unsigned k)
{
	if (i == n)
		return k == len;
	if (m[i].kind == VM_PM_ASTERISK) {
		for (unsigned j = k; j <= len; j++)
			if (bt(m, n, i + 1, p, len, j))
				return true;
		return false;
	}
	for (unsigned j = k; j < len && item_ok(&m[i], p[j]); j++) {
		if (bt(m, n, i + 1, p, len, j + 1))
			return true;
		if (!m[i].loop)
			break;
	}
	return false;
}

/* BIRD's algorithm as its source reads: positions with marks, processed
 * from high to low; no `+` (sets only) */
struct ppos {
	bool set, mark;
	unsigned n;		/* ASNs */
	uint32_t a[4];
};

static bool
literal(const struct vm_pm_item *m, unsigned n, struct ppos *pos, unsigned plen)
{
	int l = 0, h = 0;

	pos[plen] = (struct ppos){ 0 };
	for (unsigned i = 0; i < plen; i++)
		pos[i].mark = false;
	pos[0].mark = true;
	for (unsigned x = 0; x < n; x++) {
		pos[plen].mark = false;
		if (m[x].kind == VM_PM_ASTERISK) {
			for (int i = l; i <= (int)plen; i++)
				pos[i].mark = true;
			h = (int)plen;
			continue;
		}
		int nl = -1, nh = -1;
		for (int i = h; i >= l; i--) {
			if (!pos[i].mark)
				continue;
			pos[i].mark = false;
			bool ok = m[x].kind == VM_PM_QUESTION;
			for (unsigned j = 0; j < pos[i].n && !ok; j++)
				ok = item_ok(&m[x], pos[i].a[j]);
			if (!ok)
				continue;
			if (pos[i].set)
				pos[i].mark = true;
			int j;
			for (j = i + 1; j < (int)plen && pos[j].set && !pos[j].mark; j++)
				pos[j].mark = true;
			pos[j].mark = true;
			nl = i + (pos[i].set ? 0 : 1);
			if (nh < 0)
				nh = j;
		}
		if (nh < 0)
			return false;
		h = nh;
		l = nl;
	}
	return pos[plen].mark;
}

static void
random_item(struct vm_pm_item *x, bool loops)
{
	*x = (struct vm_pm_item){ 0 };
	switch (rnd() % 8) {
	case 0:
		x->kind = VM_PM_QUESTION;
		break;
	case 1:
		x->kind = VM_PM_ASTERISK;
		break;
	case 2: {
		struct vm_iset_range r[3];
		unsigned nr = 1 + (unsigned)(rnd() % 3);
		for (unsigned i = 0; i < nr; i++) {
			uint32_t a = 1 + (uint32_t)(rnd() % 4);
			r[i] = (struct vm_iset_range){ vm_iset_k32(a), vm_iset_k32(a + (uint32_t)(rnd() % 2)) };
		}
		struct vm_iset *s = pool_alloc(pool, sizeof *s);
		vm_iset_build(pool, VM_ISET_INT, r, nr, s);
		x->kind = VM_PM_SET;
		x->set = s;
		break;
	}
	case 3:
		x->kind = VM_PM_ASN;
		x->from = 1 + (uint32_t)(rnd() % 4);
		x->to = x->from + (uint32_t)(rnd() % 3);
		x->range = true;
		break;
	default:
		x->kind = VM_PM_ASN;
		x->from = x->to = 1 + (uint32_t)(rnd() % 4);
	}
	x->loop = loops && rnd() % 4 == 0;
}

static void
test_random_sequences(void **state)
{
	(void)state;
	unsigned hits = 0, total = 0;

	rng_state = 11;
	for (unsigned c = 0; c < 20000; c++) {
		uint32_t path[12];
		unsigned len = (unsigned)(rnd() % 10);
		struct pb p = { .len = 0 };
		for (unsigned i = 0; i < len; i++) {
			path[i] = 1 + (uint32_t)(rnd() % 4);
			pb_asn(&p, VM_AS_SEQUENCE, path[i]);
		}
		struct vm_pm_item it[8];
		unsigned n = (unsigned)(rnd() % 7);
		for (unsigned i = 0; i < n; i++)
			random_item(&it[i], true);
		struct vm_path_mask m;
		vm_pm_build(pool, it, n, &m);
		bool want = bt(it, n, 0, path, len, 0);
		if (vm_pm_match(&m, p.b, p.len) != want) {
			char buf[256], pbuf[256];
			vm_pm_format(&m, buf, sizeof buf);
			vm_path_format(p.b, p.len, pbuf, sizeof pbuf);
			fail_msg("case %u: (%s) ~ %s: want %d", c, pbuf, buf, want);
		}
		hits += want;
		total++;
		if (c % 256 == 255)
			pool_flush(pool);
	}
	assert_true(hits > total / 20 && hits < total - total / 20);
}

static void
test_random_sets(void **state)
{
	(void)state;
	unsigned hits = 0, total = 0;

	rng_state = 12;
	for (unsigned c = 0; c < 20000; c++) {
		struct ppos pos[13];
		unsigned npos = (unsigned)(rnd() % 9);
		struct pb p = { .len = 0 };
		for (unsigned i = 0; i < npos; i++) {
			bool set = rnd() % 3 == 0;
			pos[i] = (struct ppos){ .set = set, .n = set ? 1 + (unsigned)(rnd() % 3) : 1 };
			if (set)
				pb_close(&p);
			for (unsigned j = 0; j < pos[i].n; j++) {
				pos[i].a[j] = 1 + (uint32_t)(rnd() % 4);
				pb_asn(&p, set ? VM_AS_SET : VM_AS_SEQUENCE, pos[i].a[j]);
			}
			if (set)
				pb_close(&p);
		}
		assert_true(vm_path_valid(p.b, p.len));
		struct vm_pm_item it[8];
		unsigned n = (unsigned)(rnd() % 7);
		for (unsigned i = 0; i < n; i++)
			random_item(&it[i], false);
		struct vm_path_mask m;
		vm_pm_build(pool, it, n, &m);
		bool want = literal(it, n, pos, npos);
		if (vm_pm_match(&m, p.b, p.len) != want) {
			char buf[256], pbuf[256];
			vm_pm_format(&m, buf, sizeof buf);
			vm_path_format(p.b, p.len, pbuf, sizeof pbuf);
			fail_msg("case %u: (%s) ~ %s: want %d", c, pbuf, buf, want);
		}
		hits += want;
		total++;
		if (c % 256 == 255)
			pool_flush(pool);
	}
	assert_true(hits > total / 20 && hits < total - total / 20);
}

/* long paths: 16000 positions (about as many as a BGP attribute holds), in
 * one step per item even with `+` */
static void
test_long_path(void **state)
{
	(void)state;
	enum { N = 16000 };	/* 64 KiB of attribute, headers included */
	uint8_t *b = malloc(N * 4 + 2 * (N / 255 + 1));
	size_t len = 0;
	struct vm_pm_item it[4];
	struct vm_path_mask m;

	for (unsigned i = 0; i < N; i++) {
		if (i % 255 == 0) {
			b[len++] = VM_AS_SEQUENCE;
			b[len++] = (uint8_t)(N - i < 255 ? N - i : 255);
		}
		uint32_t a = i == N - 2 ? 9 : i % 7 + 1;
		b[len++] = 0, b[len++] = 0, b[len++] = 0, b[len++] = (uint8_t)a;
	}
	assert_true(vm_path_valid(b, len));
	assert_int_equal(vm_path_len(b, len), N);
	static const struct {
		const char *mask;
		bool match;
	} c[] = {
		{ "* 7 1 *", true }, { "* 8 *", false }, { "?+", true }, { "1 ?+ 9 ?", true },
		{ "[1..7]+ 9 ?", true }, { "[1..7]+", false }, { "* 9", false },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		unsigned n = parse_mask(c[i].mask, it, 4);
		vm_pm_build(pool, it, n, &m);
		if (vm_pm_match(&m, b, len) != c[i].match)
			fail_msg("long path ~ [= %s =]: want %d", c[i].mask, c[i].match);
	}
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bird_masks),
		cmocka_unit_test(test_bird_path),
		cmocka_unit_test(test_sets_in_path),
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_random_sets),
		cmocka_unit_test(test_long_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
