/* LINK: lang/parse.c lang/symbols.c lang/build.c lang/eval.c lang/keywords.c lang/protos.c lang/parser.c lang/lexer.c lang/ast.c lang/attrs.c lang/typecheck.c lang/channel.c lang/options.c bgp/bgp_conf.c kernel/krt_conf.c kernel/dev_conf.c kernel/direct_conf.c core/static_conf.c core/pipe_conf.c vm/compile.c vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c vm/disasm.c core/attr.c core/mem.c core/net.c core/conf.c core/loop.c core/log.c core/time.c */
/*
 * Protocols and channels as a whole config fills them in: the protocol's
 * option struct with defaults, channels and their common options, template
 * inheritance of options and channels, and BIRD 1.x's protocol-level
 * options mapped to the implicit channel with its family.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bgp/bgp.h"
#include "core/conf.h"
#include "core/proto.h"
#include "kernel/kernel.h"
#include "lang/ast.h"
#include "lang/lang.h"

static struct config *
parse_ok(const char *text, unsigned flags)
{
	struct cf_error *e = NULL;
	struct config *c = cf_parse_string("t.conf", text, flags, &e);

	if (!c) {
		cf_errors_print(stderr, e, 1);
		cf_errors_free(e);
		fail_msg("config refused");
	}
	return c;
}

static struct proto_config *
proto(struct config *c, const char *name)
{
	for (struct proto_config *p = c->protos; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	fail_msg("no protocol %s", name);
	return NULL;
}

static void
test_defaults_and_channels(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"protocol device {}\n"
		"protocol bgp b {\n"
		"  local as 1; neighbor 10.0.0.2 as 2;\n"
		"  ipv4 { import all; export none; preference 90; import limit 10 action block;\n"
		"         next hop self; };\n"
		"  ipv6 { import none; export all; receive limit 5; import keep filtered; };\n"
		"}\n", 0);
	struct proto_config *p = proto(c, "b");
	const struct bgp_config *b = p->opts;

	assert_int_equal(b->hold_time, 240);		/* default */
	assert_int_equal(b->local_as, 1);
	assert_false(p->v1);
	const struct chan_config *ch = p->channels;
	assert_non_null(ch);
	assert_int_equal(ch->family, CF_AF_IPV4);
	assert_int_equal(ch->in.kind, CHF_ALL);
	assert_int_equal(ch->out.kind, CHF_NONE);
	assert_int_equal(ch->preference, 90);
	assert_int_equal(ch->in_limit.max, 10);
	assert_int_equal(ch->in_limit.action, LIMIT_BLOCK);
	assert_int_equal(((const struct bgp_chan_config *)ch->opts)->next_hop_self, BGP_NH_ALL);
	ch = ch->next;
	assert_non_null(ch);
	assert_int_equal(ch->family, CF_AF_IPV6);
	assert_int_equal(ch->rx_limit.max, 5);
	assert_true(ch->keep_filtered);
	assert_int_equal(((const struct bgp_chan_config *)ch->opts)->next_hop_self, BGP_NH_OFF);
	assert_null(ch->next);
	config_free(c);
}

static void
test_template_inheritance(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"protocol device {}\n"
		"template bgp t { local as 1; hold time 60;\n"
		"  ipv4 { import all; export none; next hop self; }; }\n"
		"protocol bgp p from t { neighbor 10.0.0.2 as 2; hold time 30;\n"
		"  ipv4 { export all; }; }\n"
		"protocol bgp q from t { neighbor 10.0.0.3 as 3; }\n", 0);
	struct proto_config *p = proto(c, "p"), *q = proto(c, "q"), *t = proto(c, "t");
	const struct chan_config *pc = p->channels, *qc = q->channels, *tc = t->channels;

	assert_int_equal(((const struct bgp_config *)p->opts)->hold_time, 30);
	assert_int_equal(((const struct bgp_config *)q->opts)->hold_time, 60);
	assert_int_equal(((const struct bgp_config *)t->opts)->hold_time, 60);
	/* the body's channel block changes the inherited channel */
	assert_null(pc->next);
	assert_int_equal(pc->in.kind, CHF_ALL);
	assert_int_equal(pc->out.kind, CHF_ALL);
	assert_int_equal(((const struct bgp_chan_config *)pc->opts)->next_hop_self, BGP_NH_ALL);
	/* copies, not shared */
	assert_ptr_not_equal(pc, tc);
	assert_ptr_not_equal(pc->opts, tc->opts);
	assert_int_equal(tc->out.kind, CHF_NONE);
	assert_int_equal(qc->out.kind, CHF_NONE);
	config_free(c);
}

