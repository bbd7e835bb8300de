/*
 * MRT TABLE_DUMP_V2 reader (RFC 6396, ADD-PATH variants of RFC 8050) for
 * birch-check. The file is streamed: one record at a time is read into a
 * reusable buffer (grown in steps as its bytes actually arrive, so a lying
 * length cannot make us allocate gigabytes), and a RIB record's entries
 * are handed out one per mrt_next call.
 *
 * Each entry's path attributes are decoded (RFC 4271 encoding, 4-byte ASNs
 * as RFC 6396 requires) into an interned set once per distinct blob: a
 * hash table keyed by (address family, attribute bytes) keeps the decoded
 * set, so the thousands of entries that share a blob cost one hash and one
 * compare each. The table is flushed whole when it reaches its limit,
 * which bounds memory on dumps of any size; a flush costs only decoding
 * the blobs met afterwards once more.
 *
 * Every error stops the reader with "offset N: message", N the byte offset
 * in the file of the field at fault; records of types not decoded here
 * (TABLE_DUMP, BGP4MP, multicast and generic RIBs) are skipped by their
 * length and counted.
 */
#include "tools/routes.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum {
	MRT_HDR = 12,			/* timestamp, type, subtype, length */
	MRT_TABLE_DUMP_V2 = 13,		/* the only type decoded */
	TD2_PEER_INDEX_TABLE = 1,
	TD2_RIB_IPV4_UNICAST = 2,
	TD2_RIB_IPV6_UNICAST = 4,
	TD2_RIB_IPV4_UNICAST_ADDPATH = 8,
	TD2_RIB_IPV6_UNICAST_ADDPATH = 10,
	REC_MAX = 1 << 28,		/* a record longer than this is refused */
	GROW_STEP = 1 << 20,		/* read a record body this much at a time */
	CACHE_MAX = 1 << 19,		/* distinct blobs kept before a flush, by default */
};

/* BGP path attribute codes handled specially */
enum {
	BA_ORIGIN = 1, BA_AS_PATH = 2, BA_NEXT_HOP = 3, BA_MED = 4, BA_LOCAL_PREF = 5,
	BA_ATOMIC_AGGR = 6, BA_AGGREGATOR = 7, BA_COMMUNITY = 8, BA_ORIGINATOR_ID = 9,
	BA_CLUSTER_LIST = 10, BA_MP_REACH = 14, BA_MP_UNREACH = 15, BA_EXT_COMMUNITY = 16,
	BA_AS4_PATH = 17, BA_AS4_AGGREGATOR = 18, BA_LARGE_COMMUNITY = 32,
};

enum { F_O = 0x80, F_T = 0x40, F_P = 0x20, F_EXT = 0x10 };	/* attribute flags */

struct centry {
	uint32_t hash;			/* of afi and bytes; 0 marks an empty slot */
	uint32_t len;			/* bytes at key */
	uint8_t afi;			/* 4 or 6: the next hop's meaning depends on it */
	const uint8_t *key;		/* the blob, in the cache's pool */
	struct rta *a;			/* its set; the cache holds a reference */
};

/* a RIB record's first entries are hashed when it is read, and their
 * cache slots and cached blobs prefetched: the lookups then overlap */
enum { RIB_AHEAD = 64 };

struct mrt_reader {
	FILE *f;			/* stream source, or NULL */
	const uint8_t *mem;		/* memory source */
	size_t mem_len, mem_pos;	/* its size and read position */
	uint8_t head[MRT_HDR];		/* bytes taken from f before we got it */
	size_t head_len, head_pos;	/* their count and read position */
	uint64_t off;			/* file offset of the next unread byte */

	uint8_t *rec;			/* the current record's body */
	size_t rec_len, rec_cap;	/* its length and the buffer's size */
	uint64_t rec_off;		/* file offset of rec[0] */
	size_t pos;			/* next entry in rec */
	unsigned entries;		/* RIB entries left in rec */
	bool addpath;			/* entries carry a path id */
	uint8_t afi;			/* 4 or 6 */
	net_addr net;			/* the record's prefix */

