/*
 * Routes as text, in BIRD 2's words: the route line and next hops of
 * `show route`, the `Type:` line and one line per attribute of `show route
 * all`, and the same attribute lines for birch-check (to a stream, with
 * marks for what a filter changed).
 *
 * One table (bgp_names) holds the name BIRD prints after "BGP." for each
 * BGP attribute; the text route reader (tools/routes.c) looks names up here
 * too, so a printed route reads back. Values are formatted from the
 * interned set as the BGP codec stores them (core/attr.h): AS paths as AS4
 * wire segments, communities as host-order words. A value never overruns
 * the caller's buffer: rta_attr_format is snprintf-like.
 *
 * The daemon's lines are handed to the caller's emit function with BIRD's
 * reply codes (1007 for a route and its next hops, 1008 for `Type:`, 1012
 * for attributes); the caller supplies the protocol name and time text, so
 * this file needs nothing but the attribute set and the route.
 */
#include "core/tbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/iface.h"
#include "core/mem.h"
#include "core/table.h"

/* BGP attributes by id: the name after "BGP." (BIRD's print order is id order) */
static const struct {
	uint16_t id;		/* EA_* */
	const char *name;	/* "as_path" */
} bgp_names[] = {
	{ EA_BGP_ORIGIN, "origin" },
	{ EA_BGP_AS_PATH, "as_path" },
	{ EA_BGP_NEXT_HOP, "next_hop" },
	{ EA_BGP_MED, "med" },
	{ EA_BGP_LOCAL_PREF, "local_pref" },
	{ EA_BGP_ATOMIC_AGGR, "atomic_aggr" },
	{ EA_BGP_AGGREGATOR, "aggregator" },
	{ EA_BGP_COMMUNITY, "community" },
	{ EA_BGP_ORIGINATOR_ID, "originator_id" },
	{ EA_BGP_CLUSTER_LIST, "cluster_list" },
	{ EA_BGP_EXT_COMMUNITY, "ext_community" },
	{ EA_BGP_LARGE_COMMUNITY, "large_community" },
	{ EA_BGP_OTC, "otc" },
};

static const char *const src_names[RTS_MAX] = {
	"dummy", "static", "inherit", "device", "static-device", "redirect", "RIP", "OSPF",
	"OSPF-IA", "OSPF-E1", "OSPF-E2", "BGP", "pipe", "Babel", "RPKI",
};

static const char *const scope_names[] = { "host", "link", "site", "org", "univ", "undef" };

const char *
rta_attr_name(unsigned id)
{
	for (size_t i = 0; i < sizeof bgp_names / sizeof bgp_names[0]; i++)
		if (bgp_names[i].id == id)
			return bgp_names[i].name;
	return NULL;
}

const char *
rta_source_name(unsigned source)
{
	return source < RTS_MAX ? src_names[source] : "?";
}

const char *
rta_scope_name(unsigned scope)
{
	return scope_names[scope <= SCOPE_UNDEFINED ? scope : SCOPE_UNDEFINED];
}

const char *
rta_dest_name(unsigned dest)
{
	switch (dest) {
	case RTD_UNICAST: return "unicast";
	case RTD_BLACKHOLE: return "blackhole";
	case RTD_UNREACHABLE: return "unreachable";
	case RTD_PROHIBIT: return "prohibited";
	default: return "???";
	}
}

/* ---- attribute values ---- */

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* AS4 wire segments: sequences bare, sets in {}, confed ones in () and ({}) */
static void
put_path(struct tbuf *o, const uint8_t *p, size_t len)
{
	static const char *const open[] = { "", "{", "", "(", "({" };
	static const char *const close[] = { "", "}", "", ")", "})" };
	bool first = true;

	while (len >= 2 && len >= 2 + 4 * (size_t)p[1]) {
		unsigned t = p[0] <= 4 ? p[0] : 0, n = p[1];
		tbuf_printf(o, "%s%s", first ? "" : " ", open[t]);
		for (unsigned i = 0; i < n; i++)
			tbuf_printf(o, i + 1 < n ? "%u " : "%u", be32(p + 2 + 4 * i));
		tbuf_printf(o, "%s", close[t]);
		first = false;
		p += 2 + 4 * (size_t)n;
		len -= 2 + 4 * (size_t)n;
	}
}

