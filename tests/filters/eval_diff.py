#!/usr/bin/env python3
"""Differential test: every expression below is evaluated by
`birch-check --eval EXPR CONF` and by a private BIRD 2 (`birdc eval`) on the
same config; the printed values must be identical. Skipped (exit 0) when
bird2 is not installed."""
import os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
B = os.environ.get("B", "build")
CHECK = os.path.join(B, "birch-check")
CONF = os.path.join(HERE, "eval_diff.conf")

EXPRS = [
    "1", "0", "4294967295", "4294967295 + 1", "0 - 1", "7 / 2", "7 * 6", "100 - 1",
    "1 + 2 * 3", "(1 + 2) * 3", "65536 * 65536", "true", "false", "!true", "true && false",
    "true || false", "1 = 1", "1 != 2", "1 < 2", "2 <= 2", "3 > 2", "2 >= 3",
    "\"abc\"", "\"abc\" = \"abc\"", "\"abc\" < \"abd\"", "\"abc\" ~ \"a*\"", "\"abc\" ~ \"?b?\"",
    "\"abc\" !~ \"b*\"", "1.2.3.4", "2001:db8::1", "1.2.3.4 = 1.2.3.4", "1.2.3.4 < 1.2.3.5",
    "10.0.0.0/8", "2001:db8::/32", "10.0.0.0/8.len", "10.0.0.0/8.ip", "10.0.0.0/8.type",
    "2001:db8::/32.type", "1.2.3.4.mask(8)", "1.2.3.4.mask(24)", "1.2.3.4.is_v4", "2001:db8::1.is_v4",
    "10.1.0.0/16 ~ 10.0.0.0/8", "10.0.0.0/8 ~ 10.1.0.0/16", "1.2.3.4 ~ 1.2.0.0/16",
    "1.2.3.4 ~ 1.3.0.0/16", "(1,2)", "(65535,65535)", "(1,2) = (1,2)", "(1,2) < (1,3)",
    "(2,1) > (1,3)", "(1,2,3)", "(4294967295, 1, 2)", "(1,2,3) = (1,2,3)", "(1,2,3).data1",
    "(1,2,3).data2", "(1,2,3).asn", "(rt, 1, 2)", "(ro, 65536, 2)", "(rt, 1.2.3.4, 5)",
    "(generic, 1, 2)", "[1, 2, 5..7]", "[5..7, 1]", "[(1,2)..(1,5), (2,*)]", "[(1,2,3)]",
    "[1.2.3.4, 5.6.7.8]", "[10.0.0.0/8+]", "[10.0.0.0/8-]", "[10.0.0.0/8{16,24}]",
    "[10.0.0.0/8, 192.168.0.0/16+]", "[2001:db8::/32+]", "5 ~ [1, 5..7]", "8 ~ [1, 5..7]",
    "(1,2) ~ [(1,*)]", "(2,2) ~ [(1,*)]", "(1,5) ~ [(1,2..6)]", "(1,2,3) ~ [(1,2,3)]",
    "1.2.3.4 ~ [1.2.3.4, 5.6.7.8]", "10.1.0.0/16 ~ [10.0.0.0/8+]", "10.1.0.0/16 ~ [10.0.0.0/8-]",
    "10.0.0.0/8 ~ [10.0.0.0/8-]", "10.1.0.0/16 ~ [10.0.0.0/8{16,24}]", "10.1.1.0/24 ~ [10.0.0.0/8{16,24}]",
    "10.1.1.1/32 ~ [10.0.0.0/8{16,24}]", "11.0.0.0/8 ~ [10.0.0.0/8+]", "RTS_BGP", "RTS_STATIC",
    "SCOPE_HOST", "SCOPE_UNIVERSE", "RTD_BLACKHOLE", "ROA_VALID", "ORIGIN_IGP", "ORIGIN_INCOMPLETE",
    "NET_IP4", "NET_IP6", "RTS_BGP = RTS_BGP", "+empty+", "-empty-", "--empty--", "---empty---",
    "prepend(+empty+, 5)", "prepend(prepend(+empty+, 5), 7)", "prepend(+empty+, 5).len",
    "prepend(prepend(+empty+, 5), 7).first", "prepend(prepend(+empty+, 5), 7).last",
    "5 ~ prepend(+empty+, 5)", "6 ~ prepend(+empty+, 5)", "p3()", "p3().len", "p3().first",
    "p3().last", "p3() ~ [= 1 2 3 =]", "p3() ~ [= 1 * =]", "p3() ~ [= * 3 =]", "p3() ~ [= ? 2 ? =]",
    "p3() ~ [= 2 * =]", "p3() ~ [= * [2, 4] * =]", "p3() ~ [= 1 2..4 3 =]", "p3() ~ [= * =]",
    "delete(p3(), 2)", "delete(p3(), [1, 3])", "filter(p3(), [1, 3])", "[= * 1 ? =]",
    "[= 1 2..5 * =]", "add(-empty-, (1,2))", "add(add(-empty-, (1,2)), (3,4))",
    "add(add(add(-empty-, (3,4)), (1,2)), (3,4))", "c2()", "c2().len", "c2().min", "c2().max",
    "delete(c2(), (1,2))", "delete(c2(), [(1,*)])", "filter(c2(), [(1,*)])", "(1,2) ~ c2()",
    "(5,5) ~ c2()", "c2() ~ [(3,*)]", "c2() ~ [(5,*)]", "add(c2(), c2())", "delete(c2(), c2())",
    "-empty-.min", "-empty-.len", "add(--empty--, (rt, 1, 2))", "add(add(--empty--, (rt, 1, 2)), (ro, 3, 4))",
    "add(---empty---, (1,2,3))", "add(add(---empty---, (1,2,3)), (4,5,6))", "(1,2,3) ~ add(---empty---, (1,2,3))",
    "add(add(---empty---, (1,2,3)), (4,5,6)).len", "fact(5)", "fact(10)", "fact(12)", "sum_to(100)",
"classify(1)", "classify(7)", "classify(1000)", "format(5)", "format((1,2))",
    "format(10.0.0.0/8)", "format(true)", "IS", "PS", "5 ~ IS", "11 ~ IS", "10.1.0.0/16 ~ PS",
    "192.168.1.0/24 ~ PS", "192.168.0.0/16 ~ PS", "ten()", "ten() + 5", "ten() * ten()",
    "strs()", "andor(true, false)", "andor(false, false)", "rec(0)", "rec(20)",
]

