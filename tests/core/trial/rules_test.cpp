#include "core/trial/rules.h"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace bs {
namespace {

// The rows of the markdown table under the heading `## <title>` in docs/trial-rules.md, cells trimmed, the
// header and the separator left out.
std::vector<std::vector<std::string>> document_table(const std::string& title) {
  std::ifstream in(std::string(BOOKSMART_SOURCE_DIR) + "/docs/trial-rules.md");
  EXPECT_TRUE(in) << "docs/trial-rules.md is missing";
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool inside = false;
  int seen = 0;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## " + title;
    if (!inside || line.empty() || line[0] != '|') continue;
    if (++seen <= 2) continue;  // header, separator
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      const size_t a = cell.find_first_not_of(' '), b = cell.find_last_not_of(' ');
      cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
    }
    rows.push_back(cells);
  }
  return rows;
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

Interval interval(double lo, double hi) {
  Interval in;
  in.estimate = 0.5 * (lo + hi);
  in.lo = lo;
  in.hi = hi;
  in.defined = true;
  return in;
}

TEST(TrialRules, TheCodesRulesAreTheDocumentsRowForRow) {
  const auto rows = document_table("Rules");
  ASSERT_EQ(rows.size(), trial_rules().size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Rule& r = trial_rules()[i];
    ASSERT_EQ(rows[i].size(), 6u) << i;
    EXPECT_EQ(rows[i][0], r.id);
    EXPECT_EQ(rows[i][1], r.experiment) << r.id;
    EXPECT_EQ(rows[i][2], r.account) << r.id;
    EXPECT_EQ(rows[i][3], r.quantity) << r.id;
    EXPECT_EQ(rows[i][4], predicts_name(r.predicts)) << r.id;
    const std::string threshold =
        r.predicts == Predicts::kWithin ? number(r.threshold) + " " + number(r.upper) : number(r.threshold);
    EXPECT_EQ(rows[i][5], threshold) << r.id;
  }
}

TEST(TrialRules, TheCodesManipulationChecksAreTheDocumentsRowForRow) {
  const auto rows = document_table("Manipulation checks");
  ASSERT_EQ(rows.size(), manipulation_checks().size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const ManipulationCheck& c = manipulation_checks()[i];
    ASSERT_EQ(rows[i].size(), 5u) << i;
    EXPECT_EQ(rows[i][0], c.id);
    EXPECT_EQ(rows[i][1], c.experiment) << c.id;
    EXPECT_EQ(rows[i][2], c.quantity) << c.id;
    EXPECT_EQ(rows[i][3], must_name(c.must)) << c.id;
    EXPECT_EQ(rows[i][4], number(c.threshold)) << c.id;
  }
}

TEST(TrialRules, EveryAccountIsTestedByAtLeastTwoExperiments) {
  std::map<std::string, std::set<std::string>> experiments;
  for (const Rule& r : trial_rules()) experiments[r.account].insert(r.experiment);
  ASSERT_EQ(experiments.size(), 4u);
  for (const auto& [account, where] : experiments) EXPECT_GE(where.size(), 2u) << account;
}

TEST(TrialRules, EveryGuardIsAManipulationCheckOfTheSameExperiment) {
  std::set<std::string> used;
  for (const Rule& r : trial_rules())
    for (const char* g : r.guards) {
      const ManipulationCheck* c = find_check(g);
      ASSERT_NE(c, nullptr) << r.id << " is guarded by an unknown check " << g;
      EXPECT_STREQ(c->experiment, r.experiment) << r.id;
      used.insert(g);
    }
  // The document: every check guards a rule, but for the tangent check, which guards a reported ratio only.
  for (const ManipulationCheck& c : manipulation_checks())
    EXPECT_EQ(used.count(c.id), std::string(c.id) == "a.tangent_holds_energy" ? 0u : 1u) << c.id;
}

TEST(TrialRules, EachRuleAgreesOnlyWhenTheWholeIntervalIsOnItsSide) {
  for (const Rule& r : trial_rules()) {
    const double t = r.threshold, w = 0.01 + 0.1 * std::abs(t);
    if (r.predicts == Predicts::kWithin) {
      const double u = r.upper;
      EXPECT_EQ(judge(r, interval(t + 0.1 * (u - t), u - 0.1 * (u - t))), RuleVerdict::kAgrees) << r.id;
      EXPECT_EQ(judge(r, interval(t - 2 * w, t - w)), RuleVerdict::kDisagrees) << r.id;
      EXPECT_EQ(judge(r, interval(u + w, u + 2 * w)), RuleVerdict::kDisagrees) << r.id;
      EXPECT_EQ(judge(r, interval(t - w, t + w)), RuleVerdict::kUndecided) << r.id;
      EXPECT_EQ(judge(r, interval(u - w, u + w)), RuleVerdict::kUndecided) << r.id;
      EXPECT_EQ(judge(r, interval(t - w, u + w)), RuleVerdict::kUndecided) << r.id;
      continue;
    }
    const double side = r.predicts == Predicts::kAbove ? 1 : -1;
    const Interval predicted = side > 0 ? interval(t + w, t + 2 * w) : interval(t - 2 * w, t - w);
    const Interval other = side > 0 ? interval(t - 2 * w, t - w) : interval(t + w, t + 2 * w);
    EXPECT_EQ(judge(r, predicted), RuleVerdict::kAgrees) << r.id;
    EXPECT_EQ(judge(r, other), RuleVerdict::kDisagrees) << r.id;
    EXPECT_EQ(judge(r, interval(t - w, t + w)), RuleVerdict::kUndecided) << r.id;
    EXPECT_EQ(judge(r, interval(t, t + w)), RuleVerdict::kUndecided) << r.id;  // touching is not beyond
    Interval undefined = predicted;
    undefined.defined = false;
    EXPECT_EQ(judge(r, undefined), RuleVerdict::kUndecided) << r.id;
  }
}

