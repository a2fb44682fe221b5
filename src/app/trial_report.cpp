// state().trial: each experiment's status, settings, results so far and verdicts, in the page's field style
// (camelCase); the numbers are the core's reports, the same as `booksmart trial --json` for the same
// settings. The article's live figures read them.
#include <algorithm>
#include <cmath>

#include "app/app_state.h"
#include "app/state_reports.h"
#include "app/trial_state.h"
#include "core/util/median.h"

namespace bs::app {
namespace {

using json = nlohmann::json;

json finite(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json shares(const SpanShares& s) {
  return {{"topK", s.top_k}, {"rest", s.rest}, {"neverLit", s.never_lit}};
}

json span_result(const MinimalSpanReport& r) {
  std::vector<double> free, complement, tangent, ratio, linear, over_linear;
  for (const MinimalSpanImage& im : r.images) {
    free.push_back(im.radius);
    complement.push_back(im.complement_radius);
    tangent.push_back(im.tangent_radius);
    linear.push_back(im.linear_radius);
    if (std::isfinite(im.radius) && im.radius > 0) ratio.push_back(double(im.complement_radius) / im.radius);
    if (std::isfinite(im.radius) && im.linear_radius > 0) over_linear.push_back(im.radius / im.linear_radius);
  }
  if (r.images.empty()) return nullptr;
  return {{"images", r.images.size()},
          {"k", r.k},
          {"explainedVariance", r.explained},
          {"meanShares", shares(r.mean_shares)},
          {"randomShares", shares(r.random_shares)},
          {"meanTangentShare", r.mean_tangent_share},
          {"randomTangentShare", r.random_tangent_share},
          {"medianRadius", finite(median(free))},
          {"medianTangentRadius", finite(median(tangent))},
          {"medianComplementRadius", finite(median(complement))},
          {"medianComplementOverFree", finite(median(ratio))},
          {"medianLinearRadius", finite(median(linear))},
          {"medianRadiusOverLinear", finite(median(over_linear))}};
}

json directions(const std::vector<DirectionTransfer>& v, const char* a, const char* b) {
  json j = json::object();
  for (const DirectionTransfer& d : v) j[d.name] = {{a, d.on_a}, {b, d.on_b}};
  return j;
}

json transfer_result(const TransferReport& r, int epochs) {
  json cos = json::array();
  for (const CosinePoint& c : r.cosine)
    cos.push_back({{"step", c.step}, {"inSpan", c.in_span}, {"offSpan", c.off_span}});
  return {{"k", r.k},
          {"epochsTrained", epochs},
          {"correctA", r.count_a},
          {"correctB", r.count_b},
          {"directions", directions(r.directions, "onA", "onB")},
          {"cosine", cos}};
}

json thin_result(const std::vector<ThinBookRun>& runs) {
  json out = json::array();
  for (const ThinBookRun& r : runs)
    out.push_back({{"d", r.d},
                   {"initScale", r.init_scale},
                   {"accuracyProjected", r.accuracy_projected},
                   {"accuracyRaw", r.accuracy_raw},
                   {"offShare", r.off_share},
                   {"initOffShare", r.init_off_share},
                   {"offChange", r.off_change},
                   {"attacked", r.attacked},
                   {"medianRadiusInSpan", finite(r.radius_in)},
                   {"medianRadiusOffSpan", finite(r.radius_off)}});
  return out;
}

json optimizers_result(const OptimizersReport& r) {
  auto run = [](const OptimizerRun& o) {
    return json{
        {"accuracy", o.accuracy}, {"offDrift", o.off_drift}, {"medianRadius", finite(o.median_radius)}};
  };
  return {{"k", r.k},
          {"sgd", run(r.sgd)},
          {"adam", run(r.adam)},
          {"sgdToAdam", directions(r.sgd_to_adam, "onSgd", "onAdam")},
          {"adamToSgd", directions(r.adam_to_sgd, "onAdam", "onSgd")}};
}

json features_result(const FeaturesReport& r, const FeaturesSettings& s) {
  json j = {{"images", r.images}, {"eps", s.eps}, {"steps", s.steps}, {"chance", 0.1}};
  for (const FeaturesVariant& v : r.variants)
    j[v.name] = {{"cleanTestAccuracy", v.clean_test_accuracy}, {"targetRateOnA", v.target_rate}};
  return j;
}

json result(const AppState& s, Experiment e) {
  const ExperimentResult* x = experiment_result(s, e);
  if (!x) return nullptr;
  switch (e) {
    case Experiment::kSpan:
      return span_result(x->span);
    case Experiment::kTransfer:
      return transfer_result(x->transfer, x->transfer_epochs);
    case Experiment::kThinBook:
      return thin_result(x->thin);
    case Experiment::kOptimizers:
      return s.trial.runs[size_t(e)].status == ExperimentStatus::kDone ? optimizers_result(x->optimizers)
                                                                       : json(nullptr);
    default:
      return features_result(x->features, page_trial_settings().features);
  }
}

}  // namespace

json trial_report(const AppState& s) {
  json out = json::object();
  int order = 0;
  for (const ExperimentInfo& info : kExperiments) {
    const ExperimentRun& r = s.trial.runs[size_t(info.experiment)];
    // Per stage: milliseconds in all, the longest single unit, and the units run.
    json stages = json::array();
    double longest = 0;  // the slowest unit of all: what can make a frame late
    for (const Stages::StageTime& x : experiment_stage_times(s, info.experiment)) {
      stages.push_back({{"ms", x.total_ms}, {"longestMs", x.longest_ms}, {"units", x.calls}});
      longest = std::max(longest, x.longest_ms);
    }
    json verdicts = json::object();
    for (const Verdict& v : experiment_verdicts(s, info.experiment))
      verdicts[explanation_name(v.explanation)] = {{"order", int(v.explanation)},
                                                   {"explanation", explanation_title(v.explanation)},
                                                   {"prediction", v.prediction},
                                                   {"agreement", agreement_name(v.agreement)},
                                                   {"measured", v.measured}};
    out[info.name] = {
        {"order", order++},
        {"status", status_name(r.status)},
        {"progress", experiment_progress(s, info.experiment)},
        {"seconds", r.status == ExperimentStatus::kDone ? json(r.seconds) : json(nullptr)},
        {"runSeconds", r.status == ExperimentStatus::kDone ? json(r.run_seconds) : json(nullptr)},
        {"longestUnitMs", longest},
        {"stages", stages},
        {"title", info.title},
        {"question", info.question},
        {"model", r.model},
        {"result", result(s, info.experiment)},
        {"verdicts", verdicts}};
  }
  return out;
}

}  // namespace bs::app
