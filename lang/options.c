/*
 * Protocol options: the grammar collects each protocol or channel statement
 * generically (keywords, values, names, punctuation, nested `{ }` blocks,
 * up to `;`) into a struct cf_stmt; this file matches it against the
 * owner's option table (struct cf_option, core/proto.h) and stores the
 * values in the owner's config record.
 *
 * A pattern is interpreted straight from its text by a backtracking
 * matcher with continuations: each element matches some atoms and calls
 * the rest of the pattern; optional and repeated groups try their
 * alternatives first and the empty match last. Values found on the way
 * are pushed on an assignment stack that is cut back when a branch fails,
 * so after a full match the stack holds exactly the values to store. Only
 * then is the record written, in one pass, so a statement that does not
 * match changes nothing.
 */
#include <string.h>

#include "lang/cf_int.h"

/* ---- statements, as the grammar builds them ------------------------------- */

struct pool *
cf_tmp(struct cf_parser *P)
{
	if (!P->tmp)
		P->tmp = pool_new(MEM_CONFIG, "config scratch");
	return P->tmp;
}

/* statements live in the scratch pool: options store values, never atoms */
struct cf_stmt *
cf_stmt_new(struct cf_parser *P)
{
	return pool_zalloc(cf_tmp(P), sizeof(struct cf_stmt));
}

static struct cf_atom *
push_atom(struct cf_parser *P, struct cf_stmt *s, enum cf_atom_kind k, const struct cf_loc *l)
{
	if (s->n == s->size) {
		unsigned size = s->size ? s->size * 2 : 8;
		struct cf_atom *a = pool_alloc(cf_tmp(P), size * sizeof *a);
		if (s->n)
			memcpy(a, s->a, s->n * sizeof *a);
		s->a = a;
		s->size = size;
	}
	struct cf_atom *a = &s->a[s->n++];
	memset(a, 0, sizeof *a);
	a->kind = k;
	a->loc = *l;
	return a;
}

struct cf_stmt *
cf_stmt_word(struct cf_parser *P, struct cf_stmt *s, const char *kw, const struct cf_loc *l)
{
	if (!s)
		s = cf_stmt_new(P);
	push_atom(P, s, CA_WORD, l)->word = kw;
	return s;
}

/* the leading keyword goes first, before the atoms collected after it */
struct cf_stmt *
cf_stmt_head(struct cf_parser *P, const char *kw, const struct cf_loc *l, struct cf_stmt *tail)
{
	push_atom(P, tail, CA_WORD, l);
	memmove(tail->a + 1, tail->a, (tail->n - 1) * sizeof *tail->a);
	memset(&tail->a[0], 0, sizeof tail->a[0]);
	tail->a[0].kind = CA_WORD;
	tail->a[0].word = kw;
	tail->a[0].loc = *l;
	return tail;
}

struct cf_stmt *
cf_stmt_val(struct cf_parser *P, struct cf_stmt *s, const struct f_val *v, const struct cf_loc *l)
{
	push_atom(P, s, CA_VAL, l)->v = *v;
	return s;
}

struct cf_stmt *
cf_stmt_sym(struct cf_parser *P, struct cf_stmt *s, const struct cf_symref *y,
	    const struct cf_loc *l)
{
	struct cf_atom *a = push_atom(P, s, CA_SYM, l);

	a->word = y->name;
	a->sym = y->sym;
	return s;
}

struct cf_stmt *
cf_stmt_punct(struct cf_parser *P, struct cf_stmt *s, const char *text, const struct cf_loc *l)
{
	push_atom(P, s, CA_PUNCT, l)->word = text;
	return s;
}

struct cf_stmt *
cf_stmt_block(struct cf_parser *P, struct cf_stmt *s, struct cf_stmt *block, const struct cf_loc *l)
{
	push_atom(P, s, CA_BLOCK, l)->block = block;
	return s;
}

struct cf_stmt *
cf_stmt_scope(struct cf_parser *P, struct cf_stmt *s, const struct cf_symref *y,
	      const struct cf_loc *l)
{
	struct f_val v = { .type = T_STRING, .v.s = y->name };

	push_atom(P, s, CA_PUNCT, l)->word = "%";
	return cf_stmt_val(P, s, &v, l);
}

