/*
 * Memory: abort-on-failure helpers, pools (arenas) and slabs, and the
 * per-class counters `show memory` prints.
 *
 * A pool bump-allocates from a current chunk; a request too big for a
 * chunk's slack gets a chunk of its own, linked in behind the current one
 * so the current chunk's slack is not lost. A slab carves fixed-size slots
 * out of large pages and threads freed slots on their page's list; a page
 * that empties goes back (to a small standby cache first, then to malloc).
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
	STANDBY_PAGES = 16,		/* empty slab pages kept for reuse, at most */
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

/*
 * A page is aligned to its own size (a power of two), so the page of an
 * object is its address with the low bits cleared. Its header counts the
 * objects in use and keeps the page's own free list; pages with a free slot
 * are on the slab's avail list. A page that empties leaves the slab: onto
 * the standby cache (ordinary pages, up to STANDBY_PAGES, charged as
 * standby memory) or back to malloc. Pages are numbered densely within
 * their slab (the lowest free number first), so an object's page number
 * and slot make a small id (slab_index).
 */
struct page {
	struct page *next, *prev;	/* the avail list, or the standby cache */
	struct slot *free;		/* freed slots of this page */
	uint32_t used;			/* objects in use */
	uint32_t fresh;			/* slots below this were handed out once */
	uint32_t index;			/* in the slab's dir */
};

struct slot {
	struct slot *next;		/* a freed object on its page's free list */
};

struct slab {
	enum mem_class cls;		/* charged for everything below */
	size_t objsize;			/* as asked; bytes zeroed and charged */
	size_t slotsize;		/* objsize rounded up to ALIGN (8 when packed) */
	size_t pagesize;		/* bytes per page, header included; a power of two */
	uint32_t slots;			/* slots per page */
	struct page *avail;		/* pages with a free slot, doubly linked */
	struct page **dir;		/* pages by number; NULL where none */
	uint32_t ndir;			/* entries in dir */
	uint32_t dir_hint;		/* no free number below this */
	size_t pages;			/* pages held */
	size_t count;			/* objects in use */
	size_t held;			/* bytes from malloc: struct, dir and pages */
};

static struct page *standby;		/* empty ordinary pages kept for reuse */
static size_t standby_pages;		/* on that list */

#define PAGE_HDR	align_up(sizeof(struct page))
#define PAGE_DATA(pg)	((unsigned char *)(pg) + PAGE_HDR)

static size_t
pow2_at_least(size_t n)
{
	size_t p = PAGE_SIZE;

	while (p < n) {
		if (p > SIZE_MAX / 2)
			oom(n);
		p *= 2;
	}
	return p;
}

static void
slab_layout(struct slab *s)
{
	if (s->slotsize > (SIZE_MAX - PAGE_HDR) / MIN_SLOTS)
		oom(s->objsize);
	s->pagesize = pow2_at_least(PAGE_HDR + MIN_SLOTS * s->slotsize);
	s->slots = (uint32_t)((s->pagesize - PAGE_HDR) / s->slotsize);
}

struct slab *
slab_new(enum mem_class cls, size_t objsize)
{
	struct slab *s = xzalloc(sizeof(*s));

	s->cls = cls;
	s->objsize = objsize;
	s->slotsize = align_up(objsize ? objsize : 1);
	if (s->slotsize < objsize)
		oom(objsize);
	slab_layout(s);
	s->held = sizeof(*s);
	mem_charge(cls, 0, (long)sizeof(*s));
	return s;
}

/* slots only 8-aligned: for small records whose size is a multiple of 8
 * (a 40-byte route is not rounded up to 48) */
struct slab *
slab_new_packed(enum mem_class cls, size_t objsize)
{
	struct slab *s = slab_new(cls, objsize);

	if (objsize && objsize % 8 == 0) {
		s->slotsize = objsize;
		slab_layout(s);
	}
	return s;
}

static void
avail_push(struct slab *s, struct page *pg)
{
	pg->prev = NULL;
	pg->next = s->avail;
	if (s->avail)
		s->avail->prev = pg;
	s->avail = pg;
}

static void
avail_unlink(struct slab *s, struct page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		s->avail = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = pg->prev = NULL;
}

