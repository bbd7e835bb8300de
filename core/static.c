/*
 * The static protocol: the routes of its config, announced through its
 * one channel when it starts, and again (through the filters) on
 * `reload in`.
 *
 * Each `route` becomes one interned attribute set: source static (static-
 * device for a route only via an interface), scope universe, the
 * destination, and the next hops sorted with their weights. A route with
 * an attribute block (`{ bgp_med = 5; }`) has the block run by the VM on
 * that set first; a block that rejects withholds the route.
 *
 * Next hops are taken as written: Birch has no interface list yet, so a
 * `via IP` is announced without checking that IP is on a link, and no
 * interface index is filled in. When the device protocol lands, a route's
 * next hops are resolved against it (BIRD's neighbor cache): `check link`
 * then withholds a route while its interface is down, and `via IP` routes
 * whose IP is on no connected network are withheld as BIRD withholds them.
 * Recursive routes (`route P recursive IP`) need `igp table` lookups with
 * tracking of the IGP route; they are not announced until that lands.
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/log.h"
#include "core/mem.h"
#include "vm/vm.h"

enum { STATIC_MAX_NH = 64 };

static int
nh_cmp(const void *a, const void *b)
{
	const struct nexthop *x = a, *y = b;
	int c = ip_cmp(x->gw, y->gw);

	return c ? c : (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* the route's attributes, interned (one reference), or NULL if withheld */
static struct rta *
route_attrs(struct proto *p, const struct static_route *r)
{
	struct nexthop nh[STATIC_MAX_NH];
	unsigned n = 0;
	struct rta_builder b;
	bool dev_only = true;

	rta_build_start(&b, NULL);
	b.source = RTS_STATIC;
	b.scope = SCOPE_UNIVERSE;
	switch (r->dest) {
	case SD_VIA:
		b.dest = RTD_UNICAST;
		for (const struct static_nexthop *x = r->nh; x && n < STATIC_MAX_NH; x = x->next) {
			memset(&nh[n], 0, sizeof nh[n]);
			nh[n].gw = x->gw;
			nh[n].weight = (uint8_t)(x->weight ? x->weight - 1 : 0);
			nh[n].flags = x->onlink ? RNF_ONLINK : 0;
			if (x->gw.w[0] || x->gw.w[1] || x->gw.w[2] || x->gw.w[3])
				dev_only = false;
			n++;
		}
		if (dev_only)
			b.source = RTS_STATIC_DEVICE;
		qsort(nh, n, sizeof nh[0], nh_cmp);
		rta_build_nexthops(&b, nh, n);
		break;
	case SD_BLACKHOLE:
		b.dest = RTD_BLACKHOLE;
		break;
	case SD_UNREACHABLE:
		b.dest = RTD_UNREACHABLE;
		break;
	case SD_PROHIBIT:
		b.dest = RTD_PROHIBIT;
		break;
	default:	/* SD_RECURSIVE: see the top of the file */
		rta_build_abort(&b);
		return NULL;
	}
	struct rta *a = rta_build_finish(&b);
	if (r->attrs) {
		struct vm_prog *prog = chan_prog(config);
		const struct vm_func *f = prog ? vm_find_spec(prog, r->attrs) : NULL;
		struct vm_result res;
		memset(&res, 0, sizeof res);
		struct vm_route vr = { .net = &r->net, .attrs = a, .proto = p->name,
				       .preference = p->main ? p->main->pref : 200 };
		if (!f || vm_run_filter(prog, f, &vr, &res) != VM_ACCEPT) {
			rta_unref(res.attrs);
			rta_unref(a);
			return NULL;
		}
		if (res.attrs) {
			rta_unref(a);
			a = res.attrs;
		}
	}
	return a;
}

static void
announce_all(struct proto *p)
{
	const struct static_config *sc = p->cf->opts;
	struct channel *c = p->main;

	if (!c)
		return;
	for (const struct static_route *r = sc->routes; r; r = r->next) {
		struct rta *a = route_attrs(p, r);
		if (a) {
			chan_import(c, &r->net, a, 0);
			rta_unref(a);
		} else {
			struct net *n = rt_find(c->tab->t, &r->net);
			if (n && rt_find_rte(n, c->src))
				chan_withdraw(c, &r->net, 0);
		}
	}
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
	announce_all(p);
	return PS_UP;
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

/* same routes in the same order; attribute blocks are code in two
 * programs, so a route with one counts as changed */
static bool
static_same(const struct proto_config *pa, const struct proto_config *pb)
{
	const struct static_config *a = pa->opts, *b = pb->opts;
	const struct static_route *x = a->routes, *y = b->routes;

	if (a->check_link != b->check_link)
		return false;
	for (; x && y; x = x->next, y = y->next)
		if (!net_eq(&x->net, &y->net) || x->dest != y->dest || !ip_eq(x->via, y->via) ||
		    !nh_same(x->nh, y->nh) || x->attrs || y->attrs)
			return false;
	return !x && !y;
}

const struct proto_ops static_ops = {
	.kind = "static",
	.label = "Static",
	.pref = 200,
	.start = static_start,
	.same = static_same,
	.reload = announce_all,
};
