/*
 * The filter compiler: the typed syntax tree of lang/ast.h to bytecode for
 * the stack machine of vm/opcodes.def. One pass per filter or function:
 * an expression leaves exactly one value on the operand stack, a
 * statement leaves none. Jumps are emitted with a placeholder and patched
 * when their target is known. Constants (sets compiled to tries and
 * interval sets, constant path masks compiled to matchers) go into the
 * program's constant pool; a path mask with run-time items becomes a
 * template that MASK fills in. A `for` loop gets two hidden frame slots
 * (the list and the index) above the AST's own slots. Every function is
 * run through the verifier before the program is handed out.
 *
 * The small emit API (emit, emit_jump/patch, add_const, hidden slot) is
 * all the tree walk uses; nothing here runs at filter time. A function's
 * code and lines end in one block of the program's pool (settle); scalar
 * constants are shared program-wide; the program's arrays are charged to
 * the config's memory. A program may grow: the parser compiles each static
 * route block as it reads it (vm_prog_open), a call adds the function it
 * needs, and vm_prog_complete adds every filter and function not yet in.
 */
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/mem.h"
#include "lang/ast.h"
#include "lang/lang.h"
#include "vm/vm_int.h"

struct cstate {
	struct vm_prog *p;
	struct vm_func *f;
	unsigned cap;		/* room in f->code / f->lines (malloc'd while
				   compiling, moved to the pool at the end) */
	unsigned nslots;	/* the AST's frame slots plus hidden ones */
	int line;		/* line of what is being emitted */
	bool failed;		/* an error was recorded in p->err */
	unsigned kbase;		/* p->nk when this function began */
};

static void *
grow(void *arr, unsigned *cap, unsigned need, size_t size)
{
	if (need <= *cap)
		return arr;
	unsigned n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	arr = xrealloc(arr, n * size);
	*cap = n;
	return arr;
}

/* grow() for the program's own arrays, which live as long as the program:
 * charged to the config's memory as `show memory` counts it */
static void *
grow_prog(void *arr, unsigned *cap, unsigned need, size_t size)
{
	unsigned old = *cap;

	arr = grow(arr, cap, need, size);
	if (*cap != old)
		mem_charge(MEM_CONFIG, (long)((*cap - old) * size), 0);
	return arr;
}

static void
fail(struct cstate *c, const char *msg)
{
	if (!c->failed)
		snprintf(c->p->err, sizeof c->p->err, "%s, line %d: %s",
			 c->f ? c->f->name : "?", c->line, msg);
	c->failed = true;
}

/* ---- the emit API ---- */

static unsigned
emit(struct cstate *c, enum vm_opcode op, uint32_t a)
{
	struct vm_func *f = c->f;
	unsigned cap = c->cap;

	if (a > VM_A_MAX) {
		fail(c, "operand too large");
		a = 0;
	}
	f->code = grow(f->code, &cap, f->ncode + 1, sizeof *f->code);
	cap = c->cap;
	f->lines = grow(f->lines, &cap, f->ncode + 1, sizeof *f->lines);
	c->cap = cap;
	f->code[f->ncode] = VM_INSN(op, a);
	f->lines[f->ncode] = (uint32_t)(c->line > 0 ? c->line : 0);
	return f->ncode++;
}

static unsigned
here(const struct cstate *c)
{
	return c->f->ncode;
}

static void
patch(struct cstate *c, unsigned at, unsigned target)
{
	c->f->code[at] = VM_INSN(VM_OP(c->f->code[at]), target);
}

/*
 * Scalar constants are shared by the whole program through a table of
 * hints: a direct-mapped hash of the value to its index in p->k. The table
 * serves one program at a time (it is cleared when another one compiles,
 * and forgotten when that one is freed); p->k only grows, so a hint names
 * an equal value, checked from the hint's own copy of the value without a
 * read of p->k (a cache miss per constant in a big program). A config of
 * many static route blocks repeats the same origins, next hops, MEDs, ASNs
 * and communities; vm_func_same compares constants by value, so where a
 * constant sits does not matter.
 */
enum { KHINT_SIZE = 1 << 16 };
struct khint {
	uint64_t lo, hi;		/* the value: 4, 8, 12 or 16 bytes of it */
	uint32_t type;			/* its enum f_type */
	uint32_t idx;			/* its index in p->k + 1; 0: empty */
};
static struct khint *khint;		/* KHINT_SIZE of them, made on first use */
static const struct vm_prog *khint_prog;	/* the program they index */

/* v as a hint (idx left 0) when it is a scalar the hints cover */
static bool
scalar_key(const struct f_val *v, struct khint *k)
{
	*k = (struct khint){ .type = v->type };
	switch (v->type) {
	case T_INT: case T_BOOL: case T_PAIR: case T_QUAD:
		k->lo = v->v.i;
		return true;
	case T_EC:
		k->lo = v->v.ec;
		return true;
	case T_RD:
		k->lo = v->v.rd;
		return true;
	case T_LC:
		k->lo = (uint64_t)v->v.lc.asn << 32 | v->v.lc.ldp1;
		k->hi = v->v.lc.ldp2;
		return true;
	case T_IP:
		k->lo = (uint64_t)v->v.ip.w[0] << 32 | v->v.ip.w[1];
		k->hi = (uint64_t)v->v.ip.w[2] << 32 | v->v.ip.w[3];
		return true;
	default:
		k->lo = v->v.i;
		return v->type >= T_ENUM_RTS && v->type < T__COUNT;
	}
}

