/*
 * CLI commands over protocols and tables: show protocols [all], show
 * route, show symbols, enable, disable, restart, reload. Replies follow
 * BIRD 2.0.12's text and codes line for line.
 *
 * `show route` streams: its state (struct show) lives outside the
 * request's pool; each piece walks the current table with a cursor until
 * the session's output passes its high watermark, then yields through
 * cli->cont and resumes when the client has drained it. The state keeps
 * names, never pointers into a config, so a reconfiguration between two
 * pieces is harmless (a protocol or filter that went away ends the walk).
 * The exception is `where EXPR`: the expression is parsed into a pool of
 * the command's own and compiled, once, with the running config's filters
 * and functions into a program of its own (so it never grows the running
 * program); a reconfiguration stops that walk as BIRD stops it (8004).
 *
 * The arguments follow BIRD's r_args grammar: the last of `table T`,
 * `table all` and `protocol|export P` decides whether an empty table gets
 * its header and whether a table that does not fit is an error; every
 * message is BIRD's.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/cli_int.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "vm/vm.h"

enum { SHOW_MAX_TABLES = 64 };

/* "unexpected CF_SYM_UNDEFINED, expecting ..." for a name that is not a
 * symbol of the wanted class, as BIRD's parser says it */
static bool
is_sym(const char *name, enum cf_sym_class cls)
{
	const struct cf_symbol *s = config && config->root ? cf_find_symbol(config->root, name) : NULL;

	return s && s->class == cls;
}

static const char *
sym_tok(const struct cli_tok *t)
{
	if (t->type == TOK_WORD && config && config->root && cf_find_symbol(config->root, t->s))
		return "CF_SYM_KNOWN";
	return cli_tok_name(t);
}

static void
syntax(struct cli *c, const struct cli_tok *t, const char *expecting)
{
	cli_msg(c, 9001, "syntax error, unexpected %s%s%s", sym_tok(t),
		expecting ? ", expecting " : "", expecting ? expecting : "");
}

/* ---- show protocols ---------------------------------------------------- */

static const char *
filt_name(const struct chan_filt *f, bool dflt)
{
	switch (f->kind) {
	case CHF_DEFAULT:
		return dflt ? "ACCEPT" : "REJECT";
	case CHF_ALL:
		return "ACCEPT";
	case CHF_NONE:
		return "REJECT";
	default:
		return f->name;
	}
}

static void
show_limit(struct cli *c, const struct chan_limit *l, bool hit, const char *dsc)
{
	static const char *const act[] = { "warn", "block", "restart", "disable" };

	if (!l->max)
		return;
	cli_msg(c, -1006, "    %-16s%u%s", dsc, l->max, hit ? " [HIT]" : "");
	cli_msg(c, -1006, "      Action:       %s", act[l->action & 3]);
}

static void
show_channel(struct cli *c, struct channel *ch)
{
	static const char *const states[] = { "DOWN", "START", "UP", "FLUSHING" };
	const struct chan_stats *s = &ch->st;

	cli_msg(c, -1006, "  Channel %s", ch->name);
	cli_msg(c, -1006, "    State:          %s", states[ch->state]);
	cli_msg(c, -1006, "    Table:          %s", ch->tab->name);
	cli_msg(c, -1006, "    Preference:     %u", ch->pref);
	cli_msg(c, -1006, "    Input filter:   %s", filt_name(&ch->in, ch->accept_default));
	cli_msg(c, -1006, "    Output filter:  %s", filt_name(&ch->out, ch->export_default));
	show_limit(c, &ch->cf->rx_limit, ch->rx_hit, "Receive limit:");
	show_limit(c, &ch->cf->in_limit, ch->in_hit, "Import limit:");
	show_limit(c, &ch->cf->out_limit, ch->out_hit, "Export limit:");
	if (ch->state == CS_DOWN)
		return;
	if (ch->cf->keep_filtered)
		cli_msg(c, -1006, "    Routes:         %u imported, %u filtered, %u exported, %u preferred",
			s->imp_routes, s->filt_routes, s->exp_routes, s->pref_routes);
	else
		cli_msg(c, -1006, "    Routes:         %u imported, %u exported, %u preferred",
			s->imp_routes, s->exp_routes, s->pref_routes);
	cli_msg(c, -1006, "    Route change stats:     received   rejected   filtered    ignored   accepted");
	cli_msg(c, -1006, "      Import updates:     %10u %10u %10u %10u %10u", s->imp_updates_received,
		s->imp_updates_invalid, s->imp_updates_filtered, s->imp_updates_ignored,
		s->imp_updates_accepted);
	cli_msg(c, -1006, "      Import withdraws:   %10u %10u        --- %10u %10u",
		s->imp_withdraws_received, s->imp_withdraws_invalid, s->imp_withdraws_ignored,
		s->imp_withdraws_accepted);
	cli_msg(c, -1006, "      Export updates:     %10u %10u %10u        --- %10u",
		s->exp_updates_received, s->exp_updates_rejected, s->exp_updates_filtered,
		s->exp_updates_accepted);
	cli_msg(c, -1006, "      Export withdraws:   %10u        ---        ---        --- %10u",
		s->exp_withdraws_received, s->exp_withdraws_accepted);
}

