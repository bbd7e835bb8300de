/* LINK: tools/mrt.c core/attr.c core/net.c core/mem.c */
/*
 * Unit tests for tools/mrt.c, the MRT TABLE_DUMP_V2 reader: a small MRT
 * writer builds records in memory; good dumps decode into the sets the
 * BGP codec would build (shared when the attribute bytes are equal), a
 * real dump from BIRD 2.0.12 reads back, records of other types are
 * skipped, and every malformed input ends in an error naming the byte
 * offset at fault, read from memory or streamed from a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/attr.h"
#include "core/log.h"
#include "core/mem.h"
#include "tools/routes.h"

_Noreturn void
log_bug(const char *file, int line, const char *fmt, ...)
{
	(void)file, (void)line, (void)fmt;
	fail_msg("bug() called");
	abort();
}

/* the first 0x9f bytes of a dump BIRD 2.0.12 wrote (protocol mrt, table master4) */
static const uint8_t bird_dump[] = {
	  0x6b, 0x06, 0x3a, 0x82, 0x00, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x35,
	  0x0a, 0x00, 0x00, 0x02, 0x00, 0x07, 0x6d, 0x61, 0x73, 0x74, 0x65, 0x72,
	  0x34, 0x00, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	  0x00, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00,
	  0x01, 0x00, 0x00, 0xfb, 0xf4, 0x6b, 0x06, 0x3a, 0x82, 0x00, 0x0d, 0x00,
	  0x02, 0x00, 0x00, 0x00, 0x52, 0x00, 0x00, 0x00, 0x00, 0x18, 0xcb, 0x00,
	  0x71, 0x00, 0x01, 0x00, 0x01, 0x6b, 0x06, 0x3a, 0x78, 0x00, 0x40, 0x40,
	  0x01, 0x01, 0x00, 0x40, 0x02, 0x0a, 0x02, 0x02, 0x00, 0x00, 0xfb, 0xf4,
	  0x00, 0x00, 0xfb, 0xf5, 0x00, 0x03, 0x04, 0x7f, 0x00, 0x00, 0x01, 0x00,
	  0x05, 0x04, 0x00, 0x00, 0x00, 0x64, 0xc0, 0x08, 0x04, 0xfb, 0xf4, 0x00,
	  0x01, 0xc0, 0x10, 0x08, 0x00, 0x02, 0xfb, 0xf4, 0x00, 0x00, 0x00, 0x01,
	  0xc0, 0x20, 0x0c, 0x00, 0x00, 0xfb, 0xf4, 0x00, 0x00, 0x00, 0x01, 0x00,
	  0x00, 0x00, 0x02
};

/* ---- a small MRT writer ---- */

struct w {
	uint8_t b[8192];	/* the dump */
	size_t n;		/* bytes written */
};

static void
u8(struct w *w, unsigned v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = (uint8_t)v;
}

static void
u16(struct w *w, unsigned v)
{
	u8(w, v >> 8);
	u8(w, v);
}

static void
u32(struct w *w, uint32_t v)
{
	u16(w, v >> 16);
	u16(w, v & 0xffff);
}

