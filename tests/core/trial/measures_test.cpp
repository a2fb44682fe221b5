// The second trial's reading (core/trial/measures.h): each statistic on constructed images, intervals over
// seeds, rules that go unmeasured or unguarded, and the seed files' JSON, infinite radii included.
#include "core/trial/measures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace bs {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Measure column(Statistic s, std::vector<double> x, std::vector<double> y = {}) {
  Measure m;
  m.statistic = s;
  m.columns.push_back(std::move(x));
  if (!y.empty()) m.columns.push_back(std::move(y));
  return m;
}

Measure value(double v) {
  Measure m;
  m.value = v;
  return m;
}

BootstrapOptions quick() {
  BootstrapOptions o;
  o.resamples = 500;
  return o;
}

// Five seeds whose f measures put every f rule on one side: decay doubles the radius, turns the angle 10
// degrees towards the class means and raises the top-k share; decay took and the model still learns.
std::vector<SeedMeasures> tilt_seeds(double radius_factor, bool decay_took = true) {
  std::vector<SeedMeasures> out;
  for (uint64_t s = 1; s <= 5; ++s) {
    SeedMeasures m;
    m.seed = s;
    std::vector<double> r0, r1, a0, a1, k0, k1;
    for (int i = 0; i < 40; ++i) {
      const double jitter = 0.01 * ((i * 7 + int(s)) % 11), other = 0.01 * ((i * 3 + 5) % 11);
      r0.push_back(1 + jitter);
      r1.push_back(radius_factor * (1 + other));  // the same spread, not the same images' values
      a0.push_back(80 + jitter);
      a1.push_back(70 + jitter);
      k0.push_back(0.6 + jitter);
      k1.push_back(0.7 + jitter);
    }
    m.quantities["f.radius_ratio"] = column(Statistic::kRatioOfMedians, r1, r0);
    m.quantities["f.tilt_change"] = column(Statistic::kDifferenceOfMedians, a1, a0);
    m.quantities["f.share_change"] = column(Statistic::kDifferenceOfMeans, k1, k0);
    m.quantities["f.top_k_share.1e-2"] = column(Statistic::kMean, k1);
    m.checks["f.decay_took"] = decay_took ? 0.5 : 0.95;
    m.checks["f.still_learns"] = 0.97;
    out.push_back(std::move(m));
  }
  return out;
}

const RuleReading& rule(const TrialReading& r, const char* id) {
  for (const RuleReading& x : r.rules)
    if (std::string(x.outcome.rule->id) == id) return x;
  throw std::runtime_error(std::string("no rule ") + id);
}

CellVerdict cell(const TrialReading& r, const char* e, const char* a) {
  for (const CellReading& c : r.cells)
    if (c.experiment == e && c.account == a) return c.verdict;
  throw std::runtime_error("no cell");
}

TEST(Measures, EachStatisticComputesWhatItsNameSays) {
  EXPECT_DOUBLE_EQ(seed_statistic(column(Statistic::kMean, {1, 2, 6})), 3.0);
  EXPECT_DOUBLE_EQ(seed_statistic(column(Statistic::kMedian, {5, 1, kInf})), 5.0);
  EXPECT_DOUBLE_EQ(seed_statistic(column(Statistic::kRatioOfMedians, {2, 4, 6}, {1, 2, 3})), 2.0);
  EXPECT_DOUBLE_EQ(seed_statistic(column(Statistic::kDifferenceOfMedians, {2, 4, 6}, {1, 2, 3})), 2.0);
  EXPECT_DOUBLE_EQ(seed_statistic(column(Statistic::kDifferenceOfMeans, {2, 4, 6}, {1, 1, 1})), 3.0);
  EXPECT_DOUBLE_EQ(seed_statistic(value(0.25)), 0.25);
}

TEST(Measures, RatioOfRatesCountsHitsOverTrialsOnEachSide) {
  Measure m;
  m.statistic = Statistic::kRatioOfRates;
  m.columns = {{1, 0, 1, 0}, {1, 1, 1, 0}, {1, 1, 0, 0}, {1, 1, 1, 1}};  // 2/3 over 2/4
  EXPECT_DOUBLE_EQ(seed_statistic(m), (2.0 / 3) / (2.0 / 4));
  m.columns[2] = {0, 0, 0, 0};
  EXPECT_TRUE(std::isnan(seed_statistic(m))) << "a zero rate underneath";
}

