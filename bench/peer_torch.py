# peer_torch.py - the PyTorch side of the benchmark suite.
# SPDX-License-Identifier: MIT
#
# Builds the same models as the gradc cases (same layers, initializers, loss,
# clipping and optimizer semantics) and either times one training step on a
# fixed batch (`step`), trains a whole run on the real data (`train`, for
# peak memory), or measures what OpenBLAS matrix multiplication reaches on
# this machine (`gemm`). The step is one Python function run eagerly or
# compiled whole with torch.jit.script: forward, torch.autograd.grad,
# clipping written as a loop over parameters (per-tensor norm as Keras
# clipnorm, one shared factor for the global norm, clamping for value) and
# the update (Keras SGD momentum v = mu*v - lr*g, w += v; Adam of Kingma and
# Ba with bias correction, eps added to sqrt(v_hat)). Each timed block starts
# from the same initial parameters and zero optimizer state, as gradc's does.
# Every mode prints one JSON line.

import argparse
import gzip
import json
import math
import os
import sys
import time
from typing import List

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CLIP_KINDS = {"none": 0, "norm": 1, "global_norm": 2, "value": 3}

# Layers of each case: ("dense", in, out, act, init) or conv/pool/flatten.
CASES = {
    "regression": dict(
        layers=[("dense", 20, 25, "relu", "he_uniform"),
                ("dense", 25, 1, "linear", "glorot_uniform")],
        x_shape=(20,), loss="mse", opt="sgd", batch=32),
    "wide_mlp": dict(
        layers=[("flatten",),
                ("dense", 784, 512, "relu", "he_uniform"),
                ("dense", 512, 512, "relu", "he_uniform"),
                ("dense", 512, 10, "linear", "glorot_uniform")],
        x_shape=(28, 28, 1), loss="sparse_ce", opt="adam", batch=128),
    "cnn": dict(
        layers=[("nchw",), ("conv", 1, 32, 3, "relu"), ("pool", 2),
                ("flatten",), ("dense", 13 * 13 * 32, 10, "linear",
                               "glorot_uniform")],
        x_shape=(28, 28, 1), loss="sparse_ce", opt="adam", batch=32),
}


class ToNCHW(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2)


def init_uniform(t, limit, gen):
    with torch.no_grad():
        t.uniform_(-limit, limit, generator=gen)


def make_dense(n_in, n_out, init, gen):
    layer = nn.Linear(n_in, n_out)
    fan_sum = n_in if init == "he_uniform" else n_in + n_out
    init_uniform(layer.weight, math.sqrt(6.0 / fan_sum), gen)
    nn.init.zeros_(layer.bias)
    return layer


def make_conv(c_in, c_out, k, gen):
    layer = nn.Conv2d(c_in, c_out, k)
    fan_in, fan_out = c_in * k * k, c_out * k * k
    init_uniform(layer.weight, math.sqrt(6.0 / (fan_in + fan_out)), gen)
    nn.init.zeros_(layer.bias)
    return layer


def build_net(case, seed=1):
    gen = torch.Generator().manual_seed(seed)
    mods = []
    for spec in CASES[case]["layers"]:
        kind = spec[0]
        if kind == "dense":
            mods.append(make_dense(spec[1], spec[2], spec[4], gen))
            if spec[3] == "relu":
                mods.append(nn.ReLU())
        elif kind == "conv":
            mods += [make_conv(spec[1], spec[2], spec[3], gen), nn.ReLU()]
        elif kind == "pool":
            mods.append(nn.MaxPool2d(spec[1]))
        elif kind == "flatten":
            mods.append(nn.Flatten())
        elif kind == "nchw":
            mods.append(ToNCHW())
    return nn.Sequential(*mods)


