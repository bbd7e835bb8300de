/*
 * libFuzzer harness for birch-check's route readers: the first byte picks
 * the reader, the rest is its input. Even: one line of route text through
 * route_parse (and every attribute of the result through the printer);
 * odd: an MRT dump read from memory to its end or its first error. Either
 * must end in routes or an error, never a crash, a leak or a hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/attr.h"
#include "core/table.h"
#include "tools/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
print_all(const struct rta *a)
{
	char buf[128];
	const struct eattr *e = rta_eattrs(a);

	for (unsigned k = 0; k < a->ea_count; k++)
		rta_attr_format(a, &e[k], buf, sizeof buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ROUTE_ERR_MAX];
	struct rta *a;
	net_addr n;

	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		if (route_parse((const char *)data + 1, size - 1, &n, &a, err) == 0) {
			print_all(a);
			rta_unref(a);
		}
		return 0;
	}
	struct mrt_reader *r = mrt_open_mem(data + 1, size - 1);
	struct route_peer pe;
	while (mrt_next(r, &n, &a, &pe) > 0)
		print_all(a);
	mrt_close(r);
	if (rta_count())
		abort();	/* the reader must drop every set it made */
	return 0;
}