TEST(Measures, SmallerRatioOfRatesIsUndefinedWhenEitherWayIs) {
  Measure m;
  m.statistic = Statistic::kSmallerRatioOfRates;
  m.columns = {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 0}, {1, 1}, {1, 1}, {1, 1}};  // 1 and 1/2
  EXPECT_DOUBLE_EQ(seed_statistic(m), 0.5);
  m.columns[6] = {0, 0};  // the second way's own rate is zero
  EXPECT_TRUE(std::isnan(seed_statistic(m)));
}

TEST(Measures, RatioOfTwoInfiniteMediansIsUndefined) {
  EXPECT_TRUE(std::isnan(seed_statistic(column(Statistic::kRatioOfMedians, {kInf, kInf}, {kInf, kInf}))));
}

TEST(Measures, OneValuePerSeedGetsStudentsTAndOneModelNoInterval) {
  const Measure a = value(1), b = value(2), c = value(3), d = value(4), e = value(5);
  const Interval five = quantity_interval({&a, &b, &c, &d, &e});
  ASSERT_TRUE(five.defined);
  EXPECT_DOUBLE_EQ(five.estimate, 3.0);
  EXPECT_NEAR(five.hi - five.estimate, 2.776445 * std::sqrt(2.5) / std::sqrt(5.0), 1e-6);
  const Interval one = quantity_interval({&c});
  EXPECT_FALSE(one.defined);
  EXPECT_DOUBLE_EQ(one.estimate, 3.0);
}

TEST(Measures, MismatchedColumnsGiveNoInterval) {
  const Measure broken = column(Statistic::kRatioOfMedians, {1, 2, 3}, {1, 2});
  EXPECT_FALSE(quantity_interval({&broken}).defined);
  const Measure one_column = column(Statistic::kRatioOfMedians, {1, 2, 3});
  EXPECT_FALSE(quantity_interval({&one_column}).defined);
}

TEST(TrialReading, ClearEffectsAgreeWithTheAccountsThatPredictThem) {
  const TrialReading r = read_experiment(tilt_seeds(2.0), "f", quick());
  EXPECT_EQ(rule(r, "f.tilting.angle").outcome.verdict, RuleVerdict::kAgrees);
  EXPECT_EQ(rule(r, "f.tilting.radius").outcome.verdict, RuleVerdict::kAgrees);
  EXPECT_EQ(rule(r, "f.features.radius").outcome.verdict, RuleVerdict::kDisagrees);
  EXPECT_EQ(rule(r, "f.features.share").outcome.verdict, RuleVerdict::kAgrees);
  EXPECT_EQ(cell(r, "f", "tilting"), CellVerdict::kAgrees);
  EXPECT_EQ(cell(r, "f", "offSpan"), CellVerdict::kAgrees);
  EXPECT_EQ(cell(r, "f", "features"), CellVerdict::kMixed);
}

TEST(TrialReading, NoEffectLeavesARuleUndecidedWhereTheIntervalStraddlesItsThreshold) {
  const TrialReading r = read_experiment(tilt_seeds(1.0), "f", quick());
  const RuleReading& x = rule(r, "f.tilting.radius");
  EXPECT_LT(x.outcome.interval.lo, 1.0);
  EXPECT_GT(x.outcome.interval.hi, 1.0);
  EXPECT_EQ(x.outcome.verdict, RuleVerdict::kUndecided);
}

TEST(TrialReading, AFailedManipulationCheckMeansNotRunAsDesigned) {
  const TrialReading r = read_experiment(tilt_seeds(2.0, false), "f", quick());
  EXPECT_EQ(rule(r, "f.tilting.radius").outcome.verdict, RuleVerdict::kNotRunAsDesigned);
  EXPECT_EQ(rule(r, "f.tilting.radius").outcome.failed_check, "f.decay_took");
  EXPECT_EQ(cell(r, "f", "tilting"), CellVerdict::kNotRunAsDesigned);
}

TEST(TrialReading, ACheckOneSeedDidNotMeasureCountsAsFailed) {
  std::vector<SeedMeasures> seeds = tilt_seeds(2.0);
  seeds[3].checks.erase("f.still_learns");
  const TrialReading r = read_experiment(seeds, "f", quick());
  EXPECT_EQ(rule(r, "f.offSpan.radius").outcome.verdict, RuleVerdict::kNotRunAsDesigned);
}

