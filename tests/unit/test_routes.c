/* LINK: tools/routes.c tools/mrt.c core/rte_print.c core/iface.c core/attr.c core/net.c core/mem.c */
/*
 * Unit tests for tools/routes.c: routes as text in both spellings BIRD 2
 * uses (filter names and `show route all` lines) decode into the sets the
 * BGP codec builds; what route_print writes parses back into the same
 * interned set; malformed text fails with the right column and never
 * crashes; files of text routes and MRT dumps are told apart and read,
 * errors carrying FILE:LINE:COL.
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
#include "core/table.h"
#include "tools/routes.h"

_Noreturn void
log_bug(const char *file, int line, const char *fmt, ...)
{
	(void)file, (void)line, (void)fmt;
	fail_msg("bug() called");
	abort();
}

/* ---- helpers ---- */

static struct rta *
parse(const char *s, net_addr *n)
{
	char err[ROUTE_ERR_MAX];
	struct rta *a;

	if (route_parse(s, strlen(s), n, &a, err) < 0)
		fail_msg("\"%s\": %s", s, err);
	return a;
}

static void
parse_err(const char *s, const char *want)
{
	char err[ROUTE_ERR_MAX];
	struct rta *a;
	net_addr n;

	if (route_parse(s, strlen(s), &n, &a, err) == 0)
		fail_msg("\"%s\" parsed; wanted %s", s, want);
	assert_null(a);
	if (strcmp(err, want))
		fail_msg("\"%s\": got \"%s\", wanted \"%s\"", s, err, want);
}

/* the "BGP.x: value" text of attribute id */
static const char *
text_of(const struct rta *a, unsigned id)
{
	static char buf[512];
	const struct eattr *e = ea_find(a, id);

	if (!e)
		return "(absent)";
	rta_attr_format(a, e, buf, sizeof buf);
	return buf;
}

/* what route_print writes */
static char *
printed(const net_addr *n, const struct route_peer *pe, const struct rta *a,
    const struct rta *before)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	route_print(f, n, pe, a, before);
	fclose(f);
	return buf;
}

/* ---- tests ---- */

static void
test_filter_names(void **state)
{
	net_addr n;
	struct ea_val v;
	char b[NET_STR_MAX];

	(void)state;
	struct rta *a = parse("203.0.113.0/24 bgp_path 64500 3356 bgp_community (64500,1) "
	    "(64500,2) bgp_local_pref 100 bgp_next_hop 192.0.2.1 bgp_origin IGP bgp_med 10 "
	    "bgp_large_community (64500,1,2) bgp_ext_community (rt,64500,1)", &n);
	assert_string_equal(net_format(&n, b), "203.0.113.0/24");
	assert_int_equal(a->source, RTS_BGP);
	assert_int_equal(a->scope, SCOPE_UNIVERSE);
	assert_int_equal(a->dest, RTD_UNICAST);
	assert_int_equal(a->nh_count, 1);
	assert_true(ip_eq(rta_nexthops(a)[0].gw, ip4_from_u32(0xc0000201)));
	const uint8_t path[] = { 2, 2, 0, 0, 0xfb, 0xf4, 0, 0, 0x0d, 0x1c };
	assert_true(rta_get(a, EA_BGP_AS_PATH, &v));
	assert_int_equal(v.len, sizeof path);
	assert_memory_equal(v.data, path, sizeof path);
	assert_int_equal(v.flags, EAF_BGP_TRANSITIVE);
	assert_true(rta_get(a, EA_BGP_COMMUNITY, &v));
	const uint32_t comm[] = { 64500u << 16 | 1, 64500u << 16 | 2 };
	assert_int_equal(v.len, sizeof comm);
	assert_memory_equal(v.data, comm, sizeof comm);
	assert_int_equal(v.flags, EAF_BGP_OPTIONAL | EAF_BGP_TRANSITIVE);
	assert_true(rta_get(a, EA_BGP_MED, &v));
	assert_int_equal(v.i, 10);
	assert_int_equal(v.flags, EAF_BGP_OPTIONAL);
	assert_true(rta_get(a, EA_BGP_EXT_COMMUNITY, &v));
	const uint32_t ec[] = { 0x0002fbf4, 1 };
	assert_memory_equal(v.data, ec, sizeof ec);
	assert_true(rta_get(a, EA_BGP_LARGE_COMMUNITY, &v));
	const uint32_t lc[] = { 64500, 1, 2 };
	assert_memory_equal(v.data, lc, sizeof lc);
	assert_true(rta_get(a, EA_BGP_ORIGIN, &v));
	assert_int_equal(v.i, 0);
	assert_true(rta_get(a, EA_BGP_LOCAL_PREF, &v));
	assert_int_equal(v.i, 100);

	/* the same route in BIRD's spelling, attributes in another order */
	struct rta *b2 = parse("203.0.113.0/24 BGP.origin: IGP BGP.as_path: 64500 3356 "
	    "BGP.next_hop: 192.0.2.1 BGP.med: 10 BGP.local_pref: 100 "
	    "BGP.large_community: (64500, 1, 2) BGP.community: (64500,1) (64500,2) "
	    "BGP.ext_community: (rt, 64500, 1)", &n);
	assert_ptr_equal(a, b2);
	rta_unref(b2);
	rta_unref(a);
	assert_int_equal(rta_count(), 0);
}

