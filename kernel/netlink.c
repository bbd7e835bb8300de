/*
 * Netlink for the Linux side: rtnetlink messages parsed and checked, and
 * the sockets they come on (libmnl underneath).
 *
 * Data flow: a buffer read from a socket goes through nl_walk, which
 * checks each message's header against the bytes at hand; the device
 * protocol hands each link or address message to nl_parse_link /
 * nl_parse_addr, which check the fixed part and every attribute (length
 * inside the message, payload size of the attributes read) and fill a
 * plain struct; nl_link_info / nl_addr_info turn that into what the
 * interface registry takes, with BIRD's view of flags and addresses. A
 * malformed message is reported to the caller, which logs and skips it:
 * nothing here trusts a length it has not checked.
 *
 * Dumps (RTM_GETLINK, RTM_GETADDR) run synchronously on a socket of their
 * own, as BIRD's scans do: a local kernel answers in microseconds, and a
 * receive timeout bounds a kernel that does not. Changes arrive on a
 * second, non-blocking socket bound to the multicast groups.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "core/attr.h"
#include "core/mem.h"
#include "kernel/kernel_int.h"

enum {
	NL_BUF = 65536,		/* one read; a dump message never exceeds a page */
	NL_DUMP_TIMEOUT = 2,	/* seconds a dump may wait for the kernel */
};

/* ---- parsing ---- */

/* the payload after a header (NLMSG_DATA without dropping const) */
static const void *
msg_data(const struct nlmsghdr *h)
{
	return (const uint8_t *)h + NLMSG_HDRLEN;
}

/*
 * The attributes after the fixed part (off bytes) of h: calls fn for each
 * with its type and payload. NL_BAD when an attribute runs past the
 * message or is shorter than its own header.
 */
static int
walk_attrs(const struct nlmsghdr *h, size_t off,
	   int (*fn)(unsigned type, const void *p, size_t len, void *arg), void *arg,
	   char *err, size_t errlen)
{
	const uint8_t *base = (const uint8_t *)h;
	size_t pos = NLMSG_HDRLEN + NLMSG_ALIGN(off), end = h->nlmsg_len;

	while (pos + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const struct nlattr *)(const void *)(base + pos);
		if (a->nla_len < sizeof(struct nlattr) || a->nla_len > end - pos) {
			snprintf(err, errlen, "attribute %u of length %u past the message",
				 a->nla_type & NLA_TYPE_MASK, a->nla_len);
			return NL_BAD;
		}
		int r = fn(a->nla_type & NLA_TYPE_MASK, a + 1, a->nla_len - sizeof *a, arg);
		if (r < 0) {
			snprintf(err, errlen, "attribute %u has a bad length %zu",
				 a->nla_type & NLA_TYPE_MASK, a->nla_len - sizeof *a);
			return NL_BAD;
		}
		pos += NLA_ALIGN(a->nla_len);
	}
	return NL_OK;
}

static uint32_t
get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static int
link_attr(unsigned type, const void *p, size_t len, void *arg)
{
	struct nl_link *l = arg;

	switch (type) {
	case IFLA_IFNAME: {
		const char *s = p;
		size_t n = strnlen(s, len);
		/* a NUL within the payload, one to fifteen characters */
		if (n == len || n == 0 || n >= IF_NAME_MAX)
			return -1;
		memcpy(l->name, s, n + 1);
		return 0;
	}
	case IFLA_MTU:
		if (len < 4)
			return -1;
		l->mtu = get_u32(p);
		return 0;
	case IFLA_MASTER:
		if (len < 4)
			return -1;
		l->master = get_u32(p);
		return 0;
	default:
		return 0;
	}
}

int
nl_parse_link(const struct nlmsghdr *h, struct nl_link *out, char *err, size_t errlen)
{
	const struct ifinfomsg *ifi = (const struct ifinfomsg *)msg_data(h);

	memset(out, 0, sizeof *out);
	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) {
		snprintf(err, errlen, "message type %u is not a link", h->nlmsg_type);
		return NL_BAD;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)) {
		snprintf(err, errlen, "link message of %u bytes", h->nlmsg_len);
		return NL_BAD;
	}
	if (ifi->ifi_index <= 0) {
		snprintf(err, errlen, "link message for index %d", ifi->ifi_index);
		return NL_BAD;
	}
	out->index = (uint32_t)ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	if (walk_attrs(h, sizeof *ifi, link_attr, out, err, errlen) < 0)
		return NL_BAD;
	if (h->nlmsg_type == RTM_NEWLINK && !out->name[0]) {
		snprintf(err, errlen, "link %u without a name", out->index);
		return NL_BAD;
	}
	return NL_OK;
}

struct addr_ctx {
	struct nl_addr *a;	/* being filled */
	size_t alen;		/* address bytes of its family */
};

