/*
 * Birch logging: messages carry a class, and each configured destination
 * (stderr, syslog, a file with a size limit and a backup name) takes the
 * classes its `log` statement names. Lines look like BIRD's:
 * "2026-01-02 03:04:05.678 <INFO> Started".
 */
#ifndef BIRCH_CORE_LOG_H
#define BIRCH_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

enum log_class {
	L_DEBUG = 1,		/* debugging messages */
	L_TRACE,		/* protocol tracing */
	L_INFO,			/* informational */
	L_REMOTE,		/* misbehaviour of remote machines */
	L_WARN,			/* local problems, warnings */
	L_ERR,			/* local problems, errors */
	L_AUTH,			/* authentication failures */
	L_FATAL,		/* fatal errors */
	L_BUG,			/* internal bugs */
	L_CLASSES
};
#define LOG_ALL 0x3fe		/* mask of every class above */

enum log_kind {
	LOGT_STDERR,		/* standard error */
	LOGT_SYSLOG,		/* syslog(3) */
	LOGT_FILE		/* a file, optionally rotated */
};

struct log_target {
	struct log_target *next;	/* next target of the same config */
	enum log_kind kind;		/* where the lines go */
	uint32_t mask;			/* 1 << class for each class taken */
	char *path;			/* LOGT_FILE: the file */
	char *syslog_name;		/* LOGT_SYSLOG: ident, or NULL for "bird" */
	uint64_t limit;			/* LOGT_FILE: rotate past this size, 0 = never */
	char *backup;			/* LOGT_FILE: rotated file's name */
};

struct tm_format {
	const char *fmt1;	/* strftime format with %f (sub-seconds) */
	const char *fmt2;	/* used for times older than limit; may be NULL */
	int64_t limit;		/* seconds */
};

/* log.c */
void log_init(bool debug, const char *debug_file);
int log_configure(const struct log_target *targets, const struct tm_format *fmt);
void log_msg(enum log_class cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_class cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void log_rl(uint64_t *state, enum log_class cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));	/* per site: 5 at once, then one a second */
const char *log_class_name(enum log_class cls);	/* "info", ... */
int log_class_parse(const char *name);		/* -1 when unknown */
void log_shutdown(void);

/* time.c: clocks and BIRD's time formats */
int64_t now_us(void);		/* monotonic, microseconds */
int64_t real_us(void);		/* wall clock, microseconds since the epoch */
void tm_format_time(char *buf, size_t len, const struct tm_format *f, int64_t real);
int tm_format_shorthand(const char *name, struct tm_format *out);	/* "iso long ms"... */

#define bug(...) log_bug(__FILE__, __LINE__, __VA_ARGS__)
#define ASSERT(x) do { if (!(x)) bug("assertion failed: %s", #x); } while (0)
_Noreturn void log_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
