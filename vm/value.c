/*
 * Filter values: type names, ordering and the printer. Values are printed
 * exactly as `birdc eval` prints them in BIRD 2 (ints unsigned, booleans
 * TRUE/FALSE, strings bare, sets sorted by their lower bound), so `eval`
 * output and `show symbols` stay comparable with BIRD's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/tbuf.h"
#include "vm/vm.h"

static const char *const type_names[] = {
	[T_VOID] = "void",
	[T_INT] = "int",
	[T_BOOL] = "bool",
	[T_PAIR] = "pair",
	[T_QUAD] = "quad",
	[T_STRING] = "string",
	[T_IP] = "ip",
	[T_NET] = "prefix",
	[T_LC] = "lc",
	[T_RD] = "rd",
	[T_SET] = "set",
	[T_PREFIX_SET] = "prefix set",
	[T_EC] = "ec",
	[T_BYTESTRING] = "bytestring",
	[T_PATH] = "bgppath",
	[T_PATH_MASK] = "bgpmask",
	[T_CLIST] = "clist",
	[T_ECLIST] = "eclist",
	[T_LCLIST] = "lclist",
	[T_ENUM_RTS] = "enum rts",
	[T_ENUM_SCOPE] = "enum scope",
	[T_ENUM_RTD] = "enum rtd",
	[T_ENUM_BGP_ORIGIN] = "enum bgp_origin",
	[T_ENUM_NET_TYPE] = "enum nettype",
	[T_ENUM_ROA] = "enum roa",
	[T_ENUM_RA_PREFERENCE] = "enum ra_preference",
	[T_ENUM_AF] = "enum af",
};

const char *
f_type_name(enum f_type t)
{
	if ((unsigned)t < sizeof type_names / sizeof type_names[0] && type_names[t])
		return type_names[t];
	return "?";
}

static int
u32cmp(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

int
val_compare(const struct f_val *a, const struct f_val *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	switch (a->type) {
	case T_INT:
	case T_BOOL:
	case T_PAIR:
	case T_QUAD:
		return u32cmp(a->v.i, b->v.i);
	case T_RD:
		return a->v.rd < b->v.rd ? -1 : a->v.rd > b->v.rd;
	case T_EC:
		return a->v.ec < b->v.ec ? -1 : a->v.ec > b->v.ec;
	case T_ENUM_RTS: case T_ENUM_SCOPE: case T_ENUM_RTD: case T_ENUM_BGP_ORIGIN:
	case T_ENUM_NET_TYPE: case T_ENUM_ROA: case T_ENUM_RA_PREFERENCE: case T_ENUM_AF:
		return u32cmp(a->v.i, b->v.i);
	case T_STRING:
		return strcmp(a->v.s, b->v.s);
	case T_BYTESTRING: {
		/* BIRD orders bytestrings by length first, then bytes */
		if (a->v.d.len != b->v.d.len)
			return u32cmp(a->v.d.len, b->v.d.len);
		int c = a->v.d.len ? memcmp(a->v.d.p, b->v.d.p, a->v.d.len) : 0;
		return c < 0 ? -1 : c > 0;
	}
	case T_IP:
		return ip_cmp(a->v.ip, b->v.ip);
	case T_NET:
		return net_cmp(&a->v.net, &b->v.net);
	case T_LC:
		if (a->v.lc.asn != b->v.lc.asn)
			return u32cmp(a->v.lc.asn, b->v.lc.asn);
		if (a->v.lc.ldp1 != b->v.lc.ldp1)
			return u32cmp(a->v.lc.ldp1, b->v.lc.ldp1);
		return u32cmp(a->v.lc.ldp2, b->v.lc.ldp2);
	default:
		/* sets and void have no order; identity is enough for sorting */
		return 0;
	}
}

int
val_same(const struct f_val *a, const struct f_val *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == T_SET || a->type == T_PREFIX_SET) {
		const struct f_set *x = a->v.set, *y = b->v.set;
		if (x->n != y->n)
			return 0;
		for (unsigned k = 0; k < x->n; k++) {
			if (a->type == T_SET) {
				if (val_compare(&x->r[k].from, &y->r[k].from) ||
				    val_compare(&x->r[k].to, &y->r[k].to))
					return 0;
			} else if (!net_eq(&x->p[k].net, &y->p[k].net) ||
				   x->p[k].lo != y->p[k].lo || x->p[k].hi != y->p[k].hi)
				return 0;
		}
		return 1;
	}
	return val_compare(a, b) == 0;
}

/* An output buffer that counts what it could not hold (snprintf-style). */

/* A prefix pattern's lengths as BIRD's trie prints them: bit (max - l) of
 * an address-sized mask for each accepted length l > 0. */
static void
put_patt(struct tbuf *o, const struct f_prefix_patt *p)
{
	char b[NET_STR_MAX];
	unsigned max = net_max_pxlen(&p->net);
	ip_addr m = { { 0, 0, 0, 0 } };
	int any = 0;

	tbuf_printf(o, "%s", net_format(&p->net, b));
	for (unsigned l = p->lo ? p->lo : 1; l <= p->hi; l++) {
		unsigned bit = max - l;		/* from the least significant end */
		m.w[3 - bit / 32] |= 1u << (bit % 32);
		any = 1;
	}
	if (!any)
		return;
	if (max == 32)
		m = ip4_from_u32(m.w[3]);
	tbuf_printf(o, "{%s}", max == 32 ? ip_format(m, b) : ip6_format(m, b));
}

