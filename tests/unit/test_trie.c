/* LINK: vm/trie.c core/net.c core/mem.c */
/*
 * Unit tests for vm/trie.c, the prefix-set trie.
 *
 * Fixed cases: every printed set in bird_print[] and every verdict in
 * bird_match[] was produced by BIRD 2.0.12 (`birdc eval`), so the trie
 * prints merged patterns exactly as BIRD's trie does. Random cases: for
 * thousands of random sets (fixed seeds, IPv4 and IPv6, patterns crowded
 * around a few bases so that they overlap) and queries next to them,
 * vm_trie_match agrees with a brute-force reading of BIRD's definition (N/l
 * matches P/len{lo,hi} when lo <= l <= hi and N, P agree in their first
 * min(l, len) bits), and the printed set, read back as patterns, accepts
 * exactly the same prefixes.
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
	const char *set, *printed;
} bird_print[] = {
	{ "[10.0.0.0/8+, 10.0.0.0/16{20,24}]", "[10.0.0.0/8{1.255.255.255}, 10.0.0.0/16{0.0.31.0}]" },
	{ "[10.0.0.0/8+, 192.168.0.0/16{24,32}, 172.16.0.0/12-]", "[0.0.0.0/0, 128.0.0.0/1{128.0.0.0}, 128.0.0.0/2{64.0.0.0}, 160.0.0.0/3{32.0.0.0}, 10.0.0.0/8{1.255.255.255}, 172.16.0.0/12{255.240.0.0}, 192.168.0.0/16{0.0.1.255}]" },
	{ "[10.0.0.0/9+]", "[10.0.0.0/9{0.224.0.0}, 10.0.0.0/12{0.31.255.255}, 10.16.0.0/12{0.31.255.255}, 10.32.0.0/12{0.31.255.255}, 10.48.0.0/12{0.31.255.255}, 10.64.0.0/12{0.31.255.255}, 10.80.0.0/12{0.31.255.255}, 10.96.0.0/12{0.31.255.255}, 10.112.0.0/12{0.31.255.255}]" },
	{ "[10.0.0.0/16-]", "[0.0.0.0/0, 0.0.0.0/1{128.0.0.0}, 0.0.0.0/2{64.0.0.0}, 0.0.0.0/3{32.0.0.0}, 10.0.0.0/16{255.255.0.0}]" },
	{ "[10.0.0.0/8{4,6}]", "[0.0.0.0/4{16.0.0.0}, 8.0.0.0/5{8.0.0.0}, 8.0.0.0/6{4.0.0.0}]" },
	{ "[10.0.0.0/10, 10.64.0.0/10]", "[10.0.0.0/10{0.64.0.0}, 10.64.0.0/10{0.64.0.0}]" },
	{ "[0.0.0.0/0]", "[0.0.0.0/0]" },
	{ "[0.0.0.0/0+]", "[0.0.0.0/0, 0.0.0.0/0{255.255.255.255}]" },
	{ "[0.0.0.0/0{20,24}]", "[0.0.0.0/0{0.0.31.0}]" },
	{ "[10.0.0.0/8, 10.0.0.0/8{9,9}]", "[10.0.0.0/8{1.128.0.0}]" },
	{ "[1.2.3.4/32-]", "[0.0.0.0/0, 0.0.0.0/1{128.0.0.0}, 0.0.0.0/2{64.0.0.0}, 0.0.0.0/3{32.0.0.0}, 1.2.3.4/32{255.255.255.255}]" },
	{ "[10.0.0.0/11{11,13}]", "[10.0.0.0/11{0.32.0.0}, 10.0.0.0/12{0.24.0.0}, 10.16.0.0/12{0.24.0.0}]" },
	{ "[10.0.0.0/10{8,12}]", "[10.0.0.0/8{1.0.0.0}, 10.0.0.0/9{0.128.0.0}, 10.0.0.0/10{0.96.0.0}, 10.0.0.0/12{0.16.0.0}, 10.16.0.0/12{0.16.0.0}, 10.32.0.0/12{0.16.0.0}, 10.48.0.0/12{0.16.0.0}]" },
	{ "[10.0.0.0/8, 11.0.0.0/8, 10.1.0.0/16+]", "[10.0.0.0/8{1.0.0.0}, 10.1.0.0/16{0.1.255.255}, 11.0.0.0/8{1.0.0.0}]" },
	{ "[1.0.0.0/8, 2.0.0.0/8+, 3.0.0.0/8-, 4.0.0.0/8{16,24}]", "[0.0.0.0/0, 0.0.0.0/1{128.0.0.0}, 0.0.0.0/2{64.0.0.0}, 0.0.0.0/3{32.0.0.0}, 0.0.0.0/4{240.0.0.0}, 0.0.0.0/5{8.0.0.0}, 0.0.0.0/6{4.0.0.0}, 2.0.0.0/7{2.0.0.0}, 1.0.0.0/8{1.0.0.0}, 2.0.0.0/8{1.255.255.255}, 3.0.0.0/8{255.0.0.0}, 4.0.0.0/8{0.1.255.0}]" },
	{ "[192.168.1.0/24, 192.168.0.0/16{24,24}]", "[192.168.0.0/16{0.0.1.0}, 192.168.1.0/24{0.0.1.0}]" },
	{ "[255.255.255.255/32, 255.255.255.254/31+]", "[255.255.255.254/31{0.0.0.2}, 255.255.255.254/32{0.0.0.1}, 255.255.255.255/32{0.0.0.1}]" },
	{ "[]", "[]" },
	{ "[2001:db8::/32{48,64}]", "[2001:db8::/32{0:0:1:ffff::}]" },
	{ "[2001:db8::/32+, 2001:db8:1::/48-]", "[::/0, ::/1{8000::}, ::/2{4000::}, 2000::/3{2000::}, 2001:db8::/32{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}, 2001:db8:1::/48{ffff:ffff:ffff::}]" },
	{ "[::/0{0,0}, 2000::/3+]", "[::/0, 2000::/3{2000::}, 2000::/4{1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}, 3000::/4{1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}]" },
	{ "[2001:db8::/33{33,35}, 2001:db8:8000::/33, fe80::/10+]", "[2001:db8::/33{0:0:e000::}, 2001:db8:8000::/33{0:0:8000::}, fe80::/10{60::}, fe80::/12{1f:ffff:ffff:ffff:ffff:ffff:ffff:ffff}, fe90::/12{1f:ffff:ffff:ffff:ffff:ffff:ffff:ffff}, fea0::/12{1f:ffff:ffff:ffff:ffff:ffff:ffff:ffff}, feb0::/12{1f:ffff:ffff:ffff:ffff:ffff:ffff:ffff}]" },
	{ "[2001:db8::1/128-, ::1/128]", "[::/0, ::/1{8000::}, ::/2{4000::}, 2000::/3{2000::}, ::1/128{::1}, 2001:db8::1/128{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}]" },
	{ "[10.0.0.0/8{16,24}, 10.0.0.0/8{8,12}, 10.128.0.0/9{10,11}]", "[10.0.0.0/8{1.241.255.0}]" },
};

static const struct {
	const char *expr, *result;
} bird_match[] = {
	{ "10.1.0.0/16 ~ [10.0.0.0/8{16,24}]", "TRUE" },
	{ "10.1.0.0/25 ~ [10.0.0.0/8{16,24}]", "FALSE" },
	{ "10.0.0.0/8 ~ [10.0.0.0/8{16,24}]", "FALSE" },
	{ "11.1.0.0/16 ~ [10.0.0.0/8{16,24}]", "FALSE" },
	{ "1.2.0.0/16 ~ [1.0.0.0/8{15,17}]", "TRUE" },
	{ "1.0.0.0/16 ~ [1.0.0.0/8-]", "FALSE" },
	{ "0.0.0.0/0 ~ [1.0.0.0/8-]", "TRUE" },
	{ "0.0.0.0/0 ~ [1.0.0.0/8+]", "FALSE" },
	{ "0.0.0.0/0 ~ [0.0.0.0/0{20,24}]", "FALSE" },
	{ "192.168.77.0/24 ~ [0.0.0.0/0{20,24}]", "TRUE" },
	{ "1.2.3.0/24 ~ [1.2.3.4/32-]", "TRUE" },
	{ "1.2.4.0/24 ~ [1.2.3.4/32-]", "FALSE" },
	{ "8.0.0.0/6 ~ [10.0.0.0/8{4,6}]", "TRUE" },
	{ "12.0.0.0/6 ~ [10.0.0.0/8{4,6}]", "FALSE" },
	{ "10.0.0.0/7 ~ [10.0.0.0/8{4,6}]", "FALSE" },
	{ "10.0.0.0/8 ~ [10.0.0.0/8{4,6}]", "FALSE" },
	{ "10.64.0.0/10 ~ [10.0.0.0/9+]", "TRUE" },
	{ "10.128.0.0/10 ~ [10.0.0.0/9+]", "FALSE" },
	{ "2001:db8:1::/48 ~ [2001:db8::/32{48,64}]", "TRUE" },
	{ "2001:db9::/48 ~ [2001:db8::/32{48,64}]", "FALSE" },
	{ "10.0.0.0/8 ~ [2001:db8::/32+]", "FALSE" },
	{ "2001:db8::/32 ~ [10.0.0.0/8+]", "FALSE" },
	{ "::/0 ~ [2001:db8::/32-]", "TRUE" },
	{ "2001:db8::/31 ~ [2001:db8::/32-]", "TRUE" },
	{ "2001:db8::1/128 ~ [2001:db8::/32+]", "TRUE" },
	{ "10.0.0.0/8 ~ []", "FALSE" },
};

/* xorshift64*: the same sequence on every machine */
static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned
rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* One pattern as written in a set literal: P, P+, P-, P{a,b}. */
static struct f_prefix_patt
parse_patt(const char *s, size_t n)
{
	char b[64];
	size_t k = strcspn(s, "+-{");
	struct f_prefix_patt p;

	if (k > n)
		k = n;
	assert_true(k < sizeof b);
	memcpy(b, s, k);
	b[k] = 0;
	if (net_parse(b, &p.net))
		fail_msg("bad prefix \"%s\"", b);
	unsigned lo = p.net.pxlen, hi = p.net.pxlen;
	if (k < n && s[k] == '+')
		hi = net_max_pxlen(&p.net);
	else if (k < n && s[k] == '-')
		lo = 0;
	else if (k < n && s[k] == '{')
		assert_int_equal(sscanf(s + k, "{%u,%u}", &lo, &hi), 2);
	p.lo = (uint8_t)lo;
	p.hi = (uint8_t)hi;
	return p;
}

