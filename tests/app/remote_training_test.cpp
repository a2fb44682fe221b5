// The live run trained on another thread, seen from the state (app/remote_training.h): the reader's wishes go
// out as one request, and reports come back into the live model as if it had trained here.
#include "app/remote_training.h"

#include <gtest/gtest.h>

#include <cmath>

#include "app/app_state.h"
#include "app/data_feed.h"
#include "app/state_api.h"
#include "app/trial_state.h"
#include "tests/core/test_util.h"

namespace bs::app {
namespace {

// A state training in a worker, with a run started and a test set to evaluate on.
void remote_run(AppState& s) {
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"trainer", "worker"}, {"seed", 8}}).empty());
  s.test = test::random_dataset(300, 4);
  reset_training(s);
  s.run.playing = true;
}

RunReport report_at(const AppState& s, long long step, bool checkpoint) {
  RunReport r;
  r.run = s.run.run_id;
  r.progress.step = step;
  r.progress.images_seen = step * 32;
  r.progress.last_loss = 0.5f;
  r.checkpoint = checkpoint;
  r.images_per_second = 40000;
  return r;
}

std::vector<float> weights_of(uint64_t seed) {
  std::vector<float> w(flat_size(Arch{}));
  params_to_flat(make_model(Arch{}, seed).params, w.data());
  return w;
}

TEST(RemoteTraining, TheRequestCarriesTheRunItsSeedAndWhetherItPlays) {
  AppState s;
  remote_run(s);
  const RunRequest q = run_request(s);
  EXPECT_EQ(q.run, s.run.run_id);
  EXPECT_EQ(q.seed, 8u);
  EXPECT_TRUE(q.playing);
  EXPECT_EQ(q.config.start_images, kAutoStartImages);
  const long long before = s.run.run_id;
  reset_training(s);
  EXPECT_EQ(run_request(s).run, before + 1) << "every reset is a new run";
}

TEST(RemoteTraining, AReportPutsItsWeightsAndProgressIntoTheLiveModel) {
  AppState s;
  remote_run(s);
  const auto w = weights_of(99);
  ASSERT_TRUE(apply_run_report(s, report_at(s, 37, false), w.data(), w.size()).ok());
  EXPECT_EQ(s.run.trainer->step(), 37);
  EXPECT_EQ(s.run.model.params.w1(5, 300), make_model(Arch{}, 99).params.w1(5, 300));
  EXPECT_EQ(s.run.images_per_second, 40000);
  EXPECT_FALSE(s.run.eval_job.running()) << "a plain report is not evaluated";
}

TEST(RemoteTraining, ACheckpointsTestAccuracyEntersTheHistory) {
  AppState s;
  remote_run(s);
  const auto w = weights_of(99);
  RunReport r = report_at(s, 400, true);
  r.test_accuracy = 0.9;
  r.test_images = 2000;
  ASSERT_TRUE(apply_run_report(s, r, w.data(), w.size()).ok());
  EXPECT_FALSE(s.run.eval_job.running()) << "measured by the worker, not in the page's frames";
  EXPECT_FLOAT_EQ(s.run.test_accuracy, 0.9f);
  EXPECT_EQ(s.run.test_accuracy_images, 2000u);
  ASSERT_EQ(s.run.history.accuracy.size(), 1u);
  EXPECT_FLOAT_EQ(s.run.history.loss.back(), 0.5f);
  EXPECT_TRUE(s.run.epoch_accuracy.empty()) << "not an epoch's end";
  r.progress.step = 512;
  r.progress.epoch_just_ended = true;
  r.test_images = 10000;
  ASSERT_TRUE(apply_run_report(s, r, w.data(), w.size()).ok());
  EXPECT_EQ(s.run.epoch_accuracy_images, (std::vector<size_t>{10000}));
}

TEST(RemoteTraining, AnEpochThatEndsBeforeAnyTestImageKeepsItsPlaceWithNoAccuracy) {
  AppState s;
  remote_run(s);
  const auto w = weights_of(99);
  RunReport r = report_at(s, 128, true);
  r.progress.epoch_just_ended = true;  // the worker had no test image to measure on
  ASSERT_TRUE(apply_run_report(s, r, w.data(), w.size()).ok());
  ASSERT_EQ(s.run.epoch_accuracy.size(), 1u) << "entry i is epoch i + 1's";
  EXPECT_TRUE(std::isnan(s.run.epoch_accuracy[0]));
  EXPECT_EQ(s.run.epoch_accuracy_images[0], 0u);
  EXPECT_TRUE(nlohmann::json::parse(state_json(s).dump())["epochAccuracies"][0].is_null())
      << "null in state()";
  EXPECT_TRUE(s.run.history.accuracy.empty()) << "nothing measured, nothing drawn";
  r.progress.step = 384;
  r.test_accuracy = 0.8;
  r.test_images = 10000;
  ASSERT_TRUE(apply_run_report(s, r, w.data(), w.size()).ok());
  EXPECT_EQ(s.run.epoch_accuracy_images, (std::vector<size_t>{0, 10000}));
}

