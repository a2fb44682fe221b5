// Every gradient of the network against central finite differences of the loss, on a tiny network in which
// float rounding stays well below the differences measured.
#include <gtest/gtest.h>

#include <cmath>

#include "core/nn/mlp.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

const Arch kTiny{7, 5, 4, 3};
constexpr int kBatch = 4;

struct Fixture {
  Params p{kTiny};
  Workspace ws{kTiny, kBatch};
  std::vector<uint8_t> labels{0, 2, 1, 2};
  Fixture() {
    test::randomize(p, 11, 0.8f);
    Pcg32 rng(12);
    for (int j = 0; j < kBatch; ++j) {
      for (int i = 0; i < kTiny.in; ++i) ws.x(i, j) = rng.uniform01();
    }
  }
  float loss() { return forward(p, ws, kBatch, labels.data()); }
};

// Checks analytic against numeric, with a tolerance that allows for float rounding in the loss.
void expect_close(float analytic, double numeric, const std::string& what) {
  EXPECT_NEAR(analytic, numeric, 2e-3 + 2e-2 * std::fabs(numeric)) << what;
}

class GradientCheck : public ::testing::TestWithParam<int> {};

TEST_P(GradientCheck, MatchesCentralFiniteDifferences) {
  const int k = GetParam();
  Fixture f;
  f.loss();
  backward(f.p, f.ws, kBatch, f.labels.data());
  TensorView param = f.p.tensors()[size_t(k)];
  TensorView grad = f.ws.grad.tensors()[size_t(k)];
  const float h = 1e-2f;
  double max_abs = 0;
  for (int i = 0; i < param.size(); ++i) {
    float saved = param.data[i];
    param.data[i] = saved + h;
    double up = f.loss();
    param.data[i] = saved - h;
    double down = f.loss();
    param.data[i] = saved;
    double numeric = (up - down) / (2.0 * h);
    expect_close(grad.data[i], numeric, std::string(param.name) + "[" + std::to_string(i) + "]");
    max_abs = std::max(max_abs, std::fabs(grad.data[i] - numeric));
  }
  std::printf("%s: max |analytic - numeric| = %.2e over %d elements\n", param.name, max_abs, param.size());
  EXPECT_GT(grad.data[0] * grad.data[0] + grad.data[param.size() - 1] * grad.data[param.size() - 1], 0.0f)
      << "gradient is all zero: the check would be vacuous";
}

INSTANTIATE_TEST_SUITE_P(EveryTensor, GradientCheck, ::testing::Range(0, 6));

TEST(InputGradient, MatchesCentralFiniteDifferences) {
  Fixture f;
  f.loss();
  backward(f.p, f.ws, kBatch, f.labels.data(), /*input_grad=*/true);
  Mat analytic = f.ws.dx.leftCols(kBatch);
  const float h = 1e-2f;
  for (int j = 0; j < kBatch; ++j) {
    for (int i = 0; i < kTiny.in; ++i) {
      float saved = f.ws.x(i, j);
      f.ws.x(i, j) = saved + h;
      double up = f.loss();
      f.ws.x(i, j) = saved - h;
      double down = f.loss();
      f.ws.x(i, j) = saved;
      expect_close(analytic(i, j), (up - down) / (2.0 * h),
                   "dx(" + std::to_string(i) + "," + std::to_string(j) + ")");
    }
  }
}

TEST(SoftmaxCrossEntropy, LossIsMeanNegativeLogProbability) {
  Mat logits(3, 2), probs(3, 2);
  logits << 1, 0, 2, 0, 3, 0;
  uint8_t labels[2] = {2, 1};
  float loss = softmax_xent_forward(probs, logits, labels);
  double p0 = std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  double expected = (-std::log(p0) - std::log(1.0 / 3.0)) / 2.0;
  EXPECT_NEAR(loss, expected, 1e-6);
  EXPECT_NEAR(probs.col(0).sum(), 1.0f, 1e-6f);
}

TEST(SoftmaxCrossEntropy, StaysFiniteForHugeLogits) {
  Mat logits(2, 1), probs(2, 1);
  logits << 1000, -1000;
  uint8_t label = 1;
  float loss = softmax_xent_forward(probs, logits, &label);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_NEAR(loss, 2000.0f, 1e-2f);
}

}  // namespace
}  // namespace bs
