/*
 * The filter VM's private header: the instruction set expanded from
 * vm/opcodes.def, compiled programs and functions, the constant pool, and
 * the run state. Only vm/ and the VM's unit tests include it.
 *
 * A program (struct vm_prog) holds every compiled filter and function of
 * one config, its constant pool (values, case tables, path mask
 * templates; sets compiled to tries and interval sets) and the attribute
 * table GETATTR/SETATTR index, all in its own pool. It also owns the run
 * state (value stack, call stack, scratch arena, output buffer), so runs
 * of one program are single-threaded, as is the daemon.
 */
#ifndef BIRCH_VM_VM_INT_H
#define BIRCH_VM_VM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/attr.h"
#include "vm/set_int.h"
#include "vm/vm.h"

/* ---- instructions ---- */

enum vm_fmt { FMT_NONE, FMT_CONST, FMT_SLOT, FMT_JUMP, FMT_FUNC, FMT_ATTR, FMT_COUNT,
	FMT_CASE, FMT_MASK };
enum vm_flags { F_JUMP = 1, F_END = 2, F_PURE = 4, F_ROUTE = 8, F_WATTR = 16, F_ALLOC = 32 };
#define VAR_A (-1)		/* pops A values */
#define VAR_X (-2)		/* pops a number the verifier computes (CALL, MASK) */

enum vm_opcode {
#define X(name, fmt, pop, push, flags, syn) I_##name,
#include "vm/opcodes.def"
#undef X
	VM__COUNT
};

struct vm_opinfo {
	const char *name;	/* "CONST" */
	uint8_t fmt;		/* enum vm_fmt */
	int8_t pop, push;	/* stack effect; VAR_A, VAR_X */
	uint8_t flags;		/* enum vm_flags */
	const char *synopsis;	/* register transfer */
};
extern const struct vm_opinfo vm_ops[VM__COUNT];

#define VM_OP(w)	((w) & 0xff)
#define VM_A(w)		((w) >> 8)
#define VM_INSN(op, a)	((uint32_t)(op) | (uint32_t)(a) << 8)
#define VM_A_MAX	0xffffffu

/* ---- limits ---- */
enum {
	VM_STACK_MAX = 16384,	/* values: every frame's slots and operands */
	VM_CALL_MAX = 1024,	/* nested calls (recursion depth; BIRD 2.0.12
				   manages 1000 and crashes before 1500) */
	VM_BUDGET = 1000000,	/* backward jumps and calls per run */
	VM_OUT_MAX = 1 << 20,	/* bytes of print output kept per run */
};

/* ---- programs ---- */

enum vm_func_kind { VMF_FILTER, VMF_FUNCTION, VMF_TERM };

struct vm_func {
	const char *name;	/* filter or function name; "(unnamed)", "(eval)" */
	uint8_t kind;		/* enum vm_func_kind */
	unsigned nargs;		/* arguments, in slots 0..nargs-1 */
	unsigned nslots;	/* frame slots: arguments, locals, hidden loop state */
	unsigned maxstack;	/* operand stack depth, from the verifier */
	unsigned ncode;		/* instructions */
	uint32_t *code;		/* the instructions */
	uint32_t *lines;	/* source line of each instruction */
	const char *file;	/* source file */
	const void *src;	/* the struct f_function / f_filter / f_node compiled */
	bool verified;		/* passed vm_verify */
};

/* a compiled set: the value's v.set->vm */
struct vm_cset {
	enum f_type type;	/* T_SET or T_PREFIX_SET */
	bool use_trie;		/* prefix set in t; otherwise linear over src */
	struct vm_trie t;	/* T_PREFIX_SET */
	struct vm_iset is;	/* T_SET */
	const struct f_set *src;	/* the parser's set */
};

struct vm_case_arm {
	struct f_val labels;	/* a compiled T_SET / T_PREFIX_SET */
	uint32_t target;	/* instruction index */
};

struct vm_case {
	unsigned n;		/* arms, in order */
	struct vm_case_arm *arm;
	uint32_t dflt;		/* else (or the end of the case) */
};

struct vm_mask_tmpl {
	unsigned n;		/* items */
	struct vm_pm_item *item;	/* constant items filled in */
	uint8_t *dyn;		/* per item: 0 constant, 1 popped ASN, 2 popped set */
	unsigned ndyn;		/* values MASK pops */
};

/* how a filter names an attribute, and where it lives */
enum vm_static {
	VS_EA = 0,		/* an extended attribute */
	VS_NET, VS_FROM, VS_GW, VS_PROTO, VS_SOURCE, VS_SCOPE, VS_DEST, VS_PREFERENCE,
	VS_IFNAME, VS_IFINDEX, VS_IGP_METRIC, VS_ONLINK, VS_GW_MPLS, VS_UNSUPPORTED,
};