static void
put_val(struct tbuf *o, const struct f_val *v)
{
	char b[NET_STR_MAX];

	switch (v->type) {
	case T_VOID:
		tbuf_printf(o, "(void)");
		break;
	case T_INT:
		tbuf_printf(o, "%u", v->v.i);
		break;
	case T_BOOL:
		tbuf_printf(o, "%s", v->v.i ? "TRUE" : "FALSE");
		break;
	case T_PAIR:
		tbuf_printf(o, "(%u,%u)", v->v.i >> 16, v->v.i & 0xffff);
		break;
	case T_QUAD:
		tbuf_printf(o, "%u.%u.%u.%u", v->v.i >> 24, (v->v.i >> 16) & 0xff,
		    (v->v.i >> 8) & 0xff, v->v.i & 0xff);
		break;
	case T_STRING:
		tbuf_printf(o, "%s", v->v.s);
		break;
	case T_BYTESTRING:
		/* as BIRD prints them: colon-separated hex pairs */
		for (uint32_t k = 0; k < v->v.d.len; k++)
			tbuf_printf(o, k ? ":%02x" : "%02x", ((const uint8_t *)v->v.d.p)[k]);
		break;
	case T_IP:
		tbuf_printf(o, "%s", ip_format(v->v.ip, b));
		break;
	case T_NET:
		tbuf_printf(o, "%s", net_format(&v->v.net, b));
		break;
	case T_LC:
		tbuf_printf(o, "(%u, %u, %u)", v->v.lc.asn, v->v.lc.ldp1, v->v.lc.ldp2);
		break;
	case T_RD: {
		unsigned type = (unsigned)(v->v.rd >> 48);
		if (type == 1) {
			uint32_t a = (uint32_t)(v->v.rd >> 16);
			tbuf_printf(o, "%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
			    a & 0xff, (unsigned)(v->v.rd & 0xffff));
		} else if (type == 2)	/* a 2-byte ASN says its type, as BIRD prints it */
			tbuf_printf(o, "%s%u:%u", (v->v.rd >> 16 & 0xffffffffu) <= 0xffff ? "2:" : "",
			    (unsigned)(v->v.rd >> 16) & 0xffffffffu, (unsigned)(v->v.rd & 0xffff));
		else
			tbuf_printf(o, "%u:%u", (unsigned)(v->v.rd >> 32) & 0xffff,
			    (unsigned)(v->v.rd & 0xffffffffu));
		break;
	}
	case T_EC: {
		unsigned kind = (unsigned)(v->v.ec >> 48);
		const char *k = (kind & 0xff) == 2 ? "rt" : (kind & 0xff) == 3 ? "ro" : NULL;
		if (!k)
			tbuf_printf(o, "(generic, 0x%x, 0x%x)", (unsigned)(v->v.ec >> 32),
			    (unsigned)v->v.ec);
		else if ((kind >> 8) == 1)	/* ip4 admin */
			tbuf_printf(o, "(%s, %u.%u.%u.%u, %u)", k, (unsigned)(v->v.ec >> 40) & 0xff,
			    (unsigned)(v->v.ec >> 32) & 0xff, (unsigned)(v->v.ec >> 24) & 0xff,
			    (unsigned)(v->v.ec >> 16) & 0xff, (unsigned)(v->v.ec & 0xffff));
		else if ((kind >> 8) == 2)	/* 4-byte asn */
			tbuf_printf(o, "(%s, %u, %u)", k, (unsigned)(v->v.ec >> 16) & 0xffffffffu,
			    (unsigned)(v->v.ec & 0xffff));
		else
			tbuf_printf(o, "(%s, %u, %u)", k, (unsigned)(v->v.ec >> 32) & 0xffff,
			    (unsigned)(v->v.ec & 0xffffffffu));
		break;
	}
	case T_ENUM_RTS: case T_ENUM_SCOPE: case T_ENUM_RTD: case T_ENUM_BGP_ORIGIN:
	case T_ENUM_NET_TYPE: case T_ENUM_ROA: case T_ENUM_RA_PREFERENCE: case T_ENUM_AF:
		tbuf_printf(o, "(enum %x)%u", (unsigned)v->type, v->v.i);
		break;
	case T_SET:
		tbuf_printf(o, "[");
		for (unsigned k = 0; k < v->v.set->n; k++) {
			const struct f_range *r = &v->v.set->r[k];
			tbuf_printf(o, "%s", k ? ", " : "");
			put_val(o, &r->from);
			if (!val_same(&r->from, &r->to)) {
				tbuf_printf(o, "..");
				put_val(o, &r->to);
			}
		}
		tbuf_printf(o, "]");
		break;
	case T_PREFIX_SET:
		tbuf_printf(o, "[");
		for (unsigned k = 0; k < v->v.set->n; k++) {
			tbuf_printf(o, "%s", k ? ", " : "");
			put_patt(o, &v->v.set->p[k]);
		}
		tbuf_printf(o, "]");
		break;
	default:	/* lists, paths and masks exist only at run time */
		tbuf_printf(o, "(%s)", f_type_name(v->type));
		break;
	}
}

size_t
val_format(const struct f_val *v, char *buf, size_t len)
{
	struct tbuf o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	put_val(&o, v);
	if (len && o.pos >= len)
		buf[len - 1] = 0;
	return o.pos;
}
