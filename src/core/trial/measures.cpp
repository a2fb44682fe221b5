#include "core/trial/measures.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bs {
namespace {

using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr const char* kStatisticNames[] = {"value",
                                           "mean",
                                           "median",
                                           "ratioOfMedians",
                                           "differenceOfMedians",
                                           "differenceOfMeans",
                                           "ratioOfRates",
                                           "smallerRatioOfRates"};

bool paired(Statistic s) {
  return s == Statistic::kRatioOfMedians || s == Statistic::kDifferenceOfMedians ||
         s == Statistic::kDifferenceOfMeans;
}

size_t image_count(const Measure& m) {
  return m.columns.empty() ? 0 : m.columns.front().size();
}

// Whether a measure is whole: the columns its statistic needs, of equal length.
bool well_formed(const Measure& m) {
  if (m.statistic == Statistic::kValue) return m.columns.empty();
  const size_t want = m.statistic == Statistic::kSmallerRatioOfRates ? 8
                      : m.statistic == Statistic::kRatioOfRates      ? 4
                      : paired(m.statistic)                          ? 2
                                                                     : 1;
  if (m.columns.size() != want) return false;
  for (const std::vector<double>& c : m.columns)
    if (c.size() != m.columns.front().size()) return false;
  return true;
}

// Columns first..first+3 as (hits, trials, hits, trials): the first rate over the second.
double ratio_of_rates(const Measure& m, size_t first, const std::vector<uint32_t>& picks) {
  double sums[4] = {0, 0, 0, 0};
  for (uint32_t p : picks)
    for (size_t c = 0; c < 4; ++c) sums[c] += m.columns[first + c][p];
  if (sums[1] == 0 || sums[3] == 0 || sums[2] == 0) return kNaN;  // a rate without trials, or over zero
  return (sums[0] / sums[1]) / (sums[2] / sums[3]);
}

}  // namespace

const char* statistic_name(Statistic s) {
  return kStatisticNames[size_t(s)];
}

double seed_statistic(const Measure& m, const std::vector<uint32_t>& picks) {
  static const std::vector<double> none;
  const std::vector<double>& x = m.columns.empty() ? none : m.columns[0];
  switch (m.statistic) {
    case Statistic::kValue:
      return m.value;
    case Statistic::kMean:
      return mean_of(x, picks);
    case Statistic::kMedian:
      return median_of(x, picks);
    case Statistic::kRatioOfMedians:
      return median_of(x, picks) / median_of(m.columns[1], picks);  // inf / inf: NaN, undefined
    case Statistic::kDifferenceOfMedians:
      return median_of(x, picks) - median_of(m.columns[1], picks);
    case Statistic::kDifferenceOfMeans:
      return mean_of(x, picks) - mean_of(m.columns[1], picks);
    case Statistic::kRatioOfRates:
      return ratio_of_rates(m, 0, picks);
    case Statistic::kSmallerRatioOfRates: {
      const double one = ratio_of_rates(m, 0, picks), other = ratio_of_rates(m, 4, picks);
      return std::isnan(one) || std::isnan(other) ? kNaN : std::min(one, other);
    }
  }
  return kNaN;
}

double seed_statistic(const Measure& m) {
  std::vector<uint32_t> all(image_count(m));
  for (size_t i = 0; i < all.size(); ++i) all[i] = uint32_t(i);
  return seed_statistic(m, all);
}

Interval quantity_interval(const std::vector<const Measure*>& per_seed, const BootstrapOptions& options) {
  if (per_seed.empty()) return {};
  const Statistic s = per_seed.front()->statistic;
  for (const Measure* m : per_seed)
    if (m->statistic != s || !well_formed(*m)) return {};
  if (s == Statistic::kValue) {
    std::vector<double> values;
    for (const Measure* m : per_seed) values.push_back(m->value);
    Interval in = student_t_interval(values);
    if (values.size() == 1) in.estimate = values[0];  // one model: its value, without an interval
    return in;
  }
  std::vector<size_t> units;
  for (const Measure* m : per_seed) {
    if (image_count(*m) == 0) return {};
    units.push_back(image_count(*m));
  }
  return hierarchical_bootstrap(
      units,
      [&](size_t seed, const std::vector<uint32_t>& picks) { return seed_statistic(*per_seed[seed], picks); },
      options);
}