/* a channel's config when the protocol is down: BIRD still lists it */
static void
show_channel_down(struct cli *c, struct proto *p, const struct chan_config *cc)
{
	struct channel tmp;

	memset(&tmp, 0, sizeof tmp);
	tmp.proto = p;
	tmp.cf = cc;
	tmp.name = cc->family == CF_AF_IPV6 ? "ipv6" : "ipv4";
	struct rt_tab *t = rt_tab_find(cc->table ? cc->table->name :
				       cc->family == CF_AF_IPV6 ? "master6" : "master4");
	if (!t)
		return;
	tmp.tab = t;
	tmp.pref = cc->preference ? cc->preference : p->ops->pref;
	tmp.accept_default = true;
	tmp.in = (struct chan_filt){ cc->in.kind, NULL, cc->in.kind == CHF_NAMED ? cc->in.name : "(unnamed)" };
	tmp.out = (struct chan_filt){ cc->out.kind, NULL, cc->out.kind == CHF_NAMED ? cc->out.name : "(unnamed)" };
	tmp.state = CS_DOWN;
	show_channel(c, &tmp);
}

static const char *
main_table(const struct proto *p)
{
	if (p->main)
		return p->main->tab->name;
	if (p->ops == &pipe_ops)
		return "---";
	const struct chan_config *cc = p->cf->channels;
	if (!cc)
		return "---";
	return cc->table ? cc->table->name : cc->family == CF_AF_IPV6 ? "master6" : "master4";
}

static void
show_proto(struct cli *c, struct proto *p, bool verbose)
{
	char since[64], info[256] = "", rid[RID_STR_MAX];

	tm_format_time(since, sizeof since, &config->tf[TF_PROTO], p->since);
	if (p->ops->info)
		p->ops->info(p, info, sizeof info);
	cli_msg(c, -1002, "%-10s %-10s %-10s %-6s %-12s  %s", p->name, p->ops->label, main_table(p),
		proto_state_name(p), since, info);
	if (!verbose)
		return;
	if (p->cf->description)
		cli_msg(c, -1006, "  Description:    %s", p->cf->description);
	if (p->message)
		cli_msg(c, -1006, "  Message:        %s", p->message);
	if (p->cf->router_id)
		cli_msg(c, -1006, "  Router ID:      %s", rid_format(p->cf->router_id, rid));
	if (p->ops->show)
		p->ops->show(p, c);
	else if (p->channels)
		for (struct channel *ch = p->channels; ch; ch = ch->next)
			show_channel(c, ch);
	else
		for (const struct chan_config *cc = p->cf->channels; cc; cc = cc->next)
			show_channel_down(c, p, cc);
	cli_msg(c, -1006, "%s", "");
}

/* NAME | "pattern" | all (when allow_all): the protocols named; false
 * after a syntax error reply */
struct psel {
	const char *name;	/* a protocol's name, or NULL */
	const char *patt;	/* a pattern, or NULL */
	bool all;		/* `all`, or nothing given */
};

static bool
parse_psel(struct cli *c, const struct cli_tok **ap, struct psel *s, bool optional,
	   const char *expecting)
{
	const struct cli_tok *a = *ap;

	memset(s, 0, sizeof *s);
	if (a->type == TOK_END && optional) {
		s->all = true;
		return true;
	}
	if (a->type == TOK_TEXT)
		s->patt = a->s;
	else if (a->type == TOK_WORD && !strcmp(a->s, "all"))
		s->all = true;
	else if (a->type == TOK_WORD && is_sym(a->s, SYM_PROTO))
		s->name = a->s;
	else {
		syntax(c, a, expecting);
		return false;
	}
	*ap = a + 1;
	return true;
}

