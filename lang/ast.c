/*
 * The filter language's grammar actions: each builds one node of the
 * syntax tree (lang/ast.h) in the config's pool and hands it to the
 * checker (typecheck.c), or declares what a filter, function, attribute,
 * table or test names. Names resolve as they are read: the lexer looks
 * them up in P->scope, which a filter, a function, a block or a typed
 * `for` pushes and pops, so a node is complete when it is built.
 *
 * Errors use BIRD's wording where BIRD has one; after an error the node
 * is still built, typed T_VOID, so the parse goes on and reports the rest.
 */
#include <string.h>

#include "lang/cf_int.h"

/* where a tree goes: the scratch pool inside a route block (dropped once
 * the block is compiled), else the config's pool */
static struct pool *
tree_pool(struct cf_parser *P)
{
	return P->npool ? P->npool : P->pool;
}

static struct f_node *
node(struct cf_parser *P, enum f_node_kind kind, const struct cf_loc *l)
{
	struct f_node *n = pool_zalloc(tree_pool(P), sizeof *n);

	n->kind = kind;
	n->type = T_VOID;
	if (l) {
		n->file = l->file ? l->file->name : NULL;
		n->line = l->first_line;
		n->col = l->first_column;
	}
	return n;
}

/* the node's place as a bison location, for cf_err */
static struct cf_loc
where(struct cf_parser *P, const struct f_node *n)
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

static struct f_node *
checked(struct cf_parser *P, struct f_node *n)
{
	cf_check(P, n);
	return n;
}

struct f_node *
cf_list(struct f_node *list, struct f_node *n)
{
	if (!n)
		return list;
	if (!list)
		return n;
	struct f_node *t = list;
	while (t->next)
		t = t->next;
	t->next = n;
	return list;
}

static unsigned
count(const struct f_node *n)
{
	unsigned k = 0;

	for (; n; n = n->next)
		k++;
	return k;
}

/* ---- terms ---------------------------------------------------------------- */

struct f_node *
cf_const_node(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_CONST, l);

	n->val = *v;
	return checked(P, n);
}

struct f_node *
cf_sym_node(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	struct cf_symbol *y = s->sym;
	struct f_node *n;

	switch (y ? y->class : SYM_VOID) {
	case SYM_CONSTANT:
		return cf_const_node(P, y->u.val, l);
	case SYM_VARIABLE:
		n = node(P, N_VAR, l);
		n->sym = y;
		return checked(P, n);
	case SYM_ATTRIBUTE:
		n = node(P, N_ATTR, l);
		n->attr = y->u.ptr;
		return checked(P, n);
	default:
		cf_err(P, l, "Can't get value of symbol %s", s->name);
		n = node(P, N_CONST, l);
		n->sym = y;
		return n;
	}
}

/* an undeclared name: a Birch-only attribute (krt_tunnel), else BIRD's error */
struct f_node *
cf_undef_node(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	const struct f_attr *a = f_attr_find(s->name);
	struct f_node *n;

	if (a && (a->flags & FA_BIRCH)) {
		n = node(P, N_ATTR, l);
		n->attr = a;
		return checked(P, n);
	}
	cf_err(P, l, "syntax error, unexpected CF_SYM_UNDEFINED");
	return node(P, N_CONST, l);
}

struct f_node *
cf_attr_node(struct cf_parser *P, const char *name, const struct cf_loc *l)
{
	const struct f_attr *a = f_attr_find(name);
	struct f_node *n = node(P, N_ATTR, l);

	if (!a)
		die("bug: attribute keyword %s missing from attrs.c", name);
	n->attr = a;
	return checked(P, n);
}

struct f_node *
cf_binop_node(struct cf_parser *P, enum f_op op, struct f_node *a, struct f_node *b,
	      const struct cf_loc *l)
{
	struct f_node *n = node(P, N_BINOP, l);

	n->op = (int)op;
	n->a = a;
	n->b = b;
	return checked(P, n);
}

struct f_node *
cf_not_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_NOT, l);

	n->a = a;
	return checked(P, n);
}

