#!/usr/bin/env python3
"""Table load: Birch's daemon beside BIRD 2 holding the same 1,000,000 routes.

One config, read by both daemons: the routes of tests/filters/mkmrt.py
(IPv4, realistic attributes: by default 1,000,000 routes from 20 simulated
peers, ~350,000 distinct attribute sets) as one `protocol static` per peer
slot (the k-th route of a prefix goes to static k, so no protocol holds a
prefix twice), each route with an attribute block (`route P blackhole {
bgp_path.prepend(..); bgp_community.add(..); .. }`, built by
bench_filter.static_block), all into table `bench` through a channel whose
import filter is `accept_all`. Each protocol is a file of its own, included
from the main one (the whole is ~350 MB; both daemons read it either way).

For each daemon in turn (BIRD first, then Birch; never both at once),
started in the foreground on a private socket in a temporary directory:

  parse       `bird -p` / `birchd -p` on the config: wall, CPU, peak RSS
  load        time from the spawn to every route imported (the channels'
              `Routes: N imported` of `show protocols all`, polled; then
              checked with `show route count`), the daemon's CPU seconds,
              routes per second; both daemons parse the config and load
              the tables before they answer their first command
  memory      VmRSS and VmHWM (/proc/PID/status), `show memory` (both
              tables side by side), bytes per route: whole RSS, RSS minus
              the parse-only peak (the config), `show memory` total, the
              tables + attributes rows, the tables row alone
  count       `show route table bench count`, time to the reply's last
              line (best and median of several)
  dump        `show route table bench` read from the socket by this
              script (raw protocol, bytes only counted): time to the last
              byte, bytes, MB/s; once more through birdc/birchc > /dev/null
  slow        one client sends the dump and reads it slowly (16 kB every
              50 ms) while a second one sends `show status` every 200 ms:
              the second one's latency (median, max) and the daemon's RSS
              growth meanwhile; the slow client then hangs up mid-dump
  withdraw    `disable all`, time until `show route count` says 0 routes;
              `show memory` once more (what the tables keep afterwards)
  stop        `down`; the daemon is waited for, and killed by its own PID
              (the pid file's, checked against the child's) only if it
              does not go

Every figure is printed for both with the ratio Birch/BIRD; the issue's
target (issue #5: Birch's bytes per route at most half of BIRD's) is
printed beside the memory rows.

    python3 tests/bench/bench_load.py [--quick] [--routes N] [--sets S]
        [--peers P] [--reps R] [--slow SECS] [--no-bird] [--no-birch] [--keep]
    (Birch from $B, default build/; BIRD from the PATH)

A benchmark, never a timed test: --quick (CI) uses tiny sizes and only
checks that everything runs and both daemons end with the right counts.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

B = os.environ.get("B", "build")
HERE = os.path.dirname(os.path.abspath(__file__))
MKMRT = os.path.join(HERE, "..", "filters", "mkmrt.py")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True	# no __pycache__ in the tree
from bench_filter import static_block  # noqa: E402  (the same route blocks)

TABLE = "bench"


def gen_conf(path, txt):
    """Config of one static protocol per peer slot into TABLE, each in a
    file of its own beside path, included from it (a million routes with
    blocks are ~350 MB; Birch reads files of up to 1 GiB); returns
    (static protocols, routes, networks)."""
    protos = []
    last, k, nets = None, 0, 0
    with open(txt) as f:
        for line in f:
            if not line.strip():
                continue
            pfx, blk = static_block(line)
            if pfx == last:
                k += 1
            else:
                k, nets = 0, nets + 1
            last = pfx
            while len(protos) <= k:
                protos.append([])
            protos[k].append(blk)
    with open(path, "w") as f:
        f.write("router id 10.255.0.1;\nlog stderr { warning, error, fatal };\n")
        f.write("ipv4 table %s;\n\nfilter accept_all\n{\n  accept;\n}\n\n" % TABLE)
        for i, blks in enumerate(protos):
            inc = "%s.peer%d" % (path, i)
            f.write('include "%s";\n' % inc)
            with open(inc, "w") as g:
                g.write("protocol static peer%d {\n  ipv4 { table %s; import filter accept_all; };\n"
                        % (i, TABLE))
                g.writelines(blks)
                g.write("}\n")
    return len(protos), sum(len(p) for p in protos), nets


def conf_size(path):
    d = os.path.dirname(path)
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
               if f.startswith(os.path.basename(path)))


# ---- the control socket, BIRD's protocol -----------------------------------

def final_line(line):
    """a reply's last line: four digits and a space ("0000 ", "8001 ...")"""
    return len(line) >= 5 and line[:4].isdigit() and line[4:5] == b" "


