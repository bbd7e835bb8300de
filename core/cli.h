/*
 * The control socket: BIRD's line protocol over a unix socket.
 *
 * A client sends one command per line; the daemon answers with lines
 * "NNNN-text" (more follow), " text" (continuation of the previous code)
 * and a last line "NNNN text". Codes: 0xxx done, 1xxx table rows, 2xxx
 * headings, 8xxx run-time errors, 9xxx parse errors. The command table is
 * core/cli_cmds.def; cmd.c matches words against it for both the daemon and
 * the client.
 */
#ifndef BIRCH_CORE_CLI_H
#define BIRCH_CORE_CLI_H

#include <stdbool.h>
#include <stddef.h>

enum cmd_flags {
	CMDF_RO = 1,		/* allowed on a restricted session */
	CMDF_CLIENT = 2,	/* the client handles it alone */
	CMDF_HIDDEN = 4,	/* a prefix row for help only */
};

enum cmd_id {
#define CMD(id, words, args, help, flags) CMD_##id,
#include "core/cli_cmds.def"
#undef CMD
	CMD__COUNT
};

struct cmd_def {
	enum cmd_id id;		/* index into the table */
	const char *words;	/* "show status" */
	const char *args;	/* synopsis of the arguments */
	const char *help;	/* one-line description */
	unsigned flags;		/* enum cmd_flags */
};

/* cmd.c: the command table and word matching, shared by daemon and client */
extern const struct cmd_def cmd_table[CMD__COUNT];
/* The i-th keyword of `words` ("show route"); its length in *len, NULL past
 * the end: the one splitter of command words, for daemon and client. */
const char *cmd_word(const char *words, int i, size_t *len);

/*
 * Match the leading words of `line` against the table, allowing each word
 * to be any unique prefix of a keyword (BIRD's abbreviations; an exact
 * keyword wins over longer ones).
 *   CMD_MATCH_OK: *out is the longest matching command (possibly a hidden
 *       row such as "show": the caller checks CMDF_HIDDEN); *rest is the
 *       first argument, leading spaces skipped; `expanded` (if not NULL)
 *       receives the keywords in full followed by the rest of the line as
 *       typed, truncated but terminated when exlen is short.
 *   CMD_MATCH_AMBIG: a word is a prefix of several keywords; *out is NULL
 *       and *rest points at that word; cmd_help_rows lists the candidates.
 *   CMD_MATCH_NONE: no command starts that way.
 */
enum cmd_match { CMD_MATCH_OK, CMD_MATCH_AMBIG, CMD_MATCH_NONE };
enum cmd_match cmd_match(const char *line, const struct cmd_def **out,
			 const char **rest, char *expanded, size_t exlen);

/* Rows of `?` help for what has been typed so far ("sh" lists every show
 * command); calls emit once per row with the formatted line. */
int cmd_help_rows(const char *line, void (*emit)(const char *row, void *arg), void *arg);

/* Completion of the last word: `ext` receives the missing suffix shared by
 * every candidate ("sh" gives "ow"); emit is called per candidate. Returns
 * the number of candidates, 0 when there is nothing to complete, -1 when
 * an earlier word is ambiguous. The caller adds the space after a single
 * candidate. */
int cmd_complete(const char *line, char *ext, size_t extlen,
		 void (*emit)(const char *word, void *arg), void *arg);

/* cli.c: the control-socket server */
struct cli;				/* one client session */
struct cli_tok {
	enum { TOK_END, TOK_WORD, TOK_NUM, TOK_TEXT } type;	/* BIRD: END, CF_SYM_*, NUM, TEXT */
	const char *s;			/* the word, number or unquoted text */
};
#define CLI_MAX_LINE 4096		/* longer requests: 9000 Command too long */
#define CLI_MAX_TOKS 64

int cli_open(const char *path, unsigned mode, void (*on_down)(void));
void cli_close(void);			/* stop listening, drop every session */
/* One reply line. code < 0: more lines follow (BIRD's convention). */
void cli_msg(struct cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "9001 syntax error, unexpected X[, expecting E]" for token t, where E
 * is what BIRD's parser lists there ("END", "END or TEXT", ...) or NULL */
void cli_syntax_error(struct cli *c, const struct cli_tok *t, const char *expecting);
int cli_tokenize(char *line, struct cli_tok *toks, int max);
const char *cli_tok_name(const struct cli_tok *t);
void cli_run_line(struct cli *c, char *line);	/* parse and execute one request */

/* cli.c: encoding of one reply line; "NNNN-text", " text" or "NNNN text".
 * *last_code carries the previous line's code within one reply. */
size_t cli_encode_line(char *buf, size_t len, int code, int *last_code, const char *text);

#endif
