# Dear ImGui 1.86 (and, for the web build, SDL 2.26.5), pinned by URL and SHA256: the orig tarballs of Debian's
# source packages, which are the upstream releases repacked. Upstream users get them downloaded by FetchContent;
# on a machine where scripts/fetch-sources.sh has put the same sources in third_party/ (offline, from apt), that
# copy is used instead through FetchContent's standard FETCHCONTENT_SOURCE_DIR_<NAME> override.
include(FetchContent)

if(NOT DEFINED FETCHCONTENT_SOURCE_DIR_IMGUI AND EXISTS "${PROJECT_SOURCE_DIR}/third_party/imgui/imgui.h")
  set(FETCHCONTENT_SOURCE_DIR_IMGUI "${PROJECT_SOURCE_DIR}/third_party/imgui")
endif()
FetchContent_Declare(imgui
  URL https://deb.debian.org/debian/pool/main/i/imgui/imgui_1.86+ds.orig.tar.xz
  URL_HASH SHA256=0dace0e8e57d298eb6e93af12dc19420cb96330832f6495c733b90aeeef11f64
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE)
FetchContent_MakeAvailable(imgui)

# ImGui's core as a library; the backends are compiled by the platform targets that need them.
add_library(imgui STATIC
  ${imgui_SOURCE_DIR}/imgui.cpp
  ${imgui_SOURCE_DIR}/imgui_draw.cpp
  ${imgui_SOURCE_DIR}/imgui_tables.cpp
  ${imgui_SOURCE_DIR}/imgui_widgets.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${imgui_SOURCE_DIR} ${imgui_SOURCE_DIR}/backends)
# No imgui.ini: the layout is fixed by the app, and the page has no file system.
target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_FILE_FUNCTIONS IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
