/*
 * Logging. A message has a class; each destination of the running config
 * takes the classes its `log` statement names. Before a config is loaded
 * (and when it names none) messages go where BIRD sends them: to syslog,
 * or to stderr when running in the foreground with debugging (-d), and
 * debug output to the -D file. File destinations rotate: past `limit`
 * bytes the file is renamed to its backup name and reopened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"

struct log_dest {
	struct log_target t;	/* copy of the config's target */
	FILE *fh;		/* stderr or the open file */
	uint64_t size;		/* bytes in the file so far */
};

#define MAX_DESTS 16

static struct log_dest dests[MAX_DESTS];
static int ndests;
static struct tm_format log_tf = { "%F %T.%3f", NULL, 0 };
static FILE *debug_fh;		/* -D file, or stderr with -d */
static bool syslog_open;

static const char *const class_tag[L_CLASSES] = {
	[L_DEBUG] = "DBG", [L_TRACE] = "TRACE", [L_INFO] = "INFO",
	[L_REMOTE] = "RMT", [L_WARN] = "WARN", [L_ERR] = "ERR",
	[L_AUTH] = "AUTH", [L_FATAL] = "FATAL", [L_BUG] = "BUG",
};

static const char *const class_name[L_CLASSES] = {
	[L_DEBUG] = "debug", [L_TRACE] = "trace", [L_INFO] = "info",
	[L_REMOTE] = "remote", [L_WARN] = "warning", [L_ERR] = "error",
	[L_AUTH] = "auth", [L_FATAL] = "fatal", [L_BUG] = "bug",
};

static const int class_prio[L_CLASSES] = {
	[L_DEBUG] = LOG_DEBUG, [L_TRACE] = LOG_DEBUG, [L_INFO] = LOG_NOTICE,
	[L_REMOTE] = LOG_NOTICE, [L_WARN] = LOG_WARNING, [L_ERR] = LOG_ERR,
	[L_AUTH] = LOG_WARNING, [L_FATAL] = LOG_CRIT, [L_BUG] = LOG_CRIT,
};

const char *
log_class_name(enum log_class cls)
{
	return (cls > 0 && cls < L_CLASSES) ? class_name[cls] : "?";
}

int
log_class_parse(const char *name)
{
	for (int i = 1; i < L_CLASSES; i++)
		if (!strcmp(class_name[i], name))
			return i;
	return -1;
}

static void
close_dests(void)
{
	for (int i = 0; i < ndests; i++)
		if (dests[i].fh && dests[i].fh != stderr && dests[i].fh != debug_fh)
			fclose(dests[i].fh);
	ndests = 0;
	if (syslog_open) {
		closelog();
		syslog_open = false;
	}
}

/* Before any config (and for a config without `log`): everything to the
 * debug output when debugging (-d: stderr, -D: that file), else syslog. */
void
log_init(bool debug, const char *debug_file)
{
	close_dests();
	if (debug_file && !debug_fh) {
		debug_fh = fopen(debug_file, "a");
		if (!debug_fh)
			die("Unable to open debug file %s: %s", debug_file, strerror(errno));
		setvbuf(debug_fh, NULL, _IOLBF, 0);
	} else if (debug && !debug_fh)
		debug_fh = stderr;
	memset(&dests[0], 0, sizeof dests[0]);
	dests[0].t.mask = LOG_ALL;
	if (debug_fh) {
		dests[0].t.kind = debug_fh == stderr ? LOGT_STDERR : LOGT_FILE;
		dests[0].fh = debug_fh;
	} else {
		dests[0].t.kind = LOGT_SYSLOG;
		openlog("birch", LOG_CONS | LOG_NDELAY, LOG_DAEMON);
		syslog_open = true;
	}
	ndests = 1;
}

/* Take the destinations of a new config. Returns -1 when a file can't be
 * opened (that destination is left out; the rest still work). */
