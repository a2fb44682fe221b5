#include "core/image/figures.h"

#include <algorithm>

namespace bs {
namespace {

constexpr int kScale = 4;  // 28 px -> 112 px tiles
constexpr int kTile = 28 * kScale;
constexpr int kGap = 14;
constexpr int kCaption = 18;  // caption line height
constexpr int kTitle = 34;
const Rgb kInk{20, 20, 20};

void draw_tile(Canvas& c, int x, int y, const float* img, TileStyle style) {
  if (style == TileStyle::kDiverging) {
    draw_diverging_tile(c, x, y, img, kScale);
  } else {
    draw_grey_tile(c, x, y, img, kScale, style == TileStyle::kGrey);
  }
}

void draw_legend(Canvas& c, int x, int y, int w) {
  for (int i = 0; i < w; ++i) c.fill_rect(x + i, y, 1, 10, diverging(2.0f * float(i) / float(w - 1) - 1.0f));
  c.text(x, y + 13, "-max", kInk);
  c.text(x + w / 2 - 3, y + 13, "0", kInk);
  c.text(x + w - Canvas::text_width("+max"), y + 13, "+max", kInk);
}

}  // namespace

Canvas neuron_grid(const MatRM& images, int cols, TileStyle style, const std::string& title,
                   const std::vector<std::string>& captions) {
  const int n = int(images.rows());
  const int rows = (n + cols - 1) / cols;
  const int legend = style == TileStyle::kDiverging ? 34 : 0;
  const int width = std::max(kGap + cols * (kTile + kGap), Canvas::text_width(title, 2) + 2 * kGap);
  const int height = kTitle + rows * (kTile + kCaption + kGap) + legend + kGap;
  Canvas c(width, height);
  c.text(kGap, 10, title, kInk, 2);
  for (int i = 0; i < n; ++i) {
    int x = kGap + (i % cols) * (kTile + kGap);
    int y = kTitle + (i / cols) * (kTile + kCaption + kGap);
    draw_tile(c, x, y, images.row(i).data(), style);
    if (size_t(i) < captions.size()) c.text(x, y + kTile + 4, captions[size_t(i)], kInk);
  }
  if (legend) draw_legend(c, kGap, height - legend - kGap + 8, 300);
  return c;
}

Canvas panel_row(const std::vector<OverlayPanel>& panels, const std::string& title) {
  const int n = int(panels.size());
  const int width = kGap + n * (kTile + kGap);
  const int height = kTitle + kTile + 2 * kCaption + kGap + 34;
  Canvas c(std::max(width, Canvas::text_width(title, 2) + 2 * kGap), height);
  c.text(kGap, 10, title, kInk, 2);
  bool any_diverging = false;
  for (int i = 0; i < n; ++i) {
    int x = kGap + i * (kTile + kGap);
    draw_tile(c, x, kTitle, panels[size_t(i)].image.data(), panels[size_t(i)].style);
    c.text(x, kTitle + kTile + 4, panels[size_t(i)].caption1, kInk);
    c.text(x, kTitle + kTile + 4 + kCaption, panels[size_t(i)].caption2, kInk);
    any_diverging |= panels[size_t(i)].style == TileStyle::kDiverging;
  }
  if (any_diverging) draw_legend(c, kGap, height - 30, 200);
  return c;
}

}  // namespace bs