class Ctl:
    """One control-socket session. reply() reads up to the line that ends
    a reply; the text is kept only when asked (a dump is only counted)."""

    def __init__(self, path, timeout=1800):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b""
        self.greeting = self.reply()[0]

    def close(self):
        self.s.close()

    def reply(self, keep=True):
        """(text or None, bytes, lines) of the next reply"""
        kept = [] if keep else None
        nbytes = nlines = 0
        buf = self.buf
        while True:
            end = buf.rfind(b"\n")
            if end >= 0:
                done = buf[:end + 1]
                last = done[done.rfind(b"\n", 0, end) + 1:]
                nbytes += len(done)
                nlines += done.count(b"\n")
                if keep:
                    kept.append(done)
                buf = buf[end + 1:]
                if final_line(last):
                    self.buf = buf
                    return (b"".join(kept).decode(errors="replace") if keep else None,
                            nbytes, nlines)
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise RuntimeError("control socket closed mid-reply")
            buf += chunk

    def cmd(self, text, keep=True):
        self.s.sendall(text.encode() + b"\n")
        return self.reply(keep)

    def timed(self, text, keep=False):
        """(seconds to the reply's last byte, bytes, lines, text)"""
        t0 = time.perf_counter()
        out, nb, nl = self.cmd(text, keep)
        return time.perf_counter() - t0, nb, nl, out


def plain(text):
    """reply text without the reply codes"""
    out = []
    for line in text.splitlines():
        if len(line) >= 5 and line[:4].isdigit() and line[4] in "- ":
            out.append(line[5:])
        elif line.startswith(" "):
            out.append(line[1:])
        else:
            out.append(line)
    return "\n".join(out)


