// The page's sliced robustness job computes what the batch measurement does, one unit at a time.
#include "core/robust/robustness_job.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/io/model_files.h"
#include "core/robust/bounds.h"
#include "core/robust/deepfool.h"
#include "core/robust/minimal_radius.h"
#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/robust/square.h"
#include "tests/core/mnist_data.h"
#include "tests/core/robust/crown_reference.h"
#include "tests/core/robust/robust_exact.h"
#include "tests/core/robust/robust_models.h"
#include "tests/core/test_util.h"

namespace bs {
namespace {

using namespace test_robust;

// The page's sliced job computes exactly what the batch tool does, one unit at a time.
TEST(RobustnessJob, SlicedJobEqualsTheBatchMeasurement) {
  const Params& p = pretrained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  const std::vector<uint32_t> indices = first_correct_images(p, test, 12);
  for (Norm norm : kNorms) {
    RobustnessSettings s;
    s.norm = norm;
    s.steps = 20;
    s.restarts = 2;
    s.square_queries = 200;
    const RobustnessReport batch = measure_robustness(p, test, indices, s);
    RobustnessJob job(p, test, indices, s);
    int units = 0, exact = 0;
    while (!job.done()) {
      job.step();
      ++units;
    }
    ASSERT_EQ(job.results().size(), indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
      const ImageRobustness &a = batch.images[i], &b = job.results()[i];
      SCOPED_TRACE(testing::Message() << norm_name(norm) << " image " << a.index);
      EXPECT_EQ(a.index, b.index);
      // One image at a time goes through other kernel blockings than a batch, which may round differently in
      // the last bits; L2 steps use the gradient's values, so a probe near the boundary may then land on the
      // other side. Radii agree to the searches' tolerances (L-infinity's sign steps usually exactly).
      const float ta = s.attack_tolerance, tc = s.certify_tolerance;
      EXPECT_NEAR(a.pgd, b.pgd, ta);
      EXPECT_NEAR(a.deepfool, b.deepfool, ta);
      EXPECT_EQ(std::isnan(a.square), std::isnan(b.square));
      if (!std::isnan(a.square)) {
        EXPECT_NEAR(a.square, b.square, ta);
      }
      EXPECT_NEAR(a.best, b.best, ta);
      EXPECT_NEAR(a.ibp, b.ibp, tc + std::fabs(a.best - b.best));
      EXPECT_NEAR(a.crown, b.crown, tc + std::fabs(a.best - b.best));
      EXPECT_EQ(a.adversarial_prediction, b.adversarial_prediction);
      EXPECT_NEAR(distance(norm, batch.adversarial.col(long(i)).data(), job.adversarial().col(long(i)).data(),
                           kPixels),
                  0.0f, 2 * ta);
      exact += a.pgd == b.pgd && a.crown == b.crown && a.best == b.best;
    }
    std::printf("%s: %zu images in %d units, %d with bit-identical radii\n", norm_name(norm), indices.size(),
                units, exact);
    if (norm == Norm::kLinf) {
      EXPECT_EQ(exact, int(indices.size()));
    }
  }
}

}  // namespace
}  // namespace bs
