/*
 * birchc: the command-line client of the Birch daemon, a stand-in for
 * BIRD's birdc.
 *
 * It connects to the control socket, prints the daemon's greeting and then
 * runs one command given as arguments, commands read from a pipe line by
 * line, or an interactive libedit session. Each typed line is matched
 * against the command table (core/cmd.c): keywords may be abbreviated and
 * are sent spelled out, arguments go as typed; client commands (quit,
 * exit, help) never leave the client. Replies are read until their last
 * line ("NNNN text") and printed as birdc prints them: codes stripped (kept
 * with -v), 0000 lines silent.
 *
 * Only libc, libedit and core/cmd.c are linked: the client must build and
 * run whatever state the daemon's sources are in.
 */
#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <wchar.h>

#include "core/cli.h"

#define DEFAULT_SOCKET	"/run/birch/birch.ctl"
#define PROMPT		"birch> "
#define HISTORY_FILE	".birchc_history"
#define HISTORY_SIZE	1000

static int sock = -1;		/* connection to the daemon */
static int verbose;		/* -v: print the numbered lines as they come */
static int last_code;		/* code of the last reply's final line */

/* Bytes received and not yet printed; lines may be of any length. */
static char *rbuf;
static size_t rlen, rcap;

static EditLine *el;		/* interactive session only */
static History *hist;
static char *hist_path;

static void
die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	if (el)			/* leave the edited line first */
		fputc('\n', stdout);
	fflush(stdout);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
usage(const char *prog)
{
	fprintf(stderr, "Usage: %s [-s <control-socket>] [-v] [-r] [-l] [<command>...]\n", prog);
	exit(1);
}

/* ---- the connection ------------------------------------------------------ */

