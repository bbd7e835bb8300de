/*
 * The verdict cache: a filter's result remembered per attribute set.
 *
 * Most of what a route-server filter does (AS-path checks, community
 * matching and rewriting) reads nothing but the route's interned
 * attribute set, and routes share sets: one UPDATE carries many prefixes
 * with one set, a RIB holds each set on several prefixes. When a filter
 * is first run by a channel, vm_vc_get plans it: it looks for the
 * earliest instruction K such that
 *   - every instruction from K on (and every function it calls) reads
 *     only the attribute set: extended attributes, source, scope, dest,
 *     next hop, igp_metric; never net, from, proto, preference, ifname,
 *     roa_check; it may write extended attributes and print;
 *   - nothing before K writes attributes or locals (so the state at K is
 *     the input set and an empty operand stack: the stack height there is
 *     0), and no jump crosses K except into K itself.
 * Then the part before K (its "prefix", e.g. a bogon check on net) runs
 * on every route, from a copy of the code whose instruction K is SPLIT;
 * a route that reaches SPLIT takes its result from the cache, keyed by
 * its set: verdict, the resulting interned set and the text printed by
 * the rest (the reject message). A miss runs the rest (from K, in the
 * real code) and records what it did; a run ending in a runtime error is
 * never recorded. A filter with no worthwhile work after K (`accept;`)
 * is not cached. The results are exactly those of an uncached run: the
 * rest of the filter is a function of the set alone.
 *
 * Each entry holds a reference on its input and output sets, so a
 * pointer can never be reused for another set while cached. The table
 * (open addressing, linear probing) grows to VC_MAX slots and is emptied
 * when that is 3/4 full; vm_vc_trim drops the entries whose input set
 * nothing but the caches holds (the daemon calls it when tables shrink). Texts are shared per filter, at most VC_TEXTS of them.
 * Everything is freed with the program's run state.
 */
#include <stdlib.h>
#include <string.h>

#include "core/attr.h"
#include "core/mem.h"
#include "vm/vm_int.h"

enum {
	VC_MIN = 8192,		/* first table size, slots (128 kB) */
	VC_MAX = 1 << 21,	/* slots at most, per filter (32 MB) */
	VC_TEXTS = 256,		/* distinct reject texts kept per filter */
	VC_SEEN = 64,		/* functions the planner follows from one filter */
};

struct vc_entry {
	struct rta *in;		/* key: the input set (a reference); NULL empty */
	uintptr_t res;		/* the result: RES_REJECT below */
};

struct vm_vc {
	const struct vm_func *f;	/* the filter */
	bool on;		/* cacheable */
	unsigned split;		/* K */
	struct vm_func *prefix;	/* code [0, K) and SPLIT at K; NULL when K == 0 */
	struct vc_entry *e;	/* the table; NULL until the first entry */
	size_t cap, n;		/* slots (a power of two), entries */
	char **texts;		/* distinct texts of rejects */
	size_t *tlen;		/* their lengths */
	unsigned ntexts;
	uint64_t hits, misses;
};

struct vm_vcmap {
	struct vm_vc **slot;	/* open addressing by filter */
	size_t cap, n;
};

static size_t
ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (size_t)x;
}

/* ---- the plan ---- */

/* the lowest and highest successor of instruction pc of f (fall through,
 * jump target, case arms); lo = n, hi = -1 when it has none or is
 * unreachable */
static void
succ_range(const struct vm_prog *p, const struct vm_func *f, unsigned pc, const int *h, int *lo,
	   int *hi)
{
	*lo = (int)f->ncode;
	*hi = -1;
	if (h[pc] < 0)
		return;	/* never verified: not for vm_succ */
	for (unsigned i = 0, t; vm_succ(p, f, pc, i, &t); i++) {
		*lo = (int)t < *lo ? (int)t : *lo;
		*hi = (int)t > *hi ? (int)t : *hi;
	}
}

/* may this attribute be read (write: written) where only the set counts? */
static bool
attr_of_set(const struct vm_attr *a, bool write)
{
	switch (a->stat) {
	case VS_EA:
		return true;
	case VS_GW: case VS_SOURCE: case VS_SCOPE: case VS_DEST: case VS_IGP_METRIC:
	case VS_IFINDEX: case VS_ONLINK:
		return !write;
	default:	/* net, from, proto, preference, ifname (a name can change) */
		return false;
	}
}

