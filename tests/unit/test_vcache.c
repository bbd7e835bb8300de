/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c tools/routes.c tools/mrt.c core/rte_print.c core/iface.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * The verdict cache (vm/vcache.c): which filters it takes and where it
 * splits them, and that a filter run through it gives exactly what an
 * uncached run gives (verdict, resulting set, printed text, reject
 * message) over many routes that share attribute sets, for filters of
 * every shape: route-specific checks before the split, attribute work,
 * function calls, prints, dynamic reject texts, loops, case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/attr.h"
#include "core/conf.h"
#include "lang/lang.h"
#include "tools/routes.h"
#include "vm/vm_int.h"

static const char *const FILTERS =
	"define BOGONS = [ 10.0.0.0/8+, 192.168.0.0/16+, 0.0.0.0/0{25,32} ];\n"
	"define BAD = [ 0, 23456, 64496..131071 ];\n"
	"function has_bad() { return bgp_path ~ [= * BAD * =]; }\n"
	"function is_bogon() { return net ~ BOGONS; }\n"
	"function add_tag(int v) { bgp_community.add((64500, v)); }\n"
	/* the route server's import filter: net checks, then attribute work */
	"filter rsi {\n"
	"  if net ~ BOGONS then reject \"bogon\";\n"
	"  if net.len < 8 || net.len > 24 then reject \"length\";\n"
	"  if has_bad() then reject \"bad asn\";\n"
	"  if bgp_community ~ [(65535, 0..10)] then bgp_local_pref = 50; else bgp_local_pref = 100;\n"
	"  bgp_community.delete([(0, *)]);\n"
	"  bgp_community.add((64500, 1000));\n"
	"  accept;\n"
	"}\n"
	/* attributes only: cached from the first instruction */
	"filter rs_exp { if (64500, 1000) ~ bgp_community || (64500, 2000) ~ bgp_community\n"
	"  then accept; reject \"untagged\"; }\n"
	/* one test: run, not looked up (a lookup would cost more) */
	"filter one { if (64500, 1000) ~ bgp_community then accept; reject \"untagged\"; }\n"
	/* reads net after the attribute work: never cached */
	"filter late { bgp_med = 7; if net.len > 16 then reject; accept; }\n"
	/* preference is per route, not in the set */
	"filter pref { if bgp_path.len > 2 then preference = 50; accept; }\n"
	/* the route's check in a function before the split, a writing function after */
	"filter calls { if is_bogon() then reject;\n"
	"  if bgp_path.len > 3 then add_tag(3); accept; }\n"
	/* a reject text made from attributes; prints; an accept that prints */
	"filter texts { print \"seen\"; if bgp_path.len > 2 then reject \"long \", bgp_path; "
	"  if bgp_path.len = 2 then accept \"two\"; bgp_community.add((1,1)); accept; }\n"
	/* loops and case over attributes */
	"filter loops { int n = 0; for int a in bgp_path do { if a > 65000 then n = n + 1; }\n"
	"  case n { 0: accept; 1: bgp_med = 1; accept; else: reject \"many\"; } }\n"
	/* nothing worth caching */
	"filter noop { accept; }\n"
	/* a local written before the net check: the state at the split would not be the set alone */
	"filter loc { int x; x = net.len; bgp_med = x; accept; }\n"
	"protocol device { }\n";

static struct config *conf;
static struct vm_prog *prog;

static int
setup(void **state)
{
	struct cf_error *errs = NULL;
	char err[256];

	(void)state;
	conf = cf_parse_string("t.conf", FILTERS, 0, &errs);
	if (!conf) {
		for (struct cf_error *e = errs; e; e = e->next)
			fprintf(stderr, "%d:%d: %s\n", e->line, e->col, e->msg);
		return -1;
	}
	prog = vm_compile(conf, err, sizeof err);
	if (!prog) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vm_prog_free(prog);
	config_free(conf);
	return 0;
}

static const struct vm_func *
filter(const char *name)
{
	const struct vm_func *f = vm_find(prog, name, VM_FIND_FILTER);
	assert_non_null(f);
	return f;
}

static struct vm_vcmap *plan_map;

/* the split point of filter name, or -1 when it is not cached */
static int
split_of(const char *name)
{
	unsigned k;
	struct vm_vc *vc = vm_vc_get(&plan_map, prog, filter(name));
	if (!vc)
		return -1;
	vm_vc_prefix(vc, &k);
	return (int)k;
}

