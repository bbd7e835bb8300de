/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * The filter language front end: the syntax tree a filter and a function
 * leave in the config (kinds, static types, resolved symbols, frame
 * slots), the constants the checker folds, and every error path of the
 * type checker with its place and BIRD's wording, many in one run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/mem.h"
#include "lang/ast.h"
#include "lang/lang.h"
#include "vm/vm.h"

#define DEV "protocol device {}\n"

static struct config *
parse_ok(const char *text)
{
	struct cf_error *e = NULL;
	struct config *c = cf_parse_string("t.conf", text, 0, &e);

	if (!c) {
		cf_errors_print(stderr, e, 1);
		cf_errors_free(e);
		fail_msg("config refused");
	}
	return c;
}

static struct cf_error *
parse_err(const char *text)
{
	struct cf_error *e = NULL;
	struct config *c = cf_parse_string("t.conf", text, 0, &e);

	if (c)
		config_free(c);
	assert_null(c);
	assert_non_null(e);
	return e;
}

static const struct cf_symbol *
sym(const struct config *c, const char *name, enum cf_sym_class cls)
{
	const struct cf_symbol *s = cf_find_symbol(c->root, name);

	assert_non_null(s);
	assert_int_equal(s->class, cls);
	return s;
}

/* the n'th statement of a block (0-based) */
static const struct f_node *
stmt(const struct f_node *block, int n)
{
	assert_int_equal(block->kind, N_BLOCK);
	const struct f_node *s = block->args;
	while (n-- > 0 && s)
		s = s->next;
	assert_non_null(s);
	return s;
}

static void
test_filter_tree(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"filter f\n"
		"int n;\n"
		"{\n"
		"  n = bgp_path.len + 1;\n"
		"  if net ~ [10.0.0.0/8+] then reject \"bogon\";\n"
		"  bgp_community.add((64500, n));\n"
		"  accept;\n"
		"}\n" DEV);
	const struct f_filter *f = sym(c, "f", SYM_FILTER)->u.ptr;
	assert_int_equal(f->kind, FF_NAMED);
	assert_string_equal(f->name, "f");
	assert_int_equal(f->nslots, 1);
	assert_int_equal(f->line, 1);

	const struct f_node *decl = stmt(f->body, 0);
	assert_int_equal(decl->kind, N_DECL);
	assert_string_equal(decl->sym->name, "n");
	assert_int_equal(((const struct f_var *)decl->sym->u.ptr)->type, T_INT);

	const struct f_node *set = stmt(f->body, 1);
	assert_int_equal(set->kind, N_SET_VAR);
	assert_ptr_equal(set->sym, decl->sym);		/* resolved to the declaration */
	assert_int_equal(set->a->kind, N_BINOP);
	assert_int_equal(set->a->op, OP_ADD);
	assert_int_equal(set->a->type, T_INT);
	assert_int_equal(set->a->a->kind, N_METHOD);
	assert_int_equal(set->a->a->op, M_LEN);
	assert_int_equal(set->a->a->a->kind, N_ATTR);
	assert_string_equal(set->a->a->a->attr->name, "bgp_path");
	assert_int_equal(set->a->a->a->type, T_PATH);
	assert_int_equal(set->line, 4);
	assert_int_equal(set->col, 3);

	const struct f_node *cond = stmt(f->body, 2);
	assert_int_equal(cond->kind, N_IF);
	assert_int_equal(cond->a->op, OP_MATCH);
	assert_int_equal(cond->a->type, T_BOOL);
	assert_int_equal(cond->a->b->kind, N_CONST);
	assert_int_equal(cond->a->b->type, T_PREFIX_SET);
	assert_int_equal(cond->b->kind, N_REJECT);
	assert_int_equal(cond->b->args->val.type, T_STRING);

	/* x.add(y); is x = x.add(y); */
	const struct f_node *add = stmt(f->body, 3);
	assert_int_equal(add->kind, N_SET_ATTR);
	assert_string_equal(add->attr->name, "bgp_community");
	assert_int_equal(add->a->kind, N_METHOD);
	assert_int_equal(add->a->op, M_ADD);
	assert_int_equal(add->a->type, T_CLIST);
	assert_int_equal(add->a->args->kind, N_PAIR);	/* n is not constant */
	assert_int_equal(add->a->args->type, T_PAIR);

	assert_int_equal(stmt(f->body, 4)->kind, N_ACCEPT);
	config_free(c);
}