static unsigned
add_const(struct cstate *c, const struct f_val *v)
{
	struct vm_prog *p = c->p;
	struct khint k;

	if (scalar_key(v, &k)) {
		if (!khint) {
			khint = xzalloc(KHINT_SIZE * sizeof *khint);
			mem_charge(MEM_MISC, KHINT_SIZE * sizeof *khint, 0);
		}
		if (khint_prog != p) {
			memset(khint, 0, KHINT_SIZE * sizeof *khint);
			khint_prog = p;
		}
		uint64_t h = (k.lo ^ k.hi * 0xff51afd7ed558ccdULL ^ (uint64_t)k.type << 56) *
			     0x9e3779b97f4a7c15ULL;
		struct khint *e = &khint[h >> 48];
		if (e->idx && e->lo == k.lo && e->hi == k.hi && e->type == k.type)
			return e->idx - 1;
		p->k = grow_prog(p->k, &p->capk, p->nk + 1, sizeof *p->k);
		p->k[p->nk] = *v;
		*e = k;
		e->idx = p->nk + 1;
		return p->nk++;
	}
	/* others: reuse an equal constant of this function's last few (a
	 * search of the whole pool made 200,000 route blocks quadratic) */
	unsigned from = p->nk - c->kbase > 64 ? p->nk - 64 : c->kbase;
	for (unsigned i = from; i < p->nk; i++)
		if (p->k[i].type == v->type && v->type != T_SET && v->type != T_PREFIX_SET &&
		    v->type != T_PATH_MASK && v->type != T_STRING && v->type != T_VOID &&
		    !memcmp(&p->k[i], v, sizeof *v))
			return i;
	p->k = grow_prog(p->k, &p->capk, p->nk + 1, sizeof *p->k);
	p->k[p->nk] = *v;
	return p->nk++;
}

static unsigned
hidden_slots(struct cstate *c, unsigned n)
{
	unsigned s = c->nslots;
	c->nslots += n;
	return s;
}

/* ---- constants ---- */

static enum vm_iset_kind
iset_kind(enum f_type t)
{
	switch (t) {
	case T_PAIR: return VM_ISET_PAIR;
	case T_QUAD: return VM_ISET_QUAD;
	case T_EC: case T_RD: return VM_ISET_EC;	/* 64-bit keys */
	case T_LC: return VM_ISET_LC;
	case T_IP: return VM_ISET_IP;
	default: return VM_ISET_INT;	/* ints and enums */
	}
}

static struct vm_iset_key
iset_key(const struct f_val *v)
{
	switch (v->type) {
	case T_EC: return vm_iset_k64(v->v.ec);
	case T_RD: return vm_iset_k64(v->v.rd);
	case T_LC: return vm_iset_klc(v->v.lc.asn, v->v.lc.ldp1, v->v.lc.ldp2);
	case T_IP: return vm_iset_kip(v->v.ip);
	default: return vm_iset_k32(v->v.i);
	}
}

/* compile a parser's set value into pool; *out is the value to use */
struct vm_cset *
vm_cset_build(struct pool *pool, const struct f_val *v, struct f_val *out)
{
	const struct f_set *s = v->v.set;
	struct vm_cset *cs = pool_zalloc(pool, sizeof *cs);
	struct f_set *copy = pool_alloc(pool, sizeof *copy);

	*copy = *s;
	copy->vm = cs;
	cs->type = v->type;
	cs->src = s;
	if (v->type == T_PREFIX_SET) {
		cs->use_trie = !vm_trie_build(pool, s->p, s->n, &cs->t);
	} else {
		/* what can match: ranges of the set's type (lang's etype, as
		 * BIRD's root item decides) that are not reversed; the set
		 * prints from s, as written */
		struct vm_iset_range *r = xmalloc((s->n + 1) * sizeof *r);
		unsigned k = 0;
		for (unsigned i = 0; i < s->n; i++)
			if (s->r[i].from.type == s->etype && s->r[i].to.type == s->etype &&
			    val_compare(&s->r[i].from, &s->r[i].to) <= 0) {
				r[k].from = iset_key(&s->r[i].from);
				r[k++].to = iset_key(&s->r[i].to);
			}
		int e = vm_iset_build(pool, iset_kind(s->etype), r, k, &cs->is);
		free(r);
		if (e)
			return NULL;
	}
	*out = *v;
	out->v.set = copy;
	return cs;
}

static unsigned
const_val(struct cstate *c, const struct f_val *v)
{
	if ((v->type == T_SET || v->type == T_PREFIX_SET) && v->v.set && !v->v.set->vm) {
		struct f_val cv;
		if (!vm_cset_build(c->p->pool, v, &cv)) {
			fail(c, "cannot compile set");
			return add_const(c, v);
		}
		return add_const(c, &cv);
	}
	return add_const(c, v);
}

static void
emit_const(struct cstate *c, const struct f_val *v)
{
	emit(c, I_CONST, const_val(c, v));
}

static void
emit_void(struct cstate *c)
{
	struct f_val v = { .type = T_VOID };
	emit_const(c, &v);
}

static void
emit_str(struct cstate *c, const char *s)
{
	struct f_val v = { .type = T_STRING, .v.s = s };
	emit_const(c, &v);
}

/* the empty value of a list type, or void */
static void
empty_of(enum f_type t, struct f_val *v)
{
	*v = (struct f_val){ .type = T_VOID };
	if (t == T_PATH || t == T_CLIST || t == T_ECLIST || t == T_LCLIST) {
		v->type = t;
		v->v.d.p = "";
		v->v.d.len = 0;
	}
}

/* ---- attributes ---- */

struct ea_name {
	const char *name;
	uint16_t ea;
	uint8_t eaf, flags;
};

