/* LINK: core/net.c */
/*
 * Unit tests for core/net.c: parse/print round trips, the printed forms of
 * BIRD 2, malformed input, ordering, hashing, masks and containment.
 *
 * Verified against BIRD 2.0.12 with `birdc eval` (marked "BIRD" below):
 * every pair in bird_forms[], the host-bits refusal of 10.0.0.1/8 and
 * 2001:db8::1/32, leading zeros in IPv4 octets ("01.2.3.04"), "00001::"
 * refused, `1.2.3.4 < ::1` FALSE, `1.2.3.4 = ::ffff:1.2.3.4` TRUE,
 * `10.0.0.0/8 < 10.0.0.0/9` TRUE, `10.0.0.0/8 < 9.0.0.0/16` FALSE,
 * `1.2.3.4 ~ ::ffff:0:0/96` FALSE, and with `bird -p` `router id 5`,
 * `router id 0x10`, `router id 4294967295` accepted, 4294967296 refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/net.h"

static ip_addr
ip(const char *s)
{
	ip_addr a;

	assert_int_equal(ip_parse(s, &a), 0);
	return a;
}

static net_addr
net(const char *s)
{
	net_addr n;

	assert_int_equal(net_parse(s, &n), 0);
	return n;
}

/* input text -> what BIRD prints for it (BIRD: all verified) */
static const char *const bird_forms[][2] = {
	{ "2001:DB8:0:0:1::1", "2001:db8::1:0:0:1" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
	{ "2001:db8::", "2001:db8::" },
	{ "::", "::" },
	{ "::1", "::1" },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	{ "1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8" },
	{ "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
	{ "0:0:3:4:5:6:7:8", "::3:4:5:6:7:8" },
	{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0" },
	{ "::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
	{ "1:0:0:2:0:0:3:4", "1::2:0:0:3:4" },
	{ "1:0:0:0:2:0:0:0", "1::2:0:0:0" },
	{ "0:0:0:0:0:1:0:0", "::1:0:0" },
	{ "::ffff:1.2.3.4", "1.2.3.4" },
	{ "::ffff:102:304", "1.2.3.4" },
	{ "::ffff:0:0", "0.0.0.0" },
	{ "0:0:0:0:0:ffff:1:2", "0.1.0.2" },
	{ "::1.2.3.4", "::1.2.3.4" },
	{ "::0102:0304", "::1.2.3.4" },
	{ "::0.1.2.3", "::0.1.2.3" },
	{ "::0.0.1.2", "::102" },
	{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
	{ "2001:db8::0:1", "2001:db8::1" },
	{ "ffff::", "ffff::" },
	{ "01.2.3.4", "1.2.3.4" },
	{ "1.2.3.04", "1.2.3.4" },
	{ "0001.2.3.4", "1.2.3.4" },
	{ "001.002.003.004", "1.2.3.4" },
	{ "255.255.255.255", "255.255.255.255" },
	{ "0.0.0.0", "0.0.0.0" },
};

static void
test_bird_forms(void **state)
{
	char buf[IP_STR_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(bird_forms) / sizeof(bird_forms[0]); i++) {
		ip_addr a = ip(bird_forms[i][0]);
		assert_string_equal(ip_format(a, buf), bird_forms[i][1]);
		/* the printed form reads back as the same address */
		assert_true(ip_eq(ip(buf), a));
	}
}

static void
test_round_trip(void **state)
{
	static const char *const canon[] = {
		"10.0.0.1", "192.168.255.254", "1.0.0.0", "127.0.0.1",
		"2001:db8::1", "fe80::1", "fe80::200:ff:fe00:1", "::2",
		"2001:db8:85a3::8a2e:370:7334", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"1::", "1::1", "0:1::", "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
		"::ffff:0:1:0", "64:ff9b::1.2.3.4", "64:ff9b::102:304",
	};
	char buf[IP_STR_MAX];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		if (!strcmp(canon[i], "64:ff9b::1.2.3.4")) {
			/* not a BIRD output form: it prints hex groups */
			assert_string_equal(ip_format(ip(canon[i]), buf), "64:ff9b::102:304");
			continue;
		}
		assert_string_equal(ip_format(ip(canon[i]), buf), canon[i]);
	}
	/* pseudo-random addresses, zero groups sprinkled in, print -> parse */
	for (int i = 0; i < 20000; i++) {
		ip_addr a, b;
		for (int j = 0; j < 4; j++) {
			x = x * 1103515245 + 12345;
			a.w[j] = x;
			if (x & 0x10000)
				a.w[j] &= 0xffff;
			if (x & 0x20000)
				a.w[j] &= 0xffff0000;
			if (x & 0x40000)
				a.w[j] = 0;
		}
		ip_format(a, buf);
		assert_true(strlen(buf) < IP_STR_MAX);
		assert_int_equal(ip_parse(buf, &b), 0);
		assert_true(ip_eq(a, b));
		ip6_format(a, buf);
		assert_int_equal(ip6_parse(buf, &b), 0);
		assert_true(ip_eq(a, b));
	}
}

static void
test_ip4(void **state)
{
	ip_addr a;
	char buf[IP_STR_MAX];

	(void)state;
	a = ip4_from_u32(0x0a000001);
	assert_true(ip_is4(a));
	assert_int_equal(ip4_to_u32(a), 0x0a000001);
	assert_string_equal(ip_format(a, buf), "10.0.0.1");
	assert_string_equal(ip6_format(a, buf), "::ffff:10.0.0.1");
	assert_int_equal(ip4_parse("192.0.2.1", &a), 0);
	assert_int_equal(ip4_to_u32(a), 0xc0000201);
	assert_int_equal(ip4_parse("::1", &a), -1);
	assert_int_equal(ip6_parse("1.2.3.4", &a), -1);
	assert_false(ip_is4(ip("::1")));
	assert_false(ip_is4(ip("::1.2.3.4")));
	/* BIRD: 1.2.3.4 = ::ffff:1.2.3.4 */
	assert_true(ip_eq(ip("1.2.3.4"), ip("::ffff:1.2.3.4")));
}

static const char *const bad_ips[] = {
	"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.2.3.4 ",
	" 1.2.3.4", "+1.2.3.4", "-1.2.3.4", "1.-2.3.4", "1..2.3", "1.2.3.",
	".1.2.3", "1.2.3.4.", "0x1.2.3.4", "1.2.3.a", "999999999999.1.1.1",
	"::1::2", "12345::", "00001::", "1::00001", ":", ":::", "1:::2",
	":1", "1:", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
	"1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8",
	"g::", "::ffff:1.2.3", "::ffff:1.2.3.4.5", "::ffff:256.1.1.1",
	"1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0",
	"2001:db8::/32", "10.0.0.1/8", "::1 ", " ::1", "1 .2.3.4",
	"1:2:3:4:5:6:7:8:", "-::1", "+::1",
};

static void
test_bad_ips(void **state)
{
	ip_addr a = ip4_from_u32(0x01020304), keep = a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_ips) / sizeof(bad_ips[0]); i++) {
		if (ip_parse(bad_ips[i], &a) != -1)
			fail_msg("accepted bad ip \"%s\"", bad_ips[i]);
		assert_true(ip_eq(a, keep));	/* output untouched on failure */
	}
}

static const char *const bad_nets[] = {
	"", "/8", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/33",
	"1.2.3.4/33", "2001:db8::/129", "10.0.0.0", "10.0.0.0/8 ", " 10.0.0.0/8",
	"10.0.0.0 /8", "10.0.0.0/ 8", "10.0.0.0/8/8", "10.0.0.0/a",
	"10.0.0.0/0008", "10.0.0/8", "::/", "::/1000", "1.2.3.4.5/32",
	"::1::/64", "2001:db8::/32x", "10.0.0.0//8", "256.0.0.0/8",
	"2001:db8:0:0:0:0:0:0:0/64", "10.0.0.0\\8", "10.0.0.0/8\n",
	"/", "10.0.0.0/3 2", "0x0a.0.0.0/8",
	"0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0/8",
};

static void
test_bad_nets(void **state)
{
	net_addr n;

	(void)state;
	assert_true(sizeof(bad_nets) / sizeof(bad_nets[0]) >= 30);
	for (size_t i = 0; i < sizeof(bad_nets) / sizeof(bad_nets[0]); i++)
		if (net_parse(bad_nets[i], &n) != NET_EBAD)
			fail_msg("accepted bad net \"%s\"", bad_nets[i]);
}

static void
test_net_parse(void **state)
{
	static const char *const good[][2] = {
		{ "10.0.0.0/8", "10.0.0.0/8" },
		{ "0.0.0.0/0", "0.0.0.0/0" },
		{ "::/0", "::/0" },
		{ "1.2.3.4/32", "1.2.3.4/32" },
		{ "10.0.0.0/08", "10.0.0.0/8" },		/* BIRD */
		{ "2001:DB8::/32", "2001:db8::/32" },		/* BIRD */
		{ "::ffff:1.2.3.4/128", "::ffff:1.2.3.4/128" },	/* BIRD */
		{ "::ffff:0:0/96", "::ffff:0.0.0.0/96" },	/* BIRD */
		{ "2001:db8::1/128", "2001:db8::1/128" },
		{ "fe80::/10", "fe80::/10" },
	};
	char buf[NET_STR_MAX];
	net_addr n;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = net(good[i][0]);
		assert_string_equal(net_format(&n, buf), good[i][1]);
	}
	n = net("10.0.0.0/8");
	assert_int_equal(n.type, NET_IP4);
	assert_int_equal(n.pxlen, 8);
	assert_int_equal(net_max_pxlen(&n), 32);
	n = net("::ffff:1.2.3.4/128");
	assert_int_equal(n.type, NET_IP6);
	assert_int_equal(net_max_pxlen(&n), 128);

	/* BIRD: "Invalid IPv4 prefix 10.0.0.1/8, maybe you wanted 10.0.0.0/8" */
	assert_int_equal(net_parse("10.0.0.1/8", &n), NET_EHOSTBITS);
	assert_string_equal(net_format(&n, buf), "10.0.0.1/8");
	net_normalize(&n);
	assert_string_equal(net_format(&n, buf), "10.0.0.0/8");
	assert_int_equal(net_parse("2001:db8::1/32", &n), NET_EHOSTBITS);
	net_normalize(&n);
	assert_string_equal(net_format(&n, buf), "2001:db8::/32");
	assert_int_equal(net_parse("::ffff:1.2.3.4/96", &n), NET_EHOSTBITS);
	net_normalize(&n);
	assert_string_equal(net_format(&n, buf), "::ffff:0.0.0.0/96");
	assert_int_equal(net_parse("0.0.0.1/0", &n), NET_EHOSTBITS);
	assert_int_equal(net_parse("10.128.0.0/8", &n), NET_EHOSTBITS);
	assert_int_equal(net_parse("10.128.0.0/9", &n), 0);

	/* every length round-trips, IPv4 and IPv6 */
	for (unsigned len = 0; len <= 128; len++) {
		net_addr m = net_ip6(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), len);
		assert_int_equal(net_parse(net_format(&m, buf), &n), 0);
		assert_true(net_eq(&m, &n));
		if (len <= 32) {
			m = net_ip4(0xffffffff, len);
			assert_int_equal(net_parse(net_format(&m, buf), &n), 0);
			assert_true(net_eq(&m, &n));
		}
	}
	n = net_ip4(0xffffffff, 12);
	assert_string_equal(net_format(&n, buf), "255.240.0.0/12");
	n = net_ip6(ip("2001:db8:ffff::1"), 35);
	assert_string_equal(net_format(&n, buf), "2001:db8:e000::/35");
}

