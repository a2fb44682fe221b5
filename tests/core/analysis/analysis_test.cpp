#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/analysis/attack.h"
#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/analysis/sparsity.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

TEST(EffectiveWeights, EqualExplicitSumsOverEveryPath) {
  const Arch a{9, 6, 5, 4};
  Params p(a);
  test::randomize(p, 21);
  EffectiveWeights e = effective_weights(p);
  for (int px = 0; px < a.in; ++px) {
    for (int i = 0; i < a.h1; ++i) EXPECT_EQ(e.layer[0](i, px), p.w1(i, px));
    for (int j = 0; j < a.h2; ++j) {
      double sum = 0;  // length-2 paths: pixel -> layer-1 neuron i -> neuron j
      for (int i = 0; i < a.h1; ++i) sum += double(p.w2(j, i)) * p.w1(i, px);
      EXPECT_NEAR(e.layer[1](j, px), sum, 1e-5);
    }
    for (int k = 0; k < a.out; ++k) {
      double sum = 0;  // length-3 paths: pixel -> i -> j -> output k
      for (int j = 0; j < a.h2; ++j) {
        for (int i = 0; i < a.h1; ++i) sum += double(p.w3(k, j)) * p.w2(j, i) * p.w1(i, px);
      }
      EXPECT_NEAR(e.layer[2](k, px), sum, 1e-5);
    }
  }
}

TEST(EffectiveWeights, RefreshedInPlaceEqualFreshOnesInTheSameStorage) {
  const Arch a{9, 6, 5, 4};
  Params before(a), after(a);
  test::randomize(before, 21);
  test::randomize(after, 22);
  EffectiveWeights e = effective_weights(before);
  const float* storage[3] = {e.layer[0].data(), e.layer[1].data(), e.layer[2].data()};
  effective_weights(after, &e);
  const EffectiveWeights fresh = effective_weights(after);
  for (size_t l = 0; l < 3; ++l) {
    EXPECT_TRUE(e.layer[l] == fresh.layer[l]) << "layer " << l + 1;
    EXPECT_EQ(e.layer[l].data(), storage[l]) << "layer " << l + 1 << " was reallocated";
  }
}

TEST(DatasetStats, FeaturesEqualANaiveActivationWeightedAverage) {
  Params p;
  init_params(p, 8);
  p.b1.setConstant(0.05f);  // keep most neurons alive on random images
  Dataset d = test::random_dataset(300, 3);
  DatasetStats s = dataset_stats(p, d);
  Workspace ws(Arch{}, 1);
  std::vector<float> x(kPixels), probs(10);
  // Naive: one image at a time, accumulate a_n(x) * x and a_n(x) for a few neurons of every layer.
  const NeuronId neurons[] = {{1, 0}, {1, 63}, {2, 5}, {2, 40}, {3, 0}, {3, 9}};
  for (NeuronId n : neurons) {
    std::vector<double> acc(kPixels, 0.0);
    double total = 0;
    for (size_t i = 0; i < d.size(); ++i) {
      for (int k = 0; k < kPixels; ++k) x[size_t(k)] = d.image(i)[k] / 255.0f;
      predict_one(p, ws, x.data(), probs.data());
      float act = n.layer == 1 ? ws.a1(n.index, 0) : n.layer == 2 ? ws.a2(n.index, 0) : ws.probs(n.index, 0);
      total += act;
      for (int k = 0; k < kPixels; ++k) acc[size_t(k)] += double(act) * x[size_t(k)];
    }
    ASSERT_GT(total, 0) << neuron_name(n);
    EXPECT_NEAR(s.weight[size_t(n.layer - 1)](n.index), total, 1e-3 * total);
    for (int k = 0; k < kPixels; ++k) {
      EXPECT_NEAR(s.feature_image(n)[k], acc[size_t(k)] / total, 1e-4) << neuron_name(n) << " pixel " << k;
    }
  }
}

