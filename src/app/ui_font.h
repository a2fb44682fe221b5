// The interface's font: Noto Sans, cut to the characters the interface draws, compiled in
// (cmake/UiFont.cmake generates the definitions), and rasterised at the display's pixel ratio.
#pragma once

#include <imgui.h>

namespace bs::app {

extern const unsigned char kUiFontData[];
extern const int kUiFontSize;
extern const ImWchar kUiFontRanges[];  // ImGui's glyph ranges: pairs, then 0

// The size text is drawn at, in CSS pixels (the article's captions are 15 px: the figure matches them).
constexpr float kUiFontPixels = 15.0f;

struct UiFontState {
  float atlas_scale = 0;  // the pixel ratio the atlas was rasterised at; 0 before the first build
};

// Rebuilds the font atlas when `pixel_ratio` (device pixels per CSS pixel) differs from the one it was built
// at: glyphs rasterised at the screen's own resolution, drawn at kUiFontPixels. Returns true when it rebuilt,
// so the renderer uploads the new atlas. Ratios are clamped to [1, 4].
bool ensure_ui_font(UiFontState& f, float pixel_ratio);

}  // namespace bs::app
