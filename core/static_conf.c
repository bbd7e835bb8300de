/*
 * The static protocol's options: `route PREFIX via ...` (one record per
 * route, one sub-record per next hop of a multipath route), `check link`
 * and `igp table`, and BIRD's checks at the end of the protocol.
 */
#include <stddef.h>
#include <stdio.h>

#include "core/proto.h"

#define C struct static_config
#define R struct static_route
#define N struct static_nexthop

static const struct static_config defaults = { .check_link = false };

/* `via IP[%iface]` or `via "iface"` */
#define NH_VIA "(% [\\% %]|%)"
#define NH_OPTS "[weight %|bfd %|onlink %]*"
#define NH_SLOTS CF_IP(N, gw), CF_TEXT(N, iface), CF_TEXT(N, iface), { .type = CS_UINT, .off = offsetof(N, weight), .min = 1, .max = 256, \
	.msg = "Weight must be in range 1-256" }, \
	CF_BOOL(N, bfd), CF_BOOL(N, onlink)
#define ROUTE(p, ...) { .patt = (p), .slot = { __VA_ARGS__ }, .list_off = offsetof(C, routes), \
	.rec_size = sizeof(R), .sub_off = offsetof(R, nh), .sub_size = sizeof(N) }
/* `route ... { bgp_med = 5; }`: filter commands run on the route */
#define ATTRS CF_FILTER(R, attrs)

static const struct cf_option opts[] = {
	CF_OPT("check link %", CF_BOOL(C, check_link)),
	CF_OPT("igp table %", CF_IGP_TABLE(C, igp_table, "Incompatible IGP table type")),
	ROUTE("route % <via " NH_VIA " " NH_OPTS "> [<via " NH_VIA " " NH_OPTS ">]* [%]",
	      CF_NET(R, net), NH_SLOTS, NH_SLOTS, ATTRS),
	/* BIRD 1.x: `route P multipath via A [weight N] via B ...` */
	ROUTE("route % multipath <via " NH_VIA " " NH_OPTS "> [<via " NH_VIA " " NH_OPTS ">]* [%]",
	      CF_NET(R, net), NH_SLOTS, NH_SLOTS, ATTRS),
	ROUTE("route % recursive %% [%]", CF_NET(R, net), CF_IP(R, via),
	      CF_SETV(R, dest, SD_RECURSIVE), ATTRS),
	ROUTE("route % (blackhole%|unreachable%|prohibit%|drop%|reject%) [%]", CF_NET(R, net),
	      CF_SETV(R, dest, SD_BLACKHOLE), CF_SETV(R, dest, SD_UNREACHABLE),
	      CF_SETV(R, dest, SD_PROHIBIT), CF_SETV(R, dest, SD_BLACKHOLE),
	      CF_SETV(R, dest, SD_UNREACHABLE), ATTRS),
	CF_END,
};

static unsigned
net_family(const net_addr *n)
{
	return n->type == NET_IP4 ? CF_AF_IPV4 : CF_AF_IPV6;
}

static const char *
check(const struct proto_config *pc)
{
	const struct static_config *c = pc->opts;

	if (!pc->channels)
		return "Channel not specified";
	/* BIRD: a route must fit the (one) channel's type */
	for (const struct static_route *r = c->routes; r; r = r->next)
		if (net_family(&r->net) != pc->channels->family) {
			static char msg[NET_STR_MAX + 48];	/* the parser is single-threaded */
			char n[NET_STR_MAX];
			snprintf(msg, sizeof msg, "Route %s incompatible with channel type",
				 net_format(&r->net, n));
			return msg;
		}
	return NULL;
}

const struct proto_class proto_static = {
	.name = "static",
	.id = 5,
	.cfg_size = sizeof(struct static_config),
	.cfg_defaults = &defaults,
	.opts = opts,
	.families = CF_FAMILY(CF_AF_IPV4) | CF_FAMILY(CF_AF_IPV6),
	.one_channel = true,
	.check = check,
};
