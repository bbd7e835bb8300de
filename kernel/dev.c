/*
 * The device protocol: keeps the interface registry (core/iface.h) in
 * step with the kernel's interfaces and addresses. It has no channels and
 * makes no routes; while none runs, the registry is empty, as BIRD's
 * interface list is without one.
 *
 * Data flow: at start a socket joins the link and address multicast
 * groups (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR) first,
 * then a full scan dumps the links and the addresses on a second socket;
 * every `scan time` seconds the scan runs again and whatever it no longer
 * finds is removed (lost notifications cannot leave the registry stale).
 * Between scans each message on the group socket is applied as it comes.
 * A message that fails the checks of netlink.c is logged (rate-limited)
 * and skipped; an overrun of the group socket (ENOBUFS) or a renamed
 * interface asks for a scan on the next turn of the loop.
 *
 * A link whose master (bridge, VRF) is not known yet during a scan is
 * applied after the others, so an interface is learned after its master,
 * in the order BIRD lists them. `interface "pattern" { preferred IP; }`
 * (and BIRD 1.x `primary`) sets the address each interface prefers.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "kernel/kernel.h"
#include "kernel/kernel_int.h"

enum { DEV_DEFER_MAX = 4096 };	/* links held back for their master, per scan */

struct dev_state {
	struct proto *p;		/* owner */
	struct nl_sock *events;		/* joined to the groups, non-blocking */
	struct nl_sock *scans;		/* for dumps */
	struct event *rd;		/* events readable */
	struct event *timer;		/* periodic scan */
	struct event *rescan;		/* a scan asked for */
	struct nl_link *defer;		/* links waiting for their master */
	unsigned n_defer;		/* entries used */
	uint64_t rl_bad;		/* rate limit of malformed-message logs */
};

/* ---- config ---- */

/* does a pattern list take name? the first pattern that matches decides */
static bool
patts_match(const struct cf_patt *p, const char *name)
{
	if (!p)
		return true;	/* BIRD 1.x `primary IP` without an interface */
	for (; p; p = p->next)
		if (fnmatch(p->pattern, name, 0) == 0)
			return !p->exclude;
	return false;
}

static void
apply_wanted(const struct dev_config *dc, struct iface *i)
{
	ip_addr w4 = { { 0 } }, w6 = { { 0 } };
	bool got = false;

	/* the first `interface` statement taking the interface decides; else
	 * BIRD 1.x's `primary`, the first that takes it */
	for (const struct dev_iface *d = dc->ifaces; d && !got; d = d->next)
		if (d->patts && patts_match(d->patts, i->name)) {
			w4 = d->preferred4;
			w6 = d->preferred6;
			got = true;
		}
	for (const struct dev_iface *d = dc->primary; d && !got; d = d->next)
		if (patts_match(d->patts, i->name)) {
			w4 = d->preferred4;
			got = true;
		}
	if_set_wanted(i, w4, w6);
}

/* ---- applying messages ---- */

static void
bad_msg(struct dev_state *st, const char *what, const char *why)
{
	log_rl(&st->rl_bad, L_ERR, "%s: Malformed netlink %s message: %s", st->p->name, what, why);
}

static void
link_apply(struct dev_state *st, const struct nl_link *l)
{
	struct if_info in;
	struct iface *old = if_find_index(l->index);
	bool renamed = old && strcmp(old->name, l->name);

	nl_link_info(l, &in);
	struct iface *i = if_update(&in);
	apply_wanted(st->p->cf->opts, i);
	if (renamed)
		event_active(st->rescan, 0, 0);	/* relearn its addresses */
}

static void
addr_apply(struct dev_state *st, const struct nlmsghdr *h)
{
	struct nl_addr a;
	struct ifa_info in;
	char err[128];
	bool warn;

	int r = nl_parse_addr(h, &a, err, sizeof err);
	if (r == NL_BAD) {
		bad_msg(st, "address", err);
		return;
	}
	struct iface *i = r == NL_OK ? if_find_index(a.index) : NULL;
	if (!i)
		return;		/* another family, or an interface not known yet */
	r = nl_addr_info(&a, i->flags, &in, &warn, err, sizeof err);
	if (h->nlmsg_type == RTM_DELADDR || r == NL_IGNORE) {
		ifa_delete(i, in.ip, &in.prefix);
		return;
	}
	if (r == NL_BAD) {
		log_msg(L_ERR, "KIF: Invalid interface address %s for %s", err, i->name);
		return;
	}
	bool known = false;
	for (struct ifa *x = i->addrs; x && !known; x = x->next)
		known = ip_eq(x->ip, in.ip) && net_eq(&x->prefix, &in.prefix);
	if (warn && !known)
		log_msg(L_WARN, "Missing broadcast address for interface %s", i->name);
	ifa_update(i, &in);
}

/* a message from the group socket */
static int
event_msg(const struct nlmsghdr *h, void *arg)
{
	struct dev_state *st = arg;
	struct nl_link l;
	char err[128];

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nl_parse_link(h, &l, err, sizeof err) != NL_OK) {
			bad_msg(st, "link", err);
			return 0;
		}
		if (h->nlmsg_type == RTM_DELLINK)
			if_delete(l.index);
		else
			link_apply(st, &l);
		return 0;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		addr_apply(st, h);
		return 0;
	default:
		return 0;
	}
}