struct f_node *
cf_pair_node(struct cf_parser *P, struct f_node *a, struct f_node *b, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_PAIR, l);

	n->a = a;
	n->b = b;
	return checked(P, n);
}

struct f_node *
cf_lc_node(struct cf_parser *P, struct f_node *a, struct f_node *b, struct f_node *c,
	   const struct cf_loc *l)
{
	struct f_node *n = node(P, N_LC, l);

	n->a = a;
	n->b = b;
	n->c = c;
	return checked(P, n);
}

struct f_node *
cf_ec_node(struct cf_parser *P, int kind, struct f_node *a, struct f_node *b,
	   const struct cf_loc *l)
{
	struct f_node *n = node(P, N_EC, l);

	n->op = kind;
	n->a = a;
	n->b = b;
	return checked(P, n);
}

struct f_node *
cf_set_node(struct cf_parser *P, struct cf_setb *b, const struct cf_loc *l)
{
	struct f_val v;

	cf_set_end(P, &v, b, l);
	return cf_const_node(P, &v, l);
}

/* an empty list or path is a constant, which list operations fold */
struct f_node *
cf_empty_node(struct cf_parser *P, enum f_type t, const struct cf_loc *l)
{
	if (t == T_PATH || t == T_CLIST || t == T_ECLIST || t == T_LCLIST) {
		struct f_val v = { .type = t, .v.d = { "", 0 } };
		return cf_const_node(P, &v, l);
	}
	struct f_node *n = node(P, N_EMPTY, l);

	n->type = t;
	return n;
}

struct f_path_mask *
cf_mask_add(struct cf_parser *P, struct f_path_mask *m, const struct f_pm_item *it)
{
	if (!m)
		m = pool_zalloc(P->pool, sizeof *m);
	/* grow by doubling: the capacity is the next power of two of n */
	if (!(m->n & (m->n - 1))) {
		struct f_pm_item *v = pool_alloc(P->pool, (m->n ? m->n * 2 : 4) * sizeof *v);
		if (m->n)
			memcpy(v, m->items, m->n * sizeof *v);
		m->items = v;
	}
	m->items[m->n++] = *it;
	return m;
}

void
cf_pm_item(struct cf_parser *P, struct f_pm_item *out, enum f_pm_kind kind, uint32_t lo,
	   uint32_t hi, struct f_node *expr)
{
	(void)P;
	*out = (struct f_pm_item){ .kind = kind, .asn = lo, .lo = lo, .hi = hi, .expr = expr };
}

struct f_node *
cf_mask_node(struct cf_parser *P, struct f_path_mask *m, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_PATH_MASK, l);

	n->mask = m ? m : pool_zalloc(P->pool, sizeof *m);
	return checked(P, n);
}

struct f_node *
cf_method_node(struct cf_parser *P, struct f_node *a, const char *name, struct f_node *args,
	       bool call, const struct cf_loc *l)
{
	int m = f_method_find(name);
	struct f_node *n = node(P, N_METHOD, l);

	n->a = a;
	n->args = args;
	if (m < 0) {
		cf_err(P, l, "syntax error, unexpected %s", name);
		n->op = -1;
		return n;
	}
	n->op = m;
	(void)call;
	return checked(P, n);
}

/* add(l, x), delete(l, x), filter(l, x), prepend(p, x): a method on l */
struct f_node *
cf_method_fn(struct cf_parser *P, int method, struct f_node *args, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_METHOD, l);

	n->op = method;
	if (count(args) != 2) {
		cf_err(P, l, "Function %s() takes 2 arguments, got %u",
		       f_method_name((enum f_method)method), count(args));
		n->op = -1;
		return n;
	}
	n->a = args;
	n->args = args->next;
	args->next = NULL;
	return checked(P, n);
}

struct f_node *
cf_format_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_FORMAT, l);

	n->a = a;
	return checked(P, n);
}

struct f_node *
cf_defined_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_DEFINED, l);

	n->a = a;
	n->attr = a->kind == N_ATTR ? a->attr : NULL;
	return checked(P, n);
}

