/*
 * Memory: abort-on-failure helpers, pools (arenas) and slabs, and the
 * per-class counters `show memory` prints.
 *
 * A pool bump-allocates from a current chunk; a request too big for a
 * chunk's slack gets a chunk of its own, linked in behind the current one
 * so the current chunk's slack is not lost. A slab carves fixed-size slots
 * out of large pages and threads freed slots on a list; pages go back to
 * malloc only when the slab is destroyed.
 *
 * Accounting: for every pool and slab, effective + overhead of its class
 * equals the bytes it holds from malloc (its struct, chunk or page headers
 * and all). Handing out n bytes moves n from overhead to effective; taking
 * or returning a chunk or page changes overhead.
 */
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>

/* Under AddressSanitizer, slots that are free (or not yet handed out) are
 * poisoned, so a use after slab_free is reported like any use after free. */
#if defined(__SANITIZE_ADDRESS__)
#define MEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEM_ASAN 1
#endif
#endif
#ifdef MEM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#include <stdlib.h>
#include <string.h>

enum {
	ALIGN = 16,			/* every pool object and slab slot */
	CHUNK_SIZE = 16 * 1024,		/* a pool's ordinary chunk, header included */
	BIG_REQUEST = CHUNK_SIZE / 4,	/* larger requests get their own chunk */
	PAGE_SIZE = 64 * 1024,		/* a slab page, header included */
	MIN_SLOTS = 8,			/* a page holds at least this many objects */
};

static struct mem_usage usage[MEM_CLASSES];

static const char *const class_names[MEM_CLASSES] = {
	[MEM_TABLES] = "Routing tables",
	[MEM_ATTRS] = "Route attributes",
	[MEM_PROTOS] = "Protocols",
	[MEM_CONFIG] = "Current config",
	[MEM_STANDBY] = "Standby memory",
	[MEM_MISC] = "Miscellaneous",
};

static size_t
align_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void
oom(size_t size)
{
	fprintf(stderr, "birch: out of memory (%zu bytes)\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		oom(size);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return s;
}

/* counters are size_t; a negative delta wraps back, as unsigned math does */
void
mem_charge(enum mem_class cls, long effective, long overhead)
{
	if ((unsigned)cls >= MEM_CLASSES)
		cls = MEM_MISC;
	usage[cls].effective += (size_t)effective;
	usage[cls].overhead += (size_t)overhead;
}

void
mem_usage(enum mem_class cls, struct mem_usage *out)
{
	if ((unsigned)cls >= MEM_CLASSES)
		cls = MEM_MISC;
	*out = usage[cls];
}

const char *
mem_class_name(enum mem_class cls)
{
	return (unsigned)cls < MEM_CLASSES ? class_names[cls] : "Unknown";
}

/* ---- pools --------------------------------------------------------------- */

struct chunk {
	struct chunk *next;		/* all chunks of a pool, newest first */
	size_t size;			/* bytes from malloc, header included */
};

/* the first 16-aligned byte after a chunk's header */
#define CHUNK_DATA(c)	((unsigned char *)(c) + align_up(sizeof(struct chunk)))

struct pool {
	enum mem_class cls;		/* charged for everything below */
	const char *name;		/* for debugging; not copied */
	struct chunk *chunks;		/* every chunk, newest first */
	struct chunk *cur;		/* ordinary chunk being bumped, or NULL */
	unsigned char *bump, *end;	/* free bytes of cur */
	size_t used;			/* bytes handed out since the last flush */
	size_t held;			/* bytes from malloc: struct and chunks */
};

struct pool *
pool_new(enum mem_class cls, const char *name)
{
	struct pool *p = xzalloc(sizeof(*p));

	p->cls = cls;
	p->name = name;
	p->held = sizeof(*p);
	mem_charge(cls, 0, (long)sizeof(*p));
	return p;
}

/* chunks and pages: 16-aligned from malloc, size a multiple of 16 */
static void *
block_alloc(size_t size)
{
	void *b = aligned_alloc(ALIGN, size);

	if (!b)
		oom(size);
	return b;
}

static struct chunk *
chunk_new(struct pool *p, size_t size)
{
	struct chunk *c = block_alloc(size);

	c->size = size;
	c->next = p->chunks;
	p->chunks = c;
	p->held += size;
	mem_charge(p->cls, 0, (long)size);
	return c;
}

/* slow path: the current chunk has no room for size (already aligned) */
static void *
pool_refill(struct pool *p, size_t size)
{
	size_t hdr = align_up(sizeof(struct chunk));
	struct chunk *c;

	if (size > BIG_REQUEST) {
		if (size > SIZE_MAX - hdr)
			oom(size);
		c = chunk_new(p, hdr + size);
		return CHUNK_DATA(c);
	}
	c = chunk_new(p, CHUNK_SIZE);
	p->cur = c;
	p->bump = CHUNK_DATA(c) + size;
	p->end = (unsigned char *)c + CHUNK_SIZE;
	return CHUNK_DATA(c);
}

void *
pool_alloc(struct pool *p, size_t size)
{
	size_t asize = align_up(size ? size : 1);
	void *obj;

	if (asize < size)
		oom(size);
	if ((size_t)(p->end - p->bump) >= asize) {
		obj = p->bump;
		p->bump += asize;
	} else {
		obj = pool_refill(p, asize);
	}
	p->used += size;
	mem_charge(p->cls, (long)size, -(long)size);
	return obj;
}

void *
pool_zalloc(struct pool *p, size_t size)
{
	return memset(pool_alloc(p, size), 0, size);
}

char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = pool_alloc(p, len + 1);

	memcpy(d, s, len);
	d[len] = 0;
	return d;
}

