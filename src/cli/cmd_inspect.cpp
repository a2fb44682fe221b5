// booksmart inspect: a model's accuracy (overall and per class), its metadata, and how sparse its hidden
// activations are on the test set.
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/analysis/sparsity.h"
#include "core/train/evaluate.h"

namespace bs::cli {
namespace {

struct InspectOptions {
  std::string model, data = default_data_dir();
  bool json = false;
};

int run(const InspectOptions& o) {
  Model model = load_model_or_fail(o.model);
  Dataset test = load_split(o.data, Split::kTest);
  Workspace ws(model.params.arch(), 500);
  Evaluation ev = evaluate(model.params, test, ws);
  Sparsity sp = sparsity(dataset_stats(model.params, test));
  nlohmann::json per_class = nlohmann::json::array();
  for (int c = 0; c < kClasses; ++c) per_class.push_back(ev.class_accuracy(c));
  if (o.json) {
    print_json({{"test_accuracy", ev.accuracy()},
                {"test_loss", ev.loss},
                {"class_accuracy", per_class},
                {"has_init", model.has_init},
                {"metadata", model.metadata},
                {"sparsity",
                 {{"strong_fraction", kStrongFraction},
                  {"mild_fraction", kMildFraction},
                  {"mean_strong", sp.mean_strong},
                  {"mean_mild", sp.mean_mild},
                  {"median_strong", sp.median_strong},
                  {"median_mild", sp.median_mild},
                  {"mean_zero", sp.mean_zero},
                  {"hidden_neurons", sp.hidden},
                  {"dead_neurons", sp.dead}}}});
    return 0;
  }
  std::printf("%s\n", o.model.c_str());
  for (const auto& [k, v] : model.metadata) std::printf("  %s: %s\n", k.c_str(), v.c_str());
  std::printf("test accuracy %.2f%% (loss %.4f)\n", 100 * ev.accuracy(), ev.loss);
  for (int c = 0; c < kClasses; ++c) std::printf("  digit %d: %.2f%%\n", c, 100 * ev.class_accuracy(c));
  std::printf("sparsity over %zu test images, %d hidden neurons (%d never fire):\n", test.size(), sp.hidden,
              sp.dead);
  std::printf("  strongly active (>= %.0f%% of the neuron's max): mean %.1f, median %.1f per image\n",
              100 * kStrongFraction, sp.mean_strong, sp.median_strong);
  std::printf("  mildly active (%.0f-%.0f%%): mean %.1f, median %.1f per image\n", 100 * kMildFraction,
              100 * kStrongFraction, sp.mean_mild, sp.median_mild);
  std::printf("  exactly zero (ReLU off): mean %.1f per image\n", sp.mean_zero);
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<InspectOptions>();
  CLI::App* cmd =
      app.add_subcommand("inspect", "Accuracy, per-class accuracy and activation sparsity of a model");
  cmd->add_option("--model", o->model, "Model file (safetensors)")->required();
  add_data_options(cmd, o->data);
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