static void
put_ec(struct tbuf *o, uint32_t hi, uint32_t lo)
{
	unsigned type = hi >> 16;
	char ipb[IP_STR_MAX], tb[24];
	const char *kind = (type & 0xf0ff) == 2 ? "rt" : (type & 0xf0ff) == 3 ? "ro" : NULL;

	if (!kind) {
		snprintf(tb, sizeof tb, "unknown 0x%x", type);
		kind = tb;
	}
	switch (hi >> 24) {
	case 0x00:
	case 0x40:
		tbuf_printf(o, "(%s, %u, %u)", kind, hi & 0xffff, lo);
		break;
	case 0x01:
	case 0x41:
		tbuf_printf(o, "(%s, %s, %u)", kind, ip_format(ip4_from_u32(hi << 16 | lo >> 16), ipb),
		    lo & 0xffff);
		break;
	case 0x02:
	case 0x42:
		tbuf_printf(o, "(%s, %u, %u)", kind, hi << 16 | lo >> 16, lo & 0xffff);
		break;
	default:
		tbuf_printf(o, "(generic, 0x%x, 0x%x)", hi, lo);
	}
}

size_t
rta_attr_format(const struct rta *a, const struct eattr *e, char *buf, size_t len)
{
	static const char *const origins[] = { "IGP", "EGP", "Incomplete" };
	const char *name = rta_attr_name(e->id);
	struct tbuf o = { buf, len, 0 };
	const void *data = NULL;
	uint32_t dl = 0;
	char b[IP_STR_MAX];

	if (len)
		buf[0] = 0;
	if (ea_type_has_data(e->type))
		ea_data(a, e, &data, &dl);
	const uint8_t *d8 = data;
	const uint32_t *d32 = data;

	if (name)
		tbuf_printf(&o, "BGP.%s: ", name);
	else if (EA_PROTO(e->id) == EAP_BGP)	/* as BIRD 2.0 names unknown ones */
		tbuf_printf(&o, "BGP.%02x%s: ", e->id & 0xff, e->flags & EAF_BGP_TRANSITIVE ? " [t]" : "");
	else
		tbuf_printf(&o, "%02x.%02x: ", EA_PROTO(e->id), e->id & 0xff);

	if (e->id == EA_BGP_ORIGIN) {
		tbuf_printf(&o, "%s", e->val < 3 ? origins[e->val] : "?");
	} else if (e->id == EA_BGP_AGGREGATOR && dl == 8) {
		tbuf_printf(&o, "%s AS%u", ip_format(ip4_from_u32(be32(d8 + 4)), b), be32(d8));
	} else if (e->id == EA_BGP_COMMUNITY) {
		for (uint32_t i = 0; i < dl / 4; i++)
			tbuf_printf(&o, "%s(%u,%u)", i ? " " : "", d32[i] >> 16, d32[i] & 0xffff);
	} else {
		switch (e->type) {
		case EAF_INT:
		case EAF_ENUM:
			tbuf_printf(&o, "%u", e->val);
			break;
		case EAF_ROUTER_ID:
			tbuf_printf(&o, "%s", rid_format(e->val, b));
			break;
		case EAF_IP:
			if (dl == sizeof(uint32_t)) {	/* an IPv4 address stored short */
				tbuf_printf(&o, "%s", ip_format(ip4_from_u32(d32[0]), b));
				break;
			}
			for (uint32_t i = 0; i < dl / sizeof(ip_addr); i++) {
				ip_addr x;
				memcpy(&x, d8 + i * sizeof x, sizeof x);
				tbuf_printf(&o, "%s%s", i ? " " : "", ip_format(x, b));
			}
			break;
		case EAF_AS_PATH:
			put_path(&o, d8, dl);
			break;
		case EAF_INT_SET:	/* the cluster list: quads */
			for (uint32_t i = 0; i < dl / 4; i++)
				tbuf_printf(&o, "%s%s", i ? " " : "", rid_format(d32[i], b));
			break;
		case EAF_EC_SET:
			for (uint32_t i = 0; i < dl / 8; i++) {
				tbuf_printf(&o, "%s", i ? " " : "");
				put_ec(&o, d32[2 * i], d32[2 * i + 1]);
			}
			break;
		case EAF_LC_SET:
			for (uint32_t i = 0; i < dl / 12; i++)
				tbuf_printf(&o, "%s(%u, %u, %u)", i ? " " : "", d32[3 * i], d32[3 * i + 1],
				    d32[3 * i + 2]);
			break;
		default:	/* opaque: bytes in hex, as BIRD's opaque_format */
			for (uint32_t i = 0; i < dl; i++)
				tbuf_printf(&o, "%s%02x", i ? " " : "", d8[i]);
			break;
		}
	}
	if (len && o.pos >= len)
		buf[len - 1] = 0;
	return o.pos;
}

