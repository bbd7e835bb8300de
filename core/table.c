/*
 * Routing tables: the net hash, the prefix trie, route lists and best-route
 * selection, and cursors for ordered walks.
 *
 * An update finds its net by hash (creating it, and its place in the trie,
 * when new), replaces the source's route in the net's sorted list (in the
 * old route's place when the order allows, so ties keep their order), and
 * tells the announce hook what changed (the source's route and the best
 * route, before and after) and the notify hook when the best route changed;
 * then the replaced route is freed. A withdraw that empties a net removes
 * it from the hash and the trie (leaving a glue node when it still joins
 * two subtrees).
 *
 * The hash moves a few buckets from the old array to the new one on every
 * update while it resizes, so no single update pays for a whole rehash.
 * Trie nodes sit at absolute bit positions in the 128-bit ip_addr (an IPv4
 * prefix of length L ends at bit 96 + L), so one code path serves both
 * families. Invariant: a glue node always has two children.
 *
 * Route ids are places in the one route slab of all tables (its pages are
 * numbered lowest free first), so they stay dense and a channel's export
 * bitmap stays small. ECMP (`merge paths`) is the channels' business: a
 * merging channel reads the routes after the best that rte_cmp finds equal
 * to it.
 */
#include "core/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum {
	HASH_MIN = 64,		/* smallest bucket array */
	HASH_STEP = 8,		/* old buckets moved per update while resizing */
	N_SLOTS = 1 << RT_STRIDE,	/* a wide table's slots */
};

static struct slab *rte_slab;	/* all tables' routes */
static struct slab *net_slab;	/* all tables' nets */
static struct slab *glue_slab;	/* all tables' glue nodes: child[] and n only */
static struct slab *ghost_slab;	/* all tables' emptied nets */

/* a net emptied since the last rt_prune */
struct rt_ghost {
	struct rt_ghost *next;	/* hash chain */
	uint32_t hash;		/* net_hash(&n) */
	net_addr n;		/* the prefix */
};
static rte_cmp_fn class_cmp[RTS_MAX];	/* per source class, or NULL */

_Static_assert(sizeof(struct rte) == 32, "a route is 32 bytes");

void
rt_set_compare(unsigned source, rte_cmp_fn fn)
{
	if (source >= RTS_MAX)
		bug("source class %u", source);
	class_cmp[source] = fn;
}

int
rte_cmp(const struct rte *a, const struct rte *b)
{
	unsigned sa = a->attrs->source, sb = b->attrs->source;
	int c;

	if ((a->flags ^ b->flags) & RTE_FILTERED)
		return a->flags & RTE_FILTERED ? 1 : -1;
	if (a->pref != b->pref)
		return a->pref > b->pref ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa < RTS_MAX && class_cmp[sa] && (c = class_cmp[sa](a, b)))
		return c < 0 ? -1 : 1;
	return 0;
}

/* ---- route ids and times ------------------------------------------------ */

uint32_t
rte_id(const struct rte *e)
{
	return slab_index(rte_slab, e);
}

uint32_t
rte_id_limit(void)
{
	return rte_slab ? slab_index_limit(rte_slab) : 1;
}

int64_t
rte_lastmod_us(const struct rte *e)
{
	return (int64_t)e->lastmod * 1000;
}

/* a clock reading (us) as rte.lastmod: ms, clamped into its 42 bits */
static uint64_t
lastmod_of(int64_t us)
{
	int64_t ms = us / 1000;

	if (ms < 0)
		return 0;
	return ms < (INT64_C(1) << 42) ? (uint64_t)ms : (UINT64_C(1) << 42) - 1;
}

static void
rte_free(struct rte *r)
{
	rta_unref(r->attrs);
	slab_free(rte_slab, r);
}

/* ---- tables -------------------------------------------------------------- */

struct rtable *
rt_new(const struct rt_config *cf)
{
	struct rtable *t;

	if (cf->type != NET_IP4 && cf->type != NET_IP6)
		bug("table type %u", cf->type);
	if (!rte_slab) {
		rte_slab = slab_new_packed(MEM_TABLES, sizeof(struct rte));
		/* 8-aligned slots: a net takes 56 bytes, not 64, a glue node 40 */
		net_slab = slab_new_packed(MEM_TABLES, sizeof(struct net));
		glue_slab = slab_new_packed(MEM_TABLES, RT_GLUE_SIZE);
		ghost_slab = slab_new(MEM_TABLES, sizeof(struct rt_ghost));
	}
	t = xzalloc(sizeof(*t));
	mem_charge(MEM_TABLES, (long)sizeof(*t), 0);
	t->cf = *cf;
	return t;
}