static void
put(struct w *w, const void *p, size_t n)
{
	assert_true(w->n + n <= sizeof w->b);
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* an MRT header with the length left to rec_end; returns where it is */
static size_t
rec_begin(struct w *w, unsigned type, unsigned sub)
{
	size_t at = w->n;

	u32(w, 1700000000);
	u16(w, type);
	u16(w, sub);
	u32(w, 0);
	return at;
}

static void
rec_end(struct w *w, size_t at)
{
	uint32_t len = (uint32_t)(w->n - at - 12);

	w->b[at + 8] = (uint8_t)(len >> 24);
	w->b[at + 9] = (uint8_t)(len >> 16);
	w->b[at + 10] = (uint8_t)(len >> 8);
	w->b[at + 11] = (uint8_t)len;
}

/* a PEER_INDEX_TABLE: peer 0 192.0.2.1 AS64500 (AS4), peer 1 2001:db8::2
 * AS65001 (2-byte), peer 2 198.51.100.3 AS4200000000 */
static void
peer_table(struct w *w)
{
	size_t at = rec_begin(w, 13, 1);

	u32(w, 0x0a000001);
	u16(w, 4);
	put(w, "test", 4);
	u16(w, 3);
	u8(w, 2);
	u32(w, 0x01010101);
	u32(w, 0xc0000201);
	u32(w, 64500);
	u8(w, 1);
	u32(w, 0x02020202);
	u32(w, 0x20010db8);
	u32(w, 0);
	u32(w, 0);
	u32(w, 2);
	u16(w, 65001);
	u8(w, 2);
	u32(w, 0x03030303);
	u32(w, 0xc6336403);
	u32(w, 4200000000u);
	rec_end(w, at);
}

/* an attribute: flags, code, the value */
static void
attr(struct w *w, unsigned flags, unsigned code, const void *p, size_t n)
{
	u8(w, flags | (n > 255 ? 0x10 : 0));
	u8(w, code);
	if (n > 255)
		u16(w, (unsigned)n);
	else
		u8(w, (unsigned)n);
	put(w, p, n);
}

/* the attributes most tests use: origin IGP, path 64500 3356, next hop
 * 192.0.2.1, med 10, local pref 100, two communities, an ext and a large
 * community, an aggregator, atomic aggregate, unknown optional 0x63 */
static const uint8_t a_path[] = { 2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0x0d, 0x1c };
static const uint8_t a_comm[] = { 0xfb, 0xf4, 0, 1, 0xfb, 0xf4, 0, 2 };
static const uint8_t a_ec[] = { 0, 2, 0xfb, 0xf4, 0, 0, 0, 1 };
static const uint8_t a_lc[] = { 0, 0, 0xfb, 0xf4, 0, 0, 0, 1, 0, 0, 0, 2 };
static const uint8_t a_aggr[] = { 0, 0, 0xfb, 0xf4, 10, 0, 0, 1 };

static void
std_attrs(struct w *w, uint32_t med)
{
	uint8_t m[4] = { (uint8_t)(med >> 24), (uint8_t)(med >> 16), (uint8_t)(med >> 8), (uint8_t)med };

	attr(w, 0x40, 1, "\0", 1);
	attr(w, 0x40, 2, a_path, sizeof a_path);
	attr(w, 0x40, 3, "\xc0\x00\x02\x01", 4);
	attr(w, 0x80, 4, m, 4);
	attr(w, 0x40, 5, "\0\0\0\x64", 4);
	attr(w, 0x40, 6, "", 0);
	attr(w, 0xc0, 7, a_aggr, sizeof a_aggr);
	attr(w, 0xc0, 8, a_comm, sizeof a_comm);
	attr(w, 0xc0, 16, a_ec, sizeof a_ec);
	attr(w, 0xc0, 32, a_lc, sizeof a_lc);
	attr(w, 0xe0, 0x63, "\x01\x02\x03", 3);
}

/* a RIB record's header; returns where its entry count is */
static size_t
rib_begin(struct w *w, unsigned sub, const uint8_t *pfx, unsigned plen, unsigned entries)
{
	(void)sub;	/* named at the call for the reader of the test */
	u32(w, 7);
	u8(w, plen);
	put(w, pfx, (plen + 7) / 8);
	size_t at = w->n;
	u16(w, entries);
	return at;
}

/* an entry with the standard attributes; returns where its attributes start */
static size_t
entry(struct w *w, unsigned peer, bool addpath, uint32_t path_id, uint32_t med)
{
	u16(w, peer);
	u32(w, 1700000000);
	if (addpath)
		u32(w, path_id);
	size_t lat = w->n;
	u16(w, 0);
	std_attrs(w, med);
	size_t len = w->n - lat - 2;
	w->b[lat] = (uint8_t)(len >> 8);
	w->b[lat + 1] = (uint8_t)len;
	return lat + 2;
}

/* a dump: a peer table, then 10.1.0.0/16 from peers 0 and 2 (equal
 * attributes) and peer 1 (another med) */
static void
good_dump(struct w *w)
{
	peer_table(w);
	size_t at = rec_begin(w, 13, 2);
	rib_begin(w, 2, (const uint8_t *)"\x0a\x01", 16, 3);
	entry(w, 0, false, 0, 10);
	entry(w, 2, false, 0, 10);
	entry(w, 1, false, 0, 20);
	rec_end(w, at);
}

/* ---- helpers ---- */

static void
get_int(const struct rta *a, unsigned id, uint32_t want)
{
	struct ea_val v;

	assert_true(rta_get(a, id, &v));
	assert_int_equal(v.i, want);
}

static void
get_data(const struct rta *a, unsigned id, const void *want, size_t len)
{
	struct ea_val v;

	assert_true(rta_get(a, id, &v));
	assert_int_equal(v.len, len);
	assert_memory_equal(v.data, want, len);
}

/* read all of w, expecting an error containing msg; returns routes read */
static int
expect_error(const struct w *w, const char *msg)
{
	struct mrt_reader *r = mrt_open_mem(w->b, w->n);
	net_addr n;
	struct rta *a;
	int k, routes = 0;

	while ((k = mrt_next(r, &n, &a, NULL)) > 0)
		routes++;
	if (k != -1 || !strstr(mrt_error(r), msg))
		fail_msg("wanted an error with \"%s\", got %d \"%s\"", msg, k, mrt_error(r));
	assert_int_equal(mrt_next(r, &n, &a, NULL), -1);	/* stays failed */
	mrt_close(r);
	assert_int_equal(rta_count(), 0);
	return routes;
}

/* ---- tests ---- */

static void
test_good_dump(void **state)
{
	struct w w = { .n = 0 };
	struct route_peer pe;
	struct mrt_stats st;
	struct rta *a, *b, *c;
	net_addr n;
	char buf[NET_STR_MAX];

	(void)state;
	good_dump(&w);
	struct mrt_reader *r = mrt_open_mem(w.b, w.n);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, buf), "10.1.0.0/16");
	assert_true(pe.valid);
	assert_int_equal(pe.asn, 64500);
	assert_true(ip_eq(pe.ip, ip4_from_u32(0xc0000201)));
	assert_int_equal(pe.bgp_id, 0x01010101);
	assert_int_equal(a->source, RTS_BGP);
	assert_int_equal(a->dest, RTD_UNICAST);
	assert_int_equal(a->nh_count, 1);
	assert_true(ip_eq(rta_nexthops(a)[0].gw, ip4_from_u32(0xc0000201)));
	get_int(a, EA_BGP_ORIGIN, 0);
	get_data(a, EA_BGP_AS_PATH, a_path, sizeof a_path);
	ip_addr nh = ip4_from_u32(0xc0000201);
	get_data(a, EA_BGP_NEXT_HOP, &nh, sizeof nh);
	get_int(a, EA_BGP_MED, 10);
	get_int(a, EA_BGP_LOCAL_PREF, 100);
	get_data(a, EA_BGP_ATOMIC_AGGR, "", 0);
	get_data(a, EA_BGP_AGGREGATOR, a_aggr, 8);
	uint32_t comm[] = { 64500u << 16 | 1, 64500u << 16 | 2 };
	get_data(a, EA_BGP_COMMUNITY, comm, sizeof comm);
	uint32_t ec[] = { 0x0002fbf4, 1 };
	get_data(a, EA_BGP_EXT_COMMUNITY, ec, sizeof ec);
	uint32_t lc[] = { 64500, 1, 2 };
	get_data(a, EA_BGP_LARGE_COMMUNITY, lc, sizeof lc);
	get_data(a, EA_CODE(EAP_BGP, 0x63), "\x01\x02\x03", 3);
	assert_int_equal(ea_find(a, EA_CODE(EAP_BGP, 0x63))->flags, 0xe0);
	assert_int_equal(ea_find(a, EA_BGP_MED)->flags, 0x80);

	assert_int_equal(mrt_next(r, &n, &b, &pe), 1);
	assert_ptr_equal(a, b);		/* same bytes: the same set, decoded once */
	assert_int_equal(pe.asn, 4200000000u);
	assert_int_equal(mrt_next(r, &n, &c, &pe), 1);
	assert_ptr_not_equal(a, c);
	assert_int_equal(pe.asn, 65001);
	assert_true(ip_eq(pe.ip, (ip_addr){ { 0x20010db8, 0, 0, 2 } }));
	get_int(c, EA_BGP_MED, 20);
	assert_int_equal(mrt_next(r, &n, &c, &pe), 0);
	assert_int_equal(mrt_next(r, &n, &c, &pe), 0);
	mrt_get_stats(r, &st);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.routes, 3);
	assert_int_equal(st.attr_sets, 2);
	assert_int_equal(st.attr_hits, 1);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(rta_count(), 2);
	mrt_close(r);
	assert_int_equal(rta_count(), 0);
}

