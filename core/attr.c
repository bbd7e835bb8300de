/*
 * Interned route attribute sets: the intern table, reference counts, reads
 * of single attributes, and the copy-on-write builder.
 *
 * Data moves one way: a decoder or a filter fills a builder (its edits
 * point at the caller's bytes), rta_build_finish merges base and edits into
 * a scratch image of the body, and only if no equal set exists is that
 * image copied into a new slab object. A filter that changes nothing gets
 * its base back without touching the table; one that sets a value equal to
 * the old one gets the base back too (the images compare equal).
 *
 * The intern table is open addressed: a power of two of 8-byte slots, each
 * a set's address with, in the 16 bits above it, the top 12 bits of its
 * hash (a tag) and its distance from its home slot (hash & mask). Sets lie
 * in linear runs in the order of their homes (robin hood), so a lookup
 * stops at an empty slot or at one whose set is nearer its home than the
 * key would be, and reads a set only when its tag matches: a set that is
 * not there (what a filter that changes attributes mostly builds) costs a
 * cache line of slots and no set. Removal moves the rest of the run back a
 * slot, reading no set either. The table doubles (all at once, by the
 * hashes the sets keep) past 3/4 full and halves below 1/8. User-space
 * addresses fit in 48 bits on x86-64 and aarch64, but each new set is
 * checked: should one lie higher (5-level paging, a tagged top byte), the
 * slots turn to bare addresses for good and every look reads the set.
 */
#include "core/attr.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum {
	BODY_OFF = offsetof(struct rta, source),	/* where hashing starts */
	CLASS_STEP = 8,			/* slab size classes: multiples of this */
	CLASS_MAX = 1024,		/* larger sets come from malloc */
	N_CLASSES = CLASS_MAX / CLASS_STEP,
	MIN_SLOTS = 1024,		/* initial intern table */
	LOAD_NUM = 3, LOAD_DEN = 4,	/* the table doubles past 3/4 full */
	DIST_SHIFT = 48,		/* a slot: the address below this bit, */
	DIST_FAR = 15,			/* 4 bits of distance (15: that or more), */
	TAG_SHIFT = 52,			/* then the top TAG_BITS of the hash */
	TAG_BITS = 64 - TAG_SHIFT,
	MAX_BLOB = 1 << 24,		/* sanity limit on a set's data bytes */
	SHORT_MAX = RTA_SIZE,		/* larger sets store size 0, lengths only */
};

_Static_assert(sizeof(struct rta) == 16, "struct rta is a 16-byte header");
_Static_assert(sizeof(struct eattr) == 8 && sizeof(struct nexthop) % 4 == 0,
    "sets are multiples of 4 bytes (shape's low bits are flags)");

static struct {
	uint64_t *s;			/* slots: 0 empty, else a set (SLOT_*) */
	size_t size;			/* slots, a power of two; 0 before any set */
	size_t count;			/* sets interned */
	bool bare;			/* slots hold bare addresses: no tags */
} tab;

static struct slab *classes[N_CLASSES];	/* by size class, made on demand */
static unsigned char *scratch;		/* the body being built */
static size_t scratch_cap;		/* its bytes */

/* ---- hashing ------------------------------------------------------------- */

