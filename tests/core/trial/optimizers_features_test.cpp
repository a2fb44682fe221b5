// Experiments d (SGD against Adam) and e (bugs or features), and the thin book's, d's and e's jobs in frame
// slices.
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
  // Both models' radii are measured on the same images (the first both classify correctly), with the margin's
  // gradient norm beside each.
  ASSERT_EQ(r.sgd.radii.size(), 10u);
  ASSERT_EQ(r.adam.radii.size(), 10u);
  EXPECT_EQ(r.sgd.gradient_norms.size(), 10u);
  EXPECT_GT(r.sgd.lipschitz, 0);
  EXPECT_GT(r.adam.off_span_norm, 0);
  ASSERT_EQ(r.sgd_to_adam.size(), 5u);
  ASSERT_EQ(r.adam_to_sgd.size(), 5u);
  EXPECT_EQ(r.sgd_to_adam[0].name, "full");
}

TEST(Trial, FeaturesExperimentPushesUntilATheTargetAndTrainsAFreshModelOnEachSet) {
  FeaturesSettings s;
  s.images = 300;
  s.steps = 5;
  s.epochs = 1;
  s.keep_sets = true;
  const Params& a = test::small_trained_model().params;
  const Dataset& train = test::train_head();
  const FeaturesReport r = features_experiment(a, train, test::mnist(Split::kTest), head_subspace(), 7, s);
  ASSERT_EQ(r.variants.size(), size_t(kPushSets));
  for (int i = 0; i < kPushSets; ++i) EXPECT_EQ(r.variants[size_t(i)].name, push_set_name(PushSet(i)));
  Workspace ws(a.arch(), 1);
  std::vector<float> probs(10);
  for (const FeaturesVariant& v : r.variants) {
    const bool control = v.name.rfind("control", 0) == 0;
    ASSERT_EQ(v.set.size(), v.kept) << v.name;
    ASSERT_EQ(v.source_labels.size(), v.kept);
    EXPECT_EQ(v.attempted, control ? r.variants[v.name == "control_det" ? 0 : 1].kept : 300u) << v.name;
    EXPECT_DOUBLE_EQ(v.target_rate, double(v.kept) / double(v.attempted));
    EXPECT_EQ(v.test_images, 10000u);
    EXPECT_FALSE(v.model.params.w1 == v.model.init.w1) << v.name << " was trained";
    int reads_target = 0;
    for (size_t i = 0; i < v.set.size(); ++i) {
      EXPECT_NE(v.set.label(i), v.source_labels[i]) << "every set's label is another class";
      if (v.name.find("det") != std::string::npos) {
        EXPECT_EQ(v.set.label(i), (v.source_labels[i] + 1) % 10);
      }
      const std::vector<float> x = v.set.image_floats(i);
      reads_target += predict_one(a, ws, x.data(), probs.data()) == v.set.label(i);
    }
    // A pushed set keeps only what A reads as the target, judged on the stored bytes; A reads a control's
    // unpushed images as their own digit (but for the few it gets wrong).
    if (control) {
      EXPECT_LT(reads_target, int(v.kept) / 10 + 1) << v.name;
    } else {
      EXPECT_EQ(reads_target, int(v.kept)) << v.name;
    }
  }
  EXPECT_GT(r.variants[0].target_rate, 0.9) << "a radius of 8 pushes nearly every image across";
  EXPECT_GT(r.variants[2].median_push_l2, r.variants[0].median_push_l2) << "off the span the push is longer";
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
  ASSERT_EQ(feat_job.report().variants.size(), size_t(kPushSets));
  for (size_t v = 0; v < size_t(kPushSets); ++v) {
    EXPECT_EQ(feat_job.report().variants[v].kept, feat.variants[v].kept);
    EXPECT_EQ(feat_job.report().variants[v].median_push_l2, feat.variants[v].median_push_l2);
    EXPECT_EQ(feat_job.report().variants[v].clean_test_accuracy, feat.variants[v].clean_test_accuracy);
  }
}

TEST(Trial, OptimizerMeasuresPutTheModelWithMoreWeightOffTheSpanOnTop) {
  OptimizersReport r;
  r.sgd.off_span_norm = 10;
  r.adam.off_span_norm = 25;
  r.sgd.radii = {1.0, 1.2, 1.4};
  r.adam.radii = {0.5, 0.6, 0.7};
  const SeedMeasures m = optimizer_measures(r, 3);
  const Measure& ratio = m.quantities.at("d.radius_ratio");
  EXPECT_EQ(ratio.columns[0], r.adam.radii) << "Adam left more weight off the span: its radii are on top";
  EXPECT_DOUBLE_EQ(seed_statistic(ratio), 0.6 / 1.2);
  EXPECT_DOUBLE_EQ(m.checks.at("d.optimizers_differ"), 1.5);
  r.adam.off_span_norm = 5;
  EXPECT_EQ(optimizer_measures(r, 3).quantities.at("d.radius_ratio").columns[0], r.sgd.radii);
  EXPECT_EQ(m.quantities.count("d.transfer.pgd_equal_norm"), 0u) << "no per-image transfer figures: none";
}

TEST(Trial, OptimizerTransferIsJudgedByTheWeakerOfItsTwoWays) {
  OptimizersReport r;
  r.sgd.radii = r.adam.radii = {1, 1, 1, 1};
  for (int i = 0; i < 4; ++i) {
    TransferImage one, other;
    one.right_a = one.right_b = other.right_a = other.right_b = true;
    one.flip_a[2] = other.flip_a[2] = true;  // each model's own pgd flips every 7
    one.flip_b[2] = i < 3;                   // SGD's carries to Adam 3 of 4
    other.flip_b[2] = i < 1;                 // Adam's carries to SGD 1 of 4
    r.sgd_to_adam_images.push_back(one);
    r.adam_to_sgd_images.push_back(other);
  }
  EXPECT_DOUBLE_EQ(seed_statistic(optimizer_measures(r, 1).quantities.at("d.transfer.pgd_equal_norm")), 0.25);
}

}  // namespace
}  // namespace bs
