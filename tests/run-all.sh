#!/bin/sh
# Run Birch's test suites and print one closing line "N passed, N failed".
#   sh tests/run-all.sh [unit|lang|integration|bench|fuzz]...   (default: all)
# Each test is one program or script; its exit status is its verdict.
B=${B:-build}
export B
suites=${*:-"unit lang filters integration bench fuzz"}
pass=0
fail=0
failed=""

run() {	# name command...
	name=$1; shift
	log="$B/test-logs/$(echo "$name" | tr '/ ' '__').log"
	mkdir -p "$B/test-logs"
	if "$@" >"$log" 2>&1; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name (log: $log)"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

for s in $suites; do
	case $s in
	unit)
		for t in "$B"/tests/test_*; do
			[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
		done ;;
	lang)
		[ -f tests/lang/run.sh ] && run "lang/corpus" sh tests/lang/run.sh ;;
	filters)
		for t in tests/filters/*.conf; do
			case $t in *eval_diff.conf) continue ;; esac
			[ -f "$t" ] && run "filters/$(basename "$t")" "$B/birch-check" --test "$t"
		done
		if command -v bird >/dev/null 2>&1 || [ -x /usr/sbin/bird ]; then
			run "filters/eval_diff" python3 tests/filters/eval_diff.py
		fi ;;
	integration)
		for t in tests/integration/test_*.py; do
			[ -f "$t" ] && run "integration/$(basename "$t")" python3 "$t"
		done
		for t in tests/integration/test_*.sh; do
			[ -f "$t" ] && run "integration/$(basename "$t")" sh "$t"
		done ;;
	bench)
		# benchmarks only have to run here; their figures are read by people
		run "bench/smoke" sh tests/bench/run.sh "$B" --quick ;;
	fuzz)
		if command -v clang >/dev/null && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1 && [ -z "$SKIP_FUZZ" ]; then
			for f in tests/fuzz/fuzz_*.c; do
				n=$(basename "$f" .c)
				run "fuzz/$n" sh tests/fuzz/run.sh "$n" "${FUZZ_SECONDS:-20}"
			done
		fi ;;
	esac
done
echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
