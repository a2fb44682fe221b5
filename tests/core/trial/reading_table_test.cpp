// The second trial's tables (core/trial/reading_table.h): every rule, check and cell appears with its
// reading, and the tables go between the document's markers and nowhere else.
#include "core/trial/reading_table.h"

#include <gtest/gtest.h>

namespace bs {
namespace {

SeedMeasures seed(uint64_t s, double radius_factor) {
  SeedMeasures m;
  m.seed = s;
  Measure r;
  r.statistic = Statistic::kRatioOfMedians;
  r.columns = {{}, {}};
  for (int i = 0; i < 30; ++i) {
    r.columns[0].push_back(radius_factor * (1 + 0.01 * ((i * 7 + int(s)) % 11)));
    r.columns[1].push_back(1 + 0.01 * ((i * 3 + 5) % 11));
  }
  m.quantities["f.radius_ratio"] = r;
  m.checks["f.decay_took"] = 0.5;
  m.checks["f.still_learns"] = 0.97;
  return m;
}

TEST(ReadingTable, ListsEveryRuleCheckAndCellWithItsReading) {
  BootstrapOptions quick;
  quick.resamples = 300;
  const TrialReading r = read_trial({seed(1, 2), seed(2, 2)}, quick);
  const std::string md = reading_markdown(r);
  for (const Rule& rule : trial_rules())
    EXPECT_NE(md.find(std::string("| ") + rule.id + " |"), std::string::npos);
  for (const ManipulationCheck& c : manipulation_checks())
    EXPECT_NE(md.find(std::string("| ") + c.id + " |"), std::string::npos);
  EXPECT_NE(md.find("| f.tilting.radius | f.radius_ratio | above 1 | 2"), std::string::npos) << md;
  EXPECT_NE(md.find("| f.decay_took | at most 0.9 | 0.5, 0.5 | yes |"), std::string::npos) << md;
  EXPECT_NE(md.find("| a.offSpan.share | a.top_k_share | below 0.5 | not measured | not measured |"),
            std::string::npos);
  EXPECT_NE(md.find("Seeds: 1 2."), std::string::npos);
}

TEST(ReadingTable, GoesBetweenTheMarkersAndLeavesTheRestAlone) {
  const std::string doc = "intro\n<!-- trial-summary:begin -->\nold\n<!-- trial-summary:end -->\noutro\n";
  const Expected<std::string> out = replace_between_markers(doc, "new\n");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value(), "intro\n<!-- trial-summary:begin -->\nnew\n<!-- trial-summary:end -->\noutro\n");
  EXPECT_EQ(replace_between_markers(out.value(), "new\n").value(), out.value()) << "idempotent";
}

TEST(ReadingTable, RefusesADocumentWithoutBothMarkersInOrder) {
  EXPECT_FALSE(replace_between_markers("no markers", "x").ok());
  EXPECT_FALSE(replace_between_markers("<!-- trial-summary:end --> <!-- trial-summary:begin -->", "x").ok());
}

}  // namespace
}  // namespace bs
