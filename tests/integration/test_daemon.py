#!/usr/bin/env python3
"""Integration test of the daemon shell and its control socket.

Starts birchd on a temporary config and socket and checks, over the raw
protocol and through birchc: show status, show memory, the configure family
with good and broken configs (the running config stays), abbreviations,
restricted sessions, over-long requests, two clients at once of which one
never reads, a second daemon on a live socket, a stale socket, SIGHUP,
SIGUSR1 and `down`.

Where a real BIRD 2 is installed, the same raw requests go to a private
BIRD on the same config, and the replies must be identical line for line
except where the two daemons differ by nature (version string, times,
hostname, memory figures).
Only unix sockets in a temporary directory are used; every process started
here is ended by its PID.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

B = os.environ.get("B", "build")
BIRCHD = os.path.abspath(os.path.join(B, "birchd"))
BIRCHC = os.path.abspath(os.path.join(B, "birchc"))
BIRD = shutil.which("bird") or ("/usr/sbin/bird" if os.path.exists("/usr/sbin/bird") else None)

failures = []
checks = 0


def check(cond, what, detail=""):
    global checks
    checks += 1
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what + (("\n     " + detail.replace("\n", "\n     ")) if detail else ""))
        failures.append(what)


def wait_for(pred, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


class Conn:
    """A raw client of BIRD's line protocol."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(5)
        self.s.connect(path)
        self.buf = b""
        self.greeting = self.reply()

    def line(self):
        while b"\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        l, self.buf = self.buf.split(b"\n", 1)
        return l.decode()

    def reply(self):
        """Lines up to and including the last one ("NNNN text")."""
        out = []
        while True:
            l = self.line()
            out.append(l)
            if re.match(r"^\d{4} ", l):
                return out

    def cmd(self, text):
        self.s.sendall(text.encode() + b"\n")
        return self.reply()

    def close(self):
        self.s.close()


def normalize(lines):
    """Blank out what legitimately differs between BIRD and Birch."""
    out = []
    for l in lines:
        l = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?", "TIME", l)
        l = re.sub(r"^(0001 ).*( ready\.)$", r"\1VERSION\2", l)
        l = re.sub(r"^(1000-).*$", r"\1VERSION", l)
        l = re.sub(r"Hostname is .*", "Hostname is HOST", l)
        l = re.sub(r"undo in [\d.]+ s", "undo in N s", l)
        l = re.sub(r"(:\s+)\s*[\d.]+ +k?M?G?B\s+[\d.]+ +k?M?G?B$", r"\1SIZES", l)
        l = re.sub(r"^(\S+?:)\s+SIZES$", r"\1 SIZES", l)
        l = re.sub(r"^( ?\S[^:]*:)\s+SIZES$", r"\1 SIZES", l)
        out.append(l)
    return out


