#!/usr/bin/env bash
# main.sh - set up, build and train the reference regression experiment.
# SPDX-License-Identifier: MIT
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=${GRADC_BUILD:-build}
exec examples/regression/run.sh "$build"
