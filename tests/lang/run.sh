#!/bin/sh
# The language corpus: each tests/lang/NAME.conf is checked by birch-check
# and its verdict compared with real BIRD 2's, recorded in `verdicts` as
#   NAME ok              BIRD accepts it
#   NAME error LINE      BIRD refuses it; its first error is on LINE of NAME.conf
#   NAME error FILE:LINE ... or on LINE of an included FILE (as BIRD names it)
# Birch must give the same verdict (for a refusal, its first error on the
# same line). `divergent` lists, in the same form, the few configs where
# Birch's verdict differs on purpose, with the reason after a '#'.
#
#   sh tests/lang/run.sh            check (B=build dir, default build)
#   sh tests/lang/run.sh --regen    rewrite `verdicts` from `bird -p -c`
# Files in inc/ are only included by the cases; pending/ is not run yet.
# BIRD 1.x configs are named v1_*.conf (verdicts from Debian's bird 1.6)
# and v6_*.conf (bird6 1.6; Birch reads them with -6). --regen takes those
# from $BIRD1 and $BIRD6 (unpacked with `apt-get download bird && dpkg -x`)
# and keeps their recorded verdicts when those are not there.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B="$root/$B" ;; esac
check="$B/birch-check"
cd "$here" || exit 2

# first error's place "FILE:LINE" (FILE left out when it is the case itself)
place() {	# case-file first-error-line
	printf '%s\n' "$2" | sed -n 's/^\([^:]*\):\([0-9][0-9]*\)[: ].*/\1:\2/p' |
		head -n 1 | sed "s|^$1:||"
}

if [ "$1" = "--regen" ]; then
	command -v bird >/dev/null || { echo "bird not found"; exit 2; }
	BIRD1=${BIRD1:-/tmp/b16/root/usr/sbin/bird}
	BIRD6=${BIRD6:-/tmp/b16/root/usr/sbin/bird6}
	: >verdicts.new
	for f in *.conf; do
		n=${f%.conf}
		case $n in
		v1_*) bin=$BIRD1 ;;
		v6_*) bin=$BIRD6 ;;
		*) bin=bird ;;
		esac
		if [ "$bin" != bird ] && [ ! -x "$bin" ]; then
			grep "^$n " verdicts >>verdicts.new
			continue
		fi
		out=$("$bin" -p -c "$f" 2>&1 | head -n 1 | sed 's/^bird: //')
		if [ -z "$out" ]; then
			echo "$n ok" >>verdicts.new
		else
			echo "$n error $(place "$f" "$out")" >>verdicts.new
		fi
	done
	mv verdicts.new verdicts
	echo "verdicts: $(wc -l <verdicts) cases from $(bird --version 2>&1)"
	exit 0
fi

[ -x "$check" ] || { echo "$check not built"; exit 2; }
pass=0
fail=0
for f in *.conf; do
	n=${f%.conf}
	want=$(grep "^$n " divergent 2>/dev/null | sed 's/[[:space:]]*#.*//' | cut -d' ' -f2-)
	[ -n "$want" ] || want=$(grep "^$n " verdicts | cut -d' ' -f2-)
	if [ -z "$want" ]; then
		echo "FAIL $n: no verdict recorded (run with --regen)"
		fail=$((fail + 1))
		continue
	fi
	case $n in
	v6_*) out=$("$check" -6 -q "$f" 2>&1) ;;
	*) out=$("$check" -q "$f" 2>&1) ;;
	esac
	rc=$?
	if [ $rc = 0 ]; then
		got=ok
	elif [ $rc = 1 ]; then
		got="error $(place "$f" "$(printf '%s\n' "$out" | head -n 1)")"
	else
		got="crash (exit $rc)"
	fi
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $n: BIRD says '$want', Birch '$got'"
		printf '%s\n' "$out" | head -n 3 | sed 's/^/    /'
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
