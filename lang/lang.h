/*
 * The configuration language: lexer, grammar, symbols and checks that turn
 * a file (and the files it includes) into a struct config. Every error in a
 * file is reported in one run, each with its file, line and column; any
 * error refuses the whole config.
 */
#ifndef BIRCH_LANG_LANG_H
#define BIRCH_LANG_LANG_H

#include <stdio.h>

struct config;

struct cf_error {
	struct cf_error *next;	/* in the order found */
	char *file;		/* file the error is in */
	int line, col;		/* 1-based; 0 when the error has no place */
	char *msg;		/* "syntax error, unexpected ..." */
};

/* parse.c */
enum cf_parse_flags {
	CF_IPV6_DEFAULT = 1,	/* read a BIRD 1.x config as IPv6 (bird6) */
};
struct config *cf_parse_file(const char *path, unsigned flags, struct cf_error **errs);
struct config *cf_parse_string(const char *name, const char *text, unsigned flags,
			       struct cf_error **errs);
void cf_errors_free(struct cf_error *e);
/* "FILE:LINE:COL: message" (gcc style) or BIRD's "FILE:LINE:COL message" */
void cf_error_format(const struct cf_error *e, char *buf, size_t len, int bird_style);
/* print each error with its source line and a caret under the column */
void cf_errors_print(FILE *out, const struct cf_error *e, int with_source);

#endif