TrialReading read_experiment(const std::vector<SeedMeasures>& seeds, const std::string& experiment,
                             const BootstrapOptions& options) {
  TrialReading out;
  for (const SeedMeasures& s : seeds) out.seeds.push_back(s.seed);
  std::vector<std::string> failed;
  for (const ManipulationCheck& c : manipulation_checks()) {
    if (!experiment.empty() && experiment != c.experiment) continue;
    CheckReading r;
    r.check = &c;
    r.measured = !seeds.empty();
    for (const SeedMeasures& s : seeds) {
      const auto it = s.checks.find(c.id);
      r.measured = r.measured && it != s.checks.end();
      r.per_seed.push_back(it == s.checks.end() ? kNaN : it->second);
    }
    r.holds = r.measured && check_holds(c, r.per_seed);
    if (!r.holds) failed.push_back(c.id);
    out.checks.push_back(std::move(r));
  }
  for (const Rule& rule : trial_rules()) {
    if (!experiment.empty() && experiment != rule.experiment) continue;
    RuleReading r;
    r.outcome.rule = &rule;
    std::vector<const Measure*> per_seed;
    for (const SeedMeasures& s : seeds) {
      const auto it = s.quantities.find(rule.quantity);
      if (it != s.quantities.end()) per_seed.push_back(&it->second);
    }
    r.measured = !seeds.empty() && per_seed.size() == seeds.size();
    if (r.measured) r.outcome = read_rule(rule, quantity_interval(per_seed, options), failed);
    out.rules.push_back(std::move(r));
  }
  for (const std::string& q : reported_quantities()) {
    if (!experiment.empty() && q.compare(0, experiment.size() + 1, experiment + ".") != 0) continue;
    ReportedReading r;
    r.quantity = q;
    std::vector<const Measure*> per_seed;
    for (const SeedMeasures& s : seeds) {
      const auto it = s.quantities.find(q);
      if (it != s.quantities.end()) per_seed.push_back(&it->second);
    }
    r.measured = !seeds.empty() && per_seed.size() == seeds.size();
    if (r.measured) r.interval = quantity_interval(per_seed, options);
    out.reported.push_back(std::move(r));
  }
  // The cells, in the order the rules first name them.
  for (const RuleReading& r : out.rules) {
    const std::string e = r.outcome.rule->experiment, a = r.outcome.rule->account;
    const bool seen = std::any_of(out.cells.begin(), out.cells.end(),
                                  [&](const CellReading& c) { return c.experiment == e && c.account == a; });
    if (seen) continue;
    CellReading cell{e, a, CellVerdict::kSilent, true};
    std::vector<RuleOutcome> outcomes;
    for (const RuleReading& x : out.rules)
      if (x.outcome.rule->experiment == e && x.outcome.rule->account == a) {
        cell.measured = cell.measured && x.measured;
        outcomes.push_back(x.outcome);
      }
    if (cell.measured) cell.verdict = summarise_cell(outcomes);
    out.cells.push_back(std::move(cell));
  }
  return out;
}

TrialReading read_trial(const std::vector<SeedMeasures>& seeds, const BootstrapOptions& options) {
  return read_experiment(seeds, "", options);
}

// ---- JSON

namespace {

json number(double v) {
  return std::isinf(v) && v > 0 ? json(nullptr) : json(v);  // JSON has no infinity: null is +inf here
}

}  // namespace

json measures_json(const SeedMeasures& m) {
  json q = json::object();
  for (const auto& [name, x] : m.quantities) {
    json e = {{"statistic", statistic_name(x.statistic)}};
    if (x.statistic == Statistic::kValue) {
      e["value"] = number(x.value);
    } else {
      json cols = json::array();
      for (const std::vector<double>& c : x.columns) {
        json col = json::array();
        for (double v : c) col.push_back(number(v));
        cols.push_back(std::move(col));
      }
      e["columns"] = std::move(cols);
      e["leftOut"] = x.left_out;
    }
    q[name] = std::move(e);
  }
  json checks = json::object();
  for (const auto& [id, v] : m.checks) checks[id] = number(v);
  return {{"seed", m.seed}, {"quantities", q}, {"checks", checks}};
}

