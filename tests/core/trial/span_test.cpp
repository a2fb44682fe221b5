// Experiment a's instruments (src/core/trial: span shares, attacks restricted to a subspace, the minimal
// perturbations' report), each checked against a brute-force or exact reference, and its job in frame slices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/analysis/subspace.h"
#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/trial/features.h"
#include "core/trial/minimal_span.h"
#include "core/trial/optimizers.h"
#include "core/trial/recipe.h"
#include "core/trial/span_shares.h"
#include "core/trial/tangent.h"
#include "core/trial/thin_book.h"
#include "core/trial/transfer.h"
#include "core/util/rng.h"
#include "tests/core/mnist_data.h"
#include "tests/core/trial/trial_data.h"

namespace bs {
namespace {

using namespace test_trial;

TEST(Trial, SpanSharesSumToOneAndMatchExplicitProjections) {
  const Subspace& s = head_subspace();
  const int k = 50;
  const Eigen::VectorXf d = random_vector(3);
  const SpanShares sh = span_shares(s, k, d.data());
  EXPECT_NEAR(sh.top_k + sh.rest + sh.never_lit, 1.0, 1e-6);
  Eigen::VectorXf in(kPixels);
  split_span(s, k, d.data(), in.data(), nullptr);
  EXPECT_NEAR(sh.top_k, in.squaredNorm() / d.squaredNorm(), 1e-5);
  double dark = 0;
  for (int p = 0; p < kPixels; ++p)
    if (s.never_lit[size_t(p)]) dark += d[p] * d[p];
  EXPECT_NEAR(sh.never_lit, dark / d.squaredNorm(), 1e-6);
  EXPECT_GT(s.never_lit_count(), 0) << "5,000 MNIST images leave some border pixels dark";
}

TEST(Trial, RandomDirectionSharesAreTheAverageOverRandomDirections) {
  const Subspace& s = head_subspace();
  const int k = 154;
  SpanShares mean;
  const int n = 400;
  for (int i = 0; i < n; ++i) {
    const Eigen::VectorXf d = random_vector(100 + uint64_t(i));
    const SpanShares sh = span_shares(s, k, d.data());
    mean.top_k += sh.top_k / n;
    mean.never_lit += sh.never_lit / n;
  }
  const SpanShares want = random_direction_shares(s, k);
  EXPECT_NEAR(mean.top_k, want.top_k, 0.01);
  EXPECT_NEAR(mean.never_lit, want.never_lit, 0.01);
}

TEST(Trial, EnergyCurveClimbsToOneAndStepsAtAPrincipalDirection) {
  const Subspace& s = head_subspace();
  std::vector<double> curve(kPixels, 0.0);
  const Eigen::VectorXf d = random_vector(5);
  add_energy_curve(s, d.data(), curve.data());
  for (int k = 1; k < kPixels; ++k) EXPECT_GE(curve[size_t(k)], curve[size_t(k - 1)] - 1e-12);
  EXPECT_NEAR(curve[kPixels - 1], 1.0, 1e-5) << "the whole basis holds all the energy";
  EXPECT_NEAR(curve[49], span_shares(s, 50, d.data()).top_k, 1e-6);
  // The 7th principal direction itself: nothing in the top 6, everything from the top 7 on.
  std::vector<double> step(kPixels, 0.0);
  const Eigen::VectorXf row = s.basis.row(6).transpose();
  add_energy_curve(s, row.data(), step.data());
  EXPECT_NEAR(step[5], 0.0, 1e-6);
  EXPECT_NEAR(step[6], 1.0, 1e-5);
  std::vector<double> none(kPixels, 0.0);
  const Eigen::VectorXf zero = Eigen::VectorXf::Zero(kPixels);
  add_energy_curve(s, zero.data(), none.data());
  EXPECT_EQ(none, std::vector<double>(kPixels, 0.0)) << "a zero perturbation adds nothing";
}

TEST(Trial, RestrictedPgdStaysInItsSubspace) {
  const Params& p = test::small_trained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  const std::vector<uint32_t> idx = first_correct_images(p, test, 20);
  const Mat x = dataset_columns(test, idx);
  const std::vector<Goal> goals = dataset_goals(test, idx);
  const Subspace& s = head_subspace();
  const int k = 100;
  const MatRM top = s.basis.topRows(k);
  for (int mode = 0; mode < 4; ++mode) {
    // Per image (a function) and shared (a matrix projected in whole batches), each onto the span and off it.
    const bool complement = mode % 2 == 1;
    PgdSettings pgd;
    pgd.norm = Norm::kL2;
    pgd.restarts = 2;
    if (mode < 2) {
      pgd.restrict_to = [&](uint32_t, float* v) { project_onto_rows(top, v, complement); };
    } else {
      pgd.restrict_rows = &top;
      pgd.restrict_complement = complement;
    }
    const AttackRun run = pgd_attack(p, x, goals, std::vector<float>(idx.size(), 4.0f), pgd);
    EXPECT_GT(run.found(), int(idx.size()) / 2) << (complement ? "off-span" : "in-span");
    for (size_t i = 0; i < idx.size(); ++i) {
      if (!run.success[i]) continue;
      Eigen::VectorXf d = run.adversarial.col(long(i)) - x.col(long(i));
      const float norm = d.norm();
      project_onto_rows(top, d.data(), !complement);  // what lies outside the allowed subspace
      EXPECT_LT(d.norm(), 0.1f * norm) << "image " << i << (complement ? " off-span" : " in-span");
      EXPECT_NE(run.prediction[i], goals[i].label);
    }
  }
}

TEST(Trial, UnrestrictingProjectionChangesNothing) {
  const Params& p = test::small_trained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  const std::vector<uint32_t> idx = first_correct_images(p, test, 10);
  const Mat x = dataset_columns(test, idx);
  const std::vector<Goal> goals = dataset_goals(test, idx);
  PgdSettings free;
  free.norm = Norm::kL2;
  PgdSettings whole = free;
  whole.restrict_to = [](uint32_t, float*) {};  // the whole space: projection is the identity
  const std::vector<float> eps(idx.size(), 1.0f);
  const AttackRun a = pgd_attack(p, x, goals, eps, free), b = pgd_attack(p, x, goals, eps, whole);
  EXPECT_EQ(a.success, b.success);
  EXPECT_TRUE(a.adversarial.isApprox(b.adversarial));
  // The same through the batched path: the complement of no direction at all.
  const MatRM none(0, kPixels);
  PgdSettings shared = free;
  shared.restrict_rows = &none;
  shared.restrict_complement = true;
  const AttackRun c = pgd_attack(p, x, goals, eps, shared);
  EXPECT_EQ(a.success, c.success);
  EXPECT_TRUE(a.adversarial.isApprox(c.adversarial));
}

TEST(Trial, MinimalSpanReportsEveryImageAndItsPerturbationFlipsIt) {
  const Params& p = test::small_trained_model().params;
  MinimalSpanSettings s;
  s.images = 12;
  s.attack.steps = 10;
  s.attack.restarts = 1;
  const MinimalSpanReport rep =
      minimal_span(p, test::train_head(), test::mnist(Split::kTest), head_subspace(), s);
  ASSERT_EQ(rep.images.size(), 12u);
  EXPECT_EQ(rep.k, head_subspace().k_for(0.95));
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(10);
  for (size_t i = 0; i < rep.images.size(); ++i) {
    const MinimalSpanImage& im = rep.images[i];
    ASSERT_TRUE(std::isfinite(im.radius));
    std::vector<float> adv = test::mnist(Split::kTest).image_floats(im.index);
    for (int k = 0; k < kPixels; ++k) adv[size_t(k)] += rep.perturbations(k, long(i));
    EXPECT_NE(predict_one(p, ws, adv.data(), probs.data()), im.label);
    EXPECT_NEAR(rep.perturbations.col(long(i)).norm(), im.radius, 1e-4f);
    EXPECT_NEAR(im.shares.top_k + im.shares.rest + im.shares.never_lit, 1.0, 1e-5);
    EXPECT_GE(im.complement_radius, 0.0f);
    EXPECT_LE(im.tangent_rank, s.tangent_dims);
    EXPECT_LE(im.wide_tangent_rank, s.wide_tangent_dims);
    EXPECT_GT(im.wide_tangent_rank, im.tangent_rank);
    // The wide space's top directions are the narrow one's: it holds at least as much of the perturbation.
    EXPECT_GE(im.wide_tangent_share, im.tangent_share - 1e-5);
    EXPECT_GE(im.wide_complement_radius, 0.0f);
    // The class reached is the one the perturbed image is read as, and the directions it is compared with.
    EXPECT_EQ(im.reached, predict_one(p, ws, adv.data(), probs.data()));
    EXPECT_GE(im.gradient_cosine, -1.0);
    EXPECT_LE(im.gradient_cosine, 1.0);
    EXPECT_GT(im.gradient_cosine, 0.0) << "a minimal flip goes with the gradient to the class it reaches";
    EXPECT_GE(im.mean_angle_deg, 0.0);
    EXPECT_LE(im.mean_angle_deg, 180.0);
  }
}

TEST(Trial, SpanMeasuresLeaveOutImagesWithoutAFlipAndCountThem) {
  MinimalSpanReport r;
  r.mean_tangent_share = 0.07;
  for (int i = 0; i < 5; ++i) {
    MinimalSpanImage im;
    im.reached = i == 4 ? -1 : 3;
    im.shares.top_k = 0.5 + 0.1 * i;
    im.gradient_cosine = 0.2 * i;
    im.mean_angle_deg = 60 + i;
    r.images.push_back(im);
  }
  r.tangent_dims = 10;
  r.wide_tangent_dims = 40;
  for (size_t i = 0; i < r.images.size(); ++i) {
    r.images[i].radius = 1.0f + float(i);
    r.images[i].complement_radius = 1.1f + float(i);
    r.images[i].wide_complement_radius = 2.0f + float(i);
    r.images[i].tangent_share = 0.1;
    r.images[i].wide_tangent_share = 0.3;
  }
  const SeedMeasures m = span_measures(r, 4);
  // Reported, not judged: the radius kept out of each tangent space over the free one (medians: 4.0 / 3.0 for
  // the wide one), and each space's share.
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("a.tangent_complement_ratio.40")), 4.0 / 3.0);
  EXPECT_NEAR(seed_statistic(m.quantities.at("a.tangent_complement_ratio.10")), 3.1 / 3.0, 1e-6);
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("a.tangent_share.40")), 0.3);
  EXPECT_EQ(m.quantities.at("a.tangent_share.10").left_out, 1);
  EXPECT_EQ(m.quantities.at("a.top_k_share").columns[0].size(), 4u);
  EXPECT_EQ(m.quantities.at("a.top_k_share").left_out, 1);
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("a.top_k_share")), 0.65);
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("a.gradient_cosine")), 0.4);  // the upper middle of four
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("a.tilt_angle")), 62);
  EXPECT_EQ(m.checks.at("a.tangent_holds_energy"), 0.07);
}

