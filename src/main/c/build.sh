#!/bin/sh
# Builds the tiny static programs the JVM cannot be (the book explains each, chapter 2) into $1.
# Static, because they run inside containers whose root has no C library.
set -eu
out=${1:?usage: build.sh OUTPUT_DIR}
src=$(dirname "$0")
mkdir -p "$out"
for c in "$src"/*.c; do
  [ -e "$c" ] || continue
  name=$(basename "$c" .c)
  if [ ! -e "$out/$name" ] || [ "$c" -nt "$out/$name" ]; then
    ${CC:-cc} -static -Os -Wall -Wextra -Werror -o "$out/$name" "$c"
    strip "$out/$name" 2>/dev/null || true
  fi
done
