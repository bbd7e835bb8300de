/*
 * Channels in a config: `ipv4 { ... }` / `ipv6 { ... }` blocks, the options
 * every channel takes (table, preference, import/export, limits, keep
 * filtered), template inheritance of channels, and BIRD 1.x's protocol-level
 * import/export/table, which fill the protocol's one implicit channel.
 *
 * The family of an implicit channel is settled when the protocol closes:
 * from the protocol's own addresses (a BGP neighbor), else IPv6 when the
 * config is read as bird6's (CF_IPV6_DEFAULT), else IPv4. A protocol that
 * mixes the two styles is refused.
 */
#include <string.h>

#include "lang/ast.h"
#include "lang/cf_int.h"

static const char *
family_name(unsigned af)
{
	return af == CF_AF_IPV6 ? "ipv6" : "ipv4";
}

static struct chan_config *
chan_new(struct cf_parser *P, struct proto_config *pc, unsigned family, const struct cf_loc *l)
{
	const struct proto_class *k = P->kind;
	struct chan_config *c = pool_zalloc(P->pool, sizeof *c), **pp;

	c->family = family;
	c->debug = pc->debug;
	c->file = l->file->name;
	c->line = l->first_line;
	c->col = l->first_column;
	if (k->chan_size) {
		c->opts = pool_zalloc(P->pool, k->chan_size);
		if (k->chan_defaults)
			memcpy(c->opts, k->chan_defaults, k->chan_size);
	}
	for (pp = &pc->channels; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

void
cf_chan_begin(struct cf_parser *P, unsigned family, const char *name, const struct cf_loc *l)
{
	struct proto_config *pc = P->proto;
	struct chan_config *c;

	P->in_chan = true;
	P->chan = NULL;
	if (!pc)
		return;
	if (!family) {
		cf_err(P, l, "Birch does not implement %s channels", name);
		return;
	}
	if (!(P->kind->families & CF_FAMILY(family))) {
		cf_err(P, l, "Protocol %s takes no %s channel", P->kind->name, family_name(family));
		return;
	}
	for (c = pc->channels; c; c = c->next)
		if (c->implicit) {
			cf_err(P, l, "BIRD 1.x protocol-level import/export/table cannot be mixed "
			       "with channel blocks in one protocol");
			return;
		}
	if (P->kind->one_channel && pc->channels && pc->channels->family != family &&
	    !pc->channels->inherited) {
		cf_err(P, l, "Different channel type");
		return;
	}
	for (c = pc->channels; c; c = c->next)
		if (c->family == family)
			break;
	if (c && !c->inherited) {
		cf_err(P, l, "Multiple %s channels", family_name(family));
		return;
	}
	if (c)
		c->inherited = false;	/* the template's, changed here */
	else
		c = chan_new(P, pc, family, l);
	P->chan = c;
}

void
cf_chan_end(struct cf_parser *P)
{
	P->in_chan = false;
	P->chan = NULL;
}

/*
 * Where a channel option goes: the channel block being parsed, or at the
 * protocol level the implicit channel (pipe's own, or BIRD 1.x style).
 */
struct chan_config *
cf_chan_target(struct cf_parser *P, const struct cf_loc *l)
{
	struct proto_config *pc = P->proto;
	struct chan_config *c;

	if (P->in_chan || !pc)
		return P->chan;
	if (!P->kind->families && !P->kind->proto_filters) {
		cf_err(P, l, "Protocol %s has no channels", P->kind->name);
		return NULL;
	}
	for (c = pc->channels; c; c = c->next)
		if (c->implicit)
			return c;
	if (pc->channels) {
		cf_err(P, l, "BIRD 1.x protocol-level import/export/table cannot be mixed with "
		       "channel blocks in one protocol");
		return NULL;
	}
	if (!P->kind->proto_filters) {
		pc->v1 = true;
		P->v1_seen = true;
	}
	c = chan_new(P, pc, CF_AF_NONE, l);
	c->implicit = true;
	return c;
}

/* master4 and master6 exist without a declaration */
struct rtable_config *
cf_table_ref(struct cf_parser *P, const struct cf_symbol *sym, const char *name,
	     const struct cf_loc *l)
{
	if (sym && sym->class == SYM_TABLE) {
		const struct f_table *ft = sym->u.ptr;
		struct rtable_config *t = pool_zalloc(P->pool, sizeof *t);
		t->name = ft->name;
		t->family = ft->type == TAB_IPV4 ? CF_AF_IPV4 : ft->type == TAB_IPV6 ? CF_AF_IPV6 :
			    CF_AF_NONE;
		t->sorted = ft->sorted;
		return t;
	}
	if (!sym && (!strcmp(name, "master4") || !strcmp(name, "master6") || !strcmp(name, "master"))) {
		struct rtable_config *t = pool_zalloc(P->pool, sizeof *t);
		t->name = pool_strdup(P->pool, name);
		t->family = name[6] == '6' || (!name[6] && (P->flags & CF_IPV6_DEFAULT)) ?
			    CF_AF_IPV6 : CF_AF_IPV4;
		return t;
	}
	cf_err(P, l, "Table %s is not defined", name);
	return NULL;
}

void
cf_chan_table(struct cf_parser *P, const struct cf_symref *name, const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);

	if (!c)
		return;
	c->table = cf_table_ref(P, name->sym, name->name, l);
	if (c->table && c->table->family && c->family && c->table->family != c->family)
		cf_err(P, l, "Incompatible table type");
}

void
cf_chan_preference(struct cf_parser *P, uint32_t pref, const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);

	if (pref > 0xffff)
		cf_err(P, l, "Value %u out of range (0-65535)", pref);
	if (c)
		c->preference = pref;
}

