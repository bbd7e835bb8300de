/*
 * BGP's options as BIRD 2's user guide lists them (and BIRD 1.x's few
 * others), with their defaults and bounds: the table the config parser
 * matches `protocol bgp` statements against (core/proto.h explains the
 * patterns), and the checks BIRD makes when a protocol closes.
 */
#include <stddef.h>

#include "bgp/bgp.h"

#define C struct bgp_config
#define H struct bgp_chan_config

static const struct bgp_config defaults = {
	.local_port = 179,
	.remote_port = 179,
	.multihop = BGP_MULTIHOP_UNSET,
	.setkey = true,
	.allow_as_sets = true,
	.enable_route_refresh = true,
	.gr_mode = BGP_GR_AWARE,
	.gr_time = 120,
	.llgr_mode = BGP_GR_AWARE,
	.llgr_time = 3600,
	.interpret_communities = true,
	.enable_as4 = true,
	.capabilities = true,
	.advertise_ipv4 = true,
	.hold_time = 240,
	.startup_hold_time = 240,
	.connect_delay_time = 5,
	.connect_retry_time = 120,
	.error_wait_min = 60,
	.error_wait_max = 300,
	.error_forget_time = 300,
	.path_metric = true,
	.igp_metric = true,
	.default_local_pref = 100,
};

static const struct bgp_chan_config chan_defaults = {
	.gr_able = 1,
	.llgr_able = 1,
};

/* a second neighbor address (a template's counts): BIRD's error at once */
#define ONE_NEIGHBOR { .type = CS_SET, .off = offsetof(C, neighbor_set), .min = 1, \
	.msg = "Only one neighbor per BGP instance is allowed" }
#define HOLD_MSG "Hold time must be in range 3-65535 or zero"
#define KEEP_MSG "Keepalive time must be in range 1-65535"