/* a glue node is short: only child[] and n exist, n.type has RT_GLUE */
static bool
is_glue(const struct net *x)
{
	return x->n.type & RT_GLUE;
}

static void
node_free(struct net *x)
{
	slab_free(is_glue(x) ? glue_slab : net_slab, x);
}

static void
free_subtree(struct rtable *t, struct net *x)
{
	struct rte *r, *next;

	if (!x)
		return;
	free_subtree(t, x->child[0]);
	free_subtree(t, x->child[1]);
	if (!is_glue(x)) {
		for (r = x->routes; r; r = next) {
			next = r->next;
			rte_free(r);
		}
	}
	node_free(x);
}

void
rt_free(struct rtable *t)
{
	if (!t)
		return;
	free_subtree(t, t->root);
	if (t->slots) {
		for (size_t i = 0; i < N_SLOTS; i++)
			free_subtree(t, t->slots[i]);
		mem_charge(MEM_TABLES, -(long)(N_SLOTS * sizeof(*t->slots)), 0);
		free(t->slots);
	}
	for (int i = 0; i < 2; i++) {
		mem_charge(MEM_TABLES, -(long)(t->hsize[i] * sizeof(struct net *)), 0);
		free(t->hb[i]);
	}
	rt_prune(t);
	mem_charge(MEM_TABLES, -(long)(t->gh_size * sizeof(*t->gh)), 0);
	free(t->gh);
	mem_charge(MEM_TABLES, -(long)sizeof(*t), 0);
	free(t);
}

/* ---- the hash ------------------------------------------------------------ */

static struct net **
hash_alloc(size_t n)
{
	mem_charge(MEM_TABLES, (long)(n * sizeof(struct net *)), 0);
	return xzalloc(n * sizeof(struct net *));
}

static void
hash_free_old(struct rtable *t)
{
	mem_charge(MEM_TABLES, -(long)(t->hsize[1] * sizeof(struct net *)), 0);
	free(t->hb[1]);
	t->hb[1] = NULL;
	t->hsize[1] = 0;
	t->hmoved = 0;
}

/* move up to k buckets of the old array into the current one */
static void
hash_step(struct rtable *t, size_t k)
{
	size_t m0 = t->hsize[0] - 1;

	while (t->hsize[1] && k--) {
		struct net *x, *next;
		for (x = t->hb[1][t->hmoved]; x; x = next) {
			next = x->hnext;
			x->hnext = t->hb[0][x->hash & m0];
			t->hb[0][x->hash & m0] = x;
		}
		t->hb[1][t->hmoved] = NULL;
		if (++t->hmoved == t->hsize[1])
			hash_free_old(t);
	}
}

/* start moving into an array of size buckets, unless a move is under way */
static void
hash_resize(struct rtable *t, size_t size)
{
	if (t->hsize[1])
		return;
	t->hb[1] = t->hb[0];
	t->hsize[1] = t->hsize[0];
	t->hmoved = 0;
	t->hb[0] = hash_alloc(size);
	t->hsize[0] = size;
	if (!t->hsize[1])
		hash_free_old(t);
}

/* after an insert or a removal: keep load between 1/4 and 1 */
static void
hash_balance(struct rtable *t)
{
	hash_step(t, HASH_STEP);
	if (t->nets > t->hsize[0])
		hash_resize(t, t->hsize[0] ? t->hsize[0] * 2 : HASH_MIN);
	else if (t->hsize[0] > HASH_MIN && t->nets < t->hsize[0] / 4)
		hash_resize(t, t->hsize[0] / 2);
}

/* the chain in which x would be, in array i; NULL if that bucket moved */
static struct net **
hash_chain(struct rtable *t, int i, uint32_t h)
{
	size_t k;

	if (!t->hsize[i])
		return NULL;
	k = h & (t->hsize[i] - 1);
	if (i == 1 && k < t->hmoved)
		return NULL;
	return &t->hb[i][k];
}

