/*
 * birchd: the daemon. Command-line flags as BIRD's; then the config is
 * read whole (any error ends the start with every error printed), the
 * control socket is opened (refusing one a live daemon holds), privileges
 * are dropped to the capabilities routing needs, the process detaches
 * unless asked to stay in the foreground, and the event loop runs until
 * `down`, SIGTERM or SIGINT. SIGHUP reloads the config; SIGUSR1 writes the
 * daemon's state to the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/channel.h"
#include "core/cli.h"
#include "core/cli_int.h"
#include "core/conf.h"
#include "core/iface.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/mem.h"
#include "lang/lang.h"
#include "vm/vm.h"

#define DEFAULT_CONFIG "/etc/birch/birch.conf"
#define DEFAULT_SOCKET "/run/birch/birch.ctl"

static const char *opt_config = DEFAULT_CONFIG;
static const char *opt_socket = DEFAULT_SOCKET;
static const char *opt_pidfile;
static const char *opt_debug_file;
static const char *opt_user, *opt_group;
static bool opt_foreground, opt_debug, opt_parse_only, opt_recovery;
static bool pidfile_written;

static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: birchd [--version] [--help] [-c <config-file>] [OPTIONS]\n"
		"\n"
		"Options:\n"
		"  -c <config-file>     Use given configuration file instead of\n"
		"                       " DEFAULT_CONFIG "\n"
		"  -d                   Enable debug messages and run in foreground\n"
		"  -D <debug-file>      Log debug messages to given file instead of stderr\n"
		"  -f                   Run in foreground\n"
		"  -g <group>           Use given group ID\n"
		"  -h, --help           Display this information\n"
		"  -l                   Look for a configuration file and a control socket\n"
		"                       in the current working directory\n"
		"  -p                   Test configuration file and exit without start\n"
		"  -P <pid-file>        Create a PID file with given filename\n"
		"  -R                   Apply graceful restart recovery after start\n"
		"  -s <control-socket>  Use given filename for a control socket\n"
		"                       instead of " DEFAULT_SOCKET "\n"
		"  -u <user>            Drop privileges and use given user ID\n"
		"  -6, --ipv6           Read a BIRD 1.x config as IPv6 (as bird6 did)\n"
		"  --version            Display version of Birch\n");
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "ipv6", no_argument, NULL, '6' },
		{ NULL, 0, NULL, 0 }
	};
	bool local = false, config_given = false, socket_given = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:dD:fg:hlpP:Rs:u:6", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': opt_config = optarg; config_given = true; break;
		case 'd': opt_debug = opt_foreground = true; break;
		case 'D': opt_debug_file = optarg; break;
		case 'f': opt_foreground = true; break;
		case 'g': opt_group = optarg; break;
		case 'l': local = true; break;
		case 'p': opt_parse_only = true; break;
		case 'P': opt_pidfile = optarg; break;
		case 'R': opt_recovery = true; break;
		case 's': opt_socket = optarg; socket_given = true; break;
		case 'u': opt_user = optarg; break;
		case '6': daemon_info.parse_flags |= CF_IPV6_DEFAULT; break;
		case 'V':
			printf("Birch version %s\n", BIRCH_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	if (optind < argc) {
		usage(stderr);
		exit(1);
	}
	if (local) {
		if (!config_given)
			opt_config = "birch.conf";
		if (!socket_given)
			opt_socket = "birch.ctl";
	}
}

/* Parse the config given by -c; print every error and exit on failure. */
static struct config *
read_startup_config(void)
{
	struct cf_error *errs = NULL;
	struct config *c = cf_parse_file(opt_config, daemon_info.parse_flags, &errs);

	if (!c) {
		char buf[1024];
		for (struct cf_error *e = errs; e; e = e->next) {
			cf_error_format(e, buf, sizeof buf, 0);
			fprintf(stderr, "birchd: %s\n", buf);
		}
		cf_errors_free(errs);
		exit(1);
	}
	return c;
}

/* Keep only what routing needs: interfaces and routes (NET_ADMIN), port
 * 179 (NET_BIND_SERVICE), raw and broadcast sockets. */
static void
drop_privileges(void)
{
	static const cap_value_t keep[] = {
		CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_BROADCAST, CAP_NET_RAW
	};
	uid_t uid = 0;
	gid_t gid = 0;
	cap_t caps;

	if (!opt_user && !opt_group)
		return;
	if (opt_user) {
		struct passwd *pw = getpwnam(opt_user);
		if (!pw)
			die("Cannot find user '%s'", opt_user);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (opt_group) {
		struct group *gr = getgrnam(opt_group);
		if (!gr)
			die("Cannot find group '%s'", opt_group);
		gid = gr->gr_gid;
	}
	/* the control socket belongs to whom the daemon runs as */
	if (chown(opt_socket, opt_user ? uid : (uid_t)-1, opt_group || opt_user ? gid : (gid_t)-1) < 0)
		log_msg(L_WARN, "Cannot change owner of %s: %s", opt_socket, strerror(errno));
	if (prctl(PR_SET_KEEPCAPS, 1) < 0)
		die("prctl: %s", strerror(errno));
	if (opt_group || opt_user) {
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0)
			die("Cannot set group ID: %s", strerror(errno));
	}
	if (opt_user && setresuid(uid, uid, uid) < 0)
		die("Cannot set user ID: %s", strerror(errno));
	caps = cap_init();
	if (!caps ||
	    cap_set_flag(caps, CAP_PERMITTED, 4, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 4, keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		die("Cannot set capabilities: %s", strerror(errno));
	cap_free(caps);
	prctl(PR_SET_KEEPCAPS, 0);
}

static void
write_pidfile(void)
{
	char buf[32];
	int fd, n;

	if (!opt_pidfile)
		return;
	fd = open(opt_pidfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("Cannot create PID file %s: %s", opt_pidfile, strerror(errno));
	n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)n) != n)
		die("Cannot write PID file %s: %s", opt_pidfile, strerror(errno));
	close(fd);
	pidfile_written = true;
}

