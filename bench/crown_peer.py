#!/usr/bin/env python3
"""The bound benchmark's PyTorch peer (bench/README.md, "Attacks"): CROWN certified margins at one L-infinity
radius, batched over images as a PyTorch user would write it (no bound library is packaged for Debian). The same
relaxation as Booksmart's BoundComputer (src/core/robust/bounds.h): the input set is the eps-box clipped to
[0, 1]; layer 1 exactly; layer 2 by IBP, tightened by a backward pass through the first ReLU; the margins
z_y - z_j by a backward pass through both ReLUs. An unstable ReLU's upper line is the chord, its lower line has
slope 1 when u > -l, else 0. Prints one JSON line with the timing and each image's smallest margin.

Usage: crown_peer.py MNIST_DIR MODEL [--eps E] [--count N] [--threads T] [--repeat R] [--batch B]
"""
import argparse
import json
import time

import numpy as np
import torch

from peers_python import load_mnist, load_safetensors, median_min_max, blas_core


def relax(l, u):
    """Lower slope, upper slope and upper intercept of each ReLU over [l, u]."""
    unstable = (l < 0) & (u > 0)
    active = l >= 0
    chord = u / torch.where(unstable, u - l, torch.ones_like(u))
    upper = torch.where(unstable, chord, active.to(u.dtype))
    intercept = torch.where(unstable, -chord * l, torch.zeros_like(u))
    lower = torch.where(unstable, (u > -l).to(u.dtype), active.to(u.dtype))
    return lower, upper, intercept


def through_relu(lam, const, r):
    """Rows of coefficients on a ReLU layer's outputs become lower bounds in terms of its inputs."""
    lower, upper, intercept = r
    pos, neg = lam.clamp(min=0), lam.clamp(max=0)
    const = const + (neg * intercept[:, None, :]).sum(-1)
    return pos * lower[:, None, :] + neg * upper[:, None, :], const


def crown_margins(w, x, y, eps):
    w1, b1, w2, b2, w3, b3 = w
    lo = (x - eps).clamp(min=0)
    hi = (x + eps).clamp(max=1)
    center, radius = (lo + hi) / 2, (hi - lo) / 2

    def lower_over_box(a):  # a: (B, R, 784) -> (B, R)
        return torch.einsum("brk,bk->br", a, center) - torch.einsum("brk,bk->br", a.abs(), radius)

    mid1 = center @ w1.T + b1
    rad1 = radius @ w1.abs().T
    l1, u1 = mid1 - rad1, mid1 + rad1
    a1, c1 = l1.clamp(min=0), u1.clamp(min=0)
    mid2 = (a1 + c1) / 2 @ w2.T + b2
    rad2 = (c1 - a1) / 2 @ w2.abs().T
    l2, u2 = mid2 - rad2, mid2 + rad2
    r1 = relax(l1, u1)
    n = x.shape[0]

    def back_to_input(lam, const):  # lam: (B, R, 64) on layer 1's outputs
        lam, const = through_relu(lam, const, r1)
        const = const + lam @ b1
        return lower_over_box(lam @ w1) + const

    rows = torch.cat([w2, -w2]).expand(n, -1, -1)
    consts = torch.cat([b2, -b2]).expand(n, -1)
    bound = back_to_input(rows, consts)
    h2 = w2.shape[0]
    l2 = torch.maximum(l2, bound[:, :h2])
    u2 = torch.minimum(u2, -bound[:, h2:])
    r2 = relax(l2, u2)
    lam3 = w3[y][:, None, :] - w3[None, :, :]
    const3 = b3[y][:, None] - b3[None, :]
    lam3, const3 = through_relu(lam3, const3, r2)
    const3 = const3 + lam3 @ b2
    margins = back_to_input(lam3 @ w2, const3)
    margins[torch.arange(n), y] = float("inf")
    return margins.min(dim=1).values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mnist")
    ap.add_argument("model")
    ap.add_argument("--eps", type=float, default=0.02)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=500)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    _, _, xte, yte = load_mnist(a.mnist)
    t = load_safetensors(a.model)
    w = [torch.from_numpy(np.ascontiguousarray(t[f"layer{j}.{k}"])) for j in (1, 2, 3) for k in ("weight", "bias")]
    x_all = torch.from_numpy(xte[:a.count].astype(np.float32) / 255.0)
    y_all = torch.from_numpy(yte[:a.count].astype(np.int64))
    seconds, margins = [], None
    with torch.no_grad():
        for _ in range(a.repeat):
            start = time.perf_counter()
            parts = [crown_margins(w, x_all[i:i + a.batch], y_all[i:i + a.batch], a.eps)
                     for i in range(0, a.count, a.batch)]
            seconds.append(time.perf_counter() - start)
            margins = torch.cat(parts)
    s = median_min_max(seconds)
    print(json.dumps({"name": f"pytorch-{a.threads}t", "version": torch.__version__, "threads": a.threads,
                      "blas_core": blas_core(), "images": a.count, "eps": a.eps, "seconds": s,
                      "images_per_s": a.count / s["median"], "certified": int((margins > 0).sum()),
                      "margins": [float(v) for v in margins.tolist()]}))


if __name__ == "__main__":
    main()
