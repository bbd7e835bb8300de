/*
 * The config life cycle. A config is parsed whole into its own pool; only
 * one without errors replaces the running one. The previous config is kept
 * for `configure undo`, and `configure timeout` arms a timer that undoes
 * the change unless `configure confirm` comes first. Applying a config
 * compares it with the running one piece by piece (log destinations, router
 * id, protocols) and changes only what differs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "core/loop.h"
#include "core/mem.h"

struct config *config;		/* running */
void (*config_apply_hook)(struct config *c);
void (*config_shutdown_hook)(void);

struct config *
config_alloc(const char *file)
{
	struct pool *p = pool_new(MEM_CONFIG, "config");
	struct config *c = pool_zalloc(p, sizeof *c);

	c->pool = p;
	c->file = pool_strdup(p, file ? file : "");
	c->load_time = real_us();
	config_defaults(c);
	return c;
}

/* BIRD's defaults: iso short ms for route and protocol times, iso long ms
 * for base and log times. */
void
config_defaults(struct config *c)
{
	tm_format_shorthand("iso short ms", &c->tf[TF_ROUTE]);
	tm_format_shorthand("iso short ms", &c->tf[TF_PROTO]);
	tm_format_shorthand("iso long ms", &c->tf[TF_BASE]);
	tm_format_shorthand("iso long ms", &c->tf[TF_LOG]);
	c->gr_wait = 240;
}

void
config_free(struct config *c)
{
	if (!c)
		return;
	if (c->prog && c->prog_free)
		c->prog_free(c->prog);
	if (c->trees)
		pool_free(c->trees);
	pool_free(c->pool);
}

/* `router id from "eth*", -"lo"`: the first pattern that matches the name
 * decides; a name no pattern matches is not taken. No patterns: all are. */
static bool
iface_selected(const struct config *c, const char *name)
{
	if (!c->router_id_patts)
		return true;
	for (const struct cf_patt *p = c->router_id_patts; p; p = p->next)
		if (fnmatch(p->pattern, name, 0) == 0)
			return !p->exclude;
	return false;
}

/*
 * A config without `router id` takes the lowest IPv4 address of the
 * interfaces (those matching `router id from`, if given), preferring any
 * non-loopback address. Returns 0 and fills *rid, or -1.
 */
int
config_find_router_id(const struct config *c, uint32_t *rid)
{
	struct ifaddrs *ifa, *i;
	uint32_t best = 0, best_lo = 0;

	if (c->router_id) {
		*rid = c->router_id;
		return 0;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		if (!iface_selected(c, i->ifa_name))
			continue;
		uint32_t a = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr.s_addr);
		if (!a)
			continue;
		if (i->ifa_flags & IFF_LOOPBACK) {
			if (!best_lo || a < best_lo)
				best_lo = a;
		} else if (!best || a < best)
			best = a;
	}
	freeifaddrs(ifa);
	*rid = best ? best : best_lo;
	return *rid ? 0 : -1;
}

/* ---- commit, undo, timeout ------------------------------------------- */

static struct config *old_config;	/* what `configure undo` returns to */
static struct event *undo_timer;	/* armed by `configure timeout` */
static int64_t undo_at;			/* now_us() when the timer fires */

static void
apply(struct config *c)
{
	log_configure(c->logs, &c->tf[TF_LOG]);
	if (config_apply_hook)
		config_apply_hook(c);
}

static void
undo_fire(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	log_msg(L_INFO, "Reconfiguration undo timeout expired");
	config_undo();
}

/*
 * Make `c` the running config. A config without a router id gets one from
 * the interfaces; when none can be found the config is refused (the caller
 * frees it). The previous config is kept for undo; with timeout_s > 0 an
 * undo is scheduled unless confirmed in time.
 */
int
config_commit(struct config *c, int timeout_s, char *err, size_t errlen)
{
	uint32_t rid;

	if (config_find_router_id(c, &rid) < 0) {
		snprintf(err, errlen, "Cannot determine router ID, please configure it manually");
		return -1;
	}
	c->router_id = rid;
	if (config) {
		log_msg(L_INFO, "Reconfiguring");
		config_free(old_config);
		old_config = config;
	}
	config = c;
	apply(c);
	if (undo_timer)
		evtimer_del(undo_timer);
	if (timeout_s > 0 && loop_base) {
		if (!undo_timer)
			undo_timer = evtimer_new(loop_base, undo_fire, NULL);
		struct timeval tv = { .tv_sec = timeout_s };
		evtimer_add(undo_timer, &tv);
		undo_at = now_us() + (int64_t)timeout_s * 1000000;
	} else
		undo_at = 0;
	return 0;
}

/* Return to the previous config. 0 done, -1 nothing to return to. */
int
config_undo(void)
{
	if (undo_timer)
		evtimer_del(undo_timer);
	undo_at = 0;
	if (!old_config)
		return -1;
	struct config *c = config;
	log_msg(L_INFO, "Reconfiguring");
	config = old_config;
	old_config = NULL;
	config->soft = false;
	apply(config);		/* protocols still point into c until this returns */
	config_free(c);
	return 0;
}

/* Cancel a scheduled undo. 0 done, -1 there was none. */
int
config_confirm(void)
{
	if (!undo_at)
		return -1;
	evtimer_del(undo_timer);
	undo_at = 0;
	return 0;
}

/* Microseconds until a scheduled undo, or -1 when none is scheduled. */
int64_t
config_undo_remaining(void)
{
	if (!undo_at)
		return -1;
	int64_t left = undo_at - now_us();
	return left > 0 ? left : 0;
}

void
config_shutdown(void)
{
	if (undo_timer)
		event_free(undo_timer);
	undo_timer = NULL;
	if (config_shutdown_hook)
		config_shutdown_hook();
	config_free(old_config);
	old_config = NULL;
	config_free(config);
	config = NULL;
}
