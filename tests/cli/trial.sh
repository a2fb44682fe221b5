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
"$booksmart" trial --quick --data "$data" --json --only span,transfer,thin,optimizers,tilt >"$dir/b.json"
"$booksmart" trial --quick --data "$data" --json --only features >"$dir/c.json"
for m in seed-a seed-b thin-d10-s0.25 thin-d10-s1 thin-d30-s0.25 thin-d30-s1 thin-d154-s0.25 thin-d154-s1 \
  thin-d784-s0.25 thin-d784-s1 adam features-det features-rand features-det_off_span features-rand_off_span features-control_det \
  features-control_rand decay-0.01; do "$booksmart" inspect --model "$dir/out/models/$m.safetensors" >/dev/null; done
python3 - "$dir/out" <<'PY'
# Experiment e's exports: each set as images [N, 784] float32 in [0, 1] (whole bytes; checked on the first 200),
# labels and source_labels [N] int64, the labels never the true ones and det's the class after the true one.
import json, struct, sys
from array import array
for name in ("det", "rand", "det_off_span", "rand_off_span", "control_det", "control_rand"):
    raw = open(f"{sys.argv[1]}/features-{name}-data.safetensors", "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    head = json.loads(raw[8:8 + n])
    def tensor(key, code):
        v = head[key]
        a = array(code)
        a.frombytes(raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]])
        return v["shape"], a
    (count, width), x = tensor("images", "f")
    (ny,), y = tensor("labels", "q")
    (ns,), src = tensor("source_labels", "q")
    assert width == 784 and count == ny == ns > 1500, (name, count, ny, ns)
    assert all(0 <= v <= 1 and abs(v * 255 - round(v * 255)) < 1e-3 for v in x[:200 * 784]), name
    assert all(a != b for a, b in zip(y, src)), name
    assert "rand" in name or all(a == (b + 1) % 10 for a, b in zip(y, src)), name
print("features sets ok")
PY
python3 - "$dir" <<'PY'
import json, math, sys
d = sys.argv[1]
a, b, c = (json.load(open(d + "/" + n + ".json")) for n in "abc")
for r in (a, b, c):
    del r["seconds"]
x, y, z = (r["experiments"] for r in (a, b, c))
assert "features" not in y and set(z) == {"features"} and set(c) == set(a), (y.keys(), z.keys(), c.keys())
qb, qc = b["measures"], c["measures"]
merged = {"seed": qb["seed"], "quantities": {**qb["quantities"], **qc["quantities"]},
          "checks": {**qb["checks"], **qc["checks"]}}
assert a == {**b, "experiments": {**y, **z}, "measures": merged}, "a rerun with the same seed measured something else"
names = sorted(x, key=lambda n: x[n]["order"])
assert names == ["span", "transfer", "thin", "optimizers", "features", "tilt"], names
for order, name in enumerate(names):
    e = x[name]
    assert e["order"] == order and e["name"] == name and e["title"] and e["question"], e
    v = e["verdicts"]
    assert set(v) == {"offSpan", "linearity", "features", "tilting"}, (name, v)
    for k in v.values():
        assert k["agreement"] in ("silent", "agrees", "mixed", "disagrees", "undecided", "notRunAsDesigned"), (name, v)
        assert (k["agreement"] == "silent") == (k["measured"] == ""), (name, v)
m = x["span"]["result"]
assert m["images"] == 100 and 0 < m["k"] < 784 and 0.94 < m["explainedVariance"] < 0.96, m
for key in ("meanShares", "randomShares"):
    s = m[key]
    assert abs(s["topK"] + s["rest"] + s["neverLit"] - 1) < 1e-6, (key, s)
assert abs(m["randomShares"]["topK"] - m["k"] / 784) < 1e-9, m
assert 0 < m["randomTangentShare"] <= 10 / 784 + 1e-12, m
assert 0 <= m["meanTangentShare"] <= 1, m
assert m["found"]["complement"] <= 100 and m["found"]["tangent"] <= 100, m
assert m["neighbours"] == 50 and m["tangentDims"] == 10, m
t = x["transfer"]["result"]
assert t["seedB"] != t["seedA"] and t["source"] == 7 and t["target"] == 0, t
assert t["epochsTrained"] == t["epochs"] == 2, t
assert set(t["directions"]) == {"full", "inSpan", "offSpan", "pgd", "fgsm"}, t["directions"]
for name, d in t["directions"].items():
    assert 0 <= d["onA"] <= 1 and 0 <= d["onB"] <= 1, (name, d)
assert t["directions"]["pgd"]["onA"] >= 0.95, t["directions"]["pgd"]  # 1.5x the minimal flip, on its own model
steps = [c["step"] for c in t["cosine"]]
assert steps[0] == 0 and steps == sorted(steps) and len(steps) > 10, steps
assert all(-1 <= c["inSpan"] <= 1 and -1 <= c["offSpan"] <= 1 for c in t["cosine"])
runs = x["thin"]["result"]["runs"]
grid = [(r["d"], r["initScale"]) for r in runs]
assert grid == [(d, s) for d in (10, 30, 154, 784) for s in (0.25, 1.0)], grid
for r in runs:
    assert r["offChange"] < 1e-4, r  # trained on projected images: W1 moved only inside the span
    assert 0.5 < r["accuracyProjected"] <= 1 and 0.5 < r["accuracyRaw"] <= 1, r
    assert (r["offShare"] < 1e-5) == (r["d"] == 784), r  # nothing lies off a span of all 784 directions
    assert r["foundOffSpan"] == 0 if r["d"] == 784 else True, r
    assert r["medianRadiusInSpan"] is not None, r
