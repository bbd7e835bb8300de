/*
 * The filter language's static type rules. cf_check() is called on every
 * node as the grammar builds it, children first, so it sees its operands'
 * types and sets the node's own. It reports what BIRD reports at parse
 * time, in BIRD's words ("Argument 1 of ADD must be of type int, got type
 * pair"): wrong operand types where they are known, assignments of the
 * wrong type, read-only attributes, wrong argument counts and types in
 * calls, and the errors of folding a constant sub-term (BIRD folds
 * constants when it parses, so `1/0` or `(70000, 1)` fail there).
 *
 * An operand of type T_VOID is unknown (BIRD checks it at run time) or
 * already wrong; it never causes a second error.
 */
#include <string.h>

#include "lang/cf_int.h"

static struct cf_loc
loc_of(struct cf_parser *P, const struct f_node *n)
{
	struct cf_loc l = { n->line, n->col, n->line, n->col, P->cur };

	/* the node's file name is its file's own string */
	for (struct cf_file *f = P->files; f; f = f->all)
		if (f->name == n->file) {
			l.file = f;
			return l;
		}
	for (struct cf_file *f = P->files; f; f = f->all)
		if (n->file && !strcmp(f->name, n->file))
			l.file = f;
	return l;
}

/* "Argument N of INST must be of type T, got type U"; false when reported */
static bool
arg(struct cf_parser *P, const struct f_node *n, unsigned i, const char *inst,
    const struct f_node *a, enum f_type want)
{
	if (!a || a->type == T_VOID || a->type == want || cf_assignable(want, a))
		return true;
	struct cf_loc l = loc_of(P, n);
	cf_err(P, &l, "Argument %u of %s must be of type %s, got type %s", i, inst,
	       want == T_VOID ? "?" : f_type_name(want), f_type_name(a->type));
	return false;
}

static bool
is_const(const struct f_node *n)
{
	return n && n->kind == N_CONST && n->type != T_VOID;
}

/* replace n by the constant v (T_VOID: folding failed and was reported) */
static void
become(struct f_node *n, const struct f_val *v)
{
	n->kind = N_CONST;
	n->val = *v;
	n->type = v->type;
	n->a = n->b = n->c = NULL;
}

/* BIRD's constant promotions: an IPv4 constant where a quad is wanted, an
 * empty set literal where any set is */
bool
cf_assignable(enum f_type want, const struct f_node *v)
{
	if (v->type == want || v->type == T_VOID || want == T_VOID)
		return true;
	if (v->kind != N_CONST)
		return false;
	if (want == T_QUAD && v->type == T_IP && ip_is4(v->val.v.ip))
		return true;
	if (want == T_IP && v->type == T_QUAD)
		return true;
	if (want == T_PREFIX_SET && v->type == T_SET && !v->val.v.set->n)
		return true;
	if (want == T_SET && v->type == T_PREFIX_SET && !v->val.v.set->n)
		return true;
	return false;
}

static const int fold_op[] = {
	[OP_ADD] = '+', [OP_SUB] = '-', [OP_MUL] = '*', [OP_DIV] = '/', [OP_AND] = '&',
	[OP_OR] = '|', [OP_EQ] = '=', [OP_NEQ] = 'n', [OP_LT] = '<', [OP_GT] = '>',
	[OP_LE] = 'l', [OP_GE] = 'g',
};

static bool
is_list(enum f_type t)
{
	return t == T_CLIST || t == T_ECLIST || t == T_LCLIST;
}

