// The state API that the page's JavaScript, embedding parents and URLs talk to: every field is validated, bad
// values are refused with a message naming them, and good values in the same request still apply.
#include "app/state_api.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/core/test_util.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

struct WithModel : ::testing::Test {
  WithModel() { use_pretrained(s, make_model(Arch{}, 3), "test model"); }
  AppState s;
};

TEST_F(WithModel, StateHasEveryDocumentedField) {
  json j = state_json(s);
  for (const char* key :
       {"phase", "imagesLoaded", "epoch", "step", "testAccuracy", "alpha", "prediction", "confidence",
        "flipAlpha", "selectedNeuron", "fps", "error", "view", "model", "seed"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["model"], "pretrained");
  EXPECT_EQ(j["selectedNeuron"], "3:0");
  EXPECT_EQ(json::parse(j.dump()), j) << "survives a JSON round trip";
}

TEST_F(WithModel, MilestonesAreTheSameValuesAsTheStatesFields) {
  for (bool live : {false, true}) {
    if (live) {
      s.train = test::random_dataset(64, 5);
      reset_training(s);
      s.run.test_accuracy = 0.9625f;
      s.run.test_accuracy_images = 2000;
      s.attack.prediction = 7;
      ++s.analysis.generation;
    }
    const json j = state_json(s);
    const Milestones m = milestones(s);
    EXPECT_EQ(m.analysis_generation, j["analysisGeneration"].get<long>());
    EXPECT_EQ(m.prediction, j["prediction"].get<int>());
    EXPECT_EQ(m.live, j["model"] == "live") << j["model"];
    EXPECT_EQ(m.live, live);
    EXPECT_EQ(m.test_accuracy, j["testAccuracy"].get<double>());
    EXPECT_EQ(m.test_images, j["testAccuracyImages"].get<double>());
  }
}

TEST_F(WithModel, ValidChangesApply) {
  auto errors =
      apply_changes(s, json{{"alpha", 0.75}, {"selectedNeuron", "2:17"}, {"view", "overlay"}, {"seed", 9}});
  EXPECT_TRUE(errors.empty());
  EXPECT_FLOAT_EQ(s.attack.alpha, 0.75f);
  EXPECT_EQ(s.ui.selected, (NeuronId{2, 17}));
  EXPECT_EQ(s.ui.view, View::kOverlay);
  EXPECT_EQ(s.run.seed, 9u);
}

TEST_F(WithModel, BadValuesAreRefusedByNameAndLeaveTheStateAsItWas) {
  apply_changes(s, json{{"alpha", 0.5}, {"selectedNeuron", "1:3"}});
  auto errors = apply_changes(
      s, json{{"alpha", "lots"}, {"selectedNeuron", "4:0"}, {"view", "<script>"}, {"seed", -1}});
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_FLOAT_EQ(s.attack.alpha, 0.5f);
  EXPECT_EQ(s.ui.selected, (NeuronId{1, 3}));
  EXPECT_EQ(s.ui.view, View::kNeurons);
  EXPECT_EQ(s.run.seed, 1u);
  std::string all;
  for (auto& e : errors) all += e + "\n";
  EXPECT_NE(all.find("alpha"), std::string::npos);
  EXPECT_NE(all.find("selectedNeuron"), std::string::npos);
  EXPECT_NE(all.find("'<script>'"), std::string::npos);
}

TEST_F(WithModel, GoodFieldsApplyEvenWhenOthersInTheSameRequestAreBad) {
  auto errors = apply_changes(s, json{{"alpha", 7}, {"target", 3}});
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_EQ(s.attack.target, 3);
  EXPECT_EQ(s.attack.pattern, (NeuronId{3, 3}));
}

TEST_F(WithModel, UnknownFieldsAndNonObjectsAreReported) {
  EXPECT_EQ(apply_changes(s, json{{"colour", "red"}}).size(), 1u);
  EXPECT_EQ(apply_changes(s, json::array()).size(), 1u);
  EXPECT_EQ(apply_changes(s, json("alpha")).size(), 1u);
}

TEST_F(WithModel, TrainingAskedForBeforeImagesArriveStartsOnceTheyDo) {
  s.run.start_mode = StartMode::kPretrained;
  EXPECT_TRUE(apply_changes(s, json{{"playing", true}}).empty());
  EXPECT_FALSE(s.run.playing) << "nothing to train on yet";
  EXPECT_EQ(s.run.trainer, nullptr);
  EXPECT_EQ(s.run.start_mode, StartMode::kAuto) << "it starts by itself when the images are in";
}

TEST(QueryChanges, TypesEachParameterStrictly) {
  std::vector<std::string> errors;
  json c = query_changes(
      json::parse(
          R"([["view","overlay"],["neuron","2:5"],["image","12"],["alpha","0.25"],["seed","4"],["train","pretrained"]])"),
      &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(c["view"], "overlay");
  EXPECT_EQ(c["selectedNeuron"], "2:5");
  EXPECT_EQ(c["digitIndex"], 12);
  EXPECT_DOUBLE_EQ(c["alpha"].get<double>(), 0.25);
  EXPECT_EQ(c["seed"], 4);
  EXPECT_EQ(c["train"], "pretrained");
}

TEST(QueryChanges, RejectsNonNumbersNaNAndUnknownKeys) {
  std::vector<std::string> errors;
  json c = query_changes(
      json::parse(R"([["alpha","NaN"],["seed","4x"],["image",""],["zoom","2"],["alpha","inf"]])"), &errors);
  EXPECT_EQ(errors.size(), 5u);
  EXPECT_TRUE(c.empty());
}

TEST_F(WithModel, OutOfRangeUrlValuesBecomeANoticeAndChangeNothing) {
  auto errors = apply_query(
      s, json::parse(R"([["neuron","-1"],["alpha","NaN"],["view","<script>"],["image","10000"]])"));
  EXPECT_EQ(errors.size(), 4u);
  EXPECT_EQ(s.ui.selected, (NeuronId{3, 0}));
  EXPECT_FLOAT_EQ(s.attack.alpha, 0.0f);
  EXPECT_EQ(s.ui.view, View::kNeurons);
  EXPECT_EQ(s.attack.requested_index, -1);
  EXPECT_NE(s.ui.notice.find("neuron"), std::string::npos);
  EXPECT_NE(s.ui.notice.find("ignored"), std::string::npos);
}

}  // namespace
}  // namespace bs::app

