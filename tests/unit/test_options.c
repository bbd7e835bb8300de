/* LINK: lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c core/static_conf.c lang/keywords.c lang/symbols.c core/mem.c core/net.c */
/*
 * Unit tests for the option matcher (lang/options.c): statements are built
 * by hand as the grammar would collect them, matched against the real
 * protocol tables and against small tables that exercise each pattern
 * construct; the values stored, the bounds and the error messages are
 * checked. The parser's error reporting and table lookup are stubbed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"
#include "core/mem.h"
#include "kernel/kernel.h"
#include "lang/cf_int.h"

/* ---- stubs of the rest of the parser -------------------------------------- */

static char last_err[512];
static int nerr;

void
cf_err(struct cf_parser *P, const struct cf_loc *l, const char *fmt, ...)
{
	va_list ap;

	(void)P;
	(void)l;
	va_start(ap, fmt);
	vsnprintf(last_err, sizeof last_err, fmt, ap);
	va_end(ap);
	nerr++;
}

static struct rtable_config master4 = { .name = "master4", .family = CF_AF_IPV4 };

struct rtable_config *
cf_table_ref(struct cf_parser *P, const struct cf_symbol *sym, const char *name,
	     const struct cf_loc *l)
{
	(void)sym;
	if (!strcmp(name, "master4"))
		return &master4;
	cf_err(P, l, "Table %s is not defined", name);
	return NULL;
}

struct chan_config *
cf_chan_target(struct cf_parser *P, const struct cf_loc *l)
{
	(void)l;
	return P->chan;
}

/* ---- building statements ---------------------------------------------------- */

static struct cf_parser P;
static struct cf_file file = { .name = "t.conf" };
static struct cf_loc loc = { 1, 1, 1, 1, &file };

/* one statement from words, numbers, addresses, prefixes, "strings",
 * punctuation and `{` ... `}` blocks (of statements separated by `;`) */
static struct cf_stmt *parse_words(const char **p, bool in_block);

static struct cf_stmt *
parse_block(const char **p)
{
	struct cf_stmt *list = NULL;

	for (;;) {
		while (**p == ' ' || **p == ';')
			(*p)++;
		if (!**p || **p == '}') {
			if (**p)
				(*p)++;
			return list;
		}
		list = cf_stmt_append(list, parse_words(p, true));
	}
}

static struct cf_stmt *
parse_words(const char **p, bool in_block)
{
	struct cf_stmt *s = cf_stmt_new(&P);
	char tok[128];

	for (;;) {
		while (**p == ' ')
			(*p)++;
		char c = **p;
		if (!c || c == ';' || (in_block && c == '}'))
			return s;
		if (c == '{') {
			(*p)++;
			cf_stmt_block(&P, s, parse_block(p), &loc);
			continue;
		}
		if (strchr(",-/=", c)) {
			char *t = pool_strndup(P.pool, *p, 1);
			(*p)++;
			cf_stmt_punct(&P, s, t, &loc);
			continue;
		}
		size_t n = 0;
		if (c == '"') {
			const char *e = strchr(*p + 1, '"');
			struct f_val v = { .type = T_STRING };
			v.v.s = pool_strndup(P.pool, *p + 1, (size_t)(e - *p - 1));
			*p = e + 1;
			cf_stmt_val(&P, s, &v, &loc);
			continue;
		}
		while ((*p)[n] && !strchr(" ;,{}", (*p)[n]) && n < sizeof tok - 1)
			n++;
		memcpy(tok, *p, n);
		tok[n] = 0;
		*p += n;
		struct f_val v = { .type = T_VOID };
		if (strchr(tok, '/')) {
			v.type = T_NET;
			assert_int_equal(net_parse(tok, &v.v.net), 0);
		} else if (strchr(tok, '.') || strchr(tok, ':')) {
			v.type = T_IP;
			assert_int_equal(ip_parse(tok, &v.v.ip), 0);
		} else if (tok[0] >= '0' && tok[0] <= '9') {
			v.type = T_INT;
			v.v.i = (uint32_t)strtoul(tok, NULL, 0);
		}
		if (v.type != T_VOID)
			cf_stmt_val(&P, s, &v, &loc);
		else if (!strcmp(tok, "peer") || !strcmp(tok, "multipath") || !strncmp(tok, "master", 6))
			cf_stmt_sym(&P, s, &(struct cf_symref){ pool_strdup(P.pool, tok), NULL }, &loc);
		else
			cf_stmt_word(&P, s, pool_strdup(P.pool, tok), &loc);
	}
}

