#include "app/textures.h"

#include <algorithm>
#include <cmath>

#include "core/image/canvas.h"

namespace bs::app {
namespace {

std::vector<uint8_t> to_rgba(const float* img, Rgb (*map)(float), float scale) {
  std::vector<uint8_t> out(784 * 4);
  for (int i = 0; i < 784; ++i) {
    Rgb c = map(img[i] * scale);
    out[size_t(i) * 4 + 0] = c.r;
    out[size_t(i) * 4 + 1] = c.g;
    out[size_t(i) * 4 + 2] = c.b;
    out[size_t(i) * 4 + 3] = 255;
  }
  return out;
}

}  // namespace

ImTextureID Textures::get(int slot, const ViewKey& key, const std::function<std::vector<uint8_t>()>& make) {
  auto it = cache_.find(slot);
  if (it != cache_.end()) {
    const ViewKey& had = it->second.first;
    if (had == key) return it->second.second;
    ViewKey newer_model = had;
    newer_model.model = key.model;
    if (newer_model == key && refreshes_++ >= kRefreshesPerFrame) return it->second.second;
  }
  std::vector<uint8_t> rgba = make();
  ImTextureID id = upload(slot, 28, 28, rgba.data());
  ++uploads_;
  cache_[slot] = {key, id};
  return id;
}

std::vector<uint8_t> diverging_rgba(const float* img) {
  float mx = 0;
  for (int i = 0; i < 784; ++i) mx = std::max(mx, std::fabs(img[i]));
  return to_rgba(img, diverging, mx > 0 ? 1.0f / mx : 0.0f);
}

std::vector<uint8_t> grey_rgba(const float* img, bool stretch) {
  float mx = 1.0f;
  if (stretch) mx = *std::max_element(img, img + 784);
  return to_rgba(img, grey, mx > 0 ? 1.0f / mx : 0.0f);
}

}  // namespace bs::app
