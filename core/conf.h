/*
 * A config: the immutable object the parser builds whole from a file, in
 * its own pool, freed whole. The running config is `config`; a reload
 * parses a new one completely, and only a config without errors replaces
 * it (conf.c compares the two and applies the difference).
 */
#ifndef BIRCH_CORE_CONF_H
#define BIRCH_CORE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/log.h"

struct pool;
struct cf_scope;
struct cf_error;
struct vm_prog;
struct chan_config;

enum tf_kind { TF_ROUTE, TF_PROTO, TF_BASE, TF_LOG, TF__COUNT };

/* One pattern of `router id from "eth*", -"lo";` */
struct cf_patt {
	struct cf_patt *next;		/* next pattern, in the order written */
	char *pattern;			/* shell pattern on interface names */
	bool exclude;			/* written with a leading '-' */
};

struct proto_config {
	struct proto_config *next;	/* protocols and templates, in file order */
	const char *kind;		/* "bgp", "device", ... (static string) */
	char *name;			/* given, or kind + number as BIRD names them */
	char *from;			/* template this one is derived from, or NULL */
	bool is_template;		/* `template KIND NAME { }` */
	bool disabled;			/* `disabled` */
	char *description;		/* `description "..."` */
	uint32_t debug;			/* `debug` flags (D_*) */
	uint32_t router_id;		/* per-protocol `router id`, 0 = global */
	const char *file;		/* where it was declared */
	int line, col;
	void *opts;			/* the protocol's own options (its table) */
	struct chan_config *channels;	/* its channels (core/proto.h), in order */
	bool v1;			/* BIRD 1.x style: options of its one channel
					 * written at the protocol level */
};

struct config {
	struct pool *pool;		/* everything below lives here */
	char *file;			/* main config file, as given */
	int64_t load_time;		/* real_us() when it was parsed */
	uint32_t router_id;		/* 0 when not set */
	struct cf_patt *router_id_patts;	/* `router id from` patterns, in order */
	char *hostname;			/* `hostname`, or NULL for the system's */
	struct log_target *logs;	/* `log` statements; NULL: the default */
	uint32_t debug_protocols;	/* `debug protocols` default for protocols */
	uint32_t debug_commands;	/* `debug commands N` */
	struct tm_format tf[TF__COUNT];	/* `timeformat` (defaults filled in) */
	uint32_t gr_wait;		/* `graceful restart wait`, seconds */
	struct cf_scope *root;		/* global symbols: defines, filters, ... */
	struct proto_config *protos;	/* protocols and templates */
	struct vm_prog *prog;		/* its filters compiled: by the parser when it
					 * has route blocks, else on first use */
	struct pool *trees;		/* route blocks' syntax trees the parser could
					 * not compile and drop (after an error), or NULL */
	void (*prog_free)(struct vm_prog *);	/* frees prog with the config */
	int proto_count[16];		/* per kind, for automatic names */
	bool soft;			/* committed by `configure soft`: changed
					 * filters take effect without a reload */
};

/* Protocol debug flags, as `debug` takes them */
#define D_STATES	0x01
#define D_ROUTES	0x02
#define D_FILTERS	0x04
#define D_IFACES	0x08
#define D_EVENTS	0x10
#define D_PACKETS	0x20
#define D_ALL		0x3f

/* What the daemon tells the rest about itself (cmds.c holds it). */
struct daemon_info {
	int64_t boot_time;		/* real_us() at start */
	const char *config_file;	/* -c */
	unsigned parse_flags;		/* enum cf_parse_flags (lang.h) */
	bool shutting_down;		/* `down` or SIGTERM in progress */
	bool gr_recovery;		/* -R and recovery not finished */
};
extern struct daemon_info daemon_info;

/* conf.c: the config life cycle */
extern struct config *config;		/* running */
struct config *config_alloc(const char *file);
void config_free(struct config *c);
void config_defaults(struct config *c);	/* timeformat defaults etc. */
int config_find_router_id(const struct config *c, uint32_t *rid);
int config_commit(struct config *c, int timeout_s, char *err, size_t errlen);
int config_undo(void);
int config_confirm(void);
int64_t config_undo_remaining(void);	/* us until undo, -1 when none */
void config_shutdown(void);
/* set by the daemon: bring protocols and tables in line with a config
 * just made running (core/proto.c), and stop them all before it goes;
 * unset in the tools and tests that only parse */
extern void (*config_apply_hook)(struct config *c);
extern void (*config_shutdown_hook)(void);

#endif