TEST(RemoteTraining, AnOlderRunsReportIsDropped) {
  AppState s;
  remote_run(s);
  RunReport old = report_at(s, 37, false);
  reset_training(s);
  const auto w = weights_of(99);
  ASSERT_TRUE(apply_run_report(s, old, w.data(), w.size()).ok());
  EXPECT_EQ(s.run.trainer->step(), 0);
  EXPECT_EQ(s.run.model.params.w1(5, 300), make_model(Arch{}, 8).params.w1(5, 300));
}

TEST(RemoteTraining, ReachingASharedLinksStepPausesTheRun) {
  AppState s;
  remote_run(s);
  s.run.stop_at_step = 120;
  const auto w = weights_of(8);
  ASSERT_TRUE(apply_run_report(s, report_at(s, 120, false), w.data(), w.size()).ok());
  EXPECT_FALSE(s.run.playing);
  EXPECT_EQ(s.run.stop_at_step, -1);
  EXPECT_FALSE(run_request(s).playing);
}

TEST(RemoteTraining, AReportWithTheWrongWeightCountOrForAPageThatTrainsItselfIsRefused) {
  AppState s;
  remote_run(s);
  const auto w = weights_of(99);
  EXPECT_FALSE(apply_run_report(s, report_at(s, 37, false), w.data(), w.size() - 1).ok());
  EXPECT_EQ(s.run.trainer->step(), 0) << "a refused report changes nothing";
  AppState here;
  reset_training(here);
  EXPECT_FALSE(apply_run_report(here, report_at(here, 5, false), w.data(), w.size()).ok());
}

TEST(RemoteTraining, TheTrainerIsChosenBeforeTrainingStarts) {
  AppState s;
  reset_training(s);
  EXPECT_EQ(apply_changes(s, nlohmann::json{{"trainer", "worker"}})[0],
            "the trainer can only be chosen before training starts");
  EXPECT_FALSE(s.run.remote);
}

TEST(RemoteTraining, AFailedWorkerMovesTheRunHereRestartedFromItsSeedAndStillPlaying) {
  AppState s;
  remote_run(s);
  const auto w = weights_of(99);
  ASSERT_TRUE(apply_run_report(s, report_at(s, 37, false), w.data(), w.size()).ok());
  const long long run = s.run.run_id;
  training_side_failed(s, "its script failed");
  EXPECT_FALSE(s.run.remote);
  EXPECT_EQ(state_json(s)["trainer"], "page");
  EXPECT_TRUE(s.run.playing);
  EXPECT_EQ(s.run.run_id, run + 1) << "a new run: the optimizer's state was in the worker";
  EXPECT_EQ(s.run.trainer->step(), 0);
  EXPECT_EQ(s.run.model.params.w1(5, 300), make_model(Arch{}, 8).params.w1(5, 300)) << "from its seed again";
  EXPECT_TRUE(training_set_wanted(s)) << "the page now needs its own copy of the training images";
  EXPECT_NE(s.ui.notice.find("its script failed"), std::string::npos) << s.ui.notice;
}

TEST(RemoteTraining, AnExperimentTheFailedWorkerWasRunningIsAskedAgainHere) {
  AppState s;
  remote_run(s);
  s.trial.runs[0].status = ExperimentStatus::kRunning;
  s.trial.runs[1].status = ExperimentStatus::kWaiting;
  s.trial.runs[2].status = ExperimentStatus::kDone;
  training_side_failed(s, "gone");
  EXPECT_EQ(s.trial.runs[0].status, ExperimentStatus::kWaiting);
  EXPECT_EQ(s.trial.runs[1].status, ExperimentStatus::kWaiting);
  EXPECT_EQ(s.trial.runs[2].status, ExperimentStatus::kDone);
  EXPECT_TRUE(s.subspace.wanted) << "the page builds the data subspace the experiments need";
}

TEST(RemoteTraining, AFailureReportedWhenThisThreadTrainsChangesNothing) {
  AppState s;
  s.run.remote = false;
  training_side_failed(s, "late");
  EXPECT_TRUE(s.ui.notice.empty());
}

}  // namespace
}  // namespace bs::app
