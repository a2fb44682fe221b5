// The app's two tables, views and state fields: each name appears once, every row is reachable the ways it
// claims (URL, set(), state()), and a share link's parameters restore the view they came from.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "app/state_api.h"
#include "app/state_fields.h"
#include "app/texture_slots.h"
#include "app/views.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

TEST(ViewsTable, RowsAreInEnumOrderWithUniqueNamesAndLabels) {
  std::set<std::string> names, labels;
  for (size_t i = 0; i < kViews.size(); ++i) {
    EXPECT_EQ(kViews[i].view, View(i)) << kViews[i].name;
    EXPECT_NE(kViews[i].draw, nullptr) << kViews[i].name;
    EXPECT_TRUE(names.insert(kViews[i].name).second) << kViews[i].name;
    EXPECT_TRUE(labels.insert(kViews[i].label).second) << kViews[i].label;
    EXPECT_EQ(find_view(kViews[i].name), &kViews[i]);
  }
  EXPECT_EQ(find_view("<script>"), nullptr);
}

TEST(ViewsTable, TheRefusalOfAnUnknownViewListsEveryView) {
  AppState s;
  auto errors = apply_changes(s, json{{"view", "sideways"}});
  ASSERT_EQ(errors.size(), 1u);
  for (const ViewInfo& v : kViews) EXPECT_NE(errors[0].find(v.name), std::string::npos) << v.name;
}

TEST(TextureSlots, NoTwoImagesShareASlot) {
  std::set<int> used;
  for (size_t b = 0; b < size_t(TextureBlock::kCount); ++b) {
    for (int i = 0; i < kBlockSizes[b]; ++i) {
      const int s = slot(TextureBlock(b), i);
      EXPECT_TRUE(used.insert(s).second) << "block " << b << " index " << i << " reuses slot " << s;
      EXPECT_LT(s, kTextureSlots);
    }
  }
  EXPECT_EQ(int(used.size()), kTextureSlots);
}

TEST(TextureSlotsDeathTest, AnIndexPastItsBlockStopsTheProgram) {
  EXPECT_DEATH(slot(TextureBlock::kOverlay, kBlockSizes[size_t(TextureBlock::kOverlay)]), "");
}

TEST(ViewKey, DiffersWhenAnyPartDoes) {
  const ViewKey k{3, 1, NeuronId{2, 5}, 40};
  EXPECT_EQ(k, (ViewKey{3, 1, NeuronId{2, 5}, 40}));
  EXPECT_NE(k, (ViewKey{4, 1, NeuronId{2, 5}, 40}));
  EXPECT_NE(k, (ViewKey{3, 2, NeuronId{2, 5}, 40}));
  EXPECT_NE(k, (ViewKey{3, 1, NeuronId{2, 6}, 40}));
  EXPECT_NE(k, (ViewKey{3, 1, NeuronId{2, 5}, 41}));
}

TEST(StateFields, EveryJsonAndUrlNameIsUsedOnce) {
  std::set<std::string> names, urls;
  for (const StateField& f : state_fields()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    if (f.url) {
      EXPECT_TRUE(urls.insert(f.url).second) << f.url;
      EXPECT_NE(f.set, nullptr) << f.name << " has a URL name but cannot be set";
    }
    if (f.share) {
      EXPECT_NE(f.url, nullptr) << f.name << " is shared but has no URL name";
    }
  }
}

TEST(StateFields, EveryFieldIsDocumented) {
  std::ifstream in(std::string(BOOKSMART_SOURCE_DIR) + "/docs/state-api.md");
  ASSERT_TRUE(in) << "docs/state-api.md is missing";
  std::stringstream doc;
  doc << in.rdbuf();
  for (const StateField& f : state_fields()) {
    EXPECT_NE(doc.str().find(std::string("`") + f.name + "`"), std::string::npos) << f.name;
    if (f.url) {
      EXPECT_NE(doc.str().find(std::string("`") + f.url + "`"), std::string::npos) << f.url;
    }
  }
  for (const StreetField& f : street_fields()) EXPECT_NE(doc.str().find(f.name), std::string::npos) << f.name;
}

TEST(StateFields, StateHasEveryReadableFieldAndNothingElse) {
  AppState s;
  json j = state_json(s);
  size_t readable = 0;
  for (const StateField& f : state_fields()) {
    if (!f.get) continue;
    ++readable;
    EXPECT_TRUE(j.contains(f.name)) << f.name;
  }
  EXPECT_EQ(j.size(), readable);
}

TEST(StateFields, NumericRangesAreEnforcedAtBothEnds) {
  for (const StateField& f : state_fields()) {
    if (f.kind != FieldKind::kInt && f.kind != FieldKind::kNumber) continue;
    EXPECT_TRUE(checked(f, json(f.lo)).has_value()) << f.name;
    EXPECT_TRUE(checked(f, json(f.hi)).has_value()) << f.name;
    EXPECT_FALSE(checked(f, json(f.hi + 1)).has_value()) << f.name;
    EXPECT_FALSE(checked(f, json(f.lo - 1)).has_value()) << f.name;
    EXPECT_FALSE(checked(f, json(std::nan(""))).has_value()) << f.name;
    EXPECT_FALSE(checked(f, json("1")).has_value()) << f.name << ": a string is not a number";
  }
}

TEST(StateFields, ReadOnlyFieldsAreRefusedByName) {
  AppState s;
  auto errors = apply_changes(s, json{{"phase", "training"}, {"fps", 60}});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(std::find(errors.begin(), errors.end(), "phase is read-only"), errors.end());
}

TEST(StateFields, AShareLinkRestoresTheViewItCameFrom) {
  AppState a;
  use_pretrained(a, make_model(Arch{}, 3), "test model");
  ASSERT_TRUE(apply_changes(a, json{{"view", "overlay"},
                                    {"selectedNeuron", "2:17"},
                                    {"target", 4},
                                    {"alpha", 0.4375},
                                    {"digit", 3},
                                    {"pattern", "1:5"}})
                  .empty());
  a.attack.index = 42;
  const json params = share_params(a);
  AppState b;
  use_pretrained(b, make_model(Arch{}, 3), "test model");
  EXPECT_TRUE(apply_query(b, params).empty()) << params.dump();
  for (const char* k : {"view", "selectedNeuron", "target", "alpha", "digit", "pattern"})
    EXPECT_EQ(state_json(b)[k], state_json(a)[k]) << k;
  EXPECT_EQ(b.run.start_mode, StartMode::kPretrained)
      << "a link to a pretrained view does not start live training";
  EXPECT_EQ(b.attack.requested_index, 42) << "the image waits until the test set has arrived";
}

TEST(StateFields, AShareLinkOfLiveTrainingCarriesTheRecipeAndStep) {
  AppState a;
  ASSERT_TRUE(apply_changes(a, json{{"seed", 5}, {"learningRate", 0.05}, {"batch", 64}}).empty());
  reset_training(a);
  json params = share_params(a);
  std::map<std::string, std::string> p;
  for (const json& pair : params) p[pair[0]] = pair[1];
  EXPECT_EQ(p["seed"], "5");
  EXPECT_EQ(p["lr"], "0.05") << "the float32 value without its binary tail";
  EXPECT_EQ(p["batch"], "64");
  EXPECT_EQ(p["step"], "0");
  EXPECT_EQ(p.count("train"), 0u);
}

}  // namespace
}  // namespace bs::app
