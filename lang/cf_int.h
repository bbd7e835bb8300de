/*
 * Private to lang/: the parser's state shared by the lexer (lexer.l), the
 * grammar (parser.y), its action helpers (build.c, eval.c), the protocol
 * kinds (protos.c) and the driver (parse.c).
 *
 * Input is a stack of files: the main one and the includes it opens, each
 * read whole into memory and scanned from a flex buffer of its own; every
 * file read stays on `files` until the end so that errors can quote their
 * source lines. Grammar actions call one helper each; helpers report user
 * errors through cf_err() and carry on, so one run finds every error.
 */
#ifndef BIRCH_LANG_CF_INT_H
#define BIRCH_LANG_CF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"
#include "core/mem.h"
#include "core/net.h"
#include "lang/lang.h"
#include "vm/vm.h"

#define CF_MAX_INCLUDE_DEPTH 8		/* files nested, the main one included (BIRD's) */
#define CF_MAX_ERRORS 100		/* then "too many errors" and stop */
#define CF_MAX_FILE_SIZE (64u << 20)	/* a bigger file is refused */

struct cf_file {
	struct cf_file *up;		/* the file that includes this one (a stack) */
	struct cf_file *all;		/* every file read, for freeing */
	char *name;			/* as errors name it (BIRD's form) */
	char *text;			/* whole content, NUL-terminated */
	size_t len;			/* bytes in text (may hold NULs) */
	int line, col;			/* position of the next character, 1-based */
	int depth;			/* 1 for the main file */
	void *buf;			/* its flex buffer */
};

/* A place in the input: bison's location type. */
struct cf_loc {
	int first_line, first_column;	/* where the token or rule starts */
	int last_line, last_column;	/* unused, kept for bison */
	struct cf_file *file;		/* file it is in */
};

/* A name as the lexer hands it over: known (sym set) or not. */
struct cf_symref {
	const char *name;		/* in the config pool */
	struct cf_symbol *sym;		/* CF_SYM_KNOWN only */
};

/* One element of a set literal, before the set is sorted and frozen. */
struct cf_set_item {
	bool is_patt;			/* prefix pattern (p) or range (r) */
	struct f_range r;		/* from..to */
	struct f_prefix_patt p;		/* net{lo,hi} */
};

/* A set literal being built (nested sets each have their own). */
struct cf_setb {
	struct cf_set_item *v;		/* items, in the order written */
	unsigned n, size;		/* used, allocated */
};

/* A protocol kind Birch runs; protos.c holds the table. */
struct cf_proto_kind {
	const char *name;		/* "bgp", as written after `protocol` */
	unsigned id;			/* index into config.proto_count */
	bool singleton;			/* at most one (device) */
	const char *singleton_msg;	/* error when declared twice */
	/* BIRD's check at the closing brace of a protocol (not a template):
	 * an error message, or NULL when the protocol is complete */
	const char *(*check)(const struct proto_config *pc);
};

struct cf_parser {
	struct config *conf;		/* being built; freed on error */
	struct pool *pool;		/* conf->pool */
	struct cf_scope *scope;		/* current scope (the root for now) */
	unsigned flags;			/* enum cf_parse_flags */

	struct cf_error *errs;		/* found so far, in order */
	struct cf_error **errs_tail;	/* where the next one goes */
	unsigned nerrs;			/* count, to stop at CF_MAX_ERRORS */
	bool too_many;			/* CF_MAX_ERRORS reached: stop parsing */

	struct cf_file *cur;		/* file being scanned (top of the stack) */
	struct cf_file *files;		/* every file read */
	void *scanner;			/* flex state */
	const char *last_kw;		/* text of the last keyword lexed */

	struct proto_config *proto;	/* protocol being parsed, or NULL to skip */
	const struct cf_proto_kind *kind;	/* its kind */
	struct cf_loc proto_loc;	/* its kind token */
	unsigned proto_stmts;		/* `protocol` statements seen, good or bad */
	struct proto_config **protos_tail;	/* append point of conf->protos */
	struct log_target **logs_tail;	/* append point of conf->logs */
	struct cf_patt **rid_tail;	/* append point of conf->router_id_patts */

	char *unk_name;			/* unknown statement: its leading keywords */
	size_t unk_len;			/* bytes in unk_name */
	bool unk_more;			/* still collecting keywords */
	struct cf_loc unk_loc;		/* its first token */
};