static ip_addr
ip_from_bytes(const uint8_t *p, size_t alen)
{
	if (alen == 4)
		return ip4_from_u32((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				    (uint32_t)p[2] << 8 | p[3]);
	ip_addr a;
	for (int i = 0; i < 4; i++)
		a.w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			 (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	return a;
}

static int
addr_attr(unsigned type, const void *p, size_t len, void *arg)
{
	struct addr_ctx *c = arg;

	switch (type) {
	case IFA_ADDRESS:
		if (len != c->alen)
			return -1;
		c->a->address = ip_from_bytes(p, len);
		c->a->has_address = true;
		return 0;
	case IFA_LOCAL:
		if (len != c->alen)
			return -1;
		c->a->local = ip_from_bytes(p, len);
		c->a->has_local = true;
		return 0;
	case IFA_BROADCAST:
		if (len != 4 || c->alen != 4)
			return -1;
		c->a->brd = ip_from_bytes(p, len);
		c->a->has_brd = true;
		return 0;
	case IFA_FLAGS:
		if (len < 4)
			return -1;
		c->a->flags = get_u32(p);
		return 0;
	default:
		return 0;
	}
}

int
nl_parse_addr(const struct nlmsghdr *h, struct nl_addr *out, char *err, size_t errlen)
{
	const struct ifaddrmsg *ifa = (const struct ifaddrmsg *)msg_data(h);

	memset(out, 0, sizeof *out);
	if (h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR) {
		snprintf(err, errlen, "message type %u is not an address", h->nlmsg_type);
		return NL_BAD;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *ifa)) {
		snprintf(err, errlen, "address message of %u bytes", h->nlmsg_len);
		return NL_BAD;
	}
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return NL_IGNORE;
	struct addr_ctx c = { out, ifa->ifa_family == AF_INET ? 4 : 16 };
	if (ifa->ifa_prefixlen > 8 * c.alen) {
		snprintf(err, errlen, "prefix length %u", ifa->ifa_prefixlen);
		return NL_BAD;
	}
	if (!ifa->ifa_index) {
		snprintf(err, errlen, "address message for index 0");
		return NL_BAD;
	}
	out->index = ifa->ifa_index;
	out->family = ifa->ifa_family;
	out->pxlen = ifa->ifa_prefixlen;
	out->flags = ifa->ifa_flags;
	if (walk_attrs(h, sizeof *ifa, addr_attr, &c, err, errlen) < 0)
		return NL_BAD;
	if (!out->has_local && !out->has_address) {
		snprintf(err, errlen, "address message without an address");
		return NL_BAD;
	}
	return NL_OK;
}

int
nl_walk(const void *buf, size_t len, int (*fn)(const struct nlmsghdr *h, void *arg), void *arg)
{
	const uint8_t *p = buf;
	int r = 0;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)p;
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return -1;
		if ((r = fn(h, arg)) < 0)
			return r;
		size_t step = NLMSG_ALIGN(h->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return r;
}

/* ---- what the registry takes ---- */

void
nl_link_info(const struct nl_link *l, struct if_info *out)
{
	uint32_t f = l->flags, o = 0;

	if (f & IFF_UP)
		o |= IF_UP;
	if (f & IFF_LOWER_UP)
		o |= IF_LINK_UP;
	if (!(f & IFF_POINTOPOINT))
		o |= IF_MULTIACCESS;
	if (f & IFF_BROADCAST)
		o |= IF_BROADCAST;
	/* BIRD takes broadcast and point-to-point links as multicast capable */
	if (f & (IFF_MULTICAST | IFF_BROADCAST | IFF_POINTOPOINT))
		o |= IF_MULTICAST;
	if (f & IFF_LOOPBACK)
		o |= IF_LOOPBACK | IF_IGNORE;
	out->index = l->index;
	out->name = l->name;
	out->flags = o;
	out->mtu = l->mtu;
	out->master = l->master;
}

static ip_addr
ip_xor_low(ip_addr a, uint32_t bits)
{
	a.w[3] ^= bits;
	return a;
}

int
nl_addr_info(const struct nl_addr *a, uint32_t if_flags, struct ifa_info *out,
	     bool *warn_brd, char *err, size_t errlen)
{
	bool v4 = a->family == AF_INET;
	unsigned max = v4 ? 32 : 128, scope;
	ip_addr ip = a->has_local ? a->local : a->address;

	memset(out, 0, sizeof *out);
	*warn_brd = false;
	out->ip = ip;
	bool peer = a->has_local && a->has_address && !ip_eq(a->local, a->address);
	/* a point-to-point address: the peer's prefix (the peer itself at /32) */
	ip_addr base = peer ? a->address : ip;
	out->prefix = v4 ? net_ip4(ip4_to_u32(base), a->pxlen) : net_ip6(base, a->pxlen);
	/* ip and prefix are set even when ignored, so a caller can delete it */
	if (!v4 && (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return NL_IGNORE;
	if (if_addr_class(ip, &scope) == IAC_INVALID) {
		char b[IP_STR_MAX];
		snprintf(err, errlen, "%s", ip_format(ip, b));
		return NL_BAD;
	}
	out->scope = (uint8_t)scope;
	if (a->flags & IFA_F_SECONDARY)
		out->flags |= IA_SECONDARY;
	if (peer) {
		out->flags |= IA_PEER;
		if (a->pxlen == max) {
			out->flags |= IA_OPPOSITE;
			out->opposite = a->address;
		}
		return NL_OK;
	}
	if (v4 && (a->pxlen == 30 || a->pxlen == 31)) {
		/* BIRD names the other host of a /30 or /31 as its opposite */
		out->flags |= IA_OPPOSITE;
		out->opposite = ip_xor_low(ip, a->pxlen == 31 ? 1 : 3);
	} else if (!v4 && a->pxlen == 127) {
		out->flags |= IA_OPPOSITE;
		out->opposite = ip_xor_low(ip, 1);
	}
	if (v4 && a->pxlen < 31)
		out->brd = a->has_brd ? a->brd :
			   ip4_from_u32(ip4_to_u32(ip) | (0xffffffffu >> a->pxlen));
	if (v4 && a->pxlen == 31 && !a->has_brd && (if_flags & IF_BROADCAST))
		*warn_brd = true;
	return NL_OK;
}

/* ---- sockets ---- */

struct nl_sock {
	struct mnl_socket *nl;	/* libmnl's */
	uint32_t seq;		/* of the last request */
	uint8_t *buf;		/* NL_BUF bytes for reads */
};

struct nl_sock *
nl_open(uint32_t groups, char *err, size_t errlen)
{
	struct nl_sock *s = xzalloc(sizeof *s);

	s->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s->nl || mnl_socket_bind(s->nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "Cannot open netlink socket: %s", strerror(errno));
		nl_close(s);
		return NULL;
	}
	int fd = mnl_socket_get_fd(s->nl);
	if (groups) {
		int sz = 1 << 20;	/* a burst of changes must fit */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	} else {
		struct timeval tv = { .tv_sec = NL_DUMP_TIMEOUT };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	s->seq = (uint32_t)time(NULL);
	s->buf = xmalloc(NL_BUF);
	return s;
}

void
nl_close(struct nl_sock *s)
{
	if (!s)
		return;
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	free(s);
}

int
nl_fd(const struct nl_sock *s)
{
	return mnl_socket_get_fd(s->nl);
}

long
nl_recv(struct nl_sock *s, void *buf, size_t len)
{
	ssize_t n = mnl_socket_recvfrom(s->nl, buf, len);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return (long)n;
}

struct dump_ctx {
	struct nl_sock *s;	/* whose request */
	int (*fn)(const struct nlmsghdr *h, void *arg);	/* the caller's */
	void *arg;
	bool done, intr;	/* NLMSG_DONE seen; NLM_F_DUMP_INTR seen */
	int error;		/* errno from NLMSG_ERROR, or 0 */
};

static int
dump_msg(const struct nlmsghdr *h, void *arg)
{
	struct dump_ctx *d = arg;

	if (h->nlmsg_seq != d->s->seq || h->nlmsg_pid != mnl_socket_get_portid(d->s->nl))
		return 0;	/* a late answer to an earlier request */
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (h->nlmsg_type == NLMSG_DONE) {
		d->done = true;
		return -1;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = msg_data(h);
		d->error = h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) && e->error ? -e->error : EIO;
		d->done = true;
		return -1;
	}
	d->fn(h, d->arg);
	return 0;
}

int
nl_dump(struct nl_sock *s, int type, int (*fn)(const struct nlmsghdr *h, void *arg), void *arg,
	char *err, size_t errlen)
{
	uint8_t req[NLMSG_SPACE(sizeof(struct ifinfomsg))];
	struct dump_ctx d = { .s = s, .fn = fn, .arg = arg };

	memset(req, 0, sizeof req);
	struct nlmsghdr *h = mnl_nlmsg_put_header(req);
	h->nlmsg_type = (uint16_t)type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++s->seq;
	/* the family byte leads both ifinfomsg and ifaddrmsg: AF_UNSPEC, all */
	mnl_nlmsg_put_extra_header(h, type == RTM_GETLINK ? sizeof(struct ifinfomsg) :
				   sizeof(struct ifaddrmsg));
	if (mnl_socket_sendto(s->nl, h, h->nlmsg_len) < 0) {
		snprintf(err, errlen, "netlink request: %s", strerror(errno));
		return -1;
	}
	while (!d.done) {
		ssize_t n = mnl_socket_recvfrom(s->nl, s->buf, NL_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "netlink dump: %s", strerror(errno));
			return -1;
		}
		if (n == 0 || (nl_walk(s->buf, (size_t)n, dump_msg, &d) == -1 && !d.done)) {
			snprintf(err, errlen, "netlink dump: malformed reply");
			return -1;
		}
	}
	if (d.error) {
		snprintf(err, errlen, "netlink dump: %s", strerror(d.error));
		return -1;
	}
	if (d.intr) {
		snprintf(err, errlen, "netlink dump interrupted by a change");
		return -1;
	}
	return 0;
}