static void
server_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof sa.sun_path)
		die("Unable to connect to server control socket (%s): path too long", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		die("Cannot create socket: %s", strerror(errno));
	if (connect(sock, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("Unable to connect to server control socket (%s): %s", path, strerror(errno));
}

static void
server_send(const char *cmd)
{
	size_t len = strlen(cmd);
	char *line = malloc(len + 2);

	if (!line)
		die("Out of memory");
	memcpy(line, cmd, len);
	line[len++] = '\n';
	for (size_t off = 0; off < len;) {
		ssize_t n = send(sock, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("Server write error: %s", strerror(errno));
		off += (size_t)n;
	}
	free(line);
}

/* Read what the daemon has sent into rbuf; the daemon going away ends the
 * client, as it does birdc. */
static void
server_read(void)
{
	if (rcap - rlen < 4096) {
		rcap = rcap ? rcap * 2 : 16384;
		rbuf = realloc(rbuf, rcap);
		if (!rbuf)
			die("Out of memory");
	}
	for (;;) {
		ssize_t n = read(sock, rbuf + rlen, rcap - rlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("Server read error: %s", strerror(errno));
		if (n == 0)
			die("Connection closed by server");
		rlen += (size_t)n;
		return;
	}
}

/*
 * Print one received line the way birdc does. Returns 1 when it is the
 * last line of a reply (its code then in last_code).
 */
static int
print_line(const char *x)
{
	size_t len = strlen(x);
	int code = 0;

	if (x[0] == '+') {			/* asynchronous message */
		printf(">>> %s\n", x + 1);
		return 0;
	}
	if (x[0] == ' ') {			/* continuation */
		printf("%s%s\n", verbose ? "     " : "", x + 1);
		return 0;
	}
	if (len > 4 && (x[4] == ' ' || x[4] == '-') &&
	    x[0] >= '0' && x[0] <= '9' && x[1] >= '0' && x[1] <= '9' &&
	    x[2] >= '0' && x[2] <= '9' && x[3] >= '0' && x[3] <= '9') {
		code = (x[0] - '0') * 1000 + (x[1] - '0') * 100 + (x[2] - '0') * 10 + (x[3] - '0');
		if (code)			/* 0000 closes a reply silently */
			printf("%s\n", verbose ? x : x + 5);
		if (x[4] == ' ') {
			last_code = code;
			return 1;
		}
		return 0;
	}
	printf("??? <%s>\n", x);
	return 0;
}

/*
 * Print the complete lines in rbuf. With `until_end`, stop after the last
 * line of a reply and return 1; otherwise print whatever is there.
 */
static int
print_pending(int until_end)
{
	size_t off = 0;
	int done = 0;

	while (!done) {
		char *nl = memchr(rbuf + off, '\n', rlen - off);
		if (!nl)
			break;
		*nl = 0;
		if (nl > rbuf + off && nl[-1] == '\r')
			nl[-1] = 0;
		done = print_line(rbuf + off) && until_end;
		off = (size_t)(nl - rbuf) + 1;
	}
	memmove(rbuf, rbuf + off, rlen - off);
	rlen -= off;
	return done;
}

/* Print one whole reply; flush whenever we would wait, so a pipe reader
 * sees lines as they come. Returns the final code. */
static int
read_reply(void)
{
	while (!rlen || !print_pending(1)) {
		fflush(stdout);
		server_read();
	}
	fflush(stdout);
	return last_code;
}

/* ---- commands ------------------------------------------------------------ */

static void
print_row(const char *row, void *arg)
{
	(void)arg;
	printf("%s\n", row);
}

/*
 * Run one typed line: expand it, handle client commands, or send it and
 * print the reply. Returns 0 on success, 1 when the line was refused or
 * the reply is an error (8xxx, 9xxx).
 */
static int
run_line(const char *line)
{
	const struct cmd_def *c;
	const char *rest;
	size_t exlen = strlen(line) + 256;
	char *ex = malloc(exlen);
	int rc = 0;

	if (!ex)
		die("Out of memory");
	switch (cmd_match(line, &c, &rest, ex, exlen)) {
	case CMD_MATCH_AMBIG:
		puts("Ambiguous command, possible expansions are:");
		cmd_help_rows(line, print_row, NULL);
		rc = 1;
		break;
	case CMD_MATCH_NONE:
		puts("No such command. Press `?' for help.");
		rc = 1;
		break;
	case CMD_MATCH_OK:
		/* A help-only row ("show") is no command: birdc says so
		 * itself rather than asking the daemon. */
		if (c->flags & CMDF_HIDDEN) {
			puts("No such command. Press `?' for help.");
			rc = 1;
		} else if (c->flags & CMDF_CLIENT) {
			if (c->id == CMD_QUIT || c->id == CMD_EXIT) {
				free(ex);
				fflush(stdout);
				exit(0);
			}
			if (c->id == CMD_HELP)
				puts("Press `?' for context sensitive help.");
		} else {
			server_send(ex);
			rc = read_reply() >= 8000;
		}
		break;
	}
	free(ex);
	fflush(stdout);
	return rc;
}

/* ---- the interactive session --------------------------------------------- */

static const char *
prompt(EditLine *e)
{
	(void)e;
	return PROMPT;
}

/* Read a key for libedit, printing what the daemon says meanwhile and
 * leaving at once if it goes away. */
static int
edit_getc(EditLine *e, wchar_t *wc)
{
	mbstate_t st;

	(void)e;
	memset(&st, 0, sizeof st);
	for (;;) {
		struct pollfd p[2] = { { .fd = 0, .events = POLLIN }, { .fd = sock, .events = POLLIN } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents) {
			server_read();
			if (memchr(rbuf, '\n', rlen)) {
				fputc('\n', stdout);
				print_pending(0);
				fflush(stdout);
			}
		}
		if (!p[0].revents)
			continue;
		char ch;
		ssize_t n = read(0, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		size_t k = mbrtowc(wc, &ch, 1, &st);
		if (k == (size_t)-2)
			continue;
		if (k == (size_t)-1)
			*wc = (unsigned char)ch;
		return 1;
	}
}

/* The line up to the cursor, as a string the caller frees. */
static char *
line_to_cursor(EditLine *e, size_t extra)
{
	const LineInfo *li = el_line(e);
	size_t len = (size_t)(li->cursor - li->buffer);
	char *s = malloc(len + extra + 1);

	if (!s)
		die("Out of memory");
	memcpy(s, li->buffer, len);
	s[len] = 0;
	return s;
}

/* `?`: list the help rows for what stands before the cursor, like birdc
 * (which adds the `?` to the line first), and keep the line. Inside a
 * string or brackets `?` is just a character. */
static unsigned char
key_help(EditLine *e, int ch)
{
	const LineInfo *li = el_line(e);
	int in_string = 0, in_bracket = 0;

	(void)ch;
	for (const char *p = li->buffer; p < li->cursor; p++) {
		if (*p == '"')
			in_string = !in_string;
		else if (!in_string && *p == '[')
			in_bracket++;
		else if (!in_string && *p == ']')
			in_bracket--;
	}
	if (in_string || in_bracket) {
		el_insertstr(e, "?");
		return CC_REFRESH;
	}
	int at_end = li->cursor == li->lastchar;
	char *s = line_to_cursor(e, 1);
	strcat(s, "?");
	fputs(at_end ? "?\n" : "\n", stdout);
	cmd_help_rows(s, print_row, NULL);
	fflush(stdout);
	free(s);
	return CC_REDISPLAY;
}

/* Tab: complete the keyword before the cursor; a second Tab where nothing
 * can be added lists the candidates. */
static unsigned char
key_complete(EditLine *e, int ch)
{
	static char *failed;		/* line of the last Tab that did nothing */
	char ext[256];
	char *s = line_to_cursor(e, 0);
	int n = cmd_complete(s, ext, sizeof ext - 1, NULL, NULL);

	(void)ch;
	if (n == 1) {
		strcat(ext, " ");
		el_insertstr(e, ext);
	} else if (n > 1 && ext[0]) {
		el_insertstr(e, ext);
	} else if (n != 0 && failed && !strcmp(failed, s)) {
		fputc('\n', stdout);
		cmd_help_rows(s, print_row, NULL);
		fflush(stdout);
		free(failed);
		failed = NULL;
		free(s);
		return CC_REDISPLAY;
	} else {
		free(failed);
		failed = s;
		return CC_REFRESH_BEEP;
	}
	free(failed);
	failed = NULL;
	free(s);
	return CC_REFRESH;
}

static void
edit_cleanup(void)
{
	HistEvent ev;

	if (hist && hist_path)
		history(hist, &ev, H_SAVE, hist_path);
	if (el)
		el_end(el);
	el = NULL;
}

static void
interactive(const char *prog)
{
	HistEvent ev;
	const char *home = getenv("HOME");

	hist = history_init();
	history(hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(hist, &ev, H_SETUNIQUE, 1);
	if (home && *home && asprintf(&hist_path, "%s/%s", home, HISTORY_FILE) > 0)
		history(hist, &ev, H_LOAD, hist_path);

	el = el_init(prog, stdin, stdout, stderr);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_SIGNAL, 1);
	el_set(el, EL_GETCFN, edit_getc);
	el_set(el, EL_ADDFN, "birch-help", "List commands that can follow", key_help);
	el_set(el, EL_ADDFN, "birch-complete", "Complete a command keyword", key_complete);
	el_set(el, EL_BIND, "?", "birch-help", NULL);
	el_set(el, EL_BIND, "^I", "birch-complete", NULL);
	el_source(el, NULL);
	atexit(edit_cleanup);

	for (;;) {
		int n;
		const char *got = el_gets(el, &n);
		if (!got || n <= 0) {
			/* EOF (^D on an empty line) leaves like quit */
			fputc('\n', stdout);
			exit(0);
		}
		char *line = strdup(got);
		if (!line)
			die("Out of memory");
		line[strcspn(line, "\n")] = 0;
		if (line[0]) {
			history(hist, &ev, H_ENTER, line);
			run_line(line);
		}
		free(line);
	}
}

/* Commands from a pipe or file, one a line; replies printed, no prompts. */
static void
batch(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		if (line[0])
			run_line(line);
	}
	free(line);
}

int
main(int argc, char **argv)
{
	const char *path = DEFAULT_SOCKET, *prog = "birchc";
	int restricted = 0, local = 0, path_set = 0, opt;

	if (argv[0] && argv[0][0]) {
		const char *slash = strrchr(argv[0], '/');
		prog = slash ? slash + 1 : argv[0];
	}
	while ((opt = getopt(argc, argv, "s:vrl")) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			path_set = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'r':
			restricted = 1;
			break;
		case 'l':
			local = 1;
			break;
		default:
			usage(prog);
		}
	}
	if (local && !path_set)
		path = "birch.ctl";
	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);

	server_connect(path);
	read_reply();				/* the 0001 greeting */
	if (restricted) {
		server_send("restrict");
		read_reply();
	}

	if (optind < argc) {
		/* One command from the arguments, joined by spaces. */
		size_t len = 1;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		char *cmd = calloc(1, len);
		if (!cmd)
			die("Out of memory");
		for (int i = optind; i < argc; i++) {
			if (i > optind)
				strcat(cmd, " ");
			strcat(cmd, argv[i]);
		}
		int rc = run_line(cmd);
		free(cmd);
		return rc;
	}
	if (isatty(0))
		interactive(prog);
	else
		batch();
	return 0;
}
