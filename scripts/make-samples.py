#!/usr/bin/env python3
"""Writes the page's sample images: the first N images and labels of a test set (MNIST or Fashion-MNIST, raw or
gzipped IDX) as a small IDX pair (gzipped, reproducible bytes). The page analyses them with the pretrained
model before the full data arrives.
   make-samples.py T10K_IMAGES T10K_LABELS OUT_IMAGES_GZ OUT_LABELS_GZ [N]"""
import gzip
import struct
import sys


def write_gz(path, data):
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with open(path + ".tmp", "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    import os
    os.replace(path + ".tmp", path)


def open_idx(path):
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def main():
    images, labels, out_images, out_labels = sys.argv[1:5]
    n = int(sys.argv[5]) if len(sys.argv) > 5 else 500
    with open_idx(images) as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x803 or rows != 28 or cols != 28 or count < n:
            sys.exit(f"make-samples: {images} is not an MNIST image file with at least {n} images")
        pixels = f.read(n * 784)
    with open_idx(labels) as f:
        magic, count = struct.unpack(">II", f.read(8))
        if magic != 0x801 or count < n:
            sys.exit(f"make-samples: {labels} is not an MNIST label file with at least {n} labels")
        labs = f.read(n)
    write_gz(out_images, struct.pack(">IIII", 0x803, n, 28, 28) + pixels)
    write_gz(out_labels, struct.pack(">II", 0x801, n) + labs)


if __name__ == "__main__":
    main()
