#!/usr/bin/env python3
"""Integration test of interfaces and static next hops.

Creates its own network namespace pair (veth links, a tun device, fixed MAC
addresses so link-local addresses are the same every run) and runs birchd
and, where installed, a real BIRD 2 side by side in the router namespace on
the same config: the device protocol, statics with `via IP`, `via "iface"`,
`%iface`, `onlink`, multipath, `check link`, `recursive` through an `igp
table`, IPv4 and IPv6. After each step the raw replies of `show
interfaces`, `show interfaces summary`, `show route all` and `show
protocols all` are compared line by line (within a table, route blocks
sorted: BIRD walks in hash order), and the warnings both log are compared.

Steps: start; the peer's end of a link goes down (carrier lost: `check
link` withdraws what goes through it) and comes back; an address is
removed and another added; the IGP table changes under a recursive route
(a protocol feeding it is disabled and enabled); an interface goes
administratively down; a new interface appears; `configure` with the same
config (the protocols stay and keep following interfaces) and with a new
route.

Birch alone is also held to what BIRD 2.0.12 was seen to do in these steps
(expected texts below were read from BIRD, not from Birch). The namespaces
are removed on exit, also on failure; daemons are ended by their PIDs.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_daemon import BIRD, BIRCHD, Conn, Daemon, check, failures  # noqa: E402
from test_routes_cli import canon, mask  # noqa: E402

TAG = "bif%d" % os.getpid()
NS_A, NS_B = TAG + "a", TAG + "b"

CONF = """router id 10.255.0.1;
log "%(log)s" all;
ipv4 table igp4;
protocol device {
  scan time 10;
  interface "va1" { preferred 10.12.0.1; };
}
protocol static s4 {
  ipv4;
  check link;
  igp table igp4;
  route 172.16.1.0/24 via 10.10.0.2;
  route 172.16.2.0/24 via "va0";
  route 172.16.3.0/24 via 10.10.0.2 via 10.11.0.2 weight 3;
  route 172.16.4.0/24 via 10.12.0.2;
  route 172.16.5.0/24 via 10.13.0.2;
  route 172.16.6.0/24 via 10.99.0.9%%va1 onlink;
  route 172.16.7.0/24 via 192.168.66.2;
  route 172.16.8.0/24 via 10.14.0.2;
  route 172.16.9.0/24 via 10.99.9.9;
  route 172.16.10.0/24 via 224.0.0.5;
  route 172.16.11.0/24 recursive 10.50.1.5;
  route 172.16.12.0/24 recursive 10.60.0.1;
  route 172.16.13.0/24 recursive 10.70.0.1;
  route 172.16.14.0/24 recursive 10.99.0.1;
  route 172.16.15.0/24 blackhole;
  route 172.16.16.0/24 via 10.11.0.2 { bgp_med = 7; };
}
protocol static sigp {
  ipv4 { table igp4; };
  route 10.50.0.0/16 via 10.10.0.2;
  route 10.60.0.0/16 via "va1";
  route 10.70.0.0/16 unreachable;
}
protocol static sigp2 {
  ipv4 { table igp4; };
  route 10.50.1.0/24 via 10.11.0.3;
}
protocol static s6 {
  ipv6;
  route 2001:db8:100::/48 via 2001:db8:10::2;
  route 2001:db8:101::/48 via fe80::2%%va0;
  route 2001:db8:102::/48 via "va1";
  route 2001:db8:103::/48 via 2001:db8:99::1;
  route 2001:db8:104::/48 via fe80::1;
}
"""

REQUESTS = ["show interfaces", "show interfaces summary", "show route all",
            "show route all table igp4", "show protocols all s4"]


def sh(cmd, ok_fail=False):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if r.returncode and not ok_fail:
        raise RuntimeError("%s: %s" % (cmd, r.stderr.strip()))
    return r.stdout


def setup():
    sh("ip netns add %s" % NS_A)
    sh("ip netns add %s" % NS_B)
    a, b = "ip -n %s " % NS_A, "ip -n %s " % NS_B
    for k in range(2):
        sh("ip link add va%d netns %s address 02:00:00:00:0a:%02x type veth peer name vb%d netns %s "
           "address 02:00:00:00:0b:%02x" % (k, NS_A, k, k, NS_B, k))
        sh(a + "link set va%d up" % k)
        sh(b + "link set vb%d up" % k)
    sh(a + "link set lo up")
    # a bridge port with a lower index than its bridge: BIRD lists it last
    sh(a + "link add vp0 address 02:00:00:00:0a:10 type veth peer name vq0 netns %s" % NS_B)
    sh(a + "link add br9 address 02:00:00:00:0a:11 type bridge")
    sh(a + "link set vp0 master br9")
    sh(a + "link set vp0 up")
    sh(a + "link set br9 up")
    sh(a + "addr add 10.10.0.1/24 dev va0")
    sh(a + "addr add 2001:db8:10::1/64 dev va0 nodad")
    sh(a + "addr add 10.11.0.1/24 dev va1")
    sh(a + "addr add 10.11.0.9/24 dev va1")	# secondary
    sh(a + "addr add 10.12.0.1/24 dev va1")
    sh(a + "addr add 192.168.66.1 peer 192.168.66.2/32 dev va1")
    sh(a + "addr add 10.99.5.1/31 dev va1")
    sh(a + "tuntap add tn0 mode tun")
    sh(a + "link set tn0 up")
    sh(a + "addr add 10.98.0.1 peer 10.98.0.2/32 dev tn0")
    # link-local addresses settle (DAD) before a daemon reads them
    for _ in range(50):
        if "tentative" not in sh(a + "-6 addr"):
            break
        time.sleep(0.1)


def teardown():
    sh("ip netns del %s" % NS_A, ok_fail=True)
    sh("ip netns del %s" % NS_B, ok_fail=True)


class NsDaemon(Daemon):
    def start(self):
        r = subprocess.run(["ip", "netns", "exec", NS_A, self.exe, "-c", self.conf, "-s", self.sock,
                            "-P", self.pidfile], capture_output=True, text=True, timeout=10)
        if r.returncode == 0:
            for _ in range(100):
                if os.path.exists(self.pidfile) and open(self.pidfile).read().strip():
                    self.pid = int(open(self.pidfile).read())
                    break
                time.sleep(0.05)
        return r


def ask(daemons):
    out = {}
    for name, dm in daemons:
        c = Conn(dm.sock)
        out[name] = [canon(mask(c.cmd(r))) for r in REQUESTS]
        c.close()
    return out


def text(res, req):
    return "\n".join(res[REQUESTS.index(req)])


def route_block(res, prefix, table="master4"):
    """The lines of one route in `show route all` (of its table)."""
    lines = res[REQUESTS.index("show route all" if table == "master4" else
                               "show route all table " + table)]
    out, on = [], False
    for l in lines:
        if re.match(r"^\S+/\d+ ", l):
            on = l.startswith(prefix + " ")
        elif not l.startswith("\t"):
            on = False
        if on:
            out.append(l)
    return out


def compare(step, res):
    if "bird" not in res:
        return
    for i, req in enumerate(REQUESTS):
        x, y = res["bird"][i], res["birch"][i]
        check(x == y, "%s: same reply: %s" % (step, req),
              "bird:\n" + "\n".join(x) + "\nbirch:\n" + "\n".join(y))


def settle():
    time.sleep(0.7)


def main():
    if os.geteuid() != 0:
        print("skip: network namespaces need root")
        return 0
    if not os.path.exists(BIRCHD):
        print("no birchd built")
        return 1
    tmp = tempfile.mkdtemp(prefix="birch-iface-")
    daemons = []
    a, b = "ip -n %s " % NS_A, "ip -n %s " % NS_B
    try:
        setup()
        names = [("birch", BIRCHD)] + ([("bird", BIRD)] if BIRD else [])
        for name, exe in names:
            d = os.path.join(tmp, name)
            os.makedirs(d)
            conf = os.path.join(d, "c.conf")
            with open(conf, "w") as f:
                f.write(CONF % {"log": os.path.join(d, "log")})
            dm = NsDaemon(exe, conf, os.path.join(d, "ctl"), os.path.join(d, "pid"))
            r = dm.start()
            check(r.returncode == 0 and dm.pid, name + " starts", r.stderr)
            daemons.append((name, dm))
        settle()

        # 1. start
        res = ask(daemons)
        compare("start", res)
        b_ = res["birch"]
        check(route_block(b_, "172.16.1.0/24")[1:2] == ["\tvia 10.10.0.2 on va0"],
              "via IP resolves to its interface", "\n".join(route_block(b_, "172.16.1.0/24")))
        check(route_block(b_, "172.16.2.0/24")[1:2] == ["\tdev va0"], "via \"iface\" is dev")
        check(route_block(b_, "172.16.3.0/24")[1:3] ==
              ["\tvia 10.11.0.2 on va1 weight 3", "\tvia 10.10.0.2 on va0 weight 1"],
              "multipath: heavier first", "\n".join(route_block(b_, "172.16.3.0/24")))
        check(route_block(b_, "172.16.6.0/24")[1:2] == ["\tvia 10.99.0.9 on va1 onlink"], "onlink")
        check(route_block(b_, "172.16.7.0/24")[1:2] == ["\tvia 192.168.66.2 on va1"], "peer address")
        check(not route_block(b_, "172.16.9.0/24"), "unconnected next hop: no route")
        check(route_block(b_, "172.16.11.0/24")[1:2] == ["\tvia 10.11.0.3 on va1"],
              "recursive through the longest IGP match", "\n".join(route_block(b_, "172.16.11.0/24")))
        check(route_block(b_, "172.16.12.0/24")[1:2] == ["\tvia 10.60.0.1 on va1"],
              "recursive through a device route: via the address itself")
        check(route_block(b_, "172.16.13.0/24")[0].split()[1] == "unreachable"
              if route_block(b_, "172.16.13.0/24") else False, "recursive through unreachable")
        check(route_block(b_, "172.16.14.0/24")[0].split()[1] == "unreachable"
              if route_block(b_, "172.16.14.0/24") else False, "recursive with no IGP route")
        t = text(b_, "show interfaces")
        check("va1 up (index=" in t and "\t10.11.0.9/24 (Secondary, scope site)" in t and
              "\t192.168.66.1/32 (opposite 192.168.66.2, scope site)" in t and
              "\t10.99.5.1/31 (opposite 10.99.5.0, scope site)" in t, "show interfaces: va1", t)
        check("\tPtP Multicast AdminUp LinkDown MTU=1500" in t, "show interfaces: tun", t)
        check("\t10.12.0.1/24 (Preferred, scope site)" in t, "`preferred` picks the address", t)
        check(t.index("br9 up") < t.index("vp0 up (index=") and "master=br9)" in t,
              "a bridge port after its bridge, with its master", t)

        # 2. the peer's end goes down: va0 loses its carrier
        sh(b + "link set vb0 down")
        settle()
        res = ask(daemons)
        compare("carrier lost", res)
        b_ = res["birch"]
        check(not route_block(b_, "172.16.1.0/24") and not route_block(b_, "172.16.2.0/24"),
              "check link: routes through va0 withdrawn")
        check(route_block(b_, "172.16.3.0/24")[1:] == ["\tvia 10.11.0.2 on va1", "\tType: static univ"],
              "check link: multipath keeps the next hop whose link is up",
              "\n".join(route_block(b_, "172.16.3.0/24")))
        check("\tMultiAccess Broadcast Multicast AdminUp LinkDown MTU=1500" in
              text(b_, "show interfaces"), "LinkDown shown")

        sh(b + "link set vb0 up")
        settle()
        res = ask(daemons)
        compare("carrier back", res)
        check(route_block(res["birch"], "172.16.1.0/24")[1:2] == ["\tvia 10.10.0.2 on va0"],
              "route back with the carrier")

        # 3. an address goes, another comes
        sh(a + "addr del 10.12.0.1/24 dev va1")
        sh(a + "addr add 10.13.0.1/24 dev va1")
        settle()
        res = ask(daemons)
        compare("address change", res)
        b_ = res["birch"]
        check(not route_block(b_, "172.16.4.0/24"), "address removed: its next hop unresolved")
        check("\t10.11.0.1/24 (Preferred, scope site)" in text(b_, "show interfaces"),
              "the preferred address gone: the first one is preferred")
        check(route_block(b_, "172.16.5.0/24")[1:2] == ["\tvia 10.13.0.2 on va1"],
              "address added: its next hop resolves")

        # 4. the IGP table changes under a recursive route
        for name, dm in daemons:
            c = Conn(dm.sock)
            c.cmd("disable sigp2")
            c.close()
        settle()
        res = ask(daemons)
        compare("igp change", res)
        check(route_block(res["birch"], "172.16.11.0/24")[1:2] == ["\tvia 10.10.0.2 on va0"],
              "recursive route follows its IGP route", "\n".join(route_block(res["birch"], "172.16.11.0/24")))
        for name, dm in daemons:
            c = Conn(dm.sock)
            c.cmd("enable sigp2")
            c.close()
        settle()
        res = ask(daemons)
        compare("igp back", res)

        # 5. an interface goes administratively down, a new one appears
        sh(a + "link set va1 down")
        sh(a + "link add va2 address 02:00:00:00:0a:02 type veth peer name vb2 netns %s" % NS_B)
        sh(a + "addr add 10.14.0.1/24 dev va2")
        sh(a + "link set va2 up")
        sh(b + "link set vb2 up")
        settle()
        res = ask(daemons)
        compare("iface down, new iface", res)
        b_ = res["birch"]
        check(not route_block(b_, "172.16.5.0/24") and not route_block(b_, "172.16.7.0/24"),
              "interface down: routes through it withdrawn")
        check(route_block(b_, "172.16.8.0/24")[1:2] == ["\tvia 10.14.0.2 on va2"],
              "new interface: its next hop resolves")
        check("va1 down (index=" in text(b_, "show interfaces"), "va1 shown down")

        # 6. a reload that changes nothing keeps the protocols, which still
        # follow their interfaces; one that changes s4 restarts it
        for name, dm in daemons:
            c = Conn(dm.sock)
            c.cmd("configure")
            c.close()
        sh(b + "link set vb0 down")
        settle()
        res = ask(daemons)
        compare("reload, carrier lost", res)
        check(not route_block(res["birch"], "172.16.1.0/24"), "after a reload: check link still acts")
        sh(b + "link set vb0 up")
        for name, dm in daemons:
            with open(dm.conf) as f:
                conf = f.read()
            with open(dm.conf, "w") as f:
                f.write(conf.replace("  route 172.16.15.0/24 blackhole;\n",
                                     "  route 172.16.15.0/24 blackhole;\n  route 172.16.17.0/24 via 10.14.0.2;\n"))
            c = Conn(dm.sock)
            c.cmd("configure")
            c.close()
        settle()
        res = ask(daemons)
        compare("reload with a new route", res)
        check(route_block(res["birch"], "172.16.17.0/24")[1:2] == ["\tvia 10.14.0.2 on va2"],
              "after a reload: the new route resolves")

        # the warnings both logged (invalid next hops)
        logs = {}
        for name, dm in daemons:
            with open(os.path.join(tmp, name, "log")) as f:
                logs[name] = sorted(re.sub(r"^\S+ \S+ ", "", l) for l in f.read().splitlines()
                                    if "<WARN>" in l or "<ERR>" in l)
        check("<WARN> Invalid next hop 224.0.0.5 of static route 172.16.10.0/24" in logs["birch"] and
              "<WARN> Invalid next hop fe80::1 of static route 2001:db8:104::/48" in logs["birch"],
              "invalid next hops logged", "\n".join(logs["birch"]))
        if "bird" in logs:
            check(logs["bird"] == logs["birch"], "same warnings logged",
                  "bird:\n" + "\n".join(logs["bird"]) + "\nbirch:\n" + "\n".join(logs["birch"]))
        if not BIRD:
            print("skip differential: no bird2 installed")
    finally:
        for name, dm in daemons:
            dm.stop()
        teardown()
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
