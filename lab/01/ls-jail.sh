#!/bin/bash
# Chapter 1, exercise 1: ls-jail.sh DIR builds, in the empty directory DIR, a chroot jail in which
# the host's dynamically linked /bin/ls runs:
#   jail=$(mktemp -d) && bash lab/01/ls-jail.sh $jail && ./jbox run --chapter 1 --rootfs $jail /bin/ls /
# Graded by ./jbox lab check 1 (chapters/01-chroot/checks/exercise-1.txt).
set -euo pipefail
jail=${1:?usage: ls-jail.sh DIR}

echo "ls-jail.sh: not written yet (it should fill $jail)" >&2
exit 1
