/* LINK: core/log.c core/time.c */
/*
 * Logging and time formats: BIRD's strftime extension %Nf, the iso
 * shorthands with their near/far formats, class masks per destination, the
 * line format "<date> <CLASS> message", and rotation of a file log past its
 * size limit to the backup name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/log.h"

static char dir[] = "/tmp/birch-test-log-XXXXXX";

static char *
slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void
test_time_formats(void **st)
{
	struct tm_format f;
	char buf[64];
	/* 2001-02-03 04:05:06.789012 in the local zone of the test (UTC) */
	int64_t t = 981173106LL * 1000000 + 789012;
	(void)st;

	setenv("TZ", "UTC", 1);
	assert_int_equal(tm_format_shorthand("iso long ms", &f), 0);
	tm_format_time(buf, sizeof buf, &f, t);
	assert_string_equal(buf, "2001-02-03 04:05:06.789");
	assert_int_equal(tm_format_shorthand("iso long us", &f), 0);
	tm_format_time(buf, sizeof buf, &f, t);
	assert_string_equal(buf, "2001-02-03 04:05:06.789012");
	assert_int_equal(tm_format_shorthand("iso long", &f), 0);
	tm_format_time(buf, sizeof buf, &f, t);
	assert_string_equal(buf, "2001-02-03 04:05:06");
	/* iso short: time for the last 20 hours, the date before that */
	assert_int_equal(tm_format_shorthand("iso short", &f), 0);
	tm_format_time(buf, sizeof buf, &f, t);
	assert_string_equal(buf, "2001-02-03");
	int64_t recent = real_us() - 3600LL * 1000000;
	tm_format_time(buf, sizeof buf, &f, recent);
	assert_int_equal(strlen(buf), 8);
	assert_int_equal(buf[2], ':');
	assert_int_equal(tm_format_shorthand("iso short ms", &f), 0);
	tm_format_time(buf, sizeof buf, &f, recent);
	assert_int_equal(strlen(buf), 12);
	assert_int_equal(buf[8], '.');
	assert_int_equal(tm_format_shorthand("iso medium", &f), -1);
	/* %Nf with every width, and %% left alone */
	struct tm_format g = { "%S.%1f|%2f|%6f|%f|%%f", NULL, 0 };
	tm_format_time(buf, sizeof buf, &g, t);
	assert_string_equal(buf, "06.7|78|789012|789012|%f");
}

static void
test_classes(void **st)
{
	(void)st;
	assert_int_equal(log_class_parse("warning"), L_WARN);
	assert_int_equal(log_class_parse("remote"), L_REMOTE);
	assert_int_equal(log_class_parse("warn"), -1);
	assert_string_equal(log_class_name(L_AUTH), "auth");
}

static void
test_file_log_and_rotation(void **st)
{
	char path[128], backup[128], other[128];
	struct log_target t2, t1;
	struct tm_format f = { "%F %T.%3f", NULL, 0 };
	(void)st;

	snprintf(path, sizeof path, "%s/a.log", dir);
	snprintf(backup, sizeof backup, "%s/a.log.old", dir);
	snprintf(other, sizeof other, "%s/b.log", dir);
	memset(&t1, 0, sizeof t1);
	memset(&t2, 0, sizeof t2);
	t1.kind = LOGT_FILE;
	t1.path = path;
	t1.backup = backup;
	t1.limit = 200;
	t1.mask = 1u << L_INFO | 1u << L_ERR;
	t1.next = &t2;
	t2.kind = LOGT_FILE;
	t2.path = other;
	t2.mask = 1u << L_WARN;
	assert_int_equal(log_configure(&t1, &f), 0);

	log_msg(L_INFO, "Started");
	log_msg(L_WARN, "only in b");
	log_msg(L_DEBUG, "nowhere");
	char *a = slurp(path);
	assert_non_null(a);
	assert_non_null(strstr(a, " <INFO> Started\n"));
	assert_null(strstr(a, "only in b"));
	assert_null(strstr(a, "nowhere"));
	/* "YYYY-MM-DD hh:mm:ss.mmm <INFO> Started" */
	assert_int_equal(a[4], '-');
	assert_int_equal(a[19], '.');
	assert_int_equal(a[23], ' ');
	assert_non_null(strstr(slurp(other), " <WARN> only in b\n"));

	/* past 200 bytes the file moves to the backup name */
	for (int i = 0; i < 6; i++)
		log_msg(L_ERR, "error number %d", i);
	char *old = slurp(backup);
	assert_non_null(old);
	assert_non_null(strstr(old, "Started"));
	char *cur = slurp(path);
	assert_true(strlen(cur) < 200);
	assert_non_null(strstr(cur, "<ERR> error number 5"));

	/* a file that can't be opened is reported; the others still work */
	t1.path = "/nonexistent-dir/x.log";
	t1.next = &t2;
	assert_int_equal(log_configure(&t1, &f), -1);
	log_msg(L_WARN, "after");
	assert_non_null(strstr(slurp(other), "after"));
	log_shutdown();
}

/* log_rl: a burst of 5 from one site, then one a second (BIRD's limit) */
static void
test_rate_limit(void **st)
{
	char path[128];
	struct log_target t1;
	struct tm_format f = { "%F %T.%3f", NULL, 0 };
	uint64_t rl = 0, other = 0;
	(void)st;

	snprintf(path, sizeof path, "%s/rl.log", dir);
	memset(&t1, 0, sizeof t1);
	t1.kind = LOGT_FILE;
	t1.path = path;
	t1.mask = 1u << L_ERR;
	assert_int_equal(log_configure(&t1, &f), 0);
	for (int i = 0; i < 8; i++)
		log_rl(&rl, L_ERR, "burst %d", i);
	log_rl(&other, L_ERR, "another site");
	char *a = slurp(path);
	assert_non_null(strstr(a, "burst 4\n"));
	assert_null(strstr(a, "burst 5"));
	assert_non_null(strstr(a, "another site"));
	usleep(1100000);
	log_rl(&rl, L_ERR, "a second later");
	log_rl(&rl, L_ERR, "and at once again");
	a = slurp(path);
	assert_non_null(strstr(a, "a second later"));
	assert_null(strstr(a, "and at once again"));
	log_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_formats),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_file_log_and_rotation),
		cmocka_unit_test(test_rate_limit),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
