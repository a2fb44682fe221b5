#!/bin/sh
# The desktop app under a virtual X server: it opens an OpenGL window, trains and draws for a few seconds,
# saves a screenshot, and the screenshot shows a drawn interface (not a blank window).
#   desktop_screenshot.sh BOOKSMART_APP OUT.png REPO_DIR
set -eu
app="$1" out="$2" repo="$3"
rm -f "$out"
xvfb-run -a -s "-screen 0 1100x760x24" "$app" --frames 150 --screenshot "$out"
node "$repo/tests/e2e/check-png.mjs" "$out" 0.2 50