static void
detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

/* ---- running ----------------------------------------------------------- */

static struct event *ev_shutdown;

static void
shutdown_now(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev, (void)arg;
	cli_shutdown(loop_stop);
}

/* `down` and SIGTERM: stop at the next turn of the loop, after replies. */
static void
request_shutdown(void)
{
	if (daemon_info.shutting_down)
		return;
	daemon_info.shutting_down = true;
	log_msg(L_INFO, "Shutting down");
	event_active(ev_shutdown, 0, 0);
}

static void
reconfigure_from_signal(void)
{
	struct cf_error *errs = NULL;
	const char *file = config ? config->file : opt_config;
	struct config *c;
	char buf[1024];

	log_msg(L_INFO, "Reconfiguration requested by SIGHUP");
	log_msg(L_INFO, "Reconfiguring");
	c = cf_parse_file(file, daemon_info.parse_flags, &errs);
	if (!c) {
		for (struct cf_error *e = errs; e; e = e->next) {
			cf_error_format(e, buf, sizeof buf, 1);
			log_msg(L_ERR, "%s", buf);
		}
		cf_errors_free(errs);
		log_msg(L_ERR, "Reconfiguration failed, keeping the running configuration");
		return;
	}
	if (config_commit(c, 0, buf, sizeof buf) < 0) {
		log_msg(L_ERR, "%s", buf);
		config_free(c);
		return;
	}
	log_msg(L_INFO, "Reconfigured");
}

/* before the config goes: every protocol, then the tables */
static void
daemon_stop_protocols(void)
{
	proto_shutdown_all();
	rt_tabs_free();
}

static void
dump_state(void)
{
	struct mem_usage u;
	uint32_t r = config ? config->router_id : 0;

	log_msg(L_INFO, "Dump: %s, config %s, router id %u.%u.%u.%u", cli_version_string(),
		config ? config->file : "-", r >> 24, (r >> 16) & 255, (r >> 8) & 255, r & 255);
	for (struct proto_config *p = config ? config->protos : NULL; p; p = p->next)
		log_msg(L_INFO, "Dump: %s %s %s%s", p->is_template ? "template" : "protocol",
			p->kind, p->name, p->disabled ? " (disabled)" : "");
	for (int i = 0; i < MEM_CLASSES; i++) {
		mem_usage((enum mem_class)i, &u);
		log_msg(L_INFO, "Dump: memory %s %zu effective, %zu overhead",
			mem_class_name((enum mem_class)i), u.effective, u.overhead);
	}
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev, (void)arg;
	switch (sig) {
	case SIGHUP:
		reconfigure_from_signal();
		break;
	case SIGUSR1:
		dump_state();
		break;
	case SIGTERM:
	case SIGINT:
		request_shutdown();
		break;
	}
}

int
main(int argc, char **argv)
{
	static const int sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	struct event *sev[4];
	struct config *c;
	char err[256];

	parse_args(argc, argv);
	daemon_info.boot_time = real_us();
	daemon_info.config_file = opt_config;
	log_init(opt_debug, opt_debug_file);

	c = read_startup_config();
	config_apply_hook = proto_commit;
	vm_ifname = if_name_of;		/* `ifname`, `gw =` in filters */
	vm_nexthop = if_nexthop;
	config_shutdown_hook = daemon_stop_protocols;
	if (opt_parse_only) {
		config_free(c);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	loop_init();
	ev_shutdown = event_new(loop_base, -1, 0, shutdown_now, NULL);
	int rc = cli_open(opt_socket, 0660, request_shutdown);
	if (rc < 0) {
		int e = errno;
		config_free(c);
		event_free(ev_shutdown);
		loop_free();
		if (rc == -2)
			die("Control socket %s is in use by another running daemon", opt_socket);
		die("Cannot create control socket %s: %s", opt_socket, strerror(e));
	}
	drop_privileges();
	if (!opt_foreground)
		detach();
	/* libevent's backend must be re-armed in the child after fork */
	event_reinit(loop_base);
	write_pidfile();
	if (config_commit(c, 0, err, sizeof err) < 0) {
		cli_close();
		config_free(c);
		die("%s", err);
	}
	for (int i = 0; i < 4; i++) {
		sev[i] = evsignal_new(loop_base, sigs[i], on_signal, NULL);
		evsignal_add(sev[i], NULL);
	}
	if (opt_recovery) {
		/* No channel takes part in graceful restart yet, so recovery
		 * has nothing to wait for and ends at once. */
		log_msg(L_INFO, "Graceful restart recovery started");
		log_msg(L_INFO, "Graceful restart done");
	}
	log_msg(L_INFO, "Started");

	loop_run();

	for (int i = 0; i < 4; i++)
		event_free(sev[i]);
	event_free(ev_shutdown);
	cli_close();
	if (pidfile_written)
		unlink(opt_pidfile);
	log_msg(L_FATAL, "Shutdown completed");
	config_shutdown();
	loop_free();
	log_shutdown();
	return 0;
}
