#include "core/trial/report_json.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/util/median.h"

namespace bs {
namespace {

using json = nlohmann::json;

// A radius is +inf where no flip was found; JSON has no infinity, so it reads null.
json finite(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

// The core's names of directions and variants (in_span, off_span) as the schema's keys (inSpan, offSpan).
std::string camel(const std::string& name) {
  std::string out;
  bool up = false;
  for (char c : name) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? char(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

json shares(const SpanShares& s) {
  return {{"topK", s.top_k}, {"rest", s.rest}, {"neverLit", s.never_lit}};
}

json span_result(const MinimalSpanReport& r, const MinimalSpanSettings& s) {
  std::vector<double> free, complement, tangent, ratio, linear, over_linear, cos, angle, wide, wide_ratio;
  int tangent_found = 0, complement_found = 0, wide_found = 0, no_flip = 0;
  for (const MinimalSpanImage& im : r.images) {
    if (im.reached < 0) {
      ++no_flip;
    } else {
      cos.push_back(im.gradient_cosine);
      angle.push_back(im.mean_angle_deg);
    }
    free.push_back(im.radius);
    complement.push_back(im.complement_radius);
    tangent.push_back(im.tangent_radius);
    linear.push_back(im.linear_radius);
    tangent_found += std::isfinite(im.tangent_radius);
    complement_found += std::isfinite(im.complement_radius);
    wide.push_back(im.wide_complement_radius);
    wide_found += std::isfinite(im.wide_complement_radius);
    if (std::isfinite(im.radius) && im.radius > 0) {
      ratio.push_back(double(im.complement_radius) / im.radius);
      wide_ratio.push_back(double(im.wide_complement_radius) / im.radius);
    }
    if (std::isfinite(im.radius) && im.linear_radius > 0) over_linear.push_back(im.radius / im.linear_radius);
  }
  return {
      {"images", r.images.size()},
      {"k", r.k},
      {"explainedVariance", r.explained},
      {"neighbours", s.neighbours},
      {"tangentDims", s.tangent_dims},
      {"meanShares", shares(r.mean_shares)},
      {"randomShares", shares(r.random_shares)},
      {"meanTangentShare", r.mean_tangent_share},
      {"randomTangentShare", r.random_tangent_share},
      {"medianRadius", finite(median(free))},
      {"medianTangentRadius", finite(median(tangent))},
      {"medianComplementRadius", finite(median(complement))},
      {"found", {{"tangent", tangent_found}, {"complement", complement_found}}},
      {"medianComplementOverFree", finite(median(ratio))},
      {"medianLinearRadius", finite(median(linear))},
      {"medianRadiusOverLinear", finite(median(over_linear))},
      {"noFlip", no_flip},
      {"medianGradientCosine", finite(median(cos))},
      {"medianMeanAngleDeg", finite(median(angle))},
      {"wideTangent", r.wide_tangent_dims > 0 ? json{{"dims", r.wide_tangent_dims},
                                                     {"meanShare", r.mean_wide_tangent_share},
                                                     {"randomShare", r.random_wide_tangent_share},
                                                     {"medianComplementRadius", finite(median(wide))},
                                                     {"foundComplement", wide_found},
                                                     {"medianComplementOverFree", finite(median(wide_ratio))}}
                                              : json(nullptr)},
      {"energyCurve", r.energy_curve}};
}

// Per direction, the share turned on the model that made it (`maker`) and on the other.
json directions(const std::vector<DirectionTransfer>& v, const char* maker, const char* other) {
  json j = json::object();
  for (const DirectionTransfer& d : v) j[camel(d.name)] = {{maker, d.on_a}, {other, d.on_b}};
  return j;
}

// The second trial's b: each direction at the full pattern's L2 norm (fgsm: the small sign step), its rates
// on A and B over the images each reads correctly, and the median flip-point ratio.
json equal_norm(const TransferReport& r) {
  json d = json::object();
  for (int w = 0; w < kEqualDirections; ++w) {
    double hit_a = 0, hit_b = 0;
    for (const TransferImage& im : r.images) {
      hit_a += im.flip_a[size_t(w)];
      hit_b += im.flip_b[size_t(w)];
    }
    d[camel(equal_direction_name(w))] = {{"onA", r.count_a ? json(hit_a / r.count_a) : json(nullptr)},
                                         {"onB", r.count_b ? json(hit_b / r.count_b) : json(nullptr)}};
  }
  std::vector<double> ratio;
  for (const TransferImage& im : r.images)
    if (im.right_a) ratio.push_back(im.flip_point_ratio);
  return {{"commonNorm", r.common_norm},
          {"fgsmEps", r.fgsm_eps},
          {"directions", d},
          {"medianFlipPointRatio", finite(median(ratio))}};
}

json transfer_result(const ResultHeader& h, const TransferReport& r, int epochs, const TransferSettings& s) {
  json cos = json::array();
  for (const CosinePoint& c : r.cosine)
    cos.push_back({{"step", c.step}, {"inSpan", c.in_span}, {"offSpan", c.off_span}});
  return {{"seedA", h.seed},
          {"seedB", h.seed + 1},
          {"source", h.source},
          {"target", h.target},
          {"k", r.k},
          {"epochs", s.epochs},
          {"epochsTrained", epochs},
          {"pgdScale", s.pgd_scale},
          {"correctA", r.count_a},
          {"correctB", r.count_b},
          {"directions", directions(r.directions, "onA", "onB")},
          {"cosine", cos},
          {"equalNorm", equal_norm(r)}};
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
                   {"medianRadiusOffSpan", finite(r.radius_off)},
                   {"foundInSpan", r.found_in},
                   {"foundOffSpan", r.found_off}});
  return {{"runs", out}};
}

json optimizers_result(const ResultHeader& h, const OptimizersReport& r) {
  auto run = [](const OptimizerRun& o) {
    return json{{"accuracy", o.accuracy},
                {"offDrift", o.off_drift},
                {"medianRadius", finite(o.median_radius)},
                {"offSpanNormW1", o.off_span_norm},
                {"lipschitz", finite(o.lipschitz)},
                {"images", o.radii.size()}};
  };
  return {{"k", r.k},
          {"source", h.source},
          {"target", h.target},
          {"sgd", run(r.sgd)},
          {"adam", run(r.adam)},
          {"correctSource", {{"sgd", r.correct_sgd}, {"adam", r.correct_adam}}},
          {"sgdToAdam", directions(r.sgd_to_adam, "onSgd", "onAdam")},
          {"adamToSgd", directions(r.adam_to_sgd, "onAdam", "onSgd")}};
}

json features_result(const ResultHeader& h, const FeaturesReport& r, const FeaturesSettings& s) {
  json sets = json::object();
  for (const FeaturesVariant& v : r.variants)
    sets[camel(v.name)] = {{"attempted", v.attempted},
                           {"kept", v.kept},
                           {"targetRateOnA", v.target_rate},
                           {"medianPushL2", v.median_push_l2},
                           {"cleanTestAccuracy", v.clean_test_accuracy},
                           {"testImages", v.test_images}};
  return {{"images", r.images},
          {"push",
           {{"epsStart", s.eps_start},
            {"epsGrow", s.eps_grow},
            {"epsMax", s.eps_max},
            {"stepsPerRadius", s.steps}}},
          {"epochs", s.epochs},
          {"k", r.k},
          {"seed", h.seed + 2},
          {"chance", 0.1},
          {"sets", sets}};
}

// The decay as a key: "0", "0.0001", "0.01".
std::string decay_key(float decay) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", double(decay));
  return buf;
}

json tilt_result(const TiltReport& r) {
  json decays = json::array(), by = json::object();
  for (const DecayRun& run : r.runs) {
    int no_flip = 0;
    for (const TiltImage& im : run.images) no_flip += im.reached < 0;
    decays.push_back(std::stod(decay_key(run.decay)));  // 0.01, not float's 0.009999999776
    by[decay_key(run.decay)] = {{"cleanAccuracy", run.clean_accuracy},
                                {"offSpanNormW1", run.off_span_norm},
                                {"images", run.images.size()},
                                {"noFlip", no_flip},
                                {"medianMinimalL2", finite(run.median_radius)},
                                {"deviationAngleDeg", finite(run.median_angle_deg)},
                                {"meanTopKShare", finite(run.mean_top_k_share)}};
  }
  return {{"k", r.k}, {"decays", decays}, {"decay", by}};
}

// Whether there is anything to show yet: d's report fills in stage by stage and reads only once whole.
bool has_figures(const ExperimentResult& r, bool done) {
  switch (r.experiment) {
    case Experiment::kSpan:
      return !r.span.images.empty();
    case Experiment::kOptimizers:
      return done;
    case Experiment::kTransfer:
    case Experiment::kThinBook:
    case Experiment::kFeatures:
    case Experiment::kTilt:
      return true;
  }
  return true;
}

}  // namespace

std::vector<Verdict> experiment_verdicts(Experiment e, const ExperimentResult* r, bool done) {
  const ExperimentResult* x = r && done ? r : nullptr;
  switch (e) {
    case Experiment::kSpan:
      return span_verdicts(x ? &x->span : nullptr);
    case Experiment::kTransfer:
      return transfer_verdicts(x ? &x->transfer : nullptr);
    case Experiment::kThinBook:
      return thin_verdicts(r ? &r->thin : nullptr, done);
    case Experiment::kOptimizers:
      return optimizer_verdicts(x ? &x->optimizers : nullptr);
    case Experiment::kFeatures:
      return feature_verdicts(x ? &x->features : nullptr);
    case Experiment::kTilt:
      return tilt_verdicts(x ? &x->tilt : nullptr, x ? x->seed : 0);
  }
  return {};
}

json result_json(const ExperimentResult& r, const TrialSettings& s) {
  switch (r.experiment) {
    case Experiment::kSpan:
      return span_result(r.span, s.span);
    case Experiment::kTransfer:
      return transfer_result(r, r.transfer, r.transfer_epochs, s.transfer);
    case Experiment::kThinBook:
      return thin_result(r.thin);
    case Experiment::kOptimizers:
      return optimizers_result(r, r.optimizers);
    case Experiment::kFeatures:
      return features_result(r, r.features, s.features);
    case Experiment::kTilt:
      return tilt_result(r.tilt);
  }
  return nullptr;
}

SeedMeasures experiment_measures(const ExperimentResult& r) {
  switch (r.experiment) {
    case Experiment::kTilt:
      return tilt_measures(r.tilt, r.seed);
    case Experiment::kSpan:
      return span_measures(r.span, r.seed);
    case Experiment::kThinBook:
      return thin_measures(r.thin, r.seed);
    case Experiment::kOptimizers:
      return optimizer_measures(r.optimizers, r.seed);
    case Experiment::kTransfer:
      return transfer_measures(r.transfer, r.seed);
    case Experiment::kFeatures:
      return features_measures(r.features, r.seed);
  }
  SeedMeasures none;
  none.seed = r.seed;
  return none;
}

json verdicts_json(const std::vector<Verdict>& verdicts) {
  json j = json::object();
  for (const Verdict& v : verdicts)
    j[explanation_name(v.explanation)] = {{"order", int(v.explanation)},
                                          {"explanation", explanation_title(v.explanation)},
                                          {"prediction", v.prediction},
                                          {"agreement", agreement_name(v.agreement)},
                                          {"measured", v.measured}};
  return j;
}

json experiment_json(Experiment e, const ExperimentResult* r, bool done, const TrialSettings& s,
                     const std::vector<Verdict>& verdicts) {
  const ExperimentInfo& info = experiment_info(e);
  return {{"order", int(e)},
          {"name", info.name},
          {"title", info.title},
          {"question", info.question},
          {"result", r && has_figures(*r, done) ? result_json(*r, s) : json(nullptr)},
          {"verdicts", verdicts_json(verdicts)}};
}

}  // namespace bs
