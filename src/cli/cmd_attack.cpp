// booksmart attack: blends a neuron's effective-weight pattern into a test image and reports the smallest
// alpha that flips the prediction to the target, or (--all) the flip rate over a whole digit class.
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/selection.h"
#include "cli/span_options.h"
#include "core/analysis/attack.h"
#include "core/analysis/effective.h"
#include "core/analysis/linear_view.h"
#include "core/image/figures.h"
#include "core/image/plot.h"
#include "core/io/file_bytes.h"

namespace bs::cli {
namespace {

struct AttackOptions {
  std::string model, data = default_data_dir(), pattern;
  long long index = -1;
  int digit = 7, target = 0;
  bool all = false, json = false, unclipped = false;
  float alpha = 1.0f, alpha_max = 3.0f;
  std::string directions;  // "all": the fair comparison of every direction
  std::string csv, png;    // --all --directions all: the flip-rate curves
  SpanOptions span;
  int draws = 5, grid = 30;
};

AttackSetup setup_from(const AttackOptions& o, int k) {
  AttackSetup s;
  s.source = o.digit;
  s.target = o.target;
  s.k = k;
  s.clip = !o.unclipped;
  s.alpha_max = o.alpha_max;
  s.grid = o.grid;
  s.random_draws = o.draws;
  return s;
}

void write_curves(const AttackOptions& o, const AttackSurvey& sv) {
  if (!o.csv.empty()) {
    const std::string text = flip_rate_csv(sv);
    check(write_file(o.csv, std::vector<uint8_t>(text.begin(), text.end())));
  }
  if (!o.png.empty()) {
    std::vector<double> x(sv.alphas.begin(), sv.alphas.end());
    std::vector<PlotSeries> series;
    for (int d = 0; d < kDirectionCount; ++d)
      series.push_back({direction_name(Direction(d)), sv.rate[size_t(d)]});
    check(write_file(o.png,
                     encode_png(line_plot(x, series,
                                          "Flip rate of " + std::to_string(sv.images) + " test " +
                                              std::to_string(o.digit) + "s to " + std::to_string(o.target),
                                          "alpha (max |step| per pixel before clipping)", "flip rate"))));
  }
}

nlohmann::json flip_json(const FlipPoint& f, float share) {
  nlohmann::json j = {{"flipped", f.flipped}, {"flip_share", share}};
  if (f.flipped || share > 0) {
    j.update({{"flip_alpha", f.alpha},
              {"target_confidence", f.target_confidence},
              {"l2", f.l2},
              {"linf", f.linf},
              {"rms", f.rms}});
  } else {
    j["flip_alpha"] = nullptr;
  }
  return j;
}

int run_directions(const AttackOptions& o, const Model& model, const Dataset& test) {
  if (o.directions != "all") fail("--directions takes 'all' (the five directions are compared together)");
  DataSubspace ds = load_subspace(o.data, o.span);
  AttackSetup setup = setup_from(o, ds.k);
  if (o.all) {
    AttackSurvey sv = attack_survey(model.params, ds.s, test, setup);
    write_curves(o, sv);
    if (o.json) {
      print_json(survey_json(sv, true));
    } else {
      print_survey(sv);
    }
    return 0;
  }
  size_t index = choose_image(model.params, test, o.index, o.digit);
  std::vector<float> x = test.image_floats(index);
  setup.source = test.label(index);
  FixedDirections fixed = fixed_directions(model.params, ds.s, ds.k, o.target);
  ImageAttack a = attack_image(model.params, fixed, setup, x.data(), index);
  // Why the full pattern flips it: the per-pixel sum at its flip point.
  nlohmann::json linear = nullptr;
  const FlipPoint& full = a.at[0];
  std::vector<OverlayPanel> panels = {
      {x, TileStyle::kGreyRaw, "test #" + std::to_string(index), "the digit"}};
  for (int d = 0; d < kDirectionCount; ++d) {
    char cap[48];
    if (a.flip_share[size_t(d)] > 0) {
      std::snprintf(cap, sizeof cap, "flips at %.3f", double(a.at[size_t(d)].alpha));
    } else {
      std::snprintf(cap, sizeof cap, "no flip");
    }
    panels.push_back({a.direction[size_t(d)], TileStyle::kDiverging, direction_name(Direction(d)), cap});
  }
  if (full.flipped) {
    std::vector<float> xa(kPixels);
    overlay(xa.data(), x.data(), a.direction[0].data(), full.alpha, setup.clip, kPixels);
    LinearView v = linear_view(model.params, ds.s, ds.k, x.data(), xa.data(), a.prediction, o.target);
    linear = {{"sum", v.total},
              {"actual", v.actual},
              {"in_span", v.in_span},
              {"off_span", v.off_span},
              {"lit_pixels", v.lit},
              {"never_lit_pixels", v.never_lit},
              {"relus_switched", v.switched}};
    panels.push_back({xa, TileStyle::kGreyRaw, "full at flip", "the blend"});
    panels.push_back({v.contribution, TileStyle::kDiverging, "contributions", "grad x change"});
  }
  if (!o.png.empty()) {
    check(
        write_file(o.png, encode_png(panel_row(panels, "Five directions towards " + std::to_string(o.target) +
                                                           " and why the full pattern flips it"))));
  }
  if (o.json) {
    nlohmann::json dirs = nlohmann::json::object();
    for (int d = 0; d < kDirectionCount; ++d)
      dirs[direction_name(Direction(d))] = flip_json(a.at[size_t(d)], a.flip_share[size_t(d)]);
    print_json({{"index", index},
                {"label", test.label(index)},
                {"target", o.target},
                {"k", ds.k},
                {"prediction", a.prediction},
                {"confidence", a.confidence},
                {"directions", dirs},
                {"linear_view", linear}});
    return 0;
  }
  std::printf("test image %zu (label %d, predicted %d at %.1f%%), target %d, k = %d\n", index,
              test.label(index), a.prediction, 100 * a.confidence, o.target, ds.k);
  std::printf("%-9s %10s %11s %8s %8s %8s\n", "direction", "flip a", "confidence", "L2", "Linf", "RMS");
  for (int d = 0; d < kDirectionCount; ++d) {
    const FlipPoint& f = a.at[size_t(d)];
    if (a.flip_share[size_t(d)] == 0) {
      std::printf("%-9s %10s\n", direction_name(Direction(d)), "no flip");
      continue;
    }
    std::printf("%-9s %10.4f %10.1f%% %8.3f %8.3f %8.4f", direction_name(Direction(d)), f.alpha,
                100 * f.target_confidence, f.l2, f.linf, f.rms);
    if (Direction(d) == Direction::kRandom)
      std::printf("   (%.0f%% of draws flip)", 100 * a.flip_share[size_t(d)]);
    std::printf("\n");
  }
  if (!linear.is_null()) {
    std::printf(
        "at the full pattern's flip: logit %d - logit %d changes by %.3f = %.3f (in-span) + %.3f (off-span); "
        "never-lit pixels %.3f; %d ReLUs switched\n",
        o.target, a.prediction, linear["actual"].get<double>(), linear["in_span"].get<double>(),
        linear["off_span"].get<double>(), linear["never_lit_pixels"].get<double>(),
        linear["relus_switched"].get<int>());
  }
  return 0;
}

int run(const AttackOptions& o) {
  Model model = load_model_or_fail(o.model);
  Dataset test = load_split(o.data, Split::kTest);
  const Arch arch = model.params.arch();
  NeuronId pattern_id = o.pattern.empty() ? NeuronId{3, o.target} : pattern_option(o.pattern, arch);
  EffectiveWeights eff = effective_weights(model.params);
  std::vector<float> unit = unit_pattern(eff.pattern(pattern_id), arch.in);
  const bool clip = !o.unclipped;
  if (!o.directions.empty()) return run_directions(o, model, test);

  if (o.all) {
    FlipRate r = flip_rate(model.params, test, o.digit, o.target, unit.data(), o.alpha, clip);
    if (o.json) {
      print_json({{"digit", o.digit},
                  {"target", o.target},
                  {"alpha", o.alpha},
                  {"pattern", neuron_name(pattern_id)},
                  {"clip", clip},
                  {"count", r.count},
                  {"flipped", r.flipped},
                  {"flip_rate", r.rate()}});
    } else {
      std::printf(
          "pattern %s at alpha %.3f turns %d of %d correctly classified test %ds into %d: flip rate %.1f%%\n",
          neuron_name(pattern_id).c_str(), o.alpha, r.flipped, r.count, o.digit, o.target, 100 * r.rate());
    }
    return 0;
  }

  size_t index = choose_image(model.params, test, o.index, o.digit);
  std::vector<float> x = test.image_floats(index);
  OverlaySettings settings;
  settings.clip = clip;
  settings.alpha_max = o.alpha_max;
  Workspace ws(arch, 1);
  FlipResult r = find_flip(model.params, ws, x.data(), unit.data(), o.target, settings);
  if (o.json) {
    nlohmann::json j = {{"index", index},
                        {"label", test.label(index)},
                        {"target", o.target},
                        {"pattern", neuron_name(pattern_id)},
                        {"clip", clip},
                        {"alpha_max", o.alpha_max},
                        {"source_prediction", r.source_prediction},
                        {"source_confidence", r.source_confidence},
                        {"flipped", r.flipped}};
    if (r.flipped) {
      j["flip_alpha"] = r.alpha;
      j["target_confidence"] = r.target_confidence;
      j["l2"] = r.l2;
      j["linf"] = r.linf;
    } else {
      j["flip_alpha"] = nullptr;
    }
    print_json(j);
  } else if (r.flipped) {
    std::printf(
        "test image %zu (label %d, predicted %d at %.1f%%): pattern %s flips it to %d at alpha %.4f "
        "with %.1f%% confidence (L2 %.3f, Linf %.3f)\n",
        index, test.label(index), r.source_prediction, 100 * r.source_confidence,
        neuron_name(pattern_id).c_str(), o.target, r.alpha, 100 * r.target_confidence, r.l2, r.linf);
  } else {
    std::printf("test image %zu (label %d): pattern %s does not flip it to %d for alpha up to %.2f\n", index,
                test.label(index), neuron_name(pattern_id).c_str(), o.target, o.alpha_max);
  }
  return 0;
}

}  // namespace

void add_attack_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<AttackOptions>();
  CLI::App* cmd =
      app.add_subcommand("attack", "Blend a neuron's effective-weight pattern into a digit until it flips");
  cmd->add_option("--model", o->model, "Model file (safetensors)")->required();
  add_data_options(cmd, o->data);
  auto* index = cmd->add_option("--index", o->index, "Test image to attack")->check(CLI::NonNegativeNumber);
  cmd->add_option("--digit", o->digit, "Attack the first correctly classified test image of this digit")
      ->check(CLI::Range(0, 9))
      ->excludes(index);
  cmd->add_option("--target", o->target, "Class the attack aims for")->check(CLI::Range(0, 9));
  cmd->add_option("--pattern", o->pattern,
                  "Neuron whose pattern is blended, layer:index (default 3:<target>)");
  cmd->add_flag("--all", o->all, "Flip rate over every correctly classified test image of --digit")
      ->excludes(index);
  cmd->add_option("--alpha", o->alpha, "Blend strength for --all")->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--alpha-max", o->alpha_max, "Largest alpha searched")->check(CLI::Range(0.001, 100.0));
  cmd->add_flag("--unclipped", o->unclipped, "Do not clip the blend to [0, 1]");
  cmd->add_option("--directions", o->directions,
                  "'all': compare the full pattern, its off-span and in-span parts, FGSM and random noise");
  add_span_options(cmd, o->span);
  cmd->add_option("--draws", o->draws, "Random-noise draws per image")->check(CLI::Range(1, 100));
  cmd->add_option("--grid", o->grid, "Alpha steps of the flip-rate curves")->check(CLI::Range(2, 1000));
  cmd->add_option("--csv", o->csv, "With --all --directions all: write the flip-rate curves as CSV");
  cmd->add_option(
      "--png", o->png,
      "With --directions all: the directions and the contribution map (one image) or the flip-rate "
      "curves (--all) as PNG");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
