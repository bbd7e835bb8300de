/*
 * The static protocol: the routes of its config, each resolved against
 * the interfaces (core/iface.h) and, for `recursive`, against its IGP
 * table, and announced through its one channel; resolved again whenever
 * an interface, an address or the IGP table changes.
 *
 * Each `route` becomes one interned attribute set (its base): source
 * static, scope universe, the destination and the next hops that resolve.
 *  - `via IP[%iface]`: the interface on which IP is a neighbor (iface.h
 *    states BIRD's rules). A next hop that cannot be one at all (invalid,
 *    multicast, broadcast or host address, link-local or `onlink` without
 *    an interface) is logged once at start and never used.
 *  - `via "iface"`: that interface while it is up.
 *  - `check link`: a next hop also needs its interface's carrier.
 *  - multipath: the next hops that resolve; none, and the route is
 *    withheld (BIRD removes it from the table until one comes back).
 *  - `recursive IP`: the best route for IP in the IGP table (longest
 *    match; `igp table`, else the channel's table when its family fits,
 *    else that family's master): its next hops (a direct one becomes via
 *    IP on its interface), or its blackhole/unreachable/prohibit; no such
 *    route, or one that is itself recursive (logged), makes the route
 *    unreachable.
 * A route's attribute block (`{ bgp_med = 5; }`) runs on the base before
 * the channel's import filter; its verdict does not count (with_block).
 *
 * BIRD shares one neighbor entry per (address, interface) and protocol,
 * made with the `onlink` flag of the first route that names it; later
 * routes naming the same pair get that entry's flag. The nbr table
 * reproduces this, so a config that mixes the two resolves as in BIRD.
 *
 * Changes: interface and address changes (a subscription to the
 * registry) and best-route changes in a watched IGP table (rt_watch) only
 * wake an event, so a burst of them costs one pass; the event resolves
 * every route again and announces those whose base changed (interned
 * sets: a pointer compare). A recursive route moved by its IGP route is
 * updated in place, as BIRD's next-hop update does it (nh_update).
 * `configure` takes a new route list in place (static_reconfigure).
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/iface.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "vm/vm.h"

enum { STATIC_MAX_NH = 64 };

enum {
	NB_INVALID = -1,		/* st_route.nb entry: never usable */
	NB_DEV = -2,			/* `via "iface"`: no neighbor */
};

struct st_nbr {				/* one neighbor entry, BIRD-style */
	ip_addr gw;			/* next hop */
	const char *ifname;		/* named interface, or NULL */
	bool onlink;			/* as its first route asked */
	uint32_t pass;			/* st_state.pass when iface was found */
	struct iface *iface;		/* its interface then, or NULL */
};

struct st_route {
	const struct static_route *cf;	/* in st_state.cf */
	struct rta *base;		/* resolved set, one reference; NULL: withheld */
	int *nb;			/* per next hop: st_state.nbr index or NB_* */
	bool loop_warned;		/* logged: resolvable through a recursive route */
	bool kept;			/* reconfiguration: the same in the old config */
};

struct st_state {
	struct proto *p;		/* owner */
	const struct proto_config *cf;	/* the config the pointers below are into */
	unsigned n;			/* routes */
	struct st_route *r;		/* in config order */
	unsigned n_nbr;			/* neighbor entries */
	struct st_nbr *nbr;		/* room for every next hop */
	int *nb_all;			/* the routes' nb arrays, in one block */
	struct if_sub sub;		/* interface changes */
	struct rt_watch watch[2];	/* on the IGP tables, IPv4 and IPv6 */
	struct rt_tab *igp[2];		/* watched, or NULL */
	struct event *ev;		/* deferred resolution */
	size_t mem;			/* bytes charged to MEM_PROTOS */
	uint32_t pass;			/* resolutions run: neighbors are looked
					 * up once per pass, however many routes
					 * share them */
};

static bool
ip_zero(ip_addr a)
{
	return !a.w[0] && !a.w[1] && !a.w[2] && !a.w[3];
}

/* ---- next hops ---- */

/* the neighbor entry for (gw, ifname), or -1 */
static int
nbr_find(const struct st_state *st, ip_addr gw, const char *ifname)
{
	for (unsigned k = 0; k < st->n_nbr; k++) {
		const struct st_nbr *b = &st->nbr[k];
		if (ip_eq(b->gw, gw) && !b->ifname == !ifname && (!ifname || !strcmp(b->ifname, ifname)))
			return (int)k;
	}
	return -1;
}

