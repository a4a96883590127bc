# measure_regression.py - run the regression experiment over seeds, tabulate, check ranges.
# SPDX-License-Identifier: MIT
#
# Trains examples/regression/regression.model with each clip variant and each
# seed, through the JIT (gradi) and, when given, through AOT executables built
# by `gradc -o`. Every run writes a JSON history; its "final" entry is the
# final model evaluated on train.csv and test.csv (Keras's model.evaluate),
# unlike the epochs' "loss", the mean of batch losses taken while the weights
# moved (Keras's logged loss). One markdown table per variant is printed,
# then the seeds whose numbers fall outside the ranges a faithful Keras
# reproduction gave over 10 seeds. The exit status is 1 only when a run ends
# with another status than its variant must (3 without clipping, else 0).
#
# Usage: measure_regression.py GRADI [--gradc GRADC] [--seeds 1-5]
#                              [--work DIR] [--json OUT]
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.normpath(os.path.join(HERE, "..", "..", "examples",
                                        "regression"))
VARIANTS = {"none": None, "norm": 1.0, "value": 5.0, "global_norm": 1.0}

# The Keras reproduction's ranges over 10 seeds, per variant.
RANGES = {
    "norm": {"epoch1_loss": (1.0e4, 3.0e4), "first_below_100": (16, 18),
             "train_mse": (0.5, 1.4), "test_mse": (11, 25)},
    "value": {"train_mse": (26, 101), "test_mse": (32, 125)},
    "global_norm": {"train_mse": (1.3, 11), "test_mse": (14, 36)},
}
DIVERGED_AT = (8, 10)
DIVERGED = re.compile(r"training diverged at epoch (\d+), step (\d+) "
                      r"\(global step (\d+)\): (.*)")


def defines(variant):
    clip = VARIANTS[variant]
    return [f"-Dclip_kind={variant}"] + ([] if clip is None else
                                         [f"-Dclip={clip}"])


def build_aot(gradc, variant, work):
    exe = os.path.join(work, f"regression-{variant}")
    subprocess.run([gradc] + defines(variant) +
                   [os.path.join(EXAMPLE, "regression.model"), "-o", exe],
                   check=True)
    return [exe]


def run_one(command, seed, folder):
    os.makedirs(folder, exist_ok=True)
    history = os.path.join(folder, "history.json")
    start = time.monotonic()
    done = subprocess.run(command + ["--seed", str(seed), "--quiet",
                                     "--history", history],
                          capture_output=True, text=True)
    row = {"seed": seed, "status": done.returncode,
           "seconds": time.monotonic() - start}
    found = DIVERGED.search(done.stderr)
    if found:
        row.update(diverged_epoch=int(found[1]), diverged_step=int(found[2]),
                   diverged_global=int(found[3]), diverged_what=found[4])
    written = {}
    if os.path.exists(history):
        with open(history) as f:
            written = json.load(f)
    row.update(summarize(written.get("epochs", [])))
    if "final" in written:
        row.update(train_mse=written["final"]["loss"],
                   test_mse=written["final"]["val_loss"])
    return row


def summarize(epochs):
    if not epochs:
        return {"epochs": 0}
    below = [e["epoch"] for e in epochs if e["loss"] < 100]
    return {"epochs": len(epochs), "epoch1_loss": epochs[0]["loss"],
            "first_below_100": int(below[0]) if below else None,
            "final_loss": epochs[-1]["loss"],
            "final_val_loss": epochs[-1].get("val_loss", math.nan)}


def failed(variant, row):
    """Why the run did not end as the variant must (diverged with status 3
    without clipping, trained with status 0 with it), or None."""
    want = 3 if variant == "none" else 0
    if row["status"] != want:
        return f"exit status {row['status']}, expected {want}"
    return None


def out_of_range(variant, row):
    """The measures of a finished run outside the Keras 10-seed ranges."""
    problems = []
    if variant == "none":
        low, high = DIVERGED_AT
        if not low <= row.get("diverged_global", -1) <= high:
            problems.append(f"diverged at global step "
                            f"{row.get('diverged_global')}, outside "
                            f"[{low}, {high}]")
        return problems
    for key, (low, high) in RANGES[variant].items():
        value = row.get(key)
        if value is None or not low <= value <= high:
            problems.append(f"{key} {value} outside [{low}, {high}]")
    return problems


def fmt(value, spec):
    if value is None:
        return "-"
    return format(value, spec)


def table(variant, engine, rows):
    lines = [f"\n{variant}, {engine}:\n"]
    if variant == "none":
        lines.append("| seed | exit | stopped at | global step | what |")
        lines.append("|---|---|---|---|---|")
        for r in rows:
            lines.append(f"| {r['seed']} | {r['status']} | epoch "
                         f"{r.get('diverged_epoch', '-')} step "
                         f"{r.get('diverged_step', '-')} | "
                         f"{r.get('diverged_global', '-')} | "
                         f"{r.get('diverged_what', '-')} |")
        return "\n".join(lines)
    lines.append("| seed | epoch-1 loss | loss < 100 from epoch | final loss "
                 "| final train MSE | final test MSE | val_loss | s |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        lines.append(
            f"| {r['seed']} | {fmt(r.get('epoch1_loss'), '.4g')} | "
            f"{fmt(r.get('first_below_100'), 'd')} | "
            f"{fmt(r.get('final_loss'), '.4g')} | "
            f"{fmt(r.get('train_mse'), '.4g')} | "
            f"{fmt(r.get('test_mse'), '.4g')} | "
            f"{fmt(r.get('final_val_loss'), '.4g')} | {r['seconds']:.1f} |")
    return "\n".join(lines)


def parse_seeds(text):
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gradi")
    parser.add_argument("--gradc")
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--work", default="/tmp/gradc-regression-measure")
    parser.add_argument("--json")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    results, failures, outside = {}, [], []
    for variant in args.variants.split(","):
        engines = {"jit": [args.gradi] + defines(variant) +
                   [os.path.join(EXAMPLE, "regression.model")]}
        if args.gradc:
            engines["aot"] = build_aot(args.gradc, variant, args.work)
        for engine, command in engines.items():
            rows = [run_one(command, seed, os.path.join(
                args.work, f"{variant}-{engine}-{seed}"))
                for seed in parse_seeds(args.seeds)]
            results[f"{variant}-{engine}"] = rows
            print(table(variant, engine, rows), flush=True)
            for r in rows:
                failures += [f"{variant} {engine} seed {r['seed']}: {why}"
                             for why in [failed(variant, r)] if why]
                outside += [f"{variant} {engine} seed {r['seed']}: {p}"
                            for p in out_of_range(variant, r)]
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    # Single seeds of these chaotic runs fall outside the ranges of ten Keras
    # seeds for any faithful implementation (torch_regression_sweep.py
    # compares whole distributions), so this is a report, not a failure.
    print("\noutside the Keras 10-seed ranges:\n" +
          ("\n".join(outside) if outside else "none"))
    print("\n" + ("\n".join(failures) if failures else
                  "every run ended with the expected status"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
