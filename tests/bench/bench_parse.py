#!/usr/bin/env python3
"""Config parsing speed: Birch beside BIRD 2 on the same generated file.

Two configs, each parsed by `birch-check` and by `bird -p`, alternately,
several times; the best wall time, CPU time and peak RSS of each are
printed with their ratio:
  - 5,000 BGP protocols (from one template) and a 100,000-prefix set;
  - 100,000 static routes, each with an attribute block as
    tests/bench/bench_load.py writes them (origin, a path of prepends, next
    hop, MED, communities), in one file (issue #5: Birch kept each block's
    syntax tree; BIRD reads such a file of 354 MB whole).
A benchmark, never a timed test: `make bench` runs it, CI only checks that
it runs (`--quick`).

    python3 tests/bench/bench_parse.py [--quick] [--protocols N] [--prefixes N]
        [--static-routes N] [--runs R]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

B = os.environ.get("B", "build")


def gen(path, nproto, npfx):
    with open(path, "w") as f:
        f.write("router id 10.255.0.1;\nlog stderr { error, fatal };\n\n")
        f.write("define BIG_SET = [\n")
        items = []
        for i in range(npfx):
            a, b = (i >> 8) & 0xff, i & 0xff
            items.append("  %d.%d.%d.0/24{24,32}" % (1 + (i >> 16), a, b))
        f.write(",\n".join(items))
        f.write("\n];\n\n")
        f.write("protocol device {\n}\n\n")
        f.write("template bgp peers {\n  local as 64512;\n  hold time 90;\n"
                "  ipv4 {\n    import all;\n    export none;\n  };\n}\n\n")
        for i in range(nproto):
            f.write("protocol bgp peer%d from peers {\n  neighbor 10.%d.%d.%d as %d;\n}\n"
                    % (i, (i >> 16) & 0xff, (i >> 8) & 0xff, (i & 0xff) or 1, 65000 + i % 500))


def gen_static(path, nroutes):
    """One `protocol static` of nroutes routes with attribute blocks; the
    values vary with the route, as a real table's do."""
    with open(path, "w") as f:
        f.write("router id 10.255.0.1;\nlog stderr { error, fatal };\nipv4 table t;\n\n")
        f.write("protocol static st {\n  ipv4 { table t; };\n")
        for i in range(nroutes):
            x = (i * 2654435761) & 0xffffffff
            path_ = ["%d" % (64512 + (x >> s_) % 1000) for s_ in range(0, 4 + x % 4 * 3, 3)]
            st = ["bgp_origin = %s;" % ("ORIGIN_IGP", "ORIGIN_EGP", "ORIGIN_INCOMPLETE")[x % 3]]
            st += ["bgp_path.prepend(%s);" % a for a in path_]
            st.append("bgp_next_hop = 192.0.2.%d;" % (x % 254 + 1))
            st.append("bgp_med = %d;" % (x % 1000))
            st += ["bgp_community.add((%d,%d));" % (x >> 20 & 0xffff, (x >> k) & 0xffff)
                   for k in range(x % 5)]
            f.write("  route %d.%d.%d.0/24 blackhole { %s };\n"
                    % (1 + (i >> 16), (i >> 8) & 0xff, i & 0xff, " ".join(st)))
        f.write("}\n")


def run(cmd):
    """Wall seconds, CPU seconds and peak RSS (kB) of one run of cmd."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes, one run (CI)")
    ap.add_argument("--protocols", type=int, default=5000)
    ap.add_argument("--prefixes", type=int, default=100000)
    ap.add_argument("--static-routes", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    if a.quick:
        a.protocols, a.prefixes, a.static_routes, a.runs = 50, 1000, 1000, 1
    tmp = tempfile.mkdtemp(prefix="birch-bench-")
    try:
        conf = os.path.join(tmp, "big.conf")
        gen(conf, a.protocols, a.prefixes)
        if measure(conf, "%d bgp protocols, %d-prefix set" % (a.protocols, a.prefixes), a.runs):
            return 1
        os.unlink(conf)
        if a.static_routes:
            conf = os.path.join(tmp, "static.conf")
            gen_static(conf, a.static_routes)
            print()
            if measure(conf, "%d static routes with attribute blocks" % a.static_routes, a.runs):
                return 1
        print("(peak RSS is the kernel's per-child figure; below ~15 MB it is this script's own size, "
              "inherited at the spawn)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def measure(conf, what, runs):
    """Print the best of runs for each tool on conf; 1 when one refuses it."""
    tools = [("birch", [os.path.join(B, "birch-check"), "-q", conf])]
    bird = shutil.which("bird") or "/usr/sbin/bird"
    if os.path.exists(bird):
        tools.append(("bird", [bird, "-p", "-c", conf]))
    best = {}
    for _ in range(runs):
        for name, cmd in tools:      # alternate, so noise hits both alike
            rc, wall, cpu, rss, err = run(cmd)
            if rc != 0:
                print("%s refused the config: %s" % (name, err.strip()[:500]))
                return 1
            w, c, r = best.get(name, (1e9, 1e9, 0))
            best[name] = (min(w, wall), min(c, cpu), max(r, rss))
    print("config: %s, %d bytes" % (what, os.path.getsize(conf)))
    for name, (w, c, r) in best.items():
        print("%-6s wall %8.3f s  cpu %8.3f s  peak RSS %8d kB  (best of %d)" % (name, w, c, r, runs))
    if "bird" in best:
        bw, bc, br = best["bird"]
        w, c, r = best["birch"]
        print("ratio birch/bird: wall %.2f  cpu %.2f  rss %.2f" % (w / bw, c / max(bc, 1e-6), r / br))
    return 0


if __name__ == "__main__":
    sys.exit(main())