/* the planner's walk over called functions: each is checked once per
 * question (a function being checked counts as fine where it recurses:
 * a cycle adds no instruction of its own) */
struct walk {
	const struct vm_prog *p;
	const struct vm_func *seen[VC_SEEN];	/* checked or being checked */
	unsigned nseen;
};

static bool insn_of_set(struct walk *W, const struct vm_func *f, unsigned pc);

/* a known opcode with its attribute or function operand in range: what
 * the walk may look into (a called function's unreachable words are
 * never verified) */
static bool
sane(const struct vm_prog *p, const struct vm_func *f, unsigned pc)
{
	uint32_t w = f->code[pc];

	if (VM_OP(w) >= VM__COUNT)
		return false;
	switch (vm_ops[VM_OP(w)].fmt) {
	case FMT_ATTR: return VM_A(w) < p->nattrs;
	case FMT_FUNC: return VM_A(w) < p->nfn;
	default: return true;
	}
}

/* 1: g was seen already; 0: now marked; -1: too many functions */
static int
mark(struct walk *W, const struct vm_func *g)
{
	for (unsigned i = 0; i < W->nseen; i++)
		if (W->seen[i] == g)
			return 1;
	if (W->nseen == VC_SEEN)
		return -1;
	W->seen[W->nseen++] = g;
	return 0;
}

/* does g read only the attribute set (and what it calls too)? */
static bool
func_of_set(struct walk *W, const struct vm_func *g)
{
	int m = g->verified ? mark(W, g) : -1;
	if (m)
		return m > 0;
	for (unsigned pc = 0; pc < g->ncode; pc++)
		if (!insn_of_set(W, g, pc))
			return false;
	return true;
}

/* can instruction pc of f run where only the set counts? */
static bool
insn_of_set(struct walk *W, const struct vm_func *f, unsigned pc)
{
	uint32_t w = f->code[pc];

	if (!sane(W->p, f, pc))
		return false;
	switch (VM_OP(w)) {
	case I_GETATTR: case I_GETLEN: case I_DEFINED:
		return attr_of_set(&W->p->attrs[VM_A(w)], false);
	case I_SETATTR: case I_UNSET:
		return attr_of_set(&W->p->attrs[VM_A(w)], true);
	case I_ROA: case I_ASSERT: case I_SPLIT:
		return false;
	case I_CALL:
		return func_of_set(W, W->p->fn[VM_A(w)]);
	default:
		return !(vm_ops[VM_OP(w)].flags & F_ROUTE);
	}
}

/* does g (or what it calls) write attributes? */
static bool
func_writes(struct walk *W, const struct vm_func *g)
{
	int m = g->verified ? mark(W, g) : -1;
	if (m)
		return m < 0;
	for (unsigned pc = 0; pc < g->ncode; pc++) {
		uint32_t w = g->code[pc];
		if (!sane(W->p, g, pc) || vm_ops[VM_OP(w)].flags & F_WATTR)
			return true;
		if (VM_OP(w) == I_CALL && func_writes(W, W->p->fn[VM_A(w)]))
			return true;
	}
	return false;
}

/* may instruction pc run before the split point? */
static bool
insn_before(struct walk *W, const struct vm_func *f, unsigned pc)
{
	uint32_t w = f->code[pc];

	if (!sane(W->p, f, pc))
		return false;
	switch (VM_OP(w)) {
	case I_STORE: case I_FORNEXT: case I_SPLIT:
		return false;
	case I_CALL:
		return !func_writes(W, W->p->fn[VM_A(w)]);
	default:
		return !(vm_ops[VM_OP(w)].flags & F_WATTR);
	}
}

/* is there work after K worth a lookup? A lookup costs a probe of a
 * table that may be far out of the CPU's caches, while the route's set is
 * usually in them, so a lone test (one `~`, say a community in the
 * route's list) runs faster than it is looked up: it takes writes (a
 * changed set is interned: the dearest part of a run), calls, loops,
 * case, or two tests or more */
