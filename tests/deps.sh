#!/bin/sh
# Install the Debian packages Birch needs to build and test, when missing.
# As root it installs them; otherwise it prints the command to run.
set -e
PKGS="gcc make flex bison pkg-config libevent-dev libcmocka-dev libmnl-dev \
libedit-dev libcap-dev clang libclang-rt-14-dev python3 iproute2 bird2 bgpdump"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "make deps: missing Debian packages:$missing" >&2
	echo "run as root:  apt-get install -y$missing" >&2
	exit 1
fi
echo "make deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts the packaged bird service where it can; tests run their own.