/* a number for a new page: the lowest free one */
static uint32_t
dir_take(struct slab *s, struct page *pg)
{
	uint32_t i = s->dir_hint;

	while (i < s->ndir && s->dir[i])
		i++;
	if (i == s->ndir) {
		uint32_t n = s->ndir ? s->ndir * 2 : 8;
		s->dir = xrealloc(s->dir, n * sizeof(*s->dir));
		memset(s->dir + s->ndir, 0, (n - s->ndir) * sizeof(*s->dir));
		mem_charge(s->cls, 0, (long)((n - s->ndir) * sizeof(*s->dir)));
		s->held += (n - s->ndir) * sizeof(*s->dir);
		s->ndir = n;
	}
	s->dir[i] = pg;
	s->dir_hint = i + 1;
	return i;
}

static void
slab_grow(struct slab *s)
{
	struct page *pg;

	if (s->pagesize == PAGE_SIZE && standby) {
		pg = standby;
		standby = pg->next;
		standby_pages--;
		mem_charge(MEM_STANDBY, 0, -(long)PAGE_SIZE);
	} else {
		pg = aligned_alloc(s->pagesize, s->pagesize);
		if (!pg)
			oom(s->pagesize);
		POISON(PAGE_DATA(pg), s->pagesize - PAGE_HDR);
	}
	pg->free = NULL;
	pg->used = 0;
	pg->fresh = 0;
	pg->index = dir_take(s, pg);
	avail_push(s, pg);
	s->pages++;
	s->held += s->pagesize;
	mem_charge(s->cls, 0, (long)s->pagesize);
}

/* pg emptied: it leaves the slab */
static void
page_release(struct slab *s, struct page *pg)
{
	avail_unlink(s, pg);
	s->dir[pg->index] = NULL;
	if (pg->index < s->dir_hint)
		s->dir_hint = pg->index;
	s->pages--;
	s->held -= s->pagesize;
	mem_charge(s->cls, 0, -(long)s->pagesize);
	if (s->pagesize == PAGE_SIZE && standby_pages < STANDBY_PAGES) {
		POISON(PAGE_DATA(pg), s->pagesize - PAGE_HDR);
		pg->next = standby;
		standby = pg;
		standby_pages++;
		mem_charge(MEM_STANDBY, 0, (long)PAGE_SIZE);
	} else {
		UNPOISON(pg, s->pagesize);
		free(pg);
	}
}

static struct page *
page_of(const struct slab *s, const void *obj)
{
	uintptr_t a = (uintptr_t)obj & ~(uintptr_t)(s->pagesize - 1);

	return (struct page *)a;
}

void *
slab_alloc(struct slab *s)
{
	struct page *pg;
	void *obj;

	if (!s->avail)
		slab_grow(s);
	pg = s->avail;
	if (pg->free) {
		obj = pg->free;
		UNPOISON(obj, s->slotsize);
		pg->free = pg->free->next;
	} else {
		obj = PAGE_DATA(pg) + (size_t)pg->fresh++ * s->slotsize;
		UNPOISON(obj, s->slotsize);
	}
	if (++pg->used == s->slots)
		avail_unlink(s, pg);
	s->count++;
	mem_charge(s->cls, (long)s->objsize, -(long)s->objsize);
	return memset(obj, 0, s->objsize);
}

void
slab_free(struct slab *s, void *obj)
{
	struct slot *sl = obj;
	struct page *pg;

	if (!obj)
		return;
	pg = page_of(s, obj);
	if (pg->used == s->slots)
		avail_push(s, pg);
	sl->next = pg->free;
	pg->free = sl;
	POISON(obj, s->slotsize);
	s->count--;
	mem_charge(s->cls, -(long)s->objsize, (long)s->objsize);
	if (--pg->used == 0)
		page_release(s, pg);
}

void
slab_destroy(struct slab *s)
{
	size_t eff = s ? s->count * s->objsize : 0;

	if (!s)
		return;
	for (uint32_t i = 0; i < s->ndir; i++) {
		if (s->dir[i]) {
			UNPOISON(s->dir[i], s->pagesize);
			free(s->dir[i]);
		}
	}
	free(s->dir);
	mem_charge(s->cls, -(long)eff, -(long)(s->held - eff));
	free(s);
}

size_t
slab_count(const struct slab *s)
{
	return s->count;
}

uint32_t
slab_index(const struct slab *s, const void *obj)
{
	const struct page *pg = page_of(s, obj);
	size_t slot = (size_t)((const unsigned char *)obj - (const unsigned char *)pg -
	    PAGE_HDR) / s->slotsize;

	return pg->index * s->slots + (uint32_t)slot + 1;
}

/* cold: a scan of the directory */
uint32_t
slab_index_limit(const struct slab *s)
{
	uint32_t top = s->ndir;

	while (top && !s->dir[top - 1])
		top--;
	return top * s->slots + 1;
}

size_t
slab_pages(const struct slab *s)
{
	return s->pages;
}
