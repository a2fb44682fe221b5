// Experiment c (the thin book): models trained on images confined to a subspace keep their off-span weights.
#include "core/trial/thin_book.h"

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
#include "core/trial/transfer.h"
#include "core/util/rng.h"
#include "tests/core/mnist_data.h"
#include "tests/core/trial/trial_data.h"

namespace bs {
namespace {

using namespace test_trial;

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

TEST(Trial, ThinMeasuresCompareTheRestrictedRadiiPerImageAndTheScalesPerSeed) {
  std::vector<ThinBookRun> runs;
  for (int d : {10, 30, 154, 784})
    for (float scale : {0.25f, 1.0f}) {
      ThinBookRun r;
      r.d = d;
      r.init_scale = scale;
      r.accuracy_raw = d == 10 ? 0.5 : 0.95;  // d = 10 is not held to "learned"
      r.off_change = d == 30 ? 2e-6 : 1e-6;
      r.radii_in = {1, 2, INFINITY, 1};
      if (d != 784) r.radii_off = {scale == 1.0f ? 3.0 : 6.0, 4, INFINITY, 0.5};
      runs.push_back(r);
    }
  const SeedMeasures m = thin_measures(runs, 2);
  const Measure& ratio = m.quantities.at("c.off_over_in.30");
  EXPECT_EQ(ratio.columns[0], (std::vector<double>{3, 2, 0.5}));
  EXPECT_EQ(ratio.left_out, 1) << "neither attack flipped the third image";
  EXPECT_DOUBLE_EQ(m.quantities.at("c.scale_effect.154").value, 4.0 / 6.0)
      << "upper middles: 4 at 1, 6 at 0.25";
  EXPECT_EQ(m.quantities.count("c.off_over_in.784"), 0u);
  EXPECT_EQ(m.checks.at("c.leftovers_untouched"), 2e-6);
  EXPECT_EQ(m.checks.at("c.learned"), 0.95);
}

}  // namespace
}  // namespace bs
