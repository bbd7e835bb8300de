/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * The config parser: values of defines, what a parse fills in, and the
 * error paths (place and wording of each class of error, several errors
 * in one run, recovery, errors inside included files, hostile input).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/attr.h"
#include "core/conf.h"
#include "core/mem.h"
#include "core/proto.h"
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
	assert_null(e);
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

static int
count(const struct cf_error *e)
{
	int n = 0;

	for (; e; e = e->next)
		n++;
	return n;
}

/* the value of a define, printed as birdc eval prints it */
static const char *
val(struct config *c, const char *name)
{
	static char buf[512];
	struct cf_symbol *s = cf_find_symbol(c->root, name);

	assert_non_null(s);
	assert_int_equal(s->class, SYM_CONSTANT);
	val_format(s->u.val, buf, sizeof buf);
	return buf;
}

static void
test_define_values(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"define one = 1;\n"
		"define calc = 2 + 3 * 4 - 1;\n"
		"define par = (2 + 3) * 4;\n"
		"define div = 10 / 3 * 3;\n"
		"define wrap = 1 - 5;\n"
		"define ref = calc + one;\n"
		"define hex = 0x10;\n"
		"define t = true;\n"
		"define f = t && false;\n"
		"define str = \"hello\";\n"
		"define ipa = 192.0.2.1;\n"
		"define ip6 = 2001:db8::1;\n"
		"define netv = 10.0.0.0/8;\n"
		"define net6 = 2001:db8::/32;\n"
		"define pr = (65000, one + 1);\n"
		"define lcv = (1, 2, 3);\n"
		"define ints = [3, 1, 2..5];\n"
		"define pairs = [(1,2), (3,*), (4,5)..(4,10)];\n"
		"define pfx = [10.0.0.0/8+, 192.168.0.0/16{16,24}];\n"
		"define nothing = [];\n"
		"define cmp = 1 < 2;\n"
		DEV);
	assert_string_equal(val(c, "one"), "1");
	assert_string_equal(val(c, "calc"), "13");
	assert_string_equal(val(c, "par"), "20");
	assert_string_equal(val(c, "div"), "9");
	assert_string_equal(val(c, "wrap"), "4294967292");
	assert_string_equal(val(c, "ref"), "14");
	assert_string_equal(val(c, "hex"), "16");
	assert_string_equal(val(c, "t"), "TRUE");
	assert_string_equal(val(c, "f"), "FALSE");
	assert_string_equal(val(c, "str"), "hello");
	assert_string_equal(val(c, "ipa"), "192.0.2.1");
	assert_string_equal(val(c, "ip6"), "2001:db8::1");
	assert_string_equal(val(c, "netv"), "10.0.0.0/8");
	assert_string_equal(val(c, "net6"), "2001:db8::/32");
	assert_string_equal(val(c, "pr"), "(65000,2)");
	assert_string_equal(val(c, "lcv"), "(1, 2, 3)");
	assert_string_equal(val(c, "ints"), "[1, 2..5, 3]");
	assert_string_equal(val(c, "pairs"), "[(1,2), (3,0)..(3,65535), (4,5)..(4,10)]");
	assert_string_equal(val(c, "pfx"), "[10.0.0.0/8{1.255.255.255}, 192.168.0.0/16{0.1.255.0}]");
	assert_string_equal(val(c, "nothing"), "[]");
	assert_string_equal(val(c, "cmp"), "TRUE");
	config_free(c);
}

