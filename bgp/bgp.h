/*
 * BGP-4. For now: the protocol's configuration as the config parser fills
 * it from the option tables in bgp_conf.c (the session, FSM and codecs
 * come with the BGP issue).
 */
#ifndef BIRCH_BGP_BGP_H
#define BIRCH_BGP_BGP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/net.h"
#include "core/proto.h"

enum bgp_peer_type { BGP_PT_ANY, BGP_PT_INTERNAL, BGP_PT_EXTERNAL };
enum bgp_gr_mode { BGP_GR_OFF, BGP_GR_ON, BGP_GR_AWARE };
enum bgp_role { BGP_ROLE_NONE, BGP_ROLE_PROVIDER, BGP_ROLE_RS_SERVER, BGP_ROLE_RS_CLIENT,
		BGP_ROLE_CUSTOMER, BGP_ROLE_PEER };
/* next hop self / keep: */
enum bgp_nh_mode { BGP_NH_OFF, BGP_NH_ALL, BGP_NH_IBGP, BGP_NH_EBGP };
enum bgp_gw_mode { BGP_GW_DEFAULT, BGP_GW_DIRECT, BGP_GW_RECURSIVE };
enum bgp_add_path { BGP_AP_OFF, BGP_AP_RX, BGP_AP_TX, BGP_AP_BOTH };
enum bgp_lladdr { BGP_LLA_SELF, BGP_LLA_DROP, BGP_LLA_IGNORE };
enum bgp_aigp { BGP_AIGP_OFF, BGP_AIGP_ON, BGP_AIGP_ORIGINATE };
enum bgp_bfd { BGP_BFD_OFF, BGP_BFD_ON, BGP_BFD_GRACEFUL };

#define BGP_MULTIHOP_UNSET 0xffffffffu	/* direct for eBGP, multihop for iBGP */
#define BGP_MULTIHOP_DEFAULT 64		/* `multihop` without a TTL */

/* bgp_conf.c: `protocol bgp` */
struct bgp_config {
	uint32_t local_as, remote_as;	/* `local as`, `neighbor ... as` */
	ip_addr local_ip;		/* `local IP` */
	uint32_t local_ip_set;		/* ... was given */
	uint32_t local_port;		/* `local port`, 179 */
	ip_addr remote_ip;		/* `neighbor IP` */
	uint32_t remote_ip_set;		/* ... was given */
	net_addr remote_range;		/* `neighbor range PREFIX` (dynamic) */
	uint32_t remote_range_set;	/* ... was given */
	uint32_t neighbor_set;		/* an address or range was given (BIRD takes one) */
	uint32_t remote_port;		/* `neighbor ... port`, 179 */
	uint32_t peer_type;		/* enum bgp_peer_type */
	char *iface;			/* `interface "name"` */
	uint32_t multihop;		/* TTL, 0 `direct`, or BGP_MULTIHOP_UNSET */
	ip_addr source_addr;		/* `source address` */
	uint32_t source_addr_set;	/* ... was given */
	char *dynamic_name;		/* `dynamic name` */
	uint32_t dynamic_name_digits;	/* `dynamic name digits`, 0..10 */
	bool strict_bind, free_bind;	/* `strict bind`, `free bind` */
	bool check_link;		/* `check link` */
	uint32_t bfd;			/* enum bgp_bfd */
	bool ttl_security;		/* `ttl security` (GTSM) */
	char *password;			/* `password` (TCP MD5) */
	bool setkey;			/* `setkey`, on */
	bool passive;			/* `passive` */
	uint32_t confederation;		/* `confederation` ASN, 0 none */
	bool confederation_member;	/* `confederation member` */
	bool rr_client;			/* `rr client` */
	ip_addr rr_cluster_id;		/* `rr cluster id` (IPv4), 0 = router id */
	bool rs_client;			/* `rs client` */
	bool allow_local_pref;		/* `allow bgp_local_pref` */
	bool allow_med;			/* `allow bgp_med` */
	uint32_t allow_local_as;	/* `allow local as [N]`, 0 = no */
	bool allow_as_sets;		/* `allow as sets` */
	bool enforce_first_as;		/* `enforce first as` */
	bool enable_route_refresh;	/* on */
	uint32_t gr_mode;		/* enum bgp_gr_mode, aware */
	uint32_t gr_time;		/* `graceful restart time`, 120 */
	uint32_t llgr_mode;		/* `long lived graceful restart`, aware */
	uint32_t llgr_mode_set;		/* ... was given (else it follows gr_mode) */
	uint32_t llgr_time;		/* `long lived stale time`, 3600 */
	bool interpret_communities;	/* on */
	bool enable_as4;		/* on */
	bool enable_extended_messages;	/* off */
	bool capabilities;		/* on */
	bool advertise_hostname;	/* off */
	bool advertise_ipv4;		/* BIRD 1.x `advertise ipv4` */
	bool disable_after_error;	/* off */
	bool disable_after_cease;	/* off */
	uint32_t hold_time;		/* 240 (3..65535 or 0) */
	uint32_t min_hold_time;		/* 0 */
	uint32_t startup_hold_time;	/* 240 */
	uint32_t keepalive_time;	/* 0 = hold time / 3 */
	uint32_t min_keepalive_time;	/* 0 */
	uint32_t connect_delay_time;	/* 5 */
	uint32_t connect_retry_time;	/* 120 */
	uint32_t error_wait_min;	/* `error wait time MIN,MAX`, 60 */
	uint32_t error_wait_max;	/* 300 */
	uint32_t error_forget_time;	/* 300 */
	bool path_metric;		/* on */
	bool med_metric;		/* off */
	bool deterministic_med;		/* off */
	bool igp_metric;		/* on */
	bool prefer_older;		/* off */
	uint32_t default_med;		/* `default bgp_med`, 0 */
	uint32_t default_local_pref;	/* `default bgp_local_pref`, 100 */
	uint32_t local_role;		/* enum bgp_role */
	bool require_roles;		/* off */
};

/* bgp_conf.c: a BGP channel's own options */
struct bgp_chan_config {
	bool mandatory;			/* `mandatory` */
	uint32_t next_hop_keep;		/* enum bgp_nh_mode */
	uint32_t next_hop_self;		/* enum bgp_nh_mode */
	ip_addr next_hop_addr;		/* `next hop address` */
	uint32_t next_hop_addr_set;	/* ... was given */
	bool next_hop_prefer_global;	/* `next hop prefer global` */
	uint32_t missing_lladdr;	/* enum bgp_lladdr (BIRD 1.x, 2.0) */
	uint32_t gateway;		/* enum bgp_gw_mode */
	struct rtable_config *igp_table[2];	/* `igp table`: IPv4's, IPv6's */
	bool import_table, export_table;	/* Adj-RIB-In / -Out kept */
	bool secondary;			/* `secondary` */
	bool validate;			/* `validate` (flowspec) */
	struct rtable_config *base_table;	/* `base table` (flowspec) */
	bool extended_next_hop;		/* `extended next hop` */
	bool require_extended_next_hop;	/* `require extended next hop` */
	uint32_t add_path;		/* enum bgp_add_path */
	bool require_add_path;		/* `require add paths` */
	uint32_t aigp;			/* enum bgp_aigp */
	uint32_t cost;			/* `cost` */
	uint32_t gr_able;		/* `graceful restart`, on */
	uint32_t llgr_able;		/* `long lived graceful restart`, on */
	uint32_t llgr_time;		/* `long lived stale time`, 0 = protocol's */
	uint32_t route_limit;		/* BIRD 1.x `route limit` */
};

extern const struct proto_class proto_bgp;

#endif
