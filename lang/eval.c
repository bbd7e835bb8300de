/*
 * Constant folding: `define` terms are evaluated as they are parsed, the
 * way BIRD pre-evaluates them, with BIRD's messages for type and range
 * errors. A term that failed is T_VOID; operators given a T_VOID return
 * T_VOID without a second message. Set literals collect their items in a
 * builder (a pair item with a range in its first part as the several
 * ranges BIRD makes of it) and are sorted as BIRD sorts them and frozen
 * when the closing bracket is read. List and path operations on constants
 * are folded here too (cf_method_val), into the VM's layout of lists.
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

/* lists, paths, masks and sets have no order */
static bool
orderable(enum f_type t)
{
	return t != T_SET && t != T_PREFIX_SET && t != T_PATH && t != T_PATH_MASK && t != T_CLIST &&
	       t != T_ECLIST && t != T_LCLIST;
}

static bool same(const struct f_val *a, const struct f_val *b);

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
		cf_val_bool(out, same(a, b) == (op == '='));
		return;
	default:
		if (a->type != b->type || !orderable(a->type)) {
			cf_err(P, l, "filter preevaluation, line %d: Can't compare values of incompatible types",
			       l->first_line);
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

/* what BIRD 2.0 lets a set hold (not bool, string or prefix: prefix sets
 * are built from prefix patterns only) */
static bool
set_type_ok(enum f_type t)
{
	return t == T_INT || t == T_PAIR || t == T_QUAD || t == T_IP || t == T_LC || t == T_RD ||
	       t == T_EC || (t >= T_ENUM_RTS && t <= T_ENUM_AF);
}

/* a new set item, from the pool; the set builder keeps the pointer */
static struct cf_set_item *
item_new(struct cf_parser *P)
{
	return pool_zalloc(P->pool, sizeof(struct cf_set_item));
}

void
cf_set_atom(struct cf_parser *P, struct f_val *out, const struct f_val *t,
	    const struct cf_symref *s, const struct cf_loc *l)
{
	if (s && (!s->sym || s->sym->class != SYM_CONSTANT)) {
		cf_err(P, l, "Constant name required");
		void_val(out);
		return;
	}
	*out = s ? *s->sym->u.val : *t;
	if (out->type == T_VOID || set_type_ok(out->type))
		return;
	if (s)
		cf_err(P, l, "%s: set-incompatible type", s->name);
	else
		cf_err(P, l, "Set-incompatible type");
	void_val(out);
}

struct cf_set_item *
cf_item_value(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);

	(void)l;	/* the grammar's atoms reported their own errors */
	out->r.from = out->r.to = *v;
	return out;
}

/* as BIRD, the bounds may be of two types (the range then matches nothing
 * here) and reversed (it matches nothing either) */
struct cf_set_item *
cf_item_range(struct cf_parser *P, const struct f_val *a, const struct f_val *b,
	      const struct cf_loc *l)
{
	struct cf_set_item *out = cf_item_value(P, a, l);

	if (b->type == T_VOID)
		memset(out, 0, sizeof *out);
	else
		out->r.to = *b;
	return out;
}

/* one part of a pair, lc or ec item: an int up to max; false when reported */
static bool
part(struct cf_parser *P, const struct f_val *v, uint32_t max, uint32_t *out,
     const struct cf_loc *l)
{
	if (v->type == T_VOID)
		return false;
	if (v->type != T_INT) {
		cf_err(P, l, "Integer expression expected");
		return false;
	}
	if (v->v.i > max) {
		cf_err(P, l, "Value %u out of range (0-%u)", v->v.i, max);
		return false;
	}
	*out = v->v.i;
	return true;
}

/* lo..hi of each of k parts: v[2i], v[2i + 1] (the same pointer for one
 * value; NULL for `*`, which is 0..max) */
static bool
parts(struct cf_parser *P, const struct f_val *const *v, unsigned k, uint32_t max, uint32_t *lo,
      uint32_t *hi, const struct cf_loc *l)
{
	for (unsigned i = 0; i < k; i++) {
		const struct f_val *a = v[2 * i], *b = v[2 * i + 1];
		lo[i] = 0;
		hi[i] = max;
		if (!a)
			continue;	/* `*` */
		if (!part(P, a, max, &lo[i], l))
			return false;
		if (b == a)
			hi[i] = lo[i];	/* one value, checked once */
		else if (!part(P, b, max, &hi[i], l))
			return false;
	}
	return true;
}

