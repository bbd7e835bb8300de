/*
 * Constant folding: `define` terms are evaluated as they are parsed, the
 * way BIRD pre-evaluates them, with BIRD's messages for type and range
 * errors. A term that failed is T_VOID; operators given a T_VOID return
 * T_VOID without a second message. Set literals collect their items in a
 * builder and are sorted and frozen when the closing bracket is read.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/cf_int.h"

void
cf_val_int(struct f_val *out, uint32_t i)
{
	*out = (struct f_val){ .type = T_INT, .v.i = i };
}

void
cf_val_bool(struct f_val *out, bool b)
{
	*out = (struct f_val){ .type = T_BOOL, .v.i = b };
}

void
cf_val_string(struct f_val *out, const char *s)
{
	*out = (struct f_val){ .type = T_STRING, .v.s = s };
}

void
cf_val_ip(struct f_val *out, ip_addr a)
{
	*out = (struct f_val){ .type = T_IP, .v.ip = a };
}

void
cf_val_rd(struct f_val *out, uint64_t rd)
{
	*out = (struct f_val){ .type = T_RD, .v.rd = rd };
}

static void
void_val(struct f_val *out)
{
	*out = (struct f_val){ .type = T_VOID };
}

void
cf_net(struct cf_parser *P, struct f_val *out, ip_addr a, bool v4, uint32_t len,
       const struct cf_loc *l)
{
	char b1[NET_STR_MAX], b2[IP_STR_MAX];
	net_addr n;

	if (len > (v4 ? 32u : 128u)) {
		cf_err(P, l, "Invalid prefix length %u", len);
		void_val(out);
		return;
	}
	n = v4 ? net_ip4(ip4_to_u32(a), len) : net_ip6(a, len);
	if (!ip_eq(n.ip, a)) {
		cf_err(P, l, "Invalid %s prefix %s/%u, maybe you wanted %s", v4 ? "IPv4" : "IPv6",
		       v4 ? ip_format(a, b2) : ip6_format(a, b2), len, net_format(&n, b1));
		void_val(out);
		return;
	}
	*out = (struct f_val){ .type = T_NET, .v.net = n };
}

static const char *
op_name(int op)
{
	switch (op) {
	case '+': return "ADD";
	case '-': return "SUBTRACT";
	case '*': return "MULTIPLY";
	case '/': return "DIVIDE";
	case '&': return "AND";
	case '|': return "OR";
	default: return "COMPARE";
	}
}

/* BIRD's argument check: "Argument 1 of ADD must be of type int, got type pair" */
static bool
args_are(struct cf_parser *P, int op, const struct f_val *a, const struct f_val *b,
	 enum f_type t, const struct cf_loc *l)
{
	if (a->type != t) {
		cf_err(P, l, "Argument 1 of %s must be of type %s, got type %s", op_name(op),
		       f_type_name(t), f_type_name(a->type));
		return false;
	}
	if (b && b->type != t) {
		cf_err(P, l, "Argument 2 of %s must be of type %s, got type %s", op_name(op),
		       f_type_name(t), f_type_name(b->type));
		return false;
	}
	return true;
}

static bool
orderable(enum f_type t)
{
	return t != T_SET && t != T_PREFIX_SET;
}

