#!/usr/bin/python3
"""The bench workload (bench/README.md) in PyTorch and in hand-written numpy, CPU, on Debian's packages.
Prints one JSON object per contender on stdout.
   peers_python.py MNIST_DIR INIT.safetensors --threads N [--repeat R] [--steps K] [--which torch,numpy]
BLAS: whatever LD_LIBRARY_PATH selects (bench/run.mjs points it at OpenBLAS); the kernel OpenBLAS picked is
reported as blas_core."""
import argparse
import ctypes
import gzip
import json
import os
import struct
import sys
import time

import numpy as np

BATCH, LR = 64, 0.1
NAMES = ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias", "layer3.weight", "layer3.bias"]


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_mnist(d):
    def pick(name):
        for cand in (name + ".gz", name):
            if os.path.exists(os.path.join(d, cand)):
                return os.path.join(d, cand)
        sys.exit(f"peers_python: {name} not found in {d}")
    return (read_idx(pick("train-images-idx3-ubyte")).reshape(-1, 784), read_idx(pick("train-labels-idx1-ubyte")),
            read_idx(pick("t10k-images-idx3-ubyte")).reshape(-1, 784), read_idx(pick("t10k-labels-idx1-ubyte")))


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n, = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name in NAMES:
        e = header[name]
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data, dtype="<f4", count=(b - a) // 4, offset=8 + n + a).reshape(e["shape"]).copy()
    return out


def blas_core():
    for lib in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(lib)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except OSError:
            continue
    return "reference BLAS (OpenBLAS not loaded)"


def median_min_max(v):
    s = sorted(v)
    return {"median": s[len(s) // 2], "min": s[0], "max": s[-1]}


# ---- PyTorch ------------------------------------------------------------------------------------------------
def torch_contender(mnist, init, threads, repeat, steps):
    import torch
    torch.set_num_threads(threads)
    xtr, ytr, xte, yte = mnist
    xtr_t = torch.from_numpy(xtr.astype(np.float32) / 255.0)
    ytr_t = torch.from_numpy(ytr.astype(np.int64))
    xte_t = torch.from_numpy(xte.astype(np.float32) / 255.0)

    def model():
        m = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                                torch.nn.Linear(64, 10))
        with torch.no_grad():
            for layer, k in zip((m[0], m[2], m[4]), (1, 2, 3)):
                layer.weight.copy_(torch.from_numpy(init[f"layer{k}.weight"]))
                layer.bias.copy_(torch.from_numpy(init[f"layer{k}.bias"]))
        return m

    loss_fn = torch.nn.CrossEntropyLoss()
    m = model()
    opt = torch.optim.SGD(m.parameters(), lr=LR)
    losses = []
    for s in range(steps):
        xb, yb = xtr_t[s * BATCH:(s + 1) * BATCH], ytr_t[s * BATCH:(s + 1) * BATCH]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(m(xb), yb)
        losses.append(float(loss))
        loss.backward()
        opt.step()

    train, infer = [], []
    for _ in range(repeat):
        m = model()
        opt = torch.optim.SGD(m.parameters(), lr=LR)
        perm = torch.randperm(xtr_t.shape[0], generator=torch.Generator().manual_seed(1))
        t0 = time.perf_counter()
        for i in range(0, xtr_t.shape[0], BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            loss_fn(m(xtr_t[idx]), ytr_t[idx]).backward()
            opt.step()
        train.append(xtr_t.shape[0] / (time.perf_counter() - t0))
        with torch.no_grad():
            t0 = time.perf_counter()
            correct = 0
            for i in range(0, xte_t.shape[0], 1000):
                correct += int((m(xte_t[i:i + 1000]).argmax(1).numpy() == yte[i:i + 1000]).sum())
            infer.append(xte_t.shape[0] / (time.perf_counter() - t0))
    return {"name": f"pytorch-{threads}t", "version": torch.__version__, "threads": threads, "validation_losses": losses,
            "train_samples_per_s": median_min_max(train)["median"], "train": median_min_max(train),
            "infer_samples_per_s": median_min_max(infer)["median"], "infer": median_min_max(infer),
            "test_accuracy_after_epoch": correct / xte_t.shape[0]}


# ---- numpy, hand-written forward/backward -------------------------------------------------------------------
def numpy_contender(mnist, init, repeat, steps):
    xtr, ytr, xte, yte = mnist
    xtr_f = xtr.astype(np.float32) / np.float32(255.0)
    xte_f = xte.astype(np.float32) / np.float32(255.0)
    eye = np.eye(10, dtype=np.float32)

    def params():
        return [init[n].copy() for n in NAMES]

    def step(p, x, y):
        w1, b1, w2, b2, w3, b3 = p
        z1 = x @ w1.T + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ w2.T + b2
        a2 = np.maximum(z2, 0)
        z3 = a2 @ w3.T + b3
        z3 = z3 - z3.max(1, keepdims=True)
        e = np.exp(z3)
        s = e.sum(1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - z3[np.arange(len(y)), y]))
        d3 = (e / s - eye[y]) / np.float32(len(y))
        d2 = (d3 @ w3) * (z2 > 0)
        d1 = (d2 @ w2) * (z1 > 0)
        grads = [d1.T @ x, d1.sum(0), d2.T @ a1, d2.sum(0), d3.T @ a2, d3.sum(0)]
        for t, g in zip(p, grads):
            t -= np.float32(LR) * g
        return loss

    p = params()
    losses = [step(p, xtr_f[s * BATCH:(s + 1) * BATCH], ytr[s * BATCH:(s + 1) * BATCH]) for s in range(steps)]
    train, infer = [], []
    rng = np.random.default_rng(1)
    for _ in range(repeat):
        p = params()
        perm = rng.permutation(len(xtr_f))
        t0 = time.perf_counter()
        for i in range(0, len(xtr_f), BATCH):
            idx = perm[i:i + BATCH]
            step(p, xtr_f[idx], ytr[idx])
        train.append(len(xtr_f) / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        w1, b1, w2, b2, w3, b3 = p
        correct = 0
        for i in range(0, len(xte_f), 1000):
            x = xte_f[i:i + 1000]
            z = np.maximum(np.maximum(x @ w1.T + b1, 0) @ w2.T + b2, 0) @ w3.T + b3
            correct += int((z.argmax(1) == yte[i:i + 1000]).sum())
        infer.append(len(xte_f) / (time.perf_counter() - t0))
    return {"name": "numpy-1t", "version": np.__version__, "threads": 1, "validation_losses": losses,
            "train_samples_per_s": median_min_max(train)["median"], "train": median_min_max(train),
            "infer_samples_per_s": median_min_max(infer)["median"], "infer": median_min_max(infer),
            "test_accuracy_after_epoch": correct / len(xte_f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mnist")
    ap.add_argument("init")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--which", default="torch,numpy")
    a = ap.parse_args()
    mnist, init = load_mnist(a.mnist), load_safetensors(a.init)
    core = blas_core()
    for which in a.which.split(","):
        if which == "torch":
            r = torch_contender(mnist, init, a.threads, a.repeat, a.steps)
        elif which == "numpy":
            r = numpy_contender(mnist, init, a.repeat, a.steps)
        else:
            sys.exit(f"peers_python: unknown contender {which}")
        r["blas_core"] = core
        r["openblas_coretype_env"] = os.environ.get("OPENBLAS_CORETYPE", "(unset)")
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