static struct cf_stmt *
stmt(const char *text)
{
	return parse_words(&text, false);
}

/* apply text to rec; returns what cf_opt_apply did */
static int
apply(const struct cf_option *tab, const char *text, void *rec)
{
	nerr = 0;
	last_err[0] = 0;
	return cf_opt_apply(&P, tab, "protocol test", stmt(text), rec);
}

static int
setup(void **state)
{
	(void)state;
	memset(&P, 0, sizeof P);
	P.pool = pool_new(MEM_CONFIG, "test");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (P.tmp)		/* statements are collected in the parser's scratch pool */
		pool_free(P.tmp);
	pool_free(P.pool);
	return 0;
}

static struct bgp_config
bgp_defaults(void)
{
	struct bgp_config c;

	memcpy(&c, proto_bgp.cfg_defaults, sizeof c);
	return c;
}

/* ---- the real tables ---------------------------------------------------------- */

static void
test_bgp_neighbor_local(void **state)
{
	struct bgp_config c = bgp_defaults();
	ip_addr a;

	(void)state;
	assert_int_equal(apply(proto_bgp.opts, "neighbor 192.0.2.1 as 65001", &c), 1);
	assert_int_equal(nerr, 0);
	ip_parse("192.0.2.1", &a);
	assert_true(ip_eq(c.remote_ip, a));
	assert_int_equal(c.remote_ip_set, 1);
	assert_int_equal(c.remote_as, 65001);
	assert_int_equal(c.remote_port, 179);

	/* BIRD takes one neighbor address per protocol */
	apply(proto_bgp.opts, "neighbor 192.0.2.2", &c);
	assert_int_equal(nerr, 1);
	assert_string_equal(last_err, "Only one neighbor per BGP instance is allowed");
	nerr = 0;

	/* optional parts in any order, peer type, an interface scope */
	c = bgp_defaults();
	apply(proto_bgp.opts, "neighbor 2001:db8::1 as 65002 port 1179 internal", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.remote_port, 1179);
	assert_int_equal(c.remote_as, 65002);
	assert_int_equal(c.peer_type, BGP_PT_INTERNAL);

	c = bgp_defaults();
	apply(proto_bgp.opts, "neighbor range 10.0.0.0/8 external", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.remote_range_set, 1);
	assert_int_equal(c.remote_range.pxlen, 8);
	assert_int_equal(c.peer_type, BGP_PT_EXTERNAL);

	/* local: address optional, then as */
	apply(proto_bgp.opts, "local as 64512", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.local_as, 64512);
	assert_int_equal(c.local_ip_set, 0);
	apply(proto_bgp.opts, "local 10.0.0.1 port 2000 as 1", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.local_ip_set, 1);
	assert_int_equal(c.local_port, 2000);
	assert_int_equal(c.local_as, 1);
}

static void
test_bgp_switches_and_bounds(void **state)
{
	struct bgp_config c = bgp_defaults();

	(void)state;
	assert_true(c.setkey);
	apply(proto_bgp.opts, "setkey off", &c);
	assert_false(c.setkey);
	apply(proto_bgp.opts, "passive", &c);		/* absent switch: on */
	assert_true(c.passive);
	apply(proto_bgp.opts, "passive no", &c);
	assert_false(c.passive);
	apply(proto_bgp.opts, "passive 1", &c);
	assert_true(c.passive);

	apply(proto_bgp.opts, "hold time 90", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.hold_time, 90);
	apply(proto_bgp.opts, "hold time 0", &c);	/* zero is allowed */
	assert_int_equal(nerr, 0);
	apply(proto_bgp.opts, "hold time 2", &c);
	assert_int_equal(nerr, 1);
	assert_string_equal(last_err, "Hold time must be in range 3-65535 or zero");
	apply(proto_bgp.opts, "connect retry time 70000", &c);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(last_err, "out of range 0-65535"));

	/* `multihop` alone is TTL 64; `direct` is 0 */
	assert_int_equal(c.multihop, BGP_MULTIHOP_UNSET);
	apply(proto_bgp.opts, "multihop", &c);
	assert_int_equal(c.multihop, BGP_MULTIHOP_DEFAULT);
	apply(proto_bgp.opts, "multihop 3", &c);
	assert_int_equal(c.multihop, 3);
	apply(proto_bgp.opts, "direct", &c);
	assert_int_equal(c.multihop, 0);

	apply(proto_bgp.opts, "graceful restart aware", &c);
	assert_int_equal(c.gr_mode, BGP_GR_AWARE);
	apply(proto_bgp.opts, "graceful restart off", &c);
	assert_int_equal(c.gr_mode, BGP_GR_OFF);
	apply(proto_bgp.opts, "graceful restart", &c);
	assert_int_equal(c.gr_mode, BGP_GR_ON);
	apply(proto_bgp.opts, "graceful restart time 300", &c);
	assert_int_equal(c.gr_time, 300);

	apply(proto_bgp.opts, "error wait time 5, 30", &c);
	assert_int_equal(nerr, 0);
	assert_int_equal(c.error_wait_min, 5);
	assert_int_equal(c.error_wait_max, 30);
	apply(proto_bgp.opts, "password \"s3cret\"", &c);
	assert_string_equal(c.password, "s3cret");
	apply(proto_bgp.opts, "local role rs_client", &c);
	assert_int_equal(c.local_role, BGP_ROLE_RS_CLIENT);
}