	struct route_peer *peers;	/* from the PEER_INDEX_TABLE */
	unsigned npeers;		/* entries at peers */
	bool have_peers;		/* a PEER_INDEX_TABLE was read */

	struct centry *tab;		/* blob cache: open addressing */
	size_t tab_size, tab_count;	/* slots (a power of two), used */
	size_t tab_max;			/* flush when this many are kept */
	struct pool *keys;		/* cached blobs' bytes */
	uint32_t ahead[RIB_AHEAD];	/* the hashes of the record's next blobs */
	unsigned ahead_n, ahead_at;	/* how many, the next one's */
	uint8_t *scratch;		/* decoded values for the builder */
	size_t scratch_cap;		/* its size */

	struct mrt_stats st;		/* counters */
	bool failed, eof;		/* stopped */
	char err[ROUTE_ERR_MAX];	/* why */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct mrt_reader *r, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->failed)
		return -1;
	r->failed = true;
	n = snprintf(r->err, sizeof r->err, "offset %llu: ", (unsigned long long)off);
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static ip_addr
get_ip6(const uint8_t *p)
{
	return (ip_addr){ { get32(p), get32(p + 4), get32(p + 8), get32(p + 12) } };
}

/* ---- input ---- */

/* up to n bytes into dst (NULL: skip them); returns how many there were */
static size_t
input(struct mrt_reader *r, uint8_t *dst, size_t n)
{
	size_t got = 0;

	while (got < n && r->head_pos < r->head_len) {
		if (dst)
			dst[got] = r->head[r->head_pos];
		got++, r->head_pos++;
	}
	if (got < n && r->mem) {
		size_t k = r->mem_len - r->mem_pos;
		if (k > n - got)
			k = n - got;
		if (dst)
			memcpy(dst + got, r->mem + r->mem_pos, k);
		r->mem_pos += k;
		got += k;
	} else if (got < n && r->f) {
		if (dst)
			got += fread(dst + got, 1, n - got, r->f);
		else {
			uint8_t sink[4096];
			while (got < n) {
				size_t want = n - got < sizeof sink ? n - got : sizeof sink;
				size_t k = fread(sink, 1, want, r->f);
				got += k;
				if (k < want)
					break;
			}
		}
	}
	r->off += got;
	return got;
}

/* read the next record (*skip: one of a type not decoded, passed over);
 * 1, 0 at the end, -1 on error */
static int
read_record(struct mrt_reader *r, unsigned *type, unsigned *subtype, bool *skip)
{
	uint8_t h[MRT_HDR];
	uint64_t at = r->off;
	size_t n = input(r, h, sizeof h);

	if (n == 0) {
		if (r->f && ferror(r->f))
			return fail(r, at, "read error");
		return 0;
	}
	if (n < sizeof h)
		return fail(r, at, "truncated MRT header: %zu of 12 bytes", n);
	*type = get16(h + 4);
	*subtype = get16(h + 6);
	uint32_t len = get32(h + 8);
	r->st.records++;
	r->rec_off = r->off;
	*skip = false;
	bool want = *type == MRT_TABLE_DUMP_V2 &&
	    (*subtype == TD2_PEER_INDEX_TABLE || *subtype == TD2_RIB_IPV4_UNICAST ||
	     *subtype == TD2_RIB_IPV6_UNICAST || *subtype == TD2_RIB_IPV4_UNICAST_ADDPATH ||
	     *subtype == TD2_RIB_IPV6_UNICAST_ADDPATH);
	if (!want) {
		size_t k = input(r, NULL, len);
		if (k < len)
			return fail(r, at, "truncated record (type %u subtype %u): length %u, "
			    "only %zu bytes follow", *type, *subtype, len, k);
		r->st.skipped++;
		r->rec_len = 0;
		*skip = true;
		return 1;
	}
	if (len > REC_MAX)
		return fail(r, at + 8, "record length %u too big", len);
	/* grow as the bytes arrive: a bogus length fails at the end of the file */
	size_t got = 0;
	while (got < len) {
		size_t step = len - got < GROW_STEP ? len - got : GROW_STEP;
		if (r->rec_cap < got + step) {
			r->rec_cap = got + step;
			r->rec = xrealloc(r->rec, r->rec_cap);
		}
		size_t k = input(r, r->rec + got, step);
		got += k;
		if (k < step)
			return fail(r, at, "truncated record (type %u subtype %u): length %u, "
			    "only %zu bytes follow", *type, *subtype, len, got);
	}
	r->rec_len = len;
	return 1;
}

