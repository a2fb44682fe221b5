// Experiment f (regularisation and tilt): its measures against constructed cases, the job against itself in
// frame slices, and the manipulation it rests on (decay shrinks W1 off the span).
#include "core/trial/tilt.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/trial/recipe.h"
#include "core/trial/verdicts.h"
#include "tests/core/mnist_data.h"
#include "tests/core/trial/trial_data.h"

namespace bs {
namespace {

using namespace test_trial;

TEST(Tilt, AngleIsZeroAlongNinetyAcrossAndOneEightyAgainst) {
  const float a[3] = {1, 2, 0}, b[3] = {2, 4, 0}, c[3] = {-2, 1, 0}, d[3] = {-1, -2, 0}, zero[3] = {0, 0, 0};
  EXPECT_NEAR(angle_deg(a, b, 3), 0.0, 1e-6);
  EXPECT_NEAR(angle_deg(a, c, 3), 90.0, 1e-9);
  EXPECT_NEAR(angle_deg(a, d, 3), 180.0, 1e-6);
  EXPECT_EQ(angle_deg(a, zero, 3), 90.0);
  const float e[2] = {1, 0}, f[2] = {1, 1};
  EXPECT_NEAR(angle_deg(e, f, 2), 45.0, 1e-9);
}

TEST(Tilt, ClassMeansAreEachClassesAverageImage) {
  Dataset d;
  d.images.assign(3 * kPixels, 0);
  d.images[0] = 255;               // image 0, class 4: pixel 0 lit
  d.images[kPixels + 1] = 255;     // image 1, class 4: pixel 1 lit
  d.images[2 * kPixels + 5] = 51;  // image 2, class 9: pixel 5 at 0.2
  d.labels = {4, 4, 9};
  const Mat m = class_means(d);
  EXPECT_FLOAT_EQ(m(0, 4), 0.5f);
  EXPECT_FLOAT_EQ(m(1, 4), 0.5f);
  EXPECT_FLOAT_EQ(m(5, 9), 0.2f);
  EXPECT_FLOAT_EQ(m.col(0).sum(), 0.0f) << "a class with no images has a zero mean";
}

TEST(Tilt, ClassMeansInSlicesEqualOneCall) {
  const Dataset train = test::train_head().first(1234);
  ClassMeansBuilder b(train);
  int calls = 1;
  while (!b.add(100)) ++calls;
  EXPECT_EQ(calls, 13);
  EXPECT_TRUE(b.means() == class_means(train));
}

TEST(Tilt, OffSpanNormIsTheWeightsNormOutsideTheTopK) {
  const Subspace& s = head_subspace();
  MatRM w = MatRM::Zero(3, kPixels);
  w.row(0) = 2.0f * s.basis.row(0);   // inside the top 10
  w.row(1) = 3.0f * s.basis.row(50);  // outside it
  EXPECT_NEAR(off_span_norm(w, s, 10), 3.0, 1e-4);
  EXPECT_NEAR(off_span_norm(w, s, 0), std::sqrt(13.0), 1e-4);
  EXPECT_NEAR(off_span_norm(w, s, 784), 0.0, 1e-3);
}

TiltSettings small_settings() {
  TiltSettings s;
  s.decays = {3e-2f};
  s.epochs = 1;
  s.images = 6;
  s.attack.steps = 5;
  s.attack.restarts = 1;
  return s;
}

TEST(Tilt, RunsTheBookModelFirstThenTrainsEachDecayFromTheSameSeed) {
  const Dataset train = test::train_head().first(2000);
  const Model book = train_recipe(train, 5, 1);
  const TiltReport r =
      tilt_experiment(book, train, test::mnist(Split::kTest), head_subspace(), 5, small_settings());
  ASSERT_EQ(r.runs.size(), 2u);
  EXPECT_EQ(r.runs[0].decay, 0.0f);
  EXPECT_TRUE(r.runs[0].model.params.w1 == book.params.w1) << "decay 0 is the book's model itself";
  EXPECT_EQ(r.runs[1].decay, 3e-2f);
  EXPECT_TRUE(r.runs[1].model.init.w1 == book.init.w1) << "the same initial weights";
  EXPECT_FALSE(r.runs[1].model.params.w1 == book.params.w1);
  // The manipulation takes: decay shrinks W1 off the span.
  EXPECT_LT(r.runs[1].off_span_norm, 0.9 * r.runs[0].off_span_norm);
  for (const DecayRun& run : r.runs) {
    EXPECT_GT(run.clean_accuracy, 0.7) << run.decay;
    ASSERT_EQ(run.images.size(), 6u) << run.decay;
    for (const TiltImage& im : run.images) {
      if (im.reached < 0) {
        EXPECT_TRUE(std::isinf(im.radius));
        continue;
      }
      EXPECT_NE(im.reached, im.label);
      EXPECT_GT(im.radius, 0.0f);
      EXPECT_GE(im.angle_deg, 0.0);
      EXPECT_LE(im.angle_deg, 180.0);
      EXPECT_GE(im.top_k_share, 0.0);
      EXPECT_LE(im.top_k_share, 1.0);
    }
  }
  // Both models are measured on the same images: the first ones both classify correctly.
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(r.runs[0].images[i].index, r.runs[1].images[i].index);
}

TEST(Tilt, TheJobInFrameSlicesEqualsOneCall) {
  const Dataset train = test::train_head().first(1000);
  const Model book = train_recipe(train, 6, 1);
  TiltSettings s = small_settings();
  s.images = 3;
  const TiltReport one = tilt_experiment(book, train, test::mnist(Split::kTest), head_subspace(), 6, s);
  TiltJob job(book, train, test::mnist(Split::kTest), head_subspace(), 6, s, Slicing::frame());
  while (!job.done()) job.step();
  const TiltReport& sliced = job.report();
  ASSERT_EQ(sliced.runs.size(), one.runs.size());
  for (size_t i = 0; i < one.runs.size(); ++i) {
    EXPECT_TRUE(sliced.runs[i].model.params.w1 == one.runs[i].model.params.w1) << i;
    EXPECT_EQ(sliced.runs[i].clean_accuracy, one.runs[i].clean_accuracy) << i;
    EXPECT_EQ(sliced.runs[i].off_span_norm, one.runs[i].off_span_norm) << i;
    ASSERT_EQ(sliced.runs[i].images.size(), one.runs[i].images.size()) << i;
    for (size_t j = 0; j < one.runs[i].images.size(); ++j) {
      EXPECT_EQ(sliced.runs[i].images[j].radius, one.runs[i].images[j].radius) << i << "," << j;
      EXPECT_EQ(sliced.runs[i].images[j].reached, one.runs[i].images[j].reached) << i << "," << j;
    }
  }
}

// Two runs over images 0..n-1 (decay 0 measured on images 0..n-1, decay 1e-2 on 1..n: one image each of its
// own), the judged one with `factor` times the radius, `turn` degrees less angle and `more` top-k share.
TiltReport constructed(int n, double factor, double turn, double more) {
  TiltReport r;
  for (float decay : {0.0f, kJudgedDecay}) {
    DecayRun run;
    run.decay = decay;
    run.clean_accuracy = 0.97;
    run.off_span_norm = decay == 0 ? 10 : 4;
    const bool judged = decay != 0;
    for (int i = judged ? 1 : 0; i < (judged ? n + 1 : n); ++i) {
      TiltImage im;
      im.index = uint32_t(i);
      im.label = 1;
      im.reached = i == 3 ? -1 : 2;  // image 3 finds no flip under either model
      const double spread = 0.02 * ((i * 7) % 13);
      im.radius = im.reached < 0 ? INFINITY : float((judged ? factor : 1.0) * (1 + spread));
      im.angle_deg = im.reached < 0 ? NAN : 80 + spread - (judged ? turn : 0);
      im.top_k_share = im.reached < 0 ? NAN : 0.6 + spread + (judged ? more : 0);
      run.images.push_back(im);
    }
    r.runs.push_back(run);
  }
  return r;
}

TEST(TiltMeasures, PairTheJudgedDecayWithDecayZeroOnTheImagesBothMeasured) {
  const SeedMeasures m = tilt_measures(constructed(40, 2, 10, 0.1), 7);
  EXPECT_EQ(m.seed, 7u);
  const Measure& radius = m.quantities.at("f.radius_ratio");
  ASSERT_EQ(radius.columns.size(), 2u);
  EXPECT_EQ(radius.columns[0].size(), 39u) << "images 1..39 are in both runs";
  EXPECT_TRUE(std::isinf(radius.columns[0][2])) << "no flip: its radius counts, as +inf";
  const Measure& angle = m.quantities.at("f.tilt_change");
  EXPECT_EQ(angle.columns[0].size(), 38u);
  EXPECT_EQ(angle.left_out, 1) << "the image without a flip has no angle";
  EXPECT_NEAR(seed_statistic(radius), 2.0, 0.05);
  EXPECT_NEAR(seed_statistic(angle), -10.0, 0.5);
  EXPECT_NEAR(m.checks.at("f.decay_took"), 0.4, 1e-12);
  EXPECT_EQ(m.checks.at("f.still_learns"), 0.97);
}

TEST(TiltMeasures, AreEmptyWithoutAModelAtTheJudgedDecay) {
  TiltReport r = constructed(10, 2, 10, 0.1);
  r.runs.pop_back();
  EXPECT_TRUE(tilt_measures(r, 1).quantities.empty());
  EXPECT_EQ(tilt_verdicts(&r, 1)[0].agreement, Agreement::kPending);
}

TEST(TiltVerdicts, ReadOneModelsImagesByTheSecondTrialsRules) {
  const TiltReport clear = constructed(60, 2, 10, 0.1);
  const std::vector<Verdict> v = tilt_verdicts(&clear, 1);
  EXPECT_EQ(v[size_t(Explanation::kTilting)].agreement, Agreement::kAgrees);
  EXPECT_EQ(v[size_t(Explanation::kOffSpan)].agreement, Agreement::kAgrees);
  EXPECT_EQ(v[size_t(Explanation::kFeatures)].agreement, Agreement::kMixed)
      << "radius grew by more than 1.25";
  EXPECT_EQ(v[size_t(Explanation::kLinearity)].agreement, Agreement::kSilent);
  EXPECT_NE(v[size_t(Explanation::kTilting)].measured.find("this model's images only"), std::string::npos);
  TiltReport opposite = constructed(60, 0.5, -10, -0.1);
  EXPECT_EQ(tilt_verdicts(&opposite, 1)[size_t(Explanation::kTilting)].agreement, Agreement::kDisagrees);
}

TEST(TiltVerdicts, SayNotRunAsDesignedWhenDecayDidNotTake) {
  TiltReport r = constructed(60, 2, 10, 0.1);
  r.runs[1].off_span_norm = 9.5;  // 0.95 of decay 0's: over the check's 0.9
  const std::vector<Verdict> v = tilt_verdicts(&r, 1);
  EXPECT_EQ(v[size_t(Explanation::kTilting)].agreement, Agreement::kNotRunAsDesigned);
  EXPECT_NE(v[size_t(Explanation::kTilting)].measured.find("f.decay_took"), std::string::npos);
}

}  // namespace
}  // namespace bs