/* lines BIRD 2.0.12 printed for a static route carrying these attributes */
static void
test_bird_lines(void **state)
{
	static const char *const lines[] = {
		"BGP.origin: IGP",
		"BGP.as_path: 3356 64500",
		"BGP.next_hop: 192.0.2.1",
		"BGP.med: 10",
		"BGP.local_pref: 100",
		"BGP.community: (64500,1) (64500,2)",
		"BGP.originator_id: 1.2.3.4",
		"BGP.cluster_list: 5.6.7.8",
		"BGP.ext_community: (rt, 64500, 1) (ro, 192.0.2.1, 7) (rt, 4200000000, 5)",
		"BGP.large_community: (64500, 1, 2)",
	};
	static const unsigned ids[] = {
		EA_BGP_ORIGIN, EA_BGP_AS_PATH, EA_BGP_NEXT_HOP, EA_BGP_MED, EA_BGP_LOCAL_PREF,
		EA_BGP_COMMUNITY, EA_BGP_ORIGINATOR_ID, EA_BGP_CLUSTER_LIST,
		EA_BGP_EXT_COMMUNITY, EA_BGP_LARGE_COMMUNITY,
	};
	char line[1024] = "10.0.0.0/24";
	net_addr n;

	(void)state;
	for (unsigned k = 0; k < 10; k++) {
		strcat(line, " ");
		strcat(line, lines[k]);
	}
	struct rta *a = parse(line, &n);
	for (unsigned k = 0; k < 10; k++)
		assert_string_equal(text_of(a, ids[k]), lines[k]);
	char *p = printed(&n, NULL, a, NULL);
	assert_string_equal(p, "10.0.0.0/24\n\tType: BGP univ\n\tBGP.origin: IGP\n"
	    "\tBGP.as_path: 3356 64500\n\tBGP.next_hop: 192.0.2.1\n\tBGP.med: 10\n"
	    "\tBGP.local_pref: 100\n\tBGP.community: (64500,1) (64500,2)\n"
	    "\tBGP.originator_id: 1.2.3.4\n\tBGP.cluster_list: 5.6.7.8\n"
	    "\tBGP.ext_community: (rt, 64500, 1) (ro, 192.0.2.1, 7) (rt, 4200000000, 5)\n"
	    "\tBGP.large_community: (64500, 1, 2)\n");
	free(p);
	rta_unref(a);
}

