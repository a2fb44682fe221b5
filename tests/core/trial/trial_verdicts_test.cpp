// The trial's verdict rules (core/trial/verdicts.h), on hand-made reports: each threshold a prediction states
// decides the agreement.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/trial/features.h"
#include "core/trial/rules.h"
#include "core/trial/verdicts.h"

namespace bs {
namespace {

MinimalSpanReport span_report(double top_k, float complement_over_free, float radius_over_linear) {
  MinimalSpanReport r;
  r.mean_shares.top_k = top_k;
  r.random_shares.top_k = 0.2;
  for (int i = 0; i < 3; ++i) {
    MinimalSpanImage im;
    im.radius = 1.0f + float(i);
    im.complement_radius = im.radius * complement_over_free;
    im.linear_radius = im.radius / radius_over_linear;
    r.images.push_back(im);
  }
  return r;
}

std::vector<Verdict> judge_span(double top_k, float complement_over_free, float radius_over_linear) {
  const MinimalSpanReport r = span_report(top_k, complement_over_free, radius_over_linear);
  return span_verdicts(&r);
}

TEST(TrialVerdicts, PendingBeforeAResultAndSilentWhereAnExplanationPredictsNothing) {
  for (const std::vector<Verdict>& v :
       {span_verdicts(nullptr), transfer_verdicts(nullptr), thin_verdicts(nullptr, false),
        optimizer_verdicts(nullptr), feature_verdicts(nullptr)}) {
    ASSERT_EQ(v.size(), kExplanationCount);
    for (size_t i = 0; i < v.size(); ++i) {
      EXPECT_EQ(size_t(v[i].explanation), i);
      EXPECT_TRUE(v[i].measured.empty());
      EXPECT_TRUE(v[i].agreement == Agreement::kPending || v[i].agreement == Agreement::kSilent);
    }
    EXPECT_EQ(v[size_t(Explanation::kTilting)].agreement, Agreement::kSilent);
  }
}

TEST(TrialVerdicts, SpanSharesDecideBetweenOffSpanAndFeatures) {
  const auto off = judge_span(0.3, 1.1f, 1.0f);
  EXPECT_EQ(off[0].agreement, Agreement::kAgrees);
  EXPECT_EQ(off[2].agreement, Agreement::kDisagrees);
  const auto in = judge_span(0.7, 1.1f, 1.0f);
  EXPECT_EQ(in[0].agreement, Agreement::kMixed) << "in-span energy, but the complement attack is as strong";
  EXPECT_EQ(in[2].agreement, Agreement::kAgrees);
  EXPECT_EQ(judge_span(0.7, 2.0f, 1.0f)[0].agreement, Agreement::kDisagrees);
}

TEST(TrialVerdicts, LinearityHoldsWithinItsBandAroundTheLinearEstimate) {
  EXPECT_EQ(judge_span(0.7, 1.0f, 1.2f)[1].agreement, Agreement::kAgrees);
  EXPECT_EQ(judge_span(0.7, 1.0f, 1.3f)[1].agreement, Agreement::kDisagrees);
  EXPECT_EQ(judge_span(0.7, 1.0f, 0.7f)[1].agreement, Agreement::kDisagrees);
  EXPECT_NE(judge_span(0.7, 1.0f, 1.2f)[1].measured.find("1.20"), std::string::npos);
}

// Experiment e's six sets, each with a fresh model tested on 10,000 images: the pushes reach their target for
// 95 % of the images, the pushed sets teach `pushed`, the off-span ones `off`, the controls 1 %.
FeaturesReport feature_sets(double pushed, double off) {
  FeaturesReport r;
  for (int s = 0; s < kPushSets; ++s) {
    FeaturesVariant v;
    v.name = push_set_name(PushSet(s));
    v.attempted = 1000;
    v.kept = 950;
    v.target_rate = 0.95;
    v.test_images = 10000;
    v.clean_test_accuracy = s < 2 ? pushed : s < 4 ? off : 0.01;
    r.variants.push_back(v);
  }
  return r;
}

std::vector<Verdict> verdicts_of(const FeaturesReport& r) {
  return feature_verdicts(&r);
}

TEST(TrialVerdicts, FeaturesAgreeWhenBothFreePushesTeachAboveTwentyPercent) {
  EXPECT_EQ(verdicts_of(feature_sets(0.45, 0.05))[2].agreement, Agreement::kAgrees);
  EXPECT_EQ(verdicts_of(feature_sets(0.10, 0.05))[2].agreement, Agreement::kDisagrees);
}

TEST(TrialVerdicts, OffSpanLeftoversAgreeWhenOffSpanPushesTeachUnderTwentyPercent) {
  EXPECT_EQ(verdicts_of(feature_sets(0.45, 0.05))[0].agreement, Agreement::kAgrees);
  EXPECT_EQ(verdicts_of(feature_sets(0.45, 0.30))[0].agreement, Agreement::kDisagrees);
}

TEST(TrialVerdicts, FeaturesAreMixedWhenOnlyDRandTeaches) {
  FeaturesReport r = feature_sets(0.45, 0.05);
  r.variants[0].clean_test_accuracy = 0.10;  // det
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kMixed);
}

TEST(TrialVerdicts, AnAccuracyWhoseIntervalHoldsTheThresholdIsUndecided) {
  // 20.5 % of 10,000: the Clopper-Pearson interval is about [19.7 %, 21.3 %].
  FeaturesReport r = feature_sets(0.205, 0.05);
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kUndecided);
  r.variants[0].test_images = r.variants[1].test_images = 1000000;  // the same rate, far more images
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kAgrees);
}

TEST(TrialVerdicts, PushesThatMissTheirTargetLeaveTheirSetNotRunAsDesigned) {
  FeaturesReport r = feature_sets(0.45, 0.05);
  r.variants[3].target_rate = 0.89;  // rand_off_span
  EXPECT_EQ(feature_verdicts(&r)[0].agreement, Agreement::kNotRunAsDesigned);
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kAgrees) << "the free pushes took";
}

TEST(TrialVerdicts, FeaturesMeasuresNameEveryQuantityAndCheckOfTheRules) {
  const SeedMeasures m = features_measures(feature_sets(0.45, 0.05), 4);
  EXPECT_EQ(m.seed, 4u);
  for (const Rule& rule : trial_rules())
    if (std::string(rule.experiment) == "e") {
      EXPECT_EQ(m.quantities.count(rule.quantity), 1u) << rule.id;
    }
  for (const ManipulationCheck& c : manipulation_checks())
    if (std::string(c.experiment) == "e") {
      EXPECT_DOUBLE_EQ(m.checks.at(c.id), 0.95) << c.id;
    }
  EXPECT_DOUBLE_EQ(m.quantities.at("e.clean_accuracy.control_rand").value, 0.01);
}

}  // namespace
}  // namespace bs