struct f_node *
cf_roa_node(struct cf_parser *P, const struct cf_symref *t, struct f_node *args,
	    const struct cf_loc *l)
{
	struct f_node *n = node(P, N_ROA_CHECK, l);

	n->args = args;
	if (t->sym->class != SYM_TABLE) {
		cf_err(P, l, "Table name required");
		return n;
	}
	n->sym = t->sym;
	return checked(P, n);
}

struct f_node *
cf_call_node(struct cf_parser *P, const struct cf_symref *s, struct f_node *args,
	     const struct cf_loc *l)
{
	struct f_node *n = node(P, N_CALL, l);

	n->args = args;
	if (s->sym->class != SYM_FUNCTION) {
		cf_err(P, l, "You can't call something which is not a function. Really.");
		return n;
	}
	n->sym = s->sym;
	return checked(P, n);
}

int
cf_set_type(struct cf_parser *P, int elem, const struct cf_loc *l)
{
	switch (elem) {
	case T_INT: case T_PAIR: case T_QUAD: case T_EC: case T_LC: case T_RD: case T_IP:
		return T_SET;
	case T_NET:
		return T_PREFIX_SET;
	default:
		cf_err(P, l, "You can't create sets of this type.");
		return T_VOID;
	}
}

/* ---- statements --------------------------------------------------------------- */

struct f_node *
cf_block_node(struct cf_parser *P, struct f_node *stmts, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_BLOCK, l);

	n->args = stmts;
	cf_scope_pop(P);
	return n;
}

struct f_node *
cf_if_node(struct cf_parser *P, struct f_node *c, struct f_node *t, struct f_node *e,
	   const struct cf_loc *l)
{
	struct f_node *n = node(P, N_IF, l);

	n->a = c;
	n->b = t;
	n->c = e;
	return checked(P, n);
}

static struct cf_symbol *
declare_var(struct cf_parser *P, int type, const struct cf_symref *s, bool is_arg,
	    const struct cf_loc *l)
{
	struct cf_symbol *y = cf_define_symbol(P->scope, s->name, SYM_VARIABLE);

	if (!y) {
		cf_err(P, l, "Symbol '%s' already defined", s->name);
		return NULL;
	}
	struct f_var *v = pool_zalloc(tree_pool(P), sizeof *v);
	v->type = type < 0 ? T_VOID : (enum f_type)type;
	v->slot = P->slots++;
	v->is_arg = is_arg;
	y->u.ptr = v;
	y->file = l->file ? l->file->name : NULL;
	y->line = l->first_line;
	y->col = l->first_column;
	return y;
}

struct f_node *
cf_decl_node(struct cf_parser *P, int type, const struct cf_symref *s, struct f_node *init,
	     const struct cf_loc *l)
{
	struct f_node *n = node(P, N_DECL, l);

	n->sym = declare_var(P, type, s, false, l);
	n->a = init;
	return n->sym ? checked(P, n) : n;
}

struct f_node *
cf_assign_sym(struct cf_parser *P, const struct cf_symref *s, struct f_node *v,
	      const struct cf_loc *l)
{
	struct f_node *n;

	switch (s->sym->class) {
	case SYM_VARIABLE:
		n = node(P, N_SET_VAR, l);
		n->sym = s->sym;
		n->a = v;
		return checked(P, n);
	case SYM_ATTRIBUTE:
		n = node(P, N_SET_ATTR, l);
		n->attr = s->sym->u.ptr;
		n->a = v;
		return checked(P, n);
	default:
		cf_err(P, l, "Can't assign to symbol %s", s->name);
		return node(P, N_SET_VAR, l);
	}
}

struct f_node *
cf_assign_attr(struct cf_parser *P, struct f_node *attr, struct f_node *v, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_SET_ATTR, l);

	n->a = v;
	if (attr->kind != N_ATTR)
		return n;		/* reported already */
	n->attr = attr->attr;
	if (n->attr->flags & FA_RO) {
		cf_err(P, l, "This static attribute is read-only.");
		return n;
	}
	return checked(P, n);
}

