#include "core/analysis/subspace.h"

#include <gtest/gtest.h>

#include <Eigen/SVD>
#include <cmath>

#include "tests/core/mnist_data.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

// 60 images that live in a 5-dimensional affine subspace (plus rounding to bytes), and a few never-lit
// pixels.
Dataset low_rank_dataset() {
  Pcg32 rng(11);
  Eigen::MatrixXf basis(5, kPixels);
  for (int i = 0; i < basis.size(); ++i) basis.data()[i] = rng.uniform01();
  Dataset d;
  for (int n = 0; n < 60; ++n) {
    Eigen::VectorXf w(5);
    for (int j = 0; j < 5; ++j) w[j] = rng.uniform01() * (1.0f + float(j));
    Eigen::VectorXf img = basis.transpose() * w / 15.0f;
    for (int i = 0; i < kPixels; ++i) {
      const bool dark = i % 97 == 0;  // 9 pixels never lit
      d.images.push_back(dark ? 0 : uint8_t(std::min(255.0f, 255.0f * img[i])));
    }
    d.labels.push_back(uint8_t(n % 10));
  }
  d.declared = 60;
  return d;
}

// The projection onto the top-k right singular vectors of the centred data matrix, by brute force.
Eigen::MatrixXd brute_force_projection(const Dataset& d, int k, Eigen::VectorXd* variances) {
  Eigen::MatrixXd x(d.size(), kPixels);
  for (size_t n = 0; n < d.size(); ++n) {
    for (int i = 0; i < kPixels; ++i) x(Eigen::Index(n), i) = d.image(n)[i] / 255.0;
  }
  x.rowwise() -= x.colwise().mean();
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(x, Eigen::ComputeThinV);
  *variances = svd.singularValues().array().square() / double(d.size());
  Eigen::MatrixXd v = svd.matrixV().leftCols(k);
  return v * v.transpose();
}

}  // namespace

