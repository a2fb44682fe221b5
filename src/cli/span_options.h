// What the subspace-based commands share: the data subspace of the training images, the choice of k, and the
// JSON/prose forms of a span report and an attack survey.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/analysis/attack_survey.h"
#include "core/analysis/subspace.h"
#include "core/model/model.h"

namespace bs::cli {

struct SpanOptions {
  int k = 0;  // 0: from `variance`
  double variance = 0.95;
};
void add_span_options(CLI::App* cmd, SpanOptions& o);

struct DataSubspace {
  Subspace s;
  int k = 0;
};
// PCA of every training image in `data_dir`.
DataSubspace load_subspace(const std::string& data_dir, const SpanOptions& o);

SpanReport model_span_report(const DataSubspace& ds, const Model& m);
nlohmann::json span_json(const SpanReport& r);
void print_span_layers(const SpanReport& r);

nlohmann::json survey_json(const AttackSurvey& s, bool with_curves);
void print_survey(const AttackSurvey& s);

}  // namespace bs::cli