/* the first instruction of f on source line `line` */
static int
first_on_line(const char *name, unsigned line)
{
	const struct vm_func *f = filter(name);
	for (unsigned pc = 0; pc < f->ncode; pc++)
		if (f->lines[pc] == line)
			return (int)pc;
	fail_msg("no code on line %u", line);
	return -1;
}

static void
test_plan(void **state)
{
	(void)state;
	/* rs: lines 7 and 8 read net; the split is the first instruction of line 9 */
	assert_int_equal(split_of("rsi"), first_on_line("rsi", 9));
	assert_int_equal(split_of("rs_exp"), 0);
	assert_int_equal(split_of("one"), -1);
	assert_int_equal(split_of("late"), -1);
	assert_int_equal(split_of("pref"), -1);
	assert_int_equal(split_of("calls"), first_on_line("calls", 21));
	assert_int_equal(split_of("texts"), 0);
	assert_int_equal(split_of("loops"), 0);
	assert_int_equal(split_of("noop"), -1);
	assert_int_equal(split_of("loc"), -1);
	vm_vc_free(plan_map);
	plan_map = NULL;
}

/* routes: a few attribute sets over many prefixes */
static const char *const SETS[] = {
	"bgp_path 6939 3356 bgp_community (65535,5) (0,1) (64500,9)",
	"bgp_path 6939 174 bgp_community (64500,1000)",
	"bgp_path 6939 23456 bgp_community (1,1)",
	"bgp_path 174 bgp_community (0,7)",
	"bgp_path 6939 3356 65001 65002 bgp_med 10",
	"bgp_path 6939 3356 1299 2914 bgp_large_community (1, 2, 3)",
	"bgp_path 6939 65535 bgp_community (65535,20)",
	"bgp_origin IGP",
};
static const char *const NETS[] = {
	"10.1.0.0/16", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.128/25", "8.0.0.0/8",
	"192.168.1.0/24", "2.0.0.0/7", "100.64.0.0/10", "44.0.0.0/12", "2001:db8::/32",
};

struct outcome {
	enum vm_verdict verdict;
	bool error;
	struct rta *attrs;	/* a reference, or NULL */
	uint32_t preference;
	char out[256];
	char msg[256];
};

static void
run(const char *name, const net_addr *net, struct rta *a, struct outcome *o)
{
	struct vm_route r = { .net = net, .attrs = a, .preference = 100 };
	struct vm_result res;

	vm_run_filter(prog, filter(name), &r, &res);
	o->verdict = res.verdict;
	o->error = res.error;
	o->attrs = res.attrs;
	o->preference = res.preference;
	snprintf(o->out, sizeof o->out, "%.*s", (int)res.out_len, res.out);
	snprintf(o->msg, sizeof o->msg, "%s", res.msg ? res.msg : "");
}

static void
test_same_results(void **state)
{
	static const char *const names[] = { "rsi", "rs_exp", "late", "pref", "calls", "texts",
					      "loops", "noop", "loc", "one" };
	(void)state;
	for (size_t fi = 0; fi < sizeof names / sizeof names[0]; fi++) {
		for (int round = 0; round < 3; round++)	/* later rounds hit the cache */
			for (size_t si = 0; si < sizeof SETS / sizeof SETS[0]; si++)
				for (size_t ni = 0; ni < sizeof NETS / sizeof NETS[0]; ni++) {
					char text[256], err[ROUTE_ERR_MAX];
					net_addr net;
					struct rta *a;
					struct outcome c, u;
					snprintf(text, sizeof text, "%s %s", NETS[ni], SETS[si]);
					assert_int_equal(route_parse(text, strlen(text), &net, &a, err), 0);
					vm_cache(prog, true);
					/* a hint first (as a batch gives): no change */
					vm_prefetch(prog, filter(names[fi]), a, false);
					vm_prefetch(prog, filter(names[fi]), a, true);
					vm_prefetch(prog, filter(names[fi]), NULL, false);
					run(names[fi], &net, a, &c);
					vm_cache(prog, false);
					run(names[fi], &net, a, &u);
					if (c.verdict != u.verdict || c.attrs != u.attrs || c.error != u.error ||
					    c.preference != u.preference || strcmp(c.out, u.out) ||
					    strcmp(c.msg, u.msg))
						fail_msg("%s on %s: cached %d %p \"%s\" \"%s\", uncached %d %p \"%s\" \"%s\"",
							 names[fi], text, c.verdict, (void *)c.attrs, c.out, c.msg,
							 u.verdict, (void *)u.attrs, u.out, u.msg);
					rta_unref(c.attrs);
					rta_unref(u.attrs);
					rta_unref(a);
				}
	}
	uint64_t hits, misses;
	size_t entries;
	vm_cache_stats(prog, &hits, &misses, &entries);
	assert_true(hits > 0);
	assert_true(misses > 0);
	assert_true(hits > 2 * misses);		/* 8 sets, 3 rounds of 10 prefixes each */
}

