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
#include "tools/routes.h"
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

struct show {
	int addr_mode;			/* 0 none, 1 `for` (longest match), 2 exact */
	net_addr addr;			/* what to look for */
	bool tables_explicit;		/* `table` given: headers even when empty */
	int ntabs;			/* tables to walk */
	char *tabs[SHOW_MAX_TABLES];	/* their names */
	char *filter;			/* `filter NAME`, or NULL */
	char *proto;			/* `protocol P` */
	char *export;			/* `export|preexport|noexport P` */
	int export_mode;		/* EXP_* */
	bool verbose, primary, filtered;	/* all, primary, filtered */
	int stats;			/* 1 `stats`, 2 `count` */
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
	free(d);
	c->cont_data = NULL;
}

static const char *
dest_name(unsigned d)
{
	switch (d) {
	case RTD_UNICAST: return "unicast";
	case RTD_BLACKHOLE: return "blackhole";
	case RTD_UNREACHABLE: return "unreachable";
	case RTD_PROHIBIT: return "prohibited";
	default: return "???";
	}
}

static const char *const src_names[] = {
	"dummy", "static", "inherit", "device", "static-device", "redirect", "RIP", "OSPF",
	"OSPF-IA", "OSPF-E1", "OSPF-E2", "BGP", "pipe", "Babel", "RPKI",
};
static const char *const scope_names[] = { "host", "link", "site", "org", "univ", "undef" };

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
show_rte(struct cli *c, struct show *d, const char *ia, const struct rte *e, bool primary)
{
	char tm[64], gw[IP_STR_MAX];
	const struct rta *a = e->attrs;
	struct channel *sc = rt_src_channel(e->src);

	table_header(c, d);
	tm_format_time(tm, sizeof tm, &config->tf[TF_ROUTE], e->lastmod);
	cli_msg(c, -1007, "%-20s %s [%s %s]%s (%u)", ia, dest_name(a->dest),
		sc ? sc->proto->name : "?", tm, primary ? " *" : "", e->pref);
	if (a->dest == RTD_UNICAST) {
		const struct nexthop *nh = rta_nexthops(a);
		for (unsigned i = 0; i < a->nh_count; i++) {
			char weight[24] = "";
			if (a->nh_count > 1)
				snprintf(weight, sizeof weight, " weight %u", nh[i].weight + 1u);
			/* no interfaces yet: the next hop as written, without "on IFACE" */
			cli_msg(c, -1007, "\tvia %s%s%s", ip_format(nh[i].gw, gw),
				nh[i].flags & RNF_ONLINK ? " onlink" : "", weight);
		}
	}
	if (!d->verbose)
		return;
	cli_msg(c, -1008, "\tType: %s %s", a->source < RTS_MAX ? src_names[a->source] : "?",
		scope_names[a->scope <= SCOPE_UNDEFINED ? a->scope : SCOPE_UNDEFINED]);
	const struct eattr *ea = rta_eattrs(a);
	for (unsigned i = 0; i < a->ea_count; i++) {
		char buf[CLI_MAX_LINE - 8];
		route_attr_format(a, &ea[i], buf, sizeof buf);
		cli_msg(c, -1012, "\t%s", buf);
	}
}

