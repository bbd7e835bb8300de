/*
 * The filter VM's interpreter: one dispatch loop over the instructions of
 * vm/opcodes.def, written once behind DISPATCH/CASE/NEXT (a switch by
 * default, computed goto with -DVM_COMPUTED_GOTO). Values live on one
 * stack of struct f_val: each call's frame (slots) then its operands.
 *
 * A run sees the route through (net, attrs): attribute reads go to the
 * interned set (or the builder once something was written) without
 * copying; the first write starts a copy-on-write builder, and an accepted
 * route with changes gets one new interned set at the end. Values created
 * during a run (lists, paths, strings) come from the program's scratch
 * pool, flushed at the start of the next run: nothing is allocated when
 * nothing is created. Every backward jump and call counts against a
 * budget (what can repeat; straight code is bounded by its length); faults
 * end the run with a message naming the function, line and opcode.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/tbuf.h"
#include "core/log.h"
#include "core/mem.h"
#include "lang/ast.h"
#include "vm/vm_int.h"

_Static_assert(I_NMATCHK - I_EQK == I_NMATCH - I_EQ && I_KNMATCH - I_KEQ == I_NMATCH - I_EQ,
	       "the fused comparisons follow the plain ones' order");

const struct vm_opinfo vm_ops[VM__COUNT] = {
#define X(n, fmt, pop, push, flags, syn) [I_##n] = { #n, FMT_##fmt, pop, push, flags, syn },
#include "vm/opcodes.def"
#undef X
};

struct vm_callrec {
	const struct vm_func *f;	/* the caller */
	unsigned pc, fp;		/* its resume point and frame */
};

struct vm_state {
	struct f_val stack[VM_STACK_MAX];	/* frames and operands */
	struct vm_callrec calls[VM_CALL_MAX];
	struct pool *scratch;		/* values made during a run */
	char *out;			/* print output */
	size_t out_len, out_cap;
	char msg[512];			/* reject or error message */
	char log_msg[512];		/* a runtime error as the daemon logs it */
	bool rej;			/* rejected without a message: rej_msg */
	const struct vm_func *rej_f;	/* the filter rej_msg names */
	char rej_msg[128];		/* "rejected by filter NAME" */
	/* the route */
	const struct vm_route *r;	/* NULL: no route (eval, tests) */
	struct rta_builder b;		/* copy on write, when building */
	bool building;
	uint32_t pref;
	bool scratch_used;		/* something in scratch to flush */
	/* the verdict cache */
	struct vm_vcmap *vcm;		/* by filter */
	const struct vm_func *mru_f[8];	/* the last filters looked up in vcm, */
	struct vm_vc *mru_vc[8];	/* by their address: their caches (or NULL) */
	bool no_cache;			/* vm_cache(p, false) */
	/* bt_assert */
	unsigned asserts_failed;
	int assert_line;		/* first failing line */
	char assert_lines[512];		/* every failing line */
};

enum end { END_ACCEPT, END_REJECT, END_RETURN, END_ERROR, END_SPLIT };

static struct vm_state *
state(struct vm_prog *p)
{
	if (!p->st) {
		p->st = xzalloc(sizeof *p->st);
		p->st->scratch = pool_new(MEM_MISC, "filter scratch");
	}
	return p->st;
}

void
vm_state_free(struct vm_prog *p)
{
	if (!p->st)
		return;
	if (p->st->building)
		rta_build_abort(&p->st->b);
	vm_vc_free(p->st->vcm);
	pool_free(p->st->scratch);
	free(p->st->out);
	free(p->st);
	p->st = NULL;
}

/* a value's memory for this run: the scratch pool, flushed by the next */
static void *
scratch(struct vm_state *st, size_t n)
{
	st->scratch_used = true;
	return pool_alloc(st->scratch, n);
}

static void *
scratch_z(struct vm_state *st, size_t n)
{
	st->scratch_used = true;
	return pool_zalloc(st->scratch, n);
}

/* ---- printing ---- */

static const uint8_t bird_enum_code[T__COUNT] = {
	[T_ENUM_RTS] = 0x30, [T_ENUM_BGP_ORIGIN] = 0x31, [T_ENUM_SCOPE] = 0x32,
	[T_ENUM_RTD] = 0x34, [T_ENUM_ROA] = 0x35, [T_ENUM_NET_TYPE] = 0x36,
	[T_ENUM_RA_PREFERENCE] = 0x37, [T_ENUM_AF] = 0x38,
};


typedef size_t (*fmt_fn)(const void *, char *, size_t);

static void
put_with(struct tbuf *o, size_t (*fn)(const void *, const void *, char *, size_t),
	 const void *a, const void *b)
{
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	char dummy[1];
	o->pos += fn(a, b, room ? o->buf + o->pos : dummy, room ? room : 1);
}

static size_t
f_trie(const void *a, const void *b, char *buf, size_t len)
{
	(void)b;
	return vm_trie_format(a, buf, len);
}

static size_t
f_mask(const void *a, const void *b, char *buf, size_t len)
{
	(void)b;
	return vm_pm_format(a, buf, len);
}

static size_t
f_path(const void *a, const void *b, char *buf, size_t len)
{
	const struct f_val *v = a;
	(void)b;
	return vm_path_format(v->v.d.p, v->v.d.len, buf, len);
}

static size_t
f_ec(const void *a, const void *b, char *buf, size_t len)
{
	(void)b;
	return vm_ec_format(*(const uint64_t *)a, buf, len);
}

static void
put_val(struct tbuf *o, const struct f_val *v)
{
	const uint32_t *w = v->v.d.p;

	switch (v->type) {
	case T_PATH:
		tbuf_printf(o, "(path ");
		put_with(o, f_path, v, NULL);
		tbuf_printf(o, ")");
		return;
	case T_CLIST:
		tbuf_printf(o, "(clist ");
		for (size_t i = 0; i < v->v.d.len / 4; i++)
			tbuf_printf(o, "%s(%u,%u)", i ? " " : "", w[i] >> 16, w[i] & 0xffff);
		tbuf_printf(o, ")");
		return;
	case T_ECLIST:
		tbuf_printf(o, "(eclist ");
		for (size_t i = 0; i < v->v.d.len / 8; i++) {
			uint64_t ec = (uint64_t)w[2 * i] << 32 | w[2 * i + 1];
			tbuf_printf(o, "%s", i ? " " : "");
			put_with(o, f_ec, &ec, NULL);
		}
		tbuf_printf(o, ")");
		return;
	case T_LCLIST:
		tbuf_printf(o, "(lclist ");
		for (size_t i = 0; i < v->v.d.len / 12; i++)
			tbuf_printf(o, "%s(%u, %u, %u)", i ? " " : "", w[3 * i], w[3 * i + 1], w[3 * i + 2]);
		tbuf_printf(o, ")");
		return;
	case T_EC:
		put_with(o, f_ec, &v->v.ec, NULL);
		return;
	case T_PATH_MASK:
		put_with(o, f_mask, v->v.d.p, NULL);
		return;
	case T_SET:
	case T_PREFIX_SET: {
		const struct vm_cset *cs = v->v.set ? v->v.set->vm : NULL;
		if (cs && v->type == T_PREFIX_SET && cs->use_trie) {
			put_with(o, f_trie, &cs->t, NULL);
			return;
		}
		if (v->type == T_SET && v->v.set) {
			/* the ranges as written, in BIRD's order (lang sorted them);
			 * reversed and mixed-type ones too, which match nothing */
			tbuf_printf(o, "[");
			for (unsigned i = 0; i < v->v.set->n; i++) {
				const struct f_range *r = &v->v.set->r[i];
				tbuf_printf(o, "%s", i ? ", " : "");
				put_val(o, &r->from);
				if (!val_same(&r->from, &r->to)) {
					tbuf_printf(o, "..");
					put_val(o, &r->to);
				}
			}
			tbuf_printf(o, "]");
			return;
		}
		break;
	}
	default:
		if (v->type < T__COUNT && bird_enum_code[v->type]) {
			tbuf_printf(o, "(enum %x)%u", bird_enum_code[v->type], v->v.i);
			return;
		}
		break;
	}
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	char dummy[1];
	o->pos += val_format(v, room ? o->buf + o->pos : dummy, room ? room : 1);
}