/* ---- PEER_INDEX_TABLE ---- */

static int
peer_table(struct mrt_reader *r)
{
	const uint8_t *p = r->rec;
	size_t n = r->rec_len, i = 0;

	if (n < 8)
		return fail(r, r->rec_off + n, "PEER_INDEX_TABLE truncated in its header");
	size_t vl = get16(p + 4);
	i = 6 + vl;
	if (i + 2 > n)
		return fail(r, r->rec_off + 4, "PEER_INDEX_TABLE view name length %zu runs past "
		    "the record", vl);
	unsigned cnt = get16(p + i);
	i += 2;
	free(r->peers);
	r->peers = xzalloc((cnt ? cnt : 1) * sizeof *r->peers);
	r->npeers = cnt;
	r->have_peers = true;
	for (unsigned k = 0; k < cnt; k++) {
		if (i + 1 > n)
			return fail(r, r->rec_off + i, "PEER_INDEX_TABLE truncated at peer %u of %u",
			    k, cnt);
		unsigned t = p[i];
		size_t need = 1 + 4 + (t & 1 ? 16 : 4) + (t & 2 ? 4 : 2);
		if (i + need > n)
			return fail(r, r->rec_off + i, "PEER_INDEX_TABLE truncated at peer %u of %u",
			    k, cnt);
		struct route_peer *pe = &r->peers[k];
		pe->bgp_id = get32(p + i + 1);
		size_t q = i + 5;
		if (t & 1) {
			pe->ip = get_ip6(p + q);
			q += 16;
		} else {
			pe->ip = ip4_from_u32(get32(p + q));
			q += 4;
		}
		pe->asn = t & 2 ? get32(p + q) : get16(p + q);
		pe->valid = true;
		i += need;
	}
	if (i != n)
		return fail(r, r->rec_off + i, "%zu bytes after the last peer of the "
		    "PEER_INDEX_TABLE", n - i);
	return 0;
}

/* ---- RIB records ---- */

static void prefetch_entries(struct mrt_reader *r);

/* a RIB entry's bytes before its attributes: peer index, originated time,
 * ADD-PATH's path id, attribute length (its last two) */
static size_t
entry_head(const struct mrt_reader *r)
{
	return 2 + 4 + (r->addpath ? 4 : 0) + 2;
}

static int
rib_start(struct mrt_reader *r, unsigned subtype)
{
	const uint8_t *p = r->rec;
	size_t n = r->rec_len;

	if (!r->have_peers)
		return fail(r, r->rec_off - MRT_HDR, "RIB record before any PEER_INDEX_TABLE");
	r->afi = subtype == TD2_RIB_IPV4_UNICAST || subtype == TD2_RIB_IPV4_UNICAST_ADDPATH ? 4 : 6;
	r->addpath = subtype >= TD2_RIB_IPV4_UNICAST_ADDPATH;
	if (n < 5)
		return fail(r, r->rec_off + n, "RIB record truncated in its header");
	unsigned plen = p[4], max = r->afi == 4 ? 32 : 128;
	if (plen > max)
		return fail(r, r->rec_off + 4, "prefix length %u over %u", plen, max);
	size_t pb = (plen + 7) / 8;
	if (5 + pb + 2 > n)
		return fail(r, r->rec_off + 5, "RIB record truncated in its prefix");
	uint8_t a[16] = { 0 };
	memcpy(a, p + 5, pb);
	r->net = r->afi == 4 ? net_ip4(get32(a), plen) : net_ip6(get_ip6(a), plen);
	r->entries = get16(p + 5 + pb);
	r->pos = 5 + pb + 2;
	if (!r->entries && r->pos != n)
		return fail(r, r->rec_off + r->pos, "%zu bytes after a RIB record of no entries",
		    n - r->pos);
	prefetch_entries(r);
	return 0;
}

