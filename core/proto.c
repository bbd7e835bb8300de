/*
 * Protocols at run time: instances made from the running config, their
 * life cycle (DOWN -> START -> UP -> STOP -> DOWN, as BIRD shows it), and
 * reconfiguration protocol by protocol.
 *
 * proto_commit compares the new config with the running protocols by
 * name: a protocol of the same kind whose config is the same (the kind's
 * `same` hook plus every channel: table, preference, limits, and filters
 * compared by bytecode) keeps running and is only rebound to the new
 * config; any other change restarts that protocol alone; protocols no
 * longer in the config are stopped and freed; new ones are started.
 *
 * Stopping is synchronous for now: a protocol's channels are flushed from
 * their tables (every export of the withdrawals happens inside the flush)
 * and freed. Limit actions that stop a protocol (restart, disable) must not
 * run inside the import that hit the limit, so they are deferred to an
 * event (proto_request / proto_run_pending).
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "vm/vm.h"

struct proto *proto_list;
static struct event *pending_ev;	/* runs deferred limit actions */

static const struct proto_ops generic_device = { .kind = "device", .label = "Device", .pref = 240 };
static const struct proto_ops generic_direct = { .kind = "direct", .label = "Direct", .pref = 240 };
static const struct proto_ops generic_kernel = { .kind = "kernel", .label = "Kernel", .pref = 10 };
static const struct proto_ops generic_bgp = { .kind = "bgp", .label = "BGP", .pref = 100 };

const struct proto_ops *
proto_ops_find(const char *kind)
{
	static const struct proto_ops *const all[] = {
		&static_ops, &pipe_ops, &generic_device, &generic_direct, &generic_kernel,
		&generic_bgp,
	};

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(all[i]->kind, kind))
			return all[i];
	return NULL;
}

