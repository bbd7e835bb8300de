/*
 * Table benchmark: 1,000,000 IPv4 routes with BGP-like attributes into one
 * table, then withdrawn. Not part of `make check`.
 *
 * Phases, each timed:
 *   intern    build ~350,000 distinct attribute sets with the builder
 *             (AS paths of 2-8 ASNs from a pool, 0-6 communities, med,
 *             local_pref, origin, next hop), as a decoder would per UPDATE
 *   insert    1,000,000 rte_update, each route using one of those sets,
 *             the table's clock and a notify hook (as export would)
 *   withdraw  every route, in another random order
 *   decode    the same 1,000,000 again into a new table, but each route's
 *             set rebuilt and looked up with the builder first (a decoder
 *             interning per prefix: the worst case)
 * and prints routes/second, peak RSS, the MEM_TABLES bytes per route and
 * the MEM_ATTRS bytes of shared attributes.
 *
 * Build and run (from the top of the tree, no make needed):
 *   gcc -std=c11 -O2 -g -I. -D_GNU_SOURCE -o build/bench_table \
 *     tests/bench/bench_table.c core/table.c core/attr.c core/net.c \
 *     core/mem.c core/log.c core/time.c
 *   ./build/bench_table [routes] [sets]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/attr.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/net.h"
#include "core/table.h"

static uint64_t rng_state;

static uint32_t
rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return (uint32_t)(x >> 11);
}

static double
secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static size_t
held(enum mem_class cls)
{
	struct mem_usage u;

	mem_usage(cls, &u);
	return u.effective + u.overhead;
}

/* ---- attribute recipes: set k's content depends only on k ---- */

enum { AS_POOL = 3000, NEIGHBORS = 40, COMM_POOL = 400, NEXT_HOPS = 40 };

static uint32_t asns[AS_POOL];
static uint32_t comms[COMM_POOL];

struct recipe_buf {
	uint8_t path[2 + 4 * 8];	/* one AS_SEQUENCE segment */
	uint32_t comm[6];
	ip_addr nh_ip;
};

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static struct rta *
build_set(uint32_t k, struct recipe_buf *rb)
{
	struct rta_builder b;
	struct nexthop nh = { .ifindex = 2 };
	unsigned len, nc;

	rng_state = 0x9e3779b97f4a7c15ULL * (k + 1);
	rnd();
	len = 2 + rnd() % 7;
	rb->path[0] = 2;
	rb->path[1] = (uint8_t)len;
	put_u32(rb->path + 2, asns[rnd() % NEIGHBORS]);	/* the peer's ASN first */
	for (unsigned i = 1; i < len; i++)
		put_u32(rb->path + 2 + 4 * i, asns[rnd() % AS_POOL]);
	nc = rnd() % 7;
	for (unsigned i = 0; i < nc; i++)
		rb->comm[i] = comms[rnd() % COMM_POOL];
	qsort(rb->comm, nc, sizeof(uint32_t), u32cmp);
	rb->nh_ip = ip4_from_u32(0xc0000200 | (rnd() % NEXT_HOPS + 1));
	nh.gw = rb->nh_ip;

	rta_build_start(&b, NULL);
	b.source = RTS_BGP;
	b.dest = RTD_UNICAST;
	rta_build_nexthops(&b, &nh, 1);
	rta_build_set_int(&b, EA_BGP_ORIGIN, EAF_ENUM, EAF_BGP_TRANSITIVE, rnd() % 3);
	rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, EAF_BGP_TRANSITIVE,
	    rb->path, 2 + 4 * len);
	rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, EAF_BGP_TRANSITIVE,
	    &rb->nh_ip, sizeof(ip_addr));
	if (rnd() % 2)
		rta_build_set_int(&b, EA_BGP_MED, EAF_INT, EAF_BGP_OPTIONAL, rnd() % 1000);
	rta_build_set_int(&b, EA_BGP_LOCAL_PREF, EAF_INT, EAF_BGP_TRANSITIVE,
	    80 + 20 * (rnd() % 3));
	if (nc)
		rta_build_set_data(&b, EA_BGP_COMMUNITY, EAF_INT_SET,
		    EAF_BGP_OPTIONAL | EAF_BGP_TRANSITIVE, rb->comm, 4 * nc);
	return rta_build_finish(&b);
}

/* ---- prefixes: a rough shape of a full IPv4 table ---- */

static unsigned
rand_len(void)
{
	unsigned r = rnd() % 100;

	if (r < 58)
		return 24;
	if (r < 70)
		return 23;
	if (r < 80)
		return 22;
	if (r < 86)
		return 21;
	if (r < 90)
		return 20;
	if (r < 96)
		return 16 + rnd() % 4;
	return 8 + rnd() % 8;
}

static int
netcmp(const void *a, const void *b)
{
	return net_cmp(a, b);
}