/* ---- the blob cache ---- */

static uint32_t
blob_hash(uint8_t afi, const uint8_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull) ^ afi;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 29;
		p += 8, n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

static void
cache_flush(struct mrt_reader *r)
{
	for (size_t k = 0; k < r->tab_size; k++)
		rta_unref(r->tab[k].a);
	memset(r->tab, 0, r->tab_size * sizeof *r->tab);
	r->tab_count = 0;
	if (r->keys)
		pool_flush(r->keys);
}

static struct centry *
cache_slot(struct mrt_reader *r, uint32_t h, uint8_t afi, const uint8_t *p, size_t n)
{
	size_t m = r->tab_size - 1;

	for (size_t k = h & m;; k = (k + 1) & m) {
		struct centry *e = &r->tab[k];
		if (!e->hash || (e->hash == h && e->len == n && e->afi == afi &&
		    !memcmp(e->key, p, n)))
			return e;
	}
}

static void
cache_grow(struct mrt_reader *r)
{
	struct centry *old = r->tab;
	size_t os = r->tab_size;

	r->tab_size = os ? os * 2 : 1024;
	r->tab = xzalloc(r->tab_size * sizeof *r->tab);
	for (size_t k = 0; k < os; k++)
		if (old[k].hash)
			*cache_slot(r, old[k].hash, old[k].afi, old[k].key, old[k].len) = old[k];
	free(old);
}

/* hash the record's first entries (as far as they are whole: mrt_next
 * checks them and says what is wrong) and prefetch their cache slots,
 * then the blobs cached there */
static void
prefetch_entries(struct mrt_reader *r)
{
	size_t i = r->pos, fixed = entry_head(r);
	unsigned k = 0;

	r->ahead_n = r->ahead_at = 0;
	if (!r->tab_size)
		return;
	for (; k < r->entries && k < RIB_AHEAD && r->rec_len - i >= fixed; k++) {
		size_t al = get16(r->rec + i + fixed - 2);
		if (al > r->rec_len - i - fixed)
			break;
		r->ahead[k] = blob_hash(r->afi, r->rec + i + fixed, al);
		__builtin_prefetch(&r->tab[r->ahead[k] & (r->tab_size - 1)]);
		i += fixed + al;
	}
	for (unsigned j = 0; j < k; j++) {
		const struct centry *e = &r->tab[r->ahead[j] & (r->tab_size - 1)];
		if (e->hash == r->ahead[j])
			__builtin_prefetch(e->key);
	}
	r->ahead_n = k;
}

/* ---- attributes ---- */

static const char *
attr_name(unsigned code)
{
	switch (code) {
	case BA_ORIGIN: return "ORIGIN";
	case BA_AS_PATH: return "AS_PATH";
	case BA_NEXT_HOP: return "NEXT_HOP";
	case BA_MED: return "MULTI_EXIT_DISC";
	case BA_LOCAL_PREF: return "LOCAL_PREF";
	case BA_ATOMIC_AGGR: return "ATOMIC_AGGREGATE";
	case BA_AGGREGATOR: return "AGGREGATOR";
	case BA_COMMUNITY: return "COMMUNITY";
	case BA_ORIGINATOR_ID: return "ORIGINATOR_ID";
	case BA_CLUSTER_LIST: return "CLUSTER_LIST";
	case BA_MP_REACH: return "MP_REACH_NLRI";
	case BA_MP_UNREACH: return "MP_UNREACH_NLRI";
	case BA_EXT_COMMUNITY: return "EXTENDED_COMMUNITIES";
	case BA_AS4_PATH: return "AS4_PATH";
	case BA_AS4_AGGREGATOR: return "AS4_AGGREGATOR";
	case BA_LARGE_COMMUNITY: return "LARGE_COMMUNITY";
	default: return NULL;
	}
}

