# gradi-path.sh - sourced by the examples' run.sh scripts to find gradi.
# SPDX-License-Identifier: MIT
#
# gradi_path [build-dir] prints the absolute path of build-dir/bin/gradi.
# Without a build directory it uses build/ at the repository root, so a
# script works from any current directory. A missing gradi is reported on
# stderr and gives status 1.
gradi_path() {
  local root build
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  build="${1:-$root/build}"
  if [[ ! -x "$build/bin/gradi" ]]; then
    echo "$(basename "$0"): error: no gradi at $build/bin/gradi;" \
      "build the project first (scripts/main.sh) or give the build" \
      "directory as the first argument" >&2
    return 1
  fi
  echo "$(cd "$build" && pwd)/bin/gradi"
}

# gradi_from_args [build-dir] [options...] takes a first argument that is not
# an option as the build directory: it sets `gradi` to that build's gradi
# and `run_args` to the arguments after it (status 1 without a gradi).
gradi_from_args() {
  local build=""
  if [[ $# -gt 0 && $1 != -* ]]; then
    build="$1"
    shift
  fi
  gradi="$(gradi_path "$build")" || return 1
  run_args=("$@")
}