/* every value form; what is printed parses back into the same set */
static void
test_round_trip(void **state)
{
	static const char *const routes[] = {
		"10.0.0.0/8 bgp_path 1 {2 3} (4 5) ({6}) 4294967295",
		"10.0.0.0/8 bgp_path",
		"2001:db8::/32 bgp_next_hop 2001:db8::1 fe80::1 bgp_origin Incomplete",
		"2001:db8::/32 bgp_next_hop 2001:db8::1 bgp_origin egp",
		"10.0.0.0/8 bgp_aggregator 10.0.0.1 AS65000 bgp_atomic_aggr bgp_origin 1",
		"10.0.0.0/8 bgp_aggregator AS4200000000 10.0.0.1",
		"10.0.0.0/8 bgp_aggregator 65000 10.0.0.1 bgp_otc 64500",
		("10.0.0.0/8 bgp_ext_community (generic, 0x1, 0x2) (unknown 0x4, 1, 2) "
		    "(ro, 4200000001, 65535) (rt, 1.2.3.4, 0) (rt, 0, 4294967295)"),
		"10.0.0.0/8 bgp_community (0,0) (65535,65535) bgp_cluster_list 1.1.1.1 2.2.2.2",
		"10.0.0.0/8 bgp_originator_id 9.9.9.9 bgp_med 0 bgp_local_pref 4294967295",
		"0.0.0.0/0",
		"::/0 bgp_large_community (4294967295, 0, 4294967295) (1, 2, 3)",
	};
	net_addr n, n2;

	(void)state;
	for (unsigned k = 0; k < sizeof routes / sizeof routes[0]; k++) {
		struct rta *a = parse(routes[k], &n);
		char *p = printed(&n, NULL, a, NULL);
		/* one line: the printed lines, "Type:" dropped */
		char line[2048] = "";
		for (char *l = strtok(p, "\n"); l; l = strtok(NULL, "\n")) {
			if (strstr(l, "Type: "))
				continue;
			strcat(line, l + (*l == '\t'));
			strcat(line, " ");
		}
		struct rta *b = parse(line, &n2);
		if (a != b)
			fail_msg("\"%s\" printed as \"%s\" reads back differently", routes[k], line);
		assert_true(net_eq(&n, &n2));
		free(p);
		rta_unref(a);
		rta_unref(b);
	}
	assert_int_equal(rta_count(), 0);
}

static void
test_long_path(void **state)
{
	char line[4096] = "10.0.0.0/8 bgp_path";
	struct ea_val v;
	net_addr n;

	(void)state;
	for (int k = 0; k < 300; k++)
		sprintf(line + strlen(line), " %d", k + 1);
	struct rta *a = parse(line, &n);
	assert_true(rta_get(a, EA_BGP_AS_PATH, &v));
	const uint8_t *p = v.data;
	assert_int_equal(v.len, 2 + 255 * 4 + 2 + 45 * 4);	/* split at 255 */
	assert_int_equal(p[0], 2);
	assert_int_equal(p[1], 255);
	assert_int_equal(p[2 + 255 * 4], 2);
	assert_int_equal(p[2 + 255 * 4 + 1], 45);
	rta_unref(a);

	strcpy(line, "10.0.0.0/8 bgp_path {");
	for (int k = 0; k < 256; k++)
		sprintf(line + strlen(line), " %d", k + 1);
	strcat(line, "}");
	parse_err(line, "column 22: AS path segment of more than 255 ASNs");
}

