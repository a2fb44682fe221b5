#!/usr/bin/env bash
# The recipe's promise: `booksmart train --epochs 5 --seed 1` reaches >= 95.5 % test accuracy after epoch 1 and
# >= 97.0 % by epoch 5, and a second run writes a byte-identical model file.
set -eu
booksmart=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" train --epochs 5 --seed 1 --out "$dir/a.safetensors" --json >"$dir/a.json"
"$booksmart" train --epochs 5 --seed 1 --out "$dir/b.safetensors" --json >"$dir/b.json"
cmp "$dir/a.safetensors" "$dir/b.safetensors"
echo "two runs wrote byte-identical models ($(stat -c %s "$dir/a.safetensors") bytes)"
python3 - "$dir/a.json" <<'PY'
import json, sys
epochs = json.load(open(sys.argv[1]))["epochs"]
acc = [e["test_accuracy"] for e in epochs]
print("test accuracy by epoch:", ", ".join(f"{100 * a:.2f}%" for a in acc))
print("seconds per epoch:", ", ".join(f"{e['seconds']:.2f}" for e in epochs))
assert acc[0] >= 0.955, f"epoch 1 accuracy {acc[0]:.4f} < 0.955"
assert max(acc) >= 0.970 and acc[-1] >= 0.970, f"epoch 5 accuracy {acc[-1]:.4f} < 0.970"
PY