struct f_node *
cf_return_node(struct cf_parser *P, struct f_node *v, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_RETURN, l);
	struct f_function *fn = P->fn;

	n->a = v;
	if (fn && v->type != T_VOID) {
		if (fn->ret_declared && fn->ret != v->type && !cf_assignable(fn->ret, v))
			cf_err(P, l, "Function '%s' must return %s, got %s", fn->sym->name,
			       f_type_name(fn->ret), f_type_name(v->type));
		else if (!fn->ret_declared && fn->ret == T_VOID)
			fn->ret = v->type;	/* inferred from the first typed return */
	}
	return n;
}

struct f_node *
cf_unset_node(struct cf_parser *P, struct f_node *attr, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_UNSET, l);

	if (attr->kind != N_ATTR)
		cf_err(P, l, "unset() needs a route attribute");
	else if (attr->attr->flags & FA_CUSTOM)	/* BIRD 2.0 takes keywords only */
		cf_err(P, l, "syntax error, unexpected CF_SYM_KNOWN");
	else if (attr->attr->flags & FA_STATIC) {
		char up[32];	/* BIRD's token name: the keyword in upper case */
		size_t i;
		for (i = 0; attr->attr->name[i] && i < sizeof up - 1; i++)
			up[i] = (char)(attr->attr->name[i] >= 'a' && attr->attr->name[i] <= 'z' ?
				       attr->attr->name[i] - 'a' + 'A' : attr->attr->name[i]);
		up[i] = 0;
		cf_err(P, l, "syntax error, unexpected %s", up);
	}
	else
		n->attr = attr->attr;
	return n;
}

struct f_node *
cf_break_node(struct cf_parser *P, enum f_node_kind kind, struct f_node *msgs,
	      const struct cf_loc *l)
{
	struct f_node *n = node(P, kind, l);

	n->args = msgs;
	return n;
}

struct f_node *
cf_print_node(struct cf_parser *P, struct f_node *args, bool newline, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_PRINT, l);

	n->args = args;
	n->op = newline;
	return n;
}

struct f_node *
cf_call_stmt(struct cf_parser *P, struct f_node *call)
{
	struct cf_loc l = where(P, call);
	struct f_node *n = node(P, N_CALL_STMT, &l);

	n->a = call;
	return n;
}

/* `x.add(y);` is `x = x.add(y);` and `x.empty;` is `x = <empty of x's type>;` */
struct f_node *
cf_method_stmt(struct cf_parser *P, struct f_node *lhs, const char *name, struct f_node *args,
	       const struct cf_loc *l)
{
	struct cf_loc at = where(P, lhs);
	struct f_node *v, *n;

	if (lhs->kind != N_VAR && lhs->kind != N_ATTR) {
		if (lhs->kind == N_CONST && lhs->type != T_VOID)
			cf_err(P, &at, "Can't assign to a constant");
		return node(P, N_SET_VAR, &at);
	}
	if (!strcmp(name, "empty") && !args)
		v = cf_empty_node(P, lhs->type, l);
	else
		v = cf_method_node(P, lhs, name, args, true, l);
	if (lhs->kind == N_ATTR) {
		n = node(P, N_SET_ATTR, &at);
		n->attr = lhs->attr;
		if (lhs->attr->flags & FA_RO) {
			cf_err(P, &at, "This static attribute is read-only.");
			return n;
		}
	} else {
		n = node(P, N_SET_VAR, &at);
		n->sym = lhs->sym;
	}
	n->a = v;
	return checked(P, n);
}

struct f_node *
cf_case_node(struct cf_parser *P, struct f_node *v, struct f_case *cases, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_CASE, l);

	n->a = v;
	n->cases = cases;
	return checked(P, n);
}

struct f_case *
cf_case_add(struct cf_parser *P, struct f_case *list, struct cf_setb *labels, struct f_node *body,
	    const struct cf_loc *l)
{
	struct f_case *c = pool_zalloc(P->pool, sizeof *c);

	if (labels)
		cf_set_end(P, &c->labels, labels, l);
	else
		c->is_else = true;
	c->body = node(P, N_BLOCK, l);
	c->body->args = body;
	if (!list)
		return c;
	struct f_case *t = list;
	while (t->next)
		t = t->next;
	if (t->is_else && c->is_else)
		cf_err(P, l, "Multiple 'else' in case");
	t->next = c;
	return list;
}

