/*
 * AS paths and path masks.
 *
 * A path is kept as BGP sends it in an AS4 UPDATE (see set_int.h): the VM
 * reads the interned attribute in place. The helpers here give the
 * language's .len, .first, .last, .last_nonaggregated, prepend, delete and
 * filter with BIRD 2's rules (an VM_AS_SET counts as one position and one
 * length, confederation segments count zero in .len).
 *
 * `path ~ mask` follows BIRD 2: the mask must match the whole path (it is
 * anchored at both ends; `*` at either end lifts that). The path's
 * positions are the states of a nondeterministic automaton and each mask
 * item moves the set of marked states:
 *  - `*` marks every position from the lowest marked one to the end;
 *  - an ASN, range, set or `?` keeps the marked positions it matches and
 *    marks the position after each (an VM_AS_SET position matches if any of
 *    its ASNs does, stays marked itself because a set may stand for
 *    several ASNs, and set positions right after a match are marked too:
 *    a set may stand for none of the mask's items);
 *  - `X+` repeats X's step on the new marks until nothing new is marked
 *    (marks only move forward, so that is still one sweep).
 * The path matches if the position past its end is marked at the end.
 * Marks are two bitsets on the stack, one per step: no allocation, and a
 * step is one forward sweep over the path's bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/tbuf.h"
#include "vm/set_int.h"

enum {
	MAX_LEN = 65536,			/* longest path: a BGP attribute's limit */
	MAX_POS = MAX_LEN / 4 + 1,		/* positions, the end included */
	MARK_WORDS = (MAX_POS + 63) / 64,
};