static struct f_val
pair_val(uint32_t a, uint32_t b)
{
	return (struct f_val){ .type = T_PAIR, .v.i = a << 16 | b };
}

static struct f_val
lc_val(uint32_t a, uint32_t b, uint32_t c)
{
	return (struct f_val){ .type = T_LC, .v.lc = { a, b, c } };
}

static const char pair_order[] = "From value cannot be higher that To value in pair sets";

/*
 * (A, B) with A and B each a value, lo..hi or `*`. As BIRD translates it:
 * one range when A is one value or B is `*` ((1..3, *) is (1,0)..(3,65535)),
 * else a range of B for each value of A ((1..2, 5..6) is (1,5)..(1,6),
 * (2,5)..(2,6)), which for (*, B) is 65536 of them.
 */
struct cf_set_item *
cf_item_pair(struct cf_parser *P, const struct f_val *const v[4], const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	uint32_t lo[2], hi[2];

	if (!parts(P, v, 2, 0xffff, lo, hi, l))
		return out;
	if (lo[0] > hi[0] || lo[1] > hi[1]) {
		cf_err(P, l, "%s", pair_order);
		return out;
	}
	out->r.from = pair_val(lo[0], lo[1]);
	out->r.to = pair_val(hi[0], hi[1]);
	if (!v[2] || lo[0] == hi[0])
		return out;
	struct f_range *r = pool_alloc(P->pool, (hi[0] - lo[0] + 1) * sizeof *r);
	for (uint32_t a = lo[0]; a <= hi[0]; a++)
		r[a - lo[0]] = (struct f_range){ pair_val(a, lo[1]), pair_val(a, hi[1]) };
	out->n = hi[0] - lo[0] + 1;
	out->many = r;
	return out;
}

struct cf_set_item *
cf_item_pair_to(struct cf_parser *P, const struct f_val *const v[4], const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	uint32_t x[4];

	for (unsigned i = 0; i < 4; i++)
		if (!part(P, v[i], 0xffff, &x[i], l))
			return out;
	if ((x[0] << 16 | x[1]) > (x[2] << 16 | x[3])) {
		cf_err(P, l, "%s", pair_order);
		return out;
	}
	out->r.from = pair_val(x[0], x[1]);
	out->r.to = pair_val(x[2], x[3]);
	return out;
}

/* (a, b, c) where the grammar lets a part be lo..hi or `*` only when every
 * later part is `*`: always one range */
struct cf_set_item *
cf_item_lc(struct cf_parser *P, const struct f_val *const v[6], const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	uint32_t lo[3], hi[3];

	if (!parts(P, v, 3, 0xffffffffu, lo, hi, l))
		return out;
	out->r.from = lc_val(lo[0], lo[1], lo[2]);
	out->r.to = lc_val(hi[0], hi[1], hi[2]);
	return out;
}

