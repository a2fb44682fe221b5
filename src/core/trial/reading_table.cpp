#include "core/trial/reading_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

namespace bs {
namespace {

constexpr const char* kBegin = "<!-- trial-summary:begin -->";
constexpr const char* kEnd = "<!-- trial-summary:end -->";

// Three significant digits, "inf" for +inf: enough to read a verdict against its threshold.
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

std::string interval(bool measured, const Interval& in) {
  if (!measured) return "not measured";
  if (!in.defined) return number(in.estimate) + " (no interval)";
  return number(in.estimate) + " [" + number(in.lo) + ", " + number(in.hi) + "]";
}

std::string threshold(const Rule& r) {
  if (r.predicts == Predicts::kWithin) return "within " + number(r.threshold) + " to " + number(r.upper);
  return std::string(predicts_name(r.predicts)) + " " + number(r.threshold);
}

}  // namespace

std::string reading_markdown(const TrialReading& r) {
  std::ostringstream out;
  out << "Seeds:";
  for (uint64_t s : r.seeds) out << ' ' << s;
  out << ". Intervals: 95 %, hierarchical bootstrap over seeds and images, or Student's t over seeds.\n\n";

  // Accounts by experiments.
  std::vector<std::string> experiments, accounts;
  for (const CellReading& c : r.cells) {
    if (std::find(experiments.begin(), experiments.end(), c.experiment) == experiments.end())
      experiments.push_back(c.experiment);
    if (std::find(accounts.begin(), accounts.end(), c.account) == accounts.end())
      accounts.push_back(c.account);
  }
  out << "| account |";
  for (const std::string& e : experiments) out << ' ' << e << " |";
  out << "\n|---|";
  for (size_t i = 0; i < experiments.size(); ++i) out << "---|";
  out << '\n';
  for (const std::string& a : accounts) {
    out << "| " << a << " |";
    for (const std::string& e : experiments) {
      std::string v = "silent";
      for (const CellReading& c : r.cells)
        if (c.experiment == e && c.account == a)
          v = c.measured ? cell_verdict_name(c.verdict) : "not measured";
      out << ' ' << v << " |";
    }
    out << '\n';
  }

  out << "\n| rule | quantity | predicts | estimate [95 % interval] | verdict |\n|---|---|---|---|---|\n";
  for (const RuleReading& x : r.rules) {
    const Rule& rule = *x.outcome.rule;
    std::string verdict = x.measured ? rule_verdict_name(x.outcome.verdict) : "not measured";
    if (!x.outcome.failed_check.empty()) verdict += " (" + x.outcome.failed_check + ")";
    out << "| " << rule.id << " | " << rule.quantity << " | " << threshold(rule) << " | "
        << interval(x.measured, x.outcome.interval) << " | " << verdict << " |\n";
  }

  out << "\n| check | must be | per seed | holds |\n|---|---|---|---|\n";
  for (const CheckReading& c : r.checks) {
    out << "| " << c.check->id << " | " << must_name(c.check->must) << ' ' << number(c.check->threshold)
        << " | ";
    if (!c.measured) {
      out << "not measured | no |\n";
      continue;
    }
    for (size_t i = 0; i < c.per_seed.size(); ++i) out << (i ? ", " : "") << number(c.per_seed[i]);
    out << " | " << (c.holds ? "yes" : "no") << " |\n";
  }

  out << "\nReported, not judged:\n\n| quantity | estimate [95 % interval] |\n|---|---|\n";
  for (const ReportedReading& x : r.reported)
    out << "| " << x.quantity << " | " << interval(x.measured, x.interval) << " |\n";
  return out.str();
}

Expected<std::string> replace_between_markers(const std::string& doc, const std::string& tables) {
  const size_t begin = doc.find(kBegin);
  const size_t end = doc.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin)
    return Error{std::string("the document has no ") + kBegin + " ... " + kEnd + " block"};
  const size_t from = begin + std::string(kBegin).size();
  return doc.substr(0, from) + "\n" + tables + doc.substr(end);
}

}  // namespace bs
