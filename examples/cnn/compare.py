#!/usr/bin/python3
# compare.py - one comparison row per CNN run, from its history and its output.
# SPDX-License-Identifier: MIT
#
# Usage: compare.py RUN_DIR NAME...  For each NAME, RUN_DIR holds NAME.csv
# (gradi --history) and NAME.out (gradi's stdout, with the gradient-health
# table). Prints a Markdown table: the last epoch's loss, val_loss and
# val_accuracy, the median pre-clip gradient norm over all steps of the first
# convolution kernel and of the dense kernel, their ratio (a small ratio is
# the vanishing-gradient signal), and the run's wall time.
import csv
import os
import sys

FIRST = "conv2d_1.kernel"
LAST = "dense_1.kernel"


def last_epoch(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"error: {path} has no epochs")
    return rows[-1]


def health_medians(path):
    """parameter -> median norm, from the 'gradient health' table."""
    medians, inside = {}, False
    with open(path) as f:
        for line in f:
            if line.startswith("gradient health over"):
                inside = True
                continue
            fields = line.split()
            if inside and len(fields) == 4 and fields[0] != "parameter":
                medians[fields[0]] = float(fields[1])
    return medians


def seconds(path):
    with open(path) as f:
        for line in f:
            if line.startswith("wall "):
                return line.split()[1]
    return "?"


def main():
    run_dir, names = sys.argv[1], sys.argv[2:]
    print("| activation | epochs | loss | val_loss | val_accuracy "
          f"| median norm {FIRST} | median norm {LAST} | ratio | wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        row = last_epoch(os.path.join(run_dir, name + ".csv"))
        out = os.path.join(run_dir, name + ".out")
        norms = health_medians(out)
        first, last = norms[FIRST], norms[LAST]
        print(f"| {name} | {row['epoch']} | {float(row['loss']):.4f} "
              f"| {float(row['val_loss']):.4f} "
              f"| {float(row['val_accuracy']):.3f} | {first:.3e} "
              f"| {last:.3e} | {first / last:.3g} | {seconds(out)} |")


if __name__ == "__main__":
    main()
