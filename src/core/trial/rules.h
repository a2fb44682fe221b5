// The second trial's rules as data: docs/trial-rules.md's tables "Rules" and "Manipulation checks", which a
// test holds equal to this file, and the reading of a verdict from an interval. Nothing here knows how a
// quantity is measured; the experiments hand in intervals and per-seed check values by the quantity's name.
#pragma once

#include <string>
#include <vector>

#include "core/stats/intervals.h"

namespace bs {

enum class Predicts { kAbove, kBelow, kWithin };
enum class Must { kAtLeast, kAtMost };

// One row of "Rules": what one account predicts for one quantity. `upper` is used by kWithin only.
// `guards`: the manipulation checks this rule depends on (the prose under "Manipulation checks").
struct Rule {
  const char* id;
  const char* experiment;
  const char* account;
  const char* quantity;
  Predicts predicts;
  double threshold;
  double upper;
  std::vector<const char*> guards;
};

// One row of "Manipulation checks": a condition every seed's value must meet for the rules it guards to
// count.
struct ManipulationCheck {
  const char* id;
  const char* experiment;
  const char* quantity;
  Must must;
  double threshold;
};

const std::vector<Rule>& trial_rules();
// Quantities the rules report without judging them (trial-rules.md: a's tangent sizes, e's controls and
// push lengths), read with the same intervals. Each name begins with its experiment's letter.
const std::vector<std::string>& reported_quantities();
const std::vector<ManipulationCheck>& manipulation_checks();
const Rule* find_rule(const std::string& id);
const ManipulationCheck* find_check(const std::string& id);
const char* predicts_name(Predicts p);  // "above", "below", "within" (the document's words)
const char* must_name(Must m);          // "at least", "at most"

enum class RuleVerdict { kAgrees, kDisagrees, kUndecided, kNotRunAsDesigned };
const char* rule_verdict_name(RuleVerdict v);  // "agrees", "disagrees", "undecided", "not run as designed"

// Agrees when the whole interval lies on the predicted side of the threshold, disagrees when it lies wholly
// on the other, undecided otherwise (and whenever the interval is undefined).
RuleVerdict judge(const Rule& rule, const Interval& interval);

// A check holds when every seed's value meets it (and there is at least one seed, none of them NaN).
bool check_holds(const ManipulationCheck& check, const std::vector<double>& per_seed);

// One rule's reading: its interval, and its verdict or the guard that failed.
struct RuleOutcome {
  const Rule* rule = nullptr;
  Interval interval;
  RuleVerdict verdict = RuleVerdict::kUndecided;
  std::string failed_check;  // the first guard that failed, when verdict is kNotRunAsDesigned
};

// Judges `rule` from its interval, unless one of its guards is among `failed_checks`.
RuleOutcome read_rule(const Rule& rule, const Interval& interval,
                      const std::vector<std::string>& failed_checks);

enum class CellVerdict { kSilent, kAgrees, kDisagrees, kMixed, kUndecided, kNotRunAsDesigned };
const char* cell_verdict_name(CellVerdict v);  // "silent", ..., "not run as designed"

// An account's cell in one experiment, from its rules there: not run as designed if any rule's guard failed;
// otherwise agrees if all agree, disagrees if all disagree, mixed if at least one agrees and one disagrees,
// undecided otherwise; silent when the account has no rule there.
CellVerdict summarise_cell(const std::vector<RuleOutcome>& outcomes);

}  // namespace bs
