// The attacks (src/core/robust: the margin objective, PGD, DeepFool, Square): each finds points that are
// really misclassified, inside their ball and the image box, and PGD's results depend on nothing but its
// seed.
#include <gtest/gtest.h>

#include <cmath>

#include "core/io/model_files.h"
#include "core/robust/bounds.h"
#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/robust/robustness_job.h"
#include "core/robust/square.h"
#include "tests/core/mnist_data.h"
#include "tests/core/robust/crown_reference.h"
#include "tests/core/robust/robust_exact.h"
#include "tests/core/robust/robust_models.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

using namespace test_robust;

TEST(Attacks, ObjectiveGradientMatchesFiniteDifferences) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 3);
  Workspace ws(p.arch(), 3);
  for (AttackLoss loss : {AttackLoss::kCrossEntropy, AttackLoss::kMargin})
    for (int target : {-1, 3}) {
      std::vector<Goal> goals = im.goals;
      for (Goal& g : goals) g.target = target == g.label ? -1 : target;
      ws.x.leftCols(3) = im.x;
      attack_logits(p, ws, 3);
      objective_input_gradient(p, ws, 3, goals.data(), loss);
      const Mat grad = ws.dx.leftCols(3);
      auto objective = [&](int col, const Vec& xv) {
        ws.x.col(0) = xv;
        attack_logits(p, ws, 1);
        const float* z = ws.logits.col(0).data();
        if (loss == AttackLoss::kMargin) return double(goal_margin(z, 10, goals[size_t(col)]));
        double m = z[0], sum = 0;
        for (int c = 0; c < 10; ++c) m = std::max(m, double(z[c]));
        for (int c = 0; c < 10; ++c) sum += std::exp(z[c] - m);
        const int t = goals[size_t(col)].target;
        const double ce = m + std::log(sum) - z[t < 0 ? goals[size_t(col)].label : t];
        return t < 0 ? ce : -ce;
      };
      for (int col = 0; col < 3; ++col)
        for (int pixel : {300, 350, 406, 490}) {
          Vec plus = im.x.col(col), minus = im.x.col(col);
          plus[pixel] += 1e-3f;
          minus[pixel] -= 1e-3f;
          const double numeric = (objective(col, plus) - objective(col, minus)) / 2e-3;
          EXPECT_NEAR(grad(pixel, col), numeric, 2e-3 + 2e-2 * std::fabs(numeric)) << "pixel " << pixel;
        }
    }
}

TEST(Attacks, PgdPointsStayInTheBallAndTheBoxAndReallyFlip) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 200);
  for (Norm norm : kNorms) {
    const float eps = norm == Norm::kLinf ? 0.08f : 1.5f;
    PgdSettings s;
    s.norm = norm;
    s.steps = 20;
    const AttackRun run = pgd_attack(p, im.x, im.goals, std::vector<float>(im.goals.size(), eps), s);
    EXPECT_GT(run.found(), 0);
    for (long i = 0; i < im.x.cols(); ++i) {
      EXPECT_GE(run.adversarial.col(i).minCoeff(), 0.0f);
      EXPECT_LE(run.adversarial.col(i).maxCoeff(), 1.0f);
      if (!run.success[size_t(i)]) continue;
      EXPECT_LE(run.radius[size_t(i)], eps * (1 + 1e-5f));
      EXPECT_FLOAT_EQ(run.radius[size_t(i)],
                      distance(norm, run.adversarial.col(i).data(), im.x.col(i).data(), kPixels));
      EXPECT_NE(predicted(p, run.adversarial.col(i).data()), im.goals[size_t(i)].label);
      EXPECT_EQ(predicted(p, run.adversarial.col(i).data()), run.prediction[size_t(i)]);
    }
  }
}

TEST(Attacks, PgdSucceedsWhereverFgsmDoes) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 500);
  const float eps = 0.05f;
  // FGSM written out here: one signed step of length eps on the cross-entropy, clipped to [0, 1].
  Workspace ws(p.arch(), 1);
  int fgsm_flips = 0;
  PgdSettings s;
  s.steps = 10;
  const AttackRun run = pgd_attack(p, im.x, im.goals, std::vector<float>(im.goals.size(), eps), s);
  for (long i = 0; i < im.x.cols(); ++i) {
    ws.x.col(0) = im.x.col(i);
    attack_logits(p, ws, 1);
    objective_input_gradient(p, ws, 1, &im.goals[size_t(i)], AttackLoss::kCrossEntropy);
    Vec adv = im.x.col(i);
    for (int k = 0; k < kPixels; ++k) {
      const float g = ws.dx(k, 0);
      adv[k] = std::clamp(adv[k] + (g > 0 ? eps : g < 0 ? -eps : 0.0f), 0.0f, 1.0f);
    }
    if (predicted(p, adv.data()) == im.goals[size_t(i)].label) continue;
    ++fgsm_flips;
    EXPECT_TRUE(run.success[size_t(i)])
        << "FGSM flips test image " << im.index[size_t(i)] << ", PGD does not";
  }
  EXPECT_GT(fgsm_flips, 5);
  EXPECT_GT(run.found(), fgsm_flips);  // and PGD is the stronger attack
  std::printf("FGSM flips %d of %ld images at eps %.2f, PGD-10 %d\n", fgsm_flips, long(im.x.cols()), eps,
              run.found());
}