size_t
vm_val_format(const struct f_val *v, char *buf, size_t len)
{
	struct tbuf o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	put_val(&o, v);
	if (len && o.pos >= len)
		buf[len - 1] = 0;
	return o.pos;
}

static void
out_append(struct vm_state *st, const char *s, size_t n)
{
	if (st->out_len + n + 1 > VM_OUT_MAX)
		return;
	if (st->out_len + n + 1 > st->out_cap) {
		size_t c = st->out_cap ? st->out_cap : 256;
		while (c < st->out_len + n + 1)
			c *= 2;
		st->out = xrealloc(st->out, c);
		st->out_cap = c;
	}
	memcpy(st->out + st->out_len, s, n);
	st->out_len += n;
	st->out[st->out_len] = 0;
}

static void
out_val(struct vm_state *st, const struct f_val *v)
{
	char small[256];
	size_t n = vm_val_format(v, small, sizeof small);
	if (n < sizeof small) {
		out_append(st, small, n);
		return;
	}
	char *big = xmalloc(n + 1);
	vm_val_format(v, big, n + 1);
	out_append(st, big, n);
	free(big);
}

static const char *
val_text(struct vm_state *st, const struct f_val *v)
{
	if (v->type == T_STRING)
		return v->v.s;
	size_t n = vm_val_format(v, NULL, 0);
	char *b = scratch(st, n + 1);
	vm_val_format(v, b, n + 1);
	return b;
}

/* ---- values ---- */

static bool
list_type(enum f_type t)
{
	return t == T_PATH || t == T_CLIST || t == T_ECLIST || t == T_LCLIST;
}

static bool
same(const struct f_val *a, const struct f_val *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST: case T_BYTESTRING:
		return a->v.d.len == b->v.d.len &&
		       (!a->v.d.len || !memcmp(a->v.d.p, b->v.d.p, a->v.d.len));
	case T_PATH_MASK:
		return a->v.d.p == b->v.d.p;
	case T_VOID:
		return true;
	default:
		return val_same(a, b);
	}
}

static bool
ordered(enum f_type t)
{
	switch (t) {
	case T_INT: case T_BOOL: case T_PAIR: case T_QUAD: case T_STRING: case T_IP:
	case T_NET: case T_LC: case T_RD: case T_EC: case T_BYTESTRING:
		return true;
	default:
		return t >= T_ENUM_RTS;
	}
}

static bool
patt_match(const struct f_prefix_patt *pt, const net_addr *n)
{
	if (net_max_pxlen(&pt->net) != net_max_pxlen(n))
		return false;
	if (n->pxlen < pt->lo || n->pxlen > pt->hi)
		return false;
	unsigned l = n->pxlen < pt->net.pxlen ? n->pxlen : pt->net.pxlen;
	for (unsigned i = 0; i < l; i++)
		if (net_bit(n, i) != net_bit(&pt->net, i))
			return false;
	return true;
}

/* n ~ a prefix set: its trie, or its patterns one by one */
static bool
pset_has(const struct f_val *set, const net_addr *n)
{
	const struct vm_cset *cs = set->v.set ? set->v.set->vm : NULL;

	if (!cs)
		return false;
	if (cs->use_trie)
		return vm_trie_match(&cs->t, n);
	for (unsigned i = 0; i < cs->src->n; i++)
		if (patt_match(&cs->src->p[i], n))
			return true;
	return false;
}

bool
vm_set_has(const struct f_val *set, const struct f_val *v)
{
	const struct vm_cset *cs = set->v.set ? set->v.set->vm : NULL;

	if (!cs)
		return false;
	if (set->type == T_PREFIX_SET)
		return v->type == T_NET && pset_has(set, &v->v.net);
	if (cs->src->etype != v->type && cs->src->n)
		return false;
	switch (v->type) {
	case T_EC: return vm_iset_has64(&cs->is, v->v.ec);
	case T_RD: return vm_iset_has64(&cs->is, v->v.rd);
	case T_LC: return vm_iset_has128(&cs->is, vm_iset_klc(v->v.lc.asn, v->v.lc.ldp1, v->v.lc.ldp2));
	case T_IP: return vm_iset_has_ip(&cs->is, v->v.ip);
	case T_INT: case T_PAIR: case T_QUAD:
		return vm_iset_has32(&cs->is, v->v.i);
	default:
		return v->type >= T_ENUM_RTS && vm_iset_has32(&cs->is, v->v.i);
	}
}

static const struct vm_iset *
iset_of(const struct f_val *v)
{
	const struct vm_cset *cs = v->type == T_SET && v->v.set ? v->v.set->vm : NULL;
	return cs ? &cs->is : NULL;
}

/* BIRD's string patterns: `*` any run, `?` one character, `\` quotes the
 * next; nothing else is special (no [classes], unlike fnmatch) */
static bool
patmatch(const char *p, const char *s)
{
	while (*p) {
		if (*p == '?' && *s) {
			p++, s++;
		} else if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			for (; *s; s++)
				if (patmatch(p, s))
					return true;
			return false;
		} else {
			if (*p == '\\' && p[1])
				p++;
			if (*p++ != *s++)
				return false;
		}
	}
	return !*s;
}

/* b ~ a: 1, 0, or -1 when the types do not go together */
static int
match(const struct f_val *b, const struct f_val *a)
{
	const uint32_t *w = b->v.d.p, *x = a->v.d.p;

	switch (a->type) {
	case T_SET:
		switch (b->type) {
		case T_PATH: return iset_of(a) && vm_path_any_in(b->v.d.p, b->v.d.len, iset_of(a));
		case T_CLIST: return iset_of(a) && vm_iset_clist_any(iset_of(a), w, b->v.d.len / 4);
		case T_ECLIST: return iset_of(a) && vm_iset_eclist_any(iset_of(a), w, b->v.d.len / 8);
		case T_LCLIST: return iset_of(a) && vm_iset_lclist_any(iset_of(a), w, b->v.d.len / 12);
		default: return vm_set_has(a, b);
		}
	case T_PREFIX_SET:
		return b->type == T_NET ? vm_set_has(a, b) : -1;
	case T_PATH_MASK:
		return b->type == T_PATH ? vm_pm_match(a->v.d.p, b->v.d.p, b->v.d.len) : -1;
	case T_STRING:
		return b->type == T_STRING ? patmatch(a->v.s, b->v.s) : -1;
	case T_NET:
		if (b->type == T_IP)
			return net_contains_ip(&a->v.net, b->v.ip);
		if (b->type == T_NET)
			return net_contains(&a->v.net, &b->v.net);
		return -1;
	case T_PATH:
		return b->type == T_INT ? vm_path_contains(a->v.d.p, a->v.d.len, b->v.i) : -1;
	case T_CLIST:
		if (b->type == T_PAIR || b->type == T_QUAD || (b->type == T_IP && ip_is4(b->v.ip))) {
			uint32_t k = b->type == T_IP ? ip4_to_u32(b->v.ip) : b->v.i;	/* as a quad */
			for (size_t i = 0; i < a->v.d.len / 4; i++)
				if (x[i] == k)
					return 1;
			return 0;
		}
		return -1;
	case T_ECLIST:
		if (b->type == T_EC) {
			for (size_t i = 0; i < a->v.d.len / 8; i++)
				if (((uint64_t)x[2 * i] << 32 | x[2 * i + 1]) == b->v.ec)
					return 1;
			return 0;
		}
		return -1;
	case T_LCLIST:
		if (b->type == T_LC) {
			for (size_t i = 0; i < a->v.d.len / 12; i++)
				if (x[3 * i] == b->v.lc.asn && x[3 * i + 1] == b->v.lc.ldp1 &&
				    x[3 * i + 2] == b->v.lc.ldp2)
					return 1;
			return 0;
		}
		return -1;
	default:
		return -1;
	}
}

