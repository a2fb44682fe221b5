#include "core/stats/intervals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/util/rng.h"

namespace bs {
namespace {

const double kInf = std::numeric_limits<double>::infinity();

// P(X >= k) and P(X <= k) for X ~ Binomial(n, p), summed term by term in long double: the brute-force
// reference.
long double binomial_tail_at_least(uint64_t k, uint64_t n, double p) {
  long double sum = 0;
  for (uint64_t i = k; i <= n; ++i)
    sum += std::exp(std::lgamma(n + 1.0L) - std::lgamma(i + 1.0L) - std::lgamma(n - i + 1.0L) +
                    i * std::log((long double)p) + (n - i) * std::log1p(-(long double)p));
  return sum;
}
long double binomial_tail_at_most(uint64_t k, uint64_t n, double p) {
  return 1 - (k + 1 <= n ? binomial_tail_at_least(k + 1, n, p) : 0.0L);
}

std::vector<uint32_t> all(size_t n) {
  std::vector<uint32_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = uint32_t(i);
  return p;
}

TEST(StudentT, QuantilesMatchPublishedTables) {
  EXPECT_NEAR(student_t_975(1), 12.706205, 1e-6);
  EXPECT_NEAR(student_t_975(4), 2.776445, 1e-6);
  EXPECT_NEAR(student_t_975(30), 2.042272, 1e-6);
  EXPECT_NEAR(student_t_975(60), 2.000298, 1e-5);  // beyond the table: the expansion
  EXPECT_NEAR(student_t_975(120), 1.979930, 1e-5);
  EXPECT_TRUE(std::isnan(student_t_975(0)));
}

TEST(StudentT, IntervalOfFiveValuesIsTheMeanPlusMinusTTimesTheStandardError) {
  const Interval in = student_t_interval({1, 2, 3, 4, 5});
  ASSERT_TRUE(in.defined);
  const double half = 2.776445 * std::sqrt(2.5 / 5);
  EXPECT_NEAR(in.estimate, 3, 1e-12);
  EXPECT_NEAR(in.lo, 3 - half, 1e-6);
  EXPECT_NEAR(in.hi, 3 + half, 1e-6);
}

TEST(StudentT, IntervalIsUndefinedForOneValueOrANonFiniteOne) {
  EXPECT_FALSE(student_t_interval({0.5}).defined);
  EXPECT_FALSE(student_t_interval({}).defined);
  EXPECT_FALSE(student_t_interval({0.5, kInf, 0.7}).defined);
  EXPECT_FALSE(student_t_interval({0.5, std::nan(""), 0.7}).defined);
}

TEST(ClopperPearson, EndsLeaveTwoAndAHalfPercentInEachExactBinomialTail) {
  const std::vector<std::pair<uint64_t, uint64_t>> cases = {{1, 10},   {5, 10},    {7, 20},
                                                            {99, 100}, {62, 2000}, {2870, 60000}};
  for (auto [k, n] : cases) {
    const Interval in = clopper_pearson(k, n);
    ASSERT_TRUE(in.defined);
    EXPECT_NEAR(in.estimate, double(k) / double(n), 1e-15);
    EXPECT_LT(in.lo, in.estimate);
    EXPECT_GT(in.hi, in.estimate);
    EXPECT_NEAR(double(binomial_tail_at_least(k, n, in.lo)), 0.025, 1e-9) << k << "/" << n;
    EXPECT_NEAR(double(binomial_tail_at_most(k, n, in.hi)), 0.025, 1e-9) << k << "/" << n;
  }
}

TEST(ClopperPearson, AllOrNothingHasAClosedEndAtZeroOrOne) {
  const Interval none = clopper_pearson(0, 10), every = clopper_pearson(10, 10);
  EXPECT_EQ(none.lo, 0);
  EXPECT_NEAR(none.hi, 1 - std::pow(0.025, 0.1), 1e-12);
  EXPECT_EQ(every.hi, 1);
  EXPECT_NEAR(every.lo, std::pow(0.025, 0.1), 1e-12);
  EXPECT_FALSE(clopper_pearson(0, 0).defined);
  EXPECT_FALSE(clopper_pearson(3, 2).defined);
}

TEST(Bootstrap, OfAConstantIsThatConstant) {
  const std::vector<double> v(50, 0.25);
  const Interval in = hierarchical_bootstrap(
      {50, 50, 50}, [&](size_t, const auto& p) { return mean_of(v, p); }, {200, 1, 0.95});
  ASSERT_TRUE(in.defined);
  EXPECT_EQ(in.estimate, 0.25);
  EXPECT_EQ(in.lo, 0.25);
  EXPECT_EQ(in.hi, 0.25);
}

TEST(Bootstrap, OneSeedsIntervalForAMeanHasTheWidthTheoryGives) {
  Pcg32 rng(7);
  std::vector<double> v(2000);
  for (double& x : v) x = rng.normal();
  double mean = 0, ss = 0;
  for (double x : v) mean += x / double(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  const double se = std::sqrt(ss / double(v.size() - 1) / double(v.size()));
  const Interval in = hierarchical_bootstrap({v.size()}, [&](size_t, const auto& p) { return mean_of(v, p); },
                                             {4000, 3, 0.95});
  ASSERT_TRUE(in.defined);
  EXPECT_NEAR(in.estimate, mean, 1e-12);
  EXPECT_NEAR(in.hi - in.lo, 2 * 1.959964 * se, 0.1 * 2 * 1.959964 * se);
  EXPECT_NEAR(0.5 * (in.lo + in.hi), mean, 0.2 * se);
}

TEST(Bootstrap, SpreadBetweenSeedsWidensTheInterval) {
  // Five seeds whose images agree closely within a seed: alike seeds give a narrow interval, differing seeds
  // a wide one, though every seed has the same within-seed noise.
  Pcg32 rng(11);
  std::vector<std::vector<double>> alike(5), differ(5);
  for (size_t s = 0; s < 5; ++s)
    for (int i = 0; i < 200; ++i) {
      const double noise = 0.05 * rng.normal();
      alike[s].push_back(2 + noise);
      differ[s].push_back(double(s) + noise);
    }
  const std::vector<size_t> units(5, 200);
  const Interval narrow = hierarchical_bootstrap(
      units, [&](size_t s, const auto& p) { return mean_of(alike[s], p); }, {2000, 5, 0.95});
  const Interval wide = hierarchical_bootstrap(
      units, [&](size_t s, const auto& p) { return mean_of(differ[s], p); }, {2000, 5, 0.95});
  EXPECT_LT(narrow.hi - narrow.lo, 0.02);
  EXPECT_GT(wide.hi - wide.lo, 1.0);
  EXPECT_LT(wide.lo, 2.0);
  EXPECT_GT(wide.hi, 2.0);
}

TEST(Bootstrap, IsUndefinedWhenTheStatisticIsUndefinedInAResample) {
  const std::vector<double> v = {1, 2, 3, 4};
  // Undefined whenever image 0 is drawn twice: happens in some resample of 4 images.
  const Interval in = hierarchical_bootstrap({4},
                                             [&](size_t, const std::vector<uint32_t>& p) {
                                               int zeros = 0;
                                               for (uint32_t i : p) zeros += i == 0;
                                               return zeros > 1 ? std::nan("") : mean_of(v, p);
                                             },
                                             {500, 1, 0.95});
  EXPECT_FALSE(in.defined);
}

TEST(Bootstrap, IsReproducibleFromItsGeneratorSeed) {
  const std::vector<double> v = {0.1, 0.9, 0.4, 0.7, 0.3, 0.8};
  auto run = [&](uint64_t seed) {
    return hierarchical_bootstrap({6, 6}, [&](size_t, const auto& p) { return median_of(v, p); },
                                  {300, seed, 0.95});
  };
  const Interval a = run(20261207), b = run(20261207);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
}

TEST(Bootstrap, MedianCountsAnInfiniteRadiusAsTheLargest) {
  const std::vector<double> v = {1, 2, kInf};
  EXPECT_EQ(median_of(v, all(3)), 2);
  EXPECT_EQ(median_of({1, kInf, kInf}, all(3)), kInf);
  EXPECT_EQ(median_of(v, {2, 2, 0}), kInf);
  EXPECT_TRUE(std::isnan(median_of(v, {})));
  EXPECT_TRUE(std::isnan(mean_of(v, {})));
}

}  // namespace
}  // namespace bs
