/*
 * birch-check: the offline checker. For now it parses a config the way the
 * daemon will (every include, every check) and prints each error with its
 * source line and a caret, or nothing when the config is accepted.
 *
 *   birch-check [-6] [-q] CONFIG     exit 0 accepted, 1 refused, 2 usage
 *
 * With --filter NAME it runs one filter on routes read by tools/routes.h:
 * one route given as text (--route), or every route of a file of text
 * routes or an MRT dump (--routes), and reports the verdicts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "core/attr.h"
#include "core/conf.h"
#include "core/mem.h"
#include "lang/ast.h"
#include "lang/lang.h"
#include "tools/routes.h"
#include "vm/vm.h"

/* --test: run every bt_test_suite; 0 all passed */
static int
run_tests(struct config *conf, struct vm_prog *prog)
{
	struct cf_symbol *ts = cf_find_symbol(conf->root, " tests");
	const struct f_test *t = ts ? ts->u.ptr : NULL;
	unsigned pass = 0, fail = 0;

	for (; t; t = t->next) {
		const char *name = t->fn && t->fn->sym ? t->fn->sym->name : "?";
		const struct vm_func *f = vm_find(prog, name, VM_FIND_FUNCTION);
		struct vm_result res = { 0 };
		struct f_val v;
		const char *lines;
		int r = -1;
		unsigned nf = 0;
		if (t->fn2) {
			/* bt_test_same(f, g, expected): f and g compile the same? */
			const char *n2 = t->fn2->sym ? t->fn2->sym->name : "?";
			const struct vm_func *g = vm_find(prog, n2, VM_FIND_FUNCTION);
			memset(&res, 0, sizeof res);
			if (f && g && vm_func_same(prog, f, g) == !!t->expected)
				r = 0;
			else
				res.msg = "bt_test_same: not as expected";
		} else if (f) {
			r = vm_run_function(prog, f, &v, &res);
			nf = vm_asserts_failed(prog, &lines);
		}
		if (res.out_len)
			fwrite(res.out, 1, res.out_len, stdout);
		if (!f || r < 0 || nf) {
			fail++;
			printf("FAIL %s%s%s%s\n", name, t->desc ? " (" : "", t->desc ? t->desc : "",
			       t->desc ? ")" : "");
			if (r < 0 && res.msg)
				printf("  %s\n", res.msg);
			if (nf)
				printf("  bt_assert failed at %s:%s\n", t->file ? t->file : "?", lines);
		} else {
			pass++;
			printf("PASS %s%s%s%s\n", name, t->desc ? " (" : "", t->desc ? t->desc : "",
			       t->desc ? ")" : "");
		}
	}
	printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}

static int
run_eval(struct config *conf, struct vm_prog *prog, const char *text)
{
	struct cf_error *errs = NULL;
	struct f_node *n = cf_parse_term(conf, text, &errs);
	char buf[8192];

	if (!n) {
		printf("%s\n", errs && errs->msg ? errs->msg : "syntax error");
		cf_errors_free(errs);
		return 1;
	}
	int r = vm_eval_term(prog, n, buf, sizeof buf);
	printf("%s\n", buf);
	return r < 0 ? 1 : 0;
}

/* ---- --filter NAME with --route TEXT / --routes FILE ---- */

static void
route_view(struct vm_route *v, const net_addr *net, struct rta *a, const struct route_peer *pe)
{
	*v = (struct vm_route){ .net = net, .attrs = a, .preference = 100 };
	if (pe && pe->valid) {
		v->from = pe->ip;
		v->proto = "mrt";
	}
}

/* Why a route was rejected: `reject "text"` prints its text (as in BIRD),
 * so the last line the filter printed, else the VM's message. */
static const char *
reject_reason(const struct vm_result *res, char *buf, size_t len)
{
	size_t e = res->out_len, b;

	if (res->error || !e)
		return res->msg ? res->msg : "(no message)";
	while (e && res->out[e - 1] == '\n')
		e--;
	for (b = e; b && res->out[b - 1] != '\n'; b--)
		;
	if (b == e)
		return res->msg ? res->msg : "(no message)";
	snprintf(buf, len, "%.*s", (int)(e - b), res->out + b);
	return buf;
}

/* --route: the verdict, the route after the filter (changes marked) and
 * what the filter printed; without a filter, the route as read */
