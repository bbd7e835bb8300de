#!/usr/bin/env python3
"""Make MRT TABLE_DUMP_V2 RIB dumps (RFC 6396) for birch-check's tests.

    python3 tests/filters/mkmrt.py -o FILE.mrt [--text FILE.txt] [--bgpdump FILE]
        [--routes N]
        [--peers P] [--sets S] [--v6 FRACTION] [--addpath] [--seed N]

Writes a PEER_INDEX_TABLE of P peers, then RIB_IPV4_UNICAST and
RIB_IPV6_UNICAST records (their ADD-PATH variants with --addpath, RFC 8050)
holding N routes in all, spread over the peers, with S distinct attribute
sets drawn at random (origin, AS path with the odd AS_SET, next hop, MED,
LOCAL_PREF, communities, extended and large communities, the odd
aggregator and atomic aggregate). With --text, the same routes are written
one a line in the `show route all` syntax birch-check reads, so the two
readers can be compared; with --bgpdump, what `bgpdump -m` should print
for them (its fields 4-14), to check the dump itself against a real tool.
The output is deterministic for a seed.
"""
import argparse
import ipaddress
import random
import struct


def attr(flags, code, data):
    if len(data) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(data)) + data
    return struct.pack("!BBB", flags, code, len(data)) + data


class AttrSet:
    """One random attribute set, as wire bytes and as text."""

    def __init__(self, rnd, v6):
        self.v6 = v6
        self.origin = rnd.choice([0, 0, 0, 2, 1])
        n = rnd.choice([1, 2, 2, 3, 3, 3, 4, 5, 6, 8])
        self.path = [rnd.choice([rnd.randint(1, 64495), rnd.randint(64512, 65534),
                                 rnd.randint(131072, 4199999999)]) for _ in range(n)]
        self.aset = [rnd.randint(1, 65000) for _ in range(2)] if rnd.random() < 0.02 else []
        if v6:
            self.nh = ipaddress.IPv6Address("2001:db8::") + rnd.randint(1, 65535)
            self.ll = (ipaddress.IPv6Address("fe80::") + rnd.randint(1, 65535)
                       if rnd.random() < 0.5 else None)
        else:
            self.nh = ipaddress.IPv4Address("192.0.2.0") + rnd.randint(1, 254)
            self.ll = None
        self.med = rnd.randint(0, 1000) if rnd.random() < 0.4 else None
        self.lp = rnd.choice([None, 100, 200, 50])
        self.comm = [(rnd.choice([self.path[0] & 0xffff, 65535, 0]), rnd.randint(0, 65535))
                     for _ in range(rnd.choice([0, 0, 1, 2, 3, 5, 10]))]
        self.ec = [(self.path[0] & 0xffff, rnd.randint(0, 1 << 20))
                   for _ in range(rnd.choice([0, 0, 0, 1, 2]))]
        self.lc = [(self.path[0], rnd.randint(0, 100), rnd.randint(0, 100))
                   for _ in range(rnd.choice([0, 0, 0, 1, 3]))]
        self.aggr = ((rnd.randint(1, 65000), ipaddress.IPv4Address(rnd.getrandbits(32)))
                     if rnd.random() < 0.05 else None)
        self.atomic = self.aggr is not None and rnd.random() < 0.5

    def wire(self):
        b = attr(0x40, 1, bytes([self.origin]))
        segs = struct.pack("!BB", 2, len(self.path)) + b"".join(struct.pack("!I", a) for a in self.path)
        if self.aset:
            segs += struct.pack("!BB", 1, len(self.aset)) + b"".join(struct.pack("!I", a) for a in self.aset)
        b += attr(0x40, 2, segs)
        if not self.v6:
            b += attr(0x40, 3, self.nh.packed)
        if self.med is not None:
            b += attr(0x80, 4, struct.pack("!I", self.med))
        if self.lp is not None:
            b += attr(0x40, 5, struct.pack("!I", self.lp))
        if self.atomic:
            b += attr(0x40, 6, b"")
        if self.aggr:
            b += attr(0xc0, 7, struct.pack("!I", self.aggr[0]) + self.aggr[1].packed)
        if self.comm:
            b += attr(0xc0, 8, b"".join(struct.pack("!HH", a, v) for a, v in self.comm))
        if self.v6:
            nh = self.nh.packed + (self.ll.packed if self.ll else b"")
            b += attr(0x80, 14, bytes([len(nh)]) + nh)	# RFC 6396 4.3.4 form
        if self.ec:
            b += attr(0xc0, 16, b"".join(struct.pack("!HHI", 0x0002, a, v) for a, v in self.ec))
        if self.lc:
            b += attr(0xc0, 32, b"".join(struct.pack("!III", *x) for x in self.lc))
        return b

    def bgpdump(self):
        """fields 7-14 of `bgpdump -m`: path, origin, next hop, local pref,
        med, communities, atomic aggregate, aggregator"""
        path = " ".join(map(str, self.path))
        if self.aset:
            path += " {" + ",".join(map(str, self.aset)) + "}"
        origin = ["IGP", "EGP", "INCOMPLETE"][self.origin]
        comm = " ".join(f"{a}:{v}" for a, v in self.comm)
        aggr = f"{self.aggr[0]} {self.aggr[1]}" if self.aggr else ""
        return "|".join([path, origin, str(self.nh), str(self.lp or 0), str(self.med or 0),
                         comm, "AG" if self.atomic else "NAG", aggr])

    def text(self):
        origin = ["IGP", "EGP", "Incomplete"][self.origin]
        path = " ".join(map(str, self.path))
        if self.aset:
            path += " {" + " ".join(map(str, self.aset)) + "}"
        t = f"bgp_origin {origin} bgp_path {path} bgp_next_hop {self.nh}"
        if self.ll:
            t += f" {self.ll}"
        if self.med is not None:
            t += f" bgp_med {self.med}"
        if self.lp is not None:
            t += f" bgp_local_pref {self.lp}"
        if self.atomic:
            t += " bgp_atomic_aggr"
        if self.aggr:
            t += f" bgp_aggregator {self.aggr[1]} AS{self.aggr[0]}"
        if self.comm:
            t += " bgp_community " + " ".join(f"({a},{v})" for a, v in self.comm)
        if self.ec:
            t += " bgp_ext_community " + " ".join(f"(rt, {a}, {v})" for a, v in self.ec)
        if self.lc:
            t += " bgp_large_community " + " ".join(f"({a}, {b}, {c})" for a, b, c in self.lc)
        return t