static net_addr *
make_prefixes(size_t n)
{
	size_t have = 0, want = n + n / 20;
	net_addr *v = NULL;

	while (have < n) {
		v = xrealloc(v, want * sizeof(*v));
		for (size_t i = have; i < want; i++)
			v[i] = net_ip4(0x01000000 + rnd() % 0xdf000000u, rand_len());
		qsort(v, want, sizeof(*v), netcmp);
		have = 0;
		for (size_t i = 0; i < want; i++)
			if (!have || !net_eq(&v[have - 1], &v[i]))
				v[have++] = v[i];
		want = have + (n - have) + n / 50;
	}
	for (size_t i = n; i-- > 1;) {		/* shuffle */
		size_t j = rnd() % (i + 1);
		net_addr t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

static unsigned long notified;

static void
notify(struct rtable *t, struct net *net, struct rte *nb, struct rte *ob, void *data)
{
	(void)t, (void)net, (void)nb, (void)ob, (void)data;
	notified++;
}

static int64_t
clock_us(void)
{
	return real_us();
}

int
main(int argc, char **argv)
{
	size_t n_routes = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t n_sets = argc > 2 ? strtoul(argv[2], NULL, 10) : 350000;
	struct rt_config cf = { .name = "master4", .type = NET_IP4, .notify = notify,
	    .clock = clock_us };
	struct recipe_buf rb;
	struct rtable *t;
	struct rta **sets;
	net_addr *pfx;
	long rss0, rss1;
	size_t tab0, tab1, att0, att1;
	double t0, t_intern, t_insert, t_decode, t_withdraw;

	if (!n_routes || !n_sets)
		die("usage: bench_table [routes] [sets]");
	rng_state = 1;
	for (unsigned i = 0; i < AS_POOL; i++)
		asns[i] = i < NEIGHBORS ? 64512 + i : 1000 + rnd() % 400000;
	for (unsigned i = 0; i < COMM_POOL; i++)
		comms[i] = (asns[rnd() % NEIGHBORS] << 16) | (rnd() % 1000);
	pfx = make_prefixes(n_routes);
	sets = xmalloc(n_sets * sizeof(*sets));
	rss0 = rss_kb();
	tab0 = held(MEM_TABLES);
	att0 = held(MEM_ATTRS);

	t0 = secs();
	for (size_t k = 0; k < n_sets; k++)
		sets[k] = build_set((uint32_t)k, &rb);
	t_intern = secs() - t0;
	att1 = held(MEM_ATTRS);

	t = rt_new(&cf);
	t0 = secs();
	for (size_t i = 0; i < n_routes; i++)
		if (rte_update(t, &pfx[i], 1, sets[i % n_sets], 100, 0) != RTE_ADDED)
			die("insert %zu failed", i);
	t_insert = secs() - t0;
	tab1 = held(MEM_TABLES);
	rss1 = rss_kb();

	printf("routes %zu, nets %zu, glue nodes %zu, distinct attribute sets %zu\n",
	    t->routes, t->nets, t->glue, rta_count());
	printf("intern        %9.0f sets/s     (%zu sets in %.3f s)\n",
	    (double)n_sets / t_intern, n_sets, t_intern);
	printf("insert        %9.0f routes/s   (%.3f s, %lu best-route notifications)\n",
	    (double)n_routes / t_insert, t_insert, notified);

	printf("\nmemory with %zu routes loaded:\n", n_routes);
	printf("  tables (MEM_TABLES)      %10zu bytes  %6.1f bytes/route\n",
	    tab1 - tab0, (double)(tab1 - tab0) / (double)n_routes);
	printf("    routes   %zu x %zu B slot, nets %zu x 64 B, glue %zu x 48 B,\n"
	    "    hash %zu buckets x 8 B, slots %d x 8 B, the rest slab slack\n",
	    t->routes, sizeof(struct rte), t->nets, t->glue, t->hsize[0] + t->hsize[1],
	    t->slots ? 1 << RT_STRIDE : 0);
	printf("  attributes (MEM_ATTRS)   %10zu bytes  %6.1f bytes/set  %6.1f bytes/route\n",
	    att1 - att0, (double)(att1 - att0) / (double)rta_count(),
	    (double)(att1 - att0) / (double)n_routes);
	printf("  total                    %10zu bytes  %6.1f bytes/route\n",
	    tab1 - tab0 + att1 - att0, (double)(tab1 - tab0 + att1 - att0) / (double)n_routes);
	printf("  RSS growth while loading %10ld kB\n\n", rss1 - rss0);

	for (size_t i = n_routes; i-- > 1;) {	/* withdraw in another order */
		size_t j = rnd() % (i + 1);
		net_addr x = pfx[i];
		pfx[i] = pfx[j];
		pfx[j] = x;
	}
	t0 = secs();
	for (size_t i = 0; i < n_routes; i++)
		if (rte_withdraw(t, &pfx[i], 1) != RTE_REMOVED)
			die("withdraw %zu failed", i);
	t_withdraw = secs() - t0;
	printf("withdraw      %9.0f routes/s   (%.3f s)\n", (double)n_routes / t_withdraw,
	    t_withdraw);
	rt_free(t);

	/* per-prefix decode: rebuild each route's set and look it up first
	 * (slab pages freed above are reused, so peak RSS stays one table's) */
	t = rt_new(&cf);
	t0 = secs();
	for (size_t i = 0; i < n_routes; i++) {
		struct rta *a = build_set((uint32_t)(i % n_sets), &rb);
		rte_update(t, &pfx[i], 1, a, 100, 0);
		rta_unref(a);
	}
	t_decode = secs() - t0;
	printf("decode+insert %9.0f routes/s   (%.3f s; each route's set rebuilt and looked up)\n",
	    (double)n_routes / t_decode, t_decode);
	printf("peak RSS      %9ld kB         (with the benchmark's own %zu kB of prefixes)\n",
	    peak_rss_kb(), n_routes * sizeof(net_addr) / 1024);

	rt_free(t);
	for (size_t k = 0; k < n_sets; k++)
		rta_unref(sets[k]);
	if (rta_count())
		die("%zu attribute sets leaked", rta_count());
	free(sets);
	free(pfx);
	return 0;
}