static const struct ea_name ea_names[] = {
	{ "bgp_origin", EA_BGP_ORIGIN, EAF_ENUM, 0x40 },
	{ "bgp_path", EA_BGP_AS_PATH, EAF_AS_PATH, 0x40 },
	{ "bgp_next_hop", EA_BGP_NEXT_HOP, EAF_IP, 0x40 },
	{ "bgp_med", EA_BGP_MED, EAF_INT, 0x80 },
	{ "bgp_local_pref", EA_BGP_LOCAL_PREF, EAF_INT, 0x40 },
	{ "bgp_atomic_aggr", EA_BGP_ATOMIC_AGGR, EAF_OPAQUE, 0x40 },
	{ "bgp_aggregator", EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0 },
	{ "bgp_community", EA_BGP_COMMUNITY, EAF_INT_SET, 0xc0 },
	{ "bgp_originator_id", EA_BGP_ORIGINATOR_ID, EAF_ROUTER_ID, 0x80 },
	{ "bgp_cluster_list", EA_BGP_CLUSTER_LIST, EAF_INT_SET, 0x80 },
	{ "bgp_ext_community", EA_BGP_EXT_COMMUNITY, EAF_EC_SET, 0xc0 },
	{ "bgp_aigp", EA_CODE(EAP_BGP, 26), EAF_OPAQUE, 0x80 },
	{ "bgp_large_community", EA_BGP_LARGE_COMMUNITY, EAF_LC_SET, 0xc0 },
	{ "bgp_otc", EA_CODE(EAP_BGP, 35), EAF_INT, 0xc0 },
};

static const struct { const char *name; uint8_t stat; } statics[] = {
	{ "net", VS_NET }, { "from", VS_FROM }, { "gw", VS_GW }, { "proto", VS_PROTO },
	{ "source", VS_SOURCE }, { "scope", VS_SCOPE }, { "dest", VS_DEST },
	{ "preference", VS_PREFERENCE }, { "ifname", VS_IFNAME }, { "ifindex", VS_IFINDEX },
	{ "igp_metric", VS_IGP_METRIC }, { "onlink", VS_ONLINK }, { "gw_mpls", VS_GW_MPLS },
};

static uint8_t
eaf_of(enum f_type t)
{
	switch (t) {
	case T_QUAD: return EAF_ROUTER_ID;
	case T_IP: return EAF_IP;
	case T_PATH: return EAF_AS_PATH;
	case T_CLIST: return EAF_INT_SET;
	case T_ECLIST: return EAF_EC_SET;
	case T_LCLIST: return EAF_LC_SET;
	case T_STRING: case T_VOID: case T_BYTESTRING: return EAF_OPAQUE;
	default:
		return t >= T_ENUM_RTS ? EAF_ENUM : EAF_INT;
	}
}

static unsigned
attr_index(struct cstate *c, const struct f_attr *fa)
{
	struct vm_prog *p = c->p;

	for (unsigned i = 0; i < p->nattrs; i++)
		if (p->attrs[i].fa == fa)
			return i;
	struct vm_attr a = { .fa = fa, .type = fa->type };
	if (fa->flags & FA_CUSTOM) {
		unsigned n = fa->id - F_ATTR_CUSTOM;
		a.ea = EA_CODE(0xf0 + ((n >> 8) & 0x0f), n & 0xff);
		a.eaf = eaf_of(fa->type);
	} else if (fa->flags & FA_STATIC || !strcmp(fa->name, "igp_metric")) {
		a.stat = VS_UNSUPPORTED;
		for (size_t i = 0; i < sizeof statics / sizeof statics[0]; i++)
			if (!strcmp(statics[i].name, fa->name))
				a.stat = statics[i].stat;
	} else {
		/* BGP's by their codes; the others by their stable id */
		a.ea = EA_CODE(0xe0 + (f_attr_id(fa) >> 8 & 0x0f), f_attr_id(fa) & 0xff);
		a.eaf = eaf_of(fa->type);
		for (size_t i = 0; i < sizeof ea_names / sizeof ea_names[0]; i++)
			if (!strcmp(ea_names[i].name, fa->name)) {
				a.ea = ea_names[i].ea;
				a.eaf = ea_names[i].eaf;
				a.flags = ea_names[i].flags;
			}
		if (!strncmp(fa->name, "krt_", 4))
			a.ea = EA_CODE(EAP_KRT, f_attr_id(fa) & 0xff);
	}
	p->attrs = grow_prog(p->attrs, &p->capattrs, p->nattrs + 1, sizeof *p->attrs);
	p->attrs[p->nattrs] = a;
	return p->nattrs++;
}

/* ---- functions ---- */

/*
 * Functions by their source node: an open-addressed hash of indices. An
 * entry whose function was dropped (compile_filter failed and nfn went
 * back) or replaced no longer matches its src and is passed over.
 */
static unsigned
src_hash(const void *src)
{
	uint64_t x = (uint64_t)(uintptr_t)src * 0x9e3779b97f4a7c15ULL;
	return (unsigned)(x >> 32);
}

static void
fidx_put(struct vm_prog *p, unsigned i)
{
	unsigned m = p->fidx_size - 1, h = src_hash(p->fn[i]->src) & m;

	while (p->fidx[h])
		h = (h + 1) & m;
	p->fidx[h] = i + 1;
}

static int
func_index(struct vm_prog *p, const void *src)
{
	if (!p->fidx_size)
		return -1;
	unsigned m = p->fidx_size - 1;
	for (unsigned h = src_hash(src) & m; p->fidx[h]; h = (h + 1) & m) {
		unsigned i = p->fidx[h] - 1;
		if (i < p->nfn && p->fn[i]->src == src)
			return (int)i;
	}
	return -1;
}

static struct vm_func *
new_func(struct vm_prog *p, const char *name, enum vm_func_kind kind, const void *src)
{
	struct vm_func *f = pool_zalloc(p->pool, sizeof *f);

	f->name = name;
	f->kind = (uint8_t)kind;
	f->src = src;
	p->fn = grow_prog(p->fn, &p->capfn, p->nfn + 1, sizeof *p->fn);
	p->fn[p->nfn++] = f;
	if (2 * p->nfn > p->fidx_size) {	/* keep the hash at most half full */
		unsigned old = p->fidx_size;
		free(p->fidx);
		p->fidx_size = old ? 2 * old : 64;
		p->fidx = calloc(p->fidx_size, sizeof *p->fidx);
		if (!p->fidx)
			abort();
		mem_charge(MEM_CONFIG, (long)((p->fidx_size - old) * sizeof *p->fidx), 0);
		for (unsigned i = 0; i < p->nfn; i++)
			fidx_put(p, i);
	} else {
		fidx_put(p, p->nfn - 1);
	}
	return f;
}

