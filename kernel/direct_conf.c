/*
 * The direct protocol's options: which interfaces' connected networks
 * become routes.
 */
#include <stddef.h>

#include "kernel/kernel.h"

#define C struct direct_config
#define I struct direct_iface

static const struct direct_config defaults = { .check_link = false };

static const struct cf_option opts[] = {
	CF_OPT_LIST("interface %", C, ifaces, I, CF_PATTERNS(I, patts)),
	CF_OPT("check link %", CF_BOOL(C, check_link)),
	CF_END,
};

const struct proto_class proto_direct = {
	.name = "direct",
	.id = 2,
	.cfg_size = sizeof(struct direct_config),
	.cfg_defaults = &defaults,
	.opts = opts,
	.families = CF_FAMILY(CF_AF_IPV4) | CF_FAMILY(CF_AF_IPV6),
};
