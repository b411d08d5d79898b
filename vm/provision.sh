#!/bin/sh
# Installs the system packages jbox needs, on Debian 12 or Ubuntu 24.04, as root.
# Idempotent: installs only what is missing, and says so in one line. Used by ./jbox,
# by the test command (./run-tests), by CI (.ci/run) and by the course VM (Vagrantfile).
#
#   vm/provision.sh           what running and building jbox needs
#   vm/provision.sh --test    ... plus what the test suite needs
#   vm/provision.sh --bench   ... plus the peers the benchmarks compare against
set -eu

# Package name: what it is for.
base="default-jdk-headless maven busybox-static gcc libc6-dev"
test="iproute2 iptables procps util-linux"
bench="runc crun qemu-system-x86 hyperfine docker.io"

want=$base
for arg in "$@"; do
  case $arg in
    --test) want="$want $test" ;;
    --bench) want="$want $test $bench" ;;
    *) echo "usage: vm/provision.sh [--test|--bench]" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then
  echo "vm/provision.sh installs packages and needs root: sudo vm/provision.sh $*" >&2
  exit 1
fi

missing=""
for p in $want; do
  # A JDK 17 or newer already on the PATH (e.g. Temurin) is as good as Debian's.
  if [ "$p" = default-jdk-headless ] && command -v javac >/dev/null 2>&1 \
     && [ "$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')" -ge 17 ] 2>/dev/null; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done

# The course VM's Vagrantfile is checked by the tests where Vagrant is packaged (Debian 12 has it).
case " $want " in
  *" procps "*)
    if ! command -v vagrant >/dev/null && apt-cache show vagrant >/dev/null 2>&1; then
      missing="$missing vagrant"
    fi ;;
esac

if [ -n "$missing" ]; then
  echo "jbox: installing missing packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
