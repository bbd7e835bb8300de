/*
 * Channels and run-time tables (see core/channel.h).
 *
 * The import path (chan_import_as): count the update, run the import
 * filter (VM) on (prefix, attributes, preference), then as BIRD's
 * rte_recalculate: find the source's route in the table, ignore an
 * identical one, apply the receive and import limits, count accepted or
 * withdrawn, and call rte_update_from / rte_withdraw. A filtered route is
 * withdrawn if it was present, or kept flagged RTE_FILTERED under `import
 * keep filtered`.
 *
 * The export path: every table's announce hook is table_announce below.
 * It keeps the preferred-routes counters (on the best route's sender) and,
 * for each attached channel whose export is not down, hands the change to
 * the channel's mode: notify_basic (CRA_OPTIMAL with the best routes,
 * CRA_ANY with the source's routes) or notify_merged. Both count the
 * update or withdraw received, run preexport and the export filter
 * (counting rejected and filtered), look the old route up in the channel's
 * bitmap of exported ids, and end in do_notify: the export limit, the
 * accepted counters, the bitmap and the protocol's rt_notify.
 *
 * Feeds (chan_run_feeds) walk a channel's table and hand it every route as
 * if it had just arrived, with the old route the same one: a route already
 * given goes again (the protocol sees a replace by itself), one filtered
 * now that was given before is withdrawn. A feed goes in slices of
 * FEED_SLICE nets, each channel's in turn, the rest from an event between
 * other events, so a big table's feed never holds the loop: its cursor
 * resumes wherever the table has changed meanwhile (routes that change
 * ahead of it go out as they change, and again when it reaches them).
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "lang/ast.h"
#include "vm/vm.h"

static struct rt_tab *tabs;		/* every table */
static struct channel **srcs;		/* src id -> channel; [0] unused */
static uint32_t nsrcs;			/* entries in srcs */
static struct channel *feed_head, **feed_tail = &feed_head;	/* the feed queue */
static struct event *feed_ev;		/* runs the rest of the feeds */

enum { FEED_SLICE = 512 };		/* nets a feed gives at a time (BIRD: 256) */

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

/* the name of the protocol a route came from, as a filter's `proto` reads it */
static const char *
src_proto_name(const struct rte *e)
{
	struct channel *c = rt_src_channel(e->src);

	return c ? c->proto->name : NULL;
}

/* ---- tables ------------------------------------------------------------- */

static void table_announce(struct rtable *t, const struct rt_change *ch, void *data);

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
		.announce = table_announce,
		.notify_data = t,
		.clock = real_us,
		.ghosts = true,
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
	feed_head = NULL;
	feed_tail = &feed_head;
	if (feed_ev)
		event_free(feed_ev);
	feed_ev = NULL;
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

/* accept, reject, or run: the verdict of one of c's filters on a route
 * (in the program it was bound from: during a reconfiguration the running
 * config is already the new one while c still has the old filters) */
static bool
run_filt(struct channel *c, const struct chan_filt *f, bool dflt, const char *proto,
	 const net_addr *n, struct rta *attrs, uint32_t *pref, struct rta **out)
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
	if (!f->f || !c->prog)
		return false;
	struct vm_route r = { .net = n, .attrs = attrs, .proto = proto, .preference = *pref };
	if (vm_run_filter(c->prog, f->f, &r, &res) != VM_ACCEPT) {
		rta_unref(res.attrs);
		return false;
	}
	*out = res.attrs;
	if (res.preference)
		*pref = res.preference;
	return true;
}

bool
chan_run_filter(struct vm_prog *prog, const struct vm_func *f, const net_addr *n,
		const struct rte *e, struct rta **out)
{
	struct vm_result res;

	*out = NULL;
	if (!f)
		return true;
	struct vm_route r = { .net = n, .attrs = e->attrs, .preference = e->pref,
			      .proto = src_proto_name(e) };
	bool ok = vm_run_filter(prog ? prog : chan_prog(config), f, &r, &res) == VM_ACCEPT;
	if (ok)
		*out = res.attrs;
	else
		rta_unref(res.attrs);
	return ok;
}

