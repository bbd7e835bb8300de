/*
 * What grammar actions call: each fills one part of the config being built
 * (P->conf) and reports the user's mistakes with BIRD's wording. Helpers
 * never stop the parse; after an error they leave the config consistent
 * enough for the parse to go on (it is thrown away at the end anyway).
 */
#include <string.h>

#include "lang/cf_int.h"

static void
declare_error(struct cf_parser *P, const char *name, const struct cf_loc *l)
{
	cf_err(P, l, "Symbol '%s' already defined", name);
}

void
cf_define(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l,
	  const struct f_val *v)
{
	struct cf_symbol *y = cf_define_symbol(P->scope, s->name, SYM_CONSTANT);

	if (!y) {
		declare_error(P, s->name, l);
		return;
	}
	struct f_val *copy = pool_alloc(P->pool, sizeof *copy);
	*copy = *v;
	y->u.val = copy;
	y->file = l->file->name;
	y->line = l->first_line;
	y->col = l->first_column;
}

/* a constant's value, for a term */
void
cf_sym_value(struct cf_parser *P, struct f_val *out, const struct cf_symref *s,
	     const struct cf_loc *l)
{
	*out = (struct f_val){ .type = T_VOID };
	if (!s->sym || s->sym->class != SYM_CONSTANT) {
		cf_err(P, l, "Can't get value of symbol %s", s->name);
		return;
	}
	*out = *s->sym->u.val;
}

uint32_t
cf_int_expr(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l)
{
	if (v->type == T_INT)
		return v->v.i;
	if (v->type != T_VOID)
		cf_err(P, l, "Number expected");
	return 0;
}

/* `router id` takes a number or an IPv4 address (or a constant of either) */
uint32_t
cf_idval(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l)
{
	if (v->type == T_INT || v->type == T_QUAD)
		return v->v.i;
	if (v->type == T_IP && ip_is4(v->v.ip))
		return ip4_to_u32(v->v.ip);
	if (v->type != T_VOID)
		cf_err(P, l, "Number or IPv4 address constant expected");
	return 0;
}

uint32_t
cf_idval_sym(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	if (s->sym->class == SYM_CONSTANT)
		return cf_idval(P, s->sym->u.val, l);
	cf_err(P, l, "Number or IPv4 address constant expected");
	return 0;
}

char *
cf_text_sym(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l)
{
	if (s->sym && s->sym->class == SYM_CONSTANT && s->sym->u.val->type == T_STRING)
		return pool_strdup(P->pool, s->sym->u.val->v.s);
	cf_err(P, l, "String constant expected");
	return pool_strdup(P->pool, "");
}

void
cf_rid_from(struct cf_parser *P, char *patt, bool exclude)
{
	struct cf_patt *p = pool_zalloc(P->pool, sizeof *p);

	p->pattern = patt;
	p->exclude = exclude;
	*P->rid_tail = p;
	P->rid_tail = &p->next;
}

struct log_target *
cf_log_target(struct cf_parser *P, enum log_kind kind, char *path, uint32_t limit,
	      char *backup)
{
	struct log_target *t = pool_zalloc(P->pool, sizeof *t);

	t->kind = kind;
	if (kind == LOGT_FILE)
		t->path = path;
	else if (kind == LOGT_SYSLOG && path)
		t->syslog_name = path;
	t->limit = limit;
	t->backup = backup;
	return t;
}

void
cf_log(struct cf_parser *P, struct log_target *t, uint32_t mask)
{
	t->mask = mask;
	*P->logs_tail = t;
	P->logs_tail = &t->next;
}

void
cf_timeformat(struct cf_parser *P, int which, const char *fmt1, uint32_t limit, const char *fmt2)
{
	struct tm_format *f = &P->conf->tf[which];

	f->fmt1 = fmt1;
	f->fmt2 = fmt2;
	f->limit = fmt2 ? limit : 0;
}

void
cf_timeformat_iso(struct cf_parser *P, int which, const char *name)
{
	tm_format_shorthand(name, &P->conf->tf[which]);
}

/* ---- protocols ------------------------------------------------------------ */

const struct proto_class *
cf_proto_kind_word(struct cf_parser *P, const char *word, bool keyword, const struct cf_loc *l)
{
	const struct proto_class *k = cf_proto_kind(word);

	if (k)
		return k;
	if (cf_proto_known_elsewhere(word))
		cf_err(P, l, "Birch does not implement protocol %s", word);
	else if (keyword) {
		char up[64];
		size_t i;
		for (i = 0; word[i] && i < sizeof up - 1; i++)
			up[i] = (char)(word[i] >= 'a' && word[i] <= 'z' ? word[i] - 'a' + 'A' : word[i]);
		up[i] = 0;
		cf_err(P, l, "syntax error, unexpected %s", up);
	} else
		cf_err(P, l, "syntax error, unexpected CF_SYM_UNDEFINED");
	return NULL;
}

void
cf_proto_begin(struct cf_parser *P, bool is_template, const struct proto_class *k,
	       const struct cf_loc *l)
{
	P->proto = NULL;
	P->kind = k;
	P->proto_loc = *l;
	if (!k)
		return;		/* refused already; its body is skipped */

	if (k->singleton) {
		for (struct proto_config *q = P->conf->protos; q; q = q->next)
			if (!strcmp(q->kind, k->name)) {
				cf_err(P, l, "%s", k->singleton);
				break;
			}
	}
	struct proto_config *pc = pool_zalloc(P->pool, sizeof *pc);
	pc->kind = k->name;
	pc->is_template = is_template;
	pc->debug = P->conf->debug_protocols;
	pc->file = l->file->name;
	pc->line = l->first_line;
	pc->col = l->first_column;
	if (k->cfg_size) {
		pc->opts = pool_zalloc(P->pool, k->cfg_size);
		memcpy(pc->opts, k->cfg_defaults, k->cfg_size);
	}
	*P->protos_tail = pc;
	P->protos_tail = &pc->next;
	P->proto = pc;
}

