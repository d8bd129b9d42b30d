#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzzer.sh FUZZER TARGET SOURCE_DIR BUILD_DIR SECONDS
# Runs one libFuzzer target for a bounded time over its seed corpus and regressions. New
# inputs go to BUILD_DIR/corpus-out/TARGET; a crashing input is written to
# BUILD_DIR/artifacts/TARGET-crash-<sha1>: keep it under regressions/TARGET/ once fixed.
# ASTRA_FUZZ_SECONDS overrides SECONDS.
set -eu
fuzzer=$1 target=$2 src=$3 build=$4
seconds=${ASTRA_FUZZ_SECONDS:-$5}

out="$build/corpus-out/$target"
mkdir -p "$out" "$build/artifacts"

set -- "$out" "$src/corpus/$target"
if [ -d "$src/regressions/$target" ]; then
  set -- "$@" "$src/regressions/$target"
fi
dict=
if [ -f "$src/dicts/$target.dict" ]; then
  dict="-dict=$src/dicts/$target.dict"
fi

# -timeout: one input taking 10 s is a hang; -rss_limit_mb: runaway allocation is a bug;
# -error_exitcode: libFuzzer reports a crash with 77 by default, which meson reads as "skipped".
exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
  -print_final_stats=1 -error_exitcode=1 -artifact_prefix="$build/artifacts/$target-" $dict "$@"