static int
run_route(struct vm_prog *prog, const struct vm_func *f, const char *text)
{
	char err[ROUTE_ERR_MAX];
	struct rta *a;
	net_addr net;

	if (route_parse(text, strlen(text), &net, &a, err) < 0) {
		fprintf(stderr, "birch-check: --route: %s\n", err);
		return 1;
	}
	if (!f) {
		route_print(stdout, &net, NULL, a, NULL);
		rta_unref(a);
		return 0;
	}
	struct vm_route v;
	struct vm_result res;
	route_view(&v, &net, a, NULL);
	vm_run_filter(prog, f, &v, &res);
	char why[256];
	if (res.verdict == VM_ACCEPT)
		printf("ACCEPT\n");
	else
		printf("REJECT: %s\n", reject_reason(&res, why, sizeof why));
	if (res.verdict == VM_ACCEPT && res.attrs)
		route_print(stdout, &net, NULL, res.attrs, a);
	else
		route_print(stdout, &net, NULL, a, NULL);
	if (res.verdict == VM_ACCEPT && res.preference != 100)
		printf("*\tpreference: %u [was: 100]\n", res.preference);
	if (res.out_len) {
		printf("Filter printed:\n");
		fwrite(res.out, 1, res.out_len, stdout);
		if (res.out[res.out_len - 1] != '\n')
			putchar('\n');
	}
	rta_unref(res.attrs);
	rta_unref(a);
	return 0;
}

/* reject messages and how often each came */
struct msg_count {
	char *msg;		/* strdup'd; NULL: empty slot */
	uint64_t n;		/* routes rejected with it */
};

enum { MSG_SLOTS = 4096, MSG_MAX = 1000 };	/* distinct messages kept */

static void
count_msg(struct msg_count *t, unsigned *used, const char *m)
{
	uint32_t h = 2166136261u;

	if (*used >= MSG_MAX)
		m = "(other messages)";
	for (const char *q = m; *q; q++)
		h = (h ^ (uint8_t)*q) * 16777619u;
	for (uint32_t k = h % MSG_SLOTS;; k = (k + 1) % MSG_SLOTS) {
		if (!t[k].msg) {
			t[k].msg = xstrdup(m);
			t[k].n = 1;
			++*used;
			return;
		}
		if (!strcmp(t[k].msg, m)) {
			t[k].n++;
			return;
		}
	}
}

static int
cmp_count(const void *x, const void *y)
{
	const struct msg_count *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return strcmp(a->msg ? a->msg : "", b->msg ? b->msg : "");
}

/* --routes: counts, reject messages by count and routes per second;
 * without a filter, every route as read (quiet: only the count). With
 * several filters (nf > 1) a route accepted by one goes through the next
 * with the attributes it left (an import, then an export filter). Routes
 * are read in batches so that the filters' own time can be told apart
 * from the reader's. */
enum { BATCH = 4096, MAX_FILTERS = 8, PREFETCH = 8 };