static void
test_cmp_hash(void **state)
{
	/* sorted as BIRD's `show route` (IPv4 before IPv6, address, length) */
	static const char *const sorted[] = {
		"0.0.0.0/0", "9.0.0.0/16", "10.0.0.0/8", "10.0.0.0/9",
		"10.0.0.0/16", "10.1.0.0/16", "10.128.0.0/9", "192.168.1.0/24",
		"255.255.255.255/32",
		"::/0", "::/1", "::1/128", "2001:db8::/32", "2001:db8::/33",
		"2001:db8:1::/48", "fe80::/10",
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		net_addr a = net(sorted[i]);
		for (size_t j = 0; j < n; j++) {
			net_addr b = net(sorted[j]);
			int c = net_cmp(&a, &b);
			assert_int_equal(c < 0, i < j);
			assert_int_equal(c > 0, i > j);
			assert_int_equal(net_eq(&a, &b), i == j);
			if (i != j)
				assert_int_not_equal(net_hash(&a), net_hash(&b));
		}
		net_addr again = net(sorted[i]);
		assert_int_equal(net_hash(&again), net_hash(&a));
	}
	/* equal for same address, different by type */
	net_addr v4 = net("1.2.3.4/32"), v6 = net("::ffff:1.2.3.4/128");
	assert_false(net_eq(&v4, &v6));		/* BIRD: FALSE */
	assert_true(net_cmp(&v4, &v6) < 0);

	assert_true(ip_cmp(ip("1.2.3.4"), ip("1.2.3.5")) < 0);	/* BIRD */
	assert_true(ip_cmp(ip("1.2.3.4"), ip("::1")) > 0);	/* BIRD */
	assert_true(ip_cmp(ip("2001:db8::1"), ip("2001:db8::1")) == 0);
	assert_true(ip_cmp(ip("8000::"), ip("7fff:ffff::")) > 0);
	assert_int_equal(ip_hash(ip("::ffff:1.2.3.4")), ip_hash(ip("1.2.3.4")));

	/* hash spreads consecutive addresses over buckets */
	enum { BUCKETS = 1024, N = 64 * BUCKETS };
	static unsigned bucket[BUCKETS];
	for (uint32_t i = 0; i < N; i++)
		bucket[ip_hash(ip4_from_u32(0x0a000000 + i)) % BUCKETS]++;
	for (int i = 0; i < BUCKETS; i++)
		assert_in_range(bucket[i], 16, 128);
	memset(bucket, 0, sizeof(bucket));
	for (uint32_t i = 0; i < N; i++) {
		net_addr p = net_ip4(i << 8, 24);
		bucket[net_hash(&p) % BUCKETS]++;
	}
	for (int i = 0; i < BUCKETS; i++)
		assert_in_range(bucket[i], 16, 128);
	/* and the low bits alone, as a power-of-two table would use */
	memset(bucket, 0, sizeof(bucket));
	for (uint32_t i = 0; i < N; i++) {
		net_addr p = net_ip6(ip("2001:db8::"), 48);
		p.ip.w[1] = i << 16;
		bucket[net_hash(&p) & (BUCKETS - 1)]++;
	}
	for (int i = 0; i < BUCKETS; i++)
		assert_in_range(bucket[i], 16, 128);
}

