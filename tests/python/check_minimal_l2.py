#!/usr/bin/env python3
"""`booksmart trial --out` writes minimal-l2.safetensors in the robustness command's format; PyTorch reads it.

Usage: check_minimal_l2.py MINIMAL_L2 MODEL COUNT

Checks the tensors' names, dtypes and shapes, that every image lies in [0, 1], and that the model (rebuilt in
torch.nn from its file) misclassifies each one (a point that the radius search left within 1e-3 of the decision
boundary may resolve the other way under PyTorch's summation order: those must be near-ties).
"""
import sys

import torch

from formats import load_safetensors, torch_network


def main():
    path, model_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tensors, meta = load_safetensors(path)
    model, _ = load_safetensors(model_path)
    net = torch_network(model)
    assert set(tensors) == {"images", "index", "label"}, sorted(tensors)
    assert meta["norm"] == "l2", meta
    images = tensors["images"]
    assert images.dtype == torch.float32 and tuple(images.shape) == (count, 28, 28), images.shape
    assert tensors["index"].dtype == torch.int32 and tensors["label"].dtype == torch.int32
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    with torch.no_grad():
        logits = net(images.reshape(count, 784))
    labels = tensors["label"].long()
    wrong = logits.argmax(dim=1) != labels
    other = logits.clone()
    other[torch.arange(count), labels] = -float("inf")
    margin = logits[torch.arange(count), labels] - other.amax(dim=1)
    ties = (~wrong) & (margin.abs() < 1e-3)
    assert bool((wrong | ties).all()), [i for i in range(count) if not (wrong[i] or ties[i])]
    print(f"minimal-l2: {int(wrong.sum())} of {count} misclassified, {int(ties.sum())} near-ties")


if __name__ == "__main__":
    main()