static void
test_errors(void **state)
{
	(void)state;
	parse_err("", "column 1: expected a prefix, found an empty line");
	parse_err("   ", "column 4: expected a prefix, found an empty line");
	parse_err("10.0.0.0/33", "column 1: expected a prefix, found '10.0.0.0/33'");
	parse_err("10.0.0.1/8", "column 1: prefix '10.0.0.1/8' has bits set after its length");
	parse_err("bgp_med 5", "column 1: expected a prefix, found 'bgp_med'");
	parse_err("10.0.0.0/8 bgp_med", "column 19: bgp_med needs a number");
	parse_err("10.0.0.0/8 bgp_med x", "column 20: expected a number, found 'x'");
	parse_err("10.0.0.0/8 bgp_med -1", "column 20: expected a number, found '-1'");
	parse_err("10.0.0.0/8 bgp_med 4294967296",
	    "column 20: a number 4294967296 out of range (0..4294967295)");
	parse_err("10.0.0.0/8 bgp_med 1 2", "column 22: expected an attribute name, found '2'");
	parse_err("10.0.0.0/8 bgp_med 1 bgp_med 2", "column 22: bgp_med given twice");
	parse_err("10.0.0.0/8 bgp_foo 1", "column 12: unknown attribute 'bgp_foo'");
	parse_err("10.0.0.0/8 BGP.foo: 1", "column 12: unknown attribute 'BGP.foo:'");
	parse_err("10.0.0.0/8 bgp_origin FOO",
	    "column 23: invalid origin 'FOO' (IGP, EGP or Incomplete)");
	parse_err("10.0.0.0/8 bgp_origin", "column 22: expected an origin (IGP, EGP or "
	    "Incomplete) at the end of the line");
	parse_err("10.0.0.0/8 bgp_next_hop 1.2.3", "column 25: invalid IP address '1.2.3'");
	parse_err("10.0.0.0/8 bgp_next_hop 192.0.2.1 192.0.2.2", "column 35: a second next hop "
	    "must be an IPv6 link-local address after an IPv6 one");
	parse_err("10.0.0.0/8 bgp_community (64500,1", "column 34: expected ')' at the end of "
	    "the line");
	parse_err("10.0.0.0/8 bgp_community 64500:1", "column 26: expected '(', found '6'");
	parse_err("10.0.0.0/8 bgp_community (70000,1)",
	    "column 27: a community's AS number 70000 out of range (0..65535)");
	parse_err("10.0.0.0/8 bgp_ext_community (rt, 4200000000, 70000)",
	    "column 47: value 70000 too big for this extended community (0..65535)");
	parse_err("10.0.0.0/8 bgp_ext_community (xx, 1, 2)",
	    "column 31: unknown extended community kind 'xx' (rt, ro, generic)");
	parse_err("10.0.0.0/8 bgp_ext_community (rt, 2001:db8::1, 2)",
	    "column 35: an extended community's address must be IPv4");
	parse_err("10.0.0.0/8 bgp_ext_community (unknown 0x4300, 1, 2)",
	    "column 31: extended community type 0x4300 has no (admin, value) layout");
	parse_err("10.0.0.0/8 bgp_large_community (1,2)", "column 36: expected ',', found ')'");
	parse_err("10.0.0.0/8 bgp_path 1 {2", "column 25: expected an AS number at the end of "
	    "the line");
	parse_err("10.0.0.0/8 bgp_path 1 {}", "column 24: empty AS path segment");
	parse_err("10.0.0.0/8 bgp_path 1 ]", "column 23: expected an AS number, found ']'");
	parse_err("10.0.0.0/8 bgp_atomic_aggr 5", "column 28: bgp_atomic_aggr takes no value");
	parse_err("10.0.0.0/8 bgp_aggregator 10.0.0.1", "column 35: expected an aggregator AS "
	    "number at the end of the line");
	parse_err("10.0.0.0/8 bgp_aggregator AS1 2001:db8::1",
	    "column 31: the aggregator address must be IPv4");
	parse_err("10.0.0.0/8 bgp_originator_id 1.2.3", "column 30: invalid router id '1.2.3'");
	parse_err("10.0.0.0/8 \x01", "column 12: unexpected byte 0x01");
	parse_err("10.0.0.0/8 bgp_med\x7f", "column 19: unexpected byte 0x7f");
	const char nul[] = "10.0.0.0/8 bgp_med 1\0 bgp_med 2";
	char err[ROUTE_ERR_MAX];
	struct rta *a;
	net_addr n;
	assert_int_equal(route_parse(nul, sizeof nul - 1, &n, &a, err), -1);
	assert_string_equal(err, "column 21: unexpected byte 0x00");
	assert_int_equal(rta_count(), 0);
}

/* random edits of good lines: an error or a route, never a crash; every
 * route parses again from its printed form */