void
cf_proto_name(struct cf_parser *P, const struct cf_symref *name, const struct cf_loc *l)
{
	struct proto_config *pc = P->proto;
	enum cf_sym_class cls;
	struct cf_symbol *y;

	if (!pc)
		return;
	cls = pc->is_template ? SYM_TEMPLATE : SYM_PROTO;
	if (name) {
		y = cf_define_symbol(P->scope, name->name, cls);
		if (!y) {
			declare_error(P, name->name, l);
			pc->name = pool_strdup(P->pool, name->name);
			return;
		}
	} else {
		/* BIRD's automatic names: the kind and the next free number */
		int *counter = &P->conf->proto_count[P->kind->id];
		do {
			char *s = pool_printf(P->pool, "%s%u", P->kind->name, (unsigned)++*counter);
			y = cf_define_symbol(P->scope, s, cls);
		} while (!y);
		l = &P->proto_loc;
	}
	y->u.proto = pc;
	y->file = l->file->name;
	y->line = l->first_line;
	y->col = l->first_column;
	pc->name = pool_strdup(P->pool, y->name);
}

void
cf_proto_from(struct cf_parser *P, const struct cf_symref *from, const struct cf_loc *l)
{
	struct proto_config *pc = P->proto, *t;

	if (!pc)
		return;
	if (from->sym->class != SYM_TEMPLATE && from->sym->class != SYM_PROTO) {
		cf_err(P, l, "Template or protocol name expected");
		return;
	}
	t = from->sym->u.proto;
	if (strcmp(t->kind, pc->kind)) {
		cf_err(P, l, "Can't copy configuration from a different protocol type");
		return;
	}
	/* inherit what the template set; the body may override it */
	pc->from = pool_strdup(P->pool, from->sym->name);
	pc->disabled = t->disabled;
	pc->description = t->description;
	pc->debug = t->debug;
	pc->router_id = t->router_id;
	if (P->kind->cfg_size)
		memcpy(pc->opts, t->opts, P->kind->cfg_size);
	cf_chan_copy(P, pc, t);
}

void
cf_proto_end(struct cf_parser *P, const struct cf_loc *closing)
{
	struct proto_config *pc = P->proto;

	if (pc && closing && cf_chan_defer(P, pc, closing)) {
		P->proto = NULL;
		P->kind = NULL;
		return;
	}
	if (pc && closing)
		cf_chan_check(P, pc, closing);
	if (pc && closing && !pc->is_template && P->kind->check) {
		const char *msg = P->kind->check(pc);
		if (msg)
			cf_err(P, closing, "%s", msg);
	}
	P->proto = NULL;
	P->kind = NULL;
}

void
cf_proto_description(struct cf_parser *P, char *text)
{
	if (P->proto)
		P->proto->description = text;
}

void
cf_proto_disabled(struct cf_parser *P, bool disabled)
{
	if (P->proto)
		P->proto->disabled = disabled;
}

void
cf_proto_debug(struct cf_parser *P, uint32_t mask)
{
	if (P->proto)
		P->proto->debug = mask;
}

void
cf_proto_router_id(struct cf_parser *P, uint32_t id)
{
	if (P->proto)
		P->proto->router_id = id;
}

/* ---- what is not implemented yet ------------------------------------------ */

/* An unknown statement is named by its leading keywords ("scan time"). */
void
cf_unknown_begin(struct cf_parser *P, const char *kw, const struct cf_loc *l)
{
	P->unk_len = strlen(kw);
	P->unk_name = pool_strdup(P->pool, kw);
	P->unk_more = true;
	P->unk_loc = *l;
}

void
cf_unknown_word(struct cf_parser *P, const char *kw)
{
	if (!P->unk_more)
		return;
	if (!kw || strchr(P->unk_name, ' ')) {	/* two words name it well enough */
		P->unk_more = false;
		return;
	}
	P->unk_name = pool_printf(P->pool, "%s %s", P->unk_name, kw);
	P->unk_len += 1 + strlen(kw);
}

void
cf_unknown_end(struct cf_parser *P, bool in_proto)
{
	if (!in_proto)
		cf_err(P, &P->unk_loc, "Statement '%s' is not implemented yet", P->unk_name);
	else if (P->proto)	/* a refused protocol's body says nothing more */
		cf_err(P, &P->unk_loc, "Option '%s' of protocol %s is not implemented yet",
		       P->unk_name, P->proto->kind);
	P->unk_name = NULL;
	P->unk_more = false;
}

void
cf_finish(struct cf_parser *P)
{
	cf_chan_finish(P);
	cf_opt_v1_finish(P);
	if (!P->proto_stmts && !(P->flags & CF_NO_PROTOCOLS)) {
		struct cf_loc l = { 1, 0, 1, 0, P->files };
		/* BIRD names the main file, line 1, column 0 */
		while (l.file && l.file->up)
			l.file = l.file->up;
		cf_err(P, &l, "No protocol is specified in the config file");
	}
}