static void
test_bird_dump(void **state)
{
	struct route_peer pe;
	struct rta *a;
	net_addr n;
	char buf[NET_STR_MAX];

	(void)state;
	struct mrt_reader *r = mrt_open_mem(bird_dump, sizeof bird_dump);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, buf), "203.0.113.0/24");
	assert_int_equal(pe.asn, 64500);
	assert_true(ip_eq(pe.ip, ip4_from_u32(0x7f000001)));
	const uint8_t path[] = { 2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0xfb, 0xf5 };
	get_data(a, EA_BGP_AS_PATH, path, sizeof path);
	get_int(a, EA_BGP_LOCAL_PREF, 100);
	get_int(a, EA_BGP_ORIGIN, 0);
	uint32_t comm = 64500u << 16 | 1;
	get_data(a, EA_BGP_COMMUNITY, &comm, 4);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 0);
	mrt_close(r);
}

static void
test_ipv6_and_addpath(void **state)
{
	struct w w = { .n = 0 };
	struct route_peer pe;
	struct rta *a;
	net_addr n;
	char buf[NET_STR_MAX];
	uint8_t nh[33] = { 32, 0x20, 0x01, 0x0d, 0xb8 };

	(void)state;
	nh[16] = 1;
	nh[17] = 0xfe;
	nh[18] = 0x80;
	nh[32] = 7;
	peer_table(&w);
	/* abbreviated MP_REACH (RFC 6396), global and link-local next hops */
	size_t at = rec_begin(&w, 13, 4);
	rib_begin(&w, 4, (const uint8_t *)"\x20\x01\x0d\xb8", 32, 1);
	u16(&w, 1);
	u32(&w, 0);
	u16(&w, 4 + 3 + 33);
	attr(&w, 0x40, 1, "\2", 1);
	attr(&w, 0x80, 14, nh, sizeof nh);
	rec_end(&w, at);
	/* full MP_REACH, one next hop, ADD-PATH, IPv6 */
	at = rec_begin(&w, 13, 10);
	rib_begin(&w, 10, (const uint8_t *)"\x20\x01\x0d\xb8\x00\x01", 48, 1);
	u16(&w, 1);
	u32(&w, 0);
	u32(&w, 77);
	uint8_t full[] = { 0, 2, 1, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0 };
	u16(&w, 3 + sizeof full);
	attr(&w, 0x80, 14, full, sizeof full);
	rec_end(&w, at);
	/* ADD-PATH IPv4 */
	at = rec_begin(&w, 13, 8);
	rib_begin(&w, 8, (const uint8_t *)"\xc0\x00\x02", 24, 1);
	entry(&w, 0, true, 5, 1);
	rec_end(&w, at);

	struct mrt_reader *r = mrt_open_mem(w.b, w.n);
	int k = mrt_next(r, &n, &a, &pe);
	if (k != 1)
		fail_msg("%s", mrt_error(r));
	assert_string_equal(net_format(&n, buf), "2001:db8::/32");
	ip_addr two[2] = { { { 0x20010db8, 0, 0, 1 } }, { { 0xfe800000, 0, 0, 7 } } };
	get_data(a, EA_BGP_NEXT_HOP, two, sizeof two);
	get_int(a, EA_BGP_ORIGIN, 2);
	assert_int_equal(pe.path_id, 0);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, buf), "2001:db8:1::/48");
	get_data(a, EA_BGP_NEXT_HOP, &(ip_addr){ { 0x20010db8, 0, 0, 9 } }, sizeof(ip_addr));
	assert_int_equal(pe.path_id, 77);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, buf), "192.0.2.0/24");
	assert_int_equal(pe.path_id, 5);
	get_int(a, EA_BGP_MED, 1);
	assert_int_equal(mrt_next(r, &n, &a, &pe), 0);
	mrt_close(r);
	assert_int_equal(rta_count(), 0);
}