static void
test_config_fields(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"router id 10.0.0.1;\n"
		"router id from \"eth*\", -\"lo\";\n"
		"hostname \"edge\";\n"
		"log stderr all;\n"
		"log \"/tmp/x.log\" 1000 \"/tmp/x.old\" { info, error };\n"
		"log syslog name \"b\" { bug };\n"
		"debug protocols { states, packets };\n"
		"debug commands 2;\n"
		"timeformat base \"%F\" 3600 \"%T\";\n"
		"timeformat route iso long;\n"
		"graceful restart wait 30;\n"
		"template direct td { disabled; description \"d\"; }\n"
		"protocol device {}\n"
		"protocol direct from td { debug all; }\n"
		"protocol direct d9 { router id 1.2.3.4; disabled no; }\n"
		"protocol direct {}\n");
	assert_int_equal(c->router_id, 0x0a000001);
	assert_non_null(c->router_id_patts);
	assert_string_equal(c->router_id_patts->pattern, "eth*");
	assert_false(c->router_id_patts->exclude);
	assert_true(c->router_id_patts->next->exclude);
	assert_string_equal(c->hostname, "edge");

	struct log_target *l = c->logs;
	assert_int_equal(l->kind, LOGT_STDERR);
	assert_int_equal(l->mask, LOG_ALL);
	l = l->next;
	assert_int_equal(l->kind, LOGT_FILE);
	assert_string_equal(l->path, "/tmp/x.log");
	assert_int_equal(l->limit, 1000);
	assert_string_equal(l->backup, "/tmp/x.old");
	assert_int_equal(l->mask, (1 << L_INFO) | (1 << L_ERR));
	l = l->next;
	assert_int_equal(l->kind, LOGT_SYSLOG);
	assert_string_equal(l->syslog_name, "b");
	assert_int_equal(l->mask, 1 << L_BUG);

	assert_int_equal(c->debug_protocols, D_STATES | D_PACKETS);
	assert_int_equal(c->debug_commands, 2);
	assert_string_equal(c->tf[TF_BASE].fmt1, "%F");
	assert_string_equal(c->tf[TF_BASE].fmt2, "%T");
	assert_int_equal(c->tf[TF_BASE].limit, 3600);
	assert_string_equal(c->tf[TF_ROUTE].fmt1, "%F %T");
	assert_int_equal(c->gr_wait, 30);

	struct proto_config *p = c->protos;
	assert_true(p->is_template);
	assert_string_equal(p->name, "td");
	p = p->next;
	assert_string_equal(p->name, "device1");
	assert_string_equal(p->kind, "device");
	p = p->next;
	assert_string_equal(p->name, "direct1");
	assert_string_equal(p->from, "td");
	assert_true(p->disabled);			/* inherited */
	assert_string_equal(p->description, "d");
	assert_int_equal(p->debug, D_ALL);
	p = p->next;
	assert_string_equal(p->name, "d9");
	assert_false(p->disabled);
	assert_int_equal(p->router_id, 0x01020304);
	p = p->next;
	assert_string_equal(p->name, "direct2");
	assert_null(p->next);
	config_free(c);
}

static void
test_auto_names_skip_taken(void **state)
{
	(void)state;
	struct config *c = parse_ok("protocol direct direct1 {}\nprotocol direct {}\n" DEV);
	assert_string_equal(c->protos->next->name, "direct2");
	config_free(c);
}

struct case_ {
	const char *text;	/* a config */
	int line, col;		/* its first error */
	const char *msg;	/* the message */
};

