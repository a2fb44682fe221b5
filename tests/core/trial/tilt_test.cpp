// Experiment f (regularisation and tilt): its measures against constructed cases, the job against itself in
// frame slices, and the manipulation it rests on (decay shrinks W1 off the span).
#include "core/trial/tilt.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/trial/recipe.h"
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

}  // namespace
}  // namespace bs