/* parse.c: errors and input */
void cf_err(struct cf_parser *P, const struct cf_loc *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cf_include(struct cf_parser *P, const char *pattern, const struct cf_loc *l);

/* lexer.l */
int cf_lex_init(struct cf_parser *P);		/* -1 on failure */
void cf_lex_push(struct cf_parser *P, struct cf_file *f);	/* scan f next */
void cf_lex_destroy(struct cf_parser *P);

/* keywords.c */
int cf_keyword(const char *name, const char **text);	/* token, or -1 */

/* protos.c */
const struct cf_proto_kind *cf_proto_kind(const char *name);
bool cf_proto_known_elsewhere(const char *name);	/* a BIRD protocol Birch lacks */

/* build.c: what grammar actions call */
void cf_define(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l,
	       const struct f_val *v);
uint32_t cf_idval(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l);
uint32_t cf_idval_sym(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
uint32_t cf_int_expr(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l);
char *cf_text_sym(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
void cf_sym_value(struct cf_parser *P, struct f_val *out, const struct cf_symref *s,
		  const struct cf_loc *l);
void cf_rid_from(struct cf_parser *P, char *patt, bool exclude);
void cf_log(struct cf_parser *P, struct log_target *t, uint32_t mask);
struct log_target *cf_log_target(struct cf_parser *P, enum log_kind kind, char *path,
				 uint32_t limit, char *backup);
void cf_timeformat(struct cf_parser *P, int which, const char *fmt1, uint32_t limit,
		   const char *fmt2);
void cf_timeformat_iso(struct cf_parser *P, int which, const char *name);
void cf_proto_begin(struct cf_parser *P, bool is_template, const struct cf_proto_kind *k,
		    const struct cf_loc *l);
const struct cf_proto_kind *cf_proto_kind_word(struct cf_parser *P, const char *word,
					       bool keyword, const struct cf_loc *l);
void cf_proto_name(struct cf_parser *P, const struct cf_symref *name, const struct cf_loc *l);
void cf_proto_from(struct cf_parser *P, const struct cf_symref *from, const struct cf_loc *l);
void cf_proto_end(struct cf_parser *P, const struct cf_loc *closing);
void cf_proto_description(struct cf_parser *P, char *text);
void cf_proto_disabled(struct cf_parser *P, bool disabled);
void cf_proto_debug(struct cf_parser *P, uint32_t mask);
void cf_proto_router_id(struct cf_parser *P, uint32_t id);
void cf_unknown_begin(struct cf_parser *P, const char *kw, const struct cf_loc *l);
void cf_unknown_word(struct cf_parser *P, const char *kw);
void cf_unknown_end(struct cf_parser *P, bool in_proto);
void cf_finish(struct cf_parser *P);		/* checks after the last token */

/* eval.c: constant folding of `define` terms and set literals */
void cf_val_int(struct f_val *out, uint32_t i);
void cf_val_bool(struct f_val *out, bool b);
void cf_val_string(struct f_val *out, const char *s);
void cf_val_ip(struct f_val *out, ip_addr a);
void cf_val_rd(struct f_val *out, uint64_t rd);
void cf_net(struct cf_parser *P, struct f_val *out, ip_addr a, bool v4, uint32_t len,
	    const struct cf_loc *l);
void cf_binop(struct cf_parser *P, struct f_val *out, int op, const struct f_val *a,
	      const struct f_val *b, const struct cf_loc *l);
void cf_not(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct cf_loc *l);
void cf_pair(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct f_val *b,
	     const struct cf_loc *l);
void cf_lc(struct cf_parser *P, struct f_val *out, const struct f_val *a, const struct f_val *b,
	   const struct f_val *c, const struct cf_loc *l);
void cf_item_value(struct cf_parser *P, struct cf_set_item *out, const struct f_val *v,
		   const struct cf_loc *l);
void cf_item_range(struct cf_parser *P, struct cf_set_item *out, const struct f_val *a,
		   const struct f_val *b, const struct cf_loc *l);
void cf_item_pair_range(struct cf_parser *P, struct cf_set_item *out, const struct f_val *a,
			const struct f_val *lo, const struct f_val *hi, const struct cf_loc *l);
void cf_item_patt(struct cf_parser *P, struct cf_set_item *out, const struct f_val *net,
		  int op, uint32_t lo, uint32_t hi, const struct cf_loc *l);
struct cf_setb *cf_setb_add(struct cf_parser *P, struct cf_setb *b, const struct cf_set_item *it);
void cf_set_end(struct cf_parser *P, struct f_val *out, struct cf_setb *b, const struct cf_loc *l);

#endif