void
cf_binop(struct cf_parser *P, struct f_val *out, int op, const struct f_val *a,
	 const struct f_val *b, const struct cf_loc *l)
{
	void_val(out);
	if (a->type == T_VOID || b->type == T_VOID)
		return;
	switch (op) {
	case '+': case '-': case '*': case '/':
		if (!args_are(P, op, a, b, T_INT, l))
			return;
		if (op == '/' && !b->v.i) {
			cf_err(P, l, "filter preevaluation, line %d: Mother told me not to divide by 0",
			       l->first_line);
			return;
		}
		/* 32-bit unsigned, wrapping, as BIRD computes */
		cf_val_int(out, op == '+' ? a->v.i + b->v.i : op == '-' ? a->v.i - b->v.i :
			   op == '*' ? a->v.i * b->v.i : a->v.i / b->v.i);
		return;
	case '&': case '|':
		if (!args_are(P, op, a, b, T_BOOL, l))
			return;
		cf_val_bool(out, op == '&' ? a->v.i && b->v.i : a->v.i || b->v.i);
		return;
	case '=': case 'n':
		if (a->type != b->type) {
			cf_val_bool(out, op == 'n');
			return;
		}
		cf_val_bool(out, val_same(a, b) == (op == '='));
		return;
	default:
		if (a->type != b->type || !orderable(a->type)) {
			cf_err(P, l, "Can't compare values of incompatible types (%s and %s)",
			       f_type_name(a->type), f_type_name(b->type));
			return;
		}
		int c = val_compare(a, b);
		cf_val_bool(out, op == '<' ? c < 0 : op == '>' ? c > 0 : op == 'l' ? c <= 0 : c >= 0);
		return;
	}
}

void
cf_not(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct cf_loc *l)
{
	void_val(out);
	if (a->type == T_VOID)
		return;
	if (a->type != T_BOOL) {
		cf_err(P, l, "Argument 1 of NOT must be of type bool, got type %s", f_type_name(a->type));
		return;
	}
	cf_val_bool(out, !a->v.i);
}

void
cf_pair(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct f_val *b,
	const struct cf_loc *l)
{
	void_val(out);
	if (a->type == T_VOID || b->type == T_VOID)
		return;
	if (a->type != T_INT || b->type != T_INT) {
		cf_err(P, l, "Can't operate with value of non-integer type in pair constructor");
		return;
	}
	if (a->v.i > 0xffff || b->v.i > 0xffff) {
		cf_err(P, l, "filter preevaluation, line %d: Can't operate with value out of bounds in pair constructor",
		       l->first_line);
		return;
	}
	*out = (struct f_val){ .type = T_PAIR, .v.i = a->v.i << 16 | b->v.i };
}

void
cf_lc(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct f_val *b,
      const struct f_val *c, const struct cf_loc *l)
{
	void_val(out);
	if (a->type == T_VOID || b->type == T_VOID || c->type == T_VOID)
		return;
	if (a->type != T_INT || b->type != T_INT || c->type != T_INT) {
		cf_err(P, l, "Can't operate with value of non-integer type in LC constructor");
		return;
	}
	*out = (struct f_val){ .type = T_LC, .v.lc = { a->v.i, b->v.i, c->v.i } };
}

/* ---- sets ---------------------------------------------------------------- */

static bool
set_type_ok(enum f_type t)
{
	return t == T_INT || t == T_PAIR || t == T_QUAD || t == T_IP || t == T_LC || t == T_RD ||
	       t == T_BOOL || t == T_EC || (t >= T_ENUM_RTS && t <= T_ENUM_AF);
}

/* a new set item, from the pool; the set builder keeps the pointer */
static struct cf_set_item *
item_new(struct cf_parser *P)
{
	return pool_zalloc(P->pool, sizeof(struct cf_set_item));
}

struct cf_set_item *
cf_item_value(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);

	if (v->type == T_NET) {
		out->is_patt = true;
		out->p.net = v->v.net;
		out->p.lo = out->p.hi = v->v.net.pxlen;
		return out;
	}
	if (v->type != T_VOID && !set_type_ok(v->type)) {
		cf_err(P, l, "Set of %s is not supported", f_type_name(v->type));
		return out;
	}
	out->r.from = out->r.to = *v;
	return out;
}

