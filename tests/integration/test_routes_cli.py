#!/usr/bin/env python3
"""Integration test of protocols, channels and tables through the CLI.

Starts birchd and, where installed, a private BIRD 2 on the same config
and compares raw replies line by line after masking times and the
version, scenario by scenario:
 - routes: two static protocols with import filters into a named table,
   a pipe into a second table, an IPv6 static, a static into master4;
   `show route` variants, `show protocols [all]`, `show symbols`, and
   enable/disable/restart/reload with every counter compared;
 - pipes: two routes per prefix from two statics, both passed by a pipe
   with filters both ways, its counters after disable/enable, reload
   in/out and restart, `show route export|noexport|preexport`;
 - where: `show route ... where EXPR` with the other options, and its
   errors;
 - configure: filter-only changes (the same code written differently,
   changed filters, a changed preference, `configure soft`, undo): the
   protocols are not restarted (their Since stays), channels are reloaded
   as BIRD reloads them, and the log lines about it are BIRD's;
 - changes: static routes added, replaced and withdrawn by `configure`,
   through a pipe with an export filter, every counter compared;
 - merge paths (as root, in a network namespace made here and removed
   afterwards): a kernel protocol with `merge paths on limit 2` in
   `show route export` and its export counters.
BIRD 2.0.12 walks a table in hash order, Birch in prefix order, so within
one table the routes (each with its continuation lines) are compared as
sorted blocks. Every process started here is ended by the PID in its
pidfile.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_daemon import BIRD, BIRCHD, Conn, Daemon, check, failures, write  # noqa: E402

ROUTES_CONF = """router id 10.0.0.1;
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

