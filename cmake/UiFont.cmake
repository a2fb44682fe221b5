# The interface's font: Noto Sans (SIL Open Font License 1.1; its licence goes next to the site and the app as
# NotoSans-LICENSE.txt), cut down with HarfBuzz's hb-subset to the characters the interface draws and compiled
# into the app: the page has no file system, and the desktop app then needs no font file at run time.
#
# The font comes, pinned by SHA256, in Debian's fonts-noto-core package. scripts/fetch-sources.sh takes the one
# file out of it into third_party/fonts/ (offline, through apt), and that copy is used through FetchContent's
# FETCHCONTENT_SOURCE_DIR_NOTO_SANS override; anywhere else FetchContent downloads the package itself.
include(FetchContent)
if(NOT DEFINED FETCHCONTENT_SOURCE_DIR_NOTO_SANS AND EXISTS "${PROJECT_SOURCE_DIR}/third_party/fonts/NotoSans-Regular.ttf")
  set(FETCHCONTENT_SOURCE_DIR_NOTO_SANS "${PROJECT_SOURCE_DIR}/third_party/fonts")
endif()
FetchContent_Declare(noto_sans
  URL https://deb.debian.org/debian/pool/main/f/fonts-noto/fonts-noto-core_20201225-1_all.deb
  URL_HASH SHA256=58f4f0bb6720f919f92096b3508e1412a0f1544424ade6c5b5bf1eb694dd64ba
  DOWNLOAD_NO_EXTRACT TRUE)
FetchContent_MakeAvailable(noto_sans)
if(EXISTS "${noto_sans_SOURCE_DIR}/NotoSans-Regular.ttf")
  set(BOOKSMART_UI_FONT_TTF "${noto_sans_SOURCE_DIR}/NotoSans-Regular.ttf")
  set(BOOKSMART_UI_FONT_LICENSE "${noto_sans_SOURCE_DIR}/NotoSans-LICENSE.txt")
else()  # the downloaded .deb: its data archive, then the two files
  set(_deb_dir "${PROJECT_BINARY_DIR}/noto-deb")
  file(ARCHIVE_EXTRACT INPUT "${noto_sans_SOURCE_DIR}/fonts-noto-core_20201225-1_all.deb" DESTINATION "${_deb_dir}")
  file(ARCHIVE_EXTRACT INPUT "${_deb_dir}/data.tar.xz" DESTINATION "${_deb_dir}/data"
       PATTERNS "*NotoSans-Regular.ttf" "*fonts-noto-core/copyright")
  set(BOOKSMART_UI_FONT_TTF "${_deb_dir}/data/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
  set(BOOKSMART_UI_FONT_LICENSE "${_deb_dir}/data/usr/share/doc/fonts-noto-core/copyright")
endif()

# The characters the interface draws, as hb-subset takes them (hex, ranges with "-"): printable ASCII, then
# · × α ε – — … (Noto Sans has no ≤ or ≥). The same list becomes ImGui's glyph ranges, so the atlas and the
# file cannot disagree.
set(BOOKSMART_UI_FONT_UNICODES "20-7E,B7,D7,3B1,3B5,2013-2014,2026")

find_program(BOOKSMART_HB_SUBSET hb-subset)
set(_font_dir "${PROJECT_BINARY_DIR}/generated")
if(BOOKSMART_HB_SUBSET)
  add_custom_command(OUTPUT "${_font_dir}/ui_font.ttf"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${_font_dir}"
    COMMAND ${BOOKSMART_HB_SUBSET} "--unicodes=${BOOKSMART_UI_FONT_UNICODES}" --no-hinting
            "--output-file=${_font_dir}/ui_font.ttf" "${BOOKSMART_UI_FONT_TTF}"
    DEPENDS "${BOOKSMART_UI_FONT_TTF}" VERBATIM)
elseif(EMSCRIPTEN)
  # The page's weight is part of the product: no page with the whole 0.5 MB font.
  message(FATAL_ERROR "hb-subset (Debian package libharfbuzz-bin) is needed to cut the page's font down; run scripts/setup.sh web")
else()
  # A desktop build before `make setup` still works, with the whole font in the program.
  message(WARNING "hb-subset (Debian package libharfbuzz-bin) not found: the desktop app embeds the whole font "
                  "(0.5 MB) instead of the characters it draws; scripts/setup.sh installs it")
  add_custom_command(OUTPUT "${_font_dir}/ui_font.ttf"
    COMMAND ${CMAKE_COMMAND} -E copy "${BOOKSMART_UI_FONT_TTF}" "${_font_dir}/ui_font.ttf"
    DEPENDS "${BOOKSMART_UI_FONT_TTF}" VERBATIM)
endif()
add_custom_command(OUTPUT "${_font_dir}/ui_font_data.cpp"
  COMMAND ${CMAKE_COMMAND} "-DIN=${_font_dir}/ui_font.ttf" "-DOUT=${_font_dir}/ui_font_data.cpp"
          "-DUNICODES=${BOOKSMART_UI_FONT_UNICODES}" -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFont.cmake"
  DEPENDS "${_font_dir}/ui_font.ttf" "${PROJECT_SOURCE_DIR}/cmake/EmbedFont.cmake" VERBATIM)
set(BOOKSMART_UI_FONT_SOURCE "${_font_dir}/ui_font_data.cpp")
# A target, so the app's directory (which compiles the generated file) can wait for it.
add_custom_target(ui_font DEPENDS "${BOOKSMART_UI_FONT_SOURCE}")
set_source_files_properties("${BOOKSMART_UI_FONT_SOURCE}" PROPERTIES GENERATED TRUE)
