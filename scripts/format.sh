#!/usr/bin/env bash
# The project's C++ in the one style of .clang-format (Debian's clang-format 14), so no review is ever about
# layout.   scripts/format.sh           formats in place
#           scripts/format.sh --check   lists the files that differ and fails if there are any
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
if [ "${1:-}" = --check ]; then
  bad=()
  for f in $files; do
    clang-format --style=file "$f" | cmp -s - "$f" || bad+=("$f")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    echo "format: ${#bad[@]} file(s) are not formatted (run 'make format'):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: $(echo "$files" | wc -w) files formatted"
else
  clang-format --style=file -i $files
fi
