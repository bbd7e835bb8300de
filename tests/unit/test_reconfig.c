/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * What a reconfiguration compares: a filter of the running config and the
 * filter of the same name in the new one, each compiled in its own
 * program (vm_func_same_in). Code that is the same however it is written
 * is the same; another constant, set, attribute, case label or called
 * function body is a change. Recursive functions compare in finite time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf.h"
#include "lang/lang.h"
#include "vm/vm.h"

static struct config *
parse(const char *text)
{
	struct cf_error *errs = NULL;
	struct config *c = cf_parse_string("t.conf", text, CF_NO_PROTOCOLS, &errs);

	if (!c) {
		for (struct cf_error *e = errs; e; e = e->next)
			fprintf(stderr, "%d:%d: %s\n", e->line, e->col, e->msg);
		fail_msg("config does not parse");
	}
	return c;
}

/* is filter `name` the same in configs a and b? */
static bool
same(const char *a, const char *b, const char *name)
{
	struct config *ca = parse(a), *cb = parse(b);
	char err[256];
	struct vm_prog *pa = vm_compile(ca, err, sizeof err), *pb = vm_compile(cb, err, sizeof err);

	assert_non_null(pa);
	assert_non_null(pb);
	const struct vm_func *fa = vm_find(pa, name, VM_FIND_FILTER), *fb = vm_find(pb, name, VM_FIND_FILTER);
	assert_non_null(fa);
	assert_non_null(fb);
	bool r = vm_func_same_in(pa, fa, pb, fb);
	assert_true(vm_func_same_in(pb, fb, pa, fa) == r);	/* symmetric */
	vm_prog_free(pa);
	vm_prog_free(pb);
	config_free(ca);
	config_free(cb);
	return r;
}

static void
test_written_differently(void **state)
{
	(void)state;
	assert_true(same("filter f { if net.len > 24 then reject; bgp_med = 5; accept; }",
			 "# a comment\nfilter f {\n  if net.len > 24 then\n    reject;\n  bgp_med = 5;\n  accept;\n}\n",
			 "f"));
	/* a define with the same value */
	assert_true(same("define M = 5; filter f { bgp_med = M; accept; }",
			 "define M = 2 + 3; filter f { bgp_med = M; accept; }", "f"));
}

static void
test_constants_and_attributes(void **state)
{
	(void)state;
	assert_false(same("filter f { bgp_med = 5; accept; }", "filter f { bgp_med = 6; accept; }", "f"));
	assert_false(same("filter f { bgp_med = 5; accept; }", "filter f { bgp_local_pref = 5; accept; }", "f"));
	assert_false(same("filter f { if net.len > 24 then reject; accept; }",
			  "filter f { if net.len >= 24 then reject; accept; }", "f"));
	assert_true(same("filter f { if net ~ [ 10.0.0.0/8+, 192.168.0.0/16{24,32} ] then reject; accept; }",
			 "filter f { if net ~ [ 192.168.0.0/16{24,32}, 10.0.0.0/8+ ] then reject; accept; }", "f"));
	assert_false(same("filter f { if net ~ [ 10.0.0.0/8+ ] then reject; accept; }",
			  "filter f { if net ~ [ 10.0.0.0/8- ] then reject; accept; }", "f"));
	assert_false(same("filter f { if (64500, 1) ~ bgp_community then reject; accept; }",
			  "filter f { if (64500, 2) ~ bgp_community then reject; accept; }", "f"));
	assert_false(same("filter f { reject \"a\"; }", "filter f { reject \"b\"; }", "f"));
}

static void
test_case_tables(void **state)
{
	(void)state;
	const char *a = "filter f { case net.len { 8, 16: accept; 24: reject; else: accept; } }";
	const char *b = "filter f { case net.len { 8, 16: accept; 23: reject; else: accept; } }";

	assert_true(same(a, a, "f"));
	assert_false(same(a, b, "f"));
}

static void
test_called_functions(void **state)
{
	(void)state;
	const char *a = "function big() { return net.len < 16; }\n"
			"filter f { if big() then reject; accept; }";
	const char *b = "function big() { return net.len < 17; }\n"
			"filter f { if big() then reject; accept; }";
	/* another function declared first: indices differ, code does not */
	const char *c = "function helper() { return 1; }\n"
			"function big() { return net.len < 16; }\n"
			"filter f { if big() then reject; accept; }";

	assert_true(same(a, a, "f"));
	assert_false(same(a, b, "f"));
	assert_true(same(a, c, "f"));
}

static void
test_recursion(void **state)
{
	(void)state;
	const char *a = "function fact(int n) -> int { if n <= 1 then return 1; return n * fact(n - 1); }\n"
			"filter f { if fact(4) = 24 then accept; reject; }";
	const char *b = "function fact(int n) -> int { if n <= 1 then return 1; return n * fact(n - 2); }\n"
			"filter f { if fact(4) = 24 then accept; reject; }";

	assert_true(same(a, a, "f"));
	assert_false(same(a, b, "f"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_written_differently),
		cmocka_unit_test(test_constants_and_attributes),
		cmocka_unit_test(test_case_tables),
		cmocka_unit_test(test_called_functions),
		cmocka_unit_test(test_recursion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