// The page runs each experiment as a job in small frame slices; the CLI runs it in one call. Both must
// compute the same thing, so the page's figures are the CLI's for the same settings.
TEST(TrialJobs, MinimalSpanInFrameSlicesEqualsOneCall) {
  const Params& p = test::small_trained_model().params;
  MinimalSpanSettings s;
  s.images = 5;
  s.attack.steps = 8;
  s.attack.restarts = 1;
  const Dataset& test_set = test::mnist(Split::kTest);
  const MinimalSpanReport whole = minimal_span(p, test::train_head(), test_set, head_subspace(), s);
  MinimalSpanJob job(p, test::train_head(), test_set, head_subspace(), s, Slicing::frame());
  int calls = 0;
  for (; !job.done(); ++calls) job.step();
  EXPECT_GT(calls, 3) << "cut into several units";
  const MinimalSpanReport& sliced = job.report();
  ASSERT_EQ(sliced.images.size(), whole.images.size());
  // The slices run fewer columns at a time, and the wide kernels pick their blocking (and so their order of
  // summation) by the number of columns: the same image's sums may round differently in the last bits. So the
  // radii agree to two parts in a million, and the shares to float precision.
  const auto close = [](float a, float b) {
    return std::fabs(a - b) <= 2e-6f * std::max(1.0f, std::fabs(b));
  };
  for (size_t i = 0; i < whole.images.size(); ++i) {
    EXPECT_EQ(sliced.images[i].index, whole.images[i].index);
    EXPECT_PRED2(close, sliced.images[i].radius, whole.images[i].radius);
    EXPECT_PRED2(close, sliced.images[i].complement_radius, whole.images[i].complement_radius);
    EXPECT_PRED2(close, sliced.images[i].linear_radius, whole.images[i].linear_radius);
  }
  EXPECT_NEAR(sliced.mean_shares.top_k, whole.mean_shares.top_k, 1e-6);
  EXPECT_NEAR(sliced.mean_tangent_share, whole.mean_tangent_share, 1e-6);
  for (size_t i = 0; i < whole.images.size(); ++i)
    EXPECT_PRED2(close, sliced.images[i].wide_complement_radius, whole.images[i].wide_complement_radius);
  ASSERT_EQ(sliced.energy_curve.size(), size_t(kPixels));
  for (int k = 0; k < kPixels; k += 50)
    EXPECT_NEAR(sliced.energy_curve[size_t(k)], whole.energy_curve[size_t(k)], 1e-6);
}