/* at start: each next hop's neighbor entry, an existing one first (BIRD
 * looks it up before it checks anything); invalid ones are logged */
static void
nbrs_init(struct st_state *st, struct st_route *sr)
{
	const struct static_route *r = sr->cf;
	unsigned k = 0;

	for (const struct static_nexthop *x = r->nh; x; x = x->next, k++) {
		if (ip_zero(x->gw) && x->iface) {
			sr->nb[k] = NB_DEV;
			continue;
		}
		int e = nbr_find(st, x->gw, x->iface);
		if (e < 0 && !if_neighbor_valid(x->gw, x->iface != NULL, x->onlink)) {
			char g[IP_STR_MAX], n[NET_STR_MAX];
			log_msg(L_WARN, "Invalid next hop %s of static route %s", ip_format(x->gw, g),
				net_format(&r->net, n));
			sr->nb[k] = NB_INVALID;
			continue;
		}
		if (e < 0) {
			e = (int)st->n_nbr++;
			st->nbr[e] = (struct st_nbr){ .gw = x->gw, .ifname = x->iface, .onlink = x->onlink };
		}
		sr->nb[k] = e;
	}
}

/* the interface of neighbor entry nb in this pass */
static struct iface *
nbr_iface(struct st_state *st, int nb, struct iface *via)
{
	struct st_nbr *b = &st->nbr[nb];

	if (b->pass != st->pass) {
		b->iface = if_neighbor(b->gw, via, b->onlink);
		b->pass = st->pass;
	}
	return b->iface;
}

/* the next hops of a `via` route that resolve now; returns how many */
static unsigned
resolve_via(struct st_state *st, const struct st_route *sr, bool check_link,
	    struct nexthop *out)
{
	unsigned n = 0, k = 0;

	for (const struct static_nexthop *x = sr->cf->nh; x && n < STATIC_MAX_NH; x = x->next, k++) {
		int nb = sr->nb[k];
		if (nb == NB_INVALID)
			continue;
		struct iface *via = x->iface ? if_find_name(x->iface) : NULL, *i;
		if (x->iface && !via)
			continue;
		if (nb == NB_DEV)
			i = via->flags & IF_UP ? via : NULL;
		else
			i = nbr_iface(st, nb, via);
		if (!i || (check_link && !(i->flags & IF_LINK_UP)))
			continue;
		out[n++] = (struct nexthop){ .gw = x->gw, .ifindex = i->index,
			.weight = (uint8_t)(x->weight ? x->weight - 1 : 0),
			.flags = x->onlink ? RNF_ONLINK : 0 };
	}
	return n;
}

/* ---- recursive routes ---- */

static int
fam_index(ip_addr a)
{
	return ip_is4(a) ? 0 : 1;
}

/* the table a recursive next hop of family fi is looked up in */
static struct rt_tab *
igp_table(const struct proto *p, const struct proto_config *pc, int fi)
{
	const struct static_config *sc = pc->opts;
	const struct rtable_config *t = sc->igp_table[fi];

	if (t)
		return rt_tab_find(t->name);
	if (p->main && (p->main->tab->family == CF_AF_IPV4) == (fi == 0))
		return p->main->tab;
	return rt_tab_find(fi ? "master6" : "master4");
}

/* is this a recursive route of a static protocol (through a pipe too)? */
static bool
is_recursive(const struct rte *e, const net_addr *n)
{
	struct channel *c = rt_src_channel(e->src);
	const struct st_state *o = c && c->proto->ops == &static_ops ? c->proto->data : NULL;

	for (unsigned k = 0; o && k < o->n; k++)
		if (o->r[k].cf->dest == SD_RECURSIVE && net_eq(&o->r[k].cf->net, n))
			return true;
	return false;
}

/* the best valid route of the longest prefix holding a in t */
static struct net *
igp_lookup(struct rtable *t, ip_addr a)
{
	net_addr q = ip_is4(a) ? net_ip4(ip4_to_u32(a), 32) : net_ip6(a, 128);

	for (;;) {
		struct net *n = rt_lpm_net(t, &q);
		if (!n)
			return NULL;
		if (n->routes && !(n->routes->flags & RTE_FILTERED))
			return n;
		if (!n->n.pxlen)
			return NULL;
		q = n->n;
		q.pxlen--;
		net_normalize(&q);
	}
}