Expected<SeedMeasures> measures_from_json(const json& j) {
  auto bad = [](const std::string& why) { return Error{"the measures cannot be read: " + why}; };
  auto read_number = [](const json& v, double* out) {
    if (v.is_null())
      *out = std::numeric_limits<double>::infinity();
    else if (v.is_number())
      *out = v.get<double>();
    else
      return false;
    return true;
  };
  if (!j.is_object() || !j.contains("seed") || !j["seed"].is_number_unsigned() || !j.contains("quantities") ||
      !j["quantities"].is_object() || !j.contains("checks") || !j["checks"].is_object())
    return bad("it needs \"seed\" (a whole number), \"quantities\" and \"checks\" (objects)");
  SeedMeasures m;
  m.seed = j["seed"].get<uint64_t>();
  for (const auto& [name, e] : j["quantities"].items()) {
    if (!e.is_object() || !e.contains("statistic") || !e["statistic"].is_string())
      return bad(name + " has no statistic");
    Measure x;
    const std::string s = e["statistic"].get<std::string>();
    const auto* it = std::find_if(std::begin(kStatisticNames), std::end(kStatisticNames),
                                  [&](const char* n) { return s == n; });
    if (it == std::end(kStatisticNames))
      return bad(name + "'s statistic \"" + s +
                 "\" is not one of value, mean, median, ratioOfMedians, differenceOfMedians, "
                 "differenceOfMeans, ratioOfRates, smallerRatioOfRates");
    x.statistic = Statistic(it - std::begin(kStatisticNames));
    if (x.statistic == Statistic::kValue) {
      if (!e.contains("value") || !read_number(e["value"], &x.value)) return bad(name + " has no value");
    } else {
      if (!e.contains("columns") || !e["columns"].is_array()) return bad(name + " has no columns");
      for (const json& c : e["columns"]) {
        if (!c.is_array()) return bad(name + "'s columns are not lists");
        std::vector<double> col;
        for (const json& v : c) {
          double d = 0;
          if (!read_number(v, &d)) return bad(name + " holds something that is not a number");
          col.push_back(d);
        }
        x.columns.push_back(std::move(col));
      }
      if (e.contains("leftOut") && e["leftOut"].is_number_integer()) x.left_out = e["leftOut"].get<int>();
    }
    if (!well_formed(x)) return bad(name + "'s columns do not fit its statistic (" + s + ")");
    m.quantities[name] = std::move(x);
  }
  for (const auto& [id, v] : j["checks"].items()) {
    double d = 0;
    if (!read_number(v, &d)) return bad("check " + id + " is not a number");
    m.checks[id] = d;
  }
  return m;
}

json reading_json(const TrialReading& r) {
  json rules = json::array();
  for (const RuleReading& x : r.rules) {
    const Rule& rule = *x.outcome.rule;
    const Interval& in = x.outcome.interval;
    json e = {{"id", rule.id},
              {"experiment", rule.experiment},
              {"account", rule.account},
              {"quantity", rule.quantity},
              {"predicts", predicts_name(rule.predicts)},
              {"threshold", rule.threshold},
              {"measured", x.measured}};
    if (rule.predicts == Predicts::kWithin) e["upper"] = rule.upper;
    e["estimate"] = x.measured && std::isfinite(in.estimate) ? json(in.estimate) : json(nullptr);
    e["lo"] = x.measured && in.defined ? number(in.lo) : json(nullptr);
    e["hi"] = x.measured && in.defined ? number(in.hi) : json(nullptr);
    e["verdict"] = x.measured ? rule_verdict_name(x.outcome.verdict) : "not measured";
    e["failedCheck"] = x.outcome.failed_check;
    rules.push_back(std::move(e));
  }
  json checks = json::array();
  for (const CheckReading& c : r.checks) {
    json per = json::array();
    for (double v : c.per_seed) per.push_back(std::isnan(v) ? json(nullptr) : number(v));
    checks.push_back({{"id", c.check->id},
                      {"experiment", c.check->experiment},
                      {"quantity", c.check->quantity},
                      {"must", must_name(c.check->must)},
                      {"threshold", c.check->threshold},
                      {"perSeed", per},
                      {"measured", c.measured},
                      {"holds", c.holds}});
  }
  json cells = json::object();
  for (const CellReading& c : r.cells)
    cells[c.experiment][c.account] = c.measured ? cell_verdict_name(c.verdict) : "not measured";
  json reported = json::array();
  for (const ReportedReading& x : r.reported) {
    const Interval& in = x.interval;
    reported.push_back(
        {{"quantity", x.quantity},
         {"measured", x.measured},
         {"estimate", x.measured && std::isfinite(in.estimate) ? json(in.estimate) : json(nullptr)},
         {"lo", x.measured && in.defined ? number(in.lo) : json(nullptr)},
         {"hi", x.measured && in.defined ? number(in.hi) : json(nullptr)}});
  }
  return {{"seeds", r.seeds}, {"rules", rules}, {"checks", checks}, {"cells", cells}, {"reported", reported}};
}

}  // namespace bs