static void
check_binop(struct cf_parser *P, struct f_node *n)
{
	struct f_node *a = n->a, *b = n->b;
	enum f_op op = (enum f_op)n->op;
	struct cf_loc l = loc_of(P, n);

	switch (op) {
	case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		n->type = T_INT;
		if (!arg(P, n, 1, f_op_name(op), a, T_INT) || !arg(P, n, 2, f_op_name(op), b, T_INT))
			n->type = T_VOID;
		break;
	case OP_AND: case OP_OR:
		n->type = T_BOOL;
		if (!arg(P, n, 1, f_op_name(op), a, T_BOOL) || !arg(P, n, 2, f_op_name(op), b, T_BOOL))
			n->type = T_VOID;
		break;
	case OP_EQ: case OP_NEQ:
		n->type = T_BOOL;
		break;
	case OP_LT: case OP_GT: case OP_LE: case OP_GE:
		n->type = T_BOOL;
		if (a->type != T_VOID && b->type != T_VOID && a->type != b->type &&
		    !cf_assignable(a->type, b) && !cf_assignable(b->type, a)) {
			cf_err(P, &l, "Arguments 1 and 2 of %s must be of the same type", f_op_name(op));
			n->type = T_VOID;
		}
		break;
	case OP_MATCH: case OP_NMATCH: {
		/* both constant: BIRD preevaluates it (a mask is never on the left) */
		struct f_val bv = b->kind == N_PATH_MASK ? (struct f_val){ .type = T_PATH_MASK } : b->val;
		n->type = T_BOOL;
		if ((is_const(b) || b->kind == N_PATH_MASK) &&
		    ((is_const(a) && !cf_match_ok(&a->val, &bv)) || a->kind == N_PATH_MASK)) {
			cf_err(P, &l, "filter preevaluation, line %d: ~ applied on unknown type pair",
			       n->line);
			n->type = T_VOID;
		}
		return;		/* matches are left to the VM */
	}
	}
	if (n->type != T_VOID && is_const(a) && is_const(b)) {
		struct f_val v;
		cf_binop(P, &v, fold_op[op], &a->val, &b->val, &l);
		become(n, &v);
	}
}

/* what a method gives on an object of type t; T__COUNT: not applicable */
static enum f_type
method_type(enum f_method m, enum f_type t)
{
	switch (m) {
	case M_LEN:
		return t == T_NET || t == T_PATH || is_list(t) || t == T_BYTESTRING ? T_INT : T__COUNT;
	case M_FIRST: case M_LAST: case M_LAST_NONAGG:
		return t == T_PATH ? T_INT : T__COUNT;
	case M_ASN:
		return t == T_NET || t == T_PAIR || t == T_LC ? T_INT : T__COUNT;
	case M_DATA:
		return t == T_PAIR ? T_INT : T__COUNT;
	case M_DATA1: case M_DATA2:
		return t == T_LC ? T_INT : T__COUNT;
	case M_IP:
		return t == T_NET ? T_IP : T__COUNT;
	case M_MASK:
		return t == T_IP ? T_IP : T__COUNT;
	case M_IS_V4:
		return t == T_IP ? T_BOOL : T__COUNT;
	case M_TYPE:
		return t == T_NET ? T_ENUM_NET_TYPE : T__COUNT;
	case M_SRC: case M_DST:
		return t == T_NET ? T_NET : T__COUNT;
	case M_MAXLEN:
		return t == T_NET ? T_INT : T__COUNT;
	case M_RD:
		return t == T_NET ? T_RD : T__COUNT;
	case M_MIN: case M_MAX:
		return t == T_CLIST ? T_PAIR : t == T_ECLIST ? T_EC : t == T_LCLIST ? T_LC :
		       t == T_SET || t == T_PREFIX_SET ? T_VOID : T__COUNT;
	case M_EMPTY:
		return t == T_PATH || is_list(t) ? t : T__COUNT;
	case M_PREPEND:
		return t == T_PATH ? T_PATH : T__COUNT;
	case M_ADD: case M_DELETE: case M_FILTER:	/* add to a path: a run-time error */
		return is_list(t) || t == T_PATH ? t : T__COUNT;
	case M__COUNT:
		break;
	}
	return T__COUNT;
}

/* a method on an object of unknown type: what it gives when that is clear */
static enum f_type
method_type_any(enum f_method m)
{
	switch (m) {
	case M_LEN: case M_FIRST: case M_LAST: case M_LAST_NONAGG: case M_ASN: case M_DATA:
	case M_DATA1: case M_DATA2: case M_MAXLEN:
		return T_INT;
	case M_IP: case M_MASK:
		return T_IP;
	case M_TYPE:
		return T_ENUM_NET_TYPE;
	case M_RD:
		return T_RD;
	case M_IS_V4:
		return T_BOOL;
	default:
		return T_VOID;
	}
}

