/* LINK: core/mem.c */
/*
 * Unit tests for core/mem.c: pool alignment, flush and free over many
 * allocations, printf into pools, slab reuse and zeroing, and the class
 * counters moving with every allocator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/mem.h"

static struct mem_usage
usage_of(enum mem_class cls)
{
	struct mem_usage u;

	mem_usage(cls, &u);
	return u;
}

static void
test_x_helpers(void **state)
{
	(void)state;
	char *s = xstrdup("birch");
	assert_string_equal(s, "birch");
	free(s);
	s = xasprintf("%s-%d", "as", 65001);
	assert_string_equal(s, "as-65001");
	free(s);
	unsigned char *z = xzalloc(100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	z = xrealloc(z, 100000);
	z[99999] = 1;
	free(z);
	free(xmalloc(0));
}

static void
test_class_names(void **state)
{
	(void)state;
	assert_string_equal(mem_class_name(MEM_TABLES), "Routing tables");
	assert_string_equal(mem_class_name(MEM_ATTRS), "Route attributes");
	assert_string_equal(mem_class_name(MEM_PROTOS), "Protocols");
	assert_string_equal(mem_class_name(MEM_CONFIG), "Current config");
	assert_string_equal(mem_class_name(MEM_STANDBY), "Standby memory");
	assert_string_equal(mem_class_name(MEM_MISC), "Miscellaneous");

	struct mem_usage a = usage_of(MEM_STANDBY), b;
	mem_charge(MEM_STANDBY, 100, 50);
	b = usage_of(MEM_STANDBY);
	assert_int_equal(b.effective, a.effective + 100);
	assert_int_equal(b.overhead, a.overhead + 50);
	mem_charge(MEM_STANDBY, -100, -50);
	b = usage_of(MEM_STANDBY);
	assert_int_equal(b.effective, a.effective);
	assert_int_equal(b.overhead, a.overhead);
}

static void
test_pool_alloc(void **state)
{
	struct mem_usage before = usage_of(MEM_CONFIG), u;
	struct pool *p = pool_new(MEM_CONFIG, "test");
	enum { N = 20000 };
	static unsigned char *obj[N];
	size_t total = 0;

	(void)state;
	/* many sizes, a few big ones; each object keeps its own bytes */
	for (int i = 0; i < N; i++) {
		size_t size = (size_t)(i % 97) + (i % 1000 == 0 ? 70000 : 0);
		obj[i] = pool_alloc(p, size);
		assert_non_null(obj[i]);
		assert_int_equal((uintptr_t)obj[i] % 16, 0);
		memset(obj[i], i & 0xff, size);
		total += size;
	}
	for (int i = 0; i < N; i++) {
		size_t size = (size_t)(i % 97) + (i % 1000 == 0 ? 70000 : 0);
		for (size_t j = 0; j < size; j++)
			if (obj[i][j] != (i & 0xff))
				fail_msg("object %d byte %zu overwritten", i, j);
	}
	assert_int_equal(pool_size(p), total);
	u = usage_of(MEM_CONFIG);
	assert_int_equal(u.effective - before.effective, total);
	assert_true(u.overhead > before.overhead);
	/* slack is bounded: under a quarter of what is handed out here */
	assert_true(u.overhead - before.overhead < total / 4);

	/* flush: nothing handed out, one chunk still held, reusable */
	pool_flush(p);
	assert_int_equal(pool_size(p), 0);
	u = usage_of(MEM_CONFIG);
	assert_int_equal(u.effective, before.effective);
	assert_true(u.overhead - before.overhead >= 16 * 1024);
	assert_true(u.overhead - before.overhead < 20 * 1024);
	unsigned char *a = pool_zalloc(p, 33), *b = pool_alloc(p, 1);
	for (int i = 0; i < 33; i++)
		assert_int_equal(a[i], 0);
	assert_true(b >= a + 48);	/* 33 rounded to 48: no overlap */
	assert_int_equal((uintptr_t)b % 16, 0);
	assert_int_equal(pool_size(p), 34);

	/* flush again and again does not grow */
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < 1000; i++)
			pool_alloc(p, 100);
		pool_flush(p);
	}
	u = usage_of(MEM_CONFIG);
	assert_true(u.overhead - before.overhead < 20 * 1024);

	pool_free(p);
	u = usage_of(MEM_CONFIG);
	assert_int_equal(u.effective, before.effective);
	assert_int_equal(u.overhead, before.overhead);
}

