// Draws the whole interface headless (ImGui with no window or renderer) for many frames while the model
// trains: every panel is drawn, produces geometry, and uploads its images; state changes a reader makes
// (selecting a neuron, moving alpha) take effect.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>

#include "app/app_state.h"
#include "app/panels.h"
#include "app/state_api.h"
#include "core/io/mnist_files.h"
#include "core/io/model_files.h"
#include "tests/app/counting_textures.h"
#include "tests/app/headless_ui.h"
#include "tests/core/test_util.h"

namespace bs::app {
namespace {

void load(AppState& s) {
  s.train = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTrain).value();
  s.test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  reset_training(s);
  s.run.playing = true;
  s.run.auto_started = true;
}

TEST(AppSmoke, EveryPanelDrawsWhileTraining) {
  Headless ui;
  CountingTextures textures;
  AppState s;
  load(s);
  double now = 0;
  for (int f = 0; f < 60; ++f, now += 0.1) {
    advance(s, now, 2.0);
    ASSERT_GT(ui.frame([&] { draw_neurons_panel(s, textures); }), 1000) << "frame " << f;
    ASSERT_GT(ui.frame([&] { draw_overlay_panel(s, textures); }), 500) << "frame " << f;
    ASSERT_GT(ui.frame([&] { draw_training_panel(s, textures); }), 200) << "frame " << f;
  }
  EXPECT_GT(s.run.trainer->step(), 0);
  EXPECT_GE(textures.uploads(), 138 + 5) << "thumbnails and large views were uploaded";
  EXPECT_EQ(s.ui.phase, Phase::kTraining);
  // The first evaluation comes after 400 steps; a frame trains for its budget in slices of two steps, so how
  // many frames that takes depends on the machine (and the sanitizers): go on without drawing until it lands.
  for (int f = 0; f < 5000 && s.run.history.accuracy.empty(); ++f, now += 0.1) advance(s, now, 2.0);
  EXPECT_FALSE(s.run.history.accuracy.empty());
}

TEST(AppSmoke, EpochsThatEndBeforeAnyTestImageStillGetTheirEntries) {
  AppState s;
  s.train = test::random_dataset(256, 3);  // no test set and no samples: nothing to evaluate on
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"batch", 64}}).empty());
  reset_training(s);
  s.run.playing = true;
  double now = 0;
  for (int f = 0; f < 2000 && s.run.trainer->epochs_completed() < 3; ++f, now += 0.02) advance(s, now, 1.0);
  const size_t epochs = size_t(s.run.trainer->epochs_completed());
  ASSERT_GE(epochs, 3u);
  ASSERT_EQ(s.run.epoch_accuracy.size(), epochs) << "entry i is epoch i + 1's";
  EXPECT_TRUE(std::isnan(s.run.epoch_accuracy[0]));
  EXPECT_EQ(s.run.epoch_accuracy_images, std::vector<size_t>(epochs, 0));
}

TEST(AppSmoke, DrawAppShowsTheTabsFromTheFirstFrame) {
  Headless ui;
  CountingTextures textures;
  AppState s;
  load(s);
  advance(s, 0, 1.0);
  int vertices = 0;
  for (int f = 0; f < 3; ++f) {
    ImGui::NewFrame();
    draw_app(s, textures);
    ImGui::Render();
    vertices = ImGui::GetDrawData()->TotalVtxCount;
  }
  EXPECT_GT(vertices, 1000);
}

TEST(AppSmoke, AlphaPastTheFlipPointMakesThePredictionTheTarget) {
  AppState s;
  load(s);
  Model trained = make_model(Arch{}, 1);
  Trainer t(default_train_config(), Arch{});
  while (!t.train_steps(trained.params, s.train, 1000) || !t.epoch_just_ended()) {
  }
  use_pretrained(s, std::move(trained), "one epoch");
  refresh_analysis(s);
  ASSERT_EQ(s.test.label(size_t(s.attack.index)), 7);
  ASSERT_TRUE(s.attack.flip.flipped);
  s.attack.alpha = 0;
  refresh_overlay(s);
  EXPECT_EQ(s.attack.prediction, 7);
  s.attack.alpha = s.attack.flip.alpha + 0.01f;
  refresh_overlay(s);
  EXPECT_EQ(s.attack.prediction, 0);
  EXPECT_GT(s.attack.probs[0], 0.5f);
}