static unsigned
nargs(const struct f_node *n)
{
	unsigned k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

/* BIRD evaluates a method on constants when it parses it (list and path
 * operations too): fold it, or report BIRD's error */
static void
fold_method(struct cf_parser *P, struct f_node *n, const struct cf_loc *l)
{
	struct f_val v, none = { .type = T_VOID };
	const char *err = cf_method_val(P, (enum f_method)n->op, &n->a->val,
					n->args ? &n->args->val : &none, &v);

	if (!err)
		become(n, &v);
	else if (*err) {
		cf_err(P, l, "filter preevaluation, line %d: %s", n->line, err);
		n->type = T_VOID;
	}
}

/* BIRD's instruction for an accessor, as its type errors name it */
static const char *
bird_inst(enum f_method m)
{
	switch (m) {
	case M_FIRST: return "AS_PATH_FIRST";
	case M_LAST: return "AS_PATH_LAST";
	case M_LAST_NONAGG: return "AS_PATH_LAST_NAG";
	case M_DATA: return "PAIR_DATA";
	case M_DATA1: return "LC_DATA1";
	case M_DATA2: return "LC_DATA2";
	case M_IP: return "IP";
	case M_MAXLEN: return "ROA_MAXLEN";
	case M_RD: return "ROUTE_DISTINGUISHER";
	case M_SRC: return "NET_SRC";
	case M_DST: return "NET_DST";
	case M_IS_V4: return "IS_V4";
	default: return NULL;
	}
}

/* the error BIRD gives for an accessor of ROA, VPN, flow or SADR nets on
 * an IP net (the only nets Birch holds); NULL when it applies to IP nets */
const char *
f_net_method_error(enum f_method m)
{
	switch (m) {
	case M_MAXLEN: case M_ASN: return "ROA expected";
	case M_RD: return "VPN address expected";
	case M_SRC: case M_DST: return "Flow or SADR expected";
	default: return NULL;
	}
}

static void
check_method(struct cf_parser *P, struct f_node *n)
{
	enum f_method m = (enum f_method)n->op;
	enum f_type t = n->a->type;
	unsigned want = m == M_MASK || m == M_PREPEND || m == M_ADD || m == M_DELETE ||
			m == M_FILTER ? 1 : 0;
	struct cf_loc l = loc_of(P, n);

	if (nargs(n->args) != want) {
		cf_err(P, &l, "Method .%s takes %u argument%s, got %u", f_method_name(m), want,
		       want == 1 ? "" : "s", nargs(n->args));
		return;
	}
	if (t == T_VOID) {
		n->type = method_type_any(m);
		return;
	}
	enum f_type r = method_type(m, t);
	if (r == T__COUNT && n->a->kind == N_CALL && n->a->sym && n->a->sym->u.ptr &&
	    !((const struct f_function *)n->a->sym->u.ptr)->ret_declared) {
		/* BIRD 2.0 does not know what a function returns: a run-time error */
		n->type = method_type_any(m);
		return;
	}
	if (r == T__COUNT) {
		if (m == M_MASK)
			cf_err(P, &l, "Argument 1 of IP_MASK must be of type ip, got type %s",
			       f_type_name(t));
		else if (m == M_PREPEND)
			cf_err(P, &l, "Argument 1 of PATH_PREPEND must be of type bgppath, got type %s",
			       f_type_name(t));
		else if (m == M_LEN && is_const(n->a))
			cf_err(P, &l, "filter preevaluation, line %d: Prefix, path, clist or eclist expected",
			       n->line);
		else if (m == M_ASN && is_const(n->a))
			cf_err(P, &l, "filter preevaluation, line %d: Net, pair or lc expected", n->line);
		else if (m == M_TYPE && is_const(n->a))
			cf_err(P, &l, "filter preevaluation, line %d: Can't determine type of this item",
			       n->line);
		else if ((m == M_MIN || m == M_MAX) && is_const(n->a))
			cf_err(P, &l, "filter preevaluation, line %d: Clist or lclist expected", n->line);
		else if (bird_inst(m))
			cf_err(P, &l, "Argument 1 of %s must be of type %s, got type %s", bird_inst(m),
			       m == M_IS_V4 ? "ip" : m == M_DATA ? "pair" :
			       m == M_DATA1 || m == M_DATA2 ? "lc" :
			       m == M_FIRST || m == M_LAST || m == M_LAST_NONAGG ? "bgppath" : "prefix",
			       f_type_name(t));
		else
			cf_err(P, &l, "Method .%s is not defined for type %s", f_method_name(m),
			       f_type_name(t));
		return;
	}
	n->type = r;
	if (t == T_NET && is_const(n->a) && f_net_method_error(m)) {
		/* Birch's nets are IP nets: BIRD's error for the others' accessors */
		cf_err(P, &l, "filter preevaluation, line %d: %s", n->line, f_net_method_error(m));
		n->type = T_VOID;
		return;
	}
	if (m == M_MASK && !arg(P, n, 2, "IP_MASK", n->args, T_INT))
		n->type = T_VOID;
	else if (m == M_PREPEND)
		arg(P, n, 2, "PATH_PREPEND", n->args, T_INT);
	if (n->type != T_VOID && is_const(n->a) && (!n->args || is_const(n->args)))
		fold_method(P, n, &l);
}

static void
check_call(struct cf_parser *P, struct f_node *n)
{
	const struct f_function *fn = n->sym->u.ptr;
	unsigned k = nargs(n->args), i = 0;
	struct cf_loc l = loc_of(P, n);

	if (!fn)
		return;
	if (k != fn->nargs) {
		cf_err(P, &l, "Function '%s' expects %u arguments, got %u arguments", n->sym->name,
		       fn->nargs, k);
		return;
	}
	for (const struct f_node *a = n->args; a; a = a->next, i++) {
		const struct f_var *v = fn->argv[i]->u.ptr;
		if (!cf_assignable(v->type, a)) {
			cf_err(P, &l, "Argument %u of '%s' must be %s, got %s", i + 1, n->sym->name,
			       f_type_name(v->type), f_type_name(a->type));
			return;
		}
	}
	n->type = fn->ret;
}

/* what `for` gives each round: the element of a path or list */
static enum f_type
element(enum f_type t)
{
	switch (t) {
	case T_PATH: return T_INT;
	case T_CLIST: return T_PAIR;
	case T_ECLIST: return T_EC;
	case T_LCLIST: return T_LC;
	default: return T__COUNT;
	}
}

static void
check_for(struct cf_parser *P, struct f_node *n)
{
	const struct f_var *v = n->sym->u.ptr;
	enum f_type t = n->a->type, e;
	struct cf_loc l = loc_of(P, n->a);

	if (t == T_VOID)
		return;
	e = element(t);
	if (e == T__COUNT) {
		cf_err(P, &l, "Value of expression in FOR must be iterable, got %s", f_type_name(t));
		return;
	}
	if (v->type != e && v->type != T_VOID) {
		l = loc_of(P, n);
		cf_err(P, &l, "Loop variable '%s' in FOR must be %s, is %s", n->sym->name,
		       f_type_name(e), f_type_name(v->type));
	}
}

static void
check_set_attr(struct cf_parser *P, struct f_node *n)
{
	const struct f_attr *a = n->attr;
	const char *inst = a->flags & FA_STATIC ? "RTA_SET" : "EA_SET";

	if (a->type == T_VOID && !(a->flags & FA_CUSTOM)) {
		/* BIRD's opaque attributes (bgp_aggregator, ...) cannot be written */
		if (n->a && n->a->type != T_VOID) {
			struct cf_loc l = loc_of(P, n);
			cf_err(P, &l, "Argument 1 of EA_SET must be of type ?, got type %s",
			       f_type_name(n->a->type));
		}
		return;
	}
	arg(P, n, 1, inst, n->a, a->type);
}

void
cf_check(struct cf_parser *P, struct f_node *n)
{
	struct cf_loc l = loc_of(P, n);
	struct f_val v;

	switch (n->kind) {
	case N_CONST:
		n->type = n->val.type;
		break;
	case N_VAR:
		n->type = ((const struct f_var *)n->sym->u.ptr)->type;
		break;
	case N_ATTR:
		n->type = n->attr->type;
		break;
	case N_BINOP:
		check_binop(P, n);
		break;
	case N_NOT:
		if (arg(P, n, 1, "NOT", n->a, T_BOOL))
			n->type = T_BOOL;
		if (n->type == T_BOOL && is_const(n->a)) {
			cf_not(P, &v, &n->a->val, &l);
			become(n, &v);
		}
		break;
	case N_PAIR:
		if (arg(P, n, 1, "PAIR_CONSTRUCT", n->a, T_INT) &&
		    arg(P, n, 2, "PAIR_CONSTRUCT", n->b, T_INT))
			n->type = T_PAIR;
		if (n->type == T_PAIR && is_const(n->a) && is_const(n->b)) {
			cf_pair(P, &v, &n->a->val, &n->b->val, &l);
			become(n, &v);
		}
		break;
	case N_LC:
		if (arg(P, n, 1, "LC_CONSTRUCT", n->a, T_INT) &&
		    arg(P, n, 2, "LC_CONSTRUCT", n->b, T_INT) &&
		    arg(P, n, 3, "LC_CONSTRUCT", n->c, T_INT))
			n->type = T_LC;
		if (n->type == T_LC && is_const(n->a) && is_const(n->b) && is_const(n->c)) {
			cf_lc(P, &v, &n->a->val, &n->b->val, &n->c->val, &l);
			become(n, &v);
		}
		break;
	case N_EC:
		if (n->a->type != T_VOID && n->a->type != T_INT && n->a->type != T_IP &&
		    n->a->type != T_QUAD)
			arg(P, n, 1, "EC_CONSTRUCT", n->a, T_INT);
		else if (arg(P, n, 2, "EC_CONSTRUCT", n->b, T_INT))
			n->type = T_EC;
		if (n->type == T_EC && is_const(n->a) && is_const(n->b)) {
			cf_ec(P, &v, n->op, &n->a->val, &n->b->val, &l);
			become(n, &v);
		}
		break;
	case N_EMPTY:
		break;
	case N_PATH_MASK:
		n->type = T_PATH_MASK;
		for (unsigned i = 0; i < n->mask->n; i++) {
			const struct f_pm_item *it = &n->mask->items[i];
			if (it->kind == PM_EXPR && it->expr->type != T_VOID &&
			    it->expr->type != T_INT && it->expr->type != T_SET) {
				l = loc_of(P, it->expr);
				cf_err(P, &l, "Expression in path mask must be int or int set, got %s",
				       f_type_name(it->expr->type));
			}
		}
		break;
	case N_METHOD:
		check_method(P, n);
		break;
	case N_CALL:
		check_call(P, n);
		break;
	case N_DEFINED:
		n->type = T_BOOL;
		break;
	case N_ROA_CHECK: {
		const struct f_table *t = n->sym->u.ptr;
		unsigned k = nargs(n->args);
		if (t->type != TAB_ROA4 && t->type != TAB_ROA6 && t->type != TAB_ANY)
			cf_err(P, &l, "%s is not a ROA table", t->name);
		else if (k != 0 && k != 2)
			cf_err(P, &l, "roa_check() takes a table and either nothing or a prefix and an ASN");
		else if (k == 2 && arg(P, n, 1, "ROA_CHECK", n->args, T_NET))
			arg(P, n, 2, "ROA_CHECK", n->args->next, T_INT);
		n->type = T_ENUM_ROA;
		break;
	}
	case N_FORMAT:
		n->type = T_STRING;
		break;
	case N_DECL:
	case N_SET_VAR:
		if (n->a)
			arg(P, n, 1, "VAR_SET", n->a,
			    ((const struct f_var *)n->sym->u.ptr)->type);
		break;
	case N_SET_ATTR:
		check_set_attr(P, n);
		break;
	case N_IF:
		arg(P, n, 1, "CONDITION", n->a, T_BOOL);
		break;
	case N_BT_ASSERT:
		arg(P, n, 1, "ASSERT", n->a, T_BOOL);
		break;
	case N_FOR:
		check_for(P, n);
		break;
	case N_CASE: case N_BLOCK: case N_UNSET: case N_RETURN: case N_ACCEPT: case N_REJECT:
	case N_ERROR: case N_PRINT: case N_CALL_STMT:
		break;
	}
}