/* list element width in 32-bit words */
static unsigned
elem_words(enum f_type t)
{
	return t == T_CLIST ? 1 : t == T_ECLIST ? 2 : 3;
}

static void
elem_words_of(const struct f_val *e, uint32_t out[3])
{
	switch (e->type) {
	case T_EC: out[0] = (uint32_t)(e->v.ec >> 32); out[1] = (uint32_t)e->v.ec; break;
	case T_LC: out[0] = e->v.lc.asn; out[1] = e->v.lc.ldp1; out[2] = e->v.lc.ldp2; break;
	case T_IP: out[0] = ip4_to_u32(e->v.ip); break;	/* IPv4 only (elem_fits) */
	default: out[0] = e->v.i; break;
	}
}

static void
elem_val(enum f_type list, const uint32_t *w, struct f_val *v)
{
	switch (list) {
	case T_CLIST: *v = (struct f_val){ .type = T_PAIR, .v.i = w[0] }; break;
	case T_ECLIST: *v = (struct f_val){ .type = T_EC, .v.ec = (uint64_t)w[0] << 32 | w[1] }; break;
	default: *v = (struct f_val){ .type = T_LC, .v.lc = { w[0], w[1], w[2] } }; break;
	}
}

static bool
elem_fits(enum f_type list, const struct f_val *e)
{
	return (list == T_CLIST && (e->type == T_PAIR || e->type == T_QUAD ||
				    (e->type == T_IP && ip_is4(e->v.ip)))) ||
	       (list == T_ECLIST && e->type == T_EC) || (list == T_LCLIST && e->type == T_LC);
}

static bool
has_words(const uint32_t *l, size_t n, unsigned k, const uint32_t *e)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(l + i * k, e, k * 4))
			return true;
	return false;
}

/* add / delete / filter on a community list: 0 or -1 (types) */
static int
list_op(struct vm_state *st, enum vm_opcode op, const struct f_val *l, const struct f_val *x,
	struct f_val *res)
{
	unsigned k = elem_words(l->type);
	size_t n = l->v.d.len / (4 * k);
	const uint32_t *w = l->v.d.p;
	size_t xn = x->type == l->type ? x->v.d.len / (4 * k) : 1;
	uint32_t *o = scratch(st, (n + xn) * k * 4 + 4);
	size_t m = 0;
	uint32_t e[3] = { 0, 0, 0 };

	*res = *l;
	if (op == I_LADD) {
		if (x->type == l->type) {
			memcpy(o, w, n * k * 4);
			m = n;
			for (size_t i = 0; i < xn; i++) {
				const uint32_t *xe = (const uint32_t *)x->v.d.p + i * k;
				if (!has_words(o, m, k, xe))
					memcpy(o + k * m++, xe, k * 4);
			}
		} else if (elem_fits(l->type, x)) {
			elem_words_of(x, e);
			if (has_words(w, n, k, e))
				return 0;
			memcpy(o, w, n * k * 4);
			memcpy(o + n * k, e, k * 4);
			m = n + 1;
		} else
			return -1;
	} else {
		bool keep = op == I_LFILTER;
		const struct vm_iset *s = iset_of(x);
		if (x->type == T_SET && s) {
			if (l->type == T_CLIST)
				m = vm_iset_clist_filter(s, w, n, o, keep);
			else if (l->type == T_ECLIST)
				m = vm_iset_eclist_filter(s, w, n, o, keep);
			else
				m = vm_iset_lclist_filter(s, w, n, o, keep);
		} else if (x->type == l->type) {
			for (size_t i = 0; i < n; i++)
				if (has_words(x->v.d.p, xn, k, w + i * k) == keep)
					memcpy(o + k * m++, w + i * k, k * 4);
		} else if (elem_fits(l->type, x) && !keep) {
			elem_words_of(x, e);
			for (size_t i = 0; i < n; i++)
				if (memcmp(w + i * k, e, k * 4))
					memcpy(o + k * m++, w + i * k, k * 4);
		} else
			return -1;
	}
	res->v.d.p = o;
	res->v.d.len = (uint32_t)(m * k * 4);
	return 0;
}

/* ---- the route ---- */

static bool
read_ea(struct vm_state *st, unsigned id, struct ea_val *ev)
{
	if (st->building)
		return rta_build_get(&st->b, id, ev);
	return st->r->attrs && rta_get(st->r->attrs, id, ev);
}

const char *(*vm_ifname)(uint32_t ifindex);
bool (*vm_nexthop)(ip_addr gw, const char *ifname, uint32_t *ifindex);

static inline __attribute__((always_inline)) int
get_attr(struct vm_state *st, const struct vm_attr *a, struct f_val *v)
{
	struct ea_val ev;
	const struct rta *base = st->r->attrs;

	*v = (struct f_val){ .type = T_VOID };
	switch (a->stat) {
	case VS_NET:
		v->type = T_NET;
		v->v.net = *st->r->net;
		return 0;
	case VS_FROM:
		v->type = T_IP;
		v->v.ip = st->r->from;
		return 0;
	case VS_GW:
		v->type = T_IP;
		if (st->building && st->b.nh_count)
			v->v.ip = st->b.nh[0].gw;
		else if (base && base->nh_count)
			v->v.ip = rta_nexthops(base)[0].gw;
		return 0;
	case VS_PROTO:
		v->type = T_STRING;
		v->v.s = st->r->proto ? st->r->proto : "";
		return 0;
	case VS_SOURCE:
		v->type = T_ENUM_RTS;
		v->v.i = st->building ? st->b.source : base ? base->source : 0;
		return 0;
	case VS_SCOPE:
		v->type = T_ENUM_SCOPE;
		v->v.i = st->building ? st->b.scope : base ? base->scope : SCOPE_UNIVERSE;
		return 0;
	case VS_DEST:
		v->type = T_ENUM_RTD;
		v->v.i = st->building ? st->b.dest : base ? base->dest : 0;
		return 0;
	case VS_PREFERENCE:
		v->type = T_INT;
		v->v.i = st->pref;
		return 0;
	case VS_IFNAME:
	case VS_IFINDEX: {	/* the first next hop's interface, as BIRD reads it */
		const struct nexthop *nh = st->building && st->b.nh_count ? &st->b.nh[0] :
			base && base->nh_count ? &rta_nexthops(base)[0] : NULL;
		const char *name = nh && vm_ifname ? vm_ifname(nh->ifindex) : NULL;
		if (a->stat == VS_IFINDEX) {
			v->type = T_INT;
			v->v.i = nh ? nh->ifindex : 0;
		} else {
			v->type = T_STRING;
			v->v.s = name ? name : "";
		}
		return 0;
	}
	case VS_IGP_METRIC:
		v->type = T_INT;
		v->v.i = st->building ? st->b.igp_metric : base ? rta_igp_metric(base) : 0;
		return 0;
	case VS_ONLINK: {	/* the first next hop's flag, as BIRD reads it */
		const struct nexthop *nh = st->building && st->b.nh_count ? &st->b.nh[0] :
			base && base->nh_count ? &rta_nexthops(base)[0] : NULL;
		v->type = T_BOOL;
		v->v.i = nh && (nh->flags & RNF_ONLINK);
		return 0;
	}
	case VS_GW_MPLS:	/* Birch's next hops carry no labels: BIRD reads 0 */
		v->type = T_INT;
		v->v.i = 0;
		return 0;
	case VS_UNSUPPORTED:
		return -1;
	}
	if (!read_ea(st, a->ea, &ev)) {
		/* BIRD reads an unset list as empty */
		if (list_type(a->type)) {
			v->type = a->type;
			v->v.d.p = "";
		}
		return 0;
	}
	switch (ev.type) {
	case EAF_INT: case EAF_ROUTER_ID: case EAF_ENUM:
		v->type = a->type == T_VOID ? T_INT : a->type;
		v->v.i = ev.i;
		if (a->type == T_BOOL)
			v->v.i = !!ev.i;
		return 0;
	case EAF_IP:
		v->type = T_IP;
		if (ev.len >= sizeof(ip_addr))
			memcpy(&v->v.ip, ev.data, sizeof(ip_addr));
		return 0;
	case EAF_AS_PATH: case EAF_INT_SET: case EAF_EC_SET: case EAF_LC_SET:
		v->type = ev.type == EAF_AS_PATH ? T_PATH : ev.type == EAF_INT_SET ? T_CLIST :
			  ev.type == EAF_EC_SET ? T_ECLIST : T_LCLIST;
		v->v.d.p = ev.data ? ev.data : "";
		v->v.d.len = ev.len;
		return 0;
	default:
		if (a->type == T_STRING) {
			char *s = scratch(st, ev.len + 1);
			memcpy(s, ev.data, ev.len);
			s[ev.len] = 0;
			v->type = T_STRING;
			v->v.s = s;
		}
		return 0;
	}
}