static void
resolve_recursive(struct st_state *st, struct st_route *sr, struct rta_builder *b,
		  struct nexthop *nh, unsigned *n_nh)
{
	const struct static_route *r = sr->cf;
	struct rt_tab *t = st->igp[fam_index(r->via)];
	struct net *n = t ? igp_lookup(t->t, r->via) : NULL;

	*n_nh = 0;
	b->dest = RTD_UNREACHABLE;
	if (!n)
		return;
	if (is_recursive(n->routes, &n->n)) {
		if (!sr->loop_warned) {
			char g[IP_STR_MAX], x[NET_STR_MAX];
			log_msg(L_WARN, "Next hop address %s resolvable through recursive route for %s",
				ip_format(r->via, g), net_format(&n->n, x));
		}
		sr->loop_warned = true;
		return;
	}
	sr->loop_warned = false;
	const struct rta *a = n->routes->attrs;
	b->dest = a->dest;
	if (a->dest != RTD_UNICAST)
		return;
	const struct nexthop *x = rta_nexthops(a);
	for (unsigned k = 0; k < a->nh_count && k < STATIC_MAX_NH; k++) {
		nh[k] = x[k];
		if (ip_zero(nh[k].gw))
			nh[k].gw = r->via;	/* through a direct route: IP itself */
	}
	*n_nh = a->nh_count < STATIC_MAX_NH ? a->nh_count : STATIC_MAX_NH;
	if (!*n_nh)
		b->dest = RTD_UNREACHABLE;
}

/* ---- resolution ---- */

/* the route's base set now (one reference), or NULL when withheld */
static struct rta *
resolve(struct st_state *st, struct st_route *sr)
{
	const struct static_config *sc = st->cf->opts;
	const struct static_route *r = sr->cf;
	struct nexthop nh[STATIC_MAX_NH];
	unsigned n = 0;
	struct rta_builder b;

	rta_build_start(&b, NULL);
	b.source = RTS_STATIC;
	b.scope = SCOPE_UNIVERSE;
	switch (r->dest) {
	case SD_VIA:
		n = resolve_via(st, sr, sc->check_link, nh);
		if (!n) {
			rta_build_abort(&b);
			return NULL;
		}
		b.dest = RTD_UNICAST;
		break;
	case SD_RECURSIVE:
		resolve_recursive(st, sr, &b, nh, &n);
		break;
	case SD_BLACKHOLE:
		b.dest = RTD_BLACKHOLE;
		break;
	case SD_UNREACHABLE:
		b.dest = RTD_UNREACHABLE;
		break;
	default:
		b.dest = RTD_PROHIBIT;
		break;
	}
	rta_build_nexthops(&b, nh, n);	/* attr.c puts them in BIRD's order */
	return rta_build_finish(&b);
}

/* the set to import for a base: its attribute block run on it (one
 * reference). BIRD 2.0.12 ignores the block's verdict: after a reject or
 * a runtime error the route goes out with what the block changed so far */
static struct rta *
with_block(struct proto *p, const struct static_route *r, struct rta *base)
{
	if (!r->attrs)
		return rta_ref(base);
	struct vm_prog *prog = chan_prog(config);
	const struct vm_func *f = prog ? vm_find_spec(prog, r->attrs) : NULL;
	struct vm_result res;
	memset(&res, 0, sizeof res);
	struct vm_route vr = { .net = &r->net, .attrs = base, .proto = p->name,
			       .preference = p->main ? p->main->pref : 200, .keep = true };
	if (f)
		vm_run_filter(prog, f, &vr, &res);
	/* what the block prints goes to the log, a line each, as BIRD's */
	for (size_t at = 0, e; at < res.out_len; at = e + 1) {
		for (e = at; e < res.out_len && res.out[e] != '\n'; e++)
			;
		if (e > at)
			log_msg(L_INFO, "%.*s", (int)(e - at), res.out + at);
	}
	return res.attrs ? res.attrs : rta_ref(base);
}

/* bring the table in line with sr->base */
static void
announce(struct st_state *st, struct st_route *sr)
{
	struct proto *p = st->p;
	struct channel *c = p->main;
	const net_addr *net = &sr->cf->net;

	if (!c)
		return;
	struct rta *a = sr->base ? with_block(p, sr->cf, sr->base) : NULL;
	if (!a) {
		struct net *n = rt_find(c->tab->t, net);
		if (n && rt_find_rte(n, c->src))
			chan_withdraw(c, net, 0);
		return;
	}
	chan_import(c, net, a, 0);
	rta_unref(a);
}