/* the optional/transitive flags a known attribute must carry, -1: any */
static int
attr_class(unsigned code)
{
	switch (code) {
	case BA_ORIGIN: case BA_AS_PATH: case BA_NEXT_HOP: case BA_LOCAL_PREF:
	case BA_ATOMIC_AGGR:
		return F_T;		/* well-known */
	case BA_MED: case BA_ORIGINATOR_ID: case BA_CLUSTER_LIST:
		return F_O;		/* optional non-transitive */
	case BA_AGGREGATOR: case BA_COMMUNITY: case BA_EXT_COMMUNITY: case BA_LARGE_COMMUNITY:
	case BA_AS4_PATH: case BA_AS4_AGGREGATOR:
		return F_O | F_T;	/* optional transitive */
	default:
		return -1;		/* MP_* and unknown ones: checked elsewhere */
	}
}

/* room in the scratch buffer, 4-aligned; n bytes */
static uint8_t *
scratch(struct mrt_reader *r, size_t *used, size_t n)
{
	size_t at = (*used + 3) & ~(size_t)3;

	if (at + n > r->scratch_cap)
		bug("mrt scratch overflow");	/* sized up front in decode() */
	*used = at + n;
	return r->scratch + at;
}

static bool
path_ok(const uint8_t *p, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		if (len - i < 2 || p[i] < 1 || p[i] > 4 || p[i + 1] == 0 ||
		    len - i < 2 + 4 * (size_t)p[i + 1]) {
			*bad = i;
			return false;
		}
		i += 2 + 4 * (size_t)p[i + 1];
	}
	return true;
}

