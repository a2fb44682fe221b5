// Certified radii on real models: zero for a misclassified image, always below an attack's radius, and
// counted right by the accuracy-against-radius curve.
#include <gtest/gtest.h>

#include <cmath>

#include "core/io/model_files.h"
#include "core/robust/bounds.h"
#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/robust/robustness_job.h"
#include "core/robust/sound_radius.h"
#include "core/robust/square.h"
#include "tests/core/mnist_data.h"
#include "tests/core/robust/crown_reference.h"
#include "tests/core/robust/robust_exact.h"
#include "tests/core/robust/robust_models.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

using namespace test_robust;

TEST(CertifiedRadius, CertifiedRadiusOfAMisclassifiedImageIsZero) {
  const Params& p = test::small_trained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < test.size(); ++i) {
    test.image_floats(i, x.data());
    if (predicted(p, x.data()) == test.label(i)) continue;
    BoundComputer bc(p);
    EXPECT_EQ(certified_radius(bc, x.data(), test.label(i), Norm::kLinf, BoundMethod::kCrown, 1e-4f), 0.0f);
    return;
  }
  FAIL() << "the small model classifies every test image correctly";
}

// On real models: certified < attack for every image, CROWN >= IBP, and every attack's point inside its
// radius.
void expect_bracket(const Params& p, const char* name) {
  const Dataset& test = test::mnist(Split::kTest);
  const std::vector<uint32_t> indices = first_correct_images(p, test, 40);
  for (Norm norm : kNorms) {
    RobustnessSettings s;
    s.norm = norm;
    s.steps = 20;
    s.restarts = 1;
    s.square_queries = 300;
    const RobustnessReport rep = measure_robustness(p, test, indices, s);
    const NetworkD net(p);
    int crown_tighter = 0;
    for (size_t i = 0; i < rep.images.size(); ++i) {
      const ImageRobustness& r = rep.images[i];
      SCOPED_TRACE(testing::Message() << name << " " << norm_name(norm) << " image " << r.index);
      EXPECT_LE(r.ibp, r.crown);
      // Every reported radius is one the sound bound proves (docs/verification.md).
      EXPECT_TRUE(soundly_certified(net, test.image_floats(r.index).data(), r.label, norm, r.crown));
      EXPECT_LT(r.crown, r.best);  // strictly: the search is not capped by the attack
      EXPECT_TRUE(std::isfinite(r.best));
      EXPECT_LE(r.best, r.pgd);
      EXPECT_LE(r.best, r.deepfool);
      crown_tighter += r.crown > r.ibp;
      const float d =
          distance(norm, rep.adversarial.col(long(i)).data(), test.image_floats(r.index).data(), kPixels);
      EXPECT_NEAR(d, r.best, 1e-5f);
      EXPECT_EQ(predicted(p, rep.adversarial.col(long(i)).data()), r.adversarial_prediction);
      EXPECT_NE(r.adversarial_prediction, r.label);
    }
    EXPECT_GT(crown_tighter, int(rep.images.size()) / 2) << name << " " << norm_name(norm);
    std::printf("%s %s: median certified ibp %.4f crown %.4f, attack best %.4f (pgd %.4f deepfool %.4f)\n",
                name, norm_name(norm), median_of(rep.images, &ImageRobustness::ibp),
                median_of(rep.images, &ImageRobustness::crown), median_of(rep.images, &ImageRobustness::best),
                median_of(rep.images, &ImageRobustness::pgd),
                median_of(rep.images, &ImageRobustness::deepfool));
  }
}

TEST(CertifiedRadius, CertifiedRadiusNeverExceedsAttackRadiusForThePretrainedModel) {
  expect_bracket(pretrained_model().params, "pretrained");
}

TEST(CertifiedRadius, CertifiedRadiusNeverExceedsAttackRadiusForAStreetSmartModel) {
  expect_bracket(street_smart_model().params, "street-smart");
}

TEST(CertifiedRadius, CurveCountsCertifiedAndAttackedImagesAtEachRadius) {
  std::vector<ImageRobustness> images(4);
  const float crown[] = {0.01f, 0.02f, 0.0f, 0.05f}, best[] = {0.03f, 0.02f, 0.01f, 0.2f};
  for (int i = 0; i < 4; ++i) images[size_t(i)].crown = crown[i], images[size_t(i)].best = best[i];
  const std::vector<RobustnessPoint> c = robustness_curve(images, 0.04f, 5);  // eps 0, .01, .02, .03, .04
  ASSERT_EQ(c.size(), 5u);
  EXPECT_DOUBLE_EQ(c[0].certified, 1.0);
  EXPECT_DOUBLE_EQ(c[1].certified, 0.75);
  EXPECT_DOUBLE_EQ(c[2].certified, 0.5);
  EXPECT_DOUBLE_EQ(c[4].certified, 0.25);
  EXPECT_DOUBLE_EQ(c[0].attacked, 1.0);
  EXPECT_DOUBLE_EQ(c[1].attacked, 0.75);
  EXPECT_DOUBLE_EQ(c[2].attacked, 0.5);
  EXPECT_DOUBLE_EQ(c[3].attacked, 0.25);
}

}  // namespace
}  // namespace bs