/* ---- the tree walk ---- */

static void expr(struct cstate *c, const struct f_node *n);
static void stmt(struct cstate *c, const struct f_node *n);
static int call_target(struct cstate *c, const struct cf_symbol *s);

static unsigned
exprs(struct cstate *c, const struct f_node *list)
{
	unsigned k = 0;
	for (const struct f_node *a = list; a; a = a->next, k++)
		expr(c, a);
	return k;
}

static void
path_mask(struct cstate *c, const struct f_node *n)
{
	const struct f_path_mask *m = n->mask;
	struct vm_mask_tmpl *t = pool_zalloc(c->p->pool, sizeof *t);

	t->n = m->n;
	t->item = pool_zalloc(c->p->pool, (m->n + 1) * sizeof *t->item);
	t->dyn = pool_zalloc(c->p->pool, m->n + 1);
	for (unsigned i = 0; i < m->n; i++) {
		const struct f_pm_item *it = &m->items[i];
		struct vm_pm_item *o = &t->item[i];
		const struct f_node *e = it->expr;
		switch (it->kind) {
		case PM_ASN:
			o->kind = VM_PM_ASN;
			o->from = o->to = it->asn;
			break;
		case PM_ASTERISK:
			o->kind = VM_PM_ASTERISK;
			break;
		case PM_QUESTION:
			o->kind = VM_PM_QUESTION;
			break;
		case PM_RANGE:
			o->kind = VM_PM_ASN;
			o->range = true;
			o->from = it->lo;
			o->to = it->hi;
			break;
		case PM_EXPR:
			o->kind = VM_PM_ASN;
			if (e && e->kind == N_CONST && e->val.type == T_INT) {
				o->from = o->to = e->val.v.i;
			} else if (e && e->kind == N_CONST && e->val.type == T_SET) {
				/* a defined int set by name: as `[...]` */
				struct f_val cv;
				struct vm_cset *cs = vm_cset_build(c->p->pool, &e->val, &cv);
				o->kind = VM_PM_SET;
				if (!cs)
					fail(c, "cannot compile set");
				else
					o->set = &cs->is;
			} else {
				t->dyn[i] = 1;
				t->ndyn++;
				expr(c, e);
			}
			break;
		case PM_SET:
			o->kind = VM_PM_SET;
			if (e && e->kind == N_CONST && e->val.type == T_SET) {
				struct f_val cv;
				struct vm_cset *cs = vm_cset_build(c->p->pool, &e->val, &cv);
				if (!cs)
					fail(c, "cannot compile set");
				else
					o->set = &cs->is;
			} else {
				t->dyn[i] = 2;
				t->ndyn++;
				expr(c, e);
			}
			break;
		}
	}
	if (!t->ndyn) {
		struct vm_path_mask *pm = pool_zalloc(c->p->pool, sizeof *pm);
		pm->n = t->n;
		pm->item = t->item;
		struct f_val v = { .type = T_PATH_MASK, .v.d = { pm, 0 } };
		emit(c, I_CONST, add_const(c, &v));
		return;
	}
	struct vm_prog *p = c->p;
	p->masks = grow_prog(p->masks, &p->capmasks, p->nmasks + 1, sizeof *p->masks);
	p->masks[p->nmasks] = t;
	emit(c, I_MASK, p->nmasks++);
}

static const enum vm_opcode method_op[M__COUNT] = {
	[M_LEN] = I_LEN, [M_FIRST] = I_FIRST, [M_LAST] = I_LAST,
	[M_LAST_NONAGG] = I_LASTNA, [M_ASN] = I_ASN, [M_DATA] = I_DATA,
	[M_DATA1] = I_DATA1, [M_DATA2] = I_DATA2, [M_IP] = I_IP, [M_MASK] = I_IPMASK,
	[M_TYPE] = I_TYPE, [M_MIN] = I_MIN, [M_MAX] = I_MAX, [M_IS_V4] = I_ISV4,
	[M_PREPEND] = I_PREPEND, [M_ADD] = I_LADD, [M_DELETE] = I_LDEL,
	[M_FILTER] = I_LFILTER,
};

static void
runtime_error(struct cstate *c, const char *msg)
{
	emit_str(c, msg);
	emit(c, I_ERROR, 1);
}

static void
method(struct cstate *c, const struct f_node *n)
{
	if (n->op < 0 || n->op >= M__COUNT) {
		runtime_error(c, "unknown method");
		return;
	}
	if (n->op == M_EMPTY) {
		struct f_val v;
		empty_of(n->a ? n->a->type : n->type, &v);
		emit_const(c, &v);
		return;
	}
	enum vm_opcode op = method_op[n->op];
	if (!op && f_net_method_error((enum f_method)n->op)) {
		/* ROA, VPN and SADR nets' accessors: Birch's nets are IP nets */
		expr(c, n->a);
		emit(c, I_POP, 0);
		runtime_error(c, f_net_method_error((enum f_method)n->op));
		return;
	}
	if (!op) {
		char *m = pool_printf(c->p->pool, "Method %s is not supported",
				      f_method_name((enum f_method)n->op));
		runtime_error(c, m);
		return;
	}
	expr(c, n->a);
	unsigned k = exprs(c, n->args);
	int want = vm_ops[op].pop - 1;
	for (; (int)k > want; k--)
		emit(c, I_POP, 0);
	for (; (int)k < want; k++)
		emit_void(c);
	emit(c, op, 0);
}