static void
show_net(struct cli *c, struct show *d, struct net *n, struct channel *ec,
	 const struct vm_func *filt, struct proto *pp)
{
	char ia[NET_STR_MAX];
	bool first = true;

	net_format(&n->n, ia);
	for (struct rte *e = n->routes; e; e = e->next) {
		if (!!(e->flags & RTE_FILTERED) != d->filtered)
			continue;
		d->rt_c++;
		if (first)
			d->net_c++;
		first = false;
		bool shown = true;
		if (ec) {
			struct proto *ep = ec->proto;
			bool pre = rt_src_channel(e->src) != ec &&
				   (!ep->ops->preexport || ep->ops->preexport(ep, ec, e));
			if (!pre)
				shown = false;
			else if (d->export_mode != EXP_PREEXPORT) {
				struct rta *ch = NULL;
				bool ok = e == n->routes && chan_export_ok(ec, &n->n, e, &ch);
				rta_unref(ch);
				if (ok != (d->export_mode == EXP_EXPORT))
					shown = false;
			}
		}
		if (shown && pp) {
			struct channel *sc = rt_src_channel(e->src);
			shown = sc && sc->proto == pp;
		}
		if (shown && filt)
			shown = chan_run_filter(filt, &n->n, e);
		if (shown) {
			if (d->stats < 2)
				show_rte(c, d, ia, e, e == n->routes && !(e->flags & RTE_FILTERED));
			d->show_c++;
			ia[0] = 0;
		}
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

/* one piece of the reply; true when it is complete */
static bool
show_cont(struct cli *c)
{
	struct show *d = c->cont_data;
	struct vm_prog *prog = chan_prog(config);
	const struct vm_func *filt = NULL;
	struct proto *pp = NULL, *ep = NULL;

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
		if (!t) {
			d->ti++;
			continue;
		}
		if (ep) {
			for (ec = ep->channels; ec && ec->tab != t; ec = ec->next)
				;
			if (!ec || !ep->ops->rt_notify || ec->state != CS_UP) {
				d->ti++;	/* the protocol takes nothing from this table */
				continue;
			}
		}
		if (d->addr_mode) {
			struct net *n = d->addr_mode == 2 ? rt_find(t->t, &d->addr) :
					d->addr.pxlen == net_max_pxlen(&d->addr) ?
					rt_lpm(t->t, d->addr.ip) : rt_lpm_net(t->t, &d->addr);
			bool fam = (d->addr.type == NET_IP6) == (t->family == CF_AF_IPV6);
			if (n && fam)
				show_net(c, d, n, ec, filt, pp);
			table_done(c, d);
			continue;
		}
		if (!d->table_started) {
			rt_cursor_init(&d->cur);
			d->table_started = true;
			if (d->tables_explicit)
				table_header(c, d);
		}
		struct net *n;
		while ((n = rt_cursor_next(t->t, &d->cur))) {
			show_net(c, d, n, ec, filt, pp);
			if (cli_output_full(c))
				return false;
		}
		table_done(c, d);
	}
	if (d->addr_mode && !d->rt_t && !d->stats)
		cli_msg(c, 8001, "Network not found");
	else if (d->stats && d->ntables > 1)
		cli_msg(c, 14, "Total: %u of %u routes for %u networks in %u tables", d->show_t,
			d->rt_t, d->net_t, d->ntables);
	else
		cli_msg(c, 0, "%s", "");
	return true;
}

static bool
add_table(struct show *d, const char *name)
{
	for (int i = 0; i < d->ntabs; i++)
		if (!strcmp(d->tabs[i], name))
			return true;
	if (d->ntabs >= SHOW_MAX_TABLES)
		return false;
	d->tabs[d->ntabs++] = xstrdup(name);
	return true;
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

void
cmd_show_route(struct cli *c, const struct cli_tok *a)
{
	struct show *d = xzalloc(sizeof *d);
	bool all_tables = false;

	d->last_table = -1;
	c->cont_data = d;
	for (; a->type != TOK_END; a++) {
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
			if (a->type == TOK_WORD && !strcmp(a->s, "all"))
				all_tables = true;
			else if (a->type == TOK_WORD && (rt_tab_find(a->s) && (is_sym(a->s, SYM_TABLE) ||
				 !strcmp(a->s, "master4") || !strcmp(a->s, "master6"))))
				add_table(d, a->s);
			else {
				syntax(c, a, "CF_SYM_KNOWN or ALL");
				goto fail;
			}
			d->tables_explicit = true;
		} else if (!strcmp(w, "filter")) {
			a++;
			if (a->type != TOK_WORD || !is_sym(a->s, SYM_FILTER)) {
				syntax(c, a, NULL);
				goto fail;
			}
			free(d->filter);
			d->filter = xstrdup(a->s);
		} else if (!strcmp(w, "where")) {
			/* a where-expression needs the VM to compile a term with a
			 * route in scope; not yet there */
			cli_msg(c, 8001, "where expressions in show route are not supported yet");
			goto fail;
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
			a++;
			if (a->type != TOK_WORD || !is_sym(a->s, SYM_PROTO)) {
				syntax(c, a, "CF_SYM_KNOWN");
				goto fail;
			}
			if (w[0] == 'p' && w[1] == 'r' && w[2] == 'o') {
				free(d->proto);
				d->proto = xstrdup(a->s);
			} else {
				free(d->export);
				d->export = xstrdup(a->s);
				d->export_mode = w[0] == 'e' ? EXP_EXPORT : w[0] == 'p' ? EXP_PREEXPORT :
						 EXP_NOEXPORT;
			}
		} else {
			syntax(c, a, NULL);
			goto fail;
		}
	}
	if (all_tables) {
		for (struct rt_tab *t = rt_tab_first(); t; t = t->next)
			if (t->in_config)
				add_table(d, t->name);
	} else if (!d->ntabs) {
		struct proto *p = d->export ? proto_find(d->export) : d->proto ? proto_find(d->proto) : NULL;
		for (struct channel *ch = p ? p->channels : NULL; ch; ch = ch->next)
			add_table(d, ch->tab->name);
		if (!d->ntabs) {
			if (!d->addr_mode || d->addr.type == NET_IP4)
				add_table(d, "master4");
			if (!d->addr_mode || d->addr.type == NET_IP6)
				add_table(d, "master6");
		}
	}
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