/* decode n attribute bytes at file offset off into a new set (owned) */
static struct rta *
decode(struct mrt_reader *r, uint8_t afi, const uint8_t *p, size_t n, uint64_t off)
{
	struct rta_builder b;
	bool seen[256] = { false };
	ip_addr nh4 = { { 0 } }, mp[2];
	unsigned mp_n = 0;
	bool have_nh4 = false;
	size_t used = 0, i = 0;

	if (r->scratch_cap < 2 * n + 256) {
		r->scratch_cap = 2 * n + 256;
		free(r->scratch);
		r->scratch = xmalloc(r->scratch_cap);
	}
	rta_build_start(&b, NULL);
	b.source = RTS_BGP;
	b.scope = SCOPE_UNIVERSE;
	b.dest = RTD_UNREACHABLE;

	while (i < n) {
		uint64_t ao = off + i;
		if (n - i < 3)
			goto trunc_hdr;
		unsigned flags = p[i], code = p[i + 1];
		size_t hl = flags & F_EXT ? 4 : 3;
		if (n - i < hl)
			goto trunc_hdr;
		size_t len = flags & F_EXT ? get16(p + i + 2) : p[i + 2];
		const char *name = attr_name(code);
		char nb[24];
		if (!name) {
			snprintf(nb, sizeof nb, "attribute %u", code);
			name = nb;
		}
		if (len > n - i - hl) {
			fail(r, ao, "%s length %zu runs past the attributes (%zu bytes left)",
			    name, len, n - i - hl);
			goto bad;
		}
		const uint8_t *d = p + i + hl;
		i += hl + len;
		if (seen[code]) {
			fail(r, ao, "%s twice", name);
			goto bad;
		}
		seen[code] = true;

		/* Only the optional bit must agree: writers are sloppy with the
		 * rest (BIRD 2's own dumps carry NEXT_HOP with flags 0), so a
		 * known attribute gets its canonical flags, equal sets intern
		 * equal, and an optional transitive one keeps its partial bit. */
		int cls = attr_class(code);
		unsigned fl = flags & (F_O | F_T | F_P);
		if (cls >= 0 && (flags & F_O) != ((unsigned)cls & F_O)) {
			fail(r, ao, "%s flags 0x%02x are wrong (expected 0x%02x)", name, flags,
			    (unsigned)cls);
			goto bad;
		}
		if (cls >= 0)
			fl = (unsigned)cls | (cls == (F_O | F_T) ? flags & F_P : 0);
		if (cls < 0 && code != BA_MP_REACH && code != BA_MP_UNREACH && !(flags & F_O)) {
			fail(r, ao, "unrecognized well-known attribute %u (flags 0x%02x)", code,
			    flags);
			goto bad;
		}

		size_t want = 0;	/* an exact length, when the attribute has one */
		switch (code) {
		case BA_ORIGIN:
			want = 1;
			break;
		case BA_NEXT_HOP: case BA_MED: case BA_LOCAL_PREF: case BA_ORIGINATOR_ID:
			want = 4;
			break;
		case BA_ATOMIC_AGGR:
			want = 0;
			break;
		default:
			want = SIZE_MAX;
		}
		if (want != SIZE_MAX && len != want) {
			fail(r, ao, "%s length %zu, expected %zu", name, len, want);
			goto bad;
		}

		switch (code) {
		case BA_ORIGIN:
			if (d[0] > 2) {
				fail(r, ao + hl, "ORIGIN value %u (0..2)", d[0]);
				goto bad;
			}
			rta_build_set_int(&b, EA_BGP_ORIGIN, EAF_ENUM, fl, d[0]);
			break;
		case BA_AS_PATH: {
			size_t bad_at;
			if (!path_ok(d, len, &bad_at)) {
				fail(r, ao + hl + bad_at, "malformed AS_PATH segment");
				goto bad;
			}
			rta_build_set_data(&b, EA_BGP_AS_PATH, EAF_AS_PATH, fl, len ? d : (const void *)"",
			    (uint32_t)len);
			break;
		}
		case BA_NEXT_HOP:
			nh4 = ip4_from_u32(get32(d));
			have_nh4 = true;
			break;
		case BA_MED:
			rta_build_set_int(&b, EA_BGP_MED, EAF_INT, fl, get32(d));
			break;
		case BA_LOCAL_PREF:
			rta_build_set_int(&b, EA_BGP_LOCAL_PREF, EAF_INT, fl, get32(d));
			break;
		case BA_ATOMIC_AGGR:
			rta_build_set_data(&b, EA_BGP_ATOMIC_AGGR, EAF_OPAQUE, fl, "", 0);
			break;
		case BA_AGGREGATOR: {
			if (len != 8 && len != 6) {
				fail(r, ao, "AGGREGATOR length %zu, expected 8 (or 6)", len);
				goto bad;
			}
			uint8_t *x = scratch(r, &used, 8);
			if (len == 6) {		/* a 2-byte ASN: widen it */
				x[0] = x[1] = 0;
				memcpy(x + 2, d, 6);
			} else
				memcpy(x, d, 8);
			rta_build_set_data(&b, EA_BGP_AGGREGATOR, EAF_OPAQUE, fl, x, 8);
			break;
		}
		case BA_COMMUNITY:
		case BA_CLUSTER_LIST:
		case BA_EXT_COMMUNITY:
		case BA_LARGE_COMMUNITY: {
			size_t unit = code == BA_EXT_COMMUNITY ? 8 : code == BA_LARGE_COMMUNITY ? 12 : 4;
			if (!len || len % unit) {
				fail(r, ao, "%s length %zu, not a non-zero multiple of %zu", name, len,
				    unit);
				goto bad;
			}
			uint32_t *w = (uint32_t *)(void *)scratch(r, &used, len);
			for (size_t k = 0; k < len / 4; k++)
				w[k] = get32(d + 4 * k);
			unsigned id = code == BA_COMMUNITY ? EA_BGP_COMMUNITY :
			    code == BA_CLUSTER_LIST ? EA_BGP_CLUSTER_LIST :
			    code == BA_EXT_COMMUNITY ? EA_BGP_EXT_COMMUNITY : EA_BGP_LARGE_COMMUNITY;
			unsigned type = code == BA_EXT_COMMUNITY ? EAF_EC_SET :
			    code == BA_LARGE_COMMUNITY ? EAF_LC_SET : EAF_INT_SET;
			rta_build_set_data(&b, id, type, fl, w, (uint32_t)len);
			break;
		}
		case BA_ORIGINATOR_ID:
			rta_build_set_int(&b, EA_BGP_ORIGINATOR_ID, EAF_ROUTER_ID, fl, get32(d));
			break;
		case BA_MP_REACH: {
			/* RFC 6396 4.3.4 abbreviates it to the next hop's length and
			 * address; some writers put the whole attribute */
			const uint8_t *h;
			size_t hlen;
			if (len >= 1 && len == 1 + (size_t)d[0]) {
				hlen = d[0];
				h = d + 1;
			} else if (len >= 5 && len >= 5 + (size_t)d[3]) {
				hlen = d[3];
				h = d + 4;
			} else {
				fail(r, ao, "malformed MP_REACH_NLRI (length %zu)", len);
				goto bad;
			}
			if (hlen == 4) {
				mp[0] = ip4_from_u32(get32(h));
				mp_n = 1;
			} else if (hlen == 16 || hlen == 32) {
				mp[0] = get_ip6(h);
				mp_n = 1;
				if (hlen == 32) {
					mp[1] = get_ip6(h + 16);
					if (mp[1].w[0] || mp[1].w[1] || mp[1].w[2] || mp[1].w[3])
						mp_n = 2;
				}
			} else {
				fail(r, ao, "MP_REACH_NLRI next hop length %zu (4, 16 or 32)", hlen);
				goto bad;
			}
			break;
		}
		case BA_MP_UNREACH:
		case BA_AS4_PATH:
		case BA_AS4_AGGREGATOR:
			/* no meaning in a 4-byte RIB dump (BIRD drops AS4_* on AS4 sessions) */
			break;
		default: {
			uint8_t *x = scratch(r, &used, len);
			memcpy(x, d, len);
			rta_build_set_data(&b, EA_CODE(EAP_BGP, code), EAF_OPAQUE, fl, x,
			    (uint32_t)len);
		}
		}
	}

	/* the next hop: NEXT_HOP for IPv4 routes unless only MP_REACH gives one
	 * (RFC 8950), MP_REACH's for IPv6 */
	struct nexthop hop = { 0 };
	uint8_t *x = scratch(r, &used, 2 * sizeof(ip_addr));
	unsigned cnt = 0;
	if ((afi == 4 && have_nh4) || (afi == 6 && !mp_n && have_nh4)) {
		memcpy(x, &nh4, sizeof nh4);
		cnt = 1;
	} else if (mp_n) {
		memcpy(x, mp, mp_n * sizeof mp[0]);
		cnt = mp_n;
	}
	if (cnt) {
		rta_build_set_data(&b, EA_BGP_NEXT_HOP, EAF_IP, F_T, x,
		    (uint32_t)(cnt * sizeof(ip_addr)));
		memcpy(&hop.gw, x, sizeof hop.gw);
		rta_build_nexthops(&b, &hop, 1);
		b.dest = RTD_UNICAST;
	}
	return rta_build_finish(&b);

trunc_hdr:
	fail(r, off + i, "attribute header truncated (%zu bytes left)", n - i);
bad:
	rta_build_abort(&b);
	return NULL;
}