static void
test_mutations(void **state)
{
	static const char base[] = "2001:db8::/32 bgp_path 1 {2 3} (4) bgp_community (1,2) "
	    "bgp_ext_community (rt, 1.2.3.4, 5) bgp_large_community (1, 2, 3) "
	    "BGP.next_hop: 2001:db8::1 fe80::1 bgp_aggregator 1.2.3.4 AS5 bgp_atomic_aggr";
	static const char alphabet[] = "0123456789(){},.: \t/abgpx_ASrt";
	char s[sizeof base + 8], err[ROUTE_ERR_MAX];
	struct rta *a;
	net_addr n;
	int good = 0;

	(void)state;
	srand(7);
	for (int round = 0; round < 50000; round++) {
		memcpy(s, base, sizeof base);
		size_t len = sizeof base - 1;
		for (int k = 0; k < 1 + round % 3 && len; k++) {
			size_t at = (size_t)rand() % len;
			if (rand() % 4 == 0)
				len = at;	/* cut */
			else
				s[at] = alphabet[(size_t)rand() % (sizeof alphabet - 1)];
		}
		if (route_parse(s, len, &n, &a, err) == 0) {
			good++;
			rta_unref(a);
		} else
			assert_true(!strncmp(err, "column ", 7));
	}
	assert_true(good > 0);
	assert_int_equal(rta_count(), 0);
}

static void
test_print_changes(void **state)
{
	net_addr n;
	struct route_peer pe = { .ip = ip4_from_u32(0xc0000201), .asn = 64500, .path_id = 3,
	    .valid = true };

	(void)state;
	struct rta *a = parse("10.0.0.0/8 bgp_origin IGP bgp_med 10 bgp_local_pref 100 "
	    "bgp_path 1 2", &n);
	struct rta *b = parse("10.0.0.0/8 bgp_origin IGP bgp_local_pref 200 bgp_path 1 2 "
	    "bgp_community (1,2)", &n);
	char *p = printed(&n, &pe, b, a);
	assert_string_equal(p, "10.0.0.0/8 from 192.0.2.1 AS64500 path 3\n\tType: BGP univ\n"
	    "\tBGP.origin: IGP\n\tBGP.as_path: 1 2\n-\tBGP.med: 10\n"
	    "*\tBGP.local_pref: 200 [was: 100]\n+\tBGP.community: (1,2)\n");
	free(p);
	rta_unref(a);
	rta_unref(b);
}

/* a temporary file holding the bytes; returns its name */
static char *
tmp_file(const void *p, size_t n)
{
	char *name = strdup("/tmp/test_routes.XXXXXX");
	int fd = mkstemp(name);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return name;
}

static void
test_text_file(void **state)
{
	static const char text[] = "# routes\n"
	    "10.0.0.0/8 bgp_med 1\n"
	    "\n"
	    "   \t\n"
	    "10.1.0.0/16 bgp_med 1\r\n"
	    "10.2.0.0/16 bgp_med 2";
	char err[ROUTE_ERR_MAX], b[NET_STR_MAX];
	struct route_peer pe;
	struct rta *a, *first;
	net_addr n;

	(void)state;
	char *name = tmp_file(text, sizeof text - 1);
	struct route_file *f = route_file_open(name, err);
	assert_non_null(f);
	assert_false(route_file_is_mrt(f));
	assert_null(route_file_mrt(f));
	assert_int_equal(route_file_next(f, &n, &first, &pe), 1);
	assert_false(pe.valid);
	assert_string_equal(net_format(&n, b), "10.0.0.0/8");
	rta_ref(first);
	assert_int_equal(route_file_next(f, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, b), "10.1.0.0/16");
	assert_ptr_equal(a, first);
	assert_int_equal(route_file_next(f, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, b), "10.2.0.0/16");
	assert_int_equal(route_file_next(f, &n, &a, &pe), 0);
	route_file_close(f);
	rta_unref(first);
	assert_int_equal(rta_count(), 0);
	unlink(name);
	free(name);

	/* an error names the file, line and column; a short first line */
	static const char bad[] = "::/0\n10.0.0.0/8 bgp_med 1\n10.0.0.0/8 bgp_med x\n";
	name = tmp_file(bad, sizeof bad - 1);
	f = route_file_open(name, err);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_string_equal(net_format(&n, b), "::/0");
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_int_equal(route_file_next(f, &n, &a, NULL), -1);
	char want[200];
	snprintf(want, sizeof want, "%s:3:20: expected a number, found 'x'", name);
	assert_string_equal(route_file_error(f), want);
	route_file_close(f);
	unlink(name);
	free(name);

	/* empty and one-line files without a newline */
	name = tmp_file("", 0);
	f = route_file_open(name, err);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 0);
	route_file_close(f);
	unlink(name);
	free(name);
	name = tmp_file("::/0", 4);
	f = route_file_open(name, err);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 0);
	route_file_close(f);
	unlink(name);
	free(name);
}