/* "[a, b, c]" into patterns; returns how many */
static unsigned
parse_set(const char *s, struct f_prefix_patt *out, unsigned cap)
{
	unsigned n = 0;

	assert_int_equal(*s, '[');
	s++;
	while (*s && *s != ']') {
		const char *c = strstr(s, ", ");
		size_t k = c ? (size_t)(c - s) : strlen(s) - 1;	/* up to ", " or the "]" */
		assert_true(n < cap);
		out[n++] = parse_patt(s, k);
		s += k;
		if (*s == ',')
			s += 2;
	}
	return n;
}

static bool
brute(const struct f_prefix_patt *p, unsigned n, const net_addr *q)
{
	for (unsigned i = 0; i < n; i++) {
		if (p[i].net.type != q->type || q->pxlen < p[i].lo || q->pxlen > p[i].hi)
			continue;
		unsigned m = q->pxlen < p[i].net.pxlen ? q->pxlen : p[i].net.pxlen;
		if (ip_eq(ip6_mask(q->ip, m + (q->type == NET_IP4 ? 96 : 0)),
		    ip6_mask(p[i].net.ip, m + (q->type == NET_IP4 ? 96 : 0))))
			return true;
	}
	return false;
}

static void
test_bird_print(void **state)
{
	(void)state;
	struct f_prefix_patt p[64];
	char buf[4096];

	for (size_t i = 0; i < sizeof bird_print / sizeof bird_print[0]; i++) {
		struct pool *pool = pool_new(MEM_MISC, "test");
		struct vm_trie t;
		unsigned n = parse_set(bird_print[i].set, p, 64);
		assert_int_equal(vm_trie_build(pool, p, n, &t), 0);
		size_t need = vm_trie_format(&t, buf, sizeof buf);
		assert_string_equal(buf, bird_print[i].printed);
		assert_int_equal(need, strlen(bird_print[i].printed));
		/* a short buffer: truncated, terminated, same length reported */
		char small[12];
		assert_int_equal(vm_trie_format(&t, small, sizeof small), need);
		assert_int_equal(strlen(small), need < sizeof small ? need : sizeof small - 1);
		pool_free(pool);
	}
}