/* 8 bytes at a time through a multiply-xorshift, murmur3's finalizer last */
static uint32_t
body_hash(const void *body, size_t len)
{
	const unsigned char *p = body;
	uint64_t h = 0x243f6a8885a308d3ULL ^ len, w;

	for (; len >= 16; p += 16, len -= 16) {	/* two words a turn: less loop */
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		memcpy(&w, p + 8, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
		p += 8, len -= 8;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, len);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

static uint32_t (*hash_fn)(const void *, size_t) = body_hash;

void
rta_set_hash_hook(uint32_t (*fn)(const void *body, size_t len))
{
	ASSERT(tab.count == 0);		/* existing sets are where their old hashes put them */
	hash_fn = fn ? fn : body_hash;
}

/* ---- storage ------------------------------------------------------------- */

/* bytes of a data item of len bytes in the blob: zero padded to 4 */
static size_t
item_size(uint32_t len)
{
	return ((size_t)len + 3) & ~(size_t)3;
}

/* the bytes an item of v takes in a set: a single IPv4 address keeps
 * only its u32 (3/4 of the sets of an IPv4 table have a BGP next hop) */
static uint32_t
stored_len(const struct ea_val *v)
{
	ip_addr ip;

	if (v->type != EAF_IP || v->len != sizeof(ip_addr))
		return v->len;
	memcpy(&ip, v->data, sizeof ip);
	return ip_is4(ip) ? sizeof(uint32_t) : v->len;
}

/* bytes before the blob */
static size_t
fixed_size(const struct rta *a)
{
	return sizeof(struct rta) + a->nh_count * sizeof(struct nexthop) +
	    a->ea_count * sizeof(struct eattr) + (a->shape & RTA_IGP ? sizeof(uint32_t) : 0);
}

/* cold: the size of a set of 64 KiB or more, its attributes holding lengths */
static size_t
size_walk(const struct rta *a)
{
	const struct eattr *e = rta_eattrs(a);
	size_t n = fixed_size(a);

	for (unsigned i = 0; i < a->ea_count; i++)
		if (ea_type_has_data(e[i].type))
			n += item_size(e[i].val);
	return n;
}

/* stored in the set below 64 KiB */
static inline size_t
set_size(const struct rta *a)
{
	size_t n = a->shape & RTA_SIZE;

	return n ? n : size_walk(a);
}

size_t
rta_size(const struct rta *a)
{
	return set_size(a);
}

static const void *
body_of(const struct rta *a)
{
	return (const unsigned char *)a + BODY_OFF;
}

static struct slab *
class_of(size_t size)
{
	size_t k = (size + CLASS_STEP - 1) / CLASS_STEP - 1;

	if (size > CLASS_MAX)
		return NULL;
	if (!classes[k])
		classes[k] = slab_new_packed(MEM_ATTRS, (k + 1) * CLASS_STEP);
	return classes[k];
}

static struct rta *
set_alloc(size_t size)
{
	struct slab *s = class_of(size);

	if (s)
		return slab_alloc(s);
	mem_charge(MEM_ATTRS, (long)size, 0);
	return xmalloc(size);
}

static void
set_free(struct rta *a)
{
	size_t size = set_size(a);
	struct slab *s = class_of(size);

	if (s) {
		slab_free(s, a);
	} else {
		mem_charge(MEM_ATTRS, -(long)size, 0);
		free(a);
	}
}

/* ---- the intern table ---------------------------------------------------- */

/* a slot's bits: the set's address, its distance from its home slot
 * (saturating: DIST_FAR means "that or more, ask the set") and a tag of
 * its hash; 0 is an empty slot */
#define SLOT_PTR	((UINT64_C(1) << DIST_SHIFT) - 1)
#define SLOT_DIST	((uint64_t)DIST_FAR << DIST_SHIFT)

static inline uint64_t
tag_of(uint32_t h)
{
	return (uint64_t)(h >> (32 - TAG_BITS)) << TAG_SHIFT;
}

static inline struct rta *
slot_set(uint64_t s)
{
	return (struct rta *)(uintptr_t)(tab.bare ? s : s & SLOT_PTR);
}

/* slot s, its set now d slots from its home */
static inline uint64_t
slot_at(uint64_t s, size_t d)
{
	if (tab.bare)
		return s;
	return (s & ~SLOT_DIST) | (uint64_t)(d < DIST_FAR ? d : DIST_FAR) << DIST_SHIFT;
}

/* the distance of the set in slot i from its home slot (cold when far or
 * bare: it reads the set's hash) */
static size_t
slot_dist(uint64_t s, size_t i)
{
	size_t d = tab.bare ? DIST_FAR : (size_t)(s >> DIST_SHIFT) & DIST_FAR;

	if (d == DIST_FAR)
		d = (i - (slot_set(s)->hash & (tab.size - 1))) & (tab.size - 1);
	return d;
}

/* is the set in slot i nearer its home than d slots? Then a set d from
 * its home would be here (sets lie in the order of their homes) */
static inline bool
slot_nearer(uint64_t s, size_t i, size_t d)
{
	size_t sd = (size_t)(s >> DIST_SHIFT) & DIST_FAR;

	if (!tab.bare && (sd < DIST_FAR || d <= DIST_FAR))
		return sd < d;
	return slot_dist(s, i) < d;
}

/* slot s, its set moved one slot on */
static inline uint64_t
slot_on(uint64_t s)
{
	if (tab.bare || (s & SLOT_DIST) == SLOT_DIST)
		return s;
	return s + (UINT64_C(1) << DIST_SHIFT);
}

/* where a set of hash h that is not there goes: after the sets of its
 * run as far from their homes as it, or farther (robin hood) */
static size_t
tab_stop(uint32_t h)
{
	size_t mask = tab.size - 1, i = h & mask, d = 0;
	uint64_t s;

	while ((s = tab.s[i]) && !slot_nearer(s, i, d))
		i = (i + 1) & mask, d++;
	return i;
}

/* place a (hash h, room left) at i = tab_stop(h): the sets after it move
 * one slot on, up to the empty slot that ends the run */
static void
tab_put(struct rta *a, uint32_t h, size_t i)
{
	size_t mask = tab.size - 1;
	uint64_t s, cur = (uintptr_t)a;

	if (!tab.bare)
		cur = slot_at(cur | tag_of(h), (i - h) & mask);
	for (;; i = (i + 1) & mask) {
		s = tab.s[i];
		tab.s[i] = cur;
		if (!s)
			return;
		cur = slot_on(s);
	}
}

/* a resize from more slots than this prefetches the sets' headers; below
 * it their sets (100 bytes or more each) fit in a core's cache */
enum { RESIZE_AHEAD = 16, RESIZE_PREFETCH = 1 << 16 };

/* each set where its hash puts it; a set's header is prefetched as it is
 * met and read RESIZE_AHEAD sets later, when the loads of those between
 * have overlapped (sets lie anywhere: otherwise one miss after another) */
static void
tab_refill(const uint64_t *old, size_t n)
{
	struct rta *ring[RESIZE_AHEAD] = { NULL }, *a;
	unsigned k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!old[i])
			continue;
		__builtin_prefetch(slot_set(old[i]));
		a = ring[k];
		ring[k] = slot_set(old[i]);
		k = (k + 1) % RESIZE_AHEAD;
		if (a)
			tab_put(a, a->hash, tab_stop(a->hash));
	}
	for (unsigned j = 0; j < RESIZE_AHEAD; j++, k = (k + 1) % RESIZE_AHEAD)
		if ((a = ring[k]))
			tab_put(a, a->hash, tab_stop(a->hash));
}

