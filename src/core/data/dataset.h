// A labelled set of 28x28 grey images kept as uint8 (60,000 MNIST images are 47 MB this way, 188 MB as
// float). Images are row-major: pixel (r, c) of image i is images[i * 784 + r * 28 + c].
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bs {

constexpr int kImageSide = 28;
constexpr int kPixels = kImageSide * kImageSide;
constexpr int kClasses = 10;
// MNIST as published: the page streams these, and the state API bounds test image indices by them.
constexpr size_t kMnistTrainImages = 60000, kMnistTestImages = 10000;
constexpr size_t kMnistImages = kMnistTrainImages + kMnistTestImages;

struct Dataset {
  std::vector<uint8_t> images;  // (n, 784) row-major
  std::vector<uint8_t> labels;  // (n), each 0..9
  uint32_t declared = 0;        // images the files announce; size() grows towards it while streaming
  bool closed = false;  // no more images will come (a file failed): size() is final even if < declared

  // Only images whose label has also arrived count: the trainer never sees an unlabelled image.
  size_t size() const { return std::min(images.size() / kPixels, labels.size()); }
  bool complete() const { return declared > 0 && size() == declared; }
  const uint8_t* image(size_t i) const { return images.data() + i * kPixels; }
  int label(size_t i) const { return labels[i]; }
  // Image i as 784 floats in [0, 1], the network's input scale.
  void image_floats(size_t i, float* out) const {
    const uint8_t* img = image(i);
    for (int k = 0; k < kPixels; ++k) out[k] = float(img[k]) * (1.0f / 255.0f);
  }
  std::vector<float> image_floats(size_t i) const {
    std::vector<float> x(kPixels);
    image_floats(i, x.data());
    return x;
  }
  // The first n images (all of them when there are fewer), as a complete dataset of their own.
  Dataset first(size_t n) const {
    n = std::min(n, size());
    Dataset out;
    out.images.assign(images.begin(), images.begin() + long(n * kPixels));
    out.labels.assign(labels.begin(), labels.begin() + long(n));
    out.declared = uint32_t(n);
    return out;
  }
};

}  // namespace bs
