#include "app/ui_font.h"

#include <algorithm>
#include <cmath>

namespace bs::app {

bool ensure_ui_font(UiFontState& f, float pixel_ratio) {
  // A ratio off by a rounding error (1.9999) is the same screen; a zoom step (1.1) is not.
  const float ratio = std::clamp(std::isfinite(pixel_ratio) ? pixel_ratio : 1.0f, 1.0f, 4.0f);
  if (std::fabs(ratio - f.atlas_scale) < 0.01f) return false;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the bytes are the program's own, not the atlas's to free
  cfg.OversampleH = 2;               // sharper horizontal positioning at small sizes
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(kUiFontData), kUiFontSize, kUiFontPixels * ratio,
                                 &cfg, kUiFontRanges);
  io.Fonts->Build();
  // Layout stays in CSS pixels: the big glyphs are drawn at 1/ratio, one texel per device pixel.
  io.FontGlobalScale = 1.0f / ratio;
  f.atlas_scale = ratio;
  return true;
}

}  // namespace bs::app
