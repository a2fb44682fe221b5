#!/usr/bin/env bash
# Usage: expect_error.sh REGEX COMMAND [ARGS...]
# Passes when COMMAND exits non-zero and prints exactly one line on stderr that matches REGEX.
set -u
regex=$1
shift
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$@" >/dev/null 2>"$err"
code=$?
lines=$(wc -l <"$err")
if [ "$code" -eq 0 ]; then
  echo "FAIL: exit code 0, expected non-zero: $*"; cat "$err"; exit 1
fi
if [ "$lines" -ne 1 ]; then
  echo "FAIL: $lines lines on stderr, expected 1: $*"; cat "$err"; exit 1
fi
if ! grep -Eq -- "$regex" "$err"; then
  echo "FAIL: stderr does not match /$regex/: $*"; cat "$err"; exit 1
fi
echo "ok (exit $code): $(cat "$err")"
