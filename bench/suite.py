# suite.py - runs every benchmark case, gradc and PyTorch interleaved.
# SPDX-License-Identifier: MIT
#
# Called by bench/run.sh with the build directory. For each case the gradc
# step driver (gradc-bench-step) and the PyTorch peer (peer_torch.py, eager
# and TorchScript) run in turn, round after round, in a rotating order, so
# that a change of machine load hits every system alike. Each process times
# several blocks of steps and reports its median; the table shows the
# min/median/max over rounds. Step times are CPU time of the process (wall
# time is recorded as well): on a shared machine wall time mostly measures
# the other jobs. It also measures the OpenBLAS matmul ceiling, JIT and AOT
# compile time, and the peak resident memory of whole training runs, and
# writes everything as JSON next to printing a Markdown table.

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
PY = "/usr/bin/python3"
PEER = os.path.join(BENCH, "peer_torch.py")
REGRESSION = os.path.join(ROOT, "examples/regression/regression.model")

# name, model file, -D defines, peer case, clip kind, clip, threads, epochs
CASES = [
    ("regression/none", REGRESSION, ["clip_kind=none"], "regression", "none",
     1.0, [1], 20),
    ("regression/norm", REGRESSION, ["clip_kind=norm", "clip=1.0"],
     "regression", "norm", 1.0, [1], 20),
    ("regression/global_norm", REGRESSION,
     ["clip_kind=global_norm", "clip=1.0"], "regression", "global_norm", 1.0,
     [1], 20),
    ("regression/value", REGRESSION, ["clip_kind=value", "clip=5.0"],
     "regression", "value", 5.0, [1], 20),
    ("wide_mlp", os.path.join(BENCH, "wide_mlp.model"), [], "wide_mlp",
     "global_norm", 1.0, [1, 2], 2),
    ("cnn", os.path.join(ROOT, "examples/cnn/cnn.model"), [], "cnn", "none",
     1.0, [1], 1),
]

# Multiply-add FLOPs of one step: forward, input gradient (not for the first
# layer) and weight gradient of every dense/conv layer, 2 FLOPs each.
STEP_FLOPS = {
    "regression": 2 * 32 * (2 * 20 * 25 + 3 * 25 * 1),
    "wide_mlp": 2 * 128 * (2 * 784 * 512 + 3 * 512 * 512 + 3 * 512 * 10),
    "cnn": 2 * 32 * (2 * 26 * 26 * 32 * 9 + 3 * 13 * 13 * 32 * 10),
}


