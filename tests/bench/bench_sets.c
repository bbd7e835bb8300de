/* LINK: vm/trie.c vm/intervals.c vm/pathmask.c core/net.c core/mem.c */
/*
 * Benchmark of the compiled sets (not a test; make check does not run it).
 * Reports ns per lookup for a route server's 20-entry bogon prefix set, a
 * 100,000-prefix set (IPv4 and IPv6), an int set of private ASNs and a few
 * path masks. Queries are generated up front (fixed seed) so that only the
 * lookups are timed. Build and run:
 *
 *   cc -std=c11 -O2 -g -I. -D_GNU_SOURCE -o build/bench_sets \
 *       tests/bench/bench_sets.c vm/trie.c vm/intervals.c vm/pathmask.c \
 *       core/net.c core/mem.c && build/bench_sets
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vm/set_int.h"

enum { QUERIES = 1 << 20, ROUNDS = 5 };

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct f_prefix_patt
patt(const char *s, unsigned lo, unsigned hi)
{
	struct f_prefix_patt p;

	if (net_parse(s, &p.net)) {
		fprintf(stderr, "bad prefix %s\n", s);
		exit(1);
	}
	p.lo = (uint8_t)lo;
	p.hi = (uint8_t)hi;
	return p;
}

/* best of ROUNDS passes over the queries; returns ns per lookup */
static double
time_trie(const struct vm_trie *t, const net_addr *q, unsigned n, unsigned *hits)
{
	double best = 1e30;

	for (int r = 0; r < ROUNDS; r++) {
		unsigned h = 0;
		double t0 = now();
		for (unsigned i = 0; i < n; i++)
			h += vm_trie_match(t, &q[i]);
		double dt = (now() - t0) / n;
		if (dt < best)
			best = dt;
		*hits = h;
	}
	return best;
}

static void
bench_bogons(void)
{
	struct pool *p = pool_new(MEM_MISC, "bench");
	const struct f_prefix_patt b[] = {
		patt("0.0.0.0/8", 8, 32), patt("10.0.0.0/8", 8, 32), patt("100.64.0.0/10", 10, 32),
		patt("127.0.0.0/8", 8, 32), patt("169.254.0.0/16", 16, 32), patt("172.16.0.0/12", 12, 32),
		patt("192.0.0.0/24", 24, 32), patt("192.0.2.0/24", 24, 32), patt("192.88.99.0/24", 24, 32),
		patt("192.168.0.0/16", 16, 32), patt("198.18.0.0/15", 15, 32), patt("198.51.100.0/24", 24, 32),
		patt("203.0.113.0/24", 24, 32), patt("224.0.0.0/4", 4, 32), patt("240.0.0.0/4", 4, 32),
		patt("0.0.0.0/0", 25, 32), patt("0.0.0.0/0", 0, 7), patt("255.255.255.255/32", 0, 32),
		patt("1.0.0.0/8", 8, 8), patt("23.128.0.0/10", 10, 32),
	};
	struct vm_trie t;
	net_addr *q = malloc(QUERIES * sizeof *q);

	vm_trie_build(p, b, sizeof b / sizeof b[0], &t);
	for (unsigned i = 0; i < QUERIES; i++) {
		unsigned len = rnd() % 4 ? 24 : 8 + (unsigned)(rnd() % 25);
		q[i] = net_ip4((uint32_t)rnd(), len);
	}
	unsigned hits;
	double ns = time_trie(&t, q, QUERIES, &hits);
	printf("bogon set, %zu patterns, %u nodes: %.1f ns/lookup (%u of %u match)\n",
	    sizeof b / sizeof b[0], t.nodes, ns, hits, QUERIES);
	free(q);
	pool_free(p);
}

static void
bench_big(bool v4)
{
	enum { N = 100000 };
	struct pool *p = pool_new(MEM_MISC, "bench");
	struct f_prefix_patt *b = malloc(N * sizeof *b);
	net_addr *q = malloc(QUERIES * sizeof *q);

	for (unsigned i = 0; i < N; i++) {
		unsigned len;
		if (v4) {
			len = 16 + (unsigned)(rnd() % 9);
			b[i].net = net_ip4((uint32_t)rnd(), len);
		} else {
			ip_addr a = { { 0x20000000 | ((uint32_t)rnd() & 0x0fffffff), (uint32_t)rnd(), 0, 0 } };
			len = 32 + (unsigned)(rnd() % 17);
			b[i].net = net_ip6(a, len);
		}
		b[i].lo = (uint8_t)len;
		b[i].hi = (uint8_t)(rnd() % 4 ? len : len + (v4 ? 24 - len + 0 : 48 - len));
		if (b[i].hi < b[i].lo)
			b[i].hi = b[i].lo;
	}
	struct vm_trie t;
	double t0 = now();
	vm_trie_build(p, b, N, &t);
	double build = (now() - t0) / 1e6;
	/* half the queries are in the set (a member or a longer prefix of one) */
	for (unsigned i = 0; i < QUERIES; i++) {
		if (rnd() % 2) {
			q[i] = b[rnd() % N].net;
		} else if (v4) {
			q[i] = net_ip4((uint32_t)rnd(), 16 + (unsigned)(rnd() % 9));
		} else {
			ip_addr a = { { 0x20000000 | ((uint32_t)rnd() & 0x0fffffff), (uint32_t)rnd(), 0, 0 } };
			q[i] = net_ip6(a, 32 + (unsigned)(rnd() % 17));
		}
	}
	unsigned hits;
	double ns = time_trie(&t, q, QUERIES, &hits);
	printf("%s set, %u patterns, %u nodes, %.1f MB, built in %.0f ms: %.1f ns/lookup (%u of %u match)\n",
	    v4 ? "IPv4" : "IPv6", N, t.nodes, pool_size(p) / 1e6, build, ns, hits, QUERIES);
	free(b);
	free(q);
	pool_free(p);
}