struct cf_set_item *
cf_item_lc_to(struct cf_parser *P, const struct f_val *const v[6], const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	uint32_t x[6];

	for (unsigned i = 0; i < 6; i++)
		if (!part(P, v[i], 0xffffffffu, &x[i], l))
			return out;
	out->r.from = lc_val(x[0], x[1], x[2]);
	out->r.to = lc_val(x[3], x[4], x[5]);
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
patt_cmp(const void *x, const void *y)
{
	const struct sortable *a = x, *b = y;
	int c = net_cmp(&a->it->p.net, &b->it->p.net);

	if (!c)
		c = a->it->p.lo - b->it->p.lo;
	return c ? c : a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* BIRD's order of two values: values of two types (an IPv4 address and a
 * quad excepted) compare as "greater" both ways */
static int
bird_cmp(const struct f_val *a, const struct f_val *b)
{
	if (a->type == b->type)
		return val_compare(a, b);
	if (a->type == T_QUAD && b->type == T_IP && ip_is4(b->v.ip))
		return a->v.i < ip4_to_u32(b->v.ip) ? -1 : a->v.i > ip4_to_u32(b->v.ip);
	if (b->type == T_QUAD && a->type == T_IP && ip_is4(a->v.ip))
		return ip4_to_u32(a->v.ip) < b->v.i ? -1 : ip4_to_u32(a->v.ip) > b->v.i;
	return 1;
}

/*
 * The ranges sorted by their lower bound as BIRD sorts them: glibc's merge
 * sort (halves of n / 2 and the rest, the left one taken on ties) with
 * BIRD's comparison. For a set of one type that is a stable sort; for a
 * set mixing types (BIRD 2.0.12 takes [5, (1,2)]) it gives BIRD's order
 * too, which is how such a set prints.
 */
static void
msort(struct f_range *r, struct f_range *tmp, unsigned n)
{
	if (n < 2)
		return;
	unsigned n1 = n / 2, i = 0, j = n1, k = 0;
	msort(r, tmp, n1);
	msort(r + n1, tmp, n - n1);
	while (i < n1 && j < n)
		tmp[k++] = bird_cmp(&r[i].from, &r[j].from) <= 0 ? r[i++] : r[j++];
	while (i < n1)
		tmp[k++] = r[i++];
	memcpy(r, tmp, k * sizeof *r);
}

static void
patt_set(struct cf_parser *P, struct f_val *out, const struct cf_setb *b, const struct cf_loc *l)
{
	unsigned n = b->n;
	struct f_set *s = pool_zalloc(P->pool, sizeof *s);

	for (unsigned i = 1; i < n; i++)
		if (b->v[i]->p.net.type != b->v[0]->p.net.type) {
			cf_err(P, l, "Mixed IPv4/IPv6 prefixes in prefix set");
			return;
		}
	/* big sets are usually written in order (generated): check that first */
	const struct cf_set_item **it = b->v;
	unsigned k = 1;
	while (k < n && patt_cmp(&(struct sortable){ it[k - 1], k - 1 },
				 &(struct sortable){ it[k], k }) < 0)
		k++;
	if (k < n) {
		struct sortable *v = pool_alloc(P->pool, n * sizeof *v);
		for (unsigned i = 0; i < n; i++)
			v[i] = (struct sortable){ it[i], i };
		qsort(v, n, sizeof *v, patt_cmp);
		it = pool_alloc(P->pool, n * sizeof *it);
		for (unsigned i = 0; i < n; i++)
			it[i] = v[i].it;
	}
	struct f_prefix_patt *p = pool_alloc(P->pool, n * sizeof *p);
	for (unsigned i = 0; i < n; i++)
		p[i] = it[i]->p;
	s->n = n;
	s->p = p;
	*out = (struct f_val){ .type = T_PREFIX_SET, .v.set = s };
}

void
cf_set_end(struct cf_parser *P, struct f_val *out, struct cf_setb *b, const struct cf_loc *l)
{
	unsigned n = 0, patts = 0;

	void_val(out);
	for (unsigned i = 0; b && i < b->n; i++) {
		if (!b->v[i]->is_patt && b->v[i]->r.from.type == T_VOID)
			return;		/* reported already */
		patts += b->v[i]->is_patt;
		n += b->v[i]->n ? b->v[i]->n : 1;
	}
	if (patts && patts != b->n) {	/* `case` labels */
		cf_err(P, l, "Mixing prefixes and other values in one set");
		return;
	}
	if (patts) {
		patt_set(P, out, b, l);
		return;
	}
	struct f_set *s = pool_zalloc(P->pool, sizeof *s);
	struct f_range *r = n ? pool_alloc(P->pool, n * sizeof *r) : NULL;
	bool sorted = true;
	n = 0;
	for (unsigned i = 0; b && i < b->n; i++) {
		const struct cf_set_item *it = b->v[i];
		unsigned k = it->n ? it->n : 1;
		memcpy(r + n, it->n ? it->many : &it->r, k * sizeof *r);
		for (unsigned j = n ? n : 1; j < n + k; j++)
			sorted = sorted && r[j].from.type == r[0].from.type &&
				 val_compare(&r[j - 1].from, &r[j].from) <= 0;
		n += k;
	}
	if (!sorted)
		msort(r, pool_alloc(P->pool, n * sizeof *r), n);
	s->n = n;
	s->r = r;
	/* BIRD's set is a tree with its middle item at the root, and only a
	 * value of the root's type can be looked up in it */
	s->etype = n ? r[n / 2].from.type : T_VOID;
	*out = (struct f_val){ .type = T_SET, .v.set = s };
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

/* (KIND, ASN, value | lo..hi | *): BIRD 2.0's sets take ASN keys only; a
 * 4-byte ASN leaves 16 bits for the value (generic ECs always have 32) */
struct cf_set_item *
cf_item_ec(struct cf_parser *P, int kind, const struct f_val *a, const struct f_val *lo,
	   const struct f_val *hi, const struct cf_loc *l)
{
	struct cf_set_item *out = item_new(P);
	uint32_t key, max, x[2];
	struct f_val k, from, to;

	if (!part(P, a, 0xffffffffu, &key, l))
		return out;
	max = key <= 0xffff || kind == EC_GENERIC ? 0xffffffffu : 0xffff;
	if (!parts(P, (const struct f_val *const[]){ lo, hi }, 1, max, &x[0], &x[1], l))
		return out;
	cf_val_int(&k, key);
	cf_val_int(&from, x[0]);
	cf_val_int(&to, x[1]);
	cf_ec(P, &out->r.from, kind, &k, &from, l);
	cf_ec(P, &out->r.to, kind, &k, &to, l);
	return out;
}

/* ---- constant lists and paths ------------------------------------------- */

/*
 * BIRD preevaluates list and path operations on constants, so `define L =
 * add(-empty-, (1, 2));` is a clist and `add(add(-empty-, (1,2)), 5)` fails
 * when it is read. Such values have the VM's layout (vm/vm.h), so the
 * compiler takes them as constants: a clist, eclist or lclist holds 1, 2 or
 * 3 words an element (an ec's high word first); a path holds segments of
 * a type, a count and big-endian 4-byte ASNs. Constant paths are made by
 * prepend only, so they hold sequences.
 */
enum { SEG_SET = 1, SEG_SEQUENCE = 2, SEG_CONFED_SEQUENCE = 3, SEG_MAX = 255 };

static bool
is_list(enum f_type t)
{
	return t == T_CLIST || t == T_ECLIST || t == T_LCLIST;
}

static unsigned
width(enum f_type t)		/* words of one element */
{
	return t == T_CLIST ? 1 : t == T_ECLIST ? 2 : 3;
}

static size_t
count(const struct f_val *l)
{
	return l->v.d.len / (4 * width(l->type));
}

static const uint32_t *
words(const struct f_val *l, size_t i)
{
	return (const uint32_t *)l->v.d.p + i * width(l->type);
}

/* element i of list l, as a value of its element type (a quad: as) */
static struct f_val
elem(const struct f_val *l, size_t i, enum f_type as)
{
	const uint32_t *w = words(l, i);

	if (l->type == T_CLIST)
		return (struct f_val){ .type = as == T_QUAD ? T_QUAD : T_PAIR, .v.i = w[0] };
	if (l->type == T_ECLIST)
		return (struct f_val){ .type = T_EC, .v.ec = (uint64_t)w[0] << 32 | w[1] };
	return lc_val(w[0], w[1], w[2]);
}

/* x as an element of a list of type t (an IPv4 address is a quad) */
static bool
elem_words(enum f_type t, const struct f_val *x, uint32_t w[3])
{
	if (t == T_CLIST && (x->type == T_PAIR || x->type == T_QUAD))
		w[0] = x->v.i;
	else if (t == T_CLIST && x->type == T_IP && ip_is4(x->v.ip))
		w[0] = ip4_to_u32(x->v.ip);
	else if (t == T_ECLIST && x->type == T_EC)
		w[0] = (uint32_t)(x->v.ec >> 32), w[1] = (uint32_t)x->v.ec;
	else if (t == T_LCLIST && x->type == T_LC)
		w[0] = x->v.lc.asn, w[1] = x->v.lc.ldp1, w[2] = x->v.lc.ldp2;
	else
		return false;
	return true;
}

static bool
has_words(const uint32_t *l, size_t n, unsigned k, const uint32_t *w)
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(l + i * k, w, k * 4))
			return true;
	return false;
}

