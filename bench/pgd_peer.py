#!/usr/bin/env python3
"""The attack benchmark's PyTorch peer (bench/README.md, "Attacks"): untargeted L-infinity PGD with the
cross-entropy loss, written the way PyTorch users write it (autograd for the input gradient, the whole batch
through every step, as torchattacks' PGD does), with Booksmart's step schedule so both do the same work: the
first step has length eps from the clean image (FGSM), then steps-1 steps of 2.5 eps / steps, each followed by
projection onto the eps-ball and [0, 1]. Prints one JSON line with the timing and each image's final success.

Usage: pgd_peer.py MNIST_DIR MODEL [--eps E] [--steps S] [--count N] [--threads T] [--repeat R] [--batch B]
"""
import argparse
import json
import time

import numpy as np
import torch

from peers_python import load_mnist, load_safetensors, median_min_max, blas_core


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mnist")
    ap.add_argument("model")
    ap.add_argument("--eps", type=float, default=0.05)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=1000)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    _, _, xte, yte = load_mnist(a.mnist)
    w = load_safetensors(a.model)
    net = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 10))
    with torch.no_grad():
        for i, j in ((0, 1), (2, 2), (4, 3)):
            net[i].weight.copy_(torch.from_numpy(w[f"layer{j}.weight"]))
            net[i].bias.copy_(torch.from_numpy(w[f"layer{j}.bias"]))
    net.requires_grad_(False)
    x_all = torch.from_numpy(xte[:a.count].astype(np.float32) / 255.0)
    y_all = torch.from_numpy(yte[:a.count].astype(np.int64))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")  # per-image objectives: the sum's gradient is each one's

    def attack(x, y):
        adv = x.clone()
        for t in range(a.steps):
            adv.requires_grad_(True)
            loss = loss_fn(net(adv), y)
            grad, = torch.autograd.grad(loss, adv)
            step = a.eps if t == 0 else 2.5 * a.eps / a.steps
            with torch.no_grad():
                adv = adv + step * grad.sign()
                adv = torch.min(torch.max(adv, x - a.eps), x + a.eps).clamp(0.0, 1.0)
        with torch.no_grad():
            return net(adv).argmax(dim=1) != y

    seconds, success = [], None
    for _ in range(a.repeat):
        start = time.perf_counter()
        parts = [attack(x_all[i:i + a.batch], y_all[i:i + a.batch]) for i in range(0, a.count, a.batch)]
        seconds.append(time.perf_counter() - start)
        success = torch.cat(parts)
    s = median_min_max(seconds)
    print(json.dumps({"name": f"pytorch-{a.threads}t", "version": torch.__version__, "threads": a.threads,
                      "blas_core": blas_core(), "images": a.count, "eps": a.eps, "steps": a.steps,
                      "seconds": s, "images_per_s": a.count / s["median"],
                      "success": [int(v) for v in success.tolist()]}))


if __name__ == "__main__":
    main()