/*
 * A recursive route's IGP route changed: as BIRD's next-hop update, the
 * route in the table takes the new destination and next hops in place,
 * keeping its age and preference, without the filters or the channel's
 * counters (the table's hooks still export it). Not in the table (the
 * filter rejected it): nothing to do.
 */
static void
nh_update(struct st_state *st, struct st_route *sr)
{
	struct channel *c = st->p->main;
	const net_addr *net = &sr->cf->net;
	struct net *n = c ? rt_find(c->tab->t, net) : NULL;
	struct rte *e = n ? rt_find_rte(n, c->src) : NULL;
	struct rta_builder b;

	if (!e || (e->flags & RTE_FILTERED))
		return;
	int64_t age = e->lastmod;
	rta_build_start(&b, e->attrs);
	b.dest = sr->base->dest;
	rta_build_nexthops(&b, rta_nexthops(sr->base), sr->base->nh_count);
	struct rta *a = rta_build_finish(&b);
	rte_update(c->tab->t, net, c->src, a, e->pref, e->flags);
	rta_unref(a);
	if ((n = rt_find(c->tab->t, net)) && (e = rt_find_rte(n, c->src)))
		e->lastmod = age;
}

/* resolve every route again; announce those whose base changed */
static void
resolve_all(struct st_state *st, bool initial)
{
	if (!++st->pass)
		st->pass = 1;	/* 0 marks an entry never looked up */
	for (unsigned k = 0; k < st->n; k++) {
		struct st_route *sr = &st->r[k];
		struct rta *b = resolve(st, sr);
		if (!initial && b == sr->base) {
			rta_unref(b);
			continue;
		}
		rta_unref(sr->base);
		sr->base = b;
		if (!initial && sr->cf->dest == SD_RECURSIVE)
			nh_update(st, sr);
		else
			announce(st, sr);
	}
}

static void
on_event(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev;
	resolve_all(arg, false);
}

static void
wake(struct st_state *st)
{
	if (st->ev)
		event_active(st->ev, 0, 0);
	else
		resolve_all(st, false);	/* no loop (tests): at once */
}

static void
on_iface(struct if_sub *s, struct iface *i, unsigned what)
{
	(void)i;
	/* MTU and master do not move a next hop */
	if (what & ~(unsigned)(IFC_MTU | IFC_MASTER))
		wake(s->data);
}

static void
on_addr(struct if_sub *s, struct ifa *a, bool added)
{
	(void)a, (void)added;
	wake(s->data);
}

/* a best route changed in an IGP table: does a recursive route care? */
static void
on_igp(struct rtable *t, const net_addr *n, void *data)
{
	struct st_state *st = data;

	for (unsigned k = 0; k < st->n; k++) {
		const struct static_route *r = st->r[k].cf;
		if (r->dest != SD_RECURSIVE || !st->igp[fam_index(r->via)] ||
		    st->igp[fam_index(r->via)]->t != t || !net_contains_ip(n, r->via))
			continue;
		/* inside the table's hook: never resolve here, always later */
		if (st->ev)
			event_active(st->ev, 0, 0);
		return;
	}
}

/* ---- life cycle ---- */

static void
state_free(struct st_state *st)
{
	if (!st)
		return;
	if_unsubscribe(&st->sub);
	for (int f = 0; f < 2; f++)
		if (st->igp[f] && (f == 0 || st->igp[1] != st->igp[0]))
			rt_watch_remove(st->igp[f]->t, &st->watch[f]);
	if (st->ev)
		event_free(st->ev);
	for (unsigned k = 0; k < st->n; k++)
		rta_unref(st->r[k].base);
	mem_charge(MEM_PROTOS, -(long)st->mem, 0);
	free(st->r);
	free(st->nbr);
	free(st->nb_all);
	free(st);
}

/* the run-time state of p for its config pc (not yet p->cf when p is
 * being reconfigured) */
