/*
 * The peephole pass: a verified function made shorter before it first
 * runs. The compiler emits simple, regular code (every condition a bool
 * on the stack, `||` and `&&` through a pushed TRUE or FALSE, constants
 * pushed before they are compared); this pass
 *   - threads jumps: a jump to a JMP goes where that one goes; a JNZ to
 *     "CONST TRUE; JZ x" goes past it (and the like); a JMP to a
 *     conditional jump becomes that conditional jump when what it skipped
 *     is then dead;
 *   - drops the instructions no path reaches;
 *   - fuses pairs: GETATTR net; LEN -> NETLEN; GETATTR a; LEN -> GETLEN a;
 *     GETATTR net; MATCHK k -> NETMATCHK k;
 *     CONST k; EQ (NEQ, LT, LE, MATCH, NMATCH) -> EQK k ...; CONST k; x;
 *     EQ -> x; KEQ k ... where x pushes one value and reads nothing of the
 *     stack (GETATTR, NETLEN, GETLEN, LOAD, CONST).
 * An instruction that a jump targets is never fused away. The result is
 * verified again; should that ever fail, the function keeps its code.
 * Functions with a `case` are left alone (their jump tables are shared
 * with the program). The pass is deterministic, so equal source gives
 * equal code and reloads still compare filters by their bytecode.
 */
#include <stdlib.h>
#include <string.h>

#include "vm/vm_int.h"

enum { DEAD = 1, TARGET = 2 };	/* flags per instruction */

static bool
is_cjump(unsigned op)
{
	return op == I_JZ || op == I_JNZ;
}

static bool
is_jump(unsigned op)
{
	return op == I_JMP || is_cjump(op);
}

/* constant k a bool of value b? */
static bool
const_bool(const struct vm_prog *p, uint32_t w, bool b)
{
	return VM_OP(w) == I_CONST && p->k[VM_A(w)].type == T_BOOL && p->k[VM_A(w)].v.i == (uint32_t)b;
}

/* flag what no path reaches (DEAD) and what a live jump lands on
 * (TARGET) in g's first n instructions, from the verifier's walk (the
 * code is consistent at every step of the pass); -1 if it is not */
static int
reach(const struct vm_prog *p, struct vm_func *g, unsigned n, uint8_t *fl, int *h)
{
	g->ncode = n;
	if (vm_heights(p, g, h) < 0)
		return -1;
	for (unsigned pc = 0; pc < n; pc++)
		fl[pc] = h[pc] < 0 ? DEAD : 0;
	for (unsigned pc = 0; pc < n; pc++) {
		if (fl[pc] & DEAD)
			continue;
		/* past the fall-through, its successors are where it jumps */
		unsigned i = !(vm_ops[VM_OP(g->code[pc])].flags & F_END), t;
		for (; vm_succ(p, g, pc, i, &t); i++)
			fl[t] |= TARGET;
	}
	return 0;
}

/* where a jump to t really goes: through JMPs, and past a bool pushed
 * and tested at once (the value is known, so is the way) */
static unsigned
thread(const struct vm_prog *p, const uint32_t *code, unsigned n, unsigned t)
{
	for (unsigned hops = 0; hops < 16 && t + 1 < n; hops++) {
		uint32_t w = code[t], nx = code[t + 1];
		bool val;
		if (VM_OP(w) == I_JMP && VM_A(w) != t) {
			t = VM_A(w);
			continue;
		}
		if (const_bool(p, w, true))
			val = true;
		else if (const_bool(p, w, false))
			val = false;
		else
			break;
		if (VM_OP(nx) == I_JZ)
			t = val ? t + 2 : VM_A(nx);
		else if (VM_OP(nx) == I_JNZ)
			t = val ? VM_A(nx) : t + 2;
		else
			break;
	}
	return t;
}

/* drop the instructions marked in gone[], renumbering the jumps; the new
 * length (a jump to a dropped instruction must not exist) */
static unsigned
compact(uint32_t *code, uint32_t *lines, unsigned n, const uint8_t *gone, unsigned *map)
{
	unsigned m = 0;

	for (unsigned pc = 0; pc < n; pc++) {
		map[pc] = m;
		if (!gone[pc]) {
			code[m] = code[pc];
			lines[m] = lines[pc];
			m++;
		}
	}
	for (unsigned pc = 0; pc < m; pc++)
		if (is_jump(VM_OP(code[pc])))
			code[pc] = VM_INSN(VM_OP(code[pc]), map[VM_A(code[pc])]);
	return m;
}

/* fused form of a comparison with a constant on the right (k_left: on the
 * left), or 0 when op is no comparison */
static unsigned
fused(unsigned op, bool k_left)
{
	if (op < I_EQ || op > I_NMATCH)
		return 0;
	return (k_left ? I_KEQ : I_EQK) + (op - I_EQ);
}

