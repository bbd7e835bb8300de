/*
 * Clocks and BIRD's time formats: strftime(3) extended with "%Nf", the
 * first N digits (1-6, default 6) of the sub-second part, and a second
 * format for times further in the past than a limit ("iso short" prints
 * hh:mm:ss for recent times and the date for old ones).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Expand %Nf into digits first, then let strftime do the rest. */
static void
format_one(char *buf, size_t len, const char *fmt, int64_t real)
{
	char tmp[256];
	size_t o = 0;
	time_t secs = (time_t)(real / 1000000);
	long frac = (long)(real % 1000000);
	struct tm tm;

	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	for (const char *p = fmt; *p && o + 8 < sizeof tmp; p++) {
		if (p[0] == '%' && p[1] == '%') {
			tmp[o++] = '%';
			tmp[o++] = '%';
			p++;
			continue;
		}
		int digits = 0;
		const char *q = p + 1;
		if (p[0] == '%' && *q >= '1' && *q <= '6' && q[1] == 'f') {
			digits = *q - '0';
			q++;
		} else if (p[0] == '%' && *q == 'f')
			digits = 6;
		if (digits) {
			char d[8];
			snprintf(d, sizeof d, "%06ld", frac);
			memcpy(tmp + o, d, (size_t)digits);
			o += (size_t)digits;
			p = q;
			continue;
		}
		tmp[o++] = *p;
	}
	tmp[o] = 0;
	localtime_r(&secs, &tm);
	/* the format is the operator's `timeformat`, checked by the parser */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (len && strftime(buf, len, tmp, &tm) == 0)
		buf[0] = 0;
#pragma GCC diagnostic pop
}

void
tm_format_time(char *buf, size_t len, const struct tm_format *f, int64_t real)
{
	const char *fmt = f->fmt1;

	if (f->fmt2 && (real_us() - real) / 1000000 > f->limit)
		fmt = f->fmt2;
	format_one(buf, len, fmt ? fmt : "%F %T", real);
}

static const struct {
	const char *name;	/* shorthand as the config spells it */
	const char *fmt1, *fmt2;
	int64_t limit;
} shorthands[] = {
	{ "iso short",    "%T",         "%F", 72000 },
	{ "iso short ms", "%T.%3f",     "%F", 72000 },
	{ "iso short us", "%T.%6f",     "%F", 72000 },
	{ "iso long",     "%F %T",      NULL, 0 },
	{ "iso long ms",  "%F %T.%3f",  NULL, 0 },
	{ "iso long us",  "%F %T.%6f",  NULL, 0 },
};

/* Fill *out from a shorthand name; the strings are static. 0 ok, -1 unknown. */
int
tm_format_shorthand(const char *name, struct tm_format *out)
{
	for (size_t i = 0; i < sizeof shorthands / sizeof shorthands[0]; i++)
		if (!strcmp(shorthands[i].name, name)) {
			out->fmt1 = shorthands[i].fmt1;
			out->fmt2 = shorthands[i].fmt2;
			out->limit = shorthands[i].limit;
			return 0;
		}
	return -1;
}