static void
bench_intset(void)
{
	struct pool *p = pool_new(MEM_MISC, "bench");
	/* private and reserved ASNs: [0, 23456, 64496..131071, 4200000000..4294967295] */
	const struct vm_iset_range r[] = {
		{ vm_iset_k32(0), vm_iset_k32(0) }, { vm_iset_k32(23456), vm_iset_k32(23456) },
		{ vm_iset_k32(64496), vm_iset_k32(131071) }, { vm_iset_k32(4200000000u), vm_iset_k32(4294967295u) },
	};
	struct vm_iset s;
	uint32_t *q = malloc(QUERIES * sizeof *q);

	vm_iset_build(p, VM_ISET_INT, r, 4, &s);
	for (unsigned i = 0; i < QUERIES; i++)
		q[i] = rnd() % 2 ? (uint32_t)(rnd() % 400000) : (uint32_t)rnd();
	double best = 1e30;
	unsigned hits = 0;
	for (int k = 0; k < ROUNDS; k++) {
		unsigned h = 0;
		double t0 = now();
		for (unsigned i = 0; i < QUERIES; i++)
			h += vm_iset_has32(&s, q[i]);
		double dt = (now() - t0) / QUERIES;
		if (dt < best)
			best = dt;
		hits = h;
	}
	printf("int set of private ASNs (4 ranges): %.1f ns/lookup (%u of %u match)\n", best, hits, QUERIES);
	free(q);
	pool_free(p);
}

static void
bench_masks(void)
{
	enum { PATHS = 4096 };
	struct pool *p = pool_new(MEM_MISC, "bench");
	uint8_t (*paths)[64] = malloc(PATHS * sizeof *paths);
	size_t *lens = malloc(PATHS * sizeof *lens);

	for (unsigned i = 0; i < PATHS; i++) {	/* 2..8 ASNs, some private */
		unsigned n = 2 + (unsigned)(rnd() % 7);
		uint8_t *b = paths[i];
		b[0] = VM_AS_SEQUENCE;
		b[1] = (uint8_t)n;
		for (unsigned k = 0; k < n; k++) {
			uint32_t a = rnd() % 8 ? 1 + (uint32_t)(rnd() % 60000) : 64512 + (uint32_t)(rnd() % 1000);
			b[2 + 4 * k] = (uint8_t)(a >> 24), b[3 + 4 * k] = (uint8_t)(a >> 16);
			b[4 + 4 * k] = (uint8_t)(a >> 8), b[5 + 4 * k] = (uint8_t)a;
		}
		lens[i] = 2 + 4 * n;
	}
	struct vm_pm_item a[] = { { .kind = VM_PM_ASTERISK }, { .kind = VM_PM_ASN, .from = 64512, .to = 65534, .range = true },
	    { .kind = VM_PM_ASTERISK } };
	struct vm_pm_item b[] = { { .kind = VM_PM_ASN, .from = 3356, .to = 3356 }, { .kind = VM_PM_ASTERISK } };
	struct vm_path_mask ma, mb;
	vm_pm_build(p, a, 3, &ma);
	vm_pm_build(p, b, 2, &mb);
	const struct { const char *name; const struct vm_path_mask *m; } c[] = {
		{ "[= * 64512..65534 * =]", &ma }, { "[= 3356 * =]", &mb },
	};
	for (size_t k = 0; k < 2; k++) {
		double best = 1e30;
		unsigned hits = 0;
		for (int r = 0; r < ROUNDS; r++) {
			unsigned h = 0;
			double t0 = now();
			for (unsigned j = 0; j < 64; j++)
				for (unsigned i = 0; i < PATHS; i++)
					h += vm_pm_match(c[k].m, paths[i], lens[i]);
			double dt = (now() - t0) / (64.0 * PATHS);
			if (dt < best)
				best = dt;
			hits = h / 64;
		}
		printf("path mask %s on 2..8-ASN paths: %.1f ns/match (%u of %u match)\n", c[k].name, best,
		    hits, PATHS);
	}
	free(paths);
	free(lens);
	pool_free(p);
}

int
main(void)
{
	bench_bogons();
	bench_big(true);
	bench_big(false);
	bench_intset();
	bench_masks();
	return 0;
}