static void
test_v1_implicit_channel(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"router id 1.2.3.4;\n"
		"protocol static st { route 10.0.0.0/8 blackhole; }\n"	/* 1.x seen only later */
		"protocol device {}\n"
		"template bgp t { local as 1; import all; export none; next hop self; }\n"
		"protocol bgp b4 from t { neighbor 10.0.0.2 as 1; }\n"
		"protocol bgp b6 from t { neighbor 2001:db8::2 as 1; add paths on; }\n", 0);
	struct proto_config *b4 = proto(c, "b4"), *b6 = proto(c, "b6"), *s = proto(c, "st");

	assert_true(b4->v1);
	assert_non_null(b4->channels);
	assert_true(b4->channels->implicit);
	assert_int_equal(b4->channels->family, CF_AF_IPV4);
	assert_int_equal(b4->channels->in.kind, CHF_ALL);
	assert_int_equal(((const struct bgp_chan_config *)b4->channels->opts)->next_hop_self,
			 BGP_NH_ALL);
	assert_int_equal(b6->channels->family, CF_AF_IPV6);
	assert_int_equal(((const struct bgp_chan_config *)b6->channels->opts)->add_path, BGP_AP_BOTH);
	assert_int_equal(((const struct bgp_chan_config *)b4->channels->opts)->add_path, BGP_AP_OFF);
	/* the static protocol before any 1.x sign gets its implicit channel too */
	assert_non_null(s->channels);
	assert_int_equal(s->channels->family, CF_AF_IPV4);
	config_free(c);

	/* bird6: the whole 1.x config is IPv6 */
	c = parse_ok("router id 1.2.3.4;\nprotocol device {}\n"
		     "protocol kernel k { persist; export all; }\n", CF_IPV6_DEFAULT);
	assert_int_equal(proto(c, "k")->channels->family, CF_AF_IPV6);
	config_free(c);
}

static void
test_kernel_static_pipe(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"ipv4 table t2;\n"
		"protocol device { interface \"eth*\" { preferred 10.0.0.1; }; }\n"
		"protocol kernel k { ipv4 { export all; }; learn all; kernel table 10; }\n"
		"protocol static st { ipv4; route 10.0.0.0/8 via 192.0.2.1 via 192.0.2.2 weight 3; }\n"
		"protocol pipe p { table master4; peer table t2; export none; }\n", 0);
	const struct krt_config *k = proto(c, "k")->opts;
	const struct static_config *s = proto(c, "st")->opts;
	struct proto_config *p = proto(c, "p");
	const struct pipe_config *pp = p->opts;
	const struct dev_config *d = proto(c, "device1")->opts;

	assert_int_equal(k->learn, 2);
	assert_int_equal(k->table_id, 10);
	assert_int_equal(k->scan_time, 60);
	assert_non_null(s->routes);
	assert_non_null(s->routes->nh->next);
	assert_int_equal(s->routes->nh->next->weight, 3);
	assert_string_equal(pp->peer->name, "t2");
	assert_string_equal(p->channels->table->name, "master4");
	assert_int_equal(p->channels->out.kind, CHF_NONE);
	assert_false(p->v1);
	assert_string_equal(d->ifaces->patts->pattern, "eth*");
	config_free(c);
}

/* next hops with interfaces, weights, onlink, bfd; attribute blocks kept
 * as inline filters; igp tables by family */
static void
test_static_routes(void **state)
{
	(void)state;
	struct config *c = parse_ok(
		"ipv6 table t6;\n"
		"protocol static st {\n"
		"  ipv6; igp table master4; igp table t6;\n"
		"  route 2001:db8::/48 via fe80::1%eth0 weight 2 onlink via \"eth1\" bfd { bgp_med = 5; };\n"
		"  route 2001:db8:1::/48 via fe80::2 % 'eth0.1';\n"
		"}\n", 0);
	const struct static_config *s = proto(c, "st")->opts;
	const struct static_route *r = s->routes;

	assert_string_equal(s->igp_table[0]->name, "master4");
	assert_string_equal(s->igp_table[1]->name, "t6");
	assert_string_equal(r->nh->iface, "eth0");
	assert_int_equal(r->nh->weight, 2);
	assert_true(r->nh->onlink);
	assert_false(r->nh->bfd);
	assert_string_equal(r->nh->next->iface, "eth1");
	assert_true(ip_eq(r->nh->next->gw, (ip_addr){ 0 }));
	assert_true(r->nh->next->bfd);
	assert_non_null(r->attrs);
	assert_int_equal(r->attrs->kind, FF_CMDS);
	/* compiled into the config's program as it was read; the tree is gone */
	assert_null(r->attrs->body);
	const struct vm_func *f = vm_find_spec(c->prog, r->attrs);
	assert_non_null(f);
	char txt[1024] = "";
	FILE *m = fmemopen(txt, sizeof txt - 1, "w");
	vm_disasm(c->prog, f, m);
	fclose(m);
	assert_non_null(strstr(txt, "bgp_med"));
	assert_string_equal(r->next->nh->iface, "eth0.1");
	assert_null(r->next->attrs);
	config_free(c);
}

/* BIRD 1.x took any hold time: a 1.x config keeps it, a BIRD 2 one not */
static void
test_v1_bounds(void **state)
{
	(void)state;
	struct cf_error *e = NULL;
	struct config *c = parse_ok(
		"protocol bgp b1 { local as 1; neighbor 192.0.2.1 as 2; hold time 1; }\n"
		"protocol device { scan time 0; }\n"
		"protocol bgp b2 { local as 1; neighbor 192.0.2.2 as 2; import all; }\n", 0);
	const struct bgp_config *b = proto(c, "b1")->opts;

	assert_int_equal(b->hold_time, 1);
	config_free(c);
	c = cf_parse_string("t.conf",
		"protocol bgp { local as 1; neighbor 192.0.2.1 as 2; hold time 1;\n"
		"  ipv4 { import all; export none; }; }\n", 0, &e);
	assert_null(c);
	assert_non_null(e);
	assert_int_equal(e->line, 1);
	assert_string_equal(e->msg, "Hold time must be in range 3-65535 or zero");
	cf_errors_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_channels),
		cmocka_unit_test(test_template_inheritance),
		cmocka_unit_test(test_v1_implicit_channel),
		cmocka_unit_test(test_kernel_static_pipe),
		cmocka_unit_test(test_static_routes),
		cmocka_unit_test(test_v1_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
