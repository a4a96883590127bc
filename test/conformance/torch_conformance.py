# torch_conformance.py - train one small MLP with gradc and with PyTorch, compare.
# SPDX-License-Identifier: MIT
#
# A dense relu -> dense linear model on unscaled regression targets is trained
# for 100 steps by gradi (the JIT) and by a PyTorch loop written here from the
# semantics in DESIGN.md, never from gradc's code: per-tensor clip norm as a
# loop over parameters, one shared factor for the global norm (no epsilon,
# unlike clip_grad_norm_), an element clamp for clip value; SGD momentum in the
# v = mu v - lr g, w += v form and Adam with eps added to sqrt(v_hat), both
# written out by hand. Both sides start from the same weights (drawn here with
# numpy and handed to gradc with --init-from) and see the same batches in file
# order (`shuffle false`): 104 rows in batches of 32 give four steps an epoch,
# the last one of 8 rows, so 25 epochs are 100 steps. The reference runs in
# float64; gradc's per-epoch losses (row-weighted means of the batch losses)
# and final weights must agree with it to a relative 1e-4.
#
# Usage: torch_conformance.py GRADI DATA_CSV WORK_DIR [CASE...]
# Prints one line per case and exits 1 if any case disagrees.
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gradc_files  # noqa: E402

ROWS, BATCH, EPOCHS, HIDDEN = 104, 32, 25, 25
LOSS_RTOL, WEIGHT_RTOL = 1e-4, 1e-4

# name: (optimizer, learning rate, clip kind, clip threshold)
# Value clipping with SGD uses lr 0.003: at the experiment's 0.01 the run is
# chaotic, and PyTorch's own float32 and float64 runs of it part by 7% within
# 100 steps, so no implementation could meet 1e-4 there; at 0.003 they agree
# to 4e-6 while every step is still clamped.
CASES = {
    "sgd-norm": ("sgd", 0.01, "norm", 1.0),
    "sgd-global_norm": ("sgd", 0.01, "global_norm", 1.0),
    "sgd-value": ("sgd", 0.003, "value", 5.0),
    "sgd-none": ("sgd", 0.0001, "none", None),
    "adam-norm": ("adam", 0.01, "norm", 1.0),
    "adam-global_norm": ("adam", 0.01, "global_norm", 1.0),
    "adam-value": ("adam", 0.01, "value", 5.0),
    "adam-none": ("adam", 0.01, "none", None),
}
MOMENTUM = 0.9
# Adam's defaults (DESIGN.md); the model states none of them but lr.
BETA1, BETA2, EPS = 0.9, 0.999, 1e-7


def model_text(optimizer, lr, clip_kind, clip):
    momentum = f" momentum={MOMENTUM}" if optimizer == "sgd" else ""
    clip_line = "clip none" if clip is None else f"clip {clip_kind} {clip}"
    return "\n".join([
        "model conform {", "  input [20]",
        f"  dense {HIDDEN} relu init=he_uniform", "  dense 1", "}", "",
        "train conform {", '  data csv "train.csv" target=y', "  loss mse",
        f"  optimizer {optimizer} lr={lr}{momentum}", f"  {clip_line}", f"  batch {BATCH}",
        f"  epochs {EPOCHS}", "  seed 1", "  shuffle false", "}", ""])


def write_data(source, target):
    with open(source) as f:
        lines = f.readlines()[:ROWS + 1]
    with open(target, "w") as f:
        f.writelines(lines)


def initial_weights(names):
    """Weights for both sides, biases non-zero so their gradients matter."""
    rng = np.random.default_rng(20240601)
    shapes = {"k1": (20, HIDDEN), "b1": (HIDDEN,), "k2": (HIDDEN, 1),
              "b2": (1,)}
    bounds = {"k1": np.sqrt(6 / 20), "b1": 0.1, "k2": np.sqrt(6 / 26),
              "b2": 0.1}
    return {names[k]: rng.uniform(-bounds[k], bounds[k], shapes[k])
            .astype(np.float32) for k in shapes}


def clip_grads(grads, kind, c):
    if kind == "norm":
        return [g * (c / n) if (n := g.norm()) > c else g for g in grads]
    if kind == "global_norm":
        n = torch.sqrt(sum((g * g).sum() for g in grads))
        return [g * (c / n) for g in grads] if n > c else grads
    if kind == "value":
        return [g.clamp(-c, c) for g in grads]
    return grads


class Sgd:
    def __init__(self, params, lr):
        self.lr, self.v = lr, [torch.zeros_like(p) for p in params]

    def update(self, params, grads):
        for p, v, g in zip(params, self.v, grads):
            v.mul_(MOMENTUM).sub_(self.lr * g)
            p.add_(v)