class Daemon:
    def __init__(self, exe, conf, sock, pidfile, extra=()):
        self.exe, self.conf, self.sock, self.pidfile = exe, conf, sock, pidfile
        self.extra = list(extra)
        self.pid = None

    def start(self):
        r = subprocess.run([self.exe, "-c", self.conf, "-s", self.sock, "-P", self.pidfile] + self.extra,
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            return r
        if not wait_for(lambda: os.path.exists(self.pidfile) and open(self.pidfile).read().strip()):
            r.returncode = -1
            return r
        self.pid = int(open(self.pidfile).read())
        wait_for(lambda: os.path.exists(self.sock))
        return r

    def alive(self):
        if not self.pid:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        # a zombie is not alive
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().split()[2] != "Z"
        except FileNotFoundError:
            return False

    def stop(self):
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            if not wait_for(lambda: not self.alive(), 5):
                os.kill(self.pid, signal.SIGKILL)
        self.pid = None


def birchc(sock, *args, stdin=None):
    return subprocess.run([BIRCHC, "-s", sock] + list(args), capture_output=True, text=True,
                          timeout=10, input=stdin)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


GOOD = """log "{log}" all;
router id 1.1.1.1;
protocol device {{ }}
"""
GOOD2 = """log "{log}" all;
router id 2.2.2.2;
protocol device {{ }}
"""
BROKEN = """router id 3.3.3.3;
protocol device {
  foo bar;
}
"""

# Requests whose replies must be the same from BIRD and Birch (normalized).
DIFF_REQUESTS = [
    "show status", "show memory", "foo", "show", "show foo", "show status x",
    "configure check", "configure soft check", "configure status", "configure confirm",
    "configure undo", "down x", "show memory 5", 'configure check "{bad}"',
    "configure timeout", "configure status", "configure confirm", "configure status",
    "", "   ", 'show "x', 'configure "a" "b"', "configure timeout x", "configure 5",
    "configure timeout 5 x", 'configure "a" timeout 5 x', "configure check x", 'configure check "a" x',
    "configure confirm x", "configure undo 5", "configure status x", "restrict x", "configure soft 5",
    'configure soft "a" x', "configure soft timeout x", 'configure "a" timeout 5 6', "configure x",
    "eval 1+2", "eval (1,2)", "eval foo", "eval 1/0", "eval", 'eval "a" "b"', "eval [1,2]",
    "eval 10.0.0.0/8", "eval (64500, 10) ~ [(64500, *)]", "eval [= * 64512 ? =]", "eval 2 * (3 + 4)",
    "show memory x", "quit x", "help 5", 'exit "a"', "QUIT", "SHOW STATUS",
    "restrict", "configure", "down", "show status",
]


def differential(tmp):
    if not BIRD:
        print("skip differential: no bird2 installed")
        return
    logs = {}
    for name, exe in (("bird", BIRD), ("birch", BIRCHD)):
        d = os.path.join(tmp, "diff-" + name)
        os.makedirs(d)
        conf = os.path.join(d, "c.conf")
        write(conf, "router id 1.1.1.1;\nprotocol device { }\n")
        bad = os.path.join(d, "bad.conf")
        write(bad, BROKEN)
        dm = Daemon(exe, conf, os.path.join(d, "c.ctl"), os.path.join(d, "c.pid"))
        r = dm.start()
        if r.returncode != 0:
            check(False, "differential: %s starts" % name, r.stderr)
            return
        try:
            c = Conn(dm.sock)
            out = normalize(c.greeting)
            for req in DIFF_REQUESTS:
                req = req.replace("{bad}", bad)
                out.append(">>> " + req)
                out += normalize(c.cmd(req)).__iter__()
            c.close()
        finally:
            dm.stop()
        logs[name] = [l.replace(d, "DIR") for l in out]
    same = logs["bird"] == logs["birch"]
    detail = ""
    if not same:
        import difflib
        detail = "\n".join(difflib.unified_diff(logs["bird"], logs["birch"], "bird", "birch", lineterm=""))
    check(same, "raw replies identical to BIRD 2 for %d requests" % len(DIFF_REQUESTS), detail)


def main():
    for exe in (BIRCHD, BIRCHC):
        if not os.access(exe, os.X_OK):
            print("missing " + exe)
            return 1
    tmp = tempfile.mkdtemp(prefix="birch-it-")
    # A detached daemon's stderr is /dev/null: under the sanitizer build,
    # reports go to files that the end of this test looks for.
    sanlog = os.path.join(tmp, "sanitizer")
    os.environ["ASAN_OPTIONS"] = "log_path=%s:detect_leaks=1" % sanlog
    os.environ["UBSAN_OPTIONS"] = "log_path=%s:print_stacktrace=1" % sanlog
    daemons = []
    try:
        conf = os.path.join(tmp, "birch.conf")
        good2 = os.path.join(tmp, "good2.conf")
        broken = os.path.join(tmp, "broken.conf")
        log = os.path.join(tmp, "birch.log")
        sock = os.path.join(tmp, "birch.ctl")
        pidf = os.path.join(tmp, "birch.pid")
        write(conf, GOOD.format(log=log))
        write(good2, GOOD2.format(log=log))
        write(broken, BROKEN)

        # -p: parse only
        r = subprocess.run([BIRCHD, "-p", "-c", conf], capture_output=True, text=True)
        check(r.returncode == 0, "birchd -p accepts a good config", r.stderr)
        r = subprocess.run([BIRCHD, "-p", "-c", broken], capture_output=True, text=True)
        check(r.returncode != 0 and re.search(re.escape(broken) + r":3:3: ", r.stderr) is not None,
              "birchd -p rejects a broken config with FILE:LINE:COL", r.stderr)
        r = subprocess.run([BIRCHD, "--version"], capture_output=True, text=True)
        check(r.returncode == 0 and "Birch" in r.stdout, "birchd --version")

        d = Daemon(BIRCHD, conf, sock, pidf)
        daemons.append(d)
        r = d.start()
        check(r.returncode == 0 and d.alive(), "birchd starts and daemonizes", r.stderr)
        check(os.getppid() != d.pid, "daemon has its own pid in the pidfile")

        c = Conn(sock)
        check(re.match(r"^0001 Birch \S+ ready\.$", c.greeting[0]) is not None, "greeting 0001", str(c.greeting))
        st = c.cmd("show status")
        check(st[0].startswith("1000-Birch ") and st[1] == "1011-Router ID is 1.1.1.1"
              and st[2].startswith(" Hostname is ") and st[3].startswith(" Current server time is ")
              and st[4].startswith(" Last reboot on ") and st[5].startswith(" Last reconfiguration on ")
              and st[6] == "0013 Daemon is up and running", "show status, raw", "\n".join(st))

        # birchc: plain output and abbreviations
        r = birchc(sock, "show", "status")
        check(r.returncode == 0 and "Router ID is 1.1.1.1" in r.stdout and "Daemon is up and running" in r.stdout,
              "birchc show status", r.stdout + r.stderr)
        r2 = birchc(sock, "sh", "st")
        check(r2.returncode == 0 and "Router ID is 1.1.1.1" in r2.stdout, "birchc sh st (abbreviation)", r2.stdout + r2.stderr)
        r = birchc(sock, "-v", "show", "memory")
        # birdc -v prints numbered lines raw, continuations indented, and no 0000 line
        check(r.returncode == 0 and r.stdout.startswith("0001 Birch") and "\n1018-BIRD memory usage\n" in r.stdout
              and "\n     Total: " in r.stdout and "0000" not in r.stdout,
              "birchc -v passes numbered lines", r.stdout)

        # configure: good, broken, check
        rep = c.cmd('configure "%s"' % good2)
        check(rep == ["0002-Reading configuration from %s" % good2, "0003 Reconfigured"], "configure good config", str(rep))
        check(c.cmd("show status")[1] == "1011-Router ID is 2.2.2.2", "new router id after configure")
        rep = c.cmd('configure "%s"' % broken)
        check(len(rep) == 2 and rep[1].startswith("8002 %s:3:3 " % broken), "configure broken config: 8002 FILE:LINE:COL",
              str(rep))
        check(c.cmd("show status")[1] == "1011-Router ID is 2.2.2.2", "running config stays after a broken one")
        rep = c.cmd('configure check "%s"' % broken)
        check(rep[-1].startswith("8002 %s:3:3 " % broken), "configure check broken", str(rep))
        rep = c.cmd('configure check "%s"' % conf)
        check(rep[-1] == "0020 Configuration OK", "configure check good", str(rep))
        rep = c.cmd('configure "%s/nonexistent.conf"' % tmp)
        check(rep[-1] == "8002 %s/nonexistent.conf: No such file or directory" % tmp, "configure missing file", str(rep))
        rep = c.cmd("configure undo")
        check(rep == ["0021-Undo requested", "0003 Reconfigured"], "configure undo", str(rep))
        check(c.cmd("show status")[1] == "1011-Router ID is 1.1.1.1", "undo returns to the previous config")
        rep = c.cmd('configure "%s" timeout 1' % good2)
        check(rep[-2:] == ["0022-Undo scheduled in 1 s", "0003 Reconfigured"], "configure timeout", str(rep))
        time.sleep(1.6)
        check(c.cmd("show status")[1] == "1011-Router ID is 1.1.1.1", "unconfirmed config undone after timeout")

        # errors and limits
        rep = c.cmd("show nonsense")
        check(rep == ["9001 syntax error, unexpected CF_SYM_UNDEFINED"], "unknown command: 9001", str(rep))
        c.s.sendall(b"show status " + b"x" * 5000 + b"\n")
        rep = c.reply()
        check(rep == ["9000 Command too long"], "over-long request: 9000", str(rep))
        check(c.cmd("show status")[-1] == "0013 Daemon is up and running", "session usable after an over-long request")

        # restricted sessions
        r = birchc(sock, "-r", "down")
        check("Access denied" in r.stdout and d.alive(), "birchc -r may not run down", r.stdout + r.stderr)
        r = birchc(sock, "-r", "show", "status")
        check("Router ID" in r.stdout, "birchc -r may read")

        # two clients: one floods requests and never reads its replies
        hog = socket.socket(socket.AF_UNIX)
        hog.connect(sock)
        hog.setblocking(False)
        sent = 0
        flood = b"show status\n" * 2000
        end = time.time() + 3
        while time.time() < end:
            try:
                sent += hog.send(flood)
            except BlockingIOError:
                time.sleep(0.01)
            if sent > 50 * 1024 * 1024:
                break
        t0 = time.time()
        c2 = Conn(sock)
        rep = c2.cmd("show status")
        dt = time.time() - t0
        check(rep[-1] == "0013 Daemon is up and running" and dt < 2.0,
              "second client served while another never reads (%.3f s)" % dt)
        rss = int(re.search(r"VmRSS:\s+(\d+)", open("/proc/%d/status" % d.pid).read()).group(1))
        check(rss < 64 * 1024, "memory bounded with a client that never reads (RSS %d kB)" % rss)
        hog.close()
        c2.close()

        # a second daemon on a live socket is refused; the first keeps running
        r = subprocess.run([BIRCHD, "-c", conf, "-s", sock, "-P", pidf + "2"], capture_output=True, text=True, timeout=10)
        check(r.returncode != 0 and "in use" in r.stderr and d.alive(), "second daemon refused on a live socket",
              r.stderr)

        # SIGHUP: reload the file given by -c
        write(conf, GOOD2.format(log=log))
        os.kill(d.pid, signal.SIGHUP)
        check(wait_for(lambda: Conn(sock).cmd("show status")[1] == "1011-Router ID is 2.2.2.2"),
              "SIGHUP reloads the config")
        write(conf, BROKEN)
        os.kill(d.pid, signal.SIGHUP)
        time.sleep(0.5)
        check(Conn(sock).cmd("show status")[1] == "1011-Router ID is 2.2.2.2" and d.alive(),
              "SIGHUP with a broken config keeps the running one")
        logtext = open(log).read()
        check(re.search(r"<ERR> .*broken|<ERR> %s:3:3" % re.escape(conf), logtext) is not None,
              "broken reload logged with its location", logtext[-500:])
        write(conf, GOOD.format(log=log))
        os.kill(d.pid, signal.SIGUSR1)
        check(wait_for(lambda: "Dump:" in open(log).read()), "SIGUSR1 dumps state to the log")
        check(re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} <INFO> Started$", open(log).read(), re.M) is not None,
              "log lines in BIRD's format")

        # down
        rep = c.cmd("down")
        check(rep == ["0007 Shutdown requested"], "down replies 0007", str(rep))
        check(wait_for(lambda: not d.alive()), "daemon exits after down")
        check(not os.path.exists(sock) and not os.path.exists(pidf), "socket and pidfile removed")
        check("<FATAL> Shutdown completed" in open(log).read(), "shutdown logged")

        # a stale socket file (no daemon behind it) is replaced
        s = socket.socket(socket.AF_UNIX)
        s.bind(sock)
        s.close()
        r = d.start()
        check(r.returncode == 0 and d.alive() and Conn(sock).cmd("show status")[-1].startswith("0013"),
              "stale socket replaced", r.stderr)
        d.stop()

        # -u/-g: drop to an unprivileged user keeping only routing's capabilities
        if os.getuid() == 0 and subprocess.run(["id", "nobody"], capture_output=True).returncode == 0:
            ud = os.path.join(tmp, "u")
            os.makedirs(ud)
            os.chmod(tmp, 0o711)
            os.chmod(ud, 0o777)
            write(os.path.join(ud, "c.conf"), "router id 1.1.1.1;\nprotocol device { }\n")
            du = Daemon(BIRCHD, os.path.join(ud, "c.conf"), os.path.join(ud, "c.ctl"), os.path.join(ud, "c.pid"),
                        ["-u", "nobody", "-g", "nogroup"])
            daemons.append(du)
            r = du.start()
            st = open("/proc/%d/status" % du.pid).read() if du.alive() else ""
            uid = re.search(r"Uid:\s+(\d+)", st)
            eff = re.search(r"CapEff:\s+([0-9a-f]+)", st)
            check(r.returncode == 0 and uid and uid.group(1) != "0" and eff and int(eff.group(1), 16) == 0x3c00,
                  "-u/-g drop to nobody with NET_ADMIN, NET_BIND_SERVICE, NET_BROADCAST, NET_RAW only", r.stderr + st[:400])
            check(os.stat(du.sock).st_uid == int(uid.group(1)) if uid else False, "control socket owned by the user")
            rep = Conn(du.sock).cmd("down")
            check(rep == ["0007 Shutdown requested"] and wait_for(lambda: not du.alive())
                  and not os.path.exists(du.sock), "unprivileged daemon shuts down and removes its socket")

        differential(tmp)
        reports = [f for f in os.listdir(tmp) if f.startswith("sanitizer")]
        check(not reports, "no sanitizer reports from the daemons",
              "\n".join(open(os.path.join(tmp, f)).read()[:3000] for f in reports))
    finally:
        for d in daemons:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