struct net *
rt_find(struct rtable *t, const net_addr *n)
{
	uint32_t h = net_hash(n);

	for (int i = 0; i < 2; i++) {
		struct net **c = hash_chain(t, i, h);
		for (struct net *x = c ? *c : NULL; x; x = x->hnext)
			if (x->hash == h && net_eq(&x->n, n))
				return x;
	}
	return NULL;
}

static void
hash_insert(struct rtable *t, struct net *x)
{
	struct net **c;

	if (!t->hsize[0])
		hash_resize(t, HASH_MIN);
	c = hash_chain(t, 0, x->hash);
	x->hnext = *c;
	*c = x;
}

static void
hash_remove(struct rtable *t, struct net *x)
{
	for (int i = 0; i < 2; i++) {
		struct net **c = hash_chain(t, i, x->hash);
		for (; c && *c; c = &(*c)->hnext) {
			if (*c == x) {
				*c = x->hnext;
				x->hnext = NULL;
				return;
			}
		}
	}
	bug("net not in its table's hash");
}

/* ---- emptied nets -------------------------------------------------------- */

static struct rt_ghost **
ghost_link(struct rtable *t, const net_addr *n, uint32_t h)
{
	struct rt_ghost **pp;

	if (!t->gh_size)
		return NULL;
	for (pp = &t->gh[h & (t->gh_size - 1)]; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && net_eq(&(*pp)->n, n))
			return pp;
	return NULL;
}

static void
ghost_add(struct rtable *t, const net_addr *n, uint32_t h)
{
	if (t->ghosts >= t->gh_size) {
		size_t size = t->gh_size ? t->gh_size * 2 : 64;
		struct rt_ghost **nb = xzalloc(size * sizeof *nb);
		for (size_t i = 0; i < t->gh_size; i++)
			for (struct rt_ghost *g = t->gh[i], *next; g; g = next) {
				next = g->next;
				g->next = nb[g->hash & (size - 1)];
				nb[g->hash & (size - 1)] = g;
			}
		mem_charge(MEM_TABLES, (long)((size - t->gh_size) * sizeof *nb), 0);
		free(t->gh);
		t->gh = nb;
		t->gh_size = size;
	}
	struct rt_ghost *g = slab_alloc(ghost_slab);
	g->hash = h;
	g->n = *n;
	g->next = t->gh[h & (t->gh_size - 1)];
	t->gh[h & (t->gh_size - 1)] = g;
	t->ghosts++;
}

static void
ghost_remove(struct rtable *t, const net_addr *n, uint32_t h)
{
	struct rt_ghost **pp = ghost_link(t, n, h);

	if (pp) {
		struct rt_ghost *g = *pp;
		*pp = g->next;
		slab_free(ghost_slab, g);
		t->ghosts--;
	}
}

bool
rt_known(struct rtable *t, const net_addr *n)
{
	return n->type == t->cf.type && (rt_find(t, n) || ghost_link(t, n, net_hash(n)));
}

void
rt_prune(struct rtable *t)
{
	for (size_t i = 0; i < t->gh_size && t->ghosts; i++)
		while (t->gh[i]) {
			struct rt_ghost *g = t->gh[i];
			t->gh[i] = g->next;
			slab_free(ghost_slab, g);
			t->ghosts--;
		}
}

/* ---- the trie ------------------------------------------------------------ */

static unsigned
off_of(const struct rtable *t)
{
	return t->cf.type == NET_IP4 ? 96 : 0;
}

/* number of leading bits a and b share, 0..128 */
static unsigned
common_bits(ip_addr a, ip_addr b)
{
	for (unsigned i = 0; i < 4; i++) {
		uint32_t x = a.w[i] ^ b.w[i];
		if (x)
			return 32 * i + (unsigned)__builtin_clz(x);
	}
	return 128;
}

static unsigned
min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* a net (glue false) or a glue node for the first pxlen bits of n */
static struct net *
node_new(struct rtable *t, const net_addr *n, unsigned pxlen, bool glue)
{
	struct net *x = slab_alloc(glue ? glue_slab : net_slab);

	x->n = *n;
	x->n.pxlen = (uint8_t)pxlen;
	net_normalize(&x->n);
	if (glue) {
		x->n.type |= RT_GLUE;
		t->glue++;
	}
	t->gen++;
	return x;
}