struct proto *
proto_find(const char *name)
{
	for (struct proto *p = proto_list; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const char *
proto_state_name(const struct proto *p)
{
	static const char *const names[] = { "down", "start", "up", "stop" };

	return names[p->state];
}

static void
set_state(struct proto *p, enum proto_state s)
{
	if (p->state != s)
		p->since = real_us();
	p->state = s;
}

/* ---- channels ------------------------------------------------------------ */

struct channel *
proto_add_channel(struct proto *p, const struct chan_config *cf, const char *name,
		  const char *table)
{
	const char *tn = table;

	if (!tn)
		tn = cf && cf->table ? cf->table->name :
		     cf && cf->family == CF_AF_IPV6 ? "master6" : "master4";
	struct rt_tab *t = rt_tab_find(tn);
	if (!t) {
		log_msg(L_ERR, "%s: table %s does not exist", p->name, tn);
		return NULL;
	}
	return chan_new(p, cf, name, t, p->ops->pref);
}

/* ---- life cycle ---------------------------------------------------------- */

static void
start(struct proto *p)
{
	if (p->disabled || p->state != PS_DOWN)
		return;
	p->message = NULL;
	set_state(p, PS_START);
	enum proto_state s = PS_UP;
	if (p->ops->start)
		s = p->ops->start(p);
	else
		for (const struct chan_config *cc = p->cf->channels; cc; cc = cc->next)
			proto_add_channel(p, cc, cc->family == CF_AF_IPV6 ? "ipv6" : "ipv4", NULL);
	for (struct channel *c = p->channels; c; c = c->next)
		if (s == PS_UP && c->state == CS_START)
			chan_up(c);
	set_state(p, s);
}

static void
stop(struct proto *p)
{
	if (p->state == PS_DOWN)
		return;
	set_state(p, PS_STOP);
	if (p->ops->shutdown)
		p->ops->shutdown(p);
	while (p->channels) {
		struct channel *c = p->channels;
		p->channels = c->next;
		chan_free(c);
	}
	p->main = NULL;
	set_state(p, PS_DOWN);
}

void
proto_enable(struct proto *p)
{
	log_msg(L_INFO, "Enabling protocol %s", p->name);
	p->disabled = false;
	start(p);
}

void
proto_disable(struct proto *p, const char *why)
{
	log_msg(L_INFO, "Disabling protocol %s", p->name);
	p->disabled = true;
	stop(p);
	p->message = why;
}

void
proto_restart(struct proto *p, const char *why)
{
	log_msg(L_INFO, "Restarting protocol %s", p->name);
	stop(p);
	p->message = why;
	p->disabled = false;
	start(p);
}

void
proto_reload(struct proto *p, bool in, bool out)
{
	if (p->state != PS_UP)
		return;
	if (in && p->ops->reload)
		p->ops->reload(p);
	if (out)
		for (struct channel *c = p->channels; c; c = c->next) {
			if (!p->ops->rt_notify || c->state != CS_UP)
				continue;
			struct rt_cursor cur;
			struct net *n;
			rt_cursor_init(&cur);
			while ((n = rt_cursor_next(c->tab->t, &cur)))
				if (n->routes && !(n->routes->flags & RTE_FILTERED)) {
					struct rta *ch = NULL;
					if (chan_export_ok(c, &n->n, n->routes, &ch)) {
						struct rte tmp = *n->routes;
						if (ch)
							tmp.attrs = ch;
						p->ops->rt_notify(p, c, &n->n, &tmp, NULL);
					}
					rta_unref(ch);
				}
		}
}

/* ---- deferred actions ---------------------------------------------------- */

void
proto_run_pending(void)
{
	for (struct proto *p = proto_list; p; p = p->next) {
		unsigned what = p->pending;
		p->pending = 0;
		if (what & PROTO_PENDING_DISABLE)
			proto_disable(p, "Limit hit");
		else if (what & PROTO_PENDING_RESTART)
			proto_restart(p, "Limit hit");
	}
}

static void
pending_fire(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	proto_run_pending();
}

void
proto_request(struct proto *p, unsigned what, const char *why)
{
	(void)why;
	p->pending |= (uint8_t)what;
	if (!loop_base)
		return;
	if (!pending_ev)
		pending_ev = event_new(loop_base, -1, 0, pending_fire, NULL);
	event_active(pending_ev, 0, 0);
}

/* ---- reconfiguration ----------------------------------------------------- */

/* Filters are compared by form only: the two configs' programs are
 * separate, and vm_func_same compares within one program. A protocol kept
 * across a reload whose channels run filters re-runs them (reload in and
 * out), so a changed filter takes effect without a restart. */
static bool
filter_same(const struct chan_filter *a, const struct chan_filter *b)
{
	if (a->kind != b->kind)
		return false;
	return a->kind != CHF_NAMED || !strcmp(a->name, b->name);
}

static bool
runs_filters(const struct proto_config *pc)
{
	for (const struct chan_config *c = pc->channels; c; c = c->next)
		if (c->in.kind == CHF_NAMED || c->in.kind == CHF_INLINE ||
		    c->out.kind == CHF_NAMED || c->out.kind == CHF_INLINE)
			return true;
	return false;
}

static bool
chan_same(const struct chan_config *a, const struct chan_config *b)
{
	const char *ta = a->table ? a->table->name : "", *tb = b->table ? b->table->name : "";

	return a->family == b->family && !strcmp(ta, tb) && a->preference == b->preference &&
	       a->rx_limit.max == b->rx_limit.max && a->rx_limit.action == b->rx_limit.action &&
	       a->in_limit.max == b->in_limit.max && a->in_limit.action == b->in_limit.action &&
	       a->out_limit.max == b->out_limit.max && a->out_limit.action == b->out_limit.action &&
	       a->keep_filtered == b->keep_filtered && filter_same(&a->in, &b->in) &&
	       filter_same(&a->out, &b->out);
}

static bool
config_same(const struct proto *p, const struct proto_config *n)
{
	const struct proto_config *o = p->cf;
	const struct chan_config *a = o->channels, *b = n->channels;

	if (strcmp(o->kind, n->kind) || o->disabled != n->disabled || o->router_id != n->router_id)
		return false;
	for (; a && b; a = a->next, b = b->next)
		if (!chan_same(a, b))
			return false;
	if (a || b)
		return false;
	return !p->ops->same || p->ops->same(o, n);
}

static struct proto *
proto_create(const struct proto_config *pc)
{
	struct proto *p = xzalloc(sizeof *p);

	p->ops = proto_ops_find(pc->kind);
	p->cf = pc;
	p->name = xstrdup(pc->name);
	p->disabled = pc->disabled;
	p->since = real_us();
	return p;
}

static void
proto_destroy(struct proto *p)
{
	stop(p);
	free(p->data);
	free(p->name);
	free(p);
}

/* the running protocols' configs belong to `old`, which is still alive */
void
proto_commit(struct config *c)
{
	struct proto *list = NULL, **tail = &list;

	rt_tabs_sync(c);
	for (struct proto *p = proto_list; p; p = p->next)
		p->keep = false;
	for (const struct proto_config *pc = c->protos; pc; pc = pc->next) {
		if (pc->is_template || !proto_ops_find(pc->kind))
			continue;
		struct proto *p = proto_find(pc->name), **pp;
		if (p && !strcmp(p->cf->kind, pc->kind) && config_same(p, pc)) {
			/* unchanged: rebind to the new config, keep running */
			p->cf = pc;
			const struct chan_config *cc = pc->channels;
			for (struct channel *ch = p->channels; ch; ch = ch->next) {
				chan_bind(ch, cc, c);
				if (cc && cc->next)
					cc = cc->next;
			}
			if (runs_filters(pc))
				p->pending |= PROTO_PENDING_REFILTER;
		} else if (p) {
			bool was_disabled = p->disabled;
			log_msg(L_INFO, "Restarting protocol %s", p->name);
			stop(p);
			p->cf = pc;
			p->ops = proto_ops_find(pc->kind);
			p->disabled = pc->disabled || (was_disabled && p->cf->disabled);
		} else {
			p = proto_create(pc);
		}
		/* unlink from the old list, append to the new one */
		for (pp = &proto_list; *pp; pp = &(*pp)->next)
			if (*pp == p) {
				*pp = p->next;
				break;
			}
		p->next = NULL;
		p->keep = true;
		*tail = p;
		tail = &p->next;
	}
	/* what is left of the old list is gone from the config */
	while (proto_list) {
		struct proto *p = proto_list;
		proto_list = p->next;
		log_msg(L_INFO, "Removing protocol %s", p->name);
		proto_destroy(p);
	}
	proto_list = list;
	for (struct proto *p = proto_list; p; p = p->next) {
		start(p);
		if (p->pending & PROTO_PENDING_REFILTER) {
			p->pending &= (uint8_t)~PROTO_PENDING_REFILTER;
			proto_reload(p, true, true);
		}
	}
}

void
proto_shutdown_all(void)
{
	while (proto_list) {
		struct proto *p = proto_list;
		proto_list = p->next;
		proto_destroy(p);
	}
	if (pending_ev)
		event_free(pending_ev);
	pending_ev = NULL;
}
