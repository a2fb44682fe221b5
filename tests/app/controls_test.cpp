// The interface's controls and set() are one code path: a choice made with a click in a panel and the same
// choice made through set() leave the same state, and train the same run.
#include <gtest/gtest.h>

#include "app/app_state.h"
#include "app/panels.h"
#include "app/state_api.h"
#include "app/state_fields.h"
#include "core/io/mnist_files.h"
#include "core/io/model_files.h"
#include "tests/app/counting_textures.h"
#include "tests/app/headless_ui.h"
#include "tests/core/test_util.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

// A state with a small training set, as if it had streamed in.
void with_images(AppState& s) {
  s.train = test::random_dataset(256, 3);
  s.run.start_mode = StartMode::kPretrained;  // nothing starts by itself
}

// Trains the state's live model for `steps` steps from a fresh run with its recipe.
const Params& trained(AppState& s, int steps) {
  EXPECT_TRUE(apply_changes(s, json{{"reset", true}}).empty());
  s.run.trainer->train_steps(s.run.model.params, s.train, steps);
  return s.run.model.params;
}

// Draws the Data & training view, has `press` press an item, and draws the frame that sees it.
template <class Press>
void click(Headless& ui, AppState& s, CountingTextures& t, Press press) {
  ui.frame([&] { draw_training_panel(s, t); });
  press();
  ui.frame([&] { draw_training_panel(s, t); });
}
void click(Headless& ui, AppState& s, CountingTextures& t, const char* label) {
  click(ui, s, t, [label] { Headless::press("test", label); });
}

TEST(ReaderControls, ChoosingAdamInThePanelAndThroughSetTrainTheSameRunByteForByte) {
  Headless ui;
  CountingTextures textures;
  AppState clicked, asked;
  with_images(clicked);
  with_images(asked);

  click(ui, clicked, textures, "optimizer");  // opens the drop-down
  click(ui, clicked, textures, [] { Headless::press_combo_item(1, "Adam"); });
  ASSERT_TRUE(apply_changes(asked, json{{"optimizer", "adam"}}).empty());

  ASSERT_EQ(clicked.run.config.opt.kind, OptimizerKind::kAdam) << "the click reached the optimizer";
  EXPECT_EQ(clicked.run.config.opt.lr, asked.run.config.opt.lr);
  EXPECT_EQ(clicked.run.config.opt.kind, asked.run.config.opt.kind);
  EXPECT_TRUE(test::bit_identical(trained(clicked, 20), trained(asked, 20)));
}

TEST(ReaderControls, ChoosingAnOptimizerBringsItsOwnLearningRate) {
  AppState s;
  ASSERT_TRUE(apply_changes(s, json{{"optimizer", "adam"}}).empty());
  EXPECT_FLOAT_EQ(s.run.config.opt.lr, default_learning_rate(OptimizerKind::kAdam));
  ASSERT_TRUE(apply_changes(s, json{{"optimizer", "sgd"}}).empty());
  EXPECT_FLOAT_EQ(s.run.config.opt.lr, default_learning_rate(OptimizerKind::kSgd));
}

TEST(ReaderControls, ReChoosingTheSameOptimizerKeepsTheLearningRate) {
  AppState s;
  ASSERT_TRUE(apply_changes(s, json{{"learningRate", 0.01}}).empty());
  ASSERT_TRUE(apply_changes(s, json{{"optimizer", "sgd"}}).empty());
  EXPECT_FLOAT_EQ(s.run.config.opt.lr, 0.01f);
}

TEST(ReaderControls, PressingTrainAndCallingSetPlayingStartTheSameRun) {
  Headless ui;
  CountingTextures textures;
  AppState clicked, asked;
  with_images(clicked);
  with_images(asked);
  click(ui, clicked, textures, "Train");
  ASSERT_TRUE(apply_changes(asked, json{{"playing", true}}).empty());
  ASSERT_TRUE(clicked.run.playing) << "the click reached the button";
  EXPECT_EQ(state_json(clicked), state_json(asked));
}

TEST(StateApi, BrowsingImagesMovesToTheNextCorrectlyClassifiedDigitAndBack) {
  AppState s;
  s.test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  use_pretrained(s, load_model(BOOKSMART_SOURCE_DIR "/assets/pretrained.safetensors").value(), "pretrained");
  refresh_analysis(s);
  const long long first = s.attack.index;
  ASSERT_GE(first, 0);
  ASSERT_TRUE(apply_changes(s, json{{"browseImage", "next"}}).empty());
  EXPECT_GT(s.attack.index, first);
  EXPECT_EQ(s.test.label(size_t(s.attack.index)), s.attack.digit);
  ASSERT_TRUE(apply_changes(s, json{{"browseImage", "previous"}}).empty());
  EXPECT_EQ(s.attack.index, first);
}

TEST(StateApi, BrowsingWithoutAModelIsRefusedAndChangesNothing) {
  AppState s;
  const std::vector<std::string> errors = apply_changes(s, json{{"browseImage", "next"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no model"), std::string::npos) << errors[0];
  EXPECT_EQ(s.attack.index, -1);
}

TEST(StateApi, ALearningRateSentWithAnOptimizerWinsWhateverTheKeyOrder) {
  AppState s;
  // nlohmann's objects iterate in key order, which puts learningRate before optimizer.
  ASSERT_TRUE(apply_changes(s, json{{"optimizer", "adam"}, {"learningRate", 0.004}}).empty());
  EXPECT_EQ(s.run.config.opt.kind, OptimizerKind::kAdam);
  EXPECT_FLOAT_EQ(s.run.config.opt.lr, 0.004f);
}

TEST(StateApi, ASeedSentWithResetSeedsTheNewRun) {
  AppState s;
  with_images(s);
  ASSERT_TRUE(apply_changes(s, json{{"seed", 5}, {"reset", true}}).empty());
  EXPECT_TRUE(test::bit_identical(s.run.model.params, make_model(Arch{}, 5).params));
}

TEST(StateApi, APatternSentWithATargetIsKept) {
  AppState s;
  ASSERT_TRUE(apply_changes(s, json{{"pattern", "2:5"}, {"target", 3}}).empty());
  EXPECT_EQ(s.attack.target, 3);
  EXPECT_EQ(neuron_name(s.attack.pattern), "2:5");
}

TEST(StateApi, FieldsApplyByStageThenInTableOrder) {
  const auto& order = fields_in_apply_order();
  ASSERT_EQ(order.size(), state_fields().size());
  for (size_t i = 1; i < order.size(); ++i) EXPECT_LE(order[i - 1]->stage, order[i]->stage) << order[i]->name;
  EXPECT_STREQ(order.front()->name, "dataset");
  const auto at = [&](const char* name) {
    for (size_t i = 0; i < order.size(); ++i)
      if (std::string(order[i]->name) == name) return i;
    return order.size();
  };
  EXPECT_LT(at("optimizer"), at("learningRate"));
  EXPECT_LT(at("seed"), at("reset"));
  EXPECT_LT(at("reset"), at("playing"));
  EXPECT_LT(at("target"), at("pattern"));
  EXPECT_LT(at("digit"), at("digitIndex"));
  EXPECT_LT(at("streetSmart"), at("streetReset"));
  EXPECT_LT(at("streetReset"), at("streetPlaying"));
}

}  // namespace
}  // namespace bs::app
