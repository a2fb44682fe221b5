// The two radius searches against margin functions whose answer is known, and the one property that makes
// the certified side a test of the bounds: an attack's radius is a hint, never a cap.
#include "core/robust/radius_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace bs {
namespace {

// Runs the certified search on a margin function; returns its radius and counts the probes.
float certified(const std::function<float(float)>& margin, float top, float tolerance, float known,
                float hint, int* probes = nullptr) {
  CertifiedRadiusSearch s(top, tolerance, known, hint);
  int n = 0;
  while (!s.done()) {
    s.report(margin(s.probe()));
    if (++n > 200) break;
  }
  if (probes) *probes = n;
  return s.radius();
}

TEST(CertifiedRadiusSearch, FindsTheRootOfAFallingMarginWithinTolerance) {
  const float r = certified([](float e) { return 0.3f - e; }, 1, 1e-4f, 0, 0);
  EXPECT_LE(r, 0.3f);
  EXPECT_GT(r, 0.3f - 1e-4f);
}

TEST(CertifiedRadiusSearch, ReturnsZeroWhenTheImageItselfIsNotCertified) {
  EXPECT_EQ(certified([](float e) { return -0.1f - e; }, 1, 1e-4f, 0, 0), 0.0f);
}

TEST(CertifiedRadiusSearch, ReturnsTopWhenTheWholeSpaceIsCertified) {
  EXPECT_EQ(certified([](float) { return 1.0f; }, 28, 1e-4f, 0, 0.5f), 28.0f);
}

// A bound that (wrongly) stays positive past the attack's radius must come out above it: were the hint a
// cap, the search would stop at the attack and every "certified <= attack" test would pass for this bound.
TEST(CertifiedRadiusSearch, SearchesPastAHintWhereTheBoundStillCertifies) {
  const float attack = 0.2f;
  const float r = certified([](float e) { return 0.6f - e; }, 1, 1e-4f, 0, attack);
  EXPECT_GT(r, attack);
  EXPECT_GT(r, 0.6f - 1e-4f);
}

TEST(CertifiedRadiusSearch, AHintBelowTheRadiusCostsOneProbeAndChangesNothing) {
  auto margin = [](float e) { return 0.25f - e * e; };  // root at 0.5
  const float plain = certified(margin, 1, 1e-5f, 0, 0);
  const float hinted = certified(margin, 1, 1e-5f, 0, 0.3f);
  EXPECT_NEAR(plain, 0.5f, 1e-5f);
  EXPECT_NEAR(hinted, 0.5f, 1e-5f);
}

TEST(CertifiedRadiusSearch, AHintJustAboveTheRadiusSavesProbes) {
  // Curved like a real bound's margin, root at 0.0342, far below top.
  auto margin = [](float e) { return 0.04f - e - 5 * e * e; };
  const float root = (std::sqrt(1.8f) - 1) / 10;
  int far = 0, near = 0;
  certified(margin, 28, 1e-5f, 0.01f, 0, &far);
  const float r = certified(margin, 28, 1e-5f, 0.01f, 0.035f, &near);
  EXPECT_NEAR(r, root, 1e-5f);
  EXPECT_LT(near, far);
}

TEST(CertifiedRadiusSearch, AKnownRadiusThatIsNotCertifiedBecomesTheUpperEnd) {
  const float r = certified([](float e) { return 0.1f - e; }, 1, 1e-5f, 0.2f, 0.5f);
  EXPECT_NEAR(r, 0.1f, 1e-5f);
  EXPECT_LE(r, 0.1f);
}

TEST(CertifiedRadiusSearch, IgnoresAnInfiniteHint) {
  const float r =
      certified([](float e) { return 0.3f - e; }, 1, 1e-4f, 0, std::numeric_limits<float>::infinity());
  EXPECT_NEAR(r, 0.3f, 1e-4f);
}

TEST(AttackRadiusSearch, ClosesOnTheSmallestSuccessfulRadius) {
  AttackRadiusSearch s(1, 1e-3f, 0.5f);
  while (!s.done()) s.report(s.probe() >= 0.25f, s.probe());
  EXPECT_TRUE(s.found());
  EXPECT_GE(s.radius(), 0.25f);
  EXPECT_LE(s.radius(), 0.25f + 1e-3f);
}

TEST(AttackRadiusSearch, FindsNothingWhenTheTopFails) {
  AttackRadiusSearch s(1, 1e-3f);
  while (!s.done()) s.report(false, s.probe());
  EXPECT_FALSE(s.found());
  EXPECT_TRUE(std::isinf(s.radius()));
}

}  // namespace
}  // namespace bs