static bool
psel_match(const struct psel *s, const struct proto *p)
{
	if (s->all)
		return true;
	if (s->name)
		return !strcmp(s->name, p->name);
	return fnmatch(s->patt, p->name, 0) == 0;
}

static void
show_protocols(struct cli *c, const struct cli_tok *a, bool verbose)
{
	struct psel s;

	if (!parse_psel(c, &a, &s, true, "END or CF_SYM_KNOWN or TEXT or ALL"))
		return;
	if (a->type != TOK_END) {
		syntax(c, a, "END");
		return;
	}
	cli_msg(c, -2002, "%-10s %-10s %-10s %-6s %-12s  %s", "Name", "Proto", "Table", "State",
		"Since", "Info");
	for (struct proto *p = proto_list; p; p = p->next)
		if (psel_match(&s, p))
			show_proto(c, p, verbose);
	cli_msg(c, 0, "%s", "");
}

void
cmd_show_protocols(struct cli *c, const struct cli_tok *a)
{
	show_protocols(c, a, false);
}

void
cmd_show_protocols_all(struct cli *c, const struct cli_tok *a)
{
	show_protocols(c, a, true);
}

/* ---- enable, disable, restart, reload ------------------------------------ */

enum pcmd { P_ENABLE, P_DISABLE, P_RESTART, P_RELOAD, P_RELOAD_IN, P_RELOAD_OUT };

static void
proto_cmd(struct cli *c, const struct cli_tok *a, enum pcmd what)
{
	struct psel s;
	int n = 0;

	if (!parse_psel(c, &a, &s, false, "CF_SYM_KNOWN or TEXT or ALL"))
		return;
	if (a->type != TOK_END) {
		syntax(c, a, "END");
		return;
	}
	for (struct proto *p = proto_list; p; p = p->next) {
		if (!psel_match(&s, p))
			continue;
		n++;
		switch (what) {
		case P_ENABLE:
			if (!p->disabled) {
				cli_msg(c, -10, "%s: already enabled", p->name);
				break;
			}
			proto_enable(p);
			cli_msg(c, -11, "%s: enabled", p->name);
			break;
		case P_DISABLE:
			if (p->disabled) {
				cli_msg(c, -8, "%s: already disabled", p->name);
				break;
			}
			proto_disable(p, NULL);
			cli_msg(c, -9, "%s: disabled", p->name);
			break;
		case P_RESTART:
			if (p->disabled) {
				cli_msg(c, -8, "%s: already disabled", p->name);
				break;
			}
			proto_restart(p, NULL);
			cli_msg(c, -12, "%s: restarted", p->name);
			break;
		default:
			if (p->disabled) {
				cli_msg(c, -8, "%s: already disabled", p->name);
				break;
			}
			if (p->state != PS_UP)
				break;		/* BIRD: it has no routes, says nothing */
			if (what != P_RELOAD_OUT && !p->ops->reload && p->channels) {
				cli_msg(c, -8006, "%s: reload failed", p->name);
				break;		/* it cannot import again */
			}
			proto_reload(p, what != P_RELOAD_OUT, what != P_RELOAD_IN);
			cli_msg(c, -15, "%s: reloading", p->name);
			break;
		}
	}
	if (!n && s.patt)
		cli_msg(c, 8003, "No protocols match");
	else
		cli_msg(c, 0, "%s", "");
}

void cmd_enable(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_ENABLE); }
void cmd_disable(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_DISABLE); }
void cmd_restart(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_RESTART); }
void cmd_reload(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_RELOAD); }
void cmd_reload_in(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_RELOAD_IN); }
void cmd_reload_out(struct cli *c, const struct cli_tok *a) { proto_cmd(c, a, P_RELOAD_OUT); }

/* ---- show symbols -------------------------------------------------------- */

struct symq {
	struct cli *c;		/* where to print */
	int cls;		/* enum cf_sym_class, or -1: every class */
	int n;			/* printed */
};

static const char *
sym_class_text(enum cf_sym_class cls)
{
	switch (cls) {
	case SYM_CONSTANT: return "constant";
	case SYM_PROTO: return "protocol";
	case SYM_TEMPLATE: return "protocol template";
	case SYM_FILTER: return "filter";
	case SYM_FUNCTION: return "function";
	case SYM_TABLE: return "routing table";
	case SYM_ATTRIBUTE: return "attribute";
	default: return "undefined";
	}
}

