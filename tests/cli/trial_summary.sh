#!/usr/bin/env bash
# The second trial's summary is what its seed files give: booksmart trial-summary on docs/trial/seed-*.json
# writes docs/trial/summary.json and the tables in docs/trial.md as committed (numbers to json_close.py's
# tolerance, the tables to the character); seed 1's file is assets/trial.json but for the run's duration and the
# measures, which the page does not ship (so the
# seed files come from the command that Cli.TrialAssetIsWhatTheDocumentedCommandMakes reruns). Then bad input:
# a --quick run, a repeated seed, a file that is not JSON or has no measures, a document without the markers
# (left unchanged), each a one-line error.
#   trial_summary.sh BOOKSMART_CLI SOURCE_DIR
set -euo pipefail
cli="$1" src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$src/docs/trial.md" "$dir/trial.md"
"$cli" trial-summary "$src"/docs/trial/seed-{1,2,3,4,5}.json --out "$dir/summary.json" --markdown "$dir/trial.md" >/dev/null
cmp -s "$dir/trial.md" "$src/docs/trial.md" || {
  echo "FAIL: docs/trial.md's tables are not what the seed files give:"
  diff "$src/docs/trial.md" "$dir/trial.md" | head -20
  exit 1
}
python3 - "$0" "$dir/summary.json" "$src/docs/trial/summary.json" "$src/docs/trial/seed-1.json" "$src/assets/trial.json" <<'PY'
import json, os, sys
script, fresh, committed, seed1, asset = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
from json_close import check
check(json.load(open(fresh)), json.load(open(committed)), "docs/trial/summary.json",
      "booksmart trial-summary docs/trial/seed-{1,2,3,4,5}.json --out docs/trial/summary.json")
a, b = json.load(open(seed1)), json.load(open(asset))
a.pop("seconds"), b.pop("seconds"), a.pop("measures")
check(a, b, "docs/trial/seed-1.json", "booksmart trial --seed 1 --kernels portable --json (assets/trial.json: without measures)")
s = json.load(open(committed))
assert s["seeds"] == [1, 2, 3, 4, 5], s["seeds"]
print("summary in step:", {e: c for e, c in s["cells"].items() if e == "f"})
PY
one="$src/docs/trial/seed-1.json"
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); j['quick']=True; json.dump(j, open(sys.argv[2],'w'))" "$one" "$dir/quick.json"
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); del j['measures']; json.dump(j, open(sys.argv[2],'w'))" "$one" "$dir/bare.json"
echo '{"seed": 1, "measures":' >"$dir/broken.json"
printf 'no markers here\n' >"$dir/plain.md"
cp "$dir/plain.md" "$dir/plain-before.md"
for bad in "$dir/quick.json" "$one $one" "$dir/broken.json" "$dir/bare.json" "$one --markdown $dir/plain.md" "/nonexistent.json"; do
  # shellcheck disable=SC2086
  if "$cli" trial-summary $bad >"$dir/err.txt" 2>&1; then echo "FAIL: trial-summary $bad succeeded"; exit 1; fi
  [ "$(wc -l <"$dir/err.txt")" -le 2 ] || { echo "FAIL: trial-summary $bad printed more than an error"; cat "$dir/err.txt"; exit 1; }
done
cmp -s "$dir/plain.md" "$dir/plain-before.md" || { echo "FAIL: a refused --markdown changed the document"; exit 1; }
echo "trial-summary ok"
