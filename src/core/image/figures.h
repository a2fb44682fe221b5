// The article's figures, composed as canvases: grids of neuron images and the overlay strip.
#pragma once

#include <string>
#include <vector>

#include "core/image/canvas.h"
#include "core/nn/params.h"

namespace bs {

// kGrey stretches each tile to its own maximum (averaged images); kGreyRaw shows values in [0, 1] as they
// are.
enum class TileStyle { kDiverging, kGrey, kGreyRaw };

// One tile per row of `images` (units, 784), `cols` tiles per row, each captioned `captions[i]`, under a
// title. Diverging grids get a colour legend (-max .. 0 .. +max per tile).
Canvas neuron_grid(const MatRM& images, int cols, TileStyle style, const std::string& title,
                   const std::vector<std::string>& captions);

struct OverlayPanel {
  std::vector<float> image;  // 784 floats; the pattern panel may hold negative values
  TileStyle style;
  std::string caption1, caption2;
};

// A row of captioned panels (the digit, the pattern, the blends) under a title.
Canvas panel_row(const std::vector<OverlayPanel>& panels, const std::string& title);

}  // namespace bs
