// The trial's measuring instruments (src/core/trial): perturbation shares against the global span, nearest
// neighbours and tangent spaces, and attacks restricted to a subspace — each checked against a brute-force or
// exact reference before any experiment relies on it.
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
#include "mnist_data.h"

namespace bs {
namespace {

const Subspace& head_subspace() {
  static Subspace s = data_subspace(test::train_head());
  return s;
}

Eigen::VectorXf random_vector(uint64_t seed) {
  Pcg32 rng(seed);
  Eigen::VectorXf v(kPixels);
  for (int k = 0; k < kPixels; ++k) v[k] = rng.normal_portable();
  return v;
}

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
  }
}

TEST(Trial, PatternCosineOfAModelWithItselfIsOneInBothParts) {
  const Params& p = test::small_trained_model().params;
  const CosinePoint c = pattern_cosine(p, p, head_subspace(), 100);
  EXPECT_NEAR(c.in_span, 1.0, 1e-5);
  EXPECT_NEAR(c.off_span, 1.0, 1e-5);
}

// The transfer experiment trains A exactly as the recipe does, tracks the cosine from step 0 to the end, and
// reports every direction's share on both models.
TEST(Trial, TransferTrainsTheRecipesModelsAndReportsEveryDirection) {
  const Dataset& train = test::train_head();
  TransferSettings s;
  s.epochs = 1;
  s.max_images = 40;
  s.attack.steps = 10;
  s.attack.restarts = 1;
  const TransferReport r = transfer_experiment(train, test::mnist(Split::kTest), head_subspace(), 5, 6, s);
  const Model a = train_recipe(train, 5, 1);
  EXPECT_TRUE(r.a.params.w1 == a.params.w1) << "A is the recipe's model for its seed";
  EXPECT_FALSE(r.b.params.w1 == a.params.w1);
  ASSERT_GE(r.cosine.size(), 2u);
  EXPECT_EQ(r.cosine.front().step, 0);
  const long steps_per_epoch = long((train.size() + 31) / 32);
  EXPECT_NEAR(double(r.cosine.back().step), double(steps_per_epoch), 1.0);
  ASSERT_EQ(r.directions.size(), 5u);
  const char* names[] = {"full", "in_span", "off_span", "pgd", "fgsm"};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.directions[i].name, names[i]);
    EXPECT_GE(r.directions[i].on_a, 0.0);
    EXPECT_LE(r.directions[i].on_b, 1.0);
  }
  EXPECT_GT(r.count_a, 30);
  // 1.5 times the minimal targeted perturbation on A flips (nearly) every 7 that A gets right.
  EXPECT_GE(r.directions[3].on_a, 0.95);
}

TEST(Trial, AffineSpanBasisIsOrthonormalAndHoldsTheMeanImage) {
  const Subspace& s = head_subspace();
  const MatRM q = affine_span_basis(s, 20);
  ASSERT_EQ(q.rows(), 21);
  EXPECT_TRUE((q * q.transpose()).isApprox(MatRM::Identity(21, 21), 1e-4f));
  const Eigen::VectorXf m = s.mean.cast<float>();
  EXPECT_LT((m - q.transpose() * (q * m)).norm(), 1e-4f * m.norm());
}

// Trained on projected images, the model's W1 changes only inside span(top d, mean): the off-span part of its
// weights is exactly the initialisation's (up to float rounding).
TEST(Trial, ThinBookTrainingLeavesTheOffSpanWeightsAtTheirInitialValues) {
  ThinBookSettings s;
  s.dims = {10};
  s.init_scales = {1.0f};
  s.epochs = 1;
  s.images = 4;
  s.attack.steps = 5;
  s.attack.restarts = 1;
  const std::vector<ThinBookRun> runs =
      thin_book(test::train_head(), test::mnist(Split::kTest), head_subspace(), 3, s);
  ASSERT_EQ(runs.size(), 1u);
  const ThinBookRun& r = runs[0];
  EXPECT_LT(r.off_change, 1e-4);
  EXPECT_GT(r.off_share, 0.3) << "the initial weights' off-span part is still there";
  EXPECT_GT(r.init_off_share, 0.9);
  EXPECT_GT(r.accuracy_projected, 0.5);
  // The same training on the raw images changes W1 off that span too: the check can fail.
  TrainConfig cfg = default_train_config();
  Model raw = make_model(Arch{}, 3);
  Trainer t(cfg, Arch{});
  t.train_steps(raw.params, test::train_head(), 100);
  const MatRM q = affine_span_basis(head_subspace(), 10);
  const MatRM change = raw.params.w1 - raw.init.w1;
  const MatRM off = change - (change * q.transpose()) * q;
  EXPECT_GT(off.norm(), 0.1f * change.norm());
}

