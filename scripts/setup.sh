#!/usr/bin/env bash
# setup.sh - install gradc's Debian 12 dependencies (as root) and build it.
# SPDX-License-Identifier: MIT
#
# Idempotent: packages already present are not reinstalled, and an existing
# build directory is reused. The build goes to $GRADC_BUILD (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  llvm-19-dev llvm-19-tools libzstd-dev zlib1g-dev
  antlr4 libantlr4-runtime-dev libfmt-dev libgtest-dev
  nlohmann-json3-dev libcli11-dev libedit-dev gnuplot-nox tmux
  python3-numpy python3-torch libopenblas0-openmp
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${GRADC_BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build"
