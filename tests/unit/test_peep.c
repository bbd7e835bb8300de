/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c tools/routes.c tools/mrt.c core/rte_print.c core/iface.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * The peephole pass (vm/peep.c) on compiled filters: `||` and `&&` no
 * longer push and test a bool, a JMP to a conditional jump becomes it,
 * dead code goes, `net.len`, `net ~ SET` and comparisons with a constant are single
 * instructions; and what the filters compute is unchanged (each run here
 * on routes whose verdicts follow from the filter's text).
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
	"filter plen { if net.len < 8 || net.len > 24 then reject; accept; }\n"
	"filter both { if net.len >= 16 && bgp_path.len > 2 then reject; accept; }\n"
	"filter k { if 3 < bgp_path.len then reject; if bgp_med = 5 then accept; reject; }\n"
	"filter m { if (64500, 1) ~ bgp_community then accept; reject; }\n"
	"filter bog { if net ~ [10.0.0.0/8+, 192.168.0.0/16{16,24}] then reject; accept; }\n"
	"filter le { if net.len <= 8 then reject; if 24 <= net.len then reject;\n"
	"  if bgp_next_hop < 10.0.0.1 then reject; accept; }\n"
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
	if (!conf)
		return -1;
	prog = vm_compile(conf, err, sizeof err);
	return prog ? 0 : -1;
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
fn(const char *name)
{
	const struct vm_func *f = vm_find(prog, name, VM_FIND_FILTER);
	assert_non_null(f);
	return f;
}

static unsigned
count(const struct vm_func *f, enum vm_opcode op)
{
	unsigned n = 0;
	for (unsigned pc = 0; pc < f->ncode; pc++)
		n += VM_OP(f->code[pc]) == op;
	return n;
}

/* no bool is pushed to be tested at once, and nothing unreachable is left */
static void
no_bool_tests(const struct vm_func *f)
{
	for (unsigned pc = 0; pc + 1 < f->ncode; pc++) {
		uint32_t w = f->code[pc], nx = f->code[pc + 1];
		if (VM_OP(w) == I_CONST && prog->k[VM_A(w)].type == T_BOOL)
			assert_false(VM_OP(nx) == I_JZ || VM_OP(nx) == I_JNZ);
	}
	assert_int_equal(count(f, I_ERROR), 0);	/* "did not return": unreachable here */
}

static void
test_shapes(void **state)
{
	(void)state;
	const struct vm_func *f = fn("plen");
	/* NETLEN LTK JNZ NETLEN KLT JZ REJECT ACCEPT */
	assert_int_equal(f->ncode, 8);
	assert_int_equal(count(f, I_NETLEN), 2);
	assert_int_equal(count(f, I_LTK) + count(f, I_KLT), 2);
	assert_int_equal(count(f, I_GETATTR) + count(f, I_LEN) + count(f, I_CONST), 0);
	no_bool_tests(f);
	f = fn("both");
	assert_int_equal(count(f, I_GETLEN), 1);
	no_bool_tests(f);
	f = fn("k");
	assert_int_equal(count(f, I_KLT), 1);		/* 3 < bgp_path.len */
	assert_int_equal(count(f, I_EQK), 1);		/* bgp_med = 5 */
	no_bool_tests(f);
	f = fn("m");
	assert_int_equal(count(f, I_KMATCH), 1);	/* (64500,1) ~ bgp_community */
	assert_int_equal(count(f, I_CONST), 0);
	f = fn("le");
	assert_int_equal(count(f, I_LEK), 1);		/* net.len <= 8 */
	assert_int_equal(count(f, I_KLE), 1);		/* 24 <= net.len */
	assert_int_equal(count(f, I_LTK), 1);		/* bgp_next_hop < 10.0.0.1: not ints */
	no_bool_tests(f);
	f = fn("bog");
	/* NETMATCHK JZ REJECT ACCEPT */
	assert_int_equal(count(f, I_NETMATCHK), 1);	/* net ~ [set] */
	assert_int_equal(count(f, I_GETATTR) + count(f, I_MATCHK) + count(f, I_CONST), 0);
	no_bool_tests(f);
}

static enum vm_verdict
verdict(const char *name, const char *route)
{
	char err[ROUTE_ERR_MAX];
	net_addr n;
	struct rta *a;
	struct vm_result res;

	assert_int_equal(route_parse(route, strlen(route), &n, &a, err), 0);
	struct vm_route r = { .net = &n, .attrs = a, .preference = 100 };
	vm_run_filter(prog, fn(name), &r, &res);
	rta_unref(res.attrs);
	rta_unref(a);
	return res.verdict;
}

static void
test_same_verdicts(void **state)
{
	(void)state;
	assert_int_equal(verdict("plen", "2.0.0.0/7"), VM_REJECT);
	assert_int_equal(verdict("plen", "1.0.0.0/8"), VM_ACCEPT);
	assert_int_equal(verdict("plen", "1.2.3.0/24"), VM_ACCEPT);
	assert_int_equal(verdict("plen", "1.2.3.0/25"), VM_REJECT);
	assert_int_equal(verdict("both", "1.2.0.0/16 bgp_path 1 2 3"), VM_REJECT);
	assert_int_equal(verdict("both", "1.2.0.0/16 bgp_path 1 2"), VM_ACCEPT);
	assert_int_equal(verdict("both", "2.0.0.0/15 bgp_path 1 2 3"), VM_ACCEPT);
	assert_int_equal(verdict("k", "1.0.0.0/8 bgp_path 1 2 3 4"), VM_REJECT);
	assert_int_equal(verdict("k", "1.0.0.0/8 bgp_path 1 2 3 bgp_med 5"), VM_ACCEPT);
	assert_int_equal(verdict("k", "1.0.0.0/8 bgp_path 1 bgp_med 6"), VM_REJECT);
	assert_int_equal(verdict("m", "1.0.0.0/8 bgp_community (64500,1) (1,1)"), VM_ACCEPT);
	assert_int_equal(verdict("m", "1.0.0.0/8 bgp_community (64500,2)"), VM_REJECT);
	/* ints against int constants are decided in the instruction; an IP
	 * against an IP constant goes the general way */
	assert_int_equal(verdict("le", "1.0.0.0/8 bgp_next_hop 10.0.0.1"), VM_REJECT);
	assert_int_equal(verdict("le", "1.0.0.0/9 bgp_next_hop 10.0.0.1"), VM_ACCEPT);
	assert_int_equal(verdict("le", "1.0.0.0/23 bgp_next_hop 10.0.0.2"), VM_ACCEPT);
	assert_int_equal(verdict("le", "1.0.0.0/23 bgp_next_hop 10.0.0.0"), VM_REJECT);
	assert_int_equal(verdict("le", "1.0.0.0/24 bgp_next_hop 10.0.0.1"), VM_REJECT);
	assert_int_equal(verdict("bog", "10.1.0.0/16"), VM_REJECT);
	assert_int_equal(verdict("bog", "10.0.0.0/8"), VM_REJECT);
	assert_int_equal(verdict("bog", "11.0.0.0/8"), VM_ACCEPT);
	assert_int_equal(verdict("bog", "192.168.1.0/24"), VM_REJECT);
	assert_int_equal(verdict("bog", "192.168.1.0/25"), VM_ACCEPT);
	assert_int_equal(verdict("bog", "192.168.0.0/15"), VM_ACCEPT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_same_verdicts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