/*
 * Put k into the trie at *link: returns its node, which may be a glue node
 * taken over. With mk, that node (a net being moved) is used instead of a
 * new one and replaces a glue node found at k's place.
 */
static struct net *
trie_put(struct rtable *t, struct net **link, const net_addr *k, struct net *mk)
{
	unsigned off = off_of(t), klen = off + k->pxlen;
	struct net *x, *n, *g;

	t->gen++;
	while ((x = *link)) {
		unsigned xlen = off + x->n.pxlen;
		unsigned c = min_u(common_bits(x->n.ip, k->ip), min_u(xlen, klen));
		if (c == xlen) {		/* x covers k */
			if (xlen != klen) {
				link = &x->child[ip6_bit(k->ip, xlen)];
				continue;
			}
			if (!is_glue(x))	/* only glue can hide from the hash */
				bug("trie and hash disagree");
			n = mk ? mk : node_new(t, k, k->pxlen, false);
			n->child[0] = x->child[0];
			n->child[1] = x->child[1];
			node_free(x);
			t->glue--;
			return *link = n;
		}
		n = mk ? mk : node_new(t, k, k->pxlen, false);
		if (c == klen) {		/* k covers x */
			n->child[ip6_bit(x->n.ip, klen)] = x;
			return *link = n;
		}
		g = node_new(t, k, c - off, true);	/* they part at bit c */
		g->child[ip6_bit(k->ip, c)] = n;
		g->child[ip6_bit(x->n.ip, c)] = x;
		*link = g;
		return n;
	}
	return *link = mk ? mk : node_new(t, k, k->pxlen, false);
}

/* x lost its last route: unlink it, or keep it as glue if it joins two */
static void
trie_remove(struct rtable *t, struct net **link, struct net *x)
{
	unsigned off = off_of(t);
	struct net **plink = NULL, *p;

	while (*link != x) {
		p = *link;
		if (!p)
			bug("net not in its table's trie");
		plink = link;
		link = &p->child[ip6_bit(x->n.ip, off + p->n.pxlen)];
	}
	t->gen++;
	if (x->child[0] && x->child[1]) {	/* still joins two: glue */
		p = node_new(t, &x->n, x->n.pxlen, true);
		p->child[0] = x->child[0];
		p->child[1] = x->child[1];
		*link = p;
		node_free(x);
		return;
	}
	*link = x->child[0] ? x->child[0] : x->child[1];
	node_free(x);
	if (plink && is_glue(*plink) && !*link) {	/* a glue left with one child */
		p = *plink;
		*plink = p->child[0] ? p->child[0] : p->child[1];
		node_free(p);
		t->glue--;
	}
}

/* the slot of a wide table holding nets that start with a's bits */
static uint32_t
slot_of(const struct rtable *t, ip_addr a)
{
	return a.w[off_of(t) / 32] >> (32 - RT_STRIDE);
}

/* the trie where a net of length pxlen at a lives */
static struct net **
root_of(struct rtable *t, ip_addr a, unsigned pxlen)
{
	if (t->slots && pxlen >= RT_STRIDE)
		return &t->slots[slot_of(t, a)];
	return &t->root;
}

/* take the nets out of a trie onto a list (through child[0]); free glue */
static void
collect(struct rtable *t, struct net *x, struct net **list)
{
	if (!x)
		return;
	collect(t, x->child[0], list);
	collect(t, x->child[1], list);
	if (!is_glue(x)) {
		x->child[0] = *list;
		x->child[1] = NULL;
		*list = x;
	} else {
		node_free(x);
		t->glue--;
	}
}

/* the table outgrew one trie: move the longer nets into slots (once) */
static void
go_wide(struct rtable *t)
{
	struct net *list = NULL, *x;

	collect(t, t->root, &list);
	t->root = NULL;
	t->slots = xzalloc(N_SLOTS * sizeof(*t->slots));
	mem_charge(MEM_TABLES, (long)(N_SLOTS * sizeof(*t->slots)), 0);
	while ((x = list)) {
		list = x->child[0];
		x->child[0] = NULL;
		trie_put(t, root_of(t, x->n.ip, x->n.pxlen), &x->n, x);
	}
}

/* the table emptied: its slot array goes (it turns wide again past
 * RT_WIDE_AT nets) */