TEST(TrialRules, AnInfiniteIntervalEndIsOnTheLargeSide) {
  const double inf = std::numeric_limits<double>::infinity();
  const Rule& cheaper = *find_rule("c.offSpan.cheaper.154");  // below 1
  EXPECT_EQ(judge(cheaper, interval(3, inf)), RuleVerdict::kDisagrees);
  EXPECT_EQ(judge(*find_rule("c.features.cheaper.154"), interval(3, inf)), RuleVerdict::kAgrees);
  EXPECT_EQ(judge(cheaper, interval(0.5, inf)), RuleVerdict::kUndecided);
}

TEST(TrialRules, AFailedGuardMakesTheRuleNotRunAsDesignedWhateverItsInterval) {
  for (const Rule& r : trial_rules()) {
    const Interval clear_agree = r.predicts == Predicts::kBelow ? interval(r.threshold - 2, r.threshold - 1)
                                 : r.predicts == Predicts::kAbove
                                     ? interval(r.threshold + 1, r.threshold + 2)
                                     : interval(r.threshold + 0.01, r.threshold + 0.02);
    EXPECT_EQ(read_rule(r, clear_agree, {}).verdict, RuleVerdict::kAgrees) << r.id;
    for (const char* g : r.guards) {
      const RuleOutcome o = read_rule(r, clear_agree, {"some.other_check", g});
      EXPECT_EQ(o.verdict, RuleVerdict::kNotRunAsDesigned) << r.id;
      EXPECT_EQ(o.failed_check, g) << r.id;
    }
    // A failed check that does not guard it leaves it alone.
    EXPECT_EQ(read_rule(r, clear_agree, {"a.tangent_holds_energy"}).verdict, RuleVerdict::kAgrees) << r.id;
  }
}

TEST(TrialRules, AChecksEverySeedMustMeetIt) {
  for (const ManipulationCheck& c : manipulation_checks()) {
    const double t = c.threshold, ok = c.must == Must::kAtLeast ? t + 0.01 : t * 0.5,
                 bad = c.must == Must::kAtLeast ? t - 0.01 : t + 0.01;
    EXPECT_TRUE(check_holds(c, {ok, ok, t, ok, ok})) << c.id;
    EXPECT_FALSE(check_holds(c, {ok, ok, bad, ok, ok})) << c.id;
    EXPECT_FALSE(check_holds(c, {ok, std::nan(""), ok})) << c.id;
    EXPECT_FALSE(check_holds(c, {})) << c.id;
  }
}

RuleOutcome outcome(RuleVerdict v) {
  RuleOutcome o;
  o.verdict = v;
  return o;
}

TEST(TrialRules, ACellSummarisesItsRules) {
  using V = RuleVerdict;
  EXPECT_EQ(summarise_cell({}), CellVerdict::kSilent);
  EXPECT_EQ(summarise_cell({outcome(V::kAgrees), outcome(V::kAgrees)}), CellVerdict::kAgrees);
  EXPECT_EQ(summarise_cell({outcome(V::kDisagrees), outcome(V::kDisagrees)}), CellVerdict::kDisagrees);
  EXPECT_EQ(summarise_cell({outcome(V::kAgrees), outcome(V::kDisagrees)}), CellVerdict::kMixed);
  EXPECT_EQ(summarise_cell({outcome(V::kAgrees), outcome(V::kUndecided)}), CellVerdict::kUndecided);
  EXPECT_EQ(summarise_cell({outcome(V::kDisagrees), outcome(V::kUndecided)}), CellVerdict::kUndecided);
  EXPECT_EQ(summarise_cell({outcome(V::kAgrees), outcome(V::kDisagrees), outcome(V::kUndecided)}),
            CellVerdict::kMixed);
  EXPECT_EQ(summarise_cell({outcome(V::kAgrees), outcome(V::kNotRunAsDesigned)}),
            CellVerdict::kNotRunAsDesigned);
  EXPECT_STREQ(cell_verdict_name(CellVerdict::kNotRunAsDesigned), "not run as designed");
}

}  // namespace
}  // namespace bs
