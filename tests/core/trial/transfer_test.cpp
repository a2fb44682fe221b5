// Experiment b (two seeds): the pattern cosine, the transfer of A's directions to B, and its job in frame
// slices.
#include "core/trial/transfer.h"

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
#include "core/util/rng.h"
#include "tests/core/mnist_data.h"
#include "tests/core/trial/trial_data.h"

namespace bs {
namespace {

using namespace test_trial;

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
  // The second trial's figures: every 7, the norms they are compared at, flips only where a model reads it.
  ASSERT_EQ(r.images.size(), 40u);
  EXPECT_GT(r.common_norm, 1.0);
  EXPECT_GT(r.fgsm_eps, 0.0);
  EXPECT_LT(r.fgsm_eps, 0.5) << "a small step, not the +-1 sign pattern";
  int right_a = 0, pgd_a = 0;
  for (const TransferImage& im : r.images) {
    right_a += im.right_a;
    for (size_t w = 0; w < size_t(kEqualDirections); ++w) {
      EXPECT_TRUE(!im.flip_a[w] || im.right_a);
      EXPECT_TRUE(!im.flip_b[w] || im.right_b);
    }
    pgd_a += im.flip_a[2];
    if (im.right_a) {
      EXPECT_GT(im.flip_point_ratio, 0.0);
    }
  }
  EXPECT_EQ(right_a, r.count_a);
  EXPECT_GE(pgd_a, right_a * 9 / 10)
      << "PGD with the whole pattern's norm as budget flips nearly every 7 on A";
}

TEST(Trial, TransferMeasuresCountEachModelsRateOverTheImagesItReads) {
  TransferReport r;
  for (int i = 0; i < 10; ++i) {
    TransferImage im;
    im.right_a = i < 8;
    im.right_b = i >= 2;
    im.flip_a = {i < 4, i < 2, i < 8, false};  // in_span 4/8, off_span 2/8, pgd 8/8, fgsm 0/8
    im.flip_b = {i >= 2 && i < 4, false, i >= 2 && i < 6, false};
    im.flip_point_ratio = 1 + 0.1 * i;
    r.images.push_back(im);
  }
  const SeedMeasures m = transfer_measures(r, 1);
  EXPECT_DOUBLE_EQ(m.checks.at("b.source_works.in_span"), 0.5);
  EXPECT_DOUBLE_EQ(m.checks.at("b.source_works.pgd"), 1.0);
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("b.transfer.in_span")), (2.0 / 8) / (4.0 / 8));
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("b.transfer.pgd")), (4.0 / 8) / 1.0);
  EXPECT_TRUE(std::isnan(seed_statistic(m.quantities.at("b.transfer.fgsm")))) << "no flip on A: no ratio";
  EXPECT_DOUBLE_EQ(seed_statistic(m.quantities.at("b.off_over_in_on_a")), 0.5);
  EXPECT_EQ(m.quantities.at("b.flip_point_ratio").columns[0].size(), 8u) << "where A reads the 7";
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

}  // namespace
}  // namespace bs