struct cf_set_item *
cf_item_range(struct cf_parser *P, const struct f_val *a, const struct f_val *b,
	      const struct cf_loc *l)
{
	struct cf_set_item *out = cf_item_value(P, a, l);

	if (out->is_patt || a->type == T_VOID || b->type == T_VOID) {
		if (out->is_patt)
			cf_err(P, l, "Prefixes cannot form a range");
		memset(out, 0, sizeof *out);
		return out;
	}
	if (a->type != b->type) {
		cf_err(P, l, "Both bounds of a range must be of the same type");
		memset(out, 0, sizeof *out);
		return out;
	}
	out->r.to = *b;
	return out;
}

/* a set item that starts with a constant's name: NAME or NAME..to */
struct cf_set_item *
cf_item_sym(struct cf_parser *P, const struct cf_symref *s, const struct f_val *to,
	    const struct cf_loc *l)
{
	struct f_val v;

	cf_sym_value(P, &v, s, l);
	return to ? cf_item_range(P, &v, to, l) : cf_item_value(P, &v, l);
}

struct cf_set_item *
cf_item_pair_range(struct cf_parser *P, const struct f_val *a, const struct f_val *lo,
		   const struct f_val *hi, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	struct f_val zero, max;

	cf_val_int(&zero, 0);
	cf_val_int(&max, 0xffff);
	cf_pair(P, &out->r.from, a, lo ? lo : &zero, l);
	if (out->r.from.type == T_VOID)
		return out;
	cf_pair(P, &out->r.to, a, hi ? hi : &max, l);
	if (out->r.to.type == T_VOID)
		memset(out, 0, sizeof *out);
	return out;
}

struct cf_set_item *
cf_item_patt(struct cf_parser *P, const struct f_val *net, int op, uint32_t lo, uint32_t hi,
	     const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);

	if (net->type != T_NET)
		return out;
	unsigned len = net->v.net.pxlen, max = net_max_pxlen(&net->v.net);
	out->is_patt = true;
	out->p.net = net->v.net;
	switch (op) {
	case '+':
		lo = len, hi = max;
		break;
	case '-':
		lo = 0, hi = len;
		break;
	case '{':
		if (lo > hi || hi > max || lo < len) {
			cf_err(P, l, "Invalid prefix pattern range: {%u, %u}", lo, hi);
			memset(out, 0, sizeof *out);
			return out;
		}
		break;
	default:
		lo = hi = len;
	}
	out->p.lo = (uint8_t)lo;
	out->p.hi = (uint8_t)hi;
	return out;
}

struct cf_setb *
cf_setb_add(struct cf_parser *P, struct cf_setb *b, const struct cf_set_item *it)
{
	if (!b)
		b = pool_zalloc(P->pool, sizeof *b);
	if (b->n == b->size) {
		unsigned size = b->size ? b->size * 2 : 8;
		const struct cf_set_item **v = pool_alloc(P->pool, size * sizeof *v);
		if (b->n)
			memcpy(v, b->v, b->n * sizeof *v);
		b->v = v;
		b->size = size;
	}
	b->v[b->n++] = it;
	return b;
}

struct sortable {
	const struct cf_set_item *it;	/* the item */
	unsigned pos;			/* where it was written: keeps the sort stable */
};

static int
item_cmp(const void *x, const void *y)
{
	const struct sortable *a = x, *b = y;
	int c;

	if (a->it->is_patt) {
		c = net_cmp(&a->it->p.net, &b->it->p.net);
		if (!c)
			c = a->it->p.lo - b->it->p.lo;
	} else
		c = val_compare(&a->it->r.from, &b->it->r.from);
	return c ? c : a->pos < b->pos ? -1 : a->pos > b->pos;
}

