#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The screenshots the metainfo and the README show are committed in data/screenshots/ and
# are PNG images: software centres fetch the metainfo URLs, readers see the README ones.
# Usage: check-screenshots.sh SOURCE_ROOT
set -u
root=${1:?usage: check-screenshots.sh SOURCE_ROOT}
metainfo=$root/data/io.github.astratokens.AstraTokens.metainfo.xml.in.in
status=0
n=0

check_png () {
  if [ ! -f "$root/data/screenshots/$1" ]; then
    echo "$2 shows data/screenshots/$1, which is not there" >&2
    status=1
  elif [ "$(head -c 8 "$root/data/screenshots/$1" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    echo "data/screenshots/$1 is not a PNG file" >&2
    status=1
  fi
  n=$((n + 1))
}

for f in $(grep -o '<image>https://[^<]*/data/screenshots/[^<]*</image>' "$metainfo" | sed 's|.*/data/screenshots/\(.*\)</image>|\1|'); do
  check_png "$f" "the metainfo"
done
[ "$n" -ge 1 ] || { echo "the metainfo has no screenshots" >&2; status=1; }
if ! grep -q '<screenshot type="default">' "$metainfo"; then
  echo "the metainfo has no default screenshot" >&2
  status=1
fi

for f in $(grep -o '(data/screenshots/[^)]*)' "$root/README.md" | sed 's|(data/screenshots/\(.*\))|\1|'); do
  check_png "$f" "README.md"
done

[ "$status" -eq 0 ] && echo "ok: $n screenshot references, all present"
exit "$status"
