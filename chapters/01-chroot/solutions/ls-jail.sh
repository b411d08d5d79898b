#!/bin/bash
# ls-jail.sh DIR: builds, in DIR, a chroot jail in which the host's /bin/ls runs.
# Chapter 1, exercise 1 (reference solution). Try it:
#   jail=$(mktemp -d) && chapters/01-chroot/solutions/ls-jail.sh $jail
#   ./jbox run --chapter 1 --rootfs $jail /bin/ls -l /
#
# The host's ls is dynamically linked: it holds only its own code, and names the shared
# libraries it needs and the program that loads them (the dynamic loader, ld-linux). When the
# kernel execs ls it runs the loader, at the absolute path written into ls, and the loader finds
# the libraries at the paths it searches (/lib/x86_64-linux-gnu, ...). After chroot those paths
# are looked up inside the jail, so each file must be there, at the same path as on the host.
set -euo pipefail

jail=${1:?usage: ls-jail.sh DIR}
program=/bin/ls

mkdir -p "$jail/bin"
cp "$program" "$jail/bin/"

# ldd asks the loader which files it would load, one per line:
#     linux-vdso.so.1 (0x00007ffd...)                 the kernel maps this one in: no file to copy
#     libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f...)
#     /lib64/ld-linux-x86-64.so.2 (0x00007f...)       the loader itself
# so every word that starts with "/" is a file the jail needs.
for file in $(ldd "$program" | grep -o '/[^ ]*'); do
    mkdir -p "$jail$(dirname "$file")"
    # -L: many of these paths are symbolic links (libc.so.6 -> libc-2.36.so on older systems,
    # /lib64 -> usr/lib64 on merged-/usr ones); copy what they point to, since a link to a path
    # of the host would point at nothing inside the jail.
    cp -L "$file" "$jail$file"
done

# Without a missing file the loader would report, e.g.
#   /bin/ls: error while loading shared libraries: libselinux.so.1: cannot open shared object file
# and without the loader itself, the kernel's execve fails with ENOENT: "no such file", about a
# program that is plainly there, because the missing file is the interpreter, not ls.
