/*
 * Symbol scopes: a hash table of names per scope, chained to the enclosing
 * scope. For now there is one scope, the config's root; filters and
 * functions will open nested ones. Everything lives in the config's pool,
 * so a scope is never freed on its own. Names are case-sensitive.
 */
#include <string.h>

#include "lang/cf_int.h"

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

struct cf_scope *
cf_scope_new(struct pool *p, struct cf_scope *up)
{
	struct cf_scope *s = pool_zalloc(p, sizeof *s);

	s->up = up;
	s->pool = p;
	s->size = 64;
	s->hash = pool_zalloc(p, s->size * sizeof *s->hash);
	return s;
}

static struct cf_symbol *
find_here(const struct cf_scope *s, const char *name)
{
	for (struct cf_symbol *y = s->hash[hash(name) & (s->size - 1)]; y; y = y->next)
		if (!strcmp(y->name, name))
			return y;
	return NULL;
}

struct cf_symbol *
cf_find_symbol(const struct cf_scope *s, const char *name)
{
	for (; s; s = s->up) {
		struct cf_symbol *y = find_here(s, name);
		if (y)
			return y;
	}
	return NULL;
}

/* double the buckets when the chains average two symbols */
static void
grow(struct cf_scope *s)
{
	unsigned size = s->size * 2;
	struct cf_symbol **h = pool_zalloc(s->pool, size * sizeof *h);

	for (unsigned i = 0; i < s->size; i++)
		for (struct cf_symbol *y = s->hash[i], *next; y; y = next) {
			next = y->next;
			unsigned b = hash(y->name) & (size - 1);
			y->next = h[b];
			h[b] = y;
		}
	s->hash = h;
	s->size = size;
}

struct cf_symbol *
cf_define_symbol(struct cf_scope *s, const char *name, enum cf_sym_class cls)
{
	if (find_here(s, name))
		return NULL;
	if (s->count >= s->size * 2)
		grow(s);

	struct cf_symbol *y = pool_zalloc(s->pool, sizeof *y);
	unsigned b = hash(name) & (s->size - 1);
	y->name = pool_strdup(s->pool, name);
	y->class = cls;
	y->scope = s;
	y->next = s->hash[b];
	s->hash[b] = y;
	if (s->last)
		s->last->order = y;
	else
		s->first = y;
	s->last = y;
	s->count++;
	return y;
}

void
cf_walk_symbols(const struct cf_scope *s, void (*fn)(const struct cf_symbol *, void *), void *arg)
{
	for (const struct cf_symbol *y = s->first; y; y = y->order)
		fn(y, arg);
}

const char *
cf_sym_class_name(enum cf_sym_class cls)
{
	switch (cls) {
	case SYM_VOID: return "undefined";
	case SYM_CONSTANT: return "constant";
	case SYM_PROTO: return "protocol";
	case SYM_TEMPLATE: return "template";
	case SYM_FILTER: return "filter";
	case SYM_FUNCTION: return "function";
	case SYM_TABLE: return "routing table";
	case SYM_VARIABLE: return "variable";
	case SYM_ATTRIBUTE: return "attribute";
	case SYM_TESTS: return "tests";
	}
	return "?";
}