static void
sym_one(const struct cf_symbol *s, void *arg)
{
	struct symq *q = arg;

	if (s->class == SYM_TESTS || s->class == SYM_VARIABLE || s->name[0] == ' ')
		return;
	if (q->cls >= 0 && (int)s->class != q->cls)
		return;
	cli_msg(q->c, -1010, "%-8s\t%s", s->name, sym_class_text(s->class));
	q->n++;
}

void
cmd_show_symbols(struct cli *c, const struct cli_tok *a)
{
	static const struct { const char *w; int cls; } kinds[] = {
		{ "table", SYM_TABLE }, { "filter", SYM_FILTER }, { "function", SYM_FUNCTION },
		{ "protocol", SYM_PROTO }, { "template", SYM_TEMPLATE }, { "constant", SYM_CONSTANT },
	};
	struct symq q = { c, -1, 0 };

	if (a->type == TOK_WORD) {
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (!strcmp(a->s, kinds[i].w))
				q.cls = kinds[i].cls;
		if (q.cls < 0) {
			const struct cf_symbol *s = config && config->root ?
				cf_find_symbol(config->root, a->s) : NULL;
			if (!s) {
				syntax(c, a, NULL);
				return;
			}
			if (a[1].type != TOK_END) {
				syntax(c, a + 1, "END");
				return;
			}
			cli_msg(c, 1010, "%-8s\t%s", s->name, sym_class_text(s->class));
			return;
		}
		a++;
	}
	if (a->type != TOK_END) {
		syntax(c, a, "END");
		return;
	}
	if (q.cls < 0 || q.cls == SYM_TABLE) {
		/* master4 and master6 are symbols in BIRD */
		cli_msg(c, -1010, "%-8s\t%s", "master4", "routing table");
		cli_msg(c, -1010, "%-8s\t%s", "master6", "routing table");
	}
	if (config && config->root)
		cf_walk_symbols(config->root, sym_one, &q);
	cli_msg(c, 0, "%s", "");
}

/* ---- show route ---------------------------------------------------------- */

enum { EXP_NONE, EXP_EXPORT, EXP_PREEXPORT, EXP_NOEXPORT };

/* how the tables were chosen, the last of `table`, `table all`, `protocol
 * P`/`export P` winning, as BIRD's tables_defined_by: it decides whether an
 * empty table still gets its header and whether a table that does not fit
 * is an error or left out */
enum { TDB_DEFAULT, TDB_INDIRECT, TDB_ALL, TDB_DIRECT };

struct show {
	int addr_mode;			/* 0 none, 1 `for` (longest match), 2 exact */
	net_addr addr;			/* what to look for */
	int tdb;			/* TDB_* */
	int ntabs;			/* tables to walk */
	char *tabs[SHOW_MAX_TABLES];	/* their names */
	char *filter;			/* `filter NAME`, or NULL */
	char *proto;			/* `protocol P` */
	char *export;			/* `export|preexport|noexport P` */
	int export_mode;		/* EXP_* */
	bool verbose, primary, filtered;	/* all, primary, filtered */
	int stats;			/* 1 `stats`, 2 `count` */
	/* `where EXPR`: compiled once per command, with the running config's
	 * filters and functions, into a program of its own */
	struct pool *wpool;		/* the expression's syntax tree */
	struct vm_prog *wprog;		/* its program */
	const struct vm_func *where;	/* the filter in it */
	const struct config *wconf;	/* the config it was compiled against */
	/* progress */
	int ti;				/* table being walked */
	struct rt_cursor cur;		/* where in it */
	bool table_started;		/* ti's walk begun */
	int last_table;			/* index of the last header printed, -1 none */
	unsigned show_c, rt_c, net_c;	/* counters of the table */
	unsigned show_t, rt_t, net_t, ntables;	/* totals */
};

static void
show_free(struct cli *c)
{
	struct show *d = c->cont_data;

	if (!d)
		return;
	for (int i = 0; i < d->ntabs; i++)
		free(d->tabs[i]);
	free(d->filter);
	free(d->proto);
	free(d->export);
	if (d->wprog)
		vm_prog_free(d->wprog);
	if (d->wpool)
		pool_free(d->wpool);
	free(d);
	c->cont_data = NULL;
}

