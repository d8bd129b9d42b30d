#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Keeps po/POTFILES.in honest: every source file with translatable strings is listed (else
# its strings silently stay English), and every listed file exists (else xgettext fails).
# Usage: check-potfiles.sh SOURCE_ROOT
#
# Scanned: .c and .ui files under src/, and the desktop, metainfo and gschema sources under
# data/. Tests and benchmarks are not user-facing and are not scanned. In a git checkout only
# tracked files count; in a release tarball (no .git) every file there does.
set -u
export LC_ALL=C
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$root" || exit 1
potfiles=po/POTFILES.in
[ -f "$potfiles" ] || { echo "$potfiles is missing" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-potfiles.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

grep -v -E '^[[:space:]]*(#|$)' "$potfiles" | sed 's/[[:space:]]*$//' | sort > "$tmp/listed"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -- src data > "$tmp/all"
else
  find src data -type f > "$tmp/all"
fi

: > "$tmp/needed"
while IFS= read -r f; do
  case $f in
    *.c)
      # _( N_( C_( NC_( Q_( and the ngettext family, not as part of a longer identifier.
      grep -q -E '(^|[^A-Za-z0-9_])(N?C?_|Q_|g_dngettext|ngettext)[[:space:]]*\(' "$f" \
        && echo "$f" >> "$tmp/needed" ;;
    *.ui)
      grep -q -E 'translatable=.(yes|true|1).' "$f" && echo "$f" >> "$tmp/needed" ;;
    *.desktop.in.in|*.desktop.in|*.metainfo.xml.in.in|*.metainfo.xml.in|*.gschema.xml)
      echo "$f" >> "$tmp/needed" ;;
  esac
done < "$tmp/all"
sort -u "$tmp/needed" -o "$tmp/needed"

status=0
missing=$(comm -23 "$tmp/needed" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from $potfiles:" >&2
  printf '  %s\n' $missing >&2
  status=1
fi

while IFS= read -r f; do
  if [ ! -f "$f" ]; then
    echo "$potfiles lists $f, which does not exist" >&2
    status=1
  fi
done < "$tmp/listed"

if ! grep -v -E '^[[:space:]]*(#|$)' "$potfiles" | LC_ALL=C sort -c 2>/dev/null; then
  echo "$potfiles is not sorted (LC_ALL=C sort)" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "ok: $(wc -l < "$tmp/listed") files listed, $(wc -l < "$tmp/needed") needed"
fi
exit "$status"
