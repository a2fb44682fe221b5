// booksmart robust-accuracy: clean, robust (PGD with restarts, then Square) and certified (CROWN or IBP)
// accuracy at fixed radii over the first N test images, misclassified ones counted as lost: the table
// adversarial-training papers report.
#include <cmath>
#include <cstdio>

#include "cli/attack_strength.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "core/robust/radius_accuracy.h"

namespace bs::cli {
namespace {

struct RobustAccuracyOptions {
  std::string model, data = default_data_dir();
  AttackStrength attack{"linf", /*restarts=*/5, /*steps=*/50, /*square_queries=*/5000, /*seed=*/1};
  std::vector<float> eps = {0.1f, 0.2f};
  int count = 2000;
  bool json = false;
};

int run(const RobustAccuracyOptions& o) {
  const RobustnessSettings s = robustness_settings(o.attack);
  const Norm norm = s.norm;
  for (float e : o.eps)
    if (!(std::isfinite(e) && e > 0 && e <= max_radius(norm, kPixels)))
      fail("--eps " + std::to_string(e) + " is not a radius in (0, " +
           std::to_string(max_radius(norm, kPixels)) + "] for " + norm_name(norm));
  const Model model = load_model_or_fail(o.model);
  const Dataset test = load_split(o.data, Split::kTest);
  std::vector<uint32_t> indices(std::min<size_t>(size_t(o.count), test.size()));
  for (uint32_t i = 0; i < indices.size(); ++i) indices[i] = i;
  nlohmann::json rows = nlohmann::json::array();
  if (!o.json)
    std::printf("%s accuracy of %s on the first %zu test images (PGD-%d x %d restarts%s)\n", norm_name(norm),
                o.model.c_str(), indices.size(), s.steps, s.restarts,
                norm == Norm::kLinf && s.square_queries > 0 ? ", then Square" : "");
  for (float e : o.eps) {
    const RadiusAccuracy r = accuracy_at_radius(model.params, test, indices, e, s);
    const double n = double(r.images);
    rows.push_back({{"eps", r.eps},
                    {"images", r.images},
                    {"clean", r.clean / n},
                    {"robust", r.robust / n},
                    {"certified", r.certified / n},
                    {"pgd_flips", r.pgd_flips},
                    {"square_flips", r.square_flips}});
    if (!o.json)
      std::printf(
          "  eps %.3f   clean %.2f %%   robust %.2f %%   certified %.2f %%   (PGD flips %d, Square %d "
          "more)\n",
          e, 100 * r.clean / n, 100 * r.robust / n, 100 * r.certified / n, r.pgd_flips, r.square_flips);
  }
  if (o.json)
    print_json({{"model", o.model},
                {"norm", norm_name(norm)},
                {"settings", settings_json(o.attack)},
                {"radii", rows}});
  return 0;
}

}  // namespace

void add_robust_accuracy_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<RobustAccuracyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "robust-accuracy",
      "Clean, robust (PGD + Square) and certified accuracy at fixed radii on the test set");
  cmd->add_option("--model", o->model, "Model file (.safetensors)")->required();
  add_data_options(cmd, o->data);
  cmd->add_option("--eps", o->eps, "Radii (default 0.1 0.2)")->expected(1, 20);
  cmd->add_option("--count", o->count, "Images: the first N test images")->check(CLI::Range(1, 10000));
  add_attack_strength_options(cmd, o->attack, "");
  cmd->add_flag("--json", o->json, "Print one JSON object instead of prose");
  cmd->callback([o, &action] { action = [o] { return run(*o); }; });
}

}  // namespace bs::cli