static void
test_mask_contains(void **state)
{
	char buf[IP_STR_MAX];

	(void)state;
	assert_string_equal(ip_format(ip_mask(ip("10.1.2.3"), 8), buf), "10.0.0.0");
	assert_string_equal(ip_format(ip_mask(ip("10.255.2.3"), 9), buf), "10.128.0.0");
	assert_string_equal(ip_format(ip_mask(ip("10.1.2.3"), 0), buf), "0.0.0.0");
	assert_string_equal(ip_format(ip_mask(ip("10.1.2.3"), 32), buf), "10.1.2.3");
	assert_true(ip_is4(ip_mask(ip("10.1.2.3"), 0)));
	assert_string_equal(ip_format(ip_mask(ip("2001:db8:abcd::1"), 36), buf), "2001:db8:a000::");
	assert_string_equal(ip_format(ip_mask(ip("ffff::1"), 0), buf), "::");
	assert_string_equal(ip_format(ip_mask(ip("ffff::1"), 128), buf), "ffff::1");
	assert_string_equal(ip_format(ip_mask(ip("ffff::1"), 127), buf), "ffff::");
	assert_string_equal(ip_format(ip6_mask(ip("1.2.3.4"), 96), buf), "0.0.0.0");
	assert_string_equal(ip6_format(ip6_mask(ip("1.2.3.4"), 80), buf), "::");

	assert_true(ip_bit(ip("128.0.0.0"), 0));
	assert_false(ip_bit(ip("128.0.0.0"), 1));
	assert_true(ip_bit(ip("0.0.0.1"), 31));
	assert_false(ip_bit(ip("255.255.255.255"), 32));
	assert_true(ip_bit(ip("8000::"), 0));
	assert_true(ip_bit(ip("::1"), 127));
	assert_false(ip_bit(ip("::1"), 126));
	assert_true(ip6_bit(ip("0.0.0.0"), 80));	/* the ffff of the mapping */
	assert_false(ip6_bit(ip("0.0.0.0"), 79));

	net_addr n8 = net("10.0.0.0/8"), n16 = net("10.1.0.0/16");
	net_addr o16 = net("11.1.0.0/16"), all4 = net("0.0.0.0/0");
	net_addr d32 = net("2001:db8::/32"), d48 = net("2001:db8:1::/48");
	net_addr all6 = net("::/0"), mapped = net("::ffff:0:0/96");
	assert_true(net_contains(&n8, &n16));		/* BIRD: 10.1/16 ~ 10/8 */
	assert_false(net_contains(&n16, &n8));
	assert_true(net_contains(&n8, &n8));		/* BIRD: TRUE */
	assert_false(net_contains(&n8, &o16));
	assert_true(net_contains(&all4, &o16));
	assert_true(net_contains(&d32, &d48));
	assert_false(net_contains(&d48, &d32));
	assert_true(net_contains(&all6, &d48));
	assert_false(net_contains(&all6, &n8));	/* BIRD: 10/8 ~ ::/0 FALSE */
	assert_false(net_contains(&all4, &d32));
	assert_false(net_contains(&mapped, &n8));

	assert_true(net_contains_ip(&n8, ip("10.255.255.255")));
	assert_false(net_contains_ip(&n8, ip("11.0.0.0")));
	assert_true(net_contains_ip(&all4, ip("1.2.3.4")));	/* BIRD */
	assert_false(net_contains_ip(&all4, ip("::1")));	/* BIRD */
	assert_false(net_contains_ip(&all6, ip("1.2.3.4")));
	assert_false(net_contains_ip(&mapped, ip("1.2.3.4")));	/* BIRD */
	assert_true(net_contains_ip(&d32, ip("2001:db8:ffff::1")));
	assert_false(net_contains_ip(&d32, ip("2001:db9::")));

	/* net_bit counts in the prefix's own family */
	assert_false(net_bit(&n8, 0));
	assert_true(net_bit(&n8, 4));
	assert_true(net_bit(&n8, 6));
	assert_true(net_bit(&d32, 2));
	assert_false(net_bit(&d32, 0));

	/* normalize is idempotent and keeps the length */
	net_addr x = { .ip = ip("192.168.77.200"), .pxlen = 20, .type = NET_IP4 };
	net_normalize(&x);
	net_addr y = x;
	net_normalize(&y);
	assert_true(net_eq(&x, &y));
	assert_true(net_eq(&x, &(net_addr){ .ip = ip("192.168.64.0"), .pxlen = 20, .type = NET_IP4 }));
}