class Step(nn.Module):
    """One training step: forward, gradients, clipping, update."""

    def __init__(self, net, loss_kind: int, opt_kind: int, clip_kind: int,
                 clip: float, lr: float):
        super().__init__()
        self.net = net
        self.loss_kind = loss_kind  # 0 mse, 1 sparse categorical CE
        self.opt_kind = opt_kind    # 0 sgd momentum, 1 adam
        self.clip_kind = clip_kind
        self.clip = clip
        self.lr = lr
        self.momentum = 0.9
        self.beta1 = 0.9
        self.beta2 = 0.999
        self.eps = 1e-7

    def clip_grads(self, grads: List[torch.Tensor]) -> List[torch.Tensor]:
        if self.clip_kind == 1:
            for g in grads:
                g.mul_(torch.clamp(self.clip / torch.linalg.vector_norm(g),
                                   max=1.0))
        elif self.clip_kind == 2:
            norms = [torch.linalg.vector_norm(g) for g in grads]
            total = torch.linalg.vector_norm(torch.stack(norms))
            scale = torch.clamp(self.clip / total, max=1.0)
            for g in grads:
                g.mul_(scale)
        elif self.clip_kind == 3:
            for g in grads:
                g.clamp_(-self.clip, self.clip)
        return grads

    def update(self, params: List[torch.Tensor], grads: List[torch.Tensor],
               slot1: List[torch.Tensor], slot2: List[torch.Tensor], t: int):
        if self.opt_kind == 0:
            for p, g, v in zip(params, grads, slot1):
                v.mul_(self.momentum).add_(g, alpha=-self.lr)
                p.detach().add_(v)
            return
        bc1 = 1.0 - self.beta1 ** t
        bc2 = 1.0 - self.beta2 ** t
        for p, g, m, v in zip(params, grads, slot1, slot2):
            m.mul_(self.beta1).add_(g, alpha=1.0 - self.beta1)
            v.mul_(self.beta2).addcmul_(g, g, value=1.0 - self.beta2)
            denom = (v / bc2).sqrt_().add_(self.eps)
            p.detach().addcdiv_(m, denom, value=-self.lr / bc1)

    def forward(self, params: List[torch.Tensor], slot1: List[torch.Tensor],
                slot2: List[torch.Tensor], x: torch.Tensor, y: torch.Tensor,
                t: int) -> torch.Tensor:
        out = self.net(x)
        if self.loss_kind == 0:
            loss = F.mse_loss(out, y)
        else:
            loss = F.cross_entropy(out, y)
        raw = torch.autograd.grad([loss], params)
        grads: List[torch.Tensor] = []
        for g in raw:
            assert g is not None
            grads.append(g)
        self.update(params, self.clip_grads(grads), slot1, slot2, t)
        return loss.detach()


def make_step(case, clip_kind, clip, mode):
    spec = CASES[case]
    lr = 0.01 if spec["opt"] == "sgd" else 0.001
    step = Step(build_net(case), 0 if spec["loss"] == "mse" else 1,
                0 if spec["opt"] == "sgd" else 1, CLIP_KINDS[clip_kind],
                clip, lr)
    if mode == "script":
        step = torch.jit.script(step)
    params = [p for p in step.net.parameters()]
    return step, params


def load_batch(case, x_file, y_file):
    spec = CASES[case]
    b = spec["batch"]
    x = np.fromfile(x_file, dtype="<f4", count=b * int(np.prod(spec["x_shape"])))
    y = np.fromfile(y_file, dtype="<f4", count=b)
    x = torch.from_numpy(x.reshape((b,) + spec["x_shape"]).copy())
    if spec["loss"] == "mse":
        return x, torch.from_numpy(y.reshape(b, 1).copy())
    return x, torch.from_numpy(y.astype(np.int64))


def time_block(step, params, initial, x, y, steps):
    with torch.no_grad():
        for p, p0 in zip(params, initial):
            p.copy_(p0)
    slot1 = [torch.zeros_like(p) for p in params]
    slot2 = [torch.zeros_like(p) for p in params]
    start, cpu = time.perf_counter(), time.process_time()
    for t in range(1, steps + 1):
        loss = step(params, slot1, slot2, x, y, t)
    return (time.perf_counter() - start, time.process_time() - cpu,
            float(loss))