struct f_node *
cf_assert_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_BT_ASSERT, l);

	n->a = a;
	return checked(P, n);
}

/* `for TYPE v in` declares v in a scope of its own (popped by cf_for_node);
 * `for v in` uses a variable declared before */
struct f_node *
cf_for_var(struct cf_parser *P, int type, const struct cf_symref *s, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_FOR, l);

	if (type >= 0) {
		cf_scope_push(P);
		n->op = 1;
		n->sym = declare_var(P, type, s, false, l);
		return n;
	}
	if (s->sym->class != SYM_VARIABLE)
		cf_err(P, l, "Variable expected");
	else
		n->sym = s->sym;
	return n;
}

struct f_node *
cf_for_node(struct cf_parser *P, struct f_node *var, struct f_node *what, struct f_node *body,
	    const struct cf_loc *l)
{
	(void)l;
	if (var->op)
		cf_scope_pop(P);
	var->a = what;
	var->b = body;
	return var->sym ? checked(P, var) : var;
}

/* ---- scopes, filters, functions --------------------------------------------- */

void
cf_scope_push(struct cf_parser *P)
{
	if (!P->depth++)
		P->slots = 0;		/* a new frame: a filter's or a function's */
	P->scope = cf_scope_new(tree_pool(P), P->scope);
}

void
cf_cmds_begin(struct cf_parser *P)
{
	P->npool = cf_tmp(P);
	cf_scope_push(P);
}

/*
 * A route block read: compiled into the config's program at once (made
 * here for the config's first block), so that its tree, in P->tmp, goes
 * with the next flush. Reconfiguration compares the compiled code
 * (vm_func_same_in), so nothing needs the tree later. After an error, or
 * if it does not compile, the tree stays (and vm_find_spec compiles it
 * again when the route is loaded, failing the same way).
 */
static void
cmds_end(struct cf_parser *P, struct f_filter *f)
{
	struct config *c = P->conf;

	if (!P->npool)
		return;		/* not opened by cf_cmds_begin */
	P->npool = NULL;
	if (P->errs) {
		P->tmp_keep = true;
		return;
	}
	if (!c->prog) {
		c->prog = vm_prog_open(c);
		c->prog_free = vm_prog_free;
		vm_log_errors(c->prog, true);	/* as chan_prog() sets the config's program */
	}
	if (vm_find_spec(c->prog, f))
		f->body = NULL;
	else
		P->tmp_keep = true;
}

void
cf_scope_pop(struct cf_parser *P)
{
	if (!P->depth || !P->scope->up)
		die("bug: scope underflow");
	P->depth--;
	P->scope = P->scope->up;
}

/* after a syntax error escaped a filter or function: back to the root
 * scope, so that what follows is declared where it belongs */
void
cf_recover(struct cf_parser *P)
{
	while (P->depth)
		cf_scope_pop(P);
	if (P->npool)
		P->tmp_keep = true;	/* a route block left half read */
	P->npool = NULL;
	P->fn = NULL;
	P->filter = NULL;
}

struct f_node *
cf_body(struct cf_parser *P, struct f_node *decls, struct f_node *stmts, const struct cf_loc *l)
{
	struct f_node *n = node(P, N_BLOCK, l);

	for (struct f_node *d = decls; d; d = d->next)
		d->op = 1;	/* before the brace: starts empty */
	n->args = cf_list(decls, stmts);
	return n;
}

static struct cf_symbol *
declare_global(struct cf_parser *P, const struct cf_symref *s, enum cf_sym_class cls,
	       const struct cf_loc *l)
{
	struct cf_symbol *y = cf_define_symbol(P->scope, s->name, cls);

	if (!y) {
		cf_err(P, l, "Symbol '%s' already defined", s->name);
		return NULL;
	}
	y->file = l->file ? l->file->name : NULL;
	y->line = l->first_line;
	y->col = l->first_column;
	return y;
}

