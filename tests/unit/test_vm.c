/* LINK: vm/verify.c vm/peep.c vm/interp.c vm/vcache.c vm/value.c vm/trie.c vm/intervals.c vm/pathmask.c core/attr.c core/mem.c core/net.c */
/*
 * The VM's instruction table and verifier: every opcode of vm/opcodes.def
 * has an interpreter case, and bad bytecode (operands out of bounds, bad
 * jump targets, stack underflow, unbalanced paths, falling off the end) is
 * refused; good bytecode is accepted and runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/log.h"
#include "vm/vm_int.h"

/* stubs: the VM logs filters' runtime errors and output only when asked
 * (the daemon) */
void
log_rl(uint64_t *last_us, enum log_class cls, const char *fmt, ...)
{
	(void)last_us;
	(void)cls;
	(void)fmt;
}

void
log_msg(enum log_class cls, const char *fmt, ...)
{
	(void)cls;
	(void)fmt;
}

static void
every_opcode_has_a_case(void **state)
{
	(void)state;
	FILE *f = fopen("vm/interp.c", "r");
	assert_non_null(f);
	static char src[1 << 17];
	size_t n = fread(src, 1, sizeof src - 1, f);
	fclose(f);
	src[n] = 0;
	for (unsigned op = 0; op < VM__COUNT; op++) {
		char want[64];
		snprintf(want, sizeof want, "CASE(%s)", vm_ops[op].name);
		if (!strstr(src, want))
			fail_msg("no interpreter case for %s", vm_ops[op].name);
		assert_non_null(vm_ops[op].synopsis);
	}
}

static struct f_val konst[2] = { { .type = T_INT, .v.i = 2 }, { .type = T_INT, .v.i = 3 } };

static int
check(uint32_t *code, unsigned n, unsigned nslots)
{
	static uint32_t lines[64];
	struct vm_func f = { .name = "t", .kind = VMF_FUNCTION, .nslots = nslots,
			     .ncode = n, .code = code, .lines = lines };
	struct vm_prog p = { .k = konst, .nk = 2 };
	char err[128];
	return vm_verify(&p, &f, err, sizeof err);
}

/* stubs: the compiler and the logger are not linked */
int vm_compile_term(struct vm_prog *p, const struct f_node *n, struct vm_func **out)
{
	(void)p; (void)n; (void)out;
	return -1;
}

void log_bug(const char *file, int line, const char *fmt, ...);
void log_bug(const char *file, int line, const char *fmt, ...)
{
	(void)file; (void)line; (void)fmt;
	abort();
}

#define C(op, a) VM_INSN(I_##op, a)

static void
verifier(void **state)
{
	(void)state;
	uint32_t good[] = { C(CONST, 0), C(CONST, 1), C(ADD, 0), C(RET, 0) };
	assert_int_equal(check(good, 4, 0), 0);
	uint32_t badk[] = { C(CONST, 2), C(RET, 0) };
	assert_int_equal(check(badk, 2, 0), -1);
	uint32_t under[] = { C(CONST, 0), C(ADD, 0), C(RET, 0) };
	assert_int_equal(check(under, 3, 0), -1);
	uint32_t jump[] = { C(JMP, 7), C(RET, 0) };
	assert_int_equal(check(jump, 2, 0), -1);
	uint32_t fall[] = { C(CONST, 0), C(POP, 0) };
	assert_int_equal(check(fall, 2, 0), -1);
	uint32_t slot[] = { C(LOAD, 1), C(RET, 0) };
	assert_int_equal(check(slot, 2, 1), -1);
	uint32_t unbal[] = { C(CONST, 0), C(JZ, 3), C(CONST, 0), C(CONST, 1), C(RET, 0) };
	assert_int_equal(check(unbal, 5, 0), -1);
	uint32_t unk[] = { 0xff, C(RET, 0) };
	assert_int_equal(check(unk, 2, 0), -1);
	uint32_t call[] = { C(CALL, 0), C(RET, 0) };
	assert_int_equal(check(call, 2, 0), -1);
	uint32_t attr[] = { C(GETATTR, 0), C(RET, 0) };
	assert_int_equal(check(attr, 2, 0), -1);
	uint32_t nz[] = { C(ADD, 5), C(RET, 0) };
	assert_int_equal(check(nz, 2, 0), -1);
}

/* the verifier's message for code with one case table of arms to[] and
 * default dflt */