/* ---- export bitmaps ------------------------------------------------------ */

static bool
bmap_test(const struct chan_bmap *b, uint32_t id)
{
	return id / 64 < b->n && (b->w[id / 64] >> (id % 64) & 1);
}

static void
bmap_set(struct chan_bmap *b, uint32_t id)
{
	if (id / 64 >= b->n) {
		uint32_t n = b->n ? b->n : 16;
		while (n <= id / 64)
			n *= 2;
		b->w = xrealloc(b->w, n * sizeof *b->w);
		memset(b->w + b->n, 0, (n - b->n) * sizeof *b->w);
		mem_charge(MEM_PROTOS, (long)((n - b->n) * sizeof *b->w), 0);
		b->n = n;
	}
	b->w[id / 64] |= 1ull << (id % 64);
}

static void
bmap_clear(struct chan_bmap *b, uint32_t id)
{
	if (id / 64 < b->n)
		b->w[id / 64] &= ~(1ull << (id % 64));
}

static void
bmap_free(struct chan_bmap *b)
{
	mem_charge(MEM_PROTOS, -(long)(b->n * sizeof *b->w), 0);
	free(b->w);
	b->w = NULL;
	b->n = 0;
}

/* ---- channels ----------------------------------------------------------- */

struct channel *
chan_new(struct proto *p, const struct chan_config *cf, const char *name, struct rt_tab *tab,
	 unsigned default_pref)
{
	struct channel *c = xzalloc(sizeof *c), **pp;

	mem_charge(MEM_PROTOS, (long)sizeof *c, 0);
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
	c->prog = prog;
	bind_filter(&c->in, &c->cf->in, prog);
	bind_filter(&c->out, &c->cf->out, prog);
}

/* do two bound filters (of programs pa and pb) do the same? */
static bool
filt_same(const struct chan_filt *a, struct vm_prog *pa, const struct chan_filt *b,
	  struct vm_prog *pb)
{
	if (a->kind == CHF_NAMED || a->kind == CHF_INLINE) {
		if (b->kind != CHF_NAMED && b->kind != CHF_INLINE)
			return false;
		return a->f && b->f && pa && pb && vm_func_same_in(pa, a->f, pb, b->f);
	}
	return a->kind == b->kind;
}

unsigned
chan_reconfigure(struct channel *c, const struct chan_config *cf, struct config *conf,
		 unsigned default_pref)
{
	static const struct chan_config none;
	struct vm_prog *prog = chan_prog(conf);
	struct chan_filt in, out;
	unsigned what = 0;

	if (!cf)
		cf = &none;
	const char *tn = cf->table ? cf->table->name :
			 cf->family == CF_AF_IPV6 ? "master6" : "master4";
	if ((cf->table || cf->family) && strcmp(tn, c->tab->name))
		return CHR_RESTART;
	bind_filter(&in, &cf->in, prog);
	bind_filter(&out, &cf->out, prog);
	if (!filt_same(&c->in, c->prog, &in, prog))
		what |= CHR_IMPORT;
	if (!filt_same(&c->out, c->prog, &out, prog))
		what |= CHR_EXPORT;
	uint32_t pref = cf->preference ? cf->preference : default_pref;
	if (pref != c->pref)
		what |= CHR_IMPORT;
	c->pref = pref;
	c->cf = cf;
	c->prog = prog;
	c->in = in;
	c->out = out;
	return what;
}

void
chan_set_mode(struct channel *c, enum chan_ra mode, unsigned merge_limit)
{
	c->ra_mode = (uint8_t)mode;
	c->merge_limit = (uint16_t)(merge_limit ? merge_limit : 16);
}

static void
feed_enqueue(struct channel *c)
{
	c->feed_queued = true;
	c->feed_next = NULL;
	*feed_tail = c;
	feed_tail = &c->feed_next;
}