void
cf_set_end(struct cf_parser *P, struct f_val *out, struct cf_setb *b, const struct cf_loc *l)
{
	struct f_set *s = pool_zalloc(P->pool, sizeof *s);
	unsigned n = 0, patts = 0;

	void_val(out);
	if (b) {
		for (unsigned i = 0; i < b->n; i++) {
			if (!b->v[i]->is_patt && b->v[i]->r.from.type == T_VOID)
				return;		/* reported already */
			patts += b->v[i]->is_patt;
		}
		n = b->n;
	}
	if (patts && patts != n) {
		cf_err(P, l, "Mixing prefixes and other values in one set");
		return;
	}
	for (unsigned i = 1; i < patts; i++)
		if (b->v[i]->p.net.type != b->v[0]->p.net.type) {
			cf_err(P, l, "Mixed IPv4/IPv6 prefixes in prefix set");
			return;
		}

	/* big sets are usually written in order (generated): check that first */
	const struct cf_set_item **it = n ? b->v : NULL;
	unsigned k = 1;
	while (k < n && item_cmp(&(struct sortable){ it[k - 1], k - 1 },
				 &(struct sortable){ it[k], k }) < 0)
		k++;
	if (k < n) {
		struct sortable *v = pool_alloc(P->pool, n * sizeof *v);
		for (unsigned i = 0; i < n; i++)
			v[i] = (struct sortable){ it[i], i };
		qsort(v, n, sizeof *v, item_cmp);
		it = pool_alloc(P->pool, n * sizeof *it);
		for (unsigned i = 0; i < n; i++)
			it[i] = v[i].it;
	}
	s->n = n;
	if (patts) {
		struct f_prefix_patt *p = pool_alloc(P->pool, n * sizeof *p);
		for (unsigned i = 0; i < n; i++)
			p[i] = it[i]->p;
		s->p = p;
		*out = (struct f_val){ .type = T_PREFIX_SET, .v.set = s };
	} else {
		struct f_range *r = n ? pool_alloc(P->pool, n * sizeof *r) : NULL;
		for (unsigned i = 0; i < n; i++)
			r[i] = it[i]->r;
		s->r = r;
		s->etype = n ? r[0].from.type : T_VOID;
		*out = (struct f_val){ .type = T_SET, .v.set = s };
	}
}

/* ---- the filter language's constants ------------------------------------- */

void
cf_val_enum(struct cf_parser *P, struct f_val *out, const char *name, const struct cf_loc *l)
{
	if (f_enum_find(name, out) < 0) {
		cf_err(P, l, "Unknown constant %s", name);
		void_val(out);
	}
}

/* BIRD's encoding: kind (rt 2, ro 3, generic, unknown N) in the top 16
 * bits with the administrator's form: 2-byte ASN, IPv4 (0x0100), 4-byte
 * ASN (0x0200) */
void
cf_ec(struct cf_parser *P, struct f_val *out, int kind, const struct f_val *a,
      const struct f_val *b, const struct cf_loc *l)
{
	uint64_t k = kind == EC_RT ? 2 : kind == EC_RO ? 3 : kind == EC_GENERIC ? 0 :
		     (uint64_t)((unsigned)kind >> 8) & 0xffff;
	uint64_t key, val;

	void_val(out);
	if (a->type == T_VOID || b->type == T_VOID)
		return;
	if ((a->type != T_INT && a->type != T_IP && a->type != T_QUAD) || b->type != T_INT) {
		cf_err(P, l, "Can't operate with value of non-integer type in EC constructor");
		return;
	}
	val = b->v.i;
	if (kind == EC_GENERIC) {
		key = a->type == T_IP ? ip4_to_u32(a->v.ip) : a->v.i;
		*out = (struct f_val){ .type = T_EC, .v.ec = key << 32 | val };
		return;
	}
	if (a->type == T_IP || a->type == T_QUAD) {
		if (a->type == T_IP && !ip_is4(a->v.ip)) {
			cf_err(P, l, "filter preevaluation, line %d: Argument 1 of EC constructor must be integer or IPv4 address, got 0x20",
			       l->first_line);
			return;
		}
		key = a->type == T_IP ? ip4_to_u32(a->v.ip) : a->v.i;
		if (val > 0xffff)
			goto range;
		*out = (struct f_val){ .type = T_EC, .v.ec = (k | 0x100) << 48 | key << 16 | val };
		return;
	}
	key = a->v.i;
	if (key <= 0xffff) {
		*out = (struct f_val){ .type = T_EC, .v.ec = k << 48 | key << 32 | val };
		return;
	}
	if (val > 0xffff)
		goto range;
	*out = (struct f_val){ .type = T_EC, .v.ec = (k | 0x200) << 48 | key << 16 | val };
	return;
range:
	cf_err(P, l, "filter preevaluation, line %d: 4-byte value %u can't be used with %s in extended community",
	       l->first_line, (unsigned)val, a->type == T_INT ? "4-byte ASN" : "IP-address key");
}