struct cf_stmt *
cf_stmt_cmds(struct cf_parser *P, struct cf_stmt *s, const struct f_filter *f, const struct cf_loc *l)
{
	push_atom(P, s, CA_CMDS, l)->filter = f;
	return s;
}

/* block statements are chained in reverse while parsing; see cf_opt_apply */
struct cf_stmt *
cf_stmt_append(struct cf_stmt *list, struct cf_stmt *s)
{
	s->next = list;
	return s;
}

/* ---- the matcher -------------------------------------------------------------- */

/* One value found for a slot (or a `<` marker: slot NULL). */
struct asg {
	const struct cf_slot *slot;	/* NULL: start a new sub-record */
	bool sub;			/* the slot is inside `< >` */
	unsigned atom;			/* first atom it took (for errors) */
	unsigned n;			/* atoms it took */
	union {
		uint32_t u;
		ip_addr ip;
		net_addr net;
		const char *s;
		struct rtable_config *t;
	} v;
};

#define MAX_ASG 64

struct match {
	struct cf_parser *P;
	const struct cf_option *opt;	/* being tried */
	const struct cf_stmt *s;	/* statement */
	struct asg asg[MAX_ASG];	/* assignment stack */
	unsigned nasg;
};

/* what remains to match after the current element: a place in the
 * pattern, the enclosing continuation, and for a repeated group its start
 * (tried again only when the last round took some atoms) */
struct kont {
	const char *p;			/* resume here */
	const struct kont *up;		/* then here */
	const char *again;		/* `[`: a repeated group's opening bracket */
	unsigned start;			/* atom index when that round began */
};

static bool run(struct match *m, const char *p, const struct kont *k, unsigned i);

static bool
is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool
is_end(char c)
{
	return !c || c == '|' || c == ']' || c == ')' || c == '>';
}

/* the bracket closing the group opened at p */
static const char *
group_close(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '[' || *p == '(' || *p == '<')
			depth++;
		else if ((*p == ']' || *p == ')' || *p == '>') && --depth == 0)
			return p;
	}
	return p;
}

/* the start of the next alternative after p (just past '|'), or NULL at
 * the group's end */
static const char *
next_alt(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '[' || *p == '(' || *p == '<')
			depth++;
		else if (*p == ']' || *p == ')' || *p == '>') {
			if (depth-- == 0)
				return NULL;
		} else if (*p == '|' && depth == 0)
			return p + 1;
	}
	return NULL;
}

static unsigned
slot_index(const struct match *m, const char *p)
{
	unsigned n = 0;

	for (const char *q = m->opt->patt; q < p; q++)
		n += *q == '%' && (q == m->opt->patt || q[-1] != '\\');
	return n;
}

static bool
in_sub(const struct match *m, const char *p)
{
	int d = 0;

	for (const char *q = m->opt->patt; q < p; q++)
		d += (*q == '<') - (*q == '>');
	return d > 0;
}

/* a constant's value, or the atom's own */
static const struct f_val *
atom_val(const struct cf_atom *a)
{
	if (a->kind == CA_VAL)
		return &a->v;
	if (a->kind == CA_SYM && a->sym && a->sym->class == SYM_CONSTANT)
		return a->sym->u.val;
	return NULL;
}

static bool
atom_is(const struct cf_atom *a, const char *w)
{
	return (a->kind == CA_WORD || a->kind == CA_PUNCT) && !strcmp(a->word, w);
}

static struct asg *
push(struct match *m, const struct cf_slot *slot, const char *p, unsigned i, unsigned n)
{
	if (m->nasg == MAX_ASG)
		return NULL;
	struct asg *g = &m->asg[m->nasg++];
	memset(g, 0, sizeof *g);
	g->slot = slot;
	g->sub = in_sub(m, p);
	g->atom = i;
	g->n = n;
	return g;
}

/* how many atoms from i form an interface pattern list */
static unsigned
patterns_len(const struct cf_stmt *s, unsigned i)
{
	unsigned j = i, good = 0;

	for (;;) {
		if (j < s->n && atom_is(&s->a[j], "-"))
			j++;
		const struct f_val *v = j < s->n ? atom_val(&s->a[j]) : NULL;
		if (!v || v->type != T_STRING)
			return good;
		good = ++j - i;
		if (j >= s->n || !atom_is(&s->a[j], ","))
			return good;
		j++;
	}
}

