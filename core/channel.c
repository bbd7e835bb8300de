/*
 * Channels and run-time tables (see core/channel.h).
 *
 * The import path: chan_import counts the update, runs the import filter
 * (VM) on (prefix, attributes, preference), applies the receive and import
 * limits and calls rte_update; the table's result sets the counters.
 * A filtered route is withdrawn if it was present, or kept flagged
 * RTE_FILTERED under `import keep filtered`.
 *
 * The export path: every table's notify hook is table_notify below. It
 * keeps the preferred-routes counters and, for each attached channel whose
 * protocol has rt_notify, runs the export filter and calls the protocol.
 * A channel never gets back a route it imported itself.
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/log.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "lang/ast.h"
#include "vm/vm.h"

static struct rt_tab *tabs;		/* every table */
static struct channel **srcs;		/* src id -> channel; [0] unused */
static uint32_t nsrcs;			/* entries in srcs */

/* ---- senders ------------------------------------------------------------ */

static uint32_t
src_alloc(struct channel *c)
{
	for (uint32_t i = 1; i < nsrcs; i++)
		if (!srcs[i]) {
			srcs[i] = c;
			return i;
		}
	uint32_t n = nsrcs ? nsrcs * 2 : 16;
	srcs = xrealloc(srcs, n * sizeof *srcs);
	memset(srcs + nsrcs, 0, (n - nsrcs) * sizeof *srcs);
	uint32_t id = nsrcs ? nsrcs : 1;
	nsrcs = n;
	srcs[id] = c;
	return id;
}

struct channel *
rt_src_channel(uint32_t src)
{
	return src < nsrcs ? srcs[src] : NULL;
}

/* ---- tables ------------------------------------------------------------- */

static void table_notify(struct rtable *t, struct net *net, struct rte *new_best,
    struct rte *old_best, void *data);

