/*
 * The event loop: one libevent base for the whole daemon. Sockets, timers
 * and signals are libevent events on it; nothing blocks.
 */
#ifndef BIRCH_CORE_LOOP_H
#define BIRCH_CORE_LOOP_H

#include <event2/event.h>

/* loop.c */
extern struct event_base *loop_base;
void loop_init(void);
int loop_run(void);		/* until loop_stop() */
void loop_stop(void);
void loop_free(void);

#endif
