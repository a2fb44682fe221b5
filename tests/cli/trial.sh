#!/usr/bin/env bash
# booksmart trial --quick end to end: the JSON's documented experiments and fields, shares that add up, the
# random-direction baselines, the files --out writes (model A, loadable as a model; the minimal perturbations
# in the robustness command's format, each image misclassified by model A), reruns with --only that print the
# same experiment figures (the first four experiments, then e alone with its own model A), and one-line errors
# for bad input.
set -eu
booksmart=$1
data=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$booksmart" trial --quick --data "$data" --json --out "$dir/out" >"$dir/a.json"
"$booksmart" trial --quick --data "$data" --json --only span,transfer,thin,optimizers >"$dir/b.json"
"$booksmart" trial --quick --data "$data" --json --only features >"$dir/c.json"
for m in seed-a seed-b thin-d10-s0.25 thin-d10-s1 thin-d30-s0.25 thin-d30-s1 thin-d154-s0.25 thin-d154-s1 \
  thin-d784-s0.25 thin-d784-s1 adam features-pgd features-off_span features-control; do "$booksmart" inspect --model "$dir/out/models/$m.safetensors" >/dev/null; done
python3 - "$dir" <<'PY'
import json, math, sys
d = sys.argv[1]
a, b, c = (json.load(open(d + "/" + n + ".json")) for n in "abc")
for r in (a, b, c):
    del r["seconds"]
assert "features" not in b and set(c) == {"seed", "quick", "features", "verdicts"}, (b.keys(), c.keys())
merged = {**b, "features": c["features"], "verdicts": {**b["verdicts"], **c["verdicts"]}}
assert a == merged, "a rerun with the same seed measured something else"
assert set(a["verdicts"]) == {"span", "transfer", "thin", "optimizers", "features"}, a["verdicts"].keys()
for name, v in a["verdicts"].items():
    assert set(v) == {"offSpan", "linearity", "features", "tilting"}, (name, v)
    for e in v.values():
        assert e["agreement"] in ("silent", "agrees", "mixed", "disagrees"), (name, v)
        assert (e["agreement"] == "silent") == (e["measured"] == ""), (name, v)
assert set(a) >= {"minimal_span", "manifold", "transfer", "thin_book", "optimizers", "features"}, a.keys()
m = a["minimal_span"]
assert m["images"] == 100 and 0 < m["k"] < 784 and 0.94 < m["explained_variance"] < 0.96, m
for key in ("mean_shares", "random_direction_shares"):
    s = m[key]
    assert abs(s["top_k"] + s["rest"] + s["never_lit"] - 1) < 1e-6, (key, s)
assert abs(m["random_direction_shares"]["top_k"] - m["k"] / 784) < 1e-9, m
g = a["manifold"]
assert 0 < g["random_tangent_share"] <= 10 / 784 + 1e-12, g
assert 0 <= g["mean_tangent_share"] <= 1, g
assert g["found"]["complement"] <= 100 and g["found"]["tangent"] <= 100, g
assert g["median_radius"]["free"] == m["median_radius"], g
t = a["transfer"]
assert t["seed_b"] != t["seed_a"] and t["source"] == 7 and t["target"] == 0, t
assert set(t["directions"]) == {"full", "in_span", "off_span", "pgd", "fgsm"}, t["directions"]
for name, d in t["directions"].items():
    assert 0 <= d["on_a"] <= 1 and 0 <= d["on_b"] <= 1, (name, d)
assert t["directions"]["pgd"]["on_a"] >= 0.95, t["directions"]["pgd"]  # 1.5x the minimal flip, on its own model
steps = [c["step"] for c in t["cosine"]]
assert steps[0] == 0 and steps == sorted(steps) and len(steps) > 10, steps
assert all(-1 <= c["in_span"] <= 1 and -1 <= c["off_span"] <= 1 for c in t["cosine"])
grid = [(r["d"], r["init_scale"]) for r in a["thin_book"]]
assert grid == [(d, s) for d in (10, 30, 154, 784) for s in (0.25, 1.0)], grid
for r in a["thin_book"]:
    assert r["off_change"] < 1e-4, r  # trained on projected images: W1 moved only inside the span
    assert 0.5 < r["accuracy_projected"] <= 1 and 0.5 < r["accuracy_raw"] <= 1, r
    assert (r["off_share"] < 1e-5) == (r["d"] == 784), r  # nothing lies off a span of all 784 directions
    assert r["found_off_span"] == 0 if r["d"] == 784 else True, r
    assert r["median_radius_in_span"] is not None, r
o = a["optimizers"]
for name in ("sgd", "adam"):
    assert 0.8 < o[name]["accuracy"] <= 1 and o[name]["off_drift"] > 0 and o[name]["median_minimal_radius"] > 0, o
for way, maker, other in (("sgd_to_adam", "sgd", "adam"), ("adam_to_sgd", "adam", "sgd")):
    assert set(o["transfer"][way]) == {"full", "in_span", "off_span", "pgd", "fgsm"}, o["transfer"][way]
    for d in o["transfer"][way].values():
        assert set(d) == {"on_" + maker, "on_" + other} and all(0 <= v <= 1 for v in d.values()), d
f = a["features"]
assert {"pgd", "off_span", "control"} <= set(f) and f["chance"] == 0.1, f
for v in (f["pgd"], f["off_span"], f["control"]):
    assert 0 <= v["clean_test_accuracy"] <= 1 and 0 <= v["target_rate_on_a"] <= 1, v
assert f["pgd"]["target_rate_on_a"] > f["control"]["target_rate_on_a"], f
print("trial JSON ok:", m["mean_shares"], g["mean_tangent_share"], t["directions"])
PY
/usr/bin/python3 "$(dirname "$0")/../python/check_minimal_l2.py" "$dir/out/minimal-l2.safetensors" "$dir/out/models/seed-a.safetensors" 100
for bad in "--data /nonexistent" "--seed -1" "--out /proc/nope" "--only span,bogus" "--push-eps 0" "--push-steps x"; do
  # shellcheck disable=SC2086
  if "$booksmart" trial --quick $bad >"$dir/err.txt" 2>&1; then echo "FAIL: trial $bad succeeded"; exit 1; fi
  [ "$(wc -l <"$dir/err.txt")" -le 2 ] || { echo "FAIL: trial $bad printed more than an error"; cat "$dir/err.txt"; exit 1; }
done
echo "trial ok"