/* all at once, by the hashes the sets keep: each set is read once */
static void
tab_resize(size_t size)
{
	uint64_t *old = tab.s;
	size_t n = tab.size;

	tab.s = xzalloc(size * sizeof(*tab.s));
	tab.size = size;
	if (n > RESIZE_PREFETCH) {
		tab_refill(old, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (old[i]) {
				struct rta *a = slot_set(old[i]);
				tab_put(a, a->hash, tab_stop(a->hash));
			}
		}
	}
	mem_charge(MEM_ATTRS, ((long)size - (long)n) * (long)sizeof(*tab.s), 0);
	free(old);
}

/* cold: a set lies above 2^48, where the tag and distance go; from now
 * on the slots hold bare addresses and every look reads the set */
static void
tab_go_bare(void)
{
	for (size_t i = 0; i < tab.size; i++)
		tab.s[i] &= SLOT_PTR;
	tab.bare = true;
}

void
rta_set_bare_hook(bool bare)
{
	if (bare && !tab.bare) {
		tab_go_bare();
	} else if (!bare && tab.bare) {
		for (size_t i = 0; i < tab.size; i++)
			if (tab.s[i] > SLOT_PTR)
				return;		/* stays bare */
		tab.bare = false;
		if (tab.size)
			tab_resize(tab.size);	/* tags and distances again */
	}
}

size_t
rta_count(void)
{
	return tab.count;
}

/* an interned set equal to the scratch image (hash h, body len), or NULL
 * and where it would go (tab_stop). An absent one costs a slot or a few,
 * no set: the run ends at an empty slot or one nearer its home, and a set
 * is read only if its tag matches */