TEST(TrialReading, ARuleWhoseQuantityIsMissingIsNotMeasuredAndDecidesNothing) {
  std::vector<SeedMeasures> seeds = tilt_seeds(2.0);
  seeds[0].quantities.erase("f.share_change");
  const TrialReading r = read_experiment(seeds, "f", quick());
  EXPECT_FALSE(rule(r, "f.offSpan.share").measured);
  const nlohmann::json j = reading_json(r);
  EXPECT_EQ(j["cells"]["f"]["offSpan"], "not measured");
  EXPECT_EQ(j["cells"]["f"]["tilting"], "agrees");
  const TrialReading all = read_trial(seeds, quick());
  EXPECT_EQ(all.rules.size(), trial_rules().size()) << "every rule is listed, measured or not";
}

TEST(TrialReading, ReportedQuantitiesGetIntervalsButNoVerdict) {
  std::vector<SeedMeasures> seeds;
  for (uint64_t s = 1; s <= 5; ++s) {
    SeedMeasures m;
    m.seed = s;
    m.quantities["e.clean_accuracy.control_det"] = value(0.005 + 0.001 * double(s));
    seeds.push_back(m);
  }
  seeds[4].quantities.erase("e.clean_accuracy.control_det");
  seeds[4].quantities["e.clean_accuracy.control_rand"] = value(0.01);
  const TrialReading r = read_experiment(seeds, "e", quick());
  ASSERT_EQ(r.reported.size(), 6u) << "e's controls and push lengths, nothing of a";
  EXPECT_EQ(r.reported[0].quantity, "e.clean_accuracy.control_det");
  EXPECT_FALSE(r.reported[0].measured) << "seed 5 lacks it";
  seeds[4].quantities["e.clean_accuracy.control_det"] = value(0.010);
  const TrialReading all = read_experiment(seeds, "e", quick());
  ASSERT_TRUE(all.reported[0].measured);
  EXPECT_NEAR(all.reported[0].interval.estimate, 0.008, 1e-12);
  EXPECT_LT(all.reported[0].interval.lo, 0.008);
  EXPECT_GT(all.reported[0].interval.hi, 0.008);
  EXPECT_EQ(reading_json(all)["reported"][0]["quantity"], "e.clean_accuracy.control_det");
}

TEST(SeedMeasuresJson, RoundTripsWithInfiniteRadiiAsNull) {
  SeedMeasures m;
  m.seed = 3;
  m.quantities["f.radius_ratio"] = column(Statistic::kRatioOfMedians, {1, kInf}, {2, 3});
  m.quantities["f.radius_ratio"].left_out = 2;
  m.quantities["d.off_span_norm"] = value(12.5);
  m.checks["f.decay_took"] = 0.4;
  const nlohmann::json j = measures_json(m);
  EXPECT_TRUE(j["quantities"]["f.radius_ratio"]["columns"][0][1].is_null());
  const Expected<SeedMeasures> back = measures_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value().seed, 3u);
  EXPECT_TRUE(std::isinf(back.value().quantities.at("f.radius_ratio").columns[0][1]));
  EXPECT_EQ(back.value().quantities.at("f.radius_ratio").left_out, 2);
  EXPECT_EQ(back.value().quantities.at("d.off_span_norm").value, 12.5);
  EXPECT_EQ(back.value().checks.at("f.decay_took"), 0.4);
}

TEST(SeedMeasuresJson, RefusesMalformedFilesWithAReason) {
  EXPECT_FALSE(measures_from_json(nlohmann::json::array()).ok());
  nlohmann::json j = measures_json(tilt_seeds(2.0)[0]);
  j["quantities"]["f.radius_ratio"]["statistic"] = "mode";
  EXPECT_NE(measures_from_json(j).error().find("mode"), std::string::npos);
  j = measures_json(tilt_seeds(2.0)[0]);
  j["quantities"]["f.radius_ratio"]["columns"][1].erase(0);
  EXPECT_NE(measures_from_json(j).error().find("do not fit"), std::string::npos);
  j = measures_json(tilt_seeds(2.0)[0]);
  j["checks"]["f.decay_took"] = "low";
  EXPECT_NE(measures_from_json(j).error().find("f.decay_took"), std::string::npos);
}

}  // namespace
}  // namespace bs
