/*
 * The configuration language: lexer, grammar, symbols and checks that turn
 * a file (and the files it includes) into a struct config. Every error in a
 * file is reported in one run, each with its file, line and column; any
 * error refuses the whole config.
 */
#ifndef BIRCH_LANG_LANG_H
#define BIRCH_LANG_LANG_H

#include <stddef.h>
#include <stdio.h>

struct config;
struct pool;

struct cf_error {
	struct cf_error *next;	/* in the order found */
	char *file;		/* file the error is in */
	int line, col;		/* 1-based; 0 when the error has no place */
	char *msg;		/* "syntax error, unexpected ..." */
	char *source;		/* the line the error is on, or NULL */
};

/* parse.c */
enum cf_parse_flags {
	CF_IPV6_DEFAULT = 1,	/* read a BIRD 1.x config as IPv6 (bird6) */
	CF_NO_PROTOCOLS = 2,	/* a config without protocols is fine (eval, tests) */
};
struct config *cf_parse_file(const char *path, unsigned flags, struct cf_error **errs);
struct config *cf_parse_string(const char *name, const char *text, unsigned flags,
			       struct cf_error **errs);
/* the same from bytes in memory, which may hold NULs */
struct config *cf_parse_buffer(const char *name, const char *data, size_t len, unsigned flags,
			       struct cf_error **errs);
/* parse one term (`birdc eval` text) in c's global scope; its nodes live
 * in c's pool. NULL and *errs when it does not parse or type-check. */
struct f_node;
struct f_node *cf_parse_term(struct config *c, const char *text, struct cf_error **errs);
struct f_node *cf_parse_term_in(struct config *c, struct pool *pool, const char *text,
				struct cf_error **errs);
/* the same for a filter spec (`where EXPR`, `filter NAME`, `filter { }`),
 * as `show route` takes one */
struct f_filter;
const struct f_filter *cf_parse_filter_in(struct config *c, struct pool *pool, const char *text,
				struct cf_error **errs);
void cf_errors_free(struct cf_error *e);
/* "FILE:LINE:COL: message" (gcc style) or BIRD's "FILE:LINE:COL message" */
void cf_error_format(const struct cf_error *e, char *buf, size_t len, int bird_style);
/* print each error with its source line and a caret under the column */
void cf_errors_print(FILE *out, const struct cf_error *e, int with_source);

/* symbols.c: scopes of names (defines, protocols, templates; later
 * filters, functions, tables). A scope lives in the config's pool. */
struct pool;
struct f_val;
struct proto_config;

enum cf_sym_class {
	SYM_VOID,		/* looked up, never declared */
	SYM_CONSTANT,		/* `define NAME = value` */
	SYM_PROTO,		/* `protocol KIND NAME` */
	SYM_TEMPLATE,		/* `template KIND NAME` */
	SYM_FILTER,		/* `filter NAME`: u.ptr is a struct f_filter (lang/ast.h) */
	SYM_FUNCTION,		/* `function NAME`: struct f_function */
	SYM_TABLE,		/* `ipv4 table NAME` etc.: struct f_table */
	SYM_VARIABLE,		/* a function argument or local variable: struct f_var */
	SYM_ATTRIBUTE,		/* `attribute TYPE NAME`: struct f_attr */
	SYM_TESTS,		/* the hidden symbol " tests": u.ptr is the struct f_test list */
};

struct cf_symbol {
	struct cf_symbol *next;		/* hash chain within its scope */
	struct cf_symbol *order;	/* next in declaration order */
	const char *name;		/* case-sensitive, as written */
	enum cf_sym_class class;	/* what the name stands for */
	struct cf_scope *scope;		/* the scope that declares it */
	union {
		const struct f_val *val;	/* SYM_CONSTANT */
		struct proto_config *proto;	/* SYM_PROTO, SYM_TEMPLATE */
		void *ptr;			/* other classes */
	} u;
	const char *file;		/* where it was declared */
	int line, col;
};

struct cf_scope {
	struct cf_scope *up;		/* enclosing scope, NULL for the root */
	struct pool *pool;		/* where symbols are allocated */
	unsigned size, count;		/* hash buckets (a power of two), symbols */
	struct cf_symbol **hash;	/* buckets */
	struct cf_symbol *first, *last;	/* declaration order, via order */
};

struct cf_scope *cf_scope_new(struct pool *p, struct cf_scope *up);
struct cf_symbol *cf_find_symbol(const struct cf_scope *s, const char *name);	/* also outer scopes */
/* declare in s; NULL when s already has that name */
struct cf_symbol *cf_define_symbol(struct cf_scope *s, const char *name, enum cf_sym_class cls);
/* call fn on each symbol of s in declaration order */
void cf_walk_symbols(const struct cf_scope *s, void (*fn)(const struct cf_symbol *, void *), void *arg);
const char *cf_sym_class_name(enum cf_sym_class cls);	/* "constant", "protocol", ... */

/* keywords.c: BIRD 2's reserved words, which cannot be used as names */
int cf_is_keyword(const char *name);

#endif
