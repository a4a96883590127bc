# torch_regression_sweep.py - the whole regression experiment in PyTorch, over many seeds.
# SPDX-License-Identifier: MIT
#
# The experiment of examples/regression is chaotic late in training, so one
# seed says little; what can be compared between implementations is the
# spread over seeds. This script trains the experiment for 100 epochs with a
# loop written from DESIGN.md (the clip functions and SGD come from
# torch_conformance.py; clip norms are taken in the run's precision, as
# Keras does), drawing weights and batch orders from PyTorch's own
# RNG: he_uniform and glorot_uniform kernels, zero biases, a new permutation
# every epoch, batches of 32 with the last 20 rows kept. It runs in float32
# like Keras, or in float64 with --double (same initial weights and batch
# orders, drawn in float32), and prints per-variant percentiles of each
# measure and the fraction of seeds inside the Keras reference ranges.
#
# Usage: torch_regression_sweep.py [--seeds 1-40] [--variants none,norm,...]
#                                  [--double] [--json OUT]
#                                  [--against-gradc MEASURE_REGRESSION_JSON]
#        torch_regression_sweep.py --gradc-json MEASURE_REGRESSION_JSON
# --against-gradc then tests, measure by measure, that gradc's runs (as
# written by measure_regression.py --json) and PyTorch's come from the same
# distribution (two-sample Kolmogorov-Smirnov at 1%). The second form only
# prints the tables for gradc's runs, so the two spreads can be set side by
# side.
import argparse
import json
import math
import os
import re
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gradc_files  # noqa: E402
from measure_regression import (DIVERGED_AT, EXAMPLE, RANGES,  # noqa: E402
                                VARIANTS, parse_seeds)
from torch_conformance import Sgd, clip_grads  # noqa: E402

INPUTS, HIDDEN, BATCH, EPOCHS, LR = 20, 25, 32, 100, 0.01
NAMES = ["dense_1.kernel", "dense_1.bias", "dense_2.kernel", "dense_2.bias"]
QUANTILES = [0, 10, 25, 50, 75, 90, 100]
MEASURES = {"none": ["nonfinite_step", "loss_nonfinite_step"],
            "clipped": ["epoch1_loss", "first_below_100", "final_loss",
                        "train_mse", "test_mse"]}


def initial_params(gen, dtype):
    """Kernels drawn in float32 from gen, so both precisions start alike."""
    def uniform(shape, bound):
        return torch.empty(shape).uniform_(-bound, bound, generator=gen)
    params = [uniform((INPUTS, HIDDEN), (6 / INPUTS) ** 0.5),
              torch.zeros(HIDDEN),
              uniform((HIDDEN, 1), (6 / (HIDDEN + 1)) ** 0.5), torch.zeros(1)]
    return [p.to(dtype).requires_grad_(True) for p in params]


def step(params, xb, yb):
    k1, b1, k2, b2 = params
    loss = ((torch.relu(xb @ k1 + b1) @ k2 + b2 - yb) ** 2).mean()
    return loss, torch.autograd.grad(loss, params)


def first_bad(loss, grads):
    """What is not finite: 'loss', 'gradient of NAME', both joined by
    ' and ', or None. Only the first non-finite gradient is named."""
    bad = [] if math.isfinite(loss) else ["loss"]
    if not torch.isfinite(torch.cat([g.reshape(-1) for g in grads])).all():
        bad += [next(f"gradient of {n}" for n, g in zip(NAMES, grads)
                     if not torch.isfinite(g).all())]
    return " and ".join(bad) or None


def train(variant, seed, data):
    """One 100-epoch run. A clipped run stops at its first non-finite loss
    or gradient; an unclipped one goes on until the loss is not finite, the
    step where Keras's TerminateOnNaN, which watches the loss, would stop."""
    _, _, x, y = data["train"]
    gen = torch.Generator().manual_seed(seed)
    params = initial_params(gen, x.dtype)
    optimizer, row, losses, count = Sgd(params, LR), {"seed": seed}, [], 0
    for _ in range(EPOCHS):
        order, total = torch.randperm(len(x), generator=gen), 0.0
        for first in range(0, len(x), BATCH):
            rows, count = order[first:first + BATCH], count + 1
            loss, grads = step(params, x[rows], y[rows])
            loss = loss.item()
            bad = first_bad(loss, grads)
            if bad and "nonfinite_step" not in row:
                row.update(nonfinite_step=count, nonfinite_what=bad)
            if bad and ("loss" in bad or variant != "none"):
                return dict(row, loss_nonfinite_step=count, epochs=len(losses))
            total += loss * len(rows)
            with torch.no_grad():
                optimizer.update(params, clip_grads(grads, variant,
                                                    VARIANTS[variant]))
        losses.append(total / len(x))
    return dict(row, **summarize(losses), **evaluate(params, data))


def summarize(losses):
    below = [e for e, loss in enumerate(losses, 1) if loss < 100]
    return {"epochs": len(losses), "epoch1_loss": losses[0],
            "first_below_100": below[0] if below else None,
            "final_loss": losses[-1]}


