// The robustness tools (src/core/robust): attacks are upper bounds, certified radii lower bounds, and the
// truth lies between them — checked on tiny networks whose exact radius is known, on MNIST models, and by
// sampling.
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
#include "crown_reference.h"
#include "mnist_data.h"
#include "robust_exact.h"
#include "test_util.h"

namespace bs {
namespace {

constexpr Norm kNorms[] = {Norm::kLinf, Norm::kL2};

// A random 2-4-4-3 network and a point it classifies, for exact comparisons.
struct Tiny {
  Params p{Arch{2, 4, 4, 3}};
  float x[2];
  int label = 0;
};
Tiny tiny(uint64_t seed) {
  Tiny t;
  test::randomize(t.p, seed, 1.0f);
  Pcg32 rng(seed, 99);
  t.x[0] = 0.2f + 0.6f * rng.uniform01();
  t.x[1] = 0.2f + 0.6f * rng.uniform01();
  Workspace ws(t.p.arch(), 1);
  float probs[3];
  t.label = predict_one(t.p, ws, t.x, probs);
  return t;
}

// The first n correctly classified test images as columns, with their goals.
struct Images {
  Mat x;
  std::vector<Goal> goals;
  std::vector<uint32_t> index;
};
Images correct_test_images(const Params& p, size_t n) {
  const Dataset& test = test::mnist(Split::kTest);
  Images im;
  im.index = first_correct_images(p, test, n);
  im.x = dataset_columns(test, im.index);
  im.goals = dataset_goals(test, im.index);
  return im;
}

int predicted(const Params& p, const float* x) {
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(size_t(p.w3.rows()));
  return predict_one(p, ws, x, probs.data());
}

const Model& street_smart_model() {
  static Model m = [] {
    Dataset data = test::head(test::mnist(Split::kTrain), 20000);
    Model model = make_model(Arch{}, 1);
    TrainConfig cfg = default_train_config();
    cfg.adversarial = fgsm_training(0.1f);
    Trainer t(cfg, Arch{});
    while (!t.train_steps(model.params, data, 1000) || !t.epoch_just_ended()) {
    }
    return model;
  }();
  return m;
}

const Model& pretrained_model() {
  static Model m = load_model(BOOKSMART_PRETRAINED).value();
  return m;
}

TEST(Robust, ObjectiveGradientMatchesFiniteDifferences) {
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

TEST(Robust, PgdPointsStayInTheBallAndTheBoxAndReallyFlip) {
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

TEST(Robust, PgdSucceedsWhereverFgsmDoes) {
  const Params& p = test::small_trained_model().params;
  Images im = correct_test_images(p, 500);
  const float eps = 0.05f;
  // FGSM written out here: one signed step of length eps on the cross-entropy, clipped to [0, 1].
  Workspace ws(p.arch(), 1);
  int fgsm_flips = 0, both = 0;
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
    both += run.success[size_t(i)];
    EXPECT_TRUE(run.success[size_t(i)])
        << "FGSM flips test image " << im.index[size_t(i)] << ", PGD does not";
  }
  EXPECT_GT(fgsm_flips, 5);
  EXPECT_GT(run.found(), fgsm_flips);  // and PGD is the stronger attack
  std::printf("FGSM flips %d of %ld images at eps %.2f, PGD-10 %d\n", fgsm_flips, long(im.x.cols()), eps,
              run.found());
}

TEST(Robust, UnboundedPgdFlipsEveryImage) {
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

TEST(Robust, PgdResultsDependOnlyOnSeedNotOnBatching) {
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

TEST(Robust, DeepFoolAndSquarePointsReallyFlip) {
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
TEST(Robust, ExactRadiusOfTinyNetworksLiesBetweenTheBounds) {
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
      const float top = max_radius(norm, 2);
      const float ibp = certified_radius(bc, t.x, t.label, norm, BoundMethod::kIbp, top, 1e-5f);
      const float crown = certified_radius(bc, t.x, t.label, norm, BoundMethod::kCrown, top, 1e-5f);
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
TEST(Robust, BoundsHoldAtTenThousandSampledPoints) {
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
TEST(Robust, CrownMarginsEqualThePlainBackwardComputation) {
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

TEST(Robust, CertifiedRadiusOfAMisclassifiedImageIsZero) {
  const Params& p = test::small_trained_model().params;
  const Dataset& test = test::mnist(Split::kTest);
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < test.size(); ++i) {
    test.image_floats(i, x.data());
    if (predicted(p, x.data()) == test.label(i)) continue;
    BoundComputer bc(p);
    EXPECT_EQ(certified_radius(bc, x.data(), test.label(i), Norm::kLinf, BoundMethod::kCrown, 1, 1e-4f),
              0.0f);
    return;
  }
  FAIL() << "the small model classifies every test image correctly";
}

// On real models: certified <= attack for every image, CROWN >= IBP, and every attack's point inside its
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
    int crown_tighter = 0;
    for (size_t i = 0; i < rep.images.size(); ++i) {
      const ImageRobustness& r = rep.images[i];
      SCOPED_TRACE(testing::Message() << name << " " << norm_name(norm) << " image " << r.index);
      EXPECT_LE(r.ibp, r.crown);
      EXPECT_LE(r.crown, r.best);
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

TEST(Robust, CertifiedRadiusNeverExceedsAttackRadiusForThePretrainedModel) {
  expect_bracket(pretrained_model().params, "pretrained");
}

TEST(Robust, CertifiedRadiusNeverExceedsAttackRadiusForAStreetSmartModel) {
  expect_bracket(street_smart_model().params, "street-smart");
}

TEST(Robust, CurveCountsCertifiedAndAttackedImagesAtEachRadius) {
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

namespace bs {
namespace {

// The page's sliced job computes exactly what the batch tool does, one unit at a time.
TEST(Robust, SlicedJobEqualsTheBatchMeasurement) {
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
