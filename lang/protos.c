/*
 * Protocol kinds Birch runs, with what BIRD checks when a protocol's body
 * closes. Until each protocol declares its own option table in its folder,
 * the kinds live here; a protocol body holds only the common options, so
 * the checks below report what BIRD would say of an empty body.
 */
#include <string.h>

#include "lang/cf_int.h"

static const char *
need_channel(const struct proto_config *pc)
{
	(void)pc;
	return "Channel not specified";
}

static const char *
need_local_as(const struct proto_config *pc)
{
	(void)pc;
	return "Local AS number must be set";
}

static const char *
need_table(const struct proto_config *pc)
{
	(void)pc;
	return "Primary routing table not specified";
}

static const struct cf_proto_kind kinds[] = {
	{ "bgp", 0, false, NULL, need_local_as },
	{ "device", 1, true, "Kernel device protocol already defined", NULL },
	{ "direct", 2, false, NULL, NULL },
	{ "kernel", 3, false, NULL, need_channel },
	{ "pipe", 4, false, NULL, need_table },
	{ "static", 5, false, NULL, need_channel },
};

/* BIRD's other protocols (up to 2.17): refused with a message that says so */
static const char *const elsewhere[] = {
	"aggregator", "babel", "bfd", "bmp", "evpn", "l3vpn", "mrt", "ospf",
	"perf", "radv", "rip", "rpki",
};

const struct cf_proto_kind *
cf_proto_kind(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
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
