// A dataset switch replaces the whole state: nothing of one book (images, models, results) can reach the
// other, while the reader's view, seed and own choice of recipe stay (an unchanged recipe becomes the new
// book's).
#include <gtest/gtest.h>

#include "app/state_api.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

std::unique_ptr<AppState> mnist_state_with_a_model() {
  auto s = std::make_unique<AppState>();
  use_pretrained(*s, make_model(Arch{}, 3), "test model");
  s->samples.images.assign(2 * kPixels, 100);
  s->samples.labels = {7, 0};
  return s;
}

TEST(BookSwitch, AnotherDatasetReplacesTheStateAndKeepsTheViewAndRecipe) {
  auto holder = mnist_state_with_a_model();
  const long before = holder->serial;
  EXPECT_TRUE(apply_changes(holder, json{{"view", "overlay"}, {"seed", 9}, {"batch", 16}}).empty());
  EXPECT_TRUE(apply_changes(holder, json{{"dataset", "fashion"}}).empty());
  EXPECT_NE(holder->serial, before);
  EXPECT_EQ(holder->book, Book::kFashion);
  EXPECT_FALSE(holder->has_pretrained) << "the MNIST model is gone";
  EXPECT_EQ(holder->samples.size(), 0u);
  EXPECT_EQ(holder->ui.view, View::kOverlay);
  EXPECT_EQ(holder->run.seed, 9u);
  EXPECT_EQ(holder->run.config.batch, 16);
  EXPECT_EQ(state_json(*holder)["dataset"], "fashion");
}

TEST(BookSwitch, AnUnchangedRecipeBecomesTheNewBooksOwn) {
  auto holder = mnist_state_with_a_model();
  EXPECT_TRUE(apply_changes(holder, json{{"dataset", "fashion"}}).empty());
  const TrainConfig fashion = fashion_train_config();
  EXPECT_EQ(holder->run.config.opt.kind, OptimizerKind::kAdam);
  EXPECT_EQ(holder->run.config.opt.lr, fashion.opt.lr);
  EXPECT_EQ(holder->run.config.batch, fashion.batch);
  EXPECT_EQ(holder->run.config.lr_decay, fashion.lr_decay);
  EXPECT_TRUE(apply_changes(holder, json{{"dataset", "mnist"}}).empty());
  const TrainConfig digits = default_train_config();
  EXPECT_EQ(holder->run.config.opt.kind, OptimizerKind::kSgd);
  EXPECT_EQ(holder->run.config.opt.lr, digits.opt.lr);
  EXPECT_EQ(holder->run.config.lr_decay, digits.lr_decay);
}

TEST(BookSwitch, TheReadersRecipeStaysButTheDecayIsTheNewBooks) {
  auto holder = mnist_state_with_a_model();
  EXPECT_TRUE(
      apply_changes(holder, json{{"optimizer", "sgd"}, {"learningRate", 0.01}, {"batch", 64}}).empty());
  EXPECT_TRUE(apply_changes(holder, json{{"dataset", "fashion"}}).empty());
  EXPECT_EQ(holder->run.config.opt.kind, OptimizerKind::kSgd);
  EXPECT_FLOAT_EQ(holder->run.config.opt.lr, 0.01f);
  EXPECT_EQ(holder->run.config.batch, 64);
  EXPECT_EQ(holder->run.config.lr_decay, fashion_train_config().lr_decay);
}

TEST(BookSwitch, TheSameDatasetKeepsTheState) {
  auto holder = mnist_state_with_a_model();
  const long before = holder->serial;
  EXPECT_TRUE(apply_changes(holder, json{{"dataset", "mnist"}}).empty());
  EXPECT_FALSE(switch_book_if_wanted(holder));
  EXPECT_EQ(holder->serial, before);
  EXPECT_TRUE(holder->has_pretrained);
}

TEST(BookSwitch, AnUnknownDatasetIsRefusedAndChangesNothing) {
  auto holder = mnist_state_with_a_model();
  const long before = holder->serial;
  auto errors = apply_changes(holder, json{{"dataset", "cifar"}, {"alpha", 0.5}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("dataset must be mnist or fashion"), std::string::npos) << errors[0];
  EXPECT_EQ(holder->serial, before);
  EXPECT_FLOAT_EQ(holder->attack.alpha, 0.5f) << "the good field in the same request applies";
}

TEST(BookSwitch, FieldsBesideTheDatasetApplyToTheNewState) {
  auto holder = mnist_state_with_a_model();
  EXPECT_TRUE(apply_changes(holder, json{{"alpha", 0.7}, {"dataset", "fashion"}}).empty());
  EXPECT_EQ(holder->book, Book::kFashion);
  EXPECT_FLOAT_EQ(holder->attack.alpha, 0.7f);
}

TEST(BookSwitch, TheUrlsDatasetComesFirstWhereverItStands) {
  auto holder = std::make_unique<AppState>();
  auto errors =
      apply_query(holder, json::array({json::array({"view", "overlay"}), json::array({"alpha", "0.4"}),
                                       json::array({"dataset", "fashion"})}));
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(holder->book, Book::kFashion);
  EXPECT_EQ(holder->ui.view, View::kOverlay);
  EXPECT_FLOAT_EQ(holder->attack.alpha, 0.4f);
}

TEST(BookSwitch, FashionsOverlayPushesASneakerTowardsABag) {
  auto holder = std::make_unique<AppState>();
  apply_changes(holder, json{{"dataset", "fashion"}});
  EXPECT_EQ(holder->attack.digit, 7);
  EXPECT_EQ(holder->attack.target, 8);
  EXPECT_EQ(holder->attack.pattern, (NeuronId{3, 8}));
  EXPECT_EQ(state_json(*holder)["classes"][7], "Sneaker");
  EXPECT_EQ(state_json(*holder)["pretrainedFile"], "pretrained-fashion.safetensors");
  EXPECT_EQ(class_text(Book::kFashion, 8), "8 Bag");
  EXPECT_EQ(class_text(Book::kMnist, 8), "8");
}

TEST(BookSwitch, AShareLinkNamesFashionButNotTheDefault) {
  auto holder = std::make_unique<AppState>();
  EXPECT_EQ(share_params(*holder).dump().find("dataset"), std::string::npos);
  apply_changes(holder, json{{"dataset", "fashion"}});
  EXPECT_NE(share_params(*holder).dump().find("[\"dataset\",\"fashion\"]"), std::string::npos);
}

}  // namespace
}  // namespace bs::app
