/*
 * libFuzzer: random bytecode to the VM verifier and, when it accepts the
 * code, to the interpreter (which must then never crash: budget, type
 * faults and stack checks end the run cleanly).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vm/vm_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct f_val k[4] = {
		{ .type = T_INT, .v.i = 7 }, { .type = T_BOOL, .v.i = 1 },
		{ .type = T_STRING, .v.s = "x" }, { .type = T_PATH, .v.d = { "", 0 } },
	};
	static uint32_t code[64], lines[64];
	unsigned n = (unsigned)(size / 4);

	if (n < 2 || n > 64)
		return 0;
	memcpy(code, data, n * 4);
	struct vm_func f = { .name = "fuzz", .kind = VMF_FUNCTION, .nslots = data[0] % 4,
			     .ncode = n, .code = code, .lines = lines };
	struct vm_func *fs[1] = { &f };
	struct vm_prog p = { .k = k, .nk = 4, .fn = fs, .nfn = 1 };
	char err[128];
	if (vm_verify(&p, &f, err, sizeof err) == 0) {
		struct f_val v;
		struct vm_result res;
		vm_run_function(&p, &f, &v, &res);
		vm_state_free(&p);
	}
	return 0;
}