static void
test_rid(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "4294967296", "99999999999", "0x", "0x100000000",
		"-1", "+5", " 5", "5 ", "1.2.3.4.5", "::1", "1:2::", "0x1g", "12a",
		"256.0.0.0",
	};
	char buf[RID_STR_MAX];
	uint32_t id = 7;

	(void)state;
	assert_int_equal(rid_parse("1.2.3.4", &id), 0);
	assert_int_equal(id, 0x01020304);
	assert_int_equal(rid_parse("5", &id), 0);		/* BIRD: router id 5 */
	assert_int_equal(id, 5);
	assert_string_equal(rid_format(id, buf), "0.0.0.5");
	assert_int_equal(rid_parse("0x10", &id), 0);	/* BIRD */
	assert_int_equal(id, 16);
	assert_int_equal(rid_parse("4294967295", &id), 0);	/* BIRD */
	assert_string_equal(rid_format(id, buf), "255.255.255.255");
	assert_int_equal(rid_parse("0", &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(rid_parse("010", &id), 0);
	assert_int_equal(id, 10);
	assert_int_equal(rid_parse("0XFFFFFFFF", &id), 0);
	assert_int_equal(id, 0xffffffff);
	id = 42;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rid_parse(bad[i], &id) != -1)
			fail_msg("accepted bad router id \"%s\"", bad[i]);
		assert_int_equal(id, 42);
	}
	assert_string_equal(rid_format(0xc0a80101, buf), "192.168.1.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bird_forms),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ip4),
		cmocka_unit_test(test_bad_ips),
		cmocka_unit_test(test_bad_nets),
		cmocka_unit_test(test_net_parse),
		cmocka_unit_test(test_cmp_hash),
		cmocka_unit_test(test_mask_contains),
		cmocka_unit_test(test_rid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