// A refresh that ran in slices while the model trained shows its figures in the frame it ends, and its
// attack, on the same model, in the next: on a slow device the two together made that frame the slowest. Its
// generation, which the views' images follow, comes with the attack, when the whole refresh is in.
TEST(AppSmoke, ASlicedRefreshPublishesItsAttackTheFrameAfterItsFigures) {
  AppState s;
  load(s);
  double now = 0;
  advance(s, now, 1.0);  // the first refresh runs whole
  const long first = s.analysis.generation;
  ASSERT_GT(first, 0);
  EXPECT_FALSE(s.analysis.attack_pending);
  for (int f = 0; f < 5000 && !s.analysis.attack_pending; ++f) advance(s, now += 0.05, 1.0);
  ASSERT_TRUE(s.analysis.attack_pending) << "no sliced refresh ended";
  EXPECT_EQ(s.analysis.generation, first) << "the generation came before the attack";
  EXPECT_FALSE(state_json(s)["analysisCurrent"].get<bool>()) << "the prediction is not yet the new model's";
  advance(s, now += 0.05, 1.0);
  EXPECT_FALSE(s.analysis.attack_pending);
  EXPECT_EQ(s.analysis.generation, first + 1);
  Workspace ws(Arch{}, 1);
  OverlaySettings settings;
  settings.clip = s.attack.clip;
  const FlipResult expected = find_flip(s.analysis.job.params(), ws, s.attack.x.data(), s.attack.unit.data(),
                                        s.attack.target, settings);
  EXPECT_EQ(s.attack.flip.flipped, expected.flipped);
  EXPECT_EQ(s.attack.flip.alpha, expected.alpha) << "the attack is on the refresh's model";
  EXPECT_EQ(s.attack.flip.source_prediction, expected.source_prediction);
}

TEST(AppSmoke, SelectingANeuronChangesTheLargeImages) {
  Headless ui;
  CountingTextures textures;
  AppState s;
  load(s);
  advance(s, 0, 1.0);
  ui.frame([&] { draw_neurons_panel(s, textures); });
  int before = textures.uploads();
  ui.frame([&] { draw_neurons_panel(s, textures); });
  EXPECT_EQ(textures.uploads(), before) << "an unchanged view re-uploads nothing";
  s.ui.selected = NeuronId{2, 17};  // what a click does through the panel
  ui.frame([&] { draw_neurons_panel(s, textures); });
  EXPECT_GT(textures.uploads(), before);
}

}  // namespace
}  // namespace bs::app

namespace bs::app {
namespace {

// The Robustness view brackets the digit on view, surveys test images in slices while it is open, reports it
// all in state(), and starts over when the reader switches the norm.
TEST(AppSmoke, RobustnessViewBracketsTheDigitAndSurveysInSlices) {
  Headless ui;
  CountingTextures textures;
  AppState s;
  s.test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  Model trained = make_model(Arch{}, 1);
  {
    Dataset train = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTrain).value();
    Trainer t(default_train_config(), Arch{});
    while (!t.train_steps(trained.params, train, 1000) || !t.epoch_just_ended()) {
    }
  }
  use_pretrained(s, std::move(trained), "one epoch");
  refresh_analysis(s);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"view", "robustness"}}).empty());
  double now = 0;
  int frames = 0;
  for (; frames < 20000 && s.robust.passes == 0; ++frames, now += 0.016) {
    advance(s, now, 1.0);
    if (frames % 50 == 0) {
      ASSERT_GT(ui.frame([&] { draw_robustness_panel(s, textures); }), 100);
    }
  }
  ASSERT_EQ(s.robust.passes, 1) << "a pass over the survey's images finished within " << frames << " frames";
  EXPECT_GT(frames, 20) << "the work was spread over frames";
  ASSERT_GT(ui.frame([&] { draw_robustness_panel(s, textures); }), 1000);
  const nlohmann::json r = state_json(s)["robustness"];
  EXPECT_EQ(r["norm"], "linf");
  ASSERT_TRUE(r["ready"].get<bool>());
  const nlohmann::json im = r["image"];
  EXPECT_EQ(im["index"], s.attack.index);
  EXPECT_LE(im["ibp"].get<double>(), im["crown"].get<double>());
  EXPECT_LT(im["crown"].get<double>(), im["best"].get<double>());
  EXPECT_NE(im["adversarialPrediction"], im["label"]);
  EXPECT_EQ(r["survey"]["images"], kRobustSurveyImages);
  EXPECT_LT(r["survey"]["medianCertified"].get<double>(), r["survey"]["medianAttack"].get<double>());
  EXPECT_TRUE(export_csv(s, "robustness").ok());

  const auto refused = apply_changes(s, nlohmann::json{{"robustNorm", "l3"}});
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("robustNorm"), std::string::npos);
  EXPECT_EQ(s.robust.passes, 1) << "a refused value changes nothing";
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"robustNorm", "l2"}}).empty());
  EXPECT_EQ(s.robust.passes, 0);
  EXPECT_FALSE(s.robust.image_ready);
  for (int f = 0; f < 400 && !s.robust.image_ready; ++f, now += 0.016) advance(s, now, 1.0);
  ASSERT_TRUE(s.robust.image_ready);
  EXPECT_EQ(state_json(s)["robustness"]["image"]["square"], nullptr) << "no Square attack under L2";
}

