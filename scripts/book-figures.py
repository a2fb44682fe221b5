#!/usr/bin/env python3
"""The article's two-books figures (assets/books.json): for MNIST and Fashion-MNIST, with each book's pretrained
model, how many principal directions hold 95 % of the training images' variance, how much of each layer's
effective weights lies off that span, and how often the overlay's default attack (7 -> 0, Sneaker -> Bag) flips
an image at alpha = 1 with the full pattern, its in-span and off-span parts, FGSM and random noise.
   book-figures.py BOOKSMART_CLI ASSETS_DIR OUT.json"""
import json
import subprocess
import sys

BOOKS = {
    "mnist": {"model": "pretrained.safetensors", "source": 7, "target": 0},
    "fashion": {"model": "pretrained-fashion.safetensors", "source": 7, "target": 8},
}


def run(cli, *args):
    return json.loads(subprocess.run([cli, *args, "--json"], check=True, capture_output=True, text=True).stdout)


def book(cli, assets, name, b):
    model = f"{assets}/{b['model']}"
    sub = run(cli, "subspace", "--dataset", name, "--model", model, "--variance", "0.95")
    att = run(cli, "attack", "--dataset", name, "--model", model, "--digit", str(b["source"]),
              "--target", str(b["target"]), "--all", "--alpha", "1", "--directions", "all", "--variance", "0.95")
    return {
        "k95": sub["k_95"],
        "never_lit_pixels": sub["never_lit_pixels"],
        "off_share": {layer: v["off_share"] for layer, v in sub["layers"].items()},
        "attack": {
            "source": att["source"], "target": att["target"], "images": att["images"],
            "flip_rate_at_1": {d: v["flip_rate_at_1"] for d, v in att["directions"].items()},
            "median_flip_alpha": {d: v["median_flip_alpha"] for d, v in att["directions"].items()},
        },
    }


def main():
    cli, assets, out = sys.argv[1:4]
    figures = {name: book(cli, assets, name, b) for name, b in BOOKS.items()}
    with open(out, "w") as f:
        json.dump(figures, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
