#!/usr/bin/env python3
"""A Booksmart model file loads in PyTorch by the safetensors format's rules and gives the same predictions.

Usage: torch_loads_model.py BOOKSMART DATA_DIR

Trains a model with the CLI, parses the file here with nothing but the format's definition (8-byte little-endian
header length, JSON header, raw little-endian tensors), builds the same network with torch.nn, and checks its
test accuracy against `booksmart inspect --json`.
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
    booksmart, data_dir = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, "m.safetensors")
        subprocess.run([booksmart, "train", "--epochs", "1", "--seed", "7", "--out", model_path, "--json"],
                       check=True, capture_output=True)
        report = json.loads(subprocess.run([booksmart, "inspect", "--model", model_path, "--json"],
                                           check=True, capture_output=True).stdout)
        tensors, meta = load_safetensors(model_path)

    expected = {f"{p}layer{i}.{k}" for p in ("", "init.") for i in (1, 2, 3) for k in ("weight", "bias")}
    assert set(tensors) == expected, sorted(tensors)
    assert tuple(tensors["layer1.weight"].shape) == (64, 784)
    assert meta["format"] == "pt" and meta["init_seed"] == "7", meta

    net = torch_network(tensors)

    images = read_idx(find(data_dir, "t10k-images-idx3-ubyte"))
    labels = read_idx(find(data_dir, "t10k-labels-idx1-ubyte"))
    x = torch.from_numpy(images.reshape(-1, 784).astype(np.float32) / 255.0)
    with torch.no_grad():
        pred = net(x).argmax(dim=1).numpy()
    correct = int((pred == labels).sum())
    booksmart_correct = round(report["test_accuracy"] * len(labels))
    print(f"PyTorch: {correct}/{len(labels)} correct; Booksmart: {booksmart_correct}/{len(labels)}")
    # Float summation order differs between the two; at most a couple of near-ties may resolve differently.
    assert abs(correct - booksmart_correct) <= 2, (correct, booksmart_correct)
    assert not torch.equal(tensors["layer1.weight"], tensors["init.layer1.weight"])


if __name__ == "__main__":
    main()
