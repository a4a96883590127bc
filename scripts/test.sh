#!/usr/bin/env bash
# test.sh - set up, build and run every test (GoogleTest units and lit).
# SPDX-License-Identifier: MIT
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=${GRADC_BUILD:-build}
ctest --test-dir "$build" --output-on-failure "$@"
