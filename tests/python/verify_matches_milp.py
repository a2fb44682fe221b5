#!/usr/bin/env python3
"""`booksmart verify` against an independent exact method: the same questions as mixed-integer programs.

Usage: verify_matches_milp.py BOOKSMART DATA_DIR MODEL [EPS ...] [--count N] [--time-limit S] [--json-out FILE]

For each eps (L-infinity; default 0.02 0.03: beyond them HiGHS decides few of these MILPs in a minute) runs `booksmart verify --json` on the first N test images (default
12), then decides each image again as Tjeng et al. (2019) do: one MILP per rival class j, minimising
z_y - z_j over the box {x' : |x' - x| <= eps} ∩ [0, 1]^784, each unstable ReLU encoded exactly with a binary
and big-M constants, asked first by its LP relaxation, then as two feasibility problems (a point with margin
below -1e-6? above the tie?). The big-M constants are the neurons' bounds: layer 1's exact over the box, layer 2's from
the LP relaxation (each solved with HiGHS, as the MILPs are, through scipy), so nothing of Booksmart's is
reused. An image is robust when every j's minimum is positive. Every image that both decide must get the same
status; an image the MILP leaves unsolved within its time limit, or whose minimum lies within 1e-6 of 0, is
reported and skipped. With --json-out, the per-image times of both sides are written for the benchmark.
"""
import argparse
import json
import subprocess
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, hstack, identity, vstack

from formats import find, read_idx

TIE = 1e-6


def load_model(path):
    """The six tensors of a Booksmart model file, as float64 (safetensors read by its definition)."""
    import struct
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return [(out[f"layer{k}.weight"], out[f"layer{k}.bias"]) for k in (1, 2, 3)]


def forward(layers, x):
    h = x
    for k, (w, b) in enumerate(layers):
        h = w @ h + b
        if k < 2:
            h = np.maximum(h, 0)
    return h


def layer2_bounds(layers, lo, hi, l1, u1):
    """Bounds of z2 over the box, from the LP with each layer-1 ReLU relaxed to its triangle."""
    (w1, b1), (w2, b2), _ = layers
    n, m = w1.shape[1], w1.shape[0]
    # Variables: x (n), h1 (m). Constraints per unstable neuron: h >= z, h <= u (z - l) / (u - l); h >= 0.
    rows, rhs = [], []
    h_lo, h_hi = np.zeros(m), np.maximum(u1, 0)
    eq_rows, eq_rhs = [], []
    for i in range(m):
        if u1[i] <= 0:
            continue
        e = np.zeros(m)
        e[i] = 1
        if l1[i] >= 0:
            eq_rows.append(np.concatenate([-w1[i], e]))
            eq_rhs.append(b1[i])
            continue
        rows.append(np.concatenate([w1[i], -e]))  # z - h <= 0
        rhs.append(-b1[i])
        s = u1[i] / (u1[i] - l1[i])
        rows.append(np.concatenate([-s * w1[i], e]))  # h - s z <= -s l
        rhs.append(s * b1[i] - s * l1[i])
    A_ub = np.array(rows) if rows else None
    A_eq = np.array(eq_rows) if eq_rows else None
    bounds = list(zip(lo, hi)) + list(zip(h_lo, h_hi))
    l2, u2 = np.empty(w2.shape[0]), np.empty(w2.shape[0])
    for k in range(w2.shape[0]):
        c = np.concatenate([np.zeros(n), w2[k]])
        for sign, store in ((1, l2), (-1, u2)):
            r = linprog(sign * c, A_ub=A_ub, b_ub=rhs if rows else None, A_eq=A_eq, b_eq=eq_rhs if eq_rows else None,
                        bounds=bounds, method="highs")
            assert r.status == 0, r.message
            store[k] = sign * r.fun + b2[k] - sign * 1e-7 * (1 + abs(r.fun))  # a hair outwards
    return l2, u2


