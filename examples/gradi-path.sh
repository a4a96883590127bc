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
