#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test program as if the clock said DATE in time zone TZ (libfaketime), so that the
# tests that depend on today's date are run at the awkward ones every time, not only on the
# day CI happens to run: month and year ends, 29 February, daylight saving changes.
#
# The clock starts at DATE and runs on from there. Only the wall clock is faked: GLib's main
# loop and timeouts run on the monotonic clock, which stays real.
#
# Usage: at-date.sh 'YYYY-MM-DD HH:MM:SS' TZ PROGRAM [ARGS...]
set -eu
date=$1 tz=$2
shift 2

if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is missing: install Debian's faketime package (build-aux/deps.sh does)" >&2
  exit 1
fi

# Not under AddressSanitizer: its interceptors and libfaketime's call each other and the
# program hangs; build-aux/test --sanitize leaves suite dates out.
FAKETIME_DONT_FAKE_MONOTONIC=1
TZ=$tz
export FAKETIME_DONT_FAKE_MONOTONIC TZ
exec faketime "$date" "$@"