static void
build(struct vm_state *st)
{
	if (!st->building) {
		rta_build_start(&st->b, st->r->attrs);
		st->building = true;
	}
}

/* the flags an attribute being set keeps: its current ones (the edit's,
 * else the base set's), else dflt; a flag lookup without reading the value */
static unsigned
old_flags(const struct rta_builder *b, unsigned id, unsigned dflt)
{
	for (unsigned i = 0; i < b->n_edits && b->edits[i].v.id <= id; i++)
		if (b->edits[i].v.id == id)
			return b->edits[i].unset ? dflt : b->edits[i].v.flags;
	const struct eattr *e = b->base ? ea_find(b->base, id) : NULL;
	return e ? e->flags : dflt;
}

static int
set_attr(struct vm_state *st, const struct vm_attr *a, const struct f_val *v)
{

	if (a->stat == VS_PREFERENCE) {
		if (v->type != T_INT)
			return -1;
		st->pref = v->v.i;
		return 0;
	}
	build(st);
	switch (a->stat) {
	case VS_SOURCE: if (v->type != T_ENUM_RTS) return -1; st->b.source = (uint8_t)v->v.i; return 0;
	case VS_SCOPE: if (v->type != T_ENUM_SCOPE) return -1; st->b.scope = (uint8_t)v->v.i; return 0;
	case VS_DEST: if (v->type != T_ENUM_RTD) return -1; st->b.dest = (uint8_t)v->v.i; return 0;
	case VS_IGP_METRIC: if (v->type != T_INT) return -1; st->b.igp_metric = v->v.i; return 0;
	case VS_GW: {
		if (v->type != T_IP)
			return -1;
		struct nexthop *nh = scratch_z(st, sizeof *nh);
		nh->gw = v->v.ip;
		if (vm_nexthop && !vm_nexthop(v->v.ip, NULL, &nh->ifindex))
			return -2;
		rta_build_nexthops(&st->b, nh, 1);
		st->b.dest = RTD_UNICAST;
		return 0;
	}
	case VS_IFNAME: {	/* a direct next hop on that interface */
		if (v->type != T_STRING)
			return -1;
		struct nexthop *nh = scratch_z(st, sizeof *nh);
		if (!vm_nexthop || !vm_nexthop(nh->gw, v->v.s, &nh->ifindex))
			return -3;
		rta_build_nexthops(&st->b, nh, 1);
		st->b.dest = RTD_UNICAST;
		return 0;
	}
	case VS_EA:
		break;
	default:
		return -1;
	}
	if (v->type != a->type && !(a->type == T_QUAD && v->type == T_INT))
		return -1;
	unsigned flags = old_flags(&st->b, a->ea, a->flags);
	switch (a->eaf) {
	case EAF_INT: case EAF_ROUTER_ID: case EAF_ENUM:
		rta_build_set_int(&st->b, a->ea, a->eaf, flags, v->v.i);
		return 0;
	case EAF_IP: {
		ip_addr *ip = scratch(st, sizeof *ip);
		*ip = v->v.ip;
		rta_build_set_data(&st->b, a->ea, EAF_IP, flags, ip, sizeof *ip);
		return 0;
	}
	case EAF_OPAQUE:
		if (v->type == T_STRING) {
			rta_build_set_data(&st->b, a->ea, EAF_OPAQUE, flags, v->v.s,
					   (uint32_t)strlen(v->v.s));
			return 0;
		}
		return -1;
	default:
		rta_build_set_data(&st->b, a->ea, a->eaf, flags, v->v.d.p, v->v.d.len);
		return 0;
	}
}

/* ---- the loop ---- */

struct run {
	struct vm_prog *p;
	struct vm_state *st;
	const struct vm_func *f;	/* running now */
	unsigned pc;			/* of the faulting instruction */
	uint64_t steps;
	struct f_val ret;		/* END_RETURN: the value */
};

static enum end __attribute__((format(printf, 2, 3)))
fault(struct run *R, const char *fmt, ...)
{
	char m[300];
	va_list ap;
	const struct vm_func *f = R->f;
	unsigned pc = R->pc;

	unsigned line = pc < f->ncode ? f->lines[pc] : 0;
	const char *kind = f->kind == VMF_FUNCTION ? "function" : "filter";
	const char *op = pc < f->ncode ? vm_ops[VM_OP(f->code[pc])].name : "?";

	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	snprintf(R->st->msg, sizeof R->st->msg, "%s %s, line %u, %s: %s", kind, f->name, line, op, m);
	/* the log line begins as BIRD's does ("filters, line N: ..."), so
	 * what watches BIRD's log finds it; then where it happened */
	snprintf(R->st->log_msg, sizeof R->st->log_msg, "filters, line %u: %s (%s %s, %s)", line, m,
		 kind, f->name, op);
	return END_ERROR;
}

static void
join_text(struct vm_state *st, const struct f_val *v, unsigned n, bool nl)
{
	for (unsigned i = 0; i < n; i++)
		out_val(st, &v[i]);
	if (nl)
		out_append(st, "\n", 1);
}

/* GCC and Clang: dispatch by computed goto (one indirect jump per
 * instruction, no bounds check); -DVM_NO_COMPUTED_GOTO for the switch */
#if defined(__GNUC__) && !defined(VM_NO_COMPUTED_GOTO) && !defined(VM_COMPUTED_GOTO)
#define VM_COMPUTED_GOTO 1
#endif

#ifdef VM_COMPUTED_GOTO
#define DISPATCH()	do { w = code[pc++]; goto *labels[VM_OP(w)]; } while (0)
#define CASE(n)		L_##n:
#define NEXT		DISPATCH()
#define LOOP_BEGIN	DISPATCH();
#define LOOP_END
#define FALLTHROUGH	do { } while (0)
#else
#define DISPATCH()	w = code[pc++]; switch (VM_OP(w))
#define CASE(n)		case I_##n:
#define NEXT		continue
#define FALLTHROUGH	__attribute__((fallthrough))
#define LOOP_BEGIN	for (;;) { DISPATCH() {
#define LOOP_END	default: R->pc = pc - 1; return fault(R, "unknown opcode %u", VM_OP(w)); } }
#endif