static bool
worth(const struct vm_func *f, unsigned k, const int *h)
{
	unsigned tests = 0;

	for (unsigned pc = k; pc < f->ncode; pc++) {
		if (h[pc] < 0)
			continue;
		switch (VM_OP(f->code[pc])) {
		case I_MATCH: case I_NMATCH: case I_MATCHK: case I_NMATCHK: case I_KMATCH:
		case I_KNMATCH:
			if (++tests >= 2)
				return true;
			break;
		case I_CALL: case I_CASE: case I_FORNEXT:
		case I_SETATTR: case I_UNSET: case I_LADD: case I_LDEL: case I_LFILTER:
		case I_PREPEND: case I_MASK:
			return true;
		}
	}
	return false;
}

/* the split point of f, or -1 */
static int
plan(const struct vm_prog *p, const struct vm_func *f)
{
	unsigned n = f->ncode;
	int *h = malloc(n * sizeof *h);
	int *maxpre = malloc((n + 1) * sizeof *maxpre);	/* max successor of [0, K) */
	int *minpost = malloc((n + 1) * sizeof *minpost);	/* min successor of [K, n) */
	int k = -1, last_bad = -1, first_wr = (int)n;
	struct walk ws = { .p = p }, ww = { .p = p };

	if (!h || !maxpre || !minpost || vm_heights(p, f, h) < 0)
		goto out;
	for (unsigned pc = 0; pc < n; pc++) {
		if (h[pc] < 0)
			continue;
		ws.nseen = 0;
		if (!insn_of_set(&ws, f, pc))
			last_bad = (int)pc;
		ww.nseen = 0;
		if (first_wr == (int)n && !insn_before(&ww, f, pc))
			first_wr = (int)pc;
	}
	maxpre[0] = -1;
	for (unsigned pc = 0; pc < n; pc++) {
		int lo, hi;
		succ_range(p, f, pc, h, &lo, &hi);
		maxpre[pc + 1] = hi > maxpre[pc] ? hi : maxpre[pc];
	}
	minpost[n] = (int)n;
	for (unsigned pc = n; pc-- > 0;) {
		int lo, hi;
		succ_range(p, f, pc, h, &lo, &hi);
		minpost[pc] = lo < minpost[pc + 1] ? lo : minpost[pc + 1];
	}
	for (int c = last_bad + 1; c <= first_wr && c < (int)n; c++)
		if (h[c] == 0 && maxpre[c] <= c && minpost[c] >= c) {
			k = c;
			break;
		}
	if (k >= 0 && !worth(f, (unsigned)k, h))
		k = -1;
out:
	free(h);
	free(maxpre);
	free(minpost);
	return k;
}

static struct vm_vc *
vc_new(const struct vm_prog *p, const struct vm_func *f)
{
	struct vm_vc *vc = xzalloc(sizeof *vc);
	int k = f->kind == VMF_FILTER && f->verified ? plan(p, f) : -1;

	vc->f = f;
	if (k < 0)
		return vc;
	vc->on = true;
	vc->split = (unsigned)k;
	if (k > 0) {
		struct vm_func *g = xzalloc(sizeof *g);
		*g = *f;
		g->ncode = (unsigned)k + 1;
		g->code = xmalloc(g->ncode * sizeof *g->code);
		g->lines = xmalloc(g->ncode * sizeof *g->lines);
		memcpy(g->code, f->code, (size_t)k * sizeof *g->code);
		memcpy(g->lines, f->lines, (size_t)(k + 1) * sizeof *g->lines);
		g->code[k] = VM_INSN(I_SPLIT, 0);
		vc->prefix = g;
	}
	return vc;
}

/* ---- the table ---- */

/* an entry's result word: an accepted route's changed set (NULL: none),
 * or for a rejected one RES_REJECT | text number << 1 (0: no text) */
#define RES_REJECT	1u

static struct rta *
result_set(const struct vc_entry *e)
{
	return e->res & RES_REJECT ? NULL : (struct rta *)e->res;
}

static void
entry_drop(struct vc_entry *e)
{
	rta_unref(e->in);
	rta_unref(result_set(e));
	e->in = NULL;
}

static void
put(struct vc_entry *tab, size_t cap, const struct vc_entry *e)
{
	size_t i = ptr_hash(e->in) & (cap - 1);
	while (tab[i].in)
		i = (i + 1) & (cap - 1);
	tab[i] = *e;
}

/* how many references the caches hold on each set, for a trim */
struct refcount {
	const struct rta *set;	/* NULL: empty slot */
	uint32_t n;
};

struct refmap {
	struct refcount *c;
	size_t cap;
};