def evaluate(params, data):
    """The final model's MSE on each whole file, as measure_regression.py."""
    tensors = {n: p.detach().numpy() for n, p in zip(NAMES, params)}
    return {f"{split}_mse": gradc_files.mlp_mse(tensors, *data[split][:2])
            for split in ["train", "test"]}


def percentiles(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    cells = [f"{v:.4g}" for v in np.percentile(values, QUANTILES)] \
        if values else ["-"] * len(QUANTILES)
    return f"| {key} | {len(values)} | " + " | ".join(cells) + " |"


def in_range(variant, rows):
    limits = RANGES.get(variant, {"nonfinite_step": DIVERGED_AT})
    inside = {k: [r.get(k) is not None and low <= r[k] <= high for r in rows]
              for k, (low, high) in limits.items()}
    lines = [f"  {k} in {limits[k]}: {sum(v)}/{len(v)}"
             for k, v in inside.items()]
    joint = [all(v) for v in zip(*inside.values())]
    return lines + [f"  all of these: {sum(joint)}/{len(joint)}"]


def report(variant, rows, title):
    head = " | ".join(f"p{q}" for q in QUANTILES)
    lines = [f"\n{title}:\n", f"| measure | n | {head} |",
             "|---|---|" + "---|" * len(QUANTILES)]
    lines += [percentiles(rows, k) for k in
              MEASURES["none" if variant == "none" else "clipped"]]
    if variant == "none":
        kinds = [r.get("nonfinite_what", "finite") for r in rows]
        lines.append("first non-finite: " + ", ".join(
            f"{k} {kinds.count(k)}" for k in sorted(set(kinds))))
    lines.append("inside the Keras 10-seed ranges:")
    return "\n".join(lines + in_range(variant, rows))


def load(split, dtype):
    """(x, y) in float64 numpy for evaluation, then as torch tensors."""
    x, y = gradc_files.read_csv_data(os.path.join(EXAMPLE, f"{split}.csv"))
    return x, y, torch.tensor(x, dtype=dtype), torch.tensor(y, dtype=dtype)


def gradc_results(path):
    """measure_regression.py's --json rows, renamed to this script's keys."""
    with open(path) as f:
        runs = json.load(f)
    for row in (r for rows in runs.values() for r in rows
                if "diverged_global" in r):
        what = re.sub(r" (is|are) not finite$", "", row["diverged_what"])
        row.update(nonfinite_step=row["diverged_global"],
                   nonfinite_what=what)
        if what.startswith("loss"):
            row.update(loss_nonfinite_step=row["diverged_global"])
    return {key.rsplit("-", 1)[0]: rows for key, rows in runs.items()
            if key.endswith("-jit")}


def ks_distance(a, b):
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between the
    empirical distribution functions of a and b."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gaps = np.searchsorted(a, points, side="right") / len(a) - \
        np.searchsorted(b, points, side="right") / len(b)
    return float(np.max(np.abs(gaps)))


def compare(variant, torch_rows, gradc_rows):
    """Per measure: both medians, the KS distance and the distance that two
    samples of these sizes from one distribution exceed with probability
    1% (asymptotic, conservative for ties). Returns (lines, disagreements)."""
    lines, disagree = [], 0
    for key in MEASURES["none" if variant == "none" else "clipped"]:
        t = [r[key] for r in torch_rows if r.get(key) is not None]
        g = [r[key] for r in gradc_rows if r.get(key) is not None]
        if not t or not g:
            continue
        distance = ks_distance(t, g)
        limit = 1.628 * math.sqrt((len(t) + len(g)) / (len(t) * len(g)))
        same = distance <= limit
        disagree += not same
        lines.append(f"{variant} {key}: median torch {np.median(t):.4g} "
                     f"gradc {np.median(g):.4g}, KS {distance:.3f} "
                     f"(1% limit {limit:.3f}) "
                     f"{'same' if same else 'DIFFERENT'}")
    return lines, disagree


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="1-40")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--double", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--gradc-json", help="only tabulate this output of "
                        "measure_regression.py --json")
    parser.add_argument("--against-gradc", help="after the torch runs, test "
                        "that this output of measure_regression.py --json "
                        "has the same distributions; exit 1 if not")
    args = parser.parse_args()
    if args.gradc_json:
        for variant, rows in gradc_results(args.gradc_json).items():
            print(report(variant, rows, f"gradc {variant}"))
        return 0
    torch.set_num_threads(1)
    precision = "float64" if args.double else "float32"
    dtype = getattr(torch, precision)
    data = {split: load(split, dtype) for split in ["train", "test"]}
    results = {}
    for variant in args.variants.split(","):
        start = time.monotonic()
        results[variant] = [train(variant, seed, data)
                            for seed in parse_seeds(args.seeds)]
        title = f"torch {precision} {variant}"
        print(report(variant, results[variant], title) +
              f"\n({time.monotonic() - start:.1f} s)", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    if not args.against_gradc:
        return 0
    gradc, disagree, lines = gradc_results(args.against_gradc), 0, []
    for variant, rows in results.items():
        more, different = compare(variant, rows, gradc.get(variant, []))
        lines, disagree = lines + more, disagree + different
    print("\n" + "\n".join(lines))
    print(f"{len(lines) - disagree} of {len(lines)} measures have the same "
          "distribution in gradc and PyTorch")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
