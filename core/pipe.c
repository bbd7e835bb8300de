/*
 * The pipe protocol: two tables joined. Every route of the primary table
 * goes through the export filter into the peer table; every route of the
 * peer table goes through the import filter into the primary one. Pipes
 * see all routes, not only the best (their channels are CRA_ANY), and a
 * route keeps its source, preference and attributes on the way, so `show
 * route` names the protocol it came from, as BIRD's pipes do; the pipe's
 * channel is its sender in the other table.
 *
 * The two channels: pri on the primary table (its export filter is the
 * pipe's `export`, its import limit the pipe's `import limit`), sec on the
 * peer table (its export filter is the pipe's `import`, its import limit
 * the pipe's `export limit`), as BIRD 2 builds them. Routes passed through
 * arrive by chan_import_as on the other channel, whose import filter
 * accepts everything, so the other channel's import counters are the
 * pipe's (BIRD's `show protocols all` for a pipe pairs one side's export
 * counters with the other side's import ones).
 *
 * Loops: a pipe refuses (counted as rejected) a route whose sender is one
 * of its own channels, i.e. one it brought; a change that would go back
 * into a table whose change is being passed on is dropped with BIRD's
 * "Pipe loop detected" message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/cli_int.h"
#include "core/log.h"
#include "core/mem.h"

struct pipe_data {
	struct chan_config pri_cf, sec_cf;	/* the two channels' configs */
	struct channel *pri, *sec;		/* on the primary and peer tables */
};

static struct pipe_data *
pd(const struct proto *p)
{
	return p->data;
}

static void
make_cfs(struct proto *p)
{
	struct pipe_data *d = pd(p);
	const struct chan_config *cf = p->cf->channels;
	static const struct chan_limit none = { 0, LIMIT_WARN };

	d->pri_cf = *cf;
	d->pri_cf.in = (struct chan_filter){ .kind = CHF_ALL };
	d->pri_cf.preference = 0;
	d->pri_cf.in_limit = cf->in_limit;
	d->pri_cf.rx_limit = d->pri_cf.out_limit = none;
	d->sec_cf = *cf;
	d->sec_cf.in = (struct chan_filter){ .kind = CHF_ALL };
	d->sec_cf.out = cf->in;
	d->sec_cf.table = ((const struct pipe_config *)p->cf->opts)->peer;
	d->sec_cf.preference = 0;
	d->sec_cf.in_limit = cf->out_limit;
	d->sec_cf.rx_limit = d->sec_cf.out_limit = none;
}

static enum proto_state
pipe_start(struct proto *p)
{
	const struct pipe_config *pc = p->cf->opts;
	struct pipe_data *d;

	if (!p->data)
		p->data = xzalloc(sizeof(struct pipe_data));
	d = pd(p);
	make_cfs(p);
	d->pri = proto_add_channel(p, &d->pri_cf, "pri", NULL);
	d->sec = proto_add_channel(p, &d->sec_cf, "sec", pc->peer ? pc->peer->name : NULL);
	p->main = NULL;		/* BIRD's Table column shows --- for a pipe */
	if (!d->pri || !d->sec)
		return PS_START;
	d->sec->export_default = true;	/* the pipe's import: all unless said */
	chan_set_mode(d->pri, CRA_ANY, 0);
	chan_set_mode(d->sec, CRA_ANY, 0);
	return PS_UP;	/* proto.c brings pri, then sec up: each is fed its table */
}

static void
pipe_shutdown(struct proto *p)
{
	struct pipe_data *d = pd(p);

	/* proto.c flushes what each channel brought into its table */
	if (d)
		d->pri = d->sec = NULL;
}

static bool
pipe_preexport(struct proto *p, struct channel *c, const struct rte *e)
{
	struct channel *h = rt_src_channel(e->sender);

	(void)c;
	return !(h && h->proto == p);
}

static void
pipe_rt_notify(struct proto *p, struct channel *c, const net_addr *n, struct rte *new_rte,
	       struct rte *old_rte)
{
	struct pipe_data *d = pd(p);
	struct channel *other = c == d->pri ? d->sec : d->pri;

	if (!other || (!new_rte && !old_rte))
		return;
	if (other->tab->pipe_busy) {
		static uint64_t rl;	/* log_rl's state */
		char b[NET_STR_MAX];
		log_rl(&rl, L_ERR, "Pipe loop detected when sending %s to table %s",
		       net_format(n, b), other->tab->name);
		return;
	}
	c->tab->pipe_busy = true;
	if (new_rte)
		chan_import_as(other, n, new_rte->attrs, new_rte->src, new_rte->pref);
	else
		chan_withdraw(other, n, old_rte->src);
	c->tab->pipe_busy = false;
}

/* a new config in place (pipe_same held: the same peer table): each
 * channel is reconfigured, a changed export filter refeeds the pipe's side
 * of the primary table, a changed import filter that of the peer table */
