/*
 * The floor under any filter that changes attributes (not a test; make
 * check does not run it). No Birch code: the least work that 1,000,000
 * routes over 350,000 distinct attribute sets need when a filter changes
 * every set (as the route server's import filter does) and the changed set
 * is interned, as the filter issue asks:
 *
 *   - every route: read its set (a random one of 350,000; one cache miss)
 *     and a cached result for that set;
 *   - every distinct set, once: a new set of the same bytes plus 12 (one
 *     large community), hashed, looked up in and added to the hash table of
 *     all sets (open addressing, 8-byte slots, the 350,000 inputs already
 *     in it), where nothing but a hash and a pointer are kept.
 *
 * No filter runs, nothing is counted or freed, and the hash is a cheap one.
 * The loop does what hides memory latency best: the set of the route 16
 * ahead is prefetched, and each new set's table slot is prefetched and
 * looked at 8 new sets later (its result is fixed up then if an equal set
 * was there). It is a lower bound for the whole loop that
 * tests/bench/bench_filter.py times ("filter time"), on the same machine.
 * Build and run:
 *
 *   cc -std=c11 -O2 -I. -D_GNU_SOURCE -o build/intern_floor \
 *       tests/bench/intern_floor.c && build/intern_floor [ROUTES SETS BYTES]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct set {
	uint64_t hash;
	struct set *result;	/* the changed set, once made: the cached verdict */
	uint32_t len;
	unsigned char body[];
};

enum { AHEAD = 16, QUEUE = 8 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t
hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n, w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h ^ (h >> 32);
}

static struct set **tab;
static size_t tab_mask;

/* the equal set held, or NULL and s put in */
static struct set *
intern(struct set *s)
{
	for (size_t i = s->hash & tab_mask;; i = (i + 1) & tab_mask) {
		struct set *t = tab[i];
		if (!t) {
			tab[i] = s;
			return NULL;
		}
		if (t->hash == s->hash && t->len == s->len && !memcmp(t->body, s->body, s->len))
			return t;
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	size_t routes = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t nsets = argc > 2 ? strtoul(argv[2], NULL, 10) : 350000;
	size_t bytes = argc > 3 ? strtoul(argv[3], NULL, 10) : 128;
	struct set **sets = malloc(nsets * sizeof *sets);
	struct set **route = malloc(routes * sizeof *route);
	double best = 1e9;

	if (!sets || !route || !nsets)
		return 1;
	for (int run = 0; run < 5; run++) {
		size_t size = 1;
		while (size < 3 * nsets)	/* inputs and results at most 2/3 full */
			size *= 2;
		tab = calloc(size, sizeof *tab);
		tab_mask = size - 1;
		/* the inputs, made in a shuffled order so that they lie apart */
		for (size_t i = 0; i < nsets; i++) {
			struct set *s = malloc(sizeof *s + bytes);
			s->len = (uint32_t)bytes;
			s->result = NULL;
			for (size_t k = 0; k < bytes; k++)
				s->body[k] = (unsigned char)rnd();
			s->hash = hash(s->body, bytes);
			intern(s);
			sets[i] = s;
		}
		for (size_t i = nsets - 1; i > 0; i--) {
			size_t j = rnd() % (i + 1);
			struct set *t = sets[i];
			sets[i] = sets[j];
			sets[j] = t;
		}
		for (size_t i = 0; i < routes; i++)
			route[i] = sets[i < nsets ? i : rnd() % nsets];
		for (size_t i = routes - 1; i > 0; i--) {
			size_t j = rnd() % (i + 1);
			struct set *t = route[i];
			route[i] = route[j];
			route[j] = t;
		}

		double t0 = now();
		size_t made = 0;
		struct { struct set *from, *made; } q[QUEUE];
		for (size_t i = 0; i < routes + QUEUE; i++) {
			if (i + AHEAD < routes)
				__builtin_prefetch(route[i + AHEAD]);
			struct set *s = i < routes ? route[i] : NULL;
			if (s && s->result)
				continue;
			/* the oldest new set in the queue goes into the table */
			struct set **slot = &q[made % QUEUE].made;
			if (made >= QUEUE) {
				struct set *old = intern(*slot);
				if (old) {
					free(*slot);
					q[made % QUEUE].from->result = old;
				}
			}
			if (!s) {
				made++;
				continue;
			}
			struct set *n = malloc(sizeof *n + s->len + 12);
			n->len = s->len + 12;
			n->result = NULL;
			memcpy(n->body, s->body, s->len);
			memcpy(n->body + s->len, "\0\0\xfb\xf4\0\0\0\1\0\0\0\1", 12);
			n->hash = hash(n->body, n->len);
			__builtin_prefetch(&tab[n->hash & tab_mask]);
			s->result = n;
			q[made % QUEUE].from = s;
			*slot = n;
			made++;
		}
		made -= QUEUE;
		double t = now() - t0;
		if (t < best)
			best = t;
		fprintf(stderr, "run %d: %.1f ns/route (%zu sets made)\n", run, t * 1e9 / routes, made);

		for (size_t i = 0; i <= tab_mask; i++)
			free(tab[i]);
		free(tab);
	}
	printf("floor: %zu routes over %zu sets of %zu bytes, each set changed and interned: "
	       "%.1f ns/route (best of 5)\n", routes, nsets, bytes, best * 1e9 / routes);
	free(sets);
	free(route);
	return 0;
}
