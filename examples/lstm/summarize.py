#!/usr/bin/python3
# summarize.py - per-epoch tables of LSTM runs, from gradi history files.
# SPDX-License-Identifier: MIT
#
# Usage: summarize.py RUN_DIR NAME...  For each NAME, RUN_DIR/NAME.csv is the
# --history of one run. Prints one Markdown table per run (loss, val_loss,
# val_accuracy, the median pre-clip global gradient norm, the share of steps
# clipped and the median norm of the recurrent kernel's gradient), then one
# summary row per run.
import csv
import os
import sys

RECURRENT = "norm.lstm_1.recurrent_kernel"


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def epoch_table(name, rows):
    print(f"{name}:\n")
    print("| epoch | loss | val_loss | val_accuracy | grad_norm | clipped "
          "| recurrent kernel norm |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['epoch']} | {float(r['loss']):.4f} "
              f"| {float(r['val_loss']):.4f} | {float(r['val_accuracy']):.3f} "
              f"| {float(r['grad_norm']):.3f} "
              f"| {100 * float(r['clipped_fraction']):.1f}% "
              f"| {float(r[RECURRENT]):.3e} |")
    print()


def main():
    run_dir, names = sys.argv[1], sys.argv[2:]
    runs = {n: read(os.path.join(run_dir, n + ".csv")) for n in names}
    for name, rows in runs.items():
        epoch_table(name, rows)
    print("| run | epochs | final loss | final val_loss | best val_accuracy "
          "| final val_accuracy | max epoch grad_norm | steps clipped |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, rows in runs.items():
        last = rows[-1]
        best = max(float(r["val_accuracy"]) for r in rows)
        peak = max(float(r["grad_norm"]) for r in rows)
        clipped = sum(float(r["clipped_fraction"]) for r in rows) / len(rows)
        print(f"| {name} | {last['epoch']} | {float(last['loss']):.4f} "
              f"| {float(last['val_loss']):.4f} | {best:.3f} "
              f"| {float(last['val_accuracy']):.3f} | {peak:.3f} "
              f"| {100 * clipped:.1f}% |")


if __name__ == "__main__":
    main()
