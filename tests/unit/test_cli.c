/* LINK: core/cli.c core/cmd.c core/mem.c */
/*
 * The control socket's reply encoder, tokenizer and dispatcher, with the
 * command handlers replaced by stubs that record what they were given.
 * Expected lines are BIRD 2.0.12's (captured with `birdc -v` and a raw
 * socket client against a real BIRD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/buffer.h>

#include "core/cli_int.h"
#include "core/log.h"
#include "core/loop.h"

/* ---- stubs of what cli.c uses from elsewhere ---- */
struct event_base *loop_base;
void log_msg(enum log_class cls, const char *fmt, ...) { (void)cls, (void)fmt; }
_Noreturn void log_bug(const char *file, int line, const char *fmt, ...)
{
	(void)file, (void)line, (void)fmt;
	fail_msg("bug() called");
	abort();
}
const char *cli_version_string(void) { return "Birch test"; }

static char last_args[256];
static int last_cmd = -1;

static void
record(struct cli *c, const struct cli_tok *a, int id)
{
	last_cmd = id;
	last_args[0] = 0;
	for (; a->type != TOK_END; a++) {
		strcat(last_args, a->type == TOK_TEXT ? "T:" : a->type == TOK_NUM ? "N:" : "W:");
		strcat(last_args, a->s);
		strcat(last_args, ",");
	}
	cli_msg(c, 0, "ok");
}

#define STUB(id) static void stub_##id(struct cli *c, const struct cli_tok *a) { record(c, a, CMD_##id); }
STUB(SHOW_STATUS) STUB(SHOW_MEMORY) STUB(CONFIGURE) STUB(CONFIGURE_SOFT) STUB(CONFIGURE_TIMEOUT)
STUB(CONFIGURE_CONFIRM) STUB(CONFIGURE_UNDO) STUB(CONFIGURE_STATUS) STUB(CONFIGURE_CHECK)
STUB(RESTRICT) STUB(DOWN)

const cli_handler cli_handlers[CMD__COUNT] = {
	[CMD_SHOW_STATUS] = stub_SHOW_STATUS, [CMD_SHOW_MEMORY] = stub_SHOW_MEMORY,
	[CMD_CONFIGURE] = stub_CONFIGURE, [CMD_CONFIGURE_SOFT] = stub_CONFIGURE_SOFT,
	[CMD_CONFIGURE_TIMEOUT] = stub_CONFIGURE_TIMEOUT, [CMD_CONFIGURE_CONFIRM] = stub_CONFIGURE_CONFIRM,
	[CMD_CONFIGURE_UNDO] = stub_CONFIGURE_UNDO, [CMD_CONFIGURE_STATUS] = stub_CONFIGURE_STATUS,
	[CMD_CONFIGURE_CHECK] = stub_CONFIGURE_CHECK, [CMD_RESTRICT] = stub_RESTRICT, [CMD_DOWN] = stub_DOWN,
};

static struct cli *
session(void)
{
	struct cli *c = calloc(1, sizeof *c);
	c->out = evbuffer_new();
	return c;
}

static char *
drain(struct cli *c)
{
	static char buf[8192];
	size_t n = evbuffer_get_length(c->out);
	assert_true(n < sizeof buf);
	evbuffer_remove(c->out, buf, n);
	buf[n] = 0;
	return buf;
}

static void
run(struct cli *c, const char *line)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", line);
	last_cmd = -1;
	c->last_code = 0;
	cli_run_line(c, tmp);
}

/* show status as BIRD prints it: first line of a code "NNNN-", further
 * lines of the same code " text", the last "NNNN text". */
static void
test_encode(void **st)
{
	char buf[128];
	int last = 0;
	(void)st;
	cli_encode_line(buf, sizeof buf, -1000, &last, "BIRD 2.0.12");
	assert_string_equal(buf, "1000-BIRD 2.0.12\n");
	cli_encode_line(buf, sizeof buf, -1011, &last, "Router ID is 1.1.1.1");
	assert_string_equal(buf, "1011-Router ID is 1.1.1.1\n");
	cli_encode_line(buf, sizeof buf, -1011, &last, "Hostname is vm");
	assert_string_equal(buf, " Hostname is vm\n");
	cli_encode_line(buf, sizeof buf, 13, &last, "Daemon is up and running");
	assert_string_equal(buf, "0013 Daemon is up and running\n");
	assert_int_equal(last, 0);
	/* a table ends with "0000 " (trailing space) */
	cli_encode_line(buf, sizeof buf, 0, &last, "");
	assert_string_equal(buf, "0000 \n");
	/* a final line never continues, even with the previous code */
	last = 0;
	cli_encode_line(buf, sizeof buf, -8002, &last, "a");
	cli_encode_line(buf, sizeof buf, 8002, &last, "b");
	assert_string_equal(buf, "8002 b\n");
	/* truncation keeps the buffer terminated */
	cli_encode_line(buf, 8, 1, &last, "a long line of text");
	assert_int_equal(strlen(buf), 7);
}

