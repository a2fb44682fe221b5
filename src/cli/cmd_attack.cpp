// booksmart attack: blends a neuron's effective-weight pattern into a test image and reports the smallest
// alpha that flips the prediction to the target, or (--all) the flip rate over a whole digit class.
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/selection.h"
#include "core/analysis/attack.h"
#include "core/analysis/effective.h"

namespace bs::cli {
namespace {

struct AttackOptions {
  std::string model, data = default_data_dir(), pattern;
  long long index = -1;
  int digit = 7, target = 0;
  bool all = false, json = false, unclipped = false;
  float alpha = 1.0f, alpha_max = 3.0f;
};

int run(const AttackOptions& o) {
  Model model = load_model_or_fail(o.model);
  Dataset test = load_split(o.data, Split::kTest);
  const Arch arch = model.params.arch();
  NeuronId pattern_id = o.pattern.empty() ? NeuronId{3, o.target} : pattern_option(o.pattern, arch);
  EffectiveWeights eff = effective_weights(model.params);
  std::vector<float> unit = unit_pattern(eff.pattern(pattern_id), arch.in);
  const bool clip = !o.unclipped;

  if (o.all) {
    FlipRate r = flip_rate(model.params, test, o.digit, o.target, unit.data(), o.alpha, clip);
    if (o.json) {
      print_json({{"digit", o.digit}, {"target", o.target}, {"alpha", o.alpha}, {"pattern", neuron_name(pattern_id)},
                  {"clip", clip}, {"count", r.count}, {"flipped", r.flipped}, {"flip_rate", r.rate()}});
    } else {
      std::printf("pattern %s at alpha %.3f turns %d of %d correctly classified test %ds into %d: flip rate %.1f%%\n",
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
    nlohmann::json j = {{"index", index}, {"label", test.label(index)}, {"target", o.target},
                        {"pattern", neuron_name(pattern_id)}, {"clip", clip}, {"alpha_max", o.alpha_max},
                        {"source_prediction", r.source_prediction}, {"source_confidence", r.source_confidence},
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
    std::printf("test image %zu (label %d, predicted %d at %.1f%%): pattern %s flips it to %d at alpha %.4f "
                "with %.1f%% confidence (L2 %.3f, Linf %.3f)\n",
                index, test.label(index), r.source_prediction, 100 * r.source_confidence, neuron_name(pattern_id).c_str(),
                o.target, r.alpha, 100 * r.target_confidence, r.l2, r.linf);
  } else {
    std::printf("test image %zu (label %d): pattern %s does not flip it to %d for alpha up to %.2f\n", index,
                test.label(index), neuron_name(pattern_id).c_str(), o.target, o.alpha_max);
  }
  return 0;
}

}  // namespace

void add_attack_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<AttackOptions>();
  CLI::App* cmd = app.add_subcommand("attack", "Blend a neuron's effective-weight pattern into a digit until it flips");
  cmd->add_option("--model", o->model, "Model file (safetensors)")->required();
  cmd->add_option("--data", o->data, "Folder with the four MNIST files (raw or .gz)");
  auto* index = cmd->add_option("--index", o->index, "Test image to attack")->check(CLI::NonNegativeNumber);
  cmd->add_option("--digit", o->digit, "Attack the first correctly classified test image of this digit")
      ->check(CLI::Range(0, 9))
      ->excludes(index);
  cmd->add_option("--target", o->target, "Class the attack aims for")->check(CLI::Range(0, 9));
  cmd->add_option("--pattern", o->pattern, "Neuron whose pattern is blended, layer:index (default 3:<target>)");
  cmd->add_flag("--all", o->all, "Flip rate over every correctly classified test image of --digit")->excludes(index);
  cmd->add_option("--alpha", o->alpha, "Blend strength for --all")->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--alpha-max", o->alpha_max, "Largest alpha searched")->check(CLI::Range(0.001, 100.0));
  cmd->add_flag("--unclipped", o->unclipped, "Do not clip the blend to [0, 1]");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
