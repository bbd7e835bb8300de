/*
 * Handlers of the daemon-wide CLI commands: show status, show memory, the
 * configure family, restrict and down. Their replies follow BIRD 2's text
 * and codes line for line (checked against BIRD 2.0.12).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/channel.h"
#include "core/cli_int.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "vm/vm.h"

#define UNDO_DEFAULT 300	/* seconds, as BIRD's `configure timeout` */

struct daemon_info daemon_info;

const char *
cli_version_string(void)
{
	return "Birch " BIRCH_VERSION;
}

/* The arguments must end here; otherwise BIRD's error naming what
 * could have come instead (`expecting`, e.g. "END or TEXT"). */
static bool
args_end(struct cli *c, const struct cli_tok *a, const char *expecting)
{
	if (a->type == TOK_END)
		return true;
	cli_syntax_error(c, a, expecting);
	return false;
}

static bool
no_more_args(struct cli *c, const struct cli_tok *a)
{
	return args_end(c, a, "END");
}

static void
fmt_time(char *buf, size_t len, int64_t t)
{
	tm_format_time(buf, len, config ? &config->tf[TF_BASE] : &(struct tm_format){ "%F %T.%3f", NULL, 0 }, t);
}

static void
cmd_show_status(struct cli *c, const struct cli_tok *a)
{
	char now[64], boot[64], conf[64], host[256];
	uint32_t r = config ? config->router_id : 0;

	if (!no_more_args(c, a))
		return;
	if (config && config->hostname)
		snprintf(host, sizeof host, "%s", config->hostname);
	else if (gethostname(host, sizeof host) < 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = 0;
	fmt_time(now, sizeof now, real_us());
	fmt_time(boot, sizeof boot, daemon_info.boot_time);
	fmt_time(conf, sizeof conf, config ? config->load_time : 0);
	cli_msg(c, -1000, "%s (BIRD 2.0.12 compatible)", cli_version_string());
	cli_msg(c, -1011, "Router ID is %u.%u.%u.%u", r >> 24, (r >> 16) & 255, (r >> 8) & 255, r & 255);
	cli_msg(c, -1011, "Hostname is %s", host);
	cli_msg(c, -1011, "Current server time is %s", now);
	cli_msg(c, -1011, "Last reboot on %s", boot);
	cli_msg(c, -1011, "Last reconfiguration on %s", conf);
	if (daemon_info.gr_recovery)
		cli_msg(c, -24, "Graceful restart recovery in progress");
	if (daemon_info.shutting_down)
		cli_msg(c, 13, "Shutdown in progress");
	else
		cli_msg(c, 13, "Daemon is up and running");
}

/* BIRD prints sizes as "%7.1f %2s": bytes until 10000, then kB, MB, ... */
static void
cli_format_size(char *buf, size_t len, size_t bytes)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 10000 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%7.1f %2s", v, unit[u]);
}

static void
cmd_show_memory(struct cli *c, const struct cli_tok *a)
{
	static const enum mem_class rows[] = { MEM_TABLES, MEM_ATTRS, MEM_PROTOS, MEM_CONFIG, MEM_STANDBY };
	struct mem_usage u, total = { 0, 0 };
	char e[32], o[32], name[32];

	if (!no_more_args(c, a))
		return;
	for (int i = 0; i < MEM_CLASSES; i++) {
		mem_usage((enum mem_class)i, &u);
		total.effective += u.effective;
		total.overhead += u.overhead;
	}
	cli_msg(c, -1018, "BIRD memory usage");
	cli_msg(c, -1018, "%-17s %9s    %8s", "", "Effective", "Overhead");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		mem_usage(rows[i], &u);
		snprintf(name, sizeof name, "%s:", mem_class_name(rows[i]));
		cli_format_size(e, sizeof e, u.effective);
		cli_format_size(o, sizeof o, u.overhead);
		cli_msg(c, -1018, "%-17s%s %s", name, e, o);
	}
	cli_format_size(e, sizeof e, total.effective);
	cli_format_size(o, sizeof o, total.overhead);
	cli_msg(c, -1018, "%-17s%s %s", "Total:", e, o);
	cli_msg(c, 0, "%s", "");
}

