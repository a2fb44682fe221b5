#!/usr/bin/env bash
# PGD adversarial training end to end: one epoch of `train --pgd` is reproducible byte for byte, records its
# options in the model's metadata, and buys robustness that `robust-accuracy` sees (PGD + Square) against a
# plainly trained model of the same seed; robust-accuracy's figures are ordered (certified <= robust <=
# clean) and documented.
set -eu
booksmart=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" train --epochs 1 --seed 3 --pgd 0.1 --pgd-steps 5 --out "$dir/pgd.safetensors" >/dev/null
"$booksmart" train --epochs 1 --seed 3 --pgd 0.1 --pgd-steps 5 --out "$dir/again.safetensors" >/dev/null
cmp -s "$dir/pgd.safetensors" "$dir/again.safetensors" || { echo "FAIL: PGD training is not reproducible"; exit 1; }
"$booksmart" train --epochs 1 --seed 3 --out "$dir/plain.safetensors" >/dev/null
fast=(--count 300 --steps 20 --restarts 2 --square-queries 500 --eps 0.1 0.2 --json)
"$booksmart" robust-accuracy --model "$dir/pgd.safetensors" "${fast[@]}" >"$dir/pgd.json"
"$booksmart" robust-accuracy --model "$dir/plain.safetensors" "${fast[@]}" >"$dir/plain.json"
"$booksmart" inspect --model "$dir/pgd.safetensors" --json >"$dir/inspect.json"
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
meta = json.load(open(d + "/inspect.json"))["metadata"]
assert meta["pgd_epsilon"].startswith("0.1") and meta["pgd_steps"] == "5" and meta["pgd_norm"] == "linf", meta
assert meta["pgd_mix_clean"] == "0" and meta["pgd_ramp_epochs"].startswith("1"), meta
runs = {name: json.load(open(f"{d}/{name}.json")) for name in ("pgd", "plain")}
for name, r in runs.items():
    assert r["norm"] == "linf" and [x["eps"] for x in r["radii"]] == [0.1, 0.2] or \
        all(abs(a - b) < 1e-6 for a, b in zip([x["eps"] for x in r["radii"]], [0.1, 0.2])), r
    for x in r["radii"]:
        assert set(x) == {"eps", "images", "clean", "robust", "certified", "pgd_flips", "square_flips"}, x
        assert x["images"] == 300 and 0 <= x["certified"] <= x["robust"] <= x["clean"] <= 1, (name, x)
    assert r["radii"][1]["robust"] <= r["radii"][0]["robust"], r
pgd, plain = runs["pgd"]["radii"][0], runs["plain"]["radii"][0]
print(f"robust accuracy at L-inf 0.1 after one epoch: plain {plain['robust']:.3f}, PGD-5 {pgd['robust']:.3f}")
assert pgd["clean"] > 0.9, pgd
assert pgd["robust"] > plain["robust"] + 0.3, (pgd, plain)
PY
echo ok