static void
test_skips_other_types(void **state)
{
	struct w w = { .n = 0 };
	struct mrt_stats st;
	struct rta *a;
	net_addr n;

	(void)state;
	size_t at = rec_begin(&w, 16, 4);	/* BGP4MP_MESSAGE_AS4 */
	put(&w, "whatever bytes", 14);
	rec_end(&w, at);
	at = rec_begin(&w, 12, 1);		/* TABLE_DUMP (v1) */
	rec_end(&w, at);
	good_dump(&w);
	at = rec_begin(&w, 13, 3);		/* RIB_IPV4_MULTICAST */
	put(&w, "\0\0\0\0\0\0\0", 7);
	rec_end(&w, at);
	at = rec_begin(&w, 13, 6);		/* RIB_GENERIC */
	put(&w, "\0\0\0\0\0\0\0", 7);
	rec_end(&w, at);
	at = rec_begin(&w, 13, 2);		/* a RIB record with no entries */
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 0);
	rec_end(&w, at);
	at = rec_begin(&w, 99, 0);		/* a type nobody knows */
	put(&w, "\xff\xff", 2);
	rec_end(&w, at);

	struct mrt_reader *r = mrt_open_mem(w.b, w.n);
	int routes = 0, k;
	while ((k = mrt_next(r, &n, &a, NULL)) > 0)
		routes++;
	assert_int_equal(k, 0);
	assert_int_equal(routes, 3);
	mrt_get_stats(r, &st);
	assert_int_equal(st.records, 8);
	assert_int_equal(st.skipped, 5);
	mrt_close(r);
}

