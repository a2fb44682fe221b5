#include "core/util/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "core/nn/params.h"

namespace bs {
namespace {

TEST(Pcg32, MatchesTheReferenceImplementationStream) {
  // pcg32_srandom_r(&rng, 42, 54) followed by pcg32_random_r, from the PCG reference's pcg32-demo output.
  Pcg32 rng(42, 54);
  EXPECT_EQ(rng.next_u32(), 0xa15c02b7u);
  EXPECT_EQ(rng.next_u32(), 0x7b47f409u);
  EXPECT_EQ(rng.next_u32(), 0xba1d3330u);
  EXPECT_EQ(rng.next_u32(), 0x83d2f293u);
  EXPECT_EQ(rng.next_u32(), 0xbfa4784bu);
  EXPECT_EQ(rng.next_u32(), 0xcbed606eu);
}

TEST(Pcg32, SameSeedGivesSameStream) {
  Pcg32 a(123), b(123);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u32(), b.next_u32());
}

TEST(Pcg32, BelowStaysInRangeAndCoversIt) {
  Pcg32 rng(5);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    uint32_t v = rng.below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int c : seen) EXPECT_GT(c, 800);
}

TEST(Shuffle, ProducesAPermutation) {
  Pcg32 rng(9);
  std::vector<uint32_t> v(1000);
  std::iota(v.begin(), v.end(), 0u);
  shuffle(v.data(), uint32_t(v.size()), rng);
  std::vector<uint32_t> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
  int fixed = 0;
  for (uint32_t i = 0; i < 1000; ++i) fixed += v[i] == i;
  EXPECT_LT(fixed, 10);
}

TEST(InitParams, SameSeedGivesBitIdenticalWeights) {
  Params a, b;
  init_params(a, 1);
  init_params(b, 1);
  for (size_t k = 0; k < 6; ++k) {
    auto ta = a.tensors()[k], tb = b.tensors()[k];
    ASSERT_EQ(0, std::memcmp(ta.data, tb.data, sizeof(float) * size_t(ta.size()))) << ta.name;
  }
}

TEST(InitParams, DifferentSeedsGiveDifferentWeights) {
  Params a, b;
  init_params(a, 1);
  init_params(b, 2);
  EXPECT_NE(a.w1, b.w1);
}

TEST(InitParams, WeightsFillTheHeUniformRangeAndBiasesAreZero) {
  Params p;
  init_params(p, 3);
  float limit = std::sqrt(6.0f / 784.0f);
  EXPECT_LE(p.w1.cwiseAbs().maxCoeff(), limit);
  EXPECT_GT(p.w1.cwiseAbs().maxCoeff(), 0.99f * limit);
  EXPECT_NEAR(p.w1.mean(), 0.0f, 0.01f * limit);
  // Uniform on [-L, L] has variance L^2 / 3.
  float var = p.w1.array().square().mean();
  EXPECT_NEAR(var, limit * limit / 3.0f, 0.02f * limit * limit);
  EXPECT_EQ(p.b1.cwiseAbs().maxCoeff(), 0.0f);
}

TEST(InitParams, ScaleMultipliesEveryWeight) {
  Params a, b;
  init_params(a, 4, 1.0f);
  init_params(b, 4, 0.5f);
  EXPECT_NEAR((a.w2 * 0.5f - b.w2).cwiseAbs().maxCoeff(), 0.0f, 1e-7f);
}

}  // namespace
}  // namespace bs
