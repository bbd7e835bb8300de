/*
 * The pipe protocol: two tables joined. The primary table's best routes go
 * through the export filter into the peer table; the peer table's best
 * routes go through the import filter into the primary one. A route keeps
 * its sender (src), preference and attributes on the way, so `show route`
 * names the protocol it came from, as BIRD's pipes do.
 *
 * The two channels: pri on the primary table (its export filter is the
 * pipe's `export`), sec on the peer table (its export filter is the pipe's
 * `import`). Routes passed through arrive by chan_import on the other
 * channel, whose import filter accepts everything, so the other channel's
 * import counters are the pipe's (BIRD's `show protocols all` for a pipe
 * pairs one side's export counters with the other side's import ones).
 * Loops: a pipe refuses (counted as rejected) a route of the peer table
 * whose sender's home table is the pipe's other table, i.e. one it brought.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/cli_int.h"
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

	d->pri_cf = *cf;
	d->pri_cf.in = (struct chan_filter){ .kind = CHF_ALL };
	d->sec_cf = *cf;
	d->sec_cf.in = (struct chan_filter){ .kind = CHF_ALL };
	d->sec_cf.out = cf->in;
	d->sec_cf.table = ((const struct pipe_config *)p->cf->opts)->peer;
	d->sec_cf.preference = 0;
	d->pri_cf.preference = 0;
	d->sec_cf.in_limit = d->sec_cf.rx_limit = d->pri_cf.out_limit;
	d->pri_cf.in_limit = d->pri_cf.rx_limit = (struct chan_limit){ 0, LIMIT_WARN };
	d->sec_cf.out_limit = (struct chan_limit){ 0, LIMIT_WARN };
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
	d->pri = proto_add_channel(p, &d->pri_cf, "main", NULL);
	d->sec = proto_add_channel(p, &d->sec_cf, "main", pc->peer ? pc->peer->name : NULL);
	p->main = NULL;		/* BIRD's Table column shows --- for a pipe */
	if (!d->pri || !d->sec)
		return PS_START;
	d->sec->export_default = true;	/* the pipe's import: all unless said */
	chan_up(d->pri);
	chan_up(d->sec);
	/* feed both ways what the tables hold */
	for (int i = 0; i < 2; i++) {
		struct channel *c = i ? d->sec : d->pri;
		struct rt_cursor cur;
		struct net *n;
		rt_cursor_init(&cur);
		while ((n = rt_cursor_next(c->tab->t, &cur)))
			if (n->routes && !(n->routes->flags & RTE_FILTERED)) {
				struct rta *ch = NULL;
				c->st.exp_updates_received++;
				if (!p->ops->preexport(p, c, n->routes) ||
				    rt_src_channel(n->routes->src) == c) {
					c->st.exp_updates_rejected++;
					continue;
				}
				if (!chan_export_ok(c, &n->n, n->routes, &ch)) {
					c->st.exp_updates_filtered++;
					continue;
				}
				struct rte tmp = *n->routes;
				if (ch)
					tmp.attrs = ch;
				p->ops->rt_notify(p, c, &n->n, &tmp, NULL);
				c->st.exp_updates_accepted++;
				c->st.exp_routes++;
				rta_unref(ch);
			}
	}
	return PS_UP;
}

static void
pipe_shutdown(struct proto *p)
{
	struct pipe_data *d = pd(p);

	/* what the pipe brought into either table goes with it */
	for (int i = 0; d && i < 2; i++) {
		struct channel *from = i ? d->sec : d->pri, *to = i ? d->pri : d->sec;
		if (!from || !to)
			continue;
		struct rt_cursor cur;
		struct net *n;
		rt_cursor_init(&cur);
		while ((n = rt_cursor_next(to->tab->t, &cur)))
			for (struct rte *e = n->routes; e; e = e->next) {
				struct channel *h = rt_src_channel(e->src);
				if (h && h->tab == from->tab) {
					rte_withdraw(to->tab->t, &n->n, e->src);
					break;
				}
			}
	}
	if (d)
		d->pri = d->sec = NULL;
}

static bool
pipe_preexport(struct proto *p, struct channel *c, const struct rte *e)
{
	struct pipe_data *d = pd(p);
	struct channel *other = c == d->pri ? d->sec : d->pri;
	struct channel *h = rt_src_channel(e->src);

	return !(h && other && h->tab == other->tab);
}

static void
pipe_rt_notify(struct proto *p, struct channel *c, const net_addr *n, struct rte *new_rte,
	       struct rte *old_rte)
{
	struct pipe_data *d = pd(p);
	struct channel *other = c == d->pri ? d->sec : d->pri;

	if (!other)
		return;
	if (new_rte) {
		other->pref = new_rte->pref;
		chan_import(other, n, new_rte->attrs, new_rte->src);
	}
	if (old_rte && (!new_rte || old_rte->src != new_rte->src)) {
		struct channel *h = rt_src_channel(old_rte->src);
		if (!(h && h->tab == other->tab))
			chan_withdraw(other, n, old_rte->src);
	}
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

static void
pipe_reload(struct proto *p)
{
	/* `reload in`: the peer table's routes through the import filter */
	struct pipe_data *d = pd(p);

	if (d && d->sec)
		for (struct channel *c = d->sec; c; c = NULL) {
			struct rt_cursor cur;
			struct net *n;
			rt_cursor_init(&cur);
			while ((n = rt_cursor_next(c->tab->t, &cur)))
				if (n->routes && pipe_preexport(p, c, n->routes)) {
					struct rta *ch = NULL;
					if (chan_export_ok(c, &n->n, n->routes, &ch)) {
						struct rte tmp = *n->routes;
						if (ch)
							tmp.attrs = ch;
						pipe_rt_notify(p, c, &n->n, &tmp, NULL);
					}
					rta_unref(ch);
				}
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
	.info = pipe_info,
	.show = pipe_show,
};
