# make_batches.py - writes the fixed batches the step benchmarks train on.
# SPDX-License-Identifier: MIT
#
# `make_batches.py OUTDIR` writes raw little-endian f32 files OUTDIR/<case>.x
# and OUTDIR/<case>.y: the first rows of the real training data of each case
# (the regression CSV, the Fashion-MNIST images scaled to [0, 1] with their
# labels as floats), so gradc and the peer train on the same numbers.

import gzip
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write(outdir, case, x, y):
    x.astype("<f4").tofile(os.path.join(outdir, case + ".x"))
    y.astype("<f4").tofile(os.path.join(outdir, case + ".y"))


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    table = np.loadtxt(os.path.join(ROOT, "examples/regression/train.csv"),
                       delimiter=",", skiprows=1)
    write(outdir, "regression", table[:32, :-1], table[:32, -1])
    data = os.path.join(ROOT, "examples/cnn/data")
    images = read_idx(os.path.join(data, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, "train-labels-idx1-ubyte.gz"))
    write(outdir, "wide_mlp", images[:128] / 255.0, labels[:128])
    write(outdir, "cnn", images[:32] / 255.0, labels[:32])


if __name__ == "__main__":
    main()
