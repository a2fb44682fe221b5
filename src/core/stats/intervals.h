// The 95 % intervals the trial's verdicts are read from (docs/trial-rules.md, "Uncertainty"): a hierarchical
// percentile bootstrap for quantities measured per image over several seeds, the Student-t interval for one
// value per seed, and the exact Clopper-Pearson interval for a rate counted on one model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace bs {

// A two-sided interval with its point estimate. `defined` is false when the statistic had no value (no seeds,
// or a resample where it was undefined, such as a ratio of two infinite radii): no verdict can be read from
// it.
struct Interval {
  double estimate = 0;
  double lo = 0;
  double hi = 0;
  bool defined = false;
};

// One seed's statistic, computed from a resample of its units (images): `picks` holds indices into that
// seed's units, with repeats, as many as it has units. Returns NaN where the statistic is undefined.
using SeedStatistic = std::function<double(size_t seed, const std::vector<uint32_t>& picks)>;

struct BootstrapOptions {
  int resamples = 10000;
  uint64_t seed = 20261207;  // the rules' generator seed: the interval is reproducible
  double level = 0.95;
};

// The mean over seeds of `statistic`, and its percentile interval over resamples that draw the seeds with
// replacement and then, within each drawn seed, its `units[seed]` units with replacement. The estimate uses
// every unit of every seed once.
Interval hierarchical_bootstrap(const std::vector<size_t>& units, const SeedStatistic& statistic,
                                const BootstrapOptions& options = {});

// The usual statistics over a seed's picked values: mean and median (+inf counted as the largest).
double mean_of(const std::vector<double>& values, const std::vector<uint32_t>& picks);
double median_of(const std::vector<double>& values, const std::vector<uint32_t>& picks);

// Mean of the values (one per seed) +- t(0.975, n - 1) * sd / sqrt(n). Undefined for fewer than two values
// or a non-finite one.
Interval student_t_interval(const std::vector<double>& per_seed);
// The two-sided 97.5 % quantile of Student's t with `df` degrees of freedom (df >= 1).
double student_t_975(int df);

// The exact (Clopper-Pearson) 95 % interval of a rate: k successes in n trials.
Interval clopper_pearson(uint64_t k, uint64_t n);

}  // namespace bs
