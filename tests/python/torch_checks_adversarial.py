#!/usr/bin/env python3
"""`booksmart robustness --out` writes adversarial images that PyTorch reads and confirms.

Usage: torch_checks_adversarial.py BOOKSMART DATA_DIR MODEL

For each norm: runs the command on the first 40 correctly classified test images, reads
adversarial-<norm>.safetensors by the format's definition, and checks against the JSON report and MNIST: the
tensors' names, dtypes and shapes; index and label in the JSON's order; every image inside [0, 1] and within its
reported best attack radius of the original; and the model, rebuilt in torch.nn, misclassifies each one as
reported (a point that the minimal-radius search left within 1e-3 of the decision boundary may resolve the
other way under PyTorch's summation order: those must be near-ties). Also every image's certified radii lie
below its attack radius.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

from formats import find, load_safetensors, read_idx, torch_network


def main():
    booksmart, data_dir, model_path = sys.argv[1:4]
    model, _ = load_safetensors(model_path)
    net = torch_network(model)
    test_images = read_idx(find(data_dir, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0
    for norm in ("linf", "l2"):
        with tempfile.TemporaryDirectory() as tmp:
            report = json.loads(subprocess.run(
                [booksmart, "robustness", "--model", model_path, "--data", data_dir, "--norm", norm, "--count", "40",
                 "--steps", "20", "--restarts", "1", "--square-queries", "300", "--json", "--out", tmp],
                check=True, capture_output=True).stdout)
            tensors, meta = load_safetensors(os.path.join(tmp, f"adversarial-{norm}.safetensors"))
        rows = report["images"]
        n = len(rows)
        assert n == 40 and report["summary"]["count"] == 40, report["summary"]
        assert set(tensors) == {"images", "index", "label"}, sorted(tensors)
        assert tensors["images"].dtype == torch.float32 and tuple(tensors["images"].shape) == (n, 28, 28)
        assert tensors["index"].dtype == torch.int32 and tensors["label"].dtype == torch.int32
        assert tensors["index"].tolist() == [r["index"] for r in rows]
        assert tensors["label"].tolist() == [r["label"] for r in rows]
        assert meta["norm"] == norm, meta
        adv = tensors["images"].reshape(n, 784)
        assert float(adv.min()) >= 0.0 and float(adv.max()) <= 1.0
        clean = torch.from_numpy(test_images[[r["index"] for r in rows]])
        delta = adv - clean
        dist = delta.abs().amax(dim=1) if norm == "linf" else delta.norm(dim=1)
        with torch.no_grad():
            logits = net(adv)
        agree, near_ties = 0, 0
        for i, r in enumerate(rows):
            best = r["attack_radius"]["best"]
            assert best is not None, r
            assert dist[i] <= best + 1e-5, (i, float(dist[i]), best)
            cert = r["certified_radius"]
            assert cert["ibp"] <= cert["crown"] < best, r
            pred = int(logits[i].argmax())
            if pred == r["adversarial_prediction"]:
                agree += 1
                assert pred != r["label"]
                continue
            top2 = torch.topk(logits[i], 2).values
            assert float(top2[0] - top2[1]) < 1e-3, (i, r, logits[i].tolist())
            near_ties += 1
        print(f"{norm}: {n} adversarial images inside [0, 1] and their radii; PyTorch agrees on {agree}, "
              f"near-ties {near_ties}; median certified {report['summary']['median_certified']:.4f}, "
              f"median attack {report['summary']['median_attack']:.4f}")
        assert agree >= n - 2


if __name__ == "__main__":
    main()
