# gradc_files.py - numpy readers and writers for the files gradc produces.
# SPDX-License-Identifier: MIT
#
# The conformance and regression checks look at gradc only through its files:
# safetensors checkpoints, CSV histories and the CSV data sets. These helpers
# read and write them with numpy alone, so an error in the runtime's own
# readers cannot hide an error in its writers. The regression MLP's forward
# pass lives here too, to evaluate a saved model on a whole data set.
import json
import struct

import numpy as np

_DTYPES = {"F32": np.float32, "F64": np.float64}


def read_safetensors(path):
    """Returns ({name: array}, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        blob = f.read()
    (size,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + size])
    metadata = header.pop("__metadata__", {})
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        data = np.frombuffer(blob[base + begin:base + end],
                             dtype=_DTYPES[info["dtype"]])
        tensors[name] = data.reshape(info["shape"]).copy()
    return tensors, metadata


def write_safetensors(path, tensors):
    """Writes {name: array} as F32 tensors, names in sorted order."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def read_csv_data(path, target="y"):
    """Returns (x, y) of a data CSV as float64: features in file order."""
    with open(path) as f:
        names = f.readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    column = names.index(target)
    x = np.delete(table, column, axis=1)
    return x, table[:, column:column + 1]


def read_history(path):
    """Returns the history CSV as a list of {column: float} per epoch."""
    with open(path) as f:
        names = f.readline().strip().split(",")
        return [dict(zip(names, map(float, line.strip().split(","))))
                for line in f if line.strip()]


def parameters(tensors):
    """The model's parameters of a checkpoint, without optimizer state."""
    return {n: t for n, t in tensors.items()
            if n.endswith(".kernel") or n.endswith(".bias")}


def mlp_layers(params, inputs):
    """[(kernel, bias)] of a dense chain, ordered by matching shapes."""
    kernels = {t.shape[0]: n for n, t in params.items() if t.ndim == 2}
    layers, width = [], inputs
    while width in kernels:
        kernel = kernels.pop(width)
        layers.append((kernel, kernel[:-len("kernel")] + "bias"))
        width = params[kernel].shape[1]
    assert not kernels, f"unused kernels {sorted(kernels.values())}"
    return layers


def mlp_mse(tensors, x, y):
    """MSE of a dense relu chain with a linear last layer, in float64."""
    params = parameters(tensors)
    layers = mlp_layers(params, x.shape[1])
    out = x
    for i, (kernel, bias) in enumerate(layers):
        out = out @ params[kernel].astype(np.float64) + params[bias]
        if i + 1 < len(layers):
            out = np.maximum(out, 0.0)
    return float(np.mean((out - y) ** 2))