/* Parse the new config; on errors reply 8002 with each and return NULL. */
static struct config *
read_config(struct cli *c, const char *file)
{
	struct cf_error *errs = NULL, *e;
	struct config *nc;
	char buf[1024];

	cli_msg(c, -2, "Reading configuration from %s", file);
	nc = cf_parse_file(file, daemon_info.parse_flags, &errs);
	if (nc)
		return nc;
	for (e = errs; e; e = e->next) {
		cf_error_format(e, buf, sizeof buf, 1);
		cli_msg(c, e->next ? -8002 : 8002, "%s", buf);
	}
	if (!errs)
		cli_msg(c, 8002, "%s: unknown error", file);
	cf_errors_free(errs);
	return NULL;
}

/*
 * configure [soft] ["file"] [timeout [N]], and configure timeout [N]. The
 * `expecting` lists at each point are those of BIRD 2's parser (a plain
 * `configure` followed by something else lists none: too many choices).
 */
static bool
parse_configure_args(struct cli *c, const struct cli_tok *a, const char **file,
		     int *timeout, bool soft, bool after_timeout)
{
	static const char expr[] = "END or NUM or CF_SYM_KNOWN or '('";

	*file = config ? config->file : daemon_info.config_file;
	if (!after_timeout) {
		if (a->type == TOK_TEXT)
			*file = (a++)->s;
		else if (a->type != TOK_END && !(a->type == TOK_WORD && !strcmp(a->s, "timeout")))
			return args_end(c, a, soft ? "END or TEXT or TIMEOUT" : NULL);
		if (a->type == TOK_END)
			return true;
		if (!(a->type == TOK_WORD && !strcmp(a->s, "timeout")))
			return args_end(c, a, "END or TIMEOUT");
		a++;
		*timeout = UNDO_DEFAULT;
	}
	if (a->type == TOK_NUM) {
		*timeout = atoi(a->s);
		a++;
		return args_end(c, a, "END");
	}
	return args_end(c, a, expr);
}
static void
do_configure(struct cli *c, const char *file, int timeout, bool soft)
{
	char err[256];
	struct config *nc = read_config(c, file);

	if (!nc)
		return;
	nc->soft = soft;
	if (config_commit(nc, timeout, err, sizeof err) < 0) {
		config_free(nc);
		cli_msg(c, 8002, "%s", err);
		return;
	}
	log_msg(L_INFO, "Reconfigured");
	if (timeout > 0)
		cli_msg(c, -22, "Undo scheduled in %d s", timeout);
	cli_msg(c, 3, "Reconfigured");
}

static void
cmd_configure(struct cli *c, const struct cli_tok *a)
{
	const char *file;
	int timeout = 0;

	if (parse_configure_args(c, a, &file, &timeout, false, false))
		do_configure(c, file, timeout, false);
}

static void
cmd_configure_soft(struct cli *c, const struct cli_tok *a)
{
	const char *file;
	int timeout = 0;

	if (parse_configure_args(c, a, &file, &timeout, true, false))
		do_configure(c, file, timeout, true);
}

static void
cmd_configure_timeout(struct cli *c, const struct cli_tok *a)
{
	const char *file;
	int timeout = UNDO_DEFAULT;

	if (parse_configure_args(c, a, &file, &timeout, false, true))
		do_configure(c, file, timeout, false);
}

static void
cmd_configure_check(struct cli *c, const struct cli_tok *a)
{
	const char *file = config ? config->file : daemon_info.config_file;
	struct config *nc;

	if (a->type == TOK_TEXT)
		file = (a++)->s;
	else if (!args_end(c, a, "END or TEXT"))
		return;
	if (!no_more_args(c, a))
		return;
	nc = read_config(c, file);
	if (!nc)
		return;
	uint32_t rid;
	if (config_find_router_id(nc, &rid) < 0) {
		cli_msg(c, 8002, "Cannot determine router ID, please configure it manually");
		config_free(nc);
		return;
	}
	config_free(nc);
	cli_msg(c, 20, "Configuration OK");
}

static void
cmd_configure_confirm(struct cli *c, const struct cli_tok *a)
{
	if (!no_more_args(c, a))
		return;
	if (config_confirm() < 0)
		cli_msg(c, 19, "Nothing to do");
	else {
		log_msg(L_INFO, "Reconfiguration confirmed");
		cli_msg(c, 18, "Reconfiguration confirmed");
	}
}

