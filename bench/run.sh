#!/usr/bin/env bash
# run.sh - runs every gradc-versus-PyTorch benchmark and prints the table.
# SPDX-License-Identifier: MIT
#
# Usage: bench/run.sh [build-dir] [suite options: --rounds N --only CASE ...]
# (CASE: regression, regression/norm, wide_mlp, cnn, ...)
# Builds gradi, gradc and the step driver in build-dir (default build-bench),
# writes the fixed batches, then runs bench/suite.py: the OpenBLAS matmul
# ceiling at 1 and 2 threads, each case with gradc and the peer interleaved,
# AOT compile times and the peak memory of whole training runs. The raw
# results go to <build-dir>/bench-results.json.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build-bench"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  build="$1"
  shift
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
ninja -C "$build" -j2 gradi gradc gradc-bench-step
/usr/bin/python3 "$here/make_batches.py" "$build/bench-data"
echo "load before: $(uptime)"
/usr/bin/python3 "$here/suite.py" --build "$build" --data "$build/bench-data" \
  --out "$build/bench-results.json" "$@"
echo "load after: $(uptime)"