static uint32_t *
refs_of(struct refmap *rm, const struct rta *a)
{
	size_t i = ptr_hash(a) & (rm->cap - 1);
	while (rm->c[i].set && rm->c[i].set != a)
		i = (i + 1) & (rm->cap - 1);
	rm->c[i].set = a;
	return &rm->c[i].n;
}

/* rebuild into cap slots; with rm, drop the entries whose input set is
 * held by nobody but the caches (its use count is what rm counted) */
static void
rebuild(struct vm_vc *vc, size_t cap, struct refmap *rm)
{
	struct vc_entry *old = vc->e;
	size_t oc = vc->cap;

	vc->e = xzalloc(cap * sizeof *vc->e);
	vc->cap = cap;
	vc->n = 0;
	mem_charge(MEM_MISC, (long)(cap * sizeof *vc->e), 0);
	for (size_t i = 0; i < oc; i++) {
		struct vc_entry *e = &old[i];
		if (!e->in)
			continue;
		if (rm && e->in->uc == *refs_of(rm, e->in)) {
			(*refs_of(rm, e->in))--;	/* counts follow the drops */
			if (result_set(e))
				(*refs_of(rm, result_set(e)))--;
			entry_drop(e);
			continue;
		}
		put(vc->e, cap, e);
		vc->n++;
	}
	if (old)
		mem_charge(MEM_MISC, -(long)(oc * sizeof *old), 0);
	free(old);
}

/* the number of text t (1..VC_TEXTS; 0 for none), or -1 when full */
static int
text_of(struct vm_vc *vc, const char *t, size_t len)
{
	if (!len)
		return 0;
	for (unsigned i = 0; i < vc->ntexts; i++)
		if (vc->tlen[i] == len && !memcmp(vc->texts[i], t, len))
			return (int)i + 1;
	if (vc->ntexts >= VC_TEXTS || len > 1024)
		return -1;
	if (!vc->texts) {
		vc->texts = xmalloc(VC_TEXTS * sizeof *vc->texts);
		vc->tlen = xmalloc(VC_TEXTS * sizeof *vc->tlen);
	}
	char *c = xmalloc(len + 1);
	memcpy(c, t, len);
	c[len] = 0;
	vc->texts[vc->ntexts] = c;
	vc->tlen[vc->ntexts++] = len;
	return (int)vc->ntexts;
}

/* ---- interface (vm_int.h) ---- */

struct vm_vc *
vm_vc_get(struct vm_vcmap **mp, const struct vm_prog *p, const struct vm_func *f)
{
	struct vm_vcmap *m = *mp;
	size_t i;

	if (!m)
		m = *mp = xzalloc(sizeof *m);
	if (m->cap) {
		for (i = ptr_hash(f) & (m->cap - 1); m->slot[i]; i = (i + 1) & (m->cap - 1))
			if (m->slot[i]->f == f)
				return m->slot[i]->on ? m->slot[i] : NULL;
	}
	if (2 * (m->n + 1) > m->cap) {
		size_t nc = m->cap ? 2 * m->cap : 16;
		struct vm_vc **ns = xzalloc(nc * sizeof *ns);
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->slot[j])
				continue;
			for (i = ptr_hash(m->slot[j]->f) & (nc - 1); ns[i]; i = (i + 1) & (nc - 1))
				;
			ns[i] = m->slot[j];
		}
		free(m->slot);
		m->slot = ns;
		m->cap = nc;
	}
	struct vm_vc *vc = vc_new(p, f);
	for (i = ptr_hash(f) & (m->cap - 1); m->slot[i]; i = (i + 1) & (m->cap - 1))
		;
	m->slot[i] = vc;
	m->n++;
	return vc->on ? vc : NULL;
}

const struct vm_func *
vm_vc_prefix(const struct vm_vc *vc, unsigned *split)
{
	*split = vc->split;
	return vc->prefix;
}

bool
vm_vc_lookup(struct vm_vc *vc, const struct rta *in, struct vm_vc_hit *hit)
{
	size_t mask = vc->cap - 1;

	for (size_t i = ptr_hash(in) & mask; vc->e && vc->e[i].in; i = (i + 1) & mask) {
		if (vc->e[i].in != in)
			continue;
		uintptr_t r = vc->e[i].res;
		if (r & RES_REJECT) {
			unsigned t = (unsigned)(r >> 1);
			hit->verdict = VM_REJECT;
			hit->out = NULL;
			hit->text = t ? vc->texts[t - 1] : NULL;
			hit->text_len = t ? vc->tlen[t - 1] : 0;
		} else {
			hit->verdict = VM_ACCEPT;
			hit->out = (struct rta *)r;
			hit->text = NULL;
			hit->text_len = 0;
		}
		vc->hits++;
		return true;
	}
	vc->misses++;
	return false;
}