static void
table_header(struct cli *c, struct show *d)
{
	if (d->stats == 2 || d->last_table == d->ti)
		return;
	if (d->last_table >= 0)
		cli_msg(c, -1007, "%s", "");
	cli_msg(c, -1007, "Table %s:", d->tabs[d->ti]);
	d->last_table = d->ti;
}

static void
emit_line(void *arg, int code, const char *line)
{
	cli_msg(arg, -code, "%s", line);
}

static void
show_rte(struct cli *c, struct show *d, const char *ia, const struct rte *e, bool primary)
{
	char tm[64];
	struct channel *sc = rt_src_channel(e->src);
	struct rte_show_ctx x = { .prefix = ia, .proto = sc ? sc->proto->name : "?", .since = tm,
				  .primary = primary, .verbose = d->verbose };

	table_header(c, d);
	tm_format_time(tm, sizeof tm, &config->tf[TF_ROUTE], rte_lastmod_us(e));
	rte_format(e, &x, emit_line, c);
}

/*
 * One net, as BIRD's rt_show_net: with `export P` (and the like) only the
 * best route is looked at unless P's channel takes every route (a pipe);
 * a merging channel shows its merged route; a route shown through an
 * export filter or `filter F` shows the attributes the filter left.
 */
static void
show_net(struct cli *c, struct show *d, struct net *n, struct channel *ec,
	 struct vm_prog *prog, const struct vm_func *filt, struct proto *pp)
{
	char ia[NET_STR_MAX];
	bool first = true, pass = false;

	net_format(&n->n, ia);
	for (struct rte *e = n->routes; e; e = e->next) {
		if (!!(e->flags & RTE_FILTERED) != d->filtered)
			continue;
		d->rt_c++;
		if (first)
			d->net_c++;
		first = false;
		if (pass)
			continue;
		struct rte tmp, *x = e;
		struct rta *held = NULL, *ch = NULL;
		bool shown = true;
		if (ec && ec->export_state == CES_DOWN) {
			shown = false;
		} else if (ec && d->export_mode == EXP_EXPORT && ec->ra_mode == CRA_MERGED) {
			pass = true;
			if (chan_export_merged(ec, n, &tmp)) {
				x = &tmp;
				held = tmp.attrs;
			} else
				shown = false;
		} else if (ec) {
			if (ec->ra_mode != CRA_ANY)
				pass = true;
			if (!chan_preexport_ok(ec, e))
				shown = false;
			else if (d->export_mode != EXP_PREEXPORT) {
				uint32_t pref;
				bool ok = chan_export_ok(ec, &n->n, e, &ch, &pref);
				if (ok != (d->export_mode == EXP_EXPORT))
					shown = false;
				else if (ch || pref != e->pref) {
					tmp = *e;
					if (ch)
						tmp.attrs = held = ch;
					tmp.pref = (uint16_t)pref;
					x = &tmp;
				}
				ch = NULL;
			}
		}
		if (shown && pp) {
			struct channel *sc = rt_src_channel(e->src);
			shown = sc && sc->proto == pp;
		}
		if (shown && filt) {
			shown = chan_run_filter(prog, filt, &n->n, x, &ch);
			if (shown && ch) {
				if (x != &tmp)
					tmp = *x;
				tmp.attrs = ch;
				x = &tmp;
			}
		}
		if (shown) {
			if (d->stats < 2)
				show_rte(c, d, ia, x, e == n->routes && !(e->flags & RTE_FILTERED));
			d->show_c++;
			ia[0] = 0;
		}
		rta_unref(ch);
		rta_unref(held);
		if (d->primary)
			break;
	}
}

static void
table_done(struct cli *c, struct show *d)
{
	if (d->stats) {
		if (d->stats == 1)
			table_header(c, d);
		cli_msg(c, -1007, "%u of %u routes for %u networks in table %s", d->show_c, d->rt_c,
			d->net_c, d->tabs[d->ti]);
	}
	d->show_t += d->show_c;
	d->rt_t += d->rt_c;
	d->net_t += d->net_c;
	d->ntables++;
	d->show_c = d->rt_c = d->net_c = 0;
	d->ti++;
	d->table_started = false;
}

/* the export channel of protocol p on table t, or NULL */
static struct channel *
export_channel(struct proto *p, struct rt_tab *t)
{
	struct channel *ec;

	for (ec = p ? p->channels : NULL; ec && ec->tab != t; ec = ec->next)
		;
	return ec;
}