static const struct cf_option opts[] = {
	CF_OPT("local [%%] [port %|as %]*", CF_IP(C, local_ip), CF_SETV(C, local_ip_set, 1),
	  CF_UINT(C, local_port, 1, 65535), CF_UINT(C, local_as, 1, 0xffffffff)),
	CF_OPT("neighbor [% [\\% %]%%|range %%%] [port %|as %|internal%|external%]*",
	  CF_IP(C, remote_ip), CF_TEXT(C, iface), CF_SETV(C, remote_ip_set, 1), ONE_NEIGHBOR,
	  CF_NET(C, remote_range), CF_SETV(C, remote_range_set, 1), ONE_NEIGHBOR,
	  CF_UINT(C, remote_port, 1, 65535), CF_UINT(C, remote_as, 1, 0xffffffff),
	  CF_SETV(C, peer_type, BGP_PT_INTERNAL), CF_SETV(C, peer_type, BGP_PT_EXTERNAL)),
	CF_OPT("interface %", CF_TEXT(C, iface)),
	CF_OPT("direct%", CF_SETV(C, multihop, 0)),
	CF_OPT("multihop (%|%)", CF_UINT(C, multihop, 1, 255), CF_SETV(C, multihop, BGP_MULTIHOP_DEFAULT)),
	CF_OPT("source address %%", CF_IP(C, source_addr), CF_SETV(C, source_addr_set, 1)),
	CF_OPT("dynamic name digits %", CF_UINT(C, dynamic_name_digits, 0, 10)),
	CF_OPT("dynamic name %", CF_TEXT(C, dynamic_name)),
	CF_OPT("strict bind %", CF_BOOL(C, strict_bind)),
	CF_OPT("free bind %", CF_BOOL(C, free_bind)),
	CF_OPT("check link %", CF_BOOL(C, check_link)),
	CF_OPT("bfd (graceful%|%)", CF_SETV(C, bfd, BGP_BFD_GRACEFUL), CF_SWITCH(C, bfd)),
	CF_OPT_F("bfd %", CF_OPT_UNIMPL, CF_UNIMPL),	/* bfd { options } */
	CF_OPT("ttl security %", CF_BOOL(C, ttl_security)),
	CF_OPT("password %", CF_TEXT(C, password)),
	CF_OPT("setkey %", CF_BOOL(C, setkey)),
	CF_OPT("passive %", CF_BOOL(C, passive)),
	CF_OPT("confederation member %", CF_BOOL(C, confederation_member)),
	CF_OPT("confederation %", CF_UINT(C, confederation, 1, 0xffffffff)),
	CF_OPT("rr client %", CF_BOOL(C, rr_client)),
	CF_OPT("rr cluster id %", CF_IP4(C, rr_cluster_id)),
	CF_OPT("rs client %", CF_BOOL(C, rs_client)),
	CF_OPT("allow bgp_local_pref %", CF_BOOL(C, allow_local_pref)),
	CF_OPT("allow bgp_med %", CF_BOOL(C, allow_med)),
	CF_OPT("allow local as (%|%)", CF_UINT(C, allow_local_as, 1, 0xffffffff), CF_SETV(C, allow_local_as, 1)),
	CF_OPT("allow as sets %", CF_BOOL(C, allow_as_sets)),
	CF_OPT("enforce first as %", CF_BOOL(C, enforce_first_as)),
	CF_OPT("enable route refresh %", CF_BOOL(C, enable_route_refresh)),
	CF_OPT("graceful restart time %", CF_UINT(C, gr_time, 0, 4095)),
	CF_OPT("graceful restart (aware%|%)", CF_SETV(C, gr_mode, BGP_GR_AWARE), CF_SWITCH(C, gr_mode)),
	CF_OPT("long lived graceful restart (aware%|%)%", CF_SETV(C, llgr_mode, BGP_GR_AWARE),
	  CF_SWITCH(C, llgr_mode), CF_SETV(C, llgr_mode_set, 1)),
	CF_OPT("long lived stale time %", CF_UINT(C, llgr_time, 0, 16777215)),
	CF_OPT("interpret communities %", CF_BOOL(C, interpret_communities)),
	CF_OPT("enable as4 %", CF_BOOL(C, enable_as4)),
	CF_OPT("enable extended messages %", CF_BOOL(C, enable_extended_messages)),
	CF_OPT("capabilities %", CF_BOOL(C, capabilities)),
	CF_OPT("advertise hostname %", CF_BOOL(C, advertise_hostname)),
	CF_OPT_F("advertise ipv4 %", CF_OPT_V1, CF_BOOL(C, advertise_ipv4)),
	CF_OPT("disable after error %", CF_BOOL(C, disable_after_error)),
	CF_OPT("disable after cease %", CF_BOOL(C, disable_after_cease)),
	CF_OPT_F("disable after cease %", CF_OPT_UNIMPL, CF_UNIMPL),	/* flag sets */
	CF_OPT("hold time %", { .type = CS_UINT, .off = offsetof(C, hold_time), .v1_free = true, .min = 3, .max = 65535,
	  .zero = true, .msg = HOLD_MSG }),
	CF_OPT("min hold time %", { .type = CS_UINT, .off = offsetof(C, min_hold_time), .min = 3,
	  .max = 65535, .zero = true, .msg = HOLD_MSG }),
	CF_OPT("startup hold time %", { .type = CS_UINT, .off = offsetof(C, startup_hold_time), .v1_free = true, .min = 3,
	  .max = 65535, .zero = true, .msg = HOLD_MSG }),
	CF_OPT("keepalive time %", { .type = CS_UINT, .off = offsetof(C, keepalive_time), .v1_free = true, .min = 1,
	  .max = 65535, .msg = KEEP_MSG }),
	CF_OPT("min keepalive time %", { .type = CS_UINT, .off = offsetof(C, min_keepalive_time), .min = 1,
	  .max = 65535, .msg = KEEP_MSG }),
	CF_OPT("connect delay time %", CF_UINT(C, connect_delay_time, 0, 65535)),
	CF_OPT("start delay time %", CF_UINT(C, connect_delay_time, 0, 65535)),	/* old name */
	CF_OPT("connect retry time %", CF_UINT(C, connect_retry_time, 0, 65535)),
	CF_OPT("error wait time % , %", CF_UINT(C, error_wait_min, 0, 0xffffffff),
	  CF_UINT(C, error_wait_max, 0, 0xffffffff)),
	CF_OPT("error forget time %", CF_UINT(C, error_forget_time, 0, 0xffffffff)),
	CF_OPT("path metric %", CF_BOOL(C, path_metric)),
	CF_OPT("med metric %", CF_BOOL(C, med_metric)),
	CF_OPT("deterministic med %", CF_BOOL(C, deterministic_med)),
	CF_OPT("igp metric %", CF_BOOL(C, igp_metric)),
	CF_OPT("prefer older %", CF_BOOL(C, prefer_older)),
	CF_OPT("default bgp_med %", CF_UINT(C, default_med, 0, 0xffffffff)),
	CF_OPT("default bgp_local_pref %", CF_UINT(C, default_local_pref, 0, 0xffffffff)),
	CF_OPT("local role (provider%|rs_server%|rs_client%|customer%|peer%)",
	  CF_SETV(C, local_role, BGP_ROLE_PROVIDER), CF_SETV(C, local_role, BGP_ROLE_RS_SERVER),
	  CF_SETV(C, local_role, BGP_ROLE_RS_CLIENT), CF_SETV(C, local_role, BGP_ROLE_CUSTOMER),
	  CF_SETV(C, local_role, BGP_ROLE_PEER)),
	CF_OPT("require roles %", CF_BOOL(C, require_roles)),
	CF_END,
};