TEST(Subspace, PrincipalDirectionsMatchABruteForceSvd) {
  Dataset d = low_rank_dataset();
  Subspace s = data_subspace(d);
  Eigen::VectorXd svd_var;
  Eigen::MatrixXd p_ref = brute_force_projection(d, 5, &svd_var);
  for (int j = 0; j < 8; ++j) EXPECT_NEAR(s.variance[j], svd_var[j], 1e-4 * svd_var[0]) << "direction " << j;
  Eigen::MatrixXd b = s.basis.topRows(5).cast<double>();
  EXPECT_LT((b.transpose() * b - p_ref).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_GT(s.explained(5), 0.999);
}

TEST(Subspace, SplitSpanProjectsLikeTheBruteForceProjection) {
  Dataset d = low_rank_dataset();
  Subspace s = data_subspace(d);
  Eigen::VectorXd ignored;
  Eigen::MatrixXd p_ref = brute_force_projection(d, 3, &ignored);
  Pcg32 rng(5);
  std::vector<float> w(kPixels), in(kPixels), off(kPixels);
  for (float& v : w) v = rng.uniform01() - 0.5f;
  split_span(s, 3, w.data(), in.data(), off.data());
  Eigen::VectorXd expected = p_ref * Eigen::Map<Eigen::VectorXf>(w.data(), kPixels).cast<double>();
  for (int i = 0; i < kPixels; ++i) {
    ASSERT_NEAR(in[size_t(i)], expected[i], 1e-4);
    ASSERT_NEAR(in[size_t(i)] + off[size_t(i)], w[size_t(i)], 1e-6);
  }
}

TEST(Subspace, NeverLitPixelsAreThoseZeroInEveryImage) {
  Subspace s = data_subspace(low_rank_dataset());
  EXPECT_EQ(s.never_lit_count(), 9);
  for (int i = 0; i < kPixels; ++i) EXPECT_EQ(s.never_lit[size_t(i)], i % 97 == 0) << "pixel " << i;
}

TEST(Subspace, BuiltInSlicesEqualsOnePass) {
  Dataset d = test::head(test::mnist(Split::kTrain), 1000);
  Subspace whole = data_subspace(d);
  SubspaceBuilder b;
  b.begin(1000);
  int steps = 0;
  while (!b.step(d, 77)) ++steps;
  Subspace sliced = b.finish();
  EXPECT_EQ(steps, 12);
  // Different chunkings round the float partial sums differently, nothing more.
  EXPECT_LT((whole.variance - sliced.variance).cwiseAbs().maxCoeff(), 1e-5 * whole.variance[0]);
}

TEST(Subspace, KForAFractionIsTheSmallestKHoldingIt) {
  Subspace s = data_subspace(test::head(test::mnist(Split::kTrain), 5000));
  const int k = s.k_for(0.95);
  EXPECT_GE(s.explained(k), 0.95);
  EXPECT_LT(s.explained(k - 1), 0.95);
  std::printf("5,000 MNIST images: %d directions hold 95%% of the variance; %d pixels never lit\n", k,
              s.never_lit_count());
  EXPECT_GT(k, 100);
  EXPECT_LT(k, 250);
}

TEST(SpanReport, OffSpanShareOfRandomInitialWeightsMatchesTheory) {
  // Random weights have no preferred direction: in expectation a fraction (784 - k) / 784 of their energy is
  // outside any k-dimensional subspace.
  Subspace s = data_subspace(test::head(test::mnist(Split::kTrain), 5000));
  Model m = make_model(Arch{}, 3);
  SpanCoefficients c = span_coefficients(s, effective_weights(m.init));
  for (int k : {50, 152, 400}) {
    SpanReport r = span_report(s, k, c, c);
    const double theory = double(kPixels - k) / kPixels;
    EXPECT_NEAR(r.layers[0].off_share * r.layers[0].off_share, theory, 0.03) << "k = " << k;
    double mean = 0;
    for (const SpanSplit& n : r.neurons[0]) mean += n.off_share * n.off_share;
    EXPECT_NEAR(mean / 64, theory, 0.03) << "k = " << k;
    EXPECT_EQ(r.layers[0].off_drift, 0.0);  // nothing trained yet
  }
}

TEST(SpanReport, CoefficientsGiveTheNormsOfTheExplicitSplit) {
  Subspace s = data_subspace(test::head(test::mnist(Split::kTrain), 2000));
  Params p;
  test::randomize(p, 4, 0.1f);
  EffectiveWeights e = effective_weights(p);
  SpanReport r =
      span_report(s, 120, span_coefficients(s, e), span_coefficients(s, effective_weights(Params{})));
  for (NeuronId n : {NeuronId{1, 3}, NeuronId{2, 40}, NeuronId{3, 0}}) {
    std::vector<float> in(kPixels), off(kPixels);
    split_span(s, 120, e.pattern(n), in.data(), off.data());
    const SpanSplit& sp = r.neurons[n.layer - 1][size_t(n.index)];
    EXPECT_NEAR(sp.in_norm, Eigen::Map<Eigen::VectorXf>(in.data(), kPixels).norm(), 1e-4 * sp.norm);
    EXPECT_NEAR(sp.off_norm, Eigen::Map<Eigen::VectorXf>(off.data(), kPixels).norm(), 1e-4 * sp.norm);
  }
}

TEST(SpanReport, TrainingChangesLayerOneAlmostOnlyInsideTheSpan) {
  const Model& m = test::small_trained_model();
  Subspace s = data_subspace(test::head(test::mnist(Split::kTrain), 20000));
  const int k = s.k_for(0.95);
  SpanReport r = span_report(s, k, span_coefficients(s, effective_weights(m.params)),
                             span_coefficients(s, effective_weights(m.init)));
  std::printf(
      "k = %d: layer 1 change in span %.3f, init in span %.3f, off-span drift %.3f; never-lit change %g\n", k,
      r.layers[0].change_in_share, std::sqrt(1 - r.layers[0].init_off_share * r.layers[0].init_off_share),
      r.layers[0].off_drift, never_lit_max_change(s, m.params, m.init));
  EXPECT_GT(r.layers[0].change_in_share, 0.9);
  EXPECT_LT(r.layers[0].off_drift, 0.3);
  // The default recipe has momentum but no weight decay: never-lit weights still get exactly zero gradient.
  EXPECT_EQ(never_lit_max_change(s, m.params, m.init), 0.0);
}

}  // namespace bs
