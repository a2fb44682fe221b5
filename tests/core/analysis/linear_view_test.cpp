#include "core/analysis/linear_view.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/analysis/attack.h"
#include "tests/core/mnist_data.h"

namespace bs {
namespace {

struct Case {
  Subspace s = data_subspace(test::head(test::mnist(Split::kTrain), 3000));
  std::vector<float> x, unit;
  Case() {
    const Dataset& t = test::mnist(Split::kTest);
    x = t.image_floats(0);  // a 7
    unit =
        unit_pattern(effective_weights(test::small_trained_model().params).pattern(NeuronId{3, 0}), kPixels);
  }
  std::vector<float> blend(float alpha) const {
    std::vector<float> out(kPixels);
    overlay(out.data(), x.data(), unit.data(), alpha, false, kPixels);
    return out;
  }
};

const Case& c() {
  static Case k;
  return k;
}

}  // namespace

TEST(LinearView, ContributionsSumToTheLogitChangeWhenNoReluSwitches) {
  ASSERT_EQ(test::mnist(Split::kTest).label(0), 7);
  // The largest blend (halving from 0.1) that keeps every ReLU on the same side; one gradient (steps = 1).
  LinearView v;
  for (float alpha = 0.1f; alpha > 1e-6f; alpha *= 0.5f) {
    std::vector<float> xa = c().blend(alpha);
    v = linear_view(test::small_trained_model().params, c().s, 150, c().x.data(), xa.data(), 7, 0, 1);
    if (v.switched == 0) break;
  }
  ASSERT_EQ(v.switched, 0);
  EXPECT_NE(v.actual, 0.0);
  EXPECT_NEAR(v.total, v.actual, 1e-3 * std::fabs(v.actual) + 1e-6);
}

TEST(LinearView, PathAverageKeepsTheSumExactAcrossReluSwitches) {
  std::vector<float> xa = c().blend(1.5f);
  LinearView v =
      linear_view(test::small_trained_model().params, c().s, 150, c().x.data(), xa.data(), 7, 0, 2048);
  std::printf("alpha 1.5: %d ReLUs switch; sum %.4f vs actual %.4f (in-span %.3f, off-span %.3f)\n",
              v.switched, v.total, v.actual, v.in_span, v.off_span);
  EXPECT_GT(v.switched, 0);
  EXPECT_NEAR(v.total, v.actual, 0.01 * std::fabs(v.actual));
}

TEST(LinearView, SpanAndPixelSplitsAddUpToTheTotal) {
  std::vector<float> xa = c().blend(0.8f);
  LinearView v =
      linear_view(test::small_trained_model().params, c().s, 150, c().x.data(), xa.data(), 7, 0, 64);
  EXPECT_NEAR(v.in_span + v.off_span, v.total, 1e-4 * std::fabs(v.total) + 1e-6);
  EXPECT_NEAR(v.lit + v.never_lit, v.total, 1e-4 * std::fabs(v.total) + 1e-6);
  double sum = 0;
  for (float ci : v.contribution) sum += ci;
  EXPECT_NEAR(sum, v.total, 1e-4 * std::fabs(v.total) + 1e-6);
}

}  // namespace bs