void
cf_filter_begin(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	struct f_filter *f = pool_zalloc(P->pool, sizeof *f);
	struct cf_symbol *y;

	cf_recover(P);		/* filters are global, whatever an error left open */
	y = declare_global(P, s, SYM_FILTER, l);
	f->kind = FF_NAMED;
	f->name = pool_strdup(P->pool, s->name);
	f->file = l->file ? l->file->name : NULL;
	f->line = l->first_line;
	f->col = l->first_column;
	if (y)
		y->u.ptr = f;
	P->filter = f;
	cf_scope_push(P);
}

void
cf_filter_end(struct cf_parser *P, struct f_node *body)
{
	P->filter->body = body;
	P->filter->nslots = P->slots;
	P->filter = NULL;
	cf_scope_pop(P);
}

void
cf_function_begin(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	struct f_function *fn = pool_zalloc(P->pool, sizeof *fn);
	struct cf_symbol *y;

	cf_recover(P);		/* functions are global, whatever an error left open */
	y = declare_global(P, s, SYM_FUNCTION, l);

	if (y)
		y->u.ptr = fn;
	else	/* a stand-in, so that the body still parses and checks */
		y = cf_define_symbol(cf_scope_new(P->pool, NULL), s->name, SYM_FUNCTION);
	fn->sym = y;
	fn->ret = T_VOID;
	P->fn = fn;
	cf_scope_push(P);
}

void
cf_function_arg(struct cf_parser *P, int type, const struct cf_symref *s, const struct cf_loc *l)
{
	struct f_function *fn = P->fn;
	struct cf_symbol *y = declare_var(P, type, s, true, l);

	if (!y)
		return;
	struct cf_symbol **v = pool_alloc(P->pool, (fn->nargs + 1) * sizeof *v);
	if (fn->nargs)
		memcpy(v, fn->argv, fn->nargs * sizeof *v);
	v[fn->nargs++] = y;
	fn->argv = v;
}

int
cf_function_ret(struct cf_parser *P, int type)
{
	P->fn->ret = type < 0 ? T_VOID : (enum f_type)type;
	P->fn->ret_declared = type >= 0;
	return type;
}

void
cf_function_end(struct cf_parser *P, int ret, struct f_node *body, const struct cf_loc *l)
{
	(void)ret;
	(void)l;
	P->fn->body = body;
	P->fn->nslots = P->slots;
	P->fn = NULL;
	cf_scope_pop(P);
}

void
cf_attribute(struct cf_parser *P, int type, const struct cf_symref *s, const struct cf_loc *l)
{
	struct cf_symbol *y;

	switch (type) {
	case T_INT: case T_IP: case T_QUAD: case T_PATH: case T_CLIST: case T_ECLIST: case T_LCLIST:
		break;
	default:	/* what BIRD 2.0 can store in an extended attribute */
		cf_err(P, l, "Custom route attribute of unsupported type");
		return;
	}
	y = declare_global(P, s, SYM_ATTRIBUTE, l);
	if (!y)
		return;
	struct f_attr *a = pool_zalloc(P->pool, sizeof *a);
	a->name = y->name;
	a->type = type < 0 ? T_VOID : (enum f_type)type;
	a->flags = FA_CUSTOM;
	/* ids only need to differ within a config: the root's symbol count does */
	a->id = (uint16_t)(F_ATTR_CUSTOM + (P->scope->count & 0xfff));
	y->u.ptr = a;
}

