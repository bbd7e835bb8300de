/*
 * The disassembler: one line per instruction, with its index, source
 * line, opcode name, operand decoded by its format (the constant's value,
 * the jump target, the function or attribute name) and the opcode's
 * synopsis from vm/opcodes.def.
 */
#include <stdio.h>
#include <string.h>

#include "lang/ast.h"
#include "vm/vm_int.h"

static void
one(const struct vm_prog *p, const struct vm_func *f, FILE *out)
{
	char b[128];

	fprintf(out, "%s %s (%u args, %u slots, stack %u)\n",
		f->kind == VMF_FUNCTION ? "function" : f->kind == VMF_FILTER ? "filter" : "term",
		f->name, f->nargs, f->nslots, f->maxstack);
	for (unsigned pc = 0; pc < f->ncode; pc++) {
		uint32_t w = f->code[pc];
		unsigned op = VM_OP(w), a = VM_A(w);
		const struct vm_opinfo *oi = op < VM__COUNT ? &vm_ops[op] : NULL;
		b[0] = 0;
		if (oi) {
			switch (oi->fmt) {
			case FMT_CONST:
				if (a < p->nk)
					vm_val_format(&p->k[a], b, sizeof b);
				break;
			case FMT_FUNC:
				if (a < p->nfn)
					snprintf(b, sizeof b, "%s", p->fn[a]->name);
				break;
			case FMT_ATTR:
				if (a < p->nattrs)
					snprintf(b, sizeof b, "%s", p->attrs[a].fa->name);
				break;
			case FMT_JUMP:
				snprintf(b, sizeof b, "-> %u", a);
				break;
			default:
				break;
			}
		}
		fprintf(out, "  %4u  line %-4u %-9s %-6u %-24s ; %s\n", pc, f->lines[pc],
			oi ? oi->name : "?", a, b, oi ? oi->synopsis : "");
	}
}

void
vm_disasm(const struct vm_prog *p, const struct vm_func *f, FILE *out)
{
	if (f) {
		one(p, f, out);
		return;
	}
	for (unsigned i = 0; i < p->nfn; i++) {
		if (i)
			fputc('\n', out);
		one(p, p->fn[i], out);
	}
}