static void
test_pool_strings(void **state)
{
	struct mem_usage before = usage_of(MEM_MISC), u;
	struct pool *p = pool_new(MEM_MISC, "strings");
	char big[20000];

	(void)state;
	assert_string_equal(pool_strdup(p, "hello"), "hello");
	assert_string_equal(pool_strndup(p, "hello", 3), "hel");
	assert_string_equal(pool_strndup(p, "hi", 10), "hi");
	assert_string_equal(pool_strdup(p, ""), "");
	char *s = pool_printf(p, "%s/%u", "10.0.0.0", 8u);
	assert_string_equal(s, "10.0.0.0/8");
	assert_int_equal((uintptr_t)s % 16, 0);
	size_t size = pool_size(p);
	assert_int_equal(size, 6 + 4 + 3 + 1 + 11);

	/* long texts spill into new chunks, many short ones fill them */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	s = pool_printf(p, "<%s>", big);
	assert_int_equal(strlen(s), sizeof(big) + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(big)], '>');
	char *prev[3000];
	for (int i = 0; i < 3000; i++)
		prev[i] = pool_printf(p, "line %d of %s", i, "text");
	for (int i = 0; i < 3000; i++) {
		char want[64];
		snprintf(want, sizeof(want), "line %d of %s", i, "text");
		assert_string_equal(prev[i], want);
	}
	for (int i = 0; i < 3000; i++)
		assert_true(prev[i] + strlen(prev[i]) < prev[(i + 1) % 3000] ||
		    prev[i] > prev[(i + 1) % 3000] || i == 2999);
	u = usage_of(MEM_MISC);
	assert_int_equal(u.effective - before.effective, pool_size(p));
	pool_free(p);
	u = usage_of(MEM_MISC);
	assert_int_equal(u.effective, before.effective);
	assert_int_equal(u.overhead, before.overhead);
}

struct route {
	void *attrs;
	uint32_t net[5];
	uint8_t flags;
};

static void
test_slab(void **state)
{
	struct mem_usage before = usage_of(MEM_TABLES), u;
	struct slab *s = slab_new(MEM_TABLES, sizeof(struct route));
	enum { N = 100000 };
	static struct route *r[N];

	(void)state;
	assert_int_equal(slab_count(s), 0);
	for (int i = 0; i < N; i++) {
		r[i] = slab_alloc(s);
		assert_int_equal(r[i]->flags, 0);
		assert_null(r[i]->attrs);
		assert_int_equal((uintptr_t)r[i] % 16, 0);
		r[i]->net[0] = (uint32_t)i;
		r[i]->flags = 0xff;
		r[i]->attrs = r;
	}
	assert_int_equal(slab_count(s), N);
	for (int i = 0; i < N; i++)
		assert_int_equal(r[i]->net[0], (uint32_t)i);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective - before.effective, N * sizeof(struct route));
	size_t held = u.effective + u.overhead - before.effective - before.overhead;
	/* pages, not mallocs: slot rounding and headers only */
	assert_true(held < N * 48 + 2 * 64 * 1024);

	/* a freed object is handed out again, zeroed */
	struct route *gone = r[500];
	slab_free(s, gone);
	assert_int_equal(slab_count(s), N - 1);
	r[500] = slab_alloc(s);
	assert_ptr_equal(r[500], gone);
	assert_int_equal(r[500]->flags, 0);
	assert_null(r[500]->attrs);
	assert_int_equal(r[500]->net[0], 0);

	/* free half, reallocate: no new pages */
	for (int i = 0; i < N; i += 2)
		slab_free(s, r[i]);
	assert_int_equal(slab_count(s), N / 2);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective - before.effective, N / 2 * sizeof(struct route));
	assert_int_equal(u.effective + u.overhead - before.effective - before.overhead, held);
	for (int i = 0; i < N; i += 2)
		r[i] = slab_alloc(s);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective + u.overhead - before.effective - before.overhead, held);
	assert_int_equal(slab_count(s), N);
	slab_free(s, NULL);
	assert_int_equal(slab_count(s), N);

	slab_destroy(s);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective, before.effective);
	assert_int_equal(u.overhead, before.overhead);
}

static void
test_slab_sizes(void **state)
{
	(void)state;
	/* tiny, odd and page-sized objects all work */
	size_t sizes[] = { 0, 1, 8, 17, 100, 4096, 70000 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct mem_usage before = usage_of(MEM_ATTRS), u;
		struct slab *s = slab_new(MEM_ATTRS, sizes[k]);
		unsigned char *o[40];
		for (int i = 0; i < 40; i++) {
			o[i] = slab_alloc(s);
			for (size_t j = 0; j < sizes[k]; j++)
				assert_int_equal(o[i][j], 0);
			memset(o[i], 0xab, sizes[k]);
			for (int j = 0; j < i; j++)
				assert_ptr_not_equal(o[i], o[j]);
		}
		for (int i = 0; i < 40; i++)
			slab_free(s, o[i]);
		assert_int_equal(slab_count(s), 0);
		u = usage_of(MEM_ATTRS);
		assert_int_equal(u.effective, before.effective);
		slab_destroy(s);
		u = usage_of(MEM_ATTRS);
		assert_int_equal(u.overhead, before.overhead);
	}
}