static struct rta *
tab_find(const struct rta *img, uint32_t h, size_t len, size_t *stop)
{
	size_t mask = tab.size - 1, i = h & mask;

	if (!tab.size)
		return NULL;
	for (size_t d = 0;; i = (i + 1) & mask, d++) {
		uint64_t s = tab.s[i];
		if (!s || slot_nearer(s, i, d)) {
			*stop = i;
			return NULL;
		}
		if (tab.bare || s >> TAG_SHIFT == h >> (32 - TAG_BITS)) {
			struct rta *a = slot_set(s);
			if (a->hash == h && a->shape == img->shape &&
			    set_size(a) - BODY_OFF == len &&
			    !memcmp(body_of(a), body_of(img), len))
				return a;
		}
	}
}

/* take a out: the sets after it that are not at home move one slot back */
static void
tab_unlink(struct rta *a)
{
	size_t mask = tab.size - 1, i = a->hash & mask;

	while (slot_set(tab.s[i]) != a) {
		if (!tab.s[i])
			bug("rta %p not interned", (void *)a);
		i = (i + 1) & mask;
	}
	for (;;) {
		size_t j = (i + 1) & mask;
		uint64_t s = tab.s[j];
		if (!s || slot_nearer(s, j, 1))	/* empty, or at home */
			break;
		tab.s[i] = slot_at(s, slot_dist(s, j) - 1);
		i = j;
	}
	tab.s[i] = 0;
	tab.count--;
}

struct rta *
rta_ref(struct rta *a)
{
	if (a->uc == UINT32_MAX)
		bug("rta use count overflow");
	a->uc++;
	return a;
}

void
rta_unref(struct rta *a)
{
	if (!a)
		return;
	if (a->uc == 0)
		bug("rta use count underflow");
	if (--a->uc)
		return;
	tab_unlink(a);
	set_free(a);
	if (tab.size > MIN_SLOTS && tab.count < tab.size / 8)
		tab_resize(tab.size / 2);	/* emptied: the slots go too */
}

/* ---- reading ------------------------------------------------------------- */