static const char *
check_case(uint32_t *code, unsigned n, const uint32_t *to, unsigned narms, uint32_t dflt)
{
	static uint32_t lines[64];
	static char err[128];
	struct vm_case_arm arm[4];
	struct vm_case k = { .n = narms, .arm = arm, .dflt = dflt }, *ks[1] = { &k };
	struct vm_func f = { .name = "t", .kind = VMF_FUNCTION, .ncode = n, .code = code,
			     .lines = lines };
	struct vm_prog p = { .k = konst, .nk = 2, .cases = ks, .ncases = 1 };

	for (unsigned i = 0; i < narms; i++)
		arm[i].target = to[i];
	return vm_verify(&p, &f, err, sizeof err) < 0 ? err : "";
}

/* vm_succ's order: the fall-through, then a jump's target or a case's
 * arms and default; and the verifier's checks of a case's targets */
static void
successors(void **state)
{
	(void)state;
	uint32_t code[] = { C(CONST, 0), C(JZ, 4), C(CONST, 1), C(CASE, 0), C(JMP, 6), C(NOP, 0),
			    C(RET, 0) };
	struct vm_case_arm arm[2] = { { .target = 5 }, { .target = 2 } };
	struct vm_case k = { .n = 2, .arm = arm, .dflt = 6 }, *ks[1] = { &k };
	struct vm_func f = { .ncode = 7, .code = code };
	struct vm_prog p = { .cases = ks, .ncases = 1 };
	const unsigned want[][4] = { { 1 }, { 2, 4 }, { 3 }, { 5, 2, 6 }, { 6 }, { 6 }, { 0 } };
	const unsigned nwant[] = { 1, 2, 1, 3, 1, 1, 0 };
	unsigned t;

	for (unsigned pc = 0; pc < 7; pc++) {
		unsigned i = 0;
		while (vm_succ(&p, &f, pc, i, &t)) {
			assert_true(i < nwant[pc]);
			assert_int_equal(t, want[pc][i]);
			i++;
		}
		assert_int_equal(i, nwant[pc]);
	}

	uint32_t sw[] = { C(CONST, 0), C(CASE, 0), C(CONST, 1), C(RET, 0) };
	const uint32_t ok[] = { 2, 2 }, far[] = { 2, 9 }, back[] = { 3, 0 };
	assert_string_equal(check_case(sw, 4, ok, 2, 2), "");
	assert_string_equal(check_case(sw, 4, ok, 2, 4), "pc 1: case target out of range");
	assert_string_equal(check_case(sw, 4, far, 2, 2), "pc 1: case target out of range");
	uint32_t deep[] = { C(CONST, 0), C(CONST, 0), C(CASE, 0), C(RET, 0) };
	assert_string_equal(check_case(deep, 4, back, 2, 3),
			    "pc 2: stack height differs at a case target");
	sw[1] = C(CASE, 1);
	assert_string_equal(check_case(sw, 4, ok, 2, 2), "pc 1: case table out of range");
	uint32_t fall[] = { C(CONST, 0), C(JZ, 0) };
	assert_string_equal(check_case(fall, 2, ok, 0, 0), "pc 1: falls off the end");
}

static void
runs(void **state)
{
	(void)state;
	static uint32_t code[] = { C(CONST, 0), C(CONST, 1), C(MUL, 0), C(RET, 0) };
	static uint32_t lines[4];
	struct vm_func f = { .name = "t", .kind = VMF_FUNCTION, .ncode = 4, .code = code,
			     .lines = lines };
	struct vm_func *fs[1] = { &f };
	struct vm_prog p = { .k = konst, .nk = 2, .fn = fs, .nfn = 1 };
	char err[128];
	struct f_val v;
	struct vm_result res;
	assert_int_equal(vm_verify(&p, &f, err, sizeof err), 0);
	assert_int_equal(vm_run_function(&p, &f, &v, &res), 0);
	assert_int_equal(v.type, T_INT);
	assert_int_equal(v.v.i, 6);
	/* a runaway loop is stopped by the budget */
	static uint32_t loop[] = { C(JMP, 0) };
	struct vm_func g = { .name = "loop", .kind = VMF_FUNCTION, .ncode = 1, .code = loop,
			     .lines = lines };
	assert_int_equal(vm_verify(&p, &g, err, sizeof err), 0);
	assert_int_equal(vm_run_function(&p, &g, &v, &res), -1);
	assert_non_null(strstr(res.msg, "budget"));
	vm_state_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_opcode_has_a_case),
		cmocka_unit_test(verifier),
		cmocka_unit_test(successors),
		cmocka_unit_test(runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