/* pages whose objects are all freed go back: 16 of them to the standby
 * cache (charged as standby memory), the rest to malloc */
static void
test_slab_release(void **state)
{
	enum { N = 50000, PAGE = 64 * 1024, SLOTS = (PAGE - 48) / 40 };
	struct mem_usage t0 = usage_of(MEM_TABLES), s0 = usage_of(MEM_STANDBY), u;
	struct slab *s = slab_new_packed(MEM_TABLES, 40);
	static void *o[N];

	(void)state;
	for (int i = 0; i < N; i++)
		o[i] = slab_alloc(s);
	/* 40-byte slots, 48 bytes of page header: 1637 a page */
	assert_int_equal(slab_pages(s), (N + SLOTS - 1) / SLOTS);
	size_t pages = slab_pages(s);

	/* every other object freed: no page empties */
	for (int i = 0; i < N; i += 2)
		slab_free(s, o[i]);
	assert_int_equal(slab_pages(s), pages);
	/* the rest freed: every page goes */
	for (int i = 1; i < N; i += 2)
		slab_free(s, o[i]);
	assert_int_equal(slab_count(s), 0);
	assert_int_equal(slab_pages(s), 0);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective, t0.effective);
	/* left: the slab's struct and its page directory (pages * 8 rounded
	 * up to a power of two, at most 64 entries here) */
	assert_true(u.overhead - t0.overhead < 1024);
	u = usage_of(MEM_STANDBY);
	assert_int_equal(u.effective, s0.effective);
	size_t kept = s0.overhead / PAGE;	/* pages cached before (other tests) */
	size_t room = kept < 16 ? 16 - kept : 0;
	assert_int_equal(u.overhead - s0.overhead, (pages < room ? pages : room) * PAGE);
	assert_true(usage_of(MEM_STANDBY).overhead / PAGE >= 2);

	/* allocating again takes the standby pages first */
	for (int i = 0; i < SLOTS + 1; i++)
		o[i] = slab_alloc(s);
	assert_int_equal(slab_pages(s), 2);
	assert_int_equal(usage_of(MEM_STANDBY).overhead, u.overhead - 2 * PAGE);
	for (int i = 0; i < SLOTS + 1; i++)
		slab_free(s, o[i]);
	slab_destroy(s);
	u = usage_of(MEM_TABLES);
	assert_int_equal(u.effective, t0.effective);
	assert_int_equal(u.overhead, t0.overhead);
}

/* slab_index: unique among live objects, dense (page number and slot),
 * reused lowest page first once a page goes */
static void
test_slab_index(void **state)
{
	enum { N = 10000, SLOTS = (64 * 1024 - 48) / 32 };
	struct slab *s = slab_new_packed(MEM_MISC, 32);
	static void *o[N];
	static unsigned char seen[N + 1];

	(void)state;
	for (int i = 0; i < N; i++) {
		o[i] = slab_alloc(s);
		uint32_t k = slab_index(s, o[i]);
		/* filled in order: page 0 first, each page from its first slot */
		assert_int_equal(k, (uint32_t)i + 1);
		assert_false(seen[k]);
		seen[k] = 1;
	}
	assert_int_equal(slab_index_limit(s), ((N + SLOTS - 1) / SLOTS) * SLOTS + 1);
	/* empty the first page: its number goes to the next new page */
	for (int i = 0; i < SLOTS; i++)
		slab_free(s, o[i]);
	assert_int_equal(slab_pages(s), (N + SLOTS - 1) / SLOTS - 1);
	/* the last page still has room: it serves first */
	void *x = slab_alloc(s);
	assert_int_equal(slab_index(s, x), (uint32_t)N + 1);
	for (int i = N % SLOTS + 1; i < SLOTS; i++)
		(void)slab_alloc(s);
	void *y = slab_alloc(s);	/* a new page: number 0 again */
	assert_int_equal(slab_index(s, y), 1);
	slab_destroy(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x_helpers),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_pool_alloc),
		cmocka_unit_test(test_pool_strings),
		cmocka_unit_test(test_slab),
		cmocka_unit_test(test_slab_sizes),
		cmocka_unit_test(test_slab_release),
		cmocka_unit_test(test_slab_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
