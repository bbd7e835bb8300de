/*
 * The control-socket server: BIRD's CLI protocol over a unix socket.
 *
 * Each connection is a session with its own input and output buffers
 * (libevent bufferevents). Requests are lines; each is tokenized, matched
 * against the command table (core/cli_cmds.def) with keywords spelled in
 * full, as BIRD's server requires, and run by its handler (core/cmds.c).
 * Replies are appended to the session's output buffer. A session whose
 * output passes the high watermark stops being read until its client has
 * drained it below the low watermark, so a client that never reads costs
 * bounded memory and never blocks the daemon.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "core/cli.h"
#include "core/cli_int.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"

#define OUT_HIGH (256 * 1024)	/* stop reading a session's input above this */
#define OUT_LOW (64 * 1024)	/* and resume below this */

static struct evconnlistener *listener;
static void drain_finish(void);
static void (*drain_done)(void);
static char *sock_path;
static struct cli *sessions;
void (*cli_on_down)(void);

/* ---- reply encoding ---------------------------------------------------- */

size_t
cli_encode_line(char *buf, size_t len, int code, int *last_code, const char *text)
{
	bool more = code < 0;
	int n;

	if (more)
		code = -code;
	if (more && code == *last_code)
		n = snprintf(buf, len, " %s\n", text);
	else
		n = snprintf(buf, len, "%04d%c%s\n", code, more ? '-' : ' ', text);
	*last_code = more ? code : 0;
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

void
cli_msg(struct cli *c, int code, const char *fmt, ...)
{
	char text[CLI_MAX_LINE], line[CLI_MAX_LINE + 16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	size_t n = cli_encode_line(line, sizeof line, code, &c->last_code, text);
	evbuffer_add(c->out, line, n);
}

/* ---- tokens ------------------------------------------------------------ */

/* Split a request into words, numbers and quoted strings, in place. */
int
cli_tokenize(char *line, struct cli_tok *toks, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (n >= max - 1) {
			toks[n].type = TOK_END;
			toks[n].s = "";
			return -1;
		}
		if (!*p)
			break;
		if (*p == '"') {
			char *start = ++p, *o = p;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p++;
			}
			if (*p != '"')
				return -2;	/* unterminated string */
			p++;
			*o = 0;
			toks[n].type = TOK_TEXT;
			toks[n].s = start;
		} else {
			char *start = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = 0;
			toks[n].s = start;
			toks[n].type = TOK_WORD;
			char *e;
			errno = 0;
			unsigned long v = strtoul(start, &e, 10);
			if (*start >= '0' && *start <= '9' && !*e && !errno && v <= 0xffffffffUL)
				toks[n].type = TOK_NUM;
		}
		n++;
	}
	toks[n].type = TOK_END;
	toks[n].s = "";
	return n;
}

/* The token's name as BIRD's parser names it in syntax errors. */
const char *
cli_tok_name(const struct cli_tok *t)
{
	static char kw[64];

	switch (t->type) {
	case TOK_END:
		return "END";
	case TOK_NUM:
		return "NUM";
	case TOK_TEXT:
		return "TEXT";
	case TOK_WORD:
		break;
	}
	/* A keyword of the command language is named in capitals. */
	size_t len = strlen(t->s), wl;
	for (int i = 0; i < CMD__COUNT; i++) {
		const char *w;
		for (int j = 0; (w = cmd_word(cmd_table[i].words, j, &wl)); j++) {
			if (wl != len || strncmp(w, t->s, len) || len >= sizeof kw)
				continue;
			for (size_t k = 0; k < len; k++)
				kw[k] = (char)(t->s[k] >= 'a' && t->s[k] <= 'z' ? t->s[k] - 32 : t->s[k]);
			kw[len] = 0;
			return kw;
		}
	}
	return "CF_SYM_UNDEFINED";
}

void
cli_syntax_error(struct cli *c, const struct cli_tok *t, const char *expecting)
{
	cli_msg(c, 9001, "syntax error, unexpected %s%s%s", cli_tok_name(t),
		expecting ? ", expecting " : "", expecting ? expecting : "");
}

/* ---- dispatch ---------------------------------------------------------- */