#define T struct f_table
#define TIME(w, f) CF_OPT(w " % (s%|ms%|us%)", CF_UINT(T, f, 0, 0xffffffff), \
	CF_SETV(T, f##_unit, 1000000), CF_SETV(T, f##_unit, 1000), CF_SETV(T, f##_unit, 1))

/* what a table declaration's block may say (BIRD 2.0.12's list) */
static const struct cf_option table_block[] = {
	CF_OPT("sorted %", CF_SWITCH(T, sorted)),
	CF_OPT("trie %", CF_SWITCH(T, trie)),
	CF_OPT("gc threshold %", CF_UINT(T, gc_threshold, 0, 0xffffffff)),
	TIME("gc period", gc_period),
	TIME("min settle time", min_settle),
	TIME("max settle time", max_settle),
	CF_END,
};

/* the words after a table's name, as one statement led by `table` */
static const struct cf_option table_opts[] = {
	CF_OPT("table [sorted%] [%]", CF_SETV(T, sorted, 1), CF_BLOCK(table_block)),
	CF_END,
};
#undef TIME
#undef T

void
cf_table(struct cf_parser *P, int type, const struct cf_symref *s, struct cf_stmt *opts,
	 const struct cf_loc *l)
{
	struct cf_symbol *y = declare_global(P, s, SYM_TABLE, l);

	if (!y)
		return;
	struct f_table *t = pool_zalloc(P->pool, sizeof *t);
	t->name = y->name;
	t->type = (enum f_table_type)type;
	y->u.ptr = t;
	if (opts && opts->n)
		cf_opt_apply(P, table_opts, "table", cf_stmt_head(P, "table", l, opts), t);
}

/* bt_test_* are kept in file order on the hidden root symbol " tests" */
static void
add_test(struct cf_parser *P, struct f_test *t)
{
	if (!P->tests_tail) {
		struct cf_scope *root = P->scope;
		while (root->up)
			root = root->up;
		struct cf_symbol *y = cf_define_symbol(root, " tests", SYM_TESTS);
		if (!y)
			die("bug: tests symbol declared twice");
		P->tests_tail = (struct f_test **)&y->u.ptr;
	}
	*P->tests_tail = t;
	P->tests_tail = &t->next;
}

static const struct f_function *
test_fn(struct cf_parser *P, const struct cf_symref *f, const struct cf_loc *l)
{
	if (f->sym->class != SYM_FUNCTION) {
		cf_err(P, l, "Function expected");
		return NULL;
	}
	return f->sym->u.ptr;
}

void
cf_test_suite(struct cf_parser *P, const struct cf_symref *f, const char *desc,
	      const struct cf_loc *l)
{
	struct f_test *t = pool_zalloc(P->pool, sizeof *t);

	t->fn = test_fn(P, f, l);
	t->desc = desc;
	t->file = l->file ? l->file->name : NULL;
	t->line = l->first_line;
	if (t->fn)
		add_test(P, t);
}

void
cf_test_same(struct cf_parser *P, const struct cf_symref *f, const struct cf_symref *g,
	     uint32_t expected, const struct cf_loc *l)
{
	struct f_test *t = pool_zalloc(P->pool, sizeof *t);

	t->fn = test_fn(P, f, l);
	t->fn2 = test_fn(P, g, l);
	t->expected = expected;
	t->file = l->file ? l->file->name : NULL;
	t->line = l->first_line;
	if (t->fn && t->fn2)
		add_test(P, t);
}

static const struct f_filter filter_all = { .kind = FF_ALL, .name = "all" };
static const struct f_filter filter_none = { .kind = FF_NONE, .name = "none" };

const struct f_filter *
cf_filter_spec(struct cf_parser *P, enum f_filter_kind kind, const struct cf_symref *name,
	       struct f_node *body, const struct cf_loc *l)
{
	struct f_filter *f;

	switch (kind) {
	case FF_ALL:
		return &filter_all;
	case FF_NONE:
		return &filter_none;
	case FF_NAMED:
		if (name->sym->class != SYM_FILTER || !name->sym->u.ptr) {
			cf_err(P, l, "No such filter.");
			return &filter_none;
		}
		return name->sym->u.ptr;
	case FF_INLINE:
	case FF_WHERE:
	case FF_CMDS:
		break;
	}
	f = pool_zalloc(P->pool, sizeof *f);
	f->kind = kind;
	f->name = "(unnamed)";
	f->file = l->file ? l->file->name : NULL;
	f->line = l->first_line;
	f->col = l->first_column;
	if (kind == FF_WHERE) {
		/* where EXPR: if EXPR then accept; else reject; */
		struct f_node *acc = cf_break_node(P, N_ACCEPT, NULL, l);
		struct f_node *rej = cf_break_node(P, N_REJECT, NULL, l);
		struct cf_loc at = where(P, body);
		body = cf_if_node(P, body, acc, rej, &at);
	}
	f->body = body;
	f->nslots = P->slots;
	cf_scope_pop(P);
	if (kind == FF_CMDS)
		cmds_end(P, f);
	return f;
}
