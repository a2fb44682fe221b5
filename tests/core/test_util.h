// Helpers shared by the unit tests: small generated IDX files and random parameters.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/params.h"
#include "core/util/rng.h"

namespace bs::test {

inline void put_be32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}

// An IDX image file with `count` 28x28 images of pseudo-random bytes.
inline std::vector<uint8_t> idx_images(uint32_t count, uint64_t seed = 7) {
  std::vector<uint8_t> v = {0, 0, 8, 3};
  put_be32(v, count);
  put_be32(v, 28);
  put_be32(v, 28);
  Pcg32 rng(seed);
  for (uint32_t i = 0; i < count * 784; ++i) v.push_back(uint8_t(rng.next_u32()));
  return v;
}

inline std::vector<uint8_t> idx_labels(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> v = {0, 0, 8, 1};
  put_be32(v, uint32_t(labels.size()));
  v.insert(v.end(), labels.begin(), labels.end());
  return v;
}

inline void randomize(Params& p, uint64_t seed, float scale = 0.5f) {
  Pcg32 rng(seed);
  for (TensorView t : p.tensors()) {
    for (int i = 0; i < t.size(); ++i) t.data[i] = (2.0f * rng.uniform01() - 1.0f) * scale;
  }
}

// Every parameter equal bit for bit.
inline bool bit_identical(const Params& a, const Params& b) {
  for (size_t k = 0; k < a.tensors().size(); ++k) {
    auto ta = a.tensors()[k], tb = b.tensors()[k];
    if (ta.size() != tb.size() || std::memcmp(ta.data, tb.data, sizeof(float) * size_t(ta.size())) != 0)
      return false;
  }
  return true;
}

// A dataset of `n` random images with labels 0..9 in turn.
inline Dataset random_dataset(size_t n, uint64_t seed) {
  Dataset d;
  Pcg32 rng(seed);
  for (size_t i = 0; i < n * kPixels; ++i) d.images.push_back(uint8_t(rng.next_u32()));
  for (size_t i = 0; i < n; ++i) d.labels.push_back(uint8_t(i % 10));
  d.declared = uint32_t(n);
  return d;
}

}  // namespace bs::test