static const struct cf_option chan_opts[] = {
	CF_OPT("mandatory %", CF_BOOL(H, mandatory)),
	CF_OPT("next hop keep (ibgp%|ebgp%|%)", CF_SETV(H, next_hop_keep, BGP_NH_IBGP),
	  CF_SETV(H, next_hop_keep, BGP_NH_EBGP), CF_SWITCH(H, next_hop_keep)),
	CF_OPT("next hop self (ibgp%|ebgp%|%)", CF_SETV(H, next_hop_self, BGP_NH_IBGP),
	  CF_SETV(H, next_hop_self, BGP_NH_EBGP), CF_SWITCH(H, next_hop_self)),
	CF_OPT("next hop address %%", CF_IP(H, next_hop_addr), CF_SETV(H, next_hop_addr_set, 1)),
	CF_OPT("next hop prefer global%", CF_SETV(H, next_hop_prefer_global, 1)),
	CF_OPT("missing lladdr (self%|drop%|ignore%)", CF_SETV(H, missing_lladdr, BGP_LLA_SELF),
	  CF_SETV(H, missing_lladdr, BGP_LLA_DROP), CF_SETV(H, missing_lladdr, BGP_LLA_IGNORE)),
	CF_OPT("gateway (direct%|recursive%)", CF_SETV(H, gateway, BGP_GW_DIRECT),
	  CF_SETV(H, gateway, BGP_GW_RECURSIVE)),
	CF_OPT("igp table %", CF_IGP_TABLE(H, igp_table, "Mismatched IGP table type")),
	CF_OPT("import table %", CF_BOOL(H, import_table)),
	CF_OPT("export table %", CF_BOOL(H, export_table)),
	CF_OPT("secondary %", CF_BOOL(H, secondary)),
	CF_OPT("validate %", CF_BOOL(H, validate)),
	CF_OPT("base table %", CF_TABLE(H, base_table)),
	CF_OPT("extended next hop %", CF_BOOL(H, extended_next_hop)),
	CF_OPT("require extended next hop %", CF_BOOL(H, require_extended_next_hop)),
	CF_OPT("add paths (rx%|tx%|off%|no%|on%|yes%|%)", CF_SETV(H, add_path, BGP_AP_RX),
	  CF_SETV(H, add_path, BGP_AP_TX), CF_SETV(H, add_path, BGP_AP_OFF),
	  CF_SETV(H, add_path, BGP_AP_OFF), CF_SETV(H, add_path, BGP_AP_BOTH),
	  CF_SETV(H, add_path, BGP_AP_BOTH), CF_SETV(H, add_path, BGP_AP_BOTH)),
	CF_OPT("require add paths %", CF_BOOL(H, require_add_path)),
	CF_OPT("aigp (originate%|%)", CF_SETV(H, aigp, BGP_AIGP_ORIGINATE), CF_SWITCH(H, aigp)),
	CF_OPT("cost %", CF_UINT(H, cost, 0, 0xffffffff)),
	CF_OPT("graceful restart %", CF_SWITCH(H, gr_able)),
	CF_OPT("long lived graceful restart %", CF_SWITCH(H, llgr_able)),
	CF_OPT("long lived stale time %", CF_UINT(H, llgr_time, 0, 16777215)),
	CF_OPT_F("route limit %", CF_OPT_V1, CF_UINT(H, route_limit, 0, 0xffffffff)),
	CF_END,
};

/* BIRD 1.x: an implicit channel has the family of the neighbor address */
static unsigned
family(const struct proto_config *pc)
{
	const struct bgp_config *c = pc->opts;

	if (c->remote_ip_set)
		return ip_is4(c->remote_ip) ? CF_AF_IPV4 : CF_AF_IPV6;
	if (c->remote_range_set)
		return c->remote_range.type == NET_IP4 ? CF_AF_IPV4 : CF_AF_IPV6;
	return CF_AF_NONE;
}

static bool
link_local(ip_addr a)
{
	return !ip_is4(a) && (a.w[0] >> 22) == (0xfe80u >> 6);
}

/* a channel's gateway mode: its own, else direct for single-hop sessions */
static uint32_t
gw_mode(const struct bgp_chan_config *cc, bool multihop)
{
	return cc->gateway ? cc->gateway : multihop ? BGP_GW_RECURSIVE : BGP_GW_DIRECT;
}

