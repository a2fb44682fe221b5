// booksmart compare: two models side by side (typically book-smart and street-smart from the same seed) —
// clean accuracy, off-span share per layer, and the five attack directions' flip rate at alpha = 1 and median
// flip alpha over every correctly classified test image of --digit, and their perceptual alignment
// (core/analysis/alignment.h) over the first 2,000 test images. With --png, their output patterns.
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/span_options.h"
#include "core/analysis/alignment.h"
#include "core/image/figures.h"
#include "core/io/file_bytes.h"
#include "core/train/evaluate.h"

namespace bs::cli {
namespace {

struct CompareOptions {
  std::string a, b, data = default_data_dir(), png;
  SpanOptions span;
  int digit = 7, target = 0;
  bool json = false;
};

struct Side {
  std::string path;
  Model model;
  double accuracy = 0;
  SpanReport span;
  AttackSurvey survey;
  PerceptualAlignment alignment;
};

constexpr size_t kAlignmentImages = 2000;  // as the page's Compare view

Side measure(const std::string& path, const DataSubspace& ds, const Dataset& test, const CompareOptions& o) {
  Side s{path, load_model_or_fail(path), 0, {}, {}, {}};
  Workspace ws(s.model.params.arch(), 500);
  s.accuracy = evaluate(s.model.params, test, ws).accuracy();
  s.span = model_span_report(ds, s.model);
  AttackSetup setup;
  setup.source = o.digit;
  setup.target = o.target;
  setup.k = ds.k;
  s.survey = attack_survey(s.model.params, ds.s, test, setup);
  s.alignment = perceptual_alignment(s.model.params, test, kAlignmentImages);
  return s;
}

int run(const CompareOptions& o) {
  DataSubspace ds = load_subspace(o.data, o.span);
  Dataset test = load_split(o.data, Split::kTest);
  Side sides[2] = {measure(o.a, ds, test, o), measure(o.b, ds, test, o)};
  if (!o.png.empty()) {
    MatRM rows(20, kPixels);
    std::vector<std::string> caps;
    for (int m = 0; m < 2; ++m) {
      EffectiveWeights eff = effective_weights(sides[m].model.params);
      rows.middleRows(m * 10, 10) = eff.layer[2];
      for (int d = 0; d < 10; ++d) caps.push_back(std::string(m ? "B " : "A ") + std::to_string(d));
    }
    check(
        write_file(o.png, encode_png(neuron_grid(rows, 10, TileStyle::kDiverging,
                                                 "Output patterns: A (top row) and B (bottom row)", caps))));
  }
  if (o.json) {
    nlohmann::json models = nlohmann::json::array();
    for (const Side& s : sides) {
      nlohmann::json span = span_json(s.span);
      span.erase("neurons");
      models.push_back({{"model", s.path},
                        {"metadata", s.model.metadata},
                        {"test_accuracy", s.accuracy},
                        {"span", span},
                        {"attack", survey_json(s.survey, true)},
                        {"alignment",
                         {{"layers", s.alignment.layer},
                          {"neurons", s.alignment.neurons},
                          {"gradient", s.alignment.gradient},
                          {"images", s.alignment.images}}}});
    }
    print_json({{"k", ds.k}, {"models", models}});
    return 0;
  }
  for (int m = 0; m < 2; ++m) {
    const Side& s = sides[m];
    std::printf("%s: %s  — test accuracy %.2f%%\n", m ? "B" : "A", s.path.c_str(), 100 * s.accuracy);
    print_span_layers(s.span);
    print_survey(s.survey);
    const PerceptualAlignment& al = s.alignment;
    std::printf(
        "  perceptual alignment: cos(pattern, feature) layer 1 %.3f, layer 2 %.3f, output %.3f; "
        "cos(margin gradient, class-mean difference) %.3f over %d images\n",
        al.layer[0], al.layer[1], al.layer[2], al.gradient, al.images);
    std::printf("\n");
  }
  if (!o.png.empty()) std::printf("wrote %s\n", o.png.c_str());
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Two models side by side: accuracy, off-span share, attack results, perceptual alignment");
  cmd->add_option("--a", o->a, "First model (e.g. book-smart)")->required();
  cmd->add_option("--b", o->b, "Second model (e.g. street-smart)")->required();
  add_data_options(cmd, o->data);
  cmd->add_option("--digit", o->digit, "Source digit of the attack")->check(CLI::Range(0, 9));
  cmd->add_option("--target", o->target, "Target class of the attack")->check(CLI::Range(0, 9));
  cmd->add_option("--png", o->png, "Write both models' output patterns as a PNG");
  add_span_options(cmd, o->span);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
