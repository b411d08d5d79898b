#!/bin/bash
# shared-namespaces.sh PID: which namespaces process PID shares with the host (the namespaces this
# script runs in). Chapter 2, exercise 6 (reference solution). For each namespace jbox can give a
# container, in the order cgroup ipc mnt net pid uts, it prints "NAME shared" or "NAME own":
#   pid=$(./jbox inspect NAME | sed -n 's/.*"Pid" : \([0-9]*\).*/\1/p')
#   chapters/02-namespaces/solutions/shared-namespaces.sh $pid
set -euo pipefail

pid=${1:?usage: shared-namespaces.sh PID}
if [ ! -d "/proc/$pid" ]; then
    echo "shared-namespaces.sh: there is no process $pid" >&2
    exit 1
fi

for ns in cgroup ipc mnt net pid uts; do
    # /proc/PID/ns/NAME is a link that reads like "net:[4026531840]": the namespace's type and
    # its inode number in the kernel's nsfs. Two processes are in the same namespace exactly when
    # their links read the same. "self" is the process reading it (readlink, a child of this
    # script, in the host's namespaces). Reading another process's links needs the right to
    # ptrace it: root, here.
    if [ "$(readlink "/proc/$pid/ns/$ns")" = "$(readlink "/proc/self/ns/$ns")" ]; then
        echo "$ns shared"
    else
        echo "$ns own"
    fi
done
