/*
 * The device protocol's options: how often interfaces are scanned and
 * which address of an interface is its preferred one. It has no channels.
 */
#include <stddef.h>

#include "kernel/kernel.h"

#define C struct dev_config
#define I struct dev_iface

static const struct dev_config defaults = {
	.scan_time = 60,
};

/* inside `interface "pattern" { ... }` */
static const struct cf_option iface_opts[] = {
	CF_OPT("preferred %", CF_IP4(I, preferred4)),
	CF_OPT("preferred %", CF_IP(I, preferred6)),
	CF_END,
};

static const struct cf_option opts[] = {
	CF_OPT("scan time %", { .type = CS_UINT, .off = offsetof(C, scan_time), .min = 1,
	  .max = 0xffffffff, .v1_free = true }),	/* 1.x (and 2.0.12) took 0 */
	CF_OPT_LIST("interface % [%]", C, ifaces, I, CF_PATTERNS(I, patts), CF_BLOCK(iface_opts)),
	/* BIRD 1.x: `primary ["iface"] IP` */
	CF_OPT_LIST("primary [%] %", C, primary, I, CF_PATTERNS(I, patts), CF_IP(I, preferred4)),
	CF_END,
};

const struct proto_class proto_device = {
	.name = "device",
	.id = 1,
	.singleton = "Kernel device protocol already defined",
	.cfg_size = sizeof(struct dev_config),
	.cfg_defaults = &defaults,
	.opts = opts,
};