static void
go_narrow(struct rtable *t)
{
	for (size_t i = 0; i < N_SLOTS; i++)
		if (t->slots[i])
			bug("slot %zu of an empty table", i);
	mem_charge(MEM_TABLES, -(long)(N_SLOTS * sizeof(*t->slots)), 0);
	free(t->slots);
	t->slots = NULL;
	t->gen++;
}

/* the deepest net with routes on the path from x to bits [0, len) of a */
static struct net *
trie_lpm(struct rtable *t, struct net *x, ip_addr a, unsigned len)
{
	unsigned off = off_of(t);
	struct net *best = NULL;

	while (x) {
		unsigned xlen = off + x->n.pxlen;
		if (xlen > len || common_bits(x->n.ip, a) < xlen)
			break;
		if (!is_glue(x))
			best = x;
		if (xlen == 128)
			break;
		x = x->child[ip6_bit(a, xlen)];
	}
	return best;
}

static struct net *
lpm(struct rtable *t, ip_addr a, unsigned len)
{
	struct net *r = NULL;

	if (t->slots && len >= off_of(t) + RT_STRIDE)
		r = trie_lpm(t, t->slots[slot_of(t, a)], a, len);
	return r ? r : trie_lpm(t, t->root, a, len);
}

struct net *
rt_lpm(struct rtable *t, ip_addr a)
{
	if (ip_is4(a) != (t->cf.type == NET_IP4))
		return NULL;
	return lpm(t, a, 128);
}

struct net *
rt_lpm_net(struct rtable *t, const net_addr *n)
{
	if (n->type != t->cf.type)
		return NULL;
	return lpm(t, n->ip, off_of(t) + n->pxlen);
}

/* ---- routes -------------------------------------------------------------- */

static struct rte *
best_of(const struct net *net)
{
	struct rte *r = net->routes;

	return r && !(r->flags & RTE_FILTERED) ? r : NULL;
}

struct rte *
rt_find_rte(struct net *net, uint32_t src)
{
	for (struct rte *r = net->routes; r; r = r->next)
		if (r->src == src)
			return r;
	return NULL;
}

/* unlink src's route from net's list; NULL if it has none. *at gets the
 * link it was at (where a replacement may go) */
static struct rte *
unlink_src(struct net *net, uint32_t src, struct rte ***at)
{
	for (struct rte **pp = &net->routes; *pp; pp = &(*pp)->next) {
		if ((*pp)->src == src) {
			struct rte *r = *pp;
			*pp = r->next;
			r->next = NULL;
			if (at)
				*at = pp;
			return r;
		}
	}
	return NULL;
}

/* after every route not worse than r: ties keep their order of arrival */
static void
insert_sorted(struct net *net, struct rte *r)
{
	struct rte **pp = &net->routes;

	while (*pp && rte_cmp(*pp, r) <= 0)
		pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
}

/* r replaces a route that was at link *at (prev the route before it, or
 * NULL at the head): there if the order holds, else where it sorts */
static void
insert_at(struct net *net, struct rte **at, struct rte *prev, struct rte *r)
{
	if ((!prev || rte_cmp(prev, r) <= 0) && (!*at || rte_cmp(r, *at) <= 0)) {
		r->next = *at;
		*at = r;
	} else
		insert_sorted(net, r);
}

static struct rte *
valid(struct rte *r)
{
	return r && !(r->flags & RTE_FILTERED) ? r : NULL;
}

/* ---- watchers ---- */

void
rt_watch_add(struct rtable *t, struct rt_watch *w)
{
	w->next = t->watch;
	t->watch = w;
}

