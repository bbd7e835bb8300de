/*
 * Birch memory: named allocators with stated lifetimes.
 *
 * A pool is an arena: objects are bump-allocated from large chunks and the
 * whole pool is freed at once (a config, a CLI session, one UPDATE's
 * scratch). A slab hands out fixed-size objects (routes, attribute sets)
 * from pages and keeps freed ones on a free list, so hot paths never call
 * malloc per object; a page whose objects are all freed is given back. Every allocator charges a memory class; `show memory`
 * prints the classes.
 */
#ifndef BIRCH_CORE_MEM_H
#define BIRCH_CORE_MEM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum mem_class {
	MEM_TABLES,		/* routing tables and routes */
	MEM_ATTRS,		/* interned route attributes */
	MEM_PROTOS,		/* protocols, channels, sessions */
	MEM_CONFIG,		/* the running config (and one being parsed) */
	MEM_STANDBY,		/* free pages kept for reuse */
	MEM_MISC,		/* CLI sessions, buffers, everything else */
	MEM_CLASSES
};

struct mem_usage {
	size_t effective;	/* bytes handed out to callers */
	size_t overhead;	/* bytes held for bookkeeping and slack */
};

/* mem.c: process-wide helpers; these abort on failure (cold paths only) */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mem_usage(enum mem_class cls, struct mem_usage *out);
const char *mem_class_name(enum mem_class cls);
void mem_charge(enum mem_class cls, long effective, long overhead);

/* mem.c: pools (arenas), freed whole */
struct pool;
struct pool *pool_new(enum mem_class cls, const char *name);
void *pool_alloc(struct pool *p, size_t size);		/* 16-byte aligned */
void *pool_zalloc(struct pool *p, size_t size);
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
char *pool_printf(struct pool *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *pool_vprintf(struct pool *p, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void pool_flush(struct pool *p);	/* forget all objects, keep one chunk */
void pool_free(struct pool *p);
size_t pool_size(const struct pool *p);	/* bytes handed out */

/* mem.c: slabs of fixed-size objects */
struct slab;
struct slab *slab_new(enum mem_class cls, size_t objsize);
struct slab *slab_new_packed(enum mem_class cls, size_t objsize);	/* 8-aligned slots */
void *slab_alloc(struct slab *s);	/* zeroed */
void slab_free(struct slab *s, void *obj);
void slab_destroy(struct slab *s);
size_t slab_count(const struct slab *s);	/* objects in use */
size_t slab_pages(const struct slab *s);	/* pages held (emptied ones go back) */
uint32_t slab_index(const struct slab *s, const void *obj);	/* 1.., unique among live
							 * objects, dense: from
							 * the page and slot */
uint32_t slab_index_limit(const struct slab *s);	/* every index is below this */

#endif