static void
test_error_classes(void **state)
{
	(void)state;
	static const struct case_ cases[] = {
		{ DEV "routr id 1;\n", 2, 1, "syntax error, unexpected CF_SYM_UNDEFINED" },
		{ DEV "router id 1.2.3;\n", 2, 12, "syntax error, unexpected '.', expecting ';'" },
		{ "log \"/tmp/x\" limit \"y\" all;\n" DEV, 1, 14, "syntax error, unexpected LIMIT" },	/* BIRD's words */
		{ DEV "define s = 1;\n", 2, 8, "syntax error, unexpected S, expecting CF_SYM_KNOWN or CF_SYM_UNDEFINED" },
		{ DEV "define x = 1;\ndefine x = 2;\n", 3, 8, "Symbol 'x' already defined" },
		{ DEV "protocol device {}\n", 2, 10, "Kernel device protocol already defined" },
		{ DEV "protocol rip {}\n", 2, 10, "Birch does not implement protocol rip" },
		{ DEV "protocol foo {}\n", 2, 10, "syntax error, unexpected CF_SYM_UNDEFINED" },
		/* calling a define once crashed define pre-evaluation (fuzzer) */
		{ DEV "define k = 3;\ndefine x = k(1);\n", 3, 12, "You can't call something which is not a function. Really." },
		/* bytes above 0x7f: the lexer's tables once covered 7 bits only */
		{ DEV "\x80\xff protocol direct {}\n", 2, 1, "Unknown character" },
		{ "protocol device {\n  scan time \"2\";\n}\n", 2, 3, "Invalid option 'scan time' of protocol device, expected 'scan time number'" },
		{ "protocol device {\n  scan often;\n}\n", 2, 3, "Invalid option 'scan time' of protocol device, expected 'scan time number'" },
		{ DEV "protocol kernel { ipv4; frob 1; }\n", 2, 25, "syntax error, unexpected CF_SYM_UNDEFINED" },
		{ DEV "protocol bgp {\n bfd { interval 5; };\n}\n", 3, 2, "Option 'bfd' of protocol bgp is not implemented" },
		{ DEV "protocol kernel { ipv4; ipv4; }\n", 2, 25, "Multiple ipv4 channels" },
		{ DEV "protocol kernel { vpn4; }\n", 2, 19, "Birch does not implement vpn4 channels" },
		{ DEV "protocol kernel { ipv4; import all; }\n", 2, 25, "BIRD 1.x protocol-level import/export/table cannot be mixed with channel blocks in one protocol" },
		{ DEV "protocol bgp {\n}\n", 3, 1, "Local AS number must be set" },
		{ DEV "protocol kernel {}\n", 2, 18, "Channel not specified" },
		{ DEV "protocol pipe {}\n", 2, 16, "Primary routing table not specified" },
		{ "template direct t {}\nprotocol device from t {}\n", 2, 22, "Can't copy configuration from a different protocol type" },
		{ "define t = 1;\nprotocol device from t {}\n", 2, 22, "Template or protocol name expected" },
		{ DEV "define a = (1,2) + 1;\n", 2, 18, "Argument 1 of ADD must be of type int, got type pair" },
		{ DEV "define a = 1 / 0;\n", 2, 14, "filter preevaluation, line 2: Mother told me not to divide by 0" },
		{ DEV "define a = 10.0.0.1/8;\n", 2, 21, "Invalid IPv4 prefix 10.0.0.1/8, maybe you wanted 10.0.0.0/8" },
		{ DEV "define a = 10.0.0.0/33;\n", 2, 21, "Invalid prefix length 33" },
		{ DEV "debug commands 4294967296;\n", 2, 16, "Number out of range" },
		{ DEV "router id 1.2.3.256;\n", 2, 11, "Invalid IPv4 address 1.2.3.256" },
		{ DEV "hostname \"abc\n", 2, 10, "Unterminated string" },
		{ DEV "/* x\n\n", 4, 1, "Unterminated comment" },
		{ DEV "/* a /* b */\n", 2, 6, "Comment nesting not supported" },
		{ DEV "@\n", 2, 1, "Unknown character" },
		{ DEV "define 'a b' = 1;\n", 2, 10, "Invalid character in apostrophed symbol" },
		{ "router id 1.2.3.4;\n", 1, 0, "No protocol is specified in the config file" },
		{ DEV "include \"\";\n", 2, 10, "Include with empty argument" },
		{ DEV "include \"x.conf\"\n", 2, 10, "Unterminated include" },
		{ DEV "router id", 2, 10, "syntax error, unexpected END" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cf_error *e = parse_err(cases[i].text);
		if (e->line != cases[i].line || e->col != cases[i].col || strcmp(e->msg, cases[i].msg))
			fail_msg("case %zu: got %d:%d %s", i, e->line, e->col, e->msg);
		assert_string_equal(e->file, "t.conf");
		cf_errors_free(e);
	}
}

static void
test_many_errors_one_run(void **state)
{
	(void)state;
	struct cf_error *e = parse_err(
		"router id 1.2.3;\n"			/* 1 */
		"log stderr { info, bogus };\n"		/* 2 */
		"define x = 1;\n"
		"define x = 2;\n"			/* 4 */
		"hostname foo;\n"			/* 5 */
		"protocol device { disabled }\n"	/* 6 */
		"protocol direct { foo; description \"ok\"; }\n"	/* 7 */
		"define y = (1,2) + 3;\n"		/* 8 */
		"timeformat route iso;\n");		/* 9 */
	static const int lines[] = { 1, 2, 4, 5, 6, 7, 8, 9 };
	assert_int_equal(count(e), 8);
	int i = 0;
	for (struct cf_error *x = e; x; x = x->next)
		assert_int_equal(x->line, lines[i++]);
	cf_errors_free(e);
}

static void
test_recovery_continues(void **state)
{
	(void)state;
	/* after a bad statement the parse goes on: the later redefinition is
	 * found, so `y` was defined after the error */
	struct cf_error *e = parse_err(
		"define x = ;\n"
		"define y = 5;\n"
		"protocol direct { bogus 1 2 3; }\n"
		"define y = 6;\n"
		DEV);
	assert_int_equal(count(e), 3);
	assert_int_equal(e->line, 1);
	assert_int_equal(e->next->line, 3);
	assert_int_equal(e->next->next->line, 4);
	assert_string_equal(e->next->next->msg, "Symbol 'y' already defined");
	cf_errors_free(e);
}

static char tmpdir[64];

static void
put_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_include_errors(void **state)
{
	(void)state;
	char main[256], want[256];
	struct cf_error *e = NULL;

	snprintf(main, sizeof main, "%s/main.conf", tmpdir);
	put_file("main.conf", "include \"a.conf\";\nrouter id x;\n" DEV);
	put_file("a.conf", "\n\nhostname foo;\n");
	assert_null(cf_parse_file(main, 0, &e));
	assert_int_equal(count(e), 2);
	snprintf(want, sizeof want, "%s/a.conf", tmpdir);
	assert_string_equal(e->file, want);
	assert_int_equal(e->line, 3);
	assert_int_equal(e->col, 10);
	assert_string_equal(e->source, "hostname foo;");
	assert_string_equal(e->next->file, main);	/* back in the main file */
	assert_int_equal(e->next->line, 2);
	cf_errors_free(e);

	put_file("main.conf", "include \"nope.conf\";\n" DEV);
	assert_null(cf_parse_file(main, 0, &e));
	snprintf(want, sizeof want, "Unable to open included file %s/nope.conf: No such file or directory",
		 tmpdir);
	assert_string_equal(e->msg, want);
	assert_string_equal(e->file, main);
	cf_errors_free(e);

	put_file("main.conf", "include \"self.conf\";\n" DEV);
	put_file("self.conf", "include \"self.conf\";\n");
	assert_null(cf_parse_file(main, 0, &e));
	assert_string_equal(e->msg, "Max include depth reached");
	snprintf(want, sizeof want, "%s/self.conf", tmpdir);
	assert_string_equal(e->file, want);
	cf_errors_free(e);

	put_file("main.conf", "include \"g*.conf\";\n" DEV);
	put_file("g1.conf", "define a = 1;\n");
	put_file("g2.conf", "define b = a + 1;\n");
	struct config *c = cf_parse_file(main, 0, &e);
	assert_non_null(c);
	assert_string_equal(val(c, "b"), "2");
	config_free(c);
}

static void
test_missing_file_and_format(void **state)
{
	(void)state;
	struct cf_error *e = NULL;
	char buf[256];

	assert_null(cf_parse_file("/nonexistent/bird.conf", 0, &e));
	assert_int_equal(count(e), 1);
	assert_int_equal(e->line, 0);
	cf_error_format(e, buf, sizeof buf, 0);
	assert_string_equal(buf, "/nonexistent/bird.conf: No such file or directory");
	cf_errors_free(e);

	e = parse_err(DEV "routr;\n");
	cf_error_format(e, buf, sizeof buf, 0);
	assert_string_equal(buf, "t.conf:2:1: syntax error, unexpected CF_SYM_UNDEFINED");
	cf_error_format(e, buf, sizeof buf, 1);
	assert_string_equal(buf, "t.conf:2:1 syntax error, unexpected CF_SYM_UNDEFINED");
	cf_errors_free(e);
}

static void
test_hostile_input(void **state)
{
	(void)state;
	struct cf_error *e = NULL;
	size_t n = 1 << 20;
	char *big = malloc(n + 64);

	/* embedded NUL */
	assert_null(cf_parse_buffer("t.conf", DEV "\0\n", sizeof DEV + 1, 0, &e));
	assert_string_equal(e->msg, "Unknown character");
	cf_errors_free(e);

	/* a megabyte string, a megabyte name */
	strcpy(big, "hostname \"");
	memset(big + 10, 'a', n);
	strcpy(big + 10 + n, "\";\n" DEV);
	struct config *c = cf_parse_string("t.conf", big, 0, &e);
	assert_non_null(c);
	assert_int_equal(strlen(c->hostname), n);
	config_free(c);
	memset(big, 'b', n);
	strcpy(big + n, ";\n");
	assert_null(cf_parse_string("t.conf", big, 0, &e));
	cf_errors_free(e);

	/* deep nesting: an error, not a crash */
	for (size_t i = 0; i < n; i++)
		big[i] = '(';
	memcpy(big, "define a = ", 11);
	big[n] = 0;
	assert_null(cf_parse_string("t.conf", big, 0, &e));
	cf_errors_free(e);

	/* a flood of errors stops at a bound */
	for (size_t i = 0; i < n; i += 2)
		big[i] = '@', big[i + 1] = '\n';
	big[n] = 0;
	assert_null(cf_parse_string("t.conf", big, 0, &e));
	assert_true(count(e) <= 101);
	cf_errors_free(e);
	free(big);
}

static void
test_keywords(void **state)
{
	(void)state;
	assert_true(cf_is_keyword("define"));
	assert_true(cf_is_keyword("s"));
	assert_true(cf_is_keyword("ipv4"));
	assert_false(cf_is_keyword("include"));
	assert_false(cf_is_keyword("Define"));
	assert_false(cf_is_keyword("peer_r1"));
	assert_true(cf_is_keyword("bgp_large_community"));
	assert_true(cf_is_keyword("prepend"));
	assert_false(cf_is_keyword(""));
	assert_false(cf_is_keyword("bgp_pat"));
}

/* ---- route blocks: compiled as they are read, trees dropped ---------- */

#define ROUTES(med, fn) \
	"router id 1.1.1.1;\n" \
	"function twice(int x) { return x * " fn "; }\n" \
	"protocol static s1 {\n  ipv4;\n" \
	"  route 10.0.0.0/8 blackhole { bgp_med = twice(" med "); bgp_path.prepend(64500); };\n" \
	"  route 10.1.0.0/16 blackhole { bgp_local_pref = 300; };\n" \
	"  route 10.2.0.0/16 blackhole;\n" \
	"}\n" \
	"filter later { if bgp_med > 5 then accept; reject; }\n"

static const struct static_route *
routes_of(const struct config *c)
{
	for (const struct proto_config *pc = c->protos; pc; pc = pc->next)
		if (!strcmp(pc->name, "s1"))
			return ((const struct static_config *)pc->opts)->routes;
	fail_msg("no protocol s1");
	return NULL;
}

/* run a route block on an empty route; the MED it sets, or -1 */
static long
block_med(struct config *c, const struct static_route *r)
{
	const struct vm_func *f = vm_find_spec(c->prog, r->attrs);
	struct rta_builder b;
	struct vm_result res;
	struct ea_val ev;
	long med = -1;

	assert_non_null(f);
	rta_build_start(&b, NULL);
	struct rta *base = rta_build_finish(&b);
	struct vm_route vr = { .net = &r->net, .attrs = base, .proto = "s1", .keep = true };
	memset(&res, 0, sizeof res);
	assert_int_equal(vm_run_filter(c->prog, f, &vr, &res), VM_ACCEPT);
	if (res.attrs && rta_get(res.attrs, EA_BGP_MED, &ev))
		med = ev.i;
	if (res.attrs)
		rta_unref(res.attrs);
	rta_unref(base);
	return med;
}

static void
test_route_blocks_compiled(void **state)
{
	(void)state;
	struct config *c = parse_ok(ROUTES("21", "2"));
	const struct static_route *r = routes_of(c);

	/* the config's program holds the blocks, their trees are gone; the
	 * filter declared after them and the function they call are in it */
	assert_non_null(c->prog);
	assert_null(c->trees);
	assert_non_null(r->attrs);
	assert_null(r->attrs->body);
	assert_null(r->next->attrs->body);
	assert_null(r->next->next->attrs);
	assert_non_null(vm_find(c->prog, "later", VM_FIND_FILTER));
	assert_non_null(vm_find(c->prog, "twice", VM_FIND_FUNCTION));
	/* 21 * 2, through the function the block calls */
	assert_int_equal(block_med(c, r), 42);
	assert_int_equal(block_med(c, r->next), -1);
	config_free(c);
}

/* what reconfiguration compares: the compiled blocks of two configs */
static bool
block_same(const char *a, const char *b, int which)
{
	struct config *x = parse_ok(a), *y = parse_ok(b);
	const struct static_route *rx = routes_of(x), *ry = routes_of(y);

	for (; which > 0; which--)
		rx = rx->next, ry = ry->next;
	bool same = vm_func_same_in(x->prog, vm_find_spec(x->prog, rx->attrs), y->prog,
				    vm_find_spec(y->prog, ry->attrs));
	config_free(x);
	config_free(y);
	return same;
}

static void
test_route_blocks_compared(void **state)
{
	(void)state;
	assert_true(block_same(ROUTES("21", "2"), ROUTES("21", "2"), 0));
	assert_true(block_same(ROUTES("21", "2"), ROUTES("21", "2"), 1));
	assert_false(block_same(ROUTES("21", "2"), ROUTES("22", "2"), 0));	/* a constant */
	assert_false(block_same(ROUTES("21", "2"), ROUTES("21", "3"), 0));	/* the function */
	assert_true(block_same(ROUTES("21", "2"), ROUTES("21", "3"), 1));	/* calls none */
}

/* a block after an error is not compiled: the config is refused whole,
 * and every error is still found */
static void
test_route_blocks_after_error(void **state)
{
	(void)state;
	struct cf_error *e = parse_err(
		"router id 1.1.1.1;\n"
		"protocol static s1 {\n  ipv4;\n"
		"  route 10.0.0.0/8 blackhole { bgp_med = \"x\"; };\n"
		"  route 10.1.0.0/16 blackhole { int i; i = 5; bgp_med = i; };\n"
		"  route 10.2.0.0/16 blackhole { bgp_local_pref = 1 +; };\n"
		"  route 10.3.0.0/16 blackhole { bgp_med = 7; };\n"
		"}\n");
	/* BIRD 2.0.12: "t.conf:4:45 Argument 1 of EA_SET must be of type int,
	 * got type string" (and it stops there); line 5's declaration is 2.14+
	 * syntax, which Birch takes; line 6 is a syntax error */
	assert_int_equal(count(e), 2);
	assert_int_equal(e->line, 4);
	assert_string_equal(e->msg, "Argument 1 of EA_SET must be of type int, got type string");
	assert_int_equal(e->next->line, 6);
	cf_errors_free(e);
}

/* an include's text is let go at its end; an error found later (BIRD 2's
 * bounds are judged when the whole config is read) still quotes its line */
static void
test_include_quoted_after_end(void **state)
{
	(void)state;
	char main[256];
	struct cf_error *e = NULL;

	put_file("q.conf", "router id 1.1.1.1;\ninclude \"qb.conf\";\nprotocol device {}\n");
	put_file("qb.conf", "protocol bgp x {\n  local as 1;\n  neighbor 10.0.0.1 as 2;\n"
		 "  hold time 1;\n  ipv4 { import all; export all; };\n}\n");
	snprintf(main, sizeof main, "%s/q.conf", tmpdir);
	assert_null(cf_parse_file(main, 0, &e));
	assert_int_equal(count(e), 1);
	/* BIRD 2.0.12: "qb.conf:4:14 Hold time must be in range 3-65535 or zero" */
	assert_int_equal(e->line, 4);
	assert_string_equal(e->msg, "Hold time must be in range 3-65535 or zero");
	assert_non_null(e->source);
	assert_string_equal(e->source, "  hold time 1;");
	cf_errors_free(e);
}

/* BIRD reads a 354 MB config as one file: files up to 1 GiB are read */
static void
test_big_file(void **state)
{
	(void)state;
	char path[256];
	struct cf_error *e = NULL;

	snprintf(path, sizeof path, "%s/big.conf", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("router id 1.1.1.1;\n", f);
	char line[1024];
	memset(line, ' ', sizeof line - 2);
	line[0] = '#';
	line[sizeof line - 2] = '\n';
	line[sizeof line - 1] = 0;
	for (int i = 0; i < 65 * 1024; i++)	/* 65 MB of comments: over the old 64 MB */
		fputs(line, f);
	fputs("protocol device {}\n", f);
	fclose(f);
	struct config *c = cf_parse_file(path, 0, &e);
	if (!c)
		cf_errors_print(stderr, e, 0);
	assert_non_null(c);
	assert_int_equal(c->router_id, 0x01010101);
	assert_non_null(c->protos);
	config_free(c);

	/* over 1 GiB: refused before it is read (a sparse file) */
	assert_int_equal(truncate(path, (off_t)(1u << 30) + 1), 0);
	c = cf_parse_file(path, 0, &e);
	assert_null(c);
	assert_non_null(e);
	assert_string_equal(e->msg, "File too large");
	assert_int_equal(e->line, 1);
	cf_errors_free(e);
	unlink(path);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/birch-test-parse-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_define_values),
		cmocka_unit_test(test_config_fields),
		cmocka_unit_test(test_auto_names_skip_taken),
		cmocka_unit_test(test_error_classes),
		cmocka_unit_test(test_many_errors_one_run),
		cmocka_unit_test(test_recovery_continues),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_missing_file_and_format),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_route_blocks_compiled),
		cmocka_unit_test(test_route_blocks_compared),
		cmocka_unit_test(test_route_blocks_after_error),
		cmocka_unit_test(test_include_quoted_after_end),
		cmocka_unit_test(test_big_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
