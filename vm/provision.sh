#!/bin/sh
# Installs the system packages jbox needs, on Debian 12 or Ubuntu 24.04, as root.
# Idempotent: installs only what is missing, and says so in one line. Used by ./jbox,
# by the test command (./run-tests), by CI (.ci/run) and by the course VM (Vagrantfile,
# which uploads this file alone: so the list lives here, not in a file beside it).
#
#   vm/provision.sh           what `./jbox run` needs, its first build included
#   vm/provision.sh --test    ... plus what the test suite needs
#   vm/provision.sh --bench   ... plus the peers the benchmarks compare against
#   vm/provision.sh --check   exits 1, naming them, if any of what `./jbox run` needs looks missing
#                             (the launcher's check before every run: no dpkg, no network, ~1 ms)
#   vm/provision.sh --list [--test|--bench]   prints the package names, one a line
set -eu

# The one list. PACKAGE, GROUP (run, test or bench), and WITNESS: a command, or an absolute path,
# that is there when the package is (what --check looks for; dpkg itself takes ~80 ms to ask).
packages='
default-jdk-headless  run    javac
maven                 run    mvn
gcc                   run    cc
libc6-dev             run    /usr/include/stdio.h
busybox-static        run    busybox
iptables              run    iptables-save
iproute2              run    ip
procps                test   ps
util-linux            test   nsenter
debootstrap           test   debootstrap
sudo                  test   sudo
qemu-system-x86       test   qemu-system-x86_64
e2fsprogs             test   mkfs.ext4
umoci                 test   umoci
skopeo                test   skopeo
oci-image-tool        test   oci-image-tool
docker.io             test   dockerd
docker-registry       test   docker-registry
runc                  bench  runc
crun                  bench  crun
hyperfine             bench  hyperfine
qemu-utils            bench  qemu-img
time                  bench  /usr/bin/time
'
# Why each run package: the JDK and Maven build and run the engine; gcc and libc6-dev build
# jbox-init (static C); busybox-static is the default image; the default bridge network sets up
# NAT with iptables-save/iptables-restore; iproute2's `ip` is how the chapter-2 lab and
# walk-throughs look at what jbox made. The test group: ps and nsenter for the tests,
# debootstrap for the fresh-machine test (a Debian root file system without any of the above),
# sudo so the README's commands are tested through sudo as well as as root; QEMU and e2fsprogs
# because the cgroup-v2 tests run in a QEMU guest with a scratch ext4 disk (CgroupV2GuestIT); umoci,
# skopeo, oci-image-tool and docker.io are the peers jbox save/load must interoperate with (SaveLoadPeersIT);
# docker-registry (Distribution) is the peer jbox push/pull are tested against (DistributionIT).
# The bench group: the peers the benchmarks compare against; qemu-utils for qemu-img, which makes
# the qcow2 disks chapter 4's disk figures set against containers; GNU time for the CPU time and peak
# memory of chapter 5's clients (jbox push/pull, skopeo).

groups=run
mode=install
for arg in "$@"; do
  case $arg in
    --test) groups="run test" ;;
    --bench) groups="run test bench" ;;
    --check) mode=check ;;
    --list) mode=list ;;
    *) echo "usage: vm/provision.sh [--test|--bench] [--check|--list]" >&2; exit 2 ;;
  esac
done

# An account's PATH may lack the sbin directories (su without -), where iptables-save lives.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

present() { # WITNESS
  case $1 in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# Prints "PACKAGE WITNESS" for each package of the chosen groups.
chosen() {
  echo "$packages" | while read -r name group witness; do
    case " $groups " in *" $group "*) echo "$name $witness" ;; esac
  done
}

case $mode in
  list)
    chosen | while read -r name _; do echo "$name"; done
    exit 0 ;;
  check)
    missing=$(chosen | while read -r name witness; do present "$witness" || printf ' %s' "$name"; done)
    if [ -n "$missing" ]; then
      echo "missing:$missing"
      exit 1
    fi
    exit 0 ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "vm/provision.sh installs packages and needs root: run it as root, or with sudo: sudo $0 $*" >&2
  exit 1
fi

missing=""
for p in $(chosen | while read -r name _; do echo "$name"; done); do
  # A JDK 17 or newer already on the PATH (e.g. Temurin) is as good as Debian's.
  if [ "$p" = default-jdk-headless ] && command -v javac >/dev/null 2>&1 \
     && [ "$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')" -ge 17 ] 2>/dev/null; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done

# The course VM's Vagrantfile is checked by the tests where Vagrant is packaged (Debian 12 has it).
case " $groups " in
  *" test "*)
    if ! command -v vagrant >/dev/null && apt-cache show vagrant >/dev/null 2>&1; then
      missing="$missing vagrant"
    fi ;;
esac

if [ -n "$missing" ]; then
  echo "jbox: installing missing packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # The test peers docker.io and docker-registry are daemons: on a machine with systemd their packages
  # would start dockerd (its own bridge, iptables chains and a FORWARD policy of DROP, which changes
  # what jbox's networks see) and a registry on port 5000 (jbox registry serve's default). The tests
  # start them by hand when they need them, so the packages are installed without starting anything
  # (policy-rc.d, Debian's switch for that) and their services are left disabled.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=yes
  fi
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing >/dev/null || { [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
  if [ -d /run/systemd/system ]; then
    for p in $missing; do
      case $p in
        docker.io) systemctl disable -q docker.service docker.socket containerd.service 2>/dev/null || true ;;
        docker-registry) systemctl disable -q docker-registry.service 2>/dev/null || true ;;
      esac
    done
  fi
fi
