# expect_status.py - run a command and fail unless it exits with a given status.
# SPDX-License-Identifier: MIT
#
# lit's shell only tells zero from non-zero (`not`); the trainer's statuses
# mean different things (1 user error, 3 diverged), so tests that expect one
# of them run the command through this. Its output passes through unchanged.
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    print(f"expect_status.py: exit status {got}, expected {want}",
          file=sys.stderr)
    sys.exit(1)