static void
test_function_tree(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"function inc(int a; pair p) -> int {\n"
		"  int b = a + 1;\n"
		"  for int x in bgp_path do b = b + x;\n"
		"  return b + p.asn;\n"
		"}\n"
		"function infer() { return (1, 2); }\n"
		"filter g { if inc(1, infer()) > 2 then accept; }\n"
		"attribute int mytag;\n"
		"roa4 table r4;\n"
		"ipv6 table t6;\n"
		"function t() { bt_assert(1 = 1); }\n"
		"bt_test_suite(t, \"one\");\n"
		"bt_test_same(t, t, 1);\n" DEV);
	const struct f_function *fn = sym(c, "inc", SYM_FUNCTION)->u.ptr;
	assert_int_equal(fn->nargs, 2);
	assert_string_equal(fn->argv[1]->name, "p");
	assert_int_equal(((const struct f_var *)fn->argv[1]->u.ptr)->slot, 1);
	assert_true(fn->ret_declared);
	assert_int_equal(fn->ret, T_INT);
	assert_int_equal(fn->nslots, 4);		/* a, p, b, x */
	const struct f_node *loop = stmt(fn->body, 1);
	assert_int_equal(loop->kind, N_FOR);
	assert_int_equal(((const struct f_var *)loop->sym->u.ptr)->type, T_INT);
	assert_int_equal(loop->a->type, T_PATH);

	const struct f_function *inf = sym(c, "infer", SYM_FUNCTION)->u.ptr;
	assert_false(inf->ret_declared);
	assert_int_equal(inf->ret, T_PAIR);		/* inferred from its return */

	const struct f_filter *g = sym(c, "g", SYM_FILTER)->u.ptr;
	const struct f_node *call = stmt(g->body, 0)->a->a;
	assert_int_equal(call->kind, N_CALL);
	assert_ptr_equal(call->sym->u.ptr, fn);
	assert_int_equal(call->type, T_INT);

	const struct f_attr *a = sym(c, "mytag", SYM_ATTRIBUTE)->u.ptr;
	assert_int_equal(a->type, T_INT);
	assert_true(a->flags & FA_CUSTOM);
	assert_int_equal(((const struct f_table *)sym(c, "r4", SYM_TABLE)->u.ptr)->type, TAB_ROA4);
	assert_int_equal(((const struct f_table *)sym(c, "t6", SYM_TABLE)->u.ptr)->type, TAB_IPV6);

	const struct f_test *tests = sym(c, " tests", SYM_TESTS)->u.ptr;
	assert_non_null(tests);
	assert_string_equal(tests->desc, "one");
	assert_non_null(tests->next);
	assert_non_null(tests->next->fn2);
	assert_int_equal(tests->next->expected, 1);
	assert_null(tests->next->next);
	config_free(c);
}

