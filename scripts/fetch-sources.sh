#!/usr/bin/env bash
# Fetches the third-party sources the page and the desktop app build from — Dear ImGui 1.86 and SDL 2.26.5 —
# as Debian's source packages, and the interface's font (Noto Sans, from Debian's fonts-noto-core), into
# third_party/ (git-ignored; nothing third-party is committed).
# Each orig tarball is checked against the SHA256 pinned below, the same digests CMake's FetchContent uses
# (cmake/ThirdParty.cmake) when it downloads them itself.
set -euo pipefail
cd "$(dirname "$0")/.."

IMGUI_VERSION=1.86+ds-1
IMGUI_ORIG=imgui_1.86+ds.orig.tar.xz
IMGUI_SHA256=0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64
SDL_VERSION=2.26.5+dfsg-1
SDL_ORIG=libsdl2_2.26.5+dfsg.orig.tar.gz
SDL_SHA256=b3f2c822151804125d08db94c65852f711c2e5df2145a59da120748dc32eb9c3
NOTO_VERSION=20201225-1
NOTO_DEB=fonts-noto-core_${NOTO_VERSION}_all.deb
NOTO_SHA256=58f4f0bb6720f919f92096b3508e1412a0f1544424ade6c5b5bf1eb694dd64ba

mkdir -p third_party/downloads

# The font: one file (and its licence) out of the binary package, so nothing is installed system-wide.
if [ ! -f third_party/fonts/NotoSans-Regular.ttf ]; then
  get_font() { (cd third_party/downloads && apt-get download -qq "fonts-noto-core=$NOTO_VERSION" 2>/dev/null); }
  get_font || { apt-get update -qq && get_font; }
  echo "$NOTO_SHA256  third_party/downloads/$NOTO_DEB" | sha256sum --quiet -c -
  rm -rf third_party/fonts.tmp && mkdir -p third_party/fonts.tmp
  dpkg-deb --fsys-tarfile "third_party/downloads/$NOTO_DEB" |
    tar -x -C third_party/fonts.tmp ./usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ./usr/share/doc/fonts-noto-core/copyright
  mkdir -p third_party/fonts
  mv third_party/fonts.tmp/usr/share/doc/fonts-noto-core/copyright third_party/fonts/NotoSans-LICENSE.txt
  mv third_party/fonts.tmp/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf third_party/fonts/
  rm -rf third_party/fonts.tmp
  echo "fetch-sources: Noto Sans is in third_party/fonts/"
fi

if [ -f third_party/imgui/imgui.h ] && [ -f third_party/SDL2/CMakeLists.txt ]; then exit 0; fi

# Debian ships only binary package lists by default: add the matching source lists once, in a file of our own.
if ! apt-cache showsrc imgui 2>/dev/null | grep -q "^Version: $IMGUI_VERSION"; then
  src=/etc/apt/sources.list.d/booksmart-deb-src.sources
  if [ ! -f "$src" ]; then
    echo "fetch-sources: enabling Debian source lists in $src"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$src"
  fi
  apt-get update -qq
fi

(cd third_party/downloads && apt-get source --download-only -qq "imgui=$IMGUI_VERSION" "libsdl2=$SDL_VERSION" >/dev/null)

unpack() {  # unpack TARBALL SHA256 DEST
  local tarball=third_party/downloads/$1 sha=$2 dest=third_party/$3
  echo "$sha  $tarball" | sha256sum --quiet -c -
  rm -rf "$dest" "$dest.tmp"
  mkdir -p "$dest.tmp"
  tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
  mv "$dest.tmp" "$dest"
}
[ -f third_party/imgui/imgui.h ] || unpack "$IMGUI_ORIG" "$IMGUI_SHA256" imgui
[ -f third_party/SDL2/CMakeLists.txt ] || unpack "$SDL_ORIG" "$SDL_SHA256" SDL2
echo "fetch-sources: Dear ImGui and SDL2 sources are in third_party/"