/* a cached result is the filter's: rs on a set from two prefixes */
static void
test_hit_values(void **state)
{
	char err[ROUTE_ERR_MAX];
	net_addr n1, n2;
	struct rta *a1, *a2;
	struct outcome o1, o2;
	const char *t1 = "8.0.0.0/8 bgp_path 6939 3356 bgp_community (65535,5) (0,1)";
	const char *t2 = "9.9.0.0/16 bgp_path 6939 3356 bgp_community (65535,5) (0,1)";
	uint64_t h0, h1, m0, m1;
	size_t e;

	(void)state;
	vm_cache(prog, true);
	assert_int_equal(route_parse(t1, strlen(t1), &n1, &a1, err), 0);
	assert_int_equal(route_parse(t2, strlen(t2), &n2, &a2, err), 0);
	assert_ptr_equal(a1, a2);		/* one interned set */
	vm_cache_stats(prog, &h0, &m0, &e);
	run("rsi", &n1, a1, &o1);
	run("rsi", &n2, a2, &o2);
	vm_cache_stats(prog, &h1, &m1, &e);
	assert_true(h1 == h0 + 1 || m1 == m0 + 1);	/* the first run may have been cached before */
	assert_int_equal(o2.verdict, VM_ACCEPT);
	assert_non_null(o2.attrs);
	assert_ptr_equal(o1.attrs, o2.attrs);
	struct ea_val v;
	assert_true(rta_get(o2.attrs, EA_BGP_LOCAL_PREF, &v));
	assert_int_equal(v.i, 50);		/* (65535,5) is in [(65535, 0..10)] */
	assert_true(rta_get(o2.attrs, EA_BGP_COMMUNITY, &v));
	assert_int_equal(v.len, 8);		/* (0,1) deleted, (64500,1000) added */
	rta_unref(o1.attrs);
	rta_unref(o2.attrs);

	/* a bogon prefix with the same set is still rejected: the check runs every time */
	const char *t3 = "10.1.0.0/16 bgp_path 6939 3356 bgp_community (65535,5) (0,1)";
	net_addr n3;
	struct rta *a3;
	assert_int_equal(route_parse(t3, strlen(t3), &n3, &a3, err), 0);
	run("rsi", &n3, a3, &o1);
	assert_int_equal(o1.verdict, VM_REJECT);
	assert_string_equal(o1.out, "bogon\n");
	rta_unref(a1);
	rta_unref(a2);
	rta_unref(a3);
}

/* entries whose input only the cache holds go at a trim; the others stay */
static void
test_trim(void **state)
{
	char err[ROUTE_ERR_MAX];
	net_addr n;
	struct rta *keep, *drop;
	struct outcome o;
	const char *tk = "8.0.0.0/8 bgp_path 64500 7 bgp_community (64500,1000)";
	const char *td = "8.0.0.0/8 bgp_path 64500 8 bgp_community (64500,1000)";
	uint64_t h, m;
	size_t e0, e1;

	(void)state;
	vm_cache(prog, true);
	assert_int_equal(route_parse(tk, strlen(tk), &n, &keep, err), 0);
	assert_int_equal(route_parse(td, strlen(td), &n, &drop, err), 0);
	run("rs_exp", &n, keep, &o);
	run("rs_exp", &n, drop, &o);
	assert_int_equal(o.verdict, VM_ACCEPT);
	assert_int_equal(drop->uc, 2);		/* ours and the cache's */
	rta_unref(drop);
	vm_cache_stats(prog, &h, &m, &e0);
	assert_true(e0 > 2);			/* the earlier tests' sets, only cached now */
	vm_cache_trim(prog);
	vm_cache_stats(prog, &h, &m, &e1);
	assert_int_equal(e1, 1);		/* keep's entry alone */
	assert_int_equal(keep->uc, 2);
	run("rs_exp", &n, keep, &o);
	assert_int_equal(o.verdict, VM_ACCEPT);
	rta_unref(keep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_same_results),
		cmocka_unit_test(test_hit_values),
		cmocka_unit_test(test_trim),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