static int
run_routes(struct vm_prog *prog, const struct vm_func *const *fs, unsigned nf, const char *path,
    int quiet)
{
	char err[ROUTE_ERR_MAX];
	struct route_file *rf = route_file_open(path, err);
	struct msg_count *msgs = xzalloc(MSG_SLOTS * sizeof *msgs);
	net_addr *nets = xzalloc(BATCH * sizeof *nets);
	struct rta **as = xzalloc(BATCH * sizeof *as);
	struct route_peer *peers = xzalloc(BATCH * sizeof *peers);
	struct vm_route *vs = xzalloc(BATCH * sizeof *vs);
	struct rta **owned = xzalloc(BATCH * sizeof *owned);
	bool *alive = xzalloc(BATCH * sizeof *alive);
	char (*why)[512] = xmalloc(BATCH * sizeof *why);	/* a rejected route's reason */
	uint64_t total = 0, acc = 0, rej = 0, chg = 0;
	unsigned used = 0;
	struct timespec t0, t1, b0, b1;
	double fsecs = 0;
	int k = 1, rc = 0;

	if (!rf) {
		fprintf(stderr, "birch-check: %s\n", err);
		free(msgs);
		free(nets);
		free(as);
		free(peers);
		free(vs);
		free(owned);
		free(alive);
		free(why);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (k > 0) {
		unsigned n = 0;
		struct rta *a;
		while (n < BATCH && (k = route_file_next(rf, &nets[n], &a, &peers[n])) > 0) {
			total++;
			if (!nf) {
				if (!quiet)
					route_print(stdout, &nets[n], &peers[n], a, NULL);
				continue;
			}
			as[n++] = rta_ref(a);
		}
		clock_gettime(CLOCK_MONOTONIC, &b0);
		/* filter by filter over the batch, as a table feed goes: each
		 * route a few ahead is announced to the VM (vm_prefetch) so
		 * that the loads of its set and cache slot overlap */
		for (unsigned i = 0; i < n; i++) {
			route_view(&vs[i], &nets[i], as[i], &peers[i]);
			owned[i] = NULL;
			alive[i] = true;
		}
		for (unsigned j = 0; j < nf; j++) {
			for (unsigned i = 0; i < n; i++) {
				struct vm_result res;
				if (i + 2 * PREFETCH < n && alive[i + 2 * PREFETCH])
					vm_prefetch(prog, fs[j], vs[i + 2 * PREFETCH].attrs, false);
				if (i + PREFETCH < n && alive[i + PREFETCH])
					vm_prefetch(prog, fs[j], vs[i + PREFETCH].attrs, true);
				if (!alive[i])
					continue;
				vm_run_filter(prog, fs[j], &vs[i], &res);
				if (res.verdict != VM_ACCEPT) {
					char buf[256];
					alive[i] = false;
					rej++;
					/* counted in route order below, as one route at a
					 * time would: past MSG_MAX the order decides */
					snprintf(why[i], sizeof why[i], "%s",
					    reject_reason(&res, buf, sizeof buf));
					continue;
				}
				if (res.attrs) {
					rta_unref(owned[i]);
					owned[i] = res.attrs;
					vs[i].attrs = owned[i];
				}
				vs[i].preference = res.preference;
			}
		}
		for (unsigned i = 0; i < n; i++) {
			/* the sets were last touched a pass or two ago: their
			 * counts are loaded ahead */
			if (i + PREFETCH < n) {
				__builtin_prefetch(as[i + PREFETCH], 1);
				if (owned[i + PREFETCH])
					__builtin_prefetch(owned[i + PREFETCH], 1);
			}
			if (alive[i]) {
				acc++;
				chg += owned[i] != NULL;
			} else {
				count_msg(msgs, &used, why[i]);
			}
			rta_unref(owned[i]);
			rta_unref(as[i]);
		}
		clock_gettime(CLOCK_MONOTONIC, &b1);
		fsecs += (double)(b1.tv_sec - b0.tv_sec) + (double)(b1.tv_nsec - b0.tv_nsec) / 1e9;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (k < 0) {
		fprintf(stderr, "birch-check: %s\n", route_file_error(rf));
		rc = 1;
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (nf || quiet) {
		printf("routes: %llu", (unsigned long long)total);
		if (route_file_is_mrt(rf)) {
			struct mrt_stats st;
			mrt_get_stats(route_file_mrt(rf), &st);
			printf(" (MRT: %llu records, %llu skipped, %llu distinct attribute sets)",
			    (unsigned long long)st.records, (unsigned long long)st.skipped,
			    (unsigned long long)st.attr_sets);
		}
		printf("\n");
	}
	if (nf) {
		printf("accepted: %llu (changed: %llu)\nrejected: %llu\n", (unsigned long long)acc,
		    (unsigned long long)chg, (unsigned long long)rej);
		qsort(msgs, MSG_SLOTS, sizeof *msgs, cmp_count);
		for (unsigned i = 0; i < MSG_SLOTS && msgs[i].msg; i++)
			printf("  %10llu  %s\n", (unsigned long long)msgs[i].n, msgs[i].msg);
	}
	if (nf || quiet)
		printf("time: %.3f s, %.0f routes/s\n", secs, secs > 0 ? (double)total / secs : 0.0);
	if (nf) {
		uint64_t hits, misses;
		size_t entries;
		printf("filter time: %.3f s, %.1f ns/route\n", fsecs,
		    total ? fsecs * 1e9 / (double)total : 0.0);
		vm_cache_stats(prog, &hits, &misses, &entries);
		if (hits + misses)
			printf("verdict cache: %llu hits, %llu misses, %zu entries\n",
			    (unsigned long long)hits, (unsigned long long)misses, entries);
	}
	for (unsigned i = 0; i < MSG_SLOTS; i++)
		free(msgs[i].msg);
	free(msgs);
	free(nets);
	free(as);
	free(peers);
	free(vs);
	free(owned);
	free(alive);
	free(why);
	route_file_close(rf);
	return rc;
}

static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: birch-check [-6] [-q] CONFIG\n"
		"Parse and check a Birch (BIRD 2 style) configuration.\n"
		"\n"
		"  -6, --ipv6      read a BIRD 1.x config as IPv6 (what bird6 did)\n"
		"  -q, --quiet     print errors without their source lines\n"
		"      --test      run every bt_test_suite; last line: N passed, N failed\n"
		"      --eval EXPR print EXPR's value as `birdc eval` does ([CONFIG] optional)\n"
		"      --disasm [NAME]  print the bytecode of NAME (or everything)\n"
		"      --filter NAME --route 'PREFIX [attr value ...]'\n"
		"                  run filter NAME on one route (`show route all` names and\n"
		"                  values: bgp_path 64500 3356 bgp_community (64500,1) ...);\n"
		"                  print ACCEPT or REJECT, the attributes after the filter\n"
		"                  (* changed, + added, - removed) and what it printed\n"
		"      --filter NAME --routes FILE\n"
		"                  run it on every route of FILE (text routes one a line,\n"
		"                  birdc's `show route all` output, or an MRT TABLE_DUMP_V2\n"
		"                  dump; - is stdin): counts, reject\n"
		"                  messages by count, routes per second; --filter given\n"
		"                  again runs the next filter on what the last accepted\n"
		"                  (an import filter, then an export filter)\n"
		"      --no-cache  run every filter whole on every route (no verdict\n"
		"                  cache by attribute set: the same results, slower)\n"
		"      --route TEXT / --routes FILE without --filter (and CONFIG)\n"
		"                  print the routes as read (-q: only count them)\n"
		"  -h, --help      show this help and exit\n"
		"  -V, --version   show the version and exit\n"
		"\n"
		"Exit status: 0 when the config is accepted, 1 when it is refused,\n"
		"2 on a usage error.\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ipv6", no_argument, NULL, '6' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "test", no_argument, NULL, 'T' },
		{ "eval", required_argument, NULL, 'E' },
		{ "disasm", no_argument, NULL, 'D' },
		{ "filter", required_argument, NULL, 'F' },
		{ "route", required_argument, NULL, 'r' },
		{ "routes", required_argument, NULL, 'R' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	int quiet = 0, c, test = 0, disasm = 0, no_cache = 0;
	const char *eval = NULL, *filter = NULL, *route = NULL, *routes = NULL;
	const char *fnames[MAX_FILTERS];
	unsigned nfilters = 0;
	unsigned flags = 0;

	while ((c = getopt_long(argc, argv, "6qhV", longopts, NULL)) != -1) {
		switch (c) {
		case '6':
			flags |= CF_IPV6_DEFAULT;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'T':
			test = 1;
			break;
		case 'E':
			eval = optarg;
			break;
		case 'D':
			disasm = 1;
			break;
		case 'F':
			if (nfilters == MAX_FILTERS) {
				fprintf(stderr, "birch-check: at most %d --filter\n", MAX_FILTERS);
				return 2;
			}
			filter = fnames[nfilters++] = optarg;
			break;
		case 'r':
			route = optarg;
			break;
		case 'R':
			routes = optarg;
			break;
		case 'N':
			no_cache = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("birch-check %s\n", BIRCH_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (route && nfilters > 1) {
		fprintf(stderr, "birch-check: --route takes one --filter (--routes FILE runs several)\n");
		return 2;
	}
	if ((route && routes) || (filter && !route && !routes)) {
		usage(stderr);
		return 2;
	}
	if ((route || routes) && !filter) {	/* the readers alone: no config */
		if (optind != argc) {
			usage(stderr);
			return 2;
		}
		return route ? run_route(NULL, NULL, route) : run_routes(NULL, NULL, 0, routes, quiet);
	}
	const char *dname = NULL;
	if (disasm && argc - optind == 2)
		dname = argv[optind++];
	if (optind != argc - 1 && !(eval && optind == argc)) {
		usage(stderr);
		return 2;
	}

	struct cf_error *errs = NULL;
	struct config *conf = optind < argc ? cf_parse_file(argv[optind], flags, &errs)
		: cf_parse_string("eval", "", flags | CF_NO_PROTOCOLS, &errs);
	if (!conf) {
		cf_errors_print(stderr, errs, !quiet);
		cf_errors_free(errs);
		return 1;
	}
	int rc = 0;
	if (test || eval || disasm || filter) {
		char err[300];
		struct vm_prog *prog = vm_compile(conf, err, sizeof err);
		if (!prog) {
			fprintf(stderr, "birch-check: %s\n", err);
			config_free(conf);
			return 1;
		}
		vm_cache(prog, !no_cache);
		const struct vm_func *fs[MAX_FILTERS];
		for (unsigned i = 0; i < nfilters && !rc; i++)
			if (!(fs[i] = vm_find(prog, fnames[i], VM_FIND_FILTER))) {
				fprintf(stderr, "birch-check: no filter named %s\n", fnames[i]);
				rc = 1;
			}
		if (rc)
			;
		else if (filter)
			rc = route ? run_route(prog, fs[0], route)
				: run_routes(prog, fs, nfilters, routes, quiet);
		else if (eval)
			rc = run_eval(conf, prog, eval);
		else if (test)
			rc = run_tests(conf, prog);
		else {
			const struct vm_func *f = dname ? vm_find(prog, dname, VM_FIND_ANY) : NULL;
			if (dname && !f) {
				fprintf(stderr, "birch-check: no filter or function %s\n", dname);
				rc = 1;
			} else
				vm_disasm(prog, f, stdout);
		}
		vm_prog_free(prog);
	}
	config_free(conf);
	return rc;
}
