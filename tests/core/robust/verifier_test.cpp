// The sound dual bound and the complete verifier: below every margin that any input of S reaches, at least as
// tight as CROWN, and deciding tiny networks the way their exact geometry (robust_exact.h) says.
#include "core/robust/verifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/robust/bounds.h"
#include "core/robust/dual_bound.h"
#include "core/robust/neuron_boxes.h"
#include "core/robust/pgd.h"
#include "core/robust/sound_sum.h"
#include "tests/core/robust/robust_exact.h"
#include "tests/core/robust/robust_models.h"

namespace bs {
namespace {

using namespace test_robust;

// Tiny networks whose exact radius is finite and not tiny, with that radius, in both norms.
struct TinyCase {
  Tiny t;
  Norm norm;
  double exact;
};
std::vector<TinyCase> tiny_cases(int count) {
  std::vector<TinyCase> out;
  for (uint64_t seed = 1; int(out.size()) < count; ++seed) {
    const Tiny t = tiny(seed);
    for (Norm norm : kNorms) {
      const double exact = test::exact_minimal_radius(t.p, t.x, t.label, norm);
      if (std::isfinite(exact) && exact > 0.02) out.push_back({t, norm, exact});
    }
  }
  return out;
}

double min_margin_on_grid(const Params& p, const float* x, int label, int j, Norm norm, double eps) {
  const NetworkD net(p);
  double best = std::numeric_limits<double>::infinity();
  VecD pt(2);
  for (int a = 0; a <= 300; ++a)
    for (int b = 0; b <= 300; ++b) {
      pt << a / 300.0, b / 300.0;
      const double dx = pt[0] - x[0], dy = pt[1] - x[1];
      const double d = norm == Norm::kLinf ? std::max(std::fabs(dx), std::fabs(dy)) : std::hypot(dx, dy);
      if (d > eps) continue;
      const VecD h1 = (net.w[0] * pt + net.b[0]).cwiseMax(0.0);
      const VecD h2 = (net.w[1] * h1 + net.b[1]).cwiseMax(0.0);
      const VecD z = net.w[2] * h2 + net.b[2];
      best = std::min(best, z[label] - z[j]);
    }
  return best;
}

TEST(SoundSum, LowerNeverExceedsTheExactSum) {
  Pcg32 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    SoundSum s;
    __int128 exact = 0;  // in units of 2^-60
    double magnitude = 0;
    for (int i = 0; i < 1000; ++i) {
      const int64_t units =
          int64_t(rng.next_u32()) - int64_t(rng.next_u32()) + (int64_t(rng.next_u32()) << 20);
      const double big = (i % 2 ? 1.0 : -1.0) * std::ldexp(1.0, 30);
      const double term_magnitude = std::fabs(std::ldexp(double(units), -60)) + std::fabs(big);
      s.add(std::ldexp(double(units), -60) + big, term_magnitude, 1);
      magnitude += term_magnitude;
      exact += __int128(units) + (__int128(1) << 90) * (i % 2 ? 1 : -1);
    }
    const double exact_d = std::ldexp(double(exact), -60);
    EXPECT_LE(s.lower(), exact_d) << trial;
    EXPECT_GT(s.lower(), exact_d - 3 * gamma_k(1001) * magnitude) << trial;  // and no looser than it says
  }
}

TEST(DualBound, NeverExceedsTheSmallestMarginOnAGridOfATinyNetwork) {
  int checked = 0;
  for (const TinyCase& c : tiny_cases(30)) {
    const NetworkD net(c.t.p);
    for (double eps : {0.5 * c.exact, c.exact, 1.5 * c.exact}) {
      const InputSet s(c.norm, c.t.x, 2, eps);
      DualBound dual(net, s);
      const NeuronBoxes boxes = root_boxes(net, dual, 20);
      for (int j = 0; j < 3; ++j) {
        if (j == c.t.label) continue;
        const DualObjective o = margin_objective(net, c.t.label, j);
        Slopes a = initial_slopes(boxes);
        const double bound = dual.optimize(boxes, o, a, 50);
        const double grid = min_margin_on_grid(c.t.p, c.t.x, c.t.label, j, c.norm, eps);
        EXPECT_LE(bound, grid) << norm_name(c.norm) << " eps " << eps << " j " << j;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(DualBound, CrownMultipliersAreAtLeastAsTightAsTheFloatCrownBound) {
  const Params& p = pretrained_model().params;
  const Images im = correct_test_images(p, 10);
  const NetworkD net(p);
  BoundComputer bc(p);
  for (Norm norm : kNorms) {
    const float eps = norm == Norm::kLinf ? 0.02f : 0.3f;
    for (int i = 0; i < 10; ++i) {
      const float* x = im.x.col(i).data();
      const int y = im.goals[size_t(i)].label;
      const InputSet s(norm, x, kPixels, eps);
      DualBound dual(net, s);
      const NeuronBoxes boxes = root_boxes(net, dual, 0);
      const Vec crown = bc.compute(x, y, norm, eps, BoundMethod::kCrown).margin;
      for (int j = 0; j < 10; ++j) {
        if (j == y) continue;
        const DualObjective o = margin_objective(net, y, j);
        dual.evaluate(boxes, o, dual.crown_multipliers(boxes, o));
        EXPECT_GE(dual.bound(), crown[j] - 1e-3 * (1 + std::fabs(crown[j]))) << norm_name(norm) << " " << i;
      }
    }
  }
}

TEST(DualBound, AscentRaisesCrownsBoundOnMostImages) {
  const Params& p = pretrained_model().params;
  const Images im = correct_test_images(p, 10);
  const NetworkD net(p);
  int raised = 0, total = 0;
  for (int i = 0; i < 10; ++i) {
    const float* x = im.x.col(i).data();
    const int y = im.goals[size_t(i)].label;
    const InputSet s(Norm::kLinf, x, kPixels, 0.03);
    DualBound dual(net, s);
    const NeuronBoxes boxes = root_boxes(net, dual, 0);
    const int j = (y + 1) % 10;
    const DualObjective o = margin_objective(net, y, j);
    Slopes a = initial_slopes(boxes);
    dual.evaluate(boxes, o, dual.crown_multipliers(boxes, o));
    const double before = dual.bound();
    const double after = dual.optimize(boxes, o, a, 100);
    EXPECT_GE(after, before);
    raised += after > before + 1e-6 * (1 + std::fabs(before));
    std::printf("image %d: crown %.5f optimised %.5f\n", i, before, after);
    ++total;
  }
  EXPECT_GE(raised, total * 8 / 10);
}

TEST(DualBound, NoAttackPointFallsBelowTheBound) {
  const Params& p = pretrained_model().params;
  const Images im = correct_test_images(p, 20);
  const NetworkD net(p);
  for (Norm norm : kNorms) {
    const float eps = norm == Norm::kLinf ? 0.05f : 1.0f;
    PgdSettings ps;
    ps.norm = norm;
    ps.early_stop = false;  // the last iterate, where the margin is smallest, not the first success
    const AttackRun run = pgd_attack(p, im.x, im.goals, std::vector<float>(im.goals.size(), eps), ps);
    for (int i = 0; i < int(im.goals.size()); ++i) {
      const int y = im.goals[size_t(i)].label;
      const InputSet s(norm, im.x.col(i).data(), kPixels, eps);
      DualBound dual(net, s);
      const NeuronBoxes boxes = root_boxes(net, dual, 0);
      const VecD a = run.adversarial.col(i).cast<double>();
      const VecD h1 = (net.w[0] * a + net.b[0]).cwiseMax(0.0);
      const VecD z = net.w[2] * (net.w[1] * h1 + net.b[1]).cwiseMax(0.0) + net.b[2];
      for (int j = 0; j < 10; ++j) {
        if (j == y) continue;
        const DualObjective o = margin_objective(net, y, j);
        Slopes a = initial_slopes(boxes);
        EXPECT_LE(dual.optimize(boxes, o, a, 30), z[y] - z[j]) << norm_name(norm) << " image " << i;
      }
    }
  }
}

TEST(Verifier, ReportsAMisclassifiedImageAsAttackableByItself) {
  const Params& p = pretrained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  std::vector<float> x(kPixels);
  Verifier v(p);
  for (size_t i = 0; i < test.size(); ++i) {
    test.image_floats(i, x.data());
    if (predicted(p, x.data()) == test.label(i)) continue;
    const VerifyResult r = v.verify(x.data(), test.label(i), Norm::kLinf, 0.0f, VerifySettings{});
    EXPECT_EQ(r.status, VerifyStatus::kAttackable);
    EXPECT_EQ(r.counterexample_distance, 0.0);
    return;
  }
  FAIL() << "no misclassified test image";
}

TEST(Verifier, DecidesTinyNetworksOnBothSidesOfTheirExactRadius) {
  for (const TinyCase& c : tiny_cases(40)) {
    Verifier v(c.t.p);
    VerifySettings s;
    s.budget_seconds = 5;
    const VerifyResult in = v.verify(c.t.x, c.t.label, c.norm, float(c.exact * 0.97), s);
    const VerifyResult out = v.verify(c.t.x, c.t.label, c.norm, float(c.exact * 1.03), s);
    SCOPED_TRACE(testing::Message() << norm_name(c.norm) << " exact " << c.exact);
    EXPECT_EQ(in.status, VerifyStatus::kRobust);
    ASSERT_EQ(out.status, VerifyStatus::kAttackable);
    EXPECT_LE(out.counterexample_distance, double(float(c.exact * 1.03)));
    EXPECT_GE(out.counterexample_distance, c.exact * (1 - 1e-6));
  }
}

TEST(Verifier, ExactRadiusOfTinyNetworksMatchesTheirGeometry) {
  for (const TinyCase& c : tiny_cases(40)) {
    Verifier v(c.t.p);
    const double tol = 1e-4;
    const ExactRadius e = exact_radius(v, c.t.x, c.t.label, c.norm, 0, std::numeric_limits<float>::infinity(),
                                       {}, float(tol), 10, VerifySettings{});
    SCOPED_TRACE(testing::Message() << norm_name(c.norm) << " exact " << c.exact);
    ASSERT_TRUE(e.closed) << e.certified << " " << e.attack << " probes " << e.probes << " nodes " << e.nodes;
    EXPECT_LE(e.certified, c.exact + 1e-6);
    EXPECT_GE(e.attack, c.exact - 1e-6);
    EXPECT_LE(e.attack - e.certified, tol);
  }
}

TEST(Verifier, ReportsUnknownWhenTheBudgetEndsFirst) {
  const Params& p = pretrained_model().params;
  const Images im = correct_test_images(p, 40);
  Verifier v(p);
  VerifySettings s;
  s.budget_seconds = 1e-9;
  s.attack_steps = 0;
  int unknown = 0;
  for (int i = 0; i < 40; ++i) {
    const VerifyResult r = v.verify(im.x.col(i).data(), im.goals[size_t(i)].label, Norm::kLinf, 0.035f, s);
    // Only the roots (one per rival class) are bounded before the budget is checked.
    if (r.status == VerifyStatus::kRobust) {
      EXPECT_LE(r.nodes, 9);
    }
    unknown += r.status == VerifyStatus::kUnknown;
  }
  EXPECT_GT(unknown, 0);
}

}  // namespace
}  // namespace bs