void
vm_vc_prefetch(const struct vm_vc *vc, const struct rta *in)
{
	if (vc->e)
		__builtin_prefetch(&vc->e[ptr_hash(in) & (vc->cap - 1)]);
}

void
vm_vc_prefetch_result(const struct vm_vc *vc, const struct rta *in)
{
	size_t mask = vc->cap - 1;

	for (size_t i = ptr_hash(in) & mask; vc->e && vc->e[i].in; i = (i + 1) & mask)
		if (vc->e[i].in == in) {
			if (!(vc->e[i].res & RES_REJECT) && vc->e[i].res)
				__builtin_prefetch((const void *)vc->e[i].res, 1);
			return;
		}
}

void
vm_vc_store(struct vm_vc *vc, struct rta *in, enum vm_verdict v, struct rta *out,
	    const char *text, size_t text_len)
{
	struct vc_entry e;

	if (v == VM_ACCEPT) {
		if (text_len)	/* an accept that prints: rare, not kept */
			return;
		e.res = out && out != in ? (uintptr_t)rta_ref(out) : 0;
	} else {
		int t = text_of(vc, text, text_len);
		if (t < 0)
			return;
		e.res = (uintptr_t)t << 1 | RES_REJECT;
	}
	if (!vc->e)
		rebuild(vc, VC_MIN, NULL);
	else if (4 * (vc->n + 1) > 3 * vc->cap) {	/* at 3/4: grow, or start again */
		if (vc->cap < VC_MAX)
			rebuild(vc, 2 * vc->cap, NULL);
		else
			vm_vc_clear(vc);
	}
	e.in = rta_ref(in);
	put(vc->e, vc->cap, &e);
	vc->n++;
}

void
vm_vc_clear(struct vm_vc *vc)
{
	for (size_t i = 0; i < vc->cap; i++)
		if (vc->e[i].in)
			entry_drop(&vc->e[i]);
	vc->n = 0;
}

void
vm_vc_stats(const struct vm_vcmap *m, uint64_t *hits, uint64_t *misses, size_t *entries)
{
	*hits = *misses = 0;
	*entries = 0;
	for (size_t i = 0; m && i < m->cap; i++)
		if (m->slot[i]) {
			*hits += m->slot[i]->hits;
			*misses += m->slot[i]->misses;
			*entries += m->slot[i]->n;
		}
}

void
vm_vc_trim(struct vm_vcmap *m)
{
	struct refmap rm;
	size_t total = 0;

	for (size_t i = 0; m && i < m->cap; i++)
		if (m->slot[i])
			total += m->slot[i]->n;
	if (!total)
		return;
	for (rm.cap = 16; rm.cap < 4 * total; rm.cap *= 2)
		;
	rm.c = xzalloc(rm.cap * sizeof *rm.c);
	for (size_t i = 0; i < m->cap; i++) {
		struct vm_vc *vc = m->slot[i];
		for (size_t j = 0; vc && j < vc->cap; j++) {
			if (!vc->e[j].in)
				continue;
			(*refs_of(&rm, vc->e[j].in))++;
			if (result_set(&vc->e[j]))
				(*refs_of(&rm, result_set(&vc->e[j])))++;
		}
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i] && m->slot[i]->e)
			rebuild(m->slot[i], m->slot[i]->cap, &rm);
	free(rm.c);
}

void
vm_vc_free(struct vm_vcmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++) {
		struct vm_vc *vc = m->slot[i];
		if (!vc)
			continue;
		if (vc->e) {
			vm_vc_clear(vc);
			mem_charge(MEM_MISC, -(long)(vc->cap * sizeof *vc->e), 0);
			free(vc->e);
		}
		for (unsigned j = 0; j < vc->ntexts; j++)
			free(vc->texts[j]);
		free(vc->texts);
		free(vc->tlen);
		if (vc->prefix) {
			free(vc->prefix->code);
			free(vc->prefix->lines);
			free(vc->prefix);
		}
		free(vc);
	}
	free(m->slot);
	free(m);
}