TEST(Trial, OffSpanDriftIsZeroBeforeTrainingAndPositiveAfter) {
  const Model fresh = make_model(Arch{}, 9);
  EXPECT_EQ(off_span_drift(fresh, head_subspace(), 50), 0.0);
  const Model trained = train_recipe(test::train_head(), 9, 1);
  EXPECT_GT(off_span_drift(trained, head_subspace(), 50), 0.0);
}

TEST(Trial, OptimizersExperimentTrainsAdamFromTheSameSeedAndMeasuresBothWays) {
  TransferSettings s;
  s.epochs = 1;
  s.max_images = 20;
  s.attack.steps = 5;
  s.attack.restarts = 1;
  const Model sgd = train_recipe(test::train_head(), 4, 1);
  const OptimizersReport r =
      optimizers_experiment(sgd, test::train_head(), test::mnist(Split::kTest), head_subspace(), 4, 10, s);
  EXPECT_TRUE(r.adam.model.init.w1 == sgd.init.w1) << "the same initial weights";
  EXPECT_FALSE(r.adam.model.params.w1 == sgd.params.w1);
  EXPECT_GT(r.adam.accuracy, 0.8);
  EXPECT_GT(r.sgd.median_radius, 0.0f);
  ASSERT_EQ(r.sgd_to_adam.size(), 5u);
  ASSERT_EQ(r.adam_to_sgd.size(), 5u);
  EXPECT_EQ(r.sgd_to_adam[0].name, "full");
}