/* ---- scans ---- */

static int
scan_link(const struct nlmsghdr *h, void *arg)
{
	struct dev_state *st = arg;
	struct nl_link l;
	char err[128];

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (nl_parse_link(h, &l, err, sizeof err) != NL_OK) {
		bad_msg(st, "link", err);
		return 0;
	}
	if (l.master && !if_find_index(l.master) && st->n_defer < DEV_DEFER_MAX) {
		if (!st->defer)
			st->defer = xmalloc(DEV_DEFER_MAX * sizeof *st->defer);
		st->defer[st->n_defer++] = l;
		return 0;
	}
	link_apply(st, &l);
	return 0;
}

static int
scan_addr(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type == RTM_NEWADDR)
		addr_apply(arg, h);
	return 0;
}

static void
scan(struct dev_state *st)
{
	char err[160];

	if (!st->scans)
		return;
	if_scan_begin();
	st->n_defer = 0;
	if (nl_dump(st->scans, RTM_GETLINK, scan_link, st, err, sizeof err) < 0) {
		/* a partial list proves nothing gone: no sweep, try again */
		log_msg(L_ERR, "%s: Interface scan failed: %s", st->p->name, err);
		event_active(st->rescan, 0, 0);
		return;
	}
	for (unsigned k = 0; k < st->n_defer; k++)
		link_apply(st, &st->defer[k]);
	st->n_defer = 0;
	bool addrs = nl_dump(st->scans, RTM_GETADDR, scan_addr, st, err, sizeof err) == 0;
	if (!addrs) {
		log_msg(L_ERR, "%s: Address scan failed: %s", st->p->name, err);
		event_active(st->rescan, 0, 0);
	}
	/* a failed dump removed nothing: only what a whole scan missed goes */
	if_scan_end(addrs);
}

/* ---- events ---- */

static void
on_read(evutil_socket_t fd, short ev, void *arg)
{
	struct dev_state *st = arg;
	static uint8_t buf[65536];

	(void)fd, (void)ev;
	/* a bounded number of reads per turn: other events get their share */
	for (int k = 0; k < 64; k++) {
		long n = nl_recv(st->events, buf, sizeof buf);
		if (n == 0)
			return;
		if (n < 0) {
			if (errno == ENOBUFS || errno == ENOSPC) {
				/* messages were lost: only a scan knows the state now */
				event_active(st->rescan, 0, 0);
				continue;
			}
			log_rl(&st->rl_bad, L_ERR, "%s: netlink read: %s", st->p->name, strerror(errno));
			return;
		}
		if (nl_walk(buf, (size_t)n, event_msg, st) < 0)
			bad_msg(st, "", "broken message framing");
	}
}

static void
on_scan(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev;
	scan(arg);
}

static enum proto_state
dev_start(struct proto *p)
{
	const struct dev_config *dc = p->cf->opts;
	struct dev_state *st = xzalloc(sizeof *st);
	char err[160];

	st->p = p;
	p->data = st;
	st->events = nl_open(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, err, sizeof err);
	st->scans = st->events ? nl_open(0, err, sizeof err) : NULL;
	if (!st->scans) {
		log_msg(L_ERR, "%s: %s", p->name, err);
		nl_close(st->events);
		st->events = NULL;
	}
	st->rescan = event_new(loop_base, -1, 0, on_scan, st);
	scan(st);
	if (st->events) {
		st->rd = event_new(loop_base, nl_fd(st->events), EV_READ | EV_PERSIST, on_read, st);
		event_add(st->rd, NULL);
	}
	st->timer = event_new(loop_base, -1, EV_PERSIST, on_scan, st);
	struct timeval tv = { .tv_sec = dc->scan_time ? dc->scan_time : 60 };
	event_add(st->timer, &tv);
	return PS_UP;
}

static void
dev_shutdown(struct proto *p)
{
	struct dev_state *st = p->data;

	if (!st)
		return;
	if (st->rd)
		event_free(st->rd);
	event_free(st->timer);
	event_free(st->rescan);
	nl_close(st->events);
	nl_close(st->scans);
	free(st->defer);
	free(st);
	p->data = NULL;
	/* BIRD forgets every interface when its device protocol stops */
	if_flush();
}

static bool
patts_same(const struct cf_patt *a, const struct cf_patt *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (a->exclude != b->exclude || strcmp(a->pattern, b->pattern))
			return false;
	return !a && !b;
}

static bool
ifaces_same(const struct dev_iface *a, const struct dev_iface *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!patts_same(a->patts, b->patts) || !ip_eq(a->preferred4, b->preferred4) ||
		    !ip_eq(a->preferred6, b->preferred6))
			return false;
	return !a && !b;
}

static bool
dev_same(const struct proto_config *pa, const struct proto_config *pb)
{
	const struct dev_config *a = pa->opts, *b = pb->opts;

	return a->scan_time == b->scan_time && ifaces_same(a->ifaces, b->ifaces) &&
	       ifaces_same(a->primary, b->primary);
}

const struct proto_ops dev_ops = {
	.kind = "device",
	.label = "Device",
	.pref = 240,
	.start = dev_start,
	.shutdown = dev_shutdown,
	.same = dev_same,
};
