#!/usr/bin/env bash
# run.sh - check the reference .model files with the built gradc.
# SPDX-License-Identifier: MIT
#
# Usage: examples/regression/run.sh <build-dir>
# For now this runs the front end only: -fsyntax-only on every example and
# --emit=ast on the regression experiment, with and without clipping.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-build}" && pwd)"
gradc="$build/bin/gradc"
examples="$(dirname "$here")"

for model in "$examples"/*/*.model; do
  "$gradc" -fsyntax-only "$model"
  echo "ok: ${model#"$examples"/}"
done

"$gradc" --emit=ast "$here/regression.model"
"$gradc" --emit=ast -Dclip_kind=none "$here/regression.model" | grep "clip"
