// The trial's experiments run in the page's worker, seen from the state (app/trial_state.h): an asked-for
// experiment goes out once, with the model on view, and the worker's figures come back into the same report
// the page makes when it runs the experiment itself. Here a native loop plays the worker, with the worker's
// code path: decode the request, run the job in frame-sized units, send the figures as numbers.
#include <gtest/gtest.h>

#include "app/app_state.h"
#include "app/state_api.h"
#include "app/state_reports.h"
#include "app/trial_state.h"
#include "core/io/mnist_files.h"
#include "core/io/model_files.h"

namespace bs::app {
namespace {

const Dataset& train_set() {
  static Dataset d = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTrain).value();
  return d;
}
const Dataset& test_set() {
  static Dataset d = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  return d;
}

// A state showing the pretrained model (no live training starts), with the data, its training (if asked
// for) in the worker or here.
void prepare(AppState& s, bool remote) {
  ASSERT_TRUE(
      apply_changes(s, nlohmann::json{{"trainer", remote ? "worker" : "page"}, {"train", "pretrained"}})
          .empty());
  s.train = train_set();
  s.test = test_set();
  use_pretrained(s, load_model(std::string(BOOKSMART_SOURCE_DIR) + "/assets/pretrained.safetensors").value(),
                 "pretrained");
  refresh_analysis(s);
}

// What the worker does with a request (src/platform/web/trainer_worker.cpp): the job on its own copy of the
// data and its own subspace, a few units at a time, the figures sent after each round.
void play_worker(AppState& s, const std::vector<double>& request) {
  auto q = decode_experiment_request(request.data(), request.size());
  ASSERT_TRUE(q.ok()) << q.error();
  static const Subspace subspace = data_subspace(train_set());
  ExperimentInputs in;
  in.train = &train_set();
  in.test = &test_set();
  in.subspace = &subspace;
  in.a = q.value().a;
  in.seed = q.value().seed;
  in.source = q.value().source;
  in.target = q.value().target;
  ExperimentJob job(q.value().experiment, in, page_trial_settings(), Slicing::frame());
  while (!job.done()) {
    for (int i = 0; i < 40 && !job.done(); ++i) job.step();
    const std::vector<double> v = job.encoded();
    ASSERT_EQ(apply_remote_result(s, v.data(), v.size()), "");
  }
}

TEST(RemoteTrial, AnAskedForExperimentGoesToTheWorkerOnceWithTheModelOnView) {
  AppState s;
  prepare(s, true);
  EXPECT_FALSE(next_remote_experiment(s)) << "nothing asked for yet";
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"trial", "transfer,span"}}).empty());
  auto first = next_remote_experiment(s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->experiment, Experiment::kSpan) << "in the table's order";
  EXPECT_EQ(first->seed, s.run.seed);
  EXPECT_EQ(first->a.params.w1, s.shown().params.w1);
  EXPECT_EQ(first->a.init.w1, s.shown().init.w1);
  EXPECT_EQ(state_json(s)["trial"]["span"]["status"], "running");
  EXPECT_EQ(state_json(s)["trial"]["transfer"]["status"], "waiting");
  EXPECT_FALSE(next_remote_experiment(s)) << "one at a time";
  advance(s, 0, 6.0);
  EXPECT_FALSE(s.trial.job) << "the page runs nothing itself";
  EXPECT_FALSE(s.subspace.wanted) << "the worker builds its own subspace";
}

TEST(RemoteTrial, ThePageRunsItsOwnExperimentsWhenItTrainsItself) {
  AppState s;
  prepare(s, false);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"trial", "span"}}).empty());
  EXPECT_FALSE(next_remote_experiment(s));
  const ExperimentResult stray;
  const std::vector<double> v = encode_result(stray);
  EXPECT_EQ(apply_remote_result(s, v.data(), v.size()), "")
      << "figures nobody asked the worker for are dropped";
  EXPECT_EQ(state_json(s)["trial"]["span"]["status"], "waiting");
}

TEST(RemoteTrial, BadFiguresAreRefusedWithAReasonAndChangeNothing) {
  AppState s;
  prepare(s, true);
  ASSERT_TRUE(apply_changes(s, nlohmann::json{{"trial", "span"}}).empty());
  ASSERT_TRUE(next_remote_experiment(s));
  const nlohmann::json before = state_json(s)["trial"];
  const double junk[] = {1, 0, 1};
  const std::string why = apply_remote_result(s, junk, 3);
  EXPECT_NE(why.find("cannot be read"), std::string::npos) << why;
  EXPECT_EQ(state_json(s)["trial"], before);
}

TEST(RemoteTrial, FiguresFromTheWorkerGiveTheSameReportAsTheExperimentRunInThePage) {
  AppState here;
  prepare(here, false);
  ASSERT_TRUE(apply_changes(here, nlohmann::json{{"trial", "span"}}).empty());
  for (int frame = 0; frame < 100000 && here.trial.runs[0].status != ExperimentStatus::kDone; ++frame)
    advance(here, 0.016 * frame, 6.0);
  ASSERT_EQ(here.trial.runs[0].status, ExperimentStatus::kDone);

  AppState remote;
  prepare(remote, true);
  ASSERT_TRUE(apply_changes(remote, nlohmann::json{{"trial", "span"}}).empty());
  auto q = next_remote_experiment(remote);
  ASSERT_TRUE(q);
  play_worker(remote, encode_experiment_request(*q));
  const nlohmann::json a = state_json(here)["trial"]["span"], b = state_json(remote)["trial"]["span"];
  EXPECT_EQ(b["status"], "done");
  EXPECT_EQ(b["progress"], 1.0);
  EXPECT_EQ(b["result"], a["result"]);
  EXPECT_EQ(b["verdicts"], a["verdicts"]);
  EXPECT_EQ(b["model"], a["model"]);
  EXPECT_GT(b["stages"].size(), 0u);
}

}  // namespace
}  // namespace bs::app