/* a feed of c from its table's first net (one under way starts again) */
static void
feed_schedule(struct channel *c, bool refeed)
{
	c->export_state = CES_FEEDING;
	c->refeeding = refeed;
	c->refeed_count = 0;
	c->feed_begun = false;
	rt_cursor_init(&c->feed_cur);
	if (!c->feed_queued)
		feed_enqueue(c);
}

static void
feed_unqueue(struct channel *c)
{
	if (!c->feed_queued)
		return;
	for (struct channel **pp = &feed_head; *pp; pp = &(*pp)->feed_next)
		if (*pp == c) {
			*pp = c->feed_next;
			if (feed_tail == &c->feed_next)
				feed_tail = pp;
			break;
		}
	c->feed_queued = false;
}

void
chan_up(struct channel *c)
{
	struct proto *p = c->proto;

	c->state = CS_UP;
	if (p->ops && p->ops->rt_notify && c->export_state == CES_DOWN)
		feed_schedule(c, false);
}

/* exports stop: the protocol is given nothing more, and forgets what it was */
void
chan_stop(struct channel *c)
{
	feed_unqueue(c);
	c->export_state = CES_DOWN;
	bmap_free(&c->exported);
	c->st.exp_routes = 0;
}

void
chan_flush(struct channel *c)
{
	chan_stop(c);
	c->state = CS_FLUSHING;
	rt_flush_sender(c->tab->t, c->src);
	rt_prune(c->tab->t);	/* BIRD collects the table after a flush */
	if (c->prog)		/* and the filters' caches let go of its sets */
		vm_cache_trim(c->prog);
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
	mem_charge(MEM_PROTOS, -(long)sizeof *c, 0);
	free(c);
}

/* ---- limits -------------------------------------------------------------- */

static const char *
limit_action_name(enum chan_limit_action a)
{
	static const char *const names[] = { "warn", "block", "restart", "disable" };

	return names[a & 3];
}

/* A limit reached (count >= max), as BIRD's channel_notify_limit: log (once,
 * or for warn each time the count is exactly the limit), move to active or
 * blocked, and ask for a restart or disable. */
static void
limit_notify(struct channel *c, const struct chan_limit *l, uint8_t *state, const char *dir,
	     uint32_t count)
{
	if (*state == CLS_BLOCKED)
		return;
	if (*state == CLS_OK || (l->action == LIMIT_WARN && count == l->max))
		log_msg(L_WARN, "Protocol %s hits route %s limit (%u), action: %s", c->proto->name,
			dir, l->max, limit_action_name(l->action));
	*state = l->action == LIMIT_WARN ? CLS_ACTIVE : CLS_BLOCKED;
	if (l->action == LIMIT_RESTART)
		proto_request(c->proto, PROTO_PENDING_RESTART, "Limit hit");
	else if (l->action == LIMIT_DISABLE)
		proto_request(c->proto, PROTO_PENDING_DISABLE, "Limit hit");
}

/* true when the update must be dropped */
static bool
limit_check(struct channel *c, const struct chan_limit *l, uint8_t *state, const char *dir,
	    uint32_t count)
{
	if (count >= l->max)
		limit_notify(c, l, state, dir, count);
	return *state == CLS_BLOCKED;
}

/* ---- imports -------------------------------------------------------------- */

/*
 * The table's side of an import, as BIRD's rte_recalculate: attrs NULL is
 * a withdraw (or a filtered route dropped). Counts, then changes the table.
 */
