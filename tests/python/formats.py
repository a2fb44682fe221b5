"""The file formats the Python checks read, written from their definitions (no Booksmart code): safetensors as
its specification states it (8-byte little-endian header length, JSON header, raw little-endian tensors that
exactly tile the data section, as the safetensors library enforces) and MNIST's IDX files."""
import gzip
import json
import os
import struct

import numpy as np
import torch

DTYPES = {"F32": torch.float32, "I32": torch.int32}


def load_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors, ranges = {}, []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] in DTYPES, info
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            count *= d
        assert end - begin == 4 * count, (name, info)
        ranges.append((begin, end))
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    ranges.sort()
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data), "tensors must tile the data section"
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:])), "gap or overlap between tensors"
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


def torch_network(tensors):
    """The 784-64-64-10 ReLU network as torch.nn, from a Booksmart model's tensors."""
    net = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, 10))
    state = {f"{i}.{k}": tensors[f"layer{j}.{k}"] for i, j in ((0, 1), (2, 2), (4, 3)) for k in ("weight", "bias")}
    net.load_state_dict(state)
    return net
