# compare_history.py - compare per-epoch columns of two training histories.
# SPDX-License-Identifier: MIT
#
# Reads two histories (CSV or JSON, as the runtime writes them) and compares
# the named columns epoch by epoch: bit for bit with --exact (JSON histories
# keep every digit of a double), or within a relative tolerance. Prints one
# summary line, or the first differing epoch, and exits 1 on a difference.
#
# Usage: compare_history.py WANT GOT [--rtol R | --exact] [--columns a,b]
import argparse
import json
import math
import sys


def read(path):
    if path.endswith(".json"):
        with open(path) as f:
            data = json.load(f)
        epochs = data["epochs"] if isinstance(data, dict) else data
        return [{k: math.nan if v is None else v for k, v in e.items()}
                for e in epochs]
    with open(path) as f:
        names = f.readline().strip().split(",")
        return [dict(zip(names, map(float, line.split(","))))
                for line in f if line.strip()]


def same(want, got, rtol):
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if rtol is None:
        return want == got
    return abs(got - want) <= rtol * abs(want)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("want")
    parser.add_argument("got")
    parser.add_argument("--rtol", type=float)
    parser.add_argument("--exact", action="store_true")
    parser.add_argument("--columns", default="loss")
    args = parser.parse_args()
    want, got = read(args.want), read(args.got)
    if len(want) != len(got):
        print(f"epoch count differs: {len(want)} vs {len(got)}")
        return 1
    rtol = None if args.exact else args.rtol
    for w, g in zip(want, got):
        for column in args.columns.split(","):
            if not same(w[column], g[column], rtol):
                print(f"epoch {int(w['epoch'])} {column} differs: "
                      f"{w[column]!r} vs {g[column]!r}")
                return 1
    print(f"{len(want)} epochs agree on {args.columns}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
