#!/usr/bin/env bash
# --dataset fashion reads Debian's Fashion-MNIST files, --dataset mnist the default MNIST ones: the MNIST
# model is near chance on clothes, and a model trained with --dataset fashion learns them; the trial attacks
# sneakers towards "Bag" there.
set -eu
booksmart=$1
pretrained=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" inspect --model "$pretrained" --dataset mnist --json >"$dir/mnist.json"
"$booksmart" inspect --model "$pretrained" --dataset fashion --json >"$dir/fashion.json"
"$booksmart" train --dataset fashion --epochs 1 --json --out "$dir/fashion.safetensors" >"$dir/train.json"
"$booksmart" trial --dataset fashion --quick --only transfer --json >"$dir/trial.json"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
on_mnist = json.load(open(d + "/mnist.json"))["test_accuracy"]
on_fashion = json.load(open(d + "/fashion.json"))["test_accuracy"]
trained = json.load(open(d + "/train.json"))["test_accuracy"]
transfer = json.load(open(d + "/trial.json"))["experiments"]["transfer"]["result"]
assert (transfer["source"], transfer["target"]) == (7, 8), (transfer["source"], transfer["target"])
assert transfer["directions"]["full"]["onA"] > 0.5, transfer["directions"]["full"]
print(f"MNIST model: {on_mnist:.4f} on MNIST, {on_fashion:.4f} on Fashion-MNIST; one Fashion epoch: {trained:.4f}")
assert on_mnist > 0.97, on_mnist
assert on_fashion < 0.3, on_fashion
assert 0.8 < trained < 0.9, trained
PY
echo ok