static void
test_bird_match(void **state)
{
	(void)state;
	struct f_prefix_patt p[64];

	for (size_t i = 0; i < sizeof bird_match / sizeof bird_match[0]; i++) {
		const char *e = bird_match[i].expr, *tilde = strstr(e, " ~ ");
		char nb[64];
		net_addr q;
		struct vm_trie t;
		struct pool *pool = pool_new(MEM_MISC, "test");

		memcpy(nb, e, (size_t)(tilde - e));
		nb[tilde - e] = 0;
		assert_int_equal(net_parse(nb, &q), 0);
		unsigned n = parse_set(tilde + 3, p, 64);
		assert_int_equal(vm_trie_build(pool, p, n, &t), 0);
		bool want = !strcmp(bird_match[i].result, "TRUE");
		if (vm_trie_match(&t, &q) != want)
			fail_msg("%s: want %s", e, bird_match[i].result);
		assert_int_equal(brute(p, n, &q), want);
		pool_free(pool);
	}
}

static void
test_errors(void **state)
{
	(void)state;
	struct pool *pool = pool_new(MEM_MISC, "test");
	struct f_prefix_patt p[2];
	struct vm_trie t;

	p[0] = parse_patt("10.0.0.0/8+", 11);
	p[1] = parse_patt("2001:db8::/32", 13);
	assert_int_equal(vm_trie_build(pool, p, 2, &t), VM_TRIE_EMIXED);
	p[1] = parse_patt("10.0.0.0/8{9,8}", 15);
	assert_int_equal(vm_trie_build(pool, p, 2, &t), VM_TRIE_ERANGE);
	p[1] = parse_patt("10.0.0.0/8{9,33}", 16);
	assert_int_equal(vm_trie_build(pool, p, 2, &t), VM_TRIE_ERANGE);
	/* the empty set matches nothing, of either family */
	assert_int_equal(vm_trie_build(pool, p, 0, &t), 0);
	net_addr z4 = net_ip4(0, 0), z6 = net_ip6((ip_addr){ { 0, 0, 0, 0 } }, 0);
	assert_false(vm_trie_match(&t, &z4));
	assert_false(vm_trie_match(&t, &z6));
	pool_free(pool);
}

