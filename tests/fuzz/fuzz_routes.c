/*
 * libFuzzer harness for birch-check's route readers: the first byte picks
 * the reader, the rest is its input. 0 mod 4: one line of route text
 * through route_parse (and every attribute of the result through the
 * printer); 2 mod 4: a file of text routes, or of birdc's `show route all`
 * output when it starts with "BIRD ... ready." or "Table T:", read as
 * birch-check reads one; odd: an MRT dump read from memory to its end or
 * its first error. Each must end in routes or an error, never a crash, a
 * leak or a hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
	if ((data[0] & 3) == 2) {
		FILE *fp = fmemopen((void *)(uintptr_t)(data + 1), size - 1, "rb");
		struct route_file *f = fp ? route_file_stream(fp, "fuzz", err) : NULL;
		while (f && route_file_next(f, &n, &a, NULL) > 0)
			print_all(a);
		route_file_close(f);
		if (fp)
			fclose(fp);
		if (rta_count())
			abort();
		return 0;
	}
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