static void
test_tokenize(void **st)
{
	struct cli_tok t[CLI_MAX_TOKS];
	char l1[] = "configure soft \"/etc/a b.conf\" timeout 30";
	char l2[] = "show \"unterminated";
	char l3[] = "  \t ";
	char l4[] = "x 4294967296 4294967295 \"q\\\"x\"";
	(void)st;
	assert_int_equal(cli_tokenize(l1, t, CLI_MAX_TOKS), 5);
	assert_int_equal(t[2].type, TOK_TEXT);
	assert_string_equal(t[2].s, "/etc/a b.conf");
	assert_int_equal(t[3].type, TOK_WORD);
	assert_int_equal(t[4].type, TOK_NUM);
	assert_int_equal(t[5].type, TOK_END);
	assert_int_equal(cli_tokenize(l2, t, CLI_MAX_TOKS), -2);
	assert_int_equal(cli_tokenize(l3, t, CLI_MAX_TOKS), 0);
	assert_int_equal(cli_tokenize(l4, t, CLI_MAX_TOKS), 4);
	assert_int_equal(t[1].type, TOK_WORD);	/* too big for a NUM */
	assert_int_equal(t[2].type, TOK_NUM);
	assert_string_equal(t[3].s, "q\"x");
	char many[CLI_MAX_TOKS * 2 + 8];
	memset(many, 0, sizeof many);
	for (int i = 0; i < CLI_MAX_TOKS; i++)
		strcat(many, "a ");
	assert_int_equal(cli_tokenize(many, t, CLI_MAX_TOKS), -1);
}

static void
test_dispatch(void **st)
{
	struct cli *c = session();
	(void)st;
	run(c, "show status");
	assert_int_equal(last_cmd, CMD_SHOW_STATUS);
	assert_string_equal(drain(c), "0000 ok\n");
	run(c, "configure soft \"x.conf\" timeout 5");
	assert_int_equal(last_cmd, CMD_CONFIGURE_SOFT);
	assert_string_equal(last_args, "T:x.conf,W:timeout,N:5,");
	drain(c);
	run(c, "configure \"x.conf\"");
	assert_int_equal(last_cmd, CMD_CONFIGURE);
	drain(c);
	run(c, "configure timeout");
	assert_int_equal(last_cmd, CMD_CONFIGURE_TIMEOUT);
	drain(c);
	run(c, "CONFIGURE CHECK");		/* keywords are case-sensitive, as BIRD's */
	assert_int_equal(last_cmd, -1);
	assert_string_equal(drain(c), "9001 syntax error, unexpected CF_SYM_UNDEFINED\n");
	/* BIRD's server takes no abbreviations; the client expands them */
	run(c, "sh st");
	assert_int_equal(last_cmd, -1);
	assert_string_equal(drain(c), "9001 syntax error, unexpected CF_SYM_UNDEFINED\n");
	run(c, "show");
	assert_string_equal(drain(c), "9001 syntax error, unexpected END\n");
	run(c, "show foo");
	assert_string_equal(drain(c), "9001 syntax error, unexpected CF_SYM_UNDEFINED\n");
	run(c, "quit");		/* client-side command: BIRD's server says nothing */
	assert_int_equal(last_cmd, -1);
	assert_string_equal(drain(c), "");
	run(c, "help 5");
	assert_string_equal(drain(c), "9001 syntax error, unexpected NUM, expecting END\n");
	run(c, "show quit");
	assert_string_equal(drain(c), "9001 syntax error, unexpected QUIT\n");
	run(c, "");
	assert_string_equal(drain(c), "9001 syntax error, unexpected END\n");
	run(c, "show \"x");
	assert_string_equal(drain(c), "9001 Unterminated string\n");
	evbuffer_free(c->out);
	free(c);
}

static void
test_restricted(void **st)
{
	struct cli *c = session();
	(void)st;
	c->restricted = true;
	run(c, "down");
	assert_int_equal(last_cmd, -1);
	assert_string_equal(drain(c), "8007 Access denied\n");
	run(c, "configure");
	assert_string_equal(drain(c), "8007 Access denied\n");
	run(c, "configure check");
	assert_int_equal(last_cmd, CMD_CONFIGURE_CHECK);
	drain(c);
	run(c, "show memory");
	assert_int_equal(last_cmd, CMD_SHOW_MEMORY);
	drain(c);
	evbuffer_free(c->out);
	free(c);
}

static void
test_token_names(void **st)
{
	struct cli_tok t = { TOK_WORD, "check" };
	(void)st;
	assert_string_equal(cli_tok_name(&t), "CHECK");
	t.s = "zzz";
	assert_string_equal(cli_tok_name(&t), "CF_SYM_UNDEFINED");
	t.type = TOK_END;
	assert_string_equal(cli_tok_name(&t), "END");
	t.type = TOK_TEXT;
	assert_string_equal(cli_tok_name(&t), "TEXT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_token_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