/* Try the slot at p on atoms from i, then the rest. */
static bool
slot(struct match *m, const char *p, const struct kont *k, unsigned i)
{
	unsigned idx = slot_index(m, p), mark = m->nasg;
	const struct cf_slot *sl = idx < CF_SLOTS ? &m->opt->slot[idx] : NULL;
	const struct cf_atom *a = i < m->s->n ? &m->s->a[i] : NULL;
	const struct f_val *v = a ? atom_val(a) : NULL;
	struct asg *g;

	if (!sl || sl->type == CS_NONE)
		return false;
	switch (sl->type) {
	case CS_BOOL:
	case CS_SWITCH:
		if (a && (atom_is(a, "on") || atom_is(a, "yes") || atom_is(a, "off") ||
			  atom_is(a, "no") || (v && (v->type == T_INT || v->type == T_BOOL)))) {
			if (!(g = push(m, sl, p, i, 1)))
				return false;
			g->v.u = v ? !!v->v.i : atom_is(a, "on") || atom_is(a, "yes");
			if (run(m, p + 1, k, i + 1))
				return true;
			m->nasg = mark;
		}
		if (!(g = push(m, sl, p, i, 0)))	/* absent: on */
			return false;
		g->v.u = 1;
		break;
	case CS_UINT:
		if (!v || v->type != T_INT || !(g = push(m, sl, p, i, 1)))
			return false;
		g->v.u = v->v.i;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_IP:
	case CS_IP4:
		if (!v || !(g = push(m, sl, p, i, 1)))
			return false;
		/* bird6 (-6) reads every address as IPv6 */
		if (v->type == T_IP && sl->type == CS_IP && ip_is4(v->v.ip) &&
		    (m->P->flags & CF_IPV6_DEFAULT)) {
			m->nasg = mark;
			return false;
		}
		if (v->type == T_IP && (sl->type == CS_IP || ip_is4(v->v.ip)))
			g->v.ip = v->v.ip;
		else if (sl->type == CS_IP4 && (v->type == T_INT || v->type == T_QUAD))
			g->v.ip = ip4_from_u32(v->v.i);
		else {
			m->nasg = mark;
			return false;
		}
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_NET:
		if (!v || v->type != T_NET || !(g = push(m, sl, p, i, 1)))
			return false;
		g->v.net = v->v.net;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_TEXT:
		if (!v || v->type != T_STRING || !(g = push(m, sl, p, i, 1)))
			return false;
		g->v.s = v->v.s;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_TABLE:
	case CS_IGP_TABLE:
		if (!a || a->kind != CA_SYM || !(g = push(m, sl, p, i, 1)))
			return false;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_SET:
		if (!(g = push(m, sl, p, i, 0)))
			return false;
		g->v.u = sl->min;
		break;
	case CS_PATTERNS: {
		unsigned n = patterns_len(m->s, i);
		if (!n || !(g = push(m, sl, p, i, n)))
			return false;
		return run(m, p + 1, k, i + n) || (m->nasg = mark, false);
	}
	case CS_BLOCK:
		if (!a || a->kind != CA_BLOCK || !(g = push(m, sl, p, i, 1)))
			return false;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_FILTER:
		if (!a || a->kind != CA_CMDS || !(g = push(m, sl, p, i, 1)))
			return false;
		return run(m, p + 1, k, i + 1) || (m->nasg = mark, false);
	case CS_UNIMPL:
		/* swallows the rest, whatever it is */
		if (!(g = push(m, sl, p, i, m->s->n - i)))
			return false;
		return run(m, p + 1, k, m->s->n) || (m->nasg = mark, false);
	case CS_NONE:
		return false;
	}
	if (run(m, p + 1, k, i))
		return true;
	m->nasg = mark;
	return false;
}

/* The group opening at p: `(` one alternative, `[` optional (repeated
 * with `*`), `<` one round that starts a sub-record. */
