/*
 * The event loop. A thin layer over libevent: the one base every module
 * registers its events on. Kept separate so that tests can run a loop of
 * their own.
 */
#include <stdlib.h>

#include "core/log.h"
#include "core/loop.h"

struct event_base *loop_base;

void
loop_init(void)
{
	struct event_config *cfg = event_config_new();

	if (!cfg)
		die("Cannot create event loop");
	loop_base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (!loop_base)
		die("Cannot create event loop");
}

int
loop_run(void)
{
	return event_base_dispatch(loop_base);
}

void
loop_stop(void)
{
	event_base_loopbreak(loop_base);
}

void
loop_free(void)
{
	if (loop_base)
		event_base_free(loop_base);
	loop_base = NULL;
}