def run_step(args):
    step, params = make_step(args.case, args.clip_kind, args.clip, args.mode)
    initial = [p.detach().clone() for p in params]
    x, y = load_batch(args.case, args.x, args.y)
    # From 20 warm-up steps (TorchScript optimizes after its first calls),
    # double the count until a block lasts a tenth of the target CPU time.
    steps = 20
    while True:
        _, seconds, _ = time_block(step, params, initial, x, y, steps)
        if seconds >= args.seconds / 10:
            break
        steps *= 2
    steps = max(1, int(steps * args.seconds / seconds))
    wall, cpu, loss = [], [], float("nan")
    for _ in range(args.blocks):
        seconds, cpu_seconds, loss = time_block(step, params, initial, x, y,
                                                steps)
        wall.append(1e6 * seconds / steps)
        cpu.append(1e6 * cpu_seconds / steps)
    # Best of many short blocks of about 0.3 ms, as the gradc driver does.
    short = max(1, int(3e-4 * steps / seconds))
    best, start = [], time.perf_counter()
    while len(best) < 2000 and time.perf_counter() - start < 6 * args.seconds:
        best.append(1e6 * time_block(step, params, initial, x, y, short)[0]
                    / short)
    best.sort()
    return {"system": "torch-" + args.mode, "threads": args.threads,
            "batch": CASES[args.case]["batch"], "steps_per_block": steps,
            "us_per_step": wall, "cpu_us_per_step": cpu,
            "best_us_per_step": best[0],
            "p10_us_per_step": best[len(best) // 10],
            "short_blocks": len(best), "final_loss": loss}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_dataset(case, root):
    if case == "regression":
        path = os.path.join(root, "examples/regression/train.csv")
        table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
        return (torch.from_numpy(table[:, :-1].copy()),
                torch.from_numpy(table[:, -1:].copy()))
    data = os.path.join(root, "examples/cnn/data")
    images = read_idx(os.path.join(data, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    return x.reshape(-1, 28, 28, 1), torch.from_numpy(labels.astype(np.int64))


def run_train(args):
    """A whole training run on the real data, shuffled each epoch."""
    step, params = make_step(args.case, args.clip_kind, args.clip, args.mode)
    x, y = load_dataset(args.case, args.root)
    slot1 = [torch.zeros_like(p) for p in params]
    slot2 = [torch.zeros_like(p) for p in params]
    batch, t, loss = CASES[args.case]["batch"], 0, float("nan")
    gen = torch.Generator().manual_seed(1)
    start = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(x.shape[0], generator=gen)
        for i in range(0, x.shape[0], batch):
            idx = order[i:i + batch]
            t += 1
            loss = float(step(params, slot1, slot2, x[idx], y[idx], t))
    return {"system": "torch-" + args.mode, "epochs": args.epochs,
            "steps": t, "seconds": time.perf_counter() - start,
            "final_loss": loss}


def best_rate(fn, flops, seconds):
    fn()
    best, start = 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        fn()
        best = max(best, flops / (time.perf_counter() - t0))
    return best


def run_gemm(args):
    """Best GFLOP/s of f32 matmul (torch and numpy, both on OpenBLAS)."""
    # Calls of a few milliseconds, best of many: on a loaded machine some run
    # unpreempted, and the fastest call is what the hardware does.
    n = 512
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    an, bn = a.numpy(), b.numpy()
    out = {"threads": args.threads, "square_n": n,
           "torch_square_gflops": best_rate(lambda: torch.mm(a, b),
                                            2 * n ** 3, 3.0) / 1e9,
           "numpy_square_gflops": best_rate(lambda: an @ bn,
                                            2 * n ** 3, 3.0) / 1e9}
    # The shapes of the wide MLP's forward products, for reference.
    for m, k, nn_ in [(128, 784, 512), (128, 512, 512)]:
        x, w = torch.rand(m, k), torch.rand(k, nn_)
        out["torch_%dx%dx%d_gflops" % (m, k, nn_)] = best_rate(
            lambda: torch.mm(x, w), 2 * m * k * nn_, 2.0) / 1e9
    # Memory bandwidth: copy of a 64 MiB array (read + write counted).
    src = np.ones(16 << 20, dtype=np.float32)
    dst = np.empty_like(src)
    out["copy_gbytes_per_s"] = best_rate(lambda: np.copyto(dst, src),
                                         2 * src.nbytes, 1.0) / 1e9
    out["ceiling_gflops"] = max(v for k, v in out.items()
                                if k.endswith("_gflops"))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["step", "train", "gemm"])
    parser.add_argument("--case", choices=sorted(CASES), default="regression")
    parser.add_argument("--clip-kind", choices=sorted(CLIP_KINDS),
                        default="none")
    parser.add_argument("--clip", type=float, default=1.0)
    parser.add_argument("--mode", choices=["eager", "script"], default="eager")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--x")
    parser.add_argument("--y")
    parser.add_argument("--seconds", type=float, default=0.25)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--root", default=os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    action = {"step": run_step, "train": run_train, "gemm": run_gemm}
    print(json.dumps(action[args.action](args)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