static void
test_file_kinds(void **state)
{
	/* a PEER_INDEX_TABLE of one peer and one RIB entry with an origin */
	static const uint8_t mrt[] = {
		0, 0, 0, 0, 0, 13, 0, 1, 0, 0, 0, 21,
		1, 2, 3, 4, 0, 0, 0, 1, 2, 9, 9, 9, 9, 192, 0, 2, 1, 0, 0, 0xfb, 0xf4,
		0, 0, 0, 0, 0, 13, 0, 2, 0, 0, 0, 20,
		0, 0, 0, 0, 8, 10, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 0x40, 1, 1, 2,
	};
	char err[ROUTE_ERR_MAX], b[NET_STR_MAX];
	struct route_peer pe;
	struct rta *a;
	net_addr n;

	(void)state;
	char *name = tmp_file(mrt, sizeof mrt);
	struct route_file *f = route_file_open(name, err);
	assert_non_null(f);
	assert_true(route_file_is_mrt(f));
	assert_int_equal(route_file_next(f, &n, &a, &pe), 1);
	assert_string_equal(net_format(&n, b), "10.0.0.0/8");
	assert_int_equal(pe.asn, 64500);
	assert_string_equal(text_of(a, EA_BGP_ORIGIN), "BGP.origin: Incomplete");
	assert_int_equal(route_file_next(f, &n, &a, &pe), 0);
	route_file_close(f);
	unlink(name);
	free(name);

	/* truncated: FILE: offset N: ... */
	name = tmp_file(mrt, sizeof mrt - 1);
	f = route_file_open(name, err);
	assert_int_equal(route_file_next(f, &n, &a, &pe), -1);
	char want[200];
	snprintf(want, sizeof want, "%s: offset 33: truncated record (type 13 subtype 2): "
	    "length 20, only 19 bytes follow", name);
	assert_string_equal(route_file_error(f), want);
	route_file_close(f);
	unlink(name);
	free(name);

	name = tmp_file("\x1f\x8b\x08\0\0\0", 6);
	assert_null(route_file_open(name, err));
	assert_non_null(strstr(err, "gzip-compressed; decompress it first"));
	unlink(name);
	free(name);
	assert_null(route_file_open("/nonexistent/routes", err));
	assert_string_equal(err, "/nonexistent/routes: No such file or directory");
	assert_null(route_file_open("/", err));		/* fopen takes a directory; reads fail */
	assert_string_equal(err, "/: Is a directory");
}

/* what birdc `show route all` printed on a real BIRD 2.0.12 (static
 * routes with BGP attributes; a wrapped community list), read back: one
 * route per header line, BGP attribute lines joined, the rest skipped */