struct cf_set_item *
cf_item_ec(struct cf_parser *P, int kind, const struct f_val *a, const struct f_val *lo,
	   const struct f_val *hi, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	struct f_val zero, max;

	if (a->type != T_INT) {		/* BIRD 2.0: sets take ASN administrators only */
		if (a->type != T_VOID)
			cf_err(P, l, "Integer expression expected");
		return out;
	}
	cf_val_int(&zero, 0);
	cf_val_int(&max, a->v.i <= 0xffff ? 0xffffffffu : 0xffff);
	cf_ec(P, &out->r.from, kind, a, lo ? lo : &zero, l);
	if (out->r.from.type == T_VOID)
		return out;
	cf_ec(P, &out->r.to, kind, a, hi ? hi : &max, l);
	if (out->r.to.type == T_VOID)
		memset(out, 0, sizeof *out);
	return out;
}

struct cf_set_item *
cf_item_lc_range(struct cf_parser *P, const struct f_val *a, const struct f_val *b,
		 const struct f_val *lo, const struct f_val *hi, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	struct f_val zero, max;

	cf_val_int(&zero, 0);
	cf_val_int(&max, 0xffffffffu);
	/* (a, *, *) when b is NULL */
	cf_lc(P, &out->r.from, a, b ? b : &zero, lo ? lo : &zero, l);
	if (out->r.from.type == T_VOID)
		return out;
	cf_lc(P, &out->r.to, a, b ? b : &max, hi ? hi : &max, l);
	if (out->r.to.type == T_VOID)
		memset(out, 0, sizeof *out);
	return out;
}

/*
 * `define` and option values: BIRD pre-evaluates the term when it is
 * parsed, so besides what the checker folded it may call functions, match
 * with `~`, format() and branch. This is a small evaluator over the typed
 * tree for those; a route attribute is BIRD's "No route to access", and
 * what needs the VM (lists, paths, loops) is "Constant expression expected".
 * print in a called function prints nothing here (BIRD prints at parse time).
 */
enum { EVAL_DEPTH = 64 };		/* nested function calls */

struct eval {
	struct cf_parser *P;
	const struct cf_loc *l;		/* errors go to the term's place */
	unsigned depth;			/* calls in progress */
	bool failed;			/* reported; the rest stops quietly */
};

static bool ev(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *out);

/* stop: the error was reported already (by the checker or a fold) */
static bool
stop(struct eval *e)
{
	e->failed = true;
	return false;
}

static bool
fail(struct eval *e, const char *msg)
{
	if (!e->failed)
		cf_err(e->P, e->l, "%s", msg);
	e->failed = true;
	return false;
}