class Adam:
    def __init__(self, params, lr):
        self.lr, self.t = lr, 0
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]

    def update(self, params, grads):
        self.t += 1
        b1, b2, eps = BETA1, BETA2, EPS
        for p, m, v, g in zip(params, self.m, self.v, grads):
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            m_hat, v_hat = m / (1 - b1 ** self.t), v / (1 - b2 ** self.t)
            p.sub_(self.lr * m_hat / (v_hat.sqrt() + eps))


def reference_run(case, init, names, x, y):
    """Per-epoch losses and final weights of the hand-written loop."""
    opt, lr, kind, c = CASES[case]
    order = ["k1", "b1", "k2", "b2"]
    params = [torch.tensor(init[names[k]], dtype=torch.float64)
              for k in order]
    optimizer = (Adam if opt == "adam" else Sgd)(params, lr)
    xs, ys = torch.tensor(x), torch.tensor(y)
    losses = []
    for _ in range(EPOCHS):
        total = 0.0
        for first in range(0, ROWS, BATCH):
            xb, yb = xs[first:first + BATCH], ys[first:first + BATCH]
            for p in params:
                p.requires_grad_(True)
            k1, b1, k2, b2 = params
            loss = ((torch.relu(xb @ k1 + b1) @ k2 + b2 - yb) ** 2).mean()
            grads = torch.autograd.grad(loss, params)
            total += loss.item() * len(xb)
            with torch.no_grad():
                params = [p.detach() for p in params]
                optimizer.update(params, clip_grads(grads, kind, c))
        losses.append(total / ROWS)
    return losses, {names[k]: p.numpy() for k, p in zip(order, params)}


def parameter_names(gradi, model, work):
    """Maps k1/b1/k2/b2 to gradc's names, from a one-epoch checkpoint."""
    probe = os.path.join(work, "probe.safetensors")
    subprocess.run([gradi, model, "--epochs", "1", "--quiet", "--save", probe],
                   check=True, stdout=subprocess.DEVNULL)
    tensors, _ = gradc_files.read_safetensors(probe)
    params = gradc_files.parameters(tensors)
    (k1, b1), (k2, b2) = gradc_files.mlp_layers(params, 20)
    return {"k1": k1, "b1": b1, "k2": k2, "b2": b2}


def relative_error(got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    return float(np.max(np.abs(got - want)) / max(np.max(np.abs(want)),
                                                  1e-30))


def run_case(case, gradi, data_csv, work):
    folder = os.path.join(work, case)
    os.makedirs(folder, exist_ok=True)
    model = os.path.join(folder, "conform.model")
    with open(model, "w") as f:
        f.write(model_text(*CASES[case]))
    write_data(data_csv, os.path.join(folder, "train.csv"))
    names = parameter_names(gradi, model, folder)
    init = initial_weights(names)
    gradc_files.write_safetensors(os.path.join(folder, "init.safetensors"),
                                  init)
    history = os.path.join(folder, "history.csv")
    final = os.path.join(folder, "final.safetensors")
    subprocess.run([gradi, model, "--quiet", "--init-from",
                    os.path.join(folder, "init.safetensors"), "--history",
                    history, "--save", final], check=True,
                   stdout=subprocess.DEVNULL)
    got_losses = [e["loss"] for e in gradc_files.read_history(history)]
    got_weights, _ = gradc_files.read_safetensors(final)
    x, y = gradc_files.read_csv_data(os.path.join(folder, "train.csv"))
    want_losses, want_weights = reference_run(case, init, names, x, y)
    return check(case, got_losses, want_losses, got_weights, want_weights)


def check(case, got_losses, want_losses, got_weights, want_weights):
    ok = len(got_losses) == EPOCHS
    loss_error = relative_error(got_losses, want_losses) if ok else np.inf
    weight_error = max(relative_error(got_weights[n], w)
                       for n, w in want_weights.items())
    ok = ok and loss_error <= LOSS_RTOL and weight_error <= WEIGHT_RTOL
    print(f"{'PASS' if ok else 'FAIL'} {case}: loss rel err {loss_error:.2e}"
          f" (first {got_losses[0]:.6g} vs {want_losses[0]:.6g}, last "
          f"{got_losses[-1]:.6g} vs {want_losses[-1]:.6g}), weight rel err "
          f"{weight_error:.2e}")
    return ok


def main():
    torch.set_num_threads(1)
    gradi, data_csv, work = sys.argv[1:4]
    cases = sys.argv[4:] or list(CASES)
    results = [run_case(case, gradi, data_csv, work) for case in cases]
    print(f"{sum(results)} of {len(results)} cases agree with PyTorch")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