static void
test_bird_output(void **state)
{
	static const char out[] =
	    "BIRD 2.0.12 ready.\n"
	    "Table master4:\n"
	    "198.51.100.0/24      blackhole [s1 22:44:18.316] * (200)\n"
	    "\tType: static univ\n"
	    "10.0.0.0/8           blackhole [s1 22:44:18.316] * (200)\n"
	    "\tType: static univ\n"
	    "\tBGP.origin: IGP\n"
	    "\tBGP.as_path: 64500 3356\n"
	    "\tBGP.next_hop: 192.0.2.1\n"
	    "\tBGP.community: (64500,1) (64500,2)\n"
	    "\t\t(64500,3) (65535,666)\n"
	    "\tBGP.large_community: (64500, 1, 2)\n"
	    "                     blackhole [s2 22:44:18.316] (200)\n"
	    "\tType: static univ\n"
	    "\tBGP.as_path: 64502\n"
	    "\tBGP.med: 5\n"
	    "\n"
	    "Table master6:\n"
	    "2001:db8::/32        unicast [b1 2026-12-06 from 2001:db8::2] * (100) [AS64500i]\n"
	    "\tvia 2001:db8::2 on eth0\n"
	    "\tType: BGP univ\n"
	    "\tBGP.as_path: 64500\n"
	    "\tBGP.next_hop: 2001:db8::2 fe80::2\n";
	char err[ROUTE_ERR_MAX], b[NET_STR_MAX], want[300];
	struct rta *a;
	net_addr n;

	(void)state;
	char *name = tmp_file(out, sizeof out - 1);
	struct route_file *f = route_file_open(name, err);
	assert_non_null(f);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_string_equal(net_format(&n, b), "198.51.100.0/24");
	assert_null(ea_find(a, EA_BGP_AS_PATH));
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_string_equal(net_format(&n, b), "10.0.0.0/8");
	assert_string_equal(text_of(a, EA_BGP_AS_PATH), "BGP.as_path: 64500 3356");
	assert_string_equal(text_of(a, EA_BGP_COMMUNITY),
	    "BGP.community: (64500,1) (64500,2) (64500,3) (65535,666)");
	assert_string_equal(text_of(a, EA_BGP_LARGE_COMMUNITY), "BGP.large_community: (64500, 1, 2)");
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);	/* s2's, same prefix */
	assert_string_equal(net_format(&n, b), "10.0.0.0/8");
	assert_string_equal(text_of(a, EA_BGP_MED), "BGP.med: 5");
	assert_null(ea_find(a, EA_BGP_COMMUNITY));
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_string_equal(net_format(&n, b), "2001:db8::/32");
	assert_string_equal(text_of(a, EA_BGP_NEXT_HOP), "BGP.next_hop: 2001:db8::2 fe80::2");
	assert_int_equal(route_file_next(f, &n, &a, NULL), 0);
	route_file_close(f);
	unlink(name);
	free(name);

	/* a bad route after a good one: the good one first */
	static const char two[] = "Table master4:\n10.0.0.0/8  blackhole [s1 1] * (200)\n"
	    "\tBGP.med: 1\nbogus  blackhole [s1 1] * (200)\n";
	name = tmp_file(two, sizeof two - 1);
	f = route_file_open(name, err);
	assert_int_equal(route_file_next(f, &n, &a, NULL), 1);
	assert_string_equal(text_of(a, EA_BGP_MED), "BGP.med: 1");
	assert_int_equal(route_file_next(f, &n, &a, NULL), -1);
	snprintf(want, sizeof want, "%s:4:1: expected a prefix, found 'bogus'", name);
	assert_string_equal(route_file_error(f), want);
	route_file_close(f);
	unlink(name);
	free(name);

	/* errors: FILE:LINE:COL of the line the bad piece came from */
	static const struct { const char *text; const char *msg; } bad[] = {
		{ "Table master4:\n10.0.0.0/8  blackhole [s1 1] * (200)\n\tType: static univ\n"
		  "\tBGP.med: x\n", "4:11: expected a number, found 'x'" },
		{ "Table master4:\n\tBGP.med: 5\n", "2:1: an attribute line before any route" },
		{ "Table master4:\n     blackhole [s2 1] (200)\n",
		  "2:1: a route of no prefix (a continuation line before any prefix)" },
		{ "Table master4:\n10.0.0.0/8  blackhole [s1 1] * (200)\n\tBGP.as_path: 1 2 42...\n",
		  "3:21: the AS path is cut short (BIRD prints \"...\" for one this long)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		name = tmp_file(bad[i].text, strlen(bad[i].text));
		f = route_file_open(name, err);
		assert_non_null(f);
		assert_int_equal(route_file_next(f, &n, &a, NULL), -1);
		snprintf(want, sizeof want, "%s:%s", name, bad[i].msg);
		assert_string_equal(route_file_error(f), want);
		route_file_close(f);
		unlink(name);
		free(name);
	}
	assert_int_equal(rta_count(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bird_output),
		cmocka_unit_test(test_filter_names),
		cmocka_unit_test(test_bird_lines),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_print_changes),
		cmocka_unit_test(test_text_file),
		cmocka_unit_test(test_file_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
