# print_tensor.py - prints one tensor of a safetensors file: name, shape, values.
# SPDX-License-Identifier: MIT
#
# Reads the format directly (8-byte little-endian header size, JSON header,
# raw little-endian data) with the standard library only, so tests check
# what gradc wrote without trusting gradc to read it back.
import json
import struct
import sys

path, name = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    (size,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(size))
    data = f.read()
entry = header[name]
begin, end = entry["data_offsets"]
values = struct.unpack("<%df" % ((end - begin) // 4), data[begin:end])
print(name, json.dumps(entry["shape"]).replace(",", ", "),
      " ".join("%g" % v for v in values))
