/*
 * Private to lang/: the parser's state shared by the lexer (lexer.l), the
 * grammar (parser.y), its action helpers (build.c, eval.c), the protocol
 * kinds (protos.c) and the driver (parse.c).
 *
 * Input is a stack of files: the main one and the includes it opens, each
 * read whole into memory and scanned from a flex buffer of its own; every
 * file read stays on `files` until the end so that errors can quote their
 * source lines (an include's text goes when its scan ends, and is read
 * again for a quote). Protocol statements and route blocks' trees are
 * built in a scratch pool that is flushed after each statement. Grammar actions call one helper each; helpers report user
 * errors through cf_err() and carry on, so one run finds every error.
 */
#ifndef BIRCH_LANG_CF_INT_H
#define BIRCH_LANG_CF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"
#include "core/proto.h"
#include "core/mem.h"
#include "core/net.h"
#include "lang/ast.h"
#include "lang/lang.h"
#include "vm/vm.h"

#define CF_MAX_INCLUDE_DEPTH 8		/* files nested, the main one included (BIRD's) */
#define CF_MAX_ERRORS 100		/* then "too many errors" and stop */
#define CF_MAX_FILE_SIZE (1u << 30)	/* a bigger file is refused (BIRD reads a
					 * 354 MB file of 1,000,000 static routes) */

struct cf_file {
	struct cf_file *up;		/* the file that includes this one (a stack) */
	struct cf_file *all;		/* every file read, for freeing */
	char *name;			/* as errors name it (BIRD's form) */
	char *text;			/* whole content, NUL-terminated */
	size_t len;			/* bytes in text (may hold NULs) */
	int line, col;			/* position of the next character, 1-based */
	int depth;			/* 1 for the main file */
	void *buf;			/* its flex buffer */
	bool dropped;			/* an include scanned to its end: text freed,
					 * read again should an error quote it */
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

/* One element of a set literal, before the set is sorted and frozen; the
 * grammar passes it by pointer (a big value on bison's stack was the
 * parser's main cost on big sets). */
struct cf_set_item {
	bool is_patt;			/* prefix pattern (p) or range (r) */
	unsigned n;			/* > 1: a pair item BIRD expands into n ranges, */
	const struct f_range *many;	/* these, in order (r is their hull) */
	union {
		struct f_range r;	/* from..to; r.from.type T_VOID: an error was reported */
		struct f_prefix_patt p;	/* net{lo,hi} */
	};
};

/* A set literal being built (nested sets each have their own). */
struct cf_setb {
	const struct cf_set_item **v;	/* items, in the order written */
	unsigned n, size;		/* used, allocated */
};

/* A protocol kind is a struct proto_class (core/proto.h); protos.c lists
 * them. Protocol statements are collected generically, then matched
 * against the kind's option table (options.c). */
struct proto_class;
struct chan_config;
struct cf_option;

enum cf_atom_kind {
	CA_WORD,			/* a keyword; word is its text */
	CA_VAL,				/* a number, address, prefix, string, (term) */
	CA_SYM,				/* a name; sym NULL when undefined */
	CA_PUNCT,			/* , - / = ... ; word is its text */
	CA_BLOCK,			/* { statements }; block */
	CA_CMDS,			/* { filter commands }; filter */
};

struct cf_atom {
	enum cf_atom_kind kind;		/* selects what follows */
	const char *word;		/* CA_WORD, CA_PUNCT, CA_SYM (its name) */
	struct f_val v;			/* CA_VAL */
	struct cf_symbol *sym;		/* CA_SYM */
	struct cf_stmt *block;		/* CA_BLOCK: first statement, or NULL */
	const struct f_filter *filter;	/* CA_CMDS: the commands, as an inline filter */
	struct cf_loc loc;		/* where it is */
};

/* One protocol or channel statement, as written (up to `;` or a block). */
struct cf_stmt {
	struct cf_stmt *next;		/* next statement of a block */
	struct cf_atom *a;		/* its atoms, a[0] the leading keyword */
	unsigned n, size;		/* used, allocated */
};

/* import/export limit, before it is stored */
struct cf_limit {
	uint32_t max;			/* 0: off */
	int action;			/* enum chan_limit_action */
};

struct cf_parser {
	struct config *conf;		/* being built; freed on error */
	struct pool *pool;		/* conf->pool */
	struct pool *tmp;		/* scratch: protocol statements as collected,
					 * route blocks' trees until compiled; flushed
					 * after each protocol statement (NULL until used) */
	struct pool *npool;		/* where nodes, scopes and variables go: tmp
					 * inside a route block, else NULL (pool) */
	bool tmp_keep;			/* tmp holds a tree that was not compiled (after
					 * an error): never flushed, handed to the config */
	struct cf_scope *scope;		/* current scope (the root for now) */
	unsigned flags;			/* enum cf_parse_flags */
	void **app_head;		/* options.c: the list appended to last */
	void *app_last;			/* ... and its last record: appends stay O(1) */

