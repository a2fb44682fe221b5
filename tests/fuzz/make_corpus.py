#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (tests/fuzz/): small valid and near-valid inputs for each target, generated
here so that no third-party data is committed.   make_corpus.py OUT_DIR PRETRAINED.safetensors"""
import gzip
import json
import os
import struct
import sys


def put(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def idx_images(n):
    return struct.pack(">IIII", 0x803, n, 28, 28) + bytes((i * 37) & 255 for i in range(n * 784))


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n))


def main():
    out, pretrained = sys.argv[1], sys.argv[2]
    # IDX: the first byte picks images (odd) or labels (even) in the harness; the rest are chunk sizes + data.
    d = os.path.join(out, "idx_parser")
    put(d, "images", b"\x01\x00" + idx_images(2))
    put(d, "labels", b"\x00\x00" + idx_labels(5))
    put(d, "bad_magic", b"\x01\x00" + b"\x00\x00\x09\x03" + idx_images(1)[4:])
    put(d, "truncated", b"\x01\x00" + idx_images(2)[:900])
    d = os.path.join(out, "gunzip")
    put(d, "member", b"\xff" * 4 + gzip.compress(idx_labels(50), mtime=0))
    put(d, "two_members", b"\xff" * 4 + gzip.compress(b"a" * 100, mtime=0) + gzip.compress(b"b" * 10, mtime=0))
    put(d, "not_gzip", b"\xff" * 4 + b"hello world")
    d = os.path.join(out, "safetensors")
    with open(pretrained, "rb") as f:
        model = f.read()
    put(d, "pretrained", model)
    put(d, "header_only", model[:8 + struct.unpack("<Q", model[:8])[0]])
    put(d, "tiny", struct.pack("<Q", 2) + b"{}")
    d = os.path.join(out, "url_state")
    for i, q in enumerate(["?view=overlay&neuron=2:5&image=12&alpha=0.25&seed=4&train=pretrained",
                           "view=%3Cscript%3E&neuron=-1&alpha=NaN", "digit=3&target=8&pattern=1:0&model=live",
                           "alpha=1e309&seed=99999999999999999999&image=-0",
                           "seed=3&lr=0.05&batch=64&optimizer=adam&step=300&view=draw",
                           "view=compare&step=-4&lr=abc&batch=1e3"]):
        put(d, f"q{i}", q.encode())
    d = os.path.join(out, "set_command")
    for i, c in enumerate([{"alpha": 0.5, "selectedNeuron": "1:3", "view": "neurons"},
                           {"reset": True, "seed": 7, "batch": 16, "optimizer": "adam", "learningRate": 0.001},
                           {"playing": True, "model": "live"}, {"digitIndex": 3, "target": 2, "train": "auto"},
                           [1, 2, 3], "alpha"]):
        put(d, f"c{i}", json.dumps(c).encode())
    # Pictures: two bytes each of width and height (little-endian), then RGBA bytes.
    d = os.path.join(out, "picture")
    w, h = 12, 10
    dark_on_light = bytes(v for i in range(w * h) for v in ((0, 0, 0, 255) if 3 < i % w < 8 else (255, 255, 255, 255)))
    put(d, "stroke", struct.pack("<HH", w, h) + dark_on_light)
    put(d, "blank", struct.pack("<HH", 4, 4) + bytes([255] * 64))
    put(d, "transparent", struct.pack("<HH", 2, 2) + bytes([0] * 16))


if __name__ == "__main__":
    main()