static struct rta *
lookup(struct mrt_reader *r, const uint8_t *p, size_t n, uint64_t off)
{
	uint32_t h = r->ahead_at < r->ahead_n ? r->ahead[r->ahead_at++] : blob_hash(r->afi, p, n);

	if (r->tab_size) {
		struct centry *e = cache_slot(r, h, r->afi, p, n);
		if (e->hash) {
			r->st.attr_hits++;
			return e->a;
		}
	}
	struct rta *a = decode(r, r->afi, p, n, off);
	if (!a)
		return NULL;
	if (r->tab_count >= r->tab_max)
		cache_flush(r);
	if (2 * (r->tab_count + 1) > r->tab_size)
		cache_grow(r);
	if (!r->keys)
		r->keys = pool_new(MEM_MISC, "mrt blobs");
	uint8_t *k = pool_alloc(r->keys, n ? n : 1);
	memcpy(k, p, n);
	*cache_slot(r, h, r->afi, p, n) = (struct centry){ h, (uint32_t)n, r->afi, k, a };
	r->tab_count++;
	r->st.attr_sets++;
	return a;
}

/* ---- the reader ---- */

static struct mrt_reader *
reader_new(void)
{
	struct mrt_reader *r = xzalloc(sizeof *r);

	r->tab_max = CACHE_MAX;
	return r;
}

