#!/usr/bin/env bash
# End to end through the CLI: train briefly, write the figures (valid PNGs of the expected names), run the
# attack on a 7 and over all 7s, and inspect the model; every JSON output carries the documented fields.
set -eu
booksmart=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" train --epochs 1 --seed 3 --out "$dir/m.safetensors" >/dev/null
"$booksmart" figures --model "$dir/m.safetensors" --out "$dir/fig" --json >"$dir/figures.json"
for f in layer1_effective layer2_effective output_effective layer1_dataset layer2_dataset output_dataset overlay_7_to_0; do
  head -c 8 "$dir/fig/$f.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" || { echo "FAIL: $f.png is not a PNG"; exit 1; }
done
"$booksmart" attack --model "$dir/m.safetensors" --digit 7 --target 0 --json >"$dir/attack.json"
"$booksmart" attack --model "$dir/m.safetensors" --digit 7 --target 0 --all --alpha 1 --json >"$dir/rate.json"
"$booksmart" inspect --model "$dir/m.safetensors" --json >"$dir/inspect.json"
python3 - "$dir" <<'PY'
import json, sys, os
d = sys.argv[1]
a = json.load(open(os.path.join(d, "attack.json")))
for k in ("flip_alpha", "target_confidence", "l2", "linf"):
    assert k in a, k
assert a["label"] == 7 and a["source_prediction"] == 7
assert a["flipped"] and 0 < a["flip_alpha"] <= 3 and a["target_confidence"] > 0
r = json.load(open(os.path.join(d, "rate.json")))
assert r["count"] > 900 and 0 <= r["flip_rate"] <= 1 and r["flipped"] == round(r["flip_rate"] * r["count"])
i = json.load(open(os.path.join(d, "inspect.json")))
assert i["test_accuracy"] > 0.9 and len(i["class_accuracy"]) == 10
print(f"flip alpha {a['flip_alpha']:.4f} (confidence {a['target_confidence']:.3f}); "
      f"flip rate at alpha 1: {r['flip_rate']:.3f} of {r['count']}; "
      f"strong/mild per image: {i['sparsity']['mean_strong']:.1f}/{i['sparsity']['mean_mild']:.1f}")
PY
