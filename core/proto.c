/*
 * Protocols at run time: instances made from the running config, their
 * life cycle (DOWN -> START -> UP -> STOP -> DOWN, as BIRD shows it), and
 * reconfiguration protocol by protocol.
 *
 * proto_commit compares the new config with the running protocols by
 * name, as BIRD's protos_commit: a protocol of the same kind whose own
 * options are the same (the kind's `same` hook) and whose channels join
 * the same tables keeps running and takes the new config in place; a
 * channel whose filters changed (compared by their code, vm_func_same_in)
 * or whose preference changed is reloaded (re-import, refeed) without a
 * restart, and one whose filters only look different is left alone. Any
 * other change restarts that protocol alone; protocols no longer in the
 * config are stopped and freed; new ones are started.
 *
 * Stopping is synchronous for now: a protocol's channels stop exporting,
 * then are flushed from their tables (every export of the withdrawals
 * happens inside the flush) and freed. Starting brings the channels up in
 * order; a channel whose protocol takes routes is then fed its table. Feeds
 * are queued and run at the end of the operation that asked for them
 * (proto_commit, enable, restart, reload), after every protocol it starts
 * has started, as BIRD runs its feed events after the config is applied.
 * Limit actions that stop a protocol (restart, disable) must not run inside
 * the import that hit the limit, so they are deferred to an event
 * (proto_request / proto_run_pending).
 *
 * The kernel protocol has no FIB side yet: its channel takes exports (so
 * its counters, `merge paths` and `show route export` are BIRD's) and its
 * rt_notify writes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/channel.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "kernel/kernel.h"
#include "vm/vm.h"

struct proto *proto_list;
static struct event *pending_ev;	/* runs deferred limit actions */

static const struct proto_ops generic_direct = { .kind = "direct", .label = "Direct", .pref = 240 };

/* the kernel protocol's channel: BIRD's krt_preexport refuses the kernel's
 * own routes and destinations a FIB cannot hold */
static bool
krt_preexport(struct proto *p, struct channel *c, const struct rte *e)
{
	struct channel *sc = rt_src_channel(e->src);

	(void)c;
	if (sc && sc->proto == p)
		return false;
	switch (e->attrs->dest) {
	case RTD_UNICAST:
	case RTD_BLACKHOLE:
	case RTD_UNREACHABLE:
	case RTD_PROHIBIT:
		return true;
	default:
		return false;
	}
}

static void
krt_rt_notify(struct proto *p, struct channel *c, const net_addr *n, struct rte *new_rte,
	      struct rte *old_rte)
{
	(void)p, (void)c, (void)n, (void)new_rte, (void)old_rte;	/* no FIB sync yet */
}

/* `reload in`: the kernel's own routes are learned by scans, none yet */
static void
krt_reload(struct proto *p)
{
	(void)p;
}

static enum proto_state
krt_start(struct proto *p)
{
	const struct krt_config *kc = p->cf->opts;
	const struct chan_config *cc = p->cf->channels;

	if (!cc)
		return PS_UP;
	struct channel *c = proto_add_channel(p, cc, cc->family == CF_AF_IPV6 ? "ipv6" : "ipv4", NULL);
	if (!c)
		return PS_START;
	if (kc && kc->merge_paths)
		chan_set_mode(c, CRA_MERGED, kc->merge_limit);
	return PS_UP;
}

static bool
krt_same(const struct proto_config *a, const struct proto_config *b)
{
	const struct krt_config *x = a->opts, *y = b->opts;

	return x->merge_paths == y->merge_paths && x->merge_limit == y->merge_limit &&
	       x->table_id == y->table_id && x->metric == y->metric && x->learn == y->learn &&
	       x->persist == y->persist && x->scan_time == y->scan_time &&
	       x->graceful_restart == y->graceful_restart && x->device_routes == y->device_routes;
}

static const struct proto_ops generic_kernel = {
	.kind = "kernel",
	.label = "Kernel",
	.pref = 10,
	.start = krt_start,
	.same = krt_same,
	.rt_notify = krt_rt_notify,
	.preexport = krt_preexport,
	.reload = krt_reload,
};
static const struct proto_ops generic_bgp = { .kind = "bgp", .label = "BGP", .pref = 100 };