const struct eattr *
ea_find(const struct rta *a, unsigned id)
{
	const struct eattr *e = rta_eattrs(a);
	unsigned lo = 0, hi = a->ea_count;

	while (lo < hi) {		/* sorted by id: binary search */
		unsigned mid = (lo + hi) / 2;
		if (e[mid].id == id)
			return &e[mid];
		if (e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* in a set of 64 KiB or more: the item's offset is the padded items of
 * the data attributes before e */
void
ea_data_walk(const struct rta *a, const struct eattr *e, const void **data, uint32_t *len)
{
	const struct eattr *x = rta_eattrs(a);
	size_t off = 0;

	for (; x < e; x++)
		if (ea_type_has_data(x->type))
			off += item_size(x->val);
	*len = e->val;
	*data = rta_blob(a) + off;
}

static void
val_of(const struct rta *a, const struct eattr *e, struct ea_val *out)
{
	out->id = e->id;
	out->type = e->type;
	out->flags = e->flags;
	if (ea_type_has_data(e->type)) {
		out->i = 0;
		ea_data(a, e, &out->data, &out->len);
		if (e->type == EAF_IP && out->len == sizeof(uint32_t)) {
			uint32_t v4;
			memcpy(&v4, out->data, sizeof v4);
			out->ip = ip4_from_u32(v4);	/* stored short: widen */
			out->data = &out->ip;
			out->len = sizeof(ip_addr);
		}
	} else {
		out->i = e->val;
		out->len = 0;
		out->data = NULL;
	}
}

bool
rta_get(const struct rta *a, unsigned id, struct ea_val *out)
{
	const struct eattr *e = ea_find(a, id);

	if (!e)
		return false;
	val_of(a, e, out);
	return true;
}

/* ---- the builder --------------------------------------------------------- */

void
rta_build_start(struct rta_builder *b, struct rta *base)
{
	b->base = base;
	b->source = base ? base->source : RTS_DUMMY;
	b->scope = base ? base->scope : SCOPE_UNIVERSE;
	b->dest = base ? base->dest : RTD_NONE;
	b->igp_metric = base ? rta_igp_metric(base) : 0;
	b->nh = base ? rta_nexthops(base) : NULL;
	b->nh_count = base ? base->nh_count : 0;
	b->n_edits = 0;
	b->cap_edits = RTA_BUILD_INLINE;
	b->edits = b->inline_edits;
}

void
rta_build_nexthops(struct rta_builder *b, const struct nexthop *nh, unsigned n)
{
	if (n > UINT8_MAX)
		bug("%u next hops", n);
	b->nh = nh;
	b->nh_count = n;
}

/* the edit slot for id, inserted in order if new */
static struct ea_edit *
edit_slot(struct rta_builder *b, unsigned id)
{
	unsigned i = b->n_edits;

	if (id > UINT16_MAX)
		bug("attribute id %u", id);
	if (i && b->edits[i - 1].v.id >= id) {	/* not an append (ids in order) */
		i = 0;
		while (b->edits[i].v.id < id)
			i++;
		if (b->edits[i].v.id == id)
			return &b->edits[i];
	}
	if (b->n_edits == b->cap_edits) {	/* cold: a filter setting many */
		unsigned cap = b->cap_edits * 2;
		struct ea_edit *e = xmalloc(cap * sizeof(*e));
		memcpy(e, b->edits, b->n_edits * sizeof(*e));
		if (b->edits != b->inline_edits)
			free(b->edits);
		b->edits = e;
		b->cap_edits = cap;
	}
	if (i < b->n_edits)	/* appending (ids set in order) moves nothing */
		memmove(&b->edits[i + 1], &b->edits[i], (b->n_edits - i) * sizeof(*b->edits));
	b->n_edits++;
	b->edits[i].v.id = (uint16_t)id;	/* the callers fill in the rest */
	b->edits[i].v.ip = (ip_addr){ { 0, 0, 0, 0 } };
	return &b->edits[i];
}

void
rta_build_set_int(struct rta_builder *b, unsigned id, unsigned type, unsigned flags,
    uint32_t v)
{
	struct ea_edit *e;

	if (type == 0 || type >= EAF_TYPE_MAX || ea_type_has_data(type))
		bug("attribute type %u is not an integer", type);
	e = edit_slot(b, id);
	e->unset = false;
	e->v.type = (uint8_t)type;
	e->v.flags = (uint8_t)flags;
	e->v.i = v;
	e->v.len = 0;
	e->v.data = NULL;
}

void
rta_build_set_data(struct rta_builder *b, unsigned id, unsigned type, unsigned flags,
    const void *data, uint32_t len)
{
	struct ea_edit *e;

	if (!ea_type_has_data(type) || type >= EAF_TYPE_MAX)
		bug("attribute type %u holds no data", type);
	if (len > MAX_BLOB)
		bug("attribute of %u bytes", (unsigned)len);
	e = edit_slot(b, id);
	e->unset = false;
	e->v.type = (uint8_t)type;
	e->v.flags = (uint8_t)flags;
	e->v.i = 0;
	e->v.len = len;
	e->v.data = data;
}

void
rta_build_unset(struct rta_builder *b, unsigned id)
{
	struct ea_edit *e = edit_slot(b, id);

	memset(&e->v, 0, sizeof(e->v));
	e->v.id = (uint16_t)id;
	e->unset = true;
}

bool
rta_build_get(const struct rta_builder *b, unsigned id, struct ea_val *out)
{
	for (unsigned i = 0; i < b->n_edits && b->edits[i].v.id <= id; i++) {
		if (b->edits[i].v.id == id) {
			if (b->edits[i].unset)
				return false;
			*out = b->edits[i].v;
			return true;
		}
	}
	return b->base && rta_get(b->base, id, out);
}

void
rta_build_abort(struct rta_builder *b)
{
	if (b->edits != b->inline_edits)
		free(b->edits);
	b->edits = b->inline_edits;
	b->cap_edits = RTA_BUILD_INLINE;
	b->n_edits = 0;
}

/* write n attributes of base (from) at out and their items at bl + off;
 * returns the new off. Between two edits the base's attributes are a run
 * whose items lie together in its blob: when both sets are in the short
 * form, one copy moves them and each offset shifts by the same amount. */
static uint32_t
copy_run(const struct rta *base, const struct eattr *from, unsigned n, struct eattr *out,
    uint8_t *bl, uint32_t off, bool short_form)
{
	uint32_t lo = UINT32_MAX, hi = 0;

	if (!n)
		return off;
	memcpy(out, from, n * sizeof(*out));
	if (short_form && (base->shape & RTA_SIZE)) {
		for (unsigned k = 0; k < n; k++) {
			if (!ea_type_has_data(from[k].type))
				continue;
			uint32_t at = from[k].val >> 16;
			if (lo == UINT32_MAX)
				lo = at;
			hi = at + (uint32_t)item_size(from[k].val & 0xffff);
			out[k].val = (off + at - lo) << 16 | (from[k].val & 0xffff);
		}
		if (lo == UINT32_MAX)
			return off;
		memcpy(bl + off, rta_blob(base) + lo, hi - lo);	/* pads are zero there */
		return off + (hi - lo);
	}
	for (unsigned k = 0; k < n; k++) {	/* a long form on either side */
		const void *d;
		uint32_t len;
		if (!ea_type_has_data(from[k].type))
			continue;
		ea_data(base, &from[k], &d, &len);
		out[k].val = short_form ? off << 16 | len : len;
		if (len & 3)
			memset(bl + off + (len & ~3u), 0, 4);
		memcpy(bl + off, d, len);
		off += (uint32_t)item_size(len);
	}
	return off;
}

static int
nh_cmp(const struct nexthop *x, const struct nexthop *y)
{
	/* BIRD's order of next hops: heavier first, then gateway, interface */
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	int c = ip_cmp(x->gw, y->gw);

	if (c)
		return c;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return (x->flags > y->flags) - (x->flags < y->flags);
}

/* lay the merged set out in scratch, canonically; returns its image */
static struct rta *
build_image(const struct rta_builder *b)
{
	unsigned bi = 0, n_ea = 0;
	size_t blob = 0, size;
	struct rta *img;
	bool igp = b->igp_metric != 0, short_form;

	/* the size: the base's, corrected by each edit (ids are unique) */
	if (b->base) {
		n_ea = b->base->ea_count;
		blob = set_size(b->base) - fixed_size(b->base);
	}
	for (unsigned i = 0; i < b->n_edits; i++) {
		const struct ea_edit *ed = &b->edits[i];
		const struct eattr *be = b->base ? ea_find(b->base, ed->v.id) : NULL;
		if (be) {
			n_ea--;
			if (ea_type_has_data(be->type)) {
				const void *d;
				uint32_t len;
				ea_data(b->base, be, &d, &len);
				blob -= item_size(len);
			}
		}
		if (!ed->unset) {
			n_ea++;
			if (ea_type_has_data(ed->v.type))
				blob += item_size(stored_len(&ed->v));
		}
	}
	if (n_ea > UINT16_MAX || blob > MAX_BLOB)
		bug("attribute set too large (%u attributes, %zu bytes)", n_ea, blob);

	size = sizeof(struct rta) + b->nh_count * sizeof(struct nexthop) +
	    n_ea * sizeof(struct eattr) + igp * sizeof(uint32_t) + blob;
	short_form = size <= SHORT_MAX;
	if (size > scratch_cap) {
		size_t cap = scratch_cap ? scratch_cap : 1024;
		while (cap < size)
			cap *= 2;
		mem_charge(MEM_ATTRS, 0, (long)cap - (long)scratch_cap);
		free(scratch);
		scratch = xmalloc(cap);
		scratch_cap = cap;
	}
	/* every byte is written below, pads included: no memset */
	img = (struct rta *)(void *)scratch;
	img->uc = 0;
	img->hash = 0;
	img->source = b->source;
	img->scope = b->scope;
	img->dest = b->dest;
	img->nh_count = (uint8_t)b->nh_count;
	img->ea_count = (uint16_t)n_ea;
	img->shape = (uint16_t)((short_form ? size : 0) | (igp ? RTA_IGP : 0));

	/* next hops: copied field by field (pads zero), insertion sorted */
	struct nexthop *nh = (struct nexthop *)(void *)(img + 1);
	for (unsigned i = 0; i < b->nh_count; i++) {
		struct nexthop x = { .gw = b->nh[i].gw, .ifindex = b->nh[i].ifindex,
		    .weight = b->nh[i].weight, .flags = b->nh[i].flags };
		unsigned j = i;
		for (; j > 0 && nh_cmp(&nh[j - 1], &x) > 0; j--)
			nh[j] = nh[j - 1];
		nh[j] = x;
	}

	struct eattr *out = (struct eattr *)(void *)(nh + b->nh_count);
	uint8_t *bl = (uint8_t *)(out + n_ea);
	uint32_t off = 0;
	if (igp) {
		memcpy(bl, &b->igp_metric, sizeof(uint32_t));
		bl += sizeof(uint32_t);
	}
	/* merge: a run of the base's attributes before each edit, then the
	 * edit (which replaces the base's of its id, or removes it) */
	const struct eattr *be = b->base ? rta_eattrs(b->base) : NULL;
	unsigned bn = b->base ? b->base->ea_count : 0;
	for (unsigned ei = 0;; ei++) {
		unsigned stop = bi;
		if (ei < b->n_edits)
			while (stop < bn && be[stop].id < b->edits[ei].v.id)
				stop++;
		else
			stop = bn;
		off = copy_run(b->base, be + bi, stop - bi, out, bl, off, short_form);
		out += stop - bi;
		bi = stop;
		if (ei == b->n_edits)
			break;

		const struct ea_edit *ed = &b->edits[ei];
		const struct ea_val *v = &ed->v;
		if (bi < bn && be[bi].id == v->id)
			bi++;			/* replaced */
		if (ed->unset)
			continue;
		out->id = v->id;
		out->type = v->type;
		out->flags = v->flags;
		out->val = v->i;
		if (ea_type_has_data(v->type)) {
			uint32_t sl = stored_len(v);
			out->val = short_form ? off << 16 | sl : sl;
			if (sl & 3)		/* zero the pad first */
				memset(bl + off + (sl & ~3u), 0, 4);
			if (sl != v->len) {	/* an IPv4 address: its u32 */
				ip_addr ip;
				memcpy(&ip, v->data, sizeof ip);
				uint32_t v4 = ip4_to_u32(ip);
				memcpy(bl + off, &v4, sizeof v4);
			} else if (sl) {
				memcpy(bl + off, v->data, sl);
			}
			off += (uint32_t)item_size(sl);
		}
		out++;
	}
	return img;
}

struct rta *
rta_build_finish(struct rta_builder *b)
{
	struct rta *img, *a;
	size_t len, at = 0;
	uint32_t h;

	if (b->base && !b->n_edits && b->nh == rta_nexthops(b->base) &&
	    b->nh_count == b->base->nh_count && b->source == b->base->source &&
	    b->scope == b->base->scope && b->dest == b->base->dest &&
	    b->igp_metric == rta_igp_metric(b->base)) {
		rta_build_abort(b);
		return rta_ref(b->base);	/* untouched: no image at all */
	}
	img = build_image(b);
	len = set_size(img) - BODY_OFF;
	rta_build_abort(b);
	h = hash_fn(body_of(img), len);
	if (b->base && b->base->hash == h && b->base->shape == img->shape &&
	    set_size(b->base) - BODY_OFF == len && !memcmp(body_of(b->base), body_of(img), len))
		return rta_ref(b->base);	/* edits restored the same values */
	if ((a = tab_find(img, h, len, &at)))
		return rta_ref(a);

	a = set_alloc(len + BODY_OFF);
	memcpy(a, img, len + BODY_OFF);
	a->uc = 1;
	a->hash = h;
	if ((uint64_t)(uintptr_t)a > SLOT_PTR && !tab.bare)
		tab_go_bare();
	if ((tab.count + 1) * LOAD_DEN > tab.size * LOAD_NUM) {
		tab_resize(tab.size ? tab.size * 2 : MIN_SLOTS);
		at = tab_stop(h);
	}
	tab_put(a, h, at);
	tab.count++;
	return a;
}
