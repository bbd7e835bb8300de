/*
 * birch-check: the offline checker. For now it parses a config the way the
 * daemon will (every include, every check) and prints each error with its
 * source line and a caret, or nothing when the config is accepted.
 *
 *   birch-check [-6] [-q] CONFIG     exit 0 accepted, 1 refused, 2 usage
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "lang/lang.h"

static void
usage(FILE *out)
{
	fprintf(out,
		"Usage: birch-check [-6] [-q] CONFIG\n"
		"Parse and check a Birch (BIRD 2 style) configuration.\n"
		"\n"
		"  -6, --ipv6      read a BIRD 1.x config as IPv6 (what bird6 did)\n"
		"  -q, --quiet     print errors without their source lines\n"
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
		{ NULL, 0, NULL, 0 },
	};
	int quiet = 0, c;
	unsigned flags = 0;

	while ((c = getopt_long(argc, argv, "6qhV", longopts, NULL)) != -1) {
		switch (c) {
		case '6':
			flags |= CF_IPV6_DEFAULT;
			break;
		case 'q':
			quiet = 1;
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
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}

	struct cf_error *errs = NULL;
	struct config *conf = cf_parse_file(argv[optind], flags, &errs);
	if (!conf) {
		cf_errors_print(stderr, errs, !quiet);
		cf_errors_free(errs);
		return 1;
	}
	config_free(conf);
	return 0;
}