/* a random prefix near base: flip some bits, pick a length */
static net_addr
near(const net_addr *base, bool v4, unsigned maxlen)
{
	ip_addr a = base->ip;
	unsigned len = rndn(maxlen + 1);

	if (rndn(4) == 0) {
		len = base->pxlen + rndn(9);
		if (len > maxlen)
			len = maxlen;
	}
	unsigned flips = rndn(3);
	for (unsigned f = 0; f < flips; f++) {
		unsigned b = rndn(maxlen);
		if (v4)
			a.w[3] ^= 1u << (31 - b);
		else
			a.w[b / 32] ^= 1u << (31 - b % 32);
	}
	return v4 ? net_ip4(ip4_to_u32(a), len) : net_ip6(a, len);
}

static net_addr
random_base(bool v4)
{
	static const uint32_t b4[] = { 0x0a000000, 0x0a800000, 0xc0a80000, 0xac100000, 0 };
	if (v4)
		return net_ip4(rndn(5) < 4 ? b4[rndn(5)] : (uint32_t)rnd(), 8 + rndn(17));
	ip_addr a = { { 0x20010db8, rndn(2) ? 0 : (uint32_t)rnd(), 0, 0 } };
	if (rndn(4) == 0)
		a.w[0] = (uint32_t)rnd();
	return net_ip6(a, 16 + rndn(49));
}

/* the printed entries "A/p{M}" read back: each length in M is a pattern */
static unsigned
reparse_printed(const char *s, bool v4, struct f_prefix_patt *out, unsigned cap)
{
	unsigned n = 0;

	s++;
	while (*s && *s != ']') {
		size_t k = strcspn(s, ",]");
		char e[128];
		memcpy(e, s, k);
		e[k] = 0;
		char *br = strchr(e, '{');
		net_addr net;
		if (!br) {		/* the zero-length prefix */
			assert_int_equal(net_parse(e, &net), 0);
			assert_true(n < cap);
			out[n++] = (struct f_prefix_patt){ net, 0, 0 };
		} else {
			*br = 0;
			br[strlen(br + 1)] = 0;	/* the closing brace */
			ip_addr m;
			assert_int_equal(net_parse(e, &net), 0);
			assert_int_equal(ip_parse(br + 1, &m), 0);
			unsigned max = v4 ? 32 : 128;
			for (unsigned l = 1; l <= max; l++) {
				bool on = v4 ? (m.w[3] >> (32 - l)) & 1 : (m.w[(l - 1) / 32] >> (31 - (l - 1) % 32)) & 1;
				if (on) {
					assert_true(n < cap);
					out[n++] = (struct f_prefix_patt){ net, (uint8_t)l, (uint8_t)l };
				}
			}
		}
		s += k;
		if (*s == ',')
			s += 2;
	}
	return n;
}

