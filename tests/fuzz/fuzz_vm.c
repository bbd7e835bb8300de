/*
 * libFuzzer: random bytecode to the VM verifier and, when it accepts the
 * code, to the interpreter (which must then never crash: budget, type
 * faults and stack checks end the run cleanly). The same code is also run
 * as a filter on a route, twice through the verdict cache (planned on
 * random code; the second run may take its result from the cache) and
 * once without it: the three results must be the same. And the code as
 * the peephole pass left it must do what the code as written does (runs
 * that hit the loop budget aside: threading jumps changes their count).
 * Two case tables come from the input too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/attr.h"
#include "lang/ast.h"
#include "tools/routes.h"
#include "vm/vm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct f_attr fa[] = {
	{ "net", T_NET, 0, 0 }, { "bgp_med", T_INT, 0, 0 },
	{ "bgp_path", T_PATH, 0, 0 }, { "preference", T_INT, 0, 0 },
};
static const struct vm_attr attrs[] = {
	{ &fa[0], T_NET, VS_NET, 0, 0, 0 },
	{ &fa[1], T_INT, VS_EA, EAF_INT, 0x80, EA_BGP_MED },
	{ &fa[2], T_PATH, VS_EA, EAF_AS_PATH, 0x40, EA_BGP_AS_PATH },
	{ &fa[3], T_INT, VS_PREFERENCE, 0, 0, 0 },
};

struct outcome {
	enum vm_verdict verdict;
	bool error;
	bool budget;		/* ended by the loop budget */
	struct rta *attrs;
	uint32_t pref;
	char out[128];
};

static void
run(struct vm_prog *p, const struct vm_func *f, const struct vm_route *r, struct outcome *o)
{
	struct vm_result res;

	vm_run_filter(p, f, r, &res);
	o->verdict = res.verdict;
	o->error = res.error;
	o->attrs = res.attrs;
	o->pref = res.preference;
	o->budget = res.msg && strstr(res.msg, "budget");
	memset(o->out, 0, sizeof o->out);
	memcpy(o->out, res.out, res.out_len < sizeof o->out ? res.out_len : sizeof o->out - 1);
}

static bool
same(const struct outcome *a, const struct outcome *b)
{
	return a->verdict == b->verdict && a->error == b->error && a->attrs == b->attrs &&
	       a->pref == b->pref && !strcmp(a->out, b->out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct f_val k[4] = {
		{ .type = T_INT, .v.i = 7 }, { .type = T_BOOL, .v.i = 1 },
		{ .type = T_STRING, .v.s = "x" }, { .type = T_PATH, .v.d = { "", 0 } },
	};
	static uint32_t code[64], lines[64];
	static net_addr net;
	static struct rta *route_attrs;
	unsigned n = (unsigned)(size / 4);

	if (!route_attrs) {
		const char *t = "10.1.0.0/16 bgp_path 64500 3356 bgp_med 5 bgp_community (1,2)";
		char err[ROUTE_ERR_MAX];
		if (route_parse(t, strlen(t), &net, &route_attrs, err) < 0)
			abort();
	}
	if (n < 3 || n > 64)
		return 0;
	memcpy(code, data, n * 4);
	/* two case tables from the first bytes: 0-2 arms each (labels that
	 * never match, so the default is taken) and targets that may be out
	 * of range (the verifier must refuse those) */
	static struct vm_case_arm arms[2][2];
	static struct vm_case cs[2];
	static struct vm_case *csp[2] = { &cs[0], &cs[1] };
	for (unsigned i = 0; i < 2; i++) {
		cs[i] = (struct vm_case){ .n = data[1 + i] % 3, .arm = arms[i],
					  .dflt = data[3 + i] % (n + 2) };
		for (unsigned j = 0; j < 2; j++)
			arms[i][j] = (struct vm_case_arm){ .labels = { .type = T_SET },
							   .target = data[5 + 2 * i + j] % (n + 2) };
	}
	struct vm_func f = { .name = "fuzz", .kind = VMF_FUNCTION, .nslots = data[0] % 4,
			     .ncode = n, .code = code, .lines = lines };
	struct vm_func *fs[1] = { &f };
	struct vm_prog p = { .k = k, .nk = 4, .fn = fs, .nfn = 1, .budget = 2000,
			     .attrs = (struct vm_attr *)attrs, .nattrs = 4, .cases = csp,
			     .ncases = 2 };
	char err[128];
	if (vm_verify(&p, &f, err, sizeof err) == 0) {
		struct f_val v;
		struct vm_result res;
		vm_run_function(&p, &f, &v, &res);
		vm_state_free(&p);
	}
	f.kind = VMF_FILTER;
	f.verified = false;
	if (vm_verify(&p, &f, err, sizeof err) == 0) {
		struct vm_route r = { .net = &net, .attrs = route_attrs, .preference = 100 };
		struct outcome a, b, c;
		run(&p, &f, &r, &a);
		run(&p, &f, &r, &b);
		vm_cache(&p, false);
		run(&p, &f, &r, &c);
		if (!same(&a, &c) || !same(&b, &c))
			abort();	/* the cache changed a result */
		rta_unref(a.attrs);
		rta_unref(b.attrs);
		rta_unref(c.attrs);
		vm_state_free(&p);
	}

	/* the peephole pass: the same code with and without it */
	static uint32_t code2[64], lines2[64];
	memcpy(code, data, n * 4);
	memcpy(code2, data, n * 4);
	struct vm_func g = f;
	g.code = code2;
	g.lines = lines2;
	g.verified = f.verified = false;
	fs[0] = &f;
	if (vm_verify_only(&p, &f, err, sizeof err) == 0) {
		struct vm_prog q = p;
		struct vm_func *gs[1] = { &g };
		q.fn = gs;
		if (vm_verify(&q, &g, err, sizeof err) != 0)
			abort();	/* the same words verified once */
		struct vm_route r = { .net = &net, .attrs = route_attrs, .preference = 100 };
		struct outcome a, b;
		vm_cache(&p, false);
		vm_cache(&q, false);
		run(&p, &f, &r, &a);
		run(&q, &g, &r, &b);
		if (!a.budget && !b.budget && !same(&a, &b))
			abort();	/* the peephole pass changed a result */
		rta_unref(a.attrs);
		rta_unref(b.attrs);
		vm_state_free(&p);
		vm_state_free(&q);
	}
	return 0;
}