static void
test_bgp_channel(void **state)
{
	struct bgp_chan_config h;

	(void)state;
	memcpy(&h, proto_bgp.chan_defaults, sizeof h);
	apply(proto_bgp.chan_opts, "next hop self", &h);
	assert_int_equal(h.next_hop_self, BGP_NH_ALL);
	apply(proto_bgp.chan_opts, "next hop self ebgp", &h);
	assert_int_equal(h.next_hop_self, BGP_NH_EBGP);
	apply(proto_bgp.chan_opts, "next hop self off", &h);
	assert_int_equal(h.next_hop_self, BGP_NH_OFF);
	apply(proto_bgp.chan_opts, "add paths", &h);
	assert_int_equal(h.add_path, BGP_AP_BOTH);
	apply(proto_bgp.chan_opts, "add paths rx", &h);
	assert_int_equal(h.add_path, BGP_AP_RX);
	apply(proto_bgp.chan_opts, "add paths off", &h);
	assert_int_equal(h.add_path, BGP_AP_OFF);
	apply(proto_bgp.chan_opts, "gateway recursive", &h);
	assert_int_equal(h.gateway, BGP_GW_RECURSIVE);
	apply(proto_bgp.chan_opts, "igp table master4", &h);
	assert_ptr_equal(h.igp_table[0], &master4);
	assert_null(h.igp_table[1]);
	apply(proto_bgp.chan_opts, "next hop address 192.0.2.9", &h);
	assert_int_equal(h.next_hop_addr_set, 1);
	assert_int_equal(nerr, 0);
	apply(proto_bgp.chan_opts, "gateway sideways", &h);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(last_err, "Invalid option 'gateway'"));
}

static void
test_unknown_and_unimplemented(void **state)
{
	struct bgp_config c = bgp_defaults();

	(void)state;
	/* no option starts so: nothing reported, the caller names it */
	assert_int_equal(apply(proto_bgp.opts, "frobnicate 3", &c), 0);
	assert_int_equal(nerr, 0);
	/* BIRD has it, Birch says it does not implement it */
	assert_int_equal(apply(proto_bgp.opts, "bfd { interval 100 }", &c), 1);
	assert_int_equal(nerr, 1);
	assert_string_equal(last_err, "Option 'bfd' of protocol test is not implemented");
	/* a known option with the wrong value names what it expects */
	apply(proto_bgp.opts, "hold time \"x\"", &c);
	assert_int_equal(nerr, 1);
	assert_string_equal(last_err, "Invalid option 'hold time' of protocol test, expected "
			    "'hold time number'");
	/* a failed statement changes nothing */
	assert_int_equal(c.hold_time, 240);
	apply(proto_bgp.opts, "neighbor 10.0.0.1 as", &c);
	assert_int_equal(nerr, 1);
	assert_int_equal(c.remote_ip_set, 0);
}

