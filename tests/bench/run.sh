#!/bin/sh
# make bench: every benchmark, Birch beside BIRD 2 where the benchmark has a
# BIRD side. Benchmarks print ratios; they are never timed tests.
#   sh tests/bench/run.sh [BUILD_DIR] [--quick]
B=${1:-build}
export B
shift 2>/dev/null
quick=""
[ "$1" = "--quick" ] && quick=1
set -e
CC=${CC:-cc}
# compiled-set lookups and path masks (no BIRD side: BIRD has no such entry point)
$CC -std=c11 -O2 -g -I. -D_GNU_SOURCE -o "$B/bench_sets" tests/bench/bench_sets.c \
	vm/trie.c vm/intervals.c vm/pathmask.c core/net.c core/mem.c
echo "== bench_sets"
"$B/bench_sets"
# the floor under bench_filter's loop: its sets changed and interned, no filter
$CC -std=c11 -O2 -g -I. -D_GNU_SOURCE -o "$B/intern_floor" tests/bench/intern_floor.c
echo "== intern_floor"
# shellcheck disable=SC2046
"$B/intern_floor" $( [ -n "$quick" ] && echo 20000 7000 128 )
echo "== bench_filter (birch-check --filter vs BIRD 2's filters)"
python3 tests/bench/bench_filter.py $( [ -n "$quick" ] && echo --quick )
echo "== bench_parse (birch-check vs bird -p)"
python3 tests/bench/bench_parse.py "$@" || echo "bench_parse: the generated config is not accepted yet"
echo "== bench_load (birchd vs bird: 1M static routes with attribute blocks into a table)"
python3 tests/bench/bench_load.py $( [ -n "$quick" ] && echo --quick )
# routing table: 1M routes, 350k attribute sets (BIRD's side comes with the CLI, issue #5)
$CC -std=c11 -O2 -g -I. -D_GNU_SOURCE -o "$B/bench_table" tests/bench/bench_table.c \
	core/table.c core/attr.c core/net.c core/mem.c core/log.c core/time.c
echo "== bench_table"
# shellcheck disable=SC2046
"$B/bench_table" $( [ -n "$quick" ] && echo 20000 7000 )
