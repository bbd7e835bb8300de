/*
 * Routes as text, for birch-check: the reader of one-line routes in the
 * names and value syntax of BIRD 2's `show route all`, and the file reader
 * that tells text from MRT. The printer is the daemon's (core/rte_print.c):
 * route_print only adds the prefix line, so what it writes reads back here.
 *
 * A line is "PREFIX [NAME VALUE...]...": NAME is a filter attribute name
 * (bgp_path, bgp_community, ...) or the name BIRD prints (BGP.as_path:,
 * BGP.community:, ...), and its values run up to the next name. Values are
 * parsed into the same encodings the BGP codec produces (core/attr.h): AS
 * paths as AS4 wire segments, communities as host-order words, and so on,
 * each into its own growable buffer, handed to the builder at the end. An
 * error stops the parse and names the 1-based byte column where it is.
 */
#include "tools/routes.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/table.h"


enum vkind {
	V_ORIGIN,		/* IGP | EGP | Incomplete */
	V_PATH,			/* ASNs, {set}, (confed seq), ({confed set}) */
	V_NEXTHOP,		/* one ip, or an IPv6 global and link-local */
	V_INT,			/* one u32 */
	V_NONE,			/* no value (atomic aggregate) */
	V_AGGR,			/* "IP ASn" as BIRD prints, or "ASn IP" */
	V_PAIRS,		/* (a,b) ... */
	V_QUAD,			/* one a.b.c.d */
	V_QUADS,		/* a.b.c.d ... */
	V_ECS,			/* (rt, a, b) ... */
	V_LCS,			/* (a, b, c) ... */
};

/* the attributes a text route may set, in id order (BIRD's print order);
 * the name `show route all` prints after "BGP." is rta_attr_name's */
static const struct tattr {
	const char *name;	/* filter name */
	uint16_t id;		/* EA_* */
	uint8_t type;		/* EAF_* */
	uint8_t flags;		/* wire flags the BGP codec gives it */
	uint8_t kind;		/* enum vkind */
} tattrs[] = {
	{ "bgp_origin", EA_BGP_ORIGIN, EAF_ENUM, 0x40, V_ORIGIN },
	{ "bgp_path", EA_BGP_AS_PATH, EAF_AS_PATH, 0x40, V_PATH },
	{ "bgp_next_hop", EA_BGP_NEXT_HOP, EAF_IP, 0x40, V_NEXTHOP },
	{ "bgp_med", EA_BGP_MED, EAF_INT, 0x80, V_INT },
	{ "bgp_local_pref", EA_BGP_LOCAL_PREF, EAF_INT, 0x40, V_INT },
	{ "bgp_atomic_aggr", EA_BGP_ATOMIC_AGGR, EAF_OPAQUE, 0x40, V_NONE },
	{ "bgp_aggregator", EA_BGP_AGGREGATOR, EAF_OPAQUE, 0xc0, V_AGGR },
	{ "bgp_community", EA_BGP_COMMUNITY, EAF_INT_SET, 0xc0, V_PAIRS },
	{ "bgp_originator_id", EA_BGP_ORIGINATOR_ID, EAF_ROUTER_ID, 0x80, V_QUAD },
	{ "bgp_cluster_list", EA_BGP_CLUSTER_LIST, EAF_INT_SET, 0x80, V_QUADS },
	{ "bgp_ext_community", EA_BGP_EXT_COMMUNITY, EAF_EC_SET, 0xc0, V_ECS },
	{ "bgp_large_community", EA_BGP_LARGE_COMMUNITY, EAF_LC_SET, 0xc0, V_LCS },
	{ "bgp_otc", EA_BGP_OTC, EAF_INT, 0xc0, V_INT },
};
enum { N_TATTRS = sizeof tattrs / sizeof tattrs[0] };
enum { DATA_MAX = 65535 };	/* bytes of one attribute: BGP's own limit */

/* ---- the text cursor ---- */

struct vec {
	uint8_t *p;		/* bytes, xrealloc'd */
	size_t n, cap;		/* used, room */
};