#define A		VM_A(w)
/* the budget counts what can repeat: backward jumps and calls (straight
 * code is bounded by its length) */
#define GOTO(t)		do { unsigned t_ = (t); if (t_ < pc && !--budget) goto runaway; pc = t_; } while (0)
#define TOP		(S[sp - 1])
#define SEC		(S[sp - 2])
#define FAULT(...)	do { R->pc = pc - 1; R->f = f; return fault(R, __VA_ARGS__); } while (0)
#define NEED(v, t)	do { if ((v).type != (t)) FAULT("argument of type %s expected, got %s", \
			    f_type_name(t), f_type_name((v).type)); } while (0)
#define PUSHV(x)	(S[sp++] = (x))

static enum end
exec(struct run *R, const struct vm_func *f, unsigned fp, unsigned start)
{
#ifdef VM_COMPUTED_GOTO
	static const void *const labels[VM__COUNT] = {
#define X(n, fmt, pop, push, flags, syn) [I_##n] = &&L_##n,
#include "vm/opcodes.def"
#undef X
	};
#endif
	struct vm_state *st = R->st;
	struct f_val *S = st->stack;
	const uint32_t *code = f->code;
	unsigned pc = start, sp = fp + f->nslots, ncalls = 0;
	uint64_t budget = R->p->budget ? R->p->budget : VM_BUDGET;
	uint32_t w;
	struct f_val t;
	const struct f_val *cb, *ca;	/* a comparison's operands */
	unsigned cmp;			/* and its plain opcode */
	int cr;				/* and its result */

	for (unsigned i = fp; i < sp; i++)
		if (i >= fp + f->nargs)
			S[i].type = T_VOID;
	if (sp + f->maxstack > VM_STACK_MAX)
		FAULT("stack overflow");

	LOOP_BEGIN
	CASE(NOP)
		NEXT;
	CASE(CONST)
		S[sp++] = R->p->k[A];
		NEXT;
	CASE(LOAD)
		S[sp] = S[fp + A];
		sp++;
		NEXT;
	CASE(STORE)
		S[fp + A] = S[--sp];
		NEXT;
	CASE(POP)
		sp--;
		NEXT;
	CASE(JMP)
		GOTO(A);
		NEXT;
	CASE(JZ)
		NEED(TOP, T_BOOL);
		if (!S[--sp].v.i)
			GOTO(A);
		NEXT;
	CASE(JNZ)
		NEED(TOP, T_BOOL);
		if (S[--sp].v.i)
			GOTO(A);
		NEXT;
	CASE(CASE) {
		const struct vm_case *k = R->p->cases[A];
		struct f_val *v = &S[--sp];
		unsigned to = k->dflt;
		for (unsigned i = 0; i < k->n; i++)
			if (vm_set_has(&k->arm[i].labels, v)) {
				to = k->arm[i].target;
				break;
			}
		GOTO(to);
		NEXT;
	}
	CASE(CALL) {
		const struct vm_func *g = R->p->fn[A];
		if (ncalls >= VM_CALL_MAX)
			FAULT("recursion too deep");
		if (!--budget)
			goto runaway;
		unsigned nfp = sp - g->nargs;
		if (nfp + g->nslots + g->maxstack > VM_STACK_MAX)
			FAULT("stack overflow");
		st->calls[ncalls++] = (struct vm_callrec){ f, pc, fp };
		f = g;
		code = f->code;
		fp = nfp;
		pc = 0;
		for (sp = fp + g->nargs; sp < fp + g->nslots; sp++)
			S[sp].type = T_VOID;
		NEXT;
	}
	CASE(RET)
		t = S[--sp];
		if (!ncalls) {
			R->ret = t;
			R->f = f;
			return f->kind == VMF_FILTER ? END_ACCEPT : END_RETURN;
		}
		sp = fp;
		ncalls--;
		f = st->calls[ncalls].f;
		code = f->code;
		pc = st->calls[ncalls].pc;
		fp = st->calls[ncalls].fp;
		S[sp++] = t;
		NEXT;
	CASE(ACCEPT)
		if (A) {	/* a message: printed, a line of its own */
			sp -= A;
			join_text(st, &S[sp], A, true);
		}
		R->f = f;
		return END_ACCEPT;
	CASE(REJECT)
		if (A) {	/* a message: printed, a line of its own */
			sp -= A;
			join_text(st, &S[sp], A, true);
		}
		R->f = f;
		return END_REJECT;
	CASE(SPLIT)
		return END_SPLIT;
	CASE(ERROR) {
		char m[256] = "";
		sp -= A;
		for (unsigned i = 0, o = 0; i < A && o < sizeof m - 1; i++)
			o += (unsigned)vm_val_format(&S[sp + i], m + o, sizeof m - o);
		FAULT("%s", m);
	}
	CASE(FORNEXT) {
		struct f_val *l = &S[fp + A], *ix = &S[fp + A + 1];
		if (!list_type(l->type))
			FAULT("can't iterate over %s", f_type_name(l->type));
		if (l->type == T_PATH) {
			/* walk the segments to ASN number ix */
			const uint8_t *b = l->v.d.p;
			size_t len = l->v.d.len, off = 0;
			uint32_t k = ix->v.i, asn = 0;
			bool found = false;
			while (off + 2 <= len) {
				unsigned cnt = b[off + 1];
				if (k < cnt) {
					const uint8_t *q = b + off + 2 + 4 * k;
					asn = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
					      (uint32_t)q[2] << 8 | q[3];
					found = true;
					break;
				}
				k -= cnt;
				off += 2 + 4 * (size_t)cnt;
			}
			S[sp++] = (struct f_val){ .type = T_INT, .v.i = asn };
			S[sp++] = (struct f_val){ .type = T_BOOL, .v.i = found };
		} else {
			unsigned k = elem_words(l->type);
			bool more = (size_t)ix->v.i * k * 4 < l->v.d.len;
			if (more)
				elem_val(l->type, (const uint32_t *)l->v.d.p + (size_t)ix->v.i * k, &S[sp]);
			else
				S[sp].type = T_VOID;
			sp++;
			S[sp++] = (struct f_val){ .type = T_BOOL, .v.i = more };
		}
		ix->v.i++;
		NEXT;
	}
	CASE(PRINT)
		sp -= A;
		join_text(st, &S[sp], A, false);
		NEXT;
	CASE(PRINTLN)
		sp -= A;
		join_text(st, &S[sp], A, true);
		NEXT;
	CASE(ASSERT)
		NEED(TOP, T_BOOL);
		if (!S[--sp].v.i) {
			size_t n = strlen(st->assert_lines);
			if (!st->asserts_failed++)
				st->assert_line = (int)f->lines[pc - 1];
			snprintf(st->assert_lines + n, sizeof st->assert_lines - n, "%s%u",
				 n ? " " : "", f->lines[pc - 1]);
		}
		NEXT;
	CASE(ADD)
		NEED(SEC, T_INT); NEED(TOP, T_INT);
		SEC.v.i += TOP.v.i; sp--;
		NEXT;
	CASE(SUB)
		NEED(SEC, T_INT); NEED(TOP, T_INT);
		SEC.v.i -= TOP.v.i; sp--;
		NEXT;
	CASE(MUL)
		NEED(SEC, T_INT); NEED(TOP, T_INT);
		SEC.v.i *= TOP.v.i; sp--;
		NEXT;
	CASE(DIV)
		NEED(SEC, T_INT); NEED(TOP, T_INT);
		if (!TOP.v.i)
			FAULT("Mother told me not to divide by 0");	/* BIRD's words */
		SEC.v.i /= TOP.v.i; sp--;
		NEXT;
	CASE(NOT)
		NEED(TOP, T_BOOL);
		TOP.v.i = !TOP.v.i;
		NEXT;
	/* comparisons: b OP a, with b and a from the stack or one of them a
	 * constant (the fused forms); cmp is the plain opcode, the result
	 * replaces the stack's top once both are read */
	CASE(EQ) CASE(NEQ) CASE(LT) CASE(LE) CASE(MATCH) CASE(NMATCH)
		cb = &SEC; ca = &TOP; cmp = VM_OP(w);
		sp--;
		goto compare;
	CASE(LTK) CASE(LEK) CASE(KLT) CASE(KLE)	/* `net.len < 8`: ints decided here */
		if (TOP.type == T_INT && R->p->k[A].type == T_INT) {
			uint32_t b = TOP.v.i, a = R->p->k[A].v.i;
			if (VM_OP(w) >= I_KEQ) {	/* K[A] on the left */
				a = b;
				b = R->p->k[A].v.i;
			}
			cr = VM_OP(w) == I_LTK || VM_OP(w) == I_KLT ? b < a : b <= a;
			goto decided;
		}
		if (VM_OP(w) >= I_KEQ)
			goto k_left;
		FALLTHROUGH;	/* the general way, as the other forms */
	CASE(EQK) CASE(NEQK) CASE(MATCHK) CASE(NMATCHK)
		cb = &TOP; ca = &R->p->k[A]; cmp = VM_OP(w) - I_EQK + I_EQ;
		goto compare;
	CASE(KEQ) CASE(KNEQ) CASE(KMATCH) CASE(KNMATCH)
	k_left:
		cb = &R->p->k[A]; ca = &TOP; cmp = VM_OP(w) - I_KEQ + I_EQ;
	compare: {
		switch (cmp) {
		case I_EQ: case I_NEQ:
			cr = same(cb, ca) == (cmp == I_EQ);
			break;
		case I_LT: case I_LE:
			if (cb->type != ca->type || !ordered(ca->type))
				FAULT("Can't compare values of incompatible types");
			cr = ca->type == T_INT ? (cb->v.i > ca->v.i) - (cb->v.i < ca->v.i)
				: val_compare(cb, ca);	/* ints inline: the common case */
			cr = cmp == I_LT ? cr < 0 : cr <= 0;
			break;
		default:
			if ((cr = match(cb, ca)) < 0)
				FAULT("~ applied on unknown type pair");
			cr = cmp == I_MATCH ? cr : !cr;
			break;
		}
		/* a conditional jump next (an `if`): take it here, without the
		 * bool on the stack and a dispatch (verified code never falls
		 * off its end, so there is a next instruction) */
	decided:
		w = code[pc];
		if (VM_OP(w) == I_JZ || VM_OP(w) == I_JNZ) {
			sp--;
			pc++;
			if (cr == (VM_OP(w) == I_JNZ))
				GOTO(A);
			NEXT;
		}
		TOP = (struct f_val){ .type = T_BOOL, .v.i = (uint32_t)cr };
		NEXT;
	}
	CASE(PAIR)
		NEED(SEC, T_INT); NEED(TOP, T_INT);
		if (SEC.v.i > 0xffff || TOP.v.i > 0xffff)
			FAULT("Can't operate with value out of bounds in pair constructor");
		SEC = (struct f_val){ .type = T_PAIR, .v.i = SEC.v.i << 16 | TOP.v.i };
		sp--;
		NEXT;
	CASE(LC)
		NEED(S[sp - 3], T_INT); NEED(SEC, T_INT); NEED(TOP, T_INT);
		t = (struct f_val){ .type = T_LC, .v.lc = { S[sp - 3].v.i, SEC.v.i, TOP.v.i } };
		sp -= 2;
		TOP = t;
		NEXT;
	CASE(EC) {
		uint64_t kind = A == EC_RT ? 2 : A == EC_RO ? 3 : 0;
		uint32_t val = TOP.v.i;
		uint64_t ec;
		NEED(TOP, T_INT);
		if (A == EC_GENERIC || A == EC_UNKNOWN) {
			NEED(SEC, T_INT);
			ec = (uint64_t)SEC.v.i << 32 | val;
		} else if (SEC.type == T_INT && SEC.v.i <= 0xffff) {
			ec = kind << 48 | (uint64_t)SEC.v.i << 32 | val;
		} else if (SEC.type == T_INT) {
			if (val > 0xffff)
				FAULT("Can't operate with value out of bounds in EC constructor");
			ec = (kind | 0x200) << 48 | (uint64_t)SEC.v.i << 16 | val;
		} else if (SEC.type == T_QUAD || (SEC.type == T_IP && ip_is4(SEC.v.ip))) {
			uint32_t ip = SEC.type == T_QUAD ? SEC.v.i : ip4_to_u32(SEC.v.ip);
			if (val > 0xffff)
				FAULT("Can't operate with value out of bounds in EC constructor");
			ec = (kind | 0x100) << 48 | (uint64_t)ip << 16 | val;
		} else
			FAULT("Can't operate with key of non-integer/IPv4 type in EC constructor");
		sp--;
		TOP = (struct f_val){ .type = T_EC, .v.ec = ec };
		NEXT;
	}
	CASE(MASK) {
		const struct vm_mask_tmpl *m = R->p->masks[A];
		struct vm_pm_item *it = scratch(st, (m->n + 1) * sizeof *it);
		unsigned k = sp - m->ndyn;
		memcpy(it, m->item, m->n * sizeof *it);
		for (unsigned i = 0; i < m->n; i++) {
			if (!m->dyn[i])
				continue;
			struct f_val *v = &S[k++];
			if (m->dyn[i] == 1 && v->type == T_SET) {	/* an int set term */
				if (!iset_of(v))
					FAULT("set of ints expected in a path mask");
				it[i].kind = VM_PM_SET;
				it[i].set = iset_of(v);
			} else if (m->dyn[i] == 1) {
				NEED(*v, T_INT);
				it[i].from = it[i].to = v->v.i;
			} else {
				if (!iset_of(v))
					FAULT("set of ints expected in a path mask");
				it[i].set = iset_of(v);
			}
		}
		struct vm_path_mask *pm = scratch(st, sizeof *pm);
		pm->n = m->n;
		pm->item = it;
		sp -= m->ndyn;
		S[sp++] = (struct f_val){ .type = T_PATH_MASK, .v.d = { pm, 0 } };
		NEXT;
	}
	CASE(FORMAT) {
		const char *s = val_text(st, &TOP);
		if (TOP.type == T_STRING) {
			NEXT;
		}
		TOP = (struct f_val){ .type = T_STRING, .v.s = s };
		NEXT;
	}
	CASE(GETATTR)
		if (!st->r)
			FAULT("no route to read attributes of");
		if (get_attr(st, &R->p->attrs[A], &S[sp]) < 0)
			FAULT("attribute %s is not supported", R->p->attrs[A].fa->name);
		sp++;
		NEXT;
	CASE(NETLEN)
		if (!st->r)
			FAULT("no route to read attributes of");
		S[sp++] = (struct f_val){ .type = T_INT, .v.i = st->r->net->pxlen };
		NEXT;
	CASE(NETMATCHK)		/* net ~ K[A]: a bogon check, say */
		if (!st->r)
			FAULT("no route to read attributes of");
		if (R->p->k[A].type == T_PREFIX_SET) {	/* the set asked at once */
			sp++;	/* the result's place */
			cr = pset_has(&R->p->k[A], st->r->net);
			goto decided;
		}
		S[sp++] = (struct f_val){ .type = T_NET, .v.net = *st->r->net };
		cb = &TOP; ca = &R->p->k[A]; cmp = I_MATCH;
		goto compare;
	CASE(SETATTR)
		if (!st->r)
			FAULT("no route to set attributes of");
		switch (set_attr(st, &R->p->attrs[A], &TOP)) {
		case 0:
			break;
		case -2:
			FAULT("Invalid gw address");
		case -3:
			FAULT("Invalid iface name");
		default:
			FAULT("can't set %s to a %s", R->p->attrs[A].fa->name,
			      f_type_name(TOP.type));
		}
		sp--;
		NEXT;
	CASE(UNSET) {
		const struct vm_attr *a = &R->p->attrs[A];
		if (!st->r)
			FAULT("no route to unset attributes of");
		if (a->stat != VS_EA)
			FAULT("can't unset %s", a->fa->name);
		build(st);
		rta_build_unset(&st->b, a->ea);
		NEXT;
	}
	CASE(DEFINED) {
		const struct vm_attr *a = &R->p->attrs[A];
		struct ea_val ev;
		if (!st->r)
			FAULT("no route to read attributes of");
		S[sp++] = (struct f_val){ .type = T_BOOL,
			.v.i = a->stat != VS_EA || read_ea(st, a->ea, &ev) };
		NEXT;
	}
	CASE(ROA)
		sp--;
		TOP = (struct f_val){ .type = T_ENUM_ROA, .v.i = 0 };	/* ROA_UNKNOWN */
		NEXT;
	CASE(GETLEN)
		if (!st->r)
			FAULT("no route to read attributes of");
		if (get_attr(st, &R->p->attrs[A], &S[sp]) < 0)
			FAULT("attribute %s is not supported", R->p->attrs[A].fa->name);
		sp++;
		FALLTHROUGH;	/* to its length */
	CASE(LEN)
		switch (TOP.type) {
		case T_PATH: t.v.i = vm_path_len(TOP.v.d.p, TOP.v.d.len); break;
		case T_CLIST: t.v.i = TOP.v.d.len / 4; break;
		case T_ECLIST: t.v.i = TOP.v.d.len / 8; break;
		case T_LCLIST: t.v.i = TOP.v.d.len / 12; break;
		case T_BYTESTRING: t.v.i = TOP.v.d.len; break;
		case T_NET: t.v.i = TOP.v.net.pxlen; break;
		default: FAULT("can't take length of %s", f_type_name(TOP.type));
		}
		TOP = (struct f_val){ .type = T_INT, .v.i = t.v.i };
		NEXT;
	CASE(FIRST)
	CASE(LAST)
	CASE(LASTNA) {
		uint32_t asn = 0;
		NEED(TOP, T_PATH);
		if (VM_OP(w) == I_FIRST)
			vm_path_first(TOP.v.d.p, TOP.v.d.len, &asn);
		else if (VM_OP(w) == I_LAST)
			vm_path_last(TOP.v.d.p, TOP.v.d.len, &asn);
		else
			asn = vm_path_last_nonaggregated(TOP.v.d.p, TOP.v.d.len);
		TOP = (struct f_val){ .type = T_INT, .v.i = asn };
		NEXT;
	}
	CASE(ASN)
		if (TOP.type == T_LC)
			t.v.i = TOP.v.lc.asn;
		else if (TOP.type == T_PAIR)
			t.v.i = TOP.v.i >> 16;
		else if (TOP.type == T_NET)
			FAULT("ROA expected");	/* Birch's nets are IP nets */
		else
			FAULT("Net, pair or lc expected");
		TOP = (struct f_val){ .type = T_INT, .v.i = t.v.i };
		NEXT;
	CASE(DATA)
		if (TOP.type == T_PAIR)
			t.v.i = TOP.v.i & 0xffff;
		else
			FAULT("can't take data of %s", f_type_name(TOP.type));
		TOP = (struct f_val){ .type = T_INT, .v.i = t.v.i };
		NEXT;
	CASE(DATA1)
		NEED(TOP, T_LC);
		TOP = (struct f_val){ .type = T_INT, .v.i = TOP.v.lc.ldp1 };
		NEXT;
	CASE(DATA2)
		NEED(TOP, T_LC);
		TOP = (struct f_val){ .type = T_INT, .v.i = TOP.v.lc.ldp2 };
		NEXT;
	CASE(IP)
		NEED(TOP, T_NET);
		t.v.ip = TOP.v.net.ip;
		TOP = (struct f_val){ .type = T_IP, .v.ip = t.v.ip };
		NEXT;
	CASE(IPMASK)
		NEED(SEC, T_IP); NEED(TOP, T_INT);
		if (ip_is4(SEC.v.ip) && TOP.v.i > 32)	/* BIRD's mask of 33+ ones is 0 */
			SEC.v.ip = ip4_from_u32(0);
		else
			SEC.v.ip = ip_mask(SEC.v.ip, TOP.v.i);
		sp--;
		NEXT;
	CASE(TYPE)
		NEED(TOP, T_NET);
		TOP = (struct f_val){ .type = T_ENUM_NET_TYPE,
			.v.i = net_max_pxlen(&TOP.v.net) == 32 ? 1 : 2 };
		NEXT;
	CASE(MIN)
	CASE(MAX) {
		if (TOP.type != T_CLIST && TOP.type != T_ECLIST && TOP.type != T_LCLIST)
			FAULT("can't take min/max of %s", f_type_name(TOP.type));
		unsigned k = elem_words(TOP.type);
		size_t n = TOP.v.d.len / (4 * k);
		const uint32_t *l = TOP.v.d.p;
		uint32_t zero[3] = { 0, 0, 0 };
		const uint32_t *best = n ? l : zero;
		for (size_t i = 1; i < n; i++) {
			int c = 0;
			for (unsigned j = 0; j < k && !c; j++)
				c = l[i * k + j] < best[j] ? -1 : l[i * k + j] > best[j];
			if (VM_OP(w) == I_MIN ? c < 0 : c > 0)
				best = l + i * k;
		}
		elem_val(TOP.type, best, &t);
		TOP = t;
		NEXT;
	}
	CASE(ISV4)
		NEED(TOP, T_IP);
		TOP = (struct f_val){ .type = T_BOOL, .v.i = ip_is4(TOP.v.ip) };
		NEXT;
	CASE(PREPEND) {
		NEED(SEC, T_PATH);
		NEED(TOP, T_INT);
		uint8_t *o = scratch(st, SEC.v.d.len + 8);
		size_t n = vm_path_prepend(SEC.v.d.p, SEC.v.d.len, TOP.v.i, o);
		SEC.v.d.p = o;
		SEC.v.d.len = (uint32_t)n;
		sp--;
		NEXT;
	}
	CASE(LADD)
	CASE(LDEL)
	CASE(LFILTER)
		if (SEC.type == T_PATH) {
			const struct vm_iset *s = iset_of(&TOP);
			if (VM_OP(w) == I_LADD || (!s && (TOP.type != T_INT || VM_OP(w) == I_LFILTER)))
				FAULT("can't do that to a path with a %s", f_type_name(TOP.type));
			uint8_t *o = scratch(st, SEC.v.d.len + 4);
			size_t n = vm_path_filter(SEC.v.d.p, SEC.v.d.len, s, TOP.v.i,
						  VM_OP(w) == I_LFILTER, o);
			SEC.v.d.p = o;
			SEC.v.d.len = (uint32_t)n;
			sp--;
			NEXT;
		}
		if (SEC.type != T_CLIST && SEC.type != T_ECLIST && SEC.type != T_LCLIST)
			FAULT("can't add to or delete from %s", f_type_name(SEC.type));
		if (list_op(st, (enum vm_opcode)VM_OP(w), &SEC, &TOP, &t) < 0)
			FAULT("can't %s %s and %s", vm_ops[VM_OP(w)].name,
			      f_type_name(SEC.type), f_type_name(TOP.type));
		sp--;
		TOP = t;
		NEXT;
	LOOP_END

runaway:
	R->pc = pc ? pc - 1 : 0;
	R->f = f;
	return fault(R, "instruction budget exhausted (runaway loop?)");
}

