#!/bin/sh
# Fashion-MNIST's recipe (docs/training.md, "Fashion-MNIST's recipe") reaches 88.5 % of the Fashion test set in
# 10 epochs with the defaults `--dataset fashion` chooses (portable kernels: the same figure on every machine).
set -eu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$1" train --dataset fashion --epochs 10 --kernels portable --json --out "$out/m.safetensors" >"$out/train.json"
python3 - "$out/train.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
acc = j["test_accuracy"]
print(f"booksmart train --dataset fashion --epochs 10: {acc:.4f} after {j['seconds']:.1f} s")
assert acc >= 0.885, f"{acc} is below the 88.5 % goal"
PY