/* one piece of the reply; true when it is complete */
static bool
show_cont(struct cli *c)
{
	struct show *d = c->cont_data;
	struct vm_prog *prog = d->wprog ? d->wprog : chan_prog(config);
	const struct vm_func *filt = d->where;
	struct proto *pp = NULL, *ep = NULL;

	if (d->wprog && d->wconf != config) {
		cli_msg(c, 8004, "Stopped due to reconfiguration");
		return true;
	}
	if (d->filter && !(prog && (filt = vm_find(prog, d->filter, VM_FIND_FILTER)))) {
		cli_msg(c, 8001, "Filter %s is gone", d->filter);
		return true;
	}
	if (d->proto && !(pp = proto_find(d->proto))) {
		cli_msg(c, 8001, "Protocol %s is gone", d->proto);
		return true;
	}
	if (d->export && !(ep = proto_find(d->export))) {
		cli_msg(c, 8001, "Protocol %s is gone", d->export);
		return true;
	}
	while (d->ti < d->ntabs) {
		struct rt_tab *t = rt_tab_find(d->tabs[d->ti]);
		struct channel *ec = NULL;
		if (!t || (ep && !(ec = export_channel(ep, t)))) {
			d->ti++;	/* gone since the command was read */
			continue;
		}
		if (d->addr_mode) {
			struct net *n = d->addr_mode == 2 ? rt_find(t->t, &d->addr) :
					d->addr.pxlen == net_max_pxlen(&d->addr) ?
					rt_lpm(t->t, d->addr.ip) : rt_lpm_net(t->t, &d->addr);
			if (n)
				show_net(c, d, n, ec, prog, filt, pp);
			table_done(c, d);
			continue;
		}
		if (!d->table_started) {
			rt_cursor_init(&d->cur);
			d->table_started = true;
			if (d->tdb >= TDB_ALL)
				table_header(c, d);
		}
		struct net *n;
		while ((n = rt_cursor_next(t->t, &d->cur))) {
			show_net(c, d, n, ec, prog, filt, pp);
			if (cli_output_full(c))
				return false;
		}
		table_done(c, d);
	}
	if (d->addr_mode && !d->rt_t && !d->stats)
		cli_msg(c, 8001, "Network not found");
	else if (d->stats && d->ntables > 1) {
		if (d->last_table >= 0)
			cli_msg(c, -1007, "%s", "");
		cli_msg(c, 14, "Total: %u of %u routes for %u networks in %u tables", d->show_t,
			d->rt_t, d->net_t, d->ntables);
	} else
		cli_msg(c, 0, "%s", "");
	return true;
}

static bool
add_table(struct show *d, const char *name)
{
	if (d->ntabs >= SHOW_MAX_TABLES)
		return false;
	d->tabs[d->ntabs++] = xstrdup(name);
	return true;
}

static void
drop_table(struct show *d, int i)
{
	free(d->tabs[i]);
	memmove(&d->tabs[i], &d->tabs[i + 1], (size_t)(d->ntabs - i - 1) * sizeof d->tabs[0]);
	d->ntabs--;
}

static bool
parse_addr(const char *s, net_addr *out, bool *is_prefix)
{
	ip_addr ip;

	if (strchr(s, '/')) {
		*is_prefix = true;
		return net_parse(s, out) == 0;
	}
	*is_prefix = false;
	if (ip_parse(s, &ip) < 0)
		return false;
	*out = ip_is4(ip) ? net_ip4(ip4_to_u32(ip), 32) : net_ip6(ip, 128);
	return true;
}

/* where token k of the request starts in its raw text (as cli_tokenize
 * splits it: blanks between words, a quoted text one token) */
static const char *
raw_token(const char *raw, int k)
{
	const char *p = raw;

	for (;;) {
		p += strspn(p, " \t");
		if (!k-- || !*p)
			return p;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else
			p += strcspn(p, " \t");
	}
}

/* the words that begin another argument of show route */
static bool
is_show_word(const struct cli_tok *t)
{
	static const char *const words[] = {
		"table", "filter", "where", "all", "primary", "filtered", "count", "stats",
		"protocol", "export", "preexport", "noexport", "for",
	};

	if (t->type != TOK_WORD)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(t->s, words[i]))
			return true;
	return false;
}