const struct proto_ops *
proto_ops_find(const char *kind)
{
	static const struct proto_ops *const all[] = {
		&static_ops, &pipe_ops, &dev_ops, &generic_direct, &generic_kernel,
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
	for (struct channel *c = p->channels; c; c = c->next)
		chan_stop(c);
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
	chan_run_feeds();
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
	chan_run_feeds();
}

/* BIRD: re-import asks the protocol (a pipe asks its other side for a
 * refeed), re-export refeeds each channel; a refeed already queued covers
 * a second request */
void
proto_reload(struct proto *p, bool in, bool out)
{
	if (p->state != PS_UP)
		return;
	log_msg(L_INFO, "Reloading protocol %s", p->name);
	if (in) {
		if (p->ops->reload)
			p->ops->reload(p);
		for (struct channel *c = p->channels; c; c = c->next)
			c->rx_hit = c->in_hit = CLS_OK;
	}
	if (out)
		for (struct channel *c = p->channels; c; c = c->next)
			if (c->state == CS_UP)
				chan_refeed(c);
	chan_run_feeds();
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

/* what a running protocol cannot take in place: another kind, `disabled`,
 * router id, and whatever its kind's `same` hook says */
static bool
proto_same(const struct proto *p, const struct proto_config *n)
{
	const struct proto_config *o = p->cf;

	if (strcmp(o->kind, n->kind) || o->disabled != n->disabled || o->router_id != n->router_id)
		return false;
	return !p->ops->same || p->ops->same(o, n);
}

void
proto_chan_reloaded(struct proto *p, struct channel *c, unsigned what, bool soft)
{
	if (soft) {
		/* `configure soft`: the new filters apply to what comes next */
		if (what & CHR_IMPORT)
			log_msg(L_INFO, "Channel %s.%s changed import", p->name, c->name);
		if (what & CHR_EXPORT)
			log_msg(L_INFO, "Channel %s.%s changed export", p->name, c->name);
		return;
	}
	if (!(what & (CHR_IMPORT | CHR_EXPORT)))
		return;
	log_msg(L_INFO, "Reloading channel %s.%s", p->name, c->name);
	if ((what & CHR_IMPORT) && p->ops->reload)
		p->ops->reload(p);
	if (what & CHR_EXPORT)
		chan_refeed(c);
}

/* As BIRD's channel_reconfigure for each channel, in order: a channel on
 * another table restarts the protocol; changed filters or preference
 * reload the channel (a protocol that cannot re-import restarts); limits
 * and `keep filtered` are taken over. With soft, nothing is reloaded. */
static bool
reconfigure(struct proto *p, const struct proto_config *pc, struct config *conf, bool soft)
{
	const struct chan_config *cc;
	struct channel *ch;

	if (!proto_same(p, pc))
		return false;
	if (p->ops->reconfigure)
		return p->ops->reconfigure(p, pc, conf, soft);
	if (p->state == PS_DOWN) {
		p->cf = pc;
		return true;
	}
	for (ch = p->channels, cc = pc->channels; ch && cc; ch = ch->next, cc = cc->next) {
		const char *tn = cc->table ? cc->table->name :
				 cc->family == CF_AF_IPV6 ? "master6" : "master4";
		if (strcmp(tn, ch->tab->name))
			return false;
	}
	if (ch || cc)
		return false;
	unsigned what[64] = { 0 };
	unsigned i = 0;
	for (ch = p->channels, cc = pc->channels; ch && cc; ch = ch->next, cc = cc->next, i++) {
		unsigned w = chan_reconfigure(ch, cc, conf, p->ops->pref);
		if ((w & CHR_IMPORT) && !soft && !p->ops->reload)
			return false;	/* cannot re-import: restart */
		if (i < 64)
			what[i] = w;
	}
	p->cf = pc;
	i = 0;
	for (ch = p->channels; ch; ch = ch->next, i++)
		if (i < 64)
			proto_chan_reloaded(p, ch, what[i], soft);
	return true;
}

static struct proto *
proto_create(const struct proto_config *pc)
{
	struct proto *p = xzalloc(sizeof *p);

	p->ops = proto_ops_find(pc->kind);
	p->cf = pc;
	p->name = xstrdup(pc->name);
	mem_charge(MEM_PROTOS, (long)(sizeof *p + strlen(p->name) + 1), 0);
	p->disabled = pc->disabled;
	p->since = real_us();
	return p;
}

static void
proto_destroy(struct proto *p)
{
	stop(p);
	mem_charge(MEM_PROTOS, -(long)(sizeof *p + strlen(p->name) + 1), 0);
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
		if (p && p->ops == proto_ops_find(pc->kind) && reconfigure(p, pc, c, c->soft)) {
			/* taken in place: keeps running */
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
	for (struct proto *p = proto_list; p; p = p->next)
		start(p);
	chan_run_feeds();
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