struct rt_tab *
rt_tab_find(const char *name)
{
	for (struct rt_tab *t = tabs; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

struct rt_tab *
rt_tab_first(void)
{
	return tabs;
}

static struct rt_tab *
tab_get(const char *name, unsigned family)
{
	struct rt_tab *t = rt_tab_find(name), **pp;

	if (t) {
		t->in_config = true;
		return t;
	}
	t = xzalloc(sizeof *t);
	t->name = xstrdup(name);
	t->family = family ? family : CF_AF_IPV4;
	struct rt_config rc = {
		.name = t->name,
		.type = t->family == CF_AF_IPV6 ? NET_IP6 : NET_IP4,
		.notify = table_notify,
		.notify_data = t,
		.clock = real_us,
	};
	t->t = rt_new(&rc);
	t->in_config = true;
	for (pp = &tabs; *pp; pp = &(*pp)->next)
		;
	*pp = t;
	return t;
}

static void
add_declared(const struct cf_symbol *s, void *arg)
{
	(void)arg;
	if (s->class != SYM_TABLE)
		return;
	const struct f_table *ft = s->u.ptr;
	if (ft->type == TAB_IPV4 || ft->type == TAB_IPV6 || ft->type == TAB_ANY)
		tab_get(ft->name, ft->type == TAB_IPV6 ? CF_AF_IPV6 : CF_AF_IPV4);
}

void
rt_tabs_sync(struct config *c)
{
	for (struct rt_tab *t = tabs; t; t = t->next)
		t->in_config = false;
	tab_get("master4", CF_AF_IPV4);
	tab_get("master6", CF_AF_IPV6);
	if (c && c->root)
		cf_walk_symbols(c->root, add_declared, NULL);
}

void
rt_tabs_free(void)
{
	while (tabs) {
		struct rt_tab *t = tabs;
		tabs = t->next;
		rt_free(t->t);
		free(t->name);
		free(t);
	}
	free(srcs);
	srcs = NULL;
	nsrcs = 0;
}

/* ---- filters ------------------------------------------------------------ */

struct vm_prog *
chan_prog(struct config *c)
{
	char err[256];

	if (!c)
		return NULL;
	if (!c->prog) {
		c->prog = vm_compile(c, err, sizeof err);
		c->prog_free = vm_prog_free;
		if (!c->prog)
			log_msg(L_ERR, "Cannot compile filters: %s", err);
		else
			vm_log_errors(c->prog, true);
	}
	return c->prog;
}

static void
bind_filter(struct chan_filt *f, const struct chan_filter *cf, struct vm_prog *prog)
{
	f->kind = cf->kind;
	f->f = NULL;
	f->name = cf->kind == CHF_NAMED ? cf->name : "(unnamed)";
	if ((cf->kind == CHF_NAMED || cf->kind == CHF_INLINE) && prog && cf->code)
		f->f = vm_find_spec(prog, cf->code);
}

/* accept, reject, or run: the verdict of one filter on a route */
static bool
run_filt(const struct chan_filt *f, bool dflt, struct channel *c, const net_addr *n,
	 struct rta *attrs, uint32_t *pref, struct rta **out)
{
	struct vm_result res;

	*out = NULL;
	switch (f->kind) {
	case CHF_DEFAULT:
		return dflt;
	case CHF_ALL:
		return true;
	case CHF_NONE:
		return false;
	default:
		break;
	}
	if (!f->f)
		return false;
	struct vm_route r = { .net = n, .attrs = attrs, .proto = c->proto->name, .preference = *pref };
	if (vm_run_filter(chan_prog(config), f->f, &r, &res) != VM_ACCEPT) {
		rta_unref(res.attrs);
		return false;
	}
	*out = res.attrs;
	if (res.preference)
		*pref = res.preference;
	return true;
}

bool
chan_run_filter(const struct vm_func *f, const net_addr *n, const struct rte *e)
{
	struct vm_result res;
	struct channel *sc = rt_src_channel(e->src);

	if (!f)
		return true;
	struct vm_route r = { .net = n, .attrs = e->attrs, .preference = e->pref,
			      .proto = sc ? sc->proto->name : NULL };
	bool ok = vm_run_filter(chan_prog(config), f, &r, &res) == VM_ACCEPT;
	rta_unref(res.attrs);
	return ok;
}

/* ---- channels ----------------------------------------------------------- */

struct channel *
chan_new(struct proto *p, const struct chan_config *cf, const char *name, struct rt_tab *tab,
	 unsigned default_pref)
{
	struct channel *c = xzalloc(sizeof *c), **pp;

	c->proto = p;
	c->name = name;
	c->tab = tab;
	c->src = src_alloc(c);
	c->pref = cf && cf->preference ? cf->preference : default_pref;
	c->accept_default = true;
	c->state = CS_START;
	c->tnext = tab->chans;
	tab->chans = c;
	for (pp = &p->channels; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	if (!p->main)
		p->main = c;
	chan_bind(c, cf, config);
	return c;
}

void
chan_bind(struct channel *c, const struct chan_config *cf, struct config *conf)
{
	static const struct chan_config none;
	struct vm_prog *prog = chan_prog(conf);

	c->cf = cf ? cf : &none;
	bind_filter(&c->in, &c->cf->in, prog);
	bind_filter(&c->out, &c->cf->out, prog);
}

void
chan_up(struct channel *c)
{
	c->state = CS_UP;
}

static void
flush_one(struct rtable *t, uint32_t src)
{
	rt_flush_src(t, src);
}

void
chan_flush(struct channel *c)
{
	c->state = CS_FLUSHING;
	flush_one(c->tab->t, c->src);
	c->st.imp_routes = c->st.filt_routes = c->st.pref_routes = 0;
}

void
chan_free(struct channel *c)
{
	struct channel **pp;

	chan_flush(c);
	for (pp = &c->tab->chans; *pp; pp = &(*pp)->tnext)
		if (*pp == c) {
			*pp = c->tnext;
			break;
		}
	srcs[c->src] = NULL;
	free(c);
}

/* a limit hit: log it once and do what it says; true when the update
 * must be dropped */
static bool
limit_hit(struct channel *c, const struct chan_limit *l, bool *hit, const char *dir)
{
	if (!*hit)
		log_msg(L_WARN, "Protocol %s hits route %s limit (%u), action: %s", c->proto->name,
			dir, l->max, l->action == LIMIT_WARN ? "warn" : l->action == LIMIT_BLOCK ?
			"block" : l->action == LIMIT_RESTART ? "restart" : "disable");
	*hit = true;
	switch (l->action) {
	case LIMIT_WARN:
		return false;
	case LIMIT_BLOCK:
		return true;
	case LIMIT_RESTART:
		proto_request(c->proto, PROTO_PENDING_RESTART, "Limit hit");
		return true;
	case LIMIT_DISABLE:
		proto_request(c->proto, PROTO_PENDING_DISABLE, "Limit hit");
		return true;
	}
	return true;
}

int
chan_import(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src)
{
	struct chan_stats *s = &c->st;
	uint32_t pref = c->pref;
	struct rta *changed = NULL;

	if (!src)
		src = c->src;
	s->imp_updates_received++;
	struct net *net = rt_find(c->tab->t, n);
	struct rte *old = net ? rt_find_rte(net, src) : NULL;
	bool old_filtered = old && (old->flags & RTE_FILTERED);

	/* receive limit: routes received and kept, filtered or not */
	if (c->cf->rx_limit.max && !old && s->imp_routes + s->filt_routes >= c->cf->rx_limit.max &&
	    limit_hit(c, &c->cf->rx_limit, &c->rx_hit, "receive")) {
		s->imp_updates_ignored++;
		return -1;
	}
	if (!run_filt(&c->in, c->accept_default, c, n, attrs, &pref, &changed)) {
		s->imp_updates_filtered++;
		if (c->cf->keep_filtered) {
			enum rte_result r = rte_update(c->tab->t, n, src, attrs, pref, RTE_FILTERED);
			if (r == RTE_ADDED || (old && !old_filtered)) {
				s->filt_routes++;
				if (old && !old_filtered)
					s->imp_routes--;
			}
		} else if (old) {
			rte_withdraw(c->tab->t, n, src);
			if (old_filtered)
				s->filt_routes--;
			else
				s->imp_routes--;
		}
		return -1;
	}
	/* import limit: accepted routes */
	if (c->cf->in_limit.max && (!old || old_filtered) && s->imp_routes >= c->cf->in_limit.max &&
	    limit_hit(c, &c->cf->in_limit, &c->in_hit, "import")) {
		s->imp_updates_ignored++;
		rta_unref(changed);
		return -1;
	}
	enum rte_result r = rte_update(c->tab->t, n, src, changed ? changed : attrs, pref, 0);
	rta_unref(changed);
	switch (r) {
	case RTE_ADDED:
		s->imp_updates_accepted++;
		s->imp_routes++;
		break;
	case RTE_REPLACED:
		s->imp_updates_accepted++;
		if (old_filtered) {
			s->filt_routes--;
			s->imp_routes++;
		}
		break;
	default:
		s->imp_updates_ignored++;
		break;
	}
	return (int)r;
}

void
chan_withdraw(struct channel *c, const net_addr *n, uint32_t src)
{
	struct chan_stats *s = &c->st;

	if (!src)
		src = c->src;
	s->imp_withdraws_received++;
	struct net *net = rt_find(c->tab->t, n);
	struct rte *old = net ? rt_find_rte(net, src) : NULL;
	if (!old) {
		s->imp_withdraws_ignored++;
		return;
	}
	bool filtered = old->flags & RTE_FILTERED;
	rte_withdraw(c->tab->t, n, src);
	s->imp_withdraws_accepted++;
	if (filtered)
		s->filt_routes--;
	else
		s->imp_routes--;
	if (c->cf->in_limit.max && s->imp_routes < c->cf->in_limit.max)
		c->in_hit = false;
	if (c->cf->rx_limit.max && s->imp_routes + s->filt_routes < c->cf->rx_limit.max)
		c->rx_hit = false;
}

bool
chan_export_ok(struct channel *c, const net_addr *n, const struct rte *e, struct rta **out)
{
	uint32_t pref = e->pref;

	*out = NULL;
	if (rt_src_channel(e->src) == c)
		return false;
	return run_filt(&c->out, c->export_default, c, n, e->attrs, &pref, out);
}

/* ---- the notify hook ---------------------------------------------------- */

/* the channel a route of this table was imported by, or NULL (a pipe's) */
static struct channel *
home(struct rt_tab *tab, const struct rte *e)
{
	struct channel *c = e ? rt_src_channel(e->src) : NULL;

	return c && c->tab == tab ? c : NULL;
}

static void
table_notify(struct rtable *t, struct net *net, struct rte *new_best, struct rte *old_best,
	     void *data)
{
	struct rt_tab *tab = data;
	struct channel *c;

	(void)t;
	if ((c = home(tab, old_best)) && c->st.pref_routes)
		c->st.pref_routes--;
	if ((c = home(tab, new_best)))
		c->st.pref_routes++;
	for (c = tab->chans; c; c = c->tnext) {
		struct proto *p = c->proto;
		if (c->state != CS_UP || !p->ops || !p->ops->rt_notify)
			continue;
		struct chan_stats *s = &c->st;
		struct rta *changed = NULL;
		struct rte *nb = new_best;
		if (nb) {
			s->exp_updates_received++;
			if (rt_src_channel(nb->src) == c ||
			    (p->ops->preexport && !p->ops->preexport(p, c, nb))) {
				s->exp_updates_rejected++;
				nb = NULL;
			} else if (!chan_export_ok(c, &net->n, nb, &changed)) {
				s->exp_updates_filtered++;
				nb = NULL;
			} else if (c->cf->out_limit.max && !old_best &&
				   s->exp_routes >= c->cf->out_limit.max &&
				   limit_hit(c, &c->cf->out_limit, &c->out_hit, "export")) {
				rta_unref(changed);
				continue;
			}
		} else
			s->exp_withdraws_received++;
		if (!nb && !old_best)
			continue;
		struct rte tmp;
		struct rte *send = nb;
		if (changed) {
			tmp = *nb;
			tmp.attrs = changed;
			send = &tmp;
		}
		p->ops->rt_notify(p, c, &net->n, send, old_best);
		rta_unref(changed);
		if (send) {
			s->exp_updates_accepted++;
			if (!old_best)
				s->exp_routes++;
		} else {
			s->exp_withdraws_accepted++;
			if (s->exp_routes)
				s->exp_routes--;
		}
	}
}