/* a cache of two blobs: flushed when full, sets stay right and bounded */
static void
test_cache_limit(void **state)
{
	struct w w = { .n = 0 };
	struct mrt_stats st;
	struct rta *a;
	net_addr n;

	(void)state;
	peer_table(&w);
	size_t at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 6);
	for (uint32_t k = 0; k < 6; k++)
		entry(&w, 0, false, 0, k % 3);		/* meds 0 1 2 0 1 2 */
	rec_end(&w, at);
	struct mrt_reader *r = mrt_open_mem(w.b, w.n);
	mrt_set_cache_limit(r, 2);
	for (uint32_t k = 0; k < 6; k++) {
		assert_int_equal(mrt_next(r, &n, &a, NULL), 1);
		get_int(a, EA_BGP_MED, k % 3);
		assert_true(rta_count() <= 2);
	}
	assert_int_equal(mrt_next(r, &n, &a, NULL), 0);
	mrt_get_stats(r, &st);
	assert_int_equal(st.attr_sets, 6);	/* every blob decoded again */
	assert_int_equal(st.attr_hits, 0);
	mrt_close(r);
	assert_int_equal(rta_count(), 0);
}

/* the same bytes streamed from a file (after head bytes, as route_file
 * hands them over) read the same */
static void
test_stream(void **state)
{
	struct w w = { .n = 0 };
	struct rta *a;
	net_addr n;
	int k, routes = 0;

	(void)state;
	good_dump(&w);
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(w.b + 5, 1, w.n - 5, f), w.n - 5);
	rewind(f);
	struct mrt_reader *r = mrt_open_file(f, w.b, 5);
	while ((k = mrt_next(r, &n, &a, NULL)) > 0)
		routes++;
	assert_int_equal(k, 0);
	assert_int_equal(routes, 3);
	mrt_close(r);

	/* truncated in a file: the offset is the record's */
	rewind(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)(w.n - 5 - 3)), 0);
	r = mrt_open_file(f, w.b, 5);
	while ((k = mrt_next(r, &n, &a, NULL)) > 0)
		routes++;
	assert_int_equal(k, -1);
	assert_string_equal(mrt_error(r), "offset 73: truncated record (type 13 subtype 2): "
	    "length 318, only 315 bytes follow");
	mrt_close(r);
	fclose(f);
}

