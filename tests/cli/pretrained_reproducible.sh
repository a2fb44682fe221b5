#!/bin/sh
# The pretrained model in assets/ is what the documented command makes, byte for byte (docs/training.md: "Pretrained
# model"). If the recipe or the kernels change, this fails until the asset is regenerated with that command.
#   pretrained_reproducible.sh BOOKSMART_CLI ASSET
set -eu
cli="$1" asset="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" train --epochs 5 --seed 1 --kernels portable --out "$tmp/pretrained.safetensors" >/dev/null
cmp "$tmp/pretrained.safetensors" "$asset" || {
  echo "the committed $asset differs from: booksmart train --epochs 5 --seed 1 --kernels portable --out assets/pretrained.safetensors" >&2
  exit 1
}
