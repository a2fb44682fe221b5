#include "app/trial_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app_state.h"
#include "app/clock.h"
#include "core/util/median.h"

namespace bs::app {

const std::array<ExperimentInfo, kExperimentCount> kExperimentTable = {{
    {Experiment::kSpan, "span", "a. Where minimal perturbations live",
     "Does the smallest change that fools the network lie in the directions the data use, or outside them?"},
    {Experiment::kTransfer, "transfer", "b. Two seeds",
     "Do the patterns that fool model A also fool model B, trained the same way from another seed?"},
    {Experiment::kThinBook, "thin", "c. The thin book",
     "Trained on images confined to d directions, where is the model easiest to attack?"},
    {Experiment::kOptimizers, "optimizers", "d. SGD against Adam",
     "Adam moves the weights the data barely touch far more than SGD does: does that change the attacks?"},
    {Experiment::kFeatures, "features", "e. Bugs or features",
     "Do the perturbations carry real patterns of the target class, enough to learn from?"},
}};

PageTrialSettings page_trial_settings() {
  PageTrialSettings p;
  RobustnessSettings light;
  light.norm = Norm::kL2;
  light.steps = 20;
  light.restarts = 1;
  p.span.images = 100;
  p.span.attack = light;
  p.transfer.epochs = 3;  // the recipe has 5; 3 keeps B's training within half a minute of frame slices
  p.transfer.max_images = 200;
  p.transfer.attack = light;
  p.thin.epochs = 1;
  p.thin.images = 20;
  p.thin.attack.steps = 10;
  p.thin.attack.restarts = 1;
  p.features.images = 2000;
  p.features.steps = 10;
  p.features.epochs = 2;
  return p;
}

const char* status_name(ExperimentStatus s) {
  const char* names[] = {"idle", "waiting", "running", "done"};
  return names[size_t(s)];
}

void request_experiment(AppState& s, Experiment e) {
  ExperimentRun& r = s.trial.runs[size_t(e)];
  if (r.status == ExperimentStatus::kWaiting || r.status == ExperimentStatus::kRunning) return;
  r.status = ExperimentStatus::kWaiting;
  r.asked_ms = now_ms();
  s.lab.wanted = true;  // the experiments need the data subspace
}

std::string request_experiments(AppState& s, const std::string& names) {
  std::vector<Experiment> asked;
  size_t at = 0;
  while (at <= names.size()) {
    const size_t comma = std::min(names.find(',', at), names.size());
    const std::string name = names.substr(at, comma - at);
    bool found = false;
    for (const ExperimentInfo& info : kExperimentTable)
      if (name == info.name || name == "all") {
        asked.push_back(info.experiment);
        found = true;
      }
    if (!found) {
      std::string valid;
      for (const ExperimentInfo& info : kExperimentTable) valid += std::string(info.name) + ", ";
      return "trial must name experiments (" + valid + "or all, separated by commas), not '" +
             name.substr(0, 40) + "'";
    }
    at = comma + 1;
  }
  for (Experiment e : asked) request_experiment(s, e);
  return "";
}

namespace {

// The transfer and optimizer experiments attack the book's overlay pair (7 -> 0, Sneaker -> Bag), as
// `booksmart trial --dataset` does.
TransferSettings book_transfer(const AppState& s, TransferSettings t) {
  t.source = book_info(s.book).overlay_from;
  t.target = book_info(s.book).overlay_to;
  return t;
}

bool ready_to_start(const AppState& s) {
  return s.train.complete() && s.test.complete() && s.lab.ready() && s.has_model();
}

void start(AppState& s, Experiment e) {
  TrialView& t = s.trial;
  const PageTrialSettings p = page_trial_settings();
  const Slicing slicing = Slicing::frame();
  const uint64_t seed = s.run.seed;
  t.a = s.shown();
  ExperimentRun& r = t.runs[size_t(e)];
  r.status = ExperimentStatus::kRunning;
  r.started_ms = now_ms();
  r.last_unit_ms = 0;
  r.model = e == Experiment::kThinBook ? "its own models" : s.model_label();
  switch (e) {
    case Experiment::kSpan:
      t.span = std::make_unique<MinimalSpanJob>(t.a.params, s.train, s.test, s.lab.subspace, p.span, slicing);
      break;
    case Experiment::kTransfer:
      t.transfer = std::make_unique<TransferJob>(s.train, s.test, s.lab.subspace, seed, seed + 1,
                                                 book_transfer(s, p.transfer), slicing, &t.a);
      break;
    case Experiment::kThinBook:
      t.thin_train = s.train.first(p.thin_train_images);
      t.thin = std::make_unique<ThinBookJob>(t.thin_train, s.test, s.lab.subspace, seed, p.thin, slicing);
      break;
    case Experiment::kOptimizers:
      t.optimizers =
          std::make_unique<OptimizersJob>(t.a, s.train, s.test, s.lab.subspace, seed, p.optimizer_images,
                                          book_transfer(s, p.transfer), slicing);
      break;
    case Experiment::kFeatures:
      t.features = std::make_unique<FeaturesJob>(t.a.params, s.train, s.test, s.lab.subspace, seed + 2,
                                                 p.features, slicing);
      break;
  }
  ++t.generation;
}

// The running job's done() and step(), whichever experiment it is.
template <typename View, typename F>
auto with_job(View& t, Experiment e, F f) {
  switch (e) {
    case Experiment::kSpan:
      return f(*t.span);
    case Experiment::kTransfer:
      return f(*t.transfer);
    case Experiment::kThinBook:
      return f(*t.thin);
    case Experiment::kOptimizers:
      return f(*t.optimizers);
    default:
      return f(*t.features);
  }
}

bool has_job(const TrialView& t, Experiment e) {
  switch (e) {
    case Experiment::kSpan:
      return t.span != nullptr;
    case Experiment::kTransfer:
      return t.transfer != nullptr;
    case Experiment::kThinBook:
      return t.thin != nullptr;
    case Experiment::kOptimizers:
      return t.optimizers != nullptr;
    default:
      return t.features != nullptr;
  }
}

}  // namespace

void advance_trial(AppState& s, double budget_ms) {
  TrialView& t = s.trial;
  const double begin = now_ms();
  for (const ExperimentInfo& info : kExperimentTable) {
    ExperimentRun& r = t.runs[size_t(info.experiment)];
    if (r.status == ExperimentStatus::kRunning) {
      // A unit starts only if one like the last still ends within the budget (the first of a frame always
      // does), so that the frame's work stays near the budget instead of overrunning it by a unit.
      for (bool first = true; !with_job(t, info.experiment, [](auto& j) { return j.done(); });
           first = false) {
        if (!first && now_ms() - begin + r.last_unit_ms > budget_ms) break;
        const double unit = now_ms();
        with_job(t, info.experiment, [](auto& j) { j.step(); });
        r.last_unit_ms = now_ms() - unit;
      }
      ++t.generation;  // its figures grow as it runs
      if (with_job(t, info.experiment, [](auto& j) { return j.done(); })) {
        r.status = ExperimentStatus::kDone;
        r.seconds = (now_ms() - r.asked_ms) / 1000.0;
        r.run_seconds = (now_ms() - r.started_ms) / 1000.0;
      }
      return;  // one at a time
    }
  }
  if (!ready_to_start(s)) return;
  for (const ExperimentInfo& info : kExperimentTable)
    if (t.runs[size_t(info.experiment)].status == ExperimentStatus::kWaiting) {
      start(s, info.experiment);
      return;
    }
}

std::vector<Stages::StageTime> experiment_stage_times(const AppState& s, Experiment e) {
  if (!has_job(s.trial, e)) return {};
  return with_job(s.trial, e, [](const auto& j) { return j.stage_times(); });
}

double experiment_progress(const AppState& s, Experiment e) {
  const TrialView& t = s.trial;
  const ExperimentRun& r = t.runs[size_t(e)];
  if (r.status == ExperimentStatus::kDone) return 1.0;
  if (r.status != ExperimentStatus::kRunning || !has_job(t, e)) return 0.0;
  switch (e) {
    case Experiment::kSpan:
      return t.span->images_total() ? double(t.span->report().images.size()) / double(t.span->images_total())
                                    : 0.0;
    case Experiment::kTransfer: {
      const double train =
          double(t.transfer->epochs_done()) / std::max(1, page_trial_settings().transfer.epochs);
      const TransferMeasureJob* m = t.transfer->measure();
      const double measure = m && m->images_total() ? double(m->images_done()) / m->images_total() : 0.0;
      return 0.6 * std::min(1.0, train) + 0.4 * measure;
    }
    case Experiment::kThinBook:
      return double(t.thin->runs().size()) / double(t.thin->models_total());
    case Experiment::kOptimizers:
      return double(t.optimizers->stage()) / double(t.optimizers->stages());
    default:
      return double(t.features->stage()) / double(t.features->stages());
  }
}

// The verdicts of the experiment run in the page: the core's rules (core/trial/verdicts.h) on its report.
std::vector<Verdict> experiment_verdicts(const AppState& s, Experiment e) {
  const TrialView& t = s.trial;
  const bool done = t.runs[size_t(e)].status == ExperimentStatus::kDone;
  switch (e) {
    case Experiment::kSpan:
      return span_verdicts(done && t.span ? &t.span->report() : nullptr);
    case Experiment::kTransfer:
      return transfer_verdicts(done && t.transfer ? &t.transfer->report() : nullptr);
    case Experiment::kThinBook:
      return thin_verdicts(t.thin ? &t.thin->runs() : nullptr, done);
    case Experiment::kOptimizers:
      return optimizer_verdicts(done && t.optimizers ? &t.optimizers->report() : nullptr);
    default:
      return feature_verdicts(done && t.features ? &t.features->report() : nullptr);
  }
}

}  // namespace bs::app