/* ---- entry points ---- */

static void
begin(struct vm_prog *p, struct vm_state *st, const struct vm_route *r, struct vm_result *res)
{
	if (st->scratch_used) {
		pool_flush(st->scratch);
		st->scratch_used = false;
	}
	st->out_len = 0;
	if (st->out)
		st->out[0] = 0;
	st->msg[0] = 0;
	st->rej = false;
	st->r = r;
	st->building = false;
	st->pref = r ? r->preference : 0;
	memset(res, 0, sizeof *res);
	(void)p;
}

static void
finish(struct vm_state *st, struct vm_result *res)
{
	res->out = st->out ? st->out : "";
	res->out_len = st->out_len;
	res->msg = st->msg[0] ? st->msg : st->rej ? st->rej_msg : NULL;
	res->preference = st->pref;
}

/* the end of a filter run: the verdict and the changed set into res */
static void
conclude(struct vm_prog *p, struct vm_state *st, const struct vm_func *f,
	 const struct vm_route *r, struct vm_result *res, enum end e)
{
	if ((e == END_ACCEPT || r->keep) && st->building) {
		struct rta *a = rta_build_finish(&st->b);
		if (a == r->attrs)
			rta_unref(a);
		else
			res->attrs = a;
	} else if (st->building) {
		rta_build_abort(&st->b);
	}
	st->building = false;
	res->verdict = e == END_ACCEPT ? VM_ACCEPT : VM_REJECT;
	res->error = e == END_ERROR;
	if (e == END_ERROR && p->log_errors)	/* the message names filter, line, opcode */
		log_rl(&p->log_last, L_ERR, "%s", st->log_msg);
	if (e == END_REJECT && !st->msg[0]) {
		if (st->rej_f != f) {	/* made once per filter, not per route */
			snprintf(st->rej_msg, sizeof st->rej_msg, "rejected by filter %s", f->name);
			st->rej_f = f;
		}
		st->rej = true;
	}
}