struct vm_attr {
	const struct f_attr *fa;	/* as the parser resolved it */
	enum f_type type;		/* value type */
	uint8_t stat;			/* enum vm_static */
	uint8_t eaf;			/* EAF_* for VS_EA */
	uint8_t flags;			/* default BGP wire flags */
	uint16_t ea;			/* EA id */
};

struct vm_state;

struct vm_prog {
	const struct config *conf;	/* compiled from */
	struct pool *pool;		/* everything below */
	struct vm_func **fn;		/* functions and filters; CALL's A indexes */
	unsigned nfn, capfn;
	unsigned *fidx;			/* hash of fn by src: index + 1, 0 empty */
	unsigned fidx_size;		/* slots, a power of two, or 0 */
	struct f_val *k;		/* constant pool: values */
	unsigned nk, capk;
	struct vm_case **cases;		/* constant pool: case tables */
	unsigned ncases, capcases;
	struct vm_mask_tmpl **masks;	/* constant pool: path mask templates */
	unsigned nmasks, capmasks;
	struct vm_attr *attrs;		/* attribute table */
	unsigned nattrs, capattrs;
	struct vm_state *st;		/* run state, made on first run */
	bool log_errors;		/* log runtime errors of filters (the daemon) */
	uint32_t budget;		/* backward jumps and calls a run; 0: VM_BUDGET */
	uint64_t log_last;		/* log_rl's state for them */
	char err[256];			/* compile error */
};

/* compile.c */
int vm_compile_term(struct vm_prog *p, const struct f_node *n, struct vm_func **out);
struct vm_cset *vm_cset_build(struct pool *pool, const struct f_val *v, struct f_val *out);

void vm_state_free(struct vm_prog *p);	/* interp.c: the run state */

/* verify.c: 0, or -1 with a message in err; vm_verify then runs the
 * peephole pass on what it accepted, vm_verify_only does not */
int vm_verify(const struct vm_prog *p, struct vm_func *f, char *err, size_t len);
int vm_verify_only(const struct vm_prog *p, struct vm_func *f, char *err, size_t len);

/* peep.c: jump threading, dead code, fused pairs; true when f changed */
bool vm_peephole(const struct vm_prog *p, struct vm_func *f);

/* verify.c: the stack height before each instruction of a verified f
 * into h[f->ncode] (-1: unreachable); 0, or -1 */
int vm_heights(const struct vm_prog *p, const struct vm_func *f, int *h);
/* verify.c: the i-th successor of instruction pc of f into *t; false past
 * the last. First pc + 1 unless the opcode has F_END (so the places it
 * jumps to start at i = !F_END), then a jump's target, or a case's arms in
 * order and its default. Only for an instruction whose opcode and operand
 * are checked (one the verifier's walk reached); the targets are as
 * written, in range once the walk has accepted f */
bool vm_succ(const struct vm_prog *p, const struct vm_func *f, unsigned pc, unsigned i,
    unsigned *t);

/* vcache.c: the verdict cache (a filter's result per attribute set) */
struct vm_vc;			/* one filter's plan and table */
struct vm_vcmap;		/* a program's, by filter */
struct vm_vc_hit {
	enum vm_verdict verdict;
	struct rta *out;	/* the changed set (no reference given), or NULL */
	const char *text;	/* what the cached part printed, or NULL */
	size_t text_len;
};
/* f's cache (planned on first use), or NULL when f is not cacheable */
struct vm_vc *vm_vc_get(struct vm_vcmap **m, const struct vm_prog *p, const struct vm_func *f);
/* the code to run on every route (ends with SPLIT), NULL when none; the
 * split point into *split */
const struct vm_func *vm_vc_prefix(const struct vm_vc *vc, unsigned *split);
bool vm_vc_lookup(struct vm_vc *vc, const struct rta *in, struct vm_vc_hit *hit);
/* start loading the slot where in's entry would be */
void vm_vc_prefetch(const struct vm_vc *vc, const struct rta *in);
/* and when in's entry is there (its slot loaded by now), its result set */
void vm_vc_prefetch_result(const struct vm_vc *vc, const struct rta *in);
/* record a result for in (out: the accepted, changed set, or NULL) */
void vm_vc_store(struct vm_vc *vc, struct rta *in, enum vm_verdict v, struct rta *out,
    const char *text, size_t text_len);
void vm_vc_clear(struct vm_vc *vc);	/* drop every entry */
void vm_vc_trim(struct vm_vcmap *m);	/* drop entries whose input only the cache holds */
void vm_vc_stats(const struct vm_vcmap *m, uint64_t *hits, uint64_t *misses, size_t *entries);
void vm_vc_free(struct vm_vcmap *m);

/* interp.c */
bool vm_set_has(const struct f_val *set, const struct f_val *v);	/* v ~ set */

#endif
