#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Validates a metainfo file with every pedantic check on and fails on any issue except two
# that are expected and harmless:
#   cid-contains-uppercase-letter  GNOME application ids are CamelCase in their last part.
#   unknown-tag developer          <developer id=…> is AppStream 1.0; Debian 12's appstreamcli
#                                  (0.16) does not know it yet. We ship it together with the
#                                  older <developer_name> so that both generations read it.
set -u
file=$1
out=$(appstreamcli validate --no-net --pedantic --no-color "$file" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 0 ]; then
  echo "appstreamcli failed with status $status" >&2
  exit 1
fi
# Issue lines look like "P: <cid>:<line>: <tag> [<detail>]".
unexpected=$(printf '%s\n' "$out" | grep -E '^[EWIP]: ' \
  | grep -v -E ': cid-contains-uppercase-letter$' \
  | grep -v -E ': unknown-tag developer$')
if [ -n "$unexpected" ]; then
  echo "unexpected issues:" >&2
  printf '%s\n' "$unexpected" >&2
  exit 1
fi
# The pedantic run must actually have looked at the file.
printf '%s\n' "$out" | grep -q 'Validation was successful' || exit 1
exit 0