TEST(Trial, FeaturesExperimentRelabelsPushedImagesAndTrainsAFreshModelOnEachSet) {
  FeaturesSettings s;
  s.images = 300;
  s.steps = 10;
  s.epochs = 1;
  const Params& a = test::small_trained_model().params;
  const FeaturesReport r =
      features_experiment(a, test::train_head(), test::mnist(Split::kTest), head_subspace(), 7, s);
  ASSERT_EQ(r.variants.size(), 3u);
  EXPECT_EQ(r.variants[0].name, "pgd");
  EXPECT_EQ(r.variants[1].name, "off_span");
  EXPECT_EQ(r.variants[2].name, "control");
  EXPECT_EQ(r.images, 300u);
  // The free push reaches the new label far more often than no push at all.
  EXPECT_GT(r.variants[0].target_rate, r.variants[2].target_rate + 0.3);
  for (const FeaturesVariant& v : r.variants) {
    EXPECT_GE(v.clean_test_accuracy, 0.0);
    EXPECT_LE(v.clean_test_accuracy, 1.0);
    EXPECT_FALSE(v.model.params.w1 == v.model.init.w1) << v.name << " was trained";
  }
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

TEST(TrialJobs, TransferInFrameSlicesEqualsOneCall) {
  TransferSettings s;
  s.epochs = 1;
  s.max_images = 6;
  s.attack.steps = 5;
  s.attack.restarts = 1;
  const Dataset train = test::train_head().first(2000);
  const Dataset& test_set = test::mnist(Split::kTest);
  const TransferReport whole = transfer_experiment(train, test_set, head_subspace(), 5, 6, s);
  TransferJob job(train, test_set, head_subspace(), 5, 6, s, Slicing::frame());
  while (!job.done()) job.step();
  const TransferReport& sliced = job.report();
  EXPECT_TRUE(sliced.b.params.w1 == whole.b.params.w1);
  ASSERT_EQ(sliced.cosine.size(), whole.cosine.size());
  EXPECT_EQ(sliced.cosine.back().step, whole.cosine.back().step);
  ASSERT_EQ(sliced.directions.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(sliced.directions[i].on_a, whole.directions[i].on_a) << sliced.directions[i].name;
    EXPECT_EQ(sliced.directions[i].on_b, whole.directions[i].on_b) << sliced.directions[i].name;
  }
}

// With a fixed A (the page's model on view), only B trains, and the measurement uses A as given.
TEST(TrialJobs, TransferWithAFixedModelTrainsOnlyB) {
  TransferSettings s;
  s.epochs = 1;
  s.max_images = 4;
  s.attack.steps = 4;
  s.attack.restarts = 1;
  const Model& a = test::small_trained_model();
  const Dataset train = test::train_head().first(1000);
  TransferJob job(train, test::mnist(Split::kTest), head_subspace(), 1, 2, s, Slicing::frame(), &a);
  while (!job.done()) job.step();
  EXPECT_TRUE(job.report().a.params.w1 == a.params.w1);
  EXPECT_FALSE(job.report().b.params.w1 == job.report().b.init.w1);
  EXPECT_EQ(job.report().count_a, job.measure()->count_a());
}

TEST(TrialJobs, ThinBookOptimizersAndFeaturesInFrameSlicesEqualOneCall) {
  const Dataset train = test::train_head().first(1000);
  const Dataset& test_set = test::mnist(Split::kTest);
  ThinBookSettings tb;
  tb.dims = {10};
  tb.init_scales = {1.0f};
  tb.epochs = 1;
  tb.images = 3;
  tb.attack.steps = 4;
  tb.attack.restarts = 1;
  const std::vector<ThinBookRun> thin = thin_book(train, test_set, head_subspace(), 3, tb);
  ThinBookJob thin_job(train, test_set, head_subspace(), 3, tb, Slicing::frame());
  while (!thin_job.done()) thin_job.step();
  ASSERT_EQ(thin_job.runs().size(), 1u);
  EXPECT_TRUE(thin_job.runs()[0].model.params.w1 == thin[0].model.params.w1);
  EXPECT_EQ(thin_job.runs()[0].accuracy_raw, thin[0].accuracy_raw);
  EXPECT_NEAR(thin_job.runs()[0].accuracy_projected, thin[0].accuracy_projected, 1e-3);
  EXPECT_FLOAT_EQ(thin_job.runs()[0].radius_in, thin[0].radius_in);
  EXPECT_FLOAT_EQ(thin_job.runs()[0].radius_off, thin[0].radius_off);

  TransferSettings ts;
  ts.epochs = 1;
  ts.max_images = 4;
  ts.attack.steps = 4;
  ts.attack.restarts = 1;
  const Model sgd = train_recipe(train, 4, 1);
  const OptimizersReport opt = optimizers_experiment(sgd, train, test_set, head_subspace(), 4, 3, ts);
  OptimizersJob opt_job(sgd, train, test_set, head_subspace(), 4, 3, ts, Slicing::frame());
  while (!opt_job.done()) opt_job.step();
  EXPECT_TRUE(opt_job.report().adam.model.params.w1 == opt.adam.model.params.w1);
  EXPECT_EQ(opt_job.report().adam.accuracy, opt.adam.accuracy);
  EXPECT_FLOAT_EQ(opt_job.report().adam.median_radius, opt.adam.median_radius);
  EXPECT_EQ(opt_job.report().adam_to_sgd[3].on_a, opt.adam_to_sgd[3].on_a);

  FeaturesSettings fs;
  fs.images = 40;
  fs.steps = 4;
  fs.epochs = 1;
  const Params& a = test::small_trained_model().params;
  const FeaturesReport feat = features_experiment(a, train, test_set, head_subspace(), 7, fs);
  FeaturesJob feat_job(a, train, test_set, head_subspace(), 7, fs, Slicing::frame());
  while (!feat_job.done()) feat_job.step();
  ASSERT_EQ(feat_job.report().variants.size(), 3u);
  for (size_t v = 0; v < 3; ++v) {
    EXPECT_EQ(feat_job.report().variants[v].target_rate, feat.variants[v].target_rate);
    EXPECT_EQ(feat_job.report().variants[v].clean_test_accuracy, feat.variants[v].clean_test_accuracy);
  }
}

}  // namespace
}  // namespace bs