# and one a line from eval_diff.exprs ('#' starts a comment line)
with open(os.path.join(HERE, "eval_diff.exprs")) as f:
    EXPRS += [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]

def main():
    bird = shutil.which("bird") or "/usr/sbin/bird"
    birdc = shutil.which("birdc") or "/usr/sbin/birdc"
    if not os.path.exists(bird) or not os.path.exists(birdc):
        print("bird2 not installed: skipped")
        return 0
    d = tempfile.mkdtemp(prefix="birch-evaldiff-")
    ctl, pid = os.path.join(d, "b.ctl"), os.path.join(d, "b.pid")
    subprocess.run([bird, "-c", CONF, "-s", ctl, "-P", pid], check=True)
    fails = 0
    try:
        for _ in range(50):
            if os.path.exists(ctl):
                break
            time.sleep(0.1)
        for e in EXPRS:
            ours = subprocess.run([CHECK, "--eval", e, CONF], capture_output=True,
                                  text=True).stdout.strip()
            out = subprocess.run([birdc, "-s", ctl, "eval " + e], capture_output=True,
                                 text=True).stdout.splitlines()
            theirs = "\n".join(l for l in out if not l.startswith("BIRD ")).strip()
            if ours != theirs:
                fails += 1
                print(f"DIFF {e!r}: birch {ours!r} bird {theirs!r}")
    finally:
        try:
            os.kill(int(open(pid).read()), 15)
        except (OSError, ValueError):
            pass
    print(f"{len(EXPRS) - fails} passed, {fails} failed")
    return 1 if fails else 0

if __name__ == "__main__":
    sys.exit(main())