/* How many leading tokens spell the command's words exactly. */
static int
match_words(const char *words, const struct cli_tok *toks)
{
	const char *w;
	size_t wl;
	int k;

	for (k = 0; (w = cmd_word(words, k, &wl)); k++) {
		if (toks[k].type != TOK_WORD && toks[k].type != TOK_NUM)
			return -1;
		if (strlen(toks[k].s) != wl || strncmp(toks[k].s, w, wl))
			return -1;
	}
	return k;
}

void
cli_run_line(struct cli *c, char *line)
{
	struct cli_tok toks[CLI_MAX_TOKS];
	const struct cmd_def *best = NULL;
	int best_k = 0, n;
	char raw[CLI_MAX_LINE + 1];

	snprintf(raw, sizeof raw, "%s", line);
	n = cli_tokenize(line, toks, CLI_MAX_TOKS);
	if (n == -2) {
		cli_msg(c, 9001, "Unterminated string");
		return;
	}
	if (n == -1) {
		cli_msg(c, 9001, "syntax error, too many arguments");
		return;
	}
	for (int i = 0; i < CMD__COUNT; i++) {
		const struct cmd_def *d = &cmd_table[i];
		int k = match_words(d->words, toks);
		/* a command wins over a help-only row of the same words */
		if (k > best_k || (k > 0 && k == best_k && (best->flags & CMDF_HIDDEN) &&
				   !(d->flags & CMDF_HIDDEN))) {
			best_k = k;
			best = d;
		}
	}
	if (!best) {
		cli_syntax_error(c, &toks[0], NULL);
		return;
	}
	if (best->flags & CMDF_HIDDEN) {
		/* a prefix such as "show": the next token is what is wrong */
		cli_syntax_error(c, &toks[best_k], NULL);
		return;
	}
	if (best->flags & CMDF_CLIENT) {
		/* quit, exit, help: BIRD's server takes them and says nothing */
		if (toks[best_k].type != TOK_END)
			cli_syntax_error(c, &toks[best_k], "END");
		return;
	}
	if (c->restricted && !(best->flags & CMDF_RO)) {
		cli_msg(c, 8007, "Access denied");
		return;
	}
	/* the arguments as typed, for commands that parse them as config
	 * language (eval): skip the keywords, which are plain words */
	const char *r = raw;
	for (int k = 0; k < best_k; k++) {
		r += strspn(r, " \t");
		r += strcspn(r, " \t");
	}
	c->raw_args = r + strspn(r, " \t");
	cli_handler h = cli_handlers[best->id];
	if (!h)
		bug("command %s has no handler", best->words);
	h(c, &toks[best_k]);
}

/* ---- sessions ---------------------------------------------------------- */

static void
cont_end(struct cli *c)
{
	if (c->cont_free)
		c->cont_free(c);
	c->cont = NULL;
	c->cont_free = NULL;
	c->cont_data = NULL;
}

static void
session_free(struct cli *c)
{
	cont_end(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		sessions = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->bev)
		bufferevent_free(c->bev);
	pool_free(c->pool);
	free(c);
}

static bool
output_full(struct cli *c)
{
	return evbuffer_get_length(c->out) > OUT_HIGH;
}

bool
cli_output_full(struct cli *c)
{
	return output_full(c);
}

