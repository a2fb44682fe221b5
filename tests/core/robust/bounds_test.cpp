// The bounds (IBP, CROWN): on tiny networks whose exact radius is known they lie below it, sampled points
// never leave them, and CROWN's shortcuts give the plain computation's margins.
#include "core/robust/bounds.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/io/model_files.h"
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

// The exact radius (the oracle) against a 401 x 401 grid of the box: no misclassified grid point is closer,
// and one lies within a grid step of it.
void expect_grid_agrees(const Params& p, const float* x0, int label, Norm norm, double exact) {
  Workspace ws(p.arch(), 1);
  float probs[3], pt[2];
  double nearest = 1e9;
  for (int i = 0; i <= 400; ++i)
    for (int j = 0; j <= 400; ++j) {
      pt[0] = float(i) / 400, pt[1] = float(j) / 400;
      if (predict_one(p, ws, pt, probs) != label)
        nearest = std::min(nearest, double(distance(norm, pt, x0, 2)));
    }
  EXPECT_GE(nearest, exact - 1e-5);
  EXPECT_LE(nearest, exact + 2.0 / 400);
}

// The tiny networks: IBP, CROWN <= exact <= every attack's radius. (CROWN is not always tighter than IBP: on
// these random networks, where the whole box keeps its class, IBP sometimes certifies more.)
TEST(Bounds, ExactRadiusOfTinyNetworksLiesBetweenTheBounds) {
  int informative = 0, finite = 0, seed = 0, pgd_found = 0;
  while (finite < 80) {
    const Tiny t = tiny(uint64_t(++seed));
    if (!std::isfinite(test::exact_minimal_radius(t.p, t.x, t.label, Norm::kL2)))
      continue;  // one class everywhere
    Mat x(2, 1);
    x << t.x[0], t.x[1];
    const std::vector<Goal> goals = {{t.label, -1, uint32_t(seed)}};
    BoundComputer bc(t.p);
    for (Norm norm : kNorms) {
      const double exact = test::exact_minimal_radius(t.p, t.x, t.label, norm);
      if (finite < 6) expect_grid_agrees(t.p, t.x, t.label, norm, exact);
      const float ibp = certified_radius(bc, t.x, t.label, norm, BoundMethod::kIbp, 1e-5f);
      const float crown = certified_radius(bc, t.x, t.label, norm, BoundMethod::kCrown, 1e-5f);
      PgdSettings ps;
      ps.norm = norm;
      ps.restarts = 4;
      RadiusSearch rs;
      rs.norm = norm;
      rs.tolerance = 1e-4f;
      const AttackRun pgd = minimal_radius(
          x, goals,
          [&](const Mat& xs, const std::vector<Goal>& g, const std::vector<float>& e) {
            return pgd_attack(t.p, xs, g, e, ps);
          },
          rs);
      DeepFoolSettings ds;
      ds.norm = norm;
      const AttackRun df = deepfool_attack(t.p, x, goals, ds);
      SCOPED_TRACE(testing::Message()
                   << "seed " << seed << " " << norm_name(norm) << ": ibp " << ibp << " crown " << crown
                   << " exact " << exact << " pgd " << pgd.radius[0] << " deepfool " << df.radius[0]);
      EXPECT_LE(ibp, exact + 1e-5);
      EXPECT_LE(crown, exact + 1e-5);
      EXPECT_GE(pgd.radius[0], exact - 1e-5);
      EXPECT_GE(df.radius[0], exact - 1e-5);
      if (std::isfinite(exact)) {
        pgd_found += pgd.success[0];
        ++finite;
        informative += crown > 0 && pgd.radius[0] < 2 * exact + 1e-3;
      }
    }
  }
  std::printf("%d cases from %d networks; PGD found a point in %d; bracket informative in %d\n", finite, seed,
              pgd_found, informative);
  // PGD is a local search: on a few of these networks the only misclassified region is one its gradients
  // never lead to. It must still find most.
  EXPECT_GE(pgd_found, finite * 9 / 10);
  EXPECT_GT(informative, finite * 3 / 4);  // the bracket is not vacuous: both sides usually come close
}

// Ten thousand random points of the set never leave the bounds: every hidden pre-activation inside its
// interval, every margin above its lower bound.
TEST(Bounds, BoundsHoldAtTenThousandSampledPoints) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 4);
  BoundComputer bc(p);
  Pcg32 rng(5);
  Vec z1(64), z2(64), z3(10), pt(kPixels);
  for (Norm norm : kNorms)
    for (BoundMethod method : {BoundMethod::kIbp, BoundMethod::kCrown})
      for (long i = 0; i < im.x.cols(); ++i) {
        const float eps = norm == Norm::kLinf ? 0.03f : 0.6f;
        const int y = im.goals[size_t(i)].label;
        const NetworkBounds b = bc.compute(im.x.col(i).data(), y, norm, eps, method);
        for (int sample = 0; sample < 2500; ++sample) {
          for (int k = 0; k < kPixels; ++k) {
            // Half the points at the set's corners (signs of +-eps), where bounds are tightest.
            const float u = sample % 2 ? (rng.below(2) ? 1.0f : -1.0f) : 2 * rng.uniform01() - 1;
            pt[k] = im.x(k, i) + (norm == Norm::kLinf ? eps * u : u);
          }
          project(norm, pt.data(), im.x.col(i).data(), eps, kPixels);
          z1.noalias() = p.w1 * pt + p.b1;
          z2.noalias() = p.w2 * z1.cwiseMax(0.0f) + p.b2;
          z3.noalias() = p.w3 * z2.cwiseMax(0.0f) + p.b3;
          const float tol = 1e-4f;
          ASSERT_TRUE(((z1 - b.l1).array() >= -tol).all() && ((b.u1 - z1).array() >= -tol).all());
          ASSERT_TRUE(((z2 - b.l2).array() >= -tol).all() && ((b.u2 - z2).array() >= -tol).all());
          for (int j = 0; j < 10; ++j) {
            if (j == y) continue;
            ASSERT_GE(z3[y] - z3[j], b.margin[j] - tol) << bound_name(method) << " " << norm_name(norm);
          }
        }
      }
}

// BoundComputer's CROWN skips the neurons that are off everywhere and derives half its rows from their twins;
// the margins must be those of the plain computation, at radii from well inside to beyond the certified one.
TEST(Bounds, CrownMarginsEqualThePlainBackwardComputation) {
  const Params& p = pretrained_model().params;
  Images im = correct_test_images(p, 5);
  BoundComputer bc(p);
  for (Norm norm : kNorms)
    for (float scale : {0.25f, 1.0f, 2.0f, 4.0f})
      for (long i = 0; i < im.x.cols(); ++i) {
        const float eps = scale * (norm == Norm::kLinf ? 0.03f : 0.4f);
        const int y = im.goals[size_t(i)].label;
        const Vec want = test::crown_margins(p, im.x.col(i), y, norm, eps);
        const Vec got = bc.compute(im.x.col(i).data(), y, norm, eps, BoundMethod::kCrown).margin;
        for (int j = 0; j < 10; ++j) {
          if (j == y) continue;
          EXPECT_NEAR(got[j], want[j], 1e-3f * (1 + std::fabs(want[j])))
              << norm_name(norm) << " eps " << eps << " image " << i << " class " << j;
        }
      }
}

}  // namespace
}  // namespace bs