/* f through its verdict cache vc: the part before the split point on the
 * route, the rest from the cache or run and recorded */
static void
run_cached(struct run *R, struct vm_vc *vc, const struct vm_route *r, struct vm_result *res)
{
	struct vm_state *st = R->st;
	const struct vm_func *f = R->f;
	unsigned split;
	const struct vm_func *pre = vm_vc_prefix(vc, &split);
	struct vm_vc_hit hit;
	enum end e;

	if (pre) {
		e = exec(R, pre, 0, 0);
		if (e != END_SPLIT) {
			conclude(R->p, st, f, r, res, e);
			return;
		}
	}
	if (vm_vc_lookup(vc, r->attrs, &hit)) {
		if (hit.text)
			out_append(st, hit.text, hit.text_len);
		if (hit.verdict == VM_ACCEPT && hit.out)
			res->attrs = rta_ref(hit.out);
		conclude(R->p, st, f, r, res, hit.verdict == VM_ACCEPT ? END_ACCEPT : END_REJECT);
		return;
	}
	size_t out0 = st->out_len;
	e = exec(R, f, 0, split);
	conclude(R->p, st, f, r, res, e);
	if (e == END_ACCEPT || e == END_REJECT)
		vm_vc_store(vc, r->attrs, res->verdict, res->attrs, st->out ? st->out + out0 : NULL,
			    st->out_len - out0);
}

