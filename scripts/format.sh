#!/usr/bin/env bash
# The project's code in one style, so no review is ever about layout: the C++ as .clang-format says (Debian's
# clang-format 14), the JavaScript as .prettierrc.json says (Prettier) and free of ESLint's findings
# (eslint.config.mjs); both pinned in package-lock.json.
#   scripts/format.sh           formats in place (and applies ESLint's automatic fixes)
#   scripts/format.sh --check   lists the files that differ or that ESLint flags, and fails if there are any
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
# The JavaScript the project writes (the page's, the browser tests', the benchmarks', the scripts').
js=$(git ls-files 'shell/*.js' 'bench/*.js' 'bench/*.mjs' 'bench/*.cjs' 'tests/*.mjs' 'scripts/*.mjs' 'eslint.config.mjs')
bin=node_modules/.bin
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
  echo "format: $(echo "$files" | wc -w) C++ files formatted"
  # shellcheck disable=SC2086
  "$bin/prettier" --check --log-level warn $js || { echo "format: run 'make format'" >&2; exit 1; }
  # shellcheck disable=SC2086
  "$bin/eslint" --max-warnings 0 $js
  echo "format: $(echo "$js" | wc -w) JavaScript files formatted and linted"
else
  clang-format --style=file -i $files
  # shellcheck disable=SC2086
  "$bin/prettier" --write --log-level warn $js
  # shellcheck disable=SC2086
  "$bin/eslint" --fix $js
fi
