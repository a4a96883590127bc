#!/usr/bin/env bash
# run.sh - the CNN reference experiment: five activations, one table.
# SPDX-License-Identifier: MIT
#
# Usage: examples/cnn/run.sh [build-dir] [gradi options...]
# The build directory defaults to build/ at the repository root.
# Trains cnn.model through the JIT (gradi) once per activation of the
# convolution (relu, leaky_relu, elu, selu, sigmoid), same seed and data,
# validating on the 200 test images, then prints a Markdown table of the
# final losses, the validation accuracy and the median gradient norms of the
# first convolution kernel and the dense kernel. Extra options go to every
# run (e.g. --epochs 2). Each run's history and output stay in $CNN_OUT
# (default: a fresh temporary directory, printed at the end).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../gradi-path.sh"
gradi_from_args "$@" || exit 1
set -- "${run_args[@]}"
out="${CNN_OUT:-$(mktemp -d)}"
mkdir -p "$out"
acts=(relu leaky_relu elu selu sigmoid)

for act in "${acts[@]}"; do
  echo "=== gradi -Dact=$act cnn.model $*"
  start=$EPOCHREALTIME
  "$gradi" -Dact="$act" "$here/cnn.model" --history "$out/$act.csv" "$@" \
    | tee "$out/$act.out"
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "wall %.1f\n", e - s }' >> "$out/$act.out"
done

echo
/usr/bin/python3 "$here/compare.py" "$out" "${acts[@]}"
echo
echo "histories and outputs: $out"
