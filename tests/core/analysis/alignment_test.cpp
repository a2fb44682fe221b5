// Perceptual alignment (core/analysis/alignment.h) against direct computations, and what it tells apart.
#include "core/analysis/alignment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/analysis/input_gradient.h"
#include "core/train/trainer.h"
#include "tests/core/mnist_data.h"

namespace bs {
namespace {

constexpr size_t kImages = 500;

double direct_cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.dot(b) / (a.norm() * b.norm());
}

TEST(Alignment, NeuronCosinesAreTheCosinesOfPatternAndFeature) {
  const Params& p = test::small_trained_model().params;
  const Dataset& data = test::mnist(Split::kTest);
  const DatasetStats stats = dataset_stats(p, data, kImages);
  const EffectiveWeights eff = effective_weights(p);
  for (int l = 0; l < 3; ++l) {
    const Vec c = neuron_cosines(eff.layer[size_t(l)], stats.feature[size_t(l)], stats.weight[size_t(l)]);
    for (long i = 0; i < c.size(); ++i) {
      if (stats.weight[size_t(l)][i] <= 0) {
        EXPECT_TRUE(std::isnan(c[i])) << "a silent neuron has no feature";
        continue;
      }
      const double want = direct_cosine(eff.layer[size_t(l)].row(i).transpose().cast<double>(),
                                        stats.feature[size_t(l)].row(i).transpose().cast<double>());
      EXPECT_NEAR(c[i], want, 1e-5) << "layer " << l + 1 << " neuron " << i;
    }
  }
}

TEST(Alignment, GradientCosinesUseTheMarginAgainstTheRunnerUp) {
  // Brute force: the margin's gradient as the difference of two output neurons' input gradients
  // (input_gradient.h, another code path), the runner-up and class means found by hand.
  const Params& p = test::small_trained_model().params;
  const Dataset& data = test::mnist(Split::kTest);
  const MatRM means = class_means(data, kImages);
  const std::vector<float> got = gradient_cosines(p, data, 40, means);
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(10), gy(kPixels), gt(kPixels);
  int checked = 0;
  for (size_t i = 0; i < 40; ++i) {
    const std::vector<float> x = data.image_floats(i);
    const int y = data.label(i);
    if (predict_one(p, ws, x.data(), probs.data()) != y) {
      EXPECT_TRUE(std::isnan(got[i])) << "misclassified image " << i;
      continue;
    }
    int t = y == 0 ? 1 : 0;
    for (int c = 0; c < 10; ++c)
      if (c != y && probs[size_t(c)] > probs[size_t(t)]) t = c;
    neuron_input_gradient(p, NeuronId{3, y}, x.data(), gy.data());
    neuron_input_gradient(p, NeuronId{3, t}, x.data(), gt.data());
    Eigen::VectorXd g(kPixels), d(kPixels);
    for (int k = 0; k < kPixels; ++k) {
      g[k] = double(gy[size_t(k)]) - gt[size_t(k)];
      d[k] = double(means(y, k)) - means(t, k);
    }
    EXPECT_NEAR(got[i], direct_cosine(g, d), 1e-4) << "image " << i;
    ++checked;
  }
  EXPECT_GT(checked, 35);
}

TEST(Alignment, TheSlicedBuilderGivesTheOneShotResult) {
  const Params& p = test::small_trained_model().params;
  const Dataset& data = test::mnist(Split::kTest);
  const PerceptualAlignment want = perceptual_alignment(p, data, kImages);
  AlignmentBuilder b;
  b.begin(p, data, kImages);
  int steps = 0;
  while (!b.step(37)) ++steps;
  EXPECT_GT(steps, 10) << "it should really come in slices";
  const PerceptualAlignment& got = b.result();
  for (int l = 0; l < 3; ++l) {
    EXPECT_EQ(got.layer[size_t(l)], want.layer[size_t(l)]);
    EXPECT_EQ(got.neurons[size_t(l)], want.neurons[size_t(l)]);
  }
  EXPECT_EQ(got.gradient, want.gradient);
  EXPECT_EQ(got.images, want.images);
}

TEST(Alignment, ClassMeansAverageEachClassAlone) {
  const Dataset& data = test::mnist(Split::kTest);
  const MatRM means = class_means(data, 100);
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(kPixels);
  int n = 0;
  for (size_t i = 0; i < 100; ++i)
    if (data.label(i) == 7) {
      const std::vector<float> x = data.image_floats(i);
      for (int k = 0; k < kPixels; ++k) sum[k] += x[size_t(k)];
      ++n;
    }
  ASSERT_GT(n, 0);
  EXPECT_LT((means.row(7).cast<double>() - sum / n).cwiseAbs().maxCoeff(), 1e-6);
}

// After one epoch on 5,000 images (so the figures are about training, not about a finished model:
// docs/training.md has the finished ones, where the order is not this simple).
TEST(Alignment, OneEpochOfPgdTrainingAlignsGradientsAndOutputPatternsMoreThanPlainTraining) {
  const Dataset& train = test::train_head();
  const Dataset& data = test::mnist(Split::kTest);
  TrainConfig robust = default_train_config();
  robust.adversarial = pgd_training(0.1f, 5, Norm::kLinf);
  const PerceptualAlignment plain =
      perceptual_alignment(test::train_one_epoch(default_train_config(), train), data, kImages);
  const PerceptualAlignment pgd = perceptual_alignment(test::train_one_epoch(robust, train), data, kImages);
  std::printf("alignment, plain -> PGD-5: layers %.3f %.3f %.3f -> %.3f %.3f %.3f, gradients %.3f -> %.3f\n",
              plain.layer[0], plain.layer[1], plain.layer[2], pgd.layer[0], pgd.layer[1], pgd.layer[2],
              plain.gradient, pgd.gradient);
  EXPECT_GT(pgd.gradient, plain.gradient + 0.1);
  EXPECT_GT(pgd.layer[2], plain.layer[2] + 0.03);
  EXPECT_GT(plain.images, 400);
}

}  // namespace
}  // namespace bs
