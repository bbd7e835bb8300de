/*
 * The pipe protocol's options. A pipe joins two tables: `table` (the
 * primary, its one channel's) and `peer table`; its import/export and
 * table are written at the protocol level, not in a channel block.
 */
#include <stddef.h>
#include <string.h>

#include "core/proto.h"

#define C struct pipe_config

static const struct pipe_config defaults = { .mode = 0 };

static const struct cf_option opts[] = {
	CF_OPT("peer table %", CF_TABLE(C, peer)),
	CF_OPT_F("mode (opaque%|transparent%)", CF_OPT_V1, CF_SETV(C, mode, 0), CF_SETV(C, mode, 1)),
	CF_END,
};

static const char *
check(const struct proto_config *pc)
{
	const struct pipe_config *c = pc->opts;
	const struct chan_config *ch = pc->channels;

	if (!ch || !ch->table)
		return "Primary routing table not specified";
	if (!c->peer)
		return "Secondary routing table not specified";
	if (!strcmp(ch->table->name, c->peer->name))
		return "Primary table and peer table must be different";
	if (ch->table->family && c->peer->family && ch->table->family != c->peer->family)
		return "Primary table and peer table must have the same type";
	return NULL;
}

const struct proto_class proto_pipe = {
	.name = "pipe",
	.id = 4,
	.cfg_size = sizeof(struct pipe_config),
	.cfg_defaults = &defaults,
	.opts = opts,
	.proto_filters = true,
	.check = check,
};
