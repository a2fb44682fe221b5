#include "cli/span_options.h"

#include <cmath>
#include <cstdio>

#include "cli/common.h"

namespace bs::cli {

void add_span_options(CLI::App* cmd, SpanOptions& o) {
  auto* k = cmd->add_option("--k", o.k, "Principal components spanning the data subspace")
                ->check(CLI::Range(1, 784));
  cmd->add_option("--variance", o.variance,
                  "Choose k as the fewest components holding this share of the variance")
      ->check(CLI::Range(0.01, 1.0))
      ->excludes(k);
}

DataSubspace load_subspace(const std::string& data_dir, const SpanOptions& o) {
  Dataset train = load_split(data_dir, Split::kTrain);
  DataSubspace ds;
  ds.s = data_subspace(train);
  ds.k = o.k > 0 ? o.k : ds.s.k_for(o.variance);
  return ds;
}

SpanReport model_span_report(const DataSubspace& ds, const Model& m) {
  if (!m.has_init) fail("the model file has no init.* tensors, so what training changed cannot be measured");
  return span_report(ds.s, ds.k, span_coefficients(ds.s, effective_weights(m.params)),
                     span_coefficients(ds.s, effective_weights(m.init)));
}

namespace {
nlohmann::json split_json(const SpanSplit& s) {
  return {{"norm", s.norm},
          {"in_norm", s.in_norm},
          {"off_norm", s.off_norm},
          {"off_share", s.off_share},
          {"init_off_share", s.init_off_share},
          {"change_in_share", s.change_in_share},
          {"off_drift", s.off_drift}};
}
const char* kLayerNames[3] = {"layer1", "layer2", "output"};
nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json span_json(const SpanReport& r) {
  nlohmann::json layers = nlohmann::json::object(), neurons = nlohmann::json::object();
  for (int l = 0; l < 3; ++l) {
    layers[kLayerNames[l]] = split_json(r.layers[l]);
    nlohmann::json arr = nlohmann::json::array();
    for (const SpanSplit& n : r.neurons[l]) arr.push_back(split_json(n));
    neurons[kLayerNames[l]] = arr;
  }
  return {{"k", r.k}, {"explained", r.explained}, {"layers", layers}, {"neurons", neurons}};
}

void print_span_layers(const SpanReport& r) {
  std::printf("%-8s %10s %14s %16s %10s\n", "layer", "off-span", "init off-span", "change in span",
              "off drift");
  for (int l = 0; l < 3; ++l) {
    const SpanSplit& s = r.layers[l];
    std::printf("%-8s %9.1f%% %13.1f%% %15.1f%% %9.1f%%\n", kLayerNames[l], 100 * s.off_share,
                100 * s.init_off_share, 100 * s.change_in_share, 100 * s.off_drift);
  }
}

nlohmann::json survey_json(const AttackSurvey& s, bool with_curves) {
  nlohmann::json dirs = nlohmann::json::object();
  for (int d = 0; d < kDirectionCount; ++d) {
    const Direction dd = Direction(d);
    nlohmann::json j = {{"flip_rate_at_1", s.rate_at(dd, 1.0f)},
                        {"median_flip_alpha", finite_or_null(s.median_flip_alpha(dd))},
                        {"mean_l2", s.mean_l2[size_t(d)]},
                        {"mean_linf", s.mean_linf[size_t(d)]},
                        {"mean_rms", s.mean_rms[size_t(d)]},
                        {"mean_target_confidence", s.mean_confidence[size_t(d)]}};
    if (with_curves) j["flip_rate"] = s.rate[size_t(d)];
    dirs[direction_name(dd)] = j;
  }
  nlohmann::json out = {{"source", s.setup.source},
                        {"target", s.setup.target},
                        {"k", s.setup.k},
                        {"images", s.images},
                        {"random_draws", s.setup.random_draws},
                        {"clip", s.setup.clip},
                        {"directions", dirs}};
  if (with_curves) out["alphas"] = s.alphas;
  return out;
}

void print_survey(const AttackSurvey& s) {
  std::printf("%d correctly classified test %ds, target %d, k = %d (flip measures over the flipped ones)\n",
              s.images, s.setup.source, s.setup.target, s.setup.k);
  std::printf("%-9s %12s %12s %8s %8s %8s %11s\n", "direction", "rate a=1", "median a", "L2", "Linf", "RMS",
              "confidence");
  for (int d = 0; d < kDirectionCount; ++d) {
    const Direction dd = Direction(d);
    const double med = s.median_flip_alpha(dd);
    char med_s[32];
    if (std::isfinite(med)) {
      std::snprintf(med_s, sizeof med_s, "%.3f", med);
    } else {
      std::snprintf(med_s, sizeof med_s, "> %.1f", double(s.setup.alpha_max));
    }
    std::printf("%-9s %11.1f%% %12s %8.3f %8.3f %8.4f %10.1f%%\n", direction_name(dd),
                100 * s.rate_at(dd, 1.0f), med_s, s.mean_l2[size_t(d)], s.mean_linf[size_t(d)],
                s.mean_rms[size_t(d)], 100 * s.mean_confidence[size_t(d)]);
  }
}

}  // namespace bs::cli
