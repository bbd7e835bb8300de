/*
 * The kernel protocol's options (BIRD 2's user guide, and BIRD 1.x's
 * `device routes`), defaults and bounds, and BIRD's check at the end.
 */
#include <stddef.h>

#include "kernel/kernel.h"

#define C struct krt_config

static const struct krt_config defaults = {
	.scan_time = 60,
	.table_id = 254,
	.metric = 32,
	.merge_limit = 16,
};

static const struct cf_option opts[] = {
	CF_OPT("persist %", CF_BOOL(C, persist)),
	CF_OPT("scan time %", { .type = CS_UINT, .off = offsetof(C, scan_time), .min = 1,
	  .max = 0xffffffff, .v1_free = true }),	/* 1.x (and 2.0.12) took 0 */
	CF_OPT("learn (all%|%)", CF_SETV(C, learn, 2), CF_SWITCH(C, learn)),
	CF_OPT("kernel table %", CF_UINT(C, table_id, 0, 0xffffffff)),
	CF_OPT("metric %", CF_UINT(C, metric, 0, 0xffffffff)),
	CF_OPT("graceful restart %", CF_BOOL(C, graceful_restart)),
	CF_OPT("merge paths % [limit %]", CF_BOOL(C, merge_paths), CF_UINT(C, merge_limit, 1, 512)),
	CF_OPT("netlink rx buffer %", CF_UINT(C, rx_buffer, 0, 0xffffffff)),
	CF_OPT_F("device routes %", CF_OPT_V1, CF_BOOL(C, device_routes)),
	CF_END,
};

static const char *
check(const struct proto_config *pc)
{
	if (!pc->channels)
		return "Channel not specified";
	return NULL;
}

const struct proto_class proto_kernel = {
	.name = "kernel",
	.id = 3,
	.cfg_size = sizeof(struct krt_config),
	.cfg_defaults = &defaults,
	.opts = opts,
	.families = CF_FAMILY(CF_AF_IPV4) | CF_FAMILY(CF_AF_IPV6),
	.one_channel = true,
	.check = check,
};
