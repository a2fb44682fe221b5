#!/usr/bin/env python3
"""A Booksmart model file loads in PyTorch by the safetensors format's rules and gives the same predictions.

Usage: torch_loads_model.py BOOKSMART DATA_DIR

Trains a model with the CLI, parses the file here with nothing but the format's definition (8-byte little-endian
header length, JSON header, raw little-endian tensors), builds the same network with torch.nn, and checks its
test accuracy against `booksmart inspect --json`.
"""
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch


def load_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(info["shape"])
        tensors[name] = t
    return tensors, header.get("__metadata__", {})


def read_idx(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(data_dir, base):
    for name in (base, base + ".gz"):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise SystemExit(f"{base} not found in {data_dir}")


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

    net = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 10))
    state = {f"{i}.{k}": tensors[f"layer{j}.{k}"] for i, j in ((0, 1), (2, 2), (4, 3)) for k in ("weight", "bias")}
    net.load_state_dict(state)

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
