#!/bin/sh
# birchc against a real BIRD 2: start a private bird, run the same commands
# through birdc (spelled out) and birchc (abbreviated), and require the same
# output, byte for byte (clock times masked), and the same exit status.
#   sh tests/integration/test_client.sh [path/to/birchc]
# Skips (exit 0) when bird or birdc is not installed.
set -u
BIRCHC=${1:-${B:-build}/birchc}
command -v bird >/dev/null && command -v birdc >/dev/null || { echo "SKIP: bird2 not installed"; exit 0; }
[ -x "$BIRCHC" ] || { echo "no client at $BIRCHC"; exit 1; }

dir=$(mktemp -d /tmp/birchc-test.XXXXXX)
trap '[ -f "$dir/b.pid" ] && kill "$(cat "$dir/b.pid")" 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
printf 'router id 1.1.1.1;\nprotocol device {}\n' >"$dir/b.conf"
bird -c "$dir/b.conf" -s "$dir/b.ctl" -P "$dir/b.pid" || exit 1
i=0; while [ ! -S "$dir/b.ctl" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

fail=0
mask() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+/TIME/' "$1"; }

# check FLAGS BIRDC-COMMAND BIRCHC-COMMAND (commands split on spaces)
check() {
	# shellcheck disable=SC2086
	birdc $1 -s "$dir/b.ctl" $2 >"$dir/a" 2>&1; ra=$?
	# shellcheck disable=SC2086
	"$BIRCHC" $1 -s "$dir/b.ctl" $3 >"$dir/b" 2>&1; rb=$?
	if [ "$ra" = "$rb" ] && [ "$(mask "$dir/a")" = "$(mask "$dir/b")" ]; then
		echo "ok   [$1] $3"
	else
		echo "FAIL [$1] $3 (exit $ra vs $rb)"; diff "$dir/a" "$dir/b"; fail=1
	fi
}

for v in "" "-v" "-r" "-r -v"; do
	check "$v" "show status" "sh st"
	check "$v" "show memory" "s m"
	check "$v" "configure check" "conf ch"
	check "$v" "configure check /nonexistent" "co che /nonexistent"
	check "$v" "show status extra" "show st extra"
	check "$v" "show" "show"
	check "$v" "show xyz" "sh xyz"
	check "$v" "nonsense" "nonsense"
	check "$v" "configure s" "conf s"
	check "$v" "configure status" "conf stat"
done
check "-r" "configure" "conf"
check "-r" "down" "down"

# a missing socket: the same message and status
birdc -s "$dir/none.ctl" show status >"$dir/a" 2>&1; ra=$?
"$BIRCHC" -s "$dir/none.ctl" show status >"$dir/b" 2>&1; rb=$?
if [ "$ra" = "$rb" ] && cmp -s "$dir/a" "$dir/b"; then echo "ok   missing socket"; else echo "FAIL missing socket"; diff "$dir/a" "$dir/b"; fail=1; fi

# piped commands: birdc echoes prompts, birchc prints the replies alone
printf 'show status\nfoo\nconf ch\n' | "$BIRCHC" -s "$dir/b.ctl" >"$dir/b" 2>&1
if grep -q '^Daemon is up and running$' "$dir/b" && grep -q '^No such command' "$dir/b" &&
   grep -q '^Configuration OK$' "$dir/b"; then echo "ok   piped"; else echo "FAIL piped"; cat "$dir/b"; fail=1; fi

exit $fail