static bool in_set(const struct f_val *a, const struct f_set *set, enum f_type st);

/* can the members of a list of type t be looked up in set s? */
static bool
set_fits(enum f_type t, const struct f_set *s)
{
	enum f_type e = s->etype;

	return !s->n || (t == T_CLIST && (e == T_PAIR || e == T_QUAD)) ||
	       (t == T_ECLIST && e == T_EC) || (t == T_LCLIST && e == T_LC) ||
	       (t == T_PATH && e == T_INT);
}

/* add, delete, filter on a clist, eclist or lclist, as BIRD does them */
static const char *
list_edit(struct cf_parser *P, enum f_method m, const struct f_val *l, const struct f_val *x,
	  struct f_val *out)
{
	static const char *const add[] = { "Can't add non-pair", "Can't add non-ec", "Can't add non-lc" };
	static const char *const del[] = { "Can't delete non-pair", "Can't delete non-ec",
					   "Can't delete non-lc" };
	static const char *const flt[] = { "Can't filter pair", "Can't filter ec", "Can't filter lc" };
	unsigned k = width(l->type);
	size_t n = count(l), xn = x->type == l->type ? count(x) : 1, o = 0;
	uint32_t e[3] = { 0, 0, 0 }, *w = pool_alloc(P->pool, (n + xn) * k * 4 + 4);
	bool one = elem_words(l->type, x, e), set = x->type == T_SET;

