// The trial's one report schema: each experiment's figures and verdicts as camelCase JSON, written here and
// nowhere else. `booksmart trial --json` (its "experiments" object, and so the article's build-time figures
// in assets/trial.json) and the page's state().trial hold the same entry for the same result; the page adds
// only its run's live fields (status, progress, timings). docs/trial.md lists the fields.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/trial/experiment.h"
#include "core/trial/verdicts.h"

namespace bs {

// Each explanation's prediction for experiment `e` and, once `done`, its verdict on `r` (which may be null
// before the experiment first reports; the thin book judges the runs it has).
std::vector<Verdict> experiment_verdicts(Experiment e, const ExperimentResult* r, bool done);

// The figures of r.experiment, as they stand. `s` is what the experiment was run with (the fields that say
// how: neighbours, PGD scale, push radius...).
nlohmann::json result_json(const ExperimentResult& r, const TrialSettings& s);

// What the experiment measured by the second trial's rules (docs/trial-rules.md), for the seed files: a, b,
// c, d and f's quantities and checks so far (e's new measures are still to come; empty for it).
SeedMeasures experiment_measures(const ExperimentResult& r);

// {"offSpan": {"order", "explanation", "prediction", "agreement", "measured"}, ...}.
nlohmann::json verdicts_json(const std::vector<Verdict>& verdicts);

// One experiment's entry: {"order", "name", "title", "question", "result", "verdicts"}; "result" is null
// while `r` is null or holds nothing to show yet. `verdicts` are experiment_verdicts(e, r, done)'s (an
// interface keeps them once its experiment is done: f's read a bootstrap).
nlohmann::json experiment_json(Experiment e, const ExperimentResult* r, bool done, const TrialSettings& s,
                               const std::vector<Verdict>& verdicts);

}  // namespace bs