int
log_configure(const struct log_target *targets, const struct tm_format *fmt)
{
	int rc = 0;

	if (fmt && fmt->fmt1)
		log_tf = *fmt;
	if (!targets) {
		log_init(false, NULL);
		return 0;
	}
	close_dests();
	for (const struct log_target *t = targets; t && ndests < MAX_DESTS; t = t->next) {
		struct log_dest *d = &dests[ndests];

		memset(d, 0, sizeof *d);
		d->t = *t;
		d->t.next = NULL;
		switch (t->kind) {
		case LOGT_STDERR:
			d->fh = stderr;
			break;
		case LOGT_SYSLOG:
			if (!syslog_open) {
				openlog(t->syslog_name ? t->syslog_name : "birch",
					LOG_CONS | LOG_NDELAY, LOG_DAEMON);
				syslog_open = true;
			}
			break;
		case LOGT_FILE:
			d->fh = fopen(t->path, "a");
			if (!d->fh) {
				fprintf(stderr, "Unable to open log file %s: %s\n",
					t->path, strerror(errno));
				rc = -1;
				continue;
			}
			setvbuf(d->fh, NULL, _IOLBF, 0);
			d->size = (uint64_t)ftell(d->fh);
			break;
		}
		ndests++;
	}
	return rc;
}

static void
rotate(struct log_dest *d)
{
	fclose(d->fh);
	if (d->t.backup)
		rename(d->t.path, d->t.backup);
	d->fh = fopen(d->t.path, d->t.backup ? "w" : "a");
	d->size = 0;
	if (d->fh)
		setvbuf(d->fh, NULL, _IOLBF, 0);
}

void
log_vmsg(enum log_class cls, const char *fmt, va_list ap)
{
	char msg[2048], stamp[64];
	int64_t t = real_us();

	vsnprintf(msg, sizeof msg, fmt, ap);
	tm_format_time(stamp, sizeof stamp, &log_tf, t);
	for (int i = 0; i < ndests; i++) {
		struct log_dest *d = &dests[i];

		if (!(d->t.mask & (1u << cls)))
			continue;
		if (d->t.kind == LOGT_SYSLOG) {
			syslog(class_prio[cls], "%s", msg);
			continue;
		}
		if (!d->fh)
			continue;
		int n = fprintf(d->fh, "%s <%s> %s\n", stamp, class_tag[cls], msg);
		if (n > 0)
			d->size += (uint64_t)n;
		if (d->t.kind == LOGT_FILE && d->fh != debug_fh && d->t.limit && d->size >= d->t.limit)
			rotate(d);
	}
	/* with -d/-D, debug messages also reach the debug output */
	if (debug_fh && cls == L_DEBUG && !(ndests && dests[0].fh == debug_fh))
		fprintf(debug_fh, "%s <%s> %s\n", stamp, class_tag[cls], msg);
}

void
log_msg(enum log_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(cls, fmt, ap);
	va_end(ap);
}

/* a token bucket in one word, as BIRD limits its log: RL_BURST messages
 * at once, then one a second. *state: the time tokens were last added
 * (us, low 60 bits) and the tokens left (high 4 bits); 0 is a full bucket */
enum { RL_BURST = 5 };
#define RL_TIME(s)	((s) & ((1ULL << 60) - 1))
#define RL_TOKENS(s)	((unsigned)((s) >> 60))

void
log_rl(uint64_t *state, enum log_class cls, const char *fmt, ...)
{
	uint64_t t = (uint64_t)now_us() & ((1ULL << 60) - 1), last = RL_TIME(*state);
	unsigned tokens = *state ? RL_TOKENS(*state) : RL_BURST;
	va_list ap;

	if (*state && t > last) {
		uint64_t add = (t - last) / 1000000;
		if (tokens + add >= RL_BURST) {
			tokens = RL_BURST;
			last = t;
		} else {
			tokens += (unsigned)add;
			last += add * 1000000;
		}
	} else if (!*state) {
		last = t;
	}
	if (!tokens) {
		*state = last;
		return;
	}
	*state = (uint64_t)(tokens - 1) << 60 | last;
	va_start(ap, fmt);
	log_vmsg(cls, fmt, ap);
	va_end(ap);
}

void
log_shutdown(void)
{
	close_dests();
	if (debug_fh && debug_fh != stderr)
		fclose(debug_fh);
	debug_fh = NULL;
}

_Noreturn void
log_bug(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg(L_BUG, "%s:%d: %s", file, line, msg);
	fprintf(stderr, "bug: %s:%d: %s\n", file, line, msg);
	abort();
}

_Noreturn void
die(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	bool on_stderr = false;
	for (int i = 0; i < ndests; i++)
		on_stderr |= dests[i].fh == stderr && (dests[i].t.mask & (1u << L_FATAL));
	if (ndests)
		log_msg(L_FATAL, "%s", msg);
	if (!on_stderr)
		fprintf(stderr, "birchd: %s\n", msg);
	exit(1);
}
