#!/bin/sh
# Build one libFuzzer harness and run it for a while on its seed corpus.
#   sh tests/fuzz/run.sh NAME SECONDS
set -e
name=$1
secs=${2:-20}
make --no-print-directory "build-fuzz/$name"
corpus="build-fuzz/corpus-$name"
mkdir -p "$corpus"
seeds="tests/fuzz/seeds-$name"
dict=""
[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
# shellcheck disable=SC2086
"build-fuzz/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 $dict "$corpus" $( [ -d "$seeds" ] && echo "$seeds" )