static bool
group(struct match *m, const char *p, const struct kont *k, unsigned i)
{
	const char *close = group_close(p);
	bool opt = *p == '[', rep = opt && close[1] == '*';
	const char *after = close + (*close ? 1 : 0) + (rep ? 1 : 0);
	struct kont kk = { after, k, rep ? p : NULL, i };
	unsigned mark = m->nasg;

	if (*p == '<' && !push(m, NULL, p + 1, i, 0))
		return false;
	for (const char *alt = p + 1; alt; alt = next_alt(alt)) {
		if (run(m, alt, &kk, i))
			return true;
		m->nasg = mark + (*p == '<');
	}
	m->nasg = mark;
	return opt && run(m, after, k, i);
}

static bool
run(struct match *m, const char *p, const struct kont *k, unsigned i)
{
	while (*p == ' ')
		p++;
	if (is_end(*p)) {
		if (!k)
			return i == m->s->n;
		/* a repeated group goes round again if this round took atoms */
		if (k->again && i > k->start && group(m, k->again, k->up, i))
			return true;
		return run(m, k->p, k->up, i);
	}
	if (*p == '%')
		return slot(m, p, k, i);
	if (*p == '[' || *p == '(' || *p == '<')
		return group(m, p, k, i);

	/* a literal: a keyword or one punctuation character (`\%`: a `%`) */
	size_t n = 1;
	if (*p == '\\')
		p++;
	else if (is_word_char(*p))
		while (is_word_char(p[n]))
			n++;
	if (i >= m->s->n)
		return false;
	const struct cf_atom *a = &m->s->a[i];
	/* a word BIRD does not reserve (pipe's `peer`) comes as a name */
	if (a->kind == CA_VAL || a->kind == CA_BLOCK || a->kind == CA_CMDS || strlen(a->word) != n || memcmp(a->word, p, n))
		return false;
	return run(m, p + n, k, i + 1);
}

/* ---- storing what matched -------------------------------------------------- */

static const char *
slot_name(enum cf_slot_type t)
{
	switch (t) {
	case CS_BOOL: case CS_SWITCH: return "switch";
	case CS_UINT: return "number";
	case CS_IP: return "address";
	case CS_IP4: return "IPv4 address";
	case CS_NET: return "prefix";
	case CS_TEXT: return "\"text\"";
	case CS_TABLE: case CS_IGP_TABLE: return "table";
	case CS_PATTERNS: return "\"pattern\", ...";
	case CS_BLOCK: case CS_FILTER: return "{ ... }";
	case CS_UNIMPL: return "...";
	case CS_SET: case CS_NONE: break;
	}
	return "";
}

/* the option's words before its first value: "hold time" */
static char *
opt_name(struct cf_parser *P, const struct cf_option *o)
{
	size_t n = strcspn(o->patt, "%[(<|");
	while (n && o->patt[n - 1] == ' ')
		n--;
	return pool_strndup(P->pool, o->patt, n);
}

/* the pattern as a user reads it: "hold time NUMBER" */
static char *
usage(struct cf_parser *P, const struct cf_option *o)
{
	char buf[512];
	size_t n = 0;
	unsigned idx = 0;

	for (const char *p = o->patt; *p && n < sizeof buf - 32; p++) {
		if (*p == '\\' && p[1]) {	/* an escaped literal */
			buf[n++] = *++p;
			continue;
		}
		if (*p != '%') {
			buf[n++] = *p;
			continue;
		}
		const char *name = idx < CF_SLOTS ? slot_name(o->slot[idx].type) : "";
		idx++;
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", name);
	}
	buf[n] = 0;
	return pool_strdup(P->pool, buf);
}

/*
 * Append a record to an option list. Lists only grow while a config is
 * parsed, so the last record of the list appended to last is still in it:
 * the walk starts there (200,000 static routes would otherwise cost a
 * quadratic walk).
 */
static void *
list_append(struct cf_parser *P, void *base, size_t off, size_t size)
{
	void **head = (void **)((char *)base + off), **pp = head;

	if (P->app_head == head && P->app_last)
		pp = (void **)P->app_last;
	while (*pp)
		pp = (void **)*pp;	/* each record begins with its `next` */
	*pp = pool_zalloc(P->pool, size);
	P->app_head = head;
	P->app_last = *pp;
	return *pp;
}