/* what a filter printed (and its accept or reject message), a log line
 * per line at class info, as BIRD logs it (the daemon) */
static void
log_output(const struct vm_state *st)
{
	const char *s = st->out, *end = st->out + st->out_len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);
		log_msg(L_INFO, "%.*s", (int)n, s);
		s += n + (nl != NULL);
	}
}

/* f's verdict cache or NULL, through a few most recently used */
static struct vm_vc *
cache_of(struct vm_prog *p, struct vm_state *st, const struct vm_func *f)
{
	unsigned i = (unsigned)((uintptr_t)f >> 4) & 7;
	if (st->mru_f[i] != f) {
		st->mru_vc[i] = vm_vc_get(&st->vcm, p, f);
		st->mru_f[i] = f;
	}
	return st->mru_vc[i];
}

enum vm_verdict
vm_run_filter(struct vm_prog *p, const struct vm_func *f, const struct vm_route *r,
	      struct vm_result *res)
{
	struct vm_state *st = state(p);
	struct run R = { .p = p, .st = st, .f = f };
	struct vm_vc *vc;

	begin(p, st, r, res);
	if (!r->keep && r->attrs && !st->no_cache && (vc = cache_of(p, st, f)))
		run_cached(&R, vc, r, res);
	else
		conclude(p, st, f, r, res, exec(&R, f, 0, 0));
	finish(st, res);
	if (p->log_errors && st->out_len)
		log_output(st);
	return res->verdict;
}

void
vm_prefetch(struct vm_prog *p, const struct vm_func *f, const struct rta *attrs, bool near)
{
	struct vm_state *st = state(p);
	struct vm_vc *vc;

	if (!attrs || st->no_cache || !(vc = cache_of(p, st, f))) {
		if (attrs && !near)
			__builtin_prefetch(attrs);
		return;
	}
	if (near) {
		vm_vc_prefetch_result(vc, attrs);
	} else {
		__builtin_prefetch(attrs);
		vm_vc_prefetch(vc, attrs);
	}
}

void
vm_cache(struct vm_prog *p, bool on)
{
	state(p)->no_cache = !on;
}

void
vm_cache_trim(struct vm_prog *p)
{
	if (p->st)
		vm_vc_trim(p->st->vcm);
}

void
vm_cache_stats(const struct vm_prog *p, uint64_t *hits, uint64_t *misses, size_t *entries)
{
	vm_vc_stats(p->st ? p->st->vcm : NULL, hits, misses, entries);
}

int
vm_run_function(struct vm_prog *p, const struct vm_func *f, struct f_val *out,
		struct vm_result *res)
{
	struct vm_state *st = state(p);
	struct run R = { .p = p, .st = st, .f = f };

	begin(p, st, NULL, res);
	st->asserts_failed = 0;
	st->assert_line = 0;
	st->assert_lines[0] = 0;
	if (f->nargs) {
		snprintf(st->msg, sizeof st->msg, "function %s takes arguments", f->name);
		finish(st, res);
		return -1;
	}
	enum end e = exec(&R, f, 0, 0);
	if (st->building)
		rta_build_abort(&st->b);
	st->building = false;
	*out = e == END_RETURN ? R.ret : (struct f_val){ .type = T_VOID };
	if (e != END_RETURN && !st->msg[0])
		snprintf(st->msg, sizeof st->msg, "function %s ended with %s", f->name,
			 e == END_ACCEPT ? "accept" : "reject");
	finish(st, res);
	res->steps = st->asserts_failed;
	return e == END_RETURN ? 0 : -1;
}

void
vm_log_errors(struct vm_prog *p, bool on)
{
	p->log_errors = on;
}

unsigned
vm_asserts_failed(const struct vm_prog *p, const char **lines)
{
	if (!p->st) {
		*lines = "";
		return 0;
	}
	*lines = p->st->assert_lines;
	return p->st->asserts_failed;
}

int
vm_eval_term(struct vm_prog *p, const struct f_node *term, char *buf, size_t len)
{
	struct vm_func *f;
	struct f_val v;
	struct vm_result res;

	if (vm_compile_term(p, term, &f) < 0) {
		snprintf(buf, len, "%s", p->err);
		return -1;
	}
	if (vm_run_function(p, f, &v, &res) < 0) {
		snprintf(buf, len, "runtime error");
		return -1;
	}
	vm_val_format(&v, buf, len);
	return 0;
}