UNITS = {"B": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def show_memory(ctl):
    """{row: (effective, overhead)} in bytes, and the reply's text"""
    text = plain(ctl.cmd("show memory")[0])
    rows = {}
    for line in text.splitlines():
        m = re.match(r"(\w[\w ]*):\s+([\d.]+)\s*(\w+)\s+([\d.]+)\s*(\w+)\s*$", line)
        if m:
            rows[m.group(1)] = (float(m.group(2)) * UNITS[m.group(3)],
                                float(m.group(4)) * UNITS[m.group(5)])
    return rows, text


def route_count(ctl):
    """(routes, networks) of `show route table T count`"""
    text = plain(ctl.cmd("show route table %s count" % TABLE)[0])
    m = re.search(r"(\d+) of (\d+) routes for (\d+) networks", text)
    if not m:
        raise RuntimeError("unexpected count reply: " + text[:300])
    return int(m.group(2)), int(m.group(3))


def imported(ctl):
    """(channels listed, routes imported) over every protocol"""
    text = ctl.cmd("show protocols all")[0]
    n = [int(x) for x in re.findall(r"Routes:\s+(\d+) imported", text)]
    return len(n), sum(n)


# ---- the daemon process ----------------------------------------------------

def proc_status(pid):
    """{VmRSS, VmHWM} in kB"""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def proc_cpu(pid):
    """user + system CPU seconds of a live process"""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parse_only(cmd):
    """wall, CPU seconds, peak RSS (kB) of a parse-only run, or an error"""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s refused the config: %s" % (cmd[0], err.decode()[:500]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


class Daemon:
    """A private daemon (bird or birchd) in the foreground; only the
    process started here is ever signalled."""

    def __init__(self, name, exe, client, tmp, conf):
        self.name, self.exe, self.client, self.conf = name, exe, client, conf
        self.sock = os.path.join(tmp, name + ".ctl")
        self.pidf = os.path.join(tmp, name + ".pid")
        self.logf = os.path.join(tmp, name + ".log")
        self.p = None

    def start(self):
        self.log = open(self.logf, "w")
        self.t0 = time.perf_counter()
        self.p = subprocess.Popen([self.exe, "-f", "-c", self.conf, "-s", self.sock,
                                   "-P", self.pidf], stdout=self.log, stderr=subprocess.STDOUT)

    def connect(self, timeout):
        """a session, once the daemon answers (its greeting)"""
        end = time.perf_counter() + timeout
        while True:
            self.check()
            try:
                return Ctl(self.sock)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.perf_counter() > end:
                    raise RuntimeError("%s: no control socket after %d s" % (self.name, timeout))
                time.sleep(0.02)

    def check(self):
        if self.p.poll() is not None:
            with open(self.logf) as f:
                tail = f.read()[-800:]
            raise RuntimeError("%s exited early (%d): %s" % (self.name, self.p.returncode, tail))

    def stop(self):
        if self.p is None or self.p.poll() is not None:
            return
        try:
            c = Ctl(self.sock, timeout=30)
            c.s.sendall(b"down\n")
            c.reply()
            c.close()
        except (OSError, RuntimeError):
            pass
        try:
            self.p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pid = self.p.pid
            try:
                with open(self.pidf) as f:
                    pid = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
            if pid == self.p.pid:	# never anything but our own child
                os.kill(pid, signal.SIGTERM)
                try:
                    self.p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(pid, signal.SIGKILL)
                    self.p.wait()
        self.log.close()


def slow_dump(path, secs, stats):
    """send the dump, read 16 kB every 50 ms for secs, then hang up"""
    c = Ctl(path)
    c.s.sendall(("show route table %s\n" % TABLE).encode())
    end = time.perf_counter() + secs
    got = 0
    while time.perf_counter() < end:
        try:
            b = c.s.recv(16384)
        except socket.timeout:
            break
        if not b:
            break
        got += len(b)
        if final_line(b.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n"):
            stats["finished"] = True
            break
        time.sleep(0.05)
    stats["bytes"] = got
    c.close()


def measure(d, want_routes, want_nets, a):
    """Run every phase on daemon d; returns {figure: value} and the
    `show memory` text after the load."""
    r = {}
    d.start()
    try:
        ctl = d.connect(a.timeout)
        r["t_answer"] = time.perf_counter() - d.t0
        n = 0
        while True:	# every channel listed, every route imported
            chans, n = imported(ctl)
            if chans >= a.nstatic and n >= want_routes:
                break
            if time.perf_counter() - d.t0 > a.timeout:
                raise RuntimeError("%s: %d of %d routes after %d s" % (d.name, n, want_routes, a.timeout))
            time.sleep(0.05)
        r["t_load"] = time.perf_counter() - d.t0
        r["cpu_load"] = proc_cpu(d.p.pid)
        routes, nets = route_count(ctl)
        if routes != want_routes or nets != want_nets or n != want_routes:
            raise RuntimeError("%s: %d routes for %d networks (imported %d), expected %d for %d"
                               % (d.name, routes, nets, n, want_routes, want_nets))
        st = proc_status(d.p.pid)
        r["rss_load"], r["hwm_load"] = st["VmRSS"] * 1024, st["VmHWM"] * 1024
        r["mem"], r["mem_text"] = show_memory(ctl)

        ts = [ctl.timed("show route table %s count" % TABLE)[0] for _ in range(a.reps)]
        r["t_count"], r["t_count_med"] = min(ts), statistics.median(ts)

        dumps = []
        for _ in range(a.reps):
            t, nb, nl, _ = ctl.timed("show route table %s" % TABLE)
            dumps.append(t)
        r["t_dump"], r["t_dump_med"], r["dump_bytes"], r["dump_lines"] = (
            min(dumps), statistics.median(dumps), nb, nl)
        t0 = time.perf_counter()
        p = subprocess.run([d.client, "-s", d.sock, "show", "route", "table", TABLE],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=a.timeout)
        r["t_dump_client"] = time.perf_counter() - t0
        if p.returncode:
            raise RuntimeError("%s failed: %s" % (d.client, p.stderr.decode()[:300]))
        r["hwm_dump"] = proc_status(d.p.pid)["VmHWM"] * 1024

        # a slow reader of the dump, and a second client meanwhile
        stats = {"finished": False}
        rss0 = proc_status(d.p.pid)["VmRSS"]
        th = threading.Thread(target=slow_dump, args=(d.sock, a.slow, stats))
        other = Ctl(d.sock)
        th.start()
        time.sleep(0.2)
        lat, rss = [], []
        while th.is_alive():
            lat.append(other.timed("show status", keep=True)[0])
            rss.append(proc_status(d.p.pid).get("VmRSS", 0))
            time.sleep(0.2)
        th.join()
        other.close()
        r["slow_lat_med"] = statistics.median(lat) if lat else float("nan")
        r["slow_lat_max"] = max(lat) if lat else float("nan")
        r["slow_n"] = len(lat)
        r["slow_rss_growth"] = (max(rss or [rss0]) - rss0) * 1024
        r["slow_bytes"], r["slow_finished"] = stats.get("bytes", 0), stats["finished"]
        ctl.cmd("show status")	# still there after the hang-up

        t0 = time.perf_counter()
        ctl.cmd("disable all")
        while route_count(ctl)[0] != 0:
            if time.perf_counter() - t0 > a.timeout:
                raise RuntimeError("%s: routes left after %d s" % (d.name, a.timeout))
            time.sleep(0.05)
        r["t_withdraw"] = time.perf_counter() - t0
        r["mem_after"], r["mem_after_text"] = show_memory(ctl)
        r["rss_after"] = proc_status(d.p.pid)["VmRSS"] * 1024
        r["hwm_end"] = proc_status(d.p.pid)["VmHWM"] * 1024
        r["cpu_end"] = proc_cpu(d.p.pid)
        ctl.close()
    finally:
        d.stop()
    return r


# ---- the report ------------------------------------------------------------

def mem_sum(mem, rows, overhead=True):
    return sum(mem.get(k, (0, 0))[0] + (mem.get(k, (0, 0))[1] if overhead else 0) for k in rows)


def figures(r, routes):
    """the printed rows of one daemon: {name: (value, format)}"""
    m = r["mem"]
    allrows = list(m.keys() - {"Total"})
    tbl = ["Routing tables", "Route attributes"]
    p = r["parse"]
    f = {}
    f["parse: wall s (-p)"] = p[0]
    f["parse: CPU s (-p)"] = p[1]
    f["parse: peak RSS MB (-p)"] = p[2] / 1024
    f["load: s from spawn to all routes present"] = r["t_load"]
    f["load: s from spawn to first CLI answer"] = r["t_answer"]
    f["load: daemon CPU s"] = r["cpu_load"]
    f["load: routes/s (spawn to present)"] = routes / r["t_load"]
    f["mem: VmRSS MB after load"] = r["rss_load"] / 2 ** 20
    f["mem: VmHWM MB after load"] = r["hwm_load"] / 2 ** 20
    f["mem: VmHWM MB at the end"] = r["hwm_end"] / 2 ** 20
    f["mem: show memory total MB (eff+ovh)"] = mem_sum(m, allrows) / 2 ** 20
    f["mem: Current config MB (eff+ovh)"] = mem_sum(m, ["Current config"]) / 2 ** 20
    f["B/route: VmRSS"] = r["rss_load"] / routes
    f["B/route: VmRSS - parse peak RSS"] = (r["rss_load"] - p[2] * 1024) / routes
    f["B/route: show memory total"] = mem_sum(m, allrows) / routes
    f["B/route: tables + attributes (eff+ovh)"] = mem_sum(m, tbl) / routes
    f["B/route: tables + attributes (effective)"] = mem_sum(m, tbl, False) / routes
    f["B/route: Routing tables (eff+ovh)"] = mem_sum(m, tbl[:1]) / routes
    f["attributes: MB (eff+ovh)"] = mem_sum(m, tbl[1:]) / 2 ** 20
    f["count: s (best)"] = r["t_count"]
    f["count: s (median)"] = r["t_count_med"]
    f["dump: s to last byte (best)"] = r["t_dump"]
    f["dump: s to last byte (median)"] = r["t_dump_med"]
    f["dump: MB"] = r["dump_bytes"] / 2 ** 20
    f["dump: MB/s"] = r["dump_bytes"] / 2 ** 20 / r["t_dump"]
    f["dump: s via the client > /dev/null"] = r["t_dump_client"]
    f["dump: VmHWM MB after the dumps"] = r["hwm_dump"] / 2 ** 20
    f["slow reader: other client's latency ms (median)"] = r["slow_lat_med"] * 1000
    f["slow reader: other client's latency ms (max)"] = r["slow_lat_max"] * 1000
    f["slow reader: daemon RSS growth MB"] = r["slow_rss_growth"] / 2 ** 20
    f["withdraw: s to 0 routes"] = r["t_withdraw"]
    f["withdraw: routes/s"] = routes / r["t_withdraw"]
    f["withdraw: tables+attrs MB left"] = mem_sum(r["mem_after"], tbl) / 2 ** 20
    f["withdraw: VmRSS MB after"] = r["rss_after"] / 2 ** 20
    return f


TARGETS = {
    "B/route: tables + attributes (eff+ovh)": "<= 0.5",
    "B/route: show memory total": "<= 0.5",
    "B/route: VmRSS": "<= 0.5",
}


def memory_side_by_side(res, key):
    names = list(res)
    texts = [res[n][key].splitlines() for n in names]
    w = max(len(line) for t in texts for line in t) + 4
    print("  ".join("%-*s" % (w, n) for n in names))
    for i in range(max(len(t) for t in texts)):
        print("  ".join("%-*s" % (w, t[i] if i < len(t) else "") for t in texts))


def report(res, routes, nets, a):
    figs = {n: figures(r, routes) for n, r in res.items()}
    order = [n for n in ("birch", "bird") if n in figs]
    print()
    print("%d routes for %d networks, %d static protocols, %d attribute sets asked of mkmrt"
          % (routes, nets, a.nstatic, a.sets))
    print()
    print("show memory after the load:")
    memory_side_by_side(res, "mem_text")
    print()
    print("show memory after the withdraw:")
    memory_side_by_side(res, "mem_after_text")
    print()
    keys = list(figs[order[0]].keys())
    w = max(len(k) for k in keys)
    hdr = "%-*s  %12s" % (w, "", order[0])
    if len(order) == 2:
        hdr += "  %12s  %8s  %s" % (order[1], "ratio", "target")
    print(hdr)
    for k in keys:
        line = "%-*s  %12s" % (w, k, fmt(figs[order[0]][k]))
        if len(order) == 2:
            b = figs["bird"][k]
            ratio = figs["birch"][k] / b if b else float("nan")
            line += "  %12s  %8.2f  %s" % (fmt(b), ratio, TARGETS.get(k, ""))
        print(line)
    for n in order:
        r = res[n]
        print("%s: slow reader got %.1f MB in %.1f s (%s), %d `show status` meanwhile"
              % (n, r["slow_bytes"] / 2 ** 20, a.slow,
                 "whole dump" if r["slow_finished"] else "hung up mid-dump", r["slow_n"]))


def fmt(v):
    if v != v:
        return "nan"
    if abs(v) >= 1e6:
        return "%.0f" % v
    if abs(v) >= 100:
        return "%.1f" % v
    return "%.4g" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="tiny sizes (CI)")
    ap.add_argument("--routes", type=int, default=1000000)
    ap.add_argument("--sets", type=int, default=350000)
    ap.add_argument("--peers", type=int, default=20)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--reps", type=int, default=3, help="repetitions of count and dump")
    ap.add_argument("--slow", type=float, default=5.0, help="seconds of the slow reader")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--no-bird", action="store_true")
    ap.add_argument("--no-birch", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    if a.quick:
        a.routes, a.sets, a.reps, a.slow = 5000, 1750, 1, 0.5
    daemons = []
    bird = shutil.which("bird") or "/usr/sbin/bird"
    birdc = shutil.which("birdc") or "/usr/sbin/birdc"
    if not a.no_bird and os.path.exists(bird) and os.path.exists(birdc):
        daemons.append(("bird", bird, birdc))
    if not a.no_birch:
        daemons.append(("birch", os.path.join(B, "birchd"), os.path.join(B, "birchc")))
    tmp = tempfile.mkdtemp(prefix="birch-bench-load-")
    try:
        mrt, txt = os.path.join(tmp, "routes.mrt"), os.path.join(tmp, "routes.txt")
        subprocess.run([sys.executable, MKMRT, "-o", mrt, "--text", txt, "--routes", str(a.routes),
                        "--peers", str(a.peers), "--sets", str(a.sets), "--seed", str(a.seed),
                        "--v6", "0"], check=True)
        conf = os.path.join(tmp, "load.conf")
        a.nstatic, routes, nets = gen_conf(conf, txt)
        os.unlink(mrt)
        print("config: %s and its includes, %.1f MB, %d routes in %d static protocols"
              % (conf, conf_size(conf) / 2 ** 20, routes, a.nstatic))
        res, failed = {}, []
        for name, exe, client in daemons:
            try:	# one side failing still reports the other
                pr = parse_only([exe, "-p", "-c", conf])
                print("%s: parse %.2f s; loading ..." % (name, pr[0]), flush=True)
                r = measure(Daemon(name, exe, client, tmp, conf), routes, nets, a)
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                print("%s FAILED: %s" % (name, e), flush=True)
                failed.append(name)
                continue
            r["parse"] = pr
            res[name] = r
            print("%s: all %d routes present after %.2f s" % (name, routes, r["t_load"]),
                  flush=True)
        if res:
            report(res, routes, nets, a)
        if "bird" not in res and "bird" not in failed:
            print("(no BIRD side: %s)" % ("--no-bird" if a.no_bird else "bird2 not installed"))
        if failed:
            return 1
    finally:
        if a.keep:
            print("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