def run_json(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.stderr.write("failed: %s\n%s" % (" ".join(cmd), out.stderr))
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def thread_env(threads):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = str(threads)
    return env


def gradc_cmd(args, case):
    name, model, defines, peer, _, _, _, _ = case
    cmd = [os.path.join(args.build, "bin/gradc-bench-step"), model,
           "--seconds", str(args.seconds), "--blocks", str(args.blocks)]
    cmd += ["-D" + d for d in defines]
    return cmd + ["--x", os.path.join(args.data, peer + ".x"),
                  "--y", os.path.join(args.data, peer + ".y")]


def peer_cmd(args, case, mode, threads):
    name, _, _, peer, kind, clip, _, _ = case
    return [PY, PEER, "step", "--case", peer, "--clip-kind", kind, "--clip",
            str(clip), "--mode", mode, "--threads", str(threads),
            "--seconds", str(args.seconds), "--blocks", str(args.blocks),
            "--x", os.path.join(args.data, peer + ".x"),
            "--y", os.path.join(args.data, peer + ".y")]


def measure_case(args, case, threads):
    """Rounds of gradc, eager and TorchScript, rotating the order."""
    runs = {"gradc": [], "torch-eager": [], "torch-script": []}
    cmds = {"gradc": (gradc_cmd(args, case), None)}
    for mode in ("eager", "script"):
        cmds["torch-" + mode] = (peer_cmd(args, case, mode, threads),
                                 thread_env(threads))
    order = list(cmds)
    for r in range(args.rounds):
        for system in order[r % 3:] + order[:r % 3]:
            result = run_json(cmds[system][0], cmds[system][1])
            if result:
                result["load"] = os.getloadavg()[0]
                runs[system].append(result)
    return runs


def gemm_ceiling(threads):
    cmd = [PY, PEER, "gemm", "--threads", str(threads)]
    best = None
    for _ in range(2):
        r = run_json(cmd, thread_env(threads))
        if r and (best is None or r["ceiling_gflops"] >
                  best["ceiling_gflops"]):
            best = r
    return best


def timed(cmd, env=None, cwd=None):
    """Runs cmd under /usr/bin/time -v: wall, user+sys seconds, peak KiB."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True,
                         text=True, env=env, cwd=cwd)
    def field(label):
        m = re.search(re.escape(label) + r": (.*)", out.stderr)
        return m.group(1).strip() if m else "0"
    cpu = float(field("User time (seconds)")) + float(
        field("System time (seconds)"))
    return {"status": out.returncode, "cpu_s": cpu,
            "wall": field("Elapsed (wall clock) time (h:mm:ss or m:ss)"),
            "max_rss_kib": int(field("Maximum resident set size (kbytes)")),
            "stderr_tail": out.stderr.splitlines()[-30:-23]
            if out.returncode else []}


def aot_compile(args, case):
    gradc = os.path.join(args.build, "bin/gradc")
    if not os.path.exists(gradc):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [gradc, case[1], "-o", os.path.join(tmp, "model")]
        cmd += ["-D" + d for d in case[2]]
        return [timed(cmd) for _ in range(3)]


def whole_runs(args, case):
    name, model, defines, peer, kind, clip, _, epochs = case
    gradi = [os.path.join(args.build, "bin/gradi"), model, "--quiet",
             "--epochs", str(epochs)] + ["-D" + d for d in defines]
    torch_run = [PY, PEER, "train", "--case", peer, "--clip-kind", kind,
                 "--clip", str(clip), "--epochs", str(epochs)]
    return {"gradc": timed(gradi),
            "torch-eager": timed(torch_run, thread_env(1))}


def summary(values):
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values),
            "max": max(values), "n": len(values)}


def summarize(runs):
    out = {}
    for system, results in runs.items():
        if not results:
            continue
        out[system] = {
            "cpu_us": summary([statistics.median(r["cpu_us_per_step"])
                               for r in results]),
            "wall_us": summary([statistics.median(r["us_per_step"])
                                for r in results]),
            "best_us": summary([r["best_us_per_step"] for r in results]),
            "final_loss": results[-1].get("final_loss"),
            "load": summary([r["load"] for r in results]),
        }
        if system == "gradc":
            out[system]["jit_s"] = summary(
                [r["compile_s"]["total"] for r in results])
            out[system]["jit_cpu_s"] = summary(
                [r["compile_s"]["total_cpu"] for r in results])
            out[system]["jit_stages"] = results[-1]["compile_s"]
    return out


def fmt_stat(s, scale=1.0, digits=1):
    if not s:
        return "n/a"
    f = "%%.%df" % digits
    return "/".join(f % (s[k] * scale) for k in ("min", "median", "max"))


def step_us(system, threads, v):
    """The step time used for rates and ratios. Best wall time and CPU time
    are both upper bounds of the unloaded cost of a single-threaded step
    (one counts preemption, the other only the cache damage of sharing), so
    their minimum is taken; a multi-threaded peer has only its wall time."""
    best = v["best_us"]["median"]
    if system != "gradc" and threads > 1:
        return best
    return min(best, v["cpu_us"]["median"])


def table(results):
    lines = ["| case | thr | system | best wall us/step min/med/max "
             "| CPU us/step min/med/max | step us | samples/s | GFLOP/s "
             "| % ceiling | peer/gradc |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for entry in results["cases"]:
        s, threads = entry["systems"], entry["threads"]
        if "gradc" not in s:
            continue
        base = step_us("gradc", threads, s["gradc"])
        ceiling = (results["gemm"].get(str(threads)) or {}).get(
            "ceiling_gflops")
        for system, v in s.items():
            us = step_us(system, threads, v)
            gflops = STEP_FLOPS[entry["peer"]] / (us * 1e3)
            pct = "%.0f%%" % (100 * gflops / ceiling) if ceiling else "n/a"
            ratio = "%.2fx" % (us / base) if system != "gradc" else ""
            lines.append("| %s | %d | %s | %s | %s | %.1f | %.0f | %.2f | %s "
                         "| %s |" % (entry["name"], threads, system,
                                     fmt_stat(v["best_us"]),
                                     fmt_stat(v["cpu_us"]), us,
                                     entry["batch"] * 1e6 / us, gflops, pct,
                                     ratio))
    return "\n".join(lines)


def wall_seconds(text):
    parts = [float(p) for p in text.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))


def extras_table(results):
    lines = ["| case | JIT compile CPU s min/med/max | JIT wall s med "
             "| AOT (gradc -o) CPU s min/med/max | AOT wall s med "
             "| peak RSS gradi MiB | peak RSS torch MiB |",
             "|---|---|---|---|---|---|---|"]
    jit = {e["name"]: e["systems"].get("gradc", {}) for e in results["cases"]}
    names = list(dict.fromkeys(list(jit) + list(results.get("whole", {}))))
    for name in names:
        g = jit.get(name, {})
        aot = (results.get("aot") or {}).get(name) or []
        cpu = summary([a["cpu_s"] for a in aot])
        wall = summary([wall_seconds(a["wall"]) for a in aot])
        whole = (results.get("whole") or {}).get(name, {})
        rss = lambda k: "%.0f" % (whole[k]["max_rss_kib"] / 1024) \
            if k in whole else "n/a"
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, fmt_stat(g.get("jit_cpu_s"), digits=2),
            "%.2f" % g["jit_s"]["median"] if g.get("jit_s") else "n/a",
            fmt_stat(cpu, digits=2),
            "%.2f" % wall["median"] if wall else "n/a",
            rss("gradc"), rss("torch-eager")))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build")
    parser.add_argument("--data")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=0.2)
    parser.add_argument("--only", default="",
                        help="a case name, or a group: regression")
    parser.add_argument("--no-extras", action="store_true",
                        help="skip gemm ceiling, AOT and whole runs")
    parser.add_argument("--whole-only", action="store_true",
                        help="only the peak memory of whole training runs")
    parser.add_argument("--out")
    parser.add_argument("--render", nargs="*", default=None,
                        help="print the tables of earlier result files "
                             "(merged in order) and exit")
    args = parser.parse_args()
    if args.render is not None:
        merged = {"cases": [], "gemm": {}, "aot": {}, "whole": {}}
        for path in args.render:
            part = json.load(open(path))
            merged["cases"] += part.get("cases", [])
            for key in ("gemm", "aot", "whole"):
                merged[key].update(part.get(key) or {})
        print(table(merged))
        print()
        print(extras_table(merged))
        return

    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
               "load_start": os.getloadavg(), "gemm": {}, "cases": []}
    if not args.no_extras and not args.whole_only:
        for threads in (1, 2):
            results["gemm"][str(threads)] = gemm_ceiling(threads)
            print("gemm", threads, results["gemm"][str(threads)], flush=True)
    for case in CASES:
        if args.only and case[0] != args.only and \
                not case[0].startswith(args.only + "/"):
            continue
        if args.whole_only:
            results.setdefault("whole", {})[case[0]] = whole_runs(args, case)
            print("whole", results["whole"][case[0]], flush=True)
            continue
        for threads in case[6]:
            entry = {"name": case[0], "peer": case[3], "threads": threads,
                     "batch": 32 if case[3] != "wide_mlp" else 128}
            entry["systems"] = summarize(measure_case(args, case, threads))
            print(json.dumps(entry), flush=True)
            results["cases"].append(entry)
        if not args.no_extras:
            results.setdefault("aot", {})[case[0]] = aot_compile(args, case)
            results.setdefault("whole", {})[case[0]] = whole_runs(args, case)
            print("aot", results["aot"][case[0]], flush=True)
            print("whole", results["whole"][case[0]], flush=True)
    results["load_end"] = os.getloadavg()
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    print(table(results))
    print()
    print(extras_table(results))


if __name__ == "__main__":
    main()