struct cur {
	const char *s;		/* the line */
	size_t i, n;		/* position, length */
	char *err;		/* ROUTE_ERR_MAX bytes */
	bool failed;		/* err holds the first error */
	struct vec data[N_TATTRS];	/* each attribute's encoded value */
	bool given[N_TATTRS];	/* set already on this line */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct cur *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed)
		return -1;
	c->failed = true;
	n = snprintf(c->err, ROUTE_ERR_MAX, "column %zu: ", at + 1);
	va_start(ap, fmt);
	vsnprintf(c->err + n, ROUTE_ERR_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void
vec_put(struct vec *v, const void *p, size_t n)
{
	if (v->n + n > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		while (v->cap < v->n + n)
			v->cap *= 2;
		v->p = xrealloc(v->p, v->cap);
	}
	memcpy(v->p + v->n, p, n);
	v->n += n;
}

static void
vec_u32(struct vec *v, uint32_t x)
{
	vec_put(v, &x, 4);
}

static void
vec_be32(struct vec *v, uint32_t x)
{
	uint8_t b[4] = { (uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };
	vec_put(v, b, 4);
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool
is_punct(char ch)
{
	return ch == '(' || ch == ')' || ch == '{' || ch == '}' || ch == ',';
}

static void
ws(struct cur *c)
{
	while (c->i < c->n && is_space(c->s[c->i]))
		c->i++;
}

static bool
at_end(struct cur *c)
{
	ws(c);
	return c->i >= c->n;
}

/* the word at the cursor (not consumed): up to a space or punctuation */
static size_t
word_len(const struct cur *c)
{
	size_t k = c->i;

	while (k < c->n && (unsigned char)c->s[k] > ' ' && (unsigned char)c->s[k] < 0x7f &&
	    !is_punct(c->s[k]))
		k++;
	return k - c->i;
}

/* copy the current word into buf (NUL-terminated), consume it */
static int
take_word(struct cur *c, char *buf, size_t size, const char *what)
{
	size_t l = word_len(c);

	if (!l) {
		if (c->i >= c->n)
			return fail(c, c->i, "expected %s at the end of the line", what);
		unsigned char ch = (unsigned char)c->s[c->i];
		if (ch <= ' ' || ch >= 0x7f)
			return fail(c, c->i, "unexpected byte 0x%02x", ch);
		return fail(c, c->i, "expected %s, found '%c'", what, ch);
	}
	if (l >= size)
		return fail(c, c->i, "expected %s, found '%.*s'", what, (int)(l > 40 ? 40 : l),
		    c->s + c->i);
	memcpy(buf, c->s + c->i, l);
	buf[l] = 0;
	c->i += l;
	return 0;
}

static bool
printable(char ch)
{
	return (unsigned char)ch >= 0x20 && (unsigned char)ch < 0x7f;
}

static int
expect(struct cur *c, char ch)
{
	ws(c);
	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return 0;
	}
	if (c->i >= c->n)
		return fail(c, c->i, "expected '%c' at the end of the line", ch);
	if (!printable(c->s[c->i]))
		return fail(c, c->i, "expected '%c', found byte 0x%02x", ch,
		    (unsigned char)c->s[c->i]);
	return fail(c, c->i, "expected '%c', found '%c'", ch, c->s[c->i]);
}

/* an unsigned decimal (or 0x hex) number up to max */
static int
num(struct cur *c, uint32_t max, uint32_t *out, const char *what)
{
	char b[24], *end;
	size_t at;

	ws(c);
	at = c->i;
	if (take_word(c, b, sizeof b, what) < 0)
		return -1;
	errno = 0;
	unsigned long long v = strtoull(b, &end, 0);
	if (*end || !isdigit((unsigned char)b[0]) || errno)
		return fail(c, at, "expected %s, found '%s'", what, b);
	if (v > max)
		return fail(c, at, "%s %s out of range (0..%u)", what, b, max);
	*out = (uint32_t)v;
	return 0;
}

static int
ip(struct cur *c, ip_addr *out)
{
	char b[IP_STR_MAX + 8];
	size_t at;

	ws(c);
	at = c->i;
	if (take_word(c, b, sizeof b, "an IP address") < 0)
		return -1;
	if (ip_parse(b, out) < 0)
		return fail(c, at, "invalid IP address '%s'", b);
	return 0;
}

static int
quad(struct cur *c, uint32_t *out)
{
	char b[24];
	size_t at;

	ws(c);
	at = c->i;
	if (take_word(c, b, sizeof b, "a router id") < 0)
		return -1;
	if (rid_parse(b, out) < 0)
		return fail(c, at, "invalid router id '%s'", b);
	return 0;
}

/* the attribute named at the cursor, or -1; *l gets the name's length */
static int
name_at(const struct cur *c, size_t *l)
{
	const char *w = c->s + c->i;
	size_t n = word_len(c);

	*l = n;
	if (n && w[n - 1] == ':')
		n--;
	for (int k = 0; k < (int)N_TATTRS; k++) {
		const struct tattr *t = &tattrs[k];
		const char *bird = rta_attr_name(t->id);
		if (strlen(t->name) == n && !memcmp(w, t->name, n))
			return k;
		if (n > 4 && !memcmp(w, "BGP.", 4) && bird && strlen(bird) == n - 4 &&
		    !memcmp(w + 4, bird, n - 4))
			return k;
	}
	return -1;
}

/* more values for this attribute? (not at the end, not at a name) */
static bool
more(struct cur *c)
{
	size_t l;

	return !at_end(c) && name_at(c, &l) < 0;
}

/* ---- values ---- */

static int
val_origin(struct cur *c, struct vec *v)
{
	static const char *const names[][2] = {
		{ "IGP", "ORIGIN_IGP" }, { "EGP", "ORIGIN_EGP" }, { "Incomplete", "ORIGIN_INCOMPLETE" },
	};
	char b[24];
	size_t at;

	ws(c);
	at = c->i;
	if (take_word(c, b, sizeof b, "an origin (IGP, EGP or Incomplete)") < 0)
		return -1;
	for (uint32_t k = 0; k < 3; k++)
		if (!strcasecmp(b, names[k][0]) || !strcasecmp(b, names[k][1]) ||
		    (b[0] == (char)('0' + k) && !b[1])) {
			vec_u32(v, k);
			return 0;
		}
	return fail(c, at, "invalid origin '%s' (IGP, EGP or Incomplete)", b);
}

/* one segment of type t, its ASNs read up to the closing text */
static int
path_seg(struct cur *c, struct vec *v, unsigned t, const char *close)
{
	size_t hdr = v->n, at = c->i;
	uint8_t h[2] = { (uint8_t)t, 0 };
	unsigned cnt = 0;

	vec_put(v, h, 2);
	for (;;) {
		ws(c);
		if (c->n - c->i >= strlen(close) && !memcmp(c->s + c->i, close, strlen(close))) {
			c->i += strlen(close);
			break;
		}
		uint32_t asn;
		if (num(c, UINT32_MAX, &asn, "an AS number") < 0)
			return -1;
		if (++cnt > 255)
			return fail(c, at, "AS path segment of more than 255 ASNs");
		vec_be32(v, asn);
	}
	if (!cnt)
		return fail(c, at, "empty AS path segment");
	v->p[hdr + 1] = (uint8_t)cnt;
	return 0;
}

static int
val_path(struct cur *c, struct vec *v)
{
	size_t seq = 0;		/* header of the open AS_SEQUENCE, 0: none */
	bool open = false;

	while (more(c)) {
		const char *s = c->s + c->i;
		size_t left = c->n - c->i;
		if (left >= 2 && s[0] == '(' && s[1] == '{') {
			c->i += 2;
			open = false;
			if (path_seg(c, v, 4, "})") < 0)
				return -1;
		} else if (s[0] == '(' || s[0] == '{') {
			c->i++;
			open = false;
			if (path_seg(c, v, s[0] == '{' ? 1 : 3, s[0] == '{' ? "}" : ")") < 0)
				return -1;
		} else {
			uint32_t asn;
			if (num(c, UINT32_MAX, &asn, "an AS number") < 0)
				return -1;
			if (!open || v->p[seq + 1] == 255) {
				uint8_t h[2] = { 2, 0 };
				seq = v->n;
				vec_put(v, h, 2);
				open = true;
			}
			v->p[seq + 1]++;
			vec_be32(v, asn);
		}
		if (v->n > DATA_MAX)
			return fail(c, c->i, "AS path too long");
	}
	return 0;
}

static int
val_nexthop(struct cur *c, struct vec *v)
{
	ip_addr a[2];
	size_t at = c->i;

	ws(c);
	at = c->i;
	if (ip(c, &a[0]) < 0)
		return -1;
	vec_put(v, &a[0], sizeof a[0]);
	if (more(c)) {
		at = c->i;
		if (ip(c, &a[1]) < 0)
			return -1;
		if (ip_is4(a[0]) || ip_is4(a[1]))
			return fail(c, at, "a second next hop must be an IPv6 link-local "
			    "address after an IPv6 one");
		vec_put(v, &a[1], sizeof a[1]);
	}
	return 0;
}

static int
val_aggr(struct cur *c, struct vec *v)
{
	ip_addr a;
	uint32_t asn;
	size_t at;

	ws(c);
	at = c->i;
	/* an ASN first is "AS65000" or a bare number; an address has dots */
	size_t wl = word_len(c);
	size_t dg = 0;
	while (dg < wl && isdigit((unsigned char)c->s[c->i + dg]))
		dg++;
	bool as_first = (wl > 2 && !strncmp(c->s + c->i, "AS", 2)) || (wl && dg == wl);
	for (int k = 0; k < 2; k++) {
		ws(c);
		if ((k == 0) == as_first) {
			if (c->i + 2 <= c->n && !strncmp(c->s + c->i, "AS", 2))
				c->i += 2;
			if (num(c, UINT32_MAX, &asn, "an aggregator AS number") < 0)
				return -1;
		} else {
			at = c->i;
			if (ip(c, &a) < 0)
				return -1;
			if (!ip_is4(a))
				return fail(c, at, "the aggregator address must be IPv4");
		}
	}
	vec_be32(v, asn);
	vec_be32(v, ip4_to_u32(a));
	return 0;
}

static int
val_pair(struct cur *c, struct vec *v)
{
	uint32_t a, b;

	if (expect(c, '(') < 0 || num(c, 0xffff, &a, "a community's AS number") < 0 ||
	    expect(c, ',') < 0 || num(c, 0xffff, &b, "a community's value") < 0 ||
	    expect(c, ')') < 0)
		return -1;
	vec_u32(v, a << 16 | b);
	return 0;
}

static int
val_lc(struct cur *c, struct vec *v)
{
	uint32_t x[3];

	if (expect(c, '(') < 0 || num(c, UINT32_MAX, &x[0], "a large community's AS number") < 0 ||
	    expect(c, ',') < 0 || num(c, UINT32_MAX, &x[1], "a large community's data") < 0 ||
	    expect(c, ',') < 0 || num(c, UINT32_MAX, &x[2], "a large community's data") < 0 ||
	    expect(c, ')') < 0)
		return -1;
	vec_put(v, x, sizeof x);
	return 0;
}

/* (rt|ro|unknown 0xTYPE, ASN or IPv4, value) or (generic, hi, lo) */
static int
val_ec(struct cur *c, struct vec *v)
{
	char kind[24];
	size_t at, kat;
	unsigned type;		/* the high 16 bits, as BIRD's ec_type */
	uint64_t ec;

	if (expect(c, '(') < 0)
		return -1;
	ws(c);
	at = kat = c->i;
	if (take_word(c, kind, sizeof kind, "an extended community kind (rt, ro, generic)") < 0)
		return -1;
	if (!strcmp(kind, "generic")) {
		uint32_t hi, lo;
		if (expect(c, ',') < 0 || num(c, UINT32_MAX, &hi, "a number") < 0 ||
		    expect(c, ',') < 0 || num(c, UINT32_MAX, &lo, "a number") < 0 ||
		    expect(c, ')') < 0)
			return -1;
		vec_u32(v, hi);
		vec_u32(v, lo);
		return 0;
	}
	if (!strcmp(kind, "rt"))
		type = 0x0002;
	else if (!strcmp(kind, "ro"))
		type = 0x0003;
	else if (!strcmp(kind, "unknown")) {
		uint32_t t;
		if (num(c, 0xffff, &t, "an extended community type") < 0)
			return -1;
		type = t;
	} else
		return fail(c, at, "unknown extended community kind '%s' (rt, ro, generic)", kind);
	if (expect(c, ',') < 0)
		return -1;
	ws(c);
	at = c->i;
	uint32_t admin, val;
	bool is_ip = memchr(c->s + c->i, '.', word_len(c)) || memchr(c->s + c->i, ':', word_len(c));
	if (is_ip) {
		ip_addr a;
		if (ip(c, &a) < 0)
			return -1;
		if (!ip_is4(a))
			return fail(c, at, "an extended community's address must be IPv4");
		admin = ip4_to_u32(a);
	} else if (num(c, UINT32_MAX, &admin, "an AS number or IPv4 address") < 0)
		return -1;
	if (expect(c, ',') < 0)
		return -1;
	ws(c);
	size_t vat = c->i;
	if (num(c, UINT32_MAX, &val, "a value") < 0 || expect(c, ')') < 0)
		return -1;
	/* the layout follows the admin field, as BIRD's ec_* constructors do */
	unsigned layout = kind[0] == 'u' ? (type >> 8) & 0xbf : is_ip ? 1 : admin > 0xffff ? 2 : 0;
	if (kind[0] != 'u')
		type |= layout << 8;
	switch (layout) {
	case 0:
		if (admin > 0xffff)
			return fail(c, at, "AS number %u too big for this extended community", admin);
		ec = (uint64_t)type << 48 | (uint64_t)admin << 32 | val;
		break;
	case 1:
	case 2:
		if (layout == 1 && !is_ip)
			return fail(c, at, "expected an IPv4 address");
		if (val > 0xffff)
			return fail(c, vat, "value %u too big for this extended community "
			    "(0..65535)", val);
		ec = (uint64_t)type << 48 | (uint64_t)admin << 16 | val;
		break;
	default:
		return fail(c, kat, "extended community type 0x%x has no (admin, value) layout",
		    type);
	}
	vec_u32(v, (uint32_t)(ec >> 32));
	vec_u32(v, (uint32_t)ec);
	return 0;
}

static int
values(struct cur *c, const struct tattr *t, struct vec *v, size_t name_at)
{
	uint32_t x;

	switch (t->kind) {
	case V_ORIGIN:
		return val_origin(c, v);
	case V_PATH:
		return val_path(c, v);
	case V_NEXTHOP:
		return val_nexthop(c, v);
	case V_INT:
		if (at_end(c))
			return fail(c, c->i, "%s needs a number", t->name);
		if (num(c, UINT32_MAX, &x, "a number") < 0)
			return -1;
		vec_u32(v, x);
		return 0;
	case V_NONE:
		return 0;
	case V_AGGR:
		return val_aggr(c, v);
	case V_QUAD:
		if (at_end(c))
			return fail(c, c->i, "%s needs a router id", t->name);
		if (quad(c, &x) < 0)
			return -1;
		vec_u32(v, x);
		return 0;
	case V_PAIRS:
	case V_QUADS:
	case V_ECS:
	case V_LCS:
		while (more(c)) {
			int r = t->kind == V_PAIRS ? val_pair(c, v) :
			    t->kind == V_ECS ? val_ec(c, v) :
			    t->kind == V_LCS ? val_lc(c, v) : quad(c, &x);
			if (r < 0)
				return -1;
			if (t->kind == V_QUADS)
				vec_u32(v, x);
			if (v->n > DATA_MAX)
				return fail(c, name_at, "%s too long", t->name);
		}
		return 0;
	}
	return fail(c, name_at, "internal: no parser for %s", t->name);
}

/* ---- a route ---- */

static int
parse_line(struct cur *c, net_addr *net, struct rta **out)
{
	char b[NET_STR_MAX + 8];
	size_t at;
	int r;

	if (at_end(c))
		return fail(c, c->i, "expected a prefix, found an empty line");
	at = c->i;
	/* a prefix is a word with no punctuation; take it whole */
	size_t l = 0;
	while (c->i + l < c->n && !is_space(c->s[c->i + l]))
		l++;
	if (l >= sizeof b)
		return fail(c, at, "expected a prefix, found '%.*s'", 40, c->s + at);
	memcpy(b, c->s + at, l);
	b[l] = 0;
	if (memchr(b, 0, l))
		return fail(c, at + strlen(b), "unexpected NUL byte");
	if ((r = net_parse(b, net)) < 0)
		return fail(c, at, r == NET_EHOSTBITS ? "prefix '%s' has bits set after its length"
		    : "expected a prefix, found '%s'", b);
	c->i += l;

	while (!at_end(c)) {
		at = c->i;
		int k = name_at(c, &l);
		if (k < 0) {
			size_t wl = word_len(c);
			if (!wl)
				return printable(c->s[c->i])
				    ? fail(c, at, "expected an attribute name, found '%c'", c->s[c->i])
				    : fail(c, at, "unexpected byte 0x%02x", (unsigned char)c->s[c->i]);
			for (size_t q = 0; q < wl; q++)
				if (!printable(c->s[c->i + q]))
					return fail(c, c->i + q, "unexpected byte 0x%02x",
					    (unsigned char)c->s[c->i + q]);
			if (!isalpha((unsigned char)c->s[at]))
				return fail(c, at, "expected an attribute name, found '%.*s'",
				    (int)(wl > 40 ? 40 : wl), c->s + at);
			return fail(c, at, "unknown attribute '%.*s'", (int)(wl > 40 ? 40 : wl),
			    c->s + at);
		}
		if (c->given[k])
			return fail(c, at, "%s given twice", tattrs[k].name);
		c->given[k] = true;
		c->i += l;
		/* "BGP.as_path :" is not BIRD's, but a lone colon after a name is harmless */
		ws(c);
		if (c->i < c->n && c->s[c->i] == ':' && (c->i + 1 == c->n || is_space(c->s[c->i + 1])))
			c->i++;
		if (values(c, &tattrs[k], &c->data[k], at) < 0)
			return -1;
		if (tattrs[k].kind == V_NONE && more(c))
			return fail(c, c->i, "%s takes no value", tattrs[k].name);
	}

	struct rta_builder bl;
	struct nexthop nh = { 0 };
	rta_build_start(&bl, NULL);
	bl.source = RTS_BGP;
	bl.scope = SCOPE_UNIVERSE;
	bl.dest = RTD_UNREACHABLE;
	for (unsigned k = 0; k < N_TATTRS; k++) {
		const struct tattr *t = &tattrs[k];
		struct vec *v = &c->data[k];
		if (!c->given[k])
			continue;
		if (ea_type_has_data(t->type))
			rta_build_set_data(&bl, t->id, t->type, t->flags, v->p ? v->p : (const void *)"",
			    (uint32_t)v->n);
		else
			rta_build_set_int(&bl, t->id, t->type, t->flags, *(const uint32_t *)(void *)v->p);
		if (t->id == EA_BGP_NEXT_HOP) {
			memcpy(&nh.gw, v->p, sizeof nh.gw);
			rta_build_nexthops(&bl, &nh, 1);
			bl.dest = RTD_UNICAST;
		}
	}
	*out = rta_build_finish(&bl);
	return 0;
}

int
route_parse(const char *text, size_t len, net_addr *net, struct rta **out,
    char err[ROUTE_ERR_MAX])
{
	struct cur c = { .s = text, .n = len, .err = err };
	int r;

	err[0] = 0;
	*out = NULL;
	r = parse_line(&c, net, out);
	for (unsigned k = 0; k < N_TATTRS; k++)
		free(c.data[k].p);
	return r;
}

/* ---- printing ---- */

void
route_print(FILE *out, const net_addr *net, const struct route_peer *peer,
    const struct rta *a, const struct rta *before)
{
	char b[NET_STR_MAX], ib[IP_STR_MAX];

	fprintf(out, "%s", net_format(net, b));
	if (peer && peer->valid) {
		fprintf(out, " from %s AS%u", ip_format(peer->ip, ib), peer->asn);
		if (peer->path_id)
			fprintf(out, " path %u", peer->path_id);
	}
	fprintf(out, "\n");
	rta_print(out, a, before);
}

/* ---- files ---- */

struct route_file {
	char *name;		/* for messages */
	FILE *f;		/* the stream */
	bool own;		/* close f at the end (not stdin) */
	struct mrt_reader *mrt;	/* MRT: the reader; NULL for text */
	char *line;		/* text: getline's buffer */
	size_t cap;		/* its size */
	char *pre;		/* text: bytes read while sniffing, not yet a line */
	size_t pre_len;		/* bytes at pre */
	unsigned long lineno;	/* text: the last line read */
	struct rta *cur;	/* text: the last route's set (held until next) */
	char err[ROUTE_ERR_MAX + 256];	/* the last error */
	/* BIRD's `show route all` output: a route is its header line (or a
	 * continuation one for the same prefix) and its tab-indented BGP
	 * attribute lines, joined into one text route */
	int8_t bird;		/* 1: that form; 0: one route a line; -1: not known yet */
	char pfx[NET_STR_MAX];	/* the prefix of the last header line */
	char *blk;		/* the route being gathered ("PREFIX BGP.x: ..."); */
	size_t blk_len, blk_cap;	/* NULL when none is pending */
	bool skip_more;		/* "\t\t" lines continue a skipped attribute */
	bool redo;		/* the line read ends the route before it: again */
	size_t redo_len;	/* its length */
	struct seg { size_t at; unsigned long line; size_t col; } *segs;
	size_t nsegs, cap_segs;	/* where the pieces of blk come from */
};

enum { SNIFF = 12 };	/* an MRT common header */

struct route_file *
route_file_open(const char *path, char err[ROUTE_ERR_MAX])
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;

	if (!fp) {
		snprintf(err, ROUTE_ERR_MAX, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct route_file *f = route_file_stream(fp, path, err);
	if (f)
		f->own = fp != stdin;
	else if (fp != stdin)
		fclose(fp);
	return f;
}

struct route_file *
route_file_stream(FILE *fp, const char *name, char err[ROUTE_ERR_MAX])
{
	struct route_file *f = xzalloc(sizeof *f);
	uint8_t head[SNIFF];
	size_t n;

	f->name = xstrdup(name);
	f->f = fp;
	n = fread(head, 1, sizeof head, f->f);
	if (!n && ferror(f->f)) {	/* a directory, say: EISDIR */
		snprintf(err, ROUTE_ERR_MAX, "%s: %s", name, strerror(errno));
		route_file_close(f);
		return NULL;
	}
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
		snprintf(err, ROUTE_ERR_MAX, "%s: gzip-compressed; decompress it first "
		    "(zcat FILE | birch-check ... --routes -)", name);
		route_file_close(f);
		return NULL;
	}
	if (n >= 10 && !memcmp(head, "BZh", 3) && !memcmp(head + 4, "1AY&SY", 6)) {
		snprintf(err, ROUTE_ERR_MAX, "%s: bzip2-compressed; decompress it first "
		    "(bzcat FILE | birch-check ... --routes -)", name);
		route_file_close(f);
		return NULL;
	}
	/* text never holds a NUL; an MRT header always does (type < 256) */
	if (memchr(head, 0, n))
		f->mrt = mrt_open_file(f->f, head, n);
	else {
		f->pre = xmalloc(SNIFF);
		memcpy(f->pre, head, n);
		f->pre_len = n;
		f->bird = -1;
	}
	return f;
}

/* the next line into f->line (without its newline); false at the end */
static bool
next_line(struct route_file *f, size_t *len)
{
	ssize_t r = 0;

	if (f->pre) {
		char *nl = memchr(f->pre, '\n', f->pre_len);
		size_t l;
		if (nl) {
			l = (size_t)(nl - f->pre);
		} else {
			/* the rest of the first line comes from the stream */
			char *rest = NULL;
			size_t rc = 0;
			ssize_t rl = getline(&rest, &rc, f->f);
			size_t add = rl > 0 ? (size_t)rl : 0;
			f->pre = xrealloc(f->pre, f->pre_len + add + 1);
			memcpy(f->pre + f->pre_len, rest ? rest : "", add);
			free(rest);
			f->pre_len += add;
			nl = memchr(f->pre, '\n', f->pre_len);
			l = nl ? (size_t)(nl - f->pre) : f->pre_len;
		}
		if (!f->pre_len) {
			free(f->pre);
			f->pre = NULL;
			return false;
		}
		if (f->cap < l + 1) {
			f->cap = l + 1;
			f->line = xrealloc(f->line, f->cap);
		}
		memcpy(f->line, f->pre, l);
		f->line[l] = 0;
		*len = l;
		size_t used = nl ? l + 1 : l;
		memmove(f->pre, f->pre + used, f->pre_len - used);
		f->pre_len -= used;
		if (!f->pre_len) {
			free(f->pre);
			f->pre = NULL;
		}
		return true;
	}
	r = getline(&f->line, &f->cap, f->f);
	if (r <= 0)
		return false;
	*len = (size_t)r;
	if (f->line[*len - 1] == '\n')
		f->line[--*len] = 0;
	return true;
}

/* the end of the lines: 0, or -1 after a read error */
static int
lines_end(struct route_file *f)
{
	if (!ferror(f->f))
		return 0;
	snprintf(f->err, sizeof f->err, "%s: read error: %s", f->name, strerror(errno));
	return -1;
}

/* route_parse's "column N: msg" as "FILE:LINE:COL: msg": the text parsed
 * holds line's bytes from offset at on, its column base there */
static int
text_error(struct route_file *f, const char *e, unsigned long line, size_t at, size_t base)
{
	const char *msg = strchr(e, ':');

	snprintf(f->err, sizeof f->err, "%s:%lu:%zu:%s", f->name, line,
	    base + strtoul(e + 7, NULL, 10) - at, msg ? msg + 1 : e);
	return -1;
}

/* ---- BIRD's `show route all` output ---- */

static bool
starts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && !memcmp(s, w, k);
}

/* "BIRD 2.0.12 ready.", "Table master4:": what birdc prints before routes */
static bool
bird_banner(const char *s, size_t n)
{
	while (n && is_space(s[n - 1]))
		n--;
	return (starts(s, n, "BIRD ") && n > 6 && !memcmp(s + n - 6, "ready.", 6)) ||
	       (starts(s, n, "Table ") && s[n - 1] == ':');
}

/* bytes s of line `line` from its column col (0-based) onto the route */
static void
blk_add(struct route_file *f, const char *s, size_t n, size_t col)
{
	if (f->blk_len + n + 2 > f->blk_cap) {
		f->blk_cap = 2 * (f->blk_len + n + 2);
		f->blk = xrealloc(f->blk, f->blk_cap);
	}
	if (f->nsegs == f->cap_segs) {
		f->cap_segs = f->cap_segs ? 2 * f->cap_segs : 16;
		f->segs = xrealloc(f->segs, f->cap_segs * sizeof *f->segs);
	}
	if (f->blk_len)
		f->blk[f->blk_len++] = ' ';
	f->segs[f->nsegs++] = (struct seg){ f->blk_len, f->lineno, col };
	memcpy(f->blk + f->blk_len, s, n);
	f->blk_len += n;
	f->blk[f->blk_len] = 0;
}

/* the gathered route parsed; an error names the line and column its
 * piece came from */
static int
bird_route(struct route_file *f, net_addr *net, struct rta **attrs)
{
	char e[ROUTE_ERR_MAX];
	int r = route_parse(f->blk, f->blk_len, net, &f->cur, e);

	size_t nsegs = f->nsegs;

	f->blk_len = f->nsegs = 0;
	if (r < 0) {	/* the piece the column is in: its line and place */
		size_t col = strtoul(e + 7, NULL, 10), k = 0;
		while (k + 1 < nsegs && f->segs[k + 1].at < col)
			k++;
		return text_error(f, e, f->segs[k].line, f->segs[k].at, f->segs[k].col);
	}
	*attrs = f->cur;
	return 1;
}

/* a header line: the prefix, then what BIRD says of the route (dest,
 * [protocol time ...], * (preference)); a line starting with blanks is
 * another route of the previous prefix */
static int
bird_header(struct route_file *f, const char *s, size_t n)
{
	size_t k = 0;

	f->skip_more = true;	/* a "\t\t" line continues an attribute, not this */
	if (is_space(s[0])) {
		if (!f->pfx[0]) {
			snprintf(f->err, sizeof f->err, "%s:%lu:1: a route of no prefix (a "
			    "continuation line before any prefix)", f->name, f->lineno);
			return -1;
		}
		while (k < n && is_space(s[k]))
			k++;
		blk_add(f, f->pfx, strlen(f->pfx), k);
		return 0;
	}
	while (k < n && !is_space(s[k]))
		k++;
	if (k >= sizeof f->pfx) {
		snprintf(f->err, sizeof f->err, "%s:%lu:1: expected a prefix, found '%.*s'",
		    f->name, f->lineno, (int)(k < 60 ? k : 60), s);
		return -1;
	}
	memcpy(f->pfx, s, k);
	f->pfx[k] = 0;
	blk_add(f, s, k, 0);
	return 0;
}

/* the next route of BIRD's output; 1, 0 at the end, -1 on error */
static int
bird_next(struct route_file *f, net_addr *net, struct rta **attrs)
{
	size_t len;

	for (;;) {
		if (f->redo) {
			f->redo = false;
			len = f->redo_len;
		} else if (!next_line(f, &len)) {
			if (lines_end(f) < 0)
				return -1;
			return f->nsegs ? bird_route(f, net, attrs) : 0;
		} else {
			f->lineno++;
		}
		const char *s = f->line;
		size_t k = 0;
		while (k < len && is_space(s[k]))
			k++;
		if (s[0] == '\t' && len > 1 && s[1] == '\t') {	/* a long value, continued */
			if (f->nsegs && !f->skip_more)
				blk_add(f, s + k, len - k, k);
			continue;
		}
		if (s[0] == '\t') {	/* an attribute of the route */
			if (!f->nsegs) {
				snprintf(f->err, sizeof f->err, "%s:%lu:1: an attribute line "
				    "before any route", f->name, f->lineno);
				return -1;
			}
			/* BGP attributes; Type:, via, dev and other protocols' are not
			 * what a BGP route carries */
			f->skip_more = !starts(s + 1, len - 1, "BGP.");
			if (!f->skip_more) {
				/* BIRD cuts a long AS path short with "..." */
				if (starts(s + 1, len - 1, "BGP.as_path:") && len >= 3 &&
				    !memcmp(s + len - 3, "...", 3)) {
					snprintf(f->err, sizeof f->err, "%s:%lu:%zu: the AS path is cut "
					    "short (BIRD prints \"...\" for one this long)", f->name,
					    f->lineno, len - 2);
					return -1;
				}
				blk_add(f, s + 1, len - 1, 1);
			}
			continue;
		}
		if (f->nsegs) {		/* this line ends the route gathered: that first */
			f->redo = true;
			f->redo_len = len;
			return bird_route(f, net, attrs);
		}
		if (k == len)
			continue;
		if (bird_banner(s, len))
			f->pfx[0] = 0;	/* a new table: no prefix yet */
		else if (bird_header(f, s, len) < 0)
			return -1;
	}
}

int
route_file_next(struct route_file *f, net_addr *net, struct rta **attrs,
    struct route_peer *peer)
{
	if (f->mrt) {
		int r = mrt_next(f->mrt, net, attrs, peer);
		if (r < 0)
			snprintf(f->err, sizeof f->err, "%s: %s", f->name, mrt_error(f->mrt));
		return r;
	}
	rta_unref(f->cur);
	f->cur = NULL;
	if (peer)
		memset(peer, 0, sizeof *peer);
	if (f->bird > 0)
		return bird_next(f, net, attrs);
	for (;;) {
		size_t len, k = 0;
		if (!next_line(f, &len))
			return lines_end(f);
		f->lineno++;
		while (k < len && is_space(f->line[k]))
			k++;
		if (k == len || f->line[k] == '#')
			continue;	/* blank lines and comments */
		if (f->bird < 0) {	/* the first line says which form */
			f->bird = bird_banner(f->line, len);
			if (f->bird)	/* the banner says nothing more */
				return bird_next(f, net, attrs);
		}
		char e[ROUTE_ERR_MAX];
		if (route_parse(f->line, len, net, &f->cur, e) < 0)
			return text_error(f, e, f->lineno, 0, 0);
		*attrs = f->cur;
		return 1;
	}
}

const char *
route_file_error(const struct route_file *f)
{
	return f->err;
}

bool
route_file_is_mrt(const struct route_file *f)
{
	return f->mrt != NULL;
}

const struct mrt_reader *
route_file_mrt(const struct route_file *f)
{
	return f->mrt;
}

void
route_file_close(struct route_file *f)
{
	if (!f)
		return;
	if (f->mrt)
		mrt_close(f->mrt);
	if (f->own && f->f)
		fclose(f->f);
	rta_unref(f->cur);
	free(f->blk);
	free(f->segs);
	free(f->pre);
	free(f->line);
	free(f->name);
	free(f);
}
