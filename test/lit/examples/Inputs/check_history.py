#!/usr/bin/python3
# check_history.py - checks numbers of gradi history files for the example tests.
# SPDX-License-Identifier: MIT
#
# Two modes, each printing one line that FileCheck can match and exiting 1
# when the check fails:
#   check_history.py H.csv --min COL=V [--min COL=V ...] [--epoch N]
#       every named column of epoch N (default: the last) is at least V;
#   check_history.py A.csv B.csv --agree COL[,COL...] --rtol R [--epoch N]
#       the columns of epoch N (default: every epoch) agree within relative
#       tolerance R.
import argparse
import csv
import math
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"error: {path} has no epochs")
    return rows


def pick(rows, epoch):
    if epoch is None:
        return rows
    return [r for r in rows if int(r["epoch"]) == epoch]


def check_min(rows, bounds):
    ok = True
    for bound in bounds:
        column, value = bound.split("=")
        actual = float(rows[-1][column])
        passed = actual >= float(value)
        ok = ok and passed
        verdict = "ok" if passed else "FAILED"
        print(f"epoch {rows[-1]['epoch']} {column} {actual:.4f} >= {value} "
              f"{verdict}")
    return ok


def check_agree(a_rows, b_rows, columns, rtol):
    ok = len(a_rows) == len(b_rows) and len(a_rows) > 0
    for a, b in zip(a_rows, b_rows):
        for column in columns:
            x, y = float(a[column]), float(b[column])
            if not math.isclose(x, y, rel_tol=rtol):
                print(f"epoch {a['epoch']} {column}: {x!r} vs {y!r} differ")
                ok = False
    if ok:
        print(f"{len(a_rows)} epochs agree on {','.join(columns)}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("histories", nargs="+")
    ap.add_argument("--min", action="append", default=[])
    ap.add_argument("--agree")
    ap.add_argument("--rtol", type=float, default=1e-6)
    ap.add_argument("--epoch", type=int)
    args = ap.parse_args()

    rows = [pick(read(h), args.epoch) for h in args.histories]
    if args.agree:
        ok = check_agree(rows[0], rows[1], args.agree.split(","), args.rtol)
    else:
        ok = check_min(rows[0], args.min)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
