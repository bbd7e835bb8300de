/* LINK: core/cmd.c */
/*
 * Unit tests of the command table: abbreviation matching, `?` help rows and
 * completion. The expected help rows are byte for byte what BIRD 2.0.12's
 * birdc prints for the same commands ("%-45s  %s" of "words args", help).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cli.h"

/* ---- helpers ------------------------------------------------------------- */

struct rows {
	int n;
	char text[32][320];
};

static void
collect(const char *row, void *arg)
{
	struct rows *r = arg;

	assert_true(r->n < 32);
	snprintf(r->text[r->n++], sizeof r->text[0], "%s", row);
}

static enum cmd_match
match(const char *line, const struct cmd_def **c, const char **rest, char *ex)
{
	return cmd_match(line, c, rest, ex, 256);
}

static void
expect_rows(const char *line, const char *const *want, int n)
{
	struct rows r = { 0 };

	assert_int_equal(cmd_help_rows(line, collect, &r), n);
	assert_int_equal(r.n, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(r.text[i], want[i]);
}

/* ---- matching ------------------------------------------------------------ */

static void
test_abbrev(void **state)
{
	const struct cmd_def *c;
	const char *rest;
	char ex[256];

	(void)state;
	assert_int_equal(match("sh st", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW_STATUS);
	assert_string_equal(ex, "show status");
	assert_string_equal(rest, "");

	assert_int_equal(match("sh me", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW_MEMORY);
	assert_string_equal(ex, "show memory");

	assert_int_equal(match("  s   m  ", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW_MEMORY);

	assert_int_equal(match("conf", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE);
	assert_string_equal(ex, "configure");

	/* "co" is unique at the top: only configure starts that way */
	assert_int_equal(match("co", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE);

	assert_int_equal(match("s", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW);
	/* "d" is ambiguous now (disable, down), as in birdc */
	assert_int_equal(match("dow", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_DOWN);
	assert_int_equal(match("q", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_QUIT);
	assert_true(c->flags & CMDF_CLIENT);
}

static void
test_args(void **state)
{
	const struct cmd_def *c;
	const char *rest;
	char ex[256];

	(void)state;
	assert_int_equal(match("conf ch", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE_CHECK);
	assert_string_equal(ex, "configure check");

	assert_int_equal(match("conf ch \"/etc/x.conf\"", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE_CHECK);
	assert_string_equal(rest, "\"/etc/x.conf\"");
	assert_string_equal(ex, "configure check \"/etc/x.conf\"");

	assert_int_equal(match("configure \"x.conf\"", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE);
	assert_string_equal(rest, "\"x.conf\"");
	assert_string_equal(ex, "configure \"x.conf\"");

	/* arguments are never expanded, spacing after the keywords is kept */
	assert_int_equal(match("conf  ti 30", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE_TIMEOUT);
	assert_string_equal(rest, "30");
	assert_string_equal(ex, "configure timeout 30");

	/* a word after a complete command is an argument, even a keyword */
	assert_int_equal(match("show status show", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW_STATUS);
	assert_string_equal(rest, "show");

	/* an exact keyword wins over longer ones */
	assert_int_equal(match("configure status", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_CONFIGURE_STATUS);
}

static void
test_ambig_none(void **state)
{
	const struct cmd_def *c;
	const char *rest;
	char ex[256];

	(void)state;
	/* soft and status */
	assert_int_equal(match("conf s", &c, &rest, ex), CMD_MATCH_AMBIG);
	assert_null(c);
	assert_int_equal(match("conf c", &c, &rest, ex), CMD_MATCH_AMBIG);
	assert_int_equal(match("foo", &c, &rest, ex), CMD_MATCH_NONE);
	assert_int_equal(match("", &c, &rest, ex), CMD_MATCH_NONE);
	assert_int_equal(match("SHOW STATUS", &c, &rest, ex), CMD_MATCH_NONE);
	assert_int_equal(match("showx", &c, &rest, ex), CMD_MATCH_NONE);
}

/* "show" alone reaches the hidden help row. birdc answers such a line
 * itself with "No such command. Press `?' for help." (its help rows are
 * no commands); birchc does the same when it sees CMDF_HIDDEN, and the
 * daemon answers it with a 9001 syntax error. */
static void
test_hidden(void **state)
{
	const struct cmd_def *c;
	const char *rest;
	char ex[256];

	(void)state;
	assert_int_equal(match("show", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW);
	assert_true(c->flags & CMDF_HIDDEN);
	assert_int_equal(match("sh foo", &c, &rest, ex), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW);
	assert_string_equal(rest, "foo");
}

static void
test_short_buffer(void **state)
{
	const struct cmd_def *c;
	const char *rest;
	char ex[8];

	(void)state;
	assert_int_equal(cmd_match("sh st", &c, &rest, ex, sizeof ex), CMD_MATCH_OK);
	assert_string_equal(ex, "show st");
	assert_int_equal(cmd_match("sh st", &c, &rest, NULL, 0), CMD_MATCH_OK);
	assert_int_equal(c->id, CMD_SHOW_STATUS);
}

/* ---- help rows ----------------------------------------------------------- */

static void
test_help_top(void **state)
{
	static const char *const want[] = {
		"quit                                           Quit the client",
		"exit                                           Exit the client",
		"help                                           Description of the help system",
		"show ...                                       Show status information",
		"eval <expr>                                    Evaluate an expression",
		"restrict                                       Restrict current CLI session to safe commands",
		"configure ...                                  Reload configuration",
		"enable <protocol> | \"<pattern>\" | all          Enable protocol",
		"disable <protocol> | \"<pattern>\" | all         Disable protocol",
		"restart <protocol> | \"<pattern>\" | all         Restart protocol",
		"reload <protocol> | \"<pattern>\" | all          Reload protocol",
		"down                                           Shut the daemon down",
	};

	(void)state;
	expect_rows("", want, 12);
	/* birdc adds the `?' to the line: an unknown word lists from where
	 * matching stopped */
	expect_rows("co?", want, 12);
}

static void
test_help_show(void **state)
{
	static const char *const want[] = {
		"show status                                    Show router status",
		"show protocols [<protocol> | \"<pattern>\"]      Show routing protocols",
		"show interfaces                                Show network interfaces",
		"show route [<prefix>|for <prefix>|for <ip>] [table <t>] [filter <f>|where <cond>] [all] [primary] [filtered] [(export|preexport|noexport) <p>] [protocol <p>] [stats|count]  Show routing table",
		"show symbols [table|filter|function|protocol|template|<symbol>]  Show all known symbolic names",
		"show memory                                    Show memory usage",
	};

	(void)state;
	expect_rows("show", want, 6);
	expect_rows("sh ", want, 6);
	expect_rows("show ?", want, 6);
	expect_rows("sh st?", want, 6);
	/* a complete command lists itself */
	expect_rows("show status ?", want, 1);
}

static void
test_help_conf(void **state)
{
	static const char *const want[] = {
		"configure [\"<file>\"] [timeout [<sec>]]         Reload configuration",
		"configure soft [\"<file>\"] [timeout [<sec>]]    Reload configuration and ignore changes in filters",
		"configure timeout [<sec>]                      Reload configuration with undo timeout",
		"configure confirm                              Confirm last configuration change - deactivate undo timeout",
		"configure undo                                 Undo last configuration change",
		"configure status                               Show configuration status",
		"configure check [\"<file>\"]                     Parse configuration and check its validity",
	};
	const char *const amb[] = { want[1], want[5] };

	(void)state;
	expect_rows("conf", want, 7);
	expect_rows("configure ?", want, 7);
	/* the ambiguous word lists what it could stand for */
	expect_rows("conf s", amb, 2);
}

/* ---- completion ---------------------------------------------------------- */

struct words {
	int n;
	char w[16][32];
};

static void
collect_word(const char *word, void *arg)
{
	struct words *ws = arg;

	assert_true(ws->n < 16);
	snprintf(ws->w[ws->n++], sizeof ws->w[0], "%s", word);
}

static void
test_complete(void **state)
{
	char ext[64];
	struct words ws = { 0 };

	(void)state;
	assert_int_equal(cmd_complete("sh", ext, sizeof ext, collect_word, &ws), 1);
	assert_string_equal(ext, "ow");		/* "sh" -> "show" */
	assert_int_equal(ws.n, 1);
	assert_string_equal(ws.w[0], "show");

	assert_int_equal(cmd_complete("show st", ext, sizeof ext, NULL, NULL), 1);
	assert_string_equal(ext, "atus");	/* -> "show status" */

	assert_int_equal(cmd_complete("sh me", ext, sizeof ext, NULL, NULL), 1);
	assert_string_equal(ext, "mory");

	/* several candidates: their common extension */
	ws.n = 0;
	assert_int_equal(cmd_complete("configure co", ext, sizeof ext, collect_word, &ws), 1);
	assert_string_equal(ext, "nfirm");
	assert_int_equal(cmd_complete("configure s", ext, sizeof ext, collect_word, &ws), 2);
	assert_string_equal(ext, "");
	assert_int_equal(cmd_complete("conf c", ext, sizeof ext, NULL, NULL), 2);
	assert_string_equal(ext, "");
	assert_int_equal(cmd_complete("configure st", ext, sizeof ext, NULL, NULL), 1);
	assert_string_equal(ext, "atus");

	/* every keyword after "show " */
	ws.n = 0;
	assert_int_equal(cmd_complete("show ", ext, sizeof ext, collect_word, &ws), 6);
	assert_string_equal(ws.w[0], "status");
	assert_string_equal(ws.w[2], "interfaces");
	assert_string_equal(ws.w[5], "memory");

	/* a whole keyword is its own single candidate */
	assert_int_equal(cmd_complete("down", ext, sizeof ext, NULL, NULL), 1);
	assert_string_equal(ext, "");

	/* nothing to complete: unknown word, arguments, ambiguous context */
	assert_int_equal(cmd_complete("x", ext, sizeof ext, NULL, NULL), 0);
	assert_int_equal(cmd_complete("show status x", ext, sizeof ext, NULL, NULL), 0);
	assert_int_equal(cmd_complete("foo show", ext, sizeof ext, NULL, NULL), 0);
	assert_int_equal(cmd_complete("conf s x", ext, sizeof ext, NULL, NULL), -1);
}

/* Every entry is indexed by its id and has words and help. */
static void
test_table(void **state)
{
	(void)state;
	for (int i = 0; i < CMD__COUNT; i++) {
		assert_int_equal(cmd_table[i].id, i);
		assert_non_null(cmd_table[i].words);
		assert_true(cmd_table[i].words[0] != 0);
		assert_non_null(cmd_table[i].help);
	}
	assert_string_equal(cmd_table[CMD_SHOW_STATUS].words, "show status");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_abbrev),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_ambig_none),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_help_top),
		cmocka_unit_test(test_help_show),
		cmocka_unit_test(test_help_conf),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