// The linear estimate is the margin over the norm of the margin's input gradient; the gradient is checked
// against central finite differences of the logits.
TEST(TrialJobs, LinearRadiusIsTheMarginOverItsFiniteDifferenceGradientNorm) {
  const Params& p = test::small_trained_model().params;
  MinimalSpanSettings s;
  s.images = 2;
  s.attack.steps = 4;
  s.attack.restarts = 1;
  const Dataset& test_set = test::mnist(Split::kTest);
  const MinimalSpanReport rep = minimal_span(p, test::train_head(), test_set, head_subspace(), s);
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(kClasses);
  for (const MinimalSpanImage& im : rep.images) {
    std::vector<float> x = test_set.image_floats(im.index);
    auto margin = [&](const std::vector<float>& v, int* other) {
      ws.x.col(0) = Eigen::Map<const Vec>(v.data(), kPixels);
      forward(p, ws, 1, nullptr);
      float best = -INFINITY;
      for (int c = 0; c < kClasses; ++c)
        if (c != im.label && ws.logits(c, 0) > best) best = ws.logits(c, 0), *other = c;
      return double(ws.logits(im.label, 0) - best);
    };
    int runner_up = -1, o = -1;
    const double m = margin(x, &runner_up);
    double g2 = 0;
    const float h = 1e-3f;
    for (int k = 0; k < kPixels; ++k) {
      std::vector<float> up = x, down = x;
      up[size_t(k)] += h;
      down[size_t(k)] -= h;
      const double g = (margin(up, &o) - margin(down, &o)) / (2.0 * h);
      g2 += g * g;
    }
    EXPECT_NEAR(im.linear_radius, m / std::sqrt(g2), 2e-2 * m / std::sqrt(g2)) << "image " << im.index;
  }
}

}  // namespace
}  // namespace bs
