#!/usr/bin/env bash
# The article's build-time figures (assets/trial.json) are what the documented command makes (docs/trial.md,
# "The article's figures"): every field but the run's duration, to the last bits a CPU may change (below). Its
# model A is the pretrained model itself, tensor for tensor. If the trial's code, the recipe or the kernels change, this fails until the asset is
# regenerated with that command.
#   trial_asset.sh BOOKSMART_CLI MNIST_DIR ASSET PRETRAINED
set -euo pipefail
cli="$1" data="$2" asset="$3" pretrained="$4"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" trial --seed 1 --kernels portable --data "$data" --json --out "$dir/out" >"$dir/trial.json"
python3 - "$dir/trial.json" "$asset" "$dir/out/models/seed-a.safetensors" "$pretrained" <<'EOF'
import json, struct, sys

fresh, committed, model_a, pretrained = sys.argv[1:]
a, b = json.load(open(fresh)), json.load(open(committed))
a.pop("seconds"), b.pop("seconds")

# Numbers agree to 1e-6 (plus 1e-6 relative). The trial's models are the same bit for bit on every x86-64 CPU
# (--kernels portable; model A is checked tensor for tensor below), but the subspace figures computed from them
# differ in their last bits between CPUs (measured: off-span shares by up to 2e-7, drifts by 7e-8, between two
# AMD EPYC machines with the same build). Any change to the code moves them by far more.
def same(x, y):
    if isinstance(x, dict) and isinstance(y, dict):
        return set(x) == set(y) and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y))
    if isinstance(x, float) and isinstance(y, (int, float)) and not isinstance(y, bool):
        return abs(x - y) <= 1e-6 + 1e-6 * abs(y)
    return x == y

if not same(a, b):
    def diff(x, y, path):
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                if k not in x or k not in y:
                    return f"{path}.{k} is only in one of them"
                d = diff(x[k], y[k], f"{path}.{k}")
                if d:
                    return d
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (p, q) in enumerate(zip(x, y)):
                d = diff(p, q, f"{path}[{i}]")
                if d:
                    return d
        elif not same(x, y):
            return f"{path}: {y} committed, {x} now"
        return None
    sys.exit("assets/trial.json differs from: booksmart trial --seed 1 --kernels portable --json "
             f"(first difference: {diff(a, b, '')})")

def tensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    return {k: raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]] for k, v in header.items()}

ta, tp = tensors(model_a), tensors(pretrained)
if set(ta) != set(tp) or any(ta[k] != tp[k] for k in tp):
    sys.exit("the trial's model A is not the pretrained model: their tensors differ")
print(f"assets/trial.json is in step ({len(json.dumps(b))} characters); model A is the pretrained model")
EOF
