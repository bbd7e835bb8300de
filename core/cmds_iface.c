/*
 * `show interfaces [summary]`: the interface registry (core/iface.h) in
 * BIRD 2.0.12's words and reply codes. Per interface, 1001 its name,
 * state, index and master, 1004 its flags and MTU, 1003 its addresses
 * (one line each, continuations after the first); the summary is a 2005
 * heading and one 1005 row per interface with its preferred IPv4 and
 * global IPv6 addresses.
 */
#include <stdio.h>

#include "core/cli_int.h"
#include "core/iface.h"

static bool
end_or(struct cli *c, const struct cli_tok *a, const char *expecting)
{
	if (a->type == TOK_END)
		return true;
	cli_syntax_error(c, a, expecting);
	return false;
}

/* one address line; lines after the first of a reply code go out as
 * continuations, as BIRD sends them */
static void
show_addr(struct cli *c, const struct ifa *a)
{
	char ip[IP_STR_MAX], op[IP_STR_MAX], opp[IP_STR_MAX + 16] = "";

	if (a->flags & IA_OPPOSITE)
		snprintf(opp, sizeof opp, "opposite %s, ", ip_format(a->opposite, op));
	cli_msg(c, -1003, "\t%s/%u (%s%s%sscope %s)", ip_format(a->ip, ip),
		a->prefix.pxlen, a->flags & IA_PREFERRED ? "Preferred, " : "",
		a->flags & IA_SECONDARY ? "Secondary, " : "", opp, if_scope_name(a->scope));
}

void
cmd_show_interfaces(struct cli *c, const struct cli_tok *a)
{
	if (!end_or(c, a, "END or SUMMARY"))
		return;
	for (const struct iface *i = if_first(); i; i = i->next) {
		const char *m = i->master ? if_name_of(i->master) : NULL;
		cli_msg(c, -1001, "%s %s (index=%u%s%s)", i->name, i->flags & IF_UP ? "up" : "down",
			i->index, m ? " master=" : "", m ? m : "");
		cli_msg(c, -1004, "\t%s%s%s%s%s%s%sMTU=%u",
			i->flags & IF_MULTIACCESS ? "MultiAccess " : "PtP ",
			i->flags & IF_BROADCAST ? "Broadcast " : "",
			i->flags & IF_MULTICAST ? "Multicast " : "",
			i->flags & IF_UP ? "AdminUp " : "AdminDown ",
			i->flags & IF_LINK_UP ? "LinkUp " : "LinkDown ",
			i->flags & IF_LOOPBACK ? "Loopback " : "",
			i->flags & IF_IGNORE ? "Ignored " : "", i->mtu);
		for (const struct ifa *x = i->addrs; x; x = x->next)
			show_addr(c, x);
	}
	cli_msg(c, 0, "%s", "");
}

static void
pref_text(const struct iface *i, int cls, char *buf, size_t len)
{
	const struct ifa *a = if_preferred(i, cls);
	char ip[IP_STR_MAX];

	if (a)
		snprintf(buf, len, "%s/%u", ip_format(a->ip, ip), a->prefix.pxlen);
	else
		buf[0] = 0;
}

void
cmd_show_interfaces_summary(struct cli *c, const struct cli_tok *a)
{
	char v4[NET_STR_MAX], v6[NET_STR_MAX];

	if (!end_or(c, a, "END"))
		return;
	cli_msg(c, -2005, "%-10s %-6s %-18s %s", "Interface", "State", "IPv4 address", "IPv6 address");
	for (const struct iface *i = if_first(); i; i = i->next) {
		pref_text(i, 4, v4, sizeof v4);
		pref_text(i, 6, v6, sizeof v6);
		cli_msg(c, -1005, "%-10s %-6s %-18s %s", i->name, i->flags & IF_UP ? "up" : "down",
			v4, v6);
	}
	cli_msg(c, 0, "%s", "");
}