TEST(Attacks, UnboundedPgdFlipsEveryImage) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 300);
  for (Norm norm : kNorms) {
    PgdSettings s;
    s.norm = norm;
    s.steps = 20;
    const AttackRun run =
        pgd_attack(p, im.x, im.goals, std::vector<float>(im.goals.size(), max_radius(norm, kPixels)), s);
    EXPECT_EQ(run.found(), int(im.x.cols())) << norm_name(norm);
  }
}

TEST(Attacks, PgdWithAGrowingBudgetStopsInsideTheRadiusOfItsStepAndStoresBytes) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 120);
  for (Goal& g : im.goals) g.target = (g.label + 1) % 10;
  PgdSettings s;
  s.norm = Norm::kL2;
  s.grow_every = 5;
  s.grow_by = 0.5f;
  s.eps_max = 4.0f;
  s.steps = 5 * 8;
  s.byte_pixels = true;
  const std::vector<float> eps(im.goals.size(), 0.5f);
  EXPECT_FLOAT_EQ(pgd_radius_at(s, 0.5f, 4), 0.5f);
  EXPECT_FLOAT_EQ(pgd_radius_at(s, 0.5f, 5), 1.0f);
  EXPECT_FLOAT_EQ(pgd_radius_at(s, 0.5f, 1000), 4.0f) << "capped at eps_max";
  const AttackRun run = pgd_attack(p, im.x, im.goals, eps, s);
  PgdSettings fixed = s;
  fixed.grow_every = 0;
  fixed.steps = 5;
  const AttackRun small = pgd_attack(p, im.x, im.goals, eps, fixed);
  EXPECT_GT(run.found(), small.found() + 20)
      << "a budget that grows reaches more targets than its first radius";
  int beyond_first = 0;
  for (long i = 0; i < im.x.cols(); ++i) {
    for (int k = 0; k < kPixels; ++k) {
      const float v = run.adversarial(k, i) * 255.0f;
      ASSERT_NEAR(v, std::nearbyint(v), 1e-3f) << "stored as bytes";
    }
    if (!run.success[size_t(i)]) continue;
    EXPECT_EQ(predicted(p, run.adversarial.col(i).data()), im.goals[size_t(i)].target);
    // Rounding to bytes moves a point by at most half a level per pixel.
    EXPECT_LE(run.radius[size_t(i)], 4.0f + 0.5f / 255.0f * std::sqrt(float(kPixels)));
    beyond_first += run.radius[size_t(i)] > 0.5f + 0.5f / 255.0f * std::sqrt(float(kPixels));
  }
  EXPECT_GT(beyond_first, 0) << "some images needed a larger radius than the first";
}

TEST(Attacks, PgdResultsDependOnlyOnSeedNotOnBatching) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 150);
  PgdSettings s;
  s.restarts = 3;
  s.steps = 10;
  const std::vector<float> eps(150, 0.06f);
  const AttackRun all = pgd_attack(p, im.x, im.goals, eps, s);
  const AttackRun again = pgd_attack(p, im.x, im.goals, eps, s);
  EXPECT_EQ(all.radius, again.radius);
  // The last 20 images alone: a different batch composition, the same draws per image.
  const Mat tail = im.x.rightCols(20);
  const std::vector<Goal> tail_goals(im.goals.end() - 20, im.goals.end());
  const AttackRun part = pgd_attack(p, tail, tail_goals, std::vector<float>(20, 0.06f), s);
  for (int k = 0; k < 20; ++k) EXPECT_EQ(part.radius[size_t(k)], all.radius[size_t(130 + k)]);
}

TEST(Attacks, DeepFoolAndSquarePointsReallyFlip) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 60);
  for (Norm norm : kNorms) {
    DeepFoolSettings d;
    d.norm = norm;
    const AttackRun run = deepfool_attack(p, im.x, im.goals, d);
    EXPECT_EQ(run.found(), int(im.x.cols())) << norm_name(norm);
    for (long i = 0; i < im.x.cols(); ++i) {
      if (!run.success[size_t(i)]) continue;
      EXPECT_NE(predicted(p, run.adversarial.col(i).data()), im.goals[size_t(i)].label);
    }
  }
  SquareSettings s;
  s.queries = 500;
  const AttackRun sq = square_attack(p, im.x, im.goals, std::vector<float>(im.goals.size(), 0.3f), s);
  EXPECT_GT(sq.found(), int(im.x.cols()) / 2);
  for (long i = 0; i < im.x.cols(); ++i) {
    if (!sq.success[size_t(i)]) continue;
    EXPECT_LE(sq.radius[size_t(i)], 0.3f + 1e-6f);
    EXPECT_NE(predicted(p, sq.adversarial.col(i).data()), im.goals[size_t(i)].label);
  }
}

}  // namespace
}  // namespace bs