static void
cmd_configure_undo(struct cli *c, const struct cli_tok *a)
{
	if (!no_more_args(c, a))
		return;
	cli_msg(c, -21, "Undo requested");
	if (config_undo() < 0)
		cli_msg(c, 19, "Nothing to do");
	else {
		log_msg(L_INFO, "Reconfigured");
		cli_msg(c, 3, "Reconfigured");
	}
}

static void
cmd_configure_status(struct cli *c, const struct cli_tok *a)
{
	int64_t left;

	if (!no_more_args(c, a))
		return;
	cli_msg(c, -3, "%s", daemon_info.shutting_down ? "Shutdown in progress" : "Daemon is up and running");
	left = config_undo_remaining();
	if (left >= 0)
		cli_msg(c, -22, "Configuration unconfirmed, undo in %d.%03d s",
			(int)(left / 1000000), (int)(left / 1000 % 1000));
	cli_msg(c, 0, "%s", "");
}

static void
cmd_restrict(struct cli *c, const struct cli_tok *a)
{
	if (!no_more_args(c, a))
		return;
	c->restricted = true;
	cli_msg(c, 16, "Access restricted");
}

static void
cmd_down(struct cli *c, const struct cli_tok *a)
{
	if (!no_more_args(c, a))
		return;
	cli_msg(c, 7, "Shutdown requested");
	if (cli_on_down)
		cli_on_down();
}

/* eval EXPR: the value as BIRD prints it (0023), with the running
 * config's defines and functions in scope */
static void
cmd_eval(struct cli *c, const struct cli_tok *a)
{
	struct cf_error *errs = NULL;
	struct vm_prog *prog;
	struct f_node *n;
	char buf[CLI_MAX_LINE];

	if (a->type == TOK_END) {
		cli_syntax_error(c, a, NULL);
		return;
	}
	n = cf_parse_term_in(config, c->pool, c->raw_args, &errs);
	if (!n) {
		cli_msg(c, 9001, "%s", errs && errs->msg ? errs->msg : "syntax error");
		cf_errors_free(errs);
		return;
	}
	prog = chan_prog(config);	/* compiled once per config */
	if (!prog || vm_eval_term(prog, n, buf, sizeof buf) < 0) {
		cli_msg(c, 8008, "runtime error");
		return;
	}
	cli_msg(c, 23, "%s", buf);
}

const cli_handler cli_handlers[CMD__COUNT] = {
	[CMD_EVAL] = cmd_eval,
	[CMD_SHOW_STATUS] = cmd_show_status,
	[CMD_SHOW_MEMORY] = cmd_show_memory,
	[CMD_CONFIGURE] = cmd_configure,
	[CMD_CONFIGURE_SOFT] = cmd_configure_soft,
	[CMD_CONFIGURE_TIMEOUT] = cmd_configure_timeout,
	[CMD_CONFIGURE_CONFIRM] = cmd_configure_confirm,
	[CMD_CONFIGURE_UNDO] = cmd_configure_undo,
	[CMD_CONFIGURE_STATUS] = cmd_configure_status,
	[CMD_CONFIGURE_CHECK] = cmd_configure_check,
	[CMD_RESTRICT] = cmd_restrict,
	[CMD_DOWN] = cmd_down,
	[CMD_SHOW_PROTOCOLS] = cmd_show_protocols,
	[CMD_SHOW_PROTOCOLS_ALL] = cmd_show_protocols_all,
	[CMD_SHOW_INTERFACES] = cmd_show_interfaces,
	[CMD_SHOW_INTERFACES_SUMMARY] = cmd_show_interfaces_summary,
	[CMD_SHOW_ROUTE] = cmd_show_route,
	[CMD_SHOW_SYMBOLS] = cmd_show_symbols,
	[CMD_ENABLE] = cmd_enable,
	[CMD_DISABLE] = cmd_disable,
	[CMD_RESTART] = cmd_restart,
	[CMD_RELOAD] = cmd_reload,
	[CMD_RELOAD_IN] = cmd_reload_in,
	[CMD_RELOAD_OUT] = cmd_reload_out,
};