def milp_status(layers, x, label, eps, time_limit):
    """'robust', 'attackable' or None (undecided), and the seconds it took."""
    start = time.time()
    (w1, b1), (w2, b2), (w3, b3) = layers
    n, m1, m2 = w1.shape[1], w1.shape[0], w2.shape[0]
    lo, hi = np.maximum(x - eps, 0), np.minimum(x + eps, 1)
    l1 = np.where(w1 > 0, w1 * lo, w1 * hi).sum(1) + b1
    u1 = np.where(w1 > 0, w1 * hi, w1 * lo).sum(1) + b1
    l2, u2 = layer2_bounds(layers, lo, hi, l1, u1)
    un1 = [i for i in range(m1) if l1[i] < 0 < u1[i]]
    un2 = [k for k in range(m2) if l2[k] < 0 < u2[k]]
    # Variables: x (n), h1 (m1), h2 (m2), d1 (len un1), d2 (len un2).
    nv = n + m1 + m2 + len(un1) + len(un2)
    off_h1, off_h2, off_d1, off_d2 = n, n + m1, n + m1 + m2, n + m1 + m2 + len(un1)
    A, lb, ub = [], [], []

    def row(entries):
        r = np.zeros(nv)
        for idx, val in entries:
            r[idx] += val
        return r

    def layer(w, b, l, u, unstable, in_off, in_width, out_off, d_off):
        for i in range(w.shape[0]):
            z = [(in_off + t, w[i, t]) for t in range(in_width) if w[i, t] != 0]
            h = out_off + i
            if u[i] <= 0:
                continue  # h fixed at 0 by its bounds
            if l[i] >= 0:
                A.append(row([(h, 1)] + [(j, -v) for j, v in z]))  # h - W x = b
                lb.append(b[i])
                ub.append(b[i])
                continue
            d = d_off + unstable.index(i)
            A.append(row([(h, 1)] + [(j, -v) for j, v in z]))  # h - z >= b
            lb.append(b[i])
            ub.append(np.inf)
            A.append(row([(h, 1), (d, -u[i])]))  # h <= u d
            lb.append(-np.inf)
            ub.append(0)
            A.append(row([(h, 1), (d, -l[i])] + [(j, -v) for j, v in z]))  # h <= z - l (1 - d)
            lb.append(-np.inf)
            ub.append(b[i] - l[i])

    layer(w1, b1, l1, u1, un1, 0, n, off_h1, off_d1)
    layer(w2, b2, l2, u2, un2, off_h1, m1, off_h2, off_d2)
    constraints = LinearConstraint(csr_matrix(np.array(A)), lb, ub)
    var_lo = np.concatenate([lo, np.zeros(m1 + m2 + len(un1) + len(un2))])
    var_hi = np.concatenate([hi, np.maximum(u1, 0), np.maximum(u2, 0), np.ones(len(un1) + len(un2))])
    integrality = np.concatenate([np.zeros(n + m1 + m2), np.ones(len(un1) + len(un2))])
    bounds = Bounds(var_lo, var_hi)
    for j in range(10):
        if j == label:
            continue
        c = np.zeros(nv)
        c[off_h2:off_h2 + m2] = w3[label] - w3[j]
        const = b3[label] - b3[j]
        # The MILP's own LP relaxation first: when its minimum is positive, so is the MILP's.
        relaxed = milp(c, constraints=constraints, integrality=np.zeros(nv), bounds=bounds)
        if relaxed.status == 0 and relaxed.fun + const > TIE:
            continue
        # Then two feasibility questions, which HiGHS answers without proving an optimum: is there a point
        # with margin <= -TIE (a counterexample)? If not, one with margin <= TIE (a near-tie)?
        for level in (-TIE, TIE):
            left = time_limit - (time.time() - start)
            if left <= 0:
                return None, time.time() - start
            cut = LinearConstraint(csr_matrix(c.reshape(1, -1)), -np.inf, level - const)
            r = milp(np.zeros(nv), constraints=[constraints, cut], integrality=integrality, bounds=bounds,
                     options={"time_limit": left})
            if r.status == 2:  # infeasible: no such point
                continue
            if r.status != 0:
                return None, time.time() - start  # time limit
            if level < 0:
                # The MILP's point must be a real counterexample of the network, computed plainly.
                xs = r.x[:n]
                z = forward(layers, xs)
                assert np.all(xs >= lo - 1e-9) and np.all(xs <= hi + 1e-9)
                assert z[j] - z[label] > 0, (j, z[j] - z[label])
                return "attackable", time.time() - start
            return None, time.time() - start  # a near-tie: neither side is sure
    return "robust", time.time() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("booksmart")
    ap.add_argument("data")
    ap.add_argument("model")
    ap.add_argument("eps", nargs="*", type=float, default=[0.02, 0.03])
    ap.add_argument("--count", type=int, default=12)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--json-out")
    a = ap.parse_args()
    layers = load_model(a.model)
    # As the core reads a pixel: byte * (1 / 255) in float.
    images = read_idx(find(a.data, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) * np.float32(1 / 255)
    labels = read_idx(find(a.data, "t10k-labels-idx1-ubyte"))
    decided = agreed = 0
    rows = []
    for eps in a.eps:
        out = subprocess.run([a.booksmart, "verify", "--model", a.model, "--data", a.data, "--eps", str(eps),
                              "--count", str(a.count), "--budget-s", str(a.time_limit), "--json"],
                             check=True, capture_output=True, text=True).stdout
        report = json.loads(out)
        assert report["summary"]["count"] == a.count, report["summary"]
        for im in report["images"]:
            i = im["index"]
            assert im["label"] == int(labels[i])
            ours = im["status"]
            theirs, seconds = milp_status(layers, images[i].astype(np.float64), int(labels[i]), eps, a.time_limit)
            rows.append({"eps": eps, "index": i, "verify": ours, "verify_seconds": im["seconds"], "milp": theirs,
                         "milp_seconds": seconds})
            print(f"eps {eps} image {i}: verify {ours} ({im['seconds']:.2f} s), MILP {theirs} ({seconds:.2f} s)")
            if theirs is None or ours == "unknown":
                continue
            decided += 1
            assert ours == theirs, (eps, i, ours, theirs)
            agreed += 1
    print(f"{agreed} of {decided} instances decided by both agree")
    assert decided >= len(a.eps) * a.count // 2, "too few instances decided by both"
    if a.json_out:
        json.dump(rows, open(a.json_out, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
