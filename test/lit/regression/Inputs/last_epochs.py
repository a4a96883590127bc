# last_epochs.py - the last epoch of a CSV history and of a checkpoint.
# SPDX-License-Identifier: MIT
#
# usage: last_epochs.py HISTORY.csv CHECKPOINT.safetensors
# Prints "history epoch N" (first column of the last row, 0 without rows)
# and "checkpoint epoch M" (from the safetensors __metadata__), read with
# the standard library only.
import json
import struct
import sys

with open(sys.argv[1]) as f:
    rows = f.read().splitlines()[1:]
print("history rows", len(rows))
print("history epoch", rows[-1].split(",")[0] if rows else 0)
with open(sys.argv[2], "rb") as f:
    (size,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(size))
print("checkpoint epoch", header["__metadata__"]["epoch"])
