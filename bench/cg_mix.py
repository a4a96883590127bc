# cg_mix.py - instruction mix of one function from a callgrind profile.
# SPDX-License-Identifier: MIT
#
# `cg_mix.py out.callgrind binary function calls` reads a profile recorded
# with `valgrind --tool=callgrind --dump-instr=yes [--cache-sim=yes]`, takes
# the self cost of each instruction of `function`, disassembles `binary` with
# objdump, and prints per call: instructions, loads, stores, cache misses and
# the executed instructions grouped by kind (packed 256-bit FMA, scalar FMA,
# vector and scalar loads and stores, branches, ...). This is how the suite
# tells a step limited by arithmetic from one limited by memory traffic or
# by loop and address overhead, on a machine without hardware counters.

import re
import subprocess
import sys
from collections import defaultdict


def parse_position(token, last):
    if token == "*":
        return last
    if token[0] in "+-":
        return last + int(token, 0)
    return int(token, 0)


def self_costs(path, function):
    """Per-instruction self cost (list of event counts) of `function`."""
    names, costs, events = {}, defaultdict(lambda: None), []
    current, skip_next, last = None, False, [0, 0]
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("events:"):
            events = line.split()[1:]
            continue
        m = re.match(r"^(c?)fn=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3):
                names[m.group(2)] = m.group(3)
            if not m.group(1):
                current = names.get(m.group(2))
            continue
        if line.startswith("calls="):
            skip_next = True
            continue
        if not line or not (line[0] in "0123456789+-*"):
            continue
        fields = line.split()
        last = [parse_position(fields[0], last[0]),
                parse_position(fields[1], last[1])]
        if skip_next:
            skip_next = False
            continue
        if current != function:
            continue
        values = [int(v) for v in fields[2:]]
        acc = costs[last[0]] or [0] * len(events)
        for i, v in enumerate(values):
            acc[i] += v
        costs[last[0]] = acc
    return events, costs


def disassemble(binary):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary],
                         capture_output=True, text=True).stdout
    code = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m:
            code[int(m.group(1), 16)] = (m.group(2), m.group(3))
    return code


def kind(mnemonic, operands):
    wide = "ymm" in operands or "zmm" in operands
    memory = "(" in operands
    if mnemonic.startswith("vfmadd") or mnemonic.startswith("vfnmadd"):
        return "fma packed" if mnemonic.endswith("ps") and (
            wide or "xmm" in operands) and not mnemonic.endswith("ss") \
            else "fma scalar"
    if re.match(r"v?(add|sub|mul|div|max|min|sqrt)(ps|ss|pd|sd)", mnemonic):
        return "fp arith " + ("packed" if mnemonic[-2] == "p" else "scalar")
    if mnemonic.startswith("vmov") or mnemonic.startswith("mov"):
        store = memory and operands.rstrip().endswith(")")
        vec = "xmm" in operands or "ymm" in operands or "zmm" in operands
        width = "256b" if wide else ("128b/32b" if vec else "gpr")
        if memory:
            return ("store " if store else "load ") + width
        return "reg move"
    if mnemonic.startswith("j") or mnemonic in ("cmp", "test"):
        return "branch/compare"
    if mnemonic in ("add", "sub", "inc", "dec", "lea", "imul", "shl", "or",
                    "and", "xor"):
        return "integer/address"
    return "other" + (" (mem)" if memory else "")


def main():
    path, binary, function, calls = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4])
    events, costs = self_costs(path, function)
    code = disassemble(binary)
    totals = defaultdict(int)
    mix = defaultdict(int)
    for addr, values in costs.items():
        for name, v in zip(events, values):
            totals[name] += v
        mnemonic, operands = code.get(addr, ("?", ""))
        mix[kind(mnemonic, operands)] += values[0]
    print("%s: per call (%d calls)" % (function, calls))
    for name in events:
        print("  %-6s %12.0f" % (name, totals[name] / calls))
    print("  executed instructions by kind, per call:")
    for k, v in sorted(mix.items(), key=lambda kv: -kv[1]):
        print("  %-18s %12.0f  %5.1f%%" % (k, v / calls,
                                          100.0 * v / max(1, totals["Ir"])))


if __name__ == "__main__":
    main()