void
mrt_set_cache_limit(struct mrt_reader *r, size_t n)
{
	r->tab_max = n ? n : 1;
}

struct mrt_reader *
mrt_open_file(FILE *f, const void *head, size_t head_len)
{
	struct mrt_reader *r = reader_new();

	r->f = f;
	if (head_len > sizeof r->head)
		bug("mrt_open_file: %zu head bytes", head_len);
	if (head_len)
		memcpy(r->head, head, head_len);
	r->head_len = head_len;
	return r;
}

struct mrt_reader *
mrt_open_mem(const void *data, size_t len)
{
	struct mrt_reader *r = reader_new();

	r->mem = data;
	r->mem_len = len;
	return r;
}

int
mrt_next(struct mrt_reader *r, net_addr *net, struct rta **attrs, struct route_peer *peer)
{
	if (r->failed)
		return -1;
	while (!r->entries) {
		unsigned type, subtype;
		bool skip;
		if (r->eof)
			return 0;
		int k = read_record(r, &type, &subtype, &skip);
		if (k <= 0) {
			r->eof = k == 0;
			return k;
		}
		if (skip)
			continue;
		if ((subtype == TD2_PEER_INDEX_TABLE ? peer_table(r) : rib_start(r, subtype)) < 0)
			return -1;
	}

	const uint8_t *p = r->rec;
	size_t n = r->rec_len, i = r->pos;
	size_t fixed = entry_head(r);
	if (n - i < fixed)
		return fail(r, r->rec_off + i, "RIB entry truncated (%zu of %zu header bytes)",
		    n - i, fixed);
	unsigned idx = get16(p + i);
	uint32_t path_id = r->addpath ? get32(p + i + 6) : 0;
	size_t al = get16(p + i + fixed - 2);
	if (idx >= r->npeers)
		return fail(r, r->rec_off + i, "peer index %u beyond the %u peers of the "
		    "PEER_INDEX_TABLE", idx, r->npeers);
	if (al > n - i - fixed)
		return fail(r, r->rec_off + i + fixed - 2, "attribute length %zu runs past the "
		    "record (%zu bytes left)", al, n - i - fixed);
	struct rta *a = lookup(r, p + i + fixed, al, r->rec_off + i + fixed);
	if (!a)
		return -1;
	r->pos = i + fixed + al;
	r->entries--;
	if (!r->entries && r->pos != n)
		return fail(r, r->rec_off + r->pos, "%zu bytes after the last RIB entry",
		    n - r->pos);
	*net = r->net;
	*attrs = a;
	if (peer) {
		*peer = r->peers[idx];
		peer->path_id = path_id;
	}
	r->st.routes++;
	return 1;
}

const char *
mrt_error(const struct mrt_reader *r)
{
	return r->failed ? r->err : "";
}

void
mrt_get_stats(const struct mrt_reader *r, struct mrt_stats *out)
{
	*out = r->st;
}

void
mrt_close(struct mrt_reader *r)
{
	if (!r)
		return;
	if (r->tab)
		cache_flush(r);
	free(r->tab);
	if (r->keys)
		pool_free(r->keys);
	free(r->scratch);
	free(r->rec);
	free(r->peers);
	free(r);
}