static int
recalc(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src, unsigned pref,
       unsigned flags)
{
	struct chan_stats *s = &c->st;
	struct net *net = rt_find(c->tab->t, n);
	struct rte *old = net ? rt_find_rte(net, src) : NULL;

	if (old && old->sender != c->src) {
		struct channel *oc = rt_src_channel(old->sender);
		if (!oc || oc->proto != c->proto) {
			/* two ways from one source into this table (pipes) */
			static uint64_t rl;	/* log_rl's state */
			if (attrs) {
				char b[NET_STR_MAX];
				log_rl(&rl, L_ERR, "Pipe collision detected when sending %s to table %s",
				       net_format(n, b), c->tab->name);
			}
			return -1;
		}
	}
	if (attrs && old && old->attrs == attrs && old->pref == pref && old->flags == flags &&
	    old->sender == c->src) {
		if (!(flags & RTE_FILTERED))
			s->imp_updates_ignored++;
		return RTE_UNCHANGED;
	}
	if (!old && !attrs) {
		s->imp_withdraws_ignored++;
		return -1;
	}
	bool new_ok = attrs && !(flags & RTE_FILTERED);
	bool old_ok = old && !(old->flags & RTE_FILTERED);
	bool old_filtered = old && !old_ok;

	if (c->cf->rx_limit.max && !old && attrs &&
	    limit_check(c, &c->cf->rx_limit, &c->rx_hit, "receive", s->imp_routes + s->filt_routes)) {
		s->imp_updates_ignored++;
		return -1;
	}
	if (c->cf->in_limit.max && !old_ok && new_ok &&
	    limit_check(c, &c->cf->in_limit, &c->in_hit, "import", s->imp_routes)) {
		s->imp_updates_ignored++;
		if (c->cf->keep_filtered)
			flags |= RTE_FILTERED;
		else
			attrs = NULL;
		if (!old && !attrs)
			return -1;
		new_ok = false;
	} else if (new_ok)
		s->imp_updates_accepted++;
	else if (old_ok)
		s->imp_withdraws_accepted++;
	else
		s->imp_withdraws_ignored++;

	if (attrs)
		(flags & RTE_FILTERED) ? s->filt_routes++ : s->imp_routes++;
	if (old)
		old_filtered ? s->filt_routes-- : s->imp_routes--;
	if (attrs)
		return (int)rte_update_from(c->tab->t, n, src, c->src, attrs, pref, flags);
	rte_withdraw(c->tab->t, n, src);
	return -1;
}

int
chan_import_as(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src,
	       unsigned pref0)
{
	struct chan_stats *s = &c->st;
	uint32_t pref = pref0 ? pref0 : c->pref;
	struct rta *changed = NULL;
	unsigned flags = 0;
	int r;

	if (!src)
		src = c->src;
	s->imp_updates_received++;
	struct channel *sc = rt_src_channel(src);
	if (!run_filt(c, &c->in, c->accept_default, sc ? sc->proto->name : NULL, n, attrs, &pref,
		      &changed)) {
		s->imp_updates_filtered++;
		if (!c->cf->keep_filtered) {
			/* dropped: what the source had here goes (BIRD looks
			 * for it in a net not yet collected too) */
			if (rt_known(c->tab->t, n))
				recalc(c, n, NULL, src, 0, 0);
			return -1;
		}
		flags = RTE_FILTERED;
		pref = pref0 ? pref0 : c->pref;
	}
	r = recalc(c, n, changed ? changed : attrs, src, pref, flags);
	rta_unref(changed);
	return flags ? -1 : r;
}

int
chan_import(struct channel *c, const net_addr *n, struct rta *attrs, uint32_t src)
{
	return chan_import_as(c, n, attrs, src, 0);
}

void
chan_withdraw(struct channel *c, const net_addr *n, uint32_t src)
{
	if (!src)
		src = c->src;
	c->st.imp_withdraws_received++;
	if (!rt_known(c->tab->t, n)) {
		c->st.imp_withdraws_ignored++;
		return;
	}
	recalc(c, n, NULL, src, 0, 0);
}

/* ---- exports -------------------------------------------------------------- */

bool
chan_preexport_ok(struct channel *c, const struct rte *e)
{
	struct proto *p = c->proto;

	if (p->ops && p->ops->preexport)
		return p->ops->preexport(p, c, e);
	/* a protocol is not given back what it brought (BIRD's kernel and BGP
	 * preexport hooks say the same) */
	struct channel *sc = rt_src_channel(e->src);
	return !(sc && sc->proto == p);
}

/* preexport and the export filter, counted unless silent; *out gets the
 * attributes the filter changed (or NULL), *pref the preference it left */
