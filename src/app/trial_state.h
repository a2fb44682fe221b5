// The Trial view: the five experiments that test the explanations of adversarial examples against each other
// (docs/trial.md), run in the page as jobs in frame slices (core/trial/stages.h) on the streamed data, with
// lighter settings than the CLI's (page_trial_settings), and for each a table of what each explanation
// predicts (fixed text, written after the first trial's results had been seen) beside the measured outcome
// and whether it agrees.
//
// Model A of experiments a, b, d and e is the model on view when the experiment is asked for (a snapshot);
// the thin book (c) trains its own models. The reader asks for an experiment (a button, set({trial: ...}) or
// ?trial=...); it starts once the training set has arrived and the data subspace is built.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/trial/experiment.h"
#include "core/trial/verdicts.h"

namespace bs::app {

struct AppState;

constexpr double kResultIntervalMs = 100.0;  // a running experiment's figures are refreshed this often
constexpr double kTrialBudgetMs = 6.0;       // per frame, while an experiment runs (units stop short of it)

enum class ExperimentStatus { kIdle, kWaiting, kRunning, kDone };
const char* status_name(ExperimentStatus s);

struct ExperimentRun {
  ExperimentStatus status = ExperimentStatus::kIdle;
  double asked_ms = 0;      // when the reader asked for it
  double started_ms = 0;    // when it started (the data and the experiments before it ready)
  double seconds = 0;       // from asked to done (frames included)
  double run_seconds = 0;   // from started to done
  double last_unit_ms = 0;  // its job's latest step(), to judge whether another fits in a frame's budget
  std::string model;        // the label of model A
};

struct TrialState {
  std::array<ExperimentRun, kExperimentCount> runs;
  // Each experiment's figures as they stand (empty before it first runs), whether it runs here or in the
  // page's worker (remote).
  std::array<std::optional<ExperimentResult>, kExperimentCount> results;
  // Each finished experiment's verdicts, read once when it finished (f's read a bootstrap over its images).
  std::array<std::vector<Verdict>, kExperimentCount> verdicts;
  std::unique_ptr<ExperimentJob> job;  // the experiment running here, if any
  double result_ms = 0;                // when its figures were last copied out
  long generation = 0;                 // bumped when a result changes
};

// Asks for an experiment: it starts when the data are ready and no other is running (they run one at a time,
// in the order asked). Asking again for a finished one runs it again on the model now on view.
void request_experiment(AppState& s, Experiment e);
// The experiments now run in this thread (the worker failed, s.run.remote just cleared): one the worker was
// running is asked again, and this thread builds the data subspace the waiting ones need.
void trial_moved_here(AppState& s);
// "span,transfer" or "all": the experiments named, or why not (naming the valid names).
std::string request_experiments(AppState& s, const std::string& names);
// Whether any experiment has been asked for (waiting, running or done), and whether one is running now.
bool trial_asked(const AppState& s);
bool trial_running(const AppState& s);
// Per frame: starts what was asked for when it can, and runs the running experiment for `budget_ms`. With
// training in the page's worker (s.run.remote), the experiments run there instead (below).
void advance_trial(AppState& s, double budget_ms);
// For the worker: the next experiment asked for, which then counts as running; nothing while one runs there,
// before a model is on view, or when the page runs them itself.
std::optional<ExperimentRequest> next_remote_experiment(AppState& s);
// The worker's figures for the experiment it runs (encode_result's numbers): "" or why they were refused.
// Figures of an experiment no longer running (asked again, or a new state) are dropped.
std::string apply_remote_result(AppState& s, const double* v, size_t n);
// Its figures as they stand, or null before it first runs.
const ExperimentResult* experiment_result(const AppState& s, Experiment e);
// Where the experiment's time went, per stage of its job (empty before it starts).
std::vector<Stages::StageTime> experiment_stage_times(const AppState& s, Experiment e);
// The share of the running experiment done, 0..1 (1 when done).
double experiment_progress(const AppState& s, Experiment e);
// Each explanation's prediction, and the verdict once the experiment is done.
std::vector<Verdict> experiment_verdicts(const AppState& s, Experiment e);

}  // namespace bs::app