/* ---- birch-check: attribute lines to a stream ---- */

/* the attribute's text in a malloc'd string */
static char *
attr_text(const struct rta *a, const struct eattr *e)
{
	char small[256];
	size_t n = rta_attr_format(a, e, small, sizeof small);

	if (n < sizeof small)
		return xstrdup(small);
	char *big = xmalloc(n + 1);
	rta_attr_format(a, e, big, n + 1);
	return big;
}

static bool
ea_equal(const struct rta *a, const struct eattr *x, const struct rta *b, const struct eattr *y)
{
	const void *p, *q;
	uint32_t pl, ql;

	if (x->type != y->type || x->flags != y->flags)
		return false;
	if (!ea_type_has_data(x->type))
		return x->val == y->val;
	ea_data(a, x, &p, &pl);
	ea_data(b, y, &q, &ql);
	return pl == ql && !memcmp(p, q, pl);
}

void
rta_print(FILE *out, const struct rta *a, const struct rta *before)
{
	fprintf(out, "\tType: %s %s\n", rta_source_name(a->source),
	    a->scope <= SCOPE_UNDEFINED ? scope_names[a->scope] : "?");

	/* merge the two id-sorted attribute arrays */
	const struct eattr *x = rta_eattrs(a), *y = before ? rta_eattrs(before) : NULL;
	unsigned i = 0, j = 0, nx = a->ea_count, ny = before ? before->ea_count : 0;
	while (i < nx || j < ny) {
		if (j >= ny || (i < nx && x[i].id < y[j].id)) {
			char *s = attr_text(a, &x[i++]);
			fprintf(out, "%s\t%s\n", before ? "+" : "", s);
			free(s);
		} else if (i >= nx || y[j].id < x[i].id) {
			char *s = attr_text(before, &y[j++]);
			fprintf(out, "-\t%s\n", s);
			free(s);
		} else {
			char *s = attr_text(a, &x[i]);
			if (ea_equal(a, &x[i], before, &y[j]))
				fprintf(out, "\t%s\n", s);
			else {
				char *old = attr_text(before, &y[j]);
				const char *v = strchr(old, ':');
				fprintf(out, "*\t%s [was:%s]\n", s, v ? v + 1 : old);
				free(old);
			}
			free(s);
			i++, j++;
		}
	}
}

/* ---- the daemon: show route lines ---- */

void
rte_format(const struct rte *e, const struct rte_show_ctx *x, rte_emit_fn emit, void *arg)
{
	char line[RTE_LINE_MAX], gw[IP_STR_MAX];
	const struct rta *a = e->attrs;

	snprintf(line, sizeof line, "%-20s %s [%s %s]%s (%u)", x->prefix, rta_dest_name(a->dest),
		 x->proto, x->since, x->primary ? " *" : "", e->pref);
	emit(arg, 1007, line);
	if (a->dest == RTD_UNICAST) {
		const struct nexthop *nh = rta_nexthops(a);
		for (unsigned i = 0; i < a->nh_count; i++) {
			char weight[24] = "";
			if (a->nh_count > 1)
				snprintf(weight, sizeof weight, " weight %u", nh[i].weight + 1u);
			/* BIRD: `dev IFACE` for a direct next hop (never a weight),
			 * `via GW on IFACE`; a next hop of no known interface
			 * (birch-check's routes) as written */
			const char *ifn = if_name_of(nh[i].ifindex), *ol =
				nh[i].flags & RNF_ONLINK ? " onlink" : "";
			bool dev = !nh[i].gw.w[0] && !nh[i].gw.w[1] && !nh[i].gw.w[2] && !nh[i].gw.w[3];
			if (ifn && dev)
				snprintf(line, sizeof line, "\tdev %s%s", ifn, ol);
			else
				snprintf(line, sizeof line, "\tvia %s%s%s%s%s", ip_format(nh[i].gw, gw),
					 ifn ? " on " : "", ifn ? ifn : "", ol, weight);
			emit(arg, 1007, line);
		}
	}
	if (!x->verbose)
		return;
	snprintf(line, sizeof line, "\tType: %s %s", rta_source_name(a->source),
		 rta_scope_name(a->scope));
	emit(arg, 1008, line);
	const struct eattr *ea = rta_eattrs(a);
	for (unsigned i = 0; i < a->ea_count; i++) {
		line[0] = '\t';
		rta_attr_format(a, &ea[i], line + 1, sizeof line - 1);
		emit(arg, 1012, line);
	}
}
