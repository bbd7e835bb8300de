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
};

/* Handler of one command; `args` are the tokens after its keywords. */
typedef void (*cli_handler)(struct cli *c, const struct cli_tok *args);

/* cmds.c */
extern const cli_handler cli_handlers[CMD__COUNT];
const char *cli_version_string(void);

/* cli.c */
extern void (*cli_on_down)(void);
void cli_close_after_write(struct cli *c);
void cli_shutdown(void (*done)(void));

#endif
