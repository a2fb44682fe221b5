// The rows below are docs/trial-rules.md's, in its order; TrialRules.TheCodesTablesAreTheDocuments compares
// them.
#include "core/trial/rules.h"

#include <algorithm>
#include <cmath>

namespace bs {
namespace {

constexpr Predicts kAbove = Predicts::kAbove, kBelow = Predicts::kBelow, kWithin = Predicts::kWithin;

std::vector<const char*> both_c() {
  return {"c.leftovers_untouched", "c.learned"};
}
std::vector<const char*> both_f() {
  return {"f.decay_took", "f.still_learns"};
}

}  // namespace

const std::vector<Rule>& trial_rules() {
  static const std::vector<Rule> rules = {
      {"a.offSpan.share", "a", "offSpan", "a.top_k_share", kBelow, 0.5, 0, {}},
      {"a.features.share", "a", "features", "a.top_k_share", kAbove, 0.5, 0, {}},
      {"a.linearity.cosine", "a", "linearity", "a.gradient_cosine", kAbove, 0.9, 0, {}},
      {"a.tilting.angle", "a", "tilting", "a.tilt_angle", kAbove, 45, 0, {}},
      {"b.offSpan.transfer",
       "b",
       "offSpan",
       "b.transfer.off_span",
       kBelow,
       0.5,
       0,
       {"b.source_works.off_span"}},
      {"b.offSpan.cheaper", "b", "offSpan", "b.off_over_in_on_a", kAbove, 1, 0, {}},
      {"b.features.in_span",
       "b",
       "features",
       "b.transfer.in_span",
       kAbove,
       0.5,
       0,
       {"b.source_works.in_span"}},
      {"b.features.pgd", "b", "features", "b.transfer.pgd", kAbove, 0.5, 0, {"b.source_works.pgd"}},
      {"b.linearity.fgsm", "b", "linearity", "b.transfer.fgsm", kAbove, 0.5, 0, {"b.source_works.fgsm"}},
      {"b.linearity.flip_point", "b", "linearity", "b.flip_point_ratio", kWithin, 0.8, 1.25, {}},
      {"c.offSpan.cheaper.10", "c", "offSpan", "c.off_over_in.10", kBelow, 1, 0, both_c()},
      {"c.offSpan.cheaper.30", "c", "offSpan", "c.off_over_in.30", kBelow, 1, 0, both_c()},
      {"c.offSpan.cheaper.154", "c", "offSpan", "c.off_over_in.154", kBelow, 1, 0, both_c()},
      {"c.offSpan.scale.10", "c", "offSpan", "c.scale_effect.10", kBelow, 1, 0, both_c()},
      {"c.offSpan.scale.30", "c", "offSpan", "c.scale_effect.30", kBelow, 1, 0, both_c()},
      {"c.offSpan.scale.154", "c", "offSpan", "c.scale_effect.154", kBelow, 1, 0, both_c()},
      {"c.features.cheaper.10", "c", "features", "c.off_over_in.10", kAbove, 1, 0, both_c()},
      {"c.features.cheaper.30", "c", "features", "c.off_over_in.30", kAbove, 1, 0, both_c()},
      {"c.features.cheaper.154", "c", "features", "c.off_over_in.154", kAbove, 1, 0, both_c()},
      {"d.offSpan.radius", "d", "offSpan", "d.radius_ratio", kBelow, 1, 0, {"d.optimizers_differ"}},
      {"d.features.transfer", "d", "features", "d.transfer.pgd_equal_norm", kAbove, 0.5, 0, {}},
      {"e.offSpan.rand",
       "e",
       "offSpan",
       "e.clean_accuracy.rand_off_span",
       kBelow,
       0.2,
       0,
       {"e.pushes_succeed.rand_off_span"}},
      {"e.offSpan.det",
       "e",
       "offSpan",
       "e.clean_accuracy.det_off_span",
       kBelow,
       0.2,
       0,
       {"e.pushes_succeed.det_off_span"}},
      {"e.features.rand",
       "e",
       "features",
       "e.clean_accuracy.rand",
       kAbove,
       0.2,
       0,
       {"e.pushes_succeed.rand"}},
      {"e.features.det", "e", "features", "e.clean_accuracy.det", kAbove, 0.2, 0, {"e.pushes_succeed.det"}},
      {"f.tilting.angle", "f", "tilting", "f.tilt_change", kBelow, 0, 0, both_f()},
      {"f.tilting.radius", "f", "tilting", "f.radius_ratio", kAbove, 1, 0, both_f()},
      {"f.offSpan.radius", "f", "offSpan", "f.radius_ratio", kAbove, 1, 0, both_f()},
      {"f.offSpan.share", "f", "offSpan", "f.share_change", kAbove, 0, 0, both_f()},
      {"f.features.radius", "f", "features", "f.radius_ratio", kBelow, 1.25, 0, both_f()},
      {"f.features.share", "f", "features", "f.top_k_share.1e-2", kAbove, 0.5, 0, both_f()},
  };
  return rules;
}

const std::vector<std::string>& reported_quantities() {
  static const std::vector<std::string> names = {"a.tangent_share.10",
                                                 "a.tangent_share.40",
                                                 "a.tangent_complement_ratio.10",
                                                 "a.tangent_complement_ratio.40",
                                                 "e.clean_accuracy.control_det",
                                                 "e.clean_accuracy.control_rand",
                                                 "e.median_push_l2.det",
                                                 "e.median_push_l2.rand",
                                                 "e.median_push_l2.det_off_span",
                                                 "e.median_push_l2.rand_off_span"};
  return names;
}

const std::vector<ManipulationCheck>& manipulation_checks() {
  static const std::vector<ManipulationCheck> checks = {
      {"a.tangent_holds_energy", "a", "the tangent space's mean share of δ's energy", Must::kAtLeast, 0.2},
      {"b.source_works.in_span", "b", "b.rate_a.in_span", Must::kAtLeast, 0.5},
      {"b.source_works.off_span", "b", "b.rate_a.off_span", Must::kAtLeast, 0.5},
      {"b.source_works.pgd", "b", "b.rate_a.pgd", Must::kAtLeast, 0.5},
      {"b.source_works.fgsm", "b", "b.rate_a.fgsm", Must::kAtLeast, 0.5},
      {"c.leftovers_untouched", "c", "largest off-span change of W1 over its total change", Must::kAtMost,
       0.001},
      {"c.learned", "c", "accuracy on raw test images, d = 30 and 154", Must::kAtLeast, 0.9},
      {"d.optimizers_differ", "d", "relative difference of d.off_span_norm between SGD and Adam",
       Must::kAtLeast, 0.1},
      {"e.pushes_succeed.det", "e", "e.target_rate_on_a.det", Must::kAtLeast, 0.9},
      {"e.pushes_succeed.rand", "e", "e.target_rate_on_a.rand", Must::kAtLeast, 0.9},
      {"e.pushes_succeed.det_off_span", "e", "e.target_rate_on_a.det_off_span", Must::kAtLeast, 0.9},
      {"e.pushes_succeed.rand_off_span", "e", "e.target_rate_on_a.rand_off_span", Must::kAtLeast, 0.9},
      {"f.decay_took", "f", "f.off_span_norm at 1e-2 over at 0", Must::kAtMost, 0.9},
      {"f.still_learns", "f", "f.clean_accuracy at 1e-2", Must::kAtLeast, 0.9},
  };
  return checks;
}

const Rule* find_rule(const std::string& id) {
  for (const Rule& r : trial_rules())
    if (id == r.id) return &r;
  return nullptr;
}

const ManipulationCheck* find_check(const std::string& id) {
  for (const ManipulationCheck& c : manipulation_checks())
    if (id == c.id) return &c;
  return nullptr;
}

const char* predicts_name(Predicts p) {
  const char* names[] = {"above", "below", "within"};
  return names[size_t(p)];
}
const char* must_name(Must m) {
  return m == Must::kAtLeast ? "at least" : "at most";
}
const char* rule_verdict_name(RuleVerdict v) {
  const char* names[] = {"agrees", "disagrees", "undecided", "not run as designed"};
  return names[size_t(v)];
}
const char* cell_verdict_name(CellVerdict v) {
  const char* names[] = {"silent", "agrees", "disagrees", "mixed", "undecided", "not run as designed"};
  return names[size_t(v)];
}

RuleVerdict judge(const Rule& rule, const Interval& in) {
  if (!in.defined || std::isnan(in.lo) || std::isnan(in.hi)) return RuleVerdict::kUndecided;
  const double t = rule.threshold;
  switch (rule.predicts) {
    case Predicts::kAbove:
      return in.lo > t ? RuleVerdict::kAgrees : in.hi < t ? RuleVerdict::kDisagrees : RuleVerdict::kUndecided;
    case Predicts::kBelow:
      return in.hi < t ? RuleVerdict::kAgrees : in.lo > t ? RuleVerdict::kDisagrees : RuleVerdict::kUndecided;
    case Predicts::kWithin:
      if (in.lo >= t && in.hi <= rule.upper) return RuleVerdict::kAgrees;
      if (in.hi < t || in.lo > rule.upper) return RuleVerdict::kDisagrees;
      return RuleVerdict::kUndecided;
  }
  return RuleVerdict::kUndecided;
}

bool check_holds(const ManipulationCheck& check, const std::vector<double>& per_seed) {
  if (per_seed.empty()) return false;
  return std::all_of(per_seed.begin(), per_seed.end(), [&](double v) {
    return check.must == Must::kAtLeast ? v >= check.threshold : v <= check.threshold;  // NaN fails both
  });
}

RuleOutcome read_rule(const Rule& rule, const Interval& interval,
                      const std::vector<std::string>& failed_checks) {
  RuleOutcome out;
  out.rule = &rule;
  out.interval = interval;
  for (const char* guard : rule.guards)
    if (std::find(failed_checks.begin(), failed_checks.end(), guard) != failed_checks.end()) {
      out.verdict = RuleVerdict::kNotRunAsDesigned;
      out.failed_check = guard;
      return out;
    }
  out.verdict = judge(rule, interval);
  return out;
}

CellVerdict summarise_cell(const std::vector<RuleOutcome>& outcomes) {
  if (outcomes.empty()) return CellVerdict::kSilent;
  size_t agree = 0, disagree = 0;
  for (const RuleOutcome& o : outcomes) {
    if (o.verdict == RuleVerdict::kNotRunAsDesigned) return CellVerdict::kNotRunAsDesigned;
    agree += o.verdict == RuleVerdict::kAgrees;
    disagree += o.verdict == RuleVerdict::kDisagrees;
  }
  if (agree == outcomes.size()) return CellVerdict::kAgrees;
  if (disagree == outcomes.size()) return CellVerdict::kDisagrees;
  if (agree > 0 && disagree > 0) return CellVerdict::kMixed;
  return CellVerdict::kUndecided;
}

}  // namespace bs