static void
expr(struct cstate *c, const struct f_node *n)
{
	int save = c->line;

	if (!n) {
		emit_void(c);
		return;
	}
	if (n->line > 0)
		c->line = n->line;
	switch (n->kind) {
	case N_CONST:
		emit_const(c, &n->val);
		break;
	case N_VAR: {
		const struct f_var *v = n->sym ? n->sym->u.ptr : NULL;
		if (!v || n->sym->class != SYM_VARIABLE)
			fail(c, "not a variable");
		else
			emit(c, I_LOAD, v->slot);
		break;
	}
	case N_ATTR:
		emit(c, I_GETATTR, attr_index(c, n->attr));
		break;
	case N_BINOP:
		switch (n->op) {
		case OP_AND:
		case OP_OR: {
			/* a; J(Z|NZ) short; b; JMP end; short: CONST false|true; end: */
			struct f_val b = { .type = T_BOOL, .v.i = n->op == OP_OR };
			expr(c, n->a);
			unsigned j = emit(c, n->op == OP_AND ? I_JZ : I_JNZ, 0);
			expr(c, n->b);
			unsigned e = emit(c, I_JMP, 0);
			patch(c, j, here(c));
			emit_const(c, &b);
			patch(c, e, here(c));
			break;
		}
		case OP_GT:
		case OP_GE:	/* as BIRD: b < a, right operand first */
			expr(c, n->b);
			expr(c, n->a);
			emit(c, n->op == OP_GT ? I_LT : I_LE, 0);
			break;
		default: {
			static const enum vm_opcode ops[] = {
				[OP_ADD] = I_ADD, [OP_SUB] = I_SUB, [OP_MUL] = I_MUL,
				[OP_DIV] = I_DIV, [OP_EQ] = I_EQ, [OP_NEQ] = I_NEQ,
				[OP_LT] = I_LT, [OP_LE] = I_LE, [OP_MATCH] = I_MATCH,
				[OP_NMATCH] = I_NMATCH,
			};
			expr(c, n->a);
			expr(c, n->b);
			if (n->op < 0 || (size_t)n->op >= sizeof ops / sizeof ops[0] || !ops[n->op])
				fail(c, "unknown operator");
			else
				emit(c, ops[n->op], 0);
		}
		}
		break;
	case N_NOT:
		expr(c, n->a);
		emit(c, I_NOT, 0);
		break;
	case N_PAIR:
		expr(c, n->a);
		expr(c, n->b);
		emit(c, I_PAIR, 0);
		break;
	case N_LC:
		expr(c, n->a);
		expr(c, n->b);
		expr(c, n->c);
		emit(c, I_LC, 0);
		break;
	case N_EC:
		expr(c, n->a);
		expr(c, n->b);
		emit(c, I_EC, (uint32_t)n->op);
		break;
	case N_EMPTY: {
		struct f_val v;
		empty_of(n->type, &v);
		emit_const(c, &v);
		break;
	}
	case N_PATH_MASK:
		path_mask(c, n);
		break;
	case N_METHOD:
		method(c, n);
		break;
	case N_CALL: {
		const struct f_function *fn = n->sym ? n->sym->u.ptr : NULL;
		int i = fn ? func_index(c->p, fn) : -1;
		if (i < 0 && fn)
			i = call_target(c, n->sym);
		if (i < 0) {
			fail(c, "unknown function");
			break;
		}
		unsigned k = exprs(c, n->args);
		if (k != fn->nargs)
			fail(c, "wrong number of arguments");
		emit(c, I_CALL, (uint32_t)i);
		break;
	}
	case N_DEFINED:
		emit(c, I_DEFINED, attr_index(c, n->attr));
		break;
	case N_ROA_CHECK: {
		unsigned k = exprs(c, n->args);
		for (; k > 2; k--)
			emit(c, I_POP, 0);
		for (; k < 2; k++)
			emit_void(c);
		emit(c, I_ROA, 0);
		break;
	}
	case N_FORMAT:
		expr(c, n->a);
		emit(c, I_FORMAT, 0);
		break;
	default:
		fail(c, "statement where a value is expected");
		emit_void(c);
		break;
	}
	c->line = save;
}

static void
block(struct cstate *c, const struct f_node *list)
{
	for (const struct f_node *s = list; s; s = s->next)
		stmt(c, s);
}

static void
case_stmt(struct cstate *c, const struct f_node *n)
{
	struct vm_prog *p = c->p;
	struct vm_case *t = pool_zalloc(p->pool, sizeof *t);
	unsigned narms = 0;
	const struct f_case *els = NULL;

	for (const struct f_case *k = n->cases; k; k = k->next)
		narms += !k->is_else;
	t->arm = pool_zalloc(p->pool, (narms + 1) * sizeof *t->arm);
	expr(c, n->a);
	p->cases = grow_prog(p->cases, &p->capcases, p->ncases + 1, sizeof *p->cases);
	p->cases[p->ncases] = t;
	emit(c, I_CASE, p->ncases++);

	unsigned *ends = xmalloc((narms + 2) * sizeof *ends), nend = 0;
	for (const struct f_case *k = n->cases; k; k = k->next) {
		if (k->is_else) {
			els = k;
			continue;
		}
		struct vm_case_arm *a = &t->arm[t->n++];
		a->target = here(c);
		if (k->labels.type == T_SET || k->labels.type == T_PREFIX_SET) {
			if (!vm_cset_build(p->pool, &k->labels, &a->labels))
				fail(c, "cannot compile case labels");
		}
		block(c, k->body->args);
		ends[nend++] = emit(c, I_JMP, 0);
	}
	t->dflt = here(c);
	if (els)
		block(c, els->body->args);
	for (unsigned i = 0; i < nend; i++)
		patch(c, ends[i], here(c));
	free(ends);
}

static void
for_stmt(struct cstate *c, const struct f_node *n)
{
	const struct f_var *v = n->sym ? n->sym->u.ptr : NULL;
	unsigned h = hidden_slots(c, 2);
	struct f_val zero = { .type = T_INT, .v.i = 0 };

	if (!v) {
		fail(c, "no loop variable");
		return;
	}
	expr(c, n->a);
	emit(c, I_STORE, h);
	emit_const(c, &zero);
	emit(c, I_STORE, h + 1);
	unsigned loop = emit(c, I_FORNEXT, h);
	unsigned out = emit(c, I_JZ, 0);
	emit(c, I_STORE, v->slot);
	if (n->b)
		stmt(c, n->b);
	emit(c, I_JMP, loop);
	patch(c, out, here(c));
	emit(c, I_POP, 0);		/* FORNEXT's placeholder element */
}

