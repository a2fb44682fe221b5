// A reader's own digit, prepared the way MNIST's were (LeCun et al.): the ink's bounding box is scaled to fit
// a 20x20 box with its aspect ratio kept, with anti-aliased grey levels (each output pixel averages the area
// of the input it covers), then placed in a 28x28 field so that its centre of mass sits at the field's
// centre.
#pragma once

#include <vector>

#include "core/util/status.h"

namespace bs {

struct InkImage {
  int width = 0, height = 0;
  std::vector<float> ink;  // (height, width) row-major, 0 = paper, 1 = full ink
};

// Ink from RGBA pixels (e.g. a canvas or a decoded image file): luminance, inverted when the picture is dark
// ink on light paper (judged from the border), transparency treated as paper.
InkImage ink_from_rgba(const unsigned char* rgba, int width, int height);

// 784 floats in [0, 1]. Fails (with a message) on an empty or blank image.
Expected<std::vector<float>> mnist_preprocess(const InkImage& img);

}  // namespace bs