void
rt_watch_remove(struct rtable *t, struct rt_watch *w)
{
	for (struct rt_watch **pp = &t->watch; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

/* a watcher may remove itself from its hook */
static void
rt_watch_run(struct rtable *t, const net_addr *n)
{
	struct rt_watch *w, *next;

	for (w = t->watch; w; w = next) {
		next = w->next;
		w->fn(t, n, w->data);
	}
}

/* tell the hooks what changed; then free old */
static void
finish_change(struct rtable *t, struct net *net, struct rte *old_best, struct rte *new,
	      struct rte *old)
{
	struct rt_change ch = { net, valid(new), valid(old), best_of(net), old_best };

	if (t->cf.announce && (ch.new || ch.old))
		t->cf.announce(t, &ch, t->cf.notify_data);
	if (ch.new_best != old_best && t->cf.notify)
		t->cf.notify(t, net, ch.new_best, old_best, t->cf.notify_data);
	if (ch.new_best != old_best && t->watch)
		rt_watch_run(t, &net->n);
	if (old)
		rte_free(old);
}

enum rte_result
rte_update(struct rtable *t, const net_addr *n, uint32_t src, struct rta *attrs,
    unsigned pref, unsigned flags)
{
	return rte_update_from(t, n, src, src, attrs, pref, flags);
}

enum rte_result
rte_update_from(struct rtable *t, const net_addr *n, uint32_t src, uint32_t sender,
    struct rta *attrs, unsigned pref, unsigned flags)
{
	struct rte *old, *r, *old_best, **at = NULL, *prev = NULL;
	struct net *net;
	bool fresh;

	if (!attrs)
		return rte_withdraw(t, n, src);
	if (n->type != t->cf.type || n->pxlen > net_max_pxlen(n) || pref > UINT16_MAX ||
	    flags > 7)
		bug("bad update for table %s", t->cf.name ? t->cf.name : "?");
	net = rt_find(t, n);
	fresh = !net;
	if (fresh)
		net = trie_put(t, root_of(t, n->ip, n->pxlen), n, NULL);
	else if ((old = rt_find_rte(net, src)) && old->attrs == attrs &&
	    old->pref == pref && old->flags == flags && old->sender == sender)
		return RTE_UNCHANGED;	/* counted as ignored by channels */
	r = slab_alloc(rte_slab);
	r->attrs = rta_ref(attrs);
	r->src = src;
	r->sender = sender;
	r->pref = pref;
	r->flags = flags & 7;
	r->pflags = 0;
	r->lastmod = t->cf.clock ? lastmod_of(t->cf.clock()) : 0;

	old_best = best_of(net);
	if (!fresh)
		for (struct rte *x = net->routes; x && x->src != src; x = x->next)
			prev = x;
	old = fresh ? NULL : unlink_src(net, src, &at);
	if (old) {
		r->pflags = old->pflags;
		insert_at(net, at, prev, r);
	} else
		insert_sorted(net, r);
	if (fresh) {
		net->hash = net_hash(n);
		if (t->ghosts)
			ghost_remove(t, n, net->hash);
		hash_insert(t, net);
		t->nets++;
		hash_balance(t);
	}
	if (!old)
		t->routes++;
	finish_change(t, net, old_best, r, old);
	if (fresh && !t->slots && t->nets > RT_WIDE_AT)
		go_wide(t);
	return old ? RTE_REPLACED : RTE_ADDED;
}

enum rte_result
rte_withdraw(struct rtable *t, const net_addr *n, uint32_t src)
{
	struct net *net = n->type == t->cf.type ? rt_find(t, n) : NULL;
	struct rte *old, *old_best;

	if (!net)
		return RTE_NOT_FOUND;
	old_best = best_of(net);
	if (!(old = unlink_src(net, src, NULL)))
		return RTE_NOT_FOUND;
	t->routes--;
	finish_change(t, net, old_best, NULL, old);
	if (!net->routes) {
		hash_remove(t, net);
		if (t->cf.ghosts) {
			/* BIRD's GC runs after `gc threshold` (1000) nets emptied */
			if (t->ghosts >= RT_GC_THRESHOLD)
				rt_prune(t);
			ghost_add(t, &net->n, net->hash);
		}
		net->hash = 0;
		t->nets--;
		trie_remove(t, root_of(t, net->n.ip, net->n.pxlen), net);
		hash_balance(t);
		if (!t->nets && t->slots)
			go_narrow(t);
	}
	return RTE_REMOVED;
}

void
rt_flush_src(struct rtable *t, uint32_t src)
{
	struct rt_cursor c;
	struct net *net;

	rt_cursor_init(&c);
	while ((net = rt_cursor_next(t, &c)))
		if (rt_find_rte(net, src))
			rte_withdraw(t, &net->n, src);
}

void
rt_flush_sender(struct rtable *t, uint32_t sender)
{
	struct rt_cursor c;
	struct net *net;

	rt_cursor_init(&c);
	while ((net = rt_cursor_next(t, &c))) {
		struct rte *r = net->routes;
		while (r) {
			if (r->sender != sender) {
				r = r->next;
				continue;
			}
			/* the withdraw may free net: step from a fresh lookup */
			net_addr n = net->n;
			rte_withdraw(t, &n, r->src);
			net = rt_find(t, &n);
			r = net ? net->routes : NULL;
		}
	}
}

/* ---- cursors ------------------------------------------------------------- */

void
rt_cursor_init(struct rt_cursor *c)
{
	c->started = false;
	c->done = false;
	c->gen = UINT64_MAX;
	c->slot = 0;
	c->head[0] = c->head[1] = NULL;
	c->depth[0] = c->depth[1] = 0;
}

void
rt_cursor_seek(struct rt_cursor *c, const net_addr *after)
{
	rt_cursor_init(c);
	c->last = *after;
	c->started = true;
}

static void
push(struct rt_cursor *c, int s, struct net *x)
{
	if (!x)
		return;
	if (c->depth[s] == RT_CURSOR_DEPTH)
		bug("cursor stack overflow");
	c->stack[s][c->depth[s]++] = x;
}

/* stack up the subtrees of the trie at x holding the nets after c->last */
static void
seek_trie(struct rtable *t, struct rt_cursor *c, int s, struct net *x)
{
	const net_addr *k = &c->last;
	unsigned off = off_of(t), klen = off + k->pxlen;

	while (x) {
		unsigned xlen = off + x->n.pxlen;
		unsigned c0 = min_u(common_bits(x->n.ip, k->ip), min_u(xlen, klen));
		if (c0 == xlen) {		/* x covers k: x itself is not after k */
			if (xlen == klen) {
				push(c, s, x->child[1]);
				push(c, s, x->child[0]);
				return;
			}
			if (!ip6_bit(k->ip, xlen)) {
				push(c, s, x->child[1]);
				x = x->child[0];
			} else {
				x = x->child[1];
			}
		} else if (c0 == klen) {	/* k covers x: all of x is after */
			push(c, s, x);
			return;
		} else {			/* apart: after k iff k has 0 there */
			if (!ip6_bit(k->ip, c0))
				push(c, s, x);
			return;
		}
	}
}

/* the next net of stream s in pre-order (= net_cmp order), or NULL */
static struct net *
stream_next(struct rtable *t, struct rt_cursor *c, int s)
{
	for (;;) {
		while (c->depth[s]) {
			struct net *x = c->stack[s][--c->depth[s]];
			push(c, s, x->child[1]);
			push(c, s, x->child[0]);
			if (!is_glue(x))
				return x;
		}
		if (s == 0 || !t->slots)
			return NULL;
		do
			c->slot++;
		while (c->slot < N_SLOTS && !t->slots[c->slot]);
		if (c->slot >= N_SLOTS)
			return NULL;
		push(c, 1, t->slots[c->slot]);
	}
}

/* rebuild both streams from c->last after the table changed shape */
static void
reseek(struct rtable *t, struct rt_cursor *c)
{
	const net_addr *k = &c->last;

	c->depth[0] = c->depth[1] = 0;
	c->slot = 0;
	if (!c->started || k->type < t->cf.type) {	/* from the start */
		push(c, 0, t->root);
		if (t->slots)
			push(c, 1, t->slots[0]);
	} else if (k->type > t->cf.type) {		/* past the end */
		c->slot = N_SLOTS;
	} else {
		seek_trie(t, c, 0, t->root);
		if (t->slots) {
			c->slot = slot_of(t, k->ip);
			if (k->pxlen < RT_STRIDE)	/* the whole slot is after k */
				push(c, 1, t->slots[c->slot]);
			else
				seek_trie(t, c, 1, t->slots[c->slot]);
		}
	}
	c->head[0] = stream_next(t, c, 0);
	c->head[1] = stream_next(t, c, 1);
}

struct net *
rt_cursor_next(struct rtable *t, struct rt_cursor *c)
{
	struct net *x;
	int s;

	if (c->done)
		return NULL;
	if (c->gen != t->gen) {
		reseek(t, c);
		c->gen = t->gen;
	}
	if (!c->head[0] && !c->head[1]) {
		c->done = true;
		return NULL;
	}
	s = !c->head[0] || (c->head[1] && net_cmp(&c->head[1]->n, &c->head[0]->n) < 0);
	x = c->head[s];
	c->head[s] = stream_next(t, c, s);
	c->last = x->n;
	c->started = true;
	return x;
}