TEST(DatasetStats, BuiltInSlicesEqualsOnePass) {
  Params p(Arch{});
  test::randomize(p, 5, 0.1f);
  Dataset d = test::random_dataset(613, 4);
  DatasetStats whole = dataset_stats(p, d, 600);
  DatasetStatsBuilder b;
  b.begin(p, d, 600);
  test::randomize(p, 6, 0.1f);  // training moves on meanwhile: the builder works from its own copy
  int slices = 0;
  while (!b.step(97)) ++slices;
  const int per_step = (97 + DatasetStatsBuilder::kBatch - 1) / DatasetStatsBuilder::kBatch *
                       DatasetStatsBuilder::kBatch;  // whole batches: at least 97 images a step
  EXPECT_EQ(slices, (600 + per_step - 1) / per_step - 1) << "600 images, " << per_step << " a step";
  DatasetStats parts;
  b.take(&parts);
  ASSERT_EQ(parts.count, whole.count);
  for (int l = 0; l < 3; ++l) {
    // The same batches in the same order, however the pass was sliced: the same sums, bit for bit.
    EXPECT_EQ(parts.act[size_t(l)], whole.act[size_t(l)]) << "layer " << l + 1;
    EXPECT_EQ(parts.feature[size_t(l)], whole.feature[size_t(l)]) << "layer " << l + 1;
  }
  EXPECT_EQ(parts.predicted, whole.predicted);
}

TEST(Sparsity, CountsAgainstEachNeuronsOwnMaximum) {
  DatasetStats s;
  s.count = 3;
  s.act[0] = Mat(2, 3);
  s.act[1] = Mat(1, 3);
  s.act[2] = Mat::Zero(1, 3);
  // neuron 0 max 10: image 0 strong (10), image 1 mild (2), image 2 off (0.5 < 1)
  // neuron 1 max 1:  image 0 mild (0.3), image 1 strong (1), image 2 strong (0.5)
  // neuron 2 never fires
  s.act[0] << 10, 2, 0.5, 0.3, 1, 0.5;
  s.act[1] << 0, 0, 0;
  Sparsity sp = sparsity(s);
  EXPECT_EQ(sp.strong, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(sp.mild, (std::vector<int>{1, 1, 0}));
  EXPECT_EQ(sp.dead, 1);
  EXPECT_EQ(sp.hidden, 3);
  EXPECT_DOUBLE_EQ(sp.mean_mild, 2.0 / 3.0);
  EXPECT_EQ(sp.active_histogram[2], 2);
  EXPECT_EQ(sp.active_histogram[1], 1);
}

TEST(Sparsity, EqualsANaiveNeuronByNeuronCountOnRandomActivations) {
  DatasetStats s;
  s.count = 257;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int l = 0; l < 3; ++l) {
    s.act[l] = Mat(l == 2 ? 10 : 64, Eigen::Index(s.count));
    for (Eigen::Index k = 0; k < s.act[l].size(); ++k) s.act[l].data()[k] = std::max(0.0f, u(rng));
  }
  s.act[0].row(3).setZero();  // a dead neuron
  const Sparsity sp = sparsity(s);
  std::vector<int> strong(s.count, 0), mild(s.count, 0);
  int dead = 0;
  long long zeros = 0;
  for (int l = 0; l < 2; ++l) {
    for (Eigen::Index i = 0; i < s.act[l].rows(); ++i) {
      const float mx = s.act[l].row(i).maxCoeff();
      dead += mx <= 0;
      for (size_t j = 0; j < s.count; ++j) {
        const float v = s.act[l](i, Eigen::Index(j));
        zeros += mx <= 0 || v == 0.0f;
        if (mx <= 0) continue;
        strong[j] += v >= kStrongFraction * mx;
        mild[j] += v < kStrongFraction * mx && v >= kMildFraction * mx;
      }
    }
  }
  EXPECT_EQ(sp.strong, strong);
  EXPECT_EQ(sp.mild, mild);
  EXPECT_EQ(sp.dead, 1);
  EXPECT_EQ(dead, 1);
  EXPECT_DOUBLE_EQ(sp.mean_zero, double(zeros) / double(s.count));
}