static void
test_kernel_device_static(void **state)
{
	struct krt_config k;
	struct dev_config d;
	struct static_config s;

	(void)state;
	memcpy(&k, proto_kernel.cfg_defaults, sizeof k);
	apply(proto_kernel.opts, "learn all", &k);
	assert_int_equal(k.learn, 2);
	apply(proto_kernel.opts, "learn", &k);
	assert_int_equal(k.learn, 1);
	apply(proto_kernel.opts, "merge paths on limit 8", &k);
	assert_true(k.merge_paths);
	assert_int_equal(k.merge_limit, 8);
	apply(proto_kernel.opts, "kernel table 100", &k);
	assert_int_equal(k.table_id, 100);
	assert_int_equal(nerr, 0);

	memcpy(&d, proto_device.cfg_defaults, sizeof d);
	apply(proto_device.opts, "interface \"eth*\", -\"lo\" { preferred 10.0.0.1; preferred 2001:db8::1 }", &d);
	assert_int_equal(nerr, 0);
	assert_non_null(d.ifaces);
	assert_string_equal(d.ifaces->patts->pattern, "eth*");
	assert_false(d.ifaces->patts->exclude);
	assert_string_equal(d.ifaces->patts->next->pattern, "lo");
	assert_true(d.ifaces->patts->next->exclude);
	assert_true(ip_is4(d.ifaces->preferred4));
	assert_false(ip_is4(d.ifaces->preferred6));
	apply(proto_device.opts, "interface \"en*\"", &d);
	assert_non_null(d.ifaces->next);		/* appended, in order */

	memset(&s, 0, sizeof s);
	apply(proto_static.opts, "route 10.0.0.0/8 via 192.0.2.1 weight 2 bfd via 192.0.2.2 onlink", &s);
	assert_int_equal(nerr, 0);
	assert_non_null(s.routes);
	assert_int_equal(s.routes->dest, SD_VIA);
	assert_non_null(s.routes->nh);
	assert_int_equal(s.routes->nh->weight, 2);
	assert_true(s.routes->nh->bfd);
	assert_non_null(s.routes->nh->next);
	assert_true(s.routes->nh->next->onlink);
	assert_null(s.routes->nh->next->next);
	apply(proto_static.opts, "route 10.1.0.0/16 via \"eth0\"", &s);
	assert_string_equal(s.routes->next->nh->iface, "eth0");
	apply(proto_static.opts, "route 10.2.0.0/16 unreachable", &s);
	assert_int_equal(s.routes->next->next->dest, SD_UNREACHABLE);
	apply(proto_static.opts, "route 10.3.0.0/16 recursive 192.0.2.7", &s);
	assert_int_equal(s.routes->next->next->next->dest, SD_RECURSIVE);
	apply(proto_static.opts, "route 10.4.0.0/16 multipath via 192.0.2.1 via 192.0.2.2", &s);
	assert_int_equal(nerr, 0);
	apply(proto_static.opts, "route 10.0.0.0/8 via 192.0.2.1 weight 300", &s);
	assert_string_equal(last_err, "Weight must be in range 1-256");
}

/* ---- the pattern constructs on a table of their own --------------------------- */

struct rec {
	uint32_t a, b, c;
	bool f;
};

#define R struct rec
static const struct cf_option ptab[] = {
	CF_OPT("alt (x%|y%|%)", CF_SETV(R, a, 1), CF_SETV(R, a, 2), CF_UINT(R, a, 10, 20)),
	CF_OPT("rep [p %|q %]*", CF_UINT(R, b, 0, 99), CF_UINT(R, c, 0, 99)),
	CF_OPT("opt [%] end", CF_BOOL(R, f)),
	CF_OPT("two words %", CF_UINT(R, a, 0, 5)),
	CF_OPT("two %", CF_UINT(R, b, 0, 5)),
	CF_END,
};

static void
test_pattern_constructs(void **state)
{
	struct rec r = { 0 };

	(void)state;
	apply(ptab, "alt x", &r);
	assert_int_equal(r.a, 1);
	apply(ptab, "alt y", &r);
	assert_int_equal(r.a, 2);
	apply(ptab, "alt 15", &r);
	assert_int_equal(r.a, 15);
	apply(ptab, "alt", &r);		/* ( ) needs one alternative */
	assert_int_equal(nerr, 1);

	apply(ptab, "rep", &r);
	assert_int_equal(nerr, 0);
	apply(ptab, "rep q 3 p 4 q 5", &r);	/* any order, repeated */
	assert_int_equal(nerr, 0);
	assert_int_equal(r.b, 4);
	assert_int_equal(r.c, 5);

	/* an optional switch before a word: backtracks to the empty match */
	r.f = false;
	apply(ptab, "opt end", &r);
	assert_int_equal(nerr, 0);
	assert_true(r.f);
	apply(ptab, "opt off end", &r);
	assert_false(r.f);

	/* the longer option wins when it matches; the shorter otherwise */
	apply(ptab, "two words 4", &r);
	assert_int_equal(r.a, 4);
	apply(ptab, "two 3", &r);
	assert_int_equal(r.b, 3);
	assert_int_equal(nerr, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bgp_neighbor_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bgp_switches_and_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bgp_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_unimplemented, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_device_static, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pattern_constructs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