static struct st_state *
state_new(struct proto *p, const struct proto_config *pc)
{
	const struct static_config *sc = pc->opts;
	struct st_state *st = xzalloc(sizeof *st);
	unsigned total = 0;

	st->p = p;
	st->cf = pc;
	st->pass = 1;
	for (const struct static_route *r = sc->routes; r; r = r->next) {
		st->n++;
		for (const struct static_nexthop *x = r->nh; x; x = x->next)
			total++;
	}
	st->r = xzalloc((st->n ? st->n : 1) * sizeof *st->r);
	st->nbr = xzalloc((total ? total : 1) * sizeof *st->nbr);
	st->nb_all = xzalloc((total ? total : 1) * sizeof *st->nb_all);
	st->mem = sizeof *st + (st->n ? st->n : 1) * sizeof *st->r +
		  (total ? total : 1) * (sizeof *st->nbr + sizeof *st->nb_all);
	mem_charge(MEM_PROTOS, (long)st->mem, 0);
	unsigned k = 0, off = 0;
	bool rec[2] = { false, false };
	for (const struct static_route *r = sc->routes; r; r = r->next, k++) {
		struct st_route *sr = &st->r[k];
		sr->cf = r;
		sr->nb = st->nb_all + off;
		for (const struct static_nexthop *x = r->nh; x; x = x->next)
			off++;
		if (r->dest == SD_VIA)
			nbrs_init(st, sr);
		if (r->dest == SD_RECURSIVE)
			rec[fam_index(r->via)] = true;
	}
	st->sub = (struct if_sub){ .iface = on_iface, .addr = on_addr, .data = st };
	if_subscribe(&st->sub);
	for (int f = 0; f < 2; f++) {
		if (!rec[f] || !(st->igp[f] = igp_table(p, pc, f)))
			continue;
		st->watch[f] = (struct rt_watch){ .fn = on_igp, .data = st };
		if (f == 0 || st->igp[1] != st->igp[0])
			rt_watch_add(st->igp[f]->t, &st->watch[f]);
	}
	if (loop_base)
		st->ev = event_new(loop_base, -1, 0, on_event, st);
	return st;
}

static enum proto_state
static_start(struct proto *p)
{
	const struct chan_config *cc = p->cf->channels;

	if (!cc)
		return PS_UP;
	struct channel *c = proto_add_channel(p, cc, cc->family == CF_AF_IPV6 ? "ipv6" : "ipv4", NULL);
	if (!c)
		return PS_START;
	chan_up(c);
	struct st_state *st = state_new(p, p->cf);
	p->data = st;
	resolve_all(st, true);
	return PS_UP;
}

static void
static_shutdown(struct proto *p)
{
	state_free(p->data);
	p->data = NULL;
}

/* `reload in`: every route through the filters again */
static void
static_reload(struct proto *p)
{
	struct st_state *st = p->data;

	for (unsigned k = 0; st && k < st->n; k++)
		announce(st, &st->r[k]);
}

static bool
nh_same(const struct static_nexthop *a, const struct static_nexthop *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!ip_eq(a->gw, b->gw) || a->weight != b->weight || a->onlink != b->onlink ||
		    a->bfd != b->bfd || !a->iface != !b->iface ||
		    (a->iface && strcmp(a->iface, b->iface)))
			return false;
	return !a && !b;
}

static bool
table_same(const struct rtable_config *a, const struct rtable_config *b)
{
	return a == b || (a && b && !strcmp(a->name, b->name));
}

/* what only a restart changes: `check link` and the IGP tables (routes
 * are taken in place by static_reconfigure, as BIRD's reconfiguration
 * takes them) */
static bool
static_same(const struct proto_config *pa, const struct proto_config *pb)
{
	const struct static_config *a = pa->opts, *b = pb->opts;

	return a->check_link == b->check_link && table_same(a->igp_table[0], b->igp_table[0]) &&
	       table_same(a->igp_table[1], b->igp_table[1]);
}

/* the same route in two configs: attribute blocks compared by their code */
static bool
route_same(const struct static_route *x, struct vm_prog *px, const struct static_route *y,
	   struct vm_prog *py)
{
	if (!net_eq(&x->net, &y->net) || x->dest != y->dest || !ip_eq(x->via, y->via) ||
	    !nh_same(x->nh, y->nh) || !x->attrs != !y->attrs)
		return false;
	if (!x->attrs)
		return true;
	const struct vm_func *fx = px ? vm_find_spec(px, x->attrs) : NULL;
	const struct vm_func *fy = py ? vm_find_spec(py, y->attrs) : NULL;
	return fx && fy && vm_func_same_in(px, fx, py, fy);
}

/* a state's routes by prefix (a reconfiguration matches old and new in
 * linear time): open addressing over route indexes, and a chain through
 * the routes of one prefix in config order */
struct by_net {
	int *slot;		/* first route of a prefix, or -1 */
	int *next;		/* the next route of the same prefix, or -1 */
	size_t mask;
};