bool
vm_peephole(const struct vm_prog *p, struct vm_func *f)
{
	unsigned n = f->ncode;
	bool any = false;

	for (unsigned i = 0; i < n; i++) {
		unsigned op = VM_OP(f->code[i]);
		if (op == I_CASE)
			return false;
		any |= is_jump(op) || op == I_LEN || fused(op, false);
	}
	if (!any || n < 2)
		return false;

	uint32_t *code = malloc(n * sizeof *code), *lines = malloc(n * sizeof *lines);
	uint8_t *fl = malloc(n);
	int *h = malloc(n * sizeof *h);
	unsigned *map = malloc((n + 1) * sizeof *map);
	bool changed = false;
	struct vm_func g = *f;	/* the code being worked on */
	if (!code || !lines || !fl || !h || !map)
		goto out;
	memcpy(code, f->code, n * sizeof *code);
	memcpy(lines, f->lines, n * sizeof *lines);
	g.code = code;
	g.lines = lines;

	/* first what no path reaches goes: what follows reads live, verified
	 * code only */
	if (reach(p, &g, n, fl, h) < 0)
		goto out;
	for (unsigned pc = 0; pc < n; pc++)
		fl[pc] &= DEAD;
	unsigned live = compact(code, lines, n, fl, map);
	changed = live != n;
	n = live;

	/* jump threading */
	for (unsigned pc = 0; pc < n; pc++) {
		unsigned op = VM_OP(code[pc]);
		if (!is_jump(op))
			continue;
		unsigned t = thread(p, code, n, VM_A(code[pc]));
		if (t != VM_A(code[pc]) && t < n) {
			code[pc] = VM_INSN(op, t);
			changed = true;
		}
	}

	/* a JMP over [pc+1, t] to a conditional jump at t becomes that jump,
	 * and [pc+1, t] goes, when nothing else leads into it: the new one
	 * then falls through to t+1 as the old one did */
	for (bool again = true; again;) {
		again = false;
		if (reach(p, &g, n, fl, h) < 0)
			goto fail;
		for (unsigned pc = 0; pc < n && !again; pc++) {
			uint32_t w = code[pc];
			unsigned t = VM_A(w);
			if ((fl[pc] & DEAD) || VM_OP(w) != I_JMP || t <= pc || !is_cjump(VM_OP(code[t])))
				continue;
			bool entered = false;
			for (unsigned j = 0; j < n && !entered; j++) {
				if ((fl[j] & DEAD) || j == pc || (j > pc && j <= t))
					continue;
				for (unsigned i = 0, s; !entered && vm_succ(p, &g, j, i, &s); i++)
					entered = s > pc && s <= t;
			}
			if (entered)
				continue;
			memset(fl, 0, n);
			code[pc] = code[t];
			for (unsigned j = pc + 1; j <= t; j++)
				fl[j] = 1;
			n = compact(code, lines, n, fl, map);
			changed = again = true;
		}
	}

	/* dead code, then pairs, each time closing the gaps */
	for (int round = 0; round < 3; round++) {
		if (reach(p, &g, n, fl, h) < 0)
			goto fail;
		for (unsigned pc = 0; pc + 1 < n; pc++) {
			if (fl[pc] & DEAD)
				continue;
			uint32_t w = code[pc], nx = code[pc + 1];
			unsigned op = VM_OP(w), nop = VM_OP(nx);
			if (fl[pc + 1] & (TARGET | DEAD))
				continue;
			if (op == I_GETATTR && nop == I_LEN) {
				code[pc] = p->attrs[VM_A(w)].stat == VS_NET ? VM_INSN(I_NETLEN, 0) :
					   VM_INSN(I_GETLEN, VM_A(w));
				fl[pc + 1] |= DEAD;
			} else if (op == I_GETATTR && nop == I_MATCHK &&
				   p->attrs[VM_A(w)].stat == VS_NET) {
				code[pc] = VM_INSN(I_NETMATCHK, VM_A(nx));
				fl[pc + 1] |= DEAD;
			} else if (op == I_CONST && fused(nop, false)) {
				code[pc] = VM_INSN(fused(nop, false), VM_A(w));
				fl[pc + 1] |= DEAD;
			} else if (op == I_CONST && pc + 2 < n && !(fl[pc + 2] & (TARGET | DEAD)) &&
				   (nop == I_GETATTR || nop == I_NETLEN || nop == I_GETLEN || nop == I_LOAD ||
				    nop == I_CONST) &&
				   fused(VM_OP(code[pc + 2]), true)) {
				code[pc] = nx;
				lines[pc] = lines[pc + 1];
				code[pc + 1] = VM_INSN(fused(VM_OP(code[pc + 2]), true), VM_A(w));
				lines[pc + 1] = lines[pc + 2];
				fl[pc + 2] |= DEAD;
				pc++;
			} else
				continue;
			changed = true;
			pc++;
		}
		for (unsigned pc = 0; pc < n; pc++)
			fl[pc] &= DEAD;
		unsigned m = compact(code, lines, n, fl, map);
		if (m == n)
			break;
		changed = true;
		n = m;
	}
	if (!changed)
		goto out;

	/* check the result as the original was checked */
	g.ncode = n;
	char err[128];
	if (vm_verify_only(p, &g, err, sizeof err) < 0)
		goto fail;
	memcpy(f->code, code, n * sizeof *code);
	memcpy(f->lines, lines, n * sizeof *lines);
	f->ncode = n;
	f->maxstack = g.maxstack;
	goto out;
fail:
	changed = false;	/* f keeps its code */
out:
	free(code);
	free(lines);
	free(fl);
	free(h);
	free(map);
	return changed;
}
