#include "app/trial_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app_state.h"
#include "core/trial/report_json.h"
#include "core/util/clock.h"
#include "core/util/median.h"

namespace bs::app {

const char* status_name(ExperimentStatus s) {
  const char* names[] = {"idle", "waiting", "running", "done"};
  return names[size_t(s)];
}

void request_experiment(AppState& s, Experiment e) {
  ExperimentRun& r = s.trial.runs[size_t(e)];
  if (r.status == ExperimentStatus::kWaiting || r.status == ExperimentStatus::kRunning) return;
  r.status = ExperimentStatus::kWaiting;
  r.asked_ms = now_ms();
  if (!s.run.remote)
    s.subspace.wanted = true;  // the experiments need the data subspace (the worker builds its own)
}

std::string request_experiments(AppState& s, const std::string& names) {
  std::vector<Experiment> asked;
  size_t at = 0;
  while (at <= names.size()) {
    const size_t comma = std::min(names.find(',', at), names.size());
    const std::string name = names.substr(at, comma - at);
    bool found = false;
    for (const ExperimentInfo& info : kExperiments)
      if (name == info.name || name == "all") {
        asked.push_back(info.experiment);
        found = true;
      }
    if (!found) {
      std::string valid;
      for (const ExperimentInfo& info : kExperiments) valid += std::string(info.name) + ", ";
      return "trial must name experiments (" + valid + "or all, separated by commas), not '" +
             name.substr(0, 40) + "'";
    }
    at = comma + 1;
  }
  for (Experiment e : asked) request_experiment(s, e);
  return "";
}

namespace {

bool ready_to_start(const AppState& s) {
  return s.train.complete() && s.test.complete() && s.subspace.ready() && s.has_model();
}

ExperimentRun& running_run(AppState& s, Experiment e) {
  ExperimentRun& r = s.trial.runs[size_t(e)];
  r.status = ExperimentStatus::kRunning;
  r.started_ms = now_ms();
  r.last_unit_ms = 0;
  r.model = e == Experiment::kThinBook ? "its own models" : s.model_label();
  s.trial.results[size_t(e)].reset();
  s.trial.verdicts[size_t(e)].clear();
  ++s.trial.generation;
  return r;
}

// The transfer and optimizer experiments attack the book's overlay pair (7 -> 0, Sneaker -> Bag), as
// `booksmart trial --dataset` does.
ExperimentRequest request_for(const AppState& s, Experiment e) {
  ExperimentRequest q;
  q.experiment = e;
  q.seed = s.run.seed;
  q.source = book_info(s.book).overlay_from;
  q.target = book_info(s.book).overlay_to;
  q.a = s.shown();
  return q;
}

void start(AppState& s, Experiment e) {
  ExperimentRequest q = request_for(s, e);
  ExperimentInputs in;
  in.train = &s.train;
  in.test = &s.test;
  in.subspace = &s.subspace.basis;
  in.a = std::move(q.a);
  in.seed = q.seed;
  in.source = q.source;
  in.target = q.target;
  running_run(s, e);
  s.trial.job = std::make_unique<ExperimentJob>(e, std::move(in), page_trial_settings(), Slicing::frame());
}

void finish(AppState& s, Experiment e) {
  ExperimentRun& r = s.trial.runs[size_t(e)];
  r.status = ExperimentStatus::kDone;
  r.seconds = (now_ms() - r.asked_ms) / 1000.0;
  r.run_seconds = (now_ms() - r.started_ms) / 1000.0;
  s.trial.verdicts[size_t(e)] = bs::experiment_verdicts(e, experiment_result(s, e), true);
}

const ExperimentInfo* first_waiting(const AppState& s) {
  for (const ExperimentInfo& info : kExperiments)
    if (s.trial.runs[size_t(info.experiment)].status == ExperimentStatus::kWaiting) return &info;
  return nullptr;
}

}  // namespace

void trial_moved_here(AppState& s) {
  for (ExperimentRun& r : s.trial.runs)
    if (r.status == ExperimentStatus::kRunning) r.status = ExperimentStatus::kWaiting;
  if (first_waiting(s)) s.subspace.wanted = true;  // as request_experiment asks when this thread runs them
}

bool trial_asked(const AppState& s) {
  for (const ExperimentRun& r : s.trial.runs)
    if (r.status != ExperimentStatus::kIdle) return true;
  return false;
}

bool trial_running(const AppState& s) {
  for (const ExperimentRun& r : s.trial.runs)
    if (r.status == ExperimentStatus::kRunning) return true;
  return false;
}

void advance_trial(AppState& s, double budget_ms) {
  TrialState& t = s.trial;
  if (s.run.remote) return;  // the worker runs them (next_remote_experiment)
  const double begin = now_ms();
  if (t.job) {
    const Experiment e = t.job->experiment();
    ExperimentRun& r = t.runs[size_t(e)];
    // A unit starts only if one like the last still ends within the budget (the first of a frame always
    // does), so that the frame's work stays near the budget instead of overrunning it by a unit.
    for (bool first = true; !t.job->done(); first = false) {
      if (!first && now_ms() - begin + r.last_unit_ms > budget_ms) break;
      const double unit = now_ms();
      t.job->step();
      r.last_unit_ms = now_ms() - unit;
    }
    // Its figures grow as it runs: copied out a few times a second (a copy builds empty models in its
    // reports).
    if (t.job->done() || now_ms() - t.result_ms > kResultIntervalMs) {
      t.results[size_t(e)] = t.job->result();
      t.result_ms = now_ms();
      ++t.generation;
    }
    if (t.job->done()) {
      finish(s, e);
      t.job.reset();
    }
    return;  // one at a time
  }
  if (!ready_to_start(s)) return;
  if (const ExperimentInfo* info = first_waiting(s)) start(s, info->experiment);
}

std::optional<ExperimentRequest> next_remote_experiment(AppState& s) {
  if (!s.run.remote || !s.has_model() || trial_running(s)) return std::nullopt;
  const ExperimentInfo* info = first_waiting(s);
  if (!info) return std::nullopt;
  ExperimentRequest q = request_for(s, info->experiment);
  ExperimentRun& r = running_run(s, info->experiment);
  r.started_ms = 0;  // set when the worker's first figures say it has begun (its data and subspace ready)
  return q;
}

std::string apply_remote_result(AppState& s, const double* v, size_t n) {
  auto decoded = decode_result(v, n);
  if (!decoded.ok()) return decoded.error();
  ExperimentResult& x = decoded.value();
  const Experiment e = x.experiment;
  ExperimentRun& r = s.trial.runs[size_t(e)];
  if (r.status != ExperimentStatus::kRunning) return "";  // stale: it was asked again, or the state is new
  if (r.started_ms == 0 && !x.stage_times.empty()) r.started_ms = now_ms();
  const bool done = x.done;
  s.trial.results[size_t(e)] = std::move(x);
  ++s.trial.generation;
  if (done) finish(s, e);
  return "";
}

const ExperimentResult* experiment_result(const AppState& s, Experiment e) {
  const auto& r = s.trial.results[size_t(e)];
  return r ? &*r : nullptr;
}

std::vector<Stages::StageTime> experiment_stage_times(const AppState& s, Experiment e) {
  const ExperimentResult* r = experiment_result(s, e);
  return r ? r->stage_times : std::vector<Stages::StageTime>{};
}

double experiment_progress(const AppState& s, Experiment e) {
  const ExperimentRun& r = s.trial.runs[size_t(e)];
  if (r.status == ExperimentStatus::kDone) return 1.0;
  const ExperimentResult* x = experiment_result(s, e);
  return r.status == ExperimentStatus::kRunning && x ? x->progress : 0.0;
}

// The verdicts of the experiment run in the page: the core's rules (core/trial/verdicts.h) on its report.
std::vector<Verdict> experiment_verdicts(const AppState& s, Experiment e) {
  const bool done = s.trial.runs[size_t(e)].status == ExperimentStatus::kDone;
  if (done && !s.trial.verdicts[size_t(e)].empty()) return s.trial.verdicts[size_t(e)];
  return bs::experiment_verdicts(e, experiment_result(s, e), done);
}

}  // namespace bs::app