static void
stmt(struct cstate *c, const struct f_node *n)
{
	int save = c->line;

	if (n->line > 0)
		c->line = n->line;
	switch (n->kind) {
	case N_BLOCK:
		block(c, n->args);
		break;
	case N_DECL:
	case N_SET_VAR: {
		const struct f_var *v = n->sym ? n->sym->u.ptr : NULL;
		if (!v) {
			fail(c, "no variable");
			break;
		}
		if (n->kind == N_DECL && !n->a && !n->op) {
			/* BIRD 2.0.12 runs `TYPE NAME;` inside a body as an
			 * initialisation with no value: a runtime error */
			runtime_error(c, pool_printf(c->p->pool,
			    "Argument 1 of VAR_INIT must be of type %s, got type void",
			    f_type_name(v->type)));
			break;
		}
		if (n->a) {
			expr(c, n->a);
		} else {
			struct f_val e;
			empty_of(v->type, &e);
			emit_const(c, &e);
		}
		emit(c, I_STORE, v->slot);
		break;
	}
	case N_SET_ATTR:
		expr(c, n->a);
		emit(c, I_SETATTR, attr_index(c, n->attr));
		break;
	case N_UNSET:
		emit(c, I_UNSET, attr_index(c, n->attr));
		break;
	case N_IF: {
		expr(c, n->a);
		unsigned j = emit(c, I_JZ, 0);
		if (n->b)
			stmt(c, n->b);
		if (n->c) {
			unsigned e = emit(c, I_JMP, 0);
			patch(c, j, here(c));
			stmt(c, n->c);
			patch(c, e, here(c));
		} else {
			patch(c, j, here(c));
		}
		break;
	}
	case N_CASE:
		case_stmt(c, n);
		break;
	case N_FOR:
		for_stmt(c, n);
		break;
	case N_RETURN:
		if (c->f->kind == VMF_FILTER && !n->a) {
			emit(c, I_ACCEPT, 0);
			break;
		}
		expr(c, n->a);
		emit(c, I_RET, 0);
		break;
	case N_ACCEPT:
		emit(c, I_ACCEPT, exprs(c, n->args));
		break;
	case N_REJECT:
		emit(c, I_REJECT, exprs(c, n->args));
		break;
	case N_ERROR:
		emit(c, I_ERROR, exprs(c, n->args));
		break;
	case N_PRINT:
		emit(c, n->op ? I_PRINTLN : I_PRINT, exprs(c, n->args));
		break;
	case N_BT_ASSERT:
		expr(c, n->a);
		emit(c, I_ASSERT, 0);
		break;
	case N_CALL_STMT:
		expr(c, n->a);
		emit(c, I_POP, 0);
		break;
	default:	/* an expression as a statement: evaluate, drop */
		expr(c, n);
		emit(c, I_POP, 0);
		break;
	}
	c->line = save;
}

/* a compiled function's code and lines, grown by emit() in malloc'd
 * arrays, moved into one exact-size block of the program's pool (a
 * config of many static route blocks holds one function per route) */
static void
settle(struct cstate *c)
{
	struct vm_func *f = c->f;
	uint32_t *code = NULL;

	if (f->ncode) {
		code = pool_alloc(c->p->pool, 2 * f->ncode * sizeof *code);
		memcpy(code, f->code, f->ncode * sizeof *code);
		memcpy(code + f->ncode, f->lines, f->ncode * sizeof *code);
	}
	free(f->code);
	free(f->lines);
	f->code = code;
	f->lines = code ? code + f->ncode : NULL;
	c->cap = 0;
}

/* compile f's body (src a function, filter or term) and verify it; a
 * filter whose end accepts (FF_CMDS) accepts there, any other filter that
 * runs off its end is BIRD's runtime error */
static int
body(struct vm_prog *p, struct vm_func *f, const struct f_node *b, unsigned nslots, int line,
     bool end_accepts)
{
	struct cstate c = { .p = p, .f = f, .nslots = nslots, .line = line, .kbase = p->nk };

	if (f->kind == VMF_TERM) {
		expr(&c, b);
		emit(&c, I_RET, 0);
	} else {
		if (b)
			stmt(&c, b);
		if (f->kind == VMF_FILTER && end_accepts) {
			emit(&c, I_ACCEPT, 0);
		} else if (f->kind == VMF_FILTER) {
			emit_str(&c, "did not return accept nor reject");
			emit(&c, I_ERROR, 1);
		} else {
			emit_void(&c);
			emit(&c, I_RET, 0);
		}
	}
	f->nslots = c.nslots;
	settle(&c);
	if (c.failed)
		return -1;
	char err[200];
	if (vm_verify(p, f, err, sizeof err) < 0) {
		snprintf(p->err, sizeof p->err, "%s: bytecode refused: %s", f->name, err);
		return -1;
	}
	return 0;
}

static void
collect(const struct cf_symbol *s, void *arg)
{
	struct vm_prog *p = arg;

	if (s->class == SYM_FUNCTION && s->u.ptr) {
		const struct f_function *fn = s->u.ptr;
		struct vm_func *f = new_func(p, s->name, VMF_FUNCTION, fn);
		f->nargs = fn->nargs;
		f->nslots = fn->nslots;
		f->file = s->file;
	} else if (s->class == SYM_FILTER && s->u.ptr) {
		const struct f_filter *ff = s->u.ptr;
		struct vm_func *f = new_func(p, s->name, VMF_FILTER, ff);
		f->nslots = ff->nslots;
		f->file = s->file;
	}
}

