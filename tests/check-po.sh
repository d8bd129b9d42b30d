#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every translation in po/LINGUAS exists and passes msgfmt --check: a format directive that
# does not match its msgid (a %s for a %u, one too few) would make printf read garbage at
# run time, and the build's plain msgfmt does not look. Untranslated strings are only
# counted: strings change while the UI is built, and English is the fallback.
# Usage: check-po.sh SOURCE_ROOT
set -u
root=${1:?usage: check-po.sh SOURCE_ROOT}
status=0
n=0
for lang in $(grep -v -E '^[[:space:]]*(#|$)' "$root/po/LINGUAS"); do
  po=$root/po/$lang.po
  n=$((n + 1))
  if [ ! -f "$po" ]; then
    echo "po/LINGUAS lists $lang but $po does not exist" >&2
    status=1
    continue
  fi
  if stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    echo "ok: $lang: $stats"
  else
    printf '%s\n' "$stats" >&2
    status=1
  fi
done
[ "$n" -gt 0 ] || { echo "po/LINGUAS lists no language" >&2; status=1; }
exit "$status"
