#include "core/stats/intervals.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/rng.h"

namespace bs {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The p-quantile of sorted values by nearest rank: a value that occurred, so +inf stays +inf (interpolating
// between a finite value and +inf would give NaN at a zero weight).
double nearest_rank(const std::vector<double>& sorted, double p) {
  const double rank = std::ceil(p * double(sorted.size()));
  const size_t i = size_t(std::clamp(rank, 1.0, double(sorted.size()))) - 1;
  return sorted[i];
}

// I_x(a, b), the regularized incomplete beta function, by its continued fraction (modified Lentz), used on
// the side where it converges fast.
double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    c = 1 + aa / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    c = 1 + aa / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-15) break;
  }
  return h;
}

double regularized_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  return 1 - std::exp(log_front) * beta_continued_fraction(b, a, 1 - x) / b;
}

// The p in (0, 1) where the increasing function f(p) crosses `target`, by bisection to double precision.
template <typename F>
double solve_increasing(F f, double target) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

Interval hierarchical_bootstrap(const std::vector<size_t>& units, const SeedStatistic& statistic,
                                const BootstrapOptions& options) {
  Interval out;
  const size_t seeds = units.size();
  if (seeds == 0 || options.resamples < 1) return out;
  std::vector<uint32_t> picks;
  double sum = 0;
  for (size_t s = 0; s < seeds; ++s) {
    picks.resize(units[s]);
    for (size_t i = 0; i < units[s]; ++i) picks[i] = uint32_t(i);
    sum += statistic(s, picks);
  }
  out.estimate = sum / double(seeds);
  if (std::isnan(out.estimate)) return out;

  Pcg32 rng(options.seed);
  std::vector<double> means(size_t(options.resamples));
  for (double& m : means) {
    double total = 0;
    for (size_t i = 0; i < seeds; ++i) {
      const size_t s = rng.below(uint32_t(seeds));
      picks.resize(units[s]);
      for (uint32_t& p : picks) p = rng.below(uint32_t(units[s]));
      total += statistic(s, picks);
    }
    m = total / double(seeds);
    if (std::isnan(m)) return out;  // undefined in a resample: no verdict
  }
  std::sort(means.begin(), means.end());
  const double tail = (1 - options.level) / 2;
  out.lo = nearest_rank(means, tail);
  out.hi = nearest_rank(means, 1 - tail);
  out.defined = true;
  return out;
}

double mean_of(const std::vector<double>& values, const std::vector<uint32_t>& picks) {
  if (picks.empty()) return kNaN;
  double sum = 0;
  for (uint32_t p : picks) sum += values[p];
  return sum / double(picks.size());
}

double median_of(const std::vector<double>& values, const std::vector<uint32_t>& picks) {
  if (picks.empty()) return kNaN;
  std::vector<double> v(picks.size());
  for (size_t i = 0; i < picks.size(); ++i) v[i] = values[picks[i]];
  std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
  return v[v.size() / 2];  // the upper middle, as core/util/median.h
}

double student_t_975(int df) {
  static const double table[] = {
      12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
      2.200985,  2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
      2.079614,  2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272};
  if (df < 1) return kNaN;
  if (df <= 30) return table[df - 1];
  // Beyond the table, the Cornish-Fisher expansion around the normal quantile (error below 1e-5 here).
  const double z = 1.959963984540054, n = df;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

Interval student_t_interval(const std::vector<double>& per_seed) {
  Interval out;
  const size_t n = per_seed.size();
  if (n < 2) return out;
  double sum = 0;
  for (double v : per_seed) {
    if (!std::isfinite(v)) return out;
    sum += v;
  }
  const double mean = sum / double(n);
  double ss = 0;
  for (double v : per_seed) ss += (v - mean) * (v - mean);
  const double half = student_t_975(int(n) - 1) * std::sqrt(ss / double(n - 1) / double(n));
  out.estimate = mean;
  out.lo = mean - half;
  out.hi = mean + half;
  out.defined = true;
  return out;
}

Interval clopper_pearson(uint64_t k, uint64_t n) {
  Interval out;
  if (n == 0 || k > n) return out;
  const double kd = double(k), nd = double(n);
  out.estimate = kd / nd;
  // P(X >= k | p) = I_p(k, n - k + 1) rises with p; the lower end is where it reaches 2.5 %.
  out.lo =
      k == 0 ? 0 : solve_increasing([&](double p) { return regularized_beta(kd, nd - kd + 1, p); }, 0.025);
  // P(X <= k | p) = 1 - I_p(k + 1, n - k) falls with p; the upper end is where it falls to 2.5 %.
  out.hi =
      k == n ? 1 : solve_increasing([&](double p) { return regularized_beta(kd + 1, nd - kd, p); }, 0.975);
  out.defined = true;
  return out;
}

}  // namespace bs