	struct cf_error *errs;		/* found so far, in order */
	struct cf_error **errs_tail;	/* where the next one goes */
	unsigned nerrs;			/* count, to stop at CF_MAX_ERRORS */
	bool too_many;			/* CF_MAX_ERRORS reached: stop parsing */

	struct cf_file *cur;		/* file being scanned (top of the stack) */
	struct cf_file *files;		/* every file read */
	void *scanner;			/* flex state */
	const char *last_kw;		/* text of the last keyword lexed */
	unsigned braces;		/* `{` open (parser.y's token filter) */
	bool stmt_start;		/* the next token starts a statement */
	const char *stmt_head;		/* the keyword that started the current one */

	struct proto_config *proto;	/* protocol being parsed, or NULL to skip */
	const struct proto_class *kind;	/* its kind */
	struct chan_config *chan;	/* channel block being parsed, or NULL */
	bool in_chan;			/* inside a channel block (chan NULL: refused) */
	bool v1_seen;			/* a BIRD 1.x protocol was seen */
	struct cf_deferred *deferred;	/* protocols checked at the end (channel.c) */
	struct cf_v1_bound *v1_bounds;	/* values only BIRD 1.x takes, judged at the end */
	struct cf_loc proto_loc;	/* its kind token */
	unsigned proto_stmts;		/* `protocol` statements seen, good or bad */
	struct proto_config **protos_tail;	/* append point of conf->protos */
	struct log_target **logs_tail;	/* append point of conf->logs */
	struct cf_patt **rid_tail;	/* append point of conf->router_id_patts */

	/* the filter language (ast.c) */
	unsigned depth;			/* scopes open inside a filter or function */
	unsigned slots;			/* frame slots used so far by the current one */
	struct f_function *fn;		/* function being parsed, or NULL */
	struct f_filter *filter;	/* named filter being parsed, or NULL */
	struct f_test **tests_tail;	/* append point of the bt_test_* list */
	const struct f_filter *cli_filter;	/* START_FILTER: the result */
	struct f_node *cli_term;	/* START_TERM: the result */
	int start;			/* token to return first (TOK_START_TERM), or 0 */