static bool
export_filter(struct channel *c, const net_addr *n, const struct rte *e, struct rta **out,
	      uint32_t *pref, bool silent)
{
	*out = NULL;
	*pref = e->pref;
	if (!chan_preexport_ok(c, e)) {
		if (!silent)
			c->st.exp_updates_rejected++;
		return false;
	}
	if (!run_filt(c, &c->out, c->export_default, src_proto_name(e), n, e->attrs, pref, out)) {
		if (!silent)
			c->st.exp_updates_filtered++;
		return false;
	}
	return true;
}

bool
chan_export_ok(struct channel *c, const net_addr *n, const struct rte *e, struct rta **out,
	       uint32_t *pref)
{
	uint32_t p;

	return export_filter(c, n, e, out, pref ? pref : &p, true);
}

/* the route as given: e with the filter's attributes and preference */
static struct rte *
with_attrs(struct rte *tmp, const struct rte *e, struct rta *changed, uint32_t pref)
{
	*tmp = *e;
	if (changed)
		tmp->attrs = changed;
	tmp->pref = (uint16_t)pref;
	return tmp;
}

/* the last step of every export, as BIRD's do_rt_notify: new may be a copy
 * (changed attributes, merged next hops) of orig, the table's route, whose
 * id the bitmap takes */
static void
do_notify(struct channel *c, struct net *net, struct rte *new, const struct rte *orig,
	  struct rte *old, bool refeed)
{
	struct chan_stats *s = &c->st;
	struct proto *p = c->proto;
	const struct chan_limit *l = &c->cf->out_limit;

	if (refeed && new)
		c->refeed_count++;
	if (l->max && !old && new &&
	    limit_check(c, l, &c->out_hit, "export", s->exp_routes)) {
		s->exp_updates_rejected++;
		return;
	}
	if (new)
		s->exp_updates_accepted++;
	else
		s->exp_withdraws_accepted++;
	if (old) {
		bmap_clear(&c->exported, rte_id(old));
		s->exp_routes--;
	}
	if (new) {
		bmap_set(&c->exported, rte_id(orig));
		s->exp_routes++;
	}
	p->ops->rt_notify(p, c, &net->n, new, old);
}

/* CRA_OPTIMAL and CRA_ANY: one route in, one out (BIRD's rt_notify_basic) */
static void
notify_basic(struct channel *c, struct net *net, struct rte *new, struct rte *old, bool refeed)
{
	struct rta *changed = NULL;
	struct rte tmp;
	uint32_t pref = 0;

	if (new)
		c->st.exp_updates_received++;
	else
		c->st.exp_withdraws_received++;
	if (new && !export_filter(c, &net->n, new, &changed, &pref, false))
		new = NULL;
	if (old && !bmap_test(&c->exported, rte_id(old)))
		old = NULL;
	if (!new && !old)
		return;
	do_notify(c, net, new ? with_attrs(&tmp, new, changed, pref) : NULL, new, old, refeed);
	rta_unref(changed);
}

/* may sec's next hops join pri's in a merged route? (BIRD's rte_mergable) */
static bool
mergable(const struct rte *pri, const struct rte *sec)
{
	if (!pri || !sec || (pri->flags | sec->flags) & RTE_FILTERED || pri->pref != sec->pref)
		return false;
	struct channel *a = rt_src_channel(pri->src), *b = rt_src_channel(sec->src);
	if (!a || !b || a->proto->ops != b->proto->ops || !a->proto->ops->mergable)
		return false;
	return a->proto->ops->mergable(pri, sec);
}