void
cf_chan_filter(struct cf_parser *P, bool out, const struct f_filter *f, const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);

	if (!c || !f)
		return;
	struct chan_filter *cf = out ? &c->out : &c->in;
	cf->kind = f->kind == FF_ALL ? CHF_ALL : f->kind == FF_NONE ? CHF_NONE :
		   f->kind == FF_NAMED ? CHF_NAMED : CHF_INLINE;
	cf->name = f->kind == FF_NAMED ? f->name : NULL;
	cf->code = f;
}

void
cf_chan_limit(struct cf_parser *P, int which, const struct cf_limit *lim, const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);

	if (!c)
		return;
	struct chan_limit *cl = which == 0 ? &c->in_limit : which == 1 ? &c->rx_limit : &c->out_limit;
	cl->max = lim->max;
	cl->action = (enum chan_limit_action)lim->action;
}

void
cf_chan_keep_filtered(struct cf_parser *P, bool on, const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);

	if (c)
		c->keep_filtered = on;
}

void
cf_chan_debug(struct cf_parser *P, uint32_t mask)
{
	if (P->chan)
		P->chan->debug = mask;
}

/* `import table on` and the like: a protocol's channel option whose first
 * word the grammar owns; matched against the protocol's channel table */
void
cf_chan_word_opt(struct cf_parser *P, const char *w1, const char *w2, bool on,
		 const struct cf_loc *l)
{
	struct chan_config *c = cf_chan_target(P, l);
	struct f_val v;

	if (!c)
		return;
	cf_val_int(&v, on);
	struct cf_stmt *s = cf_stmt_word(P, NULL, w1, l);
	cf_stmt_val(P, cf_stmt_word(P, s, w2, l), &v, l);
	if (!cf_opt_apply(P, P->kind->chan_opts, pool_printf(P->pool, "protocol %s", P->kind->name),
			  s, c->opts))
		cf_err(P, l, "Option '%s %s' of protocol %s is unknown or not implemented", w1, w2,
		       P->kind->name);
}

/* a template's channels, copied for a protocol derived from it */
void
cf_chan_copy(struct cf_parser *P, struct proto_config *to, const struct proto_config *from)
{
	struct chan_config **tail = &to->channels;

	for (const struct chan_config *c = from->channels; c; c = c->next) {
		struct chan_config *n = pool_alloc(P->pool, sizeof *n);
		*n = *c;
		if (P->kind->chan_size && c->opts) {
			n->opts = pool_alloc(P->pool, P->kind->chan_size);
			memcpy(n->opts, c->opts, P->kind->chan_size);
		}
		n->inherited = true;
		n->next = NULL;
		*tail = n;
		tail = &n->next;
	}
	to->v1 = from->v1;
}

/* At a protocol's closing brace: settle BIRD 1.x's implicit channel. */
void
cf_chan_check(struct cf_parser *P, struct proto_config *pc, const struct cf_loc *l)
{
	const struct proto_class *k = P->kind;
	struct chan_config *imp = NULL;

	if (pc->is_template)
		return;
	/* a 1.x config may leave a protocol's one channel unwritten */
	if (!pc->channels && k->families && !k->proto_filters &&
	    ((P->flags & CF_IPV6_DEFAULT) || P->v1_seen))
		cf_chan_target(P, l);
	for (struct chan_config *c = pc->channels; c; c = c->next)
		if (c->implicit)
			imp = c;
	if (!imp || imp->family)
		return;
	if (imp->table)
		imp->family = imp->table->family;
	if (!imp->family && k->family)
		imp->family = k->family(pc);
	if (!imp->family)
		imp->family = (P->flags & CF_IPV6_DEFAULT) ? CF_AF_IPV6 : CF_AF_IPV4;
}

/*
 * A protocol with no channel at all (`protocol static { route ... }`) is
 * BIRD 2's "Channel not specified", unless the config is BIRD 1.x, which a
 * later protocol may show. Such protocols are checked after the last one.
 */
struct cf_deferred {
	struct cf_deferred *next;	/* in the order found */
	struct proto_config *pc;	/* the protocol */
	const struct proto_class *kind;	/* its class */
	struct cf_loc loc;		/* its closing brace */
};

bool
cf_chan_defer(struct cf_parser *P, struct proto_config *pc, const struct cf_loc *l)
{
	const struct proto_class *k = P->kind;
	struct cf_deferred *d, **pp;

	if (pc->is_template || pc->channels || !k->families || k->proto_filters || P->v1_seen ||
	    (P->flags & CF_IPV6_DEFAULT))
		return false;
	d = pool_zalloc(P->pool, sizeof *d);
	d->pc = pc;
	d->kind = k;
	d->loc = *l;
	for (pp = &P->deferred; *pp; pp = &(*pp)->next)
		;
	*pp = d;
	return true;
}

void
cf_chan_finish(struct cf_parser *P)
{
	for (struct cf_deferred *d = P->deferred; d; d = d->next) {
		P->proto = d->pc;
		P->kind = d->kind;
		cf_chan_check(P, d->pc, &d->loc);
		const char *msg = d->kind->check ? d->kind->check(d->pc) : NULL;
		if (msg)
			cf_err(P, &d->loc, "%s", msg);
	}
	P->proto = NULL;
	P->kind = NULL;
	P->deferred = NULL;
}
