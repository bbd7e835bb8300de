/*
 * The parser's driver: reads the main file and the files it includes,
 * runs the grammar over them, collects every error with its place and
 * source line, and hands back either a complete config or the errors.
 *
 * Files are read whole (up to CF_MAX_FILE_SIZE) before they are scanned;
 * an include names files relative to the including file's directory, as
 * BIRD does ("./inc/a.conf" for `include "inc/a.conf";` in "bird.conf"),
 * and a pattern with wildcards includes its matches in sorted order.
 * A config with static route blocks gets its program while it is parsed
 * (the blocks are compiled as they are read); the end of a parse completes
 * it with the config's filters and functions.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/cf_int.h"
#include "lang/parser.h"

int cf_yyparse(struct cf_parser *P);

/* ---- errors ---------------------------------------------------------------- */

static char *slurp(const char *name, size_t *len);

/* the line'th line of text, control characters but tabs shown as '?' */
static char *
line_of(const char *text, size_t len, int line)
{
	const char *p = text, *end = text + len;

	if (!text || line < 1)
		return NULL;
	for (int l = 1; l < line; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
	}
	const char *e = memchr(p, '\n', (size_t)(end - p));
	size_t n = (size_t)((e ? e : end) - p);
	if (n > 4096)
		n = 4096;
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = ((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f ? '?' : p[i];
	s[n] = 0;
	return s;
}

/* an include scanned to its end no longer holds its text: read it again */
static char *
source_line(const struct cf_file *f, int line)
{
	if (f->text || !f->dropped)
		return line_of(f->text, f->len, line);
	size_t len;
	char *text = slurp(f->name, &len);
	char *s = line_of(text, len, line);
	free(text);
	return s;
}

/* an included file scanned to its end: its text goes (a config of many
 * big includes held them all until the end); an error quoting it later
 * reads it again */
void
cf_file_done(struct cf_parser *P, struct cf_file *f)
{
	(void)P;
	free(f->text);
	f->text = NULL;
	f->dropped = true;
}

/* a whole file for a quote (it may hold NULs), or NULL */
static char *
slurp(const char *name, size_t *len)
{
	FILE *in = fopen(name, "r");
	struct stat st;
	char *text = NULL;

	*len = 0;
	if (!in)
		return NULL;
	if (fstat(fileno(in), &st) == 0 && st.st_size >= 0 &&
	    (uint64_t)st.st_size <= CF_MAX_FILE_SIZE && (text = malloc((size_t)st.st_size + 1))) {
		*len = fread(text, 1, (size_t)st.st_size, in);
		text[*len] = 0;
	}
	fclose(in);
	return text;
}

static void
add_error(struct cf_parser *P, const char *file, int line, int col, char *source, char *msg)
{
	if (P->too_many) {
		free(source);
		free(msg);
		return;
	}
	if (P->nerrs == CF_MAX_ERRORS) {
		free(msg);
		msg = xstrdup("Too many errors, giving up");
		P->too_many = true;
	}
	struct cf_error *e = xzalloc(sizeof *e);
	e->file = xstrdup(file);
	e->line = line;
	e->col = col;
	e->msg = msg;
	e->source = source;
	*P->errs_tail = e;
	P->errs_tail = &e->next;
	P->nerrs++;
}

void
cf_err(struct cf_parser *P, const struct cf_loc *l, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("(out of memory)");
	va_end(ap);
	add_error(P, l->file->name, l->first_line, l->first_column,
		  source_line(l->file, l->first_line), msg);
}

void
cf_errors_free(struct cf_error *e)
{
	while (e) {
		struct cf_error *next = e->next;
		free(e->file);
		free(e->msg);
		free(e->source);
		free(e);
		e = next;
	}
}

void
cf_error_format(const struct cf_error *e, char *buf, size_t len, int bird_style)
{
	if (e->line <= 0)
		snprintf(buf, len, "%s: %s", e->file, e->msg);
	else if (bird_style)
		snprintf(buf, len, "%s:%d:%d %s", e->file, e->line, e->col, e->msg);
	else if (e->col <= 0)
		snprintf(buf, len, "%s:%d: %s", e->file, e->line, e->msg);
	else
		snprintf(buf, len, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
}

void
cf_errors_print(FILE *out, const struct cf_error *e, int with_source)
{
	char buf[1024];

	for (; e; e = e->next) {
		cf_error_format(e, buf, sizeof buf, 0);
		fprintf(out, "%s\n", buf);
		if (!with_source || !e->source || e->col <= 0)
			continue;
		fprintf(out, "    %s\n    ", e->source);
		/* the caret goes under the column; tabs stay tabs so it lines up */
		size_t n = strlen(e->source);
		for (int i = 1; i < e->col; i++)
			fputc((size_t)i <= n && e->source[i - 1] == '\t' ? '\t' : ' ', out);
		fputs("^\n", out);
	}
}

/* ---- files ------------------------------------------------------------------ */

static struct cf_file *
new_file(struct cf_parser *P, const char *name, char *text, size_t len)
{
	struct cf_file *f = xzalloc(sizeof *f);

	/* in the pool: filters, functions, tests and nodes keep the name */
	f->name = pool_strdup(P->pool, name);
	f->text = text;
	f->len = len;
	f->line = f->col = 1;
	f->depth = 1;
	f->all = P->files;
	P->files = f;
	return f;
}

/*
 * Read a whole file. On failure errno is set and NULL returned, except for
 * a file that opens but cannot be read (a directory): BIRD's "Read error"
 * at its line 1, column 1, and an empty file to scan.
 */
static struct cf_file *
read_file(struct cf_parser *P, const char *name)
{
	struct stat st;
	int fd = open(name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	memset(&st, 0, sizeof st);
	/* only regular files: a directory is BIRD's "Read error", and a FIFO
	 * or a device could block or never end */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > CF_MAX_FILE_SIZE) {
		bool big = S_ISREG(st.st_mode);
		close(fd);
		add_error(P, name, 1, 1, NULL, xstrdup(big ? "File too large" : "Read error"));
		return new_file(P, name, xzalloc(1), 0);
	}

	/* sized from stat (a file may still grow or shrink while read) */
	size_t size = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, len = 0;
	char *text = xmalloc(size + 1);
	for (;;) {
		if (len == size) {
			if (size >= CF_MAX_FILE_SIZE) {
				free(text);
				close(fd);
				add_error(P, name, 1, 1, NULL, xstrdup("File too large"));
				return new_file(P, name, xzalloc(1), 0);
			}
			size *= 2;
			text = xrealloc(text, size + 1);
		}
		ssize_t n = read(fd, text + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(text);
			close(fd);
			add_error(P, name, 1, 1, NULL, xstrdup("Read error"));
			return new_file(P, name, xzalloc(1), 0);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = 0;
	return new_file(P, name, text, len);
}

/* push f to be scanned next; it returns to P->cur at its end */
static void
push(struct cf_parser *P, struct cf_file *f, struct cf_file *up)
{
	f->up = up;
	f->depth = up ? up->depth + 1 : 1;
	cf_lex_push(P, f);
}

void
cf_include(struct cf_parser *P, const char *pattern, const struct cf_loc *l)
{
	struct cf_file *from = l->file;
	char *path;

	if (from->depth >= CF_MAX_INCLUDE_DEPTH) {
		cf_err(P, l, "Max include depth reached");
		return;
	}
	if (pattern[0] == '/')
		path = xstrdup(pattern);
	else {
		const char *slash = strrchr(from->name, '/');
		if (slash)
			path = xasprintf("%.*s/%s", (int)(slash - from->name), from->name, pattern);
		else
			path = xasprintf("./%s", pattern);
	}

	if (!strpbrk(pattern, "*?[")) {
		struct cf_file *f = read_file(P, path);
		if (f)
			push(P, f, from);
		else
			cf_err(P, l, "Unable to open included file %s: %s", path, strerror(errno));
		free(path);
		return;
	}

	glob_t g;
	int rc = glob(path, GLOB_ERR | GLOB_MARK, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		free(path);
		return;
	}
	if (rc) {
		cf_err(P, l, "Unable to process included file %s: glob error", path);
		free(path);
		return;
	}
	/* matches come sorted; push them last first so the first is read first */
	struct cf_file *up = from;
	for (size_t i = g.gl_pathc; i-- > 0;) {
		const char *m = g.gl_pathv[i];
		size_t n = strlen(m);
		if (n && m[n - 1] == '/')
			continue;	/* a directory */
		struct cf_file *f = read_file(P, m);
		if (!f) {
			cf_err(P, l, "Unable to open included file %s: %s", m, strerror(errno));
			continue;
		}
		push(P, f, up);
		f->depth = from->depth + 1;
		up = f;
	}
	globfree(&g);
	free(path);
}

/* ---- the parse ---------------------------------------------------------------- */

static void
setup(struct cf_parser *P, const char *name, unsigned flags)
{
	memset(P, 0, sizeof *P);
	P->flags = flags;
	P->errs_tail = &P->errs;
	P->conf = config_alloc(name);
	P->pool = P->conf->pool;
	P->conf->root = cf_scope_new(P->pool, NULL);
	P->scope = P->conf->root;
	P->protos_tail = &P->conf->protos;
	P->logs_tail = &P->conf->logs;
	P->rid_tail = &P->conf->router_id_patts;
}

/* the program the route blocks were compiled into gets every filter and
 * function; one that does not compile drops the program, and chan_prog()
 * reports it as it did before (the route blocks compiled fine). The
 * scratch pool goes, unless a tree was left in it. */
static void
finish_prog(struct cf_parser *P)
{
	struct config *c = P->conf;
	char err[256];

	if (c->prog && !P->errs && vm_prog_complete(c->prog, err, sizeof err) < 0) {
		c->prog_free(c->prog);
		c->prog = NULL;
	}
	if (P->tmp && P->tmp_keep)
		c->trees = P->tmp;
	else if (P->tmp)
		pool_free(P->tmp);
	P->tmp = NULL;
}

static struct config *
run(struct cf_parser *P, struct cf_file *main, struct cf_error **errs)
{
	if (main) {
		if (cf_lex_init(P) < 0) {
			add_error(P, main->name, 0, 0, NULL, xstrdup("Cannot start the lexer"));
		} else {
			push(P, main, NULL);
			cf_yyparse(P);
			if (!P->too_many)
				cf_finish(P);
		}
		cf_lex_destroy(P);
	}
	while (P->files) {
		struct cf_file *f = P->files;
		P->files = f->all;
		free(f->text);
		free(f);
	}
	finish_prog(P);
	if (P->errs) {
		config_free(P->conf);
		if (errs)
			*errs = P->errs;
		else
			cf_errors_free(P->errs);
		return NULL;
	}
	if (errs)
		*errs = NULL;
	return P->conf;
}

struct config *
cf_parse_file(const char *path, unsigned flags, struct cf_error **errs)
{
	struct cf_parser P;

	setup(&P, path, flags);
	struct cf_file *f = read_file(&P, path);
	if (!f)
		add_error(&P, path, 0, 0, NULL, xstrdup(strerror(errno)));
	return run(&P, f, errs);
}

struct config *
cf_parse_buffer(const char *name, const char *data, size_t len, unsigned flags,
		struct cf_error **errs)
{
	struct cf_parser P;

	setup(&P, name, flags);
	if (len > CF_MAX_FILE_SIZE) {
		add_error(&P, name, 0, 0, NULL, xstrdup("File too large"));
		return run(&P, NULL, errs);
	}
	char *text = xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = 0;
	return run(&P, new_file(&P, name, text, len), errs);
}

struct config *
cf_parse_string(const char *name, const char *text, unsigned flags, struct cf_error **errs)
{
	return cf_parse_buffer(name, text, strlen(text), flags, errs);
}

struct f_node *
cf_parse_term(struct config *c, const char *text, struct cf_error **errs)
{
	return cf_parse_term_in(c, c->pool, text, errs);
}

/* CLI text (a term, or a filter spec) in the scope of config c, its nodes
 * in `pool` (a CLI request's scratch), so that it never grows the running
 * config. The result is in P->cli_term or P->cli_filter. */
static void
parse_cli(struct cf_parser *P, struct config *c, struct pool *pool, const char *text, int start)
{
	memset(P, 0, sizeof *P);
	P->errs_tail = &P->errs;
	P->conf = c;
	P->pool = pool;
	P->scope = c->root;
	P->start = start;
	size_t len = strlen(text);
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len + 1);
	struct cf_file *f = new_file(P, "eval", copy, len);
	if (cf_lex_init(P) < 0) {
		add_error(P, "eval", 0, 0, NULL, xstrdup("Cannot start the lexer"));
	} else {
		push(P, f, NULL);
		cf_yyparse(P);
	}
	cf_lex_destroy(P);
	while (P->files) {
		struct cf_file *x = P->files;
		P->files = x->all;
		free(x->text);
		free(x);
	}
	if (P->tmp)
		pool_free(P->tmp);
	P->tmp = NULL;
	if (!P->errs && !P->cli_term && !P->cli_filter)
		add_error(P, "eval", 0, 0, NULL, xstrdup("syntax error"));
}

struct f_node *
cf_parse_term_in(struct config *c, struct pool *pool, const char *text, struct cf_error **errs)
{
	struct cf_parser P;

	parse_cli(&P, c, pool, text, TOK_START_TERM);
	*errs = P.errs;
	return P.errs ? NULL : P.cli_term;
}

const struct f_filter *
cf_parse_filter_in(struct config *c, struct pool *pool, const char *text, struct cf_error **errs)
{
	struct cf_parser P;

	parse_cli(&P, c, pool, text, TOK_START_FILTER);
	*errs = P.errs;
	return P.errs ? NULL : P.cli_filter;
}