static int
compile_filter(struct vm_prog *p, struct vm_func *f, const struct f_filter *ff)
{
	switch (ff->kind) {
	case FF_ALL:
	case FF_NONE: {
		struct cstate c = { .p = p, .f = f, .line = ff->line, .kbase = p->nk };
		emit(&c, ff->kind == FF_ALL ? I_ACCEPT : I_REJECT, 0);
		settle(&c);
		return vm_verify(p, f, p->err, sizeof p->err);
	}
	default:
		return body(p, f, ff->body, ff->nslots, ff->line, ff->kind == FF_CMDS);
	}
}

static int
compile_src(struct vm_prog *p, struct vm_func *f)
{
	if (f->kind == VMF_FUNCTION) {
		const struct f_function *fn = f->src;
		return body(p, f, fn->body, fn->nslots, fn->sym ? fn->sym->line : 0, false);
	}
	const struct f_filter *ff = f->src;
	return body(p, f, ff->body, ff->nslots, ff->line, ff->kind == FF_CMDS);
}

/* a function called before the program has it (a route block compiled
 * while the config is parsed calls one declared above it): added and
 * compiled now; its index, or -1 with the error in p->err */
static int
call_target(struct cstate *c, const struct cf_symbol *s)
{
	struct vm_prog *p = c->p;
	unsigned i = p->nfn;

	collect(s, p);
	if (p->nfn == i)
		return -1;
	if (compile_src(p, p->fn[i]) < 0) {
		c->failed = true;	/* p->err says why */
		return -1;
	}
	return (int)i;
}

struct vm_prog *
vm_prog_open(const struct config *conf)
{
	struct vm_prog *p = xzalloc(sizeof *p);

	p->conf = conf;
	p->pool = pool_new(MEM_CONFIG, "filters");
	return p;
}

/* every filter and function of the config not in p yet */
static void
collect_new(const struct cf_symbol *s, void *arg)
{
	struct vm_prog *p = arg;

	if ((s->class == SYM_FUNCTION || s->class == SYM_FILTER) && s->u.ptr &&
	    func_index(p, s->u.ptr) < 0)
		collect(s, p);
}

/* the growing arrays cut to what they hold (grow() doubles them) */
static void *
trim(void *arr, unsigned *cap, unsigned n, size_t size)
{
	if (!n || n == *cap)
		return arr;
	mem_charge(MEM_CONFIG, -(long)((*cap - n) * size), 0);
	*cap = n;
	return xrealloc(arr, n * size);
}

int
vm_prog_complete(struct vm_prog *p, char *err, size_t errlen)
{
	unsigned from = p->nfn;

	if (p->conf && p->conf->root)
		cf_walk_symbols(p->conf->root, collect_new, p);
	unsigned n = p->nfn;
	for (unsigned i = from; i < n; i++)
		if (compile_src(p, p->fn[i]) < 0) {
			if (err && errlen)
				snprintf(err, errlen, "%s", p->err);
			return -1;
		}
	p->k = trim(p->k, &p->capk, p->nk, sizeof *p->k);
	p->fn = trim(p->fn, &p->capfn, p->nfn, sizeof *p->fn);
	return 0;
}

struct vm_prog *
vm_compile(const struct config *conf, char *err, size_t errlen)
{
	struct vm_prog *p = vm_prog_open(conf);

	if (vm_prog_complete(p, err, errlen) < 0) {
		vm_prog_free(p);
		return NULL;
	}
	return p;
}

int
vm_compile_term(struct vm_prog *p, const struct f_node *n, struct vm_func **out)
{
	struct vm_func *f = new_func(p, "(eval)", VMF_TERM, n);
	*out = f;
	return body(p, f, n, 0, n ? n->line : 0, false);
}

const struct vm_func *
vm_find(const struct vm_prog *p, const char *name, enum vm_find_kind k)
{
	for (unsigned i = 0; i < p->nfn; i++) {
		const struct vm_func *f = p->fn[i];
		if (strcmp(f->name, name))
			continue;
		if ((f->kind == VMF_FILTER && (k & VM_FIND_FILTER)) ||
		    (f->kind == VMF_FUNCTION && (k & VM_FIND_FUNCTION)))
			return f;
	}
	return NULL;
}

const struct vm_func *
vm_find_spec(struct vm_prog *p, const struct f_filter *ff)
{
	if (!ff)
		return NULL;
	int i = func_index(p, ff);
	if (i >= 0)
		return p->fn[i];
	if (ff->kind == FF_ALL || ff->kind == FF_NONE)
		return NULL;
	if (ff->kind == FF_NAMED && ff->name)
		return vm_find(p, ff->name, VM_FIND_FILTER);
	if (ff->kind == FF_CMDS && !ff->body)
		return NULL;	/* compiled into its config's program, tree dropped */
	unsigned n = p->nfn;
	struct vm_func *f = new_func(p, ff->name ? ff->name : "(unnamed)", VMF_FILTER, ff);
	f->file = ff->file;
	if (compile_filter(p, f, ff) < 0) {
		p->nfn = n;	/* with any function it added on the way */
		return NULL;
	}
	return f;
}

/* two constants of the pool that compile the same */
static bool
const_same(const struct f_val *a, const struct f_val *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case T_VOID:
		return true;
	case T_STRING:
		return !strcmp(a->v.s, b->v.s);
	case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST: case T_BYTESTRING:
		return a->v.d.len == b->v.d.len &&
		       (!a->v.d.len || !memcmp(a->v.d.p, b->v.d.p, a->v.d.len));
	case T_PATH_MASK: {
		const struct vm_path_mask *x = a->v.d.p, *y = b->v.d.p;
		if (x->n != y->n)
			return false;
		for (unsigned i = 0; i < x->n; i++) {
			const struct vm_pm_item *s = &x->item[i], *t = &y->item[i];
			if (s->kind != t->kind || s->loop != t->loop || s->from != t->from ||
			    s->to != t->to || (s->set != t->set && (!s->set || !t->set)))
				return false;	/* two sets: compared by their text below */
		}
		char u[1024], v[1024];
		return vm_pm_format(x, u, sizeof u) < sizeof u &&
		       vm_pm_format(y, v, sizeof v) < sizeof v && !strcmp(u, v);
	}
	default:
		return val_same(a, b);
	}
}

