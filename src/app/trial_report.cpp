// state().trial: per experiment, the trial's one report entry (core/trial/report_json.h: the same fields as
// `booksmart trial --json` for the same result) and this run's live fields: status, progress, timings and the
// label of model A. The article's live figures read them.
#include <algorithm>

#include "app/app_state.h"
#include "app/state_reports.h"
#include "app/trial_state.h"
#include "core/trial/report_json.h"

namespace bs::app {

using json = nlohmann::json;

json trial_report(const AppState& s) {
  json out = json::object();
  const TrialSettings settings = page_trial_settings();
  for (const ExperimentInfo& info : kExperiments) {
    const ExperimentRun& r = s.trial.runs[size_t(info.experiment)];
    const bool done = r.status == ExperimentStatus::kDone;
    // Per stage: milliseconds in all, the longest single unit, and the units run.
    json stages = json::array();
    double longest = 0;  // the slowest unit of all: what can make a frame late
    for (const Stages::StageTime& x : experiment_stage_times(s, info.experiment)) {
      stages.push_back({{"ms", x.total_ms}, {"longestMs", x.longest_ms}, {"units", x.calls}});
      longest = std::max(longest, x.longest_ms);
    }
    json entry = experiment_json(info.experiment, experiment_result(s, info.experiment), done, settings,
                                 experiment_verdicts(s, info.experiment));
    entry["status"] = status_name(r.status);
    entry["progress"] = experiment_progress(s, info.experiment);
    entry["seconds"] = done ? json(r.seconds) : json(nullptr);
    entry["runSeconds"] = done ? json(r.run_seconds) : json(nullptr);
    entry["longestUnitMs"] = longest;
    entry["stages"] = stages;
    entry["model"] = r.model;
    out[info.name] = std::move(entry);
  }
  return out;
}

}  // namespace bs::app
