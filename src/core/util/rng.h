// PCG32 (O'Neill 2014): a small, fast generator whose output depends only on integer arithmetic, so the
// same seed gives the same stream natively and in WebAssembly. std::*_distribution is avoided on purpose:
// libstdc++ and libc++ (Emscripten) implement them differently.
#pragma once

#include <cmath>
#include <cstdint>

namespace bs {

class Pcg32 {
 public:
  explicit Pcg32(uint64_t seed, uint64_t stream = 0x5851f42d4c957f2dULL) {
    inc_ = (stream << 1u) | 1u;
    state_ = 0;
    next_u32();
    state_ += seed;
    next_u32();
  }

  uint32_t next_u32() {
    uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  // Uniform in [0, 1) with 24 random bits: exactly representable as float, so no rounding differences.
  float uniform01() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

  // Uniform integer in [0, bound) without modulo bias (rejection of the short final interval).
  uint32_t below(uint32_t bound) {
    uint32_t threshold = (0u - bound) % bound;
    for (;;) {
      uint32_t r = next_u32();
      if (r >= threshold) return r % bound;
    }
  }

  // Approximately standard normal: the centred sum of four uniforms (Irwin-Hall), scaled to unit variance.
  // Only exact float operations, so the page and the CLI draw the same values (unlike normal() below).
  float normal_portable() {
    float s = uniform01() + uniform01() + uniform01() + uniform01() - 2.0f;
    return s * 1.7320508075688772f;
  }
  // Standard normal by Box-Muller. Uses log/cos, so the last bit may differ between C libraries: use it for
  // augmentation noise, never for initial weights (which must match bit for bit across platforms).
  float normal() {
    float u1 = (static_cast<float>(next_u32() >> 8) + 1.0f) * (1.0f / 16777216.0f);
    float u2 = uniform01();
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.2831853071795864f * u2);
  }

 private:
  uint64_t state_;
  uint64_t inc_;
};

// Fisher-Yates shuffle of [first, first + n) using only integer draws.
template <class T>
void shuffle(T* first, uint32_t n, Pcg32& rng) {
  for (uint32_t i = n; i > 1; --i) {
    uint32_t j = rng.below(i);
    T tmp = first[i - 1];
    first[i - 1] = first[j];
    first[j] = tmp;
  }
}

}  // namespace bs