static void
test_truncated(void **state)
{
	struct w w = { .n = 0 };

	(void)state;
	good_dump(&w);
	size_t full = w.n;
	w.n = 5;
	expect_error(&w, "offset 0: truncated MRT header: 5 of 12 bytes");
	w.n = 73 + 12 + 3;	/* into the RIB record's body */
	expect_error(&w, "offset 73: truncated record (type 13 subtype 2): length 318, "
	    "only 3 bytes follow");
	w.n = 50;		/* into the peer table */
	expect_error(&w, "offset 0: truncated record (type 13 subtype 1)");
	w.n = full;
	/* every cut ends in an error, never in a crash */
	for (size_t cut = 1; cut < full; cut++) {
		if (cut == 73)
			continue;	/* between the records: a good, shorter dump */
		w.n = cut;
		expect_error(&w, "truncated");
	}
}

static void
test_bad_lengths(void **state)
{
	struct w w = { .n = 0 };

	(void)state;
	/* an entry's attribute length past its record */
	peer_table(&w);
	size_t at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	u16(&w, 0);
	u32(&w, 0);
	size_t len_at = w.n;
	u16(&w, 200);
	attr(&w, 0x40, 1, "\0", 1);
	rec_end(&w, at);
	char m[120];
	snprintf(m, sizeof m, "offset %zu: attribute length 200 runs past the record (4 bytes left)",
	    len_at);
	expect_error(&w, m);

	/* an attribute's length past the attributes */
	w.n = 0;
	peer_table(&w);
	at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	u16(&w, 0);
	u32(&w, 0);
	u16(&w, 4);
	size_t attr_at = w.n;
	put(&w, "\x40\x01\x05\x00", 4);
	rec_end(&w, at);
	snprintf(m, sizeof m, "offset %zu: ORIGIN length 5 runs past the attributes (1 bytes left)",
	    attr_at);
	expect_error(&w, m);

	/* more entries announced than the record holds */
	w.n = 0;
	peer_table(&w);
	at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 2);
	entry(&w, 0, false, 0, 1);
	size_t end = w.n;
	rec_end(&w, at);
	snprintf(m, sizeof m, "offset %zu: RIB entry truncated (0 of 8 header bytes)", end);
	assert_int_equal(expect_error(&w, m), 1);

	/* bytes left after the last entry */
	w.n = 0;
	peer_table(&w);
	at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	entry(&w, 0, false, 0, 1);
	end = w.n;
	put(&w, "xy", 2);
	rec_end(&w, at);
	snprintf(m, sizeof m, "offset %zu: 2 bytes after the last RIB entry", end);
	expect_error(&w, m);

	/* a prefix length too long */
	w.n = 0;
	peer_table(&w);
	at = rec_begin(&w, 13, 2);
	u32(&w, 0);
	u8(&w, 33);
	put(&w, "\0\0\0\0\0\0\0", 7);
	rec_end(&w, at);
	snprintf(m, sizeof m, "offset %zu: prefix length 33 over 32", at + 12 + 4);
	expect_error(&w, m);

	/* a peer table whose peers run past it */
	w.n = 0;
	peer_table(&w);
	w.n -= 3;
	rec_end(&w, 0);
	expect_error(&w, "PEER_INDEX_TABLE truncated at peer 2 of 3");

	/* a record length past the reader's limit */
	w.n = 0;
	at = rec_begin(&w, 13, 2);
	put(&w, "\0\0\0\0", 4);
	w.b[at + 8] = 0x7f;
	expect_error(&w, "offset 8: record length 2130706432 too big");
}

