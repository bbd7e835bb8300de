/*
 * The Linux side: the kernel protocol (FIB sync), the device protocol
 * (interfaces and their addresses, into core/iface.h's registry) and the
 * direct protocol (connected routes): their configurations as the config
 * parser fills them from the option tables in krt_conf.c, dev_conf.c and
 * direct_conf.c, and the run-time hooks of those that run (dev.c). The
 * netlink parsing they share is in kernel_int.h.
 */
#ifndef BIRCH_KERNEL_KERNEL_H
#define BIRCH_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/net.h"
#include "core/proto.h"

/* krt_conf.c: `protocol kernel` */
struct krt_config {
	bool persist;			/* `persist`: keep routes on shutdown */
	uint32_t scan_time;		/* `scan time`, seconds, 60 */
	uint32_t learn;			/* `learn`: 0 off, 1 on, 2 all */
	uint32_t table_id;		/* `kernel table`, 254 (main) */
	uint32_t metric;		/* `metric`, 32 */
	bool graceful_restart;		/* `graceful restart` */
	bool merge_paths;		/* `merge paths` (ECMP) */
	uint32_t merge_limit;		/* `merge paths ... limit`, 16 */
	uint32_t rx_buffer;		/* `netlink rx buffer`, bytes, 0 default */
	bool device_routes;		/* BIRD 1.x `device routes` */
};

/* dev_conf.c: `protocol device` */
struct dev_iface {
	struct dev_iface *next;		/* in the order written */
	struct cf_patt *patts;		/* `interface "eth*", -"lo"` */
	ip_addr preferred4;		/* `{ preferred IP }` (IPv4) */
	ip_addr preferred6;		/* the same for IPv6 */
};

struct dev_config {
	uint32_t scan_time;		/* `scan time`, seconds, 60 */
	struct dev_iface *ifaces;	/* `interface ... { preferred ... }` */
	struct dev_iface *primary;	/* BIRD 1.x `primary ["iface"] IP` */
};

/* direct_conf.c: `protocol direct` */
struct direct_iface {
	struct direct_iface *next;	/* each `interface` statement */
	struct cf_patt *patts;		/* its patterns */
};

struct direct_config {
	struct direct_iface *ifaces;	/* none: every interface */
	bool check_link;		/* `check link` */
};

extern const struct proto_class proto_kernel, proto_device, proto_direct;

/* dev.c: the device protocol at run time */
extern const struct proto_ops dev_ops;

#endif