/* Run complete lines from the input until it is empty or output is full. */
static void
process_input(struct cli *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char line[CLI_MAX_LINE + 1];

	while (!c->closing && !output_full(c) && !c->cont) {
		struct evbuffer_ptr eol = evbuffer_search(in, "\n", 1, NULL);
		size_t avail = evbuffer_get_length(in);

		if (c->discarding) {
			if (eol.pos < 0) {
				evbuffer_drain(in, avail);
				return;
			}
			evbuffer_drain(in, (size_t)eol.pos + 1);
			c->discarding = false;
			continue;
		}
		if (eol.pos < 0) {
			if (avail > CLI_MAX_LINE) {
				cli_msg(c, 9000, "Command too long");
				evbuffer_drain(in, avail);
				c->discarding = true;
			}
			return;
		}
		if ((size_t)eol.pos > CLI_MAX_LINE) {
			cli_msg(c, 9000, "Command too long");
			evbuffer_drain(in, (size_t)eol.pos + 1);
			continue;
		}
		size_t len = (size_t)eol.pos;
		evbuffer_remove(in, line, len + 1);
		line[len] = 0;
		if (len && line[len - 1] == '\r')
			line[--len] = 0;
		if (memchr(line, 0, len)) {
			cli_msg(c, 9001, "syntax error, unexpected NUL");
			continue;
		}
		c->last_code = 0;
		cli_run_line(c, line);
		pool_flush(c->pool);
		if (c->cont)
			break;
		if (c->closing)
			break;
	}
	if (output_full(c) || c->cont) {
		bufferevent_disable(c->bev, EV_READ);
		c->paused = true;
	}
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	process_input(arg);
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	struct cli *c = arg;

	(void)bev;
	if (c->closing && !evbuffer_get_length(c->out)) {
		session_free(c);
		if (drain_done && !sessions)
			drain_finish();
		return;
	}
	if (c->cont) {
		if (!c->cont(c))
			return;		/* more to come when this piece drains */
		cont_end(c);
	}
	if (c->paused) {
		c->paused = false;
		bufferevent_enable(c->bev, EV_READ);
		process_input(c);
	}
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		session_free(arg);
		if (drain_done && !sessions)
			drain_finish();
	}
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	struct cli *c = xzalloc(sizeof *c);

	(void)l, (void)sa, (void)salen, (void)arg;
	c->bev = bufferevent_socket_new(loop_base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		free(c);
		return;
	}
	c->pool = pool_new(MEM_MISC, "cli");
	c->out = bufferevent_get_output(c->bev);
	c->next = sessions;
	if (sessions)
		sessions->prev = c;
	sessions = c;
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	bufferevent_setwatermark(c->bev, EV_WRITE, OUT_LOW, 0);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	cli_msg(c, 1, "%s ready.", cli_version_string());
}

/*
 * Listen on `path`. A socket there that a live daemon answers on is left
 * alone and we refuse to start; a stale one (nobody listening) is replaced.
 */
int
cli_open(const char *path, unsigned mode, void (*on_down)(void))
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	/* every command the server takes must have its handler */
	for (int i = 0; i < CMD__COUNT; i++)
		if (!(cmd_table[i].flags & (CMDF_CLIENT | CMDF_HIDDEN)) && !cli_handlers[i])
			bug("command '%s' has no handler", cmd_table[i].words);
	if (strlen(path) >= sizeof sun.sun_path) {
		log_msg(L_ERR, "Control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
		close(fd);
		log_msg(L_ERR, "Control socket %s is in use by another running daemon", path);
		errno = EADDRINUSE;
		return -2;
	}
	if (errno == ECONNREFUSED)
		unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		int e = errno;
		close(fd);
		log_msg(L_ERR, "Cannot create control socket %s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	chmod(path, mode);
	listener = evconnlistener_new(loop_base, on_accept, NULL,
				      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 64, fd);
	if (!listener) {
		close(fd);
		return -1;
	}
	evutil_make_socket_nonblocking(fd);
	sock_path = xstrdup(path);
	cli_on_down = on_down;
	return 0;
}

void
cli_close(void)
{
	if (listener)
		evconnlistener_free(listener);
	listener = NULL;
	while (sessions)
		session_free(sessions);
	if (sock_path) {
		unlink(sock_path);
		free(sock_path);
		sock_path = NULL;
	}
}

/* Close a session once its output has been written (after `down`). */
void
cli_close_after_write(struct cli *c)
{
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
}

/*
 * At shutdown: stop accepting, stop reading, and let every session write
 * what it has buffered (the reply to `down` among it); `done` runs once all
 * are gone, or after two seconds, whichever comes first.
 */
static struct event *drain_timer;

static void
drain_finish(void)
{
	void (*done)(void) = drain_done;

	drain_done = NULL;
	if (drain_timer) {
		event_free(drain_timer);
		drain_timer = NULL;
	}
	if (done)
		done();
}

static void
drain_timeout(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	drain_finish();
}

void
cli_shutdown(void (*done)(void))
{
	struct timeval tv = { .tv_sec = 2 };

	if (listener)
		evconnlistener_disable(listener);
	drain_done = done;
	for (struct cli *c = sessions, *next; c; c = next) {
		next = c->next;
		if (!evbuffer_get_length(c->out))
			session_free(c);
		else
			cli_close_after_write(c);
	}
	if (!sessions) {
		drain_finish();
		return;
	}
	drain_timer = evtimer_new(loop_base, drain_timeout, NULL);
	evtimer_add(drain_timer, &tv);
}
