#!/bin/sh
# make demo: run birchd on examples/demo.conf in a private directory and
# talk to it with birchc, then shut it down. (Once BGP and the kernel
# protocol exist this becomes the two-namespace lab of the BGP seed.)
set -e
B=${1:-build}
dir=$(mktemp -d /tmp/birch-demo.XXXXXX)
trap 'kill "$(cat "$dir/birch.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dir"' EXIT
cp examples/demo.conf "$dir/birch.conf"
echo "== birchd -c $dir/birch.conf -s $dir/birch.ctl -P $dir/birch.pid"
"$B/birchd" -c "$dir/birch.conf" -s "$dir/birch.ctl" -P "$dir/birch.pid"
sleep 0.3
for cmd in "show status" "show protocols" "show route" "show route table customers all" \
	"show route count" "eval AS_LOCAL + 1" "show memory" "configure check" "configure"; do
	echo "== birchc $cmd"
	# shellcheck disable=SC2086
	"$B/birchc" -s "$dir/birch.ctl" $cmd
done
echo "== birchc down"
"$B/birchc" -s "$dir/birch.ctl" down
sleep 0.3
echo "== done"