/* constants are folded as BIRD folds them; what needs a route is not */
static void
test_folding(void **state)
{
	(void)state;
	char buf[128];
	struct config *c = parse_ok(
		"define a = (1 + 2) * 3;\n"
		"define e = (rt, 64500, 7);\n"
		"define e4 = (ro, 70000, 7);\n"
		"define eip = (rt, 192.0.2.1, 7);\n"
		"define l = (1, 2 + 3, 4);\n"
		"define rset = [RTS_BGP, RTS_STATIC];\n"
		"define ls = [(1, 2, *), (3, *, *)];\n"
		"define es = [(rt, 1, *)];\n"
		"define m = [= * 1 ? =];\n"
		"define emp = -empty-;\n" DEV);
	val_format(sym(c, "a", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "9");
	val_format(sym(c, "e", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "(rt, 64500, 7)");
	val_format(sym(c, "e4", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "(ro, 70000, 7)");
	val_format(sym(c, "eip", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "(rt, 192.0.2.1, 7)");
	val_format(sym(c, "l", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "(1, 5, 4)");
	const struct f_val *s = sym(c, "rset", SYM_CONSTANT)->u.val;
	assert_int_equal(s->type, T_SET);
	assert_int_equal(s->v.set->etype, T_ENUM_RTS);
	assert_int_equal(s->v.set->n, 2);
	const struct f_val *ls = sym(c, "ls", SYM_CONSTANT)->u.val;
	assert_int_equal(ls->v.set->etype, T_LC);
	assert_int_equal(ls->v.set->r[1].to.v.lc.ldp1, 0xffffffffu);
	assert_int_equal(sym(c, "es", SYM_CONSTANT)->u.val->v.set->etype, T_EC);
	const struct f_val *m = sym(c, "m", SYM_CONSTANT)->u.val;
	assert_int_equal(m->type, T_PATH_MASK);
	assert_int_equal(m->v.pm->n, 3);
	assert_int_equal(m->v.pm->items[0].kind, PM_ASTERISK);
	assert_int_equal(m->v.pm->items[1].kind, PM_ASN);
	assert_int_equal(m->v.pm->items[2].kind, PM_QUESTION);
	assert_int_equal(sym(c, "emp", SYM_CONSTANT)->u.val->type, T_CLIST);

	config_free(c);

	/* what BIRD pre-evaluates: calls, matches, format(), branches */
	c = parse_ok(
		"function fact(int a) { if a > 1 then return a * fact(a - 1); return 1; }\n"
		"function glob(string x) { return x ~ \"a?c*\"; }\n"
		"function k(int a) { case a { 1: return 5; 2..4: return 7; else: return 9; } }\n"
		"define f5 = fact(5);\n"
		"define g = glob(\"abcd\") && !glob(\"acb\");\n"
		"define ks = k(3) * 100 + k(8);\n"
		"define fm = format(10.0.0.0/8);\n"
		"define inside = 10.1.0.0/16 ~ [10.0.0.0/8{12,16}] && 192.0.2.1 ~ 192.0.2.0/24;\n"
		"define nin = (64500, 7) !~ [(64500, 1..5)];\n"
		DEV);
	assert_int_equal(sym(c, "f5", SYM_CONSTANT)->u.val->v.i, 120);
	assert_int_equal(sym(c, "g", SYM_CONSTANT)->u.val->v.i, 1);
	assert_int_equal(sym(c, "ks", SYM_CONSTANT)->u.val->v.i, 709);
	assert_string_equal(sym(c, "fm", SYM_CONSTANT)->u.val->v.s, "10.0.0.0/8");
	assert_int_equal(sym(c, "inside", SYM_CONSTANT)->u.val->v.i, 1);
	assert_int_equal(sym(c, "nin", SYM_CONSTANT)->u.val->v.i, 1);
	config_free(c);

	/* what it cannot: a route's attributes, endless recursion */
	struct cf_error *e = parse_err("define x = defined(bgp_med);\n" DEV);
	assert_string_equal(e->msg, "No route to access");
	cf_errors_free(e);
	e = parse_err("function f() { bgp_med = 1; return 2; }\ndefine x = f();\n" DEV);
	assert_string_equal(e->msg, "No route to access");
	cf_errors_free(e);
	e = parse_err("function f(int a) { return f(a); }\ndefine x = f(1);\n" DEV);
	assert_string_equal(e->msg, "Function calls nested too deep");
	cf_errors_free(e);

	c = parse_ok("filter f { int x = 2 * 3; if x = 6 then accept; }\n" DEV);
	const struct f_filter *f = sym(c, "f", SYM_FILTER)->u.ptr;
	const struct f_node *init = stmt(f->body, 0)->a;
	assert_int_equal(init->kind, N_CONST);		/* 2 * 3 folded */
	assert_int_equal(init->val.v.i, 6);
	config_free(c);
}

/* bytestring literals, every form BIRD 2.14+ reads */
static void
test_bytestrings(void **state)
{
	(void)state;
	static const struct {
		const char *lit, *printed;
	} t[] = {
		{ "hex:01:02:03", "01:02:03" },
		{ "hex:010203", "01:02:03" },
		{ "hex:0102:03", "01:02:03" },
		{ "hex:AbCd", "ab:cd" },
		{ "hex:", "" },
		{ "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
		  "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" },
		{ "00112233445566778899aabbccddeeff",
		  "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff" },
	};
	char text[256], buf[128];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(text, sizeof text,
			 "define b = %s;\nfunction f() -> bytestring { bytestring x = b; return x; }\n" DEV,
			 t[i].lit);
		struct config *c = parse_ok(text);
		const struct f_val *v = sym(c, "b", SYM_CONSTANT)->u.val;
		assert_int_equal(v->type, T_BYTESTRING);
		val_format(v, buf, sizeof buf);
		assert_string_equal(buf, t[i].printed);
		config_free(c);
	}
	/* an odd digit after hex: is a number, not part of the bytestring */
	cf_errors_free(parse_err("define b = hex:1;\n" DEV));
	/* 15 pairs are an IPv6-looking error, not a bytestring */
	cf_errors_free(parse_err("define b = 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee;\n" DEV));
}

struct case_ {
	const char *text;	/* a config */
	int line, col;		/* the first error's place */
	const char *msg;	/* and its message */
};

/* each static error of the checker, with its place and BIRD's wording */
static void
test_type_errors(void **state)
{
	(void)state;
	static const struct case_ cases[] = {
		{ "filter f { int x; x = \"a\"; accept; }\n", 1, 19,
		  "Argument 1 of VAR_SET must be of type int, got type string" },
		{ "filter f { bool b = 1; accept; }\n", 1, 17,
		  "Argument 1 of VAR_SET must be of type bool, got type int" },
		{ "filter f { bgp_local_pref = (1,2); accept; }\n", 1, 12,
		  "Argument 1 of EA_SET must be of type int, got type pair" },
		{ "filter f { gw = 1; accept; }\n", 1, 12,
		  "Argument 1 of RTA_SET must be of type ip, got type int" },
		{ "filter f { scope = 1; accept; }\n", 1, 12,
		  "Argument 1 of RTA_SET must be of type enum scope, got type int" },
		{ "filter f { net = 1.0.0.0/8; accept; }\n", 1, 12, "This static attribute is read-only." },
		{ "filter f { bgp_aggregator = 1; accept; }\n", 1, 12,
		  "Argument 1 of EA_SET must be of type ?, got type int" },
		{ "filter f { if 1 then accept; }\n", 1, 12,
		  "Argument 1 of CONDITION must be of type bool, got type int" },
		{ "filter f { if 1 && true then accept; }\n", 1, 17,
		  "Argument 1 of AND must be of type bool, got type int" },
		{ "filter f { if !1 then accept; }\n", 1, 15,
		  "Argument 1 of NOT must be of type bool, got type int" },
		{ "filter f { int x = 1 + (1,2); accept; }\n", 1, 22,
		  "Argument 2 of ADD must be of type int, got type pair" },
		{ "filter f { if 1 < \"a\" then accept; }\n", 1, 17,
		  "Arguments 1 and 2 of LT must be of the same type" },
		{ "filter f { if 1 > \"a\" then accept; }\n", 1, 17,
		  "Arguments 1 and 2 of LT must be of the same type" },
		{ "filter f { int x = 1 / 0; accept; }\n", 1, 22,
		  "filter preevaluation, line 1: Mother told me not to divide by 0" },
		{ "filter f { pair p = (1, \"a\"); accept; }\n", 1, 21,
		  "Argument 2 of PAIR_CONSTRUCT must be of type int, got type string" },
		{ "filter f { pair p = (70000, 1); accept; }\n", 1, 21,
		  "filter preevaluation, line 1: Can't operate with value out of bounds in pair constructor" },
		{ "filter f { if 1 ~ \"a\" then accept; }\n", 1, 17,
		  "filter preevaluation, line 1: ~ applied on unknown type pair" },
		{ "function t() { bt_assert(1); }\n", 1, 16,
		  "Argument 1 of ASSERT must be of type bool, got type int" },
		{ "filter f { int x = 1.len; accept; }\n", 1, 22,
		  "filter preevaluation, line 1: Prefix, path, clist or eclist expected" },
		{ "filter f { int x = 1.asn; accept; }\n", 1, 22,
		  "filter preevaluation, line 1: Net, pair or lc expected" },
		{ "filter f { if net.mask(8) = net then accept; }\n", 1, 19,
		  "Argument 1 of IP_MASK must be of type ip, got type prefix" },
		{ "filter f { bgp_path.prepend(\"a\"); accept; }\n", 1, 21,
		  "Argument 2 of PATH_PREPEND must be of type int, got type string" },
		{ "filter f { bgp_path = prepend(bgp_path, \"a\"); accept; }\n", 1, 23,
		  "Argument 2 of PATH_PREPEND must be of type int, got type string" },
		{ "filter f { int x = bgp_community.first; accept; }\n", 1, 34,
		  "Argument 1 of AS_PATH_FIRST must be of type bgppath, got type clist" },
		{ "filter f { foo = 1; accept; }\n", 1, 12, "syntax error, unexpected CF_SYM_UNDEFINED" },
		{ "define x = 1; filter f { x = 2; accept; }\n", 1, 26, "Can't assign to symbol x" },
		{ "function g(int a) { return a; }\nfilter f { if g() = 1 then accept; }\n", 2, 15,
		  "Function 'g' expects 1 arguments, got 0 arguments" },
		{ "function g(int a) { return a; }\nfilter f { g(\"x\"); accept; }\n", 2, 12,
		  "Argument 1 of 'g' must be int, got string" },
		{ "define y = 1; filter f { y(); }\n", 1, 26,
		  "You can't call something which is not a function. Really." },
		{ "filter f { int x; int x; accept; }\n", 1, 23, "Symbol 'x' already defined" },
		{ "filter f { for int x in [1,2] do print x; accept; }\n", 1, 25,
		  "Value of expression in FOR must be iterable, got set" },
		{ "filter f { for pair x in bgp_path do print x; accept; }\n", 1, 21,
		  "Loop variable 'x' in FOR must be int, is pair" },
		{ "filter f { if roa_check(f, net, 1) = ROA_VALID then accept; }\n", 1, 15,
		  "Table name required" },
		{ "ipv4 table t; filter f { if roa_check(t, net, 1) = ROA_VALID then accept; }\n", 1, 29,
		  "t is not a ROA table" },
		{ "filter f { unset(net); accept; }\n", 1, 12, "syntax error, unexpected NET" },
		{ "attribute string s2;\n", 1, 18, "Custom route attribute of unsupported type" },
		{ "filter f { bool set b; accept; }\n", 1, 17, "You can't create sets of this type." },
		{ "function f() -> int { return \"a\"; }\n", 1, 23, "Function 'f' must return int, got string" },
		{ "protocol static { ipv4 { import where 1; }; }\n", 1, 39,
		  "Argument 1 of CONDITION must be of type bool, got type int" },
		{ "protocol static { ipv4 { import filter nosuch; }; }\n", 1, 40,
		  "syntax error, unexpected CF_SYM_UNDEFINED" },
		{ "define y = 1; protocol static { ipv4 { import filter y; }; }\n", 1, 54,
		  "No such filter." },
		{ "define x = bgp_path;\n", 1, 12, "No route to access" },
		{ "define x = [(rt, 1.2.3.4, 5)];\n", 1, 13, "Integer expression expected" },
		{ "filter f { case 1 { 1: accept; else: reject; else: reject; } }\n", 1, 46,
		  "Multiple 'else' in case" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text, "%s" DEV, cases[i].text);
		struct cf_error *e = parse_err(text);
		if (e->line != cases[i].line || e->col != cases[i].col || strcmp(e->msg, cases[i].msg))
			fail_msg("case %zu: got %d:%d %s", i, e->line, e->col, e->msg);
		assert_string_equal(e->file, "t.conf");
		cf_errors_free(e);
	}
}

/*
 * Set items as BIRD 2.0.12 translates them (expected values from `birdc
 * eval` on a real BIRD), route distinguishers, and list and path
 * operations on constants folded to N_CONST with the VM's layout.
 */
static void
test_sets_lists(void **state)
{
	(void)state;
	char buf[256];
	struct config *c = parse_ok(
		"define lo = 10;\n"
		"define ps = [(lo..lo + 2, 5), (1..3, *), (6, 7..8)];\n"
		"define ls = [(1..2, *, *), (7, 8..9, *)];\n"
		"define mix = [5, (1,4), 1.2.3.4];\n"
		"define r = [2:1:2, 0:1:2, 2:65536:3];\n"
		"define l = add(add(-empty-, (3,4)), (1,2));\n"
		"define p = prepend(prepend(+empty+, 5), 6);\n"
		"define n = l.len + p.last;\n"
		"function f() { return add(add(-empty-, (1,2)), (5,6)); }\n" DEV);
	const struct f_val *v = sym(c, "ps", SYM_CONSTANT)->u.val;
	assert_int_equal(v->v.set->n, 5);		/* 10..12 one range each, (1..3, *) one */
	val_format(v, buf, sizeof buf);
	assert_string_equal(buf, "[(1,0)..(3,65535), (6,7)..(6,8), (10,5), (11,5), (12,5)]");
	val_format(sym(c, "ls", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "[(1, 0, 0)..(2, 4294967295, 4294967295), (7, 8, 0)..(7, 9, 4294967295)]");
	v = sym(c, "mix", SYM_CONSTANT)->u.val;	/* BIRD's merge sort order; its middle item's type */
	assert_int_equal(v->v.set->r[0].from.type, T_IP);
	assert_int_equal(v->v.set->r[1].from.type, T_PAIR);
	assert_int_equal(v->v.set->r[2].from.type, T_INT);
	assert_int_equal(v->v.set->etype, T_PAIR);
	val_format(sym(c, "r", SYM_CONSTANT)->u.val, buf, sizeof buf);
	assert_string_equal(buf, "[1:2, 2:1:2, 65536:3]");
	v = sym(c, "l", SYM_CONSTANT)->u.val;
	assert_int_equal(v->type, T_CLIST);
	assert_int_equal(v->v.d.len, 8);
	assert_int_equal(((const uint32_t *)v->v.d.p)[0], 3 << 16 | 4);
	assert_int_equal(((const uint32_t *)v->v.d.p)[1], 1 << 16 | 2);
	v = sym(c, "p", SYM_CONSTANT)->u.val;
	assert_int_equal(v->type, T_PATH);
	assert_int_equal(v->v.d.len, 10);		/* one sequence of two ASNs */
	assert_memory_equal(v->v.d.p, "\2\2\0\0\0\6\0\0\0\5", 10);
	assert_int_equal(sym(c, "n", SYM_CONSTANT)->u.val->v.i, 7);
	const struct f_function *fn = sym(c, "f", SYM_FUNCTION)->u.ptr;
	const struct f_node *ret = stmt(fn->body, 0)->a;
	assert_int_equal(ret->kind, N_CONST);		/* folded when read, as BIRD does */
	assert_int_equal(ret->type, T_CLIST);
	assert_int_equal(ret->val.v.d.len, 8);
	config_free(c);

	static const struct case_ cases[] = {
		{ "define a = [(3..1, 5)];\n", 1, 13,
		  "From value cannot be higher that To value in pair sets" },
		{ "define a = [(1, 2)..(0, 5)];\n", 1, 13,
		  "From value cannot be higher that To value in pair sets" },
		{ "define a = [(1..65536, 5)];\n", 1, 13, "Value 65536 out of range (0-65535)" },
		{ "define a = [(1..2, \"x\")];\n", 1, 13, "Integer expression expected" },
		{ "define a = [(rt, 65536, 1..65536)];\n", 1, 13, "Value 65536 out of range (0-65535)" },
		{ "define a = [(1..2, 3, 4)];\n", 1, 21, "syntax error, unexpected ','" },
		{ "define a = [1, (true)];\n", 1, 17, "Set-incompatible type" },
		{ "define n = 10.0.0.0/8;\ndefine a = [n];\n", 2, 13, "n: set-incompatible type" },
		{ "function f(int x) { return x ~ [x]; }\n", 1, 33, "Constant name required" },
		{ "define a = [10.0.0.0/8, 1];\n", 1, 25,
		  "syntax error, unexpected NUM, expecting IP4 or IP6" },
		{ "define a = 0:65536:1;\n", 1, 12, "ASN out of range" },
		{ "define a = 2:1:65536;\n", 1, 12, "Number out of range" },
		{ "define a = 1.2.3.256:5;\n", 1, 12,
		  "Invalid IPv4 address 1.2.3.256 in Route Distinguisher" },
		{ "function f() { return add(add(-empty-, (1,2)), 5); }\n", 1, 23,
		  "filter preevaluation, line 1: Can't add non-pair" },
		{ "function f() { return filter(prepend(+empty+, 1), 5); }\n", 1, 23,
		  "filter preevaluation, line 1: Can't filter integer" },
		{ "function f() { return 5 ~ add(-empty-, (1,2)); }\n", 1, 25,
		  "filter preevaluation, line 1: ~ applied on unknown type pair" },
		{ "function f() { return (1,2) ~ [5, 6]; }\n", 1, 29,
		  "filter preevaluation, line 1: ~ applied on unknown type pair" },
		{ "define a = -empty- < -empty-;\n", 1, 20,
		  "filter preevaluation, line 1: Can't compare values of incompatible types" },
		{ "define a = add(--empty--, (1,2,3));\n", 1, 12,
		  "filter preevaluation, line 1: Can't add non-ec" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text, "%s" DEV, cases[i].text);
		struct cf_error *e = parse_err(text);
		if (e->line != cases[i].line || e->col != cases[i].col || strcmp(e->msg, cases[i].msg))
			fail_msg("case %zu: got %d:%d %s", i, e->line, e->col, e->msg);
		cf_errors_free(e);
	}
}

/* every error of a file in one run, each on its own line, none doubled */
static void
test_errors_one_run(void **state)
{
	(void)state;
	struct cf_error *e = parse_err(
		"filter a { int x; x = \"a\"; accept; }\n"			/* 1 */
		"filter b { bgp_med = \"x\"; net = 1.0.0.0/8; }\n"		/* 2, 2 */
		"function c(int v) { return v + (1, 2); }\n"		/* 3 */
		"filter d { if c() = 1 then accept; if c(1) = 1 then accept; }\n"	/* 4 */
		"filter e { unknown = 1; bgp_path.prepend(\"x\"); accept; }\n"	/* 5, 5 */
		"filter g { int y = (1 + \"a\") * 2; if y ~ 3 then accept; }\n"	/* 6 */
		"filter h { if true then { int z; z = true; } accept; }\n"	/* 7 */
		DEV);
	static const int lines[] = { 1, 2, 2, 3, 4, 5, 5, 6, 7 };
	int n = 0;
	for (struct cf_error *x = e; x; x = x->next, n++) {
		if (n >= (int)(sizeof lines / sizeof lines[0]))
			fail_msg("unexpected error %d:%d %s", x->line, x->col, x->msg);
		if (x->line != lines[n])
			fail_msg("error %d on line %d, expected %d: %s", n, x->line, lines[n], x->msg);
	}
	assert_int_equal(n, 9);
	cf_errors_free(e);
}

/* scopes: locals do not leak out of their block or function, a local may
 * shadow a global, a typed for has a scope of its own */
static void
test_scopes(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"define x = 1;\n"
		"function f() { int x = 2; for int i in bgp_path do x = i; for int i in bgp_path do x = i; return x; }\n"
		"filter g { if true then { int y = 1; print y; } if true then { int y = 2; print y; } accept; }\n"
		DEV);
	assert_null(cf_find_symbol(c->root, "y"));
	assert_null(cf_find_symbol(c->root, "i"));
	sym(c, "x", SYM_CONSTANT);
	config_free(c);

	struct cf_error *e = parse_err("filter g { if true then { int y = 1; } y = 2; accept; }\n" DEV);
	assert_int_equal(e->col, 40);
	assert_string_equal(e->msg, "syntax error, unexpected CF_SYM_UNDEFINED");
	cf_errors_free(e);
}

/* hostile input: deep nesting and long lists do not crash or leak */
static void
test_hostile(void **state)
{
	(void)state;
	enum { DEPTH = 200 };
	char *text = malloc(DEPTH * 16 + 256);
	size_t n = 0;
	n += (size_t)sprintf(text + n, "filter f { int x = ");
	for (int i = 0; i < DEPTH; i++)
		text[n++] = '(';
	text[n++] = '1';
	for (int i = 0; i < DEPTH; i++)
		n += (size_t)sprintf(text + n, "+1)");
	n += (size_t)sprintf(text + n, "; accept; }\n" DEV);
	struct config *c = parse_ok(text);
	const struct f_filter *f = sym(c, "f", SYM_FILTER)->u.ptr;
	assert_int_equal(stmt(f->body, 0)->a->val.v.i, DEPTH + 1);
	config_free(c);
	free(text);

	static const char *const bad[] = {
		"filter f { if then else; }\n",
		"filter f { case { : ; } }\n",
		"function (int) { }\n",
		"filter f { bgp_path.; }\n",
		"filter f { x = [= =] ~ ; }\n",
		"filter { accept; }\n",
		"filter f { for in do; }\n",
		"function f() -> { return; }\n",
		"filter f { int x = (rt, 1); }\n",
		"filter f { accept }\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char t[256];
		snprintf(t, sizeof t, "%s" DEV, bad[i]);
		cf_errors_free(parse_err(t));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_tree),
		cmocka_unit_test(test_function_tree),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_bytestrings),
		cmocka_unit_test(test_type_errors),
		cmocka_unit_test(test_sets_lists),
		cmocka_unit_test(test_errors_one_run),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
