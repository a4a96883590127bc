#!/usr/bin/env bash
# run.sh - the LSTM reference experiment: English or German, with and without clipping.
# SPDX-License-Identifier: MIT
#
# Usage: examples/lstm/run.sh [build-dir] [gradi options...]
# The build directory defaults to build/ at the repository root.
# Trains lstm.model through the JIT (gradi) without clipping, with
# `clip norm 1.0` (the model's default), `clip global_norm 1.0` and the tight
# `clip norm 0.1`, same seed and data, then prints per-epoch tables and a
# summary (summarize.py). Extra options go to every run (e.g. --epochs 3).
# Histories and outputs stay in $LSTM_OUT (default: a fresh temporary
# directory, printed at the end).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../gradi-path.sh"
gradi_from_args "$@" || exit 1
set -- "${run_args[@]}"
out="${LSTM_OUT:-$(mktemp -d)}"
mkdir -p "$out"

run() {
  local name="$1"
  shift
  echo "=== gradi $* lstm.model"
  "$gradi" "$@" "$here/lstm.model" --history "$out/$name.csv" "${extra[@]}" \
    | tee "$out/$name.out"
}

extra=("$@")
run none -Dclip_kind=none
run norm-1.0 -Dclip_kind=norm -Dclip=1.0
run global_norm-1.0 -Dclip_kind=global_norm -Dclip=1.0
run norm-0.1 -Dclip_kind=norm -Dclip=0.1

echo
/usr/bin/python3 "$here/summarize.py" "$out" none norm-1.0 global_norm-1.0 \
  norm-0.1
echo
echo "histories and outputs: $out"