// A hand-built network where the answer is known: output 0 reads pixel A, output 1 reads pixel B (through
// identity hidden layers). Image: pixel A = 0.5, pixel B = 0. The output-1 pattern is exactly pixel B, so
// the blend sets B = alpha and the prediction flips to 1 just above alpha = 0.5.
struct TwoPixelNet {
  static constexpr int kA = 100, kB = 500;
  Arch arch{784, 2, 2, 2};
  Params p{arch};
  std::vector<float> x = std::vector<float>(784, 0.0f);
  TwoPixelNet() {
    p.w1(0, kA) = 1;
    p.w1(1, kB) = 1;
    p.w2 << 1, 0, 0, 1;
    p.w3 << 1, 0, 0, 1;
    x[kA] = 0.5f;
  }
};

TEST(OverlayAttack, FindsTheKnownFlipPointOnAHandBuiltNetwork) {
  TwoPixelNet net;
  EffectiveWeights e = effective_weights(net.p);
  std::vector<float> unit = unit_pattern(e.pattern({3, 1}), 784);
  EXPECT_EQ(unit[TwoPixelNet::kB], 1.0f);
  Workspace ws(net.arch, 1);
  FlipResult r = find_flip(net.p, ws, net.x.data(), unit.data(), 1, OverlaySettings{});
  ASSERT_TRUE(r.flipped);
  EXPECT_EQ(r.source_prediction, 0);
  EXPECT_NEAR(r.alpha, 0.5f, 2e-4f);
  EXPECT_NEAR(r.target_confidence, 0.5f, 1e-3f);
  EXPECT_NEAR(r.l2, 0.5f, 2e-4f);
  EXPECT_NEAR(r.linf, 0.5f, 2e-4f);
}

TEST(OverlayAttack, ClippingCanMakeTheFlipImpossible) {
  TwoPixelNet net;
  net.x[TwoPixelNet::kA] = 1.0f;  // pixel B would need alpha > 1, but clipping caps it at 1
  EffectiveWeights e = effective_weights(net.p);
  std::vector<float> unit = unit_pattern(e.pattern({3, 1}), 784);
  Workspace ws(net.arch, 1);
  EXPECT_FALSE(find_flip(net.p, ws, net.x.data(), unit.data(), 1, OverlaySettings{}).flipped);
  OverlaySettings unclipped;
  unclipped.clip = false;
  FlipResult r = find_flip(net.p, ws, net.x.data(), unit.data(), 1, unclipped);
  ASSERT_TRUE(r.flipped);
  EXPECT_NEAR(r.alpha, 1.0f, 2e-4f);
}

TEST(OverlayAttack, FlipRateCountsOnlyCorrectlyClassifiedImagesOfTheDigit) {
  TwoPixelNet net;
  Dataset d;
  // Three images labelled 0 (pixel A lit at 0.2, 0.6, 1.0), one labelled 1 (must be ignored).
  for (float a : {0.2f, 0.6f, 1.0f, 0.0f}) {
    std::vector<uint8_t> img(784, 0);
    img[TwoPixelNet::kA] = uint8_t(a * 255);
    if (a == 0.0f) img[TwoPixelNet::kB] = 255;
    d.images.insert(d.images.end(), img.begin(), img.end());
    d.labels.push_back(a == 0.0f ? 1 : 0);
  }
  std::vector<float> unit(784, 0.0f);
  unit[TwoPixelNet::kB] = 1;
  FlipRate r = flip_rate(net.p, d, 0, 1, unit.data(), 0.7f, true);
  EXPECT_EQ(r.count, 3);
  EXPECT_EQ(r.flipped, 2);  // 0.2 and 0.6 are overtaken by B = 0.7; 1.0 is not
}

TEST(Overlay, ClipsToTheUnitInterval) {
  float x[3] = {0.1f, 0.9f, 0.5f}, u[3] = {-1, 1, 0.5f}, out[3];
  overlay(out, x, u, 0.5f, true, 3);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[1], 1.0f);
  EXPECT_FLOAT_EQ(out[2], 0.75f);
  overlay(out, x, u, 0.5f, false, 3);
  EXPECT_FLOAT_EQ(out[0], -0.4f);
}

}  // namespace
}  // namespace bs