static struct cf_patt *
make_patterns(struct cf_parser *P, const struct cf_stmt *s, unsigned i, unsigned n)
{
	struct cf_patt *first = NULL, **tail = &first;

	/* patterns_len() checked the shape: [-] "text" separated by commas */
	unsigned j = i;
	while (j < i + n) {
		bool excl = atom_is(&s->a[j], "-");
		struct cf_patt *pt = pool_zalloc(P->pool, sizeof *pt);
		pt->pattern = pool_strdup(P->pool, atom_val(&s->a[j + excl])->v.s);
		pt->exclude = excl;
		*tail = pt;
		tail = &pt->next;
		j += excl + 2;		/* the text and the comma after it */
	}
	return first;
}

/* `igp table NAME`: one table per family; BIRD 1.x's `table NAME` has
 * the config's family */
static void
igp_table(struct cf_parser *P, const struct cf_slot *sl, const struct cf_atom *a,
	  struct rtable_config **t)
{
	const struct f_table *ft = a->sym && a->sym->class == SYM_TABLE ? a->sym->u.ptr : NULL;
	struct rtable_config *r = cf_table_ref(P, a->sym, a->word, &a->loc);

	if (!r)
		return;
	if (ft && (ft->type == TAB_ROA4 || ft->type == TAB_ROA6))
		cf_err(P, &a->loc, "%s", sl->msg);
	else if (r->family == CF_AF_IPV6 || (!r->family && (P->flags & CF_IPV6_DEFAULT)))
		t[1] = r;
	else
		t[0] = r;
}

/* A value BIRD 2 refuses but BIRD 1.x took (`hold time 1`): whether the
 * config is 1.x may show only later, so it is judged at the end. */
struct cf_v1_bound {
	struct cf_v1_bound *next;	/* in the order found */
	const struct proto_config *pc;	/* its protocol or template */
	struct cf_loc loc;		/* the value */
	const char *msg;		/* BIRD 2's error */
};

static void
out_of_range(struct cf_parser *P, const struct cf_slot *sl, const struct cf_loc *l, const char *msg)
{
	struct cf_v1_bound *b, **pp;

	if (!sl->v1_free || !P->proto) {
		cf_err(P, l, "%s", msg);
		return;
	}
	b = pool_zalloc(P->pool, sizeof *b);
	b->pc = P->proto;
	b->loc = *l;
	b->msg = msg;
	for (pp = &P->v1_bounds; *pp; pp = &(*pp)->next)
		;
	*pp = b;
}

void
cf_opt_v1_finish(struct cf_parser *P)
{
	for (const struct cf_v1_bound *b = P->v1_bounds; b; b = b->next)
		if (!b->pc->v1 && !P->v1_seen && !(P->flags & CF_IPV6_DEFAULT))
			cf_err(P, &b->loc, "%s", b->msg);
	P->v1_bounds = NULL;
}

static void store(struct match *m, void *rec, const char *what);

static void
apply_block(struct cf_parser *P, const struct cf_slot *sl, const struct cf_stmt *b, void *rec,
	    const char *what)
{
	struct cf_stmt *rev = NULL;

	/* the grammar chains block statements last first */
	for (const struct cf_stmt *s = b; s;) {
		const struct cf_stmt *next = s->next;
		struct cf_stmt *c = pool_alloc(cf_tmp(P), sizeof *c);
		*c = *s;
		c->next = rev;
		rev = c;
		s = next;
	}
	for (const struct cf_stmt *s = rev; s; s = s->next)
		if (!cf_opt_apply(P, sl->sub, what, s, rec))
			cf_err(P, &s->a[0].loc, "Unknown option '%s' in a block of %s", s->a[0].word,
			       what);
}

