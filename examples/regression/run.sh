#!/usr/bin/env bash
# run.sh - the reference experiment: an MLP on unscaled regression targets.
# SPDX-License-Identifier: MIT
#
# Usage: examples/regression/run.sh [build-dir]
# The build directory defaults to build/ at the repository root.
# Trains regression.model through the JIT (gradi) four times: without
# clipping (diverges within the first epoch and stops with status 3), then
# with `clip norm 1.0`, `clip value 5.0` and `clip global_norm 1.0`. Each run
# prints one line per epoch, the gradient-health summary, the final model's
# MSE on the training and the test data, and its wall time.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../gradi-path.sh"
gradi="$(gradi_path "${1-}")" || exit 1
model="$here/regression.model"

run() {
  echo
  echo "=== gradi $* regression.model"
  "$gradi" "$@" "$model"
  echo "=== exit status $?"
}

run -Dclip_kind=none
run -Dclip_kind=norm -Dclip=1.0
run -Dclip_kind=value -Dclip=5.0
run -Dclip_kind=global_norm -Dclip=1.0