static const char *
check_channels(const struct proto_config *pc, bool ebgp, bool multihop)
{
	const struct bgp_config *c = pc->opts;

	for (const struct chan_config *ch = pc->channels; ch; ch = ch->next) {
		const struct bgp_chan_config *cc = ch->opts;
		bool v4 = ch->family == CF_AF_IPV4, sorted = ch->table && ch->table->sorted;
		uint32_t gw = gw_mode(cc, multihop);
		if (cc->validate)
			return "Validate option limited to flowspec channels";
		if (cc->base_table)
			return "Base table option limited to flowspec channels";
		/* BIRD 2 wants an explicit policy on every eBGP channel (1.x did not) */
		if (!ch->implicit && ebgp && ch->in.kind == CHF_DEFAULT)
			return "EBGP requires explicit import policy";
		if (!ch->implicit && ebgp && ch->out.kind == CHF_DEFAULT)
			return "EBGP requires explicit export policy";
		if (gw == BGP_GW_RECURSIVE && !cc->extended_next_hop &&
		    ((cc->igp_table[0] && !v4) || (cc->igp_table[1] && v4)))
			return "Mismatched IGP table type";
		if (multihop && gw == BGP_GW_DIRECT)
			return "Multihop BGP cannot use direct gateway mode";
		if (gw == BGP_GW_RECURSIVE && sorted)
			return "BGP in recursive mode prohibits sorted table";
		if (c->deterministic_med && sorted)
			return "BGP with deterministic MED prohibits sorted table";
		if (cc->secondary && !sorted)
			return "BGP with secondary option requires sorted table";
	}
	return NULL;
}

/* BIRD's checks (2.0.12's bgp_postconfig), in its order and words */
static const char *
check(const struct proto_config *pc)
{
	const struct bgp_config *c = pc->opts;
	/* `neighbor ... internal` without an AS means our own */
	uint32_t remote_as = !c->remote_as && c->peer_type == BGP_PT_INTERNAL ? c->local_as : c->remote_as;
	bool internal = remote_as == c->local_as;
	bool ebgp = !internal && !c->confederation_member;
	bool multihop = c->multihop == BGP_MULTIHOP_UNSET ? internal : c->multihop != 0;
	bool llgr = c->llgr_mode_set ? c->llgr_mode != BGP_GR_OFF : c->gr_mode != BGP_GR_OFF;

	if (!c->local_as)
		return "Local AS number must be set";
	if (!c->remote_ip_set && !c->remote_range_set)
		return "Neighbor must be configured";
	if (!remote_as && c->peer_type == BGP_PT_ANY)
		return "Remote AS number (or peer type) must be set";
	if (c->peer_type == BGP_PT_INTERNAL && !internal)
		return "IBGP cannot have different ASNs";
	if (c->peer_type == BGP_PT_EXTERNAL && internal)
		return "EBGP cannot connect neighbor with the same AS";
	if (c->strict_bind && !c->local_ip_set)
		return "Local address must be configured for strict bind";
	if (c->confederation_member && !c->confederation)
		return "Confederation ID must be set for member sessions";
	if (c->require_roles && !c->local_role)
		return "Local role must be set if roles are required";
	if (!c->iface && (link_local(c->local_ip) || link_local(c->remote_ip)))
		return "Link-local addresses require defined interface";
	if (multihop && (link_local(c->local_ip) || link_local(c->remote_ip)))
		return "Multihop BGP cannot be used with link-local addresses";
	if (multihop && c->iface)
		return "Multihop BGP cannot be bound to interface";
	if (multihop && c->check_link)
		return "Multihop BGP cannot depend on link state";
	if (multihop && c->bfd && !c->local_ip_set)
		return "Multihop BGP with BFD requires specified local address";
	if (c->gr_mode == BGP_GR_OFF && llgr)
		return "Long-lived graceful restart requires basic graceful restart";
	if (c->keepalive_time && c->hold_time && c->keepalive_time > c->hold_time)
		return "Keepalive time must be at most hold time";
	if (c->rr_client && !internal)
		return "Only internal neighbor can be RR client";
	if (c->rs_client && internal)
		return "Only external neighbor can be RS client";
	return check_channels(pc, ebgp, multihop);
}

const struct proto_class proto_bgp = {
	.name = "bgp",
	.id = 0,
	.cfg_size = sizeof(struct bgp_config),
	.cfg_defaults = &defaults,
	.opts = opts,
	.families = CF_FAMILY(CF_AF_IPV4) | CF_FAMILY(CF_AF_IPV6),
	.chan_size = sizeof(struct bgp_chan_config),
	.chan_defaults = &chan_defaults,
	.chan_opts = chan_opts,
	.family = family,
	.check = check,
};
