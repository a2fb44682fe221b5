#!/bin/sh
# A pretrained model in assets/ is what the documented command makes, byte for byte (docs/training.md:
# "Pretrained models"). If the recipe or the kernels change, this fails until the asset is regenerated with
# that command.
#   pretrained_reproducible.sh BOOKSMART_CLI ASSET [DATASET (mnist)]
set -eu
cli="$1" asset="$2" dataset="${3:-mnist}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" train --dataset "$dataset" --epochs 5 --seed 1 --kernels portable --out "$tmp/model.safetensors" >/dev/null
cmp "$tmp/model.safetensors" "$asset" || {
  echo "the committed $asset differs from: booksmart train --dataset $dataset --epochs 5 --seed 1 --kernels portable --out $asset" >&2
  exit 1
}