static inline uint32_t
get_as(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
put_as(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline bool
is_set(unsigned type)
{
	return type == VM_AS_SET || type == VM_AS_CONFED_SET;
}

bool
vm_path_valid(const uint8_t *p, size_t len)
{
	while (len) {
		if (len < 2 || p[0] < VM_AS_SET || p[0] > VM_AS_CONFED_SET || p[1] == 0)
			return false;
		size_t seg = 2 + 4 * (size_t)p[1];
		if (seg > len)
			return false;
		p += seg;
		len -= seg;
	}
	return true;
}

/* walk the segments: T names the type, C the count, A the first ASN */
#define FOR_SEGMENTS(p, len, T, C, A)						\
	for (const uint8_t *q_ = (p), *e_ = (p) + (len), *A;			\
	     e_ - q_ >= 2 && (A = q_ + 2, e_ - q_ >= 2 + 4 * (ptrdiff_t)q_[1]);	\
	     q_ += 2 + 4 * (size_t)q_[1])					\
		for (unsigned T = q_[0], C = q_[1], once_ = 1; once_; once_ = 0)

unsigned
vm_path_len(const uint8_t *p, size_t len)
{
	unsigned n = 0;

	FOR_SEGMENTS(p, len, type, cnt, a) {
		(void)a;
		if (type == VM_AS_SET)
			n += 1;
		else if (type == VM_AS_SEQUENCE)
			n += cnt;
	}
	return n;
}

bool
vm_path_first(const uint8_t *p, size_t len, uint32_t *asn)
{
	if (len < 6 || p[0] != VM_AS_SEQUENCE || p[1] == 0)
		return false;
	*asn = get_as(p + 2);
	return true;
}

bool
vm_path_last(const uint8_t *p, size_t len, uint32_t *asn)
{
	bool found = false;

	FOR_SEGMENTS(p, len, type, cnt, a) {
		if (!cnt)
			continue;
		if (is_set(type))
			found = false;
		else {
			*asn = get_as(a + 4 * (cnt - 1));
			found = true;
		}
	}
	return found;
}

uint32_t
vm_path_last_nonaggregated(const uint8_t *p, size_t len)
{
	uint32_t v = 0;

	FOR_SEGMENTS(p, len, type, cnt, a) {
		if (!cnt)
			continue;
		if (is_set(type))
			return v;
		v = get_as(a + 4 * (cnt - 1));
	}
	return v;
}

bool
vm_path_contains(const uint8_t *p, size_t len, uint32_t asn)
{
	FOR_SEGMENTS(p, len, type, cnt, a) {
		(void)type;
		for (unsigned i = 0; i < cnt; i++)
			if (get_as(a + 4 * i) == asn)
				return true;
	}
	return false;
}

bool
vm_path_any_in(const uint8_t *p, size_t len, const struct vm_iset *s)
{
	FOR_SEGMENTS(p, len, type, cnt, a) {
		(void)type;
		for (unsigned i = 0; i < cnt; i++)
			if (vm_iset_has32(s, get_as(a + 4 * i)))
				return true;
	}
	return false;
}

size_t
vm_path_prepend(const uint8_t *p, size_t len, uint32_t asn, uint8_t *out)
{
	if (len >= 2 && p[0] == VM_AS_SEQUENCE && p[1] < VM_AS_SEG_MAX) {
		/* grow the leading sequence */
		out[0] = VM_AS_SEQUENCE;
		out[1] = (uint8_t)(p[1] + 1);
		put_as(out + 2, asn);
		memcpy(out + 6, p + 2, len - 2);
		return len + 4;
	}
	out[0] = VM_AS_SEQUENCE;
	out[1] = 1;
	put_as(out + 2, asn);
	if (len)
		memcpy(out + 6, p, len);
	return len + 6;
}

size_t
vm_path_filter(const uint8_t *p, size_t len, const struct vm_iset *s, uint32_t asn, bool keep,
    uint8_t *out)
{
	uint8_t *d = out;

	FOR_SEGMENTS(p, len, type, cnt, a) {
		unsigned k = 0;
		for (unsigned i = 0; i < cnt; i++) {
			uint32_t v = get_as(a + 4 * i);
			bool in = s ? vm_iset_has32(s, v) : v == asn;
			if (in == keep)
				put_as(d + 2 + 4 * k++, v);
		}
		if (k) {	/* an emptied segment goes away */
			d[0] = (uint8_t)type;
			d[1] = (uint8_t)k;
			d += 2 + 4 * k;
		}
	}
	return (size_t)(d - out);
}


static size_t
finish(struct tbuf *o)
{
	if (o->len && o->pos >= o->len)
		o->buf[o->len - 1] = 0;
	return o->pos;
}

size_t
vm_path_format(const uint8_t *p, size_t len, char *buf, size_t bl)
{
	static const char *const open[] = { "", "{", "", "(", "({" };
	static const char *const close[] = { "", "}", "", ")", "})" };
	struct tbuf o = { buf, bl, 0 };
	bool first = true;

	if (bl)
		buf[0] = 0;
	FOR_SEGMENTS(p, len, type, cnt, a) {
		unsigned t = type <= VM_AS_CONFED_SET ? type : 0;
		tbuf_printf(&o, "%s%s", first ? "" : " ", open[t]);
		for (unsigned i = 0; i < cnt; i++)
			tbuf_printf(&o, i + 1 < cnt ? "%u " : "%u", get_as(a + 4 * i));
		tbuf_printf(&o, "%s", close[t]);
		first = false;
	}
	return finish(&o);
}

/* ---- masks ---- */

int
vm_pm_build(struct pool *p, const struct vm_pm_item *items, unsigned n, struct vm_path_mask *out)
{
	struct vm_pm_item *c = pool_alloc(p, (n ? n : 1) * sizeof *c);
	memcpy(c, items, n * sizeof *c);
	*out = (struct vm_path_mask){ n, c };
	return 0;
}

static bool
item_match(const struct vm_pm_item *it, uint32_t asn)
{
	switch (it->kind) {
	case VM_PM_ASN:
		return asn >= it->from && asn <= it->to;
	case VM_PM_SET:
		return vm_iset_has32(it->set, asn);
	default:
		return true;
	}
}

static inline bool
bit(const uint64_t *m, unsigned i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static inline void
setbit(uint64_t *m, unsigned i)
{
	m[i / 64] |= 1ull << (i % 64);
}

/* One step of item it from the marks in cur to the marks in nxt (nw words,
 * cleared here); returns whether anything is marked. Marks only flow
 * forward, so for `X+` one sweep also feeds each new mark back in as a
 * source: that is X applied once, twice, ... to a fixed point. */
static bool
step(const struct vm_pm_item *it, const uint8_t *p, size_t len, unsigned npos,
    const uint64_t *cur, uint64_t *nxt, unsigned nw)
{
	unsigned k = 0;
	bool carry = false, any = false;	/* carry: position k gets marked */

	memset(nxt, 0, nw * sizeof *nxt);
	FOR_SEGMENTS(p, len, type, cnt, a) {
		if (is_set(type)) {
			bool m = false;
			if (bit(cur, k) || (it->loop && carry)) {
				m = it->kind == VM_PM_QUESTION;
				for (unsigned i = 0; i < cnt && !m; i++)
					m = item_match(it, get_as(a + 4 * i));
			}
			if (carry || m)
				setbit(nxt, k), any = true;
			carry = m || carry;	/* a set passes the carry on */
			k++;
		} else
			for (unsigned i = 0; i < cnt; i++, k++) {
				bool src = bit(cur, k) || (it->loop && carry);
				if (carry)
					setbit(nxt, k), any = true;
				carry = src && item_match(it, get_as(a + 4 * i));
			}
	}
	if (carry && k == npos)
		setbit(nxt, k), any = true;
	return any;
}

bool
vm_pm_match(const struct vm_path_mask *m, const uint8_t *p, size_t len)
{
	uint64_t a[MARK_WORDS], b[MARK_WORDS];
	uint64_t *cur = a, *nxt = b, *t;
	unsigned npos = 0;

	if (len > MAX_LEN)
		return false;
	if (m->n == 3 && m->item[0].kind == VM_PM_ASTERISK && m->item[2].kind == VM_PM_ASTERISK &&
	    (m->item[1].kind == VM_PM_ASN || m->item[1].kind == VM_PM_SET)) {
		/* `* X *` (the common "path contains"): some ASN of the path,
		 * in a sequence or a set, is X; one pass, no marks */
		const struct vm_pm_item *it = &m->item[1];
		FOR_SEGMENTS(p, len, type, cnt, q) {
			(void)type;
			for (unsigned i = 0; i < cnt; i++)
				if (item_match(it, get_as(q + 4 * i)))
					return true;
		}
		return false;
	}
	FOR_SEGMENTS(p, len, type, cnt, s) {
		(void)s;
		npos += is_set(type) ? 1 : cnt;
	}
	unsigned nw = npos / 64 + 1;

	memset(cur, 0, nw * sizeof *cur);
	setbit(cur, 0);
	for (unsigned i = 0; i < m->n; i++) {
		const struct vm_pm_item *it = &m->item[i];

		if (it->kind == VM_PM_ASTERISK) {
			unsigned lo = 0;
			while (lo < npos && !bit(cur, lo))
				lo++;
			for (unsigned k = lo; k <= npos; k++)
				setbit(cur, k);
			continue;
		}
		if (!step(it, p, len, npos, cur, nxt, nw))
			return false;
		t = cur, cur = nxt, nxt = t;
	}
	return bit(cur, npos);
}

size_t
vm_pm_format(const struct vm_path_mask *m, char *buf, size_t len)
{
	struct tbuf o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	tbuf_printf(&o, "[= ");
	for (unsigned i = 0; i < m->n; i++) {
		const struct vm_pm_item *it = &m->item[i];
		switch (it->kind) {
		case VM_PM_ASN:
			if (it->range)
				tbuf_printf(&o, "%u..%u ", it->from, it->to);
			else
				tbuf_printf(&o, "%u ", it->from);
			break;
		case VM_PM_SET: {
			size_t room = o.pos < o.len ? o.len - o.pos : 0;
			o.pos += vm_iset_format(it->set, room ? o.buf + o.pos : NULL, room);
			tbuf_printf(&o, " ");
			break;
		}
		case VM_PM_QUESTION:
			tbuf_printf(&o, "? ");
			break;
		case VM_PM_ASTERISK:
			tbuf_printf(&o, "* ");
			break;
		}
		if (it->loop)
			tbuf_printf(&o, "+ ");
	}
	tbuf_printf(&o, "=]");
	return finish(&o);
}
