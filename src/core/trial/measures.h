// What one seed of the second trial measured, by the names docs/trial-rules.md gives its quantities and
// manipulation checks, and the reading of the rules from several seeds' measures (or from one model's, as the
// page shows them: an interval over its images alone, never a verdict of the trial).
//
// A quantity measured per image keeps its images' values (one column, or two paired columns for a comparison
// of two models on the same images) and the statistic the rules name; its interval is the hierarchical
// bootstrap over seeds and images. A quantity measured once per model keeps one value per seed; its interval
// is Student's t. A check keeps one value per seed and must hold in every seed.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/stats/intervals.h"
#include "core/trial/rules.h"
#include "core/util/status.h"

namespace bs {

enum class Statistic {
  kValue,                // one value per seed (Student's t)
  kMean,                 // mean of the column
  kMedian,               // median of the column (+inf counted as the largest)
  kRatioOfMedians,       // median(first) / median(second), images resampled as pairs
  kDifferenceOfMedians,  // median(first) - median(second), as pairs
  kDifferenceOfMeans,    // mean(first) - mean(second), as pairs
  // Four 0/1 columns (hits, trials, hits, trials): the first rate over the second, images resampled with all
  // four (a transfer rate on B over the rate on A, each counted where that model reads the image correctly).
  kRatioOfRates,
  // Eight such columns: the smaller of the two ratios of rates (a transfer judged both ways, on the same
  // images).
  kSmallerRatioOfRates,
};
const char* statistic_name(Statistic s);  // "value", "mean", "median", "ratioOfMedians", ...

struct Measure {
  Statistic statistic = Statistic::kValue;
  double value = 0;                          // kValue
  std::vector<std::vector<double>> columns;  // the others: one column, or two of equal length
  int left_out = 0;                          // images without a flip, left out (the first amendment)
};

// One seed's measures: by quantity name, and the checks' values by check id.
struct SeedMeasures {
  uint64_t seed = 0;
  std::map<std::string, Measure> quantities;
  std::map<std::string, double> checks;
};

// The statistic of one seed over `picks` (indices into its images, with repeats); NaN where undefined.
double seed_statistic(const Measure& m, const std::vector<uint32_t>& picks);
// The statistic over all its images once.
double seed_statistic(const Measure& m);

// The interval of one quantity over the seeds that measured it.
Interval quantity_interval(const std::vector<const Measure*>& per_seed, const BootstrapOptions& options = {});

struct CheckReading {
  const ManipulationCheck* check = nullptr;
  std::vector<double> per_seed;  // in the seeds' order; NaN where a seed did not measure it
  bool measured = false;         // by every seed
  bool holds = false;
};

struct RuleReading {
  RuleOutcome outcome;    // outcome.rule is always set
  bool measured = false;  // its quantity, by every seed; otherwise no interval and no verdict
};

struct CellReading {
  std::string experiment, account;
  CellVerdict verdict = CellVerdict::kSilent;
  bool measured = false;  // every rule of the cell was measured
};

// A quantity reported beside the rules, not judged.
struct ReportedReading {
  std::string quantity;
  Interval interval;
  bool measured = false;  // by every seed
};

struct TrialReading {
  std::vector<uint64_t> seeds;
  std::vector<ReportedReading> reported;  // reported_quantities(), in order
  std::vector<RuleReading> rules;         // every rule, in the table's order
  std::vector<CheckReading> checks;       // every check, in the table's order
  std::vector<CellReading> cells;         // every experiment x account with a rule there
};

// The rules read from the seeds' measures. A rule whose quantity some seed lacks is not measured; a guard
// that some seed did not measure counts as failed (the manipulation cannot be shown to have taken).
TrialReading read_trial(const std::vector<SeedMeasures>& seeds, const BootstrapOptions& options = {});

// Only the rules and checks of one experiment ("a" ... "f").
TrialReading read_experiment(const std::vector<SeedMeasures>& seeds, const std::string& experiment,
                             const BootstrapOptions& options = {});

// As JSON and back: {"seed", "quantities": {name: {"statistic", "value" | "columns", "leftOut"}}, "checks"}.
// An infinite radius is written as null, which reads back as +inf.
nlohmann::json measures_json(const SeedMeasures& m);
Expected<SeedMeasures> measures_from_json(const nlohmann::json& j);

// {"seeds", "rules": [{id, experiment, account, quantity, predicts, threshold, measured, estimate, lo, hi,
// verdict, failedCheck}], "checks": [...], "cells": {experiment: {account: verdict}}, "reported": [{quantity,
// measured, estimate, lo, hi}]}.
nlohmann::json reading_json(const TrialReading& r);

}  // namespace bs