bool
vm_func_same(const struct vm_prog *p, const struct vm_func *f, const struct vm_func *g)
{
	if (f == g)
		return true;
	if (f->nargs != g->nargs || f->ncode != g->ncode)
		return false;
	for (unsigned i = 0; i < f->ncode; i++) {
		uint32_t a = f->code[i], b = g->code[i];
		if (VM_OP(a) != VM_OP(b))
			return false;
		if (VM_OP(a) == I_CONST) {
			if (!const_same(&p->k[VM_A(a)], &p->k[VM_A(b)]))
				return false;
		} else if (VM_OP(a) == I_CASE || VM_OP(a) == I_MASK) {
			if (VM_A(a) != VM_A(b))	/* conservative: their own tables */
				return false;
		} else if (VM_A(a) != VM_A(b)) {
			return false;
		}
	}
	return true;
}

/* ---- the same filter in two programs (a reload's comparison) ---- */

/* the pair of functions being compared on the current path */
struct same_path {
	const struct same_path *up;
	const struct vm_func *f, *g;
};

static bool cross_same(const struct vm_prog *pa, const struct vm_func *f,
    const struct vm_prog *pb, const struct vm_func *g, const struct same_path *up);

static bool
attr_same(const struct vm_attr *a, const struct vm_attr *b)
{
	return a->type == b->type && a->stat == b->stat && a->eaf == b->eaf &&
	       a->flags == b->flags && a->ea == b->ea;
}

static bool
case_same(const struct vm_case *a, const struct vm_case *b)
{
	if (a->n != b->n || a->dflt != b->dflt)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (a->arm[i].target != b->arm[i].target ||
		    !const_same(&a->arm[i].labels, &b->arm[i].labels))
			return false;
	return true;
}

/* mask templates: items compared field by field; one with a set of ASNs
 * counts as changed (conservative: a reload too many, never one missed) */
static bool
mask_same(const struct vm_mask_tmpl *a, const struct vm_mask_tmpl *b)
{
	if (a->n != b->n || a->ndyn != b->ndyn)
		return false;
	for (unsigned i = 0; i < a->n; i++) {
		const struct vm_pm_item *x = &a->item[i], *y = &b->item[i];
		if (x->kind != y->kind || x->loop != y->loop || x->range != y->range ||
		    x->from != y->from || x->to != y->to || x->set || y->set ||
		    (a->dyn && b->dyn && a->dyn[i] != b->dyn[i]))
			return false;
	}
	return true;
}

static bool
cross_same(const struct vm_prog *pa, const struct vm_func *f, const struct vm_prog *pb,
	   const struct vm_func *g, const struct same_path *up)
{
	if (!f || !g)
		return f == g;
	for (const struct same_path *s = up; s; s = s->up)
		if (s->f == f && s->g == g)
			return true;	/* a recursive call: the same if all else is */
	if (f->kind != g->kind || f->nargs != g->nargs || f->ncode != g->ncode)
		return false;
	for (unsigned i = 0; i < f->ncode; i++) {
		uint32_t a = f->code[i], b = g->code[i], x = VM_A(a), y = VM_A(b);
		if (VM_OP(a) != VM_OP(b))
			return false;
		switch (vm_ops[VM_OP(a)].fmt) {
		case FMT_CONST:
			if (x >= pa->nk || y >= pb->nk || !const_same(&pa->k[x], &pb->k[y]))
				return false;
			break;
		case FMT_ATTR:
			if (x >= pa->nattrs || y >= pb->nattrs || !attr_same(&pa->attrs[x], &pb->attrs[y]))
				return false;
			break;
		case FMT_CASE:
			if (x >= pa->ncases || y >= pb->ncases || !case_same(pa->cases[x], pb->cases[y]))
				return false;
			break;
		case FMT_MASK:
			if (x >= pa->nmasks || y >= pb->nmasks || !mask_same(pa->masks[x], pb->masks[y]))
				return false;
			break;
		case FMT_FUNC:
			if (x >= pa->nfn || y >= pb->nfn)
				return false;
			break;		/* compared below, once this body is known equal */
		default:
			if (x != y)
				return false;
		}
	}
	struct same_path here = { up, f, g };
	for (unsigned i = 0; i < f->ncode; i++)
		if (vm_ops[VM_OP(f->code[i])].fmt == FMT_FUNC &&
		    !cross_same(pa, pa->fn[VM_A(f->code[i])], pb, pb->fn[VM_A(g->code[i])], &here))
			return false;
	return true;
}

bool
vm_func_same_in(const struct vm_prog *pa, const struct vm_func *f, const struct vm_prog *pb,
		const struct vm_func *g)
{
	if (pa == pb && f == g)
		return true;
	return cross_same(pa, f, pb, g, NULL);
}

void
vm_prog_free(struct vm_prog *p)
{
	if (!p)
		return;
	vm_state_free(p);
	if (khint_prog == p)
		khint_prog = NULL;	/* a program made later may get its address */
	/* code is in the pool (settle); the arrays were charged by grow_prog */
	mem_charge(MEM_CONFIG, -(long)(p->capfn * sizeof *p->fn + p->fidx_size * sizeof *p->fidx +
				       p->capk * sizeof *p->k + p->capcases * sizeof *p->cases +
				       p->capmasks * sizeof *p->masks +
				       p->capattrs * sizeof *p->attrs), 0);
	free(p->fn);
	free(p->fidx);
	free(p->k);
	free(p->cases);
	free(p->masks);
	free(p->attrs);
	pool_free(p->pool);
	free(p);
}