/*
 * `where EXPR` at token w (the word where): BIRD's parser takes the longest
 * term and goes on with the other arguments, so try the whole rest, then
 * shorter texts ending before a word that begins an argument. The filter is
 * parsed as `where EXPR` (if EXPR then accept else reject) and compiled with
 * the running config into a program of the command's own. Returns the
 * token after the expression, or NULL after an error reply.
 */
static const struct cli_tok *
parse_where(struct cli *c, struct show *d, const struct cli_tok *toks, int w)
{
	int end = w + 1;
	struct cf_error *first = NULL;
	const struct f_filter *ff = NULL;

	while (toks[end].type != TOK_END)
		end++;
	if (end == w + 1) {
		syntax(c, &toks[end], NULL);
		return NULL;
	}
	d->wpool = pool_new(MEM_PROTOS, "show route where");
	for (int cut = end; cut > w + 1; cut--) {
		if (cut < end && !is_show_word(&toks[cut]))
			continue;
		const char *from = raw_token(c->raw_args, w), *to = raw_token(c->raw_args, cut);
		char *text = pool_alloc(d->wpool, (size_t)(to - from) + 1);
		memcpy(text, from, (size_t)(to - from));
		text[to - from] = 0;
		struct cf_error *errs = NULL;
		ff = cf_parse_filter_in(config, d->wpool, text, &errs);
		if (ff) {
			cf_errors_free(first);
			end = cut;
			break;
		}
		if (!first)
			first = errs;
		else
			cf_errors_free(errs);
	}
	if (!ff) {
		cli_msg(c, 9001, "%s", first && first->msg ? first->msg : "syntax error");
		cf_errors_free(first);
		return NULL;
	}
	char err[256] = "";
	d->wprog = vm_compile(config, err, sizeof err);
	d->where = d->wprog ? vm_find_spec(d->wprog, ff) : NULL;
	d->wconf = config;
	if (!d->where) {
		cli_msg(c, 8001, "Cannot compile the filter%s%s", err[0] ? ": " : "", err);
		return NULL;
	}
	return &toks[end];
}

/* NAME of the class wanted after `what`: BIRD's messages for an unknown
 * name and for a name of another kind */
static bool
want_sym(struct cli *c, const struct cli_tok *a, enum cf_sym_class cls, const char *expecting,
	 const char *required)
{
	if (a->type == TOK_WORD && is_sym(a->s, cls))
		return true;
	if (a->type == TOK_WORD && config && config->root && cf_find_symbol(config->root, a->s))
		cli_msg(c, 9001, "%s", required);
	else
		syntax(c, a, expecting);
	return false;
}

/* BIRD's rt_show_prepare_tables: every table must fit the address and have
 * the export protocol's channel, or it is left out (an error for tables
 * named by `table`) */
static bool
prepare_tables(struct cli *c, struct show *d)
{
	struct proto *ep = d->export ? proto_find(d->export) : NULL;

	for (int i = 0; i < d->ntabs;) {
		struct rt_tab *t = rt_tab_find(d->tabs[i]);
		const char *why = NULL;
		if (t && ep && !export_channel(ep, t))
			why = "No export channel for table";
		else if (t && d->addr_mode && (d->addr.type == NET_IP6) != (t->family == CF_AF_IPV6))
			why = "Incompatible type of prefix/ip for table";
		if (!why) {
			i++;
			continue;
		}
		if (d->tdb == TDB_DIRECT) {
			cli_msg(c, 9001, "%s %s", why, d->tabs[i]);
			return false;
		}
		drop_table(d, i);
	}
	if (!d->ntabs) {
		cli_msg(c, 9001, "No valid tables");
		return false;
	}
	return true;
}

