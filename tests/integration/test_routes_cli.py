#!/usr/bin/env python3
"""Integration test of protocols, channels and tables through the CLI.

Starts birchd and, where installed, a private BIRD 2 on the same config
(two static protocols with import filters into a named table, a pipe into
a second table, an IPv6 static, a static into master4) and compares raw
replies of `show route` variants, `show protocols [all]`, `show symbols`
and enable/disable/restart/reload line by line after masking times and
the version. BIRD 2.0.12 walks a table in hash order, Birch in prefix
order, so within one table the routes (each with its continuation lines)
are compared as sorted blocks. Every process started here is ended by the
PID in its pidfile.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_daemon import BIRD, BIRCHD, Conn, Daemon, check, failures, write  # noqa: E402

CONF = """router id 10.0.0.1;
ipv4 table t4;
ipv4 table t4b;
ipv6 table t6;
filter in4 {
  if net ~ [ 10.9.0.0/16+ ] then reject;
  bgp_med = 20;
  accept;
}
filter ex4 { if net.len > 24 then reject; accept; }
function is_big() { return net.len < 16; }
protocol static s4 {
  ipv4 { table t4; import filter in4; preference 150; import limit 50 action warn; };
  route 10.2.0.0/16 blackhole;
  route 10.3.0.0/24 unreachable;
  route 10.4.0.0/24 prohibit;
  route 10.9.1.0/24 blackhole;
  route 10.7.0.0/28 unreachable;
  route 10.6.0.0/24 blackhole { bgp_community.add((64500,1)); bgp_local_pref = 300; };
}
protocol static s4b {
  ipv4 { table t4; import where net.len >= 16; export none; };
  route 10.8.0.0/16 blackhole;
  route 10.0.0.0/8 blackhole;
}
protocol static s6 {
  ipv6 { table t6; import all; };
  route 2001:db8:1::/48 unreachable;
  route 2001:db8:2::/48 blackhole;
}
protocol pipe p1 {
  table t4;
  peer table t4b;
  export filter ex4;
  import none;
}
protocol static sm {
  ipv4;
  route 192.168.0.0/24 blackhole;
}
"""

REQUESTS = [
    "show protocols", "show protocols all", 'show protocols "s*"', "show protocols all s4",
    "show protocols p1", "show protocols nonex",
    "show route", "show route all", "show route table t4", "show route table all",
    "show route all table t4", "show route all table t4b", "show route table t6 all",
    "show route count", "show route table t4 count", "show route count table all",
    "show route table t4 protocol s4b count", "show route stats table t4",
    "show route for 10.2.3.4 table t4", "show route for 10.2.0.0/16 table t4 all",
    "show route for 10.1.2.3 table t4", "show route 10.2.0.0/16 table t4",
    "show route protocol s4 table t4", "show route protocol s4", "show route table t4 primary",
    "show route filter ex4 table t4", "show route export p1 table t4",
    "show route noexport p1 table t4", "show route preexport p1 table t4",
    "show route table t4 export s4", "show route protocol nonex", "show route table nonex",
    "show symbols table", "show symbols filter", "show symbols function",
    "show symbols protocol", "show symbols template",
    "disable s4", "disable s4", "show protocols all s4", "show route table all",
    "enable s4", "enable s4", "show route table all", "show protocols all",
    "restart s4b", "reload s4", "reload in s4", "reload out p1", "disable nonex",
    "restart all", "show route table all", "show route count table all", "show protocols all",
]


def mask(lines):
    out = []
    for l in lines:
        l = re.sub(r"\d\d:\d\d:\d\d\.\d\d\d", "TIME", l)
        l = re.sub(r"^(0001 ).*( ready\.)$", r"\1VERSION\2", l)
        out.append(l)
    return out


def canon(lines):
    """Sort the route blocks of each table: a block is a route line (code
    1007 or its continuation starting with a prefix or spaces and a dest)
    with the lines that follow it up to the next one."""
    out, block, blocks = [], [], []

    def flush_blocks():
        if block:
            blocks.append(tuple(block))
        out.extend(l for b in sorted(blocks) for l in b)
        blocks.clear()

    route = re.compile(r"^(1007-| )(\S+/\d+ +| {20} )(unicast|blackhole|unreachable|prohibited) \[")
    for l in lines:
        # normalize the code prefix so sorting does not depend on position
        body = re.sub(r"^(1007-|1008-|1012-| )", "", l)
        if route.match(l):
            if block:
                blocks.append(tuple(block))
            block = [body]
        elif block and (body.startswith("\t")):
            block.append(body)
        else:
            if block:
                blocks.append(tuple(block))
                block = []
            flush_blocks()
            out.append(body)
    if block:
        blocks.append(tuple(block))
        block = []
    flush_blocks()
    return out


def mask_pipe(lines):
    out, inpipe = [], False
    for l in lines:
        if re.match(r"^(1002-)?\S+ +Pipe ", l):
            inpipe = True
        elif re.match(r"^(1002-)?\S+ +\S+ +\S+ +(up|down|start|stop) ", l):
            inpipe = False
        if inpipe and re.search(r"(updates|withdraws|Routes):", l):
            l = re.sub(r"\d+", "N", l)
        out.append(l)
    return out


def run(sock, requests):
    c = Conn(sock)
    res = []
    for r in requests:
        res.append(mask(c.cmd(r)))
    c.close()
    return res


def main():
    if not os.path.exists(BIRCHD):
        print("no birchd built")
        return 1
    tmp = tempfile.mkdtemp(prefix="birch-routes-")
    daemons = []
    try:
        results = {}
        names = [("birch", BIRCHD)] + ([("bird", BIRD)] if BIRD else [])
        for name, exe in names:
            d = os.path.join(tmp, name)
            os.makedirs(d)
            conf = os.path.join(d, "c.conf")
            write(conf, 'log "%s" all;\n' % os.path.join(d, "log") + CONF)
            dm = Daemon(exe, conf, os.path.join(d, "ctl"), os.path.join(d, "pid"))
            r = dm.start()
            check(r.returncode == 0, name + " starts", r.stderr)
            daemons.append(dm)
        for name, dm in zip([n for n, _ in names], daemons):
            results[name] = run(dm.sock, REQUESTS)

        b = results["birch"]
        # Birch alone: what must hold whether or not BIRD is here
        text = "\n".join(b[REQUESTS.index("show route all table t4")])
        check("10.6.0.0/24" in text and "BGP.community: (64500,1)" in text,
              "static attribute block reaches the table", text)
        check("10.9.1.0/24" not in text, "import filter rejects", text)
        text = "\n".join(b[REQUESTS.index("show route table all")])
        check("Table t4b:" in text and "10.2.0.0/16" in text.split("Table t4b:")[1],
              "pipe exports into the peer table", text)

        if "bird" not in results:
            print("skip differential: no bird2 installed")
        else:
            for i, req in enumerate(REQUESTS):
                x, y = canon(results["bird"][i]), canon(b[i])
                if req.startswith("show symbols"):	# BIRD lists them in hash order
                    x = sorted(re.sub(r"^1010-", "", l) for l in x)
                    y = sorted(re.sub(r"^1010-", "", l) for l in y)
                if i > REQUESTS.index("disable s4"):
                    # Known difference: after protocols restart under a pipe,
                    # BIRD's pipe counters include the re-feeds of its any-mode
                    # export; Birch's pipe passes best routes only.
                    x, y = mask_pipe(x), mask_pipe(y)
                check(x == y, "same reply: " + req,
                      "bird:\n" + "\n".join(x) + "\nbirch:\n" + "\n".join(y))
    finally:
        for dm in daemons:
            dm.stop()
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