namespace bs::app {

TEST_F(WithModel, StreetSmartOptionsApplyAllOrNothing) {
  const StreetOptions before = s.compare.options;
  auto errors = apply_changes(s, json{{"streetSmart", {{"fgsm", 0.2}, {"inputNoise", -1}}}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "streetSmart.inputNoise must be a number from 0 to 1, not '-1'");
  EXPECT_EQ(s.compare.options.fgsm_epsilon, before.fgsm_epsilon) << "a refused request changes nothing";
  EXPECT_TRUE(
      apply_changes(s, json{{"streetSmart", {{"fgsm", 0.2}, {"decoupled", true}, {"initScale", 0.5}}}})
          .empty());
  EXPECT_FLOAT_EQ(s.compare.options.fgsm_epsilon, 0.2f);
  EXPECT_TRUE(s.compare.options.decoupled);
  EXPECT_EQ(apply_changes(s, json{{"streetSmart", {{"dropout", 0.5}}}})[0],
            "unknown streetSmart option 'dropout'");
  EXPECT_EQ(state_json(s)["compare"]["options"]["initScale"], 0.5);
}

TEST_F(WithModel, PgdStepsAreAWholeNumberAndPgdReplacesFgsmInTheStreetRecipe) {
  EXPECT_EQ(apply_changes(s, json{{"streetSmart", {{"pgd", 0.1}, {"pgdSteps", 2.5}}}})[0],
            "streetSmart.pgdSteps must be an integer from 1 to 20, not '2.5'");
  EXPECT_EQ(s.compare.options.pgd_epsilon, 0.0f) << "a refused request changes nothing";
  EXPECT_EQ(street_config(s).adversarial.steps, 1) << "FGSM: one step";
  ASSERT_TRUE(apply_changes(s, json{{"streetSmart", {{"pgd", 0.1}, {"pgdSteps", 7.0}}}}).empty())
      << "7.0 is the integer 7, as for the table's own integer fields";
  const AdversarialConfig a = street_config(s).adversarial;
  EXPECT_FLOAT_EQ(a.eps, 0.1f);
  EXPECT_EQ(a.steps, 7);
  EXPECT_TRUE(a.random_start);
  EXPECT_FALSE(a.mix_clean);
  EXPECT_EQ(state_json(s)["compare"]["options"]["pgdSteps"], 7);
}

TEST_F(WithModel, StreetSmartTrainingNeedsImagesAndTheNewViewsAreNamed) {
  EXPECT_EQ(apply_changes(s, json{{"streetPlaying", true}})[0],
            "cannot train yet: no training images have arrived");
  EXPECT_FALSE(s.compare.trainer);
  for (const char* v : {"subspace", "attacks", "compare"}) {
    EXPECT_TRUE(apply_changes(s, json{{"view", v}}).empty()) << v;
    EXPECT_EQ(state_json(s)["view"], v);
  }
  EXPECT_TRUE(apply_changes(s, json{{"k", 10}}).empty()) << "kept until the subspace exists";
  EXPECT_EQ(s.subspace.requested_k, 10);
  EXPECT_EQ(apply_changes(s, json{{"k", 785}})[0], "k must be an integer from 1 to 784, not '785'");
}

}  // namespace bs::app