void
cmd_show_route(struct cli *c, const struct cli_tok *a)
{
	const struct cli_tok *toks = a;
	struct show *d = xzalloc(sizeof *d);
	bool all_tables = false;

	d->last_table = -1;
	c->cont_data = d;
	while (a->type != TOK_END) {
		const char *w = a->type == TOK_WORD || a->type == TOK_NUM ? a->s : "";
		bool pfx;
		if (!strcmp(w, "for") && a[1].type != TOK_END) {
			a++;
			if (!parse_addr(a->s, &d->addr, &pfx)) {
				syntax(c, a, NULL);
				goto fail;
			}
			d->addr_mode = 1;
		} else if ((w[0] >= '0' && w[0] <= '9') || strchr(w, ':')) {
			if (!parse_addr(w, &d->addr, &pfx)) {
				syntax(c, a, NULL);
				goto fail;
			}
			d->addr_mode = pfx ? 2 : 1;
		} else if (!strcmp(w, "table")) {
			a++;
			if (a->type == TOK_WORD && !strcmp(a->s, "all")) {
				all_tables = true;
				d->tdb = TDB_ALL;
			} else if (a->type == TOK_WORD && rt_tab_find(a->s) && (is_sym(a->s, SYM_TABLE) ||
				   !strcmp(a->s, "master4") || !strcmp(a->s, "master6"))) {
				add_table(d, a->s);
				d->tdb = TDB_DIRECT;
			} else if (!want_sym(c, a, SYM_TABLE, "CF_SYM_KNOWN or ALL", "Table name required"))
				goto fail;
		} else if (!strcmp(w, "filter")) {
			a++;
			if (!want_sym(c, a, SYM_FILTER, NULL, "Filter name required"))
				goto fail;
			if (d->filter || d->wprog) {
				cli_msg(c, 9001, "Filter specified twice");
				goto fail;
			}
			d->filter = xstrdup(a->s);
		} else if (!strcmp(w, "where")) {
			/* BIRD parses the expression before it sees a second filter */
			struct show tmp, *into = d->filter || d->wprog ? &tmp : d;
			memset(&tmp, 0, sizeof tmp);
			a = parse_where(c, into, toks, (int)(a - toks));
			if (into == &tmp) {
				if (tmp.wprog)
					vm_prog_free(tmp.wprog);
				if (tmp.wpool)
					pool_free(tmp.wpool);
				if (a)
					cli_msg(c, 9001, "Filter specified twice");
				goto fail;
			}
			if (!a)
				goto fail;
			continue;
		} else if (!strcmp(w, "all")) {
			d->verbose = true;
		} else if (!strcmp(w, "primary")) {
			d->primary = true;
		} else if (!strcmp(w, "filtered")) {
			d->filtered = true;
		} else if (!strcmp(w, "count")) {
			d->stats = 2;
		} else if (!strcmp(w, "stats")) {
			d->stats = 1;
		} else if (!strcmp(w, "protocol") || !strcmp(w, "export") || !strcmp(w, "preexport") ||
			   !strcmp(w, "noexport")) {
			bool prot = w[0] == 'p' && w[1] == 'r' && w[2] == 'o';
			a++;
			if (!want_sym(c, a, SYM_PROTO, prot ? "CF_SYM_KNOWN" : "CF_SYM_KNOWN or TABLE",
				      "Protocol name required"))
				goto fail;
			if (prot ? d->proto != NULL : d->export != NULL) {
				cli_msg(c, 9001, prot ? "Protocol specified twice" : "Export specified twice");
				goto fail;
			}
			if (prot) {
				d->proto = xstrdup(a->s);
			} else {
				d->export = xstrdup(a->s);
				d->export_mode = w[0] == 'e' ? EXP_EXPORT : w[0] == 'p' ? EXP_PREEXPORT :
						 EXP_NOEXPORT;
			}
			d->tdb = TDB_INDIRECT;
		} else {
			syntax(c, a, NULL);
			goto fail;
		}
		a++;
	}
	if (all_tables) {
		for (struct rt_tab *t = rt_tab_first(); t; t = t->next)
			if (t->in_config)
				add_table(d, t->name);
	}
	if (!d->ntabs) {
		/* BIRD's defaults: the export protocol's exporting channels, the
		 * protocol's channels, or the master tables */
		struct proto *ep = d->export ? proto_find(d->export) : NULL;
		struct proto *pp = d->proto ? proto_find(d->proto) : NULL;
		if (ep) {
			for (struct channel *ch = ep->channels; ch; ch = ch->next)
				if (ch->export_state != CES_DOWN)
					add_table(d, ch->tab->name);
		} else if (pp) {
			for (struct channel *ch = pp->channels; ch; ch = ch->next)
				add_table(d, ch->tab->name);
		} else {
			add_table(d, "master4");
			add_table(d, "master6");
		}
	}
	if (!prepare_tables(c, d))
		goto fail;
	if (show_cont(c)) {
		show_free(c);
		return;
	}
	c->cont = show_cont;
	c->cont_free = show_free;
	return;
fail:
	show_free(c);
}
