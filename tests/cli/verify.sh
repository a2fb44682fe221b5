#!/usr/bin/env bash
# booksmart verify end to end: the JSON's fields and counts, the counterexamples file (read by its format's
# definition: each image within eps of its test image and misclassified by the network in double), and a
# one-line error for each hostile option (negative, huge or non-numeric radius, zero budget, unknown norm, a
# model file whose tensors have the wrong shapes).
# Usage: verify.sh BOOKSMART MNIST_DIR MODEL
set -euo pipefail
bs=$1 data=$2 model=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bs" verify --model "$model" --data "$data" --eps 0.06 --count 12 --budget-s 2 --json --out "$tmp" >"$tmp/v.json"
/usr/bin/python3 - "$tmp" "$data" "$model" <<'PY'
import json, os, struct, sys
import numpy as np
sys.path.insert(0, os.path.join(os.environ.get("HERE", ""), "..", "python"))
tmp, data, model = sys.argv[1:4]
v = json.load(open(os.path.join(tmp, "v.json")))
assert v["norm"] == "linf" and v["eps"] == 0.06 and v["budget_s"] == 2, v
rows = v["images"]
assert [r["index"] for r in rows] == list(range(12)), rows
for r in rows:
    assert set(r) >= {"index", "label", "status", "seconds", "nodes"}, r
    assert r["status"] in ("robust", "attackable", "unknown"), r
s = v["summary"]
assert s["count"] == 12 and s["robust"] + s["attackable"] + s["unknown"] == 12, s
assert s["attackable"] > 0, "at eps 0.06 some of the first 12 images must be attackable: " + str(s)
assert abs(s["verified_accuracy"] - s["robust"] / 12) < 1e-12, s
raw = open(os.path.join(tmp, "counterexamples.safetensors"), "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
body = raw[8 + n:]
im, ix = header["images"], header["index"]
k = s["attackable"]
assert im["dtype"] == "F32" and im["shape"] == [k, 784], im
assert ix["dtype"] == "I64" and ix["shape"] == [k], ix
images = np.frombuffer(body[im["data_offsets"][0]:im["data_offsets"][1]], dtype="<f4").reshape(k, 784)
index = np.frombuffer(body[ix["data_offsets"][0]:ix["data_offsets"][1]], dtype="<i8")
assert list(index) == [r["index"] for r in rows if r["status"] == "attackable"], index
# The network in double, from the model file read by the format's definition.
raw = open(model, "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
mh = json.loads(raw[8:8 + n])
mb = raw[8 + n:]
t = {name: np.frombuffer(mb[i["data_offsets"][0]:i["data_offsets"][1]], dtype="<f4").reshape(i["shape"]).astype(np.float64)
     for name, i in mh.items() if name != "__metadata__" and i["dtype"] == "F32"}
import gzip
path = os.path.join(data, "t10k-images-idx3-ubyte.gz")
# As the core reads a pixel: byte * (1 / 255) in float.
test = np.frombuffer(gzip.open(path).read(), dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) * np.float32(1 / 255)
for row, x in zip([r for r in rows if r["status"] == "attackable"], images):
    x0 = test[row["index"]].astype(np.float64)
    d = np.abs(x.astype(np.float64) - x0).max()
    assert d <= float(np.float32(0.06)) and abs(d - row["distance"]) < 1e-12, (row, d)
    assert x.min() >= 0 and x.max() <= 1
    h = np.maximum(t["layer1.weight"] @ x + t["layer1.bias"], 0)
    h = np.maximum(t["layer2.weight"] @ h + t["layer2.bias"], 0)
    z = t["layer3.weight"] @ h + t["layer3.bias"]
    assert z[row["target"]] > z[row["label"]], (row, z)
print("verify:", s)
PY

err() { "$here/expect_error.sh" "$@"; }
err "^booksmart: error: --eps -0.1.* is not a radius in \[0, 1" "$bs" verify --model "$model" --eps -0.1
err "^booksmart: error: --eps 2.* is not a radius in \[0, 1" "$bs" verify --model "$model" --eps 2
err "^booksmart: error: --eps 40.* is not a radius in \[0, 28" "$bs" verify --model "$model" --norm l2 --eps 40
err "^booksmart: error: .*--eps = lots" "$bs" verify --model "$model" --eps lots
err "^booksmart: error: --budget-s must be a positive number of seconds, not 0" "$bs" verify --model "$model" --eps 0.1 --budget-s 0
err "^booksmart: error: norm must be linf or l2, not 'l3'" "$bs" verify --model "$model" --norm l3 --eps 0.1
# A model file whose layer 1 has 10 inputs: the loader names the tensor and both shapes.
/usr/bin/python3 - "$tmp/wrong.safetensors" <<'PY'
import json, struct, sys
shapes = {"layer1.weight": [64, 10], "layer1.bias": [64], "layer2.weight": [64, 64], "layer2.bias": [64],
          "layer3.weight": [10, 64], "layer3.bias": [10]}
header, offset = {}, 0
for name, shape in shapes.items():
    n = 4
    for d in shape:
        n *= d
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + n]}
    offset += n
h = json.dumps(header).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + bytes(offset))
PY
err "^booksmart: error: .*wrong.safetensors: .*layer1.weight" "$bs" verify --model "$tmp/wrong.safetensors" --eps 0.1
echo "verify: all checks passed"