static struct by_net
by_net_new(const struct st_state *st)
{
	struct by_net b;
	size_t cap = 16;

	while (cap < 2 * (size_t)st->n)
		cap *= 2;
	b.mask = cap - 1;
	b.slot = xmalloc(cap * sizeof *b.slot);
	b.next = xmalloc((st->n ? st->n : 1) * sizeof *b.next);
	memset(b.slot, 0xff, cap * sizeof *b.slot);
	for (unsigned i = st->n; i-- > 0;) {	/* backwards: chains in config order */
		const net_addr *n = &st->r[i].cf->net;
		size_t h = net_hash(n) & b.mask;
		while (b.slot[h] >= 0 && !net_eq(&st->r[b.slot[h]].cf->net, n))
			h = (h + 1) & b.mask;
		b.next[i] = b.slot[h];
		b.slot[h] = (int)i;
	}
	return b;
}

static int
by_net_first(const struct by_net *b, const struct st_state *st, const net_addr *n)
{
	for (size_t h = net_hash(n) & b->mask; b->slot[h] >= 0; h = (h + 1) & b->mask)
		if (net_eq(&st->r[b->slot[h]].cf->net, n))
			return b->slot[h];
	return -1;
}

static void
by_net_free(struct by_net *b)
{
	free(b->slot);
	free(b->next);
}

/*
 * A new config in place, as BIRD reconfigures a static protocol: routes
 * the same in both keep their place in the table untouched; routes gone
 * are withdrawn, new or changed ones announced; then the channel takes
 * its new filters (a changed import filter announces every route again).
 * Another table for the channel needs a restart.
 */
static bool
static_reconfigure(struct proto *p, const struct proto_config *pc, struct config *conf, bool soft)
{
	struct st_state *old = p->data;
	const struct chan_config *cc = pc->channels;
	struct channel *c = p->main;

	if (p->state == PS_DOWN || !old || !c) {
		if (!cc != !c)
			return false;
		p->cf = pc;
		return true;
	}
	const char *tn = !cc ? NULL : cc->table ? cc->table->name :
			 cc->family == CF_AF_IPV6 ? "master6" : "master4";
	if (!tn || strcmp(tn, c->tab->name))
		return false;
	struct vm_prog *op = c->prog, *np = chan_prog(conf);
	unsigned what = chan_reconfigure(c, cc, conf, p->ops->pref);
	struct st_state *st = state_new(p, pc);
	bool *kept = xzalloc((old->n ? old->n : 1) * sizeof *kept);
	struct by_net on = by_net_new(old), nn = by_net_new(st);
	for (unsigned k = 0; k < st->n; k++)	/* each new route: an old one the same? */
		for (int j = by_net_first(&on, old, &st->r[k].cf->net); j >= 0;
		     j = on.next[j])
			if (!kept[j] && route_same(old->r[j].cf, op, st->r[k].cf, np)) {
				kept[j] = true;
				st->r[k].base = old->r[j].base ? rta_ref(old->r[j].base) : NULL;
				st->r[k].loop_warned = old->r[j].loop_warned;
				st->r[k].kept = true;
				break;
			}
	for (unsigned j = 0; j < old->n; j++) {	/* prefixes no longer there go */
		if (kept[j] || by_net_first(&nn, st, &old->r[j].cf->net) >= 0)
			continue;
		struct net *n = rt_find(c->tab->t, &old->r[j].cf->net);
		if (n && rt_find_rte(n, c->src))
			chan_withdraw(c, &old->r[j].cf->net, 0);
	}
	by_net_free(&on);
	by_net_free(&nn);
	free(kept);
	state_free(old);
	p->data = st;
	p->cf = pc;
	st->pass++;	/* look neighbors up afresh */
	for (unsigned k = 0; k < st->n; k++)
		if (!st->r[k].kept) {
			st->r[k].base = resolve(st, &st->r[k]);
			announce(st, &st->r[k]);
		}
	proto_chan_reloaded(p, c, what, soft);
	return true;
}

/* `merge paths`: static routes of one preference merge, as in BIRD */
static bool
static_mergable(const struct rte *pri, const struct rte *sec)
{
	(void)pri, (void)sec;
	return true;
}

const struct proto_ops static_ops = {
	.kind = "static",
	.label = "Static",
	.pref = 200,
	.start = static_start,
	.shutdown = static_shutdown,
	.same = static_same,
	.reconfigure = static_reconfigure,
	.mergable = static_mergable,
	.reload = static_reload,
};