	if (m == M_ADD) {
		if (set)
			return "Can't add set";
		if (!one && x->type != l->type)
			return add[k - 1];
		memcpy(w, l->v.d.p, n * k * 4);
		o = n;
		for (size_t i = 0; i < xn; i++) {
			const uint32_t *a = one ? e : words(x, i);
			if (!has_words(w, o, k, a))
				memcpy(w + k * o++, a, k * 4);
		}
	} else {
		bool keep = m == M_FILTER;
		if (set ? !set_fits(l->type, x->v.set) : x->type != l->type && (keep || !one))
			return keep ? flt[k - 1] : del[k - 1];
		for (size_t i = 0; i < n; i++) {
			const uint32_t *a = words(l, i);
			struct f_val v = elem(l, i, set ? x->v.set->etype : T_VOID);
			bool in = set ? in_set(&v, x->v.set, T_SET) :
				  one ? !memcmp(a, e, k * 4) : has_words(x->v.d.p, xn, k, a);
			if (in == keep)
				memcpy(w + k * o++, a, k * 4);
		}
	}
	*out = (struct f_val){ .type = l->type, .v.d = { w, (uint32_t)(o * k * 4) } };
	return NULL;
}

static const char *
list_extreme(const struct f_val *l, bool max, struct f_val *out)
{
	static const uint32_t zero[3];

	/* an empty list's: the element type's zero, as BIRD gives */
	*out = elem(&(struct f_val){ .type = l->type, .v.d = { zero, sizeof zero } }, 0, T_VOID);
	for (size_t i = 0; i < count(l); i++) {
		struct f_val v = elem(l, i, T_VOID);
		if (!i || (val_compare(&v, out) > 0) == max)
			*out = v;
	}
	return NULL;
}

