#!/bin/sh
# The article's two-books figures (assets/books.json) are what the documented command makes (docs/training.md,
# "Two books"), to the last bits a CPU may change (json_close.py). If the subspace or attack code, a recipe or
# the kernels change, this fails until the asset is regenerated with that command.
#   book_figures_asset.sh BOOKSMART_CLI SOURCE_DIR
set -eu
cli="$1" src="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/scripts/book-figures.py" "$cli" "$src/assets" "$dir/books.json"
python3 "$src/tests/cli/json_close.py" "$dir/books.json" "$src/assets/books.json" \
  "scripts/book-figures.py BOOKSMART_CLI assets assets/books.json"
