/*
 * The registry of protocol kinds Birch runs. Each kind's class, with its
 * option tables, lives in its own folder (bgp/bgp_conf.c, kernel/krt_conf.c,
 * core/static_conf.c, core/pipe_conf.c); adding a protocol adds its files
 * and one line here.
 */
#include <string.h>

#include "lang/cf_int.h"

static const struct proto_class *const classes[] = {
	&proto_bgp, &proto_device, &proto_direct, &proto_kernel, &proto_pipe, &proto_static,
};

/* BIRD's other protocols (up to 2.17): refused with a message that says so */
static const char *const elsewhere[] = {
	"aggregator", "babel", "bfd", "bmp", "evpn", "l3vpn", "mrt", "ospf",
	"perf", "radv", "rip", "rpki",
};

const struct proto_class *
cf_proto_kind(const char *name)
{
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (!strcmp(classes[i]->name, name))
			return classes[i];
	return NULL;
}

bool
cf_proto_known_elsewhere(const char *name)
{
	for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++)
		if (!strcmp(elsewhere[i], name))
			return true;
	return false;
}
