/*
 * libFuzzer harness for the config parser: any bytes (NULs included) as a
 * config; the parse must end with a config or errors, never a crash, a
 * leak or a hang. Includes resolve relative to the current directory.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"
#include "lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_error *errs = NULL;
	struct config *c = cf_parse_buffer("fuzz.conf", (const char *)data, size, 0, &errs);

	if (c)
		config_free(c);
	cf_errors_free(errs);
	return 0;
}
