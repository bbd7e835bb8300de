/*
 * Inside the CLI: the session structure and the handler table that
 * core/cmds.c fills for the commands of core/cli_cmds.def.
 */
#ifndef BIRCH_CORE_CLI_INT_H
#define BIRCH_CORE_CLI_INT_H

#include <stdbool.h>

#include "core/cli.h"

struct cli {
	struct cli *next, *prev;	/* all sessions */
	struct bufferevent *bev;	/* the connection and its buffers */
	struct evbuffer *out;		/* where replies go (bev's output) */
	struct pool *pool;		/* per-request scratch, flushed after each */
	int last_code;			/* code of the previous line of this reply */
	bool restricted;		/* `restrict` (birchc -r): read-only */
	bool paused;			/* input off until output drains */
	bool discarding;		/* dropping the rest of an over-long line */
	bool closing;			/* hang up once output is written */
	const char *raw_args;		/* the request after its keywords, as typed */
	/* a reply in pieces: called when the client has drained the output
	 * below the low watermark; returns true when the reply is complete.
	 * Input waits until then. cont_free releases cont_data (also when the
	 * session ends first). */
	bool (*cont)(struct cli *c);
	void (*cont_free)(struct cli *c);
	void *cont_data;		/* the handler's state between pieces */
};

/* Handler of one command; `args` are the tokens after its keywords. */
typedef void (*cli_handler)(struct cli *c, const struct cli_tok *args);

/* cmds.c */
extern const cli_handler cli_handlers[CMD__COUNT];
const char *cli_version_string(void);

/* cmds_route.c: protocols and tables */
void cmd_show_protocols(struct cli *c, const struct cli_tok *a);
void cmd_show_protocols_all(struct cli *c, const struct cli_tok *a);
void cmd_show_route(struct cli *c, const struct cli_tok *a);
void cmd_show_symbols(struct cli *c, const struct cli_tok *a);
void cmd_enable(struct cli *c, const struct cli_tok *a);
void cmd_disable(struct cli *c, const struct cli_tok *a);
void cmd_restart(struct cli *c, const struct cli_tok *a);
void cmd_reload(struct cli *c, const struct cli_tok *a);
void cmd_reload_in(struct cli *c, const struct cli_tok *a);
void cmd_reload_out(struct cli *c, const struct cli_tok *a);

/* cmds_iface.c: the interface registry */
void cmd_show_interfaces(struct cli *c, const struct cli_tok *a);
void cmd_show_interfaces_summary(struct cli *c, const struct cli_tok *a);

/* cli.c */
extern void (*cli_on_down)(void);
void cli_close_after_write(struct cli *c);
bool cli_output_full(struct cli *c);	/* past the high watermark: yield */
void cli_shutdown(void (*done)(void));

#endif
