# edit_checkpoint.py - copy a safetensors checkpoint with one part damaged.
# SPDX-License-Identifier: MIT
#
# Usage: edit_checkpoint.py IN OUT EDIT...; each EDIT is one of
#   meta:KEY=VALUE      set a __metadata__ string
#   offsets:NAME=B,E    set a tensor's data_offsets
#   nan:NAME            make the first element of a tensor NaN
#   drop:NAME           remove a tensor from the header
#   rename:OLD=NEW      give a tensor another name
# The data area is copied unchanged, so only the named part differs.
import json
import struct
import sys

source, target, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(source, "rb") as f:
    blob = f.read()
length = struct.unpack("<Q", blob[:8])[0]
header = json.loads(blob[8:8 + length])
data = bytearray(blob[8 + length:])

for edit in edits:
    kind, arg = edit.split(":", 1)
    if kind == "meta":
        key, value = arg.split("=", 1)
        header["__metadata__"][key] = value
    elif kind == "offsets":
        name, pair = arg.split("=", 1)
        header[name]["data_offsets"] = [int(v) for v in pair.split(",")]
    elif kind == "nan":
        begin = header[arg]["data_offsets"][0]
        data[begin:begin + 4] = struct.pack("<f", float("nan"))
    elif kind == "drop":
        del header[arg]
    elif kind == "rename":
        old, new = arg.split("=", 1)
        header[new] = header.pop(old)
    else:
        sys.exit(f"edit_checkpoint.py: unknown edit '{edit}'")

text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open(target, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + bytes(data))