o = x["optimizers"]["result"]
for name in ("sgd", "adam"):
    assert 0.8 < o[name]["accuracy"] <= 1 and o[name]["offDrift"] > 0 and o[name]["medianRadius"] > 0, o
for way, maker, other in (("sgdToAdam", "Sgd", "Adam"), ("adamToSgd", "Adam", "Sgd")):
    assert set(o[way]) == {"full", "inSpan", "offSpan", "pgd", "fgsm"}, o[way]
    for d in o[way].values():
        assert set(d) == {"on" + maker, "on" + other} and all(0 <= v <= 1 for v in d.values()), d
f = x["features"]["result"]
sets = f["sets"]
assert set(sets) == {"det", "rand", "detOffSpan", "randOffSpan", "controlDet", "controlRand"}, f
assert f["chance"] == 0.1 and f["seed"] == 3 and f["push"]["epsMax"] == 8 and f["images"] == 2000, f
for name, v in sets.items():
    assert 0 <= v["cleanTestAccuracy"] <= 1 and v["testImages"] == 10000, (name, v)
    assert v["kept"] <= v["attempted"] and abs(v["targetRateOnA"] - v["kept"] / v["attempted"]) < 1e-12, v
for p in ("det", "rand"):
    assert sets[p]["attempted"] == 2000 and sets[p]["targetRateOnA"] > 0.9, sets[p]
    assert sets["control" + p.capitalize()]["attempted"] == sets[p]["kept"], sets
    assert 0 < sets[p]["medianPushL2"] <= 8.1 and sets["control" + p.capitalize()]["medianPushL2"] == 0, sets
w = x["tilt"]["result"]
assert w["decays"] == [0, 0.01] and set(w["decay"]) == {"0", "0.01"}, w
for lam, r in w["decay"].items():
    assert 0.8 < r["cleanAccuracy"] <= 1 and r["offSpanNormW1"] > 0 and r["images"] == 30, (lam, r)
    assert r["noFlip"] < 30 and r["medianMinimalL2"] > 0 and 0 <= r["deviationAngleDeg"] <= 180, (lam, r)
assert w["decay"]["0.01"]["offSpanNormW1"] < 0.9 * w["decay"]["0"]["offSpanNormW1"], w  # decay took
q = a["measures"]
checks = {"a.tangent_holds_energy", "c.leftovers_untouched", "c.learned", "d.optimizers_differ", "f.decay_took",
          "f.still_learns"}
pushed = ("det", "rand", "det_off_span", "rand_off_span")
checks |= {"e.pushes_succeed." + s for s in pushed}
measured = {"a.top_k_share", "a.gradient_cosine", "a.tilt_angle", "f.radius_ratio", "f.tilt_change",
            "f.share_change", "f.top_k_share.1e-2"}
measured |= {f"c.{q}.{d}" for q in ("off_over_in", "scale_effect") for d in (10, 30, 154)}
measured |= {"d.radius_ratio", "d.transfer.pgd_equal_norm", "b.off_over_in_on_a", "b.flip_point_ratio"}
equal = ("in_span", "off_span", "pgd", "fgsm")
measured |= {"b.transfer." + d for d in equal}
measured |= {"e.clean_accuracy." + s for s in pushed + ("control_det", "control_rand")}
measured |= {"e.median_push_l2." + s for s in pushed}
measured |= {f"a.{q}.{d}" for q in ("tangent_share", "tangent_complement_ratio") for d in (10, 40)}
checks |= {"b.source_works." + d for d in equal}
assert q["seed"] == 1 and set(q["checks"]) == checks, set(q["checks"]) ^ checks
assert set(q["quantities"]) == measured, set(q["quantities"]) ^ measured
ratio = q["quantities"]["f.radius_ratio"]
assert ratio["statistic"] == "ratioOfMedians" and len(ratio["columns"]) == 2, ratio["statistic"]
assert len(ratio["columns"][0]) == len(ratio["columns"][1]) > 20, ratio
print("trial JSON ok:", m["meanShares"], m["meanTangentShare"], t["directions"])
PY
/usr/bin/python3 "$(dirname "$0")/../python/check_minimal_l2.py" "$dir/out/minimal-l2.safetensors" "$dir/out/models/seed-a.safetensors" 100
for bad in "--data /nonexistent" "--seed -1" "--out /proc/nope" "--only span,bogus" "--push-eps 0" "--push-steps x"; do
  # shellcheck disable=SC2086
  if "$booksmart" trial --quick $bad >"$dir/err.txt" 2>&1; then echo "FAIL: trial $bad succeeded"; exit 1; fi
  [ "$(wc -l <"$dir/err.txt")" -le 2 ] || { echo "FAIL: trial $bad printed more than an error"; cat "$dir/err.txt"; exit 1; }
done
echo "trial ok"