	char *unk_name;			/* unknown statement: its leading keywords */
	size_t unk_len;			/* bytes in unk_name */
	bool unk_more;			/* still collecting keywords */
	struct cf_loc unk_loc;		/* its first token */
};

/* parse.c: errors and input */
void cf_err(struct cf_parser *P, const struct cf_loc *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cf_include(struct cf_parser *P, const char *pattern, const struct cf_loc *l);
void cf_file_done(struct cf_parser *P, struct cf_file *f);	/* an include's end */

/* lexer.l */
int cf_lex_init(struct cf_parser *P);		/* -1 on failure */
void cf_lex_push(struct cf_parser *P, struct cf_file *f);	/* scan f next */
void cf_lex_destroy(struct cf_parser *P);

/* keywords.c */
int cf_keyword(const char *name, const char **text);	/* token, or -1 */

/* protos.c: the registry of protocol classes */
const struct proto_class *cf_proto_kind(const char *name);
bool cf_proto_known_elsewhere(const char *name);	/* a BIRD protocol Birch lacks */

/* options.c: generic statements and the option matcher; statements are
 * collected in P->tmp (cf_tmp) and are gone after cf_opt_stmt */
struct pool *cf_tmp(struct cf_parser *P);	/* P->tmp, made on first use */
struct cf_stmt *cf_stmt_new(struct cf_parser *P);
struct cf_stmt *cf_stmt_word(struct cf_parser *P, struct cf_stmt *s, const char *kw,
			     const struct cf_loc *l);
struct cf_stmt *cf_stmt_head(struct cf_parser *P, const char *kw, const struct cf_loc *l,
			     struct cf_stmt *tail);
struct cf_stmt *cf_stmt_val(struct cf_parser *P, struct cf_stmt *s, const struct f_val *v,
			    const struct cf_loc *l);
struct cf_stmt *cf_stmt_sym(struct cf_parser *P, struct cf_stmt *s, const struct cf_symref *y,
			    const struct cf_loc *l);
struct cf_stmt *cf_stmt_punct(struct cf_parser *P, struct cf_stmt *s, const char *text,
			      const struct cf_loc *l);
struct cf_stmt *cf_stmt_block(struct cf_parser *P, struct cf_stmt *s, struct cf_stmt *block,
			      const struct cf_loc *l);
/* `% NAME` (an address's interface): the atoms `%` and the name as a string */
struct cf_stmt *cf_stmt_scope(struct cf_parser *P, struct cf_stmt *s, const struct cf_symref *y,
			      const struct cf_loc *l);
struct cf_stmt *cf_stmt_cmds(struct cf_parser *P, struct cf_stmt *s, const struct f_filter *f,
			     const struct cf_loc *l);
struct cf_stmt *cf_stmt_append(struct cf_stmt *list, struct cf_stmt *s);	/* block items */
/* an option of tab starting with the keyword kw takes `{ filter commands }` */
bool cf_opt_takes_cmds(const struct cf_option *tab, const char *kw);
/* match s against tab and store its values in rec; what names the owner
 * ("protocol bgp") in errors. 1 done (errors reported), 0 no option of
 * tab starts with s's words (nothing reported) */
int cf_opt_apply(struct cf_parser *P, const struct cf_option *tab, const char *what,
		 const struct cf_stmt *s, void *rec);
const struct cf_option *cf_opt_find(const struct cf_option *tab, const struct cf_stmt *s);
void cf_opt_stmt(struct cf_parser *P, const struct cf_stmt *s);	/* a protocol's statement */
/* at the end: refuse the values out of BIRD 2's bounds that only a 1.x
 * config may have, unless their protocol is read as 1.x */
void cf_opt_v1_finish(struct cf_parser *P);

/* channel.c: channels and their common options */
void cf_chan_begin(struct cf_parser *P, unsigned family, const char *name, const struct cf_loc *l);
void cf_chan_end(struct cf_parser *P);
void cf_chan_table(struct cf_parser *P, const struct cf_symref *name, const struct cf_loc *l);
void cf_chan_preference(struct cf_parser *P, uint32_t pref, const struct cf_loc *l);
struct f_filter;
void cf_chan_filter(struct cf_parser *P, bool out, const struct f_filter *f, const struct cf_loc *l);
void cf_chan_limit(struct cf_parser *P, int which, const struct cf_limit *lim, const struct cf_loc *l);
void cf_chan_keep_filtered(struct cf_parser *P, bool on, const struct cf_loc *l);
void cf_chan_debug(struct cf_parser *P, uint32_t mask);
void cf_chan_word_opt(struct cf_parser *P, const char *w1, const char *w2, bool on,
		      const struct cf_loc *l);
struct chan_config *cf_chan_target(struct cf_parser *P, const struct cf_loc *l);
struct rtable_config *cf_table_ref(struct cf_parser *P, const struct cf_symbol *sym,
				   const char *name, const struct cf_loc *l);
void cf_chan_check(struct cf_parser *P, struct proto_config *pc, const struct cf_loc *l);
void cf_chan_copy(struct cf_parser *P, struct proto_config *to, const struct proto_config *from);
bool cf_chan_defer(struct cf_parser *P, struct proto_config *pc, const struct cf_loc *l);
void cf_chan_finish(struct cf_parser *P);	/* the deferred protocols' checks */

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
void cf_proto_begin(struct cf_parser *P, bool is_template, const struct proto_class *k,
		    const struct cf_loc *l);
const struct proto_class *cf_proto_kind_word(struct cf_parser *P, const char *word,
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

/* ast.c: what the filter grammar's actions call (each builds and types a
 * node; errors are reported and the node typed T_VOID) */
struct f_node *cf_list(struct f_node *list, struct f_node *n);	/* append; NULL n is skipped */
struct f_node *cf_const_node(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l);
struct f_node *cf_sym_node(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
struct f_node *cf_undef_node(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
struct f_node *cf_attr_node(struct cf_parser *P, const char *name, const struct cf_loc *l);
struct f_node *cf_binop_node(struct cf_parser *P, enum f_op op, struct f_node *a,
			     struct f_node *b, const struct cf_loc *l);
struct f_node *cf_not_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l);
struct f_node *cf_pair_node(struct cf_parser *P, struct f_node *a, struct f_node *b,
			    const struct cf_loc *l);
struct f_node *cf_lc_node(struct cf_parser *P, struct f_node *a, struct f_node *b,
			  struct f_node *c, const struct cf_loc *l);
struct f_node *cf_ec_node(struct cf_parser *P, int kind, struct f_node *a, struct f_node *b,
			  const struct cf_loc *l);
struct f_node *cf_set_node(struct cf_parser *P, struct cf_setb *b, const struct cf_loc *l);
struct f_node *cf_empty_node(struct cf_parser *P, enum f_type t, const struct cf_loc *l);
struct f_path_mask *cf_mask_add(struct cf_parser *P, struct f_path_mask *m,
				const struct f_pm_item *it);
void cf_pm_item(struct cf_parser *P, struct f_pm_item *out, enum f_pm_kind kind, uint32_t lo,
		uint32_t hi, struct f_node *expr);
struct f_node *cf_mask_node(struct cf_parser *P, struct f_path_mask *m, const struct cf_loc *l);
struct f_node *cf_method_node(struct cf_parser *P, struct f_node *a, const char *name,
			      struct f_node *args, bool call, const struct cf_loc *l);
struct f_node *cf_method_fn(struct cf_parser *P, int method, struct f_node *args,
			    const struct cf_loc *l);
struct f_node *cf_format_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l);
struct f_node *cf_defined_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l);
struct f_node *cf_roa_node(struct cf_parser *P, const struct cf_symref *t, struct f_node *args,
			   const struct cf_loc *l);
struct f_node *cf_call_node(struct cf_parser *P, const struct cf_symref *s, struct f_node *args,
			    const struct cf_loc *l);
int cf_set_type(struct cf_parser *P, int elem, const struct cf_loc *l);
/* statements */
struct f_node *cf_block_node(struct cf_parser *P, struct f_node *stmts, const struct cf_loc *l);
struct f_node *cf_if_node(struct cf_parser *P, struct f_node *c, struct f_node *t,
			  struct f_node *e, const struct cf_loc *l);
struct f_node *cf_decl_node(struct cf_parser *P, int type, const struct cf_symref *s,
			    struct f_node *init, const struct cf_loc *l);
struct f_node *cf_assign_sym(struct cf_parser *P, const struct cf_symref *s, struct f_node *v,
			     const struct cf_loc *l);
struct f_node *cf_assign_attr(struct cf_parser *P, struct f_node *attr, struct f_node *v,
			      const struct cf_loc *l);
struct f_node *cf_return_node(struct cf_parser *P, struct f_node *v, const struct cf_loc *l);
struct f_node *cf_unset_node(struct cf_parser *P, struct f_node *attr, const struct cf_loc *l);
struct f_node *cf_break_node(struct cf_parser *P, enum f_node_kind kind, struct f_node *msgs,
			     const struct cf_loc *l);
struct f_node *cf_print_node(struct cf_parser *P, struct f_node *args, bool newline,
			     const struct cf_loc *l);
struct f_node *cf_call_stmt(struct cf_parser *P, struct f_node *call);
struct f_node *cf_method_stmt(struct cf_parser *P, struct f_node *lhs, const char *name,
			      struct f_node *args, const struct cf_loc *l);
struct f_node *cf_case_node(struct cf_parser *P, struct f_node *v, struct f_case *cases,
			    const struct cf_loc *l);
struct f_case *cf_case_add(struct cf_parser *P, struct f_case *list, struct cf_setb *labels,
			   struct f_node *body, const struct cf_loc *l);
struct f_node *cf_assert_node(struct cf_parser *P, struct f_node *a, const struct cf_loc *l);
struct f_node *cf_for_var(struct cf_parser *P, int type, const struct cf_symref *s,
			  const struct cf_loc *l);
struct f_node *cf_for_node(struct cf_parser *P, struct f_node *var, struct f_node *what,
			   struct f_node *body, const struct cf_loc *l);
/* scopes, filters, functions and other global declarations */
void cf_scope_push(struct cf_parser *P);
/* `{` of a route block: its tree is built in P->tmp; cf_filter_spec
 * (FF_CMDS) compiles it into the config's program and drops the tree */
void cf_cmds_begin(struct cf_parser *P);
void cf_scope_pop(struct cf_parser *P);
void cf_recover(struct cf_parser *P);	/* error recovery: back to the root scope */
struct f_node *cf_body(struct cf_parser *P, struct f_node *decls, struct f_node *stmts,
		       const struct cf_loc *l);
void cf_filter_begin(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
void cf_filter_end(struct cf_parser *P, struct f_node *body);
void cf_function_begin(struct cf_parser *P, const struct cf_symref *s, const struct cf_loc *l);
void cf_function_arg(struct cf_parser *P, int type, const struct cf_symref *s,
		     const struct cf_loc *l);
int cf_function_ret(struct cf_parser *P, int type);	/* `-> TYPE`: returns type */
void cf_function_end(struct cf_parser *P, int ret, struct f_node *body, const struct cf_loc *l);
void cf_attribute(struct cf_parser *P, int type, const struct cf_symref *s, const struct cf_loc *l);
/* opts: the words and block after the name (`sorted { trie; }`), or NULL */
void cf_table(struct cf_parser *P, int type, const struct cf_symref *s, struct cf_stmt *opts,
	      const struct cf_loc *l);
void cf_test_suite(struct cf_parser *P, const struct cf_symref *f, const char *desc,
		   const struct cf_loc *l);
void cf_test_same(struct cf_parser *P, const struct cf_symref *f, const struct cf_symref *g,
		  uint32_t expected, const struct cf_loc *l);
/* a channel's filter: kind FF_ALL / FF_NONE, FF_NAMED (name), FF_INLINE
 * (body, in a scope that filter_spec opened), FF_WHERE (body is the term) */
const struct f_filter *cf_filter_spec(struct cf_parser *P, enum f_filter_kind kind,
				      const struct cf_symref *name, struct f_node *body,
				      const struct cf_loc *l);

/* typecheck.c: the static type rules, called by every constructor in ast.c */
void cf_check(struct cf_parser *P, struct f_node *n);
bool cf_assignable(enum f_type want, const struct f_node *v);	/* with BIRD's promotions */

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
struct cf_set_item *cf_item_value(struct cf_parser *P, const struct f_val *v, const struct cf_loc *l);
struct cf_set_item *cf_item_range(struct cf_parser *P, const struct f_val *a, const struct f_val *b,
				  const struct cf_loc *l);
/* a set atom: a constant term `( t )` (t set) or a constant's name (s set) */
void cf_set_atom(struct cf_parser *P, struct f_val *out, const struct f_val *t,
		 const struct cf_symref *s, const struct cf_loc *l);
/* pair and lc items from their parts, lo and hi of each; NULL for `*` */
struct cf_set_item *cf_item_pair(struct cf_parser *P, const struct f_val *const v[4],
				 const struct cf_loc *l);
struct cf_set_item *cf_item_lc(struct cf_parser *P, const struct f_val *const v[6],
			       const struct cf_loc *l);
/* (a, b)..(c, d) and (a, b, c)..(d, e, f): both ends' parts */
struct cf_set_item *cf_item_pair_to(struct cf_parser *P, const struct f_val *const v[4],
				    const struct cf_loc *l);
struct cf_set_item *cf_item_lc_to(struct cf_parser *P, const struct f_val *const v[6],
				  const struct cf_loc *l);
struct cf_set_item *cf_item_patt(struct cf_parser *P, const struct f_val *net, int op, uint32_t lo,
				 uint32_t hi, const struct cf_loc *l);
struct cf_setb *cf_setb_add(struct cf_parser *P, struct cf_setb *b, const struct cf_set_item *it);
void cf_set_end(struct cf_parser *P, struct f_val *out, struct cf_setb *b, const struct cf_loc *l);
void cf_val_enum(struct cf_parser *P, struct f_val *out, const char *name, const struct cf_loc *l);
struct cf_set_item *cf_item_ec(struct cf_parser *P, int kind, const struct f_val *a,
			       const struct f_val *lo, const struct f_val *hi, const struct cf_loc *l);
void cf_ec(struct cf_parser *P, struct f_val *out, int kind, const struct f_val *a,
	   const struct f_val *b, const struct cf_loc *l);
/* a method on constant values as BIRD preevaluates it (o.m(x); x T_VOID
 * when it takes no argument): NULL and *out; BIRD's message when it
 * fails; "" when it is left to run time */
const char *cf_method_val(struct cf_parser *P, enum f_method m, const struct f_val *o,
			  const struct f_val *x, struct f_val *out);
/* can a ~ b be asked of these values at all (BIRD's error if not)? */
bool cf_match_ok(const struct f_val *a, const struct f_val *b);
/* fold a term to a constant as `define` does; T_VOID after an error */
void cf_fold(struct cf_parser *P, struct f_val *out, const struct f_node *n, const struct cf_loc *l);

#endif