static void
store(struct match *m, void *rec, const char *what)
{
	struct cf_parser *P = m->P;
	const struct cf_option *o = m->opt;
	void *sub = NULL;

	if (o->list_off)
		rec = list_append(P, rec, o->list_off, o->rec_size);
	for (unsigned j = 0; j < m->nasg; j++) {
		const struct asg *g = &m->asg[j];
		const struct cf_slot *sl = g->slot;
		const struct cf_atom *a = &m->s->a[g->atom < m->s->n ? g->atom : m->s->n - 1];
		if (!sl) {
			sub = list_append(P, rec, o->sub_off, o->sub_size);
			continue;
		}
		char *f = (char *)(g->sub ? sub : rec) + sl->off;
		switch (sl->type) {
		case CS_BOOL:
			*(bool *)f = g->v.u;
			break;
		case CS_SET:
			if (sl->msg && *(uint32_t *)f)
				cf_err(P, &a->loc, "%s", sl->msg);
			*(uint32_t *)f = g->v.u;
			break;
		case CS_SWITCH:
			*(uint32_t *)f = g->v.u;
			break;
		case CS_UINT:
			if ((g->v.u < sl->min || g->v.u > sl->max) && !(sl->zero && !g->v.u))
				out_of_range(P, sl, &a->loc, sl->msg ? sl->msg :
					     pool_printf(P->pool, "Option '%s' of %s: %u is out of range %u-%u%s",
							 opt_name(P, o), what, g->v.u, sl->min, sl->max,
							 sl->zero ? " or zero" : ""));
			*(uint32_t *)f = g->v.u;
			break;
		case CS_IP:
		case CS_IP4:
			*(ip_addr *)f = g->v.ip;
			break;
		case CS_NET:
			*(net_addr *)f = g->v.net;
			break;
		case CS_TEXT:
			*(char **)f = pool_strdup(P->pool, g->v.s);
			break;
		case CS_TABLE:
			*(struct rtable_config **)f = cf_table_ref(P, a->sym, a->word, &a->loc);
			break;
		case CS_IGP_TABLE:
			igp_table(P, sl, a, (struct rtable_config **)f);
			break;
		case CS_PATTERNS:
			*(struct cf_patt **)f = make_patterns(P, m->s, g->atom, g->n);
			break;
		case CS_BLOCK:
			if (sl->sub)
				apply_block(P, sl, a->block, rec, what);
			else
				cf_err(P, &a->loc, "A block after option '%s' of %s is not implemented",
				       opt_name(P, o), what);
			break;
		case CS_FILTER:
			*(const struct f_filter **)f = a->filter;
			break;
		case CS_UNIMPL:
			cf_err(P, &m->s->a[0].loc, "Option '%s' of %s is not implemented", opt_name(P, o),
			       what);
			break;
		case CS_NONE:
			break;
		}
	}
}

/* ---- entry points ------------------------------------------------------------------ */

/* how many leading words of o's pattern the statement starts with */
static unsigned
head_words(const struct cf_option *o, const struct cf_stmt *s)
{
	const char *p = o->patt;

	for (unsigned i = 0;; i++) {
		while (*p == ' ')
			p++;
		size_t n = 0;
		while (is_word_char(p[n]))
			n++;
		if (!n || i >= s->n || s->a[i].kind != CA_WORD || strlen(s->a[i].word) != n ||
		    memcmp(s->a[i].word, p, n))
			return i;
		p += n;
	}
}

bool
cf_opt_takes_cmds(const struct cf_option *tab, const char *kw)
{
	size_t n = strlen(kw);

	for (const struct cf_option *o = tab; tab && o->patt; o++) {
		if (strncmp(o->patt, kw, n) || is_word_char(o->patt[n]))
			continue;
		for (unsigned j = 0; j < CF_SLOTS; j++)
			if (o->slot[j].type == CS_FILTER)
				return true;
	}
	return false;
}

const struct cf_option *
cf_opt_find(const struct cf_option *tab, const struct cf_stmt *s)
{
	for (const struct cf_option *o = tab; tab && o->patt; o++)
		if (head_words(o, s))
			return o;
	return NULL;
}

int
cf_opt_apply(struct cf_parser *P, const struct cf_option *tab, const char *what,
	     const struct cf_stmt *s, void *rec)
{
	struct match m = { .P = P, .s = s };
	const struct cf_option *cand[8];
	unsigned ncand = 0, best = 0, w;

	if (!tab || !s->n)
		return 0;
	for (const struct cf_option *o = tab; o->patt; o++) {
		if (!(w = head_words(o, s)))
			continue;
		m.opt = o;
		m.nasg = 0;
		if (run(&m, o->patt, NULL, 0)) {
			store(&m, rec, what);
			return 1;
		}
		/* remember the closest ones for the message */
		if (w > best) {
			best = w;
			ncand = 0;
		}
		if (w == best && ncand < sizeof cand / sizeof cand[0])
			cand[ncand++] = o;
	}
	if (!ncand)
		return 0;
	if (cand[0]->flags & CF_OPT_UNIMPL) {
		cf_err(P, &s->a[0].loc, "Option '%s' of %s is not implemented", opt_name(P, cand[0]),
		       what);
		return 1;
	}
	char msg[1024];
	size_t n = (size_t)snprintf(msg, sizeof msg, "Invalid option '%s' of %s, expected ",
				    opt_name(P, cand[0]), what);
	for (unsigned j = 0; j < ncand && n < sizeof msg; j++)
		n += (size_t)snprintf(msg + n, sizeof msg - n, "%s'%s'", j ? " or " : "",
				      usage(P, cand[j]));
	cf_err(P, &s->a[0].loc, "%s", msg);
	return 1;
}

