// The trial's verdict rules (core/trial/verdicts.h), on hand-made reports: each threshold a prediction states
// decides the agreement.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(TrialVerdicts, FeaturesAgreeOnlyWhenTheFreePushTeachesAboveTwentyPercent) {
  FeaturesReport r;
  for (const char* name : {"pgd", "off_span", "control"}) r.variants.push_back({name, 0.5, 0.01, Model()});
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kDisagrees);
  EXPECT_EQ(feature_verdicts(&r)[0].agreement, Agreement::kAgrees);
  r.variants[0].clean_test_accuracy = 0.45;
  r.variants[1].clean_test_accuracy = 0.25;
  EXPECT_EQ(feature_verdicts(&r)[2].agreement, Agreement::kAgrees);
  EXPECT_EQ(feature_verdicts(&r)[0].agreement, Agreement::kDisagrees);
}

}  // namespace
}  // namespace bs