/* BIRD's order of next hops: higher weight first, then gateway, interface */
static int
nh_order(const struct nexthop *x, const struct nexthop *y)
{
	int r = ip_cmp(x->gw, y->gw);

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (r)
		return r;
	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* merge the sorted next hops of a into out[*n] (sorted, at most max) */
static void
nh_merge(struct nexthop *out, unsigned *n, unsigned max, const struct rta *a)
{
	const struct nexthop *x = rta_nexthops(a);
	struct nexthop tmp[256];
	unsigned i = 0, j = 0, k = 0;

	while ((i < *n || j < a->nh_count) && k < max) {
		int r = i >= *n ? 1 : j >= a->nh_count ? -1 : nh_order(&out[i], &x[j]);
		if (r < 0)
			tmp[k++] = out[i++];
		else if (r > 0)
			tmp[k++] = x[j++];
		else {
			tmp[k++] = out[i++];
			j++;
		}
	}
	memcpy(out, tmp, k * sizeof *out);
	*n = k;
}

bool
chan_export_merged(struct channel *c, struct net *net, struct rte *out)
{
	struct rte *best = net->routes;
	struct rta *battrs = NULL, *ra;
	struct nexthop nh[256];
	unsigned nn = 0, max = c->merge_limit < 256 ? c->merge_limit : 256;
	uint32_t pref;
	bool more = false;

	if (!best || best->flags & RTE_FILTERED)
		return false;
	if (!export_filter(c, &net->n, best, &battrs, &pref, true))
		return false;
	*out = *best;
	out->pref = (uint16_t)pref;
	out->attrs = rta_ref(battrs ? battrs : best->attrs);
	rta_unref(battrs);
	if (out->attrs->dest != RTD_UNICAST)
		return true;
	for (struct rte *e = best->next; e; e = e->next) {
		if (!mergable(best, e) || !export_filter(c, &net->n, e, &ra, &pref, true))
			continue;
		const struct rta *a = ra ? ra : e->attrs;
		if (a->dest == RTD_UNICAST) {
			nh_merge(nh, &nn, max, a);
			more = true;
		}
		rta_unref(ra);
	}
	if (!more)
		return true;
	nh_merge(nh, &nn, max, out->attrs);
	if (nn > 1) {
		struct rta_builder b;
		rta_build_start(&b, out->attrs);
		rta_build_nexthops(&b, nh, nn);
		struct rta *m = rta_build_finish(&b);
		rta_unref(out->attrs);
		out->attrs = m;
	}
	return true;
}

/* CRA_MERGED (BIRD's rt_notify_merged) */
static void
notify_merged(struct channel *c, struct net *net, struct rte *new_changed,
	      struct rte *old_changed, struct rte *new_best, struct rte *old_best, bool refeed)
{
	struct rte merged;

	if (!new_best && !old_best)
		return;
	/* a change beside the best that cannot touch the merged route */
	if (new_best == old_best && new_changed != old_changed &&
	    !mergable(new_best, new_changed) && !mergable(old_best, old_changed))
		return;
	if (new_best)
		c->st.exp_updates_received++;
	else
		c->st.exp_withdraws_received++;
	bool have = new_best && chan_export_merged(c, net, &merged);
	if (new_best && !have) {	/* counted as BIRD counts its best route's verdict */
		struct rta *ch = NULL;
		uint32_t pref;
		export_filter(c, &net->n, new_best, &ch, &pref, false);
		rta_unref(ch);
	}
	if (old_best && !bmap_test(&c->exported, rte_id(old_best)))
		old_best = NULL;
	if (have || old_best)
		do_notify(c, net, have ? &merged : NULL, new_best, old_best, refeed);
	if (have)
		rta_unref(merged.attrs);
}

/* ---- the announce hook -------------------------------------------------- */

static void
table_announce(struct rtable *t, const struct rt_change *ch, void *data)
{
	struct rt_tab *tab = data;
	struct channel *c;

	(void)t;
	if (ch->new_best != ch->old_best) {
		if (ch->new_best && (c = rt_src_channel(ch->new_best->sender)))
			c->st.pref_routes++;
		if (ch->old_best && (c = rt_src_channel(ch->old_best->sender)) && c->st.pref_routes)
			c->st.pref_routes--;
	}
	for (c = tab->chans; c; c = c->tnext) {
		if (c->export_state == CES_DOWN)
			continue;
		switch (c->ra_mode) {
		case CRA_OPTIMAL:
			if (ch->new_best != ch->old_best)
				notify_basic(c, ch->net, ch->new_best, ch->old_best, false);
			break;
		case CRA_ANY:
			if (ch->new != ch->old)
				notify_basic(c, ch->net, ch->new, ch->old, false);
			break;
		case CRA_MERGED:
			notify_merged(c, ch->net, ch->new, ch->old, ch->new_best, ch->old_best, false);
			break;
		}
	}
}

/* ---- feeds -------------------------------------------------------------- */

void
chan_refeed(struct channel *c)
{
	if (c->export_state == CES_DOWN)
		return;
	/* a feed queued and not begun covers this request */
	if (c->export_state == CES_FEEDING && c->feed_queued && !c->feed_begun)
		return;
	if (c->cf->out_limit.max)
		c->out_hit = CLS_OK;
	feed_schedule(c, true);
}

static void
feed_net(struct channel *c, struct net *net)
{
	struct rte *best = net->routes && !(net->routes->flags & RTE_FILTERED) ? net->routes : NULL;

	switch (c->ra_mode) {
	case CRA_OPTIMAL:
		if (best)
			notify_basic(c, net, best, best, c->refeeding);
		break;
	case CRA_ANY:
		for (struct rte *e = net->routes; e; e = e->next) {
			if (e->flags & RTE_FILTERED)
				continue;
			/* the protocol may change this table's other routes */
			net_addr n = net->n;
			uint32_t src = e->src;
			notify_basic(c, net, e, e, c->refeeding);
			if (!(net = rt_find(c->tab->t, &n)))
				return;
			for (e = net->routes; e && e->src != src; e = e->next)
				;
			if (!e)
				return;
		}
		break;
	case CRA_MERGED:
		if (best)
			notify_merged(c, net, NULL, NULL, best, best, c->refeeding);
		break;
	}
}

/* up to FEED_SLICE nets of c's feed; true when it has ended (or c went
 * down meanwhile) */
static bool
feed_slice(struct channel *c)
{
	struct net *net;

	c->feed_begun = true;
	for (unsigned i = 0; i < FEED_SLICE; i++) {
		if (!(net = rt_cursor_next(c->tab->t, &c->feed_cur)))
			return true;
		feed_net(c, net);
		if (c->export_state != CES_FEEDING)
			return true;
	}
	return false;
}

static void
feed_fire(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	chan_run_feeds();
}

/* a slice of every feed queued; what is left goes on from an event (at
 * once, without an event loop: tests) */
void
chan_run_feeds(void)
{
	static bool running;
	struct channel *c;

	if (running)
		return;		/* the outer call takes what is queued meanwhile */
	running = true;
	do {
		unsigned n = 0;
		for (c = feed_head; c; c = c->feed_next)
			n++;
		while (n-- && (c = feed_head)) {
			feed_head = c->feed_next;
			if (!feed_head)
				feed_tail = &feed_head;
			c->feed_queued = false;
			if (c->export_state != CES_FEEDING)
				continue;
			if (!feed_slice(c)) {
				feed_enqueue(c);	/* more of it later */
				continue;
			}
			if (c->export_state != CES_FEEDING || c->feed_queued)
				continue;
			/* the export limit is lifted when a refeed stayed under it */
			const struct chan_limit *l = &c->cf->out_limit;
			if (c->refeeding && c->out_hit == CLS_BLOCKED && c->refeed_count <= l->max &&
			    c->st.exp_routes <= l->max) {
				log_msg(L_INFO, "Protocol %s resets route export limit (%u)",
					c->proto->name, l->max);
				c->out_hit = CLS_OK;
				feed_schedule(c, true);	/* once more, now unlimited */
				continue;
			}
			c->export_state = CES_READY;
		}
	} while (feed_head && !loop_base);
	if (feed_head) {
		if (!feed_ev)
			feed_ev = event_new(loop_base, -1, 0, feed_fire, NULL);
		event_active(feed_ev, 0, 0);
	}
	running = false;
}
