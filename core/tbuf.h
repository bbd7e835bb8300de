/*
 * Bounded text output, snprintf-style: printers append to a caller's
 * buffer, and what does not fit is still counted in pos, so the caller
 * learns the length it would have needed. Every value printer (vm/,
 * tools/) writes through this.
 */
#ifndef BIRCH_CORE_TBUF_H
#define BIRCH_CORE_TBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct tbuf {
	char *buf;		/* the caller's buffer (may be NULL when len is 0) */
	size_t len;		/* its size */
	size_t pos;		/* bytes written, or that would have been */
};

static inline void __attribute__((format(printf, 2, 3)))
tbuf_printf(struct tbuf *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->pos < o->len ? o->len - o->pos : 0;

	va_start(ap, fmt);
	int n = vsnprintf(room ? o->buf + o->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

#endif