ROUTES_REQUESTS = [
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


PIPES_CONF = """router id 10.0.0.1;
ipv4 table t4;
ipv4 table t4b;
filter ex { if net.len > 20 then reject; bgp_local_pref = 5; accept; }
filter im { if net ~ [ 10.50.0.0/16+ ] then accept; reject; }
protocol static a {
  ipv4 { table t4; };
  route 10.1.0.0/16 blackhole;
  route 10.2.0.0/16 blackhole;
  route 10.9.9.0/24 blackhole;
}
protocol static b {
  ipv4 { table t4; preference 150; };
  route 10.1.0.0/16 unreachable;
  route 10.3.0.0/16 unreachable;
  route 10.9.8.0/24 unreachable;
}
protocol static c {
  ipv4 { table t4b; };
  route 10.50.1.0/24 blackhole;
  route 10.60.1.0/24 blackhole;
  route 10.1.0.0/16 prohibit;
}
protocol pipe p {
  table t4;
  peer table t4b;
  export filter ex;
  import filter im;
}
"""

PIPES_REQUESTS = [
    "show route table all all", "show protocols all",
    "show route export p table t4", "show route noexport p table t4",
    "show route preexport p table t4", "show route export p table t4b",
    "show route noexport p table t4b all", "show route export p all", "show route export p count",
    "show route table t4b export p count", "show route table t4 export a count",
    "show route table t4 export a", "show route export a", "show route table t4 protocol a",
    "show route table t4 export p table master4",
    "disable a", "show route table all", "show protocols all p", "enable a", "show protocols all p",
    "disable c", "show protocols all p", "enable c", "show protocols all p",
    "reload out p", "show protocols all p", "reload in p", "show protocols all p",
    "reload p", "show protocols all p", "restart p", "show protocols all p", "show route table all",
    "disable p", "show route table all", "show protocols all", "enable p", "show protocols all p",
    "restart a", "show protocols all",
]

# runtime errors in import filters: the route is rejected and the error
# logged as BIRD logs it ("filters, line N: ...", BIRD's words), every one
# of a burst (BIRD's limit is 5 at once)
ERRORS_CONF = """router id 10.0.0.1;
filter f1 { if 10 / (net.len - 16) > 0 then accept; accept; }
filter f2 { bgp_path.prepend(net.len / 0 + 1); accept; }
protocol device {}
protocol static s1 {
  ipv4 { import filter f1; };
  route 10.1.0.0/16 blackhole;
  route 10.2.0.0/24 blackhole;
}
protocol static s2 {
  ipv4 { import filter f2; };
  route 10.3.0.0/16 blackhole;
}
"""
ERRORS_REQUESTS = ["show route", "show route count"]


# what filters print goes to the log, a line each at info, with the
# accept/reject message (printn joins up to the next newline), as in BIRD
PRINTS_CONF = """router id 10.0.0.1;
filter f1 { print "seen ", net; printn "a"; printn "b"; print "c";
  if net.len = 16 then reject "too short ", net.len; accept "ok ", net; }
protocol device {}
protocol static s1 {
  ipv4 { import filter f1; };
  route 10.1.0.0/16 blackhole;
  route 10.2.0.0/24 blackhole;
}
"""
PRINTS_REQUESTS = ["show route"]


def printed(log):
    """The info lines of a log that filters wrote, in order."""
    return [l.split("> ", 1)[-1] for l in log if "<INFO>" in l and
            not re.search(r"> (Started|Shutting down|Reconfigur)", l)]


def filter_errors(log):
    """The runtime error lines of a log, without what Birch adds after them."""
    return sorted(re.sub(r" \((filter|function) \S+, [A-Z_0-9]+\)$", "", l.split("> ", 1)[-1])
                  for l in log if "filters, line" in l)


WHERE_CONF = """router id 10.0.0.1;
ipv4 table t4;
function big() { return net.len < 20; }
define LIM = 18;
filter setmed { bgp_med = 77; accept; }
protocol static a {
  ipv4 { table t4; };
  route 10.1.0.0/16 blackhole { bgp_med = 5; bgp_community.add((64500,1)); };
  route 10.2.0.0/24 blackhole;
}
protocol static b {
  ipv4 { table t4; preference 150; };
  route 10.1.0.0/16 unreachable;
}
protocol static m {
  ipv4;
  route 192.168.1.0/24 blackhole;
}
"""

WHERE_REQUESTS = [
    "show route where net.len = 24", "show route table t4 where net.len = 16",
    "show route where bgp_med = 5 table t4", "show route where net ~ [ 10.0.0.0/8+ ] table t4",
    "show route where (64500,1) ~ bgp_community table t4 all", "show route where true",
    "show route where defined(bgp_med) table t4", "show route table t4 where proto = \"a\"",
    "show route where 1 = 1 table t4 count", "show route table t4 where preference > 160",
    "show route table t4 where source = RTS_STATIC", "show route table t4 where big()",
    "show route table t4 where net.len > LIM all",
    "show route table t4 where net.len > LIM && bgp_med = 5 all",
    "show route table t4 where bgp_med = 5 || proto = \"b\" all primary",
    "show route table t4 where net ~ 10.0.0.0/8 stats", "show route table t4 where dest = RTD_BLACKHOLE",
    "show route table t4 where net.len = 16 protocol b",
    "show route for 10.1.1.1 table t4 where bgp_med = 5", "show route table t4 where \"a\" = proto",
    "show route table all where net.len >= 16 count", "show route table t4 filter setmed all",
    # errors, as BIRD's parser reports them
    "show route table t4 where net.len = ", "show route where foo = 1", "show route where 1 +",
    "show route where bgp_med", "show route where 'x'", "show route where net.len = 16 where net.len = 16",
    "show route where net.len = 16 filter setmed", "show route filter setmed where net.len=16",
    "show route where print 1", "show route where x", "show route where (", "show route where",
    "show route table t4 where bgp_med = 5 || ", "show route table t4 where 1 = 1 where",
    # other argument errors
    "show route protocol a protocol a", "show route export a export a", "show route filter setmed filter setmed",
    "show route table t4 table t4", "show route for 2001:db8::1 table t4", "show route table t4 2001:db8::/32",
    "show route protocol setmed", "show route table setmed", "show route filter a", "show route export nonex",
    "show route stats table all", "show route count table all where net.len = 1",
]

CONFIGURE_BASE = """router id 10.0.0.1;
ipv4 table t4;
ipv4 table t4b;
filter ex {EX}
filter im { if net ~ [ {IM}.0.0/16+ ] then accept; reject; }
filter sin { if net.len = {SIN} then reject; accept; }
protocol static a {
  ipv4 { table t4; import filter sin; {PREF} };
  route 10.1.0.0/16 blackhole;
  route 10.2.0.0/16 blackhole;
  route 10.9.9.0/24 blackhole;
}
protocol static c {
  ipv4 { table t4b; {LIMIT} };
  route 10.50.1.0/24 blackhole;
  route 10.60.1.0/24 blackhole;
}
protocol pipe p {
  table t4;
  peer table t4b;
  export filter ex;
  import filter im;
}
"""


def configure_conf(ex="{ if net.len > 20 then reject; bgp_local_pref = 5; accept; }", im="10.50",
                   sin="24", pref="", limit=""):
    return (CONFIGURE_BASE.replace("{EX}", ex).replace("{IM}", im).replace("{SIN}", sin)
            .replace("{PREF}", pref).replace("{LIMIT}", limit))


CONFIGURE_CONFS = {
    "c1": configure_conf(),
    # the same code, written differently: nothing happens
    "c2": configure_conf(ex="{\n  if net.len > 20 then reject;\n  bgp_local_pref = 5;\n  accept;\n}"),
    # changed export filter of the pipe, changed import filter of a
    "c3": configure_conf(ex="{ if net.len > 20 then reject; bgp_local_pref = 6; accept; }", sin="16"),
    # changed pipe import filter, a preference, a limit
    "c4": configure_conf(ex="{ if net.len > 20 then reject; bgp_local_pref = 6; accept; }", sin="16",
                         im="10.60", pref="preference 120;", limit="import limit 10 action block;"),
}

CONFIGURE_REQUESTS = [
    "show protocols all", "show route table all all",
    "@c2", "configure", "show protocols all",
    "@c3", "configure", "show protocols all", "show route table all all",
    "@c4", "configure", "show protocols all", "show route table all all",
    "@c1", "configure", "show protocols all", "show route table all all",
    "configure undo", "show protocols all", "show route table all all",
    "@c3", "configure soft", "show protocols all", "show route table all all",
    "reload p", "show protocols all", "show route table all all",
    "@c1", "configure soft", "reload in a", "show protocols all",
]

# adds, replaces and withdraws: static routes changed by `configure`, seen
# through a pipe (both routes of a prefix) with an export filter
CHANGES_BASE = """router id 10.0.0.1;
ipv4 table t2;
filter ex { if net.len > 20 then reject; accept; }
protocol static a {
  ipv4;
%s}
protocol static b {
  ipv4 { preference 150; };
  route 10.1.0.0/16 unreachable;
}
protocol pipe p { table master4; peer table t2; export filter ex; import none; }
"""

CHANGES_CONFS = {
    "c1": CHANGES_BASE % "  route 10.1.0.0/16 blackhole;\n  route 10.2.0.0/16 blackhole;\n",
    # replace 10.1, withdraw 10.2, add 10.3 and a filtered 10.4.4.0/24
    "c2": CHANGES_BASE % ("  route 10.1.0.0/16 prohibit;\n  route 10.3.0.0/16 blackhole;\n"
                          "  route 10.4.4.0/24 blackhole;\n"),
    # a's 10.1 falls behind b's (the best changes in both tables)
    "c3": CHANGES_BASE % ("  route 10.3.0.0/16 blackhole;\n  route 10.4.4.0/24 blackhole;\n"),
}

CHANGES_REQUESTS = [
    "show protocols all", "show route table all",
    "@c2", "configure", "show protocols all", "show route table all",
    "@c3", "configure", "show protocols all", "show route table all",
    "@c1", "configure", "show protocols all", "show route table all all",
]

MERGE_CONF = """router id 10.0.0.1;
protocol device {}
protocol static s1 {
  ipv4;
  route 10.1.0.0/16 via 10.0.0.2;
  route 10.2.0.0/16 blackhole;
  route 10.4.0.0/16 via 10.0.0.5;
}
protocol static s2 {
  ipv4;
  route 10.1.0.0/16 via 10.0.0.3;
  route 10.2.0.0/16 via 10.0.0.3;
  route 10.4.0.0/16 via 10.0.0.6 via 10.0.0.7;
}
protocol static s3 {
  ipv4 { preference 100; };
  route 10.1.0.0/16 via 10.0.0.4;
}
protocol kernel k1 {
  ipv4 { export all; };
  merge paths on limit 2;
  kernel table 100;
}
"""

MERGE_REQUESTS = [
    "show route", "show route export k1", "show route export k1 all", "show route noexport k1",
    "show route export k1 count", "show protocols all k1",
    "disable s2", "show route export k1", "show protocols all k1",
    "disable s3", "show protocols all k1",
    "enable s2", "show route export k1", "show protocols all k1",
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


def since_of(reply, name):
    """The Since column of protocol name in a `show protocols` reply."""
    for l in reply:
        m = re.match(r"^(?:1002-)?%s +\S+ +\S+ +\S+ +(\S+)" % re.escape(name), l)
        if m:
            return m.group(1)
    return None


def run(sock, requests, conf_path=None, confs=None, logfile=None, raw=None):
    """Replies to each request, masked (and in raw, as sent); "@NAME"
    writes config NAME over the running one (for a `configure` that
    follows)."""
    c = Conn(sock)
    res = []
    prev = "enable"	# wait first for protocols still starting (their Since moves)
    for r in requests:
        if re.match(r"(restart|enable|disable|reload|configure)\b", prev):
            # BIRD takes a protocol through flush and start, and a pipe's
            # channels through feed, between events: wait until none is on
            # its way (Birch is there already)
            for _ in range(60):
                text = "\n".join(l[5:] for l in c.cmd("show protocols all"))
                if not re.search(r"^\S+\s+\S+\s+\S+\s+(flush|start)\s", text, re.M) and \
                   not re.search(r"(Import|Export) state:\s+(feed|flush)", text):
                    break
                time.sleep(0.05)
        prev = r
        if r.startswith("@"):
            write(conf_path, 'log "%s" all;\n' % logfile + confs[r[1:]])
            res.append([r])
            if raw is not None:
                raw.append([r])
            continue
        reply = c.cmd(r)
        if raw is not None:
            raw.append(reply)
        res.append([l.replace(os.path.dirname(conf_path), "DIR") if conf_path else l
                    for l in mask(reply)])
    c.close()
    return res


def netns_up():
    """A network namespace of our own with a veth pair (10.0.0.1/24 on d0),
    or None when we may not make one."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        return None
    ns = "birch-rcli-%d" % os.getpid()
    cmds = [["ip", "netns", "add", ns],
            ["ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1"],
            ["ip", "-n", ns, "addr", "add", "10.0.0.1/24", "dev", "d0"],
            ["ip", "-n", ns, "link", "set", "d0", "up"], ["ip", "-n", ns, "link", "set", "d1", "up"],
            ["ip", "-n", ns, "link", "set", "lo", "up"]]
    for c in cmds:
        if subprocess.run(c, capture_output=True).returncode != 0:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            return None
    return ns


def settle(sock):
    """Wait until no protocol is starting (BIRD feeds pipes and kernel
    channels in events after that), then a little more."""
    c = Conn(sock)
    end = time.time() + 5
    while time.time() < end:
        if not any(re.search(r" start ", l) for l in c.cmd("show protocols")):
            break
        time.sleep(0.05)
    c.close()
    time.sleep(0.3)


def scenario(tmp, name, conf, requests, confs=None, netns=None):
    """Run requests on Birch and BIRD (if installed) with the same config;
    returns {daemon: [replies]} and the daemons' log lines."""
    results, logs, raws = {}, {}, {}
    names = [("birch", BIRCHD)] + ([("bird", BIRD)] if BIRD else [])
    for dname, exe in names:
        d = os.path.join(tmp, name, dname)
        os.makedirs(d)
        path = os.path.join(d, "c.conf")
        logfile = os.path.join(d, "log")
        write(path, 'log "%s" all;\n' % logfile + conf)
        if netns:
            wrap = os.path.join(d, "exe")
            write(wrap, "#!/bin/sh\nexec ip netns exec %s %s \"$@\"\n" % (netns, exe))
            os.chmod(wrap, 0o755)
            exe = wrap
        dm = Daemon(exe, path, os.path.join(d, "ctl"), os.path.join(d, "pid"))
        r = dm.start()
        check(r.returncode == 0, "%s: %s starts" % (name, dname), r.stderr)
        try:
            settle(dm.sock)
            raws[dname] = []
            results[dname] = run(dm.sock, requests, path, confs, logfile, raws[dname])
        finally:
            dm.stop()
        with open(logfile) as f:
            logs[dname] = [l.split(" ", 2)[2].rstrip("\n") for l in f if l.count(" ") >= 2]
    scenario.raw = raws
    return results, logs


def compare(name, requests, results, sort_symbols=False):
    if "bird" not in results:
        print("skip differential %s: no bird2 installed" % name)
        return
    for i, req in enumerate(requests):
        x, y = canon(results["bird"][i]), canon(results["birch"][i])
        if sort_symbols and req.startswith("show symbols"):	# BIRD lists them in hash order
            x = sorted(re.sub(r"^1010-", "", l) for l in x)
            y = sorted(re.sub(r"^1010-", "", l) for l in y)
        check(x == y, "%s: same reply #%d: %s" % (name, i, req),
              "bird:\n" + "\n".join(x) + "\nbirch:\n" + "\n".join(y))


def reconfig_lines(log):
    return [l for l in log if re.search(r"Reconfigur|Reloading|changed (import|export)|Restarting", l)]


def main():
    if not os.path.exists(BIRCHD):
        print("no birchd built")
        return 1
    tmp = tempfile.mkdtemp(prefix="birch-routes-")
    # a detached daemon's stderr is /dev/null: sanitizer builds report here
    os.environ["ASAN_OPTIONS"] = "log_path=%s:detect_leaks=1" % os.path.join(tmp, "sanitizer")
    os.environ["UBSAN_OPTIONS"] = "log_path=%s" % os.path.join(tmp, "sanitizer")
    ns = None
    try:
        res, _ = scenario(tmp, "routes", ROUTES_CONF, ROUTES_REQUESTS)
        b = res["birch"]
        # Birch alone: what must hold whether or not BIRD is here
        text = "\n".join(b[ROUTES_REQUESTS.index("show route all table t4")])
        check("10.6.0.0/24" in text and "BGP.community: (64500,1)" in text,
              "static attribute block reaches the table", text)
        check("10.9.1.0/24" not in text, "import filter rejects", text)
        text = "\n".join(b[ROUTES_REQUESTS.index("show route table all")])
        check("Table t4b:" in text and "10.2.0.0/16" in text.split("Table t4b:")[1],
              "pipe exports into the peer table", text)
        compare("routes", ROUTES_REQUESTS, res, sort_symbols=True)

        res, _ = scenario(tmp, "pipes", PIPES_CONF, PIPES_REQUESTS)
        text = "\n".join(res["birch"][0])
        t4b = text.split("Table t4b:")[1]
        net = t4b.split("10.1.0.0/16")[1].split("10.2.0.0/16")[0]
        check("prohibited [c " in net and "blackhole [a " in net and "unreachable [b " in net,
              "pipe passes every route of a prefix, not only the best", t4b)
        compare("pipes", PIPES_REQUESTS, res)

        res, _ = scenario(tmp, "where", WHERE_CONF, WHERE_REQUESTS)
        text = "\n".join(res["birch"][WHERE_REQUESTS.index("show route table t4 where net.len = 16")])
        check("10.1.0.0/16" in text and "10.2.0.0/24" not in text, "where filters the walk", text)
        compare("where", WHERE_REQUESTS, res)

        res, logs = scenario(tmp, "configure", CONFIGURE_CONFS["c1"], CONFIGURE_REQUESTS,
                             confs=CONFIGURE_CONFS)
        for dname, raw in scenario.raw.items():
            # filter-only changes keep protocols up: Since stays
            t0 = [since_of(raw[0], n) for n in "acp"]
            for i, req in enumerate(CONFIGURE_REQUESTS):
                if req == "show protocols all":
                    check([since_of(raw[i], n) for n in "acp"] == t0 and None not in t0,
                          "configure: %s: no protocol restarted (#%d)" % (dname, i),
                          "\n".join(raw[i]))
        compare("configure", CONFIGURE_REQUESTS, res)
        if "bird" in logs:
            x, y = reconfig_lines(logs["bird"]), reconfig_lines(logs["birch"])
            check(x == y, "configure: the same reconfiguration log lines",
                  "bird:\n" + "\n".join(x) + "\nbirch:\n" + "\n".join(y))
        y = [l.split("> ", 1)[-1] for l in reconfig_lines(logs["birch"])]
        check("Reloading channel p.pri" in y and "Reloading channel a.ipv4" in y and
              "Reloading channel p.sec" in y and not any("Restarting" in l for l in y) and
              "Channel a.ipv4 changed import" in y,
              "configure: filter changes reload channels, never restart", "\n".join(y))

        res, _ = scenario(tmp, "changes", CHANGES_CONFS["c1"], CHANGES_REQUESTS,
                          confs=CHANGES_CONFS)
        compare("changes", CHANGES_REQUESTS, res)

        res, logs = scenario(tmp, "errors", ERRORS_CONF, ERRORS_REQUESTS)
        text = "\n".join(res["birch"][0])
        check("10.2.0.0/24" in text and "10.1.0.0/16" not in text and "10.3.0.0/16" not in text,
              "errors: routes whose filter fails are rejected", text)
        y = filter_errors(logs["birch"])
        check(y == ["filters, line 3: Mother told me not to divide by 0",
                    "filters, line 4: Mother told me not to divide by 0"],
              "errors: each runtime error logged as BIRD words it", "\n".join(logs["birch"]))
        if "bird" in logs:
            check(filter_errors(logs["bird"]) == y, "errors: the same error lines as BIRD",
                  "bird:\n" + "\n".join(logs["bird"]) + "\nbirch:\n" + "\n".join(logs["birch"]))
        compare("errors", ERRORS_REQUESTS, res)

        res, logs = scenario(tmp, "prints", PRINTS_CONF, PRINTS_REQUESTS)
        y = printed(logs["birch"])
        check(y == ["seen 10.1.0.0/16", "abc", "too short 16", "seen 10.2.0.0/24", "abc",
                    "ok 10.2.0.0/24"], "prints: filters' output logged a line each",
              "\n".join(logs["birch"]))
        if "bird" in logs:
            check(printed(logs["bird"]) == y, "prints: the same log lines as BIRD",
                  "bird:\n" + "\n".join(logs["bird"]) + "\nbirch:\n" + "\n".join(logs["birch"]))
        compare("prints", PRINTS_REQUESTS, res)

        ns = netns_up()
        if not ns:
            print("skip merge paths: needs root and ip netns")
        else:
            res, _ = scenario(tmp, "merge", MERGE_CONF, MERGE_REQUESTS, netns=ns)
            text = "\n".join(res["birch"][1])
            check(re.search(r"10\.1\.0\.0/16 .*\n +\tvia 10\.0\.0\.2 .*weight 1\n +\tvia 10\.0\.0\.3 ", text),
                  "merge paths: one route with both equal next hops", text)
            compare("merge", MERGE_REQUESTS, res)
        reports = [f for f in os.listdir(tmp) if f.startswith("sanitizer")]
        check(not reports, "no sanitizer reports from the daemons",
              "".join(open(os.path.join(tmp, f)).read() for f in reports))
    finally:
        if ns:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
