#!/usr/bin/env bash
# booksmart robustness end to end: the JSON's documented fields for both norms, the bracket (IBP <= CROWN <=
# best attack) on every image of the pretrained model and of a street-smart model trained here, the curve, a
# rerun that prints the same bytes, the prose output, and one-line errors for bad input (including a model file
# with a NaN, which must be refused before any work).
set -eu
booksmart=$1
pretrained=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" train --epochs 2 --seed 4 --fgsm 0.1 --weight-decay 0.001 --out "$dir/street.safetensors" >/dev/null
fast=(--count 30 --steps 20 --restarts 1 --square-queries 300)
for model in "$pretrained" "$dir/street.safetensors"; do
  for norm in linf l2; do
    "$booksmart" robustness --model "$model" --norm "$norm" "${fast[@]}" --json >"$dir/$norm-$(basename "$model").json"
  done
done
"$booksmart" robustness --model "$pretrained" --norm linf "${fast[@]}" --json >"$dir/again.json"
cmp -s "$dir/again.json" "$dir/linf-$(basename "$pretrained").json" || { echo "FAIL: a rerun printed different JSON"; exit 1; }
"$booksmart" robustness --model "$pretrained" --count 5 --steps 10 --restarts 1 --square-queries 100 >"$dir/prose.txt"
grep -q "median certified radius" "$dir/prose.txt" || { echo "FAIL: prose output"; cat "$dir/prose.txt"; exit 1; }
python3 - "$dir" <<'PY'
import glob, json, math, sys
for path in sorted(glob.glob(sys.argv[1] + "/l*.json")):
    r = json.load(open(path))
    norm = r["norm"]
    images, summary = r["images"], r["summary"]
    assert len(images) == 30 == summary["count"], path
    indices = [i["index"] for i in images]
    assert indices == sorted(indices) and len(set(indices)) == 30, indices
    attacks = {"pgd", "deepfool", "best"} | ({"square"} if norm == "linf" else set())
    for i in images:
        assert set(i) == {"index", "label", "certified_radius", "attack_radius", "adversarial_prediction"}, i
        assert set(i["attack_radius"]) == attacks, i
        c, a = i["certified_radius"], i["attack_radius"]
        assert 0 <= c["ibp"] <= c["crown"] < a["best"], (path, i)
        assert a["best"] == min(v for v in a.values() if v is not None), i
        assert i["adversarial_prediction"] != i["label"], i
    curve = summary["curve"]
    assert curve[0]["eps"] == 0 and curve[0]["certified_accuracy"] == 1 and curve[0]["attacked_accuracy"] == 1
    for p, q in zip(curve, curve[1:]):
        assert q["certified_accuracy"] <= p["certified_accuracy"] and q["attacked_accuracy"] <= p["attacked_accuracy"]
    assert all(p["certified_accuracy"] <= p["attacked_accuracy"] for p in curve)
    ov = summary["overlay"]
    assert ov["digit"] == 7 and ov["target"] == 0 and ov["images"] == sum(i["label"] == 7 for i in images), ov
    print(f"{path.split('/')[-1]}: median certified {summary['median_certified']:.4f} "
          f"(IBP {summary['medians']['ibp']:.4f}), median attack {summary['median_attack']:.4f}")
PY
# --exact: the complete verifier's bracket sits inside the bounds' and the attacks' one, and is only called
# closed when it is narrower than the tolerance.
"$booksmart" robustness --model "$pretrained" --norm linf --count 8 --steps 20 --restarts 1 --square-queries 300 \
  --exact --budget-s 3 --json >"$dir/exact.json"
python3 - "$dir/exact.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ex = r["summary"]["exact"]
assert set(ex) == {"closed", "tolerance", "budget_s", "median_exact", "median_complete", "seconds"}, ex
assert ex["tolerance"] == 1e-3 and ex["budget_s"] == 3, ex
closed = 0
for i in r["images"]:
    c, a, e = i["certified_radius"], i["attack_radius"], i["exact_radius"]
    assert c["crown"] <= c["complete"] == e["lower"], i
    # upper is measured in double, best in float: equal up to float rounding when the attack's point is the end.
    assert e["upper"] is not None and e["lower"] < e["upper"] <= a["best"] * (1 + 1e-6), i
    assert e["closed"] == (e["upper"] - e["lower"] <= 1e-3), i
    assert e["value"] == (e["upper"] if e["closed"] else None), i
    closed += e["closed"]
assert ex["closed"] == closed, (ex, closed)
print(f"exact: closed {closed} of {len(r['images'])}, median complete {ex['median_complete']:.4f}")
PY
# A model with a NaN weight: refused with one line, before any work.
python3 - "$pretrained" "$dir/nan.safetensors" <<'PY'
import json, struct, sys
raw = bytearray(open(sys.argv[1], "rb").read())
(n,) = struct.unpack("<Q", raw[:8])
begin = json.loads(raw[8:8 + n])["layer1.weight"]["data_offsets"][0]
raw[8 + n + begin:8 + n + begin + 4] = struct.pack("<f", float("nan"))
open(sys.argv[2], "wb").write(raw)
PY
expect_error=$(dirname "$0")/expect_error.sh
"$expect_error" "^booksmart: error: .*nan.safetensors: .*(NaN|finite)" "$booksmart" robustness --model "$dir/nan.safetensors"
"$expect_error" "^booksmart: error: norm must be linf or l2, not 'foo'" "$booksmart" robustness --model "$pretrained" --norm foo
"$expect_error" "^booksmart: error: --exact-tolerance must be a positive number, not 0" "$booksmart" robustness --model "$pretrained" --exact --exact-tolerance 0
"$expect_error" "^booksmart: error: --budget-s must be a positive number of seconds, not -1" "$booksmart" robustness --model "$pretrained" --exact --budget-s -1
"$expect_error" "^booksmart: error: --count: Value 0 not in range" "$booksmart" robustness --model "$pretrained" --count 0
"$expect_error" "^booksmart: error: --max-eps must be a positive number" "$booksmart" robustness --model "$pretrained" --max-eps -0.1
"$expect_error" "^booksmart: error: --max-eps must be a positive number" "$booksmart" robustness --model "$pretrained" --max-eps nan
echo "ok"