// A pass takes tens of seconds; a reader who puts another model on view must not watch the old one's survey
// finish first.
TEST(AppSmoke, RobustnessSurveyStartsOverWhenAnotherModelIsShown) {
  AppState s;
  s.test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  use_pretrained(s, make_model(Arch{}, 1), "seed 1");
  refresh_analysis(s);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"view", "robustness"}}).empty());
  double now = 0;
  for (int f = 0; f < 2000 && (!s.robust.survey_job || s.robust.survey_job->results().size() < 3); ++f) {
    advance(s, now, 1.0);
    now += 0.016;
  }
  ASSERT_TRUE(s.robust.survey_job);
  ASSERT_GE(s.robust.survey_job->results().size(), 3u);
  ASSERT_EQ(s.robust.passes, 0);
  const Model other = make_model(Arch{}, 2);
  use_pretrained(s, other, "seed 2");
  refresh_analysis(s);
  advance(s, now, 1.0);
  ASSERT_TRUE(s.robust.survey_job);
  EXPECT_TRUE(s.robust.survey_job->model().w1.isApprox(other.params.w1))
      << "the survey measures the new model";
  // How far the new pass gets in its first frame depends on the machine and on the digit on view; what it
  // shows does not: nothing of the old model's.
  EXPECT_TRUE(s.robust.survey.empty()) << "and started over";
  EXPECT_EQ(s.robust.passes, 0);
}

// An experiment asked for through set() runs in frame slices once the data and their subspace are ready,
// reports its results and verdicts in state(), and its panel draws every stage. Bad names change nothing.
TEST(AppSmoke, TrialExperimentRunsInFrameSlicesAndReportsItsVerdicts) {
  Headless ui;
  CountingTextures textures;
  AppState s;
  s.train = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTrain).value();
  s.test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  use_pretrained(s, load_model(std::string(BOOKSMART_SOURCE_DIR) + "/assets/pretrained.safetensors").value(),
                 "pretrained");
  refresh_analysis(s);
  const std::vector<std::string> bad = apply_changes(s, nlohmann::json{{"trial", "span,bogus"}});
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("transfer"), std::string::npos)
      << "the message names the valid experiments: " << bad[0];
  EXPECT_EQ(state_json(s)["trial"]["span"]["status"], "idle") << "nothing was asked for";
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"trial", "span"}, {"view", "trial"}}).empty());
  EXPECT_EQ(state_json(s)["trial"]["span"]["status"], "waiting");
  double now = 0;
  int frames = 0, running_frames = 0;
  for (; frames < 20000 && s.trial.runs[0].status != ExperimentStatus::kDone; ++frames) {
    advance(s, now, 2.0);
    running_frames += s.trial.runs[0].status == ExperimentStatus::kRunning;
    ui.frame([&] { draw_trial_panel(s, textures); });
    now += 0.016;
  }
  ASSERT_EQ(s.trial.runs[0].status, ExperimentStatus::kDone);
  EXPECT_GT(running_frames, 10) << "the experiment ran over many frames";
  const nlohmann::json t = state_json(s)["trial"]["span"];
  EXPECT_EQ(t["status"], "done");
  EXPECT_EQ(t["result"]["images"], page_trial_settings().span.images);
  EXPECT_GT(t["result"]["meanShares"]["topK"].get<double>(),
            t["result"]["randomShares"]["topK"].get<double>());
  for (const char* e : {"offSpan", "linearity", "features"}) {
    const std::string a = t["verdicts"][e]["agreement"];
    EXPECT_TRUE(a == "agrees" || a == "mixed" || a == "disagrees") << e << ": " << a;
    EXPECT_FALSE(t["verdicts"][e]["measured"].get<std::string>().empty());
  }
  EXPECT_EQ(t["verdicts"]["tilting"]["agreement"], "silent");
  EXPECT_EQ(state_json(s)["trial"]["transfer"]["status"], "idle") << "only what was asked for runs";
  Expected<std::string> csv = export_csv(s, "trial-span");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(std::count(csv.value().begin(), csv.value().end(), '\n'), 101);
  EXPECT_FALSE(export_csv(s, "trial-cosine").ok());
}

}  // namespace
}  // namespace bs::app