/* BIRD's shell-like patterns: `*` any run of characters, `?` any one */
static bool
glob(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			for (const char *t = s;; t++) {
				if (glob(p + 1, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (!*s || (*p != '?' && *p != *s))
			return false;
	}
	return !*s;
}

static bool
in_set(const struct f_val *a, const struct f_set *set, enum f_type st)
{
	for (unsigned k = 0; k < set->n; k++) {
		if (st == T_PREFIX_SET) {
			const struct f_prefix_patt *pt = &set->p[k];
			if (pt->net.type == a->v.net.type && net_contains(&pt->net, &a->v.net) &&
			    a->v.net.pxlen >= pt->lo && a->v.net.pxlen <= pt->hi)
				return true;
		} else if (val_compare(&set->r[k].from, a) <= 0 && val_compare(a, &set->r[k].to) <= 0)
			return true;
	}
	return false;
}

/* a ~ b on values: false and reported when it cannot be done here */
static bool
match(struct eval *e, const struct f_val *a, const struct f_val *b, bool *res)
{
	if (b->type == T_SET && (!b->v.set->n || a->type == b->v.set->etype))
		*res = in_set(a, b->v.set, T_SET);
	else if (b->type == T_PREFIX_SET && a->type == T_NET)
		*res = in_set(a, b->v.set, T_PREFIX_SET);
	else if (b->type == T_NET && a->type == T_NET)
		*res = net_contains(&b->v.net, &a->v.net);
	else if (b->type == T_NET && a->type == T_IP)
		*res = net_contains_ip(&b->v.net, a->v.ip);
	else if (b->type == T_STRING && a->type == T_STRING)
		*res = glob(b->v.s, a->v.s);
	else
		return fail(e, "Constant expression expected");
	return true;
}

static const int ops[] = {
	[OP_ADD] = '+', [OP_SUB] = '-', [OP_MUL] = '*', [OP_DIV] = '/', [OP_EQ] = '=',
	[OP_NEQ] = 'n', [OP_LT] = '<', [OP_GT] = '>', [OP_LE] = 'l', [OP_GE] = 'g',
};

static bool
binop(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *out)
{
	struct f_val a, b;

	if (!ev(e, n->a, frame, &a))
		return false;
	if ((n->op == OP_AND || n->op == OP_OR) && a.type == T_BOOL &&
	    a.v.i == (n->op == OP_OR)) {
		*out = a;		/* short-circuit, as BIRD's && and || */
		return true;
	}
	if (!ev(e, n->b, frame, &b))
		return false;
	if (n->op == OP_MATCH || n->op == OP_NMATCH) {
		bool r;
		if (!match(e, &a, &b, &r))
			return false;
		cf_val_bool(out, r == (n->op == OP_MATCH));
		return true;
	}
	if (n->op == OP_AND || n->op == OP_OR)
		cf_binop(e->P, out, n->op == OP_AND ? '&' : '|', &a, &b, e->l);
	else
		cf_binop(e->P, out, ops[n->op], &a, &b, e->l);
	return out->type != T_VOID || stop(e);
}

enum flow { FLOW_NEXT, FLOW_RETURN };

static bool stmt(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *ret,
		 enum flow *fl);

static bool
stmts(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *ret, enum flow *fl)
{
	for (; n && *fl == FLOW_NEXT; n = n->next)
		if (!stmt(e, n, frame, ret, fl))
			return false;
	return true;
}

static unsigned
slot_of(const struct f_node *n)
{
	return ((const struct f_var *)n->sym->u.ptr)->slot;
}

static bool
stmt(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *ret, enum flow *fl)
{
	struct f_val v;

	switch (n->kind) {
	case N_BLOCK:
		return stmts(e, n->args, frame, ret, fl);
	case N_DECL:
	case N_SET_VAR:
		if (n->a && !ev(e, n->a, frame, &frame[slot_of(n)]))
			return false;
		return true;
	case N_IF:
		if (!ev(e, n->a, frame, &v))
			return false;
		if (v.type != T_BOOL)
			return fail(e, "If requires bool expression");
		return v.v.i ? stmt(e, n->b, frame, ret, fl) : !n->c || stmt(e, n->c, frame, ret, fl);
	case N_CASE:
		if (!ev(e, n->a, frame, &v))
			return false;
		for (const struct f_case *c = n->cases; c; c = c->next) {
			bool hit = c->is_else;
			if (!hit && !match(e, &v, &c->labels, &hit))
				return false;
			if (hit)
				return stmt(e, c->body, frame, ret, fl);
		}
		return true;
	case N_RETURN:
		*fl = FLOW_RETURN;
		return !n->a || ev(e, n->a, frame, ret);
	case N_CALL_STMT:
	case N_BT_ASSERT:
		return ev(e, n->a, frame, &v);
	case N_PRINT:
		for (const struct f_node *a = n->args; a; a = a->next)
			if (!ev(e, a, frame, &v))
				return false;
		return true;
	case N_SET_ATTR:
	case N_UNSET:
		return fail(e, "No route to access");
	default:
		return fail(e, "Constant expression expected");
	}
}

static bool
call(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *out)
{
	/* after an error the call may name no function (`k(1)` with k a
	 * define): nothing to evaluate, the error is already reported */
	const struct f_function *fn = n->sym && n->sym->class == SYM_FUNCTION ? n->sym->u.ptr : NULL;
	enum flow fl = FLOW_NEXT;

	if (!fn || !fn->body)
		return fail(e, "Constant expression expected");
	if (e->depth >= EVAL_DEPTH)
		return fail(e, "Function calls nested too deep");
	struct f_val *callee = pool_zalloc(e->P->pool, (fn->nslots + 1) * sizeof *callee);
	unsigned i = 0;
	for (const struct f_node *a = n->args; a && i < fn->nargs; a = a->next)
		if (!ev(e, a, frame, &callee[i++]))
			return false;
	e->depth++;
	void_val(out);
	bool ok = stmt(e, fn->body, callee, out, &fl);
	e->depth--;
	return ok;
}

static bool
ev(struct eval *e, const struct f_node *n, struct f_val *frame, struct f_val *out)
{
	struct f_val a, b, c;
	char buf[256];

	void_val(out);
	if (e->failed)
		return false;
	/* untyped: an error reported for it (a call may be untyped) */
	if (n->type == T_VOID && n->kind != N_CALL)
		return stop(e);
	switch (n->kind) {
	case N_CONST:
		*out = n->val;
		return true;
	case N_EMPTY:
		out->type = n->type;
		return true;
	case N_PATH_MASK:
		*out = (struct f_val){ .type = T_PATH_MASK, .v.pm = n->mask };
		return true;
	case N_VAR:
		if (!frame)
			return fail(e, "Constant expression expected");
		*out = frame[slot_of(n)];
		return true;
	case N_BINOP:
		return binop(e, n, frame, out);
	case N_NOT:
		if (!ev(e, n->a, frame, &a))
			return false;
		cf_not(e->P, out, &a, e->l);
		return out->type != T_VOID || stop(e);
	case N_PAIR:
	case N_LC:
	case N_EC:
		if (!ev(e, n->a, frame, &a) || !ev(e, n->b, frame, &b) ||
		    (n->kind == N_LC && !ev(e, n->c, frame, &c)))
			return false;
		if (n->kind == N_PAIR)
			cf_pair(e->P, out, &a, &b, e->l);
		else if (n->kind == N_LC)
			cf_lc(e->P, out, &a, &b, &c, e->l);
		else
			cf_ec(e->P, out, n->op, &a, &b, e->l);
		return out->type != T_VOID || stop(e);
	case N_FORMAT:
		if (!ev(e, n->a, frame, &a))
			return false;
		val_format(&a, buf, sizeof buf);
		cf_val_string(out, pool_strdup(e->P->pool, buf));
		return true;
	case N_CALL:
		return call(e, n, frame, out);
	case N_ATTR:
	case N_DEFINED:
		return fail(e, "No route to access");
	default:
		return fail(e, "Constant expression expected");
	}
}

/* `define` and option values: the term's value; T_VOID after an error */
void
cf_fold(struct cf_parser *P, struct f_val *out, const struct f_node *n, const struct cf_loc *l)
{
	struct eval e = { .P = P, .l = l };

	if (!ev(&e, n, NULL, out))
		void_val(out);
}