static void
test_peer_errors(void **state)
{
	struct w w = { .n = 0 };

	(void)state;
	size_t at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	entry(&w, 0, false, 0, 1);
	rec_end(&w, at);
	expect_error(&w, "offset 0: RIB record before any PEER_INDEX_TABLE");

	w.n = 0;
	peer_table(&w);
	at = rec_begin(&w, 13, 2);
	size_t e = rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1) + 2;
	entry(&w, 3, false, 0, 1);
	rec_end(&w, at);
	char m[100];
	snprintf(m, sizeof m, "offset %zu: peer index 3 beyond the 3 peers", e);
	expect_error(&w, m);
}

/* one entry of the given attribute bytes; the error expected at the
 * attribute's offset (+ delta) */
static void
one_attr(const void *attrs, size_t n, size_t delta, const char *msg)
{
	struct w w = { .n = 0 };

	peer_table(&w);
	size_t at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	u16(&w, 0);
	u32(&w, 0);
	u16(&w, (unsigned)n);
	size_t aat = w.n;
	put(&w, attrs, n);
	rec_end(&w, at);
	char m[200];
	snprintf(m, sizeof m, "offset %zu: %s", aat + delta, msg);
	expect_error(&w, m);
}

static void
test_attr_errors(void **state)
{
	(void)state;
	/* flags */
	one_attr("\xc0\x01\x01\x00", 4, 0, "ORIGIN flags 0xc0 are wrong (expected 0x40)");
	one_attr("\x40\x01\x01\x00" "\x40\x04\x04\0\0\0\1", 11, 4,
	    "MULTI_EXIT_DISC flags 0x40 are wrong (expected 0x80)");
	one_attr("\x40\x08\x04\0\0\0\1", 7, 0, "COMMUNITY flags 0x40 are wrong (expected 0xc0)");
	one_attr("\x00\x0a\x04\0\0\0\1", 7, 0, "CLUSTER_LIST flags 0x00 are wrong (expected 0x80)");
	one_attr("\x40\x63\x01\x00", 4, 0, "unrecognized well-known attribute 99 (flags 0x40)");
	/* lengths and values */
	one_attr("\x40\x01\x02\x00\x00", 5, 0, "ORIGIN length 2, expected 1");
	one_attr("\x40\x01\x01\x03", 4, 3, "ORIGIN value 3 (0..2)");
	one_attr("\x40\x03\x03\x01\x02\x03", 6, 0, "NEXT_HOP length 3, expected 4");
	one_attr("\xc0\x08\x05\0\0\0\1\2", 8, 0,
	    "COMMUNITY length 5, not a non-zero multiple of 4");
	one_attr("\xc0\x20\x08\0\0\0\1\0\0\0\2", 11, 0,
	    "LARGE_COMMUNITY length 8, not a non-zero multiple of 12");
	one_attr("\xc0\x10\x00", 3, 0, "EXTENDED_COMMUNITIES length 0, not a non-zero multiple of 8");
	one_attr("\xc0\x07\x05\0\0\0\0\0", 8, 0, "AGGREGATOR length 5, expected 8 (or 6)");
	one_attr("\x40\x06\x01\x00", 4, 0, "ATOMIC_AGGREGATE length 1, expected 0");
	one_attr("\x40\x02\x06\x02\x02\0\0\0\1", 9, 3, "malformed AS_PATH segment");
	one_attr("\x40\x02\x06\x05\x01\0\0\0\1", 9, 3, "malformed AS_PATH segment");
	one_attr("\x40\x02\x06\x02\x01\0\0\0\1" "\x40\x02\x00", 12, 9, "AS_PATH twice");
	one_attr("\x80\x0e\x03\x07\x01\x02", 6, 0, "malformed MP_REACH_NLRI (length 3)");
	one_attr("\x80\x0e\x04\x03\x01\x02\x03", 7, 0, "MP_REACH_NLRI next hop length 3 (4, 16 or 32)");
	/* headers */
	one_attr("\x40\x01", 2, 0, "attribute header truncated (2 bytes left)");
	one_attr("\x40\x01\x01\x00\x50\x02\x00", 7, 4, "attribute header truncated (3 bytes left)");
}