static bool
pipe_reconfigure(struct proto *p, const struct proto_config *pc, struct config *conf, bool soft)
{
	struct pipe_data *d = pd(p);
	const struct chan_config *cf = pc->channels;

	if (!cf || !cf->table || strcmp(cf->table->name, p->cf->channels->table->name))
		return false;
	p->cf = pc;
	if (p->state == PS_DOWN || !d || !d->pri || !d->sec)
		return true;
	make_cfs(p);
	unsigned w1 = chan_reconfigure(d->pri, &d->pri_cf, conf, p->ops->pref);
	unsigned w2 = chan_reconfigure(d->sec, &d->sec_cf, conf, p->ops->pref);
	d->sec->export_default = true;
	/* re-import on one side is a refeed of the other (BIRD's
	 * pipe_reload_routes); the pipe's own import filters accept all */
	proto_chan_reloaded(p, d->pri, w1 & CHR_EXPORT, soft);
	if ((w1 & CHR_IMPORT) && !soft)
		chan_refeed(d->sec);
	proto_chan_reloaded(p, d->sec, w2 & CHR_EXPORT, soft);
	if ((w2 & CHR_IMPORT) && !soft)
		chan_refeed(d->pri);
	return true;
}

static bool
pipe_same(const struct proto_config *a, const struct proto_config *b)
{
	const struct pipe_config *x = a->opts, *y = b->opts;

	return x->peer && y->peer && !strcmp(x->peer->name, y->peer->name) && x->mode == y->mode;
}

static void
pipe_info(const struct proto *p, char *buf, size_t len)
{
	const struct pipe_config *pc = p->cf->opts;
	const struct chan_config *cf = p->cf->channels;

	snprintf(buf, len, "%s <=> %s", cf && cf->table ? cf->table->name : "?",
		 pc->peer ? pc->peer->name : "?");
}

static const char *
fname(const struct chan_filter *f, bool dflt_accept)
{
	switch (f->kind) {
	case CHF_DEFAULT:
		return dflt_accept ? "ACCEPT" : "REJECT";
	case CHF_ALL:
		return "ACCEPT";
	case CHF_NONE:
		return "REJECT";
	case CHF_NAMED:
		return f->name;
	default:
		return "(unnamed)";
	}
}

static void
pipe_show(struct proto *p, struct cli *c)
{
	struct pipe_data *d = pd(p);
	const struct pipe_config *pc = p->cf->opts;
	const struct chan_config *cf = p->cf->channels;
	const char *st = p->state == PS_UP ? "up" : "down";
	static const struct chan_stats zero;
	const struct chan_stats *s1 = d && d->pri ? &d->pri->st : &zero;
	const struct chan_stats *s2 = d && d->sec ? &d->sec->st : &zero;

	cli_msg(c, -1006, "  Channel main");
	cli_msg(c, -1006, "    Table:          %s", cf->table ? cf->table->name : "?");
	cli_msg(c, -1006, "    Peer table:     %s", pc->peer ? pc->peer->name : "?");
	cli_msg(c, -1006, "    Import state:   %s", st);
	cli_msg(c, -1006, "    Export state:   %s", st);
	cli_msg(c, -1006, "    Import filter:  %s", fname(&cf->in, true));
	cli_msg(c, -1006, "    Export filter:  %s", fname(&cf->out, false));
	if (p->state != PS_UP)
		return;
	cli_msg(c, -1006, "  Routes:         %u imported, %u exported", s1->imp_routes, s2->imp_routes);
	cli_msg(c, -1006, "  Route change stats:     received   rejected   filtered    ignored   accepted");
	cli_msg(c, -1006, "    Import updates:     %10u %10u %10u %10u %10u", s2->exp_updates_received,
		s2->exp_updates_rejected + s1->imp_updates_invalid, s2->exp_updates_filtered,
		s1->imp_updates_ignored, s1->imp_updates_accepted);
	cli_msg(c, -1006, "    Import withdraws:   %10u %10u        --- %10u %10u",
		s2->exp_withdraws_received, s1->imp_withdraws_invalid, s1->imp_withdraws_ignored,
		s1->imp_withdraws_accepted);
	cli_msg(c, -1006, "    Export updates:     %10u %10u %10u %10u %10u", s1->exp_updates_received,
		s1->exp_updates_rejected + s2->imp_updates_invalid, s1->exp_updates_filtered,
		s2->imp_updates_ignored, s2->imp_updates_accepted);
	cli_msg(c, -1006, "    Export withdraws:   %10u %10u        --- %10u %10u",
		s1->exp_withdraws_received, s2->imp_withdraws_invalid, s2->imp_withdraws_ignored,
		s2->imp_withdraws_accepted);
}

/* `reload in`: each side asks the other for a refeed (BIRD: the peer
 * table's routes through the import filter, and the other way round) */
static void
pipe_reload(struct proto *p)
{
	struct pipe_data *d = pd(p);

	if (d && d->pri && d->sec) {
		chan_refeed(d->sec);
		chan_refeed(d->pri);
	}
}

const struct proto_ops pipe_ops = {
	.kind = "pipe",
	.label = "Pipe",
	.pref = 70,
	.start = pipe_start,
	.shutdown = pipe_shutdown,
	.same = pipe_same,
	.rt_notify = pipe_rt_notify,
	.preexport = pipe_preexport,
	.reload = pipe_reload,
	.reconfigure = pipe_reconfigure,
	.info = pipe_info,
	.show = pipe_show,
};
