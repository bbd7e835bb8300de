/*
 * The bytecode verifier: a function is run only after this pass accepts
 * it. It checks every reachable instruction: a known opcode, an operand
 * in bounds for its format (constant, slot, jump target, function,
 * attribute, case table, mask template), and a stack height that is the
 * same on every path into an instruction, never negative, and recorded as
 * the function's maxstack so the interpreter checks room once per call.
 * Control must never fall off the end of the code. Accepted code is then
 * made shorter by the peephole pass (vm/peep.c), which checks its own
 * result here again. vm_succ, the one list of where an instruction may go
 * next, serves the walk here, the peephole pass and the verdict cache's
 * planner (vm/vcache.c).
 */
#include <stdlib.h>
#include <string.h>

#include "vm/vm_int.h"

static int
bad(char *err, size_t len, unsigned pc, const char *what)
{
	snprintf(err, len, "pc %u: %s", pc, what);
	return -1;
}

/* walk every path of f: the stack height before each instruction into
 * h[] (-1: unreachable), the deepest into *maxp */
static int
walk(const struct vm_prog *p, const struct vm_func *f, int *h, unsigned *maxp, char *err,
     size_t len)
{
	unsigned n = f->ncode, max = 0;
	unsigned *work, nw = 0;	/* to visit; each pc goes in once, as its h[] is set */

	if (!n || !f->code || !f->lines)
		return bad(err, len, 0, "empty function");
	if (f->nargs > f->nslots || f->nslots > VM_STACK_MAX / 2)
		return bad(err, len, 0, "bad frame size");
	work = malloc(n * sizeof *work);
	if (!work)
		return bad(err, len, 0, "out of memory");
	for (unsigned i = 0; i < n; i++)
		h[i] = -1;
	h[0] = 0;
	work[nw++] = 0;
#define FAIL(pc, msg) do { free(work); return bad(err, len, pc, msg); } while (0)
	while (nw) {
		unsigned pc = work[--nw];
		uint32_t w = f->code[pc];
		unsigned op = VM_OP(w), a = VM_A(w);
		int height = h[pc];
		if (op >= VM__COUNT)
			FAIL(pc, "unknown opcode");
		const struct vm_opinfo *oi = &vm_ops[op];
		int pop = oi->pop, push = oi->push;
		switch (oi->fmt) {
		case FMT_NONE: if (a) FAIL(pc, "operand must be 0"); break;
		case FMT_CONST: if (a >= p->nk) FAIL(pc, "constant out of range"); break;
		case FMT_SLOT:
			if (a >= f->nslots || (op == I_FORNEXT && a + 1 >= f->nslots))
				FAIL(pc, "slot out of range");
			break;
		case FMT_JUMP: if (a >= n) FAIL(pc, "jump target out of range"); break;
		case FMT_FUNC: if (a >= p->nfn) FAIL(pc, "function out of range"); break;
		case FMT_ATTR: if (a >= p->nattrs) FAIL(pc, "attribute out of range"); break;
		case FMT_COUNT: if (a > 64) FAIL(pc, "count too large"); break;
		case FMT_CASE: if (a >= p->ncases) FAIL(pc, "case table out of range"); break;
		case FMT_MASK: if (a >= p->nmasks) FAIL(pc, "mask template out of range"); break;
		}
		if (pop == VAR_A)
			pop = (int)a;
		else if (pop == VAR_X)
			pop = op == I_CALL ? (int)p->fn[a]->nargs : (int)p->masks[a]->ndyn;
		if (height < pop)
			FAIL(pc, "stack underflow");
		height += push - pop;
		if ((unsigned)height + 2 > max)
			max = (unsigned)height + 2;
		if (max > VM_STACK_MAX / 2)
			FAIL(pc, "stack too deep");
		/* where it goes next: vm_succ reads the operand checked above; the
		 * fall-through and a case's targets are checked here */
		for (unsigned i = 0, t; vm_succ(p, f, pc, i, &t); i++) {
			if (t >= n)
				FAIL(pc, op == I_CASE ? "case target out of range" : "falls off the end");
			if (h[t] < 0) {
				h[t] = height;
				work[nw++] = t;
			} else if (h[t] != height) {
				if (op == I_CASE)
					FAIL(pc, "stack height differs at a case target");
				FAIL(t, "stack height differs between paths");
			}
		}
	}
#undef FAIL
	free(work);
	*maxp = max;
	return 0;
}

int
vm_verify(const struct vm_prog *p, struct vm_func *f, char *err, size_t len)
{
	if (vm_verify_only(p, f, err, len) < 0)
		return -1;
	vm_peephole(p, f);	/* checks its result with vm_verify_only */
	return 0;
}

int
vm_verify_only(const struct vm_prog *p, struct vm_func *f, char *err, size_t len)
{
	unsigned max;
	int *h = malloc((f->ncode ? f->ncode : 1) * sizeof *h);

	if (!h)
		return bad(err, len, 0, "out of memory");
	if (walk(p, f, h, &max, err, len) < 0) {
		free(h);
		return -1;
	}
	free(h);
	f->maxstack = max;
	f->verified = true;
	return 0;
}

int
vm_heights(const struct vm_prog *p, const struct vm_func *f, int *h)
{
	char err[64];
	unsigned max;

	return walk(p, f, h, &max, err, sizeof err);
}

bool
vm_succ(const struct vm_prog *p, const struct vm_func *f, unsigned pc, unsigned i, unsigned *t)
{
	uint32_t w = f->code[pc];
	const struct vm_opinfo *oi = &vm_ops[VM_OP(w)];
	unsigned next = !(oi->flags & F_END);	/* 1: falls through to pc + 1 first */

	if (i < next) {
		*t = pc + 1;
		return true;
	}
	i -= next;
	if (oi->fmt == FMT_JUMP && i == 0) {
		*t = VM_A(w);
		return true;
	}
	if (oi->fmt == FMT_CASE) {	/* the arms in order, then the default */
		const struct vm_case *k = p->cases[VM_A(w)];
		if (i <= k->n) {
			*t = i < k->n ? k->arm[i].target : k->dflt;
			return true;
		}
	}
	return false;
}