static void
random_sets(bool v4, unsigned sets, uint64_t seed)
{
	enum { MAXP = 48, QUERIES = 300, REPARSE_CAP = 1 << 16 };
	struct f_prefix_patt p[MAXP];
	struct f_prefix_patt *back = malloc(REPARSE_CAP * sizeof *back);
	char *buf = malloc(1 << 20);
	unsigned maxlen = v4 ? 32 : 128, hits = 0, total = 0;

	rng_state = seed;
	for (unsigned s = 0; s < sets; s++) {
		struct pool *pool = pool_new(MEM_MISC, "test");
		unsigned n = 1 + rndn(s % 10 == 0 ? MAXP : 8);
		net_addr base[4];
		for (unsigned b = 0; b < 4; b++)
			base[b] = random_base(v4);
		for (unsigned i = 0; i < n; i++) {
			net_addr a = near(&base[rndn(4)], v4, maxlen);
			unsigned lo, hi;
			switch (rndn(5)) {
			case 0: lo = hi = a.pxlen; break;
			case 1: lo = a.pxlen; hi = maxlen; break;
			case 2: lo = 0; hi = a.pxlen; break;
			default:
				lo = rndn(maxlen + 1);
				hi = lo + rndn(maxlen + 1 - lo);
				if (rndn(2) && a.pxlen <= lo)
					lo = a.pxlen + rndn(lo - a.pxlen + 1);
			}
			p[i] = (struct f_prefix_patt){ a, (uint8_t)lo, (uint8_t)hi };
		}
		struct vm_trie t;
		assert_int_equal(vm_trie_build(pool, p, n, &t), 0);

		bool check_print = s % 4 == 0;
		unsigned nb = 0;
		if (check_print) {
			size_t need = vm_trie_format(&t, buf, 1 << 20);
			assert_true(need < 1 << 20);
			nb = reparse_printed(buf, v4, back, REPARSE_CAP);
		}
		for (unsigned q = 0; q < QUERIES; q++) {
			net_addr x = q % 3 ? near(&p[rndn(n)].net, v4, maxlen) : near(&base[rndn(4)], v4, maxlen);
			bool want = brute(p, n, &x), got = vm_trie_match(&t, &x);
			if (want != got) {
				char b1[NET_STR_MAX];
				vm_trie_format(&t, buf, 1 << 20);
				fail_msg("set %u: %s ~ %s: trie %d, brute %d", s, net_format(&x, b1), buf, got, want);
			}
			if (check_print)
				assert_int_equal(brute(back, nb, &x), want);
			hits += want;
			total++;
		}
		pool_free(pool);
	}
	/* the queries must exercise both answers */
	assert_true(hits > total / 20 && hits < total - total / 20);
	free(back);
	free(buf);
}

static void
test_random_ip4(void **state)
{
	(void)state;
	random_sets(true, 4000, 0x9e3779b97f4a7c15ull);
}

static void
test_random_ip6(void **state)
{
	(void)state;
	random_sets(false, 1500, 0xd1b54a32d192ed03ull);
}

/* IPv4 sets do not match IPv6 nets of the same bits, nor the reverse */
static void
test_families(void **state)
{
	(void)state;
	struct pool *pool = pool_new(MEM_MISC, "test");
	struct f_prefix_patt p = parse_patt("::/0+", 5);
	struct vm_trie t;
	net_addr q;

	assert_int_equal(vm_trie_build(pool, &p, 1, &t), 0);
	assert_int_equal(net_parse("::ffff:10.0.0.0/104", &q), 0);
	assert_true(vm_trie_match(&t, &q));
	assert_int_equal(net_parse("10.0.0.0/8", &q), 0);
	assert_false(vm_trie_match(&t, &q));
	pool_free(pool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bird_print),
		cmocka_unit_test(test_bird_match),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_random_ip4),
		cmocka_unit_test(test_random_ip6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