static void
test_attr_oddities(void **state)
{
	struct w w = { .n = 0 };
	struct rta *a;
	net_addr n;

	(void)state;
	peer_table(&w);
	size_t at = rec_begin(&w, 13, 2);
	rib_begin(&w, 2, (const uint8_t *)"\x0a", 8, 1);
	u16(&w, 0);
	u32(&w, 0);
	size_t lat = w.n;
	u16(&w, 0);
	uint8_t big[300];
	for (size_t k = 0; k < sizeof big; k++)
		big[k] = (uint8_t)k;
	attr(&w, 0xc0, 0x7f, big, sizeof big);		/* extended length */
	attr(&w, 0xc0, 7, "\xfd\xe8\x0a\x00\x00\x01", 6);	/* 2-byte aggregator */
	attr(&w, 0xc0, 17, "\x02\x01\0\0\0\1", 6);	/* AS4_PATH: dropped */
	attr(&w, 0x80, 15, "\0\2\1", 3);		/* MP_UNREACH: dropped */
	attr(&w, 0x40, 2, "", 0);			/* empty AS path */
	put(&w, "\x90\x09\x00\x04\1\2\3\4", 8);	/* originator id, 2-byte length */
	attr(&w, 0x80, 10, "\5\6\7\x08", 4);		/* cluster list */
	size_t len = w.n - lat - 2;
	w.b[lat] = (uint8_t)(len >> 8);
	w.b[lat + 1] = (uint8_t)len;
	rec_end(&w, at);

	struct mrt_reader *r = mrt_open_mem(w.b, w.n);
	if (mrt_next(r, &n, &a, NULL) != 1)
		fail_msg("%s", mrt_error(r));
	get_data(a, EA_CODE(EAP_BGP, 0x7f), big, sizeof big);
	get_data(a, EA_BGP_AGGREGATOR, "\0\0\xfd\xe8\x0a\x00\x00\x01", 8);
	assert_null(ea_find(a, EA_CODE(EAP_BGP, 17)));
	assert_null(ea_find(a, EA_CODE(EAP_BGP, 15)));
	get_data(a, EA_BGP_AS_PATH, "", 0);
	get_int(a, EA_BGP_ORIGINATOR_ID, 0x01020304);
	assert_int_equal(ea_find(a, EA_BGP_ORIGINATOR_ID)->flags, 0x80);
	uint32_t cl = 0x05060708;
	get_data(a, EA_BGP_CLUSTER_LIST, &cl, 4);
	assert_int_equal(a->dest, RTD_UNREACHABLE);	/* no next hop at all */
	assert_int_equal(a->nh_count, 0);
	assert_int_equal(mrt_next(r, &n, &a, NULL), 0);
	mrt_close(r);
}

/* random bytes flipped in a good dump: an error or routes, never a crash */
static void
test_mutations(void **state)
{
	struct w w = { .n = 0 }, m;
	struct rta *a;
	net_addr n;

	(void)state;
	good_dump(&w);
	srand(4);
	for (int round = 0; round < 20000; round++) {
		m = w;
		for (int k = 0; k < 1 + round % 4; k++)
			m.b[(size_t)rand() % m.n] = (uint8_t)rand();
		struct mrt_reader *r = mrt_open_mem(m.b, m.n);
		int routes = 0;
		while (mrt_next(r, &n, &a, NULL) > 0)
			routes++;
		assert_true(routes <= 3 || routes < 70000);
		mrt_close(r);
		assert_int_equal(rta_count(), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_dump),
		cmocka_unit_test(test_bird_dump),
		cmocka_unit_test(test_ipv6_and_addpath),
		cmocka_unit_test(test_skips_other_types),
		cmocka_unit_test(test_cache_limit),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_peer_errors),
		cmocka_unit_test(test_attr_errors),
		cmocka_unit_test(test_attr_oddities),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