def record(ts, typ, sub, body):
    return struct.pack("!IHHI", ts, typ, sub, len(body)) + body


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--text")
    ap.add_argument("--bgpdump", help="also write what `bgpdump -m` prints (fields 4-14)")
    ap.add_argument("--routes", type=int, default=1000)
    ap.add_argument("--peers", type=int, default=4)
    ap.add_argument("--sets", type=int, default=300)
    ap.add_argument("--v6", type=float, default=0.2)
    ap.add_argument("--addpath", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    ts = 1700000000

    peers = []
    body = struct.pack("!IH", 0x0a000001, 5) + b"mkmrt" + struct.pack("!H", a.peers)
    for k in range(a.peers):
        ip = ipaddress.IPv4Address("198.51.100.0") + k + 1
        asn = 64500 + k if k % 2 == 0 else 4200000000 + k
        peers.append((ip, asn))
        body += struct.pack("!BI", 2, 0x01000000 + k) + ip.packed + struct.pack("!I", asn)
    out = bytearray(record(ts, 13, 1, body))

    sets4 = [AttrSet(rnd, False) for _ in range(a.sets)]
    sets6 = [AttrSet(rnd, True) for _ in range(max(1, a.sets // 4))]
    wire4 = [s.wire() for s in sets4]
    wire6 = [s.wire() for s in sets6]
    lines = []
    dumped = []
    seq = 0
    made = 0
    net4 = int(ipaddress.IPv4Address("1.0.0.0"))
    net6 = int(ipaddress.IPv6Address("2001:db8::"))
    while made < a.routes:
        v6 = rnd.random() < a.v6
        plen = rnd.choice([24, 24, 24, 22, 20, 16]) if not v6 else rnd.choice([48, 48, 44, 40, 32])
        if v6:
            net6 += 1 << (128 - plen)
            net = ipaddress.IPv6Network((net6 >> (128 - plen) << (128 - plen), plen))
        else:
            net4 += 1 << (32 - plen)
            net = ipaddress.IPv4Network(((net4 >> (32 - plen) << (32 - plen)) & 0xffffffff, plen))
        n = min(a.routes - made, rnd.randint(1, a.peers))
        who = rnd.sample(range(a.peers), n)
        entries = b""
        for k, p in enumerate(who):
            i = rnd.randrange(len(sets6) if v6 else len(sets4))
            w = wire6[i] if v6 else wire4[i]
            entries += struct.pack("!HI", p, ts)
            if a.addpath:
                entries += struct.pack("!I", k + 1)
            entries += struct.pack("!H", len(w)) + w
            st = sets6[i] if v6 else sets4[i]
            lines.append(f"{net} " + st.text())
            dumped.append(f"{peers[p][0]}|{peers[p][1]}|{net}|" + st.bgpdump())
        pb = net.network_address.packed[:(plen + 7) // 8]
        sub = (10 if v6 else 8) if a.addpath else (4 if v6 else 2)
        body = struct.pack("!IB", seq, plen) + pb + struct.pack("!H", n) + entries
        out += record(ts, 13, sub, body)
        seq += 1
        made += n
    with open(a.output, "wb") as f:
        f.write(out)
    if a.text:
        with open(a.text, "w") as f:
            f.write("\n".join(lines) + "\n")
    if a.bgpdump:
        with open(a.bgpdump, "w") as f:
            f.write("\n".join(dumped) + "\n")


if __name__ == "__main__":
    main()