char *
pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, SIZE_MAX);
}

/* print into the current chunk's slack; only a long result pays twice */
char *
pool_vprintf(struct pool *p, const char *fmt, va_list ap)
{
	size_t room = (size_t)(p->end - p->bump);
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf((char *)p->bump, room, fmt, aq);
	va_end(aq);
	if (n < 0)
		oom(0);
	if (align_up((size_t)n + 1) <= room)	/* already in place: claim it */
		return pool_alloc(p, (size_t)n + 1);
	s = pool_alloc(p, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return s;
}

/* free every chunk but keep (if any) the current one */
void
pool_flush(struct pool *p)
{
	size_t before = p->held - p->used;
	struct chunk *c, *next;

	for (c = p->chunks; c; c = next) {
		next = c->next;
		if (c == p->cur)
			continue;
		p->held -= c->size;
		free(c);
	}
	p->chunks = p->cur;
	if (p->cur) {
		p->cur->next = NULL;
		p->bump = CHUNK_DATA(p->cur);
	}
	mem_charge(p->cls, -(long)p->used, (long)p->held - (long)before);
	p->used = 0;
}

void
pool_free(struct pool *p)
{
	struct chunk *c, *next;

	if (!p)
		return;
	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	mem_charge(p->cls, -(long)p->used, -(long)(p->held - p->used));
	free(p);
}

size_t
pool_size(const struct pool *p)
{
	return p->used;
}

/* ---- slabs --------------------------------------------------------------- */

struct page {
	struct page *next;		/* all pages of a slab */
	size_t size;			/* bytes from malloc, header included */
};

struct slot {
	struct slot *next;		/* a freed object on the free list */
};

struct slab {
	enum mem_class cls;		/* charged for everything below */
	size_t objsize;			/* as asked; bytes zeroed and charged */
	size_t slotsize;		/* objsize rounded up to ALIGN */
	size_t pagesize;		/* bytes per page, header included */
	struct slot *free;		/* freed slots, most recent first */
	struct page *pages;		/* every page, newest first */
	unsigned char *bump, *end;	/* never-used slots of the newest page */
	size_t count;			/* objects in use */
	size_t held;			/* bytes from malloc: struct and pages */
};

struct slab *
slab_new(enum mem_class cls, size_t objsize)
{
	struct slab *s = xzalloc(sizeof(*s));
	size_t hdr = align_up(sizeof(struct page));

	s->cls = cls;
	s->objsize = objsize;
	s->slotsize = align_up(objsize ? objsize : 1);
	if (s->slotsize < objsize || s->slotsize > (SIZE_MAX - hdr) / MIN_SLOTS)
		oom(objsize);
	s->pagesize = PAGE_SIZE;
	if (hdr + MIN_SLOTS * s->slotsize > PAGE_SIZE)
		s->pagesize = hdr + MIN_SLOTS * s->slotsize;
	s->held = sizeof(*s);
	mem_charge(cls, 0, (long)sizeof(*s));
	return s;
}

/* slots only 8-aligned: for small records of pointers and integers whose
 * size is a multiple of 8 (a 40-byte route is not rounded up to 48) */
struct slab *
slab_new_packed(enum mem_class cls, size_t objsize)
{
	struct slab *s = slab_new(cls, objsize);

	if (objsize && objsize % 8 == 0)
		s->slotsize = objsize;
	return s;
}

static void
slab_grow(struct slab *s)
{
	struct page *pg = block_alloc(s->pagesize);
	size_t hdr = align_up(sizeof(struct page));
	size_t slots = (s->pagesize - hdr) / s->slotsize;

	pg->size = s->pagesize;
	pg->next = s->pages;
	s->pages = pg;
	s->bump = (unsigned char *)pg + hdr;
	s->end = s->bump + slots * s->slotsize;
	POISON(s->bump, slots * s->slotsize);
	s->held += s->pagesize;
	mem_charge(s->cls, 0, (long)s->pagesize);
}

void *
slab_alloc(struct slab *s)
{
	void *obj;

	if (s->free) {
		obj = s->free;
		UNPOISON(obj, s->slotsize);
		s->free = s->free->next;
	} else {
		if (s->bump == s->end)
			slab_grow(s);
		obj = s->bump;
		s->bump += s->slotsize;
		UNPOISON(obj, s->slotsize);
	}
	s->count++;
	mem_charge(s->cls, (long)s->objsize, -(long)s->objsize);
	return memset(obj, 0, s->objsize);
}

void
slab_free(struct slab *s, void *obj)
{
	struct slot *sl = obj;

	if (!obj)
		return;
	sl->next = s->free;
	s->free = sl;
	POISON(obj, s->slotsize);
	s->count--;
	mem_charge(s->cls, -(long)s->objsize, (long)s->objsize);
}

void
slab_destroy(struct slab *s)
{
	struct page *pg, *next;
	size_t eff = s ? s->count * s->objsize : 0;

	if (!s)
		return;
	for (pg = s->pages; pg; pg = next) {
		next = pg->next;
		UNPOISON(pg, pg->size);
		free(pg);
	}
	mem_charge(s->cls, -(long)eff, -(long)(s->held - eff));
	free(s);
}

size_t
slab_count(const struct slab *s)
{
	return s->count;
}