static uint32_t
get_as(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put_as(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* each segment of a path: q its first byte, q[0] its type, q[1] its count */
#define SEGMENTS(q, path)							\
	for (const uint8_t *q = (path)->v.d.p, *end_ = q + (path)->v.d.len;	\
	     end_ - q >= 2 && end_ - q >= 2 + 4 * q[1]; q += 2 + 4 * q[1])

/* .len, .first, .last, .last_nonaggregated (0 when there is none) */
static uint32_t
path_get(const struct f_val *p, enum f_method m)
{
	const uint8_t *f = p->v.d.p;
	uint32_t v = 0;

	if (m == M_FIRST)
		return p->v.d.len >= 6 && f[0] == SEG_SEQUENCE && f[1] ? get_as(f + 2) : 0;
	SEGMENTS(q, p) {
		bool seq = q[0] == SEG_SEQUENCE || q[0] == SEG_CONFED_SEQUENCE;
		if (m == M_LEN)
			v += q[0] == SEG_SET ? 1 : q[0] == SEG_SEQUENCE ? q[1] : 0;
		else if (!q[1])
			continue;
		else if (seq)
			v = get_as(q + 2 + 4 * (q[1] - 1u));
		else if (m == M_LAST_NONAGG)
			return v;
		else
			v = 0;	/* .last of a path ending in a set */
	}
	return v;
}

static struct f_val
path_prepend(struct cf_parser *P, const struct f_val *p, uint32_t asn)
{
	const uint8_t *q = p->v.d.p;
	uint32_t n = p->v.d.len;
	uint8_t *o = pool_alloc(P->pool, n + 6);
	bool grow = n >= 2 && q[0] == SEG_SEQUENCE && q[1] < SEG_MAX;

	o[0] = SEG_SEQUENCE;
	o[1] = grow ? (uint8_t)(q[1] + 1) : 1;
	put_as(o + 2, asn);
	memcpy(o + 6, grow ? q + 2 : q, grow ? n - 2 : n);
	return (struct f_val){ .type = T_PATH, .v.d = { o, grow ? n + 4 : n + 6 } };
}

/* delete / filter an ASN or an int set from a path; emptied segments go */
static const char *
path_edit(struct cf_parser *P, enum f_method m, const struct f_val *p, const struct f_val *x,
	  struct f_val *out)
{
	bool keep = m == M_FILTER, set = x->type == T_SET && set_fits(T_PATH, x->v.set);
	uint8_t *o = pool_alloc(P->pool, p->v.d.len + 1), *d = o;

	if (m == M_ADD)
		return "Can't add to path";
	if (!set && (keep || x->type != T_INT))
		return keep ? "Can't filter integer" : "Can't delete non-integer (set)";
	SEGMENTS(q, p) {
		unsigned k = 0;
		for (unsigned i = 0; i < q[1]; i++) {
			struct f_val a = { .type = T_INT, .v.i = get_as(q + 2 + 4 * i) };
			if ((set ? in_set(&a, x->v.set, T_SET) : a.v.i == x->v.i) == keep)
				put_as(d + 2 + 4 * k++, a.v.i);
		}
		if (k) {
			d[0] = q[0];
			d[1] = (uint8_t)k;
			d += 2 + 4 * k;
		}
	}
	*out = (struct f_val){ .type = T_PATH, .v.d = { o, (uint32_t)(d - o) } };
	return NULL;
}

static bool
path_has(const struct f_val *p, uint32_t asn)
{
	SEGMENTS(q, p)
		for (unsigned i = 0; i < q[1]; i++)
			if (get_as(q + 2 + 4 * i) == asn)
				return true;
	return false;
}

/* a list or path as BIRD prints it: "(clist (1,2) (3,4))", "(path 6 5)" */
static const char *
list_format(struct cf_parser *P, const struct f_val *l)
{
	static const char *const name[] = { [T_CLIST] = "clist", [T_ECLIST] = "eclist",
					    [T_LCLIST] = "lclist", [T_PATH] = "path" };
	char b[64];
	const char *s = pool_printf(P->pool, "(%s ", name[l->type]);

	if (l->type == T_PATH) {
		SEGMENTS(q, l)
			for (unsigned i = 0; i < q[1]; i++)
				s = pool_printf(P->pool, "%s%s%u", s, s[strlen(s) - 1] == ' ' ? "" : " ",
						get_as(q + 2 + 4 * i));
	} else
		for (size_t i = 0; i < count(l); i++) {
			struct f_val v = elem(l, i, T_VOID);
			val_format(&v, b, sizeof b);
			s = pool_printf(P->pool, "%s%s%s", s, i ? " " : "", b);
		}
	return pool_printf(P->pool, "%s)", s);
}

/* lists, paths and byte strings are equal when their bytes are */
static bool
same(const struct f_val *a, const struct f_val *b)
{
	if (a->type == b->type && (is_list(a->type) || a->type == T_PATH))
		return a->v.d.len == b->v.d.len && !memcmp(a->v.d.p, b->v.d.p, a->v.d.len);
	return val_same(a, b);
}

const char *
cf_method_val(struct cf_parser *P, enum f_method m, const struct f_val *o, const struct f_val *x,
	      struct f_val *out)
{
	enum f_type t = o->type;

	*out = (struct f_val){ .type = T_INT };
	switch (m) {
	case M_LEN:
		if (t == T_NET)
			out->v.i = o->v.net.pxlen;
		else if (t == T_PATH)
			out->v.i = path_get(o, m);
		else if (is_list(t))
			out->v.i = (uint32_t)count(o);
		else
			return "";
		return NULL;
	case M_FIRST: case M_LAST: case M_LAST_NONAGG:
		if (t != T_PATH)
			return "";
		out->v.i = path_get(o, m);
		return NULL;
	case M_ASN:
		if (t != T_PAIR && t != T_LC)
			return "";
		out->v.i = t == T_PAIR ? o->v.i >> 16 : o->v.lc.asn;
		return NULL;
	case M_DATA:
		if (t != T_PAIR)
			return "";
		out->v.i = o->v.i & 0xffff;
		return NULL;
	case M_DATA1: case M_DATA2:
		if (t != T_LC)
			return "";
		out->v.i = m == M_DATA1 ? o->v.lc.ldp1 : o->v.lc.ldp2;
		return NULL;
	case M_IP:
		if (t != T_NET)
			return "";
		*out = (struct f_val){ .type = T_IP, .v.ip = o->v.net.ip };
		return NULL;
	case M_IS_V4:
		if (t != T_IP)
			return "";
		*out = (struct f_val){ .type = T_BOOL, .v.i = ip_is4(o->v.ip) };
		return NULL;
	case M_MASK:
		if (t != T_IP || !ip_is4(o->v.ip) || x->type != T_INT || x->v.i > 32)
			return "";	/* left to run time, as BIRD's range check is */
		/* net_ip4 clears the host bits */
		*out = (struct f_val){ .type = T_IP, .v.ip = net_ip4(ip4_to_u32(o->v.ip), x->v.i).ip };
		return NULL;
	case M_MIN: case M_MAX:
		return is_list(t) ? list_extreme(o, m == M_MAX, out) : "";
	case M_PREPEND:
		if (t != T_PATH || x->type != T_INT)
			return "";
		*out = path_prepend(P, o, x->v.i);
		return NULL;
	case M_ADD: case M_DELETE: case M_FILTER:
		if (x->type == T_VOID)
			return "";
		return is_list(t) ? list_edit(P, m, o, x, out) :
		       t == T_PATH ? path_edit(P, m, o, x, out) : "";
	default:
		return "";
	}
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

/* BIRD's shell-like patterns: `*` any run of characters, `?` any one,
 * `\` quotes the next */
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
		if (*p == '\\' && p[1])	/* quotes the next character */
			p++;
		else if (*p == '?' && *s)
			continue;
		if (!*s || *p != *s)
			return false;
	}
	return !*s;
}

/* as the VM looks it up: a prefix in a prefix pattern (the first bits of
 * the shorter agree); a value in a range of its own type that is not
 * reversed, in a set of that type (BIRD's root item's) */
static bool
in_set(const struct f_val *a, const struct f_set *set, enum f_type st)
{
	for (unsigned k = 0; k < set->n; k++) {
		if (st == T_PREFIX_SET) {
			const struct f_prefix_patt *pt = &set->p[k];
			unsigned bits = a->v.net.pxlen < pt->net.pxlen ? a->v.net.pxlen : pt->net.pxlen;
			bool ok = pt->net.type == a->v.net.type && a->v.net.pxlen >= pt->lo &&
				  a->v.net.pxlen <= pt->hi;
			for (unsigned i = 0; ok && i < bits; i++)
				ok = net_bit(&a->v.net, i) == net_bit(&pt->net, i);
			if (ok)
				return true;
		} else if (set->r[k].from.type == a->type && set->r[k].to.type == a->type &&
			   val_compare(&set->r[k].from, a) <= 0 && val_compare(a, &set->r[k].to) <= 0)
			return true;
	}
	return false;
}

/* a path against a mask [= ... =], the whole path (constant paths are
 * sequences): the mask's positions reached, item by item */
static bool
mask_match(struct eval *e, const struct f_path_mask *m, const struct f_val *p, struct f_val *frame,
	   bool *res)
{
	size_t n = 0, j;

	SEGMENTS(q, p)
		n += q[1];
	uint32_t *as = pool_alloc(e->P->pool, (n + 1) * 4);
	bool *r = pool_zalloc(e->P->pool, n + 1), *t = pool_zalloc(e->P->pool, n + 1), *x;
	n = 0;
	SEGMENTS(q, p)
		for (unsigned i = 0; i < q[1]; i++)
			as[n++] = get_as(q + 2 + 4 * i);
	r[0] = true;
	for (unsigned i = 0; i < m->n; i++) {
		const struct f_pm_item *it = &m->items[i];
		struct f_val v = { .type = T_VOID };
		if ((it->kind == PM_EXPR || it->kind == PM_SET) && !ev(e, it->expr, frame, &v))
			return false;
		if (v.type != T_VOID && v.type != T_INT && v.type != T_SET)
			return fail(e, "Constant expression expected");
		t[0] = it->kind == PM_ASTERISK && r[0];
		for (j = 1; j <= n; j++) {
			struct f_val a = { .type = T_INT, .v.i = as[j - 1] };
			bool ok = it->kind == PM_QUESTION ||
				  (it->kind == PM_ASN && a.v.i == it->asn) ||
				  (it->kind == PM_RANGE && a.v.i >= it->lo && a.v.i <= it->hi) ||
				  (v.type == T_INT && a.v.i == v.v.i) ||
				  (v.type == T_SET && in_set(&a, v.v.set, T_SET));
			t[j] = it->kind == PM_ASTERISK ? r[j] || t[j - 1] : r[j - 1] && ok;
		}
		x = r, r = t, t = x;
	}
	*res = r[n];
	return true;
}

/* BIRD's pairs of types a ~ b can take (a set: by its root item's type) */
bool
cf_match_ok(const struct f_val *a, const struct f_val *b)
{
	enum f_type x = a->type;
	uint32_t w[3];

	switch (b->type) {
	case T_PATH_MASK: return x == T_PATH;
	case T_PATH: return x == T_INT;
	case T_CLIST: case T_ECLIST: case T_LCLIST: return elem_words(b->type, a, w);
	case T_STRING: return x == T_STRING;
	case T_NET: return x == T_NET || x == T_IP;
	case T_PREFIX_SET: return x == T_NET;
	case T_SET:
		return !b->v.set->n || x == b->v.set->etype || x == T_PATH ||
		       (is_list(x) && set_fits(x, b->v.set));
	default: return false;
	}
}

/* a ~ b on values, as BIRD decides it; its error for the pairs of types
 * it does not match */
static bool
match(struct eval *e, const struct f_val *a, const struct f_val *b, struct f_val *frame, bool *res)
{
	const struct f_set *s = b->type == T_SET ? b->v.set : NULL;
	uint32_t w[3];

	if (!cf_match_ok(a, b)) {
		if (!e->failed)
			cf_err(e->P, e->l, "filter preevaluation, line %d: ~ applied on unknown type pair",
			       e->l->first_line);
		return stop(e);
	}
	if (b->type == T_PATH_MASK)
		return mask_match(e, b->v.pm, a, frame, res);
	if (b->type == T_PATH)
		*res = path_has(b, a->v.i);
	else if (is_list(b->type) && elem_words(b->type, a, w))
		*res = has_words(b->v.d.p, count(b), width(b->type), w);
	else if (b->type == T_PREFIX_SET && a->type == T_NET)
		*res = in_set(a, b->v.set, T_PREFIX_SET);
	else if (b->type == T_NET && a->type == T_NET)
		*res = net_contains(&b->v.net, &a->v.net);
	else if (b->type == T_NET && a->type == T_IP)
		*res = net_contains_ip(&b->v.net, a->v.ip);
	else if (b->type == T_STRING && a->type == T_STRING)
		*res = glob(b->v.s, a->v.s);
	else if (s && (!s->n || a->type == s->etype))
		*res = in_set(a, s, T_SET);
	else if (s && a->type == T_PATH) {
		*res = false;
		SEGMENTS(q, a)
			for (unsigned i = 0; i < q[1]; i++)
				*res = *res || in_set(&(struct f_val){ .type = T_INT,
						      .v.i = get_as(q + 2 + 4 * i) }, s, T_SET);
	} else {
		*res = false;
		for (size_t i = 0; i < count(a); i++) {
			struct f_val v = elem(a, i, s->etype);
			*res = *res || in_set(&v, s, T_SET);
		}
	}
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
		if (!match(e, &a, &b, frame, &r))
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
			if (!hit && !match(e, &v, &c->labels, frame, &hit))
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
		if (a.type == T_PATH || is_list(a.type)) {
			cf_val_string(out, list_format(e->P, &a));
			return true;
		}
		val_format(&a, buf, sizeof buf);
		cf_val_string(out, pool_strdup(e->P->pool, buf));
		return true;
	case N_METHOD: {
		const char *err;
		void_val(&b);
		if (!ev(e, n->a, frame, &a) || (n->args && !ev(e, n->args, frame, &b)))
			return false;
		err = cf_method_val(e->P, (enum f_method)n->op, &a, &b, out);
		if (!err)
			return true;
		if (!*err)
			return fail(e, "Constant expression expected");
		if (!e->failed)
			cf_err(e->P, e->l, "filter preevaluation, line %d: %s", e->l->first_line, err);
		return stop(e);
	}
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