/* BIRD 2's channel types Birch does not run */
static const char *const other_channels[] = {
	"aspa", "evpn", "flow4", "flow6", "mpls", "roa4", "roa6", "vpn4", "vpn6",
};

/* the leading keywords naming an unknown statement ("scan time") */
static char *
stmt_name(struct cf_parser *P, const struct cf_stmt *s)
{
	if (s->n > 1 && s->a[1].kind == CA_WORD)
		return pool_printf(P->pool, "%s %s", s->a[0].word, s->a[1].word);
	return pool_strdup(P->pool, s->a[0].word);
}

/*
 * No option matched. A statement that starts with a name BIRD does not
 * reserve is a syntax error there, in BIRD's words; one that starts with a
 * keyword is an option Birch does not know or implement.
 */
static void
unknown_option(struct cf_parser *P, const struct cf_stmt *s, const char *where)
{
	const char *w = s->a[0].word;

	if (!cf_is_keyword(w))
		cf_err(P, &s->a[0].loc, "syntax error, unexpected %s",
		       cf_find_symbol(P->scope, w) ? "CF_SYM_KNOWN" : "CF_SYM_UNDEFINED");
	else
		cf_err(P, &s->a[0].loc, "Option '%s' of %s is unknown or not implemented",
		       stmt_name(P, s), where);
}

/*
 * A statement in a protocol body or a channel block. At the protocol level
 * a channel option (BGP's `next hop self`, say) is BIRD 1.x style and goes
 * to the protocol's implicit channel.
 */
static void
opt_stmt(struct cf_parser *P, const struct cf_stmt *s)
{
	const struct proto_class *k = P->kind;
	struct proto_config *pc = P->proto;
	char what[64];

	if (!pc || (P->in_chan && !P->chan))
		return;		/* refused already: its body says nothing more */
	snprintf(what, sizeof what, "protocol %s", k->name);
	const struct cf_option *o = cf_opt_find(P->in_chan ? k->chan_opts : k->opts, s);
	if (!o && !P->in_chan)
		o = cf_opt_find(k->chan_opts, s);
	if (o && (o->flags & CF_OPT_V1)) {
		if (P->in_chan) {
			cf_err(P, &s->a[0].loc, "Option '%s' is BIRD 1.x's, not for a channel block",
			       opt_name(P, o));
			return;
		}
		pc->v1 = true;
		P->v1_seen = true;
	}
	if (P->in_chan) {
		if (!cf_opt_apply(P, k->chan_opts, what, s, P->chan->opts))
			unknown_option(P, s, pool_printf(P->pool, "%s channels", k->name));
		return;
	}
	if (cf_opt_apply(P, k->opts, what, s, pc->opts))
		return;
	if (cf_opt_find(k->chan_opts, s)) {
		struct chan_config *c = cf_chan_target(P, &s->a[0].loc);
		if (c)
			cf_opt_apply(P, k->chan_opts, what, s, c->opts);
		return;
	}
	for (size_t i = 0; i < sizeof other_channels / sizeof other_channels[0]; i++)
		if (!strcmp(s->a[0].word, other_channels[i])) {
			cf_err(P, &s->a[0].loc, "Birch does not implement %s channels", s->a[0].word);
			return;
		}
	unknown_option(P, s, what);
}

/* a protocol's or channel's statement, applied; then the scratch pool is
 * flushed: its atoms and a route block's tree (compiled by now) go */
void
cf_opt_stmt(struct cf_parser *P, const struct cf_stmt *s)
{
	opt_stmt(P, s);
	if (P->tmp && !P->tmp_keep && !P->errs && !P->npool)
		pool_flush(P->tmp);
}
